/* test_group_dense.c - the dense ("key - min") numbering of group_ids.c
 * against the hashed one: int64 and timestamp keys with gaps and negative
 * values must give the bits a float64 copy of the key (always hashed) gives,
 * the range bound picks the path, missing keys are dropped by the group-by
 * and kept by drop_duplicates, chunks of a big partition merge the same for
 * 1, 2 and 4 threads, and every allocation can fail cleanly. Expected
 * numbers worked by hand; the pandas comparison of the dense path is in
 * tests/python/test_group.py. */
#include "data/group_ids.h"
#include "group_test.h"

#include <stdlib.h>

/* Is the dense numbering chosen for key of f? */
static bool takes_dense_path(const sheaf_frame *f, const char *key, unsigned flags)
{
    sh_keys k;
    sh_group_ids ids;
    cr_assert_eq(sh_keys_open(&k, f, &key, 1, "test"), SHEAF_OK);
    cr_assert_eq(sh_keys_rank(&k, "test"), SHEAF_OK);
    cr_assert_eq(sh_group_ids_build(NULL, f, &k, false, flags, "test", &ids), SHEAF_OK, "%s",
                 sheaf_last_error());
    bool dense = ids.dense;
    sh_group_ids_clear(&ids);
    sh_keys_clear(&k);
    return dense;
}

/* n rows: k (int64 in -59..61, no multiple of 3), kf (k as
 * float64), t (k as timestamp in seconds), x (float64, NaN every 7th row),
 * y (int64, invalid every 5th row). */
static sheaf_frame *gapped(size_t n, size_t partitions)
{
    int64_t *k = malloc(n * sizeof *k), *y = malloc(n * sizeof *y);
    double *kf = malloc(n * sizeof *kf), *x = malloc(n * sizeof *x);
    uint8_t *yv = malloc(n);
    uint64_t state = 12345;
    for (size_t i = 0; i < n; i++) {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        int64_t v = (int64_t)((state >> 33) % 121) - 60;
        if (v % 3 == 0) v += 1; /* gaps: no multiple of 3 */
        k[i] = v;
        kf[i] = (double)v;
        x[i] = i % 7 == 3 ? NAN : 1e6 + (double)((state >> 20) % 100000) / 7.0;
        y[i] = (int64_t)((state >> 40) % 2001) - 1000;
        yv[i] = i % 5 != 2;
    }
    sheaf_frame *f;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", k, NULL, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "kf", kf, NULL, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_timestamp(f, "t", k, NULL, n, SHEAF_TIME_S), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "y", y, yv, n), SHEAF_OK);
    free(k);
    free(y);
    free(kf);
    free(x);
    free(yv);
    return gt_rows(f, partitions);
}

static const sheaf_agg_spec all_specs[] = {
    {"x", SHEAF_AGG_MEAN, "xm"},  {"x", SHEAF_AGG_STD, "xs"},   {"x", SHEAF_AGG_COUNT, "xc"},
    {"x", SHEAF_AGG_SUM, "xsum"}, {"x", SHEAF_AGG_VAR, "xv"},   {"x", SHEAF_AGG_MIN, "xmin"},
    {"x", SHEAF_AGG_MAX, "xmax"}, {"x", SHEAF_AGG_FIRST, "xf"}, {"x", SHEAF_AGG_LAST, "xl"},
    {"y", SHEAF_AGG_SUM, "ysum"}, {"y", SHEAF_AGG_MEAN, "ym"},  {"y", SHEAF_AGG_STD, "ys"},
    {"y", SHEAF_AGG_MIN, "ymin"}, {"y", SHEAF_AGG_MAX, "ymax"}, {"y", SHEAF_AGG_COUNT, "yc"}};
#define N_ALL (sizeof all_specs / sizeof *all_specs)

static sheaf_frame *group(const sheaf_frame *f, const char *key, int threads)
{
    sheaf_ctx *ctx = gt_ctx(threads, 3);
    sheaf_frame *out = NULL;
    const char *keys[] = {key};
    cr_assert_eq(sheaf_frame_group_by(ctx, f, keys, 1, all_specs, N_ALL, &out), SHEAF_OK, "%s",
                 sheaf_last_error());
    sheaf_ctx_free(ctx);
    return out;
}

