/* arima_kalman.c - the exact Gaussian log-likelihood of a regression with
 * ARIMA errors by a Kalman filter on statsmodels' SARIMAX state space
 * (0.13, simple_differencing=False, Harvey's form), copying its
 * conventions so that loglike(params) agrees to 1e-8:
 *
 * states [d nested differences, D blocks of s seasonal differences, k ARMA
 * states]; y_t - x_t'beta = Z alpha_t; alpha_{t+1} = T alpha_t + R eta_t.
 * Z = [1 x d, (0..0, 1) x D, 1, 0 x (k-1)]. The ARMA block of T has the
 * expanded phi in its first column and ones above the diagonal, R = [0 x kd,
 * 1, theta_1 .. theta_{k-1}]. Seasonal block b is a shift register whose
 * first state takes its own last state, the last state of every later
 * block and ARMA state 0; difference state i takes states i..d-1, the last
 * state of every seasonal block and ARMA state 0.
 *
 * Start: a_0 = 0; the kd difference states have variance 1e6 (absolute,
 * statsmodels' approximate diffuse), the ARMA block its stationary
 * covariance; the first kd log-likelihood terms are burned. Without
 * enforce_stationarity every state starts at 1e6 and m terms are burned.
 *
 * The stationary covariance P = T P T' + sigma2 R R' of the ARMA block is
 * not solved as a k^2 x k^2 Lyapunov system: each state is a finite linear
 * combination of y_{t-l} and eta_{t-l} (alpha_i = sum_{l=1}^{k-i}
 * phi_{i+l} y_{t-l} + sum_{l=0}^{k-i-1} theta_{i+l} eta_{t-l}, theta_0 =
 * 1), so P follows in O(k^3) from the ARMA autocovariances and the psi
 * weights (cov(y_{t-a}, eta_{t-b}) = sigma2 psi_{b-a}).
 *
 * The filter skips the update at a missing y (NaN) and copies statsmodels'
 * steady-state shortcut for models without regressors: once the summed
 * squared change of the predicted covariance falls below 1e-19 (with y_t
 * and y_{t-1} observed), F, the gain and P freeze; a missing y thaws them.
 * T is applied as a sparse matrix (its rows hold at most k + 2 entries), so
 * one step costs O(nnz(T) m), not O(m^3). */
#include "timeseries/arima_internal.h"

#include <math.h>
#include <string.h>

struct sh_arima_filter {
    const char *who;
    sheaf_arima_spec spec;
    sh_arima_dims dims;
    sh_arima_data data;
    /* The steady-state test: statsmodels' (absolute, only without
     * regressors) or the smooth one (relative, see sh_arima_filter_smooth). */
    bool steady, smooth;
    /* T in compressed rows: entries row_start[i] .. row_start[i+1]-1; the
     * first pe entries of the ARMA block's first column are phi (slots
     * phi_slot[0..pe)), refreshed per evaluation. */
    size_t *row_start, *col, *phi_slot;
    double *val;
    size_t *z_idx; /* positions of Z's ones */
    size_t nz;
    double *R; /* m */
    /* per-evaluation scratch */
    double *phi, *theta, *a, *P, *Pn, *W, *PZ, *PZc, *Pc, *mu;
    double *acov, *psi, *gsys, *cy, *ce, *gy, *he, *work;
    long double *a_ld, *P_ld, *Pn_ld, *W_ld, *PZ_ld; /* the diffuse phase */
};

void sh_arima_filter_free(sh_arima_filter *f)
{
    if (!f) return;
    double *bufs[] = {f->val,  f->R,  f->phi, f->theta, f->a,  f->P,    f->Pn,
                      f->W,    f->PZ, f->PZc, f->Pc,    f->mu, f->acov, f->psi,
                      f->gsys, f->cy, f->ce,  f->gy,    f->he, f->work};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        sh_free(bufs[i]);
    sh_free(f->row_start);
    sh_free(f->col);
    sh_free(f->phi_slot);
    sh_free(f->z_idx);
    long double *lds[] = {f->a_ld, f->P_ld, f->Pn_ld, f->W_ld, f->PZ_ld};
    for (size_t i = 0; i < sizeof lds / sizeof lds[0]; i++)
        sh_free(lds[i]);
    sh_free(f);
}

/* Appends entry (i, j, v) to the row being built. */
static void put(sh_arima_filter *f, size_t *nnz, size_t j, double v)
{
    f->col[*nnz] = j;
    f->val[*nnz] = v;
    (*nnz)++;
}

