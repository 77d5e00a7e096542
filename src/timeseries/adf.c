/* adf.c - the augmented Dickey-Fuller test (Said & Dickey 1984) as
 * statsmodels 0.13.5's adfuller (statsmodels/tsa/stattools.py), with
 * MacKinnon's p-values and critical values (mackinnon.h).
 *
 * For a series x_0 .. x_{n-1} and L lagged differences the test regression
 * is, over rows t = L+1 .. n-1 (nobs = n - 1 - L),
 *   dx_t = deterministic terms + gamma x_{t-1} + sum_{j=1..L} phi_j dx_{t-j} + e_t,
 * and the statistic is the OLS t-value of gamma (s^2 = ssr / (nobs - k), k
 * the regressors). The deterministic terms span {1}, {1, t} or {1, t, t^2};
 * the trend is coded here as u = (t - centre) / half-range (and u^2), and
 * the lagged level is centred when a constant is present: both change the
 * basis of that span, not the fit or gamma's t-value, and keep the
 * regression well conditioned (statsmodels' raw t^2 column costs it ~1e-10
 * of accuracy in the ctt statistics).
 *
 * Lag choice (autolag): every L = 0..maxlag is fitted on the common rows
 * t = maxlag+1 .. n-1 with the columns [deterministic, x_{t-1}, dx_{t-1},
 * .., dx_{t-maxlag}, dx_t]. One Householder QR of that matrix gives them
 * all: the fit on the first k columns has ssr_k = sum_{i>=k} R_{i,y}^2 and
 * last-coefficient t-value R_{k-1,y} / sqrt(ssr_k / (rows - k)). The
 * information criteria are statsmodels' OLS ones (llf = -n/2 log(2 pi) -
 * n/2 log(ssr/n) - n/2, aic = -2 llf + 2k, bic = -2 llf + log(n) k); the
 * chosen L is then refitted on its own rows t = L+1 .. n-1. */
#include "linalg/qr.h"
#include "sheaf_linalg.h"
#include "sheaf_stattools.h"
#include "timeseries/mackinnon.h"
#include "timeseries/stattools_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* statsmodels' stopping value for autolag='t-stat': norm.ppf(0.95) as it
 * writes it. */
#define ADF_TSTAT_STOP 1.6448536269514722
/* Series per partition of sheaf_adfuller_many: enough to amortise the
 * workspace, few enough to balance two threads over a few hundred series. */
#define ADF_MANY_CHUNK 16
#define ADF_LOG_2PI 1.8378770664093453 /* numpy's np.log(2 * np.pi) */

static const char *const trend_name[SH_MACKINNON_TRENDS] = {"n", "c", "ct", "ctt"};

sheaf_adf_options sheaf_adf_options_default(void)
{
    sheaf_adf_options o = {SHEAF_TREND_C, SHEAF_ADF_AUTOLAG_AIC, SHEAF_ADF_MAXLAG_DEFAULT};
    return o;
}

static bool trend_ok(sheaf_trend trend)
{
    return trend >= SHEAF_TREND_N && trend <= SHEAF_TREND_CTT;
}

sheaf_status sheaf_mackinnonp(double stat, sheaf_trend trend, double *p)
{
    if (!p) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_mackinnonp: p is NULL");
    if (!trend_ok(trend))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "sheaf_mackinnonp: trend %d is not one of n, c, "
                       "ct, ctt (0..3)",
                       (int)trend);
    int r = (int)trend;
    if (isnan(stat)) {
        *p = NAN;
        return SHEAF_OK;
    }
    if (stat > sh_mackinnon_tau_max[r]) {
        *p = 1.0;
        return SHEAF_OK;
    }
    if (stat < sh_mackinnon_tau_min[r]) {
        *p = 0.0;
        return SHEAF_OK;
    }
    /* numpy.polyval: Horner from the highest power, coefficients scaled
     * first, so the argument of Phi is statsmodels' to the bit. */
    double y;
    if (stat <= sh_mackinnon_tau_star[r]) {
        y = sh_mackinnon_smallp[r][2] * sh_mackinnon_smallp_scale[2];
        for (int i = 1; i >= 0; i--)
            y = y * stat + sh_mackinnon_smallp[r][i] * sh_mackinnon_smallp_scale[i];
    } else {
        y = sh_mackinnon_largep[r][3] * sh_mackinnon_largep_scale[3];
        for (int i = 2; i >= 0; i--)
            y = y * stat + sh_mackinnon_largep[r][i] * sh_mackinnon_largep_scale[i];
    }
    return sheaf_dist_normal_cdf(y, p);
}

