/* sheaf_features.h - fitted feature assemblers in the manner of Spark ML:
 * string indexing, one-hot encoding, standard and min-max scaling,
 * imputation, the vector assembler that turns columns into per-partition
 * design-matrix blocks, and the pipeline that replays fitted stages on new
 * data. Every fit merges per-partition statistics on the coordinator. */
#ifndef SHEAF_FEATURES_H
#define SHEAF_FEATURES_H

#include "sheaf_frame.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- fitted stages --------------------------------------------------------
 * A fitted stage is what a *_fit function learns from one frame (an
 * indexer's labels, a scaler's means) plus its parameters. It never changes
 * afterwards, so sheaf_stage_transform on one stage is safe from many
 * threads at once. Fits run partition by partition with ctx's threads and
 * merge the partitions' statistics in partition order, so the fitted values
 * are bit-identical for any thread count. ctx may be NULL (all cores). On
 * any failure *out is NULL and sheaf_last_error() names the function, the
 * column and the value. Unknown columns and NULL names are INVALID_ARGUMENT;
 * a column of the wrong type is INVALID_ARGUMENT naming the column and its
 * type. Transforms return a new frame and leave their input unchanged;
 * columns a stage does not write are shared, not copied. Replacing a column
 * the frame is partitioned by drops the "by key, ordered by time" layout;
 * dropping rows keeps it. */
typedef struct sheaf_stage sheaf_stage;

/* What a stage is; the numbers are part of the ABI. */
typedef enum sheaf_stage_kind {
    SHEAF_STAGE_STRING_INDEXER = 1,
    SHEAF_STAGE_ONE_HOT_ENCODER = 2,
    SHEAF_STAGE_STANDARD_SCALER = 3,
    SHEAF_STAGE_MIN_MAX_SCALER = 4,
    SHEAF_STAGE_IMPUTER = 5
} sheaf_stage_kind;

/* The order in which a string indexer numbers its labels (Spark's
 * stringOrderType). Frequency orders break ties by the string, ascending
 * (byte order), as Spark 3 does. */
typedef enum sheaf_index_order {
    SHEAF_INDEX_FREQUENCY_DESC = 0, /* the default */
    SHEAF_INDEX_FREQUENCY_ASC = 1,
    SHEAF_INDEX_ALPHABET_ASC = 2,
    SHEAF_INDEX_ALPHABET_DESC = 3
} sheaf_index_order;

/* What a transform does with a value the fit did not see, or a missing one
 * (Spark's handleInvalid). */
typedef enum sheaf_unseen {
    SHEAF_UNSEEN_ERROR = 0, /* INVALID_ARGUMENT naming the column, row and value */
    SHEAF_UNSEEN_SKIP = 1,  /* drop the row (string indexer only) */
    SHEAF_UNSEEN_KEEP = 2   /* one extra index after the learned ones */
} sheaf_unseen;

/* How an imputer picks the value that fills the gaps of a column. */
typedef enum sheaf_impute_strategy {
    SHEAF_IMPUTE_MEAN = 0,
    SHEAF_IMPUTE_MEDIAN = 1, /* exact; the mean of the two middle values for an even count */
    SHEAF_IMPUTE_MODE = 2    /* the most frequent value; the smallest of equally frequent ones */
} sheaf_impute_strategy;

/* Frees a stage; NULL is a no-op. */
SHEAF_API void sheaf_stage_free(sheaf_stage *stage);

/* A deep copy of stage (for a second owner, e.g. a pipeline). NOMEM. */
SHEAF_API sheaf_status sheaf_stage_copy(const sheaf_stage *stage, sheaf_stage **out);

/* The stage's kind; 0 for NULL. */
SHEAF_API sheaf_stage_kind sheaf_stage_kind_of(const sheaf_stage *stage);

