/* arima_fit.c - fitting ARIMA models: R's conditional sum of squares (CSS),
 * exact maximum likelihood in statsmodels' convention (ML), and ML started
 * from the CSS optimum (CSS-ML, R's default).
 *
 * The objectives are minimised by the L-BFGS of src/models with finite
 * difference gradients: forward (step 1e-7 max(1, |x|)) for ML's rough CSS
 * start and the profiled ML stage, which the Newton polish finishes;
 * central (6e-6 max(1, |x|), about the cube root of the double epsilon)
 * otherwise:
 *   CSS: 0.5 log(ssq / nu) over (beta, AR and MA coefficients as they are),
 *        as R's armaCSS, stopping also as R's optim does (relative change
 *        below 1.49e-8): ill-conditioned candidates of auto.arima (nearly
 *        cancelling roots) otherwise crawl to max_iter;
 *   ML:  -llf / nobs_effective over (beta, partial autocorrelations of
 *        every AR and MA polynomial through x / sqrt(1 + x^2) when the
 *        enforce flags are on (arima_transform.c), log sigma2).
 * ML on a complete series with enforce_stationarity (the usual case) runs
 * in two stages on the differenced model (arima_differenced.c): L-BFGS on
 * the exact likelihood of the stationary differenced series with sigma2
 * profiled out (O(k) Chandrasekhar steps), then Newton steps on
 * statsmodels' function itself, written as the diffuse phase plus the
 * k-state ARMA filter, from its central-difference Hessian and gradient
 * (L-BFGS on that function where Newton cannot). Other series run L-BFGS
 * on statsmodels' Kalman filter (arima_kalman.c) directly.
 * The regression coefficients travel scaled by their least-squares standard
 * error times sqrt(nobs), so every coordinate has a curvature near one. The
 * regression starts from least squares on the differenced data; ML starts
 * from a short CSS fit (at most 30 iterations, gradient 1e-4; a block
 * outside the stationary or invertible region starts at zero), CSS-ML from
 * the full CSS optimum. A trial point where the filter fails (a unit root
 * reached in floating point) scores 1e10, so the line search steps back.
 *
 * Standard errors (ML): the Hessian of statsmodels' log-likelihood in the
 * parameters themselves by central differences (steps 1e-2 of the
 * least-squares standard error for beta, 1e-4 for AR/MA coefficients, 1e-4
 * sigma2 for sigma2), then sqrt diag of (-H)^-1 - statsmodels'
 * cov_type='approx', which differentiates the same function by complex
 * steps. CSS: R's var.coef, the inverse of n_used times the Hessian of the
 * CSS objective. */
#include "models/optim.h"
#include "timeseries/arima_internal.h"
#include "timeseries/stattools_internal.h"

#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char fn[] = "sheaf_arima_fit";

/* What a failed trial point scores (-llf / nobs and 0.5 log(ssq / nu) of
 * any real series are orders of magnitude below it). */
#define FAILED_POINT 1e10
#define FD_STEP 6e-6
#define FWD_STEP 1e-7
#define CSS_RELTOL 1.49e-8
/* ML's start: a rough CSS fit. */
#define START_CSS_ITER 30
#define START_CSS_GTOL 1e-4

sheaf_arima_fit_options sheaf_arima_fit_options_default(void)
{
    sheaf_arima_fit_options o = {0};
    o.method = SHEAF_ARIMA_ML;
    o.max_iter = 200;
    o.gtol = 1e-7;
    o.compute_bse = 1;
    return o;
}

/* The ML functions: statsmodels' filter (series with missing values or
 * without enforce_stationarity), or the differenced model's (arima_
 * differenced.c) - the stationary start with sigma2 profiled out, then
 * statsmodels' function in its exact differenced form to finish; the
 * stationary start with sigma2 as given stands in for the latter's
 * Hessian where both agree (see newton_polish). */
typedef enum ml_objective { ML_FILTER, ML_PROFILE, ML_STATIONARY, ML_EXACT } ml_objective;

/* The objective of one stage and its scratch. */
typedef struct objective {
    const sheaf_arima_spec *spec;
    const sh_arima_dims *dims;
    sh_arima_filter *filter;
    sh_arima_diff *diff; /* the differenced data (CSS and the fast ML objectives) */
    bool ml;             /* ML or CSS */
    ml_objective kind;   /* which ML function (x ends with log sigma2 unless profiled) */
    bool forward;        /* forward differences (smooth functions, a start or a
                            stage that the Newton polish finishes) */
    const double *scale; /* kreg: beta_j = x_j scale_j */
    double nobs;         /* ML's divisor */
    double *params, *tw, *css_work, *xh;
    size_t nx;
} objective;

/* One polynomial block x -> coefficients (sign -1: MA, whose coefficients
 * are minus those of the stationary polynomial). */
static void block_to(const objective *o, const double *x, size_t len, bool transform, double sign,
                     double *out)
{
    if (!transform) {
        memcpy(out, x, len * sizeof(double));
        return;
    }
    sh_arima_constrain(x, len, out, o->tw);
    for (size_t i = 0; i < len; i++)
        out[i] *= sign;
}

