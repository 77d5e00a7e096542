/* colstats.c - per-column summary statistics on a partitioned frame.
 *
 * One executor map over the frame's partitions yields, per column, a flat
 * statistics segment: for numeric and timestamp columns (n, mean, M2, min,
 * max) of the values x = v - K, where K is 0 except for timestamps, where it
 * is the column's first present instant (nanosecond instants near 1.7e18
 * lose their low bits in a double; their offsets do not); for string
 * columns the histogram of dictionary codes. Inside a partition the mean
 * comes from a compensated sum and M2 from the corrected two-pass formula,
 * both over the partition's copy of its values. The coordinator merges segments in the executor's
 * fixed tree with Chan, Golub & LeVeque's pairwise update ("Updating formulae and a pairwise
 * algorithm for computing sample variances", 1979, eq. 2.1):
 *     n = na + nb,  d = mean_b - mean_a,
 *     mean = mean_a + d nb / n,  M2 = M2_a + M2_b + d^2 na nb / n,
 * and histograms by addition. The same map leaves each partition's present
 * values sorted in its own slice of a per-column buffer ("runs"); a second,
 * per-column task streams the runs through a k-way heap merge (ties go to
 * the lower partition) up to the highest rank a quantile needs. Quantiles
 * follow numpy's "linear" method, which pandas' describe() uses: index
 * h = (n - 1) q, and between the order statistics a = x(floor h) and
 * b = x(floor h + 1) with t = h - floor h, a + (b - a) t when t < 0.5 and
 * b - (b - a)(1 - t) otherwise (numpy's _lerp), so results match pandas to
 * the last bit. Timestamp quantiles interpolate exactly in integer units.
 * Float min and max come from the merged statistics; int64 and timestamp
 * min and max from the runs, exact beyond 2^53. */
#include "colstats.h"

#include "core/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const double sh_colstats_levels[SH_COLSTATS_NQ] = {0.25, 0.5, 0.75};

enum { SEG_N, SEG_MEAN, SEG_M2, SEG_MIN, SEG_MAX, SEG_LEN };

typedef struct column_plan {
    sheaf_type type;
    size_t offset;        /* start of this column's statistics segment */
    size_t len;           /* SEG_LEN, or the dictionary size for strings */
    int64_t shift;        /* K: the first present instant of a timestamp column */
    const double *f64;    /* float64 values */
    const int64_t *i64;   /* int64 and timestamp values */
    const uint8_t *valid; /* NULL when nothing is missing */
    const int32_t *codes; /* string codes */
    double *frun;         /* sorted runs (float64) */
    int64_t *irun;        /* sorted runs (int64, timestamp) */
    size_t *run_len;      /* present values of each partition */
} column_plan;

typedef struct plan {
    const sheaf_frame *frame;
    size_t n_cols;
    size_t n_parts;
    size_t stats_len;
    column_plan *cols;
    sh_colstats *out;
} plan;

static int is_moment_type(sheaf_type t) { return t != SHEAF_TYPE_STRING; }

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* v - K as a double, without signed overflow for far-apart values. */
static double shifted(int64_t v, int64_t k)
{
    int64_t d;
    if (__builtin_sub_overflow(v, k, &d)) return (double)v - (double)k;
    return (double)d;
}

/* First pass over a partition: a Neumaier-compensated sum (so the mean is
 * good to about one rounding whatever the row count), min and max. */
typedef struct first_pass {
    double sum, comp, min, max;
    size_t n;
} first_pass;

static void first_push(first_pass *f, double x)
{
    double t = f->sum + x;
    if (isfinite(t)) f->comp += fabs(f->sum) >= fabs(x) ? (f->sum - t) + x : (x - t) + f->sum;
    f->sum = t;
    if (f->n == 0 || x < f->min) f->min = x;
    if (f->n == 0 || x > f->max) f->max = x;
    f->n++;
}

