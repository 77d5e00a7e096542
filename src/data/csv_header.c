/* csv_header.c - the CSV reader's header row: column count and names.
 * Names are the header fields with doubled quotes undone; empty ones become
 * "Unnamed: i" and repeats get ".1", ".2" - the names pandas gives. */
#include "data/csv_internal.h"

#include <stdio.h>
#include <string.h>

static sheaf_status skip_blank_lines(const sh_csv_file *f, size_t *pos, size_t *line)
{
    while (*pos < f->len && (f->buf[*pos] == '\n' || f->buf[*pos] == '\r')) {
        if (f->buf[*pos] == '\r' && *pos + 1 < f->len && f->buf[*pos + 1] == '\n') (*pos)++;
        (*pos)++;
        (*line)++;
    }
    if (*pos == f->len)
        return sh_fail(SHEAF_ERR_FORMAT, "sheaf_csv_read: %s: empty file (no header row)", f->path);
    return SHEAF_OK;
}

sheaf_status sh_csv_header_names(sh_csv_file *f, sh_column *cols)
{
    size_t pos = 0, line = 1;
    if (f->len >= 3 && memcmp(f->buf, "\xEF\xBB\xBF", 3) == 0) pos = 3;
    sheaf_status st = skip_blank_lines(f, &pos, &line);
    if (st != SHEAF_OK) return st;
    sh_field *fields = sh_malloc_array(f->n_cols + 1, sizeof *fields);
    if (!fields) return sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory for the header");
    size_t record = pos;
    st = sh_csv_tokenize_record(f, &pos, &line, fields, &f->n_cols);
    for (size_t c = 0; st == SHEAF_OK && c < f->n_cols; c++) {
        const char *s = f->buf + record + fields[c].offset;
        size_t len = fields[c].length & SH_FIELD_LENGTH_MASK, n = 0;
        char *name = sh_malloc(len + 32);
        if (!name) {
            st = sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory for the header");
            break;
        }
        for (size_t i = 0; i < len; i++) {
            name[n++] = s[i];
            if (s[i] == f->quote && (fields[c].length & SH_FIELD_ESCAPED)) i++;
        }
        name[n] = '\0';
        if (n == 0) snprintf(name, 32, "Unnamed: %zu", c);
        for (unsigned dup = 1;; dup++) {
            size_t k = 0;
            while (k < c && strcmp(cols[k].name, name) != 0)
                k++;
            if (k == c) break;
            snprintf(name + n, 32, ".%u", dup);
        }
        cols[c].name = name;
    }
    sh_free(fields);
    f->data = pos;
    f->data_line = line;
    return st;
}

/* Counts the header's fields so the column array can be sized. */
sheaf_status sh_csv_count_columns(sh_csv_file *f)
{
    size_t pos = 0, line = 1;
    if (f->len >= 3 && memcmp(f->buf, "\xEF\xBB\xBF", 3) == 0) pos = 3;
    sheaf_status st = skip_blank_lines(f, &pos, &line);
    if (st != SHEAF_OK) return st;
    sh_field first[1];
    f->n_cols = 0; /* the tokenizer then records only field 0 */
    return sh_csv_tokenize_record(f, &pos, &line, first, &f->n_cols);
}
