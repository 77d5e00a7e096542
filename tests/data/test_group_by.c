/* test_group_by.c - sheaf_frame_group_by against pandas 1.5 (group_refs.h,
 * written by group/gen_group_refs.py) and hand-computed cases: missing
 * keys and values, string and timestamp results, empty partitions,
 * single-row keys, the key-partitioned merge, determinism across threads,
 * bad input and allocation failures. */
#include "group/group_refs.h"
#include "group_test.h"

static sheaf_frame *reference_input(size_t partitions)
{
    sheaf_frame *f;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", group_in_k, NULL, GROUP_N_ROWS), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "s", (const char *const *)group_in_s, GROUP_N_ROWS),
                 SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "x", group_in_x, NULL, GROUP_N_ROWS), SHEAF_OK);
    return gt_rows(f, partitions);
}

static const char *const ref_keys[] = {"k", "s"};
static const sheaf_agg_spec ref_specs[] = {
    {"x", SHEAF_AGG_COUNT, NULL}, {"x", SHEAF_AGG_SUM, NULL},   {"x", SHEAF_AGG_MEAN, NULL},
    {"x", SHEAF_AGG_MIN, NULL},   {"x", SHEAF_AGG_MAX, NULL},   {"x", SHEAF_AGG_STD, NULL},
    {"x", SHEAF_AGG_VAR, NULL},   {"x", SHEAF_AGG_FIRST, NULL}, {"x", SHEAF_AGG_LAST, NULL}};

static sheaf_frame *reference_result(sheaf_frame *in, int threads)
{
    sheaf_ctx *ctx = gt_ctx(threads, 3);
    sheaf_frame *out = NULL;
    sheaf_status st = sheaf_frame_group_by(ctx, in, ref_keys, 2, ref_specs, 9, &out);
    cr_assert_eq(st, SHEAF_OK, "%s", sheaf_last_error());
    sheaf_ctx_free(ctx);
    return out;
}

static void check_reference(const sheaf_frame *g)
{
    cr_assert_eq(sheaf_frame_num_rows(g), GROUP_N_GROUPS);
    cr_assert_eq(sheaf_frame_num_columns(g), 11);
    const double *want[] = {NULL,          group_out_sum,   group_out_mean,
                            group_out_min, group_out_max,   group_out_std,
                            group_out_var, group_out_first, group_out_last};
    const char *names[] = {NULL,    "x_sum", "x_mean",  "x_min", "x_max",
                           "x_std", "x_var", "x_first", "x_last"};
    for (size_t i = 0; i < GROUP_N_GROUPS; i++) {
        cr_assert_eq(gt_i64(g, "k")[i], group_out_k[i], "row %zu", i);
        gt_str_eq(gt_str(g, "s", i), group_out_s[i], i);
        cr_assert_eq(gt_i64(g, "x_count")[i], group_out_count[i], "row %zu", i);
        for (size_t a = 1; a < 9; a++) {
            gt_close(gt_f64(g, names[a])[i], want[a][i], names[a], i);
            cr_assert_eq(gt_valid(g, names[a], i), !isnan(want[a][i]), "%s row %zu", names[a], i);
        }
    }
}

Test(group_by, matches_pandas_with_missing_keys_and_values)
{
    for (size_t parts = 1; parts <= 7; parts += 3) {
        sheaf_frame *in = reference_input(parts);
        sheaf_frame *g = reference_result(in, 2);
        check_reference(g);
        cr_assert_eq(sheaf_frame_num_partitions(g), 3, "the context's default count");
        sheaf_frame_free(g);
        sheaf_frame_free(in);
    }
}

Test(group_by, gives_the_same_bits_for_1_2_and_4_threads)
{
    sheaf_frame *in = reference_input(16);
    sheaf_frame *one = reference_result(in, 1);
    for (int threads = 2; threads <= 4; threads *= 2) {
        sheaf_frame *other = reference_result(in, threads);
        gt_frames_identical(one, other);
        sheaf_frame_free(other);
    }
    sheaf_frame_free(one);
    sheaf_frame_free(in);
}

