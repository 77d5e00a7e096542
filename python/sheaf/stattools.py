"""Unit-root tests and correlation of one series (sheaf_stattools.h), in
statsmodels 0.13's shapes: adfuller, kpss, acf, pacf, acorr_ljungbox,
mackinnonp and mackinnoncrit take statsmodels' arguments and return what
statsmodels.tsa.stattools (and statsmodels.stats.diagnostic.acorr_ljungbox)
return; adfuller_many runs adfuller on every row of a 2-D array in parallel.
Python only shapes arrays: every number comes from C.

Differences from statsmodels, all deliberate:
- NaN or Inf in the series raises (statsmodels returns NaN or raises
  MissingDataError); missing='conservative' or 'drop' with NaNs present is
  not supported.
- A constant series raises SheafError (status SHEAF_ERR_SINGULAR) naming it
  (statsmodels returns NaN, garbage or raises deep inside numpy).
- acf with nlags > nobs - 1 raises (statsmodels silently returns fewer lags).
- adfuller's store=True / regresults=True and kpss' store=True are not
  supported: the regression result objects are not kept.
- adfuller with regression 'n', an even nobs and maxlag = nobs/2 - 1 raises:
  the largest lag regression would have no residual degrees of freedom.
- fft is accepted and ignored: the autocovariances are the direct sums
  (statsmodels' FFT gives the same numbers up to rounding).
"""

import ctypes
import types
import warnings
from ctypes import POINTER, c_double, c_int, c_size_t, c_void_p

import numpy as np

from . import _lib
from .errors import SheafValueError, check

_TRENDS = {"n": 0, "nc": 0, "c": 1, "ct": 2, "ctt": 3}
_AUTOLAG = {None: 0, "aic": 1, "bic": 2, "t-stat": 3}
_KPSS_RULES = {"auto": 0, "legacy": 1}
_PACF_METHODS = {}
for _name in ("yw", "ywa", "ywadjusted", "yw_adjusted", "ld", "lda", "ldadjusted",
              "ld_adjusted"):
    _PACF_METHODS[_name] = 0
for _name in ("ywm", "ywmle", "yw_mle", "ldb", "ldbiased", "ld_biased"):
    _PACF_METHODS[_name] = 1
_PACF_METHODS.update({"ols": 2, "ols-inefficient": 3, "ols-adjusted": 4})
_MAXLAG_DEFAULT = ctypes.c_size_t(-1).value

_STATUS_NAMES = {}


class InterpolationWarning(UserWarning):
    """The KPSS statistic is outside the p-value table (statsmodels'
    statsmodels.tools.sm_exceptions.InterpolationWarning)."""


_KPSS_WARNING = """\
The test statistic is outside of the range of p-values available in the
look-up table. The actual p-value is {direction} than the p-value returned.
"""


class AdfOptions(ctypes.Structure):
    """sheaf_adf_options, field for field."""

    _fields_ = [("trend", c_int), ("autolag", c_int), ("maxlag", c_size_t)]


class AdfResult(ctypes.Structure):
    """sheaf_adf_result, field for field."""

    _fields_ = [
        ("stat", c_double),
        ("pvalue", c_double),
        ("usedlag", c_size_t),
        ("nobs", c_size_t),
        ("maxlag", c_size_t),
        ("crit", c_double * 3),
        ("icbest", c_double),
    ]


class KpssOptions(ctypes.Structure):
    """sheaf_kpss_options, field for field."""

    _fields_ = [("trend", c_int), ("rule", c_int), ("nlags", c_size_t)]


class KpssResult(ctypes.Structure):
    """sheaf_kpss_result, field for field."""

    _fields_ = [
        ("stat", c_double),
        ("pvalue", c_double),
        ("lags", c_size_t),
        ("crit", c_double * 4),
        ("pvalue_bound", c_int),
    ]


