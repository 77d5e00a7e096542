/* Tests of the radix path of sheaf_frame_partition_by_key_time (one key
 * whose words identify it) against the comparison path (the same key plus a
 * constant second key), which orders rows by the same rule: on frames big
 * enough for the parallel bucket pass, with ties, negative and extreme
 * values, -0.0 and NaN, missing strings, key and time ranges too wide to
 * pack into one word, and one dominant key. Also: bits across thread
 * counts, allocation failures, and window operations on a laid-out frame
 * whose cached key runs were dropped with rows. */
#include "data/partition_internal.h"
#include "sheaf.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 150000u /* above the radix sort's parallel threshold */

static sheaf_ctx *ctx_with(int threads)
{
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, threads), SHEAF_OK);
    return ctx;
}

static size_t column(const sheaf_frame *f, const char *name)
{
    size_t idx = 0;
    cr_assert_eq(sheaf_frame_column_index(f, name, &idx), SHEAF_OK, "%s", sheaf_last_error());
    return idx;
}

static const int64_t *ints(const sheaf_frame *f, const char *name)
{
    const int64_t *v = NULL;
    cr_assert_eq(sheaf_frame_column_int64(f, column(f, name), &v), SHEAF_OK);
    return v;
}

static const double *floats(const sheaf_frame *f, const char *name)
{
    const double *v = NULL;
    cr_assert_eq(sheaf_frame_column_float64(f, column(f, name), &v), SHEAF_OK);
    return v;
}

/* Every column's values, validity and the partition table agree bit for
 * bit (columns of a matched by name in b). */
static void assert_same_rows(const sheaf_frame *a, const sheaf_frame *b, const char *what)
{
    size_t n = sheaf_frame_num_rows(a);
    cr_assert_eq(n, sheaf_frame_num_rows(b), "%s: rows", what);
    cr_assert_eq(sheaf_frame_num_partitions(a), sheaf_frame_num_partitions(b), "%s", what);
    for (size_t p = 0; p <= sheaf_frame_num_partitions(a); p++) {
        size_t ba = 0, ea = n, bb = 0, eb = n;
        if (p < sheaf_frame_num_partitions(a)) {
            sheaf_frame_partition_range(a, p, &ba, &ea);
            sheaf_frame_partition_range(b, p, &bb, &eb);
        }
        cr_assert(ba == bb && ea == eb, "%s: partition %zu", what, p);
    }
    for (size_t c = 0; c < sheaf_frame_num_columns(a); c++) {
        const char *name = sheaf_frame_column_name(a, c);
        size_t d = column(b, name);
        sheaf_type t = sheaf_frame_column_type(a, c);
        cr_assert_eq(t, sheaf_frame_column_type(b, d));
        cr_assert_eq(sheaf_frame_column_missing(a, c), sheaf_frame_column_missing(b, d), "%s: %s",
                     what, name);
        const uint8_t *va = sheaf_frame_column_validity(a, c);
        const uint8_t *vb = sheaf_frame_column_validity(b, d);
        cr_assert((va == NULL) == (vb == NULL), "%s: validity of %s", what, name);
        if (va) cr_assert_eq(memcmp(va, vb, n), 0, "%s: validity of %s", what, name);
        if (t == SHEAF_TYPE_STRING) {
            const int32_t *ca, *cb;
            size_t sa, sb;
            sheaf_frame_column_codes(a, c, &ca, &sa);
            sheaf_frame_column_codes(b, d, &cb, &sb);
            for (size_t i = 0; i < n; i++) {
                const char *x = ca[i] < 0 ? "" : sheaf_frame_dict_value(a, c, ca[i]);
                const char *y = cb[i] < 0 ? "" : sheaf_frame_dict_value(b, d, cb[i]);
                cr_assert(ca[i] < 0 ? cb[i] < 0 : strcmp(x, y) == 0, "%s: %s row %zu", what, name,
                          i);
            }
        } else if (t == SHEAF_TYPE_FLOAT64) {
            cr_assert_eq(memcmp(floats(a, name), floats(b, name), n * 8), 0, "%s: %s", what, name);
        } else {
            cr_assert_eq(memcmp(ints(a, name), ints(b, name), n * 8), 0, "%s: %s", what, name);
        }
    }
}

