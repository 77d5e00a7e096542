/* arima_auto.c - automatic ARIMA orders as R forecast::auto.arima (forecast
 * 8.20; Hyndman & Khandakar 2008, "Automatic time series forecasting: the
 * forecast package for R", J. Statistical Software 27(3), section 3.2),
 * on top of sheaf_arima_fit.
 *
 * 1. D (seasonal data, m > 1): nsdiffs' "seas" test - one seasonal
 *    difference when the STL seasonal strength 1 - var(R) / var(R + S)
 *    exceeds 0.64 (stl.c). d: ndiffs' KPSS tests (level, lags
 *    trunc(3 sqrt(n) / 13), p < alpha) on the seasonally differenced data.
 * 2. Candidates are compared by an information criterion (AICc by
 *    default) with k = n_params (sigma2 included) and n* = observations -
 *    d - D m:  AIC = -2 llf + 2 k,  AICc = AIC + 2 k (k + 1) / (n* - k - 1),
 *    BIC = AIC + k (log n* - 2). With the approximation (n > 150 or m > 12
 *    by default) the search fits by CSS and uses AIC = offset + n* log
 *    sigma2_CSS + 2 k, offset = -2 llf - n log sigma2 of the ARIMA(0,d,0)
 *    (0,D,0) fit; then the candidates are refitted by CSS-ML in increasing
 *    order of that criterion until one is accepted.
 * 3. A fit is rejected (criterion +Inf) when it fails, when an AR or MA
 *    polynomial (seasonal parts multiplied out, trailing |coef| <= 1e-8
 *    dropped) has a root of modulus below 1.01, or when a coefficient's
 *    standard error is undefined (forecast's checkarima); a CSS-ML fit
 *    also when its CSS stage converged to a non-stationary AR or seasonal
 *    AR part (R's arima stops with "non-stationary AR part from CSS").
 * 4. A constant is the mean when d + D = 0 (trend c) and the drift when
 *    d + D = 1 (trend t: statsmodels' t = 1..n, R's xreg 1:n), never
 *    otherwise.
 * 5. The stepwise search starts from (start_p, start_q)(start_P, start_Q),
 *    then (0,0)(0,0), (1,0)(1,0), (0,1)(0,1) and the model without the
 *    constant, and moves to the first better neighbour in R's order (P-1,
 *    Q-1, P+1, Q+1, the four seasonal diagonals, then the same for p and q,
 *    then the constant toggled), restarting from the new model, until no
 *    neighbour improves or nmodels models were tried; ties keep the older
 *    model. stepwise = 0 tries every (p, q, P, Q) with p + q + P + Q <=
 *    max_order, with and without the constant.
 *
 * 6. The likelihood compared: without missing values the candidates are
 *    fitted to the differenced series w = (1-L)^d (1-L^m)^D y as ARMA
 *    models (the drift becoming w's mean), whose exact likelihood is what
 *    R's arima approximates (its diffuse prior is within ~1e-5 relative of
 *    it); sheaf_arima_fit on the levels uses statsmodels' 1e6 approximately
 *    diffuse prior instead, which drifts from it with the data's scale
 *    (AICc off by 8 on ldeaths, whose levels are ~2000) and would reorder
 *    R's candidates. The chosen orders are then fitted to y itself, so the
 *    model returned is sheaf_arima_fit's (its info.aicc is in statsmodels'
 *    convention). With missing values inside the series the candidates are
 *    fitted to y directly (the filter skips the gaps; differencing would
 *    lose the observations next to them).
 * R's other behaviours kept: leading missing values are dropped; serieslength
 * <= 3 switches to AIC; series shorter than 10 start from at most (1, 1)
 * (0, 0); after the starting models `constant` keeps its value even when
 * the model without it won; with the approximation, when every refit
 * fails the CSS model is returned. */
#include "sheaf_arima.h"
#include "sheaf_linalg.h"
#include "sheaf_stattools.h"
#include "timeseries/arima_auto.h"
#include "timeseries/arima_internal.h"
#include "timeseries/stl.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static const char fn[] = "sheaf_auto_arima";

/* all.equal's default tolerance, which forecast's is.constant inherits */
#define CONSTANT_TOL 1.5e-8
/* nsdiffs' "seas" test: a seasonal difference when the strength exceeds it */
#define SEAS_THRESHOLD 0.64
/* myarima: a root closer than this to the unit circle rejects the model */
#define ROOT_MARGIN 1.01
/* myarima drops trailing polynomial coefficients at most this in modulus */
#define COEF_ZERO 1e-8
/* the models the stepwise search fits before its loop, at most */
#define INITIAL_MODELS 5

