/* test_group_join_radix.c - the radix-partitioned joins on inputs big
 * enough to spread over many buckets and to take right columns through
 * radix-decluster: many-to-many matches and their order, one key repeated
 * on both sides (a skewed bucket), empty sides, strings from different
 * dictionaries, result partitions, and bit-identical results for 1, 2 and 4
 * threads. The expected rows come from a plain reference join written here
 * (sort right by key, binary-search each left row), which states pandas'
 * order directly: left rows in order, each one's partners in right order. */
#include "group_test.h"

#include <stdio.h>
#include <stdlib.h>

/* A deterministic generator (Knuth's MMIX LCG, top bits). */
static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

typedef struct side {
    size_t n;
    int64_t *k; /* -1: missing */
    uint8_t *valid;
} side;

static side make_side(size_t n, uint64_t seed, uint64_t n_keys, unsigned missing_per_mille)
{
    side s = {n, malloc((n ? n : 1) * sizeof(int64_t)), malloc(n ? n : 1)};
    for (size_t i = 0; i < n; i++) {
        bool missing = lcg(&seed) % 1000 < missing_per_mille;
        s.k[i] = missing ? -1 : (int64_t)(lcg(&seed) % n_keys);
        s.valid[i] = !missing;
    }
    return s;
}

static void free_side(side *s)
{
    free(s->k);
    free(s->valid);
}

static const side *sort_side;

static int by_key_then_row(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int64_t kx = sort_side->k[x], ky = sort_side->k[y];
    if (kx != ky) return kx < ky ? -1 : 1;
    return (x > y) - (x < y);
}

/* The reference join: pairs (lidx, ridx) in pandas' order; ridx -1 when a
 * left row has no partner (LEFT only). Returns the pair count. */
