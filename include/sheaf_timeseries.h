/* sheaf_timeseries.h - time-series statistics from merged lag factors:
 * Granger causality tests (statsmodels' grangercausalitytests, pairwise and
 * for every ordered pair of many series at once; with lag sets, a common
 * sample, lag choice by AIC/BIC, conditional tests and Benjamini-Hochberg
 * adjustment; and per key of a keyed frame). Series are row-major
 * T x k arrays (row t = time t, leading dimension ld >= k); every regression
 * is solved from the R factor of the lagged design, computed once on
 * row-range partitions (each reading the few rows before its start) and
 * merged in partition order, so results are bit-identical for any thread
 * count. */
#ifndef SHEAF_TIMESERIES_H
#define SHEAF_TIMESERIES_H

#include "sheaf_core.h"
#include "sheaf_frame.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Deterministic terms (statsmodels' trend names), shared by VAR, ADF and
 * the Granger variants: none, constant, constant and linear trend, constant,
 * linear and quadratic trend. */
typedef enum sheaf_trend {
    SHEAF_TREND_N = 0,
    SHEAF_TREND_C = 1,
    SHEAF_TREND_CT = 2,
    SHEAF_TREND_CTT = 3
} sheaf_trend;

/* The four tests grangercausalitytests reports for one lag L (statsmodels
 * 0.13): y_t regressed on a constant and y's own lags 1..L (restricted) and
 * also x's lags 1..L (unrestricted), on the nobs = T - L rows t = L..T-1. */
typedef struct sheaf_granger_lag {
    size_t lag, nobs;
    double ssr_ftest[4];    /* F, p-value, df_denom (nobs - 2L - 1), df_num (L) */
    double ssr_chi2test[3]; /* nobs (ssr_r - ssr_u) / ssr_u, p-value, df (L) */
    double lrtest[3];       /* nobs log(ssr_r / ssr_u), p-value, df (L) */
    double params_ftest[4]; /* Wald F of the L lags of x, p-value, df_denom, df_num */
    double ssr_restricted, ssr_unrestricted;
} sheaf_granger_lag;

/* Does column 1 of x Granger-cause column 0? x is T x 2 (leading dimension
 * ld >= 2), as statsmodels' grangercausalitytests(x, maxlag) reads it; one
 * result per lag in lags[0 .. n_lags) (each >= 1; statsmodels' maxlag = m is
 * lags 1..m), written to out (caller-allocated). Statuses: INVALID_ARGUMENT
 * (NULL, n_lags = 0, a lag of 0, too few rows: the message names the lag and
 * the rows it needs, T > 3L + 1), NONFINITE naming the column and row,
 * SINGULAR naming the series when a regression is collinear (a constant
 * series), NOMEM. */
SHEAF_API sheaf_status sheaf_granger_tests(const sheaf_ctx *ctx, const double *x, size_t T,
                                           size_t ld, const size_t *lags, size_t n_lags,
                                           sheaf_granger_lag *out);

/* Which statistic sheaf_granger_matrix returns. */
typedef enum sheaf_granger_test {
    SHEAF_GRANGER_SSR_FTEST = 0,
    SHEAF_GRANGER_SSR_CHI2TEST = 1,
    SHEAF_GRANGER_LRTEST = 2,
    SHEAF_GRANGER_PARAMS_FTEST = 3
} sheaf_granger_test;

/* Every ordered pair (caused i, causing j), i != j, of the k columns of y
 * (T x k, leading dimension ld) at every lag 1..maxlag, from one merged
 * factor: statistics and pvalues (each k x k x maxlag, caller-allocated,
 * either may be NULL) at [(i k + j) maxlag + lag - 1], equal to
 * grangercausalitytests(y[:, [i, j]], maxlag)[lag][0][test]; NaN on the
 * diagonal. Statuses as sheaf_granger_tests (k >= 2). */
