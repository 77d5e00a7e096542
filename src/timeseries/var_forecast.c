/* var_forecast.c - forecasts of a fitted VAR and their error covariances,
 * as statsmodels' VARResults.forecast, forecast_interval and mse (0.13):
 * y_{T+h} = trend terms at T + h + intercepts + sum_l A_l y_{T+h-l}, and
 * mse(h) = sum_{i<h} Phi_i sigma_u Phi_i' with the moving-average
 * coefficients Phi_i (no term for the estimation error, as statsmodels'
 * default). */
#include "sheaf_linalg.h"
#include "timeseries/var_internal.h"

#include <math.h>
#include <string.h>

void sh_var_ma_rep(const sheaf_var *v, size_t periods, double *phi)
{
    size_t k = v->k, kk = k * k;
    memset(phi, 0, (periods + 1) * kk * sizeof *phi);
    for (size_t i = 0; i < k; i++)
        phi[i * k + i] = 1.0;
    for (size_t h = 1; h <= periods; h++) {
        double *out = phi + h * kk;
        for (size_t l = 1; l <= v->p && l <= h; l++) {
            const double *prev = phi + (h - l) * kk;
            for (size_t i = 0; i < k; i++)
                for (size_t q = 0; q < k; q++) {
                    double a = sh_var_coef(v, l, i, q);
                    for (size_t j = 0; j < k; j++)
                        out[i * k + j] += a * prev[q * k + j];
                }
        }
    }
}

/* The forecast recursion behind the public entries; fn names the caller. */
static sheaf_status forecast_rows(const char *fn, const sheaf_var *v, const double *y_last,
                                  size_t n_last, size_t ld, const double *exog_future, size_t ldx,
                                  size_t steps, double *forecast)
{
    if (!v || !y_last || !forecast)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s is NULL", fn,
                       !v        ? "var"
                       : !y_last ? "y_last"
                                 : "forecast");
    if (v->kx > 0 && !exog_future)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: the VAR has %zu exogenous series; their future values (exog_future, "
                       "steps rows) are needed",
                       fn, v->kx);
    if (v->kx > 0 && ldx < v->kx)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: ldx = %zu is less than the %zu exogenous series",
                       fn, ldx, v->kx);
    size_t k = v->k, p = v->p;
    if (steps == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: steps = 0", fn);
    if (ld < k) return sh_fail(SHEAF_ERR_DIMENSION, "%s: ld = %zu is less than k = %zu", fn, ld, k);
    if (n_last < p)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: a VAR(%zu) forecasts from its last %zu rows; y_last has %zu", fn, p, p,
                       n_last);
    const double *last = y_last + (n_last - p) * ld; /* the p rows used */
    for (size_t r = 0; r < p; r++)
        for (size_t j = 0; j < k; j++)
            if (!isfinite(last[r * ld + j]))
                return sh_fail(SHEAF_ERR_NONFINITE, "%s: y_last[%zu][%zu] = %g is not finite", fn,
                               n_last - p + r, j, last[r * ld + j]);
    for (size_t h = 0; h < steps && v->kx > 0; h++)
        for (size_t c = 0; c < v->kx; c++)
            if (!isfinite(exog_future[h * ldx + c]))
                return sh_fail(SHEAF_ERR_NONFINITE, "%s: exog_future[%zu][%zu] = %g is not finite",
                               fn, h, c, exog_future[h * ldx + c]);
    for (size_t h = 0; h < steps; h++) {
        double *out = forecast + h * k, t = (double)(v->T + h + 1);
        double terms[3] = {1.0, t, t * t};
        for (size_t i = 0; i < k; i++) {
            double f = 0.0;
            for (size_t c = 0; c < v->ntrend; c++)
                f += terms[c] * v->params[c * k + i];
            for (size_t c = 0; c < v->kx; c++)
                f += exog_future[h * ldx + c] * v->params[(v->ntrend + c) * k + i];
            out[i] = f;
        }
        for (size_t l = 1; l <= p; l++) {
            /* y_{T+h+1-l}: a forecast when h + 1 > l, else an observed row */
            const double *prev = h >= l ? forecast + (h - l) * k : last + (p - l + h) * ld;
            for (size_t i = 0; i < k; i++)
                for (size_t j = 0; j < k; j++)
                    out[i] += sh_var_coef(v, l, i, j) * prev[j];
        }
    }
    return SHEAF_OK;
}

