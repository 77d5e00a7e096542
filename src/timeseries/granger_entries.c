/* granger_entries.c - the Granger matrix beyond statsmodels: an explicit
 * lag set, a common sample across lags, the lag chosen per pair by AIC or
 * BIC, conditional tests, and Benjamini-Hochberg adjusted p-values. Every
 * regression comes from the merged lag factor of granger.c; this file
 * collects the fits into entries. The criteria are statsmodels' OLS aic and
 * bic (RegressionResults.aic: -2 llf + 2 (df_model + k_constant), llf the
 * profiled Gaussian log-likelihood); the adjustment is statsmodels'
 * fdrcorrection (Benjamini and Hochberg, J. R. Stat. Soc. B 57, 1995). */
#include "timeseries/granger_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

sheaf_granger_options sheaf_granger_options_default(void)
{
    sheaf_granger_options o;
    memset(&o, 0, sizeof o);
    o.maxlag = 1;
    o.test = SHEAF_GRANGER_SSR_FTEST;
    o.ic = SHEAF_GRANGER_IC_NONE;
    o.adjust = SHEAF_GRANGER_ADJUST_NONE;
    return o;
}

void sh_granger_plan_clear(sh_granger_plan *plan)
{
    sh_free(plan->lags);
    memset(plan, 0, sizeof *plan);
}

sheaf_status sh_granger_plan_make(const sheaf_granger_options *opts, const char *caller,
                                  sh_granger_plan *plan)
{
    memset(plan, 0, sizeof *plan);
    plan->opts = opts ? *opts : sheaf_granger_options_default();
    const sheaf_granger_options *o = &plan->opts;
    if ((unsigned)o->test > SHEAF_GRANGER_PARAMS_FTEST)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: test = %d is not a granger test", caller,
                       (int)o->test);
    if ((unsigned)o->ic > SHEAF_GRANGER_IC_BIC)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: ic = %d is not an information criterion (0 none, 1 aic, 2 bic)", caller,
                       (int)o->ic);
    if ((unsigned)o->adjust > SHEAF_GRANGER_ADJUST_FDR_BH_PER_LAG)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: adjust = %d is not an adjustment (0 none, 1 fdr_bh, 2 fdr_bh per lag)",
                       caller, (int)o->adjust);
    if (o->lags && o->n_lags == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: lags is set but n_lags is 0", caller);
    if (!o->lags && o->maxlag == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: maxlag is 0 and no lags are given", caller);
    size_t n = o->lags ? o->n_lags : o->maxlag;
    plan->lags = sh_malloc_array(n, sizeof(size_t));
    if (!plan->lags) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu lags", caller, n);
    plan->n_lags = n;
    plan->n_out = o->ic != SHEAF_GRANGER_IC_NONE ? 1 : n;
    for (size_t q = 0; q < n; q++) {
        plan->lags[q] = o->lags ? o->lags[q] : q + 1;
        if (plan->lags[q] == 0) {
            sh_granger_plan_clear(plan);
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: lags[%zu] is 0 (lags start at 1)",
                           caller, q);
        }
        for (size_t e = 0; e < q; e++)
            if (plan->lags[e] == plan->lags[q]) {
                size_t lag = plan->lags[q];
                sh_granger_plan_clear(plan);
                return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: lags[%zu] = %zu repeats lags[%zu]",
                               caller, q, lag, e);
            }
    }
    plan->opts.lags = NULL; /* the plan's own copy is plan->lags */
    return SHEAF_OK;
}

typedef struct fit_table {
    size_t k, n_lags;
    const size_t *pos; /* lag -> its index in the plan's list */
    sh_granger_fit *fits;
} fit_table;

static sheaf_status visit_table(void *arg, const sh_granger_fit *fit)
{
    fit_table *t = arg;
    t->fits[(fit->i * t->k + fit->j) * t->n_lags + t->pos[fit->lag]] = *fit;
    return SHEAF_OK;
}

