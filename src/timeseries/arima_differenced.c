/* arima_differenced.c - the ML optimiser's functions on the differenced
 * model: w_t = Delta^d Delta_s^D y_t and the differenced regressors, so
 * that u_t = w_t - xw_t'beta is a stationary ARMA(pe, qe).
 *
 * 1. The stationary start (sh_arima_diff_run, _loglike, _profile): u's
 *    exact likelihood from its stationary distribution, no diffuse
 *    states. statsmodels' log-likelihood (arima_kalman.c) keeps the kd
 *    differencing states with variance 1e6 and burns kd terms; its terms
 *    after the burn are these ones plus corrections of the order of
 *    (sigma2 + level^2) / 1e6, so both functions peak close together: the
 *    fit searches on this one, k states instead of kd + k.
 * 2. statsmodels' function itself (sh_arima_diff_exact): after its kd
 *    diffuse steps the differencing states are exact sums of past values,
 *    so the rest of its filter is the k-state ARMA filter of u started at
 *    the ARMA block of the filter's state - no 1e6 in it any more. The fit
 *    finishes on this one (Newton steps, arima_fit.c).
 *
 * The stationary start runs with sigma2 = 1 (P scales with sigma2), so one pass
 * gives the log-likelihood at every sigma2 and its maximiser
 * sigma2_hat = mean(v_t^2 / F_t). It uses the Chandrasekhar recursions
 * (Morf, Sidhu and Kailath 1974): for a time-invariant system started at
 * its stationary covariance P_1 = T P_1 T' + R R', the change
 * P_{t+1} - P_t = W_t M_t W_t' stays of rank one (W a k-vector, M a
 * scalar), so a step costs O(k) instead of the O(k^2) of the Riccati
 * update:
 *   F_{t+1} = F_t + M_t W_{t,0}^2,         Kbar_{t+1} = Kbar_t + M_t W_{t,0} T W_t,
 *   W_{t+1} = T W_t - W_{t,0} Kbar_t / F_t, M_{t+1} = M_t F_t / F_{t+1},
 * from F_1 = P_1[0][0], Kbar_1 = T P_1 Z' (only P_1's first column is
 * needed), W_1 = Kbar_1, M_1 = -1 / F_1; the gain is Kbar_t / F_t. T is
 * the companion matrix of phi, so T x costs k operations. Once the
 * covariance moves by less than SH_ARIMA_SMOOTH_TOL of F (|M| |W|^2) the
 * gain freezes, as in the smooth Kalman filter. Series with
 * missing values (the recursions need every update) and fits without
 * enforce_stationarity (statsmodels starts those diffuse) keep
 * arima_kalman.c. The differenced data also serve the least-squares start
 * and the conditional sum of squares (arima_css.c), NaN included. */
#include "timeseries/arima_internal.h"

#include <math.h>
#include <string.h>

struct sh_arima_diff {
    sheaf_arima_spec spec;
    sh_arima_dims dims;
    size_t nw;                                     /* differenced observations: n - kd */
    double *w;                                     /* nw */
    double *xw;                                    /* nw x kreg, column j at xw + j nw */
    double *phi, *theta, *psi, *acov, *sys, *pcol; /* polynomials, autocovariances, P_1 e_0 */
    double *a, *kbar, *wv, *tw;                    /* state, gain, W, T W: k each */
    double *u;                                     /* nw: w - xw beta */
    double *P, *Pn;                                /* k x k: the exact continuation */
};

void sh_arima_diff_free(sh_arima_diff *f)
{
    if (!f) return;
    double *bufs[] = {f->w, f->xw,   f->phi, f->theta, f->psi, f->acov, f->sys, f->pcol,
                      f->a, f->kbar, f->wv,  f->tw,    f->u,   f->P,    f->Pn};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        sh_free(bufs[i]);
    sh_free(f);
}

bool sh_arima_diff_applies(const sheaf_arima_spec *spec, const sh_arima_data *data)
{
    return spec->enforce_stationarity && data->n_obs == data->n;
}

