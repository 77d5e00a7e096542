/* test_granger_entries.c - the Granger matrix beyond statsmodels
 * (sheaf_granger_entries in include/sheaf_timeseries.h) against
 * statsmodels 0.13.5 as recorded in tests/data/timeseries/granger_refs.h (by
 * gen_granger_refs.py, on var_refs.h's series): an explicit lag set, a common
 * sample, the lag chosen by AIC / BIC, conditional tests, Benjamini-Hochberg
 * adjusted p-values; every statistic to 1e-9 relative and every p-value to
 * 1e-9 absolute for all four tests; partition and thread invariance; the
 * bad inputs. */
#include "../data/timeseries/granger_refs.h"
#include "../data/timeseries/var_refs.h"
#include "sheaf.h"
#include "ts_test_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const sheaf_granger_test TESTS[4] = {SHEAF_GRANGER_SSR_FTEST, SHEAF_GRANGER_SSR_CHI2TEST,
                                            SHEAF_GRANGER_LRTEST, SHEAF_GRANGER_PARAMS_FTEST};

static void assert_rel(double got, double want, double tol, const char *what, size_t at)
{
    cr_assert(fabs(got - want) <= tol * fabs(want), "%s at entry %zu: %.17g, want %.17g", what, at,
              got, want);
}

static void assert_abs(double got, double want, const char *what, size_t at)
{
    cr_assert(fabs(got - want) <= 1e-9, "%s at entry %zu: %.17g, want %.17g", what, at, got, want);
}

/* Entry e against its GR_* row w for test t (w NULL: the diagonal). */
static void check_entry(const sheaf_granger_entry *e, const double *w, sheaf_granger_test t,
                        size_t at)
{
    if (!w) {
        cr_assert(e->lag == 0 && e->nobs == 0 && isnan(e->statistic) && isnan(e->pvalue),
                  "diagonal entry %zu", at);
        return;
    }
    static const int stat_col[4] = {GR_SSR_F, GR_CHI2, GR_LR, GR_PARAMS_F};
    static const int p_col[4] = {GR_SSR_F_P, GR_CHI2_P, GR_LR_P, GR_PARAMS_F_P};
    cr_assert_eq((double)e->lag, w[GR_LAG], "lag at entry %zu", at);
    cr_assert_eq((double)e->nobs, w[GR_NOBS], "nobs at entry %zu", at);
    assert_rel(e->statistic, w[stat_col[t]], 1e-9, "statistic", at);
    assert_abs(e->pvalue, w[p_col[t]], "p-value", at);
    cr_assert_eq(e->df_num, w[GR_DF_NUM]);
    if (t == SHEAF_GRANGER_SSR_FTEST || t == SHEAF_GRANGER_PARAMS_FTEST)
        cr_assert_eq(e->df_denom, w[GR_DF_DENOM], "df_denom at entry %zu", at);
    else
        cr_assert(isnan(e->df_denom));
    assert_rel(e->ssr_restricted, w[GR_SSR_R], 1e-9, "ssr_r", at);
    assert_rel(e->ssr_unrestricted, w[GR_SSR_U], 1e-9, "ssr_u", at);
    assert_rel(e->aic, w[GR_AIC], 1e-9, "aic", at);
    assert_rel(e->bic, w[GR_BIC], 1e-9, "bic", at);
}

/* Runs opts for all four tests on y (T x k) and compares entry (i, j, q)
 * with table[i][j][q] (table: k x k x n_out rows of GR_COLS), or, with
 * chosen, table[i][j][position of chosen[i][j] in lags]. */
static void check_all(const double *y, size_t T, size_t k, sheaf_granger_options o,
                      const double *table, size_t n_table, const double *chosen)
{
    size_t n_out = chosen ? 1 : n_table;
    sheaf_granger_entry *out = malloc(k * k * n_out * sizeof *out);
    for (size_t t = 0; t < 4; t++) {
        o.test = TESTS[t];
        cr_assert_eq(sheaf_granger_entries(NULL, y, T, k, k, &o, out), SHEAF_OK, "%s",
                     sheaf_last_error());
        for (size_t i = 0; i < k; i++)
            for (size_t j = 0; j < k; j++)
                for (size_t q = 0; q < n_out; q++) {
                    size_t at = (i * k + j) * n_out + q, tq = q;
                    if (chosen && i != j) {
                        size_t lag = (size_t)chosen[i * k + j];
                        for (tq = 0; tq < n_table; tq++)
                            if ((o.lags ? o.lags[tq] : tq + 1) == lag) break;
                        cr_assert_lt(tq, n_table);
                    }
                    const double *w = table + ((i * k + j) * n_table + tq) * GR_COLS;
                    check_entry(out + at, i == j ? NULL : w, TESTS[t], at);
                }
    }
    free(out);
}

