/* granger_by_key.c - Granger matrices of many independent panels, a grouped
 * map (DESIGN.md): the frame is laid out by key and time (the window
 * layout of src/data, reusing the key runs a partitioned frame carries),
 * each partition's panels are tested in parallel - each with one serial
 * factor, so the numbers do not depend on thread or partition counts - and
 * the rows are written at fixed offsets, so they come out in key order. A
 * panel that fails records its status and message in its own rows; only a
 * bad call or exhausted memory fails the batch. */
#include "data/window_internal.h"
#include "timeseries/granger_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char fn[] = "sheaf_granger_by_key";

/* The columns every output has after the keys. */
static const char *const OUT_NAMES[] = {
    "caused",   "causing",         "lag", "nobs", "statistic", "pvalue", "df_num",
    "df_denom", "pvalue_adjusted", "aic", "bic",  "status",    "error"};
#define N_OUT_NAMES (sizeof OUT_NAMES / sizeof OUT_NAMES[0])

/* The output rows, filled in place by the tasks. */
typedef struct rows {
    int64_t *lag, *nobs;
    uint8_t *lag_valid, *nobs_valid;
    double *stat, *pv, *df_num, *df_denom, *pv_adj, *aic, *bic;
} rows;

typedef struct by_key_job {
    const sh_window_layout *l;
    const sh_granger_plan *plan;
    const sh_column **cols; /* the k value columns */
    const char *const *names;
    size_t k, per_panel; /* rows per panel: k (k - 1) n_out */
    rows out;
    sheaf_status *status; /* per panel */
    char **message;       /* per panel, NULL when it worked */
} by_key_job;

/* Panel rows [b, e) as a row-major (e - b) x k array; a missing or
 * non-finite value is a panel failure naming the column and the row. */
static sheaf_status gather(const by_key_job *job, size_t b, size_t e, double *y)
{
    size_t k = job->k;
    for (size_t c = 0; c < k; c++) {
        const sh_column *col = job->cols[c];
        for (size_t t = b; t < e; t++) {
            double v = col->type == SHEAF_TYPE_FLOAT64 ? col->f64[t]
                       : col->valid && !col->valid[t]  ? NAN
                                                       : (double)col->i64[t];
            if (!isfinite(v))
                return sh_fail(SHEAF_ERR_NONFINITE, "%s: column '%s' at row %zu of the panel is %s",
                               fn, job->names[c], t - b, v != v ? "missing or nan" : "infinite");
            y[(t - b) * k + c] = v;
        }
    }
    return SHEAF_OK;
}

/* Writes panel s's rows from its entries (ok) or as a failure. */
static void write_panel(const by_key_job *job, size_t s, const sheaf_granger_entry *ent, int ok)
{
    size_t k = job->k, n_out = job->plan->n_out, at = s * job->per_panel;
    const rows *o = &job->out;
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < k; j++) {
            if (i == j) continue;
            for (size_t q = 0; q < n_out; q++, at++) {
                const sheaf_granger_entry *e = ent + (i * k + j) * n_out + q;
                int lag_known = ok || job->plan->opts.ic == SHEAF_GRANGER_IC_NONE;
                o->lag[at] = lag_known ? (int64_t)(ok ? e->lag : job->plan->lags[q]) : 0;
                o->lag_valid[at] = (uint8_t)lag_known;
                o->nobs[at] = ok ? (int64_t)e->nobs : 0;
                o->nobs_valid[at] = (uint8_t)ok;
                o->stat[at] = ok ? e->statistic : NAN;
                o->pv[at] = ok ? e->pvalue : NAN;
                o->df_num[at] = ok ? e->df_num : NAN;
                o->df_denom[at] = ok ? e->df_denom : NAN;
                o->pv_adj[at] = ok ? e->pvalue_adjusted : NAN;
                o->aic[at] = ok ? e->aic : NAN;
                o->bic[at] = ok ? e->bic : NAN;
            }
        }
}

/* Task: the panels of partition p, one after the other, on a private
 * one-thread, one-partition context. */
