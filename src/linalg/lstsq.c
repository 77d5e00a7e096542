/* lstsq.c - least squares min ||A X - B||_F by a complete orthogonal
 * factorisation: QR with column pivoting, A P = Q [R11 R12; 0 R22], where
 * R11 is the largest leading block whose condition estimate stays below
 * 1/rcond; R12 is then folded away by orthogonal transforms from the right so
 * that X is the minimum-norm solution (LAPACK dgelsy; Golub & Van Loan,
 * Matrix Computations, 4th ed., section 5.5). A is copied once into a
 * column-major buffer, which dgelsy overwrites anyway, instead of letting
 * LAPACKE transpose the n x p data; B likewise, padded to max(rows, cols)
 * rows because dgelsy returns X in B's place. */
#include "linalg_internal.h"

#include <float.h>
#include <lapacke.h>
#include <math.h>

sheaf_status sheaf_linalg_lstsq(sheaf_matrix a, sheaf_matrix b, double rcond, sheaf_matrix x,
                                size_t *rank)
{
    static const char fn[] = "sheaf_linalg_lstsq";
    sheaf_status st;
    double *acm = NULL, *bcm = NULL, *work = NULL;
    lapack_int *jpvt = NULL;

    if ((st = sh_linalg_check_matrix(fn, "A", a)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_matrix(fn, "B", b)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_matrix(fn, "X", x)) != SHEAF_OK) return st;
    if (b.rows != a.rows)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: B has %zu rows but A has %zu (A is %zux%zu)", fn,
                       b.rows, a.rows, a.rows, a.cols);
    if (x.rows != a.cols || x.cols != b.cols)
        return sh_fail(SHEAF_ERR_DIMENSION,
                       "%s: X is %zux%zu but must be %zux%zu (A is %zux%zu, B is %zux%zu)", fn,
                       x.rows, x.cols, a.cols, b.cols, a.rows, a.cols, b.rows, b.cols);
    if (isnan(rcond) || isinf(rcond))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: rcond must be finite (got %g)", fn, rcond);
    if ((st = sh_linalg_check_finite(fn, "A", a)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_finite(fn, "B", b)) != SHEAF_OK) return st;

    size_t m = a.rows, n = a.cols, nrhs = b.cols;
    if (m == 0 || n == 0) {
        /* No equations or no unknowns: the minimum-norm solution is zero. */
        for (size_t i = 0; i < x.rows; i++)
            for (size_t j = 0; j < x.cols; j++)
                x.data[i * x.ld + j] = 0.0;
        if (rank) *rank = 0;
        return SHEAF_OK;
    }
    size_t ldb = m > n ? m : n;
    if (rcond <= 0.0) rcond = (double)n * DBL_EPSILON;

    acm = sh_malloc_array(m * n, sizeof *acm);
    bcm = sh_malloc_array(ldb * nrhs, sizeof *bcm);
    jpvt = sh_calloc(n, sizeof *jpvt); /* zero: every column is free to move */
    if (acm == NULL || bcm == NULL || jpvt == NULL) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for column-major copies of A (%zux%zu) and B",
                     fn, m, n);
        goto done;
    }
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++)
            acm[j * m + i] = a.data[i * a.ld + j];
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < nrhs; j++)
            bcm[j * ldb + i] = b.data[i * b.ld + j];

    lapack_int r = 0, info;
    double query = 0.0;
    SH_BLAS_SERIAL(info = LAPACKE_dgelsy_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n,
                                              (lapack_int)nrhs, acm, (lapack_int)m, bcm,
                                              (lapack_int)ldb, jpvt, rcond, &r, &query, -1));
    if (info != 0) {
        st = sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dgelsy workspace query failed (info %d)", fn,
                     (int)info);
        goto done;
    }
    size_t lwork = (size_t)query;
    if (lwork < 1) lwork = 1;
    work = sh_malloc_array(lwork, sizeof *work);
    if (work == NULL) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for %zu doubles of LAPACK workspace", fn,
                     lwork);
        goto done;
    }
    SH_BLAS_SERIAL(info = LAPACKE_dgelsy_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n,
                                              (lapack_int)nrhs, acm, (lapack_int)m, bcm,
                                              (lapack_int)ldb, jpvt, rcond, &r, work,
                                              (lapack_int)lwork));
    if (info != 0) {
        st = sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dgelsy rejected argument %d", fn, (int)-info);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < nrhs; j++) {
            double v = bcm[j * ldb + i];
            if (!isfinite(v)) {
                st =
                    sh_fail(SHEAF_ERR_NONFINITE,
                            "%s: solution overflowed at (%zu, %zu) (%g); raise rcond", fn, i, j, v);
                goto done;
            }
            x.data[i * x.ld + j] = v;
        }
    if (rank) *rank = (size_t)r;
    st = SHEAF_OK;
done:
    sh_free(work);
    sh_free(jpvt);
    sh_free(bcm);
    sh_free(acm);
    return st;
}