/* Builds T's sparsity pattern (the phi values are filled per evaluation). */
static void build_transition(sh_arima_filter *f)
{
    const sh_arima_dims *d = &f->dims;
    size_t dd = f->spec.d, D = f->spec.D, s = f->spec.s, kd = d->kd, nnz = 0;
    for (size_t i = 0; i < d->m; i++) {
        f->row_start[i] = nnz;
        if (i < dd) {
            for (size_t j = i; j < dd; j++)
                put(f, &nnz, j, 1.0);
            for (size_t b = 0; b < D; b++)
                put(f, &nnz, dd + b * s + s - 1, 1.0);
            put(f, &nnz, kd, 1.0);
        } else if (i < kd) {
            size_t b = (i - dd) / s, r = (i - dd) % s;
            if (r > 0) {
                put(f, &nnz, i - 1, 1.0);
                continue;
            }
            for (size_t b2 = b; b2 < D; b2++)
                put(f, &nnz, dd + b2 * s + s - 1, 1.0);
            put(f, &nnz, kd, 1.0);
        } else {
            size_t a = i - kd;
            if (a < d->pe) {
                f->phi_slot[a] = nnz;
                put(f, &nnz, kd, 0.0);
            }
            if (a + 1 < d->k) put(f, &nnz, i + 1, 1.0);
        }
    }
    f->row_start[d->m] = nnz;
    f->nz = 0;
    for (size_t i = 0; i < dd; i++)
        f->z_idx[f->nz++] = i;
    for (size_t b = 0; b < D; b++)
        f->z_idx[f->nz++] = dd + b * s + s - 1;
    f->z_idx[f->nz++] = kd;
}

sheaf_status sh_arima_filter_create(const char *who, const sheaf_arima_spec *spec,
                                    const sh_arima_dims *dims, const sh_arima_data *data,
                                    sh_arima_filter **out)
{
    *out = NULL;
    sh_arima_filter *f = sh_calloc(1, sizeof *f);
    if (!f) return sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for the Kalman filter", who);
    f->who = who;
    f->spec = *spec;
    f->dims = *dims;
    f->data = *data;
    f->steady = dims->kreg == 0;
    size_t m = dims->m, k = dims->k, n = data->n;
    /* nonzeros: difference rows hold at most d + D + 1, seasonal rows D + 1,
     * ARMA rows 2 */
    size_t max_nnz = dims->kd * (spec->d + spec->D + 1) + 2 * k + 1;
    f->row_start = sh_malloc_array(m + 1, sizeof(size_t));
    f->col = sh_malloc_array(max_nnz, sizeof(size_t));
    f->phi_slot = sh_malloc_array(dims->pe + 1, sizeof(size_t));
    f->z_idx = sh_malloc_array(spec->d + spec->D + 1, sizeof(size_t));
    f->val = sh_malloc_array(max_nnz, sizeof(double));
    f->R = sh_calloc(m, sizeof(double));
    f->phi = sh_malloc_array(dims->pe + 1, sizeof(double));
    f->theta = sh_malloc_array(dims->qe + 1, sizeof(double));
    f->a = sh_malloc_array(m, sizeof(double));
    f->P = sh_malloc_array(m * m, sizeof(double));
    f->Pn = sh_malloc_array(m * m, sizeof(double));
    f->W = sh_malloc_array(m * m, sizeof(double));
    f->PZ = sh_malloc_array(m, sizeof(double));
    f->PZc = sh_malloc_array(m, sizeof(double));
    f->Pc = sh_malloc_array(m * m, sizeof(double));
    f->mu = sh_calloc(n + 1, sizeof(double));
    size_t na = k + dims->pe + dims->qe + 2;
    f->acov = sh_malloc_array(na, sizeof(double));
    f->psi = sh_malloc_array(na, sizeof(double));
    f->gsys = sh_malloc_array(SH_ARIMA_ACOV_WORK(dims->pe), sizeof(double));
    f->cy = sh_malloc_array(k * (k + 1), sizeof(double));
    f->ce = sh_malloc_array(k * (k + 1), sizeof(double));
    f->gy = sh_malloc_array(k * (k + 1), sizeof(double));
    f->he = sh_malloc_array(k * (k + 1), sizeof(double));
    f->work = sh_malloc_array((dims->pe + 1) * (dims->pe + 1) + 1, sizeof(double));
    f->a_ld = sh_malloc_array(m, sizeof(long double));
    f->P_ld = sh_malloc_array(m * m, sizeof(long double));
    f->Pn_ld = sh_malloc_array(m * m, sizeof(long double));
    f->W_ld = sh_malloc_array(m * m, sizeof(long double));
    f->PZ_ld = sh_malloc_array(m, sizeof(long double));
    if (!f->row_start || !f->col || !f->phi_slot || !f->z_idx || !f->val || !f->R || !f->phi ||
        !f->theta || !f->a || !f->P || !f->Pn || !f->W || !f->PZ || !f->PZc || !f->Pc || !f->mu ||
        !f->acov || !f->psi || !f->gsys || !f->cy || !f->ce || !f->gy || !f->he || !f->work ||
        !f->a_ld || !f->P_ld || !f->Pn_ld || !f->W_ld || !f->PZ_ld) {
        sh_arima_filter_free(f);
        return sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for the Kalman filter (%zu states)", who, m);
    }
    build_transition(f);
    *out = f;
    return SHEAF_OK;
}

