/* logreg_test_util.h - the assertions and context set-up the
 * logistic-regression suites share (test_logreg.c, test_logreg_solvers.c). */
#ifndef SHEAF_TESTS_LOGREG_TEST_UTIL_H
#define SHEAF_TESTS_LOGREG_TEST_UTIL_H

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "sheaf.h"

static inline void assert_ok(sheaf_status got)
{
    cr_assert_eq(got, SHEAF_OK, "status %s: %s", sheaf_status_name(got), sheaf_last_error());
}

/* The status, and a fragment the message must contain. */
static inline void assert_fails(sheaf_status got, sheaf_status want, const char *fragment)
{
    cr_assert_eq(got, want, "status %s, want %s (message: %s)", sheaf_status_name(got),
                 sheaf_status_name(want), sheaf_last_error());
    cr_assert(strstr(sheaf_last_error(), fragment) != NULL, "message \"%s\" lacks \"%s\"",
              sheaf_last_error(), fragment);
}

static inline void assert_rel(double got, double want, double tol, const char *what, size_t i)
{
    cr_assert(fabs(got - want) <= tol * fabs(want) + 1e-14, "%s[%zu]: got %.17g, want %.17g", what,
              i, got, want);
}

static inline void assert_rel_n(const double *got, const double *want, size_t n, double tol,
                                const char *what)
{
    for (size_t i = 0; i < n; i++)
        assert_rel(got[i], want[i], tol, what, i);
}

static inline sheaf_ctx *make_ctx(int threads, size_t parts)
{
    sheaf_ctx *ctx = NULL;
    assert_ok(sheaf_ctx_create(&ctx));
    assert_ok(sheaf_ctx_set_threads(ctx, threads));
    assert_ok(sheaf_ctx_set_partitions(ctx, parts));
    return ctx;
}

#endif
