/* window_fill.c - forward and backward fill of missing values within a
 * series.
 *
 * Method: mirrors pandas 1.5's groupby ffill/bfill (group_fillna_indexer in
 * pandas/_libs/groupby.pyx, limit=None): each missing row takes the value
 * of the nearest present row before it (forward) or after it (backward)
 * in its series, and stays missing when there is none. The kernel carries
 * the index of that row, so every column type is copied the same way. An
 * unkeyed partition first scans back (forward fill) or ahead (backward
 * fill) past its boundary for the row to start from. */
#include "data/keys.h"
#include "data/window_internal.h"

#include <math.h>
#include <string.h>

typedef struct fill_job {
    const sh_column *src;
    sh_column *dst;
    bool backward;
} fill_job;

static bool present(const sh_column *c, size_t i)
{
    if (c->valid && !c->valid[i]) return false;
    if (c->type == SHEAF_TYPE_FLOAT64) return !isnan(c->f64[i]);
    if (c->type == SHEAF_TYPE_STRING) return c->codes[i] >= 0;
    return true;
}

static void copy_row(const sh_column *src, sh_column *dst, size_t to, size_t from)
{
    if (from == SIZE_MAX) {
        dst->valid[to] = 0;
        if (dst->f64) dst->f64[to] = NAN;
        if (dst->i64) dst->i64[to] = 0;
        if (dst->codes) dst->codes[to] = -1;
        return;
    }
    dst->valid[to] = 1;
    if (dst->f64) dst->f64[to] = src->f64[from];
    if (dst->i64) dst->i64[to] = src->i64[from];
    if (dst->codes) dst->codes[to] = src->codes[from];
}

static sheaf_status fill_kernel(void *arg, const sh_window_piece *pc, sh_window_scratch *scratch)
{
    (void)scratch;
    const fill_job *job = arg;
    const sh_column *src = job->src;
    size_t from = SIZE_MAX; /* the row a missing value copies; none yet */
    if (!job->backward) {
        for (size_t j = pc->lo; j > pc->begin && from == SIZE_MAX; j--)
            if (present(src, j - 1)) from = j - 1;
        for (size_t i = pc->lo; i < pc->hi; i++) {
            if (present(src, i)) from = i;
            copy_row(src, job->dst, i, from);
        }
    } else {
        for (size_t j = pc->hi; j < pc->end && from == SIZE_MAX; j++)
            if (present(src, j)) from = j;
        for (size_t i = pc->hi; i-- > pc->lo;) {
            if (present(src, i)) from = i;
            copy_row(src, job->dst, i, from);
        }
    }
    return SHEAF_OK;
}

sheaf_status sheaf_frame_fill_forward(const sheaf_ctx *ctx, const sheaf_frame *in,
                                      const char *column, int backward, const char *const *keys,
                                      size_t n_keys, const char *time, sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_fill_forward";
    sheaf_status st = sh_window_check(in, out, column, SH_WINDOW_ANY, NULL, caller);
    if (st != SHEAF_OK) return st;
    for (size_t k = 0; keys && k < n_keys; k++)
        if (keys[k] && strcmp(keys[k], column) == 0)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: column '%s' is a key of the series; it cannot be filled", caller,
                           column);
    if (time && strcmp(time, column) == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: column '%s' is the time of the series; it cannot be filled", caller,
                       column);
    sh_window_layout l = {0};
    sh_column col = {0};
    if ((st = sh_window_layout_make(ctx, in, keys, n_keys, time, caller, &l)) != SHEAF_OK)
        goto done;
    size_t n = l.frame->n_rows, idx;
    sh_frame_find(l.frame, column, caller, &idx);
    const sh_column *src = &l.frame->cols[idx];
    if ((st = sh_column_alloc(&col, column, src->type, src->unit, n, caller)) != SHEAF_OK)
        goto done;
    if (src->type == SHEAF_TYPE_STRING && sh_copy_dictionary(&col, src) != SHEAF_OK) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory copying the dictionary of '%s'", caller,
                     column);
        goto done;
    }
    fill_job job = {src, &col, backward != 0};
    if ((st = sh_window_run(ctx, &l, SH_WINDOW_HALO, fill_kernel, &job)) != SHEAF_OK) goto done;
    sh_column_settle_validity(&col, n);
    st = sh_window_finish_replace(&l, idx, &col, caller, out);
done:
    sh_column_clear(&col);
    sh_window_layout_clear(&l);
    return st;
}
