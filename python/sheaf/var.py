"""Vector autoregression (sheaf_var.h) in statsmodels' shapes:
VAR(Y).select_order(maxlags) returns what statsmodels' LagOrderResults
holds (.aic .bic .hqic .fpe, .ics, .selected_orders, .summary()), and
VAR(Y).fit(maxlags, ic, trend) returns a VARResults-like object (coefs,
intercept, params, bse, tvalues, pvalues, sigma_u, llf, information
criteria, forecasts and intervals, impulse responses, variance
decompositions, roots and the causality, whiteness and normality tests).
Y is a T x k array or a pandas DataFrame; a DataFrame's column names name
the series, and params, bse, tvalues, pvalues, sigma_u, sigma_u_mle and
resid come back as DataFrames, as statsmodels' wrapper returns them.
VAR(Y, exog) adds exogenous series at lag 0 (T x kx, named by a
DataFrame's columns or exog0, exog1, ...), as statsmodels does; forecasts
then need exog_future (steps x kx).
Python only shapes arrays and names: every number comes from C.

Differences from statsmodels 0.13, all deliberate:
- test_causality(caused, causing=None) tests the lags of every series not
  in caused (statsmodels builds a wrongly sized restriction there and
  fails or mislabels the result unless len(caused) = k - len(caused)).
- test_inst_causality with several causing series tests the whole block of
  covariances between them and the other series (statsmodels pairs the
  indices elementwise); for one causing series they agree.
- roots / is_stable of a VAR(0) raise (statsmodels fails inside numpy).
- A constant or collinear series is an error naming the problem
  (statsmodels returns meaningless numbers); so is a VAR(0) with trend 'n'
  and no exog, which statsmodels fits with no regressors at all.
"""

import ctypes
import numbers
from ctypes import POINTER, c_double, c_int, c_size_t, c_void_p

import numpy as np

from . import _lib
from .errors import SheafValueError, check

_TRENDS = {"n": 0, "nc": 0, "c": 1, "ct": 2, "ctt": 3}
_ICS = ("aic", "bic", "hqic", "fpe")  # sheaf_var_select_order's column order
_MAXLAGS_DEFAULT = ctypes.c_size_t(-1).value  # SHEAF_VAR_MAXLAGS_DEFAULT


class _Info(ctypes.Structure):
    """sheaf_var_info, field for field."""

    _fields_ = [(name, c_double) for name in ("llf", "aic", "bic", "hqic", "fpe", "detomega")]


class _Test(ctypes.Structure):
    """sheaf_var_test, field for field."""

    _fields_ = [(name, c_double)
                for name in ("statistic", "pvalue", "crit_value", "df_num", "df_denom")]


_a1, _a2, _a3 = _lib.array(ndim=1), _lib.array(ndim=2), _lib.array(ndim=3)
_o2, _o3 = _lib.optional_array(ndim=2), _lib.optional_array(ndim=3)
_sizes = POINTER(c_size_t)

