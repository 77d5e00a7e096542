/* partition_radix.c - the stable radix sort behind the key + time
 * partitioner, and the two-step description of its order that lets the
 * partitioner move columns without random reads.
 *
 * Method. One most-significant-digit pass on the top MSD_BITS of the words
 * scatters them into buckets (a counting sort: the input is cut into a
 * fixed number of chunks counted and scattered in parallel, each chunk's
 * share of a bucket placed after the earlier chunks', so the pass is
 * stable). Each bucket - a few thousand words on large inputs, small enough
 * for the core's cache - is then sorted on its remaining bits by a serial
 * least-significant-digit radix sort (11-bit digits on large buckets, 8-bit
 * on small ones; all digit counts gathered in one read, digits shared by
 * the whole bucket skipped), or by insertion when tiny; buckets run in
 * parallel. This is the hybrid of Andersson and Nilsson, "Implementing
 * radixsort" (ACM JEA 3, 1998), with the cache-sized buckets of Polychroniou
 * and Ross, "A comprehensive study of main-memory partitioning and its
 * application to large-scale comparison- and radix-sort" (SIGMOD 2014).
 * Every step is stable, so the output is the unique stable order of the
 * input: it does not depend on the thread count. A bucket holding most of
 * the input (one dominant key) is sorted by the same parallel routine,
 * recursively.
 *
 * The order of the rows comes out in the two steps the sort made: row j
 * went to slot scatter[j] of the bucket pass, and sorted position k took
 * the slot local[k] within its bucket. A column reordered through both -
 * a scatter in sequential streams, one per bucket, then reads inside one
 * cache-sized bucket - costs streaming bandwidth, where reading the rows in
 * sorted order directly costs a cache miss per row. */
#include "data/partition_internal.h"

#include <string.h>

#define MSD_BITS 11
/* Local digits: wide for large buckets (fewer passes), narrow for small
 * ones (smaller tables to clear and sum). */
#define WIDE_BITS 11
#define NARROW_BITS 8
#define WIDE_MIN 2048
/* Passes one local sort may need: 64 bits of 8-bit digits. */
#define MAX_PASSES 8
#define COUNT_SLOTS (6 << WIDE_BITS) /* >= passes x radix for both widths */
/* Below this many words insertion beats a counting pass. */
#define INSERTION_MAX 32
/* Below this many words the parallel pass is not worth its start-up. */
#define PARALLEL_MIN 65536

static void insertion_sort(uint64_t *w, uint32_t *r, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t v = w[i];
        uint32_t x = r[i];
        size_t j = i;
        for (; j > 0 && w[j - 1] > v; j--) {
            w[j] = w[j - 1];
            r[j] = r[j - 1];
        }
        w[j] = v;
        r[j] = x;
    }
}

/* Sorts pairs [0, n) of w/r on bits [0, bits) (higher bits being equal or
 * already ordered), with scratch w2/r2; returns true when the result is in
 * the scratch, false when in w/r. */
static bool lsd_sort(uint64_t *w, uint32_t *r, uint64_t *w2, uint32_t *r2, size_t n, unsigned bits)
{
    if (n < 2 || bits == 0) return false;
    if (n <= INSERTION_MAX) {
        insertion_sort(w, r, n);
        return false;
    }
    unsigned width = n >= WIDE_MIN ? WIDE_BITS : NARROW_BITS;
    unsigned passes = (bits + width - 1) / width;
    size_t radix = (size_t)1 << width;
    uint64_t mask = radix - 1;
    uint32_t count[COUNT_SLOTS];
    memset(count, 0, passes * radix * sizeof *count);
    for (size_t i = 0; i < n; i++) {
        uint64_t v = w[i];
        for (unsigned p = 0; p < passes; p++)
            count[p * radix + ((v >> (p * width)) & mask)]++;
    }
    uint64_t *sw = w, *dw = w2;
    uint32_t *sr = r, *dr = r2;
    for (unsigned p = 0; p < passes; p++) {
        unsigned shift = p * width;
        uint32_t *c = count + p * radix;
        if (c[(sw[0] >> shift) & mask] == n) continue; /* one digit: no-op */
        uint32_t next = 0;
        for (size_t b = 0; b < radix; b++) {
            uint32_t k = c[b];
            c[b] = next;
            next += k;
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t v = sw[i];
            uint32_t at = c[(v >> shift) & mask]++;
            dw[at] = v;
            dr[at] = sr[i];
        }
        uint64_t *tw = sw;
        sw = dw;
        dw = tw;
        uint32_t *tr = sr;
        sr = dr;
        dr = tr;
    }
    return sw != w;
}

/* Copies n pairs from w2/r2 to w/r. */
static void copy_pairs(uint64_t *w, uint32_t *r, const uint64_t *w2, const uint32_t *r2, size_t n)
{
    memcpy(w, w2, n * sizeof *w);
    memcpy(r, r2, n * sizeof *r);
}

/* Chunk c of n words cut into chunks near-equal pieces. */
static size_t chunk_start(size_t n, size_t chunks, size_t c)
{
    return (size_t)(((unsigned __int128)n * c) / chunks);
}

/* The bucket pass: w2[at] = w[j] (and r2[at] = r[j] when r is given, and
 * slot[j] = at when slot is given) with at the stable position of w[j] by
 * its top d bits (of bits). start[0..2^d] receives the bucket bounds.
 * false when out of memory. */
