/* test_frame.c - the columnar frame: construction, accessors, missing
 * values, misuse messages and allocation failures. */
#include "sheaf_frame.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

static void assert_error(sheaf_status got, sheaf_status want, const char *fragment)
{
    cr_assert_eq(got, want, "status %s, want %s", sheaf_status_name(got), sheaf_status_name(want));
    cr_assert(strstr(sheaf_last_error(), fragment), "message '%s' lacks '%s'", sheaf_last_error(),
              fragment);
}

static sheaf_frame *new_frame(void)
{
    sheaf_frame *f = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    return f;
}

Test(frame, create_gives_an_empty_frame_with_one_partition)
{
    sheaf_frame *f = new_frame();
    cr_assert_eq(sheaf_frame_num_rows(f), 0);
    cr_assert_eq(sheaf_frame_num_columns(f), 0);
    cr_assert_eq(sheaf_frame_num_partitions(f), 1);
    size_t b = 9, e = 9;
    cr_assert_eq(sheaf_frame_partition_range(f, 0, &b, &e), SHEAF_OK);
    cr_assert_eq(b, 0);
    cr_assert_eq(e, 0);
    sheaf_frame_free(f);
    sheaf_frame_free(NULL);
    assert_error(sheaf_frame_create(NULL), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_frame_create: out is NULL");
}

Test(frame, columns_of_every_type_read_back_as_added)
{
    sheaf_frame *f = new_frame();
    const double x[4] = {1.5, -2.0, 0.0, 1e300};
    const int64_t n[4] = {1, -2, INT64_MAX, INT64_MIN};
    const int64_t ts[4] = {0, 86400, 172800, -1};
    const char *s[4] = {"b", "a", "b", "c"};
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, 4), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "n", n, NULL, 4), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_timestamp(f, "t", ts, NULL, 4, SHEAF_TIME_S), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "s", s, 4), SHEAF_OK);
    cr_assert_eq(sheaf_frame_num_rows(f), 4);
    cr_assert_eq(sheaf_frame_num_columns(f), 4);

    const char *names[4] = {"x", "n", "t", "s"};
    const sheaf_type types[4] = {SHEAF_TYPE_FLOAT64, SHEAF_TYPE_INT64, SHEAF_TYPE_TIMESTAMP,
                                 SHEAF_TYPE_STRING};
    for (size_t c = 0; c < 4; c++) {
        size_t idx = 99;
        cr_assert_eq(sheaf_frame_column_index(f, names[c], &idx), SHEAF_OK);
        cr_assert_eq(idx, c);
        cr_assert_str_eq(sheaf_frame_column_name(f, c), names[c]);
        cr_assert_eq(sheaf_frame_column_type(f, c), types[c]);
        cr_assert_eq(sheaf_frame_column_missing(f, c), 0);
        cr_assert_null(sheaf_frame_column_validity(f, c));
    }
    cr_assert_eq(sheaf_frame_column_time_unit(f, 2), SHEAF_TIME_S);
    cr_assert_eq(sheaf_frame_column_time_unit(f, 1), SHEAF_TIME_NS, "non-timestamps report NS");

    const double *xv;
    const int64_t *nv, *tv;
    const int32_t *codes;
    size_t dict_size;
    cr_assert_eq(sheaf_frame_column_float64(f, 0, &xv), SHEAF_OK);
    cr_assert_neq(xv, x, "the frame copies the data");
    cr_assert_eq(memcmp(xv, x, sizeof x), 0);
    cr_assert_eq(sheaf_frame_column_int64(f, 1, &nv), SHEAF_OK);
    cr_assert_eq(memcmp(nv, n, sizeof n), 0);
    cr_assert_eq(sheaf_frame_column_int64(f, 2, &tv), SHEAF_OK, "timestamps read as int64");
    cr_assert_eq(memcmp(tv, ts, sizeof ts), 0);
    cr_assert_eq(sheaf_frame_column_codes(f, 3, &codes, &dict_size), SHEAF_OK);
    cr_assert_eq(dict_size, 3);
    /* Codes follow first appearance. */
    const int32_t want_codes[4] = {0, 1, 0, 2};
    cr_assert_eq(memcmp(codes, want_codes, sizeof want_codes), 0);
    cr_assert_str_eq(sheaf_frame_dict_value(f, 3, 0), "b");
    cr_assert_str_eq(sheaf_frame_dict_value(f, 3, 1), "a");
    cr_assert_str_eq(sheaf_frame_dict_value(f, 3, 2), "c");
    cr_assert_null(sheaf_frame_dict_value(f, 3, 3));
    cr_assert_null(sheaf_frame_dict_value(f, 3, -1));
    cr_assert_null(sheaf_frame_dict_value(f, 0, 0), "not a string column");
    sheaf_frame_free(f);
}

