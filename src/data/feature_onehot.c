/* feature_onehot.c - the one-hot encoder: a column of category indices
 * becomes one dense float64 indicator column per category.
 *
 * Mirrors Spark 3's OneHotEncoder (mllib/src/main/scala/org/apache/spark/
 * ml/feature/OneHotEncoder.scala): fit takes the number of categories as
 * the largest index + 1, requiring every index to be a non-negative integer
 * (OneHotEncoderCommon.getOutputAttrGroupFromData); transform puts a 1 in
 * the row's category, handleInvalid = "keep" sends every invalid value to
 * one extra category, and dropLast drops the last category (the extra one
 * under "keep"). Output is dense columns instead of Spark's sparse vector.
 * Per-partition (count, max) statistics are merged in partition order. */
#include "data/feature_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Spark's limit on category indices. */
#define MAX_INDEX 2147483647.0

typedef struct max_job {
    const sheaf_frame *in;
    const sh_column *col;
    sheaf_unseen policy;
} max_job;

static sheaf_status max_map(void *arg, size_t p, double *stats)
{
    const max_job *job = arg;
    double count = 0, hi = -1;
    for (size_t i = job->in->offsets[p]; i < job->in->offsets[p + 1]; i++) {
        double x = sh_feature_value(job->col, i);
        if (isnan(x)) {
            if (job->policy == SHEAF_UNSEEN_KEEP) continue;
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "sheaf_one_hot_encoder_fit: column '%s' has a missing value at row "
                           "%zu (policy error)",
                           job->col->name, i);
        }
        if (!(x >= 0 && x <= MAX_INDEX && x == floor(x)))
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "sheaf_one_hot_encoder_fit: column '%s' has %.17g at row %zu, not a "
                           "category index (a non-negative integer)",
                           job->col->name, x, i);
        count += 1;
        hi = x > hi ? x : hi;
    }
    stats[0] = count;
    stats[1] = hi;
    return SHEAF_OK;
}

static void max_merge(void *arg, double *acc, const double *src, size_t len)
{
    (void)arg;
    (void)len;
    acc[0] += src[0];
    acc[1] = src[1] > acc[1] ? src[1] : acc[1];
}

static sheaf_status index_column(const sheaf_frame *in, const char *name, const char *caller,
                                 size_t *c)
{
    sheaf_status st = sh_frame_find(in, name, caller, c);
    if (st != SHEAF_OK) return st;
    sheaf_type t = in->cols[*c].type;
    if (t != SHEAF_TYPE_FLOAT64 && t != SHEAF_TYPE_INT64)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: column '%s' is %s, not numeric category indices", caller, name,
                       sheaf_type_name(t));
    return SHEAF_OK;
}

sheaf_status sheaf_one_hot_encoder_fit(const sheaf_ctx *ctx, const sheaf_frame *in,
                                       const char *input, const char *output_prefix, int drop_last,
                                       sheaf_unseen policy, sheaf_stage **out)
{
    static const char caller[] = "sheaf_one_hot_encoder_fit";
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", caller);
    *out = NULL;
    if (!in || !input)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: frame or input is NULL", caller);
    if (policy != SHEAF_UNSEEN_ERROR && policy != SHEAF_UNSEEN_KEEP)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: policy %d is not supported (error or keep only)", caller, (int)policy);
    size_t c;
    sheaf_status st = index_column(in, input, caller, &c);
    if (st != SHEAF_OK) return st;
    max_job job = {in, &in->cols[c], policy};
    double stats[2];
    st = sheaf_exec_map_merge(ctx, in->n_partitions, 2, max_map, max_merge, &job, stats);
    if (st != SHEAF_OK) return st;
    if (stats[0] == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: column '%s' has no present value", caller,
                       input);
    sheaf_stage *s = NULL;
    if ((st = sh_stage_new(SHEAF_STAGE_ONE_HOT_ENCODER, &input, 1, caller, &s)) != SHEAF_OK)
        return st;
    if (!(s->output = sh_strdup(output_prefix ? output_prefix : input))) {
        sheaf_stage_free(s);
        return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
    }
    s->n_categories = (size_t)stats[1] + 1;
    s->drop_last = drop_last != 0;
    s->policy = policy;
    *out = s;
    return SHEAF_OK;
}

typedef struct encode_job {
    const sheaf_frame *in;
    const sh_column *col;
    const sheaf_stage *s;
    sh_column *outs;
    size_t n_out;
} encode_job;

static sheaf_status encode_task(void *arg, size_t p)
{
    const encode_job *job = arg;
    size_t begin = job->in->offsets[p], end = job->in->offsets[p + 1];
    for (size_t j = 0; j < job->n_out; j++)
        memset(job->outs[j].f64 + begin, 0, (end - begin) * sizeof(double));
    double size = (double)job->s->n_categories;
    for (size_t i = begin; i < end; i++) {
        double x = sh_feature_value(job->col, i);
        size_t k = job->s->n_categories; /* the extra category */
        if (x >= 0 && x < size && x == floor(x))
            k = (size_t)x;
        else if (job->s->policy == SHEAF_UNSEEN_ERROR)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "sheaf_stage_transform: one-hot encoder: column '%s' has %s%.17g at "
                           "row %zu, not a category index in [0, %zu) (policy error)",
                           job->col->name, isnan(x) ? "a missing value " : "", x, i,
                           job->s->n_categories);
        if (k < job->n_out) job->outs[k].f64[i] = 1.0;
    }
    return SHEAF_OK;
}

sheaf_status sh_onehot_transform(const sheaf_ctx *ctx, const sheaf_stage *s, const sheaf_frame *in,
                                 sheaf_frame **out)
{
    static const char caller[] = "sheaf_stage_transform";
    size_t c;
    sheaf_status st = index_column(in, s->columns[0], caller, &c);
    if (st != SHEAF_OK) return st;
    size_t n_out = s->n_categories + (s->policy == SHEAF_UNSEEN_KEEP) - (size_t)s->drop_last;
    sh_column *outs = sh_calloc(n_out ? n_out : 1, sizeof *outs);
    char *name = sh_malloc(strlen(s->output) + 24);
    if (!outs || !name) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu columns", caller, n_out);
        goto done;
    }
    for (size_t j = 0; j < n_out && st == SHEAF_OK; j++) {
        sprintf(name, "%s_%zu", s->output, j);
        st = sh_column_alloc(&outs[j], name, SHEAF_TYPE_FLOAT64, SHEAF_TIME_NS, in->n_rows, caller);
    }
    if (st != SHEAF_OK) goto done;
    encode_job job = {in, &in->cols[c], s, outs, n_out};
    if ((st = sheaf_exec_for(ctx, in->n_partitions, encode_task, &job)) != SHEAF_OK) goto done;
    for (size_t j = 0; j < n_out; j++)
        sh_column_settle_validity(&outs[j], in->n_rows);
    st = sh_feature_rebuild(in, NULL, outs, n_out, caller, out);
done:
    for (size_t j = 0; outs && j < n_out; j++)
        sh_column_clear(&outs[j]);
    sh_free(outs);
    sh_free(name);
    return st;
}
