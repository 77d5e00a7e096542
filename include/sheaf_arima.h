/* sheaf_arima.h - ARIMA and seasonal ARIMA: the exact Gaussian likelihood
 * through a state-space form and a Kalman filter (statsmodels 0.13's
 * ARIMA/SARIMAX conventions), conditional sum of squares (R's arima
 * method "CSS"), CSS then ML (R's default), forecasts with intervals,
 * R forecast::auto.arima's stepwise order search, and one fit per key of a
 * frame as a grouped map.
 *
 * The model is a regression with ARIMA errors: with x_t the trend terms
 * (then the exogenous regressors) and u_t = y_t - x_t'beta,
 *   (1-L)^d (1-L^s)^D phi(L) Phi(L^s) u_t = theta(L) Theta(L^s) eta_t,
 * eta_t ~ N(0, sigma2); phi(L) = 1 - sum phi_i L^i, theta(L) = 1 +
 * sum theta_j L^j (the signs of statsmodels and R). Parameters are kept in
 * statsmodels' order: trend terms (const, then the t or t^2 coefficient),
 * exogenous coefficients, ar.L1.., ma.L1.., ar.S.L<s>.., ma.S.L<s>.., sigma2.
 *
 * A series is y[0 .. n); NaN marks a missing value (the filter skips its
 * update, as statsmodels and R do); +-Inf is NONFINITE naming the index. */
#ifndef SHEAF_ARIMA_H
#define SHEAF_ARIMA_H

#include "sheaf_frame.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Deterministic regressors; t counts 1, 2, ..., n over the series (so a
 * forecast h steps ahead uses t = n + h). statsmodels refuses a trend power
 * below d + D (a constant is differenced away), and so does sheaf: with
 * d + D = 1 only T (the drift) is allowed, with d + D = 2 only T2. */
typedef enum sheaf_arima_trend {
    SHEAF_ARIMA_TREND_N = 0,  /* none */
    SHEAF_ARIMA_TREND_C = 1,  /* constant (the mean when d + D = 0) */
    SHEAF_ARIMA_TREND_T = 2,  /* linear t (drift when d = 1) */
    SHEAF_ARIMA_TREND_CT = 3, /* constant and t */
    SHEAF_ARIMA_TREND_T2 = 4  /* t^2 only (statsmodels' trend=[0,0,1]) */
} sheaf_arima_trend;

/* The model: orders, period and trend. Start from sheaf_arima_spec_default()
 * (white noise with a constant: all orders 0, s = 0, trend C, both
 * enforce flags on). */
typedef struct sheaf_arima_spec {
    size_t p, d, q;    /* non-seasonal AR order, differences, MA order */
    size_t P, D, Q, s; /* seasonal orders and period; s >= 2 when P + D + Q > 0 */
    sheaf_arima_trend trend;
    /* Nonzero (default): fits keep the AR polynomials stationary and the MA
     * polynomials invertible by optimising partial autocorrelations
     * (Monahan 1984), and the ARMA states start from their stationary
     * covariance. Zero: coefficients are optimised as they are and every
     * state starts approximately diffuse (variance 1e6), the first
     * (number of states) log-likelihood terms burned - statsmodels'
     * enforce_stationarity=False. */
    int enforce_stationarity;
    int enforce_invertibility;
} sheaf_arima_spec;

SHEAF_API sheaf_arima_spec sheaf_arima_spec_default(void);

/* Number of parameters of spec with kx exogenous regressors (sigma2
 * included), i.e. the length of every params/bse vector below. */
SHEAF_API size_t sheaf_arima_n_params(const sheaf_arima_spec *spec, size_t kx);

/* statsmodels' parameter name number i < n_params ("const", "x1" for the
 * trend's t or t^2 coefficient, "exog1".., "ar.L1", "ma.L2", "ar.S.L12",
 * "ma.S.L24", "sigma2") into buf (size bytes, always terminated). Returns
 * SHEAF_OK, or INVALID_ARGUMENT for i out of range or NULL arguments. */
SHEAF_API sheaf_status sheaf_arima_param_name(const sheaf_arima_spec *spec, size_t kx, size_t i,
                                              char *buf, size_t size);

