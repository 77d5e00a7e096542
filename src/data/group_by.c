/* group_by.c - sheaf_frame_group_by: hash aggregation by key tuples.
 *
 * Method (the partial/final aggregation of parallel databases, e.g.
 * Graefe, "Query evaluation techniques for large databases", 1993, sec. 6):
 * every partition aggregates its rows into its own hash table of key words
 * (keys.h) -> accumulators (group_agg.c), groups numbered in order of first
 * appearance; the coordinator then merges the partitions' tables in
 * partition order into one, which is a plain concatenation when the frame
 * is partitioned "by key" on a subset of the group keys (no key can then
 * appear in two partitions). Groups are finally sorted by key (numbers by
 * value, strings by content) and written out; key columns are gathered
 * from each group's first row. Semantics mirror pandas 1.5
 * df.groupby(keys, sort=True, dropna=True).agg(...) (pandas/core/groupby);
 * per-group arithmetic mirrors pandas/_libs/groupby.pyx. */
#include "data/group_agg.h"
#include "data/keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char caller[] = "sheaf_frame_group_by";

/* One partition's partial aggregate. Lane 0 of each group is its first row. */
typedef struct part_agg {
    sh_key_table table;
    sh_lane *lanes; /* table.n_groups * n_lanes */
    size_t cap;     /* groups lanes has room for */
} part_agg;

typedef struct job {
    const sheaf_frame *in;
    const sh_keys *keys;
    const sh_agg_plan *plans;
    size_t n_plans, n_lanes;
    part_agg *parts;
} job;

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

static void init_group(const job *j, sh_lane *lanes, size_t first_row)
{
    lanes[0].u = first_row;
    for (size_t a = 0; a < j->n_plans; a++)
        sh_agg_init(&j->plans[a], lanes);
}

/* Makes room for one more group's lanes. */
static sheaf_status reserve(part_agg *pa, size_t n_lanes)
{
    if (pa->table.n_groups < pa->cap) return SHEAF_OK;
    size_t cap = pa->cap ? 2 * pa->cap : 64;
    sh_lane *lanes = sh_realloc(pa->lanes, cap * n_lanes * sizeof *lanes);
    if (!lanes) return SHEAF_ERR_NOMEM;
    pa->lanes = lanes;
    pa->cap = cap;
    return SHEAF_OK;
}

static sheaf_status aggregate_partition(void *arg, size_t p)
{
    const job *j = arg;
    part_agg *pa = &j->parts[p];
    size_t begin = j->in->offsets[p], end = j->in->offsets[p + 1];
    size_t n_words = j->keys->n_words, L = j->n_lanes;
    uint64_t w[SH_KEY_BATCH * (n_words ? n_words : 1)], h[SH_KEY_BATCH];
    size_t g[SH_KEY_BATCH];
    /* Few keys repeat across a partition in the worst case; start small and
     * let the table double. */
    size_t expected = end - begin < 1024 ? end - begin : 1024;
    if (sh_key_table_init(&pa->table, n_words, expected) != SHEAF_OK) goto nomem;
    /* Batches of rows: hash all (prefetching their slots), look all up
     * (prefetching their accumulators), then update - so the cache misses of
     * a batch overlap. Lookups stay in row order, so group ids do not change. */
    for (size_t base = begin; base < end; base += SH_KEY_BATCH) {
        size_t m = end - base < SH_KEY_BATCH ? end - base : SH_KEY_BATCH;
        sh_keys_batch(j->keys, &pa->table, base, m, w, h);
        for (size_t i = 0; i < m; i++) {
            bool inserted;
            g[i] = SIZE_MAX;
            if (sh_keys_any_missing(j->keys, base + i)) continue;
            if (reserve(pa, L) != SHEAF_OK || sh_key_table_upsert(&pa->table, w + i * n_words, h[i],
                                                                  &g[i], &inserted) != SHEAF_OK)
                goto nomem;
            sh_lane *lanes = pa->lanes + g[i] * L;
            if (inserted) init_group(j, lanes, base + i);
            __builtin_prefetch(lanes, 1);
            __builtin_prefetch(lanes + L - 1, 1);
        }
        for (size_t i = 0; i < m; i++) {
            if (g[i] == SIZE_MAX) continue;
            sh_lane *lanes = pa->lanes + g[i] * L;
            for (size_t a = 0; a < j->n_plans; a++)
                sh_agg_update(&j->plans[a], lanes, base + i);
        }
    }
    return SHEAF_OK;
nomem:
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory aggregating partition %zu", caller, p);
}

