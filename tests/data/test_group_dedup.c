/* test_group_dedup.c - sheaf_frame_drop_duplicates: first occurrences in
 * row order across partitions, missing equal to missing, -0.0 equal to 0.0,
 * a subset, the key-partitioned shortcut, bad input, allocation failures.
 * Expected rows worked by hand (and checked against pandas 1.5's
 * drop_duplicates in tests/python/test_group.py). */
#include "group_test.h"

#include <stdlib.h>

static sheaf_frame *sample(size_t partitions)
{
    sheaf_frame *f;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    const double x[] = {1, 0.0, NAN, 1, -0.0, NAN, 2, 1};
    const char *s[] = {"a", "b", NULL, "a", "b", NULL, "a", "c"};
    const int64_t k[] = {7, 7, 0, 7, 7, 0, 8, 0};
    const uint8_t kv[] = {1, 1, 0, 1, 1, 0, 1, 0};
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, 8), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "s", s, 8), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", k, kv, 8), SHEAF_OK);
    return gt_rows(f, partitions);
}

static sheaf_frame *dedup(const sheaf_frame *f, const char *const *subset, size_t n, int threads)
{
    sheaf_ctx *ctx = gt_ctx(threads, 4);
    sheaf_frame *out = NULL;
    cr_assert_eq(sheaf_frame_drop_duplicates(ctx, f, subset, n, &out), SHEAF_OK, "%s",
                 sheaf_last_error());
    sheaf_ctx_free(ctx);
    return out;
}

Test(drop_duplicates, keeps_first_rows_in_order_across_partitions)
{
    for (size_t parts = 1; parts <= 12; parts += 11) {
        sheaf_frame *f = sample(parts);
        sheaf_frame *d = dedup(f, NULL, 0, 2);
        /* rows 3 (= row 0), 4 (-0.0 = row 1) and 5 (all missing = row 2) go. */
        const double want_x[] = {1, 0, NAN, 2, 1};
        cr_assert_eq(sheaf_frame_num_rows(d), 5);
        for (size_t i = 0; i < 5; i++)
            gt_close(gt_f64(d, "x")[i], want_x[i], "x", i);
        gt_str_eq(gt_str(d, "s", 4), "c", 4);
        cr_assert_not(gt_valid(d, "k", 4));
        cr_assert_eq(sheaf_frame_num_partitions(d), parts);
        sheaf_frame_free(d);
        sheaf_frame_free(f);
    }
}

Test(drop_duplicates, compares_only_the_subset)
{
    sheaf_frame *f = sample(3);
    const char *subset[] = {"k"};
    sheaf_frame *d = dedup(f, subset, 1, 1);
    /* k: 7, 7, -, 7, 7, -, 8, - -> rows 0, 2, 6. */
    cr_assert_eq(sheaf_frame_num_rows(d), 3);
    const double want_x[] = {1, NAN, 2};
    for (size_t i = 0; i < 3; i++)
        gt_close(gt_f64(d, "x")[i], want_x[i], "x", i);
    sheaf_frame_free(d);
    sheaf_frame_free(f);
}

Test(drop_duplicates, shares_the_frame_when_nothing_repeats_and_is_deterministic)
{
    sheaf_frame *f;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    int64_t *v = malloc(1000 * sizeof *v), *t = malloc(1000 * sizeof *t);
    for (size_t i = 0; i < 1000; i++) {
        v[i] = (int64_t)((i * 7919) % 101);
        t[i] = (int64_t)i;
    }
    cr_assert_eq(sheaf_frame_add_int64(f, "v", v, NULL, 1000), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "t", t, NULL, 1000), SHEAF_OK);
    f = gt_rows(f, 9);
    sheaf_frame *all = dedup(f, NULL, 0, 2);
    cr_assert_eq(sheaf_frame_num_rows(all), 1000);
    const char *subset[] = {"v"};
    sheaf_frame *one = dedup(f, subset, 1, 1);
    cr_assert_eq(sheaf_frame_num_rows(one), 101);
    for (int threads = 2; threads <= 4; threads *= 2) {
        sheaf_frame *other = dedup(f, subset, 1, threads);
        gt_frames_identical(one, other);
        sheaf_frame_free(other);
    }
    /* Partitioned by v: the per-partition answer is the answer. */
    sheaf_frame *kt = NULL;
    cr_assert_eq(sheaf_frame_partition_by_key_time(NULL, f, subset, 1, "t", 5, &kt), SHEAF_OK);
    sheaf_frame *d = dedup(kt, subset, 1, 2);
    cr_assert_eq(sheaf_frame_num_rows(d), 101);
    for (size_t i = 1; i < 101; i++)
        cr_assert_lt(gt_i64(d, "v")[i - 1], gt_i64(d, "v")[i]);
    sheaf_frame_free(d);
    sheaf_frame_free(kt);
    sheaf_frame_free(one);
    sheaf_frame_free(all);
    sheaf_frame_free(f);
    free(v);
    free(t);
}

Test(drop_duplicates, reports_unknown_columns)
{
    sheaf_frame *f = sample(2), *out = (sheaf_frame *)1;
    const char *subset[] = {"x", "nope"};
    gt_error(sheaf_frame_drop_duplicates(NULL, f, subset, 2, &out), &out,
             SHEAF_ERR_INVALID_ARGUMENT, "no column named 'nope'");
    sheaf_frame_free(f);
}

Test(drop_duplicates, fails_cleanly_at_every_allocation)
{
    sheaf_frame *f = sample(3), *out = NULL;
    sheaf_ctx *ctx = gt_ctx(1, 2);
    sheaf_debug_fail_allocation(0);
    cr_assert_eq(sheaf_frame_drop_duplicates(ctx, f, NULL, 0, &out), SHEAF_OK);
    uint64_t count = sheaf_debug_fail_allocation(0);
    sheaf_frame_free(out);
    for (uint64_t k = 1; k <= count; k++) {
        out = (sheaf_frame *)1;
        sheaf_debug_fail_allocation(k);
        sheaf_status st = sheaf_frame_drop_duplicates(ctx, f, NULL, 0, &out);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu", (unsigned long long)k);
        cr_assert_null(out);
    }
    sheaf_ctx_free(ctx);
    sheaf_frame_free(f);
}
