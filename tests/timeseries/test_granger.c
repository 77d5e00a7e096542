/* test_granger.c - Granger causality tests (include/sheaf_timeseries.h)
 * against statsmodels 0.13.5's grangercausalitytests and R's
 * lmtest::grangertest, as recorded in tests/data/timeseries/var_refs.h (by
 * gen_var_refs.py): every number of the four tests for lags 1-8 on
 * macrodata, EuStockMarkets and a generated pair, a lag list, the all-pairs
 * matrix, partition and thread invariance, and the bad inputs. */
#include "../data/timeseries/var_refs.h"
#include "sheaf.h"
#include "ts_test_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Columns caused, causing of a row-major T x k array as a T x 2 array. */
static double *pair(const double *y, size_t T, size_t k, size_t caused, size_t causing)
{
    double *x = malloc(2 * T * sizeof *x);
    for (size_t t = 0; t < T; t++) {
        x[2 * t] = y[t * k + caused];
        x[2 * t + 1] = y[t * k + causing];
    }
    return x;
}

static void assert_stat(double got, double want, const char *what, size_t lag)
{
    cr_assert(fabs(got - want) <= 1e-9 * fabs(want) + 1e-300, "%s at lag %zu: %.17g, want %.17g",
              what, lag, got, want);
}

static void assert_p(double got, double want, const char *what, size_t lag)
{
    cr_assert(fabs(got - want) <= 1e-9, "%s p-value at lag %zu: %.17g, want %.17g", what, lag, got,
              want);
}

