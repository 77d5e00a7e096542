/* test_adf.c - the augmented Dickey-Fuller test and MacKinnon's tables
 * (include/sheaf_stattools.h) against statsmodels 0.13.5's adfuller,
 * mackinnonp and mackinnoncrit and R's urca::ur.df, as recorded in
 * tests/data/timeseries/stattools_refs.h (by gen_stattools_refs.py): all 219
 * adfuller calls (9 series, trends n/c/ct/ctt, autolag None/AIC/BIC/t-stat,
 * default and explicit maxlag) to 1e-8 relative, the statistic against the
 * 40-digit value of the same regression; the batch call, its per-series
 * statuses and its thread invariance; and every bad input. */
#include "../data/timeseries/stattools_refs.h"
#include "sheaf.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The tolerance for adfuller's numbers. */
#define ADF_REL 1e-8

static void assert_rel(double got, double want, double tol, const char *what, size_t row)
{
    cr_assert(fabs(got - want) <= tol * fabs(want), "ST_ADF row %zu: %s = %.17g, want %.17g", row,
              what, got, want);
}

static void assert_error(sheaf_status got, sheaf_status want, const char *needle)
{
    cr_assert_eq(got, want, "status %s, want %s: %s", sheaf_status_name(got),
                 sheaf_status_name(want), sheaf_last_error());
    cr_assert(strstr(sheaf_last_error(), needle) != NULL, "message \"%s\" lacks \"%s\"",
              sheaf_last_error(), needle);
}

static sheaf_adf_options row_options(const double *w)
{
    sheaf_adf_options o = sheaf_adf_options_default();
    o.trend = (sheaf_trend)w[ST_ADF_COL_TREND];
    o.autolag = (sheaf_adf_autolag)w[ST_ADF_COL_AUTOLAG];
    o.maxlag =
        w[ST_ADF_COL_MAXLAG_ARG] < 0 ? SHEAF_ADF_MAXLAG_DEFAULT : (size_t)w[ST_ADF_COL_MAXLAG_ARG];
    return o;
}

Test(adf, every_statsmodels_call_matches_to_1e_8)
{
    for (size_t row = 0; row < ST_ADF_ROWS; row++) {
        const double *w = ST_ADF + row * ST_ADF_COLS;
        size_t s = (size_t)w[ST_ADF_COL_SERIES];
        sheaf_adf_options o = row_options(w);
        sheaf_adf_result r;
        sheaf_status st = sheaf_adfuller(NULL, ST_SERIES[s], ST_SERIES_LEN[s], &o, &r);
        cr_assert_eq(st, SHEAF_OK, "row %zu (%s): %s", row, ST_SERIES_NAME[s], sheaf_last_error());
        cr_assert_eq((double)r.maxlag, w[ST_ADF_COL_MAXLAG], "row %zu maxlag", row);
        cr_assert_eq((double)r.usedlag, w[ST_ADF_COL_USEDLAG], "row %zu usedlag %zu", row,
                     r.usedlag);
        cr_assert_eq((double)r.nobs, w[ST_ADF_COL_NOBS], "row %zu nobs", row);
        /* the exact statistic; statsmodels' own is within 3e-10 of it */
        assert_rel(r.stat, w[ST_ADF_COL_STAT_MP], ADF_REL, "stat vs 40 digits", row);
        assert_rel(r.stat, w[ST_ADF_COL_STAT], ADF_REL, "stat vs statsmodels", row);
        /* the p-value at the exact statistic; and statsmodels' own, whose
         * ctt statistics carry ~3e-10 of rounding that the far tail
         * amplifies up to ~40 times in relative terms */
        double p_exact;
        cr_assert_eq(sheaf_mackinnonp(w[ST_ADF_COL_STAT_MP], o.trend, &p_exact), SHEAF_OK);
        assert_rel(r.pvalue, p_exact, ADF_REL, "pvalue vs 40 digits", row);
        assert_rel(r.pvalue, w[ST_ADF_COL_PVALUE], o.trend == SHEAF_TREND_CTT ? 5e-8 : ADF_REL,
                   "pvalue vs statsmodels", row);
        assert_rel(r.crit[0], w[ST_ADF_COL_CV1], 1e-15, "cv 1%", row);
        assert_rel(r.crit[1], w[ST_ADF_COL_CV5], 1e-15, "cv 5%", row);
        assert_rel(r.crit[2], w[ST_ADF_COL_CV10], 1e-15, "cv 10%", row);
        if (isnan(w[ST_ADF_COL_ICBEST]))
            cr_assert(isnan(r.icbest), "row %zu icbest %g without autolag", row, r.icbest);
        else
            assert_rel(r.icbest, w[ST_ADF_COL_ICBEST], ADF_REL, "icbest", row);
    }
}

