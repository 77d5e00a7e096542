/* logreg_model.c - what a fitted sheaf_logreg gives back: its getters,
 * margins, probabilities (logistic function, or softmax around the largest
 * margin so that exp never overflows, as scikit-learn's predict_proba),
 * classes (Spark ML's threshold rule for binomial: class 1 when
 * P(1) > threshold) and the inference stored by the fit. */
#include "models/logreg_internal.h"
#include "sheaf_linalg.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void sheaf_logreg_free(sheaf_logreg *m)
{
    if (!m) return;
    sh_free(m->coef);
    sh_free(m->intercept);
    sh_free(m->bse);
    sh_free(m->history);
    sh_free(m);
}

size_t sheaf_logreg_num_classes(const sheaf_logreg *m) { return m ? m->k : 0; }
size_t sheaf_logreg_num_features(const sheaf_logreg *m) { return m ? m->p : 0; }
size_t sheaf_logreg_num_rows(const sheaf_logreg *m) { return m ? m->rows : 0; }
size_t sheaf_logreg_iterations(const sheaf_logreg *m) { return m ? m->iterations : 0; }
double sheaf_logreg_objective(const sheaf_logreg *m) { return m ? m->objective : NAN; }
size_t sheaf_logreg_num_params(const sheaf_logreg *m)
{
    return m ? m->p + (size_t)m->fit_intercept : 0;
}

void sheaf_logreg_objective_history(const sheaf_logreg *m, double *out)
{
    if (m && out) memcpy(out, m->history, (m->iterations + 1) * sizeof(double));
}

void sheaf_logreg_coefficients(const sheaf_logreg *m, double *out)
{
    if (m && out) memcpy(out, m->coef, m->rows * m->p * sizeof(double));
}

void sheaf_logreg_intercepts(const sheaf_logreg *m, double *out)
{
    if (m && out) memcpy(out, m->intercept, m->rows * sizeof(double));
}

int sheaf_logreg_converged(const sheaf_logreg *m, const char **reason)
{
    if (reason) *reason = m ? m->reason : "";
    return m ? m->converged : 0;
}

const char *sheaf_logreg_solver_name(const sheaf_logreg *m) { return m ? m->solver : ""; }

void sheaf_logreg_training_summary(const sheaf_logreg *m, sheaf_logreg_metrics *out)
{
    if (m && out) *out = m->summary;
}

sheaf_status sh_logreg_check_x(const char *fn, const sheaf_logreg *m, const double *x, size_t n,
                               size_t ld, const double *out)
{
    if (!m || !out || (!x && n > 0 && m->p > 0))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s is NULL", fn,
                       !m     ? "model"
                       : !out ? "out"
                              : "x");
    if (ld < m->p)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: ld = %zu is less than the model's %zu features",
                       fn, ld, m->p);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < m->p; j++)
            if (!isfinite(x[i * ld + j]))
                return sh_fail(SHEAF_ERR_NONFINITE, "%s: x at row %zu, column %zu is %g", fn, i, j,
                               x[i * ld + j]);
    return SHEAF_OK;
}

void sh_logreg_model_margins(const sheaf_logreg *m, const double *xi, double *out)
{
    for (size_t r = 0; r < m->rows; r++) {
        out[r] = m->intercept[r] + sh_logreg_dot(m->coef + r * m->p, xi, m->p);
    }
}

/* Probabilities of one row from its margins (rows values) into k values. */
void sh_logreg_model_proba(const sheaf_logreg *m, const double *mg, double *pr)
{
    if (m->rows == 1) {
        double t = mg[0];
        double mu = sh_logreg_sigmoid(t);
        pr[0] = 1.0 - mu;
        pr[1] = mu;
        return;
    }
    double mx = -INFINITY, s = 0.0;
    for (size_t r = 0; r < m->rows; r++)
        if (mg[r] > mx) mx = mg[r];
    for (size_t r = 0; r < m->rows; r++) {
        pr[r] = exp(mg[r] - mx);
        s += pr[r];
    }
    for (size_t r = 0; r < m->rows; r++)
        pr[r] /= s;
}

