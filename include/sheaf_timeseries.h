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

/* ---- vector autoregression (statsmodels' VAR) ------------------------------ */

/* Deterministic terms (statsmodels' trend names). The trend counts rows from
 * 1 at the first row of the series, as statsmodels' VAR does. */
typedef enum sheaf_trend {
    SHEAF_TREND_N = 0,  /* none */
    SHEAF_TREND_C = 1,  /* constant */
    SHEAF_TREND_CT = 2, /* constant and linear trend */
    SHEAF_TREND_CTT = 3 /* constant, linear and quadratic trend */
} sheaf_trend;

/* A fitted VAR(p) (opaque, immutable). */
typedef struct sheaf_var sheaf_var;

/* Fits y_t = trend terms + A_1 y_{t-1} + ... + A_p y_{t-p} + u_t by OLS on
 * the rows t = p..T-1 of y (T x k, leading dimension ld >= k), equation by
 * equation from one merged lag factor, as statsmodels' VAR(y).fit(p, trend)
 * (0.13). p >= 1. Statuses: INVALID_ARGUMENT (NULL, p = 0, k = 0, a bad
 * trend, fewer rows than parameters: the message names what p needs),
 * DIMENSION (ld < k), NONFINITE naming the series and row, SINGULAR naming
 * the regressor (a constant series beside a constant, collinear series),
 * NOMEM. */
SHEAF_API sheaf_status sheaf_var_fit(const sheaf_ctx *ctx, const double *y, size_t T, size_t k,
                                     size_t ld, size_t p, sheaf_trend trend, sheaf_var **out);
SHEAF_API void sheaf_var_free(sheaf_var *var);

/* Shape: k (equations), p (lag order), nobs = T - p, number of trend terms,
 * df_resid = nobs - (trend terms + k p). */
SHEAF_API size_t sheaf_var_neqs(const sheaf_var *var);
SHEAF_API size_t sheaf_var_k_ar(const sheaf_var *var);
SHEAF_API size_t sheaf_var_nobs(const sheaf_var *var);
SHEAF_API size_t sheaf_var_k_trend(const sheaf_var *var);
SHEAF_API size_t sheaf_var_df_resid(const sheaf_var *var);

/* statsmodels' .params, .bse, .tvalues, .pvalues (normal p-values, as
 * statsmodels gives): (trend terms + k p) x k row-major - rows the trend
 * terms, then lag 1's k series, lag 2's, ...; column i is equation i. Each
 * out may be NULL. */
SHEAF_API void sheaf_var_params(const sheaf_var *var, double *params, double *bse, double *tvalues,
                                double *pvalues);
/* .coefs: p x k x k, coefs[(l k + i) k + j] = effect of y_j at lag l + 1 on
 * equation i. */
SHEAF_API void sheaf_var_coefs(const sheaf_var *var, double *coefs);
/* .sigma_u (residual covariance over df_resid) and .sigma_u_mle (over nobs),
 * k x k each (either may be NULL). */
SHEAF_API void sheaf_var_sigma_u(const sheaf_var *var, double *sigma_u, double *sigma_u_mle);

/* .llf, .aic, .bic, .hqic, .fpe and .detomega (det sigma_u). */
typedef struct sheaf_var_info {
    double llf, aic, bic, hqic, fpe, detomega;
} sheaf_var_info;
SHEAF_API void sheaf_var_info_criteria(const sheaf_var *var, sheaf_var_info *out);

#ifdef __cplusplus
}
#endif
#endif
