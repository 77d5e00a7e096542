/* arima_model.c - the ARIMA specification: checking it, the sizes and
 * parameter layout it implies (statsmodels' order: trend, exogenous, ar,
 * ma, seasonal ar, seasonal ma, sigma2), parameter names, the regression
 * columns and the expanded AR/MA polynomials phi(L) Phi(L^s) and
 * theta(L) Theta(L^s). */
#include "timeseries/arima_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Orders beyond these make no sense for a series and would overflow the
 * state dimension arithmetic long before memory runs out. */
#define MAX_ORDER 100
#define MAX_PERIOD 1000

sheaf_arima_spec sheaf_arima_spec_default(void)
{
    sheaf_arima_spec s = {0};
    s.trend = SHEAF_ARIMA_TREND_C;
    s.enforce_stationarity = 1;
    s.enforce_invertibility = 1;
    return s;
}

static const char *trend_name(sheaf_arima_trend t)
{
    switch (t) {
    case SHEAF_ARIMA_TREND_N: return "n";
    case SHEAF_ARIMA_TREND_C: return "c";
    case SHEAF_ARIMA_TREND_T: return "t";
    case SHEAF_ARIMA_TREND_CT: return "ct";
    case SHEAF_ARIMA_TREND_T2: return "t2";
    }
    return "?";
}

/* The lowest power of t among the trend terms (statsmodels refuses powers
 * below d + D: differencing annihilates them). */
static size_t lowest_power(sheaf_arima_trend t)
{
    return t == SHEAF_ARIMA_TREND_T ? 1 : t == SHEAF_ARIMA_TREND_T2 ? 2 : 0;
}

sheaf_status sh_arima_dims_init(const char *who, const sheaf_arima_spec *spec, size_t kx,
                                sh_arima_dims *dims)
{
    if (!spec) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: spec is NULL", who);
    const size_t orders[6] = {spec->p, spec->d, spec->q, spec->P, spec->D, spec->Q};
    static const char *const names[6] = {"p", "d", "q", "P", "D", "Q"};
    for (int i = 0; i < 6; i++)
        if (orders[i] > MAX_ORDER)
            return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: order %s=%zu is above %d", who,
                           names[i], orders[i], MAX_ORDER);
    bool seasonal = spec->P + spec->D + spec->Q > 0;
    if (seasonal && (spec->s < 2 || spec->s > MAX_PERIOD))
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: seasonal period s=%zu (needs 2..%d with seasonal orders (%zu,%zu,%zu))",
                       who, spec->s, MAX_PERIOD, spec->P, spec->D, spec->Q);
    if ((unsigned)spec->trend > SHEAF_ARIMA_TREND_T2)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: trend=%d is not a sheaf_arima_trend", who,
                       (int)spec->trend);
    if (spec->trend != SHEAF_ARIMA_TREND_N && lowest_power(spec->trend) < spec->d + spec->D)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT,
                       "%s: trend '%s' has a power of t below d + D = %zu (differencing removes "
                       "it; use trend 't' for a drift with d + D = 1, 't2' with 2)",
                       who, trend_name(spec->trend), spec->d + spec->D);
    if (kx > MAX_PERIOD)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: kx=%zu exogenous columns (at most %d)", who,
                       kx, MAX_PERIOD);
    size_t s = seasonal ? spec->s : 0;
    memset(dims, 0, sizeof *dims);
    dims->ktr = spec->trend == SHEAF_ARIMA_TREND_N    ? 0
                : spec->trend == SHEAF_ARIMA_TREND_CT ? 2
                                                      : 1;
    dims->kx = kx;
    dims->kreg = dims->ktr + kx;
    dims->pe = spec->p + s * spec->P;
    dims->qe = spec->q + s * spec->Q;
    dims->kd = spec->d + s * spec->D;
    dims->k = dims->pe > dims->qe + 1 ? dims->pe : dims->qe + 1;
    dims->m = dims->kd + dims->k;
    dims->burn = spec->enforce_stationarity ? dims->kd : dims->m;
    dims->o_ar = dims->kreg;
    dims->o_ma = dims->o_ar + spec->p;
    dims->o_sar = dims->o_ma + spec->q;
    dims->o_sma = dims->o_sar + spec->P;
    dims->o_sigma2 = dims->o_sma + spec->Q;
    dims->np = dims->o_sigma2 + 1;
    return SHEAF_OK;
}

size_t sheaf_arima_n_params(const sheaf_arima_spec *spec, size_t kx)
{
    sh_arima_dims d;
    if (sh_arima_dims_init("sheaf_arima_n_params", spec, kx, &d) != SHEAF_OK) return 0;
    return d.np;
}

