/* arima_many.c - one ARIMA fit per key of a frame, a grouped map
 * (DESIGN.md): the frame is laid out by key and time (the window layout of
 * src/data), partitions run in parallel, each key is fitted serially on
 * its partition's thread, and the results are written at the key's fixed
 * row, so the output does not depend on thread or partition counts. A key
 * that fails (too short, constant, non-finite) keeps its row with its
 * status and message; only a bad call or exhausted memory fails the batch. */
#include "data/window_internal.h"
#include "timeseries/arima_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char fn[] = "sheaf_arima_fit_many";

/* Integer columns after the keys, then the float columns after the
 * parameters. */
static const char *const INT_NAMES[] = {"p", "d", "q", "P", "D", "Q", "s"};
#define N_INT 7
static const char *const STAT_NAMES[] = {"llf", "aic", "aicc", "bic"};
#define N_STAT 4
static const char *const COUNT_NAMES[] = {"nobs", "iterations", "converged"};
#define N_COUNT 3
static const char *const FC_NAMES[] = {"mean", "se", "lower", "upper"};

sheaf_arima_many_options sheaf_arima_many_options_default(void)
{
    sheaf_arima_many_options o;
    memset(&o, 0, sizeof o);
    o.spec = sheaf_arima_spec_default();
    o.fit = sheaf_arima_fit_options_default();
    o.auto_opts = sheaf_auto_arima_options_default();
    o.alpha = 0.05;
    return o;
}

/* The parameter columns: the spec's names, or with auto_order those of the
 * largest orders allowed with both a constant and a drift. */
typedef struct param_cols {
    size_t n;
    char (*name)[24];
} param_cols;

static sheaf_status make_param_cols(const sheaf_arima_many_options *o, param_cols *pc)
{
    sheaf_arima_spec s = o->spec;
    if (o->auto_order) {
        const sheaf_auto_arima_options *a = &o->auto_opts;
        s = sheaf_arima_spec_default();
        s.p = a->max_p, s.q = a->max_q, s.trend = SHEAF_ARIMA_TREND_CT;
        if (a->seasonal && a->m > 1) s.P = a->max_P, s.Q = a->max_Q, s.s = a->m;
    }
    sh_arima_dims d;
    sheaf_status st = sh_arima_dims_init(fn, &s, 0, &d);
    if (st != SHEAF_OK) return st;
    pc->n = d.np;
    pc->name = sh_malloc_array(d.np, sizeof *pc->name);
    if (!pc->name) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for column names", fn);
    for (size_t i = 0; i < d.np; i++)
        sheaf_arima_param_name(&s, 0, i, pc->name[i], sizeof pc->name[i]);
    if (o->auto_order && d.ktr == 2) snprintf(pc->name[1], sizeof pc->name[1], "drift");
    return SHEAF_OK;
}

typedef struct many_job {
    const sh_window_layout *l;
    const sh_column *col;
    const sheaf_arima_many_options *o;
    const param_cols *pc;
    size_t n_dbl; /* doubles per key: parameters, statistics, forecasts */
    double *dbl;
    int64_t *ints; /* N_INT + N_COUNT per key */
    uint8_t *ok;   /* per key */
    int *trend;    /* per key */
    sheaf_status *status;
    char **message;
} many_job;

/* The column of model parameter i in the output. */
static size_t column_of(const many_job *job, const sheaf_arima *m, size_t i)
{
    char name[24];
    sheaf_arima_spec s = sheaf_arima_get_spec(m);
    sheaf_arima_param_name(&s, 0, i, name, sizeof name);
    if (job->o->auto_order && strcmp(name, "x1") == 0) snprintf(name, sizeof name, "drift");
    for (size_t c = 0; c < job->pc->n; c++)
        if (strcmp(job->pc->name[c], name) == 0) return c;
    return job->pc->n; /* not reached: the columns cover every allowed model */
}

static void write_key(many_job *job, size_t s, const sheaf_arima *m, const double *fc)
{
    double *row = job->dbl + s * job->n_dbl;
    int64_t *ir = job->ints + s * (N_INT + N_COUNT);
    size_t np = job->pc->n, h = job->o->horizon;
    for (size_t c = 0; c < job->n_dbl; c++)
        row[c] = NAN;
    if (!m) return;
    sheaf_arima_spec sp = sheaf_arima_get_spec(m);
    sheaf_arima_info info;
    sheaf_arima_get_info(m, &info);
    double params[info.n_params];
    sheaf_arima_params(m, params, NULL);
    for (size_t i = 0; i < info.n_params; i++) {
        size_t c = column_of(job, m, i);
        if (c < np) row[c] = params[i];
    }
    const double stats[N_STAT] = {info.llf, info.aic, info.aicc, info.bic};
    memcpy(row + np, stats, sizeof stats);
    if (fc) memcpy(row + np + N_STAT, fc, 4 * h * sizeof(double));
    const size_t orders[N_INT] = {sp.p, sp.d, sp.q, sp.P, sp.D, sp.Q, sp.s};
    for (size_t c = 0; c < N_INT; c++)
        ir[c] = (int64_t)orders[c];
    ir[N_INT] = (int64_t)info.nobs_effective;
    ir[N_INT + 1] = (int64_t)info.iterations;
    ir[N_INT + 2] = info.converged;
    job->trend[s] = (int)sp.trend;
    job->ok[s] = 1;
}

