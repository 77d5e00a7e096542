"""Window methods of sheaf.Frame (window.py over sheaf_window.h) against pandas 1.5 on the
same random data with NaNs: keyed and unkeyed (several partitions, so partitions read rows
before their start), single-row keys, empty partitions, irregular times, and bad input."""

import numpy as np
import pandas as pd
import pytest

import sheaf

N = 3000
AGGS = ["mean", "sum", "std", "var", "min", "max"]


def _data(seed=7):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "k": rng.integers(0, 60, N),
        "t": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 10**6, N), unit="s"),
        "x": rng.standard_normal(N) * 100,
        "i": rng.integers(-3, 3, N),
        "s": rng.choice(["a", "b", "c"], N),
    })
    df.loc[rng.random(N) < 0.15, "x"] = np.nan
    df.loc[5, "k"] = 999  # a key with a single row
    return df


DF = _data()
SORTED = DF.sort_values(["k", "t"], kind="stable").reset_index(drop=True)
G = SORTED.groupby("k")


@pytest.fixture(scope="module")
def frame():
    return sheaf.from_pandas(DF, partitions=5)


def assert_same(got, want):
    got = np.asarray(got, dtype=float)
    want = np.asarray(want, dtype=float)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    ok = ~np.isnan(want)
    np.testing.assert_allclose(got[ok], want[ok], rtol=1e-12, atol=0)


def keyed(out, column, want):
    p = out.to_pandas()
    np.testing.assert_array_equal(p["k"].to_numpy(), SORTED["k"].to_numpy())
    np.testing.assert_array_equal(p["t"].to_numpy(), SORTED["t"].to_numpy())
    assert_same(p[column], want)


def test_lag_and_lead_match_groupby_shift(frame):
    keyed(frame.lag("x", by="k", order_by="t"), "x_lag1", G["x"].shift(1))
    keyed(frame.lead("x", 3, by="k", order_by="t"), "x_lead3", G["x"].shift(-3))
    out = frame.lag("s", 2, by=["k"], order_by="t", name="prev").to_pandas()
    want = G["s"].shift(2)
    assert out["prev"].isna().equals(want.isna())
    assert (out["prev"][want.notna()] == want[want.notna()]).all()


def test_lag_of_an_int_column_stays_int_with_missing_where_shifted_out(frame):
    out = frame.lag("i", by="k", order_by="t")
    assert out.dtypes["i_lag1"] == "int64"
    keyed(out, "i_lag1", G["i"].shift(1))


def test_diff_of_seasonal_lag_and_order_two_matches_pandas(frame):
    keyed(frame.diff("x", by="k", order_by="t"), "x_diff1", G["x"].diff(1))
    want = SORTED.assign(d=G["x"].diff(4)).groupby("k")["d"].diff(4)
    keyed(frame.diff("x", 4, by="k", order_by="t", order=2), "x_diff4_order2", want)


def test_pct_change_matches_pandas_with_its_forward_fill(frame):
    keyed(frame.pct_change("x", 2, by="k", order_by="t"), "x_pct2", G["x"].pct_change(2))


@pytest.mark.parametrize("agg", AGGS)
def test_rolling_rows_match_pandas_within_keys(frame, agg):
    want = getattr(G["x"].rolling(7, min_periods=3), agg)().to_numpy()
    keyed(frame.rolling("x", 7, agg, by="k", order_by="t", min_periods=3, name="r"), "r", want)
    want = getattr(G["x"].rolling(4), agg)().to_numpy()
    keyed(frame.rolling("x", 4, agg, by="k", order_by="t", name="r"), "r", want)


@pytest.mark.parametrize("agg", AGGS)
def test_rolling_time_spans_match_pandas_on_irregular_times(frame, agg):
    want = getattr(SORTED.groupby("k").rolling("2d", on="t")["x"], agg)().to_numpy()
    keyed(frame.rolling("x", "2d", agg, by="k", order_by="t", name="r"), "r", want)
    want = getattr(SORTED.groupby("k").rolling("36h", on="t")["x"], agg)().to_numpy()
    keyed(frame.rolling("x", np.timedelta64(36, "h"), agg, by="k", order_by="t", name="r"), "r",
          want)


def test_expanding_cumsum_and_ewm_match_pandas_within_keys(frame):
    keyed(frame.expanding_mean("x", by="k", order_by="t"), "x_expanding_mean",
          G["x"].expanding().mean().to_numpy())
    keyed(frame.cumsum("x", by="k", order_by="t"), "x_cumsum", G["x"].cumsum())
    for adjust in (True, False):
        want = G["x"].ewm(alpha=0.25, adjust=adjust).mean().to_numpy()
        keyed(frame.ewm("x", 0.25, by="k", order_by="t", adjust=adjust), "x_ewm", want)


def test_row_number_is_spark_or_cumcount(frame):
    keyed(frame.row_number(by="k", order_by="t"), "row_number", G.cumcount() + 1)
    keyed(frame.row_number(by="k", order_by="t", start=0, name="n"), "n", G.cumcount())


