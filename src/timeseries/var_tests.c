/* var_tests.c - tests on a fitted VAR, as statsmodels' VARResults
 * test_causality, test_inst_causality, test_whiteness and test_normality
 * (0.13, Lutkepohl 2005 3.6.5, 3.6.3, 4.4.3 and 4.5). The Wald tests need
 * only the fit (coefficients, (Z'Z)^-1, sigma_u); whiteness and normality
 * need the residuals, recomputed from the caller's series in parallel row
 * ranges (each reading the p rows before it). */
#include "sheaf_linalg.h"
#include "timeseries/var_internal.h"

#include <math.h>
#include <string.h>

void sh_var_test_dist(double statistic, double df, double df_denom, double signif,
                      sheaf_var_test *out)
{
    out->statistic = statistic;
    out->df_num = df;
    out->df_denom = df_denom;
    out->pvalue = out->crit_value = NAN;
    if (isnan(df_denom)) {
        (void)sheaf_dist_chi2_sf(statistic, df, &out->pvalue);
        (void)sheaf_dist_chi2_quantile(1.0 - signif, df, &out->crit_value);
    } else {
        (void)sheaf_dist_f_sf(statistic, df, df_denom, &out->pvalue);
        (void)sheaf_dist_f_quantile(1.0 - signif, df, df_denom, &out->crit_value);
    }
}

/* x' V^-1 x for SPD V (n x n, destroyed) and x (n, destroyed);
 * SINGULAR when V is not positive definite. */
static sheaf_status quadratic_form(double *V, double *x, size_t n, double *out)
{
    double *x0 = x + n;
    memcpy(x0, x, n * sizeof *x);
    sheaf_matrix m = sheaf_matrix_view(V, n, n);
    sheaf_status st = sheaf_linalg_cholesky(m);
    if (st == SHEAF_OK) st = sheaf_linalg_cholesky_solve(m, sheaf_matrix_view(x, n, 1));
    if (st != SHEAF_OK) return st;
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += x0[i] * x[i];
    *out = s;
    return SHEAF_OK;
}

/* Checks a list of series indices: non-empty, in range, no repeats; marks
 * them in mark (k flags). */
static sheaf_status index_list(const char *fn, const char *name, const size_t *idx, size_t n,
                               size_t k, unsigned char *mark)
{
    if (!idx || n == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s is empty", fn, name);
    for (size_t a = 0; a < n; a++) {
        if (idx[a] >= k)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: %s[%zu] = %zu is not a series index (k = %zu)", fn, name, a, idx[a],
                           k);
        if (mark[idx[a]])
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s repeats series %zu", fn, name,
                           idx[a]);
        mark[idx[a]] = 1;
    }
    return SHEAF_OK;
}

static sheaf_status check_signif(const char *fn, double signif)
{
    if (signif > 0.0 && signif < 1.0) return SHEAF_OK;
    return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: signif = %g is not in (0, 1)", fn, signif);
}

