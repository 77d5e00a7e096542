/* test_var_analysis.c - what follows a VAR fit (include/sheaf_var.h) against
 * statsmodels 0.13.5 as recorded in tests/data/timeseries/var_refs.h:
 * select_order tables (macrodata, EuStockMarkets, a generated system),
 * forecasts and intervals, forecast-error covariances, impulse responses
 * with asymptotic standard errors, FEVD, roots and stability, the Wald
 * causality tests, instantaneous causality, whiteness and normality; all on
 * VAR(MACRO_Y).fit(2) unless named, to 1e-9 relative. Then partitions,
 * threads and bad inputs. */
#include "../data/timeseries/var_refs.h"
#include "sheaf.h"
#include "ts_test_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static sheaf_var *macro_var2(void)
{
    sheaf_var *v = NULL;
    cr_assert_eq(sheaf_var_fit(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 3, 2, SHEAF_TREND_C, &v), SHEAF_OK,
                 "%s", sheaf_last_error());
    return v;
}

static void check_select(const double *y, size_t T, size_t k, const double *ics,
                         const double *selected, const char *what)
{
    double got[36];
    size_t sel[4], used = 0;
    cr_assert_eq(sheaf_var_select_order(NULL, y, T, k, k, 8, SHEAF_TREND_C, got, sel, &used),
                 SHEAF_OK, "%s: %s", what, sheaf_last_error());
    cr_assert_eq(used, 8);
    assert_close(got, ics, 36, 1e-9, what);
    for (size_t c = 0; c < 4; c++)
        cr_assert_eq((double)sel[c], selected[c], "%s selected[%zu] = %zu", what, c, sel[c]);
}

Test(var_analysis, select_order_matches_statsmodels)
{
    check_select(MACRO_Y, MACRO_Y_ROWS, 3, MACRO_SELECT8_ICS, MACRO_SELECT8_SELECTED, "macro");
    check_select(EU_Y, EU_Y_ROWS, 4, EU_SELECT8_ICS, EU_SELECT8_SELECTED, "eu");
    check_select(GEN_Y, GEN_Y_ROWS, 3, GEN_SELECT8_ICS, GEN_SELECT8_SELECTED, "gen");
}

Test(var_analysis, select_order_default_maxlags_and_limits)
{
    size_t used = 0;
    /* statsmodels: round(12 (202 / 100)^(1/4)) = 14 */
    cr_assert_eq(sheaf_var_select_order(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 3,
                                        SHEAF_VAR_MAXLAGS_DEFAULT, SHEAF_TREND_C, NULL, NULL,
                                        &used),
                 SHEAF_OK);
    cr_assert_eq(used, 14);
    /* 30 rows of 3 series: the largest estimable order is (30 - 3 - 1) / 4 = 6 */
    cr_assert_eq(sheaf_var_select_order(NULL, MACRO_Y, 30, 3, 3, SHEAF_VAR_MAXLAGS_DEFAULT,
                                        SHEAF_TREND_C, NULL, NULL, &used),
                 SHEAF_OK);
    cr_assert_eq(used, 6);
    double ics[36];
    cr_assert_eq(sheaf_var_select_order(NULL, MACRO_Y, 30, 3, 3, 8, SHEAF_TREND_C, ics, NULL, NULL),
                 SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(sheaf_last_error(), "maxlags = 8") &&
                  strstr(sheaf_last_error(), "largest estimable order is 6"),
              "%s", sheaf_last_error());
    /* trend n starts at p = 1: row 0 is NaN, the choices are >= 1 */
    size_t sel[4];
    cr_assert_eq(
        sheaf_var_select_order(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 3, 4, SHEAF_TREND_N, ics, sel, NULL),
        SHEAF_OK);
    cr_assert(isnan(ics[0]) && isfinite(ics[4]));
    for (size_t c = 0; c < 4; c++)
        cr_assert(sel[c] >= 1);
}

