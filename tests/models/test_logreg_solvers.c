/* test_logreg_solvers.c - the logistic-regression features beyond the first
 * slice (include/sheaf_logreg.h): Newton against L-BFGS on the same
 * optima, solver choice and its refusals, box bounds against the exact
 * bounded optima of tests/data/logreg/logreg_more_refs.h (made by
 * gen_logreg_more_refs.py from scipy L-BFGS-B + statsmodels GLM/Newton
 * refinement, KKT checked there), declared class counts, the training
 * summary and sheaf_logreg_evaluate against scikit-learn's log_loss,
 * accuracy_score and roc_auc_score (with weights and tied scores), the
 * design entry point, partition and thread determinism for both solvers,
 * and allocation-failure loops. Data arrays come from logreg_refs.h. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../data/logreg/logreg_refs.h"
#include "../data/logreg/logreg_more_refs.h"
#include "logreg_test_util.h"
#include "sheaf.h"

/* Tight settings: the tests compare with exact optima. */
static sheaf_logreg_params tight(double reg, int standardization, sheaf_logreg_solver solver)
{
    sheaf_logreg_params p = sheaf_logreg_params_default();
    p.reg_param = reg;
    p.standardization = standardization;
    p.solver = solver;
    p.tol = 0.0;
    p.gtol = 1e-12;
    p.max_iter = 5000;
    return p;
}

static sheaf_logreg *fit_on(int threads, size_t parts, const double *x, size_t n, size_t p,
                            const double *y, const double *w, const sheaf_logreg_params *params)
{
    sheaf_ctx *ctx = make_ctx(threads, parts);
    sheaf_logreg *m = NULL;
    assert_ok(sheaf_logreg_fit(ctx, x, n, p, p, y, w, params, &m));
    sheaf_ctx_free(ctx);
    return m;
}

static sheaf_logreg *fit(const double *x, size_t n, size_t p, const double *y, const double *w,
                         const sheaf_logreg_params *params)
{
    return fit_on(2, 4, x, n, p, y, w, params);
}

static void assert_converged(const sheaf_logreg *m)
{
    const char *reason = NULL;
    int conv = sheaf_logreg_converged(m, &reason);
    cr_assert(conv, "not converged: %s after %zu iterations (%s)", reason,
              sheaf_logreg_iterations(m), sheaf_logreg_solver_name(m));
}

static void assert_solver(const sheaf_logreg *m, const char *want)
{
    cr_assert_str_eq(sheaf_logreg_solver_name(m), want);
}

/* [coefficients (rows x p), intercepts (rows)] of a model. */
static size_t params_of(const sheaf_logreg *m, double *out)
{
    size_t rows = sheaf_logreg_num_rows(m), p = sheaf_logreg_num_features(m);
    sheaf_logreg_coefficients(m, out);
    sheaf_logreg_intercepts(m, out + rows * p);
    return rows * (p + 1);
}

static double bc_z[BC_RAW_X_ROWS * BC_RAW_X_COLS];

/* The standardized breast_cancer design, bit for bit as logreg_refs.h says. */
static const double *bc_design(void)
{
    for (size_t i = 0; i < BC_RAW_X_ROWS; i++)
        for (size_t j = 0; j < BC_RAW_X_COLS; j++)
            bc_z[i * 30 + j] = (BC_RAW_X[i * 30 + j] - BC_MEAN[j]) / BC_SCALE[j];
    return bc_z;
}

/* ---- Newton and L-BFGS reach the same optimum ----------------------------- */

/* Fits with both solvers and compares every coefficient and intercept. */
static void check_same_optimum(const double *x, size_t n, size_t p, const double *y, double reg,
                               int stdz, double tol)
{
    sheaf_logreg_params pn = tight(reg, stdz, SHEAF_LOGREG_SOLVER_NEWTON);
    sheaf_logreg_params pl = tight(reg, stdz, SHEAF_LOGREG_SOLVER_LBFGS);
    sheaf_logreg *mn = fit(x, n, p, y, NULL, &pn), *ml = fit(x, n, p, y, NULL, &pl);
    assert_converged(mn);
    assert_converged(ml);
    assert_solver(mn, "newton");
    assert_solver(ml, "lbfgs");
    size_t most = sheaf_logreg_num_rows(mn) * (p + 1);
    double *a = calloc(2 * most, sizeof(double)), *b = a + most;
    size_t len = params_of(mn, a);
    cr_assert_eq(params_of(ml, b), len);
    assert_rel_n(b, a, len, tol, "lbfgs vs newton");
    assert_rel(sheaf_logreg_objective(ml), sheaf_logreg_objective(mn), 1e-13, "objective", 0);
    free(a);
    sheaf_logreg_free(mn);
    sheaf_logreg_free(ml);
}

Test(logreg_solvers, newton_and_lbfgs_agree_on_spector_unpenalised)
{
    check_same_optimum(SPECTOR_X, 32, 3, SPECTOR_Y, 0.0, 1, 1e-8);
    check_same_optimum(SPECTOR_X, 32, 3, SPECTOR_Y, 0.0, 0, 1e-8);
    /* and both are statsmodels' Logit */
    sheaf_logreg_params pn = tight(0.0, 1, SHEAF_LOGREG_SOLVER_NEWTON);
    sheaf_logreg *m = fit(SPECTOR_X, 32, 3, SPECTOR_Y, NULL, &pn);
    double c[3], b;
    sheaf_logreg_coefficients(m, c);
    sheaf_logreg_intercepts(m, &b);
    assert_rel(b, SPECTOR_LOGIT_PARAMS[0], 1e-9, "intercept", 0);
    assert_rel_n(c, SPECTOR_LOGIT_PARAMS + 1, 3, 1e-9, "coef");
    sheaf_logreg_free(m);
}

Test(logreg_solvers, newton_and_lbfgs_agree_on_breast_cancer_l2)
{
    check_same_optimum(bc_design(), BC_RAW_X_ROWS, 30, BC_Y, BC_L2_1E2_REG, 0, 1e-8);
    sheaf_logreg_params pn = tight(BC_L2_1E2_REG, 0, SHEAF_LOGREG_SOLVER_AUTO);
    sheaf_logreg *m = fit(bc_design(), BC_RAW_X_ROWS, 30, BC_Y, NULL, &pn);
    assert_solver(m, "newton"); /* 31 parameters */
    double c[30], b;
    sheaf_logreg_coefficients(m, c);
    sheaf_logreg_intercepts(m, &b);
    assert_rel_n(c, BC_L2_1E2_COEF, 30, 1e-8, "coef");
    assert_rel(b, BC_L2_1E2_INTERCEPT, 1e-8, "intercept", 0);
    sheaf_logreg_free(m);
    /* standardization on: the same in the standardized space */
    check_same_optimum(BC_RAW_X, BC_RAW_X_ROWS, 30, BC_Y, BC_L2_1E2_REG, 1, 1e-8);
}

