/* var_irf.c - impulse responses, their asymptotic standard errors and the
 * forecast-error variance decomposition of a fitted VAR, as statsmodels'
 * IRAnalysis (irf.py) and FEVD (0.13).
 *
 * Standard errors follow Lutkepohl (2005) 3.7.5 and 3.7.8 as statsmodels
 * writes them, but never form the k^2 x k^2 p Jacobians: with
 * G_h = sum_{m<h} X_m (x) Phi_m (X_m the first k rows of (A')^{h-1-m}, A the
 * companion matrix) and cov(alpha) = W (x) S (W the lag block of (Z'Z)^-1,
 * S = sigma_u), the covariance of vec Phi_h is
 *   sum_{m,n} (X_m W X_n') (x) (Phi_m S Phi_n'),
 * whose diagonal entry for response b, impulse a is
 *   sum_{m,n} (X_m W X_n')[a][a] (Phi_m S Phi_n')[b][b].
 * The orthogonalised responses Phi_h P (P = chol S) replace X_m by P' X_m and
 * add the term of the estimated S, (I (x) Phi_h) H cov(vech S) H'
 * (I (x) Phi_h)' / nobs, with H = L'(L (I (x) P) K + L (P (x) I) L')^-1 and
 * cov(vech S) = 2 D+ (S (x) S) D+' - small k(k+1)/2 matrices built from
 * index rules. */
#include "sheaf_linalg.h"
#include "timeseries/var_internal.h"

#include <math.h>
#include <string.h>

sheaf_status sh_var_sigma_chol(const sheaf_var *v, double *chol, const char *caller)
{
    size_t k = v->k;
    memcpy(chol, v->sigma_u, k * k * sizeof *chol);
    if (sheaf_linalg_cholesky(sheaf_matrix_view(chol, k, k)) != SHEAF_OK)
        return sh_fail(SHEAF_ERR_SINGULAR, "%s: sigma_u is not positive definite (%s)", caller,
                       sheaf_last_error());
    return SHEAF_OK;
}

/* out = a b (n x n row-major, all distinct). */
static void square_product(const double *a, const double *b, size_t n, double *out)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double s = 0.0;
            for (size_t q = 0; q < n; q++)
                s += a[i * n + q] * b[q * n + j];
            out[i * n + j] = s;
        }
}

/* Scratch of the standard errors: everything sized by k, p and periods. */
typedef struct irf_work {
    size_t k, kp, periods;
    double *x;   /* periods x k x kp: X_idx = first k rows of (A')^idx, idx < periods */
    double *xw;  /* periods x k x kp: X_idx W */
    double *phs; /* (periods + 1) x k x k: Phi_m S */
    double *pow, *tmp, *comp; /* kp x kp each */
} irf_work;

/* X_idx[a][c] = (A^idx)[c][a] for a < k; then X_idx W (or, orth, the same
 * with P' X_idx). */
static void lag_blocks(const sheaf_var *v, irf_work *w, const double *chol)
{
    size_t k = v->k, kp = w->kp, m = sh_var_width(v);
    memset(w->comp, 0, kp * kp * sizeof *w->comp);
    for (size_t i = 0; i < k; i++)
        for (size_t c = 0; c < kp; c++)
            w->comp[i * kp + c] = v->params[(sh_var_ndet(v) + c) * k + i];
    for (size_t i = k; i < kp; i++)
        w->comp[i * kp + i - k] = 1.0;
    memset(w->pow, 0, kp * kp * sizeof *w->pow);
    for (size_t i = 0; i < kp; i++)
        w->pow[i * kp + i] = 1.0;
    for (size_t idx = 0; idx < w->periods; idx++) {
        double *x = w->x + idx * k * kp, *xw = w->xw + idx * k * kp;
        for (size_t a = 0; a < k; a++)
            for (size_t c = 0; c < kp; c++)
                x[a * kp + c] = w->pow[c * kp + a];
        if (chol) { /* P' X: row a = sum_b P[b][a] X[b] */
            for (size_t a = 0; a < k; a++)
                for (size_t c = 0; c < kp; c++) {
                    double s = 0.0;
                    for (size_t b = a; b < k; b++)
                        s += chol[b * k + a] * w->pow[c * kp + b];
                    x[a * kp + c] = s;
                }
        }
        for (size_t a = 0; a < k; a++)
            for (size_t c = 0; c < kp; c++) {
                double s = 0.0;
                for (size_t q = 0; q < kp; q++)
                    s += x[a * kp + q] * v->zzinv[(sh_var_ndet(v) + q) * m + sh_var_ndet(v) + c];
                xw[a * kp + c] = s;
            }
        square_product(w->pow, w->comp, kp, w->tmp);
        memcpy(w->pow, w->tmp, kp * kp * sizeof *w->pow);
    }
}

