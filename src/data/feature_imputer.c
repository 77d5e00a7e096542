/* feature_imputer.c - the imputer: each column's missing values filled with
 * its mean, exact median or mode.
 *
 * Mirrors Spark 3's Imputer (mllib/src/main/scala/org/apache/spark/ml/
 * feature/Imputer.scala: NaN and null are missing; strategy mean, median or
 * mode, the mode being the smallest of the most frequent values), except
 * that the median is exact - pandas' Series.median (numpy's nanmedian: the
 * mean of the two middle values for an even count) - where Spark's is
 * approximate. Mean: merged moments (feature_moments.c). Median: every
 * partition sorts its present values into its own run; the coordinator
 * selects the middle one(s) across the runs (feature_order.c). Mode: every
 * partition compresses its sorted run to (value, count) pairs; the
 * coordinator merges the pair lists in a tree over partition indices and
 * takes the largest count, the smallest value on ties. */
#include "data/feature_internal.h"

#include <string.h>

typedef struct runs_job {
    const sheaf_frame *in;
    const sh_column *col;
    bool mode;      /* also compress runs to (key, count) */
    uint64_t *keys; /* run p at in->offsets[p] */
    uint64_t *tmp;
    uint64_t *counts; /* mode: count of keys[i] */
    size_t *len;      /* per partition: keys (or distinct keys for mode) in the run */
} runs_job;

static sheaf_status runs_task(void *arg, size_t p)
{
    const runs_job *job = arg;
    size_t begin = job->in->offsets[p], end = job->in->offsets[p + 1], n = 0;
    const sh_column *c = job->col;
    uint64_t *k = job->keys + begin;
    if (c->type == SHEAF_TYPE_FLOAT64) {
        for (size_t i = begin; i < end; i++)
            if (c->f64[i] == c->f64[i]) k[n++] = sh_order_key_f64(c->f64[i]);
    } else {
        for (size_t i = begin; i < end; i++)
            if (!c->valid || c->valid[i]) k[n++] = sh_order_key_i64(c->i64[i]);
    }
    sh_order_sort(k, job->tmp + begin, n);
    if (job->mode) {
        uint64_t *cnt = job->counts + begin;
        size_t u = 0;
        for (size_t i = 0; i < n; i++) {
            if (u > 0 && k[u - 1] == k[i]) {
                cnt[u - 1]++;
                continue;
            }
            k[u] = k[i];
            cnt[u++] = 1;
        }
        n = u;
    }
    job->len[p] = n;
    return SHEAF_OK;
}

/* Merges the (key, count) lists of partitions in a tree over partition
 * indices into partition 0's run; tmp and ctmp hold each merge. */
static void merge_counts(runs_job *job, uint64_t *ctmp)
{
    const size_t *at = job->in->offsets;
    size_t np = job->in->n_partitions;
    for (size_t step = 1; step < np; step *= 2) {
        for (size_t p = 0; p + step < np; p += 2 * step) {
            size_t q = p + step, i = at[p], j = at[q], ie = at[p] + job->len[p],
                   je = at[q] + job->len[q], o = at[p];
            while (i < ie || j < je) {
                if (j == je || (i < ie && job->keys[i] < job->keys[j])) {
                    job->tmp[o] = job->keys[i];
                    ctmp[o++] = job->counts[i++];
                } else if (i == ie || job->keys[j] < job->keys[i]) {
                    job->tmp[o] = job->keys[j];
                    ctmp[o++] = job->counts[j++];
                } else {
                    job->tmp[o] = job->keys[i];
                    ctmp[o++] = job->counts[i++] + job->counts[j++];
                }
            }
            job->len[p] = o - at[p];
            memcpy(job->keys + at[p], job->tmp + at[p], job->len[p] * sizeof *job->keys);
            memcpy(job->counts + at[p], ctmp + at[p], job->len[p] * sizeof *job->counts);
        }
    }
}

/* The median or mode of column c, as the key of a value (median: two keys,
 * the lower and upper middle). */
