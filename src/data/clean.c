/* clean.c - dropping rows with missing values, filling missing values with
 * a constant, selecting columns, and the helper that puts one new column
 * into a copy of a frame.
 *
 * Dropping mirrors pandas' DataFrame.dropna(how="any", subset=...): a row
 * goes when any chosen column is missing there. It is two passes over the
 * partitions, both in parallel with sheaf_exec_for: the first marks the
 * rows to keep and counts them per partition, the coordinator turns the
 * counts into the new partition table (a prefix sum, so partitions keep
 * their order and boundaries), and the second copies each partition's kept
 * rows to their new place. Every row's destination is a pure function of
 * the input, so the result does not depend on the thread count. Filling
 * mirrors pandas' fillna(value) for one column; an int64 column stays int64
 * (pandas would hold it as float64 with NaN, where the question does not
 * arise). Untouched columns are shared by reference, never copied. */
#include "data/clean_internal.h"
#include "sheaf_clean.h"

#include <math.h>
#include <string.h>

static bool layout_mentions(const sh_layout *l, const char *name)
{
    if (!l->keys) return false;
    for (size_t k = 0; k < l->n_keys; k++)
        if (strcmp(l->keys[k], name) == 0) return true;
    return l->time && strcmp(l->time, name) == 0;
}

bool sh_clean_copy_dict(sh_column *dst, const sh_column *src)
{
    if (!(dst->dict = sh_calloc(src->dict_size, sizeof *dst->dict))) return false;
    dst->dict_size = src->dict_size;
    for (size_t d = 0; d < src->dict_size; d++)
        if (!(dst->dict[d] = sh_strdup(src->dict[d]))) return false;
    return true;
}

sheaf_status sh_clean_put_column(const sheaf_frame *in, sh_column *col, const char *caller,
                                 sheaf_frame **out)
{
    sheaf_frame *f = NULL;
    sheaf_status st = sh_frame_clone(in, caller, &f);
    if (st != SHEAF_OK) goto fail;
    size_t j = 0;
    while (j < f->n_cols && strcmp(f->cols[j].name, col->name) != 0)
        j++;
    if (j == f->n_cols) {
        st = sh_frame_take_column(f, col, in->n_rows, caller);
        if (st != SHEAF_OK) goto fail;
        *out = f;
        return SHEAF_OK;
    }
    if (!col->refs) {
        if (!(col->refs = sh_malloc(sizeof *col->refs))) {
            st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory replacing column '%s'", caller,
                         col->name);
            goto fail;
        }
        *col->refs = 1;
    }
    if (layout_mentions(&f->layout, col->name)) sh_layout_clear(&f->layout);
    sh_column_clear(&f->cols[j]);
    f->cols[j] = *col;
    memset(col, 0, sizeof *col);
    *out = f;
    return SHEAF_OK;
fail:
    sh_column_clear(col);
    sheaf_frame_free(f);
    *out = NULL;
    return st;
}

/* ---- dropping rows ---------------------------------------------------------- */

typedef struct drop_job {
    const sheaf_frame *in;
    const sh_column **check; /* the chosen columns that have missing values */
    size_t n_check;
    uint8_t *keep;   /* per input row */
    size_t *offsets; /* kept rows before partition p; [n_partitions] = total */
    sh_column *cols; /* the output columns */
} drop_job;

static sheaf_status drop_mark(void *arg, size_t p)
{
    drop_job *j = arg;
    size_t b = j->in->offsets[p], e = j->in->offsets[p + 1];
    memset(j->keep + b, 1, e - b);
    for (size_t c = 0; c < j->n_check; c++) {
        const uint8_t *v = j->check[c]->valid;
        for (size_t i = b; i < e; i++)
            j->keep[i] &= v[i];
    }
    size_t kept = 0;
    for (size_t i = b; i < e; i++)
        kept += j->keep[i];
    j->offsets[p + 1] = kept; /* turned into a prefix sum by the coordinator */
    return SHEAF_OK;
}

