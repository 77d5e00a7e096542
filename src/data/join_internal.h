/* join_internal.h - what the equi-join and the as-of join share: the radix
 * partitioning of both sides by key hash (join_radix.c), the per-bucket
 * hash table of right keys (join_bucket.c), the gather of result columns
 * (join_gather.c) and the assembly of the result frame (join_assemble.c). */
#ifndef SH_JOIN_INTERNAL_H
#define SH_JOIN_INTERNAL_H

#include "data/keys.h"
#include "sheaf_group.h"

#include <math.h>
#include <string.h>

/* ---- radix partitioning (join_radix.c) ----------------------------------- */

/* One side's rows scattered into 2^bits buckets by the high bits of the hash
 * of their key words, each bucket in row order. A record is stride words:
 * the row, the n_words key words, then (as-of only) the on-value word. */
typedef struct sh_join_side {
    size_t n_buckets;
    size_t stride;
    size_t n_words;
    unsigned shift; /* bucket = hash >> shift (0 buckets bits: everything in bucket 0) */
    size_t *start;  /* n_buckets + 1: bucket b's records are [start[b], start[b + 1]) */
    uint64_t *recs; /* start[n_buckets] * stride words */
} sh_join_side;

/* The bucket bits for sides of n_left and n_right rows: buckets of a few
 * thousand rows, whose tables stay in the L2 cache. */
unsigned sh_join_bucket_bits(size_t n_left, size_t n_right);

/* Partitions rows [0, n_rows) of k's frame into 2^bits buckets (bits <=
 * 15). When on is not NULL each record ends with the on-value word
 * (sh_join_on_word) and rows whose on-value is missing are left out, with
 * skipped[row] = SH_ROW_NONE (skipped may be NULL otherwise). The result
 * does not depend on ctx's threads. NOMEM naming caller; s is cleared on
 * failure. */
sheaf_status sh_join_partition(const sheaf_ctx *ctx, const sh_keys *k, const sh_column *on,
                               size_t n_rows, unsigned bits, size_t *skipped, const char *caller,
                               sh_join_side *s);

void sh_join_side_clear(sh_join_side *s);

/* The hash of n key words that a join's buckets (high bits) and tables
 * (low bits) use: a multiply-xorshift step per word and the murmur3-style
 * finaliser (Appleby's fmix64), cheaper than sh_keys_hash_words and
 * private to one join, so it need not match any other hash. */
static inline uint64_t sh_join_hash(const uint64_t *w, size_t n_words)
{
    uint64_t h = 0x736865616672736bull;
    for (size_t i = 0; i < n_words; i++) {
        h = (h ^ w[i]) * 0xbf58476d1ce4e5b9ull;
        h ^= h >> 31;
    }
    h *= 0x94d049bb133111ebull;
    return h ^ (h >> 29);
}

/* The on-value of row as a word in value order (integers with the sign bit
 * flipped, doubles bit-twiddled, -0.0 as 0.0), or false when missing. */
static inline bool sh_join_on_word(const sh_column *c, size_t row, uint64_t *w)
{
    if (c->valid && !c->valid[row]) return false;
    if (c->type == SHEAF_TYPE_FLOAT64) {
        double x = c->f64[row];
        if (isnan(x)) return false;
        if (x == 0.0) x = 0.0;
        uint64_t bits;
        memcpy(&bits, &x, sizeof bits);
        *w = bits & 0x8000000000000000ull ? ~bits : bits | 0x8000000000000000ull;
    } else
        *w = (uint64_t)c->i64[row] ^ 0x8000000000000000ull;
    return true;
}

/* Runs task on [0, n_tasks) with ctx's executor; the number of tasks a
 * row range is cut into (a few per thread, none under ~16k rows). */
size_t sh_join_tasks(const sheaf_ctx *ctx, size_t n_rows);

/* ---- the key table of one bucket (join_bucket.c) -------------------------- */

/* Scratch for the buckets one task joins, reused from bucket to bucket. */
typedef struct sh_join_bucket {
    size_t cap_rows, cap_slots, cap_words;
    uint64_t *slots;  /* cap_slots: the hash's high 32 bits, a 32-bit group (all ones: empty) */
    uint32_t *gid;    /* per record: its group */
    uint32_t *gstart; /* n_groups + 1: group g is records [gstart[g], gstart[g + 1]) */
    uint32_t *rep;    /* per group: its first record, then a write cursor */
    uint64_t *tmp;    /* cap_words: records being regrouped */
    size_t mask, n_groups;
    bool unique; /* every key once: group g is record g, gstart unused */
} sh_join_bucket;

