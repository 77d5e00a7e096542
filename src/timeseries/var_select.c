/* var_select.c - statsmodels' VAR.select_order from one merged factor.
 * statsmodels fits every order p = 0..maxlags on the same rows
 * t = maxlags..T-1 (it drops maxlags - p leading rows for order p) and
 * restarts the trend at 1 on the rows it keeps. A shifted trend spans the
 * same space as the unshifted one together with the constant (and, for ctt,
 * the linear term), so the residuals - and every criterion, which depends on
 * them only - are those of one lagged design with the trend counted from
 * the first row: one factor of [trend terms, y_t, ..., y_{t-maxlags}] over
 * the common rows serves every order. */
#include "linalg/qr.h"
#include "sheaf_linalg.h"
#include "timeseries/lagged.h"
#include "timeseries/var_internal.h"

#include <math.h>
#include <string.h>

#define FN "sheaf_var_select_order"

/* statsmodels' default int(round(12 (T / 100)^(1/4))) (round half to even). */
static size_t default_maxlags(size_t T)
{
    return (size_t)nearbyint(12.0 * pow((double)T / 100.0, 0.25));
}

/* The four criteria of an order-p fit with residual cross-products rss
 * (k x k) on nobs rows and ndet deterministic and exogenous regressors, as
 * VARResults.info_criteria. */
static sheaf_status criteria(const double *rss, size_t k, size_t p, size_t ndet, size_t nobs,
                             double *scratch, double *row)
{
    double n = (double)nobs, kk = (double)k;
    for (size_t a = 0; a < k * k; a++)
        scratch[a] = rss[a] / n;
    double ld = NAN;
    sheaf_status st = sheaf_linalg_logdet_spd(sheaf_matrix_view(scratch, k, k), &ld);
    if (st != SHEAF_OK) return st;
    double free_params = (double)(p * k * k + k * ndet), df_model = (double)(ndet + k * p);
    double df_resid = n - df_model;
    row[SHEAF_VAR_AIC] = ld + (2.0 / n) * free_params;
    row[SHEAF_VAR_BIC] = ld + (log(n) / n) * free_params;
    row[SHEAF_VAR_HQIC] = ld + (2.0 * log(log(n)) / n) * free_params;
    row[SHEAF_VAR_FPE] = pow((n + df_model) / df_resid, kk) * exp(ld);
    return SHEAF_OK;
}

sheaf_status sheaf_var_select_order(const sheaf_ctx *ctx, const double *y, size_t T, size_t k,
                                    size_t ld, size_t maxlags, sheaf_trend trend, double *ics,
                                    size_t *selected, size_t *maxlags_used)
{
    return sheaf_var_select_order_exog(ctx, y, T, k, ld, NULL, 0, 0, maxlags, trend, ics, selected,
                                       maxlags_used);
}

sheaf_status sheaf_var_select_order_exog(const sheaf_ctx *ctx, const double *y, size_t T, size_t k,
                                         size_t ld, const double *exog, size_t kx, size_t ldx,
                                         size_t maxlags, sheaf_trend trend, double *ics,
                                         size_t *selected, size_t *maxlags_used)
{
    sheaf_status st = sh_var_check_args(y, k, ld, trend, FN);
    if (st != SHEAF_OK) return st;
    size_t ntrend = (size_t)trend;
    if (T < k + ntrend + 1 + k)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       FN ": %zu observations of %zu series cannot estimate a VAR(1) (need at "
                          "least %zu)",
                       T, k, 2 * k + ntrend + 1);
    size_t max_estimable = (T - k - ntrend) / (1 + k);
    if (maxlags == SHEAF_VAR_MAXLAGS_DEFAULT) {
        maxlags = default_maxlags(T);
        if (maxlags > max_estimable) maxlags = max_estimable;
    } else if (maxlags > max_estimable) {
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       FN ": maxlags = %zu is too large for %zu observations of %zu series "
                          "(the largest estimable order is %zu)",
                       maxlags, T, k, max_estimable);
    }
    size_t ndet = ntrend + kx, p_min = ndet == 0 ? 1 : 0;
    if (maxlags < p_min)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       FN ": maxlags = 0 with trend n leaves no model to fit");
    if (maxlags_used) *maxlags_used = maxlags;
    if (!ics && !selected) return SHEAF_OK;

    sh_var_design design;
    st = sh_var_design_init(&design, y, T, k, ld, exog, kx, ldx, maxlags, trend, FN);
    if (st != SHEAF_OK) {
        sh_var_design_free(&design);
        return st;
    }
    size_t d = sh_lagged_width(&design.lagged), nobs = T - maxlags, m_max = ndet + k * maxlags;
    size_t *cols = sh_malloc_array(m_max + k, sizeof(size_t));
    double *r = sh_malloc_array(4 * d * d + sh_qr_multi_work(d, m_max, k) + m_max * k + 2 * k * k +
                                    4 * (maxlags + 1),
                                sizeof(double));
    if (!cols || !r) {
        st = sh_fail(SHEAF_ERR_NOMEM, FN ": out of memory for %zu lags of %zu series", maxlags, k);
        goto done;
    }
    double *work = r + 4 * d * d, *beta = work + sh_qr_multi_work(d, m_max, k);
    double *rss = beta + m_max * k, *scratch = rss + k * k, *table = scratch + k * k;
    if ((st = sh_lagged_qr(ctx, &design.lagged, sheaf_ctx_partitions(ctx), r, FN)) != SHEAF_OK)
        goto done;
    for (size_t p = 0; p <= maxlags; p++) {
        double *row = table + 4 * p;
        if (p < p_min) {
            row[0] = row[1] = row[2] = row[3] = NAN;
            continue;
        }
        size_t m = ndet + k * p;
        sh_var_design_columns(&design, p, cols); /* regressors of order p, then the targets */
        st = design.lagged.current_last
                 ? sh_qr_prefix_fit(r, d, m, cols + m, k, NULL, rss, FN)
                 : sh_qr_multi_fit(r, d, d, cols, m, cols + m, k, beta, rss, NULL, work);
        if (st == SHEAF_OK) st = criteria(rss, k, p, ndet, nobs, scratch, row);
        if (st != SHEAF_OK) {
            st = sh_fail(st == SHEAF_ERR_NOMEM ? st : SHEAF_ERR_SINGULAR,
                         FN ": the VAR(%zu) on rows %zu..%zu is singular (%s)", p, maxlags, T - 1,
                         sheaf_last_error());
            goto done;
        }
    }
    if (ics) memcpy(ics, table, 4 * (maxlags + 1) * sizeof *ics);
    if (selected)
        for (size_t c = 0; c < 4; c++) {
            size_t best = p_min;
            for (size_t p = p_min + 1; p <= maxlags; p++)
                if (table[4 * p + c] < table[4 * best + c]) best = p;
            selected[c] = best;
        }
done:
    sh_var_design_free(&design);
    sh_free(cols);
    sh_free(r);
    return st;
}
