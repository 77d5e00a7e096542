/* test_group_join.c - sheaf_frame_join and sheaf_frame_join_asof against
 * pandas 1.5 (group_refs.h) and hand-worked cases: row order, suffixes,
 * missing keys, strings from different dictionaries, unsorted as-of input,
 * empty partitions, determinism, bad input and allocation failures. */
#include "group/group_refs.h"
#include "group_test.h"

static sheaf_frame *left_input(size_t partitions, bool with_time)
{
    sheaf_frame *f;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", group_in_k, NULL, GROUP_N_ROWS), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "s", (const char *const *)group_in_s, GROUP_N_ROWS),
                 SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "x", group_in_x, NULL, GROUP_N_ROWS), SHEAF_OK);
    if (with_time)
        cr_assert_eq(sheaf_frame_add_int64(f, "t", asof_left_t, NULL, GROUP_N_ROWS), SHEAF_OK);
    return gt_rows(f, partitions);
}

static sheaf_frame *right_input(size_t partitions, bool with_time)
{
    sheaf_frame *f;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", join_right_k, NULL, JOIN_RIGHT_ROWS), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "s", (const char *const *)join_right_s, JOIN_RIGHT_ROWS),
                 SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "v", join_right_v, NULL, JOIN_RIGHT_ROWS), SHEAF_OK);
    if (with_time)
        cr_assert_eq(sheaf_frame_add_int64(f, "t", asof_right_t, NULL, JOIN_RIGHT_ROWS), SHEAF_OK);
    return gt_rows(f, partitions);
}

static const char *const on_ks[] = {"k", "s"};

static sheaf_frame *join(const sheaf_frame *l, const sheaf_frame *r, sheaf_join_how how,
                         int threads)
{
    sheaf_ctx *ctx = gt_ctx(threads, 4);
    sheaf_frame *out = NULL;
    sheaf_status st = sheaf_frame_join(ctx, l, r, on_ks, 2, how, &out);
    cr_assert_eq(st, SHEAF_OK, "%s", sheaf_last_error());
    sheaf_ctx_free(ctx);
    return out;
}

Test(join, left_join_matches_pandas_merge_with_missing_keys)
{
    sheaf_frame *l = left_input(5, false), *r = right_input(2, false);
    sheaf_frame *j = join(l, r, SHEAF_JOIN_LEFT, 2);
    cr_assert_eq(sheaf_frame_num_rows(j), JOIN_LEFT_ROWS_OUT);
    cr_assert_eq(sheaf_frame_num_columns(j), 4);
    cr_assert_str_eq(sheaf_frame_column_name(j, 3), "v");
    for (size_t i = 0; i < JOIN_LEFT_ROWS_OUT; i++) {
        gt_close(gt_f64(j, "x")[i], join_left_x[i], "x", i);
        gt_close(gt_f64(j, "v")[i], join_left_v[i], "v", i);
    }
    cr_assert_eq(sheaf_frame_num_partitions(j), 5, "left's partitions carry over");
    sheaf_frame_free(j);
    sheaf_frame_free(l);
    sheaf_frame_free(r);
}

Test(join, inner_join_keeps_left_order_and_right_order_within_a_row)
{
    sheaf_frame *l, *r;
    cr_assert_eq(sheaf_frame_create(&l), SHEAF_OK);
    cr_assert_eq(sheaf_frame_create(&r), SHEAF_OK);
    const double lk[] = {2, NAN, 1, 3, -0.0}, lv[] = {10, 11, 12, 13, 14};
    const double rk[] = {1, 0, NAN, 1, 2}, rv[] = {20, 21, 22, 23, 24};
    cr_assert_eq(sheaf_frame_add_float64(l, "k", lk, NULL, 5), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(l, "v", lv, NULL, 5), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(r, "k", rk, NULL, 5), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(r, "v", rv, NULL, 5), SHEAF_OK);
    l = gt_rows(l, 7); /* empty partitions */
    const char *on[] = {"k"};
    sheaf_frame *j = NULL;
    cr_assert_eq(sheaf_frame_join(NULL, l, r, on, 1, SHEAF_JOIN_INNER, &j), SHEAF_OK);
    /* left 2 -> r4; NaN -> r2 (missing matches missing); 1 -> r0, r3;
     * 3 -> none; -0.0 -> r1 (0.0). */
    const double want_x[] = {10, 11, 12, 12, 14}, want_y[] = {24, 22, 20, 23, 21};
    cr_assert_eq(sheaf_frame_num_rows(j), 5);
    cr_assert_str_eq(sheaf_frame_column_name(j, 1), "v_x");
    cr_assert_str_eq(sheaf_frame_column_name(j, 2), "v_y");
    for (size_t i = 0; i < 5; i++) {
        cr_assert_eq(gt_f64(j, "v_x")[i], want_x[i], "row %zu", i);
        cr_assert_eq(gt_f64(j, "v_y")[i], want_y[i], "row %zu", i);
    }
    sheaf_frame_free(j);
    sheaf_frame_free(l);
    sheaf_frame_free(r);
}

