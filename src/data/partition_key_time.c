/* partition_key_time.c - "by key, ordered by time" partitioning.
 *
 * Method. Rows are ordered by (key 1, ..., key k, time) with a stable sort,
 * the key and time mapped to unsigned words in value order. One key whose
 * words identify its values (every key but an int64/timestamp one with
 * missing values, whose missing word may collide) takes the radix path:
 * words offset by their minimum, packed key-above-time into one 64-bit word
 * when their widths allow (else sorted by time, then stably by key), and
 * sorted with row numbers by the parallel radix sort of partition_radix.c -
 * O(n) passes, no comparisons. Otherwise a stable merge sort of (first key,
 * time, row) records runs, most comparisons never leaving the record
 * (further keys are compared in the columns on ties of the first). Rows
 * with equal keys and equal times keep their input order; the sorted order
 * is therefore unique and does not depend on the thread count, although
 * both sorts run in parallel. The key runs found on the way are kept with
 * the result's layout (sh_series) for the window operations. Keys compare by value: numbers
 * numerically (-0.0 equals 0.0), strings by their bytes (strcmp on the dictionary values, ranked
 * once per dictionary), and missing keys after every present one, all missing values of a key being
 * one group.
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
/* Fixed chunks of the parallel search for key runs (any thread count). */
#define RUN_CHUNKS 64

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
    /* A missing value has valid[i] = 0 (or is a NaN), so most columns need
     * no per-row look at all. */
    const uint8_t *hole = c->valid ? memchr(c->valid, 0, in->n_rows) : NULL;
    size_t first = hole ? (size_t)(hole - c->valid) : in->n_rows;
    for (size_t i = 0; c->type == SHEAF_TYPE_FLOAT64 && i < first; i++)
        if (isnan(c->f64[i])) first = i;
    if (first < in->n_rows)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: time column '%s' has a missing value at row %zu", caller, time, first);
    *out = c;
    return SHEAF_OK;
}

/* offsets[0..*n_parts] from the key starts starts[0..n_keys] (starts[n_keys]
 * = n_rows), as the file comment says. */
static void cut_at_keys(const size_t *starts, size_t n_keys, size_t n_rows, size_t wanted,
                        size_t *offsets, size_t *n_parts)
{
    if (n_rows == 0) {
        offsets[0] = offsets[1] = 0;
        *n_parts = 1;
        return;
    }
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

/* The sorted order as the partitioner uses it: row numbers (one of the two
 * widths) and the key runs. */
typedef struct sorted_rows {
    size_t *perm_z;
    uint32_t *perm_u;
    uint32_t *scatter; /* set: the two-step order of sh_radix_sort_order */
    uint64_t *spare;   /* radix: the sort's scratch, n words, lent to the reordering */
    size_t *starts;    /* n_series + 1 */
    size_t n_series, longest;
    /* radix: the sorted words, (key - kmin) << tbits | (time - tmin) when
     * packed, else key - kmin */
    uint64_t *words;
    uint64_t kmin, tmin;
    unsigned kbits, tbits;
    bool packed;
} sorted_rows;

static size_t longest_run(const size_t *starts, size_t n_series)
{
    size_t longest = 0;
    for (size_t j = 0; j < n_series; j++)
        if (starts[j + 1] - starts[j] > longest) longest = starts[j + 1] - starts[j];
    return longest;
}

/* ---- comparison sort (several keys, or keys whose words may collide) ---- */

static sheaf_status compare_sort(const sort_spec *spec, size_t n_rows, int threads,
                                 const char *caller, sorted_rows *out)
{
    sheaf_status st = SHEAF_OK;
    sort_rec *rec = sh_malloc_array(n_rows, sizeof *rec);
    sort_rec *tmp = sh_malloc_array(n_rows, sizeof *tmp);
    out->perm_z = sh_malloc_array(n_rows ? n_rows : 1, sizeof *out->perm_z);
    if (!rec || !tmp || !out->perm_z) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory sorting %zu rows", caller, n_rows);
        goto done;
    }
    const sort_column *first = &spec->keys[0];
    const sh_column *time_col = spec->time;
    long long count = (long long)n_rows;
#pragma omp parallel for schedule(static)                                                          \
    num_threads(threads) if (count > SH_PARTITION_PARALLEL_ROWS)
    for (long long i = 0; i < count; i++) {
        size_t row = (size_t)i;
        rec[i].key = word_of(first, row);
        rec[i].time = time_col->type == SHEAF_TYPE_FLOAT64 ? word_of_float64(time_col->f64[row])
                                                           : word_of_int64(time_col->i64[row]);
        rec[i].row = row;
    }
    sort_records(spec, rec, tmp, n_rows, threads);
    size_t n_series = n_rows > 0;
    for (size_t i = 0; i < n_rows; i++) {
        out->perm_z[i] = rec[i].row;
        n_series += i > 0 && (rec[i - 1].key != rec[i].key ||
                              (spec->full && compare_keys(spec, rec[i - 1].row, rec[i].row) != 0));
    }
    if (!(out->starts = sh_malloc_array(n_series + 1, sizeof *out->starts))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu keys", caller, n_series);
        goto done;
    }
    size_t j = 0;
    for (size_t i = 0; i < n_rows; i++)
        if (i == 0 || rec[i - 1].key != rec[i].key ||
            (spec->full && compare_keys(spec, rec[i - 1].row, rec[i].row) != 0))
            out->starts[j++] = i;
    out->starts[n_series] = n_rows;
    out->n_series = n_series;
    out->longest = longest_run(out->starts, n_series);
done:
    sh_free(rec);
    sh_free(tmp);
    return st;
}

