/* test_cholesky.c - Cholesky factor, solve and SPD inverse against numpy
 * (refs.h) and every failure mode. */
#include "linalg_test.h"

#include "../data/linalg/refs.h"

/* The reference matrix has condition number below 1e3, so backward-stable
 * LAPACK results agree with numpy's to ~1e3 ulps at most. */
#define FACTOR_TOL 1e-12

static void copy(double *dst, const double *src, size_t n) { memcpy(dst, src, n * sizeof *dst); }

Test(linalg_cholesky, matches_numpy_and_zeroes_the_upper_triangle)
{
    double a[16];
    copy(a, SPD_A, 16);
    for (size_t i = 0; i < 4; i++)
        for (size_t j = i + 1; j < 4; j++)
            a[i * 4 + j] = NAN; /* upper is never read */
    assert_ok(sheaf_linalg_cholesky(sheaf_matrix_view(a, 4, 4)));
    assert_all_near(a, SPD_L, 16, FACTOR_TOL, "L");
}

Test(linalg_cholesky, honours_a_leading_dimension)
{
    double a[4 * 6];
    for (size_t i = 0; i < 4; i++)
        for (size_t j = 0; j < 6; j++)
            a[i * 6 + j] = j < 4 ? SPD_A[i * 4 + j] : -5.0;
    sheaf_matrix m = {a, 4, 4, 6};
    assert_ok(sheaf_linalg_cholesky(m));
    for (size_t i = 0; i < 4; i++) {
        for (size_t j = 0; j < 4; j++)
            assert_near(a[i * 6 + j], SPD_L[i * 4 + j], FACTOR_TOL, "L", i * 4 + j);
        cr_assert_eq(a[i * 6 + 5], -5.0);
    }
}

Test(linalg_cholesky, empty_matrix_succeeds)
{
    assert_ok(sheaf_linalg_cholesky(sheaf_matrix_view(NULL, 0, 0)));
}

Test(linalg_cholesky, names_the_leading_minor_that_is_not_positive)
{
    /* The 3x3 leading block of [[1,1,1,0],[1,2,2,0],[1,2,2,0],[0,0,0,1]] is singular. */
    double a[16] = {1, 1, 1, 0, 1, 2, 2, 0, 1, 2, 2, 0, 0, 0, 0, 1};
    assert_fails(sheaf_linalg_cholesky(sheaf_matrix_view(a, 4, 4)), SHEAF_ERR_SINGULAR,
                 "sheaf_linalg_cholesky: matrix is not positive definite (leading minor 3 of 4)");
}

Test(linalg_cholesky, rejects_a_non_square_matrix)
{
    double a[6] = {0};
    assert_fails(sheaf_linalg_cholesky(sheaf_matrix_view(a, 2, 3)), SHEAF_ERR_DIMENSION,
                 "A must be square (is 2x3)");
}

Test(linalg_cholesky, rejects_nan_in_the_lower_triangle)
{
    double a[4] = {4, 0, NAN, 4};
    assert_fails(sheaf_linalg_cholesky(sheaf_matrix_view(a, 2, 2)), SHEAF_ERR_NONFINITE,
                 "A holds a non-finite value at (1, 0) (nan)");
}

Test(linalg_cholesky, rejects_null_data)
{
    assert_fails(sheaf_linalg_cholesky(sheaf_matrix_view(NULL, 3, 3)), SHEAF_ERR_INVALID_ARGUMENT,
                 "A is 3x3 but its data is NULL");
}

Test(linalg_cholesky_solve, matches_numpy_solve)
{
    double l[16], b[8];
    copy(l, SPD_L, 16);
    copy(b, SPD_B, 8);
    assert_ok(sheaf_linalg_cholesky_solve(sheaf_matrix_view(l, 4, 4), sheaf_matrix_view(b, 4, 2)));
    assert_all_near(b, SPD_SOLVE, 8, FACTOR_TOL, "X");
}

Test(linalg_cholesky_solve, solves_with_the_factor_it_computed)
{
    double a[16], b[8];
    copy(a, SPD_A, 16);
    copy(b, SPD_B, 8);
    assert_ok(sheaf_linalg_cholesky(sheaf_matrix_view(a, 4, 4)));
    assert_ok(sheaf_linalg_cholesky_solve(sheaf_matrix_view(a, 4, 4), sheaf_matrix_view(b, 4, 2)));
    assert_all_near(b, SPD_SOLVE, 8, FACTOR_TOL, "X");
}

