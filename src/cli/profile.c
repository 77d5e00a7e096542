/* profile.c - `sheaf profile`: read a CSV file and print a summary of every
 * column, like pandas' describe(). The numbers come from colstats.c; this
 * file parses flags, draws the progress bar (on stderr, only on a terminal)
 * and formats the result, either as aligned tables (numeric, timestamp and
 * string columns apart) or, with --tsv, as one tab-separated table with
 * every number printed in the shortest form that reads back to the same
 * double, for scripts and tests. */
#include "cli.h"
#include "colstats.h"

#include "sheaf.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CELL 96     /* widest cell kept; longer names and values are cut */
#define TABLE_SIG 7 /* significant digits in the human-readable tables */

typedef struct options {
    const char *path;
    long threads;    /* -1 = the context's default */
    long partitions; /* -1 = the context's default */
    int tsv;
} options;

void sh_cli_profile_usage(FILE *f)
{
    fputs("  sheaf profile [--threads N] [--partitions N] [--tsv] FILE.csv\n"
          "                   summarise every column of a CSV file: count, missing,\n"
          "                   mean, std, min, quartiles, max (numbers, timestamps);\n"
          "                   distinct values and the most frequent one (strings).\n"
          "                   --threads N     worker threads (0 = all cores)\n"
          "                   --partitions N  partitions to split the rows into\n"
          "                   --tsv           tab-separated output, full precision\n",
          f);
}

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("sheaf: profile: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\nusage:\n", stderr);
    sh_cli_profile_usage(stderr);
    va_end(ap);
    return 1;
}

/* A non-negative decimal integer no larger than max, or -1. */
static long parse_count(const char *s, long max)
{
    char *end;
    if (!s || *s < '0' || *s > '9') return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > (unsigned long long)max) return -1;
    return (long)v;
}

/* Parses argv (argv[0] = "profile"); 0 = run, 1 = error printed, 2 = help. */
static int parse_args(int argc, char **argv, options *o)
{
    *o = (options){NULL, -1, -1, 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        long *target = NULL, min = 0;
        const char *flag = a, *value = NULL;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) return 2;
        if (!strcmp(a, "--tsv")) {
            o->tsv = 1;
            continue;
        }
        if (!strncmp(a, "--threads", 9) && (a[9] == '\0' || a[9] == '=')) {
            target = &o->threads;
            flag = "--threads";
            value = a[9] == '=' ? a + 10 : NULL;
        } else if (!strncmp(a, "--partitions", 12) && (a[12] == '\0' || a[12] == '=')) {
            target = &o->partitions;
            flag = "--partitions";
            min = 1;
            value = a[12] == '=' ? a + 13 : NULL;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option '%s'", a);
        } else if (o->path) {
            return usage_error("one FILE only (got '%s' and '%s')", o->path, a);
        } else {
            o->path = a;
            continue;
        }
        if (!value) {
            if (i + 1 >= argc) return usage_error("%s needs a value", flag);
            value = argv[++i];
        }
        long v = parse_count(value, 1L << 20);
        if (v < min) return usage_error("%s wants an integer >= %ld, got '%s'", flag, min, value);
        *target = v;
    }
    if (!o->path) return usage_error("missing FILE");
    return 0;
}

/* ---- progress bar ---------------------------------------------------------- */

typedef struct progress {
    const char *phase; /* the CLI's own step: "reading", "profiling" */
    int drawn;
    int percent;
    const char *stage; /* the library's stage; a new one restarts the bar */
} progress;

static void draw_progress(void *user, const char *stage, double fraction)
{
    progress *pr = user;
    int pct = (int)(fraction * 100.0 + 0.5);
    if (pct < 0) pct = 0;
    if (pct > 100) pct = 100;
    if (pr->drawn && pct == pr->percent && pr->stage == stage) return;
    char bar[41];
    int fill = pct * 40 / 100;
    memset(bar, '#', (size_t)fill);
    memset(bar + fill, '.', (size_t)(40 - fill));
    bar[40] = '\0';
    fprintf(stderr, "\r%-10.10s [%s] %3d%%", pr->phase, bar, pct);
    fflush(stderr);
    pr->drawn = 1;
    pr->percent = pct;
    pr->stage = stage;
}

static void clear_progress(progress *pr)
{
    if (!pr->drawn) return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    pr->drawn = 0;
}

/* ---- formatting -------------------------------------------------------------- */

