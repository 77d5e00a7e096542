/* join_bucket.c - the build phase of one bucket of a radix-partitioned
 * join: the right records of the bucket grouped by key, with a small hash
 * table from key words to groups.
 *
 * Method: linear probing at load 1/3 to 2/3 (Knuth, TAOCP vol. 3, sec.
 * 6.4, algorithm L) over one-word slots - 32 bits of the hash above a
 * 32-bit group number, so that a probe reads a record only on a likely
 * match and a bucket's table stays small enough for the L2 cache. When
 * every key of the bucket is unique (the usual case of a join on a primary
 * key) group g is simply record g and nothing else is built. Otherwise
 * groups are numbered in order of first appearance and the records are
 * regrouped by a stable counting sort, so that each key's records are
 * contiguous and in row order - the order pandas' merge gives a left row's
 * partners. Slots are prefetched a few records ahead. Scratch arrays are
 * sized once per task and reused across its buckets. */
#include "data/join_internal.h"

#define EMPTY SH_JOIN_EMPTY
/* Records ahead whose slot is prefetched while building. */
#define AHEAD 16

static uint64_t slot_of(uint64_t h, size_t g) { return (h & 0xffffffff00000000ull) | g; }

/* Sizes and empties the table for n records; NOMEM leaves b valid. */
static sheaf_status reserve_slots(sh_join_bucket *b, size_t n)
{
    size_t slots = 16;
    while (2 * slots < 3 * n)
        slots *= 2;
    if (n >= EMPTY) return SHEAF_ERR_NOMEM; /* group numbers are 32-bit */
    if (slots > b->cap_slots) {
        sh_free(b->slots);
        b->cap_slots = 0;
        if (!(b->slots = sh_malloc_array(slots, sizeof *b->slots))) return SHEAF_ERR_NOMEM;
        b->cap_slots = slots;
    }
    b->mask = slots - 1;
    memset(b->slots, 0xff, slots * sizeof *b->slots);
    return SHEAF_OK;
}

/* Grows the regrouping arrays to n records of stride words. */
static sheaf_status reserve_groups(sh_join_bucket *b, size_t n, size_t stride)
{
    if (n > b->cap_rows) {
        sh_free(b->gid);
        sh_free(b->gstart);
        sh_free(b->rep);
        b->gid = b->gstart = b->rep = NULL;
        b->cap_rows = 0;
        if (!(b->gid = sh_malloc_array(n, sizeof *b->gid)) ||
            !(b->gstart = sh_malloc_array(n + 1, sizeof *b->gstart)) ||
            !(b->rep = sh_malloc_array(n, sizeof *b->rep)))
            return SHEAF_ERR_NOMEM;
        b->cap_rows = n;
    }
    if (n > SIZE_MAX / sizeof(uint64_t) / stride) return SHEAF_ERR_NOMEM;
    if (n * stride > b->cap_words) {
        sh_free(b->tmp);
        b->cap_words = 0;
        if (!(b->tmp = sh_malloc_array(n * stride, sizeof *b->tmp))) return SHEAF_ERR_NOMEM;
        b->cap_words = n * stride;
    }
    return SHEAF_OK;
}

static bool words_equal(const uint64_t *a, const uint64_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return false;
    return true;
}

static void prefetch_slot(const sh_join_bucket *b, const uint64_t *recs, size_t n, size_t stride,
                          size_t n_words, size_t i)
{
    if (i < n) sh_join_bucket_prefetch_slot(b, sh_join_hash(recs + i * stride + 1, n_words));
}

/* The fast path, every key unique: group g is record g and only the table
 * is built. false at the first repeated key. */
static bool index_unique(sh_join_bucket *b, const uint64_t *recs, size_t n, size_t stride,
                         size_t n_words)
{
    for (size_t i = 0; i < n; i++) {
        prefetch_slot(b, recs, n, stride, n_words, i + AHEAD);
        const uint64_t *w = recs + i * stride + 1;
        uint64_t h = sh_join_hash(w, n_words);
        for (size_t s = h & b->mask;; s = (s + 1) & b->mask) {
            size_t g = b->slots[s] & EMPTY;
            if (g == EMPTY) {
                b->slots[s] = slot_of(h, i);
                break;
            }
            if (b->slots[s] == slot_of(h, g) && words_equal(recs + g * stride + 1, w, n_words))
                return false;
        }
    }
    return true;
}

/* The general path: groups numbered in order of first appearance and
 * counted, then the records regrouped stably. */
static void index_groups(sh_join_bucket *b, uint64_t *recs, size_t n, size_t stride, size_t n_words)
{
    size_t n_groups = 0;
    for (size_t i = 0; i < n; i++) {
        prefetch_slot(b, recs, n, stride, n_words, i + AHEAD);
        const uint64_t *w = recs + i * stride + 1;
        uint64_t h = sh_join_hash(w, n_words);
        for (size_t s = h & b->mask;; s = (s + 1) & b->mask) {
            size_t g = b->slots[s] & EMPTY;
            if (g == EMPTY) {
                g = n_groups++;
                b->slots[s] = slot_of(h, g);
                b->rep[g] = (uint32_t)i;
                b->gstart[g] = 0;
            } else if (b->slots[s] != slot_of(h, g) ||
                       !words_equal(recs + b->rep[g] * stride + 1, w, n_words))
                continue;
            b->gid[i] = (uint32_t)g;
            b->gstart[g]++;
            break;
        }
    }
    b->n_groups = n_groups;
    uint32_t at = 0;
    for (size_t g = 0; g < n_groups; g++) {
        uint32_t count = b->gstart[g];
        b->gstart[g] = b->rep[g] = at;
        at += count;
    }
    b->gstart[n_groups] = (uint32_t)n;
    for (size_t i = 0; i < n; i++)
        memcpy(b->tmp + b->rep[b->gid[i]]++ * stride, recs + i * stride, stride * sizeof *recs);
    memcpy(recs, b->tmp, n * stride * sizeof *recs);
}

sheaf_status sh_join_bucket_group(sh_join_bucket *b, uint64_t *recs, size_t n, size_t stride,
                                  size_t n_words)
{
    b->n_groups = 0;
    b->unique = true;
    if (reserve_slots(b, n) != SHEAF_OK) return SHEAF_ERR_NOMEM;
    if (index_unique(b, recs, n, stride, n_words)) {
        b->n_groups = n;
        return SHEAF_OK;
    }
    b->unique = false;
    if (reserve_groups(b, n, stride) != SHEAF_OK) return SHEAF_ERR_NOMEM;
    memset(b->slots, 0xff, (b->mask + 1) * sizeof *b->slots);
    index_groups(b, recs, n, stride, n_words);
    return SHEAF_OK;
}

size_t sh_join_bucket_find(const sh_join_bucket *b, const uint64_t *recs, size_t stride,
                           size_t n_words, const uint64_t *w, uint64_t h)
{
    for (size_t s = h & b->mask;; s = (s + 1) & b->mask) {
        size_t g = b->slots[s] & EMPTY;
        if (g == EMPTY) return SIZE_MAX;
        if (b->slots[s] == slot_of(h, g) &&
            words_equal(recs + sh_join_bucket_first(b, g) * stride + 1, w, n_words))
            return g;
    }
}

void sh_join_bucket_clear(sh_join_bucket *b)
{
    sh_free(b->slots);
    sh_free(b->gid);
    sh_free(b->gstart);
    sh_free(b->rep);
    sh_free(b->tmp);
    memset(b, 0, sizeof *b);
}
