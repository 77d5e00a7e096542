/* window_rolling.c - rolling mean, sum, std, var, min and max over the last
 * N rows or a time span of a series, and the expanding mean.
 *
 * Method: mirrors pandas 1.5's window aggregations (pandas/_libs/window/
 * aggregations.pyx: roll_sum, roll_mean, roll_var, _roll_min_max) step for
 * step, so results agree to the last bits. Each output row i has the window
 * [s_i, i] - s_i = max(begin, i - N + 1) for N rows, or the first row with
 * t > t_i - span for a time span (pandas' VariableWindowIndexer with
 * closed='right') - and the running state is updated by removing the rows
 * that left the window and adding those that entered: Kahan-compensated sums
 * (separate compensations for adding and removing) with pandas' count of
 * consecutive equal values and sign guard for means, Welford's mean and
 * squared deviations with a Kahan-compensated mean for variances, and a
 * monotonic deque of row indices for min and max (NaN counted as -inf for
 * max, +inf for min, as pandas does). The state restarts when a window
 * shares no row with the previous one, as pandas' does. Every row enters
 * and leaves once: O(rows) per series. Keyed series run in parallel. An
 * unkeyed frame is one series: min and max, which are exact, run per
 * partition, each starting its deque at the first window it outputs
 * (reading rows before its start); sums, means and variances carry pandas'
 * rounding history from the first row, so to reproduce it bit for bit they
 * run the unkeyed series in one piece. */
#include "data/window_internal.h"

#include <math.h>
#include <string.h>

typedef struct roll_job {
    const double *x;
    const sh_column *time; /* time windows only */
    size_t rows;           /* row windows: N; SIZE_MAX for expanding */
    int64_t span;          /* > 0: time window */
    size_t minp;
    sheaf_window_agg agg;
    double *y;
    uint8_t *valid;
} roll_job;

/* true when row j lies before the time window of row i: t_j <= t_i - span. */
static bool before_window(const sh_column *t, size_t j, size_t i, int64_t span)
{
    if (t->type == SHEAF_TYPE_FLOAT64) return t->f64[j] <= t->f64[i] - (double)span;
    int64_t bound;
    if (__builtin_sub_overflow(t->i64[i], span, &bound)) return false;
    return t->i64[j] <= bound;
}

/* Start of the window of row i; prev is the start for row i - 1 (rows of
 * the series, times sorted) or SIZE_MAX for the first row of a piece. */
static size_t window_start(const roll_job *job, const sh_window_piece *pc, size_t i, size_t prev)
{
    if (job->span == 0) return i + 1 - pc->begin > job->rows ? i + 1 - job->rows : pc->begin;
    size_t j = prev;
    if (prev == SIZE_MAX) /* first row: scan back over the halo */
        for (j = i; j > pc->begin && !before_window(job->time, j - 1, i, job->span);)
            j--;
    while (j < i && before_window(job->time, j, i, job->span))
        j++;
    return j;
}

/* Pieces up to this many rows are read from a copy (see piece_values). */
#define COPY_ROWS 65536

/* The values of the piece, x[begin..hi), as a base pointer indexed by row:
 * a copy in scratch for pieces of a keyed frame (one series each, short),
 * else x itself. Column buffers share their offset modulo 4 KiB (huge-page
 * aligned), so reading x[i - N] right after storing y[i - N] would stall
 * on 4K aliasing; the copy sits elsewhere. Without scratch memory the
 * column is read directly: slower, never wrong. */
static const double *piece_values(const roll_job *job, const sh_window_piece *pc,
                                  sh_window_scratch *scratch)
{
    size_t m = pc->hi - pc->begin;
    double *copy = m <= COPY_ROWS ? sh_window_scratch_get(scratch, m * sizeof *copy) : NULL;
    if (!copy) return job->x;
    memcpy(copy, job->x + pc->begin, m * sizeof *copy);
    return copy - pc->begin;
}

static void put(const roll_job *job, size_t i, double v)
{
    job->y[i] = v;
    job->valid[i] = v == v;
}

