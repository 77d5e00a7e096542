/* qr.c - merging QR factors and regressions on column subsets (qr.h).
 * Method: LAPACK dtpqrt (the QR of a triangle stacked on a pentagon: Elmroth
 * & Gustavson's blocked Householder update) for [R; B]; dgeqrf on the
 * selected columns of R for a subset regression, then back substitution -
 * the tall-skinny QR (TSQR) reduction of Demmel, Grigori, Hoemmen and
 * Langou, "Communication-optimal parallel and sequential QR and LU
 * factorizations" (SIAM J. Sci. Comput. 34, 2012). Many regressions
 * sharing base columns factor the base once (dgeqrf, dlarft), rotate the
 * other columns by its Q' (dlarfb: Schreiber & Van Loan's compact WY form)
 * and finish each regression with a small Householder QR of rotated columns
 * in level-1 BLAS (sh_qr_residuals): LAPACK's per-call overhead, and the
 * scaled dnrm2, outweigh such tiny QRs. */
#include "linalg/linalg_internal.h"
#include "linalg/qr.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <string.h>

#define QR_BLOCK 32

static void flip_negative_rows(double *r, size_t n, size_t ldr)
{
    for (size_t i = 0; i < n; i++)
        if (r[i * ldr + i] < 0.0)
            for (size_t j = i; j < n; j++)
                r[j * ldr + i] = -r[j * ldr + i];
}

sheaf_status sh_qr_append(double *r, size_t n, size_t ldr, double *b, size_t m, size_t ldb,
                          int b_upper, double *work)
{
    static const char fn[] = "sh_qr_append";
    if (n == 0 || m == 0) return SHEAF_OK;
    if (!sh_fits_blas_int(n) || !sh_fits_blas_int(m) || !sh_fits_blas_int(ldb) ||
        !sh_fits_blas_int(ldr))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %zu x %zu exceeds the LAPACK integer", fn,
                       m, n);
    size_t nb = n < QR_BLOCK ? n : QR_BLOCK;
    lapack_int info;
    SH_BLAS_SERIAL(info = LAPACKE_dtpqrt_work(
                       LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n,
                       (lapack_int)(b_upper ? (m < n ? m : n) : 0), (lapack_int)nb, r,
                       (lapack_int)ldr, b, (lapack_int)ldb, work, (lapack_int)nb, work + nb * n));
    if (info != 0)
        return sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dtpqrt failed (info %d) on %zu x %zu", fn,
                       (int)info, m, n);
    flip_negative_rows(r, n, ldr);
    return SHEAF_OK;
}

size_t sh_qr_subset_work(size_t n, size_t nc) { return sh_qr_multi_work(n, nc, 1); }

size_t sh_qr_multi_work(size_t n, size_t nc, size_t nt)
{
    size_t w = nc + nt;
    return (n > w ? n : w) * w + w + 64 * w;
}

/* The regression of targets (column indices of the upper-triangular m,
 * ldm; NULL: columns nc .. nc + nt - 1) on m's first nc columns: a rank check
 * (SINGULAR naming the regressor, and its design column cols[c] when cols
 * is given, whose diagonal is at most 1e-12 times the largest), beta (nc x
 * nt, may be NULL) from R11 beta = R12 and rss = R22' R22. */
