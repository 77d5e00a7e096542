/* test_kpss.c - the KPSS test (include/sheaf_stattools.h) against
 * statsmodels 0.13.5's kpss and R's tseries::kpss.test / urca::ur.kpss, as
 * recorded in tests/data/timeseries/stattools_refs.h: 72 calls (9 series,
 * level and trend, nlags auto / legacy / 0 / 4) to 1e-8 relative with the
 * lags, critical values and the interpolation-warning side exactly, and
 * every bad input. */
#include "../data/timeseries/stattools_refs.h"
#include "sheaf.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* The tolerance for kpss' numbers. */
#define KPSS_REL 1e-8

static void assert_error(sheaf_status got, sheaf_status want, const char *needle)
{
    cr_assert_eq(got, want, "status %s, want %s: %s", sheaf_status_name(got),
                 sheaf_status_name(want), sheaf_last_error());
    cr_assert(strstr(sheaf_last_error(), needle) != NULL, "message \"%s\" lacks \"%s\"",
              sheaf_last_error(), needle);
}

Test(kpss, every_statsmodels_call_matches_to_1e_8)
{
    for (size_t row = 0; row < ST_KPSS_ROWS; row++) {
        const double *w = ST_KPSS + row * ST_KPSS_COLS;
        size_t s = (size_t)w[ST_KPSS_COL_SERIES];
        sheaf_kpss_options o = sheaf_kpss_options_default();
        o.trend = w[ST_KPSS_COL_TREND] == 0.0 ? SHEAF_TREND_C : SHEAF_TREND_CT;
        double arg = w[ST_KPSS_COL_NLAGS_ARG];
        o.rule = arg == -1.0   ? SHEAF_KPSS_LAGS_AUTO
                 : arg == -2.0 ? SHEAF_KPSS_LAGS_LEGACY
                               : SHEAF_KPSS_LAGS_FIXED;
        o.nlags = arg >= 0.0 ? (size_t)arg : 0;
        sheaf_kpss_result r;
        sheaf_status st = sheaf_kpss(NULL, ST_SERIES[s], ST_SERIES_LEN[s], &o, &r);
        cr_assert_eq(st, SHEAF_OK, "row %zu: %s", row, sheaf_last_error());
        cr_assert_eq((double)r.lags, w[ST_KPSS_COL_LAGS], "row %zu lags %zu", row, r.lags);
        double want = w[ST_KPSS_COL_STAT];
        cr_assert(fabs(r.stat - want) <= KPSS_REL * fabs(want), "row %zu stat %.17g want %.17g",
                  row, r.stat, want);
        want = w[ST_KPSS_COL_PVALUE];
        cr_assert(fabs(r.pvalue - want) <= KPSS_REL * want, "row %zu p %.17g want %.17g", row,
                  r.pvalue, want);
        for (int i = 0; i < 4; i++)
            cr_assert_eq(r.crit[i], w[ST_KPSS_COL_CV10 + i], "row %zu crit %d", row, i);
        cr_assert_eq((double)r.pvalue_bound, w[ST_KPSS_COL_WARN], "row %zu warn %d", row,
                     r.pvalue_bound);
    }
}

Test(kpss, fixed_lag_statistics_match_r_tseries_and_urca)
{
    for (size_t row = 0; row < ST_R_KPSS_ROWS; row++) {
        const double *w = ST_R_KPSS + row * ST_R_KPSS_COLS;
        size_t s = (size_t)w[ST_R_KPSS_COL_SERIES];
        sheaf_kpss_options o = {w[ST_R_KPSS_COL_TREND] == 0.0 ? SHEAF_TREND_C : SHEAF_TREND_CT,
                                SHEAF_KPSS_LAGS_FIXED, (size_t)w[ST_R_KPSS_COL_LAGS]};
        sheaf_kpss_result r;
        cr_assert_eq(sheaf_kpss(NULL, ST_SERIES[s], ST_SERIES_LEN[s], &o, &r), SHEAF_OK);
        double want = w[ST_R_KPSS_COL_STAT];
        cr_assert(fabs(r.stat - want) <= 1e-12 * want, "row %zu: %.17g vs R %.17g", row, r.stat,
                  want);
        cr_assert(fabs(r.stat - w[ST_R_KPSS_COL_URCA_STAT]) <= 1e-12 * want, "row %zu urca", row);
        cr_assert(fabs(r.pvalue - w[ST_R_KPSS_COL_PVALUE]) <= 1e-15, "row %zu p %.17g vs %.17g",
                  row, r.pvalue, w[ST_R_KPSS_COL_PVALUE]);
    }
}

Test(kpss, legacy_lags_on_six_points_match_statsmodels)
{
    /* stattools_refs.h edge comment: kpss(ar1[:6], nlags='legacy') returns
     * [0.5, 0.0416667, 5] */
    sheaf_kpss_options o = {SHEAF_TREND_C, SHEAF_KPSS_LAGS_LEGACY, 0};
    sheaf_kpss_result r;
    cr_assert_eq(sheaf_kpss(NULL, ST_GEN_AR1, 6, &o, &r), SHEAF_OK, "%s", sheaf_last_error());
    cr_assert_eq(r.lags, 5);
    cr_assert(fabs(r.stat - 0.5) < 1e-12, "%.17g", r.stat);
    cr_assert(fabs(r.pvalue - 0.0416667) < 5e-8, "%.17g", r.pvalue);
    cr_assert_eq(r.pvalue_bound, 0);
}