sheaf_status sheaf_mackinnoncrit(sheaf_trend trend, double nobs, double *crit)
{
    if (!crit) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_mackinnoncrit: crit is NULL");
    if (!trend_ok(trend))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "sheaf_mackinnoncrit: trend %d is not one of n, "
                       "c, ct, ctt (0..3)",
                       (int)trend);
    if (!(nobs > 0.0))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_mackinnoncrit: nobs must be > 0, got %g",
                       nobs);
    int r = (int)trend;
    for (int level = 0; level < SH_MACKINNON_LEVELS; level++) {
        const double *b = sh_mackinnon_crit[r][level];
        if (isinf(nobs)) {
            crit[level] = b[0];
            continue;
        }
        double u = 1.0 / nobs, y = b[3];
        for (int i = 2; i >= 0; i--)
            y = y * u + b[i];
        crit[level] = y;
    }
    return SHEAF_OK;
}

/* ---- one series ------------------------------------------------------------ */

/* The options resolved for series of length T. */
typedef struct adf_plan {
    size_t T, maxlag, ntrend;
    sheaf_trend trend;
    sheaf_adf_autolag autolag;
} adf_plan;

/* Who reports a failure: the public function, and the series of a batch
 * (SIZE_MAX for a single series). */
typedef struct adf_who {
    const char *fn;
    size_t series;
} adf_who;

static sheaf_status adf_fail(const adf_who *who, sheaf_status st, const char *fmt, ...)
    SH_PRINTF(3, 4);

static sheaf_status adf_fail(const adf_who *who, sheaf_status st, const char *fmt, ...)
{
    char msg[SH_ERROR_CAPACITY];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (who->series == SIZE_MAX) return sh_fail(st, "%s: %s", who->fn, msg);
    return sh_fail(st, "%s: series %zu: %s", who->fn, who->series, msg);
}

static sheaf_status adf_plan_make(const adf_who *who, size_t T, const sheaf_adf_options *o,
                                  adf_plan *plan)
{
    if (!trend_ok(o->trend))
        return adf_fail(who, SHEAF_ERR_INVALID_ARGUMENT,
                        "trend %d is not one of n, c, ct, ctt (0..3)", (int)o->trend);
    if (o->autolag < SHEAF_ADF_AUTOLAG_NONE || o->autolag > SHEAF_ADF_AUTOLAG_TSTAT)
        return adf_fail(who, SHEAF_ERR_INVALID_ARGUMENT,
                        "autolag %d is not one of none, AIC, BIC, t-stat (0..3)", (int)o->autolag);
    size_t ntrend = (size_t)o->trend;
    const char *tn = trend_name[o->trend];
    /* statsmodels: maxlag <= n/2 - ntrend - 1 (integer division) */
    size_t half = T / 2;
    if (half < ntrend + 1)
        return adf_fail(who, SHEAF_ERR_INVALID_ARGUMENT,
                        "n = %zu is too short for regression '%s' (needs at least %zu "
                        "observations)",
                        T, tn, 2 * ntrend + 2);
    size_t limit = half - ntrend - 1, maxlag;
    if (o->maxlag == SHEAF_ADF_MAXLAG_DEFAULT) {
        double d = ceil(12.0 * pow((double)T / 100.0, 0.25));
        maxlag = d < (double)limit ? (size_t)d : limit;
    } else {
        maxlag = o->maxlag;
        if (maxlag > limit)
            return adf_fail(who, SHEAF_ERR_INVALID_ARGUMENT,
                            "maxlag %zu needs n >= %zu for regression '%s' (maxlag <= n/2 - %zu, "
                            "as statsmodels requires); n = %zu",
                            maxlag, 2 * (maxlag + ntrend + 1), tn, ntrend + 1, T);
    }
    /* Every fit must keep a residual degree of freedom: rows n - 1 - maxlag
     * > ntrend + 1 + maxlag. Only trend n with n = 2 maxlag + 2 breaks it
     * (statsmodels then divides by zero). */
    if (T < 2 * maxlag + ntrend + 3)
        return adf_fail(who, SHEAF_ERR_INVALID_ARGUMENT,
                        "n = %zu is too short for maxlag %zu with regression '%s': the lag-%zu "
                        "regression would have no residual degrees of freedom (needs n >= %zu; "
                        "pass a smaller maxlag)",
                        T, maxlag, tn, maxlag, 2 * maxlag + ntrend + 3);
    plan->T = T;
    plan->maxlag = maxlag;
    plan->ntrend = ntrend;
    plan->trend = o->trend;
    plan->autolag = o->autolag;
    return SHEAF_OK;
}