/* Second pass: the corrected two-pass M2 (Chan, Golub & LeVeque 1983,
 * eq. 1.7), sum (x - mean)^2 - (sum (x - mean))^2 / n. */
static void second_pass_store(double *seg, const first_pass *f, double m2, double resid)
{
    seg[SEG_N] = (double)f->n;
    seg[SEG_MEAN] = (f->sum + f->comp) / (double)f->n;
    seg[SEG_M2] = m2 - resid * resid / (double)f->n;
    seg[SEG_MIN] = f->min;
    seg[SEG_MAX] = f->max;
}

static void map_float(const column_plan *c, size_t p, size_t begin, size_t end, double *seg)
{
    double *run = c->frun + begin;
    first_pass f = {0};
    for (size_t i = begin; i < end; i++) {
        double x = c->f64[i];
        if (isnan(x)) continue; /* missing float64 rows hold NaN */
        first_push(&f, x);
        run[f.n - 1] = x;
    }
    c->run_len[p] = f.n;
    if (f.n == 0) return;
    double mean = (f.sum + f.comp) / (double)f.n, m2 = 0.0, resid = 0.0;
    for (size_t i = 0; i < f.n; i++) {
        double d = run[i] - mean;
        m2 += d * d;
        resid += d;
    }
    second_pass_store(seg, &f, m2, resid);
    qsort(run, f.n, sizeof *run, cmp_double);
}

static void map_int(const column_plan *c, size_t p, size_t begin, size_t end, double *seg)
{
    int64_t *run = c->irun + begin;
    first_pass f = {0};
    for (size_t i = begin; i < end; i++) {
        if (c->valid && !c->valid[i]) continue;
        first_push(&f, shifted(c->i64[i], c->shift));
        run[f.n - 1] = c->i64[i];
    }
    c->run_len[p] = f.n;
    if (f.n == 0) return;
    double mean = (f.sum + f.comp) / (double)f.n, m2 = 0.0, resid = 0.0;
    for (size_t i = 0; i < f.n; i++) {
        double d = shifted(run[i], c->shift) - mean;
        m2 += d * d;
        resid += d;
    }
    second_pass_store(seg, &f, m2, resid);
    qsort(run, f.n, sizeof *run, cmp_int64);
}

static void map_string(const column_plan *c, size_t begin, size_t end, double *hist)
{
    for (size_t i = begin; i < end; i++) {
        int32_t code = c->codes[i];
        if (code >= 0 && (size_t)code < c->len) hist[code] += 1.0;
    }
}

static sheaf_status map_partition(void *arg, size_t partition, double *stats)
{
    plan *pl = arg;
    size_t begin, end;
    sheaf_status st = sheaf_frame_partition_range(pl->frame, partition, &begin, &end);
    if (st != SHEAF_OK) return st;
    for (size_t j = 0; j < pl->n_cols; j++) {
        const column_plan *c = &pl->cols[j];
        double *seg = stats + c->offset;
        if (c->type == SHEAF_TYPE_FLOAT64)
            map_float(c, partition, begin, end, seg);
        else if (c->type == SHEAF_TYPE_STRING)
            map_string(c, begin, end, seg);
        else
            map_int(c, partition, begin, end, seg);
    }
    return SHEAF_OK;
}

static void chan_merge(double *a, const double *b)
{
    if (b[SEG_N] == 0.0) return;
    if (a[SEG_N] == 0.0) {
        memcpy(a, b, SEG_LEN * sizeof *a);
        return;
    }
    double na = a[SEG_N], nb = b[SEG_N], n = na + nb;
    double d = b[SEG_MEAN] - a[SEG_MEAN];
    a[SEG_MEAN] += d * (nb / n);
    a[SEG_M2] += b[SEG_M2] + d * d * (na * nb / n);
    if (b[SEG_MIN] < a[SEG_MIN]) a[SEG_MIN] = b[SEG_MIN];
    if (b[SEG_MAX] > a[SEG_MAX]) a[SEG_MAX] = b[SEG_MAX];
    a[SEG_N] = n;
}

