/* test_features_scale.c - the standard scaler, the min-max scaler and the
 * imputer: fitted values against pandas (refs.h, gen_features_refs.py),
 * transforms against the Spark formulas, thread-count determinism, empty
 * partitions, bad input and allocation failures. */
#include "features/fixture.h"

#include <stdint.h>

static const char *const XK[] = {"x", "k"};

Test(standard_scaler, fits_pandas_mean_and_sample_std_with_missing_values)
{
    sheaf_frame *f = fixture_frame(7);
    sheaf_stage *s = NULL;
    ASSERT_OK(sheaf_standard_scaler_fit(NULL, f, XK, 2, 1, 1, &s));
    const double *mean, *std;
    size_t n;
    ASSERT_OK(sheaf_standard_scaler_stats(s, &mean, &std, &n));
    cr_assert_eq(n, 2);
    cr_assert(close_to(mean[0], FEAT_X_MEAN), "mean %.17g", mean[0]);
    cr_assert(close_to(std[0], FEAT_X_STD), "std %.17g", std[0]);
    cr_assert(close_to(mean[1], FEAT_K_MEAN), "mean %.17g", mean[1]);
    cr_assert(close_to(std[1], FEAT_K_STD), "std %.17g", std[1]);
    cr_assert_eq(sheaf_stage_kind_of(s), SHEAF_STAGE_STANDARD_SCALER);
    sheaf_stage_free(s);
    sheaf_frame_free(f);
}

Test(standard_scaler, transforms_in_place_keeping_missing_values)
{
    sheaf_frame *f = fixture_frame(5), *g = NULL;
    sheaf_stage *s = NULL;
    ASSERT_OK(sheaf_standard_scaler_fit(NULL, f, XK, 2, 1, 1, &s));
    ASSERT_OK(sheaf_stage_transform(NULL, s, f, &g));
    cr_assert_eq(sheaf_frame_num_columns(g), 4);
    cr_assert_str_eq(sheaf_frame_column_name(g, 1), "k");
    cr_assert_eq(sheaf_frame_column_type(g, 1), SHEAF_TYPE_FLOAT64);
    const double *x = fixture_f64(g, "x"), *k = fixture_f64(g, "k");
    for (size_t i = 0; i < FEAT_N; i++) {
        double want = (FEAT_X[i] - FEAT_X_MEAN) / FEAT_X_STD;
        cr_assert(close_to(x[i], want), "row %zu: %.17g vs %.17g", i, x[i], want);
        double wk = FEAT_K_VALID[i] ? ((double)FEAT_K[i] - FEAT_K_MEAN) / FEAT_K_STD : NAN;
        cr_assert(close_to(k[i], wk), "row %zu: %.17g vs %.17g", i, k[i], wk);
    }
    cr_assert_eq(sheaf_frame_column_missing(g, 1), sheaf_frame_column_missing(f, 1));
    /* the input is unchanged */
    cr_assert_eq(sheaf_frame_column_type(f, 1), SHEAF_TYPE_INT64);
    sheaf_frame_free(g);
    sheaf_stage_free(s);
    sheaf_frame_free(f);
}

Test(standard_scaler, without_mean_only_scales_and_a_constant_column_gives_zero)
{
    double c[4] = {2, 2, NAN, 2}, v[4] = {1, 2, 3, 4};
    sheaf_frame *f = NULL, *g = NULL;
    ASSERT_OK(sheaf_frame_create(&f));
    ASSERT_OK(sheaf_frame_add_float64(f, "c", c, NULL, 4));
    ASSERT_OK(sheaf_frame_add_float64(f, "v", v, NULL, 4));
    const char *cols[] = {"c", "v"};
    sheaf_stage *s = NULL;
    ASSERT_OK(sheaf_standard_scaler_fit(NULL, f, cols, 2, 0, 1, &s));
    ASSERT_OK(sheaf_stage_transform(NULL, s, f, &g));
    const double *gc = fixture_f64(g, "c"), *gv = fixture_f64(g, "v");
    double sd = sqrt(5.0 / 3.0);
    for (int i = 0; i < 4; i++) {
        cr_assert(i == 2 ? isnan(gc[i]) : gc[i] == 0.0);
        cr_assert(close_to(gv[i], v[i] / sd));
    }
    sheaf_frame_free(g);
    sheaf_stage_free(s);
    sheaf_frame_free(f);
}

