/* test_lstsq.c - least squares against numpy.linalg.lstsq (refs.h): rank
 * deficient, tall and wide problems, failure modes and allocation failures. */
#include "linalg_test.h"

#include "../data/linalg/refs.h"

/* dgelsy (pivoted QR) and numpy's dgelsd (SVD) reach the same minimum-norm
 * solution by different routes; on these well-scaled problems they agree to
 * about 1e-14, so 1e-11 leaves room without hiding a wrong answer. */
#define LSTSQ_TOL 1e-11

Test(linalg_lstsq, detects_rank_of_collinear_columns)
{
    double x[8];
    size_t rank = 99;
    assert_ok(sheaf_linalg_lstsq(sheaf_matrix_view((double *)LSTSQ_RD_A, 8, 4),
                                 sheaf_matrix_view((double *)LSTSQ_RD_B, 8, 2), 0.0,
                                 sheaf_matrix_view(x, 4, 2), &rank));
    cr_assert_eq(rank, (size_t)LSTSQ_RD_RANK);
    cr_assert_eq(rank, 3);
}

Test(linalg_lstsq, returns_the_minimum_norm_solution_when_rank_deficient)
{
    double x[8];
    size_t rank;
    assert_ok(sheaf_linalg_lstsq(sheaf_matrix_view((double *)LSTSQ_RD_A, 8, 4),
                                 sheaf_matrix_view((double *)LSTSQ_RD_B, 8, 2), -1.0,
                                 sheaf_matrix_view(x, 4, 2), &rank));
    assert_all_near(x, LSTSQ_RD_X, 8, LSTSQ_TOL, "X");
}

Test(linalg_lstsq, matches_numpy_on_a_full_rank_tall_problem)
{
    double x[3];
    size_t rank;
    assert_ok(sheaf_linalg_lstsq(sheaf_matrix_view((double *)LSTSQ_FULL_A, 10, 3),
                                 sheaf_matrix_view((double *)LSTSQ_FULL_B, 10, 1), 0.0,
                                 sheaf_matrix_view(x, 3, 1), &rank));
    cr_assert_eq(rank, 3);
    assert_all_near(x, LSTSQ_FULL_X, 3, LSTSQ_TOL, "x");
}

Test(linalg_lstsq, gives_the_minimum_norm_solution_of_a_wide_problem)
{
    double x[5];
    size_t rank;
    assert_ok(sheaf_linalg_lstsq(sheaf_matrix_view((double *)LSTSQ_WIDE_A, 3, 5),
                                 sheaf_matrix_view((double *)LSTSQ_WIDE_B, 3, 1), 0.0,
                                 sheaf_matrix_view(x, 5, 1), &rank));
    cr_assert_eq(rank, 3);
    assert_all_near(x, LSTSQ_WIDE_X, 5, LSTSQ_TOL, "x");
}

Test(linalg_lstsq, honours_leading_dimensions_and_leaves_inputs_unchanged)
{
    double a[8 * 5], b[8 * 3], x[4 * 3];
    for (size_t i = 0; i < 8; i++) {
        for (size_t j = 0; j < 5; j++)
            a[i * 5 + j] = j < 4 ? LSTSQ_RD_A[i * 4 + j] : NAN;
        for (size_t j = 0; j < 3; j++)
            b[i * 3 + j] = j < 2 ? LSTSQ_RD_B[i * 2 + j] : NAN;
    }
    for (size_t i = 0; i < 12; i++)
        x[i] = -3.0;
    sheaf_matrix am = {a, 8, 4, 5}, bm = {b, 8, 2, 3}, xm = {x, 4, 2, 3};
    size_t rank;
    assert_ok(sheaf_linalg_lstsq(am, bm, 0.0, xm, &rank));
    for (size_t i = 0; i < 4; i++) {
        for (size_t j = 0; j < 2; j++)
            assert_near(x[i * 3 + j], LSTSQ_RD_X[i * 2 + j], LSTSQ_TOL, "X", i * 2 + j);
        cr_assert_eq(x[i * 3 + 2], -3.0, "padding of X was written");
    }
    for (size_t i = 0; i < 8; i++)
        for (size_t j = 0; j < 4; j++)
            cr_assert_eq(a[i * 5 + j], LSTSQ_RD_A[i * 4 + j]);
}

Test(linalg_lstsq, accepts_a_null_rank_pointer)
{
    double x[3];
    assert_ok(sheaf_linalg_lstsq(sheaf_matrix_view((double *)LSTSQ_FULL_A, 10, 3),
                                 sheaf_matrix_view((double *)LSTSQ_FULL_B, 10, 1), 0.0,
                                 sheaf_matrix_view(x, 3, 1), NULL));
    assert_all_near(x, LSTSQ_FULL_X, 3, LSTSQ_TOL, "x");
}

