/* cast.c - sheaf_frame_cast: one column converted to another type.
 *
 * Numeric casts follow numpy's astype with pandas' missing values carried
 * through: float -> int truncates toward zero (C's conversion), and what
 * int64 cannot hold (NaN, +-inf, |x| >= 2^63) becomes missing rather than
 * numpy's undefined value. Strings are parsed with the CSV reader's exact
 * parsers (text_parse.h), once per dictionary entry rather than per row,
 * and unparsable text becomes missing as pandas.to_numeric(errors="coerce")
 * does. Formatting to strings lives in cast_format.c. Every partition is
 * converted in parallel; each row depends on itself only. */
#include "data/clean_internal.h"
#include "data/text_parse.h"
#include "sheaf_clean.h"

#include <math.h>
#include <string.h>

/* Dictionary entries parsed per task of the parsing pass. */
#define PARSE_CHUNK 4096

typedef struct cast_job {
    const sheaf_frame *in;
    const sh_column *src;
    sh_column *out;
    /* string sources: the parsed dictionary */
    int64_t *parsed_i;
    double *parsed_f;
    uint8_t *parsed_ok;
    size_t max_len;
    locale_t c_locale;
} cast_job;

static bool fits_int64(double x)
{
    return x >= -9223372036854775808.0 && x < 9223372036854775808.0;
}

static sheaf_status convert_partition(void *arg, size_t p)
{
    cast_job *j = arg;
    const sh_column *s = j->src;
    sh_column *d = j->out;
    size_t b = j->in->offsets[p], e = j->in->offsets[p + 1];
    for (size_t i = b; i < e; i++) {
        bool present = !(s->valid && !s->valid[i]);
        if (s->type == SHEAF_TYPE_STRING) {
            int32_t code = s->codes[i];
            present = code >= 0 && j->parsed_ok[code];
            if (d->type == SHEAF_TYPE_FLOAT64)
                d->f64[i] = present ? j->parsed_f[code] : NAN;
            else
                d->i64[i] = present ? j->parsed_i[code] : 0;
        } else if (d->type == SHEAF_TYPE_FLOAT64) { /* from int64 */
            d->f64[i] = present ? (double)s->i64[i] : NAN;
        } else if (s->type == SHEAF_TYPE_FLOAT64) { /* to int64 */
            double x = s->f64[i];
            present = fits_int64(x); /* false for NaN */
            d->i64[i] = present ? (int64_t)x : 0;
        } else { /* int64 <-> timestamp: the same numbers */
            d->i64[i] = present ? s->i64[i] : 0;
        }
        d->valid[i] = present;
    }
    return SHEAF_OK;
}

/* Parses dictionary entries [PARSE_CHUNK * t, ...) into the target type. */
static sheaf_status parse_chunk(void *arg, size_t t)
{
    cast_job *j = arg;
    const sh_column *s = j->src;
    size_t b = t * PARSE_CHUNK, e = b + PARSE_CHUNK < s->dict_size ? b + PARSE_CHUNK : s->dict_size;
    /* The parsers read 8 bytes past a field: parse from a NUL-padded copy. */
    char *buf = sh_calloc(j->max_len + 16, 1);
    if (!buf)
        return sh_fail(SHEAF_ERR_NOMEM, "sheaf_frame_cast: out of memory parsing column '%s'",
                       s->name);
    for (size_t k = b; k < e; k++) {
        size_t len = strlen(s->dict[k]);
        memcpy(buf, s->dict[k], len);
        memset(buf + len, 0, 16);
        bool ok = false;
        double x;
        if (sh_is_missing_token(buf, len)) {
            ok = false;
        } else if (j->out->type == SHEAF_TYPE_FLOAT64) {
            ok = sh_parse_double(buf, len, j->c_locale, &j->parsed_f[k]);
        } else if (j->out->type == SHEAF_TYPE_TIMESTAMP) {
            ok = sh_parse_timestamp(buf, len, SHEAF_TIME_NS, &j->parsed_i[k]);
        } else if (sh_parse_int64(buf, len, &j->parsed_i[k])) {
            ok = true;
        } else if (sh_parse_double(buf, len, j->c_locale, &x) && x == trunc(x) && fits_int64(x)) {
            ok = true;
            j->parsed_i[k] = (int64_t)x;
        }
        j->parsed_ok[k] = ok;
    }
    sh_free(buf);
    return SHEAF_OK;
}