Test(logreg_solvers, newton_and_lbfgs_agree_on_iris_multinomial_l2)
{
    check_same_optimum(IRIS_X, 150, 4, IRIS_Y, IRIS_L2_1E2_REG, 0, 1e-8);
    check_same_optimum(IRIS_X, 150, 4, IRIS_Y, IRIS_L2_1E2_REG, 1, 1e-8);
    sheaf_logreg_params pn = tight(IRIS_L2_1E2_REG, 0, SHEAF_LOGREG_SOLVER_NEWTON);
    sheaf_logreg *m = fit(IRIS_X, 150, 4, IRIS_Y, NULL, &pn);
    double c[12];
    sheaf_logreg_coefficients(m, c);
    assert_rel_n(c, IRIS_L2_1E2_COEF, 12, 1e-8, "coef vs sklearn");
    sheaf_logreg_free(m);
}

/* Unpenalised softmax is unique only up to a common shift of the rows:
 * compare probabilities and margin differences, and the centred answers. */
static void check_unpenalised_multinomial(const double *x, size_t n, size_t p, const double *y)
{
    sheaf_logreg_params pn = tight(0.0, 1, SHEAF_LOGREG_SOLVER_NEWTON);
    sheaf_logreg_params pl = tight(0.0, 1, SHEAF_LOGREG_SOLVER_LBFGS);
    sheaf_logreg *mn = fit(x, n, p, y, NULL, &pn), *ml = fit(x, n, p, y, NULL, &pl);
    assert_converged(mn);
    assert_converged(ml);
    assert_solver(mn, "newton");
    assert_solver(ml, "lbfgs");
    size_t k = sheaf_logreg_num_classes(mn);
    cr_assert_eq(sheaf_logreg_num_classes(ml), k);
    double *pa = malloc(2 * n * k * sizeof(double)), *pb = pa + n * k;
    assert_ok(sheaf_logreg_predict_proba(mn, x, n, p, pa));
    assert_ok(sheaf_logreg_predict_proba(ml, x, n, p, pb));
    assert_rel_n(pb, pa, n * k, 1e-8, "probabilities");
    assert_ok(sheaf_logreg_decision_function(mn, x, n, p, pa));
    assert_ok(sheaf_logreg_decision_function(ml, x, n, p, pb));
    for (size_t i = 0; i < n; i++)
        for (size_t r = 1; r < k; r++) {
            if (!isfinite(pa[i * k + r]) || !isfinite(pa[i * k])) continue; /* absent class */
            assert_rel(pb[i * k + r] - pb[i * k], pa[i * k + r] - pa[i * k], 1e-7, "margin diff",
                       i * k + r);
        }
    /* both are centred, so the coefficients themselves agree */
    double ca[64], cb[64];
    size_t len = params_of(mn, ca);
    params_of(ml, cb);
    for (size_t j = 0; j < len; j++)
        if (isfinite(ca[j])) assert_rel(cb[j], ca[j], 1e-7, "centred params", j);
    cr_assert_lt(fabs(sheaf_logreg_objective(ml) - sheaf_logreg_objective(mn)),
                 1e-13 * sheaf_logreg_objective(mn));
    free(pa);
    sheaf_logreg_free(mn);
    sheaf_logreg_free(ml);
}

Test(logreg_solvers, newton_and_lbfgs_agree_on_unpenalised_multinomial)
{
    /* labels 0, 1, 3 (class 2 absent: its row is fixed), then relabelled 0, 1, 2 */
    check_unpenalised_multinomial(ABSENT_X, 60, 2, ABSENT_Y);
    double y[60];
    for (size_t i = 0; i < 60; i++)
        y[i] = ABSENT_Y[i] == 3.0 ? 2.0 : ABSENT_Y[i];
    check_unpenalised_multinomial(ABSENT_X, 60, 2, y);
}

/* ---- solver choice --------------------------------------------------------- */

/* n x p deterministic pseudo-random rows (no RNG needed: a scrambled sine). */
static double *wide_rows(size_t n, size_t p)
{
    double *x = malloc(n * p * sizeof(double));
    for (size_t i = 0; i < n * p; i++)
        x[i] = sin(0.7 * (double)i + 0.3 * (double)(i % 7));
    return x;
}

Test(logreg_solvers, auto_picks_newton_up_to_256_free_parameters_64_for_softmax)
{
    const size_t n = 300;
    double *x = wide_rows(n, 256), y[300];
    for (size_t i = 0; i < n; i++)
        y[i] = (double)(i % 2);
    sheaf_logreg_params pr = sheaf_logreg_params_default();
    pr.reg_param = 1.0;
    pr.max_iter = 1;
    sheaf_logreg *m = NULL;
    assert_ok(sheaf_logreg_fit(NULL, x, n, 255, 256, y, NULL, &pr, &m)); /* 255 + 1 */
    assert_solver(m, "newton");
    sheaf_logreg_free(m);
    assert_ok(sheaf_logreg_fit(NULL, x, n, 256, 256, y, NULL, &pr, &m)); /* 257 */
    assert_solver(m, "lbfgs");
    sheaf_logreg_free(m);
    pr.fit_intercept = 0;
    assert_ok(sheaf_logreg_fit(NULL, x, n, 256, 256, y, NULL, &pr, &m)); /* 256 */
    assert_solver(m, "newton");
    sheaf_logreg_free(m);
    free(x);

    /* softmax with L2 (one intercept pinned): 4 x 17 - 1 = 67 free parameters
     * take L-BFGS, 4 x 16 - 1 = 63 take Newton */
    double y4[300];
    for (size_t i = 0; i < n; i++)
        y4[i] = (double)(i % 4);
    x = wide_rows(n, 16);
    pr = sheaf_logreg_params_default();
    pr.reg_param = 1.0;
    pr.max_iter = 1;
    assert_ok(sheaf_logreg_fit(NULL, x, n, 16, 16, y4, NULL, &pr, &m)); /* 4 x 17 - 1 = 67 */
    assert_solver(m, "lbfgs");
    sheaf_logreg_free(m);
    assert_ok(sheaf_logreg_fit(NULL, x, n, 15, 16, y4, NULL, &pr, &m)); /* 4 x 16 - 1 = 63 */
    assert_solver(m, "newton");
    sheaf_logreg_free(m);
    free(x);

    /* 10 classes x 31 parameters: L-BFGS; L1: OWL-QN; one class: none */
    double yk[BC_RAW_X_ROWS];
    for (size_t i = 0; i < BC_RAW_X_ROWS; i++)
        yk[i] = (double)(i % 10);
    pr = sheaf_logreg_params_default();
    pr.reg_param = 0.1;
    pr.max_iter = 2;
    assert_ok(sheaf_logreg_fit(NULL, bc_design(), BC_RAW_X_ROWS, 30, 30, yk, NULL, &pr, &m));
    assert_solver(m, "lbfgs");
    sheaf_logreg_free(m);
    pr.elastic_net_param = 1.0;
    assert_ok(sheaf_logreg_fit(NULL, SPECTOR_X, 32, 3, 3, SPECTOR_Y, NULL, &pr, &m));
    assert_solver(m, "owlqn");
    sheaf_logreg_free(m);
    double zeros[32] = {0};
    pr = sheaf_logreg_params_default();
    assert_ok(sheaf_logreg_fit(NULL, SPECTOR_X, 32, 3, 3, zeros, NULL, &pr, &m));
    assert_solver(m, "none");
    sheaf_logreg_free(m);
}

