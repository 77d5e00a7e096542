/* arima_acov.c - the psi weights and autocovariances of an ARMA process,
 * from which both filters build their stationary start: psi by the usual
 * recursion, gamma_0..gamma_pe from the (pe + 1)-equation system
 * gamma_j - sum_i phi_i gamma_|j-i| = sigma2 sum_{l>=j} theta_l psi_{l-j},
 * later lags by the AR recursion. */
#include "timeseries/arima_internal.h"

#include <math.h>
#include <string.h>

/* Solves the (n x n, row-major, n+1 columns with the right-hand side last)
 * system in place by Gaussian elimination with partial pivoting; false when
 * singular. The systems here are tiny (the AR degree plus one). */
static bool gauss_solve(double *g, size_t n)
{
    size_t w = n + 1;
    for (size_t c = 0; c < n; c++) {
        size_t piv = c;
        for (size_t r = c + 1; r < n; r++)
            if (fabs(g[r * w + c]) > fabs(g[piv * w + c])) piv = r;
        if (!(fabs(g[piv * w + c]) > 0.0)) return false;
        if (piv != c)
            for (size_t j = c; j < w; j++) {
                double tmp = g[c * w + j];
                g[c * w + j] = g[piv * w + j];
                g[piv * w + j] = tmp;
            }
        for (size_t r = c + 1; r < n; r++) {
            double fct = g[r * w + c] / g[c * w + c];
            if (fct == 0.0) continue;
            for (size_t j = c; j < w; j++)
                g[r * w + j] -= fct * g[c * w + j];
        }
    }
    for (size_t c = n; c-- > 0;) {
        double sum = g[c * w + n];
        for (size_t j = c + 1; j < n; j++)
            sum -= g[c * w + j] * g[j * w + n];
        g[c * w + n] = sum / g[c * w + c];
    }
    return true;
}

/* psi_0..psi_{nl-1} and the autocovariances gamma_0..gamma_{nl-1} of the
 * ARMA(pe, qe) process with innovation variance sigma2; false when the AR
 * system is singular (a unit root). */
bool sh_arima_arma_acov(const double *phi, size_t pe, const double *th, size_t qe, double sigma2,
                        size_t nl, double *psi, double *g, double *sys)
{
    for (size_t j = 0; j < nl; j++) {
        double v = j == 0 ? 1.0 : j <= qe ? th[j - 1] : 0.0;
        for (size_t i = 1; i <= pe && i <= j; i++)
            v += phi[i - 1] * psi[j - i];
        psi[j] = v;
    }
    /* rhs_j = sigma2 sum_{l=j}^{qe} theta_l psi_{l-j} (theta_0 = 1) */
    for (size_t j = 0; j < nl; j++) {
        double v = 0.0;
        for (size_t l = j; l <= qe; l++)
            v += (l == 0 ? 1.0 : th[l - 1]) * psi[l - j];
        g[j] = sigma2 * v;
    }
    if (pe > 0) {
        size_t w = pe + 2;
        memset(sys, 0, (pe + 1) * w * sizeof(double));
        for (size_t j = 0; j <= pe; j++) {
            sys[j * w + j] += 1.0;
            for (size_t i = 1; i <= pe; i++) {
                size_t lag = j >= i ? j - i : i - j;
                sys[j * w + lag] -= phi[i - 1];
            }
            sys[j * w + pe + 1] = g[j];
        }
        if (!gauss_solve(sys, pe + 1)) return false;
        for (size_t j = 0; j <= pe; j++)
            g[j] = sys[j * w + pe + 1];
        for (size_t j = pe + 1; j < nl; j++) {
            double v = g[j];
            for (size_t i = 1; i <= pe; i++)
                v += phi[i - 1] * g[j - i];
            g[j] = v;
        }
    }
    return true;
}
