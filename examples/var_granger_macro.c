/* var_granger_macro.c - which US macro series help predict which? Reads
 * statsmodels' macrodata (quarterly, 1959-2009), checks with augmented
 * Dickey-Fuller tests that six series have unit roots in log levels but
 * their growth rates (log differences) do not, prints the Granger-causality
 * p-values of every ordered pair of growth rates at lag 4 from one call,
 * then fits the
 * classic VAR of GDP, consumption and investment at the order AIC picks and
 * forecasts GDP growth with a 95% interval.
 * usage: var_granger_macro [data/macrodata.csv] */
#include <math.h>
#include <sheaf.h>
#include <stdio.h>
#include <stdlib.h>

#define K 6
#define MAXLAG 4

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "data/macrodata.csv";
    const char *names[K] = {"realgdp", "realcons", "realinv", "realgovt", "realdpi", "cpi"};
    sheaf_ctx *ctx = NULL;
    sheaf_frame *frame = NULL;
    sheaf_var *var = NULL;
    double *growth = NULL, *pvalues = NULL, *series = NULL;
    sheaf_status status = sheaf_ctx_create(&ctx);
    if (status != SHEAF_OK || (status = sheaf_csv_read(ctx, path, NULL, &frame)) != SHEAF_OK)
        goto done;

    size_t T = sheaf_frame_num_rows(frame) - 1; /* one row lost to differencing */
    growth = malloc(T * K * sizeof *growth);
    pvalues = malloc(K * K * MAXLAG * sizeof *pvalues);
    series = malloc((T + 1) * sizeof *series);
    if (!growth || !pvalues || !series) {
        status = SHEAF_ERR_NOMEM;
        goto done;
    }
    for (size_t j = 0; j < K; j++) { /* row-major T x K: row t is quarter t + 1 */
        size_t column;
        const double *level;
        if ((status = sheaf_frame_column_index(frame, names[j], &column)) != SHEAF_OK ||
            (status = sheaf_frame_column_float64(frame, column, &level)) != SHEAF_OK)
            goto done;
        for (size_t t = 0; t < T; t++)
            growth[t * K + j] = log(level[t + 1]) - log(level[t]);
    }

    /* ADF with lags by AIC: log levels around a linear trend, growth around a mean */
    sheaf_adf_options level_test = sheaf_adf_options_default(), growth_test = level_test;
    level_test.trend = SHEAF_TREND_CT;
    printf("ADF unit-root tests (lags by AIC): statistic, p-value\n%-9s %17s %17s\n", "",
           "log level (ct)", "growth (c)");
    for (size_t j = 0; j < K; j++) {
        sheaf_adf_result in_levels, in_growth;
        size_t column;
        const double *level;
        (void)sheaf_frame_column_index(frame, names[j], &column); /* found above */
        (void)sheaf_frame_column_float64(frame, column, &level);
        for (size_t t = 0; t <= T; t++)
            series[t] = log(level[t]);
        if ((status = sheaf_adfuller(ctx, series, T + 1, &level_test, &in_levels)) != SHEAF_OK)
            goto done;
        for (size_t t = 0; t < T; t++)
            series[t] = growth[t * K + j];
        if ((status = sheaf_adfuller(ctx, series, T, &growth_test, &in_growth)) != SHEAF_OK)
            goto done;
        printf("%-9s %8.3f %8.4f %8.3f %8.4f\n", names[j], in_levels.stat, in_levels.pvalue,
               in_growth.stat, in_growth.pvalue);
    }
    printf("\n");

    /* every ordered pair at lags 1..4: p-values at [(caused K + causing) MAXLAG + lag - 1] */
    status =
        sheaf_granger_matrix(ctx, growth, T, K, K, MAXLAG, SHEAF_GRANGER_SSR_FTEST, NULL, pvalues);
    if (status != SHEAF_OK) goto done;
    printf("Granger causality, %zu quarters, lag %d: p-value that the column does not "
           "help predict the row\n%-9s",
           T, MAXLAG, "");
    for (size_t j = 0; j < K; j++)
        printf(" %9s", names[j]);
    printf("\n");
    for (size_t i = 0; i < K; i++) {
        printf("%-9s", names[i]);
        for (size_t j = 0; j < K; j++) {
            double p = pvalues[(i * K + j) * MAXLAG + MAXLAG - 1];
            if (i == j)
                printf(" %9s", "-");
            else
                printf(" %8.4f%s", p, p < 0.01 ? "*" : " ");
        }
        printf("\n");
    }
    printf("(* p < 0.01)\n\n");

    /* the VAR of the first three series (a leading dimension of K reads them in place) */
    double ics[9 * 4], forecast[4 * 3], lower[4 * 3], upper[4 * 3];
    size_t order[4];
    if ((status = sheaf_var_select_order(ctx, growth, T, 3, K, 8, SHEAF_TREND_C, ics, order,
                                         NULL)) != SHEAF_OK ||
        (status = sheaf_var_fit(ctx, growth, T, 3, K, order[SHEAF_VAR_AIC], SHEAF_TREND_C, &var)) !=
            SHEAF_OK ||
        (status = sheaf_var_forecast_interval(var, growth, T, K, 4, 0.05, forecast, lower,
                                              upper)) != SHEAF_OK)
        goto done;
    sheaf_var_info info;
    sheaf_var_info_criteria(var, &info);
    printf("VAR of realgdp, realcons, realinv: orders by AIC %zu, BIC %zu, HQIC %zu, FPE %zu\n",
           order[SHEAF_VAR_AIC], order[SHEAF_VAR_BIC], order[SHEAF_VAR_HQIC], order[SHEAF_VAR_FPE]);
    printf("VAR(%zu): %zu observations, log-likelihood %.3f, AIC %.4f\n", sheaf_var_k_ar(var),
           sheaf_var_nobs(var), info.llf, info.aic);
    printf("realgdp growth forecast, %% per quarter [95%% interval]:\n");
    for (size_t h = 0; h < 4; h++) /* the data end in 2009Q3 */
        printf("  %zuQ%zu %6.3f  [%6.3f, %6.3f]\n", 2009 + (h + 3) / 4, (h + 3) % 4 + 1,
               100 * forecast[h * 3], 100 * lower[h * 3], 100 * upper[h * 3]);
done:
    if (status != SHEAF_OK) fprintf(stderr, "var_granger_macro: %s\n", sheaf_last_error());
    free(growth);
    free(pvalues);
    free(series);
    sheaf_var_free(var);
    sheaf_frame_free(frame);
    sheaf_ctx_free(ctx);
    return status == SHEAF_OK ? 0 : 1;
}