sheaf_status sh_arima_diff_create(const char *who, const sheaf_arima_spec *spec,
                                  const sh_arima_dims *dims, const sh_arima_data *data,
                                  sh_arima_diff **out)
{
    *out = NULL;
    size_t n = data->n, kd = dims->kd, k = dims->k, pe = dims->pe;
    if (n <= kd)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: series too short (n=%zu for %zu differences)", who, n, kd);
    sh_arima_diff *f = sh_calloc(1, sizeof *f);
    if (!f) return sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for the differenced model", who);
    f->spec = *spec;
    f->dims = *dims;
    f->nw = n - kd;
    size_t nl = k + dims->qe + 2;
    double *col = sh_malloc_array(n, sizeof(double));
    f->w = sh_malloc_array(f->nw, sizeof(double));
    f->xw = sh_malloc_array(f->nw * dims->kreg + 1, sizeof(double));
    f->phi = sh_malloc_array(k + 1, sizeof(double));
    f->theta = sh_malloc_array(dims->qe + 1, sizeof(double));
    f->psi = sh_malloc_array(nl, sizeof(double));
    f->acov = sh_malloc_array(nl, sizeof(double));
    f->sys = sh_malloc_array(SH_ARIMA_ACOV_WORK(pe), sizeof(double));
    f->pcol = sh_malloc_array(k, sizeof(double));
    f->a = sh_calloc(k + 1, sizeof(double));
    f->kbar = sh_malloc_array(k, sizeof(double));
    f->wv = sh_calloc(k + 1, sizeof(double));
    f->tw = sh_calloc(k + 1, sizeof(double));
    f->u = sh_malloc_array(f->nw, sizeof(double));
    f->P = sh_malloc_array(k * k, sizeof(double));
    f->Pn = sh_malloc_array(k * k, sizeof(double));
    if (!col || !f->w || !f->xw || !f->phi || !f->theta || !f->psi || !f->acov || !f->sys ||
        !f->pcol || !f->a || !f->kbar || !f->wv || !f->tw || !f->u || !f->P || !f->Pn) {
        sh_free(col);
        sh_arima_diff_free(f);
        return sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for the differenced model (n=%zu)", who, n);
    }
    for (size_t j = 0; j <= dims->kreg; j++) {
        for (size_t t = 0; t < n; t++)
            col[t] = j < dims->kreg ? sh_arima_regressor(spec, dims, data->exog, data->ldx, t, j)
                                    : data->y[t];
        sh_arima_difference(spec, col, n);
        memcpy(j < dims->kreg ? f->xw + j * f->nw : f->w, col + kd, f->nw * sizeof(double));
    }
    sh_free(col);
    *out = f;
    return SHEAF_OK;
}

size_t sh_arima_diff_nobs(const sh_arima_diff *f) { return f->nw; }

const double *sh_arima_diff_w(const sh_arima_diff *f) { return f->w; }

const double *sh_arima_diff_x(const sh_arima_diff *f) { return f->xw; }

const double *sh_arima_diff_residual(sh_arima_diff *f, const double *params)
{
    size_t nw = f->nw;
    memcpy(f->u, f->w, nw * sizeof(double));
    for (size_t j = 0; j < f->dims.kreg; j++)
        for (size_t i = 0; i < nw; i++)
            f->u[i] -= f->xw[j * nw + i] * params[j];
    return f->u;
}

/* F_1, Kbar_1 = T P_1 Z' into f->kbar and returns F_1 (NaN when the AR
 * polynomial is not stationary). P_1's first column: state 0 is the ARMA
 * value u_t, state i >= 1 is sum_{l>=1} phi_{i+l} u_{t-l} + sum_{l>=0}
 * theta_{i+l} eta_{t-l} (arima_kalman.c), so P_1[i][0] = sum_l
 * phi_{i+l} gamma_l + sum_l theta_{i+l} psi_l at sigma2 = 1. */
static double stationary_start(sh_arima_diff *f)
{
    size_t k = f->dims.k, pe = f->dims.pe, qe = f->dims.qe;
    const double *phi = f->phi, *th = f->theta;
    if (!sh_arima_arma_acov(phi, pe, th, qe, 1.0, k + 1, f->psi, f->acov, f->sys)) return NAN;
    f->pcol[0] = f->acov[0];
    for (size_t i = 1; i < k; i++) {
        double v = 0.0;
        for (size_t l = 1; i + l <= pe; l++)
            v += phi[i + l - 1] * f->acov[l];
        for (size_t l = 0; i + l <= qe; l++)
            v += th[i + l - 1] * f->psi[l];
        f->pcol[i] = v;
    }
    for (size_t i = 0; i < k; i++)
        f->kbar[i] = (i < pe ? phi[i] * f->pcol[0] : 0.0) + (i + 1 < k ? f->pcol[i + 1] : 0.0);
    return f->pcol[0];
}

