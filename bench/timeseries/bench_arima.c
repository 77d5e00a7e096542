/* bench_arima.c - sheaf's side of the ARIMA benchmarks on a folder of
 * bench/gen/gen_arima_series.py (raw float64 Y, N x T row-major, read with
 * fread before any timing).
 *
 * fit: the N series become one long frame - "key" (int64, the series
 * index), "time" (int64, 0..T-1), "value" (float64) - partitioned by
 * sheaf_frame_partition_by_key_time on a context of THREADS threads (its
 * default partition count; timed once, printed as partition_s, not part of
 * median_s), then sheaf_arima_fit_many fits one model per key: REPEAT calls
 * after an untimed warm-up call on the first 16 series, printing the median
 * and the fastest wall time. KIND picks the model:
 *   arima   ARIMA(1,1,1), trend t (the drift), exact ML (statsmodels' fit())
 *   sarima  SARIMA(1,0,1)(1,1,1)12, trend n, exact ML
 *   auto    auto_order on, auto.arima's defaults with period M (CSS-ML refit)
 * Every key's result row of the last call goes to OUT_FILE (layout below).
 *
 * loglike: for each of the ROWS rows of IN_FILE (the same layout, e.g. R's
 * estimates that bench/peers/arima_r.R writes in this layout) whose
 * "ok" is 1, sheaf_arima_loglike of series i at that row's spec and
 * parameters: the other program's fit in statsmodels' convention (the
 * one sheaf's llf follows). ROWS float64 values go to OUT_FILE (NaN where
 * the row is not ok or the call fails). Untimed.
 *
 * Result rows (raw float64, ARIMA_BENCH_COLS = 29 per series, row-major):
 *   0 llf, 1 aicc, 2 converged (0/1), 3 ok (1 = status OK), 4 iterations,
 *   5..11 p, d, q, P, D, Q, s, 12 trend (sheaf_arima_trend: 0 n, 1 c, 2 t,
 *   3 ct, 4 t2), 13..28 the model's parameters in statsmodels' order
 *   (sigma2 last), NaN after the last.
 *
 * usage: bench_arima fit DIR KIND N T M REPEAT THREADS OUT_FILE
 *        bench_arima loglike DIR ROWS T IN_FILE OUT_FILE
 * Output lines (fit): "median_s 1.234567", "min_s 1.200000", "partition_s
 * 0.012345", "series 10000", "failed 0", "not_converged 0",
 * "mean_iterations 12.3", "partitions 8", "blas OpenBLAS 0.3.21 ...";
 * (loglike): "rows 2000", "failed 0". */
#include "../common/cli.h"
#include "../common/timing.h"
#include "sheaf.h"
#include "sheaf_arima.h"

#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARIMA_BENCH_COLS 29
#define WARMUP_SERIES 16      /* series of the untimed warm-up call */
#define ARIMA_BENCH_PARAMS 16 /* one trend term, 5 ar, 5 ma, 2 + 2 seasonal, sigma2 */
#define COL_LLF 0
#define COL_AICC 1
#define COL_CONVERGED 2
#define COL_OK 3
#define COL_ITER 4
#define COL_ORDERS 5 /* p, d, q, P, D, Q, s */
#define COL_TREND 12
#define COL_PARAMS 13

static const char *TREND_NAMES[] = {"n", "c", "t", "ct", "t2"};

static sheaf_ctx *make_ctx(int threads)
{
    sheaf_ctx *ctx = NULL;
    if (sheaf_ctx_create(&ctx) != SHEAF_OK || sheaf_ctx_set_threads(ctx, threads) != SHEAF_OK)
        bench_die("context", sheaf_last_error());
    return ctx;
}

