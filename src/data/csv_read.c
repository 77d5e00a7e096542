/* csv_read.c - sheaf_csv_read: the parallel CSV reader.
 *
 * 1. Load the file into one buffer, skip a UTF-8 BOM, tokenize the header.
 * 2. Split the data at equal byte offsets. Each split moves forward to the
 *    first newline outside quotes, where quote state comes from the parity
 *    of quote characters before it (counted in parallel).
 * 3. Tokenize chunks in parallel into field indexes, inferring types. A
 *    stray quote can fool the parity; then some chunk's last record runs
 *    past its end, and the reader falls back to one serial chunk - so the
 *    result always equals a sequential parse.
 * 4. Fix column types (schema, else the inferred masks), allocate columns,
 *    parse values in parallel, merge string dictionaries in chunk order. */
#include "data/csv_values.h"

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Chunks are at least this large so tiny files stay serial. */
#define MIN_CHUNK_BYTES ((size_t)1 << 20)
/* Field offsets are 32-bit within a chunk. */
#define MAX_CHUNK_BYTES ((size_t)1 << 30)

sheaf_csv_options sheaf_csv_options_default(void)
{
    sheaf_csv_options o = {.delimiter = ',', .quote = '"'};
    return o;
}

static sheaf_status load_file(sh_csv_file *f)
{
    int fd = open(f->path, O_RDONLY);
    if (fd < 0)
        return sh_fail(SHEAF_ERR_IO, "sheaf_csv_read: cannot open '%s': %s", f->path,
                       strerror(errno));
    sheaf_status st = SHEAF_OK;
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        st = sh_fail(SHEAF_ERR_IO, "sheaf_csv_read: '%s' is not a regular file", f->path);
        goto done;
    }
    f->len = (size_t)sb.st_size;
    f->buf = sh_malloc(f->len + 1);
    if (!f->buf) {
        st = sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: '%s': out of memory for %zu bytes",
                     f->path, f->len);
        goto done;
    }
    size_t got = 0;
    while (got < f->len) {
        ssize_t n = read(fd, f->buf + got, f->len - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            st = sh_fail(SHEAF_ERR_IO, "sheaf_csv_read: error reading '%s' at byte %zu: %s",
                         f->path, got, n < 0 ? strerror(errno) : "file shrank while reading");
            goto done;
        }
        got += (size_t)n;
    }
    f->buf[f->len] = '\0';
done:
    close(fd);
    return st;
}

static sheaf_status skip_blank_lines(const sh_csv_file *f, size_t *pos, size_t *line)
{
    while (*pos < f->len && (f->buf[*pos] == '\n' || f->buf[*pos] == '\r')) {
        if (f->buf[*pos] == '\r' && *pos + 1 < f->len && f->buf[*pos + 1] == '\n') (*pos)++;
        (*pos)++;
        (*line)++;
    }
    if (*pos == f->len)
        return sh_fail(SHEAF_ERR_FORMAT, "sheaf_csv_read: %s: empty file (no header row)",
                       f->path);
    return SHEAF_OK;
}

/* Column names: header fields, undoubled; empty ones become "Unnamed: i"
 * and repeats get ".1", ".2" as pandas names them. */
