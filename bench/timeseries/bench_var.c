/* bench_var.c - sheaf's side of the VAR lag-selection benchmarks on a
 * folder of bench/gen/gen_var_series.py (raw float64 Y, T x K row-major,
 * read with fread before any timing).
 *
 * fit: what statsmodels' VAR(Y).fit(maxlags=MAXLAGS, ic='aic') does -
 * sheaf_var_select_order(Y, MAXLAGS, trend c), then sheaf_var_fit at the
 * order AIC chose - on a context of THREADS threads and PARTITIONS
 * partitions (fixed, so every thread count computes the same bits); REPEAT
 * runs after one untimed warm-up run, printing the medians of the whole,
 * of the selection and of the fit, and the four selected orders. The last
 * run's select_order table ((MAXLAGS + 1) x 4: aic, bic, hqic, fpe) and
 * params ((1 + K p) x K, statsmodels' layout) go to OUT_FILE as raw float64.
 *
 * pass: the floor - one pass over the data building the cross-product
 * matrix X'X of the lagged design x_t = [1, y_t, y_{t-1}, ..., y_{t-MAXLAGS}]
 * over t = MAXLAGS..T-1, which holds every regression select_order and fit
 * need. THREADS OpenMP threads each take a contiguous share of the rows,
 * copy them block by block into a row-major lagged block and add its
 * cross-products with one cblas_dsyrk (OpenBLAS single-threaded inside);
 * the threads' matrices are summed at the end. No checks, no merge
 * protocol, no solves.
 *
 * usage: bench_var fit DIR T K MAXLAGS REPEAT THREADS OUT_FILE
 *        bench_var pass DIR T K MAXLAGS REPEAT THREADS
 * Output lines: "median_s 0.123456", "select_s ...", "fit_s ...",
 * "min_s ...", "order_aic 2" (and bic, hqic, fpe), "k_ar 2", "blas OpenBLAS
 * 0.3.21 ..." (openblas_get_config of the OpenBLAS libsheaf links);
 * pass: "median_s ...", "pass_trace ..." (so the work is not elided). */
#include "../common/cli.h"
#include "../common/timing.h"
#include "sheaf.h"

#include <cblas.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PARTITIONS = 8 };         /* 4 x 2 threads: sheaf_ctx_create's default for 2 threads */
enum { BLOCK_DOUBLES = 131072 }; /* a lagged block of 1 MB: stays in L2 (2 MB a core) for dsyrk */

static int run_fit(char **argv)
{
    size_t T = bench_parse_size(argv[1], "T"), k = bench_parse_size(argv[2], "K");
    size_t maxlags = bench_parse_size(argv[3], "MAXLAGS");
    int repeat = (int)bench_parse_size(argv[4], "REPEAT");
    int threads = (int)bench_parse_size(argv[5], "THREADS");
    double *y = bench_read_doubles(argv[0], "Y.f64", T * k);
    size_t n_ics = (maxlags + 1) * 4;
    double *ics = bench_malloc((n_ics + (1 + k * maxlags) * k) * sizeof *ics);
    double *params = ics + n_ics; /* right after the table: OUT_FILE's layout */
    double *times = bench_malloc(3 * (size_t)repeat * sizeof *times);
    double *select_times = times + repeat, *fit_times = select_times + repeat;
    size_t selected[4] = {0, 0, 0, 0}, k_ar = 0;

    sheaf_ctx *ctx = NULL;
    if (sheaf_ctx_create(&ctx) != SHEAF_OK || sheaf_ctx_set_threads(ctx, threads) != SHEAF_OK ||
        sheaf_ctx_set_partitions(ctx, PARTITIONS) != SHEAF_OK)
        bench_die("context", sheaf_last_error());
    for (int r = -1; r < repeat; r++) { /* r = -1: warm-up (thread pool, page faults) */
        sheaf_var *var = NULL;
        double start = bench_now();
        if (sheaf_var_select_order(ctx, y, T, k, k, maxlags, SHEAF_TREND_C, ics, selected, NULL) !=
            SHEAF_OK)
            bench_die("sheaf_var_select_order", sheaf_last_error());
        double mid = bench_now();
        if (sheaf_var_fit(ctx, y, T, k, k, selected[SHEAF_VAR_AIC], SHEAF_TREND_C, &var) !=
            SHEAF_OK)
            bench_die("sheaf_var_fit", sheaf_last_error());
        double end = bench_now();
        if (r >= 0) {
            times[r] = end - start;
            select_times[r] = mid - start;
            fit_times[r] = end - mid;
        }
        k_ar = sheaf_var_k_ar(var);
        sheaf_var_params(var, params, NULL, NULL, NULL);
        sheaf_var_free(var);
    }
    size_t n_params = (1 + k * k_ar) * k;
    bench_write_doubles(argv[6], ics, n_ics + n_params);
    printf("select_s %.6f\n", bench_median(select_times, repeat));
    printf("fit_s %.6f\n", bench_median(fit_times, repeat));
    printf("median_s %.6f\n", bench_median(times, repeat)); /* sorts times */
    printf("min_s %.6f\n", times[0]);
    printf("order_aic %zu\norder_bic %zu\norder_hqic %zu\norder_fpe %zu\n", selected[SHEAF_VAR_AIC],
           selected[SHEAF_VAR_BIC], selected[SHEAF_VAR_HQIC], selected[SHEAF_VAR_FPE]);
    printf("k_ar %zu\n", k_ar);
    printf("blas %s\n", openblas_get_config());
    sheaf_ctx_free(ctx);
    free(times);
    free(ics);
    free(y);
    return 0;
}