sheaf_status sheaf_var_test_causality(const sheaf_var *v, const size_t *caused, size_t n_caused,
                                      const size_t *causing, size_t n_causing,
                                      sheaf_var_test_kind kind, double signif, sheaf_var_test *out)
{
    const char *fn = "sheaf_var_test_causality";
    if (!v || !out)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s is NULL", fn, !v ? "var" : "out");
    if (kind != SHEAF_VAR_TEST_F && kind != SHEAF_VAR_TEST_WALD)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: kind = %d is not F or WALD", fn, (int)kind);
    sheaf_status st = check_signif(fn, signif);
    if (st != SHEAF_OK) return st;
    if (v->p == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: a VAR(0) has no lags to test for Granger causality", fn);
    size_t k = v->k, m = sh_var_width(v);
    unsigned char *mark = sh_calloc(2 * k, 1);
    size_t *ing = sh_malloc_array(k, sizeof(size_t));
    if (!mark || !ing) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", fn);
        goto done;
    }
    if ((st = index_list(fn, "caused", caused, n_caused, k, mark)) != SHEAF_OK) goto done;
    size_t n_ing = 0;
    if (n_causing == 0) { /* statsmodels: every series not caused */
        for (size_t j = 0; j < k; j++)
            if (!mark[j]) ing[n_ing++] = j;
        if (n_ing == 0) {
            st = sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                         "%s: every series is caused, none is left to cause them", fn);
            goto done;
        }
    } else {
        if ((st = index_list(fn, "causing", causing, n_causing, k, mark + k)) != SHEAF_OK)
            goto done;
        memcpy(ing, causing, n_causing * sizeof *ing);
        n_ing = n_causing;
    }
    size_t nr = n_ing * n_caused * v->p;
    size_t *reg = sh_malloc_array(2 * nr, sizeof(size_t));
    double *V = sh_malloc_array(nr * nr + 2 * nr, sizeof(double));
    if (!reg || !V) {
        sh_free(reg);
        sh_free(V);
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu restrictions", fn, nr);
        goto done;
    }
    size_t *eq = reg + nr, r = 0;
    double *cb = V + nr * nr, wald = NAN;
    for (size_t l = 0; l < v->p; l++)
        for (size_t a = 0; a < n_ing; a++)
            for (size_t b = 0; b < n_caused; b++) {
                reg[r] = sh_var_ndet(v) + l * k + ing[a];
                eq[r] = caused[b];
                cb[r] = v->params[reg[r] * k + eq[r]];
                r++;
            }
    /* C cov(vec B) C' with cov = (Z'Z)^-1 (x) sigma_u */
    for (size_t a = 0; a < nr; a++)
        for (size_t b = 0; b < nr; b++)
            V[a * nr + b] = v->zzinv[reg[a] * m + reg[b]] * v->sigma_u[eq[a] * k + eq[b]];
    st = quadratic_form(V, cb, nr, &wald);
    sh_free(reg);
    sh_free(V);
    if (st != SHEAF_OK) {
        st = sh_fail(SHEAF_ERR_SINGULAR,
                     "%s: the covariance of the restricted coefficients is "
                     "singular (%s)",
                     fn, sheaf_last_error());
        goto done;
    }
    if (kind == SHEAF_VAR_TEST_WALD)
        sh_var_test_dist(wald, (double)nr, NAN, signif, out);
    else
        sh_var_test_dist(wald / (double)nr, (double)nr, (double)(k * sheaf_var_df_resid(v)), signif,
                         out);
done:
    sh_free(mark);
    sh_free(ing);
    return st;
}

sheaf_status sheaf_var_test_inst_causality(const sheaf_var *v, const size_t *causing,
                                           size_t n_causing, double signif, sheaf_var_test *out)
{
    const char *fn = "sheaf_var_test_inst_causality";
    if (!v || !out)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s is NULL", fn, !v ? "var" : "out");
    sheaf_status st = check_signif(fn, signif);
    if (st != SHEAF_OK) return st;
    size_t k = v->k;
    unsigned char *mark = sh_calloc(k, 1);
    if (!mark) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", fn);
    if ((st = index_list(fn, "causing", causing, n_causing, k, mark)) != SHEAF_OK) goto done;
    if (n_causing == k) {
        st = sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                     "%s: every series is causing, none is left to be caused", fn);
        goto done;
    }
    size_t nr = n_causing * (k - n_causing);
    size_t *pi = sh_malloc_array(2 * nr, sizeof(size_t));
    double *V = sh_malloc_array(nr * nr + 2 * nr, sizeof(double));
    if (!pi || !V) {
        sh_free(pi);
        sh_free(V);
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu restrictions", fn, nr);
        goto done;
    }
    size_t *pj = pi + nr, r = 0;
    double *s = V + nr * nr, wald = NAN;
    const double *S = v->sigma_u;
    for (size_t a = 0; a < n_causing; a++)
        for (size_t j = 0; j < k; j++)
            if (!mark[j]) {
                pi[r] = causing[a];
                pj[r] = j;
                s[r] = S[causing[a] * k + j];
                r++;
            }
    /* cov of the off-diagonal entries (i, j), (c, d) of sigma_u, times nobs:
     * S_ic S_jd + S_id S_jc (2 D+ (S (x) S) D+' restricted to them) */
    for (size_t a = 0; a < nr; a++)
        for (size_t b = 0; b < nr; b++)
            V[a * nr + b] = S[pi[a] * k + pi[b]] * S[pj[a] * k + pj[b]] +
                            S[pi[a] * k + pj[b]] * S[pj[a] * k + pi[b]];
    st = quadratic_form(V, s, nr, &wald);
    sh_free(pi);
    sh_free(V);
    if (st != SHEAF_OK) {
        st = sh_fail(SHEAF_ERR_SINGULAR, "%s: the covariance of sigma_u's entries is singular (%s)",
                     fn, sheaf_last_error());
        goto done;
    }
    sh_var_test_dist((double)v->nobs * wald, (double)nr, NAN, signif, out);
done:
    sh_free(mark);
    return st;
}

/* ---- residuals ---------------------------------------------------------- */

typedef struct resid_job {
    const sheaf_var *v;
    const double *y;
    size_t ld, n_parts;
    double *resid;
} resid_job;

