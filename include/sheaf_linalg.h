/* sheaf_linalg.h - a thin, checked layer over CBLAS and LAPACKE, plus the
 * distribution functions every test statistic needs (GSL underneath).
 *
 * Matrices are row-major views: element (i, j) is data[i * ld + j], with
 * ld >= cols. Every routine checks shapes, finiteness of its inputs and the
 * 32-bit BLAS integer limit, and returns a status with a message instead of
 * crashing or producing NaN. Outputs are caller-allocated views; on failure
 * their contents are unspecified but never read back as a result.
 *
 * Common statuses: INVALID_ARGUMENT for NULL data with a non-zero size or a
 * bad enum/pointer, DIMENSION for ld < cols, mismatched shapes or a size
 * beyond the 32-bit BLAS integer, NONFINITE for NaN/Inf in what is read
 * (the message names the argument, position and value), NOMEM when a
 * workspace cannot be allocated. Empty (0-sized) operands are accepted and
 * give the mathematically natural result, stated per routine. */
#ifndef SHEAF_LINALG_H
#define SHEAF_LINALG_H

#include "sheaf_core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A row-major matrix view (not owning its data). */
typedef struct sheaf_matrix {
    double *data;
    size_t rows, cols, ld;
} sheaf_matrix;

/* A vector view: element i is data[i * inc], inc >= 1. */
typedef struct sheaf_vector {
    double *data;
    size_t len, inc;
} sheaf_vector;

/* Which operand a routine transposes. */
typedef enum sheaf_transpose { SHEAF_NO_TRANS = 0, SHEAF_TRANS = 1 } sheaf_transpose;

/* A dense view of rows x cols with ld = cols. */
SHEAF_API sheaf_matrix sheaf_matrix_view(double *data, size_t rows, size_t cols);
/* A contiguous vector view (inc = 1). */
SHEAF_API sheaf_vector sheaf_vector_view(double *data, size_t len);

/* C = alpha op(A) op(B) + beta C. DIMENSION on a shape mismatch, NONFINITE
 * if A, B (or C when beta != 0) hold NaN/Inf, alpha or beta is not finite,
 * or the product overflows. With beta = 0, C is not read. An empty inner
 * dimension gives C = beta C; an empty C does nothing. C must not overlap A
 * or B (INVALID_ARGUMENT). Allocates nothing. */
SHEAF_API sheaf_status sheaf_linalg_gemm(sheaf_transpose ta, sheaf_transpose tb, double alpha,
                                         sheaf_matrix a, sheaf_matrix b, double beta,
                                         sheaf_matrix c);

/* y = alpha op(A) x + beta y. Errors and empty cases as gemm; y must not
 * overlap A or x. */
SHEAF_API sheaf_status sheaf_linalg_gemv(sheaf_transpose ta, double alpha, sheaf_matrix a,
                                         sheaf_vector x, double beta, sheaf_vector y);

/* C = alpha op(A) op(A)' + beta C with C square and filled on both
 * triangles (ta = SHEAF_TRANS gives the Gram matrix A'A). When beta != 0
 * only C's lower triangle is read. Errors and empty cases as gemm. */
SHEAF_API sheaf_status sheaf_linalg_syrk(sheaf_transpose ta, double alpha, sheaf_matrix a,
                                         double beta, sheaf_matrix c);

/* In place: A (symmetric positive definite, lower triangle read) becomes its
 * Cholesky factor L with A = L L'; the strict upper triangle is zeroed.
 * SINGULAR names the leading minor that is not positive (A is then partly
 * overwritten). 0x0 succeeds. Allocates nothing. */
SHEAF_API sheaf_status sheaf_linalg_cholesky(sheaf_matrix a);

/* Solves L L' X = B in place of B, given the factor from
 * sheaf_linalg_cholesky (lower triangle read). SINGULAR if a diagonal entry
 * of L is not > 0; NONFINITE if the solution overflows. B must not overlap
 * L. Allocates nothing. */
SHEAF_API sheaf_status sheaf_linalg_cholesky_solve(sheaf_matrix l, sheaf_matrix b);

/* Least squares min ||A X - B|| by QR with column pivoting (LAPACK dgelsy):
 * columns whose pivot falls below rcond * the largest are treated as
 * dependent, and X is the minimum-norm solution. A is rows x cols (not
 * modified), B rows x nrhs, X cols x nrhs; *rank receives the numerical
 * rank (rank may be NULL). rcond <= 0 means cols * machine epsilon; a NaN or
 * infinite rcond is INVALID_ARGUMENT. X may overlap A or B (both are copied
 * first). No rows or no columns give X = 0 and rank 0. Allocates four
 * workspaces (NOMEM if one fails). */