/* The log-likelihood at fixed parameters (n_params values, statsmodels'
 * order), statsmodels' ARIMA(y, exog, order, seasonal_order,
 * trend).loglike(params) with its defaults: the d + sD differencing states
 * start approximately diffuse (variance 1e6) and the first d + sD terms are
 * burned; the ARMA states start from their stationary covariance; the
 * filter freezes at its steady state as statsmodels' does (models without
 * regressors only). exog is n x kx (leading dimension ldx >= kx; NULL with
 * kx = 0). Statuses: INVALID_ARGUMENT (NULL, a bad spec: the field and
 * value named, wrong n_params, sigma2 <= 0, an AR polynomial that is not
 * stationary while enforce_stationarity is on), DIMENSION (ldx < kx),
 * NONFINITE (Inf in y, NaN or Inf in exog or params, index named),
 * INVALID_ARGUMENT when no observation is left after the burn. */
SHEAF_API sheaf_status sheaf_arima_loglike(const double *y, size_t n, const double *exog, size_t kx,
                                           size_t ldx, const sheaf_arima_spec *spec,
                                           const double *params, size_t n_params, double *llf);

/* ---- fitting -------------------------------------------------------------- */

typedef enum sheaf_arima_method {
    SHEAF_ARIMA_ML = 0,     /* exact ML by the Kalman filter (statsmodels' fit()) */
    SHEAF_ARIMA_CSS_ML = 1, /* CSS estimates as the start of ML (R's default) */
    SHEAF_ARIMA_CSS = 2     /* conditional sum of squares only (R's method="CSS") */
} sheaf_arima_method;

/* Start from sheaf_arima_fit_options_default(). */
typedef struct sheaf_arima_fit_options {
    sheaf_arima_method method; /* default SHEAF_ARIMA_ML */
    size_t max_iter;           /* optimizer iterations at most (default 200) */
    double gtol;               /* gradient tolerance on -llf / nobs (default 1e-7) */
    /* n_params start values in statsmodels' order, or NULL (default): CSS
     * estimates for ML, least squares for the regression and AR parts of
     * CSS. The caller keeps them alive during the call. */
    const double *start_params;
    int compute_bse; /* nonzero (default): standard errors (see sheaf_arima_params) */
} sheaf_arima_fit_options;

SHEAF_API sheaf_arima_fit_options sheaf_arima_fit_options_default(void);

/* A fitted ARIMA model (opaque, immutable; safe to read from many threads). */
typedef struct sheaf_arima sheaf_arima;

/* Fits spec to y (n values, NaN = missing) with kx exogenous regressors
 * (exog n x kx, leading dimension ldx; copied, the forecasts need the
 * last rows; NULL with kx = 0). ML maximises the likelihood of
 * sheaf_arima_loglike (complete series: L-BFGS on the differenced model's
 * exact likelihood with sigma2 profiled out, finished by Newton steps on
 * statsmodels' function; series with missing values or without
 * enforce_stationarity: L-BFGS on it directly); CSS minimises R's conditional sum of squares
 * (n.cond = d + sD + p + sP, residuals before it zero). Not converging
 * within max_iter is a result (sheaf_arima_info.converged = 0), not an
 * error. Statuses: INVALID_ARGUMENT (NULL, a bad spec or option: field and
 * value named; a series too short for the order: "n=5; order (2,1,2)
 * needs 8"; all values missing), NONFINITE (Inf in y, NaN or Inf in exog),
 * SINGULAR (a constant series with a constant or no regressors to explain
 * it, collinear regressors: the column named), NO_CONVERGENCE when no finite
 * likelihood was found from the start, NOMEM. *out is NULL on failure. */
SHEAF_API sheaf_status sheaf_arima_fit(const sheaf_ctx *ctx, const double *y, size_t n,
                                       const double *exog, size_t kx, size_t ldx,
                                       const sheaf_arima_spec *spec,
                                       const sheaf_arima_fit_options *opts, sheaf_arima **out);
SHEAF_API void sheaf_arima_free(sheaf_arima *m);

/* The fitted model's spec and number of exogenous regressors. */
SHEAF_API sheaf_arima_spec sheaf_arima_get_spec(const sheaf_arima *m);
SHEAF_API size_t sheaf_arima_k_exog(const sheaf_arima *m);

/* Estimates (n_params values, statsmodels' order) and their standard errors:
 * sqrt of the diagonal of the inverse of minus the Hessian of the
 * log-likelihood in the parameters themselves (statsmodels'
 * cov_type='approx'), the Hessian by central differences of the llf; NaN
 * where that Hessian is not negative definite, for CSS fits (as R, whose
 * CSS sigma2 has none) and when compute_bse was off. Either may be NULL. */
