/* test_acf.c - autocorrelation, partial autocorrelation, their bands and the
 * Ljung-Box / Box-Pierce tests (include/sheaf_stattools.h) against
 * statsmodels 0.13.5's acf, pacf and acorr_ljungbox and R's acf, pacf and
 * Box.test, as recorded in tests/data/timeseries/stattools_refs.h: five
 * series, 20 lags, biased and adjusted autocovariances (statsmodels' direct
 * and FFT routes), every pacf method (yw, ywm, ols, ols-inefficient,
 * ols-adjusted, ld, ldb), model_df 0 and 2; and every bad input. */
#include "../data/timeseries/stattools_refs.h"
#include "sheaf.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define NLAGS 20
/* Correlations are at most 1 in size: absolute tolerances. statsmodels' FFT
 * and the direct sums differ by ~1e-15; its per-order Toeplitz solves and
 * lstsq calls and the factor-based solutions here by ~1e-12. */
#define ACF_ABS 1e-13
#define PACF_ABS 1e-11
#define STAT_REL 1e-11 /* Ljung-Box statistics, relative */
#define P_ABS 1e-13

typedef struct ref_series {
    const char *name;
    const double *x;
    size_t n;
    const double *acf[2][2], *acf_confint[2][2]; /* [fft][adjusted] */
    const double *pacf[7], *pacf_confint[7]; /* yw ywm ols ols-inefficient ols-adjusted ld ldb */
    const double *lb, *lb_df2, *r_acf, *r_pacf, *r_box;
} ref_series;

