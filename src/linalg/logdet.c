/* logdet.c - log determinants. Method: for symmetric positive-definite A,
 * Cholesky (dpotrf), log det A = 2 sum log L_ii; for general square A, LU
 * with partial pivoting (dgetrf), log |det A| = sum log |U_ii| and the sign
 * is the parity of the row swaps times the signs of U_ii (the method of
 * numpy.linalg.slogdet, which the tests compare against). Both work on a
 * copy, so A is never modified. det A = det A', so the row-major copy is
 * handed to LAPACK as column-major without transposing. */
#include "linalg_internal.h"

#include <lapacke.h>
#include <math.h>
#include <string.h>

/* Copies the square a into the contiguous n x n buffer w. */
static void copy_dense(sheaf_matrix a, double *w)
{
    for (size_t i = 0; i < a.rows; i++)
        memcpy(w + i * a.rows, a.data + i * a.ld, a.rows * sizeof *w);
}

sheaf_status sheaf_linalg_logdet_spd(sheaf_matrix a, double *logdet)
{
    static const char fn[] = "sheaf_linalg_logdet_spd";
    sheaf_status st;
    double *w = NULL;
    if ((st = sh_linalg_check_square(fn, "A", a)) != SHEAF_OK) return st;
    if (logdet == NULL) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: logdet is NULL", fn);
    if ((st = sh_linalg_check_finite_lower(fn, "A", a)) != SHEAF_OK) return st;
    size_t n = a.rows;
    if (n == 0) {
        *logdet = 0.0;
        return SHEAF_OK;
    }
    w = sh_malloc_array(n * n, sizeof *w);
    if (w == NULL) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for a %zux%zu copy of A", fn, n, n);
        goto done;
    }
    copy_dense(a, w);
    lapack_int info;
    SH_BLAS_SERIAL(info =
                       LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'U', (lapack_int)n, w, (lapack_int)n));
    if (info > 0) {
        st = sh_fail(SHEAF_ERR_SINGULAR,
                     "%s: matrix is not positive definite (leading minor %d of %zu)", fn, (int)info,
                     n);
        goto done;
    }
    if (info < 0) {
        st = sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dpotrf rejected argument %d", fn, (int)-info);
        goto done;
    }
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += log(w[i * n + i]);
    *logdet = 2.0 * sum;
    st = SHEAF_OK;
done:
    sh_free(w);
    return st;
}

sheaf_status sheaf_linalg_logdet(sheaf_matrix a, double *logabsdet, double *sign)
{
    static const char fn[] = "sheaf_linalg_logdet";
    sheaf_status st;
    double *w = NULL;
    lapack_int *ipiv = NULL;
    if ((st = sh_linalg_check_square(fn, "A", a)) != SHEAF_OK) return st;
    if (logabsdet == NULL || sign == NULL)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s is NULL", fn,
                       logabsdet == NULL ? "logabsdet" : "sign");
    if ((st = sh_linalg_check_finite(fn, "A", a)) != SHEAF_OK) return st;
    size_t n = a.rows;
    if (n == 0) {
        *logabsdet = 0.0;
        *sign = 1.0;
        return SHEAF_OK;
    }
    w = sh_malloc_array(n * n, sizeof *w);
    ipiv = sh_malloc_array(n, sizeof *ipiv);
    if (w == NULL || ipiv == NULL) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for the LU factors of a %zux%zu matrix", fn, n,
                     n);
        goto done;
    }
    copy_dense(a, w);
    lapack_int info;
    SH_BLAS_SERIAL(info = LAPACKE_dgetrf_work(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)n, w,
                                              (lapack_int)n, ipiv));
    if (info > 0) {
        st = sh_fail(SHEAF_ERR_SINGULAR,
                     "%s: matrix is exactly singular (U[%d,%d] = 0 in its LU factors)", fn,
                     (int)info, (int)info);
        goto done;
    }
    if (info < 0) {
        st = sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dgetrf rejected argument %d", fn, (int)-info);
        goto done;
    }
    double sum = 0.0, sgn = 1.0;
    for (size_t i = 0; i < n; i++) {
        double u = w[i * n + i];
        if (ipiv[i] != (lapack_int)(i + 1)) sgn = -sgn;
        if (u < 0.0) sgn = -sgn;
        sum += log(fabs(u));
    }
    *logabsdet = sum;
    *sign = sgn;
    st = SHEAF_OK;
done:
    sh_free(ipiv);
    sh_free(w);
    return st;
}
