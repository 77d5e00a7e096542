/* bench_assemblers.c - sheaf's side of the assembler benchmarks: the same
 * work as bench/peers/assemblers_pandas.py on the tables of
 * bench/gen/gen_metrics.py, timed REPEAT times with a context of THREADS
 * threads, printing median_s, rows and per-column sums (NaN skipped).
 * The input frames are loaded before timing (both sides start in memory);
 * each timed run starts from the unpartitioned frame, so partitioning by
 * key is part of the work as the peer's sort and hashing are.
 *
 * usage: bench_assemblers ENTRY FOLDER[,FOLDER...] [REPEAT=5] [THREADS=2]
 * ENTRY: groupby | join | window | assemble | read (the floor of groupby:
 * one parallel pass reading the key and the four metric columns). */
#include "../common/metrics_table.h"

#include <math.h>
#include <omp.h>

static const char *const METRICS[] = {"m0", "m1", "m2", "m3"};

static sheaf_frame *run_groupby(const sheaf_ctx *ctx, sheaf_frame *const *tables)
{
    const char *keys[] = {"key"};
    sheaf_agg_spec aggs[12];
    for (int j = 0; j < 4; j++) {
        aggs[3 * j] = (sheaf_agg_spec){METRICS[j], SHEAF_AGG_MEAN, NULL};
        aggs[3 * j + 1] = (sheaf_agg_spec){METRICS[j], SHEAF_AGG_STD, NULL};
        aggs[3 * j + 2] = (sheaf_agg_spec){METRICS[j], SHEAF_AGG_COUNT, NULL};
    }
    sheaf_frame *out = NULL;
    if (sheaf_frame_group_by(ctx, tables[0], keys, 1, aggs, 12, &out) != SHEAF_OK)
        bench_die("group_by");
    return out;
}

static sheaf_frame *run_join(const sheaf_ctx *ctx, sheaf_frame *const *tables)
{
    const char *on[] = {"key", "time"};
    sheaf_frame *out = NULL;
    if (sheaf_frame_join(ctx, tables[0], tables[1], on, 2, SHEAF_JOIN_LEFT, &out) != SHEAF_OK)
        bench_die("join");
    for (int t = 2; t < 4; t++) {
        sheaf_frame *next = NULL;
        if (sheaf_frame_join(ctx, out, tables[t], on, 2, SHEAF_JOIN_LEFT, &next) != SHEAF_OK)
            bench_die("join");
        sheaf_frame_free(out);
        out = next;
    }
    return out;
}

/* Runs one step that reads `out` and writes `next`, then moves next into
 * out (a macro: the step must finish before next is read). */
#define STEP(call, what)                                                                           \
    do {                                                                                           \
        if ((call) != SHEAF_OK) bench_die(what);                                                   \
        sheaf_frame_free(out);                                                                     \
        out = next;                                                                                \
        next = NULL;                                                                               \
    } while (0)

static sheaf_frame *run_window(const sheaf_ctx *ctx, sheaf_frame *const *tables)
{
    const char *keys[] = {"key"};
    sheaf_frame *out = NULL, *next = NULL;
    if (sheaf_frame_lag(ctx, tables[0], "m0", 1, keys, 1, "time", "m0_lag1", &out) != SHEAF_OK)
        bench_die("lag");
    STEP(sheaf_frame_diff(ctx, out, "m0", 1, 1, keys, 1, "time", "m0_diff1", &next), "diff");
    STEP(sheaf_frame_rolling(ctx, out, "m0", SHEAF_WINDOW_MEAN, 10, 0, 0, keys, 1, "time",
                             "m0_rolling10", &next),
         "rolling");
    return out;
}

