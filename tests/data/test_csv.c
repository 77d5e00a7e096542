/* test_csv.c - sheaf_csv_read: formats, inference, exact numbers,
 * parallel chunking and every malformed-input message. */
#include <criterion/criterion.h>
#include <math.h>
#include <sheaf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

static const char *write_file(const char *bytes, size_t len)
{
    snprintf(path, sizeof path, "/tmp/sheaf_csv_test_%d.csv", (int)getpid());
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(bytes, 1, len, f), len);
    fclose(f);
    return path;
}

static const char *write_text(const char *text) { return write_file(text, strlen(text)); }

static sheaf_frame *read_ok(const char *file, const sheaf_csv_options *o, int threads)
{
    sheaf_ctx *ctx;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    sheaf_ctx_set_threads(ctx, threads);
    sheaf_frame *f = NULL;
    sheaf_status st = sheaf_csv_read(ctx, file, o, &f);
    cr_assert_eq(st, SHEAF_OK, "status %s: %s", sheaf_status_name(st), sheaf_last_error());
    sheaf_ctx_free(ctx);
    return f;
}

static void expect_error(const char *file, const sheaf_csv_options *o, sheaf_status want,
                         const char *fragment)
{
    sheaf_frame *f = (sheaf_frame *)1;
    sheaf_status st = sheaf_csv_read(NULL, file, o, &f);
    cr_assert_eq(st, want, "got %s: %s", sheaf_status_name(st), sheaf_last_error());
    cr_assert_null(f, "the out-handle must be NULL after a failure");
    cr_assert(strstr(sheaf_last_error(), fragment), "message '%s' lacks '%s'", sheaf_last_error(),
              fragment);
}

static size_t col(const sheaf_frame *f, const char *name)
{
    size_t i;
    cr_assert_eq(sheaf_frame_column_index(f, name, &i), SHEAF_OK, "%s", sheaf_last_error());
    return i;
}

static const double *f64(const sheaf_frame *f, const char *name)
{
    const double *v;
    cr_assert_eq(sheaf_frame_column_float64(f, col(f, name), &v), SHEAF_OK, "%s",
                 sheaf_last_error());
    return v;
}

static const int64_t *i64(const sheaf_frame *f, const char *name)
{
    const int64_t *v;
    cr_assert_eq(sheaf_frame_column_int64(f, col(f, name), &v), SHEAF_OK, "%s", sheaf_last_error());
    return v;
}

static const char *str(const sheaf_frame *f, const char *name, size_t row)
{
    const int32_t *codes;
    size_t n;
    size_t c = col(f, name);
    cr_assert_eq(sheaf_frame_column_codes(f, c, &codes, &n), SHEAF_OK, "%s", sheaf_last_error());
    return codes[row] < 0 ? NULL : sheaf_frame_dict_value(f, c, codes[row]);
}

static void teardown(void) { unlink(path); }

TestSuite(csv_read, .fini = teardown);

Test(csv_read, infers_int_float_string_and_timestamp_columns)
{
    sheaf_frame *f =
        read_ok(write_text("i,x,s,t\n1,2.5,a,2020-01-02\n-3,4,b,2021-12-31\n"), NULL, 1);
    cr_assert_eq(sheaf_frame_num_rows(f), 2);
    cr_assert_eq(sheaf_frame_column_type(f, col(f, "i")), SHEAF_TYPE_INT64);
    cr_assert_eq(sheaf_frame_column_type(f, col(f, "x")), SHEAF_TYPE_FLOAT64);
    cr_assert_eq(sheaf_frame_column_type(f, col(f, "s")), SHEAF_TYPE_STRING);
    cr_assert_eq(sheaf_frame_column_type(f, col(f, "t")), SHEAF_TYPE_TIMESTAMP);
    cr_assert_eq(i64(f, "i")[1], -3);
    cr_assert_eq(f64(f, "x")[1], 4.0);
    cr_assert_str_eq(str(f, "s", 1), "b");
    cr_assert_eq(i64(f, "t")[0], 1577923200LL * 1000000000LL);
    cr_assert_eq(i64(f, "t")[1], 1640908800LL * 1000000000LL);
    sheaf_frame_free(f);
}