/* The expanded polynomials of params; phi padded with zeros to k. */
static void load(sh_arima_diff *f, const double *params)
{
    sh_arima_expand(&f->spec, &f->dims, params, f->phi, f->theta);
    for (size_t i = f->dims.pe; i < f->dims.k; i++)
        f->phi[i] = 0.0;
}

/* tx = T x for the companion T of phi: tx_i = phi_i x_0 + x_{i+1}, with
 * phi padded to k and x[k] = 0 (every state vector here keeps that zero
 * past its end). */
static inline void companion(const double *phi, size_t k, const double *x, double *tx)
{
    double x0 = x[0];
    for (size_t i = 0; i < k; i++)
        tx[i] = x[i + 1] + phi[i] * x0;
}

bool sh_arima_diff_run(sh_arima_diff *f, const double *params, double *sum_log_f, double *sum_v2_f)
{
    const sh_arima_dims *d = &f->dims;
    size_t k = d->k, nw = f->nw, t = 0;
    load(f, params);
    if (!sh_arima_is_stationary(f->phi, d->pe, f->sys)) return false;
    double F = stationary_start(f);
    if (!(F > 0.0) || !isfinite(F)) return false;
    double *a = f->a, *kbar = f->kbar, *wv = f->wv, *tw = f->tw;
    const double *phi = f->phi, *u = sh_arima_diff_residual(f, params);
    memset(a, 0, k * sizeof(double));
    memcpy(wv, kbar, k * sizeof(double));
    double M = -1.0 / F, slog = 0.0, sv2 = 0.0;
    /* until the covariance stops moving (the smooth filter's relative test) */
    for (; t < nw; t++) {
        double v = u[t] - a[0], g = v / F;
        slog += log(F);
        sv2 += v * g;
        companion(phi, k, a, tw); /* a <- T a + Kbar v / F */
        for (size_t i = 0; i < k; i++)
            a[i] = tw[i] + kbar[i] * g;
        double w0 = wv[0], mw0 = M * w0, Fn = F + mw0 * w0;
        if (!(Fn > 0.0)) return false;
        companion(phi, k, wv, tw);
        double c = w0 / F, ww = 0.0;
        for (size_t i = 0; i < k; i++) {
            wv[i] = tw[i] - c * kbar[i];
            kbar[i] += mw0 * tw[i];
            ww += wv[i] * wv[i];
        }
        M *= F / Fn;
        F = Fn;
        if (-M * ww < SH_ARIMA_SMOOTH_TOL * F) { /* |P_{t+1} - P_t| = |M| |W|^2 */
            t++;
            break;
        }
    }
    /* steady state: the same F and gain at every later step */
    if (t < nw) {
        double inv_f = 1.0 / F;
        slog += (double)(nw - t) * log(F);
        for (size_t i = 0; i < k; i++)
            kbar[i] *= inv_f;
        for (; t < nw; t++) {
            double v = u[t] - a[0];
            sv2 += v * v * inv_f;
            double a0 = a[0];
            for (size_t i = 0; i < k; i++) /* in place: a[i + 1] is read before written */
                a[i] = a[i + 1] + kbar[i] * v + phi[i] * a0;
        }
    }
    *sum_log_f = slog;
    *sum_v2_f = sv2;
    return isfinite(slog) && isfinite(sv2);
}

bool sh_arima_diff_loglike(sh_arima_diff *f, const double *params, double *llf)
{
    double slog, sv2, s2 = params[f->dims.o_sigma2], nw = (double)f->nw;
    if (!(s2 > 0.0) || !sh_arima_diff_run(f, params, &slog, &sv2)) return false;
    *llf = -0.5 * (nw * log(2.0 * M_PI * s2) + slog + sv2 / s2);
    return isfinite(*llf);
}

