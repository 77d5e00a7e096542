"""sheaf.Frame: zero-copy numpy views, their lifetime, and conversions."""

import gc

import numpy as np
import pandas as pd
import pytest

import sheaf


def small_csv(tmp_path):
    path = tmp_path / "small.csv"
    path.write_text("f,i,j,s,t\n"
                    "1.5,1,10,a,2020-01-01\n"
                    "2.5,2,,b,\n"
                    ",3,30,,2020-01-03 12:00:00\n")
    return path


def test_shape_columns_and_dtypes(tmp_path):
    frame = sheaf.read_csv(small_csv(tmp_path), partitions=2)
    assert frame.num_rows == len(frame) == 3
    assert frame.columns == ["f", "i", "j", "s", "t"]
    assert frame.dtypes == {"f": "float64", "i": "int64", "j": "int64", "s": "string",
                            "t": "timestamp"}
    assert frame.num_partitions == 2
    assert frame.missing("j") == 1 and frame.missing("i") == 0
    assert "3 rows" in repr(frame)


def test_float_and_int_columns_are_read_only_views_of_c_memory(tmp_path):
    frame = sheaf.read_csv(small_csv(tmp_path))
    for name in ("f", "i"):
        a, b = frame.to_numpy(name), frame.to_numpy(name)
        assert not a.flags.owndata and not a.flags.writeable
        assert np.shares_memory(a, b)
        with pytest.raises(ValueError):
            a[0] = 0


def test_views_outlive_the_frame_object(tmp_path):
    frame = sheaf.read_csv(small_csv(tmp_path))
    f, i = frame.to_numpy("f"), frame.to_numpy("i")
    del frame
    gc.collect()
    _churn = [np.ones(1000) for _ in range(100)]  # reuse freed memory if any was freed
    np.testing.assert_array_equal(f, [1.5, 2.5, np.nan])
    np.testing.assert_array_equal(i, [1, 2, 3])
    del _churn


def test_views_outlive_close_and_with_blocks(tmp_path):
    with sheaf.read_csv(small_csv(tmp_path)) as frame:
        f = frame.to_numpy("f")
    with pytest.raises(ValueError, match="closed"):
        frame.to_numpy("f")
    assert f[1] == 2.5


def test_int_with_missing_becomes_float_nan_copy(tmp_path):
    j = sheaf.read_csv(small_csv(tmp_path)).to_numpy("j")
    assert j.dtype == np.float64 and j.flags.owndata
    np.testing.assert_array_equal(j, [10.0, np.nan, 30.0])


def test_strings_are_objects_with_none_for_missing(tmp_path):
    s = sheaf.read_csv(small_csv(tmp_path)).to_numpy("s")
    assert s.dtype == object and s.tolist() == ["a", "b", None]


def test_timestamps_are_datetime64_ns_with_nat(tmp_path):
    t = sheaf.read_csv(small_csv(tmp_path)).to_numpy("t")
    assert t.dtype == np.dtype("datetime64[ns]")
    np.testing.assert_array_equal(
        t, np.array(["2020-01-01", "NaT", "2020-01-03T12:00:00"], "datetime64[ns]"))


def test_to_pandas_dtypes_match_read_csv(tmp_path):
    path = small_csv(tmp_path)
    ours = sheaf.read_csv(path).to_pandas()
    theirs = pd.read_csv(path, parse_dates=["t"])
    assert ours.dtypes.to_dict() == theirs.dtypes.to_dict()
    pd.testing.assert_frame_equal(ours, theirs, check_exact=True)


def test_from_columns_round_trips():
    data = {"f": np.array([0.5, np.nan]), "i": np.array([1, 2]), "s": ["x", None],
            "t": np.array(["2021-01-01", "NaT"], "datetime64[s]")}
    frame = sheaf.Frame.from_columns(data)
    assert frame.dtypes == {"f": "float64", "i": "int64", "s": "string",
                            "t": "timestamp[s]"}
    np.testing.assert_array_equal(frame.to_numpy("f"), data["f"])
    np.testing.assert_array_equal(frame.to_numpy("i"), data["i"])
    assert frame.to_numpy("s").tolist() == ["x", None]
    np.testing.assert_array_equal(frame.to_numpy("t"), data["t"])


def test_empty_frame():
    frame = sheaf.Frame()
    assert frame.num_rows == 0 and frame.columns == [] and frame.partition_ranges() == [(0, 0)]
    assert frame.to_pandas().shape == (0, 0)


def test_header_only_file_gives_zero_rows(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("a,b\n")
    frame = sheaf.read_csv(path)
    assert frame.num_rows == 0 and frame.columns == ["a", "b"]
    assert frame.to_numpy("a").shape == (0,)