/* Fits key s from rows [b, e) of the value column. */
static sheaf_status fit_key(many_job *job, size_t s, size_t b, size_t e, double *y, double *fc)
{
    const sh_column *col = job->col;
    const sheaf_arima_many_options *o = job->o;
    for (size_t t = b; t < e; t++)
        y[t - b] = col->type == SHEAF_TYPE_FLOAT64 ? col->f64[t]
                   : col->valid && !col->valid[t]  ? NAN
                                                   : (double)col->i64[t];
    sheaf_arima *m = NULL;
    sheaf_status st = o->auto_order
                          ? sheaf_auto_arima(NULL, y, e - b, &o->auto_opts, &m)
                          : sheaf_arima_fit(NULL, y, e - b, NULL, 0, 0, &o->spec, &o->fit, &m);
    size_t h = o->horizon;
    if (st == SHEAF_OK && h > 0) {
        st = sheaf_arima_forecast(m, h, NULL, 0, o->alpha, fc, fc + h, fc + 2 * h, fc + 3 * h);
        /* a CSS fit outside the stationary region has a model but no forecasts */
        if (st == SHEAF_ERR_UNSUPPORTED) {
            for (size_t i = 0; i < 4 * h; i++)
                fc[i] = NAN;
            sh_clear_error();
            st = SHEAF_OK;
        }
    }
    job->status[s] = st;
    write_key(job, s, st == SHEAF_OK ? m : NULL, fc);
    sheaf_arima_free(m);
    return st;
}

static sheaf_status partition_task(void *arg, size_t p)
{
    many_job *job = arg;
    const sh_series *series = job->l->series;
    size_t first, last, h = job->o->horizon;
    sh_window_partition_series(job->l, p, &first, &last);
    if (first == last) return SHEAF_OK;
    double *y = sh_malloc_array(job->l->longest ? job->l->longest : 1, sizeof(double));
    double *fc = sh_malloc_array(4 * h + 1, sizeof(double));
    sheaf_status st = SHEAF_OK;
    if (!y || !fc)
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for a series of %zu rows", fn,
                     job->l->longest);
    for (size_t s = first; s < last && st == SHEAF_OK; s++) {
        sheaf_status ks = fit_key(job, s, series->starts[s], series->starts[s + 1], y, fc);
        if (ks == SHEAF_ERR_NOMEM || ks == SHEAF_ERR_INTERNAL)
            st = ks; /* not the key's fault */
        else if (ks != SHEAF_OK) {
            char msg[SH_ERROR_CAPACITY];
            sh_copy_error(msg);
            sh_clear_error();
            if (!(job->message[s] = sh_strdup(msg)))
                st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for a key's message", fn);
        }
    }
    sh_free(y);
    sh_free(fc);
    return st;
}

/* Column c of the per-key double block as a float64 column. */
static sheaf_status add_dbl(sheaf_frame *f, const many_job *job, size_t c, const char *name,
                            double *buf, size_t n)
{
    for (size_t s = 0; s < n; s++)
        buf[s] = job->dbl[s * job->n_dbl + c];
    return sheaf_frame_add_float64(f, name, buf, NULL, n);
}

static sheaf_status assemble(const many_job *job, const char *const *keys, size_t n_keys,
                             sheaf_frame **out)
{
    static const char *const TREND_NAMES[] = {"n", "c", "t", "ct", "t2"};
    const sh_series *series = job->l->series;
    size_t n = series->n_series, m = n ? n : 1, np = job->pc->n, h = job->o->horizon;
    sheaf_frame *f = NULL;
    double *buf = sh_malloc_array(m, sizeof(double));
    int64_t *ibuf = sh_malloc_array(m, sizeof(int64_t));
    const char **text = sh_malloc_array(m, sizeof(char *));
    sheaf_status st = buf && ibuf && text ? sheaf_frame_create(&f)
                                          : sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", fn);
    for (size_t c = 0; c < n_keys && st == SHEAF_OK; c++) {
        size_t idx;
        sh_frame_find(job->l->frame, keys[c], fn, &idx);
        st = sh_window_add_key_column(f, &job->l->frame->cols[idx], series, 1, n, fn);
    }
    for (size_t c = 0; c < N_INT + N_COUNT && st == SHEAF_OK; c++) {
        for (size_t s = 0; s < n; s++)
            ibuf[s] = job->ints[s * (N_INT + N_COUNT) + c];
        if (c == N_INT) { /* the trend sits between the orders and the parameters */
            for (size_t s = 0; s < n; s++)
                text[s] = job->ok[s] ? TREND_NAMES[job->trend[s]] : NULL;
            st = sheaf_frame_add_string(f, "trend", text, n);
            for (size_t i = 0; i < np && st == SHEAF_OK; i++)
                st = add_dbl(f, job, i, job->pc->name[i], buf, n);
            for (size_t i = 0; i < N_STAT && st == SHEAF_OK; i++)
                st = add_dbl(f, job, np + i, STAT_NAMES[i], buf, n);
            if (st != SHEAF_OK) break;
        }
        const char *name = c < N_INT ? INT_NAMES[c] : COUNT_NAMES[c - N_INT];
        st = sheaf_frame_add_int64(f, name, ibuf, job->ok, n);
    }
    for (size_t k = 0; k < 4 && st == SHEAF_OK; k++)
        for (size_t i = 0; i < h && st == SHEAF_OK; i++) {
            char name[48];
            snprintf(name, sizeof name, "%s_%zu", FC_NAMES[k], i + 1);
            st = add_dbl(f, job, np + N_STAT + k * h + i, name, buf, n);
        }
    for (int which = 0; which < 2 && st == SHEAF_OK; which++) {
        for (size_t s = 0; s < n; s++)
            text[s] = which == 0 ? sheaf_status_name(job->status[s]) : job->message[s];
        st = sheaf_frame_add_string(f, which == 0 ? "status" : "error", text, n);
    }
    sh_free(buf);
    sh_free(ibuf);
    sh_free(text);
    if (st != SHEAF_OK) {
        sheaf_frame_free(f);
        f = NULL;
    }
    *out = f;
    return st;
}