/* The input columns the stage reads (1 for the indexer and the encoder). */
SHEAF_API size_t sheaf_stage_num_columns(const sheaf_stage *stage);
/* Name of input column j (owned by the stage), or NULL if out of range. */
SHEAF_API const char *sheaf_stage_column(const sheaf_stage *stage, size_t j);

/* Applies a fitted stage to in (any frame having the stage's input columns),
 * writing a new frame to *out. What each kind writes is described at its
 * fit function. Errors as described there, plus INVALID_ARGUMENT for a
 * missing input column or a column of the wrong type, and NOMEM. */
SHEAF_API sheaf_status sheaf_stage_transform(const sheaf_ctx *ctx, const sheaf_stage *stage,
                                             const sheaf_frame *in, sheaf_frame **out);

/* ---- string indexer (Spark's StringIndexer) ---------------------------------
 * Fit: counts every label of the string column `input` (per-partition
 * histograms over its dictionary codes, summed in partition order), ignores
 * missing values, and numbers the labels 0, 1, ... in `order`. A column
 * with no present value is INVALID_ARGUMENT.
 * Transform: appends the float64 column `output` (Spark outputs doubles)
 * holding each row's label index, looking labels up by their text, so the
 * new frame's dictionary may differ from the fitted one. A label the fit did
 * not see, or a missing value: policy ERROR is INVALID_ARGUMENT naming the
 * column, the row and the label; SKIP drops the row (partitions keep their
 * boundaries and order); KEEP gives index num_labels. An existing column
 * called `output` is INVALID_ARGUMENT. */
SHEAF_API sheaf_status sheaf_string_indexer_fit(const sheaf_ctx *ctx, const sheaf_frame *in,
                                                const char *input, const char *output,
                                                sheaf_index_order order, sheaf_unseen policy,
                                                sheaf_stage **out);

/* Number of learned labels; MISUSE for another kind of stage. */
SHEAF_API sheaf_status sheaf_string_indexer_num_labels(const sheaf_stage *stage, size_t *n);
/* Label of index i (owned by the stage), or NULL if out of range or not an
 * indexer. */
SHEAF_API const char *sheaf_string_indexer_label(const sheaf_stage *stage, size_t i);

/* ---- one-hot encoder (Spark's OneHotEncoder) -------------------------------
 * Fit: `input` is a float64 or int64 column of category indices (a string
 * indexer's output); the number of categories is the largest index + 1
 * (per-partition maxima merged). Every present value must be a
 * non-negative integer (INVALID_ARGUMENT naming the column, row and value
 * otherwise); missing values are an error under ERROR and ignored under
 * KEEP. No present value at all is INVALID_ARGUMENT.
 * Transform: appends dense float64 columns "<output_prefix>_<i>" (prefix
 * NULL: the input column's name), one per category, 1.0 in the row's
 * category and 0.0 elsewhere; the input column stays. KEEP adds one extra
 * category, index num_categories, for every invalid value (missing,
 * negative, non-integer, >= num_categories); under ERROR such a value is
 * INVALID_ARGUMENT naming the column, row and value. drop_last (Spark's
 * default 1) drops the last category's column: so columns number
 * num_categories (+1 under KEEP) - drop_last. */
SHEAF_API sheaf_status sheaf_one_hot_encoder_fit(const sheaf_ctx *ctx, const sheaf_frame *in,
                                                 const char *input, const char *output_prefix,
                                                 int drop_last, sheaf_unseen policy,
                                                 sheaf_stage **out);

/* Number of learned categories (without KEEP's extra one); MISUSE for
 * another kind of stage. */
SHEAF_API sheaf_status sheaf_one_hot_encoder_num_categories(const sheaf_stage *stage, size_t *n);

