/* partition.c - row-range and hash partitioning, and the permuted deep copy
 * every partitioner ends with.
 *
 * Row ranges keep the rows and cut them into near-equal ranges
 * (sh_fill_even_offsets). Hash partitioning computes one 64-bit hash per row
 * from the key values, sends the row to partition hash mod n, and orders the
 * rows by partition with a stable counting sort, so rows keep their relative
 * order inside a partition. The hash (sh_keys_hash, keys.c) reads values,
 * never storage details: strings hash their bytes (sh_hash_bytes), numbers
 * the bits of the value with -0.0 folded onto 0.0, and every missing value
 * one fixed constant, so equal keys land in the same partition in any frame
 * with the same key types and partition count. Each step is a pure function of the input, so
 * results never depend on the thread count.
 *
 * Both make exactly n partitions (n_partitions, or the context's default
 * when 0), some possibly empty - all of them for a frame without rows. A
 * NULL ctx means the defaults, as in the executor. */
#include "data/keys.h"
#include "data/partition_internal.h"

#include <string.h>

sheaf_status sh_partition_find_keys(const sheaf_frame *in, const char *const *keys, size_t n_keys,
                                    const char *caller, size_t *cols)
{
    if (!keys) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: keys is NULL", caller);
    if (n_keys == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: n_keys is 0 (need at least one key)",
                       caller);
    for (size_t k = 0; k < n_keys; k++) {
        if (!keys[k]) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: key %zu is NULL", caller, k);
        size_t c = 0;
        while (c < in->n_cols && strcmp(in->cols[c].name, keys[k]) != 0)
            c++;
        if (c == in->n_cols)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: no column named '%s' (key %zu)", caller,
                           keys[k], k);
        cols[k] = c;
    }
    return SHEAF_OK;
}

/* Allocates dst's buffers to match src (name, data, validity, dictionary).
 * On failure returns false; what was allocated is left in dst for
 * sh_column_clear. */
static bool alloc_column_like(sh_column *dst, const sh_column *src, size_t n_rows)
{
    dst->type = src->type;
    dst->unit = src->unit;
    if (!(dst->refs = sh_malloc(sizeof *dst->refs))) return false;
    *dst->refs = 1;
    if (!(dst->name = sh_strdup(src->name))) return false;
    switch (src->type) {
    case SHEAF_TYPE_FLOAT64:
        if (!(dst->f64 = sh_malloc_array(n_rows, sizeof *dst->f64))) return false;
        break;
    case SHEAF_TYPE_INT64:
    case SHEAF_TYPE_TIMESTAMP:
        if (!(dst->i64 = sh_malloc_array(n_rows, sizeof *dst->i64))) return false;
        break;
    case SHEAF_TYPE_STRING:
        if (!(dst->codes = sh_malloc_array(n_rows, sizeof *dst->codes))) return false;
        if (!(dst->dict = sh_calloc(src->dict_size, sizeof *dst->dict))) return false;
        dst->dict_size = src->dict_size;
        for (size_t d = 0; d < src->dict_size; d++)
            if (!(dst->dict[d] = sh_strdup(src->dict[d]))) return false;
        break;
    case SHEAF_TYPE_AUTO: break; /* never the type of a built column */
    }
    if (src->valid && !(dst->valid = sh_malloc(n_rows))) return false;
    return true;
}

/* dst[i] = src[perm[i]] (or src[i] when perm is NULL) for every buffer. */
static void gather_column(sh_column *dst, const sh_column *src, const size_t *perm, size_t n_rows,
                          int threads)
{
    long long n = (long long)n_rows;
#pragma omp parallel for schedule(static) num_threads(threads) if (n > SH_PARTITION_PARALLEL_ROWS)
    for (long long i = 0; i < n; i++) {
        size_t from = perm ? perm[i] : (size_t)i;
        if (dst->f64) dst->f64[i] = src->f64[from];
        if (dst->i64) dst->i64[i] = src->i64[from];
        if (dst->codes) dst->codes[i] = src->codes[from];
        if (dst->valid) dst->valid[i] = src->valid[from];
    }
    sh_column_settle_validity(dst, n_rows);
}

