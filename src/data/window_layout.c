/* window_layout.c - the series a window operation runs over.
 *
 * Method. Keyed: the frame is used as is when it is already partitioned by
 * these keys ordered by this time (sh_frame_has_layout); otherwise it is
 * reordered with the stable key+time sort of sheaf_frame_partition_by_key_time.
 * When no time column is given the same sort runs with the row number as
 * the time, so rows keep their order within a key, and when no key is given
 * (but a time is) with one constant key, so the whole frame is sorted by
 * time. The sort runs on a small frame of the key and time columns (shared,
 * not copied) plus the row number, and the permutation it yields reorders
 * every column once (sh_frame_permuted). The key runs - maximal blocks of
 * rows with equal keys, missing equal to missing, -0.0 equal to 0.0 - come
 * with the sorted frame (sh_series, found by the sort) and travel with the
 * outputs, so a chain of window operations finds them once. A frame laid
 * out by key without them (rows dropped since, say) has them marked
 * partition by partition in parallel, a byte per row set where a run starts
 * by one tight loop per key column, then listed. */
#include "data/partition_internal.h"
#include "data/window_internal.h"

#include <math.h>
#include <string.h>

/* Names of the helper columns of the small sort frame; never visible. */
#define ROW_COLUMN "__sheaf_window_row"
#define KEY_COLUMN "__sheaf_window_key"

static sheaf_status find_time(const sheaf_frame *in, const char *time, const char *caller,
                              size_t *index)
{
    sheaf_status st = sh_frame_find(in, time, caller, index);
    if (st != SHEAF_OK) return st;
    const sh_column *c = &in->cols[*index];
    if (c->type == SHEAF_TYPE_STRING)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: time column '%s' is string; it must be int64, float64 or timestamp",
                       caller, time);
    for (size_t i = 0; c->valid && i < in->n_rows; i++)
        if (!c->valid[i])
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: time column '%s' has a missing value at row %zu", caller, time, i);
    return SHEAF_OK;
}

static sheaf_status take_shared(sheaf_frame *f, const sh_column *src, size_t n_rows,
                                const char *caller)
{
    sh_column col;
    if (sh_column_share(src, NULL, &col) != SHEAF_OK)
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory sorting rows", caller);
    return sh_frame_take_column(f, &col, n_rows, caller);
}

static sheaf_status take_counter(sheaf_frame *f, const char *name, int64_t step, size_t n_rows,
                                 const char *caller)
{
    sh_column col;
    sheaf_status st = sh_column_alloc(&col, name, SHEAF_TYPE_INT64, SHEAF_TIME_NS, n_rows, caller);
    if (st != SHEAF_OK) return st;
    for (size_t i = 0; i < n_rows; i++)
        col.i64[i] = step * (int64_t)i;
    sh_column_settle_validity(&col, n_rows);
    return sh_frame_take_column(f, &col, n_rows, caller);
}

/* perm[i] = the row of in that comes i-th in (keys, time) order: keys
 * NULL means one constant key, time NULL the row number. *sorted keeps
 * the partition table of the sort. */
static sheaf_status sort_rows(const sheaf_ctx *ctx, const sheaf_frame *in, const char *const *keys,
                              size_t n_keys, const char *time, size_t n_partitions,
                              const char *caller, size_t **perm, sheaf_frame **sorted)
{
    static const char *const constant_key[] = {KEY_COLUMN};
    sheaf_frame *small = NULL;
    size_t n = in->n_rows, idx;
    sheaf_status st = sheaf_frame_create(&small);
    *perm = NULL;
    *sorted = NULL;
    for (size_t k = 0; st == SHEAF_OK && k < n_keys && keys; k++)
        if ((st = sh_frame_find(in, keys[k], caller, &idx)) == SHEAF_OK)
            st = take_shared(small, &in->cols[idx], n, caller);
    if (st == SHEAF_OK && !keys) st = take_counter(small, KEY_COLUMN, 0, n, caller);
    if (st == SHEAF_OK && time && (st = sh_frame_find(in, time, caller, &idx)) == SHEAF_OK)
        st = take_shared(small, &in->cols[idx], n, caller);
    if (st == SHEAF_OK) st = take_counter(small, ROW_COLUMN, 1, n, caller);
    if (st == SHEAF_OK)
        st = sheaf_frame_partition_by_key_time(ctx, small, keys ? keys : constant_key,
                                               keys ? n_keys : 1, time ? time : ROW_COLUMN,
                                               n_partitions, sorted);
    if (st == SHEAF_OK && !(*perm = sh_malloc_array(n, sizeof **perm))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory sorting %zu rows", caller, n);
        sheaf_frame_free(*sorted);
        *sorted = NULL;
    }
    if (st == SHEAF_OK) {
        const int64_t *row = (*sorted)->cols[(*sorted)->n_cols - 1].i64;
        for (size_t i = 0; i < n; i++)
            (*perm)[i] = (size_t)row[i];
    }
    sheaf_frame_free(small);
    return st;
}

