/* optim_lbfgs.c - the limited-memory BFGS minimiser shared by the models:
 * parameter checks, the workspace, the two-loop recursion and the outer
 * iteration with its stopping rule (stated in optim.h). Method: Nocedal &
 * Wright, Numerical Optimization, 2nd ed. (2006), Algorithm 7.4 (two-loop
 * recursion) and 7.5 (L-BFGS), with the initial Hessian scaled by
 * gamma_k = s'y / y'y (eq. 7.20) and a correction pair skipped when
 * s'y <= eps * y'y (curvature too weak to keep the matrix positive
 * definite). Smooth problems step with the strong-Wolfe line search of
 * optim_wolfe.c; with an L1 term the direction comes from the orthant-wise
 * pseudo-gradient and the step from the projected backtracking of
 * optim_owlqn.c (Andrew & Gao 2007); with box bounds, the projected
 * gradient and the projected backtracking of optim_box.c. When a line
 * search fails, the memory is cleared and the steepest descent is tried
 * once before giving up. */
#include "models/optim_internal.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

sh_lbfgs_params sh_lbfgs_params_default(void)
{
    sh_lbfgs_params p = {0};
    p.memory = 10;
    p.max_iter = 100;
    p.ftol = 1e-6;
    p.gtol = 1e-6;
    return p;
}

sheaf_status sh_optim_eval(sh_optim_run *run, const double *x, double *f, double *grad)
{
    run->evaluations++;
    sheaf_status st = run->fn(run->arg, x, f, grad);
    if (st != SHEAF_OK) return st;
    if (!isfinite(*f))
        return sh_fail(SHEAF_ERR_NONFINITE, "%s: objective is not finite (f = %g) at iteration %zu",
                       run->caller, *f, run->iteration);
    for (size_t j = 0; j < run->n; j++)
        if (!isfinite(grad[j]))
            return sh_fail(SHEAF_ERR_NONFINITE,
                           "%s: gradient is not finite (grad[%zu] = %g) at iteration %zu",
                           run->caller, j, grad[j], run->iteration);
    return SHEAF_OK;
}

static double dot(size_t n, const double *a, const double *b)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

static double norm_inf(size_t n, const double *a)
{
    double m = 0.0;
    for (size_t i = 0; i < n; i++)
        m = fmax(m, fabs(a[i]));
    return m;
}

static sheaf_status check_params(const char *fn, size_t n, const double *x,
                                 const sh_lbfgs_params *p)
{
    if (n == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: n must be >= 1 (is 0)", fn);
    if (p->memory == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: memory must be >= 1 (is 0)", fn);
    if (!(p->ftol >= 0.0) || !isfinite(p->ftol))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: ftol must be finite and >= 0 (is %g)", fn,
                       p->ftol);
    if (!(p->gtol >= 0.0) || !isfinite(p->gtol))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: gtol must be finite and >= 0 (is %g)", fn,
                       p->gtol);
    if (!(p->l1 >= 0.0) || !isfinite(p->l1))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: l1 must be finite and >= 0 (is %g)", fn,
                       p->l1);
    if ((p->lower != NULL || p->upper != NULL) && p->l1 > 0.0)
        return sh_fail(SHEAF_ERR_UNSUPPORTED,
                       "%s: box bounds together with l1 > 0 are not supported (l1 = %g)", fn,
                       p->l1);
    for (size_t j = 0; j < n; j++) {
        double lo = p->lower ? p->lower[j] : -INFINITY, hi = p->upper ? p->upper[j] : INFINITY;
        if (isnan(lo) || isnan(hi) || lo > hi || lo == INFINITY || hi == -INFINITY)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           "%s: bounds of x[%zu] must satisfy lower <= upper with a finite "
                           "point between (are [%g, %g])",
                           fn, j, lo, hi);
    }
    for (size_t j = 0; j < n; j++)
        if (!isfinite(x[j]))
            return sh_fail(SHEAF_ERR_NONFINITE, "%s: start x[%zu] = %g is not finite", fn, j, x[j]);
    return SHEAF_OK;
}