/* Copies src[i] to dst[o++] for every kept row i of [b, e). */
#define COMPACT(dst, src)                                                                          \
    do {                                                                                           \
        size_t o_ = to;                                                                            \
        for (size_t i = b; i < e; i++)                                                             \
            if (keep[i]) (dst)[o_++] = (src)[i];                                                   \
    } while (0)

static sheaf_status drop_copy(void *arg, size_t p)
{
    drop_job *j = arg;
    const sheaf_frame *in = j->in;
    size_t b = in->offsets[p], e = in->offsets[p + 1], to = j->offsets[p];
    const uint8_t *keep = j->keep;
    for (size_t c = 0; c < in->n_cols; c++) {
        const sh_column *s = &in->cols[c];
        sh_column *d = &j->cols[c];
        switch (s->type) {
        case SHEAF_TYPE_FLOAT64: COMPACT(d->f64, s->f64); break;
        case SHEAF_TYPE_STRING: COMPACT(d->codes, s->codes); break;
        default: COMPACT(d->i64, s->i64); break;
        }
        if (s->valid) COMPACT(d->valid, s->valid);
    }
    return SHEAF_OK;
}

sheaf_status sheaf_frame_drop_missing(const sheaf_ctx *ctx, const sheaf_frame *in,
                                      const char *const *subset, size_t n_subset, sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_drop_missing";
    if (out) *out = NULL;
    if (!in || !out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: in or out is NULL", caller);
    if (n_subset > 0 && !subset)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: subset is NULL with n_subset %zu", caller,
                       n_subset);
    sheaf_status st = SHEAF_OK;
    size_t n_cols = in->n_cols, n_parts = in->n_partitions;
    drop_job job = {.in = in};
    sheaf_frame *f = NULL;
    size_t n_chosen = n_subset ? n_subset : n_cols;
    if (!(job.check = sh_malloc_array(n_chosen, sizeof *job.check))) goto nomem;
    for (size_t k = 0; k < n_chosen; k++) {
        size_t c = k;
        if (n_subset && (st = sh_frame_find(in, subset[k], caller, &c)) != SHEAF_OK) goto done;
        if (in->cols[c].valid) job.check[job.n_check++] = &in->cols[c];
    }
    if (job.n_check == 0) { /* nothing can be missing: the same rows */
        st = sh_frame_clone(in, caller, out);
        goto done;
    }
    job.keep = sh_malloc(in->n_rows);
    job.offsets = sh_calloc(n_parts + 1, sizeof *job.offsets);
    job.cols = sh_calloc(n_cols, sizeof *job.cols);
    if (!job.keep || !job.offsets || !job.cols) goto nomem;
    if ((st = sheaf_exec_for(ctx, n_parts, drop_mark, &job)) != SHEAF_OK) goto done;
    for (size_t p = 0; p < n_parts; p++)
        job.offsets[p + 1] += job.offsets[p];
    size_t n_out = job.offsets[n_parts];
    for (size_t c = 0; c < n_cols; c++) {
        const sh_column *s = &in->cols[c];
        if ((st = sh_column_alloc(&job.cols[c], s->name, s->type, s->unit, n_out, caller)) !=
            SHEAF_OK)
            goto done;
        if (s->type == SHEAF_TYPE_STRING && !sh_clean_copy_dict(&job.cols[c], s)) goto nomem;
    }
    if ((st = sheaf_exec_for(ctx, n_parts, drop_copy, &job)) != SHEAF_OK) goto done;
    if (sheaf_frame_create(&f) != SHEAF_OK) goto nomem;
    for (size_t c = 0; c < n_cols; c++) {
        sh_column_settle_validity(&job.cols[c], n_out);
        if ((st = sh_frame_take_column(f, &job.cols[c], n_out, caller)) != SHEAF_OK) goto done;
    }
    size_t *offsets = sh_realloc(f->offsets, (n_parts + 1) * sizeof *offsets);
    if (!offsets) goto nomem;
    f->offsets = offsets;
    f->n_partitions = n_parts;
    memcpy(offsets, job.offsets, (n_parts + 1) * sizeof *offsets);
    if (in->layout.keys &&
        (st = sh_frame_set_layout(f, (const char *const *)in->layout.keys, in->layout.n_keys,
                                  in->layout.time, caller)) != SHEAF_OK)
        goto done;
    *out = f;
    f = NULL;
    goto done;
nomem:
    st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory dropping rows of a %zu x %zu frame", caller,
                 in->n_rows, n_cols);