static bool block_from(const objective *o, const double *c, size_t len, bool transform, double sign,
                       double *x)
{
    if (!transform) {
        memcpy(x, c, len * sizeof(double));
        return true;
    }
    double *tmp = o->tw + len * len;
    for (size_t i = 0; i < len; i++)
        tmp[i] = sign * c[i];
    if (sh_arima_unconstrain(tmp, len, x, o->tw)) return true;
    memset(x, 0, len * sizeof(double));
    return false;
}

static void to_params(const objective *o, const double *x, double *params)
{
    const sh_arima_dims *d = o->dims;
    const sheaf_arima_spec *s = o->spec;
    bool st = o->ml && s->enforce_stationarity, inv = o->ml && s->enforce_invertibility;
    for (size_t j = 0; j < d->kreg; j++)
        params[j] = x[j] * o->scale[j];
    block_to(o, x + d->o_ar, s->p, st, 1.0, params + d->o_ar);
    block_to(o, x + d->o_ma, s->q, inv, -1.0, params + d->o_ma);
    block_to(o, x + d->o_sar, s->P, st, 1.0, params + d->o_sar);
    block_to(o, x + d->o_sma, s->Q, inv, -1.0, params + d->o_sma);
    if (!o->ml || o->kind != ML_PROFILE) params[d->o_sigma2] = o->ml ? exp(x[d->o_sigma2]) : 1.0;
}

/* params -> x; a block outside its region starts at zero. */
static void from_params(const objective *o, const double *params, double *x)
{
    const sh_arima_dims *d = o->dims;
    const sheaf_arima_spec *s = o->spec;
    bool st = o->ml && s->enforce_stationarity, inv = o->ml && s->enforce_invertibility;
    for (size_t j = 0; j < d->kreg; j++)
        x[j] = params[j] / o->scale[j];
    block_from(o, params + d->o_ar, s->p, st, 1.0, x + d->o_ar);
    block_from(o, params + d->o_ma, s->q, inv, -1.0, x + d->o_ma);
    block_from(o, params + d->o_sar, s->P, st, 1.0, x + d->o_sar);
    block_from(o, params + d->o_sma, s->Q, inv, -1.0, x + d->o_sma);
    if (o->ml && o->kind != ML_PROFILE) x[d->o_sigma2] = log(params[d->o_sigma2]);
}

/* The log-likelihood of o's ML function at params (sigma2 written into
 * params when profiled); false where it is undefined. */
static bool ml_value(objective *o, double *params, double *llf)
{
    switch (o->kind) {
    case ML_PROFILE: return sh_arima_diff_profile(o->diff, params, llf, &params[o->dims->o_sigma2]);
    case ML_STATIONARY: return sh_arima_diff_loglike(o->diff, params, llf);
    case ML_EXACT: return sh_arima_diff_exact(o->diff, o->filter, params, llf);
    case ML_FILTER: break;
    }
    sh_arima_filter_out out = {0};
    if (sh_arima_filter_run(o->filter, params, &out) != SHEAF_OK) return false;
    *llf = out.llf;
    return true;
}

/* The objective at x; false where it is undefined. */
static bool value(objective *o, const double *x, double *f)
{
    to_params(o, x, o->params);
    if (o->ml) {
        double llf;
        if (!ml_value(o, o->params, &llf)) return false;
        *f = -llf / o->nobs;
    } else {
        double ssq;
        size_t nu;
        sh_arima_css(o->diff, o->spec, o->dims, o->params, o->css_work, &ssq, &nu, NULL);
        if (nu == 0 || !(ssq > 0.0)) return false;
        *f = 0.5 * log(ssq / (double)nu);
    }
    return isfinite(*f);
}

static sheaf_status objective_fn(void *arg, const double *x, double *f, double *grad)
{
    objective *o = arg;
    if (!value(o, x, f)) {
        *f = FAILED_POINT;
        memset(grad, 0, o->nx * sizeof(double));
        return SHEAF_OK;
    }
    memcpy(o->xh, x, o->nx * sizeof(double));
    bool forward = o->forward;
    for (size_t j = 0; j < o->nx; j++) {
        double h = (forward ? FWD_STEP : FD_STEP) * fmax(1.0, fabs(x[j])), fp, fm = *f;
        o->xh[j] = x[j] + h;
        bool up = value(o, o->xh, &fp), down = forward;
        if (!forward || !up) {
            o->xh[j] = x[j] - h;
            down = value(o, o->xh, &fm);
        }
        o->xh[j] = x[j];
        grad[j] = up && down && !forward ? (fp - fm) / (2 * h)
                  : up                   ? (fp - *f) / h
                  : down                 ? (*f - fm) / h
                                         : 0.0;
    }
    return SHEAF_OK;
}