Test(group_by, merges_by_concatenation_when_partitioned_by_key)
{
    sheaf_frame *in = reference_input(1), *kt = NULL;
    int64_t *t = malloc(GROUP_N_ROWS * sizeof *t);
    for (size_t i = 0; i < GROUP_N_ROWS; i++)
        t[i] = (int64_t)i;
    cr_assert_eq(sheaf_frame_add_int64(in, "t", t, NULL, GROUP_N_ROWS), SHEAF_OK);
    const char *k[] = {"k"};
    cr_assert_eq(sheaf_frame_partition_by_key_time(NULL, in, k, 1, "t", 5, &kt), SHEAF_OK);
    sheaf_frame *g = reference_result(kt, 2);
    check_reference(g);
    sheaf_frame_free(g);
    sheaf_frame_free(kt);
    sheaf_frame_free(in);
    free(t);
}

Test(group_by, works_with_more_partitions_than_rows_and_single_row_keys)
{
    sheaf_frame *f;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    const char *s[] = {"b", "a", NULL, "b"};
    const int64_t v[] = {5, -7, 9, 11};
    const uint8_t valid[] = {1, 1, 1, 0};
    cr_assert_eq(sheaf_frame_add_string(f, "s", s, 4), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "v", v, valid, 4), SHEAF_OK);
    f = gt_rows(f, 9);
    const char *keys[] = {"s"};
    const sheaf_agg_spec specs[] = {{"v", SHEAF_AGG_SUM, NULL},
                                    {"v", SHEAF_AGG_STD, "sd"},
                                    {"v", SHEAF_AGG_MAX, NULL},
                                    {"s", SHEAF_AGG_COUNT, "n"}};
    sheaf_frame *g = NULL;
    cr_assert_eq(sheaf_frame_group_by(NULL, f, keys, 1, specs, 4, &g), SHEAF_OK, "%s",
                 sheaf_last_error());
    cr_assert_eq(sheaf_frame_num_rows(g), 2);
    gt_str_eq(gt_str(g, "s", 0), "a", 0);
    gt_str_eq(gt_str(g, "s", 1), "b", 1);
    cr_assert_eq(gt_i64(g, "v_sum")[0], -7);
    cr_assert_eq(gt_i64(g, "v_sum")[1], 5);
    cr_assert(isnan(gt_f64(g, "sd")[0]) && isnan(gt_f64(g, "sd")[1]), "one value: NaN");
    cr_assert_eq(gt_i64(g, "v_max")[1], 5);
    cr_assert_eq(gt_i64(g, "n")[1], 2);
    sheaf_frame_free(g);
    sheaf_frame_free(f);
}

Test(group_by, takes_min_and_max_of_strings_by_content_and_of_timestamps)
{
    sheaf_frame *f;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    const int64_t k[] = {1, 1, 1, 2};
    const char *s[] = {"pear", "apple", "zoo", NULL};
    const int64_t ts[] = {30, 10, 20, 0};
    const uint8_t tv[] = {1, 1, 1, 0};
    cr_assert_eq(sheaf_frame_add_int64(f, "k", k, NULL, 4), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "s", s, 4), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_timestamp(f, "t", ts, tv, 4, SHEAF_TIME_S), SHEAF_OK);
    f = gt_rows(f, 2);
    const char *keys[] = {"k"};
    const sheaf_agg_spec specs[] = {{"s", SHEAF_AGG_MIN, NULL},
                                    {"s", SHEAF_AGG_MAX, NULL},
                                    {"t", SHEAF_AGG_MIN, NULL},
                                    {"t", SHEAF_AGG_LAST, NULL}};
    sheaf_frame *g = NULL;
    cr_assert_eq(sheaf_frame_group_by(NULL, f, keys, 1, specs, 4, &g), SHEAF_OK, "%s",
                 sheaf_last_error());
    gt_str_eq(gt_str(g, "s_min", 0), "apple", 0);
    gt_str_eq(gt_str(g, "s_max", 0), "zoo", 0);
    gt_str_eq(gt_str(g, "s_min", 1), NULL, 1);
    cr_assert_eq(sheaf_frame_column_type(g, gt_col(g, "t_min")), SHEAF_TYPE_TIMESTAMP);
    cr_assert_eq(sheaf_frame_column_time_unit(g, gt_col(g, "t_min")), SHEAF_TIME_S);
    cr_assert_eq(gt_i64(g, "t_min")[0], 10);
    cr_assert_eq(gt_i64(g, "t_last")[0], 20);
    cr_assert_not(gt_valid(g, "t_min", 1));
    sheaf_frame_free(g);
    sheaf_frame_free(f);
}