Test(csv_read, treats_empty_NA_NaN_and_null_as_missing)
{
    sheaf_frame *f = read_ok(write_text("a,b,c\n1,x,1.5\n,NA,NaN\nnull,,2\nNA,y,null\n"), NULL, 1);
    cr_assert_eq(sheaf_frame_column_type(f, col(f, "a")), SHEAF_TYPE_INT64);
    cr_assert_eq(sheaf_frame_column_missing(f, col(f, "a")), 3);
    const uint8_t *valid = sheaf_frame_column_validity(f, col(f, "a"));
    cr_assert(valid && valid[0] == 1 && valid[1] == 0 && valid[2] == 0 && valid[3] == 0);
    cr_assert_eq(sheaf_frame_column_missing(f, col(f, "b")), 2);
    cr_assert_null(str(f, "b", 1));
    cr_assert_str_eq(str(f, "b", 3), "y");
    cr_assert(isnan(f64(f, "c")[1]) && isnan(f64(f, "c")[3]));
    cr_assert_eq(f64(f, "c")[2], 2.0);
    cr_assert_not_null(sheaf_frame_column_validity(f, col(f, "c")));
    sheaf_frame_free(f);
}

Test(csv_read, all_missing_column_is_float64_nan)
{
    sheaf_frame *f = read_ok(write_text("a,b\n1,\n2,NA\n"), NULL, 1);
    cr_assert_eq(sheaf_frame_column_type(f, col(f, "b")), SHEAF_TYPE_FLOAT64);
    cr_assert(isnan(f64(f, "b")[0]) && isnan(f64(f, "b")[1]));
    sheaf_frame_free(f);
}

Test(csv_read, quoted_fields_keep_delimiters_quotes_and_newlines)
{
    sheaf_frame *f = read_ok(
        write_text("k,v\n\"a,b\",1\n\"say \"\"hi\"\"\",2\n\"two\nlines\",3\n\"\",4\n"), NULL, 1);
    cr_assert_eq(sheaf_frame_num_rows(f), 4);
    cr_assert_str_eq(str(f, "k", 0), "a,b");
    cr_assert_str_eq(str(f, "k", 1), "say \"hi\"");
    cr_assert_str_eq(str(f, "k", 2), "two\nlines");
    cr_assert_null(str(f, "k", 3), "a quoted empty field is missing, as in pandas");
    cr_assert_eq(i64(f, "v")[3], 4);
    sheaf_frame_free(f);
}

Test(csv_read, handles_crlf_bom_blank_lines_and_no_final_newline)
{
    sheaf_frame *f = read_ok(write_text("\xEF\xBB\xBF"
                                        "a,b\r\n1,x\r\n\r\n2,y\r\n\n3,z"),
                             NULL, 1);
    cr_assert_str_eq(sheaf_frame_column_name(f, 0), "a", "the BOM is not part of the name");
    cr_assert_eq(sheaf_frame_num_rows(f), 3);
    cr_assert_eq(i64(f, "a")[2], 3);
    cr_assert_str_eq(str(f, "b", 1), "y", "no CR left in the value");
    cr_assert_str_eq(str(f, "b", 2), "z");
    sheaf_frame_free(f);
}

Test(csv_read, names_empty_and_duplicate_headers_as_pandas)
{
    sheaf_frame *f = read_ok(write_text("a,,a,a\n1,2,3,4\n"), NULL, 1);
    cr_assert_str_eq(sheaf_frame_column_name(f, 1), "Unnamed: 1");
    cr_assert_str_eq(sheaf_frame_column_name(f, 2), "a.1");
    cr_assert_str_eq(sheaf_frame_column_name(f, 3), "a.2");
    sheaf_frame_free(f);
}

Test(csv_read, header_only_file_gives_zero_rows)
{
    sheaf_frame *f = read_ok(write_text("a,b\n"), NULL, 1);
    cr_assert_eq(sheaf_frame_num_rows(f), 0);
    cr_assert_eq(sheaf_frame_num_columns(f), 2);
    sheaf_frame_free(f);
}

Test(csv_read, parses_numbers_exactly_as_strtod)
{
    static const char *const cases[] = {"0.1",
                                        "0.30000000000000004",
                                        "9007199254740993",
                                        "9007199254740992.5",
                                        "1e23",
                                        "8.5e-1",
                                        "2.2250738585072011e-308",
                                        "2.2250738585072014e-308",
                                        "4.9e-324",
                                        "1.7976931348623157e308",
                                        "123456789012345678901234567890",
                                        "-0.0",
                                        "0.000000000000000000000000000001",
                                        "3.14159265358979323846264338327950288",
                                        "1e-400",
                                        "1e400",
                                        "  7.25 ",
                                        "+5.5",
                                        ".5",
                                        "5.",
                                        "1E5",
                                        "-inf",
                                        "Infinity",
                                        "12345678901234567.8",
                                        "0.1e-22",
                                        "1e22",
                                        "1e-22",
                                        "9999999999999999999"};
    size_t n = sizeof cases / sizeof *cases;
    char text[4096] = "x\n";
    for (size_t i = 0; i < n; i++) {
        strcat(text, cases[i]);
        strcat(text, "\n");
    }
    sheaf_frame *f = read_ok(write_text(text), NULL, 1);
    const double *x = f64(f, "x");
    for (size_t i = 0; i < n; i++) {
        double want = strtod(cases[i], NULL);
        cr_assert(memcmp(&x[i], &want, sizeof want) == 0, "'%s': got %.17g, strtod %.17g", cases[i],
                  x[i], want);
    }
    sheaf_frame_free(f);
}

