/* logreg_metrics.c - the quality of a fitted logistic regression on
 * labelled rows: weighted mean log-loss (from the margins, so a confident
 * right answer costs its exact tiny loss and a class given probability 0
 * costs +inf, never clipped), accuracy under the prediction rule, and the
 * area under the ROC curve as scikit-learn's roc_auc_score computes it
 * (sklearn/metrics/_ranking.py: scores sorted descending, tied scores one
 * step of the curve, trapezoids; multinomial: the unweighted mean of the
 * one-vs-rest areas). Scores are the probabilities, so rows whose margins
 * differ but whose probabilities round to the same double tie, as they do
 * for a user scoring predict_proba. Per-partition sums merge in partition
 * order; each class's scores are radix-sorted (src/data/partition_radix.c).
 * A multinomial model scores every class in one pass when rows x classes
 * fits SCORES_AT_ONCE keys, else one class per pass (memory O(rows)); the
 * multinomial area is computed for up to AUC_MAX_CLASSES classes. */
#include "data/feature_internal.h"
#include "data/partition_internal.h"
#include "models/logreg_internal.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define AUC_MAX_CLASSES 64
#define SCORES_AT_ONCE ((size_t)1 << 24) /* 16M keys: 192 MiB with rows */

typedef struct metrics_job {
    const sheaf_logreg *m;
    const sh_logreg_part *parts;
    const size_t *offset; /* first global row of each partition */
    size_t block;         /* rows per block */
    double *buf;          /* n_parts x block x (rows + k) */
    size_t n;             /* rows over all partitions */
    size_t cls, ncls;     /* classes cls .. cls + ncls - 1 are scored into key */
    uint64_t *key;        /* ncls slices of n: P(class) keys; NULL: sums only */
    uint32_t *row;        /* the row of each key */
    double *wt;           /* n weights */
    uint32_t *label;      /* n labels */
} metrics_job;

/* Loss and probabilities of one row from its margins mg into pr (k). */
static double row_loss(const sheaf_logreg *m, size_t yi, const double *mg, double *pr)
{
    if (m->rows == 1) { /* one exp serves the probability and the loss */
        double t = mg[0], e = exp(-fabs(t));
        pr[1] = t >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        pr[0] = 1.0 - pr[1];
        double own = yi ? -t : t; /* loss = softplus(own) */
        return (own > 0.0 ? own : 0.0) + log1p(e);
    }
    sh_logreg_model_proba(m, mg, pr);
    double mx = -INFINITY, s = 0.0;
    for (size_t r = 0; r < m->rows; r++)
        mx = mg[r] > mx ? mg[r] : mx;
    for (size_t r = 0; r < m->rows; r++)
        s += exp(mg[r] - mx);
    return mx + log(s) - mg[yi];
}

/* stats = [sum w loss, sum w correct, sum w]; with job->key, the scores of
 * the job's classes, the weight and the label of every row. Rows go in
 * blocks, margins first, so the dot products of a block overlap. */
static sheaf_status metrics_map(void *arg, size_t part, double *stats)
{
    const metrics_job *job = arg;
    const sheaf_logreg *m = job->m;
    const sh_logreg_part *pt = job->parts + part;
    size_t bmax = job->block, rows = m->rows;
    double *mg = job->buf + part * bmax * (rows + m->k), *pr = mg + bmax * rows;
    for (size_t i0 = 0; i0 < pt->n; i0 += bmax) {
        size_t b = pt->n - i0 < bmax ? pt->n - i0 : bmax;
        for (size_t i = 0; i < b; i++)
            sh_logreg_model_margins(m, pt->x + (i0 + i) * pt->ld, mg + i * rows);
        for (size_t i = 0; i < b; i++) {
            double wi = pt->w ? pt->w[i0 + i] : 1.0, *pi = pr + i * m->k;
            size_t yi = (size_t)pt->y[i0 + i];
            double loss = row_loss(m, yi, mg + i * rows, pi);
            if (wi != 0.0) {
                stats[0] += wi * loss;
                stats[1] += sh_logreg_predict_row(m, pi) == yi ? wi : 0.0;
                stats[2] += wi;
            }
            if (job->key) {
                size_t g = job->offset[part] + i0 + i;
                for (size_t c = 0; c < job->ncls; c++) {
                    job->key[c * job->n + g] = sh_order_key_f64(pi[job->cls + c]);
                    job->row[c * job->n + g] = (uint32_t)g;
                }
                job->wt[g] = wi;
                job->label[g] = (uint32_t)yi;
            }
        }
    }
    return SHEAF_OK;
}

/* Area under the ROC curve of class cls from its scores sorted ascending
 * (key, row). */
static double area(const uint64_t *key, const uint32_t *row, const double *wt,
                   const uint32_t *label, size_t cls, size_t n)
{
    double tp = 0.0, fp = 0.0, tp_prev = 0.0, fp_prev = 0.0, sum = 0.0;
    for (size_t i = n; i-- > 0;) {
        uint32_t g = row[i];
        if (label[g] == cls)
            tp += wt[g];
        else
            fp += wt[g];
        if (i == 0 || key[i - 1] != key[i]) {
            sum += (fp - fp_prev) * (tp + tp_prev) * 0.5;
            tp_prev = tp;
            fp_prev = fp;
        }
    }
    return tp > 0.0 && fp > 0.0 ? sum / (tp * fp) : NAN;
}

