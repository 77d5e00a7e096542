/* test_features_encode.c - the string indexer, the one-hot encoder and the
 * pipeline: label orders and ties against pandas' value_counts (refs.h),
 * transforms of a second frame with another dictionary under every unseen
 * policy, one-hot columns with drop-last and keep, pipelines trained on one
 * frame and applied to another, bad input and allocation failures. */
#include "features/fixture.h"

#include <stdint.h>

static sheaf_frame *strings(const char *name, const char *const *values, size_t n, size_t parts)
{
    sheaf_frame *f = NULL, *p = NULL;
    ASSERT_OK(sheaf_frame_create(&f));
    ASSERT_OK(sheaf_frame_add_string(f, name, values, n));
    ASSERT_OK(sheaf_frame_partition_rows(NULL, f, parts, &p));
    sheaf_frame_free(f);
    return p;
}

static void expect_labels(const sheaf_stage *s, const char *const *want, size_t n)
{
    size_t got;
    ASSERT_OK(sheaf_string_indexer_num_labels(s, &got));
    cr_assert_eq(got, n);
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(sheaf_string_indexer_label(s, i), want[i], "label %zu", i);
    cr_assert_null(sheaf_string_indexer_label(s, n));
}

Test(string_indexer, orders_labels_by_frequency_with_ties_by_value_as_spark)
{
    sheaf_frame *f = fixture_frame(7);
    const char *const *want[4] = {FEAT_LABELS_FREQ_DESC, FEAT_LABELS_FREQ_ASC, FEAT_LABELS_ALPHA,
                                  NULL};
    const char *desc[6];
    for (int i = 0; i < 6; i++)
        desc[i] = FEAT_LABELS_ALPHA[5 - i];
    want[3] = desc;
    for (int order = 0; order < 4; order++) {
        sheaf_stage *s = NULL;
        ASSERT_OK(sheaf_string_indexer_fit(NULL, f, "cat", "cat_index", (sheaf_index_order)order,
                                           SHEAF_UNSEEN_KEEP, &s));
        expect_labels(s, want[order], 6);
        sheaf_stage_free(s);
    }
    sheaf_frame_free(f);
}

Test(string_indexer, is_the_same_for_any_thread_count_and_partitioning)
{
    for (size_t parts = 1; parts <= 200; parts += 33)
        for (int threads = 1; threads <= 4; threads *= 2) {
            sheaf_frame *f = fixture_frame(parts);
            sheaf_ctx *ctx = fixture_ctx(threads);
            sheaf_stage *s = NULL;
            ASSERT_OK(sheaf_string_indexer_fit(ctx, f, "cat", "i", SHEAF_INDEX_FREQUENCY_DESC,
                                               SHEAF_UNSEEN_ERROR, &s));
            expect_labels(s, FEAT_LABELS_FREQ_DESC, 6);
            sheaf_stage_free(s);
            sheaf_ctx_free(ctx);
            sheaf_frame_free(f);
        }
}

