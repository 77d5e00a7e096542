"""Row cleaning and column expressions (sheaf_clean.h) against pandas/numpy on the same
data: values and missing positions exactly, floating results to 1e-12 relative."""

import numpy as np
import pandas as pd
import pytest

import sheaf

N = 5000


def make_df(n=N, seed=7):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n) * 10
    x[rng.random(n) < 0.1] = np.nan
    y = rng.uniform(-5, 5, n)
    y[rng.random(n) < 0.1] = np.nan
    k = pd.array(rng.integers(-50, 50, n), dtype="Int64")
    k[rng.random(n) < 0.1] = pd.NA
    i = rng.integers(-1000, 1000, n)
    s = np.array(rng.choice(["a", "b", "c", "dd"], n), dtype=object)
    s[rng.random(n) < 0.1] = None
    t = pd.Series(pd.to_datetime(rng.integers(-2 * 10**18, 4 * 10**18, n)))
    t[rng.random(n) < 0.1] = pd.NaT
    return pd.DataFrame({"x": x, "y": y, "k": k, "i": i, "s": s, "t": t})


@pytest.fixture(scope="module")
def df():
    return make_df()


@pytest.fixture(scope="module")
def frame(df):
    return sheaf.from_pandas(df, partitions=7)


def assert_column(got, want):
    """got: numpy array from sheaf; want: pandas Series or array. Missing positions equal,
    present values equal (floats to 1e-12 relative)."""
    want = pd.Series(want).reset_index(drop=True)
    got = pd.Series(got)
    assert len(got) == len(want)
    got_na, want_na = got.isna().to_numpy(), want.isna().to_numpy()
    np.testing.assert_array_equal(got_na, want_na)
    g, w = got[~got_na].to_numpy(), want[~want_na].to_numpy()
    if g.dtype.kind == "f" or w.dtype.kind == "f":
        np.testing.assert_allclose(g.astype(float), w.astype(float), rtol=1e-12, atol=0)
    else:
        np.testing.assert_array_equal(g, w)


def assert_frame(got_frame, want_df):
    assert got_frame.columns == list(want_df.columns)
    for name in want_df.columns:
        assert_column(got_frame.to_numpy(name), want_df[name])


# ---- dropna ----------------------------------------------------------------------------


@pytest.mark.parametrize("subset", [None, ["x"], ["k"], ["s"], ["t"], ["x", "s"], "y"])
def test_dropna_matches_pandas(frame, df, subset, ):
    got = frame.dropna(subset=subset)
    want = df.dropna(subset=[subset] if isinstance(subset, str) else subset)
    assert_frame(got, want)
    assert got.num_partitions == frame.num_partitions
    assert got.num_rows == len(want)


def test_dropna_keeps_partition_order_and_counts(frame, df):
    got = frame.dropna(subset=["x"])
    ranges = got.partition_ranges()
    kept = (~df["x"].isna()).to_numpy()
    for (b0, e0), (b1, e1) in zip(frame.partition_ranges(), ranges):
        assert e1 - b1 == kept[b0:e0].sum()
    assert ranges[-1][1] == got.num_rows


def test_dropna_is_identical_for_any_thread_count(frame):
    a = frame.dropna(threads=1).to_numpy("x")
    b = frame.dropna(threads=4).to_numpy("x")
    assert a.tobytes() == b.tobytes()


def test_dropna_on_frame_without_missing_values_keeps_every_row():
    f = sheaf.from_pandas(pd.DataFrame({"a": [1, 2, 3]}))
    assert f.dropna().to_numpy("a").tolist() == [1, 2, 3]


def test_dropna_unknown_column_names_it(frame):
    with pytest.raises(sheaf.SheafError, match="sheaf_frame_drop_missing: no column named 'nope'"):
        frame.dropna(subset=["x", "nope"])


# ---- fillna ------------------------------------------------------------------------------


def test_fillna_scalar_number_fills_numeric_columns(frame, df):
    got = frame.fillna(0)
    want = df.copy()
    for c in ["x", "y", "k"]:
        want[c] = want[c].fillna(0)
    assert_frame(got, want)
    assert got.dtypes["k"] == "int64"