SHEAF_API void sheaf_arima_params(const sheaf_arima *m, double *params, double *bse);

/* Goodness of fit and optimizer state. k = n_params (sigma2 included);
 * aic = -2 llf + 2k; aicc = aic + 2k(k+1)/(nobs_effective - k - 1);
 * bic = -2 llf + k log nobs_effective; hqic = -2 llf + 2k log log
 * nobs_effective. For CSS fits llf is R's CSS log-likelihood
 * -0.5 (n_used log(2 pi sigma2) + n_used) with sigma2 = ssq / (number of
 * residuals). */
typedef struct sheaf_arima_info {
    double llf, aic, aicc, bic, hqic;
    double sigma2;         /* the estimate (the last parameter) */
    size_t nobs;           /* n, missing values included */
    size_t nobs_effective; /* n - burn (statsmodels); n_used for CSS */
    size_t n_params;
    size_t iterations; /* optimizer iterations (both stages for CSS-ML) */
    int converged;     /* 1 when the optimizer's stopping rule (or, after a stalled
                          line search, the Newton finish) ended it; 0 at max_iter */
    sheaf_arima_method method;
} sheaf_arima_info;
SHEAF_API void sheaf_arima_get_info(const sheaf_arima *m, sheaf_arima_info *out);

/* One-step forecast errors v_t = y_t - E[y_t | y_<t] (statsmodels' resid;
 * NaN where y_t is missing; the first d + sD are the approximately diffuse
 * ones), and the one-step predictions y_t - v_t (statsmodels'
 * fittedvalues; defined at missing y too). n values each; either may be
 * NULL. For CSS fits: the CSS residuals (0 before n.cond). */
SHEAF_API void sheaf_arima_resid(const sheaf_arima *m, double *resid, double *fitted);

/* Forecasts h >= 1 steps past the end: mean, standard error and the
 * two-sided (1 - alpha) interval mean -+ z_{1-alpha/2} se (each h values,
 * any may be NULL); exog_future h x kx (leading dimension ldx) when the
 * model has regressors. Statuses: INVALID_ARGUMENT (NULL m, h = 0, alpha
 * outside (0, 1), missing exog_future), DIMENSION, NONFINITE (exog_future). */
SHEAF_API sheaf_status sheaf_arima_forecast(const sheaf_arima *m, size_t h,
                                            const double *exog_future, size_t ldx, double alpha,
                                            double *mean, double *se, double *lower, double *upper);

/* Ljung-Box on the standardised one-step errors v_t / sqrt(F_t), t >= burn,
 * observed (statsmodels' test_serial_correlation('ljungbox', lags)):
 * Q at lag `lags` and its chi2(lags - model_df) p-value. Statuses:
 * INVALID_ARGUMENT (lags = 0, lags >= number of errors, model_df >= lags,
 * a CSS fit). */
SHEAF_API sheaf_status sheaf_arima_ljungbox(const sheaf_arima *m, size_t lags, size_t model_df,
                                            double *stat, double *pvalue);

/* ---- automatic orders (R forecast::auto.arima) ---------------------------- */

typedef enum sheaf_arima_ic {
    SHEAF_ARIMA_IC_AICC = 0,
    SHEAF_ARIMA_IC_AIC = 1,
    SHEAF_ARIMA_IC_BIC = 2
} sheaf_arima_ic;

/* R forecast::auto.arima's arguments (8.20 defaults). SIZE_MAX in d or D
 * means "choose by test". */
typedef struct sheaf_auto_arima_options {
    size_t m;            /* seasonal period; 1 = non-seasonal (default 1) */
    int seasonal;        /* search seasonal orders when m > 1 (default 1) */
    size_t d, D;         /* SIZE_MAX (default): by KPSS / the seasonal-strength test */
    size_t max_p, max_q; /* default 5, 5 */
    size_t max_P, max_Q; /* default 2, 2 */
    size_t max_order;    /* p + q + P + Q at most (default 5; stepwise ignores it, as R) */
    size_t max_d, max_D; /* default 2, 1 */
    size_t start_p, start_q, start_P, start_Q; /* default 2, 2, 1, 1 */
    int stepwise;                              /* default 1 */
    int allow_drift;                           /* default 1 */
    int allow_mean;                            /* default 1 */
    int approximation; /* -1 (default): R's rule (n > 150 or m > 12); 0 or 1 */
    sheaf_arima_ic ic; /* default AICC */
    double test_alpha; /* level of the unit-root tests (default 0.05) */
    size_t nmodels;    /* stepwise: models tried at most (default 94) */
} sheaf_auto_arima_options;

