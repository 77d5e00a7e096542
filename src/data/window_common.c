/* window_common.c - what every window operation does the same way: check
 * its arguments, run a kernel over the pieces of the series partition by
 * partition, and assemble the output frame.
 *
 * Method. Keyed frames are laid out so that each key's series lies inside
 * one partition (window_layout.c): a partition's task runs the kernel on
 * its series one after another. An unkeyed frame is one series spanning
 * every partition: each partition's task computes its own rows and reads
 * the rows before its start it needs (a halo - columns are whole arrays,
 * so that is only reading earlier indices), or, for results that must be
 * accumulated in series order to match pandas (cumulative sums, expanding
 * and exponentially weighted means, ranks), one task runs the whole series.
 * Each output row is written by exactly one task, so results do not depend
 * on the thread count. */
#include "data/keys.h"
#include "data/window_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void *sh_window_scratch_get(sh_window_scratch *s, size_t bytes)
{
    if (bytes <= s->bytes) return s->data;
    size_t grown = bytes < 2 * s->bytes ? 2 * s->bytes : bytes;
    void *p = sh_malloc(grown ? grown : 1);
    if (!p) return NULL;
    sh_free(s->data);
    s->data = p;
    s->bytes = grown;
    return p;
}

typedef struct run_job {
    const sh_window_layout *l;
    sh_window_split split;
    sh_window_kernel kernel;
    void *arg;
} run_job;

static sheaf_status run_partition(void *arg, size_t p)
{
    const run_job *job = arg;
    const sh_window_layout *l = job->l;
    const sheaf_frame *f = l->frame;
    sh_window_scratch scratch = {NULL, 0};
    sheaf_status st = SHEAF_OK;
    if (l->keyed) {
        size_t first, last;
        sh_window_partition_series(l, p, &first, &last);
        const size_t *starts = l->series->starts;
        for (size_t j = first; st == SHEAF_OK && j < last; j++) {
            sh_window_piece piece = {starts[j], starts[j], starts[j + 1], starts[j + 1]};
            st = job->kernel(job->arg, &piece, &scratch);
        }
    } else {
        sh_window_piece piece = {0, 0, f->n_rows, f->n_rows};
        if (job->split == SH_WINDOW_HALO) {
            piece.lo = f->offsets[p];
            piece.hi = f->offsets[p + 1];
        }
        if (piece.lo < piece.hi) st = job->kernel(job->arg, &piece, &scratch);
    }
    sh_free(scratch.data);
    return st;
}

sheaf_status sh_window_run(const sheaf_ctx *ctx, const sh_window_layout *l, sh_window_split split,
                           sh_window_kernel kernel, void *arg)
{
    run_job job = {l, split, kernel, arg};
    size_t tasks = l->keyed || split == SH_WINDOW_HALO ? l->frame->n_partitions : 1;
    return sheaf_exec_for(ctx, tasks, run_partition, &job);
}

sheaf_status sh_window_check(const sheaf_frame *in, sheaf_frame **out, const char *column,
                             unsigned types, const char *name, const char *caller)
{
    if (out) *out = NULL;
    if (!in || !out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: in or out is NULL", caller);
    size_t idx;
    sheaf_status st;
    if (column) {
        if ((st = sh_frame_find(in, column, caller, &idx)) != SHEAF_OK) return st;
        sheaf_type t = in->cols[idx].type;
        if (!(types & (1u << t)))
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: column '%s' is %s; this operation needs a %s column", caller,
                           column, sheaf_type_name(t),
                           types == SH_WINDOW_NUMERIC ? "float64 or int64"
                                                      : "float64, int64 or timestamp");
    }
    for (size_t i = 0; name && i < in->n_cols; i++)
        if (strcmp(in->cols[i].name, name) == 0)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: the frame already has a column named '%s' (pass another name)",
                           caller, name);
    return SHEAF_OK;
}