static sheaf_status resid_part(void *arg, size_t part)
{
    const resid_job *job = arg;
    const sheaf_var *v = job->v;
    size_t k = v->k, n = v->nobs;
    size_t lo = v->p + n * part / job->n_parts, hi = v->p + n * (part + 1) / job->n_parts;
    for (size_t t = lo; t < hi; t++) {
        double *out = job->resid + (t - v->p) * k, tt = (double)(t + 1);
        double terms[3] = {1.0, tt, tt * tt};
        for (size_t i = 0; i < k; i++) {
            double f = job->y[t * job->ld + i];
            for (size_t c = 0; c < v->ntrend; c++)
                f -= terms[c] * v->params[c * k + i];
            for (size_t c = 0; c < v->kx; c++)
                f -= v->exog[t * v->kx + c] * v->params[(v->ntrend + c) * k + i];
            out[i] = f;
        }
        for (size_t l = 1; l <= v->p; l++) {
            const double *prev = job->y + (t - l) * job->ld;
            for (size_t j = 0; j < k; j++) {
                const double *coef = v->params + (sh_var_ndet(v) + (l - 1) * k + j) * k;
                for (size_t i = 0; i < k; i++)
                    out[i] -= coef[i] * prev[j];
            }
        }
    }
    return SHEAF_OK;
}

sheaf_status sheaf_var_resid(const sheaf_ctx *ctx, const sheaf_var *v, const double *y, size_t T,
                             size_t ld, double *resid)
{
    const char *fn = "sheaf_var_resid";
    if (!v || !y || !resid)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s is NULL", fn,
                       !v   ? "var"
                       : !y ? "y"
                            : "resid");
    size_t k = v->k;
    if (ld < k) return sh_fail(SHEAF_ERR_DIMENSION, "%s: ld = %zu is less than k = %zu", fn, ld, k);
    if (T != v->T)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: y has %zu rows; the VAR was fitted on %zu", fn, T,
                       v->T);
    for (size_t t = 0; t < T; t++)
        for (size_t j = 0; j < k; j++)
            if (!isfinite(y[t * ld + j]))
                return sh_fail(SHEAF_ERR_NONFINITE, "%s: series %zu at row %zu is %g", fn, j, t,
                               y[t * ld + j]);
    size_t parts = sheaf_ctx_partitions(ctx);
    if (parts > v->nobs) parts = v->nobs;
    resid_job job = {v, y, ld, parts ? parts : 1, resid};
    return sheaf_exec_for(ctx, job.n_parts, resid_part, &job);
}

/* Residuals of the fit on y, demeaned; caller frees. */
static sheaf_status centred_resid(const sheaf_ctx *ctx, const sheaf_var *v, const double *y,
                                  size_t T, size_t ld, const char *fn, double **out)
{
    size_t k = v ? v->k : 0, n = v ? v->nobs : 0;
    *out = NULL;
    double *u = v ? sh_malloc_large(n * k * sizeof(double) + k * sizeof(double)) : NULL;
    if (v && !u) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu residuals", fn, n * k);
    sheaf_status st = sheaf_var_resid(ctx, v, y, T, ld, u);
    if (st != SHEAF_OK) {
        sh_free(u);
        return sh_fail(st, "%s: %s", fn, sheaf_last_error());
    }
    double *mean = u + n * k;
    for (size_t i = 0; i < k; i++)
        mean[i] = 0.0;
    for (size_t t = 0; t < n; t++)
        for (size_t i = 0; i < k; i++)
            mean[i] += u[t * k + i];
    for (size_t i = 0; i < k; i++)
        mean[i] /= (double)n;
    for (size_t t = 0; t < n; t++)
        for (size_t i = 0; i < k; i++)
            u[t * k + i] -= mean[i];
    *out = u;
    return SHEAF_OK;
}

