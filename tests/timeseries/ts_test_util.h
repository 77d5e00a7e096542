/* ts_test_util.h - the assertions the time-series suites share
 * (test_var*.c, test_granger*.c). */
#ifndef SHEAF_TESTS_TS_TEST_UTIL_H
#define SHEAF_TESTS_TS_TEST_UTIL_H

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "sheaf.h"

/* got[i] within tol relative of want[i] (plus 1e-15 absolute, for zeros). */
static inline void assert_close(const double *got, const double *want, size_t n, double tol,
                                const char *what)
{
    for (size_t i = 0; i < n; i++)
        cr_assert(fabs(got[i] - want[i]) <= tol * fabs(want[i]) + 1e-15,
                  "%s[%zu]: %.17g, want %.17g", what, i, got[i], want[i]);
}

/* The status, and a fragment the message must contain. */
static inline void assert_fails(sheaf_status got, sheaf_status want, const char *fragment)
{
    cr_assert_eq(got, want, "status %s, want %s (%s)", sheaf_status_name(got),
                 sheaf_status_name(want), sheaf_last_error());
    cr_assert(strstr(sheaf_last_error(), fragment) != NULL, "message \"%s\" lacks \"%s\"",
              sheaf_last_error(), fragment);
}

#endif
