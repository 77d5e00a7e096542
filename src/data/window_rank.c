/* window_rank.c - the rank of each value within its series.
 *
 * Method: mirrors pandas 1.5's groupby rank (rank_1d in pandas/_libs/
 * algos.pyx) with na_option='keep' and pct=False: the present values of a
 * series are sorted by (value, position) - descending values for
 * ascending=0, positions always ascending - and each run of equal values
 * (-0.0 equal to 0.0) gets the mean, lowest or highest of its 1-based
 * sorted positions, its positions in series order (FIRST), or the count of
 * distinct values so far (DENSE). Integers compare as integers, never
 * through doubles. Sorting is qsort on a total order (value, position), so
 * the result is unique. O(n log n) per series; an unkeyed frame is one
 * series sorted in one piece. */
#include "data/window_internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct rank_rec {
    union {
        double d;
        int64_t i;
    } v;
    size_t row;
} rank_rec;

typedef struct rank_job {
    const sh_column *src;
    sheaf_rank_method method;
    int ascending;
    double *y;
    uint8_t *valid;
} rank_job;

#define ORDER(a, b) (((a) > (b)) - ((a) < (b)))

static int by_row(const rank_rec *a, const rank_rec *b) { return ORDER(a->row, b->row); }

static int double_up(const void *pa, const void *pb)
{
    const rank_rec *a = pa, *b = pb;
    int r = ORDER(a->v.d, b->v.d);
    return r ? r : by_row(a, b);
}

static int double_down(const void *pa, const void *pb)
{
    const rank_rec *a = pa, *b = pb;
    int r = ORDER(b->v.d, a->v.d);
    return r ? r : by_row(a, b);
}

static int int_up(const void *pa, const void *pb)
{
    const rank_rec *a = pa, *b = pb;
    int r = ORDER(a->v.i, b->v.i);
    return r ? r : by_row(a, b);
}

static int int_down(const void *pa, const void *pb)
{
    const rank_rec *a = pa, *b = pb;
    int r = ORDER(b->v.i, a->v.i);
    return r ? r : by_row(a, b);
}

static sheaf_status rank_kernel(void *arg, const sh_window_piece *pc, sh_window_scratch *scratch)
{
    const rank_job *job = arg;
    const sh_column *src = job->src;
    bool is_float = src->type == SHEAF_TYPE_FLOAT64;
    rank_rec *r = sh_window_scratch_get(scratch, (pc->hi - pc->lo) * sizeof *r);
    if (!r)
        return sh_fail(SHEAF_ERR_NOMEM, "sheaf_frame_rank: out of memory sorting %zu rows",
                       pc->hi - pc->lo);
    size_t m = 0;
    for (size_t i = pc->lo; i < pc->hi; i++) {
        bool present = (!src->valid || src->valid[i]) && !(is_float && isnan(src->f64[i]));
        job->y[i] = NAN;
        job->valid[i] = 0;
        if (!present) continue;
        if (is_float)
            r[m].v.d = src->f64[i];
        else
            r[m].v.i = src->i64[i];
        r[m++].row = i;
    }
    qsort(r, m, sizeof *r,
          is_float ? (job->ascending ? double_up : double_down)
                   : (job->ascending ? int_up : int_down));
    double dense = 0;
    for (size_t k = 0; k < m;) {
        size_t g = k + 1; /* [k, g) is a run of equal values */
        while (g < m && (is_float ? r[g].v.d == r[k].v.d : r[g].v.i == r[k].v.i))
            g++;
        dense += 1;
        for (size_t t = k; t < g; t++) {
            double rank = 0;
            switch (job->method) {
            case SHEAF_RANK_AVERAGE: rank = (double)(k + 1 + g) / 2.0; break;
            case SHEAF_RANK_MIN: rank = (double)(k + 1); break;
            case SHEAF_RANK_MAX: rank = (double)g; break;
            case SHEAF_RANK_FIRST: rank = (double)(t + 1); break;
            case SHEAF_RANK_DENSE: rank = dense; break;
            }
            job->y[r[t].row] = rank;
            job->valid[r[t].row] = 1;
        }
        k = g;
    }
    return SHEAF_OK;
}

sheaf_status sheaf_frame_rank(const sheaf_ctx *ctx, const sheaf_frame *in, const char *column,
                              sheaf_rank_method method, int ascending, const char *const *keys,
                              size_t n_keys, const char *time, const char *name, sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_rank";
    sheaf_status st = sh_window_check(
        in, out, column, SH_WINDOW_NUMERIC | (1u << SHEAF_TYPE_TIMESTAMP), name, caller);
    if (st != SHEAF_OK) return st;
    if (method < SHEAF_RANK_AVERAGE || method > SHEAF_RANK_DENSE)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: unknown rank method %d", caller,
                       (int)method);
    sh_window_layout l = {0};
    sh_column col = {0};
    char *label = sh_window_name(name, "%s_rank", column);
    if (!label) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
    if ((st = sh_window_layout_make(ctx, in, keys, n_keys, time, caller, &l)) != SHEAF_OK)
        goto done;
    size_t n = l.frame->n_rows;
    if ((st = sh_column_alloc(&col, label, SHEAF_TYPE_FLOAT64, SHEAF_TIME_NS, n, caller)) !=
        SHEAF_OK)
        goto done;
    rank_job job = {sh_window_column(&l, column), method, ascending != 0, col.f64, col.valid};
    if ((st = sh_window_run(ctx, &l, SH_WINDOW_WHOLE, rank_kernel, &job)) != SHEAF_OK) goto done;
    sh_column_settle_validity(&col, n);
    st = sh_window_finish(&l, &col, caller, out);
done:
    sh_column_clear(&col);
    sh_free(label);
    sh_window_layout_clear(&l);
    return st;
}