_lib.declare({
    "sheaf_var_fit": (c_int, [c_void_p, _a2, c_size_t, c_size_t, c_size_t, c_size_t, c_int,
                              POINTER(c_void_p)]),
    "sheaf_var_fit_exog": (c_int, [c_void_p, _a2, c_size_t, c_size_t, c_size_t, _a2, c_size_t,
                                   c_size_t, c_size_t, c_int, POINTER(c_void_p)]),
    "sheaf_var_free": (None, [c_void_p]),
    "sheaf_var_neqs": (c_size_t, [c_void_p]),
    "sheaf_var_k_ar": (c_size_t, [c_void_p]),
    "sheaf_var_nobs": (c_size_t, [c_void_p]),
    "sheaf_var_k_trend": (c_size_t, [c_void_p]),
    "sheaf_var_k_exog": (c_size_t, [c_void_p]),
    "sheaf_var_df_resid": (c_size_t, [c_void_p]),
    "sheaf_var_params": (None, [c_void_p, _o2, _o2, _o2, _o2]),
    "sheaf_var_coefs": (None, [c_void_p, _a3]),
    "sheaf_var_sigma_u": (None, [c_void_p, _o2, _o2]),
    "sheaf_var_info_criteria": (None, [c_void_p, POINTER(_Info)]),
    "sheaf_var_select_order": (c_int, [c_void_p, _a2, c_size_t, c_size_t, c_size_t, c_size_t,
                                       c_int, _o2, _sizes, _sizes]),
    "sheaf_var_select_order_exog": (c_int, [c_void_p, _a2, c_size_t, c_size_t, c_size_t, _a2,
                                            c_size_t, c_size_t, c_size_t, c_int, _o2, _sizes,
                                            _sizes]),
    "sheaf_var_forecast": (c_int, [c_void_p, _a2, c_size_t, c_size_t, c_size_t, _a2]),
    "sheaf_var_forecast_interval": (c_int, [c_void_p, _a2, c_size_t, c_size_t, c_size_t,
                                            c_double, _a2, _o2, _o2]),
    "sheaf_var_forecast_exog": (c_int, [c_void_p, _a2, c_size_t, c_size_t, _a2, c_size_t,
                                        c_size_t, _a2]),
    "sheaf_var_forecast_interval_exog": (c_int, [c_void_p, _a2, c_size_t, c_size_t, _a2,
                                                 c_size_t, c_size_t, c_double, _a2, _o2, _o2]),
    "sheaf_var_mse": (c_int, [c_void_p, c_size_t, _a3]),
    "sheaf_var_irf": (c_int, [c_void_p, c_size_t, _o3, _o3, _o3, _o3]),
    "sheaf_var_fevd": (c_int, [c_void_p, c_size_t, _a3]),
    "sheaf_var_roots": (c_int, [c_void_p, _a1, _a1, POINTER(c_int)]),
    "sheaf_var_test_causality": (c_int, [c_void_p, _sizes, c_size_t, _sizes, c_size_t, c_int,
                                         c_double, POINTER(_Test)]),
    "sheaf_var_test_inst_causality": (c_int, [c_void_p, _sizes, c_size_t, c_double,
                                              POINTER(_Test)]),
    "sheaf_var_resid": (c_int, [c_void_p, c_void_p, _a2, c_size_t, c_size_t, _a2]),
    "sheaf_var_test_whiteness": (c_int, [c_void_p, c_void_p, _a2, c_size_t, c_size_t, c_size_t,
                                         c_int, c_double, POINTER(_Test)]),
    "sheaf_var_test_normality": (c_int, [c_void_p, c_void_p, _a2, c_size_t, c_size_t, c_double,
                                         POINTER(_Test)]),
})

_Handle = _lib.owner(_lib.lib.sheaf_var_free, "sheaf_var *")


def _context(threads):
    from .frame import Context
    return Context(threads)


def _trend(trend):
    if trend not in _TRENDS:
        raise SheafValueError("trend must be one of 'n', 'c', 'ct', 'ctt', got %r" % (trend,))
    return "n" if trend == "nc" else trend


def _count(value, name, minimum):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise SheafValueError("%s must be an integer >= %d, got %r" % (name, minimum, value))
    return int(value)


def _signif(value, name="signif"):
    if not 0 < value < 1:
        raise SheafValueError("%s must be in (0, 1), got %r" % (name, value))
    return float(value)


def _rows(y, k, name):
    """y as a C-contiguous float64 array of shape (n, k)."""
    a = np.ascontiguousarray(np.asarray(y, dtype=np.float64))
    if a.ndim == 1 and k == 1:
        a = a.reshape(-1, 1)
    if a.ndim != 2 or a.shape[1] != k:
        raise SheafValueError("%s must be 2-D with %d columns (one per series), got shape %s"
                              % (name, k, a.shape))
    return a


def _sizes_array(values):
    return (c_size_t * len(values))(*values)