static sheaf_status minimise(objective *o, double *x, size_t max_iter, double gtol,
                             sh_optim_result *r)
{
    sh_lbfgs_params lp = sh_lbfgs_params_default();
    lp.max_iter = max_iter;
    lp.gtol = gtol;
    lp.ftol = o->ml ? 0.0 : CSS_RELTOL;
    lp.caller = fn;
    r->history = NULL;
    if (o->nx == 0) { /* nothing to estimate (CSS of ARIMA(0,d,0) without trend) */
        memset(r, 0, sizeof *r);
        r->converged = 1;
        snprintf(r->reason, sizeof r->reason, "gradient");
        return value(o, x, &r->f) ? SHEAF_OK
                                  : sh_fail(SHEAF_ERR_NO_CONVERGENCE,
                                            "%s: the objective is undefined (no parameters)", fn);
    }
    return sh_lbfgs_minimize(objective_fn, o, o->nx, x, &lp, r);
}

/* ---- least-squares start of the regression ----------------------------------- */

/* beta by least squares of the differenced y on the differenced
 * regressors, with their standard errors (the scales of the optimiser);
 * SINGULAR for collinear regressors (named) or nothing left to explain. */
static sheaf_status regression_start(const sheaf_arima_spec *spec, const sh_arima_dims *d,
                                     const sh_arima_diff *diff, double *beta, double *se,
                                     double *resid_var)
{
    size_t n = sh_arima_diff_nobs(diff), kreg = d->kreg, nc = kreg + 1;
    const double *w = sh_arima_diff_w(diff), *xw = sh_arima_diff_x(diff);
    double *a = sh_malloc_array(n * nc, sizeof(double));
    double *tau = sh_malloc_array(nc, sizeof(double)),
           *work = sh_malloc_array(64 * nc, sizeof(double));
    sheaf_status st = SHEAF_OK;
    if (!a || !tau || !work) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for the least-squares start", fn);
        goto done;
    }
    size_t rows = 0;
    for (size_t t = 0; t < n; t++) {
        if (isnan(w[t])) continue;
        for (size_t j = 0; j < kreg; j++)
            a[j * n + rows] = xw[j * n + t];
        a[kreg * n + rows] = w[t];
        rows++;
    }
    if (rows <= kreg) {
        st = sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                     "%s: series too short (%zu complete differenced values for %zu regressors)",
                     fn, rows, kreg);
        goto done;
    }
    double bnorm = sh_st_norm(a + kreg * n, rows);
    *resid_var = bnorm * bnorm / (double)rows;
    if (kreg == 0) {
        if (!(bnorm > 0.0))
            st = sh_fail(SHEAF_ERR_SINGULAR,
                         "%s: the differenced series is identically 0 (nothing for the ARMA part)",
                         fn);
        goto done;
    }
    st = sh_st_qr(fn, a, rows, nc, n, tau, work, 64 * nc);
    if (st != SHEAF_OK) goto done;
    size_t bad = sh_st_first_collinear(a, kreg, n);
    if (bad < kreg) {
        char name[32];
        sheaf_arima_param_name(spec, d->kx, bad, name, sizeof name);
        st = sh_fail(SHEAF_ERR_SINGULAR,
                     "%s: regressor '%s' is collinear with the ones before it after differencing",
                     fn, name);
        goto done;
    }
    double rss = a[kreg * n + kreg] * a[kreg * n + kreg];
    if (!(fabs(a[kreg * n + kreg]) > 1e-12 * bnorm)) {
        st = sh_fail(SHEAF_ERR_SINGULAR,
                     "%s: the regressors fit the differenced series exactly (nothing left for "
                     "the ARMA part)",
                     fn);
        goto done;
    }
    /* beta = R^-1 Q'b; se_j^2 = s^2 (R^-1 R^-T)_jj with R^-1 column by column */
    for (size_t j = kreg; j-- > 0;) {
        double v = a[kreg * n + j];
        for (size_t c = j + 1; c < kreg; c++)
            v -= a[c * n + j] * beta[c];
        beta[j] = v / a[j * n + j];
    }
    double s2 = rss / (double)(rows - kreg);
    *resid_var = rss / (double)rows;
    for (size_t j = 0; j < kreg; j++)
        se[j] = 0.0;
    double *e = work;
    for (size_t c = 0; c < kreg; c++) { /* column c of R^-1: solve R e = unit c */
        for (size_t i = kreg; i-- > 0;) {
            double v = i == c ? 1.0 : 0.0;
            for (size_t k2 = i + 1; k2 < kreg; k2++)
                v -= a[k2 * n + i] * e[k2];
            e[i] = i > c ? 0.0 : v / a[i * n + i];
        }
        for (size_t i = 0; i < kreg; i++)
            se[i] += e[i] * e[i];
    }
    for (size_t j = 0; j < kreg; j++)
        se[j] = sqrt(s2 * se[j]);
done:
    sh_free(a);
    sh_free(tau);
    sh_free(work);
    return st;
}

/* ---- standard errors ------------------------------------------------------------ */

