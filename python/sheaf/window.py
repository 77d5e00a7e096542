"""sheaf.Frame methods for windows within a key ordered by time (sheaf_window.h). Mixed into
sheaf.Frame; every method returns a new Frame and leaves this one unchanged.

Every method takes `by` (a key column or a list of them; None: the whole frame is one series),
`order_by` (the time column ordering each series; None: current row order) and `threads`.
With `by`, the returned frame's rows are grouped by key and ordered by `order_by` (a frame
already laid out that way, e.g. by Frame.partition(key=..., time=...) or an earlier window
call with the same by/order_by, keeps its row order); without `by` but with `order_by` rows
come back sorted by time; with neither, rows keep their order. Results follow pandas 1.5 on
the frame sorted the same way, e.g. frame.lag('x', by='k', order_by='t') is
df.sort_values(['k', 't'], kind='stable').groupby('k')['x'].shift(1)."""

import ctypes
from ctypes import POINTER, c_char_p, c_double, c_int, c_int64, c_long, c_size_t, c_void_p

from . import _lib
from .errors import check

_h = c_void_p
_out = POINTER(c_void_p)
_names = POINTER(c_char_p)
_tail = [_names, c_size_t, c_char_p, c_char_p, _out]  # keys, n_keys, time, name, out

_lib.declare({
    "sheaf_frame_lag": (c_int, [_h, _h, c_char_p, c_long] + _tail),
    "sheaf_frame_diff": (c_int, [_h, _h, c_char_p, c_size_t, c_size_t] + _tail),
    "sheaf_frame_pct_change": (c_int, [_h, _h, c_char_p, c_size_t] + _tail),
    "sheaf_frame_rolling": (c_int, [_h, _h, c_char_p, c_int, c_size_t, c_int64, c_size_t]
                            + _tail),
    "sheaf_frame_expanding_mean": (c_int, [_h, _h, c_char_p] + _tail),
    "sheaf_frame_cumsum": (c_int, [_h, _h, c_char_p] + _tail),
    "sheaf_frame_ewm_mean": (c_int, [_h, _h, c_char_p, c_double, c_int] + _tail),
    "sheaf_frame_row_number": (c_int, [_h, _h, c_int64] + _tail),
    "sheaf_frame_rank": (c_int, [_h, _h, c_char_p, c_int, c_int] + _tail),
    "sheaf_frame_fill_forward": (c_int, [_h, _h, c_char_p, c_int, _names, c_size_t, c_char_p,
                                         _out]),
})

# sheaf_window_agg and sheaf_rank_method values (sheaf_window.h).
_AGGS = {"mean": 0, "sum": 1, "std": 2, "var": 3, "min": 4, "max": 5}
_RANK_METHODS = {"average": 0, "min": 1, "max": 2, "first": 3, "dense": 4}
_FILL_METHODS = {"ffill": 0, "pad": 0, "bfill": 1, "backfill": 1}


def _text(s):
    return None if s is None else str(s).encode("utf-8")


def _keys(by):
    return [by] if isinstance(by, str) else list(by or [])


def _count(value, what):
    """A non-negative integer parameter (ctypes would wrap a negative size_t)."""
    if isinstance(value, bool) or int(value) != value or value < 0:
        raise ValueError("sheaf: %s must be a non-negative integer (got %r)" % (what, value))
    return int(value)


