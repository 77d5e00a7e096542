/* test_window_rolling.c - rolling aggregates over rows and time spans and
 * the expanding mean, against pandas (window/gen_window.py). */
#include "window/window_fixture.h"

static const sheaf_window_agg aggs[] = {SHEAF_WINDOW_MEAN, SHEAF_WINDOW_SUM, SHEAF_WINDOW_STD,
                                        SHEAF_WINDOW_VAR,  SHEAF_WINDOW_MIN, SHEAF_WINDOW_MAX};

Test(window_rolling, every_row_aggregate_matches_pandas_within_keys)
{
    const double *want[] = {wref_roll3_min2_mean, wref_roll3_min2_sum, wref_roll3_min2_std,
                            wref_roll3_min2_var,  wref_roll3_min2_min, wref_roll3_min2_max};
    sheaf_ctx *ctx = wctx(2);
    sheaf_frame *f = wframe(4);
    for (size_t a = 0; a < 6; a++) {
        sheaf_frame *out = NULL;
        cr_assert_eq(sheaf_frame_rolling(ctx, f, "x", aggs[a], 3, 0, 2, wkey, 1, "t", "r", &out),
                     SHEAF_OK, "%s", sheaf_last_error());
        expect_rows(out, wref_order);
        expect_values(out, "r", want[a]);
        sheaf_frame_free(out);
    }
    sheaf_frame_free(f);
    sheaf_ctx_free(ctx);
}

Test(window_rolling, every_time_span_aggregate_matches_pandas_on_irregular_times)
{
    const double *want[] = {wref_roll20s_mean, wref_roll20s_sum, wref_roll20s_std,
                            wref_roll20s_var,  wref_roll20s_min, wref_roll20s_max};
    sheaf_frame *f = wframe(2);
    for (size_t a = 0; a < 6; a++) {
        sheaf_frame *out = NULL;
        cr_assert_eq(sheaf_frame_rolling(NULL, f, "x", aggs[a], 0, 20, 0, wkey, 1, "ts", "r", &out),
                     SHEAF_OK, "%s", sheaf_last_error());
        expect_values(out, "r", want[a]);
        sheaf_frame_free(out);
    }
    sheaf_frame_free(f);
}

Test(window_rolling, without_keys_spans_partitions_as_one_series)
{
    sheaf_ctx *ctx = wctx(3);
    sheaf_frame *f = wframe(7), *mean = NULL, *max = NULL, *timed = NULL;
    cr_assert_eq(
        sheaf_frame_rolling(ctx, f, "x", SHEAF_WINDOW_MEAN, 4, 0, 0, NULL, 0, NULL, NULL, &mean),
        SHEAF_OK);
    expect_values(mean, "x_rolling_mean4", wref_u_roll4_mean);
    cr_assert_eq(
        sheaf_frame_rolling(ctx, f, "x", SHEAF_WINDOW_MAX, 4, 0, 1, NULL, 0, NULL, NULL, &max),
        SHEAF_OK);
    expect_values(max, "x_rolling_max4", wref_u_roll4_max);
    /* a time without keys: rows come back sorted by time */
    cr_assert_eq(
        sheaf_frame_rolling(ctx, f, "x", SHEAF_WINDOW_MEAN, 0, 30, 0, NULL, 0, "t", NULL, &timed),
        SHEAF_OK, "%s", sheaf_last_error());
    expect_rows(timed, wref_t_order);
    expect_values(timed, "x_rolling_mean_t30", wref_t_roll30s_mean);
    cr_assert_eq(sheaf_frame_num_partitions(timed), 7);
    sheaf_frame_free(timed);
    sheaf_frame_free(max);
    sheaf_frame_free(mean);
    sheaf_frame_free(f);
    sheaf_ctx_free(ctx);
}

Test(window_rolling, rejects_a_window_longer_than_the_longest_series)
{
    sheaf_frame *f = wframe(2), *out = (sheaf_frame *)1;
    /* key 1 is the longest series, 10 rows */
    expect_error(
        sheaf_frame_rolling(NULL, f, "x", SHEAF_WINDOW_MEAN, 11, 0, 0, wkey, 1, "t", NULL, &out),
        &out, SHEAF_ERR_INVALID_ARGUMENT,
        "window of 11 rows is longer than the longest series (10 rows)");
    out = NULL;
    cr_assert_eq(
        sheaf_frame_rolling(NULL, f, "x", SHEAF_WINDOW_MEAN, 10, 0, 0, wkey, 1, "t", NULL, &out),
        SHEAF_OK);
    sheaf_frame_free(out);
    sheaf_frame_free(f);
}

