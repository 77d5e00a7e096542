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
 * whatever the other columns hold). */
#include "linalg/qr.h"
#include "sheaf_linalg.h"
#include "sheaf_timeseries.h"
#include "timeseries/lagged.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct granger_fit {
    size_t lag, i, j, nobs;
    double ssr_r, ssr_u;
} granger_fit;

typedef sheaf_status (*granger_visit)(void *arg, const granger_fit *fit);

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

typedef struct lag_job {
    const sh_lagged *s;
    const double *r; /* the factor for this lag's rows */
    size_t d, lag, T;
    int one_pair;
    const char *caller;
    granger_visit visit;
    void *arg;
} lag_job;

/* Task: every pair whose caused series is i, at one lag. Each task owns
 * its buffers and writes only its own results, so tasks run in parallel and
 * the lowest failing series is the one reported. */
static sheaf_status caused_task(void *arg, size_t i)
{
    const lag_job *job = arg;
    const sh_lagged *s = job->s;
    size_t lag = job->lag, d = job->d, nc = 2 * lag + 1, y = sh_lagged_column(s, i, 0);
    size_t *cols = sh_malloc_array(nc, sizeof(size_t));
    double *buf = sh_malloc_array(sh_qr_subset_work(d, nc) + nc, sizeof(double));
    sheaf_status st = SHEAF_OK;
    if (!cols || !buf) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", job->caller);
        goto done;
    }
    double *beta = buf + sh_qr_subset_work(d, nc);
    cols[0] = 0; /* restricted: constant and own lags 1..lag */
    for (size_t l = 1; l <= lag; l++)
        cols[l] = sh_lagged_column(s, i, l);
    granger_fit fit = {lag, i, 0, job->T - lag, 0.0, 0.0};
    st = sh_qr_subset_fit(job->r, d, d, cols, lag + 1, y, beta, &fit.ssr_r, NULL, buf);
    for (size_t j = 0; j < s->k && st == SHEAF_OK; j++) {
        if (j == i || (job->one_pair && j != 1)) continue;
        for (size_t l = 1; l <= lag; l++)
            cols[lag + l] = sh_lagged_column(s, j, l);
        fit.j = j;
        st = sh_qr_subset_fit(job->r, d, d, cols, nc, y, beta, &fit.ssr_u, NULL, buf);
        if (st == SHEAF_OK) st = job->visit(job->arg, &fit);
    }
    if (st == SHEAF_ERR_SINGULAR)
        st = sh_fail(SHEAF_ERR_SINGULAR,
                     "%s: the lag-%zu regression of series %zu is collinear (a constant series, "
                     "or series that are exact combinations of others)",
                     job->caller, lag, i);
done:
    sh_free(cols);
    sh_free(buf);
    return st;
}

/* The restricted and unrestricted fits of every ordered pair of distinct
 * series (one_pair: only (0, 1)) at every lag in lags, handed to visit. */
static sheaf_status granger_core(const sheaf_ctx *ctx, const double *y, size_t T, size_t k,
                                 size_t ld, const size_t *lags, size_t n_lags, int one_pair,
                                 const char *caller, granger_visit visit, void *arg)
{
    if (!y) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: the series are NULL", caller);
    if (ld < k)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: ld = %zu is less than %zu series", caller, ld, k);
    if (n_lags == 0 || !lags) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: no lags", caller);
    size_t lmax = 0;
    for (size_t q = 0; q < n_lags; q++) {
        if (lags[q] == 0)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: lag %zu is 0 (lags start at 1)", caller,
                           q);
        if (T <= 3 * lags[q] + 1)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: lag %zu needs more than %zu observations (have %zu)", caller,
                           lags[q], 3 * lags[q] + 1, T);
        lmax = lags[q] > lmax ? lags[q] : lmax;
    }
    sh_lagged s = {y, T, k, ld, lmax, lmax, SH_TREND_C, 0};
    size_t d = sh_lagged_width(&s);
    size_t *order = sh_malloc_array(n_lags, sizeof(size_t));
    double *r = sh_malloc_array(4 * d * d + d + 2 * d * d, sizeof(double));
    sheaf_status st = SHEAF_OK;
    if (!order || !r) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for a %zu-column lag factor", caller, d);
        goto done;
    }
    double *row = r + 4 * d * d, *work = row + d;
    memcpy(order, lags, n_lags * sizeof *order);
    qsort(order, n_lags, sizeof *order, by_lag_descending);
    st = sh_lagged_qr(ctx, &s, sheaf_ctx_partitions(ctx), r, caller);
    size_t t0 = lmax; /* first row in the factor */
    for (size_t q = 0; q < n_lags && st == SHEAF_OK; q++) {
        size_t lag = order[q];
        if (q > 0 && lag == order[q - 1]) continue;
        while (t0 > lag && st == SHEAF_OK)
            st = append_row(&s, --t0, lag, r, row, work);
        lag_job job = {&s, r, d, lag, T, one_pair, caller, visit, arg};
        if (st == SHEAF_OK) st = sheaf_exec_for(ctx, one_pair ? 1 : k, caused_task, &job);
    }
