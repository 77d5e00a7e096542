"""Time-series tests from merged lag factors (sheaf_timeseries.h), in
statsmodels' shapes: grangercausalitytests(x, maxlag) returns what
statsmodels.tsa.stattools.grangercausalitytests returns for each lag
(result[lag][0]['ssr_ftest'] is (F, p, df_denom, df_num), and so on for
'ssr_chi2test', 'lrtest' and 'params_ftest'); granger_matrix(Y, maxlag)
tests every ordered pair of Y's columns at every lag in one C call, with
the options statsmodels lacks (an explicit lag set, a common sample across
lags, the lag chosen per pair by AIC or BIC, conditional tests that control
for every other series, Benjamini-Hochberg adjusted p-values), and
granger_by_key runs those matrices for every key of a keyed frame (one
panel per key) in parallel. Python only shapes arrays: every number comes
from C.

Differences from statsmodels, all deliberate: a constant or exactly
collinear series is an error naming the series (statsmodels raises
InfeasibleTestError for a constant series and returns meaningless numbers
for collinear ones); the second element of each lag's tuple is a small
namespace with the two residual sums of squares and nobs instead of the
fitted OLS result objects; `verbose` is accepted and ignored.
"""

import ctypes
import types
from ctypes import POINTER, c_double, c_int, c_size_t, c_void_p

import numpy as np

from . import _lib
from .errors import SheafValueError, check

_TESTS = ("ssr_ftest", "ssr_chi2test", "lrtest", "params_ftest")


class GrangerLag(ctypes.Structure):
    """sheaf_granger_lag, field for field."""

    _fields_ = [
        ("lag", c_size_t),
        ("nobs", c_size_t),
        ("ssr_ftest", c_double * 4),
        ("ssr_chi2test", c_double * 3),
        ("lrtest", c_double * 3),
        ("params_ftest", c_double * 4),
        ("ssr_restricted", c_double),
        ("ssr_unrestricted", c_double),
    ]


class GrangerOptions(ctypes.Structure):
    """sheaf_granger_options, field for field."""

    _fields_ = [
        ("maxlag", c_size_t),
        ("lags", POINTER(c_size_t)),
        ("n_lags", c_size_t),
        ("test", c_int),
        ("common_sample", c_int),
        ("conditional", c_int),
        ("ic", c_int),
        ("adjust", c_int),
    ]


# sheaf_granger_entry as a numpy record (two size_t, then nine doubles).
_ENTRY = np.dtype([("lag", np.uintp), ("nobs", np.uintp), ("statistic", np.float64),
                   ("pvalue", np.float64), ("df_num", np.float64), ("df_denom", np.float64),
                   ("pvalue_adjusted", np.float64), ("ssr_restricted", np.float64),
                   ("ssr_unrestricted", np.float64), ("aic", np.float64), ("bic", np.float64)],
                  align=True)

_lib.declare({
    "sheaf_granger_tests": (c_int, [c_void_p, _lib.array(ndim=2), c_size_t, c_size_t,
                                    POINTER(c_size_t), c_size_t, POINTER(GrangerLag)]),
    "sheaf_granger_matrix": (c_int, [c_void_p, _lib.array(ndim=2), c_size_t, c_size_t, c_size_t,
                                     c_size_t, c_int, c_void_p, c_void_p]),
    "sheaf_granger_options_default": (GrangerOptions, []),
    "sheaf_granger_entries": (c_int, [c_void_p, _lib.array(ndim=2), c_size_t, c_size_t, c_size_t,
                                      POINTER(GrangerOptions), c_void_p]),
    "sheaf_granger_by_key": (c_int, [c_void_p, c_void_p, POINTER(ctypes.c_char_p), c_size_t,
                                     ctypes.c_char_p, POINTER(ctypes.c_char_p), c_size_t,
                                     POINTER(GrangerOptions), POINTER(c_void_p)]),
})

_ICS = {None: 0, "aic": 1, "bic": 2}


def _series(x, name, columns=None):
    a = np.ascontiguousarray(np.asarray(x, dtype=np.float64))
    if a.ndim != 2:
        raise SheafValueError("%s must be 2-D (T x k), got %d dimension(s)" % (name, a.ndim))
    if columns is not None and a.shape[1] != columns:
        raise SheafValueError("%s must have %d columns, got %d" % (name, columns, a.shape[1]))
    return a


def _lags(maxlag):
    if isinstance(maxlag, (list, tuple, np.ndarray)):
        lags = [int(v) for v in maxlag]
    else:
        lags = list(range(1, int(maxlag) + 1))
    if not lags or min(lags) < 1:
        raise SheafValueError("maxlag must be a positive integer or a list of positive lags, "
                              "got %r" % (maxlag,))
    return lags


