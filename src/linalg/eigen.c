/* eigen.c - eigenvalues of symmetric (with eigenvectors) and general square
 * matrices. Method: LAPACK dsyevd (tridiagonal reduction and divide and
 * conquer) and dgeev (Hessenberg reduction and the shifted QR algorithm),
 * the routines numpy.linalg.eigh and eigvals call, on copies with workspace
 * sized by LAPACK's own query and allocated through sh_malloc so every
 * allocation can be failed in tests. A row-major lower triangle is the
 * column-major upper one, so the symmetric copy needs no transpose; the
 * general copy is transposed so LAPACK sees A itself and returns its
 * eigenvalues in the same order as numpy. */
#include "linalg_internal.h"

#include <lapacke.h>
#include <string.h>

sheaf_status sh_linalg_geev_values(const char *fn, double *a, size_t n, double *wr, double *wi)
{
    sheaf_status st;
    double *work = NULL, query = 0.0, dummy = 0.0;
    lapack_int info;
    SH_BLAS_SERIAL(info =
                       LAPACKE_dgeev_work(LAPACK_COL_MAJOR, 'N', 'N', (lapack_int)n, a,
                                          (lapack_int)n, wr, wi, &dummy, 1, &dummy, 1, &query, -1));
    if (info != 0)
        return sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dgeev workspace query failed (info %d)", fn,
                       (int)info);
    size_t lwork = query < 1.0 ? 1 : (size_t)query;
    work = sh_malloc_array(lwork, sizeof *work);
    if (work == NULL) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for %zu doubles of LAPACK workspace", fn,
                     lwork);
        goto done;
    }
    SH_BLAS_SERIAL(info = LAPACKE_dgeev_work(LAPACK_COL_MAJOR, 'N', 'N', (lapack_int)n, a,
                                             (lapack_int)n, wr, wi, &dummy, 1, &dummy, 1, work,
                                             (lapack_int)lwork));
    if (info > 0) {
        st = sh_fail(SHEAF_ERR_NO_CONVERGENCE,
                     "%s: the QR algorithm did not converge (%zu of %zu eigenvalues found)", fn,
                     n - (size_t)info, n);
        goto done;
    }
    if (info < 0) {
        st = sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dgeev rejected argument %d", fn, (int)-info);
        goto done;
    }
    st = SHEAF_OK;
done:
    sh_free(work);
    return st;
}

sheaf_status sheaf_linalg_eigh(sheaf_matrix a, sheaf_vector values, sheaf_matrix vectors)
{
    static const char fn[] = "sheaf_linalg_eigh";
    sheaf_status st;
    double *w = NULL, *ev = NULL, *work = NULL;
    lapack_int *iwork = NULL;
    bool want_vectors = vectors.data != NULL;

    if ((st = sh_linalg_check_square(fn, "A", a)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_vector(fn, "values", values)) != SHEAF_OK) return st;
    size_t n = a.rows;
    if (values.len != n)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: values has length %zu but A is %zux%zu", fn,
                       values.len, n, n);
    if (want_vectors) {
        if ((st = sh_linalg_check_matrix(fn, "vectors", vectors)) != SHEAF_OK) return st;
        if (vectors.rows != n || vectors.cols != n)
            return sh_fail(SHEAF_ERR_DIMENSION, "%s: vectors is %zux%zu but A is %zux%zu", fn,
                           vectors.rows, vectors.cols, n, n);
        if (sh_linalg_overlap(vectors, sh_linalg_vector_as_matrix(values)))
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: vectors overlaps values in memory", fn);
    }
    if ((st = sh_linalg_check_finite_lower(fn, "A", a)) != SHEAF_OK) return st;
    if (n == 0) return SHEAF_OK;

    char jobz = want_vectors ? 'V' : 'N';
    w = sh_malloc_array(n * n, sizeof *w);
    ev = sh_malloc_array(n, sizeof *ev);
    if (w == NULL || ev == NULL) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for a %zux%zu copy of A", fn, n, n);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        memcpy(w + i * n, a.data + i * a.ld, n * sizeof *w);

    double query = 0.0;
    lapack_int iquery = 0;
    lapack_int info;
    SH_BLAS_SERIAL(info = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, jobz, 'U', (lapack_int)n, w,
                                              (lapack_int)n, ev, &query, -1, &iquery, -1));
    if (info != 0) {
        st = sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dsyevd workspace query failed (info %d)", fn,
                     (int)info);
        goto done;
    }
    size_t lwork = query < 1.0 ? 1 : (size_t)query;
    size_t liwork = iquery < 1 ? 1 : (size_t)iquery;
    work = sh_malloc_array(lwork, sizeof *work);
    iwork = sh_malloc_array(liwork, sizeof *iwork);
    if (work == NULL || iwork == NULL) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for LAPACK workspace (%zu doubles, %zu ints)",
                     fn, lwork, liwork);
        goto done;
    }
    SH_BLAS_SERIAL(info = LAPACKE_dsyevd_work(LAPACK_COL_MAJOR, jobz, 'U', (lapack_int)n, w,
                                              (lapack_int)n, ev, work, (lapack_int)lwork, iwork,
                                              (lapack_int)liwork));
    if (info > 0) {
        st = sh_fail(SHEAF_ERR_NO_CONVERGENCE,
                     "%s: the divide-and-conquer iteration did not converge (info %d)", fn,
                     (int)info);
        goto done;
    }
    if (info < 0) {
        st = sh_fail(SHEAF_ERR_INTERNAL, "%s: LAPACK dsyevd rejected argument %d", fn, (int)-info);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        values.data[i * values.inc] = ev[i];
    /* Column j of the column-major result is eigenvector j. */
    if (want_vectors)
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < n; j++)
                vectors.data[i * vectors.ld + j] = w[j * n + i];
    st = SHEAF_OK;
done:
    sh_free(iwork);
    sh_free(work);
    sh_free(ev);
    sh_free(w);
    return st;
}

sheaf_status sheaf_linalg_eig(sheaf_matrix a, sheaf_vector re, sheaf_vector im)
{
    static const char fn[] = "sheaf_linalg_eig";
    sheaf_status st;
    double *w = NULL, *wr = NULL;

    if ((st = sh_linalg_check_square(fn, "A", a)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_vector(fn, "re", re)) != SHEAF_OK) return st;
    if ((st = sh_linalg_check_vector(fn, "im", im)) != SHEAF_OK) return st;
    size_t n = a.rows;
    if (re.len != n || im.len != n)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: %s has length %zu but A is %zux%zu", fn,
                       re.len != n ? "re" : "im", re.len != n ? re.len : im.len, n, n);
    if (sh_linalg_overlap(sh_linalg_vector_as_matrix(re), sh_linalg_vector_as_matrix(im)))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: re overlaps im in memory", fn);
    if ((st = sh_linalg_check_finite(fn, "A", a)) != SHEAF_OK) return st;
    if (n == 0) return SHEAF_OK;

    w = sh_malloc_array(n * n, sizeof *w);
    wr = sh_malloc_array(2 * n, sizeof *wr);
    if (w == NULL || wr == NULL) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for a %zux%zu copy of A", fn, n, n);
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            w[j * n + i] = a.data[i * a.ld + j];
    if ((st = sh_linalg_geev_values(fn, w, n, wr, wr + n)) != SHEAF_OK) goto done;
    for (size_t i = 0; i < n; i++) {
        re.data[i * re.inc] = wr[i];
        im.data[i * im.inc] = wr[n + i];
    }
    st = SHEAF_OK;
done:
    sh_free(wr);
    sh_free(w);
    return st;
}
