/* window_fixture.h - the data set of window_reference.h as a frame, and the
 * checks the window tests share. Included by tests/data/test_window_*.c. */
#ifndef WINDOW_FIXTURE_H
#define WINDOW_FIXTURE_H

#include "window_reference.h"

#include <criterion/criterion.h>
#include <math.h>
#include <sheaf.h>
#include <stdio.h>
#include <string.h>

static const char *const wkey[] = {"k"};

/* Columns k, t (int64 seconds), x (float64 with NaN), i (int64), s (string
 * "s<i>", missing where x is), ts (timestamp, seconds), cut into
 * `partitions` row ranges. */
static inline sheaf_frame *wframe(size_t partitions)
{
    sheaf_frame *f = NULL, *p = NULL;
    const char *s[WREF_N];
    static const char *const names[] = {"s0", "s1", "s2", "s3"};
    for (size_t r = 0; r < WREF_N; r++)
        s[r] = isnan(wref_x[r]) ? NULL : names[wref_i[r]];
    cr_assert_eq(sheaf_frame_create(&f), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "k", wref_k, NULL, WREF_N), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "t", wref_t, NULL, WREF_N), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_float64(f, "x", wref_x, NULL, WREF_N), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_int64(f, "i", wref_i, NULL, WREF_N), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_string(f, "s", s, WREF_N), SHEAF_OK);
    cr_assert_eq(sheaf_frame_add_timestamp(f, "ts", wref_t, NULL, WREF_N, SHEAF_TIME_S), SHEAF_OK);
    cr_assert_eq(sheaf_frame_partition_rows(NULL, f, partitions, &p), SHEAF_OK);
    sheaf_frame_free(f);
    return p;
}

static inline sheaf_ctx *wctx(int threads)
{
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, threads), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_partitions(ctx, 3), SHEAF_OK);
    return ctx;
}

static inline size_t wcol(const sheaf_frame *f, const char *name)
{
    size_t i;
    cr_assert_eq(sheaf_frame_column_index(f, name, &i), SHEAF_OK, "%s", sheaf_last_error());
    return i;
}

static inline const double *wf64(const sheaf_frame *f, const char *name)
{
    const double *v;
    cr_assert_eq(sheaf_frame_column_float64(f, wcol(f, name), &v), SHEAF_OK, "%s",
                 sheaf_last_error());
    return v;
}

static inline const int64_t *wi64(const sheaf_frame *f, const char *name)
{
    const int64_t *v;
    cr_assert_eq(sheaf_frame_column_int64(f, wcol(f, name), &v), SHEAF_OK, "%s",
                 sheaf_last_error());
    return v;
}

/* Column name of f equals want: NaN exactly where want has NaN (and the
 * missing flag with it), values within 1e-12 relative. */
static inline void expect_values(const sheaf_frame *f, const char *name, const double *want)
{
    const double *got = wf64(f, name);
    const uint8_t *valid = sheaf_frame_column_validity(f, wcol(f, name));
    cr_assert_eq(sheaf_frame_num_rows(f), WREF_N);
    for (size_t r = 0; r < WREF_N; r++) {
        if (isnan(want[r])) {
            cr_assert(isnan(got[r]), "%s row %zu: got %.17g, want NaN", name, r, got[r]);
            cr_assert(valid && !valid[r], "%s row %zu: NaN not flagged missing", name, r);
            continue;
        }
        cr_assert(!valid || valid[r], "%s row %zu flagged missing", name, r);
        cr_assert(fabs(got[r] - want[r]) <= 1e-12 * fabs(want[r]),
                  "%s row %zu: got %.17g want %.17g", name, r, got[r], want[r]);
    }
}

/* Rows of f are the input rows perm[0..WREF_N) (checked through t). */
static inline void expect_rows(const sheaf_frame *f, const size_t *perm)
{
    const int64_t *t = wi64(f, "t");
    for (size_t r = 0; r < WREF_N; r++)
        cr_assert_eq(t[r], wref_t[perm[r]], "row %zu is not input row %zu", r, perm[r]);
}

static inline void expect_error(sheaf_status st, sheaf_frame **out, sheaf_status want,
                                const char *fragment)
{
    cr_assert_eq(st, want, "got %s: %s", sheaf_status_name(st), sheaf_last_error());
    cr_assert(*out == NULL, "the out-handle must be NULL after a failure");
    cr_assert(strstr(sheaf_last_error(), fragment), "message '%s' lacks '%s'", sheaf_last_error(),
              fragment);
}

#endif