/* Partitions in by key then time both ways - key alone (the radix path)
 * and key plus the constant column "zero" (the comparison path) - and
 * checks the two agree. Returns the radix result. */
static sheaf_frame *check_paths_agree(const sheaf_frame *in, const char *key, const char *time,
                                      size_t partitions, const char *what)
{
    sheaf_ctx *ctx = ctx_with(2);
    const char *one[] = {key}, *two[] = {key, "zero"};
    sheaf_frame *radix = NULL, *merge = NULL;
    cr_assert_eq(sheaf_frame_partition_by_key_time(ctx, in, one, 1, time, partitions, &radix),
                 SHEAF_OK, "%s", sheaf_last_error());
    cr_assert_eq(sheaf_frame_partition_by_key_time(ctx, in, two, 2, time, partitions, &merge),
                 SHEAF_OK, "%s", sheaf_last_error());
    assert_same_rows(merge, radix, what);
    sheaf_frame_free(merge);
    sheaf_ctx_free(ctx);
    return radix;
}

static void add_ids_and_zero(sheaf_frame *f, size_t n)
{
    int64_t *id = malloc(n * sizeof *id), *zero = calloc(n, sizeof *zero);
    for (size_t i = 0; i < n; i++)
        id[i] = (int64_t)i;
    cr_assert_eq(sheaf_frame_add_int64(f, "id", id, NULL, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "zero", zero, NULL, n), SHEAF_OK);
    free(id);
    free(zero);
}

/* k: int64 keys in [-kspan, kspan) (or kspan apart, scaled), t: int64
 * times in [0, tspan) times tscale, v: float64 with missing values, s: a
 * string payload with missing values. */
static sheaf_frame *int_frame(size_t n, int64_t kspan, int64_t kscale, int64_t tspan,
                              int64_t tscale, uint64_t seed)
{
    int64_t *k = malloc(n * sizeof *k), *t = malloc(n * sizeof *t);
    double *v = malloc(n * sizeof *v);
    const char **s = malloc(n * sizeof *s);
    static const char *const words[] = {"alpha", "beta", "gamma"};
    sheaf_rng r;
    sheaf_rng_init(&r, seed, 0, 0, 0);
    for (size_t i = 0; i < n; i++) {
        k[i] = ((int64_t)sheaf_rng_integer(&r, (uint64_t)(2 * kspan)) - kspan) * kscale;
        t[i] = (int64_t)sheaf_rng_integer(&r, (uint64_t)tspan) * tscale;
        v[i] = sheaf_rng_uniform(&r) < 0.05 ? NAN : sheaf_rng_normal(&r, 0, 1);
        uint64_t w = sheaf_rng_integer(&r, 4);
        s[i] = w < 3 ? words[w] : NULL;
    }
    sheaf_frame *f = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", k, NULL, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_timestamp(f, "t", t, NULL, n, SHEAF_TIME_NS), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "v", v, NULL, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "s", s, n), SHEAF_OK);
    add_ids_and_zero(f, n);
    free(k);
    free(t);
    free(v);
    free(s);
    return f;
}

/* Rows in order by key, then time, then input row (stability). */
static void assert_sorted_stably(const sheaf_frame *f)
{
    const int64_t *k = ints(f, "k"), *t = ints(f, "t"), *id = ints(f, "id");
    for (size_t i = 1; i < sheaf_frame_num_rows(f); i++) {
        int c = (k[i - 1] > k[i]) - (k[i - 1] < k[i]);
        if (c == 0) c = (t[i - 1] > t[i]) - (t[i - 1] < t[i]);
        if (c == 0) c = (id[i - 1] > id[i]) - (id[i - 1] < id[i]);
        cr_assert_lt(c, 0, "row %zu out of order", i);
    }
}

