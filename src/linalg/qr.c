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

size_t sh_qr_subset_work(size_t n, size_t nc) { return (n + 2) * (nc + 1) + 64 * (nc + 1); }

sheaf_status sh_qr_subset_fit(const double *r, size_t n, size_t ldr, const size_t *cols, size_t nc,
                              size_t y, double *beta, double *ssr, double *rs, double *work)
{
    static const char fn[] = "sh_qr_subset_fit";
    size_t w = nc + 1;
    if (w > n)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: %zu regressors and a target from %zu columns", fn, nc, n);
    double *m = work, *tau = m + n * w, *lw = tau + w;
    /* the selected columns of R and y's, rows below the last nonzero dropped */
    size_t rows = 0;
    for (size_t c = 0; c < w; c++) {
        size_t col = c < nc ? cols[c] : y;
        if (col >= n)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: column %zu of a %zu-column factor", fn,
                           col, n);
        rows = col + 1 > rows ? col + 1 : rows;
    }
    for (size_t c = 0; c < w; c++) {
        size_t col = c < nc ? cols[c] : y;
        for (size_t i = 0; i < rows; i++)
            m[c * rows + i] = i <= col ? r[col * ldr + i] : 0.0;
    }
    lapack_int info;
    if (rows < w) { /* fewer rows than columns: pad with zero rows */
        for (size_t c = w; c-- > 0;)
            for (size_t i = w; i-- > 0;)
                m[c * w + i] = i < rows ? m[c * rows + i] : 0.0;
        rows = w;
    }
    SH_BLAS_SERIAL(info = LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, (lapack_int)rows, (lapack_int)w, m,
                                              (lapack_int)rows, tau, lw, (lapack_int)(64 * w)));
    if (info != 0)
        return sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dgeqrf failed (info %d)", fn, (int)info);
    flip_negative_rows(m, w, rows);
    double dmax = 0.0;
    for (size_t c = 0; c < nc; c++)
        dmax = fmax(dmax, fabs(m[c * rows + c]));
    for (size_t c = 0; c < nc; c++)
        if (!(fabs(m[c * rows + c]) > 1e-12 * dmax))
            return sh_fail(SHEAF_ERR_SINGULAR,
                           "%s: regressor %zu (design column %zu) is collinear with the others", fn,
                           c, cols[c]);
    for (size_t c = nc; c-- > 0;) { /* back substitution R_S beta = R_S[:, nc] */
        double s = m[nc * rows + c];
        for (size_t j = c + 1; j < nc; j++)
            s -= m[j * rows + c] * beta[j];
        beta[c] = s / m[c * rows + c];
    }
    *ssr = m[nc * rows + nc] * m[nc * rows + nc];
    if (rs)
        for (size_t c = 0; c < w; c++)
            for (size_t i = 0; i < w; i++)
                rs[c * w + i] = i <= c ? m[c * rows + i] : 0.0;
    return SHEAF_OK;
}
