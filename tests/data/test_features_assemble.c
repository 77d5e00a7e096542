/* test_features_assemble.c - the vector assembler: blocks against the
 * columns they came from (refs.h), int64 conversion, the three missing
 * policies, thread-count determinism, empty partitions, the copy into one
 * matrix, bad input and allocation failures. */
#include "features/fixture.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const XKY[] = {"x", "k", "y"};

/* Expected feature j of fixture row i (NaN where missing). */
static double expected(size_t j, size_t i)
{
    if (j == 0) return FEAT_X[i];
    if (j == 1) return FEAT_K_VALID[i] ? (double)FEAT_K[i] : NAN;
    return FEAT_Y[i];
}

static int same(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

Test(vector_assembler, keep_copies_every_row_into_its_partition_block)
{
    sheaf_frame *f = fixture_frame(6);
    sheaf_design *d = NULL;
    ASSERT_OK(sheaf_vector_assemble(NULL, f, XKY, 2, "y", SHEAF_MISSING_KEEP, &d));
    cr_assert_eq(sheaf_design_num_partitions(d), 6);
    cr_assert_eq(sheaf_design_num_rows(d), FEAT_N);
    cr_assert_eq(sheaf_design_num_features(d), 2);
    cr_assert(sheaf_design_has_label(d));
    cr_assert_str_eq(sheaf_design_feature_name(d, 1), "k");
    cr_assert_null(sheaf_design_feature_name(d, 2));
    size_t row = 0;
    for (size_t p = 0; p < 6; p++) {
        const double *x, *y;
        size_t rows, begin, end;
        ASSERT_OK(sheaf_design_block(d, p, &x, &y, &rows));
        ASSERT_OK(sheaf_frame_partition_range(f, p, &begin, &end));
        cr_assert_eq(rows, end - begin);
        for (size_t i = 0; i < rows; i++, row++) {
            cr_assert(same(x[2 * i], expected(0, row)), "row %zu", row);
            cr_assert(same(x[2 * i + 1], expected(1, row)), "row %zu", row);
            cr_assert_eq(y[i], FEAT_Y[row]);
        }
    }
    sheaf_design_free(d);
    sheaf_frame_free(f);
}

Test(vector_assembler, skip_drops_rows_with_any_missing_feature_or_label)
{
    sheaf_frame *f = fixture_frame(150); /* many empty partitions */
    sheaf_design *d = NULL;
    ASSERT_OK(sheaf_vector_assemble(NULL, f, XKY, 3, NULL, SHEAF_MISSING_SKIP, &d));
    cr_assert_not(sheaf_design_has_label(d));
    size_t n = sheaf_design_num_rows(d), want_rows = 0;
    for (size_t i = 0; i < FEAT_N; i++)
        want_rows += !isnan(FEAT_X[i]) && FEAT_K_VALID[i];
    cr_assert_eq(n, want_rows);
    double *x = malloc(n * 4 * sizeof *x);
    ASSERT_OK(sheaf_design_copy(d, x, 4, NULL));
    size_t r = 0;
    for (size_t i = 0; i < FEAT_N; i++) {
        if (isnan(FEAT_X[i]) || !FEAT_K_VALID[i]) continue;
        for (size_t j = 0; j < 3; j++)
            cr_assert_eq(x[r * 4 + j], expected(j, i), "row %zu", i);
        r++;
    }
    double y1;
    ASSERT_FAILS(sheaf_design_copy(d, NULL, 3, &y1), SHEAF_ERR_INVALID_ARGUMENT, "no label");
    ASSERT_FAILS(sheaf_design_copy(d, x, 2, NULL), SHEAF_ERR_INVALID_ARGUMENT, "ld 2");
    free(x);
    sheaf_design_free(d);
    sheaf_frame_free(f);
}

Test(vector_assembler, error_names_the_column_and_global_row_of_the_first_missing_value)
{
    sheaf_frame *f = fixture_frame(4);
    sheaf_design *d = (sheaf_design *)1;
    size_t first_x = 0, first_k = 0;
    while (!isnan(FEAT_X[first_x]))
        first_x++;
    while (FEAT_K_VALID[first_k])
        first_k++;
    char want[96];
    const char *kx[] = {"k", "x"};
    if (first_k <= first_x)
        snprintf(want, sizeof want, "feature column 'k' has a missing value at row %zu", first_k);
    else
        snprintf(want, sizeof want, "feature column 'x' has a missing value at row %zu", first_x);
    ASSERT_FAILS(sheaf_vector_assemble(NULL, f, kx, 2, NULL, SHEAF_MISSING_ERROR, &d),
                 SHEAF_ERR_INVALID_ARGUMENT, want);
    cr_assert_null(d);
    const char *only_y[] = {"y"};
    ASSERT_FAILS(sheaf_vector_assemble(NULL, f, only_y, 1, "x", SHEAF_MISSING_ERROR, &d),
                 SHEAF_ERR_INVALID_ARGUMENT, "label column 'x' has a missing value");
    ASSERT_OK(sheaf_vector_assemble(NULL, f, only_y, 1, NULL, SHEAF_MISSING_ERROR, &d));
    sheaf_design_free(d);
    sheaf_frame_free(f);
}

Test(vector_assembler, is_bit_identical_for_any_thread_count)
{
    enum { N = 20000 };
    double *a = malloc(N * sizeof *a);
    int64_t *b = malloc(N * sizeof *b);
    for (size_t i = 0; i < N; i++) {
        a[i] = (i % 97 == 0) ? NAN : sin((double)i);
        b[i] = (int64_t)(i * 31 % 1000) - 500;
    }
    sheaf_frame *f0 = NULL, *f = NULL;
    ASSERT_OK(sheaf_frame_create(&f0));
    ASSERT_OK(sheaf_frame_add_float64(f0, "a", a, NULL, N));
    ASSERT_OK(sheaf_frame_add_int64(f0, "b", b, NULL, N));
    ASSERT_OK(sheaf_frame_partition_rows(NULL, f0, 13, &f));
    const char *ab[] = {"b", "a"};
    double *ref = NULL;
    size_t rows = 0;
    for (int threads = 1; threads <= 4; threads *= 2) {
        sheaf_ctx *ctx = fixture_ctx(threads);
        sheaf_design *d = NULL;
        ASSERT_OK(sheaf_vector_assemble(ctx, f, ab, 2, "a", SHEAF_MISSING_SKIP, &d));
        rows = sheaf_design_num_rows(d);
        double *x = malloc(rows * 3 * sizeof *x);
        ASSERT_OK(sheaf_design_copy(d, x, 3, NULL));
        double *y = malloc(rows * sizeof *y);
        ASSERT_OK(sheaf_design_copy(d, NULL, 3, y));
        for (size_t i = 0; i < rows; i++)
            x[i * 3 + 2] = y[i];
        if (!ref) {
            ref = x;
        } else {
            cr_assert(memcmp(ref, x, rows * 3 * sizeof *x) == 0, "threads %d", threads);
            free(x);
        }
        free(y);
        sheaf_design_free(d);
        sheaf_ctx_free(ctx);
    }
    cr_assert_eq(rows, N - (N + 96) / 97);
    for (size_t i = 0, r = 0; i < N; i++) {
        if (i % 97 == 0) continue;
        cr_assert_eq(ref[r * 3], (double)b[i]);
        cr_assert_eq(ref[r * 3 + 1], a[i]);
        cr_assert_eq(ref[r * 3 + 2], a[i]);
        r++;
    }
    free(ref);
    free(a);
    free(b);
    sheaf_frame_free(f);
    sheaf_frame_free(f0);
}

Test(vector_assembler, rejects_strings_unknown_and_repeated_columns)
{
    sheaf_frame *f = fixture_frame(2);
    sheaf_design *d = (sheaf_design *)1;
    const char *s[] = {"x", "cat"}, *u[] = {"nope"}, *t[] = {"x", "x"};
    ASSERT_FAILS(sheaf_vector_assemble(NULL, f, s, 2, NULL, 0, &d), SHEAF_ERR_INVALID_ARGUMENT,
                 "column 'cat' is string, not numeric");
    cr_assert_null(d);
    ASSERT_FAILS(sheaf_vector_assemble(NULL, f, u, 1, NULL, 0, &d), SHEAF_ERR_INVALID_ARGUMENT,
                 "no column named 'nope'");
    ASSERT_FAILS(sheaf_vector_assemble(NULL, f, t, 2, NULL, 0, &d), SHEAF_ERR_INVALID_ARGUMENT,
                 "feature 'x' is named twice");
    ASSERT_FAILS(sheaf_vector_assemble(NULL, f, XKY, 0, NULL, 0, &d), SHEAF_ERR_INVALID_ARGUMENT,
                 "no features");
    ASSERT_FAILS(sheaf_vector_assemble(NULL, f, XKY, 1, "cat", 0, &d), SHEAF_ERR_INVALID_ARGUMENT,
                 "column 'cat' is string");
    ASSERT_FAILS(sheaf_vector_assemble(NULL, f, XKY, 1, NULL, 5, &d), SHEAF_ERR_INVALID_ARGUMENT,
                 "unknown missing policy 5");
    ASSERT_FAILS(sheaf_design_block(NULL, 0, NULL, NULL, NULL), SHEAF_ERR_INVALID_ARGUMENT,
                 "design is NULL");
    ASSERT_OK(sheaf_vector_assemble(NULL, f, XKY, 1, NULL, SHEAF_MISSING_KEEP, &d));
    ASSERT_FAILS(sheaf_design_block(d, 2, NULL, NULL, NULL), SHEAF_ERR_INVALID_ARGUMENT,
                 "partition 2 out of range");
    sheaf_design_free(d);
    sheaf_frame_free(f);
}

Test(vector_assembler, frees_everything_when_any_allocation_fails)
{
    sheaf_frame *f = fixture_frame(3);
    sheaf_ctx *ctx = fixture_ctx(1);
    sheaf_design *d = NULL;
    sheaf_debug_fail_allocation(0);
    ASSERT_OK(sheaf_vector_assemble(ctx, f, XKY, 3, "y", SHEAF_MISSING_SKIP, &d));
    uint64_t count = sheaf_debug_fail_allocation(0);
    sheaf_design_free(d);
    cr_assert_gt(count, 5);
    for (uint64_t k = 1; k <= count; k++) {
        sheaf_debug_fail_allocation(k);
        sheaf_status st = sheaf_vector_assemble(ctx, f, XKY, 3, "y", SHEAF_MISSING_SKIP, &d);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu: %s", (unsigned long long)k,
                     sheaf_last_error());
        cr_assert_null(d);
    }
    sheaf_ctx_free(ctx);
    sheaf_frame_free(f);
}