Test(frame, out_of_range_accessors_return_neutral_values)
{
    sheaf_frame *f = new_frame();
    const double x[2] = {1, 2};
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, 2), SHEAF_OK);
    cr_assert_null(sheaf_frame_column_name(f, 1));
    cr_assert_eq(sheaf_frame_column_type(f, 1), SHEAF_TYPE_AUTO);
    cr_assert_eq(sheaf_frame_column_missing(f, 1), 0);
    cr_assert_null(sheaf_frame_column_validity(f, 1));
    cr_assert_eq(sheaf_frame_num_rows(NULL), 0);
    cr_assert_eq(sheaf_frame_num_columns(NULL), 0);
    cr_assert_eq(sheaf_frame_num_partitions(NULL), 0);
    const double *v;
    assert_error(sheaf_frame_column_float64(f, 5, &v), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_frame_column_float64: column 5 out of range (frame has 1)");
    size_t b, e;
    assert_error(sheaf_frame_partition_range(f, 1, &b, &e), SHEAF_ERR_INVALID_ARGUMENT,
                 "partition 1 out of range (frame has 1)");
    assert_error(sheaf_frame_partition_range(f, 0, NULL, &e), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_frame_partition_range");
    size_t idx;
    assert_error(sheaf_frame_column_index(f, "zz", &idx), SHEAF_ERR_INVALID_ARGUMENT,
                 "no column named 'zz'");
    assert_error(sheaf_frame_column_index(f, NULL, &idx), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_frame_column_index");
    sheaf_frame_free(f);
}

Test(frame, nan_and_validity_both_mark_missing_floats)
{
    sheaf_frame *f = new_frame();
    const double x[5] = {1.0, NAN, 3.0, 4.0, -NAN};
    const uint8_t valid[5] = {1, 1, 0, 1, 1};
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, valid, 5), SHEAF_OK);
    cr_assert_eq(sheaf_frame_column_missing(f, 0), 3);
    const uint8_t *v = sheaf_frame_column_validity(f, 0);
    cr_assert_not_null(v);
    const uint8_t want[5] = {1, 0, 0, 1, 0};
    cr_assert_eq(memcmp(v, want, 5), 0);
    const double *xv;
    cr_assert_eq(sheaf_frame_column_float64(f, 0, &xv), SHEAF_OK);
    cr_assert(isnan(xv[2]), "a row marked missing holds NaN");
    cr_assert_eq(xv[3], 4.0);
    sheaf_frame_free(f);
}

Test(frame, missing_integers_hold_zero_and_missing_strings_code_minus_one)
{
    sheaf_frame *f = new_frame();
    const int64_t n[3] = {5, 6, 7};
    const uint8_t valid[3] = {1, 0, 1};
    const char *s[3] = {NULL, "x", NULL};
    cr_assert_eq(sheaf_frame_add_int64(f, "n", n, valid, 3), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_timestamp(f, "t", n, valid, 3, SHEAF_TIME_NS), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "s", s, 3), SHEAF_OK);
    const int64_t *nv;
    cr_assert_eq(sheaf_frame_column_int64(f, 0, &nv), SHEAF_OK);
    cr_assert_eq(nv[1], 0);
    cr_assert_eq(nv[2], 7);
    cr_assert_eq(sheaf_frame_column_missing(f, 1), 1);
    const int32_t *codes;
    size_t dict_size;
    cr_assert_eq(sheaf_frame_column_codes(f, 2, &codes, &dict_size), SHEAF_OK);
    cr_assert_eq(dict_size, 1);
    cr_assert_eq(codes[0], -1);
    cr_assert_eq(codes[1], 0);
    cr_assert_eq(codes[2], -1);
    cr_assert_eq(sheaf_frame_column_missing(f, 2), 2);
    const uint8_t *v = sheaf_frame_column_validity(f, 2);
    cr_assert(v && v[0] == 0 && v[1] == 1 && v[2] == 0);
    sheaf_frame_free(f);
}

Test(frame, all_present_validity_is_dropped)
{
    sheaf_frame *f = new_frame();
    const double x[2] = {1, 2};
    const uint8_t valid[2] = {1, 7};
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, valid, 2), SHEAF_OK);
    cr_assert_null(sheaf_frame_column_validity(f, 0));
    cr_assert_eq(sheaf_frame_column_missing(f, 0), 0);
    sheaf_frame_free(f);
}

Test(frame, duplicate_names_and_row_count_mismatches_are_rejected)
{
    sheaf_frame *f = new_frame();
    const double x[4] = {1, 2, 3, 4};
    const int64_t n[3] = {1, 2, 3};
    const char *s[3] = {"a", "b", "c"};
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, 4), SHEAF_OK);
    assert_error(sheaf_frame_add_float64(f, "x", x, NULL, 4), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_frame_add_float64: duplicate column name 'x'");
    assert_error(sheaf_frame_add_int64(f, "n", n, NULL, 3), SHEAF_ERR_DIMENSION,
                 "sheaf_frame_add_int64: column 'n' has 3 rows, the frame has 4");
    assert_error(sheaf_frame_add_string(f, "s", s, 3), SHEAF_ERR_DIMENSION,
                 "sheaf_frame_add_string: column 's' has 3 rows, the frame has 4");
    cr_assert_eq(sheaf_frame_num_columns(f), 1, "failed adds leave the frame alone");
    cr_assert_eq(sheaf_frame_num_rows(f), 4);
    sheaf_frame_free(f);
}