Test(logreg_solvers, newton_refuses_l1_bounds_and_huge_fits)
{
    sheaf_logreg_params pr = sheaf_logreg_params_default();
    pr.solver = SHEAF_LOGREG_SOLVER_NEWTON;
    pr.reg_param = 0.1;
    pr.elastic_net_param = 0.5;
    sheaf_logreg *m = (sheaf_logreg *)1;
    assert_fails(sheaf_logreg_fit(NULL, SPECTOR_X, 32, 3, 3, SPECTOR_Y, NULL, &pr, &m),
                 SHEAF_ERR_UNSUPPORTED, "NEWTON solver needs a smooth unbounded objective");
    cr_assert_null(m);
    pr.elastic_net_param = 0.0;
    double up[3] = {1.0, INFINITY, INFINITY};
    pr.upper_coefficients = up;
    assert_fails(sheaf_logreg_fit(NULL, SPECTOR_X, 32, 3, 3, SPECTOR_Y, NULL, &pr, &m),
                 SHEAF_ERR_UNSUPPORTED, "bounds given");
    pr.solver = SHEAF_LOGREG_SOLVER_LBFGS;
    pr.elastic_net_param = 1.0;
    assert_fails(sheaf_logreg_fit(NULL, SPECTOR_X, 32, 3, 3, SPECTOR_Y, NULL, &pr, &m),
                 SHEAF_ERR_UNSUPPORTED, "bounds together with an L1 penalty");
    /* L1 with reg = 0 is smooth: Newton runs */
    pr = sheaf_logreg_params_default();
    pr.solver = SHEAF_LOGREG_SOLVER_NEWTON;
    pr.elastic_net_param = 1.0;
    assert_ok(sheaf_logreg_fit(NULL, SPECTOR_X, 32, 3, 3, SPECTOR_Y, NULL, &pr, &m));
    assert_solver(m, "newton");
    sheaf_logreg_free(m);
    /* 4096 features + intercept = 4097 free parameters */
    double *x = wide_rows(2, 4096), y[2] = {0.0, 1.0};
    pr = sheaf_logreg_params_default();
    pr.solver = SHEAF_LOGREG_SOLVER_NEWTON;
    pr.reg_param = 1.0;
    assert_fails(sheaf_logreg_fit(NULL, x, 2, 4096, 4096, y, NULL, &pr, &m), SHEAF_ERR_UNSUPPORTED,
                 "at most 4096 free parameters (this fit has 4097)");
    cr_assert_null(m);
    free(x);
    pr.solver = (sheaf_logreg_solver)3;
    assert_fails(sheaf_logreg_params_check(&pr), SHEAF_ERR_INVALID_ARGUMENT, "solver = 3");
}

/* ---- bounds ---------------------------------------------------------------- */

static void assert_within(const double *v, const double *lo, const double *hi, size_t n,
                          const char *what)
{
    for (size_t j = 0; j < n; j++) {
        double l = lo ? lo[j] : -INFINITY, u = hi ? hi[j] : INFINITY;
        cr_assert(v[j] >= l && v[j] <= u, "%s[%zu] = %.17g outside [%.17g, %.17g]", what, j, v[j],
                  l, u);
    }
}

static void check_binomial_bounds(const sheaf_logreg_params *pr, const double *coef,
                                  double intercept, double objective)
{
    sheaf_logreg *m = fit(SPECTOR_X, 32, 3, SPECTOR_Y, NULL, pr);
    assert_converged(m);
    assert_solver(m, "lbfgs");
    double c[3], b;
    sheaf_logreg_coefficients(m, c);
    sheaf_logreg_intercepts(m, &b);
    assert_within(c, pr->lower_coefficients, pr->upper_coefficients, 3, "coef");
    assert_within(&b, pr->lower_intercepts, pr->upper_intercepts, 1, "intercept");
    assert_rel_n(c, coef, 3, 1e-6, "coef");
    assert_rel(b, intercept, 1e-6, "intercept", 0);
    assert_rel(sheaf_logreg_objective(m), objective, 1e-10, "objective", 0);
    sheaf_logreg_free(m);
}

Test(logreg_solvers, bounded_spector_matches_the_exact_bounded_optimum)
{
    /* unpenalised: the same optimum with standardization on or off */
    for (int stdz = 0; stdz <= 1; stdz++) {
        sheaf_logreg_params pr = tight(0.0, stdz, SHEAF_LOGREG_SOLVER_AUTO);
        pr.lower_coefficients = BOUNDS_SPECTOR_LOWER_COEF;
        pr.upper_coefficients = BOUNDS_SPECTOR_UPPER_COEF;
        pr.lower_intercepts = &BOUNDS_SPECTOR_LOWER_INTERCEPT;
        check_binomial_bounds(&pr, BOUNDS_SPECTOR_COEF, BOUNDS_SPECTOR_INTERCEPT,
                              BOUNDS_SPECTOR_OBJECTIVE);
    }
}

Test(logreg_solvers, bounded_spector_l2_penalises_in_the_standardized_space)
{
    for (int stdz = 0; stdz <= 1; stdz++) {
        sheaf_logreg_params pr = tight(BOUNDS_SPECTOR_L2_REG, stdz, SHEAF_LOGREG_SOLVER_LBFGS);
        pr.lower_coefficients = BOUNDS_SPECTOR_L2_LOWER_COEF;
        pr.upper_coefficients = BOUNDS_SPECTOR_L2_UPPER_COEF;
        pr.upper_intercepts = &BOUNDS_SPECTOR_L2_UPPER_INTERCEPT;
        check_binomial_bounds(
            &pr, stdz ? BOUNDS_SPECTOR_L2_STD_ON_COEF : BOUNDS_SPECTOR_L2_STD_OFF_COEF,
            stdz ? BOUNDS_SPECTOR_L2_STD_ON_INTERCEPT : BOUNDS_SPECTOR_L2_STD_OFF_INTERCEPT,
            stdz ? BOUNDS_SPECTOR_L2_STD_ON_OBJECTIVE : BOUNDS_SPECTOR_L2_STD_OFF_OBJECTIVE);
    }
}

static void centred(const double *in, double *out, size_t n)
{
    double mean = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += in[i];
    mean /= (double)n;
    for (size_t i = 0; i < n; i++)
        out[i] = in[i] - mean;
}