Test(csv_read, keeps_int64_extremes_and_widens_past_them)
{
    sheaf_frame *f = read_ok(write_text("a,b\n9223372036854775807,9223372036854775808\n"
                                        "-9223372036854775808,1\n"),
                             NULL, 1);
    cr_assert_eq(i64(f, "a")[0], INT64_MAX);
    cr_assert_eq(i64(f, "a")[1], INT64_MIN);
    cr_assert_eq(sheaf_frame_column_type(f, col(f, "b")), SHEAF_TYPE_FLOAT64);
    cr_assert_eq(f64(f, "b")[0], 9223372036854775808.0);
    sheaf_frame_free(f);
}

Test(csv_read, parses_iso_dates_times_fractions_and_offsets)
{
    sheaf_frame *f = read_ok(write_text("t\n1970-01-01\n1970-01-01T00:00:01.5\n"
                                        "2000-02-29 12:30\n2020-06-01T10:00:00+02:00\n"
                                        "1969-12-31T23:59:59Z\n"),
                             NULL, 1);
    const int64_t *t = i64(f, "t");
    cr_assert_eq(t[0], 0);
    cr_assert_eq(t[1], 1500000000LL);
    cr_assert_eq(t[2], (951782400LL + 45000) * 1000000000LL);
    cr_assert_eq(t[3], 1590998400LL * 1000000000LL, "+02:00 is two hours ahead of UTC");
    cr_assert_eq(t[4], -1000000000LL);
    sheaf_frame_free(f);
}

Test(csv_read, impossible_dates_make_a_string_column)
{
    sheaf_frame *f = read_ok(write_text("t\n2021-02-29\n2021-03-01\n"), NULL, 1);
    cr_assert_eq(sheaf_frame_column_type(f, 0), SHEAF_TYPE_STRING);
    sheaf_frame_free(f);
}

Test(csv_read, schema_forces_types_and_units)
{
    sheaf_csv_column schema[] = {{"id", SHEAF_TYPE_STRING, SHEAF_TIME_NS},
                                 {"v", SHEAF_TYPE_FLOAT64, SHEAF_TIME_NS},
                                 {"day", SHEAF_TYPE_TIMESTAMP, SHEAF_TIME_S}};
    sheaf_csv_options o = sheaf_csv_options_default();
    o.schema = schema;
    o.schema_len = 3;
    sheaf_frame *f = read_ok(write_text("id,v,day\n007,1,1970-01-02\n"), &o, 1);
    cr_assert_str_eq(str(f, "id", 0), "007", "leading zeros kept in a string column");
    cr_assert_eq(sheaf_frame_column_type(f, col(f, "v")), SHEAF_TYPE_FLOAT64);
    cr_assert_eq(sheaf_frame_column_time_unit(f, col(f, "day")), SHEAF_TIME_S);
    cr_assert_eq(i64(f, "day")[0], 86400);
    sheaf_frame_free(f);
}

Test(csv_read, reads_other_delimiters_and_quotes)
{
    sheaf_csv_options o = sheaf_csv_options_default();
    o.delimiter = ';';
    o.quote = '\'';
    sheaf_frame *f = read_ok(write_text("a;b\n'x;y';1,5\n"), &o, 1);
    cr_assert_str_eq(str(f, "a", 0), "x;y");
    cr_assert_str_eq(str(f, "b", 0), "1,5");
    sheaf_frame_free(f);
}

/* A file of several MiB so the reader splits it across chunks. Column w
 * turns float, and s turns string, only far past the rows used to guess. */
