"""sheaf.from_pandas: every pandas dtype a user brings comes back from
to_pandas with the same values and missing positions."""

import numpy as np
import pandas as pd
import pytest

import sheaf


def frame_of_every_kind():
    rng = np.random.default_rng(7)
    n = 257
    x = rng.normal(size=n)
    x[rng.random(n) < 0.1] = np.nan
    nullable = pd.array(rng.integers(-5, 5, n), dtype="Int64")
    nullable[rng.random(n) < 0.2] = pd.NA
    flags = pd.array(rng.random(n) < 0.5, dtype="boolean")
    flags[:3] = pd.NA
    words = pd.Series(rng.choice(["alpha", "beta", None, "gamma"], n), dtype=object)
    times = pd.Series(pd.date_range("2021-03-01", periods=n, freq="37min"))
    times[5] = pd.NaT
    return pd.DataFrame({
        "x": x,
        "i": rng.integers(-10**12, 10**12, n),
        "nullable": nullable,
        "flags": flags,
        "words": words,
        "category": pd.Categorical(rng.choice(["u", "v"], n)),
        "t": times,
        "tz": pd.Series(pd.date_range("2021-03-01", periods=n, freq="h", tz="Europe/Paris")),
    })


def test_from_pandas_round_trips_values_and_missing_positions():
    df = frame_of_every_kind()
    back = sheaf.from_pandas(df, partitions=3).to_pandas()
    assert list(back.columns) == list(df.columns)
    np.testing.assert_array_equal(back["x"].to_numpy(), df["x"].to_numpy())
    np.testing.assert_array_equal(back["i"].to_numpy(), df["i"].to_numpy())
    np.testing.assert_array_equal(back["nullable"].to_numpy(),
                                  df["nullable"].astype("float64").to_numpy())
    np.testing.assert_array_equal(back["flags"].to_numpy(),
                                  df["flags"].astype("float64").to_numpy())
    assert back["words"].isna().tolist() == df["words"].isna().tolist()
    assert back["words"].dropna().tolist() == df["words"].dropna().tolist()
    assert back["category"].tolist() == df["category"].astype(str).tolist()
    assert back["t"].isna().tolist() == df["t"].isna().tolist()
    assert (back["t"].dropna() == df["t"].dropna()).all()
    utc = df["tz"].dt.tz_convert("UTC").dt.tz_localize(None)
    assert (back["tz"] == utc).all()


def test_from_pandas_partitions_by_key_and_time():
    df = pd.DataFrame({"k": ["b", "a", "b", "a", "c"], "t": [3, 2, 1, 1, 0],
                       "v": [1.0, 2.0, 3.0, 4.0, 5.0]})
    frame = sheaf.from_pandas(df, partitions=2, key="k", time="t")
    expected = df.sort_values(["k", "t"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(frame.to_pandas(), expected)
    assert frame.num_partitions == 2


def test_from_pandas_rejects_a_missing_time_value():
    df = pd.DataFrame({"k": [1, 2], "t": [1.0, np.nan]})
    with pytest.raises(sheaf.SheafError, match="time column 't' has a missing value"):
        sheaf.from_pandas(df, key="k", time="t")