sheaf_status sh_frame_permuted(const sheaf_ctx *ctx, const sheaf_frame *in, const size_t *perm,
                               const size_t *offsets, size_t n_partitions, const char *caller,
                               sheaf_frame **out)
{
    int threads = sh_ctx_threads_or_default(ctx);
    sheaf_frame *f = sh_calloc(1, sizeof *f);
    if (!f) goto nomem;
    f->n_rows = in->n_rows;
    f->n_partitions = n_partitions;
    if (!(f->offsets = sh_malloc_array(n_partitions + 1, sizeof *f->offsets))) goto nomem;
    memcpy(f->offsets, offsets, (n_partitions + 1) * sizeof *offsets);
    /* Zeroed columns are safe to clear, so the frame owns each one as soon
     * as the array exists and sheaf_frame_free cleans up any failure. */
    if (!(f->cols = sh_calloc(in->n_cols, sizeof *f->cols))) goto nomem;
    f->n_cols = f->cap_cols = in->n_cols;
    for (size_t c = 0; c < in->n_cols; c++) {
        if (!alloc_column_like(&f->cols[c], &in->cols[c], in->n_rows)) goto nomem;
        gather_column(&f->cols[c], &in->cols[c], perm, in->n_rows, threads);
    }
    *out = f;
    return SHEAF_OK;
nomem:
    sheaf_frame_free(f);
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory copying %zu rows x %zu columns", caller,
                   in->n_rows, in->n_cols);
}

sheaf_status sheaf_frame_partition_rows(const sheaf_ctx *ctx, const sheaf_frame *in,
                                        size_t n_partitions, sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_partition_rows";
    if (out) *out = NULL;
    if (!in || !out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: in or out is NULL", caller);
    size_t n = n_partitions ? n_partitions : sheaf_ctx_partitions(ctx);
    size_t *offsets = n < SIZE_MAX ? sh_malloc_array(n + 1, sizeof *offsets) : NULL;
    if (!offsets)
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu partitions", caller, n);
    sh_fill_even_offsets(offsets, n, in->n_rows);
    sheaf_status st = sh_frame_permuted(ctx, in, NULL, offsets, n, caller, out);
    sh_free(offsets);
    return st;
}

/* ---- hash partitioning ---------------------------------------------------- */

sheaf_status sheaf_frame_partition_hash(const sheaf_ctx *ctx, const sheaf_frame *in,
                                        const char *const *keys, size_t n_keys, size_t n_partitions,
                                        sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_partition_hash";
    if (out) *out = NULL;
    if (!in || !out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: in or out is NULL", caller);
    sheaf_status st = SHEAF_OK;
    size_t n_rows = in->n_rows;
    size_t n = n_partitions ? n_partitions : sheaf_ctx_partitions(ctx);
    size_t *cols = NULL, *part = NULL, *offsets = NULL, *perm = NULL, *next = NULL;
    sh_keys hk = {0};
    if (!(cols = sh_malloc_array(n_keys, sizeof *cols))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu keys", caller, n_keys);
        goto done;
    }
    if ((st = sh_partition_find_keys(in, keys, n_keys, caller, cols)) != SHEAF_OK) goto done;
    if ((st = sh_keys_open(&hk, in, keys, n_keys, caller)) != SHEAF_OK) goto done;
    if (!(part = sh_malloc_array(n_rows, sizeof *part)) ||
        !(perm = sh_malloc_array(n_rows, sizeof *perm)) ||
        !(offsets = n < SIZE_MAX ? sh_calloc(n + 1, sizeof *offsets) : NULL) ||
        !(next = sh_malloc_array(n, sizeof *next))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu rows in %zu partitions", caller,
                     n_rows, n);
        goto done;
    }
    int threads = sh_ctx_threads_or_default(ctx);
    long long count = (long long)n_rows;
#pragma omp parallel for schedule(static)                                                          \
    num_threads(threads) if (count > SH_PARTITION_PARALLEL_ROWS)
    for (long long i = 0; i < count; i++)
        part[i] = (size_t)(sh_keys_hash(&hk, (size_t)i) % n);
    /* Stable counting sort by partition: rows keep their order within one. */
    for (size_t i = 0; i < n_rows; i++)
        offsets[part[i] + 1]++;
    for (size_t p = 0; p < n; p++) {
        offsets[p + 1] += offsets[p];
        next[p] = offsets[p];
    }
    for (size_t i = 0; i < n_rows; i++)
        perm[next[part[i]]++] = i;
    st = sh_frame_permuted(ctx, in, perm, offsets, n, caller, out);
done:
    sh_keys_clear(&hk);
    sh_free(cols);
    sh_free(part);
    sh_free(perm);
    sh_free(offsets);
    sh_free(next);
    return st;
}