/* The L-BFGS memory: m correction pairs in a ring, oldest first from
 * slot (head + m - count) % m. */
typedef struct memory {
    size_t n, m, count, head;
    double *s, *y, *rho, *a;
} memory;

/* d = -H pg by the two-loop recursion (Nocedal & Wright Alg. 7.4). */
static void two_loop(const memory *mem, const double *pg, double *d)
{
    size_t n = mem->n;
    for (size_t j = 0; j < n; j++)
        d[j] = pg[j];
    for (size_t k = mem->count; k-- > 0;) {
        size_t slot = (mem->head + mem->m - mem->count + k) % mem->m;
        const double *s = mem->s + slot * n, *y = mem->y + slot * n;
        double a = mem->rho[slot] * dot(n, s, d);
        mem->a[slot] = a;
        for (size_t j = 0; j < n; j++)
            d[j] -= a * y[j];
    }
    if (mem->count > 0) {
        size_t newest = (mem->head + mem->m - 1) % mem->m;
        const double *y = mem->y + newest * n;
        double gamma = 1.0 / (mem->rho[newest] * dot(n, y, y));
        for (size_t j = 0; j < n; j++)
            d[j] *= gamma;
    }
    for (size_t k = 0; k < mem->count; k++) {
        size_t slot = (mem->head + mem->m - mem->count + k) % mem->m;
        const double *s = mem->s + slot * n, *y = mem->y + slot * n;
        double b = mem->rho[slot] * dot(n, y, d);
        for (size_t j = 0; j < n; j++)
            d[j] += s[j] * (mem->a[slot] - b);
    }
    for (size_t j = 0; j < n; j++)
        d[j] = -d[j];
}

/* Stores s = x_new - x, y = g_new - g unless s'y is too small to keep the
 * inverse Hessian approximation positive definite. */
static void remember(memory *mem, const double *x, const double *x_new, const double *g,
                     const double *g_new)
{
    size_t n = mem->n;
    double *s = mem->s + mem->head * n, *y = mem->y + mem->head * n;
    double sy = 0.0, yy = 0.0;
    for (size_t j = 0; j < n; j++) {
        s[j] = x_new[j] - x[j];
        y[j] = g_new[j] - g[j];
        sy += s[j] * y[j];
        yy += y[j] * y[j];
    }
    if (!(sy > DBL_EPSILON * yy) || !(yy > 0.0)) return;
    mem->rho[mem->head] = 1.0 / sy;
    mem->head = (mem->head + 1) % mem->m;
    if (mem->count < mem->m) mem->count++;
}

void sh_optim_finish(sh_optim_result *r, int converged, const char *reason)
{
    r->converged = converged;
    snprintf(r->reason, sizeof r->reason, "%s", reason);
}

int sh_optim_accept(sh_optim_result *r, size_t k, double F_old, double F, double gmax, double gtol,
                    double ftol)
{
    r->iterations = k;
    r->f = F;
    if (r->history) r->history[k] = F;
    if (gmax <= gtol * fmax(1.0, fabs(F))) {
        sh_optim_finish(r, 1, "gradient");
        return 1;
    }
    if (ftol > 0.0 && fabs(F_old - F) <= ftol * fmax(fmax(fabs(F), fabs(F_old)), 1.0)) {
        sh_optim_finish(r, 1, "function");
        return 1;
    }
    return 0;
}

