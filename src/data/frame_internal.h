/* frame_internal.h - the frame's representation, shared by the files of
 * src/data that build frames (CSV reader, partitioners). */
#ifndef SH_FRAME_INTERNAL_H
#define SH_FRAME_INTERNAL_H

#include "core/internal.h"
#include "sheaf_frame.h"

/* One column. Exactly one of f64 / i64 / codes is set, by type. */
typedef struct sh_column {
    char *name;
    sheaf_type type;
    sheaf_time_unit unit;
    double *f64;    /* FLOAT64 */
    int64_t *i64;   /* INT64, TIMESTAMP */
    int32_t *codes; /* STRING */
    char **dict;    /* STRING: dict_size NUL-terminated strings */
    size_t dict_size;
    uint8_t *valid; /* NULL when nothing is missing */
    size_t missing;
} sh_column;

struct sheaf_frame {
    size_t n_rows;
    size_t n_cols;
    size_t cap_cols;
    sh_column *cols;
    size_t n_partitions;
    size_t *offsets; /* n_partitions + 1 row offsets, offsets[0] = 0 */
};

/* Frees a column's buffers (not the struct). */
void sh_column_clear(sh_column *col);

/* Takes ownership of *col (its buffers), appending it to frame; on failure
 * the column's buffers are freed. Checks name uniqueness and row count. */
sheaf_status sh_frame_take_column(sheaf_frame *frame, sh_column *col, size_t n_rows,
                                  const char *caller);

/* Replaces frame's partition table by n equal row ranges. */
sheaf_status sh_frame_set_even_partitions(sheaf_frame *frame, size_t n, const char *caller);

/* offsets[0..n_partitions] of n_partitions near-equal row ranges. */
void sh_fill_even_offsets(size_t *offsets, size_t n_partitions, size_t n_rows);

/* Counts zeros in valid (n entries); frees and NULLs it when none. */
void sh_column_settle_validity(sh_column *col, size_t n_rows);

#endif