/* in reordered by keys (and time, or row order when time is NULL), with
 * the partition table of the sort and the layout recorded. */
static sheaf_status order_by_keys(const sheaf_ctx *ctx, const sheaf_frame *in,
                                  const char *const *keys, size_t n_keys, const char *time,
                                  const char *caller, sheaf_frame **out)
{
    if (time) return sheaf_frame_partition_by_key_time(ctx, in, keys, n_keys, time, 0, out);
    size_t *perm = NULL;
    sheaf_frame *sorted = NULL;
    sheaf_status st = sort_rows(ctx, in, keys, n_keys, NULL, 0, caller, &perm, &sorted);
    if (st == SHEAF_OK)
        st = sh_frame_permuted(ctx, in, perm, sorted->offsets, sorted->n_partitions, caller, out);
    if (st == SHEAF_OK &&
        (st = sh_frame_set_layout(*out, keys, n_keys, NULL, caller)) != SHEAF_OK) {
        sheaf_frame_free(*out);
        *out = NULL;
    }
    /* The sort's key runs are those of the reordered rows. */
    if (st == SHEAF_OK) sh_frame_set_series(*out, sorted->layout.series);
    sh_free(perm);
    sheaf_frame_free(sorted);
    return st;
}

/* in sorted by time (stable) keeping its number of partitions, or NULL in
 * *out when it already is sorted. */
static sheaf_status order_by_time(const sheaf_ctx *ctx, const sheaf_frame *in, const char *time,
                                  const sh_column *t, const char *caller, sheaf_frame **out)
{
    bool sorted_already = true;
    for (size_t i = 1; i < in->n_rows && sorted_already; i++)
        sorted_already = t->type == SHEAF_TYPE_FLOAT64 ? !(t->f64[i] < t->f64[i - 1])
                                                       : t->i64[i] >= t->i64[i - 1];
    *out = NULL;
    if (sorted_already) return SHEAF_OK;
    size_t *perm = NULL, *offsets = NULL;
    sheaf_frame *sorted = NULL;
    sheaf_status st = sort_rows(ctx, in, NULL, 0, time, 1, caller, &perm, &sorted);
    if (st == SHEAF_OK && !(offsets = sh_malloc_array(in->n_partitions + 1, sizeof *offsets)))
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu partitions", caller,
                     in->n_partitions);
    if (st == SHEAF_OK) {
        sh_fill_even_offsets(offsets, in->n_partitions, in->n_rows);
        st = sh_frame_permuted(ctx, in, perm, offsets, in->n_partitions, caller, out);
    }
    sh_free(offsets);
    sh_free(perm);
    sheaf_frame_free(sorted);
    return st;
}

/* ---- key runs ----------------------------------------------------------------- */

typedef struct runs_job {
    const sheaf_frame *frame;
    const sh_column **keys;
    size_t n_keys;
    uint8_t *run;   /* run[i] = 1 where a new key run starts */
    size_t *counts; /* per partition: runs, then the index of its first */
    size_t *starts; /* the runs' first rows, once counted */
} runs_job;

/* run[i] |= row i's key differs from row i - 1's, for i in (b, e): one
 * tight loop per key column and type. Missing values hold fixed payloads
 * (NaN, 0 with a flag, code -1), so payloads and flags decide equality. */