sheaf_status sh_logreg_metrics(const sheaf_ctx *ctx, const sheaf_logreg *m,
                               const sh_logreg_part *parts, size_t n_parts, const char *caller,
                               sheaf_logreg_metrics *out)
{
    size_t n = 0;
    for (size_t q = 0; q < n_parts; q++)
        n += parts[q].n;
    int with_auc = n <= UINT32_MAX && (m->rows == 1 || m->k <= AUC_MAX_CLASSES);
    size_t n_areas = m->rows == 1 ? 1 : m->k;
    /* every class's scores in one pass when they fit in SCORES_AT_ONCE */
    size_t per_pass = m->rows == 1 || n * m->k > SCORES_AT_ONCE ? 1 : m->k;
    size_t nk = with_auc ? n * per_pass : 0, nw = with_auc ? n : 0;
    metrics_job job = {m,    parts, NULL, sh_logreg_block_rows(m->rows + m->k),
                       NULL, n,     0,    per_pass,
                       NULL, NULL,  NULL, NULL};
    size_t *offset = sh_malloc_array(n_parts + 1, sizeof(size_t));
    job.buf = sh_malloc_array(n_parts * job.block * (m->rows + m->k) + 1, sizeof(double));
    /* huge-page advised: first touches of fresh pages cost more than the scoring */
    uint64_t *key = sh_malloc_large((nk + nw + 1) * sizeof(uint64_t));
    uint32_t *row = sh_malloc_large((nk + nw + 1) * sizeof(uint32_t));
    double *wt = sh_malloc_large((nw + 1) * sizeof(double));
    uint32_t *label = sh_malloc_large((nw + 1) * sizeof(uint32_t));
    sheaf_status st = SHEAF_OK;
    if (!offset || !job.buf || !key || !row || !wt || !label) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for the metrics of %zu rows", caller, n);
        goto done;
    }
    offset[0] = 0;
    for (size_t q = 0; q < n_parts; q++)
        offset[q + 1] = offset[q] + parts[q].n;
    job.offset = offset;
    if (with_auc) {
        job.key = key;
        job.row = row;
        job.wt = wt;
        job.label = label;
    }
    double sums[3] = {0.0, 0.0, 0.0}, auc = 0.0;
    for (size_t c0 = 0; c0 < (with_auc ? n_areas : 1); c0 += per_pass) {
        double pass[3] = {0.0, 0.0, 0.0};
        job.cls = m->rows == 1 ? 1 : c0;
        st = sheaf_exec_map_merge(ctx, n_parts, 3, metrics_map, NULL, &job, pass);
        if (st != SHEAF_OK) goto done;
        if (c0 == 0) memcpy(sums, pass, sizeof sums);
        if (!with_auc) break;
        for (size_t c = 0; c < per_pass; c++) {
            uint64_t *kc = key + c * n;
            uint32_t *rc = row + c * n;
            if (!sh_radix_sort_pairs(kc, rc, key + nk, row + nk, n, 64, sheaf_ctx_threads(ctx))) {
                st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory sorting %zu scores", caller, n);
                goto done;
            }
            auc += area(kc, rc, wt, label, job.cls + c, n);
        }
    }
    out->log_loss = sums[0] / sums[2];
    out->accuracy = sums[1] / sums[2];
    out->auc = with_auc ? auc / (double)n_areas : NAN;
    out->weight_sum = sums[2];
done:
    sh_free(offset);
    sh_free(job.buf);
    sh_free(key);
    sh_free(row);
    sh_free(wt);
    sh_free(label);
    return st;
}

sheaf_status sheaf_logreg_evaluate(const sheaf_ctx *ctx, const sheaf_logreg *m, const double *x,
                                   size_t n_rows, size_t ld, const double *y, const double *weights,
                                   sheaf_logreg_metrics *out)
{
    static const char fn[] = "sheaf_logreg_evaluate";
    sheaf_status st = sh_logreg_check_x(fn, m, x, n_rows, ld, (const double *)out);
    if (st != SHEAF_OK) return st;
    if (!y) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: y is NULL", fn);
    if (n_rows == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: n_rows = 0 (empty input)", fn);
    for (size_t i = 0; i < n_rows; i++) {
        double yi = y[i], wi = weights ? weights[i] : 1.0;
        if (!(yi >= 0.0 && yi < (double)m->k && yi == floor(yi)))
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: label y at row %zu is %g; labels must be integers 0..%zu", fn, i,
                           yi, m->k - 1);
        if (!isfinite(wi) || wi < 0.0)
            return sh_fail(isfinite(wi) ? SHEAF_ERR_INVALID_ARGUMENT : SHEAF_ERR_NONFINITE,
                           "%s: weight at row %zu is %g (need finite, >= 0)", fn, i, wi);
    }
    size_t n_parts = sheaf_ctx_partitions(ctx);
    if (n_parts == 0) n_parts = 1;
    sh_logreg_part *parts = sh_calloc(n_parts, sizeof *parts);
    if (!parts)
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu partitions", fn, n_parts);
    sh_logreg_split_rows(x, n_rows, ld, y, weights, n_parts, parts);
    st = sh_logreg_metrics(ctx, m, parts, n_parts, fn, out);
    sh_free(parts);
    if (st == SHEAF_OK && !(out->weight_sum > 0.0))
        st = sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: the weights sum to %g (need > 0)", fn,
                     out->weight_sum);
    return st;
}
