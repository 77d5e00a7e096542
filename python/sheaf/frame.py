"""sheaf.Frame: a columnar table owned by the C library, with numpy views of
its columns and a pandas conversion that gives pandas.read_csv's dtypes."""

import ctypes
from ctypes import POINTER, c_char_p, c_double, c_int32, c_int64, c_size_t, c_void_p

import numpy as np

from . import _lib
from .clean import CleanMethods
from .errors import check
from .group import GroupMethods
from .window import WindowMethods

_TYPE_NAMES = {_lib.TYPE_FLOAT64: "float64", _lib.TYPE_INT64: "int64",
               _lib.TYPE_STRING: "string"}
_UNIT_NAMES = {_lib.TIME_NS: "ns", _lib.TIME_S: "s"}


class Context:
    """A sheaf_ctx for the duration of one call (`with Context(threads) as ctx`).
    threads None or 0 means all cores."""

    def __init__(self, threads=None):
        self.threads = 0 if threads is None else int(threads)
        self.ptr = None

    def __enter__(self):
        ptr = c_void_p()
        check(_lib.lib.sheaf_ctx_create(ctypes.byref(ptr)))
        self.ptr = ptr
        if self.threads:
            status = _lib.lib.sheaf_ctx_set_threads(ptr, self.threads)
            if status != _lib.OK:
                # Read the message before freeing anything.
                try:
                    check(status)
                finally:
                    _lib.lib.sheaf_ctx_free(ptr)
                    self.ptr = None
        return ptr

    def __exit__(self, *exc):
        _lib.lib.sheaf_ctx_free(self.ptr)
        self.ptr = None
        return False


# Frames and the numpy views of their columns all hold the handle, so the C
# memory lives until the last of them is gone.
_Handle = _lib.owner(_lib.lib.sheaf_frame_free, "sheaf_frame *")


class _Memory:
    """The numpy base object of a zero-copy column view: read-only, and keeps
    the frame's memory alive through the handle."""

    def __init__(self, handle, address, n_rows, typestr):
        self._handle = handle
        self.__array_interface__ = {"version": 3, "shape": (n_rows,), "typestr": typestr,
                                    "data": (address, True)}


def _view(handle, pointer, n_rows, dtype):
    dtype = np.dtype(dtype)
    address = ctypes.cast(pointer, c_void_p).value
    if n_rows == 0 or not address:
        out = np.empty(0, dtype)
        out.flags.writeable = False
        return out
    return np.asarray(_Memory(handle, address, n_rows, dtype.str))


def _names_array(names):
    encoded = [n.encode("utf-8") for n in names]
    return (c_char_p * len(encoded))(*encoded), len(encoded)