/* The function whose Hessian gives the standard errors: llf (ML) or
 * -n_used * 0.5 log(ssq / nu) (CSS, R's scaling), at params as they are. */
static bool bse_value(objective *o, double *params, double n_used, double *f)
{
    if (o->ml) {
        if (!ml_value(o, params, f)) return false;
    } else {
        double ssq;
        size_t nu;
        sh_arima_css(o->diff, o->spec, o->dims, params, o->css_work, &ssq, &nu, NULL);
        if (nu == 0 || !(ssq > 0.0)) return false;
        *f = -n_used * 0.5 * log(ssq / (double)nu);
    }
    return isfinite(*f);
}

/* The difference steps of the Hessian and gradient: 1e-2 of the
 * least-squares standard error for beta, 1e-4 for AR/MA coefficients, 1e-4
 * sigma2 for sigma2. */
static void fd_steps(const objective *o, const double *params, size_t np, const double *se_ls,
                     double *h)
{
    const sh_arima_dims *d = o->dims;
    for (size_t j = 0; j < np; j++)
        h[j] = j < d->kreg        ? 1e-2 * (se_ls[j] > 0.0 ? se_ls[j] : fmax(1.0, fabs(params[j])))
               : j == d->o_sigma2 ? 1e-4 * params[j]
                                  : 1e-4;
}

/* The central-difference gradient g of the ML function at params (steps of
 * fd_steps) and its value there; false when a trial point fails. */
static bool gradient(objective *o, const double *params, const double *se_ls, double *g,
                     double *f_at)
{
    size_t np = o->dims->np;
    double *h = sh_malloc_array(np, sizeof(double)), *p = sh_malloc_array(np, sizeof(double));
    bool ok = h && p;
    if (ok) {
        memcpy(p, params, np * sizeof(double));
        fd_steps(o, params, np, se_ls, h);
        ok = bse_value(o, p, 0.0, f_at);
    }
    for (size_t j = 0; ok && j < np; j++) {
        double fp, fm;
        p[j] = params[j] + h[j];
        ok = bse_value(o, p, 0.0, &fp);
        p[j] = params[j] - h[j];
        if (ok) ok = bse_value(o, p, 0.0, &fm);
        p[j] = params[j];
        if (ok) g[j] = (fp - fm) / (2 * h[j]);
    }
    sh_free(h);
    sh_free(p);
    return ok;
}

/* The Hessian H (np x np, row-major) of the bse function in the first np
 * parameters by central second differences, with the central-difference
 * gradient g from the same points and the value at params
 * (either NULL: not wanted); false when a trial
 * point fails. */
static bool hessian(objective *o, const double *params, size_t np, const double *se_ls,
                    double n_used, double *H, double *g, double *f_at)
{
    const sh_arima_dims *d = o->dims;
    double *h = sh_malloc_array(np, sizeof(double)), *p = sh_malloc_array(d->np, sizeof(double));
    bool ok = false;
    if (!h || !p) goto done;
    fd_steps(o, params, np, se_ls, h);
    double f0;
    memcpy(p, params, d->np * sizeof(double));
    if (!bse_value(o, p, n_used, &f0)) goto done;
    if (f_at) *f_at = f0;
    for (size_t i = 0; i < np; i++)
        for (size_t j = 0; j <= i; j++) {
            double f[4];
            const double si[4] = {1, 1, -1, -1}, sj[4] = {1, -1, 1, -1};
            size_t nf = i == j ? 2 : 4;
            for (size_t c = 0; c < nf; c++) {
                memcpy(p, params, d->np * sizeof(double));
                p[i] += (i == j ? (c == 0 ? 1 : -1) : si[c]) * h[i];
                if (i != j) p[j] += sj[c] * h[j];
                if (!bse_value(o, p, n_used, &f[c])) goto done;
            }
            double v = i == j ? (f[0] - 2 * f0 + f[1]) / (h[i] * h[i])
                              : (f[0] - f[1] - f[2] + f[3]) / (4 * h[i] * h[j]);
            H[i * np + j] = v;
            H[j * np + i] = v;
            if (i == j && g) g[i] = (f[0] - f[1]) / (2 * h[i]);
        }
    ok = true;
done:
    sh_free(h);
    sh_free(p);
    return ok;
}

/* C := (-H)^-1 in place (np x np); false unless -H is positive definite. */
static bool negated_inverse(double *H, size_t np)
{
    for (size_t i = 0; i < np * np; i++)
        H[i] = -H[i];
    if (LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'L', (lapack_int)np, H, (lapack_int)np) != 0) return false;
    if (LAPACKE_dpotri(LAPACK_ROW_MAJOR, 'L', (lapack_int)np, H, (lapack_int)np) != 0) return false;
    for (size_t i = 0; i < np; i++) /* mirror the lower triangle */
        for (size_t j = 0; j < i; j++)
            H[j * np + i] = H[i * np + j];
    return true;
}

/* bse = sqrt diag (-H)^-1 from a Hessian; NaN everywhere when H is NULL or
 * -H is not positive definite. */
