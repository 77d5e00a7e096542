/* context.c - sheaf_ctx: the one state object every parallel call takes.
 * It holds settings only; nothing in it changes while work runs. */
#include "internal.h"

#include <omp.h>

struct sheaf_ctx {
    int threads;
    size_t partitions;
    uint64_t seed;
    sheaf_progress_fn progress;
    void *progress_user;
};

static int all_cores(void)
{
    int n = omp_get_num_procs();
    return n > 0 ? n : 1;
}

sheaf_status sheaf_ctx_create(sheaf_ctx **out)
{
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_ctx_create: out is NULL");
    *out = NULL;
    sheaf_ctx *ctx = sh_calloc(1, sizeof *ctx);
    if (!ctx) return sh_fail(SHEAF_ERR_NOMEM, "sheaf_ctx_create: out of memory");
    ctx->threads = all_cores();
    ctx->partitions = 4 * (size_t)ctx->threads;
    *out = ctx;
    return SHEAF_OK;
}

void sheaf_ctx_free(sheaf_ctx *ctx) { sh_free(ctx); }

sheaf_status sheaf_ctx_set_threads(sheaf_ctx *ctx, int threads)
{
    if (!ctx) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_ctx_set_threads: ctx is NULL");
    if (threads < 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "sheaf_ctx_set_threads: threads must be >= 0 (got %d)", threads);
    ctx->threads = threads == 0 ? all_cores() : threads;
    return SHEAF_OK;
}

int sheaf_ctx_threads(const sheaf_ctx *ctx) { return sh_ctx_threads_or_default(ctx); }

int sh_ctx_threads_or_default(const sheaf_ctx *ctx) { return ctx ? ctx->threads : all_cores(); }

sheaf_status sheaf_ctx_set_partitions(sheaf_ctx *ctx, size_t partitions)
{
    if (!ctx) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_ctx_set_partitions: ctx is NULL");
    if (partitions == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "sheaf_ctx_set_partitions: partitions must be >= 1 (got 0)");
    ctx->partitions = partitions;
    return SHEAF_OK;
}

size_t sheaf_ctx_partitions(const sheaf_ctx *ctx)
{
    return ctx ? ctx->partitions : 4 * (size_t)all_cores();
}

sheaf_status sheaf_ctx_set_seed(sheaf_ctx *ctx, uint64_t seed)
{
    if (!ctx) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_ctx_set_seed: ctx is NULL");
    ctx->seed = seed;
    return SHEAF_OK;
}

uint64_t sheaf_ctx_seed(const sheaf_ctx *ctx) { return ctx ? ctx->seed : 0; }

sheaf_status sheaf_ctx_set_progress(sheaf_ctx *ctx, sheaf_progress_fn fn, void *user)
{
    if (!ctx) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_ctx_set_progress: ctx is NULL");
    ctx->progress = fn;
    ctx->progress_user = user;
    return SHEAF_OK;
}

void sh_ctx_progress(const sheaf_ctx *ctx, const char *stage, double fraction)
{
    if (ctx && ctx->progress) ctx->progress(ctx->progress_user, stage, fraction);
}
