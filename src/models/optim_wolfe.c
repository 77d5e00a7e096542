/* optim_wolfe.c - the line search of the smooth L-BFGS path: find a step
 * alpha along a descent direction d satisfying the strong Wolfe conditions
 *   phi(alpha) <= phi(0) + c1 alpha phi'(0),   |phi'(alpha)| <= c2 |phi'(0)|
 * with phi(alpha) = f(x + alpha d), c1 = 1e-4, c2 = 0.9. Method: Nocedal &
 * Wright, Numerical Optimization, 2nd ed. (2006), Algorithm 3.5 (bracketing
 * by doubling the step) and Algorithm 3.6 (zoom), with the trial step inside
 * a bracket chosen by the safeguarded cubic interpolation of eq. 3.59 (kept at
 * least 10% of the bracket away from its ends, bisection otherwise). If the
 * search runs out of evaluations or the bracket shrinks to rounding, the best
 * point found that satisfies sufficient decrease is returned (re-evaluated),
 * so progress is never thrown away; with none, the search reports failure.
 * Comparisons of f allow a relative rounding noise of 1e-14 (see below). */
#include "models/optim_internal.h"

#include <float.h>
#include <math.h>

/* Curvature constant c2: 0.9 is the usual choice for quasi-Newton methods
 * (Nocedal & Wright 2006, p. 34), so the unit step is mostly accepted. */
#define WOLFE_C2 0.9
/* Rounding in an objective summed over many terms: value differences below
 * this fraction of |f(x)| are noise, so comparisons of f allow it (the
 * "approximate Wolfe" idea of Hager & Zhang 2005, sec. 4). Without it, near
 * the optimum, where f no longer changes in its last bits, the search fails
 * while the gradient could still be reduced by orders of magnitude. */
#define WOLFE_F_NOISE 1e-14
/* Objective evaluations one line search may spend. */
#define WOLFE_MAX_EVALS 40

typedef struct trial {
    double alpha, f, dphi;
} trial;

static double dot(size_t n, const double *a, const double *b)
{
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

/* Minimiser of the cubic through (a.alpha, a.f, a.dphi) and (b.alpha, ...),
 * Nocedal & Wright eq. 3.59, safeguarded into the middle 80% of [a, b]. */
static double interpolate(trial a, trial b)
{
    double lo = fmin(a.alpha, b.alpha), hi = fmax(a.alpha, b.alpha);
    double mid = 0.5 * (lo + hi), margin = 0.1 * (hi - lo);
    double d1 = a.dphi + b.dphi - 3.0 * (a.f - b.f) / (a.alpha - b.alpha);
    double disc = d1 * d1 - a.dphi * b.dphi;
    if (!(disc >= 0.0)) return mid;
    double d2 = copysign(sqrt(disc), b.alpha - a.alpha);
    double t = b.alpha - (b.alpha - a.alpha) * (b.dphi + d2 - d1) / (b.dphi - a.dphi + 2.0 * d2);
    if (!isfinite(t) || t < lo + margin || t > hi - margin) return mid;
    return t;
}

/* Evaluates phi at alpha, leaving the point in x_new / f_new / g_new. */
static sheaf_status probe(sh_optim_run *run, const double *x, const double *d, double alpha,
                          double *x_new, double *f_new, double *g_new, trial *t)
{
    for (size_t i = 0; i < run->n; i++)
        x_new[i] = x[i] + alpha * d[i];
    sheaf_status st = sh_optim_eval(run, x_new, f_new, g_new);
    if (st != SHEAF_OK) return st;
    t->alpha = alpha;
    t->f = *f_new;
    t->dphi = dot(run->n, g_new, d);
    return SHEAF_OK;
}

sheaf_status sh_optim_wolfe_search(sh_optim_run *run, const double *x, double f0, const double *g0,
                                   const double *d, double *alpha, double *x_new, double *f_new,
                                   double *g_new, int *found)
{
    const double dphi0 = dot(run->n, g0, d);
    const double noise = WOLFE_F_NOISE * fabs(f0);
    const trial start = {0.0, f0, dphi0};
    trial prev = start, lo = start, hi = start, cur;
    int bracketed = 0;
    sheaf_status st;
    *found = 0;

    double a = *alpha;
    int evals = 0;
    /* Algorithm 3.5: grow the step until the minimiser is bracketed. */
    while (!bracketed && evals < WOLFE_MAX_EVALS) {
        if ((st = probe(run, x, d, a, x_new, f_new, g_new, &cur)) != SHEAF_OK) return st;
        evals++;
        if (cur.f > f0 + SH_OPTIM_C1 * a * dphi0 + noise || (evals > 1 && cur.f > prev.f + noise)) {
            lo = prev;
            hi = cur;
            bracketed = 1;
        } else if (fabs(cur.dphi) <= -WOLFE_C2 * dphi0) {
            *alpha = a;
            *found = 1;
            return SHEAF_OK;
        } else if (cur.dphi >= 0.0) {
            lo = cur;
            hi = prev;
            bracketed = 1;
        } else {
            prev = cur;
            lo = cur;
            a *= 2.0;
        }
    }
    /* Algorithm 3.6: shrink [lo, hi]; lo always satisfies sufficient
     * decrease and has the lowest f seen among such points. */
    while (bracketed && evals < WOLFE_MAX_EVALS) {
        if (fabs(hi.alpha - lo.alpha) <= DBL_EPSILON * fmax(lo.alpha, hi.alpha)) break;
        a = interpolate(lo, hi);
        if ((st = probe(run, x, d, a, x_new, f_new, g_new, &cur)) != SHEAF_OK) return st;
        evals++;
        if (cur.f > f0 + SH_OPTIM_C1 * a * dphi0 + noise || cur.f > lo.f + noise) {
            hi = cur;
        } else {
            if (fabs(cur.dphi) <= -WOLFE_C2 * dphi0) {
                *alpha = a;
                *found = 1;
                return SHEAF_OK;
            }
            if (cur.dphi * (hi.alpha - lo.alpha) >= 0.0) hi = lo;
            lo = cur;
        }
    }
    /* Out of evaluations or bracket: fall back on the best decreasing point. */
    if (lo.alpha > 0.0 && lo.f < f0) {
        if ((st = probe(run, x, d, lo.alpha, x_new, f_new, g_new, &cur)) != SHEAF_OK) return st;
        *alpha = lo.alpha;
        *found = 1;
    }
    return SHEAF_OK;
}