Test(linalg_lstsq, a_large_rcond_keeps_only_the_leading_column)
{
    double x[8];
    size_t rank;
    assert_ok(sheaf_linalg_lstsq(sheaf_matrix_view((double *)LSTSQ_RD_A, 8, 4),
                                 sheaf_matrix_view((double *)LSTSQ_RD_B, 8, 2), 0.999,
                                 sheaf_matrix_view(x, 4, 2), &rank));
    cr_assert_eq(rank, 1);
}

Test(linalg_lstsq, with_no_rows_gives_zero_and_rank_zero)
{
    double x[3] = {1, 2, 3};
    size_t rank = 7;
    assert_ok(sheaf_linalg_lstsq(sheaf_matrix_view(NULL, 0, 3), sheaf_matrix_view(NULL, 0, 1), 0.0,
                                 sheaf_matrix_view(x, 3, 1), &rank));
    cr_assert(x[0] == 0 && x[1] == 0 && x[2] == 0 && rank == 0);
}

Test(linalg_lstsq, rejects_b_with_a_different_row_count)
{
    double b[7] = {0}, x[4];
    assert_fails(sheaf_linalg_lstsq(sheaf_matrix_view((double *)LSTSQ_RD_A, 8, 4),
                                    sheaf_matrix_view(b, 7, 1), 0.0, sheaf_matrix_view(x, 4, 1),
                                    NULL),
                 SHEAF_ERR_DIMENSION, "sheaf_linalg_lstsq: B has 7 rows but A has 8");
}

Test(linalg_lstsq, rejects_x_of_the_wrong_shape)
{
    double x[8];
    assert_fails(sheaf_linalg_lstsq(sheaf_matrix_view((double *)LSTSQ_RD_A, 8, 4),
                                    sheaf_matrix_view((double *)LSTSQ_RD_B, 8, 2), 0.0,
                                    sheaf_matrix_view(x, 2, 4), NULL),
                 SHEAF_ERR_DIMENSION, "X is 2x4 but must be 4x2");
}

Test(linalg_lstsq, rejects_nan_in_b)
{
    double b[8], x[3];
    memcpy(b, LSTSQ_FULL_B, sizeof b);
    b[6] = NAN;
    assert_fails(sheaf_linalg_lstsq(sheaf_matrix_view((double *)LSTSQ_FULL_A, 8, 3),
                                    sheaf_matrix_view(b, 8, 1), 0.0, sheaf_matrix_view(x, 3, 1),
                                    NULL),
                 SHEAF_ERR_NONFINITE, "B holds a non-finite value at (6, 0) (nan)");
}

Test(linalg_lstsq, rejects_a_nan_rcond)
{
    double x[3];
    assert_fails(sheaf_linalg_lstsq(sheaf_matrix_view((double *)LSTSQ_FULL_A, 10, 3),
                                    sheaf_matrix_view((double *)LSTSQ_FULL_B, 10, 1), NAN,
                                    sheaf_matrix_view(x, 3, 1), NULL),
                 SHEAF_ERR_INVALID_ARGUMENT, "rcond must be finite (got nan)");
}

Test(linalg_lstsq, rejects_null_data)
{
    double x[3];
    assert_fails(sheaf_linalg_lstsq(sheaf_matrix_view(NULL, 10, 3),
                                    sheaf_matrix_view((double *)LSTSQ_FULL_B, 10, 1), 0.0,
                                    sheaf_matrix_view(x, 3, 1), NULL),
                 SHEAF_ERR_INVALID_ARGUMENT, "A is 10x3 but its data is NULL");
}

Test(linalg_lstsq, fails_cleanly_when_each_allocation_fails)
{
    double x[8];
    size_t rank;
    sheaf_matrix a = sheaf_matrix_view((double *)LSTSQ_RD_A, 8, 4);
    sheaf_matrix b = sheaf_matrix_view((double *)LSTSQ_RD_B, 8, 2);
    sheaf_debug_fail_allocation(0);
    assert_ok(sheaf_linalg_lstsq(a, b, 0.0, sheaf_matrix_view(x, 4, 2), &rank));
    uint64_t count = sheaf_debug_fail_allocation(0);
    cr_assert_eq(count, 4, "lstsq allocates A, B, pivots and workspace (counted %llu)",
                 (unsigned long long)count);
    for (uint64_t k = 1; k <= count; k++) {
        sheaf_debug_fail_allocation(k);
        assert_fails(sheaf_linalg_lstsq(a, b, 0.0, sheaf_matrix_view(x, 4, 2), &rank),
                     SHEAF_ERR_NOMEM, "sheaf_linalg_lstsq: no memory");
        sheaf_debug_fail_allocation(0);
    }
    assert_ok(sheaf_linalg_lstsq(a, b, 0.0, sheaf_matrix_view(x, 4, 2), &rank));
    assert_all_near(x, LSTSQ_RD_X, 8, LSTSQ_TOL, "X after the failures");
}