SHEAF_API sheaf_status sheaf_linalg_lstsq(sheaf_matrix a, sheaf_matrix b, double rcond,
                                          sheaf_matrix x, size_t *rank);

/* Eigenvalues (ascending) of the symmetric A (lower triangle read) into
 * values (n); if vectors.data is not NULL it receives the orthonormal
 * eigenvectors as columns (n x n), sign as LAPACK leaves it; vectors must
 * not overlap values. A is not modified. NO_CONVERGENCE if LAPACK dsyevd
 * fails to converge. */
SHEAF_API sheaf_status sheaf_linalg_eigh(sheaf_matrix a, sheaf_vector values, sheaf_matrix vectors);

/* Eigenvalues of a general square A as (re[i], im[i]), in LAPACK's order;
 * complex pairs are adjacent, positive imaginary part first. re and im must
 * not overlap. NO_CONVERGENCE if the QR algorithm (dgeev) fails. */
SHEAF_API sheaf_status sheaf_linalg_eig(sheaf_matrix a, sheaf_vector re, sheaf_vector im);

/* Roots of c[0] + c[1] z + ... + c[degree] z^degree through the eigenvalues
 * of the companion matrix, as numpy.roots; c[degree] must be non-zero
 * (INVALID_ARGUMENT otherwise). re, im: degree (may be NULL for degree 0).
 * Zero low-order coefficients c[0..k) give k exact zero roots, placed last. */
SHEAF_API sheaf_status sheaf_linalg_poly_roots(const double *c, size_t degree, double *re,
                                               double *im);

/* inv = A^-1 for symmetric positive-definite A (lower triangle read); inv is
 * filled on both triangles and may alias A (the same data and ld; any other
 * overlap is INVALID_ARGUMENT). SINGULAR if A is not PD or the inverse
 * overflows; in place, A is then destroyed. Allocates nothing. */
SHEAF_API sheaf_status sheaf_linalg_spd_inverse(sheaf_matrix a, sheaf_matrix inv);

/* log det A for symmetric positive-definite A (lower triangle read), by
 * Cholesky on a copy; SINGULAR if A is not PD. 0x0 gives 0. */
SHEAF_API sheaf_status sheaf_linalg_logdet_spd(sheaf_matrix a, double *logdet);

/* log |det A| and its sign (+1 or -1) for general square A, by LU on a
 * copy. SINGULAR if A is exactly singular. 0x0 gives 0 and +1. */
SHEAF_API sheaf_status sheaf_linalg_logdet(sheaf_matrix a, double *logabsdet, double *sign);

/* ---- distributions (GSL) -------------------------------------------------
 * cdf = P(X <= x), sf = P(X > x) computed directly (no 1 - cdf cancellation),
 * quantile = inverse cdf for p in [0, 1]. Bad parameters (df <= 0 or
 * infinite, NaN x or df, p outside [0, 1]) give INVALID_ARGUMENT naming the
 * value; out must not be NULL. x = +-inf is allowed. Boundaries as scipy:
 * quantile(0) is -inf (normal, t) or 0 (chi2, F), quantile(1) is +inf.
 * NO_CONVERGENCE if GSL cannot produce a value (for instance a quantile
 * beyond the double range); NaN is never returned. The first call
 * switches GSL's abort-on-error handler off for the whole process: a library
 * inside Python must never abort. */
SHEAF_API sheaf_status sheaf_dist_normal_cdf(double x, double *out);
SHEAF_API sheaf_status sheaf_dist_normal_sf(double x, double *out);
SHEAF_API sheaf_status sheaf_dist_normal_quantile(double p, double *out);
SHEAF_API sheaf_status sheaf_dist_t_cdf(double x, double df, double *out);
SHEAF_API sheaf_status sheaf_dist_t_sf(double x, double df, double *out);
SHEAF_API sheaf_status sheaf_dist_t_quantile(double p, double df, double *out);
SHEAF_API sheaf_status sheaf_dist_chi2_cdf(double x, double df, double *out);
SHEAF_API sheaf_status sheaf_dist_chi2_sf(double x, double df, double *out);
SHEAF_API sheaf_status sheaf_dist_chi2_quantile(double p, double df, double *out);
SHEAF_API sheaf_status sheaf_dist_f_cdf(double x, double df1, double df2, double *out);
SHEAF_API sheaf_status sheaf_dist_f_sf(double x, double df1, double df2, double *out);
SHEAF_API sheaf_status sheaf_dist_f_quantile(double p, double df1, double df2, double *out);

#ifdef __cplusplus
}
#endif
#endif
