/* sheaf_window.h - time-series windows within a key ordered by time: lags
 * and leads, differences, percent change, rolling and expanding statistics,
 * exponentially weighted means, cumulative sums, row numbers, ranks and
 * forward/backward fill. Keyed operations run on the frame partitioned "by
 * key, ordered by time" (partitioning it first when it is not), so every
 * key's series lies inside one partition and partitions run in parallel. */
#ifndef SHEAF_WINDOW_H
#define SHEAF_WINDOW_H

#include "sheaf_frame.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif
#endif