/* All fifteen numbers of statsmodels' rows (GC_* columns) for lags 1..8. */
static void check_against(const double *x, size_t T, const double *want)
{
    size_t lags[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    sheaf_granger_lag out[8];
    cr_assert_eq(sheaf_granger_tests(NULL, x, T, 2, lags, 8, out), SHEAF_OK, "%s",
                 sheaf_last_error());
    for (size_t q = 0; q < 8; q++) {
        const double *w = want + q * GC_COLS;
        size_t lag = q + 1;
        cr_assert_eq(out[q].lag, lag);
        cr_assert_eq((double)out[q].nobs, w[GC_NOBS]);
        assert_stat(out[q].ssr_ftest[0], w[GC_SSR_F], "ssr F", lag);
        assert_p(out[q].ssr_ftest[1], w[GC_SSR_F_P], "ssr F", lag);
        cr_assert_eq(out[q].ssr_ftest[2], w[GC_SSR_F_DF_DENOM]);
        cr_assert_eq(out[q].ssr_ftest[3], w[GC_SSR_F_DF_NUM]);
        assert_stat(out[q].ssr_chi2test[0], w[GC_SSR_CHI2], "ssr chi2", lag);
        assert_p(out[q].ssr_chi2test[1], w[GC_SSR_CHI2_P], "ssr chi2", lag);
        cr_assert_eq(out[q].ssr_chi2test[2], w[GC_SSR_CHI2_DF]);
        assert_stat(out[q].lrtest[0], w[GC_LR], "lr", lag);
        assert_p(out[q].lrtest[1], w[GC_LR_P], "lr", lag);
        cr_assert_eq(out[q].lrtest[2], w[GC_LR_DF]);
        assert_stat(out[q].params_ftest[0], w[GC_PARAMS_F], "params F", lag);
        assert_p(out[q].params_ftest[1], w[GC_PARAMS_F_P], "params F", lag);
        cr_assert_eq(out[q].params_ftest[2], w[GC_PARAMS_F_DF_DENOM]);
        cr_assert_eq(out[q].params_ftest[3], w[GC_PARAMS_F_DF_NUM]);
    }
}

Test(granger, macrodata_matches_statsmodels_for_lags_1_to_8_both_ways)
{
    double *x = pair(MACRO_Y, MACRO_Y_ROWS, MACRO_Y_COLS, 0, 2);
    check_against(x, MACRO_Y_ROWS, GC_MACRO_GDP_BY_INV);
    free(x);
    x = pair(MACRO_Y, MACRO_Y_ROWS, MACRO_Y_COLS, 2, 0);
    check_against(x, MACRO_Y_ROWS, GC_MACRO_INV_BY_GDP);
    free(x);
}

Test(granger, eustockmarkets_and_a_generated_pair_match_statsmodels)
{
    double *x = pair(EU_Y, EU_Y_ROWS, EU_Y_COLS, 0, 3);
    check_against(x, EU_Y_ROWS, GC_EU_DAX_BY_FTSE);
    free(x);
    x = pair(PAIR_XY, PAIR_XY_ROWS, 2, 1, 0);
    check_against(x, PAIR_XY_ROWS, GC_PAIR_Y_BY_X);
    free(x);
    x = pair(PAIR_XY, PAIR_XY_ROWS, 2, 0, 1);
    check_against(x, PAIR_XY_ROWS, GC_PAIR_X_BY_Y);
    free(x);
}

Test(granger, the_f_test_equals_r_lmtest_grangertest)
{
    double *x = pair(PAIR_XY, PAIR_XY_ROWS, 2, 1, 0); /* grangertest(y ~ x): x -> y */
    size_t lags[4] = {1, 2, 4, 8};
    sheaf_granger_lag out[4];
    cr_assert_eq(sheaf_granger_tests(NULL, x, PAIR_XY_ROWS, 2, lags, 4, out), SHEAF_OK);
    for (size_t q = 0; q < 4; q++) {
        assert_stat(out[q].ssr_ftest[0], GC_PAIR_Y_BY_X_R[3 * q], "R F", lags[q]);
        assert_p(out[q].ssr_ftest[1], GC_PAIR_Y_BY_X_R[3 * q + 1], "R F", lags[q]);
        cr_assert_eq(out[q].ssr_ftest[2], GC_PAIR_Y_BY_X_R[3 * q + 2]);
    }
    free(x);
}

Test(granger, a_lag_list_in_any_order_gives_those_lags)
{
    double *x = pair(MACRO_Y, MACRO_Y_ROWS, MACRO_Y_COLS, 0, 2);
    size_t lags[3] = {4, 2, 4};
    sheaf_granger_lag out[3];
    cr_assert_eq(sheaf_granger_tests(NULL, x, MACRO_Y_ROWS, 2, lags, 3, out), SHEAF_OK);
    for (size_t q = 0; q < 3; q++) {
        const double *w = GC_MACRO_GDP_BY_INV + (lags[q] - 1) * GC_COLS;
        assert_stat(out[q].ssr_ftest[0], w[GC_SSR_F], "ssr F", lags[q]);
        assert_stat(out[q].lrtest[0], w[GC_LR], "lr", lags[q]);
    }
    free(x);
}

static void check_matrix(const double *y, size_t T, size_t k, const double *want_f,
                         const double *want_p)
{
    double *f = malloc(k * k * 4 * sizeof *f), *p = malloc(k * k * 4 * sizeof *p);
    cr_assert_eq(sheaf_granger_matrix(NULL, y, T, k, k, 4, SHEAF_GRANGER_SSR_FTEST, f, p), SHEAF_OK,
                 "%s", sheaf_last_error());
    for (size_t a = 0; a < k * k * 4; a++) {
        if (isnan(want_f[a])) {
            cr_assert(isnan(f[a]) && isnan(p[a]), "diagonal entry %zu is not NaN", a);
            continue;
        }
        assert_stat(f[a], want_f[a], "matrix F", a % 4 + 1);
        assert_p(p[a], want_p[a], "matrix F", a % 4 + 1);
    }
    free(f);
    free(p);
}

Test(granger, the_all_pairs_matrix_equals_the_pairwise_calls)
{
    check_matrix(MACRO_Y, MACRO_Y_ROWS, MACRO_Y_COLS, GCM_MACRO_F, GCM_MACRO_P);
    check_matrix(GEN_Y, GEN_Y_ROWS, GEN_Y_COLS, GCM_GEN_F, GCM_GEN_P);
}

static double *matrix_with(size_t parts, int threads, sheaf_granger_test test)
{
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, threads), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_partitions(ctx, parts), SHEAF_OK);
    double *f = malloc(4 * 4 * 8 * sizeof *f);
    cr_assert_eq(sheaf_granger_matrix(ctx, EU_Y, EU_Y_ROWS, 4, 4, 8, test, f, NULL), SHEAF_OK);
    sheaf_ctx_free(ctx);
    return f;
}

