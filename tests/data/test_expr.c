/* test_expr.c - sheaf_frame_with_column: every construct of the expression
 * language on a hand-made frame with values worked out by hand (numpy's
 * semantics for NaN, %, round; pandas' for comparisons with missing
 * values), calendar parts in both time units, every error message with its
 * position, the nesting guards, empty partitions, determinism across
 * thread counts and allocation failures. */
#include "clean_test_util.h"

#include <stdio.h>

/* 4 rows:   x     y    k    s     t (UTC)
 *           1     2    5    a     1969-12-31 23:59:59  (Wednesday)
 *           2     0    -    -     2000-02-29 12:34:56  (Tuesday)
 *           NaN   1   -3    b     -
 *           4    -1    0    c     1970-01-01 00:00:00  (Thursday) */
static sheaf_frame *small(size_t parts)
{
    const double x[] = {1, 2, NAN, 4}, y[] = {2, 0, 1, -1};
    const int64_t k[] = {5, 0, -3, 0};
    const uint8_t kv[] = {1, 0, 1, 1}, tv[] = {1, 1, 0, 1};
    const char *s[] = {"a", NULL, "b", "c"};
    const int64_t ts[] = {-1, 951827696, 0, 0};
    int64_t tns[4];
    for (int i = 0; i < 4; i++)
        tns[i] = ts[i] * 1000000000;
    sheaf_frame *f = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, 4), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "y", y, NULL, 4), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", k, kv, 4), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "s", s, 4), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_timestamp(f, "t", tns, tv, 4, SHEAF_TIME_NS), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_timestamp(f, "ts", ts, tv, 4, SHEAF_TIME_S), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "my col", x, NULL, 4), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "a`b", y, NULL, 4), SHEAF_OK);
    return cut(f, parts);
}

static sheaf_frame *with(const sheaf_frame *in, const char *expr)
{
    sheaf_frame *out = NULL;
    sheaf_status st = sheaf_frame_with_column(NULL, in, "out", expr, &out);
    cr_assert_eq(st, SHEAF_OK, "'%s': %s", expr, sheaf_last_error());
    return out;
}

static void expect_floats(const char *expr, const double *want)
{
    sheaf_frame *in = small(2), *out = with(in, expr);
    size_t c = col_of(out, "out");
    cr_assert_eq(sheaf_frame_column_type(out, c), SHEAF_TYPE_FLOAT64, "'%s' is not float64", expr);
    assert_doubles(f64_of(out, "out"), want, 4);
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(present(out, "out", i), !isnan(want[i]), "'%s' row %zu", expr, i);
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

static void expect_ints(const char *expr, const int64_t *want, const int *want_present)
{
    sheaf_frame *in = small(2), *out = with(in, expr);
    cr_assert_eq(sheaf_frame_column_type(out, col_of(out, "out")), SHEAF_TYPE_INT64,
                 "'%s' is not int64", expr);
    assert_ints(out, "out", want, want_present, 4);
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

static const int all[] = {1, 1, 1, 1};

Test(expr_arith, divides_by_zero_to_inf_and_carries_nan)
{
    const double want[] = {0.5, INFINITY, NAN, -4};
    expect_floats("x / y", want);
}

Test(expr_arith, remainder_takes_the_sign_of_the_divisor_as_numpy)
{
    const double want[] = {1, NAN, NAN, -0.0};
    expect_floats("x % y", want);
    const double want2[] = {2, 1, NAN, 2}; /* -1 % 3, -2 % 3, -4 % 3 */
    expect_floats("(x - 2 * x) % 3", want2);
}

Test(expr_arith, power_binds_tighter_than_unary_minus_and_to_the_right)
{
    const double want[] = {-3, -2, NAN, 0};
    expect_floats("-2 ** 2 + x", want);
    const double want2[] = {512, 512, 512, 512};
    expect_floats("2 ** 3 ** 2", want2);
    const double want3[] = {8, 10, NAN, 14}; /* x + 6 + x + 0 - x + x */
    expect_floats("x + 2 * 3 - -x + +0 - x + x * 1", want3);
}

Test(expr_functions, follow_numpy_on_domain_errors)
{
    const double want[] = {log(2.0), -INFINITY, 0, NAN};
    expect_floats("log(y)", want);
    const double want2[] = {sqrt(2.0), 0, 1, NAN};
    expect_floats("sqrt(y)", want2);
    const double want3[] = {exp(1.0) + 2, exp(2.0), NAN, exp(4.0) + 1};
    expect_floats("exp(x) + abs(y)", want3);
    const double want4[] = {1, 2, NAN, 4};
    expect_floats("floor(x / 2) + ceil(x / 2)", want4);
}

Test(expr_functions, round_is_half_to_even_at_the_scaled_value)
{
    const double want[] = {0.2, 0.5, NAN, 1};
    expect_floats("round(x * 0.25, 1)", want);
    const double want2[] = {2, 2, 2, 2};
    expect_floats("round(2.5) + round(-0.5)", want2);
    const double want3[] = {1200, 2500, NAN, 5000}; /* 12.5 -> 12 hundreds */
    expect_floats("round(x * 1250, -2)", want3);
}

Test(expr_compare, comparisons_with_nan_are_false_except_not_equal)
{
    const int64_t gt[] = {0, 1, 0, 1}, ne[] = {1, 0, 1, 1}, eq[] = {1, 1, 0, 1};
    expect_ints("x > 1", gt, all);
    expect_ints("x != 2", ne, all);
    expect_ints("x == x", eq, all);
    const int64_t le[] = {1, 0, 0, 0};
    expect_ints("x <= y", le, all);
}

Test(expr_compare, missing_ints_compare_as_pandas_nan)
{
    const int64_t eq[] = {1, 0, 0, 0}, ne[] = {0, 1, 1, 1}, ge[] = {1, 0, 0, 1};
    expect_ints("k == 5", eq, all);
    expect_ints("k != 5", ne, all);
    expect_ints("k >= 0", ge, all);
}

Test(expr_logic, and_or_not_treat_missing_as_true_like_numpy)
{
    const int64_t want[] = {1, 0, 0, 1};
    expect_ints("x > 0 and y > 0 or not k", want, all);
    const int64_t want2[] = {1, 1, 1, 0};
    expect_ints("not not k", want2, all);
}

Test(expr_conditional, int_branches_stay_exact_int64)
{
    const int64_t want[] = {5, 0, 0, 0};
    expect_ints("if(k > 0, k, 0)", want, all);
    const int64_t want2[] = {7, 0, 7, 0};
    const int p2[] = {1, 0, 1, 1};
    expect_ints("where(x > 1, k, 7)", want2, p2);
    const double want3[] = {0.5, 2, 0.5, 4};
    expect_floats("if(x > 1, x, 0.5)", want3);
}

Test(expr_nulls, isnull_and_notnull_take_every_type)
{
    const double want[] = {1, 2, 0, 1};
    expect_floats("isnull(s) + notnull(x)", want);
    const int64_t want2[] = {0, 1, 0, 0}, want3[] = {1, 1, 0, 1};
    expect_ints("isnull(k)", want2, all);
    expect_ints("notnull(t)", want3, all);
}

Test(expr_casts, int_truncates_toward_zero_and_nan_is_missing)
{
    const int64_t want[] = {1, 3, 0, 6}, neg[] = {-1, -3, 0, -6};
    const int p[] = {1, 1, 0, 1};
    expect_ints("int(x * 1.5)", want, p);
    expect_ints("int(-x * 1.5)", neg, p);
    const int64_t raw[] = {-1, 951827696, 0, 0};
    const int pt[] = {1, 1, 0, 1};
    expect_ints("int(ts)", raw, pt);
    const double want2[] = {6, NAN, -2, 1};
    expect_floats("float(k) + 1", want2);
    const int64_t lit[] = {3, 3, 3, 3};
    expect_ints("3", lit, all);
}

Test(expr_calendar, parts_of_ns_and_s_timestamps_before_and_after_1970)
{
    const int p[] = {1, 1, 0, 1};
    const int64_t year[] = {1969, 2000, 0, 1970}, month[] = {12, 2, 0, 1}, day[] = {31, 29, 0, 1},
                  dow[] = {2, 1, 0, 3}, hour[] = {23, 12, 0, 0}, minute[] = {59, 34, 0, 0};
    const char *col[] = {"t", "ts"};
    char expr[64];
    for (int c = 0; c < 2; c++) {
        snprintf(expr, sizeof expr, "year(%s)", col[c]);
        expect_ints(expr, year, p);
        snprintf(expr, sizeof expr, "month(%s)", col[c]);
        expect_ints(expr, month, p);
        snprintf(expr, sizeof expr, "day(%s)", col[c]);
        expect_ints(expr, day, p);
        snprintf(expr, sizeof expr, "dayofweek(%s)", col[c]);
        expect_ints(expr, dow, p);
        snprintf(expr, sizeof expr, "hour(%s)", col[c]);
        expect_ints(expr, hour, p);
        snprintf(expr, sizeof expr, "minute(%s)", col[c]);
        expect_ints(expr, minute, p);
    }
}

Test(expr_names, backquotes_name_any_column)
{
    const double want[] = {3, 2, NAN, 3};
    expect_floats("`my col` + `a``b`", want);
}

Test(expr_result, a_lone_timestamp_column_stays_a_timestamp_in_its_unit)
{
    sheaf_frame *in = small(1), *out = with(in, "ts");
    size_t c = col_of(out, "out");
    cr_assert_eq(sheaf_frame_column_type(out, c), SHEAF_TYPE_TIMESTAMP);
    cr_assert_eq(sheaf_frame_column_time_unit(out, c), SHEAF_TIME_S);
    cr_assert_eq(i64_of(out, "out")[1], 951827696);
    cr_assert(!present(out, "out", 2));
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(expr_result, an_existing_name_is_replaced_in_place)
{
    sheaf_frame *in = small(2), *out = NULL;
    cr_assert_eq(sheaf_frame_with_column(NULL, in, "y", "y * 10", &out), SHEAF_OK, "%s",
                 sheaf_last_error());
    cr_assert_eq(sheaf_frame_num_columns(out), sheaf_frame_num_columns(in));
    cr_assert_str_eq(sheaf_frame_column_name(out, 1), "y");
    const double want[] = {20, 0, 10, -10};
    assert_doubles(f64_of(out, "y"), want, 4);
    cr_assert_eq(f64_of(out, "x"), f64_of(in, "x")); /* shared, not copied */
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(expr_partitions, empty_and_single_row_partitions_work)
{
    sheaf_frame *in = small(9), *out = with(in, "x * 2");
    const double want[] = {2, 4, NAN, 8};
    assert_doubles(f64_of(out, "out"), want, 4);
    cr_assert_eq(sheaf_frame_num_partitions(out), 9);
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(expr_partitions, result_is_identical_for_1_2_and_4_threads)
{
    sheaf_frame *in = random_frame(30000, 11);
    const char *expr = "log(abs(x)) * k + if(x > 0, sqrt(x), year(t) - hour(t)) + isnull(s)";
    const int threads[] = {1, 2, 4};
    sheaf_frame *outs[3];
    for (int t = 0; t < 3; t++) {
        sheaf_ctx *ctx = ctx_threads(threads[t]);
        cr_assert_eq(sheaf_frame_with_column(ctx, in, "z", expr, &outs[t]), SHEAF_OK, "%s",
                     sheaf_last_error());
        sheaf_ctx_free(ctx);
    }
    for (int t = 1; t < 3; t++)
        cr_assert_eq(memcmp(f64_of(outs[t], "z"), f64_of(outs[0], "z"), 30000 * sizeof(double)), 0);
    /* spot-check one row by hand */
    const double *x = f64_of(in, "x"), *z = f64_of(outs[0], "z");
    const int64_t *k = i64_of(in, "k");
    for (size_t i = 0; i < 30000; i++) {
        if (!(x[i] > 0) || !present(in, "k", i) || !str_of(in, "s", i)) continue;
        cr_assert_eq(z[i], log(fabs(x[i])) * (double)k[i] + sqrt(x[i]) + 0.0);
    }
    for (int t = 0; t < 3; t++)
        sheaf_frame_free(outs[t]);
    sheaf_frame_free(in);
}

static void expect_error(const char *expr, const char *fragment)
{
    sheaf_frame *in = small(1), *out = (sheaf_frame *)1;
    assert_error(sheaf_frame_with_column(NULL, in, "out", expr, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 fragment);
    cr_assert_null(out);
    sheaf_frame_free(in);
}

Test(expr_errors, syntax_errors_give_the_position_and_the_token)
{
    expect_error("log(x) + * y",
                 "sheaf_frame_with_column: expression 'log(x) + * y' at column 10: unexpected '*'");
    expect_error("x +", "expression 'x +' at column 4: unexpected end of expression");
    expect_error("", "at column 1: unexpected end of expression");
    expect_error("(x + y", "at column 7: unexpected end of expression");
    expect_error("x y", "at column 3: unexpected 'y'");
    expect_error("x = y", "at column 3: unexpected '='");
    expect_error("x < y < 1", "at column 7: unexpected '<'");
    expect_error("x and", "at column 6: unexpected end of expression");
    expect_error("`x + 1", "at column 1: unterminated `name`");
    expect_error("x €", "at column 3: unexpected '€'");
}

