/* keys.h - key tuples of rows, shared by the keyed operations (group-by,
 * joins, the as-of join, drop_duplicates) and the hash partitioner.
 *
 * A row's key tuple is read two ways:
 *  - a content hash (sh_keys_hash): strings hash their bytes, numbers the
 *    bits of their value with -0.0 folded onto 0.0, every missing value one
 *    constant - equal keys hash alike in any frame and any dictionary;
 *  - key words (sh_keys_words): n_words 64-bit words such that two rows of
 *    frames opened together have equal words exactly when their keys are
 *    equal (missing equal to missing). Strings become dictionary codes - of
 *    the build frame's dictionary when a probe frame is bound to it - so
 *    hash tables compare a few integers and never touch the strings.
 * Orders (sh_keys_compare_words): numbers by value, strings by content
 * (strcmp), missing after every present value. */
#ifndef SH_KEYS_H
#define SH_KEYS_H

#include "data/frame_internal.h"

/* The word of a missing string, float or flagged value. Present strings are
 * codes >= 0, present floats never have NaN bits, so it cannot collide. */
#define SH_KEY_MISSING_WORD UINT64_MAX
/* The word of a probe string absent from the build dictionary: matches
 * nothing the build side holds. */
#define SH_KEY_ABSENT_WORD (UINT64_MAX - 1)

/* One key column. */
typedef struct sh_key_col {
    const sh_column *col;
    uint64_t *dict_hash; /* STRING: content hash of each dictionary value */
    uint64_t *code_word; /* STRING, bound probe: own code -> build code word */
    int32_t *rank;       /* STRING, after sh_keys_rank: strcmp order of each code */
    bool flagged;        /* int64/timestamp: an extra word says missing (1) or not (0) */
} sh_key_col;

typedef struct sh_keys {
    size_t n_keys;
    size_t n_words; /* words per row: one per key plus one per flagged key */
    sh_key_col *cols;
} sh_keys;

/* Opens the key columns names[0..n) of frame. INVALID_ARGUMENT naming
 * caller and the column when a name is NULL or unknown (n = 0 is allowed:
 * every row has the empty tuple); NOMEM with a message. On failure k is
 * left cleared. */
sheaf_status sh_keys_open(sh_keys *k, const sheaf_frame *frame, const char *const *names, size_t n,
                          const char *caller);

/* Opens every column of frame as a key (drop_duplicates without subset). */
sheaf_status sh_keys_open_all(sh_keys *k, const sheaf_frame *frame, const char *caller);

/* Makes probe's words comparable with build's: the key types must be equal
 * pairwise (INVALID_ARGUMENT "caller: key 'a' is int64 on the left but
 * 'a' is float64 on the right" otherwise); probe strings are translated
 * into build codes; int keys are flagged on both sides when either has a
 * missing value. NOMEM with a message. */
sheaf_status sh_keys_bind(sh_keys *probe, sh_keys *build, const char *caller);

/* Computes the strcmp rank of every string key's dictionary (for
 * sh_keys_compare_words). NOMEM with a message. */
sheaf_status sh_keys_rank(sh_keys *k, const char *caller);

void sh_keys_clear(sh_keys *k);

/* The content hash of row's tuple: h = mix64(h ^ value_hash) over keys from
 * a fixed seed (the hash sheaf_frame_partition_hash documents). */
uint64_t sh_keys_hash(const sh_keys *k, size_t row);

/* Writes row's n_words key words to w. */
void sh_keys_words(const sh_keys *k, size_t row, uint64_t *w);

/* The key words of rows [row, row + m), row-major: row row + r's words at
 * w + r * n_words, equal to what sh_keys_words writes; reads one column at a
 * time, for loops that handle many rows. */
void sh_keys_words_rows(const sh_keys *k, size_t row, size_t m, uint64_t *w);

/* true when any key of row is missing. */
bool sh_keys_any_missing(const sh_keys *k, size_t row);

/* A hash of n words (for hash tables over key words). */
uint64_t sh_keys_hash_words(const uint64_t *w, size_t n);

/* Three-way comparison of two word tuples of k's frame (after sh_keys_rank):
 * numbers by value, strings by content, missing last. */
