/* frame.c - the columnar frame: construction, accessors and destruction.
 * Columns are plain arrays so numpy can view them without copies; strings
 * are dictionary-encoded (int32 codes into a table of distinct values). */
#include "data/frame_internal.h"
#include "data/dict.h"

#include <math.h>
#include <string.h>

void sh_column_clear(sh_column *col)
{
    sh_free(col->name);
    bool last = !col->refs || __atomic_sub_fetch(col->refs, 1, __ATOMIC_ACQ_REL) == 0;
    if (last) {
        sh_free(col->refs);
        sh_free(col->f64);
        sh_free(col->i64);
        sh_free(col->codes);
        for (size_t i = 0; i < col->dict_size; i++)
            sh_free(col->dict ? col->dict[i] : NULL);
        sh_free(col->dict);
        sh_free(col->valid);
    }
    memset(col, 0, sizeof *col);
}

sheaf_status sh_column_share(const sh_column *src, const char *rename, sh_column *dst)
{
    char *name = sh_strdup(rename ? rename : src->name);
    if (!name) return SHEAF_ERR_NOMEM;
    *dst = *src;
    dst->name = name;
    if (src->refs) __atomic_add_fetch(src->refs, 1, __ATOMIC_RELAXED);
    return SHEAF_OK;
}

sheaf_status sh_column_alloc(sh_column *col, const char *name, sheaf_type type,
                             sheaf_time_unit unit, size_t n_rows, const char *caller)
{
    memset(col, 0, sizeof *col);
    col->type = type;
    col->unit = unit;
    col->name = sh_strdup(name);
    col->valid = sh_malloc_large(n_rows);
    void *values = NULL;
    switch (type) {
    case SHEAF_TYPE_FLOAT64: values = col->f64 = sh_malloc_large(n_rows * sizeof(double)); break;
    case SHEAF_TYPE_STRING: values = col->codes = sh_malloc_large(n_rows * sizeof(int32_t)); break;
    default: values = col->i64 = sh_malloc_large(n_rows * sizeof(int64_t)); break;
    }
    if (!col->name || !col->valid || !values) {
        sh_column_clear(col);
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for column '%s' (%zu rows)", caller,
                       name, n_rows);
    }
    memset(col->valid, 1, n_rows);
    return SHEAF_OK;
}

void sh_column_settle_validity(sh_column *col, size_t n_rows)
{
    size_t missing = 0;
    /* memchr finds the first missing value at memory speed; most columns
     * have none. */
    const uint8_t *first = col->valid ? memchr(col->valid, 0, n_rows) : NULL;
    for (size_t i = first ? (size_t)(first - col->valid) : n_rows; i < n_rows; i++)
        missing += col->valid[i] == 0;
    col->missing = missing;
    if (missing == 0) {
        sh_free(col->valid);
        col->valid = NULL;
    }
}

sheaf_status sheaf_frame_create(sheaf_frame **out)
{
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_frame_create: out is NULL");
    *out = NULL;
    sheaf_frame *f = sh_calloc(1, sizeof *f);
    size_t *offsets = sh_calloc(2, sizeof *offsets);
    if (!f || !offsets) {
        sh_free(f);
        sh_free(offsets);
        return sh_fail(SHEAF_ERR_NOMEM, "sheaf_frame_create: out of memory");
    }
    f->n_partitions = 1;
    f->offsets = offsets;
    *out = f;
    return SHEAF_OK;
}

void sheaf_frame_free(sheaf_frame *frame)
{
    if (!frame) return;
    for (size_t i = 0; i < frame->n_cols; i++)
        sh_column_clear(&frame->cols[i]);
    sh_free(frame->cols);
    sh_free(frame->offsets);
    sh_layout_clear(&frame->layout);
    sh_free(frame);
}

size_t sheaf_frame_num_rows(const sheaf_frame *frame) { return frame ? frame->n_rows : 0; }
size_t sheaf_frame_num_columns(const sheaf_frame *frame) { return frame ? frame->n_cols : 0; }
size_t sheaf_frame_num_partitions(const sheaf_frame *frame)
{
    return frame ? frame->n_partitions : 0;
}

