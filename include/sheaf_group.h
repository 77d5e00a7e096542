/* sheaf_group.h - operations keyed by column values: group-by aggregation,
 * equi-joins, the as-of join and dropping duplicates. Per-partition partial
 * results are merged on the coordinator in partition order, so results do
 * not depend on the thread count. */
#ifndef SHEAF_GROUP_H
#define SHEAF_GROUP_H

#include "sheaf_frame.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif
#endif
