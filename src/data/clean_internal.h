/* clean_internal.h - what the cleaning, cast and expression files share:
 * putting one new column into a copy of a frame. */
#ifndef SH_CLEAN_INTERNAL_H
#define SH_CLEAN_INTERNAL_H

#include "data/frame_internal.h"

/* *out = a new frame sharing in's columns and partition table, with *col
 * (taken over in every case; zeroed on return) replacing the column of the
 * same name in place, or appended when no column has that name. The layout
 * is kept unless col replaces one of its key or time columns. NOMEM naming
 * caller; *out is NULL on failure. */
sheaf_status sh_clean_put_column(const sheaf_frame *in, sh_column *col, const char *caller,
                                 sheaf_frame **out);

/* dst->dict = a deep copy of src's dictionary (dst->dict_size set as soon
 * as the table exists, so sh_column_clear frees a partial copy); false on
 * NOMEM, without a message. */
bool sh_clean_copy_dict(sh_column *dst, const sh_column *src);

/* *out = a new string column called name holding src's values formatted
 * as pandas' astype(str) would (sheaf_frame_cast documents the formats),
 * partitions formatted in parallel and their dictionaries merged in
 * partition order; missing stays missing. NOMEM naming caller. */
sheaf_status sh_cast_to_string(const sheaf_ctx *ctx, const sheaf_frame *in, const sh_column *src,
                               const char *name, const char *caller, sh_column *out);

/* Python's repr of a finite or infinite double ("0.1", "1e+16", "-0.0",
 * "inf") into buf (at least 32 bytes); the shortest digits that read back
 * to x. Needs the C locale for LC_NUMERIC in the calling thread. */
void sh_format_double_repr(double x, char *buf);

#endif
