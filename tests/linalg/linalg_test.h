/* linalg_test.h - small assertions shared by the tests/linalg files. */
#ifndef SHEAF_TESTS_LINALG_TEST_H
#define SHEAF_TESTS_LINALG_TEST_H

#include <criterion/criterion.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "sheaf_linalg.h"

/* |got - want| <= tol * max(1, |want|): relative for large values, absolute
 * near zero, where a relative error means nothing. */
static inline void assert_near(double got, double want, double tol, const char *what, size_t i)
{
    double scale = fabs(want) > 1.0 ? fabs(want) : 1.0;
    cr_assert(fabs(got - want) <= tol * scale, "%s[%zu]: got %.17g, want %.17g (tol %g)", what, i,
              got, want, tol);
}

static inline void assert_all_near(const double *got, const double *want, size_t n, double tol,
                                   const char *what)
{
    for (size_t i = 0; i < n; i++)
        assert_near(got[i], want[i], tol, what, i);
}

/* The call failed with status want and a message containing fragment. */
static inline void assert_fails(sheaf_status got, sheaf_status want, const char *fragment)
{
    cr_assert_eq(got, want, "status %s, want %s (message: %s)", sheaf_status_name(got),
                 sheaf_status_name(want), sheaf_last_error());
    cr_assert(strstr(sheaf_last_error(), fragment) != NULL, "message \"%s\" lacks \"%s\"",
              sheaf_last_error(), fragment);
}

static inline void assert_ok(sheaf_status got)
{
    cr_assert_eq(got, SHEAF_OK, "status %s: %s", sheaf_status_name(got), sheaf_last_error());
}

#endif
