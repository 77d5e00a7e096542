"""read_csv's partitions / key / time options and Frame.partition."""

import numpy as np
import pandas as pd
import pytest

import sheaf


@pytest.fixture(scope="module")
def panel_csv(tmp_path_factory):
    """20 keys x 50 times, rows shuffled, ties in time inside some keys."""
    rng = np.random.default_rng(7)
    keys = np.repeat(["k%02d" % i for i in range(20)], 50)
    times = np.tile(np.arange(50), 20) // np.where(np.repeat(np.arange(20), 50) % 3 == 0, 2, 1)
    order = rng.permutation(len(keys))
    df = pd.DataFrame({"id": np.arange(len(keys)), "key": keys[order],
                       "t": times[order], "x": rng.standard_normal(len(keys))})
    path = tmp_path_factory.mktemp("panel") / "panel.csv"
    df.to_csv(path, index=False)
    return path, df


def assert_tiles(frame):
    ranges = frame.partition_ranges()
    assert len(ranges) == frame.num_partitions
    assert ranges[0][0] == 0 and ranges[-1][1] == frame.num_rows
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:]))
    return ranges


def partition_of_each_row(frame):
    owner = np.empty(frame.num_rows, dtype=np.int64)
    for p, (begin, end) in enumerate(frame.partition_ranges()):
        owner[begin:end] = p
    return owner


def test_partitions_gives_near_equal_contiguous_ranges(panel_csv):
    path, df = panel_csv
    frame = sheaf.read_csv(path, partitions=7)
    assert frame.num_partitions == 7
    sizes = [end - begin for begin, end in assert_tiles(frame)]
    assert max(sizes) - min(sizes) <= 1
    np.testing.assert_array_equal(frame.to_numpy("id"), df["id"])  # order kept


def test_key_and_time_put_every_key_in_one_partition_sorted_by_time(panel_csv):
    path, df = panel_csv
    frame = sheaf.read_csv(path, key="key", time="t", partitions=4)
    assert frame.num_partitions == 4  # min(partitions, 20 distinct keys)
    assert all(end > begin for begin, end in assert_tiles(frame))
    got = frame.to_pandas().assign(part=partition_of_each_row(frame))
    assert got.groupby("key")["part"].nunique().max() == 1
    # Rows are df stably sorted by (key by content, time).
    expected = df.sort_values(["key", "t"], kind="stable")
    np.testing.assert_array_equal(got["id"], expected["id"])


def test_key_list_is_accepted(panel_csv):
    path, _ = panel_csv
    frame = sheaf.read_csv(path, key=["key"], time="t", partitions=3)
    assert frame.num_partitions == 3


def test_more_partitions_than_keys_gives_one_partition_per_key(panel_csv):
    path, _ = panel_csv
    frame = sheaf.read_csv(path, key="key", time="t", partitions=50)
    assert frame.num_partitions == 20
    assert [end - begin for begin, end in frame.partition_ranges()] == [50] * 20


def test_key_without_time_hashes_keys_and_keeps_row_order(panel_csv):
    path, df = panel_csv
    frame = sheaf.read_csv(path, key="key", partitions=5)
    assert frame.num_partitions == 5
    assert_tiles(frame)
    got = frame.to_pandas().assign(part=partition_of_each_row(frame))
    assert got.groupby("key")["part"].nunique().max() == 1
    for _, rows in got.groupby("part"):
        assert rows["id"].is_monotonic_increasing
    assert sorted(got["id"]) == sorted(df["id"])


def test_hash_partitioning_is_the_same_for_any_thread_count(panel_csv):
    path, _ = panel_csv
    one = sheaf.read_csv(path, key="key", partitions=5, threads=1)
    two = sheaf.read_csv(path, key="key", partitions=5, threads=2)
    assert one.partition_ranges() == two.partition_ranges()
    np.testing.assert_array_equal(one.to_numpy("id"), two.to_numpy("id"))


def test_frame_partition_leaves_the_input_unchanged():
    frame = sheaf.Frame.from_columns({"k": ["b", "a", "b", "a"], "t": [3, 2, 1, 0],
                                      "v": [0.0, 1.0, 2.0, 3.0]})
    parted = frame.partition(key="k", time="t", partitions=2)
    assert frame.num_partitions == 1
    assert frame.to_numpy("v").tolist() == [0.0, 1.0, 2.0, 3.0]
    got = parted.to_pandas()
    for _, rows in got.groupby("k"):
        assert rows["t"].is_monotonic_increasing


def test_unknown_key_column_is_a_value_error(panel_csv):
    path, _ = panel_csv
    with pytest.raises(sheaf.SheafError) as info:
        sheaf.read_csv(path, key="nope", time="t")
    assert isinstance(info.value, ValueError)
    assert "nope" in str(info.value)