static sheaf_status partition_task(void *arg, size_t p)
{
    const by_key_job *job = arg;
    const sh_series *series = job->l->series;
    size_t first, last, k = job->k;
    sh_window_partition_series(job->l, p, &first, &last);
    if (first == last) return SHEAF_OK;
    sheaf_ctx *ctx = NULL;
    double *y = sh_malloc_array(job->l->longest * k, sizeof(double));
    sheaf_granger_entry *ent = sh_malloc_array(k * k * job->plan->n_out, sizeof *ent);
    sheaf_status st = sheaf_ctx_create(&ctx);
    if (st == SHEAF_OK) st = sheaf_ctx_set_threads(ctx, 1);
    if (st == SHEAF_OK) st = sheaf_ctx_set_partitions(ctx, 1);
    if (st == SHEAF_OK && (!y || !ent))
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for a panel of %zu rows", fn,
                     job->l->longest);
    for (size_t s = first; s < last && st == SHEAF_OK; s++) {
        size_t b = series->starts[s], e = series->starts[s + 1];
        sheaf_status ps = gather(job, b, e, y);
        if (ps == SHEAF_OK)
            ps = sh_granger_run(ctx, y, e - b, k, k, job->plan, job->names, fn, ent);
        job->status[s] = ps;
        if (ps == SHEAF_ERR_NOMEM || ps == SHEAF_ERR_INTERNAL) {
            st = ps; /* not the panel's fault: the batch fails */
            break;
        }
        if (ps != SHEAF_OK) {
            char msg[SH_ERROR_CAPACITY];
            sh_copy_error(msg);
            sh_clear_error();
            if (!(job->message[s] = sh_strdup(msg))) {
                st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for a panel's message", fn);
                break;
            }
        }
        write_panel(job, s, ent, ps == SHEAF_OK);
    }
    sheaf_ctx_free(ctx);
    sh_free(y);
    sh_free(ent);
    return st;
}

/* The output frame: key columns, then the OUT_NAMES columns. */
static sheaf_status assemble(const by_key_job *job, const char *const *keys, size_t n_keys,
                             sheaf_frame **out)
{
    const sh_series *series = job->l->series;
    size_t per = job->per_panel, n = series->n_series * per, k = job->k;
    size_t n_out = job->plan->n_out;
    sheaf_frame *f = NULL;
    const char **text = sh_malloc_array(n ? n : 1, sizeof(char *));
    sheaf_status st = text ? sheaf_frame_create(&f)
                           : sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu rows", fn, n);
    for (size_t c = 0; c < n_keys && st == SHEAF_OK; c++) {
        size_t idx;
        sh_frame_find(job->l->frame, keys[c], fn, &idx);
        st = sh_window_add_key_column(f, &job->l->frame->cols[idx], series, per, n, fn);
    }
    for (int side = 0; side < 2 && st == SHEAF_OK; side++) {
        for (size_t s = 0, r = 0; s < series->n_series; s++)
            for (size_t i = 0; i < k; i++)
                for (size_t j = 0; j < k; j++)
                    for (size_t q = 0; q < n_out && i != j; q++)
                        text[r++] = job->names[side == 0 ? i : j];
        st = sheaf_frame_add_string(f, OUT_NAMES[side], text, n);
    }
    const rows *o = &job->out;
    if (st == SHEAF_OK) st = sheaf_frame_add_int64(f, "lag", o->lag, o->lag_valid, n);
    if (st == SHEAF_OK) st = sheaf_frame_add_int64(f, "nobs", o->nobs, o->nobs_valid, n);
    const double *num[] = {o->stat, o->pv, o->df_num, o->df_denom, o->pv_adj, o->aic, o->bic};
    for (size_t c = 0; c < 7 && st == SHEAF_OK; c++)
        st = sheaf_frame_add_float64(f, OUT_NAMES[4 + c], num[c], NULL, n);
    for (int which = 0; which < 2 && st == SHEAF_OK; which++) {
        for (size_t s = 0; s < series->n_series; s++)
            for (size_t r = s * per; r < (s + 1) * per; r++)
                text[r] = which == 0 ? sheaf_status_name(job->status[s]) : job->message[s];
        st = sheaf_frame_add_string(f, OUT_NAMES[11 + which], text, n);
    }
    sh_free(text);
    if (st != SHEAF_OK) {
        sheaf_frame_free(f);
        f = NULL;
    }
    *out = f;
    return st;
}