/* The options of KIND (arima, sarima, auto) with period m for auto. */
static sheaf_arima_many_options kind_options(const char *kind, size_t m)
{
    sheaf_arima_many_options o = sheaf_arima_many_options_default();
    if (!strcmp(kind, "arima")) {
        o.spec.p = 1, o.spec.d = 1, o.spec.q = 1;
        o.spec.trend = SHEAF_ARIMA_TREND_T;
    } else if (!strcmp(kind, "sarima")) {
        o.spec.p = 1, o.spec.q = 1;
        o.spec.P = 1, o.spec.D = 1, o.spec.Q = 1, o.spec.s = 12;
        o.spec.trend = SHEAF_ARIMA_TREND_N;
    } else if (!strcmp(kind, "auto")) {
        o.auto_order = 1;
        o.auto_opts.m = m;
    } else {
        bench_die("KIND", "must be arima, sarima or auto");
    }
    return o;
}

/* One long frame: key = series index, time = 0..t-1, value = y. */
static sheaf_frame *long_frame(const double *y, size_t n, size_t t)
{
    int64_t *key = bench_malloc(n * t * sizeof *key), *when = bench_malloc(n * t * sizeof *when);
    for (size_t i = 0; i < n; i++)
        for (size_t s = 0; s < t; s++)
            key[i * t + s] = (int64_t)i, when[i * t + s] = (int64_t)s;
    sheaf_frame *f = NULL;
    if (sheaf_frame_create(&f) != SHEAF_OK ||
        sheaf_frame_add_int64(f, "key", key, NULL, n * t) != SHEAF_OK ||
        sheaf_frame_add_int64(f, "time", when, NULL, n * t) != SHEAF_OK ||
        sheaf_frame_add_float64(f, "value", y, NULL, n * t) != SHEAF_OK)
        bench_die("frame", sheaf_last_error());
    free(key);
    free(when);
    return f;
}

static size_t column(const sheaf_frame *f, const char *name)
{
    size_t idx = 0;
    if (sheaf_frame_column_index(f, name, &idx) != SHEAF_OK) bench_die("result column", name);
    return idx;
}

static const double *f64_column(const sheaf_frame *f, const char *name)
{
    const double *v = NULL;
    if (sheaf_frame_column_float64(f, column(f, name), &v) != SHEAF_OK)
        bench_die("float64 column", name);
    return v;
}

/* The column of parameter name; the trend's t coefficient ("x1") may also
 * be called "drift" in an auto_order result. */
static const double *param_column(const sheaf_frame *f, const char *name)
{
    size_t idx = 0;
    if (sheaf_frame_column_index(f, name, &idx) != SHEAF_OK && !strcmp(name, "x1") &&
        sheaf_frame_column_index(f, "drift", &idx) == SHEAF_OK)
        name = "drift";
    return f64_column(f, name);
}

static const int64_t *i64_column(const sheaf_frame *f, const char *name)
{
    const int64_t *v = NULL;
    if (sheaf_frame_column_int64(f, column(f, name), &v) != SHEAF_OK)
        bench_die("int64 column", name);
    return v;
}

/* Row r of string column name, or NULL when missing. */
static const char *string_at(const sheaf_frame *f, const char *name, size_t r)
{
    size_t idx = column(f, name), dict = 0;
    const int32_t *codes = NULL;
    if (sheaf_frame_column_codes(f, idx, &codes, &dict) != SHEAF_OK)
        bench_die("string column", name);
    return codes[r] < 0 ? NULL : sheaf_frame_dict_value(f, idx, codes[r]);
}

static int trend_code(const char *name)
{
    for (int i = 0; name && i < 5; i++)
        if (!strcmp(name, TREND_NAMES[i])) return i;
    return -1;
}

/* The result frame of sheaf_arima_fit_many (rows in key order 0..n-1) into
 * n result rows; counts failed and not converged keys, sums iterations. */
