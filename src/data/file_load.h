/* file_load.h - reading a whole file into memory fast, and counting bytes;
 * the first steps of every text reader. */
#ifndef SH_FILE_LOAD_H
#define SH_FILE_LOAD_H

#include "core/internal.h"

/* Reads the regular file at path into a new buffer of *len + padding bytes,
 * the padding zeroed, reading blocks in parallel with ctx's threads. IO
 * (cannot open, not a regular file, read error, file shrank) and NOMEM name
 * caller and path. Free the buffer with sh_free. */
sheaf_status sh_file_load(const sheaf_ctx *ctx, const char *path, size_t padding,
                          const char *caller, char **buf, size_t *len);

/* Counts the bytes equal to a and to b in [p, end) in one pass. */
void sh_count_two_bytes(const char *p, const char *end, char a, char b, size_t *count_a,
                        size_t *count_b);

#endif
