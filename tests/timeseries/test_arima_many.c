/* test_arima_many.c - one ARIMA fit per key (sheaf_arima_fit_many in
 * include/sheaf_arima.h): four keys in shuffled row order (LakeHuron, Nile
 * with a missing value, a constant key, a too-short key); every working
 * key's row equals sheaf_arima_fit and sheaf_arima_forecast on its
 * time-sorted series, the failing keys keep their rows with their status
 * and message, the frame does not depend on threads or partitions, and
 * the bad calls fail. */
#include "../data/timeseries/arima_refs.h"
#include "sheaf.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_KEYS 4
#define H 3
static const char *const KEY[1] = {"site"};
static const size_t LEN[N_KEYS] = {ARIMA_LAKEHURON_LEN, ARIMA_NILE_LEN, 20, 3};

/* Series k at time t (key 1 has a NaN at t = 30, key 2 is constant). */
static double value(size_t k, size_t t)
{
    switch (k) {
    case 0: return ARIMA_LAKEHURON[t];
    case 1: return t == 30 ? NAN : ARIMA_NILE[t];
    case 2: return 7.5;
    default: return (double)t * 1.5 - 1.0;
    }
}

/* site (string "s<k>"), day (int64), level (float64), rows interleaved
 * backwards so that neither keys nor times are sorted. */
static sheaf_frame *make_frame(void)
{
    size_t n = 0;
    for (size_t k = 0; k < N_KEYS; k++)
        n += LEN[k];
    const char **site = malloc(n * sizeof *site);
    int64_t *day = malloc(n * sizeof *day);
    double *level = malloc(n * sizeof *level);
    static const char *const NAMES[N_KEYS] = {"s0", "s1", "s2", "s3"};
    size_t r = 0;
    for (size_t t = 100; t-- > 0;)
        for (size_t k = 0; k < N_KEYS; k++)
            if (t < LEN[k]) {
                site[r] = NAMES[k];
                day[r] = (int64_t)t;
                level[r] = value(k, t);
                r++;
            }
    sheaf_frame *f = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "site", site, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "day", day, NULL, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "level", level, NULL, n), SHEAF_OK);
    free(site);
    free(day);
    free(level);
    return f;
}

static sheaf_arima_many_options options(void)
{
    sheaf_arima_many_options o = sheaf_arima_many_options_default();
    o.spec.p = 1;
    o.spec.q = 1;
    o.horizon = H;
    return o;
}

static sheaf_frame *run(int threads, size_t parts)
{
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, threads), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_partitions(ctx, parts), SHEAF_OK);
    sheaf_frame *in = make_frame(), *out = NULL;
    sheaf_arima_many_options o = options();
    cr_assert_eq(sheaf_arima_fit_many(ctx, in, KEY, 1, "day", "level", &o, &out), SHEAF_OK, "%s",
                 sheaf_last_error());
    sheaf_frame_free(in);
    sheaf_ctx_free(ctx);
    return out;
}

static const double *f64(const sheaf_frame *f, const char *name)
{
    size_t idx;
    const double *v = NULL;
    cr_assert_eq(sheaf_frame_column_index(f, name, &idx), SHEAF_OK, "%s", name);
    cr_assert_eq(sheaf_frame_column_float64(f, idx, &v), SHEAF_OK, "%s", name);
    return v;
}

static const char *text_at(const sheaf_frame *f, const char *name, size_t r)
{
    size_t idx, dict;
    const int32_t *codes = NULL;
    cr_assert_eq(sheaf_frame_column_index(f, name, &idx), SHEAF_OK, "%s", name);
    cr_assert_eq(sheaf_frame_column_codes(f, idx, &codes, &dict), SHEAF_OK);
    return codes[r] < 0 ? NULL : sheaf_frame_dict_value(f, idx, codes[r]);
}