/* Rows of the design built at a time: the factor of a long series is
 * accumulated block by block (TSQR), so a series of a million observations
 * needs a block of the design, not all of it. */
#define ADF_BLOCK_ROWS 1024

/* Scratch for one series, sized by its plan. */
typedef struct adf_work {
    double *dx;  /* T: dx[t] = x[t] - x[t-1], t >= 1 */
    double *a;   /* rows x pmax column-major block of the design */
    double *r;   /* pmax x pmax: the R factor (leading dimension p of the fit) */
    double *tau; /* pmax */
    double *lw;  /* lwork: dgeqrf's, and sh_qr_append's 2 pmax^2 */
    size_t rows, lwork;
    double *block;
} adf_work;

static size_t adf_pmax(const adf_plan *plan) { return plan->ntrend + plan->maxlag + 2; }

static sheaf_status adf_work_alloc(const adf_who *who, const adf_plan *plan, adf_work *w)
{
    size_t T = plan->T, p = adf_pmax(plan);
    size_t rows = ADF_BLOCK_ROWS > p ? ADF_BLOCK_ROWS : p;
    if (rows > T - 1) rows = T - 1;
    size_t lwork = 2 * p * p > 64 * p ? 2 * p * p : 64 * p, count = 0;
    bool ok = p < ((size_t)1 << 26) && (count = T + rows * p + p * p + p + lwork) >= T;
    w->block = ok ? sh_malloc_array(count, sizeof(double)) : NULL;
    if (!w->block)
        return adf_fail(who, SHEAF_ERR_NOMEM, "out of memory for a %zu-column test regression", p);
    w->dx = w->block;
    w->a = w->dx + T;
    w->r = w->a + rows * p;
    w->tau = w->r + p * p;
    w->lw = w->tau + p;
    w->rows = rows;
    w->lwork = lwork;
    return SHEAF_OK;
}

/* The layout of one regression: rows t = t0 .. T-1, L lagged differences,
 * the lagged level after the deterministic terms or (level_last) after the
 * lags, and the centring of the trend and the level. */
typedef struct adf_fit {
    size_t t0, L, p;
    bool level_last;
    double centre, half, mean;
} adf_fit;

static adf_fit adf_fit_make(const adf_plan *plan, const double *x, size_t t0, size_t L,
                            bool level_last)
{
    size_t T = plan->T, m = T - t0;
    adf_fit f = {
        t0, L, plan->ntrend + L + 2, level_last, 0.5 * (double)(t0 + T - 1), 0.5 * (double)(m - 1),
        0.0};
    if (f.half == 0.0) f.half = 1.0;
    if (plan->ntrend >= 1) {
        for (size_t t = t0; t < T; t++)
            f.mean += x[t - 1];
        f.mean /= (double)m;
    }
    return f;
}

