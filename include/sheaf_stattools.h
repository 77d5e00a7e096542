/* sheaf_stattools.h - unit-root tests and correlation of one series
 * (statsmodels.tsa.stattools 0.13): the augmented Dickey-Fuller test
 * (adfuller, one series or many in parallel) with MacKinnon's p-values and
 * critical values, the KPSS test, the autocorrelation and partial
 * autocorrelation functions with their confidence bands, and the Ljung-Box
 * and Box-Pierce tests. A series is a contiguous array x[0 .. n); NaN or
 * Inf anywhere is NONFINITE naming the index (statsmodels propagates NaN or
 * raises). A constant series makes every one of these statistics 0/0:
 * SINGULAR, where statsmodels returns NaN or raises. Outputs are
 * caller-allocated; the length of each is given beside it. */
#ifndef SHEAF_STATTOOLS_H
#define SHEAF_STATTOOLS_H

#include "sheaf_timeseries.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- augmented Dickey-Fuller --------------------------------------------- */

/* How adfuller picks the number of lagged differences: it uses maxlag
 * (none), or fits every L = 0..maxlag on the common rows t = maxlag+1..n-1
 * and takes the smallest AIC or BIC (ties to the smaller L), or ('t-stat')
 * the largest L, counting down from maxlag, whose last lag has
 * |t| >= 1.6448536269514722 (L = 0 when none has). */
typedef enum sheaf_adf_autolag {
    SHEAF_ADF_AUTOLAG_NONE = 0,
    SHEAF_ADF_AUTOLAG_AIC = 1,
    SHEAF_ADF_AUTOLAG_BIC = 2,
    SHEAF_ADF_AUTOLAG_TSTAT = 3
} sheaf_adf_autolag;

/* maxlag value meaning statsmodels' default, min(n/2 - ntrend - 1,
 * ceil(12 (n/100)^(1/4))), ntrend = 0, 1, 2, 3 for trend n, c, ct, ctt. */
#define SHEAF_ADF_MAXLAG_DEFAULT ((size_t)-1)

/* adfuller(x, maxlag, regression, autolag); start from
 * sheaf_adf_options_default() (trend c, autolag AIC, default maxlag). */
typedef struct sheaf_adf_options {
    sheaf_trend trend;
    sheaf_adf_autolag autolag;
    size_t maxlag; /* SHEAF_ADF_MAXLAG_DEFAULT or at most n/2 - ntrend - 1 */
} sheaf_adf_options;

SHEAF_API sheaf_adf_options sheaf_adf_options_default(void);

/* What adfuller returns: the t statistic of the lagged level, its MacKinnon
 * (1994) p-value, the lag used, the rows of the test regression (nobs =
 * n - 1 - usedlag), MacKinnon (2010) critical values at 1%, 5% and 10% for
 * nobs, and icbest (the chosen fit's AIC or BIC, or |t| of its last
 * regressor for 't-stat'; NaN without autolag). maxlag is the maximum lag
 * actually considered (the default resolved). */
typedef struct sheaf_adf_result {
    double stat, pvalue;
    size_t usedlag, nobs, maxlag;
    double crit[3];
    double icbest;
} sheaf_adf_result;

/* The augmented Dickey-Fuller test of x[0 .. n) as statsmodels' adfuller:
 * dx_t regressed on the deterministic terms, x_{t-1} and dx_{t-1} ..
 * dx_{t-L} by least squares (QR), rows t = L+1 .. n-1. opts NULL means the
 * defaults. ctx is unused (may be NULL). Statuses: INVALID_ARGUMENT (NULL x
 * or out, a bad enum, a series too short for the trend or for maxlag: the
 * message names the observations needed), NONFINITE naming the first NaN or
 * Inf, SINGULAR for a constant series or a test regression with collinear
 * columns (x an exact polynomial trend), NOMEM. */
SHEAF_API sheaf_status sheaf_adfuller(const sheaf_ctx *ctx, const double *x, size_t n,
                                      const sheaf_adf_options *opts, sheaf_adf_result *out);

/* sheaf_adfuller on each of n_series series of length T at once: series i is
 * x[i ld .. i ld + T) (ld >= T), its result out[i]; series run in parallel on
 * ctx's threads and each result is bit-identical to sheaf_adfuller's on that
 * series, for any thread count. With status (n_series entries) non-NULL a
 * failing series does not fail the call: status[i] holds its status (out[i]
 * then holds NaN statistics; sheaf_adfuller on that series gives the
 * message) and the call returns OK. With status NULL the call fails with the
 * lowest failing series' status, the message naming the series. Statuses
 * of the call itself: INVALID_ARGUMENT (NULL, bad options), DIMENSION
 * (ld < T), NOMEM. */
SHEAF_API sheaf_status sheaf_adfuller_many(const sheaf_ctx *ctx, const double *x, size_t n_series,
                                           size_t T, size_t ld, const sheaf_adf_options *opts,
                                           sheaf_adf_result *out, sheaf_status *status);

