/* logreg_fit.c - the fit driver of sheaf_logreg_fit: checks the input,
 * computes the weighted feature moments (two passes, Spark ML's unbiased
 * weighted variance sum w (x - mean)^2 / (W - sum w^2 / W)), minimises Spark
 * ML's objective over the standardized coefficients with the shared
 * Newton, L-BFGS or OWL-QN minimiser (src/models/optim.h), each evaluation
 * a sheaf_exec_map_merge over the partitions, then maps the answer back
 * to the original scale (with an intercept the features are centred inside
 * the optimizer, which changes only the intercept's parametrisation and
 * conditions the problem far better), flags separated unpenalised data and, for binomial
 * unpenalised or L2 fits, inverts the merged Hessian for inference (as
 * statsmodels' Logit.cov_params: inverse of the negative Hessian of the
 * log-likelihood). Follows Spark ML's LogisticRegression.train (3.x,
 * mllib/.../classification/LogisticRegression.scala): intercepts start at
 * the log class frequencies, multinomial intercepts are centred, bounds
 * are mapped into the standardized space (and switch centring off when
 * they bound the intercepts). Newton fixes one active class of a
 * multinomial fit (its intercept, and without L2 its coefficients), since
 * softmax is unchanged by adding the same vector to every class; the answer
 * is centred afterwards as the other solvers' is. */
#include "models/logreg_internal.h"
#include "models/optim.h"
#include "sheaf_features.h"
#include "sheaf_linalg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define FN "sheaf_logreg_fit"
#define MAX_CLASSES 100000
/* Free parameters up to which AUTO picks Newton. A softmax Hessian costs
 * (k (p + 1))^2 / 2 per row against the gradient's k (p + 1), so
 * multinomial fits switch to L-BFGS sooner (measured: 5 classes x 51
 * parameters, Newton 0.6 s per iteration, L-BFGS 0.05 s, 67 iterations). */
#define AUTO_NEWTON_MAX 256
#define AUTO_NEWTON_MAX_MULTINOMIAL 64
#define NEWTON_MAX 4096 /* free parameters Newton accepts at all */

typedef struct fit_state {
    const sheaf_ctx *ctx;
    sh_logreg_data d;
    double *beta, *inv_s, *stats, *theta;
    double *centre;  /* p feature means (fit_intercept, no intercept bounds), else zeros */
    double *hstats;  /* Newton: 1 + n + n^2 merged statistics, else NULL */
    double *h_theta; /* Newton: the theta hstats belong to (n values) */
    double wsum, l2;
} fit_state;

static void set_beta(fit_state *s, const double *theta)
{
    size_t p = s->d.p, stride = p + 1;
    for (size_t r = 0; r < s->d.rows; r++) {
        double shift = 0.0;
        for (size_t j = 0; j < p; j++) {
            double b = theta[r * stride + j] * s->inv_s[j];
            s->beta[r * stride + j] = b;
            shift += b * s->centre[j];
        }
        s->beta[r * stride + p] = s->d.fit_intercept ? theta[r * stride + p] - shift : 0.0;
    }
}

/* f and grad in the optimizer's coordinates from merged [loss, d/dbeta]. */
static void finish_objective(const fit_state *s, const double *stats, const double *theta,
                             double *f, double *grad)
{
    size_t p = s->d.p, stride = p + 1;
    double pen = 0.0, inv_w = 1.0 / s->wsum;
    for (size_t r = 0; r < s->d.rows; r++) {
        for (size_t j = 0; j < p; j++) {
            double t = theta[r * stride + j];
            pen += t * t;
            double gj = stats[1 + r * stride + j] - s->centre[j] * stats[1 + r * stride + p];
            grad[r * stride + j] = gj * inv_w * s->inv_s[j] + s->l2 * t;
        }
        grad[r * stride + p] = stats[1 + r * stride + p] * inv_w;
    }
    *f = stats[0] * inv_w + 0.5 * s->l2 * pen;
}

static sheaf_status objective(void *arg, const double *theta, double *f, double *grad)
{
    fit_state *s = arg;
    size_t n = s->d.rows * (s->d.p + 1);
    set_beta(s, theta);
    sheaf_status st = sheaf_exec_map_merge(s->ctx, s->d.n_parts, 1 + n, sh_logreg_loss_map, NULL,
                                           &s->d, s->stats);
    if (st != SHEAF_OK) return st;
    finish_objective(s, s->stats, theta, f, grad);
    return SHEAF_OK;
}

