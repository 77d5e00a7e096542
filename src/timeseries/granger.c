/* granger.c - Granger causality tests from one merged lag factor. Mirrors
 * statsmodels' grangercausalitytests (0.13, statsmodels/tsa/stattools.py):
 * for lag L the rows t = L..T-1 (lagmat2ds with trim 'both'), y_t on a
 * constant and its own lags 1..L (restricted) and also x's lags 1..L
 * (unrestricted); ssr F = (ssr_r - ssr_u) / ssr_u * df_u / L, chi2 =
 * nobs (ssr_r - ssr_u) / ssr_u, LR = nobs log(ssr_r / ssr_u) (the OLS
 * log-likelihood difference), and the Wald F of x's lags, which for these
 * nested OLS fits is the same quadratic form as the ssr F (it is computed
 * as such: ||R_22 b||^2 = ssr_r - ssr_u).
 * One factor serves every lag and pair: the R factor of the design with
 * all k series and lags 0..Lmax over t = Lmax..T-1 (lagged.h), to which the
 * rows t = L..Lmax-1 are appended one at a time as L decreases (their
 * columns beyond lag L, unused at lag L, are zero: X_S = Q R[:, S] holds
 * whatever the other columns hold); with a common sample nothing is
 * appended. Bivariate tests share work twice over: the unrestricted
 * regressions of i on j and of j on i have the same columns (constant, both
 * series' lags), so one QR gives both residual sums; and per caused series
 * the constant and its own lags are factored once, their Q' applied to all
 * causing series' columns in one blocked call (sh_qr_reflectors,
 * sh_qr_apply_qt), leaving per pair a QR of lag columns over the rotated
 * lower rows (sh_qr_residuals). At lag 4 on 50 series that is ~18 kflop per
 * ordered pair, 10 of them level-3, against ~50 kflop for a QR per
 * regression. A collinear design sends the lag back to one QR per
 * regression, whose messages name the pair; the routes order the columns
 * differently, so a design within rounding of the collinearity bound may be
 * judged differently. Conditional tests (every other series' lags in both
 * regressions) share one unrestricted regression for all caused series and
 * one restricted regression per causing series, each solved for all k
 * targets at once (sh_qr_multi_fit): 1 + k fits per lag instead of 2 k^2. */
#include "linalg/qr.h"
#include "sheaf_linalg.h"
#include "timeseries/granger_internal.h"
#include "timeseries/lagged.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_lag_descending(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x < y) - (x > y);
}

/* Appends row t of the design (lags above max_used zero) to r. */
static sheaf_status append_row(const sh_lagged *s, size_t t, size_t max_used, double *r,
                               double *row, double *work)
{
    size_t d = sh_lagged_width(s);
    memset(row, 0, d * sizeof *row);
    row[0] = 1.0;
    for (size_t lag = 0; lag <= max_used; lag++)
        for (size_t j = 0; j < s->k; j++)
            row[sh_lagged_column(s, j, lag)] = s->y[(t - lag) * s->ld + j];
    return sh_qr_append(r, d, d, row, 1, 1, 0, work);
}

/* "3" or "'gdp'": how messages name series i. */
static void series_name(const sh_granger_spec *spec, size_t i, char *buf, size_t cap)
{
    if (spec->names && spec->names[i])
        snprintf(buf, cap, "'%s'", spec->names[i]);
    else
        snprintf(buf, cap, "%zu", i);
}

typedef struct lag_job {
    const sh_granger_spec *spec;
    const sh_lagged *s;
    const double *r; /* the factor for this lag's rows */
    size_t d, lag, nobs;
    const double *ssr_u; /* conditional: the k unrestricted residual sums */
    sh_granger_visit visit;
    void *arg;
    double *pair_r, *pair_u; /* shared path: k restricted, k x k unrestricted sums */
} lag_job;

/* Task (bivariate): every pair whose caused series is i, at one lag. Each
 * task owns its buffers and writes only its own results, so tasks run in
 * parallel and the lowest failing series is the one reported. */
