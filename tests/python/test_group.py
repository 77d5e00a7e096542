"""group_by / join / join_asof / drop_duplicates against pandas 1.5 on the same
random data (fixed seeds): values and missing positions exactly, floating
results to 1e-12 relative."""

import numpy as np
import pandas as pd
import pytest

import sheaf

AGGS = ["count", "sum", "mean", "min", "max", "std", "var", "first", "last"]


def assert_same(got, want):
    """got: a sheaf result as pandas; want: pandas' answer (index reset)."""
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want)
    for name in want.columns:
        g, w = got[name], want[name]
        if w.dtype.kind in "fiub" or g.dtype.kind in "fiub":
            g = g.to_numpy(dtype=float)
            w = w.to_numpy(dtype=float)
            assert np.array_equal(np.isnan(g), np.isnan(w)), name
            np.testing.assert_allclose(g[~np.isnan(g)], w[~np.isnan(w)], rtol=1e-12, atol=1e-300,
                                       err_msg=name)
        elif w.dtype.kind == "M":
            assert np.array_equal(g.isna().to_numpy(), w.isna().to_numpy()), name
            assert (g[~g.isna()] == w[~w.isna()]).all(), name
        else:
            gl = [None if v is None or (isinstance(v, float) and v != v) else v for v in g]
            wl = [None if v is None or (isinstance(v, float) and v != v) else v for v in w]
            assert gl == wl, name


def random_frame(n, seed, n_keys=7):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n) * 10 + 3
    x[rng.random(n) < 0.15] = np.nan
    s = np.array(["s%02d" % v for v in rng.integers(0, 12, n)], dtype=object)
    s[rng.random(n) < 0.1] = None
    kf = rng.integers(0, 4, n).astype(float) - 1.5
    kf[rng.random(n) < 0.1] = np.nan
    ks = np.array(["key%d" % v for v in rng.integers(0, n_keys, n)], dtype=object)
    ks[rng.random(n) < 0.05] = None
    return pd.DataFrame({
        "ki": rng.integers(0, n_keys, n),
        "ks": ks,
        "kf": kf,
        "x": x,
        "y": rng.integers(-1000, 1000, n),
        "s": s,
    })


def _present(fn):
    """pandas 1.5 cannot take min/max of an object column holding None; the
    reference then takes them over the present values (NaN if none)."""
    def agg(v):
        v = v.dropna()
        return fn(v) if len(v) else np.nan
    agg.__name__ = fn.__name__
    return agg


def pandas_agg(df, keys, spec):
    grouped = df.groupby(keys, sort=True, dropna=True)
    parts = []
    for column, aggs in spec.items():
        for agg in [aggs] if isinstance(aggs, str) else aggs:
            if df[column].dtype == object and agg in ("min", "max"):
                got = grouped[column].agg(_present(min if agg == "min" else max))
            else:
                got = grouped[column].agg(agg)
            parts.append(got.rename("%s_%s" % (column, agg)))
    return pd.concat(parts, axis=1).reset_index()


SPEC = {"x": AGGS, "y": ["count", "sum", "mean", "min", "max", "std", "first", "last"],
        "s": ["count", "min", "max", "first", "last"]}


@pytest.mark.parametrize("keys", [["ki"], ["ks"], ["kf"], ["ki", "ks"], ["ks", "kf", "ki"]])
@pytest.mark.parametrize("partitions", [1, 3, 64])
def test_group_by_matches_pandas(keys, partitions):
    df = random_frame(500, 11)
    f = sheaf.from_pandas(df, partitions=partitions)
    got = f.group_by(keys).agg(SPEC, threads=2).to_pandas()
    assert_same(got, pandas_agg(df, keys, SPEC))


def test_group_by_with_more_partitions_than_rows_and_single_row_keys():
    df = random_frame(9, 3, n_keys=9)
    f = sheaf.from_pandas(df, partitions=20)
    got = f.group_by("ki").agg(SPEC).to_pandas()
    assert_same(got, pandas_agg(df, ["ki"], SPEC))


def test_group_by_on_key_time_layout_concatenates_and_matches():
    df = random_frame(2000, 5, n_keys=50)
    df["t"] = np.arange(len(df))
    f = sheaf.from_pandas(df, partitions=8, key="ki", time="t")
    spec = {"x": ["mean", "std", "count"], "y": "max"}
    for keys in (["ki"], ["ki", "ks"]):
        assert_same(f.group_by(keys).agg(spec).to_pandas(), pandas_agg(df, keys, spec))


