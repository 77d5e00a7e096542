/* test_window_cumulative.c - cumulative sums, exponentially weighted means,
 * row numbers, ranks and forward/backward fill, against pandas
 * (window/gen_window.py); determinism across thread counts. */
#include "window/window_fixture.h"

Test(window_cumsum, matches_pandas_within_keys_and_over_the_whole_frame)
{
    sheaf_frame *f = wframe(4), *out = NULL, *u = NULL;
    cr_assert_eq(sheaf_frame_cumsum(NULL, f, "x", wkey, 1, "t", NULL, &out), SHEAF_OK);
    expect_values(out, "x_cumsum", wref_cumsum);
    cr_assert_eq(sheaf_frame_cumsum(NULL, f, "x", NULL, 0, NULL, NULL, &u), SHEAF_OK);
    expect_values(u, "x_cumsum", wref_u_cumsum);
    sheaf_frame_free(u);
    sheaf_frame_free(out);
    sheaf_frame_free(f);
}

Test(window_cumsum, keeps_int64_as_int64)
{
    sheaf_frame *f = wframe(2), *out = NULL;
    cr_assert_eq(sheaf_frame_cumsum(NULL, f, "i", NULL, 0, NULL, "c", &out), SHEAF_OK);
    cr_assert_eq(sheaf_frame_column_type(out, wcol(out, "c")), SHEAF_TYPE_INT64);
    const int64_t *c = wi64(out, "c");
    int64_t acc = 0;
    for (size_t r = 0; r < WREF_N; r++)
        cr_assert_eq(c[r], acc += wref_i[r]);
    sheaf_frame_free(out);
    sheaf_frame_free(f);
}

Test(window_ewm_mean, matches_pandas_with_and_without_adjust_through_missing_values)
{
    sheaf_frame *f = wframe(3), *a = NULL, *p = NULL;
    cr_assert_eq(sheaf_frame_ewm_mean(NULL, f, "x", 0.3, 1, wkey, 1, "t", "a", &a), SHEAF_OK);
    expect_values(a, "a", wref_ewm_adjust);
    cr_assert_eq(sheaf_frame_ewm_mean(NULL, f, "x", 0.3, 0, wkey, 1, "t", "p", &p), SHEAF_OK);
    expect_values(p, "p", wref_ewm_plain);
    sheaf_frame_free(p);
    sheaf_frame_free(a);
    sheaf_frame *out = (sheaf_frame *)1;
    expect_error(sheaf_frame_ewm_mean(NULL, f, "x", 0.0, 1, wkey, 1, "t", NULL, &out), &out,
                 SHEAF_ERR_INVALID_ARGUMENT, "alpha must be in (0, 1] (got 0)");
    sheaf_frame_free(f);
}

Test(window_row_number, counts_from_first_within_each_key)
{
    sheaf_frame *f = wframe(3), *out = NULL;
    cr_assert_eq(sheaf_frame_row_number(NULL, f, 1, wkey, 1, "t", NULL, &out), SHEAF_OK);
    const int64_t *k = wi64(out, "k"), *rn = wi64(out, "row_number");
    for (size_t r = 0; r < WREF_N; r++)
        cr_assert_eq(rn[r], r == 0 || k[r] != k[r - 1] ? 1 : rn[r - 1] + 1, "row %zu", r);
    cr_assert_eq(rn[WREF_N - 1], 1); /* key 7, a single row */
    sheaf_frame_free(out);
    sheaf_frame_free(f);
}

