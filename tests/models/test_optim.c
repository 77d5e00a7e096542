/* test_optim.c - the shared L-BFGS / OWL-QN minimiser (src/models/optim.h)
 * on problems whose minimum is known exactly: Rosenbrock, a strictly convex
 * quadratic solved by Cholesky, and lasso problems with an orthogonal design
 * (closed form by soft-thresholding) or checked by their optimality
 * conditions; then every way a run can end or fail. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "core/internal.h"
#include "models/optim.h"
#include "sheaf_linalg.h"

static void assert_fails(sheaf_status got, sheaf_status want, const char *fragment)
{
    cr_assert_eq(got, want, "status %s, want %s (message: %s)", sheaf_status_name(got),
                 sheaf_status_name(want), sheaf_last_error());
    cr_assert(strstr(sheaf_last_error(), fragment) != NULL, "message \"%s\" lacks \"%s\"",
              sheaf_last_error(), fragment);
}

static void assert_ok(sheaf_status got)
{
    cr_assert_eq(got, SHEAF_OK, "status %s: %s", sheaf_status_name(got), sheaf_last_error());
}

/* ---- Rosenbrock (More, Garbow & Hillstrom 1981, problem 21, "extended"):
 * f = sum over pairs (x_{2i}, x_{2i+1}) of 100 (x_{2i+1} - x_{2i}^2)^2 +
 * (1 - x_{2i})^2, minimum 0 at (1, ..., 1), standard start (-1.2, 1, ...). */
typedef struct rosen_arg {
    size_t n;
    size_t calls;
} rosen_arg;

static sheaf_status rosenbrock(void *arg, const double *x, double *f, double *g)
{
    rosen_arg *a = arg;
    a->calls++;
    double s = 0.0;
    for (size_t i = 0; i + 1 < a->n; i += 2) {
        double t = x[i + 1] - x[i] * x[i], u = 1.0 - x[i];
        s += 100.0 * t * t + u * u;
        g[i] = -400.0 * x[i] * t - 2.0 * u;
        g[i + 1] = 200.0 * t;
    }
    *f = s;
    return SHEAF_OK;
}

static void rosen_start(double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        x[i] = i % 2 == 0 ? -1.2 : 1.0;
}

/* Tight enough that the iterate is within 1e-8 of the minimum: near it the
 * Hessian's smallest eigenvalue is about 0.4, so |x - x*| ~ |g| / 0.4. */
static sh_lbfgs_params tight(void)
{
    sh_lbfgs_params p = sh_lbfgs_params_default();
    p.max_iter = 1000;
    p.ftol = 0.0;
    p.gtol = 1e-12;
    return p;
}

static void check_rosenbrock(size_t n, size_t memory)
{
    double x[10], history[1001];
    rosen_start(x, n);
    rosen_arg a = {n, 0};
    sh_lbfgs_params p = tight();
    p.memory = memory;
    sh_optim_result r = {.history = history};
    assert_ok(sh_lbfgs_minimize(rosenbrock, &a, n, x, &p, &r));
    cr_assert(r.converged, "reason %s after %zu iterations", r.reason, r.iterations);
    for (size_t i = 0; i < n; i++)
        cr_assert(fabs(x[i] - 1.0) <= 1e-8, "x[%zu] = %.17g", i, x[i]);
    cr_assert(r.f <= 1e-16, "f = %g", r.f);
    cr_assert_eq(r.evaluations, a.calls);
    double g0[10], f0;
    rosen_start(g0, n);
    rosenbrock(&a, g0, &f0, g0);
    cr_assert_eq(history[0], f0);
    for (size_t k = 1; k <= r.iterations; k++)
        cr_assert(history[k] < history[k - 1], "history rises at step %zu", k);
    cr_assert_eq(history[r.iterations], r.f);
}

Test(optim_lbfgs, finds_the_rosenbrock_minimum_in_two_dimensions) { check_rosenbrock(2, 10); }

Test(optim_lbfgs, finds_the_rosenbrock_minimum_in_ten_dimensions) { check_rosenbrock(10, 10); }

Test(optim_lbfgs, finds_the_rosenbrock_minimum_with_a_short_memory)
{
    check_rosenbrock(10, 3);
    check_rosenbrock(10, 1);
}

