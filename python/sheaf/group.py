"""sheaf.Frame methods for group-by, joins and duplicates (sheaf_group.h). Mixed into
sheaf.Frame; every method returns a new Frame and leaves this one unchanged.

Semantics follow pandas 1.5: group_by(keys).agg(...) is
df.groupby(keys, sort=True, dropna=True).agg(...) with the column index
flattened to "<column>_<agg>"; join is pd.merge(how=..., on=...);
join_asof is pd.merge_asof(direction='backward') without the sortedness
requirement; drop_duplicates keeps the first occurrence."""

import ctypes
from ctypes import POINTER, c_char_p, c_int, c_size_t, c_void_p

from . import _lib
from .errors import check


class AggSpec(ctypes.Structure):
    """sheaf_agg_spec."""
    _fields_ = [("column", c_char_p), ("agg", c_int), ("name", c_char_p)]


_AGGS = {"count": 1, "sum": 2, "mean": 3, "min": 4, "max": 5, "std": 6, "var": 7,
         "first": 8, "last": 9}
_JOINS = {"inner": 1, "left": 2}

_names = POINTER(c_char_p)
_out = POINTER(c_void_p)

_lib.declare({
    "sheaf_frame_group_by": (c_int, [c_void_p, c_void_p, _names, c_size_t, POINTER(AggSpec),
                                     c_size_t, _out]),
    "sheaf_frame_join": (c_int, [c_void_p, c_void_p, c_void_p, _names, c_size_t, c_int, _out]),
    "sheaf_frame_join_asof": (c_int, [c_void_p, c_void_p, c_void_p, c_char_p, _names, c_size_t,
                                      _out]),
    "sheaf_frame_drop_duplicates": (c_int, [c_void_p, c_void_p, _names, c_size_t, _out]),
})


def _name_list(names, what):
    if names is None:
        return []
    if isinstance(names, str):
        return [names]
    names = list(names)
    for n in names:
        if not isinstance(n, str):
            raise TypeError("sheaf: %s must be column names (str), got %r" % (what, n))
    return names


def _c_names(names):
    encoded = [n.encode("utf-8") for n in names]
    return (c_char_p * max(len(encoded), 1))(*encoded), len(encoded)


def _frame(out):
    from .frame import Frame, _Handle

    return Frame(_Handle(out))


class GroupBy:
    """frame.group_by(keys): call .agg(spec) to aggregate."""

    def __init__(self, frame, keys, threads=None):
        self._frame = frame
        self._keys = _name_list(keys, "keys")
        self._threads = threads

    def agg(self, spec, threads=None):
        """spec: {column: agg or [aggs]} with aggs among count, sum, mean,
        min, max, std, var, first, last. Returns a Frame with the key columns
        then "<column>_<agg>" columns in spec order, one row per key tuple,
        sorted by key; rows with a missing key are dropped."""
        from .frame import Context

        if not isinstance(spec, dict):
            raise TypeError("sheaf.GroupBy.agg: spec must be a dict {column: agg or [aggs]}")
        entries = []
        for column, aggs in spec.items():
            for agg in ([aggs] if isinstance(aggs, str) else list(aggs)):
                if agg not in _AGGS:
                    raise ValueError("sheaf.GroupBy.agg: unknown aggregation %r for column %r "
                                     "(use one of %s)" % (agg, column, ", ".join(_AGGS)))
                entries.append(AggSpec(str(column).encode("utf-8"), _AGGS[agg], None))
        specs = (AggSpec * max(len(entries), 1))(*entries)
        keys, n_keys = _c_names(self._keys)
        threads = self._threads if threads is None else threads
        out = c_void_p()
        with Context(threads) as ctx:
            check(_lib.lib.sheaf_frame_group_by(ctx, self._frame._ptr, keys, n_keys, specs,
                                                len(entries), ctypes.byref(out)))
        return _frame(out)


class GroupMethods:
    def group_by(self, keys, threads=None):
        """A GroupBy on one key column or a list of them; .agg(...) aggregates."""
        return GroupBy(self, keys, threads)

    def join(self, other, on, how="inner", threads=None):
        """pd.merge(self, other, on=on, how=how) for how 'inner' or 'left': rows in
        this frame's order, each row's matches in other's order; other's key
        columns dropped; clashing names get _x / _y."""
        from .frame import Context

        if how not in _JOINS:
            raise ValueError("sheaf.Frame.join: how must be 'inner' or 'left', not %r" % (how,))
        names, n = _c_names(_name_list(on, "on"))
        out = c_void_p()
        with Context(threads) as ctx:
            check(_lib.lib.sheaf_frame_join(ctx, self._ptr, other._ptr, names, n, _JOINS[how],
                                            ctypes.byref(out)))
        return _frame(out)

    def join_asof(self, other, on, by=None, threads=None):
        """pd.merge_asof(self, other, on=on, by=by, direction='backward'): for each
        row the last row of other with equal by-keys and on <= this row's on.
        Neither frame needs to be sorted; rows keep this frame's order."""
        from .frame import Context

        names, n = _c_names(_name_list(by, "by"))
        out = c_void_p()
        with Context(threads) as ctx:
            check(_lib.lib.sheaf_frame_join_asof(ctx, self._ptr, other._ptr,
                                                 str(on).encode("utf-8"), names, n,
                                                 ctypes.byref(out)))
        return _frame(out)

    def drop_duplicates(self, subset=None, threads=None):
        """Rows equal (on subset, or every column) to an earlier row dropped;
        order kept; missing equals missing."""
        from .frame import Context

        names, n = _c_names(_name_list(subset, "subset"))
        out = c_void_p()
        with Context(threads) as ctx:
            check(_lib.lib.sheaf_frame_drop_duplicates(ctx, self._ptr, names, n,
                                                       ctypes.byref(out)))
        return _frame(out)
