/* stl.c - STL: the seasonal-trend decomposition by loess of Cleveland,
 * Cleveland, McRae & Terpenning (1990), "STL: A Seasonal-Trend Decomposition
 * Procedure Based on Loess", J. Official Statistics 6(1), 3-73, as R's
 * stats::stl (R 4.2, src/library/stats/src/stl.f) computes it, and the
 * seasonal strength forecast::nsdiffs tests (forecast 8.20).
 *
 * With y = S + T + R and period np, one inner pass (section 2 of the paper):
 *  1. detrend: w = y - T;
 *  2. cycle-subseries smoothing: each of the np subseries w_j, w_{j+np},
 *     .. is smoothed by loess (span ns, degree isdeg) and extended by one
 *     value at each end (loess evaluated at positions 0 and k + 1), giving
 *     C of length n + 2 np;
 *  3. low-pass filter of C: moving averages of lengths np, np, 3, then a
 *     loess of span nl: L (length n);
 *  4. S = C[np ..] - L;
 *  5. deseasonalise and smooth: T = loess(y - S, span nt, degree itdeg).
 * Each loess is tricube-weighted local constant or linear regression in
 * the index (stlest), evaluated every njump points and interpolated
 * linearly between (stless). Robustness iterations (outer) multiply the
 * loess weights by Tukey's biweight of |y - S - T| / (6 median). The
 * "periodic" variant smooths the subseries with a huge window and degree
 * 0, then replaces S by its mean per position in the cycle. The code below
 * follows the Fortran step for step (1-based positions as doubles in the
 * loess), so results agree with R's to rounding (tested against R), except
 * for the median of the robustness weights: R's psort(rw, n, mid, 2) gets
 * mid = (n/2 + 1, n/2), a decreasing pair its partial quicksort does not
 * support, and for even n can return other order statistics; this file
 * takes the true median (as statsmodels' STL does). */
#include "timeseries/stl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

sh_stl_options sh_stl_options_default(size_t period, size_t s_window, bool robust)
{
    sh_stl_options o;
    memset(&o, 0, sizeof o);
    o.period = period;
    o.periodic = s_window == 0;
    o.s_window = s_window;
    o.s_degree = 0;
    o.t_degree = 1;
    o.l_degree = 1;
    o.inner = robust ? 1 : 2;
    o.outer = robust ? 15 : 0;
    return o;
}

/* R's nextodd: x rounded, plus one when even. */
static size_t next_odd(double x)
{
    size_t v = (size_t)nearbyint(x);
    return v % 2 == 0 ? v + 1 : v;
}

/* ceiling(w / 10) for a whole w. */
static size_t ceil_tenth(size_t w) { return (w + 9) / 10; }

/* The spans the Fortran uses: at least 3 and odd. */
static size_t odd_span(size_t w)
{
    if (w < 3) w = 3;
    return w % 2 == 0 ? w + 1 : w;
}

/* Loess at abscissa xs (1-based position) from y[nleft-1 .. nright-1]
 * (stlest): tricube weights over the half-width h = max(xs - nleft,
 * nright - xs) (widened by (len - n) / 2 when the span exceeds the
 * series), times the robustness weights when userw, normalised; degree 1
 * tilts them into a local line unless the weighted spread of the positions
 * is below 0.001 (n - 1). w is scratch (written at nleft-1 .. nright-1).
 * Returns false when every weight vanished (*ys untouched). */
static bool loess_at(const double *y, size_t n, size_t len, int deg, double xs, double *ys,
                     size_t nleft, size_t nright, double *w, bool userw, const double *rw)
{
    double range = (double)n - 1.0;
    double h = fmax(xs - (double)nleft, (double)nright - xs);
    if (len > n) h += (double)((len - n) / 2);
    double h9 = 0.999 * h, h1 = 0.001 * h, a = 0.0;
    for (size_t j = nleft; j <= nright; j++) {
        double r = fabs((double)j - xs);
        if (r <= h9) {
            if (r <= h1) {
                w[j - 1] = 1.0;
            } else {
                double u = r / h;
                u = 1.0 - u * u * u;
                w[j - 1] = u * u * u;
            }
            if (userw) w[j - 1] = rw[j - 1] * w[j - 1];
            a += w[j - 1];
        } else {
            w[j - 1] = 0.0;
        }
    }
    if (a <= 0.0) return false;
    for (size_t j = nleft; j <= nright; j++)
        w[j - 1] /= a;
    if (h > 0.0 && deg > 0) {
        a = 0.0;
        for (size_t j = nleft; j <= nright; j++)
            a += w[j - 1] * (double)j;
        double b = xs - a, c = 0.0;
        for (size_t j = nleft; j <= nright; j++) {
            double dj = (double)j - a;
            c += w[j - 1] * dj * dj;
        }
        if (sqrt(c) > 0.001 * range) {
            b /= c;
            for (size_t j = nleft; j <= nright; j++)
                w[j - 1] = w[j - 1] * (b * ((double)j - a) + 1.0);
        }
    }
    double s = 0.0;
    for (size_t j = nleft; j <= nright; j++)
        s += w[j - 1] * y[j - 1];
    *ys = s;
    return true;
}

