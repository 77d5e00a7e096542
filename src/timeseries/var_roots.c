/* var_roots.c - stability of a fitted VAR: the eigenvalues of the companion
 * matrix [A_1 ... A_p; I 0] and their reciprocals, the roots of
 * det(I - A_1 z - ... - A_p z^p), as statsmodels' VARResults.roots and
 * is_stable (0.13). */
#include "sheaf_linalg.h"
#include "timeseries/var_internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct root {
    double re, im, modulus;
} root;

/* Decreasing modulus; on ties positive imaginary part first. */
static int by_modulus_desc(const void *pa, const void *pb)
{
    const root *a = pa, *b = pb;
    if (a->modulus != b->modulus) return a->modulus < b->modulus ? 1 : -1;
    return (a->im < b->im) - (a->im > b->im);
}

sheaf_status sheaf_var_roots(const sheaf_var *v, double *re, double *im, int *stable)
{
    const char *fn = "sheaf_var_roots";
    if (!v) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: var is NULL", fn);
    if (v->p == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: a VAR(0) has no companion matrix", fn);
    size_t k = v->k, kp = k * v->p;
    double *comp = sh_calloc(kp * kp + 2 * kp, sizeof(double));
    root *roots = sh_malloc_array(kp, sizeof *roots);
    sheaf_status st = SHEAF_OK;
    if (!comp || !roots) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for a %zu x %zu companion matrix", fn, kp,
                     kp);
        goto done;
    }
    double *ere = comp + kp * kp, *eim = ere + kp;
    for (size_t i = 0; i < k; i++)
        for (size_t c = 0; c < kp; c++)
            comp[i * kp + c] = v->params[(sh_var_ndet(v) + c) * k + i];
    for (size_t i = k; i < kp; i++)
        comp[i * kp + i - k] = 1.0;
    st = sheaf_linalg_eig(sheaf_matrix_view(comp, kp, kp), sheaf_vector_view(ere, kp),
                          sheaf_vector_view(eim, kp));
    if (st != SHEAF_OK) goto done;
    int all_inside = 1;
    for (size_t i = 0; i < kp; i++) {
        double m2 = ere[i] * ere[i] + eim[i] * eim[i];
        if (sqrt(m2) > 1.0) all_inside = 0;
        roots[i].re = m2 > 0.0 ? ere[i] / m2 : INFINITY; /* 1 / (a + bi) = (a - bi) / |.|^2 */
        roots[i].im = m2 > 0.0 ? -eim[i] / m2 : 0.0;
        roots[i].modulus = m2 > 0.0 ? 1.0 / sqrt(m2) : INFINITY;
    }
    qsort(roots, kp, sizeof *roots, by_modulus_desc);
    for (size_t i = 0; i < kp; i++) {
        if (re) re[i] = roots[i].re;
        if (im) im[i] = roots[i].im;
    }
    if (stable) *stable = all_inside;
done:
    sh_free(comp);
    sh_free(roots);
    return st;
}
