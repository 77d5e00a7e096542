/* sheaf_var.h - vector autoregression (statsmodels' VAR): fit by OLS from
 * one merged lag factor (include/sheaf_timeseries.h describes the layout of
 * series and the factor), lag-order selection, forecasts, impulse
 * responses, variance decompositions and the tests on a fitted model. The
 * trend of a VAR counts rows from 1 at the first row of the series, as
 * statsmodels' VAR does. */
#ifndef SHEAF_VAR_H
#define SHEAF_VAR_H

#include "sheaf_timeseries.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A fitted VAR(p) (opaque, immutable). */
typedef struct sheaf_var sheaf_var;

/* Fits y_t = trend terms + A_1 y_{t-1} + ... + A_p y_{t-p} + u_t by OLS on
 * the rows t = p..T-1 of y (T x k, leading dimension ld >= k), equation by
 * equation from one merged lag factor, as statsmodels' VAR(y).fit(p, trend)
 * (0.13). p = 0 (a mean model, which statsmodels' ic choice can pick) needs
 * a trend term. Statuses: INVALID_ARGUMENT (NULL, p = 0 with trend n, k = 0, a bad
 * trend, fewer rows than parameters: the message names what p needs),
 * DIMENSION (ld < k), NONFINITE naming the series and row, SINGULAR naming
 * the regressor (a constant series beside a constant, collinear series),
 * NOMEM. */
SHEAF_API sheaf_status sheaf_var_fit(const sheaf_ctx *ctx, const double *y, size_t T, size_t k,
                                     size_t ld, size_t p, sheaf_trend trend, sheaf_var **out);
SHEAF_API void sheaf_var_free(sheaf_var *var);

/* sheaf_var_fit with kx exogenous series at lag 0 (statsmodels' VAR(y,
 * exog)): exog is T x kx (leading dimension ldx >= kx, rows aligned with y;
 * copied, as the residuals need it); params rows are then the trend terms,
 * the kx exogenous coefficients, then the lags, and every count statsmodels
 * calls k_exog (information criteria, df_resid, the causality and IRF
 * covariance blocks) includes them. kx = 0 is sheaf_var_fit. Statuses as
 * sheaf_var_fit, and NONFINITE naming the exogenous column and row,
 * DIMENSION (ldx < kx), SINGULAR for an exogenous column collinear with the
 * trend terms (a constant beside a constant). */
SHEAF_API sheaf_status sheaf_var_fit_exog(const sheaf_ctx *ctx, const double *y, size_t T, size_t k,
                                          size_t ld, const double *exog, size_t kx, size_t ldx,
                                          size_t p, sheaf_trend trend, sheaf_var **out);

/* Shape: k (equations), p (lag order), nobs = T - p, number of trend terms,
 * number of exogenous series, df_resid = nobs - (trend terms + exogenous
 * series + k p). */
SHEAF_API size_t sheaf_var_neqs(const sheaf_var *var);
SHEAF_API size_t sheaf_var_k_ar(const sheaf_var *var);
SHEAF_API size_t sheaf_var_nobs(const sheaf_var *var);
SHEAF_API size_t sheaf_var_k_trend(const sheaf_var *var);
SHEAF_API size_t sheaf_var_k_exog(const sheaf_var *var);
SHEAF_API size_t sheaf_var_df_resid(const sheaf_var *var);

/* statsmodels' .params, .bse, .tvalues, .pvalues (normal p-values, as
 * statsmodels gives): (trend terms + exogenous series + k p) x k
 * row-major - rows the trend terms, the exogenous series, then lag 1's k
 * series, lag 2's, ...; column i is equation i. Each out may be NULL. */
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

/* ---- lag-order selection ---------------------------------------------------- */

/* maxlags for sheaf_var_select_order: statsmodels' default,
 * round(12 (T / 100)^(1/4)) capped at the largest estimable order. */
#define SHEAF_VAR_MAXLAGS_DEFAULT ((size_t)-1)

/* Columns of the select_order table and indices of the chosen orders. */
enum { SHEAF_VAR_AIC = 0, SHEAF_VAR_BIC = 1, SHEAF_VAR_HQIC = 2, SHEAF_VAR_FPE = 3 };

/* statsmodels' VAR(y).select_order(maxlags, trend): every order p = 0..maxlags
 * fitted on the same rows t = maxlags..T-1, all from one merged factor.
 * ics ((maxlags + 1) x 4, caller-allocated, row p = [aic, bic, hqic, fpe];
 * row 0 is NaN for trend n, where statsmodels starts at p = 1) and
 * selected[4] (the order minimising each criterion, the first on ties; may
 * be NULL). *maxlags_used (may be NULL) receives the maxlags applied, which
 * sizes ics: pass SHEAF_VAR_MAXLAGS_DEFAULT with ics = NULL first to learn
 * it. Statuses: INVALID_ARGUMENT (NULL y, k = 0, bad trend, maxlags above
 * the largest estimable order (T - k - trend terms) / (1 + k): the message
 * names both), DIMENSION (ld < k), NONFINITE naming the series and row,
 * SINGULAR naming the regressor, NOMEM. */