static sheaf_design *run_assemble(const sheaf_ctx *ctx, sheaf_frame *const *tables)
{
    const char *keys[] = {"key"};
    char names[20][32];
    const char *features[20];
    int k = 0;
    sheaf_frame *out = NULL, *next = NULL;
    for (int j = 0; j < 4; j++) {
        const sheaf_frame *from = out ? out : tables[0];
        snprintf(names[k], 32, "%s_lag1", METRICS[j]);
        STEP(sheaf_frame_lag(ctx, from, METRICS[j], 1, keys, 1, "time", names[k], &next), "lag1");
        features[k] = names[k], k++;
        snprintf(names[k], 32, "%s_lag2", METRICS[j]);
        STEP(sheaf_frame_lag(ctx, out, METRICS[j], 2, keys, 1, "time", names[k], &next), "lag2");
        features[k] = names[k], k++;
        snprintf(names[k], 32, "%s_diff1", METRICS[j]);
        STEP(sheaf_frame_diff(ctx, out, METRICS[j], 1, 1, keys, 1, "time", names[k], &next),
             "diff");
        features[k] = names[k], k++;
    }
    sheaf_stage *scaler = NULL;
    if (sheaf_standard_scaler_fit(ctx, out, METRICS, 4, 0, 1, &scaler) != SHEAF_OK)
        bench_die("scaler fit");
    STEP(sheaf_stage_transform(ctx, scaler, out, &next), "scaler");
    sheaf_stage_free(scaler);
    for (int j = 0; j < 4; j++)
        features[k++] = METRICS[j];
    sheaf_stage *indexer = NULL, *onehot = NULL;
    if (sheaf_string_indexer_fit(ctx, out, "cat", "cat_index", SHEAF_INDEX_ALPHABET_ASC,
                                 SHEAF_UNSEEN_ERROR, &indexer) != SHEAF_OK)
        bench_die("indexer fit");
    STEP(sheaf_stage_transform(ctx, indexer, out, &next), "indexer");
    if (sheaf_one_hot_encoder_fit(ctx, out, "cat_index", "cat", 1, SHEAF_UNSEEN_ERROR, &onehot) !=
        SHEAF_OK)
        bench_die("one-hot fit");
    STEP(sheaf_stage_transform(ctx, onehot, out, &next), "one-hot");
    sheaf_stage_free(indexer);
    sheaf_stage_free(onehot);
    static const char *const dummies[] = {"cat_0", "cat_1", "cat_2"};
    for (int j = 0; j < 3; j++)
        features[k++] = dummies[j];
    STEP(sheaf_frame_with_column(ctx, out, "hour", "hour(time)", &next), "hour");
    features[k++] = "hour";
    sheaf_design *design = NULL;
    if (sheaf_vector_assemble(ctx, out, features, 20, NULL, SHEAF_MISSING_KEEP, &design) !=
        SHEAF_OK)
        bench_die("assemble");
    sheaf_frame_free(out);
    return design;
}

/* The group-by floor: one parallel pass summing the five input columns. */
static double run_read(const sheaf_frame *f)
{
    const int64_t *key = NULL;
    const double *m[4];
    size_t n = sheaf_frame_num_rows(f), idx;
    sheaf_frame_column_index(f, "key", &idx);
    sheaf_frame_column_int64(f, idx, &key);
    for (int j = 0; j < 4; j++) {
        sheaf_frame_column_index(f, METRICS[j], &idx);
        sheaf_frame_column_float64(f, idx, &m[j]);
    }
    double total = 0.0;
#pragma omp parallel for reduction(+ : total) schedule(static)
    for (size_t i = 0; i < n; i++)
        total += (double)key[i] + m[0][i] + m[1][i] + m[2][i] + m[3][i];
    return total;
}

static void print_frame_sums(const sheaf_frame *f)
{
    size_t n = sheaf_frame_num_rows(f);
    printf("rows %zu\n", n);
    for (size_t c = 0; c < sheaf_frame_num_columns(f); c++) {
        const char *name = sheaf_frame_column_name(f, c);
        sheaf_type t = sheaf_frame_column_type(f, c);
        const uint8_t *valid = sheaf_frame_column_validity(f, c);
        if (strcmp(name, "key") == 0 || (t != SHEAF_TYPE_FLOAT64 && t != SHEAF_TYPE_INT64))
            continue;
        double sum = 0.0;
        if (t == SHEAF_TYPE_FLOAT64) {
            const double *v;
            sheaf_frame_column_float64(f, c, &v);
            for (size_t i = 0; i < n; i++)
                if (!isnan(v[i])) sum += v[i];
        } else {
            const int64_t *v;
            sheaf_frame_column_int64(f, c, &v);
            for (size_t i = 0; i < n; i++)
                if (!valid || valid[i]) sum += (double)v[i];
        }
        printf("sum %s %.17g\n", name, sum);
    }
}