class WindowMethods:
    def _window(self, fn, head, by, order_by, name, threads, with_name=True):
        from .frame import Context, Frame, _Handle, _names_array

        names, n_keys = _names_array(_keys(by))
        out = c_void_p()
        tail = [names, n_keys, _text(order_by)] + ([_text(name)] if with_name else [])
        with Context(threads) as ctx:
            check(fn(ctx, self._ptr, *head, *tail, ctypes.byref(out)))
        return Frame(_Handle(out))

    def lag(self, col, n=1, by=None, order_by=None, name=None, threads=None):
        """col shifted n rows down its series (pandas shift(n); n < 0 is a lead). The
        column keeps its type; missing where the shifted row is outside the series.
        Default name '<col>_lag<n>'."""
        return self._window(_lib.lib.sheaf_frame_lag, [_text(col), int(n)], by, order_by, name,
                            threads)

    def lead(self, col, n=1, by=None, order_by=None, name=None, threads=None):
        """col n rows later in its series (pandas shift(-n)). Default name '<col>_lead<n>'."""
        return self._window(_lib.lib.sheaf_frame_lag, [_text(col), -int(n)], by, order_by, name,
                            threads)

    def diff(self, col, n=1, by=None, order_by=None, name=None, order=1, threads=None):
        """x - x.shift(n) applied `order` times (seasonal lag n, order d), float64.
        Default name '<col>_diff<n>' ('<col>_diff<n>_order<order>' when order > 1)."""
        return self._window(_lib.lib.sheaf_frame_diff,
                            [_text(col), _count(n, "n"), _count(order, "order")], by, order_by,
                            name, threads)

    def pct_change(self, col, n=1, by=None, order_by=None, name=None, threads=None):
        """pandas pct_change(n) (forward-fills within the series first), float64.
        Default name '<col>_pct<n>'."""
        return self._window(_lib.lib.sheaf_frame_pct_change, [_text(col), _count(n, "n")], by,
                            order_by, name, threads)

    def rolling(self, col, window, agg="mean", by=None, order_by=None, name=None,
                min_periods=None, threads=None):
        """Rolling agg ('mean', 'sum', 'std', 'var', 'min', 'max'; std/var with ddof 1) of
        col, float64. window: an int for the last `window` rows (min_periods defaults to
        window), or a time span - a pandas offset string such as '5min' or a
        numpy/pandas timedelta - over the timestamp column order_by, pandas
        rolling('5min', on=order_by): the window (t - span, t], min_periods defaulting
        to 1. NaN values are skipped. min_periods=0 counts as 1. Default name
        '<col>_rolling_<agg><window>' or '<col>_rolling_<agg>_t<span in column units>'."""
        if agg not in _AGGS:
            raise ValueError("sheaf.Frame.rolling: unknown agg %r (choose from %s)"
                             % (agg, ", ".join(_AGGS)))
        rows, span = self._window_size(window, order_by)
        minp = 0 if min_periods is None else max(_count(min_periods, "min_periods"), 1)
        return self._window(_lib.lib.sheaf_frame_rolling,
                            [_text(col), _AGGS[agg], rows, span, minp], by, order_by, name,
                            threads)

    def _window_size(self, window, order_by):
        """(rows, span): span > 0 in the units of the time column for time windows."""
        import numbers

        import numpy as np

        # np.timedelta64 is a numpy integer too: test it first.
        if isinstance(window, numbers.Integral) and not isinstance(window, (bool, np.timedelta64)):
            return _count(window, "window"), 0
        import pandas as pd

        if isinstance(window, str):
            offset = pd.tseries.frequencies.to_offset(window)
            if not hasattr(offset, "nanos"):
                raise ValueError("sheaf.Frame.rolling: window %r is not a fixed time span"
                                 % window)
            nanos = offset.nanos
        else:
            nanos = pd.Timedelta(window).value
        if order_by is None:
            raise ValueError("sheaf.Frame.rolling: a time window (%r) needs order_by, the "
                             "timestamp column" % (window,))
        dtype = self.dtypes.get(order_by)
        if dtype not in ("timestamp", "timestamp[s]"):
            self._index(order_by)  # raises the library's 'no column named' error
            raise ValueError("sheaf.Frame.rolling: a time window (%r) needs a timestamp "
                             "column; order_by %r is %s" % (window, order_by, dtype))
        if nanos <= 0:
            raise ValueError("sheaf.Frame.rolling: window %r must be positive" % (window,))
        if dtype == "timestamp[s]":
            if nanos % 10**9:
                raise ValueError("sheaf.Frame.rolling: window %r is not whole seconds, the "
                                 "unit of %r" % (window, order_by))
            return 0, nanos // 10**9
        return 0, nanos

    def expanding_mean(self, col, by=None, order_by=None, name=None, threads=None):
        """Mean of the series so far, NaN skipped (pandas expanding().mean()), float64.
        Default name '<col>_expanding_mean'."""
        return self._window(_lib.lib.sheaf_frame_expanding_mean, [_text(col)], by, order_by,
                            name, threads)

    def cumsum(self, col, by=None, order_by=None, name=None, threads=None):
        """Cumulative sum, missing values skipped and kept missing (pandas cumsum); int64
        stays int64. Default name '<col>_cumsum'."""
        return self._window(_lib.lib.sheaf_frame_cumsum, [_text(col)], by, order_by, name,
                            threads)

    def ewm(self, col, alpha, by=None, order_by=None, name=None, adjust=True, threads=None):
        """Exponentially weighted mean, pandas ewm(alpha=alpha, adjust=adjust).mean(),
        float64; alpha in (0, 1]. Default name '<col>_ewm'."""
        return self._window(_lib.lib.sheaf_frame_ewm_mean,
                            [_text(col), float(alpha), 1 if adjust else 0], by, order_by, name,
                            threads)

    def row_number(self, by=None, order_by=None, name=None, start=1, threads=None):
        """Position within the series, int64: start=1 is Spark's row_number(), start=0
        pandas' groupby cumcount(). Default name 'row_number'."""
        return self._window(_lib.lib.sheaf_frame_row_number, [int(start)], by, order_by, name,
                            threads)

    def rank(self, col, method="average", ascending=True, by=None, order_by=None, name=None,
             threads=None):
        """Rank within the series, pandas groupby rank(method, ascending,
        na_option='keep'), float64, missing values NaN. Default name '<col>_rank'."""
        if method not in _RANK_METHODS:
            raise ValueError("sheaf.Frame.rank: unknown method %r (choose from %s)"
                             % (method, ", ".join(_RANK_METHODS)))
        return self._window(_lib.lib.sheaf_frame_rank,
                            [_text(col), _RANK_METHODS[method], 1 if ascending else 0], by,
                            order_by, name, threads)

    def ffill(self, columns=None, by=None, order_by=None, threads=None):
        """Missing values replaced by the last present value of their series (pandas
        groupby ffill); columns None: every column but the keys and order_by."""
        return self._fill_method(columns, "ffill", by, order_by, threads)

    def bfill(self, columns=None, by=None, order_by=None, threads=None):
        """Missing values replaced by the next present value of their series (bfill)."""
        return self._fill_method(columns, "bfill", by, order_by, threads)

    def _fill_method(self, column_or_columns, method, by, order_by, threads):
        """fillna(method=...) within series: method 'ffill'/'pad' or 'bfill'/'backfill';
        column_or_columns None means every column except the keys and order_by. The
        first column's call lays the frame out by key and time; the others reuse it."""
        if method not in _FILL_METHODS:
            raise ValueError("sheaf.Frame.fillna: unknown method %r (choose from %s)"
                             % (method, ", ".join(_FILL_METHODS)))
        keys = _keys(by)
        if column_or_columns is None:
            columns = [c for c in self.columns if c not in keys and c != order_by]
        elif isinstance(column_or_columns, str):
            columns = [column_or_columns]
        else:
            columns = list(column_or_columns)
        frame = self  # immutable, so returning it unchanged when there is nothing to fill is safe
        for column in columns:
            frame = frame._window(_lib.lib.sheaf_frame_fill_forward,
                                  [_text(column), _FILL_METHODS[method]], by, order_by, None,
                                  threads, with_name=False)
        return frame