static sheaf_status caused_task(void *arg, size_t i)
{
    const lag_job *job = arg;
    const sh_granger_spec *spec = job->spec;
    const sh_lagged *s = job->s;
    size_t lag = job->lag, d = job->d, nc = 2 * lag + 1, y = sh_lagged_column(s, i, 0);
    size_t *cols = sh_malloc_array(nc, sizeof(size_t));
    double *buf = sh_malloc_array(sh_qr_subset_work(d, nc) + nc, sizeof(double));
    sheaf_status st = SHEAF_OK;
    int unrestricted = 0;
    if (!cols || !buf) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", spec->caller);
        goto done;
    }
    double *beta = buf + sh_qr_subset_work(d, nc);
    cols[0] = 0; /* restricted: constant and own lags 1..lag */
    for (size_t l = 1; l <= lag; l++)
        cols[l] = sh_lagged_column(s, i, l);
    sh_granger_fit fit = {lag, i, 0, job->nobs, nc, 0.0, 0.0};
    st = sh_qr_subset_fit(job->r, d, d, cols, lag + 1, y, beta, &fit.ssr_r, NULL, buf);
    for (size_t j = 0; j < s->k && st == SHEAF_OK; j++) {
        if (j == i || (spec->one_pair && j != 1)) continue;
        for (size_t l = 1; l <= lag; l++)
            cols[lag + l] = sh_lagged_column(s, j, l);
        fit.j = j;
        unrestricted = 1;
        st = sh_qr_subset_fit(job->r, d, d, cols, nc, y, beta, &fit.ssr_u, NULL, buf);
        if (st == SHEAF_OK) st = job->visit(job->arg, &fit);
    }
    if (st == SHEAF_ERR_SINGULAR) {
        char a[80], b[80];
        series_name(spec, i, a, sizeof a);
        series_name(spec, fit.j, b, sizeof b);
        if (unrestricted)
            st = sh_fail(SHEAF_ERR_SINGULAR,
                         "%s: the lag-%zu regression of series %s on series %s is collinear (a "
                         "constant series, or series that are exact combinations of others)",
                         spec->caller, lag, a, b);
        else
            st = sh_fail(SHEAF_ERR_SINGULAR,
                         "%s: the lag-%zu regression of series %s is collinear (a constant "
                         "series, or series that are exact combinations of others)",
                         spec->caller, lag, a);
    }
done:
    sh_free(cols);
    sh_free(buf);
    return st;
}

/* Bound on one task's block of rotated causing columns (doubles, 2 MiB): all
 * of them for the benchmark's 50 series, chunks of them for thousands. */
#define SHARED_CHUNK ((size_t)1 << 18)
/* A diagonal of R at most this times the largest is collinear (the bound of
 * sh_qr_subset_fit, so both paths call the same designs singular). */
#define COLLINEAR 1e-12

/* Rows 1..col of column col of the factor into dst, zeros to rows: the part
 * of a design column orthogonal to the constant, since column 0 of R (the
 * constant's) is R_00 e_0. */
static void copy_column(const double *r, size_t ldr, size_t col, double *dst, size_t rows)
{
    memcpy(dst, r + col * ldr + 1, col * sizeof *dst);
    memset(dst + col, 0, (rows - col) * sizeof *dst);
}

/* Whether every diag[0..n) exceeds COLLINEAR times the largest of them and
 * dmax; updates dmax to that largest. */
static int independent(const double *diag, size_t n, double *dmax)
{
    for (size_t q = 0; q < n; q++)
        *dmax = fmax(*dmax, diag[q]);
    for (size_t q = 0; q < n; q++)
        if (!(diag[q] > COLLINEAR * *dmax)) return 0;
    return 1;
}

/* Task (bivariate, shared path): the restricted fit of series i and the
 * unrestricted fits of every pair {i, j}, j > i. Both ordered pairs of
 * {i, j} regress on the same columns (constant, i's and j's lags 1..lag),
 * so one QR serves both targets. The base (i's lags, the constant dropped
 * with row 0) is factored once and its Q' rotates every j's columns in one
 * blocked call; each pair is then a QR of j's lag columns' rotated lower
 * rows. A collinear design returns SINGULAR without a message: the caller
 * then reruns the lag on the per-pair path, which names the regression. */