Test(var_analysis, select_order_rows_equal_the_fits_on_the_common_sample)
{
    /* order p on rows 8..T-1 = VAR(p) fitted to Y[8 - p:] (statsmodels' offset) */
    double ics[36];
    cr_assert_eq(
        sheaf_var_select_order(NULL, GEN_Y, GEN_Y_ROWS, 3, 3, 8, SHEAF_TREND_CT, ics, NULL, NULL),
        SHEAF_OK);
    for (size_t p = 1; p <= 8; p++) {
        sheaf_var *v = NULL;
        cr_assert_eq(sheaf_var_fit(NULL, GEN_Y + 3 * (8 - p), GEN_Y_ROWS - (8 - p), 3, 3, p,
                                   SHEAF_TREND_CT, &v),
                     SHEAF_OK);
        sheaf_var_info info;
        sheaf_var_info_criteria(v, &info);
        assert_close(&ics[4 * p], &info.aic, 1, 1e-10, "aic");
        assert_close(&ics[4 * p + 1], &info.bic, 1, 1e-10, "bic");
        assert_close(&ics[4 * p + 3], &info.fpe, 1, 1e-10, "fpe");
        sheaf_var_free(v);
    }
}

Test(var_analysis, forecast_and_intervals_match_statsmodels)
{
    sheaf_var *v = macro_var2();
    double fc[24], lo[24], hi[24], mse[72];
    cr_assert_eq(sheaf_var_forecast(v, MACRO_FC_Y_LAST, 2, 3, 8, fc), SHEAF_OK);
    assert_close(fc, MACRO_FC, 24, 1e-9, "forecast");
    /* the whole series as y_last: its last p rows are used */
    cr_assert_eq(sheaf_var_forecast(v, MACRO_Y, MACRO_Y_ROWS, 3, 8, fc), SHEAF_OK);
    assert_close(fc, MACRO_FC, 24, 1e-9, "forecast from the series");
    cr_assert_eq(sheaf_var_mse(v, 8, mse), SHEAF_OK);
    assert_close(mse, MACRO_FC_MSE, 72, 1e-9, "mse");
    cr_assert_eq(sheaf_var_forecast_interval(v, MACRO_FC_Y_LAST, 2, 3, 8, 0.05, fc, lo, hi),
                 SHEAF_OK);
    assert_close(lo, MACRO_FC_LOWER, 24, 1e-9, "lower");
    assert_close(hi, MACRO_FC_UPPER, 24, 1e-9, "upper");
    sheaf_var_free(v);
}

Test(var_analysis, trend_continues_after_the_sample)
{
    /* with ct the h-step forecast uses trend value T + h; check against the
     * recursion written out from the fitted parameters */
    sheaf_var *v = NULL;
    cr_assert_eq(sheaf_var_fit(NULL, GEN_Y, GEN_Y_ROWS, 3, 3, 2, SHEAF_TREND_CT, &v), SHEAF_OK);
    double params[24], coefs[18], fc[6];
    sheaf_var_params(v, params, NULL, NULL, NULL);
    sheaf_var_coefs(v, coefs);
    cr_assert_eq(sheaf_var_forecast(v, GEN_Y, GEN_Y_ROWS, 3, 2, fc), SHEAF_OK);
    const double *y1 = GEN_Y + 3 * (GEN_Y_ROWS - 1), *y2 = GEN_Y + 3 * (GEN_Y_ROWS - 2);
    for (size_t i = 0; i < 3; i++) {
        double want = params[i] + params[3 + i] * (GEN_Y_ROWS + 1);
        for (size_t j = 0; j < 3; j++)
            want += coefs[i * 3 + j] * y1[j] + coefs[9 + i * 3 + j] * y2[j];
        assert_close(&fc[i], &want, 1, 1e-12, "ct forecast");
    }
    sheaf_var_free(v);
}

Test(var_analysis, impulse_responses_and_standard_errors_match_statsmodels)
{
    sheaf_var *v = macro_var2();
    double irf[99], orth[99], se[99], ose[99];
    cr_assert_eq(sheaf_var_irf(v, 10, irf, orth, se, ose), SHEAF_OK, "%s", sheaf_last_error());
    assert_close(irf, MACRO_IRF, 99, 1e-9, "irfs");
    assert_close(orth, MACRO_IRF_ORTH, 99, 1e-9, "orth_irfs");
    assert_close(se, MACRO_IRF_STDERR, 99, 1e-9, "stderr");
    assert_close(ose, MACRO_IRF_ORTH_STDERR, 99, 1e-9, "orth stderr");
    /* any output may be skipped */
    cr_assert_eq(sheaf_var_irf(v, 10, NULL, NULL, NULL, ose), SHEAF_OK);
    assert_close(ose, MACRO_IRF_ORTH_STDERR, 99, 1e-9, "orth stderr alone");
    sheaf_var_free(v);
}

