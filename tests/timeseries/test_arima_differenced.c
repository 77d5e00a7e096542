/* test_arima_differenced.c - the differenced model that the ML optimiser
 * works on (src/timeseries/arima_differenced.c) against the Kalman filter
 * of arima_kalman.c, whose values test_arima_loglike.c checks against
 * statsmodels to 1e-8:
 * - d = D = 0: the Chandrasekhar recursions from the stationary start give
 *   the filter's log-likelihood to rounding (1e-12), for AR, MA, mixed,
 *   seasonal and pure seasonal AR models (the last one's gain stands
 *   still for eleven steps while W shifts: a freeze on an unchanged F
 *   would stop it early);
 * - d + D > 0: the diffuse phase plus the k-state ARMA filter
 *   (sh_arima_diff_exact) equals the filter with the same smooth
 *   steady-state test to rounding, regression terms included;
 * - the profiled sigma2 maximises the likelihood, and the stationary start
 *   differs from statsmodels' 1e6 prior by about sigma2 / 1e6 relative.
 * Series: R's lynx, LakeHuron, log AirPassengers, ldeaths, Nile (arima_refs.h). */
#include "../data/timeseries/arima_refs.h"
#include "sheaf.h"
#include "timeseries/arima_internal.h"
#include "ts_test_util.h"

#include <criterion/criterion.h>
#include <math.h>

typedef struct model_case {
    const double *y;
    size_t n;
    size_t order[7]; /* p d q P D Q s */
    sheaf_arima_trend trend;
    double params[8]; /* statsmodels' order, sigma2 last */
} model_case;

static const model_case STATIONARY[] = {
    {ARIMA_LYNX,
     ARIMA_LYNX_LEN,
     {2, 0, 0, 0, 0, 0, 0},
     SHEAF_ARIMA_TREND_C,
     {1500, 1.1, -0.5, 8e5}},
    {ARIMA_LYNX,
     ARIMA_LYNX_LEN,
     {0, 0, 3, 0, 0, 0, 0},
     SHEAF_ARIMA_TREND_C,
     {1500, 0.9, 0.3, -0.2, 9e5}},
    {ARIMA_LAKEHURON,
     ARIMA_LAKEHURON_LEN,
     {2, 0, 1, 0, 0, 0, 0},
     SHEAF_ARIMA_TREND_CT,
     {580, -0.02, 0.9, -0.2, 0.3, 0.45}},
    {ARIMA_AIRPASS_LOG,
     ARIMA_AIRPASS_LOG_LEN,
     {1, 0, 1, 1, 0, 1, 12},
     SHEAF_ARIMA_TREND_C,
     {5.5, 0.8, -0.3, 0.6, -0.4, 0.01}},
    /* ldeaths seasonally differenced by hand: pure seasonal AR(2) */
    {NULL, 0, {0, 0, 0, 2, 0, 0, 12}, SHEAF_ARIMA_TREND_C, {-65.3, -0.96, -0.53, 5.6e4}},
};

static const model_case INTEGRATED[] = {
    {ARIMA_NILE, ARIMA_NILE_LEN, {0, 1, 1, 0, 0, 0, 0}, SHEAF_ARIMA_TREND_N, {-0.73, 2.0e4}},
    {ARIMA_WWWUSAGE,
     ARIMA_WWWUSAGE_LEN,
     {1, 1, 1, 0, 0, 0, 0},
     SHEAF_ARIMA_TREND_T,
     {1.1, 0.65, 0.5, 10.0}},
    {ARIMA_LAKEHURON,
     ARIMA_LAKEHURON_LEN,
     {1, 2, 1, 0, 0, 0, 0},
     SHEAF_ARIMA_TREND_N,
     {0.2, -0.9, 0.5}},
    {ARIMA_AIRPASS_LOG,
     ARIMA_AIRPASS_LOG_LEN,
     {0, 1, 1, 0, 1, 1, 12},
     SHEAF_ARIMA_TREND_N,
     {-0.4, -0.55, 0.0014}},
    {ARIMA_AIRPASS_LOG,
     ARIMA_AIRPASS_LOG_LEN,
     {1, 0, 1, 1, 1, 1, 12},
     SHEAF_ARIMA_TREND_N,
     {0.9, -0.4, 0.2, -0.6, 0.0013}},
};