static char *big_text(size_t rows, bool stray_quotes, size_t *len)
{
    size_t cap = rows * 64 + 64, n = 0;
    char *text = malloc(cap);
    n += (size_t)sprintf(text + n, "k,v,w,s,q\n");
    for (size_t r = 0; r < rows; r++) {
        const char *quoted = r % 7 == 0 ? "\"multi\nline, \"\"q\"\"\"" : "plain";
        n += (size_t)sprintf(text + n, "%zu,%.6f,%s,%s,%s%s\n", r % 97, (double)r / 3.0,
                             r == rows - 2 ? "0.5" : "7", r == rows - 3 ? "text" : "11", quoted,
                             stray_quotes && r % 5 == 0 && r % 7 != 0 ? "ab\"c" : "");
    }
    *len = n;
    return text;
}

static void assert_frames_equal(const sheaf_frame *a, const sheaf_frame *b)
{
    cr_assert_eq(sheaf_frame_num_rows(a), sheaf_frame_num_rows(b));
    size_t n = sheaf_frame_num_rows(a);
    for (size_t c = 0; c < sheaf_frame_num_columns(a); c++) {
        cr_assert_eq(sheaf_frame_column_type(a, c), sheaf_frame_column_type(b, c));
        if (sheaf_frame_column_type(a, c) == SHEAF_TYPE_STRING) {
            const int32_t *ca, *cb;
            size_t da, db;
            sheaf_frame_column_codes(a, c, &ca, &da);
            sheaf_frame_column_codes(b, c, &cb, &db);
            cr_assert_eq(da, db);
            cr_assert(memcmp(ca, cb, n * sizeof *ca) == 0, "codes of column %zu differ", c);
        } else if (sheaf_frame_column_type(a, c) == SHEAF_TYPE_FLOAT64) {
            const double *va, *vb;
            sheaf_frame_column_float64(a, c, &va);
            sheaf_frame_column_float64(b, c, &vb);
            cr_assert(memcmp(va, vb, n * sizeof *va) == 0, "column %zu differs", c);
        } else {
            const int64_t *va, *vb;
            sheaf_frame_column_int64(a, c, &va);
            sheaf_frame_column_int64(b, c, &vb);
            cr_assert(memcmp(va, vb, n * sizeof *va) == 0, "column %zu differs", c);
        }
    }
}

Test(csv_read, parallel_chunks_give_the_serial_result_for_any_thread_count)
{
    size_t len, rows = 200000;
    char *text = big_text(rows, false, &len);
    cr_assert_gt(len, 4u << 20, "the file must span several chunks");
    write_file(text, len);
    sheaf_frame *serial = read_ok(path, NULL, 1);
    cr_assert_eq(sheaf_frame_num_rows(serial), rows);
    cr_assert_eq(sheaf_frame_column_type(serial, col(serial, "w")), SHEAF_TYPE_FLOAT64);
    cr_assert_eq(f64(serial, "w")[rows - 2], 0.5);
    cr_assert_eq(sheaf_frame_column_type(serial, col(serial, "s")), SHEAF_TYPE_STRING);
    cr_assert_str_eq(str(serial, "s", rows - 3), "text");
    cr_assert_str_eq(str(serial, "q", 7), "multi\nline, \"q\"");
    char last[64];
    snprintf(last, sizeof last, "%.6f", (double)(rows - 1) / 3.0);
    cr_assert_eq(f64(serial, "v")[rows - 1], strtod(last, NULL));
    for (int threads = 2; threads <= 4; threads++) {
        sheaf_frame *parallel = read_ok(path, NULL, threads);
        assert_frames_equal(serial, parallel);
        sheaf_frame_free(parallel);
    }
    sheaf_frame_free(serial);
    free(text);
}

Test(csv_read, stray_quotes_inside_unquoted_fields_still_parse_correctly)
{
    size_t len, rows = 100000;
    char *text = big_text(rows, true, &len);
    write_file(text, len);
    sheaf_frame *serial = read_ok(path, NULL, 1);
    sheaf_frame *parallel = read_ok(path, NULL, 4);
    cr_assert_eq(sheaf_frame_num_rows(serial), rows);
    cr_assert_str_eq(str(serial, "q", 5), "plainab\"c");
    assert_frames_equal(serial, parallel);
    sheaf_frame_free(serial);
    sheaf_frame_free(parallel);
    free(text);
}

Test(csv_read, splits_the_result_into_the_requested_partitions)
{
    sheaf_csv_options o = sheaf_csv_options_default();
    o.n_partitions = 3;
    sheaf_frame *f = read_ok(write_text("a\n1\n2\n3\n4\n5\n6\n7\n"), &o, 1);
    cr_assert_eq(sheaf_frame_num_partitions(f), 3);
    size_t b, e;
    sheaf_frame_partition_range(f, 2, &b, &e);
    cr_assert_eq(e, 7);
    sheaf_frame_free(f);
}

