/* csv_read.c - sheaf_csv_read: the parallel CSV reader.
 *
 * 1. Load the file into one buffer (file_load.c), skip a UTF-8 BOM, read
 *    the header (csv_header.c).
 * 2. Split the data at equal byte offsets (csv_split.c). Each split moves
 *    forward to the first newline outside quotes, where quote state comes
 *    from the parity of quote characters before it (counted in parallel).
 * 3. Guess each inferred column's type from the first records, allocate
 *    every column for an upper bound of rows (the newline count), then
 *    tokenize and parse all chunks in parallel straight into the columns,
 *    each chunk at the row its newline count predicts. A stray quote can
 *    fool the parity; then a chunk's last record runs past its end and the
 *    reader redoes the parse as one serial chunk, so the result always
 *    equals a sequential parse.
 * 4. Close the gaps left by blank lines and quoted newlines, give columns
 *    whose guess failed the type all their values fit and parse them again,
 *    and merge the chunks' string dictionaries in chunk order. */
#include "data/csv_values.h"
#include "data/file_load.h"

#include <math.h>
#include <string.h>

sheaf_csv_options sheaf_csv_options_default(void)
{
    sheaf_csv_options o = {.delimiter = ',', .quote = '"'};
    return o;
}

static sheaf_type inferred_type(unsigned fits)
{
    if (fits == SH_FITS_ANY) return SHEAF_TYPE_FLOAT64; /* all missing, as pandas */
    if (fits & SH_FITS_INT) return SHEAF_TYPE_INT64;
    if (fits & SH_FITS_FLOAT) return SHEAF_TYPE_FLOAT64;
    if (fits & SH_FITS_TIME) return SHEAF_TYPE_TIMESTAMP;
    return SHEAF_TYPE_STRING;
}

static sheaf_status apply_schema(const sh_csv_file *f, const sheaf_csv_options *o, sh_column *cols,
                                 bool *infer)
{
    for (size_t c = 0; c < f->n_cols; c++)
        infer[c] = true;
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
        while (c < f->n_cols && strcmp(cols[c].name, e->name) != 0)
            c++;
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

/* (Re)allocates a column's storage for its current type and capacity. */
static sheaf_status allocate_column(sh_column *col, size_t capacity)
{
    sh_free(col->f64);
    sh_free(col->i64);
    sh_free(col->codes);
    sh_free(col->valid);
    col->f64 = NULL;
    col->i64 = NULL;
    col->codes = NULL;
    col->valid = sh_malloc_large(capacity);
    switch (col->type) {
    case SHEAF_TYPE_FLOAT64: col->f64 = sh_malloc_large(capacity * sizeof *col->f64); break;
    case SHEAF_TYPE_STRING: col->codes = sh_malloc_large(capacity * sizeof *col->codes); break;
    default: col->i64 = sh_malloc_large(capacity * sizeof *col->i64); break;
    }
    bool ok = col->valid && (col->f64 || col->codes || col->i64);
    if (ok) memset(col->valid, 1, capacity); /* the parse marks only the missing */
    return ok ? SHEAF_OK
              : sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory for column '%s' (%zu rows)",
                        col->name, capacity);
}

/* Everything the parallel passes share. */
typedef struct csv_job {
    const sh_csv_file *f;
    sh_csv_chunk *chunks;
    size_t n_chunks;
    sh_column *cols;
    const bool *infer;
    sh_csv_parse *work; /* one per chunk */
    const size_t *list; /* the columns a pass handles */
    size_t n_list;
    unsigned *fits; /* n_chunks x n_cols, for widening */
    locale_t c_locale;
} csv_job;

static sheaf_status parse_one(void *arg, size_t k)
{
    csv_job *j = arg;
    return sh_csv_parse_chunk(j->f, &j->chunks[k], j->cols, j->list, j->n_list, j->infer,
                              &j->work[k]);
}

static sheaf_status classify_one(void *arg, size_t k)
{
    csv_job *j = arg;
    return sh_csv_classify_chunk(j->f, &j->chunks[k], j->list, j->n_list, SIZE_MAX, &j->work[k],
                                 j->fits + k * j->f->n_cols);
}

static void free_work(csv_job *j)
{
    for (size_t k = 0; j->work && k < j->n_chunks; k++)
        sh_csv_parse_clear(&j->work[k], j->f->n_cols);
    sh_free(j->work);
    j->work = NULL;
}

static sheaf_status alloc_work(csv_job *j)
{
    size_t n_cols = j->f->n_cols;
    j->work = sh_calloc(j->n_chunks, sizeof *j->work);
    for (size_t k = 0; j->work && k < j->n_chunks; k++) {
        sh_csv_parse *w = &j->work[k];
        w->c_locale = j->c_locale;
        w->dicts = sh_calloc(n_cols, sizeof *w->dicts);
        w->failed = sh_calloc(n_cols, sizeof *w->failed);
        w->row = sh_malloc_array(n_cols + 1, sizeof *w->row);
        if (!w->dicts || !w->failed || !w->row) break;
        for (size_t c = 0; c < n_cols; c++)
            if (j->cols[c].type == SHEAF_TYPE_STRING && sh_dict_init(&w->dicts[c]) != SHEAF_OK)
                goto nomem;
        if (k + 1 == j->n_chunks) return SHEAF_OK;
    }
nomem:
    return sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory for the value pass");
}

