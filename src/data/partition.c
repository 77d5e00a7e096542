/* partition.c - row-range and hash partitioning, and the permuted deep copy
 * every partitioner ends with.
 *
 * The copy gathers column by column, each in parallel blocks of output rows
 * reading the source rows through the permutation with software prefetch a
 * few dozen rows ahead (random reads are latency-bound, so keeping several
 * in flight is what makes it fast), into huge-page-advised buffers.
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

/* Allocates dst's buffers to match src (name, data, validity when src has
 * one, dictionary). On failure returns false; what was allocated is left in
 * dst for sh_column_clear. */
static bool alloc_column_like(sh_column *dst, const sh_column *src, size_t n_rows)
{
    dst->type = src->type;
    dst->unit = src->unit;
    dst->missing = src->missing;
    if (!(dst->refs = sh_malloc(sizeof *dst->refs))) return false;
    *dst->refs = 1;
    if (!(dst->name = sh_strdup(src->name))) return false;
    switch (src->type) {
    case SHEAF_TYPE_FLOAT64:
        if (!(dst->f64 = sh_malloc_large((n_rows ? n_rows : 1) * sizeof *dst->f64))) return false;
        break;
    case SHEAF_TYPE_INT64:
    case SHEAF_TYPE_TIMESTAMP:
        if (!(dst->i64 = sh_malloc_large((n_rows ? n_rows : 1) * sizeof *dst->i64))) return false;
        break;
    case SHEAF_TYPE_STRING:
        if (!(dst->codes = sh_malloc_large((n_rows ? n_rows : 1) * sizeof *dst->codes)))
            return false;
        if (!(dst->dict = sh_calloc(src->dict_size, sizeof *dst->dict))) return false;
        dst->dict_size = src->dict_size;
        for (size_t d = 0; d < src->dict_size; d++)
            if (!(dst->dict[d] = sh_strdup(src->dict[d]))) return false;
        break;
    case SHEAF_TYPE_AUTO: break; /* never the type of a built column */
    }
    if (src->valid && !(dst->valid = sh_malloc_large(n_rows ? n_rows : 1))) return false;
    return true;
}

/* Rows a gather task copies at a time, and how far ahead it prefetches the
 * source rows of a random permutation (far enough to cover the memory
 * latency, near enough to stay in the cache until used). */
#define GATHER_BLOCK 16384
#define PREFETCH_AHEAD 32

/* name(dst, src, perm, b, e): dst[i] = src[perm[i]] for i in [b, e). */
#define DEFINE_GATHER(name, T, P)                                                                  \
    static void name(T *restrict dst, const T *restrict src, const P *restrict perm, size_t b,     \
                     size_t e)                                                                     \
    {                                                                                              \
        size_t i = b;                                                                              \
        for (; i + PREFETCH_AHEAD < e; i++) {                                                      \
            __builtin_prefetch(&src[perm[i + PREFETCH_AHEAD]]);                                    \
            dst[i] = src[perm[i]];                                                                 \
        }                                                                                          \
        for (; i < e; i++)                                                                         \
            dst[i] = src[perm[i]];                                                                 \
    }

DEFINE_GATHER(gather8_z, uint64_t, size_t)
DEFINE_GATHER(gather4_z, uint32_t, size_t)
DEFINE_GATHER(gather1_z, uint8_t, size_t)
DEFINE_GATHER(gather8_u, uint64_t, uint32_t)
DEFINE_GATHER(gather4_u, uint32_t, uint32_t)
DEFINE_GATHER(gather1_u, uint8_t, uint32_t)

/* The row order: perm_z (size_t), perm_u (uint32_t) or neither (identity);
 * with scatter, the two steps scatter then perm_u (sh_radix_sort_order),
 * through tmp (n_rows x 8 bytes). */
typedef struct row_order {
    const size_t *perm_z;
    const uint32_t *perm_u;
    const uint32_t *scatter;
    void *tmp;
} row_order;

/* name(dst, src, slot, b, e): dst[slot[j]] = src[j] for j in [b, e). */
#define DEFINE_SCATTER(name, T)                                                                    \
    static void name(T *restrict dst, const T *restrict src, const uint32_t *restrict slot,        \
                     size_t b, size_t e)                                                           \
    {                                                                                              \
        for (size_t j = b; j < e; j++)                                                             \
            dst[slot[j]] = src[j];                                                                 \
    }

DEFINE_SCATTER(scatter8, uint64_t)
DEFINE_SCATTER(scatter4, uint32_t)
DEFINE_SCATTER(scatter1, uint8_t)

static void scatter_block(void *dst, const void *src, size_t width, const uint32_t *slot, size_t b,
                          size_t e)
{
    if (width == 8)
        scatter8(dst, src, slot, b, e);
    else if (width == 4)
        scatter4(dst, src, slot, b, e);
    else
        scatter1(dst, src, slot, b, e);
}

/* dst[i] = src[order(i)], i in [b, e), for elements of width 8, 4 or 1. */
static void gather_block(void *dst, const void *src, size_t width, const row_order *o, size_t b,
                         size_t e)
{
    if (!o->perm_z && !o->perm_u) {
        memcpy((char *)dst + b * width, (const char *)src + b * width, (e - b) * width);
        return;
    }
    switch (width) {
    case 8:
        if (o->perm_u)
            gather8_u(dst, src, o->perm_u, b, e);
        else
            gather8_z(dst, src, o->perm_z, b, e);
        break;
    case 4:
        if (o->perm_u)
            gather4_u(dst, src, o->perm_u, b, e);
        else
            gather4_z(dst, src, o->perm_z, b, e);
        break;
    default:
        if (o->perm_u)
            gather1_u(dst, src, o->perm_u, b, e);
        else
            gather1_z(dst, src, o->perm_z, b, e);
        break;
    }
}

