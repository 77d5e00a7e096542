"""Time-series tests from merged lag factors (sheaf_timeseries.h), in
statsmodels' shapes: grangercausalitytests(x, maxlag) returns what
statsmodels.tsa.stattools.grangercausalitytests returns for each lag
(result[lag][0]['ssr_ftest'] is (F, p, df_denom, df_num), and so on for
'ssr_chi2test', 'lrtest' and 'params_ftest'); granger_matrix(Y, maxlag)
tests every ordered pair of Y's columns at every lag in one C call. Python
only shapes arrays: every number comes from C.

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


_lib.declare({
    "sheaf_granger_tests": (c_int, [c_void_p, _lib.array(ndim=2), c_size_t, c_size_t,
                                    POINTER(c_size_t), c_size_t, POINTER(GrangerLag)]),
    "sheaf_granger_matrix": (c_int, [c_void_p, _lib.array(ndim=2), c_size_t, c_size_t, c_size_t,
                                     c_size_t, c_int, c_void_p, c_void_p]),
})


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
    """The result of granger_matrix: statistics and pvalues, arrays of shape
    (k, k, maxlag) indexed [caused, causing, lag - 1], NaN on the diagonal."""

    def __init__(self, statistics, pvalues, test):
        self.statistics = statistics
        self.pvalues = pvalues
        self.test = test

    def __repr__(self):
        k, _, m = self.statistics.shape
        return "GrangerMatrix(%d series, maxlag %d, test %r)" % (k, m, self.test)


def granger_matrix(y, maxlag, test="ssr_ftest", threads=None):
    """Every ordered pair (caused i, causing j) of y's columns at every lag
    1..maxlag: entry [i, j, lag - 1] equals grangercausalitytests(y[:, [i, j]],
    maxlag)[lag][0][test][:2]."""
    from .frame import Context
    if test not in _TESTS:
        raise SheafValueError("test must be one of %s, got %r" % (", ".join(_TESTS), test))
    a = _series(y, "y")
    maxlag = int(maxlag)
    if maxlag < 1:
        raise SheafValueError("maxlag must be >= 1, got %d" % maxlag)
    k = a.shape[1]
    stats = np.empty((k, k, maxlag))
    pvals = np.empty((k, k, maxlag))
    with Context(threads) as ctx:
        check(_lib.lib.sheaf_granger_matrix(ctx, a, a.shape[0], k, k, maxlag,
                                            _TESTS.index(test),
                                            stats.ctypes.data_as(c_void_p),
                                            pvals.ctypes.data_as(c_void_p)))
    return GrangerMatrix(stats, pvals, test)
