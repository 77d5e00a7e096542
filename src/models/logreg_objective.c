/* logreg_objective.c - the per-partition statistics of logistic regression:
 * weighted log-loss and its gradient, the weighted feature moments (for standardization) and a
 * separation count. Each kernel walks its partition's rows once; the
 * coordinator sums the partitions with sheaf_exec_map_merge in partition
 * order. The loss is computed stably: log(1 + e^m) as max(m, 0) +
 * log1p(e^-|m|) and the softmax log-sum-exp around the largest margin, as
 * scikit-learn's _loss module and Spark ML's LogisticAggregator do. The
 * Newton statistics (loss, gradient and Hessian in one pass) are in
 * logreg_newton.c. */
#include "models/logreg_internal.h"

#include <math.h>
#include <string.h>

void sh_logreg_split_rows(const double *x, size_t n, size_t ld, const double *y, const double *w,
                          size_t n_parts, sh_logreg_part *parts)
{
    for (size_t q = 0; q < n_parts; q++) {
        size_t lo = (size_t)((unsigned long long)n * q / n_parts);
        size_t hi = (size_t)((unsigned long long)n * (q + 1) / n_parts);
        parts[q] = (sh_logreg_part){x ? x + lo * ld : NULL, y + lo, w ? w + lo : NULL, hi - lo, ld};
    }
}

double sh_logreg_dot(const double *a, const double *b, size_t p)
{
    sh_v2d s0 = {0.0, 0.0}, s1 = s0, s2 = s0, s3 = s0;
    size_t j = 0;
    for (; j + 8 <= p; j += 8) {
        s0 += sh_load2(a + j) * sh_load2(b + j);
        s1 += sh_load2(a + j + 2) * sh_load2(b + j + 2);
        s2 += sh_load2(a + j + 4) * sh_load2(b + j + 4);
        s3 += sh_load2(a + j + 6) * sh_load2(b + j + 6);
    }
    for (; j + 2 <= p; j += 2)
        s0 += sh_load2(a + j) * sh_load2(b + j);
    sh_v2d s = (s0 + s1) + (s2 + s3);
    double t = s[0] + s[1];
    for (; j < p; j++)
        t += a[j] * b[j];
    return t;
}

/* y += g x over p values. */
static void axpy(double g, const double *x, double *y, size_t p)
{
    sh_v2d gv = {g, g};
    size_t j = 0;
    for (; j + 2 <= p; j += 2)
        sh_store2(y + j, sh_load2(y + j) + gv * sh_load2(x + j));
    for (; j < p; j++)
        y[j] += g * x[j];
}

void sh_logreg_margins(const sh_logreg_data *d, const double *xi, double *m)
{
    for (size_t r = 0; r < d->rows; r++) {
        const double *b = d->beta + r * (d->p + 1);
        m[r] = (d->active && !d->active[r]) ? -INFINITY : b[d->p] + sh_logreg_dot(b, xi, d->p);
    }
}

double sh_logreg_sigmoid(double t)
{
    double e = exp(-fabs(t));
    return t >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
}

double sh_logreg_row(const sh_logreg_data *d, const double *xi, size_t yi, double *mu)
{
    sh_logreg_margins(d, xi, mu);
    if (d->rows == 1) {
        double t = mu[0], e = exp(-fabs(t)); /* one exp for both */
        mu[0] = t >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        return (t > 0.0 ? t : 0.0) + log1p(e) - (yi ? t : 0.0);
    }
    double mx = -INFINITY;
    for (size_t r = 0; r < d->rows; r++)
        if (mu[r] > mx) mx = mu[r];
    double s = 0.0;
    for (size_t r = 0; r < d->rows; r++)
        s += exp(mu[r] - mx);
    double lse = mx + log(s), own = mu[yi];
    for (size_t r = 0; r < d->rows; r++)
        mu[r] = exp(mu[r] - lse);
    return lse - own;
}

void sh_logreg_add_gradient(const sh_logreg_data *d, const double *xi, double wi, size_t yi,
                            const double *mu, double *grad)
{
    size_t p = d->p, stride = p + 1;
    for (size_t r = 0; r < d->rows; r++) {
        double g = wi * (mu[r] - ((d->rows == 1 ? yi == 1 : r == yi) ? 1.0 : 0.0));
        if (g == 0.0) continue;
        double *gr = grad + r * stride;
        axpy(g, xi, gr, p);
        if (d->fit_intercept) gr[p] += g;
    }
}

sheaf_status sh_logreg_loss_map(void *arg, size_t part, double *stats)
{
    const sh_logreg_data *d = arg;
    const sh_logreg_part *pt = d->parts + part;
    double *mu = d->scratch + part * d->rows, loss = 0.0;
    for (size_t i = 0; i < pt->n; i++) {
        double wi = pt->w ? pt->w[i] : 1.0;
        if (wi == 0.0) continue;
        const double *xi = pt->x + i * pt->ld;
        size_t yi = (size_t)pt->y[i];
        loss += wi * sh_logreg_row(d, xi, yi, mu);
        sh_logreg_add_gradient(d, xi, wi, yi, mu, stats + 1);
    }
    stats[0] = loss;
    return SHEAF_OK;
}

sheaf_status sh_logreg_moments_map(void *arg, size_t part, double *stats)
{
    const sh_logreg_data *d = arg;
    const sh_logreg_part *pt = d->parts + part;
    size_t p = d->p;
    double *cw = stats + 2, *sx = cw + d->k, *ss = sx + p;
    for (size_t i = 0; i < pt->n; i++) {
        const double *xi = pt->x + i * pt->ld;
        double wi = pt->w ? pt->w[i] : 1.0;
        stats[0] += wi;
        stats[1] += wi * wi;
        cw[(size_t)pt->y[i]] += wi;
        if (d->mean) {
            for (size_t j = 0; j < p; j++) {
                double c = xi[j] - d->mean[j];
                ss[j] += wi * c * c;
            }
        } else {
            for (size_t j = 0; j < p; j++)
                sx[j] += wi * xi[j];
        }
    }
    return SHEAF_OK;
}

sheaf_status sh_logreg_separation_map(void *arg, size_t part, double *stats)
{
    const sh_logreg_data *d = arg;
    const sh_logreg_part *pt = d->parts + part;
    double *m = d->scratch + part * d->rows;
    for (size_t i = 0; i < pt->n; i++) {
        double wi = pt->w ? pt->w[i] : 1.0;
        if (wi == 0.0) continue;
        size_t yi = (size_t)pt->y[i];
        sh_logreg_margins(d, pt->x + i * pt->ld, m);
        int strict;
        if (d->rows == 1) {
            strict = yi ? m[0] > 0.0 : m[0] < 0.0;
        } else {
            strict = 1;
            for (size_t r = 0; r < d->rows && strict; r++)
                if (r != yi && !(m[r] < m[yi])) strict = 0;
        }
        if (!strict) stats[0] += 1.0;
    }
    return SHEAF_OK;
}