/* ---- radix sort (one key whose words identify it) ----------------------- */

static unsigned bit_width(uint64_t x) { return x ? 64u - (unsigned)__builtin_clzll(x) : 0u; }

/* w[i] = the word of row i of s (present values only when s is numeric
 * and has missing ones: the caller rules that out), i in [b, e). */
static void key_words(const sort_column *s, size_t b, size_t e, uint64_t *w)
{
    const sh_column *c = s->col;
    switch (c->type) {
    case SHEAF_TYPE_FLOAT64:
        for (size_t i = b; i < e; i++)
            w[i] = isnan(c->f64[i]) ? UINT64_MAX : word_of_float64(c->f64[i]);
        break;
    case SHEAF_TYPE_STRING:
        for (size_t i = b; i < e; i++)
            w[i] = c->codes[i] < 0 ? c->dict_size : (uint64_t)s->rank[c->codes[i]];
        break;
    default:
        for (size_t i = b; i < e; i++)
            w[i] = word_of_int64(c->i64[i]);
        break;
    }
}

static void time_words(const sh_column *c, size_t b, size_t e, uint64_t *w)
{
    if (c->type == SHEAF_TYPE_FLOAT64)
        for (size_t i = b; i < e; i++)
            w[i] = word_of_float64(c->f64[i]);
    else
        for (size_t i = b; i < e; i++)
            w[i] = word_of_int64(c->i64[i]);
}

/* Key runs of the sorted words: a run starts where (w[i] >> shift)
 * changes (shift 64: never). Two parallel passes over fixed chunks: count,
 * then list. */
static sheaf_status radix_runs(const uint64_t *w, unsigned shift, size_t n, int threads,
                               const char *caller, sorted_rows *out)
{
    size_t counts[RUN_CHUNKS];
    size_t chunks = shift >= 64 || n < RUN_CHUNKS ? 1 : RUN_CHUNKS;
    if (shift >= 64) { /* one key: compare nothing */
        w = NULL;
        shift = 0;
    }
#pragma omp parallel for schedule(static) num_threads(threads) if (n > SH_PARTITION_PARALLEL_ROWS)
    for (long long c = 0; c < (long long)chunks; c++) {
        size_t b = n * (size_t)c / chunks, e = n * ((size_t)c + 1) / chunks, k = 0;
        for (size_t i = b > 0 ? b : 1; w && i < e; i++)
            k += (w[i] >> shift) != (w[i - 1] >> shift);
        counts[c] = k;
    }
    size_t n_series = n > 0;
    for (size_t c = 0; c < chunks; c++) {
        size_t k = counts[c];
        counts[c] = n_series;
        n_series += k;
    }
    if (!(out->starts = sh_malloc_array(n_series + 1, sizeof *out->starts)))
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu keys", caller, n_series);
    size_t *starts = out->starts;
    if (n > 0) starts[0] = 0;
#pragma omp parallel for schedule(static) num_threads(threads) if (n > SH_PARTITION_PARALLEL_ROWS)
    for (long long c = 0; c < (long long)chunks; c++) {
        size_t b = n * (size_t)c / chunks, e = n * ((size_t)c + 1) / chunks, j = counts[c];
        for (size_t i = b > 0 ? b : 1; w && i < e; i++)
            if ((w[i] >> shift) != (w[i - 1] >> shift)) starts[j++] = i;
    }
    starts[n_series] = n;
    out->n_series = n_series;
    out->longest = longest_run(starts, n_series);
    return SHEAF_OK;
}

/* Sorts by one key and time with sh_radix_sort_pairs: words are offset by
 * their minimum and, when the key and time widths fit 64 bits together,
 * packed (key above time) and sorted once; otherwise sorted by time, then
 * stably by key. */