Test(optim_lbfgs, gives_identical_bits_on_a_second_run)
{
    double x1[10], x2[10];
    rosen_start(x1, 10);
    rosen_start(x2, 10);
    rosen_arg a = {10, 0};
    sh_lbfgs_params p = tight();
    sh_optim_result r1 = {0}, r2 = {0};
    assert_ok(sh_lbfgs_minimize(rosenbrock, &a, 10, x1, &p, &r1));
    assert_ok(sh_lbfgs_minimize(rosenbrock, &a, 10, x2, &p, &r2));
    cr_assert(memcmp(x1, x2, sizeof x1) == 0);
    cr_assert_eq(r1.iterations, r2.iterations);
    cr_assert(memcmp(&r1.f, &r2.f, sizeof r1.f) == 0);
}

/* ---- a strictly convex quadratic f = x'Ax/2 - b'x, A = B'B + I. */
#define QN 6
typedef struct quad_arg {
    double a[QN * QN], b[QN];
    double l1; /* only for the optimality check, not part of f */
} quad_arg;

static sheaf_status quadratic(void *arg, const double *x, double *f, double *g)
{
    const quad_arg *q = arg;
    double s = 0.0;
    for (size_t i = 0; i < QN; i++) {
        double ax = 0.0;
        for (size_t j = 0; j < QN; j++)
            ax += q->a[i * QN + j] * x[j];
        g[i] = ax - q->b[i];
        s += 0.5 * x[i] * ax - q->b[i] * x[i];
    }
    *f = s;
    return SHEAF_OK;
}

static void quad_init(quad_arg *q)
{
    double bm[QN * QN];
    for (size_t i = 0; i < QN; i++)
        for (size_t j = 0; j < QN; j++)
            bm[i * QN + j] = (double)((int)((i * 7 + j * 3) % 11) - 5) / 4.0;
    for (size_t i = 0; i < QN; i++) {
        for (size_t j = 0; j < QN; j++) {
            double s = i == j ? 1.0 : 0.0;
            for (size_t k = 0; k < QN; k++)
                s += bm[k * QN + i] * bm[k * QN + j];
            q->a[i * QN + j] = s;
        }
        q->b[i] = (double)i - 2.5;
    }
    q->l1 = 0.0;
}

Test(optim_lbfgs, solves_a_convex_quadratic_as_cholesky_does)
{
    quad_arg q;
    quad_init(&q);
    double l[QN * QN], want[QN], x[QN] = {0};
    memcpy(l, q.a, sizeof l);
    memcpy(want, q.b, sizeof want);
    assert_ok(sheaf_linalg_cholesky(sheaf_matrix_view(l, QN, QN)));
    assert_ok(
        sheaf_linalg_cholesky_solve(sheaf_matrix_view(l, QN, QN), sheaf_matrix_view(want, QN, 1)));
    sh_lbfgs_params p = tight();
    sh_optim_result r = {0};
    assert_ok(sh_lbfgs_minimize(quadratic, &q, QN, x, &p, &r));
    double g[QN], f;
    quadratic(&q, x, &f, g);
    cr_assert(r.converged, "reason %s, f %.17g, g0 %g after %zu", r.reason, f, g[0], r.iterations);
    for (size_t i = 0; i < QN; i++)
        cr_assert(fabs(x[i] - want[i]) <= 1e-10 * fmax(1.0, fabs(want[i])),
                  "x[%zu] = %.17g, want %.17g", i, x[i], want[i]);
}

Test(optim_owlqn, satisfies_the_lasso_optimality_conditions_on_a_coupled_quadratic)
{
    /* min x'Ax/2 - b'x + l1 |x|_1: at the optimum g_j = -l1 sign(x_j) where
     * x_j != 0 and |g_j| <= l1 where x_j = 0. */
    quad_arg q;
    quad_init(&q);
    double x[QN] = {0}, g[QN], f;
    sh_lbfgs_params p = tight();
    p.l1 = 1.5;
    sh_optim_result r = {0};
    assert_ok(sh_lbfgs_minimize(quadratic, &q, QN, x, &p, &r));
    cr_assert(r.converged, "reason %s", r.reason);
    quadratic(&q, x, &f, g);
    size_t zeros = 0;
    for (size_t j = 0; j < QN; j++) {
        if (x[j] == 0.0) {
            zeros++;
            cr_assert(fabs(g[j]) <= p.l1 + 1e-12, "g[%zu] = %g at a zero", j, g[j]);
        } else {
            cr_assert(fabs(g[j] + copysign(p.l1, x[j])) <= 1e-10, "g[%zu] = %.17g, x = %g", j, g[j],
                      x[j]);
        }
    }
    cr_assert(zeros > 0 && zeros < QN, "%zu zeros: the test needs some of each", zeros);
}

