/* qr.h - QR factors that merge (internal): the statistics of merged least
 * squares. A partition's rows reduce to the R factor of their QR
 * factorisation; two factors merge into the R of the two stacked; every
 * regression on a subset of the columns is then solved from R alone, as
 * accurately as from the rows (R[:, S] is the rows' X_S up to an orthogonal
 * map), which the normal equations X'X would not be (they square the
 * condition number). Column-major (LAPACK's order), because the factors are
 * built and merged by column and a row-major view would cost a transpose
 * per call. BLAS/LAPACK run on the calling thread only (see
 * linalg_internal.h), so results do not depend on thread counts. */
#ifndef SH_LINALG_QR_H
#define SH_LINALG_QR_H

#include "core/internal.h"

#include <stddef.h>

/* R := the R factor of [R; B]: R is n x n upper triangular (column-major,
 * leading dimension ldr), B is m x n (column-major, ldb >= m; destroyed), and
 * upper triangular when b_upper (m == n: the merge of two factors). The
 * diagonal of the result is made non-negative (rows of R flipped), so the
 * factor of a full-rank design is unique. work: 2 n^2 doubles. INTERNAL on a
 * LAPACK failure, INVALID_ARGUMENT for sizes beyond the LAPACK integer. */
sheaf_status sh_qr_append(double *r, size_t n, size_t ldr, double *b, size_t m, size_t ldb,
                          int b_upper, double *work);

/* The least-squares fit of column y on the columns cols[0..nc) of the design
 * whose R factor is r (n x n, column-major, ldr), from r alone: beta (nc
 * values), *ssr the residual sum of squares, and, when rs is not NULL, the
 * (nc + 1) x (nc + 1) R factor of [X_S, y] (column-major), whose leading
 * nc x nc block gives (X_S'X_S)^-1 = R_S^-1 R_S^-T. work:
 * sh_qr_subset_work(n, nc) doubles. SINGULAR naming the column when X_S is rank
 * deficient (a diagonal of R_S at most 1e-12 times the largest). */
sheaf_status sh_qr_subset_fit(const double *r, size_t n, size_t ldr, const size_t *cols, size_t nc,
                              size_t y, double *beta, double *ssr, double *rs, double *work);

/* Doubles of work sh_qr_subset_fit needs for n rows and nc columns. */
size_t sh_qr_subset_work(size_t n, size_t nc);

/* As sh_qr_subset_fit for nt targets at once (a VAR's equations): beta
 * (nc x nt, target q's coefficients at beta[q nc ..]), rss (nt x nt) the
 * residual cross-products R22' R22, rs (optional) the (nc + nt)^2 factor.
 * work: sh_qr_multi_work(n, nc, nt) doubles. */
sheaf_status sh_qr_multi_fit(const double *r, size_t n, size_t ldr, const size_t *cols, size_t nc,
                             const size_t *targets, size_t nt, double *beta, double *rss,
                             double *rs, double *work);
size_t sh_qr_multi_work(size_t n, size_t nc, size_t nt);

/* The regression of the columns targets[0..nt) on the FIRST nc columns of
 * the design whose factor is r (column-major, ldr), read off r without a
 * new factorisation (a prefix's factor is r's leading block): beta (nc x nt,
 * target q's at beta[q nc ..]; may be NULL) solves R11 beta = R12, rss
 * (nt x nt) = R22' R22 over rows nc... SINGULAR naming the regressor whose
 * diagonal is at most 1e-12 times the largest; the message starts with
 * caller. */
sheaf_status sh_qr_prefix_fit(const double *r, size_t ldr, size_t nc, const size_t *targets,
                              size_t nt, double *beta, double *rss, const char *caller);

/* Many nested regressions sharing base columns (every Granger pair of one
 * caused series): factor the base once, rotate the other columns by its Q',
 * and each regression is a small QR of the rotated columns' lower rows.
 *
 * sh_qr_reflectors: a (m x nb, column-major, lda, m >= nb) := its Householder
 * QR as dgeqrf leaves it (R on and above the diagonal, the reflectors V
 * below), t (nb x nb, ld nb) := the triangular factor of Q = I - V T V',
 * diag[q] := |R_qq|. work: sh_qr_reflectors_work(nb) doubles.
 * INVALID_ARGUMENT (m < nb, sizes beyond the LAPACK integer), INTERNAL. */
sheaf_status sh_qr_reflectors(double *a, size_t m, size_t lda, size_t nb, double *t, double *diag,
                              double *work);
size_t sh_qr_reflectors_work(size_t nb);

/* c (m x nc, column-major, ldc) := Q' c for the Q of sh_qr_reflectors (a,
 * m, lda, nb, t as it left them): rows 0..nb-1 of the result are the
 * coordinates on the base columns, rows nb..m-1 the part orthogonal to them.
 * work: nb * nc doubles. INVALID_ARGUMENT for sizes beyond the LAPACK
 * integer, INTERNAL. */
sheaf_status sh_qr_apply_qt(const double *a, size_t m, size_t lda, size_t nb, const double *t,
                            double *c, size_t nc, size_t ldc, double *work);

/* The residual sums of squares of nt targets on nq columns: a (m x nq,
 * column-major, lda) and the targets y[0..nt) (m values each), all
 * destroyed; a Householder QR of a, applied to the targets, leaves diag[q] =
 * |R_qq| (0 for q >= m: rank deficient) and ssr[t] = the sum of squares of
 * target t's rows nq..m-1 (nq = 0: of all its rows). For the many small,
 * tall problems of sh_qr_reflectors' users: level-1 BLAS, no allocation. */
void sh_qr_residuals(double *a, size_t m, size_t lda, size_t nq, double *const *y, size_t nt,
                     double *diag, double *ssr);

#endif