/* One buffer (elements of width bytes) of n_rows rows in row order o:
 * blocks of output rows in parallel; the two-step order first scatters
 * blocks of input rows into o->tmp. */
static void gather_buffer(void *to, const void *from, size_t width, const row_order *o,
                          size_t n_rows, int threads)
{
    long long blocks = (long long)((n_rows + GATHER_BLOCK - 1) / GATHER_BLOCK);
    row_order local = {NULL, o->perm_u, NULL, NULL};
    if (o->scatter) {
#pragma omp parallel for schedule(static)                                                          \
    num_threads(threads) if (n_rows > SH_PARTITION_PARALLEL_ROWS)
        for (long long k = 0; k < blocks; k++) {
            size_t b = (size_t)k * GATHER_BLOCK;
            size_t e = b + GATHER_BLOCK < n_rows ? b + GATHER_BLOCK : n_rows;
            scatter_block(o->tmp, from, width, o->scatter, b, e);
        }
        from = o->tmp;
        o = &local;
    }
#pragma omp parallel for schedule(static)                                                          \
    num_threads(threads) if (n_rows > SH_PARTITION_PARALLEL_ROWS)
    for (long long k = 0; k < blocks; k++) {
        size_t b = (size_t)k * GATHER_BLOCK;
        size_t e = b + GATHER_BLOCK < n_rows ? b + GATHER_BLOCK : n_rows;
        gather_block(to, from, width, o, b, e);
    }
}

/* Every buffer of dst from src in row order o. A float64 column's validity
 * is derived from its values (missing is NaN, and NaN missing), which saves
 * moving a byte per row. The missing count is src's (o permutes). */
static void gather_column(sh_column *dst, const sh_column *src, const row_order *o, size_t n_rows,
                          int threads)
{
    const void *from = src->f64   ? (const void *)src->f64
                       : src->i64 ? (const void *)src->i64
                                  : (const void *)src->codes;
    void *to = dst->f64 ? (void *)dst->f64 : dst->i64 ? (void *)dst->i64 : (void *)dst->codes;
    size_t width = src->codes ? sizeof(int32_t) : sizeof(int64_t);
    if (from) gather_buffer(to, from, width, o, n_rows, threads);
    if (!src->valid) return;
    if (src->type != SHEAF_TYPE_FLOAT64) {
        gather_buffer(dst->valid, src->valid, 1, o, n_rows, threads);
        return;
    }
    long long count = (long long)n_rows;
    const double *v = dst->f64;
    uint8_t *valid = dst->valid;
#pragma omp parallel for schedule(static)                                                          \
    num_threads(threads) if (n_rows > SH_PARTITION_PARALLEL_ROWS)
    for (long long i = 0; i < count; i++)
        valid[i] = v[i] == v[i];
}

static sheaf_status permuted(const sheaf_ctx *ctx, const sheaf_frame *in, const row_order *o,
                             const bool *skip, const size_t *offsets, size_t n_partitions,
                             const char *caller, sheaf_frame **out)
{
    int threads = sh_ctx_threads_or_default(ctx);
    row_order order = *o; /* o with its scratch */
    void *own_tmp = NULL; /* the two-step scratch, when the caller lent none */
    sheaf_frame *f = sh_calloc(1, sizeof *f);
    if (!f) goto nomem;
    f->n_rows = in->n_rows;
    f->n_partitions = n_partitions;
    if (!(f->offsets = sh_malloc_array(n_partitions + 1, sizeof *f->offsets))) goto nomem;
    memcpy(f->offsets, offsets, (n_partitions + 1) * sizeof *offsets);
    /* Zeroed columns are safe to clear, so the frame owns each one as soon
     * as the array exists and sheaf_frame_free cleans up any failure. */
    if (!(f->cols = sh_calloc(in->n_cols ? in->n_cols : 1, sizeof *f->cols))) goto nomem;
    f->n_cols = f->cap_cols = in->n_cols;
    if (o->scatter && !o->tmp &&
        !(order.tmp = own_tmp = sh_malloc_large((in->n_rows ? in->n_rows : 1) * 8)))
        goto nomem;
    for (size_t c = 0; c < in->n_cols; c++) {
        if (!alloc_column_like(&f->cols[c], &in->cols[c], in->n_rows)) goto nomem;
        if (!skip || !skip[c])
            gather_column(&f->cols[c], &in->cols[c], &order, in->n_rows, threads);
    }
    sh_free(own_tmp);
    *out = f;
    return SHEAF_OK;
nomem:
    sh_free(own_tmp);
    sheaf_frame_free(f);
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory copying %zu rows x %zu columns", caller,
                   in->n_rows, in->n_cols);
}

sheaf_status sh_frame_permuted(const sheaf_ctx *ctx, const sheaf_frame *in, const size_t *perm,
                               const size_t *offsets, size_t n_partitions, const char *caller,
                               sheaf_frame **out)
{
    row_order o = {perm, NULL, NULL, NULL};
    return permuted(ctx, in, &o, NULL, offsets, n_partitions, caller, out);
}

sheaf_status sh_frame_permuted_u32(const sheaf_ctx *ctx, const sheaf_frame *in,
                                   const uint32_t *scatter, const uint32_t *perm, void *scratch,
                                   const bool *skip, const size_t *offsets, size_t n_partitions,
                                   const char *caller, sheaf_frame **out)
{
    row_order o = {NULL, perm, scatter, scratch};
    return permuted(ctx, in, &o, skip, offsets, n_partitions, caller, out);
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