@pytest.mark.parametrize("method", ["average", "min", "max", "first", "dense"])
def test_rank_methods_with_ties_match_pandas(frame, method):
    for ascending in (True, False):
        keyed(frame.rank("i", method, ascending, by="k", order_by="t"), "i_rank",
              G["i"].rank(method=method, ascending=ascending))
        keyed(frame.rank("x", method, ascending, by="k", order_by="t"), "x_rank",
              G["x"].rank(method=method, ascending=ascending))


def test_fill_methods_fill_within_keys(frame):
    keyed(frame.ffill("x", by="k", order_by="t"), "x", G["x"].ffill())
    keyed(frame._fill_method(None, "backfill", "k", "t", None), "x", G["x"].bfill())
    out = frame._fill_method(["x", "s"], "pad", ["k"], "t", 2).to_pandas()
    assert_same(out["x"], G["x"].ffill())
    assert out.columns.tolist() == DF.columns.tolist()


def test_without_keys_partitions_read_across_their_boundaries():
    df = DF.copy()
    f = sheaf.from_pandas(df, partitions=13, threads=3)
    x = df["x"]
    assert_same(f.lag("x", 5).to_pandas()["x_lag5"], x.shift(5))
    assert_same(f.diff("x", 2, order=3).to_pandas()["x_diff2_order3"], x.diff(2).diff(2).diff(2))
    assert_same(f.pct_change("x").to_pandas()["x_pct1"], x.pct_change())
    for agg in AGGS:
        assert_same(f.rolling("x", 25, agg, name="r").to_pandas()["r"],
                    getattr(x.rolling(25), agg)())
    assert_same(f.expanding_mean("x").to_pandas()["x_expanding_mean"], x.expanding().mean())
    assert_same(f.cumsum("x").to_pandas()["x_cumsum"], x.cumsum())
    assert_same(f.ewm("x", 0.1, adjust=False).to_pandas()["x_ewm"],
                x.ewm(alpha=0.1, adjust=False).mean())
    assert_same(f.rank("x", "min").to_pandas()["x_rank"], x.rank(method="min"))
    assert_same(f.ffill("x").to_pandas()["x"], x.ffill())
    assert_same(f.bfill("x").to_pandas()["x"], x.bfill())
    assert_same(f.row_number().to_pandas()["row_number"], np.arange(1, N + 1))


def test_without_keys_order_by_sorts_by_time():
    f = sheaf.from_pandas(DF, partitions=6)
    ordered = DF.sort_values("t", kind="stable").reset_index(drop=True)
    out = f.rolling("x", "3h", "std", order_by="t", name="r").to_pandas()
    np.testing.assert_array_equal(out["t"].to_numpy(), ordered["t"].to_numpy())
    assert_same(out["r"], ordered.rolling("3h", on="t")["x"].std())


def test_empty_partitions_and_single_row_keys_work():
    small = DF.head(7)
    f = sheaf.from_pandas(small, partitions=20)  # most partitions are empty
    assert_same(f.rolling("x", 2, "sum", min_periods=1).to_pandas()["x_rolling_sum2"],
                small["x"].rolling(2, min_periods=1).sum())
    s = small.sort_values(["k", "t"], kind="stable")
    got = f.rolling("x", 1, "max", by="k", order_by="t").to_pandas()["x_rolling_max1"]
    assert_same(got, s.groupby("k")["x"].rolling(1).max().to_numpy())
    empty = sheaf.from_pandas(DF.head(0), partitions=3)
    assert empty.lag("x", by="k", order_by="t").num_rows == 0


def test_results_do_not_depend_on_threads(frame):
    one = frame.rolling("x", "1d", "var", by="k", order_by="t", threads=1).to_numpy(
        "x_rolling_var_t86400000000000")
    four = frame.rolling("x", "1d", "var", by="k", order_by="t", threads=4).to_numpy(
        "x_rolling_var_t86400000000000")
    assert one.tobytes() == four.tobytes()


def test_bad_input_raises_with_the_library_message(frame):
    with pytest.raises(sheaf.SheafError, match="no column named 'nope'"):
        frame.lag("nope", by="k", order_by="t")
    with pytest.raises(sheaf.SheafError, match="column 's' is string"):
        frame.rolling("s", 3, by="k", order_by="t")
    longest = int(DF["k"].value_counts().max())
    with pytest.raises(sheaf.SheafError, match="window of %d rows is longer than the longest "
                       "series \\(%d rows\\)" % (longest + 1, longest)):
        frame.rolling("x", longest + 1, by="k", order_by="t")
    with pytest.raises(sheaf.SheafError, match="no column named 'kk'"):
        frame.cumsum("x", by="kk", order_by="t")
    with pytest.raises(sheaf.SheafError, match="already has a column named 'i'"):
        frame.diff("x", name="i")
    with pytest.raises(sheaf.SheafError, match="alpha must be in"):
        frame.ewm("x", 1.5)
    with pytest.raises(ValueError, match="needs a timestamp column"):
        frame.rolling("x", "5min", order_by="i")
    with pytest.raises(ValueError, match="unknown agg"):
        frame.rolling("x", 3, "median")
