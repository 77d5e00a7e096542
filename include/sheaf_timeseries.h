/* sheaf_timeseries.h - time-series statistics from merged lag factors:
 * Granger causality tests (statsmodels' grangercausalitytests, pairwise and
 * for every ordered pair of many series at once). Series are row-major
 * T x k arrays (row t = time t, leading dimension ld >= k); every regression
 * is solved from the R factor of the lagged design, computed once on
 * row-range partitions (each reading the few rows before its start) and
 * merged in partition order, so results are bit-identical for any thread
 * count. */
#ifndef SHEAF_TIMESERIES_H
#define SHEAF_TIMESERIES_H

#include "sheaf_core.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Deterministic terms (statsmodels' trend names), shared by VAR, ADF and
 * the Granger variants: none, constant, constant and linear trend, constant,
 * linear and quadratic trend. */
typedef enum sheaf_trend {
    SHEAF_TREND_N = 0,
    SHEAF_TREND_C = 1,
    SHEAF_TREND_CT = 2,
    SHEAF_TREND_CTT = 3
} sheaf_trend;

/* The four tests grangercausalitytests reports for one lag L (statsmodels
 * 0.13): y_t regressed on a constant and y's own lags 1..L (restricted) and
 * also x's lags 1..L (unrestricted), on the nobs = T - L rows t = L..T-1. */
typedef struct sheaf_granger_lag {
    size_t lag, nobs;
    double ssr_ftest[4];    /* F, p-value, df_denom (nobs - 2L - 1), df_num (L) */
    double ssr_chi2test[3]; /* nobs (ssr_r - ssr_u) / ssr_u, p-value, df (L) */
    double lrtest[3];       /* nobs log(ssr_r / ssr_u), p-value, df (L) */
    double params_ftest[4]; /* Wald F of the L lags of x, p-value, df_denom, df_num */
    double ssr_restricted, ssr_unrestricted;
} sheaf_granger_lag;

/* Does column 1 of x Granger-cause column 0? x is T x 2 (leading dimension
 * ld >= 2), as statsmodels' grangercausalitytests(x, maxlag) reads it; one
 * result per lag in lags[0 .. n_lags) (each >= 1; statsmodels' maxlag = m is
 * lags 1..m), written to out (caller-allocated). Statuses: INVALID_ARGUMENT
 * (NULL, n_lags = 0, a lag of 0, too few rows: the message names the lag and
 * the rows it needs, T > 3L + 1), NONFINITE naming the column and row,
 * SINGULAR naming the series when a regression is collinear (a constant
 * series), NOMEM. */
SHEAF_API sheaf_status sheaf_granger_tests(const sheaf_ctx *ctx, const double *x, size_t T,
                                           size_t ld, const size_t *lags, size_t n_lags,
                                           sheaf_granger_lag *out);

/* Which statistic sheaf_granger_matrix returns. */
typedef enum sheaf_granger_test {
    SHEAF_GRANGER_SSR_FTEST = 0,
    SHEAF_GRANGER_SSR_CHI2TEST = 1,
    SHEAF_GRANGER_LRTEST = 2,
    SHEAF_GRANGER_PARAMS_FTEST = 3
} sheaf_granger_test;

/* Every ordered pair (caused i, causing j), i != j, of the k columns of y
 * (T x k, leading dimension ld) at every lag 1..maxlag, from one merged
 * factor: statistics and pvalues (each k x k x maxlag, caller-allocated,
 * either may be NULL) at [(i k + j) maxlag + lag - 1], equal to
 * grangercausalitytests(y[:, [i, j]], maxlag)[lag][0][test]; NaN on the
 * diagonal. Statuses as sheaf_granger_tests (k >= 2). */
SHEAF_API sheaf_status sheaf_granger_matrix(const sheaf_ctx *ctx, const double *y, size_t T,
                                            size_t k, size_t ld, size_t maxlag,
                                            sheaf_granger_test test, double *statistics,
                                            double *pvalues);

#ifdef __cplusplus
}
#endif
#endif
