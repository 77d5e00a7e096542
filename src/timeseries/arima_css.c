/* arima_css.c - the conditional sum of squares of R's arima(method="CSS")
 * (stats C_ARIMA_CSS, R 4.2): for t >= ncond = d + sD + p + sP the
 * residual of the differenced u = w - x'beta is
 *   e_t = u_t - sum_{i=1}^{pe} phi_i u_{t-i} - sum_{j=1}^{min(qe, t-ncond)} theta_j e_{t-j},
 * with e_t = 0 before ncond. R differences y - x'beta where sheaf
 * differences y and x once per fit (arima_differenced.c): the same values
 * up to rounding. A missing y makes its u and e NaN; NaN residuals are
 * left out of ssq and nu, but (as in R) a NaN propagates through the MA
 * recursion. */
#include "timeseries/arima_internal.h"

#include <math.h>

void sh_arima_css(sh_arima_diff *f, const sheaf_arima_spec *spec, const sh_arima_dims *dims,
                  const double *params, double *work, double *ssq, size_t *nu, double *resid)
{
    size_t nw = sh_arima_diff_nobs(f), kd = dims->kd, n = nw + kd;
    double *e = resid ? resid : work, *phi = work + n, *theta = phi + dims->pe;
    sh_arima_expand(spec, dims, params, phi, theta);
    const double *u = sh_arima_diff_residual(f, params); /* u[t - kd] is time t */
    size_t ncond = kd + dims->pe;
    double sum = 0.0;
    size_t count = 0;
    for (size_t t = 0; t < n; t++) {
        if (t < ncond) {
            e[t] = 0.0;
            continue;
        }
        double v = u[t - kd];
        for (size_t i = 0; i < dims->pe; i++)
            v -= phi[i] * u[t - kd - i - 1];
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