/* true when the frame's layout keys are a subset of keys: no key tuple can
 * then span two partitions. */
static bool partitioned_by_subset(const sheaf_frame *in, const char *const *keys, size_t n_keys)
{
    const sh_layout *l = &in->layout;
    if (!l->keys) return false;
    for (size_t a = 0; a < l->n_keys; a++) {
        bool found = false;
        for (size_t b = 0; b < n_keys && !found; b++)
            found = strcmp(l->keys[a], keys[b]) == 0;
        if (!found) return false;
    }
    return true;
}

/* Merges the partitions into parts[0] (the global aggregate). */
static sheaf_status merge_partitions(const job *j, size_t n_parts, bool disjoint)
{
    part_agg *g0 = &j->parts[0];
    size_t L = j->n_lanes, n_words = j->keys->n_words;
    for (size_t p = 1; p < n_parts; p++) {
        part_agg *pa = &j->parts[p];
        for (size_t g = 0; g < pa->table.n_groups; g++) {
            const uint64_t *w = sh_key_table_words(&pa->table, g);
            size_t to;
            bool inserted = true;
            if (reserve(g0, L) != SHEAF_OK) return SHEAF_ERR_NOMEM;
            if (disjoint) {
                /* Append without a lookup: the table's slots are not needed
                 * after the merge, only its words. */
                if (g0->table.n_groups == g0->table.cap_groups) {
                    size_t cap = 2 * g0->table.cap_groups;
                    uint64_t *words =
                        sh_realloc(g0->table.words, cap * (n_words ? n_words : 1) * sizeof *words);
                    if (!words) return SHEAF_ERR_NOMEM;
                    g0->table.words = words;
                    g0->table.cap_groups = cap;
                }
                to = g0->table.n_groups++;
                memcpy(g0->table.words + to * n_words, w, n_words * sizeof *w);
            } else if (sh_key_table_upsert(&g0->table, w, sh_keys_hash_words(w, n_words), &to,
                                           &inserted) != SHEAF_OK)
                return SHEAF_ERR_NOMEM;
            sh_lane *dst = g0->lanes + to * L;
            const sh_lane *src = pa->lanes + g * L;
            if (inserted)
                memcpy(dst, src, L * sizeof *dst);
            else
                for (size_t a = 0; a < j->n_plans; a++)
                    sh_agg_merge(&j->plans[a], dst, src);
        }
        sh_key_table_clear(&pa->table);
        sh_free(pa->lanes);
        pa->lanes = NULL;
    }
    return SHEAF_OK;
}

typedef struct sort_ctx {
    const sh_keys *keys;
    const sh_key_table *table;
} sort_ctx;

static int compare_groups(const void *a, const void *b, void *arg)
{
    const sort_ctx *s = arg;
    return sh_keys_compare_words(s->keys, sh_key_table_words(s->table, *(const size_t *)a),
                                 sh_key_table_words(s->table, *(const size_t *)b));
}

/* Appends the key columns and one column per plan, groups in order. */
static sheaf_status write_result(const sheaf_ctx *ctx, const job *j, const size_t *order,
                                 size_t n_groups, sheaf_frame *f)
{
    int threads = sh_ctx_threads_or_default(ctx);
    const sh_lane *lanes = j->parts[0].lanes;
    size_t L = j->n_lanes;
    size_t *idx = sh_malloc_array(n_groups, sizeof *idx);
    if (!idx) return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu groups", caller, n_groups);
    sheaf_status st = SHEAF_OK;
    for (size_t i = 0; i < n_groups; i++)
        idx[i] = lanes[order[i] * L].u;
    for (size_t k = 0; k < j->keys->n_keys && st == SHEAF_OK; k++) {
        const sh_column *src = j->keys->cols[k].col;
        sh_column col;
        st = sh_gather_column(src, src->name, idx, n_groups, threads, caller, &col);
        if (st == SHEAF_OK) st = sh_frame_take_column(f, &col, n_groups, caller);
    }
    for (size_t a = 0; a < j->n_plans && st == SHEAF_OK; a++) {
        const sh_agg_plan *plan = &j->plans[a];
        sh_column col;
        if (plan->agg == SHEAF_AGG_FIRST || plan->agg == SHEAF_AGG_LAST) {
            for (size_t i = 0; i < n_groups; i++) {
                uint64_t row = lanes[order[i] * L + plan->lane].u;
                idx[i] = row == UINT64_MAX ? SH_ROW_NONE : (size_t)row;
            }
            st = sh_gather_column(plan->col, plan->name, idx, n_groups, threads, caller, &col);
        } else {
            st = sh_column_alloc(&col, plan->name, sh_agg_output_type(plan), plan->col->unit,
                                 n_groups, caller);
            if (st == SHEAF_OK && col.type == SHEAF_TYPE_STRING &&
                sh_copy_dictionary(&col, plan->col) != SHEAF_OK) {
                sh_column_clear(&col);
                st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for column '%s'", caller,
                             plan->name);
            }
            if (st == SHEAF_OK) {
                for (size_t i = 0; i < n_groups; i++)
                    sh_agg_finish(plan, lanes + order[i] * L, &col, i);
                sh_column_settle_validity(&col, n_groups);
            }
        }
        if (st == SHEAF_OK) st = sh_frame_take_column(f, &col, n_groups, caller);
    }
    sh_free(idx);
    return st;
}

