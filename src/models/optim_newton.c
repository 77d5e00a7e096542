/* optim_newton.c - damped Newton for smooth objectives whose Hessian is
 * cheap to merge (logistic regression with few parameters: X'WX summed
 * over partitions, as IRLS does). Each step solves H d = -g over the free
 * coordinates by Cholesky; when H is not positive definite (collinear
 * columns, rounding), H + lambda I is tried with lambda growing from
 * 1e-10 max(diag H) by 100x (Nocedal & Wright 2006, sec. 3.4, modified
 * Newton with a multiple of the identity). The unit step is tried first and
 * halved until the Armijo condition holds (Nocedal & Wright, Alg. 3.1);
 * the Hessian is computed together with the first trial, so an accepted
 * unit step costs one evaluation. Near the optimum, where f changes by less
 * than rounding, a step is accepted when f has not risen beyond 1e-14 |f|
 * and the gradient shrank - as the L-BFGS searches do. */
#include "models/optim_internal.h"
#include "sheaf_linalg.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#define MAX_HALVINGS 40
#define MAX_SHIFTS 8

sh_newton_params sh_newton_params_default(void)
{
    sh_newton_params p = {0};
    p.max_iter = 100;
    p.ftol = 1e-6;
    p.gtol = 1e-6;
    return p;
}

typedef struct newton_run {
    sh_hessian_fn fn;
    void *arg;
    size_t n, nf;     /* coordinates, free coordinates */
    size_t *free_idx; /* nf indices */
    const char *caller;
    size_t iteration, evaluations;
} newton_run;

static sheaf_status eval(newton_run *run, const double *x, double *f, double *g, double *h)
{
    run->evaluations++;
    sheaf_status st = run->fn(run->arg, x, f, g, h);
    if (st != SHEAF_OK) return st;
    if (!isfinite(*f))
        return sh_fail(SHEAF_ERR_NONFINITE, "%s: objective is not finite (f = %g) at iteration %zu",
                       run->caller, *f, run->iteration);
    for (size_t a = 0; a < run->nf; a++) {
        size_t j = run->free_idx[a];
        if (!isfinite(g[j]))
            return sh_fail(SHEAF_ERR_NONFINITE,
                           "%s: gradient is not finite (grad[%zu] = %g) at iteration %zu",
                           run->caller, j, g[j], run->iteration);
    }
    return SHEAF_OK;
}

static double free_norm_inf(const newton_run *run, const double *g)
{
    double m = 0.0;
    for (size_t a = 0; a < run->nf; a++)
        m = fmax(m, fabs(g[run->free_idx[a]]));
    return m;
}

/* d = -(H + lambda I)^-1 g on the free coordinates (0 elsewhere), lambda the
 * smallest tried shift that factors; hf is an nf x nf workspace. Returns 0
 * when no shift made H positive definite or the solve overflowed. */
static int newton_direction(const newton_run *run, const double *h, const double *g, double *hf,
                            double *d)
{
    size_t n = run->n, nf = run->nf;
    double dmax = 0.0;
    for (size_t a = 0; a < nf; a++)
        dmax = fmax(dmax, fabs(h[run->free_idx[a] * n + run->free_idx[a]]));
    double lambda = 0.0;
    for (int attempt = 0; attempt <= MAX_SHIFTS; attempt++) {
        for (size_t a = 0; a < nf; a++) {
            const double *row = h + run->free_idx[a] * n;
            for (size_t b = 0; b <= a; b++)
                hf[a * nf + b] = row[run->free_idx[b]];
            hf[a * nf + a] += lambda;
        }
        sheaf_matrix hm = sheaf_matrix_view(hf, nf, nf);
        if (sheaf_linalg_cholesky(hm) == SHEAF_OK) {
            memset(d, 0, n * sizeof *d);
            double *rhs = hf + nf * nf;
            for (size_t a = 0; a < nf; a++)
                rhs[a] = -g[run->free_idx[a]];
            if (sheaf_linalg_cholesky_solve(hm, sheaf_matrix_view(rhs, nf, 1)) != SHEAF_OK)
                return 0;
            for (size_t a = 0; a < nf; a++)
                d[run->free_idx[a]] = rhs[a];
            return 1;
        }
        lambda = attempt == 0 ? 1e-10 * fmax(dmax, 1e-300) : lambda * 100.0;
    }
    return 0;
}

