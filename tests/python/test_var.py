"""sheaf.VAR against statsmodels' VAR (0.13), computed here on the same
data: statsmodels' macrodata (log differences of realgdp, realcons,
realinv - the VAR tutorial's series - and of five real aggregates), a
generated stable VAR(2) of four series, and white noise (where the
information criteria choose 0 lags). Numbers to 1e-9 relative (p-values
to 1e-9 absolute), for trends n / c / ct / ctt.

Relative comparisons use each array's scale as a floor: an entry that is
zero up to rounding in statsmodels (a residual, a coefficient of ~1e-16)
is compared to 1e-9 of 1e-6 of the largest entry of its array, since both
libraries know it only to the rounding of that scale; residuals y - fitted
are known to the rounding of y, so their floor is the largest |y|."""
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.tsa.api import VAR as SmVAR

import sheaf

RTOL = 1e-9  # the relative tolerance
PTOL = 1e-9  # absolute, for p-values
TRENDS = ("n", "c", "ct", "ctt")


def _macro(columns=("realgdp", "realcons", "realinv")):
    data = sm.datasets.macrodata.load_pandas().data[list(columns)]
    return np.log(data).diff().dropna().reset_index(drop=True)


def _generated(T=400, seed=11):
    """A stable VAR(2) of 4 series with intercepts and cross effects."""
    rng = np.random.default_rng(seed)
    a1 = np.array([[0.5, 0.1, 0.0, 0.0], [0.2, 0.3, 0.0, 0.1], [0.0, -0.2, 0.4, 0.0],
                   [0.1, 0.0, 0.2, 0.2]])
    a2 = np.array([[-0.2, 0.0, 0.1, 0.0], [0.0, 0.1, 0.0, 0.0], [0.1, 0.0, -0.1, 0.0],
                   [0.0, 0.05, 0.0, 0.1]])
    c = np.array([1.0, -0.5, 0.2, 0.0])
    y = np.zeros((T + 100, 4))
    e = rng.standard_normal((T + 100, 4)) * np.array([1.0, 0.5, 2.0, 1.5])
    for t in range(2, T + 100):
        y[t] = c + a1 @ y[t - 1] + a2 @ y[t - 2] + e[t]
    return y[100:]


def _noise(T=120, k=3, seed=5):
    return np.random.default_rng(seed).standard_normal((T, k))


DATA = {
    "macro3": lambda: _macro().to_numpy(),
    "macro5": lambda: _macro(("realgdp", "realcons", "realinv", "realgovt",
                              "realdpi")).to_numpy(),
    "generated": _generated,
}


