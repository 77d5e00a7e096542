/* logreg_fit.c - the fit driver of sheaf_logreg_fit: checks the input,
 * computes the weighted feature moments (two passes, Spark ML's unbiased
 * weighted variance sum w (x - mean)^2 / (W - sum w^2 / W)), minimises Spark
 * ML's objective over the standardized coefficients with the shared
 * L-BFGS / OWL-QN minimiser (src/models/optim.h), each evaluation a
 * sheaf_exec_map_merge over row-range partitions, then maps the answer back
 * to the original scale (with an intercept the features are centred inside
 * the optimizer, which changes only the intercept's parametrisation and
 * conditions the problem far better), flags separated unpenalised data and, for binomial
 * unpenalised or L2 fits, inverts the merged Hessian for inference (as
 * statsmodels' Logit.cov_params: inverse of the negative Hessian of the
 * log-likelihood). Follows Spark ML's LogisticRegression.train (3.x,
 * mllib/.../classification/LogisticRegression.scala): intercepts start at
 * the log class frequencies, multinomial intercepts are centred. */
#include "models/logreg_internal.h"
#include "models/optim.h"
#include "sheaf_linalg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define FN "sheaf_logreg_fit"
#define MAX_CLASSES 100000

typedef struct fit_state {
    const sheaf_ctx *ctx;
    sh_logreg_data d;
    double *beta, *inv_s, *stats, *theta;
    double *centre; /* p feature means (fit_intercept), else zeros */
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

static sheaf_status objective(void *arg, const double *theta, double *f, double *grad)
{
    fit_state *s = arg;
    size_t p = s->d.p, stride = p + 1, n = s->d.rows * stride;
    set_beta(s, theta);
    sheaf_status st = sheaf_exec_map_merge(s->ctx, s->d.n_parts, 1 + n, sh_logreg_loss_map, NULL,
                                           &s->d, s->stats);
    if (st != SHEAF_OK) return st;
    double pen = 0.0, inv_w = 1.0 / s->wsum;
    for (size_t r = 0; r < s->d.rows; r++) {
        for (size_t j = 0; j < p; j++) {
            double t = theta[r * stride + j];
            pen += t * t;
            double gj = s->stats[1 + r * stride + j] - s->centre[j] * s->stats[1 + r * stride + p];
            grad[r * stride + j] = gj * inv_w * s->inv_s[j] + s->l2 * t;
        }
        grad[r * stride + p] = s->stats[1 + r * stride + p] * inv_w;
    }
    *f = s->stats[0] * inv_w + 0.5 * s->l2 * pen;
    return SHEAF_OK;
}

static sheaf_status check_input(const double *x, size_t n, size_t p, size_t ld, const double *y,
                                const double *w, const sheaf_logreg_params *params, size_t *k)
{
    sheaf_status st = sheaf_logreg_params_check(params);
    if (st != SHEAF_OK) return st;
    if (n == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, FN ": n_rows = 0 (empty input)");
    if (p == 0 && !params->fit_intercept)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       FN ": n_features = 0 needs fit_intercept = 1 (nothing to fit)");
    if ((!x && p > 0) || !y)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, FN ": %s is NULL", !y ? "y" : "x");
    if (ld < p)
        return sh_fail(SHEAF_ERR_DIMENSION, FN ": ld = %zu is less than n_features = %zu", ld, p);
    double ymax = 0.0;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < p; j++)
            if (!isfinite(x[i * ld + j]))
                return sh_fail(SHEAF_ERR_NONFINITE, FN ": x at row %zu, column %zu is %g", i, j,
                               x[i * ld + j]);
        double yi = y[i];
        if (!isfinite(yi)) return sh_fail(SHEAF_ERR_NONFINITE, FN ": y at row %zu is %g", i, yi);
        if (yi < 0.0 || yi != floor(yi) || yi >= MAX_CLASSES)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                           FN ": label y at row %zu is %g; labels must be integers 0..k-1", i, yi);
        if (yi > ymax) ymax = yi;
        if (w && !isfinite(w[i]))
            return sh_fail(SHEAF_ERR_NONFINITE, FN ": weight at row %zu is %g", i, w[i]);
        if (w && w[i] < 0.0)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, FN ": weight at row %zu is %g (negative)", i,
                           w[i]);
    }
    *k = ymax < 1.0 ? 2 : (size_t)ymax + 1;
    if (params->family == SHEAF_LOGREG_BINOMIAL && *k > 2)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       FN ": family BINOMIAL but the labels have %zu classes (largest %g)", *k,
                       ymax);
    return SHEAF_OK;
}

