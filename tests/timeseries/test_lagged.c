/* test_lagged.c - the merged R factor of a lagged design (src/timeseries/
 * lagged.h) and regressions on column subsets (src/linalg/qr.h), against a
 * direct Householder QR and least squares on the explicit design built here:
 * for 1, 3 and 16 partitions (the halo rows), each deterministic-term
 * choice, bit-identity across thread counts, and the bad inputs. */
#include "linalg/qr.h"
#include "sheaf.h"
#include "timeseries/lagged.h"

#include <criterion/criterion.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define T_LEN 503
#define K 3
#define P 4

static double series[T_LEN * K];

/* A stable VAR(1) with Gaussian innovations from the seeded generator. */
static void fill_series(void)
{
    sheaf_rng g;
    sheaf_rng_init(&g, 5, 0, 0, 0);
    double a = 0.0, b = 0.0, c = 0.0;
    for (size_t t = 0; t < T_LEN; t++) {
        double na = 0.5 * a + 0.1 * b + sheaf_rng_normal(&g, 0.0, 1.0);
        double nb = 0.2 * a - 0.4 * b + 0.3 * c + sheaf_rng_normal(&g, 0.0, 1.0);
        double nc = 0.6 * c + 0.05 * a + 3.0 + sheaf_rng_normal(&g, 0.0, 1.0);
        a = na;
        b = nb;
        c = nc;
        series[t * K] = a;
        series[t * K + 1] = b;
        series[t * K + 2] = c;
    }
}

static sh_lagged spec_with(sh_trend trend)
{
    sh_lagged s = {series, T_LEN, K, K, P, P, trend, P, 0};
    return s;
}

/* The explicit design, column-major (rows t0..T-1). */
static double *design(const sh_lagged *s, size_t *rows)
{
    size_t d = sh_lagged_width(s), n = s->T - s->t0;
    double *z = calloc(n * d, sizeof *z);
    for (size_t i = 0; i < n; i++) {
        size_t t = s->t0 + i;
        double tt = (double)(i + 1);
        if (s->trend >= SH_TREND_C) z[i] = 1.0;
        if (s->trend >= SH_TREND_CT) z[n + i] = tt;
        if (s->trend >= SH_TREND_CTT) z[2 * n + i] = tt * tt;
        for (size_t lag = 0; lag <= s->max_lag; lag++)
            for (size_t j = 0; j < s->k; j++)
                z[sh_lagged_column(s, j, lag) * n + i] = s->y[(t - lag) * s->ld + j];
    }
    *rows = n;
    return z;
}

static double *direct_r(const sh_lagged *s)
{
    size_t n, d = sh_lagged_width(s);
    double *z = design(s, &n), *tau = calloc(d, sizeof *tau), *r = calloc(d * d, sizeof *r);
    cr_assert_eq(LAPACKE_dgeqrf(LAPACK_COL_MAJOR, (int)n, (int)d, z, (int)n, tau), 0);
    for (size_t c = 0; c < d; c++)
        for (size_t i = 0; i <= c; i++)
            r[c * d + i] = z[c * n + i];
    for (size_t i = 0; i < d; i++)
        if (r[i * d + i] < 0.0)
            for (size_t c = i; c < d; c++)
                r[c * d + i] = -r[c * d + i];
    free(z);
    free(tau);
    return r;
}

static sheaf_ctx *ctx_with(int threads)
{
    sheaf_ctx *ctx = NULL;
    cr_assert_eq(sheaf_ctx_create(&ctx), SHEAF_OK);
    cr_assert_eq(sheaf_ctx_set_threads(ctx, threads), SHEAF_OK);
    return ctx;
}

static double *merged_r(const sh_lagged *s, size_t parts, int threads)
{
    size_t d = sh_lagged_width(s);
    double *r = calloc(4 * d * d, sizeof *r);
    sheaf_ctx *ctx = ctx_with(threads);
    cr_assert_eq(sh_lagged_qr(ctx, s, parts, r, "test"), SHEAF_OK, "%s", sheaf_last_error());
    sheaf_ctx_free(ctx);
    return r;
}

