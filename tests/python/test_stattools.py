"""sheaf.adfuller, adfuller_many, kpss, acf, pacf, acorr_ljungbox,
mackinnonp and mackinnoncrit against statsmodels 0.13.5, computed here on
the same data: statsmodels' bundled macrodata, sunspots, nile, co2 and
elnino, and generated random walks (one of 2,600 observations, whose ADF
factor is built from three blocks of rows) and AR(1) series. adfuller and
kpss: statistic, p-value and critical values to 1e-8 relative, lags and
nobs exactly (statsmodels' own 'ctt' ADF statistics carry ~3e-10 of
rounding, which the far tail of the p-value amplifies up to ~40 times:
those p-values are compared to 5e-8). Correlations to 1e-10 absolute, test
statistics to 1e-10 relative."""
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.diagnostic import acorr_ljungbox as sm_ljungbox
from statsmodels.tools.sm_exceptions import InterpolationWarning as SmInterpolationWarning
from statsmodels.tsa import adfvalues
from statsmodels.tsa import stattools as smt

import sheaf
from sheaf.stattools import InterpolationWarning


def _datasets():
    macro = sm.datasets.macrodata.load_pandas().data
    co2 = sm.datasets.co2.load_pandas().data["co2"].interpolate().to_numpy()
    elnino = sm.datasets.elnino.load_pandas().data.iloc[:, 1:].to_numpy().ravel()
    rng = np.random.default_rng(20260507)
    ar = np.zeros(400)
    e = rng.standard_normal(400)
    for t in range(1, 400):
        ar[t] = 0.7 * ar[t - 1] + e[t]
    return {
        "log_realgdp": np.log(macro["realgdp"].to_numpy()),
        "dlog_realcons": np.diff(np.log(macro["realcons"].to_numpy())),
        "realinv": macro["realinv"].to_numpy(),
        "sunspots": sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy(),
        "nile": sm.datasets.nile.load_pandas().data["volume"].to_numpy(),
        "co2": co2[:800],
        "elnino": elnino,
        "walk": np.cumsum(rng.standard_normal(300)) + 50.0,
        # long enough for the ADF factor to be built from three blocks of rows
        "long_drift": np.cumsum(rng.standard_normal(2600) + 0.05) + 1e3,
        "ar1": ar[100:],
    }


DATA = _datasets()
NAMES = sorted(DATA)


def _rel(got, want, tol):
    got, want = np.asarray(got, float), np.asarray(want, float)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert np.all(np.isnan(got) == np.isnan(want)), (got, want)
    ok = np.isnan(want) | (np.abs(got - want) <= tol * np.abs(want))
    assert ok.all(), (got[~ok], want[~ok])


def _abs(got, want, tol):
    got, want = np.asarray(got, float), np.asarray(want, float)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert np.allclose(got, want, rtol=0, atol=tol, equal_nan=True), np.max(np.abs(got - want))


def _sm(fn, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kw)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("regression", ["n", "c", "ct", "ctt"])
def test_adfuller_matches_statsmodels(name, regression):
    x = DATA[name]
    for autolag in (None, "AIC", "BIC", "t-stat"):
        for maxlag in (None, 4):
            want = _sm(smt.adfuller, x, maxlag=maxlag, regression=regression, autolag=autolag)
            got = sheaf.adfuller(x, maxlag=maxlag, regression=regression, autolag=autolag)
            assert len(got) == len(want) == (5 if autolag is None else 6)
            assert got[2:4] == want[2:4], (autolag, maxlag, got, want)
            _rel(got[0], want[0], 1e-8)
            _rel(got[1], want[1], 5e-8 if regression == "ctt" else 1e-8)
            assert list(got[4]) == ["1%", "5%", "10%"]
            _rel([got[4][k] for k in got[4]], [want[4][k] for k in got[4]], 1e-14)
            if autolag is not None:
                _rel(got[5], want[5], 1e-8)


def test_adfuller_accepts_statsmodels_spellings_and_rejects_store():
    x = DATA["nile"]
    assert sheaf.adfuller(x, regression="nc") == sheaf.adfuller(x, regression="n")
    assert sheaf.adfuller(x, autolag="aic") == sheaf.adfuller(x, autolag="AIC")
    assert sheaf.adfuller(pd.Series(x)) == sheaf.adfuller(list(x))
    with pytest.raises(sheaf.SheafValueError, match="store=True"):
        sheaf.adfuller(x, store=True)
    with pytest.raises(sheaf.SheafValueError, match="regresults=True"):
        sheaf.adfuller(x, regresults=True)
    with pytest.raises(sheaf.SheafValueError, match="regression must be one of"):
        sheaf.adfuller(x, regression="cttt")
    with pytest.raises(sheaf.SheafValueError, match="autolag must be one of"):
        sheaf.adfuller(x, autolag="HQIC")
    with pytest.raises(sheaf.SheafValueError, match="maxlag must be a non-negative integer"):
        sheaf.adfuller(x, maxlag=-1)


