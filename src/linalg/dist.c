/* dist.c - cdf, survival function and quantile of the normal, Student t,
 * chi-squared and F distributions.
 *
 * Tails: GSL's gsl_cdf_* _P and _Q routines, the _Q variants computing the
 * upper tail directly, so sf keeps full relative precision where 1 - cdf
 * would round to 0. Student t is the exception: for df > 30 GSL switches to
 * a Cornish-Fisher normal approximation (relative error ~1e-10 in the far
 * tail), so the t tail is computed here from the regularized incomplete beta
 * function, P(T > |x|) = I_{df/(df+x^2)}(df/2, 1/2) / 2, or through the
 * complement I_{x^2/(df+x^2)}(1/2, df/2) when that argument is the smaller
 * (Abramowitz & Stegun 26.7.1; the route of scipy's stdtr). Known limit:
 * GSL evaluates the prefactor z^(df/2) from the rounded z, so far-tail
 * relative accuracy is about df/2 ulps (1e-13 at df = 1000, 5e-12 at
 * df = 1e5); an own continued fraction with log1p(x^2/df) would remove it.
 *
 * Quantiles: GSL's _Pinv (p <= 1/2) or _Qinv(1 - p) (p > 1/2; 1 - p is exact
 * there) gives a start that can be off by 1e-5 relative in the far tails
 * (t with df = 1, F at p = 1e-12), so it is polished by Newton's method on
 * log F(x) = log p, F the tail being inverted (in log x on a positive
 * support), which is nearly linear for the power and exponential tails.
 * The polished value is kept only if its residual is no worse.
 *
 * Parameters are validated here, the boundaries (x = +-inf, x <= 0 on a
 * positive support, p = 0 or 1) answered here as scipy.stats does, and a NaN
 * from GSL becomes NO_CONVERGENCE. GSL's abort-on-error handler is switched
 * off once per process, through pthread_once. */
#include "linalg_internal.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <float.h>
#include <math.h>
#include <pthread.h>

static pthread_once_t gsl_handler_once = PTHREAD_ONCE_INIT;

static void gsl_handler_off(void) { gsl_set_error_handler_off(); }

/* Every distribution seen through one signature: (x or p, df1, df2). */
typedef double (*dist_fn)(double, double, double);

typedef struct dist_kind {
    dist_fn p, q, pinv, qinv, pdf;
    int n_df;          /* 0, 1 or 2 shape parameters */
    double support_lo; /* cdf is 0 at and below this point */
} dist_kind;

/* The (x, a, b) signature for every GSL routine; unused shape parameters
 * are ignored. */
static double norm_p(double x, double a, double b)
{
    return (void)a, (void)b, gsl_cdf_ugaussian_P(x);
}
static double norm_q(double x, double a, double b)
{
    return (void)a, (void)b, gsl_cdf_ugaussian_Q(x);
}
static double norm_pinv(double p, double a, double b)
{
    return (void)a, (void)b, gsl_cdf_ugaussian_Pinv(p);
}
static double norm_qinv(double p, double a, double b)
{
    return (void)a, (void)b, gsl_cdf_ugaussian_Qinv(p);
}
static double norm_pdf(double x, double a, double b)
{
    return (void)a, (void)b, gsl_ran_ugaussian_pdf(x);
}

/* I_x(a, b), with underflow read as 0 and any other GSL failure as NaN. */
static double beta_inc(double a, double b, double x)
{
    gsl_sf_result r;
    int status = gsl_sf_beta_inc_e(a, b, x, &r);
    if (status == GSL_EUNDRFLW) return 0.0;
    return status == GSL_SUCCESS ? r.val : NAN;
}

/* P(T > x) (upper) or P(T <= x) for Student t with df degrees of freedom.
 * far = P(T > |x|) = (1 - I_zc(1/2, df/2)) / 2 with zc = x^2 / (df + x^2)
 * is free of cancellation only while far is not small (>= 0.1 keeps the
 * error within 5 ulps); below that far = I_z(df/2, 1/2) / 2 directly, with
 * z = df / (df + x^2). Both arguments are formed from r = df / x^2 so that
 * neither x^2 nor df + x^2 can overflow. */
static double t_tail(double x, double df, bool upper)
{
    double ax = fabs(x), r = df / ax / ax, z, zc;
    if (r > 1.0) {
        double s = 1.0 / r; /* x^2 / df, exact 0 at x = 0 */
        z = 1.0 / (1.0 + s);
        zc = s / (1.0 + s);
    } else {
        z = r / (1.0 + r);
        zc = 1.0 / (1.0 + r);
    }
    double far = 0.5 - 0.5 * beta_inc(0.5, 0.5 * df, zc);
    if (!(far >= 0.1)) far = 0.5 * beta_inc(0.5 * df, 0.5, z);
    return (x >= 0.0) == upper ? far : 1.0 - far;
}