Test(linalg_cholesky_solve, rejects_b_with_the_wrong_row_count)
{
    double b[6] = {0};
    assert_fails(sheaf_linalg_cholesky_solve(sheaf_matrix_view((double *)SPD_L, 4, 4),
                                             sheaf_matrix_view(b, 3, 2)),
                 SHEAF_ERR_DIMENSION, "B has 3 rows but L is 4x4");
}

Test(linalg_cholesky_solve, rejects_a_factor_with_a_zero_on_its_diagonal)
{
    double l[4] = {1, 0, 2, 0}, b[2] = {1, 1};
    assert_fails(
        sheaf_linalg_cholesky_solve(sheaf_matrix_view(l, 2, 2), sheaf_matrix_view(b, 2, 1)),
        SHEAF_ERR_SINGULAR, "L has a non-positive diagonal entry at 1 (0)");
}

Test(linalg_cholesky_solve, rejects_infinity_in_b)
{
    double b[8];
    copy(b, SPD_B, 8);
    b[5] = INFINITY;
    assert_fails(sheaf_linalg_cholesky_solve(sheaf_matrix_view((double *)SPD_L, 4, 4),
                                             sheaf_matrix_view(b, 4, 2)),
                 SHEAF_ERR_NONFINITE, "B holds a non-finite value at (2, 1) (inf)");
}

Test(linalg_spd_inverse, matches_numpy_into_a_separate_matrix)
{
    double inv[16];
    for (size_t i = 0; i < 16; i++)
        inv[i] = NAN;
    assert_ok(sheaf_linalg_spd_inverse(sheaf_matrix_view((double *)SPD_A, 4, 4),
                                       sheaf_matrix_view(inv, 4, 4)));
    assert_all_near(inv, SPD_INV, 16, FACTOR_TOL, "inv");
}

Test(linalg_spd_inverse, works_in_place_reading_only_the_lower_triangle)
{
    double a[16];
    copy(a, SPD_A, 16);
    a[1] = a[2] = a[3] = 1e300; /* upper triangle garbage */
    assert_ok(sheaf_linalg_spd_inverse(sheaf_matrix_view(a, 4, 4), sheaf_matrix_view(a, 4, 4)));
    assert_all_near(a, SPD_INV, 16, FACTOR_TOL, "inv");
}

Test(linalg_spd_inverse, reports_a_matrix_that_is_not_positive_definite)
{
    double a[4] = {1, 2, 2, 1}, inv[4];
    assert_fails(sheaf_linalg_spd_inverse(sheaf_matrix_view(a, 2, 2), sheaf_matrix_view(inv, 2, 2)),
                 SHEAF_ERR_SINGULAR, "not positive definite (leading minor 2 of 2)");
}

Test(linalg_spd_inverse, rejects_an_inverse_of_the_wrong_size)
{
    double inv[9];
    assert_fails(sheaf_linalg_spd_inverse(sheaf_matrix_view((double *)SPD_A, 4, 4),
                                          sheaf_matrix_view(inv, 3, 3)),
                 SHEAF_ERR_DIMENSION, "inv is 3x3 but A is 4x4");
}

Test(linalg_spd_inverse, rejects_a_partly_overlapping_output)
{
    double a[20];
    copy(a, SPD_A, 16);
    assert_fails(
        sheaf_linalg_spd_inverse(sheaf_matrix_view(a, 4, 4), sheaf_matrix_view(a + 4, 4, 4)),
        SHEAF_ERR_INVALID_ARGUMENT, "inv overlaps A without being the same view");
}

Test(linalg_spd_inverse, rejects_nan)
{
    double a[4] = {NAN, 0, 0, 1}, inv[4];
    assert_fails(sheaf_linalg_spd_inverse(sheaf_matrix_view(a, 2, 2), sheaf_matrix_view(inv, 2, 2)),
                 SHEAF_ERR_NONFINITE,
                 "sheaf_linalg_spd_inverse: A holds a non-finite value at (0, 0)");
}
