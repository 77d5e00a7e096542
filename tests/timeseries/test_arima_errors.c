/* test_arima_errors.c - what sheaf_arima_loglike, sheaf_arima_fit and the
 * result functions do with bad input: every case a status and a message
 * naming the problem and the value (R and statsmodels raise, warn or
 * return garbage in these cases; arima_refs.h lists what they do). */
#include "../data/timeseries/arima_refs.h"
#include "sheaf.h"
#include "ts_test_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

static sheaf_arima_spec order(size_t p, size_t d, size_t q)
{
    sheaf_arima_spec s = sheaf_arima_spec_default();
    s.p = p, s.d = d, s.q = q;
    s.trend = d == 0 ? SHEAF_ARIMA_TREND_C : SHEAF_ARIMA_TREND_N;
    return s;
}

static sheaf_status fit(const double *y, size_t n, const sheaf_arima_spec *s, sheaf_arima **m)
{
    return sheaf_arima_fit(NULL, y, n, NULL, 0, 0, s, NULL, m);
}

Test(arima_errors, bad_specs)
{
    sheaf_arima *m = (sheaf_arima *)1;
    sheaf_arima_spec s = order(1, 1, 0);
    s.trend = SHEAF_ARIMA_TREND_C;
    assert_fails(fit(ARIMA_NILE, 100, &s, &m), SHEAF_ERR_INVALID_ARGUMENT, "trend 'c'");
    cr_assert_null(m);
    s = order(1, 2, 0);
    s.trend = SHEAF_ARIMA_TREND_T;
    assert_fails(fit(ARIMA_NILE, 100, &s, &m), SHEAF_ERR_INVALID_ARGUMENT, "d + D = 2");
    s = order(1, 0, 0);
    s.P = 1;
    s.s = 1;
    assert_fails(fit(ARIMA_NILE, 100, &s, &m), SHEAF_ERR_INVALID_ARGUMENT, "s=1");
    s = order(101, 0, 0);
    assert_fails(fit(ARIMA_NILE, 100, &s, &m), SHEAF_ERR_INVALID_ARGUMENT, "p=101");
    s = order(1, 0, 0);
    s.trend = (sheaf_arima_trend)9;
    assert_fails(fit(ARIMA_NILE, 100, &s, &m), SHEAF_ERR_INVALID_ARGUMENT, "trend=9");
    sheaf_arima_fit_options o = sheaf_arima_fit_options_default();
    o.gtol = -1;
    s = order(1, 0, 0);
    assert_fails(sheaf_arima_fit(NULL, ARIMA_NILE, 100, NULL, 0, 0, &s, &o, &m),
                 SHEAF_ERR_INVALID_ARGUMENT, "gtol=-1");
    assert_fails(fit(NULL, 100, &s, &m), SHEAF_ERR_INVALID_ARGUMENT, "y is NULL");
    assert_fails(sheaf_arima_fit(NULL, ARIMA_NILE, 100, NULL, 0, 0, &s, NULL, NULL),
                 SHEAF_ERR_INVALID_ARGUMENT, "out is NULL");
}

Test(arima_errors, bad_series)
{
    sheaf_arima *m = (sheaf_arima *)1;
    sheaf_arima_spec s = order(2, 1, 2);
    double y[100];
    memcpy(y, ARIMA_NILE, sizeof y);
    assert_fails(fit(y, 7, &s, &m), SHEAF_ERR_INVALID_ARGUMENT, "needs 8");
    cr_assert_null(m);
    for (size_t i = 0; i < 20; i++)
        y[i] = 5.0;
    s = order(1, 0, 0);
    assert_fails(fit(y, 20, &s, &m), SHEAF_ERR_SINGULAR, "constant (every observed value is 5)");
    for (size_t i = 0; i < 20; i++)
        y[i] = NAN;
    assert_fails(fit(y, 20, &s, &m), SHEAF_ERR_INVALID_ARGUMENT, "all missing");
    memcpy(y, ARIMA_NILE, sizeof y);
    y[4] = INFINITY;
    assert_fails(fit(y, 100, &s, &m), SHEAF_ERR_NONFINITE, "y[4] is inf");
    /* a straight line with d = 1 and a drift: nothing left for the ARMA part */
    for (size_t i = 0; i < 30; i++)
        y[i] = 2.0 + 0.5 * (double)i;
    s = order(1, 1, 0);
    s.trend = SHEAF_ARIMA_TREND_T;
    assert_fails(fit(y, 30, &s, &m), SHEAF_ERR_SINGULAR, "fit the differenced series exactly");
    double ex[30];
    for (size_t i = 0; i < 30; i++)
        ex[i] = NAN;
    s = order(1, 0, 0);
    y[3] = 1.0;
    assert_fails(sheaf_arima_fit(NULL, y, 30, ex, 1, 1, &s, NULL, &m), SHEAF_ERR_NONFINITE,
                 "exog[0][0] is nan");
    assert_fails(sheaf_arima_fit(NULL, y, 30, ex, 2, 1, &s, NULL, &m), SHEAF_ERR_DIMENSION,
                 "ldx=1 is below kx=2");
}

