/* acf.c - autocorrelation, partial autocorrelation and the portmanteau
 * tests of one series, as statsmodels 0.13.5's acf, pacf, q_stat
 * (statsmodels/tsa/stattools.py) and acorr_ljungbox
 * (statsmodels/stats/diagnostic.py).
 *
 * Autocovariances are the direct sums acov_k = sum_t (x_t - m)(x_{t+k} - m)
 * / D (D = n, or n - k adjusted): statsmodels' FFT route gives the same
 * numbers up to rounding. Bands: Bartlett's formula, var(r_k) = (1 + 2
 * sum_{j<k} r_j^2) / n (Box & Jenkins, "Time Series Analysis", eq. 2.1.13),
 * and 1/n for partial autocorrelations (Quenouille).
 * Partial autocorrelations: Yule-Walker by the Levinson-Durbin recursion
 * (Durbin 1960; statsmodels' levinson_durbin, which its 'ld' methods use and
 * whose Toeplitz solutions its 'yw' methods compute one order at a time);
 * OLS by one Householder QR: the fit on the first k columns of a design is
 * read off its R factor (R_{k,y} / R_{k,k} is the last coefficient), and
 * the rows each smaller order adds are appended to the factor (linalg/qr.h).
 * Portmanteau: Ljung & Box (1978), Q = n (n + 2) sum_{k<=h} r_k^2 / (n - k),
 * and Box & Pierce (1970), Q = n sum_{k<=h} r_k^2, against chi-square(h -
 * model_df). */
#include "linalg/qr.h"
#include "sheaf_linalg.h"
#include "sheaf_stattools.h"
#include "timeseries/stattools_internal.h"

#include <math.h>
#include <string.h>

size_t sheaf_acf_nlags_default(size_t n)
{
    if (n == 0) return 0;
    size_t k = (size_t)(10.0 * log10((double)n));
    return k < n - 1 ? k : n - 1;
}

size_t sheaf_pacf_nlags_default(size_t n)
{
    if (n < 4) return 0;
    size_t k = (size_t)(10.0 * log10((double)n));
    return k < n / 2 - 1 ? k : n / 2 - 1;
}

