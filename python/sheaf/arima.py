"""ARIMA and seasonal ARIMA (sheaf_arima.h) in statsmodels 0.13's shapes:
ARIMA(y, exog, order, seasonal_order, trend).fit(method) returns an
ARIMAResults-like object (params, bse, zvalues, pvalues, conf_int, llf,
aic, aicc, bic, hqic, sigma2, resid, fittedvalues, forecast,
get_forecast(steps).conf_int(alpha), test_serial_correlation, summary);
ARIMA(...).loglike(params) is statsmodels' log-likelihood at fixed
parameters (its default initialisation: approximately diffuse differencing
states, their terms burned). auto_arima(y, ...) chooses the orders as R's
forecast::auto.arima and returns the same results object; arima_fit_many
fits one model (or one auto_arima) per key of a keyed table in parallel and
returns one row per key. y is a 1-D array or a pandas Series; with a Series,
params, bse, resid, fittedvalues and forecasts come back as pandas objects
carrying statsmodels' parameter names and the series' index, as
statsmodels' wrapper returns them. Python only shapes arrays and names:
every number comes from C (z = params / bse is a division here).

Differences from statsmodels 0.13, all deliberate:
- method is 'ml' (statsmodels' fit(), alias 'statespace'), 'css-ml' (CSS
  estimates as the start of ML, R's default) or 'css' (R's conditional sum
  of squares; its llf is R's CSS log-likelihood and bse are NaN, as R).
  statsmodels' other estimators (innovations, Hannan-Rissanen, ...) raise.
- bse are statsmodels' cov_type='approx' (the inverse of minus the
  numerical Hessian of the llf), not its default 'opg'.
- A constant series, a series too short for the order, Inf in y or NaN/Inf
  in exog are errors naming the problem (statsmodels returns meaningless
  numbers or fails deep inside numpy).
- order and seasonal_order take integers only (no lists of lags); trend
  takes 'n', 'c', 't', 'ct' and the lists [1], [0, 1], [1, 1], [0, 0, 1]
  (sheaf's 't2'); other polynomials raise.
- summary() returns a text table (statsmodels returns a Summary object).
- aicc is on the results (statsmodels has it too); sigma2 is a shortcut
  for the last parameter.
"""

import ctypes
import inspect
import numbers
import warnings
from ctypes import POINTER, c_char, c_double, c_int, c_size_t, c_void_p

import numpy as np

from . import _lib
from .errors import SheafValueError, check
from .logreg import ConvergenceWarning

__all__ = ["ARIMA", "ARIMAResults", "PredictionResults", "ConvergenceWarning", "auto_arima",
           "arima_fit_many"]

_SIZE_MAX = ctypes.c_size_t(-1).value  # "choose by test" for auto_arima's d and D

_TREND_CODES = {"n": 0, "c": 1, "t": 2, "ct": 3, "t2": 4}
_TREND_LABELS = {v: k for k, v in _TREND_CODES.items()}
_TREND_LISTS = {(): "n", (1,): "c", (0, 1): "t", (1, 1): "ct", (0, 0, 1): "t2"}
_METHODS = {"ml": 0, "statespace": 0, "css-ml": 1, "css": 2}
_METHOD_LABELS = {0: "ml", 1: "css-ml", 2: "css"}
_ICS = {"aicc": 0, "aic": 1, "bic": 2}


class _Spec(ctypes.Structure):
    """sheaf_arima_spec, field for field."""

    _fields_ = [(name, c_size_t) for name in ("p", "d", "q", "P", "D", "Q", "s")] + [
        ("trend", c_int), ("enforce_stationarity", c_int), ("enforce_invertibility", c_int)]


class _FitOptions(ctypes.Structure):
    """sheaf_arima_fit_options, field for field."""

    _fields_ = [("method", c_int), ("max_iter", c_size_t), ("gtol", c_double),
                ("start_params", POINTER(c_double)), ("compute_bse", c_int)]


class _Info(ctypes.Structure):
    """sheaf_arima_info, field for field."""

    _fields_ = [(name, c_double) for name in ("llf", "aic", "aicc", "bic", "hqic", "sigma2")] + [
        (name, c_size_t) for name in ("nobs", "nobs_effective", "n_params", "iterations")] + [
        ("converged", c_int), ("method", c_int)]


class _AutoOptions(ctypes.Structure):
    """sheaf_auto_arima_options, field for field."""

    _fields_ = [("m", c_size_t), ("seasonal", c_int)] + [
        (name, c_size_t) for name in ("d", "D", "max_p", "max_q", "max_P", "max_Q", "max_order",
                                      "max_d", "max_D", "start_p", "start_q", "start_P",
                                      "start_Q")] + [
        ("stepwise", c_int), ("allow_drift", c_int), ("allow_mean", c_int),
        ("approximation", c_int), ("ic", c_int), ("test_alpha", c_double),
        ("nmodels", c_size_t)]