/* The objective with its Hessian (lower triangle), for Newton. */
static sheaf_status objective_hessian(void *arg, const double *theta, double *f, double *grad,
                                      double *hess)
{
    if (!hess) return objective(arg, theta, f, grad);
    fit_state *s = arg;
    size_t p = s->d.p, stride = p + 1, n = s->d.rows * stride;
    set_beta(s, theta);
    sheaf_status st = sheaf_exec_map_merge(s->ctx, s->d.n_parts, 1 + n + n * n,
                                           sh_logreg_newton_map, NULL, &s->d, s->hstats);
    if (st != SHEAF_OK) return st;
    finish_objective(s, s->hstats, theta, f, grad);
    memcpy(s->h_theta, theta, n * sizeof *theta);
    const double *h = s->hstats + 1 + n;
    double inv_w = 1.0 / s->wsum;
    for (size_t a = 0; a < n; a++) {
        for (size_t b = 0; b <= a; b++)
            hess[a * n + b] = h[a * n + b] * inv_w;
        if (a % stride != p) hess[a * n + a] += s->l2;
    }
    return SHEAF_OK;
}

static sheaf_status check_params(const sheaf_logreg_params *params, size_t p)
{
    sheaf_status st = sheaf_logreg_params_check(params);
    if (st != SHEAF_OK) return st;
    if (p == 0 && !params->fit_intercept)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       FN ": n_features = 0 needs fit_intercept = 1 (nothing to fit)");
    if (params->num_classes == 1 || params->num_classes > MAX_CLASSES)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       FN ": num_classes = %zu must be 0 (from the labels) or 2..%d",
                       params->num_classes, MAX_CLASSES);
    if (!params->fit_intercept && (params->lower_intercepts || params->upper_intercepts))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       FN ": bounds on intercepts need fit_intercept = 1");
    return SHEAF_OK;
}

typedef struct row_check {
    const sh_logreg_part *parts;
    const size_t *first; /* global number of each partition's first row */
    size_t p;
    double ylimit;
} row_check;

/* Map: checks one partition's rows (the executor reports the lowest failing
 * partition, so the message names the first bad row overall) and, in the
 * same pass, stats = [largest label, sum w, sum w^2, sum w x_j (p)]. */
static sheaf_status check_map(void *arg, size_t part, double *stats)
{
    const row_check *rc = arg;
    const sh_logreg_part *pt = rc->parts + part;
    size_t row0 = rc->first[part], p = rc->p;
    double ymax = 0.0, *sx = stats + 3;
    for (size_t i = 0; i < pt->n; i++) {
        const double *xi = pt->x + i * pt->ld;
        double yi = pt->y[i], wi = pt->w ? pt->w[i] : 1.0, bad = 0.0;
        for (size_t j = 0; j < p; j++)
            bad += xi[j] - xi[j]; /* NaN unless every value is finite */
        if (bad != 0.0 || isnan(bad)) {
            for (size_t j = 0; j < p; j++)
                if (!isfinite(xi[j]))
                    return sh_fail(SHEAF_ERR_NONFINITE, FN ": x at row %zu, column %zu is %g",
                                   row0 + i, j, xi[j]);
        }
        if (!isfinite(yi))
            return sh_fail(SHEAF_ERR_NONFINITE, FN ": y at row %zu is %g", row0 + i, yi);
        if (yi < 0.0 || yi != floor(yi) || yi >= rc->ylimit)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           FN ": label y at row %zu is %g; labels must be integers 0..%g", row0 + i,
                           yi, rc->ylimit - 1.0);
        ymax = yi > ymax ? yi : ymax;
        if (!isfinite(wi))
            return sh_fail(SHEAF_ERR_NONFINITE, FN ": weight at row %zu is %g", row0 + i, wi);
        if (wi < 0.0)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, FN ": weight at row %zu is %g (negative)",
                           row0 + i, wi);
        stats[1] += wi;
        stats[2] += wi * wi;
        sh_axpy(wi, xi, sx, p);
    }
    stats[0] = ymax;
    return SHEAF_OK;
}

