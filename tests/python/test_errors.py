"""Failures raise sheaf.SheafError subclasses carrying the C message."""

import ctypes

import numpy as np
import pytest

import sheaf
from sheaf import _lib


def write(tmp_path, text, name="bad.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_missing_file_is_an_os_error_naming_the_path(tmp_path):
    path = tmp_path / "does_not_exist.csv"
    with pytest.raises(sheaf.SheafError) as info:
        sheaf.read_csv(path)
    error = info.value
    assert isinstance(error, OSError) and isinstance(error, sheaf.SheafIOError)
    assert error.status == "SHEAF_ERR_IO"
    assert "does_not_exist.csv" in str(error)
    assert str(error).startswith("sheaf_csv_read")


def test_ragged_row_is_a_value_error_naming_file_and_line(tmp_path):
    path = write(tmp_path, "a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n")
    with pytest.raises(sheaf.SheafError) as info:
        sheaf.read_csv(path)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.status == "SHEAF_ERR_FORMAT"
    assert "bad.csv:3" in str(error)


def test_unterminated_quote_is_a_value_error(tmp_path):
    path = write(tmp_path, 'a,b\n1,"open\n2,3\n')
    with pytest.raises(sheaf.SheafValueError) as info:
        sheaf.read_csv(path)
    assert info.value.status == "SHEAF_ERR_FORMAT"
    assert "bad.csv" in str(info.value) and "quote" in str(info.value).lower()


def test_text_in_a_numeric_column_under_a_schema_names_the_value(tmp_path):
    path = write(tmp_path, "x,y\n1.5,a\n2.5,b\nabc,c\n")
    with pytest.raises(sheaf.SheafValueError) as info:
        sheaf.read_csv(path, schema={"x": "float64"})
    message = str(info.value)
    assert info.value.status == "SHEAF_ERR_FORMAT"
    assert "bad.csv:4" in message and "abc" in message


def test_bad_thread_count_is_a_value_error(tmp_path):
    path = write(tmp_path, "a\n1\n")
    with pytest.raises(ValueError, match="threads"):
        sheaf.read_csv(path, threads=-1)


def test_unknown_column_names_it():
    frame = sheaf.Frame.from_columns({"a": [1.0]})
    with pytest.raises(sheaf.SheafValueError, match="zz"):
        frame.to_numpy("zz")


def test_class_hierarchy():
    assert issubclass(sheaf.SheafValueError, (sheaf.SheafError, ValueError))
    assert issubclass(sheaf.SheafMemoryError, MemoryError)
    assert issubclass(sheaf.SheafIOError, OSError)
    assert issubclass(sheaf.SheafError, Exception)


def test_out_of_memory_is_a_memory_error():
    _lib.lib.sheaf_debug_fail_allocation(1)
    try:
        with pytest.raises(sheaf.SheafMemoryError) as info:
            sheaf.Frame()
    finally:
        _lib.lib.sheaf_debug_fail_allocation(0)
    assert info.value.status == "SHEAF_ERR_NOMEM"
    assert "out of memory" in str(info.value)


def test_wrong_dtype_at_the_c_boundary_is_a_type_error():
    frame = sheaf.Frame()
    with pytest.raises(TypeError, match="int64"):
        _lib.lib.sheaf_frame_add_int64(frame._ptr, b"x", np.arange(3, dtype=np.int32), None, 3)
    with pytest.raises(TypeError):
        _lib.lib.sheaf_frame_add_float64(frame._ptr, b"x", [1.0, 2.0], None, 2)
    assert frame.columns == []


def test_library_version_matches_the_package():
    assert _lib.cdll.sheaf_version().decode() == sheaf.__version__ == "0.1.0"
    assert isinstance(_lib.cdll, ctypes.CDLL) and not isinstance(_lib.cdll, ctypes.PyDLL)


@pytest.mark.parametrize("threads", [1, 2])
def test_errors_deep_in_a_parallel_read_name_the_right_line(tmp_path, threads):
    n = 300_000  # several chunks; the bad row sits in a late one
    bad_line = 250_001  # the header is line 1
    with open(tmp_path / "deep.csv", "w") as f:
        f.write("a,b,c\n")
        for i in range(n):
            f.write("%d,%d.25,x%d\n" % (i, i, i % 7) if i != bad_line - 2 else "1,2\n")
    with pytest.raises(sheaf.SheafValueError) as info:
        sheaf.read_csv(tmp_path / "deep.csv", threads=threads)
    assert "deep.csv:%d" % bad_line in str(info.value)