static void result_rows(const sheaf_frame *res, size_t n, double *out, size_t *failed,
                        size_t *not_converged, double *iterations)
{
    static const char *ORDER_NAMES[] = {"p", "d", "q", "P", "D", "Q", "s"};
    if (sheaf_frame_num_rows(res) != n) bench_die("result", "not one row per series");
    const int64_t *key = i64_column(res, "key"), *conv = i64_column(res, "converged");
    const int64_t *iter = i64_column(res, "iterations"), *orders[7];
    for (int j = 0; j < 7; j++)
        orders[j] = i64_column(res, ORDER_NAMES[j]);
    const double *llf = f64_column(res, "llf"), *aicc = f64_column(res, "aicc");
    const char *ok_name = sheaf_status_name(SHEAF_OK);
    *failed = *not_converged = 0;
    *iterations = 0.0;
    for (size_t r = 0; r < n; r++) {
        double *row = out + r * ARIMA_BENCH_COLS;
        for (size_t c = 0; c < ARIMA_BENCH_COLS; c++)
            row[c] = NAN;
        if (key[r] != (int64_t)r) bench_die("result", "rows not in key order");
        const char *status = string_at(res, "status", r);
        int ok = status && !strcmp(status, ok_name);
        row[COL_OK] = ok;
        if (!ok) {
            (*failed)++;
            continue;
        }
        row[COL_LLF] = llf[r], row[COL_AICC] = aicc[r];
        row[COL_CONVERGED] = (double)conv[r], row[COL_ITER] = (double)iter[r];
        *not_converged += conv[r] == 0;
        *iterations += (double)iter[r];
        sheaf_arima_spec spec = sheaf_arima_spec_default();
        size_t *fields[7] = {&spec.p, &spec.d, &spec.q, &spec.P, &spec.D, &spec.Q, &spec.s};
        for (int j = 0; j < 7; j++) {
            *fields[j] = (size_t)orders[j][r];
            row[COL_ORDERS + j] = (double)orders[j][r];
        }
        int trend = trend_code(string_at(res, "trend", r));
        if (trend < 0) bench_die("result", "unknown trend");
        spec.trend = (sheaf_arima_trend)trend;
        row[COL_TREND] = trend;
        size_t k = sheaf_arima_n_params(&spec, 0);
        if (k > ARIMA_BENCH_PARAMS) bench_die("result", "more parameters than the layout holds");
        for (size_t i = 0; i < k; i++) {
            char name[64];
            if (sheaf_arima_param_name(&spec, 0, i, name, sizeof name) != SHEAF_OK)
                bench_die("sheaf_arima_param_name", sheaf_last_error());
            row[COL_PARAMS + i] = param_column(res, name)[r];
        }
    }
}

static int fit_main(int argc, char **argv)
{
    if (argc != 10) bench_die("usage", "bench_arima fit DIR KIND N T M REPEAT THREADS OUT_FILE");
    const char *kind = argv[3];
    size_t n = bench_parse_size(argv[4], "N"), t = bench_parse_size(argv[5], "T");
    size_t m = bench_parse_size(argv[6], "M");
    int repeat = (int)bench_parse_size(argv[7], "REPEAT");
    int threads = (int)bench_parse_size(argv[8], "THREADS");
    sheaf_arima_many_options o = kind_options(kind, m);
    double *y = bench_read_doubles(argv[2], "Y.f64", n * t);
    sheaf_ctx *ctx = make_ctx(threads);
    static const char *const keys[] = {"key"};
    sheaf_frame *res = NULL;
    /* Warm-up (thread pool, first touches of the code) on the first few
     * series only: one call on all of them costs as much as a timed one. */
    size_t few = n < WARMUP_SERIES ? n : WARMUP_SERIES;
    sheaf_frame *flat = long_frame(y, few, t);
    if (sheaf_arima_fit_many(ctx, flat, keys, 1, "time", "value", &o, &res) != SHEAF_OK)
        bench_die("sheaf_arima_fit_many (warm-up)", sheaf_last_error());
    sheaf_frame_free(res);
    sheaf_frame_free(flat);

    sheaf_frame *in = NULL;
    flat = long_frame(y, n, t);
    free(y);
    double start = bench_now();
    if (sheaf_frame_partition_by_key_time(ctx, flat, keys, 1, "time", 0, &in) != SHEAF_OK)
        bench_die("sheaf_frame_partition_by_key_time", sheaf_last_error());
    double partition_s = bench_now() - start;
    sheaf_frame_free(flat);

    double *times = bench_malloc((size_t)repeat * sizeof *times);
    res = NULL;
    for (int r = 0; r < repeat; r++) {
        sheaf_frame_free(res);
        res = NULL;
        start = bench_now();
        sheaf_status s = sheaf_arima_fit_many(ctx, in, keys, 1, "time", "value", &o, &res);
        times[r] = bench_now() - start;
        if (s != SHEAF_OK) bench_die("sheaf_arima_fit_many", sheaf_last_error());
    }
    double *out = bench_malloc(n * ARIMA_BENCH_COLS * sizeof *out), iterations = 0.0;
    size_t failed = 0, not_converged = 0;
    result_rows(res, n, out, &failed, &not_converged, &iterations);
    bench_write_doubles(argv[9], out, n * ARIMA_BENCH_COLS);
    double median = bench_median(times, repeat); /* sorts times */
    printf("median_s %.6f\n", median);
    printf("min_s %.6f\n", times[0]);
    printf("partition_s %.6f\n", partition_s);
    printf("series %zu\n", n);
    printf("failed %zu\n", failed);
    printf("not_converged %zu\n", not_converged);
    printf("mean_iterations %.2f\n", n > failed ? iterations / (double)(n - failed) : 0.0);
    printf("partitions %zu\n", sheaf_frame_num_partitions(in));
    printf("blas %s\n", openblas_get_config());
    sheaf_frame_free(res);
    sheaf_frame_free(in);
    sheaf_ctx_free(ctx);
    free(times);
    free(out);
    return 0;
}