/* The largest label merges by max, the sums by addition. */
static void check_merge(void *arg, double *acc, const double *src, size_t len)
{
    (void)arg;
    acc[0] = src[0] > acc[0] ? src[0] : acc[0];
    for (size_t j = 1; j < len; j++)
        acc[j] += src[j];
}

/* Checks every row of the partitions in parallel, finds k and fills
 * first_moments = [sum w, sum w^2, sum w x_j (p)]. */
static sheaf_status check_rows(const sheaf_ctx *ctx, const sh_logreg_part *parts, size_t n_parts,
                               size_t p, const sheaf_logreg_params *params, size_t *k,
                               double *first_moments)
{
    size_t *first = sh_malloc_array(n_parts + 1, sizeof(size_t));
    double *stats = sh_calloc(3 + p, sizeof(double));
    if (!first || !stats) {
        sh_free(first);
        sh_free(stats);
        return sh_fail(SHEAF_ERR_NOMEM, FN ": out of memory for %zu partitions", n_parts);
    }
    first[0] = 0;
    for (size_t q = 0; q < n_parts; q++)
        first[q + 1] = first[q] + parts[q].n;
    size_t n = first[n_parts];
    row_check rc = {parts, first, p,
                    params->num_classes ? (double)params->num_classes : MAX_CLASSES};
    sheaf_status st =
        n == 0 ? sh_fail(SHEAF_ERR_INVALID_ARGUMENT, FN ": n_rows = 0 (empty input)")
               : sheaf_exec_map_merge(ctx, n_parts, 3 + p, check_map, check_merge, &rc, stats);
    double ymax = stats[0];
    memcpy(first_moments, stats + 1, (2 + p) * sizeof(double));
    sh_free(first);
    sh_free(stats);
    if (st != SHEAF_OK) return st;
    *k = params->num_classes ? params->num_classes : ymax < 1.0 ? 2 : (size_t)ymax + 1;
    if (params->family == SHEAF_LOGREG_BINOMIAL && *k > 2)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       FN ": family BINOMIAL but the labels have %zu classes (largest %g)", *k,
                       ymax);
    return SHEAF_OK;
}

/* Bounds in the optimizer's coordinates (lo, hi: n_theta each), checked. */
static sheaf_status map_bounds(const fit_state *s, const sheaf_logreg_params *params, double *lo,
                               double *hi)
{
    size_t p = s->d.p, stride = p + 1;
    for (size_t r = 0; r < s->d.rows; r++) {
        for (size_t j = 0; j <= p; j++) {
            const double *lb = j < p ? params->lower_coefficients : params->lower_intercepts;
            const double *ub = j < p ? params->upper_coefficients : params->upper_intercepts;
            size_t at = j < p ? r * p + j : r;
            double l = lb ? lb[at] : -INFINITY, u = ub ? ub[at] : INFINITY;
            if (isnan(l) || isnan(u) || l > u || l == INFINITY || u == -INFINITY) {
                if (j == p)
                    return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                                   FN ": bounds on intercept %zu are [%g, %g] (need lower <= "
                                      "upper, not NaN)",
                                   r, l, u);
                return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                               FN ": bounds on coefficient (%zu, %zu) are [%g, %g] (need lower <= "
                                  "upper, not NaN)",
                               r, j, l, u);
            }
            if (j == p) {
                if (!s->d.fit_intercept) l = u = 0.0;
            } else if (s->inv_s[j] == 0.0) {
                l = -INFINITY; /* fixed at 0 by standardization */
                u = INFINITY;
            } else {
                l /= s->inv_s[j];
                u /= s->inv_s[j];
            }
            lo[r * stride + j] = l;
            hi[r * stride + j] = u;
        }
    }
    return SHEAF_OK;
}

/* Moments from the checking pass's first moments fm = [W, sum w^2,
 * sum w x]: class weights (a pass over y), centres and, under
 * standardization, 1 / std per feature (a second pass over X: centred
 * squares, Spark ML's unbiased weighted variance). */