Test(logreg_solvers, bounded_iris_multinomial_matches_the_exact_bounded_optimum)
{
    for (int stdz = 0; stdz <= 1; stdz++) {
        sheaf_logreg_params pr = tight(BOUNDS_IRIS_REG, stdz, SHEAF_LOGREG_SOLVER_AUTO);
        pr.lower_coefficients = BOUNDS_IRIS_LOWER_COEF;
        pr.upper_coefficients = BOUNDS_IRIS_UPPER_COEF;
        sheaf_logreg *m = fit(IRIS_X, 150, 4, IRIS_Y, NULL, &pr);
        assert_converged(m);
        assert_solver(m, "lbfgs");
        double c[12], b[3], bc[3];
        sheaf_logreg_coefficients(m, c);
        sheaf_logreg_intercepts(m, b);
        assert_within(c, BOUNDS_IRIS_LOWER_COEF, BOUNDS_IRIS_UPPER_COEF, 12, "coef");
        assert_rel_n(c, stdz ? BOUNDS_IRIS_STD_ON_COEF : BOUNDS_IRIS_STD_OFF_COEF, 12, 1e-6,
                     "coef");
        centred(b, bc, 3);
        assert_rel_n(bc, stdz ? BOUNDS_IRIS_STD_ON_INTERCEPT : BOUNDS_IRIS_STD_OFF_INTERCEPT, 3,
                     1e-6, "centred intercept");
        assert_rel(sheaf_logreg_objective(m),
                   stdz ? BOUNDS_IRIS_STD_ON_OBJECTIVE : BOUNDS_IRIS_STD_OFF_OBJECTIVE, 1e-10,
                   "objective", 0);
        sheaf_logreg_free(m);
    }
}

Test(logreg_solvers, multinomial_intercept_bounds_fix_the_shift_and_are_not_centred)
{
    sheaf_logreg_params pr = tight(BOUNDS_IRIS_REG, 0, SHEAF_LOGREG_SOLVER_AUTO);
    pr.lower_coefficients = BOUNDS_IRIS_LOWER_COEF;
    pr.upper_coefficients = BOUNDS_IRIS_UPPER_COEF;
    pr.lower_intercepts = BOUNDS_IRIS_LOWER_INTERCEPT;
    pr.upper_intercepts = BOUNDS_IRIS_UPPER_INTERCEPT;
    sheaf_logreg *m = fit(IRIS_X, 150, 4, IRIS_Y, NULL, &pr);
    assert_converged(m);
    double c[12], b[3];
    sheaf_logreg_coefficients(m, c);
    sheaf_logreg_intercepts(m, b);
    assert_within(c, BOUNDS_IRIS_LOWER_COEF, BOUNDS_IRIS_UPPER_COEF, 12, "coef");
    assert_within(b, BOUNDS_IRIS_LOWER_INTERCEPT, BOUNDS_IRIS_UPPER_INTERCEPT, 3, "intercept");
    assert_rel_n(c, BOUNDS_IRIS_ICPT_COEF, 12, 1e-6, "coef");
    assert_rel_n(b, BOUNDS_IRIS_ICPT_INTERCEPT, 3, 1e-6, "intercept");
    assert_rel(sheaf_logreg_objective(m), BOUNDS_IRIS_ICPT_OBJECTIVE, 1e-10, "objective", 0);
    sheaf_logreg_free(m);
}

Test(logreg_solvers, bounds_that_do_not_bind_change_nothing)
{
    double lo[3] = {-100.0, -100.0, -100.0}, hi[3] = {100.0, 100.0, 100.0}, blo = -100.0;
    sheaf_logreg_params pr = tight(0.0, 1, SHEAF_LOGREG_SOLVER_AUTO);
    pr.lower_coefficients = lo;
    pr.upper_coefficients = hi;
    pr.lower_intercepts = &blo;
    sheaf_logreg *m = fit(SPECTOR_X, 32, 3, SPECTOR_Y, NULL, &pr);
    assert_converged(m);
    double got[4];
    sheaf_logreg_intercepts(m, got);
    sheaf_logreg_coefficients(m, got + 1);
    assert_rel_n(got, SPECTOR_LOGIT_PARAMS, 4, 1e-7, "params");
    sheaf_logreg_free(m);
}

Test(logreg_solvers, bad_bounds_are_named)
{
    sheaf_logreg_params pr = sheaf_logreg_params_default();
    double lo[3] = {-1.0, 2.0, 0.0}, hi[3] = {1.0, 1.0, 1.0};
    pr.lower_coefficients = lo;
    pr.upper_coefficients = hi;
    sheaf_logreg *m = (sheaf_logreg *)1;
    assert_fails(sheaf_logreg_fit(NULL, SPECTOR_X, 32, 3, 3, SPECTOR_Y, NULL, &pr, &m),
                 SHEAF_ERR_INVALID_ARGUMENT, "bounds on coefficient (0, 1) are [2, 1]");
    cr_assert_null(m);
    lo[1] = 0.0;
    hi[2] = NAN;
    assert_fails(sheaf_logreg_fit(NULL, SPECTOR_X, 32, 3, 3, SPECTOR_Y, NULL, &pr, &m),
                 SHEAF_ERR_INVALID_ARGUMENT, "bounds on coefficient (0, 2) are [0, nan]");
    hi[2] = 1.0;
    lo[0] = INFINITY;
    hi[0] = INFINITY;
    assert_fails(sheaf_logreg_fit(NULL, SPECTOR_X, 32, 3, 3, SPECTOR_Y, NULL, &pr, &m),
                 SHEAF_ERR_INVALID_ARGUMENT, "bounds on coefficient (0, 0) are [inf, inf]");
    lo[0] = -1.0;
    hi[0] = 1.0;
    double blo = 1.0, bhi = 0.0;
    pr.lower_intercepts = &blo;
    pr.upper_intercepts = &bhi;
    assert_fails(sheaf_logreg_fit(NULL, SPECTOR_X, 32, 3, 3, SPECTOR_Y, NULL, &pr, &m),
                 SHEAF_ERR_INVALID_ARGUMENT, "bounds on intercept 0 are [1, 0]");
    /* multinomial: entry (class, feature) of the k x p array */
    double mlo[12], mhi[12];
    for (size_t j = 0; j < 12; j++) {
        mlo[j] = -INFINITY;
        mhi[j] = INFINITY;
    }
    mlo[2 * 4 + 3] = NAN;
    pr = sheaf_logreg_params_default();
    pr.lower_coefficients = mlo;
    pr.upper_coefficients = mhi;
    assert_fails(sheaf_logreg_fit(NULL, IRIS_X, 150, 4, 4, IRIS_Y, NULL, &pr, &m),
                 SHEAF_ERR_INVALID_ARGUMENT, "bounds on coefficient (2, 3) are [nan, inf]");
    /* intercept bounds need an intercept */
    pr = sheaf_logreg_params_default();
    pr.fit_intercept = 0;
    pr.upper_intercepts = &bhi;
    assert_fails(sheaf_logreg_fit(NULL, SPECTOR_X, 32, 3, 3, SPECTOR_Y, NULL, &pr, &m),
                 SHEAF_ERR_INVALID_ARGUMENT, "bounds on intercepts need fit_intercept = 1");
    cr_assert_null(m);
}

