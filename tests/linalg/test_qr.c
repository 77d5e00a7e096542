/* test_qr.c - the shared-base regressions of src/linalg/qr.h behind the
 * Granger pairs (sh_qr_reflectors, sh_qr_apply_qt, sh_qr_residuals) against
 * one sh_qr_subset_fit per regression, on a seeded random design; extreme
 * scales, too few rows, and the bad sizes. */
#include "linalg/qr.h"
#include "linalg_test.h"
#include "sheaf.h"

#include <stdint.h>
#include <stdlib.h>

/* Both routes are backward stable on these well-conditioned designs; they
 * agree to a few ulps of the largest entry, so 1e-12 has room to spare. */
#define QR_TOL 1e-12

/* An m x n column-major matrix of standard normals (column 0 ones when
 * constant), seeded. */
static double *random_design(size_t m, size_t n, int constant, uint64_t seed)
{
    sheaf_rng g;
    sheaf_rng_init(&g, seed, 0, 0, 0);
    double *a = malloc(m * n * sizeof *a);
    for (size_t c = 0; c < n; c++)
        for (size_t i = 0; i < m; i++)
            a[c * m + i] = constant && c == 0 ? 1.0 : sheaf_rng_normal(&g, 0.0, 1.0);
    return a;
}

/* The Granger layout: a factor of d columns (0 the constant), base columns
 * 1..nb, and for each candidate block its columns; every regression of a
 * target on constant + base + block from the shared rotation equals
 * sh_qr_subset_fit's, diagonals included. */
Test(linalg_qr, shared_base_regressions_equal_one_subset_fit_each)
{
    enum { ROWS = 60, D = 12, NB = 3, BLOCK = 3 };
    double *x = random_design(ROWS, D, 1, 7), *r = calloc(D * D, sizeof *r);
    double *work = malloc(2 * D * D * sizeof *work);
    assert_ok(sh_qr_append(r, D, D, x, ROWS, ROWS, 0, work));
    /* rotated copies of rows 1..D-1 (the constant's row dropped): base
     * columns 1..NB, then the target 4, then the blocks {5,6,7}, {8,9,10} */
    size_t m = D - 1, extra[] = {4, 5, 6, 7, 8, 9, 10}, ne = 7;
    double *a = calloc(m * (NB + ne), sizeof *a), t[NB * NB], diag[NB];
    for (size_t c = 0; c < NB + ne; c++) {
        size_t col = c < NB ? c + 1 : extra[c - NB];
        memcpy(a + c * m, r + col * D + 1, col * sizeof *a);
    }
    assert_ok(sh_qr_reflectors(a, m, m, NB, t, diag, work));
    assert_ok(sh_qr_apply_qt(a, m, m, NB, t, a + NB * m, ne, m, work));
    for (size_t b = 0; b < 2; b++) {
        double *block = a + (NB + 1 + b * BLOCK) * m + NB, *y = malloc((m - NB) * sizeof *y);
        memcpy(y, a + NB * m + NB, (m - NB) * sizeof *y);
        double dpair[BLOCK], ssr, *targets[1] = {y};
        sh_qr_residuals(block, m - NB, m, BLOCK, targets, 1, dpair, &ssr);
        size_t cols[1 + NB + BLOCK], nc = 0;
        for (size_t c = 0; c <= NB; c++)
            cols[nc++] = c;
        for (size_t c = 0; c < BLOCK; c++)
            cols[nc++] = extra[1 + b * BLOCK + c];
        double beta[1 + NB + BLOCK], want, rs[(nc + 1) * (nc + 1)];
        double *fit_work = malloc(sh_qr_subset_work(D, nc) * sizeof *fit_work);
        assert_ok(sh_qr_subset_fit(r, D, D, cols, nc, 4, beta, &want, rs, fit_work));
        assert_near(ssr, want, QR_TOL * want, "ssr", b);
        for (size_t c = 0; c < NB; c++)
            assert_near(diag[c], fabs(rs[(c + 1) * (nc + 1) + c + 1]), QR_TOL * rs[0], "base R", c);
        for (size_t c = 0; c < BLOCK; c++)
            assert_near(dpair[c], fabs(rs[(NB + 1 + c) * (nc + 1) + NB + 1 + c]), QR_TOL * rs[0],
                        "block R", c);
        free(y);
        free(fit_work);
    }
    /* nq = 0: the plain sum of squares */
    double v[] = {3.0, 4.0, 12.0}, *only[1] = {v}, ss;
    sh_qr_residuals(NULL, 3, 3, 0, only, 1, NULL, &ss);
    cr_assert_eq(ss, 169.0);
    free(x);
    free(r);
    free(work);
    free(a);
}

Test(linalg_qr, residual_diagonals_survive_extreme_scales)
{
    double scales[] = {1e160, 1e-170};
    for (size_t q = 0; q < 2; q++) {
        double a[] = {3.0, 4.0, 0.0, 1.0, 2.0, 2.0}, y[] = {1.0, 1.0, 1.0}, *targets[1] = {y};
        double diag[2], ssr;
        for (size_t i = 0; i < 3; i++)
            a[i] *= scales[q];
        sh_qr_residuals(a, 3, 3, 2, targets, 1, diag, &ssr);
        assert_near(diag[0] / scales[q], 5.0, 1e-15, "scaled diagonal", q);
        cr_assert(isfinite(diag[1]) && diag[1] > 0.0, "second diagonal %g", diag[1]);
        cr_assert(isfinite(ssr) && ssr >= 0.0, "ssr %g", ssr);
    }
}

Test(linalg_qr, too_few_rows_leave_zero_diagonals_and_no_residual)
{
    double a[] = {1.0, 2.0, 3.0, 5.0, 0.5, 0.25}, y[] = {1.0, -1.0}, *targets[1] = {y};
    double diag[3] = {-1.0, -1.0, -1.0}, ssr = -1.0;
    sh_qr_residuals(a, 2, 2, 3, targets, 1, diag, &ssr);
    cr_assert(diag[0] > 0.0 && diag[1] > 0.0, "diagonals %g %g", diag[0], diag[1]);
    cr_assert_eq(diag[2], 0.0);
    cr_assert_eq(ssr, 0.0);
}

Test(linalg_qr, bad_sizes_are_named)
{
    double a[6] = {1, 2, 3, 4, 5, 6}, t[9], diag[3], work[256];
    assert_fails(sh_qr_reflectors(a, 2, 2, 3, t, diag, work), SHEAF_ERR_INVALID_ARGUMENT,
                 "sh_qr_reflectors: 2 x 3 (need rows >= columns)");
    assert_fails(sh_qr_apply_qt(a, (size_t)1 << 40, 2, 1, t, a, 1, 2, work),
                 SHEAF_ERR_INVALID_ARGUMENT, "sh_qr_apply_qt: 1099511627776 x 1 exceeds");
    /* empty problems are no work */
    assert_ok(sh_qr_reflectors(a, 2, 2, 0, t, diag, work));
    assert_ok(sh_qr_apply_qt(a, 2, 2, 1, t, a, 0, 2, work));
}