Test(expr_errors, unknown_names_and_wrong_arity_are_named)
{
    expect_error("x + nope", "at column 5: no column named 'nope'");
    expect_error("`no such`", "no column named 'no such'");
    expect_error("foo(x)", "at column 1: unknown function 'foo'");
    expect_error("1 + log(x, y)", "at column 5: log takes 1 argument, got 2");
    expect_error("if(x, y)", "if takes 3 arguments, got 2");
    expect_error("round()", "round takes 1 or 2 arguments, got 0");
    expect_error("round(x, y)", "round's digits must be an integer literal");
}

Test(expr_errors, strings_and_timestamps_only_where_they_make_sense)
{
    expect_error("s + 1", "at column 1: column 's' is string and cannot be used in arithmetic");
    expect_error("x > s", "at column 5: column 's' is string and cannot be used in a comparison");
    expect_error("s", "column 's' is string and cannot be used in a result");
    expect_error("if(s, 1, 2)", "column 's' is string and cannot be used in a condition");
    expect_error("t * 2", "column 't' is timestamp and cannot be used in arithmetic");
    expect_error("log(t)", "column 't' is timestamp and cannot be used in log()");
    expect_error("year(x)", "at column 6: year() needs a timestamp column; 'x' is float64");
    expect_error("month(int(t))", "month() needs a timestamp column");
}