/* ---- pass: X'X of the lagged design, the floor ------------------------------- */

/* Adds the upper triangle of X'X over rows [begin, end) of the lagged design
 * (d = 1 + K (MAXLAGS + 1) columns) to xtx (d x d, row-major). */
static void cross_rows(const double *y, size_t k, size_t maxlags, size_t begin, size_t end,
                       double *block, size_t block_rows, double *xtx)
{
    size_t d = 1 + k * (maxlags + 1);
    for (size_t t0 = begin; t0 < end; t0 += block_rows) {
        size_t b = end - t0 < block_rows ? end - t0 : block_rows;
        for (size_t i = 0; i < b; i++) {
            double *row = block + i * d;
            const double *src = y + (t0 + i - maxlags) * k; /* y_{t-MAXLAGS} .. y_t */
            row[0] = 1.0;
            for (size_t lag = 0; lag <= maxlags; lag++)
                memcpy(row + 1 + lag * k, src + (maxlags - lag) * k, k * sizeof *row);
        }
        cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)d, (int)b, 1.0, block, (int)d, 1.0,
                    xtx, (int)d);
    }
}

static double one_pass(const double *y, size_t T, size_t k, size_t maxlags, int threads,
                       double *xtx)
{
    size_t d = 1 + k * (maxlags + 1), rows = T - maxlags;
    size_t block_rows = BLOCK_DOUBLES / d > 16 ? BLOCK_DOUBLES / d : 16;
    memset(xtx, 0, d * d * sizeof *xtx);
#pragma omp parallel num_threads(threads)
    {
        size_t t = (size_t)omp_get_thread_num(), nt = (size_t)omp_get_num_threads();
        size_t begin = maxlags + rows * t / nt, end = maxlags + rows * (t + 1) / nt;
        double *local = calloc(d * d, sizeof *local);
        double *block = malloc(block_rows * d * sizeof *block);
        if (!local || !block) bench_die("out of memory", "pass");
        cross_rows(y, k, maxlags, begin, end, block, block_rows, local);
#pragma omp critical
        for (size_t j = 0; j < d * d; j++)
            xtx[j] += local[j];
        free(block);
        free(local);
    }
    double trace = 0.0;
    for (size_t j = 0; j < d; j++)
        trace += xtx[j * d + j];
    return trace;
}

static int run_pass(char **argv)
{
    size_t T = bench_parse_size(argv[1], "T"), k = bench_parse_size(argv[2], "K");
    size_t maxlags = bench_parse_size(argv[3], "MAXLAGS");
    int repeat = (int)bench_parse_size(argv[4], "REPEAT");
    int threads = (int)bench_parse_size(argv[5], "THREADS");
    if (T <= maxlags) bench_die("T", "must exceed MAXLAGS");
    double *y = bench_read_doubles(argv[0], "Y.f64", T * k);
    size_t d = 1 + k * (maxlags + 1);
    double *xtx = bench_malloc(d * d * sizeof *xtx);
    double *times = bench_malloc((size_t)repeat * sizeof *times), trace = 0.0;
    /* The split over rows is the parallelism; a team of one thread is not an
     * active parallel region, and OpenBLAS would then thread each small call. */
    openblas_set_num_threads(1);
    one_pass(y, T, k, maxlags, threads, xtx); /* warm-up: page faults, thread pool */
    for (int r = 0; r < repeat; r++) {
        double start = bench_now();
        trace = one_pass(y, T, k, maxlags, threads, xtx);
        times[r] = bench_now() - start;
    }
    printf("median_s %.6f\n", bench_median(times, repeat));
    printf("pass_trace %.17g\n", trace);
    free(times);
    free(xtx);
    free(y);
    return 0;
}

int main(int argc, char **argv)
{
    bench_cli_init(argv[0]);
    if (argc == 9 && !strcmp(argv[1], "fit")) return run_fit(argv + 2);
    if (argc == 8 && !strcmp(argv[1], "pass")) return run_pass(argv + 2);
    fprintf(stderr,
            "usage: %s fit DIR T K MAXLAGS REPEAT THREADS OUT_FILE\n"
            "       %s pass DIR T K MAXLAGS REPEAT THREADS\n",
            argv[0], argv[0]);
    return 2;
}
