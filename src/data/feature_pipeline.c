/* feature_pipeline.c - an ordered list of fitted stages replayed on new
 * frames, as Spark ML's PipelineModel.transform folds its stages over a
 * DataFrame (mllib/src/main/scala/org/apache/spark/ml/Pipeline.scala).
 * Intermediate frames share the columns no stage rewrites, and each is
 * freed as soon as the next stage has read it. */
#include "data/feature_internal.h"

#include <string.h>

struct sheaf_pipeline {
    sheaf_stage **stages;
    size_t n, cap;
};

sheaf_status sheaf_pipeline_create(sheaf_pipeline **out)
{
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_pipeline_create: out is NULL");
    *out = sh_calloc(1, sizeof **out);
    return *out ? SHEAF_OK : sh_fail(SHEAF_ERR_NOMEM, "sheaf_pipeline_create: out of memory");
}

void sheaf_pipeline_free(sheaf_pipeline *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++)
        sheaf_stage_free(p->stages[i]);
    sh_free(p->stages);
    sh_free(p);
}

sheaf_status sheaf_pipeline_add(sheaf_pipeline *p, sheaf_stage *stage)
{
    if (!p || !stage) {
        sheaf_stage_free(stage);
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_pipeline_add: pipeline or stage is NULL");
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 4;
        sheaf_stage **stages = sh_realloc(p->stages, cap * sizeof *stages);
        if (!stages) {
            sheaf_stage_free(stage);
            return sh_fail(SHEAF_ERR_NOMEM, "sheaf_pipeline_add: out of memory for %zu stages",
                           cap);
        }
        p->stages = stages;
        p->cap = cap;
    }
    p->stages[p->n++] = stage;
    return SHEAF_OK;
}

size_t sheaf_pipeline_num_stages(const sheaf_pipeline *p) { return p ? p->n : 0; }

const sheaf_stage *sheaf_pipeline_stage(const sheaf_pipeline *p, size_t i)
{
    return p && i < p->n ? p->stages[i] : NULL;
}

sheaf_status sheaf_pipeline_transform(const sheaf_ctx *ctx, const sheaf_pipeline *p,
                                      const sheaf_frame *in, sheaf_frame **out)
{
    static const char caller[] = "sheaf_pipeline_transform";
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", caller);
    *out = NULL;
    if (!p || !in)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: pipeline or frame is NULL", caller);
    if (p->n == 0) return sh_frame_clone(in, caller, out);
    sheaf_frame *current = NULL;
    for (size_t i = 0; i < p->n; i++) {
        sheaf_frame *next = NULL;
        sheaf_status st = sheaf_stage_transform(ctx, p->stages[i], current ? current : in, &next);
        sheaf_frame_free(current);
        if (st != SHEAF_OK) {
            char message[SH_ERROR_CAPACITY];
            sh_copy_error(message);
            return sh_fail(st, "%s: stage %zu: %s", caller, i, message);
        }
        current = next;
    }
    *out = current;
    return SHEAF_OK;
}
