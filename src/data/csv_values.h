/* csv_values.h - the CSV reader's value pass (see csv_values.c). */
#ifndef SH_CSV_VALUES_H
#define SH_CSV_VALUES_H

#include "data/csv_internal.h"

/* Per-chunk scratch of the value pass. */
typedef struct sh_csv_parse {
    sh_dict *dicts; /* one per column; used by string columns */
    bool *failed;   /* one per column: a field did not fit the guessed type */
    sh_field *row;  /* n_cols + 1 fields of the current record */
    char *scratch;  /* undoubled quoted fields */
    size_t scratch_cap;
    locale_t c_locale; /* shared, owned by the reader */
} sh_csv_parse;

/* Tokenizes a chunk and parses columns list[0..n_list) of each record
 * straight into cols (allocated for every row) at rows row_offset + r; sets
 * chunk->n_rows and chunk->overran. String codes are chunk-local. A field
 * that does not fit an inferred column's type sets w->failed[c] and the
 * column is skipped for the rest of the chunk (the reader widens the type
 * and parses it again); under a schema it is a FORMAT error naming line,
 * column and value. */
sheaf_status sh_csv_parse_chunk(const sh_csv_file *f, sh_csv_chunk *chunk, sh_column *cols,
                                const size_t *list, size_t n_list, const bool *inferred,
                                sh_csv_parse *w);

/* fits[c] = SH_FITS_* mask of column c (for c in list) over the chunk's
 * first max_rows records. */
sheaf_status sh_csv_classify_chunk(const sh_csv_file *f, const sh_csv_chunk *chunk,
                                   const size_t *list, size_t n_list, size_t max_rows,
                                   sh_csv_parse *w, unsigned *fits);

/* Frees a chunk's scratch. */
void sh_csv_parse_clear(sh_csv_parse *w, size_t n_cols);

/* Builds string column c's dictionary from the chunks' local ones, in chunk
 * order, and rewrites the codes to it. */
sheaf_status sh_csv_merge_dictionaries(const sh_csv_file *f, const sh_csv_chunk *chunks,
                                       sh_csv_parse *work, size_t n_chunks, sh_column *col,
                                       size_t c);

#endif
