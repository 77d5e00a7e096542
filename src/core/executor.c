/* executor.c - the partition executor of DESIGN.md.
 *
 * Map: partitions run in parallel (OpenMP, dynamic schedule, one partition
 * per grab). Merge: partition statistics are combined in a fixed binary tree
 * over partition indices - (0,1), (2,3), ... then (0,2), (4,6), ... - so the
 * sequence of floating-point operations, and therefore every bit of the
 * result, is the same for any thread count. Failures: each worker keeps its
 * own message; the calling thread reports the lowest-index failing
 * partition, which is deterministic because partitions below the current
 * lowest failure always run to completion. */
#include "internal.h"

#include <omp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

typedef sheaf_status (*partition_body)(void *arg, size_t partition);

typedef struct failure {
    size_t partition; /* SIZE_MAX while no partition failed */
    sheaf_status status;
    char message[SH_ERROR_CAPACITY];
} failure;

static void record_failure(failure *f, size_t partition, sheaf_status status)
{
#pragma omp critical(sheaf_exec_failure)
    {
        if (partition < f->partition) {
#pragma omp atomic write
            f->partition = partition;
            f->status = status;
            sh_copy_error(f->message);
            if (f->message[0] == '\0') /* the partition set no message of its own */
                snprintf(f->message, sizeof f->message, "partition %zu failed with %s", partition,
                         sheaf_status_name(status));
        }
    }
}

static size_t lowest_failure(failure *f)
{
    size_t p;
#pragma omp atomic read
    p = f->partition;
    return p;
}

static sheaf_status run_partitions(const sheaf_ctx *ctx, const char *stage, size_t n,
                                   partition_body body, void *arg)
{
    failure fail = {.partition = SIZE_MAX, .status = SHEAF_OK, .message = {0}};
    char caller_message[SH_ERROR_CAPACITY]; /* restored on success: the map may run here */
    sh_copy_error(caller_message);
    atomic_size_t done = 0;
    int threads = sh_ctx_threads_or_default(ctx);
    if ((size_t)threads > n) threads = (int)n;
    long long count = (long long)n;

#pragma omp parallel num_threads(threads)
    {
        /* One thread per partition, also inside BLAS: OpenBLAS (OpenMP
         * build) sizes its team by omp_get_max_threads() whenever the region
         * is inactive (one thread), and its blocking, hence its rounding,
         * depends on that team. This ICV is the region's own; the caller's
         * setting is untouched. */
        omp_set_num_threads(1);
#pragma omp for schedule(dynamic, 1)
        for (long long i = 0; i < count; i++) {
            size_t p = (size_t)i;
            if (p > lowest_failure(&fail)) continue; /* cannot change the verdict */
            sh_clear_error(); /* so a failure never carries an older message */
            sheaf_status st = body(arg, p);
            if (st != SHEAF_OK) record_failure(&fail, p, st);
            size_t finished = atomic_fetch_add(&done, 1) + 1;
            if (omp_get_thread_num() == 0)
                sh_ctx_progress(ctx, stage, (double)finished / (double)n);
        }
    }
    if (fail.partition != SIZE_MAX) {
        sh_set_error_text(fail.message);
        return fail.status;
    }
    sh_set_error_text(caller_message);
    sh_ctx_progress(ctx, stage, 1.0);
    return SHEAF_OK;
}

typedef struct map_job {
    sheaf_map_fn map;
    void *arg;
    double *stats;
    size_t slot; /* doubles per partition: stats_len rounded up to a cache line */
} map_job;

/* Each partition's statistics start on their own 64-byte line: maps that
 * accumulate into them row by row would otherwise fight over the line two
 * neighbouring slots share (false sharing). */
#define SLOT_DOUBLES 8

static sheaf_status map_body(void *arg, size_t partition)
{
    map_job *job = arg;
    return job->map(job->arg, partition, job->stats + partition * job->slot);
}

static void sum_merge(double *acc, const double *src, size_t len)
{
    for (size_t i = 0; i < len; i++)
        acc[i] += src[i];
}

/* Merging pairs of one tree level in parallel keeps the bits: each pair is
 * a fixed (acc, src) couple whoever computes it. */
static void tree_merge(const sheaf_ctx *ctx, double *stats, size_t n, size_t slot, size_t len,
                       sheaf_merge_fn merge, void *arg)
{
    int threads = sh_ctx_threads_or_default(ctx);
    for (size_t step = 1; step < n; step *= 2) {
        long long pairs = (long long)((n - step + 2 * step - 1) / (2 * step));
#pragma omp parallel for schedule(static) num_threads(threads) if (pairs * (long long)len > 65536)
        for (long long k = 0; k < pairs; k++) {
            size_t i = (size_t)k * 2 * step;
            double *acc = stats + i * slot;
            const double *src = stats + (i + step) * slot;
            if (merge)
                merge(arg, acc, src, len);
            else
                sum_merge(acc, src, len);
        }
    }
}

sheaf_status sheaf_exec_map_merge(const sheaf_ctx *ctx, size_t n_partitions, size_t stats_len,
                                  sheaf_map_fn map, sheaf_merge_fn merge, void *arg,
                                  double *out_stats)
{
    if (!map) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_exec_map_merge: map is NULL");
    if (stats_len > 0 && !out_stats)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "sheaf_exec_map_merge: out_stats is NULL (stats_len=%zu)", stats_len);
    if (n_partitions == 0) {
        if (stats_len > 0) memset(out_stats, 0, stats_len * sizeof *out_stats);
        return SHEAF_OK;
    }
    double *stats = NULL;
    size_t slot = stats_len > SIZE_MAX - SLOT_DOUBLES
                      ? 0
                      : (stats_len + SLOT_DOUBLES - 1) / SLOT_DOUBLES * SLOT_DOUBLES;
    if (stats_len > 0) {
        if (slot == 0 || n_partitions > SIZE_MAX / sizeof(double) / slot ||
            !(stats = sh_malloc_aligned(SLOT_DOUBLES * sizeof(double),
                                        n_partitions * slot * sizeof *stats)))
            return sh_fail(SHEAF_ERR_NOMEM,
                           "sheaf_exec_map_merge: out of memory for %zu partitions x %zu "
                           "statistics",
                           n_partitions, stats_len);
        memset(stats, 0, n_partitions * slot * sizeof *stats);
    }
    map_job job = {map, arg, stats, slot};
    sheaf_status st = run_partitions(ctx, "map", n_partitions, map_body, &job);
    if (st == SHEAF_OK && stats_len > 0) {
        tree_merge(ctx, stats, n_partitions, slot, stats_len, merge, arg);
        memcpy(out_stats, stats, stats_len * sizeof *stats);
    }
    sh_free(stats);
    return st;
}

typedef struct task_job {
    sheaf_task_fn task;
    void *arg;
} task_job;

static sheaf_status task_body(void *arg, size_t partition)
{
    task_job *job = arg;
    return job->task(job->arg, partition);
}

sheaf_status sheaf_exec_for(const sheaf_ctx *ctx, size_t n_partitions, sheaf_task_fn task,
                            void *arg)
{
    if (!task) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_exec_for: task is NULL");
    if (n_partitions == 0) return SHEAF_OK;
    task_job job = {task, arg};
    return run_partitions(ctx, "map", n_partitions, task_body, &job);
}