static void merge_stats(void *arg, double *acc, const double *src, size_t stats_len)
{
    const plan *pl = arg;
    (void)stats_len;
    for (size_t j = 0; j < pl->n_cols; j++) {
        const column_plan *c = &pl->cols[j];
        if (is_moment_type(c->type)) {
            chan_merge(acc + c->offset, src + c->offset);
        } else {
            for (size_t i = 0; i < c->len; i++)
                acc[c->offset + i] += src[c->offset + i];
        }
    }
}

/* ---- exact quantiles: k-way merge of the sorted runs ----------------------- */

typedef struct head {
    size_t part; /* which run */
    size_t pos;  /* next index inside the run */
} head;

typedef struct kway {
    const column_plan *c;
    const size_t *starts; /* first row of each partition */
    head *heap;
    size_t size;
} kway;

/* true when head a's current value orders before b's (ties: lower partition). */
static int head_less(const kway *k, const head *a, const head *b)
{
    size_t ia = k->starts[a->part] + a->pos, ib = k->starts[b->part] + b->pos;
    if (k->c->type == SHEAF_TYPE_FLOAT64) {
        double x = k->c->frun[ia], y = k->c->frun[ib];
        if (x != y) return x < y;
    } else {
        int64_t x = k->c->irun[ia], y = k->c->irun[ib];
        if (x != y) return x < y;
    }
    return a->part < b->part;
}

static void sift_down(kway *k, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < k->size && head_less(k, &k->heap[l], &k->heap[m])) m = l;
        if (r < k->size && head_less(k, &k->heap[r], &k->heap[m])) m = r;
        if (m == i) return;
        head t = k->heap[i];
        k->heap[i] = k->heap[m];
        k->heap[m] = t;
        i = m;
    }
}