static sheaf_status radix_sort(const sort_spec *spec, size_t n, int threads, const char *caller,
                               sorted_rows *out)
{
    sheaf_status st = SHEAF_OK;
    size_t rows = n ? n : 1;
    uint64_t *w = sh_malloc_large(rows * sizeof *w);
    uint64_t *w2 = sh_malloc_large(rows * sizeof *w2);
    uint32_t *tmp = sh_malloc_large(rows * sizeof *tmp);
    uint64_t *kw = NULL;
    uint32_t *r = out->perm_u = sh_malloc_large(rows * sizeof *out->perm_u);
    if (!w || !w2 || !tmp || !r) goto nomem;
    uint64_t kmin = UINT64_MAX, kmax = 0, tmin = UINT64_MAX, tmax = 0;
    long long blocks = (long long)((n + 65535) / 65536);
    /* w = key words, w2 = time words, with their ranges (exact, so the
     * parallel reduction does not depend on the thread count). */
#pragma omp parallel for schedule(static) num_threads(threads) if (n > SH_PARTITION_PARALLEL_ROWS) \
    reduction(min                                                                                  \
              : kmin, tmin) reduction(max                                                          \
                                      : kmax, tmax)
    for (long long k = 0; k < blocks; k++) {
        size_t b = (size_t)k * 65536, e = b + 65536 < n ? b + 65536 : n;
        key_words(&spec->keys[0], b, e, w);
        time_words(spec->time, b, e, w2);
        for (size_t i = b; i < e; i++) {
            kmin = w[i] < kmin ? w[i] : kmin;
            kmax = w[i] > kmax ? w[i] : kmax;
            tmin = w2[i] < tmin ? w2[i] : tmin;
            tmax = w2[i] > tmax ? w2[i] : tmax;
        }
    }
    unsigned kbits = n ? bit_width(kmax - kmin) : 0, tbits = n ? bit_width(tmax - tmin) : 0;
    bool packed = kbits + tbits <= 64;
    if (!packed && !(kw = sh_malloc_large(n * sizeof *kw))) goto nomem;
#pragma omp parallel for schedule(static) num_threads(threads) if (n > SH_PARTITION_PARALLEL_ROWS)
    for (long long i = 0; i < (long long)n; i++) {
        uint64_t t = w2[i] - tmin;
        if (!packed)
            kw[i] = w[i] - kmin;
        else if (kbits > 0) /* then tbits < 64 */
            t |= (w[i] - kmin) << tbits;
        w[i] = t;
    }
    if (packed) {
        bool two_step = false;
        if (!(out->scatter = sh_malloc_large(rows * sizeof *out->scatter)) ||
            !sh_radix_sort_order(w, w2, out->scatter, r, tmp, n, kbits + tbits, threads, &two_step))
            goto nomem;
        if (!two_step) {
            sh_free(out->scatter);
            out->scatter = NULL;
        }
    } else {
        /* By time, then stably by key, carrying the rows. */
#pragma omp parallel for schedule(static) num_threads(threads) if (n > SH_PARTITION_PARALLEL_ROWS)
        for (long long i = 0; i < (long long)n; i++)
            r[i] = (uint32_t)i;
        if (!sh_radix_sort_pairs(w, r, w2, tmp, n, tbits, threads)) goto nomem;
#pragma omp parallel for schedule(static) num_threads(threads) if (n > SH_PARTITION_PARALLEL_ROWS)
        for (long long i = 0; i < (long long)n; i++)
            w[i] = kw[r[i]];
        if (!sh_radix_sort_pairs(w, r, w2, tmp, n, kbits, threads)) goto nomem;
    }
    /* The key is the word above tbits when packed (all one key when kbits is
     * 0), the whole word otherwise. */
    st = radix_runs(w, !packed ? 0 : kbits > 0 ? tbits : 64, n, threads, caller, out);
    out->words = w;
    out->spare = w2;
    w = w2 = NULL;
    out->kmin = kmin;
    out->tmin = tmin;
    out->kbits = kbits;
    out->tbits = tbits;
    out->packed = packed;
    goto done;
nomem:
    st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory sorting %zu rows", caller, n);
done:
    sh_free(w);
    sh_free(w2);
    sh_free(tmp);
    sh_free(kw);
    return st;
}

/* Integer key and time columns need no gather after a radix sort: their
 * values come back from the sorted words (the maps are invertible for
 * int64 and timestamp, not for float64, which folds -0.0). skip[c] marks
 * the columns rebuilt that way. */
