/* join_assemble.c - the result frame of a join from its row indexes.
 *
 * Method: left columns are shared by reference when the result keeps
 * left's rows one to one (an as-of join, or a left join whose right keys
 * are unique), otherwise taken in order; right columns are taken through
 * one radix-decluster plan (join_gather.c), missing where a left row found
 * no partner. Names follow pandas 1.5's merge:
 * clashing non-key names get the suffixes ("_x", "_y"). */
#include "data/join_internal.h"

#include <stdio.h>
#include <string.h>

static bool right_has(const sheaf_frame *right, const bool *skip, const char *name)
{
    for (size_t c = 0; c < right->n_cols; c++)
        if (!skip[c] && strcmp(right->cols[c].name, name) == 0) return true;
    return false;
}

static char *suffixed(const char *name, const char *suffix)
{
    size_t len = strlen(name) + strlen(suffix) + 1;
    char *s = sh_malloc(len);
    if (s) snprintf(s, len, "%s%s", name, suffix);
    return s;
}

sheaf_status sh_join_assemble(const sheaf_ctx *ctx, const sheaf_frame *left,
                              const sheaf_frame *right, const bool *skip_right, const size_t *lidx,
                              const size_t *ridx, size_t n_out, const size_t *offsets,
                              size_t n_parts, const char *caller, sheaf_frame **out)
{
    int threads = sh_ctx_threads_or_default(ctx);
    sheaf_frame *f = NULL;
    sh_join_take *lt = NULL, *rt = NULL;
    char *name = NULL;
    bool any_right = false;
    for (size_t c = 0; c < right->n_cols; c++)
        any_right |= !skip_right[c];
    if ((lidx && sh_join_take_create(lidx, n_out, left->n_rows, true, threads, &lt) != SHEAF_OK) ||
        (any_right &&
         sh_join_take_create(ridx, n_out, right->n_rows, false, threads, &rt) != SHEAF_OK))
        goto nomem;
    sheaf_status st = sheaf_frame_create(&f);
    for (size_t c = 0; c < left->n_cols && st == SHEAF_OK; c++) {
        const sh_column *src = &left->cols[c];
        bool clash = right_has(right, skip_right, src->name);
        if (clash && !(name = suffixed(src->name, "_x"))) goto nomem;
        sh_column col;
        if (lidx)
            st = sh_join_take_column(lt, src, clash ? name : src->name, caller, &col);
        else if (sh_column_share(src, clash ? name : NULL, &col) != SHEAF_OK)
            goto nomem;
        if (st == SHEAF_OK) st = sh_frame_take_column(f, &col, n_out, caller);
        sh_free(name);
        name = NULL;
    }
    for (size_t c = 0; c < right->n_cols && st == SHEAF_OK; c++) {
        if (skip_right[c]) continue;
        const sh_column *src = &right->cols[c];
        bool clash = false;
        for (size_t l = 0; l < left->n_cols && !clash; l++)
            clash = strcmp(left->cols[l].name, src->name) == 0;
        if (clash && !(name = suffixed(src->name, "_y"))) goto nomem;
        sh_column col;
        st = sh_join_take_column(rt, src, clash ? name : src->name, caller, &col);
        if (st == SHEAF_OK) st = sh_frame_take_column(f, &col, n_out, caller);
        sh_free(name);
        name = NULL;
    }
    if (st == SHEAF_OK) st = sh_frame_set_offsets(f, offsets, n_parts, caller);
    if (st == SHEAF_OK) st = sh_frame_inherit_layout(f, left, caller);
    sh_join_take_free(lt);
    sh_join_take_free(rt);
    if (st != SHEAF_OK) {
        sheaf_frame_free(f);
        return st;
    }
    *out = f;
    return SHEAF_OK;
nomem:
    sh_join_take_free(lt);
    sh_join_take_free(rt);
    sh_free(name);
    sheaf_frame_free(f);
    return sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory building the result", caller);
}