static void print_design_sums(const sheaf_design *d)
{
    size_t n = sheaf_design_num_rows(d), k = sheaf_design_num_features(d);
    double *x = malloc(n * k * sizeof *x), *sum = calloc(k, sizeof *sum);
    if (sheaf_design_copy(d, x, k, NULL) != SHEAF_OK) bench_die("design copy");
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++)
            if (!isnan(x[i * k + j])) sum[j] += x[i * k + j];
    printf("rows %zu\n", n);
    for (size_t j = 0; j < k; j++)
        printf("sum %s %.17g\n", sheaf_design_feature_name(d, j), sum[j]);
    free(x);
    free(sum);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_assemblers ENTRY FOLDER[,FOLDER...] [REPEAT] [THREADS]\n");
        return 2;
    }
    const char *entry = argv[1];
    int repeat = argc > 3 ? atoi(argv[3]) : 5, threads = argc > 4 ? atoi(argv[4]) : 2;
    static const char *const prefixes[] = {"", "b_", "c_", "d_"};
    sheaf_frame *tables[4] = {NULL, NULL, NULL, NULL};
    char *folders = strdup(argv[2]);
    int n_tables = 0;
    for (char *s = strtok(folders, ","); s && n_tables < 4; s = strtok(NULL, ","), n_tables++)
        tables[n_tables] =
            bench_load_metrics(s, strcmp(entry, "join") == 0 ? prefixes[n_tables] : "");
    if (strcmp(entry, "join") == 0)
        for (int t = 1; t < n_tables; t++) {
            const char *drop[] = {"key", "time", NULL, NULL, NULL, NULL};
            char names[4][8];
            for (int j = 0; j < 4; j++) {
                snprintf(names[j], sizeof names[j], "%sm%d", prefixes[t], j);
                drop[2 + j] = names[j];
            }
            sheaf_frame *kept = NULL; /* the right tables carry no cat column */
            if (sheaf_frame_select(tables[t], drop, 6, &kept) != SHEAF_OK) bench_die("select");
            sheaf_frame_free(tables[t]);
            tables[t] = kept;
        }
    sheaf_ctx *ctx = NULL;
    if (sheaf_ctx_create(&ctx) != SHEAF_OK || sheaf_ctx_set_threads(ctx, threads) != SHEAF_OK)
        bench_die("ctx");
    omp_set_num_threads(threads);
    double *times = malloc((size_t)repeat * sizeof *times);
    sheaf_frame *result = NULL;
    sheaf_design *design = NULL;
    double floor_sum = 0.0;
    for (int r = 0; r < repeat; r++) {
        sheaf_frame_free(result);
        sheaf_design_free(design);
        result = NULL;
        design = NULL;
        double start = bench_now();
        if (strcmp(entry, "groupby") == 0)
            result = run_groupby(ctx, tables);
        else if (strcmp(entry, "join") == 0)
            result = run_join(ctx, tables);
        else if (strcmp(entry, "window") == 0)
            result = run_window(ctx, tables);
        else if (strcmp(entry, "assemble") == 0)
            design = run_assemble(ctx, tables);
        else if (strcmp(entry, "read") == 0)
            floor_sum = run_read(tables[0]);
        else {
            fprintf(stderr, "bench_assemblers: unknown entry '%s'\n", entry);
            return 2;
        }
        times[r] = bench_now() - start;
    }
    printf("median_s %.6f\n", bench_median(times, repeat));
    if (result) print_frame_sums(result);
    if (design) print_design_sums(design);
    if (strcmp(entry, "read") == 0)
        printf("rows %zu\nsum all %.17g\n", sheaf_frame_num_rows(tables[0]), floor_sum);
    sheaf_frame_free(result);
    sheaf_design_free(design);
    for (int t = 0; t < n_tables; t++)
        sheaf_frame_free(tables[t]);
    sheaf_ctx_free(ctx);
    free(times);
    free(folders);
    return 0;
}
