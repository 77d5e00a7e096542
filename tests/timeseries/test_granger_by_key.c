/* test_granger_by_key.c - Granger matrices of many panels
 * (sheaf_granger_by_key in include/sheaf_timeseries.h): the panels of
 * granger_refs.h (keys in shuffled row order, one too short, one constant,
 * one with a NaN) against statsmodels' grangercausalitytests on each key's
 * time-sorted rows, per-key status and message, equality with
 * sheaf_granger_entries on each panel, invariance to threads and to the
 * frame's partitioning, and the bad calls. */
#include "../data/timeseries/granger_refs.h"
#include "sheaf.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_ROWS PANEL_KEY_LEN
#define N_KEYS 6

static const char *const COLUMNS[3] = {"a", "b", "c"};
static const char *const KEY[1] = {"key"};

/* The panel frame: key (int64, or string "k<key>" when string_keys), time
 * (int64), a, b, c (float64), in the header's shuffled row order. */
static sheaf_frame *panel_frame(int string_keys)
{
    sheaf_frame *f = NULL;
    int64_t key[N_ROWS], time[N_ROWS];
    double v[3][N_ROWS];
    char names[N_ROWS][8];
    const char *text[N_ROWS];
    for (size_t r = 0; r < N_ROWS; r++) {
        key[r] = (int64_t)PANEL_KEY[r];
        time[r] = (int64_t)PANEL_TIME[r];
        snprintf(names[r], sizeof names[r], "k%d", (int)key[r]);
        text[r] = names[r];
        for (size_t c = 0; c < 3; c++)
            v[c][r] = PANEL_Y[r * 3 + c];
    }
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    if (string_keys)
        cr_assert_eq(sheaf_frame_add_string(f, "key", text, N_ROWS), SHEAF_OK);
    else
        cr_assert_eq(sheaf_frame_add_int64(f, "key", key, NULL, N_ROWS), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "time", time, NULL, N_ROWS), SHEAF_OK);
    for (size_t c = 0; c < 3; c++)
        cr_assert_eq(sheaf_frame_add_float64(f, COLUMNS[c], v[c], NULL, N_ROWS), SHEAF_OK);
    return f;
}

static sheaf_ctx *ctx_with(int threads, size_t parts)
{
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, threads), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_partitions(ctx, parts), SHEAF_OK);
    return ctx;
}

static const double *f64(const sheaf_frame *f, const char *name)
{
    size_t idx;
    const double *v = NULL;
    cr_assert_eq(sheaf_frame_column_index(f, name, &idx), SHEAF_OK, "%s", name);
    cr_assert_eq(sheaf_frame_column_float64(f, idx, &v), SHEAF_OK, "%s", name);
    return v;
}

static const int64_t *i64(const sheaf_frame *f, const char *name, const uint8_t **valid)
{
    size_t idx;
    const int64_t *v = NULL;
    cr_assert_eq(sheaf_frame_column_index(f, name, &idx), SHEAF_OK, "%s", name);
    cr_assert_eq(sheaf_frame_column_int64(f, idx, &v), SHEAF_OK, "%s", name);
    if (valid) *valid = sheaf_frame_column_validity(f, idx);
    return v;
}

/* The string at row r of column name (NULL when missing). */
static const char *text_at(const sheaf_frame *f, const char *name, size_t r)
{
    size_t idx, dict;
    const int32_t *codes = NULL;
    cr_assert_eq(sheaf_frame_column_index(f, name, &idx), SHEAF_OK, "%s", name);
    cr_assert_eq(sheaf_frame_column_codes(f, idx, &codes, &dict), SHEAF_OK, "%s", name);
    return codes[r] < 0 ? NULL : sheaf_frame_dict_value(f, idx, codes[r]);
}

static sheaf_frame *run(const sheaf_ctx *ctx, const sheaf_frame *in, const sheaf_granger_options *o)
{
    sheaf_frame *out = NULL;
    cr_assert_eq(sheaf_granger_by_key(ctx, in, KEY, 1, "time", COLUMNS, 3, o, &out), SHEAF_OK, "%s",
                 sheaf_last_error());
    return out;
}