static void mark_runs(const sh_column *c, uint8_t *run, size_t b, size_t e)
{
    switch (c->type) {
    case SHEAF_TYPE_FLOAT64:
        for (size_t i = b + 1; i < e; i++) {
            double x = c->f64[i], y = c->f64[i - 1];
            run[i] |= x != y && !(x != x && y != y);
        }
        break;
    case SHEAF_TYPE_STRING:
        for (size_t i = b + 1; i < e; i++)
            run[i] |= c->codes[i] != c->codes[i - 1];
        break;
    default:
        for (size_t i = b + 1; i < e; i++)
            run[i] |= c->i64[i] != c->i64[i - 1];
        for (size_t i = b + 1; c->valid && i < e; i++)
            run[i] |= c->valid[i] != c->valid[i - 1];
        break;
    }
}

static sheaf_status count_partition_runs(void *arg, size_t p)
{
    runs_job *job = arg;
    size_t b = job->frame->offsets[p], e = job->frame->offsets[p + 1], k = 0;
    if (b < e) memset(job->run + b, 0, e - b);
    for (size_t c = 0; c < job->n_keys; c++)
        mark_runs(job->keys[c], job->run, b, e);
    if (b < e) job->run[b] = 1;
    for (size_t i = b; i < e; i++)
        k += job->run[i];
    job->counts[p] = k;
    return SHEAF_OK;
}

static sheaf_status list_partition_runs(void *arg, size_t p)
{
    runs_job *job = arg;
    size_t b = job->frame->offsets[p], e = job->frame->offsets[p + 1], j = job->counts[p];
    for (size_t i = b; i < e; i++)
        if (job->run[i]) job->starts[j++] = i;
    return SHEAF_OK;
}

/* The key runs of l->frame (laid out by keys, no runs cached), partition
 * by partition in parallel: flags, counts, then the list. */
static sheaf_status find_runs(const sheaf_ctx *ctx, const char *const *keys, size_t n_keys,
                              const char *caller, sh_window_layout *l)
{
    const sheaf_frame *f = l->frame;
    size_t parts = f->n_partitions, idx, n_series = 0;
    runs_job job = {.frame = f,
                    .keys = sh_calloc(n_keys, sizeof *job.keys),
                    .n_keys = n_keys,
                    .run = sh_malloc(f->n_rows ? f->n_rows : 1),
                    .counts = sh_malloc_array(parts, sizeof(size_t))};
    sheaf_status st = SHEAF_OK;
    if (!job.keys || !job.run || !job.counts) goto nomem;
    for (size_t k = 0; k < n_keys; k++) {
        if ((st = sh_frame_find(f, keys[k], caller, &idx)) != SHEAF_OK) goto done;
        job.keys[k] = &f->cols[idx];
    }
    if ((st = sheaf_exec_for(ctx, parts, count_partition_runs, &job)) != SHEAF_OK) goto done;
    for (size_t p = 0; p < parts; p++) {
        size_t k = job.counts[p];
        job.counts[p] = n_series;
        n_series += k;
    }
    if (!(job.starts = sh_malloc_array(n_series + 1, sizeof *job.starts))) goto nomem;
    if ((st = sheaf_exec_for(ctx, parts, list_partition_runs, &job)) != SHEAF_OK) goto done;
    job.starts[n_series] = f->n_rows;
    size_t longest = 0;
    for (size_t j = 0; j < n_series; j++)
        if (job.starts[j + 1] - job.starts[j] > longest)
            longest = job.starts[j + 1] - job.starts[j];
    l->series = sh_series_new(job.starts, n_series, longest);
    job.starts = NULL; /* the series owns it, or freed it */
    if (!l->series) goto nomem;
    goto done;
nomem:
    st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory finding the series of %zu rows", caller,
                 f->n_rows);
done:
    sh_free(job.keys);
    sh_free(job.run);
    sh_free(job.counts);
    sh_free(job.starts);
    return st;
}

/* ---- the layout ------------------------------------------------------------- */

void sh_window_layout_clear(sh_window_layout *l)
{
    sheaf_frame_free(l->owned);
    sh_series_release(l->series);
    memset(l, 0, sizeof *l);
}