class VAR:
    """statsmodels' VAR(endog, exog): the series (T x k array or
    DataFrame), optional exogenous series (T x kx, or a 1-D array for one)
    and their names; select_order and fit run in C on a context of
    `threads` threads (None: all cores; results are identical for any
    count)."""

    def __init__(self, endog, exog=None, threads=None):
        columns = getattr(endog, "columns", None)
        self._index = getattr(endog, "index", None) if columns is not None else None
        a = np.ascontiguousarray(np.asarray(endog, dtype=np.float64))
        if a.ndim != 2:
            raise SheafValueError("endog must be 2-D (T x k), got %d dimension(s)" % a.ndim)
        self.endog = a
        self.n_totobs, self.neqs = a.shape
        if columns is not None:
            self.endog_names = [str(c) for c in columns]
        else:
            self.endog_names = ["y%d" % (i + 1) for i in range(self.neqs)]
        self.exog, self.exog_names_user = None, []
        if exog is not None:
            names = getattr(exog, "columns", None)
            if names is None and getattr(exog, "name", None) is not None:
                names = [exog.name]  # a pandas Series
            x = np.asarray(exog, dtype=np.float64)
            if x.ndim == 1:
                x = x.reshape(-1, 1)
            if x.ndim != 2 or x.shape[0] != self.n_totobs:
                raise SheafValueError("exog must be 1-D or 2-D with %d rows (one per row of "
                                      "endog), got shape %s" % (self.n_totobs, x.shape))
            self.exog = np.ascontiguousarray(x)
            self.exog_names_user = ([str(c) for c in names] if names is not None else
                                    ["exog%d" % i for i in range(x.shape[1])])
        self.threads = threads

    @property
    def _pandas(self):
        return self._index is not None

    def select_order(self, maxlags=None, trend="c"):
        """Every order 0..maxlags (1..maxlags for trend 'n') fitted on the
        same rows, as statsmodels' select_order; maxlags None is
        statsmodels' default round(12 (T / 100)^(1/4)), capped."""
        trend = _trend(trend)
        a, (T, k) = self.endog, self.endog.shape
        code = _TRENDS[trend]
        used = c_size_t()
        x = self.exog if self.exog is not None else np.empty((T, 0))

        def select(ctx, lags, ics, selected):
            return _lib.lib.sheaf_var_select_order_exog(ctx, a, T, k, k, x, x.shape[1],
                                                        x.shape[1], lags, code, ics, selected,
                                                        ctypes.byref(used))

        with _context(self.threads) as ctx:
            if maxlags is None:
                check(select(ctx, _MAXLAGS_DEFAULT, None, None))
                maxlags = used.value
            maxlags = _count(maxlags, "maxlags", 0)
            ics = np.empty((maxlags + 1, 4))
            selected = (c_size_t * 4)()
            check(select(ctx, maxlags, ics, selected))
        # statsmodels' lists start at p_min
        p_min = 1 if trend == "n" and self.exog is None else 0
        table = {name: ics[p_min:, j].tolist() for j, name in enumerate(_ICS)}
        chosen = {name: int(selected[j]) for j, name in enumerate(_ICS)}
        return LagOrderResults(table, chosen, p_min)

    def fit(self, maxlags=None, method="ols", ic=None, trend="c", verbose=False):
        """statsmodels' VAR.fit: with ic, the order select_order(maxlags)
        (trend 'c', whatever `trend`) picks by that criterion, which can be
        0; without, maxlags lags (1 when None)."""
        if method != "ols":
            raise SheafValueError("method must be 'ols', got %r" % (method,))
        trend = _trend(trend)
        if ic is not None:
            if ic not in _ICS:
                raise SheafValueError("ic must be one of %s, got %r" % (", ".join(_ICS), ic))
            selections = self.select_order(maxlags=maxlags)
            lags = getattr(selections, ic)
            if verbose:
                print(selections)
                print("Using %d based on %s criterion" % (lags, ic))
        else:
            lags = 1 if maxlags is None else _count(maxlags, "maxlags", 0)
        handle = c_void_p()
        a, (T, k) = self.endog, self.endog.shape
        x = self.exog if self.exog is not None else np.empty((T, 0))
        with _context(self.threads) as ctx:
            check(_lib.lib.sheaf_var_fit_exog(ctx, a, T, k, k, x, x.shape[1], x.shape[1], lags,
                                              _TRENDS[trend], ctypes.byref(handle)))
        return VARResults(self, _Handle(handle), trend)