static sheaf_status shared_task(void *arg, size_t i)
{
    const lag_job *job = arg;
    const sh_lagged *s = job->s;
    size_t k = s->k, lag = job->lag, w = lag + 1;  /* per series: lags 1..lag, then lag 0 */
    size_t rows = sh_lagged_column(s, k - 1, lag); /* the last column used: rows 1..rows of R */
    size_t low = rows - lag, chunk = SHARED_CHUNK / (w * rows);
    chunk = chunk == 0 ? 1 : chunk > k - 1 - i ? k - 1 - i : chunk;
    size_t n_base = rows * w + lag * lag + 2 * lag + sh_qr_reflectors_work(lag) + low;
    size_t n_chunk = rows * w * chunk + lag * w * chunk;
    double *buf = sh_malloc_array(n_base + n_chunk, sizeof(double));
    if (!buf) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", job->spec->caller);
    double *b = buf, *t = b + rows * w, *diag = t + lag * lag, *dpair = diag + lag;
    double *yi = dpair + lag, *work = yi + low, *c = buf + n_base, *cwork = c + rows * w * chunk;
    double *yb = b + lag * rows, r00 = fabs(job->r[0]), dmax = r00, ssr[2];
    for (size_t l = 1; l <= lag; l++)
        copy_column(job->r, job->d, sh_lagged_column(s, i, l), b + (l - 1) * rows, rows);
    copy_column(job->r, job->d, sh_lagged_column(s, i, 0), yb, rows);
    sheaf_status st = sh_qr_reflectors(b, rows, rows, lag, t, diag, work);
    if (st == SHEAF_OK) st = sh_qr_apply_qt(b, rows, rows, lag, t, yb, 1, rows, work);
    if (st == SHEAF_OK && !(independent(diag, lag, &dmax) && r00 > COLLINEAR * dmax))
        st = SHEAF_ERR_SINGULAR;
    if (st == SHEAF_OK) {
        double *lower = yb + lag;
        sh_qr_residuals(NULL, low, rows, 0, &lower, 1, NULL, job->pair_r + i);
    }
    for (size_t j0 = i + 1; j0 < k && st == SHEAF_OK; j0 += chunk) {
        size_t n = j0 + chunk <= k ? chunk : k - j0;
        for (size_t a = 0; a < n; a++)
            for (size_t l = 0; l <= lag; l++)
                copy_column(job->r, job->d, sh_lagged_column(s, j0 + a, l == lag ? 0 : l + 1),
                            c + (a * w + l) * rows, rows);
        st = sh_qr_apply_qt(b, rows, rows, lag, t, c, n * w, rows, cwork);
        for (size_t a = 0; a < n && st == SHEAF_OK; a++) {
            size_t j = j0 + a;
            double *cj = c + a * w * rows + lag, *targets[2] = {yi, cj + lag * rows}, dm = dmax;
            memcpy(yi, yb + lag, low * sizeof *yi);
            sh_qr_residuals(cj, low, rows, lag, targets, 2, dpair, ssr);
            if (!independent(dpair, lag, &dm) || !independent(diag, lag, &dm) ||
                !(r00 > COLLINEAR * dm))
                st = SHEAF_ERR_SINGULAR;
            job->pair_u[i * k + j] = ssr[0];
            job->pair_u[j * k + i] = ssr[1];
        }
    }
    sh_free(buf);
    return st;
}

/* Task (shared path): hands the fits of caused series i to the visitor. */
static sheaf_status shared_visit(void *arg, size_t i)
{
    const lag_job *job = arg;
    size_t k = job->s->k;
    sheaf_status st = SHEAF_OK;
    for (size_t j = 0; j < k && st == SHEAF_OK; j++) {
        if (j == i) continue;
        sh_granger_fit fit = {
            job->lag, i, j, job->nobs, 2 * job->lag + 1, job->pair_r[i], job->pair_u[i * k + j]};
        st = job->visit(job->arg, &fit);
    }
    return st;
}

/* The bivariate fits of one lag: the shared path, or on a collinear design
 * the per-pair path (caused_task), whose messages name the regression. */
static sheaf_status bivariate_lag(const sheaf_ctx *ctx, lag_job *job)
{
    size_t k = job->s->k;
    sheaf_status st =
        job->spec->one_pair ? SHEAF_ERR_SINGULAR : sheaf_exec_for(ctx, k, shared_task, job);
    if (st == SHEAF_OK) return sheaf_exec_for(ctx, k, shared_visit, job);
    if (st != SHEAF_ERR_SINGULAR) return st;
    sh_clear_error();
    return sheaf_exec_for(ctx, job->spec->one_pair ? 1 : k, caused_task, job);
}

/* The columns of the conditional regressions: the constant, then lags
 * 1..lag of every series but skip (skip = k: none). Returns their count. */
static size_t conditional_cols(const sh_lagged *s, size_t lag, size_t skip, size_t *cols)
{
    size_t n = 0;
    cols[n++] = 0;
    for (size_t l = 1; l <= lag; l++)
        for (size_t m = 0; m < s->k; m++)
            if (m != skip) cols[n++] = sh_lagged_column(s, m, l);
    return n;
}

