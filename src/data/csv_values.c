/* csv_values.c - the second pass of the CSV reader: converting each
 * chunk's indexed fields into typed column values at the chunk's row
 * offset, and gluing the chunks' string dictionaries together in chunk
 * order (so codes are the same for any thread count). */
#include "data/csv_values.h"

#include <math.h>
#include <string.h>

static sheaf_status bad_value(const sh_csv_file *f, size_t line, const sh_column *col,
                              const char *s, size_t len)
{
    int shown = len > 40 ? 40 : (int)len;
    return sh_fail(SHEAF_ERR_FORMAT,
                   "sheaf_csv_read: %s:%zu:%zu: column '%s' (%s): cannot parse '%.*s%s'", f->path,
                   line, sh_csv_column_of(f, (size_t)(s - f->buf)), col->name,
                   sheaf_type_name(col->type), shown, s, len > 40 ? "..." : "");
}

/* Undoubles quotes of an escaped field into the chunk's scratch buffer. */
static sheaf_status unescape(const sh_csv_file *f, sh_csv_parse *w, const char **s, size_t *len)
{
    if (*len + 1 > w->scratch_cap) {
        char *grown = sh_realloc(w->scratch, *len + 1);
        if (!grown)
            return sh_fail(SHEAF_ERR_NOMEM,
                           "sheaf_csv_read: %s: out of memory for a %zu-byte field", f->path, *len);
        w->scratch = grown;
        w->scratch_cap = *len + 1;
    }
    size_t n = 0;
    for (size_t i = 0; i < *len; i++) {
        w->scratch[n++] = (*s)[i];
        if ((*s)[i] == f->quote) i++;
    }
    *s = w->scratch;
    *len = n;
    return SHEAF_OK;
}

static void set_missing(sh_column *col, size_t out)
{
    col->valid[out] = 0;
    switch (col->type) {
    case SHEAF_TYPE_FLOAT64: col->f64[out] = NAN; break;
    case SHEAF_TYPE_STRING: col->codes[out] = -1; break;
    default: col->i64[out] = 0; break;
    }
}

/* Interns a present string field of column c as row out's code. */
static sheaf_status store_string(const sh_csv_file *f, size_t c, sh_column *col, size_t out,
                                 const char *s, size_t len, bool escaped, sh_csv_parse *w)
{
    if (escaped) {
        sheaf_status st = unescape(f, w, &s, &len);
        if (st != SHEAF_OK) return st;
    }
    sheaf_status st = sh_dict_intern(&w->dicts[c], s, len, &col->codes[out]);
    if (st != SHEAF_OK)
        return sh_fail(st, "sheaf_csv_read: %s: column '%s': %s", f->path, col->name,
                       st == SHEAF_ERR_NOMEM ? "out of memory for the dictionary"
                                             : "more than 2^31 distinct strings");
    return SHEAF_OK;
}

sheaf_status sh_csv_parse_chunk(const sh_csv_file *f, sh_csv_chunk *chunk, sh_column *cols,
                                const size_t *list, size_t n_list, const bool *inferred,
                                sh_csv_parse *w)
{
    size_t p = chunk->begin, line = chunk->first_line, r = 0;
    while (sh_csv_skip_blank_lines(f, &p, &line, chunk->end)) {
        size_t record_line = line, start;
        if (r == chunk->row_bound) { /* only a wrong split can get here */
            chunk->overran = true;
            return SHEAF_OK;
        }
        sheaf_status st = sh_csv_next_row(f, &p, &line, &start, w->row);
        if (st != SHEAF_OK) return st;
        const char *base = f->buf + start;
        size_t out = chunk->row_offset + r++;
        for (size_t i = 0; i < n_list; i++) {
            size_t c = list[i];
            if (w->failed[c]) continue;
            sh_column *col = &cols[c];
            const char *s = base + w->row[c].offset;
            size_t len = w->row[c].length & SH_FIELD_LENGTH_MASK;
            /* Validity starts all 1. No missing marker parses as a number
             * or a date, so for those the marker test waits for a failed
             * parse. */
            switch (col->type) {
            case SHEAF_TYPE_FLOAT64:
                if (sh_parse_double(s, len, w->c_locale, &col->f64[out])) continue;
                break;
            case SHEAF_TYPE_INT64:
                if (sh_parse_int64(s, len, &col->i64[out])) continue;
                break;
            case SHEAF_TYPE_TIMESTAMP:
                if (sh_parse_timestamp(s, len, col->unit, &col->i64[out])) continue;
                break;
            default:
                if (sh_is_missing_token(s, len)) break;
                st = store_string(f, c, col, out, s, len,
                                  (w->row[c].length & SH_FIELD_ESCAPED) != 0, w);
                if (st != SHEAF_OK) return st;
                continue;
            }
            if (sh_is_missing_token(s, len))
                set_missing(col, out);
            else if (!inferred[c])
                return bad_value(f, record_line, col, s, len);
            else
                w->failed[c] = true; /* the reader widens the type and comes back */
        }
    }
    chunk->n_rows = r;
    chunk->overran = p > chunk->end;
    return SHEAF_OK;
}