def test_group_by_is_identical_for_any_thread_count():
    df = random_frame(20000, 8, n_keys=300)
    f = sheaf.from_pandas(df, partitions=16)
    spec = {"x": ["mean", "std", "var", "sum"]}
    ref = f.group_by(["ki", "ks"]).agg(spec, threads=1).to_pandas()
    for threads in (2, 4):
        got = f.group_by(["ki", "ks"]).agg(spec, threads=threads).to_pandas()
        pd.testing.assert_frame_equal(got, ref, check_exact=True)


def test_group_by_result_is_partitioned_into_row_ranges():
    df = random_frame(300, 2)
    g = sheaf.from_pandas(df).group_by("ki").agg({"x": "mean"}, threads=2)
    assert g.num_partitions == 8  # the default context: 4 x threads
    ranges = g.partition_ranges()
    assert ranges[0][0] == 0 and ranges[-1][1] == g.num_rows


def test_group_by_timestamps_keep_their_type():
    rng = np.random.default_rng(4)
    n = 200
    df = pd.DataFrame({"k": rng.integers(0, 5, n),
                       "t": pd.to_datetime("2024-01-01") + pd.to_timedelta(rng.integers(0, 10**6, n), "s")})
    spec = {"t": ["min", "max", "first", "last", "count"]}
    got = sheaf.from_pandas(df, partitions=3).group_by("k").agg(spec).to_pandas()
    assert_same(got, pandas_agg(df, ["k"], spec))


def dense_key_frame(n, seed, lo, hi, step, missing=0.0):
    """Integer keys lo, lo + step, ... < hi (gaps when step > 1, negative
    when lo < 0), a share of them missing (pandas' nullable Int64)."""
    rng = np.random.default_rng(seed)
    df = random_frame(n, seed)
    k = pd.array(rng.choice(np.arange(lo, hi, step), n), dtype="Int64")
    k[rng.random(n) < missing] = pd.NA
    df["kd"] = k
    return df


@pytest.mark.parametrize("lo,hi,step,missing", [(0, 40, 3, 0.0), (-25, 25, 2, 0.0),
                                                (-1000, -900, 1, 0.1), (5, 6, 1, 0.2)])
@pytest.mark.parametrize("partitions", [1, 5])
def test_group_by_a_small_range_integer_key_matches_pandas(lo, hi, step, missing, partitions):
    """The dense path (key - min, no hashing): gaps, negative keys, missing keys."""
    df = dense_key_frame(3000, 71, lo, hi, step, missing)
    got = sheaf.from_pandas(df, partitions=partitions).group_by("kd").agg(SPEC, threads=2)
    want = pandas_agg(df, ["kd"], SPEC)
    assert_same(got.to_pandas(), want)


def test_group_by_a_key_range_too_wide_for_the_dense_path_matches_pandas():
    df = dense_key_frame(300, 72, -10**12, 10**12, 10**9)
    got = sheaf.from_pandas(df, partitions=3).group_by("kd").agg(SPEC, threads=2).to_pandas()
    assert_same(got, pandas_agg(df, ["kd"], SPEC))


def test_group_by_a_dense_key_is_identical_for_any_thread_count():
    df = dense_key_frame(50000, 73, -500, 500, 1, 0.05)
    f = sheaf.from_pandas(df, partitions=7)
    spec = {"x": ["mean", "std", "var", "sum", "count"], "y": ["std", "sum"]}
    ref = f.group_by("kd").agg(spec, threads=1).to_pandas()
    for threads in (2, 4):
        got = f.group_by("kd").agg(spec, threads=threads).to_pandas()
        pd.testing.assert_frame_equal(got, ref, check_exact=True)


def test_group_by_bad_input_names_the_column():
    f = sheaf.from_pandas(random_frame(20, 1))
    with pytest.raises(sheaf.SheafError, match="no column named 'nope'"):
        f.group_by("nope").agg({"x": "mean"})
    with pytest.raises(sheaf.SheafError, match="no column named 'zz'"):
        f.group_by("ki").agg({"zz": "mean"})
    with pytest.raises(sheaf.SheafError, match="cannot take the mean of string column 's'"):
        f.group_by("ki").agg({"s": "mean"})
    with pytest.raises(ValueError, match="unknown aggregation 'median'"):
        f.group_by("ki").agg({"x": "median"})


# ---- joins ---------------------------------------------------------------------


