/* test_eigen.c - symmetric and general eigenvalues and polynomial roots
 * against numpy (refs.h), failure modes and allocation failures. */
#include "linalg_test.h"

#include "../data/linalg/refs.h"

/* Eigenvalues of O(1) matrices are backward stable to a few hundred ulps of
 * ||A||; numpy runs the same LAPACK routines. */
#define EIG_TOL 1e-12
/* Roots come from the same companion matrix as numpy.roots; the double roots
 * in the tests are simple, so their condition is modest. */
#define ROOT_TOL 1e-10

static const sheaf_matrix NO_VECTORS = {NULL, 0, 0, 0};

/* Every (want_re[i], want_im[i]) has a distinct match in (re, im). */
static void assert_same_multiset(const double *re, const double *im, const double *want_re,
                                 const double *want_im, size_t n, double tol)
{
    bool used[16] = {false};
    cr_assert(n <= 16);
    for (size_t i = 0; i < n; i++) {
        size_t best = n;
        double best_d = INFINITY;
        for (size_t j = 0; j < n; j++) {
            double d = hypot(re[j] - want_re[i], im[j] - want_im[i]);
            if (!used[j] && d < best_d) best_d = d, best = j;
        }
        cr_assert(best < n && best_d <= tol * fmax(1.0, hypot(want_re[i], want_im[i])),
                  "no match for %.17g%+.17gi (closest off by %g)", want_re[i], want_im[i], best_d);
        used[best] = true;
    }
}

Test(linalg_eigh, values_match_numpy_eigvalsh_in_ascending_order)
{
    double w[5];
    assert_ok(sheaf_linalg_eigh(sheaf_matrix_view((double *)EIGH_A, 5, 5), sheaf_vector_view(w, 5),
                                NO_VECTORS));
    assert_all_near(w, EIGH_W, 5, EIG_TOL, "w");
    for (size_t i = 1; i < 5; i++)
        cr_assert(w[i - 1] <= w[i]);
}

Test(linalg_eigh, vectors_are_orthonormal_and_diagonalise_a)
{
    double a[25], w[5], v[25];
    memcpy(a, EIGH_A, sizeof a);
    for (size_t i = 0; i < 5; i++)
        for (size_t j = i + 1; j < 5; j++)
            a[i * 5 + j] = NAN; /* only the lower triangle is read */
    assert_ok(sheaf_linalg_eigh(sheaf_matrix_view(a, 5, 5), sheaf_vector_view(w, 5),
                                sheaf_matrix_view(v, 5, 5)));
    assert_all_near(w, EIGH_W, 5, EIG_TOL, "w");
    for (size_t p = 0; p < 5; p++)
        for (size_t q = 0; q < 5; q++) {
            double dot = 0.0, av = 0.0;
            for (size_t i = 0; i < 5; i++)
                dot += v[i * 5 + p] * v[i * 5 + q];
            assert_near(dot, p == q ? 1.0 : 0.0, EIG_TOL, "V'V", p * 5 + q);
            /* (A v_q)_p = w_q v_pq */
            for (size_t i = 0; i < 5; i++)
                av += EIGH_A[p * 5 + i] * v[i * 5 + q];
            assert_near(av, w[q] * v[p * 5 + q], 10 * EIG_TOL, "AV - VW", p * 5 + q);
        }
}

Test(linalg_eigh, writes_strided_values)
{
    double w[10];
    for (size_t i = 0; i < 10; i++)
        w[i] = -1.0;
    sheaf_vector wv = {w, 5, 2};
    assert_ok(sheaf_linalg_eigh(sheaf_matrix_view((double *)EIGH_A, 5, 5), wv, NO_VECTORS));
    for (size_t i = 0; i < 5; i++) {
        assert_near(w[2 * i], EIGH_W[i], EIG_TOL, "w", i);
        cr_assert_eq(w[2 * i + 1], -1.0);
    }
}

Test(linalg_eigh, rejects_values_of_the_wrong_length)
{
    double w[4];
    assert_fails(sheaf_linalg_eigh(sheaf_matrix_view((double *)EIGH_A, 5, 5),
                                   sheaf_vector_view(w, 4), NO_VECTORS),
                 SHEAF_ERR_DIMENSION, "values has length 4 but A is 5x5");
}

Test(linalg_eigh, rejects_vectors_of_the_wrong_shape)
{
    double w[5], v[20];
    assert_fails(sheaf_linalg_eigh(sheaf_matrix_view((double *)EIGH_A, 5, 5),
                                   sheaf_vector_view(w, 5), sheaf_matrix_view(v, 5, 4)),
                 SHEAF_ERR_DIMENSION, "vectors is 5x4 but A is 5x5");
}