Test(arima_errors, loglike_arguments)
{
    sheaf_arima_spec s = order(1, 0, 0);
    double llf, p[3] = {900, 0.5, 2e4};
    assert_fails(sheaf_arima_loglike(ARIMA_NILE, 100, NULL, 0, 0, &s, p, 2, &llf),
                 SHEAF_ERR_INVALID_ARGUMENT, "n_params=2 (the model has 3)");
    p[2] = 0.0;
    assert_fails(sheaf_arima_loglike(ARIMA_NILE, 100, NULL, 0, 0, &s, p, 3, &llf),
                 SHEAF_ERR_INVALID_ARGUMENT, "sigma2=0");
    cr_assert(isnan(llf));
    p[2] = 2e4;
    p[1] = 1.5;
    assert_fails(sheaf_arima_loglike(ARIMA_NILE, 100, NULL, 0, 0, &s, p, 3, &llf),
                 SHEAF_ERR_INVALID_ARGUMENT, "not stationary");
    /* without the stationarity constraint a unit root is a valid (diffuse) model */
    s.enforce_stationarity = 0;
    cr_assert_eq(sheaf_arima_loglike(ARIMA_NILE, 100, NULL, 0, 0, &s, p, 3, &llf), SHEAF_OK, "%s",
                 sheaf_last_error());
    cr_assert(isfinite(llf));
    p[1] = NAN;
    assert_fails(sheaf_arima_loglike(ARIMA_NILE, 100, NULL, 0, 0, &s, p, 3, &llf),
                 SHEAF_ERR_NONFINITE, "params[1] is nan");
    s = order(0, 1, 1);
    double q[2] = {-0.7, 2e4};
    assert_fails(sheaf_arima_loglike(ARIMA_NILE, 1, NULL, 0, 0, &s, q, 2, &llf),
                 SHEAF_ERR_INVALID_ARGUMENT, "too short");
}

Test(arima_errors, results_arguments)
{
    sheaf_arima_spec s = order(1, 0, 0);
    sheaf_arima *m = NULL;
    cr_assert_eq(fit(ARIMA_LAKEHURON, ARIMA_LAKEHURON_LEN, &s, &m), SHEAF_OK);
    double mean[3], stat, pv;
    assert_fails(sheaf_arima_forecast(m, 0, NULL, 0, 0.05, mean, NULL, NULL, NULL),
                 SHEAF_ERR_INVALID_ARGUMENT, "h=0");
    assert_fails(sheaf_arima_forecast(m, 3, NULL, 0, 1.5, mean, NULL, NULL, NULL),
                 SHEAF_ERR_INVALID_ARGUMENT, "alpha");
    assert_fails(sheaf_arima_ljungbox(m, 10, 10, &stat, &pv), SHEAF_ERR_INVALID_ARGUMENT,
                 "model_df=10");
    assert_fails(sheaf_arima_ljungbox(m, 500, 0, &stat, &pv), SHEAF_ERR_INVALID_ARGUMENT,
                 "lags=500");
    char name[16];
    assert_fails(sheaf_arima_param_name(&s, 0, 3, name, sizeof name), SHEAF_ERR_INVALID_ARGUMENT,
                 "i=3");
    sheaf_arima_free(m);
    sheaf_arima_free(NULL);
}

Test(arima_errors, names_and_counts)
{
    sheaf_arima_spec s = sheaf_arima_spec_default();
    s.p = 1, s.q = 1, s.P = 1, s.Q = 2, s.s = 12, s.trend = SHEAF_ARIMA_TREND_CT;
    const char *want[] = {"const",    "x1",       "exog1",    "ar.L1", "ma.L1",
                          "ar.S.L12", "ma.S.L12", "ma.S.L24", "sigma2"};
    cr_assert_eq(sheaf_arima_n_params(&s, 1), 9);
    for (size_t i = 0; i < 9; i++) {
        char name[16];
        cr_assert_eq(sheaf_arima_param_name(&s, 1, i, name, sizeof name), SHEAF_OK);
        cr_assert_str_eq(name, want[i]);
    }
}