class Frame(CleanMethods, GroupMethods, WindowMethods):
    """Named, typed, equally long columns plus a partition table (partition p
    holds rows partition_ranges()[p]). Made by sheaf.read_csv, Frame.from_columns
    or Frame.partition; immutable. close() (or leaving a `with` block) drops
    this object's hold on the C memory; arrays from to_numpy keep it alive."""

    def __init__(self, _handle=None):
        if _handle is None:
            ptr = c_void_p()
            check(_lib.lib.sheaf_frame_create(ctypes.byref(ptr)))
            _handle = _Handle(ptr)
        self._h = _handle

    # ---- lifetime -------------------------------------------------------
    def close(self):
        self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    @property
    def _ptr(self):
        if self._h is None:
            raise ValueError("sheaf.Frame: the frame is closed")
        return self._h.ptr

    # ---- shape and schema -----------------------------------------------
    @property
    def num_rows(self):
        return _lib.lib.sheaf_frame_num_rows(self._ptr)

    def __len__(self):
        return self.num_rows

    @property
    def num_partitions(self):
        return _lib.lib.sheaf_frame_num_partitions(self._ptr)

    @property
    def columns(self):
        ptr = self._ptr
        n = _lib.lib.sheaf_frame_num_columns(ptr)
        return [_lib.lib.sheaf_frame_column_name(ptr, i).decode("utf-8") for i in range(n)]

    def _type_name(self, i):
        t = _lib.lib.sheaf_frame_column_type(self._ptr, i)
        if t == _lib.TYPE_TIMESTAMP:
            unit = _lib.lib.sheaf_frame_column_time_unit(self._ptr, i)
            return "timestamp" if unit == _lib.TIME_NS else "timestamp[s]"
        return _TYPE_NAMES[t]

    @property
    def dtypes(self):
        """{column: 'float64' | 'int64' | 'string' | 'timestamp' | 'timestamp[s]'}
        - the same names read_csv's schema takes."""
        return {name: self._type_name(i) for i, name in enumerate(self.columns)}

    def partition_ranges(self):
        """[(begin, end), ...]: the rows of each partition, in order."""
        ptr, begin, end = self._ptr, c_size_t(), c_size_t()
        out = []
        for p in range(_lib.lib.sheaf_frame_num_partitions(ptr)):
            check(_lib.lib.sheaf_frame_partition_range(ptr, p, ctypes.byref(begin),
                                                       ctypes.byref(end)))
            out.append((begin.value, end.value))
        return out

    def missing(self, column):
        """Number of missing values in a column."""
        return _lib.lib.sheaf_frame_column_missing(self._ptr, self._index(column))

    def _index(self, column):
        index = c_size_t()
        check(_lib.lib.sheaf_frame_column_index(self._ptr, str(column).encode("utf-8"),
                                                ctypes.byref(index)))
        return index.value

    def __repr__(self):
        if self._h is None:
            return "<sheaf.Frame closed>"
        return "<sheaf.Frame %d rows x %d columns, %d partitions>" % (
            self.num_rows, len(self.columns), self.num_partitions)

    # ---- columns out ----------------------------------------------------
    def _invalid(self, i, n_rows):
        """Boolean mask of missing rows (a copy), or None if none is missing."""
        valid = _lib.lib.sheaf_frame_column_validity(self._ptr, i)
        if not valid:
            return None
        return np.ctypeslib.as_array(valid, (n_rows,)) == 0

    def to_numpy(self, column, _missing_string=None):
        """One column as a numpy array, or, for a list of columns, a 2-D float64
        array of n_rows x len(columns) (a copy): int64 converted, missing values
        NaN; string and timestamp columns are a TypeError (cast them first).

        One column: float64, and int64/timestamp columns without missing values, are
        read-only views of the C memory (no copy); the view keeps the memory
        alive after the Frame is closed or collected. int64 with missing
        values becomes a float64 copy with NaN (pandas' convention); timestamp
        becomes datetime64[ns] or [s] with NaT at missing rows; string becomes
        an object array of str with None at missing rows."""
        if isinstance(column, (list, tuple)):
            return self._to_matrix(column)
        h, i = self._h, self._index(column)
        ptr, n = h.ptr, _lib.lib.sheaf_frame_num_rows(h.ptr)
        t = _lib.lib.sheaf_frame_column_type(ptr, i)
        if t == _lib.TYPE_FLOAT64:
            values = POINTER(c_double)()
            check(_lib.lib.sheaf_frame_column_float64(ptr, i, ctypes.byref(values)))
            return _view(h, values, n, np.float64)
        if t in (_lib.TYPE_INT64, _lib.TYPE_TIMESTAMP):
            values = POINTER(c_int64)()
            check(_lib.lib.sheaf_frame_column_int64(ptr, i, ctypes.byref(values)))
            if t == _lib.TYPE_INT64:
                dtype, fill = np.dtype(np.int64), np.nan
            else:
                unit = _UNIT_NAMES[_lib.lib.sheaf_frame_column_time_unit(ptr, i)]
                dtype, fill = np.dtype("datetime64[%s]" % unit), np.datetime64("NaT")
            out = _view(h, values, n, dtype)
            invalid = self._invalid(i, n)
            if invalid is not None:
                out = out.astype(np.float64 if t == _lib.TYPE_INT64 else dtype)
                out[invalid] = fill
            return out
        if t == _lib.TYPE_STRING:
            codes, dict_size = POINTER(c_int32)(), c_size_t()
            check(_lib.lib.sheaf_frame_column_codes(ptr, i, ctypes.byref(codes),
                                                    ctypes.byref(dict_size)))
            # Index with code + 1 so that code -1 (missing) picks None.
            table = np.empty(dict_size.value + 1, dtype=object)
            table[0] = _missing_string
            for code in range(dict_size.value):
                table[code + 1] = _lib.lib.sheaf_frame_dict_value(ptr, i, code).decode("utf-8")
            return table[_view(h, codes, n, np.int32).astype(np.intp) + 1]
        raise TypeError("sheaf.Frame.to_numpy: column %r has unknown type %d" % (column, t))

    def _to_matrix(self, columns):
        """to_numpy for a list of columns: numeric columns side by side."""
        ptr = self._ptr
        out = np.empty((self.num_rows, len(columns)), dtype=np.float64)
        for k, name in enumerate(columns):
            t = _lib.lib.sheaf_frame_column_type(ptr, self._index(name))
            if t not in (_lib.TYPE_FLOAT64, _lib.TYPE_INT64):
                raise TypeError("sheaf.Frame.to_numpy: column %r is %s; a matrix takes "
                                "float64 and int64 columns only (cast it first)"
                                % (name, self._type_name(self._index(name))))
            out[:, k] = self.to_numpy(name)
        return out

    def to_pandas(self):
        """A pandas.DataFrame with the dtypes and missing markers pandas.read_csv
        gives: int64 (float64 with NaN if values are missing), float64, object
        (str, NaN for missing), datetime64[ns] (NaT for missing)."""
        import pandas as pd

        data = {}
        for name in self.columns:
            values = self.to_numpy(name, _missing_string=np.nan)
            if values.dtype.kind == "M" and values.dtype != np.dtype("datetime64[ns]"):
                values = values.astype("datetime64[ns]")
            data[name] = values
        return pd.DataFrame(data, columns=list(data), copy=True)

    # ---- columns in -----------------------------------------------------
    @classmethod
    def from_columns(cls, columns):
        """A one-partition frame from {name: array-like}, copying the data:
        float -> float64 (NaN missing), integer/bool -> int64, datetime64 ->
        timestamp (s stays s, anything else becomes ns; NaT missing), anything
        else -> string (None or NaN missing)."""
        frame = cls()
        ptr = frame._ptr
        for name, values in columns.items():
            key = str(name).encode("utf-8")
            if _is_pandas_nullable(values):  # Int64, boolean, Float64, string, category
                _add_pandas_nullable(ptr, key, values)
                continue
            a = np.asarray(values)
            n = a.shape[0] if a.ndim else 0
            if a.ndim != 1:
                raise ValueError("sheaf.Frame.from_columns: column %r is not 1-D" % name)
            if a.dtype.kind == "f":
                status = _lib.lib.sheaf_frame_add_float64(
                    ptr, key, np.ascontiguousarray(a, np.float64), None, n)
            elif a.dtype.kind in "iub":
                status = _lib.lib.sheaf_frame_add_int64(
                    ptr, key, np.ascontiguousarray(a, np.int64), None, n)
            elif a.dtype.kind == "M":
                unit = "s" if a.dtype == np.dtype("datetime64[s]") else "ns"
                a = a.astype("datetime64[%s]" % unit)
                nat = np.isnat(a)
                valid = (~nat).astype(np.uint8) if nat.any() else None
                raw = np.ascontiguousarray(a.view(np.int64))
                if valid is not None:
                    raw = np.where(nat, 0, raw)
                status = _lib.lib.sheaf_frame_add_timestamp(
                    ptr, key, raw, valid, n, _lib.TIME_S if unit == "s" else _lib.TIME_NS)
            else:
                cells = [None if v is None or (isinstance(v, float) and v != v)
                         else str(v).encode("utf-8") for v in a.tolist()]
                status = _lib.lib.sheaf_frame_add_string(ptr, key, (c_char_p * n)(*cells), n)
            check(status)
        return frame

    @classmethod
    def from_pandas(cls, df, partitions=None, key=None, time=None, threads=None):
        """A frame from a pandas.DataFrame (copying), partitioned as
        Frame.partition says: numpy dtypes as from_columns; pandas' nullable
        Int/boolean become int64 and Float float64 with their NA missing;
        category and string become string; tz-aware datetimes become UTC
        timestamps. The index is dropped."""
        columns = {}
        for name in df.columns:
            series = df[name]
            if hasattr(series.dtype, "tz") and series.dtype.tz is not None:
                series = series.dt.tz_convert("UTC").dt.tz_localize(None)
            columns[name] = series
        frame = cls.from_columns(columns)
        if partitions is None and key is None and time is None:
            return frame.partition(threads=threads)
        return frame.partition(partitions, key, time, threads)

    # ---- partitioning ---------------------------------------------------
    def partition(self, partitions=None, key=None, time=None, threads=None):
        """A new, repartitioned frame (this one is unchanged).

        key and time: rows sorted by (key, time), cut at key boundaries, every
        key in one partition (sheaf_frame_partition_by_key_time).
        key only: rows hashed by key value (sheaf_frame_partition_hash).
        neither: contiguous near-equal row ranges (sheaf_frame_partition_rows).
        key is a column name or a list of them; partitions None means the
        context default (4 x threads)."""
        n = 0 if partitions is None else int(partitions)
        keys = [key] if isinstance(key, str) else list(key or [])
        out = c_void_p()
        with Context(threads) as ctx:
            if time is not None:
                names, n_keys = _names_array(keys)
                status = _lib.lib.sheaf_frame_partition_by_key_time(
                    ctx, self._ptr, names, n_keys, str(time).encode("utf-8"), n,
                    ctypes.byref(out))
            elif keys:
                names, n_keys = _names_array(keys)
                status = _lib.lib.sheaf_frame_partition_hash(ctx, self._ptr, names, n_keys, n,
                                                             ctypes.byref(out))
            else:
                status = _lib.lib.sheaf_frame_partition_rows(ctx, self._ptr, n,
                                                             ctypes.byref(out))
            check(status)
        return Frame(_Handle(out))


