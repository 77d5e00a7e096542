/* optim_internal.h - what the minimiser's files (optim_lbfgs.c,
 * optim_wolfe.c, optim_owlqn.c) share: one run's state and workspace. */
#ifndef SH_MODELS_OPTIM_INTERNAL_H
#define SH_MODELS_OPTIM_INTERNAL_H

#include "models/optim.h"

/* Sufficient-decrease constant c1 of the Armijo condition (Nocedal & Wright
 * 2006, eq. 3.6a, their recommended 1e-4). */
#define SH_OPTIM_C1 1e-4

typedef struct sh_optim_run {
    sh_objective_fn fn;
    void *arg;
    size_t n;
    const char *caller;
    double l1;
    const unsigned char *l1_mask;
    const double *lower, *upper; /* box bounds, either may be NULL */
    size_t iteration;            /* the step being taken, for messages */
    size_t evaluations;          /* objective calls so far */
} sh_optim_run;

/* Ends a run: converged flag and reason. */
void sh_optim_finish(sh_optim_result *r, int converged, const char *reason);

/* Records accepted step k (1-based) with objective F (F_old before it) and
 * gradient max-norm gmax in r, then applies optim.h's stopping rule
 * ("gradient", then "function"): returns 1 and finishes r when it holds. */
int sh_optim_accept(sh_optim_result *r, size_t k, double F_old, double F, double gmax, double gtol,
                    double ftol);

/* Calls the objective at x and checks f and grad are finite (NONFINITE
 * naming the value and run->iteration otherwise). */
sheaf_status sh_optim_eval(sh_optim_run *run, const double *x, double *f, double *grad);

/* True when x_j carries the L1 penalty. */
static inline int sh_optim_penalised(const sh_optim_run *run, size_t j)
{
    return run->l1 > 0.0 && (run->l1_mask == NULL || run->l1_mask[j] != 0);
}

/* l1 * sum of |x_j| over the penalised coordinates (0 when l1 = 0). */
double sh_optim_l1_term(const sh_optim_run *run, const double *x);

/* Strong-Wolfe line search along d from x (value f0, gradient g0). On entry
 * *alpha is the first trial step. On success *found = 1 and x_new, *f_new,
 * g_new hold the accepted point; *found = 0 means no acceptable step was
 * found (x_new and friends then hold garbage). */
sheaf_status sh_optim_wolfe_search(sh_optim_run *run, const double *x, double f0, const double *g0,
                                   const double *d, double *alpha, double *x_new, double *f_new,
                                   double *g_new, int *found);

/* The orthant-wise pseudo-gradient of F = f + l1 |x|_1 at x given grad f
 * (Andrew & Gao 2007, eq. 4). */
void sh_owlqn_pseudo_gradient(const sh_optim_run *run, const double *x, const double *g,
                              double *pg);

/* Zeroes the d_j whose sign disagrees with the steepest descent -pg_j. */
void sh_owlqn_project_direction(size_t n, const double *pg, double *d);

/* Backtracking search with orthant projection (Andrew & Gao 2007, sec. 3.2):
 * F0 and pg at x; on success *found = 1 and x_new, *f_new (the full F),
 * g_new (grad of the smooth part) hold the accepted point. */
sheaf_status sh_owlqn_search(sh_optim_run *run, const double *x, double F0, const double *pg,
                             const double *d, double alpha, double *x_new, double *f_new,
                             double *g_new, int *found);

/* Clamps x into the box. */
void sh_box_project(const sh_optim_run *run, double *x);

/* The gradient with the active components (at a bound, pointing out of the
 * box) set to 0: zero exactly at a KKT point. */
void sh_box_projected_gradient(const sh_optim_run *run, const double *x, const double *g,
                               double *pg);

/* Zeroes d on the active set. */
void sh_box_project_direction(const sh_optim_run *run, const double *x, const double *g, double *d);

/* Backtracking along the projected path P(x + alpha d): on success
 * *found = 1 and x_new, *f_new, g_new hold the accepted point. */
sheaf_status sh_box_search(sh_optim_run *run, const double *x, double f0, const double *g,
                           const double *d, double alpha, double *x_new, double *f_new,
                           double *g_new, int *found);

#endif
