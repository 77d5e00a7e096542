/* test_dist.c - normal, t, chi-squared and F cdf, sf and quantile against
 * 17-digit references (mpmath at 50 digits, cross-checked with scipy.stats;
 * see refs.h), including far tails where sf must not be 1 - cdf, the
 * boundaries scipy defines, and every bad parameter. */
#include "linalg_test.h"

#include "../data/linalg/refs.h"

/* Relative. The incomplete beta/gamma prefactor z^(df/2) amplifies the
 * rounding of its argument by ~df/2 ulps, so df = 1000 costs ~1e-13. */
#define DIST_TOL 1e-12
/* Below the normal range doubles lose precision, and scipy itself rounds
 * such tails to 0: anything this small counts as equal. */
#define DIST_TINY 1e-300

static void assert_rel(double got, double want, const char *what, double a, double b)
{
    bool ok;
    if (fabs(want) < DIST_TINY)
        ok = fabs(got) < DIST_TINY || (want == 0.0 && fabs(got) <= DIST_TOL);
    else
        ok = fabs(got - want) <= DIST_TOL * fabs(want);
    cr_assert(ok, "%s at (%g, %g): got %.17g, want %.17g", what, a, b, got, want);
}

Test(linalg_dist_normal, cdf_and_sf_match_the_references_into_the_far_tails)
{
    for (size_t i = 0; i < DIST_NORM_CDF_ROWS; i++) {
        const double *r = DIST_NORM_CDF[i];
        double c, s;
        assert_ok(sheaf_dist_normal_cdf(r[0], &c));
        assert_ok(sheaf_dist_normal_sf(r[0], &s));
        assert_rel(c, r[1], "cdf", r[0], 0);
        assert_rel(s, r[2], "sf", r[0], 0);
    }
}

Test(linalg_dist_normal, sf_keeps_precision_where_one_minus_cdf_is_zero)
{
    double s;
    assert_ok(sheaf_dist_normal_sf(10.0, &s));
    assert_rel(s, 7.61985302416047e-24, "sf", 10, 0);
}

Test(linalg_dist_normal, quantile_matches_the_references)
{
    for (size_t i = 0; i < DIST_NORM_PPF_ROWS; i++) {
        double q;
        assert_ok(sheaf_dist_normal_quantile(DIST_NORM_PPF[i][0], &q));
        assert_rel(q, DIST_NORM_PPF[i][1], "quantile", DIST_NORM_PPF[i][0], 0);
    }
}

Test(linalg_dist_normal, boundaries_follow_scipy)
{
    double v;
    assert_ok(sheaf_dist_normal_quantile(0.0, &v));
    cr_assert(isinf(v) && v < 0);
    assert_ok(sheaf_dist_normal_quantile(1.0, &v));
    cr_assert(isinf(v) && v > 0);
    assert_ok(sheaf_dist_normal_cdf(-INFINITY, &v));
    cr_assert_eq(v, 0.0);
    assert_ok(sheaf_dist_normal_sf(-INFINITY, &v));
    cr_assert_eq(v, 1.0);
    assert_ok(sheaf_dist_normal_cdf(INFINITY, &v));
    cr_assert_eq(v, 1.0);
}

