/* bench_csv_read.c - times sheaf_csv_read on one file: REPEAT reads with a
 * context of THREADS threads, then prints the median wall time, the row
 * count and per-column sums (float64 by Neumaier's compensated summation,
 * skipping missing values, so the order of addition does not matter to the
 * last bits; int64 exactly), the same lines bench/peers/read_csv_pandas.py
 * prints, so bench/run.py can compare them:
 *   median_s 0.123456
 *   rows 1000000
 *   sum f00 -123.4567
 * usage: bench_csv_read FILE [REPEAT=5] [THREADS=2] */
#include "../common/timing.h"
#include "sheaf.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int fail(const char *what, sheaf_status status)
{
    fprintf(stderr, "bench_csv_read: %s: %s: %s\n", what, sheaf_status_name(status),
            sheaf_last_error());
    return 1;
}

static int print_sums(const sheaf_frame *frame)
{
    size_t n = sheaf_frame_num_rows(frame);
    for (size_t c = 0; c < sheaf_frame_num_columns(frame); c++) {
        const char *name = sheaf_frame_column_name(frame, c);
        const uint8_t *valid = sheaf_frame_column_validity(frame, c);
        sheaf_type type = sheaf_frame_column_type(frame, c);
        if (type == SHEAF_TYPE_FLOAT64) {
            const double *v = NULL;
            sheaf_status s = sheaf_frame_column_float64(frame, c, &v);
            if (s != SHEAF_OK) return fail("column_float64", s);
            double sum = 0.0, lost = 0.0;
            for (size_t i = 0; i < n; i++) {
                if (valid && !valid[i]) continue;
                double t = sum + v[i];
                lost += fabs(sum) >= fabs(v[i]) ? (sum - t) + v[i] : (v[i] - t) + sum;
                sum = t;
            }
            printf("sum %s %.17g\n", name, sum + lost);
        } else if (type == SHEAF_TYPE_INT64) {
            const int64_t *v = NULL;
            sheaf_status s = sheaf_frame_column_int64(frame, c, &v);
            if (s != SHEAF_OK) return fail("column_int64", s);
            int64_t sum = 0;
            for (size_t i = 0; i < n; i++)
                sum += v[i]; /* missing rows hold 0 */
            printf("sum %s %" PRId64 "\n", name, sum);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [REPEAT=5] [THREADS=2]\n", argv[0]);
        return 2;
    }
    int repeat = argc > 2 ? atoi(argv[2]) : 5;
    int threads = argc > 3 ? atoi(argv[3]) : 2;
    if (repeat < 1 || repeat > 1000 || threads < 1) {
        fprintf(stderr, "bench_csv_read: REPEAT must be 1..1000 and THREADS >= 1\n");
        return 2;
    }
    int rc = 1;
    sheaf_ctx *ctx = NULL;
    sheaf_frame *frame = NULL;
    double *times = malloc((size_t)repeat * sizeof *times);
    sheaf_status s;
    if (!times) {
        fprintf(stderr, "bench_csv_read: out of memory\n");
        goto done;
    }
    s = sheaf_ctx_create(&ctx);
    if (s == SHEAF_OK) s = sheaf_ctx_set_threads(ctx, threads);
    if (s != SHEAF_OK) {
        rc = fail("context", s);
        goto done;
    }
    for (int r = 0; r < repeat; r++) {
        sheaf_frame_free(frame); /* keep only the last frame; free outside the timing */
        frame = NULL;
        double start = bench_now();
        s = sheaf_csv_read(ctx, argv[1], NULL, &frame);
        times[r] = bench_now() - start;
        if (s != SHEAF_OK) {
            rc = fail("sheaf_csv_read", s);
            goto done;
        }
    }
    printf("median_s %.6f\n", bench_median(times, repeat));
    printf("rows %zu\n", sheaf_frame_num_rows(frame));
    rc = print_sums(frame);
done:
    sheaf_frame_free(frame);
    sheaf_ctx_free(ctx);
    free(times);
    return rc;
}