/* The shortest %.*g that reads back as x (tsv), or TABLE_SIG digits. */
static void fmt_double(char *buf, size_t cap, double x, int tsv)
{
    if (isnan(x)) {
        snprintf(buf, cap, "NaN");
        return;
    }
    if (!tsv) {
        snprintf(buf, cap, "%.*g", TABLE_SIG, x);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, x);
        if (strtod(buf, NULL) == x) return;
    }
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* Civil date of a day count since 1970-01-01 (H. Hinnant, "chrono-compatible
 * low-level date algorithms", days_from_civil inverted). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Fraction digits: none, milli, micro or nano - the fewest that are exact. */
static void fmt_fraction(char *buf, size_t cap, int64_t ns)
{
    if (ns == 0)
        buf[0] = '\0';
    else if (ns % 1000000 == 0)
        snprintf(buf, cap, ".%03" PRId64, ns / 1000000);
    else if (ns % 1000 == 0)
        snprintf(buf, cap, ".%06" PRId64, ns / 1000);
    else
        snprintf(buf, cap, ".%09" PRId64, ns);
}

/* ISO-8601 (YYYY-MM-DDTHH:MM:SS[.fff...], or YYYY-MM-DD when date_only) of
 * v in unit since the epoch, UTC. */
static void fmt_time(char *buf, size_t cap, int64_t v, sheaf_time_unit unit, int date_only)
{
    int64_t per_second = unit == SHEAF_TIME_S ? 1 : 1000000000;
    int64_t secs = floor_div(v, per_second),
            ns = (v - secs * per_second) * (1000000000 / per_second);
    int64_t days = floor_div(secs, 86400), sod = secs - days * 86400;
    int64_t y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    char frac[24];
    fmt_fraction(frac, sizeof frac, ns);
    int n = snprintf(buf, cap, "%s%04" PRId64 "-%02u-%02u", y < 0 ? "-" : (y > 9999 ? "+" : ""),
                     y < 0 ? -y : y, m, d);
    if (!date_only && n >= 0 && (size_t)n < cap)
        snprintf(buf + n, cap - (size_t)n, "T%02d:%02d:%02d%s", (int)(sod / 3600),
                 (int)(sod / 60 % 60), (int)(sod % 60), frac);
}

/* A duration like pandas' Timedelta: "D days HH:MM:SS[.fff...]". */
static void fmt_duration(char *buf, size_t cap, double amount, sheaf_time_unit unit)
{
    if (isnan(amount)) {
        snprintf(buf, cap, "NaT");
        return;
    }
    double ns_d = unit == SHEAF_TIME_S ? amount * 1e9 : amount;
    if (!(ns_d < 9.2e18)) {
        snprintf(buf, cap, "%.6g s", unit == SHEAF_TIME_S ? amount : amount / 1e9);
        return;
    }
    int64_t ns = llround(ns_d), secs = ns / 1000000000, days = secs / 86400, sod = secs % 86400;
    char frac[24];
    fmt_fraction(frac, sizeof frac, ns % 1000000000);
    snprintf(buf, cap, "%" PRId64 " days %02d:%02d:%02d%s", days, (int)(sod / 3600),
             (int)(sod / 60 % 60), (int)(sod % 60), frac);
}

/* Copies s, replacing control characters (tsv: escaping tab, newline and
 * backslash), and cutting it to the cell size. */
static void fmt_text(char *buf, size_t cap, const char *s, int tsv)
{
    size_t k = 0;
    for (; s && *s && k + 3 < cap; s++) {
        unsigned char ch = (unsigned char)*s;
        if (tsv && (ch == '\t' || ch == '\n' || ch == '\\')) {
            buf[k++] = '\\';
            buf[k++] = ch == '\t' ? 't' : ch == '\n' ? 'n' : '\\';
        } else {
            buf[k++] = ch < 0x20 ? '?' : (char)ch;
        }
    }
    buf[k] = '\0';
    if (s && *s && !tsv && cap > 4) strcpy(buf + cap - 4, "...");
}

/* ---- tables ------------------------------------------------------------------ */

enum {
    F_NAME,
    F_TYPE,
    F_COUNT,
    F_MISSING,
    F_MEAN,
    F_STD,
    F_MIN,
    F_Q25,
    F_Q50,
    F_Q75,
    F_MAX,
    F_UNIQUE,
    F_TOP,
    F_FREQ,
    N_FIELDS
};

static const char *const field_title[N_FIELDS] = {"column", "type",   "count", "missing", "mean",
                                                  "std",    "min",    "25%",   "50%",     "75%",
                                                  "max",    "unique", "top",   "freq"};

typedef char row_cells[N_FIELDS][CELL];

/* Every field of column j as text; fields that do not apply stay empty. */
static void fill_row(const sheaf_frame *frame, size_t j, const sh_colstats *s, int tsv,
                     row_cells cells)
{
    memset(cells, 0, sizeof(row_cells));
    fmt_text(cells[F_NAME], CELL, sheaf_frame_column_name(frame, j), tsv);
    snprintf(cells[F_TYPE], CELL, "%s", sheaf_type_name(s->type));
    snprintf(cells[F_COUNT], CELL, "%zu", s->count);
    snprintf(cells[F_MISSING], CELL, "%zu", s->missing);
    if (s->type == SHEAF_TYPE_STRING) {
        snprintf(cells[F_UNIQUE], CELL, "%zu", s->unique);
        if (s->top >= 0) {
            fmt_text(cells[F_TOP], CELL, sheaf_frame_dict_value(frame, j, s->top), tsv);
            snprintf(cells[F_FREQ], CELL, "%zu", s->top_freq);
        }
        return;
    }
    fmt_double(cells[F_MEAN], CELL, s->mean, tsv);
    fmt_double(cells[F_STD], CELL, s->std, tsv);
    if (s->type == SHEAF_TYPE_FLOAT64) {
        fmt_double(cells[F_MIN], CELL, s->min, tsv);
        fmt_double(cells[F_MAX], CELL, s->max, tsv);
    } else if (s->count > 0) {
        snprintf(cells[F_MIN], CELL, "%" PRId64, s->imin);
        snprintf(cells[F_MAX], CELL, "%" PRId64, s->imax);
    } else {
        fmt_double(cells[F_MIN], CELL, NAN, tsv);
        fmt_double(cells[F_MAX], CELL, NAN, tsv);
    }
    for (int q = 0; q < SH_COLSTATS_NQ; q++)
        fmt_double(cells[F_Q25 + q], CELL, s->q[q], tsv);
    if (s->type != SHEAF_TYPE_TIMESTAMP) return;
    if (s->count == 0) {
        for (int f = F_MEAN; f <= F_MAX; f++)
            snprintf(cells[f], CELL, "NaT");
        return;
    }
    /* Tables drop the time of day when every instant shown is a midnight. */
    int64_t day = s->unit == SHEAF_TIME_S ? 86400 : INT64_C(86400000000000);
    int dates = !tsv && s->tmean % day == 0 && s->imin % day == 0 && s->imax % day == 0;
    for (int q = 0; q < SH_COLSTATS_NQ; q++)
        dates = dates && s->tq[q] % day == 0;
    fmt_time(cells[F_MEAN], CELL, s->tmean, s->unit, dates);
    fmt_duration(cells[F_STD], CELL, s->std, s->unit);
    fmt_time(cells[F_MIN], CELL, s->imin, s->unit, dates);
    fmt_time(cells[F_MAX], CELL, s->imax, s->unit, dates);
    for (int q = 0; q < SH_COLSTATS_NQ; q++)
        fmt_time(cells[F_Q25 + q], CELL, s->tq[q], s->unit, dates);
}

static void print_tsv(const sheaf_frame *frame, const sh_colstats *stats, row_cells cells)
{
    for (int f = 0; f < N_FIELDS; f++)
        printf("%s%c", field_title[f], f + 1 < N_FIELDS ? '\t' : '\n');
    for (size_t j = 0; j < sheaf_frame_num_columns(frame); j++) {
        fill_row(frame, j, &stats[j], 1, cells);
        for (int f = 0; f < N_FIELDS; f++)
            printf("%s%c", cells[f], f + 1 < N_FIELDS ? '\t' : '\n');
    }
}

/* One aligned table of the columns whose type is in `types` (a bit set),
 * showing the fields in `fields` (a bit set). */
static void print_section(const sheaf_frame *frame, const sh_colstats *stats, const char *title,
                          unsigned types, unsigned fields, row_cells cells)
{
    size_t n_cols = sheaf_frame_num_columns(frame), width[N_FIELDS] = {0}, rows = 0;
    int last = 0;
    for (int f = 0; f < N_FIELDS; f++) {
        width[f] = strlen(field_title[f]);
        if (fields & (1u << f)) last = f;
    }
    for (size_t j = 0; j < n_cols; j++) {
        if (!(types & (1u << stats[j].type))) continue;
        rows++;
        fill_row(frame, j, &stats[j], 0, cells);
        for (int f = 0; f < N_FIELDS; f++)
            if (strlen(cells[f]) > width[f]) width[f] = strlen(cells[f]);
    }
    if (rows == 0) return;
    printf("\n%s\n", title);
    for (size_t j = 0; j <= n_cols; j++) {
        if (j > 0 && !(types & (1u << stats[j - 1].type))) continue;
        if (j > 0) fill_row(frame, j - 1, &stats[j - 1], 0, cells);
        for (int f = 0; f < N_FIELDS; f++) {
            if (!(fields & (1u << f))) continue;
            const char *text = j == 0 ? field_title[f] : cells[f];
            int left = f == F_NAME || f == F_TYPE || f == F_TOP;
            int w = left ? (f == last ? 0 : -(int)width[f]) : (int)width[f];
            printf("%s%*s", f == F_NAME ? "" : "  ", w, text);
        }
        putchar('\n');
    }
}

#define FIELDS(first, last) (((1u << ((last) + 1)) - 1) & ~((1u << (first)) - 1))

static void print_tables(const sheaf_frame *frame, const sh_colstats *stats, const options *o,
                         row_cells cells)
{
    printf("%s: %zu rows, %zu columns, %zu partitions\n", o->path, sheaf_frame_num_rows(frame),
           sheaf_frame_num_columns(frame), sheaf_frame_num_partitions(frame));
    unsigned moments = FIELDS(F_NAME, F_MAX);
    print_section(frame, stats, "numeric columns",
                  (1u << SHEAF_TYPE_FLOAT64) | (1u << SHEAF_TYPE_INT64), moments, cells);
    print_section(frame, stats, "timestamp columns (UTC)", 1u << SHEAF_TYPE_TIMESTAMP, moments,
                  cells);
    print_section(frame, stats, "string columns", 1u << SHEAF_TYPE_STRING,
                  FIELDS(F_NAME, F_MISSING) | FIELDS(F_UNIQUE, F_FREQ), cells);
}

/* ---- the command ------------------------------------------------------------- */

int sh_cli_profile(int argc, char **argv)
{
    options o;
    int parsed = parse_args(argc, argv, &o);
    if (parsed == 2) {
        fputs("usage:\n", stdout);
        sh_cli_profile_usage(stdout);
        return 0;
    }
    if (parsed != 0) return 1;

    sheaf_ctx *ctx = NULL;
    sheaf_frame *frame = NULL;
    sh_colstats *stats = NULL;
    row_cells *cells = NULL;
    progress pr = {"reading", 0, 0, NULL};
    int rc = 1;
    sheaf_status st = sheaf_ctx_create(&ctx);
    if (st == SHEAF_OK && o.threads >= 0) st = sheaf_ctx_set_threads(ctx, (int)o.threads);
    if (st == SHEAF_OK && o.partitions >= 0)
        st = sheaf_ctx_set_partitions(ctx, (size_t)o.partitions);
    if (st == SHEAF_OK && isatty(STDERR_FILENO))
        st = sheaf_ctx_set_progress(ctx, draw_progress, &pr);
    if (st != SHEAF_OK) goto done;

    sheaf_csv_options copts = sheaf_csv_options_default();
    st = sheaf_csv_read(ctx, o.path, &copts, &frame);
    if (st != SHEAF_OK) goto done;

    size_t n_cols = sheaf_frame_num_columns(frame);
    stats = calloc(n_cols ? n_cols : 1, sizeof *stats);
    cells = malloc(sizeof *cells);
    if (!stats || !cells) {
        clear_progress(&pr);
        fputs("sheaf: profile: out of memory\n", stderr);
        goto cleanup;
    }
    pr.phase = "profiling";
    st = sh_colstats_compute(ctx, frame, stats);
    if (st != SHEAF_OK) goto done;
    clear_progress(&pr);
    if (o.tsv)
        print_tsv(frame, stats, *cells);
    else
        print_tables(frame, stats, &o, *cells);
    rc = fflush(stdout) == 0 ? 0 : 1;
    if (rc) fputs("sheaf: profile: cannot write the output\n", stderr);

done:
    if (st != SHEAF_OK) {
        clear_progress(&pr);
        fprintf(stderr, "sheaf: %s\n", sheaf_last_error());
    }
cleanup:
    free(cells);
    free(stats);
    sheaf_frame_free(frame);
    sheaf_ctx_free(ctx);
    return rc;
}
