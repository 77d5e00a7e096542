/* arima_internal.h - what the ARIMA files share (internal): the model's
 * dimensions, its state-space form with a filter workspace sized once per
 * fit, the parameter transforms and the conditional sum of squares.
 *
 * Symbols: n observations y_t; kreg regression columns x_t (trend terms,
 * then exogenous); u_t = y_t - x_t'beta; the expanded AR polynomial
 * 1 - sum_{i=1}^{pe} phi_i L^i = phi(L) Phi(L^s) and MA polynomial
 * 1 + sum_{j=1}^{qe} theta_j L^j = theta(L) Theta(L^s); kd = d + sD
 * differencing states; k = max(pe, qe + 1) ARMA states; m = kd + k. */
#ifndef SH_TIMESERIES_ARIMA_INTERNAL_H
#define SH_TIMESERIES_ARIMA_INTERNAL_H

#include "core/internal.h"
#include "sheaf_arima.h"

#include <stdbool.h>
#include <stddef.h>

/* statsmodels' ssm.initial_variance: the absolute variance of every
 * approximately diffuse state. */
#define SH_ARIMA_DIFFUSE_VAR 1e6

/* statsmodels' KalmanFilter tolerance: the filter counts as converged once
 * the summed squared change of the predicted state covariance is below it. */
#define SH_ARIMA_STEADY_TOL 1e-19

/* The smooth filter's steady-state test: the predicted covariance moved by
 * less than this fraction of its Frobenius norm. Freezing then changes the
 * log-likelihood by ~1e-13 of the data's scale or less - far below what
 * the finite-difference gradients resolve - where statsmodels' absolute
 * 1e-19 jumps by ~1e-9 relative on small-scale series. */
#define SH_ARIMA_SMOOTH_TOL 1e-14

/* Sizes derived from a spec and kx. */
typedef struct sh_arima_dims {
    size_t ktr, kx, kreg; /* trend terms, exogenous, both */
    size_t np;            /* parameters, sigma2 included */
    size_t pe, qe;        /* expanded AR and MA degrees: p + sP, q + sQ */
    size_t kd, k, m;      /* differencing, ARMA and all states */
    size_t burn;          /* log-likelihood terms dropped at the start */
    /* offsets of the blocks in the parameter vector */
    size_t o_ar, o_ma, o_sar, o_sma, o_sigma2;
} sh_arima_dims;

/* Checks spec (and kx) and fills dims; INVALID_ARGUMENT naming who, the
 * field and its value. */
sheaf_status sh_arima_dims_init(const char *who, const sheaf_arima_spec *spec, size_t kx,
                                sh_arima_dims *dims);

/* The data one fit or likelihood evaluation works on (borrowed pointers). */
typedef struct sh_arima_data {
    const double *y;
    size_t n;
    const double *exog; /* n x kx, leading dimension ldx */
    size_t ldx;
    size_t n_obs; /* non-missing y */
} sh_arima_data;

/* Checks y (NaN allowed, Inf not) and exog (finite), counts observations;
 * INVALID_ARGUMENT for NULL or all-missing, NONFINITE naming the index. */
sheaf_status sh_arima_data_init(const char *who, const double *y, size_t n, const double *exog,
                                size_t kx, size_t ldx, sh_arima_data *data);

/* Regression column j < kreg at time t (0-based; may be >= n for
 * forecasts, with exog rows taken from exog_rows, row 0 = time n). */
double sh_arima_regressor(const sheaf_arima_spec *spec, const sh_arima_dims *dims,
                          const double *exog, size_t ldx, size_t t, size_t j);

/* The expanded polynomials of params (statsmodels' order): phi[pe] and
 * theta[qe], coefficients of L^1.. as defined above. */
void sh_arima_expand(const sheaf_arima_spec *spec, const sh_arima_dims *dims, const double *params,
                     double *phi, double *theta);

/* Differences v (n values) in place as the model does: d ordinary, then D
 * seasonal differences; the first kd values are left partly differenced. */
void sh_arima_difference(const sheaf_arima_spec *spec, double *v, size_t n);

/* psi_0..psi_{nl-1} and autocovariances gamma_0..gamma_{nl-1} of the
 * ARMA(pe, qe) 1 - sum phi_i L^i, 1 + sum theta_j L^j with innovation
 * variance sigma2 (arima_acov.c); nl >= max(pe, qe) + 1; sys: scratch of
 * SH_ARIMA_ACOV_WORK(pe) doubles; false when the AR system is singular. */