static bool rebuilt_key(const sort_spec *spec, const sorted_rows *s)
{
    sheaf_type t = spec->keys[0].col->type;
    return s->words && (t == SHEAF_TYPE_INT64 || t == SHEAF_TYPE_TIMESTAMP) &&
           !spec->keys[0].col->valid;
}

static bool rebuilt_time(const sort_spec *spec, const sorted_rows *s)
{
    sheaf_type t = spec->time->type;
    return s->words && s->packed && (t == SHEAF_TYPE_INT64 || t == SHEAF_TYPE_TIMESTAMP) &&
           !spec->time->valid;
}

static void rebuild_columns(const sort_spec *spec, const sorted_rows *s, sheaf_frame *f,
                            size_t key_col, size_t time_col, int threads)
{
    const uint64_t *w = s->words;
    size_t n = f->n_rows;
    unsigned kshift = s->packed ? s->tbits : 0;
    uint64_t tmask = s->tbits >= 64 ? UINT64_MAX : ((uint64_t)1 << s->tbits) - 1;
    int64_t *key = rebuilt_key(spec, s) ? f->cols[key_col].i64 : NULL;
    int64_t *time = rebuilt_time(spec, s) && time_col != key_col ? f->cols[time_col].i64 : NULL;
    bool one_key = s->kbits == 0;
#pragma omp parallel for schedule(static) num_threads(threads) if (n > SH_PARTITION_PARALLEL_ROWS)
    for (long long i = 0; i < (long long)n; i++) {
        uint64_t v = w[i];
        if (key)
            key[i] = (int64_t)(((one_key ? 0 : v >> kshift) + s->kmin) ^ 0x8000000000000000ull);
        if (time) time[i] = (int64_t)(((v & tmask) + s->tmin) ^ 0x8000000000000000ull);
    }
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
    size_t *cols = NULL, *offsets = NULL;
    sort_column *sc = NULL;
    sorted_rows sorted = {0};
    sh_series *series = NULL;
    bool *skip = NULL;
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
    if (!(offsets = sh_malloc_array(max_parts + 1, sizeof *offsets))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu partitions", caller, max_parts);
        goto done;
    }
    const sh_column *first = sc[0].col;
    sort_spec spec = {sc, n_keys, time_col,
                      n_keys > 1 || (first->type != SHEAF_TYPE_STRING &&
                                     first->type != SHEAF_TYPE_FLOAT64 && first->missing > 0)};
    if (!spec.full && n_rows <= UINT32_MAX)
        st = radix_sort(&spec, n_rows, threads, caller, &sorted);
    else
        st = compare_sort(&spec, n_rows, threads, caller, &sorted);
    if (st != SHEAF_OK) goto done;
    size_t parts = 0;
    cut_at_keys(sorted.starts, sorted.n_series, n_rows, max_parts, offsets, &parts);
    series = sh_series_new(sorted.starts, sorted.n_series, sorted.longest);
    sorted.starts = NULL; /* owned by series now, or freed */
    if (!series) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu keys", caller, sorted.n_series);
        goto done;
    }
    size_t time_idx = (size_t)(time_col - in->cols);
    if (sorted.perm_u) {
        if (!(skip = sh_calloc(in->n_cols ? in->n_cols : 1, sizeof *skip))) {
            st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu columns", caller, in->n_cols);
            goto done;
        }
        skip[cols[0]] = rebuilt_key(&spec, &sorted);
        skip[time_idx] |= rebuilt_time(&spec, &sorted);
        st = sh_frame_permuted_u32(ctx, in, sorted.scatter, sorted.perm_u, sorted.spare, skip,
                                   offsets, parts, caller, out);
        if (st == SHEAF_OK) rebuild_columns(&spec, &sorted, *out, cols[0], time_idx, threads);
    } else {
        st = sh_frame_permuted(ctx, in, sorted.perm_z, offsets, parts, caller, out);
    }
    if (st == SHEAF_OK &&
        (st = sh_frame_set_layout(*out, keys, n_keys, time, caller)) != SHEAF_OK) {
        sheaf_frame_free(*out);
        *out = NULL;
    }
    if (st == SHEAF_OK) sh_frame_set_series(*out, series);
done:
    for (size_t k = 0; sc && k < n_keys; k++)
        sh_free(sc[k].rank);
    sh_series_release(series);
    sh_free(sc);
    sh_free(cols);
    sh_free(sorted.perm_z);
    sh_free(sorted.perm_u);
    sh_free(sorted.scatter);
    sh_free(sorted.starts);
    sh_free(sorted.words);
    sh_free(sorted.spare);
    sh_free(skip);
    sh_free(offsets);
    return st;
}
