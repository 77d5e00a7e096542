"""sheaf.granger_matrix beyond statsmodels - lag sets, a common sample, the
lag chosen by AIC/BIC, conditional tests, Benjamini-Hochberg - against
statsmodels 0.13 computed here: grangercausalitytests (on the trimmed
series for a common sample), OLS fits with compare_f_test / compare_lr_test
/ f_test and .aic / .bic, and multipletests(method='fdr_bh'). Statistics to
1e-9 relative (1e-9 absolute near zero, where a statistic is the small
difference of two residual sums), p-values to 1e-9 absolute."""
import warnings

import numpy as np
import pytest
import scipy.stats as st
import statsmodels.api as sm
from statsmodels.stats.multitest import multipletests
from statsmodels.tsa.stattools import grangercausalitytests as sm_granger

import sheaf

TESTS = ("ssr_ftest", "ssr_chi2test", "lrtest", "params_ftest")


def _macro():
    data = sm.datasets.macrodata.load_pandas().data[["realgdp", "realcons", "realinv"]]
    return np.log(data).diff().dropna().to_numpy()


def _generated(T=400, k=4, seed=11):
    rng = np.random.default_rng(seed)
    y = np.zeros((T, k))
    for t in range(2, T):
        y[t] = 0.3 * y[t - 1] - 0.15 * y[t - 2] + rng.standard_normal(k)
        y[t, 1:] += 0.35 * y[t - 2, :-1]  # series j-1 drives series j at lag 2
    return y


def _sm(x, lags):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm_granger(x, lags, verbose=False)


def _close(got, want):
    assert np.allclose(got, want, rtol=1e-9, atol=1e-9), (got, want)


def _design(Y, t, L, series):
    return np.column_stack([np.ones(len(t))] + [Y[t - l, m] for l in range(1, L + 1)
                                                 for m in series])


def _conditional(Y, i, j, L, first):
    """statsmodels' four numbers for the conditional test of j -> i at lag L on
    rows first..T-1: {test: (statistic, p)}, plus nobs, df_denom, aic, bic."""
    k, T = Y.shape[1], Y.shape[0]
    t = np.arange(first, T)
    Xu = _design(Y, t, L, range(k))
    keep = [0] + [1 + (l - 1) * k + m for l in range(1, L + 1) for m in range(k) if m != j]
    ru, rr = sm.OLS(Y[t, i], Xu).fit(), sm.OLS(Y[t, i], Xu[:, keep]).fit()
    F, Fp, _ = ru.compare_f_test(rr)
    lr, lrp, _ = ru.compare_lr_test(rr)
    R = np.zeros((L, Xu.shape[1]))
    for l in range(1, L + 1):
        R[l - 1, 1 + (l - 1) * k + j] = 1.0
    ft = ru.f_test(R)
    chi2 = len(t) * (rr.ssr - ru.ssr) / ru.ssr
    return {"ssr_ftest": (F, Fp), "ssr_chi2test": (chi2, st.chi2.sf(chi2, L)),
            "lrtest": (lr, lrp), "params_ftest": (float(np.squeeze(ft.fvalue)), float(ft.pvalue)),
            "nobs": len(t), "df_denom": ru.df_resid, "aic": ru.aic, "bic": ru.bic}


@pytest.mark.parametrize("test", TESTS)
def test_a_lag_set_equals_statsmodels_in_the_given_order(test):
    y = _macro()
    lags = [4, 1, 2]
    m = sheaf.granger_matrix(y, lags=lags, test=test)
    assert m.statistics.shape == (3, 3, 3) and m.lags.tolist() == lags
    for i in range(3):
        for j in range(3):
            if i == j:
                assert np.isnan(m.statistics[i, j]).all()
                continue
            ref = _sm(y[:, [i, j]], lags)
            for q, L in enumerate(lags):
                _close(m.statistics[i, j, q], ref[L][0][test][0])
                assert abs(m.pvalues[i, j, q] - ref[L][0][test][1]) <= 1e-9
                assert m.nobs[i, j, q] == ref[L][1][1].nobs
                _close(m.aic[i, j, q], ref[L][1][1].aic)
                _close(m.bic[i, j, q], ref[L][1][1].bic)


@pytest.mark.parametrize("test", TESTS)
def test_a_common_sample_equals_statsmodels_on_the_trimmed_series(test):
    y = _generated()
    m = sheaf.granger_matrix(y, 4, test=test, common_sample=True)
    for i in range(4):
        for j in range(4):
            if i != j:
                for L in range(1, 5):
                    ref = _sm(y[4 - L:, [i, j]], [L])[L]
                    _close(m.statistics[i, j, L - 1], ref[0][test][0])
                    assert abs(m.pvalues[i, j, L - 1] - ref[0][test][1]) <= 1e-9
                    assert m.nobs[i, j, L - 1] == y.shape[0] - 4


