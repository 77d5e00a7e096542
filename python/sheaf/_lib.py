"""Loads libsheaf.so and declares, once, the C signature of every function the
package calls, so that a wrong argument type is a ctypes TypeError rather
than a crash.

ctypes.CDLL (not PyDLL) releases the GIL for the duration of every call, so
Python threads calling sheaf in parallel really run in parallel.

`lib` holds one Python function per C function; each turns ctypes'
ArgumentError (a wrong type or dtype, caught before the call) into a
TypeError. `cdll` is the raw ctypes library.

Where the library is looked for, first hit wins:
  1. $SHEAF_LIBRARY (a path to the .so),
  2. build/libsheaf.so of the source tree this package sits in,
  3. the install prefixes: sys.prefix/lib, /usr/local/lib, /usr/lib.
"""

import ctypes
import os
import sys
import types
from ctypes import POINTER, c_char, c_char_p, c_double, c_int, c_int32, c_int64, c_size_t
from ctypes import c_uint8, c_uint64, c_void_p

import numpy as np

from . import __version__

_NAME = "libsheaf.so"

# sheaf_status values (ABI-fixed in sheaf_core.h).
OK = 0
INVALID_ARGUMENT = 1
DIMENSION = 2
NONFINITE = 3
NOMEM = 4
IO = 7
FORMAT = 8
UNSUPPORTED = 12

# sheaf_type and sheaf_time_unit values (sheaf_frame.h).
TYPE_AUTO = 0
TYPE_FLOAT64 = 1
TYPE_INT64 = 2
TYPE_STRING = 3
TYPE_TIMESTAMP = 4
TIME_NS = 0
TIME_S = 1


def _candidates():
    env = os.environ.get("SHEAF_LIBRARY")
    if env:
        return [env]  # an explicit choice is never silently replaced
    here = os.path.dirname(os.path.abspath(__file__))
    tree = os.path.join(here, os.pardir, os.pardir, "build", _NAME)
    prefixes = [os.path.join(sys.prefix, "lib"), "/usr/local/lib", "/usr/lib"]
    return [os.path.normpath(tree)] + [os.path.join(p, _NAME) for p in prefixes]


def _load():
    tried = []
    for path in _candidates():
        if not os.path.exists(path):
            tried.append(path + " (absent)")
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append("%s (%s)" % (path, e))
    raise ImportError("sheaf: cannot load %s; tried: %s. Build it with `make` or set "
                      "SHEAF_LIBRARY to its path." % (_NAME, "; ".join(tried)))


cdll, path = _load()
lib = types.SimpleNamespace()


class CsvColumn(ctypes.Structure):
    _fields_ = [("name", c_char_p), ("type", c_int), ("unit", c_int)]


class CsvOptions(ctypes.Structure):
    _fields_ = [
        ("delimiter", c_char),
        ("quote", c_char),
        ("schema", POINTER(CsvColumn)),
        ("schema_len", c_size_t),
        ("n_partitions", c_size_t),
        ("max_line_bytes", c_size_t),
    ]


ProgressFn = ctypes.CFUNCTYPE(None, c_void_p, c_char_p, c_double)

_status = c_int
_handle = c_void_p  # sheaf_ctx *, sheaf_frame * (opaque)
_out_handle = POINTER(c_void_p)
_names = POINTER(c_char_p)  # const char *const *


def array(dtype=np.float64, ndim=1):
    """The argtype of a C-contiguous array of dtype with ndim dimensions."""
    return np.ctypeslib.ndpointer(dtype=dtype, ndim=ndim, flags="C_CONTIGUOUS")


def optional_array(dtype=np.float64, ndim=1):
    """As array, also accepting None (passed as NULL)."""
    base = array(dtype, ndim)

    class _OrNull(base):
        @classmethod
        def from_param(cls, obj):
            return None if obj is None else base.from_param(obj)

    return _OrNull


def owner(free, what):
    """A class whose instances own one C pointer and free it with `free`
    when collected (free is bound at class creation: module globals vanish
    at interpreter exit)."""

    class _Owner:
        __doc__ = "Owns one %s and frees it when collected." % what
        _free = staticmethod(free)

        def __init__(self, ptr):
            self.ptr = ptr

        def __del__(self):
            if self.ptr:
                self._free(self.ptr)
                self.ptr = None

    return _Owner