static void bse_from(double *H, size_t np, size_t np_all, double *bse)
{
    for (size_t j = 0; j < np_all; j++)
        bse[j] = NAN;
    if (!H || !negated_inverse(H, np)) return;
    for (size_t j = 0; j < np; j++)
        bse[j] = sqrt(H[j * np + j]);
}

/* bse of the first np_used parameters by central second differences. */
static void hessian_bse(objective *o, const double *params, size_t np_used, const double *se_ls,
                        double n_used, double *bse)
{
    double *H = sh_malloc_array(np_used * np_used, sizeof(double));
    bool ok = H && hessian(o, params, np_used, se_ls, n_used, H, NULL, NULL);
    bse_from(ok ? H : NULL, np_used, o->dims->np, bse);
    sh_free(H);
}

#define STATIONARY_HESSIAN 1e-5

/* H, g and f0 for a Newton step on statsmodels' function at params: all
 * three from it, or H from the stationary start when both functions agree
 * to STATIONARY_HESSIAN there (kd = 0: they are the same function). */
static bool newton_terms(objective *o, double *params, const double *se_ls, double *H, double *g,
                         double *f0)
{
    size_t np = o->dims->np;
    double fs;
    if (o->dims->kd > 0) {
        o->kind = ML_EXACT;
        if (!gradient(o, params, se_ls, g, f0)) return false;
        o->kind = ML_STATIONARY;
        if (bse_value(o, params, 0.0, &fs) && fabs(fs - *f0) <= STATIONARY_HESSIAN * fabs(*f0))
            return hessian(o, params, np, se_ls, 0.0, H, NULL, NULL);
        o->kind = ML_EXACT;
        return hessian(o, params, np, se_ls, 0.0, H, NULL, NULL);
    }
    o->kind = ML_STATIONARY;
    return hessian(o, params, np, se_ls, 0.0, H, g, f0);
}

/* Moves params from the profiled optimum to statsmodels' (ML_EXACT):
 * Newton steps on its central-difference Hessian and gradient (at most
 * three, until a step gains less than 1e-9 relative), each kept only when
 * the log-likelihood does not fall; writes the bse at the last Hessian.
 * Where statsmodels' function and the stationary start agree to
 * STATIONARY_HESSIAN relative at the estimate (their difference, the 1e6
 * prior of the differencing states, is a smooth function of the
 * parameters of about that relative size), the Hessian is taken on the
 * stationary start - O(k) a step where statsmodels' form costs its diffuse
 * phase and O(k^2) Riccati steps - and only the gradient on statsmodels'
 * function: the bse move by at most ~10x that relative amount (measured:
 * 2e-5 on the SARIMA benchmark's series), far below statsmodels' own
 * complex-step error. false (params unchanged or at
 * the last good step) when -H is not positive definite or a step lowers
 * the log-likelihood: the caller then polishes by L-BFGS. */
#define NEWTON_STEPS 3
#define NEWTON_GAIN 1e-9
static bool newton_polish(objective *o, double *params, const double *se_ls, double *bse)
{
    size_t np = o->dims->np;
    double *H = sh_malloc_array(np * np, sizeof(double)), *g = sh_malloc_array(np, sizeof(double));
    double *p1 = sh_malloc_array(np, sizeof(double));
    bool ok = false;
    for (int it = 0; it < NEWTON_STEPS && H && g && p1; it++) {
        double f0, f1;
        bool have_h = newton_terms(o, params, se_ls, H, g, &f0);
        o->kind = ML_EXACT;
        if (!have_h || !negated_inverse(H, np)) break;
        for (size_t j = 0; j < np; j++) {
            double step = 0.0;
            for (size_t c = 0; c < np; c++)
                step += H[j * np + c] * g[c];
            p1[j] = params[j] + step;
            bse[j] = sqrt(H[j * np + j]);
        }
        if (!bse_value(o, p1, 0.0, &f1) || f1 < f0 - NEWTON_GAIN * fabs(f0)) break;
        if (f1 >= f0) memcpy(params, p1, np * sizeof(double));
        if (f1 - f0 <= NEWTON_GAIN * fabs(f0)) {
            ok = true;
            break;
        }
    }
    o->kind = ML_EXACT;
    sh_free(H);
    sh_free(g);
    sh_free(p1);
    return ok;
}

/* ---- the fit -------------------------------------------------------------------- */

static sheaf_status check_options(const sheaf_arima_fit_options *opts, const sh_arima_dims *d)
{
    if ((unsigned)opts->method > SHEAF_ARIMA_CSS)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: method=%d is not a sheaf_arima_method", fn,
                       (int)opts->method);
    if (opts->max_iter == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: max_iter=0 (needs >= 1)", fn);
    if (!(opts->gtol > 0.0) || !isfinite(opts->gtol))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: gtol=%g (needs a finite value > 0)", fn,
                       opts->gtol);
    if (!opts->start_params) return SHEAF_OK;
    for (size_t i = 0; i < d->np; i++)
        if (!isfinite(opts->start_params[i]))
            return sh_fail(SHEAF_ERR_NONFINITE, "%s: start_params[%zu] is %g", fn, i,
                           opts->start_params[i]);
    if (opts->method != SHEAF_ARIMA_CSS && !(opts->start_params[d->o_sigma2] > 0.0))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: start_params sigma2=%g (needs > 0)", fn,
                       opts->start_params[d->o_sigma2]);
    return SHEAF_OK;
}