sheaf_auto_arima_options sheaf_auto_arima_options_default(void)
{
    sheaf_auto_arima_options o;
    memset(&o, 0, sizeof o);
    o.m = 1;
    o.seasonal = 1;
    o.d = SIZE_MAX;
    o.D = SIZE_MAX;
    o.max_p = 5;
    o.max_q = 5;
    o.max_P = 2;
    o.max_Q = 2;
    o.max_order = 5;
    o.max_d = 2;
    o.max_D = 1;
    o.start_p = 2;
    o.start_q = 2;
    o.start_P = 1;
    o.start_Q = 1;
    o.stepwise = 1;
    o.allow_drift = 1;
    o.allow_mean = 1;
    o.approximation = -1;
    o.ic = SHEAF_ARIMA_IC_AICC;
    o.test_alpha = 0.05;
    o.nmodels = 94;
    return o;
}

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/* ---- forecast's tests ------------------------------------------------------ */

bool sh_auto_is_constant(const double *x, size_t n)
{
    if (n == 0) return true;
    bool na0 = isnan(x[0]);
    for (size_t i = 1; i < n; i++)
        if ((bool)isnan(x[i]) != na0) return false;
    if (na0) return true;
    double sum_diff = 0.0, sum_abs = 0.0;
    size_t count = 0;
    for (size_t i = 1; i < n; i++)
        if (x[i] != x[0]) {
            sum_diff += fabs(x[i] - x[0]);
            sum_abs += fabs(x[i]);
            count++;
        }
    if (count == 0) return true;
    double xy = sum_diff / (double)count, xn = sum_abs / (double)count;
    if (isfinite(xn) && xn > CONSTANT_TOL) xy /= xn;
    return xy <= CONSTANT_TOL;
}

/* x[t] := x[t + lag] - x[t] for t < n - lag; returns n - lag (0 when
 * n <= lag), as R's diff. */
static size_t diff_in_place(double *x, size_t n, size_t lag)
{
    if (n <= lag) return 0;
    for (size_t t = 0; t + lag < n; t++)
        x[t] = x[t + lag] - x[t];
    return n - lag;
}

static bool all_nan(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) return false;
    return true;
}

/* ndiffs' runTests for KPSS: *yes := p < alpha; a failing test is "no",
 * except for NOMEM, which is returned. */
static sheaf_status kpss_rejects(const double *x, size_t n, double alpha, bool *yes)
{
    sheaf_kpss_options o = sheaf_kpss_options_default();
    o.trend = SHEAF_TREND_C;
    o.rule = SHEAF_KPSS_LAGS_FIXED;
    o.nlags = (size_t)trunc(3.0 * sqrt((double)n) / 13.0);
    sheaf_kpss_result r;
    sheaf_status st = sheaf_kpss(NULL, x, n, &o, &r);
    *yes = st == SHEAF_OK && r.pvalue < alpha;
    if (st == SHEAF_ERR_NOMEM) return st;
    if (st != SHEAF_OK) sh_clear_error();
    return SHEAF_OK;
}

sheaf_status sh_auto_ndiffs(const double *x, size_t n, double alpha, size_t max_d, size_t *d)
{
    *d = 0;
    double *v = sh_malloc_array(n ? n : 1, sizeof(double));
    if (!v) return sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for ndiffs (n=%zu)", fn, n);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) v[len++] = x[i];
    sheaf_status st = SHEAF_OK;
    bool dodiff = false;
    if (!sh_auto_is_constant(v, len)) st = kpss_rejects(v, len, alpha, &dodiff);
    while (st == SHEAF_OK && dodiff && *d < max_d) {
        (*d)++;
        len = diff_in_place(v, len, 1);
        if (sh_auto_is_constant(v, len)) break;
        st = kpss_rejects(v, len, alpha, &dodiff);
    }
    sh_free(v);
    return st;
}

/* nsdiffs' runTests for "seas"; only NOMEM is an error, any other failure
 * is "no". */
static sheaf_status seas_rejects(const double *x, size_t n, size_t m, bool *yes)
{
    double strength;
    sheaf_status st = sh_stl_seasonal_strength(fn, x, n, m, &strength);
    *yes = st == SHEAF_OK && strength > SEAS_THRESHOLD;
    if (st == SHEAF_ERR_NOMEM) return st;
    if (st != SHEAF_OK) sh_clear_error();
    return SHEAF_OK;
}

sheaf_status sh_auto_nsdiffs(const double *x, size_t n, size_t m, size_t max_D, size_t *D)
{
    *D = 0;
    if (sh_auto_is_constant(x, n) || m >= n) return SHEAF_OK;
    bool dodiff;
    sheaf_status st = seas_rejects(x, n, m, &dodiff);
    if (st != SHEAF_OK || !dodiff || max_D == 0) return st;
    double *v = sh_malloc_array(n, sizeof(double));
    if (!v) return sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for nsdiffs (n=%zu)", fn, n);
    memcpy(v, x, n * sizeof(double));
    size_t len = n;
    while (dodiff && *D < max_D) {
        (*D)++;
        len = diff_in_place(v, len, m);
        if (sh_auto_is_constant(v, len)) break;
        dodiff = false;
        if (len >= 2 * m && *D < max_D) {
            st = seas_rejects(v, len, m, &dodiff);
            if (st != SHEAF_OK) break;
        }
    }
    sh_free(v);
    return st;
}

/* ---- one candidate (forecast's myarima) ------------------------------------ */

