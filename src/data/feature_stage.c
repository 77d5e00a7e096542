/* feature_stage.c - the fitted-stage object every Spark-style assembler
 * returns: construction, copy, destruction, the accessors of its learned
 * state, the transform dispatch, and two helpers the stages share (numeric
 * column lookup and the frame rebuild that replaces columns in place and
 * appends new ones while sharing every other column's buffers).
 *
 * The object follows Spark ML's split between an Estimator and the Model
 * its fit returns (Spark 3 org.apache.spark.ml.feature.*Model): the model is
 * the parameters plus the learned arrays, immutable once fitted. */
#include "data/feature_internal.h"

#include <string.h>

void sheaf_stage_free(sheaf_stage *s)
{
    if (!s) return;
    for (size_t j = 0; s->columns && j < s->n_columns; j++)
        sh_free(s->columns[j]);
    sh_free(s->columns);
    for (size_t i = 0; s->labels && i < s->n_labels; i++)
        sh_free(s->labels[i]);
    sh_free(s->labels);
    sh_free(s->output);
    sh_free(s->a);
    sh_free(s->b);
    sh_free(s->a_int);
    sh_free(s->is_int);
    sh_free(s->slots);
    sh_free(s);
}

sheaf_status sh_stage_new(sheaf_stage_kind kind, const char *const *columns, size_t n,
                          const char *caller, sheaf_stage **out)
{
    *out = NULL;
    if (!columns || n == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: no columns given", caller);
    for (size_t j = 0; j < n; j++) {
        if (!columns[j])
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: column name %zu is NULL", caller, j);
        for (size_t k = 0; k < j; k++)
            if (strcmp(columns[k], columns[j]) == 0)
                return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: column '%s' is named twice", caller,
                               columns[j]);
    }
    sheaf_stage *s = sh_calloc(1, sizeof *s);
    if (!s || !(s->columns = sh_calloc(n, sizeof *s->columns))) goto nomem;
    s->kind = kind;
    s->n_columns = n;
    for (size_t j = 0; j < n; j++)
        if (!(s->columns[j] = sh_strdup(columns[j]))) goto nomem;
    *out = s;
    return SHEAF_OK;
nomem:
    sheaf_stage_free(s);
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
}

static bool copy_doubles(double **dst, const double *src, size_t n)
{
    if (!src) return true;
    if (!(*dst = sh_malloc_array(n ? n : 1, sizeof **dst))) return false;
    memcpy(*dst, src, n * sizeof **dst);
    return true;
}

sheaf_status sheaf_stage_copy(const sheaf_stage *src, sheaf_stage **out)
{
    static const char caller[] = "sheaf_stage_copy";
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", caller);
    *out = NULL;
    if (!src) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: stage is NULL", caller);
    sheaf_stage *s = NULL;
    sheaf_status st =
        sh_stage_new(src->kind, (const char *const *)src->columns, src->n_columns, caller, &s);
    if (st != SHEAF_OK) return st;
    s->order = src->order;
    s->policy = src->policy;
    s->strategy = src->strategy;
    s->drop_last = src->drop_last;
    s->with_mean = src->with_mean;
    s->with_std = src->with_std;
    s->min = src->min;
    s->max = src->max;
    s->n_categories = src->n_categories;
    if (src->output && !(s->output = sh_strdup(src->output))) goto nomem;
    if (!copy_doubles(&s->a, src->a, src->n_columns) ||
        !copy_doubles(&s->b, src->b, src->n_columns))
        goto nomem;
    if (src->a_int) {
        s->a_int = sh_malloc_array(src->n_columns, sizeof *s->a_int);
        s->is_int = sh_malloc(src->n_columns);
        if (!s->a_int || !s->is_int) goto nomem;
        memcpy(s->a_int, src->a_int, src->n_columns * sizeof *s->a_int);
        memcpy(s->is_int, src->is_int, src->n_columns);
    }
    if (src->labels) {
        if (!(s->labels = sh_calloc(src->n_labels ? src->n_labels : 1, sizeof *s->labels)))
            goto nomem;
        s->n_labels = src->n_labels;
        for (size_t i = 0; i < src->n_labels; i++)
            if (!(s->labels[i] = sh_strdup(src->labels[i]))) goto nomem;
        if (sh_indexer_build_slots(s) != SHEAF_OK) goto nomem;
    }
    *out = s;
    return SHEAF_OK;
nomem:
    sheaf_stage_free(s);
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
}

sheaf_stage_kind sheaf_stage_kind_of(const sheaf_stage *s)
{
    return s ? s->kind : (sheaf_stage_kind)0;
}

size_t sheaf_stage_num_columns(const sheaf_stage *s) { return s ? s->n_columns : 0; }

const char *sheaf_stage_column(const sheaf_stage *s, size_t j)
{
    return s && j < s->n_columns ? s->columns[j] : NULL;
}

sheaf_status sheaf_stage_transform(const sheaf_ctx *ctx, const sheaf_stage *s,
                                   const sheaf_frame *in, sheaf_frame **out)
{
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_stage_transform: out is NULL");
    *out = NULL;
    if (!s || !in)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_stage_transform: stage or frame is NULL");
    switch (s->kind) {
    case SHEAF_STAGE_STRING_INDEXER: return sh_indexer_transform(ctx, s, in, out);
    case SHEAF_STAGE_ONE_HOT_ENCODER: return sh_onehot_transform(ctx, s, in, out);
    case SHEAF_STAGE_STANDARD_SCALER:
    case SHEAF_STAGE_MIN_MAX_SCALER: return sh_scaler_transform(ctx, s, in, out);
    case SHEAF_STAGE_IMPUTER: return sh_imputer_transform(ctx, s, in, out);
    }
    return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_stage_transform: unknown stage kind %d",
                   (int)s->kind);
}

