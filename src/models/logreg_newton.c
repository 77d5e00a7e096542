/* logreg_newton.c - the Newton (IRLS) statistics of logistic regression:
 * for one partition, the loss, its gradient and the Hessian in the
 * optimizer's coordinates, in one pass. Rows are taken in blocks of B;
 * each block's design z = ((x - centre) * inv_s, 1) is formed once (for
 * binomial fits already scaled by sqrt(w mu (1 - mu))) and the
 * Hessian sum_i w_i (diag(mu_i) - mu_i mu_i') (x) z_i z_i' is accumulated by
 * BLAS: a rank-B update (dsyrk) of the rows scaled by sqrt(w mu (1 - mu))
 * for each class's diagonal block, and for multinomial fits a product
 * (dgemm) with weights -w mu_r mu_s for each pair of classes (never the
 * difference of two large terms, so the small curvature of well-fitted
 * rows keeps its digits). Centring the block (as the optimizer does) keeps
 * the intercept column from swamping the others. BLAS is called directly:
 * the inputs are finite by construction and the checked wrappers would
 * scan the output on every block. */
#include "models/logreg_internal.h"

#include <cblas.h>
#include <math.h>
#include <string.h>

/* Rows per block: about 256 KiB of z, at least 16 rows, at most 256. */
static size_t block_rows(size_t s)
{
    size_t b = 32768 / s;
    return b < 16 ? 16 : b > 256 ? 256 : b;
}

/* u = a z over s values. */
static void scaled_copy(double a, const double *z, size_t s, double *u)
{
    sh_v2d av = {a, a};
    size_t j = 0;
    for (; j + 2 <= s; j += 2)
        sh_store2(u + j, av * sh_load2(z + j));
    for (; j < s; j++)
        u[j] = a * z[j];
}

/* Adds a block to the Hessian h (n x n): z (b x s) the design rows (for
 * binomial fits already scaled), w the weights (NULL: 1), mu (b x rows) the
 * probabilities, u b x s scratch. */
static void add_block(const sh_logreg_data *d, size_t b, const double *z, const double *w,
                      const double *mu, double *u, double *h)
{
    size_t s = d->p + 1, n = d->rows * s, rows = d->rows;
    if (rows == 1) {
        cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, (int)s, (int)b, 1.0, z, (int)s, 1.0, h,
                    (int)n);
        return;
    }
    for (size_t r = 0; r < rows; r++) {
        if (d->active && !d->active[r]) continue;
        /* diagonal block: weights w mu_r (1 - mu_r) */
        for (size_t i = 0; i < b; i++) {
            double mr = mu[i * rows + r], wi = w ? w[i] : 1.0;
            scaled_copy(sqrt(wi * mr * (1.0 - mr)), z + i * s, s, u + i * s);
        }
        double *hrr = h + r * s * n + r * s;
        cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, (int)s, (int)b, 1.0, u, (int)s, 1.0, hrr,
                    (int)n);
        for (size_t q = 0; q < r; q++) {
            if (d->active && !d->active[q]) continue;
            for (size_t i = 0; i < b; i++) {
                double wi = w ? w[i] : 1.0;
                scaled_copy(wi * mu[i * rows + r] * mu[i * rows + q], z + i * s, s, u + i * s);
            }
            double *hrq = h + r * s * n + q * s;
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)s, (int)s, (int)b, -1.0, u,
                        (int)s, z, (int)s, 1.0, hrq, (int)n);
        }
    }
}

/* z = a ((x - c) * inv_s) over p values. */
static void design_row(double a, const double *x, const double *c, const double *inv_s, size_t p,
                       double *z)
{
    sh_v2d av = {a, a};
    size_t j = 0;
    for (; j + 2 <= p; j += 2)
        sh_store2(z + j, av * ((sh_load2(x + j) - sh_load2(c + j)) * sh_load2(inv_s + j)));
    for (; j < p; j++)
        z[j] = a * ((x[j] - c[j]) * inv_s[j]);
}

sheaf_status sh_logreg_newton_map(void *arg, size_t part, double *stats)
{
    const sh_logreg_data *d = arg;
    const sh_logreg_part *pt = d->parts + part;
    size_t p = d->p, s = p + 1, rows = d->rows, n = rows * s, bmax = block_rows(s);
    double *buf = sh_malloc_array(bmax * (2 * s + 2 * rows), sizeof(double));
    if (!buf)
        return sh_fail(SHEAF_ERR_NOMEM, "sheaf_logreg_fit: out of memory for a %zu x %zu block",
                       bmax, s);
    double *z = buf, *u = z + bmax * s, *mu = u + bmax * s, *g = mu + bmax * rows;
    double *grad = stats + 1, *h = grad + n, loss = 0.0, zi = d->fit_intercept ? 1.0 : 0.0;
    for (size_t i0 = 0; i0 < pt->n; i0 += bmax) {
        size_t b = pt->n - i0 < bmax ? pt->n - i0 : bmax;
        const double *x0 = pt->x + i0 * pt->ld, *w = pt->w ? pt->w + i0 : NULL;
        loss += sh_logreg_block(d, pt, i0, b, mu, g);
        sh_logreg_block_gradient(d, x0, pt->ld, b, g, grad);
        for (size_t i = 0; i < b; i++) {
            double wi = w ? w[i] : 1.0, m = mu[i * rows];
            double a = rows == 1 ? sqrt(wi * m * (1.0 - m)) : 1.0;
            design_row(a, x0 + i * pt->ld, d->centre, d->inv_s, p, z + i * s);
            z[i * s + p] = a * zi;
        }
        add_block(d, b, z, w, mu, u, h);
    }
    stats[0] = loss;
    sh_free(buf);
    return SHEAF_OK;
}