Test(join, matches_strings_across_dictionaries_and_is_deterministic)
{
    sheaf_frame *l = left_input(6, false), *r = right_input(3, false);
    sheaf_frame *one = join(l, r, SHEAF_JOIN_INNER, 1);
    for (int threads = 2; threads <= 4; threads *= 2) {
        sheaf_frame *other = join(l, r, SHEAF_JOIN_INNER, threads);
        gt_frames_identical(one, other);
        sheaf_frame_free(other);
    }
    /* The inner rows are the left join's rows with a partner. */
    size_t n = 0;
    for (size_t i = 0; i < JOIN_LEFT_ROWS_OUT; i++)
        n += !isnan(join_left_v[i]);
    cr_assert_eq(sheaf_frame_num_rows(one), n);
    sheaf_frame_free(one);
    sheaf_frame_free(l);
    sheaf_frame_free(r);
}

Test(join, reports_keys_of_different_types_and_unknown_columns)
{
    sheaf_frame *l = left_input(2, false), *r, *out = (sheaf_frame *)1;
    cr_assert_eq(sheaf_frame_create(&r), SHEAF_OK);
    const double k[] = {1, 2};
    const char *s[] = {"red", "blue"};
    cr_assert_eq(sheaf_frame_add_float64(r, "k", k, NULL, 2), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(r, "s", s, 2), SHEAF_OK);
    gt_error(sheaf_frame_join(NULL, l, r, on_ks, 2, SHEAF_JOIN_LEFT, &out), &out,
             SHEAF_ERR_INVALID_ARGUMENT, "key 'k' is int64 on the left but 'k' is float64");
    const char *bad[] = {"nope"};
    out = (sheaf_frame *)1;
    gt_error(sheaf_frame_join(NULL, l, l, bad, 1, SHEAF_JOIN_LEFT, &out), &out,
             SHEAF_ERR_INVALID_ARGUMENT, "no column named 'nope'");
    out = (sheaf_frame *)1;
    gt_error(sheaf_frame_join(NULL, l, l, on_ks, 2, (sheaf_join_how)9, &out), &out,
             SHEAF_ERR_INVALID_ARGUMENT, "unknown join kind 9");
    out = (sheaf_frame *)1;
    gt_error(sheaf_frame_join(NULL, l, l, on_ks, 0, SHEAF_JOIN_LEFT, &out), &out,
             SHEAF_ERR_INVALID_ARGUMENT, "no key columns");
    sheaf_frame_free(l);
    sheaf_frame_free(r);
}

Test(join, fails_cleanly_at_every_allocation)
{
    sheaf_frame *l = left_input(3, false), *r = right_input(2, false), *out = NULL;
    sheaf_ctx *ctx = gt_ctx(1, 2);
    for (int how = SHEAF_JOIN_INNER; how <= SHEAF_JOIN_LEFT; how++) {
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(sheaf_frame_join(ctx, l, r, on_ks, 2, (sheaf_join_how)how, &out), SHEAF_OK);
        uint64_t count = sheaf_debug_fail_allocation(0);
        sheaf_frame_free(out);
        for (uint64_t k = 1; k <= count; k++) {
            out = (sheaf_frame *)1;
            sheaf_debug_fail_allocation(k);
            sheaf_status st = sheaf_frame_join(ctx, l, r, on_ks, 2, (sheaf_join_how)how, &out);
            sheaf_debug_fail_allocation(0);
            cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu", (unsigned long long)k);
            cr_assert_null(out);
        }
    }
    sheaf_ctx_free(ctx);
    sheaf_frame_free(l);
    sheaf_frame_free(r);
}

/* ---- as-of ---------------------------------------------------------------------- */

Test(join_asof, matches_pandas_merge_asof_on_unsorted_input)
{
    sheaf_frame *l = left_input(4, true), *r = right_input(3, true), *j = NULL;
    sheaf_ctx *ctx = gt_ctx(2, 4);
    cr_assert_eq(sheaf_frame_join_asof(ctx, l, r, "t", on_ks, 2, &j), SHEAF_OK, "%s",
                 sheaf_last_error());
    cr_assert_eq(sheaf_frame_num_rows(j), GROUP_N_ROWS);
    cr_assert_eq(sheaf_frame_num_columns(j), 5, "k s x t v");
    size_t checked = 0;
    for (size_t i = 0; i < GROUP_N_ROWS; i++) {
        if (!asof_checked[i]) continue;
        gt_close(gt_f64(j, "v")[i], asof_v[i], "v", i);
        checked++;
    }
    cr_assert_gt(checked, 200);
    sheaf_frame_free(j);
    sheaf_ctx_free(ctx);
    sheaf_frame_free(l);
    sheaf_frame_free(r);
}

