/* test_arima_fit.c - sheaf_arima_fit on the 13 real-series fits of
 * tests/data/timeseries/arima_refs.h against statsmodels 0.13.5's
 * ARIMA(...).fit() and R 4.2's arima(method = "ML" / "CSS-ML" / "CSS"):
 * the ML log-likelihood is no worse than statsmodels' fit, R's estimate
 * (scored in statsmodels' convention) and statsmodels' own function
 * polished to its optimum (_OPT_: fit() stops short on lynx, sunspots and
 * log realgdp) minus 1e-6 relative; at that optimum parameters agree to
 * 1e-3, forecasts and intervals to 1e-4, standard errors (statsmodels'
 * cov_type='approx') to 1e-3, the criteria to 1e-6 and Ljung-Box to 1e-3;
 * CSS and CSS-ML reach R's objective. */
#include "../data/timeseries/arima_refs.h"
#include "sheaf.h"
#include "ts_test_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct fit_ref {
    const char *name;
    const double *y;
    size_t n;
    const double *na;
    size_t n_na;
    size_t order[7]; /* p d q P D Q s */
    sheaf_arima_trend trend;
    const double *params, *bse_approx, *info, *fc_mean, *fc_se, *fc_lower, *fc_upper, *ljungbox;
    const double *r_ml_info, *r_cssml_info, *r_css_params, *r_css_se, *r_css_info;
    const double *opt_params, *opt_info, *opt_bse, *opt_fc_mean, *opt_fc_se, *opt_ljungbox;
} fit_ref;

#define REF(NAME, Y, NA, NNA, P, D, Q, SP, SD, SQ, S, TREND)                                       \
    {                                                                                              \
#NAME, Y, Y##_LEN, NA, NNA,                                                                \
            {P, D, Q, SP, SD, SQ, S }, TREND, ARIMA_FIT_##NAME##_PARAMS,                           \
             ARIMA_FIT_##NAME##_BSE_APPROX, ARIMA_FIT_##NAME##_INFO, ARIMA_FIT_##NAME##_FC_MEAN,   \
             ARIMA_FIT_##NAME##_FC_SE, ARIMA_FIT_##NAME##_FC_LOWER, ARIMA_FIT_##NAME##_FC_UPPER,   \
             ARIMA_FIT_##NAME##_LJUNGBOX, ARIMA_FIT_##NAME##_R_ML_INFO,                            \
             ARIMA_FIT_##NAME##_R_CSSML_INFO, ARIMA_FIT_##NAME##_R_CSS_PARAMS,                     \
             ARIMA_FIT_##NAME##_R_CSS_SE, ARIMA_FIT_##NAME##_R_CSS_INFO,                           \
             ARIMA_FIT_##NAME##_OPT_PARAMS, ARIMA_FIT_##NAME##_OPT_INFO,                           \
             ARIMA_FIT_##NAME##_OPT_BSE_APPROX, ARIMA_FIT_##NAME##_OPT_FC_MEAN,                    \
             ARIMA_FIT_##NAME##_OPT_FC_SE, ARIMA_FIT_##NAME##_OPT_LJUNGBOX                         \
    }

