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
 * with partition table offsets[0..n_partitions] (copied). perm must be a
 * permutation of the rows (so each column keeps its count of missing
 * values), and float64 columns hold NaN exactly where they are missing. Every column is a deep
 * copy: names, values, validity and string dictionaries with unchanged codes. Uses ctx's threads;
 * the result does not depend on them. NOMEM naming caller; *out is NULL on failure. */
sheaf_status sh_frame_permuted(const sheaf_ctx *ctx, const sheaf_frame *in, const size_t *perm,
                               const size_t *offsets, size_t n_partitions, const char *caller,
                               sheaf_frame **out);

/* sh_frame_permuted with the order given in 32-bit row numbers (frames
 * below 2^32 rows): row i is in's row perm[i] when scatter is NULL, else
 * the two steps of sh_radix_sort_order (row j goes to slot scatter[j],
 * row i takes slot perm[i]) through scratch (n_rows x 8 bytes; NULL: one is
 * allocated). Columns c with skip[c] (skip may be NULL) are allocated but
 * not filled: the caller writes their values, which it knows another way;
 * they must have no missing values. */
sheaf_status sh_frame_permuted_u32(const sheaf_ctx *ctx, const sheaf_frame *in,
                                   const uint32_t *scatter, const uint32_t *perm, void *scratch,
                                   const bool *skip, const size_t *offsets, size_t n_partitions,
                                   const char *caller, sheaf_frame **out);

/* Stable sort of the pairs (w[i], r[i]), i < n <= UINT32_MAX, by w, every
 * w below 2^bits; w2 and r2 (n each) are scratch; the result is in w/r.
 * Uses up to threads threads; the result does not depend on them. false
 * when out of memory (w/r then hold a permutation of the input). */
bool sh_radix_sort_pairs(uint64_t *w, uint32_t *r, uint64_t *w2, uint32_t *r2, size_t n,
                         unsigned bits, int threads);

/* Sorts w[0..n) (n <= UINT32_MAX, every w below 2^bits) stably, w2 and tmp
 * (n each) being scratch, and describes where each row went. *two_step
 * false: local[k] is the row now at position k. *two_step true: row j went
 * to slot scatter[j] of the bucket pass and position k took slot local[k],
 * a slot of its own bucket (see partition_radix.c). Uses up to threads
 * threads; the result does not depend on them. false when out of memory. */
bool sh_radix_sort_order(uint64_t *w, uint64_t *w2, uint32_t *scatter, uint32_t *local,
                         uint32_t *tmp, size_t n, unsigned bits, int threads, bool *two_step);

#endif
