/* group_by.c - sheaf_frame_group_by: two-phase, column-at-a-time group-by.
 *
 * Method (the partial/final aggregation of parallel databases, Graefe,
 * "Query evaluation techniques for large databases", 1993, sec. 6, done
 * column at a time as in MonetDB/X100 and DuckDB):
 *  - phase A (group_ids.c) gives every row the dense id of its key tuple
 *    within its chunk of rows - key - min for one small-range integer key,
 *    else a per-chunk hash table - and merges the chunks' ids into global
 *    ids sorted by key;
 *  - phase B (group_agg.c) computes each statistic one column at a time:
 *    every chunk in parallel runs a tight loop over (value, id) into plain
 *    arrays, then the chunks merge into the global arrays in chunk order
 *    (in parallel over disjoint ranges of ids when ids are dense). mean,
 *    std and count of one column share one pass.
 * Output rows are the groups in key order; key columns are gathered from
 * each group's first row. Semantics mirror pandas 1.5
 * df.groupby(keys, sort=True, dropna=True).agg(...) (pandas/core/groupby);
 * per-group arithmetic mirrors pandas/_libs/groupby.pyx. */
#include "data/group_agg.h"
#include "data/group_ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static const char caller[] = "sheaf_frame_group_by";

/* Ids per merge task of the dense merge. */
#define MERGE_SLICE 16384

const char *sheaf_agg_name(sheaf_agg agg)
{
    switch (agg) {
    case SHEAF_AGG_COUNT: return "count";
    case SHEAF_AGG_SUM: return "sum";
    case SHEAF_AGG_MEAN: return "mean";
    case SHEAF_AGG_MIN: return "min";
    case SHEAF_AGG_MAX: return "max";
    case SHEAF_AGG_STD: return "std";
    case SHEAF_AGG_VAR: return "var";
    case SHEAF_AGG_FIRST: return "first";
    case SHEAF_AGG_LAST: return "last";
    }
    return NULL;
}

typedef struct stat_job {
    const sh_group_ids *ids;
    const sh_stat *stat;
    void **scratch; /* per chunk, 64-byte aligned */
} stat_job;

static sheaf_status stat_chunk_task(void *arg, size_t c)
{
    const stat_job *j = arg;
    const sh_group_chunk *ch = &j->ids->chunks[c];
    sh_stat_chunk(j->stat, j->ids->row_group, ch, j->scratch[c]);
    return SHEAF_OK;
}

static sheaf_status dense_merge_task(void *arg, size_t t)
{
    const stat_job *j = arg;
    size_t n = j->ids->n_slots, lo = t * MERGE_SLICE;
    size_t hi = lo + MERGE_SLICE < n ? lo + MERGE_SLICE : n;
    for (size_t c = 0; c < j->ids->n_chunks; c++)
        sh_stat_merge_dense(j->stat, &j->ids->chunks[c], j->scratch[c], lo, hi);
    return SHEAF_OK;
}

/* bytes (64-byte aligned), on huge pages when they span several. */
static void *alloc_block(size_t bytes)
{
    const size_t huge_page = (size_t)2 << 20;
    if (bytes < 2 * huge_page) return sh_malloc_aligned(64, bytes ? bytes : 64);
    void *p = sh_malloc_aligned(huge_page, (bytes + huge_page - 1) / huge_page * huge_page);
    if (p) madvise(p, bytes, MADV_HUGEPAGE); /* advice only: may be refused */
    return p;
}