static sheaf_status check_call(const sheaf_frame *in, const char *const *keys, size_t n_keys,
                               const char *value, const sheaf_arima_many_options *o,
                               sheaf_frame **out)
{
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", fn);
    *out = NULL;
    if (!in) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: the frame is NULL", fn);
    if (!o) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: opts is NULL", fn);
    if (n_keys == 0 || !keys)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: no key columns (sheaf_arima_fit fits one series)", fn);
    if (!value) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: value column is NULL", fn);
    size_t idx;
    sheaf_status st = sh_frame_find(in, value, fn, &idx);
    if (st != SHEAF_OK) return st;
    sheaf_type t = in->cols[idx].type;
    if (t != SHEAF_TYPE_FLOAT64 && t != SHEAF_TYPE_INT64)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: column '%s' is %s; the series must be float64 or int64", fn, value,
                       sheaf_type_name(t));
    if (o->horizon > 10000)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: horizon=%zu (at most 10000)", fn,
                       o->horizon);
    if (o->horizon > 0 && !(o->alpha > 0.0 && o->alpha < 1.0))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: alpha=%g (needs 0 < alpha < 1)", fn,
                       o->alpha);
    if (!o->auto_order) {
        sh_arima_dims d;
        if ((st = sh_arima_dims_init(fn, &o->spec, 0, &d)) != SHEAF_OK) return st;
    }
    return SHEAF_OK;
}

sheaf_status sheaf_arima_fit_many(const sheaf_ctx *ctx, const sheaf_frame *in,
                                  const char *const *keys, size_t n_keys, const char *time,
                                  const char *value, const sheaf_arima_many_options *opts,
                                  sheaf_frame **out)
{
    sh_window_layout l;
    memset(&l, 0, sizeof l);
    param_cols pc = {0, NULL};
    many_job job;
    memset(&job, 0, sizeof job);
    size_t n = 0;
    sheaf_status st = check_call(in, keys, n_keys, value, opts, out);
    if (st == SHEAF_OK) st = make_param_cols(opts, &pc);
    if (st == SHEAF_OK) st = sh_window_layout_make(ctx, in, keys, n_keys, time, fn, &l);
    if (st != SHEAF_OK) goto done;
    n = l.series->n_series;
    size_t m = n ? n : 1, idx;
    sh_frame_find(l.frame, value, fn, &idx);
    job = (many_job){.l = &l, .col = &l.frame->cols[idx], .o = opts, .pc = &pc};
    job.n_dbl = pc.n + N_STAT + 4 * opts->horizon;
    job.dbl = sh_malloc_array(m * job.n_dbl, sizeof(double));
    job.ints = sh_calloc(m * (N_INT + N_COUNT), sizeof(int64_t));
    job.ok = sh_calloc(m, 1);
    job.trend = sh_calloc(m, sizeof(int));
    job.status = sh_calloc(m, sizeof *job.status);
    job.message = sh_calloc(m, sizeof *job.message);
    if (!job.dbl || !job.ints || !job.ok || !job.trend || !job.status || !job.message) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu result rows", fn, n);
        goto done;
    }
    st = sheaf_exec_for(ctx, l.frame->n_partitions, partition_task, &job);
    if (st == SHEAF_OK) st = assemble(&job, keys, n_keys, out);
done:
    for (size_t s = 0; job.message && s < n; s++)
        sh_free(job.message[s]);
    sh_free(job.message);
    sh_free(job.status);
    sh_free(job.trend);
    sh_free(job.ok);
    sh_free(job.ints);
    sh_free(job.dbl);
    sh_free(pc.name);
    sh_window_layout_clear(&l);
    return st;
}