sheaf_status sheaf_var_forecast(const sheaf_var *v, const double *y_last, size_t n_last, size_t ld,
                                size_t steps, double *forecast)
{
    return forecast_rows("sheaf_var_forecast", v, y_last, n_last, ld, NULL, 0, steps, forecast);
}

sheaf_status sheaf_var_forecast_exog(const sheaf_var *v, const double *y_last, size_t n_last,
                                     size_t ld, const double *exog_future, size_t ldx, size_t steps,
                                     double *forecast)
{
    return forecast_rows("sheaf_var_forecast_exog", v, y_last, n_last, ld, exog_future, ldx, steps,
                         forecast);
}

sheaf_status sheaf_var_mse(const sheaf_var *v, size_t steps, double *mse)
{
    if (!v || !mse)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_var_mse: an argument is NULL");
    if (steps == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_var_mse: steps = 0");
    size_t k = v->k, kk = k * k;
    double *phi = sh_malloc_array((steps + 1) * kk + kk, sizeof(double));
    if (!phi) return sh_fail(SHEAF_ERR_NOMEM, "sheaf_var_mse: out of memory for %zu steps", steps);
    double *ps = phi + (steps + 1) * kk; /* Phi_i sigma_u */
    sh_var_ma_rep(v, steps - 1, phi);
    for (size_t h = 0; h < steps; h++) {
        const double *f = phi + h * kk;
        double *out = mse + h * kk;
        if (h > 0)
            memcpy(out, out - kk, kk * sizeof *out);
        else
            memset(out, 0, kk * sizeof *out);
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++) {
                double s = 0.0;
                for (size_t q = 0; q < k; q++)
                    s += f[i * k + q] * v->sigma_u[q * k + j];
                ps[i * k + j] = s;
            }
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++) {
                double s = 0.0;
                for (size_t q = 0; q < k; q++)
                    s += ps[i * k + q] * f[j * k + q];
                out[i * k + j] += s;
            }
    }
    sh_free(phi);
    return SHEAF_OK;
}

sheaf_status sheaf_var_forecast_interval(const sheaf_var *v, const double *y_last, size_t n_last,
                                         size_t ld, size_t steps, double alpha, double *forecast,
                                         double *lower, double *upper)
{
    return sheaf_var_forecast_interval_exog(v, y_last, n_last, ld, NULL, 0, steps, alpha, forecast,
                                            lower, upper);
}

sheaf_status sheaf_var_forecast_interval_exog(const sheaf_var *v, const double *y_last,
                                              size_t n_last, size_t ld, const double *exog_future,
                                              size_t ldx, size_t steps, double alpha,
                                              double *forecast, double *lower, double *upper)
{
    if (!(alpha > 0.0 && alpha < 1.0))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "sheaf_var_forecast_interval: alpha = %g is not in (0, 1)", alpha);
    sheaf_status st = forecast_rows("sheaf_var_forecast_interval", v, y_last, n_last, ld,
                                    exog_future, ldx, steps, forecast);
    if (st != SHEAF_OK || (!lower && !upper)) return st;
    size_t k = v->k;
    double *mse = sh_malloc_array(steps * k * k, sizeof(double)), q = NAN;
    if (!mse)
        return sh_fail(SHEAF_ERR_NOMEM, "sheaf_var_forecast_interval: out of memory for %zu steps",
                       steps);
    if ((st = sheaf_var_mse(v, steps, mse)) == SHEAF_OK)
        st = sheaf_dist_normal_quantile(1.0 - alpha / 2.0, &q);
    for (size_t h = 0; st == SHEAF_OK && h < steps; h++)
        for (size_t i = 0; i < k; i++) {
            double half = q * sqrt(mse[(h * k + i) * k + i]), mid = forecast[h * k + i];
            if (lower) lower[h * k + i] = mid - half;
            if (upper) upper[h * k + i] = mid + half;
        }
    sh_free(mse);
    return st;
}