/* ys[0 .. n) := the loess smooth of y (stless): evaluated at positions 1,
 * 1 + jump, .. (windows of len points, centred where they fit), the last
 * position n always, linear interpolation between. res: n doubles scratch. */
static void loess_smooth(const double *y, size_t n, size_t len, int deg, size_t njump, bool userw,
                         const double *rw, double *ys, double *res)
{
    if (n < 2) {
        ys[0] = y[0];
        return;
    }
    size_t newnj = njump < n - 1 ? njump : n - 1;
    size_t nleft = 0, nright = 0;
    if (len >= n) {
        nleft = 1;
        nright = n;
        for (size_t i = 1; i <= n; i += newnj)
            if (!loess_at(y, n, len, deg, (double)i, &ys[i - 1], nleft, nright, res, userw, rw))
                ys[i - 1] = y[i - 1];
    } else if (newnj == 1) {
        size_t nsh = (len + 1) / 2;
        nleft = 1;
        nright = len;
        for (size_t i = 1; i <= n; i++) {
            if (i > nsh && nright != n) {
                nleft++;
                nright++;
            }
            if (!loess_at(y, n, len, deg, (double)i, &ys[i - 1], nleft, nright, res, userw, rw))
                ys[i - 1] = y[i - 1];
        }
    } else {
        size_t nsh = (len + 1) / 2;
        for (size_t i = 1; i <= n; i += newnj) {
            if (i < nsh) {
                nleft = 1;
                nright = len;
            } else if (i >= n - nsh + 1) {
                nleft = n - len + 1;
                nright = n;
            } else {
                nleft = i - nsh + 1;
                nright = len + i - nsh;
            }
            if (!loess_at(y, n, len, deg, (double)i, &ys[i - 1], nleft, nright, res, userw, rw))
                ys[i - 1] = y[i - 1];
        }
    }
    if (newnj == 1) return;
    for (size_t i = 1; i <= n - newnj; i += newnj) {
        double delta = (ys[i + newnj - 1] - ys[i - 1]) / (double)newnj;
        for (size_t j = i + 1; j <= i + newnj - 1; j++)
            ys[j - 1] = ys[i - 1] + delta * (double)(j - i);
    }
    size_t k = ((n - 1) / newnj) * newnj + 1;
    if (k != n) {
        if (!loess_at(y, n, len, deg, (double)n, &ys[n - 1], nleft, nright, res, userw, rw))
            ys[n - 1] = y[n - 1];
        if (k != n - 1) {
            double delta = (ys[n - 1] - ys[k - 1]) / (double)(n - k);
            for (size_t j = k + 1; j <= n - 1; j++)
                ys[j - 1] = ys[k - 1] + delta * (double)(j - k);
        }
    }
}

/* ave[0 .. n - len] := the running means of len consecutive x (stlma). */
static void moving_average(const double *x, size_t n, size_t len, double *ave)
{
    size_t newn = n - len + 1;
    double flen = (double)len, v = 0.0;
    for (size_t i = 0; i < len; i++)
        v += x[i];
    ave[0] = v / flen;
    for (size_t j = 1, k = len, m = 0; j < newn; j++, k++, m++) {
        v = v - x[m] + x[k];
        ave[j] = v / flen;
    }
}

/* The settings one decomposition runs with, R's defaults filled in. */
typedef struct stl_run {
    size_t n, np, ns, nt, nl, nsjump, ntjump, nljump, ni, no;
    int isdeg, itdeg, ildeg;
} stl_run;

/* Cycle-subseries smoothing (stlss): C[0 .. n + 2 np) from w[0 .. n). */
static void subseries_smooth(const stl_run *r, const double *w, bool userw, const double *rw,
                             double *c, double *sub, double *fit, double *subw, double *scratch)
{
    size_t n = r->n, np = r->np, ns = r->ns;
    for (size_t j = 1; j <= np; j++) {
        size_t k = (n - j) / np + 1;
        for (size_t i = 1; i <= k; i++)
            sub[i - 1] = w[(i - 1) * np + j - 1];
        if (userw)
            for (size_t i = 1; i <= k; i++)
                subw[i - 1] = rw[(i - 1) * np + j - 1];
        loess_smooth(sub, k, ns, r->isdeg, r->nsjump, userw, subw, fit + 1, scratch);
        size_t nright = ns < k ? ns : k;
        if (!loess_at(sub, k, ns, r->isdeg, 0.0, &fit[0], 1, nright, scratch, userw, subw))
            fit[0] = fit[1];
        size_t nleft = k >= ns ? k - ns + 1 : 1;
        if (!loess_at(sub, k, ns, r->isdeg, (double)(k + 1), &fit[k + 1], nleft, k, scratch, userw,
                      subw))
            fit[k + 1] = fit[k];
        for (size_t m = 1; m <= k + 2; m++)
            c[(m - 1) * np + j - 1] = fit[m - 1];
    }
}

