/* optim_owlqn.c - the orthant-wise pieces of OWL-QN, which minimises
 * F(x) = f(x) + l1 * sum_{j penalised} |x_j| for smooth f. Method: Andrew &
 * Gao, "Scalable training of L1-regularized log-linear models", ICML 2007:
 * the pseudo-gradient (their eq. 4) replaces the gradient; the quasi-Newton
 * direction is projected onto the orthant of the steepest descent (a
 * component whose sign disagrees with -pseudo-gradient is zeroed); and the
 * backtracking line search projects each trial point onto the orthant of the
 * current point (coordinates that would cross zero are set to exactly 0),
 * accepting when F(x') <= F(x) + c1 * pg'(x' - x) (their sec. 3.2, with
 * gamma = c1 = 1e-4, halving steps and a 1e-14 relative allowance for
 * rounding in F). The L-BFGS memory is fed with the
 * gradient of the smooth part only. Mirrors Breeze's OWLQN, which Spark ML's
 * LogisticRegression uses for elastic-net penalties. */
#include "models/optim_internal.h"

#include <math.h>

/* Halvings one backtracking search may take: 2^-60 of the first step is far
 * below the resolution of any iterate. */
#define OWLQN_MAX_HALVINGS 60
/* Relative rounding noise allowed in the comparison of F, as in the Wolfe
 * search (optim_wolfe.c): near the optimum F stops changing in its last bits
 * while the pseudo-gradient can still be reduced. */
#define OWLQN_F_NOISE 1e-14

double sh_optim_l1_term(const sh_optim_run *run, const double *x)
{
    if (run->l1 <= 0.0) return 0.0;
    double s = 0.0;
    for (size_t j = 0; j < run->n; j++)
        if (sh_optim_penalised(run, j)) s += fabs(x[j]);
    return run->l1 * s;
}

void sh_owlqn_pseudo_gradient(const sh_optim_run *run, const double *x, const double *g, double *pg)
{
    const double c = run->l1;
    for (size_t j = 0; j < run->n; j++) {
        if (!sh_optim_penalised(run, j)) {
            pg[j] = g[j];
        } else if (x[j] > 0.0) {
            pg[j] = g[j] + c;
        } else if (x[j] < 0.0) {
            pg[j] = g[j] - c;
        } else if (g[j] + c < 0.0) {
            pg[j] = g[j] + c; /* F decreases to the right of 0 */
        } else if (g[j] - c > 0.0) {
            pg[j] = g[j] - c; /* F decreases to the left of 0 */
        } else {
            pg[j] = 0.0; /* 0 is optimal along x_j */
        }
    }
}

void sh_owlqn_project_direction(size_t n, const double *pg, double *d)
{
    for (size_t j = 0; j < n; j++)
        if (d[j] * pg[j] >= 0.0) d[j] = 0.0;
}

sheaf_status sh_owlqn_search(sh_optim_run *run, const double *x, double F0, const double *pg,
                             const double *d, double alpha, double *x_new, double *f_new,
                             double *g_new, int *found)
{
    *found = 0;
    for (int h = 0; h < OWLQN_MAX_HALVINGS; h++, alpha *= 0.5) {
        double decrease = 0.0; /* pg'(x_new - x), negative for a descent */
        int moved = 0;
        for (size_t j = 0; j < run->n; j++) {
            double v = x[j] + alpha * d[j];
            if (sh_optim_penalised(run, j)) {
                /* The orthant of x_j, or of -pg_j where x_j = 0. */
                double side = x[j] != 0.0 ? x[j] : -pg[j];
                if (v * side <= 0.0) v = 0.0;
            }
            x_new[j] = v;
            decrease += pg[j] * (v - x[j]);
            moved |= v != x[j];
        }
        if (!moved || !(decrease < 0.0)) return SHEAF_OK; /* the step is below rounding */
        double f;
        sheaf_status st = sh_optim_eval(run, x_new, &f, g_new);
        if (st != SHEAF_OK) return st;
        double F = f + sh_optim_l1_term(run, x_new);
        if (F <= F0 + SH_OPTIM_C1 * decrease + OWLQN_F_NOISE * fabs(F0)) {
            *f_new = F;
            *found = 1;
            return SHEAF_OK;
        }
    }
    return SHEAF_OK;
}