static const fit_ref FITS[] = {
    REF(LYNX_AR2, ARIMA_LYNX, NULL, 0, 2, 0, 0, 0, 0, 0, 0, SHEAF_ARIMA_TREND_C),
    REF(LYNX_AR3, ARIMA_LYNX, NULL, 0, 3, 0, 0, 0, 0, 0, 0, SHEAF_ARIMA_TREND_C),
    REF(LAKEHURON_AR2, ARIMA_LAKEHURON, NULL, 0, 2, 0, 0, 0, 0, 0, 0, SHEAF_ARIMA_TREND_C),
    REF(LAKEHURON_ARMA11, ARIMA_LAKEHURON, NULL, 0, 1, 0, 1, 0, 0, 0, 0, SHEAF_ARIMA_TREND_C),
    REF(LAKEHURON_AR2_CT, ARIMA_LAKEHURON, NULL, 0, 2, 0, 0, 0, 0, 0, 0, SHEAF_ARIMA_TREND_CT),
    REF(LAKEHURON_NA_AR2, ARIMA_LAKEHURON, ARIMA_NA_LAKEHURON, ARIMA_NA_LAKEHURON_LEN, 2, 0, 0, 0,
        0, 0, 0, SHEAF_ARIMA_TREND_C),
    REF(AIRLINE, ARIMA_AIRPASS_LOG, NULL, 0, 0, 1, 1, 0, 1, 1, 12, SHEAF_ARIMA_TREND_N),
    REF(NOTTEM_SAR2, ARIMA_NOTTEM, NULL, 0, 1, 0, 0, 2, 0, 0, 12, SHEAF_ARIMA_TREND_C),
    REF(SUNSPOTS_AR2, ARIMA_SUNSPOTS, NULL, 0, 2, 0, 0, 0, 0, 0, 0, SHEAF_ARIMA_TREND_C),
    REF(SUNSPOTS_AR3, ARIMA_SUNSPOTS, NULL, 0, 3, 0, 0, 0, 0, 0, 0, SHEAF_ARIMA_TREND_C),
    REF(GDP_ARI110_DRIFT, ARIMA_REALGDP_LOG, NULL, 0, 1, 1, 0, 0, 0, 0, 0, SHEAF_ARIMA_TREND_T),
    REF(NILE_IMA, ARIMA_NILE, NULL, 0, 0, 1, 1, 0, 0, 0, 0, SHEAF_ARIMA_TREND_N),
    REF(WWW_ARIMA111, ARIMA_WWWUSAGE, NULL, 0, 1, 1, 1, 0, 0, 0, 0, SHEAF_ARIMA_TREND_N),
};
#define N_FITS (sizeof FITS / sizeof FITS[0])

static sheaf_arima_spec spec_of(const fit_ref *r)
{
    sheaf_arima_spec s = sheaf_arima_spec_default();
    s.p = r->order[0], s.d = r->order[1], s.q = r->order[2];
    s.P = r->order[3], s.D = r->order[4], s.Q = r->order[5], s.s = r->order[6];
    s.trend = r->trend;
    return s;
}

static sheaf_arima *fit(const fit_ref *r, sheaf_arima_method method)
{
    double *y = malloc(r->n * sizeof(double));
    memcpy(y, r->y, r->n * sizeof(double));
    for (size_t i = 0; i < r->n_na; i++)
        y[(size_t)r->na[i]] = NAN;
    sheaf_arima_spec spec = spec_of(r);
    sheaf_arima_fit_options o = sheaf_arima_fit_options_default();
    o.method = method;
    sheaf_arima *m = NULL;
    sheaf_status st = sheaf_arima_fit(NULL, y, r->n, NULL, 0, 0, &spec, &o, &m);
    cr_assert_eq(st, SHEAF_OK, "%s: %s", r->name, sheaf_last_error());
    free(y);
    return m;
}

