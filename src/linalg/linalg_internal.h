/* linalg_internal.h - argument checks shared by the src/linalg files. Each
 * check names the calling function (fn) and the argument (name) in its
 * message, so a failure reads "sheaf_linalg_gemm: A has ld 2 < cols 3". */
#ifndef SH_LINALG_INTERNAL_H
#define SH_LINALG_INTERNAL_H

#include "core/internal.h"
#include "sheaf_linalg.h"

#include <omp.h>

/* A view with data non-NULL whenever it has elements, ld >= cols, and rows,
 * cols and ld within the 32-bit BLAS integer. */
sheaf_status sh_linalg_check_matrix(const char *fn, const char *name, sheaf_matrix m);

/* As sh_linalg_check_matrix, and rows == cols. */
sheaf_status sh_linalg_check_square(const char *fn, const char *name, sheaf_matrix m);

/* A vector with data non-NULL whenever len > 0, inc >= 1, len and inc within
 * the BLAS integer. */
sheaf_status sh_linalg_check_vector(const char *fn, const char *name, sheaf_vector v);

/* NONFINITE naming the first NaN/Inf in row-major order. */
sheaf_status sh_linalg_check_finite(const char *fn, const char *name, sheaf_matrix m);

/* Runs the BLAS/LAPACK call(s) on the calling thread alone. OpenBLAS (OpenMP
 * build) sizes its team by omp_get_max_threads() and its blocking, hence
 * its rounding, follows the team; with one thread every result is the same
 * whatever OMP_NUM_THREADS or the machine's cores. The ICV set here belongs
 * to the calling task and is restored at once, so callers see no change.
 * These are small dense problems; the parallelism is across partitions. */
static inline int sh_blas_serial_begin(void)
{
    int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    return threads;
}
static inline void sh_blas_serial_end(int threads) { omp_set_num_threads(threads); }
#define SH_BLAS_SERIAL(...)                                                                        \
    do {                                                                                           \
        int sh_blas_threads_ = sh_blas_serial_begin();                                             \
        __VA_ARGS__;                                                                               \
        sh_blas_serial_end(sh_blas_threads_);                                                      \
    } while (0)

/* As sh_linalg_check_finite, over the lower triangle (diagonal included). */
sheaf_status sh_linalg_check_finite_lower(const char *fn, const char *name, sheaf_matrix m);

/* As sh_linalg_check_finite, for a vector. */
sheaf_status sh_linalg_check_finite_vector(const char *fn, const char *name, sheaf_vector v);

/* INVALID_ARGUMENT unless t is SHEAF_NO_TRANS or SHEAF_TRANS. */
sheaf_status sh_linalg_check_trans(const char *fn, const char *name, sheaf_transpose t);

/* true when the memory the two views span overlaps. */
bool sh_linalg_overlap(sheaf_matrix a, sheaf_matrix b);

/* The matrix view of a vector: len x 1 with ld = inc. */
sheaf_matrix sh_linalg_vector_as_matrix(sheaf_vector v);

/* Copies the lower triangle of the square src into dst and the mirror of it
 * into dst's upper triangle (dst may be src). */
void sh_linalg_copy_lower_symmetric(sheaf_matrix src, sheaf_matrix dst);

/* Eigenvalues of the n x n column-major a (overwritten) into wr, wi by LAPACK
 * dgeev, with the workspace allocated here. Statuses: NOMEM,
 * NO_CONVERGENCE, INTERNAL, each naming fn. */
sheaf_status sh_linalg_geev_values(const char *fn, double *a, size_t n, double *wr, double *wi);

#endif