/* The stationary covariance of the ARMA block into P's lower-right k x k
 * block (row stride m), from the representation in the opening comment. */
static bool stationary_cov(sh_arima_filter *f, double sigma2)
{
    size_t k = f->dims.k, pe = f->dims.pe, qe = f->dims.qe, kd = f->dims.kd, m = f->dims.m;
    size_t L = k + 1; /* lags 0..k */
    if (!sh_arima_arma_acov(f->phi, pe, f->theta, qe, sigma2, L, f->psi, f->acov, f->gsys))
        return false;
    const double *g = f->acov, *psi = f->psi;
    double *cy = f->cy, *ce = f->ce, *gy = f->gy, *he = f->he;
    /* coefficients of state i on y_{t-l} and eta_{t-l} */
    memset(cy, 0, k * L * sizeof(double));
    memset(ce, 0, k * L * sizeof(double));
    cy[0] = 1.0;
    for (size_t i = 1; i < k; i++) {
        for (size_t l = 1; i + l <= pe && l <= k - i; l++)
            cy[i * L + l] = f->phi[i + l - 1];
        for (size_t l = 0; l < k - i && i + l <= qe; l++)
            ce[i * L + l] = f->theta[i + l - 1];
    }
    /* gy[j][a] = cov(y_{t-a}, alpha_j), he[j][a] = cov(eta_{t-a}, alpha_j) */
    for (size_t j = 0; j < k; j++)
        for (size_t a = 0; a < L; a++) {
            double vy = 0.0, ve = sigma2 * ce[j * L + a];
            for (size_t b = 0; b < L; b++) {
                vy += cy[j * L + b] * g[a > b ? a - b : b - a];
                if (b >= a) vy += ce[j * L + b] * sigma2 * psi[b - a];
                if (a >= b) ve += cy[j * L + b] * sigma2 * psi[a - b];
            }
            gy[j * L + a] = vy;
            he[j * L + a] = ve;
        }
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j <= i; j++) {
            double v = 0.0;
            for (size_t a = 0; a < L; a++)
                v += cy[i * L + a] * gy[j * L + a] + ce[i * L + a] * he[j * L + a];
            f->P[(kd + i) * m + kd + j] = v;
            f->P[(kd + j) * m + kd + i] = v;
        }
    return true;
}

#define REAL double
#define OPS(name) name##_d
#include "timeseries/arima_kalman_ops.h"
#undef REAL
#undef OPS
#define REAL long double
#define OPS(name) name##_ld
#include "timeseries/arima_kalman_ops.h"
#undef REAL
#undef OPS

void sh_arima_filter_smooth(sh_arima_filter *f, bool smooth)
{
    f->smooth = smooth;
    f->steady = smooth || f->dims.kreg == 0;
}

double sh_arima_filter_zdot(const sh_arima_filter *f, const double *a) { return zdot_d(f, a); }

double sh_arima_filter_zpz(const sh_arima_filter *f, const double *P)
{
    size_t m = f->dims.m;
    double v = 0.0;
    for (size_t i = 0; i < f->nz; i++)
        for (size_t j = 0; j < f->nz; j++)
            v += P[f->z_idx[i] * m + f->z_idx[j]];
    return v;
}

