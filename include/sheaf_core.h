/* sheaf_core.h - status codes, errors, the context, the counter-based random
 * generator and the partition executor. Every other sheaf header includes it. */
#ifndef SHEAF_CORE_H
#define SHEAF_CORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SHEAF_BUILDING) && defined(__GNUC__)
#define SHEAF_API __attribute__((visibility("default")))
#else
#define SHEAF_API
#endif

#define SHEAF_VERSION_MAJOR 0
#define SHEAF_VERSION_MINOR 1
#define SHEAF_VERSION_PATCH 0
#define SHEAF_VERSION_STRING "0.1.0"

/* Every public function that can fail returns one of these; the numbers are
 * part of the ABI and never change. */
typedef enum sheaf_status {
    SHEAF_OK = 0,
    SHEAF_ERR_INVALID_ARGUMENT = 1,
    SHEAF_ERR_DIMENSION = 2,
    SHEAF_ERR_NONFINITE = 3,
    SHEAF_ERR_NOMEM = 4,
    SHEAF_ERR_SINGULAR = 5,
    SHEAF_ERR_NO_CONVERGENCE = 6,
    SHEAF_ERR_IO = 7,
    SHEAF_ERR_FORMAT = 8,
    SHEAF_ERR_VERSION = 9,
    SHEAF_ERR_CRYPTO = 10,
    SHEAF_ERR_MISUSE = 11,
    SHEAF_ERR_UNSUPPORTED = 12,
    SHEAF_ERR_INTERNAL = 13
} sheaf_status;

/* The library version as "MAJOR.MINOR.PATCH"; static storage. */
SHEAF_API const char *sheaf_version(void);

/* The message of the calling thread's most recent failure ("" if none);
 * valid until the thread's next failing sheaf call. */
SHEAF_API const char *sheaf_last_error(void);

/* A fixed English name for a status ("SHEAF_ERR_FORMAT"); never NULL. */
SHEAF_API const char *sheaf_status_name(sheaf_status status);

/* Test hook: make the n-th (1-based) allocation from now on, in the calling
 * thread, fail; n = 0 disables it. Returns the allocations counted since the
 * last call, so a test can first count and then fail each one in turn. */
SHEAF_API uint64_t sheaf_debug_fail_allocation(uint64_t n);

/* ---- context ------------------------------------------------------------ */

/* Progress report: stage names the work ("csv_read"), fraction is in [0, 1].
 * Always called from the thread that made the sheaf call. */
typedef void (*sheaf_progress_fn)(void *user, const char *stage, double fraction);

/* Threads, default partition count, seed and progress callback. A context
 * may be shared by several threads only while no one changes it. */
typedef struct sheaf_ctx sheaf_ctx;

/* A new context: threads = all cores OpenMP reports, partitions = 4 x
 * threads, seed = 0, no progress callback. *out is NULL on failure. */
SHEAF_API sheaf_status sheaf_ctx_create(sheaf_ctx **out);

/* Frees the context; NULL is a no-op. */
SHEAF_API void sheaf_ctx_free(sheaf_ctx *ctx);

/* Threads the executor uses (>= 1; 0 means all cores). */
SHEAF_API sheaf_status sheaf_ctx_set_threads(sheaf_ctx *ctx, int threads);
SHEAF_API int sheaf_ctx_threads(const sheaf_ctx *ctx);

/* Partitions a reader or partitioner makes when the caller does not say (>= 1). */
SHEAF_API sheaf_status sheaf_ctx_set_partitions(sheaf_ctx *ctx, size_t partitions);
SHEAF_API size_t sheaf_ctx_partitions(const sheaf_ctx *ctx);

/* The seed every random choice made under this context derives from. */
SHEAF_API sheaf_status sheaf_ctx_set_seed(sheaf_ctx *ctx, uint64_t seed);
SHEAF_API uint64_t sheaf_ctx_seed(const sheaf_ctx *ctx);

/* Installs (or with fn = NULL removes) the progress callback. */
SHEAF_API sheaf_status sheaf_ctx_set_progress(sheaf_ctx *ctx, sheaf_progress_fn fn, void *user);

/* ---- counter-based random numbers ---------------------------------------- */

/* A Philox4x32-10 generator positioned at the address (seed, stream,
 * partition, index). Draws made from one address are a pure function of that
 * address, so a row's random choices never depend on thread scheduling. The
 * struct is public only so it can live on the stack; use the functions. */
typedef struct sheaf_rng {
    uint32_t key[2];
    uint32_t counter[4];
    uint32_t block[4];
    unsigned next_word;
    int has_spare_normal;
    double spare_normal;
} sheaf_rng;

/* Positions r at (seed, stream, partition, index); cannot fail. */
SHEAF_API void sheaf_rng_init(sheaf_rng *r, uint64_t seed, uint64_t stream, uint32_t partition,
                              uint64_t index);
/* 64 uniformly distributed bits. */
SHEAF_API uint64_t sheaf_rng_u64(sheaf_rng *r);
/* Uniform on [0, 1) with 53 random bits. */
SHEAF_API double sheaf_rng_uniform(sheaf_rng *r);
/* Normal(mean, sd) by the Box-Muller transform; sd >= 0 is the caller's job. */
SHEAF_API double sheaf_rng_normal(sheaf_rng *r, double mean, double sd);
/* Poisson(lambda): inversion for lambda < 10, Hormann's PTRS above; lambda
 * must be finite and >= 0 (otherwise returns 0). */
SHEAF_API uint64_t sheaf_rng_poisson(sheaf_rng *r, double lambda);
/* Uniform integer on [0, n) without modulo bias (Lemire); n = 0 returns 0. */
SHEAF_API uint64_t sheaf_rng_integer(sheaf_rng *r, uint64_t n);

/* ---- the partition executor ---------------------------------------------- */

/* Work on one partition: fill stats[0..stats_len) (zeroed beforehand) from
 * partition p. Report failure with a status; a message set with the usual
 * sheaf error mechanism is carried back to the calling thread. */
typedef sheaf_status (*sheaf_map_fn)(void *arg, size_t partition, double *stats);

/* Merge src into acc (both stats_len long). NULL means element-wise sum. */
typedef void (*sheaf_merge_fn)(void *arg, double *acc, const double *src, size_t stats_len);

/* Runs map on partitions 0..n-1 in parallel with ctx's threads, then merges
 * their statistics in a fixed binary tree ordered by partition index, so
 * out_stats (caller-allocated, stats_len) is bit-identical for any thread
 * count. On failure reports the lowest-index failing partition's status and
 * message. n = 0 gives zeroed stats. */
SHEAF_API sheaf_status sheaf_exec_map_merge(const sheaf_ctx *ctx, size_t n_partitions,
                                            size_t stats_len, sheaf_map_fn map,
                                            sheaf_merge_fn merge, void *arg, double *out_stats);

/* Work on one partition of a grouped map, writing wherever arg says. */
typedef sheaf_status (*sheaf_task_fn)(void *arg, size_t partition);

/* Runs task on partitions 0..n-1 in parallel; errors as sheaf_exec_map_merge. */
SHEAF_API sheaf_status sheaf_exec_for(const sheaf_ctx *ctx, size_t n_partitions, sheaf_task_fn task,
                                      void *arg);

#ifdef __cplusplus
}
#endif
#endif