/* ---- lasso with an orthogonal design: A = H S, H the 8x8 Sylvester
 * Hadamard matrix / sqrt(8) (orthonormal columns), S = diag(s). Then
 * f = ||A x - b||^2 / 2 separates and x_j = soft(s_j h_j'b, l1) / s_j^2,
 * or h_j'b / s_j for an unpenalised coordinate. */
#define LN 8
typedef struct lasso_arg {
    double a[LN * LN], b[LN];
} lasso_arg;

static sheaf_status least_squares(void *arg, const double *x, double *f, double *g)
{
    const lasso_arg *q = arg;
    double r[LN], s = 0.0;
    for (size_t i = 0; i < LN; i++) {
        r[i] = -q->b[i];
        for (size_t j = 0; j < LN; j++)
            r[i] += q->a[i * LN + j] * x[j];
        s += 0.5 * r[i] * r[i];
    }
    for (size_t j = 0; j < LN; j++) {
        g[j] = 0.0;
        for (size_t i = 0; i < LN; i++)
            g[j] += q->a[i * LN + j] * r[i];
    }
    *f = s;
    return SHEAF_OK;
}

static const double LASSO_S[LN] = {1.0, 2.0, 0.5, 3.0, 1.5, 0.75, 1.25, 2.5};
static const double LASSO_B[LN] = {3.0, -1.0, 0.5, 2.0, -2.5, 0.25, 1.0, -0.75};

static void lasso_init(lasso_arg *q)
{
    for (size_t i = 0; i < LN; i++) {
        for (size_t j = 0; j < LN; j++) {
            int parity = __builtin_popcount((unsigned)(i & j)) & 1;
            q->a[i * LN + j] = (parity ? -1.0 : 1.0) / sqrt(8.0) * LASSO_S[j];
        }
        q->b[i] = LASSO_B[i];
    }
}

static void lasso_solution(const lasso_arg *q, double l1, const unsigned char *mask, double *x)
{
    for (size_t j = 0; j < LN; j++) {
        double c = 0.0; /* s_j h_j'b = a_j'b */
        for (size_t i = 0; i < LN; i++)
            c += q->a[i * LN + j] * q->b[i];
        double t = mask && !mask[j] ? 0.0 : l1;
        double soft = fabs(c) <= t ? 0.0 : c - copysign(t, c);
        x[j] = soft / (LASSO_S[j] * LASSO_S[j]);
    }
}

static void check_lasso(double l1, const unsigned char *mask, size_t want_zeros)
{
    lasso_arg q;
    lasso_init(&q);
    double want[LN], x[LN] = {0};
    lasso_solution(&q, l1, mask, want);
    size_t zeros = 0;
    for (size_t j = 0; j < LN; j++)
        zeros += want[j] == 0.0;
    cr_assert_eq(zeros, want_zeros, "the reference has %zu zeros", zeros);
    sh_lbfgs_params p = tight();
    p.l1 = l1;
    p.l1_mask = mask;
    sh_optim_result r = {0};
    assert_ok(sh_lbfgs_minimize(least_squares, &q, LN, x, &p, &r));
    cr_assert(r.converged, "reason %s", r.reason);
    for (size_t j = 0; j < LN; j++) {
        cr_assert_eq(x[j] == 0.0, want[j] == 0.0, "zero pattern differs at %zu: %.17g vs %.17g", j,
                     x[j], want[j]);
        cr_assert(fabs(x[j] - want[j]) <= 1e-10, "x[%zu] = %.17g, want %.17g", j, x[j], want[j]);
    }
}

Test(optim_owlqn, matches_soft_thresholding_on_an_orthogonal_design) { check_lasso(1.0, NULL, 4); }

Test(optim_owlqn, leaves_unmasked_coordinates_unpenalised)
{
    unsigned char mask[LN] = {1, 1, 0, 1, 1, 1, 1, 0};
    check_lasso(1.0, mask, 3);
}