Test(kpss, null_options_are_the_defaults)
{
    sheaf_kpss_result a, b;
    memset(&a, 0, sizeof a); /* the struct's tail padding */
    memset(&b, 0, sizeof b);
    sheaf_kpss_options o = sheaf_kpss_options_default();
    cr_assert_eq(o.trend, SHEAF_TREND_C);
    cr_assert_eq(o.rule, SHEAF_KPSS_LAGS_AUTO);
    cr_assert_eq(sheaf_kpss(NULL, ST_NOTTEM, ST_NOTTEM_LEN, NULL, &a), SHEAF_OK);
    cr_assert_eq(sheaf_kpss(NULL, ST_NOTTEM, ST_NOTTEM_LEN, &o, &b), SHEAF_OK);
    cr_assert(memcmp(&a, &b, sizeof a) == 0);
}

Test(kpss, bad_inputs_name_the_problem)
{
    sheaf_kpss_result r;
    sheaf_kpss_options o = sheaf_kpss_options_default();
    assert_error(sheaf_kpss(NULL, NULL, 10, NULL, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_kpss: x is NULL");
    assert_error(sheaf_kpss(NULL, ST_GEN_AR1, 10, NULL, NULL), SHEAF_ERR_INVALID_ARGUMENT,
                 "out is NULL");
    o.trend = SHEAF_TREND_CTT;
    assert_error(sheaf_kpss(NULL, ST_GEN_AR1, 100, &o, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "trend 3 is not c (1, level) or ct (2, trend)");
    o = sheaf_kpss_options_default();
    o.rule = (sheaf_kpss_lags)5;
    assert_error(sheaf_kpss(NULL, ST_GEN_AR1, 100, &o, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "lag rule 5");
    /* statsmodels: 'lags (6) must be < number of observations (6)' */
    o = (sheaf_kpss_options){SHEAF_TREND_C, SHEAF_KPSS_LAGS_FIXED, 6};
    assert_error(sheaf_kpss(NULL, ST_GEN_AR1, 6, &o, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "lags (6) must be < number of observations (6)");
    o = (sheaf_kpss_options){SHEAF_TREND_CT, SHEAF_KPSS_LAGS_AUTO, 0};
    assert_error(sheaf_kpss(NULL, ST_GEN_AR1, 2, &o, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "n = 2 is too short for regression 'ct' (needs at least 3 observations)");
    assert_error(sheaf_kpss(NULL, ST_GEN_AR1, 0, NULL, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "n = 0 is too short for regression 'c'");
}

Test(kpss, nan_constant_and_straight_line_are_errors)
{
    double x[100];
    memcpy(x, ST_GEN_AR1, sizeof x);
    x[50] = NAN; /* statsmodels: ValueError: cannot convert float NaN to integer */
    sheaf_kpss_result r;
    assert_error(sheaf_kpss(NULL, x, 100, NULL, &r), SHEAF_ERR_NONFINITE,
                 "sheaf_kpss: x[50] is nan");
    for (size_t t = 0; t < 100; t++)
        x[t] = 3.0;
    /* statsmodels: 'c' raises deep in numpy; 'ct' returns 4.86 from rounding */
    assert_error(sheaf_kpss(NULL, x, 100, NULL, &r), SHEAF_ERR_SINGULAR,
                 "the series is constant (x[0] = 3 everywhere)");
    sheaf_kpss_options o = {SHEAF_TREND_CT, SHEAF_KPSS_LAGS_AUTO, 0};
    assert_error(sheaf_kpss(NULL, x, 100, &o, &r), SHEAF_ERR_SINGULAR, "constant");
    for (size_t t = 0; t < 100; t++)
        x[t] = 1e6 + 0.1 * (double)t;
    assert_error(sheaf_kpss(NULL, x, 100, &o, &r), SHEAF_ERR_SINGULAR,
                 "the series is an exact straight line");
}

Test(kpss, each_allocation_failure_is_reported)
{
    sheaf_kpss_result r;
    sheaf_debug_fail_allocation(0);
    cr_assert_eq(sheaf_kpss(NULL, ST_LYNX, ST_LYNX_LEN, NULL, &r), SHEAF_OK);
    uint64_t count = sheaf_debug_fail_allocation(0);
    cr_assert_gt(count, 0);
    for (uint64_t n = 1; n <= count; n++) {
        sheaf_debug_fail_allocation(n);
        sheaf_status st = sheaf_kpss(NULL, ST_LYNX, ST_LYNX_LEN, NULL, &r);
        sheaf_debug_fail_allocation(0);
        assert_error(st, SHEAF_ERR_NOMEM, "out of memory");
    }
}