Test(join_asof, takes_the_last_right_row_among_ties_and_matches_missing_by_keys)
{
    sheaf_frame *l, *r, *j = NULL;
    cr_assert_eq(sheaf_frame_create(&l), SHEAF_OK);
    cr_assert_eq(sheaf_frame_create(&r), SHEAF_OK);
    const double lt[] = {5, 5, 1, NAN, 9};
    const char *lb[] = {"a", NULL, "a", "a", "b"};
    const double rt[] = {5, 2, 5, 4, 6};
    const char *rb[] = {"a", NULL, "a", "a", "a"};
    const int64_t rv[] = {100, 101, 102, 103, 104};
    cr_assert_eq(sheaf_frame_add_float64(l, "t", lt, NULL, 5), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(l, "b", lb, 5), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(r, "t", rt, NULL, 5), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(r, "b", rb, 5), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(r, "v", rv, NULL, 5), SHEAF_OK);
    r = gt_rows(r, 8);
    const char *by[] = {"b"};
    cr_assert_eq(sheaf_frame_join_asof(NULL, l, r, "t", by, 1, &j), SHEAF_OK, "%s",
                 sheaf_last_error());
    /* t=5,a -> rows 0 and 2 tie at 5: the later, 102; t=5,missing -> 101;
     * t=1,a -> none; t=NaN -> none; t=9,b -> none. */
    const int64_t want[] = {102, 101, 0, 0, 0};
    const bool valid[] = {true, true, false, false, false};
    for (size_t i = 0; i < 5; i++) {
        cr_assert_eq(gt_valid(j, "v", i), valid[i], "row %zu", i);
        if (valid[i]) cr_assert_eq(gt_i64(j, "v")[i], want[i], "row %zu", i);
    }
    sheaf_frame_free(j);
    sheaf_frame_free(l);
    sheaf_frame_free(r);
}

Test(join_asof, reports_on_columns_of_the_wrong_or_different_types)
{
    sheaf_frame *l = left_input(2, true), *r = right_input(1, false), *out = (sheaf_frame *)1;
    gt_error(sheaf_frame_join_asof(NULL, l, l, "s", NULL, 0, &out), &out,
             SHEAF_ERR_INVALID_ARGUMENT, "on column 's' is a string column on the left");
    out = (sheaf_frame *)1;
    gt_error(sheaf_frame_join_asof(NULL, l, r, "t", NULL, 0, &out), &out,
             SHEAF_ERR_INVALID_ARGUMENT, "no column named 't'");
    out = (sheaf_frame *)1;
    gt_error(sheaf_frame_join_asof(NULL, l, r, "x", NULL, 0, &out), &out,
             SHEAF_ERR_INVALID_ARGUMENT, "no column named 'x'");
    sheaf_frame *rf;
    cr_assert_eq(sheaf_frame_create(&rf), SHEAF_OK);
    const double t[] = {1.5};
    cr_assert_eq(sheaf_frame_add_float64(rf, "t", t, NULL, 1), SHEAF_OK);
    out = (sheaf_frame *)1;
    gt_error(sheaf_frame_join_asof(NULL, l, rf, "t", NULL, 0, &out), &out,
             SHEAF_ERR_INVALID_ARGUMENT, "on column 't' is int64 on the left but float64");
    const char *by[] = {"s"};
    out = (sheaf_frame *)1;
    gt_error(sheaf_frame_join_asof(NULL, l, rf, "t", by, 1, &out), &out, SHEAF_ERR_INVALID_ARGUMENT,
             "on column 't' is int64");
    sheaf_frame_free(rf);
    sheaf_frame_free(l);
    sheaf_frame_free(r);
}

Test(join_asof, fails_cleanly_at_every_allocation)
{
    sheaf_frame *l = left_input(3, true), *r = right_input(2, true), *out = NULL;
    sheaf_ctx *ctx = gt_ctx(1, 2);
    sheaf_debug_fail_allocation(0);
    cr_assert_eq(sheaf_frame_join_asof(ctx, l, r, "t", on_ks, 2, &out), SHEAF_OK);
    uint64_t count = sheaf_debug_fail_allocation(0);
    sheaf_frame_free(out);
    for (uint64_t k = 1; k <= count; k++) {
        out = (sheaf_frame *)1;
        sheaf_debug_fail_allocation(k);
        sheaf_status st = sheaf_frame_join_asof(ctx, l, r, "t", on_ks, 2, &out);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu", (unsigned long long)k);
        cr_assert_null(out);
    }
    sheaf_ctx_free(ctx);
    sheaf_frame_free(l);
    sheaf_frame_free(r);
}
