/* bench_adf.c - sheaf's side of the ADF benchmark on a folder of
 * bench/gen/gen_adf_series.py (raw float64 X, N x T row-major, read with
 * fread before any timing).
 *
 * sheaf_adfuller_many(X, trend c, autolag AIC, default maxlag): every series
 * in one call, on a context of THREADS threads, with a per-series status
 * array; REPEAT calls after one untimed warm-up call, printing the median
 * and the fastest wall time. [stat, pvalue, usedlag, nobs] of every series
 * of the last call go to OUT_FILE as raw float64, N x 4 row-major (the
 * peer's layout; a failed series writes NaN).
 *
 * usage: bench_adf DIR N T REPEAT THREADS OUT_FILE
 * Output lines: "median_s 0.012345", "min_s 0.012000", "series 10000",
 * "failed 0", "maxlag 18", "blas OpenBLAS 0.3.21 ..." (openblas_get_config
 * of the OpenBLAS libsheaf links). */
#include "../common/timing.h"
#include "sheaf.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "bench_adf: %s: %s\n", what, detail);
    exit(1);
}

static void *checked_malloc(size_t bytes)
{
    void *p = malloc(bytes ? bytes : 1);
    if (!p) die("out of memory", "malloc");
    return p;
}

static size_t parse_size(const char *text, const char *what)
{
    char *end = NULL;
    unsigned long long v = strtoull(text, &end, 10);
    if (!*text || *end || v == 0) die(what, "must be a positive integer");
    return (size_t)v;
}

static double *read_series(const char *folder, size_t count)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/X.f64", folder);
    FILE *f = fopen(path, "rb");
    if (!f) die("cannot open", path);
    double *data = checked_malloc(count * sizeof *data);
    if (fread(data, sizeof *data, count, f) != count) die("short file", path);
    fclose(f);
    return data;
}

int main(int argc, char **argv)
{
    if (argc != 7) die("usage", "bench_adf DIR N T REPEAT THREADS OUT_FILE");
    size_t n = parse_size(argv[2], "N"), T = parse_size(argv[3], "T");
    int repeat = (int)parse_size(argv[4], "REPEAT"), threads = (int)parse_size(argv[5], "THREADS");
    double *x = read_series(argv[1], n * T);
    sheaf_adf_result *res = checked_malloc(n * sizeof *res);
    sheaf_status *status = checked_malloc(n * sizeof *status);
    sheaf_adf_options o = sheaf_adf_options_default(); /* trend c, AIC, default maxlag */

    sheaf_ctx *ctx = NULL;
    if (sheaf_ctx_create(&ctx) != SHEAF_OK || sheaf_ctx_set_threads(ctx, threads) != SHEAF_OK)
        die("context", sheaf_last_error());
    double *times = checked_malloc((size_t)repeat * sizeof *times);
    for (int r = -1; r < repeat; r++) { /* r = -1: warm-up (thread pool, page faults) */
        double start = bench_now();
        sheaf_status s = sheaf_adfuller_many(ctx, x, n, T, T, &o, res, status);
        double took = bench_now() - start;
        if (s != SHEAF_OK) die("sheaf_adfuller_many", sheaf_last_error());
        if (r >= 0) times[r] = took;
    }
    size_t failed = 0, maxlag = 0;
    double *out = checked_malloc(4 * n * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        failed += status[i] != SHEAF_OK;
        if (status[i] == SHEAF_OK && res[i].maxlag > maxlag) maxlag = res[i].maxlag;
        out[4 * i] = res[i].stat;
        out[4 * i + 1] = res[i].pvalue;
        out[4 * i + 2] = status[i] == SHEAF_OK ? (double)res[i].usedlag : -1.0;
        out[4 * i + 3] = status[i] == SHEAF_OK ? (double)res[i].nobs : -1.0;
    }
    FILE *f = fopen(argv[6], "wb");
    if (!f || fwrite(out, sizeof *out, 4 * n, f) != 4 * n || fclose(f))
        die("cannot write", argv[6]);
    double median = bench_median(times, repeat); /* sorts times */
    printf("median_s %.6f\n", median);
    printf("min_s %.6f\n", times[0]);
    printf("series %zu\n", n);
    printf("failed %zu\n", failed);
    printf("maxlag %zu\n", maxlag);
    printf("blas %s\n", openblas_get_config());
    sheaf_ctx_free(ctx);
    free(times);
    free(out);
    free(status);
    free(res);
    free(x);
    return 0;
}
