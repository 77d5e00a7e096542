/* blas.c - checked general and symmetric products: gemm, gemv and syrk.
 * Method: CBLAS in row-major order (OpenBLAS), after the checks in views.c.
 * Empty products follow BLAS: an empty inner dimension leaves C = beta C
 * (and C = 0 when beta = 0, whatever C held), an empty output does nothing.
 * Outputs must not overlap inputs: BLAS reads and writes them in blocks. */
#include "linalg_internal.h"

#include <cblas.h>
#include <math.h>

static sheaf_status check_scalars(const char *fn, double alpha, double beta)
{
    if (!isfinite(alpha))
        return sh_fail(SHEAF_ERR_NONFINITE, "%s: alpha is not finite (%g)", fn, alpha);
    if (!isfinite(beta))
        return sh_fail(SHEAF_ERR_NONFINITE, "%s: beta is not finite (%g)", fn, beta);
    return SHEAF_OK;
}

/* C = beta C over the lower triangle only (lower) or all of C; beta = 0
 * clears C so NaNs there never survive, as BLAS specifies. */
static void scale(sheaf_matrix c, double beta, bool lower)
{
    for (size_t i = 0; i < c.rows; i++) {
        size_t end = lower ? i + 1 : c.cols;
        for (size_t j = 0; j < end; j++)
            c.data[i * c.ld + j] = beta == 0.0 ? 0.0 : beta * c.data[i * c.ld + j];
    }
}

/* A finite product of finite inputs can still overflow to Inf. */
static sheaf_status check_result(const char *fn, const char *name, sheaf_matrix c, bool lower)
{
    for (size_t i = 0; i < c.rows; i++) {
        size_t end = lower ? i + 1 : c.cols;
        for (size_t j = 0; j < end; j++)
            if (!isfinite(c.data[i * c.ld + j]))
                return sh_fail(SHEAF_ERR_NONFINITE, "%s: result %s overflowed at (%zu, %zu) (%g)",
                               fn, name, i, j, c.data[i * c.ld + j]);
    }
    return SHEAF_OK;
}

static CBLAS_TRANSPOSE cblas_trans(sheaf_transpose t) { return t ? CblasTrans : CblasNoTrans; }

sheaf_status sheaf_linalg_gemm(sheaf_transpose ta, sheaf_transpose tb, double alpha, sheaf_matrix a,
                               sheaf_matrix b, double beta, sheaf_matrix c)
{
    static const char fn[] = "sheaf_linalg_gemm";
    sheaf_status st;
    if ((st = sh_linalg_check_trans(fn, "ta", ta)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_trans(fn, "tb", tb)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_matrix(fn, "A", a)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_matrix(fn, "B", b)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_matrix(fn, "C", c)) != SHEAF_OK) return st;
    if ((st = check_scalars(fn, alpha, beta)) != SHEAF_OK) return st;

    size_t m = ta ? a.cols : a.rows, k = ta ? a.rows : a.cols;
    size_t kb = tb ? b.cols : b.rows, n = tb ? b.rows : b.cols;
    if (k != kb)
        return sh_fail(SHEAF_ERR_DIMENSION,
                       "%s: inner dimensions differ (A%s is %zux%zu, B%s is %zux%zu)", fn,
                       ta ? "'" : "", m, k, tb ? "'" : "", kb, n);
    if (c.rows != m || c.cols != n)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: C is %zux%zu but op(A) op(B) is %zux%zu", fn,
                       c.rows, c.cols, m, n);
    if (sh_linalg_overlap(c, a) || sh_linalg_overlap(c, b))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: C overlaps %s in memory", fn,
                       sh_linalg_overlap(c, a) ? "A" : "B");
    if ((st = sh_linalg_check_finite(fn, "A", a)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_finite(fn, "B", b)) != SHEAF_OK) return st;
    if (beta != 0.0 && (st = sh_linalg_check_finite(fn, "C", c)) != SHEAF_OK) return st;

    if (m == 0 || n == 0) return SHEAF_OK;
    if (k == 0) {
        scale(c, beta, false);
        return SHEAF_OK;
    }
    SH_BLAS_SERIAL(cblas_dgemm(CblasRowMajor, cblas_trans(ta), cblas_trans(tb), (int)m, (int)n,
                               (int)k, alpha, a.data, (int)a.ld, b.data, (int)b.ld, beta, c.data,
                               (int)c.ld));
    return check_result(fn, "C", c, false);
}

