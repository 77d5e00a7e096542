/* qr.c - merging QR factors and regressions on column subsets (qr.h).
 * Method: LAPACK dtpqrt (the QR of a triangle stacked on a pentagon: Elmroth
 * & Gustavson's blocked Householder update) for [R; B]; dgeqrf on the
 * selected columns of R for a subset regression, then back substitution -
 * the tall-skinny QR (TSQR) reduction of Demmel, Grigori, Hoemmen and
 * Langou, "Communication-optimal parallel and sequential QR and LU
 * factorizations" (SIAM J. Sci. Comput. 34, 2012). */
#include "linalg/linalg_internal.h"
#include "linalg/qr.h"

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
    for (size_t c = 0; c < w; c++) {
        size_t col = c < nc ? cols[c] : targets[c - nc];
        for (size_t i = 0; i < ldm; i++)
            m[c * ldm + i] = i <= col && i < rows ? r[col * ldr + i] : 0.0;
    }
    lapack_int info;
    SH_BLAS_SERIAL(info = LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, (lapack_int)ldm, (lapack_int)w, m,
                                              (lapack_int)ldm, tau, lw, (lapack_int)(64 * w)));
    if (info != 0)
        return sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dgeqrf failed (info %d)", fn, (int)info);
    flip_negative_rows(m, w, ldm);
    double dmax = 0.0;
    for (size_t c = 0; c < nc; c++)
        dmax = fmax(dmax, fabs(m[c * ldm + c]));
    for (size_t c = 0; c < nc; c++)
        if (!(fabs(m[c * ldm + c]) > 1e-12 * dmax))
            return sh_fail(SHEAF_ERR_SINGULAR,
                           "%s: regressor %zu (design column %zu) is collinear with the others", fn,
                           c, cols[c]);
    for (size_t q = 0; q < nt; q++) { /* back substitution R11 beta_q = R12[:, q] */
        double *bq = beta + q * nc;
        for (size_t c = nc; c-- > 0;) {
            double s = m[(nc + q) * ldm + c];
            for (size_t j = c + 1; j < nc; j++)
                s -= m[j * ldm + c] * bq[j];
            bq[c] = s / m[c * ldm + c];
        }
    }
    for (size_t a = 0; a < nt; a++) /* rss = R22' R22 */
        for (size_t b = 0; b < nt; b++) {
            double s = 0.0;
            for (size_t i = nc; i <= nc + (a < b ? a : b); i++)
                s += m[(nc + a) * ldm + i] * m[(nc + b) * ldm + i];
            rss[a * nt + b] = s;
        }
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