sheaf_status sh_lbfgs_minimize(sh_objective_fn fn, void *arg, size_t n, double *x,
                               const sh_lbfgs_params *p, sh_optim_result *r)
{
    const char *caller = p->caller ? p->caller : "sh_lbfgs_minimize";
    sh_optim_run run = {fn, arg, n, caller, p->l1, p->l1_mask, p->lower, p->upper, 0, 0};
    double *work = NULL;
    r->iterations = 0;
    r->evaluations = 0;
    r->f = NAN;
    sh_optim_finish(r, 0, "");
    sheaf_status st = check_params(caller, n, x, p);
    if (st != SHEAF_OK) return st;

    size_t m = p->memory;
    /* s, y: m x n each; rho, a: m each; d, x_new, g, g_new, pg: n each. */
    if (n > SIZE_MAX / 64 || m > (SIZE_MAX / sizeof(double) - 5 * n) / (2 * n + 2)) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for the workspace (n = %zu, memory = %zu)",
                     caller, n, m);
        goto done;
    }
    work = sh_malloc_array(2 * m * n + 2 * m + 5 * n, sizeof(double));
    if (!work) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for the workspace (n = %zu, memory = %zu)",
                     caller, n, m);
        goto done;
    }
    memory mem = {n, m, 0, 0, work, work + m * n, work + 2 * m * n, work + 2 * m * n + m};
    double *d = mem.a + m, *x_new = d + n, *g = x_new + n, *g_new = g + n;
    const int owlqn = p->l1 > 0.0, box = p->lower != NULL || p->upper != NULL;
    /* The pseudo- or projected gradient, or the gradient itself. */
    double *pg = owlqn || box ? g_new + n : g;
    if (box) sh_box_project(&run, x);

    double f;
    if ((st = sh_optim_eval(&run, x, &f, g)) != SHEAF_OK) goto done;
    double F = f + sh_optim_l1_term(&run, x);
    if (owlqn) sh_owlqn_pseudo_gradient(&run, x, g, pg);
    if (box) sh_box_projected_gradient(&run, x, g, pg);
    r->f = F;
    if (r->history) r->history[0] = F;

    double gmax = norm_inf(n, pg);
    if (gmax <= p->gtol * fmax(1.0, fabs(F))) {
        sh_optim_finish(r, 1, "gradient");
        goto done;
    }
    for (size_t k = 0; k < p->max_iter; k++) {
        run.iteration = k + 1;
        int found = 0;
        double F_new = F;
        /* First the quasi-Newton direction, then (with the memory cleared)
         * the steepest descent. */
        for (int attempt = 0; attempt < 2 && !found; attempt++) {
            if (attempt == 1) {
                if (mem.count == 0) break;
                mem.count = 0;
            }
            two_loop(&mem, pg, d);
            if (owlqn) sh_owlqn_project_direction(n, pg, d);
            if (box) sh_box_project_direction(&run, x, g, d);
            if (!(dot(n, pg, d) < 0.0)) {
                mem.count = 0;
                two_loop(&mem, pg, d); /* -pg: always a descent direction here */
            }
            double dnorm = sqrt(dot(n, d, d));
            /* Without curvature information the first step has unit length. */
            double alpha =
                mem.count == 0 && dnorm > 0.0 && isfinite(1.0 / dnorm) ? 1.0 / dnorm : 1.0;
            if (owlqn) {
                st = sh_owlqn_search(&run, x, F, pg, d, alpha, x_new, &F_new, g_new, &found);
            } else if (box) {
                st = sh_box_search(&run, x, F, g, d, alpha, x_new, &F_new, g_new, &found);
            } else {
                st = sh_optim_wolfe_search(&run, x, F, g, d, &alpha, x_new, &F_new, g_new, &found);
            }
            if (st != SHEAF_OK) goto done;
        }
        if (!found) {
            sh_optim_finish(r, gmax <= SH_OPTIM_STALL_GTOL * fmax(1.0, fabs(F)), "line_search");
            goto done;
        }
        remember(&mem, x, x_new, g, g_new);
        double F_old = F;
        memcpy(x, x_new, n * sizeof *x);
        memcpy(g, g_new, n * sizeof *g);
        F = F_new;
        if (owlqn) sh_owlqn_pseudo_gradient(&run, x, g, pg);
        if (box) sh_box_projected_gradient(&run, x, g, pg);
        gmax = norm_inf(n, pg);
        if (sh_optim_accept(r, k + 1, F_old, F, gmax, p->gtol, p->ftol)) goto done;
    }
    sh_optim_finish(r, 0, "max_iter");
done:
    r->evaluations = run.evaluations;
    sh_free(work);
    return st;
}