Test(optim_owlqn, gives_all_zeros_when_the_penalty_dominates) { check_lasso(100.0, NULL, LN); }

/* ---- L2-penalised logistic regression, the first user: mean log-loss +
 * reg/2 |w|^2 (intercept w_0 unpenalised) on a deterministic data set that
 * is not separable; the reference is Newton's method to convergence. */
#define LR_ROWS 60
#define LR_P 4 /* intercept + 3 features */
typedef struct logit_arg {
    double x[LR_ROWS * LR_P], y[LR_ROWS], reg;
} logit_arg;

static void logit_init(logit_arg *d)
{
    for (size_t i = 0; i < LR_ROWS; i++) {
        double t = (double)i;
        d->x[i * LR_P] = 1.0;
        d->x[i * LR_P + 1] = sin(0.7 * t);
        d->x[i * LR_P + 2] = cos(1.3 * t) * 2.0;
        d->x[i * LR_P + 3] = (double)(i % 7) / 3.0 - 1.0;
        double margin = 0.5 + d->x[i * LR_P + 1] - 0.8 * d->x[i * LR_P + 2] + 0.3 * sin(5.1 * t);
        d->y[i] = (margin + 0.9 * sin(11.3 * t)) > 0.0 ? 1.0 : 0.0;
    }
    d->reg = 0.01;
}

/* Loss, gradient and (when h is not NULL) Hessian. */
static void logit_eval(const logit_arg *d, const double *w, double *f, double *g, double *h)
{
    double s = 0.0;
    memset(g, 0, LR_P * sizeof *g);
    if (h) memset(h, 0, LR_P * LR_P * sizeof *h);
    for (size_t i = 0; i < LR_ROWS; i++) {
        const double *xi = d->x + i * LR_P;
        double m = 0.0;
        for (size_t j = 0; j < LR_P; j++)
            m += xi[j] * w[j];
        /* log(1 + e^m) - y m, computed without overflow */
        s += (m > 0.0 ? m + log1p(exp(-m)) : log1p(exp(m))) - d->y[i] * m;
        double pr = 1.0 / (1.0 + exp(-m));
        for (size_t j = 0; j < LR_P; j++) {
            g[j] += (pr - d->y[i]) * xi[j] / LR_ROWS;
            if (h)
                for (size_t k = 0; k < LR_P; k++)
                    h[j * LR_P + k] += pr * (1.0 - pr) * xi[j] * xi[k] / LR_ROWS;
        }
    }
    s /= LR_ROWS;
    for (size_t j = 1; j < LR_P; j++) {
        s += 0.5 * d->reg * w[j] * w[j];
        g[j] += d->reg * w[j];
        if (h) h[j * LR_P + j] += d->reg;
    }
    *f = s;
}

static sheaf_status logit(void *arg, const double *w, double *f, double *g)
{
    logit_eval(arg, w, f, g, NULL);
    return SHEAF_OK;
}

Test(optim_lbfgs, fits_an_l2_logistic_regression_as_newton_does)
{
    logit_arg d;
    logit_init(&d);
    double want[LR_P] = {0}, g[LR_P], h[LR_P * LR_P], f;
    for (int it = 0; it < 30; it++) {
        logit_eval(&d, want, &f, g, h);
        assert_ok(sheaf_linalg_cholesky(sheaf_matrix_view(h, LR_P, LR_P)));
        assert_ok(sheaf_linalg_cholesky_solve(sheaf_matrix_view(h, LR_P, LR_P),
                                              sheaf_matrix_view(g, LR_P, 1)));
        for (size_t j = 0; j < LR_P; j++)
            want[j] -= g[j];
    }
    double w[LR_P] = {0};
    sh_lbfgs_params p = tight();
    sh_optim_result r = {0};
    assert_ok(sh_lbfgs_minimize(logit, &d, LR_P, w, &p, &r));
    cr_assert(r.converged, "reason %s", r.reason);
    for (size_t j = 0; j < LR_P; j++)
        cr_assert(fabs(w[j] - want[j]) <= 1e-9 * fmax(1.0, fabs(want[j])),
                  "w[%zu] = %.17g, want %.17g", j, w[j], want[j]);
    size_t ones = 0;
    for (size_t i = 0; i < LR_ROWS; i++)
        ones += d.y[i] == 1.0;
    cr_assert(ones > 10 && ones < LR_ROWS - 10, "%zu positives: keep both classes", ones);
}