/* The entry of one fit for the chosen test. */
static void entry_of(const sh_granger_fit *f, sheaf_granger_test test, sheaf_granger_entry *e)
{
    double pick[4];
    sh_granger_test_of(f, test, pick);
    int f_test = test == SHEAF_GRANGER_SSR_FTEST || test == SHEAF_GRANGER_PARAMS_FTEST;
    e->lag = f->lag;
    e->nobs = f->nobs;
    e->statistic = pick[0];
    e->pvalue = pick[1];
    e->df_num = (double)f->lag;
    e->df_denom = f_test ? pick[2] : NAN;
    e->pvalue_adjusted = NAN;
    e->ssr_restricted = f->ssr_r;
    e->ssr_unrestricted = f->ssr_u;
    sh_granger_ic(f->ssr_u, f->nobs, f->params_u, &e->aic, &e->bic);
}

static void diagonal_entry(sheaf_granger_entry *e)
{
    e->lag = 0;
    e->nobs = 0;
    e->statistic = e->pvalue = e->df_num = e->df_denom = e->pvalue_adjusted = NAN;
    e->ssr_restricted = e->ssr_unrestricted = e->aic = e->bic = NAN;
}

/* Index in the plan's list of the lag with the smallest criterion for one
 * pair (fits: its n_lags fits on the common sample); ties: the smaller lag. */
static size_t choose_lag(const sh_granger_plan *plan, const sh_granger_fit *fits)
{
    size_t best = 0;
    double best_ic = INFINITY;
    for (size_t q = 0; q < plan->n_lags; q++) {
        double aic, bic;
        sh_granger_ic(fits[q].ssr_u, fits[q].nobs, fits[q].params_u, &aic, &bic);
        double v = plan->opts.ic == SHEAF_GRANGER_IC_AIC ? aic : bic;
        if (v < best_ic || (v == best_ic && plan->lags[q] < plan->lags[best])) {
            best = q;
            best_ic = v;
        }
    }
    return best;
}

/* Adjusts the off-diagonal p-values of out: one family of all of them, or
 * one per lag slot q (FDR_BH_PER_LAG). */
static sheaf_status adjust(const sh_granger_plan *plan, size_t k, sheaf_granger_entry *out,
                           const char *caller)
{
    size_t n_out = plan->n_out, n = k * (k - 1) * n_out;
    int per_lag = plan->opts.adjust == SHEAF_GRANGER_ADJUST_FDR_BH_PER_LAG;
    double *p = sh_malloc_array(n, sizeof(double));
    size_t *at = sh_malloc_array(n, sizeof(size_t));
    sheaf_status st = SHEAF_OK;
    if (!p || !at) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu p-values", caller, n);
        goto done;
    }
    for (size_t f = 0; f < (per_lag ? n_out : 1) && st == SHEAF_OK; f++) {
        size_t m = 0; /* the family's entries, in [i][j][q] order */
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                for (size_t q = 0; q < n_out && i != j; q++)
                    if (!per_lag || q == f) {
                        at[m] = (i * k + j) * n_out + q;
                        p[m] = out[at[m]].pvalue;
                        m++;
                    }
        st = sh_granger_fdr_bh(p, m, p, caller);
        for (size_t a = 0; a < m && st == SHEAF_OK; a++)
            out[at[a]].pvalue_adjusted = p[a];
    }
done:
    sh_free(p);
    sh_free(at);
    return st;
}