Test(frame, accessors_of_the_wrong_type_are_misuse)
{
    sheaf_frame *f = new_frame();
    const double x[2] = {1, 2};
    const char *s[2] = {"a", "b"};
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, 2), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "s", s, 2), SHEAF_OK);
    const int64_t *iv;
    const double *dv;
    const int32_t *codes;
    size_t dict_size;
    assert_error(sheaf_frame_column_int64(f, 0, &iv), SHEAF_ERR_MISUSE,
                 "sheaf_frame_column_int64: column 'x' is float64, not int64");
    assert_error(sheaf_frame_column_float64(f, 1, &dv), SHEAF_ERR_MISUSE,
                 "sheaf_frame_column_float64: column 's' is string, not float64");
    assert_error(sheaf_frame_column_codes(f, 0, &codes, &dict_size), SHEAF_ERR_MISUSE,
                 "column 'x' is float64, not string");
    sheaf_frame_free(f);
}

Test(frame, bad_arguments_to_add_are_invalid)
{
    sheaf_frame *f = new_frame();
    const int64_t n[2] = {1, 2};
    assert_error(sheaf_frame_add_float64(f, "x", NULL, NULL, 2), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_frame_add_float64: frame, name or values is NULL");
    assert_error(sheaf_frame_add_int64(f, NULL, n, NULL, 2), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_frame_add_int64");
    assert_error(sheaf_frame_add_int64(NULL, "n", n, NULL, 2), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_frame_add_int64");
    assert_error(sheaf_frame_add_string(f, "s", NULL, 2), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_frame_add_string");
    assert_error(sheaf_frame_add_timestamp(f, "t", n, NULL, 2, (sheaf_time_unit)7),
                 SHEAF_ERR_INVALID_ARGUMENT, "sheaf_frame_add_timestamp: unknown time unit 7");
    cr_assert_eq(sheaf_frame_num_columns(f), 0);
    /* Zero rows with NULL values is a valid, empty column. */
    cr_assert_eq(sheaf_frame_add_float64(f, "empty", NULL, NULL, 0), SHEAF_OK);
    cr_assert_eq(sheaf_frame_num_rows(f), 0);
    sheaf_frame_free(f);
}

Test(frame, first_column_spreads_rows_over_the_partition_table)
{
    sheaf_frame *f = new_frame();
    const double x[7] = {0};
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, 7), SHEAF_OK);
    size_t b, e;
    cr_assert_eq(sheaf_frame_partition_range(f, 0, &b, &e), SHEAF_OK);
    cr_assert_eq(b, 0);
    cr_assert_eq(e, 7);
    sheaf_frame_free(f);
}

/* Builds a frame with one column of each type, with missing values. */
static sheaf_status build_mixed(sheaf_frame **out)
{
    const double x[3] = {1, NAN, 3};
    const int64_t n[3] = {1, 2, 3};
    const uint8_t valid[3] = {1, 0, 1};
    const char *s[3] = {"p", NULL, "q"};
    sheaf_frame *f = NULL;
    sheaf_status st = sheaf_frame_create(&f);
    if (st == SHEAF_OK) st = sheaf_frame_add_float64(f, "x", x, NULL, 3);
    if (st == SHEAF_OK) st = sheaf_frame_add_int64(f, "n", n, valid, 3);
    if (st == SHEAF_OK) st = sheaf_frame_add_timestamp(f, "t", n, NULL, 3, SHEAF_TIME_NS);
    if (st == SHEAF_OK) st = sheaf_frame_add_string(f, "s", s, 3);
    if (st != SHEAF_OK) {
        sheaf_frame_free(f);
        f = NULL;
    }
    *out = f;
    return st;
}

Test(frame, each_failed_allocation_reports_nomem_and_leaks_nothing)
{
    sheaf_frame *f = NULL;
    sheaf_debug_fail_allocation(0);
    cr_assert_eq(build_mixed(&f), SHEAF_OK);
    uint64_t count = sheaf_debug_fail_allocation(0);
    sheaf_frame_free(f);
    cr_assert_gt(count, 10);
    for (uint64_t k = 1; k <= count; k++) {
        sheaf_debug_fail_allocation(k);
        sheaf_status st = build_mixed(&f);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu of %llu: %s", (unsigned long long)k,
                     (unsigned long long)count, sheaf_status_name(st));
        cr_assert(strstr(sheaf_last_error(), "out of memory"), "allocation %llu: '%s'",
                  (unsigned long long)k, sheaf_last_error());
        cr_assert_null(f);
    }
}