Test(group_by, computes_a_stable_variance_of_values_with_a_huge_mean)
{
    /* Values 1e9 + {4, 7, 13, 16} in two partitions: mean 1e9 + 10, sample
     * variance (36 + 9 + 9 + 36) / 3 = 30 exactly; the naive sum of squares
     * loses every digit at this offset. */
    sheaf_frame *f;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    const int64_t k[] = {0, 0, 0, 0};
    const double x[] = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    cr_assert_eq(sheaf_frame_add_int64(f, "k", k, NULL, 4), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, 4), SHEAF_OK);
    f = gt_rows(f, 2);
    const char *keys[] = {"k"};
    const sheaf_agg_spec specs[] = {{"x", SHEAF_AGG_VAR, NULL}, {"x", SHEAF_AGG_MEAN, NULL}};
    sheaf_frame *g = NULL;
    cr_assert_eq(sheaf_frame_group_by(NULL, f, keys, 1, specs, 2, &g), SHEAF_OK);
    cr_assert_eq(gt_f64(g, "x_var")[0], 30.0);
    cr_assert_eq(gt_f64(g, "x_mean")[0], 1e9 + 10);
    sheaf_frame_free(g);
    sheaf_frame_free(f);
}

Test(group_by, reports_bad_input_naming_the_column)
{
    sheaf_frame *in = reference_input(2), *out = (sheaf_frame *)1;
    const char *bad_key[] = {"nope"};
    gt_error(sheaf_frame_group_by(NULL, in, bad_key, 1, ref_specs, 1, &out), &out,
             SHEAF_ERR_INVALID_ARGUMENT, "no column named 'nope'");
    out = (sheaf_frame *)1;
    gt_error(sheaf_frame_group_by(NULL, in, ref_keys, 0, ref_specs, 1, &out), &out,
             SHEAF_ERR_INVALID_ARGUMENT, "no key columns");
    const sheaf_agg_spec mean_s[] = {{"s", SHEAF_AGG_MEAN, NULL}};
    out = (sheaf_frame *)1;
    gt_error(sheaf_frame_group_by(NULL, in, ref_keys, 1, mean_s, 1, &out), &out,
             SHEAF_ERR_INVALID_ARGUMENT, "cannot take the mean of string column 's'");
    const sheaf_agg_spec unknown[] = {{"x", (sheaf_agg)42, NULL}};
    out = (sheaf_frame *)1;
    gt_error(sheaf_frame_group_by(NULL, in, ref_keys, 1, unknown, 1, &out), &out,
             SHEAF_ERR_INVALID_ARGUMENT, "unknown aggregation 42 for column 'x'");
    const sheaf_agg_spec twice[] = {{"x", SHEAF_AGG_MEAN, NULL}, {"x", SHEAF_AGG_MEAN, NULL}};
    out = (sheaf_frame *)1;
    gt_error(sheaf_frame_group_by(NULL, in, ref_keys, 1, twice, 2, &out), &out,
             SHEAF_ERR_INVALID_ARGUMENT, "duplicate column name 'x_mean'");
    const sheaf_agg_spec no_col[] = {{"zz", SHEAF_AGG_SUM, NULL}};
    out = (sheaf_frame *)1;
    gt_error(sheaf_frame_group_by(NULL, in, ref_keys, 1, no_col, 1, &out), &out,
             SHEAF_ERR_INVALID_ARGUMENT, "no column named 'zz'");
    sheaf_frame_free(in);
}

Test(group_by, fails_cleanly_at_every_allocation)
{
    sheaf_frame *in = reference_input(3);
    sheaf_ctx *ctx = gt_ctx(1, 2);
    sheaf_frame *out = NULL;
    sheaf_debug_fail_allocation(0);
    cr_assert_eq(sheaf_frame_group_by(ctx, in, ref_keys, 2, ref_specs, 9, &out), SHEAF_OK);
    uint64_t count = sheaf_debug_fail_allocation(0);
    sheaf_frame_free(out);
    cr_assert_gt(count, 0);
    for (uint64_t k = 1; k <= count; k++) {
        out = (sheaf_frame *)1;
        sheaf_debug_fail_allocation(k);
        sheaf_status st = sheaf_frame_group_by(ctx, in, ref_keys, 2, ref_specs, 9, &out);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu: %s", (unsigned long long)k,
                     sheaf_status_name(st));
        cr_assert_null(out);
    }
    sheaf_ctx_free(ctx);
    sheaf_frame_free(in);
}