Test(adf, fixed_lag_statistics_match_r_urca)
{
    size_t checked = 0;
    for (size_t row = 0; row < ST_R_ADF_ROWS; row++) {
        const double *w = ST_R_ADF + row * ST_R_ADF_COLS;
        if (!isnan(w[ST_R_ADF_COL_PVALUE])) continue; /* tseries::adf.test rows */
        size_t s = (size_t)w[ST_R_ADF_COL_SERIES];
        sheaf_adf_options o = sheaf_adf_options_default();
        o.trend = (sheaf_trend)w[ST_R_ADF_COL_TREND];
        o.autolag = SHEAF_ADF_AUTOLAG_NONE;
        o.maxlag = (size_t)w[ST_R_ADF_COL_LAGS];
        sheaf_adf_result r;
        cr_assert_eq(sheaf_adfuller(NULL, ST_SERIES[s], ST_SERIES_LEN[s], &o, &r), SHEAF_OK, "%s",
                     sheaf_last_error());
        cr_assert(fabs(r.stat - w[ST_R_ADF_COL_STAT]) <= 1e-9 * fabs(w[ST_R_ADF_COL_STAT]),
                  "ST_R_ADF row %zu: %.17g vs R %.17g", row, r.stat, w[ST_R_ADF_COL_STAT]);
        checked++;
    }
    cr_assert_gt(checked, 10);
}

Test(adf, mackinnonp_matches_statsmodels_at_every_cutoff)
{
    for (size_t row = 0; row < ST_MACKINNONP_ROWS; row++) {
        const double *w = ST_MACKINNONP + row * ST_MACKINNONP_COLS;
        for (int t = 0; t < 4; t++) {
            double p, want = w[ST_MACKINNONP_COL_P_N + t];
            cr_assert_eq(sheaf_mackinnonp(w[ST_MACKINNONP_COL_STAT], (sheaf_trend)t, &p), SHEAF_OK);
            /* the polynomial is statsmodels' to the bit; GSL's normal cdf and
             * scipy's ndtr may differ in the last bits */
            cr_assert(fabs(p - want) <= 1e-13 * want, "stat %.17g trend %d: p %.17g, want %.17g",
                      w[ST_MACKINNONP_COL_STAT], t, p, want);
        }
    }
    double p = 0.0;
    cr_assert_eq(sheaf_mackinnonp(NAN, SHEAF_TREND_C, &p), SHEAF_OK);
    cr_assert(isnan(p));
}

Test(adf, mackinnoncrit_matches_statsmodels_bit_for_bit)
{
    for (size_t row = 0; row < ST_MACKINNONCRIT_ROWS; row++) {
        const double *w = ST_MACKINNONCRIT + row * ST_MACKINNONCRIT_COLS;
        double c[3];
        cr_assert_eq(sheaf_mackinnoncrit((sheaf_trend)w[ST_MACKINNONCRIT_COL_TREND],
                                         w[ST_MACKINNONCRIT_COL_NOBS], c),
                     SHEAF_OK);
        for (int l = 0; l < 3; l++)
            cr_assert_eq(c[l], w[ST_MACKINNONCRIT_COL_CV1 + l], "row %zu level %d: %.17g vs %.17g",
                         row, l, c[l], w[ST_MACKINNONCRIT_COL_CV1 + l]);
    }
}