/* Rows t0 + r0 .. t0 + r0 + mb - 1 of the design into a (leading dimension
 * mb): the deterministic columns (1, u, u^2), then x_{t-1} and dx_{t-1} ..
 * dx_{t-L} (level_last: the lags, then x_{t-1}), then dx_t. */
static void adf_design(const adf_plan *plan, const adf_fit *f, const double *x, const double *dx,
                       size_t r0, size_t mb, double *a)
{
    size_t nt = plan->ntrend, t1 = f->t0 + r0, c = 0;
    if (nt >= 1) {
        double *col = a + (c++) * mb;
        for (size_t r = 0; r < mb; r++)
            col[r] = 1.0;
    }
    if (nt >= 2) {
        double *col = a + (c++) * mb;
        for (size_t r = 0; r < mb; r++)
            col[r] = ((double)(t1 + r) - f->centre) / f->half;
        if (nt >= 3) {
            double *sq = a + (c++) * mb;
            for (size_t r = 0; r < mb; r++)
                sq[r] = col[r] * col[r];
        }
    }
    size_t level = f->level_last ? nt + f->L : nt, first_lag = f->level_last ? nt : nt + 1;
    double *lev = a + level * mb;
    for (size_t r = 0; r < mb; r++)
        lev[r] = x[t1 + r - 1] - f->mean;
    for (size_t j = 1; j <= f->L; j++)
        memcpy(a + (first_lag + j - 1) * mb, dx + t1 - j, mb * sizeof(double));
    memcpy(a + (nt + f->L + 1) * mb, dx + t1, mb * sizeof(double));
}

/* w->r (p x p, leading dimension p) := the R factor of the design of f, one
 * block of rows at a time; then the collinearity check of its regressors
 * (all columns but the last). */
static sheaf_status adf_factor(const adf_who *who, const adf_plan *plan, const adf_fit *f,
                               const double *x, adf_work *w)
{
    size_t m = plan->T - f->t0, p = f->p, mb = m < w->rows ? m : w->rows;
    adf_design(plan, f, x, w->dx, 0, mb, w->a);
    sheaf_status st = sh_st_qr(who->fn, w->a, mb, p, mb, w->tau, w->lw, w->lwork);
    if (st != SHEAF_OK) return st;
    for (size_t j = 0; j < p; j++)
        for (size_t i = 0; i < p; i++)
            w->r[j * p + i] = i <= j ? w->a[j * mb + i] : 0.0;
    for (size_t r0 = mb; r0 < m && st == SHEAF_OK; r0 += mb) {
        size_t rows = m - r0 < mb ? m - r0 : mb;
        adf_design(plan, f, x, w->dx, r0, rows, w->a);
        st = sh_qr_append(w->r, p, p, w->a, rows, rows, 0, w->lw);
    }
    if (st != SHEAF_OK) return st;
    size_t j = sh_st_first_collinear(w->r, p - 1, p);
    if (j == p - 1) return SHEAF_OK;
    size_t nt = plan->ntrend, level = f->level_last ? nt + f->L : nt;
    if (j < nt)
        return adf_fail(who, SHEAF_ERR_SINGULAR,
                        "the deterministic terms of regression '%s' are collinear on %zu rows",
                        trend_name[plan->trend], m);
    if (j == level)
        return adf_fail(who, SHEAF_ERR_SINGULAR,
                        "the lagged level x[t-1] is collinear with the other regressors of "
                        "regression '%s' (x is an exact polynomial trend, or fully explained "
                        "by its lagged differences)",
                        trend_name[plan->trend]);
    size_t lag = f->level_last ? j - nt + 1 : j - nt;
    return adf_fail(who, SHEAF_ERR_SINGULAR,
                    "the lag-%zu difference dx[t-%zu] is collinear with the other regressors "
                    "(the differences follow an exact recursion)",
                    lag, lag);
}

/* Fits every L = 0..maxlag on the common rows and picks one; *icbest as
 * statsmodels reports it. */