Test(lagged, the_merged_factor_equals_a_direct_qr_for_1_3_and_16_partitions)
{
    fill_series();
    for (int trend = SH_TREND_N; trend <= SH_TREND_CTT; trend++) {
        sh_lagged s = spec_with((sh_trend)trend);
        size_t d = sh_lagged_width(&s);
        double *want = direct_r(&s), scale = 0.0;
        for (size_t i = 0; i < d * d; i++)
            scale = fmax(scale, fabs(want[i]));
        size_t parts[] = {1, 3, 16};
        for (size_t q = 0; q < 3; q++) {
            double *got = merged_r(&s, parts[q], 2);
            for (size_t c = 0; c < d; c++)
                for (size_t i = 0; i <= c; i++)
                    cr_assert(fabs(got[c * d + i] - want[c * d + i]) <= 1e-12 * scale,
                              "trend %d, %zu parts: R[%zu,%zu] = %.17g, want %.17g", trend,
                              parts[q], i, c, got[c * d + i], want[c * d + i]);
            free(got);
        }
        free(want);
    }
}

Test(lagged, thread_counts_give_the_same_bits)
{
    fill_series();
    sh_lagged s = spec_with(SH_TREND_CT);
    size_t d = sh_lagged_width(&s);
    double *one = merged_r(&s, 16, 1);
    for (int threads = 2; threads <= 4; threads *= 2) {
        double *other = merged_r(&s, 16, threads);
        cr_assert(memcmp(one, other, d * d * sizeof *one) == 0, "%d threads differ", threads);
        free(other);
    }
    free(one);
}

Test(lagged, a_subset_regression_from_the_factor_equals_least_squares_on_the_rows)
{
    fill_series();
    sh_lagged s = spec_with(SH_TREND_C);
    size_t d = sh_lagged_width(&s), n;
    double *r = merged_r(&s, 7, 2), *z = design(&s, &n);
    /* series 0 on a constant, its own lags 1..2 and series 2's lags 1..2 */
    size_t cols[] = {0, sh_lagged_column(&s, 0, 1), sh_lagged_column(&s, 0, 2),
                     sh_lagged_column(&s, 2, 1), sh_lagged_column(&s, 2, 2)};
    size_t nc = 5, y = sh_lagged_column(&s, 0, 0);
    double beta[5], ssr = 0.0, *work = malloc(sh_qr_subset_work(d, nc) * sizeof(double));
    cr_assert_eq(sh_qr_subset_fit(r, d, d, cols, nc, y, beta, &ssr, NULL, work), SHEAF_OK, "%s",
                 sheaf_last_error());
    /* reference: lstsq on the explicit columns (row-major view) */
    double *xs = malloc(n * nc * sizeof *xs), *yy = malloc(n * sizeof *yy), want[5];
    for (size_t i = 0; i < n; i++) {
        for (size_t c = 0; c < nc; c++)
            xs[i * nc + c] = z[cols[c] * n + i];
        yy[i] = z[y * n + i];
    }
    sheaf_matrix a = sheaf_matrix_view(xs, n, nc), b = sheaf_matrix_view(yy, n, 1),
                 x = sheaf_matrix_view(want, nc, 1);
    cr_assert_eq(sheaf_linalg_lstsq(a, b, 0.0, x, NULL), SHEAF_OK, "%s", sheaf_last_error());
    double want_ssr = 0.0;
    for (size_t i = 0; i < n; i++) {
        double e = z[y * n + i];
        for (size_t c = 0; c < nc; c++)
            e -= xs[i * nc + c] * want[c];
        want_ssr += e * e;
    }
    for (size_t c = 0; c < nc; c++)
        cr_assert(fabs(beta[c] - want[c]) <= 1e-10 * fabs(want[c]) + 1e-13,
                  "beta[%zu] %.17g vs %.17g", c, beta[c], want[c]);
    cr_assert(fabs(ssr - want_ssr) <= 1e-10 * want_ssr, "ssr %.17g vs %.17g", ssr, want_ssr);
    free(r);
    free(z);
    free(work);
    free(xs);
    free(yy);
}