sheaf_status sheaf_frame_partition_range(const sheaf_frame *frame, size_t partition, size_t *begin,
                                         size_t *end)
{
    if (!frame || !begin || !end)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "sheaf_frame_partition_range: frame, begin or end is NULL");
    if (partition >= frame->n_partitions)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "sheaf_frame_partition_range: partition %zu out of range (frame has %zu)",
                       partition, frame->n_partitions);
    *begin = frame->offsets[partition];
    *end = frame->offsets[partition + 1];
    return SHEAF_OK;
}

sheaf_status sheaf_frame_column_index(const sheaf_frame *frame, const char *name, size_t *index)
{
    if (!frame || !name || !index)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "sheaf_frame_column_index: frame, name or index is NULL");
    for (size_t i = 0; i < frame->n_cols; i++)
        if (strcmp(frame->cols[i].name, name) == 0) {
            *index = i;
            return SHEAF_OK;
        }
    return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_frame_column_index: no column named '%s'",
                   name);
}

static const sh_column *column_at(const sheaf_frame *frame, size_t column)
{
    return frame && column < frame->n_cols ? &frame->cols[column] : NULL;
}

const char *sheaf_frame_column_name(const sheaf_frame *frame, size_t column)
{
    const sh_column *c = column_at(frame, column);
    return c ? c->name : NULL;
}

sheaf_type sheaf_frame_column_type(const sheaf_frame *frame, size_t column)
{
    const sh_column *c = column_at(frame, column);
    return c ? c->type : SHEAF_TYPE_AUTO;
}

sheaf_time_unit sheaf_frame_column_time_unit(const sheaf_frame *frame, size_t column)
{
    const sh_column *c = column_at(frame, column);
    return c && c->type == SHEAF_TYPE_TIMESTAMP ? c->unit : SHEAF_TIME_NS;
}

size_t sheaf_frame_column_missing(const sheaf_frame *frame, size_t column)
{
    const sh_column *c = column_at(frame, column);
    return c ? c->missing : 0;
}

const uint8_t *sheaf_frame_column_validity(const sheaf_frame *frame, size_t column)
{
    const sh_column *c = column_at(frame, column);
    return c ? c->valid : NULL;
}

const char *sheaf_type_name(sheaf_type t)
{
    switch (t) {
    case SHEAF_TYPE_FLOAT64: return "float64";
    case SHEAF_TYPE_INT64: return "int64";
    case SHEAF_TYPE_STRING: return "string";
    case SHEAF_TYPE_TIMESTAMP: return "timestamp";
    case SHEAF_TYPE_AUTO: return "auto";
    }
    return "unknown";
}

static sheaf_status typed_column(const sheaf_frame *frame, size_t column, const char *caller,
                                 sheaf_type want, sheaf_type also, const sh_column **out)
{
    const sh_column *c = column_at(frame, column);
    if (!c)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: column %zu out of range (frame has %zu)",
                       caller, column, frame ? frame->n_cols : 0);
    if (c->type != want && c->type != also)
        return sh_fail(SHEAF_ERR_MISUSE, "%s: column '%s' is %s, not %s", caller, c->name,
                       sheaf_type_name(c->type), sheaf_type_name(want));
    *out = c;
    return SHEAF_OK;
}

sheaf_status sheaf_frame_column_float64(const sheaf_frame *frame, size_t column,
                                        const double **values)
{
    const sh_column *c;
    sheaf_status st = typed_column(frame, column, "sheaf_frame_column_float64", SHEAF_TYPE_FLOAT64,
                                   SHEAF_TYPE_FLOAT64, &c);
    if (st == SHEAF_OK) *values = c->f64;
    return st;
}

sheaf_status sheaf_frame_column_int64(const sheaf_frame *frame, size_t column,
                                      const int64_t **values)
{
    const sh_column *c;
    sheaf_status st = typed_column(frame, column, "sheaf_frame_column_int64", SHEAF_TYPE_INT64,
                                   SHEAF_TYPE_TIMESTAMP, &c);
    if (st == SHEAF_OK) *values = c->i64;
    return st;
}