static sheaf_status adf_autolag(const adf_who *who, const adf_plan *plan, const double *x,
                                adf_work *w, size_t *lag, double *icbest)
{
    size_t maxlag = plan->maxlag, t0 = maxlag + 1, m = plan->T - t0, k0 = plan->ntrend + 1;
    adf_fit f = adf_fit_make(plan, x, t0, maxlag, false);
    sheaf_status st = adf_factor(who, plan, &f, x, w);
    if (st != SHEAF_OK) return st;
    size_t p = f.p;
    const double *ry = w->r + (p - 1) * p; /* R's last column: Q' dx_t */
    double n = (double)m, n2 = n / 2.0, logn = log(n);
    double ssr = 0.0, best = INFINITY;
    size_t best_lag = 0;
    bool tstat = plan->autolag == SHEAF_ADF_AUTOLAG_TSTAT, stopped = false;
    /* ssr of the fit on the first k columns is the sum of ry[i]^2, i >= k:
     * walk k down from the full model, L = k - k0 from maxlag to 0. */
    for (size_t i = p; i-- > k0;) {
        ssr += ry[i] * ry[i];
        size_t k = i, L = k - k0;
        if (tstat) {
            if (stopped) continue;
            double t = fabs(ry[k - 1]) / sqrt(ssr / (n - (double)k));
            best = t;
            best_lag = L;
            if (t >= ADF_TSTAT_STOP) stopped = true;
            continue;
        }
        double llf = -n2 * ADF_LOG_2PI - n2 * log(ssr / n) - n2;
        double ic = plan->autolag == SHEAF_ADF_AUTOLAG_AIC ? -2.0 * llf + 2.0 * (double)k
                                                           : -2.0 * llf + logn * (double)k;
        if (ic <= best) { /* walking down, <= keeps the smaller L on ties */
            best = ic;
            best_lag = L;
        }
    }
    *lag = best_lag;
    *icbest = best;
    return SHEAF_OK;
}

static void adf_nan_result(sheaf_adf_result *out)
{
    out->stat = out->pvalue = out->icbest = NAN;
    out->crit[0] = out->crit[1] = out->crit[2] = NAN;
    out->usedlag = out->nobs = out->maxlag = 0;
}

static sheaf_status adf_one(const adf_who *who, const adf_plan *plan, const double *x, adf_work *w,
                            sheaf_adf_result *out)
{
    size_t T = plan->T;
    for (size_t i = 0; i < T; i++)
        if (!isfinite(x[i])) return adf_fail(who, SHEAF_ERR_NONFINITE, "x[%zu] is %g", i, x[i]);
    if (sh_st_is_constant(x, T))
        return adf_fail(who, SHEAF_ERR_SINGULAR,
                        "the series is constant (x[0] = %g everywhere): the test regression is "
                        "singular",
                        x[0]);
    w->dx[0] = 0.0;
    for (size_t t = 1; t < T; t++)
        w->dx[t] = x[t] - x[t - 1];
    size_t L = plan->maxlag;
    double icbest = NAN;
    sheaf_status st = SHEAF_OK;
    if (plan->autolag != SHEAF_ADF_AUTOLAG_NONE) st = adf_autolag(who, plan, x, w, &L, &icbest);
    if (st != SHEAF_OK) return st;
    size_t m = T - (L + 1);
    adf_fit f = adf_fit_make(plan, x, L + 1, L, true);
    st = adf_factor(who, plan, &f, x, w);
    if (st != SHEAF_OK) return st;
    size_t p = f.p;
    const double *ry = w->r + (p - 1) * p;
    double ssr = ry[p - 1] * ry[p - 1];
    if (!(ssr > 0.0))
        return adf_fail(who, SHEAF_ERR_SINGULAR,
                        "the lag-%zu test regression fits dx exactly (ssr = 0)", L);
    size_t k = p - 1;
    out->stat = ry[k - 1] / sqrt(ssr / (double)(m - k));
    out->usedlag = L;
    out->nobs = m;
    out->maxlag = plan->maxlag;
    out->icbest = icbest;
    st = sheaf_mackinnonp(out->stat, plan->trend, &out->pvalue);
    if (st == SHEAF_OK) st = sheaf_mackinnoncrit(plan->trend, (double)m, out->crit);
    return st;
}