/* One stlstp call: ni inner passes updating season and trend. work: five
 * blocks of n + 2 np doubles. */
static void inner_passes(const stl_run *r, const double *y, bool userw, const double *rw,
                         double *season, double *trend, double *work)
{
    size_t n = r->n, np = r->np, ld = n + 2 * np;
    double *w1 = work, *w2 = work + ld, *w3 = work + 2 * ld, *w4 = work + 3 * ld,
           *w5 = work + 4 * ld;
    for (size_t it = 0; it < r->ni; it++) {
        for (size_t i = 0; i < n; i++)
            w1[i] = y[i] - trend[i];
        subseries_smooth(r, w1, userw, rw, w2, w3, w4, w5, season);
        /* low-pass filter of C (stlfts), then its loess */
        moving_average(w2, ld, np, w3);
        moving_average(w3, ld - np + 1, np, w1);
        moving_average(w1, ld - 2 * np + 2, 3, w3);
        loess_smooth(w3, n, r->nl, r->ildeg, r->nljump, false, w4, w1, w5);
        for (size_t i = 0; i < n; i++)
            season[i] = w2[np + i] - w1[i];
        for (size_t i = 0; i < n; i++)
            w1[i] = y[i] - season[i];
        loess_smooth(w1, n, r->nt, r->itdeg, r->ntjump, userw, rw, trend, w3);
    }
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Robustness weights (stlrwt): B(|y - fit| / (6 M)), B(u) = (1 - u^2)^2
 * on |u| < 1, M the median absolute residual (the mean of the two middle
 * order statistics n/2 + 1 and n - n/2, 1-based). sorted: n doubles. */
static void robustness_weights(const double *y, size_t n, const double *fit, double *rw,
                               double *sorted)
{
    for (size_t i = 0; i < n; i++)
        sorted[i] = fabs(y[i] - fit[i]);
    qsort(sorted, n, sizeof(double), cmp_double);
    size_t mid1 = n / 2 + 1, mid2 = n - mid1 + 1;
    double cmad = 3.0 * (sorted[mid1 - 1] + sorted[mid2 - 1]);
    double c9 = 0.999 * cmad, c1 = 0.001 * cmad;
    for (size_t i = 0; i < n; i++) {
        double r = fabs(y[i] - fit[i]);
        if (r <= c1) {
            rw[i] = 1.0;
        } else if (r <= c9) {
            double u = r / cmad;
            u = 1.0 - u * u;
            rw[i] = u * u;
        } else {
            rw[i] = 0.0;
        }
    }
}

sheaf_status sh_stl(const char *who, const double *y, size_t n, const sh_stl_options *opts,
                    double *seasonal, double *trend, double *weights)
{
    if (!y || !opts || !seasonal || !trend)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: stl: %s is NULL", who,
                       !y          ? "y"
                       : !opts     ? "opts"
                       : !seasonal ? "seasonal"
                                   : "trend");
    const sh_stl_options *o = opts;
    if (o->period < 2 || n <= 2 * o->period)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: stl: the series is not periodic or has less than two periods (n = "
                       "%zu, period %zu)",
                       who, n, o->period);
    if ((o->s_degree != 0 && o->s_degree != 1) || (o->t_degree != 0 && o->t_degree != 1) ||
        (o->l_degree != 0 && o->l_degree != 1))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: stl: degrees must be 0 or 1 (s %d, t %d, l %d)", who, o->s_degree,
                       o->t_degree, o->l_degree);
    if (!o->periodic && o->s_window == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: stl: s_window is 0 and not periodic", who);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(y[i]))
            return sh_fail(SHEAF_ERR_NONFINITE, "%s: stl: y[%zu] is %g", who, i, y[i]);

    stl_run r;
    r.n = n;
    r.np = o->period;
    size_t s_window = o->periodic ? 10 * n + 1 : o->s_window;
    r.isdeg = o->periodic ? 0 : o->s_degree;
    r.itdeg = o->t_degree;
    r.ildeg = o->l_degree;
    size_t t_window = o->t_window;
    if (t_window == 0)
        t_window = next_odd(ceil(1.5 * (double)o->period / (1.0 - 1.5 / (double)s_window)));
    size_t l_window = o->l_window ? o->l_window : next_odd((double)o->period);
    r.nsjump = o->s_jump ? o->s_jump : ceil_tenth(s_window);
    r.ntjump = o->t_jump ? o->t_jump : ceil_tenth(t_window);
    r.nljump = o->l_jump ? o->l_jump : ceil_tenth(l_window);
    r.ns = odd_span(s_window);
    r.nt = odd_span(t_window);
    r.nl = odd_span(l_window);
    r.ni = o->inner;
    r.no = o->outer;

    size_t ld = n + 2 * r.np;
    double *work = sh_malloc_array(5 * ld + 2 * n, sizeof(double));
    if (!work) return sh_fail(SHEAF_ERR_NOMEM, "%s: stl: out of memory (n = %zu)", who, n);
    double *rw = work + 5 * ld, *fit = rw + n;
    for (size_t i = 0; i < n; i++) {
        trend[i] = 0.0;
        rw[i] = 1.0;
    }
    bool userw = false;
    for (size_t k = 0;;) {
        inner_passes(&r, y, userw, rw, seasonal, trend, work);
        if (++k > r.no) break;
        for (size_t i = 0; i < n; i++)
            fit[i] = trend[i] + seasonal[i];
        robustness_weights(y, n, fit, rw, work);
        userw = true;
    }
    if (o->periodic) {
        /* the mean of the seasonal at each position of the cycle */
        for (size_t j = 0; j < r.np; j++) {
            double s = 0.0;
            size_t c = 0;
            for (size_t i = j; i < n; i += r.np, c++)
                s += seasonal[i];
            s /= (double)c;
            for (size_t i = j; i < n; i += r.np)
                seasonal[i] = s;
        }
    }
    if (weights)
        for (size_t i = 0; i < n; i++)
            weights[i] = r.no > 0 ? rw[i] : 1.0;
    sh_free(work);
    return SHEAF_OK;
}