Test(arima_many, each_key_equals_its_own_fit)
{
    sheaf_frame *out = run(2, 2);
    cr_assert_eq(sheaf_frame_num_rows(out), N_KEYS);
    const char *pnames[4] = {"const", "ar.L1", "ma.L1", "sigma2"};
    for (size_t k = 0; k < 2; k++) {
        char want_site[4];
        snprintf(want_site, sizeof want_site, "s%zu", k);
        cr_assert_str_eq(text_at(out, "site", k), want_site);
        cr_assert_str_eq(text_at(out, "status", k), "SHEAF_OK");
        cr_assert_null(text_at(out, "error", k));
        double y[ARIMA_LAKEHURON_LEN + ARIMA_NILE_LEN];
        for (size_t t = 0; t < LEN[k]; t++)
            y[t] = value(k, t);
        sheaf_arima_many_options o = options();
        sheaf_arima *m = NULL;
        cr_assert_eq(sheaf_arima_fit(NULL, y, LEN[k], NULL, 0, 0, &o.spec, &o.fit, &m), SHEAF_OK);
        double params[4], mean[H], se[H], lo[H], up[H];
        sheaf_arima_params(m, params, NULL);
        sheaf_arima_info info;
        sheaf_arima_get_info(m, &info);
        cr_assert_eq(sheaf_arima_forecast(m, H, NULL, 0, 0.05, mean, se, lo, up), SHEAF_OK);
        for (size_t i = 0; i < 4; i++)
            cr_assert_eq(f64(out, pnames[i])[k], params[i], "key %zu %s", k, pnames[i]);
        cr_assert_eq(f64(out, "llf")[k], info.llf);
        cr_assert_eq(f64(out, "aicc")[k], info.aicc);
        for (size_t h = 0; h < H; h++) {
            char name[16];
            snprintf(name, sizeof name, "mean_%zu", h + 1);
            cr_assert_eq(f64(out, name)[k], mean[h]);
            snprintf(name, sizeof name, "upper_%zu", h + 1);
            cr_assert_eq(f64(out, name)[k], up[h]);
        }
        sheaf_arima_free(m);
    }
    cr_assert_str_eq(text_at(out, "status", 2), "SHEAF_ERR_SINGULAR");
    cr_assert(strstr(text_at(out, "error", 2), "constant (every observed value is 7.5)"));
    cr_assert_str_eq(text_at(out, "status", 3), "SHEAF_ERR_INVALID_ARGUMENT");
    cr_assert(strstr(text_at(out, "error", 3), "too short"));
    cr_assert(isnan(f64(out, "llf")[2]) && isnan(f64(out, "mean_1")[3]));
    sheaf_frame_free(out);
}

Test(arima_many, threads_and_partitions_do_not_matter)
{
    sheaf_frame *a = run(1, 1), *b = run(2, 3);
    const char *cols[] = {"const", "ar.L1", "ma.L1", "sigma2", "llf", "bic", "se_3"};
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
        cr_assert_eq(memcmp(f64(a, cols[c]), f64(b, cols[c]), 2 * sizeof(double)), 0, "%s",
                     cols[c]);
    sheaf_frame_free(a);
    sheaf_frame_free(b);
}

Test(arima_many, bad_calls)
{
    sheaf_frame *in = make_frame(), *out = (sheaf_frame *)1;
    sheaf_arima_many_options o = options();
    cr_assert_eq(sheaf_arima_fit_many(NULL, in, KEY, 1, "day", "nope", &o, &out),
                 SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert_null(out);
    cr_assert_eq(sheaf_arima_fit_many(NULL, in, KEY, 1, "day", "site", &o, &out),
                 SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(sheaf_last_error(), "float64 or int64"));
    cr_assert_eq(sheaf_arima_fit_many(NULL, in, NULL, 0, "day", "level", &o, &out),
                 SHEAF_ERR_INVALID_ARGUMENT);
    o.spec.d = 1; /* a constant with d = 1 */
    cr_assert_eq(sheaf_arima_fit_many(NULL, in, KEY, 1, "day", "level", &o, &out),
                 SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(sheaf_last_error(), "trend 'c'"));
    o = options();
    o.alpha = 2.0;
    cr_assert_eq(sheaf_arima_fit_many(NULL, in, KEY, 1, "day", "level", &o, &out),
                 SHEAF_ERR_INVALID_ARGUMENT);
    sheaf_frame_free(in);
}