@pytest.mark.parametrize("ic", ["aic", "bic"])
@pytest.mark.parametrize("common", [False, True])
def test_the_chosen_lag_is_statsmodels_ols_argmin_on_the_common_sample(ic, common):
    y = _generated()
    lags = [1, 2, 3, 4]
    m = sheaf.granger_matrix(y, lags=lags, ic=ic, common_sample=common)
    assert m.lags.shape == (4, 4) and m.statistics.shape == (4, 4)
    t = np.arange(4, y.shape[0])
    for i in range(4):
        for j in range(4):
            if i == j:
                assert m.lags[i, j] == 0
                continue
            crit = [getattr(sm.OLS(y[t, i], _design(y, t, L, [i, j])).fit(), ic) for L in lags]
            L = lags[int(np.argmin(crit))]
            assert m.lags[i, j] == L
            ref = _sm(y[4 - L:, [i, j]] if common else y[:, [i, j]], [L])[L]
            _close(m.statistics[i, j], ref[0]["ssr_ftest"][0])
            assert abs(m.pvalues[i, j] - ref[0]["ssr_ftest"][1]) <= 1e-9
            if common:
                _close(getattr(m, ic)[i, j], min(crit))
    assert set(m.lags[~np.eye(4, dtype=bool)].tolist()) >= {2}  # the causal lag is found


@pytest.mark.parametrize("test", TESTS)
@pytest.mark.parametrize("common", [False, True])
def test_conditional_tests_equal_statsmodels_ols(test, common):
    y = _generated(T=300)
    lags = [3, 1]
    m = sheaf.granger_matrix(y, lags=lags, test=test, conditional=True, common_sample=common)
    for i in range(4):
        for j in range(4):
            if i != j:
                for q, L in enumerate(lags):
                    ref = _conditional(y, i, j, L, 3 if common else L)
                    _close(m.statistics[i, j, q], ref[test][0])
                    assert abs(m.pvalues[i, j, q] - ref[test][1]) <= 1e-9
                    assert m.nobs[i, j, q] == ref["nobs"]
                    if test in ("ssr_ftest", "params_ftest"):
                        assert m.df_denom[i, j, q] == ref["df_denom"]
                    else:
                        assert np.isnan(m.df_denom[i, j, q])
                    _close(m.aic[i, j, q], ref["aic"])
                    _close(m.bic[i, j, q], ref["bic"])


def test_conditional_bic_chooses_one_lag_per_caused_series():
    y = _generated()
    m = sheaf.granger_matrix(y, 4, conditional=True, ic="bic", common_sample=True)
    t = np.arange(4, y.shape[0])
    for i in range(4):
        crit = [sm.OLS(y[t, i], _design(y, t, L, range(4))).fit().bic for L in range(1, 5)]
        for j in range(4):
            if j != i:
                assert m.lags[i, j] == 1 + int(np.argmin(crit))


@pytest.mark.parametrize("per_lag", [False, True])
def test_benjamini_hochberg_equals_multipletests(per_lag):
    y = _generated()
    m = sheaf.granger_matrix(y, 3, adjust="fdr_bh", adjust_per_lag=per_lag, conditional=True)
    off = ~np.eye(4, dtype=bool)
    want = np.full(m.pvalues.shape, np.nan)
    if per_lag:
        for q in range(3):
            want[:, :, q][off] = multipletests(m.pvalues[:, :, q][off], method="fdr_bh")[1]
    else:
        want[off] = multipletests(m.pvalues[off].ravel(), method="fdr_bh")[1].reshape(-1, 3)
    assert np.allclose(m.pvalues_adjusted, want, rtol=0, atol=1e-15, equal_nan=True)
    assert sheaf.granger_matrix(y, 3).pvalues_adjusted is None


def test_the_defaults_are_unchanged_and_threads_give_identical_bits():
    y = _generated(T=600, k=5)
    one = sheaf.granger_matrix(y, 4, threads=1, conditional=True, adjust="fdr_bh")
    two = sheaf.granger_matrix(y, 4, threads=2, conditional=True, adjust="fdr_bh")
    assert np.array_equal(one.statistics, two.statistics, equal_nan=True)
    assert np.array_equal(one.pvalues_adjusted, two.pvalues_adjusted, equal_nan=True)
    plain = sheaf.granger_matrix(y, 4)
    assert plain.lags.tolist() == [1, 2, 3, 4]
    ref = _sm(y[:, [2, 1]], 4)
    _close(plain.statistics[2, 1, 3], ref[4][0]["ssr_ftest"][0])


def test_bad_options_raise_with_the_problem_named():
    y = _macro()
    with pytest.raises(sheaf.SheafError, match="ic must be"):
        sheaf.granger_matrix(y, 2, ic="hqic")
    with pytest.raises(sheaf.SheafError, match="adjust must be"):
        sheaf.granger_matrix(y, 2, adjust="bonferroni")
    with pytest.raises(sheaf.SheafError, match="not both"):
        sheaf.granger_matrix(y, 2, lags=[1])
    with pytest.raises(sheaf.SheafError, match="maxlag or lags is required"):
        sheaf.granger_matrix(y)
    with pytest.raises(sheaf.SheafError, match=r"lags\[1\] = 2 repeats lags\[0\]"):
        sheaf.granger_matrix(y, lags=[2, 2])
    with pytest.raises(sheaf.SheafError, match="on the common sample"):
        sheaf.granger_matrix(y[:28], 9, common_sample=True)
    with pytest.raises(sheaf.SheafError, match="lag 8 needs more than 33 observations"):
        sheaf.granger_matrix(y[:33], lags=[8], conditional=True)
    const = y.copy()
    const[:, 2] = 1.0
    with pytest.raises(sheaf.SheafError, match="series 2 is constant"):
        sheaf.granger_matrix(const, 2, conditional=True)