static const size_t MACRO_LAGS[3] = {3, 1, 6};
static const size_t EU_COND_LAGS[3] = {2, 1, 3};

Test(granger_entries, a_lag_set_is_reported_in_its_order_and_matches_statsmodels)
{
    cr_assert_eq(GR_MACRO_LAGSET_LAGS[0], 3.0);
    sheaf_granger_options o = sheaf_granger_options_default();
    o.lags = MACRO_LAGS;
    o.n_lags = 3;
    check_all(MACRO_Y, MACRO_Y_ROWS, 3, o, GR_MACRO_LAGSET, 3, NULL);
}

Test(granger_entries, the_defaults_with_maxlag_equal_sheaf_granger_matrix)
{
    sheaf_granger_options o = sheaf_granger_options_default();
    o.maxlag = 4;
    sheaf_granger_entry out[3 * 3 * 4];
    double f[3 * 3 * 4], p[3 * 3 * 4];
    cr_assert_eq(sheaf_granger_entries(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 3, &o, out), SHEAF_OK);
    cr_assert_eq(
        sheaf_granger_matrix(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 3, 4, SHEAF_GRANGER_SSR_FTEST, f, p),
        SHEAF_OK);
    for (size_t a = 0; a < 36; a++) {
        if (isnan(GCM_MACRO_F[a])) {
            cr_assert(isnan(out[a].statistic) && out[a].lag == 0);
            continue;
        }
        assert_rel(out[a].statistic, GCM_MACRO_F[a], 1e-9, "F", a);
        assert_abs(out[a].pvalue, GCM_MACRO_P[a], "p", a);
        cr_assert(memcmp(&out[a].statistic, &f[a], sizeof f[a]) == 0, "entry %zu differs", a);
        cr_assert_eq(out[a].lag, a % 4 + 1);
    }
}

Test(granger_entries, a_common_sample_equals_statsmodels_on_the_trimmed_series)
{
    sheaf_granger_options o = sheaf_granger_options_default();
    o.common_sample = 1;
    o.maxlag = 5;
    check_all(EU_Y, EU_Y_ROWS, 4, o, GR_EU_COMMON, 5, NULL);
    o.maxlag = 4;
    check_all(GEN_Y, GEN_Y_ROWS, 3, o, GR_GEN_COMMON, 4, NULL);
    o.common_sample = 0; /* and the per-lag samples of the same lags */
    check_all(GEN_Y, GEN_Y_ROWS, 3, o, GR_GEN_PERLAG, 4, NULL);
}

Test(granger_entries, aic_and_bic_choose_the_lags_statsmodels_ols_chooses)
{
    sheaf_granger_options o = sheaf_granger_options_default();
    for (int common = 0; common < 2; common++) {
        o.common_sample = common;
        o.maxlag = 5;
        o.ic = SHEAF_GRANGER_IC_AIC;
        check_all(EU_Y, EU_Y_ROWS, 4, o, common ? GR_EU_COMMON : GR_EU_PERLAG, 5, GR_EU_AIC_LAG);
        o.ic = SHEAF_GRANGER_IC_BIC;
        check_all(EU_Y, EU_Y_ROWS, 4, o, common ? GR_EU_COMMON : GR_EU_PERLAG, 5, GR_EU_BIC_LAG);
        o.maxlag = 4;
        o.ic = SHEAF_GRANGER_IC_AIC;
        check_all(GEN_Y, GEN_Y_ROWS, 3, o, common ? GR_GEN_COMMON : GR_GEN_PERLAG, 4,
                  GR_GEN_AIC_LAG);
        o.ic = SHEAF_GRANGER_IC_BIC;
        check_all(GEN_Y, GEN_Y_ROWS, 3, o, common ? GR_GEN_COMMON : GR_GEN_PERLAG, 4,
                  GR_GEN_BIC_LAG);
    }
}

