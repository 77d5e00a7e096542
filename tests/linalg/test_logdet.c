/* test_logdet.c - log determinants against numpy.linalg.slogdet (refs.h),
 * failure modes and allocation failures. */
#include "linalg_test.h"

#include "../data/linalg/refs.h"

/* A sum of four logs of O(1) pivots: rounding differs from numpy's by ulps. */
#define LOGDET_TOL 1e-12

Test(linalg_logdet_spd, matches_numpy_slogdet_and_leaves_a_unchanged)
{
    double a[16], ld = 0.0;
    memcpy(a, SPD_A, sizeof a);
    assert_ok(sheaf_linalg_logdet_spd(sheaf_matrix_view(a, 4, 4), &ld));
    assert_near(ld, SPD_LOGDET, LOGDET_TOL, "logdet", 0);
    cr_assert(memcmp(a, SPD_A, sizeof a) == 0, "A was modified");
}

Test(linalg_logdet_spd, of_an_empty_matrix_is_zero)
{
    double ld = 5.0;
    assert_ok(sheaf_linalg_logdet_spd(sheaf_matrix_view(NULL, 0, 0), &ld));
    cr_assert_eq(ld, 0.0);
}

Test(linalg_logdet_spd, reports_a_matrix_that_is_not_positive_definite)
{
    double a[9] = {2, 0, 0, 0, -1, 0, 0, 0, 3}, ld;
    assert_fails(sheaf_linalg_logdet_spd(sheaf_matrix_view(a, 3, 3), &ld), SHEAF_ERR_SINGULAR,
                 "sheaf_linalg_logdet_spd: matrix is not positive definite (leading minor 2 of 3)");
}

Test(linalg_logdet_spd, rejects_a_null_output)
{
    assert_fails(sheaf_linalg_logdet_spd(sheaf_matrix_view((double *)SPD_A, 4, 4), NULL),
                 SHEAF_ERR_INVALID_ARGUMENT, "logdet is NULL");
}

Test(linalg_logdet_spd, fails_cleanly_when_its_allocation_fails)
{
    double ld;
    sheaf_debug_fail_allocation(0);
    assert_ok(sheaf_linalg_logdet_spd(sheaf_matrix_view((double *)SPD_A, 4, 4), &ld));
    uint64_t count = sheaf_debug_fail_allocation(0);
    cr_assert_eq(count, 1);
    sheaf_debug_fail_allocation(1);
    assert_fails(sheaf_linalg_logdet_spd(sheaf_matrix_view((double *)SPD_A, 4, 4), &ld),
                 SHEAF_ERR_NOMEM, "no memory");
    sheaf_debug_fail_allocation(0);
}

Test(linalg_logdet, matches_numpy_slogdet_with_a_negative_determinant)
{
    double a[16], lad = 0.0, sign = 0.0;
    memcpy(a, GEN_A, sizeof a);
    assert_ok(sheaf_linalg_logdet(sheaf_matrix_view(a, 4, 4), &lad, &sign));
    cr_assert_eq(sign, GEN_SIGN);
    cr_assert_eq(sign, -1.0);
    assert_near(lad, GEN_LOGABSDET, LOGDET_TOL, "logabsdet", 0);
    cr_assert(memcmp(a, GEN_A, sizeof a) == 0, "A was modified");
}

Test(linalg_logdet, agrees_with_the_cholesky_route_on_an_spd_matrix)
{
    double lad, sign;
    assert_ok(sheaf_linalg_logdet(sheaf_matrix_view((double *)SPD_A, 4, 4), &lad, &sign));
    cr_assert_eq(sign, 1.0);
    assert_near(lad, SPD_LOGDET, LOGDET_TOL, "logabsdet", 0);
}

Test(linalg_logdet, of_an_empty_matrix_is_zero_with_sign_one)
{
    double lad = 3.0, sign = 0.0;
    assert_ok(sheaf_linalg_logdet(sheaf_matrix_view(NULL, 0, 0), &lad, &sign));
    cr_assert(lad == 0.0 && sign == 1.0);
}

Test(linalg_logdet, does_not_overflow_where_the_determinant_would)
{
    /* det = 1e-200^2 * 1e300 underflows and overflows in pieces; its log does not. */
    double a[9] = {1e-200, 0, 0, 0, 1e-200, 0, 0, 0, 1e300}, lad, sign;
    assert_ok(sheaf_linalg_logdet(sheaf_matrix_view(a, 3, 3), &lad, &sign));
    assert_near(lad, -100.0 * log(10.0), LOGDET_TOL, "logabsdet", 0);
}

Test(linalg_logdet, reports_an_exactly_singular_matrix)
{
    double a[9] = {1, 2, 0, 2, 4, 0, 0, 0, 1}, lad, sign; /* exact in binary */
    assert_fails(sheaf_linalg_logdet(sheaf_matrix_view(a, 3, 3), &lad, &sign), SHEAF_ERR_SINGULAR,
                 "sheaf_linalg_logdet: matrix is exactly singular");
}

Test(linalg_logdet, rejects_infinity)
{
    double a[4] = {1, INFINITY, 0, 1}, lad, sign;
    assert_fails(sheaf_linalg_logdet(sheaf_matrix_view(a, 2, 2), &lad, &sign), SHEAF_ERR_NONFINITE,
                 "A holds a non-finite value at (0, 1) (inf)");
}

Test(linalg_logdet, rejects_a_non_square_matrix_and_null_outputs)
{
    double a[6] = {0}, lad;
    assert_fails(sheaf_linalg_logdet(sheaf_matrix_view(a, 3, 2), &lad, &lad), SHEAF_ERR_DIMENSION,
                 "A must be square (is 3x2)");
    assert_fails(sheaf_linalg_logdet(sheaf_matrix_view(a, 2, 2), &lad, NULL),
                 SHEAF_ERR_INVALID_ARGUMENT, "sign is NULL");
}

Test(linalg_logdet, fails_cleanly_when_each_allocation_fails)
{
    double lad, sign;
    sheaf_matrix a = sheaf_matrix_view((double *)GEN_A, 4, 4);
    sheaf_debug_fail_allocation(0);
    assert_ok(sheaf_linalg_logdet(a, &lad, &sign));
    uint64_t count = sheaf_debug_fail_allocation(0);
    cr_assert_eq(count, 2);
    for (uint64_t k = 1; k <= count; k++) {
        sheaf_debug_fail_allocation(k);
        assert_fails(sheaf_linalg_logdet(a, &lad, &sign), SHEAF_ERR_NOMEM, "no memory");
        sheaf_debug_fail_allocation(0);
    }
}
