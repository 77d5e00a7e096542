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

size_t sh_logreg_block_rows(size_t rows)
{
    size_t b = 4096 / rows;
    return b < 1 ? 1 : b > 64 ? 64 : b;
}

double sh_logreg_loss_from_margins(const sh_logreg_data *d, size_t yi, double *mu)
{
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

/* grad (rows x (p + 1)) += sum_i g_i [x_i, 1] over the b rows of a block,
 * g being b x rows. Eight columns at a time in registers, so the update is
 * stored once per block, not once per row. */
void sh_logreg_block_gradient(const sh_logreg_data *d, const double *x, size_t ld, size_t b,
                              const double *g, double *grad)
{
    size_t p = d->p, rows = d->rows, stride = p + 1;
    for (size_t r = 0; r < rows; r++) {
        double *gr = grad + r * stride;
        size_t j = 0;
        for (; j + 8 <= p; j += 8) {
            sh_v2d a0 = {0.0, 0.0}, a1 = a0, a2 = a0, a3 = a0;
            for (size_t i = 0; i < b; i++) {
                double gi = g[i * rows + r];
                sh_v2d gv = {gi, gi};
                const double *xi = x + i * ld + j;
                a0 += gv * sh_load2(xi);
                a1 += gv * sh_load2(xi + 2);
                a2 += gv * sh_load2(xi + 4);
                a3 += gv * sh_load2(xi + 6);
            }
            sh_store2(gr + j, sh_load2(gr + j) + a0);
            sh_store2(gr + j + 2, sh_load2(gr + j + 2) + a1);
            sh_store2(gr + j + 4, sh_load2(gr + j + 4) + a2);
            sh_store2(gr + j + 6, sh_load2(gr + j + 6) + a3);
        }
        for (; j < p; j++) {
            double a = 0.0;
            for (size_t i = 0; i < b; i++)
                a += g[i * rows + r] * x[i * ld + j];
            gr[j] += a;
        }
        if (d->fit_intercept) {
            double a = 0.0;
            for (size_t i = 0; i < b; i++)
                a += g[i * rows + r];
            gr[p] += a;
        }
    }
}

double sh_logreg_block(const sh_logreg_data *d, const sh_logreg_part *pt, size_t i0, size_t b,
                       double *mu, double *g)
{
    size_t rows = d->rows;
    for (size_t i = 0; i < b; i++)
        sh_logreg_margins(d, pt->x + (i0 + i) * pt->ld, mu + i * rows);
    double loss = 0.0;
    for (size_t i = 0; i < b; i++) {
        double wi = pt->w ? pt->w[i0 + i] : 1.0, *mi = mu + i * rows, *gi = g + i * rows;
        size_t yi = (size_t)pt->y[i0 + i];
        double li = sh_logreg_loss_from_margins(d, yi, mi);
        loss += wi == 0.0 ? 0.0 : wi * li;
        for (size_t r = 0; r < rows; r++) {
            double own = (rows == 1 ? yi == 1 : r == yi) ? 1.0 : 0.0;
            gi[r] = wi == 0.0 ? 0.0 : wi * (mi[r] - own);
        }
    }
    return loss;
}

/* Rows go in blocks (sh_logreg_block, then the gradient update): row by
 * row, each update waits for its own dot product and exp; across a block
 * those chains are independent and overlap, while the block's rows stay in
 * cache. */
sheaf_status sh_logreg_loss_map(void *arg, size_t part, double *stats)
{
    const sh_logreg_data *d = arg;
    const sh_logreg_part *pt = d->parts + part;
    size_t rows = d->rows, bmax = sh_logreg_block_rows(rows);
    double *mu = d->scratch + part * bmax * rows, loss = 0.0;
    for (size_t i0 = 0; i0 < pt->n; i0 += bmax) {
        size_t b = pt->n - i0 < bmax ? pt->n - i0 : bmax;
        loss += sh_logreg_block(d, pt, i0, b, mu, mu);
        sh_logreg_block_gradient(d, pt->x + i0 * pt->ld, pt->ld, b, mu, stats + 1);
    }
    stats[0] = loss;
    return SHEAF_OK;
}

void sh_axpy(double g, const double *x, double *y, size_t p)
{
    sh_v2d gv = {g, g};
    size_t j = 0;
    for (; j + 2 <= p; j += 2)
        sh_store2(y + j, sh_load2(y + j) + gv * sh_load2(x + j));
    for (; j < p; j++)
        y[j] += g * x[j];
}

sheaf_status sh_logreg_class_weights_map(void *arg, size_t part, double *stats)
{
    const sh_logreg_data *d = arg;
    const sh_logreg_part *pt = d->parts + part;
    for (size_t i = 0; i < pt->n; i++)
        stats[(size_t)pt->y[i]] += pt->w ? pt->w[i] : 1.0;
    return SHEAF_OK;
}

sheaf_status sh_logreg_spread_map(void *arg, size_t part, double *stats)
{
    const sh_logreg_data *d = arg;
    const sh_logreg_part *pt = d->parts + part;
    for (size_t i = 0; i < pt->n; i++) {
        const double *xi = pt->x + i * pt->ld;
        double wi = pt->w ? pt->w[i] : 1.0;
        for (size_t j = 0; j < d->p; j++) {
            double c = xi[j] - d->mean[j];
            stats[j] += wi * c * c;
        }
    }
    return SHEAF_OK;
}

sheaf_status sh_logreg_separation_map(void *arg, size_t part, double *stats)
{
    const sh_logreg_data *d = arg;
    const sh_logreg_part *pt = d->parts + part;
    double *m = d->scratch + part * sh_logreg_block_rows(d->rows) * d->rows;
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