Test(granger_entries, conditional_tests_match_statsmodels_ols)
{
    sheaf_granger_options o = sheaf_granger_options_default();
    o.conditional = 1;
    o.maxlag = 4;
    check_all(GEN_Y, GEN_Y_ROWS, 3, o, GR_GEN_COND, 4, NULL);
    o.common_sample = 1;
    check_all(GEN_Y, GEN_Y_ROWS, 3, o, GR_GEN_COND_COMMON, 4, NULL);
    o.ic = SHEAF_GRANGER_IC_BIC;
    check_all(GEN_Y, GEN_Y_ROWS, 3, o, GR_GEN_COND_COMMON, 4, GR_GEN_COND_BIC_LAG);
    o.ic = SHEAF_GRANGER_IC_NONE;
    o.lags = EU_COND_LAGS;
    o.n_lags = 3;
    check_all(EU_Y, EU_Y_ROWS, 4, o, GR_EU_COND_COMMON, 3, NULL);
    o.common_sample = 0;
    o.lags = MACRO_LAGS;
    check_all(MACRO_Y, MACRO_Y_ROWS, 3, o, GR_MACRO_COND, 3, NULL);
}

Test(granger_entries, with_two_series_the_conditional_test_is_the_bivariate_one)
{
    sheaf_granger_options o = sheaf_granger_options_default();
    o.maxlag = 6;
    sheaf_granger_entry a[2 * 2 * 6], b[2 * 2 * 6];
    cr_assert_eq(sheaf_granger_entries(NULL, PAIR_XY, PAIR_XY_ROWS, 2, 2, &o, a), SHEAF_OK);
    o.conditional = 1;
    cr_assert_eq(sheaf_granger_entries(NULL, PAIR_XY, PAIR_XY_ROWS, 2, 2, &o, b), SHEAF_OK);
    for (size_t q = 0; q < 24; q++) {
        if (a[q].lag == 0) continue;
        assert_rel(b[q].statistic, a[q].statistic, 1e-10, "F", q);
        cr_assert_eq(b[q].df_denom, a[q].df_denom);
        assert_rel(b[q].aic, a[q].aic, 1e-12, "aic", q);
    }
}

/* The adjusted p-values of entries against a k x k x n table (NAN diagonal). */
static void check_adjusted(const double *y, size_t T, size_t k, sheaf_granger_options o,
                           const double *want, size_t n)
{
    sheaf_granger_entry *out = malloc(k * k * n * sizeof *out);
    cr_assert_eq(sheaf_granger_entries(NULL, y, T, k, k, &o, out), SHEAF_OK, "%s",
                 sheaf_last_error());
    for (size_t a = 0; a < k * k * n; a++) {
        if (isnan(want[a])) {
            cr_assert(isnan(out[a].pvalue_adjusted), "diagonal %zu", a);
            continue;
        }
        assert_abs(out[a].pvalue_adjusted, want[a], "adjusted p", a);
        cr_assert(out[a].pvalue_adjusted >= out[a].pvalue && out[a].pvalue_adjusted <= 1.0);
    }
    free(out);
}

Test(granger_entries, benjamini_hochberg_equals_statsmodels_multipletests)
{
    sheaf_granger_options o = sheaf_granger_options_default();
    o.lags = MACRO_LAGS;
    o.n_lags = 3;
    o.adjust = SHEAF_GRANGER_ADJUST_FDR_BH;
    check_adjusted(MACRO_Y, MACRO_Y_ROWS, 3, o, GR_MACRO_LAGSET_BH_ALL, 3);
    o.adjust = SHEAF_GRANGER_ADJUST_FDR_BH_PER_LAG;
    check_adjusted(MACRO_Y, MACRO_Y_ROWS, 3, o, GR_MACRO_LAGSET_BH_PER_LAG, 3);
    o = sheaf_granger_options_default();
    o.maxlag = 4;
    o.conditional = 1;
    o.test = SHEAF_GRANGER_LRTEST;
    o.adjust = SHEAF_GRANGER_ADJUST_FDR_BH;
    check_adjusted(GEN_Y, GEN_Y_ROWS, 3, o, GR_GEN_COND_LR_BH_ALL, 4);
    o = sheaf_granger_options_default();
    o.maxlag = 5;
    o.common_sample = 1;
    o.ic = SHEAF_GRANGER_IC_AIC;
    o.adjust = SHEAF_GRANGER_ADJUST_FDR_BH_PER_LAG; /* one lag slot: the same family */
    check_adjusted(EU_Y, EU_Y_ROWS, 4, o, GR_EU_AIC_COMMON_BH, 1);
}

static sheaf_granger_entry *entries_with(size_t parts, int threads, sheaf_granger_options o)
{
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, threads), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_partitions(ctx, parts), SHEAF_OK);
    sheaf_granger_entry *out = malloc(4 * 4 * 8 * sizeof *out);
    cr_assert_eq(sheaf_granger_entries(ctx, EU_Y, EU_Y_ROWS, 4, 4, &o, out), SHEAF_OK, "%s",
                 sheaf_last_error());
    sheaf_ctx_free(ctx);
    return out;
}