/* Observed values at t >= from. */
static size_t observed_from(const sh_arima_data *data, size_t from)
{
    size_t c = 0;
    for (size_t t = from; t < data->n; t++)
        c += !isnan(data->y[t]);
    return c;
}

static sheaf_status check_series(const sheaf_arima_spec *spec, const sh_arima_dims *d,
                                 const sh_arima_data *data)
{
    double first = NAN;
    bool constant = true;
    for (size_t t = 0; t < data->n; t++) {
        if (isnan(data->y[t])) continue;
        if (isnan(first))
            first = data->y[t];
        else if (data->y[t] != first)
            constant = false;
    }
    if (constant)
        return sh_fail(SHEAF_ERR_SINGULAR, "%s: y is constant (every observed value is %g)", fn,
                       first);
    size_t need = d->np + 2, have = observed_from(data, d->burn);
    if (have < need)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: series too short (n=%zu, %zu observed after the first %zu; order "
                       "(%zu,%zu,%zu)(%zu,%zu,%zu,%zu) with %zu parameters needs %zu)",
                       fn, data->n, have, d->burn, spec->p, spec->d, spec->q, spec->P, spec->D,
                       spec->Q, spec->s, d->np, need + d->burn);
    return SHEAF_OK;
}

void sheaf_arima_free(sheaf_arima *m)
{
    if (!m) return;
    sh_free(m->y);
    sh_free(m->exog);
    sh_free(m->params);
    sh_free(m->bse);
    sh_free(m->resid);
    sh_free(m->fitted);
    sh_free(m->F);
    sh_free(m->a_end);
    sh_free(m->P_end);
    sh_free(m->css_params);
    sh_free(m);
}

static sheaf_arima *model_alloc(const sheaf_arima_spec *spec, const sh_arima_dims *d,
                                const sh_arima_data *data)
{
    sheaf_arima *m = sh_calloc(1, sizeof *m);
    if (!m) return NULL;
    size_t n = data->n;
    m->spec = *spec;
    m->dims = *d;
    m->n = n;
    m->y = sh_malloc_array(n, sizeof(double));
    m->exog = d->kx ? sh_malloc_array(n * d->kx, sizeof(double)) : NULL;
    m->params = sh_malloc_array(d->np, sizeof(double));
    m->bse = sh_malloc_array(d->np, sizeof(double));
    m->resid = sh_malloc_array(n, sizeof(double));
    m->fitted = sh_malloc_array(n, sizeof(double));
    m->F = sh_malloc_array(n, sizeof(double));
    m->a_end = sh_malloc_array(d->m, sizeof(double));
    m->P_end = sh_malloc_array(d->m * d->m, sizeof(double));
    m->css_params = sh_malloc_array(d->np, sizeof(double));
    if (!m->y || (d->kx && !m->exog) || !m->params || !m->bse || !m->resid || !m->fitted || !m->F ||
        !m->a_end || !m->P_end || !m->css_params) {
        sheaf_arima_free(m);
        return NULL;
    }
    memcpy(m->y, data->y, n * sizeof(double));
    for (size_t j = 0; j < d->np; j++)
        m->css_params[j] = NAN;
    for (size_t t = 0; t < n; t++)
        for (size_t j = 0; j < d->kx; j++)
            m->exog[t * d->kx + j] = data->exog[t * data->ldx + j];
    return m;
}

static void set_criteria(sheaf_arima_info *info)
{
    double k = (double)info->n_params, no = (double)info->nobs_effective;
    info->aic = -2 * info->llf + 2 * k;
    info->aicc = no - k - 1 > 0 ? info->aic + 2 * k * (k + 1) / (no - k - 1) : NAN;
    info->bic = -2 * info->llf + k * log(no);
    info->hqic = -2 * info->llf + 2 * k * log(log(no));
}

/* Residuals, predictions and the end state of the filter at m->params. */
static sheaf_status finish_filter(sheaf_arima *m, sh_arima_filter *f)
{
    sh_arima_filter_out out = {0};
    sh_arima_filter_smooth(f, false);
    out.v = m->resid;
    out.F = m->F;
    out.pred = m->fitted;
    out.a_end = m->a_end;
    out.P_end = m->P_end;
    sheaf_status st = sh_arima_filter_run(f, m->params, &out);
    if (st == SHEAF_OK) {
        m->has_state = 1;
        m->info.llf = out.llf;
    }
    return st;
}

