/* granger_internal.h - the regressions behind every Granger test (internal,
 * shared by granger*.c): for each requested lag and ordered pair, the
 * residual sums of squares of the restricted and unrestricted regressions,
 * all solved from one merged lag factor (granger.c). */
#ifndef SH_TIMESERIES_GRANGER_INTERNAL_H
#define SH_TIMESERIES_GRANGER_INTERNAL_H

#include "core/internal.h"
#include "sheaf_timeseries.h"

#include <stddef.h>

/* One restricted / unrestricted pair of fits: caused series i, causing j,
 * on nobs rows; the unrestricted regression has params_u parameters. */
typedef struct sh_granger_fit {
    size_t lag, i, j, nobs, params_u;
    double ssr_r, ssr_u;
} sh_granger_fit;

/* Receives every fit; called from parallel tasks (one per caused series,
 * or per causing series in the conditional case), so it must write only
 * what belongs to the pair (fit->i, fit->j). */
typedef sheaf_status (*sh_granger_visit)(void *arg, const sh_granger_fit *fit);

typedef struct sh_granger_spec {
    const double *y; /* T x k, leading dimension ld */
    size_t T, k, ld;
    const size_t *lags; /* n_lags lags >= 1, any order, repeats allowed */
    size_t n_lags;
    int one_pair;             /* only caused 0, causing 1 */
    int common_sample;        /* every lag on rows max(lags)..T-1, else rows lag..T-1 */
    int conditional;          /* both regressions hold every other series' lags */
    const char *const *names; /* series names for messages, or NULL ("series i") */
    const char *caller;
} sh_granger_spec;

/* Checks the spec (NULL y, ld < k, no lags, a lag of 0, too few rows), builds
 * the factor on ctx's partitions and hands every fit to visit (once per
 * distinct lag). Errors as sheaf_granger_entries. */
sheaf_status sh_granger_fits(const sheaf_ctx *ctx, const sh_granger_spec *spec,
                             sh_granger_visit visit, void *arg);

/* The four tests of one fit (df_denom = nobs - params_u). */
void sh_granger_tests_of(const sh_granger_fit *fit, sheaf_granger_lag *out);

/* One test of one fit, as sh_granger_tests_of lays it out: (statistic,
 * p-value, df_denom, df_num) for the F tests, (statistic, p-value, df, NaN)
 * for the chi-square ones. */
void sh_granger_test_of(const sh_granger_fit *fit, sheaf_granger_test test, double out[4]);

/* statsmodels' OLS information criteria of a regression with ssr, nobs rows
 * and p parameters. */
void sh_granger_ic(double ssr, size_t nobs, size_t p, double *aic, double *bic);

/* Benjamini-Hochberg adjusted p-values of p[0..n) into adj (may alias p),
 * as statsmodels' fdrcorrection (p sorted ascending, p_(r) n / r, the
 * running minimum from the largest down, capped at 1). NOMEM naming caller. */
sheaf_status sh_granger_fdr_bh(const double *p, size_t n, double *adj, const char *caller);

/* Checked options with the lag list resolved (granger_entries.c). */
typedef struct sh_granger_plan {
    sheaf_granger_options opts;
    size_t *lags; /* n_lags distinct lags, the caller's order (owned) */
    size_t n_lags, n_out;
} sh_granger_plan;

/* Checks opts (NULL: the defaults), naming caller and the first bad field
 * and its value; INVALID_ARGUMENT or NOMEM; on failure plan is cleared. */
sheaf_status sh_granger_plan_make(const sheaf_granger_options *opts, const char *caller,
                                  sh_granger_plan *plan);
void sh_granger_plan_clear(sh_granger_plan *plan);

/* sheaf_granger_entries for a checked plan; names (or NULL) name the
 * series in messages. */
sheaf_status sh_granger_run(const sheaf_ctx *ctx, const double *y, size_t T, size_t k, size_t ld,
                            const sh_granger_plan *plan, const char *const *names,
                            const char *caller, sheaf_granger_entry *out);

#endif