static sheaf_status moments(fit_state *s, const double *fm, int standardize, int centred,
                            double *cw)
{
    size_t p = s->d.p, k = s->d.k;
    s->wsum = fm[0];
    if (!(s->wsum > 0.0))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, FN ": the weights sum to %g (need > 0)",
                       s->wsum);
    sheaf_status st =
        sheaf_exec_map_merge(s->ctx, s->d.n_parts, k, sh_logreg_class_weights_map, NULL, &s->d, cw);
    if (st != SHEAF_OK) return st;
    double *mean = sh_calloc(2 * p + 1, sizeof(double)), *ss = mean + p;
    if (!mean) return sh_fail(SHEAF_ERR_NOMEM, FN ": out of memory for moments");
    for (size_t j = 0; j < p; j++) {
        mean[j] = fm[2 + j] / s->wsum;
        s->inv_s[j] = 1.0;
        s->centre[j] = centred ? mean[j] : 0.0;
    }
    if (standardize && p > 0) {
        s->d.mean = mean;
        st = sheaf_exec_map_merge(s->ctx, s->d.n_parts, p, sh_logreg_spread_map, NULL, &s->d, ss);
        s->d.mean = NULL;
        double denom = s->wsum - fm[1] / s->wsum;
        for (size_t j = 0; st == SHEAF_OK && j < p; j++) {
            double var = denom > 0.0 ? ss[j] / denom : 0.0;
            double sd = var > 0.0 ? sqrt(var) : 0.0;
            s->inv_s[j] = sd > 0.0 ? 1.0 / sd : 0.0;
        }
    }
    sh_free(mean);
    return st;
}

/* Records the inference in m; fails only for an executor failure (NOMEM).
 * The Hessian is merged in the optimizer's coordinates theta (centred,
 * scaled: far better conditioned than [1, x]) and mapped back: with
 * beta = T theta, Cov(beta) = T H_theta^-1 T', whose diagonal needs only
 * beta_j = inv_s_j theta_j and beta_0 = theta_0 - sum_j c_j inv_s_j theta_j.
 * h holds 1 + s + 2 s^2 doubles (s = p + 1). */
static sheaf_status inference(fit_state *s, sheaf_logreg *m, double *h)
{
    size_t p = s->d.p, sd = p + 1, fi = (size_t)s->d.fit_intercept, dim = p + fi;
    sheaf_status st = SHEAF_OK;
    if (s->hstats && memcmp(s->h_theta, s->theta, sd * sizeof(double)) == 0) {
        /* Newton's last Hessian was taken at the answer: no pass needed */
        memcpy(h, s->hstats, (1 + sd + sd * sd) * sizeof *h);
    } else {
        memset(h, 0, (1 + sd + sd * sd) * sizeof *h);
        st = sheaf_exec_map_merge(s->ctx, s->d.n_parts, 1 + sd + sd * sd, sh_logreg_newton_map,
                                  NULL, &s->d, h);
        if (st != SHEAF_OK) return st;
    }
    double *hs = h + 1 + sd;
    /* kept theta coordinates: features with a scale, then the intercept */
    size_t kd = 0, *idx = (size_t *)h; /* h[0..sd) is free now: reuse as indices */
    for (size_t j = 0; j < p; j++)
        if (s->inv_s[j] > 0.0) idx[kd++] = j;
    if (fi) idx[kd++] = p;
    double *c = hs + sd * sd; /* the kept rows and columns, packed */
    for (size_t a = 0; a < kd; a++)
        for (size_t b = 0; b < kd; b++) {
            size_t i = idx[a], j = idx[b];
            double v = i >= j ? hs[i * sd + j] : hs[j * sd + i];
            if (i == j && i < p) v += s->wsum * s->l2;
            c[a * kd + b] = v;
        }
    sheaf_matrix cm = sheaf_matrix_view(c, kd, kd);
    if (kd > 0) st = sheaf_linalg_spd_inverse(cm, cm);
    for (size_t a = 0; st == SHEAF_OK && a < kd; a++) {
        double v = c[a * kd + a];
        if (!(v > 0.0) || !isfinite(v)) st = SHEAF_ERR_SINGULAR;
    }
    if (st != SHEAF_OK) {
        m->inference_status = SHEAF_ERR_SINGULAR;
        snprintf(m->inference_error, sizeof m->inference_error,
                 "sheaf_logreg_inference: the Hessian (%zu x %zu) is not positive definite "
                 "(constant or collinear columns?)",
                 dim, dim);
        return SHEAF_OK;
    }
    /* var(beta_j) = inv_s_j^2 C_jj; var(beta_0) = C_00 - 2 a'C_0. + a'C a */
    double var0 = 0.0;
    if (fi) {
        size_t ic = kd - 1;
        double cross = 0.0, quad = 0.0;
        for (size_t a = 0; a < ic; a++) {
            double aa = s->centre[idx[a]] * s->inv_s[idx[a]], row = 0.0;
            for (size_t b = 0; b < ic; b++)
                row += c[a * kd + b] * s->centre[idx[b]] * s->inv_s[idx[b]];
            quad += aa * row;
            cross += aa * c[a * kd + ic];
        }
        var0 = c[ic * kd + ic] - 2.0 * cross + quad;
    }
    for (size_t a = 0; a < dim; a++) {
        m->bse[a] = m->z[a] = m->pv[a] = NAN;
    }
    for (size_t a = 0; a < kd; a++) {
        size_t j = idx[a];
        size_t out = j == p ? 0 : j + fi;
        double var = j == p ? var0 : c[a * kd + a] * s->inv_s[j] * s->inv_s[j];
        double coef = j == p ? m->intercept[0] : m->coef[j];
        double se = sqrt(var), zz = coef / se, sf = 0.0;
        (void)sheaf_dist_normal_sf(fabs(zz), &sf);
        m->bse[out] = se;
        m->z[out] = zz;
        m->pv[out] = 2.0 * sf;
    }
    m->inference_status = SHEAF_OK;
    return SHEAF_OK;
}