void sh_arima_filter_load(sh_arima_filter *f, const double *params)
{
    sh_arima_expand(&f->spec, &f->dims, params, f->phi, f->theta);
    for (size_t i = 0; i < f->dims.pe; i++)
        f->val[f->phi_slot[i]] = f->phi[i];
    size_t kd = f->dims.kd;
    memset(f->R, 0, f->dims.m * sizeof(double));
    f->R[kd] = 1.0;
    for (size_t j = 0; j < f->dims.qe; j++)
        f->R[kd + 1 + j] = f->theta[j];
}

void sh_arima_filter_predict(const sh_arima_filter *f, const double *params, double *a, double *P,
                             double *scratch)
{
    apply_t_d(f, a, scratch);
    predict_cov_d(f, P, scratch + f->dims.m, scratch + f->dims.m + f->dims.m * f->dims.m,
                  params[f->dims.o_sigma2]);
    memcpy(P, scratch + f->dims.m, f->dims.m * f->dims.m * sizeof(double));
}

/* The first time from which the filter runs in double: once as many values
 * have been observed as there are diffuse states, their 1e6 variances have
 * been resolved (0 when there are none). */
static size_t diffuse_end(const sh_arima_filter *f)
{
    size_t diffuse = f->spec.enforce_stationarity ? f->dims.kd : f->dims.m, seen = 0, t = 0;
    if (diffuse == 0) return 0;
    while (t < f->data.n && seen < diffuse)
        seen += !isnan(f->data.y[t++]);
    return t;
}

/* One time step's measurement part shared by both phases: writes the
 * outputs and adds the log-likelihood term. */
static void record(const sh_arima_filter *f, sh_arima_filter_out *out, size_t t, double pred,
                   double v, double F, double logF, double *llf)
{
    if (out->pred) out->pred[t] = pred;
    if (out->v) out->v[t] = v;
    if (out->F) out->F[t] = F;
    if (t >= f->dims.burn && !isnan(v)) *llf -= 0.5 * (log(2.0 * M_PI) + logF + v * v / F);
}

static sheaf_status degenerate(const sh_arima_filter *f, double F, size_t t)
{
    return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                   "%s: forecast variance F=%g at t=%zu (the model is degenerate)", f->who, F, t);
}

/* Loads params and sets the start: a = 0, P = the diffuse and stationary
 * blocks, mu_t = x_t'beta for t < until. */
static sheaf_status start(sh_arima_filter *f, const double *params, size_t until)
{
    const sh_arima_dims *d = &f->dims;
    size_t m = d->m, kd = d->kd;
    double sigma2 = params[d->o_sigma2];
    if (!(sigma2 > 0.0) || !isfinite(sigma2))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: sigma2=%g (needs > 0)", f->who, sigma2);
    sh_arima_filter_load(f, params);
    memset(f->P, 0, m * m * sizeof(double));
    if (f->spec.enforce_stationarity) {
        if (!sh_arima_is_stationary(f->phi, d->pe, f->work) || !stationary_cov(f, sigma2))
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: the AR polynomial is not stationary (enforce_stationarity is on)",
                           f->who);
        for (size_t i = 0; i < kd; i++)
            f->P[i * m + i] = SH_ARIMA_DIFFUSE_VAR;
    } else {
        for (size_t i = 0; i < m; i++)
            f->P[i * m + i] = SH_ARIMA_DIFFUSE_VAR;
    }
    for (size_t t = 0; t < until; t++) {
        double v = 0.0;
        for (size_t j = 0; j < d->kreg; j++)
            v += sh_arima_regressor(&f->spec, d, f->data.exog, f->data.ldx, t, j) * params[j];
        f->mu[t] = v;
    }
    memset(f->a, 0, m * sizeof(double));
    return SHEAF_OK;
}

/* Phase 1, in long double, for t < t1 (while diffuse variances are in the
 * state): from and back to f->a and f->P. */
static sheaf_status diffuse_phase(sh_arima_filter *f, double sigma2, size_t t1,
                                  sh_arima_filter_out *out, double *llf)
{
    size_t m = f->dims.m;
    const double *y = f->data.y;
    long double *a = f->a_ld, *P = f->P_ld;
    for (size_t i = 0; i < m; i++)
        a[i] = f->a[i];
    for (size_t i = 0; i < m * m; i++)
        P[i] = f->P[i];
    for (size_t t = 0; t < t1; t++) {
        long double pred = f->mu[t] + zdot_ld(f, a), v = NAN, F = NAN;
        if (!isnan(y[t])) {
            F = gain_ld(f, P, f->PZ_ld);
            if (!(F > 0) || !isfinite((double)F)) return degenerate(f, (double)F, t);
            v = y[t] - pred;
            update_ld(f, a, P, f->PZ_ld, v, F, false);
        }
        record(f, out, t, (double)pred, (double)v, (double)F, log((double)F), llf);
        apply_t_ld(f, a, f->W_ld);
        predict_cov_ld(f, P, f->Pn_ld, f->W_ld, sigma2);
        memcpy(P, f->Pn_ld, m * m * sizeof(long double));
    }
    for (size_t i = 0; i < m; i++)
        f->a[i] = (double)a[i];
    for (size_t i = 0; i < m * m; i++)
        f->P[i] = (double)P[i];
    return SHEAF_OK;
}