Test(lagged, collinear_regressors_are_named)
{
    fill_series();
    sh_lagged s = spec_with(SH_TREND_C);
    size_t d = sh_lagged_width(&s);
    double *r = merged_r(&s, 3, 2), beta[3], ssr;
    size_t cols[] = {0, sh_lagged_column(&s, 1, 1), sh_lagged_column(&s, 1, 1)};
    double *work = malloc(sh_qr_subset_work(d, 3) * sizeof(double));
    cr_assert_eq(
        sh_qr_subset_fit(r, d, d, cols, 3, sh_lagged_column(&s, 0, 0), beta, &ssr, NULL, work),
        SHEAF_ERR_SINGULAR);
    cr_assert(strstr(sheaf_last_error(), "collinear") != NULL, "%s", sheaf_last_error());
    free(work);
    free(r);
}

Test(lagged, bad_inputs_are_named)
{
    fill_series();
    double saved = series[100 * K + 2];
    series[100 * K + 2] = NAN;
    sh_lagged s = spec_with(SH_TREND_C);
    size_t d = sh_lagged_width(&s);
    double *r = calloc(4 * d * d, sizeof *r);
    cr_assert_eq(sh_lagged_qr(NULL, &s, 4, r, "test"), SHEAF_ERR_NONFINITE);
    cr_assert(strstr(sheaf_last_error(), "series 2 at row 100") != NULL, "%s", sheaf_last_error());
    series[100 * K + 2] = saved;
    s.t0 = 2; /* below the lag order */
    cr_assert_eq(sh_lagged_qr(NULL, &s, 4, r, "test"), SHEAF_ERR_INVALID_ARGUMENT);
    s.t0 = T_LEN;
    cr_assert_eq(sh_lagged_qr(NULL, &s, 4, r, "test"), SHEAF_ERR_INVALID_ARGUMENT);
    cr_assert(strstr(sheaf_last_error(), "no sample") != NULL, "%s", sheaf_last_error());
    free(r);
}

/* With y_t's columns last, every order's regression is a prefix of the
 * columns: sh_qr_prefix_fit must give what sh_qr_subset_fit gives for
 * the same regressors, for each order and each target series. */
Test(lagged, prefix_fits_equal_subset_fits_when_the_current_values_go_last)
{
    fill_series();
    sh_lagged s = spec_with(SH_TREND_CT);
    s.current_last = 1;
    size_t d = sh_lagged_width(&s);
    cr_assert_eq(sh_lagged_column(&s, 0, 1), 2);
    cr_assert_eq(sh_lagged_column(&s, 2, 0), 2 + P * K + 2);
    double *r = malloc(4 * d * d * sizeof *r),
           *work = malloc(sh_qr_subset_work(d, d) * sizeof *work);
    double beta[K * (2 + P * K)], rss[K * K], b1[2 + P * K], ssr1 = 0.0;
    size_t cols[2 + P * K], targets[K];
    cr_assert_eq(sh_lagged_qr(NULL, &s, 3, r, "test"), SHEAF_OK, "%s", sheaf_last_error());
    for (size_t i = 0; i < K; i++)
        targets[i] = sh_lagged_column(&s, i, 0);
    for (size_t p = 1; p <= P; p++) {
        size_t m = 2 + p * K;
        for (size_t c = 0; c < m; c++)
            cols[c] = c;
        cr_assert_eq(sh_qr_prefix_fit(r, d, m, targets, K, beta, rss, "test"), SHEAF_OK);
        for (size_t i = 0; i < K; i++) {
            cr_assert_eq(sh_qr_subset_fit(r, d, d, cols, m, targets[i], b1, &ssr1, NULL, work),
                         SHEAF_OK);
            cr_assert(fabs(rss[i * K + i] - ssr1) <= 1e-12 * ssr1, "p %zu series %zu", p, i);
            for (size_t c = 0; c < m; c++)
                cr_assert(fabs(beta[i * m + c] - b1[c]) <= 1e-10 * (fabs(b1[c]) + 1e-3));
        }
    }
    /* a collinear prefix: a repeated regressor column is named */
    double *r2 = calloc(9, sizeof *r2);
    r2[0] = 1.0;
    r2[3] = 1.0; /* column 1 = column 0, zero diagonal */
    r2[8] = 2.0;
    size_t t2 = 2;
    cr_assert_eq(sh_qr_prefix_fit(r2, 3, 2, &t2, 1, NULL, rss, "test"), SHEAF_ERR_SINGULAR);
    cr_assert(strstr(sheaf_last_error(), "regressor 1 is collinear"), "%s", sheaf_last_error());
    free(r2);
    free(r);
    free(work);
}