Test(granger, partitions_agree_and_threads_give_the_same_bits)
{
    double *one = matrix_with(1, 1, SHEAF_GRANGER_LRTEST);
    size_t parts[] = {3, 16};
    for (size_t q = 0; q < 2; q++) {
        double *other = matrix_with(parts[q], 2, SHEAF_GRANGER_LRTEST);
        for (size_t a = 0; a < 4 * 4 * 8; a++)
            if (!isnan(one[a]))
                cr_assert(fabs(other[a] - one[a]) <= 1e-10 * fabs(one[a]), "%zu parts, entry %zu",
                          parts[q], a);
        free(other);
    }
    double *t1 = matrix_with(16, 1, SHEAF_GRANGER_LRTEST),
           *t4 = matrix_with(16, 4, SHEAF_GRANGER_LRTEST);
    for (size_t a = 0; a < 4 * 4 * 8; a++)
        cr_assert(memcmp(&t1[a], &t4[a], sizeof(double)) == 0, "entry %zu differs", a);
    free(one);
    free(t1);
    free(t4);
}

Test(granger, bad_inputs_are_named)
{
    double *x = pair(MACRO_Y, MACRO_Y_ROWS, MACRO_Y_COLS, 0, 2);
    size_t lags[1] = {8}, zero[1] = {0};
    sheaf_granger_lag out[1];
    assert_fails(sheaf_granger_tests(NULL, x, 25, 2, lags, 1, out), SHEAF_ERR_INVALID_ARGUMENT,
                 "lag 8 needs more than 25 observations (have 25)");
    assert_fails(sheaf_granger_tests(NULL, x, MACRO_Y_ROWS, 2, zero, 1, out),
                 SHEAF_ERR_INVALID_ARGUMENT, "lags start at 1");
    assert_fails(sheaf_granger_tests(NULL, x, MACRO_Y_ROWS, 1, lags, 1, out), SHEAF_ERR_DIMENSION,
                 "ld = 1");
    x[2 * 50 + 1] = NAN;
    assert_fails(sheaf_granger_tests(NULL, x, MACRO_Y_ROWS, 2, lags, 1, out), SHEAF_ERR_NONFINITE,
                 "series 1 at row 50 is nan");
    for (size_t t = 0; t < MACRO_Y_ROWS; t++)
        x[2 * t] = 0.25; /* a constant caused series */
    x[2 * 50 + 1] = 0.0;
    assert_fails(sheaf_granger_tests(NULL, x, MACRO_Y_ROWS, 2, lags, 1, out), SHEAF_ERR_SINGULAR,
                 "series 0 is collinear");
    double y3[3 * 40] = {0};
    assert_fails(sheaf_granger_matrix(NULL, y3, 40, 1, 1, 2, SHEAF_GRANGER_SSR_FTEST, NULL, NULL),
                 SHEAF_ERR_INVALID_ARGUMENT, "need 2");
    free(x);
}

/* k series of length T from the seeded generator: y_i,t = 0.4 y_i,t-1 +
 * 0.3 y_i-1,t-1 + e (each series caused by its neighbour, the rest null),
 * column `copy` (if < k) then replaced by 2 y_src + 1: exactly collinear. */
static double *generated(size_t T, size_t k, size_t copy, size_t src)
{
    sheaf_rng g;
    sheaf_rng_init(&g, 2024, 0, 0, 0);
    double *y = calloc(T * k, sizeof *y);
    for (size_t t = 1; t < T; t++)
        for (size_t i = 0; i < k; i++)
            y[t * k + i] = 0.4 * y[(t - 1) * k + i] + (i ? 0.3 * y[(t - 1) * k + i - 1] : 0.0) +
                           sheaf_rng_normal(&g, 0.0, 1.0);
    for (size_t t = 0; t < T && copy < k; t++)
        y[t * k + copy] = 2.0 * y[t * k + src] + 1.0;
    return y;
}