Test(var_analysis, fevd_matches_statsmodels)
{
    sheaf_var *v = macro_var2();
    double d[90];
    cr_assert_eq(sheaf_var_fevd(v, 10, d), SHEAF_OK);
    assert_close(d, MACRO_FEVD, 90, 1e-9, "fevd");
    sheaf_var_free(v);
}

static void check_moduli(sheaf_var *v, const double *eig_moduli_desc, size_t n, int want_stable)
{
    double re[16], im[16];
    int stable = -1;
    cr_assert_eq(sheaf_var_roots(v, re, im, &stable), SHEAF_OK, "%s", sheaf_last_error());
    cr_assert_eq(stable, want_stable);
    for (size_t i = 0; i < n; i++) { /* roots by decreasing modulus = 1 / eigenvalues ascending */
        double got = hypot(re[i], im[i]), want = 1.0 / eig_moduli_desc[n - 1 - i];
        assert_close(&got, &want, 1, 1e-9, "root modulus");
    }
}

Test(var_analysis, roots_and_stability_match_statsmodels)
{
    sheaf_var *v = macro_var2();
    check_moduli(v, MACRO_COMPANION_MODULI, 6, MACRO_IS_STABLE == 1.0);
    double re[6], im[6];
    cr_assert_eq(sheaf_var_roots(v, re, im, NULL), SHEAF_OK);
    for (size_t i = 0; i < 6; i++) {
        double got = hypot(re[i], im[i]);
        assert_close(&got, &MACRO_ROOTS_MODULI[i], 1, 1e-9, "res.roots moduli");
    }
    sheaf_var_free(v);
    cr_assert_eq(sheaf_var_fit(NULL, GEN_Y, GEN_Y_ROWS, 3, 3, 2, SHEAF_TREND_C, &v), SHEAF_OK);
    check_moduli(v, GEN_COMPANION_MODULI, 6, GEN_IS_STABLE == 1.0);
    sheaf_var_free(v);
    /* a random walk fitted as a VAR(1) with an explosive coefficient: unstable */
    double y[2 * 40];
    for (size_t t = 0; t < 40; t++) {
        y[2 * t] = pow(1.1, (double)t) + 0.01 * sin((double)t);
        y[2 * t + 1] = cos(0.7 * (double)t);
    }
    cr_assert_eq(sheaf_var_fit(NULL, y, 40, 2, 2, 1, SHEAF_TREND_C, &v), SHEAF_OK);
    int stable = -1;
    cr_assert_eq(sheaf_var_roots(v, NULL, NULL, &stable), SHEAF_OK);
    cr_assert_eq(stable, 0);
    sheaf_var_free(v);
}

static void check_causality(sheaf_var *v, const size_t *caused, size_t nc, const size_t *causing,
                            size_t ni, const double *want_f, const double *want_wald)
{
    sheaf_var_test t;
    cr_assert_eq(sheaf_var_test_causality(v, caused, nc, causing, ni, SHEAF_VAR_TEST_F, 0.05, &t),
                 SHEAF_OK, "%s", sheaf_last_error());
    double got[4] = {t.statistic, t.pvalue, t.df_num, t.df_denom};
    assert_close(got, want_f, 1, 1e-9, "F");
    cr_assert(fabs(got[1] - want_f[1]) <= 1e-9, "F p %.17g vs %.17g", got[1], want_f[1]);
    cr_assert_eq(got[2], want_f[2]);
    cr_assert_eq(got[3], want_f[3]);
    cr_assert_eq(
        sheaf_var_test_causality(v, caused, nc, causing, ni, SHEAF_VAR_TEST_WALD, 0.05, &t),
        SHEAF_OK);
    assert_close(&t.statistic, &want_wald[0], 1, 1e-9, "Wald");
    cr_assert(fabs(t.pvalue - want_wald[1]) <= 1e-9);
    cr_assert_eq(t.df_num, want_wald[2]);
    cr_assert(isnan(t.df_denom));
}

