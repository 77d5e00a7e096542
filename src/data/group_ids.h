/* group_ids.h - phase A of the keyed aggregations (group-by, drop_duplicates):
 * a dense id for every row's key tuple, per chunk of rows and globally.
 *
 * The rows are cut into chunks: each partition into pieces of at most
 * SH_GROUP_CHUNK_ROWS rows (empty partitions into none). Chunks depend on
 * the partition table and the row count only, never on the thread count, so
 * per-chunk statistics merged in chunk order give the same bits whoever
 * computes them. Two ways to number groups:
 *  - dense: one int64/timestamp key whose value range is small (see
 *    sh_group_dense_fits): a row's id is key - base, in every chunk and
 *    globally; empty slots are simply absent (first_row SIZE_MAX);
 *  - hashed: each chunk numbers its tuples in order of first appearance
 *    (local ids, a hash table of key words); the coordinator merges the
 *    chunks' tables in chunk order into global ids (remap). */
#ifndef SH_GROUP_IDS_H
#define SH_GROUP_IDS_H

#include "data/keys.h"

/* Rows per chunk at most: enough rows to amortise a dense chunk's per-slot
 * work, few enough that a 10M-row single partition still feeds every core. */
#define SH_GROUP_CHUNK_ROWS ((size_t)1 << 20)

/* The local id of a row whose key is missing when missing keys are dropped;
 * also "no first row yet" in a dense chunk's first array. */
#define SH_GROUP_NONE UINT32_MAX

/* Largest dense range (slots). */
#define SH_GROUP_DENSE_MAX_RANGE ((size_t)1 << 24)

/* Flags of sh_group_ids_build. */
enum {
    SH_GROUP_DROP_MISSING = 1, /* rows with a missing key get no group (group-by) */
    SH_GROUP_ROW_IDS = 2,      /* fill row_group and the chunks' rows */
    SH_GROUP_SORTED = 4        /* fill order (keys must be ranked: sh_keys_rank) */
};

typedef struct sh_group_chunk {
    size_t begin, end;  /* rows */
    size_t n_local;     /* local ids: distinct tuples (hashed) or the dense slots */
    uint32_t *first;    /* building only: first row of each local id, as row - begin */
    uint32_t *rows;     /* with SH_GROUP_ROW_IDS: rows of each local id */
    size_t *remap;      /* hashed: local id -> global id; NULL when dense (the identity) */
    sh_key_table table; /* hashed, building only */
} sh_group_chunk;

typedef struct sh_group_ids {
    size_t n_chunks;
    sh_group_chunk *chunks;
    bool dense;
    int64_t base;        /* dense: the key of slot 0 */
    uint32_t *row_group; /* with SH_GROUP_ROW_IDS: each row's local id, SH_GROUP_NONE if dropped */
    size_t n_slots;      /* global ids 0..n_slots-1 (dense: some may be empty) */
    size_t *first_row;   /* per global id: its first row, SIZE_MAX for an empty dense slot */
    size_t n_groups;     /* non-empty global ids */
    size_t *order;       /* with SH_GROUP_SORTED: the n_groups ids, sorted by key */
    sh_key_table global; /* hashed: the global tuples (words for the sort) */
} sh_group_ids;

/* true when a dense numbering over range slots is worth it for n_chunks
 * chunks of n_rows rows: range <= SH_GROUP_DENSE_MAX_RANGE and the
 * per-chunk slot arrays (n_chunks * range) hold at most 2 * n_rows slots. */
bool sh_group_dense_fits(size_t range, size_t n_chunks, size_t n_rows);

/* Numbers the key tuples k (of frame in) by flags. disjoint: no tuple spans
 * two partitions (the frame is partitioned by a subset of the keys), so a
 * partition's first chunk appends its tuples without looking them up.
 * Uses ctx's threads; ids do not depend on them. NOMEM naming caller; ids
 * is cleared on failure. */
sheaf_status sh_group_ids_build(const sheaf_ctx *ctx, const sheaf_frame *in, const sh_keys *k,
                                bool disjoint, unsigned flags, const char *caller,
                                sh_group_ids *ids);

void sh_group_ids_clear(sh_group_ids *ids);

/* true when the layout keys of in are a subset of the columns names[0..n). */
bool sh_group_layout_within(const sheaf_frame *in, const sh_keys *k);

#endif
