/* test_blas.c - gemm, gemv, syrk and the views against numpy (refs.h) and
 * every failure mode. */
#include "linalg_test.h"

#include <limits.h>

#include "../data/linalg/refs.h"

/* Products of a few O(1) numbers: only the summation order differs from
 * numpy's BLAS, so a few ulps. */
#define BLAS_TOL 1e-13

static sheaf_matrix cview(const double *data, size_t rows, size_t cols)
{
    return sheaf_matrix_view((double *)data, rows, cols);
}

Test(linalg_views, matrix_view_is_dense_and_vector_view_is_contiguous)
{
    double d[6];
    sheaf_matrix m = sheaf_matrix_view(d, 2, 3);
    cr_assert(m.data == d && m.rows == 2 && m.cols == 3 && m.ld == 3);
    sheaf_vector v = sheaf_vector_view(d, 6);
    cr_assert(v.data == d && v.len == 6 && v.inc == 1);
}

Test(linalg_gemm, matches_numpy_for_plain_operands)
{
    double c[6];
    memcpy(c, GEMM_C0, sizeof c);
    assert_ok(sheaf_linalg_gemm(SHEAF_NO_TRANS, SHEAF_NO_TRANS, 1.5, cview(GEMM_A, 3, 4),
                                cview(GEMM_B, 4, 2), -0.5, sheaf_matrix_view(c, 3, 2)));
    assert_all_near(c, GEMM_EXPECTED, 6, BLAS_TOL, "C");
}

Test(linalg_gemm, matches_numpy_for_transposed_operands)
{
    double c[6];
    memcpy(c, GEMM_C0, sizeof c);
    assert_ok(sheaf_linalg_gemm(SHEAF_TRANS, SHEAF_TRANS, 1.5, cview(GEMM_AT, 4, 3),
                                cview(GEMM_BT, 2, 4), -0.5, sheaf_matrix_view(c, 3, 2)));
    assert_all_near(c, GEMM_EXPECTED, 6, BLAS_TOL, "C");
}

Test(linalg_gemm, honours_leading_dimensions_of_every_operand)
{
    double a[3 * 6], b[4 * 5], c[3 * 4];
    for (size_t i = 0; i < 3 * 6; i++)
        a[i] = NAN; /* padding must never be read */
    for (size_t i = 0; i < 4 * 5; i++)
        b[i] = NAN;
    for (size_t i = 0; i < 3 * 4; i++)
        c[i] = -99.0;
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 4; j++)
            a[i * 6 + j] = GEMM_A[i * 4 + j];
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 2; j++)
            b[i * 5 + j] = GEMM_B[i * 2 + j];
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 2; j++)
            c[i * 4 + j] = GEMM_C0[i * 2 + j];
    sheaf_matrix am = {a, 3, 4, 6}, bm = {b, 4, 2, 5}, cm = {c, 3, 2, 4};
    assert_ok(sheaf_linalg_gemm(SHEAF_NO_TRANS, SHEAF_NO_TRANS, 1.5, am, bm, -0.5, cm));
    for (size_t i = 0; i < 3; i++) {
        for (size_t j = 0; j < 2; j++)
            assert_near(c[i * 4 + j], GEMM_EXPECTED[i * 2 + j], BLAS_TOL, "C", i * 2 + j);
        cr_assert_eq(c[i * 4 + 2], -99.0, "padding of C was written");
    }
}

Test(linalg_gemm, empty_inner_dimension_scales_c_by_beta)
{
    double c[4] = {1, 2, 3, 4};
    assert_ok(sheaf_linalg_gemm(SHEAF_NO_TRANS, SHEAF_NO_TRANS, 1.0, cview(NULL, 2, 0),
                                cview(NULL, 0, 2), 2.0, sheaf_matrix_view(c, 2, 2)));
    cr_assert(c[0] == 2 && c[1] == 4 && c[2] == 6 && c[3] == 8);
}

Test(linalg_gemm, zero_beta_overwrites_nan_in_c)
{
    double c[6] = {NAN, NAN, NAN, NAN, NAN, NAN};
    assert_ok(sheaf_linalg_gemm(SHEAF_NO_TRANS, SHEAF_NO_TRANS, 1.0, cview(GEMM_A, 3, 4),
                                cview(GEMM_B, 4, 2), 0.0, sheaf_matrix_view(c, 3, 2)));
    for (size_t i = 0; i < 6; i++)
        cr_assert(isfinite(c[i]));
}

Test(linalg_gemm, empty_output_is_a_no_op)
{
    assert_ok(sheaf_linalg_gemm(SHEAF_NO_TRANS, SHEAF_NO_TRANS, 1.0, cview(NULL, 0, 3),
                                cview(GEMM_B, 3, 2), 0.0, cview(NULL, 0, 2)));
}