/* Centres the intercepts (icpts) and coefficients (coefs) of the active
 * classes over those classes. */
static void centre(sheaf_logreg *m, const unsigned char *active, int icpts, int coefs)
{
    size_t n_act = 0;
    for (size_t r = 0; r < m->rows; r++)
        n_act += active[r] ? 1 : 0;
    if (n_act == 0) return;
    for (size_t j = 0; j <= m->p; j++) {
        if (j < m->p && !coefs) continue;
        if (j == m->p && (!m->fit_intercept || !icpts)) continue;
        double mean = 0.0;
        for (size_t r = 0; r < m->rows; r++)
            if (active[r]) mean += j < m->p ? m->coef[r * m->p + j] : m->intercept[r];
        mean /= (double)n_act;
        for (size_t r = 0; r < m->rows; r++) {
            if (!active[r]) continue;
            if (j < m->p)
                m->coef[r * m->p + j] -= mean;
            else
                m->intercept[r] -= mean;
        }
    }
}

static int has_bounds(const sheaf_logreg_params *params)
{
    return params->lower_coefficients || params->upper_coefficients || params->lower_intercepts ||
           params->upper_intercepts;
}

/* Marks the coordinates the optimizer holds still (fixed[j] = 1) and counts
 * the others. */
static size_t fix_coordinates(const fit_state *s, const unsigned char *active, int newton,
                              unsigned char *fixed)
{
    size_t p = s->d.p, stride = p + 1, rows = s->d.rows, free = 0, last = rows;
    for (size_t r = 0; r < rows; r++)
        if (active[r]) last = r;
    for (size_t r = 0; r < rows; r++)
        for (size_t j = 0; j <= p; j++) {
            int fix = !active[r] || (j == p ? !s->d.fit_intercept : s->inv_s[j] == 0.0);
            /* softmax's free direction: pin the last active class */
            if (newton && rows > 1 && r == last && (j == p || s->l2 == 0.0)) fix = 1;
            fixed[r * stride + j] = (unsigned char)fix;
            free += fix ? 0 : 1;
        }
    return free;
}

static void set_intercept_start(fit_state *s, int multi, const double *cw,
                                const unsigned char *active)
{
    size_t p = s->d.p, stride = p + 1;
    if (!s->d.fit_intercept) return;
    if (!multi) {
        s->theta[p] = log(cw[1] / cw[0]);
        return;
    }
    double mean = 0.0, n_act = 0.0;
    for (size_t r = 0; r < s->d.rows; r++)
        if (active[r]) {
            mean += log(cw[r]);
            n_act += 1.0;
        }
    mean /= n_act;
    for (size_t r = 0; r < s->d.rows; r++)
        if (active[r]) s->theta[r * stride + p] = log(cw[r]) - mean;
}

