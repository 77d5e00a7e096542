/* test_executor.c - the partition executor: bit-identical merges for any
 * thread count, the fixed merge tree, deterministic failure reporting,
 * progress and the grouped-map runner. */
#include "core/internal.h"
#include "sheaf_core.h"

#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define SUM_ROWS 10000000u
#define SUM_PARTITIONS 64u

typedef struct sum_job {
    const double *x;
    size_t n;
    size_t n_partitions;
} sum_job;

static void partition_bounds(const sum_job *job, size_t p, size_t *lo, size_t *hi)
{
    *lo = (size_t)(((unsigned __int128)job->n * p) / job->n_partitions);
    *hi = (size_t)(((unsigned __int128)job->n * (p + 1)) / job->n_partitions);
}

static sheaf_status sum_map(void *arg, size_t partition, double *stats)
{
    const sum_job *job = arg;
    size_t lo, hi;
    partition_bounds(job, partition, &lo, &hi);
    double s = 0.0;
    for (size_t i = lo; i < hi; i++)
        s += job->x[i];
    stats[0] = s;
    return SHEAF_OK;
}

/* Normal values scaled by 2^k, k uniform on [-40, 40]: a sum of such numbers
 * loses different low bits for different addition orders. */
static double *wild_doubles(size_t n, uint64_t seed)
{
    double *x = malloc(n * sizeof *x);
    cr_assert_not_null(x);
    sheaf_rng r;
    sheaf_rng_init(&r, seed, 0, 0, 0);
    for (size_t i = 0; i < n; i++) {
        int k = (int)sheaf_rng_integer(&r, 81) - 40;
        x[i] = ldexp(sheaf_rng_normal(&r, 0.0, 1.0), k);
    }
    return x;
}

static sheaf_ctx *ctx_with_threads(int threads)
{
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, threads), SHEAF_OK);
    return ctx;
}

Test(executor, sum_is_bit_identical_for_1_2_3_4_8_threads)
{
    sum_job job = {wild_doubles(SUM_ROWS, 20240607), SUM_ROWS, SUM_PARTITIONS};
    /* The same tree evaluated serially: level by level, (0,1), (2,3), ... */
    double part[SUM_PARTITIONS];
    for (size_t p = 0; p < SUM_PARTITIONS; p++)
        sum_map(&job, p, &part[p]);
    for (size_t step = 1; step < SUM_PARTITIONS; step *= 2)
        for (size_t i = 0; i + step < SUM_PARTITIONS; i += 2 * step)
            part[i] += part[i + step];
    double sequential = 0.0;
    for (size_t i = 0; i < SUM_ROWS; i++)
        sequential += job.x[i];
    /* Proof that order matters for this data; otherwise the test proves nothing. */
    cr_assert_neq(memcmp(&sequential, &part[0], sizeof sequential), 0,
                  "data too tame: the row-order sum equals the tree sum");

    const int threads[] = {1, 2, 3, 4, 8};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        sheaf_ctx *ctx = ctx_with_threads(threads[t]);
        double sum = 0.0;
        cr_assert_eq(sheaf_exec_map_merge(ctx, SUM_PARTITIONS, 1, sum_map, NULL, &job, &sum),
                     SHEAF_OK);
        cr_assert_eq(memcmp(&sum, &part[0], sizeof sum), 0,
                     "threads=%d: %a differs from the serial tree sum %a", threads[t], sum,
                     part[0]);
        sheaf_ctx_free(ctx);
    }
    free((void *)job.x);
}

#define WIDE_LEN 4096u
#define WIDE_PARTITIONS 37u

static sheaf_status wide_map(void *arg, size_t partition, double *stats)
{
    (void)arg;
    sheaf_rng r;
    sheaf_rng_init(&r, 7, 1, (uint32_t)partition, 0);
    for (size_t j = 0; j < WIDE_LEN; j++)
        stats[j] = ldexp(sheaf_rng_normal(&r, 0.0, 1.0), (int)sheaf_rng_integer(&r, 61) - 30);
    return SHEAF_OK;
}

Test(executor, wide_statistics_merged_in_parallel_are_bit_identical_across_threads)
{
    /* 37 partitions x 4096 statistics: the merge tree's own loop goes
     * parallel (pairs x length above its threshold). */
    double *ref = malloc(WIDE_LEN * sizeof *ref), *got = malloc(WIDE_LEN * sizeof *got);
    cr_assert(ref && got);
    const int threads[] = {1, 2, 3, 4, 8};
    for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
        sheaf_ctx *ctx = ctx_with_threads(threads[t]);
        cr_assert_eq(sheaf_exec_map_merge(ctx, WIDE_PARTITIONS, WIDE_LEN, wide_map, NULL, NULL,
                                          t ? got : ref),
                     SHEAF_OK);
        if (t) cr_assert_eq(memcmp(ref, got, WIDE_LEN * sizeof *ref), 0, "threads=%d", threads[t]);
        sheaf_ctx_free(ctx);
    }
    free(ref);
    free(got);
}