/* ---- declared class counts ------------------------------------------------- */

Test(logreg_solvers, a_declared_class_count_equal_to_the_labels_changes_nothing)
{
    sheaf_logreg_params p0 = tight(0.01, 0, SHEAF_LOGREG_SOLVER_AUTO), p4 = p0;
    p4.num_classes = 4;
    sheaf_logreg *m0 = fit(ABSENT_X, 60, 2, ABSENT_Y, NULL, &p0);
    sheaf_logreg *m4 = fit(ABSENT_X, 60, 2, ABSENT_Y, NULL, &p4);
    cr_assert_eq(sheaf_logreg_num_classes(m4), 4);
    double a[12], b[12];
    size_t len = params_of(m0, a);
    cr_assert_eq(params_of(m4, b), len);
    cr_assert(memcmp(a, b, len * sizeof(double)) == 0, "declared k = 4 differs from k from labels");
    sheaf_logreg_free(m0);
    sheaf_logreg_free(m4);
}

Test(logreg_solvers, a_declared_class_beyond_the_labels_gets_probability_zero)
{
    sheaf_logreg_params pb = tight(0.0, 1, SHEAF_LOGREG_SOLVER_AUTO), p3 = pb;
    p3.num_classes = 3;
    sheaf_logreg *mb = fit(SPECTOR_X, 32, 3, SPECTOR_Y, NULL, &pb);
    sheaf_logreg *m3 = fit(SPECTOR_X, 32, 3, SPECTOR_Y, NULL, &p3);
    assert_converged(m3);
    cr_assert_eq(sheaf_logreg_num_classes(m3), 3);
    cr_assert_eq(sheaf_logreg_num_rows(m3), 3);
    double pa[64], pc[96];
    assert_ok(sheaf_logreg_predict_proba(mb, SPECTOR_X, 32, 3, pa));
    assert_ok(sheaf_logreg_predict_proba(m3, SPECTOR_X, 32, 3, pc));
    for (size_t i = 0; i < 32; i++) {
        cr_assert_eq(pc[3 * i + 2], 0.0);
        assert_rel(pc[3 * i + 1], pa[2 * i + 1], 1e-7, "P(1)", i);
    }
    sheaf_logreg_free(mb);
    sheaf_logreg_free(m3);
}

Test(logreg_solvers, labels_beyond_the_declared_classes_are_named)
{
    sheaf_logreg_params pr = sheaf_logreg_params_default();
    pr.num_classes = 3;
    size_t first = 0;
    while (ABSENT_Y[first] != 3.0)
        first++;
    char want[96];
    snprintf(want, sizeof want, "label y at row %zu is 3; labels must be integers 0..2", first);
    sheaf_logreg *m = (sheaf_logreg *)1;
    assert_fails(sheaf_logreg_fit(NULL, ABSENT_X, 60, 2, 2, ABSENT_Y, NULL, &pr, &m),
                 SHEAF_ERR_INVALID_ARGUMENT, want);
    cr_assert_null(m);
    pr.num_classes = 1;
    assert_fails(sheaf_logreg_fit(NULL, SPECTOR_X, 32, 3, 3, SPECTOR_Y, NULL, &pr, &m),
                 SHEAF_ERR_INVALID_ARGUMENT, "num_classes = 1 must be 0 (from the labels) or 2");
    pr.num_classes = 3;
    pr.family = SHEAF_LOGREG_BINOMIAL;
    assert_fails(sheaf_logreg_fit(NULL, SPECTOR_X, 32, 3, 3, SPECTOR_Y, NULL, &pr, &m),
                 SHEAF_ERR_INVALID_ARGUMENT, "family BINOMIAL but the labels have 3 classes");
}

/* ---- training summary and evaluate ----------------------------------------- */

/* ref = [log_loss, accuracy, auc, weight_sum] */
static void assert_metrics(const sheaf_logreg_metrics *got, const double *ref, const char *what)
{
    cr_assert(fabs(got->log_loss - ref[0]) <= 1e-9 * ref[0], "%s log_loss %.17g, want %.17g", what,
              got->log_loss, ref[0]);
    cr_assert(fabs(got->accuracy - ref[1]) <= 1e-12 * ref[1], "%s accuracy %.17g, want %.17g", what,
              got->accuracy, ref[1]);
    cr_assert(fabs(got->auc - ref[2]) <= 1e-12, "%s auc %.17g, want %.17g", what, got->auc, ref[2]);
    cr_assert(fabs(got->weight_sum - ref[3]) <= 1e-12 * ref[3], "%s weight_sum %.17g, want %.17g",
              what, got->weight_sum, ref[3]);
}

/* Evaluates on 1 and 5 partitions (the metrics must not depend on it). */
static void check_evaluate(const sheaf_logreg *m, const double *x, size_t n, size_t p,
                           const double *y, const double *w, const double *ref, const char *what)
{
    sheaf_logreg_metrics a, b;
    assert_ok(sheaf_logreg_evaluate(NULL, m, x, n, p, y, w, &a));
    assert_metrics(&a, ref, what);
    sheaf_ctx *ctx = make_ctx(2, 5);
    assert_ok(sheaf_logreg_evaluate(ctx, m, x, n, p, y, w, &b));
    sheaf_ctx_free(ctx);
    assert_metrics(&b, ref, what);
    cr_assert_eq(a.auc, b.auc, "%s: auc depends on the partitioning", what);
}

Test(logreg_solvers, spector_summary_and_weighted_evaluation_match_sklearn)
{
    sheaf_logreg_params pr = tight(0.0, 1, SHEAF_LOGREG_SOLVER_AUTO);
    sheaf_logreg *m = fit(SPECTOR_X, 32, 3, SPECTOR_Y, NULL, &pr);
    sheaf_logreg_metrics s;
    sheaf_logreg_training_summary(m, &s);
    assert_metrics(&s, METRICS_SPECTOR, "spector summary");
    check_evaluate(m, SPECTOR_X, 32, 3, SPECTOR_Y, NULL, METRICS_SPECTOR, "spector evaluate");
    check_evaluate(m, SPECTOR_X, 32, 3, SPECTOR_Y, METRICS_SPECTOR_W, METRICS_SPECTOR_WEIGHTED,
                   "spector weighted");
    sheaf_logreg_free(m);
}