static double t_p(double x, double df, double b) { return (void)b, t_tail(x, df, false); }
static double t_q(double x, double df, double b) { return (void)b, t_tail(x, df, true); }
static double t_pinv(double p, double df, double b) { return (void)b, gsl_cdf_tdist_Pinv(p, df); }
static double t_qinv(double p, double df, double b) { return (void)b, gsl_cdf_tdist_Qinv(p, df); }
static double t_pdf(double x, double df, double b) { return (void)b, gsl_ran_tdist_pdf(x, df); }
static double chi2_p(double x, double df, double b) { return (void)b, gsl_cdf_chisq_P(x, df); }
static double chi2_q(double x, double df, double b) { return (void)b, gsl_cdf_chisq_Q(x, df); }
static double chi2_pinv(double p, double df, double b)
{
    return (void)b, gsl_cdf_chisq_Pinv(p, df);
}
static double chi2_qinv(double p, double df, double b)
{
    return (void)b, gsl_cdf_chisq_Qinv(p, df);
}
static double chi2_pdf(double x, double df, double b) { return (void)b, gsl_ran_chisq_pdf(x, df); }

static const dist_kind NORMAL = {.p = norm_p,
                                 .q = norm_q,
                                 .pinv = norm_pinv,
                                 .qinv = norm_qinv,
                                 .pdf = norm_pdf,
                                 .n_df = 0,
                                 .support_lo = -INFINITY};
static const dist_kind STUDENT_T = {.p = t_p,
                                    .q = t_q,
                                    .pinv = t_pinv,
                                    .qinv = t_qinv,
                                    .pdf = t_pdf,
                                    .n_df = 1,
                                    .support_lo = -INFINITY};
static const dist_kind CHI2 = {.p = chi2_p,
                               .q = chi2_q,
                               .pinv = chi2_pinv,
                               .qinv = chi2_qinv,
                               .pdf = chi2_pdf,
                               .n_df = 1,
                               .support_lo = 0.0};
static const dist_kind FISHER_F = {.p = gsl_cdf_fdist_P,
                                   .q = gsl_cdf_fdist_Q,
                                   .pinv = gsl_cdf_fdist_Pinv,
                                   .qinv = gsl_cdf_fdist_Qinv,
                                   .pdf = gsl_ran_fdist_pdf,
                                   .n_df = 2,
                                   .support_lo = 0.0};

static sheaf_status check_df(const char *fn, const char *name, double df)
{
    if (!(df > 0.0))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s must be > 0 (got %g)", fn, name, df);
    if (isinf(df))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: %s must be finite (got %g)", fn, name, df);
    return SHEAF_OK;
}

static sheaf_status check_common(const char *fn, const dist_kind *k, double df1, double df2,
                                 double *out)
{
    sheaf_status st;
    pthread_once(&gsl_handler_once, gsl_handler_off);
    if (out == NULL) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: out is NULL", fn);
    if (k->n_df >= 1 && (st = check_df(fn, k->n_df == 1 ? "df" : "df1", df1)) != SHEAF_OK)
        return st;
    if (k->n_df >= 2 && (st = check_df(fn, "df2", df2)) != SHEAF_OK) return st;
    return SHEAF_OK;
}

static sheaf_status gsl_nan(const char *fn, const dist_kind *k, const char *arg, double v,
                            double df1, double df2)
{
    if (k->n_df == 0)
        return sh_fail(SHEAF_ERR_NO_CONVERGENCE, "%s: GSL returned nan at %s = %g", fn, arg, v);
    if (k->n_df == 1)
        return sh_fail(SHEAF_ERR_NO_CONVERGENCE, "%s: GSL returned nan at %s = %g, df = %g", fn,
                       arg, v, df1);
    return sh_fail(SHEAF_ERR_NO_CONVERGENCE, "%s: GSL returned nan at %s = %g, df1 = %g, df2 = %g",
                   fn, arg, v, df1, df2);
}

/* P(X <= x) (upper = false) or P(X > x) (upper = true). */
static sheaf_status tail(const char *fn, const dist_kind *k, bool upper, double x, double df1,
                         double df2, double *out)
{
    sheaf_status st = check_common(fn, k, df1, df2, out);
    if (st != SHEAF_OK) return st;
    if (isnan(x)) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: x is nan", fn);
    double v;
    if (x <= k->support_lo)
        v = upper ? 1.0 : 0.0;
    else if (x == INFINITY)
        v = upper ? 0.0 : 1.0;
    else
        v = upper ? k->q(x, df1, df2) : k->p(x, df1, df2);
    if (isnan(v)) return gsl_nan(fn, k, "x", x, df1, df2);
    *out = v;
    return SHEAF_OK;
}

