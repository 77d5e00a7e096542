/* feature_indexer.c - the string indexer: labels of a string column
 * numbered by frequency or alphabet, and the transform that maps each row's
 * label to its number.
 *
 * Fit counts dictionary codes per partition (a histogram as long as the
 * column's dictionary) and sums the histograms in partition order; counts
 * are integers, so the sum is exact whatever the grouping. When partitions x
 * dictionary would need more than HISTOGRAM_BUDGET doubles, consecutive
 * partitions share one histogram (the counts, hence the labels, are the
 * same). Labels are then sorted as Spark 3's StringIndexer.fit sorts them
 * (mllib/src/main/scala/org/apache/spark/ml/feature/StringIndexer.scala):
 * frequencyDesc by (count descending, label ascending), frequencyAsc by
 * (count, label) ascending, alphabetAsc/Desc by label. Missing values are
 * not labels.
 *
 * Transform maps the new frame's dictionary (which may differ from the fit
 * frame's) to label indices through a hash table keyed by the label bytes,
 * once per dictionary entry, then maps rows by code. */
#include "data/dict.h"
#include "data/feature_internal.h"

#include <string.h>

/* Most histogram doubles the fit holds at once (128 MiB). */
#define HISTOGRAM_BUDGET ((size_t)1 << 24)
#define SLOT_SEED 0x696e646578657273ull

sheaf_status sh_indexer_build_slots(sheaf_stage *s)
{
    size_t n_slots = 16;
    while (n_slots < 2 * s->n_labels)
        n_slots *= 2;
    int32_t *slots = sh_malloc_array(n_slots, sizeof *slots);
    if (!slots) return SHEAF_ERR_NOMEM;
    memset(slots, 0xff, n_slots * sizeof *slots);
    for (size_t i = 0; i < s->n_labels; i++) {
        size_t h = (size_t)sh_hash_bytes(s->labels[i], strlen(s->labels[i]), SLOT_SEED);
        while (slots[h & (n_slots - 1)] >= 0)
            h++;
        slots[h & (n_slots - 1)] = (int32_t)i;
    }
    sh_free(s->slots);
    s->slots = slots;
    s->n_slots = n_slots;
    return SHEAF_OK;
}

/* Index of label text, or -1 when the fit did not see it. */
static int32_t lookup(const sheaf_stage *s, const char *text)
{
    size_t h = (size_t)sh_hash_bytes(text, strlen(text), SLOT_SEED);
    for (;; h++) {
        int32_t i = s->slots[h & (s->n_slots - 1)];
        if (i < 0 || strcmp(s->labels[i], text) == 0) return i;
    }
}

typedef struct count_job {
    const sheaf_frame *in;
    const sh_column *col;
    size_t n_chunks;
} count_job;

static sheaf_status count_map(void *arg, size_t chunk, double *hist)
{
    const count_job *job = arg;
    size_t np = job->in->n_partitions;
    size_t p0 = chunk * np / job->n_chunks, p1 = (chunk + 1) * np / job->n_chunks;
    const int32_t *codes = job->col->codes;
    for (size_t i = job->in->offsets[p0]; i < job->in->offsets[p1]; i++)
        if (codes[i] >= 0) hist[codes[i]] += 1;
    return SHEAF_OK;
}

typedef struct label_count {
    const char *text;
    double count;
    int32_t code;
} label_count;

/* Sorts by order. qsort has no user argument in C11; a merge sort keeps the
 * order parameter out of global state. Labels are distinct, so the result
 * does not depend on the sort's stability. */
static void sort_labels(label_count *v, label_count *tmp, size_t n, sheaf_index_order order)
{
    if (n < 2) return;
    size_t h = n / 2;
    sort_labels(v, tmp, h, order);
    sort_labels(v + h, tmp, n - h, order);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        label_count a = v[i], b = v[j];
        int c;
        int by_text = strcmp(a.text, b.text);
        if (order == SHEAF_INDEX_FREQUENCY_DESC && a.count != b.count)
            c = a.count > b.count ? -1 : 1;
        else if (order == SHEAF_INDEX_FREQUENCY_ASC && a.count != b.count)
            c = a.count < b.count ? -1 : 1;
        else
            c = order == SHEAF_INDEX_ALPHABET_DESC ? -by_text : by_text;
        tmp[k++] = c <= 0 ? v[i++] : v[j++];
    }
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

