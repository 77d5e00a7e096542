/* window_shift.c - lags and leads, differences and percent change within a
 * series.
 *
 * Method: direct index arithmetic. lag mirrors pandas' shift(periods)
 * (pandas 1.5 groupby shift): row i takes row i - periods of its series,
 * missing outside it. diff mirrors x - x.shift(lag) applied `order` times
 * (pandas groupby diff, statsmodels' seasonal differencing): the pieces are
 * differenced in place in scratch, from the last row backwards so each
 * step reads values of the previous order. pct_change mirrors pandas'
 * pct_change(periods, fill_method='pad'): forward-fill within the series,
 * then f / f.shift(periods) - 1. An unkeyed partition reads lag * order
 * (diff) or periods (pct_change, plus the scan back to the last present
 * value it fills from) rows before its start. Keyed lags and first
 * differences run a partition at a time instead: one shifted pass over the
 * partition, then the rows at the start (or end) of each series that have
 * no source in it are marked missing. */
#include "data/keys.h"
#include "data/window_internal.h"

#include <math.h>
#include <string.h>

/* ---- lag -------------------------------------------------------------------- */

typedef struct lag_job {
    const sh_column *src;
    sh_column *dst;
    long periods;
} lag_job;

static void mark_missing(sh_column *dst, size_t lo, size_t hi)
{
    for (size_t i = lo; i < hi; i++) {
        dst->valid[i] = 0;
        if (dst->f64) dst->f64[i] = NAN;
        if (dst->i64) dst->i64[i] = 0;
        if (dst->codes) dst->codes[i] = -1;
    }
}

static sheaf_status lag_kernel(void *arg, const sh_window_piece *pc, sh_window_scratch *scratch)
{
    (void)scratch;
    const lag_job *job = arg;
    const sh_column *src = job->src;
    sh_column *dst = job->dst;
    size_t len = pc->end - pc->begin;
    /* q = |periods| without overflow; rows [a, b) have a source row. */
    size_t q = job->periods >= 0 ? (size_t)job->periods : (size_t)(-(job->periods + 1)) + 1;
    bool lag = job->periods >= 0;
    size_t a = pc->lo, b = pc->lo;
    if (q < len) {
        a = lag ? pc->begin + q : pc->begin;
        b = lag ? pc->end : pc->end - q;
        if (a < pc->lo) a = pc->lo;
        if (b > pc->hi) b = pc->hi;
        if (a > b) a = b = pc->lo;
    }
    mark_missing(dst, pc->lo, a);
    for (size_t i = a; i < b; i++) {
        size_t from = lag ? i - q : i + q;
        dst->valid[i] = src->valid ? src->valid[from] : 1;
    }
    switch (src->type) {
    case SHEAF_TYPE_FLOAT64:
        for (size_t i = a; i < b; i++) {
            double v = src->f64[lag ? i - q : i + q];
            dst->f64[i] = v;
            dst->valid[i] &= v == v;
        }
        break;
    case SHEAF_TYPE_STRING:
        for (size_t i = a; i < b; i++)
            dst->codes[i] = src->codes[lag ? i - q : i + q];
        break;
    default:
        for (size_t i = a; i < b; i++)
            dst->i64[i] = src->i64[lag ? i - q : i + q];
        break;
    }
    mark_missing(dst, b > a ? b : a, pc->hi);
    return SHEAF_OK;
}

/* Keyed lags a partition at a time: one shifted copy of the partition's
 * rows (memory speed), then the first (lag) or last (lead) q rows of each
 * series marked missing - rows from a neighbouring series never survive. */
typedef struct lag_block_job {
    const sh_window_layout *l;
    lag_job lag;
} lag_block_job;

/* valid[i] = x[i] is not NaN, i < n (restrict: one vectorised loop). */
static void flag_present(const double *restrict x, uint8_t *restrict valid, size_t n)
{
    for (size_t i = 0; i < n; i++)
        valid[i] = x[i] == x[i];
}