Test(standard_scaler, is_bit_identical_for_any_thread_count_and_with_empty_partitions)
{
    sheaf_frame *f = fixture_frame(150); /* more partitions than rows */
    double ref[4];
    for (int threads = 1; threads <= 4; threads *= 2) {
        sheaf_ctx *ctx = fixture_ctx(threads);
        sheaf_stage *s = NULL;
        ASSERT_OK(sheaf_standard_scaler_fit(ctx, f, XK, 2, 1, 1, &s));
        const double *mean, *std;
        ASSERT_OK(sheaf_standard_scaler_stats(s, &mean, &std, NULL));
        double got[4] = {mean[0], mean[1], std[0], std[1]};
        if (threads == 1) memcpy(ref, got, sizeof ref);
        cr_assert(memcmp(ref, got, sizeof ref) == 0, "threads %d", threads);
        cr_assert(close_to(mean[0], FEAT_X_MEAN) && close_to(std[1], FEAT_K_STD));
        sheaf_stage_free(s);
        sheaf_ctx_free(ctx);
    }
    sheaf_frame_free(f);
}

Test(standard_scaler, a_single_value_has_std_zero_as_in_spark)
{
    double v[3] = {NAN, 7, NAN};
    sheaf_frame *f = NULL;
    ASSERT_OK(sheaf_frame_create(&f));
    ASSERT_OK(sheaf_frame_add_float64(f, "v", v, NULL, 3));
    const char *cols[] = {"v"};
    sheaf_stage *s = NULL;
    ASSERT_OK(sheaf_standard_scaler_fit(NULL, f, cols, 1, 1, 1, &s));
    const double *mean, *std;
    ASSERT_OK(sheaf_standard_scaler_stats(s, &mean, &std, NULL));
    cr_assert(mean[0] == 7 && std[0] == 0);
    sheaf_stage_free(s);
    sheaf_frame_free(f);
}