Test(linalg_dist_normal, rejects_nan_p_outside_the_unit_interval_and_null_out)
{
    double v;
    assert_fails(sheaf_dist_normal_cdf(NAN, &v), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_dist_normal_cdf: x is nan");
    assert_fails(sheaf_dist_normal_quantile(1.5, &v), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_dist_normal_quantile: p must be in [0, 1] (got 1.5)");
    assert_fails(sheaf_dist_normal_quantile(NAN, &v), SHEAF_ERR_INVALID_ARGUMENT,
                 "p must be in [0, 1] (got nan)");
    assert_fails(sheaf_dist_normal_sf(1.0, NULL), SHEAF_ERR_INVALID_ARGUMENT, "out is NULL");
}

Test(linalg_dist_t, cdf_and_sf_match_the_references_into_the_far_tails)
{
    for (size_t i = 0; i < DIST_T_CDF_ROWS; i++) {
        const double *r = DIST_T_CDF[i];
        double c, s;
        assert_ok(sheaf_dist_t_cdf(r[0], r[1], &c));
        assert_ok(sheaf_dist_t_sf(r[0], r[1], &s));
        assert_rel(c, r[2], "cdf", r[0], r[1]);
        assert_rel(s, r[3], "sf", r[0], r[1]);
    }
}

Test(linalg_dist_t, quantile_matches_the_references)
{
    for (size_t i = 0; i < DIST_T_PPF_ROWS; i++) {
        const double *r = DIST_T_PPF[i];
        double q;
        assert_ok(sheaf_dist_t_quantile(r[0], r[1], &q));
        assert_rel(q, r[2], "quantile", r[0], r[1]);
    }
}

Test(linalg_dist_t, quantile_inverts_cdf_in_both_tails)
{
    const double ps[] = {1e-60, 1e-30, 0.3, 0.7, 1.0 - 1e-15};
    const double dfs[] = {0.5, 3.0, 300.0}; /* tails lose ~df/2 ulps: see dist.c */
    for (size_t i = 0; i < sizeof ps / sizeof *ps; i++)
        for (size_t j = 0; j < sizeof dfs / sizeof *dfs; j++) {
            double q, back;
            assert_ok(sheaf_dist_t_quantile(ps[i], dfs[j], &q));
            if (ps[i] < 0.5) {
                assert_ok(sheaf_dist_t_cdf(q, dfs[j], &back));
                assert_rel(back, ps[i], "cdf(quantile(p))", ps[i], dfs[j]);
            } else {
                assert_ok(sheaf_dist_t_sf(q, dfs[j], &back));
                assert_rel(back, 1.0 - ps[i], "sf(quantile(p))", ps[i], dfs[j]);
            }
        }
}

Test(linalg_dist_t, rejects_bad_degrees_of_freedom)
{
    double v;
    assert_fails(sheaf_dist_t_cdf(1.0, -1.0, &v), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_dist_t_cdf: df must be > 0 (got -1)");
    assert_fails(sheaf_dist_t_sf(1.0, 0.0, &v), SHEAF_ERR_INVALID_ARGUMENT,
                 "df must be > 0 (got 0)");
    assert_fails(sheaf_dist_t_quantile(0.5, NAN, &v), SHEAF_ERR_INVALID_ARGUMENT,
                 "df must be > 0 (got nan)");
    assert_fails(sheaf_dist_t_cdf(1.0, INFINITY, &v), SHEAF_ERR_INVALID_ARGUMENT,
                 "df must be finite (got inf)");
}

Test(linalg_dist_chi2, cdf_and_sf_match_the_references_into_the_far_tails)
{
    for (size_t i = 0; i < DIST_CHI2_CDF_ROWS; i++) {
        const double *r = DIST_CHI2_CDF[i];
        double c, s;
        assert_ok(sheaf_dist_chi2_cdf(r[0], r[1], &c));
        assert_ok(sheaf_dist_chi2_sf(r[0], r[1], &s));
        assert_rel(c, r[2], "cdf", r[0], r[1]);
        assert_rel(s, r[3], "sf", r[0], r[1]);
    }
}

Test(linalg_dist_chi2, quantile_matches_the_references)
{
    for (size_t i = 0; i < DIST_CHI2_PPF_ROWS; i++) {
        const double *r = DIST_CHI2_PPF[i];
        double q;
        assert_ok(sheaf_dist_chi2_quantile(r[0], r[1], &q));
        assert_rel(q, r[2], "quantile", r[0], r[1]);
    }
}

Test(linalg_dist_chi2, boundaries_follow_scipy)
{
    double v;
    assert_ok(sheaf_dist_chi2_cdf(-3.0, 2.0, &v));
    cr_assert_eq(v, 0.0);
    assert_ok(sheaf_dist_chi2_sf(0.0, 2.0, &v));
    cr_assert_eq(v, 1.0);
    assert_ok(sheaf_dist_chi2_sf(INFINITY, 2.0, &v));
    cr_assert_eq(v, 0.0);
    assert_ok(sheaf_dist_chi2_quantile(0.0, 2.0, &v));
    cr_assert_eq(v, 0.0);
    assert_ok(sheaf_dist_chi2_quantile(1.0, 2.0, &v));
    cr_assert(isinf(v) && v > 0);
}

Test(linalg_dist_chi2, rejects_bad_parameters)
{
    double v;
    assert_fails(sheaf_dist_chi2_sf(1.0, -2.5, &v), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_dist_chi2_sf: df must be > 0 (got -2.5)");
    assert_fails(sheaf_dist_chi2_quantile(-0.1, 3.0, &v), SHEAF_ERR_INVALID_ARGUMENT,
                 "p must be in [0, 1] (got -0.1)");
    assert_fails(sheaf_dist_chi2_cdf(NAN, 3.0, &v), SHEAF_ERR_INVALID_ARGUMENT, "x is nan");
}

Test(linalg_dist_f, cdf_and_sf_match_the_references_into_the_far_tails)
{
    for (size_t i = 0; i < DIST_F_CDF_ROWS; i++) {
        const double *r = DIST_F_CDF[i];
        double c, s;
        assert_ok(sheaf_dist_f_cdf(r[0], r[1], r[2], &c));
        assert_ok(sheaf_dist_f_sf(r[0], r[1], r[2], &s));
        assert_rel(c, r[3], "cdf", r[0], r[1]);
        assert_rel(s, r[4], "sf", r[0], r[1]);
    }
}

Test(linalg_dist_f, quantile_matches_the_references_where_scipy_drifts)
{
    /* Includes p = 1e-12, where scipy 1.10's f.ppf is off by up to 4e-5. */
    for (size_t i = 0; i < DIST_F_PPF_ROWS; i++) {
        const double *r = DIST_F_PPF[i];
        double q;
        assert_ok(sheaf_dist_f_quantile(r[0], r[1], r[2], &q));
        assert_rel(q, r[3], "quantile", r[0], r[1]);
    }
}

Test(linalg_dist_f, rejects_bad_degrees_of_freedom)
{
    double v;
    assert_fails(sheaf_dist_f_cdf(1.0, 0.0, 5.0, &v), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_dist_f_cdf: df1 must be > 0 (got 0)");
    assert_fails(sheaf_dist_f_sf(1.0, 3.0, -4.0, &v), SHEAF_ERR_INVALID_ARGUMENT,
                 "df2 must be > 0 (got -4)");
    assert_fails(sheaf_dist_f_quantile(0.5, 3.0, INFINITY, &v), SHEAF_ERR_INVALID_ARGUMENT,
                 "df2 must be finite (got inf)");
}

Test(linalg_dist_f, boundaries_follow_scipy)
{
    double v;
    assert_ok(sheaf_dist_f_cdf(0.0, 3.0, 4.0, &v));
    cr_assert_eq(v, 0.0);
    assert_ok(sheaf_dist_f_quantile(0.0, 3.0, 4.0, &v));
    cr_assert_eq(v, 0.0);
    assert_ok(sheaf_dist_f_quantile(1.0, 3.0, 4.0, &v));
    cr_assert(isinf(v) && v > 0);
}