int sh_keys_compare_words(const sh_keys *k, const uint64_t *a, const uint64_t *b);

/* The splitmix64 finaliser (Steele, Lea and Flood, OOPSLA 2014). */
uint64_t sh_mix64(uint64_t x);

/* ---- a hash table of key-word tuples -> dense group ids (keys_table.c) ---- */

/* A slot: key is the tuple's only word for one-word tuples (so a probe
 * never leaves the slot array), its hash otherwise. */
struct sh_key_slot {
    uint64_t key;
    size_t group; /* SIZE_MAX = empty */
};

typedef struct sh_key_table {
    size_t n_words;
    size_t n_groups, cap_groups;
    uint64_t *words; /* n_groups * n_words, group g at words + g * n_words */
    struct sh_key_slot *slots;
    size_t mask; /* slot count - 1 (a power of two) */
} sh_key_table;

/* An empty table for tuples of n_words words, sized for about expected
 * groups. NOMEM without a message. */
sheaf_status sh_key_table_init(sh_key_table *t, size_t n_words, size_t expected);
void sh_key_table_clear(sh_key_table *t);

/* The group of tuple w (hash h = sh_keys_hash_words(w)), inserted as the
 * next id if new (*inserted says which). NOMEM without a message. */
sheaf_status sh_key_table_upsert(sh_key_table *t, const uint64_t *w, uint64_t h, size_t *group,
                                 bool *inserted);

/* Inserts tuple w (hash h), which the caller knows is absent, as the next
 * id without comparing any words. NOMEM without a message. */
sheaf_status sh_key_table_append(sh_key_table *t, const uint64_t *w, uint64_t h, size_t *group);

/* The group of tuple w, or SIZE_MAX when absent. */
size_t sh_key_table_find(const sh_key_table *t, const uint64_t *w, uint64_t h);

/* Hints the cache to fetch the slot where a probe for hash h starts; batch
 * loops call it a few rows ahead so that the misses overlap. */
static inline void sh_key_table_prefetch(const sh_key_table *t, uint64_t h)
{
    __builtin_prefetch(&t->slots[h & t->mask]);
}

/* Rows a batch loop handles at a time: enough to overlap the cache misses of
 * its probes, little enough for its words to stay on the stack. */
#define SH_KEY_BATCH 32

/* Words (m * k->n_words into w) and word hashes (into h) of rows
 * [row, row + m), m <= SH_KEY_BATCH, prefetching each row's first slot in t. */
void sh_keys_batch(const sh_keys *k, const sh_key_table *t, size_t row, size_t m, uint64_t *w,
                   uint64_t *h);

/* The words of group g. */
static inline const uint64_t *sh_key_table_words(const sh_key_table *t, size_t g)
{
    return t->words + g * t->n_words;
}

/* ---- building result frames (keys_gather.c) -------------------------------- */

/* Marks a missing row in a gather index. */
#define SH_ROW_NONE SIZE_MAX

/* *dst = a new column called name whose row i is src's row idx[i], missing
 * where idx[i] == SH_ROW_NONE; a string column gets a copy of src's
 * dictionary (codes unchanged). Rows are copied in parallel with threads
 * above a size threshold; the result does not depend on them. NOMEM naming
 * caller and the column. */
sheaf_status sh_gather_column(const sh_column *src, const char *name, const size_t *idx, size_t n,
                              int threads, const char *caller, sh_column *dst);

/* Copies src's dictionary into dst (a STRING column from sh_column_alloc).
 * NOMEM without a message. */
sheaf_status sh_copy_dictionary(sh_column *dst, const sh_column *src);

/* Replaces frame's partition table by offsets[0..n] (copied). NOMEM naming
 * caller. */
sheaf_status sh_frame_set_offsets(sheaf_frame *frame, const size_t *offsets, size_t n,
                                  const char *caller);

/* Gives frame the layout of src when every layout column of src is present
 * in frame under the same name (results that keep src's row order). NOMEM
 * naming caller. */
sheaf_status sh_frame_inherit_layout(sheaf_frame *frame, const sheaf_frame *src,
                                     const char *caller);
#endif