Test(standard_scaler, rejects_unknown_string_and_all_missing_columns)
{
    sheaf_frame *f = fixture_frame(3);
    sheaf_stage *s = (sheaf_stage *)1;
    const char *unknown[] = {"x", "nope"}, *str[] = {"cat"}, *twice[] = {"x", "x"};
    ASSERT_FAILS(sheaf_standard_scaler_fit(NULL, f, unknown, 2, 0, 1, &s),
                 SHEAF_ERR_INVALID_ARGUMENT, "no column named 'nope'");
    cr_assert_null(s);
    ASSERT_FAILS(sheaf_standard_scaler_fit(NULL, f, str, 1, 0, 1, &s), SHEAF_ERR_INVALID_ARGUMENT,
                 "column 'cat' is string, not numeric");
    ASSERT_FAILS(sheaf_standard_scaler_fit(NULL, f, twice, 2, 0, 1, &s), SHEAF_ERR_INVALID_ARGUMENT,
                 "column 'x' is named twice");
    ASSERT_FAILS(sheaf_standard_scaler_fit(NULL, f, XK, 0, 0, 1, &s), SHEAF_ERR_INVALID_ARGUMENT,
                 "no columns given");
    double nan3[3] = {NAN, NAN, NAN};
    sheaf_frame *g = NULL;
    ASSERT_OK(sheaf_frame_create(&g));
    ASSERT_OK(sheaf_frame_add_float64(g, "gap", nan3, NULL, 3));
    const char *gap[] = {"gap"};
    ASSERT_FAILS(sheaf_standard_scaler_fit(NULL, g, gap, 1, 0, 1, &s), SHEAF_ERR_INVALID_ARGUMENT,
                 "column 'gap' has no present value");
    /* transform on a frame without the column */
    ASSERT_OK(sheaf_standard_scaler_fit(NULL, f, XK, 2, 0, 1, &s));
    sheaf_frame *out = (sheaf_frame *)1;
    ASSERT_FAILS(sheaf_stage_transform(NULL, s, g, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "no column named 'x'");
    cr_assert_null(out);
    const double *a;
    ASSERT_FAILS(sheaf_imputer_surrogates(s, &a, NULL), SHEAF_ERR_MISUSE, "kind");
    sheaf_stage_free(s);
    sheaf_frame_free(g);
    sheaf_frame_free(f);
}

Test(min_max_scaler, fits_pandas_extremes_and_applies_the_spark_formula)
{
    sheaf_frame *f = fixture_frame(4), *g = NULL;
    sheaf_stage *s = NULL;
    ASSERT_OK(sheaf_min_max_scaler_fit(NULL, f, XK, 2, -1.0, 3.0, &s));
    const double *lo, *hi;
    ASSERT_OK(sheaf_min_max_scaler_stats(s, &lo, &hi, NULL));
    cr_assert(lo[0] == FEAT_X_MIN && hi[0] == FEAT_X_MAX);
    ASSERT_OK(sheaf_stage_transform(NULL, s, f, &g));
    const double *x = fixture_f64(g, "x");
    for (size_t i = 0; i < FEAT_N; i++) {
        double want = (FEAT_X[i] - FEAT_X_MIN) / (FEAT_X_MAX - FEAT_X_MIN) * 4.0 - 1.0;
        cr_assert(isnan(want) ? isnan(x[i]) : fabs(x[i] - want) < 1e-14, "row %zu", i);
    }
    sheaf_frame_free(g);
    sheaf_stage_free(s);
    sheaf_frame_free(f);
}

Test(min_max_scaler, maps_a_constant_column_to_the_middle_and_rejects_bad_ranges)
{
    double c[3] = {5, NAN, 5};
    sheaf_frame *f = NULL, *g = NULL;
    ASSERT_OK(sheaf_frame_create(&f));
    ASSERT_OK(sheaf_frame_add_float64(f, "c", c, NULL, 3));
    const char *cols[] = {"c"};
    sheaf_stage *s = NULL;
    ASSERT_OK(sheaf_min_max_scaler_fit(NULL, f, cols, 1, 0, 1, &s));
    ASSERT_OK(sheaf_stage_transform(NULL, s, f, &g));
    const double *gc = fixture_f64(g, "c");
    cr_assert(gc[0] == 0.5 && isnan(gc[1]) && gc[2] == 0.5);
    sheaf_frame_free(g);
    sheaf_stage_free(s);
    ASSERT_FAILS(sheaf_min_max_scaler_fit(NULL, f, cols, 1, 1, 1, &s), SHEAF_ERR_INVALID_ARGUMENT,
                 "min (1) must be below max (1)");
    cr_assert_null(s);
    sheaf_frame_free(f);
}

Test(imputer, fills_with_the_pandas_mean_median_and_mode)
{
    sheaf_frame *f = fixture_frame(6);
    const double want[3][2] = {
        {FEAT_X_MEAN, FEAT_K_MEAN}, {FEAT_X_MEDIAN, FEAT_K_MEDIAN}, {FEAT_X_MODE, FEAT_K_MODE}};
    for (int strategy = 0; strategy < 3; strategy++) {
        sheaf_stage *s = NULL;
        sheaf_frame *g = NULL;
        ASSERT_OK(sheaf_imputer_fit(NULL, f, XK, 2, (sheaf_impute_strategy)strategy, &s));
        const double *v;
        ASSERT_OK(sheaf_imputer_surrogates(s, &v, NULL));
        cr_assert(close_to(v[0], want[strategy][0]), "strategy %d: %.17g", strategy, v[0]);
        cr_assert(close_to(v[1], want[strategy][1]), "strategy %d: %.17g", strategy, v[1]);
        ASSERT_OK(sheaf_stage_transform(NULL, s, f, &g));
        cr_assert_eq(sheaf_frame_column_missing(g, fixture_col(g, "x")), 0);
        cr_assert_eq(sheaf_frame_column_missing(g, fixture_col(g, "k")), 0);
        const double *x = fixture_f64(g, "x");
        for (size_t i = 0; i < FEAT_N; i++)
            cr_assert(x[i] == (isnan(FEAT_X[i]) ? v[0] : FEAT_X[i]));
        size_t kc = fixture_col(g, "k");
        if (strategy == SHEAF_IMPUTE_MODE) {
            const int64_t *k;
            cr_assert_eq(sheaf_frame_column_type(g, kc), SHEAF_TYPE_INT64);
            ASSERT_OK(sheaf_frame_column_int64(g, kc, &k));
            for (size_t i = 0; i < FEAT_N; i++)
                cr_assert_eq(k[i], FEAT_K_VALID[i] ? FEAT_K[i] : (int64_t)FEAT_K_MODE);
        } else {
            cr_assert_eq(sheaf_frame_column_type(g, kc), SHEAF_TYPE_FLOAT64);
        }
        sheaf_frame_free(g);
        sheaf_stage_free(s);
    }
    sheaf_frame_free(f);
}

Test(imputer, median_is_exact_for_even_counts_ties_and_any_partitioning)
{
    /* 1..8 with two NaN: an even count, median (4 + 5) / 2 */
    double v[10] = {8, 3, NAN, 1, 6, 2, 7, 5, NAN, 4};
    for (size_t parts = 1; parts <= 12; parts++) {
        sheaf_frame *f = NULL, *p = NULL;
        ASSERT_OK(sheaf_frame_create(&f));
        ASSERT_OK(sheaf_frame_add_float64(f, "v", v, NULL, 10));
        ASSERT_OK(sheaf_frame_partition_rows(NULL, f, parts, &p));
        const char *cols[] = {"v"};
        sheaf_stage *s = NULL;
        ASSERT_OK(sheaf_imputer_fit(NULL, p, cols, 1, SHEAF_IMPUTE_MEDIAN, &s));
        const double *m;
        ASSERT_OK(sheaf_imputer_surrogates(s, &m, NULL));
        cr_assert_eq(m[0], 4.5, "%zu partitions: %.17g", parts, m[0]);
        sheaf_stage_free(s);
        sheaf_frame_free(p);
        sheaf_frame_free(f);
    }
}

Test(imputer, mode_takes_the_smallest_of_equally_frequent_values_across_partitions)
{
    double v[9] = {3, -0.0, 2, 3, 0.0, 2, NAN, 9, -1};
    sheaf_frame *f = NULL, *p = NULL;
    ASSERT_OK(sheaf_frame_create(&f));
    ASSERT_OK(sheaf_frame_add_float64(f, "v", v, NULL, 9));
    ASSERT_OK(sheaf_frame_partition_rows(NULL, f, 4, &p));
    const char *cols[] = {"v"};
    sheaf_stage *s = NULL;
    ASSERT_OK(sheaf_imputer_fit(NULL, p, cols, 1, SHEAF_IMPUTE_MODE, &s));
    const double *m;
    ASSERT_OK(sheaf_imputer_surrogates(s, &m, NULL));
    cr_assert(m[0] == 0.0 && !signbit(m[0]), "%.17g", m[0]); /* 0 (twice, -0 == 0) < 2 < 3 */
    sheaf_stage_free(s);
    sheaf_frame_free(p);
    sheaf_frame_free(f);
}

Test(imputer, median_of_large_partitions_matches_a_full_sort)
{
    enum { N = 100001 };
    double *v = malloc(N * sizeof *v);
    for (size_t i = 0; i < N; i++) /* a fixed scramble of 0..N-1 with repeats */
        v[i] = (double)((i * 7919) % 50000);
    sheaf_frame *f = NULL, *p = NULL;
    ASSERT_OK(sheaf_frame_create(&f));
    ASSERT_OK(sheaf_frame_add_float64(f, "v", v, NULL, N));
    ASSERT_OK(sheaf_frame_partition_rows(NULL, f, 9, &p));
    const char *cols[] = {"v"};
    sheaf_stage *s = NULL;
    ASSERT_OK(sheaf_imputer_fit(NULL, p, cols, 1, SHEAF_IMPUTE_MEDIAN, &s));
    const double *m;
    ASSERT_OK(sheaf_imputer_surrogates(s, &m, NULL));
    /* each of 0..49999 appears twice, plus one extra 0 (i = 100000 -> 0):
     * sorted position 50000 holds 24999.5 -> value 24999 */
    cr_assert_eq(m[0], 24999.0, "%.17g", m[0]);
    sheaf_stage_free(s);
    ASSERT_OK(sheaf_imputer_fit(NULL, p, cols, 1, SHEAF_IMPUTE_MODE, &s));
    ASSERT_OK(sheaf_imputer_surrogates(s, &m, NULL));
    cr_assert_eq(m[0], 0.0); /* three zeros */
    sheaf_stage_free(s);
    sheaf_frame_free(p);
    sheaf_frame_free(f);
    free(v);
}

Test(imputer, rejects_all_missing_string_columns_and_unknown_strategies)
{
    sheaf_frame *f = fixture_frame(2), *g = NULL;
    sheaf_stage *s = (sheaf_stage *)1;
    const char *str[] = {"cat"};
    ASSERT_FAILS(sheaf_imputer_fit(NULL, f, str, 1, SHEAF_IMPUTE_MEAN, &s),
                 SHEAF_ERR_INVALID_ARGUMENT, "column 'cat' is string");
    cr_assert_null(s);
    ASSERT_FAILS(sheaf_imputer_fit(NULL, f, XK, 2, (sheaf_impute_strategy)7, &s),
                 SHEAF_ERR_INVALID_ARGUMENT, "unknown strategy 7");
    int64_t zeros[2] = {0, 0};
    uint8_t none[2] = {0, 0};
    ASSERT_OK(sheaf_frame_create(&g));
    ASSERT_OK(sheaf_frame_add_int64(g, "gap", zeros, none, 2));
    const char *gap[] = {"gap"};
    for (int strategy = 0; strategy < 3; strategy++)
        ASSERT_FAILS(sheaf_imputer_fit(NULL, g, gap, 1, (sheaf_impute_strategy)strategy, &s),
                     SHEAF_ERR_INVALID_ARGUMENT, "column 'gap' has no present value");
    sheaf_frame_free(g);
    sheaf_frame_free(f);
}

Test(imputer, fit_and_transform_free_everything_when_any_allocation_fails)
{
    sheaf_frame *f = fixture_frame(3), *g = NULL;
    sheaf_ctx *ctx = fixture_ctx(1); /* allocations counted in this thread */
    for (int strategy = 0; strategy < 3; strategy++) {
        sheaf_stage *s = NULL;
        sheaf_debug_fail_allocation(0);
        ASSERT_OK(sheaf_imputer_fit(ctx, f, XK, 2, (sheaf_impute_strategy)strategy, &s));
        ASSERT_OK(sheaf_stage_transform(ctx, s, f, &g));
        uint64_t count = sheaf_debug_fail_allocation(0);
        sheaf_frame_free(g);
        sheaf_stage_free(s);
        cr_assert_gt(count, 5);
        for (uint64_t k = 1; k <= count; k++) {
            sheaf_debug_fail_allocation(k);
            sheaf_status st = sheaf_imputer_fit(ctx, f, XK, 2, (sheaf_impute_strategy)strategy, &s);
            if (st == SHEAF_OK) {
                st = sheaf_stage_transform(ctx, s, f, &g);
                sheaf_stage_free(s);
                cr_assert(st != SHEAF_OK || g, "transform");
                sheaf_frame_free(g);
                g = NULL;
            }
            sheaf_debug_fail_allocation(0);
            cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu: %s: %s", (unsigned long long)k,
                         sheaf_status_name(st), sheaf_last_error());
        }
    }
    sheaf_ctx_free(ctx);
    sheaf_frame_free(f);
}