sheaf_status sheaf_arima_param_name(const sheaf_arima_spec *spec, size_t kx, size_t i, char *buf,
                                    size_t size)
{
    static const char fn[] = "sheaf_arima_param_name";
    sh_arima_dims d;
    if (!buf || size == 0) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: buf is NULL", fn);
    buf[0] = '\0';
    sheaf_status st = sh_arima_dims_init(fn, spec, kx, &d);
    if (st != SHEAF_OK) return st;
    if (i >= d.np)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: i=%zu (the model has %zu parameters)", fn,
                       i, d.np);
    if (i < d.ktr) {
        bool has_const = spec->trend == SHEAF_ARIMA_TREND_C || spec->trend == SHEAF_ARIMA_TREND_CT;
        snprintf(buf, size, "%s", i == 0 && has_const ? "const" : "x1");
    } else if (i < d.kreg)
        snprintf(buf, size, "exog%zu", i - d.ktr + 1);
    else if (i < d.o_ma)
        snprintf(buf, size, "ar.L%zu", i - d.o_ar + 1);
    else if (i < d.o_sar)
        snprintf(buf, size, "ma.L%zu", i - d.o_ma + 1);
    else if (i < d.o_sma)
        snprintf(buf, size, "ar.S.L%zu", (i - d.o_sar + 1) * spec->s);
    else if (i < d.o_sigma2)
        snprintf(buf, size, "ma.S.L%zu", (i - d.o_sma + 1) * spec->s);
    else
        snprintf(buf, size, "sigma2");
    return SHEAF_OK;
}

sheaf_status sh_arima_data_init(const char *who, const double *y, size_t n, const double *exog,
                                size_t kx, size_t ldx, sh_arima_data *data)
{
    if (!y) return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: y is NULL", who);
    if (kx > 0 && !exog)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: exog is NULL with kx=%zu", who, kx);
    if (kx > 0 && ldx < kx)
        return sh_fail(SHEAF_ERR_DIMENSION, "%s: ldx=%zu is below kx=%zu", who, ldx, kx);
    size_t n_obs = 0;
    for (size_t t = 0; t < n; t++) {
        if (isinf(y[t]))
            return sh_fail(SHEAF_ERR_NONFINITE, "%s: y[%zu] is %s", who, t,
                           y[t] > 0 ? "inf" : "-inf");
        n_obs += !isnan(y[t]);
        for (size_t j = 0; j < kx; j++)
            if (!isfinite(exog[t * ldx + j]))
                return sh_fail(SHEAF_ERR_NONFINITE, "%s: exog[%zu][%zu] is %g", who, t, j,
                               exog[t * ldx + j]);
    }
    if (n_obs == 0)
        return sh_fail(SHEAF_ERR_INVALID_ARGUMENT, "%s: no observed value (n=%zu, all missing)",
                       who, n);
    *data = (sh_arima_data){y, n, exog, kx > 0 ? ldx : 0, n_obs};
    return SHEAF_OK;
}

double sh_arima_regressor(const sheaf_arima_spec *spec, const sh_arima_dims *dims,
                          const double *exog, size_t ldx, size_t t, size_t j)
{
    if (j >= dims->ktr) return exog[t * ldx + (j - dims->ktr)];
    double tt = (double)(t + 1);
    switch (spec->trend) {
    case SHEAF_ARIMA_TREND_C: return 1.0;
    case SHEAF_ARIMA_TREND_T: return tt;
    case SHEAF_ARIMA_TREND_CT: return j == 0 ? 1.0 : tt;
    case SHEAF_ARIMA_TREND_T2: return tt * tt;
    default: return 0.0;
    }
}

/* out[0..na+nb] = (1 - sum a_i L^i)(1 - sum b_i L^(s i)) written as
 * 1 - sum out_i L^i (or with + signs for MA polynomials: sign = -1). */
static void seasonal_product(const double *a, size_t na, const double *b, size_t nb, size_t s,
                             double sign, double *out, size_t n_out)
{
    for (size_t i = 0; i < n_out; i++)
        out[i] = 0.0;
    for (size_t i = 0; i < na; i++)
        out[i] += a[i];
    for (size_t j = 0; j < nb; j++) {
        out[(j + 1) * s - 1] += b[j];
        /* (1 - a)(1 - b) = 1 - a - b + ab: the cross term enters with the
         * opposite sign of the coefficients (AR), (1 + a)(1 + b) with the
         * same (MA). */
        for (size_t i = 0; i < na; i++)
            out[(j + 1) * s + i] += -sign * a[i] * b[j];
    }
}

void sh_arima_expand(const sheaf_arima_spec *spec, const sh_arima_dims *dims, const double *params,
                     double *phi, double *theta)
{
    size_t s = spec->P + spec->D + spec->Q > 0 ? spec->s : 0;
    seasonal_product(params + dims->o_ar, spec->p, params + dims->o_sar, spec->P, s, 1.0, phi,
                     dims->pe);
    seasonal_product(params + dims->o_ma, spec->q, params + dims->o_sma, spec->Q, s, -1.0, theta,
                     dims->qe);
}

void sh_arima_difference(const sheaf_arima_spec *spec, double *v, size_t n)
{
    for (size_t i = 0; i < spec->d; i++)
        for (size_t t = n; t-- > 1;)
            v[t] -= v[t - 1];
    for (size_t i = 0; i < spec->D; i++)
        for (size_t t = n; t-- > spec->s;)
            v[t] -= v[t - spec->s];
}
