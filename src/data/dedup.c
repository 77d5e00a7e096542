/* dedup.c - sheaf_frame_drop_duplicates: keep each key tuple's first row.
 *
 * Method: every partition finds, in parallel, the first row of each key
 * tuple within itself (a hash table of key words, keys.h, groups numbered
 * in order of first appearance); the coordinator walks the partitions in
 * order and keeps a partition's first row of a tuple only when no earlier
 * partition had the tuple (skipped when the frame is partitioned "by key"
 * on a subset of the columns compared: tuples cannot then span partitions).
 * The kept rows come out in row order, as pandas 1.5's
 * drop_duplicates(keep='first') (pandas/core/frame.py, via
 * duplicated/factorize) keeps them. */
#include "data/keys.h"
#include "sheaf_group.h"

#include <string.h>

static const char caller[] = "sheaf_frame_drop_duplicates";

typedef struct part_seen {
    sh_key_table table;
    size_t *first; /* first row of each group */
    size_t cap;
} part_seen;

typedef struct dedup_job {
    const sh_keys *keys;
    const size_t *offsets;
    part_seen *parts;
} dedup_job;

static sheaf_status scan_partition(void *arg, size_t p)
{
    dedup_job *j = arg;
    part_seen *ps = &j->parts[p];
    size_t n_words = j->keys->n_words, begin = j->offsets[p], end = j->offsets[p + 1];
    uint64_t w[n_words ? n_words : 1];
    if (sh_key_table_init(&ps->table, n_words, end - begin < 1024 ? end - begin : 1024) != SHEAF_OK)
        goto nomem;
    for (size_t row = begin; row < end; row++) {
        sh_keys_words(j->keys, row, w);
        size_t g;
        bool inserted;
        if (ps->table.n_groups == ps->cap) {
            size_t cap = ps->cap ? 2 * ps->cap : 64;
            size_t *first = sh_realloc(ps->first, cap * sizeof *first);
            if (!first) goto nomem;
            ps->first = first;
            ps->cap = cap;
        }
        if (sh_key_table_upsert(&ps->table, w, sh_keys_hash_words(w, n_words), &g, &inserted) !=
            SHEAF_OK)
            goto nomem;
        if (inserted) ps->first[g] = row;
    }
    return SHEAF_OK;
nomem:
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory in partition %zu", caller, p);
}

/* keep[0..*n_keep) = kept rows in order, offsets = kept rows per partition. */
static sheaf_status choose(const dedup_job *j, size_t n_parts, bool disjoint, size_t *keep,
                           size_t *n_keep, size_t *offsets)
{
    sh_key_table global = {0};
    size_t n_words = j->keys->n_words, n = 0;
    if (!disjoint && sh_key_table_init(&global, n_words, j->parts[0].table.n_groups) != SHEAF_OK)
        return SHEAF_ERR_NOMEM;
    offsets[0] = 0;
    for (size_t p = 0; p < n_parts; p++) {
        const part_seen *ps = &j->parts[p];
        for (size_t g = 0; g < ps->table.n_groups; g++) {
            bool inserted = true;
            if (!disjoint) {
                const uint64_t *w = sh_key_table_words(&ps->table, g);
                size_t gg;
                if (sh_key_table_upsert(&global, w, sh_keys_hash_words(w, n_words), &gg,
                                        &inserted) != SHEAF_OK) {
                    sh_key_table_clear(&global);
                    return SHEAF_ERR_NOMEM;
                }
            }
            if (inserted) keep[n++] = ps->first[g];
        }
        offsets[p + 1] = n;
    }
    sh_key_table_clear(&global);
    *n_keep = n;
    return SHEAF_OK;
}

static bool layout_within(const sheaf_frame *in, const sh_keys *k)
{
    const sh_layout *l = &in->layout;
    if (!l->keys) return false;
    for (size_t a = 0; a < l->n_keys; a++) {
        bool found = false;
        for (size_t b = 0; b < k->n_keys && !found; b++)
            found = strcmp(l->keys[a], k->cols[b].col->name) == 0;
        if (!found) return false;
    }
    return true;
}

sheaf_status sheaf_frame_drop_duplicates(const sheaf_ctx *ctx, const sheaf_frame *in,
                                         const char *const *subset, size_t n_subset,
                                         sheaf_frame **out)
{
    if (out) *out = NULL;
    if (!in || !out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: in or out is NULL", caller);
    sheaf_status st = SHEAF_OK;
    sh_keys k = {0};
    size_t n_parts = in->n_partitions, n_keep = 0;
    part_seen *parts = NULL;
    size_t *keep = NULL, *offsets = NULL;
    sheaf_frame *f = NULL;
    st = subset && n_subset ? sh_keys_open(&k, in, subset, n_subset, caller)
                            : sh_keys_open_all(&k, in, caller);
    if (st != SHEAF_OK) goto done;
    if (!(parts = sh_calloc(n_parts, sizeof *parts)) ||
        !(keep = sh_malloc_array(in->n_rows, sizeof *keep)) ||
        !(offsets = sh_malloc_array(n_parts + 1, sizeof *offsets))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu rows", caller, in->n_rows);
        goto done;
    }
    dedup_job j = {&k, in->offsets, parts};
    if ((st = sheaf_exec_for(ctx, n_parts, scan_partition, &j)) != SHEAF_OK) goto done;
    if (choose(&j, n_parts, layout_within(in, &k), keep, &n_keep, offsets) != SHEAF_OK) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory merging the partitions", caller);
        goto done;
    }
    if (n_keep == in->n_rows) { /* nothing dropped: share every column */
        st = sh_frame_clone(in, caller, out);
        goto done;
    }
    int threads = sh_ctx_threads_or_default(ctx);
    if ((st = sheaf_frame_create(&f)) != SHEAF_OK) goto done;
    for (size_t c = 0; c < in->n_cols && st == SHEAF_OK; c++) {
        sh_column col;
        st = sh_gather_column(&in->cols[c], in->cols[c].name, keep, n_keep, threads, caller, &col);
        if (st == SHEAF_OK) st = sh_frame_take_column(f, &col, n_keep, caller);
    }
    if (st == SHEAF_OK) st = sh_frame_set_offsets(f, offsets, n_parts, caller);
    if (st == SHEAF_OK) st = sh_frame_inherit_layout(f, in, caller);
    if (st == SHEAF_OK) {
        *out = f;
        f = NULL;
    }
done:
    sheaf_frame_free(f);
    for (size_t p = 0; parts && p < n_parts; p++) {
        sh_key_table_clear(&parts[p].table);
        sh_free(parts[p].first);
    }
    sh_free(parts);
    sh_free(keep);
    sh_free(offsets);
    sh_keys_clear(&k);
    return st;
}