Test(linalg_gemm, rejects_inner_dimensions_that_differ)
{
    double b[10] = {0}, c[6] = {0};
    assert_fails(sheaf_linalg_gemm(SHEAF_NO_TRANS, SHEAF_NO_TRANS, 1.0, cview(GEMM_A, 3, 4),
                                   sheaf_matrix_view(b, 5, 2), 0.0, sheaf_matrix_view(c, 3, 2)),
                 SHEAF_ERR_DIMENSION,
                 "sheaf_linalg_gemm: inner dimensions differ (A is 3x4, B is 5x2)");
    assert_fails(sheaf_linalg_gemm(SHEAF_TRANS, SHEAF_NO_TRANS, 1.0, cview(GEMM_A, 3, 4),
                                   sheaf_matrix_view(b, 5, 2), 0.0, sheaf_matrix_view(c, 3, 2)),
                 SHEAF_ERR_DIMENSION, "(A' is 4x3, B is 5x2)");
}

Test(linalg_gemm, rejects_c_of_the_wrong_shape)
{
    double c[6] = {0};
    assert_fails(sheaf_linalg_gemm(SHEAF_NO_TRANS, SHEAF_NO_TRANS, 1.0, cview(GEMM_A, 3, 4),
                                   cview(GEMM_B, 4, 2), 0.0, sheaf_matrix_view(c, 2, 3)),
                 SHEAF_ERR_DIMENSION, "C is 2x3 but op(A) op(B) is 3x2");
}

Test(linalg_gemm, rejects_leading_dimension_below_cols)
{
    double c[6] = {0};
    sheaf_matrix a = {(double *)GEMM_A, 3, 4, 3};
    assert_fails(sheaf_linalg_gemm(SHEAF_NO_TRANS, SHEAF_NO_TRANS, 1.0, a, cview(GEMM_B, 4, 2), 0.0,
                                   sheaf_matrix_view(c, 3, 2)),
                 SHEAF_ERR_DIMENSION, "A has ld 3 < cols 4");
}

Test(linalg_gemm, rejects_null_data_with_nonzero_size)
{
    double c[6] = {0};
    assert_fails(sheaf_linalg_gemm(SHEAF_NO_TRANS, SHEAF_NO_TRANS, 1.0, cview(GEMM_A, 3, 4),
                                   cview(NULL, 4, 2), 0.0, sheaf_matrix_view(c, 3, 2)),
                 SHEAF_ERR_INVALID_ARGUMENT, "B is 4x2 but its data is NULL");
}

Test(linalg_gemm, rejects_sizes_beyond_the_blas_integer)
{
    double dummy = 0.0, c = 0.0;
    sheaf_matrix a = {&dummy, (size_t)INT_MAX + 1, 1, 1};
    assert_fails(
        sheaf_linalg_gemm(SHEAF_TRANS, SHEAF_NO_TRANS, 1.0, a, a, 0.0, sheaf_matrix_view(&c, 1, 1)),
        SHEAF_ERR_DIMENSION, "beyond the 32-bit BLAS integer");
}

Test(linalg_gemm, rejects_nan_in_a_and_names_its_position)
{
    double a[12], c[6] = {0};
    memcpy(a, GEMM_A, sizeof a);
    a[1 * 4 + 2] = NAN;
    assert_fails(sheaf_linalg_gemm(SHEAF_NO_TRANS, SHEAF_NO_TRANS, 1.0, sheaf_matrix_view(a, 3, 4),
                                   cview(GEMM_B, 4, 2), 0.0, sheaf_matrix_view(c, 3, 2)),
                 SHEAF_ERR_NONFINITE, "A holds a non-finite value at (1, 2) (nan)");
}

Test(linalg_gemm, rejects_infinite_c_when_beta_is_nonzero)
{
    double c[6] = {0, 0, 0, INFINITY, 0, 0};
    assert_fails(sheaf_linalg_gemm(SHEAF_NO_TRANS, SHEAF_NO_TRANS, 1.0, cview(GEMM_A, 3, 4),
                                   cview(GEMM_B, 4, 2), 1.0, sheaf_matrix_view(c, 3, 2)),
                 SHEAF_ERR_NONFINITE, "C holds a non-finite value at (1, 1) (inf)");
}