def merge_check(left, right, on, how, lp=3, rp=2):
    got = sheaf.from_pandas(left, partitions=lp).join(sheaf.from_pandas(right, partitions=rp),
                                                      on=on, how=how, threads=2).to_pandas()
    # pandas 1.5 lists an inner join's rows grouped by key; sheaf keeps left's
    # row order (pandas >= 2.2, and 1.5's own order for how='left'): compare
    # with pandas' rows stably reordered by left row.
    want = left.assign(_row=np.arange(len(left))).merge(right, on=on, how=how)
    want = want.sort_values("_row", kind="stable").drop(columns="_row")
    assert_same(got, want.reset_index(drop=True))


@pytest.mark.parametrize("how", ["inner", "left"])
@pytest.mark.parametrize("on", [["ki"], ["ks"], ["kf"], ["ki", "ks"]])
def test_join_matches_pandas_merge(how, on):
    left = random_frame(300, 21)
    right = random_frame(80, 22).rename(columns={"y": "z"})
    merge_check(left, right, on, how)


def test_join_with_many_partitions_and_strings_in_other_dictionaries():
    left = random_frame(40, 31, n_keys=30)
    right = random_frame(25, 32, n_keys=30)[["ks", "x", "s"]]
    for how in ("inner", "left"):
        merge_check(left, right, ["ks"], how, lp=64, rp=50)


def test_join_of_four_metric_tables_on_instance_and_timestamp():
    rng = np.random.default_rng(7)
    instances = ["i-%03d" % i for i in range(20)]
    times = pd.date_range("2024-03-01", periods=60, freq="15s")
    full = pd.DataFrame([(i, t) for i in instances for t in times], columns=["instance", "timestamp"])
    tables = []
    for metric in ("free", "total", "active", "cached"):
        part = full.sample(frac=0.9, random_state=int(rng.integers(1 << 30))).copy()
        part[metric] = rng.random(len(part)) * 1e9
        tables.append(part)
    want = tables[0]
    got = sheaf.from_pandas(tables[0], partitions=4)
    for t in tables[1:]:
        want = want.merge(t, on=["instance", "timestamp"], how="left")
        got = got.join(sheaf.from_pandas(t, partitions=3), on=["instance", "timestamp"],
                       how="left")
    assert_same(got.to_pandas(), want.reset_index(drop=True))


def test_join_keeps_the_key_time_layout_and_shares_left_columns():
    left = random_frame(100, 41)
    left["t"] = np.arange(len(left))
    right = pd.DataFrame({"ki": np.arange(7), "w": np.arange(7) * 1.5})
    f = sheaf.from_pandas(left, partitions=3, key="ki", time="t")
    got = f.join(sheaf.from_pandas(right), on=["ki"], how="left")
    assert got.partition_ranges() == f.partition_ranges()
    ordered = f.to_pandas()
    assert_same(got.to_pandas(), ordered.merge(right, on="ki", how="left"))


def test_join_bad_input():
    a = sheaf.from_pandas(pd.DataFrame({"k": [1, 2], "v": [1.0, 2.0]}))
    b = sheaf.from_pandas(pd.DataFrame({"k": [1.0, 2.0], "w": [1.0, 2.0]}))
    with pytest.raises(sheaf.SheafError,
                       match="key 'k' is int64 on the left but 'k' is float64 on the right"):
        a.join(b, on=["k"])
    with pytest.raises(sheaf.SheafError, match="no column named 'q'"):
        a.join(a, on=["q"])
    with pytest.raises(ValueError, match="how must be 'inner' or 'left'"):
        a.join(a, on=["k"], how="outer")


# ---- as-of join ------------------------------------------------------------------


@pytest.mark.parametrize("by", [None, ["ks"], ["ki", "ks"]])
def test_join_asof_matches_pandas_merge_asof_on_unsorted_input(by):
    rng = np.random.default_rng(51)
    left = random_frame(400, 52, n_keys=5)
    right = random_frame(150, 53, n_keys=5)[["ki", "ks", "x", "s"]].rename(columns={"x": "rx"})
    left["t"] = rng.integers(0, 100, len(left))
    right["t"] = rng.integers(0, 100, len(right))  # ties on t among right rows
    got = sheaf.from_pandas(left, partitions=5).join_asof(
        sheaf.from_pandas(right, partitions=3), on="t", by=by, threads=2).to_pandas()
    # pandas needs both sides sorted by t (stably, so ties keep right order)
    # and rejects missing by-values; compare in left's original order.
    ls = left.assign(_row=np.arange(len(left))).sort_values("t", kind="stable")
    rs = right.sort_values("t", kind="stable")
    if by:
        ls[by] = ls[by].fillna("<NA>") if by == ["ks"] else ls[by].fillna({"ks": "<NA>"})
        rs[by] = rs[by].fillna("<NA>") if by == ["ks"] else rs[by].fillna({"ks": "<NA>"})
    want = pd.merge_asof(ls, rs, on="t", by=by, direction="backward")
    want = want.sort_values("_row").drop(columns="_row").reset_index(drop=True)
    if by:
        for k in by:
            want[k] = left[k].to_numpy()
    want = want[list(got.columns)]
    assert_same(got, want)


