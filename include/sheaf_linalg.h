/* sheaf_linalg.h - a thin, checked layer over CBLAS and LAPACKE, plus the
 * distribution functions every test statistic needs (GSL underneath).
 *
 * Matrices are row-major views: element (i, j) is data[i * ld + j], with
 * ld >= cols. Every routine checks shapes, finiteness of its inputs and the
 * 32-bit BLAS integer limit, and returns a status with a message instead of
 * crashing or producing NaN. Outputs are caller-allocated views; on failure
 * their contents are unspecified but never read back as a result. */
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
 * if A, B (or C when beta != 0) hold NaN/Inf. */
SHEAF_API sheaf_status sheaf_linalg_gemm(sheaf_transpose ta, sheaf_transpose tb, double alpha,
                                         sheaf_matrix a, sheaf_matrix b, double beta,
                                         sheaf_matrix c);

/* y = alpha op(A) x + beta y. Errors as gemm. */
SHEAF_API sheaf_status sheaf_linalg_gemv(sheaf_transpose ta, double alpha, sheaf_matrix a,
                                         sheaf_vector x, double beta, sheaf_vector y);

/* C = alpha op(A) op(A)' + beta C with C square and filled on both
 * triangles (ta = SHEAF_TRANS gives the Gram matrix A'A). */
SHEAF_API sheaf_status sheaf_linalg_syrk(sheaf_transpose ta, double alpha, sheaf_matrix a,
                                         double beta, sheaf_matrix c);

/* In place: A (symmetric positive definite, lower triangle read) becomes its
 * Cholesky factor L with A = L L'; the strict upper triangle is zeroed.
 * SINGULAR names the leading minor that is not positive. */
SHEAF_API sheaf_status sheaf_linalg_cholesky(sheaf_matrix a);

/* Solves L L' X = B in place of B, given the factor from
 * sheaf_linalg_cholesky. */
SHEAF_API sheaf_status sheaf_linalg_cholesky_solve(sheaf_matrix l, sheaf_matrix b);

/* Least squares min ||A X - B|| by QR with column pivoting (LAPACK dgelsy):
 * columns whose pivot falls below rcond * the largest are treated as
 * dependent, and X is the minimum-norm solution. A is rows x cols (not
 * modified), B rows x nrhs, X cols x nrhs; *rank receives the numerical
 * rank. rcond <= 0 means cols * machine epsilon. */
SHEAF_API sheaf_status sheaf_linalg_lstsq(sheaf_matrix a, sheaf_matrix b, double rcond,
                                          sheaf_matrix x, size_t *rank);

/* Eigenvalues (ascending) of the symmetric A (lower triangle read) into
 * values (n); if vectors.data is not NULL it receives the orthonormal
 * eigenvectors as columns (n x n). A is not modified. */
SHEAF_API sheaf_status sheaf_linalg_eigh(sheaf_matrix a, sheaf_vector values,
                                         sheaf_matrix vectors);

/* Eigenvalues of a general square A as (re[i], im[i]), in LAPACK's order;
 * complex pairs are adjacent, positive imaginary part first. */
SHEAF_API sheaf_status sheaf_linalg_eig(sheaf_matrix a, sheaf_vector re, sheaf_vector im);

/* Roots of c[0] + c[1] z + ... + c[degree] z^degree through the eigenvalues
 * of the companion matrix; c[degree] must be non-zero. re, im: degree. */
SHEAF_API sheaf_status sheaf_linalg_poly_roots(const double *c, size_t degree, double *re,
                                               double *im);

/* inv = A^-1 for symmetric positive-definite A (lower triangle read); inv is
 * filled on both triangles and may alias A. SINGULAR if A is not PD. */
SHEAF_API sheaf_status sheaf_linalg_spd_inverse(sheaf_matrix a, sheaf_matrix inv);

/* log det A for symmetric positive-definite A, by Cholesky. */
SHEAF_API sheaf_status sheaf_linalg_logdet_spd(sheaf_matrix a, double *logdet);

/* log |det A| and its sign (+1 or -1) for general square A, by LU.
 * SINGULAR if A is exactly singular. */
SHEAF_API sheaf_status sheaf_linalg_logdet(sheaf_matrix a, double *logabsdet, double *sign);

/* ---- distributions (GSL) -------------------------------------------------
 * cdf = P(X <= x), sf = P(X > x) computed directly (no 1 - cdf cancellation),
 * quantile = inverse cdf for p in [0, 1]. Bad parameters (df <= 0, NaN, p
 * outside [0, 1]) give INVALID_ARGUMENT naming the value. The first call
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
