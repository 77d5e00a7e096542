"""sheaf.Frame methods for row cleaning and column expressions (sheaf_clean.h). Mixed into
sheaf.Frame; every method returns a new Frame and leaves this one unchanged.

Every number comes from C: dropna, fillna, with_column, cast and select each make one or
more C calls (sheaf_frame_drop_missing, sheaf_frame_fill_missing[_string],
sheaf_frame_with_column, sheaf_frame_cast, sheaf_frame_select)."""

import ctypes
import numbers
from ctypes import POINTER, c_char_p, c_double, c_int, c_size_t, c_void_p

from . import _lib
from .errors import check

_status = c_int
_handle = c_void_p
_out = POINTER(c_void_p)
_names = POINTER(c_char_p)

_lib.declare({
    "sheaf_frame_drop_missing": (_status, [_handle, _handle, _names, c_size_t, _out]),
    "sheaf_frame_fill_missing": (_status, [_handle, _handle, c_char_p, c_double, _out]),
    "sheaf_frame_fill_missing_string": (_status, [_handle, _handle, c_char_p, c_char_p, _out]),
    "sheaf_frame_select": (_status, [_handle, _names, c_size_t, _out]),
    "sheaf_frame_with_column": (_status, [_handle, _handle, c_char_p, c_char_p, _out]),
    "sheaf_frame_cast": (_status, [_handle, _handle, c_char_p, c_int, c_char_p, _out]),
})

# dtype spellings cast() accepts -> sheaf_type
_CAST_TYPES = {
    "float64": _lib.TYPE_FLOAT64, "float": _lib.TYPE_FLOAT64, "f8": _lib.TYPE_FLOAT64,
    "int64": _lib.TYPE_INT64, "int": _lib.TYPE_INT64, "i8": _lib.TYPE_INT64,
    "str": _lib.TYPE_STRING, "string": _lib.TYPE_STRING, "object": _lib.TYPE_STRING,
    "timestamp": _lib.TYPE_TIMESTAMP, "datetime64[ns]": _lib.TYPE_TIMESTAMP,
}


def _encode(name):
    return str(name).encode("utf-8")


def _names_array(names):
    encoded = [_encode(n) for n in names]
    return (c_char_p * max(len(encoded), 1))(*encoded), len(encoded)


def _cast_type(dtype):
    if dtype in (float,):
        return _lib.TYPE_FLOAT64
    if dtype in (int,):
        return _lib.TYPE_INT64
    if dtype in (str,):
        return _lib.TYPE_STRING
    key = dtype if isinstance(dtype, str) else getattr(dtype, "__name__", None) or str(dtype)
    try:
        import numpy as np
        if not isinstance(dtype, str):
            key = np.dtype(dtype).name
    except TypeError:
        pass
    if key not in _CAST_TYPES:
        raise ValueError("sheaf.Frame.cast: unknown dtype %r (use one of %s)"
                         % (dtype, ", ".join(sorted(_CAST_TYPES))))
    return _CAST_TYPES[key]