/* Moments: W, class weights, std per feature (inv_s, scale). */
static sheaf_status moments(fit_state *s, int standardize, double *cw, double *scale)
{
    size_t p = s->d.p, k = s->d.k, len = 2 + k + 2 * p;
    double *m = sh_calloc(len, sizeof(double));
    if (!m) return sh_fail(SHEAF_ERR_NOMEM, FN ": out of memory for moments");
    s->d.mean = NULL;
    sheaf_status st =
        sheaf_exec_map_merge(s->ctx, s->d.n_parts, len, sh_logreg_moments_map, NULL, &s->d, m);
    if (st != SHEAF_OK) goto done;
    s->wsum = m[0];
    memcpy(cw, m + 2, k * sizeof(double));
    if (!(s->wsum > 0.0)) {
        st = sh_fail(SHEAF_ERR_INVALID_ARGUMENT, FN ": the weights sum to %g (need > 0)", s->wsum);
        goto done;
    }
    for (size_t j = 0; j < p; j++) {
        s->inv_s[j] = 1.0;
        scale[j] = 1.0;
        s->centre[j] = s->d.fit_intercept ? m[2 + k + j] / s->wsum : 0.0;
    }
    if (standardize && p > 0) {
        double w2 = m[1];
        double *mean = m + 2 + k; /* reused: the second pass only adds to the last block */
        for (size_t j = 0; j < p; j++)
            mean[j] /= s->wsum;
        s->d.mean = mean;
        double *m2 = sh_calloc(len, sizeof(double));
        if (!m2) {
            st = sh_fail(SHEAF_ERR_NOMEM, FN ": out of memory for moments");
            goto done;
        }
        st =
            sheaf_exec_map_merge(s->ctx, s->d.n_parts, len, sh_logreg_moments_map, NULL, &s->d, m2);
        s->d.mean = NULL;
        if (st == SHEAF_OK) {
            double denom = s->wsum - w2 / s->wsum;
            for (size_t j = 0; j < p; j++) {
                double var = denom > 0.0 ? m2[2 + k + p + j] / denom : 0.0;
                double sd = var > 0.0 ? sqrt(var) : 0.0;
                scale[j] = sd;
                s->inv_s[j] = sd > 0.0 ? 1.0 / sd : 0.0;
            }
        }
        sh_free(m2);
    }
done:
    sh_free(m);
    return st;
}

static int kept(size_t a, size_t fi, const double *scale)
{
    return (fi && a == 0) || scale[a - fi] > 0.0;
}

/* Records the inference in m; fails only for an executor failure (NOMEM). */
static sheaf_status inference(fit_state *s, sheaf_logreg *m, const double *scale, double *h)
{
    size_t p = s->d.p, fi = (size_t)s->d.fit_intercept, dim = p + fi;
    sheaf_status st = sheaf_exec_map_merge(s->ctx, s->d.n_parts, dim * dim, sh_logreg_hessian_map,
                                           NULL, &s->d, h);
    if (st != SHEAF_OK) return st;
    for (size_t a = 0; a < dim; a++)
        for (size_t b = 0; b < a; b++)
            h[b * dim + a] = h[a * dim + b];
    for (size_t j = 0; j < p; j++)
        h[(j + fi) * dim + j + fi] += s->wsum * s->l2 * scale[j] * scale[j];
    /* A feature fixed at 0 by standardization (zero std) is no parameter:
     * drop its row and column (packing in place moves entries only down). */
    size_t kd = 0;
    for (size_t a = 0; a < dim; a++)
        kd += kept(a, fi, scale) ? 1 : 0;
    for (size_t a = 0, a2 = 0; a < dim; a++) {
        if (!kept(a, fi, scale)) continue;
        for (size_t b = 0, b2 = 0; b < dim; b++)
            if (kept(b, fi, scale)) h[a2 * kd + b2++] = h[a * dim + b];
        a2++;
    }
    sheaf_matrix hm = sheaf_matrix_view(h, kd, kd);
    if (kd > 0) st = sheaf_linalg_spd_inverse(hm, hm);
    for (size_t a = 0; st == SHEAF_OK && a < kd; a++) {
        double v = h[a * kd + a];
        if (!(v > 0.0) || !isfinite(v)) st = SHEAF_ERR_SINGULAR;
    }
    if (st != SHEAF_OK) {
        m->inference_status = SHEAF_ERR_SINGULAR;
        snprintf(m->inference_error, sizeof m->inference_error,
                 "sheaf_logreg_inference: the Hessian (%zu x %zu) is not positive definite "
                 "(constant or collinear columns?)",
                 kd, kd);
        return SHEAF_OK;
    }
    for (size_t a = 0, a2 = 0; a < dim; a++) {
        if (!kept(a, fi, scale)) {
            m->bse[a] = m->z[a] = m->pv[a] = NAN;
            continue;
        }
        double coef = (fi && a == 0) ? m->intercept[0] : m->coef[a - fi];
        double se = sqrt(h[a2 * kd + a2]), zz = coef / se, sf = 0.0;
        a2++;
        (void)sheaf_dist_normal_sf(fabs(zz), &sf);
        m->bse[a] = se;
        m->z[a] = zz;
        m->pv[a] = 2.0 * sf;
    }
    m->inference_status = SHEAF_OK;
    return SHEAF_OK;
}

