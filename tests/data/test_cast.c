/* test_cast.c - sheaf_frame_cast: every supported conversion on hand-made
 * values (pandas' astype(str) spellings, to_numeric(errors="coerce")
 * parsing, truncation and range limits), dictionary codes independent of
 * the thread count, bad input and allocation failures. */
#include "clean_test_util.h"

static sheaf_frame *numbers(size_t parts)
{
    const double x[] = {1.5, 0.1, 1e16, 1e-5, NAN, -0.0, 1e15, -2.9, 1e19, INFINITY};
    const int64_t k[] = {12, -7, 0, 9007199254740993, 0, 5, 5, 5, 5, 5};
    const uint8_t kv[] = {1, 1, 1, 1, 0, 1, 1, 1, 1, 1};
    const int64_t t[] = {0, 1500000000, 1583020800000 * 1000000ll, 1, 2, 3, 4, 5, 6, 7};
    sheaf_frame *f = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, 10), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", k, kv, 10), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_timestamp(f, "t", t, kv, 10, SHEAF_TIME_NS), SHEAF_OK);
    return cut(f, parts);
}

static sheaf_frame *cast(const sheaf_frame *in, const char *column, sheaf_type to, const char *name)
{
    sheaf_frame *out = NULL;
    sheaf_status st = sheaf_frame_cast(NULL, in, column, to, name, &out);
    cr_assert_eq(st, SHEAF_OK, "%s", sheaf_last_error());
    return out;
}

