/* airquality_features.c - the feature-assembly step of `make demo`: from
 * the bundled airquality table (daily New York air quality, May-September
 * 1973) to a design matrix for predicting ozone, with the C API.
 *
 *   impute Solar.R by its median -> yesterday's ozone and the 7-day mean
 *   temperature within each month -> the weekday -> one-hot month ->
 *   standardise wind and temperature -> assemble, dropping incomplete rows
 *
 * usage: airquality_features [data/airquality.csv] */
#include <sheaf.h>
#include <stdio.h>

#define STEP(call)                                                                                 \
    do {                                                                                           \
        sheaf_frame *next_ = NULL;                                                                 \
        if ((status = (call)) != SHEAF_OK) goto done;                                              \
        sheaf_frame_free(frame);                                                                   \
        frame = next_;                                                                             \
    } while (0)
#define NEXT &next_

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "data/airquality.csv";
    const char *month[] = {"Month"}, *solar[] = {"Solar.R"}, *scaled[] = {"Wind", "Temp"};
    const char *features[] = {"Solar.R", "Wind",    "Temp",    "ozone_lag1", "temp_7d",
                              "weekday", "month_0", "month_1", "month_2",    "month_3"};
    const size_t n_features = sizeof features / sizeof *features;
    sheaf_ctx *ctx = NULL;
    sheaf_frame *frame = NULL;
    sheaf_stage *stage = NULL;
    sheaf_design *design = NULL;
    sheaf_status status = sheaf_ctx_create(&ctx);
    if (status != SHEAF_OK || (status = sheaf_csv_read(ctx, path, NULL, &frame)) != SHEAF_OK)
        goto done;

    if ((status = sheaf_imputer_fit(ctx, frame, solar, 1, SHEAF_IMPUTE_MEDIAN, &stage)) != SHEAF_OK)
        goto done;
    STEP(sheaf_stage_transform(ctx, stage, frame, NEXT));
    sheaf_stage_free(stage);
    stage = NULL;
    STEP(sheaf_frame_lag(ctx, frame, "Ozone", 1, month, 1, "Date", "ozone_lag1", NEXT));
    STEP(sheaf_frame_rolling(ctx, frame, "Temp", SHEAF_WINDOW_MEAN, 0, 7 * 86400000000000LL, 0,
                             month, 1, "Date", "temp_7d", NEXT));
    STEP(sheaf_frame_with_column(ctx, frame, "weekday", "dayofweek(Date)", NEXT));
    STEP(sheaf_frame_with_column(ctx, frame, "month_index", "Month - 5", NEXT));
    if ((status = sheaf_one_hot_encoder_fit(ctx, frame, "month_index", "month", 1,
                                            SHEAF_UNSEEN_ERROR, &stage)) != SHEAF_OK)
        goto done;
    STEP(sheaf_stage_transform(ctx, stage, frame, NEXT));
    sheaf_stage_free(stage);
    stage = NULL;
    if ((status = sheaf_standard_scaler_fit(ctx, frame, scaled, 2, 1, 1, &stage)) != SHEAF_OK)
        goto done;
    STEP(sheaf_stage_transform(ctx, stage, frame, NEXT));
    if ((status = sheaf_vector_assemble(ctx, frame, features, n_features, "Ozone",
                                        SHEAF_MISSING_SKIP, &design)) != SHEAF_OK)
        goto done;

    size_t rows = sheaf_design_num_rows(design);
    printf("\ndesign matrix: %zu rows x %zu features in %zu partitions, label Ozone\n", rows,
           n_features, sheaf_design_num_partitions(design));
    for (size_t j = 0; j < n_features; j++)
        printf("%11s", sheaf_design_feature_name(design, j));
    printf("%11s\n", "Ozone");
    const double *x, *y;
    size_t block_rows;
    if ((status = sheaf_design_block(design, 0, &x, &y, &block_rows)) != SHEAF_OK) goto done;
    for (size_t i = 0; i < block_rows && i < 5; i++) {
        for (size_t j = 0; j < n_features; j++)
            printf("%11.4g", x[i * n_features + j]);
        printf("%11.4g\n", y[i]);
    }
done:
    if (status != SHEAF_OK) fprintf(stderr, "airquality_features: %s\n", sheaf_last_error());
    sheaf_design_free(design);
    sheaf_stage_free(stage);
    sheaf_frame_free(frame);
    sheaf_ctx_free(ctx);
    return status == SHEAF_OK ? 0 : 1;
}
