/* metrics_table.h - loads a table written by bench/gen/gen_metrics.py into a
 * sheaf frame (not timed: both sides start from data in memory), and the
 * small helpers every assembler benchmark shares. Header-only so each
 * bench_*.c stays one compilation unit. */
#ifndef BENCH_METRICS_TABLE_H
#define BENCH_METRICS_TABLE_H

#include "sheaf.h"
#include "timing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void bench_die(const char *what)
{
    fprintf(stderr, "bench: %s: %s\n", what, sheaf_last_error());
    exit(1);
}

static void *bench_read_raw(const char *folder, const char *file, size_t bytes)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", folder, file);
    FILE *f = fopen(path, "rb");
    void *data = malloc(bytes ? bytes : 1);
    if (!f || !data || fread(data, 1, bytes, f) != bytes) {
        fprintf(stderr, "bench: cannot read %s\n", path);
        exit(1);
    }
    fclose(f);
    return data;
}

/* rows from meta.json's "rows" field. */
static size_t bench_rows(const char *folder)
{
    char path[1024], text[4096];
    snprintf(path, sizeof path, "%s/meta.json", folder);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
    if (f) fclose(f);
    text[n] = '\0';
    const char *at = strstr(text, "\"rows\":");
    if (!at) {
        fprintf(stderr, "bench: no rows in %s\n", path);
        exit(1);
    }
    return (size_t)strtoull(at + 7, NULL, 10);
}

/* The table as a one-partition frame: key (int64), time (timestamp ns),
 * <prefix>m0..m3 (float64, NaN missing), cat (string). */
static sheaf_frame *bench_load_metrics(const char *folder, const char *prefix)
{
    static const char *const categories[] = {"cpu", "disk", "mem", "net"};
    size_t n = bench_rows(folder);
    sheaf_frame *f = NULL;
    if (sheaf_frame_create(&f) != SHEAF_OK) bench_die("frame_create");
    int64_t *key = bench_read_raw(folder, "key.i64", n * 8);
    int64_t *time = bench_read_raw(folder, "time.i64", n * 8);
    if (sheaf_frame_add_int64(f, "key", key, NULL, n) != SHEAF_OK ||
        sheaf_frame_add_timestamp(f, "time", time, NULL, n, SHEAF_TIME_NS) != SHEAF_OK)
        bench_die("add key/time");
    free(key);
    free(time);
    for (int j = 0; j < 4; j++) {
        char file[32], name[64];
        snprintf(file, sizeof file, "m%d.f64", j);
        snprintf(name, sizeof name, "%sm%d", prefix, j);
        double *m = bench_read_raw(folder, file, n * 8);
        if (sheaf_frame_add_float64(f, name, m, NULL, n) != SHEAF_OK) bench_die("add metric");
        free(m);
    }
    unsigned char *cat = bench_read_raw(folder, "cat.u8", n);
    const char **cells = malloc(n * sizeof *cells);
    for (size_t i = 0; i < n; i++)
        cells[i] = categories[cat[i] & 3];
    if (sheaf_frame_add_string(f, "cat", cells, n) != SHEAF_OK) bench_die("add cat");
    free(cells);
    free(cat);
    return f;
}

#endif
