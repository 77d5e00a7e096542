/* bench_logreg.c - sheaf's side of the logistic-regression benchmarks on a
 * folder of bench/gen/gen_logreg.py (raw float64 X, row-major, and labels
 * y, read with fread before any timing).
 *
 * fit: sheaf_logreg_fit with L2 penalty REG, standardization off, an
 * intercept, the given solver, stopping tolerances TOL (relative objective
 * reduction) and GTOL (max gradient), on a context of THREADS threads and
 * its default partitions; REPEAT fits, printing the median wall time and,
 * for the last fit, the iterations, the solver that ran, the objective
 * (sheaf_logreg_objective) and the stopping reason. The coefficients go to
 * COEF_FILE as raw float64 rows x (1 + COLS), column 0 the intercept, so
 * bench/peers/logreg_sklearn.py can evaluate them with the evaluator it
 * applies to every peer.
 *
 * pass: the floor of one first-order iteration - one fused pass over X
 * computing, block by block of BLOCK_ROWS rows (small enough to stay in
 * cache between its two BLAS calls), the margins M = X W' + b, the
 * log-loss and its residuals R (sigmoid or softmax minus the one-hot
 * label) and the gradient X' R, with THREADS OpenMP threads each taking a
 * contiguous share of the rows, OpenBLAS single-threaded inside it. No line search, no merging
 * protocol, no checks: what any solver must at least spend to evaluate the loss and gradient once.
 *
 * usage: bench_logreg fit DIR ROWS COLS CLASSES REG TOL GTOL SOLVER REPEAT THREADS COEF_FILE
 *        bench_logreg pass DIR ROWS COLS CLASSES REPEAT THREADS
 * SOLVER: auto | lbfgs | newton. Output lines: "median_s 1.234567",
 * "iters 7", "solver newton", "objective 0.45...", "converged 1 gradient". */
#include "../common/cli.h"
#include "../common/timing.h"
#include "sheaf.h"

#include <cblas.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { BLOCK_ROWS = 1024 }; /* 1024 x 50 doubles = 400 KB: stays in L2 for X' R */

static sheaf_logreg_solver parse_solver(const char *name)
{
    if (!strcmp(name, "auto")) return SHEAF_LOGREG_SOLVER_AUTO;
    if (!strcmp(name, "lbfgs")) return SHEAF_LOGREG_SOLVER_LBFGS;
    if (!strcmp(name, "newton")) return SHEAF_LOGREG_SOLVER_NEWTON;
    bench_die("SOLVER must be auto, lbfgs or newton, not", name);
    return SHEAF_LOGREG_SOLVER_AUTO;
}

/* ---- fit ----------------------------------------------------------------- */

static void write_coefficients(const sheaf_logreg *model, size_t cols, const char *path)
{
    size_t rows = sheaf_logreg_num_rows(model);
    double *coef = bench_malloc(rows * cols * sizeof *coef);
    double *intercepts = bench_malloc(rows * sizeof *intercepts);
    double *table = bench_malloc(rows * (cols + 1) * sizeof *table);
    sheaf_logreg_coefficients(model, coef);
    sheaf_logreg_intercepts(model, intercepts);
    for (size_t r = 0; r < rows; r++) {
        table[r * (cols + 1)] = intercepts[r];
        memcpy(table + r * (cols + 1) + 1, coef + r * cols, cols * sizeof *coef);
    }
    bench_write_doubles(path, table, rows * (cols + 1));
    free(table);
    free(intercepts);
    free(coef);
}