Test(string_indexer, indexes_a_new_frame_with_another_dictionary_by_label_text)
{
    const char *train[] = {"red", "blue", "red", "green", "blue", "red", NULL};
    const char *test[] = {"green", "purple", "red", NULL, "blue", "purple", "red"};
    sheaf_frame *f = strings("colour", train, 7, 3), *g = strings("colour", test, 7, 4);
    sheaf_stage *s = NULL;
    sheaf_frame *out = NULL;
    /* red 3, blue 2, green 1 */
    ASSERT_OK(sheaf_string_indexer_fit(NULL, f, "colour", "ci", SHEAF_INDEX_FREQUENCY_DESC,
                                       SHEAF_UNSEEN_KEEP, &s));
    ASSERT_OK(sheaf_stage_transform(NULL, s, g, &out));
    const double keep[7] = {2, 3, 0, 3, 1, 3, 0};
    const double *ci = fixture_f64(out, "ci");
    for (int i = 0; i < 7; i++)
        cr_assert_eq(ci[i], keep[i], "row %d: %g", i, ci[i]);
    cr_assert_eq(sheaf_frame_num_columns(out), 2);
    sheaf_frame_free(out);
    sheaf_stage_free(s);

    ASSERT_OK(sheaf_string_indexer_fit(NULL, f, "colour", "ci", SHEAF_INDEX_FREQUENCY_DESC,
                                       SHEAF_UNSEEN_SKIP, &s));
    ASSERT_OK(sheaf_stage_transform(NULL, s, g, &out));
    cr_assert_eq(sheaf_frame_num_rows(out), 4);
    cr_assert_eq(sheaf_frame_num_partitions(out), 4);
    const double skip[4] = {2, 0, 1, 0};
    ci = fixture_f64(out, "ci");
    for (int i = 0; i < 4; i++)
        cr_assert_eq(ci[i], skip[i]);
    const int32_t *codes;
    size_t dict;
    ASSERT_OK(sheaf_frame_column_codes(out, 0, &codes, &dict));
    cr_assert_str_eq(sheaf_frame_dict_value(out, 0, codes[3]), "red");
    sheaf_frame_free(out);
    sheaf_stage_free(s);

    ASSERT_OK(sheaf_string_indexer_fit(NULL, f, "colour", "ci", SHEAF_INDEX_FREQUENCY_DESC,
                                       SHEAF_UNSEEN_ERROR, &s));
    out = (sheaf_frame *)1;
    ASSERT_FAILS(sheaf_stage_transform(NULL, s, g, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "column 'colour' has the unseen label 'purple' at row 1");
    cr_assert_null(out);
    const char *gap[] = {"red", NULL};
    sheaf_frame *h = strings("colour", gap, 2, 1);
    ASSERT_FAILS(sheaf_stage_transform(NULL, s, h, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "column 'colour' has a missing value at row 1");
    sheaf_frame_free(h);
    sheaf_stage_free(s);
    sheaf_frame_free(g);
    sheaf_frame_free(f);
}

Test(string_indexer, rejects_bad_columns_and_parameters)
{
    sheaf_frame *f = fixture_frame(2);
    sheaf_stage *s = (sheaf_stage *)1;
    ASSERT_FAILS(sheaf_string_indexer_fit(NULL, f, "nope", "o", 0, 0, &s),
                 SHEAF_ERR_INVALID_ARGUMENT, "no column named 'nope'");
    cr_assert_null(s);
    ASSERT_FAILS(sheaf_string_indexer_fit(NULL, f, "x", "o", 0, 0, &s), SHEAF_ERR_INVALID_ARGUMENT,
                 "column 'x' is float64, not string");
    ASSERT_FAILS(sheaf_string_indexer_fit(NULL, f, "cat", "o", (sheaf_index_order)9, 0, &s),
                 SHEAF_ERR_INVALID_ARGUMENT, "unknown order 9");
    ASSERT_OK(sheaf_string_indexer_fit(NULL, f, "cat", "y", 0, 0, &s));
    sheaf_frame *out = NULL;
    ASSERT_FAILS(sheaf_stage_transform(NULL, s, f, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "already has a column 'y'");
    sheaf_stage_free(s);
    const char *none[] = {NULL, NULL};
    sheaf_frame *g = strings("s", none, 2, 1);
    ASSERT_FAILS(sheaf_string_indexer_fit(NULL, g, "s", "o", 0, 0, &s), SHEAF_ERR_INVALID_ARGUMENT,
                 "column 's' has no present value");
    sheaf_frame_free(g);
    sheaf_frame_free(f);
}

Test(string_indexer, fit_copy_and_skip_transform_free_everything_when_allocations_fail)
{
    sheaf_frame *f = fixture_frame(3), *g = NULL;
    sheaf_ctx *ctx = fixture_ctx(1);
    sheaf_stage *s = NULL, *c = NULL;
    sheaf_debug_fail_allocation(0);
    ASSERT_OK(sheaf_string_indexer_fit(ctx, f, "cat", "o", 0, SHEAF_UNSEEN_SKIP, &s));
    ASSERT_OK(sheaf_stage_copy(s, &c));
    ASSERT_OK(sheaf_stage_transform(ctx, c, f, &g));
    uint64_t count = sheaf_debug_fail_allocation(0);
    sheaf_frame_free(g);
    sheaf_stage_free(c);
    sheaf_stage_free(s);
    cr_assert_gt(count, 10);
    for (uint64_t k = 1; k <= count; k++) {
        s = c = NULL;
        g = NULL;
        sheaf_debug_fail_allocation(k);
        sheaf_status st = sheaf_string_indexer_fit(ctx, f, "cat", "o", 0, SHEAF_UNSEEN_SKIP, &s);
        if (st == SHEAF_OK) st = sheaf_stage_copy(s, &c);
        if (st == SHEAF_OK) st = sheaf_stage_transform(ctx, c, f, &g);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu: %s", (unsigned long long)k,
                     sheaf_last_error());
        cr_assert_null(g);
        sheaf_stage_free(c);
        sheaf_stage_free(s);
    }
    sheaf_ctx_free(ctx);
    sheaf_frame_free(f);
}

static sheaf_frame *indices(const double *v, size_t n, size_t parts)
{
    sheaf_frame *f = NULL, *p = NULL;
    ASSERT_OK(sheaf_frame_create(&f));
    ASSERT_OK(sheaf_frame_add_float64(f, "c", v, NULL, n));
    ASSERT_OK(sheaf_frame_partition_rows(NULL, f, parts, &p));
    sheaf_frame_free(f);
    return p;
}

Test(one_hot_encoder, writes_dense_indicator_columns_dropping_the_last_as_spark)
{
    const double v[5] = {0, 2, 1, 2, 0};
    sheaf_frame *f = indices(v, 5, 3), *g = NULL;
    sheaf_stage *s = NULL;
    ASSERT_OK(sheaf_one_hot_encoder_fit(NULL, f, "c", "oh", 1, SHEAF_UNSEEN_ERROR, &s));
    size_t n;
    ASSERT_OK(sheaf_one_hot_encoder_num_categories(s, &n));
    cr_assert_eq(n, 3);
    ASSERT_OK(sheaf_stage_transform(NULL, s, f, &g));
    cr_assert_eq(sheaf_frame_num_columns(g), 3); /* c, oh_0, oh_1 */
    const double *o0 = fixture_f64(g, "oh_0"), *o1 = fixture_f64(g, "oh_1");
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(o0[i], v[i] == 0);
        cr_assert_eq(o1[i], v[i] == 1);
    }
    sheaf_frame_free(g);
    sheaf_stage_free(s);
    ASSERT_OK(sheaf_one_hot_encoder_fit(NULL, f, "c", NULL, 0, SHEAF_UNSEEN_ERROR, &s));
    ASSERT_OK(sheaf_stage_transform(NULL, s, f, &g));
    cr_assert_eq(sheaf_frame_num_columns(g), 4);
    const double *c2 = fixture_f64(g, "c_2");
    for (int i = 0; i < 5; i++)
        cr_assert_eq(c2[i], v[i] == 2);
    sheaf_frame_free(g);
    sheaf_stage_free(s);
    sheaf_frame_free(f);
}

Test(one_hot_encoder, keep_sends_invalid_values_to_an_extra_category)
{
    const double train[3] = {0, 1, NAN}, test[6] = {1, NAN, -1, 0.5, 7, 0};
    sheaf_frame *f = indices(train, 3, 2), *g = indices(test, 6, 4), *out = NULL;
    sheaf_stage *s = NULL;
    ASSERT_OK(sheaf_one_hot_encoder_fit(NULL, f, "c", "k", 0, SHEAF_UNSEEN_KEEP, &s));
    ASSERT_OK(sheaf_stage_transform(NULL, s, g, &out));
    cr_assert_eq(sheaf_frame_num_columns(out), 4);
    const double *k0 = fixture_f64(out, "k_0"), *k1 = fixture_f64(out, "k_1"),
                 *k2 = fixture_f64(out, "k_2");
    for (int i = 0; i < 6; i++) {
        cr_assert_eq(k0[i], test[i] == 0);
        cr_assert_eq(k1[i], test[i] == 1);
        cr_assert_eq(k2[i], !(test[i] == 0 || test[i] == 1), "row %d", i);
    }
    sheaf_frame_free(out);
    sheaf_stage_free(s);
    /* keep with drop_last drops the extra category */
    ASSERT_OK(sheaf_one_hot_encoder_fit(NULL, f, "c", "k", 1, SHEAF_UNSEEN_KEEP, &s));
    ASSERT_OK(sheaf_stage_transform(NULL, s, g, &out));
    cr_assert_eq(sheaf_frame_num_columns(out), 3);
    sheaf_frame_free(out);
    sheaf_stage_free(s);
    sheaf_frame_free(g);
    sheaf_frame_free(f);
}

Test(one_hot_encoder, error_policy_names_the_column_row_and_value)
{
    const double train[3] = {0, 1, 3}, test[4] = {1, 0, 4, 1};
    sheaf_frame *f = indices(train, 3, 2), *g = indices(test, 4, 2), *out = (sheaf_frame *)1;
    sheaf_stage *s = NULL;
    ASSERT_OK(sheaf_one_hot_encoder_fit(NULL, f, "c", "k", 1, SHEAF_UNSEEN_ERROR, &s));
    ASSERT_FAILS(sheaf_stage_transform(NULL, s, g, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "column 'c' has 4 at row 2, not a category index in [0, 4)");
    cr_assert_null(out);
    sheaf_stage_free(s);
    const double bad[3] = {0, 1.5, 2}, gap[2] = {0, NAN};
    sheaf_frame *b = indices(bad, 3, 1), *h = indices(gap, 2, 1);
    ASSERT_FAILS(sheaf_one_hot_encoder_fit(NULL, b, "c", NULL, 1, SHEAF_UNSEEN_ERROR, &s),
                 SHEAF_ERR_INVALID_ARGUMENT, "column 'c' has 1.5 at row 1, not a category index");
    cr_assert_null(s);
    ASSERT_FAILS(sheaf_one_hot_encoder_fit(NULL, h, "c", NULL, 1, SHEAF_UNSEEN_ERROR, &s),
                 SHEAF_ERR_INVALID_ARGUMENT, "column 'c' has a missing value at row 1");
    ASSERT_FAILS(sheaf_one_hot_encoder_fit(NULL, h, "c", NULL, 1, SHEAF_UNSEEN_SKIP, &s),
                 SHEAF_ERR_INVALID_ARGUMENT, "not supported");
    sheaf_frame *fx = fixture_frame(2);
    ASSERT_FAILS(sheaf_one_hot_encoder_fit(NULL, fx, "cat", NULL, 1, SHEAF_UNSEEN_ERROR, &s),
                 SHEAF_ERR_INVALID_ARGUMENT, "column 'cat' is string");
    sheaf_frame_free(fx);
    sheaf_frame_free(h);
    sheaf_frame_free(b);
    sheaf_frame_free(g);
    sheaf_frame_free(f);
}

Test(pipeline, replays_fitted_stages_trained_on_one_frame_on_another)
{
    sheaf_frame *train = fixture_frame(5), *test = fixture_frame(3), *out = NULL;
    sheaf_ctx *ctx = fixture_ctx(2);
    sheaf_pipeline *p = NULL;
    ASSERT_OK(sheaf_pipeline_create(&p));
    sheaf_stage *s = NULL;
    ASSERT_OK(sheaf_string_indexer_fit(ctx, train, "cat", "ci", 0, SHEAF_UNSEEN_KEEP, &s));
    sheaf_frame *step = NULL;
    ASSERT_OK(sheaf_stage_transform(ctx, s, train, &step));
    ASSERT_OK(sheaf_pipeline_add(p, s));
    ASSERT_OK(sheaf_one_hot_encoder_fit(ctx, step, "ci", "cat", 1, SHEAF_UNSEEN_ERROR, &s));
    ASSERT_OK(sheaf_pipeline_add(p, s));
    sheaf_frame_free(step);
    const char *xk[] = {"x", "k"};
    ASSERT_OK(sheaf_imputer_fit(ctx, train, xk, 2, SHEAF_IMPUTE_MEDIAN, &s));
    ASSERT_OK(sheaf_pipeline_add(p, s));
    cr_assert_eq(sheaf_pipeline_num_stages(p), 3);
    cr_assert_eq(sheaf_stage_kind_of(sheaf_pipeline_stage(p, 2)), SHEAF_STAGE_IMPUTER);
    ASSERT_OK(sheaf_pipeline_transform(ctx, p, test, &out));
    /* x k cat y ci cat_0..cat_5 (7 categories with keep's extra, minus the last) */
    cr_assert_eq(sheaf_frame_num_columns(out), 5 + 6);
    const double *ci = fixture_f64(out, "ci"), *x = fixture_f64(out, "x");
    const double *c0 = fixture_f64(out, "cat_0");
    for (size_t i = 0; i < FEAT_N; i++) {
        double want = 6;
        for (int l = 0; l < 6; l++)
            if (FEAT_CAT[i] && strcmp(FEAT_CAT[i], FEAT_LABELS_FREQ_DESC[l]) == 0) want = l;
        cr_assert_eq(ci[i], want, "row %zu", i);
        cr_assert_eq(c0[i], want == 0);
        cr_assert_eq(x[i], isnan(FEAT_X[i]) ? FEAT_X_MEDIAN : FEAT_X[i]);
    }
    sheaf_frame_free(out);
    /* a failing stage is named */
    const char *only[] = {"x", NULL};
    sheaf_frame *bare = NULL;
    ASSERT_OK(sheaf_frame_create(&bare));
    ASSERT_OK(sheaf_frame_add_string(bare, "cat", only, 2));
    out = (sheaf_frame *)1;
    ASSERT_FAILS(sheaf_pipeline_transform(ctx, p, bare, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_pipeline_transform: stage 2: sheaf_stage_transform: no column named 'x'");
    cr_assert_null(out);
    ASSERT_FAILS(sheaf_pipeline_add(p, NULL), SHEAF_ERR_INVALID_ARGUMENT, "stage is NULL");
    sheaf_frame_free(bare);
    sheaf_pipeline_free(p);
    sheaf_ctx_free(ctx);
    sheaf_frame_free(test);
    sheaf_frame_free(train);
}
