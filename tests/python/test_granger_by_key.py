"""sheaf.granger_by_key: the Granger matrix of every key of a keyed table,
against statsmodels' grangercausalitytests on each key's time-sorted rows
(computed here), with per-key status and error columns, pandas in / pandas
out and Frame in / Frame out, composite keys, and thread invariance."""
import warnings

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.tsa.stattools import grangercausalitytests as sm_granger

import sheaf


def _panels(seed=5):
    """Keys 'p0'..'p4' in shuffled row order: p2 too short, p3 with a constant
    series, p4 with a missing value; times irregular but increasing."""
    rng = np.random.default_rng(seed)
    parts = []
    for key, n in zip(["p0", "p1", "p2", "p3", "p4"], [150, 90, 5, 60, 70]):
        y = np.zeros((n, 3))
        e = rng.standard_normal((n, 3))
        for t in range(1, n):
            y[t] = [0.4 * y[t - 1, 0], 0.5 * y[t - 1, 0] + 0.2 * y[t - 1, 1], 0.3 * y[t - 1, 2]]
            y[t] += e[t]
        if key == "p3":
            y[:, 2] = 7.0
        if key == "p4":
            y[33, 0] = np.nan
        time = np.cumsum(rng.integers(1, 4, n))
        parts.append(pd.DataFrame({"id": key, "t": time, "x": y[:, 0], "y": y[:, 1],
                                   "z": y[:, 2]}))
    df = pd.concat(parts, ignore_index=True)
    return df.iloc[rng.permutation(len(df))].reset_index(drop=True)


def _sm(x, maxlag):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm_granger(x, maxlag, verbose=False)


def test_each_key_matches_statsmodels_and_bad_keys_say_why():
    df = _panels()
    cols = ["x", "y", "z"]
    out = sheaf.granger_by_key(df, key="id", time="t", maxlag=3, adjust="fdr_bh")
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["id", "caused", "causing", "lag", "nobs", "statistic", "pvalue",
                                 "df_num", "df_denom", "pvalue_adjusted", "aic", "bic", "status",
                                 "error"]
    assert len(out) == 5 * 6 * 3
    assert out["id"].tolist() == sorted(out["id"].tolist())
    for key, panel in df.sort_values(["id", "t"], kind="stable").groupby("id"):
        rows = out[out["id"] == key]
        pairs = [c for c in cols for d in cols if c != d]
        assert rows["caused"].tolist() == [c for c in pairs for _ in range(3)]
        if key == "p2":
            assert (rows["status"] == "SHEAF_ERR_INVALID_ARGUMENT").all()
            message = "lag 2 needs more than 7 observations (have 5)"
            assert rows["error"].str.contains(message, regex=False).all()
            assert rows["statistic"].isna().all() and rows["lag"].tolist() == [1, 2, 3] * 6
            continue
        if key == "p3":
            assert (rows["status"] == "SHEAF_ERR_SINGULAR").all()
            assert rows["error"].str.contains("series 'z'").all()
            continue
        if key == "p4":
            assert (rows["status"] == "SHEAF_ERR_NONFINITE").all()
            assert rows["error"].str.contains("column 'x' at row 33 of the panel").all()
            continue
        assert (rows["status"] == "SHEAF_OK").all() and rows["error"].isna().all()
        y = panel[cols].to_numpy()
        for _, r in rows.iterrows():
            i, j = cols.index(r["caused"]), cols.index(r["causing"])
            ref = _sm(y[:, [i, j]], 3)[r["lag"]]
            f, p, dfd, dfn = ref[0]["ssr_ftest"]
            assert np.isclose(r["statistic"], f, rtol=1e-9, atol=1e-9)
            assert abs(r["pvalue"] - p) <= 1e-9
            assert r["df_denom"] == dfd and r["df_num"] == dfn
            assert r["nobs"] == ref[1][1].nobs
            assert np.isclose(r["aic"], ref[1][1].aic, rtol=1e-9)
        want = multipletests(rows["pvalue"].to_numpy(), method="fdr_bh")[1]
        assert np.allclose(rows["pvalue_adjusted"].to_numpy(), want, rtol=0, atol=1e-15)


def test_a_frame_gives_a_frame_and_the_same_numbers_for_any_thread_count():
    df = _panels()
    frame = sheaf.Frame.from_pandas(df, key="id", time="t")
    a = sheaf.granger_by_key(frame, key="id", time="t", columns=["x", "y"], lags=[2, 1],
                             conditional=True, threads=1)
    b = sheaf.granger_by_key(frame, key="id", time="t", columns=["x", "y"], lags=[2, 1],
                             conditional=True, threads=2)
    assert isinstance(a, sheaf.Frame)
    pa, pb = a.to_pandas(), b.to_pandas()
    assert pa["lag"].tolist()[:4] == [2, 1, 2, 1]
    np.testing.assert_array_equal(pa["statistic"].to_numpy(), pb["statistic"].to_numpy())
    pd.testing.assert_frame_equal(pa, pb)
    # with two series the conditional test is the bivariate one
    plain = sheaf.granger_by_key(df, key="id", time="t", columns=["x", "y"], lags=[2, 1])
    ok = plain["status"] == "SHEAF_OK"
    assert np.allclose(pa["statistic"][ok], plain["statistic"][ok], rtol=1e-10)


def test_composite_keys_and_ic_choose_one_lag_per_pair():
    df = _panels()
    df = df[df["id"].isin(["p0", "p1"])].copy()
    df["half"] = (df["t"] % 2).astype(np.int64)
    out = sheaf.granger_by_key(df, key=["id", "half"], time="t", columns=["x", "y", "z"],
                               maxlag=4, ic="bic", common_sample=True)
    assert len(out) == 4 * 6
    assert list(out.columns[:2]) == ["id", "half"]
    for (key, half), panel in df.sort_values(["id", "half", "t"], kind="stable").groupby(
            ["id", "half"]):
        rows = out[(out["id"] == key) & (out["half"] == half)]
        m = sheaf.granger_matrix(panel[["x", "y", "z"]].to_numpy(), 4, ic="bic",
                                 common_sample=True)
        for _, r in rows.iterrows():
            i, j = "xyz".index(r["caused"]), "xyz".index(r["causing"])
            assert r["lag"] == m.lags[i, j]
            assert np.isclose(r["statistic"], m.statistics[i, j], rtol=1e-12)


def test_bad_calls_raise():
    df = _panels()
    with pytest.raises(sheaf.SheafError, match="no column named 'nope'"):
        sheaf.granger_by_key(df, key="id", time="t", columns=["x", "nope"], maxlag=2)
    with pytest.raises(sheaf.SheafError, match="column 'id' is string"):
        sheaf.granger_by_key(df, key="t", columns=["x", "id"], maxlag=2)
    with pytest.raises(sheaf.SheafError, match="need 2 or more"):
        sheaf.granger_by_key(df, key="id", time="t", columns=["x"], maxlag=2)
    with pytest.raises(sheaf.SheafError, match="at least one key"):
        sheaf.granger_by_key(df, key=[], time="t", maxlag=2)
    renamed = df.rename(columns={"id": "lag"})
    with pytest.raises(sheaf.SheafError, match="name of an output column"):
        sheaf.granger_by_key(renamed, key="lag", time="t", maxlag=2)