bool sh_arima_diff_profile(sh_arima_diff *f, const double *params, double *llf, double *sigma2)
{
    double slog, sv2, nw = (double)f->nw;
    if (!sh_arima_diff_run(f, params, &slog, &sv2) || !(sv2 > 0.0)) return false;
    *sigma2 = sv2 / nw;
    *llf = -0.5 * (nw * (log(2.0 * M_PI * *sigma2) + 1.0) + slog);
    return isfinite(*llf);
}

/* P <- T X T' + sigma2 R R' for X = P - c c' / F (the update at c = P e_0),
 * T the companion of phi, R = (1, theta_1, ..): entry (i, j) of T X T' is
 * X_{i+1,j+1} + phi_i X_{0,j+1} + phi_j X_{i+1,0} + phi_i phi_j X_00 (X
 * beyond row or column k - 1 is 0). Returns the squared Frobenius norms of
 * the change of P and of the new P. */
static void riccati_step(sh_arima_diff *f, double sigma2, double F, double *change, double *norm)
{
    size_t k = f->dims.k, pe = f->dims.pe, qe = f->dims.qe;
    const double *phi = f->phi, *th = f->theta;
    double *P = f->P, *X = f->Pn, ch = 0.0, nr = 0.0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++)
            X[i * k + j] = P[i * k + j] - P[i * k] * P[j * k] / F;
    for (size_t i = 0; i < k; i++) {
        double pi = i < pe ? phi[i] : 0.0, ri = i == 0 ? 1.0 : i <= qe ? th[i - 1] : 0.0;
        const double *xi = i + 1 < k ? X + (i + 1) * k : NULL; /* row i + 1 */
        for (size_t j = 0; j <= i; j++) {
            double pj = j < pe ? phi[j] : 0.0, rj = j == 0 ? 1.0 : j <= qe ? th[j - 1] : 0.0;
            double v = pi * pj * X[0] + sigma2 * ri * rj;
            if (j + 1 < k) v += pi * X[j + 1];
            if (xi) v += pj * xi[0] + (j + 1 < k ? xi[j + 1] : 0.0);
            double dv = v - P[i * k + j], w = i == j ? 1.0 : 2.0;
            ch += w * dv * dv;
            nr += w * v * v;
            P[i * k + j] = v;
            P[j * k + i] = v;
        }
    }
    *change = ch;
    *norm = nr;
}

bool sh_arima_diff_exact(sh_arima_diff *f, sh_arima_filter *filter, const double *params,
                         double *llf)
{
    const sh_arima_dims *d = &f->dims;
    if (d->kd == 0) return sh_arima_diff_loglike(f, params, llf);
    size_t k = d->k, pe = d->pe, nw = f->nw;
    double sigma2 = params[d->o_sigma2];
    if (sh_arima_filter_diffuse_start(filter, params, f->a, f->P) != SHEAF_OK) return false;
    load(f, params);
    const double *u = sh_arima_diff_residual(f, params), *phi = f->phi;
    double *a = f->a, *gain = f->kbar, *ta = f->tw, F = 0.0, logF = 0.0, sum = 0.0;
    bool frozen = false;
    for (size_t t = 0; t < nw; t++) {
        if (!frozen) {
            F = f->P[0];
            if (!(F > 0.0) || !isfinite(F)) return false;
            logF = log(F);
            for (size_t i = 0; i < k; i++) /* T P e_0 / F */
                gain[i] =
                    ((i < pe ? phi[i] * f->P[0] : 0.0) + (i + 1 < k ? f->P[(i + 1) * k] : 0.0)) / F;
        }
        double v = u[t] - a[0];
        sum += logF + v * v / F;
        companion(phi, k, a, ta);
        for (size_t i = 0; i < k; i++)
            a[i] = ta[i] + gain[i] * v;
        if (!frozen) {
            double change, norm;
            riccati_step(f, sigma2, F, &change, &norm);
            frozen = change < SH_ARIMA_SMOOTH_TOL * SH_ARIMA_SMOOTH_TOL * norm;
        }
    }
    *llf = -0.5 * ((double)nw * log(2.0 * M_PI) + sum);
    return isfinite(*llf);
}