char *sh_window_name(const char *name, const char *fmt, ...)
{
    if (name) return sh_strdup(name);
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = len >= 0 ? sh_malloc((size_t)len + 1) : NULL;
    if (!s) return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)len + 1, fmt, ap);
    va_end(ap);
    return s;
}

const sh_column *sh_window_column(const sh_window_layout *l, const char *name)
{
    for (size_t i = 0; i < l->frame->n_cols; i++)
        if (strcmp(l->frame->cols[i].name, name) == 0) return &l->frame->cols[i];
    return NULL;
}

sheaf_status sh_window_float_values(const sh_column *c, size_t n_rows, const char *caller,
                                    double **owned, const double **x)
{
    *owned = NULL;
    if (c->type == SHEAF_TYPE_FLOAT64) {
        *x = c->f64;
        return SHEAF_OK;
    }
    double *v = sh_malloc_large(n_rows * sizeof *v);
    if (!v)
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory converting column '%s' to float64",
                       caller, c->name);
    for (size_t i = 0; i < n_rows; i++)
        v[i] = c->valid && !c->valid[i] ? NAN : (double)c->i64[i];
    *owned = v;
    *x = v;
    return SHEAF_OK;
}

/* The output f has l->frame's rows and layout: it keeps their key runs (a
 * keyed layout's, or those l->frame had cached), so the next operation
 * need not find them again. */
static void keep_series(const sh_window_layout *l, sheaf_frame *f)
{
    sh_series *s = l->series ? l->series : l->frame->layout.series;
    if (f->layout.keys && s && !f->layout.series) sh_frame_set_series(f, s);
}

sheaf_status sh_window_finish(sh_window_layout *l, sh_column *col, const char *caller,
                              sheaf_frame **out)
{
    sheaf_frame *f = l->owned;
    sheaf_status st = SHEAF_OK;
    if (!f && (st = sh_frame_clone(l->frame, caller, &f)) != SHEAF_OK) {
        sh_column_clear(col);
        return st;
    }
    l->owned = NULL;
    if ((st = sh_frame_take_column(f, col, f->n_rows, caller)) != SHEAF_OK) {
        sheaf_frame_free(f);
        return st;
    }
    keep_series(l, f);
    *out = f;
    return SHEAF_OK;
}

static bool in_layout(const sh_layout *layout, const char *name)
{
    for (size_t k = 0; layout->keys && k < layout->n_keys; k++)
        if (strcmp(layout->keys[k], name) == 0) return true;
    return layout->time && strcmp(layout->time, name) == 0;
}

sheaf_status sh_window_finish_replace(sh_window_layout *l, size_t index, sh_column *col,
                                      const char *caller, sheaf_frame **out)
{
    const sheaf_frame *in = l->frame;
    sheaf_frame *f = NULL;
    sheaf_status st = sheaf_frame_create(&f);
    for (size_t i = 0; st == SHEAF_OK && i < in->n_cols; i++) {
        if (i == index) {
            st = sh_frame_take_column(f, col, in->n_rows, caller);
            continue;
        }
        sh_column shared;
        if (sh_column_share(&in->cols[i], NULL, &shared) != SHEAF_OK) {
            st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory copying a frame", caller);
            break;
        }
        st = sh_frame_take_column(f, &shared, in->n_rows, caller);
    }
    if (st == SHEAF_OK) st = sh_frame_set_offsets(f, in->offsets, in->n_partitions, caller);
    if (st == SHEAF_OK && in->layout.keys)
        st = sh_frame_set_layout(f, (const char *const *)in->layout.keys, in->layout.n_keys,
                                 in->layout.time, caller);
    sh_column_clear(col); /* a no-op once taken */
    if (st != SHEAF_OK) {
        sheaf_frame_free(f);
        return st;
    }
    if (!in_layout(&in->layout, in->cols[index].name)) keep_series(l, f);
    *out = f;
    return SHEAF_OK;
}