/* Fills plans from the specs: columns, lanes (after lane 0), names. */
static sheaf_status plan_aggs(const sheaf_frame *in, const sheaf_agg_spec *aggs, size_t n_aggs,
                              sh_agg_plan *plans, size_t *n_lanes)
{
    size_t lane = 1;
    for (size_t a = 0; a < n_aggs; a++) {
        sh_agg_plan *plan = &plans[a];
        size_t c;
        sheaf_status st = sh_frame_find(in, aggs[a].column, caller, &c);
        if (st != SHEAF_OK) return st;
        plan->col = &in->cols[c];
        plan->agg = aggs[a].agg;
        if ((st = sh_agg_prepare(plan, caller)) != SHEAF_OK) return st;
        plan->lane = lane;
        lane += plan->n_lanes;
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
    *n_lanes = lane;
    return SHEAF_OK;
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
    sh_agg_plan *plans = sh_calloc(n_aggs, sizeof *plans);
    part_agg *parts = sh_calloc(in->n_partitions, sizeof *parts);
    size_t *order = NULL;
    sheaf_frame *f = NULL;
    if (!plans || !parts) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory", caller);
        goto done;
    }
    if ((st = sh_keys_open(&k, in, keys, n_keys, caller)) != SHEAF_OK) goto done;
    job j = {in, &k, plans, n_aggs, 0, parts};
    if ((st = plan_aggs(in, aggs, n_aggs, plans, &j.n_lanes)) != SHEAF_OK) goto done;
    if ((st = sh_keys_rank(&k, caller)) != SHEAF_OK) goto done;
    if ((st = sheaf_exec_for(ctx, in->n_partitions, aggregate_partition, &j)) != SHEAF_OK)
        goto done;
    if (merge_partitions(&j, in->n_partitions, partitioned_by_subset(in, keys, n_keys)) !=
        SHEAF_OK) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory merging the partitions", caller);
        goto done;
    }
    size_t n_groups = parts[0].table.n_groups;
    if (!(order = sh_malloc_array(n_groups, sizeof *order))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu groups", caller, n_groups);
        goto done;
    }
    for (size_t g = 0; g < n_groups; g++)
        order[g] = g;
    sort_ctx sc = {&k, &parts[0].table};
    /* Key tuples are distinct, so the sorted order is unique. */
    qsort_r(order, n_groups, sizeof *order, compare_groups, &sc);
    if ((st = sheaf_frame_create(&f)) != SHEAF_OK) goto done;
    if ((st = write_result(ctx, &j, order, n_groups, f)) != SHEAF_OK) goto done;
    if ((st = sh_frame_set_even_partitions(f, sheaf_ctx_partitions(ctx), caller)) != SHEAF_OK)
        goto done;
    *out = f;
    f = NULL;
done:
    sheaf_frame_free(f);
    for (size_t p = 0; parts && p < in->n_partitions; p++) {
        sh_key_table_clear(&parts[p].table);
        sh_free(parts[p].lanes);
    }
    sh_free(parts);
    for (size_t a = 0; plans && a < n_aggs; a++) {
        sh_free(plans[a].name);
        sh_free(plans[a].rank);
    }
    sh_free(plans);
    sh_free(order);
    sh_keys_clear(&k);
    return st;
}