Test(logreg_solvers, tied_scores_count_half_as_sklearn_does)
{
    double x[32];
    for (size_t i = 0; i < 32; i++)
        x[i] = SPECTOR_X[3 * i + 2]; /* PSI: two distinct scores */
    sheaf_logreg_params pr = tight(0.0, 1, SHEAF_LOGREG_SOLVER_AUTO);
    sheaf_logreg *m = fit(x, 32, 1, SPECTOR_Y, NULL, &pr);
    double c, b;
    sheaf_logreg_coefficients(m, &c);
    sheaf_logreg_intercepts(m, &b);
    assert_rel(c, TIES_PSI_COEF, 1e-8, "coef", 0);
    assert_rel(b, TIES_PSI_INTERCEPT, 1e-8, "intercept", 0);
    sheaf_logreg_metrics s;
    sheaf_logreg_training_summary(m, &s);
    assert_metrics(&s, METRICS_TIES, "ties summary");
    check_evaluate(m, x, 32, 1, SPECTOR_Y, METRICS_SPECTOR_W, METRICS_TIES_WEIGHTED,
                   "ties weighted");
    sheaf_logreg_free(m);
}

Test(logreg_solvers, iris_summary_and_held_out_evaluation_match_sklearn)
{
    sheaf_logreg_params pr = tight(IRIS_L2_1E2_REG, 0, SHEAF_LOGREG_SOLVER_AUTO);
    sheaf_logreg *m = fit(IRIS_X, 150, 4, IRIS_Y, NULL, &pr);
    sheaf_logreg_metrics s;
    sheaf_logreg_training_summary(m, &s);
    assert_metrics(&s, METRICS_IRIS, "iris summary");
    sheaf_logreg_free(m);

    double xt[120 * 4], yt[120], xh[30 * 4], yh[30];
    size_t nt = 0, nh = 0;
    for (size_t i = 0; i < 150; i++) {
        int held = i % 5 == 4;
        memcpy(held ? xh + 4 * nh : xt + 4 * nt, IRIS_X + 4 * i, 4 * sizeof(double));
        if (held)
            yh[nh++] = IRIS_Y[i];
        else
            yt[nt++] = IRIS_Y[i];
    }
    m = fit(xt, nt, 4, yt, NULL, &pr);
    double c[12], b[3], bc[3];
    sheaf_logreg_coefficients(m, c);
    sheaf_logreg_intercepts(m, b);
    assert_rel_n(c, METRICS_IRIS_HELDOUT_COEF, 12, 1e-7, "held-out fit coef");
    centred(b, bc, 3);
    assert_rel_n(bc, METRICS_IRIS_HELDOUT_INTERCEPT, 3, 1e-7, "held-out fit intercept");
    check_evaluate(m, xh, nh, 4, yh, METRICS_IRIS_HELDOUT_W, METRICS_IRIS_HELDOUT, "iris held out");
    sheaf_logreg_free(m);
}

Test(logreg_solvers, breast_cancer_held_out_evaluation_matches_sklearn)
{
    const double *z = bc_design();
    static double xt[BC_RAW_X_ROWS * 4], xh[BC_RAW_X_ROWS * 4];
    double yt[BC_RAW_X_ROWS], yh[BC_RAW_X_ROWS];
    size_t nt = 0, nh = 0;
    for (size_t i = 0; i < BC_RAW_X_ROWS; i++) {
        int held = i % 4 == 3;
        double *row = held ? xh + 4 * nh : xt + 4 * nt;
        for (size_t j = 0; j < 4; j++)
            row[j] = z[i * 30 + (size_t)BC_SUB_COLS[j]];
        if (held)
            yh[nh++] = BC_Y[i];
        else
            yt[nt++] = BC_Y[i];
    }
    cr_assert_eq(nh, METRICS_BC_HELDOUT_W_LEN);
    sheaf_logreg_params pr = tight(0.01, 0, SHEAF_LOGREG_SOLVER_AUTO);
    sheaf_logreg *m = fit(xt, nt, 4, yt, NULL, &pr);
    double c[4], b;
    sheaf_logreg_coefficients(m, c);
    sheaf_logreg_intercepts(m, &b);
    assert_rel_n(c, METRICS_BC_HELDOUT_COEF, 4, 1e-8, "coef");
    assert_rel(b, METRICS_BC_HELDOUT_INTERCEPT, 1e-8, "intercept", 0);
    sheaf_logreg_metrics s;
    sheaf_logreg_training_summary(m, &s);
    assert_metrics(&s, METRICS_BC_TRAIN, "bc summary");
    check_evaluate(m, xh, nh, 4, yh, METRICS_BC_HELDOUT_W, METRICS_BC_HELDOUT, "bc held out");
    sheaf_logreg_free(m);
}

Test(logreg_solvers, a_weighted_fit_summarises_with_its_weights)
{
    /* integer weights act as frequencies: the summary equals evaluate with them */
    sheaf_logreg_params pr = tight(0.0, 1, SHEAF_LOGREG_SOLVER_AUTO);
    sheaf_logreg *m = fit(SPECTOR_X, 32, 3, SPECTOR_Y, METRICS_SPECTOR_W, &pr);
    sheaf_logreg_metrics s, e;
    sheaf_logreg_training_summary(m, &s);
    assert_ok(sheaf_logreg_evaluate(NULL, m, SPECTOR_X, 32, 3, SPECTOR_Y, METRICS_SPECTOR_W, &e));
    cr_assert_eq(s.weight_sum, METRICS_SPECTOR_WEIGHTED[3]);
    assert_rel(s.log_loss, e.log_loss, 1e-14, "log_loss", 0);
    cr_assert_eq(s.accuracy, e.accuracy);
    cr_assert_eq(s.auc, e.auc);
    assert_rel(s.log_loss, sheaf_logreg_objective(m), 1e-14, "log_loss = objective", 0);
    sheaf_logreg_free(m);
}

Test(logreg_solvers, a_class_without_weight_makes_the_auc_nan)
{
    sheaf_logreg_params pr = tight(0.01, 0, SHEAF_LOGREG_SOLVER_AUTO);
    sheaf_logreg *m = fit(ABSENT_X, 60, 2, ABSENT_Y, NULL, &pr);
    sheaf_logreg_metrics s;
    sheaf_logreg_training_summary(m, &s);
    cr_assert(isnan(s.auc), "auc %g", s.auc);
    cr_assert(isfinite(s.log_loss) && s.accuracy > 0.0 && s.weight_sum == 60.0);
    sheaf_logreg_free(m);
    /* binomial rows of one class: no area either */
    pr = sheaf_logreg_params_default();
    m = fit(SPECTOR_X, 32, 3, SPECTOR_Y, NULL, &pr);
    double zeros[5] = {0};
    assert_ok(sheaf_logreg_evaluate(NULL, m, SPECTOR_X, 5, 3, zeros, NULL, &s));
    cr_assert(isnan(s.auc), "auc %g", s.auc);
    cr_assert(isfinite(s.log_loss) && s.weight_sum == 5.0);
    sheaf_logreg_free(m);
}

