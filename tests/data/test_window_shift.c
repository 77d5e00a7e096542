/* test_window_shift.c - lags, leads, differences and percent change within
 * keys and across partitions, against pandas (window/gen_window.py). */
#include "window/window_fixture.h"

Test(window_lag, matches_pandas_groupby_shift_and_returns_rows_by_key_and_time)
{
    sheaf_ctx *ctx = wctx(2);
    sheaf_frame *f = wframe(4), *lag = NULL, *lead = NULL;
    cr_assert_eq(sheaf_frame_lag(ctx, f, "x", 1, wkey, 1, "t", NULL, &lag), SHEAF_OK, "%s",
                 sheaf_last_error());
    expect_rows(lag, wref_order);
    expect_values(lag, "x_lag1", wref_lag1);
    /* lag is laid out by (k, t) now: the lead reuses it without reordering */
    cr_assert_eq(sheaf_frame_lag(ctx, lag, "x", -2, wkey, 1, "t", NULL, &lead), SHEAF_OK);
    expect_rows(lead, wref_order);
    expect_values(lead, "x_lead2", wref_lead2);
    cr_assert_eq(sheaf_frame_num_partitions(lead), 3);
    sheaf_frame_free(lead);
    sheaf_frame_free(lag);
    sheaf_frame_free(f);
    sheaf_ctx_free(ctx);
}

Test(window_lag, keeps_string_and_int_types_with_missing_where_shifted_out)
{
    sheaf_frame *f = wframe(1), *a = NULL, *b = NULL;
    cr_assert_eq(sheaf_frame_lag(NULL, f, "s", 1, wkey, 1, "t", "s_prev", &a), SHEAF_OK);
    cr_assert_eq(sheaf_frame_lag(NULL, a, "i", 1, wkey, 1, "t", NULL, &b), SHEAF_OK);
    size_t sc = wcol(b, "s_prev"), ic = wcol(b, "i_lag1");
    cr_assert_eq(sheaf_frame_column_type(b, sc), SHEAF_TYPE_STRING);
    cr_assert_eq(sheaf_frame_column_type(b, ic), SHEAF_TYPE_INT64);
    const int32_t *codes;
    size_t dict;
    cr_assert_eq(sheaf_frame_column_codes(b, sc, &codes, &dict), SHEAF_OK);
    const int64_t *iv = wi64(b, "i_lag1");
    const uint8_t *ivalid = sheaf_frame_column_validity(b, ic);
    const int64_t *k = wi64(b, "k");
    for (size_t r = 0; r < WREF_N; r++) {
        bool first = r == 0 || k[r] != k[r - 1];
        size_t prev = first ? 0 : wref_order[r - 1];
        cr_assert_eq(ivalid[r], !first, "row %zu", r);
        cr_assert_eq(iv[r], first ? 0 : wref_i[prev], "row %zu", r);
        if (first || isnan(wref_x[prev])) {
            cr_assert_eq(codes[r], -1, "row %zu", r);
        } else {
            char want[4];
            snprintf(want, sizeof want, "s%d", (int)wref_i[prev]);
            cr_assert_str_eq(sheaf_frame_dict_value(b, sc, codes[r]), want);
        }
    }
    sheaf_frame_free(b);
    sheaf_frame_free(a);
    sheaf_frame_free(f);
}

Test(window_lag, without_keys_reads_across_partition_boundaries_and_keeps_row_order)
{
    sheaf_ctx *ctx = wctx(4);
    sheaf_frame *f = wframe(40), *out = NULL; /* more partitions than rows: some are empty */
    cr_assert_eq(sheaf_frame_lag(ctx, f, "x", 2, NULL, 0, NULL, NULL, &out), SHEAF_OK);
    cr_assert_eq(sheaf_frame_num_partitions(out), 40);
    expect_values(out, "x_lag2", wref_u_lag2);
    size_t identity[WREF_N];
    for (size_t r = 0; r < WREF_N; r++)
        identity[r] = r;
    expect_rows(out, identity);
    sheaf_frame_free(out);
    sheaf_frame_free(f);
    sheaf_ctx_free(ctx);
}

Test(window_diff, matches_pandas_for_seasonal_lag_two_of_order_two)
{
    sheaf_frame *f = wframe(3), *out = NULL, *u = NULL;
    cr_assert_eq(sheaf_frame_diff(NULL, f, "x", 2, 2, wkey, 1, "t", NULL, &out), SHEAF_OK, "%s",
                 sheaf_last_error());
    expect_values(out, "x_diff2_order2", wref_diff2_order2);
    cr_assert_eq(sheaf_frame_diff(NULL, f, "x", 1, 1, NULL, 0, NULL, "d", &u), SHEAF_OK);
    expect_values(u, "d", wref_u_diff1);
    sheaf_frame_free(u);
    sheaf_frame_free(out);
    sheaf_frame_free(f);
}