class LagOrderResults:
    """statsmodels' LagOrderResults: ics {'aic': [...], ...} (one value per
    order from p_min), selected_orders {'aic': p, ...}, and .aic .bic .hqic
    .fpe the orders chosen."""

    def __init__(self, ics, selected_orders, p_min=0):
        self.title = "VAR Order Selection (* highlights the minimums)"
        self.ics = ics
        self.selected_orders = selected_orders
        self.p_min = p_min
        self.vecm = False
        self.aic = selected_orders["aic"]
        self.bic = selected_orders["bic"]
        self.hqic = selected_orders["hqic"]
        self.fpe = selected_orders["fpe"]

    def summary(self):
        """The criteria per order as a text table, minimums starred."""
        cols = sorted(self.ics)
        n = len(self.ics[cols[0]])
        lines = [self.title, "%4s" % "p" + "".join("%13s" % c.upper() for c in cols)]
        for row in range(n):
            p = row + self.p_min
            cells = []
            for c in cols:
                mark = "*" if self.selected_orders[c] == p else " "
                cells.append("%12.4g%s" % (self.ics[c][row], mark))
            lines.append("%4d" % p + "".join(cells))
        rule = "-" * len(lines[1])
        return "\n".join([lines[0], rule, lines[1], rule] + lines[2:] + [rule])

    def __str__(self):
        return ("<sheaf.var.LagOrderResults object. Selected orders are: AIC -> %d, BIC -> %d, "
                "FPE -> %d, HQIC ->  %d>" % (self.aic, self.bic, self.fpe, self.hqic))

    __repr__ = __str__


class CausalityTestResults:
    """statsmodels' CausalityTestResults / WhitenessTestResults /
    NormalityTestResults fields: test_statistic, crit_value, pvalue, df
    (a (df_num, df_denom) tuple for F tests, an int for chi-square ones),
    signif, method, conclusion ('reject' / 'fail to reject')."""

    def __init__(self, out, signif, method, title, h0, causing=None, caused=None, test=None):
        self.test_statistic = out.statistic
        self.crit_value = out.crit_value
        self.pvalue = out.pvalue
        if np.isnan(out.df_denom):
            self.df = int(out.df_num)
        else:
            self.df = (int(out.df_num), int(out.df_denom))
        self.signif = signif
        self.method = method.capitalize()
        self.conclusion = "fail to reject" if self.test_statistic < self.crit_value else "reject"
        self.conclusion_str = "Conclusion: %s H_0" % self.conclusion
        self.signif_str = " at {:.0%} significance level".format(signif)
        self.title = title
        self.h0 = h0
        self.causing = causing
        self.caused = caused
        self.test = test

    def summary(self):
        """The test as a short text table."""
        head = "%s. %s. %s%s." % (self.title, self.h0, self.conclusion_str, self.signif_str)
        cells = ("%#0.4g" % self.test_statistic, "%#0.4g" % self.crit_value,
                 "%#0.3F" % self.pvalue, str(self.df))
        names = ("Test statistic", "Critical value", "p-value", "df")
        widths = [max(len(a), len(b)) for a, b in zip(names, cells)]
        row = lambda v: "  ".join(s.rjust(w) for s, w in zip(v, widths))  # noqa: E731
        rule = "-" * len(row(names))
        return "\n".join([head, rule, row(names), rule, row(cells), rule])

    def __str__(self):
        return ("<sheaf.var.%s object. %s: %s%s. Test statistic: %.3f, critical value: %.3f>, "
                "p-value: %.3f>" % (type(self).__name__, self.h0, self.conclusion,
                                    self.signif_str, self.test_statistic, self.crit_value,
                                    self.pvalue))

    __repr__ = __str__


WhitenessTestResults = NormalityTestResults = CausalityTestResults


class IRAnalysis:
    """res.irf(periods): irfs and orth_irfs ((periods + 1) x k x k,
    [h, response, impulse]); stderr(orth) the asymptotic standard errors."""

    def __init__(self, results, periods):
        k = results.neqs
        self.model = results
        self.periods = periods
        self.neqs = k
        self.irfs = np.empty((periods + 1, k, k))
        self.orth_irfs = np.empty((periods + 1, k, k))
        check(_lib.lib.sheaf_var_irf(results._handle.ptr, periods, self.irfs, self.orth_irfs,
                                     None, None))
        self._stderr = {}

    def stderr(self, orth=False):
        """statsmodels' irf.stderr(orth): (periods + 1) x k x k."""
        orth = bool(orth)
        if orth not in self._stderr:
            k = self.neqs
            se = np.empty((self.periods + 1, k, k))
            check(_lib.lib.sheaf_var_irf(self.model._handle.ptr, self.periods, None, None,
                                         None if orth else se, se if orth else None))
            self._stderr[orth] = se
        return self._stderr[orth].copy()


class FEVD:
    """res.fevd(periods).decomp: k x periods x k, [variable, h - 1, shock]."""

    def __init__(self, results, periods):
        k = results.neqs
        self.model = results
        self.periods = periods
        self.neqs = k
        self.names = results.names
        self.decomp = np.empty((k, periods, k))
        check(_lib.lib.sheaf_var_fevd(results._handle.ptr, periods, self.decomp))