static sheaf_status order_statistic(const sheaf_ctx *ctx, runs_job *job, uint64_t *ctmp,
                                    size_t *work, const char *caller, uint64_t *lower,
                                    uint64_t *upper)
{
    sheaf_status st = sheaf_exec_for(ctx, job->in->n_partitions, runs_task, job);
    if (st != SHEAF_OK) return st;
    size_t np = job->in->n_partitions, total = 0;
    for (size_t p = 0; p < np; p++)
        total += job->len[p];
    if (total == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: column '%s' has no present value", caller,
                       job->col->name);
    if (job->mode) {
        merge_counts(job, ctmp);
        size_t best = 0;
        for (size_t i = 1; i < job->len[0]; i++)
            if (job->counts[i] > job->counts[best]) best = i; /* strict: smallest value on ties */
        *lower = *upper = job->keys[best];
        return SHEAF_OK;
    }
    *lower = sh_order_select(job->keys, job->in->offsets, job->len, np, (total - 1) / 2, work);
    *upper = total % 2
                 ? *lower
                 : sh_order_select(job->keys, job->in->offsets, job->len, np, total / 2, work);
    return SHEAF_OK;
}

static sheaf_status fit_orders(const sheaf_ctx *ctx, const sheaf_frame *in, const size_t *idx,
                               sheaf_stage *s, const char *caller)
{
    size_t n = in->n_rows ? in->n_rows : 1, np = in->n_partitions;
    bool mode = s->strategy == SHEAF_IMPUTE_MODE;
    runs_job job = {in, NULL, mode, NULL, NULL, NULL, NULL};
    uint64_t *ctmp = NULL;
    size_t *work = sh_malloc_array(np, 4 * sizeof *work);
    job.len = sh_calloc(np, sizeof *job.len);
    job.keys = sh_malloc_large(n * sizeof *job.keys);
    job.tmp = sh_malloc_large(n * sizeof *job.tmp);
    if (mode) {
        job.counts = sh_malloc_large(n * sizeof *job.counts);
        ctmp = sh_malloc_large(n * sizeof *ctmp);
    }
    sheaf_status st = SHEAF_OK;
    if (!work || !job.len || !job.keys || !job.tmp || (mode && (!job.counts || !ctmp))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory sorting %zu rows", caller, in->n_rows);
        goto done;
    }
    for (size_t j = 0; j < s->n_columns && st == SHEAF_OK; j++) {
        job.col = &in->cols[idx[j]];
        uint64_t lo = 0, hi = 0;
        if ((st = order_statistic(ctx, &job, ctmp, work, caller, &lo, &hi)) != SHEAF_OK) break;
        if (job.col->type == SHEAF_TYPE_FLOAT64) {
            s->a[j] = lo == hi ? sh_order_f64(lo) : (sh_order_f64(lo) + sh_order_f64(hi)) / 2;
        } else {
            int64_t a = sh_order_i64(lo), b = sh_order_i64(hi);
            s->a[j] = a == b ? (double)a : ((double)a + (double)b) / 2;
            if (mode) {
                s->a_int[j] = a;
                s->is_int[j] = 1;
            }
        }
    }
done:
    sh_free(work);
    sh_free(job.len);
    sh_free(job.keys);
    sh_free(job.tmp);
    sh_free(job.counts);
    sh_free(ctmp);
    return st;
}