sheaf_status sheaf_string_indexer_fit(const sheaf_ctx *ctx, const sheaf_frame *in,
                                      const char *input, const char *output,
                                      sheaf_index_order order, sheaf_unseen policy,
                                      sheaf_stage **out)
{
    static const char caller[] = "sheaf_string_indexer_fit";
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", caller);
    *out = NULL;
    if (!in || !input || !output)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: frame, input or output is NULL", caller);
    if ((unsigned)order > SHEAF_INDEX_ALPHABET_DESC)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: unknown order %d", caller, (int)order);
    if ((unsigned)policy > SHEAF_UNSEEN_KEEP)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: unknown policy %d", caller, (int)policy);
    size_t c;
    sheaf_status st = sh_frame_find(in, input, caller, &c);
    if (st != SHEAF_OK) return st;
    const sh_column *col = &in->cols[c];
    if (col->type != SHEAF_TYPE_STRING)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: column '%s' is %s, not string", caller,
                       input, sheaf_type_name(col->type));
    size_t dict = col->dict_size;
    size_t n_chunks = in->n_partitions;
    if (dict > 0 && n_chunks > HISTOGRAM_BUDGET / dict)
        n_chunks = HISTOGRAM_BUDGET / dict ? HISTOGRAM_BUDGET / dict : 1;
    sheaf_stage *s = NULL;
    double *hist = sh_calloc(dict ? dict : 1, sizeof *hist);
    label_count *lc = sh_malloc_array(dict ? 2 * dict : 1, sizeof *lc);
    if ((st = sh_stage_new(SHEAF_STAGE_STRING_INDEXER, &input, 1, caller, &s)) != SHEAF_OK)
        goto done;
    if (!hist || !lc || !(s->output = sh_strdup(output))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu labels", caller, dict);
        goto done;
    }
    s->order = order;
    s->policy = policy;
    count_job job = {in, col, n_chunks};
    if ((st = sheaf_exec_map_merge(ctx, n_chunks, dict, count_map, NULL, &job, hist)) != SHEAF_OK)
        goto done;
    size_t n = 0;
    for (size_t k = 0; k < dict; k++)
        if (hist[k] > 0) lc[n++] = (label_count){col->dict[k], hist[k], (int32_t)k};
    if (n == 0) {
        st = sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: column '%s' has no present value", caller,
                     input);
        goto done;
    }
    sort_labels(lc, lc + dict, n, order);
    if (!(s->labels = sh_calloc(n, sizeof *s->labels))) goto nomem;
    s->n_labels = n;
    for (size_t i = 0; i < n; i++)
        if (!(s->labels[i] = sh_strdup(lc[i].text))) goto nomem;
    if (sh_indexer_build_slots(s) != SHEAF_OK) goto nomem;
done:
    sh_free(hist);
    sh_free(lc);
    if (st != SHEAF_OK) {
        sheaf_stage_free(s);
        s = NULL;
    }
    *out = s;
    return st;
nomem:
    st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu labels", caller, dict);
    goto done;
}

/* ---- transform ------------------------------------------------------------- */

typedef struct index_job {
    const sheaf_frame *in;
    const sh_column *col;
    const int32_t *map; /* code -> label index, -1 unseen; indexed by code + 1 (missing: -1) */
    const sheaf_stage *s;
    size_t *kept; /* per partition: rows kept (SKIP) */
    double *y;    /* output values, row-aligned with in (NULL in the counting pass) */
} index_job;

static sheaf_status index_task(void *arg, size_t p)
{
    const index_job *job = arg;
    const int32_t *codes = job->col->codes;
    size_t begin = job->in->offsets[p], end = job->in->offsets[p + 1], kept = 0;
    double extra = (double)job->s->n_labels;
    for (size_t i = begin; i < end; i++) {
        int32_t k = job->map[codes[i] + 1];
        if (k >= 0) {
            kept++;
            if (job->y) job->y[i] = (double)k;
            continue;
        }
        if (job->s->policy == SHEAF_UNSEEN_KEEP) {
            kept++;
            if (job->y) job->y[i] = extra;
        } else if (job->s->policy == SHEAF_UNSEEN_ERROR) {
            if (codes[i] < 0)
                return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                               "sheaf_stage_transform: string indexer: column '%s' has a missing "
                               "value at row %zu (policy error)",
                               job->col->name, i);
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "sheaf_stage_transform: string indexer: column '%s' has the unseen "
                           "label '%s' at row %zu (policy error)",
                           job->col->name, job->col->dict[codes[i]], i);
        }
    }
    job->kept[p] = kept;
    return SHEAF_OK;
}

typedef struct gather_job {
    const sheaf_frame *in;
    sheaf_frame *out;
    const size_t *perm; /* out row r is in row perm[r] */
} gather_job;

static sheaf_status gather_task(void *arg, size_t p)
{
    const gather_job *job = arg;
    size_t begin = job->out->offsets[p], end = job->out->offsets[p + 1];
    for (size_t c = 0; c < job->in->n_cols; c++) {
        const sh_column *src = &job->in->cols[c];
        sh_column *dst = &job->out->cols[c];
        for (size_t r = begin; r < end; r++) {
            size_t i = job->perm[r];
            if (dst->f64) dst->f64[r] = src->f64[i];
            if (dst->i64) dst->i64[r] = src->i64[i];
            if (dst->codes) dst->codes[r] = src->codes[i];
            dst->valid[r] = src->valid ? src->valid[i] : 1;
        }
    }
    return SHEAF_OK;
}

/* A deep copy of src's dictionary into dst (same codes). */
static bool copy_dictionary(sh_column *dst, const sh_column *src)
{
    if (!(dst->dict = sh_calloc(src->dict_size ? src->dict_size : 1, sizeof *dst->dict)))
        return false;
    dst->dict_size = src->dict_size;
    for (size_t d = 0; d < src->dict_size; d++)
        if (!(dst->dict[d] = sh_strdup(src->dict[d]))) return false;
    return true;
}

