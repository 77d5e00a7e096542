/* stattools_internal.h - what adf.c, kpss.c and acf.c share (internal):
 * the checks every one-series statistic starts with, and the Householder QR
 * their least-squares fits use. */
#ifndef SH_TIMESERIES_STATTOOLS_INTERNAL_H
#define SH_TIMESERIES_STATTOOLS_INTERNAL_H

#include "core/internal.h"

#include <stdbool.h>
#include <stddef.h>

/* A column whose distance from the span of the columns before it (|R_jj|) is
 * at most this fraction of its own norm counts as collinear with them: a few
 * hundred ulps, far below any real series' signal, far above QR's rounding. */
#define SH_ST_COLLINEAR_TOL 1e-13

/* INVALID_ARGUMENT "who: x is NULL" when x is NULL, NONFINITE naming the
 * first NaN/Inf "who: x[i] is nan". */
sheaf_status sh_st_check_series(const char *who, const double *x, size_t n);

/* true when all n values equal x[0] (n >= 1). */
bool sh_st_is_constant(const double *x, size_t n);

/* Householder QR of the m x p column-major matrix a (leading dimension lda):
 * its upper triangle becomes R with a non-negative diagonal (rows flipped).
 * tau: min(m, p) doubles; work: lwork >= p doubles (64 p is fast). The
 * LAPACK call runs on the calling thread alone. INTERNAL on a LAPACK
 * failure. */
sheaf_status sh_st_qr(const char *who, double *a, size_t m, size_t p, size_t lda, double *tau,
                      double *work, size_t lwork);

/* The index of the first of the p columns of R (upper triangular, column-major,
 * ldr) whose |R_jj| <= SH_ST_COLLINEAR_TOL times the column's norm (the norm
 * of R's column j, which is the design column's: Q is orthogonal; a zero
 * column counts), or p when none is. */
size_t sh_st_first_collinear(const double *r, size_t p, size_t ldr);

/* The 2-norm of x[0 .. n), scaled so that it neither overflows nor
 * underflows. */
double sh_st_norm(const double *x, size_t n);

/* z = the standard normal quantile at 1 - alpha/2 for a two-sided band;
 * INVALID_ARGUMENT naming who when alpha is not in (0, 1). */
sheaf_status sh_st_band_z(const char *who, double alpha, double *z);

#endif