def test_adfuller_bad_series_raise_with_the_c_message():
    x = DATA["ar1"].copy()
    x[50] = np.nan
    with pytest.raises(sheaf.SheafValueError, match=r"x\[50\] is nan"):
        sheaf.adfuller(x)
    with pytest.raises(sheaf.SheafError, match="the series is constant") as info:
        sheaf.adfuller(np.full(100, 3.0))
    assert info.value.status == "SHEAF_ERR_SINGULAR"
    with pytest.raises(sheaf.SheafValueError, match="too short for regression 'ctt'"):
        sheaf.adfuller(DATA["ar1"][:6], regression="ctt")
    with pytest.raises(sheaf.SheafValueError, match="maxlag 2 needs n >= 8"):
        sheaf.adfuller(DATA["ar1"][:6], maxlag=2)
    with pytest.raises(sheaf.SheafValueError, match="1-D series"):
        sheaf.adfuller(np.ones((3, 4)))


def _panel(n=60, T=250, seed=3):
    rng = np.random.default_rng(seed)
    e = rng.standard_normal((n, T))
    X = np.cumsum(e, axis=1)
    for i in range(0, n, 2):  # every other series a stationary AR(1)
        for t in range(1, T):
            X[i, t] = 0.5 * X[i, t - 1] + e[i, t]
    return X


@pytest.mark.parametrize("regression,autolag", [("c", "AIC"), ("ct", "BIC"), ("n", "t-stat"),
                                                ("ctt", None)])
def test_adfuller_many_equals_statsmodels_per_series(regression, autolag):
    X = _panel()
    got = sheaf.adfuller_many(X, regression=regression, autolag=autolag, threads=2)
    assert got.maxlag == 16 and not got.errors and not got.status.any()
    for i in range(0, X.shape[0], 7):
        want = _sm(smt.adfuller, X[i], regression=regression, autolag=autolag)
        assert (got.usedlag[i], got.nobs[i]) == want[2:4]
        _rel(got.stat[i], want[0], 1e-8)
        _rel(got.pvalue[i], want[1], 5e-8)
        _rel(got.critvalues[i], list(want[4].values()), 1e-14)
        if autolag is None:
            assert np.isnan(got.icbest[i])
        else:
            _rel(got.icbest[i], want[5], 1e-8)


def test_adfuller_many_is_the_same_for_any_thread_count_and_isolates_bad_rows():
    X = _panel(n=45)
    X[4, 100] = np.inf
    X[9] = 1.5
    one = sheaf.adfuller_many(X, threads=1)
    two = sheaf.adfuller_many(X, threads=2)
    for field in ("stat", "pvalue", "usedlag", "nobs", "critvalues", "icbest", "status"):
        assert np.array_equal(getattr(one, field), getattr(two, field), equal_nan=True), field
    assert np.flatnonzero(one.status).tolist() == [4, 9]
    assert set(one.errors) == {4, 9}
    assert "x[100] is inf" in one.errors[4] and "series 4" not in one.errors[4]
    assert "constant" in one.errors[9]
    assert np.isnan(one.stat[[4, 9]]).all()
    single = sheaf.adfuller(X[0])
    assert (one.stat[0], one.pvalue[0], one.usedlag[0]) == single[:3]
    empty = sheaf.adfuller_many(np.empty((0, 50)))
    assert empty.stat.shape == (0,) and empty.critvalues.shape == (0, 3)


def test_mackinnon_functions_match_statsmodels():
    for regression in ("n", "c", "ct", "ctt"):
        for stat in np.linspace(-20.0, 3.0, 93):
            _rel(sheaf.mackinnonp(stat, regression), adfvalues.mackinnonp(stat, regression), 1e-13)
        for nobs in (10, 57, 250, 10_000, np.inf):
            got = sheaf.mackinnoncrit(regression=regression, nobs=nobs)
            assert np.array_equal(got, adfvalues.mackinnoncrit(1, regression, nobs))
    with pytest.raises(sheaf.SheafValueError, match="only N=1"):
        sheaf.mackinnonp(-3.0, N=2)
    with pytest.raises(sheaf.SheafValueError, match="only N=1"):
        sheaf.mackinnoncrit(N=3)


@pytest.mark.parametrize("name", NAMES)
def test_kpss_matches_statsmodels_with_its_warnings(name):
    x = DATA[name]
    for regression in ("c", "ct"):
        for nlags in ("auto", "legacy", 0, 3):
            with warnings.catch_warnings(record=True) as sm_w:
                warnings.simplefilter("always")
                want = smt.kpss(x, regression=regression, nlags=nlags)
            with warnings.catch_warnings(record=True) as our_w:
                warnings.simplefilter("always")
                got = sheaf.kpss(x, regression=regression, nlags=nlags)
            assert got[2] == want[2]
            _rel(got[0], want[0], 1e-8)
            _rel(got[1], want[1], 1e-8)
            assert got[3] == want[3]
            sm_msgs = [str(w.message) for w in sm_w if w.category is SmInterpolationWarning]
            our_msgs = [str(w.message) for w in our_w if w.category is InterpolationWarning]
            assert our_msgs == sm_msgs


