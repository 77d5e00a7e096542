/* clean_test_util.h - small frame builders and accessors shared by
 * test_clean.c, test_expr.c and test_cast.c. */
#ifndef CLEAN_TEST_UTIL_H
#define CLEAN_TEST_UTIL_H

#include <sheaf.h>

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static inline void assert_error(sheaf_status got, sheaf_status want, const char *fragment)
{
    cr_assert_eq(got, want, "status %s, want %s: %s", sheaf_status_name(got),
                 sheaf_status_name(want), sheaf_last_error());
    cr_assert(strstr(sheaf_last_error(), fragment), "message '%s' lacks '%s'", sheaf_last_error(),
              fragment);
}

static inline sheaf_ctx *ctx_threads(int threads)
{
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, threads), SHEAF_OK);
    return ctx;
}

/* in cut into n row-range partitions; frees in. */
static inline sheaf_frame *cut(sheaf_frame *in, size_t n)
{
    sheaf_frame *out = NULL;
    cr_assert_eq(sheaf_frame_partition_rows(NULL, in, n, &out), SHEAF_OK, "%s", sheaf_last_error());
    sheaf_frame_free(in);
    return out;
}

static inline size_t col_of(const sheaf_frame *f, const char *name)
{
    size_t c = 0;
    cr_assert_eq(sheaf_frame_column_index(f, name, &c), SHEAF_OK, "%s", sheaf_last_error());
    return c;
}

static inline const double *f64_of(const sheaf_frame *f, const char *name)
{
    const double *v = NULL;
    cr_assert_eq(sheaf_frame_column_float64(f, col_of(f, name), &v), SHEAF_OK, "%s",
                 sheaf_last_error());
    return v;
}

static inline const int64_t *i64_of(const sheaf_frame *f, const char *name)
{
    const int64_t *v = NULL;
    cr_assert_eq(sheaf_frame_column_int64(f, col_of(f, name), &v), SHEAF_OK, "%s",
                 sheaf_last_error());
    return v;
}

/* Whether row r of column name is present. */
static inline bool present(const sheaf_frame *f, const char *name, size_t r)
{
    const uint8_t *v = sheaf_frame_column_validity(f, col_of(f, name));
    return !v || v[r];
}

static inline const char *str_of(const sheaf_frame *f, const char *name, size_t r)
{
    const int32_t *codes;
    size_t n;
    size_t c = col_of(f, name);
    cr_assert_eq(sheaf_frame_column_codes(f, c, &codes, &n), SHEAF_OK, "%s", sheaf_last_error());
    return codes[r] < 0 ? NULL : sheaf_frame_dict_value(f, c, codes[r]);
}

/* Doubles equal, NaN equal to NaN. */
static inline void assert_doubles(const double *got, const double *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (isnan(want[i]))
            cr_assert(isnan(got[i]), "row %zu: %.17g, want NaN", i, got[i]);
        else
            cr_assert(got[i] == want[i], "row %zu: %.17g, want %.17g", i, got[i], want[i]);
    }
}

/* int64 column values with missing rows (present[i] == 0) checked as missing. */
static inline void assert_ints(const sheaf_frame *f, const char *name, const int64_t *want,
                               const int *want_present, size_t n)
{
    const int64_t *v = i64_of(f, name);
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(present(f, name, i), want_present[i] != 0, "row %zu of '%s' presence", i,
                     name);
        if (want_present[i])
            cr_assert_eq(v[i], want[i], "row %zu of '%s': %lld, want %lld", i, name,
                         (long long)v[i], (long long)want[i]);
    }
}

/* A one-thread context for allocation-failure loops: the failure hook
 * counts the calling thread's allocations only, and with one thread every
 * partition runs there. Lives for the process (reachable, not a leak). */
static inline const sheaf_ctx *one_thread(void)
{
    static sheaf_ctx *ctx;
    if (!ctx) ctx = ctx_threads(1);
    return ctx;
}

/* Runs call(in, &out) with each allocation failing in turn: NOMEM naming
 * fn, out NULL, nothing leaked (asan checks that). */
typedef sheaf_status (*frame_call)(const sheaf_frame *in, sheaf_frame **out);

static inline void fail_each_allocation(frame_call call, const sheaf_frame *in, const char *fn)
{
    sheaf_frame *out = NULL;
    (void)one_thread(); /* made before counting starts */
    sheaf_debug_fail_allocation(0);
    cr_assert_eq(call(in, &out), SHEAF_OK, "%s", sheaf_last_error());
    uint64_t count = sheaf_debug_fail_allocation(0);
    sheaf_frame_free(out);
    cr_assert_gt(count, 2, "%s: only %llu allocations", fn, (unsigned long long)count);
    for (uint64_t k = 1; k <= count; k++) {
        out = (sheaf_frame *)1;
        sheaf_debug_fail_allocation(k);
        sheaf_status st = call(in, &out);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "%s: allocation %llu of %llu gave %s", fn,
                     (unsigned long long)k, (unsigned long long)count, sheaf_status_name(st));
        cr_assert(strstr(sheaf_last_error(), fn), "'%s' lacks %s", sheaf_last_error(), fn);
        cr_assert(strstr(sheaf_last_error(), "out of memory"), "'%s'", sheaf_last_error());
        cr_assert_null(out);
    }
}

/* A random frame of n rows (fixed seed): float64 "x" (10% NaN), int64 "k"
 * (10% missing), string "s" (10% missing), timestamp "t" (ns, 10% missing),
 * cut into `parts` partitions. */
static inline sheaf_frame *random_frame(size_t n, size_t parts)
{
    double *x = malloc(n * sizeof *x);
    int64_t *k = malloc(n * sizeof *k), *t = malloc(n * sizeof *t);
    uint8_t *kv = malloc(n), *tv = malloc(n);
    const char **s = malloc(n * sizeof *s);
    static const char *const words[] = {"alpha", "beta", "gamma", "delta"};
    sheaf_rng r;
    sheaf_rng_init(&r, 42, 0, 0, 0);
    for (size_t i = 0; i < n; i++) {
        x[i] = sheaf_rng_uniform(&r) < 0.1 ? NAN : sheaf_rng_normal(&r, 0, 10);
        kv[i] = sheaf_rng_uniform(&r) >= 0.1;
        k[i] = kv[i] ? (int64_t)sheaf_rng_integer(&r, 200) - 100 : 0;
        s[i] = sheaf_rng_uniform(&r) < 0.1 ? NULL : words[sheaf_rng_integer(&r, 4)];
        tv[i] = sheaf_rng_uniform(&r) >= 0.1;
        t[i] =
            tv[i] ? (int64_t)sheaf_rng_integer(&r, 4000000000ull) * 1000000000 - 2000000000000000000
                  : 0;
    }
    sheaf_frame *f = NULL;
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "x", x, NULL, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", k, kv, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "s", s, n), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_timestamp(f, "t", t, tv, n, SHEAF_TIME_NS), SHEAF_OK);
    free(x);
    free(k);
    free(t);
    free(kv);
    free(tv);
    free(s);
    return cut(f, parts);
}

#endif