def test_fillna_scalar_string_fills_string_columns(frame, df):
    got = frame.fillna("zz")
    want = df.copy()
    want["s"] = want["s"].fillna("zz")
    assert_frame(got, want)


def test_fillna_dict_per_column(frame, df):
    got = frame.fillna({"x": -1.25, "s": "a", "k": 7})
    want = df.fillna({"x": -1.25, "s": "a", "k": 7})
    assert_frame(got, want)


def test_fillna_non_integral_value_on_int_column_gives_float_like_pandas(frame, df):
    got = frame.fillna({"k": 0.5})
    want = df["k"].astype("float64").fillna(0.5)
    assert got.dtypes["k"] == "float64"
    assert_column(got.to_numpy("k"), want)


def test_fillna_columns_limits_the_fill(frame, df):
    got = frame.fillna(3.0, columns=["y"])
    want = df.copy()
    want["y"] = want["y"].fillna(3.0)
    assert_frame(got, want)


def test_fillna_needs_value_or_method(frame):
    with pytest.raises(ValueError, match="value or a method"):
        frame.fillna()
    with pytest.raises(ValueError, match="not both"):
        frame.fillna(0, method="ffill")


def test_fillna_type_mismatch_names_column_and_type(frame):
    with pytest.raises(sheaf.SheafError, match="column 's' is string"):
        frame.fillna({"s": 1.0})
    with pytest.raises(sheaf.SheafError, match="column 'x' is float64"):
        frame.fillna({"x": "text"})
    with pytest.raises(sheaf.SheafError, match="column 't' is timestamp"):
        frame.fillna({"t": 0})


# ---- with_column -------------------------------------------------------------------------


def _f(df, c):
    return df[c].astype("float64").to_numpy()


EXPRESSIONS = [
    ("x + y", lambda d: _f(d, "x") + _f(d, "y")),
    ("x - 2.5 * y", lambda d: _f(d, "x") - 2.5 * _f(d, "y")),
    ("x / y", lambda d: _f(d, "x") / _f(d, "y")),
    ("x % y", lambda d: np.remainder(_f(d, "x"), _f(d, "y"))),
    ("y ** 2 - -x", lambda d: _f(d, "y") ** 2 + _f(d, "x")),
    ("-2 ** 2 + x", lambda d: -4 + _f(d, "x")),
    ("2 ** 3 ** 2", lambda d: np.full(len(d), 512.0)),
    ("log(x) + exp(y / 10)", lambda d: np.log(_f(d, "x")) + np.exp(_f(d, "y") / 10)),
    ("sqrt(abs(x)) * k", lambda d: np.sqrt(np.abs(_f(d, "x"))) * _f(d, "k")),
    ("sqrt(x)", lambda d: np.sqrt(_f(d, "x"))),
    ("floor(x) + ceil(y)", lambda d: np.floor(_f(d, "x")) + np.ceil(_f(d, "y"))),
    ("round(x)", lambda d: np.round(_f(d, "x"))),
    ("round(x, 2)", lambda d: np.round(_f(d, "x"), 2)),
    ("round(x * 1000, -2)", lambda d: np.round(_f(d, "x") * 1000, -2)),
    ("if(x > 0, x, y)", lambda d: np.where(_f(d, "x") > 0, _f(d, "x"), _f(d, "y"))),
    ("where(k >= 0, k, 0)", lambda d: d["k"].where(~(d["k"] < 0), 0)),
    ("if(x, 1.5, 2)", lambda d: np.where(_f(d, "x").astype(bool), 1.5, 2.0)),
    ("x > y", lambda d: (d["x"] > d["y"]).astype("int64")),
    ("x != y", lambda d: (d["x"] != d["y"]).astype("int64")),
    ("k == i", lambda d: (d["k"].astype("float64") == d["i"]).astype("int64")),
    ("k != 3", lambda d: (d["k"].astype("float64") != 3).astype("int64")),
    ("k <= 3", lambda d: (d["k"].astype("float64") <= 3).astype("int64")),
    ("x > 0 and y < 0 or not i > 10",
     lambda d: (((d["x"] > 0) & (d["y"] < 0)) | ~(d["i"] > 10)).astype("int64")),
    ("isnull(x) + notnull(s) * 2", lambda d: d["x"].isna() * 1.0 + d["s"].notna() * 2.0),
    ("isnull(t)", lambda d: d["t"].isna().astype("int64")),
    ("isnull(k)", lambda d: d["k"].isna().astype("int64")),
    ("int(x * 3)", lambda d: pd.Series(np.trunc(_f(d, "x") * 3)).astype("Int64")),
    ("float(i) / 7", lambda d: d["i"] / 7),
    ("i", lambda d: d["i"]),
    ("k", lambda d: d["k"]),
    ("year(t)", lambda d: d["t"].dt.year),
    ("month(t) * 100 + day(t)", lambda d: d["t"].dt.month * 100.0 + d["t"].dt.day),
    ("dayofweek(t)", lambda d: d["t"].dt.dayofweek),
    ("hour(t) * 60 + minute(t)", lambda d: d["t"].dt.hour * 60.0 + d["t"].dt.minute),
    ("`x` + `y`", lambda d: _f(d, "x") + _f(d, "y")),
    ("1e-3 * .5 + 2.", lambda d: np.full(len(d), 1e-3 * 0.5 + 2.0)),
]


