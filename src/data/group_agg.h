/* group_agg.h - the per-group accumulators of sheaf_frame_group_by: what
 * each aggregation keeps per group (its "lanes"), how a row updates them,
 * how two partitions' accumulators merge and how they become a value. */
#ifndef SH_GROUP_AGG_H
#define SH_GROUP_AGG_H

#include "data/frame_internal.h"
#include "sheaf_group.h"

/* One accumulator word. */
typedef union sh_lane {
    double d;
    int64_t i;
    uint64_t u;
} sh_lane;

/* One output column of a group-by, planned. */
typedef struct sh_agg_plan {
    const sh_column *col;
    sheaf_agg agg;
    char *name;     /* output column name (owned) */
    size_t lane;    /* first lane of this aggregation within a group's lanes */
    size_t n_lanes; /* lanes it uses */
    int32_t *rank;  /* STRING min/max: strcmp rank of each dictionary code */
} sh_agg_plan;

/* Checks the aggregation against the column type and sets n_lanes; plan
 * col and agg set. INVALID_ARGUMENT naming caller, column and aggregation. */
sheaf_status sh_agg_prepare(sh_agg_plan *plan, const char *caller);

/* Initial lanes of a new group. */
void sh_agg_init(const sh_agg_plan *plan, sh_lane *lanes);

/* Adds row to lanes (the plan's own lanes, at lanes + plan->lane). */
void sh_agg_update(const sh_agg_plan *plan, sh_lane *lanes, size_t row);

/* Merges the lanes of a later partition, src, into acc. */
void sh_agg_merge(const sh_agg_plan *plan, sh_lane *acc, const sh_lane *src);

/* Writes group's result to out row i (a column of the plan's output type
 * from sh_agg_output_type), for every aggregation except first/last which
 * the caller gathers from the row index in lanes[plan->lane]. */
void sh_agg_finish(const sh_agg_plan *plan, const sh_lane *lanes, sh_column *out, size_t i);

/* The type of the plan's output column. */
sheaf_type sh_agg_output_type(const sh_agg_plan *plan);

#endif
