/* join.c - sheaf_frame_join: inner and left equi-joins on key columns.
 *
 * Method: the classic hash join (e.g. Graefe 1993, sec. 5). Build: right's
 * rows are numbered by key group (a hash table of key words, keys.h) and
 * laid out group by group in right order (a counting sort, CSR style).
 * Probe: left's partitions look their rows up in parallel, first counting
 * the result rows of each partition, then - after a prefix sum over
 * partitions gives each its place - writing (left row, right row) pairs.
 * The result rows are therefore in left order, each left row's partners in
 * right order, exactly pandas 1.5's pd.merge(how='inner'|'left') order
 * (pandas/core/reshape/merge.py), independent of the thread count. */
#include "data/join_internal.h"

#include <string.h>

static const char caller[] = "sheaf_frame_join";

typedef struct build_side {
    sh_key_table table;
    size_t *start; /* n_groups + 1: group g's rows are rows[start[g] .. start[g+1]) */
    size_t *rows;  /* right rows, grouped, in right order within a group */
} build_side;

typedef struct probe_job {
    const sh_keys *keys;
    const build_side *build;
    const size_t *offsets; /* left partitions */
    sheaf_join_how how;
    size_t *group;  /* per left row: its right group or SIZE_MAX */
    size_t *counts; /* per partition: result rows */
    const size_t *out_offsets;
    size_t *lidx, *ridx;
} probe_job;

static sheaf_status build(const sh_keys *k, size_t n_rows, build_side *b)
{
    size_t n_words = k->n_words;
    uint64_t w[n_words ? n_words : 1];
    size_t *gid = sh_malloc_array(n_rows, sizeof *gid);
    sheaf_status st = gid ? sh_key_table_init(&b->table, n_words, 1024) : SHEAF_ERR_NOMEM;
    for (size_t r = 0; r < n_rows && st == SHEAF_OK; r++) {
        bool inserted;
        sh_keys_words(k, r, w);
        st = sh_key_table_upsert(&b->table, w, sh_keys_hash_words(w, n_words), &gid[r], &inserted);
    }
    size_t n_groups = b->table.n_groups;
    if (st == SHEAF_OK && (!(b->start = sh_calloc(n_groups + 2, sizeof *b->start)) ||
                           !(b->rows = sh_malloc_array(n_rows, sizeof *b->rows))))
        st = SHEAF_ERR_NOMEM;
    if (st == SHEAF_OK) {
        /* Counting sort: start[g + 2] counts, then prefix sums shifted so
         * that start[g + 1] is the next free place of group g. */
        for (size_t r = 0; r < n_rows; r++)
            b->start[gid[r] + 2]++;
        for (size_t g = 2; g < n_groups + 2; g++)
            b->start[g] += b->start[g - 1];
        for (size_t r = 0; r < n_rows; r++)
            b->rows[b->start[gid[r] + 1]++] = r;
    }
    sh_free(gid);
    return st;
}

static size_t group_of(const probe_job *j, size_t row, uint64_t *w)
{
    sh_keys_words(j->keys, row, w);
    return sh_key_table_find(&j->build->table, w, sh_keys_hash_words(w, j->keys->n_words));
}

static sheaf_status count_partition(void *arg, size_t p)
{
    probe_job *j = arg;
    uint64_t w[j->keys->n_words ? j->keys->n_words : 1];
    size_t n = 0;
    for (size_t row = j->offsets[p]; row < j->offsets[p + 1]; row++) {
        size_t g = group_of(j, row, w);
        j->group[row] = g;
        if (g == SIZE_MAX)
            n += j->how == SHEAF_JOIN_LEFT;
        else
            n += j->build->start[g + 1] - j->build->start[g];
    }
    j->counts[p] = n;
    return SHEAF_OK;
}