class VARResults:
    """A fitted VAR, statsmodels' VARResults attributes and methods."""

    def __init__(self, model, handle, trend):
        ptr = handle.ptr
        lib = _lib.lib
        self.model = model
        self._handle = handle
        self.trend = trend
        self.names = list(model.endog_names)
        self.endog = model.endog
        self.n_totobs = model.n_totobs
        self.neqs = k = lib.sheaf_var_neqs(ptr)
        self.k_ar = p = lib.sheaf_var_k_ar(ptr)
        self.nobs = lib.sheaf_var_nobs(ptr)
        self.k_trend = lib.sheaf_var_k_trend(ptr)
        self.k_exog_user = lib.sheaf_var_k_exog(ptr)
        self.k_exog = self.k_trend + self.k_exog_user
        self.exog = model.exog
        self.df_model = self.k_exog + k * p
        self.df_resid = lib.sheaf_var_df_resid(ptr)
        m = self.df_model
        params, bse, tvalues, pvalues = (np.empty((m, k)) for _ in range(4))
        lib.sheaf_var_params(ptr, params, bse, tvalues, pvalues)
        self.coefs = np.empty((p, k, k))
        lib.sheaf_var_coefs(ptr, self.coefs)
        sigma_u, sigma_u_mle = np.empty((k, k)), np.empty((k, k))
        lib.sheaf_var_sigma_u(ptr, sigma_u, sigma_u_mle)
        info = _Info()
        lib.sheaf_var_info_criteria(ptr, ctypes.byref(info))
        self.llf, self.aic, self.bic = info.llf, info.aic, info.bic
        self.hqic, self.fpe, self.detomega = info.hqic, info.fpe, info.detomega
        self.info_criteria = {"aic": info.aic, "bic": info.bic, "hqic": info.hqic,
                              "fpe": info.fpe}
        self.exog_names = _lag_names(self.names, p, self.k_trend, model.exog_names_user)
        self.coefs_exog = params[:self.k_exog].T.copy()
        self.intercept = params[0].copy() if self.k_trend else np.zeros(k)
        self.params = self._frame(params, self.exog_names)
        self.bse = self.stderr = self._frame(bse, self.exog_names)
        self.tvalues = self._frame(tvalues, self.exog_names)
        self.pvalues = self._frame(pvalues, self.exog_names)
        self.sigma_u = self._frame(sigma_u, self.names)
        self.sigma_u_mle = self._frame(sigma_u_mle, self.names)
        self._resid = None

    def _frame(self, values, index):
        """values as statsmodels' wrapper returns them: a DataFrame (columns the
        series) when the model was given one, else the array."""
        if not self.model._pandas:
            return values
        import pandas as pd
        return pd.DataFrame(values, index=index, columns=self.names)

    # ---- residuals and tests on them ------------------------------------

    @property
    def resid(self):
        """y_t - fitted for the nobs rows t = k_ar..T-1 (computed once, in C)."""
        if self._resid is None:
            a = self.endog
            out = np.empty((self.nobs, self.neqs))
            with _context(self.model.threads) as ctx:
                check(_lib.lib.sheaf_var_resid(ctx, self._handle.ptr, a, a.shape[0], a.shape[1],
                                               out))
            if self.model._pandas:
                import pandas as pd
                out = pd.DataFrame(out, index=self.model._index[self.k_ar:], columns=self.names)
            self._resid = out
        return self._resid

    def test_whiteness(self, nlags=10, signif=0.05, adjusted=False):
        """Portmanteau test of residual autocorrelation up to nlags."""
        nlags = _count(nlags, "nlags", 1)
        signif = _signif(signif)
        out, a = _Test(), self.endog
        with _context(self.model.threads) as ctx:
            check(_lib.lib.sheaf_var_test_whiteness(ctx, self._handle.ptr, a, a.shape[0],
                                                    a.shape[1], nlags, int(bool(adjusted)),
                                                    signif, ctypes.byref(out)))
        title = "Portmanteau-test for residual autocorrelation"
        if adjusted:
            title = "Adjusted " + title
        result = CausalityTestResults(out, signif, "Portmanteau", title,
                                      "H_0: residual autocorrelation up to lag %d is zero"
                                      % nlags)
        result.lags, result.adjusted = nlags, adjusted
        return result

    def test_normality(self, signif=0.05):
        """Jarque-Bera-type omnibus test of the residuals."""
        signif = _signif(signif)
        out, a = _Test(), self.endog
        with _context(self.model.threads) as ctx:
            check(_lib.lib.sheaf_var_test_normality(ctx, self._handle.ptr, a, a.shape[0],
                                                    a.shape[1], signif, ctypes.byref(out)))
        return CausalityTestResults(out, signif, "Jarque-Bera",
                                    "normality (skew and kurtosis) test",
                                    "H_0: data generated by normally-distributed process")

    # ---- forecasts, impulse responses, decomposition ---------------------

    def _exog_future(self, exog_future, steps):
        """exog_future as a steps x kx array (an empty one without exog)."""
        kx = self.k_exog_user
        if exog_future is None:
            if kx:
                raise SheafValueError("this VAR has %d exogenous series: give exog_future, "
                                      "their values at the %d forecast rows" % (kx, steps))
            return np.empty((steps, 0))
        if not kx:
            raise SheafValueError("this VAR has no exogenous series, so no exog_future")
        x = _rows(exog_future, kx, "exog_future")
        if x.shape[0] != steps:
            raise SheafValueError("exog_future has %d rows; it needs steps = %d"
                                  % (x.shape[0], steps))
        return x

    def forecast(self, y, steps, exog_future=None):
        """Point forecasts steps x k after the rows y (at least k_ar rows);
        exog_future (steps x kx) when the VAR has exogenous series."""
        a = _rows(y, self.neqs, "y")
        steps = _count(steps, "steps", 1)
        x = self._exog_future(exog_future, steps)
        out = np.empty((steps, self.neqs))
        check(_lib.lib.sheaf_var_forecast_exog(self._handle.ptr, a, a.shape[0], a.shape[1], x,
                                               max(x.shape[1], 1), steps, out))
        return out

    def forecast_interval(self, y, steps, alpha=0.05, exog_future=None):
        """(point, lower, upper), each steps x k: the forecast -/+
        z_{1 - alpha/2} sqrt(diag mse(h))."""
        a = _rows(y, self.neqs, "y")
        steps = _count(steps, "steps", 1)
        alpha = _signif(alpha, "alpha")
        x = self._exog_future(exog_future, steps)
        point, lower, upper = (np.empty((steps, self.neqs)) for _ in range(3))
        check(_lib.lib.sheaf_var_forecast_interval_exog(self._handle.ptr, a, a.shape[0],
                                                        a.shape[1], x, max(x.shape[1], 1), steps,
                                                        alpha, point, lower, upper))
        return point, lower, upper

    def mse(self, steps):
        """Forecast-error covariances for h = 1..steps (steps x k x k)."""
        steps = _count(steps, "steps", 1)
        out = np.empty((steps, self.neqs, self.neqs))
        check(_lib.lib.sheaf_var_mse(self._handle.ptr, steps, out))
        return out

    forecast_cov = mse

    def irf(self, periods=10):
        """Impulse responses h = 0..periods (IRAnalysis)."""
        return IRAnalysis(self, _count(periods, "periods", 0))

    def fevd(self, periods=10):
        """Forecast-error variance decomposition for h = 1..periods (FEVD)."""
        return FEVD(self, _count(periods, "periods", 1))

    @property
    def roots(self):
        """Inverse companion eigenvalues, by decreasing modulus (complex)."""
        return self._roots()[0]

    def is_stable(self, verbose=False):
        """True when every companion eigenvalue has modulus <= 1."""
        return self._roots()[1]

    def _roots(self):
        n = self.neqs * self.k_ar
        re, im, stable = np.empty(n), np.empty(n), c_int()
        check(_lib.lib.sheaf_var_roots(self._handle.ptr, re, im, ctypes.byref(stable)))
        return re + 1j * im, bool(stable.value)

    # ---- causality ------------------------------------------------------

    def _indices(self, which, name):
        if isinstance(which, (str, numbers.Integral)) or not hasattr(which, "__iter__"):
            which = [which]
        out = []
        for c in which:
            if isinstance(c, str):
                if c not in self.names:
                    raise SheafValueError("%s: no series named %r (series: %s)"
                                          % (name, c, ", ".join(self.names)))
                out.append(self.names.index(c))
            elif isinstance(c, numbers.Integral) and not isinstance(c, bool):
                out.append(int(c))  # range checked in C
            else:
                raise TypeError("%s has to be a series name or index (or a sequence of these), "
                                "got %r" % (name, c))
        return out

    def _name(self, i):
        return self.names[i] if 0 <= i < len(self.names) else str(i)

    def test_causality(self, caused, causing=None, kind="f", signif=0.05):
        """Wald / F test that the lags of `causing` (None: every series not
        caused) do not enter the equations of `caused`."""
        kinds = {"f": 0, "wald": 1}
        if not isinstance(kind, str) or kind.lower() not in kinds:
            raise SheafValueError("kind must be 'f' or 'wald', got %r" % (kind,))
        signif = _signif(signif)
        caused_ind = self._indices(caused, "caused")
        causing_ind = [] if causing is None else self._indices(causing, "causing")
        out = _Test()
        check(_lib.lib.sheaf_var_test_causality(
            self._handle.ptr, _sizes_array(caused_ind), len(caused_ind),
            _sizes_array(causing_ind) if causing_ind else None, len(causing_ind),
            kinds[kind.lower()], signif, ctypes.byref(out)))
        if causing is None:
            causing_ind = [i for i in range(self.neqs) if i not in caused_ind]
        caused_names = [self._name(i) for i in caused_ind]
        causing_names = [self._name(i) for i in causing_ind]
        return CausalityTestResults(out, signif, kind, "Granger causality %s-test"
                                    % kind.capitalize(),
                                    _h0(causing_names, caused_names, "Granger-"),
                                    causing_names, caused_names, "granger")

    def test_inst_causality(self, causing, signif=0.05):
        """Wald test that the residual covariances between `causing` and
        every other series are zero."""
        signif = _signif(signif)
        causing_ind = self._indices(causing, "causing")
        out = _Test()
        check(_lib.lib.sheaf_var_test_inst_causality(
            self._handle.ptr, _sizes_array(causing_ind), len(causing_ind), signif,
            ctypes.byref(out)))
        caused_names = [n for i, n in enumerate(self.names) if i not in causing_ind]
        causing_names = [self._name(i) for i in causing_ind]
        return CausalityTestResults(out, signif, "wald", "Instantaneous causality Wald-test",
                                    _h0(causing_names, caused_names, "instantaneously "),
                                    causing_names, caused_names, "inst")

    # ---- display ------------------------------------------------------------

    def summary(self):
        """The estimates per equation as text."""
        params, bse = np.asarray(self.params), np.asarray(self.bse)
        tvalues, pvalues = np.asarray(self.tvalues), np.asarray(self.pvalues)
        width = max([len(n) for n in self.exog_names] + [8])
        lines = ["Summary of sheaf VAR(%d), trend %r" % (self.k_ar, self.trend),
                 "No. of equations: %d   Nobs: %d   Log likelihood: %.6g" % (
                     self.neqs, self.nobs, self.llf),
                 "AIC: %.6g   BIC: %.6g   HQIC: %.6g   FPE: %.6g   Det(Omega): %.6g" % (
                     self.aic, self.bic, self.hqic, self.fpe, self.detomega)]
        head = "%-*s %14s %14s %10s %10s" % (width, "", "coefficient", "std. error",
                                              "t-stat", "prob")
        for i, name in enumerate(self.names):
            lines += ["", "Results for equation %s" % name, "=" * len(head), head,
                      "-" * len(head)]
            for r, reg in enumerate(self.exog_names):
                lines.append("%-*s %14.6f %14.6f %10.3f %10.3f" % (
                    width, reg, params[r, i], bse[r, i], tvalues[r, i], pvalues[r, i]))
            lines.append("=" * len(head))
        return "\n".join(lines)


def _lag_names(names, p, k_trend, exog_names=()):
    """statsmodels' util.make_lag_names: the trend terms, the exogenous
    series, then L1.name..."""
    terms = ["const", "trend", "trend**2"][:k_trend] + list(exog_names)
    return terms + ["L%d.%s" % (lag, n) for lag in range(1, p + 1) for n in names]


def _h0(causing, caused, how):
    h0 = "H_0: "
    h0 += ("%s does not " % causing[0]) if len(causing) == 1 else ("%s do not " % causing)
    h0 += how + "cause "
    h0 += caused[0] if len(caused) == 1 else "[" + ", ".join(caused) + "]"
    return h0