static int loglike_main(int argc, char **argv)
{
    if (argc != 7) bench_die("usage", "bench_arima loglike DIR ROWS T IN_FILE OUT_FILE");
    size_t rows = bench_parse_size(argv[3], "ROWS"), t = bench_parse_size(argv[4], "T");
    double *y = bench_read_doubles(argv[2], "Y.f64", rows * t);
    FILE *f = fopen(argv[5], "rb");
    if (!f) bench_die("cannot open", argv[5]);
    double *in = bench_malloc(rows * ARIMA_BENCH_COLS * sizeof *in);
    if (fread(in, sizeof *in, rows * ARIMA_BENCH_COLS, f) != rows * ARIMA_BENCH_COLS)
        bench_die("short file", argv[5]);
    fclose(f);
    double *out = bench_malloc(rows * sizeof *out);
    size_t failed = 0;
    for (size_t r = 0; r < rows; r++) {
        const double *row = in + r * ARIMA_BENCH_COLS;
        out[r] = NAN;
        if (row[COL_OK] != 1.0) {
            failed++;
            continue;
        }
        sheaf_arima_spec spec = sheaf_arima_spec_default();
        size_t *fields[7] = {&spec.p, &spec.d, &spec.q, &spec.P, &spec.D, &spec.Q, &spec.s};
        for (int j = 0; j < 7; j++)
            *fields[j] = (size_t)row[COL_ORDERS + j];
        spec.trend = (sheaf_arima_trend)(int)row[COL_TREND];
        size_t k = sheaf_arima_n_params(&spec, 0);
        double llf = NAN;
        if (k > ARIMA_BENCH_PARAMS) {
            fprintf(stderr, "bench_arima: row %zu: %zu parameters\n", r, k);
            failed++;
            continue;
        }
        if (sheaf_arima_loglike(y + r * t, t, NULL, 0, 0, &spec, row + COL_PARAMS, k, &llf) !=
            SHEAF_OK) {
            fprintf(stderr, "bench_arima: row %zu: %s\n", r, sheaf_last_error());
            failed++;
            continue;
        }
        out[r] = llf;
    }
    bench_write_doubles(argv[6], out, rows);
    printf("rows %zu\n", rows);
    printf("failed %zu\n", failed);
    free(out);
    free(in);
    free(y);
    return 0;
}

int main(int argc, char **argv)
{
    bench_cli_init(argv[0]);
    if (argc >= 2 && !strcmp(argv[1], "fit")) return fit_main(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "loglike")) return loglike_main(argc, argv);
    bench_die("usage", "bench_arima fit DIR KIND N T M REPEAT THREADS OUT_FILE | bench_arima "
                       "loglike DIR ROWS T IN_FILE OUT_FILE");
    return 1;
}