SHEAF_API sheaf_auto_arima_options sheaf_auto_arima_options_default(void);

/* Chooses the orders of y (n values, NaN = missing) as R
 * forecast::auto.arima 8.20: D by the STL seasonal-strength test (nsdiffs
 * "seas", strength > 0.64), d by KPSS tests (ndiffs), then the stepwise (or
 * exhaustive) search with R's rejections (roots within 1.01 of the unit
 * circle, undefined standard errors, a non-stationary CSS start). Leading
 * missing values are dropped. Without missing values, candidates are
 * compared on the exact likelihood of the differenced series (R's criteria
 * to ~1e-5); the chosen orders are then fitted to y by sheaf_arima_fit
 * (CSS-ML), so info.aicc is in statsmodels' convention. Statuses:
 * INVALID_ARGUMENT (NULL y/out, a bad option named - test_alpha must be in
 * [0.01, 0.1], m and nmodels >= 1 -, all values missing, nothing left after
 * differencing), NONFINITE (+-Inf, index named), SINGULAR (constant series,
 * or constant after the chosen differences), NO_CONVERGENCE ("no suitable
 * ARIMA model found"), NOMEM; *out is NULL on failure. */
SHEAF_API sheaf_status sheaf_auto_arima(const sheaf_ctx *ctx, const double *y, size_t n,
                                        const sheaf_auto_arima_options *opts, sheaf_arima **out);

/* ---- many series ------------------------------------------------------------ */

/* What sheaf_arima_fit_many fits per key; start from
 * sheaf_arima_many_options_default() (spec default, fit options default, no
 * auto, horizon 0, alpha 0.05). */
typedef struct sheaf_arima_many_options {
    sheaf_arima_spec spec;
    sheaf_arima_fit_options fit;
    int auto_order; /* nonzero: sheaf_auto_arima per key with auto_opts, spec ignored */
    sheaf_auto_arima_options auto_opts;
    size_t horizon; /* forecast steps per key (0: none) */
    double alpha;   /* interval level 1 - alpha */
} sheaf_arima_many_options;

SHEAF_API sheaf_arima_many_options sheaf_arima_many_options_default(void);

/* Fits one model per key of in, a grouped map: each distinct tuple of the
 * keys columns is one series, its rows ordered by time (stable; row order
 * when time is NULL), the value column (float64 or int64; missing = NaN)
 * its values. The frame is used as laid out when it is partitioned by these
 * keys and time (sheaf_frame_partition_by_key_time), otherwise it is so
 * partitioned first; partitions run in parallel, each key's fit serially,
 * so results do not depend on thread or partition counts. *out is a new
 * one-partition frame, one row per key in sorted key order: the key
 * columns; "p", "d", "q", "P", "D", "Q", "s" (int64: the orders used);
 * "trend" (string: n, c, t, ct, t2); one float64 column per parameter name
 * (sheaf_arima_param_name; with auto_order the names of the largest orders
 * allowed and both trend terms - the t coefficient then named "drift" -
 * NaN where the chosen model has none);
 * "llf", "aic", "aicc", "bic" (float64), "nobs" (int64), "iterations"
 * (int64), "converged" (int64 0/1); with horizon h > 0 the columns
 * "mean_1".."mean_h", "se_1".., "lower_1".., "upper_1"..; "status" (string:
 * sheaf_status_name) and "error" (string, missing when it worked). A key
 * that fails (too short, constant, non-finite) keeps its row with missing
 * orders, trend and numbers, its status and message; the other keys are
 * unaffected.
 * Statuses of the call: INVALID_ARGUMENT (NULL in or out, no keys, an
 * unknown or non-numeric value column, a bad spec or option), NOMEM; *out
 * is NULL on failure. */
SHEAF_API sheaf_status sheaf_arima_fit_many(const sheaf_ctx *ctx, const sheaf_frame *in,
                                            const char *const *keys, size_t n_keys,
                                            const char *time, const char *value,
                                            const sheaf_arima_many_options *opts,
                                            sheaf_frame **out);

#ifdef __cplusplus
}
#endif
#endif