def test_kpss_bad_inputs():
    with pytest.raises(sheaf.SheafValueError, match=r"lags \(6\) must be < number of obs"):
        sheaf.kpss(DATA["ar1"][:6], nlags=6)
    with pytest.raises(sheaf.SheafError, match="constant"):
        sheaf.kpss(np.full(100, 3.0), regression="ct")
    with pytest.raises(sheaf.SheafValueError, match="regression must be 'c' or 'ct'"):
        sheaf.kpss(DATA["ar1"], regression="ctt")
    with pytest.raises(sheaf.SheafValueError, match="nlags must be one of"):
        sheaf.kpss(DATA["ar1"], nlags="short")
    with pytest.raises(sheaf.SheafValueError, match="store=True"):
        sheaf.kpss(DATA["ar1"], store=True)


@pytest.mark.parametrize("name", NAMES)
def test_acf_matches_statsmodels_in_every_shape(name):
    x = DATA[name]
    for adjusted in (False, True):
        for kw in ({}, {"alpha": 0.05}, {"qstat": True}, {"alpha": 0.1, "qstat": True},
                   {"alpha": 0.05, "bartlett_confint": False}, {"nlags": 30, "fft": False}):
            want = _sm(smt.acf, x, adjusted=adjusted, **dict({"fft": True}, **kw))
            got = sheaf.acf(x, adjusted=adjusted, **kw)
            if isinstance(want, tuple):
                assert isinstance(got, tuple) and len(got) == len(want)
            else:
                got, want = (got,), (want,)
            _abs(got[0], want[0], 1e-10)
            if "alpha" in kw:
                _abs(got[1], want[1], 1e-10)
            if kw.get("qstat"):
                _rel(got[-2], want[-2], 1e-10)
                _abs(got[-1], want[-1], 1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_pacf_matches_statsmodels_for_every_method_name(name):
    x = DATA[name]
    for method in ("yw", "ywa", "ywadjusted", "yw_adjusted", "ywm", "ywmle", "yw_mle", "ols",
                   "ols-inefficient", "ols-adjusted", "ld", "lda", "ldadjusted", "ld_adjusted",
                   "ldb", "ldbiased", "ld_biased"):
        want = smt.pacf(x, method=method, alpha=0.05)
        got = sheaf.pacf(x, method=method, alpha=0.05)
        _abs(got[0], want[0], 1e-10)
        _abs(got[1], want[1], 1e-10)
    _abs(sheaf.pacf(x, nlags=7), smt.pacf(x, nlags=7), 1e-10)


@pytest.mark.parametrize("name", NAMES)
def test_acorr_ljungbox_matches_statsmodels(name):
    x = DATA[name]
    for kw in ({}, {"lags": 12}, {"lags": [3, 1, 24]}, {"boxpierce": True, "model_df": 2},
               {"period": 12, "boxpierce": True}, {"auto_lag": True},
               {"auto_lag": True, "boxpierce": True}):
        want, got = sm_ljungbox(x, **kw), sheaf.acorr_ljungbox(x, **kw)
        assert list(got.columns) == list(want.columns)
        assert list(got.index) == list(want.index)
        for column in got.columns:
            if column.endswith("pvalue"):
                _abs(got[column], want[column], 1e-12)
            else:
                _rel(got[column], want[column], 1e-10)
    raw = sheaf.acorr_ljungbox(x, lags=5, boxpierce=True, return_df=False)
    want = sm_ljungbox(x, lags=5, boxpierce=True, return_df=False)
    assert len(raw) == len(want) == 4
    for g, w in zip(raw, want):
        _rel(g, w, 1e-10)


def test_correlation_bad_inputs():
    x = DATA["ar1"].copy()
    with pytest.raises(sheaf.SheafValueError, match="nlags = 10 needs more than 10 observations"):
        sheaf.acf(x[:6], nlags=10)
    x[50] = np.nan
    for fn in (sheaf.acf, sheaf.pacf, sheaf.acorr_ljungbox):
        with pytest.raises(sheaf.SheafValueError, match=r"x\[50\] is nan"):
            fn(x)
    with pytest.raises(sheaf.SheafValueError, match="missing='drop' with NaNs"):
        sheaf.acf(x, missing="drop")
    with pytest.raises(sheaf.SheafValueError, match="lags up to 50%"):
        sheaf.pacf(DATA["ar1"][:6], nlags=3)
    with pytest.raises(sheaf.SheafValueError, match="method must be one of"):
        sheaf.pacf(DATA["ar1"], method="burg")
    with pytest.raises(sheaf.SheafError, match="constant"):
        sheaf.pacf(np.full(100, 3.0))
    with pytest.raises(sheaf.SheafValueError, match="alpha must be in"):
        sheaf.acf(DATA["ar1"], alpha=1.5)
    with pytest.raises(sheaf.SheafValueError, match="lag 10 needs more than 10 observations"):
        sheaf.acorr_ljungbox(DATA["ar1"][:6], lags=[10])
    with pytest.raises(sheaf.SheafValueError, match="period must be >= 2"):
        sheaf.acorr_ljungbox(DATA["ar1"], period=1)
    with pytest.raises(sheaf.SheafValueError, match="model_df must be a non-negative integer"):
        sheaf.acorr_ljungbox(DATA["ar1"], model_df=-1)