Test(granger_by_key, every_working_panel_matches_statsmodels_and_bad_ones_say_why)
{
    sheaf_frame *in = panel_frame(0);
    sheaf_granger_options o = sheaf_granger_options_default();
    o.maxlag = 2;
    o.adjust = SHEAF_GRANGER_ADJUST_FDR_BH;
    sheaf_frame *out = run(NULL, in, &o);
    cr_assert_eq(sheaf_frame_num_rows(out), N_KEYS * 6 * 2);
    cr_assert_eq(sheaf_frame_num_columns(out), 14);
    static const char *const names[14] = {
        "key",    "caused",   "causing",         "lag", "nobs", "statistic", "pvalue",
        "df_num", "df_denom", "pvalue_adjusted", "aic", "bic",  "status",    "error"};
    for (size_t c = 0; c < 14; c++)
        cr_assert_str_eq(sheaf_frame_column_name(out, c), names[c]);
    const uint8_t *lag_ok, *nobs_ok;
    const int64_t *key = i64(out, "key", NULL), *lag = i64(out, "lag", &lag_ok),
                  *nobs = i64(out, "nobs", &nobs_ok);
    const double *stat = f64(out, "statistic"), *pv = f64(out, "pvalue"),
                 *dfd = f64(out, "df_denom"), *adj = f64(out, "pvalue_adjusted"),
                 *aic = f64(out, "aic"), *bic = f64(out, "bic");
    cr_assert_not_null(nobs_ok);
    size_t r = 0;
    for (size_t s = 0; s < N_KEYS; s++)
        for (size_t i = 0; i < 3; i++)
            for (size_t j = 0; j < 3; j++)
                for (size_t q = 0; q < 2 && i != j; q++, r++) {
                    cr_assert_eq(key[r], (int64_t)s);
                    cr_assert_str_eq(text_at(out, "caused", r), COLUMNS[i]);
                    cr_assert_str_eq(text_at(out, "causing", r), COLUMNS[j]);
                    cr_assert(lag_ok == NULL || lag_ok[r]);
                    cr_assert_eq(lag[r], (int64_t)q + 1);
                    const double *w = PANEL_REF + (((s * 3 + i) * 3 + j) * 2 + q) * GR_COLS;
                    const char *status = text_at(out, "status", r), *err = text_at(out, "error", r);
                    if (s == 2 || s == 3 || s == 5) {
                        cr_assert(!nobs_ok[r] && isnan(stat[r]) && isnan(adj[r]), "row %zu", r);
                        cr_assert_not_null(err);
                    }
                    if (s == 2) {
                        cr_assert_str_eq(status, "SHEAF_ERR_INVALID_ARGUMENT");
                        cr_assert_str_eq(err, "sheaf_granger_by_key: lag 2 needs more than 7 "
                                              "observations (have 6)");
                    } else if (s == 3) {
                        cr_assert_str_eq(status, "SHEAF_ERR_SINGULAR");
                        cr_assert(strstr(err, "lag-2 regression of series 'a' on series 'b' is "
                                              "collinear") != NULL,
                                  "%s", err);
                    } else if (s == 5) {
                        cr_assert_str_eq(status, "SHEAF_ERR_NONFINITE");
                        cr_assert_str_eq(err, "sheaf_granger_by_key: column 'c' at row 17 of the "
                                              "panel is missing or nan");
                    } else {
                        cr_assert_str_eq(status, "SHEAF_OK");
                        cr_assert_null(err);
                        cr_assert(nobs_ok[r]);
                        cr_assert_eq((double)nobs[r], w[GR_NOBS]);
                        cr_assert(fabs(stat[r] - w[GR_SSR_F]) <= 1e-9 * fabs(w[GR_SSR_F]),
                                  "key %zu row %zu: %.17g vs %.17g", s, r, stat[r], w[GR_SSR_F]);
                        cr_assert(fabs(pv[r] - w[GR_SSR_F_P]) <= 1e-9);
                        cr_assert_eq(dfd[r], w[GR_DF_DENOM]);
                        cr_assert(fabs(aic[r] - w[GR_AIC]) <= 1e-9 * fabs(w[GR_AIC]));
                        cr_assert(fabs(bic[r] - w[GR_BIC]) <= 1e-9 * fabs(w[GR_BIC]));
                        double want_adj = PANEL_BH[((s * 3 + i) * 3 + j) * 2 + q];
                        cr_assert(fabs(adj[r] - want_adj) <= 1e-9, "adjusted %zu", r);
                    }
                }
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

/* The series of key s in time order, as a row-major T x 3 array. */
static double *panel_series(size_t s, size_t *T)
{
    double *y = malloc(N_ROWS * 3 * sizeof *y);
    size_t n = 0;
    for (double t = 0; t < 5000; t++)
        for (size_t r = 0; r < N_ROWS; r++)
            if (PANEL_KEY[r] == (double)s && PANEL_TIME[r] == t) {
                memcpy(y + 3 * n, PANEL_Y + 3 * r, 3 * sizeof *y);
                n++;
            }
    *T = n;
    return y;
}

Test(granger_by_key, each_panel_equals_sheaf_granger_entries_bit_for_bit)
{
    sheaf_frame *in = panel_frame(1);
    sheaf_ctx *one = ctx_with(1, 1);
    sheaf_granger_options o = sheaf_granger_options_default();
    o.maxlag = 3;
    o.conditional = 1;
    o.common_sample = 1;
    o.ic = SHEAF_GRANGER_IC_BIC;
    o.test = SHEAF_GRANGER_LRTEST;
    o.adjust = SHEAF_GRANGER_ADJUST_FDR_BH;
    sheaf_frame *out = run(NULL, in, &o);
    cr_assert_eq(sheaf_frame_num_rows(out), N_KEYS * 6);
    const uint8_t *lag_ok;
    const int64_t *lag = i64(out, "lag", &lag_ok);
    const double *stat = f64(out, "statistic"), *adj = f64(out, "pvalue_adjusted"),
                 *bic = f64(out, "bic");
    for (size_t s = 0; s < N_KEYS; s++) {
        size_t T;
        double *y = panel_series(s, &T);
        sheaf_granger_entry e[9];
        char name[8];
        snprintf(name, sizeof name, "k%zu", s);
        sheaf_status st = sheaf_granger_entries(one, y, T, 3, 3, &o, e);
        for (size_t i = 0, r = s * 6; i < 3; i++)
            for (size_t j = 0; j < 3; j++) {
                if (i == j) continue;
                cr_assert_str_eq(text_at(out, "key", r), name);
                cr_assert_str_eq(text_at(out, "status", r), sheaf_status_name(st));
                if (st != SHEAF_OK) {
                    cr_assert(lag_ok && !lag_ok[r], "key %zu: the lag is unknown", s);
                } else {
                    const sheaf_granger_entry *w = &e[i * 3 + j];
                    cr_assert_eq(lag[r], (int64_t)w->lag);
                    cr_assert(memcmp(&stat[r], &w->statistic, sizeof(double)) == 0);
                    cr_assert(memcmp(&adj[r], &w->pvalue_adjusted, sizeof(double)) == 0);
                    cr_assert(memcmp(&bic[r], &w->bic, sizeof(double)) == 0);
                }
                r++;
            }
        free(y);
    }
    sheaf_frame_free(out);
    sheaf_frame_free(in);
    sheaf_ctx_free(one);
}

/* All numeric output columns of out, concatenated, for comparisons. */
static void assert_same_numbers(const sheaf_frame *a, const sheaf_frame *b)
{
    static const char *const num[] = {"statistic",       "pvalue", "df_denom",
                                      "pvalue_adjusted", "aic",    "bic"};
    size_t n = sheaf_frame_num_rows(a);
    cr_assert_eq(sheaf_frame_num_rows(b), n);
    for (size_t c = 0; c < 6; c++)
        cr_assert(memcmp(f64(a, num[c]), f64(b, num[c]), n * sizeof(double)) == 0, "%s differs",
                  num[c]);
    cr_assert(memcmp(i64(a, "lag", NULL), i64(b, "lag", NULL), n * sizeof(int64_t)) == 0);
    for (size_t r = 0; r < n; r++) {
        const char *x = text_at(a, "error", r), *y = text_at(b, "error", r);
        cr_assert((x == NULL) == (y == NULL) && (!x || strcmp(x, y) == 0), "error at %zu", r);
    }
}

Test(granger_by_key, threads_and_partitions_of_the_frame_give_the_same_bits)
{
    sheaf_frame *in = panel_frame(0);
    sheaf_granger_options o = sheaf_granger_options_default();
    o.maxlag = 2;
    o.conditional = 1;
    o.adjust = SHEAF_GRANGER_ADJUST_FDR_BH_PER_LAG;
    sheaf_ctx *c1 = ctx_with(1, 1), *c4 = ctx_with(4, 16);
    sheaf_frame *base = run(c1, in, &o), *t4 = run(c4, in, &o);
    assert_same_numbers(base, t4);
    size_t parts[3] = {1, 3, 16};
    for (size_t q = 0; q < 3; q++) {
        sheaf_frame *laid = NULL;
        cr_assert_eq(sheaf_frame_partition_by_key_time(c4, in, KEY, 1, "time", parts[q], &laid),
                     SHEAF_OK);
        sheaf_frame *out = run(c4, laid, &o);
        assert_same_numbers(base, out);
        sheaf_frame_free(out);
        sheaf_frame_free(laid);
    }
    sheaf_frame_free(base);
    sheaf_frame_free(t4);
    sheaf_frame_free(in);
    sheaf_ctx_free(c1);
    sheaf_ctx_free(c4);
}

Test(granger_by_key, int64_series_and_an_empty_frame_work)
{
    sheaf_frame *f = NULL, *out = NULL;
    int64_t key[40], time[40], a[40], b[40];
    for (int r = 0; r < 40; r++) {
        key[r] = r % 2;
        time[r] = 40 - r;
        a[r] = (r * 7919) % 13;
        b[r] = (r * 104729) % 11;
    }
    const char *cols[2] = {"a", "b"};
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "key", key, NULL, 40), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "time", time, NULL, 40), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "a", a, NULL, 40), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "b", b, NULL, 40), SHEAF_OK);
    cr_assert_eq(sheaf_granger_by_key(NULL, f, KEY, 1, "time", cols, 2, NULL, &out), SHEAF_OK, "%s",
                 sheaf_last_error());
    cr_assert_eq(sheaf_frame_num_rows(out), 2 * 2);
    for (size_t r = 0; r < 4; r++)
        cr_assert_str_eq(text_at(out, "status", r), "SHEAF_OK");
    /* key 0's panel in time order, as doubles, through sheaf_granger_entries */
    double y[40];
    for (int t = 0; t < 20; t++) {
        int r = 38 - 2 * t; /* key 0 rows have time 40 - r: ascending time = descending r */
        y[2 * t] = (double)a[r];
        y[2 * t + 1] = (double)b[r];
    }
    sheaf_granger_entry e[4];
    cr_assert_eq(sheaf_granger_entries(NULL, y, 20, 2, 2, NULL, e), SHEAF_OK);
    cr_assert(fabs(f64(out, "statistic")[0] - e[1].statistic) <= 1e-12 * fabs(e[1].statistic));
    sheaf_frame_free(out);
    sheaf_frame *empty = NULL;
    cr_assert_eq(sheaf_frame_create(&empty), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(empty, "key", key, NULL, 0), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(empty, "a", NULL, NULL, 0), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(empty, "b", NULL, NULL, 0), SHEAF_OK);
    cr_assert_eq(sheaf_granger_by_key(NULL, empty, KEY, 1, NULL, cols, 2, NULL, &out), SHEAF_OK,
                 "%s", sheaf_last_error());
    cr_assert_eq(sheaf_frame_num_rows(out), 0);
    cr_assert_eq(sheaf_frame_num_columns(out), 14);
    sheaf_frame_free(out);
    sheaf_frame_free(empty);
    sheaf_frame_free(f);
}

