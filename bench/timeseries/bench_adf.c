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
#include "../common/cli.h"
#include "../common/timing.h"
#include "sheaf.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    bench_cli_init(argv[0]);
    if (argc != 7) bench_die("usage", "bench_adf DIR N T REPEAT THREADS OUT_FILE");
    size_t n = bench_parse_size(argv[2], "N"), T = bench_parse_size(argv[3], "T");
    int repeat = (int)bench_parse_size(argv[4], "REPEAT");
    int threads = (int)bench_parse_size(argv[5], "THREADS");
    double *x = bench_read_doubles(argv[1], "X.f64", n * T);
    sheaf_adf_result *res = bench_malloc(n * sizeof *res);
    sheaf_status *status = bench_malloc(n * sizeof *status);
    sheaf_adf_options o = sheaf_adf_options_default(); /* trend c, AIC, default maxlag */

    sheaf_ctx *ctx = NULL;
    if (sheaf_ctx_create(&ctx) != SHEAF_OK || sheaf_ctx_set_threads(ctx, threads) != SHEAF_OK)
        bench_die("context", sheaf_last_error());
    double *times = bench_malloc((size_t)repeat * sizeof *times);
    for (int r = -1; r < repeat; r++) { /* r = -1: warm-up (thread pool, page faults) */
        double start = bench_now();
        sheaf_status s = sheaf_adfuller_many(ctx, x, n, T, T, &o, res, status);
        double took = bench_now() - start;
        if (s != SHEAF_OK) bench_die("sheaf_adfuller_many", sheaf_last_error());
        if (r >= 0) times[r] = took;
    }
    size_t failed = 0, maxlag = 0;
    double *out = bench_malloc(4 * n * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        failed += status[i] != SHEAF_OK;
        if (status[i] == SHEAF_OK && res[i].maxlag > maxlag) maxlag = res[i].maxlag;
        out[4 * i] = res[i].stat;
        out[4 * i + 1] = res[i].pvalue;
        out[4 * i + 2] = status[i] == SHEAF_OK ? (double)res[i].usedlag : -1.0;
        out[4 * i + 3] = status[i] == SHEAF_OK ? (double)res[i].nobs : -1.0;
    }
    bench_write_doubles(argv[6], out, 4 * n);
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