Test(adf, mackinnon_bad_arguments)
{
    double p, c[3];
    assert_error(sheaf_mackinnonp(-2.0, (sheaf_trend)4, &p), SHEAF_ERR_INVALID_ARGUMENT, "trend 4");
    assert_error(sheaf_mackinnonp(-2.0, SHEAF_TREND_C, NULL), SHEAF_ERR_INVALID_ARGUMENT,
                 "p is NULL");
    assert_error(sheaf_mackinnoncrit((sheaf_trend)-1, 100.0, c), SHEAF_ERR_INVALID_ARGUMENT,
                 "trend -1");
    assert_error(sheaf_mackinnoncrit(SHEAF_TREND_C, 0.0, c), SHEAF_ERR_INVALID_ARGUMENT,
                 "nobs must be > 0");
    assert_error(sheaf_mackinnoncrit(SHEAF_TREND_C, 10.0, NULL), SHEAF_ERR_INVALID_ARGUMENT,
                 "crit is NULL");
}

Test(adf, null_options_are_the_defaults)
{
    sheaf_adf_result a, b;
    sheaf_adf_options o = sheaf_adf_options_default();
    cr_assert_eq(o.trend, SHEAF_TREND_C);
    cr_assert_eq(o.autolag, SHEAF_ADF_AUTOLAG_AIC);
    cr_assert_eq(o.maxlag, SHEAF_ADF_MAXLAG_DEFAULT);
    cr_assert_eq(sheaf_adfuller(NULL, ST_SUNSPOTS, ST_SUNSPOTS_LEN, NULL, &a), SHEAF_OK);
    cr_assert_eq(sheaf_adfuller(NULL, ST_SUNSPOTS, ST_SUNSPOTS_LEN, &o, &b), SHEAF_OK);
    cr_assert(memcmp(&a, &b, sizeof a) == 0);
}

Test(adf, a_six_point_series_gives_statsmodels_numbers)
{
    /* stattools_refs.h edge comment: adfuller(ar1[:6]) returns
     * [-3.13672, 0.0239525, 0, 5, 10.4198] (default maxlag 1) */
    sheaf_adf_result r;
    cr_assert_eq(sheaf_adfuller(NULL, ST_GEN_AR1, 6, NULL, &r), SHEAF_OK, "%s", sheaf_last_error());
    cr_assert_eq(r.maxlag, 1);
    cr_assert_eq(r.usedlag, 0);
    cr_assert_eq(r.nobs, 5);
    cr_assert(fabs(r.stat + 3.13672) < 5e-6, "%.9g", r.stat);
    cr_assert(fabs(r.pvalue - 0.0239525) < 5e-8, "%.9g", r.pvalue);
    cr_assert(fabs(r.icbest - 10.4198) < 5e-5, "%.9g", r.icbest);
}

