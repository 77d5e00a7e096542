/* window_cumulative.c - cumulative sums, exponentially weighted means and
 * row numbers within a series.
 *
 * Method. cumsum mirrors pandas 1.5: within a key pandas' group_cumsum
 * (pandas/_libs/groupby.pyx), a Kahan-compensated running sum that skips
 * missing values; without keys Series.cumsum, numpy's plain running sum
 * with missing values skipped (nanops.na_accum_func); int64 sums wrap as
 * numpy's do. ewm_mean mirrors ewm() in pandas/_libs/window/aggregations.pyx
 * with min_periods 1 and ignore_na False: alpha is turned into the centre
 * of mass com = 1/alpha - 1 and back, as pandas does, then
 *   adjust:   w <- (1-a) w;  y <- (w y + x) / (w + 1);  w <- w + 1
 *   no adjust: y <- ((1-a) y + a x) / ((1-a) + a)
 * per present x, a missing x only ageing w. Both accumulate in series
 * order, so an unkeyed frame runs as one piece. Row numbers need no state
 * and run per partition. */
#include "data/window_internal.h"

#include <math.h>

typedef struct cum_job {
    const sh_column *src;
    const double *x;
    double alpha;
    int adjust;
    int64_t first;
    bool kahan;
    sh_column *dst;
} cum_job;

static sheaf_status cumsum_kernel(void *arg, const sh_window_piece *pc, sh_window_scratch *scratch)
{
    (void)scratch;
    const cum_job *job = arg;
    const sh_column *src = job->src;
    sh_column *dst = job->dst;
    if (src->type == SHEAF_TYPE_INT64) {
        uint64_t acc = 0; /* unsigned: wraps like numpy instead of overflowing */
        for (size_t i = pc->lo; i < pc->hi; i++) {
            bool present = !src->valid || src->valid[i];
            if (present) acc += (uint64_t)src->i64[i];
            dst->i64[i] = present ? (int64_t)acc : 0;
            dst->valid[i] = present;
        }
        return SHEAF_OK;
    }
    const double *x = src->f64;
    double acc = 0, comp = 0;
    for (size_t i = pc->lo; i < pc->hi; i++) {
        double v = x[i];
        if (v != v) {
            dst->f64[i] = NAN;
            dst->valid[i] = 0;
            continue;
        }
        if (job->kahan) {
            double y = v - comp;
            double t = acc + y;
            comp = t - acc - y;
            acc = t;
        } else {
            acc += v;
        }
        dst->f64[i] = acc;
        dst->valid[i] = 1;
    }
    return SHEAF_OK;
}

static sheaf_status ewm_kernel(void *arg, const sh_window_piece *pc, sh_window_scratch *scratch)
{
    (void)scratch;
    const cum_job *job = arg;
    const double *x = job->x;
    double *y = job->dst->f64;
    uint8_t *valid = job->dst->valid;
    double com = 1.0 / job->alpha - 1.0;
    double alpha = 1.0 / (1.0 + com);
    double old_factor = 1.0 - alpha, new_wt = job->adjust ? 1.0 : alpha, old_wt = 1.0;
    double weighted = x[pc->lo];
    for (size_t i = pc->lo; i < pc->hi; i++) {
        double cur = x[i];
        if (i > pc->lo) {
            bool observed = cur == cur;
            if (weighted == weighted) {
                old_wt *= old_factor;
                if (observed) {
                    if (weighted != cur) { /* pandas: exact on constant series */
                        weighted = old_wt * weighted + new_wt * cur;
                        weighted /= old_wt + new_wt;
                    }
                    old_wt = job->adjust ? old_wt + new_wt : 1.0;
                }
            } else if (observed) {
                weighted = cur;
            }
        }
        y[i] = weighted;
        valid[i] = weighted == weighted;
    }
    return SHEAF_OK;
}

static sheaf_status row_number_kernel(void *arg, const sh_window_piece *pc,
                                      sh_window_scratch *scratch)
{
    (void)scratch;
    const cum_job *job = arg;
    for (size_t i = pc->lo; i < pc->hi; i++)
        job->dst->i64[i] = job->first + (int64_t)(i - pc->begin);
    return SHEAF_OK;
}

