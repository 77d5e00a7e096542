/* arima_results.c - what a fitted ARIMA model answers: its estimates and
 * criteria, residuals, forecasts with intervals (the Kalman prediction
 * continued from the filter's state at the end of the sample, as
 * statsmodels' get_forecast and R's predict.Arima do) and the Ljung-Box
 * test on the standardised one-step errors. */
#include "timeseries/arima_internal.h"
#include "sheaf_stattools.h"
#include "timeseries/stattools_internal.h"

#include <math.h>
#include <string.h>

sheaf_arima_spec sheaf_arima_get_spec(const sheaf_arima *m)
{
    return m ? m->spec : sheaf_arima_spec_default();
}

size_t sheaf_arima_k_exog(const sheaf_arima *m) { return m ? m->dims.kx : 0; }

void sheaf_arima_params(const sheaf_arima *m, double *params, double *bse)
{
    if (!m) return;
    if (params) memcpy(params, m->params, m->dims.np * sizeof(double));
    if (bse) memcpy(bse, m->bse, m->dims.np * sizeof(double));
}

void sheaf_arima_get_info(const sheaf_arima *m, sheaf_arima_info *out)
{
    if (m && out) *out = m->info;
}

void sheaf_arima_resid(const sheaf_arima *m, double *resid, double *fitted)
{
    if (!m) return;
    if (resid) memcpy(resid, m->resid, m->n * sizeof(double));
    if (fitted) memcpy(fitted, m->fitted, m->n * sizeof(double));
}

sheaf_status sheaf_arima_forecast(const sheaf_arima *m, size_t h, const double *exog_future,
                                  size_t ldx, double alpha, double *mean, double *se, double *lower,
                                  double *upper)
{
    static const char fn[] = "sheaf_arima_forecast";
    if (!m) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: m is NULL", fn);
    if (h == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: h=0 (needs >= 1)", fn);
    double z;
    sheaf_status st = sh_st_band_z(fn, alpha, &z);
    if (st != SHEAF_OK) return st;
    size_t kx = m->dims.kx, dm = m->dims.m;
    if (kx > 0) {
        if (!exog_future)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: the model has %zu exogenous regressors; exog_future is NULL", fn,
                           kx);
        if (ldx < kx)
            return sh_fail(SHEAF_ERR_DIMENSION, "%s: ldx=%zu is below kx=%zu", fn, ldx, kx);
        for (size_t i = 0; i < h * kx; i++)
            if (!isfinite(exog_future[(i / kx) * ldx + i % kx]))
                return sh_fail(SHEAF_ERR_NONFINITE, "%s: exog_future[%zu][%zu] is %g", fn, i / kx,
                               i % kx, exog_future[(i / kx) * ldx + i % kx]);
    }
    if (!m->has_state)
        return sh_fail(SHEAF_ERR_UNSUPPORTED,
                       "%s: the estimates admit no state-space filter (a CSS fit with a "
                       "non-stationary AR part); refit with ML",
                       fn);
    sh_arima_data data = {.y = m->y, .n = m->n, .exog = m->exog, .ldx = kx}; /* the fit's copies */
    sh_arima_filter *f = NULL;
    double *a = sh_malloc_array(dm, sizeof(double)), *P = sh_malloc_array(dm * dm, sizeof(double));
    double *scratch = sh_malloc_array(dm + 2 * dm * dm, sizeof(double));
    if (!a || !P || !scratch)
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for %zu states", fn, dm);
    else
        st = sh_arima_filter_create(fn, &m->spec, &m->dims, &data, &f);
    if (st == SHEAF_OK) {
        sh_arima_filter_load(f, m->params);
        memcpy(a, m->a_end, dm * sizeof(double));
        memcpy(P, m->P_end, dm * dm * sizeof(double));
        for (size_t i = 0; i < h; i++) {
            double mu = 0.0;
            for (size_t j = 0; j < m->dims.kreg; j++) {
                double xj = j < m->dims.ktr
                                ? sh_arima_regressor(&m->spec, &m->dims, NULL, 0, m->n + i, j)
                                : exog_future[i * ldx + (j - m->dims.ktr)];
                mu += xj * m->params[j];
            }
            double mi = mu + sh_arima_filter_zdot(f, a);
            double si = sqrt(fmax(sh_arima_filter_zpz(f, P), 0.0));
            if (mean) mean[i] = mi;
            if (se) se[i] = si;
            if (lower) lower[i] = mi - z * si;
            if (upper) upper[i] = mi + z * si;
            if (i + 1 < h) sh_arima_filter_predict(f, m->params, a, P, scratch);
        }
    }
    sh_arima_filter_free(f);
    sh_free(a);
    sh_free(P);
    sh_free(scratch);
    return st;
}

sheaf_status sheaf_arima_ljungbox(const sheaf_arima *m, size_t lags, size_t model_df, double *stat,
                                  double *pvalue)
{
    static const char fn[] = "sheaf_arima_ljungbox";
    if (!m || !stat || !pvalue)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s is NULL", fn,
                       !m      ? "m"
                       : !stat ? "stat"
                               : "pvalue");
    if (m->info.method == SHEAF_ARIMA_CSS)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: a CSS fit has no standardised one-step errors", fn);
    if (lags == 0 || model_df >= lags)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: lags=%zu, model_df=%zu (needs lags >= 1 "
                       "and model_df < lags)",
                       fn, lags, model_df);
    double *z = sh_malloc_array(m->n, sizeof(double));
    if (!z) return sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for %zu errors", fn, m->n);
    size_t nz = 0;
    for (size_t t = m->burn; t < m->n; t++)
        if (!isnan(m->resid[t])) z[nz++] = m->resid[t] / sqrt(m->F[t]);
    sheaf_status st;
    if (lags >= nz)
        st = sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: lags=%zu needs more than %zu errors", fn,
                     lags, nz);
    else {
        st = sheaf_acorr_ljungbox(NULL, z, nz, &lags, 1, model_df, stat, pvalue, NULL, NULL);
        if (st != SHEAF_OK) st = sh_fail(st, "%s: %s", fn, sheaf_last_error());
    }
    sh_free(z);
    return st;
}
