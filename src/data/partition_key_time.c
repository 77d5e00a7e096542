/* partition_key_time.c - "by key, ordered by time" partitioning.
 *
 * Method. Rows are ordered by (key 1, ..., key k, time) with a stable merge
 * sort of (first key, time, row) records, the key and time mapped to
 * unsigned words in value order so most comparisons never leave the record
 * (further keys are compared in the columns on ties of the first). Rows
 * with equal keys and equal times keep their input order; the sorted order
 * is therefore unique and does not depend on the thread count, although
 * blocks and merge passes run in parallel. Keys compare by value: numbers numerically (-0.0 equals
 * 0.0), strings by their bytes (strcmp on the dictionary values, ranked once per dictionary), and
 * missing keys after every present one, all missing values of a key being one group.
 *
 * Cutting. With K distinct keys and n rows the result has exactly
 * P = min(n_partitions, K) partitions, every one non-empty, each key in one
 * partition. Cut p (0 < p < P) goes to the key boundary nearest the even
 * split p*n/P (the earlier one on a tie), moved forward when needed to stay
 * after cut p-1 and moved back when needed to leave one key for each of the
 * later partitions. A frame with no rows gets one empty partition. */
#include "data/partition_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rows sorted by insertion before the merge passes start. */
#define SORT_BLOCK 32

/* One sort column as the comparator reads it. */
typedef struct sort_column {
    const sh_column *col;
    int32_t *rank; /* STRING: rank of each dictionary value in byte order */
} sort_column;

typedef struct sort_spec {
    const sort_column *keys;
    size_t n_keys;
    const sh_column *time;
    /* true when equal first-key words do not prove equal keys: several
     * keys, or a numeric first key whose missing word may collide. */
    bool full;
} sort_spec;

/* What the sort moves: the row, its first key and its time as unsigned
 * words ordered like the values, so most comparisons touch only the
 * record and not the columns. */
typedef struct sort_rec {
    uint64_t key;
    uint64_t time;
    size_t row;
} sort_rec;

static bool is_missing(const sh_column *c, size_t row)
{
    if (c->valid && !c->valid[row]) return true;
    if (c->type == SHEAF_TYPE_FLOAT64) return isnan(c->f64[row]);
    if (c->type == SHEAF_TYPE_STRING) return c->codes[row] < 0;
    return false;
}

/* Three-way comparison of rows a and b in one present-valued column. */
static int compare_present(const sort_column *s, size_t a, size_t b)
{
    const sh_column *c = s->col;
    switch (c->type) {
    case SHEAF_TYPE_FLOAT64: return (c->f64[a] > c->f64[b]) - (c->f64[a] < c->f64[b]);
    case SHEAF_TYPE_INT64:
    case SHEAF_TYPE_TIMESTAMP: return (c->i64[a] > c->i64[b]) - (c->i64[a] < c->i64[b]);
    case SHEAF_TYPE_STRING: {
        int32_t ra = s->rank[c->codes[a]], rb = s->rank[c->codes[b]];
        return (ra > rb) - (ra < rb);
    }
    case SHEAF_TYPE_AUTO: break; /* never the type of a built column */
    }
    return 0;
}

static int compare_keys(const sort_spec *spec, size_t a, size_t b)
{
    for (size_t k = 0; k < spec->n_keys; k++) {
        const sort_column *s = &spec->keys[k];
        bool ma = is_missing(s->col, a), mb = is_missing(s->col, b);
        int r = ma || mb ? (int)ma - (int)mb : compare_present(s, a, b);
        if (r != 0) return r;
    }
    return 0;
}

static int compare_recs(const sort_spec *spec, const sort_rec *a, const sort_rec *b)
{
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    if (spec->full) {
        int r = compare_keys(spec, a->row, b->row);
        if (r != 0) return r;
    }
    return (a->time > b->time) - (a->time < b->time);
}