sheaf_status sheaf_var_test_whiteness(const sheaf_ctx *ctx, const sheaf_var *v, const double *y,
                                      size_t T, size_t ld, size_t nlags, int adjusted,
                                      double signif, sheaf_var_test *out)
{
    const char *fn = "sheaf_var_test_whiteness";
    if (!v || !out)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s is NULL", fn, !v ? "var" : "out");
    sheaf_status st = check_signif(fn, signif);
    if (st != SHEAF_OK) return st;
    if (nlags <= v->p || nlags >= v->nobs)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: nlags = %zu must exceed the lag order %zu and be below nobs = %zu", fn,
                       nlags, v->p, v->nobs);
    size_t k = v->k, kk = k * k, n = v->nobs;
    double *u = NULL, *c = sh_malloc_array(4 * kk, sizeof(double));
    if (!c) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", fn);
    if ((st = centred_resid(ctx, v, y, T, ld, fn, &u)) != SHEAF_OK) goto done;
    double *c0 = c + kk, *a = c0 + kk, *b = a + kk, sum = 0.0;
    /* C_h = sum_t u_t u_{t-h}' / n */
    for (size_t h = 0; h <= nlags; h++) {
        double *dst = h == 0 ? c0 : c;
        memset(dst, 0, kk * sizeof *dst);
        for (size_t t = h; t < n; t++)
            for (size_t i = 0; i < k; i++)
                for (size_t j = 0; j < k; j++)
                    dst[i * k + j] += u[t * k + i] * u[(t - h) * k + j];
        for (size_t e = 0; e < kk; e++)
            dst[e] /= (double)n;
        if (h == 0) {
            double *inv = a;
            st =
                sheaf_linalg_spd_inverse(sheaf_matrix_view(c0, k, k), sheaf_matrix_view(inv, k, k));
            if (st != SHEAF_OK) {
                st = sh_fail(SHEAF_ERR_SINGULAR, "%s: the residual covariance is singular (%s)", fn,
                             sheaf_last_error());
                goto done;
            }
            memcpy(c0, inv, kk * sizeof *c0); /* c0 now holds C_0^-1 */
            continue;
        }
        /* tr(C_h' C0i C_h C0i) = tr(b a), b = C_h' C0i, a = C_h C0i */
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++) {
                double sa = 0.0, sb = 0.0;
                for (size_t q = 0; q < k; q++) {
                    sa += c[i * k + q] * c0[q * k + j];
                    sb += c[q * k + i] * c0[q * k + j];
                }
                a[i * k + j] = sa;
                b[i * k + j] = sb;
            }
        double tr = 0.0;
        for (size_t i = 0; i < k; i++)
            for (size_t q = 0; q < k; q++)
                tr += b[i * k + q] * a[q * k + i];
        sum += adjusted ? tr / (double)(n - h) : tr;
    }
    double stat = sum * (adjusted ? (double)n * (double)n : (double)n);
    sh_var_test_dist(stat, (double)(kk * (nlags - v->p)), NAN, signif, out);
done:
    sh_free(u);
    sh_free(c);
    return st;
}

sheaf_status sheaf_var_test_normality(const sheaf_ctx *ctx, const sheaf_var *v, const double *y,
                                      size_t T, size_t ld, double signif, sheaf_var_test *out)
{
    const char *fn = "sheaf_var_test_normality";
    if (!v || !out)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s is NULL", fn, !v ? "var" : "out");
    sheaf_status st = check_signif(fn, signif);
    if (st != SHEAF_OK) return st;
    size_t k = v->k, kk = k * k, n = v->nobs;
    double *u = NULL, *chol = sh_calloc(kk + 3 * k, sizeof(double));
    if (!chol) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", fn);
    if ((st = centred_resid(ctx, v, y, T, ld, fn, &u)) != SHEAF_OK) goto done;
    double *w = chol + kk, *b1 = w + k, *b2 = b1 + k;
    for (size_t t = 0; t < n; t++)
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j <= i; j++)
                chol[i * k + j] += u[t * k + i] * u[t * k + j] / (double)n;
    if (sheaf_linalg_cholesky(sheaf_matrix_view(chol, k, k)) != SHEAF_OK) {
        st = sh_fail(SHEAF_ERR_SINGULAR, "%s: the residual covariance is singular (%s)", fn,
                     sheaf_last_error());
        goto done;
    }
    for (size_t i = 0; i < k; i++)
        b1[i] = b2[i] = 0.0;
    for (size_t t = 0; t < n; t++) {
        for (size_t i = 0; i < k; i++) { /* w = P^-1 u_t, forward substitution */
            double s = u[t * k + i];
            for (size_t j = 0; j < i; j++)
                s -= chol[i * k + j] * w[j];
            w[i] = s / chol[i * k + i];
            double w2 = w[i] * w[i];
            b1[i] += w2 * w[i];
            b2[i] += w2 * w2;
        }
    }
    double skew = 0.0, kurt = 0.0;
    for (size_t i = 0; i < k; i++) {
        double s = b1[i] / (double)n, q = b2[i] / (double)n - 3.0;
        skew += s * s;
        kurt += q * q;
    }
    double stat = (double)n * skew / 6.0 + (double)n * kurt / 24.0;
    sh_var_test_dist(stat, (double)(2 * k), NAN, signif, out);
done:
    sh_free(u);
    sh_free(chol);
    return st;
}