Test(cast, float_to_int_truncates_and_what_int64_cannot_hold_is_missing)
{
    sheaf_frame *in = numbers(3), *out = cast(in, "x", SHEAF_TYPE_INT64, NULL);
    const int64_t want[] = {1, 0, 10000000000000000, 0, 0, 0, 1000000000000000, -2, 0, 0};
    const int p[] = {1, 1, 1, 1, 0, 1, 1, 1, 0, 0};
    assert_ints(out, "x", want, p, 10);
    cr_assert_str_eq(sheaf_frame_column_name(out, 0), "x");
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(cast, int_to_float_under_a_new_name_keeps_the_source)
{
    sheaf_frame *in = numbers(2), *out = cast(in, "k", SHEAF_TYPE_FLOAT64, "kf");
    const double want[] = {12, -7, 0, 9007199254740992.0, NAN, 5, 5, 5, 5, 5};
    assert_doubles(f64_of(out, "kf"), want, 10);
    cr_assert_eq(sheaf_frame_num_columns(out), 4);
    cr_assert_eq(i64_of(out, "k"), i64_of(in, "k"));
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(cast, timestamps_to_raw_int_and_back)
{
    sheaf_frame *in = numbers(2), *raw = cast(in, "t", SHEAF_TYPE_INT64, NULL);
    cr_assert_eq(sheaf_frame_column_type(raw, 2), SHEAF_TYPE_INT64);
    cr_assert_eq(i64_of(raw, "t")[1], 1500000000);
    cr_assert(!present(raw, "t", 4));
    sheaf_frame *back = cast(raw, "t", SHEAF_TYPE_TIMESTAMP, NULL);
    cr_assert_eq(sheaf_frame_column_type(back, 2), SHEAF_TYPE_TIMESTAMP);
    cr_assert_eq(memcmp(i64_of(back, "t"), i64_of(in, "t"), 10 * sizeof(int64_t)), 0);
    sheaf_frame_free(back);
    sheaf_frame_free(raw);
    sheaf_frame_free(in);
}

Test(cast, numbers_format_as_pandas_astype_str)
{
    sheaf_frame *in = numbers(4), *out = cast(in, "x", SHEAF_TYPE_STRING, NULL);
    const char *want[] = {"1.5",  "0.1",   "1e+16", "1e-05", NULL, "-0.0", "1000000000000000.0",
                          "-2.9", "1e+19", "inf"};
    for (size_t i = 0; i < 10; i++) {
        const char *got = str_of(out, "x", i);
        if (!want[i])
            cr_assert_null(got, "row %zu", i);
        else
            cr_assert_str_eq(got, want[i], "row %zu", i);
    }
    sheaf_frame *ks = cast(in, "k", SHEAF_TYPE_STRING, NULL);
    cr_assert_str_eq(str_of(ks, "k", 3), "9007199254740993");
    cr_assert_str_eq(str_of(ks, "k", 1), "-7");
    cr_assert_null(str_of(ks, "k", 4));
    /* codes follow first appearance: "5" is code 4 in every row */
    const int32_t *codes;
    size_t dict_size;
    cr_assert_eq(sheaf_frame_column_codes(ks, col_of(ks, "k"), &codes, &dict_size), SHEAF_OK);
    cr_assert_eq(dict_size, 5);
    for (size_t i = 5; i < 10; i++)
        cr_assert_eq(codes[i], 4);
    sheaf_frame_free(ks);
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(cast, timestamps_format_at_the_finest_precision_of_the_column)
{
    /* rows: 1970-01-01, 1970-01-01 00:00:01.5, 2020-03-01, ... (ns) */
    sheaf_frame *in = numbers(2), *out = cast(in, "t", SHEAF_TYPE_STRING, NULL);
    cr_assert_str_eq(str_of(out, "t", 0), "1970-01-01 00:00:00.000000000");
    cr_assert_str_eq(str_of(out, "t", 1), "1970-01-01 00:00:01.500000000");
    cr_assert_str_eq(str_of(out, "t", 2), "2020-03-01 00:00:00.000000000");
    sheaf_frame_free(out);
    const int64_t days[] = {-86400, 1583020800};
    const int64_t secs[] = {-1, 1583020800 + 3723};
    sheaf_frame *f = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_timestamp(f, "d", days, NULL, 2, SHEAF_TIME_S), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_timestamp(f, "s", secs, NULL, 2, SHEAF_TIME_S), SHEAF_OK);
    out = cast(f, "d", SHEAF_TYPE_STRING, NULL);
    cr_assert_str_eq(str_of(out, "d", 0), "1969-12-31");
    cr_assert_str_eq(str_of(out, "d", 1), "2020-03-01");
    sheaf_frame *out2 = cast(out, "s", SHEAF_TYPE_STRING, NULL);
    cr_assert_str_eq(str_of(out2, "s", 0), "1969-12-31 23:59:59");
    cr_assert_str_eq(str_of(out2, "s", 1), "2020-03-01 01:02:03");
    sheaf_frame_free(out2);
    sheaf_frame_free(out);
    sheaf_frame_free(f);
    sheaf_frame_free(in);
}

static sheaf_frame *texts(void)
{
    const char *s[] = {"1", "x", " 2 ", "1.5", NULL, "1e3", "NA", "-7", "2.0", "1e30", "", "1"};
    sheaf_frame *f = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "s", s, 12), SHEAF_OK);
    return cut(f, 3);
}

Test(cast, strings_parse_like_to_numeric_coerce)
{
    sheaf_frame *in = texts(), *out = cast(in, "s", SHEAF_TYPE_FLOAT64, "f");
    const double want[] = {1, NAN, 2, 1.5, NAN, 1000, NAN, -7, 2, 1e30, NAN, 1};
    assert_doubles(f64_of(out, "f"), want, 12);
    sheaf_frame *ints = cast(in, "s", SHEAF_TYPE_INT64, "i");
    const int64_t want_i[] = {1, 0, 2, 0, 0, 1000, 0, -7, 2, 0, 0, 1};
    const int p[] = {1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1};
    assert_ints(ints, "i", want_i, p, 12);
    sheaf_frame_free(ints);
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(cast, strings_parse_iso_timestamps)
{
    const char *s[] = {"2020-01-02 03:04:05", "bad", NULL, "1969-12-31"};
    sheaf_frame *f = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "s", s, 4), SHEAF_OK);
    sheaf_frame *out = cast(f, "s", SHEAF_TYPE_TIMESTAMP, NULL);
    const int64_t want[] = {1577934245000000000ll, 0, 0, -86400000000000ll};
    const int p[] = {1, 0, 0, 1};
    assert_ints(out, "s", want, p, 4);
    sheaf_frame_free(out);
    sheaf_frame_free(f);
}