static sheaf_status solve_prefix(const double *m, size_t ldm, size_t nc, const size_t *targets,
                                 size_t nt, const size_t *cols, double *beta, double *rss,
                                 const char *fn)
{
    double dmax = 0.0;
    for (size_t c = 0; c < nc; c++)
        dmax = fmax(dmax, fabs(m[c * ldm + c]));
    for (size_t c = 0; c < nc; c++)
        if (!(fabs(m[c * ldm + c]) > 1e-12 * dmax))
            return cols ? sh_fail(SHEAF_ERR_SINGULAR,
                                  "%s: regressor %zu (design column %zu) is collinear with the "
                                  "others",
                                  fn, c, cols[c])
                        : sh_fail(SHEAF_ERR_SINGULAR,
                                  "%s: regressor %zu is collinear with the others", fn, c);
    for (size_t a = 0; a < nt; a++) {
        size_t ta = targets ? targets[a] : nc + a;
        const double *ca = m + ta * ldm;
        for (size_t b = 0; b <= a; b++) { /* rows nc.. of both columns; zero below a diagonal */
            size_t tb = targets ? targets[b] : nc + b, last = ta < tb ? ta : tb;
            const double *cb = m + tb * ldm;
            double sum = 0.0;
            for (size_t i = nc; i <= last; i++)
                sum += ca[i] * cb[i];
            rss[a * nt + b] = rss[b * nt + a] = sum;
        }
        if (!beta) continue;
        double *x = beta + a * nc; /* back substitution R11 x = R12[:, a] */
        for (size_t c = nc; c-- > 0;) {
            double sum = ca[c];
            for (size_t j = c + 1; j < nc; j++)
                sum -= m[j * ldm + c] * x[j];
            x[c] = sum / m[c * ldm + c];
        }
    }
    return SHEAF_OK;
}

sheaf_status sh_qr_prefix_fit(const double *r, size_t ldr, size_t nc, const size_t *targets,
                              size_t nt, double *beta, double *rss, const char *caller)
{
    return solve_prefix(r, ldr, nc, targets, nt, NULL, beta, rss, caller);
}

sheaf_status sh_qr_multi_fit(const double *r, size_t n, size_t ldr, const size_t *cols, size_t nc,
                             const size_t *targets, size_t nt, double *beta, double *rss,
                             double *rs, double *work)
{
    static const char fn[] = "sh_qr_subset_fit";
    size_t w = nc + nt;
    if (w > n)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: %zu regressors and %zu targets from %zu "
                       "columns",
                       fn, nc, nt, n);
    size_t rows = 0;
    for (size_t c = 0; c < w; c++) {
        size_t col = c < nc ? cols[c] : targets[c - nc];
        if (col >= n)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: column %zu of a %zu-column factor", fn,
                           col, n);
        rows = col + 1 > rows ? col + 1 : rows;
    }
    size_t ldm = rows > w ? rows : w; /* fewer rows than columns: zero rows pad */
    double *m = work, *tau = m + ldm * w, *lw = tau + w;
    for (size_t c = 0; c < w; c++) { /* column col of R: rows 0..col, zeros below */
        size_t col = c < nc ? cols[c] : targets[c - nc];
        memcpy(m + c * ldm, r + col * ldr, (col + 1) * sizeof *m);
        memset(m + c * ldm + col + 1, 0, (ldm - col - 1) * sizeof *m);
    }
    lapack_int info;
    SH_BLAS_SERIAL(info = LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, (lapack_int)ldm, (lapack_int)w, m,
                                              (lapack_int)ldm, tau, lw, (lapack_int)(64 * w)));
    if (info != 0)
        return sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dgeqrf failed (info %d)", fn, (int)info);
    flip_negative_rows(m, w, ldm);
    sheaf_status st = solve_prefix(m, ldm, nc, NULL, nt, cols, beta, rss, fn);
    if (st != SHEAF_OK) return st;
    if (rs)
        for (size_t c = 0; c < w; c++)
            for (size_t i = 0; i < w; i++)
                rs[c * w + i] = i <= c ? m[c * ldm + i] : 0.0;
    return SHEAF_OK;
}

sheaf_status sh_qr_subset_fit(const double *r, size_t n, size_t ldr, const size_t *cols, size_t nc,
                              size_t y, double *beta, double *ssr, double *rs, double *work)
{
    return sh_qr_multi_fit(r, n, ldr, cols, nc, &y, 1, beta, ssr, rs, work);
}

size_t sh_qr_reflectors_work(size_t nb) { return nb + 64 * (nb ? nb : 1); }