sheaf_status sheaf_frame_column_codes(const sheaf_frame *frame, size_t column,
                                      const int32_t **codes, size_t *dict_size)
{
    const sh_column *c;
    sheaf_status st = typed_column(frame, column, "sheaf_frame_column_codes", SHEAF_TYPE_STRING,
                                   SHEAF_TYPE_STRING, &c);
    if (st == SHEAF_OK) {
        *codes = c->codes;
        *dict_size = c->dict_size;
    }
    return st;
}

const char *sheaf_frame_dict_value(const sheaf_frame *frame, size_t column, int32_t code)
{
    const sh_column *c = column_at(frame, column);
    if (!c || c->type != SHEAF_TYPE_STRING || code < 0 || (size_t)code >= c->dict_size) return NULL;
    return c->dict[code];
}

void sh_fill_even_offsets(size_t *offsets, size_t n_partitions, size_t n_rows)
{
    /* Partition p starts at floor(p * n_rows / n_partitions), in exact
     * integer arithmetic so sizes differ by at most one row. */
    for (size_t p = 0; p <= n_partitions; p++)
        offsets[p] = (size_t)(((unsigned __int128)n_rows * p) / n_partitions);
}

sheaf_status sh_frame_set_even_partitions(sheaf_frame *frame, size_t n, const char *caller)
{
    if (n == 0) n = 1;
    size_t *offsets = sh_malloc_array(n + 1, sizeof *offsets);
    if (!offsets)
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu partitions", caller, n);
    sh_fill_even_offsets(offsets, n, frame->n_rows);
    sh_free(frame->offsets);
    frame->offsets = offsets;
    frame->n_partitions = n;
    return SHEAF_OK;
}

sheaf_status sh_frame_take_column(sheaf_frame *frame, sh_column *col, size_t n_rows,
                                  const char *caller)
{
    sheaf_status st = SHEAF_OK;
    if (frame->n_cols > 0 && n_rows != frame->n_rows) {
        st = sh_fail(SHEAF_ERR_DIMENSION, "%s: column '%s' has %zu rows, the frame has %zu", caller,
                     col->name, n_rows, frame->n_rows);
        goto fail;
    }
    for (size_t i = 0; i < frame->n_cols; i++)
        if (strcmp(frame->cols[i].name, col->name) == 0) {
            st = sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: duplicate column name '%s'", caller,
                         col->name);
            goto fail;
        }
    if (frame->n_cols == frame->cap_cols) {
        size_t cap = frame->cap_cols ? 2 * frame->cap_cols : 8;
        sh_column *cols = sh_realloc(frame->cols, cap * sizeof *cols);
        if (!cols) {
            st =
                sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory adding column '%s'", caller, col->name);
            goto fail;
        }
        frame->cols = cols;
        frame->cap_cols = cap;
    }
    if (!col->refs) {
        if (!(col->refs = sh_malloc(sizeof *col->refs))) {
            st =
                sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory adding column '%s'", caller, col->name);
            goto fail;
        }
        *col->refs = 1;
    }
    if (frame->n_cols == 0) {
        frame->n_rows = n_rows;
        sh_fill_even_offsets(frame->offsets, frame->n_partitions, n_rows);
    }
    frame->cols[frame->n_cols++] = *col;
    memset(col, 0, sizeof *col);
    return SHEAF_OK;
fail:
    sh_column_clear(col);
    return st;
}

/* Copies valid (or derives it from NaN for float64) into col->valid. */
static sheaf_status copy_validity(sh_column *col, const uint8_t *valid, const double *nan_source,
                                  size_t n_rows)
{
    col->valid = sh_malloc(n_rows);
    if (!col->valid) return SHEAF_ERR_NOMEM;
    for (size_t i = 0; i < n_rows; i++)
        col->valid[i] =
            (uint8_t)((valid ? valid[i] != 0 : 1) && !(nan_source && isnan(nan_source[i])));
    sh_column_settle_validity(col, n_rows);
    return SHEAF_OK;
}