Test(arima_fit, ml_reaches_the_optimum)
{
    for (size_t i = 0; i < N_FITS; i++) {
        const fit_ref *r = &FITS[i];
        sheaf_arima *m = fit(r, SHEAF_ARIMA_ML);
        sheaf_arima_info info;
        sheaf_arima_get_info(m, &info);
        double best = fmax(fmax(r->info[0], r->r_ml_info[6]), r->opt_info[0]);
        cr_assert(info.llf >= best - 1e-6 * fabs(best), "%s: llf %.12g below %.12g", r->name,
                  info.llf, best);
        cr_assert(info.converged, "%s: not converged", r->name);
        cr_assert_eq(info.nobs_effective, (size_t)r->info[5], "%s nobs_effective", r->name);
        cr_assert_eq(info.n_params, (size_t)r->info[6], "%s df_model", r->name);
        const double crit[4] = {info.aic, info.aicc, info.bic, info.hqic};
        assert_close(crit, r->opt_info + 1, 4, 1e-6, r->name);
        size_t np = info.n_params;
        double params[8], bse[8], mean[12], se[12], lo[12], up[12], lb[2];
        sheaf_arima_params(m, params, bse);
        assert_close(params, r->opt_params, np, 1e-3, r->name);
        /* on log-scale series (sigma2 ~ 1e-4) statsmodels' complex-step Hessian
         * steps by 6e-6 max(|x|, 0.1), coarse beside sigma2 itself, and its
         * float64 llf carries 1e-9 noise: its 'approx' and 'oim' errors
         * differ by 8e-3 on log realgdp; sheaf's smooth long-double start
         * and scaled steps land between them, within 2e-3 */
        double bse_tol = r->opt_params[np - 1] < 1e-2 ? 2e-3 : 1e-3;
        assert_close(bse, r->opt_bse, np, bse_tol, r->name);
        cr_assert_eq(sheaf_arima_forecast(m, 12, NULL, 0, 0.05, mean, se, lo, up), SHEAF_OK, "%s",
                     sheaf_last_error());
        assert_close(mean, r->opt_fc_mean, 12, 1e-4, r->name);
        assert_close(se, r->opt_fc_se, 12, 1e-4, r->name);
        for (size_t h = 0; h < 12; h++) {
            double want_lo = r->opt_fc_mean[h] - 1.959963984540054 * r->opt_fc_se[h];
            double want_up = r->opt_fc_mean[h] + 1.959963984540054 * r->opt_fc_se[h];
            assert_close(&lo[h], &want_lo, 1, 1e-4, r->name);
            assert_close(&up[h], &want_up, 1, 1e-4, r->name);
        }
        if (r->n_na == 0) { /* statsmodels' Ljung-Box is NaN with missing values */
            cr_assert_eq(sheaf_arima_ljungbox(m, 10, 0, &lb[0], &lb[1]), SHEAF_OK);
            assert_close(lb, r->opt_ljungbox, 2, 1e-3, r->name);
        }
        sheaf_arima_free(m);
    }
}

Test(arima_fit, css_reaches_r)
{
    for (size_t i = 0; i < N_FITS; i++) {
        const fit_ref *r = &FITS[i];
        if (r->n_na > 0) continue; /* R's CSS propagates a NaN through the MA recursion */
        sheaf_arima *m = fit(r, SHEAF_ARIMA_CSS);
        sheaf_arima_info info;
        sheaf_arima_get_info(m, &info);
        /* the same objective: a lower sum of squares is a higher llf */
        cr_assert(info.llf >= r->r_css_info[0] - 1e-8 * fabs(r->r_css_info[0]),
                  "%s: CSS llf %.12g below R's %.12g", r->name, info.llf, r->r_css_info[0]);
        cr_assert_eq(info.nobs_effective, (size_t)r->r_css_info[3], "%s n.used", r->name);
        double params[8];
        sheaf_arima_params(m, params, NULL);
        /* R's optim stops at reltol 1e-8, short of the optimum along flat
         * directions (sheaf's sum of squares is lower: asserted above): lynx
         * ar.L3 = -0.026 moves by 5e-5, nottem's mean (se 4.8) by 0.09. So
         * 1e-3 of max(|c|, 0.1), or 2% of R's standard error where larger. */
        for (size_t j = 0; j < info.n_params; j++)
            cr_assert(fabs(params[j] - r->r_css_params[j]) <=
                          fmax(1e-3 * fmax(fabs(r->r_css_params[j]), 0.1),
                               isnan(r->r_css_se[j]) ? 0.0 : 0.02 * r->r_css_se[j]),
                      "%s CSS params[%zu]: %.12g, want %.12g", r->name, j, params[j],
                      r->r_css_params[j]);
        sheaf_arima_free(m);

        m = fit(r, SHEAF_ARIMA_CSS_ML);
        sheaf_arima_get_info(m, &info);
        double best = fmax(r->r_cssml_info[6], r->opt_info[0]);
        cr_assert(info.llf >= best - 1e-6 * fabs(best), "%s: CSS-ML llf %.12g below %.12g", r->name,
                  info.llf, best);
        sheaf_arima_free(m);
    }
}
