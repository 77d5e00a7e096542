/* csv_internal.h - state shared by the CSV reader's files: the loaded file,
 * its record-aligned chunks, fields and error positions. */
#ifndef SH_CSV_INTERNAL_H
#define SH_CSV_INTERNAL_H

#include "data/dict.h"
#include "data/frame_internal.h"
#include "data/text_parse.h"

/* One field: its content bytes buf[record start + offset, + length). Quoted
 * fields point inside the quotes; SH_FIELD_ESCAPED marks content holding
 * doubled quotes that must be undoubled. */
typedef struct sh_field {
    uint32_t offset;
    uint32_t length; /* low 31 bits; bit 31 = SH_FIELD_ESCAPED */
} sh_field;

/* NUL bytes after the file's last byte: a NUL stops every scan, and
 * 16-byte vector loads that start at or before it stay inside. */
#define SH_CSV_PADDING 64

#define SH_FIELD_ESCAPED 0x80000000u
#define SH_FIELD_LENGTH_MASK 0x7fffffffu

typedef struct sh_csv_file {
    const char *path;
    char *buf;        /* the whole file, then SH_CSV_PADDING NUL bytes */
    size_t len;       /* bytes, without the NUL */
    size_t data;      /* first byte after the BOM and header row */
    size_t data_line; /* physical line number at data */
    char delimiter, quote;
    size_t max_line_bytes;
    size_t n_cols;
    uint8_t stops[256]; /* 1 for bytes that end an unquoted field */
} sh_csv_file;

/* A record-aligned byte range parsed by one thread. */
typedef struct sh_csv_chunk {
    size_t begin, end; /* bytes [begin, end) of the file */
    size_t first_line; /* physical line number (1-based) of begin */
    size_t row_bound;  /* most rows it can hold: its newlines (+1 for the last) */
    size_t row_offset; /* global index of the chunk's first row */
    size_t n_rows;
    bool overran; /* its last record crossed end: the split was wrong */
} sh_csv_chunk;

/* Moves *pos past blank lines (counting them in *line); false when no
 * record starts before end. */
bool sh_csv_skip_blank_lines(const sh_csv_file *f, size_t *pos, size_t *line, size_t end);

/* Tokenizes the record at *pos into row (n_cols + 1 entries, offsets from
 * the record start, returned in *start) and checks it has n_cols fields;
 * FORMAT names file:line:col otherwise. */
sheaf_status sh_csv_next_row(const sh_csv_file *f, size_t *pos, size_t *line, size_t *start,
                             sh_field *row);

/* Tokenizes one record starting at *pos into fields (capacity n_cols + 1,
 * offsets from *pos); the header row uses it too. Returns the field count
 * through *n_fields and moves *pos past the record and *line past its
 * newlines. */
sheaf_status sh_csv_tokenize_record(const sh_csv_file *f, size_t *pos, size_t *line,
                                    sh_field *fields, size_t *n_fields);

/* Counts the header's fields into f->n_cols (an empty file is FORMAT). */
sheaf_status sh_csv_count_columns(sh_csv_file *f);

/* Names the n_cols columns from the header row and sets f->data and
 * f->data_line to where the data starts. */
sheaf_status sh_csv_header_names(sh_csv_file *f, sh_column *cols);

/* How many chunks to cut the data into for ctx's threads. */
size_t sh_csv_chunk_count(const sheaf_ctx *ctx, const sh_csv_file *f);

/* Fills chunks[0..n) with record-aligned ranges, first lines and row
 * bounds (see csv_split.c). */
sheaf_status sh_csv_split(const sheaf_ctx *ctx, const sh_csv_file *f, sh_csv_chunk *chunks,
                          size_t n);

/* The serial fallback when a split was wrong: chunk 0 covers all data,
 * bounded by every line end; the others are empty. */
void sh_csv_single_chunk(const sh_csv_file *f, sh_csv_chunk *chunks, size_t n);

/* "path:line:col" position of byte offset pos, computed by scanning back
 * to the line start; line is the physical line the caller knows pos is on. */
size_t sh_csv_column_of(const sh_csv_file *f, size_t pos);

#endif
