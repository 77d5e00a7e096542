/* csv_split.c - cutting the CSV data into record-aligned chunks (step 2
 * of csv_read.c): equal byte ranges, each moved forward to the first
 * newline outside quotes, quote state taken from the parity of the quote
 * characters before it, counted in parallel. Each chunk also gets its first
 * line number and a row bound (its newline count), so the value pass can
 * write every chunk's rows in place at once. */
#include "data/csv_internal.h"
#include "data/file_load.h"

/* Chunks are at least this large so tiny files stay serial. */
#define MIN_CHUNK_BYTES ((size_t)1 << 20)

typedef struct split_job {
    const sh_csv_file *f;
    size_t n;
    size_t *quotes, *newlines; /* per byte range */
} split_job;

static sheaf_status count_range(void *arg, size_t k)
{
    split_job *job = arg;
    const sh_csv_file *f = job->f;
    size_t span = f->len - f->data;
    size_t lo = f->data + span * k / job->n, hi = f->data + span * (k + 1) / job->n;
    sh_count_two_bytes(f->buf + lo, f->buf + hi, f->quote, '\n', &job->quotes[k],
                       &job->newlines[k]);
    return SHEAF_OK;
}

/* Chunk boundaries at record starts (see the file comment, step 2), each
 * chunk's first line and its row bound. */
sheaf_status sh_csv_split(const sheaf_ctx *ctx, const sh_csv_file *f, sh_csv_chunk *chunks,
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
    size_t last_line = lines + job.newlines[n - 1];
    for (size_t k = 0; k < n; k++) {
        /* Every record but the file's last ends in a newline. */
        chunks[k].end = k + 1 < n ? chunks[k + 1].begin : f->len;
        size_t next_line = k + 1 < n ? chunks[k + 1].first_line : last_line + 1;
        chunks[k].row_bound = next_line - chunks[k].first_line;
    }
    sh_free(counts);
    return st;
}

/* Chunks: about four per thread so dynamic scheduling evens them out, none
 * under MIN_CHUNK_BYTES. */
size_t sh_csv_chunk_count(const sheaf_ctx *ctx, const sh_csv_file *f)
{
    size_t n = (f->len - f->data) / MIN_CHUNK_BYTES;
    size_t most = 4 * (size_t)sh_ctx_threads_or_default(ctx);
    if (n > most) n = most;
    return n > 0 ? n : 1;
}

/* The serial fallback: one chunk over all data, bounded by every line end. */
void sh_csv_single_chunk(const sh_csv_file *f, sh_csv_chunk *chunks, size_t n)
{
    size_t lf, cr;
    sh_count_two_bytes(f->buf + f->data, f->buf + f->len, '\n', '\r', &lf, &cr);
    size_t bound = 1 + lf + cr;
    for (size_t k = 0; k < n; k++)
        chunks[k] = (sh_csv_chunk){.begin = f->len, .end = f->len, .first_line = 1};
    chunks[0] = (sh_csv_chunk){
        .begin = f->data, .end = f->len, .first_line = f->data_line, .row_bound = bound};
}
