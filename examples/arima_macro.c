/* arima_macro.c - forecasts seven US macro series a year ahead. Reads the
 * keyed long table data/macro_long.csv (series, quarter, log level; made
 * from statsmodels' macrodata), first fits one series - log real GDP as an
 * ARIMA(1,1,1) with drift - and prints its estimates, then fits the same
 * model to every series in one call (one fit per key, in parallel) and
 * prints each series' forecast of the level one quarter and one year
 * ahead with its 95% interval.
 * usage: arima_macro [data/macro_long.csv] */
#include <math.h>
#include <sheaf.h>
#include <stdio.h>
#include <string.h>

#define H 4

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "data/macro_long.csv";
    sheaf_ctx *ctx = NULL;
    sheaf_frame *frame = NULL, *fits = NULL;
    sheaf_arima *gdp = NULL;
    sheaf_status status = sheaf_ctx_create(&ctx);
    if (status != SHEAF_OK || (status = sheaf_csv_read(ctx, path, NULL, &frame)) != SHEAF_OK)
        goto done;

    /* one series: the file lists real GDP first, quarters in order */
    size_t col, n = 0;
    const double *y;
    const int32_t *series;
    size_t dict;
    if ((status = sheaf_frame_column_index(frame, "series", &col)) != SHEAF_OK ||
        (status = sheaf_frame_column_codes(frame, col, &series, &dict)) != SHEAF_OK)
        goto done;
    while (n < sheaf_frame_num_rows(frame) && series[n] == series[0])
        n++;
    if ((status = sheaf_frame_column_index(frame, "log_level", &col)) != SHEAF_OK ||
        (status = sheaf_frame_column_float64(frame, col, &y)) != SHEAF_OK)
        goto done;
    sheaf_arima_spec spec = sheaf_arima_spec_default();
    spec.p = 1, spec.d = 1, spec.q = 1, spec.trend = SHEAF_ARIMA_TREND_T; /* drift */
    if ((status = sheaf_arima_fit(ctx, y, n, NULL, 0, 0, &spec, NULL, &gdp)) != SHEAF_OK) goto done;
    double params[4], bse[4];
    sheaf_arima_info info;
    sheaf_arima_params(gdp, params, bse);
    sheaf_arima_get_info(gdp, &info);
    printf("log real GDP, ARIMA(1,1,1) with drift, %zu quarters\n", n);
    for (size_t i = 0; i < 4; i++) {
        char name[16];
        sheaf_arima_param_name(&spec, 0, i, name, sizeof name);
        printf("  %-7s %12.6g  (se %.3g)%s\n", name, params[i], bse[i], i ? "" : "  drift");
    }
    printf("  llf %.3f  AICc %.3f\n\n", info.llf, info.aicc);

    /* every series: one call, one row per key */
    sheaf_arima_many_options opts = sheaf_arima_many_options_default();
    opts.spec = spec;
    opts.horizon = H;
    const char *keys[1] = {"series"};
    if ((status = sheaf_arima_fit_many(ctx, frame, keys, 1, "quarter", "log_level", &opts,
                                       &fits)) != SHEAF_OK)
        goto done;
    printf("%-9s %28s %28s\n", "level", "2009Q4 (95% interval)", "2010Q3 (95% interval)");
    const int32_t *names;
    const double *mean[H], *lower[H], *upper[H];
    size_t name_col;
    if ((status = sheaf_frame_column_index(fits, "series", &name_col)) != SHEAF_OK ||
        (status = sheaf_frame_column_codes(fits, name_col, &names, &dict)) != SHEAF_OK)
        goto done;
    for (size_t h = 0; h < H; h++) {
        char name[16];
        const double **dst[3] = {&mean[h], &lower[h], &upper[h]};
        const char *what[3] = {"mean", "lower", "upper"};
        for (size_t k = 0; k < 3; k++) {
            snprintf(name, sizeof name, "%s_%zu", what[k], h + 1);
            if ((status = sheaf_frame_column_index(fits, name, &col)) != SHEAF_OK ||
                (status = sheaf_frame_column_float64(fits, col, dst[k])) != SHEAF_OK)
                goto done;
        }
    }
    for (size_t r = 0; r < sheaf_frame_num_rows(fits); r++) {
        printf("%-9s", sheaf_frame_dict_value(fits, name_col, names[r]));
        for (size_t h = 0; h < H; h += H - 1) /* exp of log quantiles: level quantiles */
            printf("  %8.1f [%7.1f, %7.1f]", exp(mean[h][r]), exp(lower[h][r]), exp(upper[h][r]));
        printf("\n");
    }
done:
    if (status != SHEAF_OK) fprintf(stderr, "arima_macro: %s\n", sheaf_last_error());
    sheaf_frame_free(fits);
    sheaf_frame_free(frame);
    sheaf_arima_free(gdp);
    sheaf_ctx_free(ctx);
    return status == SHEAF_OK ? 0 : 1;
}