/* MacKinnon's (1994) approximate p-value of an ADF statistic for one I(1)
 * series (statsmodels' mackinnonp(stat, regression, N=1)): 0 below the
 * tabulated minimum, 1 above the maximum. NaN stat gives NaN.
 * INVALID_ARGUMENT for a bad trend or NULL p. */
SHEAF_API sheaf_status sheaf_mackinnonp(double stat, sheaf_trend trend, double *p);

/* MacKinnon's (2010) critical values at 1%, 5% and 10% (crit[3]) for a test
 * regression with nobs rows (statsmodels' mackinnoncrit(1, regression,
 * nobs)); nobs = INFINITY gives the asymptotic values. INVALID_ARGUMENT for
 * a bad trend, nobs not > 0 or NULL crit. */
SHEAF_API sheaf_status sheaf_mackinnoncrit(sheaf_trend trend, double nobs, double *crit);

/* ---- KPSS ---------------------------------------------------------------- */

/* The lag truncation of the KPSS long-run variance: Hobijn et al. (1998)'s
 * data-dependent rule (statsmodels' nlags='auto'), ceil(12 (n/100)^(1/4))
 * ('legacy'), or the given number. Each is capped at n - 1. */
typedef enum sheaf_kpss_lags {
    SHEAF_KPSS_LAGS_AUTO = 0,
    SHEAF_KPSS_LAGS_LEGACY = 1,
    SHEAF_KPSS_LAGS_FIXED = 2
} sheaf_kpss_lags;

/* kpss(x, regression, nlags); start from sheaf_kpss_options_default()
 * (trend c, lags auto). */
typedef struct sheaf_kpss_options {
    sheaf_trend trend;    /* SHEAF_TREND_C (level) or SHEAF_TREND_CT (trend) */
    sheaf_kpss_lags rule; /* how the lags are chosen */
    size_t nlags;         /* the lags when rule is FIXED (< n) */
} sheaf_kpss_options;

SHEAF_API sheaf_kpss_options sheaf_kpss_options_default(void);

/* What kpss returns: the statistic, its p-value interpolated linearly in
 * Kwiatkowski et al. (1992)'s table and clipped to [0.01, 0.10], the lags
 * used, the table's critical values at 10%, 5%, 2.5% and 1%, and
 * pvalue_bound: -1 when the p-value was clipped to 0.01 (the actual one is
 * smaller), +1 when clipped to 0.10 (the actual one is greater), 0 inside
 * the table (statsmodels warns InterpolationWarning in the first two). */
typedef struct sheaf_kpss_result {
    double stat, pvalue;
    size_t lags;
    double crit[4];
    int pvalue_bound;
} sheaf_kpss_result;

/* The KPSS test of x[0 .. n) as statsmodels' kpss: residuals e of x on a
 * constant (or a constant and t = 1..n), stat = sum_t S_t^2 / n^2 / s2 with
 * S_t the partial sums of e and s2 the Bartlett-weighted long-run variance
 * with the chosen lags. opts NULL means the defaults; ctx is unused.
 * Statuses: INVALID_ARGUMENT (NULL, a trend other than c or ct, a bad rule,
 * nlags >= n, n < 2 (3 for ct)), NONFINITE naming the index, SINGULAR when
 * the residuals vanish (x constant, or an exact line for ct). */
SHEAF_API sheaf_status sheaf_kpss(const sheaf_ctx *ctx, const double *x, size_t n,
                                  const sheaf_kpss_options *opts, sheaf_kpss_result *out);

/* ---- autocorrelation ------------------------------------------------------ */

/* statsmodels' default number of lags for acf: min(floor(10 log10 n), n - 1)
 * (0 for n = 0). */
SHEAF_API size_t sheaf_acf_nlags_default(size_t n);

/* acf[0 .. nlags] := the sample autocorrelations of x[0 .. n) at lags
 * 0..nlags (statsmodels' acf): acov_k = sum_t (x_t - m)(x_{t+k} - m) / D,
 * D = n, or n - k when adjusted; acf_k = acov_k / acov_0. ctx is unused.
 * INVALID_ARGUMENT (NULL, nlags > n - 1: statsmodels silently returns fewer
 * lags), NONFINITE naming the index, SINGULAR for a constant series. */
SHEAF_API sheaf_status sheaf_acf(const sheaf_ctx *ctx, const double *x, size_t n, size_t nlags,
                                 int adjusted, double *acf);

/* confint[(nlags + 1) x 2] (rows lag 0..nlags: lower, upper) := acf_k -/+
 * z sqrt(v_k), z the normal 1 - alpha/2 quantile, for autocorrelations
 * acf[0 .. nlags] of a series of n observations. bartlett (statsmodels'
 * default): v_0 = 0, v_k = (1 + 2 sum_{j<k} acf_j^2) / n; otherwise v_k =
 * 1/n for every k. INVALID_ARGUMENT for NULL, n = 0, alpha not in (0, 1). */
SHEAF_API sheaf_status sheaf_acf_confint(const double *acf, size_t nlags, size_t n, double alpha,
                                         int bartlett, double *confint);