done:
    sh_free(order);
    sh_free(r);
    return st;
}

/* Fills the four tests of one fit. */
static void tests_of(const granger_fit *f, sheaf_granger_lag *out)
{
    double L = (double)f->lag, n = (double)f->nobs, df_u = n - 2.0 * L - 1.0;
    double diff = f->ssr_r - f->ssr_u, p = NAN;
    out->lag = f->lag;
    out->nobs = f->nobs;
    out->ssr_restricted = f->ssr_r;
    out->ssr_unrestricted = f->ssr_u;
    double F = diff / f->ssr_u / L * df_u;
    (void)sheaf_dist_f_sf(F, L, df_u, &p);
    out->ssr_ftest[0] = F;
    out->ssr_ftest[1] = p;
    out->ssr_ftest[2] = df_u;
    out->ssr_ftest[3] = L;
    double chi2 = n * diff / f->ssr_u;
    (void)sheaf_dist_chi2_sf(chi2, L, &p);
    out->ssr_chi2test[0] = chi2;
    out->ssr_chi2test[1] = p;
    out->ssr_chi2test[2] = L;
    double lr = n * log(f->ssr_r / f->ssr_u);
    (void)sheaf_dist_chi2_sf(lr, L, &p);
    out->lrtest[0] = lr;
    out->lrtest[1] = p;
    out->lrtest[2] = L;
    memcpy(out->params_ftest, out->ssr_ftest, sizeof out->params_ftest);
}

typedef struct pair_out {
    const size_t *lags;
    size_t n_lags;
    sheaf_granger_lag *out;
} pair_out;

static sheaf_status visit_pair(void *arg, const granger_fit *fit)
{
    pair_out *po = arg;
    for (size_t q = 0; q < po->n_lags; q++)
        if (po->lags[q] == fit->lag) tests_of(fit, po->out + q);
    return SHEAF_OK;
}

sheaf_status sheaf_granger_tests(const sheaf_ctx *ctx, const double *x, size_t T, size_t ld,
                                 const size_t *lags, size_t n_lags, sheaf_granger_lag *out)
{
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_granger_tests: out is NULL");
    pair_out po = {lags, n_lags, out};
    return granger_core(ctx, x, T, 2, ld, lags, n_lags, 1, "sheaf_granger_tests", visit_pair, &po);
}

typedef struct matrix_out {
    size_t k, maxlag;
    sheaf_granger_test test;
    double *stat, *pv;
} matrix_out;

static sheaf_status visit_matrix(void *arg, const granger_fit *fit)
{
    matrix_out *mo = arg;
    sheaf_granger_lag t;
    tests_of(fit, &t);
    const double *pick = mo->test == SHEAF_GRANGER_SSR_FTEST      ? t.ssr_ftest
                         : mo->test == SHEAF_GRANGER_SSR_CHI2TEST ? t.ssr_chi2test
                         : mo->test == SHEAF_GRANGER_LRTEST       ? t.lrtest
                                                                  : t.params_ftest;
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
    sheaf_status st = granger_core(ctx, y, T, k, ld, lags, maxlag, 0, fn, visit_matrix, &mo);
    sh_free(lags);
    return st;
}