/* Refines x0, a root of F(x) = p with F the lower (upper = false) or upper
 * tail, by Newton steps on g(x) = log F(x) - log p; g'(x) = -+pdf(x) / F(x).
 * On a positive support the variable is u = log x, so x stays positive. */
static double polish(const dist_kind *k, double x0, double p, bool upper, double df1, double df2)
{
    enum { MAX_NEWTON = 50 };
    dist_fn side = upper ? k->q : k->p;
    double log_p = log(p), x = x0;
    bool positive = k->support_lo == 0.0;
    for (int it = 0; it < MAX_NEWTON; it++) {
        double f = side(x, df1, df2), d = k->pdf(x, df1, df2);
        if (!(f > 0.0) || !(d > 0.0) || !isfinite(f) || !isfinite(d)) break;
        double slope = (upper ? -d : d) / f; /* d log F / dx */
        double g = log(f) - log_p, next;
        if (positive)
            next = x * exp(-g / (slope * x));
        else
            next = x - g / slope;
        if (!isfinite(next) || (positive && !(next > 0.0))) break;
        double moved = fabs(next - x);
        x = next;
        if (moved <= 4.0 * DBL_EPSILON * fabs(x)) break;
    }
    double r0 = fabs(side(x0, df1, df2) - p), r = fabs(side(x, df1, df2) - p);
    return isfinite(x) && r <= r0 ? x : x0;
}

static sheaf_status quantile(const char *fn, const dist_kind *k, double p, double df1, double df2,
                             double *out)
{
    sheaf_status st = check_common(fn, k, df1, df2, out);
    if (st != SHEAF_OK) return st;
    if (!(p >= 0.0 && p <= 1.0))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: p must be in [0, 1] (got %g)", fn, p);
    double v;
    if (p == 0.0)
        v = k->support_lo;
    else if (p == 1.0)
        v = INFINITY;
    else if (p <= 0.5)
        v = polish(k, k->pinv(p, df1, df2), p, false, df1, df2);
    else
        v = polish(k, k->qinv(1.0 - p, df1, df2), 1.0 - p, true, df1, df2);
    if (isnan(v)) return gsl_nan(fn, k, "p", p, df1, df2);
    *out = v;
    return SHEAF_OK;
}

sheaf_status sheaf_dist_normal_cdf(double x, double *out)
{
    return tail("sheaf_dist_normal_cdf", &NORMAL, false, x, 0.0, 0.0, out);
}

sheaf_status sheaf_dist_normal_sf(double x, double *out)
{
    return tail("sheaf_dist_normal_sf", &NORMAL, true, x, 0.0, 0.0, out);
}

sheaf_status sheaf_dist_normal_quantile(double p, double *out)
{
    return quantile("sheaf_dist_normal_quantile", &NORMAL, p, 0.0, 0.0, out);
}

sheaf_status sheaf_dist_t_cdf(double x, double df, double *out)
{
    return tail("sheaf_dist_t_cdf", &STUDENT_T, false, x, df, 0.0, out);
}

sheaf_status sheaf_dist_t_sf(double x, double df, double *out)
{
    return tail("sheaf_dist_t_sf", &STUDENT_T, true, x, df, 0.0, out);
}

sheaf_status sheaf_dist_t_quantile(double p, double df, double *out)
{
    return quantile("sheaf_dist_t_quantile", &STUDENT_T, p, df, 0.0, out);
}

sheaf_status sheaf_dist_chi2_cdf(double x, double df, double *out)
{
    return tail("sheaf_dist_chi2_cdf", &CHI2, false, x, df, 0.0, out);
}

sheaf_status sheaf_dist_chi2_sf(double x, double df, double *out)
{
    return tail("sheaf_dist_chi2_sf", &CHI2, true, x, df, 0.0, out);
}

sheaf_status sheaf_dist_chi2_quantile(double p, double df, double *out)
{
    return quantile("sheaf_dist_chi2_quantile", &CHI2, p, df, 0.0, out);
}

sheaf_status sheaf_dist_f_cdf(double x, double df1, double df2, double *out)
{
    return tail("sheaf_dist_f_cdf", &FISHER_F, false, x, df1, df2, out);
}

sheaf_status sheaf_dist_f_sf(double x, double df1, double df2, double *out)
{
    return tail("sheaf_dist_f_sf", &FISHER_F, true, x, df1, df2, out);
}

sheaf_status sheaf_dist_f_quantile(double p, double df1, double df2, double *out)
{
    return quantile("sheaf_dist_f_quantile", &FISHER_F, p, df1, df2, out);
}