static size_t reference_join(const side *l, const side *r, sheaf_join_how how, int64_t **lidx,
                             int64_t **ridx)
{
    size_t *order = malloc((r->n ? r->n : 1) * sizeof *order);
    for (size_t j = 0; j < r->n; j++)
        order[j] = j;
    sort_side = r;
    qsort(order, r->n, sizeof *order, by_key_then_row);
    size_t cap = l->n + 16, n = 0;
    *lidx = malloc(cap * sizeof **lidx);
    *ridx = malloc(cap * sizeof **ridx);
    for (size_t i = 0; i < l->n; i++) {
        size_t lo = 0, hi = r->n; /* first right row with key >= l's */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (r->k[order[mid]] < l->k[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t first = lo;
        for (; lo < r->n && r->k[order[lo]] == l->k[i]; lo++) {
            if (n == cap) {
                cap *= 2;
                *lidx = realloc(*lidx, cap * sizeof **lidx);
                *ridx = realloc(*ridx, cap * sizeof **ridx);
            }
            (*lidx)[n] = (int64_t)i;
            (*ridx)[n++] = (int64_t)order[lo];
        }
        if (lo == first && how == SHEAF_JOIN_LEFT) {
            if (n == cap) {
                cap *= 2;
                *lidx = realloc(*lidx, cap * sizeof **lidx);
                *ridx = realloc(*ridx, cap * sizeof **ridx);
            }
            (*lidx)[n] = (int64_t)i;
            (*ridx)[n++] = -1;
        }
    }
    free(order);
    return n;
}

static const char *const NAMES[] = {"red", "green", "blue", "cyan", "magenta"};

/* left: k, lrow; right: k, rrow, rv (float64, NaN every 7th), rs (string,
 * missing every 11th), ri (int64, missing every 13th). */
/* The key column k: s's integers, or the strings "key<k>" when strings. */
static void add_key(sheaf_frame *f, const side *s, bool strings)
{
    if (!strings) {
        cr_assert_eq(sheaf_frame_add_int64(f, "k", s->k, s->valid, s->n), SHEAF_OK);
        return;
    }
    size_t m = s->n ? s->n : 1;
    const char **v = malloc(m * sizeof *v);
    char(*buf)[24] = malloc(m * sizeof *buf);
    for (size_t i = 0; i < s->n; i++) {
        snprintf(buf[i], sizeof buf[i], "key%lld", (long long)s->k[i]);
        v[i] = s->valid[i] ? buf[i] : NULL;
    }
    cr_assert_eq(sheaf_frame_add_string(f, "k", v, s->n), SHEAF_OK);
    free(v);
    free(buf);
}

static sheaf_frame *left_frame_of(const side *s, size_t partitions, bool strings)
{
    sheaf_frame *f;
    int64_t *row = malloc((s->n ? s->n : 1) * sizeof *row);
    for (size_t i = 0; i < s->n; i++)
        row[i] = (int64_t)i;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    add_key(f, s, strings);
    cr_assert_eq(sheaf_frame_add_int64(f, "lrow", row, NULL, s->n), SHEAF_OK);
    free(row);
    return gt_rows(f, partitions);
}

static double rv_of(size_t j) { return j % 7 == 3 ? NAN : 0.5 * (double)j; }
static const char *rs_of(size_t j) { return j % 11 == 5 ? NULL : NAMES[j % 5]; }

static sheaf_frame *left_frame(const side *s, size_t partitions)
{
    return left_frame_of(s, partitions, false);
}

static sheaf_frame *right_frame_of(const side *s, size_t partitions, bool strings)
{
    sheaf_frame *f;
    size_t n = s->n, m = n ? n : 1;
    int64_t *row = malloc(m * sizeof *row), *ri = malloc(m * sizeof *ri);
    double *rv = malloc(m * sizeof *rv);
    const char **rs = malloc(m * sizeof *rs);
    uint8_t *ri_valid = malloc(m);
    for (size_t j = 0; j < n; j++) {
        row[j] = (int64_t)j;
        rv[j] = rv_of(j);
        rs[j] = rs_of(j);
        ri[j] = 3 * (int64_t)j;
        ri_valid[j] = j % 13 != 1;
    }
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    add_key(f, s, strings);
    cr_assert_eq(sheaf_frame_add_int64(f, "rrow", row, NULL, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "rv", rv, NULL, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "rs", rs, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "ri", ri, ri_valid, n), SHEAF_OK);
    free(row);
    free(ri);
    free(rv);
    free(rs);
    free(ri_valid);
    return gt_rows(f, partitions);
}

static sheaf_frame *right_frame(const side *s, size_t partitions)
{
    return right_frame_of(s, partitions, false);
}

static sheaf_frame *run_join(const sheaf_frame *l, const sheaf_frame *r, sheaf_join_how how,
                             int threads)
{
    sheaf_ctx *ctx = gt_ctx(threads, 4);
    sheaf_frame *out = NULL;
    const char *on[] = {"k"};
    sheaf_status st = sheaf_frame_join(ctx, l, r, on, 1, how, &out);
    cr_assert_eq(st, SHEAF_OK, "%s", sheaf_last_error());
    sheaf_ctx_free(ctx);
    return out;
}

static const uint8_t *validity(const sheaf_frame *f, const char *name)
{
    return sheaf_frame_column_validity(f, gt_col(f, name));
}

/* cr_assert, but only called on failure: Criterion counts every passing
 * assertion, which would dominate these million-row loops. */
#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        if (!(cond)) cr_assert_fail(__VA_ARGS__);                                                  \
    } while (0)

/* Checks out against the reference pairs, every right column included, and
 * that result partition p holds left partition p's rows. */
static void check_join(const sheaf_frame *out, const sheaf_frame *l, const side *ls, const side *rs,
                       sheaf_join_how how)
{
    int64_t *lidx, *ridx;
    size_t n = reference_join(ls, rs, how, &lidx, &ridx);
    cr_assert_eq(sheaf_frame_num_rows(out), n);
    const int64_t *lrow = gt_i64(out, "lrow"), *rrow = gt_i64(out, "rrow"), *ri = gt_i64(out, "ri");
    const double *rv = gt_f64(out, "rv");
    const uint8_t *rrow_valid = validity(out, "rrow"), *ri_valid = validity(out, "ri");
    const int32_t *codes;
    size_t n_codes, rs_col = gt_col(out, "rs");
    cr_assert_eq(sheaf_frame_column_codes(out, rs_col, &codes, &n_codes), SHEAF_OK);
    for (size_t i = 0; i < n; i++) {
        CHECK((lrow[i]) == (lidx[i]), "row %zu: left row %lld, want %lld", i, (long long)lrow[i],
              (long long)lidx[i]);
        bool matched = ridx[i] >= 0;
        CHECK((!rrow_valid || rrow_valid[i]) == (matched), "row %zu", i);
        if (!matched) {
            CHECK(isnan(rv[i]), "row %zu", i);
            CHECK((codes[i]) == (-1), "row %zu", i);
            CHECK(ri_valid && !ri_valid[i], "row %zu", i);
            continue;
        }
        size_t j = (size_t)ridx[i];
        CHECK((rrow[i]) == (ridx[i]), "row %zu: right row %lld, want %lld", i, (long long)rrow[i],
              (long long)ridx[i]);
        double want = rv_of(j);
        CHECK(isnan(want) ? isnan(rv[i]) : rv[i] == want, "row %zu", i);
        const char *s = codes[i] < 0 ? NULL : sheaf_frame_dict_value(out, rs_col, codes[i]);
        gt_str_eq(s, rs_of(j), i);
        CHECK((!ri_valid || ri_valid[i]) == (j % 13 != 1), "row %zu", i);
        if (j % 13 != 1) CHECK((ri[i]) == (3 * (int64_t)j), "row %zu", i);
    }
    size_t parts = sheaf_frame_num_partitions(l);
    cr_assert_eq(sheaf_frame_num_partitions(out), parts);
    for (size_t p = 0; p < parts; p++) {
        size_t lb, le, ob, oe;
        cr_assert_eq(sheaf_frame_partition_range(l, p, &lb, &le), SHEAF_OK);
        cr_assert_eq(sheaf_frame_partition_range(out, p, &ob, &oe), SHEAF_OK);
        for (size_t i = ob; i < oe; i++)
            CHECK((size_t)lrow[i] >= lb && (size_t)lrow[i] < le, "partition %zu row %zu", p, i);
    }
    free(lidx);
    free(ridx);
}

/* Bitwise equality of two results of the columns above. */
static void check_identical(const sheaf_frame *a, const sheaf_frame *b)
{
    size_t n = sheaf_frame_num_rows(a);
    cr_assert_eq(sheaf_frame_num_rows(b), n);
    cr_assert_eq(sheaf_frame_num_columns(a), sheaf_frame_num_columns(b));
    for (size_t c = 0; c < sheaf_frame_num_columns(a); c++) {
        const uint8_t *va = sheaf_frame_column_validity(a, c),
                      *vb = sheaf_frame_column_validity(b, c);
        cr_assert_eq(!va, !vb);
        if (va) CHECK(memcmp(va, vb, n) == 0, "validity of column %zu", c);
        sheaf_type t = sheaf_frame_column_type(a, c);
        if (t == SHEAF_TYPE_FLOAT64) {
            const double *x, *y;
            sheaf_frame_column_float64(a, c, &x);
            sheaf_frame_column_float64(b, c, &y);
            CHECK(n == 0 || memcmp(x, y, n * sizeof *x) == 0, "column %zu", c);
        } else if (t == SHEAF_TYPE_STRING) {
            const int32_t *x, *y;
            size_t nx, ny;
            sheaf_frame_column_codes(a, c, &x, &nx);
            sheaf_frame_column_codes(b, c, &y, &ny);
            CHECK(n == 0 || memcmp(x, y, n * sizeof *x) == 0, "column %zu", c);
        } else {
            const int64_t *x, *y;
            sheaf_frame_column_int64(a, c, &x);
            sheaf_frame_column_int64(b, c, &y);
            CHECK(n == 0 || memcmp(x, y, n * sizeof *x) == 0, "column %zu", c);
        }
    }
    for (size_t p = 0; p < sheaf_frame_num_partitions(a); p++) {
        size_t ab, ae, bb, be;
        sheaf_frame_partition_range(a, p, &ab, &ae);
        sheaf_frame_partition_range(b, p, &bb, &be);
        CHECK(ab == bb && ae == be, "partition %zu", p);
    }
}

Test(join_radix, many_to_many_matches_keep_left_order_then_right_order)
{
    /* Hand-worked: left k = 1 2 1 3 2 (missing) ; right k = 2 1 2 1 1 4 (missing). */
    const int64_t lk[] = {1, 2, 1, 3, 2, 0}, rk[] = {2, 1, 2, 1, 1, 4, 0};
    const uint8_t lv[] = {1, 1, 1, 1, 1, 0}, rvalid[] = {1, 1, 1, 1, 1, 1, 0};
    side ls = {6, (int64_t *)lk, (uint8_t *)lv}, rs = {7, (int64_t *)rk, (uint8_t *)rvalid};
    sheaf_frame *l = left_frame(&ls, 3), *r = right_frame(&rs, 2);
    sheaf_frame *j = run_join(l, r, SHEAF_JOIN_INNER, 2);
    const int64_t want_l[] = {0, 0, 0, 1, 1, 2, 2, 2, 4, 4, 5};
    const int64_t want_r[] = {1, 3, 4, 0, 2, 1, 3, 4, 0, 2, 6};
    cr_assert_eq(sheaf_frame_num_rows(j), 11);
    for (size_t i = 0; i < 11; i++) {
        cr_assert_eq(gt_i64(j, "lrow")[i], want_l[i], "row %zu", i);
        cr_assert_eq(gt_i64(j, "rrow")[i], want_r[i], "row %zu", i);
    }
    sheaf_frame *lj = run_join(l, r, SHEAF_JOIN_LEFT, 2);
    cr_assert_eq(sheaf_frame_num_rows(lj), 12, "left row 3 (k=3) once, unmatched");
    cr_assert_eq(gt_i64(lj, "lrow")[8], 3);
    cr_assert(!gt_valid(lj, "rrow", 8));
    sheaf_frame_free(j);
    sheaf_frame_free(lj);
    sheaf_frame_free(l);
    sheaf_frame_free(r);
}

Test(join_radix, many_to_many_over_many_buckets_matches_the_reference)
{
    side ls = make_side(150000, 11, 60000, 5), rs = make_side(120000, 12, 60000, 5);
    sheaf_frame *l = left_frame(&ls, 7), *r = right_frame(&rs, 3);
    for (int how = SHEAF_JOIN_INNER; how <= SHEAF_JOIN_LEFT; how++) {
        sheaf_frame *j = run_join(l, r, (sheaf_join_how)how, 2);
        check_join(j, l, &ls, &rs, (sheaf_join_how)how);
        sheaf_frame_free(j);
    }
    sheaf_frame_free(l);
    sheaf_frame_free(r);
    free_side(&ls);
    free_side(&rs);
}

Test(join_radix, a_key_repeated_on_both_sides_joins_every_pair_in_order)
{
    /* One key holds 30% of each side: one bucket carries the skew. */
    side ls = make_side(90000, 21, 40000, 0), rs = make_side(300, 22, 40000, 0);
    for (size_t i = 0; i < ls.n; i += 3)
        ls.k[i] = 7;
    for (size_t j = 0; j < rs.n; j += 3)
        rs.k[j] = 7;
    sheaf_frame *l = left_frame(&ls, 5), *r = right_frame(&rs, 2);
    for (int how = SHEAF_JOIN_INNER; how <= SHEAF_JOIN_LEFT; how++) {
        sheaf_frame *j = run_join(l, r, (sheaf_join_how)how, 2);
        cr_assert_geq(sheaf_frame_num_rows(j), 30000 * 100);
        check_join(j, l, &ls, &rs, (sheaf_join_how)how);
        sheaf_frame_free(j);
    }
    sheaf_frame_free(l);
    sheaf_frame_free(r);
    free_side(&ls);
    free_side(&rs);
}

Test(join_radix, empty_sides_give_empty_or_unmatched_results)
{
    side none = make_side(0, 1, 10, 0), some = make_side(50, 2, 10, 100);
    sheaf_frame *l0 = left_frame(&none, 3), *r0 = right_frame(&none, 2);
    sheaf_frame *l = left_frame(&some, 4), *r = right_frame(&some, 1);
    for (int how = SHEAF_JOIN_INNER; how <= SHEAF_JOIN_LEFT; how++) {
        sheaf_frame *a = run_join(l0, r, (sheaf_join_how)how, 2);
        sheaf_frame *b = run_join(l, r0, (sheaf_join_how)how, 2);
        sheaf_frame *c = run_join(l0, r0, (sheaf_join_how)how, 2);
        cr_assert_eq(sheaf_frame_num_rows(a), 0);
        cr_assert_eq(sheaf_frame_num_columns(a), 6);
        cr_assert_eq(sheaf_frame_num_partitions(a), 3);
        cr_assert_eq(sheaf_frame_num_rows(c), 0);
        check_join(b, l, &some, &none, (sheaf_join_how)how);
        cr_assert_eq(sheaf_frame_num_rows(b), how == SHEAF_JOIN_LEFT ? 50 : 0);
        sheaf_frame_free(a);
        sheaf_frame_free(b);
        sheaf_frame_free(c);
    }
    sheaf_frame_free(l0);
    sheaf_frame_free(r0);
    sheaf_frame_free(l);
    sheaf_frame_free(r);
    free_side(&none);
    free_side(&some);
}

Test(join_radix, big_left_join_takes_right_columns_through_the_radix_plan)
{
    /* Over a million rows each side: right columns go through
     * radix-decluster; some left rows are unmatched, some match twice. */
    side ls = make_side(1030000, 31, 1300000, 2), rs = make_side(1010000, 32, 1300000, 2);
    sheaf_frame *l = left_frame(&ls, 3), *r = right_frame(&rs, 2);
    for (int how = SHEAF_JOIN_INNER; how <= SHEAF_JOIN_LEFT; how++) {
        sheaf_frame *j = run_join(l, r, (sheaf_join_how)how, 2);
        check_join(j, l, &ls, &rs, (sheaf_join_how)how);
        sheaf_frame_free(j);
    }
    /* Unique right keys: the left join keeps left's rows and shares its
     * columns. */
    for (size_t j = 0; j < rs.n; j++) {
        rs.k[j] = (int64_t)(rs.n - j);
        rs.valid[j] = 1;
    }
    sheaf_frame *ru = right_frame(&rs, 2), *j = run_join(l, ru, SHEAF_JOIN_LEFT, 2);
    check_join(j, l, &ls, &rs, SHEAF_JOIN_LEFT);
    const int64_t *a, *b;
    sheaf_frame_column_int64(j, gt_col(j, "lrow"), &a);
    sheaf_frame_column_int64(l, gt_col(l, "lrow"), &b);
    cr_assert_eq(a, b, "left's columns are shared, not copied");
    sheaf_frame_free(j);
    sheaf_frame_free(ru);
    sheaf_frame_free(l);
    sheaf_frame_free(r);
    free_side(&ls);
    free_side(&rs);
}

Test(join_radix, string_keys_match_across_dictionaries_over_many_buckets)
{
    /* Left's dictionary lists the values in another order than right's,
     * and holds values right lacks; missing matches missing. */
    side ls = make_side(90000, 41, 30000, 3), rs = make_side(70000, 42, 25000, 3);
    sheaf_frame *l = left_frame_of(&ls, 4, true), *r = right_frame_of(&rs, 3, true);
    for (int how = SHEAF_JOIN_INNER; how <= SHEAF_JOIN_LEFT; how++) {
        sheaf_frame *j = run_join(l, r, (sheaf_join_how)how, 2);
        check_join(j, l, &ls, &rs, (sheaf_join_how)how);
        sheaf_frame_free(j);
    }
    sheaf_frame_free(l);
    sheaf_frame_free(r);
    free_side(&ls);
    free_side(&rs);
}

Test(join_radix, results_are_bit_identical_for_1_2_and_4_threads)
{
    side ls = make_side(1020000, 51, 1000000, 3), rs = make_side(1010000, 52, 1000000, 3);
    sheaf_frame *l = left_frame(&ls, 6), *r = right_frame(&rs, 3);
    for (int how = SHEAF_JOIN_INNER; how <= SHEAF_JOIN_LEFT; how++) {
        sheaf_frame *one = run_join(l, r, (sheaf_join_how)how, 1);
        for (int threads = 2; threads <= 4; threads *= 2) {
            sheaf_frame *other = run_join(l, r, (sheaf_join_how)how, threads);
            check_identical(one, other);
            sheaf_frame_free(other);
        }
        sheaf_frame_free(one);
    }
    sheaf_frame_free(l);
    sheaf_frame_free(r);
    free_side(&ls);
    free_side(&rs);
}

/* ---- as-of ---------------------------------------------------------------------- */

/* Frames for the as-of join: k (by, int64, missing as in s), t (on, int64,
 * missing every 97th row), row id; right also rv. */
static sheaf_frame *asof_frame(const side *s, uint64_t seed, bool right, size_t partitions)
{
    size_t n = s->n, m = n ? n : 1;
    int64_t *t = malloc(m * sizeof *t), *row = malloc(m * sizeof *row);
    uint8_t *tv = malloc(m);
    double *rv = malloc(m * sizeof *rv);
    for (size_t i = 0; i < n; i++) {
        t[i] = (int64_t)(lcg(&seed) % 1000) - 300;
        tv[i] = i % 97 != 5;
        row[i] = (int64_t)i;
        rv[i] = rv_of(i);
    }
    sheaf_frame *f;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", s->k, s->valid, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "t", t, tv, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, right ? "rrow" : "lrow", row, NULL, n), SHEAF_OK);
    if (right) cr_assert_eq(sheaf_frame_add_float64(f, "rv", rv, NULL, n), SHEAF_OK);
    free(t);
    free(tv);
    free(row);
    free(rv);
    return gt_rows(f, partitions);
}

static sheaf_frame *run_asof(const sheaf_frame *l, const sheaf_frame *r, size_t n_by, int threads)
{
    sheaf_ctx *ctx = gt_ctx(threads, 4);
    sheaf_frame *out = NULL;
    const char *by[] = {"k"};
    sheaf_status st = sheaf_frame_join_asof(ctx, l, r, "t", by, n_by, &out);
    cr_assert_eq(st, SHEAF_OK, "%s", sheaf_last_error());
    sheaf_ctx_free(ctx);
    return out;
}

/* Checks every left row's partner against a scan of right's rows: the
 * greatest t <= left's among equal keys, the last such row on ties. */
static void check_asof(const sheaf_frame *out, const sheaf_frame *l, const sheaf_frame *r, bool by)
{
    size_t nl = sheaf_frame_num_rows(l), nr = sheaf_frame_num_rows(r);
    cr_assert_eq(sheaf_frame_num_rows(out), nl);
    const int64_t *lk = gt_i64(l, "k"), *lt = gt_i64(l, "t"), *rk = gt_i64(r, "k"),
                  *rt = gt_i64(r, "t"), *got = gt_i64(out, "rrow");
    const uint8_t *lkv = validity(l, "k"), *ltv = validity(l, "t"), *rkv = validity(r, "k"),
                  *rtv = validity(r, "t"), *gotv = validity(out, "rrow");
    /* Right rows bucketed by key (keys are small: < 5000, missing as 5000). */
    size_t n_keys = 5001, *start = calloc(n_keys + 1, sizeof *start), *rows = malloc(nr * 8 + 8);
    for (size_t j = 0; j < nr; j++)
        start[(by ? (rkv && !rkv[j] ? 5000 : (size_t)rk[j]) : 0) + 1]++;
    for (size_t k = 0; k < n_keys; k++)
        start[k + 1] += start[k];
    size_t *at = malloc(n_keys * sizeof *at);
    memcpy(at, start, n_keys * sizeof *at);
    for (size_t j = 0; j < nr; j++)
        rows[at[by ? (rkv && !rkv[j] ? 5000 : (size_t)rk[j]) : 0]++] = j;
    for (size_t i = 0; i < nl; i++) {
        size_t key = by ? (lkv && !lkv[i] ? 5000 : (size_t)lk[i]) : 0, best = SIZE_MAX;
        if (!ltv || ltv[i])
            for (size_t s = start[key]; s < start[key + 1]; s++) {
                size_t j = rows[s];
                if ((rtv && !rtv[j]) || rt[j] > lt[i]) continue;
                if (best == SIZE_MAX || rt[j] >= rt[best]) best = j;
            }
        bool valid = !gotv || gotv[i];
        CHECK(valid == (best != SIZE_MAX), "row %zu: matched %d, want %d", i, valid,
              best != SIZE_MAX);
        if (valid)
            CHECK((size_t)got[i] == best, "row %zu: right row %lld, want %zu", i, (long long)got[i],
                  best);
    }
    free(start);
    free(rows);
    free(at);
}

Test(join_radix, asof_over_many_buckets_matches_a_scan_of_the_right_rows)
{
    side ls = make_side(120000, 61, 4000, 4), rs = make_side(100000, 62, 4000, 4);
    sheaf_frame *l = asof_frame(&ls, 63, false, 5), *r = asof_frame(&rs, 64, true, 3);
    sheaf_frame *j = run_asof(l, r, 1, 2);
    check_asof(j, l, r, true);
    sheaf_frame_free(j);
    free_side(&ls);
    free_side(&rs);
    sheaf_frame_free(l);
    sheaf_frame_free(r);
}

Test(join_radix, asof_without_by_keys_matches_a_scan_of_the_right_rows)
{
    side ls = make_side(3000, 71, 10, 0), rs = make_side(2500, 72, 10, 0);
    sheaf_frame *l = asof_frame(&ls, 73, false, 3), *r = asof_frame(&rs, 74, true, 2);
    sheaf_frame *j = run_asof(l, r, 0, 2);
    check_asof(j, l, r, false);
    sheaf_frame_free(j);
    free_side(&ls);
    free_side(&rs);
    sheaf_frame_free(l);
    sheaf_frame_free(r);
}

Test(join_radix, asof_results_are_bit_identical_for_1_2_and_4_threads)
{
    side ls = make_side(1050000, 81, 4000, 2), rs = make_side(1020000, 82, 4000, 2);
    sheaf_frame *l = asof_frame(&ls, 83, false, 5), *r = asof_frame(&rs, 84, true, 3);
    sheaf_frame *one = run_asof(l, r, 1, 1);
    for (int threads = 2; threads <= 4; threads *= 2) {
        sheaf_frame *other = run_asof(l, r, 1, threads);
        check_identical(one, other);
        sheaf_frame_free(other);
    }
    sheaf_frame_free(one);
    free_side(&ls);
    free_side(&rs);
    sheaf_frame_free(l);
    sheaf_frame_free(r);
}
