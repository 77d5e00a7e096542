/* join_internal.h - what the equi-join and the as-of join share: the
 * assembly of the result frame from left and right row indexes. */
#ifndef SH_JOIN_INTERNAL_H
#define SH_JOIN_INTERNAL_H

#include "data/keys.h"
#include "sheaf_group.h"

/* *out = left's columns, then right's columns c with !skip_right[c], in
 * order. Output row i takes left row lidx[i] (lidx NULL: row i, and the
 * left columns are shared, not copied) and right row ridx[i] (SH_ROW_NONE:
 * missing). A name that a left column and a kept right column share gets
 * "_x" on the left and "_y" on the right (pandas' suffixes). The result has
 * n_out rows in partitions offsets[0..n_parts], and left's layout when its
 * columns kept their names. NOMEM naming caller; *out NULL on failure. */
sheaf_status sh_join_assemble(const sheaf_ctx *ctx, const sheaf_frame *left,
                              const sheaf_frame *right, const bool *skip_right, const size_t *lidx,
                              const size_t *ridx, size_t n_out, const size_t *offsets,
                              size_t n_parts, const char *caller, sheaf_frame **out);

#endif