class CleanMethods:
    def _clean_call(self, threads, fn, *args):
        """Calls fn(ctx, self, *args, &out) and wraps out as a new Frame."""
        from .frame import Context, Frame, _Handle

        out = c_void_p()
        with Context(threads) as ctx:
            check(fn(ctx, self._ptr, *args, ctypes.byref(out)))
        return Frame(_Handle(out))

    def dropna(self, subset=None, threads=None):
        """Rows without a missing value in any column of subset (all columns when None),
        as pandas.DataFrame.dropna(subset=...). Partitions keep their order; rows keep
        theirs."""
        if isinstance(subset, str):
            subset = [subset]
        names, n = _names_array(subset or [])
        return self._clean_call(threads, _lib.lib.sheaf_frame_drop_missing, names, n)

    def fillna(self, value=None, method=None, by=None, order_by=None, columns=None,
               threads=None):
        """Missing values filled, as pandas.DataFrame.fillna.

        value: a scalar - a number fills every float64 and int64 column, a str every
        string column - or a dict {column: value}. An int64 column filled with a
        non-integral number becomes float64 first (pandas holds ints with missing values
        as float64, so it gives the same numbers). method 'ffill'/'pad'/'bfill'/'backfill'
        fills from the previous/next present value within each key of `by`, in the order
        of `order_by` (WindowMethods). columns limits which columns are filled."""
        if value is not None and method is not None:
            raise ValueError("sheaf.Frame.fillna: give value or method, not both")
        if method is not None:
            if not hasattr(self, "_fill_method"):
                raise NotImplementedError("sheaf.Frame.fillna: method fills need the window "
                                          "operations (Frame._fill_method)")
            return self._fill_method(columns, method, by, order_by, threads)
        if value is None:
            raise ValueError("sheaf.Frame.fillna: give a fill value or a method")
        dtypes = self.dtypes
        wanted = list(dtypes) if columns is None else (
            [columns] if isinstance(columns, str) else list(columns))
        if isinstance(value, dict):
            plan = [(c, v) for c, v in value.items() if columns is None or c in wanted]
            explicit = True
        else:
            plan = [(c, value) for c in wanted]
            explicit = False
        frame = self
        for column, v in plan:
            if not explicit and not _fits(dtypes.get(column), v):
                continue  # a scalar fills only the columns of a matching type
            frame = frame._fill_one(column, v, dtypes.get(column), threads)
        return frame if frame is not self else self.select(self.columns, threads)

    def _fill_one(self, column, value, dtype, threads):
        if isinstance(value, str):
            return self._clean_call(threads, _lib.lib.sheaf_frame_fill_missing_string,
                                    _encode(column), value.encode("utf-8"))
        if not isinstance(value, numbers.Real):
            raise TypeError("sheaf.Frame.fillna: fill value %r for column %r is neither a "
                            "number nor a str" % (value, column))
        value = float(value)
        frame = self
        if dtype == "int64" and not value.is_integer() and self.missing(column):
            frame = self.cast(column, "float64", threads=threads)
        return frame._clean_call(threads, _lib.lib.sheaf_frame_fill_missing, _encode(column),
                                 value)

    def with_column(self, name, expr, threads=None):
        """A new column `name` (or, if it exists, that column replaced in place) computed
        from the expression string expr over every row; the grammar is in sheaf_clean.h:
        numbers, columns (`quoted` for any name), + - * / % **, comparisons, and/or/not,
        log exp sqrt abs floor ceil round, if(c, a, b), isnull/notnull, float/int,
        year/month/day/dayofweek/hour/minute."""
        return self._clean_call(threads, _lib.lib.sheaf_frame_with_column, _encode(name),
                                str(expr).encode("utf-8"))

    def cast(self, column, dtype, name=None, threads=None):
        """column converted to dtype ('float64', 'int64', 'str', 'timestamp' or the numpy /
        Python types float, int, str), replacing it, or stored as `name`. Strings to
        numbers parse as pandas.to_numeric(errors='coerce'); numbers to strings format
        as astype(str), but missing stays missing."""
        to = _cast_type(dtype)
        return self._clean_call(threads, _lib.lib.sheaf_frame_cast, _encode(column), to,
                                None if name is None else _encode(name))

    def select(self, columns, threads=None):
        """A frame of the given columns in that order, sharing their memory."""
        from .frame import Frame, _Handle

        if isinstance(columns, str):
            columns = [columns]
        names, n = _names_array(columns)
        out = c_void_p()
        check(_lib.lib.sheaf_frame_select(self._ptr, names, n, ctypes.byref(out)))
        return Frame(_Handle(out))


def _fits(dtype, value):
    """Whether a scalar fill value applies to a column of this dtype."""
    if isinstance(value, str):
        return dtype == "string"
    if isinstance(value, numbers.Real):
        return dtype in ("float64", "int64")
    return False