Test(window_rolling, rejects_bad_windows_and_string_columns)
{
    sheaf_frame *f = wframe(2), *out = (sheaf_frame *)1;
    expect_error(
        sheaf_frame_rolling(NULL, f, "s", SHEAF_WINDOW_MEAN, 2, 0, 0, wkey, 1, "t", NULL, &out),
        &out, SHEAF_ERR_INVALID_ARGUMENT, "column 's' is string");
    out = (sheaf_frame *)1;
    expect_error(
        sheaf_frame_rolling(NULL, f, "x", SHEAF_WINDOW_MEAN, 0, 0, 0, wkey, 1, "t", NULL, &out),
        &out, SHEAF_ERR_INVALID_ARGUMENT, "window of 0 rows");
    out = (sheaf_frame *)1;
    expect_error(
        sheaf_frame_rolling(NULL, f, "x", SHEAF_WINDOW_SUM, 2, 0, 3, wkey, 1, "t", NULL, &out),
        &out, SHEAF_ERR_INVALID_ARGUMENT, "min_periods 3 must be <= window 2");
    out = (sheaf_frame *)1;
    expect_error(
        sheaf_frame_rolling(NULL, f, "x", SHEAF_WINDOW_SUM, 0, 5, 0, wkey, 1, NULL, NULL, &out),
        &out, SHEAF_ERR_INVALID_ARGUMENT, "needs a time column");
    out = (sheaf_frame *)1;
    expect_error(
        sheaf_frame_rolling(NULL, f, "x", (sheaf_window_agg)9, 2, 0, 0, wkey, 1, "t", NULL, &out),
        &out, SHEAF_ERR_INVALID_ARGUMENT, "unknown aggregate 9");
    sheaf_frame_free(f);
}

Test(window_rolling, handles_empty_frames_and_single_row_keys)
{
    sheaf_frame *f = NULL, *out = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", wref_k, NULL, 0), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "x", wref_x, NULL, 0), SHEAF_OK);
    cr_assert_eq(
        sheaf_frame_rolling(NULL, f, "x", SHEAF_WINDOW_STD, 5, 0, 0, wkey, 1, NULL, NULL, &out),
        SHEAF_OK, "%s", sheaf_last_error());
    cr_assert_eq(sheaf_frame_num_rows(out), 0);
    sheaf_frame_free(out);
    sheaf_frame_free(f);
    /* key 7 has one row (the last in (k, t) order): its 1-row mean is itself */
    f = wframe(3);
    cr_assert_eq(
        sheaf_frame_rolling(NULL, f, "x", SHEAF_WINDOW_MEAN, 1, 0, 0, wkey, 1, "t", NULL, &out),
        SHEAF_OK);
    cr_assert_eq(wf64(out, "x_rolling_mean1")[WREF_N - 1], wref_x[11]);
    sheaf_frame_free(out);
    sheaf_frame_free(f);
}

Test(window_expanding_mean, matches_pandas_expanding_mean_within_keys)
{
    sheaf_frame *f = wframe(3), *out = NULL;
    cr_assert_eq(sheaf_frame_expanding_mean(NULL, f, "x", wkey, 1, "t", NULL, &out), SHEAF_OK);
    expect_values(out, "x_expanding_mean", wref_expanding);
    sheaf_frame_free(out);
    sheaf_frame_free(f);
}

Test(window_rolling, fails_each_allocation_cleanly)
{
    sheaf_ctx *ctx = wctx(1);
    sheaf_frame *f = wframe(3), *out = NULL;
    sheaf_debug_fail_allocation(0);
    cr_assert_eq(
        sheaf_frame_rolling(ctx, f, "x", SHEAF_WINDOW_MIN, 3, 0, 0, wkey, 1, "t", NULL, &out),
        SHEAF_OK);
    uint64_t count = sheaf_debug_fail_allocation(0);
    sheaf_frame_free(out);
    cr_assert_gt(count, 10);
    for (uint64_t k = 1; k <= count; k++) {
        out = (sheaf_frame *)1;
        sheaf_debug_fail_allocation(k);
        sheaf_status st =
            sheaf_frame_rolling(ctx, f, "x", SHEAF_WINDOW_MIN, 3, 0, 0, wkey, 1, "t", NULL, &out);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu: %s: %s", (unsigned long long)k,
                     sheaf_status_name(st), sheaf_last_error());
        cr_assert_null(out);
    }
    sheaf_frame_free(f);
    sheaf_ctx_free(ctx);
}
