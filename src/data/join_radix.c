/* join_radix.c - the partitioning phase of the joins: each side's rows are
 * scattered into 2^bits buckets by the high bits of their key hash, with
 * their key words beside them, so that a bucket's join touches only a few
 * hundred kilobytes.
 *
 * Method: the radix-partitioned hash join (Shatdal, Kant and Naughton,
 * VLDB 1994; Manegold, Boncz and Kersten, TKDE 2002; the parallel
 * histogram-then-scatter of Balkesen et al., ICDE 2013). Rows are cut into
 * contiguous chunks; pass 1 computes each row's bucket and per-chunk bucket
 * histograms; prefix sums over (bucket, chunk) give every chunk its write
 * cursors; pass 2 scatters records. Both passes run in parallel and the
 * scatter is stable - a bucket holds its rows in row order - so the result
 * is the same for any chunking and thread count. */
#include "data/join_internal.h"

/* The bucket id of a row left out for a missing on-value. */
#define SKIPPED UINT16_MAX
/* Rows a batch loop handles at a time (fewer for wide keys). */
#define BATCH_WORDS 1024
/* Target rows per bucket (chosen by timing 10M-row joins at 10k, 20k and
 * 40k): a bucket's table (8 to 16 bytes a row) and right and left records
 * (24 bytes a row each for two int64 keys) stay within a 2 MiB L2 cache,
 * while the scatter writes to only a few hundred buckets at once. */
#define BUCKET_ROWS 20000
/* Rows per chunk below which a chunk is not worth a task. */
#define CHUNK_ROWS 16384

typedef struct radix_job {
    const sh_keys *k;
    const sh_column *on;
    size_t n_rows, n_chunks, n_buckets, stride;
    unsigned bits, shift;
    uint16_t *bucket; /* per row */
    size_t *hist;     /* n_chunks * n_buckets: counts, then write cursors */
    size_t *skipped;
    uint64_t *recs;
} radix_job;

unsigned sh_join_bucket_bits(size_t n_left, size_t n_right)
{
    size_t rows = n_left > n_right ? n_left : n_right;
    unsigned bits = 0;
    while ((rows >> bits) > BUCKET_ROWS && bits < 15)
        bits++;
    return bits;
}

size_t sh_join_tasks(const sheaf_ctx *ctx, size_t n_rows)
{
    size_t threads = (size_t)sh_ctx_threads_or_default(ctx), n = n_rows / CHUNK_ROWS;
    if (n > 4 * threads) n = 4 * threads;
    return n ? n : 1;
}

static void chunk_range(const radix_job *j, size_t c, size_t *lo, size_t *hi)
{
    *lo = j->n_rows * c / j->n_chunks;
    *hi = j->n_rows * (c + 1) / j->n_chunks;
}

static size_t batch_rows(size_t n_words)
{
    size_t b = BATCH_WORDS / (n_words ? n_words : 1);
    return b ? b : 1;
}

static sheaf_status count_chunk(void *arg, size_t c)
{
    radix_job *j = arg;
    size_t n_words = j->k->n_words, batch = batch_rows(n_words), lo, hi;
    uint64_t w[batch * (n_words ? n_words : 1)];
    size_t *hist = j->hist + c * j->n_buckets;
    chunk_range(j, c, &lo, &hi);
    for (size_t row = lo; row < hi; row += batch) {
        size_t m = hi - row < batch ? hi - row : batch;
        sh_keys_words_rows(j->k, row, m, w);
        for (size_t r = 0; r < m; r++) {
            uint64_t ow;
            if (j->on && !sh_join_on_word(j->on, row + r, &ow)) {
                j->bucket[row + r] = SKIPPED;
                if (j->skipped) j->skipped[row + r] = SH_ROW_NONE;
                continue;
            }
            uint64_t h = sh_join_hash(w + r * n_words, n_words);
            uint16_t b = j->bits ? (uint16_t)(h >> j->shift) : 0;
            j->bucket[row + r] = b;
            hist[b]++;
        }
    }
    return SHEAF_OK;
}