Test(linalg_gemm, rejects_nonfinite_alpha)
{
    double c[6] = {0};
    assert_fails(sheaf_linalg_gemm(SHEAF_NO_TRANS, SHEAF_NO_TRANS, NAN, cview(GEMM_A, 3, 4),
                                   cview(GEMM_B, 4, 2), 0.0, sheaf_matrix_view(c, 3, 2)),
                 SHEAF_ERR_NONFINITE, "alpha is not finite (nan)");
}

Test(linalg_gemm, rejects_c_overlapping_an_input)
{
    double a[4] = {1, 2, 3, 4};
    sheaf_matrix m = sheaf_matrix_view(a, 2, 2);
    assert_fails(
        sheaf_linalg_gemm(SHEAF_NO_TRANS, SHEAF_NO_TRANS, 1.0, m, cview(GEMM_A, 2, 2), 0.0, m),
        SHEAF_ERR_INVALID_ARGUMENT, "C overlaps A in memory");
}

Test(linalg_gemm, rejects_an_unknown_transpose_code)
{
    double c[6] = {0};
    assert_fails(sheaf_linalg_gemm((sheaf_transpose)7, SHEAF_NO_TRANS, 1.0, cview(GEMM_A, 3, 4),
                                   cview(GEMM_B, 4, 2), 0.0, sheaf_matrix_view(c, 3, 2)),
                 SHEAF_ERR_INVALID_ARGUMENT, "ta must be SHEAF_NO_TRANS or SHEAF_TRANS (got 7)");
}

Test(linalg_gemm, reports_overflow_of_finite_inputs)
{
    double a[1] = {1e200}, b[1] = {1e200}, c[1] = {0};
    assert_fails(sheaf_linalg_gemm(SHEAF_NO_TRANS, SHEAF_NO_TRANS, 1.0, sheaf_matrix_view(a, 1, 1),
                                   sheaf_matrix_view(b, 1, 1), 0.0, sheaf_matrix_view(c, 1, 1)),
                 SHEAF_ERR_NONFINITE, "result C overflowed at (0, 0)");
}

Test(linalg_gemv, matches_numpy_plain_and_transposed)
{
    double y[3], x[4];
    memcpy(y, GEMV_Y0, sizeof y);
    assert_ok(sheaf_linalg_gemv(SHEAF_NO_TRANS, 1.5, cview(GEMM_A, 3, 4),
                                sheaf_vector_view((double *)GEMV_X, 4), -0.5,
                                sheaf_vector_view(y, 3)));
    assert_all_near(y, GEMV_EXPECTED, 3, BLAS_TOL, "y");
    memcpy(x, GEMV_X, sizeof x);
    assert_ok(sheaf_linalg_gemv(SHEAF_TRANS, 1.5, cview(GEMM_A, 3, 4),
                                sheaf_vector_view((double *)GEMV_Y0, 3), -0.5,
                                sheaf_vector_view(x, 4)));
    assert_all_near(x, GEMV_T_EXPECTED, 4, BLAS_TOL, "x");
}

Test(linalg_gemv, honours_vector_strides)
{
    double x[8], y[9];
    for (size_t i = 0; i < 8; i++)
        x[i] = i % 2 ? NAN : GEMV_X[i / 2];
    for (size_t i = 0; i < 9; i++)
        y[i] = i % 3 ? -7.0 : GEMV_Y0[i / 3];
    sheaf_vector xv = {x, 4, 2}, yv = {y, 3, 3};
    assert_ok(sheaf_linalg_gemv(SHEAF_NO_TRANS, 1.5, cview(GEMM_A, 3, 4), xv, -0.5, yv));
    for (size_t i = 0; i < 3; i++)
        assert_near(y[3 * i], GEMV_EXPECTED[i], BLAS_TOL, "y", i);
    cr_assert_eq(y[1], -7.0, "y's gaps were written");
}

Test(linalg_gemv, empty_inner_dimension_scales_y_by_beta)
{
    double y[2] = {1, -2};
    assert_ok(sheaf_linalg_gemv(SHEAF_NO_TRANS, 1.0, cview(NULL, 2, 0), sheaf_vector_view(NULL, 0),
                                3.0, sheaf_vector_view(y, 2)));
    cr_assert(y[0] == 3 && y[1] == -6);
}

Test(linalg_gemv, rejects_vectors_of_the_wrong_length)
{
    double x[5] = {0}, y[3] = {0};
    assert_fails(sheaf_linalg_gemv(SHEAF_NO_TRANS, 1.0, cview(GEMM_A, 3, 4),
                                   sheaf_vector_view(x, 5), 0.0, sheaf_vector_view(y, 3)),
                 SHEAF_ERR_DIMENSION, "x has length 5 but op(A) has 4 columns (A is 3x4)");
    assert_fails(sheaf_linalg_gemv(SHEAF_NO_TRANS, 1.0, cview(GEMM_A, 3, 4),
                                   sheaf_vector_view(x, 4), 0.0, sheaf_vector_view(y, 2)),
                 SHEAF_ERR_DIMENSION, "y has length 2 but op(A) has 3 rows");
}