/* ---- box bounds ---- */

Test(optim_box, finds_the_rosenbrock_minimum_on_an_upper_bound)
{
    /* With x_0 <= 0.5 the minimum is (0.5, 0.25): there 100 (x_1 - x_0^2)^2
     * vanishes and (1 - x_0)^2 is smallest at the bound, where df/dx_0 = -1
     * points out of the box. */
    double x[2] = {-1.2, 1.0}, hi[2] = {0.5, INFINITY};
    rosen_arg a = {2, 0};
    sh_lbfgs_params p = tight();
    p.upper = hi;
    sh_optim_result r = {0};
    assert_ok(sh_lbfgs_minimize(rosenbrock, &a, 2, x, &p, &r));
    cr_assert(r.converged, "reason %s", r.reason);
    cr_assert_eq(x[0], 0.5);
    cr_assert(fabs(x[1] - 0.25) <= 1e-10, "x[1] = %.17g", x[1]);
    cr_assert(fabs(r.f - 0.25) <= 1e-14, "f = %.17g", r.f);
}

Test(optim_box, clamps_the_start_and_satisfies_the_kkt_conditions_of_a_quadratic)
{
    /* min x'Ax/2 - b'x on [-0.1, 0.2]^6 with coupled A: interior
     * coordinates have g_j = 0, those on the lower bound g_j >= 0, on the
     * upper g_j <= 0. */
    quad_arg q;
    quad_init(&q);
    double x[QN], lo[QN], hi[QN], g[QN], f;
    for (size_t j = 0; j < QN; j++) {
        x[j] = 5.0; /* outside: clamped to 0.2 */
        lo[j] = -0.1;
        hi[j] = 0.2;
    }
    sh_lbfgs_params p = tight();
    p.lower = lo;
    p.upper = hi;
    sh_optim_result r = {0};
    assert_ok(sh_lbfgs_minimize(quadratic, &q, QN, x, &p, &r));
    cr_assert(r.converged, "reason %s", r.reason);
    quadratic(&q, x, &f, g);
    size_t at_bound = 0, inside = 0;
    for (size_t j = 0; j < QN; j++) {
        cr_assert(x[j] >= -0.1 && x[j] <= 0.2, "x[%zu] = %g leaves the box", j, x[j]);
        if (x[j] == -0.1) {
            at_bound++;
            cr_assert(g[j] >= 0.0, "g[%zu] = %g at the lower bound", j, g[j]);
        } else if (x[j] == 0.2) {
            at_bound++;
            cr_assert(g[j] <= 0.0, "g[%zu] = %g at the upper bound", j, g[j]);
        } else {
            inside++;
            cr_assert(fabs(g[j]) <= 1e-11, "g[%zu] = %g inside", j, g[j]);
        }
    }
    cr_assert(at_bound > 0 && inside > 0, "%zu at a bound, %zu inside", at_bound, inside);
}

/* ---- how a run ends ---- */

Test(optim_lbfgs, reports_max_iter_with_a_usable_estimate)
{
    double x[2] = {-1.2, 1.0}, history[4];
    rosen_arg a = {2, 0};
    sh_lbfgs_params p = tight();
    p.max_iter = 3;
    sh_optim_result r = {.history = history};
    assert_ok(sh_lbfgs_minimize(rosenbrock, &a, 2, x, &p, &r));
    cr_assert_eq(r.converged, 0);
    cr_assert_str_eq(r.reason, "max_iter");
    cr_assert_eq(r.iterations, 3);
    cr_assert(isfinite(x[0]) && isfinite(x[1]));
    double g[2], f, s[2] = {-1.2, 1.0};
    rosenbrock(&a, s, &f, g);
    cr_assert(r.f < f && history[3] == r.f && history[0] == f);
    rosenbrock(&a, x, &f, g);
    cr_assert_eq(f, r.f, "x is the iterate r.f belongs to");
}

