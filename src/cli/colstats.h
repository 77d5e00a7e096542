/* colstats.h - per-column summary statistics of a frame, computed with the
 * partition executor; the engine behind `sheaf profile`. Private to the CLI. */
#ifndef SH_CLI_COLSTATS_H
#define SH_CLI_COLSTATS_H

#include "sheaf.h"

#include <stddef.h>
#include <stdint.h>

/* Summary of one column. Which fields are meaningful depends on the type:
 *   all:        count (present values), missing
 *   float64:    mean, std, min, max, q[0..2] (25%, 50%, 75%)
 *   int64:      mean, std, q[0..2] as doubles; imin, imax exact
 *   timestamp:  in the column's unit: tmean (rounded), std, imin, imax, tq[0..2]
 *   string:     unique, top (a code, -1 when count = 0), top_freq
 * Statistics of an empty selection (count = 0) are NaN, and std is NaN
 * when count < 2, as in pandas. */
typedef struct sh_colstats {
    sheaf_type type;
    sheaf_time_unit unit;
    size_t count;
    size_t missing;
    double mean;
    double std;
    double min;
    double max;
    double q[3];
    int64_t imin;
    int64_t imax;
    int64_t tmean;
    int64_t tq[3];
    size_t unique;
    int32_t top;
    size_t top_freq;
} sh_colstats;

/* The quantile levels q[] and tq[] hold. */
#define SH_COLSTATS_NQ 3
extern const double sh_colstats_levels[SH_COLSTATS_NQ];

/* Fills out[0..num_columns) for every column of frame, using ctx's threads
 * over the frame's partitions. Moments come from per-partition count, mean
 * and M2 merged with Chan et al.'s update; quantiles are exact (numpy's
 * "linear" rule, as pandas' describe). Statuses: NOMEM, or what the
 * executor reports; the message names the failure. */
sheaf_status sh_colstats_compute(const sheaf_ctx *ctx, const sheaf_frame *frame, sh_colstats *out);

#endif
