"""sheaf.read_csv against pandas.read_csv on the same files: values, dtypes
and missing markers must agree exactly (floats bit for bit with pandas'
float_precision="round_trip", which is correctly rounded)."""

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

import sheaf


def write(tmp_path, text, name="data.csv", newline="\n", bom=False):
    path = tmp_path / name
    data = text.replace("\n", newline).encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def assert_same_bits(a, b):
    """Float arrays equal bit for bit (so -0.0 != 0.0), NaN where NaN."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    assert a.shape == b.shape
    nan = np.isnan(a)
    np.testing.assert_array_equal(nan, np.isnan(b))
    np.testing.assert_array_equal(a[~nan].view(np.int64), b[~nan].view(np.int64))


def assert_matches_pandas(path, parse_dates=False, **kwargs):
    ours = sheaf.read_csv(path, **kwargs).to_pandas()
    theirs = pd.read_csv(path, float_precision="round_trip", parse_dates=parse_dates)
    pdt.assert_frame_equal(ours, theirs, check_exact=True)
    for name in theirs.columns:
        if theirs[name].dtype == np.float64:
            assert_same_bits(ours[name], theirs[name])
    return ours


def test_mixed_int_float_string_columns(tmp_path):
    path = write(tmp_path, "i,f,s,m\n1,1.5,abc,1\n-2,2,de f,2.5\n30,-0.25,g,-3\n")
    ours = assert_matches_pandas(path)
    assert sheaf.read_csv(path).dtypes == {"i": "int64", "f": "float64", "s": "string",
                                           "m": "float64"}
    assert list(ours.dtypes.astype(str)) == ["int64", "float64", "object", "float64"]


@pytest.mark.parametrize("marker", ["", "NA", "NaN", "null"])
def test_missing_markers_in_every_column_type(tmp_path, marker):
    text = "i,f,s\n1,1.5,a\n{0},{0},{0}\n3,{0},c\n".format(marker)
    path = write(tmp_path, text)
    ours = assert_matches_pandas(path)
    assert ours["i"].dtype == np.float64  # int with missing -> float64, as pandas
    assert sheaf.read_csv(path).to_numpy("s").tolist() == ["a", None, "c"]


@pytest.mark.parametrize("marker", sorted(pd._libs.parsers.STR_NA_VALUES - {""}))
def test_every_pandas_missing_marker_in_a_float_column(tmp_path, marker):
    path = write(tmp_path, "x,y\n1.5,1\n%s,2\n2.5,3\n" % marker)
    assert_matches_pandas(path)


def test_column_with_only_missing_values_reads_as_float_nan(tmp_path):
    path = write(tmp_path, "a,b\n1,\n2,NA\n3,\n")
    assert_matches_pandas(path)


def test_quoted_fields_with_delimiters_quotes_and_newlines(tmp_path):
    text = ('id,text,x\n'
            '1,"a,b",1.5\n'
            '2,"he said ""hi""",2.5\n'
            '3,"two\nlines",3.5\n'
            '4,"",4.5\n'
            '5,plain,5.5\n')
    path = write(tmp_path, text)
    assert_matches_pandas(path)
    strings = sheaf.read_csv(path).to_numpy("text").tolist()
    assert strings[:3] == ["a,b", 'he said "hi"', "two\nlines"]


def test_crlf_line_endings(tmp_path):
    path = write(tmp_path, "a,b,c\n1,2.5,x\n3,4.5,y\n", newline="\r\n")
    ours = assert_matches_pandas(path)
    assert ours["c"].tolist() == ["x", "y"]


def test_utf8_byte_order_mark_and_utf8_text(tmp_path):
    path = write(tmp_path, "name,value\nzürich,1\n東京,2\n", bom=True)
    frame = sheaf.read_csv(path)
    assert frame.columns == ["name", "value"]
    assert_matches_pandas(path)


def test_blank_lines_are_skipped(tmp_path):
    path = write(tmp_path, "a,b\n1,2\n\n3,4\n\n")
    assert_matches_pandas(path)


def test_date_and_datetime_columns_match_parse_dates(tmp_path):
    text = ("d,dt,x\n"
            "2021-01-05,2021-01-05 10:30:00,1\n"
            "1999-12-31,1999-12-31T23:59:59,2\n"
            ",2000-02-29 00:00:01,3\n"
            "1970-01-01,1969-12-31 23:59:59,4\n")
    path = write(tmp_path, text)
    frame = sheaf.read_csv(path)
    assert frame.dtypes["d"] == "timestamp" and frame.dtypes["dt"] == "timestamp"
    assert_matches_pandas(path, parse_dates=["d", "dt"])
    d = frame.to_numpy("d")
    assert d.dtype == np.dtype("datetime64[ns]") and np.isnat(d[2])