/* The aggregate columns of a and b (their key columns differ in type). */
static void same_aggregates(const sheaf_frame *a, const sheaf_frame *b)
{
    sheaf_frame *sa, *sb;
    const char *names[N_ALL];
    for (size_t i = 0; i < N_ALL; i++)
        names[i] = all_specs[i].name;
    cr_assert_eq(sheaf_frame_select(a, names, N_ALL, &sa), SHEAF_OK);
    cr_assert_eq(sheaf_frame_select(b, names, N_ALL, &sb), SHEAF_OK);
    gt_frames_identical(sa, sb);
    sheaf_frame_free(sa);
    sheaf_frame_free(sb);
}

Test(group_by_dense, matches_the_hashed_path_bit_for_bit_with_gaps_and_negative_keys)
{
    sheaf_frame *f = gapped(5000, 7);
    cr_assert(takes_dense_path(f, "k", SH_GROUP_DROP_MISSING));
    cr_assert(takes_dense_path(f, "t", SH_GROUP_DROP_MISSING));
    cr_assert_not(takes_dense_path(f, "kf", SH_GROUP_DROP_MISSING));
    sheaf_frame *dense = group(f, "k", 2), *ts = group(f, "t", 2), *hashed = group(f, "kf", 2);
    /* -59..61 without the 40 multiples of 3: 81 keys, ascending. */
    cr_assert_eq(sheaf_frame_num_rows(dense), 81);
    const int64_t *k = gt_i64(dense, "k");
    cr_assert_eq(k[0], -59);
    cr_assert_eq(k[80], 61);
    for (size_t i = 0; i < 81; i++) {
        cr_assert_neq(k[i] % 3, 0, "row %zu: %lld", i, (long long)k[i]);
        if (i) cr_assert_lt(k[i - 1], k[i]);
        cr_assert_eq((double)k[i], gt_f64(hashed, "kf")[i]);
    }
    same_aggregates(dense, hashed);
    same_aggregates(ts, hashed);
    size_t t = gt_col(ts, "t");
    cr_assert_eq(sheaf_frame_column_type(ts, t), SHEAF_TYPE_TIMESTAMP);
    cr_assert_eq(sheaf_frame_column_time_unit(ts, t), SHEAF_TIME_S);
    sheaf_frame_free(dense);
    sheaf_frame_free(ts);
    sheaf_frame_free(hashed);
    sheaf_frame_free(f);
}

/* Ten rows, keys lo and lo + span at the ends, the rest in between. */
static sheaf_frame *ranged(int64_t lo, int64_t span)
{
    const int64_t k[] = {lo + span, lo, lo + 1, lo + span, lo, lo + 2, lo + 2, lo, lo + 1, lo};
    const double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    sheaf_frame *f;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", k, NULL, 10), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, 10), SHEAF_OK);
    return f;
}

Test(group_by_dense, takes_the_hashed_path_just_above_the_range_bound)
{
    /* One chunk of 10 rows: the dense slots may number 2 * 10 = 20. */
    cr_assert(sh_group_dense_fits(20, 1, 10));
    cr_assert_not(sh_group_dense_fits(21, 1, 10));
    cr_assert_not(sh_group_dense_fits(11, 2, 10));
    cr_assert_not(sh_group_dense_fits(SH_GROUP_DENSE_MAX_RANGE + 1, 1, SIZE_MAX / 4));
    for (int64_t span = 19; span <= 20; span++) {
        sheaf_frame *f = ranged(-1000, span), *g = NULL;
        cr_assert_eq(takes_dense_path(f, "k", SH_GROUP_DROP_MISSING), span == 19, "span %lld",
                     (long long)span);
        const char *keys[] = {"k"};
        const sheaf_agg_spec specs[] = {{"x", SHEAF_AGG_SUM, NULL}, {"x", SHEAF_AGG_STD, NULL}};
        cr_assert_eq(sheaf_frame_group_by(NULL, f, keys, 1, specs, 2, &g), SHEAF_OK);
        cr_assert_eq(sheaf_frame_num_rows(g), 4);
        const int64_t want_k[] = {-1000, -999, -998, -1000 + span};
        const double want_sum[] = {25, 12, 13, 5};
        /* std of {2, 5, 8, 10}: mean 6.25, M2 18.0625 + 1.5625 + 3.0625 + 14.0625 = 36.75. */
        const double want_std[] = {sqrt(36.75 / 3), sqrt(18.0), sqrt(0.5), sqrt(4.5)};
        for (size_t i = 0; i < 4; i++) {
            cr_assert_eq(gt_i64(g, "k")[i], want_k[i], "row %zu", i);
            cr_assert_eq(gt_f64(g, "x_sum")[i], want_sum[i], "row %zu", i);
            gt_close(gt_f64(g, "x_std")[i], want_std[i], "x_std", i);
        }
        sheaf_frame_free(g);
        sheaf_frame_free(f);
    }
}