static sheaf_status header_names(sh_csv_file *f, sh_column *cols)
{
    size_t pos = 0, line = 1;
    if (f->len >= 3 && memcmp(f->buf, "\xEF\xBB\xBF", 3) == 0) pos = 3;
    sheaf_status st = skip_blank_lines(f, &pos, &line);
    if (st != SHEAF_OK) return st;
    sh_field *fields = sh_malloc_array(f->n_cols + 1, sizeof *fields);
    if (!fields) return sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory for the header");
    st = sh_csv_tokenize_record(f, &pos, &line, 0, fields, &f->n_cols);
    for (size_t c = 0; st == SHEAF_OK && c < f->n_cols; c++) {
        const char *s = f->buf + fields[c].offset;
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
            while (k < c && strcmp(cols[k].name, name) != 0) k++;
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
static sheaf_status count_columns(sh_csv_file *f)
{
    size_t pos = 0, line = 1;
    if (f->len >= 3 && memcmp(f->buf, "\xEF\xBB\xBF", 3) == 0) pos = 3;
    sheaf_status st = skip_blank_lines(f, &pos, &line);
    if (st != SHEAF_OK) return st;
    sh_field first[1];
    f->n_cols = 0; /* the tokenizer then records only field 0 */
    return sh_csv_tokenize_record(f, &pos, &line, 0, first, &f->n_cols);
}

typedef struct split_job {
    const sh_csv_file *f;
    size_t n;
    size_t *quotes, *newlines; /* per byte range */
} split_job;

/* memchr is vectorised by libc; most files have few quotes. */
static size_t count_byte(const char *p, const char *end, char byte)
{
    size_t n = 0;
    while (p < end && (p = memchr(p, byte, (size_t)(end - p)))) n++, p++;
    return n;
}

static sheaf_status count_range(void *arg, size_t k)
{
    split_job *job = arg;
    const sh_csv_file *f = job->f;
    size_t span = f->len - f->data;
    size_t lo = f->data + span * k / job->n, hi = f->data + span * (k + 1) / job->n;
    job->quotes[k] = count_byte(f->buf + lo, f->buf + hi, f->quote);
    job->newlines[k] = count_byte(f->buf + lo, f->buf + hi, '\n');
    return SHEAF_OK;
}

/* Chunk boundaries at record starts (see the file comment, step 2). */
static sheaf_status split_chunks(const sheaf_ctx *ctx, const sh_csv_file *f, sh_csv_chunk *chunks,
                                 size_t n)
{
    size_t *counts = sh_calloc(2 * n, sizeof *counts);
    if (!counts) return sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory splitting");
    split_job job = {f, n, counts, counts + n};
    sheaf_status st = sheaf_exec_for(ctx, n, count_range, &job);
    size_t span = f->len - f->data, quotes = 0, lines = f->data_line;
    chunks[0].begin = f->data;
    chunks[0].first_line = f->data_line;
    for (size_t k = 1; st == SHEAF_OK && k < n; k++) {
        quotes += job.quotes[k - 1];
        lines += job.newlines[k - 1];
        size_t p = f->data + span * k / n, line = lines;
        bool in_quote = quotes % 2 == 1;
        for (; p < f->len; p++) {
            char c = f->buf[p];
            if (c == f->quote) in_quote = !in_quote;
            if (c == '\n') {
                line++;
                if (!in_quote) {
                    p++;
                    break;
                }
            }
        }
        if (p < chunks[k - 1].begin) { /* the previous scan went past: leave k-1 empty */
            p = chunks[k - 1].begin;
            line = chunks[k - 1].first_line;
        }
        chunks[k].begin = p;
        chunks[k].first_line = line;
    }
    for (size_t k = 0; k < n; k++) chunks[k].end = k + 1 < n ? chunks[k + 1].begin : f->len;
    sh_free(counts);
    return st;
}

static sheaf_status tokenize_one(void *arg, size_t k)
{
    const sh_csv_file *f = ((void **)arg)[0];
    sh_csv_chunk *chunks = ((void **)arg)[1];
    return sh_csv_tokenize_chunk(f, &chunks[k]);
}

static void free_chunks(sh_csv_chunk *chunks, size_t n)
{
    for (size_t k = 0; chunks && k < n; k++) sh_free(chunks[k].fields);
    sh_free(chunks);
}

/* Tokenizes in parallel; if a split was wrong, redoes it as one chunk. */
static sheaf_status tokenize(const sheaf_ctx *ctx, const sh_csv_file *f, sh_csv_chunk **chunks,
                             size_t *n_chunks)
{
    size_t span = f->len - f->data;
    size_t threads = (size_t)sh_ctx_threads_or_default(ctx);
    size_t n = span / MIN_CHUNK_BYTES;
    if (n > 4 * threads) n = 4 * threads;
    if (n < span / MAX_CHUNK_BYTES + 1) n = span / MAX_CHUNK_BYTES + 1;
    *n_chunks = n;
    *chunks = sh_calloc(n, sizeof **chunks);
    if (!*chunks) return sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory for chunks");
    sheaf_status st = split_chunks(ctx, f, *chunks, n);
    void *job[2] = {(void *)f, *chunks};
    if (st == SHEAF_OK) st = sheaf_exec_for(ctx, n, tokenize_one, job);
    bool overran = false;
    for (size_t k = 0; st == SHEAF_OK && k < n; k++) overran |= (*chunks)[k].overran;
    if (st != SHEAF_OK || !overran) return st;
    for (size_t k = 1; k < n; k++) { /* chunk 0 absorbs the whole data region */
        sh_free((*chunks)[k].fields);
        (*chunks)[k] = (sh_csv_chunk){.begin = f->len, .end = f->len};
    }
    sh_free((*chunks)[0].fields);
    (*chunks)[0] = (sh_csv_chunk){.begin = f->data, .end = f->len, .first_line = f->data_line};
    return sh_csv_tokenize_chunk(f, &(*chunks)[0]);
}

static sheaf_type inferred_type(unsigned fits)
{
    if (fits == SH_FITS_ANY) return SHEAF_TYPE_FLOAT64; /* all missing, as pandas */
    if (fits & SH_FITS_INT) return SHEAF_TYPE_INT64;
    if (fits & SH_FITS_FLOAT) return SHEAF_TYPE_FLOAT64;
    if (fits & SH_FITS_TIME) return SHEAF_TYPE_TIMESTAMP;
    return SHEAF_TYPE_STRING;
}

/* Rows of the first non-empty chunk that guess an inferred column's type. */
#define GUESS_ROWS 1000

/* The guess: the type the first GUESS_ROWS rows need; an all-missing
 * sample guesses int64, the narrowest type, and widening corrects it. */
static sheaf_type guessed_type(const sh_csv_file *f, const sh_csv_chunk *chunks, size_t n_chunks,
                               size_t c)
{
    for (size_t k = 0; k < n_chunks; k++)
        if (chunks[k].n_rows > 0) {
            unsigned fits = sh_csv_classify(f, &chunks[k], c, GUESS_ROWS);
            return fits == SH_FITS_ANY ? SHEAF_TYPE_INT64 : inferred_type(fits);
        }
    return SHEAF_TYPE_FLOAT64;
}

static sheaf_status apply_schema(const sh_csv_file *f, const sheaf_csv_options *o, sh_column *cols,
                                 bool *infer)
{
    for (size_t c = 0; c < f->n_cols; c++) infer[c] = true;
    for (size_t s = 0; s < o->schema_len; s++) {
        const sheaf_csv_column *e = &o->schema[s];
        if (!e->name)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_csv_read: schema[%zu].name is NULL",
                           s);
        if (e->type < SHEAF_TYPE_AUTO || e->type > SHEAF_TYPE_TIMESTAMP ||
            (e->unit != SHEAF_TIME_NS && e->unit != SHEAF_TIME_S))
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "sheaf_csv_read: schema entry '%s' has unknown type %d or unit %d",
                           e->name, (int)e->type, (int)e->unit);
        size_t c = 0;
        while (c < f->n_cols && strcmp(cols[c].name, e->name) != 0) c++;
        if (c == f->n_cols)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "sheaf_csv_read: schema names column '%s', which %s does not have",
                           e->name, f->path);
        cols[c].type = e->type;
        cols[c].unit = e->unit;
        infer[c] = e->type == SHEAF_TYPE_AUTO;
    }
    return SHEAF_OK;
}

