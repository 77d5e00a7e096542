/* test_var.c - VAR fits (include/sheaf_timeseries.h) against statsmodels
 * 0.13.5's VAR(y).fit(p, trend) as recorded in tests/data/timeseries/
 * var_refs.h: macrodata VAR(2) with trends n, c, ct and ctt,
 * EuStockMarkets VAR(3) and a generated system; params, bse, t and p,
 * coefs, sigma_u (both conventions), llf and the information criteria to
 * 1e-9; partitions, threads and bad inputs. */
#include "../data/timeseries/var_refs.h"
#include "sheaf.h"
#include "ts_test_util.h"

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_FIT(Y, T, K, P, TREND, REF)                                                          \
    do {                                                                                           \
        sheaf_var *v = NULL;                                                                       \
        cr_assert_eq(sheaf_var_fit(NULL, Y, T, K, K, P, TREND, &v), SHEAF_OK, "%s",                \
                     sheaf_last_error());                                                          \
        size_t n = REF##_PARAMS_LEN;                                                               \
        double *a = malloc(4 * n * sizeof(double));                                                \
        sheaf_var_params(v, a, a + n, a + 2 * n, a + 3 * n);                                       \
        assert_close(a, REF##_PARAMS, n, 1e-9, #REF " params");                                    \
        assert_close(a + n, REF##_BSE, n, 1e-9, #REF " bse");                                      \
        assert_close(a + 2 * n, REF##_TVALUES, n, 1e-9, #REF " tvalues");                          \
        for (size_t i = 0; i < n; i++)                                                             \
            cr_assert(fabs(a[3 * n + i] - REF##_PVALUES[i]) <= 1e-9, #REF " pvalues[%zu]", i);     \
        double c[REF##_COEFS_LEN], su[(K) * (K)], sm[(K) * (K)];                                   \
        sheaf_var_coefs(v, c);                                                                     \
        assert_close(c, REF##_COEFS, REF##_COEFS_LEN, 1e-9, #REF " coefs");                        \
        sheaf_var_sigma_u(v, su, sm);                                                              \
        assert_close(su, REF##_SIGMA_U, (K) * (K), 1e-9, #REF " sigma_u");                         \
        assert_close(sm, REF##_SIGMA_U_MLE, (K) * (K), 1e-9, #REF " sigma_u_mle");                 \
        sheaf_var_info info;                                                                       \
        sheaf_var_info_criteria(v, &info);                                                         \
        assert_close(&info.llf, &REF##_LLF, 1, 1e-9, #REF " llf");                                 \
        assert_close(&info.aic, &REF##_AIC, 1, 1e-9, #REF " aic");                                 \
        assert_close(&info.bic, &REF##_BIC, 1, 1e-9, #REF " bic");                                 \
        assert_close(&info.hqic, &REF##_HQIC, 1, 1e-9, #REF " hqic");                              \
        assert_close(&info.fpe, &REF##_FPE, 1, 1e-9, #REF " fpe");                                 \
        assert_close(&info.detomega, &REF##_DETOMEGA, 1, 1e-9, #REF " detomega");                  \
        cr_assert_eq((double)sheaf_var_nobs(v), REF##_NOBS);                                       \
        cr_assert_eq((double)sheaf_var_df_resid(v), REF##_DF_RESID);                               \
        free(a);                                                                                   \
        sheaf_var_free(v);                                                                         \
    } while (0)

Test(var, macrodata_var2_matches_statsmodels_for_every_trend)
{
    CHECK_FIT(MACRO_Y, MACRO_Y_ROWS, 3, 2, SHEAF_TREND_C, MACRO_VAR2_C);
    CHECK_FIT(MACRO_Y, MACRO_Y_ROWS, 3, 2, SHEAF_TREND_N, MACRO_VAR2_N);
    CHECK_FIT(MACRO_Y, MACRO_Y_ROWS, 3, 2, SHEAF_TREND_CT, MACRO_VAR2_CT);
    CHECK_FIT(MACRO_Y, MACRO_Y_ROWS, 3, 2, SHEAF_TREND_CTT, MACRO_VAR2_CTT);
}

Test(var, eustockmarkets_and_a_generated_system_match_statsmodels)
{
    CHECK_FIT(EU_Y, EU_Y_ROWS, 4, 3, SHEAF_TREND_C, EU_VAR3_C);
    CHECK_FIT(GEN_Y, GEN_Y_ROWS, 3, 2, SHEAF_TREND_C, GEN_VAR2_C);
}

static double *params_with(size_t parts, int threads)
{
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, threads), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_partitions(ctx, parts), SHEAF_OK);
    sheaf_var *v = NULL;
    cr_assert_eq(sheaf_var_fit(ctx, EU_Y, EU_Y_ROWS, 4, 4, 3, SHEAF_TREND_CT, &v), SHEAF_OK);
    double *a = malloc(EU_VAR3_C_PARAMS_LEN * 2 * sizeof(double));
    sheaf_var_params(v, a, NULL, NULL, NULL);
    sheaf_var_free(v);
    sheaf_ctx_free(ctx);
    return a;
}

Test(var, partitions_agree_and_threads_give_the_same_bits)
{
    size_t n = (2 + 4 * 3) * 4; /* trend ct: 2 terms */
    double *one = params_with(1, 1), *p3 = params_with(3, 2), *p16 = params_with(16, 2);
    assert_close(p3, one, n, 1e-10, "3 partitions");
    assert_close(p16, one, n, 1e-10, "16 partitions");
    double *t1 = params_with(16, 1), *t4 = params_with(16, 4);
    cr_assert(memcmp(t1, t4, n * sizeof(double)) == 0, "thread counts differ");
    free(one);
    free(p3);
    free(p16);
    free(t1);
    free(t4);
}

Test(var, bad_inputs_are_named)
{
    sheaf_var *v = NULL;
    cr_assert_eq(sheaf_var_fit(NULL, MACRO_Y, 10, 3, 3, 4, SHEAF_TREND_C, &v),
                 SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(sheaf_last_error(), "needs more than 17 observations (have 10)") != NULL, "%s",
              sheaf_last_error());
    cr_assert_null(v);
    cr_assert_eq(sheaf_var_fit(NULL, MACRO_Y, MACRO_Y_ROWS, 3, 2, 1, SHEAF_TREND_C, &v),
                 SHEAF_ERR_DIMENSION);
    double y[60 * 2];
    for (size_t t = 0; t < 60; t++) {
        y[2 * t] = 1.0; /* constant series beside the constant */
        y[2 * t + 1] = sin((double)t);
    }
    cr_assert_eq(sheaf_var_fit(NULL, y, 60, 2, 2, 1, SHEAF_TREND_C, &v), SHEAF_ERR_SINGULAR);
    cr_assert(strstr(sheaf_last_error(), "series 0 is constant (1 in all 60 rows)") != NULL, "%s",
              sheaf_last_error());
    y[2 * 30 + 1] = INFINITY;
    cr_assert_eq(sheaf_var_fit(NULL, y, 60, 2, 2, 1, SHEAF_TREND_N, &v), SHEAF_ERR_NONFINITE);
    cr_assert(strstr(sheaf_last_error(), "series 1 at row 30") != NULL, "%s", sheaf_last_error());
}