/* Rows of the first chunk that guess an inferred column's type. */
#define GUESS_ROWS 1000

/* The guess is the type the first GUESS_ROWS records need; all missing
 * guesses int64, the narrowest, and widening corrects it. */
static sheaf_status guess_types(csv_job *j, size_t *list)
{
    size_t n_cols = j->f->n_cols, n_list = 0;
    for (size_t c = 0; c < n_cols; c++)
        if (j->infer[c]) list[n_list++] = c;
    unsigned *fits = sh_malloc_array(n_cols, sizeof *fits);
    if (!fits) return sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory guessing types");
    sheaf_status st =
        sh_csv_classify_chunk(j->f, &j->chunks[0], list, n_list, GUESS_ROWS, &j->work[0], fits);
    for (size_t i = 0; st == SHEAF_OK && i < n_list; i++) {
        sh_column *col = &j->cols[list[i]];
        col->type = fits[list[i]] == SH_FITS_ANY ? SHEAF_TYPE_INT64 : inferred_type(fits[list[i]]);
        col->unit = SHEAF_TIME_NS;
    }
    sh_free(fits);
    return st;
}

/* Allocates every column for the chunks' row bounds and runs the fused
 * tokenize-and-parse pass; *overran reports a wrong split. */
static sheaf_status parse_chunks(const sheaf_ctx *ctx, csv_job *j, size_t *list, bool *overran)
{
    size_t capacity = 0, n_cols = j->f->n_cols;
    for (size_t k = 0; k < j->n_chunks; k++) {
        j->chunks[k].row_offset = capacity;
        capacity += j->chunks[k].row_bound;
    }
    sheaf_status st = SHEAF_OK;
    for (size_t c = 0; st == SHEAF_OK && c < n_cols; c++) {
        st = allocate_column(&j->cols[c], capacity);
        list[c] = c;
    }
    if (st == SHEAF_OK) st = alloc_work(j);
    j->list = list;
    j->n_list = n_cols;
    if (st == SHEAF_OK) st = sheaf_exec_for(ctx, j->n_chunks, parse_one, j);
    *overran = false;
    for (size_t k = 0; st == SHEAF_OK && k < j->n_chunks; k++)
        *overran |= j->chunks[k].overran;
    return st;
}

/* Moves each chunk's rows down to close the gaps that blank lines and
 * quoted newlines left under the row bounds; returns the row count. */
static size_t close_gaps(csv_job *j)
{
    size_t n_rows = 0;
    for (size_t k = 0; k < j->n_chunks; k++) {
        sh_csv_chunk *chunk = &j->chunks[k];
        if (chunk->row_offset != n_rows) {
            for (size_t c = 0; c < j->f->n_cols; c++) {
                sh_column *col = &j->cols[c];
                size_t from = chunk->row_offset, m = chunk->n_rows;
                memmove(col->valid + n_rows, col->valid + from, m);
                if (col->f64) memmove(col->f64 + n_rows, col->f64 + from, m * sizeof *col->f64);
                if (col->i64) memmove(col->i64 + n_rows, col->i64 + from, m * sizeof *col->i64);
                if (col->codes)
                    memmove(col->codes + n_rows, col->codes + from, m * sizeof *col->codes);
            }
            chunk->row_offset = n_rows;
        }
        n_rows += chunk->n_rows;
    }
    return n_rows;
}

/* Columns whose guessed type some field did not fit get the type all their
 * fields fit (found by classifying them in full) and are parsed again. */
static sheaf_status widen(const sheaf_ctx *ctx, csv_job *j, size_t n_rows, size_t *list)
{
    size_t n_cols = j->f->n_cols, n_list = 0;
    for (size_t c = 0; c < n_cols; c++) {
        bool failed = false;
        for (size_t k = 0; k < j->n_chunks; k++) {
            failed |= j->work[k].failed[c];
            j->work[k].failed[c] = false;
        }
        if (failed) list[n_list++] = c;
    }
    if (n_list == 0) return SHEAF_OK;
    j->list = list;
    j->n_list = n_list;
    j->fits = sh_malloc_array(j->n_chunks * n_cols, sizeof *j->fits);
    if (!j->fits) return sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory widening types");
    sheaf_status st = sheaf_exec_for(ctx, j->n_chunks, classify_one, j);
    for (size_t i = 0; st == SHEAF_OK && i < n_list; i++) {
        size_t c = list[i];
        unsigned fits = SH_FITS_ANY;
        for (size_t k = 0; k < j->n_chunks; k++)
            fits &= j->fits[k * n_cols + c];
        j->cols[c].type = inferred_type(fits);
        st = allocate_column(&j->cols[c], n_rows > 0 ? n_rows : 1);
        for (size_t k = 0; st == SHEAF_OK && k < j->n_chunks; k++)
            if (j->cols[c].type == SHEAF_TYPE_STRING &&
                sh_dict_init(&j->work[k].dicts[c]) != SHEAF_OK)
                st = sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory for dictionaries");
    }
    sh_free(j->fits);
    j->fits = NULL;
    return st == SHEAF_OK ? sheaf_exec_for(ctx, j->n_chunks, parse_one, j) : st;
}

