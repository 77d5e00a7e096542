/* views.c - the matrix and vector views and the argument checks every linalg
 * routine runs before touching BLAS or LAPACK: NULL data, leading dimension,
 * the 32-bit BLAS integer limit, finiteness and overlap of outputs with
 * inputs. Checking here keeps each routine's body about the mathematics. */
#include "linalg_internal.h"

#include <math.h>
#include <stdint.h>

sheaf_matrix sheaf_matrix_view(double *data, size_t rows, size_t cols)
{
    sheaf_matrix m = {data, rows, cols, cols};
    return m;
}

sheaf_vector sheaf_vector_view(double *data, size_t len)
{
    sheaf_vector v = {data, len, 1};
    return v;
}

sheaf_status sh_linalg_check_matrix(const char *fn, const char *name, sheaf_matrix m)
{
    if (m.ld < m.cols)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: %s has ld %zu < cols %zu", fn, name, m.ld, m.cols);
    if (!sh_fits_blas_int(m.rows) || !sh_fits_blas_int(m.cols) || !sh_fits_blas_int(m.ld))
        return sh_fail(SHEAF_ERR_DIMENSION,
                       "%s: %s is %zux%zu with ld %zu, beyond the 32-bit BLAS integer", fn, name,
                       m.rows, m.cols, m.ld);
    if (m.data == NULL && m.rows > 0 && m.cols > 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s is %zux%zu but its data is NULL", fn,
                       name, m.rows, m.cols);
    return SHEAF_OK;
}

sheaf_status sh_linalg_check_square(const char *fn, const char *name, sheaf_matrix m)
{
    sheaf_status st = sh_linalg_check_matrix(fn, name, m);
    if (st != SHEAF_OK) return st;
    if (m.rows != m.cols)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: %s must be square (is %zux%zu)", fn, name, m.rows,
                       m.cols);
    return SHEAF_OK;
}

sheaf_status sh_linalg_check_vector(const char *fn, const char *name, sheaf_vector v)
{
    if (v.inc < 1)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s has inc 0 (must be >= 1)", fn, name);
    if (!sh_fits_blas_int(v.len) || !sh_fits_blas_int(v.inc))
        return sh_fail(SHEAF_ERR_DIMENSION,
                       "%s: %s has length %zu and inc %zu, beyond the 32-bit BLAS integer", fn,
                       name, v.len, v.inc);
    if (v.data == NULL && v.len > 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s has length %zu but its data is NULL", fn,
                       name, v.len);
    return SHEAF_OK;
}

sheaf_status sh_linalg_check_finite(const char *fn, const char *name, sheaf_matrix m)
{
    for (size_t i = 0; i < m.rows; i++) {
        const double *row = m.data + i * m.ld;
        for (size_t j = 0; j < m.cols; j++)
            if (!isfinite(row[j]))
                return sh_fail(SHEAF_ERR_NONFINITE,
                               "%s: %s holds a non-finite value at (%zu, %zu) (%g)", fn, name, i, j,
                               row[j]);
    }
    return SHEAF_OK;
}

sheaf_status sh_linalg_check_finite_lower(const char *fn, const char *name, sheaf_matrix m)
{
    for (size_t i = 0; i < m.rows; i++) {
        const double *row = m.data + i * m.ld;
        for (size_t j = 0; j <= i && j < m.cols; j++)
            if (!isfinite(row[j]))
                return sh_fail(SHEAF_ERR_NONFINITE,
                               "%s: %s holds a non-finite value at (%zu, %zu) (%g)", fn, name, i, j,
                               row[j]);
    }
    return SHEAF_OK;
}

sheaf_status sh_linalg_check_finite_vector(const char *fn, const char *name, sheaf_vector v)
{
    for (size_t i = 0; i < v.len; i++)
        if (!isfinite(v.data[i * v.inc]))
            return sh_fail(SHEAF_ERR_NONFINITE, "%s: %s holds a non-finite value at index %zu (%g)",
                           fn, name, i, v.data[i * v.inc]);
    return SHEAF_OK;
}

sheaf_status sh_linalg_check_trans(const char *fn, const char *name, sheaf_transpose t)
{
    if (t != SHEAF_NO_TRANS && t != SHEAF_TRANS)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: %s must be SHEAF_NO_TRANS or SHEAF_TRANS (got %d)", fn, name, (int)t);
    return SHEAF_OK;
}

/* Byte range [*lo, *hi) a view touches; empty views touch nothing. Compared
 * as integers because relational operators on unrelated pointers are
 * undefined in C. */
static bool span(sheaf_matrix m, uintptr_t *lo, uintptr_t *hi)
{
    if (m.rows == 0 || m.cols == 0 || m.data == NULL) return false;
    *lo = (uintptr_t)m.data;
    *hi = (uintptr_t)(m.data + (m.rows - 1) * m.ld + m.cols);
    return true;
}

bool sh_linalg_overlap(sheaf_matrix a, sheaf_matrix b)
{
    uintptr_t alo, ahi, blo, bhi;
    if (!span(a, &alo, &ahi) || !span(b, &blo, &bhi)) return false;
    return alo < bhi && blo < ahi;
}

sheaf_matrix sh_linalg_vector_as_matrix(sheaf_vector v)
{
    sheaf_matrix m = {v.data, v.len, 1, v.inc};
    return m;
}

void sh_linalg_copy_lower_symmetric(sheaf_matrix src, sheaf_matrix dst)
{
    size_t n = src.rows;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= i; j++) {
            double v = src.data[i * src.ld + j];
            dst.data[i * dst.ld + j] = v;
            dst.data[j * dst.ld + i] = v;
        }
}