done:
    for (size_t c = 0; job.cols && c < n_cols; c++)
        sh_column_clear(&job.cols[c]);
    sh_free(job.cols);
    sh_free(job.check);
    sh_free(job.keep);
    sh_free(job.offsets);
    sheaf_frame_free(f);
    return st;
}

/* ---- filling with a constant -------------------------------------------------- */

typedef struct fill_job {
    const sheaf_frame *in;
    const sh_column *src;
    sh_column *dst;
    double value;
    int64_t ivalue;
    int32_t code;
} fill_job;

static sheaf_status fill_rows(void *arg, size_t p)
{
    fill_job *j = arg;
    size_t b = j->in->offsets[p], e = j->in->offsets[p + 1];
    const sh_column *s = j->src;
    switch (s->type) {
    case SHEAF_TYPE_FLOAT64:
        for (size_t i = b; i < e; i++)
            j->dst->f64[i] = isnan(s->f64[i]) ? j->value : s->f64[i];
        break;
    case SHEAF_TYPE_STRING:
        for (size_t i = b; i < e; i++)
            j->dst->codes[i] = s->codes[i] < 0 ? j->code : s->codes[i];
        break;
    default:
        for (size_t i = b; i < e; i++)
            j->dst->i64[i] = s->valid[i] ? s->i64[i] : j->ivalue;
        break;
    }
    return SHEAF_OK;
}

/* Finds column, checks its type against the caller's; *src NULL means it
 * has nothing to fill (the caller returns a clone). */
static sheaf_status fill_lookup(const sheaf_frame *in, const char *column, sheaf_frame **out,
                                const char *caller, bool want_string, const sh_column **src)
{
    if (out) *out = NULL;
    if (!in || !out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: in or out is NULL", caller);
    size_t c;
    sheaf_status st = sh_frame_find(in, column, caller, &c);
    if (st != SHEAF_OK) return st;
    const sh_column *s = &in->cols[c];
    bool ok = want_string ? s->type == SHEAF_TYPE_STRING
                          : s->type == SHEAF_TYPE_FLOAT64 || s->type == SHEAF_TYPE_INT64;
    if (!ok)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: column '%s' is %s; %s", caller, s->name,
                       sheaf_type_name(s->type),
                       want_string ? "fill it with sheaf_frame_fill_missing"
                                   : "a numeric fill needs a float64 or int64 column");
    *src = s;
    return SHEAF_OK;
}

static sheaf_status fill_run(const sheaf_ctx *ctx, const sheaf_frame *in, fill_job *job,
                             sh_column *dst, const char *caller, sheaf_frame **out)
{
    job->in = in;
    job->dst = dst;
    sheaf_status st = sheaf_exec_for(ctx, in->n_partitions, fill_rows, job);
    if (st != SHEAF_OK) {
        sh_column_clear(dst);
        return st;
    }
    sh_column_settle_validity(dst, in->n_rows);
    return sh_clean_put_column(in, dst, caller, out);
}

sheaf_status sheaf_frame_fill_missing(const sheaf_ctx *ctx, const sheaf_frame *in,
                                      const char *column, double value, sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_fill_missing";
    const sh_column *s = NULL;
    sheaf_status st = fill_lookup(in, column, out, caller, false, &s);
    if (st != SHEAF_OK) return st;
    fill_job job = {.src = s, .value = value};
    if (s->type == SHEAF_TYPE_INT64) {
        /* 2^63 is exact in double; [-2^63, 2^63) is int64's range. */
        if (!(value == trunc(value) && value >= -9223372036854775808.0 &&
              value < 9223372036854775808.0))
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: fill value %.17g is not an integer, and column '%s' is int64",
                           caller, value, s->name);
        job.ivalue = (int64_t)value;
    }
    if (s->missing == 0 || isnan(value)) return sh_frame_clone(in, caller, out);
    sh_column dst;
    if ((st = sh_column_alloc(&dst, s->name, s->type, s->unit, in->n_rows, caller)) != SHEAF_OK)
        return st;
    return fill_run(ctx, in, &job, &dst, caller, out);
}

