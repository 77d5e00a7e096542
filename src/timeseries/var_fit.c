/* var_fit.c - vector autoregression by OLS from one merged lag factor.
 * Mirrors statsmodels' VAR.fit (0.13, statsmodels/tsa/vector_ar/var_model.py):
 * every equation shares the regressors [trend terms, y_{t-1}, ..., y_{t-p}]
 * on the rows t = p..T-1, so all k equations are one multi-target
 * regression solved from the factor (src/linalg/qr.h): B = R11^-1 R12 and the
 * residual cross-products R22'R22. sigma_u divides them by
 * df_resid = nobs - (trend terms + k p), sigma_u_mle by nobs; standard
 * errors sqrt(diag((X'X)^-1) sigma_u,ii) with (X'X)^-1 = R11^-1 R11^-T;
 * normal p-values; llf and the information criteria as VARResults
 * (aic = log det sigma_u_mle + 2 (k^2 p + k trend terms) / nobs, and so on
 * for bic, hqic and fpe). */
#include "linalg/qr.h"
#include "sheaf_linalg.h"
#include "timeseries/lagged.h"
#include "timeseries/var_internal.h"

#include <math.h>
#include <string.h>

#define FN "sheaf_var_fit"

void sheaf_var_free(sheaf_var *v)
{
    if (!v) return;
    sh_free(v->params);
    sh_free(v->exog);
    sh_free(v);
}

size_t sheaf_var_neqs(const sheaf_var *v) { return v ? v->k : 0; }
size_t sheaf_var_k_ar(const sheaf_var *v) { return v ? v->p : 0; }
size_t sheaf_var_nobs(const sheaf_var *v) { return v ? v->nobs : 0; }
size_t sheaf_var_k_trend(const sheaf_var *v) { return v ? v->ntrend : 0; }
size_t sheaf_var_k_exog(const sheaf_var *v) { return v ? v->kx : 0; }
size_t sheaf_var_df_resid(const sheaf_var *v) { return v ? v->nobs - sh_var_width(v) : 0; }

sheaf_status sh_var_check_args(const double *y, size_t k, size_t ld, sheaf_trend trend,
                               const char *caller)
{
    if (!y) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: y is NULL", caller);
    if (k == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: k = 0 (no series)", caller);
    if (ld < k)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: ld = %zu is less than k = %zu", caller, ld, k);
    if ((unsigned)trend > SHEAF_TREND_CTT)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: trend = %d is not n, c, ct or ctt", caller,
                       (int)trend);
    return SHEAF_OK;
}

/* SINGULAR naming the first series of y that is constant, when the model
 * has a constant term its lags would duplicate (trend != n). */
static sheaf_status check_constant(const double *y, size_t T, size_t k, size_t ld,
                                   sheaf_trend trend, const char *caller)
{
    if (trend == SHEAF_TREND_N) return SHEAF_OK;
    for (size_t j = 0; j < k; j++) {
        size_t t = 1;
        while (t < T && y[t * ld + j] == y[j])
            t++;
        if (t == T)
            return sh_fail(SHEAF_ERR_SINGULAR,
                           "%s: series %zu is constant (%g in all %zu rows): its lags duplicate "
                           "the constant term (drop it, or fit with trend n)",
                           caller, j, y[j], T);
    }
    return SHEAF_OK;
}

sheaf_status sh_var_design_init(sh_var_design *g, const double *y, size_t T, size_t k, size_t ld,
                                const double *exog, size_t kx, size_t ldx, size_t max_lag,
                                sheaf_trend trend, const char *caller)
{
    /* without exogenous series y_t goes last: every order's regressors are a
     * prefix of the factor's columns (sh_qr_prefix_fit) */
    *g = (sh_var_design){{y, T, k, ld, max_lag, max_lag, (sh_trend)trend, 0, kx == 0}, NULL, k, kx};
    sheaf_status st = max_lag > 0 ? check_constant(y, T, k, ld, trend, caller) : SHEAF_OK;
    if (st != SHEAF_OK || kx == 0) return st;
    if (!exog)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: exog is NULL (kx = %zu)", caller, kx);
    if (ldx < kx)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: ldx = %zu is less than kx = %zu", caller, ldx, kx);
    for (size_t t = 0; t < T; t++)
        for (size_t c = 0; c < kx; c++)
            if (!isfinite(exog[t * ldx + c]))
                return sh_fail(SHEAF_ERR_NONFINITE, "%s: exogenous series %zu at row %zu is %g",
                               caller, c, t, exog[t * ldx + c]);
    size_t w = k + kx;
    double *z = sh_malloc_large(T * w * sizeof *z);
    if (!z) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu x %zu values", caller, T, w);
    for (size_t t = 0; t < T; t++) {
        memcpy(z + t * w, y + t * ld, k * sizeof *z);
        memcpy(z + t * w + k, exog + t * ldx, kx * sizeof *z);
    }
    g->stacked = z;
    g->lagged.y = z;
    g->lagged.k = g->lagged.ld = w;
    return SHEAF_OK;
}