sheaf_status sh_csv_classify_chunk(const sh_csv_file *f, const sh_csv_chunk *chunk,
                                   const size_t *list, size_t n_list, size_t max_rows,
                                   sh_csv_parse *w, unsigned *fits)
{
    size_t p = chunk->begin, line = chunk->first_line;
    for (size_t i = 0; i < n_list; i++)
        fits[list[i]] = SH_FITS_ANY;
    for (size_t r = 0; r < max_rows && sh_csv_skip_blank_lines(f, &p, &line, chunk->end); r++) {
        size_t start;
        sheaf_status st = sh_csv_next_row(f, &p, &line, &start, w->row);
        if (st != SHEAF_OK) return st;
        for (size_t i = 0; i < n_list; i++) {
            const sh_field *field = &w->row[list[i]];
            fits[list[i]] &= sh_classify_field(f->buf + start + field->offset,
                                               field->length & SH_FIELD_LENGTH_MASK);
        }
    }
    return SHEAF_OK;
}

void sh_csv_parse_clear(sh_csv_parse *w, size_t n_cols)
{
    if (w->dicts)
        for (size_t c = 0; c < n_cols; c++)
            sh_dict_clear(&w->dicts[c]);
    sh_free(w->dicts);
    sh_free(w->failed);
    sh_free(w->row);
    sh_free(w->scratch);
    memset(w, 0, sizeof *w);
}

sheaf_status sh_csv_merge_dictionaries(const sh_csv_file *f, const sh_csv_chunk *chunks,
                                       sh_csv_parse *work, size_t n_chunks, sh_column *col,
                                       size_t c)
{
    sheaf_status st = SHEAF_OK;
    sh_dict global;
    int32_t *remap = NULL;
    if (n_chunks == 1) { /* the only chunk's codes are already final */
        col->dict = sh_dict_release(&work[0].dicts[c], &col->dict_size);
        return col->dict || col->dict_size == 0 ? SHEAF_OK : SHEAF_ERR_NOMEM;
    }
    if (sh_dict_init(&global) != SHEAF_OK) goto nomem;
    for (size_t k = 0; k < n_chunks; k++) {
        sh_dict *local = &work[k].dicts[c];
        sh_free(remap);
        remap = sh_malloc_array(local->size, sizeof *remap);
        if (!remap) goto nomem;
        for (size_t i = 0; i < local->size; i++) {
            st = sh_dict_intern(&global, local->strings[i], local->lengths[i], &remap[i]);
            if (st != SHEAF_OK) goto nomem;
        }
        int32_t *codes = col->codes + chunks[k].row_offset;
        for (size_t r = 0; r < chunks[k].n_rows; r++)
            if (codes[r] >= 0) codes[r] = remap[codes[r]];
    }
    col->dict = sh_dict_release(&global, &col->dict_size);
    sh_free(remap);
    return SHEAF_OK;
nomem:
    sh_dict_clear(&global);
    sh_free(remap);
    return sh_fail(SHEAF_ERR_NOMEM,
                   "sheaf_csv_read: %s: out of memory merging the dictionary of '%s'", f->path,
                   col->name);
}