static sheaf_status fill_partition(void *arg, size_t p)
{
    probe_job *j = arg;
    size_t at = j->out_offsets[p];
    for (size_t row = j->offsets[p]; row < j->offsets[p + 1]; row++) {
        size_t g = j->group[row];
        if (g == SIZE_MAX) {
            if (j->how == SHEAF_JOIN_LEFT) {
                j->lidx[at] = row;
                j->ridx[at++] = SH_ROW_NONE;
            }
            continue;
        }
        for (size_t s = j->build->start[g]; s < j->build->start[g + 1]; s++) {
            j->lidx[at] = row;
            j->ridx[at++] = j->build->rows[s];
        }
    }
    return SHEAF_OK;
}

sheaf_status sheaf_frame_join(const sheaf_ctx *ctx, const sheaf_frame *left,
                              const sheaf_frame *right, const char *const *on, size_t n_on,
                              sheaf_join_how how, sheaf_frame **out)
{
    if (out) *out = NULL;
    if (!left || !right || !out)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: left, right or out is NULL", caller);
    if (how != SHEAF_JOIN_INNER && how != SHEAF_JOIN_LEFT)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: unknown join kind %d (use SHEAF_JOIN_INNER or SHEAF_JOIN_LEFT)", caller,
                       (int)how);
    if (n_on == 0 || !on)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: no key columns (n_on is 0)", caller);
    sheaf_status st = SHEAF_OK;
    sh_keys lk = {0}, rk = {0};
    build_side b = {0};
    size_t n_left = left->n_rows, n_parts = left->n_partitions;
    size_t *group = NULL, *counts = NULL, *out_offsets = NULL, *lidx = NULL, *ridx = NULL;
    bool *skip = NULL;
    if ((st = sh_keys_open(&lk, left, on, n_on, caller)) != SHEAF_OK) goto done;
    if ((st = sh_keys_open(&rk, right, on, n_on, caller)) != SHEAF_OK) goto done;
    if ((st = sh_keys_bind(&lk, &rk, caller)) != SHEAF_OK) goto done;
    if (!(group = sh_malloc_array(n_left, sizeof *group)) ||
        !(counts = sh_calloc(n_parts, sizeof *counts)) ||
        !(out_offsets = sh_malloc_array(n_parts + 1, sizeof *out_offsets)) ||
        !(skip = sh_calloc(right->n_cols, sizeof *skip)) ||
        build(&rk, right->n_rows, &b) != SHEAF_OK) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory hashing %zu right rows", caller,
                     right->n_rows);
        goto done;
    }
    probe_job j = {&lk, &b, left->offsets, how, group, counts, out_offsets, NULL, NULL};
    if ((st = sheaf_exec_for(ctx, n_parts, count_partition, &j)) != SHEAF_OK) goto done;
    out_offsets[0] = 0;
    for (size_t p = 0; p < n_parts; p++)
        out_offsets[p + 1] = out_offsets[p] + counts[p];
    size_t n_out = out_offsets[n_parts];
    if (!(lidx = sh_malloc_array(n_out, sizeof *lidx)) ||
        !(ridx = sh_malloc_array(n_out, sizeof *ridx))) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu result rows", caller, n_out);
        goto done;
    }
    j.lidx = lidx;
    j.ridx = ridx;
    if ((st = sheaf_exec_for(ctx, n_parts, fill_partition, &j)) != SHEAF_OK) goto done;
    /* Left rows kept one to one: share left's columns instead of copying. */
    bool one_to_one = n_out == n_left;
    for (size_t i = 0; i < n_out && one_to_one; i++)
        one_to_one = lidx[i] == i;
    for (size_t k = 0; k < n_on; k++)
        skip[(size_t)(rk.cols[k].col - right->cols)] = true;
    st = sh_join_assemble(ctx, left, right, skip, one_to_one ? NULL : lidx, ridx, n_out,
                          out_offsets, n_parts, caller, out);
done:
    sh_keys_clear(&lk);
    sh_keys_clear(&rk);
    sh_key_table_clear(&b.table);
    sh_free(b.start);
    sh_free(b.rows);
    sh_free(group);
    sh_free(counts);
    sh_free(out_offsets);
    sh_free(lidx);
    sh_free(ridx);
    sh_free(skip);
    return st;
}