/* Every statistic over every chunk, merged into its global arrays. */
static sheaf_status compute_stats(const sheaf_ctx *ctx, const sh_group_ids *ids, sh_stat *stats,
                                  size_t n_stats)
{
    sheaf_status st = SHEAF_OK;
    char *block = NULL;
    void **scratch = NULL;
    size_t width = 8;
    for (size_t s = 0; s < n_stats; s++) {
        size_t b = sh_stat_chunk_bytes(&stats[s]);
        width = b > width ? b : width;
    }
    /* One block for every chunk's scratch, each part 64-byte aligned: big
     * blocks get huge pages, and the random updates of a pass then miss
     * no TLB. */
    size_t total = 0;
    for (size_t c = 0; c < ids->n_chunks; c++) {
        size_t n = ids->chunks[c].n_local;
        if (n > (SIZE_MAX / 2) / width - total) goto nomem;
        total += (n * width + 63) / 64 * 64;
    }
    if (!(scratch = sh_calloc(ids->n_chunks ? ids->n_chunks : 1, sizeof *scratch)) ||
        !(block = alloc_block(total)))
        goto nomem;
    for (size_t c = 0, at = 0; c < ids->n_chunks; c++) {
        scratch[c] = block + at;
        at += (ids->chunks[c].n_local * width + 63) / 64 * 64;
    }
    for (size_t s = 0; s < n_stats; s++) {
        if (sh_stat_alloc_global(&stats[s], ids->n_slots) != SHEAF_OK) goto nomem;
        stat_job j = {ids, &stats[s], scratch};
        if ((st = sheaf_exec_for(ctx, ids->n_chunks, stat_chunk_task, &j)) != SHEAF_OK) goto done;
        if (ids->dense) {
            size_t tasks = (ids->n_slots + MERGE_SLICE - 1) / MERGE_SLICE;
            if ((st = sheaf_exec_for(ctx, tasks, dense_merge_task, &j)) != SHEAF_OK) goto done;
        } else
            for (size_t c = 0; c < ids->n_chunks; c++)
                sh_stat_merge_remap(&stats[s], &ids->chunks[c], scratch[c]);
    }
    goto done;
nomem:
    st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for the statistics of %zu groups", caller,
                 ids->n_slots);
done:
    sh_free(block);
    sh_free(scratch);
    return st;
}

/* Appends the key columns and one column per plan, groups in key order. */
static sheaf_status write_result(const sheaf_ctx *ctx, const sh_keys *k, const sh_group_ids *ids,
                                 const sh_agg_plan *plans, size_t n_plans, const sh_stat *stats,
                                 sheaf_frame *f)
{
    int threads = sh_ctx_threads_or_default(ctx);
    size_t n = ids->n_groups;
    size_t *idx = sh_malloc_array(n ? n : 1, sizeof *idx);
    if (!idx) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu groups", caller, n);
    sheaf_status st = SHEAF_OK;
    for (size_t i = 0; i < n; i++)
        idx[i] = ids->first_row[ids->order[i]];
    for (size_t c = 0; c < k->n_keys && st == SHEAF_OK; c++) {
        const sh_column *src = k->cols[c].col;
        sh_column col;
        st = sh_gather_column(src, src->name, idx, n, threads, caller, &col);
        if (st == SHEAF_OK) st = sh_frame_take_column(f, &col, n, caller);
    }
    for (size_t a = 0; a < n_plans && st == SHEAF_OK; a++) {
        const sh_agg_plan *plan = &plans[a];
        const sh_stat *s = &stats[plan->stat];
        sh_column col;
        if (plan->agg == SHEAF_AGG_FIRST || plan->agg == SHEAF_AGG_LAST) {
            sh_agg_finish(plan, s, ids->order, n, NULL, idx); /* SIZE_MAX is SH_ROW_NONE */
            st = sh_gather_column(plan->col, plan->name, idx, n, threads, caller, &col);
        } else {
            st = sh_column_alloc(&col, plan->name, sh_agg_output_type(plan), plan->col->unit, n,
                                 caller);
            if (st == SHEAF_OK && col.type == SHEAF_TYPE_STRING &&
                sh_copy_dictionary(&col, plan->col) != SHEAF_OK) {
                sh_column_clear(&col);
                st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for column '%s'", caller,
                             plan->name);
            }
            if (st == SHEAF_OK) {
                sh_agg_finish(plan, s, ids->order, n, &col, NULL);
                sh_column_settle_validity(&col, n);
            }
        }
        if (st == SHEAF_OK) st = sh_frame_take_column(f, &col, n, caller);
    }
    sh_free(idx);
    return st;
}