/* (Re)allocates a column's storage for its current type. */
static sheaf_status allocate_column(sh_column *col, size_t n_rows)
{
    sh_free(col->f64);
    sh_free(col->i64);
    sh_free(col->codes);
    col->f64 = NULL;
    col->i64 = NULL;
    col->codes = NULL;
    if (!col->valid) col->valid = sh_malloc(n_rows);
    switch (col->type) {
    case SHEAF_TYPE_FLOAT64: col->f64 = sh_malloc_array(n_rows, sizeof *col->f64); break;
    case SHEAF_TYPE_STRING: col->codes = sh_malloc_array(n_rows, sizeof *col->codes); break;
    default: col->i64 = sh_malloc_array(n_rows, sizeof *col->i64); break;
    }
    bool ok = col->valid && (col->f64 || col->codes || col->i64);
    return ok ? SHEAF_OK
              : sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory for column '%s' (%zu rows)",
                        col->name, n_rows);
}

/* The value pass over a subset of columns, chunk by chunk in parallel. */
typedef struct value_pass {
    const sh_csv_file *f;
    const sh_csv_chunk *chunks;
    size_t n_chunks;
    sh_column *cols;
    const bool *infer;
    sh_csv_parse *work; /* one per chunk */
    const size_t *list;
    size_t n_list;
    unsigned *fits; /* n_chunks x n_cols, for widening */
    locale_t c_locale;
} value_pass;

static sheaf_status parse_one(void *arg, size_t k)
{
    value_pass *v = arg;
    return sh_csv_parse_chunk(v->f, &v->chunks[k], v->cols, v->list, v->n_list, v->infer,
                              &v->work[k], v->c_locale);
}

static sheaf_status classify_one(void *arg, size_t k)
{
    value_pass *v = arg;
    for (size_t i = 0; i < v->n_list; i++)
        v->fits[k * v->f->n_cols + v->list[i]] =
            sh_csv_classify(v->f, &v->chunks[k], v->list[i], SIZE_MAX);
    return SHEAF_OK;
}