/* var[h][b][a] = the coefficient part of the variance of response b to
 * impulse a at horizon h (0 at h = 0). */
static void coefficient_variance(const sheaf_var *v, const irf_work *w, const double *phi,
                                 double *var)
{
    size_t k = v->k, kk = k * k, kp = w->kp;
    for (size_t q = 0; q <= w->periods; q++) {
        const double *f = phi + q * kk;
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++) {
                double s = 0.0;
                for (size_t c = 0; c < k; c++)
                    s += f[i * k + c] * v->sigma_u[c * k + j];
                w->phs[q * kk + i * k + j] = s;
            }
    }
    memset(var, 0, kk * sizeof *var);
    for (size_t h = 1; h <= w->periods; h++) {
        double *out = var + h * kk;
        memset(out, 0, kk * sizeof *out);
        for (size_t m = 0; m < h; m++)
            for (size_t n = 0; n < h; n++) {
                const double *xw = w->xw + (h - 1 - m) * k * kp, *xn = w->x + (h - 1 - n) * k * kp;
                const double *ps = w->phs + m * kk, *fn = phi + n * kk;
                for (size_t a = 0; a < k; a++) {
                    double left = 0.0; /* (X_m W X_n')[a][a] */
                    for (size_t c = 0; c < kp; c++)
                        left += xw[a * kp + c] * xn[a * kp + c];
                    for (size_t b = 0; b < k; b++) {
                        double right = 0.0; /* (Phi_m S Phi_n')[b][b] */
                        for (size_t c = 0; c < k; c++)
                            right += ps[b * k + c] * fn[b * k + c];
                        out[b * k + a] += left * right;
                    }
                }
            }
    }
}

/* vech index r <-> (row i, column j), i >= j, column by column. */
static void vech_pairs(size_t k, size_t *row, size_t *col)
{
    size_t r = 0;
    for (size_t j = 0; j < k; j++)
        for (size_t i = j; i < k; i++) {
            row[r] = i;
            col[r] = j;
            r++;
        }
}

/* Adds to var[h][b][a] the part of the estimated sigma_u in the
 * orthogonalised responses: diag((I (x) Phi_h) H cov(vech S) H' (I (x) Phi_h)') / nobs. */