def grangercausalitytests(x, maxlag, addconst=True, verbose=None, threads=None):
    """Tests whether the second column of x Granger-causes the first, at
    each lag 1..maxlag (or at each lag of a list), as statsmodels does.
    Returns {lag: ({'ssr_ftest': (F, p, df_denom, df_num), 'ssr_chi2test':
    (chi2, p, df), 'lrtest': (lr, p, df), 'params_ftest': (F, p, df_denom,
    df_num)}, namespace(ssr_restricted, ssr_unrestricted, nobs))}."""
    from .frame import Context
    if not addconst:
        raise SheafValueError("addconst=False is not supported (statsmodels' default is True)")
    a = _series(x, "x", columns=2)
    lags = _lags(maxlag)
    c_lags = (c_size_t * len(lags))(*lags)
    out = (GrangerLag * len(lags))()
    with Context(threads) as ctx:
        check(_lib.lib.sheaf_granger_tests(ctx, a, a.shape[0], 2, c_lags, len(lags), out))
    result = {}
    for lag, r in zip(lags, out):
        tests = {
            "ssr_ftest": (r.ssr_ftest[0], r.ssr_ftest[1], r.ssr_ftest[2], int(r.ssr_ftest[3])),
            "ssr_chi2test": (r.ssr_chi2test[0], r.ssr_chi2test[1], int(r.ssr_chi2test[2])),
            "lrtest": (r.lrtest[0], r.lrtest[1], int(r.lrtest[2])),
            "params_ftest": (r.params_ftest[0], r.params_ftest[1], r.params_ftest[2],
                             int(r.params_ftest[3])),
        }
        fits = types.SimpleNamespace(ssr_restricted=r.ssr_restricted,
                                     ssr_unrestricted=r.ssr_unrestricted, nobs=r.nobs)
        result[lag] = (tests, fits)
    return result


class GrangerMatrix:
    """The result of granger_matrix. Without ic, every array has shape (k, k,
    n_lags) indexed [caused, causing, position of the lag in .lags]; with ic
    they have shape (k, k) and .lags is the (k, k) array of chosen lags. NaN
    (and lag 0, nobs 0) on the diagonal.

    statistics, pvalues: the chosen test's; pvalues_adjusted: Benjamini-
    Hochberg adjusted p-values (None unless adjust='fdr_bh'); df_num,
    df_denom (NaN for the chi-square tests), nobs, ssr_restricted,
    ssr_unrestricted; aic, bic: statsmodels' OLS criteria of the
    unrestricted regression on the rows of the test."""

    def __init__(self, entries, lags, test, ic, adjust, conditional, common_sample):
        self.statistics = entries["statistic"].copy()
        self.pvalues = entries["pvalue"].copy()
        self.pvalues_adjusted = entries["pvalue_adjusted"].copy() if adjust else None
        self.df_num = entries["df_num"].copy()
        self.df_denom = entries["df_denom"].copy()
        self.nobs = entries["nobs"].astype(np.int64)
        self.ssr_restricted = entries["ssr_restricted"].copy()
        self.ssr_unrestricted = entries["ssr_unrestricted"].copy()
        self.aic = entries["aic"].copy()
        self.bic = entries["bic"].copy()
        self.lags = entries["lag"].astype(np.int64) if ic else np.array(lags, dtype=np.int64)
        self.test = test
        self.ic = ic
        self.adjust = adjust
        self.conditional = conditional
        self.common_sample = common_sample

    def __repr__(self):
        k = self.statistics.shape[0]
        what = "ic %r" % self.ic if self.ic else "lags %s" % self.lags.tolist()
        return "GrangerMatrix(%d series, %s, test %r%s%s)" % (
            k, what, self.test, ", conditional" if self.conditional else "",
            ", common sample" if self.common_sample else "")


def _options(maxlag, lags, test, common_sample, conditional, ic, adjust, adjust_per_lag):
    """A GrangerOptions (and the lag list it points to, to keep alive)."""
    if test not in _TESTS:
        raise SheafValueError("test must be one of %s, got %r" % (", ".join(_TESTS), test))
    if ic not in _ICS:
        raise SheafValueError("ic must be None, 'aic' or 'bic', got %r" % (ic,))
    if adjust not in (None, "fdr_bh"):
        raise SheafValueError("adjust must be None or 'fdr_bh', got %r" % (adjust,))
    if lags is None and isinstance(maxlag, (list, tuple, np.ndarray)):
        lags, maxlag = maxlag, None
    if lags is not None and maxlag is not None:
        raise SheafValueError("give maxlag or lags, not both")
    if lags is None:
        if maxlag is None:
            raise SheafValueError("maxlag or lags is required")
        lag_list = _lags(maxlag)
    else:
        lag_list = [int(v) for v in lags]
        if not lag_list or min(lag_list) < 1:
            raise SheafValueError("lags must be a non-empty list of lags >= 1, got %r" % (lags,))
    c_lags = (c_size_t * len(lag_list))(*lag_list)
    opts = _lib.lib.sheaf_granger_options_default()
    opts.lags = ctypes.cast(c_lags, POINTER(c_size_t))
    opts.n_lags = len(lag_list)
    opts.test = _TESTS.index(test)
    opts.common_sample = int(bool(common_sample))
    opts.conditional = int(bool(conditional))
    opts.ic = _ICS[ic]
    opts.adjust = 0 if adjust is None else (2 if adjust_per_lag else 1)
    return opts, c_lags, lag_list


