/* stattools_util.c - the input checks and the Householder QR shared by the
 * unit-root tests and the correlation functions (stattools_internal.h). The
 * QR is LAPACK's dgeqrf (Golub & Van Loan, "Matrix Computations", 4th ed.,
 * section 5.2): least squares from it keeps the accuracy the normal
 * equations would square away on trending series. */
#include "linalg/linalg_internal.h"
#include "timeseries/stattools_internal.h"

#include <lapacke.h>
#include <math.h>

sheaf_status sh_st_check_series(const char *who, const double *x, size_t n)
{
    if (!x) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: x is NULL", who);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) return sh_fail(SHEAF_ERR_NONFINITE, "%s: x[%zu] is %g", who, i, x[i]);
    return SHEAF_OK;
}

bool sh_st_is_constant(const double *x, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (x[i] != x[0]) return false;
    return true;
}

sheaf_status sh_st_qr(const char *who, double *a, size_t m, size_t p, size_t lda, double *tau,
                      double *work, size_t lwork)
{
    if (!sh_fits_blas_int(m) || !sh_fits_blas_int(p) || !sh_fits_blas_int(lda) ||
        !sh_fits_blas_int(lwork))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: a %zu x %zu regression exceeds the LAPACK "
                       "integer",
                       who, m, p);
    lapack_int info;
    SH_BLAS_SERIAL(info = LAPACKE_dgeqrf_work(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)p, a,
                                              (lapack_int)lda, tau, work, (lapack_int)lwork));
    if (info != 0)
        return sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dgeqrf failed (info %d) on %zu x %zu", who,
                       (int)info, m, p);
    size_t k = m < p ? m : p;
    for (size_t i = 0; i < k; i++)
        if (a[i * lda + i] < 0.0)
            for (size_t j = i; j < p; j++)
                a[j * lda + i] = -a[j * lda + i];
    return SHEAF_OK;
}

size_t sh_st_first_collinear(const double *r, size_t p, size_t ldr)
{
    for (size_t j = 0; j < p; j++)
        if (!(fabs(r[j * ldr + j]) > SH_ST_COLLINEAR_TOL * sh_st_norm(r + j * ldr, j + 1)))
            return j;
    return p;
}

double sh_st_norm(const double *x, size_t n)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += x[i] * x[i];
    if (isfinite(s) && s > 0x1p-900) return sqrt(s); /* no overflow or underflow to fear */
    double scale = 0.0;
    for (size_t i = 0; i < n; i++)
        scale = fmax(scale, fabs(x[i]));
    if (scale == 0.0) return 0.0;
    s = 0.0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i] / scale;
        s += v * v;
    }
    return scale * sqrt(s);
}

sheaf_status sh_st_band_z(const char *who, double alpha, double *z)
{
    if (!(alpha > 0.0 && alpha < 1.0))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: alpha must be in (0, 1), got %g", who,
                       alpha);
    return sheaf_dist_normal_quantile(1.0 - alpha / 2.0, z);
}