#define SH_ARIMA_ACOV_WORK(pe) (((pe) + 1) * ((pe) + 2))
bool sh_arima_arma_acov(const double *phi, size_t pe, const double *theta, size_t qe, double sigma2,
                        size_t nl, double *psi, double *acov, double *sys);

/* The exact likelihood of the differenced model (arima_differenced.c): the
 * ML optimiser's objective where it applies. */
typedef struct sh_arima_diff sh_arima_diff;
typedef struct sh_arima_filter sh_arima_filter; /* below */

/* true when the differenced likelihood stands in for statsmodels' in the
 * optimiser: enforce_stationarity on and no missing value. */
bool sh_arima_diff_applies(const sheaf_arima_spec *spec, const sh_arima_data *data);
/* Differences y and the regressors once (INVALID_ARGUMENT when n <= kd,
 * NOMEM); free with sh_arima_diff_free. */
sheaf_status sh_arima_diff_create(const char *who, const sheaf_arima_spec *spec,
                                  const sh_arima_dims *dims, const sh_arima_data *data,
                                  sh_arima_diff **out);
void sh_arima_diff_free(sh_arima_diff *f);
/* The differenced observations (nw = n - kd), the differenced y (w, nw
 * values, NaN where a difference meets a missing y) and regressors (nw x
 * kreg, column j at j nw), owned by f. */
size_t sh_arima_diff_nobs(const sh_arima_diff *f);
const double *sh_arima_diff_w(const sh_arima_diff *f);
const double *sh_arima_diff_x(const sh_arima_diff *f);
/* u = w - x beta at params' beta (nw values owned by f, valid until the
 * next call on f). */
const double *sh_arima_diff_residual(sh_arima_diff *f, const double *params);
/* One pass at params (sigma2 ignored): sum log F_t and sum v_t^2 / F_t at
 * sigma2 = 1; false when the AR part is not stationary or F degenerates. */
bool sh_arima_diff_run(sh_arima_diff *f, const double *params, double *sum_log_f, double *sum_v2_f);
/* The log-likelihood at params (sigma2 included); false where undefined. */
bool sh_arima_diff_loglike(sh_arima_diff *f, const double *params, double *llf);
/* statsmodels' log-likelihood at params through the differenced model:
 * the filter's diffuse phase (sh_arima_filter_diffuse_start), then the
 * k-state ARMA filter of u with the smooth steady-state freeze
 * (SH_ARIMA_SMOOTH_TOL); the optimiser's polish and the Hessian use it.
 * With kd = 0 it is sh_arima_diff_loglike. false where undefined. */
bool sh_arima_diff_exact(sh_arima_diff *f, sh_arima_filter *filter, const double *params,
                         double *llf);
/* The log-likelihood maximised over sigma2 at params' other values, and
 * that sigma2; false where undefined. */
bool sh_arima_diff_profile(sh_arima_diff *f, const double *params, double *llf, double *sigma2);

/* The Kalman filter of the state-space form (arima_kalman.c), all memory
 * allocated once by sh_arima_filter_create. */

sheaf_status sh_arima_filter_create(const char *who, const sheaf_arima_spec *spec,
                                    const sh_arima_dims *dims, const sh_arima_data *data,
                                    sh_arima_filter **out);
void sh_arima_filter_free(sh_arima_filter *f);

/* Chooses the steady-state test. Off (after create): statsmodels' - an
 * absolute tolerance, models without regressors only - which freezes the
 * filter at a time that jumps with the parameters, so the log-likelihood
 * steps by ~1e-9 relative; the reported values use it. On: a relative
 * tolerance (SH_ARIMA_SMOOTH_TOL), for regression models too (P does not
 * depend on the regression); the optimiser and the Hessian use it. */
void sh_arima_filter_smooth(sh_arima_filter *f, bool smooth);

/* What one filter pass reports. v, F, pred: n values each or NULL
 * (one-step errors and their variances, NaN at missing y; the one-step
 * predictions x_t'beta + Z a_t, also at missing y). a_end (m), P_end (m x m):
 * the predicted state and covariance for time n, or NULL. */
typedef struct sh_arima_filter_out {
    double llf;
    double *v, *F, *pred;
    double *a_end, *P_end;
} sh_arima_filter_out;