class _ManyOptions(ctypes.Structure):
    """sheaf_arima_many_options, field for field."""

    _fields_ = [("spec", _Spec), ("fit", _FitOptions), ("auto_order", c_int),
                ("auto_opts", _AutoOptions), ("horizon", c_size_t), ("alpha", c_double)]


_a1, _o1, _o2 = _lib.array(ndim=1), _lib.optional_array(ndim=1), _lib.optional_array(ndim=2)
_spec_p = POINTER(_Spec)
_dp = POINTER(c_double)

_lib.declare({
    "sheaf_arima_spec_default": (_Spec, []),
    "sheaf_arima_n_params": (c_size_t, [_spec_p, c_size_t]),
    "sheaf_arima_param_name": (c_int, [_spec_p, c_size_t, c_size_t, POINTER(c_char), c_size_t]),
    "sheaf_arima_loglike": (c_int, [_a1, c_size_t, _o2, c_size_t, c_size_t, _spec_p, _a1,
                                    c_size_t, _dp]),
    "sheaf_arima_fit_options_default": (_FitOptions, []),
    "sheaf_arima_fit": (c_int, [c_void_p, _a1, c_size_t, _o2, c_size_t, c_size_t, _spec_p,
                                POINTER(_FitOptions), POINTER(c_void_p)]),
    "sheaf_arima_free": (None, [c_void_p]),
    "sheaf_arima_get_spec": (_Spec, [c_void_p]),
    "sheaf_arima_k_exog": (c_size_t, [c_void_p]),
    "sheaf_arima_params": (None, [c_void_p, _o1, _o1]),
    "sheaf_arima_get_info": (None, [c_void_p, POINTER(_Info)]),
    "sheaf_arima_resid": (None, [c_void_p, _o1, _o1]),
    "sheaf_arima_forecast": (c_int, [c_void_p, c_size_t, _o2, c_size_t, c_double, _o1, _o1, _o1,
                                     _o1]),
    "sheaf_arima_ljungbox": (c_int, [c_void_p, c_size_t, c_size_t, _dp, _dp]),
    "sheaf_auto_arima_options_default": (_AutoOptions, []),
    "sheaf_auto_arima": (c_int, [c_void_p, _a1, c_size_t, POINTER(_AutoOptions),
                                 POINTER(c_void_p)]),
    "sheaf_arima_many_options_default": (_ManyOptions, []),
    "sheaf_arima_fit_many": (c_int, [c_void_p, c_void_p, POINTER(ctypes.c_char_p), c_size_t,
                                     ctypes.c_char_p, ctypes.c_char_p, POINTER(_ManyOptions),
                                     POINTER(c_void_p)]),
    "sheaf_dist_normal_sf": (c_int, [c_double, _dp]),
    "sheaf_dist_normal_quantile": (c_int, [c_double, _dp]),
})

_Handle = _lib.owner(_lib.lib.sheaf_arima_free, "sheaf_arima *")


def _context(threads):
    from .frame import Context
    return Context(threads)


# ---- argument checks -------------------------------------------------------


def _count(value, name, minimum=0):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise SheafValueError("%s must be an integer >= %d, got %r" % (name, minimum, value))
    return int(value)


def _order(order, seasonal_order):
    """(p, d, q) and (P, D, Q, s) as ints; s is 0 when P + D + Q = 0."""
    if not isinstance(order, (tuple, list)) or len(order) != 3:
        raise SheafValueError("order must be a tuple (p, d, q) of integers, got %r" % (order,))
    if not isinstance(seasonal_order, (tuple, list)) or len(seasonal_order) != 4:
        raise SheafValueError("seasonal_order must be a tuple (P, D, Q, s) of integers, got %r"
                              % (seasonal_order,))
    p, d, q = (_count(v, "order[%d]" % i) for i, v in enumerate(order))
    P, D, Q, s = (_count(v, "seasonal_order[%d]" % i) for i, v in enumerate(seasonal_order))
    if P + D + Q == 0:
        s = 0  # statsmodels ignores the period of an empty seasonal part
    return (p, d, q), (P, D, Q, s)


def _trend_label(trend, integrated):
    """statsmodels' trend argument as one of 'n', 'c', 't', 'ct', 't2'."""
    if trend is None:
        return "n" if integrated else "c"
    if isinstance(trend, str):
        if trend.lower() in _TREND_CODES:
            return trend.lower()
    elif hasattr(trend, "__iter__"):
        try:
            terms = [int(v) for v in trend]
        except (TypeError, ValueError):
            terms = None
        if terms is not None and all(v in (0, 1) for v in terms):
            while terms and terms[-1] == 0:
                terms.pop()
            if tuple(terms) in _TREND_LISTS:
                return _TREND_LISTS[tuple(terms)]
    raise SheafValueError("trend must be None, 'n', 'c', 't', 'ct', or one of the lists [1], "
                          "[0, 1], [1, 1], [0, 0, 1], got %r" % (trend,))