/* stats = {leftmost partition, value}; the merge is deliberately neither
 * commutative nor associative, so the result spells out the tree. */
typedef struct merge_log {
    atomic_int n;
    int pairs[64][2];
} merge_log;

static sheaf_status label_map(void *arg, size_t partition, double *stats)
{
    (void)arg;
    stats[0] = (double)partition;
    stats[1] = (double)(partition + 1);
    return SHEAF_OK;
}

static void concat_merge(void *arg, double *acc, const double *src, size_t len)
{
    merge_log *log = arg;
    cr_assert_eq(len, 2);
    int k = atomic_fetch_add(&log->n, 1);
    log->pairs[k][0] = (int)acc[0];
    log->pairs[k][1] = (int)src[0];
    acc[1] = acc[1] * 100.0 + src[1];
}

Test(executor, custom_merge_runs_in_the_fixed_tree_order)
{
    const int threads[] = {1, 4};
    for (size_t t = 0; t < 2; t++) {
        sheaf_ctx *ctx = ctx_with_threads(threads[t]);
        merge_log log = {0};
        double out[2];
        cr_assert_eq(sheaf_exec_map_merge(ctx, 5, 2, label_map, concat_merge, &log, out), SHEAF_OK);
        /* merge(a, b) = 100 a + b over the tree ((1,2),(3,4)),5:
         * 102 and 304, then 10504, then 1050405 (a left fold would give
         * 102030405). */
        cr_assert_eq(out[1], 1050405.0, "got %.17g", out[1]);
        cr_assert_eq(out[0], 0.0);
        cr_assert_eq(atomic_load(&log.n), 4);
        const int want[4][2] = {{0, 1}, {2, 3}, {0, 2}, {0, 4}};
        for (int i = 0; i < 4; i++) {
            cr_assert_eq(log.pairs[i][0], want[i][0], "merge %d", i);
            cr_assert_eq(log.pairs[i][1], want[i][1], "merge %d", i);
        }
        sheaf_ctx_free(ctx);
    }
}

static sheaf_status failing_map(void *arg, size_t partition, double *stats)
{
    (void)arg;
    stats[0] = 1.0;
    if (partition == 5) return sh_fail(SHEAF_ERR_SINGULAR, "partition five is singular");
    if (partition == 17) return sh_fail(SHEAF_ERR_NONFINITE, "partition seventeen has NaN");
    if (partition >= 40) return sh_fail(SHEAF_ERR_FORMAT, "partition %zu is bad", partition);
    return SHEAF_OK;
}

Test(executor, failure_reports_the_lowest_failing_partition_for_any_thread_count)
{
    const int threads[] = {1, 2, 3, 4, 8};
    for (int rep = 0; rep < 20; rep++)
        for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++) {
            sheaf_ctx *ctx = ctx_with_threads(threads[t]);
            double out = -1.0;
            cr_assert_eq(sheaf_exec_map_merge(ctx, 64, 1, failing_map, NULL, NULL, &out),
                         SHEAF_ERR_SINGULAR, "threads=%d", threads[t]);
            cr_assert_str_eq(sheaf_last_error(), "partition five is singular");
            sheaf_ctx_free(ctx);
        }
}

static sheaf_status never_called_map(void *arg, size_t partition, double *stats)
{
    (void)arg;
    (void)partition;
    (void)stats;
    cr_assert_fail("map called with zero partitions");
    return SHEAF_ERR_INTERNAL;
}

Test(executor, zero_partitions_give_zeroed_statistics)
{
    double out[3] = {7.0, 7.0, 7.0};
    cr_assert_eq(sheaf_exec_map_merge(NULL, 0, 3, never_called_map, NULL, NULL, out), SHEAF_OK);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(out[i], 0.0);
}