/* Shared body: output type out_type; x is filled for float kernels. */
static sheaf_status cumulate(const sheaf_ctx *ctx, const sheaf_frame *in, const char *column,
                             cum_job job, sheaf_type out_type, sh_window_kernel kernel,
                             sh_window_split split, const char *const *keys, size_t n_keys,
                             const char *time, const char *label, const char *caller,
                             sheaf_frame **out)
{
    sh_window_layout l = {0};
    sh_column col = {0};
    double *owned = NULL;
    sheaf_status st = sh_window_layout_make(ctx, in, keys, n_keys, time, caller, &l);
    if (st != SHEAF_OK) goto done;
    size_t n = l.frame->n_rows;
    if (column) {
        job.src = sh_window_column(&l, column);
        if (kernel == ewm_kernel &&
            (st = sh_window_float_values(job.src, n, caller, &owned, &job.x)) != SHEAF_OK)
            goto done;
    }
    if ((st = sh_column_alloc(&col, label, out_type, SHEAF_TIME_NS, n, caller)) != SHEAF_OK)
        goto done;
    job.dst = &col;
    job.kahan = l.keyed;
    if ((st = sh_window_run(ctx, &l, split, kernel, &job)) != SHEAF_OK) goto done;
    sh_column_settle_validity(&col, n);
    st = sh_window_finish(&l, &col, caller, out);
done:
    sh_column_clear(&col);
    sh_free(owned);
    sh_window_layout_clear(&l);
    return st;
}

sheaf_status sheaf_frame_cumsum(const sheaf_ctx *ctx, const sheaf_frame *in, const char *column,
                                const char *const *keys, size_t n_keys, const char *time,
                                const char *name, sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_cumsum";
    sheaf_status st = sh_window_check(in, out, column, SH_WINDOW_NUMERIC, name, caller);
    if (st != SHEAF_OK) return st;
    char *label = sh_window_name(name, "%s_cumsum", column);
    if (!label) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
    size_t idx;
    sh_frame_find(in, column, caller, &idx);
    cum_job job = {0};
    st = cumulate(ctx, in, column, job, in->cols[idx].type, cumsum_kernel, SH_WINDOW_WHOLE, keys,
                  n_keys, time, label, caller, out);
    sh_free(label);
    return st;
}

sheaf_status sheaf_frame_ewm_mean(const sheaf_ctx *ctx, const sheaf_frame *in, const char *column,
                                  double alpha, int adjust, const char *const *keys, size_t n_keys,
                                  const char *time, const char *name, sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_ewm_mean";
    sheaf_status st = sh_window_check(in, out, column, SH_WINDOW_NUMERIC, name, caller);
    if (st != SHEAF_OK) return st;
    if (!(alpha > 0 && alpha <= 1))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: alpha must be in (0, 1] (got %g)", caller,
                       alpha);
    char *label = sh_window_name(name, "%s_ewm", column);
    if (!label) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
    cum_job job = {.alpha = alpha, .adjust = adjust != 0};
    st = cumulate(ctx, in, column, job, SHEAF_TYPE_FLOAT64, ewm_kernel, SH_WINDOW_WHOLE, keys,
                  n_keys, time, label, caller, out);
    sh_free(label);
    return st;
}

sheaf_status sheaf_frame_row_number(const sheaf_ctx *ctx, const sheaf_frame *in, int64_t first,
                                    const char *const *keys, size_t n_keys, const char *time,
                                    const char *name, sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_row_number";
    sheaf_status st = sh_window_check(in, out, NULL, 0, name, caller);
    if (st != SHEAF_OK) return st;
    char *label = sh_window_name(name, "row_number");
    if (!label) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
    cum_job job = {.first = first};
    st = cumulate(ctx, in, NULL, job, SHEAF_TYPE_INT64, row_number_kernel, SH_WINDOW_HALO, keys,
                  n_keys, time, label, caller, out);
    sh_free(label);
    return st;
}