/* ---- sum and mean (roll_sum, roll_mean) -------------------------------------- */

typedef struct sum_state {
    int64_t nobs, neg_ct, same;
    double sum, comp_add, comp_remove, prev;
} sum_state;

static void sum_add(sum_state *st, double v)
{
    if (v != v) return;
    st->nobs++;
    double y = v - st->comp_add;
    double t = st->sum + y;
    st->comp_add = t - st->sum - y;
    st->sum = t;
    if (signbit(v)) st->neg_ct++;
    /* pandas GH#42064: a run of equal values gives that value exactly */
    st->same = v == st->prev ? st->same + 1 : 1;
    st->prev = v;
}

static void sum_remove(sum_state *st, double v)
{
    if (v != v) return;
    st->nobs--;
    double y = -v - st->comp_remove;
    double t = st->sum + y;
    st->comp_remove = t - st->sum - y;
    st->sum = t;
    if (signbit(v)) st->neg_ct--;
}

static double sum_value(const sum_state *st, int64_t minp, bool mean)
{
    if (!mean) {
        if (st->nobs < minp) return NAN;
        return st->same >= st->nobs ? st->prev * (double)st->nobs : st->sum;
    }
    if (st->nobs < minp || st->nobs == 0) return NAN;
    double r = st->sum / (double)st->nobs;
    if (st->same >= st->nobs) return st->prev;
    if (st->neg_ct == 0 && r < 0) return 0; /* all values positive */
    if (st->neg_ct == st->nobs && r > 0) return 0;
    return r;
}

static sheaf_status sum_kernel(void *arg, const sh_window_piece *pc, sh_window_scratch *scratch)
{
    const roll_job *job = arg;
    const double *x = piece_values(job, pc, scratch);
    bool mean = job->agg == SHEAF_WINDOW_MEAN;
    sum_state st = {0};
    size_t ps = SIZE_MAX, pe = 0;
    for (size_t i = pc->lo; i < pc->hi; i++) {
        size_t s = window_start(job, pc, i, ps), e = i + 1;
        if (ps == SIZE_MAX || s >= pe) {
            memset(&st, 0, sizeof st);
            st.prev = x[s];
            for (size_t j = s; j < e; j++)
                sum_add(&st, x[j]);
        } else {
            for (size_t j = ps; j < s; j++)
                sum_remove(&st, x[j]);
            for (size_t j = pe; j < e; j++)
                sum_add(&st, x[j]);
        }
        put(job, i, sum_value(&st, (int64_t)job->minp, mean));
        ps = s;
        pe = e;
    }
    return SHEAF_OK;
}

/* ---- variance and standard deviation (roll_var, ddof 1) ---------------------- */

typedef struct var_state {
    double nobs, mean, ssqdm, comp_add, comp_remove, prev;
    int64_t same;
} var_state;

static void var_add(var_state *st, double v)
{
    if (v != v) return;
    st->nobs += 1;
    st->same = v == st->prev ? st->same + 1 : 1;
    st->prev = v;
    double prev_mean = st->mean - st->comp_add;
    double y = v - st->comp_add;
    double t = y - st->mean;
    st->comp_add = t + st->mean - y;
    st->mean = st->nobs != 0 ? st->mean + t / st->nobs : 0;
    st->ssqdm = st->ssqdm + (v - prev_mean) * (v - st->mean);
}

static void var_remove(var_state *st, double v)
{
    if (v != v) return;
    st->nobs -= 1;
    if (st->nobs == 0) {
        st->mean = st->ssqdm = 0;
        return;
    }
    double prev_mean = st->mean - st->comp_remove;
    double y = v - st->comp_remove;
    double t = y - st->mean;
    st->comp_remove = t + st->mean - y;
    st->mean = st->mean - t / st->nobs;
    st->ssqdm = st->ssqdm - (v - prev_mean) * (v - st->mean);
}

static double var_value(const var_state *st, double minp, bool std)
{
    if (!(st->nobs >= minp && st->nobs > 1)) return NAN;
    double var = (double)st->same >= st->nobs ? 0 : st->ssqdm / (st->nobs - 1);
    if (!std) return var;
    return var < 0 ? 0 : sqrt(var); /* pandas' zsqrt */
}

