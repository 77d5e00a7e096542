/* test_arima_loglike.c - sheaf_arima_loglike against statsmodels 0.13.5's
 * ARIMA(y, order, seasonal_order, trend).loglike(params) for the 41 cases
 * of tests/data/timeseries/arima_refs.h (ARIMA_LL): AR, MA, ARMA, d = 0/1/2,
 * seasonal, trends n/c/t/ct/t^2, missing values, all to 1e-8 relative (the
 * largest gap, 6e-9 on the seasonal log AirPassengers rows, is statsmodels'
 * own float64 noise: its 1e6 diffuse start cancels large terms; the
 * long-double column llf_ld shows it). */
#include "../data/timeseries/arima_refs.h"
#include "sheaf.h"
#include "ts_test_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static double ll_col(size_t row, size_t col) { return ARIMA_LL[row * ARIMA_LL_COLS + col]; }

/* The row's series with its missing values set. */
static double *ll_series(size_t row, size_t *n)
{
    size_t id = (size_t)ll_col(row, ARIMA_LL_COL_SERIES), na = (size_t)ll_col(row, ARIMA_LL_COL_NA);
    *n = (size_t)ARIMA_SERIES_LEN[id];
    double *y = malloc(*n * sizeof(double));
    memcpy(y, ARIMA_SERIES[id], *n * sizeof(double));
    for (int i = 0; na > 0 && i < ARIMA_NA_SETS_LEN[na]; i++)
        y[(size_t)ARIMA_NA_SETS[na][i]] = NAN;
    return y;
}

static sheaf_arima_spec ll_spec(size_t row)
{
    sheaf_arima_spec s = sheaf_arima_spec_default();
    s.p = (size_t)ll_col(row, ARIMA_LL_COL_P);
    s.d = (size_t)ll_col(row, ARIMA_LL_COL_D);
    s.q = (size_t)ll_col(row, ARIMA_LL_COL_Q);
    s.P = (size_t)ll_col(row, ARIMA_LL_COL_SP);
    s.D = (size_t)ll_col(row, ARIMA_LL_COL_SD);
    s.Q = (size_t)ll_col(row, ARIMA_LL_COL_SQ);
    s.s = (size_t)ll_col(row, ARIMA_LL_COL_S);
    s.trend = (sheaf_arima_trend)(int)ll_col(row, ARIMA_LL_COL_TREND);
    return s;
}

Test(arima_loglike, statsmodels_all_rows)
{
    for (size_t row = 0; row < ARIMA_LL_ROWS; row++) {
        size_t n;
        double *y = ll_series(row, &n);
        sheaf_arima_spec spec = ll_spec(row);
        size_t np = (size_t)ll_col(row, ARIMA_LL_COL_N_PARAMS);
        const double *params = ARIMA_LL_PARAMS + (size_t)ll_col(row, ARIMA_LL_COL_PARAM_OFF);
        cr_assert_eq(sheaf_arima_n_params(&spec, 0), np, "row %zu n_params", row);
        double llf;
        sheaf_status st = sheaf_arima_loglike(y, n, NULL, 0, 0, &spec, params, np, &llf);
        cr_assert_eq(st, SHEAF_OK, "row %zu: %s", row, sheaf_last_error());
        double want = ll_col(row, ARIMA_LL_COL_LLF);
        cr_assert(fabs(llf - want) <= 1e-8 * fabs(want), "row %zu: llf %.17g, want %.17g", row, llf,
                  want);
        free(y);
    }
}