Test(var_analysis, causality_tests_match_statsmodels)
{
    sheaf_var *v = macro_var2();
    size_t gdp = 0, cons = 1, inv = 2, gdpcons[2] = {0, 1}, others[2] = {0, 2};
    check_causality(v, &gdp, 1, &inv, 1, MACRO_CAUSALITY_GDP_BY_INV_F,
                    MACRO_CAUSALITY_GDP_BY_INV_WALD);
    check_causality(v, gdpcons, 2, &inv, 1, MACRO_CAUSALITY_GDPCONS_BY_INV_F,
                    MACRO_CAUSALITY_GDPCONS_BY_INV_WALD);
    check_causality(v, &inv, 1, gdpcons, 2, MACRO_CAUSALITY_INV_BY_GDPCONS_F,
                    MACRO_CAUSALITY_INV_BY_GDPCONS_WALD);
    check_causality(v, &cons, 1, others, 2, MACRO_CAUSALITY_CONS_BY_OTHERS_F,
                    MACRO_CAUSALITY_CONS_BY_OTHERS_WALD);
    /* no causing list: every series not caused (what statsmodels documents) */
    check_causality(v, &cons, 1, NULL, 0, MACRO_CAUSALITY_CONS_BY_OTHERS_F,
                    MACRO_CAUSALITY_CONS_BY_OTHERS_WALD);
    sheaf_var_test t;
    cr_assert_eq(sheaf_var_test_inst_causality(v, &inv, 1, 0.05, &t), SHEAF_OK);
    assert_close(&t.statistic, &MACRO_INST_CAUSALITY_INV[0], 1, 1e-9, "inst inv");
    cr_assert(fabs(t.pvalue - MACRO_INST_CAUSALITY_INV[1]) <= 1e-12);
    cr_assert_eq(t.df_num, MACRO_INST_CAUSALITY_INV[2]);
    cr_assert_eq(sheaf_var_test_inst_causality(v, &gdp, 1, 0.05, &t), SHEAF_OK);
    assert_close(&t.statistic, &MACRO_INST_CAUSALITY_GDP[0], 1, 1e-9, "inst gdp");
    cr_assert(fabs(t.pvalue - MACRO_INST_CAUSALITY_GDP[1]) <= 1e-12);
    sheaf_var_free(v);
}

Test(var_analysis, residual_tests_match_statsmodels)
{
    sheaf_var *v = macro_var2();
    sheaf_var_test t;
    cr_assert_eq(sheaf_var_test_whiteness(NULL, v, MACRO_Y, MACRO_Y_ROWS, 3, 10, 0, 0.05, &t),
                 SHEAF_OK, "%s", sheaf_last_error());
    assert_close(&t.statistic, &MACRO_WHITENESS[0], 1, 1e-9, "whiteness");
    cr_assert(fabs(t.pvalue - MACRO_WHITENESS[1]) <= 1e-9);
    cr_assert_eq(t.df_num, MACRO_WHITENESS[2]);
    cr_assert_eq(sheaf_var_test_normality(NULL, v, MACRO_Y, MACRO_Y_ROWS, 3, 0.05, &t), SHEAF_OK);
    assert_close(&t.statistic, &MACRO_NORMALITY[0], 1, 1e-9, "normality");
    cr_assert(fabs(t.pvalue - MACRO_NORMALITY[1]) <= 1e-9);
    cr_assert_eq(t.df_num, MACRO_NORMALITY[2]);
    sheaf_var_free(v);
}

Test(var_analysis, residuals_are_the_fit_errors_for_any_partitioning)
{
    sheaf_var *v = macro_var2();
    size_t n = MACRO_Y_ROWS - 2;
    double *a = malloc(2 * n * 3 * sizeof(double)), f[3];
    cr_assert_eq(sheaf_var_resid(NULL, v, MACRO_Y, MACRO_Y_ROWS, 3, a), SHEAF_OK);
    /* the residual of the last row is y_{T-1} minus the one-step forecast from rows T-3, T-2 */
    cr_assert_eq(sheaf_var_forecast(v, MACRO_Y, MACRO_Y_ROWS - 1, 3, 1, f), SHEAF_OK);
    sheaf_var_free(v); /* the forecast above used trend value T; refit is not needed for c */
    v = macro_var2();
    for (size_t i = 0; i < 3; i++) {
        double want = MACRO_Y[3 * (MACRO_Y_ROWS - 1) + i] - f[i];
        assert_close(&a[3 * (n - 1) + i], &want, 1, 1e-12, "last residual");
    }
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    sheaf_ctx_set_threads(ctx, 2);
    sheaf_ctx_set_partitions(ctx, 7);
    cr_assert_eq(sheaf_var_resid(ctx, v, MACRO_Y, MACRO_Y_ROWS, 3, a + 3 * n), SHEAF_OK);
    cr_assert(memcmp(a, a + 3 * n, 3 * n * sizeof(double)) == 0);
    sheaf_ctx_free(ctx);
    free(a);
    sheaf_var_free(v);
}