Test(optim_lbfgs, stops_on_the_relative_function_reduction)
{
    double x[2] = {-1.2, 1.0};
    rosen_arg a = {2, 0};
    sh_lbfgs_params p = sh_lbfgs_params_default();
    p.gtol = 0.0;
    p.ftol = 1e-3;
    sh_optim_result r = {0};
    assert_ok(sh_lbfgs_minimize(rosenbrock, &a, 2, x, &p, &r));
    cr_assert(r.converged);
    cr_assert_str_eq(r.reason, "function");
    cr_assert(r.iterations < 100);
}

Test(optim_lbfgs, stops_at_once_at_a_stationary_start)
{
    double x[2] = {1.0, 1.0};
    rosen_arg a = {2, 0};
    sh_lbfgs_params p = tight();
    sh_optim_result r = {0};
    assert_ok(sh_lbfgs_minimize(rosenbrock, &a, 2, x, &p, &r));
    cr_assert(r.converged);
    cr_assert_str_eq(r.reason, "gradient");
    cr_assert_eq(r.iterations, 0);
    cr_assert_eq(r.evaluations, 1);
    cr_assert_eq(r.f, 0.0);
}

Test(optim_lbfgs, max_iter_zero_only_evaluates_the_start)
{
    double x[2] = {-1.2, 1.0};
    rosen_arg a = {2, 0};
    sh_lbfgs_params p = tight();
    p.max_iter = 0;
    sh_optim_result r = {0};
    assert_ok(sh_lbfgs_minimize(rosenbrock, &a, 2, x, &p, &r));
    cr_assert_str_eq(r.reason, "max_iter");
    cr_assert(x[0] == -1.2 && x[1] == 1.0);
    double g[2], f;
    rosenbrock(&a, x, &f, g);
    cr_assert_eq(r.f, f);
}

/* f = x^2 rounded to 0.01 with the gradient of x^2: no step from x = 0.05
 * (f = 0) decreases f, yet the gradient is 0.1, so the search stalls
 * without convergence. */
static sheaf_status staircase(void *arg, const double *x, double *f, double *g)
{
    (void)arg;
    *f = round(x[0] * x[0] * 100.0) / 100.0;
    g[0] = 2.0 * x[0];
    return SHEAF_OK;
}

Test(optim_lbfgs, reports_a_stalled_line_search_as_not_converged)
{
    double x[1] = {0.05};
    sh_lbfgs_params p = tight();
    sh_optim_result r = {0};
    assert_ok(sh_lbfgs_minimize(staircase, NULL, 1, x, &p, &r));
    cr_assert_str_eq(r.reason, "line_search");
    cr_assert_eq(r.converged, 0);
    cr_assert_eq(r.iterations, 0);
    cr_assert_eq(x[0], 0.05, "x stays at the last accepted point");
}

/* ---- failures ---- */

typedef struct bad_arg {
    size_t calls, nan_at, fail_at;
    int nan_in_gradient;
} bad_arg;

static sheaf_status misbehaving(void *arg, const double *x, double *f, double *g)
{
    bad_arg *b = arg;
    b->calls++;
    if (b->calls == b->fail_at) return sh_fail(SHEAF_ERR_SINGULAR, "test objective: refused");
    rosen_arg a = {2, 0};
    rosenbrock(&a, x, f, g);
    if (b->calls == b->nan_at) {
        if (b->nan_in_gradient)
            g[1] = NAN;
        else
            *f = NAN;
    }
    return SHEAF_OK;
}

Test(optim_lbfgs, reports_a_nan_objective_with_the_iteration)
{
    double x[2] = {-1.2, 1.0};
    bad_arg b = {0, 1, 0, 0};
    sh_lbfgs_params p = tight();
    sh_optim_result r = {0};
    assert_fails(sh_lbfgs_minimize(misbehaving, &b, 2, x, &p, &r), SHEAF_ERR_NONFINITE,
                 "sh_lbfgs_minimize: objective is not finite (f = nan) at iteration 0");
    b = (bad_arg){0, 5, 0, 0};
    p.caller = "sheaf_logreg_fit";
    assert_fails(sh_lbfgs_minimize(misbehaving, &b, 2, x, &p, &r), SHEAF_ERR_NONFINITE,
                 "sheaf_logreg_fit: objective is not finite (f = nan) at iteration");
    cr_assert(isfinite(x[0]) && isfinite(x[1]), "x keeps the last accepted iterate");
}

