/* stl.h - STL, the seasonal-trend decomposition by loess (internal), as R's
 * stats::stl, and the seasonal strength forecast::nsdiffs tests with
 * (forecast 8.20's seas.heuristic over mstl). Used by arima_auto.c. */
#ifndef SH_TIMESERIES_STL_H
#define SH_TIMESERIES_STL_H

#include "core/internal.h"

#include <stdbool.h>
#include <stddef.h>

/* The arguments of R's stl(x, s.window, ...); start from
 * sh_stl_options_default(period, s_window, robust) and change what differs.
 * Windows are spans in observations (even ones and those below 3 are
 * raised to the next odd >= 3, as R's Fortran does); degrees 0 or 1; the
 * smoother runs at every jump-th point and interpolates linearly between.
 * A window or jump of 0 means R's default, computed when the series' length
 * is known: t_window = nextodd(ceiling(1.5 period / (1 - 1.5 / s_window))),
 * l_window = nextodd(period), jumps ceiling(window / 10). */
typedef struct sh_stl_options {
    size_t period;   /* >= 2 */
    bool periodic;   /* s.window = "periodic": s_window 10 n + 1, s_degree 0,
                        and the seasonal averaged per position in the cycle */
    size_t s_window; /* seasonal (cycle-subseries) span, ignored when periodic */
    int s_degree;
    size_t t_window; /* trend span */
    int t_degree;
    size_t l_window; /* low-pass span */
    int l_degree;
    size_t s_jump, t_jump, l_jump;
    size_t inner, outer; /* inner and robustness iterations */
} sh_stl_options;

/* R's defaults: s_window as given (0: "periodic"), s_degree 0, t_degree =
 * l_degree = 1, the other windows and jumps 0 (R's defaults, see above),
 * inner 2 and outer 0 (robust: 1 and 15). */
sh_stl_options sh_stl_options_default(size_t period, size_t s_window, bool robust);

/* Decomposes y[0 .. n) (finite) into seasonal + trend + remainder:
 * seasonal, trend (n values each) and, when not NULL, the robustness
 * weights (all 1 without outer iterations; with them Tukey's biweight of
 * |y - S - T| / (6 median), the true median as statsmodels' STL takes it,
 * where R's Fortran partial sort can pick other order statistics for even
 * n). INVALID_ARGUMENT naming who for
 * NULL, period < 2, n <= 2 period (R: "series is not periodic or has less
 * than two periods"), a degree not 0/1 or a zero jump; NONFINITE naming the
 * index; NOMEM. */
sheaf_status sh_stl(const char *who, const double *y, size_t n, const sh_stl_options *opts,
                    double *seasonal, double *trend, double *weights);

/* forecast::seas.heuristic(ts(x, frequency = m)) (forecast 8.20): the
 * seasonal strength max(0, min(1, 1 - var(R) / var(R + S))) of the
 * decomposition mstl(x) makes for one period: stl(x, s.window = 11) with
 * the other defaults, R = x - S - T. Missing values (NaN) are filled by
 * linear interpolation first (constant beyond the ends) and left out of
 * the variances, where mstl's na.interp fits a robust STL for seasonal
 * data: the result differs from R's when x has NaN. INVALID_ARGUMENT for
 * m < 2, n <= 2 m or fewer than two observed values, NONFINITE for +-Inf,
 * SINGULAR when var(R + S) is 0; NOMEM. */
sheaf_status sh_stl_seasonal_strength(const char *who, const double *x, size_t n, size_t m,
                                      double *strength);

#endif