Test(window_rank, every_method_matches_pandas_with_ties_and_missing_values)
{
    const sheaf_rank_method methods[] = {SHEAF_RANK_AVERAGE, SHEAF_RANK_MIN, SHEAF_RANK_MAX,
                                         SHEAF_RANK_FIRST, SHEAF_RANK_DENSE};
    const double *want_i[] = {wref_rank_i_average, wref_rank_i_min, wref_rank_i_max,
                              wref_rank_i_first, wref_rank_i_dense};
    const double *want_x[] = {wref_rank_x_desc_average, wref_rank_x_desc_min, wref_rank_x_desc_max,
                              wref_rank_x_desc_first, wref_rank_x_desc_dense};
    sheaf_frame *f = wframe(2);
    for (size_t m = 0; m < 5; m++) {
        sheaf_frame *a = NULL, *b = NULL;
        cr_assert_eq(sheaf_frame_rank(NULL, f, "i", methods[m], 1, wkey, 1, "t", "r", &a),
                     SHEAF_OK);
        expect_values(a, "r", want_i[m]);
        cr_assert_eq(sheaf_frame_rank(NULL, f, "x", methods[m], 0, wkey, 1, "t", "r", &b),
                     SHEAF_OK);
        expect_values(b, "r", want_x[m]);
        sheaf_frame_free(b);
        sheaf_frame_free(a);
    }
    sheaf_frame *out = (sheaf_frame *)1;
    expect_error(sheaf_frame_rank(NULL, f, "s", SHEAF_RANK_MIN, 1, wkey, 1, "t", NULL, &out), &out,
                 SHEAF_ERR_INVALID_ARGUMENT, "column 's' is string");
    sheaf_frame_free(f);
}

Test(window_fill_forward, fills_within_keys_both_ways_and_keeps_the_column_in_place)
{
    sheaf_frame *f = wframe(3), *ff = NULL, *bf = NULL;
    cr_assert_eq(sheaf_frame_fill_forward(NULL, f, "x", 0, wkey, 1, "t", &ff), SHEAF_OK);
    cr_assert_eq(wcol(ff, "x"), 2);
    cr_assert_eq(sheaf_frame_num_columns(ff), 6);
    expect_values(ff, "x", wref_ffill);
    cr_assert_eq(sheaf_frame_fill_forward(NULL, ff, "x", 1, wkey, 1, "t", &bf), SHEAF_OK);
    /* ffill then bfill: only a key with no value at all stays missing */
    const double *v = wf64(bf, "x");
    for (size_t r = 0; r < WREF_N; r++)
        cr_assert(!isnan(v[r]), "row %zu", r);
    sheaf_frame_free(bf);
    bf = NULL;
    cr_assert_eq(sheaf_frame_fill_forward(NULL, f, "x", 1, wkey, 1, "t", &bf), SHEAF_OK);
    expect_values(bf, "x", wref_bfill);
    sheaf_frame_free(bf);
    sheaf_frame_free(ff);
    sheaf_frame *out = (sheaf_frame *)1;
    expect_error(sheaf_frame_fill_forward(NULL, f, "k", 0, wkey, 1, "t", &out), &out,
                 SHEAF_ERR_INVALID_ARGUMENT, "column 'k' is a key");
    sheaf_frame_free(f);
}

Test(window_fill_forward, reaches_across_empty_and_missing_partitions_without_keys)
{
    sheaf_ctx *ctx = wctx(4);
    sheaf_frame *f = wframe(30), *ff = NULL, *bf = NULL, *sf = NULL;
    cr_assert_eq(sheaf_frame_fill_forward(ctx, f, "x", 0, NULL, 0, NULL, &ff), SHEAF_OK);
    expect_values(ff, "x", wref_u_ffill);
    cr_assert_eq(sheaf_frame_fill_forward(ctx, f, "x", 1, NULL, 0, NULL, &bf), SHEAF_OK);
    expect_values(bf, "x", wref_u_bfill);
    /* strings: the previous present string, same dictionary */
    cr_assert_eq(sheaf_frame_fill_forward(ctx, f, "s", 0, NULL, 0, NULL, &sf), SHEAF_OK);
    size_t sc = wcol(sf, "s");
    cr_assert_eq(sheaf_frame_column_type(sf, sc), SHEAF_TYPE_STRING);
    cr_assert_eq(sheaf_frame_column_missing(sf, sc), 0);
    const int32_t *codes;
    size_t dict;
    cr_assert_eq(sheaf_frame_column_codes(sf, sc, &codes, &dict), SHEAF_OK);
    cr_assert_str_eq(sheaf_frame_dict_value(sf, sc, codes[3]), "s0"); /* rows 2, 3 from row 1 */
    sheaf_frame_free(sf);
    sheaf_frame_free(bf);
    sheaf_frame_free(ff);
    sheaf_frame_free(f);
    sheaf_ctx_free(ctx);
}