Test(adf, a_long_series_factored_by_blocks_matches_the_closed_form)
{
    /* 3000 observations: the factor is built from three blocks of rows.
     * With maxlag 0 and a constant the test regression is dx_t = a + g
     * x_{t-1}, whose t-value has a closed form in centred sums. */
    enum { T = 3000 };
    static double x[T];
    sheaf_rng rng;
    sheaf_rng_init(&rng, 20260507, 0, 0, 0);
    x[0] = 100.0;
    for (size_t t = 1; t < T; t++)
        x[t] = x[t - 1] + sheaf_rng_normal(&rng, 0.01, 1.0);
    size_t n = T - 1;
    double mx = 0.0, my = 0.0;
    for (size_t t = 1; t < T; t++) {
        mx += x[t - 1];
        my += x[t] - x[t - 1];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxx = 0.0, sxy = 0.0;
    for (size_t t = 1; t < T; t++) {
        sxx += (x[t - 1] - mx) * (x[t - 1] - mx);
        sxy += (x[t - 1] - mx) * (x[t] - x[t - 1] - my);
    }
    double g = sxy / sxx, ssr = 0.0;
    for (size_t t = 1; t < T; t++) {
        double e = (x[t] - x[t - 1] - my) - g * (x[t - 1] - mx);
        ssr += e * e;
    }
    double want = g / sqrt(ssr / (double)(n - 2) / sxx);
    sheaf_adf_options o = {SHEAF_TREND_C, SHEAF_ADF_AUTOLAG_NONE, 0};
    sheaf_adf_result r;
    cr_assert_eq(sheaf_adfuller(NULL, x, T, &o, &r), SHEAF_OK, "%s", sheaf_last_error());
    cr_assert_eq(r.nobs, n);
    cr_assert(fabs(r.stat - want) <= 1e-11 * fabs(want), "%.17g vs %.17g", r.stat, want);
    /* and the default autolag run over the same blocks agrees with the batch */
    sheaf_adf_result one, many;
    sheaf_status status;
    cr_assert_eq(sheaf_adfuller(NULL, x, T, NULL, &one), SHEAF_OK);
    cr_assert_eq(sheaf_adfuller_many(NULL, x, 1, T, T, NULL, &many, &status), SHEAF_OK);
    cr_assert(memcmp(&one, &many, sizeof one) == 0);
    cr_assert_eq(one.maxlag, 29); /* ceil(12 (30)^(1/4)) */
}

/* T x n_series copies of the reference series (a window of ST_GEN_RW, ST_GEN_AR1
 * and ST_LYNX), row-major with leading dimension ld. */
static double *batch(size_t n_series, size_t T, size_t ld)
{
    const double *src[3] = {ST_GEN_RW, ST_GEN_AR1, ST_LYNX};
    double *x = calloc(n_series * ld, sizeof *x);
    for (size_t i = 0; i < n_series; i++)
        for (size_t t = 0; t < T; t++)
            x[i * ld + t] = src[i % 3][t + i / 3 % 5] * (1.0 + 0.01 * (double)i);
    return x;
}

Test(adf, many_equals_the_single_calls_bit_for_bit_for_any_thread_count)
{
    size_t n_series = 53, T = 100, ld = 103;
    double *x = batch(n_series, T, ld);
    sheaf_adf_result *one = malloc(n_series * sizeof *one), *many = malloc(n_series * sizeof *many);
    sheaf_status *status = malloc(n_series * sizeof *status);
    for (int trend = 0; trend < 4; trend++)
        for (int al = 0; al < 4; al++) {
            sheaf_adf_options o = {(sheaf_trend)trend, (sheaf_adf_autolag)al,
                                   SHEAF_ADF_MAXLAG_DEFAULT};
            memset(one, 0, n_series * sizeof *one);
            for (size_t i = 0; i < n_series; i++)
                cr_assert_eq(sheaf_adfuller(NULL, x + i * ld, T, &o, one + i), SHEAF_OK, "%s",
                             sheaf_last_error());
            for (int threads = 1; threads <= 4; threads *= 2) {
                sheaf_ctx *ctx = NULL;
                cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
                cr_assert_eq(sheaf_ctx_set_threads(ctx, threads), SHEAF_OK);
                memset(many, 0, n_series * sizeof *many);
                cr_assert_eq(sheaf_adfuller_many(ctx, x, n_series, T, ld, &o, many, status),
                             SHEAF_OK, "%s", sheaf_last_error());
                for (size_t i = 0; i < n_series; i++) {
                    cr_assert_eq(status[i], SHEAF_OK);
                    cr_assert(memcmp(one + i, many + i, sizeof *one) == 0,
                              "series %zu trend %d autolag %d threads %d", i, trend, al, threads);
                }
                cr_assert_eq(sheaf_adfuller_many(ctx, x, n_series, T, ld, &o, many, NULL),
                             SHEAF_OK);
                sheaf_ctx_free(ctx);
            }
        }
    free(x);
    free(one);
    free(many);
    free(status);
}

Test(adf, a_bad_series_in_a_batch_fails_alone)
{
    size_t n_series = 40, T = 80, ld = 80;
    double *x = batch(n_series, T, ld);
    x[7 * ld + 50] = NAN;
    for (size_t t = 0; t < T; t++)
        x[21 * ld + t] = 2.5;
    x[33 * ld + 0] = INFINITY;
    sheaf_adf_result out[40];
    sheaf_status status[40];
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, 2), SHEAF_OK);
    cr_assert_eq(sheaf_adfuller_many(ctx, x, n_series, T, ld, NULL, out, status), SHEAF_OK);
    for (size_t i = 0; i < n_series; i++) {
        sheaf_status want = i == 7 || i == 33 ? SHEAF_ERR_NONFINITE
                            : i == 21         ? SHEAF_ERR_SINGULAR
                                              : SHEAF_OK;
        cr_assert_eq(status[i], want, "series %zu: %s", i, sheaf_status_name(status[i]));
        if (want == SHEAF_OK)
            cr_assert(isfinite(out[i].stat) && isfinite(out[i].pvalue));
        else
            cr_assert(isnan(out[i].stat) && isnan(out[i].pvalue) && isnan(out[i].crit[0]));
    }
    /* without a status array the lowest failing series fails the call */
    assert_error(sheaf_adfuller_many(ctx, x, n_series, T, ld, NULL, out, NULL), SHEAF_ERR_NONFINITE,
                 "sheaf_adfuller_many: series 7: x[50] is nan");
    sheaf_ctx_free(ctx);
    free(x);
}