/* The checks every function of one series starts with. */
static sheaf_status check_input(const char *fn, const double *x, size_t n)
{
    sheaf_status st = sh_st_check_series(fn, x, n);
    if (st != SHEAF_OK) return st;
    if (n == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: the series is empty", fn);
    if (sh_st_is_constant(x, n))
        return sh_fail(SHEAF_ERR_SINGULAR,
                       "%s: the series is constant (x[0] = %g everywhere): its variance is 0 and "
                       "the autocorrelations are 0/0",
                       fn, x[0]);
    return SHEAF_OK;
}

/* xo := x - mean(x) (n values). */
static void demean(const double *x, size_t n, double *xo)
{
    double m = 0.0;
    for (size_t t = 0; t < n; t++)
        m += x[t];
    m /= (double)n;
    for (size_t t = 0; t < n; t++)
        xo[t] = x[t] - m;
}

/* acov[0 .. nlags] of the demeaned xo. */
static void autocov(const double *xo, size_t n, size_t nlags, int adjusted, double *acov)
{
    for (size_t k = 0; k <= nlags; k++) {
        double s = 0.0;
        for (size_t t = k; t < n; t++)
            s += xo[t] * xo[t - k];
        acov[k] = s / (double)(adjusted ? n - k : n);
    }
}

/* acf[0 .. nlags] of x, checked. */
static sheaf_status acf_core(const char *fn, const double *x, size_t n, size_t nlags, int adjusted,
                             double *acf)
{
    sheaf_status st = check_input(fn, x, n);
    if (st != SHEAF_OK) return st;
    if (nlags > n - 1)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: nlags = %zu needs more than %zu observations (n = %zu; lags go up to "
                       "n - 1)",
                       fn, nlags, nlags, n);
    double *xo = sh_malloc_array(n, sizeof(double));
    if (!xo) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu values", fn, n);
    demean(x, n, xo);
    autocov(xo, n, nlags, adjusted, acf);
    double a0 = acf[0];
    for (size_t k = 0; k <= nlags; k++)
        acf[k] /= a0;
    sh_free(xo);
    return SHEAF_OK;
}

sheaf_status sheaf_acf(const sheaf_ctx *ctx, const double *x, size_t n, size_t nlags, int adjusted,
                       double *acf)
{
    (void)ctx;
    if (!acf) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_acf: acf is NULL");
    return acf_core("sheaf_acf", x, n, nlags, adjusted, acf);
}

sheaf_status sheaf_acf_confint(const double *acf, size_t nlags, size_t n, double alpha,
                               int bartlett, double *confint)
{
    static const char fn[] = "sheaf_acf_confint";
    if (!acf || !confint)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: acf or confint is NULL", fn);
    if (n == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: n is 0", fn);
    double z;
    sheaf_status st = sh_st_band_z(fn, alpha, &z);
    if (st != SHEAF_OK) return st;
    double dn = (double)n, cum = 0.0;
    for (size_t k = 0; k <= nlags; k++) {
        double v; /* statsmodels: ones / n, then v[2:] *= 1 + 2 cumsum(acf[1:-1]^2) */
        if (!bartlett)
            v = 1.0 / dn;
        else if (k == 0)
            v = 0.0;
        else if (k == 1)
            v = 1.0 / dn;
        else {
            cum += acf[k - 1] * acf[k - 1];
            v = 1.0 / dn * (1.0 + 2.0 * cum);
        }
        double half = z * sqrt(v);
        confint[2 * k] = acf[k] - half;
        confint[2 * k + 1] = acf[k] + half;
    }
    return SHEAF_OK;
}

sheaf_status sheaf_acf_qstat(const double *acf, size_t nlags, size_t n, double *q, double *p)
{
    static const char fn[] = "sheaf_acf_qstat";
    if (!acf || !q) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: acf or q is NULL", fn);
    if (nlags >= n)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: nlags = %zu must be < n = %zu", fn, nlags,
                       n);
    double scale = (double)(n * (n + 2)), cum = 0.0;
    for (size_t k = 1; k <= nlags; k++) {
        cum += 1.0 / (double)(n - k) * (acf[k] * acf[k]);
        q[k - 1] = scale * cum;
        if (p) {
            sheaf_status st = sheaf_dist_chi2_sf(q[k - 1], (double)k, &p[k - 1]);
            if (st != SHEAF_OK) return st;
        }
    }
    return SHEAF_OK;
}

/* ---- partial autocorrelation ----------------------------------------------- */

/* pacf[1 .. nlags] by Levinson-Durbin on the autocovariances s[0 .. nlags]
 * (statsmodels' levinson_durbin, in its order of operations); phi: 2 nlags
 * doubles. */
static sheaf_status levinson_durbin(const char *fn, const double *s, size_t nlags, double *phi,
                                    double *pacf)
{
    double *prev = phi, *cur = phi + nlags; /* phi[j, k-1] and phi[j, k] at [j - 1] */
    double sig = s[0];
    for (size_t k = 1; k <= nlags; k++) {
        if (!(sig != 0.0 && isfinite(sig)))
            return sh_fail(SHEAF_ERR_SINGULAR,
                           "%s: the Yule-Walker system of order %zu is singular (innovation "
                           "variance %g)",
                           fn, k, sig);
        double num = s[k];
        if (k > 1) {
            double dot = 0.0;
            for (size_t j = 1; j < k; j++)
                dot += prev[j - 1] * s[k - j];
            num -= dot;
        }
        double pkk = num / sig;
        for (size_t j = 1; j < k; j++)
            cur[j - 1] = prev[j - 1] - pkk * prev[k - j - 1];
        cur[k - 1] = pkk;
        sig = k == 1 ? s[0] - pkk * s[1] : sig * (1.0 - pkk * pkk);
        pacf[k] = pkk;
        double *tmp = prev;
        prev = cur;
        cur = tmp;
    }
    return SHEAF_OK;
}

/* Fills row t of the OLS design [1, x_{t-1} .. x_{t-nlags}, x_t] (lags
 * before the series are 0, as statsmodels' lagmat pads them). */
static void ols_row(const double *x, size_t t, size_t nlags, double *row)
{
    row[0] = 1.0;
    for (size_t j = 1; j <= nlags; j++)
        row[j] = t >= j ? x[t - j] : 0.0;
    row[nlags + 1] = x[t];
}

/* The first of the leading columns 0..last of the p x p factor r whose
 * diagonal is negligible beside its column norm (sqrt(colsq)), or last + 1. */
static size_t first_small(const double *r, size_t p, size_t last, const double *colsq)
{
    for (size_t j = 0; j <= last; j++)
        if (!(fabs(r[j * p + j]) > SH_ST_COLLINEAR_TOL * sqrt(colsq[j]))) return j;
    return last + 1;
}

static sheaf_status ols_singular(const char *fn, size_t k, size_t j)
{
    return sh_fail(SHEAF_ERR_SINGULAR,
                   "%s: the order-%zu regression is collinear (column %zu: the series follows an "
                   "exact linear recursion)",
                   fn, k, j);
}

/* statsmodels' pacf_ols(efficient=True): order k on rows k..n-1 with a
 * constant. The factor of rows nlags..n-1 is built by one QR, then the rows
 * nlags-1, .., 1 are appended one by one as k decreases. */
static sheaf_status pacf_ols(const char *fn, const double *x, size_t n, size_t nlags, double *pacf)
{
    size_t p = nlags + 2, m = n - nlags, lwork = 64 * p;
    double *buf = sh_malloc_array(m * p + p * p + 5 * p + lwork + 2 * p * p, sizeof(double));
    if (!buf) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for a %zu x %zu design", fn, m, p);
    double *a = buf, *r = a + m * p, *colsq = r + p * p, *tau = colsq + p, *row = tau + p;
    double *lw = row + p, *work = lw + lwork;
    sheaf_status st = SHEAF_OK;
    memset(colsq, 0, p * sizeof *colsq);
    for (size_t i = 0; i < m; i++) {
        ols_row(x, nlags + i, nlags, row);
        for (size_t j = 0; j < p; j++) {
            a[j * m + i] = row[j];
            colsq[j] += row[j] * row[j];
        }
    }
    st = sh_st_qr(fn, a, m, p, m, tau, lw, lwork);
    if (st != SHEAF_OK) goto done;
    memset(r, 0, p * p * sizeof *r);
    for (size_t j = 0; j < p; j++)
        for (size_t i = 0; i <= j && i < m; i++)
            r[j * p + i] = a[j * m + i];
    for (size_t k = nlags; k >= 1; k--) {
        size_t j = first_small(r, p, k, colsq);
        if (j <= k) {
            st = ols_singular(fn, k, j);
            goto done;
        }
        pacf[k] = r[(p - 1) * p + k] / r[k * p + k];
        if (k == 1) break;
        ols_row(x, k - 1, nlags, row); /* order k - 1 also uses row t = k - 1 */
        for (size_t q = 0; q < p; q++)
            colsq[q] += row[q] * row[q];
        st = sh_qr_append(r, p, p, row, 1, 1, 0, work);
        if (st != SHEAF_OK) goto done;
    }
done:
    sh_free(buf);
    return st;
}

/* statsmodels' pacf_ols(efficient=False): x demeaned, every order on rows
 * nlags..n-1 without a constant: one QR. */
static sheaf_status pacf_ols_common(const char *fn, const double *x, size_t n, size_t nlags,
                                    double *pacf)
{
    size_t p = nlags + 1, m = n - nlags, lwork = 64 * p;
    double *buf = sh_malloc_array(n + m * p + p + lwork, sizeof(double));
    if (!buf) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for a %zu x %zu design", fn, m, p);
    double *xo = buf, *a = xo + n, *tau = a + m * p, *lw = tau + p;
    demean(x, n, xo);
    for (size_t j = 1; j <= nlags; j++)
        memcpy(a + (j - 1) * m, xo + nlags - j, m * sizeof(double));
    memcpy(a + nlags * m, xo + nlags, m * sizeof(double));
    sheaf_status st = sh_st_qr(fn, a, m, p, m, tau, lw, lwork);
    if (st == SHEAF_OK) {
        size_t j = sh_st_first_collinear(a, nlags, m);
        if (j < nlags) st = ols_singular(fn, j + 1, j);
    }
    for (size_t k = 1; k <= nlags && st == SHEAF_OK; k++)
        pacf[k] = a[nlags * m + k - 1] / a[(k - 1) * m + k - 1];
    sh_free(buf);
    return st;
}

static sheaf_status pacf_yw(const char *fn, const double *x, size_t n, size_t nlags, int adjusted,
                            double *pacf)
{
    double *buf = sh_malloc_array(n + nlags + 1 + 2 * nlags, sizeof(double));
    if (!buf) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu values", fn, n);
    double *xo = buf, *s = xo + n, *phi = s + nlags + 1;
    demean(x, n, xo);
    autocov(xo, n, nlags, adjusted, s);
    sheaf_status st = levinson_durbin(fn, s, nlags, phi, pacf);
    sh_free(buf);
    return st;
}

sheaf_status sheaf_pacf(const sheaf_ctx *ctx, const double *x, size_t n, size_t nlags,
                        sheaf_pacf_method method, double *pacf)
{
    static const char fn[] = "sheaf_pacf";
    (void)ctx;
    if (!pacf) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: pacf is NULL", fn);
    if (method < SHEAF_PACF_YW || method > SHEAF_PACF_OLS_ADJUSTED)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: method %d is not one of yw, ywm, ols, ols-inefficient, ols-adjusted "
                       "(0..4)",
                       fn, (int)method);
    sheaf_status st = check_input(fn, x, n);
    if (st != SHEAF_OK) return st;
    if (nlags >= n / 2)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: can only compute partial correlations for lags up to 50%% of the "
                       "sample size: nlags = %zu must be < n/2 = %zu (n = %zu)",
                       fn, nlags, n / 2, n);
    pacf[0] = 1.0;
    if (nlags == 0) return SHEAF_OK;
    switch (method) {
    case SHEAF_PACF_YW: return pacf_yw(fn, x, n, nlags, 1, pacf);
    case SHEAF_PACF_YWM: return pacf_yw(fn, x, n, nlags, 0, pacf);
    case SHEAF_PACF_OLS_INEFFICIENT: return pacf_ols_common(fn, x, n, nlags, pacf);
    case SHEAF_PACF_OLS:
    case SHEAF_PACF_OLS_ADJUSTED:
    default: break;
    }
    st = pacf_ols(fn, x, n, nlags, pacf);
    if (st == SHEAF_OK && method == SHEAF_PACF_OLS_ADJUSTED)
        for (size_t k = 0; k <= nlags; k++)
            pacf[k] *= (double)n / (double)(n - k);
    return st;
}