sheaf_status sheaf_imputer_fit(const sheaf_ctx *ctx, const sheaf_frame *in,
                               const char *const *columns, size_t n, sheaf_impute_strategy strategy,
                               sheaf_stage **out)
{
    static const char caller[] = "sheaf_imputer_fit";
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", caller);
    *out = NULL;
    if (!in) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: frame is NULL", caller);
    if ((unsigned)strategy > SHEAF_IMPUTE_MODE)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: unknown strategy %d", caller,
                       (int)strategy);
    sheaf_stage *s = NULL;
    size_t *idx = NULL;
    double *m = NULL;
    sheaf_status st = sh_stage_new(SHEAF_STAGE_IMPUTER, columns, n, caller, &s);
    if (st != SHEAF_OK) return st;
    s->strategy = strategy;
    idx = sh_malloc_array(n, sizeof *idx);
    s->a = sh_calloc(n, sizeof *s->a);
    s->a_int = sh_calloc(n, sizeof *s->a_int);
    s->is_int = sh_calloc(n, sizeof *s->is_int);
    if (!idx || !s->a || !s->a_int || !s->is_int) goto nomem;
    if ((st = sh_feature_numeric_columns(in, columns, n, caller, idx)) != SHEAF_OK) goto done;
    if (strategy == SHEAF_IMPUTE_MEAN) {
        if (!(m = sh_malloc_array(n, SH_MOMENTS * sizeof *m))) goto nomem;
        if ((st = sh_feature_moments(ctx, in, idx, n, caller, m)) != SHEAF_OK) goto done;
        for (size_t j = 0; j < n; j++)
            s->a[j] = m[j * SH_MOMENTS + 1];
    } else {
        st = fit_orders(ctx, in, idx, s, caller);
    }
done:
    sh_free(idx);
    sh_free(m);
    if (st != SHEAF_OK) {
        sheaf_stage_free(s);
        s = NULL;
    }
    *out = s;
    return st;
nomem:
    st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
    goto done;
}

/* ---- transform ------------------------------------------------------------- */

typedef struct fill_job {
    const sheaf_frame *in;
    const size_t *idx;
    const sheaf_stage *s;
    sh_column *outs;
} fill_job;

static sheaf_status fill_task(void *arg, size_t p)
{
    const fill_job *job = arg;
    size_t begin = job->in->offsets[p], end = job->in->offsets[p + 1];
    for (size_t j = 0; j < job->s->n_columns; j++) {
        const sh_column *c = &job->in->cols[job->idx[j]];
        sh_column *o = &job->outs[j];
        if (o->type == SHEAF_TYPE_INT64) {
            int64_t fill = job->s->a_int[j];
            for (size_t i = begin; i < end; i++)
                o->i64[i] = !c->valid || c->valid[i] ? c->i64[i] : fill;
            continue;
        }
        double fill = job->s->a[j];
        for (size_t i = begin; i < end; i++) {
            double x = sh_feature_value(c, i);
            o->f64[i] = x == x ? x : fill;
        }
    }
    return SHEAF_OK;
}

sheaf_status sh_imputer_transform(const sheaf_ctx *ctx, const sheaf_stage *s, const sheaf_frame *in,
                                  sheaf_frame **out)
{
    static const char caller[] = "sheaf_stage_transform";
    size_t n = s->n_columns;
    size_t *idx = sh_malloc_array(n, sizeof *idx);
    sh_column *repl = sh_calloc(in->n_cols ? in->n_cols : 1, sizeof *repl);
    sh_column *outs = sh_calloc(n, sizeof *outs);
    sheaf_status st = SHEAF_OK;
    if (!idx || !repl || !outs) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
        goto done;
    }
    st = sh_feature_numeric_columns(in, (const char *const *)s->columns, n, caller, idx);
    for (size_t j = 0; st == SHEAF_OK && j < n; j++) {
        bool keep_int = s->is_int[j] && in->cols[idx[j]].type == SHEAF_TYPE_INT64;
        st = sh_column_alloc(&outs[j], s->columns[j],
                             keep_int ? SHEAF_TYPE_INT64 : SHEAF_TYPE_FLOAT64, SHEAF_TIME_NS,
                             in->n_rows, caller);
    }
    if (st != SHEAF_OK) goto done;
    fill_job job = {in, idx, s, outs};
    if ((st = sheaf_exec_for(ctx, in->n_partitions, fill_task, &job)) != SHEAF_OK) goto done;
    for (size_t j = 0; j < n; j++) {
        sh_column_settle_validity(&outs[j], in->n_rows); /* nothing is missing any more */
        repl[idx[j]] = outs[j];
        outs[j] = (sh_column){0};
    }
    st = sh_feature_rebuild(in, repl, NULL, 0, caller, out);
done:
    for (size_t j = 0; outs && j < n; j++)
        sh_column_clear(&outs[j]);
    sh_free(idx);
    sh_free(repl);
    sh_free(outs);
    return st;
}