static sheaf_status lag_block_task(void *arg, size_t p)
{
    const lag_block_job *job = arg;
    const sh_column *src = job->lag.src;
    sh_column *dst = job->lag.dst;
    size_t b = job->l->frame->offsets[p], e = job->l->frame->offsets[p + 1], first, last;
    if (b == e) return SHEAF_OK;
    long periods = job->lag.periods;
    size_t q = periods >= 0 ? (size_t)periods : (size_t)(-(periods + 1)) + 1;
    bool lag = periods >= 0;
    if (q < e - b) {
        /* rows [a, a + m) take rows [a - q, ...) (lag) or [a + q, ...) (lead) */
        size_t a = lag ? b + q : b, m = e - b - q, from = lag ? b : b + q;
        size_t width = src->type == SHEAF_TYPE_STRING ? sizeof(int32_t) : sizeof(int64_t);
        const char *sv = src->f64   ? (const char *)src->f64
                         : src->i64 ? (const char *)src->i64
                                    : (const char *)src->codes;
        char *dv = dst->f64 ? (char *)dst->f64 : dst->i64 ? (char *)dst->i64 : (char *)dst->codes;
        memcpy(dv + a * width, sv + from * width, m * width);
        if (src->type == SHEAF_TYPE_FLOAT64)
            flag_present(dst->f64 + a, dst->valid + a, m);
        else if (src->valid)
            memcpy(dst->valid + a, src->valid + from, m);
    }
    sh_window_partition_series(job->l, p, &first, &last);
    const size_t *starts = job->l->series->starts;
    for (size_t j = first; j < last; j++) {
        size_t s = starts[j], t = starts[j + 1], k = t - s < q ? t - s : q;
        if (lag)
            mark_missing(dst, s, s + k);
        else
            mark_missing(dst, t - k, t);
    }
    return SHEAF_OK;
}

sheaf_status sheaf_frame_lag(const sheaf_ctx *ctx, const sheaf_frame *in, const char *column,
                             long periods, const char *const *keys, size_t n_keys, const char *time,
                             const char *name, sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_lag";
    sh_window_layout l = {0};
    sh_column col = {0};
    char *label = NULL;
    sheaf_status st = sh_window_check(in, out, column, SH_WINDOW_ANY, name, caller);
    if (st != SHEAF_OK) return st;
    unsigned long q = periods >= 0 ? (unsigned long)periods : (unsigned long)(-(periods + 1)) + 1;
    if (!(label = sh_window_name(name, periods >= 0 ? "%s_lag%lu" : "%s_lead%lu", column, q))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
        goto done;
    }
    if ((st = sh_window_layout_make(ctx, in, keys, n_keys, time, caller, &l)) != SHEAF_OK)
        goto done;
    const sh_column *src = sh_window_column(&l, column);
    size_t n = l.frame->n_rows;
    if ((st = sh_column_alloc(&col, label, src->type, src->unit, n, caller)) != SHEAF_OK) goto done;
    if (src->type == SHEAF_TYPE_STRING && sh_copy_dictionary(&col, src) != SHEAF_OK) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory copying the dictionary of '%s'", caller,
                     column);
        goto done;
    }
    lag_job job = {src, &col, periods};
    lag_block_job block = {&l, job};
    /* valid starts all 1: the block copy sets only what can be missing */
    st = l.keyed ? sheaf_exec_for(ctx, l.frame->n_partitions, lag_block_task, &block)
                 : sh_window_run(ctx, &l, SH_WINDOW_HALO, lag_kernel, &job);
    if (st != SHEAF_OK) goto done;
    sh_column_settle_validity(&col, n);
    st = sh_window_finish(&l, &col, caller, out);
done:
    sh_column_clear(&col);
    sh_free(label);
    sh_window_layout_clear(&l);
    return st;
}

/* ---- diff and pct_change ------------------------------------------------------ */