/* out is read after the call (an argument would be read before it). */
static void assert_fails(sheaf_status got, sheaf_status want, const char *fragment,
                         sheaf_frame *const *out)
{
    cr_assert_eq(got, want, "status %s, want %s (%s)", sheaf_status_name(got),
                 sheaf_status_name(want), sheaf_last_error());
    cr_assert(strstr(sheaf_last_error(), fragment) != NULL, "message \"%s\" lacks \"%s\"",
              sheaf_last_error(), fragment);
    if (out) cr_assert_null(*out);
}

Test(granger_by_key, bad_calls_fail_the_batch_and_are_named)
{
    sheaf_frame *in = panel_frame(0), *out = (sheaf_frame *)1;
    const char *two[2] = {"a", "nope"}, *with_key[2] = {"a", "key"}, *lag_key[1] = {"lag"};
    sheaf_granger_options o = sheaf_granger_options_default();
    size_t rep[2] = {1, 1};
    assert_fails(sheaf_granger_by_key(NULL, NULL, KEY, 1, "time", COLUMNS, 3, NULL, &out),
                 SHEAF_ERR_INVALID_ARGUMENT, "the frame is NULL", &out);
    assert_fails(sheaf_granger_by_key(NULL, in, KEY, 1, "time", COLUMNS, 3, NULL, NULL),
                 SHEAF_ERR_INVALID_ARGUMENT, "out is NULL", NULL);
    out = (sheaf_frame *)1;
    assert_fails(sheaf_granger_by_key(NULL, in, KEY, 0, "time", COLUMNS, 3, NULL, &out),
                 SHEAF_ERR_INVALID_ARGUMENT, "no key columns", &out);
    assert_fails(sheaf_granger_by_key(NULL, in, KEY, 1, "time", COLUMNS, 1, NULL, &out),
                 SHEAF_ERR_INVALID_ARGUMENT, "1 value columns (need 2 or more)", &out);
    assert_fails(sheaf_granger_by_key(NULL, in, KEY, 1, "time", two, 2, NULL, &out),
                 SHEAF_ERR_INVALID_ARGUMENT, "'nope'", &out);
    assert_fails(sheaf_granger_by_key(NULL, in, lag_key, 1, "time", COLUMNS, 3, NULL, &out),
                 SHEAF_ERR_INVALID_ARGUMENT, "'lag'", &out);
    assert_fails(sheaf_granger_by_key(NULL, in, KEY, 1, "nope", COLUMNS, 3, NULL, &out),
                 SHEAF_ERR_INVALID_ARGUMENT, "'nope'", &out);
    o.lags = rep;
    o.n_lags = 2;
    assert_fails(sheaf_granger_by_key(NULL, in, KEY, 1, "time", COLUMNS, 3, &o, &out),
                 SHEAF_ERR_INVALID_ARGUMENT, "lags[1] = 1 repeats lags[0]", &out);
    sheaf_frame *s = panel_frame(1);
    const char *skey[1] = {"time"};
    assert_fails(sheaf_granger_by_key(NULL, s, skey, 1, NULL, with_key, 2, NULL, &out),
                 SHEAF_ERR_INVALID_ARGUMENT, "column 'key' is string", &out);
    sheaf_frame_free(s);
    sheaf_frame_free(in);
}

Test(granger_by_key, a_failed_allocation_is_nomem_and_leaks_nothing)
{
    sheaf_frame *in = panel_frame(1), *out = NULL;
    sheaf_ctx *ctx = ctx_with(1, 2);
    sheaf_granger_options o = sheaf_granger_options_default();
    o.maxlag = 2;
    o.adjust = SHEAF_GRANGER_ADJUST_FDR_BH;
    sheaf_debug_fail_allocation(0);
    cr_assert_eq(sheaf_granger_by_key(ctx, in, KEY, 1, "time", COLUMNS, 3, &o, &out), SHEAF_OK);
    uint64_t count = sheaf_debug_fail_allocation(0);
    sheaf_frame_free(out);
    cr_assert_gt(count, 20);
    for (uint64_t n = 1; n <= count; n++) {
        out = (sheaf_frame *)1;
        sheaf_debug_fail_allocation(n);
        sheaf_status st = sheaf_granger_by_key(ctx, in, KEY, 1, "time", COLUMNS, 3, &o, &out);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu: %s: %s", (unsigned long long)n,
                     sheaf_status_name(st), sheaf_last_error());
        cr_assert_null(out);
    }
    sheaf_ctx_free(ctx);
    sheaf_frame_free(in);
}