SHEAF_API sheaf_status sheaf_var_select_order(const sheaf_ctx *ctx, const double *y, size_t T,
                                              size_t k, size_t ld, size_t maxlags,
                                              sheaf_trend trend, double *ics, size_t *selected,
                                              size_t *maxlags_used);

/* sheaf_var_select_order with kx exogenous series at lag 0 (exog T x kx,
 * leading dimension ldx), as statsmodels' VAR(y, exog).select_order: they
 * are in every order's regressors and counted in the criteria; order 0 is
 * fitted whenever there is a trend or an exogenous series. */
SHEAF_API sheaf_status sheaf_var_select_order_exog(const sheaf_ctx *ctx, const double *y, size_t T,
                                                   size_t k, size_t ld, const double *exog,
                                                   size_t kx, size_t ldx, size_t maxlags,
                                                   sheaf_trend trend, double *ics, size_t *selected,
                                                   size_t *maxlags_used);

/* ---- forecasts, impulse responses, variance decomposition ----------------- */

/* Point forecasts for steps 1..steps after the rows y_last (n_last x k,
 * leading dimension ld; its last p rows are used, n_last >= p), as
 * statsmodels' res.forecast(y_last, steps): the trend continues from the
 * fitted sample (row T of the series has trend value T + 1). forecast:
 * steps x k, caller-allocated. INVALID_ARGUMENT (NULL, steps = 0,
 * n_last < p), DIMENSION (ld < k), NONFINITE naming the row and series. */
SHEAF_API sheaf_status sheaf_var_forecast(const sheaf_var *var, const double *y_last, size_t n_last,
                                          size_t ld, size_t steps, double *forecast);

/* sheaf_var_forecast for a VAR with exogenous series: exog_future (steps x
 * kx, leading dimension ldx) holds their values at the forecast rows, as
 * statsmodels' forecast(y, steps, exog_future). INVALID_ARGUMENT when the
 * VAR has exogenous series and exog_future is NULL (plain
 * sheaf_var_forecast then fails the same way), DIMENSION (ldx < kx),
 * NONFINITE naming the row and column. */
SHEAF_API sheaf_status sheaf_var_forecast_exog(const sheaf_var *var, const double *y_last,
                                               size_t n_last, size_t ld, const double *exog_future,
                                               size_t ldx, size_t steps, double *forecast);

/* res.forecast_interval(y_last, steps, alpha): the forecast and the bounds
 * forecast -/+ z_{1 - alpha/2} sqrt(diag mse(h)) (steps x k each,
 * caller-allocated; lower/upper may be NULL). alpha in (0, 1), else
 * INVALID_ARGUMENT; other statuses as sheaf_var_forecast. */
SHEAF_API sheaf_status sheaf_var_forecast_interval(const sheaf_var *var, const double *y_last,
                                                   size_t n_last, size_t ld, size_t steps,
                                                   double alpha, double *forecast, double *lower,
                                                   double *upper);
/* The same with the exogenous series' future values (as sheaf_var_forecast_exog). */
SHEAF_API sheaf_status sheaf_var_forecast_interval_exog(
    const sheaf_var *var, const double *y_last, size_t n_last, size_t ld, const double *exog_future,
    size_t ldx, size_t steps, double alpha, double *forecast, double *lower, double *upper);

/* res.mse(steps): the forecast-error covariances sum_{i<h} Phi_i sigma_u
 * Phi_i' for h = 1..steps (steps x k x k, caller-allocated; no estimation
 * uncertainty, as statsmodels' default). INVALID_ARGUMENT on steps = 0 or
 * NULL. */
SHEAF_API sheaf_status sheaf_var_mse(const sheaf_var *var, size_t steps, double *mse);

/* res.irf(periods): the moving-average coefficients Phi_h (irfs) and
 * Phi_h P with P = chol(sigma_u) lower (orth_irfs), h = 0..periods, each
 * (periods + 1) x k x k with [h][response][impulse]; stderr and orth_stderr
 * are statsmodels' asymptotic standard errors (irf.stderr(orth=False/True),
 * Lutkepohl 3.7.5 and 3.7.8; h = 0 of the plain ones is 0). Every output is
 * caller-allocated and may be NULL. INVALID_ARGUMENT (NULL var), SINGULAR
 * when sigma_u is not positive definite (an orthogonal output asked), NOMEM. */
SHEAF_API sheaf_status sheaf_var_irf(const sheaf_var *var, size_t periods, double *irfs,
                                     double *orth_irfs, double *stderr, double *orth_stderr);