sheaf_status sheaf_linalg_gemv(sheaf_transpose ta, double alpha, sheaf_matrix a, sheaf_vector x,
                               double beta, sheaf_vector y)
{
    static const char fn[] = "sheaf_linalg_gemv";
    sheaf_status st;
    if ((st = sh_linalg_check_trans(fn, "ta", ta)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_matrix(fn, "A", a)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_vector(fn, "x", x)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_vector(fn, "y", y)) != SHEAF_OK) return st;
    if ((st = check_scalars(fn, alpha, beta)) != SHEAF_OK) return st;

    size_t m = ta ? a.cols : a.rows, n = ta ? a.rows : a.cols;
    if (x.len != n)
        return sh_fail(SHEAF_ERR_DIMENSION,
                       "%s: x has length %zu but op(A) has %zu columns (A is %zux%zu%s)", fn, x.len,
                       n, a.rows, a.cols, ta ? ", transposed" : "");
    if (y.len != m)
        return sh_fail(SHEAF_ERR_DIMENSION,
                       "%s: y has length %zu but op(A) has %zu rows (A is %zux%zu%s)", fn, y.len, m,
                       a.rows, a.cols, ta ? ", transposed" : "");
    sheaf_matrix ym = sh_linalg_vector_as_matrix(y);
    if (sh_linalg_overlap(ym, a) || sh_linalg_overlap(ym, sh_linalg_vector_as_matrix(x)))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: y overlaps %s in memory", fn,
                       sh_linalg_overlap(ym, a) ? "A" : "x");
    if ((st = sh_linalg_check_finite(fn, "A", a)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_finite_vector(fn, "x", x)) != SHEAF_OK) return st;
    if (beta != 0.0 && (st = sh_linalg_check_finite_vector(fn, "y", y)) != SHEAF_OK) return st;

    if (m == 0) return SHEAF_OK;
    if (n == 0) {
        scale(ym, beta, false);
        return SHEAF_OK;
    }
    SH_BLAS_SERIAL(cblas_dgemv(CblasRowMajor, cblas_trans(ta), (int)a.rows, (int)a.cols, alpha,
                               a.data, (int)a.ld, x.data, (int)x.inc, beta, y.data, (int)y.inc));
    return check_result(fn, "y", ym, false);
}

sheaf_status sheaf_linalg_syrk(sheaf_transpose ta, double alpha, sheaf_matrix a, double beta,
                               sheaf_matrix c)
{
    static const char fn[] = "sheaf_linalg_syrk";
    sheaf_status st;
    if ((st = sh_linalg_check_trans(fn, "ta", ta)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_matrix(fn, "A", a)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_matrix(fn, "C", c)) != SHEAF_OK) return st;
    if ((st = check_scalars(fn, alpha, beta)) != SHEAF_OK) return st;

    size_t n = ta ? a.cols : a.rows, k = ta ? a.rows : a.cols;
    if (c.rows != n || c.cols != n)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: C is %zux%zu but op(A) op(A)' is %zux%zu", fn,
                       c.rows, c.cols, n, n);
    if (sh_linalg_overlap(c, a))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: C overlaps A in memory", fn);
    if ((st = sh_linalg_check_finite(fn, "A", a)) != SHEAF_OK) return st;
    if (beta != 0.0 && (st = sh_linalg_check_finite_lower(fn, "C", c)) != SHEAF_OK) return st;

    if (n == 0) return SHEAF_OK;
    if (k == 0)
        scale(c, beta, true);
    else
        SH_BLAS_SERIAL(cblas_dsyrk(CblasRowMajor, CblasLower, cblas_trans(ta), (int)n, (int)k,
                                   alpha, a.data, (int)a.ld, beta, c.data, (int)c.ld));
    if ((st = check_result(fn, "C", c, true)) != SHEAF_OK) return st;
    sh_linalg_copy_lower_symmetric(c, c);
    return SHEAF_OK;
}