sheaf_status sheaf_pacf_confint(const double *pacf, size_t nlags, size_t n, double alpha,
                                double *confint)
{
    static const char fn[] = "sheaf_pacf_confint";
    if (!pacf || !confint)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: pacf or confint is NULL", fn);
    if (n == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: n is 0", fn);
    double z;
    sheaf_status st = sh_st_band_z(fn, alpha, &z);
    if (st != SHEAF_OK) return st;
    double half = z * sqrt(1.0 / (double)n);
    confint[0] = confint[1] = pacf[0];
    for (size_t k = 1; k <= nlags; k++) {
        confint[2 * k] = pacf[k] - half;
        confint[2 * k + 1] = pacf[k] + half;
    }
    return SHEAF_OK;
}

/* ---- Ljung-Box and Box-Pierce -------------------------------------------- */

sheaf_status sheaf_acorr_ljungbox(const sheaf_ctx *ctx, const double *x, size_t n,
                                  const size_t *lags, size_t n_lags, size_t model_df,
                                  double *lb_stat, double *lb_pvalue, double *bp_stat,
                                  double *bp_pvalue)
{
    static const char fn[] = "sheaf_acorr_ljungbox";
    (void)ctx;
    if (!lags || n_lags == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: no lags", fn);
    if (!lb_stat || !lb_pvalue)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: lb_stat or lb_pvalue is NULL", fn);
    size_t maxlag = 0;
    for (size_t q = 0; q < n_lags; q++) {
        if (lags[q] == 0)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: lags[%zu] is 0 (lags start at 1)", fn,
                           q);
        if (lags[q] >= n)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: lag %zu needs more than %zu observations (n = %zu)", fn, lags[q],
                           lags[q], n);
        maxlag = lags[q] > maxlag ? lags[q] : maxlag;
    }
    double *buf = sh_malloc_array(3 * (maxlag + 1), sizeof(double));
    if (!buf) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu lags", fn, maxlag);
    double *r = buf, *lb = r + maxlag + 1, *bp = lb + maxlag + 1;
    sheaf_status st = acf_core(fn, x, n, maxlag, 0, r);
    if (st == SHEAF_OK) {
        double slb = 0.0, sbp = 0.0;
        for (size_t k = 1; k <= maxlag; k++) {
            double r2 = r[k] * r[k];
            slb += r2 / (double)(n - k);
            sbp += r2;
            lb[k] = (double)(n * (n + 2)) * slb;
            bp[k] = (double)n * sbp;
        }
    }
    for (size_t q = 0; q < n_lags && st == SHEAF_OK; q++) {
        size_t h = lags[q];
        lb_stat[q] = lb[h];
        if (bp_stat) bp_stat[q] = bp[h];
        lb_pvalue[q] = NAN;
        if (bp_pvalue) bp_pvalue[q] = NAN;
        if (h <= model_df) continue;
        double df = (double)(h - model_df);
        st = sheaf_dist_chi2_sf(lb[h], df, &lb_pvalue[q]);
        if (st == SHEAF_OK && bp_pvalue) st = sheaf_dist_chi2_sf(bp[h], df, &bp_pvalue[q]);
    }
    sh_free(buf);
    return st;
}