def granger_matrix(y, maxlag=None, test="ssr_ftest", threads=None, *, lags=None,
                   common_sample=False, conditional=False, ic=None, adjust=None,
                   adjust_per_lag=False):
    """Every ordered pair (caused i, causing j) of y's columns (T x k) from
    one merged factor. By default, at every lag 1..maxlag, entry [i, j, lag -
    1] equals grangercausalitytests(y[:, [i, j]], maxlag)[lag][0][test][:2].

    lags: an explicit lag list instead of maxlag (entries in its order).
    common_sample: every lag on rows max(lags)..T-1 (statsmodels on
    y[max(lags) - lag:]) so lags compare on the same rows.
    conditional: both regressions also hold the lags of every other series
    (y_i on all series' lags against the same without series j's).
    ic: 'aic' or 'bic' picks, per pair, the lag whose unrestricted regression
    has the smallest criterion on the common sample (statsmodels' OLS aic =
    -2 llf + 2 p, bic = -2 llf + log(n) p); the test at that lag is reported
    on the rows common_sample says.
    adjust='fdr_bh': Benjamini-Hochberg adjusted p-values
    (multipletests(p, method='fdr_bh')[1]) over all off-diagonal entries, or
    per lag with adjust_per_lag=True. Returns a GrangerMatrix."""
    from .frame import Context
    a = _series(y, "y")
    opts, keep, lag_list = _options(maxlag, lags, test, common_sample, conditional, ic, adjust,
                                    adjust_per_lag)
    k = a.shape[1]
    n_out = 1 if ic else len(lag_list)
    entries = np.zeros(k * k * n_out, dtype=_ENTRY)
    with Context(threads) as ctx:
        check(_lib.lib.sheaf_granger_entries(ctx, a, a.shape[0], k, k, ctypes.byref(opts),
                                             entries.ctypes.data_as(c_void_p)))
    del keep
    entries = entries.reshape((k, k) if ic else (k, k, n_out))
    return GrangerMatrix(entries, lag_list, test, ic, adjust, bool(conditional),
                         bool(common_sample))


def granger_by_key(data, key, time=None, columns=None, maxlag=None, test="ssr_ftest", *,
                   lags=None, common_sample=False, conditional=False, ic=None, adjust=None,
                   adjust_per_lag=False, threads=None):
    """granger_matrix for every key of a keyed table, in parallel: each
    distinct value (tuple) of the key column(s) is one panel, its rows
    ordered by time (stable; row order when time is None), its series the
    numeric columns (default: every float/int column but the keys and
    time). data: a pandas.DataFrame (the result is a DataFrame) or a
    sheaf.Frame (the result is a Frame; a frame already partitioned by key
    and time is used as is).

    One row per (key, caused, causing, lag), keys sorted, then caused and
    causing in column order, then the lags (with ic: the chosen one):
    the key columns, caused, causing, lag, nobs, statistic, pvalue, df_num,
    df_denom, pvalue_adjusted (within the panel), aic, bic, status
    ('SHEAF_OK' or the failure's status name) and error (the message, or
    missing). A panel that fails (too short, a constant series, a missing
    value) keeps its rows with NaN numbers and says why; the others are
    unaffected. Options as granger_matrix."""
    from .frame import Context, Frame, _Handle, _names_array
    as_pandas = not isinstance(data, Frame)
    frame = Frame.from_pandas(data) if as_pandas else data
    keys = [key] if isinstance(key, str) else list(key)
    if not keys:
        raise SheafValueError("granger_by_key needs at least one key column")
    if columns is None:
        skip = set(keys) | ({time} if time is not None else set())
        columns = [c for c, t in frame.dtypes.items()
                   if c not in skip and t in ("float64", "int64")]
    columns = [columns] if isinstance(columns, str) else list(columns)
    opts, keep, _ = _options(maxlag, lags, test, common_sample, conditional, ic, adjust,
                             adjust_per_lag)
    key_names, n_keys = _names_array(keys)
    col_names, n_cols = _names_array(columns)
    out = c_void_p()
    with Context(threads) as ctx:
        check(_lib.lib.sheaf_granger_by_key(
            ctx, frame._ptr, key_names, n_keys, None if time is None else str(time).encode("utf-8"),
            col_names, n_cols, ctypes.byref(opts), ctypes.byref(out)))
    del keep
    result = Frame(_Handle(out))
    return result.to_pandas() if as_pandas else result