/* statsmodels' q_stat: q[k-1] = n (n + 2) sum_{j<=k} acf_j^2 / (n - j) and
 * its chi-square(k) upper tail p[k-1], k = 1..nlags, from acf[0 .. nlags]
 * (acf[0] is not read). p may be NULL. INVALID_ARGUMENT for NULL or
 * nlags >= n. */
SHEAF_API sheaf_status sheaf_acf_qstat(const double *acf, size_t nlags, size_t n, double *q,
                                       double *p);

/* How sheaf_pacf estimates the partial autocorrelations (statsmodels'
 * method names in parentheses; all are 0.13's pacf methods):
 * YW ('yw', 'ywa', 'ywadjusted', 'yw_adjusted', 'ld', 'lda', ...: the
 * default) - Yule-Walker on the autocovariances with divisor n - k,
 * solved by Levinson-Durbin; YWM ('ywm', 'ywmle', 'ldb', ...) - the same
 * with divisor n (R's pacf); OLS ('ols') - for each k, x_t on a constant and
 * x_{t-1} .. x_{t-k} over rows t = k..n-1, the last coefficient;
 * OLS_INEFFICIENT ('ols-inefficient') - x demeaned once, every k on the
 * common rows t = nlags..n-1 without a constant; OLS_ADJUSTED
 * ('ols-adjusted') - OLS times n / (n - k). */
typedef enum sheaf_pacf_method {
    SHEAF_PACF_YW = 0,
    SHEAF_PACF_YWM = 1,
    SHEAF_PACF_OLS = 2,
    SHEAF_PACF_OLS_INEFFICIENT = 3,
    SHEAF_PACF_OLS_ADJUSTED = 4
} sheaf_pacf_method;

/* statsmodels' default number of lags for pacf: min(floor(10 log10 n),
 * n/2 - 1) (0 when that is negative). */
SHEAF_API size_t sheaf_pacf_nlags_default(size_t n);

/* pacf[0 .. nlags] := the partial autocorrelations of x[0 .. n) at lags
 * 0..nlags (pacf[0] = 1) by method, as statsmodels' pacf. The regressions
 * of the OLS methods are solved by QR. ctx is unused. INVALID_ARGUMENT
 * (NULL, a bad method, nlags >= n/2 as statsmodels requires), NONFINITE
 * naming the index, SINGULAR for a constant series or a singular
 * Yule-Walker or least-squares system. */
SHEAF_API sheaf_status sheaf_pacf(const sheaf_ctx *ctx, const double *x, size_t n, size_t nlags,
                                  sheaf_pacf_method method, double *pacf);

/* confint[(nlags + 1) x 2] := pacf_k -/+ z / sqrt(n) (z the normal 1 -
 * alpha/2 quantile), and [1, 1] at lag 0, as statsmodels' pacf(alpha).
 * INVALID_ARGUMENT for NULL, n = 0, alpha not in (0, 1). */
SHEAF_API sheaf_status sheaf_pacf_confint(const double *pacf, size_t nlags, size_t n, double alpha,
                                          double *confint);

/* The Ljung-Box and Box-Pierce tests of x[0 .. n) at each lag h in
 * lags[0 .. n_lags) (each in 1..n-1, any order), as statsmodels'
 * acorr_ljungbox(x, lags, boxpierce, model_df): with r the biased
 * autocorrelations, lb_stat = n (n + 2) sum_{k<=h} r_k^2 / (n - k),
 * bp_stat = n sum_{k<=h} r_k^2, each p-value the chi-square(h - model_df)
 * upper tail, NaN where h <= model_df. Each output has n_lags entries;
 * bp_stat and bp_pvalue may be NULL. ctx is unused. INVALID_ARGUMENT (NULL,
 * n_lags = 0, a lag of 0 or >= n), NONFINITE naming the index, SINGULAR for
 * a constant series. */
SHEAF_API sheaf_status sheaf_acorr_ljungbox(const sheaf_ctx *ctx, const double *x, size_t n,
                                            const size_t *lags, size_t n_lags, size_t model_df,
                                            double *lb_stat, double *lb_pvalue, double *bp_stat,
                                            double *bp_pvalue);

/* The lag acorr_ljungbox(x, auto_lag=True) picks (Escanciano and Lobato
 * 2009, as statsmodels 0.13 does it): over h = 1..n-1, the h maximising the
 * Ljung-Box (or, with boxpierce, Box-Pierce) statistic minus a penalty,
 * h log n when sqrt(n) max_{k>=0} |r_k| <= sqrt(2.4 log n) (r_0 = 1
 * included, as statsmodels does, so in practice never) and 2h otherwise,
 * provided the maximum is positive; else 0 (statsmodels then fails). The
 * biased autocorrelations r_k of all n - 1 lags cost O(n^2). Statuses as
 * sheaf_acorr_ljungbox (n >= 2; NULL lag). */
SHEAF_API sheaf_status sheaf_acorr_ljungbox_auto_lag(const sheaf_ctx *ctx, const double *x,
                                                     size_t n, int boxpierce, size_t *lag);

#ifdef __cplusplus
}
#endif
#endif
