/* sheaf_frame.h - the columnar frame, its partitioning, and the CSV reader.
 *
 * A frame is a set of equally long, named, typed columns plus a partition
 * table: partition p holds rows [begin_p, end_p), partitions tile the rows
 * in order. Partitioning functions return a new frame whose rows are
 * reordered so that every partition is contiguous. A frame never changes
 * once built except by sheaf_frame_add_* (which must not race with readers).
 *
 * Missing values: every column may carry a validity array (1 = present,
 * 0 = missing; NULL when nothing is missing). Float64 columns also hold NaN
 * at missing rows, int64 and timestamp columns hold 0, string columns hold
 * code -1. */
#ifndef SHEAF_FRAME_H
#define SHEAF_FRAME_H

#include "sheaf_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Column types; the numbers are part of the ABI. */
typedef enum sheaf_type {
    SHEAF_TYPE_FLOAT64 = 1,
    SHEAF_TYPE_INT64 = 2,
    SHEAF_TYPE_STRING = 3,    /* dictionary-encoded: int32 codes + dictionary */
    SHEAF_TYPE_TIMESTAMP = 4, /* int64 since 1970-01-01T00:00:00Z, see unit */
    SHEAF_TYPE_AUTO = 0       /* only in a CSV schema: infer from the data */
} sheaf_type;

/* Units of a timestamp column. */
typedef enum sheaf_time_unit { SHEAF_TIME_NS = 0, SHEAF_TIME_S = 1 } sheaf_time_unit;

typedef struct sheaf_frame sheaf_frame;

/* "float64", "int64", "string", "timestamp" or "auto"; static storage. */
SHEAF_API const char *sheaf_type_name(sheaf_type type);

/* An empty frame (no columns, no rows, one partition). */
SHEAF_API sheaf_status sheaf_frame_create(sheaf_frame **out);
/* Frees the frame and everything it owns; NULL is a no-op. */
SHEAF_API void sheaf_frame_free(sheaf_frame *frame);

SHEAF_API size_t sheaf_frame_num_rows(const sheaf_frame *frame);
SHEAF_API size_t sheaf_frame_num_columns(const sheaf_frame *frame);
SHEAF_API size_t sheaf_frame_num_partitions(const sheaf_frame *frame);

/* Rows [*begin, *end) of partition p. INVALID_ARGUMENT if p is out of range. */
SHEAF_API sheaf_status sheaf_frame_partition_range(const sheaf_frame *frame, size_t partition,
                                                   size_t *begin, size_t *end);

/* Index of the column called name; INVALID_ARGUMENT naming it if absent. */
SHEAF_API sheaf_status sheaf_frame_column_index(const sheaf_frame *frame, const char *name,
                                                size_t *index);
/* Name of column i (owned by the frame), or NULL if out of range. */
SHEAF_API const char *sheaf_frame_column_name(const sheaf_frame *frame, size_t column);
/* Type of column i, or SHEAF_TYPE_AUTO if out of range. */
SHEAF_API sheaf_type sheaf_frame_column_type(const sheaf_frame *frame, size_t column);
/* Unit of timestamp column i (SHEAF_TIME_NS for other types). */
SHEAF_API sheaf_time_unit sheaf_frame_column_time_unit(const sheaf_frame *frame, size_t column);
/* Number of missing values in column i. */
SHEAF_API size_t sheaf_frame_column_missing(const sheaf_frame *frame, size_t column);

/* Borrowed pointers to a column's storage, valid while the frame lives.
 * MISUSE if the column has another type. */
SHEAF_API sheaf_status sheaf_frame_column_float64(const sheaf_frame *frame, size_t column,
                                                  const double **values);
/* int64 and timestamp columns. */
SHEAF_API sheaf_status sheaf_frame_column_int64(const sheaf_frame *frame, size_t column,
                                                const int64_t **values);
/* String columns: per-row codes (-1 = missing) and the dictionary size. */
SHEAF_API sheaf_status sheaf_frame_column_codes(const sheaf_frame *frame, size_t column,
                                                const int32_t **codes, size_t *dict_size);
/* The string for a code of a string column (owned by the frame), or NULL. */
SHEAF_API const char *sheaf_frame_dict_value(const sheaf_frame *frame, size_t column, int32_t code);
/* Validity (1 = present) or NULL when the column has no missing value. */
SHEAF_API const uint8_t *sheaf_frame_column_validity(const sheaf_frame *frame, size_t column);