/* Order-preserving maps to unsigned words: flip the sign bit of integers;
 * for doubles flip every bit of negatives and the sign bit of the rest
 * (after folding -0.0 onto 0.0). */
static uint64_t word_of_int64(int64_t x) { return (uint64_t)x ^ 0x8000000000000000ull; }

static uint64_t word_of_float64(double x)
{
    if (x == 0.0) x = 0.0;
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits & 0x8000000000000000ull ? ~bits : bits | 0x8000000000000000ull;
}

/* The word of a present value; missing values of the first key get
 * UINT64_MAX (strings: the dictionary size, past every rank). */
static uint64_t word_of(const sort_column *s, size_t row)
{
    const sh_column *c = s->col;
    if (is_missing(c, row)) return c->type == SHEAF_TYPE_STRING ? c->dict_size : UINT64_MAX;
    switch (c->type) {
    case SHEAF_TYPE_FLOAT64: return word_of_float64(c->f64[row]);
    case SHEAF_TYPE_INT64:
    case SHEAF_TYPE_TIMESTAMP: return word_of_int64(c->i64[row]);
    case SHEAF_TYPE_STRING: return (uint64_t)s->rank[c->codes[row]];
    case SHEAF_TYPE_AUTO: break; /* never the type of a built column */
    }
    return 0;
}

/* Merges the sorted runs src[lo, mid) and src[mid, hi) into dst[lo, hi),
 * taking from the left run on ties (stability). */
static void merge_runs(const sort_spec *spec, const sort_rec *src, sort_rec *dst, size_t lo,
                       size_t mid, size_t hi)
{
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        dst[k++] = compare_recs(spec, &src[j], &src[i]) < 0 ? src[j++] : src[i++];
    while (i < mid)
        dst[k++] = src[i++];
    while (j < hi)
        dst[k++] = src[j++];
}

/* Stable merge sort of rec[0..n), with scratch tmp[0..n). Blocks and the
 * pairs of one merge pass are independent, so they run in parallel; the
 * result is the unique stable order whatever the thread count. */
static void sort_records(const sort_spec *spec, sort_rec *rec, sort_rec *tmp, size_t n, int threads)
{
    long long blocks = (long long)((n + SORT_BLOCK - 1) / SORT_BLOCK);
#pragma omp parallel for schedule(static) num_threads(threads) if (n > SH_PARTITION_PARALLEL_ROWS)
    for (long long b = 0; b < blocks; b++) {
        size_t lo = (size_t)b * SORT_BLOCK, hi = lo + SORT_BLOCK < n ? lo + SORT_BLOCK : n;
        for (size_t i = lo + 1; i < hi; i++) {
            sort_rec v = rec[i];
            size_t j = i;
            for (; j > lo && compare_recs(spec, &v, &rec[j - 1]) < 0; j--)
                rec[j] = rec[j - 1];
            rec[j] = v;
        }
    }
    sort_rec *src = rec, *dst = tmp;
    for (size_t width = SORT_BLOCK; width < n; width *= 2) {
        long long pairs = (long long)((n + 2 * width - 1) / (2 * width));
#pragma omp parallel for schedule(dynamic, 1)                                                      \
    num_threads(threads) if (n > SH_PARTITION_PARALLEL_ROWS)
        for (long long q = 0; q < pairs; q++) {
            size_t lo = (size_t)q * 2 * width;
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = mid + width < n ? mid + width : n;
            merge_runs(spec, src, dst, lo, mid, hi);
        }
        sort_rec *swap = src;
        src = dst;
        dst = swap;
    }
    if (src != rec) memcpy(rec, src, n * sizeof *rec);
}

static int compare_dict_slots(const void *a, const void *b)
{
    return strcmp(**(char *const *const *)a, **(char *const *const *)b);
}

/* rank[code] = position of dictionary value code in byte order. The values
 * are distinct, so the order is unique and qsort's instability is moot. */
