/* bench_granger.c - sheaf's side of the Granger-matrix benchmark on a
 * folder of bench/gen/gen_granger_series.py (raw float64 Y, T x K
 * row-major, read with fread before any timing).
 *
 * sheaf_granger_matrix(Y, MAXLAG, ssr F test): every ordered pair of the K
 * series at every lag 1..MAXLAG in one call, on a context of THREADS
 * threads and PARTITIONS partitions (the default of a 2-thread context,
 * whatever THREADS is, so runs at different thread counts compute the same
 * bits and run.py can check that they do); REPEAT calls after one untimed
 * warm-up call, printing the median and the fastest wall time. The F
 * statistics and p-values of the last call go to OUT_FILE as raw float64:
 * F then p, each K x K x MAXLAG at [(i K + j) MAXLAG + lag - 1], NaN on the
 * diagonal - the layout of the peers' files.
 *
 * usage: bench_granger DIR T K MAXLAG REPEAT THREADS OUT_FILE
 * Output lines: "median_s 0.012345", "min_s 0.012000", "pairs 2450",
 * "blas OpenBLAS 0.3.21 ... USE_OPENMP Haswell ..." (openblas_get_config of
 * the OpenBLAS libsheaf links). */
#include "../common/cli.h"
#include "../common/timing.h"
#include "sheaf.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>

enum { PARTITIONS = 8 }; /* 4 x 2 threads: sheaf_ctx_create's default for 2 threads */

int main(int argc, char **argv)
{
    bench_cli_init(argv[0]);
    if (argc != 8) bench_die("usage", "bench_granger DIR T K MAXLAG REPEAT THREADS OUT_FILE");
    size_t T = bench_parse_size(argv[2], "T"), k = bench_parse_size(argv[3], "K");
    size_t maxlag = bench_parse_size(argv[4], "MAXLAG");
    int repeat = (int)bench_parse_size(argv[5], "REPEAT");
    int threads = (int)bench_parse_size(argv[6], "THREADS");
    double *y = bench_read_doubles(argv[1], "Y.f64", T * k);
    size_t cells = k * k * maxlag;
    double *out = bench_malloc(2 * cells * sizeof *out); /* F, then p */

    sheaf_ctx *ctx = NULL;
    if (sheaf_ctx_create(&ctx) != SHEAF_OK || sheaf_ctx_set_threads(ctx, threads) != SHEAF_OK ||
        sheaf_ctx_set_partitions(ctx, PARTITIONS) != SHEAF_OK)
        bench_die("context", sheaf_last_error());
    double *times = bench_malloc((size_t)repeat * sizeof *times);
    for (int r = -1; r < repeat; r++) { /* r = -1: warm-up (thread pool, page faults) */
        double start = bench_now();
        sheaf_status s = sheaf_granger_matrix(ctx, y, T, k, k, maxlag, SHEAF_GRANGER_SSR_FTEST, out,
                                              out + cells);
        double took = bench_now() - start;
        if (s != SHEAF_OK) bench_die("sheaf_granger_matrix", sheaf_last_error());
        if (r >= 0) times[r] = took;
    }
    bench_write_doubles(argv[7], out, 2 * cells);
    double median = bench_median(times, repeat); /* sorts times */
    printf("median_s %.6f\n", median);
    printf("min_s %.6f\n", times[0]);
    printf("pairs %zu\n", k * (k - 1));
    printf("blas %s\n", openblas_get_config());
    sheaf_ctx_free(ctx);
    free(times);
    free(out);
    free(y);
    return 0;
}
