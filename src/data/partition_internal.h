/* partition_internal.h - the pieces the three partitioners share: key column
 * lookup and the permuted deep copy of a frame. */
#ifndef SH_PARTITION_INTERNAL_H
#define SH_PARTITION_INTERNAL_H

#include "data/frame_internal.h"

/* Partitioners copy rows with OpenMP only above this many rows: below it the
 * thread start-up costs more than the copy. The copy is pure data movement,
 * so the result is the same either way. */
#define SH_PARTITION_PARALLEL_ROWS 32768

/* cols[k] = index of the column called keys[k], k < n_keys. INVALID_ARGUMENT
 * naming caller and the key when keys is NULL, n_keys is 0, a name is NULL
 * or no column has that name. */
sheaf_status sh_partition_find_keys(const sheaf_frame *in, const char *const *keys, size_t n_keys,
                                    const char *caller, size_t *cols);

/* A new frame whose row i is in's row perm[i] (perm = NULL keeps the order)
 * with partition table offsets[0..n_partitions] (copied). Every column is a
 * deep copy: names, values, validity (re-settled) and string dictionaries
 * with unchanged codes. Uses ctx's threads; the result does not depend on
 * them. NOMEM naming caller; *out is NULL on failure. */
sheaf_status sh_frame_permuted(const sheaf_ctx *ctx, const sheaf_frame *in, const size_t *perm,
                               const size_t *offsets, size_t n_partitions, const char *caller,
                               sheaf_frame **out);

#endif