def _spec(order, seasonal_order, trend, enforce_stationarity=True, enforce_invertibility=True):
    spec = _lib.lib.sheaf_arima_spec_default()
    spec.p, spec.d, spec.q = order
    spec.P, spec.D, spec.Q, spec.s = seasonal_order
    spec.trend = _TREND_CODES[trend]
    spec.enforce_stationarity = int(bool(enforce_stationarity))
    spec.enforce_invertibility = int(bool(enforce_invertibility))
    return spec


def _fit_options(method, maxiter, gtol, start, compute_bse=True):
    if not isinstance(method, str) or method.lower() not in _METHODS:
        raise SheafValueError("method must be 'ml', 'css-ml' or 'css', got %r" % (method,))
    opts = _lib.lib.sheaf_arima_fit_options_default()
    opts.method = _METHODS[method.lower()]
    opts.max_iter = _count(maxiter, "maxiter", 1)
    if gtol is not None:
        opts.gtol = float(gtol)  # checked in C
    if start is not None:
        opts.start_params = start.ctypes.data_as(_dp)
    opts.compute_bse = int(bool(compute_bse))
    return opts


def _start_params(start_params, k):
    if start_params is None:
        return None
    a = np.ascontiguousarray(np.asarray(start_params, dtype=np.float64))
    if a.ndim != 1 or a.shape[0] != k:
        raise SheafValueError("start_params must be 1-D with %d values (one per parameter), "
                              "got shape %s" % (k, a.shape))
    return a


def _series(endog):
    """(values, index, name) of a 1-D array, a pandas Series or a one-column
    DataFrame; index and name are None for arrays."""
    index = name = None
    columns = getattr(endog, "columns", None)
    if columns is not None:
        if len(columns) != 1:
            raise SheafValueError("endog must be one series; got a DataFrame with %d columns"
                                  % len(columns))
        index, name = endog.index, columns[0]
    elif getattr(endog, "index", None) is not None and hasattr(endog, "dtype"):
        index, name = endog.index, getattr(endog, "name", None)
    a = np.asarray(endog, dtype=np.float64)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a[:, 0]
    if a.ndim != 1:
        raise SheafValueError("endog must be 1-D (one series), got shape %s" % (a.shape,))
    return np.ascontiguousarray(a), index, name


def _matrix(x, rows, kx, name):
    """x as a C-contiguous float64 (rows x kx) array (1-D for one column)."""
    a = np.asarray(x, dtype=np.float64)
    if a.ndim == 1 and kx == 1:
        a = a.reshape(-1, 1)
    if a.ndim != 2 or a.shape != (rows, kx):
        raise SheafValueError("%s must have shape (%d, %d), got %s" % (name, rows, kx, a.shape))
    return np.ascontiguousarray(a)


def _future_index(index, steps):
    """The index of `steps` periods after a pandas index: dates continue
    with the index's frequency, a RangeIndex with its step, anything else
    with positions n, n+1, ... (as statsmodels falls back)."""
    import pandas as pd
    freq = getattr(index, "freq", None)
    if freq is not None and len(index):
        if isinstance(index, pd.PeriodIndex):
            return pd.period_range(index[-1] + 1, periods=steps, freq=freq)
        return pd.date_range(index[-1], periods=steps + 1, freq=freq)[1:]
    if isinstance(index, pd.RangeIndex):
        start = index.stop
        return pd.RangeIndex(start, start + steps * index.step, index.step)
    return pd.RangeIndex(len(index), len(index) + steps)


def _normal_sf(x):
    if not np.isfinite(x):
        return np.nan
    out = c_double()
    check(_lib.lib.sheaf_dist_normal_sf(float(x), ctypes.byref(out)))
    return out.value


def _normal_quantile(p):
    out = c_double()
    check(_lib.lib.sheaf_dist_normal_quantile(float(p), ctypes.byref(out)))
    return out.value


def _alpha(alpha):
    if not 0 < alpha < 1:
        raise SheafValueError("alpha must be in (0, 1), got %r" % (alpha,))
    return float(alpha)


# ---- the model ---------------------------------------------------------------