sheaf_status sheaf_adfuller(const sheaf_ctx *ctx, const double *x, size_t n,
                            const sheaf_adf_options *opts, sheaf_adf_result *out)
{
    (void)ctx;
    adf_who who = {"sheaf_adfuller", SIZE_MAX};
    if (!x) return adf_fail(&who, SHEAF_ERR_INVALID_ARGUMENT, "x is NULL");
    if (!out) return adf_fail(&who, SHEAF_ERR_INVALID_ARGUMENT, "out is NULL");
    sheaf_adf_options o = opts ? *opts : sheaf_adf_options_default();
    adf_plan plan;
    adf_work w = {0};
    sheaf_status st = adf_plan_make(&who, n, &o, &plan);
    if (st == SHEAF_OK) st = adf_work_alloc(&who, &plan, &w);
    if (st == SHEAF_OK) st = adf_one(&who, &plan, x, &w, out);
    if (st != SHEAF_OK) adf_nan_result(out);
    sh_free(w.block);
    return st;
}

/* ---- many series ------------------------------------------------------------ */

typedef struct adf_many_job {
    const double *x;
    size_t n_series, ld;
    adf_plan plan;
    sheaf_adf_result *out;
    sheaf_status *status;
} adf_many_job;

static sheaf_status adf_many_task(void *arg, size_t part)
{
    const adf_many_job *job = arg;
    adf_who who = {"sheaf_adfuller_many", SIZE_MAX};
    adf_work w = {0};
    sheaf_status st = adf_work_alloc(&who, &job->plan, &w);
    size_t end = (part + 1) * ADF_MANY_CHUNK;
    if (end > job->n_series) end = job->n_series;
    for (size_t i = part * ADF_MANY_CHUNK; i < end && st == SHEAF_OK; i++) {
        who.series = i;
        sheaf_status si = adf_one(&who, &job->plan, job->x + i * job->ld, &w, job->out + i);
        if (si != SHEAF_OK) adf_nan_result(job->out + i);
        if (job->status) {
            job->status[i] = si;
            if (si == SHEAF_ERR_NOMEM || si == SHEAF_ERR_INTERNAL) st = si; /* not the data's */
        } else {
            st = si;
        }
    }
    sh_free(w.block);
    return st;
}

sheaf_status sheaf_adfuller_many(const sheaf_ctx *ctx, const double *x, size_t n_series, size_t T,
                                 size_t ld, const sheaf_adf_options *opts, sheaf_adf_result *out,
                                 sheaf_status *status)
{
    adf_who who = {"sheaf_adfuller_many", SIZE_MAX};
    if (n_series == 0) return SHEAF_OK;
    if (!x) return adf_fail(&who, SHEAF_ERR_INVALID_ARGUMENT, "x is NULL");
    if (!out) return adf_fail(&who, SHEAF_ERR_INVALID_ARGUMENT, "out is NULL");
    if (ld < T)
        return adf_fail(&who, SHEAF_ERR_DIMENSION,
                        "ld = %zu is less than the series length T = %zu", ld, T);
    if (n_series > 1 && ld > (SIZE_MAX / sizeof(double)) / n_series)
        return adf_fail(&who, SHEAF_ERR_DIMENSION,
                        "%zu series of ld %zu overflow the address space", n_series, ld);
    sheaf_adf_options o = opts ? *opts : sheaf_adf_options_default();
    adf_many_job job = {x, n_series, ld, {0}, out, status};
    sheaf_status st = adf_plan_make(&who, T, &o, &job.plan);
    if (st != SHEAF_OK) return st;
    size_t parts = (n_series + ADF_MANY_CHUNK - 1) / ADF_MANY_CHUNK;
    return sheaf_exec_for(ctx, parts, adf_many_task, &job);
}