static void centre(sheaf_logreg *m, const unsigned char *active, int coefs)
{
    size_t n_act = 0;
    for (size_t r = 0; r < m->rows; r++)
        n_act += active[r] ? 1 : 0;
    if (n_act == 0) return;
    for (size_t j = 0; j <= m->p; j++) {
        if (j < m->p && !coefs) continue;
        if (j == m->p && !m->fit_intercept) continue;
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

sheaf_status sheaf_logreg_fit(const sheaf_ctx *ctx, const double *x, size_t n_rows,
                              size_t n_features, size_t ld, const double *y, const double *weights,
                              const sheaf_logreg_params *params, sheaf_logreg **out)
{
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, FN ": out is NULL");
    *out = NULL;
    size_t k = 0, p = n_features;
    sheaf_status st = check_input(x, n_rows, p, ld, y, weights, params, &k);
    if (st != SHEAF_OK) return st;
    int multi = params->family == SHEAF_LOGREG_MULTINOMIAL || k > 2;
    size_t rows = multi ? k : 1, stride = p + 1, n_theta = rows * stride;
    size_t n_parts = sheaf_ctx_partitions(ctx);
    if (n_parts == 0) n_parts = 1;
    size_t fi = (size_t)params->fit_intercept, dim = p + fi;
    int want_inf = !multi && (params->reg_param == 0.0 || params->elastic_net_param == 0.0) &&
                   dim <= SH_LOGREG_MAX_INFERENCE;

    fit_state s;
    memset(&s, 0, sizeof s);
    s.ctx = ctx;
    s.d.x = x;
    s.d.y = y;
    s.d.w = weights;
    s.d.n = n_rows;
    s.d.p = p;
    s.d.ld = ld;
    s.d.n_parts = n_parts;
    s.d.rows = rows;
    s.d.k = k;
    s.d.fit_intercept = params->fit_intercept;
    s.l2 = params->reg_param * (1.0 - params->elastic_net_param);

    sheaf_logreg *m = sh_calloc(1, sizeof *m);
    double *work = NULL, *h = NULL;
    unsigned char *mask = NULL;
    size_t nwork = 4 * n_theta + 1 + 3 * p + k + n_parts * rows;
    work = sh_calloc(nwork, sizeof(double));
    mask = sh_calloc(n_theta + rows, 1);
    if (want_inf) h = sh_calloc(dim * dim + 1, sizeof(double));
    if (m) {
        m->coef = sh_calloc(rows * p + 1, sizeof(double));
        m->intercept = sh_calloc(rows, sizeof(double));
        m->bse = sh_calloc(3 * dim + 1, sizeof(double));
        m->history = sh_calloc(params->max_iter + 1, sizeof(double));
    }
    if (!m || !work || !mask || (want_inf && !h) || !m->coef || !m->intercept || !m->bse ||
        !m->history) {
        st = sh_fail(SHEAF_ERR_NOMEM, FN ": out of memory for a %zu x %zu model", rows, p);
        goto fail;
    }
    m->z = m->bse + dim;
    m->pv = m->z + dim;
    m->k = k;
    m->p = p;
    m->rows = rows;
    m->fit_intercept = params->fit_intercept;
    m->threshold = params->threshold;
    m->inference_status = SHEAF_ERR_UNSUPPORTED;
    snprintf(m->inference_error, sizeof m->inference_error,
             "sheaf_logreg_inference: only for binomial fits with reg_param = 0 or "
             "elastic_net_param = 0 and at most %d parameters",
             SH_LOGREG_MAX_INFERENCE);

    s.theta = work;
    s.beta = s.theta + n_theta;
    s.stats = s.beta + n_theta;          /* 1 + n_theta */
    s.inv_s = s.stats + 1 + 2 * n_theta; /* p */
    double *scale = s.inv_s + p;         /* p */
    double *cw = scale + p;              /* k */
    s.centre = cw + k;                   /* p */
    s.d.scratch = s.centre + p;          /* n_parts x rows */
    unsigned char *active = mask + n_theta;
    s.d.beta = s.beta;

    st = moments(&s, params->standardization, cw, scale);
    if (st != SHEAF_OK) goto fail;

    if (!multi && params->fit_intercept && (cw[0] == 0.0 || cw[1] == 0.0)) {
        m->intercept[0] = cw[1] == 0.0 ? -INFINITY : INFINITY;
        m->converged = 1;
        snprintf(m->reason, sizeof m->reason, "single_class");
        m->objective = 0.0;
        m->history[0] = 0.0;
        m->inference_status = SHEAF_ERR_SINGULAR;
        snprintf(m->inference_error, sizeof m->inference_error,
                 "sheaf_logreg_inference: only one class is present (infinite intercept)");
        goto done;
    }
    for (size_t r = 0; r < rows; r++) {
        active[r] = multi ? cw[r] > 0.0 : 1;
        for (size_t j = 0; j < p; j++)
            mask[r * stride + j] = 1;
    }
    s.d.active = multi ? active : NULL;
    if (params->fit_intercept) {
        if (!multi) {
            s.theta[p] = log(cw[1] / cw[0]);
        } else {
            double mean = 0.0, n_act = 0.0;
            for (size_t r = 0; r < rows; r++)
                if (active[r]) {
                    mean += log(cw[r]);
                    n_act += 1.0;
                }
            mean /= n_act;
            for (size_t r = 0; r < rows; r++)
                if (active[r]) s.theta[r * stride + p] = log(cw[r]) - mean;
        }
    }

    sh_lbfgs_params op = sh_lbfgs_params_default();
    op.max_iter = params->max_iter;
    op.ftol = params->tol;
    op.gtol = params->gtol;
    op.l1 = params->reg_param * params->elastic_net_param;
    op.l1_mask = mask;
    op.caller = FN;
    sh_optim_result res;
    memset(&res, 0, sizeof res);
    res.history = m->history;
    st = sh_lbfgs_minimize(objective, &s, n_theta, s.theta, &op, &res);
    if (st != SHEAF_OK) goto fail;
    m->iterations = res.iterations;
    m->converged = res.converged;
    snprintf(m->reason, sizeof m->reason, "%s", res.reason);
    m->objective = res.f;

    set_beta(&s, s.theta);
    if (params->reg_param == 0.0) {
        double sep = 0.0;
        st = sheaf_exec_map_merge(ctx, n_parts, 1, sh_logreg_separation_map, NULL, &s.d, &sep);
        if (st != SHEAF_OK) goto fail;
        if (sep == 0.0) {
            m->converged = 0;
            snprintf(m->reason, sizeof m->reason, "separable");
        }
    }
    for (size_t r = 0; r < rows; r++) {
        memcpy(m->coef + r * p, s.beta + r * stride, p * sizeof(double));
        m->intercept[r] = s.beta[r * stride + p];
    }
    if (want_inf && (st = inference(&s, m, scale, h)) != SHEAF_OK) goto fail;
    if (multi) {
        centre(m, active, params->reg_param == 0.0);
        for (size_t r = 0; r < rows; r++)
            if (!active[r]) m->intercept[r] = -INFINITY;
    }
done:
    sh_free(work);
    sh_free(mask);
    sh_free(h);
    *out = m;
    return SHEAF_OK;
fail:
    sh_free(work);
    sh_free(mask);
    sh_free(h);
    sheaf_logreg_free(m);
    return st;
}