Test(group_by_dense, takes_the_hashed_path_for_the_full_int64_range)
{
    const int64_t k[] = {INT64_MAX, INT64_MIN, 0, INT64_MAX};
    const double x[] = {1, 2, 3, 4};
    sheaf_frame *f, *g = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", k, NULL, 4), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, 4), SHEAF_OK);
    cr_assert_not(takes_dense_path(f, "k", SH_GROUP_DROP_MISSING));
    const char *keys[] = {"k"};
    const sheaf_agg_spec specs[] = {{"x", SHEAF_AGG_SUM, NULL}};
    cr_assert_eq(sheaf_frame_group_by(NULL, f, keys, 1, specs, 1, &g), SHEAF_OK);
    cr_assert_eq(sheaf_frame_num_rows(g), 3);
    cr_assert_eq(gt_i64(g, "k")[0], INT64_MIN);
    cr_assert_eq(gt_i64(g, "k")[2], INT64_MAX);
    cr_assert_eq(gt_f64(g, "x_sum")[2], 5.0);
    sheaf_frame_free(g);
    sheaf_frame_free(f);
}

Test(group_by_dense, drops_missing_keys_and_drop_duplicates_keeps_one)
{
    const int64_t k[] = {4, 0, 2, 4, 0, 2, 7};
    const uint8_t kv[] = {1, 0, 1, 1, 0, 1, 1};
    const double x[] = {1, 100, 2, 3, 200, NAN, 5};
    sheaf_frame *f, *g = NULL, *d = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", k, kv, 7), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, 7), SHEAF_OK);
    f = gt_rows(f, 2); /* 2 chunks x 7 slots (2..7 and missing) <= 2 x 7 rows */
    cr_assert(takes_dense_path(f, "k", SH_GROUP_DROP_MISSING));
    cr_assert(takes_dense_path(f, "k", 0));
    const char *keys[] = {"k"};
    const sheaf_agg_spec specs[] = {{"x", SHEAF_AGG_COUNT, NULL}, {"x", SHEAF_AGG_MEAN, NULL}};
    cr_assert_eq(sheaf_frame_group_by(NULL, f, keys, 1, specs, 2, &g), SHEAF_OK);
    /* Keys 2, 4, 7 (5 and 6 are empty slots); the missing keys' 100 and 200 go. */
    cr_assert_eq(sheaf_frame_num_rows(g), 3);
    const int64_t want_k[] = {2, 4, 7}, want_n[] = {1, 2, 1};
    const double want_mean[] = {2, 2, 5};
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(gt_i64(g, "k")[i], want_k[i]);
        cr_assert_eq(gt_i64(g, "x_count")[i], want_n[i]);
        cr_assert_eq(gt_f64(g, "x_mean")[i], want_mean[i]);
    }
    cr_assert(gt_valid(g, "k", 0) && gt_valid(g, "k", 2));
    /* drop_duplicates: rows 0 (4), 1 (missing), 2 (2), 6 (7), in row order. */
    cr_assert_eq(sheaf_frame_drop_duplicates(NULL, f, keys, 1, &d), SHEAF_OK);
    cr_assert_eq(sheaf_frame_num_rows(d), 4);
    const double want_x[] = {1, 100, 2, 5};
    for (size_t i = 0; i < 4; i++)
        cr_assert_eq(gt_f64(d, "x")[i], want_x[i], "row %zu", i);
    cr_assert_not(gt_valid(d, "k", 1));
    cr_assert_eq(sheaf_frame_num_partitions(d), 2);
    sheaf_frame_free(d);
    sheaf_frame_free(g);
    sheaf_frame_free(f);
}