/* What every candidate of one search shares. */
typedef struct search {
    const sheaf_ctx *ctx;
    const double *x; /* the series from its first observation */
    size_t n;
    /* differenced: candidates are fitted to w = (1-L)^d (1-L^m)^D x (nw
     * values, no NaN) as ARMA models, a constant being w's mean; otherwise
     * to x itself with the differences in the model */
    bool differenced;
    const double *w;
    size_t nw;
    size_t nobs; /* R's serieslength: observed values */
    size_t m;    /* the period (1: non-seasonal) */
    size_t d, D;
    sheaf_arima_ic ic;
    double offset;
    bool allow_drift, allow_mean;
    size_t max_p, max_q, max_P, max_Q;
    sh_auto_trace *trace;
} search;

/* A candidate's orders, constant and criterion. */
typedef struct model {
    size_t p, q, P, Q;
    bool constant;
    double ic;
} model;

static sheaf_status trace_push(search *s, const model *c, int phase, double ic)
{
    sh_auto_trace *t = s->trace;
    if (!t) return SHEAF_OK;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        sh_auto_trace_row *rows = sh_realloc(t->rows, cap * sizeof *rows);
        if (!rows) return sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for the search trace", fn);
        t->rows = rows;
        t->cap = cap;
    }
    size_t diffs = s->d + s->D;
    sh_auto_trace_row r = {c->p,
                           s->d,
                           c->q,
                           c->P,
                           s->D,
                           c->Q,
                           c->P + s->D + c->Q > 0 ? s->m : 0,
                           !c->constant ? 0
                           : diffs == 0 ? 1
                                        : 2,
                           phase,
                           ic};
    t->rows[t->n++] = r;
    return SHEAF_OK;
}

/* c[0 .. p + s P] := (1 - sum a_i L^i)(1 - sum A_j L^(s j)) (sign -1) or
 * (1 + sum a_i L^i)(1 + sum A_j L^(s j)) (sign +1). */
static size_t expand_poly(const double *a, size_t p, const double *A, size_t P, size_t s,
                          double sign, double *c)
{
    size_t deg = p + s * P;
    for (size_t k = 0; k <= deg; k++)
        c[k] = 0.0;
    for (size_t i = 0; i <= p; i++) {
        double ai = i == 0 ? 1.0 : sign * a[i - 1];
        for (size_t j = 0; j <= P; j++)
            c[i + s * j] += ai * (j == 0 ? 1.0 : sign * A[j - 1]);
    }
    return deg;
}

/* Roots of c[0 .. deg] by sheaf_linalg_poly_roots; *ok := false when the
 * root finder fails (R's try(polyroot) then rejects the model), NOMEM
 * returned. re/im: deg doubles. */
static sheaf_status roots(const double *c, size_t deg, double *re, double *im, bool *ok)
{
    sheaf_status st = sheaf_linalg_poly_roots(c, deg, re, im);
    *ok = st == SHEAF_OK;
    if (st == SHEAF_ERR_NOMEM) return st;
    if (st != SHEAF_OK) sh_clear_error();
    return SHEAF_OK;
}

/* *mr := the smallest root modulus of c[0 .. deg] after dropping trailing
 * coefficients with |c_k| <= COEF_ZERO, at most 2 (myarima's minroot
 * starts there); 0 when the root finder fails. re/im: deg doubles. */
static sheaf_status min_root(const double *c, size_t deg, double *re, double *im, double *mr)
{
    while (deg > 0 && !(fabs(c[deg]) > COEF_ZERO))
        deg--;
    *mr = 2.0;
    if (deg == 0) return SHEAF_OK;
    bool ok;
    sheaf_status st = roots(c, deg, re, im, &ok);
    if (!ok) *mr = 0.0;
    for (size_t k = 0; ok && k < deg; k++)
        *mr = fmin(*mr, hypot(re[k], im[k]));
    return st;
}

/* R's arCheck: *ok := 1 - sum a_i z^i has every root outside the unit
 * circle (false when the root finder fails). work: 3 (p + 1) doubles. */
static sheaf_status ar_stationary(const double *a, size_t p, double *work, bool *ok)
{
    double *c = work, *re = work + p + 1, *im = re + p + 1;
    size_t deg = p;
    while (deg > 0 && a[deg - 1] == 0.0)
        deg--;
    *ok = true;
    if (deg == 0) return SHEAF_OK;
    c[0] = 1.0;
    for (size_t i = 1; i <= deg; i++)
        c[i] = -a[i - 1];
    sheaf_status st = roots(c, deg, re, im, ok);
    for (size_t k = 0; *ok && k < deg; k++)
        if (!(hypot(re[k], im[k]) > 1.0)) *ok = false;
    return st;
}

/* *ic := the criterion of a fitted model, or INFINITY when myarima
 * rejects it. work: 2 np + 3 (deg_max + 1) doubles (np parameters, deg_max
 * the larger multiplied-out polynomial degree). Only NOMEM is an error. */
