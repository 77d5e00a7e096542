/* frame_internal.h - the frame's representation, shared by the files of
 * src/data that build frames (CSV reader, partitioners, transformations).
 *
 * Column buffers are immutable once a column is in a frame and are shared
 * between frames by reference count, so an operation that adds a column or
 * selects columns returns a new frame without copying the others. */
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
    int *refs; /* frames holding these buffers (atomic); set when added to a frame */
} sh_column;

/* The series of a frame laid out by key: starts[j] is the first row of the
 * j-th key run (maximal block of rows with equal keys), starts[n_series] =
 * n_rows; longest is the most rows of one run. Immutable once attached to a
 * frame and shared between frames with the same rows by reference count. */
typedef struct sh_series {
    int refs; /* atomic */
    size_t n_series;
    size_t longest;
    size_t *starts; /* n_series + 1 */
} sh_series;

/* How the rows of a frame are laid out, as far as operations care. */
typedef struct sh_layout {
    char **keys; /* NULL unless partitioned "by key, ordered by time" */
    size_t n_keys;
    char *time;
    sh_series *series; /* the key runs when known (a cache), else NULL */
} sh_layout;

struct sheaf_frame {
    size_t n_rows;
    size_t n_cols;
    size_t cap_cols;
    sh_column *cols;
    size_t n_partitions;
    size_t *offsets; /* n_partitions + 1 row offsets, offsets[0] = 0 */
    sh_layout layout;
};

/* Releases a column: frees its name, and its buffers when no other frame
 * shares them; zeroes the struct. */
void sh_column_clear(sh_column *col);

/* *dst = a second reference to src's buffers under a copy of its name (or
 * of rename when not NULL). NOMEM without a message. */
sheaf_status sh_column_share(const sh_column *src, const char *rename, sh_column *dst);

/* A new column of n_rows rows of type (values uninitialised, validity all
 * 1, no dictionary); NOMEM with a message naming caller and name. */
sheaf_status sh_column_alloc(sh_column *col, const char *name, sheaf_type type,
                             sheaf_time_unit unit, size_t n_rows, const char *caller);

/* A new frame sharing every column, the partition table and the layout of
 * in (not its series: callers may change the rows of the copy). NOMEM naming caller; *out is NULL
 * on failure. */
sheaf_status sh_frame_clone(const sheaf_frame *in, const char *caller, sheaf_frame **out);

/* Column index of name or INVALID_ARGUMENT "caller: no column named 'x'". */
sheaf_status sh_frame_find(const sheaf_frame *frame, const char *name, const char *caller,
                           size_t *index);

/* Records that frame is partitioned by keys, ordered by time (copies);
 * the series cache is emptied. */
sheaf_status sh_frame_set_layout(sheaf_frame *frame, const char *const *keys, size_t n_keys,
                                 const char *time, const char *caller);

/* true when frame is partitioned by exactly these keys, ordered by time. */
bool sh_frame_has_layout(const sheaf_frame *frame, const char *const *keys, size_t n_keys,
                         const char *time);

/* Frees the layout's strings, releases its series and empties it. */
void sh_layout_clear(sh_layout *layout);

/* A series record owning starts (n_series + 1 entries, sh_malloc'd; freed
 * here on failure) with one reference; NULL when out of memory. */
sh_series *sh_series_new(size_t *starts, size_t n_series, size_t longest);

/* Adds a reference and returns series (NULL stays NULL). */
sh_series *sh_series_retain(sh_series *series);

/* Drops one reference (frees at the last); NULL is a no-op. */
void sh_series_release(sh_series *series);

/* Attaches series (a new reference) to frame's layout, which must be set and
 * describe exactly frame's rows; replaces any series it had. */
void sh_frame_set_series(sheaf_frame *frame, sh_series *series);

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