static sheaf_status scatter_chunk(void *arg, size_t c)
{
    radix_job *j = arg;
    size_t n_words = j->k->n_words, batch = batch_rows(n_words), stride = j->stride, lo, hi;
    uint64_t w[batch * (n_words ? n_words : 1)];
    size_t *cursor = j->hist + c * j->n_buckets;
    chunk_range(j, c, &lo, &hi);
    for (size_t row = lo; row < hi; row += batch) {
        size_t m = hi - row < batch ? hi - row : batch;
        sh_keys_words_rows(j->k, row, m, w);
        for (size_t r = 0; r < m; r++) {
            uint16_t b = j->bucket[row + r];
            if (b == SKIPPED) continue;
            uint64_t *dst = j->recs + cursor[b]++ * stride;
            const uint64_t *src = w + r * n_words;
            dst[0] = row + r;
            switch (n_words) {       /* the usual key widths, unrolled */
            case 2: dst[2] = src[1]; /* fall through */
            case 1: dst[1] = src[0]; /* fall through */
            case 0: break;
            default: memcpy(dst + 1, src, n_words * sizeof *src); break;
            }
            if (j->on) sh_join_on_word(j->on, row + r, &dst[stride - 1]);
        }
    }
    return SHEAF_OK;
}

sheaf_status sh_join_partition(const sheaf_ctx *ctx, const sh_keys *k, const sh_column *on,
                               size_t n_rows, unsigned bits, size_t *skipped, const char *caller,
                               sh_join_side *s)
{
    memset(s, 0, sizeof *s);
    radix_job j = {
        .k = k,
        .on = on,
        .n_rows = n_rows,
        .n_chunks = sh_join_tasks(ctx, n_rows),
        .n_buckets = (size_t)1 << bits,
        .stride = 1 + k->n_words + (on != NULL),
        .bits = bits,
        .shift = bits ? 64 - bits : 0,
        .skipped = skipped,
    };
    s->n_buckets = j.n_buckets;
    s->stride = j.stride;
    s->n_words = k->n_words;
    s->shift = j.shift;
    sheaf_status st = SHEAF_OK;
    if (!(j.bucket = sh_malloc_large(n_rows ? n_rows * sizeof *j.bucket : 1)) ||
        !(j.hist = sh_calloc(j.n_chunks * j.n_buckets, sizeof *j.hist)) ||
        !(s->start = sh_malloc_array(j.n_buckets + 1, sizeof *s->start)))
        goto nomem;
    if ((st = sheaf_exec_for(ctx, j.n_chunks, count_chunk, &j)) != SHEAF_OK) goto done;
    /* hist[c][b] becomes chunk c's first place in bucket b. */
    size_t at = 0;
    for (size_t b = 0; b < j.n_buckets; b++) {
        s->start[b] = at;
        for (size_t c = 0; c < j.n_chunks; c++) {
            size_t count = j.hist[c * j.n_buckets + b];
            j.hist[c * j.n_buckets + b] = at;
            at += count;
        }
    }
    s->start[j.n_buckets] = at;
    if (at > SIZE_MAX / sizeof(uint64_t) / j.stride ||
        !(s->recs = j.recs = sh_malloc_large(at ? at * j.stride * sizeof(uint64_t) : 1)))
        goto nomem;
    st = sheaf_exec_for(ctx, j.n_chunks, scatter_chunk, &j);
    goto done;
nomem:
    st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory partitioning %zu rows by key", caller, n_rows);
done:
    sh_free(j.bucket);
    sh_free(j.hist);
    if (st != SHEAF_OK) sh_join_side_clear(s);
    return st;
}

void sh_join_side_clear(sh_join_side *s)
{
    sh_free(s->start);
    sh_free(s->recs);
    memset(s, 0, sizeof *s);
}
