/* logreg_internal.h - the fitted model's layout and the per-partition
 * statistics shared by the logistic-regression files (logreg_*.c). */
#ifndef SH_MODELS_LOGREG_INTERNAL_H
#define SH_MODELS_LOGREG_INTERNAL_H

#include "core/internal.h"
#include "sheaf_logreg.h"

#include <stddef.h>

#define SH_LOGREG_MAX_INFERENCE 1000

struct sheaf_logreg {
    size_t k, p, rows; /* classes, features, coefficient rows */
    int fit_intercept;
    double threshold;
    double *coef;      /* rows x p, original scale */
    double *intercept; /* rows */
    size_t iterations;
    int converged;
    char reason[32];
    double objective;
    double *history;               /* iterations + 1 objective values */
    sheaf_status inference_status; /* SHEAF_OK when bse/z/pv hold values */
    char inference_error[160];
    double *bse, *z, *pv; /* num_params each (one allocation) */
};

/* The design as the per-partition kernels see it. */
typedef struct sh_logreg_data {
    const double *x, *y, *w;
    size_t n, p, ld, n_parts;
    size_t rows; /* coefficient rows: 1 binomial, k multinomial */
    size_t k;    /* classes */
    int fit_intercept;
    const unsigned char *active; /* multinomial: classes with weight (rows) */
    const double *beta;          /* rows x (p + 1): coefficients, then intercept (original scale) */
    const double *mean;          /* p feature means (moments map, second pass) */
    double *scratch;             /* n_parts x rows margins */
} sh_logreg_data;

/* Rows [lo, hi) of partition part. */
void sh_logreg_range(const sh_logreg_data *d, size_t part, size_t *lo, size_t *hi);

/* Map: stats = [sum w loss, d/dbeta (rows x (p+1))] at d->beta. */
sheaf_status sh_logreg_loss_map(void *arg, size_t part, double *stats);

/* Map: stats = sum w mu (1 - mu) x~ x~' (binomial; x~ = [1, x] with an
 * intercept), dim x dim, dim = p + fit_intercept. */
sheaf_status sh_logreg_hessian_map(void *arg, size_t part, double *stats);

/* Map: stats = [sum w, sum w^2, class weight sums (k), sum w x_j (p),
 * sum w (x_j - mean_j)^2 (p)]; the last block only when d->mean is set. */
sheaf_status sh_logreg_moments_map(void *arg, size_t part, double *stats);

/* Map: stats[0] = weighted rows whose own class does not have the strictly
 * largest margin at d->beta (0 means the fit separates the data). */
sheaf_status sh_logreg_separation_map(void *arg, size_t part, double *stats);

#endif
