/* lagged.h - the merged statistics of every lag regression of a
 * multivariate series (internal): the R factor of the lagged design
 *   z_t = [deterministic terms, y_t (k), y_{t-1} (k), ..., y_{t-P} (k)],
 * t = t0 .. T-1, computed on row ranges in parallel (each partition reads
 * the P rows before its first - its halo - so no lag crosses a boundary
 * unseen) and merged in a fixed tree (src/linalg/qr.h). VAR equations,
 * restricted and unrestricted Granger regressions for every pair and lag,
 * and information criteria are all solved from sub-blocks of this one
 * factor. */
#ifndef SH_TIMESERIES_LAGGED_H
#define SH_TIMESERIES_LAGGED_H

#include "core/internal.h"

#include <stddef.h>

/* Deterministic terms, statsmodels' names: none, constant, constant and
 * trend, constant, trend and squared trend. The trend at row t is
 * t - trend_origin + 1: statsmodels' VAR numbers it from the first row of
 * the series (origin 0), its select_order from the first row of the data it
 * fits (origin maxlags - p). */
typedef enum sh_trend {
    SH_TREND_N = 0,
    SH_TREND_C = 1,
    SH_TREND_CT = 2,
    SH_TREND_CTT = 3
} sh_trend;

typedef struct sh_lagged {
    const double *y; /* T x k, row-major, leading dimension ld */
    size_t T, k, ld;
    size_t max_lag; /* P */
    size_t t0;      /* first row of the sample, >= P */
    sh_trend trend;
    size_t trend_origin; /* the row whose trend value is 1 */
    /* Nonzero: y_t's k columns come after every lag's instead of before
     * them, so the regressors of every order p (trend terms and lags 1..p)
     * are a prefix of the columns and each regression on them is read off
     * the factor directly (sh_qr_prefix_fit in src/linalg/qr.h). */
    int current_last;
} sh_lagged;

/* Columns of z: trend terms, then y_t, then each lag's k values (y_t after
 * the lags when current_last). */
size_t sh_lagged_width(const sh_lagged *spec);
/* Column of series i at lag l (0 = the current value) in z. */
size_t sh_lagged_column(const sh_lagged *spec, size_t i, size_t lag);

/* r[0 .. d^2) (column-major, d = sh_lagged_width) := the R factor
 * (non-negative diagonal) of the lagged design over rows t0 .. T-1, on
 * n_parts row ranges of the sample in parallel (fewer, at least one, where
 * a range would hold under 3 d rows: merging costs more than such partitions
 * save); r must hold 4 d^2 doubles (the rest is the merge's scratch).
 * Bit-identical for any thread count; for other partition counts equal up to
 * rounding. INVALID_ARGUMENT (t0 < P, t0 >= T, NULL), NONFINITE naming the
 * series and row of a NaN/Inf the sample or its halo reads, NOMEM. */
sheaf_status sh_lagged_qr(const sheaf_ctx *ctx, const sh_lagged *spec, size_t n_parts, double *r,
                          const char *caller);

#endif
