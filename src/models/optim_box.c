/* optim_box.c - the box-constrained pieces of the minimiser: L-BFGS for
 * min f(x) subject to lower <= x <= upper, in the projected quasi-Newton
 * form (an "L-BFGS-B-lite", not Byrd, Lu, Nocedal & Zhu's generalised
 * Cauchy point). Method: the active set is the coordinates at a bound whose
 * gradient points out of the box (Bertsekas, "Projected Newton methods for
 * optimization problems with simple constraints", SIAM J. Control Optim.
 * 20, 1982); the quasi-Newton direction is computed from the projected
 * gradient and zeroed on the active set; the step is a backtracking search
 * along the projected path P(x + alpha d), accepted when
 * f(P(x + alpha d)) <= f(x) + c1 g'(P(x + alpha d) - x), the same test
 * OWL-QN uses on its orthant (Andrew & Gao 2007, sec. 3.2). Convergence is
 * measured on the projected gradient, zero exactly at a KKT point. */
#include "models/optim_internal.h"

#include <math.h>

/* As in optim_owlqn.c: halvings one search may take, and the relative
 * rounding noise allowed in comparing f. */
#define BOX_MAX_HALVINGS 60
#define BOX_F_NOISE 1e-14

static double lower_of(const sh_optim_run *run, size_t j)
{
    return run->lower ? run->lower[j] : -INFINITY;
}

static double upper_of(const sh_optim_run *run, size_t j)
{
    return run->upper ? run->upper[j] : INFINITY;
}

static double clamp(const sh_optim_run *run, size_t j, double v)
{
    return fmin(fmax(v, lower_of(run, j)), upper_of(run, j));
}

/* x_j sits on a bound and the descent -g_j would leave the box. */
static int active(const sh_optim_run *run, const double *x, const double *g, size_t j)
{
    return (x[j] <= lower_of(run, j) && g[j] > 0.0) || (x[j] >= upper_of(run, j) && g[j] < 0.0);
}

void sh_box_project(const sh_optim_run *run, double *x)
{
    for (size_t j = 0; j < run->n; j++)
        x[j] = clamp(run, j, x[j]);
}

void sh_box_projected_gradient(const sh_optim_run *run, const double *x, const double *g,
                               double *pg)
{
    for (size_t j = 0; j < run->n; j++)
        pg[j] = active(run, x, g, j) ? 0.0 : g[j];
}

void sh_box_project_direction(const sh_optim_run *run, const double *x, const double *g, double *d)
{
    for (size_t j = 0; j < run->n; j++)
        if (active(run, x, g, j)) d[j] = 0.0;
}

sheaf_status sh_box_search(sh_optim_run *run, const double *x, double f0, const double *g,
                           const double *d, double alpha, double *x_new, double *f_new,
                           double *g_new, int *found)
{
    *found = 0;
    for (int h = 0; h < BOX_MAX_HALVINGS; h++, alpha *= 0.5) {
        double decrease = 0.0; /* g'(x_new - x), negative for a descent */
        int moved = 0;
        for (size_t j = 0; j < run->n; j++) {
            x_new[j] = clamp(run, j, x[j] + alpha * d[j]);
            decrease += g[j] * (x_new[j] - x[j]);
            moved |= x_new[j] != x[j];
        }
        if (!moved || !(decrease < 0.0)) return SHEAF_OK; /* the step is below rounding */
        double f;
        sheaf_status st = sh_optim_eval(run, x_new, &f, g_new);
        if (st != SHEAF_OK) return st;
        if (f <= f0 + SH_OPTIM_C1 * decrease + BOX_F_NOISE * fabs(f0)) {
            *f_new = f;
            *found = 1;
            return SHEAF_OK;
        }
    }
    return SHEAF_OK;
}