typedef struct shift_job {
    const double *x;
    double *y;
    uint8_t *valid;
    size_t lag;   /* diff: lag; pct_change: periods */
    size_t order; /* diff only */
} shift_job;

static sheaf_status out_of_scratch(const char *caller, size_t rows)
{
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for a window of %zu rows", caller, rows);
}

static size_t saturating_mul(size_t a, size_t b)
{
    return b && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

static sheaf_status diff_kernel(void *arg, const sh_window_piece *pc, sh_window_scratch *scratch)
{
    const shift_job *job = arg;
    size_t reach = saturating_mul(job->lag, job->order);
    size_t rs = pc->lo - pc->begin > reach ? pc->lo - reach : pc->begin;
    size_t m = pc->hi - rs, lag = job->lag;
    double *w = sh_window_scratch_get(scratch, m * sizeof *w);
    if (!w) return out_of_scratch("sheaf_frame_diff", m);
    memcpy(w, job->x + rs, m * sizeof *w);
    for (size_t k = 0; k < job->order; k++) {
        for (size_t t = m; t-- > lag;)
            w[t] = w[t] - w[t - lag];
        for (size_t t = 0; t < lag && t < m; t++)
            w[t] = NAN;
    }
    for (size_t i = pc->lo; i < pc->hi; i++) {
        double v = w[i - rs];
        job->y[i] = v;
        job->valid[i] = v == v;
    }
    return SHEAF_OK;
}

/* Keyed first differences (order 1) a partition at a time: y = x - x
 * shifted by lag over the whole partition, then the first lag rows of each
 * series set missing. */
typedef struct diff_block_job {
    const sh_window_layout *l;
    const shift_job *shift;
} diff_block_job;

/* Rows a difference computes in a stack tile before storing them. */
#define DIFF_TILE 512

/* y[i] = x[i] - before[i] and valid[i] = y[i] is not NaN, i < n. The
 * differences go through a stack tile: column buffers share their offset
 * modulo 4 KiB (huge-page aligned), so loading before[i] (x[i - lag])
 * right after storing y[i - lag] would stall on 4K aliasing. */
static void difference(const double *restrict x, const double *restrict before, double *restrict y,
                       uint8_t *restrict valid, size_t n)
{
    double tile[DIFF_TILE];
    for (size_t t = 0; t < n; t += DIFF_TILE) {
        size_t m = n - t < DIFF_TILE ? n - t : DIFF_TILE;
        for (size_t i = 0; i < m; i++)
            tile[i] = x[t + i] - before[t + i];
        memcpy(y + t, tile, m * sizeof *tile);
        for (size_t i = 0; i < m; i++)
            valid[t + i] = tile[i] == tile[i];
    }
}

static sheaf_status diff_block_task(void *arg, size_t p)
{
    const diff_block_job *job = arg;
    const double *x = job->shift->x;
    double *y = job->shift->y;
    uint8_t *valid = job->shift->valid;
    size_t b = job->l->frame->offsets[p], e = job->l->frame->offsets[p + 1], first, last;
    size_t lag = job->shift->lag;
    if (lag < e - b) difference(x + b + lag, x + b, y + b + lag, valid + b + lag, e - b - lag);
    sh_window_partition_series(job->l, p, &first, &last);
    const size_t *starts = job->l->series->starts;
    for (size_t j = first; j < last; j++) {
        size_t s = starts[j], t = starts[j + 1], k = t - s < lag ? t - s : lag;
        for (size_t i = s; i < s + k; i++) {
            y[i] = NAN;
            valid[i] = 0;
        }
    }
    return SHEAF_OK;
}

static sheaf_status pct_kernel(void *arg, const sh_window_piece *pc, sh_window_scratch *scratch)
{
    const shift_job *job = arg;
    const double *x = job->x;
    size_t p = job->lag;
    size_t rs = pc->lo - pc->begin > p ? pc->lo - p : pc->begin;
    size_t m = pc->hi - rs;
    double *f = sh_window_scratch_get(scratch, m * sizeof *f);
    if (!f) return out_of_scratch("sheaf_frame_pct_change", m);
    double last = NAN; /* the last present value before rs: the fill's start */
    for (size_t j = rs; j > pc->begin; j--)
        if (x[j - 1] == x[j - 1]) {
            last = x[j - 1];
            break;
        }
    for (size_t t = 0; t < m; t++) {
        double v = x[rs + t];
        f[t] = v == v ? (last = v) : last;
    }
    for (size_t i = pc->lo; i < pc->hi; i++) {
        double v = i - pc->begin >= p ? f[i - rs] / f[i - p - rs] - 1.0 : NAN;
        job->y[i] = v;
        job->valid[i] = v == v;
    }
    return SHEAF_OK;
}

/* The body diff and pct_change share: float input, float64 output. */
static sheaf_status shift_op(const sheaf_ctx *ctx, const sheaf_frame *in, const char *column,
                             size_t lag, size_t order, const char *const *keys, size_t n_keys,
                             const char *time, const char *label, sh_window_kernel kernel,
                             const char *caller, sheaf_frame **out)
{
    sh_window_layout l = {0};
    sh_column col = {0};
    double *owned = NULL;
    const double *x = NULL;
    sheaf_status st = sh_window_layout_make(ctx, in, keys, n_keys, time, caller, &l);
    if (st != SHEAF_OK) goto done;
    size_t n = l.frame->n_rows;
    if ((st = sh_window_float_values(sh_window_column(&l, column), n, caller, &owned, &x)) !=
            SHEAF_OK ||
        (st = sh_column_alloc(&col, label, SHEAF_TYPE_FLOAT64, SHEAF_TIME_NS, n, caller)) !=
            SHEAF_OK)
        goto done;
    shift_job job = {x, col.f64, col.valid, lag, order};
    diff_block_job block = {&l, &job};
    st = l.keyed && kernel == diff_kernel && order == 1
             ? sheaf_exec_for(ctx, l.frame->n_partitions, diff_block_task, &block)
             : sh_window_run(ctx, &l, SH_WINDOW_HALO, kernel, &job);
    if (st != SHEAF_OK) goto done;
    sh_column_settle_validity(&col, n);
    st = sh_window_finish(&l, &col, caller, out);
done:
    sh_column_clear(&col);
    sh_free(owned);
    sh_window_layout_clear(&l);
    return st;
}

sheaf_status sheaf_frame_diff(const sheaf_ctx *ctx, const sheaf_frame *in, const char *column,
                              size_t lag, size_t order, const char *const *keys, size_t n_keys,
                              const char *time, const char *name, sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_diff";
    sheaf_status st = sh_window_check(in, out, column, SH_WINDOW_NUMERIC, name, caller);
    if (st != SHEAF_OK) return st;
    if (lag == 0 || order == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: lag (%zu) and order (%zu) must both be at least 1", caller, lag, order);
    char *label = order > 1 ? sh_window_name(name, "%s_diff%zu_order%zu", column, lag, order)
                            : sh_window_name(name, "%s_diff%zu", column, lag);
    if (!label) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
    st = shift_op(ctx, in, column, lag, order, keys, n_keys, time, label, diff_kernel, caller, out);
    sh_free(label);
    return st;
}

sheaf_status sheaf_frame_pct_change(const sheaf_ctx *ctx, const sheaf_frame *in, const char *column,
                                    size_t periods, const char *const *keys, size_t n_keys,
                                    const char *time, const char *name, sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_pct_change";
    sheaf_status st = sh_window_check(in, out, column, SH_WINDOW_NUMERIC, name, caller);
    if (st != SHEAF_OK) return st;
    if (periods == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: periods must be at least 1 (got 0)",
                       caller);
    char *label = sh_window_name(name, "%s_pct%zu", column, periods);
    if (!label) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
    st = shift_op(ctx, in, column, periods, 1, keys, n_keys, time, label, pct_kernel, caller, out);
    sh_free(label);
    return st;
}
