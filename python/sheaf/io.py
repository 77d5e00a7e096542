"""sheaf.read_csv: the parallel CSV reader (sheaf_csv_read) and, when asked,
the partitioning that follows it."""

import ctypes
import os

import numpy as np

from . import _lib
from .errors import check
from .frame import Context, Frame, _Handle

# Schema type names: sheaf's own, then numpy/pandas spellings of the same.
_SCHEMA_TYPES = {
    "float64": (_lib.TYPE_FLOAT64, _lib.TIME_NS),
    "float": (_lib.TYPE_FLOAT64, _lib.TIME_NS),
    "double": (_lib.TYPE_FLOAT64, _lib.TIME_NS),
    "int64": (_lib.TYPE_INT64, _lib.TIME_NS),
    "int": (_lib.TYPE_INT64, _lib.TIME_NS),
    "string": (_lib.TYPE_STRING, _lib.TIME_NS),
    "str": (_lib.TYPE_STRING, _lib.TIME_NS),
    "object": (_lib.TYPE_STRING, _lib.TIME_NS),
    "timestamp": (_lib.TYPE_TIMESTAMP, _lib.TIME_NS),
    "timestamp[ns]": (_lib.TYPE_TIMESTAMP, _lib.TIME_NS),
    "timestamp[s]": (_lib.TYPE_TIMESTAMP, _lib.TIME_S),
    "datetime64": (_lib.TYPE_TIMESTAMP, _lib.TIME_NS),
    "datetime64[ns]": (_lib.TYPE_TIMESTAMP, _lib.TIME_NS),
    "datetime64[s]": (_lib.TYPE_TIMESTAMP, _lib.TIME_S),
    "auto": (_lib.TYPE_AUTO, _lib.TIME_NS),
}


def _schema_type(column, spec):
    if isinstance(spec, str) and spec.lower() in _SCHEMA_TYPES:
        return _SCHEMA_TYPES[spec.lower()]
    try:
        dtype = np.dtype(spec)  # np.float64, "f8", "<M8[s]", str, object, ...
    except TypeError:
        dtype = None
    if dtype is not None:
        if dtype.kind in "OUS":
            return _SCHEMA_TYPES["string"]
        if str(dtype) in _SCHEMA_TYPES:
            return _SCHEMA_TYPES[str(dtype)]
    if str(spec) in _SCHEMA_TYPES:  # e.g. pandas.StringDtype() prints "string"
        return _SCHEMA_TYPES[str(spec)]
    raise ValueError("sheaf.read_csv: schema type %r for column %r is not one of %s"
                     % (spec, column, ", ".join(sorted(_SCHEMA_TYPES))))


def read_csv(path, schema=None, partitions=None, key=None, time=None, threads=None):
    """Read a CSV file with a header row into a sheaf.Frame, in parallel.

    schema: {column: 'float64' | 'int64' | 'string' | 'timestamp' |
        'timestamp[s]'} (numpy/pandas dtype names also accepted); columns not
        named are inferred (int64, float64, timestamp, string - the first
        that holds every value).
    partitions: number of partitions of the result (default 4 x threads).
    key: a column name or list of names. With time, rows are sorted by
        (key, time) and every key lands in one partition; without, rows are
        hashed by key. time without key is a SheafValueError (from C).
    threads: threads to parse with (default all cores).

    Missing values (empty, NA, NaN, null, ...) follow pandas. Raises
    SheafIOError (an OSError) if the file cannot be read, SheafValueError
    (a ValueError) with file:line:column for malformed data."""
    opts = _lib.lib.sheaf_csv_options_default()
    names, columns = [], None
    if schema:
        columns = (_lib.CsvColumn * len(schema))()
        for j, (name, spec) in enumerate(schema.items()):
            kind, unit = _schema_type(name, spec)
            names.append(str(name).encode("utf-8"))  # kept alive for the call
            columns[j].name, columns[j].type, columns[j].unit = names[-1], kind, unit
        opts.schema, opts.schema_len = columns, len(schema)
    regroup = key is not None or time is not None
    if partitions is not None and not regroup:
        opts.n_partitions = int(partitions)
    out = ctypes.c_void_p()
    with Context(threads) as ctx:
        check(_lib.lib.sheaf_csv_read(ctx, os.fsencode(path), ctypes.byref(opts),
                                      ctypes.byref(out)))
    frame = Frame(_Handle(out))
    if regroup:
        frame = frame.partition(partitions=partitions, key=key, time=time, threads=threads)
    return frame