static sheaf_status rank_dictionary(const sh_column *c, int32_t **rank_out)
{
    size_t n = c->dict_size;
    sheaf_status st = SHEAF_OK;
    char *const **slots = sh_malloc_array(n, sizeof *slots);
    int32_t *rank = sh_malloc_array(n, sizeof *rank);
    if (!slots || !rank) {
        st = SHEAF_ERR_NOMEM;
        goto done;
    }
    for (size_t d = 0; d < n; d++)
        slots[d] = &c->dict[d];
    if (n > 1) qsort(slots, n, sizeof *slots, compare_dict_slots);
    for (size_t r = 0; r < n; r++)
        rank[slots[r] - c->dict] = (int32_t)r;
    *rank_out = rank;
    rank = NULL;
done:
    sh_free(slots);
    sh_free(rank);
    return st;
}

static sheaf_status check_time(const sheaf_frame *in, const char *time, const char *caller,
                               const sh_column **out)
{
    if (!time) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: time is NULL", caller);
    const sh_column *c = NULL;
    for (size_t i = 0; i < in->n_cols && !c; i++)
        if (strcmp(in->cols[i].name, time) == 0) c = &in->cols[i];
    if (!c)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: no column named '%s' (time)", caller, time);
    if (c->type != SHEAF_TYPE_FLOAT64 && c->type != SHEAF_TYPE_INT64 &&
        c->type != SHEAF_TYPE_TIMESTAMP)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: time column '%s' is a string column; it must be int64, float64 "
                       "or timestamp",
                       caller, time);
    for (size_t i = 0; i < in->n_rows; i++)
        if (is_missing(c, i))
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: time column '%s' has a missing value at row %zu", caller, time, i);
    *out = c;
    return SHEAF_OK;
}

/* offsets[0..*n_parts] for the sorted records, as the file comment says;
 * starts (n_rows + 1 entries) is scratch. */
static void cut_at_keys(const sort_spec *spec, const sort_rec *rec, size_t n_rows, size_t wanted,
                        size_t *starts, size_t *offsets, size_t *n_parts)
{
    if (n_rows == 0) {
        offsets[0] = offsets[1] = 0;
        *n_parts = 1;
        return;
    }
    size_t n_keys = 0; /* distinct keys; starts[j] = first sorted row of key j */
    starts[n_keys++] = 0;
    for (size_t i = 1; i < n_rows; i++)
        if (rec[i - 1].key != rec[i].key ||
            (spec->full && compare_keys(spec, rec[i - 1].row, rec[i].row) != 0))
            starts[n_keys++] = i;
    starts[n_keys] = n_rows;
    size_t parts = wanted < n_keys ? wanted : n_keys;
    size_t prev = 0; /* key index where the previous partition starts */
    offsets[0] = 0;
    for (size_t p = 1; p < parts; p++) {
        /* target = p * n_rows / parts, compared exactly as starts * parts. */
        unsigned __int128 target = (unsigned __int128)p * n_rows;
        size_t lo = 1, hi = n_keys; /* first key j >= 1 with starts[j]*parts >= target */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if ((unsigned __int128)starts[mid] * parts >= target)
                hi = mid;
            else
                lo = mid + 1;
        }
        size_t j = lo;
        if (j > 1 && (j == n_keys || target - (unsigned __int128)starts[j - 1] * parts <=
                                         (unsigned __int128)starts[j] * parts - target))
            j--;
        if (j < prev + 1) j = prev + 1;
        if (j > n_keys - (parts - p)) j = n_keys - (parts - p);
        offsets[p] = starts[j];
        prev = j;
    }
    offsets[parts] = n_rows;
    *n_parts = parts;
}

