/* arima_auto.h - the pieces of R forecast::auto.arima (arima_auto.c) the
 * tests reach directly (internal): forecast's is.constant, ndiffs and
 * nsdiffs, and the search with its trace. */
#ifndef SH_TIMESERIES_ARIMA_AUTO_H
#define SH_TIMESERIES_ARIMA_AUTO_H

#include "core/internal.h"
#include "sheaf_arima.h"

#include <stdbool.h>
#include <stddef.h>

/* forecast::is.constant(x): isTRUE(all.equal(x, rep(x[1], n))): NaN in the
 * same places only (so a NaN x[0] means every value NaN), and among the
 * values that differ from x[0], sum |x - x[0]| / sum |x| <= 1.5e-8 (an
 * absolute mean difference when mean |x| of those is at most 1.5e-8). */
bool sh_auto_is_constant(const double *x, size_t n);

/* *d := forecast::ndiffs(x, alpha, test = "kpss", type = "level", max.d):
 * NaN dropped, then difference while the KPSS test (level, lags trunc(3
 * sqrt(n) / 13) of the current series) has p < alpha (p interpolated in
 * the 1992 table and clipped to [0.01, 0.10], as urca's cval and approx
 * with rule 2), stopping at max_d or at a constant series; a failing test
 * counts as "no". NOMEM is the only status other than OK. */
sheaf_status sh_auto_ndiffs(const double *x, size_t n, double alpha, size_t max_d, size_t *d);

/* forecast::nsdiffs(ts(x, frequency = m), test = "seas", max.D): 0 for a
 * constant x or m >= n; otherwise seasonal differences (lag m) while the
 * seasonal strength (sh_stl_seasonal_strength) exceeds 0.64 and at least 2
 * m values remain, at most max_D; a failing test counts as "no". NOMEM is
 * the only status other than OK. */
sheaf_status sh_auto_nsdiffs(const double *x, size_t n, size_t m, size_t max_D, size_t *D);

/* One model the search fitted, as auto.arima's trace = TRUE prints it. */
typedef struct sh_auto_trace_row {
    size_t p, d, q, P, D, Q, s;
    int constant; /* 0 none, 1 mean, 2 drift */
    int phase;    /* 0 the search, 1 the refit without approximation */
    double ic;    /* INFINITY: failed or rejected */
} sh_auto_trace_row;

typedef struct sh_auto_trace {
    sh_auto_trace_row *rows; /* sh_malloc'ed; sh_free after use */
    size_t n, cap;
    size_t d, D;        /* the differences chosen */
    bool approximation; /* whether the search used CSS */
    double offset;      /* the CSS information criteria's offset */
} sh_auto_trace;

/* sheaf_auto_arima, recording every candidate in *trace when not NULL
 * (trace->rows freed by the caller, also on failure). */
sheaf_status sh_auto_arima_run(const sheaf_ctx *ctx, const double *y, size_t n,
                               const sheaf_auto_arima_options *opts, sh_auto_trace *trace,
                               sheaf_arima **out);

#endif
