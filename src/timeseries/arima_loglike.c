/* arima_loglike.c - the log-likelihood at given parameters
 * (statsmodels' ARIMA(...).loglike(params)): checks, one filter pass. */
#include "timeseries/arima_internal.h"

#include <math.h>

sheaf_status sheaf_arima_loglike(const double *y, size_t n, const double *exog, size_t kx,
                                 size_t ldx, const sheaf_arima_spec *spec, const double *params,
                                 size_t n_params, double *llf)
{
    static const char fn[] = "sheaf_arima_loglike";
    if (!llf || !params)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s is NULL", fn, llf ? "params" : "llf");
    *llf = NAN;
    sh_arima_dims dims;
    sh_arima_data data;
    sheaf_status st = sh_arima_dims_init(fn, spec, kx, &dims);
    if (st != SHEAF_OK) return st;
    if (n_params != dims.np)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: n_params=%zu (the model has %zu)", fn,
                       n_params, dims.np);
    for (size_t i = 0; i < n_params; i++)
        if (!isfinite(params[i]))
            return sh_fail(SHEAF_ERR_NONFINITE, "%s: params[%zu] is %g", fn, i, params[i]);
    st = sh_arima_data_init(fn, y, n, exog, kx, ldx, &data);
    if (st != SHEAF_OK) return st;
    if (n <= dims.burn)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: series too short (n=%zu; the first %zu terms are burned)", fn, n,
                       dims.burn);
    sh_arima_filter *f = NULL;
    st = sh_arima_filter_create(fn, spec, &dims, &data, &f);
    if (st != SHEAF_OK) return st;
    sh_arima_filter_out out = {0};
    st = sh_arima_filter_run(f, params, &out);
    if (st == SHEAF_OK) *llf = out.llf;
    sh_arima_filter_free(f);
    return st;
}
