/* logreg_objective.c - the per-partition statistics of logistic regression:
 * weighted log-loss and its gradient, the binomial Hessian X'WX (for
 * inference), the weighted feature moments (for standardization) and a
 * separation count. Each kernel walks its contiguous row range once; the
 * coordinator sums the partitions with sheaf_exec_map_merge in partition
 * order. The loss is computed stably: log(1 + e^m) as max(m, 0) +
 * log1p(e^-|m|) and the softmax log-sum-exp around the largest margin, as
 * scikit-learn's _loss module and Spark ML's LogisticAggregator do. */
#include "models/logreg_internal.h"

#include <math.h>
#include <string.h>

void sh_logreg_range(const sh_logreg_data *d, size_t part, size_t *lo, size_t *hi)
{
    *lo = (size_t)((unsigned long long)d->n * part / d->n_parts);
    *hi = (size_t)((unsigned long long)d->n * (part + 1) / d->n_parts);
}

static double dot(const double *a, const double *b, size_t p)
{
    double s = 0.0;
    for (size_t j = 0; j < p; j++)
        s += a[j] * b[j];
    return s;
}

/* Fills m[0..rows) with the margins of row xi; inactive classes get -inf. */
static void margins(const sh_logreg_data *d, const double *xi, double *m)
{
    for (size_t r = 0; r < d->rows; r++) {
        const double *b = d->beta + r * (d->p + 1);
        m[r] = (d->active && !d->active[r]) ? -INFINITY : b[d->p] + dot(b, xi, d->p);
    }
}

sheaf_status sh_logreg_loss_map(void *arg, size_t part, double *stats)
{
    const sh_logreg_data *d = arg;
    size_t lo, hi, p = d->p, stride = p + 1;
    sh_logreg_range(d, part, &lo, &hi);
    double *m = d->scratch + part * d->rows, loss = 0.0;
    for (size_t i = lo; i < hi; i++) {
        const double *xi = d->x + i * d->ld;
        double wi = d->w ? d->w[i] : 1.0;
        if (wi == 0.0) continue;
        size_t yi = (size_t)d->y[i];
        margins(d, xi, m);
        if (d->rows == 1) {
            double t = m[0];
            double sp = (t > 0.0 ? t : 0.0) + log1p(exp(-fabs(t)));
            loss += wi * (sp - (yi ? t : 0.0));
            double mu = t >= 0.0 ? 1.0 / (1.0 + exp(-t)) : exp(t) / (1.0 + exp(t));
            m[0] = wi * (mu - (double)yi);
        } else {
            double mx = -INFINITY;
            for (size_t r = 0; r < d->rows; r++)
                if (m[r] > mx) mx = m[r];
            double s = 0.0;
            for (size_t r = 0; r < d->rows; r++)
                s += exp(m[r] - mx);
            double lse = mx + log(s);
            loss += wi * (lse - m[yi]);
            for (size_t r = 0; r < d->rows; r++)
                m[r] = wi * (exp(m[r] - lse) - (r == yi ? 1.0 : 0.0));
        }
        for (size_t r = 0; r < d->rows; r++) {
            double g = m[r], *gr = stats + 1 + r * stride;
            if (g == 0.0) continue;
            for (size_t j = 0; j < p; j++)
                gr[j] += g * xi[j];
            if (d->fit_intercept) gr[p] += g;
        }
    }
    stats[0] = loss;
    return SHEAF_OK;
}

sheaf_status sh_logreg_hessian_map(void *arg, size_t part, double *stats)
{
    const sh_logreg_data *d = arg;
    size_t lo, hi, p = d->p, fi = d->fit_intercept ? 1 : 0, dim = p + fi;
    sh_logreg_range(d, part, &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
        const double *xi = d->x + i * d->ld;
        double wi = d->w ? d->w[i] : 1.0, t;
        if (wi == 0.0) continue;
        margins(d, xi, &t);
        double mu = t >= 0.0 ? 1.0 / (1.0 + exp(-t)) : exp(t) / (1.0 + exp(t));
        double v = wi * mu * (1.0 - mu);
        if (fi) {
            stats[0] += v;
            for (size_t a = 0; a < p; a++)
                stats[(a + 1) * dim] += v * xi[a];
        }
        for (size_t a = 0; a < p; a++) {
            double va = v * xi[a], *row = stats + (a + fi) * dim + fi;
            for (size_t b = 0; b <= a; b++)
                row[b] += va * xi[b];
        }
    }
    return SHEAF_OK;
}

sheaf_status sh_logreg_moments_map(void *arg, size_t part, double *stats)
{
    const sh_logreg_data *d = arg;
    size_t lo, hi, p = d->p;
    sh_logreg_range(d, part, &lo, &hi);
    double *cw = stats + 2, *sx = cw + d->k, *ss = sx + p;
    for (size_t i = lo; i < hi; i++) {
        const double *xi = d->x + i * d->ld;
        double wi = d->w ? d->w[i] : 1.0;
        stats[0] += wi;
        stats[1] += wi * wi;
        cw[(size_t)d->y[i]] += wi;
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
    size_t lo, hi;
    sh_logreg_range(d, part, &lo, &hi);
    double *m = d->scratch + part * d->rows;
    for (size_t i = lo; i < hi; i++) {
        double wi = d->w ? d->w[i] : 1.0;
        if (wi == 0.0) continue;
        size_t yi = (size_t)d->y[i];
        margins(d, d->x + i * d->ld, m);
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
