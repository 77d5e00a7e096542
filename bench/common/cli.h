/* cli.h - what every benchmark program does around its timed calls: parse
 * its sizes, read its raw float64 input, write its raw float64 output, and
 * stop with "program: what: detail" on stderr (exit 1) when any of it fails.
 * Header-only so each bench_*.c stays one compilation unit; main calls
 * bench_cli_init(argv[0]) first so messages name the program. */
#ifndef BENCH_CLI_H
#define BENCH_CLI_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *bench_program = "bench"; /* argv[0]'s base name, set by bench_cli_init */

static void bench_cli_init(const char *argv0)
{
    const char *slash = strrchr(argv0, '/');
    bench_program = slash ? slash + 1 : argv0;
}

static void bench_die(const char *what, const char *detail)
{
    fprintf(stderr, "%s: %s: %s\n", bench_program, what, detail);
    exit(1);
}

static void *bench_malloc(size_t bytes)
{
    void *p = malloc(bytes ? bytes : 1);
    if (!p) bench_die("out of memory", "malloc");
    return p;
}

/* A positive decimal integer argument; what names it in the message. */
static size_t bench_parse_size(const char *text, const char *what)
{
    char *end = NULL;
    unsigned long long v = strtoull(text, &end, 10);
    if (!*text || *end || v == 0) bench_die(what, "must be a positive integer");
    return (size_t)v;
}

/* The first count raw float64 values of folder/file; the caller frees them. */
static double *bench_read_doubles(const char *folder, const char *file, size_t count)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", folder, file);
    FILE *f = fopen(path, "rb");
    if (!f) bench_die("cannot open", path);
    double *data = bench_malloc(count * sizeof *data);
    if (fread(data, sizeof *data, count, f) != count) bench_die("short file", path);
    fclose(f);
    return data;
}

/* Writes data[0..count) to path as raw float64, replacing the file. */
static void bench_write_doubles(const char *path, const double *data, size_t count)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, sizeof *data, count, f) != count || fclose(f))
        bench_die("cannot write", path);
}

#endif
