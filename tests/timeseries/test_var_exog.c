/* test_var_exog.c - VAR with exogenous series (sheaf_var_fit_exog,
 * sheaf_var_select_order_exog, the _exog forecasts) against statsmodels
 * 0.13.5's VAR(endog, exog) as recorded in var_exog_refs.h (macrodata
 * growth rates, with government spending growth and the change of
 * unemployment as exog): params, bse, sigma_u, criteria for trends c, ct
 * and n, forecasts with exog_future and their intervals, IRF standard
 * errors, causality, whiteness and the select_order table, to 1e-9. */
#include "../data/timeseries/var_exog_refs.h"
#include "../data/timeseries/var_refs.h"
#include "sheaf.h"
#include "ts_test_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static sheaf_var *fit(size_t p, sheaf_trend trend)
{
    sheaf_var *v = NULL;
    cr_assert_eq(sheaf_var_fit_exog(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 3, EXOG_X, 2, 2, p, trend, &v),
                 SHEAF_OK, "%s", sheaf_last_error());
    return v;
}

static void check_fit(size_t p, sheaf_trend trend, const double *params, const double *bse,
                      size_t n, const double *sigma_u, const double *info, const char *what)
{
    sheaf_var *v = fit(p, trend);
    double a[64], b[64], s[9];
    cr_assert_eq(sheaf_var_k_exog(v), 2);
    sheaf_var_params(v, a, b, NULL, NULL);
    assert_close(a, params, n, 1e-9, what);
    assert_close(b, bse, n, 1e-9, what);
    sheaf_var_sigma_u(v, s, NULL);
    assert_close(s, sigma_u, 9, 1e-9, what);
    sheaf_var_info i;
    sheaf_var_info_criteria(v, &i);
    double got[6] = {i.llf, i.aic, i.bic, i.hqic, i.fpe, (double)sheaf_var_df_resid(v)};
    assert_close(got, info, 6, 1e-9, what);
    sheaf_var_free(v);
}

Test(var_exog, fits_match_statsmodels_for_trends_c_ct_n)
{
    check_fit(2, SHEAF_TREND_C, EXOG_VAR2_C_PARAMS, EXOG_VAR2_C_BSE, EXOG_VAR2_C_PARAMS_LEN,
              EXOG_VAR2_C_SIGMA_U, EXOG_VAR2_C_INFO, "c");
    check_fit(1, SHEAF_TREND_CT, EXOG_VAR1_CT_PARAMS, EXOG_VAR1_CT_BSE, EXOG_VAR1_CT_PARAMS_LEN,
              EXOG_VAR1_CT_SIGMA_U, EXOG_VAR1_CT_INFO, "ct");
    check_fit(2, SHEAF_TREND_N, EXOG_VAR2_N_PARAMS, EXOG_VAR2_N_BSE, EXOG_VAR2_N_PARAMS_LEN,
              EXOG_VAR2_N_SIGMA_U, EXOG_VAR2_N_INFO, "n");
}