#define REF(S, NAME)                                                                               \
    {                                                                                              \
        NAME, ST_##S, ST_##S##_LEN,                                                                \
            {{ST_##S##_ACF_DIRECT_BIASED, ST_##S##_ACF_DIRECT_ADJ},                                \
             {ST_##S##_ACF_FFT_BIASED, ST_##S##_ACF_FFT_ADJ}},                                     \
            {{ST_##S##_ACF_DIRECT_BIASED_CONFINT, ST_##S##_ACF_DIRECT_ADJ_CONFINT},                \
             {ST_##S##_ACF_FFT_BIASED_CONFINT, ST_##S##_ACF_FFT_ADJ_CONFINT}},                     \
            {ST_##S##_PACF_YW,           ST_##S##_PACF_YWM,                                        \
             ST_##S##_PACF_OLS,          ST_##S##_PACF_OLS_INEFFICIENT,                            \
             ST_##S##_PACF_OLS_ADJUSTED, ST_##S##_PACF_LD,                                         \
             ST_##S##_PACF_LDB},                                                                   \
            {ST_##S##_PACF_YW_CONFINT,           ST_##S##_PACF_YWM_CONFINT,                        \
             ST_##S##_PACF_OLS_CONFINT,          ST_##S##_PACF_OLS_INEFFICIENT_CONFINT,            \
             ST_##S##_PACF_OLS_ADJUSTED_CONFINT, ST_##S##_PACF_LD_CONFINT,                         \
             ST_##S##_PACF_LDB_CONFINT},                                                           \
            ST_##S##_LB, ST_##S##_LB_DF2, ST_##S##_R_ACF, ST_##S##_R_PACF, ST_##S##_R_BOX          \
    }

static const ref_series REFS[] = {REF(MACRO_DLOG_REALGDP, "macro_dlog_realgdp"),
                                  REF(SUNSPOTS, "sunspots"), REF(LYNX, "lynx"),
                                  REF(NOTTEM, "nottem"), REF(GEN_AR1, "gen_ar1")};
#define N_REFS (sizeof REFS / sizeof REFS[0])

/* statsmodels' method of each column of ref_series.pacf. */
static const sheaf_pacf_method PACF_METHOD[7] = {
    SHEAF_PACF_YW,           SHEAF_PACF_YWM, SHEAF_PACF_OLS, SHEAF_PACF_OLS_INEFFICIENT,
    SHEAF_PACF_OLS_ADJUSTED, SHEAF_PACF_YW,  SHEAF_PACF_YWM};
static const char *const PACF_NAME[7] = {"yw",           "ywm", "ols", "ols-inefficient",
                                         "ols-adjusted", "ld",  "ldb"};

static void assert_close(const double *got, const double *want, size_t len, double tol,
                         const char *what, const char *series)
{
    for (size_t i = 0; i < len; i++)
        cr_assert(fabs(got[i] - want[i]) <= tol, "%s %s [%zu]: %.17g, want %.17g", series, what, i,
                  got[i], want[i]);
}

static void assert_error(sheaf_status got, sheaf_status want, const char *needle)
{
    cr_assert_eq(got, want, "status %s, want %s: %s", sheaf_status_name(got),
                 sheaf_status_name(want), sheaf_last_error());
    cr_assert(strstr(sheaf_last_error(), needle) != NULL, "message \"%s\" lacks \"%s\"",
              sheaf_last_error(), needle);
}

Test(acf, values_and_bartlett_bands_match_statsmodels)
{
    for (size_t s = 0; s < N_REFS; s++) {
        const ref_series *r = REFS + s;
        for (int adjusted = 0; adjusted < 2; adjusted++) {
            double acf[NLAGS + 1], ci[2 * (NLAGS + 1)];
            cr_assert_eq(sheaf_acf(NULL, r->x, r->n, NLAGS, adjusted, acf), SHEAF_OK, "%s",
                         sheaf_last_error());
            cr_assert_eq(sheaf_acf_confint(acf, NLAGS, r->n, 0.05, 1, ci), SHEAF_OK);
            for (int fft = 0; fft < 2; fft++) {
                assert_close(acf, r->acf[fft][adjusted], NLAGS + 1, ACF_ABS, "acf", r->name);
                assert_close(ci, r->acf_confint[fft][adjusted], 2 * (NLAGS + 1), ACF_ABS,
                             "acf confint", r->name);
            }
        }
    }
}

Test(acf, biased_values_match_r)
{
    for (size_t s = 0; s < N_REFS; s++) {
        double acf[NLAGS + 1];
        cr_assert_eq(sheaf_acf(NULL, REFS[s].x, REFS[s].n, NLAGS, 0, acf), SHEAF_OK);
        assert_close(acf, REFS[s].r_acf, NLAGS + 1, ACF_ABS, "acf vs R", REFS[s].name);
    }
}

Test(acf, flat_bands_without_bartlett_and_qstat_equal_ljung_box)
{
    const ref_series *r = REFS + 1;
    double acf[NLAGS + 1], ci[2 * (NLAGS + 1)], q[NLAGS], p[NLAGS], z = 0.0;
    cr_assert_eq(sheaf_acf(NULL, r->x, r->n, NLAGS, 0, acf), SHEAF_OK);
    cr_assert_eq(sheaf_acf_confint(acf, NLAGS, r->n, 0.1, 0, ci), SHEAF_OK);
    cr_assert_eq(sheaf_dist_normal_quantile(0.95, &z), SHEAF_OK);
    double half = z * sqrt(1.0 / (double)r->n); /* statsmodels: varacf = 1/n at every lag */
    for (size_t k = 0; k <= NLAGS; k++) {
        cr_assert_eq(ci[2 * k], acf[k] - half);
        cr_assert_eq(ci[2 * k + 1], acf[k] + half);
    }
    /* statsmodels' acf(qstat=True) on the biased acf is the Ljung-Box test */
    cr_assert_eq(sheaf_acf_qstat(acf, NLAGS, r->n, q, p), SHEAF_OK);
    for (size_t h = 0; h < NLAGS; h++) {
        double want = r->lb[4 * h];
        cr_assert(fabs(q[h] - want) <= STAT_REL * want, "lag %zu: %.17g vs %.17g", h + 1, q[h],
                  want);
        cr_assert(fabs(p[h] - r->lb[4 * h + 1]) <= P_ABS);
    }
    cr_assert_eq(sheaf_acf_qstat(acf, NLAGS, r->n, q, NULL), SHEAF_OK);
}

Test(pacf, every_method_matches_statsmodels)
{
    for (size_t s = 0; s < N_REFS; s++) {
        const ref_series *r = REFS + s;
        for (int m = 0; m < 7; m++) {
            double pacf[NLAGS + 1], ci[2 * (NLAGS + 1)];
            cr_assert_eq(sheaf_pacf(NULL, r->x, r->n, NLAGS, PACF_METHOD[m], pacf), SHEAF_OK,
                         "%s %s: %s", r->name, PACF_NAME[m], sheaf_last_error());
            cr_assert_eq(sheaf_pacf_confint(pacf, NLAGS, r->n, 0.05, ci), SHEAF_OK);
            char what[64];
            snprintf(what, sizeof what, "pacf %s", PACF_NAME[m]);
            assert_close(pacf, r->pacf[m], NLAGS + 1, PACF_ABS, what, r->name);
            assert_close(ci, r->pacf_confint[m], 2 * (NLAGS + 1), PACF_ABS, what, r->name);
        }
    }
}

Test(pacf, ywm_matches_r)
{
    for (size_t s = 0; s < N_REFS; s++) {
        double pacf[NLAGS + 1];
        cr_assert_eq(sheaf_pacf(NULL, REFS[s].x, REFS[s].n, NLAGS, SHEAF_PACF_YWM, pacf), SHEAF_OK);
        assert_close(pacf + 1, REFS[s].r_pacf, NLAGS, PACF_ABS, "pacf vs R", REFS[s].name);
    }
}

Test(pacf, default_lags_and_lag_zero)
{
    cr_assert_eq(sheaf_pacf_nlags_default(309), 24); /* min(int(10 log10 309), 153) */
    cr_assert_eq(sheaf_pacf_nlags_default(10), 4);   /* min(10, 4) */
    cr_assert_eq(sheaf_pacf_nlags_default(3), 0);
    cr_assert_eq(sheaf_acf_nlags_default(309), 24);
    cr_assert_eq(sheaf_acf_nlags_default(5), 4); /* min(6, 4) */
    cr_assert_eq(sheaf_acf_nlags_default(0), 0);
    double pacf[1] = {0.0};
    cr_assert_eq(sheaf_pacf(NULL, ST_LYNX, ST_LYNX_LEN, 0, SHEAF_PACF_OLS, pacf), SHEAF_OK);
    cr_assert_eq(pacf[0], 1.0);
}

static void check_box(const ref_series *r, size_t model_df, const double *want)
{
    size_t lags[NLAGS];
    double lb[NLAGS], lbp[NLAGS], bp[NLAGS], bpp[NLAGS];
    for (size_t h = 0; h < NLAGS; h++)
        lags[h] = NLAGS - h; /* any order */
    cr_assert_eq(sheaf_acorr_ljungbox(NULL, r->x, r->n, lags, NLAGS, model_df, lb, lbp, bp, bpp),
                 SHEAF_OK, "%s", sheaf_last_error());
    for (size_t q = 0; q < NLAGS; q++) {
        const double *w = want + 4 * (lags[q] - 1);
        cr_assert(fabs(lb[q] - w[0]) <= STAT_REL * w[0], "%s lb lag %zu: %.17g vs %.17g", r->name,
                  lags[q], lb[q], w[0]);
        cr_assert(fabs(bp[q] - w[2]) <= STAT_REL * w[2], "%s bp lag %zu", r->name, lags[q]);
        for (int c = 1; c <= 3; c += 2) {
            double got = c == 1 ? lbp[q] : bpp[q];
            if (isnan(w[c]))
                cr_assert(isnan(got), "%s lag %zu df %zu: p %g, want NaN", r->name, lags[q],
                          model_df, got);
            else
                cr_assert(fabs(got - w[c]) <= P_ABS, "%s lag %zu p: %.17g vs %.17g", r->name,
                          lags[q], got, w[c]);
        }
    }
}

Test(ljungbox, statistics_and_pvalues_match_statsmodels_and_r)
{
    for (size_t s = 0; s < N_REFS; s++) {
        check_box(REFS + s, 0, REFS[s].lb);
        check_box(REFS + s, 2, REFS[s].lb_df2);
        check_box(REFS + s, 0, REFS[s].r_box);
    }
    size_t lag = 5;
    double lb, lbp;
    cr_assert_eq(
        sheaf_acorr_ljungbox(NULL, ST_LYNX, ST_LYNX_LEN, &lag, 1, 0, &lb, &lbp, NULL, NULL),
        SHEAF_OK);
    cr_assert(fabs(lb - REFS[2].lb[4 * 4]) <= STAT_REL * lb);
}

Test(ljungbox, auto_lag_follows_statsmodels_rule)
{
    /* white noise-like differences pick few lags; the strongly periodic
     * sunspots pick many (statsmodels 0.13.5: 291 for sunspots) */
    size_t lag = 0;
    cr_assert_eq(sheaf_acorr_ljungbox_auto_lag(NULL, ST_SUNSPOTS, ST_SUNSPOTS_LEN, 0, &lag),
                 SHEAF_OK, "%s", sheaf_last_error());
    cr_assert_eq(lag, 291);
    cr_assert_eq(sheaf_acorr_ljungbox_auto_lag(NULL, ST_MACRO_DLOG_REALGDP,
                                               ST_MACRO_DLOG_REALGDP_LEN, 0, &lag),
                 SHEAF_OK);
    cr_assert_eq(lag, 2);
    assert_error(sheaf_acorr_ljungbox_auto_lag(NULL, ST_LYNX, 1, 0, &lag),
                 SHEAF_ERR_INVALID_ARGUMENT, "needs at least 2 observations");
    assert_error(sheaf_acorr_ljungbox_auto_lag(NULL, ST_LYNX, 10, 0, NULL),
                 SHEAF_ERR_INVALID_ARGUMENT, "lag is NULL");
}

Test(acf, bad_inputs_name_the_problem)
{
    double out[64], ci[128], x[100];
    assert_error(sheaf_acf(NULL, NULL, 10, 2, 0, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_acf: x is NULL");
    assert_error(sheaf_acf(NULL, ST_LYNX, 10, 2, 0, NULL), SHEAF_ERR_INVALID_ARGUMENT,
                 "acf is NULL");
    assert_error(sheaf_acf(NULL, ST_LYNX, 0, 0, 0, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "the series is empty");
    /* statsmodels silently returns fewer lags */
    assert_error(sheaf_acf(NULL, ST_GEN_AR1, 6, 10, 0, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "nlags = 10 needs more than 10 observations (n = 6");
    memcpy(x, ST_GEN_AR1, sizeof x);
    x[50] = NAN; /* statsmodels returns NaNs */
    assert_error(sheaf_acf(NULL, x, 100, 5, 0, out), SHEAF_ERR_NONFINITE, "x[50] is nan");
    for (size_t t = 0; t < 100; t++)
        x[t] = 3.0;
    assert_error(sheaf_acf(NULL, x, 100, 5, 0, out), SHEAF_ERR_SINGULAR,
                 "the series is constant (x[0] = 3 everywhere)");
    out[0] = 1.0;
    out[1] = 0.5;
    assert_error(sheaf_acf_confint(out, 1, 100, 0.0, 1, ci), SHEAF_ERR_INVALID_ARGUMENT,
                 "alpha must be in (0, 1), got 0");
    assert_error(sheaf_acf_confint(out, 1, 100, 1.5, 1, ci), SHEAF_ERR_INVALID_ARGUMENT,
                 "alpha must be in (0, 1)");
    assert_error(sheaf_acf_confint(out, 1, 0, 0.05, 1, ci), SHEAF_ERR_INVALID_ARGUMENT, "n is 0");
    assert_error(sheaf_acf_confint(NULL, 1, 10, 0.05, 1, ci), SHEAF_ERR_INVALID_ARGUMENT,
                 "is NULL");
    assert_error(sheaf_acf_qstat(out, 5, 5, ci, NULL), SHEAF_ERR_INVALID_ARGUMENT,
                 "nlags = 5 must be < n = 5");
    assert_error(sheaf_acf_qstat(out, 1, 5, NULL, NULL), SHEAF_ERR_INVALID_ARGUMENT, "is NULL");
}

Test(pacf, bad_inputs_name_the_problem)
{
    double out[64], ci[128], x[100];
    /* statsmodels: 'Can only compute partial correlations for lags up to 50%
     * of the sample size. The requested nlags 3 must be < 3.' */
    assert_error(sheaf_pacf(NULL, ST_GEN_AR1, 6, 3, SHEAF_PACF_YW, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "nlags = 3 must be < n/2 = 3 (n = 6)");
    assert_error(sheaf_pacf(NULL, ST_GEN_AR1, 100, 3, (sheaf_pacf_method)9, out),
                 SHEAF_ERR_INVALID_ARGUMENT, "method 9");
    assert_error(sheaf_pacf(NULL, ST_GEN_AR1, 100, 3, SHEAF_PACF_YW, NULL),
                 SHEAF_ERR_INVALID_ARGUMENT, "pacf is NULL");
    assert_error(sheaf_pacf(NULL, NULL, 100, 3, SHEAF_PACF_YW, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "x is NULL");
    memcpy(x, ST_GEN_AR1, sizeof x);
    x[50] = INFINITY;
    assert_error(sheaf_pacf(NULL, x, 100, 5, SHEAF_PACF_OLS, out), SHEAF_ERR_NONFINITE,
                 "sheaf_pacf: x[50] is inf");
    /* statsmodels: LinAlgError: Singular matrix ('ols': garbage) */
    for (size_t t = 0; t < 100; t++)
        x[t] = 3.0;
    for (int m = 0; m < 5; m++)
        assert_error(sheaf_pacf(NULL, x, 100, 5, (sheaf_pacf_method)m, out), SHEAF_ERR_SINGULAR,
                     "constant");
    /* a pure alternation x_t = -x_{t-1}: the order-2 regressions are collinear */
    for (size_t t = 0; t < 100; t++)
        x[t] = t % 2 ? 1.0 : -1.0;
    assert_error(sheaf_pacf(NULL, x, 100, 3, SHEAF_PACF_OLS, out), SHEAF_ERR_SINGULAR, "collinear");
    assert_error(sheaf_pacf(NULL, x, 100, 3, SHEAF_PACF_OLS_INEFFICIENT, out), SHEAF_ERR_SINGULAR,
                 "collinear");
    /* with divisor n - k the autocorrelations are exactly (-1)^k */
    assert_error(sheaf_pacf(NULL, x, 100, 3, SHEAF_PACF_YW, out), SHEAF_ERR_SINGULAR,
                 "Yule-Walker system of order 2 is singular");
    out[0] = 1.0;
    assert_error(sheaf_pacf_confint(out, 0, 10, -1.0, ci), SHEAF_ERR_INVALID_ARGUMENT, "alpha");
    assert_error(sheaf_pacf_confint(out, 0, 0, 0.05, ci), SHEAF_ERR_INVALID_ARGUMENT, "n is 0");
    assert_error(sheaf_pacf_confint(out, 0, 10, 0.05, NULL), SHEAF_ERR_INVALID_ARGUMENT, "is NULL");
}

Test(ljungbox, bad_inputs_name_the_problem)
{
    double a[4], b[4], c[4], d[4], x[100];
    size_t lags[2] = {1, 2};
    assert_error(sheaf_acorr_ljungbox(NULL, ST_LYNX, 50, NULL, 1, 0, a, b, c, d),
                 SHEAF_ERR_INVALID_ARGUMENT, "no lags");
    assert_error(sheaf_acorr_ljungbox(NULL, ST_LYNX, 50, lags, 0, 0, a, b, c, d),
                 SHEAF_ERR_INVALID_ARGUMENT, "no lags");
    assert_error(sheaf_acorr_ljungbox(NULL, ST_LYNX, 50, lags, 2, 0, NULL, b, c, d),
                 SHEAF_ERR_INVALID_ARGUMENT, "lb_stat or lb_pvalue is NULL");
    size_t zero = 0, big = 10;
    assert_error(sheaf_acorr_ljungbox(NULL, ST_LYNX, 50, &zero, 1, 0, a, b, c, d),
                 SHEAF_ERR_INVALID_ARGUMENT, "lags[0] is 0");
    /* statsmodels: 'operands could not be broadcast together' */
    assert_error(sheaf_acorr_ljungbox(NULL, ST_GEN_AR1, 6, &big, 1, 0, a, b, c, d),
                 SHEAF_ERR_INVALID_ARGUMENT, "lag 10 needs more than 10 observations (n = 6)");
    memcpy(x, ST_GEN_AR1, sizeof x);
    x[50] = NAN;
    assert_error(sheaf_acorr_ljungbox(NULL, x, 100, lags, 2, 0, a, b, c, d), SHEAF_ERR_NONFINITE,
                 "sheaf_acorr_ljungbox: x[50] is nan");
    for (size_t t = 0; t < 100; t++)
        x[t] = 3.0;
    assert_error(sheaf_acorr_ljungbox(NULL, x, 100, lags, 2, 0, a, b, c, d), SHEAF_ERR_SINGULAR,
                 "constant");
}

/* Function f of the allocating ones, on nottem. */
static sheaf_status allocating_call(int f)
{
    double out[NLAGS + 1], a[2], b[2];
    size_t lags[2] = {3, 7}, lag;
    if (f < 5) return sheaf_pacf(NULL, ST_NOTTEM, ST_NOTTEM_LEN, NLAGS, (sheaf_pacf_method)f, out);
    if (f == 5) return sheaf_acf(NULL, ST_NOTTEM, ST_NOTTEM_LEN, NLAGS, 1, out);
    if (f == 6)
        return sheaf_acorr_ljungbox(NULL, ST_NOTTEM, ST_NOTTEM_LEN, lags, 2, 0, a, b, NULL, NULL);
    return sheaf_acorr_ljungbox_auto_lag(NULL, ST_NOTTEM, ST_NOTTEM_LEN, 1, &lag);
}

Test(acf, each_allocation_failure_is_reported)
{
    for (int f = 0; f < 8; f++) {
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(allocating_call(f), SHEAF_OK, "function %d: %s", f, sheaf_last_error());
        uint64_t count = sheaf_debug_fail_allocation(0);
        cr_assert_gt(count, 0, "function %d allocates nothing", f);
        for (uint64_t n = 1; n <= count; n++) {
            sheaf_debug_fail_allocation(n);
            sheaf_status st = allocating_call(f);
            sheaf_debug_fail_allocation(0);
            assert_error(st, SHEAF_ERR_NOMEM, "out of memory");
        }
    }
}