static sheaf_status criterion(const search *s, const sheaf_arima *fit, bool css, double *work,
                              double *ic_out)
{
    *ic_out = INFINITY;
    sheaf_arima_spec sp = sheaf_arima_get_spec(fit);
    sheaf_arima_info info;
    sheaf_arima_get_info(fit, &info);
    size_t np = info.n_params, ktr = np - 1 - sp.p - sp.q - sp.P - sp.Q;
    double *params = work, *bse = work + np, *c = bse + np;
    sheaf_arima_params(fit, params, bse);
    double k = (double)np;
    double nstar = (double)s->nobs - (double)s->d - (double)(s->D * s->m);
    double aic = css ? s->offset + nstar * log(info.sigma2) + 2 * k : -2 * info.llf + 2 * k;
    if (isnan(aic)) return SHEAF_OK;
    double ic = s->ic == SHEAF_ARIMA_IC_AIC   ? aic
                : s->ic == SHEAF_ARIMA_IC_BIC ? aic + k * (log(nstar) - 2)
                                              : aic + 2 * k * (k + 1) / (nstar - k - 1);
    /* roots of the multiplied-out AR and MA polynomials */
    const double *ar = params + ktr, *ma = ar + sp.p, *sar = ma + sp.q, *sma = sar + sp.P;
    size_t deg_max = (sp.p > sp.q ? sp.p : sp.q) + sp.s * (sp.P > sp.Q ? sp.P : sp.Q);
    double *re = c + deg_max + 1, *im = re + deg_max + 1;
    double minroot = 2.0, r;
    sheaf_status st;
    if (sp.p + sp.P > 0) {
        size_t deg = expand_poly(ar, sp.p, sar, sp.P, sp.s, -1.0, c);
        if ((st = min_root(c, deg, re, im, &r)) != SHEAF_OK) return st;
        minroot = fmin(minroot, r);
    }
    if (sp.q + sp.Q > 0) {
        size_t deg = expand_poly(ma, sp.q, sma, sp.Q, sp.s, 1.0, c);
        if ((st = min_root(c, deg, re, im, &r)) != SHEAF_OK) return st;
        minroot = fmin(minroot, r);
    }
    if (minroot < ROOT_MARGIN) return SHEAF_OK;
    for (size_t j = 0; j + 1 < np; j++) /* checkarima: sigma2 has no entry in R */
        if (isnan(bse[j])) return SHEAF_OK;
    *ic_out = ic;
    return SHEAF_OK;
}

/* The spec of candidate c with d and D differences (the constant: a mean
 * for d + D = 0, the drift for d + D = 1, none beyond). */
static sheaf_arima_spec model_spec(const search *s, const model *c, size_t d, size_t D)
{
    sheaf_arima_spec sp = sheaf_arima_spec_default();
    sp.p = c->p;
    sp.d = d;
    sp.q = c->q;
    sp.P = c->P;
    sp.D = D;
    sp.Q = c->Q;
    sp.s = c->P + D + c->Q > 0 ? s->m : 0;
    sp.trend = !c->constant ? SHEAF_ARIMA_TREND_N
               : d + D == 0 ? SHEAF_ARIMA_TREND_C
               : d + D == 1 ? SHEAF_ARIMA_TREND_T
                            : SHEAF_ARIMA_TREND_N;
    return sp;
}

/* Fits one candidate as myarima: CSS under the approximation, otherwise
 * CSS-ML (the CSS stage checked for stationarity as R's arima does). *ic
 * := the criterion (INFINITY: failed or rejected); *fit := the model (NULL
 * when the fit failed), the caller's to free. Only NOMEM is an error. */
static sheaf_status fit_candidate(search *s, const model *c, bool approx, int phase, double *ic,
                                  sheaf_arima **fit)
{
    *ic = INFINITY;
    *fit = NULL;
    sheaf_arima_spec sp = s->differenced ? model_spec(s, c, 0, 0) : model_spec(s, c, s->d, s->D);
    const double *y = s->differenced ? s->w : s->x;
    size_t n = s->differenced ? s->nw : s->n;
    size_t np = sheaf_arima_n_params(&sp, 0);
    size_t deg_max = (sp.p > sp.q ? sp.p : sp.q) + sp.s * (sp.P > sp.Q ? sp.P : sp.Q);
    /* params and bse (2 np), polynomial scratch (3 (deg_max + 1)) */
    double *work = sh_malloc_array(2 * np + 3 * (deg_max + 1), sizeof(double));
    if (!work) return sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for a candidate", fn);
    sheaf_arima_fit_options fo = sheaf_arima_fit_options_default();
    sheaf_status st;
    if (approx) {
        fo.method = SHEAF_ARIMA_CSS;
        st = sheaf_arima_fit(s->ctx, y, n, NULL, 0, 0, &sp, &fo, fit);
    } else {
        fo.method = SHEAF_ARIMA_CSS_ML;
        st = sheaf_arima_fit(s->ctx, y, n, NULL, 0, 0, &sp, &fo, fit);
        if (st == SHEAF_OK && (*fit)->css_converged) {
            /* the CSS stage's AR and seasonal AR coefficients */
            const double *ar = (*fit)->css_params + (np - 1 - sp.p - sp.q - sp.P - sp.Q);
            bool ok_ar, ok_sar;
            double *poly = work + 2 * np;
            st = ar_stationary(ar, sp.p, poly, &ok_ar);
            if (st == SHEAF_OK) st = ar_stationary(ar + sp.p + sp.q, sp.P, poly, &ok_sar);
            if (st != SHEAF_OK) goto done;
            if (!ok_ar || !ok_sar) { /* R stops: "non-stationary AR part from CSS" */
                sheaf_arima_free(*fit);
                *fit = NULL;
            }
        }
    }
    if (st == SHEAF_ERR_NOMEM) goto done;
    if (st != SHEAF_OK) sh_clear_error();
    st = SHEAF_OK;
    if (*fit) st = criterion(s, *fit, approx, work, ic);
    if (st == SHEAF_OK) st = trace_push(s, c, phase, *ic);
done:
    sh_free(work);
    if (st != SHEAF_OK) {
        sheaf_arima_free(*fit);
        *fit = NULL;
    }
    return st;
}

