/* cholesky.c - Cholesky factorisation A = L L' in place and the solve
 * L L' X = B. Method: LAPACK dpotrf and two CBLAS triangular solves (dtrsm).
 * A row-major lower triangle is, byte for byte, the column-major upper
 * triangle of the same matrix, so dpotrf runs with uplo = 'U' on the caller's
 * memory directly: no transposed copy, no allocation (Golub & Van Loan,
 * Matrix Computations, 4th ed., section 4.2). */
#include "linalg_internal.h"

#include <cblas.h>
#include <lapacke.h>
#include <math.h>

sheaf_status sheaf_linalg_cholesky(sheaf_matrix a)
{
    static const char fn[] = "sheaf_linalg_cholesky";
    sheaf_status st;
    if ((st = sh_linalg_check_square(fn, "A", a)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_finite_lower(fn, "A", a)) != SHEAF_OK) return st;
    size_t n = a.rows;
    if (n == 0) return SHEAF_OK;

    lapack_int info;
    SH_BLAS_SERIAL(
        info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'U', (lapack_int)n, a.data, (lapack_int)a.ld));
    if (info > 0)
        return sh_fail(SHEAF_ERR_SINGULAR,
                       "%s: matrix is not positive definite (leading minor %d of %zu)", fn,
                       (int)info, n);
    if (info < 0)
        return sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dpotrf rejected argument %d", fn,
                       (int)-info);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            a.data[i * a.ld + j] = 0.0;
    return SHEAF_OK;
}

sheaf_status sheaf_linalg_cholesky_solve(sheaf_matrix l, sheaf_matrix b)
{
    static const char fn[] = "sheaf_linalg_cholesky_solve";
    sheaf_status st;
    if ((st = sh_linalg_check_square(fn, "L", l)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_matrix(fn, "B", b)) != SHEAF_OK) return st;
    if (b.rows != l.rows)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: B has %zu rows but L is %zux%zu", fn, b.rows,
                       l.rows, l.cols);
    if (sh_linalg_overlap(l, b))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: B overlaps L in memory", fn);
    if ((st = sh_linalg_check_finite_lower(fn, "L", l)) != SHEAF_OK) return st;
    for (size_t i = 0; i < l.rows; i++)
        if (!(l.data[i * l.ld + i] > 0.0))
            return sh_fail(SHEAF_ERR_SINGULAR,
                           "%s: L has a non-positive diagonal entry at %zu (%g); is it a "
                           "Cholesky factor?",
                           fn, i, l.data[i * l.ld + i]);
    if ((st = sh_linalg_check_finite(fn, "B", b)) != SHEAF_OK) return st;
    if (b.rows == 0 || b.cols == 0) return SHEAF_OK;

    int n = (int)l.rows, nrhs = (int)b.cols;
    SH_BLAS_SERIAL(cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, CblasNoTrans, CblasNonUnit, n,
                               nrhs, 1.0, l.data, (int)l.ld, b.data, (int)b.ld));
    SH_BLAS_SERIAL(cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, CblasTrans, CblasNonUnit, n,
                               nrhs, 1.0, l.data, (int)l.ld, b.data, (int)b.ld));
    for (size_t i = 0; i < b.rows; i++)
        for (size_t j = 0; j < b.cols; j++)
            if (!isfinite(b.data[i * b.ld + j]))
                return sh_fail(SHEAF_ERR_NONFINITE,
                               "%s: solution overflowed at (%zu, %zu) (%g); L is nearly singular",
                               fn, i, j, b.data[i * b.ld + j]);
    return SHEAF_OK;
}
