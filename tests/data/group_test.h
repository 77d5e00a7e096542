/* group_test.h - helpers shared by the test_group_*.c files: building
 * frames, reading result columns, asserting errors. */
#ifndef GROUP_TEST_H
#define GROUP_TEST_H

#include <criterion/criterion.h>
#include <math.h>
#include <sheaf.h>
#include <string.h>

static inline sheaf_ctx *gt_ctx(int threads, size_t partitions)
{
    sheaf_ctx *ctx;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, threads), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_partitions(ctx, partitions), SHEAF_OK);
    return ctx;
}

/* The frame cut into n row ranges (frees in). */
static inline sheaf_frame *gt_rows(sheaf_frame *in, size_t n)
{
    sheaf_frame *out;
    cr_assert_eq(sheaf_frame_partition_rows(NULL, in, n, &out), SHEAF_OK, "%s", sheaf_last_error());
    sheaf_frame_free(in);
    return out;
}

static inline size_t gt_col(const sheaf_frame *f, const char *name)
{
    size_t i;
    cr_assert_eq(sheaf_frame_column_index(f, name, &i), SHEAF_OK, "%s", sheaf_last_error());
    return i;
}

static inline const double *gt_f64(const sheaf_frame *f, const char *name)
{
    const double *v;
    cr_assert_eq(sheaf_frame_column_float64(f, gt_col(f, name), &v), SHEAF_OK, "%s",
                 sheaf_last_error());
    return v;
}

static inline const int64_t *gt_i64(const sheaf_frame *f, const char *name)
{
    const int64_t *v;
    cr_assert_eq(sheaf_frame_column_int64(f, gt_col(f, name), &v), SHEAF_OK, "%s",
                 sheaf_last_error());
    return v;
}

/* The string at row (NULL when missing). */
static inline const char *gt_str(const sheaf_frame *f, const char *name, size_t row)
{
    const int32_t *codes;
    size_t n, c = gt_col(f, name);
    cr_assert_eq(sheaf_frame_column_codes(f, c, &codes, &n), SHEAF_OK, "%s", sheaf_last_error());
    return codes[row] < 0 ? NULL : sheaf_frame_dict_value(f, c, codes[row]);
}

static inline bool gt_valid(const sheaf_frame *f, const char *name, size_t row)
{
    const uint8_t *v = sheaf_frame_column_validity(f, gt_col(f, name));
    return !v || v[row];
}

static inline void gt_str_eq(const char *got, const char *want, size_t row)
{
    if (!want)
        cr_assert_null(got, "row %zu: want missing, got '%s'", row, got);
    else {
        cr_assert_not_null(got, "row %zu: want '%s', got missing", row, want);
        cr_assert_str_eq(got, want, "row %zu", row);
    }
}

/* Equal to 1e-12 relative, NaN equal to NaN. */
static inline void gt_close(double got, double want, const char *what, size_t row)
{
    if (isnan(want)) {
        cr_assert(isnan(got), "%s row %zu: want NaN, got %.17g", what, row, got);
        return;
    }
    cr_assert(fabs(got - want) <= 1e-12 * fabs(want), "%s row %zu: got %.17g want %.17g", what, row,
              got, want);
}

static inline void gt_error(sheaf_status st, sheaf_frame *const *out, sheaf_status want,
                            const char *fragment)
{
    cr_assert_eq(st, want, "got %s: %s", sheaf_status_name(st), sheaf_last_error());
    cr_assert_null(*out, "the out-handle must be NULL after a failure");
    cr_assert(strstr(sheaf_last_error(), fragment), "message '%s' lacks '%s'", sheaf_last_error(),
              fragment);
}

/* Bitwise equality of two frames' columns (names, types, values, validity). */
static inline void gt_frames_identical(const sheaf_frame *a, const sheaf_frame *b)
{
    size_t n = sheaf_frame_num_rows(a);
    cr_assert_eq(n, sheaf_frame_num_rows(b));
    cr_assert_eq(sheaf_frame_num_columns(a), sheaf_frame_num_columns(b));
    for (size_t c = 0; c < sheaf_frame_num_columns(a); c++) {
        const char *name = sheaf_frame_column_name(a, c);
        cr_assert_str_eq(name, sheaf_frame_column_name(b, c));
        sheaf_type t = sheaf_frame_column_type(a, c);
        cr_assert_eq(t, sheaf_frame_column_type(b, c));
        for (size_t i = 0; i < n; i++) {
            cr_assert_eq(gt_valid(a, name, i), gt_valid(b, name, i), "%s row %zu", name, i);
            if (t == SHEAF_TYPE_FLOAT64) {
                double x = gt_f64(a, name)[i], y = gt_f64(b, name)[i];
                cr_assert(memcmp(&x, &y, sizeof x) == 0, "%s row %zu: %.17g vs %.17g", name, i, x,
                          y);
            } else if (t == SHEAF_TYPE_STRING)
                gt_str_eq(gt_str(a, name, i), gt_str(b, name, i), i);
            else
                cr_assert_eq(gt_i64(a, name)[i], gt_i64(b, name)[i], "%s row %zu", name, i);
        }
    }
}

#endif