static sheaf_status add_numeric(sheaf_frame *frame, const char *name, sheaf_type type,
                                sheaf_time_unit unit, const void *values, const uint8_t *valid,
                                size_t n_rows, const char *caller)
{
    if (!frame || !name || (n_rows > 0 && !values))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: frame, name or values is NULL", caller);
    sh_column col = {.type = type, .unit = unit};
    size_t width = type == SHEAF_TYPE_FLOAT64 ? sizeof(double) : sizeof(int64_t);
    col.name = sh_strdup(name);
    void *data = sh_malloc_array(n_rows, width);
    if (type == SHEAF_TYPE_FLOAT64)
        col.f64 = data;
    else
        col.i64 = data;
    if (!col.name || !data) goto nomem;
    if (n_rows) memcpy(data, values, n_rows * width);
    if (copy_validity(&col, valid, type == SHEAF_TYPE_FLOAT64 ? values : NULL, n_rows) != SHEAF_OK)
        goto nomem;
    for (size_t i = 0; col.valid && i < n_rows; i++) {
        if (col.valid[i]) continue;
        if (col.f64) col.f64[i] = NAN;
        if (col.i64) col.i64[i] = 0;
    }
    return sh_frame_take_column(frame, &col, n_rows, caller);
nomem:
    sh_column_clear(&col);
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for column '%s' (%zu rows)", caller, name,
                   n_rows);
}

sheaf_status sheaf_frame_add_float64(sheaf_frame *frame, const char *name, const double *values,
                                     const uint8_t *valid, size_t n_rows)
{
    return add_numeric(frame, name, SHEAF_TYPE_FLOAT64, SHEAF_TIME_NS, values, valid, n_rows,
                       "sheaf_frame_add_float64");
}

sheaf_status sheaf_frame_add_int64(sheaf_frame *frame, const char *name, const int64_t *values,
                                   const uint8_t *valid, size_t n_rows)
{
    return add_numeric(frame, name, SHEAF_TYPE_INT64, SHEAF_TIME_NS, values, valid, n_rows,
                       "sheaf_frame_add_int64");
}

sheaf_status sheaf_frame_add_timestamp(sheaf_frame *frame, const char *name, const int64_t *values,
                                       const uint8_t *valid, size_t n_rows, sheaf_time_unit unit)
{
    if (unit != SHEAF_TIME_NS && unit != SHEAF_TIME_S)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "sheaf_frame_add_timestamp: unknown time unit %d", (int)unit);
    return add_numeric(frame, name, SHEAF_TYPE_TIMESTAMP, unit, values, valid, n_rows,
                       "sheaf_frame_add_timestamp");
}

sheaf_status sheaf_frame_add_string(sheaf_frame *frame, const char *name, const char *const *values,
                                    size_t n_rows)
{
    static const char caller[] = "sheaf_frame_add_string";
    if (!frame || !name || (n_rows > 0 && !values))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: frame, name or values is NULL", caller);
    sh_column col = {.type = SHEAF_TYPE_STRING};
    sh_dict dict;
    if (sh_dict_init(&dict) != SHEAF_OK) goto nomem;
    col.name = sh_strdup(name);
    col.codes = sh_malloc_array(n_rows, sizeof *col.codes);
    col.valid = sh_malloc(n_rows);
    if (!col.name || !col.codes || !col.valid) goto nomem;
    for (size_t i = 0; i < n_rows; i++) {
        col.valid[i] = values[i] != NULL;
        col.codes[i] = -1;
        sheaf_status st = values[i]
                              ? sh_dict_intern(&dict, values[i], strlen(values[i]), &col.codes[i])
                              : SHEAF_OK;
        if (st == SHEAF_ERR_FORMAT) {
            sh_dict_clear(&dict);
            sh_column_clear(&col);
            return sh_fail(st, "%s: column '%s' has more than 2^31 distinct strings", caller, name);
        }
        if (st != SHEAF_OK) goto nomem;
    }
    col.dict = sh_dict_release(&dict, &col.dict_size);
    sh_column_settle_validity(&col, n_rows);
    return sh_frame_take_column(frame, &col, n_rows, caller);
nomem:
    sh_dict_clear(&dict);
    sh_column_clear(&col);
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for column '%s' (%zu rows)", caller, name,
                   n_rows);
}