Test(optim_lbfgs, reports_a_nan_gradient_with_the_coordinate)
{
    double x[2] = {-1.2, 1.0};
    bad_arg b = {0, 3, 0, 1};
    sh_lbfgs_params p = tight();
    sh_optim_result r = {0};
    assert_fails(sh_lbfgs_minimize(misbehaving, &b, 2, x, &p, &r), SHEAF_ERR_NONFINITE,
                 "gradient is not finite (grad[1] = nan) at iteration 1");
}

Test(optim_lbfgs, propagates_the_objective_failure)
{
    for (size_t at = 1; at <= 6; at++) {
        double x[2] = {-1.2, 1.0};
        bad_arg b = {0, 0, at, 0};
        sh_lbfgs_params p = tight();
        sh_optim_result r = {0};
        assert_fails(sh_lbfgs_minimize(misbehaving, &b, 2, x, &p, &r), SHEAF_ERR_SINGULAR,
                     "test objective: refused");
        cr_assert_eq(r.evaluations, at);
    }
}

Test(optim_lbfgs, rejects_bad_parameters)
{
    double x[2] = {-1.2, 1.0}, lo[2] = {0, 0};
    rosen_arg a = {2, 0};
    sh_optim_result r = {0};
    sh_lbfgs_params p = sh_lbfgs_params_default();
    p.memory = 0;
    assert_fails(sh_lbfgs_minimize(rosenbrock, &a, 2, x, &p, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "memory must be >= 1 (is 0)");
    p = sh_lbfgs_params_default();
    p.l1 = -1.0;
    assert_fails(sh_lbfgs_minimize(rosenbrock, &a, 2, x, &p, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "l1 must be finite and >= 0 (is -1)");
    p = sh_lbfgs_params_default();
    p.ftol = NAN;
    assert_fails(sh_lbfgs_minimize(rosenbrock, &a, 2, x, &p, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "ftol must be finite and >= 0 (is nan)");
    p = sh_lbfgs_params_default();
    p.lower = lo;
    p.l1 = 0.5;
    assert_fails(sh_lbfgs_minimize(rosenbrock, &a, 2, x, &p, &r), SHEAF_ERR_UNSUPPORTED,
                 "box bounds together with l1 > 0 are not supported (l1 = 0.5)");
    double hi[2] = {1.0, -1.0};
    p = sh_lbfgs_params_default();
    p.lower = lo;
    p.upper = hi;
    assert_fails(sh_lbfgs_minimize(rosenbrock, &a, 2, x, &p, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "bounds of x[1] must satisfy lower <= upper with a finite point between (are "
                 "[0, -1])");
    p = sh_lbfgs_params_default();
    assert_fails(sh_lbfgs_minimize(rosenbrock, &a, 0, x, &p, &r), SHEAF_ERR_INVALID_ARGUMENT,
                 "n must be >= 1 (is 0)");
    x[1] = INFINITY;
    assert_fails(sh_lbfgs_minimize(rosenbrock, &a, 2, x, &p, &r), SHEAF_ERR_NONFINITE,
                 "start x[1] = inf is not finite");
    cr_assert_eq(a.calls, 0, "the objective is never called on bad input");
}

Test(optim_lbfgs, fails_cleanly_when_each_allocation_fails)
{
    double x[2] = {-1.2, 1.0};
    rosen_arg a = {2, 0};
    sh_lbfgs_params p = tight();
    sh_optim_result r = {0};
    sheaf_debug_fail_allocation(0);
    assert_ok(sh_lbfgs_minimize(rosenbrock, &a, 2, x, &p, &r));
    uint64_t count = sheaf_debug_fail_allocation(0);
    cr_assert_eq(count, 1, "one workspace for the whole run (counted %llu)",
                 (unsigned long long)count);
    for (uint64_t k = 1; k <= count; k++) {
        double y[2] = {-1.2, 1.0};
        sheaf_debug_fail_allocation(k);
        assert_fails(sh_lbfgs_minimize(rosenbrock, &a, 2, y, &p, &r), SHEAF_ERR_NOMEM,
                     "sh_lbfgs_minimize: no memory for the workspace");
        sheaf_debug_fail_allocation(0);
        cr_assert(y[0] == -1.2 && y[1] == 1.0, "x untouched");
    }
}
