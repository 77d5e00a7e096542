/* test_context.c - sheaf_ctx: defaults, setters and getters, and the
 * messages of bad values. */
#include "sheaf_core.h"

#include <criterion/criterion.h>
#include <omp.h>
#include <string.h>

static void assert_error(sheaf_status got, sheaf_status want, const char *fragment)
{
    cr_assert_eq(got, want, "status %s, want %s", sheaf_status_name(got), sheaf_status_name(want));
    cr_assert(strstr(sheaf_last_error(), fragment), "message '%s' lacks '%s'", sheaf_last_error(),
              fragment);
}

Test(context, create_uses_every_core_four_partitions_each_and_seed_zero)
{
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_not_null(ctx);
    int cores = omp_get_num_procs();
    cr_assert_eq(sheaf_ctx_threads(ctx), cores);
    cr_assert_eq(sheaf_ctx_partitions(ctx), 4 * (size_t)cores);
    cr_assert_eq(sheaf_ctx_seed(ctx), 0);
    sheaf_ctx_free(ctx);
}

Test(context, setters_store_what_getters_return)
{
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, 3), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_threads(ctx), 3);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, 0), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_threads(ctx), omp_get_num_procs());
    cr_assert_eq(sheaf_ctx_set_partitions(ctx, 17), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_partitions(ctx), 17);
    cr_assert_eq(sheaf_ctx_set_seed(ctx, 0xfeedfacecafebeefull), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_seed(ctx), 0xfeedfacecafebeefull);
    cr_assert_eq(sheaf_ctx_set_progress(ctx, NULL, NULL), SHEAF_OK);
    sheaf_ctx_free(ctx);
}

Test(context, bad_values_are_invalid_arguments_that_name_the_value)
{
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    assert_error(sheaf_ctx_set_threads(ctx, -2), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_ctx_set_threads: threads must be >= 0 (got -2)");
    cr_assert_eq(sheaf_ctx_threads(ctx), omp_get_num_procs(), "a rejected value changed ctx");
    assert_error(sheaf_ctx_set_partitions(ctx, 0), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_ctx_set_partitions: partitions must be >= 1 (got 0)");
    sheaf_ctx_free(ctx);
}

Test(context, null_context_is_rejected_by_setters_and_defaulted_by_getters)
{
    assert_error(sheaf_ctx_create(NULL), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_ctx_create: out is NULL");
    assert_error(sheaf_ctx_set_threads(NULL, 1), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_ctx_set_threads: ctx is NULL");
    assert_error(sheaf_ctx_set_partitions(NULL, 1), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_ctx_set_partitions: ctx is NULL");
    assert_error(sheaf_ctx_set_seed(NULL, 1), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_ctx_set_seed: ctx is NULL");
    assert_error(sheaf_ctx_set_progress(NULL, NULL, NULL), SHEAF_ERR_INVALID_ARGUMENT,
                 "sheaf_ctx_set_progress: ctx is NULL");
    cr_assert_eq(sheaf_ctx_threads(NULL), omp_get_num_procs());
    cr_assert_eq(sheaf_ctx_partitions(NULL), 4 * (size_t)omp_get_num_procs());
    cr_assert_eq(sheaf_ctx_seed(NULL), 0);
    sheaf_ctx_free(NULL);
}

Test(context, create_reports_nomem_when_its_allocation_fails)
{
    sheaf_debug_fail_allocation(0);
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    uint64_t n = sheaf_debug_fail_allocation(0);
    cr_assert_geq(n, 1);
    sheaf_ctx_free(ctx);
    for (uint64_t k = 1; k <= n; k++) {
        sheaf_debug_fail_allocation(k);
        ctx = (sheaf_ctx *)1;
        assert_error(sheaf_ctx_create(&ctx), SHEAF_ERR_NOMEM, "sheaf_ctx_create: out of memory");
        cr_assert_null(ctx, "out must be NULL after a failure");
    }
    sheaf_debug_fail_allocation(0);
}