sheaf_status sheaf_arima_fit(const sheaf_ctx *ctx, const double *y, size_t n, const double *exog,
                             size_t kx, size_t ldx, const sheaf_arima_spec *spec,
                             const sheaf_arima_fit_options *opts, sheaf_arima **out)
{
    (void)ctx; /* one series is fitted serially; sheaf_arima_fit_many spreads keys */
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", fn);
    *out = NULL;
    sheaf_arima_fit_options defaults = sheaf_arima_fit_options_default();
    if (!opts) opts = &defaults;
    sh_arima_dims d;
    sh_arima_data data;
    sheaf_status st = sh_arima_dims_init(fn, spec, kx, &d);
    if (st == SHEAF_OK) st = check_options(opts, &d);
    if (st == SHEAF_OK) st = sh_arima_data_init(fn, y, n, exog, kx, ldx, &data);
    if (st == SHEAF_OK) st = check_series(spec, &d, &data);
    if (st != SHEAF_OK) return st;

    sheaf_arima *m = NULL;
    sh_arima_filter *filter = NULL;
    sh_arima_diff *diff = NULL;
    size_t maxb = spec->p > spec->q ? spec->p : spec->q;
    maxb = maxb > spec->P ? maxb : spec->P;
    maxb = maxb > spec->Q ? maxb : spec->Q;
    double *beta = sh_calloc(d.kreg + 1, sizeof(double)),
           *se = sh_calloc(d.kreg + 1, sizeof(double));
    double *scale = sh_calloc(d.kreg + 1, sizeof(double)), *x = sh_calloc(d.np, sizeof(double));
    double *params = sh_calloc(d.np, sizeof(double)), *xh = sh_calloc(d.np, sizeof(double));
    double *tw = sh_calloc(maxb * maxb + maxb + 1, sizeof(double));
    double *css_work = sh_calloc(SH_ARIMA_CSS_WORK(n, &d), sizeof(double));
    m = model_alloc(spec, &d, &data);
    if (!beta || !se || !scale || !x || !params || !xh || !tw || !css_work || !m) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for a fit of n=%zu", fn, n);
        goto done;
    }
    st = sh_arima_diff_create(fn, spec, &d, &data, &diff);
    if (st != SHEAF_OK) goto done;
    double resid_var = 1.0;
    st = regression_start(spec, &d, diff, beta, se, &resid_var);
    if (st != SHEAF_OK) goto done;
    size_t nobs_eff = n - d.burn;
    for (size_t j = 0; j < d.kreg; j++)
        scale[j] = se[j] > 0.0 ? se[j] * sqrt((double)nobs_eff) : fmax(1.0, fabs(beta[j]));
    objective o = {.spec = spec,
                   .dims = &d,
                   .diff = diff,
                   .scale = scale,
                   .nobs = (double)nobs_eff,
                   .params = params,
                   .tw = tw,
                   .css_work = css_work,
                   .xh = xh,
                   .nx = d.np - 1};

    /* stage 1: CSS (the whole fit for CSS, the start otherwise) */
    size_t ncond = d.kd + spec->p + spec->s * spec->P;
    size_t n_used = observed_from(&data, d.kd); /* R's n.used */
    bool css_possible = observed_from(&data, ncond) >= d.np;
    sh_optim_result r1 = {0}, r2 = {0};
    double css_ssq = NAN;
    size_t css_nu = 0;
    if (opts->start_params)
        memcpy(params, opts->start_params, d.np * sizeof(double));
    else {
        memset(params, 0, d.np * sizeof(double));
        memcpy(params, beta, d.kreg * sizeof(double));
    }
    if (opts->method == SHEAF_ARIMA_CSS && !css_possible) {
        st = sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                     "%s: series too short for CSS (%zu observed after n.cond=%zu; %zu needed)", fn,
                     observed_from(&data, ncond), ncond, d.np);
        goto done;
    }
    bool full_css = opts->method != SHEAF_ARIMA_ML;
    if (css_possible && (full_css || !opts->start_params)) {
        double sigma2_keep = params[d.o_sigma2];
        from_params(&o, params, x);
        double f0;
        o.forward = !full_css;
        if (value(&o, x, &f0)) {
            st = minimise(&o, x, full_css ? opts->max_iter : START_CSS_ITER,
                          full_css ? opts->gtol : START_CSS_GTOL, &r1);
            if (st != SHEAF_OK) goto done;
            to_params(&o, x, params);
            sh_arima_css(diff, spec, &d, params, css_work, &css_ssq, &css_nu, NULL);
            params[d.o_sigma2] = css_ssq / (double)css_nu;
            memcpy(m->css_params, params, d.np * sizeof(double));
            m->css_converged = r1.converged;
        } else
            params[d.o_sigma2] = sigma2_keep;
    }
    if (opts->method == SHEAF_ARIMA_CSS) {
        if (!(css_nu > 0 && css_ssq > 0.0)) {
            st = sh_fail(SHEAF_ERR_NO_CONVERGENCE,
                         "%s: the CSS objective is undefined at the start", fn);
            goto done;
        }
        memcpy(m->params, params, d.np * sizeof(double));
        /* forecasts continue from the filter at the CSS estimates, when
         * they admit one (R does the same) */
        if (sh_arima_filter_create(fn, spec, &d, &data, &filter) == SHEAF_OK &&
            finish_filter(m, filter) == SHEAF_OK)
            m->has_state = 1;
        else
            m->has_state = 0;
        sh_clear_error();
        double s2 = m->params[d.o_sigma2];
        m->info.llf = -0.5 * ((double)n_used * log(2 * M_PI * s2) + (double)n_used);
        m->info.nobs_effective = n_used;
        m->info.iterations = r1.iterations;
        m->info.converged = r1.converged;
        sh_arima_css(diff, spec, &d, m->params, css_work, &css_ssq, &css_nu, m->resid);
        for (size_t t = 0; t < n; t++) {
            m->fitted[t] = y[t] - m->resid[t];
            m->F[t] = NAN;
        }
        for (size_t j = 0; j < d.np; j++)
            m->bse[j] = NAN;
        if (opts->compute_bse) hessian_bse(&o, m->params, d.np - 1, se, (double)n_used, m->bse);
        goto finish;
    }

    /* stage 2: ML */
    if (!(params[d.o_sigma2] > 0.0)) params[d.o_sigma2] = resid_var;
    st = sh_arima_filter_create(fn, spec, &d, &data, &filter);
    if (st != SHEAF_OK) goto done;
    o.ml = true;
    bool fast = sh_arima_diff_applies(spec, &data);
    o.kind = fast ? ML_PROFILE : ML_FILTER;
    o.filter = filter;
    sh_arima_filter_smooth(filter, true);
    o.nx = fast ? d.np - 1 : d.np;
    o.forward = fast;
    from_params(&o, params, x);
    double f0;
    if (!value(&o, x, &f0)) { /* the CSS start admits no filter: restart at zero */
        for (size_t j = d.kreg; j < d.o_sigma2; j++)
            x[j] = 0.0;
        if (!value(&o, x, &f0)) {
            st = sh_fail(SHEAF_ERR_NO_CONVERGENCE, "%s: no finite likelihood at the start (%s)", fn,
                         sheaf_last_error());
            goto done;
        }
    }
    st = minimise(&o, x, opts->max_iter, opts->gtol, &r2);
    if (st != SHEAF_OK) goto done;
    if (!value(&o, x, &f0)) {
        st = sh_fail(SHEAF_ERR_NO_CONVERGENCE, "%s: no finite likelihood at the optimum (%s)", fn,
                     sheaf_last_error());
        goto done;
    }
    bool have_bse = false;
    int converged = r2.converged;
    if (fast) {
        /* statsmodels' own function from here on: the profiled one differs
         * from it by the 1e6 prior of the differencing states (negligible
         * for most series, not where sigma2 or the level is large against
         * 1e6: Nile, sigma2 2e4), and the forward differences leave the
         * profiled stage near, not at, the optimum. Newton steps on the
         * Hessian that the bse need anyway finish it; where they cannot,
         * L-BFGS with central differences does. */
        o.kind = ML_EXACT;
        o.nx = d.np;
        o.forward = false;
        have_bse = newton_polish(&o, params, se, m->bse);
        /* a stage stopped by its line search near the optimum is finished
         * by the polish; one stopped by max_iter stays unconverged */
        if (have_bse && strcmp(r2.reason, "max_iter") != 0) converged = 1;
        if (!have_bse) {
            size_t it = r2.iterations;
            from_params(&o, params, x);
            st = minimise(&o, x, opts->max_iter, opts->gtol, &r2);
            if (st != SHEAF_OK) goto done;
            r2.iterations += it;
            converged = r2.converged;
            to_params(&o, x, params);
        }
    }
    memcpy(m->params, params, d.np * sizeof(double));
    st = finish_filter(m, filter);
    if (st != SHEAF_OK) goto done;
    m->info.nobs_effective = nobs_eff;
    m->info.iterations = r2.iterations + (full_css ? r1.iterations : 0);
    m->info.converged = converged;
    sh_arima_filter_smooth(filter, true);
    if (!opts->compute_bse)
        for (size_t j = 0; j < d.np; j++)
            m->bse[j] = NAN;
    else if (!have_bse)
        hessian_bse(&o, m->params, d.np, se, 0.0, m->bse);
finish:
    m->burn = d.burn;
    m->info.method = opts->method;
    m->info.sigma2 = m->params[d.o_sigma2];
    m->info.nobs = n;
    m->info.n_params = d.np;
    set_criteria(&m->info);
    *out = m;
    m = NULL;
done:
    sheaf_arima_free(m);
    sh_arima_filter_free(filter);
    sh_arima_diff_free(diff);
    sh_free(beta);
    sh_free(se);
    sh_free(scale);
    sh_free(x);
    sh_free(params);
    sh_free(xh);
    sh_free(tw);
    sh_free(css_work);
    return st;
}