@pytest.mark.parametrize("expr,reference", EXPRESSIONS, ids=[e for e, _ in EXPRESSIONS])
def test_with_column_matches_numpy(frame, df, expr, reference):
    with np.errstate(all="ignore"):
        want = reference(df)
    got = frame.with_column("out", expr)
    assert got.columns == list(df.columns) + ["out"]
    assert_column(got.to_numpy("out"), want)


@pytest.mark.parametrize("expr,dtype", [("x + 1", "float64"), ("k + 1", "float64"),
                                        ("x > 1", "int64"), ("year(t)", "int64"),
                                        ("int(x)", "int64"), ("if(x > 0, 1, 0)", "int64"),
                                        ("if(x > 0, 1, 0.5)", "float64"), ("t", "timestamp"),
                                        ("k", "int64"), ("3", "int64")])
def test_with_column_result_types(frame, expr, dtype):
    assert frame.with_column("out", expr).dtypes["out"] == dtype


def test_with_column_replaces_in_place_keeping_order(frame, df):
    got = frame.with_column("y", "y * 2")
    assert got.columns == list(df.columns)
    assert_column(got.to_numpy("y"), df["y"] * 2)
    assert_column(got.to_numpy("x"), df["x"])


def test_with_column_calendar_parts_of_second_timestamps():
    t = np.array(["1969-12-31T23:59:59", "2000-02-29T12:34:56", "NaT", "2024-01-01"],
                 dtype="datetime64[s]")
    f = sheaf.Frame.from_columns({"t": t})
    assert f.dtypes["t"] == "timestamp[s]"
    s = pd.Series(t.astype("datetime64[ns]"))
    for part in ["year", "month", "day", "dayofweek", "hour", "minute"]:
        assert_column(f.with_column("p", "%s(t)" % part).to_numpy("p"), getattr(s.dt, part))


def test_with_column_is_identical_for_any_thread_count(frame):
    expr = "log(abs(x)) * y + if(k > 0, sqrt(abs(k)), year(t))"
    a = frame.with_column("z", expr, threads=1).to_numpy("z")
    b = frame.with_column("z", expr, threads=4).to_numpy("z")
    assert a.tobytes() == b.tobytes()


def test_with_column_int_keeps_exact_large_integers():
    big = np.array([2**62 + 1, -(2**62) - 3], dtype=np.int64)
    f = sheaf.Frame.from_columns({"a": big})
    got = f.with_column("b", "if(a > 0, a, 0)").to_numpy("b")
    assert got.tolist() == [2**62 + 1, 0]


def test_with_column_if_carries_missing_values_of_the_chosen_int_branch():
    f = sheaf.from_pandas(pd.DataFrame({"k": pd.array([5, None, -3, None], dtype="Int64"),
                                        "c": [1, 1, 0, 0]}), partitions=2)
    got = f.with_column("z", "if(c, k, 7)")
    assert got.dtypes["z"] == "int64"
    assert_column(got.to_numpy("z"), pd.Series([5, None, 7, 7], dtype="Int64"))