/* ---- standard scaler (Spark's StandardScaler) -------------------------------
 * Fit: the mean and the sample standard deviation (divisor n - 1) of each
 * float64 or int64 column, from per-partition (count, mean, M2) merged by
 * Chan, Golub and LeVeque's pairwise update in partition order; missing
 * values (NaN) are skipped. A column with one value has std 0, as Spark
 * gives; a column with none is INVALID_ARGUMENT naming it.
 * Transform: replaces each column, in place and under the same name, by the
 * float64 column (x - mean) * (1 / std), with the subtraction only when
 * with_mean (Spark's default 0) and the scaling only when with_std (Spark's
 * default 1); a column with std 0 scales to 0.0, as Spark does. Missing
 * values stay missing (NaN). */
SHEAF_API sheaf_status sheaf_standard_scaler_fit(const sheaf_ctx *ctx, const sheaf_frame *in,
                                                 const char *const *columns, size_t n_columns,
                                                 int with_mean, int with_std, sheaf_stage **out);

/* Borrowed views of the learned means and standard deviations (n_columns
 * each, in column order); MISUSE for another kind of stage. */
SHEAF_API sheaf_status sheaf_standard_scaler_stats(const sheaf_stage *stage, const double **mean,
                                                   const double **std, size_t *n_columns);

/* ---- min-max scaler (Spark's MinMaxScaler) ---------------------------------
 * Fit: each float64 or int64 column's smallest and largest present value
 * (per-partition extremes merged); a column with no present value is
 * INVALID_ARGUMENT. min < max is required (Spark's defaults 0 and 1).
 * Transform: replaces each column, under the same name, by the float64
 * (x - Emin) * ((max - min) / (Emax - Emin)) + min, and a constant column
 * (Emax == Emin) by 0.5 * (max - min) + min, as Spark 3 computes it; missing
 * values stay missing. */
SHEAF_API sheaf_status sheaf_min_max_scaler_fit(const sheaf_ctx *ctx, const sheaf_frame *in,
                                                const char *const *columns, size_t n_columns,
                                                double min, double max, sheaf_stage **out);

/* Borrowed views of the learned minima and maxima (n_columns each); MISUSE
 * for another kind of stage. */
SHEAF_API sheaf_status sheaf_min_max_scaler_stats(const sheaf_stage *stage, const double **emin,
                                                  const double **emax, size_t *n_columns);

/* ---- imputer (Spark's Imputer) --------------------------------------------
 * Fit: for each float64 or int64 column the value that fills its missing
 * rows (NaN or marked missing): the mean (per-partition count, mean and M2
 * merged), the exact median (pandas' median: each partition sorts its
 * present values, the coordinator selects the middle one(s) across the
 * sorted runs) or the mode (sorted runs turned into (value, count) lists,
 * merged in partition order; the smallest of equally frequent values). A
 * column without any present value is INVALID_ARGUMENT naming it.
 * Transform: replaces each column, under the same name, by the column with
 * its missing values filled. MEAN and MEDIAN give float64; MODE keeps an
 * int64 column int64 when it was fitted on an int64 column (float64
 * otherwise). */
SHEAF_API sheaf_status sheaf_imputer_fit(const sheaf_ctx *ctx, const sheaf_frame *in,
                                         const char *const *columns, size_t n_columns,
                                         sheaf_impute_strategy strategy, sheaf_stage **out);

/* Borrowed view of the fill values (n_columns, in column order); MISUSE for
 * another kind of stage. */
SHEAF_API sheaf_status sheaf_imputer_surrogates(const sheaf_stage *stage, const double **values,
                                                size_t *n_columns);

/* ---- pipeline ---------------------------------------------------------------
 * An ordered list of fitted stages replayed on new frames (train on one
 * frame, transform another). */
typedef struct sheaf_pipeline sheaf_pipeline;

/* An empty pipeline. NOMEM. */
SHEAF_API sheaf_status sheaf_pipeline_create(sheaf_pipeline **out);
/* Frees the pipeline and every stage it owns; NULL is a no-op. */
SHEAF_API void sheaf_pipeline_free(sheaf_pipeline *pipeline);
/* Appends stage, taking ownership of it - also on failure (NOMEM), when the
 * stage is freed. INVALID_ARGUMENT for a NULL pipeline or stage. */