/* Runs the chosen minimiser from s->theta. */
/* mask: 2 n_theta bytes, the fixed coordinates then room for the L1 mask. */
static sheaf_status minimise(fit_state *s, const sheaf_logreg_params *params, int newton,
                             unsigned char *mask, const double *lo, const double *hi,
                             sheaf_logreg *m)
{
    size_t n_theta = s->d.rows * (s->d.p + 1);
    sh_optim_result res;
    memset(&res, 0, sizeof res);
    res.history = m->history;
    sheaf_status st;
    if (newton) {
        sh_newton_params np = sh_newton_params_default();
        np.max_iter = params->max_iter;
        np.ftol = params->tol;
        np.gtol = params->gtol;
        np.fixed = mask;
        np.caller = FN;
        st = sh_newton_minimize(objective_hessian, s, n_theta, s->theta, &np, &res);
    } else {
        /* L-BFGS keeps fixed coordinates still by their zero gradient; the
         * L1 term must skip them (and the intercepts) explicitly. */
        unsigned char *l1_mask = mask + n_theta;
        for (size_t j = 0; j < n_theta; j++)
            l1_mask[j] = (unsigned char)(j % (s->d.p + 1) != s->d.p);
        sh_lbfgs_params op = sh_lbfgs_params_default();
        op.max_iter = params->max_iter;
        op.ftol = params->tol;
        op.gtol = params->gtol;
        op.l1 = params->reg_param * params->elastic_net_param;
        op.l1_mask = l1_mask;
        op.lower = lo;
        op.upper = hi;
        op.caller = FN;
        st = sh_lbfgs_minimize(objective, s, n_theta, s->theta, &op, &res);
    }
    if (st != SHEAF_OK) return st;
    m->iterations = res.iterations;
    m->converged = res.converged;
    snprintf(m->reason, sizeof m->reason, "%s", res.reason);
    m->objective = res.f;
    return SHEAF_OK;
}