static double ldeaths_seasonal_diff[ARIMA_LDEATHS_LEN];

/* The case's series, spec, dims and data. */
static void setup(const model_case *c, sheaf_arima_spec *spec, sh_arima_dims *dims,
                  sh_arima_data *data)
{
    const double *y = c->y;
    size_t n = c->n;
    if (!y) { /* ldeaths_seasonal_diff */
        n = ARIMA_LDEATHS_LEN - 12;
        for (size_t t = 0; t < n; t++)
            ldeaths_seasonal_diff[t] = ARIMA_LDEATHS[t + 12] - ARIMA_LDEATHS[t];
        y = ldeaths_seasonal_diff;
    }
    *spec = sheaf_arima_spec_default();
    spec->p = c->order[0], spec->d = c->order[1], spec->q = c->order[2];
    spec->P = c->order[3], spec->D = c->order[4], spec->Q = c->order[5], spec->s = c->order[6];
    spec->trend = c->trend;
    cr_assert_eq(sh_arima_dims_init("test", spec, 0, dims), SHEAF_OK, "%s", sheaf_last_error());
    cr_assert_eq(sh_arima_data_init("test", y, n, NULL, 0, 0, data), SHEAF_OK, "%s",
                 sheaf_last_error());
}

/* setup, then the differenced model of the case. */
static sh_arima_diff *differenced(const model_case *c, sheaf_arima_spec *spec, sh_arima_dims *dims,
                                  sh_arima_data *data)
{
    setup(c, spec, dims, data);
    sh_arima_diff *g = NULL;
    cr_assert_eq(sh_arima_diff_create("test", spec, dims, data, &g), SHEAF_OK, "%s",
                 sheaf_last_error());
    return g;
}

/* The Kalman filter's log-likelihood (smooth steady-state test when asked). */
static double filter_llf(const sheaf_arima_spec *spec, const sh_arima_dims *dims,
                         const sh_arima_data *data, const double *params, bool smooth)
{
    sh_arima_filter *f = NULL;
    cr_assert_eq(sh_arima_filter_create("test", spec, dims, data, &f), SHEAF_OK);
    sh_arima_filter_smooth(f, smooth);
    sh_arima_filter_out out = {0};
    cr_assert_eq(sh_arima_filter_run(f, params, &out), SHEAF_OK, "%s", sheaf_last_error());
    sh_arima_filter_free(f);
    return out.llf;
}

Test(arima_differenced, stationary_start_equals_the_kalman_filter)
{
    for (size_t i = 0; i < sizeof STATIONARY / sizeof STATIONARY[0]; i++) {
        sheaf_arima_spec spec;
        sh_arima_dims dims;
        sh_arima_data data;
        sh_arima_diff *g = differenced(&STATIONARY[i], &spec, &dims, &data);
        double want = filter_llf(&spec, &dims, &data, STATIONARY[i].params, false);
        double got = NAN;
        cr_assert(sh_arima_diff_loglike(g, STATIONARY[i].params, &got), "case %zu", i);
        assert_close(&got, &want, 1, 1e-12, "stationary llf");
        sh_arima_diff_free(g);
    }
}