static int run_fit(char **argv)
{
    const char *folder = argv[0];
    size_t rows = bench_parse_size(argv[1], "ROWS"), cols = bench_parse_size(argv[2], "COLS");
    size_t classes = bench_parse_size(argv[3], "CLASSES");
    int repeat = (int)bench_parse_size(argv[8], "REPEAT");
    int threads = (int)bench_parse_size(argv[9], "THREADS");
    double *x = bench_read_doubles(folder, "X.f64", rows * cols);
    double *y = bench_read_doubles(folder, "y.f64", rows);

    sheaf_logreg_params params = sheaf_logreg_params_default();
    params.reg_param = atof(argv[4]);
    params.tol = atof(argv[5]);
    params.gtol = atof(argv[6]);
    params.solver = parse_solver(argv[7]);
    params.standardization = 0;
    params.fit_intercept = 1;
    params.max_iter = 1000;
    params.num_classes = classes;

    sheaf_ctx *ctx = NULL;
    if (sheaf_ctx_create(&ctx) != SHEAF_OK || sheaf_ctx_set_threads(ctx, threads) != SHEAF_OK)
        bench_die("context", sheaf_last_error());
    double *times = bench_malloc((size_t)repeat * sizeof *times);
    sheaf_logreg *model = NULL;
    for (int r = 0; r < repeat; r++) {
        sheaf_logreg_free(model); /* keep only the last model; free outside the timing */
        model = NULL;
        double start = bench_now();
        sheaf_status s = sheaf_logreg_fit(ctx, x, rows, cols, cols, y, NULL, &params, &model);
        times[r] = bench_now() - start;
        if (s != SHEAF_OK) bench_die("sheaf_logreg_fit", sheaf_last_error());
    }
    const char *reason = "";
    int converged = sheaf_logreg_converged(model, &reason);
    printf("median_s %.6f\n", bench_median(times, repeat));
    printf("iters %zu\n", sheaf_logreg_iterations(model));
    printf("solver %s\n", sheaf_logreg_solver_name(model));
    printf("objective %.17g\n", sheaf_logreg_objective(model));
    printf("converged %d %s\n", converged, reason);
    write_coefficients(model, cols, argv[10]);
    sheaf_logreg_free(model);
    sheaf_ctx_free(ctx);
    free(times);
    free(y);
    free(x);
    return 0;
}

/* ---- pass: the floor of one loss-and-gradient evaluation ------------------ */

typedef struct pass_problem {
    const double *x, *y;
    size_t rows, cols, coef_rows; /* coef_rows: 1 binomial, k multinomial */
    const double *coef;           /* coef_rows x (cols + 1), column 0 the intercept */
} pass_problem;

/* Turns the margins of n rows into residuals in place and returns the
 * summed log-loss: binomial r = sigmoid(m) - y, softmax r_k = p_k - [y = k]. */
static double residuals(const pass_problem *pb, const double *y, size_t n, double *m)
{
    double loss = 0.0;
    size_t k = pb->coef_rows;
    for (size_t i = 0; i < n; i++) {
        double *mi = m + i * k;
        if (k == 1) {
            double v = mi[0], e = exp(-fabs(v));
            loss += (v > 0 ? v : 0.0) + log1p(e) - y[i] * v;
            mi[0] = (v >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e)) - y[i];
            continue;
        }
        double top = mi[0], sum = 0.0;
        for (size_t c = 1; c < k; c++)
            top = mi[c] > top ? mi[c] : top;
        for (size_t c = 0; c < k; c++)
            sum += (mi[c] = exp(mi[c] - top));
        size_t own = (size_t)y[i];
        loss += log(sum) - log(mi[own]);
        for (size_t c = 0; c < k; c++)
            mi[c] = mi[c] / sum - (c == own);
    }
    return loss;
}

/* One thread's rows [begin, end): accumulates the gradient (coef_rows x
 * (cols + 1), intercept column 0) and returns the summed loss. */
static double pass_rows(const pass_problem *pb, size_t begin, size_t end, double *grad, double *w,
                        double *m)
{
    size_t k = pb->coef_rows, p = pb->cols;
    for (size_t c = 0; c < k; c++) /* W without its intercept column, for the BLAS calls */
        memcpy(w + c * p, pb->coef + c * (p + 1) + 1, p * sizeof *w);
    double loss = 0.0;
    for (size_t b = begin; b < end; b += BLOCK_ROWS) {
        size_t n = end - b < BLOCK_ROWS ? end - b : BLOCK_ROWS;
        const double *xb = pb->x + b * p;
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0; c < k; c++)
                m[i * k + c] = pb->coef[c * (p + 1)];
        if (k == 1) /* OpenBLAS's dgemm with one column is slower than its dgemv */
            cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)n, (int)p, 1.0, xb, (int)p, w, 1, 1.0, m,
                        1);
        else
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)k, (int)p, 1.0, xb,
                        (int)p, w, (int)p, 1.0, m, (int)k);
        loss += residuals(pb, pb->y + b, n, m);
        for (size_t i = 0; i < n; i++)
            for (size_t c = 0; c < k; c++)
                grad[c * (p + 1)] += m[i * k + c];
        if (k == 1)
            cblas_dgemv(CblasRowMajor, CblasTrans, (int)n, (int)p, 1.0, xb, (int)p, m, 1, 1.0,
                        grad + 1, 1);
        else
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k, (int)p, (int)n, 1.0, m,
                        (int)k, xb, (int)p, 1.0, grad + 1, (int)(p + 1));
    }
    return loss;
}