def _is_pandas_nullable(values):
    dtype = getattr(values, "dtype", None)
    return dtype is not None and not isinstance(dtype, np.dtype) and \
        getattr(dtype, "kind", "O") in "iufbO" and hasattr(values, "isna")


def _add_pandas_nullable(ptr, key, series):
    """pandas extension arrays: values plus their NA mask, without object
    round trips for the numeric kinds."""
    missing = np.asarray(series.isna(), dtype=bool)
    valid = (~missing).astype(np.uint8) if missing.any() else None
    kind = series.dtype.kind
    n = len(series)
    if kind in "iub":
        raw = np.asarray(series.to_numpy(dtype=np.int64, na_value=0))
        check(_lib.lib.sheaf_frame_add_int64(ptr, key, np.ascontiguousarray(raw), valid, n))
    elif kind == "f":
        raw = np.asarray(series.astype("float64").to_numpy(na_value=np.nan), dtype=np.float64)
        check(_lib.lib.sheaf_frame_add_float64(ptr, key, np.ascontiguousarray(raw), valid, n))
    else:  # category, string
        cells = [None if m else str(v).encode("utf-8")
                 for v, m in zip(series.astype(object).tolist(), missing)]
        check(_lib.lib.sheaf_frame_add_string(ptr, key, (c_char_p * n)(*cells), n))