Test(cast, same_type_shares_the_column)
{
    sheaf_frame *in = numbers(1), *out = cast(in, "x", SHEAF_TYPE_FLOAT64, "y");
    cr_assert_eq(f64_of(out, "y"), f64_of(in, "x"));
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(cast, string_codes_are_identical_for_1_2_and_4_threads)
{
    sheaf_frame *in = random_frame(20000, 9);
    sheaf_frame *outs[3];
    const int threads[] = {1, 2, 4};
    for (int t = 0; t < 3; t++) {
        sheaf_ctx *ctx = ctx_threads(threads[t]);
        cr_assert_eq(sheaf_frame_cast(ctx, in, "x", SHEAF_TYPE_STRING, NULL, &outs[t]), SHEAF_OK);
        sheaf_ctx_free(ctx);
    }
    const int32_t *c0, *c;
    size_t d0, d;
    cr_assert_eq(sheaf_frame_column_codes(outs[0], 0, &c0, &d0), SHEAF_OK);
    for (int t = 1; t < 3; t++) {
        cr_assert_eq(sheaf_frame_column_codes(outs[t], 0, &c, &d), SHEAF_OK);
        cr_assert_eq(d, d0);
        cr_assert_eq(memcmp(c, c0, 20000 * sizeof *c), 0);
    }
    /* every string reads back to its double */
    const double *x = f64_of(in, "x");
    for (size_t i = 0; i < 20000; i++)
        if (!isnan(x[i])) cr_assert_eq(strtod(str_of(outs[0], "x", i), NULL), x[i]);
    for (int t = 0; t < 3; t++)
        sheaf_frame_free(outs[t]);
    sheaf_frame_free(in);
}

Test(cast, bad_input_names_column_and_types)
{
    sheaf_frame *in = numbers(1), *out = (sheaf_frame *)1;
    assert_error(sheaf_frame_cast(NULL, in, "x", SHEAF_TYPE_TIMESTAMP, NULL, &out),
                 SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_frame_cast: cannot cast column 'x' from float64 to timestamp");
    cr_assert_null(out);
    assert_error(sheaf_frame_cast(NULL, in, "t", SHEAF_TYPE_FLOAT64, NULL, &out),
                 SHEAF_ERR_INVALID_ARGUMENT, "from timestamp to float64");
    assert_error(sheaf_frame_cast(NULL, in, "x", (sheaf_type)9, NULL, &out),
                 SHEAF_ERR_INVALID_ARGUMENT, "unknown target type 9 for column 'x'");
    assert_error(sheaf_frame_cast(NULL, in, "zz", SHEAF_TYPE_INT64, NULL, &out),
                 SHEAF_ERR_INVALID_ARGUMENT, "no column named 'zz'");
    cr_assert_null(out);
    sheaf_frame_free(in);
}

static sheaf_status to_string(const sheaf_frame *in, sheaf_frame **out)
{
    return sheaf_frame_cast(one_thread(), in, "x", SHEAF_TYPE_STRING, NULL, out);
}

static sheaf_status parse_floats(const sheaf_frame *in, sheaf_frame **out)
{
    return sheaf_frame_cast(one_thread(), in, "s", SHEAF_TYPE_FLOAT64, NULL, out);
}

Test(cast, each_failed_allocation_reports_nomem_and_leaks_nothing)
{
    sheaf_frame *in = numbers(3);
    fail_each_allocation(to_string, in, "sheaf_frame_cast");
    sheaf_frame_free(in);
    in = texts();
    fail_each_allocation(parse_floats, in, "sheaf_frame_cast");
    sheaf_frame_free(in);
}
