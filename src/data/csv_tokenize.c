/* csv_tokenize.c - splitting records into fields (RFC 4180).
 *
 * A field is either unquoted (everything up to the delimiter or line end)
 * or quoted: it starts with the quote character, may hold delimiters,
 * newlines and doubled quotes, and must be followed by a delimiter or the
 * line end. A quote inside an unquoted field is an ordinary character, as
 * in pandas. Lines end with LF, CRLF or a lone CR; empty lines are skipped.
 * Fields are not copied: the index records offsets into the file buffer. */
#include "data/csv_internal.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

size_t sh_csv_column_of(const sh_csv_file *f, size_t pos)
{
    size_t start = pos;
    while (start > 0 && f->buf[start - 1] != '\n' && f->buf[start - 1] != '\r')
        start--;
    return pos - start + 1;
}

static sheaf_status fail_at(const sh_csv_file *f, size_t line, size_t pos, const char *what)
{
    return sh_fail(SHEAF_ERR_FORMAT, "sheaf_csv_read: %s:%zu:%zu: %s", f->path, line,
                   sh_csv_column_of(f, pos), what);
}

/* Scans a quoted field opening at buf[pos]; returns the position just after
 * the closing quote, counting the newlines it holds. */
static sheaf_status scan_quoted(const sh_csv_file *f, size_t pos, size_t *line, size_t *after,
                                bool *escaped)
{
    const char *buf = f->buf;
    size_t q = pos + 1;
    *escaped = false;
    for (;;) {
        const char *hit = memchr(buf + q, f->quote, f->len - q);
        if (!hit) return fail_at(f, *line, pos, "unterminated quote");
        size_t close = (size_t)(hit - buf);
        for (const char *nl = buf + q; (nl = memchr(nl, '\n', (size_t)(hit - nl))); nl++)
            (*line)++;
        if (close + 1 < f->len && buf[close + 1] == f->quote) {
            *escaped = true;
            q = close + 2;
            continue;
        }
        const char *nul = memchr(buf + pos, '\0', close - pos);
        if (nul) return fail_at(f, *line, (size_t)(nul - buf), "embedded NUL byte");
        *after = close + 1;
        return SHEAF_OK;
    }
}

/* First byte at or after p that ends an unquoted field: the delimiter, a
 * line end or a NUL (the file ends in NUL padding, so the scan stops). */
static size_t find_stop(const sh_csv_file *f, size_t p)
{
#ifdef __SSE2__
    const __m128i delim = _mm_set1_epi8(f->delimiter), lf = _mm_set1_epi8('\n'),
                  cr = _mm_set1_epi8('\r'), nul = _mm_setzero_si128();
    for (;; p += 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(f->buf + p));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, delim), _mm_cmpeq_epi8(x, lf)),
                                   _mm_or_si128(_mm_cmpeq_epi8(x, cr), _mm_cmpeq_epi8(x, nul)));
        unsigned bits = (unsigned)_mm_movemask_epi8(hit);
        if (bits) return p + (size_t)__builtin_ctz(bits);
    }
#else
    while (!f->stops[(unsigned char)f->buf[p]])
        p++;
    return p;
#endif
}

static bool is_line_end(char c) { return c == '\n' || c == '\r'; }

sheaf_status sh_csv_tokenize_record(const sh_csv_file *f, size_t *pos, size_t *line,
                                    sh_field *fields, size_t *n_fields)
{
    /* No bounds checks on buf[p]: the buffer ends in NUL padding, and a NUL
     * is neither quote, delimiter nor line end. */
    const char *buf = f->buf;
    const char delim = f->delimiter;
    const size_t record_start = *pos, max_fields = f->n_cols;
    size_t p = record_start, n = 0;
    for (;; p++) {
        size_t start = p, length;
        uint32_t escaped = 0;
        if (buf[p] == f->quote) {
            size_t after = 0;
            bool doubled;
            sheaf_status st = scan_quoted(f, p, line, &after, &doubled);
            if (st != SHEAF_OK) return st;
            start = p + 1;
            length = after - 1 - start;
            escaped = doubled ? SH_FIELD_ESCAPED : 0;
            p = after;
            if (buf[p] != delim && !is_line_end(buf[p]) && p < f->len)
                return fail_at(f, *line, p, "unexpected character after a closing quote");
        } else {
            p = find_stop(f, p);
            length = p - start;
        }
        /* Offsets and lengths are truncated here for records over 2 GiB,
         * which are rejected below before anyone reads them. */
        if (n <= max_fields) {
            fields[n].offset = (uint32_t)(start - record_start);
            fields[n].length = ((uint32_t)length & SH_FIELD_LENGTH_MASK) | escaped;
        }
        n++;
        if (buf[p] != delim) break;
    }
    if (buf[p] == '\0' && p < f->len) return fail_at(f, *line, p, "embedded NUL byte");
    if (p - record_start > SH_FIELD_LENGTH_MASK)
        return fail_at(f, *line, record_start, "record longer than 2 GiB");
    if (f->max_line_bytes && p - record_start > f->max_line_bytes)
        return sh_fail(SHEAF_ERR_FORMAT,
                       "sheaf_csv_read: %s:%zu:1: line longer than the limit of %zu bytes", f->path,
                       *line, f->max_line_bytes);
    if (buf[p] == '\r') p++; /* CR, CRLF or LF ends the record */
    if (buf[p] == '\n') p++;
    (*line)++;
    *pos = p;
    *n_fields = n;
    return SHEAF_OK;
}

bool sh_csv_skip_blank_lines(const sh_csv_file *f, size_t *pos, size_t *line, size_t end)
{
    size_t p = *pos;
    while (p < end && (f->buf[p] == '\n' || f->buf[p] == '\r')) {
        p += (f->buf[p] == '\r' && p + 1 < f->len && f->buf[p + 1] == '\n') ? 2 : 1;
        (*line)++;
    }
    *pos = p;
    return p < end;
}

sheaf_status sh_csv_next_row(const sh_csv_file *f, size_t *pos, size_t *line, size_t *start,
                             sh_field *row)
{
    size_t record_line = *line, n_fields;
    *start = *pos;
    sheaf_status st = sh_csv_tokenize_record(f, pos, line, row, &n_fields);
    if (st == SHEAF_OK && n_fields != f->n_cols)
        st = sh_fail(SHEAF_ERR_FORMAT,
                     "sheaf_csv_read: %s:%zu:1: row has %zu fields, the header has %zu", f->path,
                     record_line, n_fields, f->n_cols);
    return st;
}