/* A column with no value at all is float64 of NaN, as pandas reads it,
 * whatever type the guess gave it. */
static sheaf_status settle_all_missing(sh_column *col, size_t n_rows)
{
    for (size_t r = 0; r < n_rows; r++)
        if (col->valid[r]) return SHEAF_OK;
    if (col->type == SHEAF_TYPE_FLOAT64) return SHEAF_OK;
    col->type = SHEAF_TYPE_FLOAT64;
    sheaf_status st = allocate_column(col, n_rows > 0 ? n_rows : 1);
    for (size_t r = 0; st == SHEAF_OK && r < n_rows; r++) {
        col->f64[r] = NAN;
        col->valid[r] = 0;
    }
    return st;
}

/* Steps 3 and 4 of the file comment: every column's type and values. */
static sheaf_status read_values(const sheaf_ctx *ctx, csv_job *j, size_t *list, size_t *n_rows)
{
    size_t n_cols = j->f->n_cols;
    j->c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!j->c_locale) return sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: cannot create the C locale");
    sheaf_status st = alloc_work(j);
    if (st == SHEAF_OK) st = guess_types(j, list);
    free_work(j); /* string columns need dictionaries made for their type */
    bool overran = false;
    if (st == SHEAF_OK) st = parse_chunks(ctx, j, list, &overran);
    if (st == SHEAF_OK && overran) {
        free_work(j);
        sh_csv_single_chunk(j->f, j->chunks, j->n_chunks);
        st = parse_chunks(ctx, j, list, &overran);
    }
    if (st != SHEAF_OK) return st;
    *n_rows = close_gaps(j);
    st = widen(ctx, j, *n_rows, list);
    for (size_t c = 0; st == SHEAF_OK && c < n_cols; c++)
        if (j->infer[c]) st = settle_all_missing(&j->cols[c], *n_rows);
    for (size_t c = 0; st == SHEAF_OK && c < n_cols; c++) {
        if (j->cols[c].type == SHEAF_TYPE_STRING)
            st = sh_csv_merge_dictionaries(j->f, j->chunks, j->work, j->n_chunks, &j->cols[c], c);
        sh_column_settle_validity(&j->cols[c], *n_rows);
    }
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
    sh_csv_file f = {.path = path,
                     .delimiter = o.delimiter,
                     .quote = o.quote,
                     .max_line_bytes = o.max_line_bytes};
    init_stops(&f);
    sh_column *cols = NULL;
    bool *infer = NULL;
    size_t *list = NULL;
    size_t n_rows = 0, n_cols = 0;
    sheaf_frame *frame = NULL;
    csv_job j = {.f = &f};

    if ((st = sh_file_load(ctx, path, SH_CSV_PADDING, "sheaf_csv_read", &f.buf, &f.len)) !=
            SHEAF_OK ||
        (st = sh_csv_count_columns(&f)) != SHEAF_OK)
        goto done;
    n_cols = f.n_cols;
    cols = sh_calloc(n_cols, sizeof *cols);
    infer = sh_calloc(n_cols, sizeof *infer);
    list = sh_calloc(n_cols, sizeof *list);
    if (!cols || !infer || !list) {
        st = sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory for %zu columns", n_cols);
        goto done;
    }
    if ((st = sh_csv_header_names(&f, cols)) != SHEAF_OK ||
        (st = apply_schema(&f, &o, cols, infer)) != SHEAF_OK)
        goto done;
    j.n_chunks = sh_csv_chunk_count(ctx, &f);
    j.chunks = sh_calloc(j.n_chunks, sizeof *j.chunks);
    j.cols = cols;
    j.infer = infer;
    if (!j.chunks) {
        st = sh_fail(SHEAF_ERR_NOMEM, "sheaf_csv_read: out of memory for chunks");
        goto done;
    }
    if ((st = sh_csv_split(ctx, &f, j.chunks, j.n_chunks)) != SHEAF_OK ||
        (st = read_values(ctx, &j, list, &n_rows)) != SHEAF_OK ||
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
    for (size_t c = 0; cols && c < n_cols; c++)
        sh_column_clear(&cols[c]);
    free_work(&j);
    if (j.c_locale) freelocale(j.c_locale);
    sh_free(j.chunks);
    sh_free(cols);
    sh_free(infer);
    sh_free(list);
    sh_free(f.buf);
    return st;
}