SHEAF_API sheaf_status sheaf_granger_matrix(const sheaf_ctx *ctx, const double *y, size_t T,
                                            size_t k, size_t ld, size_t maxlag,
                                            sheaf_granger_test test, double *statistics,
                                            double *pvalues);

/* ---- beyond statsmodels: lag sets, a common sample, lag choice, conditional
 * tests, adjusted p-values, and many independent panels -------------------- */

/* How sheaf_granger_entries picks one lag per ordered pair: every lag (no
 * choice), or the lag whose unrestricted regression has the smallest
 * information criterion on the common sample (rows max(lags)..T-1, so the
 * candidates are compared on the same rows). The criteria are statsmodels'
 * OLS ones: llf = -n/2 log(2 pi) - n/2 log(ssr / n) - n/2, aic = -2 llf +
 * 2 p, bic = -2 llf + log(n) p, n the rows and p the unrestricted
 * regression's parameters (constant included). Ties go to the smaller lag. */
typedef enum sheaf_granger_ic {
    SHEAF_GRANGER_IC_NONE = 0,
    SHEAF_GRANGER_IC_AIC = 1,
    SHEAF_GRANGER_IC_BIC = 2
} sheaf_granger_ic;

/* Benjamini-Hochberg adjusted p-values (statsmodels' multipletests(p,
 * method='fdr_bh')[1]) over the off-diagonal entries: all of them at once
 * (every lag reported), or one family per reported lag. */
typedef enum sheaf_granger_adjust {
    SHEAF_GRANGER_ADJUST_NONE = 0,
    SHEAF_GRANGER_ADJUST_FDR_BH = 1,
    SHEAF_GRANGER_ADJUST_FDR_BH_PER_LAG = 2
} sheaf_granger_adjust;

/* What sheaf_granger_entries and sheaf_granger_by_key compute; start from
 * sheaf_granger_options_default() and set fields. */
typedef struct sheaf_granger_options {
    size_t maxlag;           /* lags 1..maxlag when lags is NULL (default 1) */
    const size_t *lags;      /* or these n_lags distinct lags >= 1, reported in this order */
    size_t n_lags;           /* (the caller keeps lags alive during the call) */
    sheaf_granger_test test; /* the statistic reported (default SSR_FTEST) */
    int common_sample;   /* nonzero: every lag uses rows max(lags)..T-1 (default: rows L..T-1) */
    int conditional;     /* nonzero: both regressions also hold every other series' lags */
    sheaf_granger_ic ic; /* default SHEAF_GRANGER_IC_NONE */
    sheaf_granger_adjust adjust; /* default SHEAF_GRANGER_ADJUST_NONE */
} sheaf_granger_options;

/* The defaults listed above (lags 1..1 with the ssr F test, statsmodels'
 * per-lag samples, bivariate, every lag, no adjustment). */
SHEAF_API sheaf_granger_options sheaf_granger_options_default(void);

/* One entry of the matrix: does series j Granger-cause series i at lag.
 * Bivariate (statsmodels): y_i,t on a constant and y_i's lags 1..lag
 * (restricted) and also y_j's lags (unrestricted), p_u = 2 lag + 1
 * parameters. Conditional: the restricted regression holds the constant and
 * the lags of every series but j, the unrestricted one every series' lags,
 * p_u = k lag + 1. Both on the same nobs rows. statistic and p-value are
 * those of the chosen test, with grangercausalitytests' formulas (d = ssr_r -
 * ssr_u): ssr F = d / lag / (ssr_u / df_denom), df_denom = nobs - p_u;
 * chi2 = nobs d / ssr_u; LR = nobs log(ssr_r / ssr_u); params F = the Wald F
 * of j's lags, equal to the ssr F for these nested OLS fits. */