Test(partition_radix, matches_the_comparison_sort_on_int_keys_with_ties_and_negatives)
{
    sheaf_frame *in = int_frame(ROWS, 700, 1, 40, 1, 1);
    sheaf_frame *out = check_paths_agree(in, "k", "t", 9, "int keys");
    assert_sorted_stably(out);
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(partition_radix, matches_the_comparison_sort_when_key_and_time_cannot_share_a_word)
{
    /* keys ~2^52 apart and times ~2^40 apart: 92 bits, sorted in two runs */
    sheaf_frame *in = int_frame(ROWS, 300, (int64_t)1 << 43, 1000, (int64_t)1 << 30, 2);
    sheaf_frame *out = check_paths_agree(in, "k", "t", 5, "wide ranges");
    assert_sorted_stably(out);
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(partition_radix, matches_the_comparison_sort_on_extreme_integers)
{
    size_t n = 5000;
    sheaf_frame *in = int_frame(n, 3, 1, 3, 1, 3);
    int64_t *k = malloc(n * sizeof *k), *t = malloc(n * sizeof *t);
    memcpy(k, ints(in, "k"), n * sizeof *k);
    memcpy(t, ints(in, "t"), n * sizeof *t);
    for (size_t i = 0; i < n; i += 7) {
        k[i] = i % 2 ? INT64_MAX : INT64_MIN;
        t[i] = i % 3 ? INT64_MIN : INT64_MAX;
    }
    sheaf_frame *f = NULL;
    const char *names[] = {"v", "s", "id", "zero"};
    cr_assert_eq(sheaf_frame_select(in, names, 4, &f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", k, NULL, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "t", t, NULL, n), SHEAF_OK);
    sheaf_frame *out = check_paths_agree(f, "k", "t", 4, "extremes");
    assert_sorted_stably(out);
    sheaf_frame_free(out);
    sheaf_frame_free(f);
    sheaf_frame_free(in);
    free(k);
    free(t);
}

Test(partition_radix, matches_the_comparison_sort_on_float_keys_and_times_with_zeros_and_nan)
{
    size_t n = ROWS;
    double *k = malloc(n * sizeof *k), *t = malloc(n * sizeof *t);
    static const double keys[] = {-2.5, -0.0, 0.0, 1e300, -INFINITY, INFINITY, 3.0};
    sheaf_rng r;
    sheaf_rng_init(&r, 4, 0, 0, 0);
    for (size_t i = 0; i < n; i++) {
        uint64_t j = sheaf_rng_integer(&r, 9);
        k[i] = j < 7 ? keys[j] : j == 7 ? NAN : (double)sheaf_rng_integer(&r, 500) / 7.0;
        uint64_t u = sheaf_rng_integer(&r, 60);
        t[i] = u == 0 ? -0.0 : u == 1 ? 0.0 : (double)u - 30.5;
    }
    sheaf_frame *f = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "k", k, NULL, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "t", t, NULL, n), SHEAF_OK);
    add_ids_and_zero(f, n);
    sheaf_frame *out = check_paths_agree(f, "k", "t", 6, "float keys");
    sheaf_frame_free(out);
    sheaf_frame_free(f);
    free(k);
    free(t);
}

Test(partition_radix, matches_the_comparison_sort_on_string_keys_with_missing_values)
{
    size_t n = ROWS;
    const char **s = malloc(n * sizeof *s);
    int64_t *t = malloc(n * sizeof *t);
    static char names[300][8];
    for (int j = 0; j < 300; j++)
        snprintf(names[j], sizeof names[j], "k%d", (j * 7919) % 300);
    sheaf_rng r;
    sheaf_rng_init(&r, 5, 0, 0, 0);
    for (size_t i = 0; i < n; i++) {
        uint64_t j = sheaf_rng_integer(&r, 301);
        s[i] = j < 300 ? names[j] : NULL;
        t[i] = (int64_t)sheaf_rng_integer(&r, 20) - 10;
    }
    sheaf_frame *f = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "k", s, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "t", t, NULL, n), SHEAF_OK);
    add_ids_and_zero(f, n);
    sheaf_frame *out = check_paths_agree(f, "k", "t", 8, "string keys");
    sheaf_frame_free(out);
    sheaf_frame_free(f);
    free(s);
    free(t);
}