/* Append a column, copying the data. The first column fixes the row count;
 * later ones must match it (DIMENSION otherwise). valid may be NULL (all
 * present); for float64, NaN also counts as missing. Names must be unique. */
SHEAF_API sheaf_status sheaf_frame_add_float64(sheaf_frame *frame, const char *name,
                                               const double *values, const uint8_t *valid,
                                               size_t n_rows);
SHEAF_API sheaf_status sheaf_frame_add_int64(sheaf_frame *frame, const char *name,
                                             const int64_t *values, const uint8_t *valid,
                                             size_t n_rows);
SHEAF_API sheaf_status sheaf_frame_add_timestamp(sheaf_frame *frame, const char *name,
                                                 const int64_t *values, const uint8_t *valid,
                                                 size_t n_rows, sheaf_time_unit unit);
/* values[i] == NULL marks a missing string. */
SHEAF_API sheaf_status sheaf_frame_add_string(sheaf_frame *frame, const char *name,
                                              const char *const *values, size_t n_rows);

/* ---- partitioning ---------------------------------------------------------
 * Each returns a new frame; the input is not modified. n_partitions = 0
 * means the context's default; ctx may be NULL for the defaults. */

/* Exactly n_partitions contiguous row ranges of near-equal size (some empty
 * when there are fewer rows), rows unchanged. */
SHEAF_API sheaf_status sheaf_frame_partition_rows(const sheaf_ctx *ctx, const sheaf_frame *in,
                                                  size_t n_partitions, sheaf_frame **out);

/* Rows go to partition hash(key values) mod n_partitions (exactly
 * n_partitions, some possibly empty), keeping their relative order. The hash reads values (strings
 * by content), so equal keys land together across frames. Missing keys hash as one value. */
SHEAF_API sheaf_status sheaf_frame_partition_hash(const sheaf_ctx *ctx, const sheaf_frame *in,
                                                  const char *const *keys, size_t n_keys,
                                                  size_t n_partitions, sheaf_frame **out);

/* "By key, ordered by time": rows sorted by (keys, time) - stable, so equal
 * times keep their input order; strings by content, missing keys last -
 * then cut into min(n_partitions, distinct keys) non-empty ranges, each cut
 * at the key boundary nearest the even split (a 0-row frame gives one empty
 * partition). Every key lives in exactly one partition and partitions
 * follow key order. time must be numeric or a
 * timestamp and have no missing value (INVALID_ARGUMENT naming the row). */
SHEAF_API sheaf_status sheaf_frame_partition_by_key_time(const sheaf_ctx *ctx,
                                                         const sheaf_frame *in,
                                                         const char *const *keys, size_t n_keys,
                                                         const char *time, size_t n_partitions,
                                                         sheaf_frame **out);

/* ---- CSV ------------------------------------------------------------------ */

/* One schema entry: a column by name and the type to parse it as. Columns
 * the schema does not name are inferred. */
typedef struct sheaf_csv_column {
    const char *name;
    sheaf_type type;
    sheaf_time_unit unit; /* for SHEAF_TYPE_TIMESTAMP */
} sheaf_csv_column;

typedef struct sheaf_csv_options {
    char delimiter; /* default ',' */
    char quote;     /* default '"'; a doubled quote inside quotes is a literal one */
    const sheaf_csv_column *schema; /* may be NULL */
    size_t schema_len;
    size_t n_partitions;   /* partitions of the result; 0 = the context's default */
    size_t max_line_bytes; /* longest accepted record; 0 = no limit but memory */
} sheaf_csv_options;

/* The defaults listed above. */
SHEAF_API sheaf_csv_options sheaf_csv_options_default(void);

/* Reads a CSV file with a header row into a new frame, parsing in parallel
 * chunks with ctx's threads. RFC 4180 quoting (embedded delimiters, quotes
 * and newlines), LF or CRLF, an optional UTF-8 byte-order mark; blank lines
 * are skipped. Missing: empty, NA, NaN, null and the other markers pandas
 * recognises. Inference picks, per column, the first of int64, float64,
 * timestamp (ISO-8601 dates and date-times, ns) and string that holds every
 * present value. Numbers are parsed correctly rounded (the double strtod
 * gives). Errors (IO, FORMAT, NOMEM) name file:line:column and the value;
 * no partial frame is returned. opts may be NULL for the defaults. */
SHEAF_API sheaf_status sheaf_csv_read(const sheaf_ctx *ctx, const char *path,
                                      const sheaf_csv_options *opts, sheaf_frame **out);

#ifdef __cplusplus
}
#endif
#endif