sheaf_status sh_frame_find(const sheaf_frame *frame, const char *name, const char *caller,
                           size_t *index)
{
    if (!name) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: a column name is NULL", caller);
    for (size_t i = 0; i < frame->n_cols; i++)
        if (strcmp(frame->cols[i].name, name) == 0) {
            *index = i;
            return SHEAF_OK;
        }
    return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: no column named '%s'", caller, name);
}

sh_series *sh_series_new(size_t *starts, size_t n_series, size_t longest)
{
    sh_series *s = sh_malloc(sizeof *s);
    if (!s) {
        sh_free(starts);
        return NULL;
    }
    s->refs = 1;
    s->n_series = n_series;
    s->longest = longest;
    s->starts = starts;
    return s;
}

sh_series *sh_series_retain(sh_series *series)
{
    if (series) __atomic_add_fetch(&series->refs, 1, __ATOMIC_RELAXED);
    return series;
}

void sh_series_release(sh_series *series)
{
    if (!series || __atomic_sub_fetch(&series->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
    sh_free(series->starts);
    sh_free(series);
}

void sh_frame_set_series(sheaf_frame *frame, sh_series *series)
{
    sh_series_retain(series);
    sh_series_release(frame->layout.series);
    frame->layout.series = series;
}

void sh_layout_clear(sh_layout *layout)
{
    for (size_t k = 0; k < layout->n_keys; k++)
        sh_free(layout->keys ? layout->keys[k] : NULL);
    sh_free(layout->keys);
    sh_free(layout->time);
    sh_series_release(layout->series);
    memset(layout, 0, sizeof *layout);
}

sheaf_status sh_frame_set_layout(sheaf_frame *frame, const char *const *keys, size_t n_keys,
                                 const char *time, const char *caller)
{
    sh_layout_clear(&frame->layout);
    sh_layout *l = &frame->layout;
    if (!(l->keys = sh_calloc(n_keys, sizeof *l->keys))) goto nomem;
    l->n_keys = n_keys;
    for (size_t k = 0; k < n_keys; k++)
        if (!(l->keys[k] = sh_strdup(keys[k]))) goto nomem;
    if (time && !(l->time = sh_strdup(time))) goto nomem;
    return SHEAF_OK;
nomem:
    sh_layout_clear(l);
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
}

bool sh_frame_has_layout(const sheaf_frame *frame, const char *const *keys, size_t n_keys,
                         const char *time)
{
    const sh_layout *l = &frame->layout;
    if (!l->keys || l->n_keys != n_keys) return false;
    if ((time == NULL) != (l->time == NULL) || (time && strcmp(time, l->time) != 0)) return false;
    for (size_t k = 0; k < n_keys; k++)
        if (strcmp(keys[k], l->keys[k]) != 0) return false;
    return true;
}

sheaf_status sh_frame_clone(const sheaf_frame *in, const char *caller, sheaf_frame **out)
{
    *out = NULL;
    sheaf_frame *f = sh_calloc(1, sizeof *f);
    if (!f) goto nomem;
    f->n_rows = in->n_rows;
    f->n_partitions = in->n_partitions;
    f->offsets = sh_malloc_array(in->n_partitions + 1, sizeof *f->offsets);
    f->cols = sh_calloc(in->n_cols ? in->n_cols : 1, sizeof *f->cols);
    if (!f->offsets || !f->cols) goto nomem;
    memcpy(f->offsets, in->offsets, (in->n_partitions + 1) * sizeof *f->offsets);
    f->cap_cols = in->n_cols ? in->n_cols : 1;
    for (; f->n_cols < in->n_cols; f->n_cols++)
        if (sh_column_share(&in->cols[f->n_cols], NULL, &f->cols[f->n_cols]) != SHEAF_OK)
            goto nomem;
    if (in->layout.keys &&
        sh_frame_set_layout(f, (const char *const *)in->layout.keys, in->layout.n_keys,
                            in->layout.time, caller) != SHEAF_OK)
        goto nomem;
    *out = f;
    return SHEAF_OK;
nomem:
    sheaf_frame_free(f);
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory copying a frame of %zu columns", caller,
                   in->n_cols);
}