Test(linalg_eigh, rejects_vectors_overlapping_values)
{
    double v[25];
    assert_fails(sheaf_linalg_eigh(sheaf_matrix_view((double *)EIGH_A, 5, 5),
                                   sheaf_vector_view(v + 3, 5), sheaf_matrix_view(v, 5, 5)),
                 SHEAF_ERR_INVALID_ARGUMENT, "vectors overlaps values");
}

Test(linalg_eigh, rejects_nan_in_the_lower_triangle)
{
    double a[4] = {1, 0, NAN, 1}, w[2];
    assert_fails(sheaf_linalg_eigh(sheaf_matrix_view(a, 2, 2), sheaf_vector_view(w, 2), NO_VECTORS),
                 SHEAF_ERR_NONFINITE, "sheaf_linalg_eigh: A holds a non-finite value at (1, 0)");
}

Test(linalg_eigh, empty_matrix_succeeds)
{
    assert_ok(
        sheaf_linalg_eigh(sheaf_matrix_view(NULL, 0, 0), sheaf_vector_view(NULL, 0), NO_VECTORS));
}

Test(linalg_eigh, fails_cleanly_when_each_allocation_fails)
{
    double w[5], v[25];
    sheaf_matrix a = sheaf_matrix_view((double *)EIGH_A, 5, 5);
    sheaf_debug_fail_allocation(0);
    assert_ok(sheaf_linalg_eigh(a, sheaf_vector_view(w, 5), sheaf_matrix_view(v, 5, 5)));
    uint64_t count = sheaf_debug_fail_allocation(0);
    cr_assert_eq(count, 4);
    for (uint64_t k = 1; k <= count; k++) {
        sheaf_debug_fail_allocation(k);
        assert_fails(sheaf_linalg_eigh(a, sheaf_vector_view(w, 5), sheaf_matrix_view(v, 5, 5)),
                     SHEAF_ERR_NOMEM, "sheaf_linalg_eigh: no memory");
        sheaf_debug_fail_allocation(0);
    }
}

Test(linalg_eig, values_match_numpy_eigvals)
{
    double re[5], im[5];
    assert_ok(sheaf_linalg_eig(sheaf_matrix_view((double *)EIG_A, 5, 5), sheaf_vector_view(re, 5),
                               sheaf_vector_view(im, 5)));
    assert_same_multiset(re, im, EIG_RE, EIG_IM, 5, EIG_TOL);
}

Test(linalg_eig, puts_conjugate_pairs_together_positive_imaginary_first)
{
    /* A rotation by 90 degrees scaled by 2, beside a real eigenvalue 3. */
    double a[9] = {0, -2, 0, 2, 0, 0, 0, 0, 3}, re[3], im[3];
    assert_ok(sheaf_linalg_eig(sheaf_matrix_view(a, 3, 3), sheaf_vector_view(re, 3),
                               sheaf_vector_view(im, 3)));
    size_t k = im[0] != 0.0 ? 0 : 1;
    assert_near(re[k], 0.0, EIG_TOL, "re", k);
    assert_near(im[k], 2.0, EIG_TOL, "im", k);
    assert_near(im[k + 1], -2.0, EIG_TOL, "im", k + 1);
    assert_near(re[k == 0 ? 2 : 0], 3.0, EIG_TOL, "re", 2);
}

Test(linalg_eig, rejects_output_of_the_wrong_length)
{
    double re[5], im[4];
    assert_fails(sheaf_linalg_eig(sheaf_matrix_view((double *)EIG_A, 5, 5),
                                  sheaf_vector_view(re, 5), sheaf_vector_view(im, 4)),
                 SHEAF_ERR_DIMENSION, "im has length 4 but A is 5x5");
}

Test(linalg_eig, rejects_re_overlapping_im)
{
    double w[6];
    assert_fails(sheaf_linalg_eig(sheaf_matrix_view((double *)EIG_A, 5, 5), sheaf_vector_view(w, 5),
                                  sheaf_vector_view(w + 1, 5)),
                 SHEAF_ERR_INVALID_ARGUMENT, "re overlaps im");
}

Test(linalg_eig, rejects_infinity)
{
    double a[4] = {1, 2, 3, -INFINITY}, re[2], im[2];
    assert_fails(sheaf_linalg_eig(sheaf_matrix_view(a, 2, 2), sheaf_vector_view(re, 2),
                                  sheaf_vector_view(im, 2)),
                 SHEAF_ERR_NONFINITE, "A holds a non-finite value at (1, 1) (-inf)");
}

