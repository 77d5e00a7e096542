/* arima_fit.c - fitting ARIMA models: R's conditional sum of squares (CSS),
 * exact maximum likelihood through the Kalman filter of arima_kalman.c
 * (ML), and ML started from the CSS optimum (CSS-ML, R's default).
 *
 * Both objectives are minimised by the L-BFGS of src/models with central
 * difference gradients (step 6e-6 max(1, |x|), about the cube root of the
 * double epsilon):
 *   CSS: 0.5 log(ssq / nu) over (beta, AR and MA coefficients as they are),
 *        as R's armaCSS;
 *   ML:  -llf / nobs_effective over (beta, partial autocorrelations of
 *        every AR and MA polynomial through x / sqrt(1 + x^2) when the
 *        enforce flags are on (arima_transform.c), log sigma2).
 * The regression coefficients travel scaled by their least-squares standard
 * error times sqrt(nobs), so every coordinate has a curvature near one. The
 * regression starts from least squares on the differenced data; ML starts
 * from a short CSS fit (at most 30 iterations, gradient 1e-4; a block
 * outside the stationary or invertible region starts at zero), CSS-ML from
 * the full CSS optimum. A trial point where the filter fails (a unit root
 * reached in floating point) scores 1e10, so the line search steps back.
 *
 * Standard errors (ML): the Hessian of the log-likelihood in the parameters
 * themselves by central differences (steps 1e-2 of the least-squares
 * standard error for beta, 1e-4 for AR/MA coefficients, 1e-4 sigma2 for
 * sigma2), then sqrt diag of (-H)^-1 - statsmodels' cov_type='approx',
 * which differentiates the same function by complex steps. CSS: R's
 * var.coef, the inverse of n_used times the Hessian of the CSS objective. */
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

/* The objective of one stage and its scratch. */
typedef struct objective {
    const sheaf_arima_spec *spec;
    const sh_arima_dims *dims;
    const sh_arima_data *data;
    sh_arima_filter *filter;
    bool ml;             /* ML (x ends with log sigma2) or CSS */
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
    params[d->o_sigma2] = o->ml ? exp(x[d->o_sigma2]) : 1.0;
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
    if (o->ml) x[d->o_sigma2] = log(params[d->o_sigma2]);
}