Test(arima_differenced, diffuse_start_continuation_equals_the_kalman_filter)
{
    for (size_t i = 0; i < sizeof INTEGRATED / sizeof INTEGRATED[0]; i++) {
        sheaf_arima_spec spec;
        sh_arima_dims dims;
        sh_arima_data data;
        sh_arima_diff *g = differenced(&INTEGRATED[i], &spec, &dims, &data);
        const double *params = INTEGRATED[i].params;
        double want = filter_llf(&spec, &dims, &data, params, true);
        sh_arima_filter *f = NULL;
        cr_assert_eq(sh_arima_filter_create("test", &spec, &dims, &data, &f), SHEAF_OK);
        cr_assert_eq(sh_arima_diff_nobs(g), data.n - dims.kd);
        double got = NAN, stat = NAN;
        cr_assert(sh_arima_diff_exact(g, f, params, &got), "case %zu", i);
        assert_close(&got, &want, 1, 1e-12, "exact llf");
        /* statsmodels' value, with its absolute steady-state shortcut */
        double sm = filter_llf(&spec, &dims, &data, params, false);
        assert_close(&got, &sm, 1, 1e-8, "exact llf vs statsmodels' shortcut");
        /* the stationary start leaves out the 1e6 prior: close, not equal,
         * further apart the larger sigma2 is against 1e6 */
        cr_assert(sh_arima_diff_loglike(g, params, &stat));
        double gap = fabs(stat - got) / fabs(got);
        cr_assert(gap > 0.0 && gap < 1e-5 + 10 * params[dims.o_sigma2] / SH_ARIMA_DIFFUSE_VAR,
                  "case %zu: stationary start %.12g, statsmodels %.12g", i, stat, got);
        sh_arima_diff_free(g);
        sh_arima_filter_free(f);
    }
}

Test(arima_differenced, profiled_sigma2_maximises_the_likelihood)
{
    for (size_t i = 0; i < sizeof STATIONARY / sizeof STATIONARY[0]; i++) {
        sheaf_arima_spec spec;
        sh_arima_dims dims;
        sh_arima_data data;
        sh_arima_diff *g = differenced(&STATIONARY[i], &spec, &dims, &data);
        double p[8], best, s2, other;
        memcpy(p, STATIONARY[i].params, sizeof p);
        cr_assert(sh_arima_diff_profile(g, p, &best, &s2));
        p[dims.o_sigma2] = s2;
        double at = NAN;
        cr_assert(sh_arima_diff_loglike(g, p, &at));
        assert_close(&at, &best, 1, 1e-13, "profile llf");
        for (int k = -1; k <= 1; k += 2) {
            p[dims.o_sigma2] = s2 * (1 + k * 1e-3);
            cr_assert(sh_arima_diff_loglike(g, p, &other));
            cr_assert(other < best, "case %zu: sigma2 x (1 %+de-3) scores %.15g >= %.15g", i, k,
                      other, best);
        }
        sh_arima_diff_free(g);
    }
}

Test(arima_differenced, undefined_points_are_refused)
{
    sheaf_arima_spec spec;
    sh_arima_dims dims;
    sh_arima_data data;
    sh_arima_diff *g = differenced(&STATIONARY[0], &spec, &dims, &data);
    double llf, s2;
    const double unit_root[4] = {1500, 1.5, -0.5, 8e5}; /* 1 - 1.5L + 0.5L^2 has root 1 */
    cr_assert_not(sh_arima_diff_loglike(g, unit_root, &llf));
    cr_assert_not(sh_arima_diff_profile(g, unit_root, &llf, &s2));
    const double no_variance[4] = {1500, 1.1, -0.5, 0.0};
    cr_assert_not(sh_arima_diff_loglike(g, no_variance, &llf));
    sh_arima_diff_free(g);
    sheaf_arima_spec s = sheaf_arima_spec_default();
    s.d = 1, s.D = 1, s.s = 12, s.trend = SHEAF_ARIMA_TREND_N;
    cr_assert_eq(sh_arima_dims_init("test", &s, 0, &dims), SHEAF_OK);
    cr_assert_eq(sh_arima_data_init("test", ARIMA_LYNX, 13, NULL, 0, 0, &data), SHEAF_OK);
    assert_fails(sh_arima_diff_create("test", &s, &dims, &data, &g), SHEAF_ERR_INVALID_ARGUMENT,
                 "n=13 for 13 differences");
    cr_assert_null(g);
}