static sheaf_status check_call(const sheaf_frame *in, const char *const *keys, size_t n_keys,
                               const char *const *columns, size_t n_columns, sheaf_frame **out)
{
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", fn);
    *out = NULL;
    if (!in) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: the frame is NULL", fn);
    if (n_keys == 0 || !keys)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: no key columns (sheaf_granger_entries tests one panel)", fn);
    if (!columns || n_columns < 2)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %zu value columns (need 2 or more)", fn,
                       columns ? n_columns : 0);
    for (size_t c = 0; c < n_columns; c++) {
        size_t idx;
        if (!columns[c])
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: columns[%zu] is NULL", fn, c);
        sheaf_status st = sh_frame_find(in, columns[c], fn, &idx);
        if (st != SHEAF_OK) return st;
        sheaf_type t = in->cols[idx].type;
        if (t != SHEAF_TYPE_FLOAT64 && t != SHEAF_TYPE_INT64)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: column '%s' is %s; the series must be float64 or int64", fn,
                           columns[c], sheaf_type_name(t));
    }
    for (size_t a = 0; a < n_keys; a++)
        for (size_t b = 0; keys[a] && b < N_OUT_NAMES; b++)
            if (strcmp(keys[a], OUT_NAMES[b]) == 0)
                return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                               "%s: key column '%s' has the name of an output column (rename it)",
                               fn, keys[a]);
    return SHEAF_OK;
}

sheaf_status sheaf_granger_by_key(const sheaf_ctx *ctx, const sheaf_frame *in,
                                  const char *const *keys, size_t n_keys, const char *time,
                                  const char *const *columns, size_t n_columns,
                                  const sheaf_granger_options *opts, sheaf_frame **out)
{
    sh_granger_plan plan;
    sh_window_layout l;
    memset(&plan, 0, sizeof plan);
    memset(&l, 0, sizeof l);
    by_key_job job;
    memset(&job, 0, sizeof job);
    size_t n_series = 0;
    sheaf_status st = check_call(in, keys, n_keys, columns, n_columns, out);
    if (st == SHEAF_OK) st = sh_granger_plan_make(opts, fn, &plan);
    if (st == SHEAF_OK) st = sh_window_layout_make(ctx, in, keys, n_keys, time, fn, &l);
    if (st != SHEAF_OK) goto done;
    n_series = l.series->n_series;
    size_t k = n_columns, per = k * (k - 1) * plan.n_out, n = n_series * per, m = n ? n : 1;
    job = (by_key_job){.l = &l, .plan = &plan, .names = columns, .k = k, .per_panel = per};
    job.cols = sh_malloc_array(k, sizeof *job.cols);
    job.status = sh_calloc(n_series ? n_series : 1, sizeof *job.status);
    job.message = sh_calloc(n_series ? n_series : 1, sizeof *job.message);
    rows *o = &job.out;
    o->lag = sh_malloc_array(m, sizeof(int64_t));
    o->nobs = sh_malloc_array(m, sizeof(int64_t));
    o->lag_valid = sh_malloc(m);
    o->nobs_valid = sh_malloc(m);
    double **num[] = {&o->stat, &o->pv, &o->df_num, &o->df_denom, &o->pv_adj, &o->aic, &o->bic};
    int missing = !job.cols || !job.status || !job.message || !o->lag || !o->nobs ||
                  !o->lag_valid || !o->nobs_valid;
    for (size_t c = 0; c < 7; c++)
        missing |= !(*num[c] = sh_malloc_array(m, sizeof(double)));
    if (missing) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu result rows", fn, n);
        goto done;
    }
    for (size_t c = 0; c < k; c++) {
        size_t idx;
        sh_frame_find(l.frame, columns[c], fn, &idx);
        job.cols[c] = &l.frame->cols[idx];
    }
    st = sheaf_exec_for(ctx, l.frame->n_partitions, partition_task, &job);
    if (st == SHEAF_OK) st = assemble(&job, keys, n_keys, out);
done:
    for (size_t s = 0; job.message && s < n_series; s++)
        sh_free(job.message[s]);
    sh_free(job.message);
    sh_free(job.status);
    sh_free(job.cols);
    sh_free(job.out.lag);
    sh_free(job.out.nobs);
    sh_free(job.out.lag_valid);
    sh_free(job.out.nobs_valid);
    sh_free(job.out.stat);
    sh_free(job.out.pv);
    sh_free(job.out.df_num);
    sh_free(job.out.df_denom);
    sh_free(job.out.pv_adj);
    sh_free(job.out.aic);
    sh_free(job.out.bic);
    sh_window_layout_clear(&l);
    sh_granger_plan_clear(&plan);
    return st;
}