_lib.declare({
    "sheaf_adfuller": (c_int, [c_void_p, _lib.array(), c_size_t, POINTER(AdfOptions),
                               POINTER(AdfResult)]),
    "sheaf_adfuller_many": (c_int, [c_void_p, _lib.array(ndim=2), c_size_t, c_size_t, c_size_t,
                                    POINTER(AdfOptions), POINTER(AdfResult),
                                    _lib.array(np.intc)]),
    "sheaf_mackinnonp": (c_int, [c_double, c_int, POINTER(c_double)]),
    "sheaf_mackinnoncrit": (c_int, [c_int, c_double, _lib.array()]),
    "sheaf_kpss": (c_int, [c_void_p, _lib.array(), c_size_t, POINTER(KpssOptions),
                           POINTER(KpssResult)]),
    "sheaf_acf_nlags_default": (c_size_t, [c_size_t]),
    "sheaf_pacf_nlags_default": (c_size_t, [c_size_t]),
    "sheaf_acf": (c_int, [c_void_p, _lib.array(), c_size_t, c_size_t, c_int, _lib.array()]),
    "sheaf_acf_confint": (c_int, [_lib.array(), c_size_t, c_size_t, c_double, c_int,
                                  _lib.array(ndim=2)]),
    "sheaf_acf_qstat": (c_int, [_lib.array(), c_size_t, c_size_t, _lib.array(), _lib.array()]),
    "sheaf_pacf": (c_int, [c_void_p, _lib.array(), c_size_t, c_size_t, c_int, _lib.array()]),
    "sheaf_pacf_confint": (c_int, [_lib.array(), c_size_t, c_size_t, c_double,
                                   _lib.array(ndim=2)]),
    "sheaf_acorr_ljungbox": (c_int, [c_void_p, _lib.array(), c_size_t, _lib.array(np.uintp),
                                     c_size_t, c_size_t, _lib.array(), _lib.array(),
                                     _lib.array(), _lib.array()]),
    "sheaf_acorr_ljungbox_auto_lag": (c_int, [c_void_p, _lib.array(), c_size_t, c_int,
                                              POINTER(c_size_t)]),
})


def _series(x, name="x"):
    """x as a contiguous float64 vector (a 2-D array with one column or one
    row is accepted, as statsmodels does)."""
    a = np.asarray(x, dtype=np.float64)
    if a.ndim == 2 and 1 in a.shape:
        a = a.reshape(-1)
    if a.ndim != 1:
        raise SheafValueError("%s must be a 1-D series, got shape %s" % (name, a.shape))
    return np.ascontiguousarray(a)


def _choice(value, table, what):
    key = value.lower() if isinstance(value, str) else value
    if key not in table:
        raise SheafValueError("%s must be one of %s, got %r" % (
            what, ", ".join(repr(k) for k in table if k is not None), value))
    return table[key]


def _count(value, name, allow_none=True):
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise SheafValueError("%s must be a non-negative integer, got %r" % (name, value))
    if value < 0:
        raise SheafValueError("%s must be a non-negative integer, got %d" % (name, value))
    return int(value)


def _adf_options(maxlag, regression, autolag):
    maxlag = _count(maxlag, "maxlag")
    trend = _choice(regression, _TRENDS, "regression")
    auto = _choice(autolag if autolag else None, _AUTOLAG, "autolag")
    return AdfOptions(trend, auto, _MAXLAG_DEFAULT if maxlag is None else maxlag)


def _crit(values):
    return {"1%": values[0], "5%": values[1], "10%": values[2]}


def adfuller(x, maxlag=None, regression="c", autolag="AIC", store=False, regresults=False):
    """Augmented Dickey-Fuller unit-root test, as statsmodels' adfuller:
    returns (adfstat, pvalue, usedlag, nobs, critvalues{'1%', '5%', '10%'},
    icbest), without icbest when autolag is None."""
    if store or regresults:
        raise SheafValueError("adfuller: store=True and regresults=True are not supported "
                              "(sheaf returns the statistics, not the regression results)")
    a = _series(x)
    opts = _adf_options(maxlag, regression, autolag)
    res = AdfResult()
    check(_lib.lib.sheaf_adfuller(None, a, a.size, ctypes.byref(opts), ctypes.byref(res)))
    out = (res.stat, res.pvalue, int(res.usedlag), int(res.nobs), _crit(res.crit))
    return out if opts.autolag == 0 else out + (res.icbest,)


def _status_name(code):
    if code not in _STATUS_NAMES:
        _STATUS_NAMES[code] = _lib.lib.sheaf_status_name(int(code)).decode("ascii", "replace")
    return _STATUS_NAMES[code]


