/* var_internal.h - the fitted VAR shared by the files that analyse it
 * (internal): var_fit.c fills it, var_select.c, var_forecast.c, var_irf.c,
 * var_roots.c and var_tests.c read it. */
#ifndef SH_TIMESERIES_VAR_INTERNAL_H
#define SH_TIMESERIES_VAR_INTERNAL_H

#include "core/internal.h"
#include "sheaf_var.h"
#include "timeseries/lagged.h"

#include <stddef.h>

struct sheaf_var {
    size_t k, p, T, nobs, ntrend;
    size_t kx;    /* exogenous series (lag 0), after the trend terms in params */
    double *exog; /* their values, T x kx (a copy, NULL when kx = 0) */
    double *params, *bse, *tvalues, *pvalues; /* m x k each, m = ntrend + kx + k p */
    double *sigma_u, *sigma_u_mle;            /* k x k each */
    double *zzinv;                            /* (Z'Z)^-1, m x m, both triangles */
    sheaf_var_info info;
};

/* Deterministic and exogenous regressors (statsmodels' k_exog), which come
 * before the lags in params. */
static inline size_t sh_var_ndet(const sheaf_var *v) { return v->ntrend + v->kx; }

/* Regressors per equation: trend terms, exogenous series and k p lags. */
static inline size_t sh_var_width(const sheaf_var *v) { return sh_var_ndet(v) + v->k * v->p; }

/* Coefficient of series j at lag l (1-based) in equation i. */
static inline double sh_var_coef(const sheaf_var *v, size_t l, size_t i, size_t j)
{
    return v->params[(sh_var_ndet(v) + (l - 1) * v->k + j) * v->k + i];
}

/* The checks every entry taking series makes: y not NULL, k > 0
 * (INVALID_ARGUMENT), ld >= k (DIMENSION), a known trend; messages start
 * with caller. */
sheaf_status sh_var_check_args(const double *y, size_t k, size_t ld, sheaf_trend trend,
                               const char *caller);

/* The lagged design of a VAR (or of select_order's largest order): the
 * factor reads [y | exog] with max_lag lags on the rows max_lag..T-1 (a
 * T x (k + kx) copy when there are exogenous series, whose lag-0 columns
 * are regressors and whose lags go unused). */
typedef struct sh_var_design {
    sh_lagged lagged;
    double *stacked; /* owned; NULL without exogenous series */
    size_t k, kx;
} sh_var_design;

/* Checks and sets up the design: SINGULAR naming a constant series beside
 * a constant term (when max_lag > 0), NONFINITE naming an exogenous column
 * and row, DIMENSION (ldx < kx), INVALID_ARGUMENT (exog NULL with kx > 0),
 * NOMEM. Release with sh_var_design_free. */
sheaf_status sh_var_design_init(sh_var_design *design, const double *y, size_t T, size_t k,
                                size_t ld, const double *exog, size_t kx, size_t ldx,
                                size_t max_lag, sheaf_trend trend, const char *caller);
void sh_var_design_free(sh_var_design *design);

/* The factor's columns of an order-p VAR: cols[0 .. m) the regressors in
 * params' order (trend terms, exogenous series, lag 1's k series, ...),
 * cols[m .. m + k) the targets y_t; m = trend terms + kx + k p. */
void sh_var_design_columns(const sh_var_design *design, size_t p, size_t *cols);

/* The moving-average coefficients Phi_0 = I, ..., Phi_periods ((periods + 1)
 * x k x k, [h][i][j]) by Phi_h = sum_{l=1}^{min(h,p)} A_l Phi_{h-l}. */
void sh_var_ma_rep(const sheaf_var *v, size_t periods, double *phi);

/* The lower Cholesky factor of sigma_u (k x k, row-major, zero above the
 * diagonal); SINGULAR naming the failing minor. */
sheaf_status sh_var_sigma_chol(const sheaf_var *v, double *chol, const char *caller);

/* Upper-tail p-value and critical value of chi2(df) (df_denom NaN) or
 * F(df, df_denom) at statistic; fills out. */
void sh_var_test_dist(double statistic, double df, double df_denom, double signif,
                      sheaf_var_test *out);

#endif
