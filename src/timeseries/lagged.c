/* lagged.c - the lagged design's R factor on partitions (lagged.h).
 * Each partition forms its rows of z in blocks of BLOCK rows (column-major)
 * and folds them into its factor with sh_qr_append; the executor merges the
 * partitions' factors pairwise in partition order (sh_qr_append of one
 * triangle onto another). The rows a partition needs before its range are
 * read from y directly: the halo is the P rows above. Partitions hold at
 * least ROWS_PER_COLUMN d rows, fewer partitions than asked for when the
 * sample is short: the count depends on the sample and the request, never
 * on the threads. */
#include "linalg/qr.h"
#include "timeseries/lagged.h"

#include <math.h>
#include <string.h>

#define BLOCK 256
/* The fewest rows per partition, per column of the factor. A partition of m
 * rows costs about 2 m d^2 flops and its merge 2/3 d^3 (dtpqrt on two
 * triangles, at a lower rate than the partitions' blocks), so partitions of
 * a few d rows spend much of their time merging: 8 partitions of the Granger
 * benchmark's 1992-row, 251-column design merged for about 30% of the
 * factor's time (one thread), 2 of them for about 6%. */
#define ROWS_PER_COLUMN 3

size_t sh_lagged_width(const sh_lagged *s) { return (size_t)s->trend + s->k * (s->max_lag + 1); }

size_t sh_lagged_column(const sh_lagged *s, size_t i, size_t lag)
{
    size_t block = s->current_last ? (lag == 0 ? s->max_lag : lag - 1) : lag;
    return (size_t)s->trend + block * s->k + i;
}

typedef struct lagged_job {
    const sh_lagged *s;
    size_t n_parts, d;
    const char *caller;
} lagged_job;

static void range(const lagged_job *job, size_t part, size_t *lo, size_t *hi)
{
    size_t n = job->s->T - job->s->t0;
    *lo = job->s->t0 + (size_t)((unsigned long long)n * part / job->n_parts);
    *hi = job->s->t0 + (size_t)((unsigned long long)n * (part + 1) / job->n_parts);
}

/* Fills rows [lo, lo + b) of z into the column-major block zb (ld b). */
static sheaf_status fill_block(const lagged_job *job, size_t lo, size_t b, double *zb)
{
    const sh_lagged *s = job->s;
    for (size_t i = 0; i < b; i++) {
        size_t t = lo + i;
        double tt = (double)t - (double)s->trend_origin + 1.0;
        if (s->trend >= SH_TREND_C) zb[i] = 1.0;
        if (s->trend >= SH_TREND_CT) zb[b + i] = tt;
        if (s->trend >= SH_TREND_CTT) zb[2 * b + i] = tt * tt;
        for (size_t lag = 0; lag <= s->max_lag; lag++) {
            const double *row = s->y + (t - lag) * s->ld;
            for (size_t j = 0; j < s->k; j++) {
                double v = row[j];
                if (!isfinite(v))
                    return sh_fail(SHEAF_ERR_NONFINITE, "%s: series %zu at row %zu is %g",
                                   job->caller, j, t - lag, v);
                zb[(sh_lagged_column(s, j, lag)) * b + i] = v;
            }
        }
    }
    return SHEAF_OK;
}

static sheaf_status lagged_map(void *arg, size_t part, double *stats)
{
    const lagged_job *job = arg;
    size_t d = job->d, lo, hi;
    range(job, part, &lo, &hi);
    double *zb = sh_malloc_array(BLOCK * d + 2 * d * d, sizeof(double));
    if (!zb) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for a lag block", job->caller);
    double *work = zb + BLOCK * d;
    sheaf_status st = SHEAF_OK;
    for (size_t t = lo; t < hi && st == SHEAF_OK; t += BLOCK) {
        size_t b = hi - t < BLOCK ? hi - t : BLOCK;
        st = fill_block(job, t, b, zb);
        if (st == SHEAF_OK) st = sh_qr_append(stats, d, d, zb, b, b, 0, work);
    }
    sh_free(zb);
    return st;
}

/* Merges src's factor into acc's: the R of [acc; src]. */
static void lagged_merge(void *arg, double *acc, const double *src, size_t len)
{
    const lagged_job *job = arg;
    size_t d = job->d;
    (void)len;
    /* src is read-only: copy it (a d x d triangle) into scratch after acc. */
    double *b = acc + d * d, *work = b + d * d;
    memcpy(b, src, d * d * sizeof *b);
    (void)sh_qr_append(acc, d, d, b, d, d, 1, work); /* sizes checked by the map */
}

sheaf_status sh_lagged_qr(const sheaf_ctx *ctx, const sh_lagged *s, size_t n_parts, double *r,
                          const char *caller)
{
    if (!s || !s->y || !r)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: NULL series or output", caller);
    if (s->t0 < s->max_lag || s->t0 >= s->T)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: %zu observations leave no sample after %zu lags (need more than %zu)",
                       caller, s->T, s->max_lag, s->t0);
    size_t d = sh_lagged_width(s), most = (s->T - s->t0) / (ROWS_PER_COLUMN * d);
    if (n_parts > most) n_parts = most;
    if (n_parts == 0) n_parts = 1;
    lagged_job job = {s, n_parts, d, caller};
    /* each slot: the factor, then the merge's scratch (a copy and 2 d^2 of work) */
    return sheaf_exec_map_merge(ctx, n_parts, 4 * d * d, lagged_map, lagged_merge, &job, r);
}
