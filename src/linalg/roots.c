/* roots.c - roots of a real polynomial as the eigenvalues of its companion
 * matrix. Method: that of numpy.roots, step for step so the tests can
 * compare root by root: zero low-order coefficients become exact zero roots
 * appended last; the rest, p(z) = sum c_k z^k, k = z0..degree, gives the
 * companion matrix with first row -c[degree-1-j] / c[degree] and ones on the
 * subdiagonal, whose eigenvalues (LAPACK dgeev) are the remaining roots
 * (Edelman & Murakami, "Polynomial roots from companion matrix eigenvalues",
 * Math. Comp. 64, 1995). */
#include "linalg_internal.h"

#include <math.h>

sheaf_status sheaf_linalg_poly_roots(const double *c, size_t degree, double *re, double *im)
{
    static const char fn[] = "sheaf_linalg_poly_roots";
    sheaf_status st;
    double *comp = NULL, *wr = NULL;

    if (c == NULL) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: c is NULL", fn);
    if (!sh_fits_blas_int(degree))
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: degree %zu is beyond the 32-bit BLAS integer", fn,
                       degree);
    if (degree > 0 && (re == NULL || im == NULL))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s is NULL (degree %zu)", fn,
                       re == NULL ? "re" : "im", degree);
    for (size_t k = 0; k <= degree; k++)
        if (!isfinite(c[k]))
            return sh_fail(SHEAF_ERR_NONFINITE, "%s: c holds a non-finite value at index %zu (%g)",
                           fn, k, c[k]);
    if (c[degree] == 0.0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: leading coefficient c[%zu] is zero (lower the degree)", fn, degree);
    if (degree == 0) return SHEAF_OK;

    size_t zeros = 0;
    while (c[zeros] == 0.0)
        zeros++;
    size_t d = degree - zeros;
    for (size_t k = d; k < degree; k++)
        re[k] = im[k] = 0.0;
    if (d == 0) return SHEAF_OK;

    comp = sh_calloc(d * d, sizeof *comp);
    wr = sh_malloc_array(2 * d, sizeof *wr);
    if (comp == NULL || wr == NULL) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for the %zux%zu companion matrix", fn, d, d);
        goto done;
    }
    /* Column-major: element (i, j) is comp[i + j * d]. */
    for (size_t j = 0; j < d; j++) {
        comp[j * d] = -c[degree - 1 - j] / c[degree];
        if (!isfinite(comp[j * d])) {
            st = sh_fail(SHEAF_ERR_NONFINITE,
                         "%s: c[%zu] / c[%zu] overflows (%g / %g); rescale the polynomial", fn,
                         degree - 1 - j, degree, c[degree - 1 - j], c[degree]);
            goto done;
        }
    }
    for (size_t i = 1; i < d; i++)
        comp[i + (i - 1) * d] = 1.0;
    if ((st = sh_linalg_geev_values(fn, comp, d, wr, wr + d)) != SHEAF_OK) goto done;
    for (size_t k = 0; k < d; k++) {
        re[k] = wr[k];
        im[k] = wr[d + k];
    }
    st = SHEAF_OK;
done:
    sh_free(wr);
    sh_free(comp);
    return st;
}