static sheaf_status var_kernel(void *arg, const sh_window_piece *pc, sh_window_scratch *scratch)
{
    const roll_job *job = arg;
    const double *x = piece_values(job, pc, scratch);
    bool std = job->agg == SHEAF_WINDOW_STD;
    double minp = job->minp < 1 ? 1 : (double)job->minp;
    var_state st = {0};
    size_t ps = SIZE_MAX, pe = 0;
    for (size_t i = pc->lo; i < pc->hi; i++) {
        size_t s = window_start(job, pc, i, ps), e = i + 1;
        if (ps == SIZE_MAX || s >= pe) {
            memset(&st, 0, sizeof st);
            st.prev = x[s];
            for (size_t j = s; j < e; j++)
                var_add(&st, x[j]);
        } else {
            for (size_t j = ps; j < s; j++)
                var_remove(&st, x[j]);
            for (size_t j = pe; j < e; j++)
                var_add(&st, x[j]);
        }
        put(job, i, var_value(&st, minp, std));
        ps = s;
        pe = e;
    }
    return SHEAF_OK;
}

/* ---- min and max (_roll_min_max) ------------------------------------------------ */

static sheaf_status minmax_kernel(void *arg, const sh_window_piece *pc, sh_window_scratch *scratch)
{
    const roll_job *job = arg;
    const double *x = job->x;
    bool is_max = job->agg == SHEAF_WINDOW_MAX;
    size_t s0 = window_start(job, pc, pc->lo, SIZE_MAX);
    /* q[head..tail): row indices of the deque; each row is pushed once. */
    size_t *q = sh_window_scratch_get(scratch, (pc->hi - s0) * sizeof *q);
    if (!q)
        return sh_fail(SHEAF_ERR_NOMEM,
                       "sheaf_frame_rolling: out of memory for a window of %zu "
                       "rows",
                       pc->hi - s0);
    size_t head = 0, tail = 0, nobs = 0, ps = SIZE_MAX, pe = s0, left = s0;
    for (size_t i = pc->lo; i < pc->hi; i++) {
        size_t s = ps == SIZE_MAX ? s0 : window_start(job, pc, i, ps), e = i + 1;
        for (size_t k = pe; k < e; k++) {
            double a = x[k];
            if (a == a)
                nobs++;
            else
                a = is_max ? -INFINITY : INFINITY;
            while (tail > head) {
                double b = x[q[tail - 1]];
                if (!((is_max ? a >= b : a <= b) || b != b)) break;
                tail--;
            }
            q[tail++] = k;
        }
        while (tail > head && q[head] < s)
            head++;
        for (; left < s; left++)
            nobs -= x[left] == x[left];
        put(job, i, nobs >= job->minp ? x[q[head]] : NAN);
        ps = s;
        pe = e;
    }
    return SHEAF_OK;
}

/* ---- entry points ----------------------------------------------------------------- */

static const char *agg_name(sheaf_window_agg agg)
{
    switch (agg) {
    case SHEAF_WINDOW_MEAN: return "mean";
    case SHEAF_WINDOW_SUM: return "sum";
    case SHEAF_WINDOW_STD: return "std";
    case SHEAF_WINDOW_VAR: return "var";
    case SHEAF_WINDOW_MIN: return "min";
    case SHEAF_WINDOW_MAX: return "max";
    }
    return NULL;
}

/* The body rolling and expanding_mean share, after the argument checks;
 * label is the output name. */
