/* logreg_internal.h - the fitted model's layout and the per-partition
 * statistics shared by the logistic-regression files (logreg_*.c). */
#ifndef SH_MODELS_LOGREG_INTERNAL_H
#define SH_MODELS_LOGREG_INTERNAL_H

#include "core/internal.h"
#include "sheaf_logreg.h"

#include <stddef.h>
#include <string.h>

#define SH_LOGREG_MAX_INFERENCE 1000

struct sheaf_logreg {
    size_t k, p, rows;  /* classes, features, coefficient rows */
    const char *solver; /* static string */
    sheaf_logreg_metrics summary;
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

/* One partition's rows: x (n x p, leading dimension ld), labels, weights
 * (NULL: all 1). */
typedef struct sh_logreg_part {
    const double *x, *y, *w;
    size_t n, ld;
} sh_logreg_part;

/* Splits n contiguous rows into n_parts equal ranges (partition q holds
 * rows [n q / n_parts, n (q + 1) / n_parts)); w may be NULL. */
void sh_logreg_split_rows(const double *x, size_t n, size_t ld, const double *y, const double *w,
                          size_t n_parts, sh_logreg_part *parts);

/* The design as the per-partition kernels see it. */
typedef struct sh_logreg_data {
    const sh_logreg_part *parts;
    size_t n_parts, p;
    size_t rows; /* coefficient rows: 1 binomial, k multinomial */
    size_t k;    /* classes */
    int fit_intercept;
    const unsigned char *active; /* multinomial: classes with weight (rows) */
    const double *beta;          /* rows x (p + 1): coefficients, then intercept (original scale) */
    const double *mean;          /* p feature means (spread map) */
    /* Newton map: the optimizer's coordinates are theta_j = beta_j / inv_s_j
     * for features centred at centre (intercept theta_p); p values each. */
    const double *centre, *inv_s;
    double *scratch; /* n_parts x sh_logreg_block_rows(rows) x rows margins */
} sh_logreg_data;

/* Map: stats = [sum w loss, d/dbeta (rows x (p+1)), H] where H is the
 * Hessian of the summed loss in the optimizer's coordinates, n x n with
 * n = rows (p + 1), lower triangle (the intercept coordinate has z = 0
 * without an intercept; inactive classes have zero blocks). */
sheaf_status sh_logreg_newton_map(void *arg, size_t part, double *stats);

/* Map: stats = [sum w loss, d/dbeta (rows x (p+1))] at d->beta. */
sheaf_status sh_logreg_loss_map(void *arg, size_t part, double *stats);

/* Map: stats = the weight of each class (k values). */
sheaf_status sh_logreg_class_weights_map(void *arg, size_t part, double *stats);

/* Map: stats = sum w (x_j - d->mean_j)^2 (p values). */
sheaf_status sh_logreg_spread_map(void *arg, size_t part, double *stats);

/* y += g x over p values (vectorized). */
void sh_axpy(double g, const double *x, double *y, size_t p);

/* Map: stats[0] = weighted rows whose own class does not have the strictly
 * largest margin at d->beta (0 means the fit separates the data). */
sheaf_status sh_logreg_separation_map(void *arg, size_t part, double *stats);

/* Two-lane vectors (GCC's vector extension, SSE2 on x86-64) for the row
 * kernels: partial sums in a fixed order, so results depend only on the
 * inputs and never on the thread count, at vector speed without -O3. */
typedef double sh_v2d __attribute__((vector_size(16)));

static inline sh_v2d sh_load2(const double *p)
{
    sh_v2d v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void sh_store2(double *p, sh_v2d v) { memcpy(p, &v, sizeof v); }

/* a . b over p values, vectorized in a fixed summation order. */
double sh_logreg_dot(const double *a, const double *b, size_t p);

/* Fills m[0..rows) with the margins b_r + x . w_r of row xi (inactive
 * classes: -inf) for coefficients beta (rows x (p + 1)). */
void sh_logreg_margins(const sh_logreg_data *d, const double *xi, double *m);

/* Rows per block of the loss kernel: 64, fewer for many classes. */
size_t sh_logreg_block_rows(size_t rows);

/* The unweighted loss of a row with label yi from its margins in mu
 * (rows values), which become the probabilities (binomial: P(1)). A zero
 * weight row's loss may be inf or NaN: callers skip it. */
double sh_logreg_loss_from_margins(const sh_logreg_data *d, size_t yi, double *mu);

/* Rows [i0, i0 + b) of a partition: mu (b x rows) gets the probabilities,
 * g (b x rows; may be mu) the residuals w (mu - onehot(y)) (0 for zero
 * weights); returns the weighted loss of the block. */
double sh_logreg_block(const sh_logreg_data *d, const sh_logreg_part *pt, size_t i0, size_t b,
                       double *mu, double *g);

/* grad (rows x (p + 1)) += sum_i g_i [x_i, 1] over b rows x (leading
 * dimension ld), g being b x rows. */
void sh_logreg_block_gradient(const sh_logreg_data *d, const double *x, size_t ld, size_t b,
                              const double *g, double *grad);

/* The logistic function 1 / (1 + e^-t) without overflow. */
double sh_logreg_sigmoid(double t);

/* The model's margins (rows values) of row xi. */
void sh_logreg_model_margins(const sheaf_logreg *m, const double *xi, double *out);
/* Probabilities pr (k values) from margins mg (rows values); pr may be mg
 * for multinomial models. */
void sh_logreg_model_proba(const sheaf_logreg *m, const double *mg, double *pr);
/* The class predicted from probabilities pr (binomial: Spark's threshold
 * rule; multinomial: the largest, lowest index on ties). */
size_t sh_logreg_predict_row(const sheaf_logreg *m, const double *pr);

/* The prediction functions' input check (statuses as documented there). */
sheaf_status sh_logreg_check_x(const char *fn, const sheaf_logreg *m, const double *x, size_t n,
                               size_t ld, const double *out);

/* Metrics of the model m on the partitions parts[0..n_parts) (labels
 * checked by the caller), in parallel. NOMEM. */
sheaf_status sh_logreg_metrics(const sheaf_ctx *ctx, const sheaf_logreg *m,
                               const sh_logreg_part *parts, size_t n_parts, const char *caller,
                               sheaf_logreg_metrics *out);

#endif