Test(var_analysis, select_order_agrees_across_partitions_and_threads)
{
    double base[36], got[36];
    cr_assert_eq(
        sheaf_var_select_order(NULL, EU_Y, EU_Y_ROWS, 4, 4, 8, SHEAF_TREND_C, base, NULL, NULL),
        SHEAF_OK);
    size_t parts[3] = {1, 3, 16};
    for (size_t a = 0; a < 3; a++)
        for (int threads = 1; threads <= 4; threads *= 2) {
            sheaf_ctx *ctx = NULL;
            cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
            sheaf_ctx_set_threads(ctx, threads);
            sheaf_ctx_set_partitions(ctx, parts[a]);
            cr_assert_eq(sheaf_var_select_order(ctx, EU_Y, EU_Y_ROWS, 4, 4, 8, SHEAF_TREND_C, got,
                                                NULL, NULL),
                         SHEAF_OK);
            assert_close(got, base, 36, 1e-10, "partitions");
            sheaf_ctx_free(ctx);
        }
}

Test(var_analysis, mean_model_of_order_zero)
{
    /* VAR(0) with a constant: the intercepts are the column means */
    sheaf_var *v = NULL;
    cr_assert_eq(sheaf_var_fit(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 3, 0, SHEAF_TREND_C, &v), SHEAF_OK,
                 "%s", sheaf_last_error());
    double params[3], fc[6];
    sheaf_var_params(v, params, NULL, NULL, NULL);
    for (size_t i = 0; i < 3; i++) {
        double mean = 0.0;
        for (size_t t = 0; t < MACRO_Y_ROWS; t++)
            mean += MACRO_Y[3 * t + i];
        mean /= MACRO_Y_ROWS;
        assert_close(&params[i], &mean, 1, 1e-12, "mean");
    }
    cr_assert_eq(sheaf_var_forecast(v, MACRO_Y, 0, 3, 2, fc), SHEAF_OK);
    assert_close(fc + 3, params, 3, 0, "flat forecast");
    sheaf_var_test t;
    size_t a = 0, b = 2;
    cr_assert_eq(sheaf_var_test_causality(v, &a, 1, &b, 1, SHEAF_VAR_TEST_F, 0.05, &t),
                 SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(sheaf_last_error(), "VAR(0)"), "%s", sheaf_last_error());
    cr_assert_eq(sheaf_var_roots(v, NULL, NULL, NULL), SHEAF_ERR_INVALID_ARGUMENT);
    sheaf_var_free(v);
    cr_assert_eq(sheaf_var_fit(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 3, 0, SHEAF_TREND_N, &v),
                 SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(sheaf_last_error(), "no regressors"), "%s", sheaf_last_error());
}

