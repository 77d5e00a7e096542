/* optim.h - the minimisers the models share (internal; no public header
 * yet): L-BFGS with a strong-Wolfe line search for smooth objectives, OWL-QN
 * when an L1 term is added, projected L-BFGS under box bounds, and a damped
 * Newton method for smooth objectives whose Hessian the caller can merge.
 * Deterministic: no randomness, no threads of their own (the objective may
 * use the executor), one workspace allocated up front and nothing allocated
 * per iteration. */
#ifndef SH_MODELS_OPTIM_H
#define SH_MODELS_OPTIM_H

#include "core/internal.h"

#include <stddef.h>

/* Evaluates the smooth part f(x) and its gradient (n values each side) at x.
 * Returns SHEAF_OK, or a failure status with its message set through
 * sh_fail; the minimiser then stops and returns that status unchanged. */
typedef sheaf_status (*sh_objective_fn)(void *arg, const double *x, double *f, double *grad);

/* The minimised objective is F(x) = f(x) + l1 * sum_{j penalised} |x_j|.
 *
 * Stopping rule, checked at the start point and after every accepted step
 * k (F_k, and G_k = the gradient of f, or for l1 > 0 the orthant-wise
 * pseudo-gradient of F):
 *   "gradient":  max_j |G_k[j]| <= gtol * max(1, |F_k|)
 *   "function":  |F_{k-1} - F_k| <= ftol * max(|F_k|, |F_{k-1}|, 1)
 *                (Spark ML's `tol`, relative reduction of the objective)
 *   "max_iter":  max_iter steps taken without either (converged = 0;
 *                x is the last iterate, a usable estimate).
 *   "line_search": no step along the direction (after one retry along the
 *                steepest descent with the memory cleared) decreases F
 *                measurably. This happens at the limit of floating point:
 *                converged = 1 when max_j |G_k[j]| <= SH_OPTIM_STALL_GTOL *
 *                max(1, |F_k|), otherwise converged = 0.
 * ftol = 0 or gtol = 0 switch that test off (gtol = 0 still stops on an
 * exactly zero gradient).
 * The line searches treat differences of F below 1e-14 |F| as rounding, so
 * near the optimum the gradient keeps shrinking after F has stopped changing;
 * the history may then rise by that much. */
typedef struct sh_lbfgs_params {
    size_t memory;   /* corrections kept, m >= 1 (default 10) */
    size_t max_iter; /* steps at most (default 100); 0 only evaluates x */
    double ftol;     /* >= 0, default 1e-6 */
    double gtol;     /* >= 0, default 1e-6 */
    double l1;       /* >= 0; > 0 selects OWL-QN (Andrew & Gao 2007) */
    /* l1_mask[j] != 0 marks x_j as penalised; NULL penalises every x_j. */
    const unsigned char *l1_mask;
    /* Box bounds lower[j] <= x_j <= upper[j] (n values each; either may be
     * NULL, entries may be -inf / +inf): projected L-BFGS (optim_box.c),
     * the start is clamped into the box, G_k below is the projected
     * gradient. Not with l1 > 0 (UNSUPPORTED, as in Spark ML). */
    const double *lower, *upper;
    /* Name that opens the minimiser's own messages (NULL: "sh_lbfgs_minimize"). */
    const char *caller;
} sh_lbfgs_params;

/* A gradient this small relative to max(1, |F|) counts as converged when
 * the line search can no longer decrease F: about the square root of the
 * double epsilon, the accuracy to which differences of F are resolvable. */
#define SH_OPTIM_STALL_GTOL 1e-8

typedef struct sh_optim_result {
    size_t iterations;  /* accepted steps */
    size_t evaluations; /* calls of the objective */
    int converged;      /* 1 when the stopping rule (not max_iter) ended it */
    char reason[32];    /* "gradient", "function", "max_iter", "line_search" */
    double f;           /* F at the returned x */
    /* Caller-provided, may be NULL; otherwise max_iter + 1 capacity:
     * history[k] = F after k steps, k = 0..iterations. */
    double *history;
} sh_optim_result;

/* Defaults as listed in sh_lbfgs_params. */
sh_lbfgs_params sh_lbfgs_params_default(void);

/* Minimises F from the start x (n >= 1 values; on return the last accepted
 * iterate, also after a failure). r->history must be set (NULL or a buffer)
 * before the call; the other fields of r are written. Statuses:
 * INVALID_ARGUMENT for a bad parameter (named with its value) or bounds
 * with lower > upper, NONFINITE for a non-finite start or a non-finite f or gradient from the
 * objective (the message names the value and the iteration), UNSUPPORTED for box bounds, NOMEM, or
 * the objective's own failure status and message. Reaching max_iter is not an error (converged = 0,
 * reason "max_iter"). UNSUPPORTED for bounds together with l1 > 0. */
sheaf_status sh_lbfgs_minimize(sh_objective_fn fn, void *arg, size_t n, double *x,
                               const sh_lbfgs_params *p, sh_optim_result *r);

/* Evaluates f, its gradient (n values) and, when hess is not NULL, its
 * Hessian (n x n row-major; the lower triangle is read) at x. Failures as
 * sh_objective_fn. */
typedef sheaf_status (*sh_hessian_fn)(void *arg, const double *x, double *f, double *grad,
                                      double *hess);

typedef struct sh_newton_params {
    size_t max_iter; /* steps at most (default 100) */
    double ftol;     /* as sh_lbfgs_params (default 1e-6) */
    double gtol;     /* as sh_lbfgs_params (default 1e-6) */
    /* fixed[j] != 0 holds x_j at its start value (its gradient is ignored);
     * NULL: every coordinate is free. */
    const unsigned char *fixed;
    const char *caller; /* opens messages (NULL: "sh_newton_minimize") */
} sh_newton_params;

sh_newton_params sh_newton_params_default(void);

/* Minimises the smooth f from x by Newton steps d = -H^-1 g over the free
 * coordinates with Armijo backtracking from the unit step, with the same
 * stopping rule and result as sh_lbfgs_minimize (l1 = 0). A Hessian that is
 * not positive definite (collinear columns) is shifted by the smallest
 * tried multiple of the identity that makes it so (Levenberg). Statuses as
 * sh_lbfgs_minimize; NOMEM also for an n x n workspace that does not fit. */
sheaf_status sh_newton_minimize(sh_hessian_fn fn, void *arg, size_t n, double *x,
                                const sh_newton_params *p, sh_optim_result *r);

#endif