class ARIMA:
    """statsmodels' ARIMA(endog, exog, order, seasonal_order, trend): a
    regression on the trend terms and exog with SARIMA errors. endog: a 1-D
    array or pandas Series (NaN = missing); exog: n x kx (a 1-D array for
    one regressor; a DataFrame's column names name its parameters); trend
    None is 'c' without differencing and 'n' with it; threads: the C
    context's thread count (None: all cores; a fit is serial and the same
    for any count)."""

    def __init__(self, endog, exog=None, order=(0, 0, 0), seasonal_order=(0, 0, 0, 0),
                 trend=None, enforce_stationarity=True, enforce_invertibility=True,
                 threads=None):
        self.endog, self._index, self.endog_name = _series(endog)
        self._pandas = self._index is not None
        self.nobs = n = self.endog.shape[0]
        self.order, self.seasonal_order = _order(order, seasonal_order)
        self.trend = _trend_label(trend, self.order[1] + self.seasonal_order[1] > 0)
        self.enforce_stationarity = bool(enforce_stationarity)
        self.enforce_invertibility = bool(enforce_invertibility)
        self.threads = threads
        self.exog, exog_names, pandas_exog = None, [], False
        if exog is not None:
            columns = getattr(exog, "columns", None)
            if columns is None and hasattr(exog, "index") and hasattr(exog, "dtype"):
                columns = [exog.name if exog.name is not None else 0]  # a pandas Series
            x = np.asarray(exog, dtype=np.float64)
            if x.ndim == 1:
                x = x.reshape(-1, 1)
            if x.ndim != 2 or x.shape[0] != n:
                raise SheafValueError("exog must be 1-D or 2-D with %d rows (one per value of "
                                      "endog), got shape %s" % (n, x.shape))
            self.exog = np.ascontiguousarray(x)
            if columns is not None:
                pandas_exog, exog_names = True, [str(c) for c in columns]
        self.k_exog = 0 if self.exog is None else self.exog.shape[1]
        self._spec = _spec(self.order, self.seasonal_order, self.trend,
                           enforce_stationarity, enforce_invertibility)
        self.param_names = self._param_names(exog_names, pandas_exog)
        self.k_params = len(self.param_names)

    def _param_names(self, exog_names, pandas_exog):
        """statsmodels' names: 'const', then the t (or t^2) term and the
        exogenous columns as x1, x2, ... - or, with a pandas exog, 'drift'
        ('trend.2' for t^2) and the column names; the ARMA names and
        sigma2 from C."""
        spec, kx = ctypes.byref(self._spec), self.k_exog
        k = _lib.lib.sheaf_arima_n_params(spec, kx)
        if k == 0:  # a spec C refuses: let a C call say why
            check(_lib.lib.sheaf_arima_param_name(spec, kx, 0, ctypes.create_string_buffer(8), 8))
        buf = ctypes.create_string_buffer(64)
        names = []
        for i in range(k):
            check(_lib.lib.sheaf_arima_param_name(spec, kx, i, buf, len(buf)))
            names.append(buf.value.decode("utf-8"))
        lead = ["const"] if "c" in self.trend else []
        power = [] if self.trend in ("n", "c") else ["trend.2" if self.trend == "t2" else "drift"]
        if pandas_exog:
            lead += power + exog_names
        else:
            lead += ["x%d" % (i + 1) for i in range(len(power) + kx)]
        return lead + names[len(lead):]

    def _exog_args(self):
        if self.exog is None:
            return None, 0, 0
        return self.exog, self.k_exog, self.k_exog

    def loglike(self, params):
        """statsmodels' ARIMA(...).loglike(params) (params in param_names'
        order, sigma2 last)."""
        a = np.ascontiguousarray(np.asarray(params, dtype=np.float64))
        if a.ndim != 1:
            raise SheafValueError("params must be 1-D, got shape %s" % (a.shape,))
        x, kx, ldx = self._exog_args()
        out = c_double()
        check(_lib.lib.sheaf_arima_loglike(self.endog, self.nobs, x, kx, ldx,
                                           ctypes.byref(self._spec), a, a.shape[0],
                                           ctypes.byref(out)))
        return out.value

    def fit(self, start_params=None, method="ml", maxiter=200, gtol=None, compute_bse=True):
        """Estimates the parameters: 'ml' exact maximum likelihood (L-BFGS;
        statsmodels' fit()), 'css-ml' (R's default) or 'css'. maxiter bounds
        the optimizer's iterations; gtol its gradient tolerance on -llf /
        nobs (None: C's default 1e-7). Not converging warns
        (ConvergenceWarning) and returns the last iterate."""
        start = _start_params(start_params, self.k_params)
        opts = _fit_options(method, maxiter, gtol, start, compute_bse)
        x, kx, ldx = self._exog_args()
        handle = c_void_p()
        with _context(self.threads) as ctx:
            check(_lib.lib.sheaf_arima_fit(ctx, self.endog, self.nobs, x, kx, ldx,
                                           ctypes.byref(self._spec), ctypes.byref(opts),
                                           ctypes.byref(handle)))
        del start
        results = ARIMAResults(self, _Handle(handle))
        if not results.converged:
            warnings.warn("sheaf.ARIMA: the fit did not converge (%d iterations, maxiter=%d); the "
                          "estimates are the last iterate (see mle_retvals)"
                          % (results.iterations, opts.max_iter), ConvergenceWarning, stacklevel=2)
        return results

    def __repr__(self):
        return "sheaf.ARIMA(order=%s, seasonal_order=%s, trend=%r, nobs=%d, k_exog=%d)" % (
            self.order, self.seasonal_order, self.trend, self.nobs, self.k_exog)


