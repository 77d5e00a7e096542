/* feature_scaler.c - the standard scaler and the min-max scaler: fit from
 * merged per-column moments (feature_moments.c), transform column by column
 * in place under the same name.
 *
 * Mirrors Spark 3's StandardScalerModel (shift by the mean, then multiply by
 * 1/std, with a zero std giving a zero factor; std is the unbiased sample
 * standard deviation, 0 for a single value) and MinMaxScalerModel
 * ((x - Emin) * ((max - min) / (Emax - Emin)) + min, a constant column
 * mapped to 0.5 * (max - min) + min; NaN stays NaN), from
 * mllib/src/main/scala/org/apache/spark/ml/feature/{StandardScaler,
 * MinMaxScaler}.scala. */
#include "data/feature_internal.h"

#include <math.h>

static sheaf_status fit_moments(const sheaf_ctx *ctx, const sheaf_frame *in,
                                const char *const *columns, size_t n, sheaf_stage_kind kind,
                                const char *caller, sheaf_stage **out, double **moments)
{
    if (!in) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: frame is NULL", caller);
    size_t *idx = NULL;
    sheaf_stage *s = NULL;
    sheaf_status st = sh_stage_new(kind, columns, n, caller, &s);
    if (st != SHEAF_OK) goto done;
    idx = sh_malloc_array(n, sizeof *idx);
    *moments = sh_malloc_array(n, SH_MOMENTS * sizeof **moments);
    s->a = sh_calloc(n, sizeof *s->a);
    s->b = sh_calloc(n, sizeof *s->b);
    if (!idx || !*moments || !s->a || !s->b) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
        goto done;
    }
    if ((st = sh_feature_numeric_columns(in, columns, n, caller, idx)) != SHEAF_OK) goto done;
    st = sh_feature_moments(ctx, in, idx, n, caller, *moments);
done:
    sh_free(idx);
    if (st != SHEAF_OK) {
        sheaf_stage_free(s);
        sh_free(*moments);
        *moments = NULL;
        s = NULL;
    }
    *out = s;
    return st;
}

sheaf_status sheaf_standard_scaler_fit(const sheaf_ctx *ctx, const sheaf_frame *in,
                                       const char *const *columns, size_t n, int with_mean,
                                       int with_std, sheaf_stage **out)
{
    static const char caller[] = "sheaf_standard_scaler_fit";
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", caller);
    double *m = NULL;
    sheaf_status st =
        fit_moments(ctx, in, columns, n, SHEAF_STAGE_STANDARD_SCALER, caller, out, &m);
    if (st != SHEAF_OK) return st;
    sheaf_stage *s = *out;
    s->with_mean = with_mean != 0;
    s->with_std = with_std != 0;
    for (size_t j = 0; j < n; j++) {
        const double *mj = m + j * SH_MOMENTS;
        s->a[j] = mj[1];
        s->b[j] = mj[0] > 1 ? sqrt(mj[2] / (mj[0] - 1)) : 0.0;
    }
    sh_free(m);
    return SHEAF_OK;
}

sheaf_status sheaf_min_max_scaler_fit(const sheaf_ctx *ctx, const sheaf_frame *in,
                                      const char *const *columns, size_t n, double min, double max,
                                      sheaf_stage **out)
{
    static const char caller[] = "sheaf_min_max_scaler_fit";
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", caller);
    *out = NULL;
    if (!(min < max) || !isfinite(min) || !isfinite(max))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: min (%g) must be below max (%g), both finite", caller, min, max);
    double *m = NULL;
    sheaf_status st = fit_moments(ctx, in, columns, n, SHEAF_STAGE_MIN_MAX_SCALER, caller, out, &m);
    if (st != SHEAF_OK) return st;
    sheaf_stage *s = *out;
    s->min = min;
    s->max = max;
    for (size_t j = 0; j < n; j++) {
        s->a[j] = m[j * SH_MOMENTS + 3];
        s->b[j] = m[j * SH_MOMENTS + 4];
    }
    sh_free(m);
    return SHEAF_OK;
}

/* out = (x - shift) * scale + add for present x, NaN otherwise: both
 * scalers are this affine map with their own constants. */
typedef struct affine {
    double shift, scale, add;
} affine;

typedef struct scale_job {
    const sheaf_frame *in;
    const size_t *idx;
    const affine *maps;
    sh_column *outs;
    size_t n;
} scale_job;

static sheaf_status scale_task(void *arg, size_t p)
{
    const scale_job *job = arg;
    size_t begin = job->in->offsets[p], end = job->in->offsets[p + 1];
    for (size_t j = 0; j < job->n; j++) {
        const sh_column *c = &job->in->cols[job->idx[j]];
        double *y = job->outs[j].f64;
        uint8_t *ok = job->outs[j].valid;
        const affine m = job->maps[j];
        for (size_t i = begin; i < end; i++) {
            double x = sh_feature_value(c, i);
            double v = (x - m.shift) * m.scale + m.add;
            y[i] = isnan(x) ? NAN : v;
            ok[i] = !isnan(y[i]);
        }
    }
    return SHEAF_OK;
}

static affine affine_of(const sheaf_stage *s, size_t j)
{
    affine m = {0, 1, 0};
    if (s->kind == SHEAF_STAGE_STANDARD_SCALER) {
        if (s->with_mean) m.shift = s->a[j];
        if (s->with_std) m.scale = s->b[j] != 0 ? 1.0 / s->b[j] : 0.0;
        return m;
    }
    double range = s->b[j] - s->a[j], span = s->max - s->min;
    if (range != 0) {
        m.shift = s->a[j];
        m.scale = span / range;
        m.add = s->min;
    } else { /* Spark: a constant column goes to the middle of the range */
        m.scale = 0;
        m.add = 0.5 * span + s->min;
    }
    return m;
}

sheaf_status sh_scaler_transform(const sheaf_ctx *ctx, const sheaf_stage *s, const sheaf_frame *in,
                                 sheaf_frame **out)
{
    static const char caller[] = "sheaf_stage_transform";
    size_t n = s->n_columns;
    size_t *idx = sh_malloc_array(n, sizeof *idx);
    affine *maps = sh_malloc_array(n, sizeof *maps);
    sh_column *repl = sh_calloc(in->n_cols ? in->n_cols : 1, sizeof *repl);
    sh_column *outs = sh_calloc(n, sizeof *outs);
    sheaf_status st = SHEAF_OK;
    if (!idx || !maps || !repl || !outs) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
        goto done;
    }
    st = sh_feature_numeric_columns(in, (const char *const *)s->columns, n, caller, idx);
    for (size_t j = 0; st == SHEAF_OK && j < n; j++) {
        maps[j] = affine_of(s, j);
        st = sh_column_alloc(&outs[j], s->columns[j], SHEAF_TYPE_FLOAT64, SHEAF_TIME_NS, in->n_rows,
                             caller);
    }
    if (st != SHEAF_OK) goto done;
    scale_job job = {in, idx, maps, outs, n};
    if ((st = sheaf_exec_for(ctx, in->n_partitions, scale_task, &job)) != SHEAF_OK) goto done;
    for (size_t j = 0; j < n; j++) {
        sh_column_settle_validity(&outs[j], in->n_rows);
        repl[idx[j]] = outs[j];
        outs[j] = (sh_column){0};
    }
    st = sh_feature_rebuild(in, repl, NULL, 0, caller, out);
done:
    for (size_t j = 0; outs && j < n; j++)
        sh_column_clear(&outs[j]);
    sh_free(idx);
    sh_free(maps);
    sh_free(repl);
    sh_free(outs);
    return st;
}