/* The sample variance (divisor m - 1) of the non-NaN values of v, in long
 * double; NaN when fewer than two. */
static double variance_omit_nan(const double *v, size_t n)
{
    long double s = 0.0L;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i])) {
            s += v[i];
            m++;
        }
    if (m < 2) return NAN;
    long double mean = s / (long double)m, ss = 0.0L;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i])) {
            long double d = v[i] - mean;
            ss += d * d;
        }
    return (double)(ss / (long double)(m - 1));
}

sheaf_status sh_stl_seasonal_strength(const char *who, const double *x, size_t n, size_t m,
                                      double *strength)
{
    if (!x || !strength)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: seasonal strength: %s is NULL", who,
                       !x ? "x" : "strength");
    size_t first = n, last = 0, nobs = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i])) continue;
        if (!isfinite(x[i]))
            return sh_fail(SHEAF_ERR_NONFINITE, "%s: seasonal strength: x[%zu] is %g", who, i,
                           x[i]);
        if (first == n) first = i;
        last = i;
        nobs++;
    }
    if (nobs < 2)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: seasonal strength: %zu observed values (needs 2)", who, nobs);
    double *buf = sh_malloc_array(4 * n, sizeof(double));
    if (!buf)
        return sh_fail(SHEAF_ERR_NOMEM, "%s: seasonal strength: out of memory (n = %zu)", who, n);
    double *xi = buf, *seas = buf + n, *trend = buf + 2 * n, *rem = buf + 3 * n;
    /* linear interpolation, constant beyond the first and last observed */
    for (size_t i = 0, prev = first; i < n; i++) {
        if (!isnan(x[i])) {
            xi[i] = x[i];
            prev = i;
        } else if (i < first) {
            xi[i] = x[first];
        } else if (i > last) {
            xi[i] = x[last];
        } else {
            size_t next = i + 1;
            while (isnan(x[next]))
                next++;
            double f = (double)(i - prev) / (double)(next - prev);
            xi[i] = x[prev] + f * (x[next] - x[prev]);
        }
    }
    sh_stl_options o = sh_stl_options_default(m, 11, false);
    sheaf_status st = sh_stl(who, xi, n, &o, seas, trend, NULL);
    if (st == SHEAF_OK) {
        for (size_t i = 0; i < n; i++)
            rem[i] = isnan(x[i]) ? NAN : (xi[i] - seas[i]) - trend[i];
        double vare = variance_omit_nan(rem, n);
        for (size_t i = 0; i < n; i++)
            rem[i] += seas[i];
        double vars = variance_omit_nan(rem, n);
        if (!(vars > 0.0)) {
            st = sh_fail(SHEAF_ERR_SINGULAR,
                         "%s: seasonal strength: the deseasonalised remainder plus seasonal has "
                         "variance %g",
                         who, vars);
        } else {
            double s = 1.0 - vare / vars;
            *strength = s < 0.0 ? 0.0 : s > 1.0 ? 1.0 : s;
        }
    }
    sh_free(buf);
    return st;
}