def test_with_column_on_empty_partitions():
    f = sheaf.from_pandas(pd.DataFrame({"x": [1.0, 2.0]}), partitions=5)
    assert f.with_column("y", "x * 2").to_numpy("y").tolist() == [2.0, 4.0]


ERRORS = [
    ("log(x) + * y", "expression 'log(x) + * y' at column 10: unexpected '*'"),
    ("x +", "at column 4: unexpected end of expression"),
    ("", "at column 1: unexpected end of expression"),
    ("(x + y", "at column 7: unexpected end of expression"),
    ("x y", "at column 3: unexpected 'y'"),
    ("x $ y", "at column 3: unexpected '$'"),
    ("x < y < 1", "at column 7: unexpected '<'"),
    ("nope + 1", "at column 1: no column named 'nope'"),
    ("`no such` + 1", "at column 1: no column named 'no such'"),
    ("`x + 1", "at column 1: unterminated `name`"),
    ("foo(x)", "at column 1: unknown function 'foo'"),
    ("log(x, y)", "at column 1: log takes 1 argument, got 2"),
    ("if(x, y)", "at column 1: if takes 3 arguments, got 2"),
    ("round(x, 1, 2)", "at column 1: round takes 1 or 2 arguments, got 3"),
    ("round(x, y)", "round's digits must be an integer literal"),
    ("s + 1", "at column 1: column 's' is string and cannot be used in arithmetic"),
    ("x > s", "at column 5: column 's' is string and cannot be used in a comparison"),
    ("s", "column 's' is string"),
    ("t * 2", "at column 1: column 't' is timestamp and cannot be used in arithmetic"),
    ("year(x)", "at column 6: year() needs a timestamp column; 'x' is float64"),
    ("(" * 65 + "x" + ")" * 65, "at column 65: nesting deeper than 64 levels"),
    ("-" * 100 + "x", "nesting deeper than 64 levels"),
    ("log(" * 80 + "x" + ")" * 80, "nesting deeper than 64 levels"),
    ("x" + " + x" * 300, "expression deeper than 256 levels"),
]


@pytest.mark.parametrize("expr,message", ERRORS, ids=[m for _, m in ERRORS])
def test_with_column_errors_name_position_and_token(frame, expr, message):
    with pytest.raises(sheaf.SheafValueError) as e:
        frame.with_column("out", expr)
    assert str(e.value).startswith("sheaf_frame_with_column: expression '")
    assert message in str(e.value)


def test_with_column_long_flat_sum_within_limits(frame, df):
    got = frame.with_column("z", " + ".join(["x"] * 200)).to_numpy("z")
    want = np.zeros(len(df))
    for _ in range(200):
        want = want + _f(df, "x")
    assert_column(got, want)


# ---- cast ------------------------------------------------------------------------------


def test_cast_float_to_int_truncates_and_missing_stays(frame, df):
    got = frame.cast("x", "int64")
    assert got.dtypes["x"] == "int64"
    assert_column(got.to_numpy("x"), pd.Series(np.trunc(df["x"])).astype("Int64"))


def test_cast_int_to_float_and_back(frame, df):
    got = frame.cast("i", float, name="f")
    assert got.dtypes["f"] == "float64"
    assert_column(got.to_numpy("f"), df["i"].astype("float64"))
    assert_column(got.cast("f", "int64").to_numpy("f"), df["i"])


def test_cast_out_of_range_float_to_int_is_missing():
    f = sheaf.Frame.from_columns({"a": np.array([1e19, -1e19, np.inf, 2.9, -2.9, np.nan])})
    got = f.cast("a", "int64").to_numpy("a")
    assert_column(got, pd.Series([None, None, None, 2, -2, None], dtype="Int64"))


