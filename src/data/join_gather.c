/* join_gather.c - the result columns of a join: source columns' rows taken
 * through a row index (missing where the index says no row).
 *
 * Method: the "take" of Arrow and pandas, tuned for the random indexes a
 * hash join yields, whose sources are far bigger than the cache. Small or
 * ordered takes copy row by row, prefetching each source row a few
 * iterations ahead (Chen, Ailamaki, Gibbons and Mowry, ICDE 2004). Big
 * random takes use radix-decluster (Manegold, Boncz, Nes and Kersten,
 * "Cache-conscious radix-decluster projections", VLDB 2004): the (output
 * row, source row) pairs are partitioned once by source-row range, stably,
 * per window of output rows; each column is then read partition by
 * partition (its source range in cache) into a staging array, and written
 * window by window (the window of the result in cache), so that neither
 * side misses the cache on every row. float64 validity follows from the
 * value (NaN is missing, and missing float64 rows hold NaN). Every output
 * row depends on its index alone: any thread count gives the same bytes. */
#include "data/join_internal.h"
#include "data/partition_internal.h"

/* Iterations ahead whose source row is prefetched. */
#define AHEAD 16
/* Source rows per partition (2^SRC_BITS): 512 KiB of 8-byte values. */
#define SRC_BITS 16
/* Output rows per window: 256 KiB of 8-byte values. */
#define WINDOW 32768
/* Takes below this many rows, or from sources below it, copy row by row. */
#define RADIX_MIN_ROWS 1000000

struct sh_join_take {
    const size_t *idx;
    size_t n, n_src;
    int threads;
    size_t n_parts;              /* source ranges, plus one last part for missing rows */
    size_t n_windows;            /* 0: row by row */
    size_t *cursor;              /* n_windows * n_parts: where (window, part) starts in pairs */
    size_t *pstart;              /* n_parts + 1 */
    uint32_t *out_row, *src_row; /* the pairs, partitioned */
    uint64_t *stage;             /* n staged values */
};

static size_t part_of(const sh_join_take *t, size_t r)
{
    return r == SH_ROW_NONE ? t->n_parts - 1 : r >> SRC_BITS;
}

static size_t window_end(const sh_join_take *t, size_t w)
{
    return (w + 1) * WINDOW < t->n ? (w + 1) * WINDOW : t->n;
}

static sheaf_status plan(sh_join_take *t)
{
    size_t n = t->n, n_windows = (n + WINDOW - 1) / WINDOW, n_parts;
    n_parts = t->n_parts = ((t->n_src - 1) >> SRC_BITS) + 2;
    size_t *count = NULL;
    if (!(t->cursor = sh_calloc(n_windows * n_parts, sizeof *t->cursor)) ||
        !(count = sh_malloc_array(n_windows * n_parts, sizeof *count)) ||
        !(t->pstart = sh_malloc_array(n_parts + 1, sizeof *t->pstart)) ||
        !(t->out_row = sh_malloc_large(n * sizeof *t->out_row)) ||
        !(t->src_row = sh_malloc_large(n * sizeof *t->src_row)) ||
        !(t->stage = sh_malloc_large(n * sizeof *t->stage))) {
        sh_free(count);
        return SHEAF_ERR_NOMEM;
    }
    t->n_windows = n_windows;
    long long nw = (long long)n_windows;
#pragma omp parallel for schedule(static) num_threads(t->threads)
    for (long long w = 0; w < nw; w++) {
        size_t *c = t->cursor + (size_t)w * n_parts;
        for (size_t i = (size_t)w * WINDOW; i < window_end(t, (size_t)w); i++)
            c[part_of(t, t->idx[i])]++;
    }
    /* cursor[w][p] becomes the start of (w, p): parts in order, windows in
     * order within a part - a stable partition of the output rows. */
    size_t at = 0;
    for (size_t p = 0; p < n_parts; p++) {
        t->pstart[p] = at;
        for (size_t w = 0; w < n_windows; w++) {
            size_t c = t->cursor[w * n_parts + p];
            t->cursor[w * n_parts + p] = at;
            at += c;
        }
    }
    t->pstart[n_parts] = at;
    memcpy(count, t->cursor, n_windows * n_parts * sizeof *count);
#pragma omp parallel for schedule(static) num_threads(t->threads)
    for (long long w = 0; w < nw; w++) {
        size_t *c = count + (size_t)w * n_parts;
        for (size_t i = (size_t)w * WINDOW; i < window_end(t, (size_t)w); i++) {
            size_t r = t->idx[i], k = c[part_of(t, r)]++;
            t->out_row[k] = (uint32_t)i;
            t->src_row[k] = r == SH_ROW_NONE ? 0 : (uint32_t)r;
        }
    }
    sh_free(count);
    return SHEAF_OK;
}

sheaf_status sh_join_take_create(const size_t *idx, size_t n, size_t n_src, bool ordered,
                                 int threads, sh_join_take **out)
{
    sh_join_take *t = sh_calloc(1, sizeof *t);
    *out = NULL;
    if (!t) return SHEAF_ERR_NOMEM;
    *t = (sh_join_take){.idx = idx, .n = n, .n_src = n_src, .threads = threads};
    /* The plan's cursor table (windows x parts) must stay small beside the
     * rows, which bounds the radix path to a few billion rows. */
    bool radix = !ordered && n >= RADIX_MIN_ROWS && n_src >= RADIX_MIN_ROWS && n < UINT32_MAX &&
                 n_src < UINT32_MAX && (n / WINDOW + 1) * ((n_src >> SRC_BITS) + 2) <= n / 8;
    if (radix && plan(t) != SHEAF_OK) {
        sh_join_take_free(t);
        return SHEAF_ERR_NOMEM;
    }
    *out = t;
    return SHEAF_OK;
}

