/* keys_gather.c - building the result frames of keyed operations: a column
 * gathered through a row index (missing where the index says no row), a
 * copied string dictionary, a given partition table, an inherited layout.
 *
 * Method: a plain indexed copy, the "take" of Arrow and pandas; the rows
 * are independent, so an OpenMP loop over them gives the same bytes for
 * any thread count. */
#include "data/keys.h"
#include "data/partition_internal.h"

#include <math.h>
#include <string.h>

sheaf_status sh_copy_dictionary(sh_column *dst, const sh_column *src)
{
    if (src->dict_size == 0) return SHEAF_OK;
    if (!(dst->dict = sh_calloc(src->dict_size, sizeof *dst->dict))) return SHEAF_ERR_NOMEM;
    dst->dict_size = src->dict_size;
    for (size_t d = 0; d < src->dict_size; d++)
        if (!(dst->dict[d] = sh_strdup(src->dict[d]))) return SHEAF_ERR_NOMEM;
    return SHEAF_OK;
}

sheaf_status sh_gather_column(const sh_column *src, const char *name, const size_t *idx, size_t n,
                              int threads, const char *caller, sh_column *dst)
{
    sheaf_status st = sh_column_alloc(dst, name, src->type, src->unit, n, caller);
    if (st != SHEAF_OK) return st;
    if (src->type == SHEAF_TYPE_STRING && sh_copy_dictionary(dst, src) != SHEAF_OK) {
        sh_column_clear(dst);
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory copying the strings of column '%s'",
                       caller, name);
    }
    long long count = (long long)n;
    const uint8_t *sv = src->valid;
#pragma omp parallel for schedule(static)                                                          \
    num_threads(threads) if (count > SH_PARTITION_PARALLEL_ROWS)
    for (long long i = 0; i < count; i++) {
        size_t r = idx[i];
        bool none = r == SH_ROW_NONE;
        switch (src->type) {
        case SHEAF_TYPE_FLOAT64: dst->f64[i] = none ? NAN : src->f64[r]; break;
        case SHEAF_TYPE_STRING: dst->codes[i] = none ? -1 : src->codes[r]; break;
        default: dst->i64[i] = none ? 0 : src->i64[r]; break;
        }
        dst->valid[i] = none ? 0 : (sv ? sv[r] : 1);
    }
    sh_column_settle_validity(dst, n);
    return SHEAF_OK;
}

sheaf_status sh_frame_set_offsets(sheaf_frame *frame, const size_t *offsets, size_t n,
                                  const char *caller)
{
    size_t *copy = sh_malloc_array(n + 1, sizeof *copy);
    if (!copy) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu partitions", caller, n);
    memcpy(copy, offsets, (n + 1) * sizeof *copy);
    sh_free(frame->offsets);
    frame->offsets = copy;
    frame->n_partitions = n;
    return SHEAF_OK;
}

static bool has_column(const sheaf_frame *frame, const char *name)
{
    for (size_t i = 0; i < frame->n_cols; i++)
        if (strcmp(frame->cols[i].name, name) == 0) return true;
    return false;
}

sheaf_status sh_frame_inherit_layout(sheaf_frame *frame, const sheaf_frame *src, const char *caller)
{
    const sh_layout *l = &src->layout;
    if (!l->keys) return SHEAF_OK;
    for (size_t k = 0; k < l->n_keys; k++)
        if (!has_column(frame, l->keys[k])) return SHEAF_OK;
    if (l->time && !has_column(frame, l->time)) return SHEAF_OK;
    return sh_frame_set_layout(frame, (const char *const *)l->keys, l->n_keys, l->time, caller);
}