def test_cast_numbers_to_string_match_astype_str():
    values = np.array([1.5, 0.1, 1e16, 1e-05, -0.0, 1e15, 123456789.123, 1 / 3, 2.0**-30,
                       -1e300, np.inf, 5e-324, 0.0001, 12345678901234567.0])
    f = sheaf.Frame.from_columns({"a": values, "b": np.arange(len(values)) * -12345})
    got = f.cast("a", "str")
    assert got.to_numpy("a").tolist() == pd.Series(values).astype(str).tolist()
    assert got.cast("b", str).to_numpy("b").tolist() == \
        pd.Series(np.arange(len(values)) * -12345).astype(str).tolist()


def test_cast_random_floats_to_string_round_trip_like_repr():
    rng = np.random.default_rng(3)
    values = rng.standard_normal(3000) * 10.0 ** rng.integers(-20, 20, 3000)
    f = sheaf.Frame.from_columns({"a": values}).partition(4)
    assert f.cast("a", "str", threads=3).to_numpy("a").tolist() == [repr(v) for v in values]


@pytest.mark.parametrize("times", [
    ["2020-01-01", "2021-12-31", None],
    ["2020-01-01", "2021-03-04 05:06:07", None],
    ["2020-01-01", "2021-03-04 05:06:07.5"],
    ["1960-01-01 00:00:00.000001", "2021-03-04"],
    ["1900-01-01 00:00:00.000000001", "2021-03-04"],
])
def test_cast_timestamps_to_string_match_astype_str(times):
    s = pd.Series(pd.to_datetime(times))
    got = sheaf.from_pandas(pd.DataFrame({"t": s}), partitions=2).cast("t", "str")
    want = s.astype(str).where(s.notna(), None)
    assert got.to_numpy("t").tolist() == want.tolist()


def test_cast_strings_to_numbers_like_to_numeric_coerce():
    text = ["1", "x", " 2 ", "1.5", None, "1e3", "NA", "-7", "inf", "", "2.0", "1e30"]
    f = sheaf.from_pandas(pd.DataFrame({"s": text}), partitions=3)
    want = pd.to_numeric(pd.Series(text), errors="coerce")
    assert_column(f.cast("s", "float64").to_numpy("s"), want)
    ints = f.cast("s", "int64")
    assert ints.dtypes["s"] == "int64"
    assert_column(ints.to_numpy("s"),
                  pd.Series([1, None, 2, None, None, 1000, None, -7, None, None, 2, None],
                            dtype="Int64"))


def test_cast_between_timestamps_and_int(frame, df):
    raw = frame.cast("t", "int64")
    assert_column(raw.to_numpy("t"), pd.Series(df["t"].values.view("int64")).where(df["t"].notna()))
    back = raw.cast("t", "timestamp")
    assert_column(back.to_numpy("t"), df["t"])
    parsed = sheaf.from_pandas(pd.DataFrame({"s": ["2020-01-02 03:04:05", "bad", None]}))
    assert_column(parsed.cast("s", "timestamp").to_numpy("s"),
                  pd.to_datetime(pd.Series(["2020-01-02 03:04:05", None, None])))


def test_cast_errors(frame):
    with pytest.raises(sheaf.SheafError, match="cannot cast column 'x' from float64 to timestamp"):
        frame.cast("x", "timestamp")
    with pytest.raises(sheaf.SheafError, match="no column named 'nope'"):
        frame.cast("nope", "int64")
    with pytest.raises(ValueError, match="unknown dtype"):
        frame.cast("x", "complex")


# ---- select and to_numpy --------------------------------------------------------------


def test_select_shares_columns_in_the_given_order(frame, df):
    got = frame.select(["s", "x"])
    assert got.columns == ["s", "x"]
    assert_frame(got, df[["s", "x"]])
    with pytest.raises(sheaf.SheafError, match="column 'x' is selected twice"):
        frame.select(["x", "x"])


def test_to_numpy_of_a_list_is_a_float_matrix(frame, df):
    m = frame.to_numpy(["x", "k", "i"])
    assert m.shape == (len(df), 3) and m.dtype == np.float64
    np.testing.assert_array_equal(m, df[["x", "k", "i"]].astype("float64").to_numpy())
    with pytest.raises(TypeError, match="column 's' is string"):
        frame.to_numpy(["x", "s"])