def adfuller_many(X, maxlag=None, regression="c", autolag="AIC", threads=None):
    """adfuller on every row of X (n_series x T) in parallel. Returns a
    namespace of arrays: stat, pvalue, usedlag, nobs, critvalues (n_series x
    3: 1%, 5%, 10%), icbest (NaN without autolag), maxlag (the resolved
    default), status (0 = OK, else the sheaf_status of that series, whose
    results are then NaN) and errors ({row: message} for the failed rows).
    One bad series does not fail the others."""
    from .frame import Context
    a = np.ascontiguousarray(np.asarray(X, dtype=np.float64))
    if a.ndim != 2:
        raise SheafValueError("X must be 2-D (n_series x T), got %d dimension(s)" % a.ndim)
    n, T = a.shape
    opts = _adf_options(maxlag, regression, autolag)
    res = (AdfResult * max(n, 1))()
    status = np.zeros(n, dtype=np.intc)
    with Context(threads) as ctx:
        check(_lib.lib.sheaf_adfuller_many(ctx, a, n, T, T, ctypes.byref(opts), res, status))
    raw = np.ctypeslib.as_array(res)[:n] if n else None

    def field(name, dtype=np.float64):
        return np.array(raw[name], dtype=dtype) if n else np.empty(0, dtype)

    errors = {}
    for i in np.flatnonzero(status):
        one = AdfResult()
        if _lib.lib.sheaf_adfuller(None, a[i], T, ctypes.byref(opts), ctypes.byref(one)) != 0:
            errors[int(i)] = _lib.lib.sheaf_last_error().decode("utf-8", "replace")
        else:  # cannot happen: the batch and the single call are the same code
            errors[int(i)] = _status_name(status[i])
    return types.SimpleNamespace(
        stat=field("stat"), pvalue=field("pvalue"), usedlag=field("usedlag", np.int64),
        nobs=field("nobs", np.int64), critvalues=np.array(raw["crit"]) if n else np.empty((0, 3)),
        icbest=field("icbest"), maxlag=int(raw["maxlag"].max()) if n else None,
        status=status.astype(np.int64), errors=errors)


def mackinnonp(teststat, regression="c", N=1, lags=None):
    """MacKinnon's (1994) approximate p-value of an ADF statistic (N = 1)."""
    if N != 1:
        raise SheafValueError("mackinnonp: only N=1 (one I(1) series) is supported, got N=%r"
                              % (N,))
    p = c_double()
    check(_lib.lib.sheaf_mackinnonp(float(teststat), _choice(regression, _TRENDS, "regression"),
                                    ctypes.byref(p)))
    return p.value


def mackinnoncrit(N=1, regression="c", nobs=np.inf):
    """MacKinnon's (2010) 1%, 5% and 10% critical values (N = 1) for a test
    regression with nobs observations (inf: asymptotic)."""
    if N != 1:
        raise SheafValueError("mackinnoncrit: only N=1 (one I(1) series) is supported, got N=%r"
                              % (N,))
    out = np.empty(3)
    check(_lib.lib.sheaf_mackinnoncrit(_choice(regression, _TRENDS, "regression"), float(nobs),
                                       out))
    return out


def kpss(x, regression="c", nlags="auto", store=False):
    """KPSS stationarity test, as statsmodels' kpss: returns (kpss_stat,
    p_value, lags, crit{'10%', '5%', '2.5%', '1%'}); warns
    InterpolationWarning when the p-value is clipped to the table's ends."""
    if store:
        raise SheafValueError("kpss: store=True is not supported (sheaf returns the statistics)")
    a = _series(x)
    if regression not in ("c", "ct"):
        raise SheafValueError("regression must be 'c' or 'ct', got %r" % (regression,))
    if nlags is None or isinstance(nlags, str):
        rule, count = _choice("auto" if nlags is None else nlags, _KPSS_RULES, "nlags"), 0
    else:
        rule, count = 2, _count(nlags, "nlags", allow_none=False)
    opts = KpssOptions(_TRENDS[regression], rule, count)
    res = KpssResult()
    check(_lib.lib.sheaf_kpss(None, a, a.size, ctypes.byref(opts), ctypes.byref(res)))
    if res.pvalue_bound:
        warnings.warn(_KPSS_WARNING.format(
            direction="smaller" if res.pvalue_bound < 0 else "greater"), InterpolationWarning,
            stacklevel=2)
    crit = {"10%": res.crit[0], "5%": res.crit[1], "2.5%": res.crit[2], "1%": res.crit[3]}
    return res.stat, res.pvalue, int(res.lags), crit


def _missing(a, missing):
    if missing not in ("none", "raise", "conservative", "drop"):
        raise SheafValueError("missing must be 'none', 'raise', 'conservative' or 'drop', got %r"
                              % (missing,))
    if missing in ("conservative", "drop") and np.isnan(a).any():
        raise SheafValueError("missing=%r with NaNs in the series is not supported; remove "
                              "them first" % (missing,))