sheaf_status sh_granger_run(const sheaf_ctx *ctx, const double *y, size_t T, size_t k, size_t ld,
                            const sh_granger_plan *plan, const char *const *names,
                            const char *caller, sheaf_granger_entry *out)
{
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", caller);
    if (k < 2) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: k = %zu series (need 2)", caller, k);
    const sheaf_granger_options *o = &plan->opts;
    size_t n_lags = plan->n_lags, lmax = 0;
    for (size_t q = 0; q < n_lags; q++)
        lmax = plan->lags[q] > lmax ? plan->lags[q] : lmax;
    int second = o->ic != SHEAF_GRANGER_IC_NONE && !o->common_sample;
    size_t *pos = NULL;
    sh_granger_fit *fits = NULL;
    sheaf_status st = SHEAF_OK;
    if (lmax < T) { /* larger lags fail the spec check below, naming the lag */
        pos = sh_malloc_array(lmax + 1, sizeof(size_t));
        fits = sh_calloc(k * k * n_lags * (second ? 2 : 1), sizeof(sh_granger_fit));
        if (!pos || !fits) {
            st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu x %zu x %zu fits", caller, k,
                         k, n_lags);
            goto done;
        }
        for (size_t q = 0; q < n_lags; q++)
            pos[plan->lags[q]] = q;
    }
    sh_granger_spec spec = {
        y, T, k, ld, plan->lags, n_lags, 0, o->common_sample, o->conditional, names, caller};
    fit_table tab = {k, n_lags, pos, fits};
    st = sh_granger_fits(ctx, &spec, visit_table, &tab);
    fit_table common = tab;
    if (st == SHEAF_OK && second) { /* the criteria compare lags on the common sample */
        spec.common_sample = 1;
        common.fits = fits + k * k * n_lags;
        st = sh_granger_fits(ctx, &spec, visit_table, &common);
    }
    for (size_t i = 0; i < k && st == SHEAF_OK; i++)
        for (size_t j = 0; j < k; j++) {
            sheaf_granger_entry *e = out + (i * k + j) * plan->n_out;
            const sh_granger_fit *f = fits + (i * k + j) * n_lags;
            if (i == j) {
                for (size_t q = 0; q < plan->n_out; q++)
                    diagonal_entry(e + q);
            } else if (o->ic != SHEAF_GRANGER_IC_NONE) {
                entry_of(f + choose_lag(plan, common.fits + (i * k + j) * n_lags), o->test, e);
            } else {
                for (size_t q = 0; q < n_lags; q++)
                    entry_of(f + q, o->test, e + q);
            }
        }
    if (st == SHEAF_OK && o->adjust != SHEAF_GRANGER_ADJUST_NONE) st = adjust(plan, k, out, caller);
done:
    sh_free(pos);
    sh_free(fits);
    return st;
}

sheaf_status sheaf_granger_entries(const sheaf_ctx *ctx, const double *y, size_t T, size_t k,
                                   size_t ld, const sheaf_granger_options *opts,
                                   sheaf_granger_entry *out)
{
    static const char fn[] = "sheaf_granger_entries";
    sh_granger_plan plan;
    sheaf_status st = sh_granger_plan_make(opts, fn, &plan);
    if (st == SHEAF_OK) st = sh_granger_run(ctx, y, T, k, ld, &plan, NULL, fn, out);
    sh_granger_plan_clear(&plan);
    return st;
}

typedef struct ranked {
    double p;
    size_t index;
} ranked;

static int by_p(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

sheaf_status sh_granger_fdr_bh(const double *p, size_t n, double *adj, const char *caller)
{
    if (n == 0) return SHEAF_OK;
    ranked *r = sh_malloc_array(n, sizeof *r);
    if (!r) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu p-values", caller, n);
    for (size_t a = 0; a < n; a++)
        r[a] = (ranked){p[a], a};
    qsort(r, n, sizeof *r, by_p);
    /* statsmodels: p_sorted / (arange(1, n + 1) / n), the running minimum from
     * the end, then values above 1 set to 1. Tied p-values get the same
     * result in any order, so the sort needs no particular tie rule. */
    double run = INFINITY;
    for (size_t a = n; a-- > 0;) {
        double v = r[a].p / ((double)(a + 1) / (double)n);
        run = v < run ? v : run;
        r[a].p = run > 1.0 ? 1.0 : run;
    }
    for (size_t a = 0; a < n; a++)
        adj[r[a].index] = r[a].p;
    sh_free(r);
    return SHEAF_OK;
}
