"""sheaf's Spark-style feature assemblers against pandas, numpy and
scikit-learn on the same data: StringIndexer, OneHotEncoder, StandardScaler,
MinMaxScaler, Imputer, VectorAssembler and Pipeline."""

import numpy as np
import pandas as pd
import pytest

import sheaf

RTOL = 1e-12


def close(got, want):
    np.testing.assert_allclose(got, want, rtol=RTOL, atol=1e-14, equal_nan=True)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    n = 5000
    x = rng.normal(10, 4, n).round(2)
    x[rng.random(n) < 0.08] = np.nan
    k = pd.array(rng.integers(-50, 50, n), dtype="Int64")
    k[rng.random(n) < 0.05] = pd.NA
    cats = np.array(["beta", "alpha", "gamma", "delta", "eps", "zeta"])
    cat = cats[rng.choice(6, n, p=[0.3, 0.3, 0.2, 0.1, 0.05, 0.05])].astype(object)
    cat[rng.random(n) < 0.03] = None
    y = rng.normal(0, 1, n)
    return pd.DataFrame({"x": x, "k": k, "cat": cat, "y": y, "z": rng.uniform(-3, 7, n)})


@pytest.fixture(scope="module")
def frame(data):
    return sheaf.from_pandas(data, partitions=7)


def spark_label_order(series, order):
    counts = series.value_counts()
    if order == "frequencyDesc":
        return sorted(counts.index, key=lambda s: (-counts[s], s))
    if order == "frequencyAsc":
        return sorted(counts.index, key=lambda s: (counts[s], s))
    return sorted(counts.index, reverse=order == "alphabetDesc")


# ---- StringIndexer ----------------------------------------------------------

@pytest.mark.parametrize("order", ["frequencyDesc", "frequencyAsc", "alphabetAsc",
                                   "alphabetDesc"])
def test_string_indexer_orders_labels_as_spark(data, frame, order):
    model = sheaf.StringIndexer("cat", "cat_i", order=order, handle_invalid="keep").fit(frame)
    assert model.labels_ == spark_label_order(data["cat"], order)
    out = model.transform(frame).to_pandas()
    index = {label: i for i, label in enumerate(model.labels_)}
    want = data["cat"].map(lambda s: index.get(s, len(index)) if s is not None else len(index))
    np.testing.assert_array_equal(out["cat_i"].to_numpy(), want.to_numpy(dtype=float))
    assert out["cat_i"].dtype == np.float64


def test_string_indexer_breaks_frequency_ties_by_the_label():
    train = sheaf.from_pandas(pd.DataFrame({"s": ["b", "c", "a", "c", "b", "a", "d"]}))
    assert sheaf.StringIndexer("s", "i").fit(train).labels_ == ["a", "b", "c", "d"]
    assert sheaf.StringIndexer("s", "i", order="frequencyAsc").fit(train).labels_ == \
        ["d", "a", "b", "c"]


