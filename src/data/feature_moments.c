/* feature_moments.c - per-column count, mean, sum of squared deviations
 * (M2), minimum and maximum over the present values of numeric columns: the
 * statistics the standard scaler, the min-max scaler and the mean imputer
 * fit from.
 *
 * Each partition makes two passes (the mean, then the squared deviations
 * from it), which is more accurate than Welford's one-pass update and
 * vectorises. Partitions merge by the pairwise update of Chan, Golub and
 * LeVeque ("Algorithms for computing the sample variance", The American
 * Statistician 37(3), 1983, eq. 2.1b), applied by the executor in its fixed
 * tree over partition indices, so results are identical for any thread
 * count. Spark's MultivariateOnlineSummarizer merges the same way. */
#include "data/feature_internal.h"

#include <math.h>

typedef struct moments_job {
    const sheaf_frame *frame;
    const size_t *idx;
    size_t n;
} moments_job;

/* The two passes over rows [begin, end) of one column; VALUE(i) reads row
 * i as double, NaN when missing. A macro so that each column type gets its
 * own branch-free loop. */
#define MOMENTS_PASSES(VALUE)                                                                      \
    do {                                                                                           \
        for (size_t i = begin; i < end; i++) {                                                     \
            double x = VALUE(i);                                                                   \
            if (isnan(x)) continue;                                                                \
            count += 1;                                                                            \
            sum += x;                                                                              \
            lo = x < lo ? x : lo;                                                                  \
            hi = x > hi ? x : hi;                                                                  \
        }                                                                                          \
        mean = count > 0 ? sum / count : 0;                                                        \
        for (size_t i = begin; count > 0 && i < end; i++) {                                        \
            double x = VALUE(i);                                                                   \
            if (!isnan(x)) m2 += (x - mean) * (x - mean);                                          \
        }                                                                                          \
    } while (0)

static void column_moments(const sh_column *c, size_t begin, size_t end, double *m)
{
    double count = 0, sum = 0, lo = INFINITY, hi = -INFINITY, mean = 0, m2 = 0;
    const double *f = c->f64;
    const int64_t *v = c->i64;
    const uint8_t *ok = c->valid;
#define F64(i) f[i]
#define I64(i) ((double)v[i])
#define I64_MISSING(i) (ok[i] ? (double)v[i] : NAN)
    if (f)
        MOMENTS_PASSES(F64);
    else if (ok)
        MOMENTS_PASSES(I64_MISSING);
    else
        MOMENTS_PASSES(I64);
#undef F64
#undef I64
#undef I64_MISSING
    m[0] = count;
    m[1] = mean;
    m[2] = m2;
    m[3] = lo;
    m[4] = hi;
}

static sheaf_status moments_map(void *arg, size_t p, double *stats)
{
    const moments_job *job = arg;
    size_t begin = job->frame->offsets[p], end = job->frame->offsets[p + 1];
    for (size_t j = 0; j < job->n; j++)
        column_moments(&job->frame->cols[job->idx[j]], begin, end, stats + j * SH_MOMENTS);
    return SHEAF_OK;
}

static void moments_merge(void *arg, double *acc, const double *src, size_t len)
{
    (void)arg;
    for (size_t j = 0; j < len; j += SH_MOMENTS) {
        double *a = acc + j;
        const double *b = src + j;
        if (b[0] == 0) continue;
        if (a[0] == 0) {
            for (int k = 0; k < SH_MOMENTS; k++)
                a[k] = b[k];
            continue;
        }
        double n = a[0] + b[0], delta = b[1] - a[1];
        a[1] += delta * (b[0] / n);
        a[2] += b[2] + delta * delta * (a[0] * b[0] / n);
        a[0] = n;
        a[3] = b[3] < a[3] ? b[3] : a[3];
        a[4] = b[4] > a[4] ? b[4] : a[4];
    }
}

sheaf_status sh_feature_moments(const sheaf_ctx *ctx, const sheaf_frame *frame, const size_t *idx,
                                size_t n, const char *caller, double *out)
{
    moments_job job = {frame, idx, n};
    sheaf_status st = sheaf_exec_map_merge(ctx, frame->n_partitions, n * SH_MOMENTS, moments_map,
                                           moments_merge, &job, out);
    if (st != SHEAF_OK) return st;
    for (size_t j = 0; j < n; j++)
        if (out[j * SH_MOMENTS] == 0)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: column '%s' has no present value",
                           caller, frame->cols[idx[j]].name);
    return SHEAF_OK;
}