def test_join_asof_with_float_time_missing_left_times_and_timestamps():
    left = pd.DataFrame({"t": [1.0, np.nan, 2.5, 0.5, 10.0], "a": [1, 2, 3, 4, 5]})
    right = pd.DataFrame({"t": [1.0, 2.5, 2.5, 9.0], "b": ["p", "q", "r", "s"]})
    got = sheaf.from_pandas(left).join_asof(sheaf.from_pandas(right), on="t").to_pandas()
    assert got["b"].tolist()[:1] == ["p"]
    assert [None if v != v else v for v in got["b"]] == ["p", None, "r", None, "s"]
    lt = pd.DataFrame({"ts": pd.to_datetime(["2024-01-01 00:00:05", "2024-01-01 00:00:01"]),
                       "v": [1, 2]})
    rt = pd.DataFrame({"ts": pd.to_datetime(["2024-01-01 00:00:02", "2024-01-01 00:00:04"]),
                       "w": [10.0, 20.0]})
    got = sheaf.from_pandas(lt).join_asof(sheaf.from_pandas(rt), on="ts").to_pandas()
    assert [None if v != v else v for v in got["w"]] == [20.0, None]


def test_join_asof_bad_input():
    a = sheaf.from_pandas(pd.DataFrame({"t": [1, 2], "k": ["a", "b"]}))
    b = sheaf.from_pandas(pd.DataFrame({"t": [1.0, 2.0], "k": ["a", "b"]}))
    with pytest.raises(sheaf.SheafError, match="on column 't' is int64 on the left but float64"):
        a.join_asof(b, on="t")
    with pytest.raises(sheaf.SheafError, match="on column 'k' is a string column"):
        a.join_asof(a, on="k")
    with pytest.raises(sheaf.SheafError, match="no column named 'zz'"):
        a.join_asof(a, on="t", by=["zz"])


# ---- drop_duplicates ---------------------------------------------------------------


@pytest.mark.parametrize("subset", [None, ["ki"], ["ks", "kf"], ["s"]])
@pytest.mark.parametrize("partitions", [1, 4, 64])
def test_drop_duplicates_matches_pandas(subset, partitions):
    df = random_frame(300, 61, n_keys=4)
    df["x"] = np.round(df["x"] / 10)  # make full-row duplicates likely
    df["y"] = df["y"] % 3
    got = sheaf.from_pandas(df, partitions=partitions).drop_duplicates(subset, threads=2)
    assert_same(got.to_pandas(), df.drop_duplicates(subset).reset_index(drop=True))


@pytest.mark.parametrize("partitions", [1, 4])
def test_drop_duplicates_on_a_small_range_integer_key_matches_pandas(partitions):
    df = dense_key_frame(2000, 74, -30, 30, 4, 0.05)
    got = sheaf.from_pandas(df, partitions=partitions).drop_duplicates(["kd"], threads=2)
    got, want = got.to_pandas(), df.drop_duplicates(["kd"]).reset_index(drop=True)
    assert want["kd"].isna().sum() == 1
    for frame in (got, want):  # the missing key as NaN, for assert_same
        frame["kd"] = frame["kd"].to_numpy(dtype=float, na_value=np.nan)
    assert_same(got, want)


def test_drop_duplicates_folds_negative_zero_and_reports_unknown_columns():
    df = pd.DataFrame({"a": [0.0, -0.0, np.nan, np.nan, 1.0]})
    got = sheaf.from_pandas(df, partitions=2).drop_duplicates().to_pandas()
    assert_same(got, df.drop_duplicates().reset_index(drop=True))
    with pytest.raises(sheaf.SheafError, match="no column named 'b'"):
        sheaf.from_pandas(df).drop_duplicates(["b"])