static sheaf_status sigma_variance(const sheaf_var *v, const double *chol, const double *phi,
                                   size_t periods, double *var)
{
    const char *fn = "sheaf_var_irf";
    size_t k = v->k, kk = k * k, nh = k * (k + 1) / 2;
    size_t *ri = sh_malloc_array(2 * nh, sizeof(size_t));
    double *b = sh_malloc_array(4 * nh * nh + 3 * kk * nh, sizeof(double));
    sheaf_status st = SHEAF_OK;
    if (!ri || !b) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu series", fn, k);
        goto done;
    }
    size_t *ci = ri + nh;
    double *eye = b + nh * nh, *binv = eye + nh * nh, *sig = binv + nh * nh;
    double *h = sig + nh * nh /* kk x nh */, *cbar = h + kk * nh, *cs = cbar + kk * nh;
    vech_pairs(k, ri, ci);
    /* B[r][s] = X[q(r)][q(s)], X[(a k + b)][(c k + d)] = [a = d] P[b][c] + P[a][c] [b = d],
     * with vec index q = column k + row, so a = column, b = row. */
    for (size_t r = 0; r < nh; r++)
        for (size_t s = 0; s < nh; s++) {
            size_t a = ci[r], bb = ri[r], c = ci[s], d = ri[s];
            b[r * nh + s] = (a == d ? chol[bb * k + c] : 0.0) + (bb == d ? chol[a * k + c] : 0.0);
            eye[r * nh + s] = r == s ? 1.0 : 0.0;
        }
    st = sheaf_linalg_lstsq(sheaf_matrix_view(b, nh, nh), sheaf_matrix_view(eye, nh, nh), -1.0,
                            sheaf_matrix_view(binv, nh, nh), NULL);
    if (st != SHEAF_OK) goto done;
    /* H = L' B^-1: row q(r) of H is row r of B^-1, other rows zero */
    memset(h, 0, kk * nh * sizeof *h);
    for (size_t r = 0; r < nh; r++)
        memcpy(h + (ci[r] * k + ri[r]) * nh, binv + r * nh, nh * sizeof *h);
    /* cov(vech S) = 2 D+ (S (x) S) D+': D+ row r weighs vec entries (i, j) and
     * (j, i) by 1/2 each off the diagonal, (i, i) by 1 on it */
    const double *S = v->sigma_u;
    for (size_t r = 0; r < nh; r++)
        for (size_t s = 0; s < nh; s++) {
            size_t i1 = ri[r], j1 = ci[r], i2 = ri[s], j2 = ci[s];
            double sum = 0.0;
            for (int f1 = 0; f1 < (i1 == j1 ? 1 : 2); f1++)
                for (int f2 = 0; f2 < (i2 == j2 ? 1 : 2); f2++) {
                    size_t a1 = f1 ? i1 : j1, b1 = f1 ? j1 : i1; /* vec entry (row b1, col a1) */
                    size_t a2 = f2 ? i2 : j2, b2 = f2 ? j2 : i2;
                    double w = (i1 == j1 ? 1.0 : 0.5) * (i2 == j2 ? 1.0 : 0.5);
                    sum += w * S[a1 * k + a2] * S[b1 * k + b2];
                }
            sig[r * nh + s] = 2.0 * sum;
        }
    double nobs = (double)v->nobs;
    for (size_t t = 0; t <= periods; t++) {
        const double *f = phi + t * kk;
        /* Cbar[(a k + b)][s] = sum_d Phi[b][d] H[(a k + d)][s] */
        for (size_t a = 0; a < k; a++)
            for (size_t bb = 0; bb < k; bb++)
                for (size_t s = 0; s < nh; s++) {
                    double sum = 0.0;
                    for (size_t d = 0; d < k; d++)
                        sum += f[bb * k + d] * h[(a * k + d) * nh + s];
                    cbar[(a * k + bb) * nh + s] = sum;
                }
        for (size_t q = 0; q < kk; q++)
            for (size_t s = 0; s < nh; s++) {
                double sum = 0.0;
                for (size_t u = 0; u < nh; u++)
                    sum += cbar[q * nh + u] * sig[u * nh + s];
                cs[q * nh + s] = sum;
            }
        for (size_t a = 0; a < k; a++)
            for (size_t bb = 0; bb < k; bb++) {
                size_t q = a * k + bb;
                double sum = 0.0;
                for (size_t s = 0; s < nh; s++)
                    sum += cs[q * nh + s] * cbar[q * nh + s];
                var[t * kk + bb * k + a] += sum / nobs;
            }
    }
done:
    sh_free(ri);
    sh_free(b);
    return st;
}

