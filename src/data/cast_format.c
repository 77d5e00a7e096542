/* cast_format.c - numbers and timestamps to strings, as pandas'
 * Series.astype(str) writes them (pandas 1.5).
 *
 * Floats: Python's repr - the shortest decimal that reads back to the same
 * double (Steele & White / David Gay's "shortest" mode), found here by
 * bisecting the precision of printf's correctly rounded %.*e between 1 and
 * 17 significant digits (round-tripping is monotone in the precision), then
 * laid out as Python's float_repr_style 'short' does: positional for
 * decimal exponents -4..15 with at least one digit after the point,
 * scientific with a two-digit exponent otherwise. Integers: %lld.
 * Timestamps: pandas formats a whole column at the finest precision any of
 * its rows needs - "YYYY-MM-DD" when every time is midnight, else
 * "YYYY-MM-DD HH:MM:SS" plus 3, 6 or 9 fraction digits - so a first parallel
 * pass finds that precision. Each partition interns its strings into its own
 * dictionary; the coordinator merges them in partition order and the codes
 * are remapped in parallel, so codes are those of a serial pass. */
#include "data/clean_internal.h"
#include "data/dict.h"

#include <inttypes.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sh_format_double_repr(double x, char *buf)
{
    if (isinf(x)) {
        strcpy(buf, x < 0 ? "-inf" : "inf");
        return;
    }
    char sci[40];
    int lo = 1, hi = 17;
    while (lo < hi) { /* smallest precision that round-trips */
        int mid = (lo + hi) / 2;
        snprintf(sci, sizeof sci, "%.*e", mid - 1, x);
        if (strtod(sci, NULL) == x)
            hi = mid;
        else
            lo = mid + 1;
    }
    snprintf(sci, sizeof sci, "%.*e", lo - 1, x);
    /* sci = [-]d[.ddd]e[+-]xx: split into sign, digits and exponent. */
    char digits[24];
    size_t nd = 0;
    const char *s = sci;
    bool negative = *s == '-';
    if (negative) s++;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9') digits[nd++] = *s;
    while (nd > 1 && digits[nd - 1] == '0') /* 1e+16 is printed as "1", not "1.0" */
        nd--;
    int exp10 = atoi(s + 1);
    char *o = buf;
    if (negative) *o++ = '-';
    if (exp10 >= -4 && exp10 <= 15) {
        int point = exp10 + 1; /* digits before the decimal point */
        if (point <= 0) {
            *o++ = '0';
            *o++ = '.';
            for (int k = 0; k < -point; k++)
                *o++ = '0';
            memcpy(o, digits, nd);
            o += nd;
        } else if ((size_t)point < nd) {
            memcpy(o, digits, (size_t)point);
            o += point;
            *o++ = '.';
            memcpy(o, digits + point, nd - (size_t)point);
            o += nd - (size_t)point;
        } else {
            memcpy(o, digits, nd);
            o += nd;
            for (size_t k = nd; k < (size_t)point; k++)
                *o++ = '0';
            *o++ = '.';
            *o++ = '0';
        }
        *o = '\0';
        return;
    }
    *o++ = digits[0];
    if (nd > 1) {
        *o++ = '.';
        memcpy(o, digits + 1, nd - 1);
        o += nd - 1;
    }
    sprintf(o, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
}

/* Timestamp precision levels, coarsest first. */
enum { TS_DATE, TS_SECONDS, TS_MILLI, TS_MICRO, TS_NANO };

typedef struct format_job {
    const sheaf_frame *in;
    const sh_column *src;
    sh_column *out;
    locale_t c_locale;
    int level;      /* for timestamps: the column's */
    int *levels;    /* per partition */
    sh_dict *dicts; /* per partition */
    int32_t **remap;
} format_job;

static void split_time(int64_t t, int64_t per_second, int64_t *days, int64_t *second,
                       int64_t *fraction)
{
    int64_t per_day = 86400 * per_second;
    *days = t / per_day;
    int64_t rem = t % per_day;
    if (rem < 0) {
        rem += per_day;
        (*days)--;
    }
    *second = rem / per_second;
    *fraction = rem % per_second; /* nanoseconds when per_second is 1e9 */
}

static int64_t per_second_of(const sh_column *c)
{
    return c->unit == SHEAF_TIME_NS ? 1000000000 : 1;
}

static sheaf_status level_partition(void *arg, size_t p)
{
    format_job *j = arg;
    const sh_column *c = j->src;
    int64_t per_second = per_second_of(c), days, second, frac;
    int level = TS_DATE;
    for (size_t i = j->in->offsets[p]; i < j->in->offsets[p + 1]; i++) {
        if (c->valid && !c->valid[i]) continue;
        split_time(c->i64[i], per_second, &days, &second, &frac);
        int l = frac == 0             ? (second ? TS_SECONDS : TS_DATE)
                : frac % 1000000 == 0 ? TS_MILLI
                : frac % 1000 == 0    ? TS_MICRO
                                      : TS_NANO;
        if (l > level) level = l;
    }
    j->levels[p] = level;
    return SHEAF_OK;
}

static void format_time(int64_t t, int64_t per_second, int level, char *buf, size_t cap)
{
    int64_t days, second, frac;
    split_time(t, per_second, &days, &second, &frac);
    /* H. Hinnant's civil_from_days. */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int day = (int)(doy - (153 * mp + 2) / 5 + 1);
    int month = (int)(mp < 10 ? mp + 3 : mp - 9);
    int64_t year = yoe + era * 400 + (month <= 2);
    int n = snprintf(buf, cap, "%04" PRId64 "-%02d-%02d", year, month, day);
    if (level == TS_DATE) return;
    n += snprintf(buf + n, cap - (size_t)n, " %02d:%02d:%02d", (int)(second / 3600),
                  (int)(second / 60 % 60), (int)(second % 60));
    if (level == TS_MILLI) snprintf(buf + n, cap - (size_t)n, ".%03d", (int)(frac / 1000000));
    if (level == TS_MICRO) snprintf(buf + n, cap - (size_t)n, ".%06d", (int)(frac / 1000));
    if (level == TS_NANO) snprintf(buf + n, cap - (size_t)n, ".%09d", (int)frac);
}

static sheaf_status format_partition(void *arg, size_t p)
{
    format_job *j = arg;
    const sh_column *c = j->src;
    sh_dict *d = &j->dicts[p];
    locale_t old = uselocale(j->c_locale);
    sheaf_status st = SHEAF_OK;
    char buf[64];
    for (size_t i = j->in->offsets[p]; i < j->in->offsets[p + 1] && st == SHEAF_OK; i++) {
        bool present = !(c->valid && !c->valid[i]);
        j->out->valid[i] = present;
        j->out->codes[i] = -1;
        if (!present) continue;
        switch (c->type) {
        case SHEAF_TYPE_FLOAT64: sh_format_double_repr(c->f64[i], buf); break;
        case SHEAF_TYPE_TIMESTAMP:
            format_time(c->i64[i], per_second_of(c), j->level, buf, sizeof buf);
            break;
        default: snprintf(buf, sizeof buf, "%" PRId64, c->i64[i]); break;
        }
        st = sh_dict_intern(d, buf, strlen(buf), &j->out->codes[i]);
    }
    uselocale(old);
    if (st != SHEAF_OK)
        return sh_fail(SHEAF_ERR_NOMEM, "sheaf_frame_cast: out of memory formatting column '%s'",
                       c->name);
    return SHEAF_OK;
}

static sheaf_status remap_partition(void *arg, size_t p)
{
    format_job *j = arg;
    const int32_t *map = j->remap[p];
    for (size_t i = j->in->offsets[p]; i < j->in->offsets[p + 1]; i++)
        if (j->out->codes[i] >= 0) j->out->codes[i] = map[j->out->codes[i]];
    return SHEAF_OK;
}

sheaf_status sh_cast_to_string(const sheaf_ctx *ctx, const sheaf_frame *in, const sh_column *src,
                               const char *name, const char *caller, sh_column *out)
{
    size_t n_parts = in->n_partitions;
    format_job j = {.in = in, .src = src, .out = out};
    sh_dict global;
    bool global_ready = false;
    size_t n_ready = 0; /* dictionaries initialised */
    sheaf_status st =
        sh_column_alloc(out, name, SHEAF_TYPE_STRING, SHEAF_TIME_NS, in->n_rows, caller);
    if (st != SHEAF_OK) return st;
    j.c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    j.levels = sh_calloc(n_parts, sizeof *j.levels);
    j.dicts = sh_calloc(n_parts, sizeof *j.dicts);
    j.remap = sh_calloc(n_parts, sizeof *j.remap);
    if (!j.c_locale || !j.levels || !j.dicts || !j.remap) goto nomem;
    for (; n_ready < n_parts; n_ready++)
        if (sh_dict_init(&j.dicts[n_ready]) != SHEAF_OK) goto nomem;
    if (src->type == SHEAF_TYPE_TIMESTAMP) {
        if ((st = sheaf_exec_for(ctx, n_parts, level_partition, &j)) != SHEAF_OK) goto done;
        for (size_t p = 0; p < n_parts; p++)
            if (j.levels[p] > j.level) j.level = j.levels[p];
    }
    if ((st = sheaf_exec_for(ctx, n_parts, format_partition, &j)) != SHEAF_OK) goto done;
    if (sh_dict_init(&global) != SHEAF_OK) goto nomem;
    global_ready = true;
    for (size_t p = 0; p < n_parts; p++) {
        const sh_dict *d = &j.dicts[p];
        if (!(j.remap[p] = sh_malloc_array(d->size, sizeof *j.remap[p]))) goto nomem;
        for (size_t k = 0; k < d->size; k++)
            if ((st = sh_dict_intern(&global, d->strings[k], d->lengths[k], &j.remap[p][k])) !=
                SHEAF_OK)
                goto nomem; /* 2^31 distinct strings cannot come from int32-coded rows */
    }
    if ((st = sheaf_exec_for(ctx, n_parts, remap_partition, &j)) != SHEAF_OK) goto done;
    out->dict = sh_dict_release(&global, &out->dict_size);
    sh_column_settle_validity(out, in->n_rows);
    goto done;
nomem:
    st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory formatting column '%s' as strings", caller,
                 src->name);
done:
    if (global_ready) sh_dict_clear(&global);
    for (size_t p = 0; p < n_ready; p++)
        sh_dict_clear(&j.dicts[p]);
    for (size_t p = 0; j.remap && p < n_parts; p++)
        sh_free(j.remap[p]);
    sh_free(j.remap);
    sh_free(j.dicts);
    sh_free(j.levels);
    if (j.c_locale) freelocale(j.c_locale);
    if (st != SHEAF_OK) sh_column_clear(out);
    return st;
}