static sheaf_status roll(const sheaf_ctx *ctx, const sheaf_frame *in, const char *column,
                         roll_job job, sh_window_split split, const char *const *keys,
                         size_t n_keys, const char *time, const char *label, const char *caller,
                         sheaf_frame **out)
{
    sh_window_layout l = {0};
    sh_column col = {0};
    double *owned = NULL;
    sheaf_status st = sh_window_layout_make(ctx, in, keys, n_keys, time, caller, &l);
    if (st != SHEAF_OK) goto done;
    if (job.span == 0 && job.rows != SIZE_MAX && l.longest > 0 && job.rows > l.longest) {
        st = sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                     "%s: window of %zu rows is longer than the longest series (%zu rows)", caller,
                     job.rows, l.longest);
        goto done;
    }
    size_t n = l.frame->n_rows;
    if ((st = sh_window_float_values(sh_window_column(&l, column), n, caller, &owned, &job.x)) !=
            SHEAF_OK ||
        (st = sh_column_alloc(&col, label, SHEAF_TYPE_FLOAT64, SHEAF_TIME_NS, n, caller)) !=
            SHEAF_OK)
        goto done;
    job.time = l.time;
    job.y = col.f64;
    job.valid = col.valid;
    sh_window_kernel kernel =
        job.agg == SHEAF_WINDOW_MEAN || job.agg == SHEAF_WINDOW_SUM  ? sum_kernel
        : job.agg == SHEAF_WINDOW_STD || job.agg == SHEAF_WINDOW_VAR ? var_kernel
                                                                     : minmax_kernel;
    if ((st = sh_window_run(ctx, &l, split, kernel, &job)) != SHEAF_OK) goto done;
    sh_column_settle_validity(&col, n);
    st = sh_window_finish(&l, &col, caller, out);
done:
    sh_column_clear(&col);
    sh_free(owned);
    sh_window_layout_clear(&l);
    return st;
}

sheaf_status sheaf_frame_rolling(const sheaf_ctx *ctx, const sheaf_frame *in, const char *column,
                                 sheaf_window_agg agg, size_t window_rows, int64_t window_span,
                                 size_t min_periods, const char *const *keys, size_t n_keys,
                                 const char *time, const char *name, sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_rolling";
    sheaf_status st = sh_window_check(in, out, column, SH_WINDOW_NUMERIC, name, caller);
    if (st != SHEAF_OK) return st;
    const char *what = agg_name(agg);
    if (!what)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: unknown aggregate %d", caller, (int)agg);
    if (window_span < 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: window_span must be >= 0 (got %lld)",
                       caller, (long long)window_span);
    if (window_span == 0 && window_rows == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: window of 0 rows (give window_rows >= 1 or a window_span)", caller);
    if (window_span > 0 && !time)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: a time window (window_span %lld) needs a time column", caller,
                       (long long)window_span);
    if (window_span == 0 && min_periods > window_rows)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: min_periods %zu must be <= window %zu",
                       caller, min_periods, window_rows);
    size_t minp = min_periods ? min_periods : window_span > 0 ? 1 : window_rows;
    char *label =
        window_span > 0
            ? sh_window_name(name, "%s_rolling_%s_t%lld", column, what, (long long)window_span)
            : sh_window_name(name, "%s_rolling_%s%zu", column, what, window_rows);
    if (!label) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
    roll_job job = {
        .rows = window_span > 0 ? 0 : window_rows, .span = window_span, .minp = minp, .agg = agg};
    bool exact = agg == SHEAF_WINDOW_MIN || agg == SHEAF_WINDOW_MAX;
    st = roll(ctx, in, column, job, exact ? SH_WINDOW_HALO : SH_WINDOW_WHOLE, keys, n_keys, time,
              label, caller, out);
    sh_free(label);
    return st;
}

sheaf_status sheaf_frame_expanding_mean(const sheaf_ctx *ctx, const sheaf_frame *in,
                                        const char *column, const char *const *keys, size_t n_keys,
                                        const char *time, const char *name, sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_expanding_mean";
    sheaf_status st = sh_window_check(in, out, column, SH_WINDOW_NUMERIC, name, caller);
    if (st != SHEAF_OK) return st;
    char *label = sh_window_name(name, "%s_expanding_mean", column);
    if (!label) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
    roll_job job = {.rows = SIZE_MAX, .minp = 1, .agg = SHEAF_WINDOW_MEAN};
    st = roll(ctx, in, column, job, SH_WINDOW_WHOLE, keys, n_keys, time, label, caller, out);
    sh_free(label);
    return st;
}