def _sm(y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return SmVAR(y)


def _close(got, want, rtol=RTOL, what="", floor=None):
    """|got - want| <= rtol max(|want|, floor), floor 1e-6 of want's largest
    entry unless given."""
    got, want = np.asarray(got, float), np.asarray(want, float)
    assert got.shape == want.shape, (what, got.shape, want.shape)
    if floor is None:
        floor = 1e-6 * np.max(np.abs(want)) if want.size else 0.0
    err = np.abs(got - want)
    ok = err <= rtol * np.maximum(np.abs(want), floor)
    assert ok.all(), (what, np.max(err / np.maximum(np.abs(want), 1e-300)), got[~ok],
                      want[~ok])


def _pclose(got, want, what=""):
    got, want = np.asarray(got, float), np.asarray(want, float)
    assert got.shape == want.shape
    assert np.all(np.abs(got - want) <= PTOL), (what, np.max(np.abs(got - want)))


def _raises(exc, status, fragment, fn, *args, **kwargs):
    with pytest.raises(exc) as info:
        fn(*args, **kwargs)
    if status is not None:
        assert info.value.status == status, (info.value.status, str(info.value))
    assert fragment in str(info.value), str(info.value)
    return info.value


def _fit_both(y, p, trend):
    ours = sheaf.VAR(y).fit(p, trend=trend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = _sm(y).fit(p, trend=trend)
    return ours, theirs


def _check_fit(ours, theirs):
    _close(ours.resid, theirs.resid, what="resid", floor=np.max(np.abs(ours.endog)))
    assert ours.k_ar == theirs.k_ar
    assert ours.neqs == theirs.neqs
    assert ours.nobs == theirs.nobs
    assert ours.df_resid == theirs.df_resid
    assert ours.df_model == theirs.df_model
    assert ours.k_trend == theirs.k_trend
    assert list(ours.names) == list(theirs.names)
    assert ours.exog_names == list(theirs.exog_names)
    for name in ("params", "bse", "tvalues", "coefs", "intercept", "sigma_u", "sigma_u_mle",
                 "coefs_exog"):
        _close(getattr(ours, name), getattr(theirs, name), what=name)
    _pclose(ours.pvalues, theirs.pvalues, "pvalues")
    for name in ("llf", "aic", "bic", "hqic", "fpe", "detomega"):
        _close(getattr(ours, name), getattr(theirs, name), what=name)
    for name, value in theirs.info_criteria.items():
        _close(ours.info_criteria[name], value, what=name)


# ---- fit ---------------------------------------------------------------------------


@pytest.mark.parametrize("data", sorted(DATA))
@pytest.mark.parametrize("trend", TRENDS)
@pytest.mark.parametrize("p", [1, 2, 5])
def test_fit_matches_statsmodels(data, trend, p):
    y = DATA[data]()
    _check_fit(*_fit_both(y, p, trend))


@pytest.mark.parametrize("trend", ["c", "ct", "ctt"])
def test_a_mean_model_of_zero_lags_matches_statsmodels(trend):
    y = DATA["generated"]()
    ours, theirs = _fit_both(y, 0, trend)
    assert ours.k_ar == 0 and ours.coefs.shape == (0, 4, 4)
    _check_fit(ours, theirs)


def test_fit_without_maxlags_is_a_var_1():
    y = DATA["macro3"]()
    assert sheaf.VAR(y).fit().k_ar == 1


def test_fit_accepts_a_dataframe_and_keeps_its_names():
    df = _macro()
    df.index = pd.RangeIndex(10, 10 + len(df))
    ours = sheaf.VAR(df).fit(2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = _sm(df).fit(2)
    assert ours.names == ["realgdp", "realcons", "realinv"]
    for name in ("params", "bse", "tvalues", "pvalues", "sigma_u", "sigma_u_mle", "resid"):
        got, want = getattr(ours, name), getattr(theirs, name)
        assert isinstance(got, pd.DataFrame), name
        assert list(got.index) == list(want.index), name
        assert list(got.columns) == list(want.columns), name
    assert list(ours.resid.index) == list(range(12, 10 + len(df)))
    _check_fit(ours, theirs)
    assert "realcons" in ours.summary() and "L2.realinv" in ours.summary()


def test_numpy_input_names_the_series_y1_to_yk():
    ours = sheaf.VAR(DATA["generated"]()).fit(1)
    assert ours.names == ["y1", "y2", "y3", "y4"]
    assert ours.exog_names[:3] == ["const", "L1.y1", "L1.y2"]
    assert isinstance(ours.params, np.ndarray)


# ---- select_order and fit with ic -------------------------------------------------


def _check_selection(ours, theirs):
    assert sorted(ours.ics) == sorted(theirs.ics)
    for name in theirs.ics:
        _close(ours.ics[name], theirs.ics[name], what=name)
    assert ours.selected_orders == {k: int(v) for k, v in theirs.selected_orders.items()}
    for name in ("aic", "bic", "hqic", "fpe"):
        assert getattr(ours, name) == getattr(theirs, name)


@pytest.mark.parametrize("data", sorted(DATA))
@pytest.mark.parametrize("trend", TRENDS)
@pytest.mark.parametrize("maxlags", [None, 3, 8])
def test_select_order_matches_statsmodels(data, trend, maxlags):
    y = DATA[data]()
    ours = sheaf.VAR(y).select_order(maxlags, trend=trend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = _sm(y).select_order(maxlags, trend=trend)
    _check_selection(ours, theirs)
    table = ours.summary()
    assert "AIC" in table and "*" in table
    assert "AIC -> %d" % ours.aic in str(ours)


@pytest.mark.parametrize("data", sorted(DATA))
@pytest.mark.parametrize("ic", ["aic", "bic", "hqic", "fpe"])
@pytest.mark.parametrize("trend", TRENDS)
def test_fit_with_ic_picks_and_fits_statsmodels_order(data, ic, trend):
    y = DATA[data]()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = _sm(y).fit(maxlags=8, ic=ic, trend=trend)
    if theirs.k_ar == 0 and trend == "n":
        # statsmodels fits a model with no regressors (resid = y); sheaf refuses it
        _raises(sheaf.SheafValueError, "SHEAF_ERR_INVALID_ARGUMENT", "p = 0 with trend n",
                sheaf.VAR(y).fit, maxlags=8, ic=ic, trend=trend)
        return
    _check_fit(sheaf.VAR(y).fit(maxlags=8, ic=ic, trend=trend), theirs)


def test_white_noise_selects_zero_lags_and_fits_the_mean_model():
    y = _noise()
    sel = sheaf.VAR(y).select_order(4)
    assert sel.bic == 0 and sel.aic == 0  # what statsmodels picks on this draw too
    ours = sheaf.VAR(y).fit(maxlags=4, ic="bic")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = _sm(y).fit(maxlags=4, ic="bic")
    assert ours.k_ar == theirs.k_ar == 0
    _check_fit(ours, theirs)
    ours = sheaf.VAR(y).fit(ic="aic")  # default maxlags
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = _sm(y).fit(ic="aic")
    _check_fit(ours, theirs)


def test_fit_with_ic_and_default_maxlags_matches_statsmodels():
    y = DATA["macro3"]()
    ours = sheaf.VAR(y).fit(ic="hqic", trend="ct")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = _sm(y).fit(ic="hqic", trend="ct")
    _check_fit(ours, theirs)


# ---- forecasts, impulse responses, decomposition ---------------------------------


@pytest.mark.parametrize("data", sorted(DATA))
@pytest.mark.parametrize("trend", TRENDS)
@pytest.mark.parametrize("p", [1, 3])
def test_forecasts_and_intervals_match_statsmodels(data, trend, p):
    y = DATA[data]()
    ours, theirs = _fit_both(y, p, trend)
    for last in (y[-p:], y[-p - 7:]):
        _close(ours.forecast(last, 12), theirs.forecast(last, 12), what="forecast")
        for alpha in (0.05, 0.32):
            got = ours.forecast_interval(last, 12, alpha=alpha)
            want = theirs.forecast_interval(last, 12, alpha=alpha)
            for g, w, what in zip(got, want, ("point", "lower", "upper")):
                _close(g, w, what=what)
    _close(ours.mse(12), theirs.mse(12), what="mse")


@pytest.mark.parametrize("data", sorted(DATA))
@pytest.mark.parametrize("trend", ["n", "c", "ct"])
@pytest.mark.parametrize("p", [1, 3])
def test_impulse_responses_and_their_errors_match_statsmodels(data, trend, p):
    y = DATA[data]()
    ours, theirs = _fit_both(y, p, trend)
    got, want = ours.irf(15), theirs.irf(15)
    _close(got.irfs, want.irfs, what="irfs")
    _close(got.orth_irfs, want.orth_irfs, what="orth_irfs")
    _close(got.stderr(), want.stderr(), what="stderr")
    _close(got.stderr(orth=True), want.stderr(orth=True), what="orth stderr")
    _close(ours.irf().irfs, theirs.irf().irfs, what="irfs, 10 periods")


@pytest.mark.parametrize("data", sorted(DATA))
@pytest.mark.parametrize("p", [1, 2, 4])
def test_variance_decomposition_matches_statsmodels(data, p):
    y = DATA[data]()
    ours, theirs = _fit_both(y, p, "c")
    for periods in (1, 10, 20):
        _close(ours.fevd(periods).decomp, theirs.fevd(periods).decomp, what="decomp")


@pytest.mark.parametrize("data", sorted(DATA))
@pytest.mark.parametrize("p", [1, 2, 4])
def test_roots_and_stability_match_statsmodels(data, p):
    y = DATA[data]()
    ours, theirs = _fit_both(y, p, "c")
    got, want = ours.roots, theirs.roots
    _close(np.abs(got), np.abs(want), what="moduli, in order")
    _close(np.sort_complex(got).real, np.sort_complex(want).real, what="real parts")
    _close(np.sort_complex(got).imag, np.sort_complex(want).imag, what="imaginary parts")
    assert ours.is_stable() is True and bool(theirs.is_stable()) is True


def test_an_explosive_system_is_not_stable():
    rng = np.random.default_rng(3)
    y = np.zeros((150, 2))
    for t in range(1, 150):
        y[t] = np.array([[1.05, 0.0], [0.1, 0.5]]) @ y[t - 1] + rng.standard_normal(2)
    ours, theirs = _fit_both(y, 1, "c")
    assert ours.is_stable() is False and bool(theirs.is_stable()) is False
    _close(ours.roots.real, theirs.roots, what="roots")
    assert np.all(ours.roots.imag == 0)


# ---- tests on the fitted model ----------------------------------------------------


def _check_test(got, want):
    _close(got.test_statistic, want.test_statistic, what="statistic")
    _close(got.crit_value, want.crit_value, what="critical value")
    _pclose(got.pvalue, want.pvalue, "pvalue")
    assert got.df == want.df
    assert got.conclusion == want.conclusion
    assert got.signif == want.signif


@pytest.mark.parametrize("data", sorted(DATA))
@pytest.mark.parametrize("trend", TRENDS)
@pytest.mark.parametrize("kind", ["f", "wald"])
def test_granger_causality_in_the_var_matches_statsmodels(data, trend, kind):
    y = DATA[data]()
    ours, theirs = _fit_both(y, 2, trend)
    k, names = ours.neqs, ours.names
    cases = [(0, 1), (1, [0, 2]), ([0, 2], 1), (names[2], names[0]), ([names[1]], [0, 2]),
             (list(range(k - 1)), [k - 1])]
    for caused, causing in cases:
        got = ours.test_causality(caused, causing, kind=kind)
        want = theirs.test_causality(caused, causing, kind=kind)
        _check_test(got, want)
        assert got.causing == want.causing and got.caused == want.caused
        assert got.h0 == want.h0
    got = ours.test_causality(1, [0, 2], kind=kind, signif=0.01)
    want = theirs.test_causality(1, [0, 2], kind=kind, signif=0.01)
    _check_test(got, want)


def test_causality_with_causing_none_means_every_other_series():
    y = DATA["generated"]()
    ours, theirs = _fit_both(y, 2, "c")
    got = ours.test_causality([0, 1])
    # statsmodels is right here only because len(caused) = k - len(caused)
    want = theirs.test_causality([0, 1])
    _check_test(got, want)
    assert got.causing == ["y3", "y4"]
    got = ours.test_causality(0)  # statsmodels fails on this one; compare explicitly
    _check_test(got, theirs.test_causality(0, [1, 2, 3]))


@pytest.mark.parametrize("data", sorted(DATA))
@pytest.mark.parametrize("trend", ["n", "c", "ctt"])
def test_instantaneous_causality_matches_statsmodels(data, trend):
    y = DATA[data]()
    ours, theirs = _fit_both(y, 2, trend)
    for causing in range(ours.neqs):
        got, want = ours.test_inst_causality(causing), theirs.test_inst_causality(causing)
        _check_test(got, want)
        assert got.caused == want.caused and got.causing == want.causing
    _check_test(ours.test_inst_causality(ours.names[1], signif=0.1),
                theirs.test_inst_causality(ours.names[1], signif=0.1))


@pytest.mark.parametrize("data", sorted(DATA))
@pytest.mark.parametrize("trend", TRENDS)
@pytest.mark.parametrize("p", [1, 3])
def test_whiteness_and_normality_match_statsmodels(data, trend, p):
    y = DATA[data]()
    ours, theirs = _fit_both(y, p, trend)
    for nlags in (p + 1, 10):
        for adjusted in (False, True):
            got = ours.test_whiteness(nlags, adjusted=adjusted)
            want = theirs.test_whiteness(nlags, adjusted=adjusted)
            _check_test(got, want)
            assert got.title == want.title and got.h0 == want.h0
    _check_test(ours.test_normality(), theirs.test_normality())
    _check_test(ours.test_normality(signif=0.1), theirs.test_normality(signif=0.1))


def test_results_repeat_bit_for_bit_across_thread_counts():
    y = DATA["macro5"]()
    fits = [sheaf.VAR(y, threads=t).fit(maxlags=6, ic="aic", trend="ct") for t in (1, 2, 4)]
    for other in fits[1:]:
        for name in ("params", "bse", "sigma_u", "resid"):
            assert np.array_equal(getattr(fits[0], name), getattr(other, name)), name
        assert fits[0].llf == other.llf
        assert (fits[0].test_whiteness(8).test_statistic
                == other.test_whiteness(8).test_statistic)
    sels = [sheaf.VAR(y, threads=t).select_order(6) for t in (1, 2, 4)]
    for other in sels[1:]:
        assert other.ics == sels[0].ics


# ---- exogenous series -------------------------------------------------------------


def _exog(T=400, seed=9):
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.standard_normal(T), np.sin(np.arange(T) / 10.0)])


def _fit_exog(y, x, p, trend):
    ours = sheaf.VAR(y, x).fit(p, trend=trend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = SmVAR(y, x).fit(p, trend=trend)
    return ours, theirs


@pytest.mark.parametrize("trend", TRENDS)
@pytest.mark.parametrize("p", [0, 1, 3])
def test_exogenous_series_match_statsmodels(trend, p):
    y, x = DATA["generated"](), _exog()
    ours, theirs = _fit_exog(y, x, p, trend)
    assert ours.k_exog_user == 2 and ours.k_exog == theirs.k_exog
    _check_fit(ours, theirs)
    if p == 0:
        return  # statsmodels' forecast, IRFs and tests fail on a VAR(0)
    future = np.random.default_rng(4).standard_normal((6, 2))
    _close(ours.forecast(y[-p:], 6, future), theirs.forecast(y[-p:], 6, exog_future=future),
           what="forecast")
    for g, w in zip(ours.forecast_interval(y[-p:], 6, 0.1, future),
                    theirs.forecast_interval(y[-p:], 6, 0.1, exog_future=future)):
        _close(g, w, what="interval")
    _close(ours.mse(6), theirs.mse(6), what="mse")
    got, want = ours.irf(8), theirs.irf(8)
    _close(got.stderr(), want.stderr(), what="stderr")
    _close(got.stderr(orth=True), want.stderr(orth=True), what="orth stderr")
    for kind in ("f", "wald"):
        _check_test(ours.test_causality(0, [1, 2], kind=kind),
                    theirs.test_causality(0, [1, 2], kind=kind))
    _check_test(ours.test_inst_causality(1), theirs.test_inst_causality(1))
    _check_test(ours.test_whiteness(8), theirs.test_whiteness(8))
    _check_test(ours.test_normality(), theirs.test_normality())


@pytest.mark.parametrize("trend", TRENDS)
def test_exogenous_series_in_select_order_and_ic_match_statsmodels(trend):
    y, x = DATA["generated"](), _exog()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _check_selection(sheaf.VAR(y, x).select_order(6, trend=trend),
                         SmVAR(y, x).select_order(6, trend=trend))
        _check_fit(sheaf.VAR(y, x).fit(6, ic="aic", trend=trend),
                   SmVAR(y, x).fit(6, ic="aic", trend=trend))
        # trend n with exog starts the table at order 0, as statsmodels does
        assert len(sheaf.VAR(y, x).select_order(6, trend="n").ics["aic"]) == 7


def test_exogenous_dataframe_and_series_names_and_bad_input():
    df = pd.DataFrame(DATA["generated"](), columns=["a", "b", "c", "d"])
    xd = pd.DataFrame(_exog(), columns=["u", "v"])
    ours = sheaf.VAR(df, xd).fit(2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = SmVAR(df, xd).fit(2)
    assert list(ours.params.index) == list(theirs.params.index)
    assert ours.exog_names[:4] == ["const", "u", "v", "L1.a"]
    _check_fit(ours, theirs)
    assert sheaf.VAR(df, xd["v"]).fit(1).exog_names[:3] == ["const", "v", "L1.a"]
    assert sheaf.VAR(df, _exog()).fit(1).exog_names[:3] == ["const", "exog0", "exog1"]
    y, x = df.to_numpy(), _exog()
    _raises(sheaf.SheafValueError, None, "give exog_future", ours.forecast, y[-2:], 3)
    _raises(sheaf.SheafValueError, None, "exog_future has 2 rows; it needs steps = 3",
            ours.forecast, y[-2:], 3, x[:2])
    _raises(sheaf.SheafValueError, None, "exog_future must be 2-D with 2 columns",
            ours.forecast_interval, y[-2:], 3, 0.05, x[:3, :1])
    _raises(sheaf.SheafValueError, None, "no exog_future", sheaf.VAR(y).fit(1).forecast,
            y[-2:], 3, x[:3])
    bad = x.copy()
    bad[50, 1] = np.nan
    e = _raises(sheaf.SheafValueError, "SHEAF_ERR_NONFINITE", "row 50", sheaf.VAR(y, bad).fit, 2)
    assert "exog" in str(e)
    bad = x.copy()
    bad[:, 0] = 1.0  # a constant beside the constant term
    _singular(sheaf.VAR(y, bad).fit, 2)
    future = x[:3].copy()
    future[1, 0] = np.inf
    _raises(sheaf.SheafValueError, "SHEAF_ERR_NONFINITE", "exog_future[1][0] = inf",
            ours.forecast, y[-2:], 3, future)


# ---- bad input --------------------------------------------------------------------


def test_a_nan_or_inf_names_the_series_and_row():
    y = DATA["macro3"]()
    y[40, 2] = np.nan
    e = _raises(sheaf.SheafValueError, "SHEAF_ERR_NONFINITE", "series 2 at row 40",
                sheaf.VAR(y).fit, 2)
    assert "nan" in str(e)
    _raises(sheaf.SheafValueError, "SHEAF_ERR_NONFINITE", "series 2 at row 40",
            sheaf.VAR(y).select_order, 4)
    y = DATA["macro3"]()
    y[0, 1] = np.inf  # read only as a lag
    _raises(sheaf.SheafValueError, "SHEAF_ERR_NONFINITE", "series 1 at row 0",
            sheaf.VAR(y).fit, 3)


def test_too_short_a_series_says_what_the_order_needs():
    y = _noise(T=8, k=3)
    _raises(sheaf.SheafValueError, "SHEAF_ERR_INVALID_ARGUMENT", "VAR(2) with 3 series",
            sheaf.VAR(y).fit, 2)
    _raises(sheaf.SheafValueError, "SHEAF_ERR_INVALID_ARGUMENT", "needs more than",
            sheaf.VAR(y).fit, 2)
    _raises(sheaf.SheafValueError, "SHEAF_ERR_INVALID_ARGUMENT", "too large",
            sheaf.VAR(_noise(T=40)).select_order, 10)
    _raises(sheaf.SheafValueError, "SHEAF_ERR_INVALID_ARGUMENT", "cannot estimate",
            sheaf.VAR(_noise(T=5)).select_order)


def _singular(fn, *args, **kwargs):
    """A SINGULAR error whose message names the collinear regressor once."""
    e = _raises(sheaf.SheafError, "SHEAF_ERR_SINGULAR", "is collinear with the others", fn,
                *args, **kwargs)
    head = str(e).split(":")[0] + ":"
    assert str(e).count(head) <= 2, str(e)  # the caller, and at most once more inside
    assert str(e).count("collinear (") <= 1 and str(e).count("singular (") <= 1, str(e)
    return e


def test_a_constant_series_beside_a_constant_term_is_singular():
    y = _noise()
    y[:, 1] = 3.0
    for fn in (sheaf.VAR(y).fit, sheaf.VAR(y).select_order):
        _raises(sheaf.SheafError, "SHEAF_ERR_SINGULAR",
                "series 1 is constant (3 in all 120 rows): its lags duplicate the constant term",
                fn, 2)
    y = _noise()
    y[:, 2] = y[:, 0] - 2 * y[:, 1]  # an exact combination
    e = _singular(sheaf.VAR(y).fit, 1, trend="n")
    assert "exact combinations of others" in str(e)
    e = _raises(sheaf.SheafError, "SHEAF_ERR_SINGULAR", "the VAR(0) on rows 3..119 is singular",
                sheaf.VAR(y).select_order, 3)
    assert str(e).count("sheaf_var_select_order") == 1


def test_bad_arguments_raise_with_clear_messages():
    y = DATA["generated"]()
    model = sheaf.VAR(y)
    _raises(sheaf.SheafValueError, None, "trend must be one of", model.fit, 1, trend="x")
    _raises(sheaf.SheafValueError, None, "trend must be one of", model.select_order, 2, "ttt")
    _raises(sheaf.SheafValueError, None, "ic must be one of", model.fit, 2, ic="aicc")
    _raises(sheaf.SheafValueError, None, "maxlags must be an integer", model.fit, -1)
    _raises(sheaf.SheafValueError, "SHEAF_ERR_INVALID_ARGUMENT", "trend n",
            model.fit, 0, trend="n")
    _raises(sheaf.SheafValueError, None, "2-D", sheaf.VAR, y[:, 0])
    _raises(sheaf.SheafValueError, None, "exog must be 1-D or 2-D with 400 rows", sheaf.VAR, y,
            exog=y[1:])
    res = model.fit(2)
    _raises(sheaf.SheafValueError, "SHEAF_ERR_INVALID_ARGUMENT", "forecasts from its last 2 rows",
            res.forecast,
            y[-1:], 3)
    _raises(sheaf.SheafValueError, None, "4 columns", res.forecast, y[-3:, :3], 3)
    _raises(sheaf.SheafValueError, None, "steps must be", res.forecast, y[-3:], 0)
    _raises(sheaf.SheafValueError, None, "alpha must be in (0, 1)", res.forecast_interval,
            y[-3:], 3, alpha=1.5)
    _raises(sheaf.SheafValueError, None, "steps must be", res.mse, 0)
    _raises(sheaf.SheafValueError, None, "periods must be", res.fevd, 0)
    _raises(sheaf.SheafValueError, "SHEAF_ERR_INVALID_ARGUMENT", "nlags = 2",
            res.test_whiteness, 2)
    _raises(sheaf.SheafValueError, None, "signif must be in (0, 1)", res.test_normality, 0.0)
    _raises(sheaf.SheafValueError, None, "signif must be in (0, 1)", res.test_causality, 0, 1,
            signif=1.0)
    _raises(sheaf.SheafValueError, None, "kind must be", res.test_causality, 0, 1, kind="lr")
    _raises(sheaf.SheafValueError, None, "no series named 'gdp'", res.test_causality, "gdp")
    _raises(sheaf.SheafValueError, "SHEAF_ERR_INVALID_ARGUMENT", "not a series index",
            res.test_causality, 7, 1)
    _raises(sheaf.SheafValueError, "SHEAF_ERR_INVALID_ARGUMENT", "repeats series 1",
            res.test_causality, 0, [1, 1])
    _raises(sheaf.SheafValueError, "SHEAF_ERR_INVALID_ARGUMENT", "not a series index",
            res.test_inst_causality, 4)
    _raises(TypeError, None, "series name or index", res.test_causality, 1.5)
    mean_model = model.fit(0)
    _raises(sheaf.SheafValueError, "SHEAF_ERR_INVALID_ARGUMENT", "a VAR(0) has no lags",
            mean_model.test_causality, 0, 1)
    _raises(sheaf.SheafValueError, "SHEAF_ERR_INVALID_ARGUMENT", "a VAR(0) has no companion",
            lambda: mean_model.roots)