static sheaf_status fit_parts(const sheaf_ctx *ctx, const sh_logreg_part *parts, size_t n_parts,
                              size_t p, const sheaf_logreg_params *params, sheaf_logreg **out)
{
    *out = NULL;
    size_t k = 0;
    double l1 = params->reg_param * params->elastic_net_param;
    int bounded = has_bounds(params);
    if (bounded && l1 > 0.0)
        return sh_fail(SHEAF_ERR_UNSUPPORTED,
                       FN ": bounds together with an L1 penalty (reg * alpha = %g) are not "
                          "supported",
                       l1);
    if (params->solver == SHEAF_LOGREG_SOLVER_NEWTON && (l1 > 0.0 || bounded))
        return sh_fail(SHEAF_ERR_UNSUPPORTED,
                       FN ": the NEWTON solver needs a smooth unbounded objective (%s)",
                       l1 > 0.0 ? "L1 penalty given" : "bounds given");
    double *fm = sh_malloc_array(2 + p, sizeof(double));
    if (!fm) return sh_fail(SHEAF_ERR_NOMEM, FN ": out of memory for %zu features", p);
    sheaf_status st = check_rows(ctx, parts, n_parts, p, params, &k, fm);
    if (st != SHEAF_OK) {
        sh_free(fm);
        return st;
    }
    int multi = params->family == SHEAF_LOGREG_MULTINOMIAL || k > 2;
    size_t rows = multi ? k : 1, stride = p + 1, n_theta = rows * stride;
    size_t fi = (size_t)params->fit_intercept, dim = p + fi;
    int want_inf = !multi && (params->reg_param == 0.0 || params->elastic_net_param == 0.0) &&
                   dim <= SH_LOGREG_MAX_INFERENCE;

    fit_state s;
    memset(&s, 0, sizeof s);
    s.ctx = ctx;
    s.d.parts = parts;
    s.d.n_parts = n_parts;
    s.d.p = p;
    s.d.rows = rows;
    s.d.k = k;
    s.d.fit_intercept = params->fit_intercept;
    s.l2 = params->reg_param * (1.0 - params->elastic_net_param);

    sheaf_logreg *m = sh_calloc(1, sizeof *m);
    double *work = NULL, *h = NULL;
    unsigned char *mask = NULL;
    size_t nwork = 6 * n_theta + 1 + 2 * p + k + n_parts * sh_logreg_block_rows(rows) * rows;
    work = sh_calloc(nwork, sizeof(double));
    mask = sh_calloc(2 * n_theta + rows, 1);
    if (want_inf) h = sh_calloc(1 + stride + 2 * stride * stride, sizeof(double));
    if (m) {
        m->coef = sh_calloc(rows * p + 1, sizeof(double));
        m->intercept = sh_calloc(rows, sizeof(double));
        m->bse = sh_calloc(3 * dim + 1, sizeof(double));
        m->history = sh_calloc(params->max_iter + 1, sizeof(double));
    }
    if (!m || !work || !mask || (want_inf && !h) || !m->coef || !m->intercept || !m->bse ||
        !m->history) {
        st = sh_fail(SHEAF_ERR_NOMEM, FN ": out of memory for a %zu x %zu model", rows, p);
        goto done;
    }
    m->z = m->bse + dim;
    m->pv = m->z + dim;
    m->k = k;
    m->p = p;
    m->rows = rows;
    m->fit_intercept = params->fit_intercept;
    m->threshold = params->threshold;
    m->solver = "none";
    m->inference_status = SHEAF_ERR_UNSUPPORTED;
    snprintf(m->inference_error, sizeof m->inference_error,
             "sheaf_logreg_inference: only for binomial fits with reg_param = 0 or "
             "elastic_net_param = 0 and at most %d parameters",
             SH_LOGREG_MAX_INFERENCE);

    s.theta = work;
    s.beta = s.theta + n_theta;
    s.stats = s.beta + n_theta;          /* 1 + n_theta */
    s.inv_s = s.stats + 1 + 2 * n_theta; /* p */
    double *cw = s.inv_s + p;            /* k */
    s.centre = cw + k;                   /* p */
    s.d.scratch = s.centre + p;          /* n_parts x block rows x rows */
    double *lo = s.d.scratch + n_parts * sh_logreg_block_rows(rows) * rows, *hi = lo + n_theta;
    unsigned char *active = mask + 2 * n_theta;
    s.d.beta = s.beta;
    s.d.centre = s.centre;
    s.d.inv_s = s.inv_s;

    int centred = params->fit_intercept && !params->lower_intercepts && !params->upper_intercepts;
    st = moments(&s, fm, params->standardization, centred, cw);
    if (st != SHEAF_OK) goto done;

    if (!multi && params->fit_intercept && (cw[0] == 0.0 || cw[1] == 0.0)) {
        m->intercept[0] = cw[1] == 0.0 ? -INFINITY : INFINITY;
        m->converged = 1;
        snprintf(m->reason, sizeof m->reason, "single_class");
        m->objective = 0.0;
        m->history[0] = 0.0;
        m->inference_status = SHEAF_ERR_SINGULAR;
        snprintf(m->inference_error, sizeof m->inference_error,
                 "sheaf_logreg_inference: only one class is present (infinite intercept)");
        goto summary;
    }
    for (size_t r = 0; r < rows; r++)
        active[r] = multi ? cw[r] > 0.0 : 1;
    s.d.active = multi ? active : NULL;
    set_intercept_start(&s, multi, cw, active);
    if (bounded && (st = map_bounds(&s, params, lo, hi)) != SHEAF_OK) goto done;

    size_t n_free = fix_coordinates(&s, active, 1, mask);
    int newton = l1 == 0.0 && !bounded &&
                 (params->solver == SHEAF_LOGREG_SOLVER_NEWTON ||
                  (params->solver == SHEAF_LOGREG_SOLVER_AUTO &&
                   n_free <= (multi ? AUTO_NEWTON_MAX_MULTINOMIAL : AUTO_NEWTON_MAX)));
    if (newton && n_free > NEWTON_MAX) {
        st = sh_fail(SHEAF_ERR_UNSUPPORTED,
                     FN ": the NEWTON solver takes at most %d free parameters (this fit has %zu)",
                     NEWTON_MAX, n_free);
        goto done;
    }
    if (newton) {
        s.hstats = sh_malloc_array(1 + 2 * n_theta + n_theta * n_theta, sizeof(double));
        s.h_theta = s.hstats ? s.hstats + 1 + n_theta + n_theta * n_theta : NULL;
        if (!s.hstats) {
            st = sh_fail(SHEAF_ERR_NOMEM, FN ": out of memory for a %zu x %zu Hessian", n_theta,
                         n_theta);
            goto done;
        }
    } else {
        (void)fix_coordinates(&s, active, 0, mask);
    }
    m->solver = newton ? "newton" : l1 > 0.0 ? "owlqn" : "lbfgs";
    st = minimise(&s, params, newton, mask, bounded ? lo : NULL, bounded ? hi : NULL, m);
    if (st != SHEAF_OK) goto done;
    set_beta(&s, s.theta);
    if (params->reg_param == 0.0) {
        double sep = 0.0;
        st = sheaf_exec_map_merge(ctx, n_parts, 1, sh_logreg_separation_map, NULL, &s.d, &sep);
        if (st != SHEAF_OK) goto done;
        if (sep == 0.0) {
            m->converged = 0;
            snprintf(m->reason, sizeof m->reason, "separable");
        }
    }
    for (size_t r = 0; r < rows; r++) {
        memcpy(m->coef + r * p, s.beta + r * stride, p * sizeof(double));
        m->intercept[r] = s.beta[r * stride + p];
    }
    if (want_inf && (st = inference(&s, m, h)) != SHEAF_OK) goto done;
    if (multi) {
        int coef_free = !params->lower_coefficients && !params->upper_coefficients;
        centre(m, active, centred, params->reg_param == 0.0 && coef_free);
        for (size_t r = 0; r < rows; r++)
            if (!active[r]) m->intercept[r] = -INFINITY;
    }
summary:
    st = sh_logreg_metrics(ctx, m, parts, n_parts, FN, &m->summary);
done:
    sh_free(work);
    sh_free(mask);
    sh_free(h);
    sh_free(s.hstats);
    sh_free(fm);
    if (st != SHEAF_OK) {
        sheaf_logreg_free(m);
        return st;
    }
    *out = m;
    return SHEAF_OK;
}