static bool bucket_pass(const uint64_t *w, const uint32_t *r, uint64_t *w2, uint32_t *r2,
                        uint32_t *slot, size_t n, unsigned shift, size_t nb, size_t *start,
                        int threads)
{
    size_t chunks = threads > 1 ? (size_t)threads : 1;
    /* A bucket sorted again by sh_radix_sort_pairs keeps its higher bits. */
    uint64_t digit = (uint64_t)nb - 1;
    size_t *count = sh_calloc(chunks * nb, sizeof *count);
    if (!count) return false;
    long long nc = (long long)chunks;
#pragma omp parallel for schedule(static, 1) num_threads(threads)
    for (long long c = 0; c < nc; c++) {
        size_t *h = count + (size_t)c * nb;
        size_t e = chunk_start(n, chunks, (size_t)c + 1);
        for (size_t i = chunk_start(n, chunks, (size_t)c); i < e; i++)
            h[(w[i] >> shift) & digit]++;
    }
    /* Bucket-major, chunk-minor positions: the stable order. */
    size_t next = 0;
    for (size_t b = 0; b < nb; b++) {
        start[b] = next;
        for (size_t c = 0; c < chunks; c++) {
            size_t k = count[c * nb + b];
            count[c * nb + b] = next;
            next += k;
        }
    }
    start[nb] = n;
#pragma omp parallel for schedule(static, 1) num_threads(threads)
    for (long long c = 0; c < nc; c++) {
        size_t *h = count + (size_t)c * nb;
        size_t e = chunk_start(n, chunks, (size_t)c + 1);
        for (size_t i = chunk_start(n, chunks, (size_t)c); i < e; i++) {
            uint64_t v = w[i];
            size_t at = h[(v >> shift) & digit]++;
            w2[at] = v;
            if (r) r2[at] = r[i];
            if (slot) slot[i] = (uint32_t)at;
        }
    }
    sh_free(count);
    return true;
}

/* Buckets holding more than this many words are sorted with every thread. */
static size_t big_bucket(size_t n, int threads)
{
    size_t share = n / (4 * (size_t)(threads > 1 ? threads : 1));
    return share > PARALLEL_MIN ? share : PARALLEL_MIN;
}

/* Sorts each bucket [start[b], start[b+1]) of w2/r2 on its low shift bits,
 * leaving the result in w/r (the scratch). */
static bool sort_buckets(uint64_t *w, uint32_t *r, uint64_t *w2, uint32_t *r2, const size_t *start,
                         size_t nb, unsigned shift, size_t n, int threads)
{
    bool ok = true;
    size_t big = big_bucket(n, threads);
    for (size_t b = 0; b < nb && ok; b++) {
        size_t s = start[b], len = start[b + 1] - s;
        if (len <= big) continue;
        ok = sh_radix_sort_pairs(w2 + s, r2 + s, w + s, r + s, len, shift, threads);
        copy_pairs(w + s, r + s, w2 + s, r2 + s, len);
    }
    long long nbl = (long long)nb;
#pragma omp parallel for schedule(dynamic, 16) num_threads(threads)
    for (long long b = 0; b < nbl; b++) {
        size_t s = start[b], len = start[b + 1] - s;
        if (len > big) continue;
        if (!lsd_sort(w2 + s, r2 + s, w + s, r + s, len, shift))
            copy_pairs(w + s, r + s, w2 + s, r2 + s, len);
    }
    return ok;
}

bool sh_radix_sort_pairs(uint64_t *w, uint32_t *r, uint64_t *w2, uint32_t *r2, size_t n,
                         unsigned bits, int threads)
{
    if (n < 2 || bits == 0) return true;
    if (n < PARALLEL_MIN || bits <= NARROW_BITS) {
        if (lsd_sort(w, r, w2, r2, n, bits)) copy_pairs(w, r, w2, r2, n);
        return true;
    }
    unsigned d = bits < MSD_BITS ? bits : MSD_BITS, shift = bits - d;
    size_t nb = (size_t)1 << d;
    size_t *start = sh_malloc_array(nb + 1, sizeof *start);
    bool ok = start && bucket_pass(w, r, w2, r2, NULL, n, shift, nb, start, threads) &&
              sort_buckets(w, r, w2, r2, start, nb, shift, n, threads);
    sh_free(start);
    return ok;
}

bool sh_radix_sort_order(uint64_t *w, uint64_t *w2, uint32_t *scatter, uint32_t *local,
                         uint32_t *tmp, size_t n, unsigned bits, int threads, bool *two_step)
{
    *two_step = false;
    if (n < PARALLEL_MIN || bits <= NARROW_BITS) {
        for (size_t i = 0; i < n; i++)
            local[i] = (uint32_t)i;
        return sh_radix_sort_pairs(w, local, w2, tmp, n, bits, threads);
    }
    unsigned d = bits < MSD_BITS ? bits : MSD_BITS, shift = bits - d;
    size_t nb = (size_t)1 << d;
    size_t *start = sh_malloc_array(nb + 1, sizeof *start);
    if (!start || !bucket_pass(w, NULL, w2, NULL, scatter, n, shift, nb, start, threads)) {
        sh_free(start);
        return false;
    }
    /* The sorts carry slots, not rows: tmp[at] = at. */
    long long count = (long long)n;
#pragma omp parallel for schedule(static) num_threads(threads)
    for (long long i = 0; i < count; i++)
        tmp[i] = (uint32_t)i;
    bool ok = sort_buckets(w, local, w2, tmp, start, nb, shift, n, threads);
    sh_free(start);
    *two_step = true;
    return ok;
}