sheaf_status sh_arima_filter_diffuse_start(sh_arima_filter *f, const double *params, double *a_arma,
                                           double *P_arma)
{
    const sh_arima_dims *d = &f->dims;
    size_t m = d->m, kd = d->kd, k = d->k;
    sh_arima_filter_out none = {0};
    double llf = 0.0;
    sheaf_status st = start(f, params, kd);
    if (st == SHEAF_OK) st = diffuse_phase(f, params[d->o_sigma2], kd, &none, &llf);
    if (st != SHEAF_OK) return st;
    for (size_t i = 0; i < k; i++) {
        a_arma[i] = f->a[kd + i];
        memcpy(P_arma + i * k, f->P + (kd + i) * m + kd, k * sizeof(double));
    }
    return SHEAF_OK;
}

sheaf_status sh_arima_filter_run(sh_arima_filter *f, const double *params, sh_arima_filter_out *out)
{
    const sh_arima_dims *d = &f->dims;
    size_t m = d->m, n = f->data.n;
    double sigma2 = params[d->o_sigma2], llf = 0.0;
    const double *y = f->data.y;
    size_t t1 = diffuse_end(f), t = t1;
    sheaf_status st = start(f, params, n);
    if (st == SHEAF_OK && t1 > 0) st = diffuse_phase(f, sigma2, t1, out, &llf);
    if (st != SHEAF_OK) return st;

    /* phase 2, double, with statsmodels' steady-state shortcut */
    double *a = f->a, *P = f->P, *Pn = f->Pn, *PZ = f->PZ, F = 0.0, Fc = 0.0, logFc = 0.0;
    bool conv = false;
    memcpy(f->Pc, P, m * m * sizeof(double));
    for (; t < n; t++) {
        bool miss = isnan(y[t]);
        double pred = f->mu[t] + zdot_d(f, a), v = NAN, Ft = NAN, logF = NAN;
        if (miss)
            conv = false;
        else {
            if (conv) {
                memcpy(PZ, f->PZc, m * sizeof(double));
                F = Fc;
                logF = logFc;
            } else {
                F = gain_d(f, P, PZ);
                if (!(F > 0.0) || !isfinite(F)) return degenerate(f, F, t);
                logF = log(F);
            }
            v = y[t] - pred;
            Ft = F;
            update_d(f, a, P, PZ, v, F, conv);
        }
        record(f, out, t, pred, v, Ft, logF, &llf);
        apply_t_d(f, a, f->W);
        if (conv) continue; /* P stays the frozen prediction */
        predict_cov_d(f, P, Pn, f->W, sigma2);
        if (f->steady && !miss && t >= 1 && !isnan(y[t - 1])) {
            /* statsmodels compares the predicted covariances of t (kept in
             * Pc, as P was updated in place) and t + 1 */
            double ss = 0.0;
            for (size_t i = 0; i < m * m; i++) {
                double dv = f->Pc[i] - Pn[i];
                ss += dv * dv;
            }
            double tol = SH_ARIMA_STEADY_TOL;
            if (f->smooth) {
                tol = 0.0;
                for (size_t i = 0; i < m * m; i++)
                    tol += Pn[i] * Pn[i];
                tol *= SH_ARIMA_SMOOTH_TOL * SH_ARIMA_SMOOTH_TOL;
            }
            if (ss < tol) {
                conv = true;
                memcpy(f->PZc, PZ, m * sizeof(double));
                Fc = F;
                logFc = logF;
            }
        }
        memcpy(P, Pn, m * m * sizeof(double));
        memcpy(f->Pc, Pn, m * m * sizeof(double));
    }
    out->llf = llf;
    if (out->a_end) memcpy(out->a_end, a, m * sizeof(double));
    if (out->P_end) memcpy(out->P_end, P, m * m * sizeof(double));
    return SHEAF_OK;
}
