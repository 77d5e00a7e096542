/* arima_css.c - the conditional sum of squares of R's arima(method="CSS")
 * (stats C_ARIMA_CSS, R 4.2), mirrored so that the CSS objective and its
 * log-likelihood agree with R to rounding: u = y - x'beta is differenced
 * in place (d ordinary, D seasonal differences), and for t >= ncond =
 * d + sD + p + sP the residual is
 *   e_t = w_t - sum_{i=1}^{pe} phi_i w_{t-i} - sum_{j=1}^{min(qe, t-ncond)} theta_j e_{t-j},
 * with e_t = 0 before ncond. A missing y makes its w and e NaN; NaN
 * residuals are left out of ssq and nu, but (as in R) a NaN propagates
 * through the MA recursion. */
#include "timeseries/arima_internal.h"

#include <math.h>

void sh_arima_css(const sheaf_arima_spec *spec, const sh_arima_dims *dims,
                  const sh_arima_data *data, const double *params, double *work, double *ssq,
                  size_t *nu, double *resid)
{
    size_t n = data->n, s = spec->s;
    double *w = work, *e = resid ? resid : work + n;
    double *phi = work + 2 * n, *theta = phi + dims->pe;
    sh_arima_expand(spec, dims, params, phi, theta);
    for (size_t t = 0; t < n; t++) {
        double mu = 0.0;
        for (size_t j = 0; j < dims->kreg; j++)
            mu += sh_arima_regressor(spec, dims, data->exog, data->ldx, t, j) * params[j];
        w[t] = data->y[t] - mu;
    }
    for (size_t i = 0; i < spec->d; i++)
        for (size_t t = n; t-- > 1;)
            w[t] -= w[t - 1];
    for (size_t i = 0; i < spec->D; i++)
        for (size_t t = n; t-- > s;)
            w[t] -= w[t - s];
    size_t ncond = dims->kd + spec->p + s * spec->P;
    double sum = 0.0;
    size_t count = 0;
    for (size_t t = 0; t < n; t++) {
        if (t < ncond) {
            e[t] = 0.0;
            continue;
        }
        double v = w[t];
        for (size_t i = 0; i < dims->pe; i++)
            v -= phi[i] * w[t - i - 1];
        size_t jmax = t - ncond < dims->qe ? t - ncond : dims->qe;
        for (size_t j = 0; j < jmax; j++)
            v -= theta[j] * e[t - j - 1];
        e[t] = v;
        if (!isnan(v)) {
            sum += v * v;
            count++;
        }
    }
    *ssq = sum;
    *nu = count;
}