Test(adf, many_bad_arguments)
{
    double x[20] = {0};
    sheaf_adf_result out[2];
    sheaf_status status[2];
    cr_assert_eq(sheaf_adfuller_many(NULL, NULL, 0, 10, 10, NULL, NULL, NULL), SHEAF_OK);
    assert_error(sheaf_adfuller_many(NULL, NULL, 2, 10, 10, NULL, out, status),
                 SHEAF_ERR_INVALID_ARGUMENT, "x is NULL");
    assert_error(sheaf_adfuller_many(NULL, x, 2, 10, 10, NULL, NULL, status),
                 SHEAF_ERR_INVALID_ARGUMENT, "out is NULL");
    assert_error(sheaf_adfuller_many(NULL, x, 2, 10, 9, NULL, out, status), SHEAF_ERR_DIMENSION,
                 "ld = 9 is less than the series length T = 10");
    sheaf_adf_options o = sheaf_adf_options_default();
    o.trend = SHEAF_TREND_CTT;
    assert_error(sheaf_adfuller_many(NULL, x, 2, 6, 10, &o, out, status),
                 SHEAF_ERR_INVALID_ARGUMENT, "n = 6 is too short for regression 'ctt'");
}

Test(adf, bad_inputs_name_the_problem)
{
    sheaf_adf_result r;
    sheaf_adf_options o = sheaf_adf_options_default();
    assert_error(sheaf_adfuller(NULL, NULL, 10, NULL, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_adfuller: x is NULL");
    assert_error(sheaf_adfuller(NULL, ST_GEN_AR1, 100, NULL, NULL), SHEAF_ERR_INVALID_ARGUMENT,
                 "out is NULL");
    o.trend = (sheaf_trend)7;
    assert_error(sheaf_adfuller(NULL, ST_GEN_AR1, 100, &o, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "trend 7 is not one of n, c, ct, ctt");
    o = sheaf_adf_options_default();
    o.autolag = (sheaf_adf_autolag)9;
    assert_error(sheaf_adfuller(NULL, ST_GEN_AR1, 100, &o, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "autolag 9");
    /* statsmodels: 'sample size is too short to use selected regression component' */
    o = sheaf_adf_options_default();
    o.trend = SHEAF_TREND_CTT;
    assert_error(sheaf_adfuller(NULL, ST_GEN_AR1, 6, &o, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "n = 6 is too short for regression 'ctt' (needs at least 8 observations)");
    assert_error(sheaf_adfuller(NULL, ST_GEN_AR1, 0, &o, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "n = 0 is too short");
    cr_assert(isnan(r.stat) && isnan(r.pvalue));
    /* statsmodels: 'maxlag must be less than (nobs/2 - 1 - ntrend)' */
    o = sheaf_adf_options_default();
    o.maxlag = 2;
    assert_error(sheaf_adfuller(NULL, ST_GEN_AR1, 6, &o, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "maxlag 2 needs n >= 8 for regression 'c'");
    /* trend n, n = 2 maxlag + 2: the largest fit would have no residual df */
    o.trend = SHEAF_TREND_N;
    o.maxlag = 3;
    assert_error(sheaf_adfuller(NULL, ST_GEN_AR1, 8, &o, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "no residual degrees of freedom (needs n >= 9");
    o.maxlag = SHEAF_ADF_MAXLAG_DEFAULT;
    assert_error(sheaf_adfuller(NULL, ST_GEN_AR1, 20, &o, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "n = 20 is too short for maxlag 9 with regression 'n'");
}

Test(adf, nan_inf_and_constant_series_are_errors)
{
    double x[100];
    memcpy(x, ST_GEN_AR1, sizeof x);
    x[50] = NAN;
    sheaf_adf_result r;
    /* statsmodels: MissingDataError: exog contains inf or nans */
    assert_error(sheaf_adfuller(NULL, x, 100, NULL, &r), SHEAF_ERR_NONFINITE,
                 "sheaf_adfuller: x[50] is nan");
    x[50] = -INFINITY;
    assert_error(sheaf_adfuller(NULL, x, 100, NULL, &r), SHEAF_ERR_NONFINITE, "x[50] is -inf");
    /* statsmodels returns [nan, nan, 0, 99, -inf] */
    for (size_t t = 0; t < 100; t++)
        x[t] = 3.0;
    assert_error(sheaf_adfuller(NULL, x, 100, NULL, &r), SHEAF_ERR_SINGULAR,
                 "the series is constant (x[0] = 3 everywhere)");
    /* an exact quadratic: the level is a combination of [1, t, t^2] */
    for (size_t t = 0; t < 100; t++)
        x[t] = 1.0 + 0.5 * (double)t + 0.25 * (double)(t * t);
    sheaf_adf_options o = sheaf_adf_options_default();
    o.trend = SHEAF_TREND_CTT;
    o.autolag = SHEAF_ADF_AUTOLAG_NONE;
    o.maxlag = 0;
    assert_error(sheaf_adfuller(NULL, x, 100, &o, &r), SHEAF_ERR_SINGULAR,
                 "the lagged level x[t-1] is collinear");
    /* an exact line under 'c': dx is constant, collinear with the constant */
    for (size_t t = 0; t < 100; t++)
        x[t] = 2.0 - 0.5 * (double)t;
    o.trend = SHEAF_TREND_C;
    o.maxlag = 2;
    assert_error(sheaf_adfuller(NULL, x, 100, &o, &r), SHEAF_ERR_SINGULAR, "is collinear");
}

Test(adf, each_allocation_failure_is_reported)
{
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, 1), SHEAF_OK);
    size_t n_series = 20, T = 100;
    double *x = batch(n_series, T, T);
    sheaf_adf_result out[20];
    sheaf_status status[20];
    sheaf_debug_fail_allocation(0);
    cr_assert_eq(sheaf_adfuller(NULL, x, T, NULL, out), SHEAF_OK);
    uint64_t count = sheaf_debug_fail_allocation(0);
    for (uint64_t n = 1; n <= count; n++) {
        sheaf_debug_fail_allocation(n);
        sheaf_status st = sheaf_adfuller(NULL, x, T, NULL, out);
        sheaf_debug_fail_allocation(0);
        assert_error(st, SHEAF_ERR_NOMEM, "out of memory");
    }
    cr_assert_eq(sheaf_adfuller_many(ctx, x, n_series, T, T, NULL, out, status), SHEAF_OK);
    count = sheaf_debug_fail_allocation(0);
    cr_assert_gt(count, 1);
    for (uint64_t n = 1; n <= count; n++) {
        sheaf_debug_fail_allocation(n);
        sheaf_status st = sheaf_adfuller_many(ctx, x, n_series, T, T, NULL, out, status);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu: %s", (unsigned long long)n,
                     sheaf_last_error());
    }
    sheaf_ctx_free(ctx);
    free(x);
}