/* res.fevd(periods).decomp: decomp (k x periods x k, caller-allocated,
 * [variable][h - 1][shock]) = the share of shock j in the h-step forecast
 * error variance of variable i (Cholesky order of the series; rows sum to
 * 1). INVALID_ARGUMENT (NULL, periods = 0), SINGULAR (sigma_u not positive
 * definite), NOMEM. */
SHEAF_API sheaf_status sheaf_var_fevd(const sheaf_var *var, size_t periods, double *decomp);

/* res.roots: the k p inverse eigenvalues of the companion matrix (roots of
 * det(I - A_1 z - ... - A_p z^p)) as real and imaginary parts (k p each,
 * caller-allocated), ordered by decreasing modulus; *stable (may be NULL)
 * = res.is_stable(): every companion eigenvalue has modulus <= 1. A zero
 * eigenvalue gives an infinite root. INVALID_ARGUMENT (NULL, p = 0),
 * INTERNAL on a LAPACK failure, NOMEM. */
SHEAF_API sheaf_status sheaf_var_roots(const sheaf_var *var, double *re, double *im, int *stable);

/* ---- tests on a fitted VAR ------------------------------------------------- */

/* A test's result, statsmodels' CausalityTestResults / WhitenessTestResults
 * / NormalityTestResults fields: statistic, p-value, critical value at
 * signif, degrees of freedom (df_denom is NaN for chi-square tests). */
typedef struct sheaf_var_test {
    double statistic, pvalue, crit_value, df_num, df_denom;
} sheaf_var_test;

/* Which distribution test_causality refers its statistic to. */
typedef enum sheaf_var_test_kind {
    SHEAF_VAR_TEST_F = 0,   /* Wald / restrictions ~ F(restrictions, k df_resid) */
    SHEAF_VAR_TEST_WALD = 1 /* Wald ~ chi2(restrictions) */
} sheaf_var_test_kind;

/* res.test_causality(caused, causing, kind, signif): Wald test that the lags
 * of the series causing[0..n_causing) have zero coefficients in the
 * equations caused[0..n_caused) (series indices; n_causing = 0 means every
 * series not caused). INVALID_ARGUMENT (NULL, empty or repeated or
 * out-of-range index naming it, p = 0,
 * signif outside (0, 1)), SINGULAR, NOMEM. */
SHEAF_API sheaf_status sheaf_var_test_causality(const sheaf_var *var, const size_t *caused,
                                                size_t n_caused, const size_t *causing,
                                                size_t n_causing, sheaf_var_test_kind kind,
                                                double signif, sheaf_var_test *out);

/* res.test_inst_causality(causing, signif): Wald test that the residual
 * covariances between the series causing[0..n) and every other series are
 * zero; chi2(n (k - n)). For one causing series this is statsmodels' test;
 * for several it tests the whole block (statsmodels pairs the indices
 * elementwise there). Statuses as sheaf_var_test_causality. */
SHEAF_API sheaf_status sheaf_var_test_inst_causality(const sheaf_var *var, const size_t *causing,
                                                     size_t n_causing, double signif,
                                                     sheaf_var_test *out);

/* The residuals y_t - fitted (nobs x k, caller-allocated) of the fit on
 * the same y (T x k, leading dimension ld): T must be the fitted T, else
 * DIMENSION. NONFINITE naming the row and series, NOMEM. */
SHEAF_API sheaf_status sheaf_var_resid(const sheaf_ctx *ctx, const sheaf_var *var, const double *y,
                                       size_t T, size_t ld, double *resid);

/* res.test_whiteness(nlags, signif, adjusted) on the residuals of the fit
 * on y (the same y as sheaf_var_resid): the Portmanteau statistic
 * nobs sum_{h=1}^{nlags} tr(C_h' C_0^-1 C_h C_0^-1) (each term times
 * nobs / (nobs - h) when adjusted), chi2(k^2 (nlags - p)). INVALID_ARGUMENT
 * (nlags <= p, nlags >= nobs), SINGULAR (C_0 singular), as sheaf_var_resid
 * otherwise. */
SHEAF_API sheaf_status sheaf_var_test_whiteness(const sheaf_ctx *ctx, const sheaf_var *var,
                                                const double *y, size_t T, size_t ld, size_t nlags,
                                                int adjusted, double signif, sheaf_var_test *out);

/* res.test_normality(signif) on the residuals of the fit on y: the
 * Jarque-Bera-type omnibus statistic of Lutkepohl (skewness plus kurtosis
 * of the residuals whitened by the Cholesky factor of their MLE
 * covariance), chi2(2 k). Statuses as sheaf_var_test_whiteness. */
SHEAF_API sheaf_status sheaf_var_test_normality(const sheaf_ctx *ctx, const sheaf_var *var,
                                                const double *y, size_t T, size_t ld, double signif,
                                                sheaf_var_test *out);

#ifdef __cplusplus
}
#endif
#endif