/* Sixty series at lags 1..8: the matrix path shares each caused series' own
 * regression across its pairs and rotates the causing columns in chunks (a
 * 60-series, lag-8 design needs two); every restricted and unrestricted
 * residual sum equals the pairwise call's (a separate QR per regression),
 * and so do the statistics. */
Test(granger, the_shared_fits_of_many_series_equal_the_pairwise_calls)
{
    enum { T = 700, K = 60, L = 8 };
    double *y = generated(T, K, K, 0), *f = malloc(K * K * L * sizeof *f);
    sheaf_granger_options o = sheaf_granger_options_default();
    o.maxlag = L;
    sheaf_granger_entry *e = malloc(K * K * L * sizeof *e);
    cr_assert_eq(sheaf_granger_entries(NULL, y, T, K, K, &o, e), SHEAF_OK, "%s",
                 sheaf_last_error());
    cr_assert_eq(sheaf_granger_matrix(NULL, y, T, K, K, L, SHEAF_GRANGER_SSR_FTEST, f, NULL),
                 SHEAF_OK, "%s", sheaf_last_error());
    size_t lags[L] = {1, 2, 3, 4, 5, 6, 7, 8};
    sheaf_granger_lag out[L];
    for (size_t i = 0; i < K; i++)
        for (size_t j = 0; j < K; j++) {
            if (i == j) continue;
            double *x = pair(y, T, K, i, j);
            cr_assert_eq(sheaf_granger_tests(NULL, x, T, 2, lags, L, out), SHEAF_OK);
            for (size_t q = 0; q < L; q++) {
                const sheaf_granger_entry *got = e + (i * K + j) * L + q;
                cr_assert(fabs(got->ssr_restricted - out[q].ssr_restricted) <=
                              1e-12 * out[q].ssr_restricted,
                          "(%zu, %zu) lag %zu: ssr_r %.17g, want %.17g", i, j, q + 1,
                          got->ssr_restricted, out[q].ssr_restricted);
                cr_assert(fabs(got->ssr_unrestricted - out[q].ssr_unrestricted) <=
                              1e-12 * out[q].ssr_unrestricted,
                          "(%zu, %zu) lag %zu: ssr_u %.17g, want %.17g", i, j, q + 1,
                          got->ssr_unrestricted, out[q].ssr_unrestricted);
                /* F = (ssr_r - ssr_u) / ssr_u df / L cancels when x adds
                 * nothing: its error is relative to max(F, 1) */
                double want = out[q].ssr_ftest[0], g = f[(i * K + j) * L + q];
                cr_assert(fabs(g - want) <= 1e-9 * fmax(fabs(want), 1.0),
                          "(%zu, %zu) lag %zu: F %.17g, want %.17g", i, j, q + 1, g, want);
            }
            free(x);
        }
    free(y);
    free(f);
    free(e);
}

Test(granger, a_collinear_pair_among_many_series_is_named)
{
    double *y = generated(200, 5, 3, 1); /* series 3 = 2 series 1 + 1 */
    assert_fails(sheaf_granger_matrix(NULL, y, 200, 5, 5, 2, SHEAF_GRANGER_SSR_FTEST, NULL, NULL),
                 SHEAF_ERR_SINGULAR,
                 "sheaf_granger_matrix: the lag-2 regression of series 1 on series 3 is collinear");
    free(y);
}

/* The lag factor holds at least 3 rows per column in each partition (1851
 * rows, 37 columns at lag 8: at most 16 partitions), whatever the threads:
 * asking for more gives the bits of 16. */
Test(granger, partitions_beyond_the_rows_reach_give_the_capped_counts_bits)
{
    double *capped = matrix_with(16, 2, SHEAF_GRANGER_SSR_FTEST),
           *asked = matrix_with(64, 1, SHEAF_GRANGER_SSR_FTEST),
           *fewer = matrix_with(15, 2, SHEAF_GRANGER_SSR_FTEST);
    cr_assert(memcmp(capped, asked, 4 * 4 * 8 * sizeof *capped) == 0);
    cr_assert(memcmp(capped, fewer, 4 * 4 * 8 * sizeof *capped) != 0, "15 partitions were capped");
    free(capped);
    free(asked);
    free(fewer);
}