size_t sh_logreg_predict_row(const sheaf_logreg *m, const double *pr)
{
    if (m->rows == 1) return pr[1] > m->threshold ? 1 : 0;
    size_t best = 0;
    for (size_t r = 1; r < m->k; r++)
        if (pr[r] > pr[best]) best = r;
    return best;
}

sheaf_status sheaf_logreg_decision_function(const sheaf_logreg *m, const double *x, size_t n,
                                            size_t ld, double *out)
{
    sheaf_status st = sh_logreg_check_x("sheaf_logreg_decision_function", m, x, n, ld, out);
    if (st != SHEAF_OK) return st;
    for (size_t i = 0; i < n; i++)
        sh_logreg_model_margins(m, x + i * ld, out + i * m->rows);
    return SHEAF_OK;
}

sheaf_status sheaf_logreg_predict_proba(const sheaf_logreg *m, const double *x, size_t n, size_t ld,
                                        double *out)
{
    sheaf_status st = sh_logreg_check_x("sheaf_logreg_predict_proba", m, x, n, ld, out);
    if (st != SHEAF_OK) return st;
    for (size_t i = 0; i < n; i++) {
        double *pr = out + i * m->k;
        sh_logreg_model_margins(m, x + i * ld, pr); /* rows <= k values, overwritten below */
        if (m->rows == 1) {
            double t = pr[0];
            sh_logreg_model_proba(m, &t, pr);
        } else {
            sh_logreg_model_proba(m, pr, pr);
        }
    }
    return SHEAF_OK;
}

sheaf_status sheaf_logreg_predict(const sheaf_logreg *m, const double *x, size_t n, size_t ld,
                                  double *out)
{
    sheaf_status st = sh_logreg_check_x("sheaf_logreg_predict", m, x, n, ld, out);
    if (st != SHEAF_OK) return st;
    double *buf = sh_malloc_array(2 * m->k, sizeof(double));
    if (!buf) return sh_fail(SHEAF_ERR_NOMEM, "sheaf_logreg_predict: out of memory");
    for (size_t i = 0; i < n; i++) {
        sh_logreg_model_margins(m, x + i * ld, buf);
        sh_logreg_model_proba(m, buf, buf + m->k);
        out[i] = (double)sh_logreg_predict_row(m, buf + m->k);
    }
    sh_free(buf);
    return SHEAF_OK;
}

sheaf_status sheaf_logreg_inference(const sheaf_logreg *m, double *bse, double *z, double *p)
{
    if (!m) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_logreg_inference: model is NULL");
    if (m->inference_status != SHEAF_OK)
        return sh_fail(m->inference_status, "%s", m->inference_error);
    size_t d = m->p + (size_t)m->fit_intercept;
    if (bse) memcpy(bse, m->bse, d * sizeof(double));
    if (z) memcpy(z, m->z, d * sizeof(double));
    if (p) memcpy(p, m->pv, d * sizeof(double));
    return SHEAF_OK;
}

sheaf_status sheaf_logreg_conf_int(const sheaf_logreg *m, double alpha, double *lower,
                                   double *upper)
{
    if (!m || !lower || !upper)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "sheaf_logreg_conf_int: %s is NULL",
                       !m       ? "model"
                       : !lower ? "lower"
                                : "upper");
    if (!(alpha > 0.0 && alpha < 1.0))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "sheaf_logreg_conf_int: alpha = %g must be in (0, 1)", alpha);
    if (m->inference_status != SHEAF_OK)
        return sh_fail(m->inference_status, "%s", m->inference_error);
    double q = 0.0;
    sheaf_status st = sheaf_dist_normal_quantile(1.0 - alpha / 2.0, &q);
    if (st != SHEAF_OK) return st;
    size_t d = m->p + (size_t)m->fit_intercept, fi = (size_t)m->fit_intercept;
    for (size_t a = 0; a < d; a++) {
        double coef = (fi && a == 0) ? m->intercept[0] : m->coef[a - fi];
        lower[a] = coef - q * m->bse[a];
        upper[a] = coef + q * m->bse[a];
    }
    return SHEAF_OK;
}