/* numpy's _lerp: a + (b - a) t, from the nearer end. */
static double lerp(double a, double b, double diff, double t)
{
    return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

/* Exact interpolation between int64 order statistics, truncated toward a. */
static int64_t lerp_int(int64_t a, int64_t b, double t)
{
    uint64_t diff = (uint64_t)b - (uint64_t)a; /* b >= a, so this is exact */
    return (int64_t)((uint64_t)a + (uint64_t)((double)diff * t));
}

typedef struct selection {
    size_t rank[2 * SH_COLSTATS_NQ]; /* floor(h) and floor(h) + 1 per level */
    double fval[2 * SH_COLSTATS_NQ];
    int64_t ival[2 * SH_COLSTATS_NQ];
} selection;

static sheaf_status select_column(void *arg, size_t column)
{
    plan *pl = arg;
    const column_plan *c = &pl->cols[column];
    sh_colstats *s = &pl->out[column];
    if (!is_moment_type(c->type) || s->count == 0) return SHEAF_OK;

    size_t n = s->count, top_rank = 0;
    selection sel;
    for (size_t q = 0; q < SH_COLSTATS_NQ; q++) {
        size_t lo = (size_t)floor((double)(n - 1) * sh_colstats_levels[q]);
        sel.rank[2 * q] = lo;
        sel.rank[2 * q + 1] = lo + 1 < n ? lo + 1 : n - 1;
        if (sel.rank[2 * q + 1] > top_rank) top_rank = sel.rank[2 * q + 1];
    }

    size_t *starts = sh_malloc_array(pl->n_parts, sizeof *starts);
    head *heap = sh_malloc_array(pl->n_parts, sizeof *heap);
    if (!starts || !heap) {
        sh_free(starts);
        sh_free(heap);
        return sh_fail(SHEAF_ERR_NOMEM, "sheaf profile: out of memory merging %zu runs of '%s'",
                       pl->n_parts, sheaf_frame_column_name(pl->frame, column));
    }
    kway k = {c, starts, heap, 0};
    for (size_t p = 0; p < pl->n_parts; p++) {
        size_t end;
        sheaf_frame_partition_range(pl->frame, p, &starts[p], &end);
        if (c->run_len[p] > 0) heap[k.size++] = (head){p, 0};
    }
    for (size_t i = k.size; i-- > 0;)
        sift_down(&k, i);

    for (size_t r = 0; r <= top_rank; r++) {
        head *h = &k.heap[0];
        size_t at = starts[h->part] + h->pos;
        for (size_t i = 0; i < 2 * SH_COLSTATS_NQ; i++) {
            if (sel.rank[i] != r) continue;
            if (c->type == SHEAF_TYPE_FLOAT64)
                sel.fval[i] = c->frun[at];
            else
                sel.ival[i] = c->irun[at];
        }
        if (r == 0 && c->type != SHEAF_TYPE_FLOAT64) s->imin = c->irun[at];
        if (++h->pos == c->run_len[h->part]) k.heap[0] = k.heap[--k.size];
        if (k.size > 0) sift_down(&k, 0);
    }

    for (size_t q = 0; q < SH_COLSTATS_NQ; q++) {
        double hq = (double)(n - 1) * sh_colstats_levels[q];
        double t = hq - floor(hq);
        if (c->type == SHEAF_TYPE_FLOAT64) {
            double a = sel.fval[2 * q], b = sel.fval[2 * q + 1];
            s->q[q] = lerp(a, b, b - a, t);
        } else {
            int64_t a = sel.ival[2 * q], b = sel.ival[2 * q + 1];
            /* numpy subtracts in int64 (wrapping), then multiplies in double */
            double diff = (double)(int64_t)((uint64_t)b - (uint64_t)a);
            s->q[q] = lerp((double)a, (double)b, diff, t);
            s->tq[q] = lerp_int(a, b, t);
        }
    }
    if (c->type != SHEAF_TYPE_FLOAT64) {
        int64_t mx = c->irun[starts[0]];
        int first = 1;
        for (size_t p = 0; p < pl->n_parts; p++) {
            if (c->run_len[p] == 0) continue;
            int64_t last = c->irun[starts[p] + c->run_len[p] - 1];
            if (first || last > mx) mx = last;
            first = 0;
        }
        s->imax = mx;
    }
    sh_free(starts);
    sh_free(heap);
    return SHEAF_OK;
}

/* ---- the coordinator ------------------------------------------------------- */

static void finish_moments(const column_plan *c, const double *seg, sh_colstats *s)
{
    double n = seg[SEG_N];
    s->count = (size_t)n;
    for (size_t q = 0; q < SH_COLSTATS_NQ; q++)
        s->q[q] = NAN;
    s->mean = n > 0 ? (double)c->shift + seg[SEG_MEAN] : NAN;
    s->std = n > 1 ? sqrt(seg[SEG_M2] / (n - 1.0)) : NAN;
    s->min = n > 0 ? seg[SEG_MIN] + (double)c->shift : NAN;
    s->max = n > 0 ? seg[SEG_MAX] + (double)c->shift : NAN;
    if (c->type == SHEAF_TYPE_TIMESTAMP && n > 0)
        s->tmean = c->shift + (int64_t)llround(seg[SEG_MEAN]);
}

static void finish_string(const column_plan *c, const double *hist, sh_colstats *s)
{
    s->top = -1;
    for (size_t i = 0; i < c->len; i++) {
        size_t f = (size_t)hist[i];
        if (f == 0) continue;
        s->count += f;
        s->unique++;
        if (f > s->top_freq) {
            s->top_freq = f;
            s->top = (int32_t)i;
        }
    }
}

/* Column j's storage pointers, its shift and its statistics segment. */
static sheaf_status plan_column(plan *pl, size_t j, size_t n_rows)
{
    column_plan *c = &pl->cols[j];
    sh_colstats *s = &pl->out[j];
    c->type = s->type = sheaf_frame_column_type(pl->frame, j);
    s->unit = sheaf_frame_column_time_unit(pl->frame, j);
    c->offset = pl->stats_len;
    c->valid = sheaf_frame_column_validity(pl->frame, j);
    sheaf_status st;
    if (c->type == SHEAF_TYPE_STRING) {
        size_t dict_size;
        st = sheaf_frame_column_codes(pl->frame, j, &c->codes, &dict_size);
        c->len = dict_size;
    } else if (c->type == SHEAF_TYPE_FLOAT64) {
        st = sheaf_frame_column_float64(pl->frame, j, &c->f64);
        c->len = SEG_LEN;
        c->frun = sh_malloc_array(n_rows ? n_rows : 1, sizeof *c->frun);
    } else {
        st = sheaf_frame_column_int64(pl->frame, j, &c->i64);
        c->len = SEG_LEN;
        c->irun = sh_malloc_array(n_rows ? n_rows : 1, sizeof *c->irun);
        for (size_t i = 0; st == SHEAF_OK && c->type == SHEAF_TYPE_TIMESTAMP && i < n_rows; i++) {
            if (!c->valid || c->valid[i]) {
                c->shift = c->i64[i];
                break;
            }
        }
    }
    if (st != SHEAF_OK) return st;
    if (is_moment_type(c->type)) {
        c->run_len = sh_calloc(pl->n_parts, sizeof *c->run_len);
        if (!c->run_len || (!c->frun && !c->irun))
            return sh_fail(SHEAF_ERR_NOMEM,
                           "sheaf profile: out of memory for the sorted runs of '%s' (%zu rows)",
                           sheaf_frame_column_name(pl->frame, j), n_rows);
    }
    pl->stats_len += c->len;
    return SHEAF_OK;
}

sheaf_status sh_colstats_compute(const sheaf_ctx *ctx, const sheaf_frame *frame, sh_colstats *out)
{
    size_t n_cols = sheaf_frame_num_columns(frame), n_rows = sheaf_frame_num_rows(frame);
    plan pl = {frame, n_cols, sheaf_frame_num_partitions(frame), 0, NULL, out};
    double *stats = NULL;
    sheaf_status st = SHEAF_OK;
    memset(out, 0, n_cols * sizeof *out);
    if (n_cols == 0) return SHEAF_OK;

    pl.cols = sh_calloc(n_cols, sizeof *pl.cols);
    if (!pl.cols) {
        st = sh_fail(SHEAF_ERR_NOMEM, "sheaf profile: out of memory for %zu columns", n_cols);
        goto done;
    }
    for (size_t j = 0; j < n_cols && st == SHEAF_OK; j++)
        st = plan_column(&pl, j, n_rows);
    if (st != SHEAF_OK) goto done;

    stats = sh_calloc(pl.stats_len ? pl.stats_len : 1, sizeof *stats);
    if (!stats) {
        st = sh_fail(SHEAF_ERR_NOMEM, "sheaf profile: out of memory for %zu statistics",
                     pl.stats_len);
        goto done;
    }
    st =
        sheaf_exec_map_merge(ctx, pl.n_parts, pl.stats_len, map_partition, merge_stats, &pl, stats);
    if (st != SHEAF_OK) goto done;
    for (size_t j = 0; j < n_cols; j++) {
        const column_plan *c = &pl.cols[j];
        if (is_moment_type(c->type))
            finish_moments(c, stats + c->offset, &out[j]);
        else
            finish_string(c, stats + c->offset, &out[j]);
        out[j].missing = n_rows - out[j].count;
    }
    st = sheaf_exec_for(ctx, n_cols, select_column, &pl);

done:
    if (pl.cols) {
        for (size_t j = 0; j < n_cols; j++) {
            sh_free(pl.cols[j].frun);
            sh_free(pl.cols[j].irun);
            sh_free(pl.cols[j].run_len);
        }
    }
    sh_free(pl.cols);
    sh_free(stats);
    return st;
}
