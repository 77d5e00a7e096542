/* feature_order.c - exact order statistics over partitions: sorting a
 * partition's values, and selecting the k-th smallest value of the union of
 * several sorted runs without merging them.
 *
 * Values travel as order-preserving 64-bit keys (the IEEE-754 bit trick:
 * flip every bit of a negative double, only the sign bit of a positive one;
 * -0.0 folds onto 0.0 first), so one least-significant-digit radix sort
 * (Knuth, TAOCP vol. 3, 5.2.5) serves doubles and int64 alike, skipping the
 * byte positions in which all keys agree.
 *
 * Selection across runs: pick as pivot the middle key of the run with the
 * most candidates left, count by binary search how many candidates of every
 * run are below / equal to it, and keep only the side that holds the k-th
 * (the classic multi-sequence selection, cf. Frederickson and Johnson,
 * J. Comput. Syst. Sci. 24, 1982). The chosen run loses at least half of its
 * candidates per round, so at most n_runs * log2(run length) rounds. */
#include "data/feature_internal.h"

#include <string.h>

#define SIGN ((uint64_t)1 << 63)
/* Below this many keys insertion sort beats the radix passes. */
#define SMALL_SORT 64

uint64_t sh_order_key_f64(double x)
{
    if (x == 0) x = 0.0; /* -0.0 and 0.0 are one value, as in pandas */
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    return bits & SIGN ? ~bits : bits | SIGN;
}

double sh_order_f64(uint64_t key)
{
    uint64_t bits = key & SIGN ? key & ~SIGN : ~key;
    double x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

uint64_t sh_order_key_i64(int64_t x) { return (uint64_t)x ^ SIGN; }

int64_t sh_order_i64(uint64_t key)
{
    uint64_t u = key ^ SIGN;
    int64_t x;
    memcpy(&x, &u, sizeof x);
    return x;
}

static void insertion_sort(uint64_t *keys, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t v = keys[i];
        size_t j = i;
        for (; j > 0 && keys[j - 1] > v; j--)
            keys[j] = keys[j - 1];
        keys[j] = v;
    }
}

void sh_order_sort(uint64_t *keys, uint64_t *tmp, size_t n)
{
    if (n < SMALL_SORT) {
        insertion_sort(keys, n);
        return;
    }
    size_t count[8][256];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < 8; d++)
            count[d][(keys[i] >> (8 * d)) & 0xff]++;
    uint64_t *src = keys, *dst = tmp;
    for (int d = 0; d < 8; d++) {
        size_t *c = count[d];
        if (c[(src[0] >> (8 * d)) & 0xff] == n) continue; /* every key has this byte */
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t t = c[b];
            c[b] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i] >> (8 * d)) & 0xff]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != keys) memcpy(keys, src, n * sizeof *keys);
}

/* First position in keys[lo, hi) whose key is >= v (strict: > v). */
static size_t bound(const uint64_t *keys, size_t lo, size_t hi, uint64_t v, bool strict)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strict ? keys[mid] <= v : keys[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

uint64_t sh_order_select(const uint64_t *keys, const size_t *begin, const size_t *len,
                         size_t n_runs, size_t k, size_t *work)
{
    size_t *lo = work, *hi = work + n_runs, *lb = work + 2 * n_runs, *ub = work + 3 * n_runs;
    for (size_t r = 0; r < n_runs; r++) {
        lo[r] = begin[r];
        hi[r] = begin[r] + len[r];
    }
    for (;;) {
        size_t widest = 0;
        for (size_t r = 1; r < n_runs; r++)
            if (hi[r] - lo[r] > hi[widest] - lo[widest]) widest = r;
        uint64_t pivot = keys[lo[widest] + (hi[widest] - lo[widest]) / 2];
        size_t below = 0, equal = 0;
        for (size_t r = 0; r < n_runs; r++) {
            lb[r] = bound(keys, lo[r], hi[r], pivot, false);
            ub[r] = bound(keys, lb[r], hi[r], pivot, true);
            below += lb[r] - lo[r];
            equal += ub[r] - lb[r];
        }
        if (k < below) {
            memcpy(hi, lb, n_runs * sizeof *hi);
        } else if (k < below + equal) {
            return pivot;
        } else {
            k -= below + equal;
            memcpy(lo, ub, n_runs * sizeof *lo);
        }
    }
}