/* ---- the searches ------------------------------------------------------------ */

/* The best model so far: its handle (NULL when its fit failed) and row. */
typedef struct best {
    sheaf_arima *fit;
    model mod;
} best;

/* Fits c and keeps it in *b when strictly better (or when b is empty and
 * take_first); *improved says which. */
static sheaf_status try_model(search *s, model *c, bool approx, int phase, best *b, bool take_first,
                              bool *improved)
{
    sheaf_arima *fit;
    sheaf_status st = fit_candidate(s, c, approx, phase, &c->ic, &fit);
    *improved = false;
    if (st != SHEAF_OK) return st;
    if (take_first || c->ic < b->mod.ic) {
        sheaf_arima_free(b->fit);
        b->fit = fit;
        b->mod = *c;
        *improved = true;
    } else {
        sheaf_arima_free(fit);
    }
    return SHEAF_OK;
}

/* forecast's newmodel: c is none of rows[0 .. k). */
static bool is_new(const model *rows, size_t k, const model *c)
{
    for (size_t i = 0; i < k; i++)
        if (rows[i].p == c->p && rows[i].q == c->q && rows[i].P == c->P && rows[i].Q == c->Q &&
            rows[i].constant == c->constant)
            return false;
    return true;
}

/* order[0 .. k) := 0 .. k-1 by increasing criterion, ties by index (R's
 * order() is stable); insertion sort, k is at most nmodels. */