sheaf_status sheaf_frame_partition_by_key_time(const sheaf_ctx *ctx, const sheaf_frame *in,
                                               const char *const *keys, size_t n_keys,
                                               const char *time, size_t n_partitions,
                                               sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_partition_by_key_time";
    if (out) *out = NULL;
    if (!in || !out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: in or out is NULL", caller);
    sheaf_status st = SHEAF_OK;
    int threads = sh_ctx_threads_or_default(ctx);
    size_t n_rows = in->n_rows;
    size_t wanted = n_partitions ? n_partitions : sheaf_ctx_partitions(ctx);
    size_t *cols = NULL, *idx = NULL, *starts = NULL, *offsets = NULL;
    sort_rec *rec = NULL, *tmp = NULL;
    sort_column *sc = NULL;
    const sh_column *time_col = NULL;
    if (!(cols = sh_malloc_array(n_keys, sizeof *cols)) || !(sc = sh_calloc(n_keys, sizeof *sc))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu keys", caller, n_keys);
        goto done;
    }
    if ((st = sh_partition_find_keys(in, keys, n_keys, caller, cols)) != SHEAF_OK) goto done;
    if ((st = check_time(in, time, caller, &time_col)) != SHEAF_OK) goto done;
    for (size_t k = 0; k < n_keys; k++) {
        sc[k].col = &in->cols[cols[k]];
        if (sc[k].col->type == SHEAF_TYPE_STRING &&
            rank_dictionary(sc[k].col, &sc[k].rank) != SHEAF_OK) {
            st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory ranking the values of key '%s'",
                         caller, keys[k]);
            goto done;
        }
    }
    /* At most min(wanted, n_rows) partitions, and one when there are no rows. */
    size_t max_parts = wanted < n_rows ? wanted : (n_rows ? n_rows : 1);
    if (!(rec = sh_malloc_array(n_rows, sizeof *rec)) ||
        !(tmp = sh_malloc_array(n_rows, sizeof *tmp)) ||
        !(idx = sh_malloc_array(n_rows, sizeof *idx)) ||
        !(starts = n_rows < SIZE_MAX ? sh_malloc_array(n_rows + 1, sizeof *starts) : NULL) ||
        !(offsets = sh_malloc_array(max_parts + 1, sizeof *offsets))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory sorting %zu rows", caller, n_rows);
        goto done;
    }
    const sh_column *first = sc[0].col;
    sort_spec spec = {sc, n_keys, time_col,
                      n_keys > 1 || (first->type != SHEAF_TYPE_STRING &&
                                     first->type != SHEAF_TYPE_FLOAT64 && first->missing > 0)};
    long long count = (long long)n_rows;
#pragma omp parallel for schedule(static)                                                          \
    num_threads(threads) if (count > SH_PARTITION_PARALLEL_ROWS)
    for (long long i = 0; i < count; i++) {
        size_t row = (size_t)i;
        rec[i].key = word_of(&sc[0], row);
        rec[i].time = time_col->type == SHEAF_TYPE_FLOAT64 ? word_of_float64(time_col->f64[row])
                                                           : word_of_int64(time_col->i64[row]);
        rec[i].row = row;
    }
    sort_records(&spec, rec, tmp, n_rows, threads);
    for (size_t i = 0; i < n_rows; i++)
        idx[i] = rec[i].row;
    size_t parts = 0;
    cut_at_keys(&spec, rec, n_rows, max_parts, starts, offsets, &parts);
    st = sh_frame_permuted(ctx, in, idx, offsets, parts, caller, out);
    if (st == SHEAF_OK &&
        (st = sh_frame_set_layout(*out, keys, n_keys, time, caller)) != SHEAF_OK) {
        sheaf_frame_free(*out);
        *out = NULL;
    }
done:
    for (size_t k = 0; sc && k < n_keys; k++)
        sh_free(sc[k].rank);
    sh_free(sc);
    sh_free(cols);
    sh_free(rec);
    sh_free(tmp);
    sh_free(idx);
    sh_free(starts);
    sh_free(offsets);
    return st;
}