void sh_join_take_free(sh_join_take *t)
{
    if (!t) return;
    sh_free(t->cursor);
    sh_free(t->pstart);
    sh_free(t->out_row);
    sh_free(t->src_row);
    sh_free(t->stage);
    sh_free(t);
}

/* One element type's copies, for rows [lo, hi) of the three loops below. */
typedef enum step { DIRECT, STAGE, DECLUSTER } step;

#define COPY(type)                                                                                 \
    do {                                                                                           \
        const type *s = src;                                                                       \
        type *d = dst, *stage = (type *)t->stage, z;                                               \
        memcpy(&z, none, sizeof z);                                                                \
        if (how == DIRECT)                                                                         \
            for (size_t i = lo; i < hi; i++) {                                                     \
                if (i + AHEAD < hi && idx[i + AHEAD] != SH_ROW_NONE)                               \
                    __builtin_prefetch(&s[idx[i + AHEAD]]);                                        \
                d[i] = idx[i] == SH_ROW_NONE ? z : s[idx[i]];                                      \
            }                                                                                      \
        else if (how == STAGE)                                                                     \
            for (size_t k = lo; k < hi; k++)                                                       \
                stage[k] = missing ? z : s[t->src_row[k]];                                         \
        else                                                                                       \
            for (size_t k = lo; k < hi; k++)                                                       \
                d[t->out_row[k]] = stage[k];                                                       \
    } while (0)

static void copy_rows(const sh_join_take *t, step how, size_t width, const void *src,
                      const void *none, void *dst, size_t lo, size_t hi, bool missing)
{
    const size_t *idx = t->idx;
    switch (width) {
    case 8: COPY(uint64_t); break;
    case 4: COPY(uint32_t); break;
    default: COPY(uint8_t); break;
    }
}

/* dst[i] = src[idx[i]] (elements of width bytes), or *none where idx[i] is
 * SH_ROW_NONE: row by row, or staged through the plan. */
static void take(const sh_join_take *t, size_t width, const void *src, const void *none, void *dst)
{
    if (t->n_windows == 0) {
        long long blocks = (long long)((t->n + WINDOW - 1) / WINDOW);
#pragma omp parallel for schedule(static) num_threads(t->threads) if (blocks > 1)
        for (long long b = 0; b < blocks; b++)
            copy_rows(t, DIRECT, width, src, none, dst, (size_t)b * WINDOW,
                      window_end(t, (size_t)b), false);
        return;
    }
    long long np = (long long)t->n_parts, nw = (long long)t->n_windows;
#pragma omp parallel for schedule(dynamic, 1) num_threads(t->threads)
    for (long long p = 0; p < np; p++)
        copy_rows(t, STAGE, width, src, none, dst, t->pstart[p], t->pstart[p + 1], p == np - 1);
#pragma omp parallel for schedule(static) num_threads(t->threads)
    for (long long w = 0; w < nw; w++) {
        const size_t *c = t->cursor + (size_t)w * (size_t)np;
        const size_t *next = w + 1 < nw ? c + np : t->pstart + 1;
        for (long long p = 0; p < np; p++)
            copy_rows(t, DECLUSTER, width, src, none, dst, c[p], next[p], false);
    }
}

sheaf_status sh_join_take_column(const sh_join_take *t, const sh_column *src, const char *name,
                                 const char *caller, sh_column *dst)
{
    size_t n = t->n;
    sheaf_status st = sh_column_alloc(dst, name, src->type, src->unit, n, caller);
    if (st != SHEAF_OK) return st;
    if (src->type == SHEAF_TYPE_STRING && sh_copy_dictionary(dst, src) != SHEAF_OK) {
        sh_column_clear(dst);
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory copying the strings of column '%s'",
                       caller, name);
    }
    long long count = (long long)n;
    switch (src->type) {
    case SHEAF_TYPE_FLOAT64: {
        const double nan = NAN;
        uint64_t none;
        memcpy(&none, &nan, sizeof none);
        take(t, 8, src->f64, &none, dst->f64);
        const double *x = dst->f64;
        uint8_t *valid = dst->valid;
#pragma omp parallel for schedule(static)                                                          \
    num_threads(t->threads) if (count > SH_PARTITION_PARALLEL_ROWS)
        for (long long i = 0; i < count; i++)
            valid[i] = !isnan(x[i]);
        break;
    }
    case SHEAF_TYPE_STRING: take(t, 4, src->codes, &(int32_t){-1}, dst->codes); break;
    default: take(t, 8, src->i64, &(int64_t){0}, dst->i64); break;
    }
    if (src->type != SHEAF_TYPE_FLOAT64) {
        if (src->valid)
            take(t, 1, src->valid, &(uint8_t){0}, dst->valid);
        else {
            const size_t *idx = t->idx;
            uint8_t *valid = dst->valid;
#pragma omp parallel for schedule(static)                                                          \
    num_threads(t->threads) if (count > SH_PARTITION_PARALLEL_ROWS)
            for (long long i = 0; i < count; i++)
                valid[i] = idx[i] != SH_ROW_NONE;
        }
    }
    sh_column_settle_validity(dst, n);
    return SHEAF_OK;
}
