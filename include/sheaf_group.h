/* sheaf_group.h - operations keyed by column values: group-by aggregation,
 * equi-joins, the as-of join and dropping duplicates. Per-partition partial
 * results are merged on the coordinator in partition order, so results do
 * not depend on the thread count. */
#ifndef SHEAF_GROUP_H
#define SHEAF_GROUP_H

#include "sheaf_frame.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Aggregations of sheaf_frame_group_by; the numbers are part of the ABI. */
typedef enum sheaf_agg {
    SHEAF_AGG_COUNT = 1, /* non-missing values, int64 */
    SHEAF_AGG_SUM = 2,   /* int64 -> int64 (wrapping), float64 -> float64; 0 if none */
    SHEAF_AGG_MEAN = 3,  /* float64; NaN if none */
    SHEAF_AGG_MIN = 4,   /* the column's type (strings by content); missing if none */
    SHEAF_AGG_MAX = 5,   /* as SHEAF_AGG_MIN */
    SHEAF_AGG_STD = 6,   /* sample standard deviation (ddof 1), float64; NaN below 2 values */
    SHEAF_AGG_VAR = 7,   /* sample variance (ddof 1), float64; NaN below 2 values */
    SHEAF_AGG_FIRST = 8, /* first non-missing value in row order; the column's type */
    SHEAF_AGG_LAST = 9   /* last non-missing value in row order; the column's type */
} sheaf_agg;

/* One output column of a group-by: agg of column, called name, or
 * "<column>_<agg>" (e.g. "x_mean") when name is NULL. */
typedef struct sheaf_agg_spec {
    const char *column;
    sheaf_agg agg;
    const char *name;
} sheaf_agg_spec;

/* "count", "sum", "mean", "min", "max", "std", "var", "first", "last", or
 * NULL for an unknown value; static storage. */
SHEAF_API const char *sheaf_agg_name(sheaf_agg agg);

/* Group-by aggregation, as pandas 1.5's df.groupby(keys, sort=True,
 * dropna=True).agg(...): rows with a missing key are dropped; one result
 * row per distinct key tuple, sorted by key (numbers by value, strings by
 * content); the key columns first (their types kept), then one column per
 * spec in order. Missing values (NaN, or invalid) are skipped by every
 * aggregation. sum/mean/std/var need a numeric column (int64 or float64);
 * min/max/first/last/count take any type. Rows are cut into chunks (each
 * partition into pieces of at most 2^20 rows, independent of the thread
 * count); one small-range int64/timestamp key is numbered key - min, other
 * keys by per-chunk hash tables merged in chunk order. Statistics are
 * computed a column at a time per chunk (Kahan sums; two-pass M2 within a
 * chunk, Chan et al.'s update across chunks) and merged in chunk order, so
 * results are bit-identical for any thread count. The result is partitioned into the context's
 * default number of row ranges. n_keys >= 1; n_aggs may be 0. Errors: INVALID_ARGUMENT naming an
 * unknown column, an unknown aggregation, a numeric aggregation of a string/timestamp column or a
 * duplicate output name; NOMEM. *out is NULL on failure; the caller frees it. */
SHEAF_API sheaf_status sheaf_frame_group_by(const sheaf_ctx *ctx, const sheaf_frame *in,
                                            const char *const *keys, size_t n_keys,
                                            const sheaf_agg_spec *aggs, size_t n_aggs,
                                            sheaf_frame **out);

/* Kinds of equi-join; the numbers are part of the ABI. */
typedef enum sheaf_join_how { SHEAF_JOIN_INNER = 1, SHEAF_JOIN_LEFT = 2 } sheaf_join_how;

/* Equi-join, as pandas 1.5's pd.merge(left, right, how='inner'|'left',
 * on=on): rows in left order and, for each left row, its matching right
 * rows in right order (a left row without a match appears once under LEFT,
 * its right columns missing) - pandas' documented order, which pandas 1.5
 * itself follows for LEFT but not INNER (it groups inner rows by key; 2.2
 * fixed that). Columns: every left column, then the right
 * columns that are not keys; a name that both sides carry outside the keys
 * gets "_x" on the left and "_y" on the right. Missing keys match missing
 * keys (as pandas). Both sides are scattered by key hash into buckets
 * sized for the cache (a stable count-then-scatter) and the buckets are
 * joined in parallel; result partition p holds left partition p's rows, and a
 * "by key, ordered by time" layout of left carries over. Errors:
 * INVALID_ARGUMENT for n_on = 0, an unknown column, keys of different types
 * (int64 vs float64 too), naming both columns and types; NOMEM. */
SHEAF_API sheaf_status sheaf_frame_join(const sheaf_ctx *ctx, const sheaf_frame *left,
                                        const sheaf_frame *right, const char *const *on,
                                        size_t n_on, sheaf_join_how how, sheaf_frame **out);

/* As-of join, as pandas 1.5's pd.merge_asof(left, right, on=on, by=by,
 * direction='backward', allow_exact_matches=True): for each left row the
 * right row with equal by-keys and the greatest on-value <= the left's (on
 * ties, the last such row in right order). Inputs need not be sorted: both
 * sides are bucketed by the by-keys, each right group is sorted by (on,
 * row), and left rows binary-search it in parallel. Output: left's rows in left order
 * (and left's partitions and layout), left's columns, then right's columns
 * except on and by, "_x"/"_y" on name clashes. on must be int64, float64 or
 * timestamp (same unit) and of the same type on both sides; by-keys pair
 * as in sheaf_frame_join (missing matches missing). A left row with a
 * missing on-value matches nothing; right rows with a missing on-value are
 * never matched. n_by may be 0. Errors: INVALID_ARGUMENT naming the column
 * (unknown, wrong or differing type); NOMEM. */
SHEAF_API sheaf_status sheaf_frame_join_asof(const sheaf_ctx *ctx, const sheaf_frame *left,
                                             const sheaf_frame *right, const char *on,
                                             const char *const *by, size_t n_by, sheaf_frame **out);

/* Rows whose values in subset (every column when subset is NULL or n_subset
 * is 0) equal those of an earlier row are dropped, as pandas 1.5's
 * drop_duplicates(subset, keep='first'): the first occurrence stays, rows
 * keep their order, missing equals missing, -0.0 equals 0.0. Result
 * partition p holds the kept rows of partition p. Errors: INVALID_ARGUMENT
 * for an unknown column; NOMEM. */
SHEAF_API sheaf_status sheaf_frame_drop_duplicates(const sheaf_ctx *ctx, const sheaf_frame *in,
                                                   const char *const *subset, size_t n_subset,
                                                   sheaf_frame **out);

#ifdef __cplusplus
}
#endif
#endif