/* Every target's residual sum of squares (diagonal of rss) regressed on the
 * conditional columns without series skip. buf: conditional_buffer doubles. */
static sheaf_status conditional_fit(const lag_job *job, size_t skip, size_t *cols, double *buf,
                                    double *ssr)
{
    const sh_lagged *s = job->s;
    size_t k = s->k, nc = conditional_cols(s, job->lag, skip, cols), *targets = cols + nc;
    for (size_t m = 0; m < k; m++)
        targets[m] = sh_lagged_column(s, m, 0);
    double *beta = buf, *rss = beta + nc * k, *work = rss + k * k;
    sheaf_status st =
        sh_qr_multi_fit(job->r, job->d, job->d, cols, nc, targets, k, beta, rss, NULL, work);
    for (size_t m = 0; m < k && st == SHEAF_OK; m++)
        ssr[m] = rss[m * k + m];
    return st;
}

static size_t conditional_buffer(const lag_job *job)
{
    size_t k = job->s->k, nc = k * job->lag + 1;
    return nc * k + k * k + sh_qr_multi_work(job->d, nc, k);
}

/* After a collinear conditional fit: names the first series whose own lags
 * are collinear with the constant (a constant series), if any. */
static sheaf_status conditional_singular(const lag_job *job, size_t *cols, double *buf)
{
    const sh_granger_spec *spec = job->spec;
    const sh_lagged *s = job->s;
    size_t lag = job->lag;
    for (size_t m = 0; m < s->k; m++) {
        cols[0] = 0;
        for (size_t l = 1; l <= lag; l++)
            cols[l] = sh_lagged_column(s, m, l);
        double ssr, *beta = buf, *work = buf + lag + 1; /* the target is immaterial */
        if (sh_qr_subset_fit(job->r, job->d, job->d, cols, lag + 1, 0, beta, &ssr, NULL, work) ==
            SHEAF_ERR_SINGULAR) {
            char a[80];
            series_name(spec, m, a, sizeof a);
            return sh_fail(SHEAF_ERR_SINGULAR,
                           "%s: the lag-%zu conditional regressions are collinear: series %s is "
                           "constant",
                           spec->caller, lag, a);
        }
    }
    return sh_fail(SHEAF_ERR_SINGULAR,
                   "%s: the lag-%zu conditional regressions are collinear (series that are exact "
                   "combinations of others)",
                   spec->caller, lag);
}

/* The conditional fits without series skip's lags (skip = k: the
 * unrestricted fit), with a collinear design named: on success *ssr holds
 * every target's residual sum of squares, k doubles inside *buf, which the
 * caller frees with sh_free after any outcome. */
static sheaf_status conditional_ssr(const lag_job *job, size_t skip, double **buf, double **ssr)
{
    size_t k = job->s->k, n_buf = conditional_buffer(job);
    size_t *cols = sh_malloc_array(k * job->lag + 1 + k, sizeof(size_t));
    *buf = sh_malloc_array(n_buf + k, sizeof(double));
    sheaf_status st;
    if (!cols || !*buf) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", job->spec->caller);
    } else {
        *ssr = *buf + n_buf;
        st = conditional_fit(job, skip, cols, *buf, *ssr);
        if (st == SHEAF_ERR_SINGULAR) st = conditional_singular(job, cols, *buf);
    }
    sh_free(cols);
    return st;
}

/* Task (conditional): the restricted fits without series j's lags, for
 * every caused series i != j. Each task writes only pairs (., j). */
static sheaf_status causing_task(void *arg, size_t j)
{
    const lag_job *job = arg;
    size_t k = job->s->k;
    double *buf = NULL, *ssr_r = NULL;
    sheaf_status st = conditional_ssr(job, j, &buf, &ssr_r);
    for (size_t i = 0; i < k && st == SHEAF_OK; i++) {
        if (i == j) continue;
        sh_granger_fit fit = {job->lag, i, j, job->nobs, k * job->lag + 1, ssr_r[i], job->ssr_u[i]};
        st = job->visit(job->arg, &fit);
    }
    sh_free(buf);
    return st;
}

/* The conditional fits of one lag: the shared unrestricted one here, then
 * one task per causing series. */
static sheaf_status conditional_lag(const sheaf_ctx *ctx, lag_job *job)
{
    double *buf = NULL, *ssr_u = NULL;
    sheaf_status st = conditional_ssr(job, job->s->k, &buf, &ssr_u);
    job->ssr_u = ssr_u;
    if (st == SHEAF_OK) st = sheaf_exec_for(ctx, job->s->k, causing_task, job);
    sh_free(buf);
    return st;
}