sheaf_status sh_qr_reflectors(double *a, size_t m, size_t lda, size_t nb, double *t, double *diag,
                              double *work)
{
    static const char fn[] = "sh_qr_reflectors";
    if (nb == 0) return SHEAF_OK;
    if (m < nb || !sh_fits_blas_int(m) || !sh_fits_blas_int(lda) || !sh_fits_blas_int(nb))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %zu x %zu (need rows >= columns)", fn, m,
                       nb);
    double *tau = work, *lw = tau + nb;
    lapack_int info;
    SH_BLAS_SERIAL(info = LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)nb, a,
                                              (lapack_int)lda, tau, lw, (lapack_int)(64 * nb));
                   if (info == 0) info = LAPACKE_dlarft_work(
                       LAPACK_COL_MAJOR, 'F', 'C', (lapack_int)m, (lapack_int)nb, a,
                       (lapack_int)lda, tau, t, (lapack_int)nb));
    if (info != 0)
        return sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dgeqrf/dlarft failed (info %d)", fn,
                       (int)info);
    for (size_t q = 0; q < nb; q++)
        diag[q] = fabs(a[q * lda + q]);
    return SHEAF_OK;
}

sheaf_status sh_qr_apply_qt(const double *a, size_t m, size_t lda, size_t nb, const double *t,
                            double *c, size_t nc, size_t ldc, double *work)
{
    static const char fn[] = "sh_qr_apply_qt";
    if (nb == 0 || nc == 0) return SHEAF_OK;
    if (!sh_fits_blas_int(m) || !sh_fits_blas_int(nc) || !sh_fits_blas_int(ldc) ||
        !sh_fits_blas_int(lda))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %zu x %zu exceeds the LAPACK integer", fn,
                       m, nc);
    lapack_int info;
    SH_BLAS_SERIAL(info = LAPACKE_dlarfb_work(LAPACK_COL_MAJOR, 'L', 'T', 'F', 'C', (lapack_int)m,
                                              (lapack_int)nc, (lapack_int)nb, a, (lapack_int)lda, t,
                                              (lapack_int)nb, c, (lapack_int)ldc, work,
                                              (lapack_int)nc));
    if (info != 0)
        return sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dlarfb failed (info %d)", fn, (int)info);
    return SHEAF_OK;
}

static double dot(const double *a, const double *b, size_t n)
{
    return cblas_ddot((blasint)n, a, 1, b, 1);
}

/* ||x||, safe from overflow and underflow of the squares. */
static double norm2(const double *x, size_t n)
{
    double ss = dot(x, x, n);
    if (ss > 0x1p-900 && ss < 0x1p900) return sqrt(ss);
    double scale = 0.0;
    for (size_t i = 0; i < n; i++)
        scale = fmax(scale, fabs(x[i]));
    if (scale == 0.0 || !isfinite(scale)) return scale;
    double s = 0.0, inv = 1.0 / scale;
    for (size_t i = 0; i < n; i++)
        s += (x[i] * inv) * (x[i] * inv);
    return scale * sqrt(s);
}

void sh_qr_residuals(double *a, size_t m, size_t lda, size_t nq, double *const *y, size_t nt,
                     double *diag, double *ssr)
{
    int threads = sh_blas_serial_begin();
    for (size_t q = 0; q < nq && q < m; q++) {
        /* H = I - v v' / (norm (norm + |x_0|)), v = x - beta e_0, beta = -sign(x_0) norm:
         * H x = beta e_0, and v_0 = x_0 - beta adds two numbers of one sign; v'z is
         * divided by the two factors in turn, so that no square of x's scale is formed. */
        double *x = a + q * lda + q;
        size_t len = m - q;
        double norm = norm2(x, len);
        diag[q] = norm;
        if (norm == 0.0) continue; /* nothing to reflect: a zero diagonal, SINGULAR upstream */
        double x0 = x[0], beta = x0 >= 0.0 ? -norm : norm, h = norm + fabs(x0);
        x[0] = x0 - beta;
        for (size_t c = q + 1; c < nq + nt; c++) {
            double *z = c < nq ? a + c * lda + q : y[c - nq] + q;
            cblas_daxpy((blasint)len, -(dot(x, z, len) / norm / h), x, 1, z, 1);
        }
        x[0] = beta;
    }
    for (size_t q = m; q < nq; q++)
        diag[q] = 0.0;
    for (size_t c = 0; c < nt; c++)
        ssr[c] = nq < m ? dot(y[c] + nq, y[c] + nq, m - nq) : 0.0;
    sh_blas_serial_end(threads);
}