Test(logreg_solvers, evaluate_input_is_checked)
{
    sheaf_logreg_params pr = sheaf_logreg_params_default();
    sheaf_logreg *m = fit(SPECTOR_X, 32, 3, SPECTOR_Y, NULL, &pr);
    sheaf_logreg_metrics out;
    double x[9], y[3] = {0.0, 1.0, 1.0}, w[3] = {1.0, 1.0, 1.0};
    memcpy(x, SPECTOR_X, sizeof x);
    assert_fails(sheaf_logreg_evaluate(NULL, m, x, 3, 3, NULL, NULL, &out),
                 SHEAF_ERR_INVALID_ARGUMENT, "y is NULL");
    assert_fails(sheaf_logreg_evaluate(NULL, m, x, 3, 3, y, NULL, NULL), SHEAF_ERR_INVALID_ARGUMENT,
                 "NULL");
    assert_fails(sheaf_logreg_evaluate(NULL, m, x, 0, 3, y, NULL, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "n_rows = 0");
    assert_fails(sheaf_logreg_evaluate(NULL, m, x, 3, 2, y, NULL, &out), SHEAF_ERR_DIMENSION,
                 "ld = 2");
    y[2] = 2.0;
    assert_fails(sheaf_logreg_evaluate(NULL, m, x, 3, 3, y, NULL, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "label y at row 2 is 2; labels must be integers 0..1");
    y[2] = 0.5;
    assert_fails(sheaf_logreg_evaluate(NULL, m, x, 3, 3, y, NULL, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "label y at row 2 is 0.5");
    y[2] = NAN;
    assert_fails(sheaf_logreg_evaluate(NULL, m, x, 3, 3, y, NULL, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "label y at row 2 is nan");
    y[2] = 1.0;
    w[1] = -1.0;
    assert_fails(sheaf_logreg_evaluate(NULL, m, x, 3, 3, y, w, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "weight at row 1 is -1");
    w[1] = INFINITY;
    assert_fails(sheaf_logreg_evaluate(NULL, m, x, 3, 3, y, w, &out), SHEAF_ERR_NONFINITE,
                 "weight at row 1 is inf");
    w[0] = w[1] = w[2] = 0.0;
    assert_fails(sheaf_logreg_evaluate(NULL, m, x, 3, 3, y, w, &out), SHEAF_ERR_INVALID_ARGUMENT,
                 "the weights sum to 0");
    x[4] = NAN;
    assert_fails(sheaf_logreg_evaluate(NULL, m, x, 3, 3, y, NULL, &out), SHEAF_ERR_NONFINITE,
                 "x at row 1, column 1 is nan");
    sheaf_logreg_free(m);
}

/* ---- the design entry point ------------------------------------------------ */

/* A frame of SPECTOR_X's columns and the label, cut into n_parts ranges. */
static sheaf_frame *spector_frame(size_t n_parts, int with_label)
{
    double col[3][32];
    for (size_t i = 0; i < 32; i++)
        for (size_t j = 0; j < 3; j++)
            col[j][i] = SPECTOR_X[3 * i + j];
    sheaf_frame *f = NULL, *out = NULL;
    assert_ok(sheaf_frame_create(&f));
    assert_ok(sheaf_frame_add_float64(f, "GPA", col[0], NULL, 32));
    assert_ok(sheaf_frame_add_float64(f, "TUCE", col[1], NULL, 32));
    assert_ok(sheaf_frame_add_float64(f, "PSI", col[2], NULL, 32));
    if (with_label) assert_ok(sheaf_frame_add_float64(f, "GRADE", SPECTOR_Y, NULL, 32));
    assert_ok(sheaf_frame_partition_rows(NULL, f, n_parts, &out));
    sheaf_frame_free(f);
    return out;
}

static const char *const SPECTOR_NAMES[3] = {"GPA", "TUCE", "PSI"};

Test(logreg_solvers, fit_design_equals_fit_on_the_same_rows)
{
    const sheaf_logreg_solver solvers[2] = {SHEAF_LOGREG_SOLVER_NEWTON, SHEAF_LOGREG_SOLVER_LBFGS};
    const size_t parts[3] = {1, 4, 40};
    for (size_t q = 0; q < 3; q++) {
        sheaf_frame *f = spector_frame(parts[q], 1);
        sheaf_design *d = NULL;
        assert_ok(
            sheaf_vector_assemble(NULL, f, SPECTOR_NAMES, 3, "GRADE", SHEAF_MISSING_ERROR, &d));
        cr_assert_eq(sheaf_design_num_partitions(d), parts[q]);
        for (size_t s = 0; s < 2; s++) {
            sheaf_logreg_params pr = tight(0.0, 1, solvers[s]);
            sheaf_ctx *ctx = make_ctx(2, 3); /* its partition count is not used */
            sheaf_logreg *md = NULL;
            assert_ok(sheaf_logreg_fit_design(ctx, d, &pr, &md));
            sheaf_ctx_free(ctx);
            sheaf_logreg *mf = fit_on(2, parts[q], SPECTOR_X, 32, 3, SPECTOR_Y, NULL, &pr);
            double a[4], b[4];
            params_of(md, a);
            params_of(mf, b);
            /* the same row ranges, so the same bits (1e-10 would be the
             * promise across different partitionings) */
            for (size_t j = 0; j < 4; j++)
                cr_assert(memcmp(&a[j], &b[j], sizeof(double)) == 0,
                          "%zu partitions, %s: param %zu %.17g from the design, %.17g from x",
                          parts[q], sheaf_logreg_solver_name(mf), j, a[j], b[j]);
            sheaf_logreg_metrics sa, sb;
            sheaf_logreg_training_summary(md, &sa);
            sheaf_logreg_training_summary(mf, &sb);
            cr_assert_eq(sa.log_loss, sb.log_loss);
            cr_assert_eq(sa.auc, sb.auc);
            cr_assert_str_eq(sheaf_logreg_solver_name(md), sheaf_logreg_solver_name(mf));
            sheaf_logreg_free(md);
            sheaf_logreg_free(mf);
        }
        sheaf_design_free(d);
        sheaf_frame_free(f);
    }
}

Test(logreg_solvers, fit_design_input_is_checked)
{
    sheaf_logreg_params pr = sheaf_logreg_params_default();
    sheaf_logreg *m = (sheaf_logreg *)1;
    assert_fails(sheaf_logreg_fit_design(NULL, NULL, &pr, &m), SHEAF_ERR_INVALID_ARGUMENT,
                 "design is NULL");
    cr_assert_null(m);
    sheaf_frame *f = spector_frame(2, 0);
    sheaf_design *d = NULL;
    assert_ok(sheaf_vector_assemble(NULL, f, SPECTOR_NAMES, 3, NULL, SHEAF_MISSING_ERROR, &d));
    m = (sheaf_logreg *)1;
    assert_fails(sheaf_logreg_fit_design(NULL, d, &pr, &m), SHEAF_ERR_INVALID_ARGUMENT,
                 "no label column");
    cr_assert_null(m);
    sheaf_design_free(d);
    sheaf_frame_free(f);
    /* a bad label in a later partition is named by its global row */
    double y[32];
    memcpy(y, SPECTOR_Y, sizeof y);
    y[29] = 7.0;
    sheaf_frame *g = NULL, *gp = NULL;
    assert_ok(sheaf_frame_create(&g));
    assert_ok(sheaf_frame_add_float64(g, "GPA", y, NULL, 32)); /* any column will do */
    assert_ok(sheaf_frame_add_float64(g, "GRADE", y, NULL, 32));
    assert_ok(sheaf_frame_partition_rows(NULL, g, 4, &gp));
    const char *one[1] = {"GPA"};
    assert_ok(sheaf_vector_assemble(NULL, gp, one, 1, "GRADE", SHEAF_MISSING_ERROR, &d));
    pr.num_classes = 2;
    assert_fails(sheaf_logreg_fit_design(NULL, d, &pr, &m), SHEAF_ERR_INVALID_ARGUMENT,
                 "label y at row 29 is 7");
    sheaf_design_free(d);
    sheaf_frame_free(g);
    sheaf_frame_free(gp);
}

/* ---- determinism across partitions and threads ----------------------------- */

typedef struct det_case {
    const double *x, *y;
    size_t n, p, len;
    double reg;
} det_case;

static void det_fit(const det_case *c, sheaf_logreg_solver solver, int threads, size_t parts,
                    double *out)
{
    sheaf_logreg_params pr = tight(c->reg, 1, solver);
    pr.gtol = 1e-15; /* down to rounding */
    sheaf_logreg *m = fit_on(threads, parts, c->x, c->n, c->p, c->y, NULL, &pr);
    cr_assert_str_eq(sheaf_logreg_solver_name(m),
                     solver == SHEAF_LOGREG_SOLVER_NEWTON ? "newton" : "lbfgs");
    cr_assert_eq(params_of(m, out), c->len);
    sheaf_logreg_metrics s;
    sheaf_logreg_training_summary(m, &s);
    out[c->len] = s.log_loss;
    out[c->len + 1] = s.auc;
    sheaf_logreg_free(m);
}

/* Threads 1, 2, 4 give the same bits for 8 partitions; 1, 7 and 64
 * partitions round the sums differently and agree to 1e-10. */
static void check_determinism(const det_case *c, sheaf_logreg_solver solver)
{
    double ref[40], got[40];
    det_fit(c, solver, 1, 8, ref);
    for (int t = 2; t <= 4; t *= 2) {
        det_fit(c, solver, t, 8, got);
        for (size_t j = 0; j < c->len + 2; j++)
            cr_assert(memcmp(&got[j], &ref[j], sizeof(double)) == 0,
                      "solver %d, threads %d: value %zu is %.17g, with 1 thread %.17g", (int)solver,
                      t, j, got[j], ref[j]);
    }
    det_fit(c, solver, 2, 1, ref);
    const size_t parts[2] = {7, 64};
    for (size_t k = 0; k < 2; k++) {
        det_fit(c, solver, 2, parts[k], got);
        assert_rel_n(got, ref, c->len, 1e-10, "params across partitionings");
    }
}

Test(logreg_solvers, both_solvers_are_deterministic_on_breast_cancer)
{
    det_case c = {bc_design(), BC_Y, BC_RAW_X_ROWS, 30, 31, 1e-2};
    check_determinism(&c, SHEAF_LOGREG_SOLVER_NEWTON);
    check_determinism(&c, SHEAF_LOGREG_SOLVER_LBFGS);
}

Test(logreg_solvers, both_solvers_are_deterministic_on_iris_multinomial)
{
    det_case c = {IRIS_X, IRIS_Y, 150, 4, 15, 1e-2};
    check_determinism(&c, SHEAF_LOGREG_SOLVER_NEWTON);
    check_determinism(&c, SHEAF_LOGREG_SOLVER_LBFGS);
}

/* ---- allocation failures --------------------------------------------------- */

static void check_allocation_failures(const sheaf_logreg_params *pr)
{
    sheaf_ctx *ctx = make_ctx(1, 3);
    sheaf_logreg *m = NULL;
    sheaf_debug_fail_allocation(0);
    assert_ok(sheaf_logreg_fit(ctx, SPECTOR_X, 32, 3, 3, SPECTOR_Y, NULL, pr, &m));
    uint64_t count = sheaf_debug_fail_allocation(0);
    sheaf_logreg_free(m);
    cr_assert_gt(count, 5);
    for (uint64_t k = 1; k <= count; k++) {
        sheaf_debug_fail_allocation(k);
        sheaf_status st = sheaf_logreg_fit(ctx, SPECTOR_X, 32, 3, 3, SPECTOR_Y, NULL, pr, &m);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu of %llu: %s: %s", (unsigned long long)k,
                     (unsigned long long)count, sheaf_status_name(st), sheaf_last_error());
        cr_assert_null(m);
    }
    sheaf_ctx_free(ctx);
}

Test(logreg_solvers, every_allocation_failure_of_a_newton_fit_is_reported)
{
    sheaf_logreg_params pr = tight(0.0, 1, SHEAF_LOGREG_SOLVER_NEWTON);
    pr.max_iter = 4;
    check_allocation_failures(&pr);
}

Test(logreg_solvers, every_allocation_failure_of_a_bounded_fit_is_reported)
{
    sheaf_logreg_params pr = tight(0.0, 1, SHEAF_LOGREG_SOLVER_LBFGS);
    pr.lower_coefficients = BOUNDS_SPECTOR_LOWER_COEF;
    pr.upper_coefficients = BOUNDS_SPECTOR_UPPER_COEF;
    pr.lower_intercepts = &BOUNDS_SPECTOR_LOWER_INTERCEPT;
    pr.max_iter = 4;
    check_allocation_failures(&pr);
}

Test(logreg_solvers, every_allocation_failure_of_evaluate_is_reported)
{
    sheaf_logreg_params pr = sheaf_logreg_params_default();
    sheaf_logreg *m = fit(IRIS_X, 150, 4, IRIS_Y, NULL, &pr);
    sheaf_ctx *ctx = make_ctx(1, 3);
    sheaf_logreg_metrics out;
    sheaf_debug_fail_allocation(0);
    assert_ok(sheaf_logreg_evaluate(ctx, m, IRIS_X, 150, 4, IRIS_Y, NULL, &out));
    uint64_t count = sheaf_debug_fail_allocation(0);
    cr_assert_gt(count, 2);
    for (uint64_t k = 1; k <= count; k++) {
        sheaf_debug_fail_allocation(k);
        sheaf_status st = sheaf_logreg_evaluate(ctx, m, IRIS_X, 150, 4, IRIS_Y, NULL, &out);
        sheaf_debug_fail_allocation(0);
        cr_assert_eq(st, SHEAF_ERR_NOMEM, "allocation %llu: %s: %s", (unsigned long long)k,
                     sheaf_status_name(st), sheaf_last_error());
    }
    sheaf_ctx_free(ctx);
    sheaf_logreg_free(m);
}