Test(var_analysis, bad_inputs_are_named)
{
    sheaf_var *v = macro_var2();
    double out[64];
    sheaf_var_test t;
    cr_assert_eq(sheaf_var_forecast(v, MACRO_Y, 1, 3, 4, out), SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(sheaf_last_error(), "last 2 rows"), "%s", sheaf_last_error());
    cr_assert_eq(sheaf_var_forecast(v, MACRO_Y, 2, 3, 0, out), SHEAF_ERR_INVALID_ARGUMENT);
    double bad[6] = {0.1, 0.2, 0.3, 0.4, NAN, 0.6};
    cr_assert_eq(sheaf_var_forecast(v, bad, 2, 3, 1, out), SHEAF_ERR_NONFINITE);
    cr_assert(strstr(sheaf_last_error(), "y_last[1][1]"), "%s", sheaf_last_error());
    cr_assert_eq(sheaf_var_forecast_interval(v, MACRO_Y, 2, 3, 1, 1.5, out, out + 3, out + 6),
                 SHEAF_ERR_INVALID_ARGUMENT);
    size_t idx[2] = {0, 3}, dup[2] = {1, 1}, zero = 0;
    cr_assert_eq(sheaf_var_test_causality(v, idx, 2, NULL, 0, SHEAF_VAR_TEST_F, 0.05, &t),
                 SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(sheaf_last_error(), "caused[1] = 3"), "%s", sheaf_last_error());
    cr_assert_eq(sheaf_var_test_causality(v, &zero, 1, dup, 2, SHEAF_VAR_TEST_F, 0.05, &t),
                 SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(sheaf_last_error(), "repeats series 1"), "%s", sheaf_last_error());
    cr_assert_eq(sheaf_var_test_causality(v, &zero, 1, NULL, 0, SHEAF_VAR_TEST_F, 0.0, &t),
                 SHEAF_ERR_INVALID_ARGUMENT);
    size_t all[3] = {0, 1, 2};
    cr_assert_eq(sheaf_var_test_inst_causality(v, all, 3, 0.05, &t), SHEAF_ERR_INVALID_ARGUMENT);
    /* statsmodels: "nlags is larger than the number of lags included in the model" */
    cr_assert_eq(sheaf_var_test_whiteness(NULL, v, MACRO_Y, MACRO_Y_ROWS, 3, 2, 0, 0.05, &t),
                 SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(sheaf_last_error(), "nlags = 2"), "%s", sheaf_last_error());
    cr_assert_eq(sheaf_var_test_whiteness(NULL, v, MACRO_Y, 100, 3, 10, 0, 0.05, &t),
                 SHEAF_ERR_DIMENSION);
    cr_assert(strstr(sheaf_last_error(), "fitted on 202"), "%s", sheaf_last_error());
    double *y = malloc(sizeof MACRO_Y);
    memcpy(y, MACRO_Y, sizeof MACRO_Y);
    y[3 * 50 + 2] = INFINITY;
    cr_assert_eq(sheaf_var_resid(NULL, v, y, MACRO_Y_ROWS, 3, out), SHEAF_ERR_NONFINITE);
    cr_assert(strstr(sheaf_last_error(), "series 2 at row 50"), "%s", sheaf_last_error());
    cr_assert_eq(
        sheaf_var_select_order(NULL, y, MACRO_Y_ROWS, 3, 3, 4, SHEAF_TREND_C, out, NULL, NULL),
        SHEAF_ERR_NONFINITE);
    free(y);
    cr_assert_eq(sheaf_var_select_order(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 2, 4, SHEAF_TREND_C, out,
                                        NULL, NULL),
                 SHEAF_ERR_DIMENSION);
    cr_assert_eq(sheaf_var_irf(NULL, 4, out, NULL, NULL, NULL), SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert_eq(sheaf_var_fevd(v, 0, out), SHEAF_ERR_INVALID_ARGUMENT);
    sheaf_var_free(v);
    /* a constant series beside a constant: singular, named by select_order too */
    double *c = malloc(sizeof MACRO_Y);
    memcpy(c, MACRO_Y, sizeof MACRO_Y);
    for (size_t r = 0; r < MACRO_Y_ROWS; r++)
        c[3 * r + 2] = 0.5;
    cr_assert_eq(
        sheaf_var_select_order(NULL, c, MACRO_Y_ROWS, 3, 3, 4, SHEAF_TREND_C, out, NULL, NULL),
        SHEAF_ERR_SINGULAR);
    cr_assert(strstr(sheaf_last_error(), "series 2 is constant (0.5 in all 202 rows)"), "%s",
              sheaf_last_error());
    sheaf_var *w = NULL;
    /* trend n, two lags: the constant's two lags are collinear with each other
     * (statsmodels returns a fit with det sigma_u ~ 1e-42 there) */
    cr_assert_eq(sheaf_var_fit(NULL, c, MACRO_Y_ROWS, 3, 3, 2, SHEAF_TREND_N, &w),
                 SHEAF_ERR_SINGULAR);
    /* collinear series: the wrapped message holds the inner one once, intact */
    for (size_t r = 0; r < MACRO_Y_ROWS; r++)
        c[3 * r + 2] = MACRO_Y[3 * r] + 2.0 * MACRO_Y[3 * r + 1];
    cr_assert_eq(sheaf_var_fit(NULL, c, MACRO_Y_ROWS, 3, 3, 2, SHEAF_TREND_C, &w),
                 SHEAF_ERR_SINGULAR);
    const char *msg = sheaf_last_error(), *inner = strstr(msg, "is collinear with the others");
    cr_assert(strncmp(msg, "sheaf_var_fit: the regressors are collinear (", 45) == 0 && inner &&
                  !strstr(inner + 1, "is collinear with the others"),
              "%s", msg);
    free(c);
}
