/* feature_internal.h - the fitted-stage representation shared by the
 * feature_*.c files, and the helpers they share: numeric column lookup,
 * per-column moments, and the frame rebuild that replaces or appends
 * columns.
 *
 * A stage is a plain struct of parameters and arrays, so a later serializer
 * can write it field by field; nothing in it points into a frame. */
#ifndef SH_FEATURE_INTERNAL_H
#define SH_FEATURE_INTERNAL_H

#include "data/frame_internal.h"
#include "sheaf_features.h"

#include <math.h>

struct sheaf_stage {
    sheaf_stage_kind kind;
    size_t n_columns;
    char **columns; /* input column names */
    char *output;   /* indexer: output column; one-hot: column prefix */
    /* parameters */
    sheaf_index_order order;
    sheaf_unseen policy;
    sheaf_impute_strategy strategy;
    int drop_last, with_mean, with_std;
    double min, max; /* min-max scaler target range */
    /* learned: indexer */
    size_t n_labels;
    char **labels;
    /* learned: one-hot */
    size_t n_categories;
    /* learned, n_columns each: standard scaler mean/std, min-max scaler
     * Emin/Emax, imputer surrogate in a */
    double *a;
    double *b;
    /* imputer, n_columns each: the mode of an int64 column as int64, and 1
     * where that applies */
    int64_t *a_int;
    uint8_t *is_int;
    /* derived (rebuilt from labels, never serialized): open-addressing
     * table of label indices, -1 empty, n_slots a power of two */
    int32_t *slots;
    size_t n_slots;
};

/* A zeroed stage of kind with copies of columns[0..n); NOMEM with a message
 * naming caller. Also checks the names: INVALID_ARGUMENT for n = 0, a NULL
 * name or a repeated one. */
sheaf_status sh_stage_new(sheaf_stage_kind kind, const char *const *columns, size_t n,
                          const char *caller, sheaf_stage **out);

/* idx[j] = index in frame of column names[j]; each must be float64 or
 * int64 (INVALID_ARGUMENT naming the column and its type otherwise). */
sheaf_status sh_feature_numeric_columns(const sheaf_frame *frame, const char *const *names,
                                        size_t n, const char *caller, size_t *idx);

/* Value of row i of a float64 or int64 column as double, NaN if missing. */
static inline double sh_feature_value(const sh_column *c, size_t i)
{
    if (c->type == SHEAF_TYPE_FLOAT64) return c->f64[i];
    return c->valid && !c->valid[i] ? NAN : (double)c->i64[i];
}

/* Per-column moments over present values, SH_MOMENTS doubles per column:
 * count, mean, M2 (sum of squared deviations), min, max. Two passes per
 * partition, merged across partitions in partition order by Chan, Golub and
 * LeVeque's update. */
enum { SH_MOMENTS = 5 };
sheaf_status sh_feature_moments(const sheaf_ctx *ctx, const sheaf_frame *frame, const size_t *idx,
                                size_t n, const char *caller, double *out);

/* A new frame with in's partition table whose column i is repl[i] when
 * repl[i].name is set (taking ownership; the others are shared), followed by
 * extra[0..n_extra) (ownership taken). The layout is kept unless a replaced
 * column is one of its keys or its time. Consumes every column in repl and
 * extra, also on failure (NOMEM, or INVALID_ARGUMENT for a duplicate name).
 * repl may be NULL. */
sheaf_status sh_feature_rebuild(const sheaf_frame *in, sh_column *repl, sh_column *extra,
                                size_t n_extra, const char *caller, sheaf_frame **out);

/* Per-kind transforms, dispatched by sheaf_stage_transform. */
sheaf_status sh_indexer_transform(const sheaf_ctx *ctx, const sheaf_stage *s, const sheaf_frame *in,
                                  sheaf_frame **out);
sheaf_status sh_onehot_transform(const sheaf_ctx *ctx, const sheaf_stage *s, const sheaf_frame *in,
                                 sheaf_frame **out);
sheaf_status sh_scaler_transform(const sheaf_ctx *ctx, const sheaf_stage *s, const sheaf_frame *in,
                                 sheaf_frame **out);
sheaf_status sh_imputer_transform(const sheaf_ctx *ctx, const sheaf_stage *s, const sheaf_frame *in,
                                  sheaf_frame **out);

/* Rebuilds s->slots from s->labels (after a fit or a copy). NOMEM without a
 * message. */
sheaf_status sh_indexer_build_slots(sheaf_stage *s);

/* Sorting and order statistics for the imputer (feature_order.c). Values are
 * carried as order-preserving uint64 keys. */
uint64_t sh_order_key_f64(double x);
double sh_order_f64(uint64_t key);
uint64_t sh_order_key_i64(int64_t x);
int64_t sh_order_i64(uint64_t key);
/* Sorts keys[0..n) ascending using tmp[0..n) as scratch (LSD radix). */
void sh_order_sort(uint64_t *keys, uint64_t *tmp, size_t n);
/* The k-th smallest (0-based) of the union of n_runs sorted runs, run r
 * being keys[begin[r] .. begin[r] + len[r]); k below their total length.
 * work: 4 * n_runs size_t. */
uint64_t sh_order_select(const uint64_t *keys, const size_t *begin, const size_t *len,
                         size_t n_runs, size_t k, size_t *work);

#endif