Test(linalg_eig, fails_cleanly_when_each_allocation_fails)
{
    double re[5], im[5];
    sheaf_matrix a = sheaf_matrix_view((double *)EIG_A, 5, 5);
    sheaf_debug_fail_allocation(0);
    assert_ok(sheaf_linalg_eig(a, sheaf_vector_view(re, 5), sheaf_vector_view(im, 5)));
    uint64_t count = sheaf_debug_fail_allocation(0);
    cr_assert_eq(count, 3);
    for (uint64_t k = 1; k <= count; k++) {
        sheaf_debug_fail_allocation(k);
        assert_fails(sheaf_linalg_eig(a, sheaf_vector_view(re, 5), sheaf_vector_view(im, 5)),
                     SHEAF_ERR_NOMEM, "sheaf_linalg_eig: no memory");
        sheaf_debug_fail_allocation(0);
    }
}

Test(linalg_poly_roots, finds_the_roots_of_a_cubic_like_numpy_roots)
{
    double re[3], im[3];
    assert_ok(sheaf_linalg_poly_roots(ROOTS_CUBIC_C, 3, re, im));
    assert_same_multiset(re, im, ROOTS_CUBIC_RE, ROOTS_CUBIC_IM, 3, ROOT_TOL);
}

Test(linalg_poly_roots, finds_complex_roots_like_numpy_roots)
{
    double re[4], im[4];
    assert_ok(sheaf_linalg_poly_roots(ROOTS_COMPLEX_C, 4, re, im));
    assert_same_multiset(re, im, ROOTS_COMPLEX_RE, ROOTS_COMPLEX_IM, 4, ROOT_TOL);
}

Test(linalg_poly_roots, appends_exact_zero_roots_for_zero_low_coefficients)
{
    double re[5], im[5];
    assert_ok(sheaf_linalg_poly_roots(ROOTS_ZERO_C, 5, re, im));
    assert_same_multiset(re, im, ROOTS_ZERO_RE, ROOTS_ZERO_IM, 5, ROOT_TOL);
    cr_assert(re[3] == 0.0 && im[3] == 0.0 && re[4] == 0.0 && im[4] == 0.0);
}

Test(linalg_poly_roots, of_a_monomial_are_all_zero)
{
    double c[3] = {0, 0, 7}, re[2] = {1, 1}, im[2] = {1, 1};
    assert_ok(sheaf_linalg_poly_roots(c, 2, re, im));
    cr_assert(re[0] == 0 && re[1] == 0 && im[0] == 0 && im[1] == 0);
}

Test(linalg_poly_roots, of_a_constant_are_none)
{
    double c[1] = {4};
    assert_ok(sheaf_linalg_poly_roots(c, 0, NULL, NULL));
}

Test(linalg_poly_roots, rejects_a_zero_leading_coefficient)
{
    double c[3] = {1, 2, 0}, re[2], im[2];
    assert_fails(sheaf_linalg_poly_roots(c, 2, re, im), SHEAF_ERR_INVALID_ARGUMENT,
                 "leading coefficient c[2] is zero");
}

Test(linalg_poly_roots, rejects_a_nan_coefficient_and_null_outputs)
{
    double c[3] = {1, NAN, 1}, re[2], im[2];
    assert_fails(sheaf_linalg_poly_roots(c, 2, re, im), SHEAF_ERR_NONFINITE,
                 "c holds a non-finite value at index 1 (nan)");
    assert_fails(sheaf_linalg_poly_roots(ROOTS_CUBIC_C, 3, re, NULL), SHEAF_ERR_INVALID_ARGUMENT,
                 "im is NULL (degree 3)");
    assert_fails(sheaf_linalg_poly_roots(NULL, 3, re, im), SHEAF_ERR_INVALID_ARGUMENT, "c is NULL");
}

Test(linalg_poly_roots, reports_a_coefficient_ratio_that_overflows)
{
    double c[3] = {1e300, 1, 1e-300}, re[2], im[2];
    assert_fails(sheaf_linalg_poly_roots(c, 2, re, im), SHEAF_ERR_NONFINITE, "overflows");
}

Test(linalg_poly_roots, fails_cleanly_when_each_allocation_fails)
{
    double re[4], im[4];
    sheaf_debug_fail_allocation(0);
    assert_ok(sheaf_linalg_poly_roots(ROOTS_COMPLEX_C, 4, re, im));
    uint64_t count = sheaf_debug_fail_allocation(0);
    cr_assert_eq(count, 3);
    for (uint64_t k = 1; k <= count; k++) {
        sheaf_debug_fail_allocation(k);
        assert_fails(sheaf_linalg_poly_roots(ROOTS_COMPLEX_C, 4, re, im), SHEAF_ERR_NOMEM,
                     "no memory");
        sheaf_debug_fail_allocation(0);
    }
}