Test(expr_errors, deep_nesting_is_an_error_not_a_crash)
{
    char expr[4096];
    size_t n = 0;
    for (int i = 0; i < 65; i++)
        expr[n++] = '(';
    expr[n++] = 'x';
    for (int i = 0; i < 65; i++)
        expr[n++] = ')';
    expr[n] = '\0';
    expect_error(expr, "at column 65: nesting deeper than 64 levels");
    memset(expr, '-', 2000);
    strcpy(expr + 2000, "x");
    expect_error(expr, "nesting deeper than 64 levels");
    n = 0;
    for (int i = 0; i < 500; i++)
        n += (size_t)snprintf(expr + n, sizeof expr - n, "x**");
    strcpy(expr + n, "x");
    expect_error(expr, "nesting deeper than 64 levels");
    n = (size_t)snprintf(expr, sizeof expr, "x");
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(expr + n, sizeof expr - n, "+x");
    expect_error(expr, "expression deeper than 256 levels");
    /* 64 levels are fine */
    n = 0;
    for (int i = 0; i < 64; i++)
        expr[n++] = '(';
    expr[n++] = 'x';
    for (int i = 0; i < 64; i++)
        expr[n++] = ')';
    expr[n] = '\0';
    sheaf_frame *in = small(1), *out = with(in, expr);
    sheaf_frame_free(out);
    sheaf_frame_free(in);
}