Test(window_diff, reads_int64_as_float64_and_rejects_strings)
{
    sheaf_frame *f = wframe(2), *out = NULL;
    cr_assert_eq(sheaf_frame_diff(NULL, f, "i", 1, 1, NULL, 0, NULL, NULL, &out), SHEAF_OK);
    const double *d = wf64(out, "i_diff1");
    cr_assert(isnan(d[0]));
    for (size_t r = 1; r < WREF_N; r++)
        cr_assert_eq(d[r], (double)(wref_i[r] - wref_i[r - 1]));
    sheaf_frame_free(out);
    out = (sheaf_frame *)1;
    expect_error(sheaf_frame_diff(NULL, f, "s", 1, 1, NULL, 0, NULL, NULL, &out), &out,
                 SHEAF_ERR_INVALID_ARGUMENT, "column 's' is string");
    out = (sheaf_frame *)1;
    expect_error(sheaf_frame_diff(NULL, f, "x", 0, 1, NULL, 0, NULL, NULL, &out), &out,
                 SHEAF_ERR_INVALID_ARGUMENT, "lag (0)");
    sheaf_frame_free(f);
}

Test(window_pct_change, matches_pandas_with_its_forward_fill)
{
    sheaf_frame *f = wframe(5), *out = NULL;
    cr_assert_eq(sheaf_frame_pct_change(NULL, f, "x", 1, wkey, 1, "t", NULL, &out), SHEAF_OK, "%s",
                 sheaf_last_error());
    expect_values(out, "x_pct1", wref_pct1);
    sheaf_frame_free(out);
    out = (sheaf_frame *)1;
    expect_error(sheaf_frame_pct_change(NULL, f, "x", 0, wkey, 1, "t", NULL, &out), &out,
                 SHEAF_ERR_INVALID_ARGUMENT, "periods must be at least 1");
    sheaf_frame_free(f);
}

Test(window_lag, rejects_unknown_columns_keys_and_taken_names)
{
    sheaf_frame *f = wframe(2), *out = (sheaf_frame *)1;
    expect_error(sheaf_frame_lag(NULL, f, "nope", 1, wkey, 1, "t", NULL, &out), &out,
                 SHEAF_ERR_INVALID_ARGUMENT, "no column named 'nope'");
    static const char *const bad_key[] = {"kk"};
    out = (sheaf_frame *)1;
    expect_error(sheaf_frame_lag(NULL, f, "x", 1, bad_key, 1, "t", NULL, &out), &out,
                 SHEAF_ERR_INVALID_ARGUMENT, "no column named 'kk'");
    out = (sheaf_frame *)1;
    expect_error(sheaf_frame_lag(NULL, f, "x", 1, wkey, 1, "s", NULL, &out), &out,
                 SHEAF_ERR_INVALID_ARGUMENT, "time column 's' is string");
    out = (sheaf_frame *)1;
    expect_error(sheaf_frame_lag(NULL, f, "x", 1, wkey, 1, "t", "i", &out), &out,
                 SHEAF_ERR_INVALID_ARGUMENT, "already has a column named 'i'");
    sheaf_frame_free(f);
}

Test(window_lag, keeps_row_order_within_a_key_when_no_time_is_given)
{
    sheaf_frame *f = wframe(3), *out = NULL;
    cr_assert_eq(sheaf_frame_lag(NULL, f, "t", 1, wkey, 1, NULL, NULL, &out), SHEAF_OK, "%s",
                 sheaf_last_error());
    const int64_t *k = wi64(out, "k"), *t = wi64(out, "t"), *prev = wi64(out, "t_lag1");
    const uint8_t *valid = sheaf_frame_column_validity(out, wcol(out, "t_lag1"));
    size_t r = 0;
    for (int64_t key = 0; key <= 7; key++) /* keys ascending, input order within a key */
        for (size_t in = 0, seen = 0; in < WREF_N; in++) {
            if (wref_k[in] != key) continue;
            cr_assert_eq(k[r], key);
            cr_assert_eq(t[r], wref_t[in]);
            cr_assert_eq(valid[r], seen > 0);
            if (seen++) cr_assert_eq(prev[r], t[r - 1]);
            r++;
        }
    cr_assert_eq(r, WREF_N);
    sheaf_frame_free(out);
    sheaf_frame_free(f);
}