SHEAF_API sheaf_status sheaf_pipeline_add(sheaf_pipeline *pipeline, sheaf_stage *stage);
/* Number of stages; the stage at index i (owned by the pipeline) or NULL. */
SHEAF_API size_t sheaf_pipeline_num_stages(const sheaf_pipeline *pipeline);
SHEAF_API const sheaf_stage *sheaf_pipeline_stage(const sheaf_pipeline *pipeline, size_t i);
/* Applies the stages in order (each to the previous one's output), writing
 * the last output to *out (an empty pipeline gives a frame sharing in's
 * columns). The first failing stage's status and message, prefixed by
 * "sheaf_pipeline_transform: stage <i>: ". */
SHEAF_API sheaf_status sheaf_pipeline_transform(const sheaf_ctx *ctx,
                                                const sheaf_pipeline *pipeline,
                                                const sheaf_frame *in, sheaf_frame **out);

/* ---- vector assembler (Spark's VectorAssembler) -----------------------------
 * A design is one row-major float64 block per partition of the input frame
 * (that partition's rows, n_features columns, leading dimension
 * n_features) plus, when a label column was named, one label vector per
 * partition. It keeps the feature names for model output. */
typedef struct sheaf_design sheaf_design;

/* What the assembler does with a missing feature or label value. */
typedef enum sheaf_missing_policy {
    SHEAF_MISSING_ERROR = 0, /* INVALID_ARGUMENT naming the column and the (global) row */
    SHEAF_MISSING_SKIP = 1,  /* drop the row from X and y */
    SHEAF_MISSING_KEEP = 2   /* leave NaN */
} sheaf_missing_policy;

/* Assembles the float64 or int64 columns features[0..n_features) (int64
 * converted to double) and the optional label column (NULL: none) of in into
 * a design, partitions in parallel. n_features >= 1; a string or timestamp
 * column is INVALID_ARGUMENT naming it and its type; so is a repeated
 * feature name. Missing values (NaN or marked missing) follow policy.
 * NOMEM. */
SHEAF_API sheaf_status sheaf_vector_assemble(const sheaf_ctx *ctx, const sheaf_frame *in,
                                             const char *const *features, size_t n_features,
                                             const char *label, sheaf_missing_policy policy,
                                             sheaf_design **out);

/* Frees a design; NULL is a no-op. */
SHEAF_API void sheaf_design_free(sheaf_design *design);
SHEAF_API size_t sheaf_design_num_partitions(const sheaf_design *design);
/* Rows over all partitions (after SKIP's drops). */
SHEAF_API size_t sheaf_design_num_rows(const sheaf_design *design);
SHEAF_API size_t sheaf_design_num_features(const sheaf_design *design);
/* 1 when the design has a label vector. */
SHEAF_API int sheaf_design_has_label(const sheaf_design *design);
/* Name of feature j (owned by the design), or NULL if out of range. */
SHEAF_API const char *sheaf_design_feature_name(const sheaf_design *design, size_t j);
/* Borrowed views of partition p's block: *x is rows x n_features row-major
 * (leading dimension n_features), *y rows long or NULL without a label.
 * x or y may be NULL to skip them. INVALID_ARGUMENT if p is out of range. */
SHEAF_API sheaf_status sheaf_design_block(const sheaf_design *design, size_t partition,
                                          const double **x, const double **y, size_t *rows);
/* Copies every block, in partition order, into the caller's x (num_rows x
 * n_features, row-major with leading dimension ld >= n_features) and y
 * (num_rows); either may be NULL to skip it. INVALID_ARGUMENT for ld <
 * n_features or a y without a label. */
SHEAF_API sheaf_status sheaf_design_copy(const sheaf_design *design, double *x, size_t ld,
                                         double *y);

#ifdef __cplusplus
}
#endif
#endif