static sheaf_status check_spec(const sh_granger_spec *spec, size_t *lmax)
{
    const char *caller = spec->caller;
    if (!spec->y) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: the series are NULL", caller);
    if (spec->ld < spec->k)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: ld = %zu is less than %zu series", caller,
                       spec->ld, spec->k);
    if (spec->n_lags == 0 || !spec->lags)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: no lags", caller);
    *lmax = 0;
    for (size_t q = 0; q < spec->n_lags; q++) {
        if (spec->lags[q] == 0)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: lag %zu is 0 (lags start at 1)", caller,
                           q);
        *lmax = spec->lags[q] > *lmax ? spec->lags[q] : *lmax;
    }
    size_t c = spec->conditional ? spec->k : 2;
    for (size_t q = 0; q < spec->n_lags; q++) {
        /* nobs = T - first rows must exceed the p parameters (saturating sums) */
        size_t lag = spec->lags[q], first = spec->common_sample ? *lmax : lag;
        size_t p = lag > (SIZE_MAX - 1) / c ? SIZE_MAX : c * lag + 1;
        size_t need = p > SIZE_MAX - first ? SIZE_MAX : first + p;
        if (spec->T <= need)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: lag %zu needs more than %zu observations%s (have %zu)", caller, lag,
                           need, spec->common_sample ? " on the common sample" : "", spec->T);
    }
    return SHEAF_OK;
}

sheaf_status sh_granger_fits(const sheaf_ctx *ctx, const sh_granger_spec *spec,
                             sh_granger_visit visit, void *arg)
{
    size_t lmax = 0;
    sheaf_status st = check_spec(spec, &lmax);
    if (st != SHEAF_OK) return st;
    sh_lagged s = {spec->y, spec->T, spec->k, spec->ld, lmax, lmax, SH_TREND_C, 0, 0};
    size_t d = sh_lagged_width(&s), n_lags = spec->n_lags;
    size_t *order = sh_malloc_array(n_lags, sizeof(size_t));
    double *pair_r = NULL;
    double *r = sh_malloc_array(4 * d * d + d + 2 * d * d, sizeof(double));
    if (!order || !r) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for a %zu-column lag factor", spec->caller,
                     d);
        goto done;
    }
    double *row = r + 4 * d * d, *work = row + d;
    if (!spec->conditional && !spec->one_pair) {
        pair_r = sh_malloc_array(spec->k * (spec->k + 1), sizeof(double));
        if (!pair_r) {
            st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu x %zu fits", spec->caller,
                         spec->k, spec->k);
            goto done;
        }
    }
    memcpy(order, spec->lags, n_lags * sizeof *order);
    qsort(order, n_lags, sizeof *order, by_lag_descending);
    st = sh_lagged_qr(ctx, &s, sheaf_ctx_partitions(ctx), r, spec->caller);
    size_t t0 = lmax; /* first row in the factor */
    for (size_t q = 0; q < n_lags && st == SHEAF_OK; q++) {
        size_t lag = order[q];
        if (q > 0 && lag == order[q - 1]) continue;
        while (!spec->common_sample && t0 > lag && st == SHEAF_OK)
            st = append_row(&s, --t0, lag, r, row, work);
        lag_job job = {.spec = spec,
                       .s = &s,
                       .r = r,
                       .d = d,
                       .lag = lag,
                       .nobs = spec->T - t0,
                       .visit = visit,
                       .arg = arg,
                       .pair_r = pair_r,
                       .pair_u = pair_r ? pair_r + spec->k : NULL};
        if (st != SHEAF_OK) break;
        st = spec->conditional ? conditional_lag(ctx, &job) : bivariate_lag(ctx, &job);
    }
done:
    sh_free(order);
    sh_free(r);
    sh_free(pair_r);
    return st;
}

void sh_granger_test_of(const sh_granger_fit *f, sheaf_granger_test test, double out[4])
{
    double L = (double)f->lag, n = (double)f->nobs, df_u = n - (double)f->params_u;
    double diff = f->ssr_r - f->ssr_u, p = NAN;
    if (test == SHEAF_GRANGER_SSR_FTEST || test == SHEAF_GRANGER_PARAMS_FTEST) {
        double F = diff / f->ssr_u / L * df_u;
        (void)sheaf_dist_f_sf(F, L, df_u, &p);
        out[0] = F;
        out[1] = p;
        out[2] = df_u;
        out[3] = L;
        return;
    }
    double chi2 = test == SHEAF_GRANGER_LRTEST ? n * log(f->ssr_r / f->ssr_u) : n * diff / f->ssr_u;
    (void)sheaf_dist_chi2_sf(chi2, L, &p);
    out[0] = chi2;
    out[1] = p;
    out[2] = L;
    out[3] = NAN;
}