Test(granger_entries, partitions_agree_and_threads_give_the_same_bits)
{
    sheaf_granger_options opts[3];
    for (int v = 0; v < 3; v++) {
        opts[v] = sheaf_granger_options_default();
        opts[v].maxlag = 8;
        opts[v].adjust = SHEAF_GRANGER_ADJUST_FDR_BH;
    }
    opts[1].conditional = 1;
    opts[1].test = SHEAF_GRANGER_LRTEST;
    opts[2].common_sample = 1;
    opts[2].ic = SHEAF_GRANGER_IC_AIC;
    opts[2].conditional = 1;
    for (int v = 0; v < 3; v++) {
        size_t n = 4 * 4 * (opts[v].ic ? 1 : 8);
        sheaf_granger_entry *one = entries_with(1, 1, opts[v]);
        size_t parts[] = {3, 16};
        for (size_t q = 0; q < 2; q++) {
            sheaf_granger_entry *other = entries_with(parts[q], 2, opts[v]);
            for (size_t a = 0; a < n; a++) {
                cr_assert_eq(other[a].lag, one[a].lag);
                if (one[a].lag == 0) continue;
                /* the residual sums agree to rounding; a statistic near 0 is their
                 * small difference, known to ~n eps absolute, not relative */
                assert_rel(other[a].ssr_restricted, one[a].ssr_restricted, 1e-10, "ssr_r", a);
                assert_rel(other[a].ssr_unrestricted, one[a].ssr_unrestricted, 1e-10, "ssr_u", a);
                assert_rel(other[a].aic, one[a].aic, 1e-10, "aic", a);
                cr_assert(fabs(other[a].statistic - one[a].statistic) <=
                              1e-10 * fmax(fabs(one[a].statistic), 1.0),
                          "statistic at %zu: %.17g vs %.17g", a, other[a].statistic,
                          one[a].statistic);
                cr_assert(fabs(other[a].pvalue - one[a].pvalue) <= 1e-10, "p at %zu", a);
                cr_assert(fabs(other[a].pvalue_adjusted - one[a].pvalue_adjusted) <= 1e-10,
                          "adjusted p at %zu", a);
            }
            free(other);
        }
        sheaf_granger_entry *t1 = entries_with(16, 1, opts[v]), *t4 = entries_with(16, 4, opts[v]);
        cr_assert(memcmp(t1, t4, n * sizeof *t1) == 0, "variant %d: 1 and 4 threads differ", v);
        free(one);
        free(t1);
        free(t4);
    }
}

