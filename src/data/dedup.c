/* dedup.c - sheaf_frame_drop_duplicates: keep each key tuple's first row.
 *
 * Method: phase A of the group-by (group_ids.c) numbers the tuples -
 * key - min for one small-range integer key, else per-chunk hash tables of
 * key words merged in chunk order - and yields each tuple's first row (the
 * earliest chunk's first appearance); missing keys form tuples of their own
 * (missing equals missing). Those rows are marked in a bitmap over the rows
 * and read back in row order, as pandas 1.5's drop_duplicates(keep='first')
 * (pandas/core/frame.py, via duplicated/factorize) keeps them. When the
 * frame is partitioned "by key" on a subset of the compared columns, each
 * partition's first chunk appends its tuples without a lookup. */
#include "data/group_ids.h"
#include "sheaf_group.h"

#include <string.h>

static const char caller[] = "sheaf_frame_drop_duplicates";

/* keep[0..*n_keep) = the first rows in row order, offsets = kept rows per
 * partition. */
static sheaf_status choose(const sheaf_frame *in, const sh_group_ids *ids, size_t *keep,
                           size_t *n_keep, size_t *offsets)
{
    size_t n_words = in->n_rows / 64 + 1;
    uint64_t *mark = sh_calloc(n_words, sizeof *mark);
    if (!mark) return SHEAF_ERR_NOMEM;
    for (size_t g = 0; g < ids->n_slots; g++) {
        size_t r = ids->first_row[g];
        if (r != SIZE_MAX) mark[r / 64] |= (uint64_t)1 << (r % 64);
    }
    size_t n = 0;
    for (size_t w = 0; w < n_words; w++)
        for (uint64_t bits = mark[w]; bits; bits &= bits - 1)
            keep[n++] = w * 64 + (size_t)__builtin_ctzll(bits);
    sh_free(mark);
    /* offsets[p] = kept rows before partition p's first row. */
    size_t i = 0;
    for (size_t p = 0; p <= in->n_partitions; p++) {
        while (i < n && keep[i] < in->offsets[p])
            i++;
        offsets[p] = i;
    }
    offsets[in->n_partitions] = n;
    *n_keep = n;
    return SHEAF_OK;
}

sheaf_status sheaf_frame_drop_duplicates(const sheaf_ctx *ctx, const sheaf_frame *in,
                                         const char *const *subset, size_t n_subset,
                                         sheaf_frame **out)
{
    if (out) *out = NULL;
    if (!in || !out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: in or out is NULL", caller);
    sheaf_status st = SHEAF_OK;
    sh_keys k = {0};
    sh_group_ids ids = {0};
    size_t n_parts = in->n_partitions, n_keep = 0;
    size_t *keep = NULL, *offsets = NULL;
    sheaf_frame *f = NULL;
    st = subset && n_subset ? sh_keys_open(&k, in, subset, n_subset, caller)
                            : sh_keys_open_all(&k, in, caller);
    if (st != SHEAF_OK) goto done;
    if ((st = sh_group_ids_build(ctx, in, &k, sh_group_layout_within(in, &k), 0, caller, &ids)) !=
        SHEAF_OK)
        goto done;
    if (ids.n_groups == in->n_rows) { /* nothing dropped: share every column */
        st = sh_frame_clone(in, caller, out);
        goto done;
    }
    if (!(keep = sh_malloc_array(ids.n_groups ? ids.n_groups : 1, sizeof *keep)) ||
        !(offsets = sh_malloc_array(n_parts + 1, sizeof *offsets)) ||
        choose(in, &ids, keep, &n_keep, offsets) != SHEAF_OK) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory for %zu rows", caller, ids.n_groups);
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
    sh_free(keep);
    sh_free(offsets);
    sh_group_ids_clear(&ids);
    sh_keys_clear(&k);
    return st;
}