void sh_granger_tests_of(const sh_granger_fit *f, sheaf_granger_lag *out)
{
    double v[4];
    out->lag = f->lag;
    out->nobs = f->nobs;
    out->ssr_restricted = f->ssr_r;
    out->ssr_unrestricted = f->ssr_u;
    sh_granger_test_of(f, SHEAF_GRANGER_SSR_FTEST, out->ssr_ftest);
    sh_granger_test_of(f, SHEAF_GRANGER_SSR_CHI2TEST, v);
    memcpy(out->ssr_chi2test, v, sizeof out->ssr_chi2test);
    sh_granger_test_of(f, SHEAF_GRANGER_LRTEST, v);
    memcpy(out->lrtest, v, sizeof out->lrtest);
    memcpy(out->params_ftest, out->ssr_ftest, sizeof out->params_ftest);
}

void sh_granger_ic(double ssr, size_t nobs, size_t p, double *aic, double *bic)
{
    /* statsmodels' OLS.loglike with the profiled scale, term for term */
    double n = (double)nobs, n2 = n / 2.0;
    double llf = -n2 * log(2.0 * M_PI) - n2 * log(ssr / n) - n2;
    *aic = -2.0 * llf + 2.0 * (double)p;
    *bic = -2.0 * llf + log(n) * (double)p;
}

typedef struct pair_out {
    const size_t *lags;
    size_t n_lags;
    sheaf_granger_lag *out;
} pair_out;

static sheaf_status visit_pair(void *arg, const sh_granger_fit *fit)
{
    pair_out *po = arg;
    for (size_t q = 0; q < po->n_lags; q++)
        if (po->lags[q] == fit->lag) sh_granger_tests_of(fit, po->out + q);
    return SHEAF_OK;
}

sheaf_status sheaf_granger_tests(const sheaf_ctx *ctx, const double *x, size_t T, size_t ld,
                                 const size_t *lags, size_t n_lags, sheaf_granger_lag *out)
{
    static const char fn[] = "sheaf_granger_tests";
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", fn);
    pair_out po = {lags, n_lags, out};
    sh_granger_spec spec = {x, T, 2, ld, lags, n_lags, 1, 0, 0, NULL, fn};
    return sh_granger_fits(ctx, &spec, visit_pair, &po);
}

typedef struct matrix_out {
    size_t k, maxlag;
    sheaf_granger_test test;
    double *stat, *pv;
} matrix_out;

static sheaf_status visit_matrix(void *arg, const sh_granger_fit *fit)
{
    matrix_out *mo = arg;
    double pick[4];
    sh_granger_test_of(fit, mo->test, pick);
    size_t at = (fit->i * mo->k + fit->j) * mo->maxlag + fit->lag - 1;
    if (mo->stat) mo->stat[at] = pick[0];
    if (mo->pv) mo->pv[at] = pick[1];
    return SHEAF_OK;
}

sheaf_status sheaf_granger_matrix(const sheaf_ctx *ctx, const double *y, size_t T, size_t k,
                                  size_t ld, size_t maxlag, sheaf_granger_test test,
                                  double *statistics, double *pvalues)
{
    static const char fn[] = "sheaf_granger_matrix";
    if (k < 2) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: k = %zu series (need 2)", fn, k);
    if (maxlag == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: maxlag is 0", fn);
    if ((unsigned)test > SHEAF_GRANGER_PARAMS_FTEST)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: test = %d is not a granger test", fn,
                       (int)test);
    size_t *lags = sh_malloc_array(maxlag, sizeof(size_t));
    if (!lags) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", fn);
    for (size_t l = 0; l < maxlag; l++)
        lags[l] = l + 1;
    for (size_t a = 0; a < k * k * maxlag; a++) {
        if (statistics) statistics[a] = NAN;
        if (pvalues) pvalues[a] = NAN;
    }
    matrix_out mo = {k, maxlag, test, statistics, pvalues};
    sh_granger_spec spec = {y, T, k, ld, lags, maxlag, 0, 0, 0, NULL, fn};
    sheaf_status st = sh_granger_fits(ctx, &spec, visit_matrix, &mo);
    sh_free(lags);
    return st;
}