/* stderr (plain or orth) into out, (periods + 1) x k x k. */
static sheaf_status irf_stderr(const sheaf_var *v, size_t periods, const double *phi,
                               const double *chol, double *out)
{
    size_t k = v->k, kp = k * v->p, kk = k * k;
    irf_work w = {k, kp, periods, NULL, NULL, NULL, NULL, NULL, NULL};
    size_t len = 2 * periods * k * kp + (periods + 1) * kk + 3 * kp * kp;
    w.x = sh_malloc_array(len ? len : 1, sizeof(double));
    if (!w.x)
        return sh_fail(SHEAF_ERR_NOMEM, "sheaf_var_irf: out of memory for %zu periods", periods);
    w.xw = w.x + periods * k * kp;
    w.phs = w.xw + periods * k * kp;
    w.pow = w.phs + (periods + 1) * kk;
    w.tmp = w.pow + kp * kp;
    w.comp = w.tmp + kp * kp;
    lag_blocks(v, &w, chol);
    coefficient_variance(v, &w, phi, out);
    sheaf_status st = chol ? sigma_variance(v, chol, phi, periods, out) : SHEAF_OK;
    for (size_t i = 0; st == SHEAF_OK && i < (periods + 1) * kk; i++)
        out[i] = sqrt(out[i]);
    sh_free(w.x);
    return st;
}

sheaf_status sheaf_var_irf(const sheaf_var *v, size_t periods, double *irfs, double *orth_irfs,
                           double *stderr, double *orth_stderr)
{
    const char *fn = "sheaf_var_irf";
    if (!v) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: var is NULL", fn);
    size_t k = v->k, kk = k * k, n = (periods + 1) * kk;
    if ((stderr || orth_stderr) && v->p == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: a VAR(0) has no lag coefficients to take standard errors of", fn);
    double *phi = sh_malloc_array(n + kk, sizeof(double));
    if (!phi) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu periods", fn, periods);
    double *chol = phi + n;
    sheaf_status st = SHEAF_OK;
    sh_var_ma_rep(v, periods, phi);
    if (irfs) memcpy(irfs, phi, n * sizeof *irfs);
    if (orth_irfs || orth_stderr) st = sh_var_sigma_chol(v, chol, fn);
    if (st == SHEAF_OK && orth_irfs)
        for (size_t h = 0; h <= periods; h++)
            for (size_t i = 0; i < k; i++)
                for (size_t j = 0; j < k; j++) {
                    double s = 0.0;
                    for (size_t q = j; q < k; q++)
                        s += phi[h * kk + i * k + q] * chol[q * k + j];
                    orth_irfs[h * kk + i * k + j] = s;
                }
    if (st == SHEAF_OK && stderr) st = irf_stderr(v, periods, phi, NULL, stderr);
    if (st == SHEAF_OK && orth_stderr) st = irf_stderr(v, periods, phi, chol, orth_stderr);
    sh_free(phi);
    return st;
}

sheaf_status sheaf_var_fevd(const sheaf_var *v, size_t periods, double *decomp)
{
    const char *fn = "sheaf_var_fevd";
    if (!v || !decomp)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s is NULL", fn, !v ? "var" : "decomp");
    if (periods == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: periods = 0", fn);
    size_t k = v->k, kk = k * k;
    double *theta = sh_malloc_array((periods + 1) * kk + 2 * kk, sizeof(double));
    if (!theta) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu periods", fn, periods);
    double *cum = theta + (periods + 1) * kk, *total = cum + kk;
    sheaf_status st = sheaf_var_irf(v, periods - 1, NULL, theta, NULL, NULL);
    if (st != SHEAF_OK) {
        sh_fail(st, "%s: %s", fn, sheaf_last_error());
        goto done;
    }
    memset(cum, 0, kk * sizeof *cum);
    for (size_t h = 0; h < periods; h++) {
        for (size_t i = 0; i < k; i++) {
            total[i] = 0.0;
            for (size_t j = 0; j < k; j++) {
                double t = theta[h * kk + i * k + j];
                cum[i * k + j] += t * t;
                total[i] += cum[i * k + j];
            }
        }
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                decomp[(i * periods + h) * k + j] = cum[i * k + j] / total[i];
    }
done:
    sh_free(theta);
    return st;
}
