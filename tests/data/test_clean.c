/* test_clean.c - sheaf_frame_drop_missing, sheaf_frame_fill_missing(_string)
 * and sheaf_frame_select: exact rows and partition tables on hand-made
 * frames, empty partitions, determinism across thread counts, bad input and
 * allocation failures. */
#include "clean_test_util.h"

/* Rows 0..5 in 3 partitions of 2:
 *   x: 1    NaN  3    4    NaN  6
 *   k: 10   20   30   -    50   60
 *   s: a    b    -    d    e    f      (- = missing) */
static sheaf_frame *small(size_t parts)
{
    const double x[] = {1, NAN, 3, 4, NAN, 6};
    const int64_t k[] = {10, 20, 30, 0, 50, 60};
    const uint8_t kv[] = {1, 1, 1, 0, 1, 1};
    const char *s[] = {"a", "b", NULL, "d", "e", "f"};
    sheaf_frame *f = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, 6), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", k, kv, 6), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "s", s, 6), SHEAF_OK);
    return cut(f, parts);
}

static void assert_offsets(const sheaf_frame *f, const size_t *want, size_t n_parts)
{
    cr_assert_eq(sheaf_frame_num_partitions(f), n_parts);
    for (size_t p = 0; p < n_parts; p++) {
        size_t b, e;
        cr_assert_eq(sheaf_frame_partition_range(f, p, &b, &e), SHEAF_OK);
        cr_assert_eq(b, want[p], "partition %zu begins at %zu, want %zu", p, b, want[p]);
        cr_assert_eq(e, want[p + 1], "partition %zu ends at %zu, want %zu", p, e, want[p + 1]);
    }
}

static sheaf_frame *drop(const sheaf_frame *in, const char *const *subset, size_t n)
{
    sheaf_frame *out = NULL;
    sheaf_status st = sheaf_frame_drop_missing(NULL, in, subset, n, &out);
    cr_assert_eq(st, SHEAF_OK, "%s", sheaf_last_error());
    return out;
}