def test_timestamp_in_seconds_by_schema(tmp_path):
    path = write(tmp_path, "t,x\n2021-01-05 10:30:00,1\n2021-01-06 00:00:00,2\n")
    frame = sheaf.read_csv(path, schema={"t": "timestamp[s]"})
    assert frame.dtypes["t"] == "timestamp[s]"
    t = frame.to_numpy("t")
    assert t.dtype == np.dtype("datetime64[s]")
    assert t.tolist() == list(np.array(["2021-01-05T10:30:00", "2021-01-06"], "datetime64[s]"))
    assert frame.to_pandas()["t"].dtype == np.dtype("datetime64[ns]")


HARD_DECIMALS = [
    "0.1", "0.3", "1e-300", "1E5", "-0.0", "0.0", ".5", "5.", "+3.5",
    "2.2250738585072011e-308",  # the strtod that hung PHP and Java
    "2.2250738585072012e-308",
    "4.9e-324", "2.4703282292062328e-324", "2.4703282292062327e-324",
    "1.7976931348623157e308", "1.7976931348623158e+308",
    "9007199254740993.0",  # 2^53 + 1: ties to even
    "9007199254740995.0",
    "7.038531e-26", "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203124",
    "1.00000000000000011102230246251565404236316680908203126",
    "123456789012345678901234567890e-10", "0.000000000000000000000000000001234567890123",
    "3.141592653589793238462643383279", "8.988465674311579e307",
    "6.02214076e23", "-1.602176634e-19", "1e22", "1e23",
]


def test_scientific_notation_and_hard_to_round_decimals_match_bit_for_bit(tmp_path):
    text = "x,label\n" + "".join("%s,r%d\n" % (v, i) for i, v in enumerate(HARD_DECIMALS))
    path = write(tmp_path, text)
    ours = assert_matches_pandas(path)
    assert_same_bits(ours["x"], [float(v) for v in HARD_DECIMALS])


def test_schema_forces_types(tmp_path):
    path = write(tmp_path, "a,b,c\n1,2,3\n4,5,6\n")
    frame = sheaf.read_csv(path, schema={"a": "float64", "b": np.dtype("O"), "c": "int64"})
    assert frame.dtypes == {"a": "float64", "b": "string", "c": "int64"}
    assert frame.to_numpy("a").tolist() == [1.0, 4.0]
    assert frame.to_numpy("b").tolist() == ["2", "5"]


def test_schema_accepts_numpy_and_pandas_dtype_names(tmp_path):
    path = write(tmp_path, "a,b,c\n1,2,2020-01-01\n")
    frame = sheaf.read_csv(path, schema={"a": np.float64, "b": "str",
                                         "c": "datetime64[ns]"})
    assert frame.dtypes == {"a": "float64", "b": "string", "c": "timestamp"}


def test_unknown_schema_type_is_a_value_error(tmp_path):
    path = write(tmp_path, "a\n1\n")
    with pytest.raises(ValueError, match="complex128"):
        sheaf.read_csv(path, schema={"a": "complex128"})


def test_path_like_objects_are_accepted(tmp_path):
    path = write(tmp_path, "a\n1\n")
    assert sheaf.read_csv(path).num_rows == 1
    assert sheaf.read_csv(str(path)).num_rows == 1


def test_large_random_file_matches_pandas(big_csv):
    assert_matches_pandas(big_csv, threads=2)


def test_one_and_two_threads_give_identical_bits(big_csv):
    one = sheaf.read_csv(big_csv, threads=1)
    two = sheaf.read_csv(big_csv, threads=2)
    assert one.columns == two.columns and one.dtypes == two.dtypes
    for name in one.columns:
        a, b = one.to_numpy(name), two.to_numpy(name)
        if a.dtype == np.float64:
            assert_same_bits(a, b)
        else:
            np.testing.assert_array_equal(a, b)


def test_quoted_newlines_across_parallel_chunk_boundaries(tmp_path):
    """Chunk splitting must not cut inside a quoted field: many rows hold
    quoted newlines, delimiters and doubled quotes."""
    rng = np.random.default_rng(11)
    pieces = np.array(['"x\ny"', '"a,b"', '"q""q"', "plain", '"\n"', '""', '"line\n,\n"'])
    picks = rng.integers(0, len(pieces), size=250_000)  # ~4 MB: several 1 MiB chunks
    with open(tmp_path / "quoted.csv", "w") as f:
        f.write("id,text,v\n")
        for i, k in enumerate(picks.tolist()):
            f.write("%d,%s,%d.5\n" % (i, pieces[k], i))
    path = tmp_path / "quoted.csv"
    for threads in (1, 2):
        assert_matches_pandas(path, threads=threads)