/* The objective at x; false where it is undefined. */
static bool value(objective *o, const double *x, double *f)
{
    to_params(o, x, o->params);
    if (o->ml) {
        sh_arima_filter_out out = {0};
        if (sh_arima_filter_run(o->filter, o->params, &out) != SHEAF_OK) return false;
        *f = -out.llf / o->nobs;
    } else {
        double ssq;
        size_t nu;
        sh_arima_css(o->spec, o->dims, o->data, o->params, o->css_work, &ssq, &nu, NULL);
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
    for (size_t j = 0; j < o->nx; j++) {
        double h = FD_STEP * fmax(1.0, fabs(x[j])), fp, fm;
        o->xh[j] = x[j] + h;
        bool up = value(o, o->xh, &fp);
        o->xh[j] = x[j] - h;
        bool down = value(o, o->xh, &fm);
        o->xh[j] = x[j];
        grad[j] = up && down ? (fp - fm) / (2 * h)
                  : up       ? (fp - *f) / h
                  : down     ? (*f - fm) / h
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
    lp.ftol = 0.0; /* the gradient decides: a flat stretch must not stop ML early */
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

/* Differences v in place as the model does (d ordinary, D seasonal). */
static void difference(const sheaf_arima_spec *spec, double *v, size_t n)
{
    for (size_t i = 0; i < spec->d; i++)
        for (size_t t = n; t-- > 1;)
            v[t] -= v[t - 1];
    for (size_t i = 0; i < spec->D; i++)
        for (size_t t = n; t-- > spec->s;)
            v[t] -= v[t - spec->s];
}

/* beta by least squares of the differenced y on the differenced
 * regressors, with their standard errors (the scales of the optimiser);
 * SINGULAR for collinear regressors (named) or nothing left to explain. */
static sheaf_status regression_start(const sheaf_arima_spec *spec, const sh_arima_dims *d,
                                     const sh_arima_data *data, double *beta, double *se,
                                     double *resid_var)
{
    size_t n = data->n, kreg = d->kreg, nc = kreg + 1;
    double *cols = sh_malloc_array(n * nc, sizeof(double));
    double *a = sh_malloc_array(n * nc, sizeof(double));
    double *tau = sh_malloc_array(nc, sizeof(double)),
           *work = sh_malloc_array(64 * nc, sizeof(double));
    sheaf_status st = SHEAF_OK;
    if (!cols || !a || !tau || !work) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for the least-squares start", fn);
        goto done;
    }
    for (size_t j = 0; j < nc; j++) {
        double *c = cols + j * n;
        for (size_t t = 0; t < n; t++)
            c[t] = j < kreg ? sh_arima_regressor(spec, d, data->exog, data->ldx, t, j) : data->y[t];
        difference(spec, c, n);
    }
    size_t rows = 0;
    for (size_t t = d->kd; t < n; t++) {
        if (isnan(cols[kreg * n + t])) continue;
        for (size_t j = 0; j < nc; j++)
            a[j * n + rows] = cols[j * n + t];
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
    sh_free(cols);
    sh_free(a);
    sh_free(tau);
    sh_free(work);
    return st;
}

/* ---- standard errors ------------------------------------------------------------ */

/* The function whose Hessian gives the standard errors: llf (ML) or
 * -n_used * 0.5 log(ssq / nu) (CSS, R's scaling), at params as they are. */
static bool bse_value(objective *o, const double *params, double n_used, double *f)
{
    if (o->ml) {
        sh_arima_filter_out out = {0};
        if (sh_arima_filter_run(o->filter, params, &out) != SHEAF_OK) return false;
        *f = out.llf;
    } else {
        double ssq;
        size_t nu;
        sh_arima_css(o->spec, o->dims, o->data, params, o->css_work, &ssq, &nu, NULL);
        if (nu == 0 || !(ssq > 0.0)) return false;
        *f = -n_used * 0.5 * log(ssq / (double)nu);
    }
    return isfinite(*f);
}

/* bse of the first np_used parameters by central second differences; NaN
 * everywhere when a trial point fails or -H is not positive definite. */
static void hessian_bse(objective *o, const double *params, size_t np_used, const double *se_ls,
                        double n_used, double *bse)
{
    const sh_arima_dims *d = o->dims;
    size_t np = np_used;
    for (size_t j = 0; j < d->np; j++)
        bse[j] = NAN;
    double *h = sh_malloc_array(np, sizeof(double)), *H = sh_malloc_array(np * np, sizeof(double));
    double *p = sh_malloc_array(d->np, sizeof(double));
    if (!h || !H || !p) goto done;
    for (size_t j = 0; j < np; j++)
        h[j] = j < d->kreg        ? 1e-2 * (se_ls[j] > 0.0 ? se_ls[j] : fmax(1.0, fabs(params[j])))
               : j == d->o_sigma2 ? 1e-4 * params[j]
                                  : 1e-4;
    double f0;
    memcpy(p, params, d->np * sizeof(double));
    if (!bse_value(o, p, n_used, &f0)) goto done;
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
            H[i * np + j] = -v;
            H[j * np + i] = -v;
        }
    if (LAPACKE_dpotrf(LAPACK_ROW_MAJOR, 'L', (lapack_int)np, H, (lapack_int)np) != 0) goto done;
    if (LAPACKE_dpotri(LAPACK_ROW_MAJOR, 'L', (lapack_int)np, H, (lapack_int)np) != 0) goto done;
    for (size_t j = 0; j < np; j++)
        bse[j] = sqrt(H[j * np + j]);
done:
    sh_free(h);
    sh_free(H);
    sh_free(p);
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
    if (!m->y || (d->kx && !m->exog) || !m->params || !m->bse || !m->resid || !m->fitted || !m->F ||
        !m->a_end || !m->P_end) {
        sheaf_arima_free(m);
        return NULL;
    }
    memcpy(m->y, data->y, n * sizeof(double));
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
    double resid_var = 1.0;
    st = regression_start(spec, &d, &data, beta, se, &resid_var);
    if (st != SHEAF_OK) goto done;
    size_t nobs_eff = n - d.burn;
    for (size_t j = 0; j < d.kreg; j++)
        scale[j] = se[j] > 0.0 ? se[j] * sqrt((double)nobs_eff) : fmax(1.0, fabs(beta[j]));
    objective o = {spec,   &d, &data,    NULL, false,   scale, (double)nobs_eff,
                   params, tw, css_work, xh,   d.np - 1};

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
        if (value(&o, x, &f0)) {
            st = minimise(&o, x, full_css ? opts->max_iter : START_CSS_ITER,
                          full_css ? opts->gtol : START_CSS_GTOL, &r1);
            if (st != SHEAF_OK) goto done;
            to_params(&o, x, params);
            sh_arima_css(spec, &d, &data, params, css_work, &css_ssq, &css_nu, NULL);
            params[d.o_sigma2] = css_ssq / (double)css_nu;
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
        sh_arima_css(spec, &d, &data, m->params, css_work, &css_ssq, &css_nu, m->resid);
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
    o.filter = filter;
    sh_arima_filter_smooth(filter, true);
    o.nx = d.np;
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
    to_params(&o, x, m->params);
    st = finish_filter(m, filter);
    if (st != SHEAF_OK) goto done;
    m->info.nobs_effective = nobs_eff;
    m->info.iterations = r2.iterations + (full_css ? r1.iterations : 0);
    m->info.converged = r2.converged;
    sh_arima_filter_smooth(filter, true);
    if (opts->compute_bse)
        hessian_bse(&o, m->params, d.np, se, 0.0, m->bse);
    else
        for (size_t j = 0; j < d.np; j++)
            m->bse[j] = NAN;
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