/* Runs the filter at params (statsmodels' order, constrained). Fails
 * (INVALID_ARGUMENT naming who) for sigma2 <= 0, an AR polynomial that is
 * not stationary while enforce_stationarity is on, or a forecast variance
 * F_t <= 0 or not finite (the time named). */
sheaf_status sh_arima_filter_run(sh_arima_filter *f, const double *params,
                                 sh_arima_filter_out *out);

/* The start of the differenced model's exact continuation: runs the
 * filter's first kd steps (statsmodels' diffuse phase; y observed there)
 * at params and writes the ARMA block of the predicted state (k) and
 * covariance (k x k) for time kd. After kd observations the differencing
 * states are exact sums of past values, so from there statsmodels' filter
 * is the k-state ARMA filter of the differenced u from this start. Fails
 * as sh_arima_filter_run. */
sheaf_status sh_arima_filter_diffuse_start(sh_arima_filter *f, const double *params, double *a_arma,
                                           double *P_arma);

/* Loads params into the filter's T and R (sh_arima_filter_run does it
 * itself; the forecasts need it before sh_arima_filter_predict). */
void sh_arima_filter_load(sh_arima_filter *f, const double *params);
/* One prediction step of the loaded model: a <- T a, P <- T P T' +
 * sigma2 R R' (scratch: m + 2 m^2 doubles); Z a and Z P Z'. */
void sh_arima_filter_predict(const sh_arima_filter *f, const double *params, double *a, double *P,
                             double *scratch);
double sh_arima_filter_zdot(const sh_arima_filter *f, const double *a);
double sh_arima_filter_zpz(const sh_arima_filter *f, const double *P);

/* A fitted model (arima_fit.c builds it; arima_results.c reads it). */
struct sheaf_arima {
    sheaf_arima_spec spec;
    sh_arima_dims dims;
    size_t n;
    double *y, *exog;     /* copies: n, n x kx */
    double *params, *bse; /* np each */
    sheaf_arima_info info;
    double *resid, *fitted, *F; /* n each (F: NaN for CSS fits) */
    size_t burn;                /* of the standardised errors Ljung-Box reads */
    /* the filter's predicted state for time n and its covariance, from
     * which the forecasts continue; has_state = 0 when the estimates admit
     * no filter (a CSS fit outside the stationary region) */
    double *a_end, *P_end;
    int has_state;
    /* the CSS stage's estimates (NaN without one) and whether it converged:
     * auto.arima rejects a CSS-ML candidate whose CSS AR part is not
     * stationary, as R's arima does */
    double *css_params;
    int css_converged;
};

/* ---- parameter transforms (arima_transform.c) ------------------------------ */

/* Monahan (1984) / Jones (1980), as statsmodels' constrain_stationary_
 * univariate: n unconstrained values -> the coefficients of a stationary
 * polynomial 1 - sum c_i L^i (partial autocorrelations x / sqrt(1 + x^2)
 * through the Durbin-Levinson recursion). work: n * n doubles. */
void sh_arima_constrain(const double *x, size_t n, double *c, double *work);
/* The inverse; false when c is not stationary (a partial autocorrelation
 * with |r| >= 1). */
bool sh_arima_unconstrain(const double *c, size_t n, double *x, double *work);
/* true when 1 - sum c_i L^i has all roots outside the unit circle (the
 * step-down recursion; work: n * n doubles). */
bool sh_arima_is_stationary(const double *c, size_t n, double *work);

/* ---- conditional sum of squares (arima_css.c) ------------------------------ */

/* R's C_ARIMA_CSS at params (sigma2 ignored) on the differenced model:
 * ncond = d + sD + p + sP; e_t = w_t - sum phi_i w_{t-i} - sum theta_j
 * e_{t-j} for t >= ncond (0 before; the MA sum reaches back to ncond).
 * Writes ssq, the number of non-NaN residuals nu, and (when resid is not
 * NULL) the n residuals. work: SH_ARIMA_CSS_WORK(n, dims) doubles. */
#define SH_ARIMA_CSS_WORK(n, dims) ((n) + (dims)->pe + (dims)->qe + 1)
void sh_arima_css(sh_arima_diff *f, const sheaf_arima_spec *spec, const sh_arima_dims *dims,
                  const double *params, double *work, double *ssq, size_t *nu, double *resid);

#endif