/* ---- learned state ---------------------------------------------------------- */

static sheaf_status want_kind(const sheaf_stage *s, sheaf_stage_kind kind, const char *caller)
{
    if (!s) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: stage is NULL", caller);
    if (s->kind != kind)
        return sh_fail(SHEAF_ERR_MISUSE, "%s: the stage is of kind %d, not %d", caller,
                       (int)s->kind, (int)kind);
    return SHEAF_OK;
}

sheaf_status sheaf_string_indexer_num_labels(const sheaf_stage *s, size_t *n)
{
    sheaf_status st = want_kind(s, SHEAF_STAGE_STRING_INDEXER, "sheaf_string_indexer_num_labels");
    if (st == SHEAF_OK && n) *n = s->n_labels;
    return st;
}

const char *sheaf_string_indexer_label(const sheaf_stage *s, size_t i)
{
    if (!s || s->kind != SHEAF_STAGE_STRING_INDEXER || i >= s->n_labels) return NULL;
    return s->labels[i];
}

sheaf_status sheaf_one_hot_encoder_num_categories(const sheaf_stage *s, size_t *n)
{
    sheaf_status st =
        want_kind(s, SHEAF_STAGE_ONE_HOT_ENCODER, "sheaf_one_hot_encoder_num_categories");
    if (st == SHEAF_OK && n) *n = s->n_categories;
    return st;
}

static sheaf_status two_arrays(const sheaf_stage *s, sheaf_stage_kind kind, const char *caller,
                               const double **a, const double **b, size_t *n)
{
    sheaf_status st = want_kind(s, kind, caller);
    if (st != SHEAF_OK) return st;
    if (a) *a = s->a;
    if (b) *b = s->b;
    if (n) *n = s->n_columns;
    return SHEAF_OK;
}

sheaf_status sheaf_standard_scaler_stats(const sheaf_stage *s, const double **mean,
                                         const double **std, size_t *n)
{
    return two_arrays(s, SHEAF_STAGE_STANDARD_SCALER, "sheaf_standard_scaler_stats", mean, std, n);
}

sheaf_status sheaf_min_max_scaler_stats(const sheaf_stage *s, const double **emin,
                                        const double **emax, size_t *n)
{
    return two_arrays(s, SHEAF_STAGE_MIN_MAX_SCALER, "sheaf_min_max_scaler_stats", emin, emax, n);
}

sheaf_status sheaf_imputer_surrogates(const sheaf_stage *s, const double **values, size_t *n)
{
    return two_arrays(s, SHEAF_STAGE_IMPUTER, "sheaf_imputer_surrogates", values, NULL, n);
}

/* ---- shared helpers ------------------------------------------------------------ */

sheaf_status sh_feature_numeric_columns(const sheaf_frame *frame, const char *const *names,
                                        size_t n, const char *caller, size_t *idx)
{
    for (size_t j = 0; j < n; j++) {
        sheaf_status st = sh_frame_find(frame, names[j], caller, &idx[j]);
        if (st != SHEAF_OK) return st;
        sheaf_type t = frame->cols[idx[j]].type;
        if (t != SHEAF_TYPE_FLOAT64 && t != SHEAF_TYPE_INT64)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: column '%s' is %s, not numeric (float64 or int64)", caller,
                           names[j], sheaf_type_name(t));
    }
    return SHEAF_OK;
}

static bool in_layout(const sh_layout *l, const char *name)
{
    if (!l->keys) return false;
    for (size_t k = 0; k < l->n_keys; k++)
        if (strcmp(l->keys[k], name) == 0) return true;
    return l->time && strcmp(l->time, name) == 0;
}

sheaf_status sh_feature_rebuild(const sheaf_frame *in, sh_column *repl, sh_column *extra,
                                size_t n_extra, const char *caller, sheaf_frame **out)
{
    sheaf_frame *f = NULL;
    sheaf_status st = sh_frame_clone(in, caller, &f);
    if (st != SHEAF_OK) goto done;
    for (size_t i = 0; repl && i < in->n_cols; i++) {
        if (!repl[i].name) continue;
        if (!repl[i].refs) {
            if (!(repl[i].refs = sh_malloc(sizeof *repl[i].refs))) {
                st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
                goto done;
            }
            *repl[i].refs = 1;
        }
        if (in_layout(&f->layout, repl[i].name)) sh_layout_clear(&f->layout);
        sh_column_clear(&f->cols[i]);
        f->cols[i] = repl[i];
        memset(&repl[i], 0, sizeof repl[i]);
    }
    for (size_t k = 0; k < n_extra; k++)
        if ((st = sh_frame_take_column(f, &extra[k], in->n_rows, caller)) != SHEAF_OK) goto done;
done:
    for (size_t i = 0; repl && i < in->n_cols; i++)
        if (repl[i].name) sh_column_clear(&repl[i]);
    for (size_t k = 0; k < n_extra; k++)
        sh_column_clear(&extra[k]);
    if (st != SHEAF_OK) {
        sheaf_frame_free(f);
        f = NULL;
    }
    *out = f;
    return st;
}