static sheaf_status init_dicts(value_pass *v, size_t c)
{
    for (size_t k = 0; k < v->n_chunks; k++)
        if (sh_dict_init(&v->work[k].dicts[c]) != SHEAF_OK)
            return sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory for dictionaries");
    return SHEAF_OK;
}

/* Columns whose guessed type some field did not fit get the type all their
 * fields fit (found by classifying them in full) and are parsed again. */
static sheaf_status widen(const sheaf_ctx *ctx, value_pass *v, size_t n_rows, size_t *list)
{
    size_t n_cols = v->f->n_cols, n_list = 0;
    for (size_t c = 0; c < n_cols; c++) {
        bool failed = false;
        for (size_t k = 0; k < v->n_chunks; k++) {
            failed |= v->work[k].failed[c];
            v->work[k].failed[c] = false;
        }
        if (failed) list[n_list++] = c;
    }
    if (n_list == 0) return SHEAF_OK;
    v->list = list;
    v->n_list = n_list;
    v->fits = sh_malloc_array(v->n_chunks * n_cols, sizeof *v->fits);
    if (!v->fits) return sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory widening types");
    sheaf_status st = sheaf_exec_for(ctx, v->n_chunks, classify_one, v);
    for (size_t i = 0; st == SHEAF_OK && i < n_list; i++) {
        size_t c = list[i];
        unsigned fits = SH_FITS_ANY;
        for (size_t k = 0; k < v->n_chunks; k++) fits &= v->fits[k * n_cols + c];
        v->cols[c].type = inferred_type(fits);
        st = allocate_column(&v->cols[c], n_rows);
        if (st == SHEAF_OK && v->cols[c].type == SHEAF_TYPE_STRING) st = init_dicts(v, c);
    }
    sh_free(v->fits);
    v->fits = NULL;
    return st == SHEAF_OK ? sheaf_exec_for(ctx, v->n_chunks, parse_one, v) : st;
}

/* A column with no value at all is float64 of NaN, as pandas reads it,
 * whatever type the guess gave it. */
static sheaf_status settle_all_missing(sh_column *col, size_t n_rows)
{
    for (size_t r = 0; r < n_rows; r++)
        if (col->valid[r]) return SHEAF_OK;
    if (col->type == SHEAF_TYPE_FLOAT64) return SHEAF_OK;
    col->type = SHEAF_TYPE_FLOAT64;
    sheaf_status st = allocate_column(col, n_rows);
    for (size_t r = 0; st == SHEAF_OK && r < n_rows; r++) col->f64[r] = NAN;
    return st;
}

static sheaf_status check_options(const char *path, const sheaf_csv_options *o, sheaf_frame **out)
{
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_csv_read: out is NULL");
    *out = NULL;
    if (!path) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_csv_read: path is NULL");
    if (o->delimiter == o->quote || o->delimiter == '\n' || o->delimiter == '\r' ||
        o->delimiter == '\0' || o->quote == '\n' || o->quote == '\r' || o->quote == '\0')
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "sheaf_csv_read: delimiter 0x%02x and quote 0x%02x must differ and not "
                       "be a line end or NUL",
                       (unsigned char)o->delimiter, (unsigned char)o->quote);
    if (o->schema_len > 0 && !o->schema)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "sheaf_csv_read: schema is NULL but schema_len is %zu", o->schema_len);
    return SHEAF_OK;
}

static sheaf_status alloc_work(value_pass *v)
{
    v->work = sh_calloc(v->n_chunks, sizeof *v->work);
    for (size_t k = 0; v->work && k < v->n_chunks; k++) {
        v->work[k].dicts = sh_calloc(v->f->n_cols, sizeof *v->work[k].dicts);
        v->work[k].failed = sh_calloc(v->f->n_cols, sizeof *v->work[k].failed);
        if (!v->work[k].dicts || !v->work[k].failed) break;
        if (k + 1 == v->n_chunks) return SHEAF_OK;
    }
    return sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory for the value pass");
}

