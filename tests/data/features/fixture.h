/* fixture.h - the frame the feature-assembler tests share: the columns of
 * refs.h (x float64 with NaN, k int64 with missing values, cat string with
 * missing values, y float64) cut into a chosen number of row partitions. */
#ifndef SHEAF_TESTS_FEATURES_FIXTURE_H
#define SHEAF_TESTS_FEATURES_FIXTURE_H

#include "refs.h"

#include <criterion/criterion.h>
#include <math.h>
#include <sheaf.h>
#include <string.h>

#define ASSERT_OK(call)                                                                            \
    do {                                                                                           \
        sheaf_status st_ = (call);                                                                 \
        cr_assert_eq(st_, SHEAF_OK, "%s: %s", sheaf_status_name(st_), sheaf_last_error());         \
    } while (0)

#define ASSERT_FAILS(call, status, fragment)                                                       \
    do {                                                                                           \
        sheaf_status st_ = (call);                                                                 \
        cr_assert_eq(st_, (status), "got %s: %s", sheaf_status_name(st_), sheaf_last_error());     \
        cr_assert(strstr(sheaf_last_error(), (fragment)), "message '%s' lacks '%s'",               \
                  sheaf_last_error(), (fragment));                                                 \
    } while (0)

/* Relative closeness for reference values (1e-12, the tolerance). */
static inline int close_to(double got, double want)
{
    if (isnan(want)) return isnan(got);
    return fabs(got - want) <= 1e-12 * fmax(1.0, fabs(want));
}

static inline sheaf_ctx *fixture_ctx(int threads)
{
    sheaf_ctx *ctx = NULL;
    ASSERT_OK(sheaf_ctx_create(&ctx));
    ASSERT_OK(sheaf_ctx_set_threads(ctx, threads));
    return ctx;
}

/* The refs.h columns in n_partitions row partitions (n > FEAT_N leaves
 * some empty). */
static inline sheaf_frame *fixture_frame(size_t n_partitions)
{
    sheaf_frame *f = NULL, *out = NULL;
    ASSERT_OK(sheaf_frame_create(&f));
    ASSERT_OK(sheaf_frame_add_float64(f, "x", FEAT_X, NULL, FEAT_N));
    ASSERT_OK(sheaf_frame_add_int64(f, "k", FEAT_K, FEAT_K_VALID, FEAT_N));
    ASSERT_OK(sheaf_frame_add_string(f, "cat", FEAT_CAT, FEAT_N));
    ASSERT_OK(sheaf_frame_add_float64(f, "y", FEAT_Y, NULL, FEAT_N));
    ASSERT_OK(sheaf_frame_partition_rows(NULL, f, n_partitions, &out));
    sheaf_frame_free(f);
    return out;
}

static inline size_t fixture_col(const sheaf_frame *f, const char *name)
{
    size_t i;
    ASSERT_OK(sheaf_frame_column_index(f, name, &i));
    return i;
}

static inline const double *fixture_f64(const sheaf_frame *f, const char *name)
{
    const double *v;
    ASSERT_OK(sheaf_frame_column_float64(f, fixture_col(f, name), &v));
    return v;
}

#endif