Test(granger_entries, bad_options_are_named)
{
    sheaf_granger_entry out[3 * 3 * 8];
    const double *y = MACRO_Y;
    size_t T = MACRO_Y_ROWS;
    sheaf_granger_options o = sheaf_granger_options_default();
    size_t rep[3] = {2, 4, 2}, zero[2] = {1, 0};
    o.maxlag = 0;
    assert_fails(sheaf_granger_entries(NULL, y, T, 3, 3, &o, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "maxlag is 0 and no lags are given");
    o = sheaf_granger_options_default();
    o.lags = rep;
    assert_fails(sheaf_granger_entries(NULL, y, T, 3, 3, &o, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "lags is set but n_lags is 0");
    o.n_lags = 3;
    assert_fails(sheaf_granger_entries(NULL, y, T, 3, 3, &o, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "lags[2] = 2 repeats lags[0]");
    o.lags = zero;
    o.n_lags = 2;
    assert_fails(sheaf_granger_entries(NULL, y, T, 3, 3, &o, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "lags[1] is 0");
    o = sheaf_granger_options_default();
    o.test = (sheaf_granger_test)7;
    assert_fails(sheaf_granger_entries(NULL, y, T, 3, 3, &o, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "test = 7");
    o = sheaf_granger_options_default();
    o.ic = (sheaf_granger_ic)3;
    assert_fails(sheaf_granger_entries(NULL, y, T, 3, 3, &o, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "ic = 3");
    o = sheaf_granger_options_default();
    o.adjust = (sheaf_granger_adjust)9;
    assert_fails(sheaf_granger_entries(NULL, y, T, 3, 3, &o, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "adjust = 9");
}

Test(granger_entries, bad_data_are_named)
{
    sheaf_granger_entry out[3 * 3 * 8];
    sheaf_granger_options o = sheaf_granger_options_default();
    o.maxlag = 8;
    size_t T = MACRO_Y_ROWS;
    assert_fails(sheaf_granger_entries(NULL, NULL, T, 3, 3, &o, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "the series are NULL");
    assert_fails(sheaf_granger_entries(NULL, MACRO_Y, T, 3, 3, &o, NULL),
                 SHEAF_ERR_INVALID_ARGUMENT, "out is NULL");
    assert_fails(sheaf_granger_entries(NULL, MACRO_Y, T, 1, 3, &o, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "k = 1 series (need 2)");
    assert_fails(sheaf_granger_entries(NULL, MACRO_Y, T, 3, 2, &o, out), SHEAF_ERR_DIMENSION,
                 "ld = 2 is less than 3 series");
    /* bivariate lag 8: T > 8 + 17; common sample: the same; conditional: T > 8 + 25 */
    assert_fails(sheaf_granger_entries(NULL, MACRO_Y, 25, 3, 3, &o, out),
                 SHEAF_ERR_INVALID_ARGUMENT, "lag 8 needs more than 25 observations (have 25)");
    o.common_sample = 1;
    assert_fails(sheaf_granger_entries(NULL, MACRO_Y, 25, 3, 3, &o, out),
                 SHEAF_ERR_INVALID_ARGUMENT,
                 "lag 8 needs more than 25 observations on the common sample (have 25)");
    o.common_sample = 0;
    o.conditional = 1;
    assert_fails(sheaf_granger_entries(NULL, MACRO_Y, 33, 3, 3, &o, out),
                 SHEAF_ERR_INVALID_ARGUMENT, "lag 8 needs more than 33 observations (have 33)");
    cr_assert_eq(sheaf_granger_entries(NULL, MACRO_Y, 34, 3, 3, &o, out), SHEAF_OK, "%s",
                 sheaf_last_error());
    size_t huge[1] = {(size_t)-1};
    o.lags = huge;
    o.n_lags = 1;
    assert_fails(sheaf_granger_entries(NULL, MACRO_Y, T, 3, 3, &o, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "observations (have 202)");
    o = sheaf_granger_options_default();
    o.maxlag = 2;
    double *y = malloc(T * 3 * sizeof *y);
    memcpy(y, MACRO_Y, T * 3 * sizeof *y);
    y[40 * 3 + 2] = INFINITY;
    assert_fails(sheaf_granger_entries(NULL, y, T, 3, 3, &o, out), SHEAF_ERR_NONFINITE,
                 "series 2 at row 40 is inf");
    y[40 * 3 + 2] = MACRO_Y[40 * 3 + 2];
    for (size_t t = 0; t < T; t++)
        y[t * 3 + 1] = 0.5; /* series 1 constant */
    assert_fails(sheaf_granger_entries(NULL, y, T, 3, 3, &o, out), SHEAF_ERR_SINGULAR,
                 "regression of series 0 on series 1 is collinear");
    o.conditional = 1;
    assert_fails(sheaf_granger_entries(NULL, y, T, 3, 3, &o, out), SHEAF_ERR_SINGULAR,
                 "the lag-2 conditional regressions are collinear: series 1 is constant");
    for (size_t t = 0; t < T; t++)
        y[t * 3 + 1] = 2.0 * y[t * 3] - y[t * 3 + 2]; /* series 1 = 2 s0 - s2 */
    assert_fails(sheaf_granger_entries(NULL, y, T, 3, 3, &o, out), SHEAF_ERR_SINGULAR,
                 "exact combinations of others");
    free(y);
}

Test(granger_entries, a_failed_allocation_is_nomem_at_every_step)
{
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, 1), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_partitions(ctx, 2), SHEAF_OK);
    sheaf_granger_options o = sheaf_granger_options_default();
    o.maxlag = 3;
    o.conditional = 1;
    o.ic = SHEAF_GRANGER_IC_AIC;
    o.adjust = SHEAF_GRANGER_ADJUST_FDR_BH;
    sheaf_granger_entry out[9];
    sheaf_debug_fail_allocation(0);
    cr_assert_eq(sheaf_granger_entries(ctx, GEN_Y, GEN_Y_ROWS, 3, 3, &o, out), SHEAF_OK);
    uint64_t count = sheaf_debug_fail_allocation(0);
    cr_assert_gt(count, 5);
    for (uint64_t n = 1; n <= count; n++) {
        sheaf_debug_fail_allocation(n);
        sheaf_status st = sheaf_granger_entries(ctx, GEN_Y, GEN_Y_ROWS, 3, 3, &o, out);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu: %s: %s", (unsigned long long)n,
                     sheaf_status_name(st), sheaf_last_error());
        cr_assert(strstr(sheaf_last_error(), "out of memory") != NULL, "%s", sheaf_last_error());
    }
    sheaf_ctx_free(ctx);
}