sheaf_status sheaf_frame_fill_missing_string(const sheaf_ctx *ctx, const sheaf_frame *in,
                                             const char *column, const char *value,
                                             sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_fill_missing_string";
    if (!value) {
        if (out) *out = NULL;
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: value is NULL", caller);
    }
    const sh_column *s = NULL;
    sheaf_status st = fill_lookup(in, column, out, caller, true, &s);
    if (st != SHEAF_OK) return st;
    if (s->missing == 0) return sh_frame_clone(in, caller, out);
    sh_column dst;
    if ((st = sh_column_alloc(&dst, s->name, s->type, s->unit, in->n_rows, caller)) != SHEAF_OK)
        return st;
    fill_job job = {.src = s, .code = -1};
    if (!sh_clean_copy_dict(&dst, s)) goto nomem;
    for (size_t d = 0; d < dst.dict_size && job.code < 0; d++)
        if (strcmp(dst.dict[d], value) == 0) job.code = (int32_t)d;
    if (job.code < 0) {
        if (dst.dict_size >= INT32_MAX) {
            sh_column_clear(&dst);
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: column '%s' already has 2^31 - 1 distinct strings", caller,
                           s->name);
        }
        char **dict = sh_realloc(dst.dict, (dst.dict_size + 1) * sizeof *dict);
        if (!dict) goto nomem;
        dst.dict = dict;
        if (!(dict[dst.dict_size] = sh_strdup(value))) goto nomem;
        job.code = (int32_t)dst.dict_size++;
    }
    return fill_run(ctx, in, &job, &dst, caller, out);
nomem:
    sh_column_clear(&dst);
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory filling column '%s'", caller, s->name);
}

/* ---- selecting columns -------------------------------------------------------- */

sheaf_status sheaf_frame_select(const sheaf_frame *in, const char *const *names, size_t n_names,
                                sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_select";
    if (out) *out = NULL;
    if (!in || !out || (n_names > 0 && !names))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: in, names or out is NULL", caller);
    sheaf_status st = SHEAF_OK;
    sheaf_frame *f = sh_calloc(1, sizeof *f);
    if (!f) goto nomem;
    f->n_rows = in->n_rows;
    f->n_partitions = in->n_partitions;
    f->offsets = sh_malloc_array(in->n_partitions + 1, sizeof *f->offsets);
    f->cols = sh_calloc(n_names ? n_names : 1, sizeof *f->cols);
    if (!f->offsets || !f->cols) goto nomem;
    memcpy(f->offsets, in->offsets, (in->n_partitions + 1) * sizeof *f->offsets);
    f->cap_cols = n_names ? n_names : 1;
    for (size_t k = 0; k < n_names; k++) {
        size_t c;
        if ((st = sh_frame_find(in, names[k], caller, &c)) != SHEAF_OK) goto fail;
        for (size_t m = 0; m < k; m++)
            if (strcmp(names[m], names[k]) == 0) {
                st = sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: column '%s' is selected twice",
                             caller, names[k]);
                goto fail;
            }
        if (sh_column_share(&in->cols[c], NULL, &f->cols[f->n_cols]) != SHEAF_OK) goto nomem;
        f->n_cols++;
    }
    const sh_layout *l = &in->layout;
    bool keep_layout = l->keys != NULL;
    for (size_t k = 0; keep_layout && k <= l->n_keys; k++) {
        const char *need = k < l->n_keys ? l->keys[k] : l->time;
        bool found = need == NULL;
        for (size_t m = 0; !found && m < n_names; m++)
            found = strcmp(names[m], need) == 0;
        keep_layout = found;
    }
    if (keep_layout && (st = sh_frame_set_layout(f, (const char *const *)l->keys, l->n_keys,
                                                 l->time, caller)) != SHEAF_OK)
        goto fail;
    *out = f;
    return SHEAF_OK;
nomem:
    st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory selecting %zu columns", caller, n_names);
fail:
    sheaf_frame_free(f);
    return st;
}