Test(expr_errors, null_arguments_are_invalid)
{
    sheaf_frame *in = small(1), *out = (sheaf_frame *)1;
    assert_error(sheaf_frame_with_column(NULL, in, "a", NULL, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "in, name, expr or out is NULL");
    cr_assert_null(out);
    sheaf_frame_free(in);
}

Test(expr_errors, each_failed_allocation_reports_nomem_and_leaks_nothing)
{
    sheaf_frame *in = small(3);
    /* One thread: the partitions run in this thread, where the hook counts. */
    sheaf_ctx *ctx = ctx_threads(1);
    sheaf_frame *out = NULL;
    sheaf_debug_fail_allocation(0);
    cr_assert_eq(
        sheaf_frame_with_column(ctx, in, "y", "if(isnull(s), 0, log(x) * k + year(t))", &out),
        SHEAF_OK);
    uint64_t count = sheaf_debug_fail_allocation(0);
    sheaf_frame_free(out);
    cr_assert_gt(count, 5);
    for (uint64_t i = 1; i <= count; i++) {
        out = (sheaf_frame *)1;
        sheaf_debug_fail_allocation(i);
        sheaf_status st =
            sheaf_frame_with_column(ctx, in, "y", "if(isnull(s), 0, log(x) * k + year(t))", &out);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu of %llu gave %s", (unsigned long long)i,
                     (unsigned long long)count, sheaf_status_name(st));
        cr_assert(strstr(sheaf_last_error(), "sheaf_frame_with_column"), "'%s'",
                  sheaf_last_error());
        cr_assert(strstr(sheaf_last_error(), "out of memory"), "'%s'", sheaf_last_error());
        cr_assert_null(out);
    }
    sheaf_ctx_free(ctx);
    sheaf_frame_free(in);
}