Test(drop_missing, drops_rows_missing_in_any_column_and_recuts_partitions)
{
    sheaf_frame *in = small(3);
    sheaf_frame *out = drop(in, NULL, 0);
    cr_assert_eq(sheaf_frame_num_rows(out), 2);
    const double want_x[] = {1, 6};
    assert_doubles(f64_of(out, "x"), want_x, 2);
    const int64_t want_k[] = {10, 60};
    const int all[] = {1, 1};
    assert_ints(out, "k", want_k, all, 2);
    cr_assert_str_eq(str_of(out, "s", 0), "a");
    cr_assert_str_eq(str_of(out, "s", 1), "f");
    const size_t offsets[] = {0, 1, 1, 2};
    assert_offsets(out, offsets, 3);
    cr_assert_eq(sheaf_frame_column_missing(out, col_of(out, "k")), 0);
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(drop_missing, a_subset_looks_only_at_its_columns)
{
    sheaf_frame *in = small(3);
    const char *by_x[] = {"x"};
    sheaf_frame *out = drop(in, by_x, 1);
    const double want_x[] = {1, 3, 4, 6};
    assert_doubles(f64_of(out, "x"), want_x, 4);
    const int64_t want_k[] = {10, 30, 0, 60};
    const int kp[] = {1, 1, 0, 1};
    assert_ints(out, "k", want_k, kp, 4);
    cr_assert_null(str_of(out, "s", 1));
    const size_t offsets[] = {0, 1, 3, 4};
    assert_offsets(out, offsets, 3);
    sheaf_frame_free(out);

    const char *by_s_k[] = {"s", "k"};
    out = drop(in, by_s_k, 2);
    const double want_x2[] = {1, NAN, NAN, 6};
    assert_doubles(f64_of(out, "x"), want_x2, 4);
    cr_assert_str_eq(str_of(out, "s", 2), "e");
    const size_t offsets2[] = {0, 2, 2, 4};
    assert_offsets(out, offsets2, 3);
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(drop_missing, empty_partitions_and_single_row_partitions_work)
{
    sheaf_frame *in = small(8); /* sizes 0 or 1 */
    sheaf_frame *out = drop(in, NULL, 0);
    cr_assert_eq(sheaf_frame_num_rows(out), 2);
    cr_assert_eq(sheaf_frame_num_partitions(out), 8);
    const double want_x[] = {1, 6};
    assert_doubles(f64_of(out, "x"), want_x, 2);
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(drop_missing, a_frame_without_missing_values_is_returned_whole)
{
    const double x[] = {1, 2, 3};
    sheaf_frame *f = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, 3), SHEAF_OK);
    sheaf_frame *out = drop(f, NULL, 0);
    assert_doubles(f64_of(out, "x"), x, 3);
    sheaf_frame_free(out);
    sheaf_frame_free(f);
}

Test(drop_missing, result_is_identical_for_1_2_and_4_threads)
{
    sheaf_frame *in = random_frame(20000, 13);
    sheaf_frame *outs[3];
    const int threads[] = {1, 2, 4};
    for (int t = 0; t < 3; t++) {
        sheaf_ctx *ctx = ctx_threads(threads[t]);
        cr_assert_eq(sheaf_frame_drop_missing(ctx, in, NULL, 0, &outs[t]), SHEAF_OK);
        sheaf_ctx_free(ctx);
    }
    size_t n = sheaf_frame_num_rows(outs[0]);
    cr_assert(n > 10000 && n < 14000, "%zu rows kept", n);
    for (int t = 1; t < 3; t++) {
        cr_assert_eq(sheaf_frame_num_rows(outs[t]), n);
        cr_assert_eq(memcmp(f64_of(outs[t], "x"), f64_of(outs[0], "x"), n * sizeof(double)), 0);
        cr_assert_eq(memcmp(i64_of(outs[t], "t"), i64_of(outs[0], "t"), n * sizeof(int64_t)), 0);
    }
    for (size_t i = 0; i < n; i++)
        cr_assert(!isnan(f64_of(outs[0], "x")[i]) && present(outs[0], "k", i) &&
                  str_of(outs[0], "s", i) && present(outs[0], "t", i));
    for (int t = 0; t < 3; t++)
        sheaf_frame_free(outs[t]);
    sheaf_frame_free(in);
}

Test(drop_missing, bad_input_names_the_problem)
{
    sheaf_frame *in = small(1), *out = (sheaf_frame *)1;
    const char *bad[] = {"x", "zz"};
    assert_error(sheaf_frame_drop_missing(NULL, in, bad, 2, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_frame_drop_missing: no column named 'zz'");
    cr_assert_null(out);
    assert_error(sheaf_frame_drop_missing(NULL, in, NULL, 1, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "subset is NULL");
    assert_error(sheaf_frame_drop_missing(NULL, NULL, NULL, 0, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "in or out is NULL");
    sheaf_frame_free(in);
}

static sheaf_status drop_all(const sheaf_frame *in, sheaf_frame **out)
{
    return sheaf_frame_drop_missing(one_thread(), in, NULL, 0, out);
}

static sheaf_status fill_k(const sheaf_frame *in, sheaf_frame **out)
{
    return sheaf_frame_fill_missing(one_thread(), in, "k", 7, out);
}

static sheaf_status fill_s(const sheaf_frame *in, sheaf_frame **out)
{
    return sheaf_frame_fill_missing_string(one_thread(), in, "s", "new", out);
}

static sheaf_status select_two(const sheaf_frame *in, sheaf_frame **out)
{
    const char *names[] = {"s", "x"};
    return sheaf_frame_select(in, names, 2, out);
}

Test(clean, each_failed_allocation_reports_nomem_and_leaks_nothing)
{
    sheaf_frame *in = small(3);
    fail_each_allocation(drop_all, in, "sheaf_frame_drop_missing");
    fail_each_allocation(fill_k, in, "sheaf_frame_fill_missing");
    fail_each_allocation(fill_s, in, "sheaf_frame_fill_missing_string");
    fail_each_allocation(select_two, in, "sheaf_frame_select");
    sheaf_frame_free(in);
}

/* ---- fill ---------------------------------------------------------------- */

Test(fill_missing, fills_float_and_int_columns_and_keeps_int_type)
{
    sheaf_frame *in = small(3), *out = NULL;
    cr_assert_eq(sheaf_frame_fill_missing(NULL, in, "x", -0.5, &out), SHEAF_OK);
    const double want_x[] = {1, -0.5, 3, 4, -0.5, 6};
    assert_doubles(f64_of(out, "x"), want_x, 6);
    cr_assert_eq(sheaf_frame_column_missing(out, col_of(out, "x")), 0);
    cr_assert_null(sheaf_frame_column_validity(out, col_of(out, "x")));
    /* the untouched columns are shared, not copied */
    cr_assert_eq(i64_of(out, "k"), i64_of(in, "k"));
    sheaf_frame *out2 = NULL;
    cr_assert_eq(sheaf_frame_fill_missing(NULL, out, "k", -3, &out2), SHEAF_OK);
    cr_assert_eq(sheaf_frame_column_type(out2, col_of(out2, "k")), SHEAF_TYPE_INT64);
    const int64_t want_k[] = {10, 20, 30, -3, 50, 60};
    const int all[] = {1, 1, 1, 1, 1, 1};
    assert_ints(out2, "k", want_k, all, 6);
    cr_assert_eq(sheaf_frame_num_partitions(out2), 3);
    sheaf_frame_free(out2);
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(fill_missing, nan_or_nothing_missing_leaves_the_column)
{
    sheaf_frame *in = small(2), *out = NULL;
    cr_assert_eq(sheaf_frame_fill_missing(NULL, in, "x", NAN, &out), SHEAF_OK);
    cr_assert_eq(sheaf_frame_column_missing(out, col_of(out, "x")), 2);
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(fill_missing, strings_reuse_an_existing_value_or_add_a_new_one)
{
    sheaf_frame *in = small(3), *out = NULL;
    cr_assert_eq(sheaf_frame_fill_missing_string(NULL, in, "s", "d", &out), SHEAF_OK);
    cr_assert_str_eq(str_of(out, "s", 2), "d");
    const int32_t *codes;
    size_t dict_size;
    cr_assert_eq(sheaf_frame_column_codes(out, col_of(out, "s"), &codes, &dict_size), SHEAF_OK);
    cr_assert_eq(dict_size, 5);
    cr_assert_eq(codes[2], codes[3]);
    sheaf_frame_free(out);
    cr_assert_eq(sheaf_frame_fill_missing_string(NULL, in, "s", "zz", &out), SHEAF_OK);
    cr_assert_str_eq(str_of(out, "s", 2), "zz");
    cr_assert_str_eq(str_of(out, "s", 5), "f");
    cr_assert_eq(sheaf_frame_column_missing(out, col_of(out, "s")), 0);
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(fill_missing, bad_input_names_column_type_and_value)
{
    sheaf_frame *in = small(1), *out = (sheaf_frame *)1;
    assert_error(sheaf_frame_fill_missing(NULL, in, "k", 1.5, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "fill value 1.5 is not an integer, and column 'k' is int64");
    cr_assert_null(out);
    assert_error(sheaf_frame_fill_missing(NULL, in, "k", 1e19, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "fill value 1e+19 is not an integer");
    assert_error(sheaf_frame_fill_missing(NULL, in, "s", 0, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_frame_fill_missing: column 's' is string");
    assert_error(sheaf_frame_fill_missing_string(NULL, in, "x", "a", &out),
                 SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_frame_fill_missing_string: column 'x' is float64");
    assert_error(sheaf_frame_fill_missing_string(NULL, in, "s", NULL, &out),
                 SHEAF_ERR_INVALID_ARGUMENT, "value is NULL");
    assert_error(sheaf_frame_fill_missing(NULL, in, "nope", 0, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "no column named 'nope'");
    cr_assert_null(out);
    sheaf_frame_free(in);
}

/* ---- select ---------------------------------------------------------------- */

Test(select, shares_the_named_columns_in_order)
{
    sheaf_frame *in = small(3), *out = NULL;
    cr_assert_eq(select_two(in, &out), SHEAF_OK);
    cr_assert_eq(sheaf_frame_num_columns(out), 2);
    cr_assert_str_eq(sheaf_frame_column_name(out, 0), "s");
    cr_assert_eq(f64_of(out, "x"), f64_of(in, "x"));
    cr_assert_eq(sheaf_frame_num_partitions(out), 3);
    sheaf_frame_free(in); /* the shared columns outlive the frame they came from */
    cr_assert_str_eq(str_of(out, "s", 5), "f");
    sheaf_frame_free(out);
}

Test(select, unknown_or_repeated_names_are_invalid)
{
    sheaf_frame *in = small(1), *out = (sheaf_frame *)1;
    const char *twice[] = {"x", "x"};
    assert_error(sheaf_frame_select(in, twice, 2, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "column 'x' is selected twice");
    cr_assert_null(out);
    const char *unknown[] = {"q"};
    assert_error(sheaf_frame_select(in, unknown, 1, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_frame_select: no column named 'q'");
    sheaf_frame_free(in);
}