static bool castable(sheaf_type from, sheaf_type to)
{
    if (from == to || to == SHEAF_TYPE_STRING) return true;
    switch (from) {
    case SHEAF_TYPE_FLOAT64: return to == SHEAF_TYPE_INT64;
    case SHEAF_TYPE_INT64: return to == SHEAF_TYPE_FLOAT64 || to == SHEAF_TYPE_TIMESTAMP;
    case SHEAF_TYPE_TIMESTAMP: return to == SHEAF_TYPE_INT64;
    case SHEAF_TYPE_STRING: return true;
    default: return false;
    }
}

sheaf_status sheaf_frame_cast(const sheaf_ctx *ctx, const sheaf_frame *in, const char *column,
                              sheaf_type to, const char *name, sheaf_frame **out)
{
    static const char caller[] = "sheaf_frame_cast";
    if (out) *out = NULL;
    if (!in || !out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: in or out is NULL", caller);
    size_t c;
    sheaf_status st = sh_frame_find(in, column, caller, &c);
    if (st != SHEAF_OK) return st;
    const sh_column *s = &in->cols[c];
    if (to != SHEAF_TYPE_FLOAT64 && to != SHEAF_TYPE_INT64 && to != SHEAF_TYPE_STRING &&
        to != SHEAF_TYPE_TIMESTAMP)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: unknown target type %d for column '%s'",
                       caller, (int)to, s->name);
    if (!castable(s->type, to))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: cannot cast column '%s' from %s to %s",
                       caller, s->name, sheaf_type_name(s->type), sheaf_type_name(to));
    const char *target = name ? name : s->name;
    sh_column col;
    memset(&col, 0, sizeof col);
    cast_job job = {.in = in, .src = s, .out = &col};
    if (s->type == to) {
        if (sh_column_share(s, target, &col) != SHEAF_OK) goto nomem;
        return sh_clean_put_column(in, &col, caller, out);
    }
    if (to == SHEAF_TYPE_STRING) {
        if ((st = sh_cast_to_string(ctx, in, s, target, caller, &col)) != SHEAF_OK) return st;
        return sh_clean_put_column(in, &col, caller, out);
    }
    if ((st = sh_column_alloc(&col, target, to, SHEAF_TIME_NS, in->n_rows, caller)) != SHEAF_OK)
        return st;
    if (s->type == SHEAF_TYPE_STRING) {
        size_t n = s->dict_size ? s->dict_size : 1;
        job.parsed_ok = sh_calloc(n, 1);
        job.parsed_f = to == SHEAF_TYPE_FLOAT64 ? sh_calloc(n, sizeof(double)) : NULL;
        job.parsed_i = to != SHEAF_TYPE_FLOAT64 ? sh_calloc(n, sizeof(int64_t)) : NULL;
        job.c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
        if (!job.parsed_ok || (!job.parsed_f && !job.parsed_i) || !job.c_locale) goto nomem;
        for (size_t k = 0; k < s->dict_size; k++) {
            size_t len = strlen(s->dict[k]);
            if (len > job.max_len) job.max_len = len;
        }
        size_t n_chunks = (s->dict_size + PARSE_CHUNK - 1) / PARSE_CHUNK;
        if ((st = sheaf_exec_for(ctx, n_chunks, parse_chunk, &job)) != SHEAF_OK) goto done;
    }
    if ((st = sheaf_exec_for(ctx, in->n_partitions, convert_partition, &job)) != SHEAF_OK)
        goto done;
    sh_column_settle_validity(&col, in->n_rows);
    st = sh_clean_put_column(in, &col, caller, out);
    goto done;
nomem:
    st = sh_fail(SHEAF_ERR_NOMEM, "%s: out of memory casting column '%s'", caller, s->name);
done:
    sh_column_clear(&col);
    sh_free(job.parsed_ok);
    sh_free(job.parsed_f);
    sh_free(job.parsed_i);
    if (job.c_locale) freelocale(job.c_locale);
    return st;
}