sheaf_status sh_newton_minimize(sh_hessian_fn fn, void *arg, size_t n, double *x,
                                const sh_newton_params *p, sh_optim_result *r)
{
    const char *caller = p->caller ? p->caller : "sh_newton_minimize";
    newton_run run = {fn, arg, n, 0, NULL, caller, 0, 0};
    r->iterations = 0;
    r->evaluations = 0;
    r->f = NAN;
    sh_optim_finish(r, 0, "");
    if (n == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: n must be >= 1 (is 0)", caller);
    if (!(p->ftol >= 0.0) || !isfinite(p->ftol) || !(p->gtol >= 0.0) || !isfinite(p->gtol))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: ftol and gtol must be finite and >= 0 (are %g, %g)", caller, p->ftol,
                       p->gtol);
    for (size_t j = 0; j < n; j++)
        if (!isfinite(x[j]))
            return sh_fail(SHEAF_ERR_NONFINITE, "%s: start x[%zu] = %g is not finite", caller, j,
                           x[j]);
    /* h, hf (+ rhs): n^2 + nf^2 + nf; g, g_new, d, x_new: 4n. */
    if (n > (size_t)sqrt((double)(SIZE_MAX / sizeof(double) / 4)))
        return sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for an %zu x %zu Hessian", caller, n, n);
    double *work = sh_malloc_array(2 * n * n + 5 * n, sizeof(double));
    size_t *free_idx = sh_malloc_array(n, sizeof(size_t));
    sheaf_status st = SHEAF_OK;
    if (!work || !free_idx) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for an %zu x %zu Hessian", caller, n, n);
        goto done;
    }
    for (size_t j = 0; j < n; j++)
        if (!p->fixed || !p->fixed[j]) free_idx[run.nf++] = j;
    run.free_idx = free_idx;
    double *h = work, *hf = h + n * n, *g = hf + n * n + n, *g_new = g + n, *d = g_new + n;
    double *x_new = d + n;

    double f;
    if ((st = eval(&run, x, &f, g, h)) != SHEAF_OK) goto done;
    r->f = f;
    if (r->history) r->history[0] = f;
    double gmax = free_norm_inf(&run, g);
    if (run.nf == 0 || gmax <= p->gtol * fmax(1.0, fabs(f))) {
        sh_optim_finish(r, 1, "gradient");
        goto done;
    }
    for (size_t k = 0; k < p->max_iter; k++) {
        run.iteration = k + 1;
        if (!newton_direction(&run, h, g, hf, d)) {
            memset(d, 0, n * sizeof *d);
            for (size_t a = 0; a < run.nf; a++)
                d[free_idx[a]] = -g[free_idx[a]];
        }
        double slope = 0.0;
        for (size_t a = 0; a < run.nf; a++)
            slope += g[free_idx[a]] * d[free_idx[a]];
        if (!(slope < 0.0)) {
            for (size_t a = 0; a < run.nf; a++)
                d[free_idx[a]] = -g[free_idx[a]];
            slope = -gmax * gmax; /* only the sign and scale matter below */
        }
        double alpha = 1.0, f_new = f, noise = 1e-14 * fmax(1.0, fabs(f));
        int found = 0;
        for (int t = 0; t <= MAX_HALVINGS && !found; t++, alpha *= 0.5) {
            for (size_t j = 0; j < n; j++)
                x_new[j] = x[j] + alpha * d[j];
            if ((st = eval(&run, x_new, &f_new, g_new, t == 0 ? h : NULL)) != SHEAF_OK) goto done;
            if (f_new <= f + SH_OPTIM_C1 * alpha * slope)
                found = 1;
            else if (f_new <= f + noise && free_norm_inf(&run, g_new) < gmax)
                found = 1;
            if (found && t > 0 && (st = eval(&run, x_new, &f_new, g_new, h)) != SHEAF_OK) goto done;
            if (!found && t == 0 && alpha * fabs(slope) <= noise) break; /* no room left */
        }
        if (!found) {
            sh_optim_finish(r, gmax <= SH_OPTIM_STALL_GTOL * fmax(1.0, fabs(f)), "line_search");
            goto done;
        }
        double f_old = f;
        memcpy(x, x_new, n * sizeof *x);
        memcpy(g, g_new, n * sizeof *g);
        f = f_new;
        gmax = free_norm_inf(&run, g);
        if (sh_optim_accept(r, k + 1, f_old, f, gmax, p->gtol, p->ftol)) goto done;
    }
    sh_optim_finish(r, 0, "max_iter");
done:
    r->evaluations = run.evaluations;
    sh_free(work);
    sh_free(free_idx);
    return st;
}