def test_string_indexer_transforms_a_frame_with_another_dictionary():
    train = sheaf.from_pandas(pd.DataFrame({"s": ["x", "y", "x", "z", "y", "x"]}), partitions=2)
    other = pd.DataFrame({"s": ["new", "z", None, "y", "x", "new", "z"], "v": np.arange(7.0)})
    test = sheaf.from_pandas(other, partitions=3)
    keep = sheaf.StringIndexer("s", "i", handle_invalid="keep").fit(train)
    assert keep.labels_ == ["x", "y", "z"]
    np.testing.assert_array_equal(keep.transform(test).to_numpy("i"), [3, 2, 3, 1, 0, 3, 2])

    skip = sheaf.StringIndexer("s", "i", handle_invalid="skip").fit(train)
    out = skip.transform(test).to_pandas()
    want = other[other["s"].isin(["x", "y", "z"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(out[["s", "v"]], want)
    np.testing.assert_array_equal(out["i"], [2, 1, 0, 2])

    error = sheaf.StringIndexer("s", "i").fit(train)
    with pytest.raises(sheaf.SheafError, match="column 's' has the unseen label 'new' at row 0"):
        error.transform(test)
    gap = sheaf.from_pandas(pd.DataFrame({"s": ["x", None]}))
    with pytest.raises(sheaf.SheafError, match="column 's' has a missing value at row 1"):
        error.transform(gap)


def test_string_indexer_rejects_bad_input(frame):
    with pytest.raises(sheaf.SheafError, match="no column named 'nope'"):
        sheaf.StringIndexer("nope", "o").fit(frame)
    with pytest.raises(sheaf.SheafError, match="column 'x' is float64, not string"):
        sheaf.StringIndexer("x", "o").fit(frame)
    with pytest.raises(ValueError, match="order must be one of"):
        sheaf.StringIndexer("cat", "o", order="byLength").fit(frame)
    with pytest.raises(ValueError, match="not fitted"):
        sheaf.StringIndexer("cat", "o").transform(frame)


# ---- OneHotEncoder ----------------------------------------------------------

@pytest.mark.parametrize("drop_last", [False, True])
def test_one_hot_encoder_matches_get_dummies(data, frame, drop_last):
    indexed = sheaf.StringIndexer("cat", "ci", handle_invalid="skip").fit_transform(frame)
    model = sheaf.OneHotEncoder("ci", output_prefix="oh", drop_last=drop_last).fit(indexed)
    assert model.n_categories_ == 6
    out = model.transform(indexed).to_pandas()
    dummies = pd.get_dummies(out["ci"].astype(int), prefix="oh", prefix_sep="_").astype(float)
    if drop_last:
        dummies = dummies.iloc[:, :-1]
    got = out[[c for c in out.columns if c.startswith("oh_")]]
    assert list(got.columns) == list(dummies.columns)
    np.testing.assert_array_equal(got.to_numpy(), dummies.to_numpy())


def test_one_hot_encoder_keep_adds_a_category_for_invalid_indices():
    train = sheaf.from_pandas(pd.DataFrame({"c": [0, 2, 1, 2]}))
    test = sheaf.from_pandas(pd.DataFrame({"c": [2.0, np.nan, -1.0, 1.0, 0.5, 9.0, 0.0]}),
                             partitions=3)
    out = sheaf.OneHotEncoder("c", drop_last=False, handle_invalid="keep").fit(train) \
        .transform(test).to_pandas()
    assert list(out.columns) == ["c", "c_0", "c_1", "c_2", "c_3"]
    want = pd.get_dummies(pd.Series([2, 3, 3, 1, 3, 3, 0]), prefix="c").astype(float)
    np.testing.assert_array_equal(out[want.columns].to_numpy(), want.to_numpy())
    bad = sheaf.from_pandas(pd.DataFrame({"c": [0, 1, 2, 1, 0, 9]}), partitions=2)
    with pytest.raises(sheaf.SheafError, match="column 'c' has 9 at row 5, not a category"):
        sheaf.OneHotEncoder("c").fit(train).transform(bad)
    with pytest.raises(sheaf.SheafError, match="column 'c' has a missing value at row 1"):
        sheaf.OneHotEncoder("c").fit(test)
    with pytest.raises(sheaf.SheafError, match="column 'c' has -1 at row 2, not a category"):
        sheaf.OneHotEncoder("c", handle_invalid="keep").fit(test)


# ---- StandardScaler and MinMaxScaler -----------------------------------------

@pytest.mark.parametrize("with_mean,with_std", [(False, True), (True, True), (True, False)])
def test_standard_scaler_matches_pandas_formulas(data, frame, with_mean, with_std):
    cols = ["x", "k", "z"]
    model = sheaf.StandardScaler(cols, with_mean=with_mean, with_std=with_std).fit(frame)
    ref = data[cols].astype(float)
    close(model.mean_, ref.mean().to_numpy())
    close(model.std_, ref.std(ddof=1).to_numpy())
    out = model.transform(frame).to_pandas()
    want = ref.copy()
    if with_mean:
        want = want - ref.mean()
    if with_std:
        want = want / ref.std(ddof=1)
    for c in cols:
        assert out[c].dtype == np.float64
        close(out[c].to_numpy(), want[c].to_numpy())
        np.testing.assert_array_equal(out[c].isna(), data[c].isna())
    pd.testing.assert_series_equal(out["cat"], data["cat"].fillna(np.nan).astype(object))


def test_standard_scaler_maps_a_zero_std_column_to_zero():
    f = sheaf.from_pandas(pd.DataFrame({"c": [3.0, 3.0, np.nan, 3.0]}))
    out = sheaf.StandardScaler(["c"], with_mean=True).fit_transform(f).to_numpy("c")
    np.testing.assert_array_equal(out, [0.0, 0.0, np.nan, 0.0])


def test_min_max_scaler_matches_sklearn(data, frame):
    from sklearn.preprocessing import MinMaxScaler as SkMinMax

    cols = ["x", "k", "z"]
    model = sheaf.MinMaxScaler(cols, min=-2.0, max=5.0).fit(frame)
    ref = data[cols].astype(float)
    np.testing.assert_array_equal(model.min_, ref.min().to_numpy())
    np.testing.assert_array_equal(model.max_, ref.max().to_numpy())
    want = SkMinMax(feature_range=(-2.0, 5.0)).fit_transform(ref.to_numpy())
    out = model.transform(frame).to_pandas()
    close(out[cols].to_numpy(), want)


def test_min_max_scaler_maps_a_constant_column_to_the_middle_and_checks_the_range():
    f = sheaf.from_pandas(pd.DataFrame({"c": [4, 4, 4]}))
    out = sheaf.MinMaxScaler(["c"], min=1.0, max=2.0).fit_transform(f).to_numpy("c")
    np.testing.assert_array_equal(out, [1.5, 1.5, 1.5])
    with pytest.raises(sheaf.SheafError, match="min .2. must be below max .1."):
        sheaf.MinMaxScaler(["c"], min=2.0, max=1.0).fit(f)


def test_scalers_reject_unknown_and_string_columns(frame):
    with pytest.raises(sheaf.SheafError, match="no column named 'nope'"):
        sheaf.StandardScaler(["x", "nope"]).fit(frame)
    with pytest.raises(sheaf.SheafError, match="column 'cat' is string, not numeric"):
        sheaf.MinMaxScaler("cat").fit(frame)


# ---- Imputer ----------------------------------------------------------------

def pandas_fill(series, strategy):
    if strategy == "mean":
        return series.mean()
    if strategy == "median":
        return series.median()
    return series.mode().iloc[0]


@pytest.mark.parametrize("strategy", ["mean", "median", "mode"])
def test_imputer_matches_pandas(data, frame, strategy):
    cols = ["x", "k"]
    model = sheaf.Imputer(cols, strategy=strategy).fit(frame)
    want = [pandas_fill(data[c].astype(float), strategy) for c in cols]
    close(model.surrogates_, want)
    out = model.transform(frame).to_pandas()
    for c, v in zip(cols, want):
        close(out[c].to_numpy(dtype=float), data[c].astype(float).fillna(v).to_numpy())
    assert out["x"].dtype == np.float64
    assert out["k"].dtype == (np.int64 if strategy == "mode" else np.float64)


@pytest.mark.parametrize("partitions", [1, 2, 5, 64])
def test_imputer_median_is_exact_for_even_counts_and_any_partitioning(partitions):
    values = np.array([8, 3, np.nan, 1, 6, 2, 7, 5, np.nan, 4, 4, 1e300, -np.inf, 2.5])
    f = sheaf.from_pandas(pd.DataFrame({"v": values}), partitions=partitions)
    assert sheaf.Imputer("v", "median").fit(f).surrogates_[0] == pd.Series(values).median()
    assert sheaf.Imputer("v", "mode").fit(f).surrogates_[0] == pd.Series(values).mode()[0]


def test_imputer_rejects_all_missing_and_string_columns(frame):
    f = sheaf.from_pandas(pd.DataFrame({"gap": [np.nan, np.nan], "s": ["a", "b"]}))
    with pytest.raises(sheaf.SheafError, match="column 'gap' has no present value"):
        sheaf.Imputer("gap", "median").fit(f)
    with pytest.raises(sheaf.SheafError, match="column 's' is string"):
        sheaf.Imputer("s").fit(f)
    with pytest.raises(ValueError, match="strategy must be one of"):
        sheaf.Imputer("x", "most_common").fit(frame)


# ---- VectorAssembler --------------------------------------------------------

def test_vector_assembler_matches_to_numpy_with_keep(data, frame):
    design = sheaf.VectorAssembler(["z", "x", "k"], label="y", handle_invalid="keep") \
        .transform(frame)
    assert design.feature_names == ["z", "x", "k"]
    assert design.num_partitions == 7 and design.num_rows == len(data)
    x, y = design.to_numpy()
    np.testing.assert_array_equal(x, data[["z", "x", "k"]].astype(float).to_numpy())
    np.testing.assert_array_equal(y, data["y"].to_numpy())
    stacked = np.vstack([design.block(p)[0] for p in range(design.num_partitions)])
    np.testing.assert_array_equal(stacked, x)


def test_vector_assembler_skip_drops_rows_like_dropna(data, frame):
    design = sheaf.VectorAssembler(["x", "k"], label="z", handle_invalid="skip").transform(frame)
    kept = data.dropna(subset=["x", "k"])
    x, y = design.to_numpy()
    np.testing.assert_array_equal(x, kept[["x", "k"]].astype(float).to_numpy())
    np.testing.assert_array_equal(y, kept["z"].to_numpy())
    no_label = sheaf.VectorAssembler(["z"]).transform(frame)
    assert no_label.to_numpy()[1] is None


def test_vector_assembler_error_names_the_column_and_row(data, frame):
    first = int(np.flatnonzero(data["x"].isna())[0])
    with pytest.raises(sheaf.SheafError,
                       match="feature column 'x' has a missing value at row %d" % first):
        sheaf.VectorAssembler(["z", "x"]).transform(frame)
    with pytest.raises(sheaf.SheafError, match="column 'cat' is string, not numeric"):
        sheaf.VectorAssembler(["x", "cat"]).transform(frame)
    with pytest.raises(sheaf.SheafError, match="no column named 'nope'"):
        sheaf.VectorAssembler(["nope"]).transform(frame)


def test_vector_assembler_is_the_same_for_any_thread_count(frame):
    a = sheaf.VectorAssembler(["x", "k", "z"], "y", "skip").transform(frame, threads=1)
    b = sheaf.VectorAssembler(["x", "k", "z"], "y", "skip").transform(frame, threads=4)
    for u, v in zip(a.to_numpy(), b.to_numpy()):
        assert u.tobytes() == v.tobytes()


# ---- fits are bit-identical across thread counts -----------------------------

def test_fits_are_bit_identical_for_any_thread_count(frame):
    for threads in (2, 3, 4):
        for make in (lambda: sheaf.StandardScaler(["x", "k", "z"], with_mean=True),
                     lambda: sheaf.Imputer(["x", "k"], "median")):
            one, many = make().fit(frame, threads=1), make().fit(frame, threads=threads)
            for name in ("mean_", "std_", "surrogates_"):
                if hasattr(one, name):
                    assert getattr(one, name).tobytes() == getattr(many, name).tobytes()


# ---- Pipeline ---------------------------------------------------------------

def test_pipeline_trains_on_one_frame_and_transforms_another(data):
    train_df, test_df = data.iloc[:3000].reset_index(drop=True), \
        data.iloc[3000:].reset_index(drop=True)
    train = sheaf.from_pandas(train_df, partitions=4)
    test = sheaf.from_pandas(test_df, partitions=3)
    pipe = sheaf.Pipeline([
        sheaf.StringIndexer("cat", "ci", handle_invalid="keep"),
        sheaf.OneHotEncoder("ci", output_prefix="cat"),
        sheaf.Imputer(["x", "k"], strategy="median"),
        sheaf.StandardScaler(["x", "k", "z"], with_mean=True),
        sheaf.VectorAssembler(["x", "k", "z", "cat_0", "cat_1"], label="y"),
    ]).fit(train)
    x, y = pipe.transform(test).to_numpy()

    labels = spark_label_order(train_df["cat"], "frequencyDesc")
    ci = test_df["cat"].map(lambda s: labels.index(s) if s in labels else len(labels))
    ref = test_df[["x", "k", "z"]].astype(float)
    for c in ("x", "k"):
        ref[c] = ref[c].fillna(train_df[c].astype(float).median())
    filled_train = train_df[["x", "k", "z"]].astype(float)
    for c in ("x", "k"):
        filled_train[c] = filled_train[c].fillna(train_df[c].astype(float).median())
    ref = (ref - filled_train.mean()) / filled_train.std(ddof=1)
    close(x[:, :3], ref.to_numpy())
    np.testing.assert_array_equal(x[:, 3], (ci == 0).astype(float))
    np.testing.assert_array_equal(x[:, 4], (ci == 1).astype(float))
    np.testing.assert_array_equal(y, test_df["y"].to_numpy())

    bare = sheaf.from_pandas(pd.DataFrame({"cat": ["beta"]}))
    with pytest.raises(sheaf.SheafError, match="stage 2: .*no column named 'x'"):
        pipe.transform(bare)
    with pytest.raises(ValueError, match="only be the last stage"):
        sheaf.Pipeline([sheaf.VectorAssembler(["x"]), sheaf.Imputer("x")])