typedef struct sheaf_granger_entry {
    size_t lag;       /* 0 on the diagonal */
    size_t nobs;      /* rows of both regressions (0 on the diagonal) */
    double statistic; /* NaN on the diagonal, as every double here */
    double pvalue;
    double df_num;          /* lag */
    double df_denom;        /* nobs - p_u for the F tests, NaN for chi2 and LR */
    double pvalue_adjusted; /* NaN unless opts->adjust */
    double ssr_restricted, ssr_unrestricted;
    double aic, bic; /* of the unrestricted regression on these nobs rows */
} sheaf_granger_entry;

/* Every ordered pair (caused i, causing j) of the k columns of y (T x k,
 * leading dimension ld), from one merged factor, as opts says (NULL: the
 * defaults). out (caller-allocated): k k n_out entries, n_out = 1 with an
 * ic and the number of lags otherwise, entry (i, j, q) at out[(i k + j)
 * n_out + q] for the q-th lag of the list (1..maxlag when lags is NULL) or
 * the chosen lag. Without conditional and common_sample each entry equals
 * grangercausalitytests(y[:, [i, j]], [lag]); with common_sample it equals
 * grangercausalitytests(y[m - lag:, [i, j]], [lag]), m = max(lags). With an
 * ic the lag is chosen on the common sample and reported with the test on
 * the rows common_sample says. Statuses: INVALID_ARGUMENT (NULL y or out, k
 * < 2, no lags, a lag of 0, a repeated lag, a bad test, ic or adjust, too
 * few rows: the message names the lag and the rows it needs, T > lag + p_u
 * or T > max(lags) + p_u with common_sample), DIMENSION (ld < k), NONFINITE
 * naming the series and row, SINGULAR naming the series whose regression is
 * collinear (a constant series), NOMEM. Bit-identical for any thread count. */
SHEAF_API sheaf_status sheaf_granger_entries(const sheaf_ctx *ctx, const double *y, size_t T,
                                             size_t k, size_t ld, const sheaf_granger_options *opts,
                                             sheaf_granger_entry *out);

/* Many independent panels: the entries above for every key of a keyed frame,
 * a grouped map. Each distinct tuple of the keys columns is one panel: its
 * rows ordered by time (stable; current row order when time is NULL), its
 * series the columns (float64 or int64, read as float64), as y with k =
 * n_columns >= 2. The frame is used as laid out when it is partitioned by
 * these keys and time (sheaf_frame_partition_by_key_time), otherwise it is
 * so partitioned first; partitions run in parallel, each panel's factor is
 * built serially (one partition), so results do not depend on thread or
 * partition counts. *out is a new one-partition frame, one row per (key,
 * caused, causing, lag), keys in sorted order (as the partitioner orders
 * them), then caused and causing in column order, then the lags as
 * sheaf_granger_entries orders them; its columns: the key columns (same
 * names and types), "caused" and "causing" (string: column names), "lag"
 * and "nobs" (int64), "statistic", "pvalue", "df_num", "df_denom",
 * "pvalue_adjusted" (adjusted within the panel), "aic", "bic" (float64),
 * "status" (string: sheaf_status_name, "SHEAF_OK" when the panel worked)
 * and "error" (string, missing when it worked). A panel that fails (too
 * short, a constant or collinear series, a missing or non-finite value: the
 * message names the column and the row within the panel) keeps its rows
 * with NaN numbers, missing nobs (and missing lag with an ic) and its status
 * and message; the others are unaffected. Statuses of the call:
 * INVALID_ARGUMENT (NULL in or out, no keys, an unknown or non-numeric
 * column, fewer than 2 columns, bad options, an output name clashing with a
 * key), NOMEM; *out is NULL on failure. */
SHEAF_API sheaf_status sheaf_granger_by_key(const sheaf_ctx *ctx, const sheaf_frame *in,
                                            const char *const *keys, size_t n_keys,
                                            const char *time, const char *const *columns,
                                            size_t n_columns, const sheaf_granger_options *opts,
                                            sheaf_frame **out);

#ifdef __cplusplus
}
#endif
#endif
