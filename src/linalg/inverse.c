/* inverse.c - the inverse of a symmetric positive-definite matrix. Method:
 * LAPACK dpotrf (A = L L') then dpotri (A^-1 = L^-T L^-1), which writes one
 * triangle; that triangle is mirrored so the caller gets a full symmetric
 * matrix. As in cholesky.c, the row-major lower triangle is handed to LAPACK
 * as the column-major upper one, so the work is done in inv's own memory. */
#include "linalg_internal.h"

#include <lapacke.h>
#include <math.h>

sheaf_status sheaf_linalg_spd_inverse(sheaf_matrix a, sheaf_matrix inv)
{
    static const char fn[] = "sheaf_linalg_spd_inverse";
    sheaf_status st;
    if ((st = sh_linalg_check_square(fn, "A", a)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_square(fn, "inv", inv)) != SHEAF_OK) return st;
    if (inv.rows != a.rows)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: inv is %zux%zu but A is %zux%zu", fn, inv.rows,
                       inv.cols, a.rows, a.cols);
    bool same = inv.data == a.data && inv.ld == a.ld;
    if (!same && sh_linalg_overlap(a, inv))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: inv overlaps A without being the same view (pass A itself to invert "
                       "in place)",
                       fn);
    if ((st = sh_linalg_check_finite_lower(fn, "A", a)) != SHEAF_OK) return st;
    size_t n = a.rows;
    if (n == 0) return SHEAF_OK;

    if (!same) sh_linalg_copy_lower_symmetric(a, inv);
    lapack_int info;
    SH_BLAS_SERIAL(info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, 'U', (lapack_int)n, inv.data,
                                              (lapack_int)inv.ld));
    if (info > 0)
        return sh_fail(SHEAF_ERR_SINGULAR,
                       "%s: matrix is not positive definite (leading minor %d of %zu)", fn,
                       (int)info, n);
    if (info == 0)
        SH_BLAS_SERIAL(info = LAPACKE_dpotri_work(LAPACK_COL_MAJOR, 'U', (lapack_int)n, inv.data,
                                                  (lapack_int)inv.ld));
    if (info > 0)
        return sh_fail(SHEAF_ERR_SINGULAR, "%s: Cholesky factor has a zero at diagonal %d", fn,
                       (int)info);
    if (info < 0)
        return sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK rejected argument %d", fn, (int)-info);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j <= i; j++)
            if (!isfinite(inv.data[i * inv.ld + j]))
                return sh_fail(SHEAF_ERR_SINGULAR,
                               "%s: inverse overflowed at (%zu, %zu); A is numerically singular",
                               fn, i, j);
    sh_linalg_copy_lower_symmetric(inv, inv);
    return SHEAF_OK;
}