static void order_by_ic(const model *rows, size_t k, size_t *order)
{
    for (size_t i = 0; i < k; i++) {
        size_t j = i;
        while (j > 0 && rows[order[j - 1]].ic > rows[i].ic) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
}

/* The 16 order moves of the stepwise loop in R's order (dp, dq, dP, dQ);
 * the constant toggle comes after them. */
static const int MOVES[16][4] = {{0, 0, -1, 0},  {0, 0, 0, -1}, {0, 0, 1, 0},  {0, 0, 0, 1},
                                 {0, 0, -1, -1}, {0, 0, -1, 1}, {0, 0, 1, -1}, {0, 0, 1, 1},
                                 {-1, 0, 0, 0},  {0, -1, 0, 0}, {1, 0, 0, 0},  {0, 1, 0, 0},
                                 {-1, -1, 0, 0}, {-1, 1, 0, 0}, {1, -1, 0, 0}, {1, 1, 0, 0}};

static bool moved(size_t v, int dv, size_t max, size_t *out)
{
    if (dv < 0 && v == 0) return false;
    if (dv > 0 && v >= max) return false;
    *out = dv < 0 ? v - 1 : dv > 0 ? v + 1 : v;
    return true;
}

/* forecast's stepwise search; *out := the best model, *css: whether it is
 * the CSS fit of the search (every refit without the approximation
 * failed: R then keeps the CSS model). */
static sheaf_status stepwise(search *s, const sheaf_auto_arima_options *o, bool approx,
                             bool constant, best *out, bool *css)
{
    size_t cap = o->nmodels > INITIAL_MODELS ? o->nmodels : INITIAL_MODELS;
    model *rows = sh_malloc_array(cap, sizeof(model));
    size_t *order = sh_malloc_array(cap, sizeof(size_t));
    best b = {NULL, {0, 0, 0, 0, false, INFINITY}};
    sheaf_status st = SHEAF_OK;
    if (!rows || !order) {
        st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for %zu models", fn, cap);
        goto done;
    }
    size_t start_p = o->start_p, start_q = o->start_q, start_P = o->start_P, start_Q = o->start_Q;
    if (s->n < 10) {
        start_p = min_size(start_p, 1);
        start_q = min_size(start_q, 1);
        start_P = start_Q = 0;
    }
    size_t p = min_size(start_p, s->max_p), q = min_size(start_q, s->max_q);
    size_t P = min_size(start_P, s->max_P), Q = min_size(start_Q, s->max_Q);
    size_t k = 0;
    bool better;
    bool seasonal = s->m > 1;
    model init[INITIAL_MODELS];
    size_t ninit = 0;
    init[ninit++] = (model){p, q, P, Q, constant, 0};
    init[ninit++] = (model){0, 0, 0, 0, constant, 0};
    if (s->max_p > 0 || s->max_P > 0)
        init[ninit++] = (model){s->max_p > 0, 0, seasonal && s->max_P > 0, 0, constant, 0};
    if (s->max_q > 0 || s->max_Q > 0)
        init[ninit++] = (model){0, s->max_q > 0, 0, seasonal && s->max_Q > 0, constant, 0};
    if (constant) init[ninit++] = (model){0, 0, 0, 0, false, 0};
    for (size_t i = 0; i < ninit; i++) {
        rows[k] = init[i];
        st = try_model(s, &rows[k], approx, 0, &b, i == 0, &better);
        if (st != SHEAF_OK) goto done;
        k++;
    }
    p = b.mod.p;
    q = b.mod.q;
    P = b.mod.P;
    Q = b.mod.Q;
    /* R keeps `constant` as it was even when the model without it won */
    bool toggle = s->allow_drift || s->allow_mean;
    for (size_t startk = 0; startk < k && k < o->nmodels;) {
        startk = k;
        for (size_t i = 0; i <= 16; i++) {
            model c = {p, q, P, Q, constant, 0};
            if (i < 16) {
                if (!moved(p, MOVES[i][0], s->max_p, &c.p) ||
                    !moved(q, MOVES[i][1], s->max_q, &c.q) ||
                    !moved(P, MOVES[i][2], s->max_P, &c.P) ||
                    !moved(Q, MOVES[i][3], s->max_Q, &c.Q))
                    continue;
            } else {
                if (!toggle) continue;
                c.constant = !constant;
            }
            if (!is_new(rows, k, &c)) continue;
            if (++k > o->nmodels) break;
            rows[k - 1] = c;
            st = try_model(s, &rows[k - 1], approx, 0, &b, false, &better);
            if (st != SHEAF_OK) goto done;
            if (better) {
                p = c.p;
                q = c.q;
                P = c.P;
                Q = c.Q;
                constant = c.constant;
                break; /* R's next: start again from the first move */
            }
        }
    }
    size_t stored = min_size(k, cap);
    *css = approx;
    if (approx && b.fit) {
        /* refit without the approximation in increasing order of the CSS
         * criterion until one is accepted */
        order_by_ic(rows, stored, order);
        for (size_t i = 0; i < stored; i++) {
            model c = rows[order[i]];
            sheaf_arima *fit;
            st = fit_candidate(s, &c, false, 1, &c.ic, &fit);
            if (st != SHEAF_OK) goto done;
            if (c.ic < INFINITY) {
                sheaf_arima_free(b.fit);
                b.fit = fit;
                b.mod = c;
                *css = false;
                break;
            }
            sheaf_arima_free(fit);
        }
    }
    if (!(b.mod.ic < INFINITY)) {
        st = sh_fail(SHEAF_ERR_NO_CONVERGENCE,
                     "%s: no suitable ARIMA model found (all %zu candidates with d=%zu, D=%zu "
                     "failed or were rejected)",
                     fn, stored, s->d, s->D);
        goto done;
    }
    *out = b;
    b.fit = NULL;
done:
    sheaf_arima_free(b.fit);
    sh_free(rows);
    sh_free(order);
    return st;
}

/* forecast's search.arima: every model within max_order. */
static sheaf_status exhaustive(search *s, const sheaf_auto_arima_options *o, bool approx, best *out)
{
    best b = {NULL, {0, 0, 0, 0, false, INFINITY}};
    sheaf_status st = SHEAF_OK;
    bool better;
    int max_k = s->allow_drift || s->allow_mean;
    for (size_t i = 0; i <= s->max_p; i++)
        for (size_t j = 0; j <= s->max_q; j++)
            for (size_t I = 0; I <= s->max_P; I++)
                for (size_t J = 0; J <= s->max_Q; J++) {
                    if (i + j + I + J > o->max_order) continue;
                    for (int K = 0; K <= max_k; K++) {
                        model c = {i, j, I, J, K == 1, 0};
                        st = try_model(s, &c, approx, 0, &b, false, &better);
                        if (st != SHEAF_OK) goto done;
                    }
                }
    if (!b.fit) {
        st = sh_fail(SHEAF_ERR_NO_CONVERGENCE,
                     "%s: no ARIMA model able to be estimated (every model with d=%zu, D=%zu "
                     "and p + q + P + Q <= %zu failed or was rejected)",
                     fn, s->d, s->D, o->max_order);
        goto done;
    }
    if (approx) {
        model c = b.mod;
        sheaf_arima *fit;
        st = fit_candidate(s, &c, false, 1, &c.ic, &fit);
        if (st != SHEAF_OK) goto done;
        sheaf_arima_free(b.fit);
        b.fit = NULL;
        if (c.ic < INFINITY) {
            b.fit = fit;
            b.mod = c;
        } else {
            sheaf_arima_free(fit);
            st = exhaustive(s, o, false, &b);
            if (st != SHEAF_OK) goto done;
        }
    }
    *out = b;
    b.fit = NULL;
done:
    sheaf_arima_free(b.fit);
    return st;
}

/* The model to return: when the search fitted the differenced series, the
 * chosen orders refitted to the series itself (CSS-ML, or CSS when R keeps
 * the CSS model), replacing b->fit. */
static sheaf_status refit_levels(search *s, best *b, bool css)
{
    if (!s->differenced) return SHEAF_OK;
    sheaf_arima_spec sp = model_spec(s, &b->mod, s->d, s->D);
    sheaf_arima_fit_options fo = sheaf_arima_fit_options_default();
    fo.method = css ? SHEAF_ARIMA_CSS : SHEAF_ARIMA_CSS_ML;
    sheaf_arima *fit = NULL;
    sheaf_status st = sheaf_arima_fit(s->ctx, s->x, s->n, NULL, 0, 0, &sp, &fo, &fit);
    if (st != SHEAF_OK && st != SHEAF_ERR_NOMEM)
        st = sh_fail(SHEAF_ERR_NO_CONVERGENCE,
                     "%s: the chosen ARIMA(%zu,%zu,%zu)(%zu,%zu,%zu)[%zu] could not be fitted to "
                     "the series: %s",
                     fn, sp.p, sp.d, sp.q, sp.P, sp.D, sp.Q, sp.s, sheaf_last_error());
    if (st != SHEAF_OK) return st;
    sheaf_arima_free(b->fit);
    b->fit = fit;
    return SHEAF_OK;
}

/* R's offset of the CSS criteria, -2 llf - nobs log sigma2 of the
 * ARIMA(0,d,0)(0,D,0) fit (with a mean when d + D = 0): white noise on the
 * differenced series w, whose ML estimates are closed-form: sigma2 = the
 * mean square of w (about its mean when d + D = 0), llf = -n_w/2 (log(2
 * pi sigma2) + 1) over the n_w observed values. */
static double css_offset(const double *w, size_t nw, bool mean, size_t nobs)
{
    double sum = 0.0, ss = 0.0;
    size_t cnt = 0;
    for (size_t t = 0; t < nw; t++)
        if (!isnan(w[t])) {
            sum += w[t];
            cnt++;
        }
    double mu = mean && cnt ? sum / (double)cnt : 0.0;
    for (size_t t = 0; t < nw; t++)
        if (!isnan(w[t])) ss += (w[t] - mu) * (w[t] - mu);
    double sigma2 = ss / (double)cnt, nu = (double)cnt;
    double llf = -0.5 * nu * (log(2 * M_PI * sigma2) + 1.0);
    return -2 * llf - (double)nobs * log(sigma2);
}

/* ---- the entry point ------------------------------------------------------------ */

static sheaf_status check_options(const sheaf_auto_arima_options *o)
{
    if (o->m == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: m=0 (needs >= 1)", fn);
    if ((unsigned)o->ic > SHEAF_ARIMA_IC_BIC)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: ic=%d is not a sheaf_arima_ic", fn,
                       (int)o->ic);
    if (o->approximation < -1 || o->approximation > 1)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: approximation=%d (needs -1 for R's rule, 0 or 1)", fn,
                       o->approximation);
    if (!(o->test_alpha >= 0.01 && o->test_alpha <= 0.1))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: test_alpha=%g (the KPSS table covers 0.01 .. 0.1)", fn, o->test_alpha);
    if (o->nmodels == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: nmodels=0 (needs >= 1)", fn);
    return SHEAF_OK;
}

sheaf_status sh_auto_arima_run(const sheaf_ctx *ctx, const double *y, size_t n,
                               const sheaf_auto_arima_options *opts, sh_auto_trace *trace,
                               sheaf_arima **out)
{
    if (!out) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", fn);
    *out = NULL;
    if (!y) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: y is NULL", fn);
    sheaf_auto_arima_options o = opts ? *opts : sheaf_auto_arima_options_default();
    sheaf_status st = check_options(&o);
    if (st != SHEAF_OK) return st;
    size_t first = n, nobs = 0;
    for (size_t t = 0; t < n; t++) {
        if (isnan(y[t])) continue;
        if (!isfinite(y[t])) return sh_fail(SHEAF_ERR_NONFINITE, "%s: y[%zu] is %g", fn, t, y[t]);
        if (first == n) first = t;
        nobs++;
    }
    if (nobs == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       n ? "%s: all %zu values are missing" : "%s: y is empty (n=%zu)", fn, n);
    search s;
    memset(&s, 0, sizeof s);
    s.ctx = ctx;
    s.x = y + first; /* R drops the leading missing values */
    s.n = n - first;
    s.nobs = nobs;
    s.trace = trace;
    if (sh_auto_is_constant(s.x, s.n))
        return sh_fail(SHEAF_ERR_SINGULAR,
                       "%s: the series is constant (every value is %g): no ARIMA noise to fit "
                       "(R returns a zero-variance ARIMA(0,0,0))",
                       fn, s.x[0]);
    s.m = o.seasonal ? o.m : 1;
    s.max_p = min_size(o.max_p, nobs / 3);
    s.max_q = min_size(o.max_q, nobs / 3);
    s.max_P = min_size(o.max_P, nobs / 3 / s.m);
    s.max_Q = min_size(o.max_Q, nobs / 3 / s.m);
    s.ic = nobs <= 3 ? SHEAF_ARIMA_IC_AIC : o.ic;

    double *dx = sh_malloc_array(s.n, sizeof(double));
    if (!dx) return sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for n=%zu", fn, s.n);
    /* D, then d on the seasonally differenced series */
    size_t D = 0, d = 0, len;
    if (s.m == 1) {
        s.max_P = s.max_Q = 0;
    } else if (o.D != SIZE_MAX) {
        D = o.D;
    } else if (s.m < s.n && s.n - s.m > s.m) { /* n > 2 m */
        st = sh_auto_nsdiffs(s.x, s.n, s.m, o.max_D, &D);
        if (st != SHEAF_OK) goto done;
        memcpy(dx, s.x, s.n * sizeof(double));
        len = s.n;
        for (size_t i = 0; i < D; i++)
            len = diff_in_place(dx, len, s.m);
        if (D > 0 && all_nan(dx, len)) D--;
    }
    memcpy(dx, s.x, s.n * sizeof(double));
    len = s.n;
    for (size_t i = 0; i < D; i++)
        len = diff_in_place(dx, len, s.m);
    if (o.d != SIZE_MAX) {
        d = o.d;
    } else {
        st = sh_auto_ndiffs(dx, len, o.test_alpha, o.max_d, &d);
        if (st != SHEAF_OK) goto done;
        if (d > 0) {
            double *tmp = sh_malloc_array(len ? len : 1, sizeof(double));
            if (!tmp) {
                st = sh_fail(SHEAF_ERR_NOMEM, "%s: no memory for n=%zu", fn, s.n);
                goto done;
            }
            memcpy(tmp, dx, len * sizeof(double));
            size_t l2 = len;
            for (size_t i = 0; i < d; i++)
                l2 = diff_in_place(tmp, l2, 1);
            if (all_nan(tmp, l2)) d--;
            sh_free(tmp);
        }
    }
    for (size_t i = 0; i < d; i++)
        len = diff_in_place(dx, len, 1);
    s.d = d;
    s.D = D;
    if (trace) {
        trace->d = d;
        trace->D = D;
    }
    if (len == 0) {
        st = sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                     "%s: series too short (n=%zu leaves no value after d=%zu, D=%zu "
                     "differences of period %zu)",
                     fn, s.n, d, D, s.m);
        goto done;
    }
    if (sh_auto_is_constant(dx, len)) {
        st = sh_fail(SHEAF_ERR_SINGULAR,
                     "%s: the series differenced d=%zu, D=%zu times (period %zu) is constant: "
                     "a deterministic trend or season with no ARIMA noise to fit",
                     fn, d, D, s.m);
        goto done;
    }
    if (s.m > 1) {
        if (s.max_P > 0) s.max_p = min_size(s.max_p, s.m - 1);
        if (s.max_Q > 0) s.max_q = min_size(s.max_q, s.m - 1);
    }
    bool approx = o.approximation < 0 ? (s.n > 150 || o.m > 12) : o.approximation == 1;
    if (approx) s.offset = css_offset(dx, len, d + D == 0, nobs);
    /* without missing values the candidates are fitted to the differenced
     * series: its exact likelihood is what R's arima approximates, where
     * statsmodels' 1e6 diffuse prior on the levels drifts from it with the
     * data's scale (see the top of the file) */
    s.differenced = d + D > 0 && nobs == s.n;
    s.w = dx;
    s.nw = len;
    if (trace) {
        trace->approximation = approx;
        trace->offset = s.offset;
    }
    s.allow_drift = o.allow_drift && d + D == 1;
    s.allow_mean = o.allow_mean && d + D == 0;
    bool constant = s.allow_drift || s.allow_mean;
    best b = {NULL, {0, 0, 0, 0, false, INFINITY}};
    bool css = false;
    st = o.stepwise ? stepwise(&s, &o, approx, constant, &b, &css) : exhaustive(&s, &o, approx, &b);
    if (st == SHEAF_OK) st = refit_levels(&s, &b, css);
    if (st == SHEAF_OK) {
        *out = b.fit;
        b.fit = NULL;
    }
    sheaf_arima_free(b.fit);
done:
    sh_free(dx);
    return st;
}

sheaf_status sheaf_auto_arima(const sheaf_ctx *ctx, const double *y, size_t n,
                              const sheaf_auto_arima_options *opts, sheaf_arima **out)
{
    return sh_auto_arima_run(ctx, y, n, opts, NULL, out);
}