/* The rows of in that the SKIP policy keeps, gathered into a new frame with
 * the same partition boundaries (some partitions may become empty) and the
 * same layout, whose order dropping rows cannot break. String columns keep
 * their dictionaries and codes. */
static sheaf_status drop_unseen(const sheaf_ctx *ctx, const index_job *job, const char *caller,
                                sheaf_frame **out)
{
    const sheaf_frame *in = job->in;
    size_t np = in->n_partitions, total = 0;
    for (size_t p = 0; p < np; p++)
        total += job->kept[p];
    size_t *perm = sh_malloc_array(total ? total : 1, sizeof *perm);
    sheaf_frame *f = NULL;
    sheaf_status st = sh_frame_clone(in, caller, &f);
    if (st != SHEAF_OK) goto done;
    if (!perm) goto nomem;
    size_t k = 0;
    for (size_t p = 0; p < np; p++) {
        for (size_t i = in->offsets[p]; i < in->offsets[p + 1]; i++)
            if (job->map[job->col->codes[i] + 1] >= 0) perm[k++] = i;
        f->offsets[p + 1] = k;
    }
    f->n_rows = total;
    for (size_t c = 0; c < in->n_cols; c++) {
        const sh_column *src = &in->cols[c];
        sh_column col;
        if ((st = sh_column_alloc(&col, src->name, src->type, src->unit, total, caller)) !=
            SHEAF_OK)
            goto done;
        sh_column_clear(&f->cols[c]); /* drops the shared reference */
        f->cols[c] = col;
        if (src->type == SHEAF_TYPE_STRING && !copy_dictionary(&f->cols[c], src)) goto nomem;
        if (!(f->cols[c].refs = sh_malloc(sizeof *f->cols[c].refs))) goto nomem;
        *f->cols[c].refs = 1;
    }
    gather_job gather = {in, f, perm};
    if ((st = sheaf_exec_for(ctx, np, gather_task, &gather)) != SHEAF_OK) goto done;
    for (size_t c = 0; c < in->n_cols; c++)
        sh_column_settle_validity(&f->cols[c], total);
done:
    sh_free(perm);
    if (st != SHEAF_OK) {
        sheaf_frame_free(f);
        f = NULL;
    }
    *out = f;
    return st;
nomem:
    st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory copying %zu rows", caller, total);
    goto done;
}

sheaf_status sh_indexer_transform(const sheaf_ctx *ctx, const sheaf_stage *s, const sheaf_frame *in,
                                  sheaf_frame **out)
{
    static const char caller[] = "sheaf_stage_transform";
    size_t c;
    sheaf_status st = sh_frame_find(in, s->columns[0], caller, &c);
    if (st != SHEAF_OK) return st;
    if (in->cols[c].type != SHEAF_TYPE_STRING)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: column '%s' is %s, not string", caller,
                       s->columns[0], sheaf_type_name(in->cols[c].type));
    size_t probe;
    if (sh_frame_find(in, s->output, caller, &probe) == SHEAF_OK)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: the frame already has a column '%s'",
                       caller, s->output);
    const sh_column *col = &in->cols[c];
    int32_t *map = sh_malloc_array(col->dict_size + 1, sizeof *map);
    size_t *kept = sh_calloc(in->n_partitions, sizeof *kept);
    sheaf_frame *kept_frame = NULL;
    sh_column y = {0};
    if (!map || !kept) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
        goto done;
    }
    map[0] = -1;
    bool any_unseen = col->missing > 0;
    for (size_t k = 0; k < col->dict_size; k++) {
        map[k + 1] = lookup(s, col->dict[k]);
        any_unseen |= map[k + 1] < 0;
    }
    index_job job = {in, col, map, s, kept, NULL};
    if (s->policy == SHEAF_UNSEEN_SKIP && any_unseen) {
        /* Count, drop, then index the kept rows, whose codes are unchanged. */
        if ((st = sheaf_exec_for(ctx, in->n_partitions, index_task, &job)) != SHEAF_OK) goto done;
        if ((st = drop_unseen(ctx, &job, caller, &kept_frame)) != SHEAF_OK) goto done;
        in = kept_frame;
        job.in = in;
        job.col = col = &in->cols[c];
    }
    if ((st = sh_column_alloc(&y, s->output, SHEAF_TYPE_FLOAT64, SHEAF_TIME_NS, in->n_rows,
                              caller)) != SHEAF_OK)
        goto done;
    job.y = y.f64;
    if ((st = sheaf_exec_for(ctx, in->n_partitions, index_task, &job)) != SHEAF_OK) goto done;
    sh_column_settle_validity(&y, in->n_rows);
    st = sh_feature_rebuild(in, NULL, &y, 1, caller, out);
done:
    sh_column_clear(&y);
    sheaf_frame_free(kept_frame);
    sh_free(map);
    sh_free(kept);
    return st;
}
