/* kpss.c - the KPSS stationarity test (Kwiatkowski, Phillips, Schmidt &
 * Shin 1992) as statsmodels 0.13.5's kpss (statsmodels/tsa/stattools.py).
 *
 * e_t are the residuals of x_t on a constant (level stationarity, 'c') or on
 * a constant and t = 1..n (trend stationarity, 'ct'); S_t = e_1 + .. + e_t;
 *   eta = sum_t S_t^2 / n^2,
 *   s2  = (sum_t e_t^2 + 2 sum_{i=1..L} (1 - i/(L+1)) g_i) / n,
 *   g_i = sum_t e_t e_{t-i}   (Newey-West with Bartlett weights, eq. 10),
 * and the statistic is eta / s2 (eq. 11, p. 165). The lag truncation L is
 * Hobijn, Franses & Ooms (1998)'s rule ('auto'): m = floor(n^(2/9)),
 * s0 = sum e^2/n + 2/n sum_{i<=m} g_i, s1 = 2/n sum_{i<=m} i g_i,
 * L = floor(1.1447 ((s1/s0)^2)^(1/3) n^(1/3)); or ceil(12 (n/100)^(1/4))
 * ('legacy'); or given. The p-value interpolates Table 1 of the paper
 * (mackinnon.h) linearly as numpy.interp does, clipped to [0.01, 0.10]. The
 * arithmetic follows statsmodels' order of operations, so the lag choice
 * (a floor) is the same. */
#include "sheaf_stattools.h"
#include "timeseries/mackinnon.h"
#include "timeseries/stattools_internal.h"

#include <float.h>
#include <math.h>

/* A trend residual below this many ulps of the series, per observation, is
 * rounding: x is an exact line and the statistic 0/0. */
#define KPSS_LINE_TOL (512.0 * DBL_EPSILON)

sheaf_kpss_options sheaf_kpss_options_default(void)
{
    sheaf_kpss_options o = {SHEAF_TREND_C, SHEAF_KPSS_LAGS_AUTO, 0};
    return o;
}

/* numpy.interp(v, xp, fp) for increasing xp of length n. */
static double interp(double v, const double *xp, const double *fp, size_t n)
{
    if (v < xp[0]) return fp[0];
    if (v >= xp[n - 1]) return fp[n - 1];
    size_t j = 0;
    while (j + 2 < n && v >= xp[j + 1])
        j++;
    double slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
    return slope * (v - xp[j]) + fp[j];
}

static double lag_product(const double *e, size_t n, size_t i)
{
    double s = 0.0;
    for (size_t t = i; t < n; t++)
        s += e[t] * e[t - i];
    return s;
}

static sheaf_status residuals(const char *fn, const double *x, size_t n, sheaf_trend trend,
                              double *e)
{
    double mean = 0.0;
    for (size_t t = 0; t < n; t++)
        mean += x[t];
    mean /= (double)n;
    for (size_t t = 0; t < n; t++)
        e[t] = x[t] - mean;
    if (trend == SHEAF_TREND_C) return SHEAF_OK;
    /* OLS on [1, t]: with t centred the two columns are orthogonal. */
    double tbar = 0.5 * ((double)n + 1.0), stt = 0.0, sty = 0.0, xmax = 0.0;
    for (size_t t = 0; t < n; t++) {
        double d = (double)(t + 1) - tbar;
        stt += d * d;
        sty += d * e[t];
        xmax = fmax(xmax, fabs(x[t]));
    }
    double b = sty / stt, sse = 0.0;
    for (size_t t = 0; t < n; t++) {
        e[t] -= b * ((double)(t + 1) - tbar);
        sse += e[t] * e[t];
    }
    if (sqrt(sse) <= KPSS_LINE_TOL * sqrt((double)n) * xmax)
        return sh_fail(SHEAF_ERR_SINGULAR,
                       "%s: the series is an exact straight line (x[0] = %g, slope %g): the "
                       "trend residuals vanish and the statistic is 0/0",
                       fn, x[0], b);
    return SHEAF_OK;
}

