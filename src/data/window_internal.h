/* window_internal.h - what the window operations (window_*.c) share: the
 * series layout of a frame, a runner that calls a kernel on every piece of
 * every series partition by partition, and the argument checks and output
 * assembly every entry point does the same way. */
#ifndef SH_WINDOW_INTERNAL_H
#define SH_WINDOW_INTERNAL_H

#include "data/frame_internal.h"
#include "sheaf_window.h"

/* The series of a frame. Keyed: a frame laid out by key and time, whose
 * key runs series->starts lists (every series lies inside one partition);
 * the record is the frame's cached one or computed here, and goes with the
 * output frame. Unkeyed: rows 0..n_rows of frame are one series. */
typedef struct sh_window_layout {
    const sheaf_frame *frame; /* rows the operation reads: in, or owned */
    sheaf_frame *owned;       /* the reordered copy of in, when one was made */
    bool keyed;
    sh_series *series;     /* keyed: the key runs of frame (a reference) */
    size_t longest;        /* rows of the longest series */
    const sh_column *time; /* the time column of frame, or NULL */
} sh_window_layout;

/* Lays in out as the file comment of sheaf_window.h says; checks that the
 * keys and time exist and that time is numeric. On failure l is cleared. */
sheaf_status sh_window_layout_make(const sheaf_ctx *ctx, const sheaf_frame *in,
                                   const char *const *keys, size_t n_keys, const char *time,
                                   const char *caller, sh_window_layout *l);
void sh_window_layout_clear(sh_window_layout *l);

/* Adds to out a copy of key column c with each series' key repeated over
 * `per` consecutive rows (n_rows = n_series * per): the key columns of a
 * grouped map's result. NOMEM naming who, or the frame's own failure. */
sheaf_status sh_window_add_key_column(sheaf_frame *out, const sh_column *c, const sh_series *series,
                                      size_t per, size_t n_rows, const char *who);

/* One piece of work: the series occupies rows [begin, end); the kernel
 * writes output rows [lo, hi) and may read any row of the series (rows
 * before lo are the halo of an unkeyed partition). */
typedef struct sh_window_piece {
    size_t begin, lo, hi, end;
} sh_window_piece;

/* Scratch memory a kernel grows as it needs (per partition, reused across
 * its pieces, so there is no allocation per row or per key). */
typedef struct sh_window_scratch {
    void *data;
    size_t bytes;
} sh_window_scratch;

/* At least bytes of scratch (contents not kept), or NULL when out of memory. */
void *sh_window_scratch_get(sh_window_scratch *s, size_t bytes);

typedef sheaf_status (*sh_window_kernel)(void *arg, const sh_window_piece *piece,
                                         sh_window_scratch *scratch);

/* How an unkeyed frame is cut: HALO gives one piece per partition (for
 * kernels that only need a bounded or cheap look back), WHOLE one piece for
 * the whole series (for prefix-dependent results that must add up in series
 * order, as pandas does). Keyed frames always give one piece per series. */
typedef enum sh_window_split { SH_WINDOW_HALO, SH_WINDOW_WHOLE } sh_window_split;

/* Runs kernel over every piece, partitions in parallel. A kernel reports
 * failure with sh_fail and its status. */
sheaf_status sh_window_run(const sheaf_ctx *ctx, const sh_window_layout *l, sh_window_split split,
                           sh_window_kernel kernel, void *arg);

/* The series of a keyed layout inside partition p: starts[*first..*last)
 * (each series ends at the next start; starts[*last] is the partition's
 * end). */
void sh_window_partition_series(const sh_window_layout *l, size_t p, size_t *first, size_t *last);

/* Bit flags of accepted column types for sh_window_check_column. */
#define SH_WINDOW_NUMERIC ((1u << SHEAF_TYPE_FLOAT64) | (1u << SHEAF_TYPE_INT64))
#define SH_WINDOW_ANY (SH_WINDOW_NUMERIC | (1u << SHEAF_TYPE_STRING) | (1u << SHEAF_TYPE_TIMESTAMP))

/* Checks out (and sets *out = NULL), in, column (exists, type in types) and
 * that name (when not NULL) is not a column of in. INVALID_ARGUMENT naming
 * caller, the column and its type. */
sheaf_status sh_window_check(const sheaf_frame *in, sheaf_frame **out, const char *column,
                             unsigned types, const char *name, const char *caller);

/* name copied, or the default printf-formatted; NULL when out of memory. */
char *sh_window_name(const char *name, const char *fmt, ...) SH_PRINTF(2, 3);

/* The column called name in l->frame (present: checked by sh_window_check). */
const sh_column *sh_window_column(const sh_window_layout *l, const char *name);

/* Float64 values of a float64 or int64 column, NaN where missing: the
 * column's own array, or a converted copy in *owned (sh_free it). NOMEM. */
sheaf_status sh_window_float_values(const sh_column *c, size_t n_rows, const char *caller,
                                    double **owned, const double **x);

/* *out = l->frame plus col (taken over, also on failure). */
sheaf_status sh_window_finish(sh_window_layout *l, sh_column *col, const char *caller,
                              sheaf_frame **out);

/* *out = l->frame with its column index replaced by col (taken over). */
sheaf_status sh_window_finish_replace(sh_window_layout *l, size_t index, sh_column *col,
                                      const char *caller, sheaf_frame **out);

#endif