def acf(x, adjusted=False, nlags=None, qstat=False, fft=True, alpha=None, bartlett_confint=True,
        missing="none"):
    """Autocorrelation function, as statsmodels' acf: returns acf, or a tuple
    (acf, confint[, qstat, pvalues]) / (acf, qstat, pvalues) as it does."""
    a = _series(x)
    _missing(a, str(missing).lower())
    n = a.size
    nlags = _lib.lib.sheaf_acf_nlags_default(n) if nlags is None else _count(nlags, "nlags")
    values = np.empty(nlags + 1)
    check(_lib.lib.sheaf_acf(None, a, n, nlags, int(bool(adjusted)), values))
    if not (qstat or alpha):
        return values
    out = (values,)
    if alpha is not None:
        confint = np.empty((nlags + 1, 2))
        check(_lib.lib.sheaf_acf_confint(values, nlags, n, float(alpha),
                                         int(bool(bartlett_confint)), confint))
        out += (confint,)
    if qstat:
        q, p = np.empty(nlags), np.empty(nlags)
        check(_lib.lib.sheaf_acf_qstat(values, nlags, n, q, p))
        out += (q, p)
    return out if len(out) > 1 else values


def pacf(x, nlags=None, method="ywadjusted", alpha=None):
    """Partial autocorrelation function, as statsmodels' pacf (its method
    names; default 'ywadjusted'): returns pacf, or (pacf, confint)."""
    a = _series(x)
    n = a.size
    code = _choice(method, _PACF_METHODS, "method")
    nlags = _lib.lib.sheaf_pacf_nlags_default(n) if nlags is None else _count(nlags, "nlags")
    values = np.empty(nlags + 1)
    check(_lib.lib.sheaf_pacf(None, a, n, nlags, code, values))
    if alpha is None:
        return values
    confint = np.empty((nlags + 1, 2))
    check(_lib.lib.sheaf_pacf_confint(values, nlags, n, float(alpha), confint))
    return values, confint


def acorr_ljungbox(x, lags=None, boxpierce=False, model_df=0, period=None, return_df=True,
                   auto_lag=False):
    """Ljung-Box (and Box-Pierce) tests, as statsmodels' acorr_ljungbox:
    a DataFrame indexed by lag with lb_stat, lb_pvalue (bp_stat, bp_pvalue),
    or the tuple of arrays when return_df is False."""
    a = _series(x)
    n = a.size
    model_df = _count(model_df, "model_df", allow_none=False)
    if period is not None and _count(period, "period") <= 1:
        raise SheafValueError("period must be >= 2, got %r" % (period,))
    if auto_lag:
        best = c_size_t()
        check(_lib.lib.sheaf_acorr_ljungbox_auto_lag(None, a, n, int(bool(boxpierce)),
                                                     ctypes.byref(best)))
        if best.value == 0:
            raise SheafValueError("acorr_ljungbox: auto_lag found no lag whose penalised "
                                  "statistic is positive")
        lag_list = np.arange(1, best.value + 1)
    elif period is not None:
        lag_list = np.arange(1, min(n // 5, 2 * int(period)) + 1)
    elif lags is None:
        lag_list = np.arange(1, min(n // 5, 10) + 1)
    elif np.ndim(lags) == 0:
        lag_list = np.arange(1, _count(lags, "lags", allow_none=False) + 1)
    else:
        lag_list = np.asarray(lags)
        if lag_list.dtype.kind not in "iu":
            raise SheafValueError("lags must be integers, got %r" % (lags,))
    if lag_list.size == 0 or lag_list.min() < 1:
        raise SheafValueError("lags must be >= 1, got %r" % (lags,))
    c_lags = np.ascontiguousarray(lag_list, dtype=np.uintp)
    m = c_lags.size
    lb, lbp, bp, bpp = np.empty(m), np.empty(m), np.empty(m), np.empty(m)
    check(_lib.lib.sheaf_acorr_ljungbox(None, a, n, c_lags, m, model_df, lb, lbp, bp, bpp))
    index = lag_list.astype(int)
    if not boxpierce:
        if return_df:
            import pandas as pd
            return pd.DataFrame({"lb_stat": lb, "lb_pvalue": lbp}, index=index)
        return lb, lbp
    if return_df:
        import pandas as pd
        return pd.DataFrame({"lb_stat": lb, "lb_pvalue": lbp, "bp_stat": bp, "bp_pvalue": bpp},
                            index=index)
    return lb, lbp, bp, bpp