/* Types, storage and values of every column (steps 4 of the file comment). */
static sheaf_status parse_values(const sheaf_ctx *ctx, value_pass *v, size_t n_rows, size_t *list)
{
    size_t n_cols = v->f->n_cols;
    sheaf_status st = alloc_work(v);
    v->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (st == SHEAF_OK && !v->c_locale)
        st = sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: cannot create the C locale");
    for (size_t c = 0; st == SHEAF_OK && c < n_cols; c++) {
        if (v->infer[c]) v->cols[c].type = guessed_type(v->f, v->chunks, v->n_chunks, c);
        if (v->cols[c].type == SHEAF_TYPE_TIMESTAMP && v->infer[c]) v->cols[c].unit = SHEAF_TIME_NS;
        st = allocate_column(&v->cols[c], n_rows);
        if (st == SHEAF_OK && v->cols[c].type == SHEAF_TYPE_STRING) st = init_dicts(v, c);
        list[c] = c;
    }
    v->list = list;
    v->n_list = n_cols;
    if (st == SHEAF_OK) st = sheaf_exec_for(ctx, v->n_chunks, parse_one, v);
    if (st == SHEAF_OK) st = widen(ctx, v, n_rows, list);
    for (size_t c = 0; st == SHEAF_OK && c < n_cols; c++)
        if (v->infer[c]) st = settle_all_missing(&v->cols[c], n_rows);
    for (size_t c = 0; st == SHEAF_OK && c < n_cols; c++) {
        if (v->cols[c].type == SHEAF_TYPE_STRING)
            st = sh_csv_merge_dictionaries(v->f, v->chunks, v->work, v->n_chunks, &v->cols[c], c);
        sh_column_settle_validity(&v->cols[c], n_rows);
    }
    return st;
}

static void init_stops(sh_csv_file *f)
{
    memset(f->stops, 0, sizeof f->stops);
    f->stops[(unsigned char)f->delimiter] = 1;
    f->stops['\n'] = f->stops['\r'] = f->stops['\0'] = 1;
}

sheaf_status sheaf_csv_read(const sheaf_ctx *ctx, const char *path, const sheaf_csv_options *opts,
                            sheaf_frame **out)
{
    sheaf_csv_options o = opts ? *opts : sheaf_csv_options_default();
    sheaf_status st = check_options(path, &o, out);
    if (st != SHEAF_OK) return st;
    sh_csv_file f = {.path = path, .delimiter = o.delimiter, .quote = o.quote,
                     .max_line_bytes = o.max_line_bytes};
    init_stops(&f);
    sh_column *cols = NULL;
    bool *infer = NULL;
    size_t *list = NULL;
    sh_csv_chunk *chunks = NULL;
    size_t n_chunks = 0, n_rows = 0, n_cols = 0;
    sheaf_frame *frame = NULL;
    value_pass v = {0};

    if ((st = load_file(&f)) != SHEAF_OK || (st = count_columns(&f)) != SHEAF_OK) goto done;
    n_cols = f.n_cols;
    cols = sh_calloc(n_cols, sizeof *cols);
    infer = sh_calloc(n_cols, sizeof *infer);
    list = sh_calloc(n_cols, sizeof *list);
    if (!cols || !infer || !list) {
        st = sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory for %zu columns", n_cols);
        goto done;
    }
    if ((st = header_names(&f, cols)) != SHEAF_OK ||
        (st = apply_schema(&f, &o, cols, infer)) != SHEAF_OK ||
        (st = tokenize(ctx, &f, &chunks, &n_chunks)) != SHEAF_OK)
        goto done;
    sh_ctx_progress(ctx, "csv_read", 0.5);
    for (size_t k = 0; k < n_chunks; k++) {
        chunks[k].row_offset = n_rows;
        n_rows += chunks[k].n_rows;
    }
    v = (value_pass){.f = &f, .chunks = chunks, .n_chunks = n_chunks, .cols = cols, .infer = infer};
    if ((st = parse_values(ctx, &v, n_rows, list)) != SHEAF_OK ||
        (st = sheaf_frame_create(&frame)) != SHEAF_OK)
        goto done;
    for (size_t c = 0; c < n_cols; c++)
        if ((st = sh_frame_take_column(frame, &cols[c], n_rows, "sheaf_csv_read")) != SHEAF_OK)
            goto done;
    st = sh_frame_set_even_partitions(
        frame, o.n_partitions ? o.n_partitions : sheaf_ctx_partitions(ctx), "sheaf_csv_read");
    sh_ctx_progress(ctx, "csv_read", 1.0);
done:
    if (st == SHEAF_OK)
        *out = frame;
    else
        sheaf_frame_free(frame);
    for (size_t c = 0; cols && c < n_cols; c++) sh_column_clear(&cols[c]);
    for (size_t k = 0; v.work && k < n_chunks; k++) sh_csv_parse_clear(&v.work[k], n_cols);
    if (v.c_locale) freelocale(v.c_locale);
    sh_free(v.work);
    free_chunks(chunks, n_chunks);
    sh_free(cols);
    sh_free(infer);
    sh_free(list);
    sh_free(f.buf);
    return st;
}