/* The first j in [lo, hi) with starts[j] >= row, or hi. */
static size_t lower_bound(const size_t *starts, size_t lo, size_t hi, size_t row)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (starts[mid] < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void sh_window_partition_series(const sh_window_layout *l, size_t p, size_t *first, size_t *last)
{
    const sh_series *s = l->series;
    *first = lower_bound(s->starts, 0, s->n_series, l->frame->offsets[p]);
    *last = lower_bound(s->starts, *first, s->n_series, l->frame->offsets[p + 1]);
}

sheaf_status sh_window_layout_make(const sheaf_ctx *ctx, const sheaf_frame *in,
                                   const char *const *keys, size_t n_keys, const char *time,
                                   const char *caller, sh_window_layout *l)
{
    memset(l, 0, sizeof *l);
    size_t idx, time_idx = 0;
    sheaf_status st = SHEAF_OK;
    if (n_keys > 0 && !keys)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: keys is NULL but n_keys is %zu", caller,
                       n_keys);
    for (size_t k = 0; k < n_keys; k++)
        if ((st = sh_frame_find(in, keys[k], caller, &idx)) != SHEAF_OK) return st;
    if (time && (st = find_time(in, time, caller, &time_idx)) != SHEAF_OK) return st;
    if (n_keys > 0) {
        l->keyed = true;
        if (sh_frame_has_layout(in, keys, n_keys, time))
            l->frame = in;
        else if ((st = order_by_keys(ctx, in, keys, n_keys, time, caller, &l->owned)) != SHEAF_OK)
            goto fail;
        if (l->owned) l->frame = l->owned;
        if ((l->series = sh_series_retain(l->frame->layout.series)) == NULL &&
            (st = find_runs(ctx, keys, n_keys, caller, l)) != SHEAF_OK)
            goto fail;
        l->longest = l->series->longest;
    } else {
        if (time &&
            (st = order_by_time(ctx, in, time, &in->cols[time_idx], caller, &l->owned)) != SHEAF_OK)
            goto fail;
        l->frame = l->owned ? l->owned : in;
        l->longest = in->n_rows;
    }
    if (time) {
        sh_frame_find(l->frame, time, caller, &idx);
        l->time = &l->frame->cols[idx];
    }
    return SHEAF_OK;
fail:
    sh_window_layout_clear(l);
    return st;
}

sheaf_status sh_window_add_key_column(sheaf_frame *f, const sh_column *c, const sh_series *series,
                                      size_t per, size_t n_rows, const char *who)
{
    size_t n = series->n_series;
    sheaf_status st = SHEAF_OK;
    uint8_t *valid = sh_malloc(n_rows ? n_rows : 1);
    void *vals = sh_malloc_array(n_rows ? n_rows : 1,
                                 sizeof(double) > sizeof(char *) ? sizeof(double) : sizeof(char *));
    if (!valid || !vals) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for key column '%s'", who, c->name);
        goto done;
    }
    for (size_t s = 0; s < n; s++) {
        size_t row = series->starts[s];
        for (size_t r = s * per; r < (s + 1) * per; r++) {
            valid[r] = c->valid ? c->valid[row] : 1;
            if (c->type == SHEAF_TYPE_FLOAT64)
                ((double *)vals)[r] = c->f64[row];
            else if (c->type == SHEAF_TYPE_STRING)
                ((const char **)vals)[r] = c->codes[row] < 0 ? NULL : c->dict[c->codes[row]];
            else
                ((int64_t *)vals)[r] = c->i64[row];
        }
    }
    switch (c->type) {
    case SHEAF_TYPE_FLOAT64: st = sheaf_frame_add_float64(f, c->name, vals, valid, n_rows); break;
    case SHEAF_TYPE_STRING: st = sheaf_frame_add_string(f, c->name, vals, n_rows); break;
    case SHEAF_TYPE_TIMESTAMP:
        st = sheaf_frame_add_timestamp(f, c->name, vals, valid, n_rows, c->unit);
        break;
    default: st = sheaf_frame_add_int64(f, c->name, vals, valid, n_rows); break;
    }
done:
    sh_free(valid);
    sh_free(vals);
    return st;
}