Test(executor, null_map_or_output_is_an_invalid_argument)
{
    double out = 0.0;
    cr_assert_eq(sheaf_exec_map_merge(NULL, 4, 1, NULL, NULL, NULL, &out),
                 SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(sheaf_last_error(), "sheaf_exec_map_merge: map is NULL"));
    cr_assert_eq(sheaf_exec_map_merge(NULL, 4, 2, label_map, NULL, NULL, NULL),
                 SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(sheaf_last_error(), "out_stats is NULL (stats_len=2)"));
    cr_assert_eq(sheaf_exec_for(NULL, 4, NULL, NULL), SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(sheaf_last_error(), "sheaf_exec_for: task is NULL"));
}

Test(executor, null_context_uses_every_core)
{
    double out[2];
    cr_assert_eq(sheaf_exec_map_merge(NULL, 3, 2, label_map, NULL, NULL, out), SHEAF_OK);
    cr_assert_eq(out[1], 6.0);
}

typedef struct progress_log {
    pthread_t caller;
    int calls;
    int wrong_thread;
    double last;
    double max;
    int bad_stage;
} progress_log;

static void record_progress(void *user, const char *stage, double fraction)
{
    progress_log *log = user;
    log->calls++;
    if (!pthread_equal(pthread_self(), log->caller)) log->wrong_thread++;
    if (strcmp(stage, "map") != 0) log->bad_stage++;
    if (fraction > log->max) log->max = fraction;
    log->last = fraction;
}

Test(executor, progress_reaches_one_on_the_calling_thread)
{
    sheaf_ctx *ctx = ctx_with_threads(4);
    progress_log log = {.caller = pthread_self()};
    cr_assert_eq(sheaf_ctx_set_progress(ctx, record_progress, &log), SHEAF_OK);
    double out[2];
    cr_assert_eq(sheaf_exec_map_merge(ctx, 32, 2, label_map, NULL, NULL, out), SHEAF_OK);
    cr_assert_gt(log.calls, 0);
    cr_assert_eq(log.last, 1.0);
    cr_assert_eq(log.max, 1.0);
    cr_assert_eq(log.wrong_thread, 0);
    cr_assert_eq(log.bad_stage, 0);
    sheaf_ctx_free(ctx);
}

typedef struct for_job {
    atomic_int visits[100];
    size_t fail_from;
} for_job;

static sheaf_status count_task(void *arg, size_t partition)
{
    for_job *job = arg;
    atomic_fetch_add(&job->visits[partition], 1);
    if (partition >= job->fail_from)
        return sh_fail(SHEAF_ERR_IO, "task %zu could not write", partition);
    return SHEAF_OK;
}

Test(executor, exec_for_runs_every_partition_exactly_once)
{
    const int threads[] = {1, 3, 8};
    for (size_t t = 0; t < 3; t++) {
        sheaf_ctx *ctx = ctx_with_threads(threads[t]);
        for_job job = {.fail_from = SIZE_MAX};
        cr_assert_eq(sheaf_exec_for(ctx, 100, count_task, &job), SHEAF_OK);
        for (int p = 0; p < 100; p++)
            cr_assert_eq(atomic_load(&job.visits[p]), 1, "p=%d", p);
        cr_assert_eq(sheaf_exec_for(ctx, 0, count_task, &job), SHEAF_OK);
        sheaf_ctx_free(ctx);
    }
}

Test(executor, exec_for_reports_the_lowest_failing_task)
{
    const int threads[] = {1, 2, 3, 4, 8};
    for (size_t t = 0; t < 5; t++) {
        sheaf_ctx *ctx = ctx_with_threads(threads[t]);
        for_job job = {.fail_from = 60};
        cr_assert_eq(sheaf_exec_for(ctx, 100, count_task, &job), SHEAF_ERR_IO);
        cr_assert_str_eq(sheaf_last_error(), "task 60 could not write");
        /* Partitions below the lowest failure always run. */
        for (int p = 0; p <= 60; p++)
            cr_assert_eq(atomic_load(&job.visits[p]), 1, "p=%d", p);
        sheaf_ctx_free(ctx);
    }
}

static sheaf_status no_stats_map(void *arg, size_t partition, double *stats)
{
    (void)stats;
    atomic_int *calls = arg;
    atomic_fetch_add(calls, 1);
    return partition < 100 ? SHEAF_OK : SHEAF_ERR_INTERNAL;
}

Test(executor, zero_length_statistics_need_no_output_buffer)
{
    atomic_int calls = 0;
    cr_assert_eq(sheaf_exec_map_merge(NULL, 0, 0, no_stats_map, NULL, &calls, NULL), SHEAF_OK);
    cr_assert_eq(sheaf_exec_map_merge(NULL, 6, 0, no_stats_map, NULL, &calls, NULL), SHEAF_OK);
    cr_assert_eq(atomic_load(&calls), 6);
}