/* A slot's group bits when empty. */
#define SH_JOIN_EMPTY UINT32_MAX

/* The first record of group g, and the group's record count. */
static inline size_t sh_join_bucket_first(const sh_join_bucket *b, size_t g)
{
    return b->unique ? g : b->gstart[g];
}

static inline size_t sh_join_bucket_count(const sh_join_bucket *b, size_t g)
{
    return b->unique ? 1 : (size_t)(b->gstart[g + 1] - b->gstart[g]);
}

/* Prefetch steps of a probe with hash h, issued a few probes ahead: the
 * slot, then (once the slot is cached) the record it points at. */
static inline void sh_join_bucket_prefetch_slot(const sh_join_bucket *b, uint64_t h)
{
    __builtin_prefetch(&b->slots[h & b->mask]);
}

static inline void sh_join_bucket_prefetch_record(const sh_join_bucket *b, const uint64_t *recs,
                                                  size_t stride, uint64_t h)
{
    size_t g = b->slots[h & b->mask] & SH_JOIN_EMPTY;
    if (g != SH_JOIN_EMPTY) __builtin_prefetch(recs + sh_join_bucket_first(b, g) * stride + 1);
}

/* Groups the n records at recs (stride words each, key words at 1..n_words)
 * by key: reorders them in place so that each key's records are contiguous
 * and keep their order (sh_join_bucket_first/count), numbers the keys in
 * order of first appearance and indexes them by hash. NOMEM without a message (also for n >= 2^32 -
 * 1, beyond the 32-bit group numbers). */
sheaf_status sh_join_bucket_group(sh_join_bucket *b, uint64_t *recs, size_t n, size_t stride,
                                  size_t n_words);

/* The group of key words w (hash h) after sh_join_bucket_group on recs, or
 * SIZE_MAX when no record has them. */
size_t sh_join_bucket_find(const sh_join_bucket *b, const uint64_t *recs, size_t stride,
                           size_t n_words, const uint64_t *w, uint64_t h);

void sh_join_bucket_clear(sh_join_bucket *b);

/* ---- result columns (join_gather.c, join_assemble.c) ----------------------- */

/* A plan to take rows idx[0..n) (SH_ROW_NONE: missing) of columns of
 * n_src rows; idx must outlive it. ordered: idx is non-decreasing, so rows
 * are copied in order; otherwise big takes are planned for radix-decluster.
 * NOMEM without a message. */
typedef struct sh_join_take sh_join_take;
sheaf_status sh_join_take_create(const size_t *idx, size_t n, size_t n_src, bool ordered,
                                 int threads, sh_join_take **out);
void sh_join_take_free(sh_join_take *t);

/* *dst = a new column called name whose row i is src's row idx[i], missing
 * where idx[i] == SH_ROW_NONE (sh_gather_column's result); a string column
 * gets a copy of src's dictionary. The bytes do not depend on the threads.
 * NOMEM naming caller and the column. */
sheaf_status sh_join_take_column(const sh_join_take *t, const sh_column *src, const char *name,
                                 const char *caller, sh_column *dst);

/* *out = left's columns, then right's columns c with !skip_right[c], in
 * order. Output row i takes left row lidx[i] (lidx NULL: row i, and the
 * left columns are shared, not copied) and right row ridx[i] (SH_ROW_NONE:
 * missing). A name that a left column and a kept right column share gets
 * "_x" on the left and "_y" on the right (pandas' suffixes). The result has
 * n_out rows in partitions offsets[0..n_parts], and left's layout when its
 * columns kept their names. NOMEM naming caller; *out NULL on failure. */
sheaf_status sh_join_assemble(const sheaf_ctx *ctx, const sheaf_frame *left,
                              const sheaf_frame *right, const bool *skip_right, const size_t *lidx,
                              const size_t *ridx, size_t n_out, const size_t *offsets,
                              size_t n_parts, const char *caller, sheaf_frame **out);

#endif