void sh_var_design_free(sh_var_design *g) { sh_free(g->stacked); }

void sh_var_design_columns(const sh_var_design *g, size_t p, size_t *cols)
{
    size_t ntrend = (size_t)g->lagged.trend, k = g->k, ndet = ntrend + g->kx, m = ndet + k * p;
    for (size_t c = 0; c < ntrend; c++)
        cols[c] = c;
    for (size_t c = 0; c < g->kx; c++)
        cols[ntrend + c] = sh_lagged_column(&g->lagged, k + c, 0);
    for (size_t l = 1; l <= p; l++)
        for (size_t j = 0; j < k; j++)
            cols[ndet + (l - 1) * k + j] = sh_lagged_column(&g->lagged, j, l);
    for (size_t i = 0; i < k; i++)
        cols[m + i] = sh_lagged_column(&g->lagged, i, 0);
}

void sheaf_var_params(const sheaf_var *v, double *params, double *bse, double *tvalues,
                      double *pvalues)
{
    if (!v) return;
    size_t len = sh_var_width(v) * v->k * sizeof(double);
    if (params) memcpy(params, v->params, len);
    if (bse) memcpy(bse, v->bse, len);
    if (tvalues) memcpy(tvalues, v->tvalues, len);
    if (pvalues) memcpy(pvalues, v->pvalues, len);
}

void sheaf_var_coefs(const sheaf_var *v, double *coefs)
{
    if (!v || !coefs) return;
    size_t k = v->k;
    for (size_t l = 0; l < v->p; l++)
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                coefs[(l * k + i) * k + j] = sh_var_coef(v, l + 1, i, j);
}

void sheaf_var_sigma_u(const sheaf_var *v, double *sigma_u, double *sigma_u_mle)
{
    if (!v) return;
    if (sigma_u) memcpy(sigma_u, v->sigma_u, v->k * v->k * sizeof(double));
    if (sigma_u_mle) memcpy(sigma_u_mle, v->sigma_u_mle, v->k * v->k * sizeof(double));
}

void sheaf_var_info_criteria(const sheaf_var *v, sheaf_var_info *out)
{
    if (v && out) *out = v->info;
}

/* log det of an SPD k x k matrix (row-major), NaN when not positive
 * definite; scratch k x k. */
static double logdet(const double *a, size_t k, double *scratch)
{
    memcpy(scratch, a, k * k * sizeof *scratch);
    double ld = NAN;
    if (sheaf_linalg_logdet_spd(sheaf_matrix_view(scratch, k, k), &ld) != SHEAF_OK) return NAN;
    return ld;
}

sheaf_status sheaf_var_fit(const sheaf_ctx *ctx, const double *y, size_t T, size_t k, size_t ld,
                           size_t p, sheaf_trend trend, sheaf_var **out)
{
    return sheaf_var_fit_exog(ctx, y, T, k, ld, NULL, 0, 0, p, trend, out);
}