Test(partition_radix, one_dominant_key_sorts_like_the_comparison_sort)
{
    /* 95% of the rows under key 0, the rest under keys near 2^20: the top
     * digit of the packed words puts most rows in one bucket, which the
     * sort splits again with every thread. */
    sheaf_frame *in = int_frame(ROWS, 50, 1, 16, 1, 6), *f = NULL;
    int64_t *k = malloc(ROWS * sizeof *k);
    sheaf_rng r;
    sheaf_rng_init(&r, 6, 1, 0, 0);
    for (size_t i = 0; i < ROWS; i++)
        k[i] = sheaf_rng_uniform(&r) < 0.95 ? 0 : ((int64_t)1 << 20) + (int64_t)(i % 5);
    const char *names[] = {"t", "v", "s", "id", "zero"};
    cr_assert_eq(sheaf_frame_select(in, names, 5, &f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", k, NULL, ROWS), SHEAF_OK);
    sheaf_frame *out = check_paths_agree(f, "k", "t", 3, "dominant key");
    assert_sorted_stably(out);
    sheaf_frame_free(out);
    sheaf_frame_free(f);
    sheaf_frame_free(in);
    free(k);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

Test(partition_radix, pairs_sharing_a_high_top_digit_sort_like_qsort)
{
    /* Every word shares a nonzero top digit (as order keys of probabilities
     * do), so the whole input lands in one bucket that is sorted again: the
     * nested pass must take its own digit, not the top one it inherited. */
    size_t n = ROWS;
    uint64_t *w = malloc(2 * n * sizeof *w), *want = malloc(n * sizeof *want);
    uint32_t *r = malloc(2 * n * sizeof *r);
    sheaf_rng g;
    sheaf_rng_init(&g, 8, 1, 0, 0);
    for (size_t i = 0; i < n; i++) {
        w[i] = want[i] =
            0xBFF0000000000000ull | (uint64_t)(sheaf_rng_uniform(&g) * 4503599627370496.0);
        r[i] = (uint32_t)i;
    }
    qsort(want, n, sizeof *want, cmp_u64);
    for (int threads = 1; threads <= 2; threads++) {
        uint64_t *ww = malloc(2 * n * sizeof *ww);
        uint32_t *rr = malloc(2 * n * sizeof *rr);
        memcpy(ww, w, n * sizeof *ww);
        memcpy(rr, r, n * sizeof *rr);
        cr_assert(sh_radix_sort_pairs(ww, rr, ww + n, rr + n, n, 64, threads));
        for (size_t i = 0; i < n; i++) {
            cr_assert_eq(ww[i], want[i], "threads %d, position %zu", threads, i);
            cr_assert_eq(w[rr[i]], ww[i], "threads %d: row %u does not carry its word", threads,
                         rr[i]);
        }
        free(ww);
        free(rr);
    }
    free(w);
    free(r);
    free(want);
}

Test(partition_radix, results_are_bit_identical_for_1_2_3_8_threads)
{
    sheaf_frame *in = int_frame(ROWS, 1000, 1, 50, 60, 7), *ref = NULL;
    const char *keys[] = {"k"};
    const int threads[] = {1, 2, 3, 8};
    for (size_t j = 0; j < 4; j++) {
        sheaf_ctx *ctx = ctx_with(threads[j]);
        sheaf_frame *got = NULL;
        cr_assert_eq(sheaf_frame_partition_by_key_time(ctx, in, keys, 1, "t", 11, &got), SHEAF_OK);
        if (ref) {
            char what[32];
            snprintf(what, sizeof what, "%d threads", threads[j]);
            assert_same_rows(ref, got, what);
            sheaf_frame_free(got);
        } else {
            ref = got;
        }
        sheaf_ctx_free(ctx);
    }
    sheaf_frame_free(ref);
    sheaf_frame_free(in);
}

Test(partition_radix, each_failed_allocation_reports_nomem_and_leaks_nothing)
{
    /* big enough for the bucket pass and the two-step reordering */
    sheaf_frame *in = int_frame(70000, 50, 1, 30, 1, 8), *out = NULL;
    const char *keys[] = {"k"};
    sheaf_debug_fail_allocation(0);
    cr_assert_eq(sheaf_frame_partition_by_key_time(NULL, in, keys, 1, "t", 3, &out), SHEAF_OK);
    uint64_t count = sheaf_debug_fail_allocation(0);
    sheaf_frame_free(out);
    cr_assert_gt(count, 5);
    for (uint64_t k = 1; k <= count; k++) {
        out = (sheaf_frame *)1;
        sheaf_debug_fail_allocation(k);
        sheaf_status st = sheaf_frame_partition_by_key_time(NULL, in, keys, 1, "t", 3, &out);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu of %llu gave %s", (unsigned long long)k,
                     (unsigned long long)count, sheaf_status_name(st));
        cr_assert(strstr(sheaf_last_error(), "out of memory"), "'%s'", sheaf_last_error());
        cr_assert_null(out);
    }
    sheaf_frame_free(in);
}

/* A window operation on a frame laid out by key whose cached key runs went
 * with dropped rows finds the runs again: same numbers as on a fresh
 * frame with the same rows. */
Test(partition_radix, windows_after_dropping_rows_find_the_key_runs_again)
{
    sheaf_frame *in = int_frame(20000, 40, 1, 30, 1, 9), *laid = NULL, *dropped = NULL;
    const char *keys[] = {"k"}, *subset[] = {"v"};
    sheaf_ctx *ctx = ctx_with(2);
    cr_assert_eq(sheaf_frame_partition_by_key_time(ctx, in, keys, 1, "t", 4, &laid), SHEAF_OK);
    cr_assert_eq(sheaf_frame_drop_missing(ctx, laid, subset, 1, &dropped), SHEAF_OK);
    size_t n = sheaf_frame_num_rows(dropped);
    cr_assert_lt(n, 20000u);
    /* The same rows rebuilt from plain arrays: no layout, no cache. */
    sheaf_frame *plain = NULL;
    cr_assert_eq(sheaf_frame_create(&plain), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(plain, "k", ints(dropped, "k"), NULL, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(plain, "t", ints(dropped, "t"), NULL, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(plain, "v", floats(dropped, "v"), NULL, n), SHEAF_OK);
    sheaf_frame *a = NULL, *b = NULL, *c = NULL, *d = NULL;
    cr_assert_eq(sheaf_frame_lag(ctx, dropped, "v", 2, keys, 1, "t", "x", &a), SHEAF_OK);
    cr_assert_eq(sheaf_frame_lag(ctx, plain, "v", 2, keys, 1, "t", "x", &b), SHEAF_OK);
    cr_assert_eq(
        sheaf_frame_rolling(ctx, a, "v", SHEAF_WINDOW_MEAN, 3, 0, 1, keys, 1, "t", "y", &c),
        SHEAF_OK);
    cr_assert_eq(
        sheaf_frame_rolling(ctx, b, "v", SHEAF_WINDOW_MEAN, 3, 0, 1, keys, 1, "t", "y", &d),
        SHEAF_OK);
    /* plain was in key order already, so both keep their row order */
    const double *x1 = floats(c, "x"), *x2 = floats(d, "x");
    const double *y1 = floats(c, "y"), *y2 = floats(d, "y");
    const int64_t *k = ints(c, "k");
    size_t starts = 0;
    for (size_t i = 0; i < n; i++) {
        cr_assert(memcmp(&x1[i], &x2[i], 8) == 0, "lag at row %zu", i);
        cr_assert(memcmp(&y1[i], &y2[i], 8) == 0, "rolling mean at row %zu", i);
        if (i == 0 || k[i] != k[i - 1]) {
            starts++;
            cr_assert(isnan(x1[i]), "row %zu starts a key: no lag", i);
        }
    }
    cr_assert_eq(starts, 80u);
    sheaf_frame_free(a);
    sheaf_frame_free(b);
    sheaf_frame_free(c);
    sheaf_frame_free(d);
    sheaf_frame_free(plain);
    sheaf_frame_free(dropped);
    sheaf_frame_free(laid);
    sheaf_ctx_free(ctx);
    sheaf_frame_free(in);
}