Test(window_fill_forward, fails_each_allocation_cleanly)
{
    sheaf_ctx *ctx = wctx(1);
    sheaf_frame *f = wframe(3), *out = NULL;
    sheaf_debug_fail_allocation(0);
    cr_assert_eq(sheaf_frame_fill_forward(ctx, f, "s", 1, wkey, 1, NULL, &out), SHEAF_OK);
    uint64_t count = sheaf_debug_fail_allocation(0);
    sheaf_frame_free(out);
    for (uint64_t k = 1; k <= count; k++) {
        out = (sheaf_frame *)1;
        sheaf_debug_fail_allocation(k);
        sheaf_status st = sheaf_frame_fill_forward(ctx, f, "s", 1, wkey, 1, NULL, &out);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu: %s", (unsigned long long)k,
                     sheaf_last_error());
        cr_assert_null(out);
    }
    sheaf_frame_free(f);
    sheaf_ctx_free(ctx);
}

/* Every operation on 1, 2 and 4 threads gives the same bits. */
Test(window, results_are_bit_identical_for_any_thread_count)
{
    enum { OPS = 8 };
    const double *first[OPS] = {0};
    sheaf_frame *keep[3][OPS] = {{0}};
    const int threads[] = {1, 2, 4};
    sheaf_frame *f = wframe(5);
    for (size_t c = 0; c < 3; c++) {
        sheaf_ctx *ctx = wctx(threads[c]);
        sheaf_frame **o = keep[c];
        cr_assert_eq(sheaf_frame_diff(ctx, f, "x", 1, 2, wkey, 1, "t", "v", &o[0]), SHEAF_OK);
        cr_assert_eq(sheaf_frame_pct_change(ctx, f, "x", 1, NULL, 0, NULL, "v", &o[1]), SHEAF_OK);
        cr_assert_eq(
            sheaf_frame_rolling(ctx, f, "x", SHEAF_WINDOW_STD, 3, 0, 2, NULL, 0, NULL, "v", &o[2]),
            SHEAF_OK);
        cr_assert_eq(
            sheaf_frame_rolling(ctx, f, "x", SHEAF_WINDOW_VAR, 0, 25, 0, wkey, 1, "t", "v", &o[3]),
            SHEAF_OK);
        cr_assert_eq(sheaf_frame_expanding_mean(ctx, f, "x", NULL, 0, NULL, "v", &o[4]), SHEAF_OK);
        cr_assert_eq(sheaf_frame_ewm_mean(ctx, f, "x", 0.4, 1, wkey, 1, "t", "v", &o[5]), SHEAF_OK);
        cr_assert_eq(sheaf_frame_rank(ctx, f, "x", SHEAF_RANK_AVERAGE, 1, NULL, 0, "t", "v", &o[6]),
                     SHEAF_OK);
        cr_assert_eq(sheaf_frame_cumsum(ctx, f, "x", wkey, 1, NULL, "v", &o[7]), SHEAF_OK);
        for (size_t op = 0; op < OPS; op++) {
            const double *v = wf64(o[op], "v");
            if (c == 0)
                first[op] = v;
            else
                cr_assert_eq(memcmp(v, first[op], WREF_N * sizeof *v), 0, "op %zu, %d threads", op,
                             threads[c]);
        }
        sheaf_ctx_free(ctx);
    }
    for (size_t c = 0; c < 3; c++)
        for (size_t op = 0; op < OPS; op++)
            sheaf_frame_free(keep[c][op]);
    sheaf_frame_free(f);
}