/* Fills plans from the specs: columns, names, string ranks. */
static sheaf_status plan_aggs(const sheaf_frame *in, const sheaf_agg_spec *aggs, size_t n_aggs,
                              sh_agg_plan *plans)
{
    for (size_t a = 0; a < n_aggs; a++) {
        sh_agg_plan *plan = &plans[a];
        size_t c;
        sheaf_status st = sh_frame_find(in, aggs[a].column, caller, &c);
        if (st != SHEAF_OK) return st;
        plan->col = &in->cols[c];
        plan->agg = aggs[a].agg;
        if ((st = sh_agg_prepare(plan, caller)) != SHEAF_OK) return st;
        const char *agg_name = sheaf_agg_name(plan->agg);
        size_t len =
            aggs[a].name ? strlen(aggs[a].name) : strlen(aggs[a].column) + 1 + strlen(agg_name);
        if (!(plan->name = sh_malloc(len + 1)))
            return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
        if (aggs[a].name)
            memcpy(plan->name, aggs[a].name, len + 1);
        else
            snprintf(plan->name, len + 1, "%s_%s", aggs[a].column, agg_name);
        if (plan->col->type == SHEAF_TYPE_STRING &&
            (plan->agg == SHEAF_AGG_MIN || plan->agg == SHEAF_AGG_MAX)) {
            sh_keys one = {0};
            const char *name = plan->col->name;
            if ((st = sh_keys_open(&one, in, &name, 1, caller)) != SHEAF_OK) return st;
            st = sh_keys_rank(&one, caller);
            plan->rank = one.cols[0].rank;
            one.cols[0].rank = NULL;
            sh_keys_clear(&one);
            if (st != SHEAF_OK) return st;
        }
    }
    return SHEAF_OK;
}

/* One statistic per (column, kind), at the highest MOMENTS level asked;
 * plan->stat set. */
static size_t plan_stats(sh_agg_plan *plans, size_t n_plans, sh_stat *stats)
{
    size_t n = 0;
    for (size_t a = 0; a < n_plans; a++) {
        sh_stat_kind kind;
        int level;
        sh_agg_needs(&plans[a], &kind, &level);
        size_t s = 0;
        while (s < n && !(stats[s].col == plans[a].col && stats[s].kind == kind))
            s++;
        if (s == n) stats[n++] = (sh_stat){plans[a].col, kind, level, plans[a].rank, NULL};
        if (level > stats[s].level) stats[s].level = level;
        plans[a].stat = s;
    }
    return n;
}

sheaf_status sheaf_frame_group_by(const sheaf_ctx *ctx, const sheaf_frame *in,
                                  const char *const *keys, size_t n_keys,
                                  const sheaf_agg_spec *aggs, size_t n_aggs, sheaf_frame **out)
{
    if (out) *out = NULL;
    if (!in || !out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: in or out is NULL", caller);
    if (n_keys == 0 || !keys)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: no key columns (n_keys is 0)", caller);
    if (n_aggs > 0 && !aggs) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: aggs is NULL", caller);
    sheaf_status st = SHEAF_OK;
    sh_keys k = {0};
    sh_group_ids ids = {0};
    size_t n_stats = 0;
    sh_agg_plan *plans = sh_calloc(n_aggs ? n_aggs : 1, sizeof *plans);
    sh_stat *stats = sh_calloc(n_aggs ? n_aggs : 1, sizeof *stats);
    sheaf_frame *f = NULL;
    if (!plans || !stats) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
        goto done;
    }
    if ((st = sh_keys_open(&k, in, keys, n_keys, caller)) != SHEAF_OK) goto done;
    if ((st = plan_aggs(in, aggs, n_aggs, plans)) != SHEAF_OK) goto done;
    if ((st = sh_keys_rank(&k, caller)) != SHEAF_OK) goto done;
    n_stats = plan_stats(plans, n_aggs, stats);
    if ((st = sh_group_ids_build(ctx, in, &k, sh_group_layout_within(in, &k),
                                 SH_GROUP_DROP_MISSING | SH_GROUP_ROW_IDS | SH_GROUP_SORTED, caller,
                                 &ids)) != SHEAF_OK)
        goto done;
    if ((st = compute_stats(ctx, &ids, stats, n_stats)) != SHEAF_OK) goto done;
    if ((st = sheaf_frame_create(&f)) != SHEAF_OK) goto done;
    if ((st = write_result(ctx, &k, &ids, plans, n_aggs, stats, f)) != SHEAF_OK) goto done;
    if ((st = sh_frame_set_even_partitions(f, sheaf_ctx_partitions(ctx), caller)) != SHEAF_OK)
        goto done;
    *out = f;
    f = NULL;
done:
    sheaf_frame_free(f);
    for (size_t s = 0; s < n_stats; s++)
        sh_free(stats[s].global);
    sh_free(stats);
    for (size_t a = 0; plans && a < n_aggs; a++) {
        sh_free(plans[a].name);
        sh_free(plans[a].rank);
    }
    sh_free(plans);
    sh_group_ids_clear(&ids);
    sh_keys_clear(&k);
    return st;
}