static sheaf_status choose_lags(const char *fn, const double *e, size_t n,
                                const sheaf_kpss_options *o, size_t *lags)
{
    double dn = (double)n;
    size_t L;
    if (o->rule == SHEAF_KPSS_LAGS_FIXED) {
        if (o->nlags >= n)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: lags (%zu) must be < number of observations (%zu)", fn, o->nlags,
                           n);
        *lags = o->nlags;
        return SHEAF_OK;
    }
    if (o->rule == SHEAF_KPSS_LAGS_LEGACY) {
        L = (size_t)ceil(12.0 * pow(dn / 100.0, 1.0 / 4.0));
    } else {
        size_t covlags = (size_t)pow(dn, 2.0 / 9.0);
        double s0 = lag_product(e, n, 0) / dn, s1 = 0.0;
        for (size_t i = 1; i <= covlags && i < n; i++) {
            double g = lag_product(e, n, i);
            g /= dn / 2.0;
            s0 += g;
            s1 += (double)i * g;
        }
        double s_hat = s1 / s0, pwr = 1.0 / 3.0;
        double gamma = 1.1447 * pow(s_hat * s_hat, pwr), autolags = gamma * pow(dn, pwr);
        if (!(autolags >= 0.0 && autolags < 0x1p60))
            return sh_fail(SHEAF_ERR_SINGULAR,
                           "%s: the automatic lag rule is undefined (s0 = %g, s1 = %g)", fn, s0,
                           s1);
        L = (size_t)autolags;
    }
    *lags = L < n - 1 ? L : n - 1;
    return SHEAF_OK;
}

sheaf_status sheaf_kpss(const sheaf_ctx *ctx, const double *x, size_t n,
                        const sheaf_kpss_options *opts, sheaf_kpss_result *out)
{
    static const char fn[] = "sheaf_kpss";
    (void)ctx;
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", fn);
    sheaf_kpss_options o = opts ? *opts : sheaf_kpss_options_default();
    if (o.trend != SHEAF_TREND_C && o.trend != SHEAF_TREND_CT)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: trend %d is not c (1, level) or ct (2, trend)", fn, (int)o.trend);
    if (o.rule < SHEAF_KPSS_LAGS_AUTO || o.rule > SHEAF_KPSS_LAGS_FIXED)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: lag rule %d is not auto, legacy or fixed "
                       "(0..2)",
                       fn, (int)o.rule);
    sheaf_status st = sh_st_check_series(fn, x, n);
    if (st != SHEAF_OK) return st;
    size_t need = o.trend == SHEAF_TREND_C ? 2 : 3;
    if (n < need)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: n = %zu is too short for regression '%s' (needs at least %zu "
                       "observations)",
                       fn, n, o.trend == SHEAF_TREND_C ? "c" : "ct", need);
    if (sh_st_is_constant(x, n))
        return sh_fail(SHEAF_ERR_SINGULAR,
                       "%s: the series is constant (x[0] = %g everywhere): the residuals vanish "
                       "and the statistic is 0/0",
                       fn, x[0]);
    double *e = sh_malloc_array(n, sizeof(double));
    if (!e) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu residuals", fn, n);
    size_t L = 0;
    st = residuals(fn, x, n, o.trend, e);
    if (st == SHEAF_OK) st = choose_lags(fn, e, n, &o, &L);
    if (st == SHEAF_OK) {
        double dn = (double)n, cum = 0.0, eta = 0.0;
        for (size_t t = 0; t < n; t++) {
            cum += e[t];
            eta += cum * cum;
        }
        eta /= dn * dn;
        double s_hat = lag_product(e, n, 0);
        for (size_t i = 1; i <= L; i++)
            s_hat += 2.0 * lag_product(e, n, i) * (1.0 - ((double)i / ((double)L + 1.0)));
        s_hat /= dn;
        const double *crit = o.trend == SHEAF_TREND_C ? sh_kpss_crit_level : sh_kpss_crit_trend;
        out->stat = eta / s_hat;
        out->lags = L;
        out->pvalue = interp(out->stat, crit, sh_kpss_pvalues, SH_KPSS_LEVELS);
        for (int i = 0; i < SH_KPSS_LEVELS; i++)
            out->crit[i] = crit[i];
        out->pvalue_bound = out->pvalue == sh_kpss_pvalues[SH_KPSS_LEVELS - 1] ? -1
                            : out->pvalue == sh_kpss_pvalues[0]                ? 1
                                                                               : 0;
    }
    sh_free(e);
    return st;
}
