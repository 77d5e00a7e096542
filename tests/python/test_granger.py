"""sheaf.grangercausalitytests and sheaf.granger_matrix against statsmodels'
grangercausalitytests, computed here on the same data: statsmodels'
macrodata (log differences, the VAR tutorial's series) and a generated
system. Statistics to 1e-9 relative, p-values to 1e-9 absolute, degrees of
freedom exactly. Statistics near zero (a pair with no causality) are the
difference of two almost equal residual sums, known to rounding of the
sums (~1e-13 of them) in both libraries: there the comparison is absolute,
1e-9."""
import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from statsmodels.tsa.stattools import grangercausalitytests as sm_granger

import sheaf


def _macro():
    data = sm.datasets.macrodata.load_pandas().data[["realgdp", "realcons", "realinv"]]
    return np.log(data).diff().dropna().to_numpy()


def _generated(T=500, k=4, seed=7):
    rng = np.random.default_rng(seed)
    y = np.zeros((T, k))
    for t in range(1, T):
        y[t] = 0.4 * y[t - 1] + rng.standard_normal(k)
        y[t, 1:] += 0.3 * y[t - 1, :-1]  # series j-1 drives series j
    return y


def _reference(x, maxlag):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # statsmodels 0.13 warns about verbose
        return sm_granger(x, maxlag, verbose=False)


def _close(got, want):
    got, want = np.asarray(got, float), np.asarray(want, float)
    assert np.allclose(got, want, rtol=1e-9, atol=1e-9), (got, want)


@pytest.mark.parametrize("caused,causing", [(0, 2), (2, 0), (1, 2)])
def test_every_number_matches_statsmodels_on_macrodata(caused, causing):
    x = _macro()[:, [caused, causing]]
    got, want = sheaf.grangercausalitytests(x, 8), _reference(x, 8)
    assert sorted(got) == sorted(want) == list(range(1, 9))
    for lag in range(1, 9):
        for test in ("ssr_ftest", "ssr_chi2test", "lrtest", "params_ftest"):
            g, w = got[lag][0][test], want[lag][0][test]
            assert len(g) == len(w)
            _close(g[0], w[0])
            assert abs(g[1] - w[1]) <= 1e-9
            assert tuple(g[2:]) == tuple(w[2:]), (test, lag, g, w)
        assert got[lag][1].nobs == want[lag][1][1].nobs
        _close(got[lag][1].ssr_unrestricted, want[lag][1][1].ssr)


def test_a_lag_list_gives_exactly_those_lags():
    x = _generated()[:, [1, 0]]
    got, want = sheaf.grangercausalitytests(x, [2, 5]), _reference(x, [2, 5])
    assert sorted(got) == [2, 5]
    for lag in (2, 5):
        _close(got[lag][0]["lrtest"][0], want[lag][0]["lrtest"][0])


@pytest.mark.parametrize("test", ["ssr_ftest", "ssr_chi2test", "lrtest", "params_ftest"])
def test_the_matrix_equals_pairwise_statsmodels_calls(test):
    y = _generated()
    k, maxlag = y.shape[1], 3
    m = sheaf.granger_matrix(y, maxlag, test=test)
    assert m.statistics.shape == m.pvalues.shape == (k, k, maxlag)
    for i in range(k):
        assert np.isnan(m.statistics[i, i]).all() and np.isnan(m.pvalues[i, i]).all()
        for j in range(k):
            if i == j:
                continue
            ref = _reference(y[:, [i, j]], maxlag)
            for lag in range(1, maxlag + 1):
                _close(m.statistics[i, j, lag - 1], ref[lag][0][test][0])
                assert abs(m.pvalues[i, j, lag - 1] - ref[lag][0][test][1]) <= 1e-9


def test_threads_give_identical_bits():
    y = _generated(T=800, k=5)
    one = sheaf.granger_matrix(y, 4, threads=1)
    two = sheaf.granger_matrix(y, 4, threads=2)
    assert np.array_equal(one.statistics, two.statistics, equal_nan=True)


def test_bad_inputs_raise_with_the_problem_named():
    x = _macro()[:, [0, 2]]
    with pytest.raises(sheaf.SheafError, match="needs more than 25 observations"):
        sheaf.grangercausalitytests(x[:25], 8)
    with pytest.raises(sheaf.SheafError, match="2 columns"):
        sheaf.grangercausalitytests(_macro(), 2)
    bad = x.copy()
    bad[40, 1] = np.nan
    with pytest.raises(sheaf.SheafError, match="series 1 at row 40"):
        sheaf.grangercausalitytests(bad, 2)
    const = x.copy()
    const[:, 0] = 1.5
    with pytest.raises(sheaf.SheafError, match="collinear"):
        sheaf.grangercausalitytests(const, 2)
    with pytest.raises(sheaf.SheafError, match="test must be one of"):
        sheaf.granger_matrix(_macro(), 2, test="wald")
    with pytest.raises(sheaf.SheafError, match="maxlag"):
        sheaf.grangercausalitytests(x, 0)