# ---- results -----------------------------------------------------------------


class ARIMAResults:
    """A fitted ARIMA: statsmodels' ARIMAResults attributes and methods."""

    def __init__(self, model, handle):
        ptr = handle.ptr
        self.model = model
        self._handle = handle
        spec = _lib.lib.sheaf_arima_get_spec(ptr)
        self.order = (spec.p, spec.d, spec.q)
        self.seasonal_order = (spec.P, spec.D, spec.Q, spec.s)
        self.trend = _TREND_LABELS[spec.trend]
        self.k_exog = _lib.lib.sheaf_arima_k_exog(ptr)
        info = _Info()
        _lib.lib.sheaf_arima_get_info(ptr, ctypes.byref(info))
        self.llf, self.aic, self.aicc = info.llf, info.aic, info.aicc
        self.bic, self.hqic, self.sigma2 = info.bic, info.hqic, info.sigma2
        self.nobs, self.nobs_effective = info.nobs, info.nobs_effective
        self.df_model = self.k_params = k = info.n_params
        self.iterations = info.iterations
        self.converged = bool(info.converged)
        self.method = _METHOD_LABELS.get(info.method, info.method)
        self.mle_retvals = {"converged": self.converged, "iterations": self.iterations,
                            "method": self.method}
        self.param_names = list(model.param_names)
        params, bse = np.empty(k), np.empty(k)
        _lib.lib.sheaf_arima_params(ptr, params, bse)
        with np.errstate(divide="ignore", invalid="ignore"):
            zvalues = params / bse
        pvalues = np.array([2.0 * _normal_sf(abs(z)) for z in zvalues])
        self._params, self._bse = params, bse
        self.params = self._wrap_params(params)
        self.bse = self._wrap_params(bse)
        self.zvalues = self.tvalues = self._wrap_params(zvalues)
        self.pvalues = self._wrap_params(pvalues)
        self._resid = None

    # ---- shaping ---------------------------------------------------------

    def _wrap_params(self, values):
        if not self.model._pandas:
            return values
        import pandas as pd
        return pd.Series(values, index=self.param_names)

    def _wrap_series(self, values):
        if not self.model._pandas:
            return values
        import pandas as pd
        return pd.Series(values, index=self.model._index)

    # ---- estimates ---------------------------------------------------------

    def conf_int(self, alpha=0.05):
        """k x 2: params -/+ z_{1 - alpha/2} bse (a DataFrame with columns 0
        and 1 for pandas input, as statsmodels)."""
        q = _normal_quantile(1.0 - _alpha(alpha) / 2.0)
        out = np.column_stack([self._params - q * self._bse, self._params + q * self._bse])
        if not self.model._pandas:
            return out
        import pandas as pd
        return pd.DataFrame(out, index=self.param_names)

    def _residuals(self):
        if self._resid is None:
            n = self.nobs
            resid, fitted = np.empty(n), np.empty(n)
            _lib.lib.sheaf_arima_resid(self._handle.ptr, resid, fitted)
            self._resid = (self._wrap_series(resid), self._wrap_series(fitted))
        return self._resid

    @property
    def resid(self):
        """One-step forecast errors y_t - E[y_t | y_<t] (NaN at missing
        y_t; CSS fits: the CSS residuals)."""
        return self._residuals()[0]

    @property
    def fittedvalues(self):
        """One-step predictions y_t - resid_t."""
        return self._residuals()[1]

    # ---- forecasts -----------------------------------------------------------

    def _exog_future(self, exog, steps):
        kx = self.k_exog
        if exog is None:
            if kx:
                raise SheafValueError("this ARIMA has %d exogenous regressor(s): give exog, "
                                      "their values at the %d forecast steps" % (kx, steps))
            return None
        if not kx:
            raise SheafValueError("this ARIMA has no exogenous regressors, so no exog")
        return _matrix(exog, steps, kx, "exog")

    def _forecast(self, steps, x, alpha):
        mean, se, lower, upper = (np.empty(steps) for _ in range(4))
        check(_lib.lib.sheaf_arima_forecast(self._handle.ptr, steps, x,
                                            0 if x is None else x.shape[1], alpha, mean, se,
                                            lower, upper))
        return mean, se, lower, upper

    def forecast(self, steps=1, exog=None):
        """The point forecasts for the next `steps` periods (exog: steps x
        k_exog when the model has regressors)."""
        steps = _count(steps, "steps", 1)
        mean = self._forecast(steps, self._exog_future(exog, steps), 0.05)[0]
        return PredictionResults._series(self, mean, steps, "predicted_mean")

    def get_forecast(self, steps=1, exog=None):
        """A PredictionResults: predicted_mean, se_mean, var_pred_mean,
        conf_int(alpha), summary_frame(alpha)."""
        steps = _count(steps, "steps", 1)
        return PredictionResults(self, steps, self._exog_future(exog, steps))

    # ---- diagnostics -----------------------------------------------------------

    def ljungbox(self, lags=10, model_df=0):
        """(Q, p-value): Ljung-Box on the standardised one-step errors at lag
        `lags`, p from chi2(lags - model_df)."""
        stat, pvalue = c_double(), c_double()
        check(_lib.lib.sheaf_arima_ljungbox(self._handle.ptr, _count(lags, "lags", 1),
                                            _count(model_df, "model_df", 0),
                                            ctypes.byref(stat), ctypes.byref(pvalue)))
        return stat.value, pvalue.value

    def test_serial_correlation(self, method="ljungbox", df_adjust=False, lags=None):
        """statsmodels' test_serial_correlation('ljungbox'): an array (1, 2,
        lags), [0, 0] the statistics and [0, 1] the p-values at lags 1..lags
        (None: min(10, nobs_effective // 5), or min(2 s, ...) when
        seasonal). df_adjust: p-values from chi2(lag - (k_params - 1)), NaN
        where that is not positive."""
        if method not in (None, "ljungbox"):
            raise SheafValueError("method must be 'ljungbox', got %r" % (method,))
        if lags is None:
            s = self.seasonal_order[3]
            lags = min(2 * s if s else 10, self.nobs_effective // 5)
        lags = _count(lags, "lags", 1)
        model_df = max(0, self.k_params - 1) if df_adjust else 0
        out = np.full((1, 2, lags), np.nan)
        for lag in range(1, lags + 1):
            if lag > model_df:
                out[0, :, lag - 1] = self.ljungbox(lag, model_df)
            else:
                out[0, 0, lag - 1] = self.ljungbox(lag, 0)[0]
        return out

    # ---- display -----------------------------------------------------------------

    def _title(self):
        P, D, Q, s = self.seasonal_order
        model = "ARIMA%s" % (self.order,)
        if s:
            model = "SARIMAX%sx%s" % (self.order, self.seasonal_order)
        return model

    def summary(self, alpha=0.05):
        """statsmodels' summary as text: the model, the criteria, and the
        table coef, std err, z, P>|z| and the (1 - alpha) interval."""
        name = self.model.endog_name if self.model.endog_name is not None else "y"
        ci = np.asarray(self.conf_int(alpha))
        width = max([len(n) for n in self.param_names] + [10])
        lo, hi = "[%g" % (alpha / 2), "%g]" % (1 - alpha / 2)
        head = "%-*s %10s %10s %10s %10s %10s %10s" % (width, "", "coef", "std err", "z",
                                                       "P>|z|", lo, hi)
        rule = "=" * len(head)
        lines = [
            "sheaf ARIMA results".center(len(head)), rule,
            "Dep. Variable: %-20s No. Observations: %d" % (name, self.nobs),
            "Model: %-28s Log Likelihood: %.3f" % (self._title(), self.llf),
            "Trend: %-28s AIC: %.3f" % (self.trend, self.aic),
            "Method: %-27s AICc: %.3f" % (self.method, self.aicc),
            "Converged: %-24s BIC: %.3f" % ("yes (%d iterations)" % self.iterations
                                            if self.converged else "NO (%d iterations)"
                                            % self.iterations, self.bic),
            "Sigma2: %-27.6g HQIC: %.3f" % (self.sigma2, self.hqic),
            rule, head, "-" * len(head)]
        z, p = np.asarray(self.zvalues), np.asarray(self.pvalues)
        for i, n in enumerate(self.param_names):
            lines.append("%-*s %10.4f %10.3f %10.3f %10.3f %10.3f %10.3f" % (
                width, n, self._params[i], self._bse[i], z[i], p[i], ci[i, 0], ci[i, 1]))
        lines.append(rule)
        return "\n".join(lines)

    def __repr__(self):
        return "<sheaf.arima.ARIMAResults %s trend=%r llf=%.6g aic=%.6g converged=%s>" % (
            self._title(), self.trend, self.llf, self.aic, self.converged)


class PredictionResults:
    """statsmodels' PredictionResults of get_forecast: predicted_mean,
    se_mean, var_pred_mean (Series named as statsmodels names them, on the
    periods after the series' index, for pandas input), conf_int(alpha),
    summary_frame(alpha)."""

    def __init__(self, results, steps, exog):
        self._results, self._exog, self.steps = results, exog, steps
        mean, se, _, _ = results._forecast(steps, exog, 0.05)
        self.predicted_mean = self._series(results, mean, steps, "predicted_mean")
        # statsmodels 0.13 names its se_mean Series 'var_pred_mean'.
        self.se_mean = self._series(results, se, steps, "var_pred_mean")
        self.var_pred_mean = self._series(results, se * se, steps, "var_pred_mean")

    @staticmethod
    def _series(results, values, steps, name):
        if not results.model._pandas:
            return values
        import pandas as pd
        return pd.Series(values, index=_future_index(results.model._index, steps), name=name)

    def conf_int(self, alpha=0.05):
        """steps x 2: the (1 - alpha) intervals mean -/+ z se (a DataFrame
        with columns 'lower <name>', 'upper <name>' for pandas input)."""
        _, _, lower, upper = self._results._forecast(self.steps, self._exog, _alpha(alpha))
        out = np.column_stack([lower, upper])
        model = self._results.model
        if not model._pandas:
            return out
        import pandas as pd
        name = model.endog_name if model.endog_name is not None else "y"
        return pd.DataFrame(out, index=_future_index(model._index, self.steps),
                            columns=["lower %s" % name, "upper %s" % name])

    def summary_frame(self, alpha=0.05):
        """A DataFrame: mean, mean_se, mean_ci_lower, mean_ci_upper."""
        import pandas as pd
        mean, se, lower, upper = self._results._forecast(self.steps, self._exog, _alpha(alpha))
        index = (_future_index(self._results.model._index, self.steps)
                 if self._results.model._pandas else None)
        return pd.DataFrame({"mean": mean, "mean_se": se, "mean_ci_lower": lower,
                             "mean_ci_upper": upper}, index=index)


# ---- automatic orders ------------------------------------------------------------


def _auto_options(seasonal=True, m=1, d=None, D=None, max_p=5, max_q=5, max_P=2, max_Q=2,
                  max_order=5, max_d=2, max_D=1, start_p=2, start_q=2, start_P=1, start_Q=1,
                  stepwise=True, allow_drift=True, allow_mean=True, approximation=None,
                  ic="aicc", test_alpha=0.05, nmodels=94):
    opts = _lib.lib.sheaf_auto_arima_options_default()
    opts.m = _count(m, "m", 1)
    opts.seasonal = int(bool(seasonal))
    opts.d = _SIZE_MAX if d is None else _count(d, "d")
    opts.D = _SIZE_MAX if D is None else _count(D, "D")
    for name, value in (("max_p", max_p), ("max_q", max_q), ("max_P", max_P),
                        ("max_Q", max_Q), ("max_order", max_order), ("max_d", max_d),
                        ("max_D", max_D), ("start_p", start_p), ("start_q", start_q),
                        ("start_P", start_P), ("start_Q", start_Q), ("nmodels", nmodels)):
        setattr(opts, name, _count(value, name))
    opts.stepwise = int(bool(stepwise))
    opts.allow_drift = int(bool(allow_drift))
    opts.allow_mean = int(bool(allow_mean))
    opts.approximation = -1 if approximation is None else int(bool(approximation))
    if not isinstance(ic, str) or ic.lower() not in _ICS:
        raise SheafValueError("ic must be 'aicc', 'aic' or 'bic', got %r" % (ic,))
    opts.ic = _ICS[ic.lower()]
    opts.test_alpha = float(test_alpha)  # checked in C
    return opts


def auto_arima(y, seasonal=True, m=1, d=None, D=None, max_p=5, max_q=5, max_P=2, max_Q=2,
               max_order=5, max_d=2, max_D=1, start_p=2, start_q=2, start_P=1, start_Q=1,
               stepwise=True, allow_drift=True, allow_mean=True, approximation=None,
               ic="aicc", test_alpha=0.05, nmodels=94, threads=None):
    """R forecast::auto.arima(y, ...) with its 8.20 defaults: d (and D when
    m > 1) by KPSS (the seasonal-strength test), then the orders by the
    stepwise search (or every model up to max_order with stepwise=False)
    on ic; d None / D None: chosen by the tests. Returns the chosen model
    refitted by CSS-ML as an ARIMAResults (.order, .seasonal_order,
    .trend); that fit not converging warns (ConvergenceWarning)."""
    values, _, _ = _series(y)
    opts = _auto_options(seasonal, m, d, D, max_p, max_q, max_P, max_Q, max_order, max_d,
                         max_D, start_p, start_q, start_P, start_Q, stepwise, allow_drift,
                         allow_mean, approximation, ic, test_alpha, nmodels)
    handle = c_void_p()
    with _context(threads) as ctx:
        check(_lib.lib.sheaf_auto_arima(ctx, values, values.shape[0], ctypes.byref(opts),
                                        ctypes.byref(handle)))
    handle = _Handle(handle)
    spec = _lib.lib.sheaf_arima_get_spec(handle.ptr)
    model = ARIMA(y, order=(spec.p, spec.d, spec.q),
                  seasonal_order=(spec.P, spec.D, spec.Q, spec.s),
                  trend=_TREND_LABELS[spec.trend],
                  enforce_stationarity=spec.enforce_stationarity,
                  enforce_invertibility=spec.enforce_invertibility, threads=threads)
    results = ARIMAResults(model, handle)
    if not results.converged:
        warnings.warn("sheaf.auto_arima: the fit of the chosen model %s did not converge (%d "
                      "iterations); the estimates are the last iterate" % (
                          results._title(), results.iterations), ConvergenceWarning,
                      stacklevel=2)
    return results


# ---- many series -------------------------------------------------------------------


def arima_fit_many(data, key, time=None, value=None, order=(0, 0, 0),
                   seasonal_order=(0, 0, 0, 0), trend=None, auto=False, horizon=0, alpha=0.05,
                   method="ml", maxiter=200, gtol=None, start_params=None,
                   enforce_stationarity=True, enforce_invertibility=True, threads=None,
                   **auto_kwargs):
    """One ARIMA per key of a keyed table, in parallel: each distinct value
    (tuple) of the key column(s) is one series, its rows ordered by time
    (stable; row order when time is None), its values the numeric column
    `value` (NaN = missing). data: a pandas.DataFrame (the result is a
    DataFrame) or a sheaf.Frame (the result is a Frame; a frame already
    partitioned by key and time is used as is).

    Each key is fitted as ARIMA(series, order=order,
    seasonal_order=seasonal_order, trend=trend).fit(method, maxiter) would
    fit it, or, with auto=True, as auto_arima(series, **auto_kwargs) (order,
    seasonal_order and trend are then ignored). One row per key, keys
    sorted: the key columns; p, d, q, P, D, Q, s; trend; one column per
    parameter name (with auto: those of the largest orders allowed, NaN
    where the chosen model has none); llf, aic, aicc, bic, nobs, iterations,
    converged; with horizon h > 0, mean_1..mean_h, se_1.., lower_1..,
    upper_1.. (the (1 - alpha) intervals); status ('SHEAF_OK' or the failure's
    status name) and error (the message, or missing). A key that fails (too
    short, constant, non-finite) keeps its row with missing numbers and says
    why; the others are unaffected."""
    from .frame import Context, Frame, _Handle as _FrameHandle, _names_array
    if value is None:
        raise SheafValueError("arima_fit_many needs value, the column holding the series")
    as_pandas = not isinstance(data, Frame)
    frame = Frame.from_pandas(data) if as_pandas else data
    keys = [key] if isinstance(key, str) else list(key)
    if not keys:
        raise SheafValueError("arima_fit_many needs at least one key column")
    unknown = sorted(set(auto_kwargs) - set(inspect.signature(_auto_options).parameters))
    if unknown:
        raise TypeError("arima_fit_many got unexpected keyword argument(s) %s"
                        % ", ".join(repr(u) for u in unknown))
    if auto_kwargs and not auto:
        raise SheafValueError("auto_arima options (%s) need auto=True"
                              % ", ".join(sorted(auto_kwargs)))
    opts = _lib.lib.sheaf_arima_many_options_default()
    order, seasonal_order = _order(order, seasonal_order)
    label = _trend_label(trend, order[1] + seasonal_order[1] > 0)
    spec = _spec(order, seasonal_order, label, enforce_stationarity, enforce_invertibility)
    start = None
    if start_params is not None:
        if auto:
            raise SheafValueError("start_params cannot be given with auto=True (the orders, "
                                  "hence the parameters, are chosen per key)")
        start = _start_params(start_params, _lib.lib.sheaf_arima_n_params(ctypes.byref(spec), 0))
    opts.spec = spec
    # The frame has no standard errors: skip their Hessian.
    opts.fit = _fit_options(method, maxiter, gtol, start, compute_bse=False)
    opts.auto_order = int(bool(auto))
    if auto:
        opts.auto_opts = _auto_options(**auto_kwargs)
    opts.horizon = _count(horizon, "horizon")
    opts.alpha = _alpha(alpha)
    key_names, n_keys = _names_array(keys)
    out = c_void_p()
    with Context(threads) as ctx:
        check(_lib.lib.sheaf_arima_fit_many(
            ctx, frame._ptr, key_names, n_keys,
            None if time is None else str(time).encode("utf-8"), str(value).encode("utf-8"),
            ctypes.byref(opts), ctypes.byref(out)))
    del start
    result = Frame(_FrameHandle(out))
    return result.to_pandas() if as_pandas else result

