/* test_errors.c - status names, the version string, the thread-local last
 * error and the allocation-failure hook. */
#include "sheaf_core.h"

#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

Test(errors, every_status_has_its_fixed_name)
{
    const char *names[] = {
        "SHEAF_OK",
        "SHEAF_ERR_INVALID_ARGUMENT",
        "SHEAF_ERR_DIMENSION",
        "SHEAF_ERR_NONFINITE",
        "SHEAF_ERR_NOMEM",
        "SHEAF_ERR_SINGULAR",
        "SHEAF_ERR_NO_CONVERGENCE",
        "SHEAF_ERR_IO",
        "SHEAF_ERR_FORMAT",
        "SHEAF_ERR_VERSION",
        "SHEAF_ERR_CRYPTO",
        "SHEAF_ERR_MISUSE",
        "SHEAF_ERR_UNSUPPORTED",
        "SHEAF_ERR_INTERNAL",
    };
    for (int s = 0; s <= 13; s++)
        cr_assert_str_eq(sheaf_status_name((sheaf_status)s), names[s]);
    cr_assert_eq(SHEAF_ERR_INTERNAL, 13, "status numbers are ABI");
}

Test(errors, unknown_status_has_a_name_too)
{
    cr_assert_str_eq(sheaf_status_name((sheaf_status)99), "SHEAF_ERR_UNKNOWN");
    cr_assert_str_eq(sheaf_status_name((sheaf_status)-1), "SHEAF_ERR_UNKNOWN");
}

Test(errors, version_matches_the_header_macros)
{
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", SHEAF_VERSION_MAJOR, SHEAF_VERSION_MINOR,
             SHEAF_VERSION_PATCH);
    cr_assert_str_eq(sheaf_version(), want);
    cr_assert_str_eq(sheaf_version(), SHEAF_VERSION_STRING);
}

Test(errors, last_error_holds_the_most_recent_failure)
{
    cr_assert_str_eq(sheaf_last_error(), "");
    cr_assert_eq(sheaf_ctx_set_threads(NULL, 1), SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert_str_eq(sheaf_last_error(), "sheaf_ctx_set_threads: ctx is NULL");
    cr_assert_eq(sheaf_ctx_set_seed(NULL, 1), SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert_str_eq(sheaf_last_error(), "sheaf_ctx_set_seed: ctx is NULL");
}

static void *fail_in_thread(void *arg)
{
    char *seen = arg;
    snprintf(seen, 256, "%s", sheaf_last_error()); /* before any failure here */
    sheaf_ctx_set_partitions(NULL, 1);
    return NULL;
}

Test(errors, last_error_is_per_thread)
{
    cr_assert_eq(sheaf_ctx_set_threads(NULL, 1), SHEAF_ERR_INVALID_ARGUMENT);
    char seen[256] = "unset";
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, fail_in_thread, seen), 0);
    cr_assert_eq(pthread_join(t, NULL), 0);
    cr_assert_str_eq(seen, "", "a new thread saw another thread's message");
    cr_assert_str_eq(sheaf_last_error(), "sheaf_ctx_set_threads: ctx is NULL");
}

Test(errors, allocation_hook_counts_then_fails_the_nth_allocation_once)
{
    sheaf_debug_fail_allocation(0);
    sheaf_ctx *a = NULL, *b = NULL, *c = NULL;
    cr_assert_eq(sheaf_ctx_create(&a), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_create(&b), SHEAF_OK);
    cr_assert_eq(sheaf_debug_fail_allocation(2), 2, "two contexts, two allocations");
    sheaf_ctx_free(a);
    sheaf_ctx_free(b);
    a = b = NULL;
    cr_assert_eq(sheaf_ctx_create(&a), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_create(&b), SHEAF_ERR_NOMEM);
    cr_assert_null(b);
    cr_assert_eq(sheaf_ctx_create(&c), SHEAF_OK, "only the n-th allocation fails");
    cr_assert_eq(sheaf_debug_fail_allocation(0), 3);
    sheaf_ctx_free(a);
    sheaf_ctx_free(c);
}