sheaf_status sheaf_var_fit_exog(const sheaf_ctx *ctx, const double *y, size_t T, size_t k,
                                size_t ld, const double *exog, size_t kx, size_t ldx, size_t p,
                                sheaf_trend trend, sheaf_var **out)
{
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, FN ": out is NULL");
    *out = NULL;
    sheaf_status st = sh_var_check_args(y, k, ld, trend, FN);
    if (st != SHEAF_OK) return st;
    size_t ntrend = (size_t)trend, ndet = ntrend + kx, m = ndet + k * p;
    if (m == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       FN ": p = 0 with trend n leaves no regressors (give p >= 1 or a trend)");
    if (T <= p || T - p <= m)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       FN ": VAR(%zu) with %zu series and %zu trend and exogenous terms needs "
                          "more than %zu observations (have %zu)",
                       p, k, ndet, p + m, T);
    sh_var_design design;
    st = sh_var_design_init(&design, y, T, k, ld, exog, kx, ldx, p, trend, FN);
    if (st != SHEAF_OK) {
        sh_var_design_free(&design);
        return st;
    }
    size_t d = sh_lagged_width(&design.lagged), nobs = T - p;
    sheaf_var *v = sh_calloc(1, sizeof *v);
    size_t *cols = sh_malloc_array(m + k, sizeof(size_t));
    double *r = sh_malloc_array(4 * d * d + sh_qr_multi_work(d, m, k) + m * k + k * k +
                                    (m + k) * (m + k) + m * m,
                                sizeof(double));
    if (v) v->params = sh_malloc_array(4 * m * k + 2 * k * k + m * m, sizeof(double));
    if (!v || !cols || !r || !v->params) {
        st = sh_fail(SHEAF_ERR_NOMEM, FN ": out of memory for a VAR(%zu) of %zu series", p, k);
        goto done;
    }
    v->bse = v->params + m * k;
    v->tvalues = v->bse + m * k;
    v->pvalues = v->tvalues + m * k;
    v->sigma_u = v->pvalues + m * k;
    v->sigma_u_mle = v->sigma_u + k * k;
    v->zzinv = v->sigma_u_mle + k * k;
    v->k = k;
    v->T = T;
    v->p = p;
    v->nobs = nobs;
    v->ntrend = ntrend;
    v->kx = kx;
    if (kx > 0) { /* kept for the residuals */
        if (!(v->exog = sh_malloc_large(T * kx * sizeof(double)))) {
            st = sh_fail(SHEAF_ERR_NOMEM, FN ": out of memory for %zu exogenous values", T * kx);
            goto done;
        }
        for (size_t t = 0; t < T; t++)
            memcpy(v->exog + t * kx, exog + t * ldx, kx * sizeof(double));
    }
    double *work = r + 4 * d * d, *beta = work + sh_qr_multi_work(d, m, k);
    double *rss = beta + m * k, *rs = rss + k * k, *xtxi = rs + (m + k) * (m + k);

    if ((st = sh_lagged_qr(ctx, &design.lagged, sheaf_ctx_partitions(ctx), r, FN)) != SHEAF_OK)
        goto done;
    sh_var_design_columns(&design, p, cols);
    if (design.lagged.current_last) { /* the factor is [X, y]'s own: read it off */
        st = sh_qr_prefix_fit(r, d, m, cols + m, k, beta, rss, FN);
        for (size_t a = 0; st == SHEAF_OK && a < d * d; a++)
            rs[a] = r[a];
    } else {
        st = sh_qr_multi_fit(r, d, d, cols, m, cols + m, k, beta, rss, rs, work);
    }
    if (st == SHEAF_ERR_SINGULAR)
        st = sh_fail(SHEAF_ERR_SINGULAR,
                     FN ": the regressors are collinear (%s; a constant series beside a constant "
                        "term, or series that are exact combinations of others)",
                     sheaf_last_error());
    if (st != SHEAF_OK) goto done;

    /* (X'X)^-1 = R11^-1 R11^-T: invert the triangle column by column */
    size_t w = m + k;
    for (size_t a = 0; a < m * m; a++)
        xtxi[a] = 0.0;
    for (size_t c = 0; c < m; c++) { /* column c of R11^-1 (upper): solve R11 x = e_c */
        for (size_t i = c + 1; i-- > 0;) {
            double sum = i == c ? 1.0 : 0.0;
            for (size_t j = i + 1; j <= c; j++)
                sum -= rs[j * w + i] * xtxi[c * m + j];
            xtxi[c * m + i] = sum / rs[i * w + i];
        }
    }
    double df_resid = (double)(nobs - m);
    for (size_t a = 0; a < k * k; a++) {
        v->sigma_u[a] = rss[a] / df_resid;
        v->sigma_u_mle[a] = rss[a] / (double)nobs;
    }
    /* (Z'Z)^-1 [a][b] = sum_{c >= max(a, b)} (R11^-1)[a][c] (R11^-1)[b][c] */
    for (size_t a = 0; a < m; a++)
        for (size_t b = 0; b <= a; b++) {
            double g = 0.0;
            for (size_t c = a; c < m; c++)
                g += xtxi[c * m + a] * xtxi[c * m + b];
            v->zzinv[a * m + b] = v->zzinv[b * m + a] = g;
        }
    for (size_t row = 0; row < m; row++) {
        double g = v->zzinv[row * m + row];
        for (size_t i = 0; i < k; i++) {
            double b = beta[i * m + row], se = sqrt(g * v->sigma_u[i * k + i]), sf = NAN;
            v->params[row * k + i] = b;
            v->bse[row * k + i] = se;
            v->tvalues[row * k + i] = b / se;
            (void)sheaf_dist_normal_sf(fabs(b / se), &sf);
            v->pvalues[row * k + i] = 2.0 * sf;
        }
    }
    /* rs is free now and holds (m + k)^2 >= k^2 doubles */
    double ld_mle = logdet(v->sigma_u_mle, k, rs), ld_u = logdet(v->sigma_u, k, rs);
    double n = (double)nobs, kk = (double)k, free_params = (double)(p * k * k + k * ndet);
    double df_model = (double)m;
    v->info.llf = -(n * kk / 2.0) * log(2.0 * M_PI) - (n / 2.0) * ld_mle - n * kk / 2.0;
    v->info.aic = ld_mle + (2.0 / n) * free_params;
    v->info.bic = ld_mle + (log(n) / n) * free_params;
    v->info.hqic = ld_mle + (2.0 * log(log(n)) / n) * free_params;
    v->info.fpe = pow((n + df_model) / df_resid, kk) * exp(ld_mle);
    v->info.detomega = exp(ld_u);
done:
    sh_var_design_free(&design);
    sh_free(cols);
    sh_free(r);
    if (st != SHEAF_OK) {
        sheaf_var_free(v);
        return st;
    }
    *out = v;
    return SHEAF_OK;
}
