/* group_agg.h - phase B of sheaf_frame_group_by: per-group statistics of one
 * column computed column at a time over the row ids of phase A
 * (group_ids.h), per chunk into plain arrays indexed by local id, merged
 * into global arrays in chunk order, and turned into output values. */
#ifndef SH_GROUP_AGG_H
#define SH_GROUP_AGG_H

#include "data/group_ids.h"
#include "sheaf_group.h"

/* What a statistic keeps per group. */
typedef enum sh_stat_kind {
    SH_STAT_MOMENTS, /* count (level 0), + compensated sum (1), + M2 (2) */
    SH_STAT_ISUM,    /* wrapping int64 sum */
    SH_STAT_MIN,
    SH_STAT_MAX,
    SH_STAT_FIRST, /* row of the first non-missing value */
    SH_STAT_LAST   /* row of the last non-missing value */
} sh_stat_kind;

/* One statistic of one column, shared by every aggregation that reads it
 * (mean, std and count of a column share one MOMENTS of level 2). */
typedef struct sh_stat {
    const sh_column *col;
    sh_stat_kind kind;
    int level;           /* MOMENTS only */
    const int32_t *rank; /* STRING MIN/MAX: strcmp rank of each dictionary code */
    void *global;        /* per global group, from sh_stat_alloc_global */
} sh_stat;

/* One output column of a group-by, planned. */
typedef struct sh_agg_plan {
    const sh_column *col;
    sheaf_agg agg;
    char *name;    /* output column name (owned) */
    int32_t *rank; /* STRING min/max: strcmp rank of each dictionary code (owned) */
    size_t stat;   /* the sh_stat it reads */
} sh_agg_plan;

/* Checks the aggregation against the column type; plan col and agg set.
 * INVALID_ARGUMENT naming caller, column and aggregation. */
sheaf_status sh_agg_prepare(const sh_agg_plan *plan, const char *caller);

/* The statistic (kind and MOMENTS level) plan reads. */
void sh_agg_needs(const sh_agg_plan *plan, sh_stat_kind *kind, int *level);

/* The type of the plan's output column. */
sheaf_type sh_agg_output_type(const sh_agg_plan *plan);

/* Bytes per local group of a chunk's scratch for s. */
size_t sh_stat_chunk_bytes(const sh_stat *s);

/* s->global = n groups of empty statistics (sh_malloc'ed; the caller frees
 * it). NOMEM without a message. */
sheaf_status sh_stat_alloc_global(sh_stat *s, size_t n);

/* The statistics of chunk ch's rows into scratch (ch->n_local groups,
 * 64-byte aligned, sh_stat_chunk_bytes each): row i belongs to local group
 * row_group[i], none when SH_GROUP_NONE. */
void sh_stat_chunk(const sh_stat *s, const uint32_t *row_group, const sh_group_chunk *ch,
                   void *scratch);

/* Merges a later chunk's scratch into s->global: local group l into global
 * group l for l in [lo, hi) (dense ids: sh_stat_merge_dense), or every
 * local group l into ch->remap[l] (sh_stat_merge_remap). */
void sh_stat_merge_dense(const sh_stat *s, const sh_group_chunk *ch, const void *scratch, size_t lo,
                         size_t hi);
void sh_stat_merge_remap(const sh_stat *s, const sh_group_chunk *ch, const void *scratch);

/* Writes the plan's value of global group order[i] to out row i, i < n
 * (out: a column of sh_agg_output_type), missing where it has none; for
 * first/last, writes each group's row (SIZE_MAX if none) to rows[i]
 * instead, for the caller to gather. */
void sh_agg_finish(const sh_agg_plan *plan, const sh_stat *s, const size_t *order, size_t n,
                   sh_column *out, size_t *rows);

#endif