Test(drop_duplicates, keeps_the_rows_the_hashed_path_keeps_on_a_dense_key)
{
    sheaf_frame *f = gapped(3000, 5), *dense = NULL, *hashed = NULL;
    const char *k[] = {"k"}, *kf[] = {"kf"};
    cr_assert(takes_dense_path(f, "k", 0));
    cr_assert_eq(sheaf_frame_drop_duplicates(NULL, f, k, 1, &dense), SHEAF_OK);
    cr_assert_eq(sheaf_frame_drop_duplicates(NULL, f, kf, 1, &hashed), SHEAF_OK);
    cr_assert_eq(sheaf_frame_num_rows(dense), 81);
    gt_frames_identical(dense, hashed);
    size_t n = sheaf_frame_num_partitions(dense);
    cr_assert_eq(n, 5);
    for (size_t p = 0; p < n; p++) {
        size_t a0, a1, b0, b1;
        cr_assert_eq(sheaf_frame_partition_range(dense, p, &a0, &a1), SHEAF_OK);
        cr_assert_eq(sheaf_frame_partition_range(hashed, p, &b0, &b1), SHEAF_OK);
        cr_assert(a0 == b0 && a1 == b1, "partition %zu", p);
    }
    sheaf_frame_free(dense);
    sheaf_frame_free(hashed);
    sheaf_frame_free(f);
}

Test(group_by_dense, gives_the_same_bits_for_1_2_and_4_threads_over_many_chunks)
{
    /* 1.5M rows in one partition: two chunks; and in 3 partitions. */
    for (size_t parts = 1; parts <= 3; parts += 2) {
        sheaf_frame *f = gapped(1500000, parts);
        for (int h = 0; h < 2; h++) {
            const char *key = h ? "kf" : "k";
            sheaf_frame *one = group(f, key, 1);
            for (int threads = 2; threads <= 4; threads *= 2) {
                sheaf_frame *other = group(f, key, threads);
                gt_frames_identical(one, other);
                sheaf_frame_free(other);
            }
            if (h == 0) {
                sheaf_frame *hashed = group(f, "kf", 1);
                same_aggregates(one, hashed);
                sheaf_frame_free(hashed);
            }
            sheaf_frame_free(one);
        }
        sheaf_frame_free(f);
    }
}

Test(group_by_dense, fails_cleanly_at_every_allocation)
{
    sheaf_frame *f = gapped(200, 3), *out = NULL;
    sheaf_ctx *ctx = gt_ctx(1, 2);
    const char *keys[] = {"k"};
    cr_assert(takes_dense_path(f, "k", SH_GROUP_DROP_MISSING));
    for (int what = 0; what < 2; what++) {
        sheaf_debug_fail_allocation(0);
        sheaf_status st = what ? sheaf_frame_drop_duplicates(ctx, f, keys, 1, &out)
                               : sheaf_frame_group_by(ctx, f, keys, 1, all_specs, N_ALL, &out);
        cr_assert_eq(st, SHEAF_OK);
        uint64_t count = sheaf_debug_fail_allocation(0);
        sheaf_frame_free(out);
        cr_assert_gt(count, 0);
        for (uint64_t k = 1; k <= count; k++) {
            out = (sheaf_frame *)1;
            sheaf_debug_fail_allocation(k);
            st = what ? sheaf_frame_drop_duplicates(ctx, f, keys, 1, &out)
                      : sheaf_frame_group_by(ctx, f, keys, 1, all_specs, N_ALL, &out);
            sheaf_debug_fail_allocation(0);
            cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu: %s", (unsigned long long)k,
                         sheaf_status_name(st));
            cr_assert_null(out);
        }
    }
    sheaf_ctx_free(ctx);
    sheaf_frame_free(f);
}