# name: (restype, argtypes)
_SIGNATURES = {
    # core
    "sheaf_version": (c_char_p, []),
    "sheaf_last_error": (c_char_p, []),
    "sheaf_status_name": (c_char_p, [c_int]),
    "sheaf_debug_fail_allocation": (c_uint64, [c_uint64]),
    "sheaf_ctx_create": (_status, [_out_handle]),
    "sheaf_ctx_free": (None, [_handle]),
    "sheaf_ctx_set_threads": (_status, [_handle, c_int]),
    "sheaf_ctx_threads": (c_int, [_handle]),
    "sheaf_ctx_set_partitions": (_status, [_handle, c_size_t]),
    "sheaf_ctx_partitions": (c_size_t, [_handle]),
    "sheaf_ctx_set_progress": (_status, [_handle, ProgressFn, c_void_p]),
    # frame
    "sheaf_frame_create": (_status, [_out_handle]),
    "sheaf_frame_free": (None, [_handle]),
    "sheaf_frame_num_rows": (c_size_t, [_handle]),
    "sheaf_frame_num_columns": (c_size_t, [_handle]),
    "sheaf_frame_num_partitions": (c_size_t, [_handle]),
    "sheaf_frame_partition_range": (_status, [_handle, c_size_t, POINTER(c_size_t),
                                              POINTER(c_size_t)]),
    "sheaf_frame_column_index": (_status, [_handle, c_char_p, POINTER(c_size_t)]),
    "sheaf_frame_column_name": (c_char_p, [_handle, c_size_t]),
    "sheaf_frame_column_type": (c_int, [_handle, c_size_t]),
    "sheaf_frame_column_time_unit": (c_int, [_handle, c_size_t]),
    "sheaf_frame_column_missing": (c_size_t, [_handle, c_size_t]),
    "sheaf_frame_column_float64": (_status, [_handle, c_size_t, POINTER(POINTER(c_double))]),
    "sheaf_frame_column_int64": (_status, [_handle, c_size_t, POINTER(POINTER(c_int64))]),
    "sheaf_frame_column_codes": (_status, [_handle, c_size_t, POINTER(POINTER(c_int32)),
                                           POINTER(c_size_t)]),
    "sheaf_frame_dict_value": (c_char_p, [_handle, c_size_t, c_int32]),
    "sheaf_frame_column_validity": (POINTER(c_uint8), [_handle, c_size_t]),
    "sheaf_frame_add_float64": (_status, [_handle, c_char_p, array(np.float64),
                                          optional_array(np.uint8), c_size_t]),
    "sheaf_frame_add_int64": (_status, [_handle, c_char_p, array(np.int64),
                                        optional_array(np.uint8), c_size_t]),
    "sheaf_frame_add_timestamp": (_status, [_handle, c_char_p, array(np.int64),
                                            optional_array(np.uint8), c_size_t, c_int]),
    "sheaf_frame_add_string": (_status, [_handle, c_char_p, _names, c_size_t]),
    # partitioning
    "sheaf_frame_partition_rows": (_status, [_handle, _handle, c_size_t, _out_handle]),
    "sheaf_frame_partition_hash": (_status, [_handle, _handle, _names, c_size_t, c_size_t,
                                             _out_handle]),
    "sheaf_frame_partition_by_key_time": (_status, [_handle, _handle, _names, c_size_t,
                                                    c_char_p, c_size_t, _out_handle]),
    # csv
    "sheaf_csv_options_default": (CsvOptions, []),
    "sheaf_csv_read": (_status, [_handle, c_char_p, POINTER(CsvOptions), _out_handle]),
}


def _missing(name):
    def call(*args):
        from .errors import SheafError

        error = SheafError("sheaf: %s has no symbol %s (built from an older source tree?)"
                           % (path, name))
        error.status = "SHEAF_ERR_UNSUPPORTED"
        raise error

    return call


def _checked(name, fn):
    def call(*args):
        try:
            return fn(*args)
        except ctypes.ArgumentError as e:
            raise TypeError("%s: %s" % (name, e)) from None

    call.__name__ = name
    call.__wrapped__ = fn
    return call


def declare(signatures):
    """Declares {name: (restype, argtypes)} on `lib`. Each module of the
    package declares the C functions it calls, once, at import."""
    for name, (restype, argtypes) in signatures.items():
        try:
            fn = getattr(cdll, name)
        except AttributeError:
            # A missing symbol fails when called, not at import, so the rest
            # of the package stays usable against a partial build.
            setattr(lib, name, _missing(name))
            continue
        fn.restype = restype
        fn.argtypes = argtypes
        setattr(lib, name, _checked(name, fn))


declare(_SIGNATURES)

version = lib.sheaf_version().decode("ascii")
if version != __version__:
    raise ImportError("sheaf: the Python package is version %s but %s is version %s; "
                      "rebuild the library or reinstall the package so they match"
                      % (__version__, path, version))