sheaf_status sheaf_logreg_fit(const sheaf_ctx *ctx, const double *x, size_t n_rows,
                              size_t n_features, size_t ld, const double *y, const double *weights,
                              const sheaf_logreg_params *params, sheaf_logreg **out)
{
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, FN ": out is NULL");
    *out = NULL;
    sheaf_status st = check_params(params, n_features);
    if (st != SHEAF_OK) return st;
    if (n_rows == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, FN ": n_rows = 0 (empty input)");
    if ((!x && n_features > 0) || !y)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, FN ": %s is NULL", !y ? "y" : "x");
    if (ld < n_features)
        return sh_fail(SHEAF_ERR_DIMENSION, FN ": ld = %zu is less than n_features = %zu", ld,
                       n_features);
    size_t n_parts = sheaf_ctx_partitions(ctx);
    if (n_parts == 0) n_parts = 1;
    sh_logreg_part *parts = sh_calloc(n_parts, sizeof *parts);
    if (!parts) return sh_fail(SHEAF_ERR_NOMEM, FN ": out of memory for %zu partitions", n_parts);
    sh_logreg_split_rows(x, n_rows, ld, y, weights, n_parts, parts);
    st = fit_parts(ctx, parts, n_parts, n_features, params, out);
    sh_free(parts);
    return st;
}

sheaf_status sheaf_logreg_fit_design(const sheaf_ctx *ctx, const sheaf_design *design,
                                     const sheaf_logreg_params *params, sheaf_logreg **out)
{
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_logreg_fit_design: out is NULL");
    *out = NULL;
    if (!design)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_logreg_fit_design: design is NULL");
    if (!sheaf_design_has_label(design))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "sheaf_logreg_fit_design: the design has no label column");
    size_t p = sheaf_design_num_features(design), n_parts = sheaf_design_num_partitions(design);
    sheaf_status st = check_params(params, p);
    if (st != SHEAF_OK) return st;
    sh_logreg_part *parts = sh_calloc(n_parts ? n_parts : 1, sizeof *parts);
    if (!parts) return sh_fail(SHEAF_ERR_NOMEM, FN ": out of memory for %zu partitions", n_parts);
    for (size_t q = 0; q < n_parts && st == SHEAF_OK; q++) {
        parts[q].ld = p;
        st = sheaf_design_block(design, q, &parts[q].x, &parts[q].y, &parts[q].n);
    }
    if (st == SHEAF_OK) st = fit_parts(ctx, parts, n_parts, p, params, out);
    sh_free(parts);
    return st;
}
