/* arima_kalman_ops.h - the Kalman filter's matrix steps, written once for
 * two number types: arima_kalman.c includes this file twice, with REAL
 * double (OPS(name) = name_d) and long double (name_ld). The long-double
 * copy runs only while approximately diffuse states (variance 1e6) are in
 * the state: updating them subtracts 1e6-sized terms whose difference is
 * the data's scale, which leaves double-rounding noise of 1e-9 relative in
 * the log-likelihood of small-scale series - enough to stall the
 * optimiser's finite-difference gradients. Internal; no include guard on
 * purpose. */

/* x <- T x (m values; scratch m values). */
static void OPS(apply_t)(const sh_arima_filter *f, REAL *x, REAL *scratch)
{
    size_t m = f->dims.m;
    for (size_t i = 0; i < m; i++) {
        REAL v = 0;
        for (size_t e = f->row_start[i]; e < f->row_start[i + 1]; e++)
            v += f->val[e] * x[f->col[e]];
        scratch[i] = v;
    }
    memcpy(x, scratch, m * sizeof(REAL));
}

/* Pn = T P T' + sigma2 R R', symmetric (W: m x m scratch). T has at most
 * k + 2 entries per row, so this is O(nnz(T) m), not O(m^3). */
static void OPS(predict_cov)(const sh_arima_filter *f, const REAL *P, REAL *Pn, REAL *W,
                             double sigma2)
{
    size_t m = f->dims.m, kd = f->dims.kd;
    for (size_t i = 0; i < m; i++) { /* W = T P, row by row */
        REAL *wi = W + i * m;
        memset(wi, 0, m * sizeof(REAL));
        for (size_t e = f->row_start[i]; e < f->row_start[i + 1]; e++) {
            REAL v = f->val[e];
            if (v == 0) continue;
            const REAL *pr = P + f->col[e] * m;
            for (size_t c = 0; c < m; c++)
                wi[c] += v * pr[c];
        }
    }
    for (size_t i = 0; i < m; i++) { /* Pn = W T', lower triangle, mirrored */
        const REAL *wi = W + i * m;
        for (size_t j = 0; j <= i; j++) {
            REAL v = 0;
            for (size_t e = f->row_start[j]; e < f->row_start[j + 1]; e++)
                v += f->val[e] * wi[f->col[e]];
            if (i >= kd && j >= kd) v += sigma2 * f->R[i] * f->R[j];
            Pn[i * m + j] = v;
            Pn[j * m + i] = v;
        }
    }
}

/* Z x: Z holds ones at z_idx. */
static REAL OPS(zdot)(const sh_arima_filter *f, const REAL *x)
{
    REAL v = 0;
    for (size_t i = 0; i < f->nz; i++)
        v += x[f->z_idx[i]];
    return v;
}

/* PZ = P Z' and F = Z P Z'. */
static REAL OPS(gain)(const sh_arima_filter *f, const REAL *P, REAL *PZ)
{
    size_t m = f->dims.m;
    for (size_t i = 0; i < m; i++) {
        REAL s = 0;
        for (size_t z = 0; z < f->nz; z++)
            s += P[i * m + f->z_idx[z]];
        PZ[i] = s;
    }
    return OPS(zdot)(f, PZ);
}

/* The measurement update: a += PZ v / F and, unless frozen, P -= PZ PZ' / F. */
static void OPS(update)(const sh_arima_filter *f, REAL *a, REAL *P, const REAL *PZ, REAL v, REAL F,
                        bool frozen)
{
    size_t m = f->dims.m;
    REAL g = v / F;
    for (size_t i = 0; i < m; i++)
        a[i] += PZ[i] * g;
    if (frozen) return;
    for (size_t i = 0; i < m; i++) {
        REAL c = PZ[i] / F;
        for (size_t j = 0; j < m; j++)
            P[i * m + j] -= c * PZ[j];
    }
}