/* Loss and gradient over all rows with `threads` threads; returns the loss. */
static double one_pass(const pass_problem *pb, int threads, double *grad)
{
    size_t width = pb->coef_rows * (pb->cols + 1);
    double loss = 0.0;
    memset(grad, 0, width * sizeof *grad);
#pragma omp parallel num_threads(threads) reduction(+ : loss)
    {
        size_t t = (size_t)omp_get_thread_num(), nt = (size_t)omp_get_num_threads();
        size_t begin = pb->rows * t / nt, end = pb->rows * (t + 1) / nt;
        double *local = calloc(width, sizeof *local);
        double *w = malloc(pb->coef_rows * pb->cols * sizeof *w);
        double *m = malloc(BLOCK_ROWS * pb->coef_rows * sizeof *m);
        if (!local || !w || !m) bench_die("out of memory", "pass");
        loss = pass_rows(pb, begin, end, local, w, m);
#pragma omp critical
        for (size_t j = 0; j < width; j++)
            grad[j] += local[j];
        free(m);
        free(w);
        free(local);
    }
    return loss;
}

static int run_pass(char **argv)
{
    const char *folder = argv[0];
    size_t rows = bench_parse_size(argv[1], "ROWS"), cols = bench_parse_size(argv[2], "COLS");
    size_t classes = bench_parse_size(argv[3], "CLASSES");
    int repeat = (int)bench_parse_size(argv[4], "REPEAT");
    int threads = (int)bench_parse_size(argv[5], "THREADS");
    pass_problem pb = {bench_read_doubles(folder, "X.f64", rows * cols),
                       bench_read_doubles(folder, "y.f64", rows),
                       rows,
                       cols,
                       classes == 2 ? 1 : classes,
                       NULL};
    size_t width = pb.coef_rows * (cols + 1);
    double *coef = bench_malloc(width * sizeof *coef);
    for (size_t j = 0; j < width; j++) /* small, varied, nonzero: realistic exp arguments */
        coef[j] = 0.01 * (double)((int)(j % 7) - 3);
    pb.coef = coef;
    double *grad = bench_malloc(width * sizeof *grad);
    double *times = bench_malloc((size_t)repeat * sizeof *times), loss = 0.0;
    /* The split over rows is the parallelism; a team of one thread is not an
     * active parallel region, and OpenBLAS would then thread each small call. */
    openblas_set_num_threads(1);
    one_pass(&pb, threads, grad); /* fault in the pages of X once */
    for (int r = 0; r < repeat; r++) {
        double start = bench_now();
        loss = one_pass(&pb, threads, grad);
        times[r] = bench_now() - start;
    }
    printf("median_s %.6f\n", bench_median(times, repeat));
    printf("pass_loss %.17g\n", loss / (double)rows); /* printed so the work is not elided */
    free(times);
    free(grad);
    free(coef);
    free((void *)pb.y);
    free((void *)pb.x);
    return 0;
}

int main(int argc, char **argv)
{
    bench_cli_init(argv[0]);
    if (argc == 13 && !strcmp(argv[1], "fit")) return run_fit(argv + 2);
    if (argc == 8 && !strcmp(argv[1], "pass")) return run_pass(argv + 2);
    fprintf(stderr,
            "usage: %s fit DIR ROWS COLS CLASSES REG TOL GTOL SOLVER REPEAT THREADS "
            "COEF_FILE\n       %s pass DIR ROWS COLS CLASSES REPEAT THREADS\n",
            argv[0], argv[0]);
    return 2;
}
