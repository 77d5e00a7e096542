/* arima_transform.c - the reparameterisation that keeps AR polynomials
 * stationary and MA polynomials invertible while the optimiser moves freely
 * (Jones 1980, Monahan 1984; statsmodels' constrain_stationary_univariate):
 * n free values x become partial autocorrelations r = x / sqrt(1 + x^2) in
 * (-1, 1), which the Durbin-Levinson recursion turns into the coefficients
 * of 1 - sum c_i L^i; every |r| < 1 gives a stationary polynomial and every
 * stationary polynomial arises once. The same step-down recursion run
 * backwards tests stationarity (the Schur-Cohn test). */
#include "timeseries/arima_internal.h"

#include <math.h>

void sh_arima_constrain(const double *x, size_t n, double *c, double *work)
{
    /* work row k holds the order-(k+1) coefficients */
    for (size_t k = 0; k < n; k++) {
        double r = x[k] / sqrt(1.0 + x[k] * x[k]);
        for (size_t i = 0; i < k; i++)
            work[k * n + i] = work[(k - 1) * n + i] - r * work[(k - 1) * n + (k - i - 1)];
        work[k * n + k] = r;
    }
    for (size_t i = 0; i < n; i++)
        c[i] = work[(n - 1) * n + i];
}

/* Steps c (degree n) down to its partial autocorrelations r (the diagonal
 * of work); false as soon as one has |r| >= 1. */
static bool step_down(const double *c, size_t n, double *work, double *r)
{
    for (size_t i = 0; i < n; i++)
        work[(n - 1) * n + i] = c[i];
    for (size_t k = n; k-- > 0;) {
        double rk = work[k * n + k];
        if (!(fabs(rk) < 1.0)) return false;
        if (r) r[k] = rk;
        double den = 1.0 - rk * rk;
        for (size_t i = 0; i < k; i++)
            work[(k - 1) * n + i] = (work[k * n + i] + rk * work[k * n + (k - i - 1)]) / den;
    }
    return true;
}

bool sh_arima_unconstrain(const double *c, size_t n, double *x, double *work)
{
    if (!step_down(c, n, work, x)) return false;
    for (size_t k = 0; k < n; k++)
        x[k] = x[k] / sqrt(1.0 - x[k] * x[k]);
    return true;
}

bool sh_arima_is_stationary(const double *c, size_t n, double *work)
{
    if (n == 0) return true;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(c[i])) return false;
    return step_down(c, n, work, NULL);
}