Test(csv_read, reports_a_missing_file)
{
    expect_error("/nonexistent/dir/data.csv", NULL, SHEAF_ERR_IO,
                 "cannot open '/nonexistent/dir/data.csv': No such file or directory");
}

Test(csv_read, reports_a_directory)
{
    expect_error("/tmp", NULL, SHEAF_ERR_IO, "not a regular file");
}

Test(csv_read, reports_an_empty_file)
{
    expect_error(write_text(""), NULL, SHEAF_ERR_FORMAT, "empty file (no header row)");
    expect_error(write_text("\n\r\n"), NULL, SHEAF_ERR_FORMAT, "empty file");
}

Test(csv_read, reports_a_ragged_row_with_its_line)
{
    expect_error(write_text("a,b\n1,2\n3\n"), NULL, SHEAF_ERR_FORMAT,
                 ":3:1: row has 1 fields, the header has 2");
    expect_error(write_text("a,b\n1,2\n\"x\ny\",2,3\n"), NULL, SHEAF_ERR_FORMAT,
                 ":3:1: row has 3 fields");
}

Test(csv_read, reports_an_unterminated_quote_with_line_and_column)
{
    expect_error(write_text("a,b\n1,2\n3,\"open\n4,5\n"), NULL, SHEAF_ERR_FORMAT,
                 ":3:3: unterminated quote");
}

Test(csv_read, reports_text_after_a_closing_quote)
{
    expect_error(write_text("a\n\"x\"y\n"), NULL, SHEAF_ERR_FORMAT,
                 ":2:4: unexpected character after a closing quote");
}

Test(csv_read, reports_text_in_a_numeric_schema_column)
{
    sheaf_csv_column schema[] = {{"b", SHEAF_TYPE_FLOAT64, SHEAF_TIME_NS}};
    sheaf_csv_options o = sheaf_csv_options_default();
    o.schema = schema;
    o.schema_len = 1;
    expect_error(write_text("a,b\n1,2\n\"q\nq\",2.5\n3,abc\n"), &o, SHEAF_ERR_FORMAT,
                 ":5:3: column 'b' (float64): cannot parse 'abc'");
}

Test(csv_read, reports_an_embedded_nul)
{
    expect_error(write_file("a,b\n1,x\0y\n", 10), NULL, SHEAF_ERR_FORMAT,
                 ":2:4: embedded NUL byte");
}

Test(csv_read, reports_a_line_over_the_limit)
{
    sheaf_csv_options o = sheaf_csv_options_default();
    o.max_line_bytes = 8;
    expect_error(write_text("a,b\n1,2\n123456,789\n"), &o, SHEAF_ERR_FORMAT,
                 ":3:1: line longer than the limit of 8 bytes");
}

Test(csv_read, rejects_bad_options_and_schema)
{
    sheaf_csv_options o = sheaf_csv_options_default();
    o.quote = ',';
    expect_error(write_text("a\n1\n"), &o, SHEAF_ERR_INVALID_ARGUMENT, "must differ");
    sheaf_csv_column schema[] = {{"zz", SHEAF_TYPE_INT64, SHEAF_TIME_NS}};
    o = sheaf_csv_options_default();
    o.schema = schema;
    o.schema_len = 1;
    expect_error(write_text("a\n1\n"), &o, SHEAF_ERR_INVALID_ARGUMENT, "schema names column 'zz'");
    expect_error(NULL, NULL, SHEAF_ERR_INVALID_ARGUMENT, "path is NULL");
}

Test(csv_read, fails_each_allocation_cleanly)
{
    const char *file = write_text("a,b,c\n1,x,2020-01-01\n2,\"y\"\"\",2020-01-02\n");
    sheaf_frame *f = NULL;
    sheaf_debug_fail_allocation(0);
    cr_assert_eq(sheaf_csv_read(NULL, file, NULL, &f), SHEAF_OK);
    uint64_t count = sheaf_debug_fail_allocation(0);
    sheaf_frame_free(f);
    cr_assert_gt(count, 5);
    for (uint64_t k = 1; k <= count; k++) {
        sheaf_debug_fail_allocation(k);
        sheaf_status st = sheaf_csv_read(NULL, file, NULL, &f);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu: %s: %s", (unsigned long long)k,
                     sheaf_status_name(st), sheaf_last_error());
        cr_assert_null(f);
    }
}