sheaf_status sheaf_acorr_ljungbox_auto_lag(const sheaf_ctx *ctx, const double *x, size_t n,
                                           int boxpierce, size_t *lag)
{
    static const char fn[] = "sheaf_acorr_ljungbox_auto_lag";
    (void)ctx;
    if (!lag) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: lag is NULL", fn);
    sheaf_status st = sh_st_check_series(fn, x, n);
    if (st != SHEAF_OK) return st;
    if (n < 2)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: n = %zu; needs at least 2 observations", fn,
                       n);
    size_t maxlag = n - 1;
    double *r = sh_malloc_array(n, sizeof(double));
    if (!r) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu lags", fn, maxlag);
    st = acf_core(fn, x, n, maxlag, 0, r);
    if (st == SHEAF_OK) {
        double dn = (double)n, logn = log(dn), amax = 0.0;
        for (size_t k = 0; k <= maxlag; k++) /* lag 0 included, as statsmodels does */
            amax = fmax(amax, fabs(r[k]));
        bool small = amax * sqrt(dn) <= sqrt(2.4 * logn);
        double cum = 0.0, least = 0.0;
        size_t best = 0;
        for (size_t h = 1; h <= maxlag; h++) {
            cum += boxpierce ? r[h] * r[h] : r[h] * r[h] / (double)(n - h);
            double stat = boxpierce ? dn * cum : (double)(n * (n + 2)) * cum;
            double penalty = small ? (double)h * logn : 2.0 * (double)h;
            double penalised = stat - penalty;
            if (penalised > least) {
                best = h;
                least = penalised;
            }
        }
        *lag = best;
    }
    sh_free(r);
    return st;
}