Test(linalg_gemv, rejects_nan_in_x_and_names_its_index)
{
    double x[4] = {1, 2, NAN, 4}, y[3] = {0};
    assert_fails(sheaf_linalg_gemv(SHEAF_NO_TRANS, 1.0, cview(GEMM_A, 3, 4),
                                   sheaf_vector_view(x, 4), 0.0, sheaf_vector_view(y, 3)),
                 SHEAF_ERR_NONFINITE,
                 "sheaf_linalg_gemv: x holds a non-finite value at index 2 (nan)");
}

Test(linalg_gemv, rejects_zero_increment)
{
    double x[4] = {0}, y[3] = {0};
    sheaf_vector xv = {x, 4, 0};
    assert_fails(sheaf_linalg_gemv(SHEAF_NO_TRANS, 1.0, cview(GEMM_A, 3, 4), xv, 0.0,
                                   sheaf_vector_view(y, 3)),
                 SHEAF_ERR_INVALID_ARGUMENT, "x has inc 0");
}

Test(linalg_gemv, rejects_y_overlapping_x)
{
    double v[4] = {1, 2, 3, 4};
    assert_fails(sheaf_linalg_gemv(SHEAF_NO_TRANS, 1.0, cview(GEMM_A, 4, 4),
                                   sheaf_vector_view(v, 4), 0.0, sheaf_vector_view(v, 4)),
                 SHEAF_ERR_INVALID_ARGUMENT, "y overlaps x");
}

Test(linalg_syrk, gram_matrix_matches_numpy_on_both_triangles)
{
    double c[9];
    for (size_t i = 0; i < 9; i++)
        c[i] = NAN;
    assert_ok(
        sheaf_linalg_syrk(SHEAF_TRANS, 1.0, cview(SYRK_X, 5, 3), 0.0, sheaf_matrix_view(c, 3, 3)));
    assert_all_near(c, SYRK_GRAM, 9, BLAS_TOL, "X'X");
}

Test(linalg_syrk, outer_product_with_alpha_and_beta_matches_numpy)
{
    double c[25];
    for (size_t i = 0; i < 25; i++)
        c[i] = SYRK_OUTER[i];
    /* C = 2 X X' + (-1) (2 X X') leaves zero; then alpha 2, beta 0 gives the reference. */
    assert_ok(sheaf_linalg_syrk(SHEAF_NO_TRANS, 2.0, cview(SYRK_X, 5, 3), -1.0,
                                sheaf_matrix_view(c, 5, 5)));
    for (size_t i = 0; i < 25; i++)
        assert_near(c[i], 0.0, BLAS_TOL * 10, "C", i);
    assert_ok(sheaf_linalg_syrk(SHEAF_NO_TRANS, 2.0, cview(SYRK_X, 5, 3), 0.0,
                                sheaf_matrix_view(c, 5, 5)));
    assert_all_near(c, SYRK_OUTER, 25, BLAS_TOL, "2XX'");
}

Test(linalg_syrk, empty_inner_dimension_scales_c_by_beta_symmetrically)
{
    double c[4] = {1, 99, 2, 3};
    assert_ok(
        sheaf_linalg_syrk(SHEAF_NO_TRANS, 1.0, cview(NULL, 2, 0), 2.0, sheaf_matrix_view(c, 2, 2)));
    cr_assert(c[0] == 2 && c[1] == 4 && c[2] == 4 && c[3] == 6);
}

Test(linalg_syrk, rejects_c_of_the_wrong_shape)
{
    double c[9] = {0};
    assert_fails(sheaf_linalg_syrk(SHEAF_NO_TRANS, 1.0, cview(SYRK_X, 5, 3), 0.0,
                                   sheaf_matrix_view(c, 3, 3)),
                 SHEAF_ERR_DIMENSION, "C is 3x3 but op(A) op(A)' is 5x5");
}

Test(linalg_syrk, rejects_nan_in_a)
{
    double x[15], c[9] = {0};
    memcpy(x, SYRK_X, sizeof x);
    x[14] = -INFINITY;
    assert_fails(sheaf_linalg_syrk(SHEAF_TRANS, 1.0, sheaf_matrix_view(x, 5, 3), 0.0,
                                   sheaf_matrix_view(c, 3, 3)),
                 SHEAF_ERR_NONFINITE, "A holds a non-finite value at (4, 2) (-inf)");
}