Test(var_exog, forecasts_irf_and_tests_match_statsmodels)
{
    sheaf_var *v = fit(2, SHEAF_TREND_C);
    double fc[12], lo[12], hi[12], se[63], ose[63];
    cr_assert_eq(sheaf_var_forecast_exog(v, MACRO_Y, MACRO_Y_ROWS, 3, EXOG_FUTURE, 2, 4, fc),
                 SHEAF_OK, "%s", sheaf_last_error());
    assert_close(fc, EXOG_FC, 12, 1e-9, "forecast");
    cr_assert_eq(sheaf_var_forecast_interval_exog(v, MACRO_Y, MACRO_Y_ROWS, 3, EXOG_FUTURE, 2, 4,
                                                  0.05, fc, lo, hi),
                 SHEAF_OK);
    assert_close(lo, EXOG_FC_LOWER, 12, 1e-9, "lower");
    assert_close(hi, EXOG_FC_UPPER, 12, 1e-9, "upper");
    cr_assert_eq(sheaf_var_irf(v, 6, NULL, NULL, se, ose), SHEAF_OK);
    assert_close(se, EXOG_IRF_STDERR, 63, 1e-9, "irf stderr");
    assert_close(ose, EXOG_IRF_ORTH_STDERR, 63, 1e-9, "orth stderr");
    sheaf_var_test t;
    size_t y1 = 0, y3 = 2;
    cr_assert_eq(sheaf_var_test_causality(v, &y1, 1, &y3, 1, SHEAF_VAR_TEST_F, 0.05, &t), SHEAF_OK);
    double got[4] = {t.statistic, t.pvalue, t.df_num, t.df_denom};
    assert_close(got, EXOG_CAUSALITY_Y1_BY_Y3_F, 4, 1e-9, "causality");
    cr_assert_eq(sheaf_var_test_whiteness(NULL, v, MACRO_Y, MACRO_Y_ROWS, 3, 8, 0, 0.05, &t),
                 SHEAF_OK, "%s", sheaf_last_error());
    double w[3] = {t.statistic, t.pvalue, t.df_num};
    assert_close(w, EXOG_WHITENESS, 3, 1e-9, "whiteness");
    /* the plain forecast cannot guess the exogenous future */
    cr_assert_eq(sheaf_var_forecast(v, MACRO_Y, MACRO_Y_ROWS, 3, 4, fc),
                 SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(sheaf_last_error(), "exog_future"), "%s", sheaf_last_error());
    sheaf_var_free(v);
}

Test(var_exog, select_order_matches_statsmodels)
{
    double ics[28], ics_n[20];
    size_t sel[4];
    cr_assert_eq(sheaf_var_select_order_exog(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 3, EXOG_X, 2, 2, 6,
                                             SHEAF_TREND_C, ics, sel, NULL),
                 SHEAF_OK, "%s", sheaf_last_error());
    assert_close(ics, EXOG_SELECT6_ICS, 28, 1e-9, "ics");
    for (size_t c = 0; c < 4; c++)
        cr_assert_eq((double)sel[c], EXOG_SELECT6_SELECTED[c]);
    /* with exog, order 0 is a model even without a trend */
    cr_assert_eq(sheaf_var_select_order_exog(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 3, EXOG_X, 2, 2, 4,
                                             SHEAF_TREND_N, ics_n, NULL, NULL),
                 SHEAF_OK);
    assert_close(ics_n, EXOG_SELECT4_N_ICS, 20, 1e-9, "ics n");
}

Test(var_exog, bad_exogenous_input_is_named)
{
    sheaf_var *v = NULL;
    double *x = malloc(sizeof EXOG_X);
    memcpy(x, EXOG_X, sizeof EXOG_X);
    x[2 * 77 + 1] = NAN;
    cr_assert_eq(
        sheaf_var_fit_exog(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 3, x, 2, 2, 2, SHEAF_TREND_C, &v),
        SHEAF_ERR_NONFINITE);
    cr_assert(strstr(sheaf_last_error(), "exogenous series 1 at row 77"), "%s", sheaf_last_error());
    cr_assert_null(v);
    for (size_t t = 0; t < MACRO_Y_ROWS; t++)
        x[2 * t + 1] = 3.0; /* constant beside the constant term */
    cr_assert_eq(
        sheaf_var_fit_exog(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 3, x, 2, 2, 2, SHEAF_TREND_C, &v),
        SHEAF_ERR_SINGULAR);
    cr_assert_eq(
        sheaf_var_fit_exog(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 3, x, 2, 1, 2, SHEAF_TREND_C, &v),
        SHEAF_ERR_DIMENSION);
    cr_assert_eq(
        sheaf_var_fit_exog(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 3, NULL, 2, 2, 2, SHEAF_TREND_C, &v),
        SHEAF_ERR_INVALID_ARGUMENT);
    free(x);
    v = fit(2, SHEAF_TREND_C);
    double bad[8] = {0.0, 0.0, INFINITY, 0.0, 0.0, 0.0, 0.0, 0.0}, fc[12];
    cr_assert_eq(sheaf_var_forecast_exog(v, MACRO_Y, MACRO_Y_ROWS, 3, bad, 2, 4, fc),
                 SHEAF_ERR_NONFINITE);
    cr_assert(strstr(sheaf_last_error(), "exog_future[1][0]"), "%s", sheaf_last_error());
    sheaf_var_free(v);
}
