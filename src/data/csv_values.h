/* csv_values.h - the CSV reader's value pass (see csv_values.c). */
#ifndef SH_CSV_VALUES_H
#define SH_CSV_VALUES_H

#include "data/csv_internal.h"

/* Per-chunk scratch of the value pass. */
typedef struct sh_csv_parse {
    sh_dict *dicts; /* one per column; used by string columns */
    bool *failed;   /* one per column: a field did not fit the guessed type */
    char *scratch;  /* undoubled quoted fields */
    size_t scratch_cap;
} sh_csv_parse;

/* Parses columns list[0..n_list) of a chunk into cols (allocated for all
 * rows), writing rows [row_offset, row_offset + n_rows); string codes are
 * chunk-local. A field that does not fit an inferred column's type sets
 * w->failed[c] and the column is skipped for the rest of the chunk (the
 * reader widens the type and parses it again); under a schema it is a
 * FORMAT error naming line, column and value. */
sheaf_status sh_csv_parse_chunk(const sh_csv_file *f, const sh_csv_chunk *chunk, sh_column *cols,
                                const size_t *list, size_t n_list, const bool *inferred,
                                sh_csv_parse *w, locale_t c_locale);

/* SH_FITS_* mask of column c over the chunk's first max_rows rows. */
unsigned sh_csv_classify(const sh_csv_file *f, const sh_csv_chunk *chunk, size_t c,
                         size_t max_rows);

/* Frees a chunk's scratch. */
void sh_csv_parse_clear(sh_csv_parse *w, size_t n_cols);

/* Builds string column c's dictionary from the chunks' local ones, in chunk
 * order, and rewrites the codes to it. */
sheaf_status sh_csv_merge_dictionaries(const sh_csv_file *f, const sh_csv_chunk *chunks,
                                       sh_csv_parse *work, size_t n_chunks, sh_column *col,
                                       size_t c);

#endif
