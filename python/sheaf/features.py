"""Fitted feature assemblers in the manner of Spark ML (sheaf_features.h):
StringIndexer, OneHotEncoder, StandardScaler, MinMaxScaler, Imputer,
VectorAssembler and Pipeline, each with fit/transform.

Every estimator follows scikit-learn's shape: __init__ stores the
parameters, fit(frame, threads=None) learns from a sheaf.Frame and returns
self, learned attributes end in `_`, transform(frame, threads=None) returns a
new Frame (VectorAssembler: a Design). The semantics are Spark 3's:

- StringIndexer appends a float64 column of label indices; labels are
  ordered by frequency (ties by the label, ascending) or alphabetically;
  handle_invalid 'error' | 'skip' (drop the row) | 'keep' (index
  len(labels_)) decides what happens to unseen labels and missing values.
- OneHotEncoder appends float64 indicator columns "<prefix>_<i>" for a column
  of category indices; drop_last drops the last one; handle_invalid 'keep'
  sends invalid indices to an extra category.
- StandardScaler and MinMaxScaler replace each column, under the same name,
  by its float64 scaled version (sample std, ddof=1; a zero std scales to 0,
  a constant column min-max scales to the middle of [min, max]).
- Imputer replaces each column by the column with its missing values filled
  with the mean, the exact median (pandas' median) or the mode (the smallest
  of the most frequent values).
- VectorAssembler turns numeric columns into a Design: one row-major block
  per partition plus an optional label vector.
- Pipeline fits its stages in order, each on the previous stages' output,
  and replays them on new frames.

Every number comes from the C library; this module only moves parameters,
handles and arrays across the boundary."""

import ctypes
from ctypes import POINTER, c_char_p, c_double, c_int, c_size_t, c_void_p

import numpy as np

from . import _lib
from .errors import check

_h = c_void_p
_out = POINTER(c_void_p)
_names = POINTER(c_char_p)
_pdouble = POINTER(POINTER(c_double))
_psize = POINTER(c_size_t)


_lib.declare({
    "sheaf_stage_free": (None, [_h]),
    "sheaf_stage_copy": (c_int, [_h, _out]),
    "sheaf_stage_transform": (c_int, [_h, _h, _h, _out]),
    "sheaf_string_indexer_fit": (c_int, [_h, _h, c_char_p, c_char_p, c_int, c_int, _out]),
    "sheaf_string_indexer_num_labels": (c_int, [_h, _psize]),
    "sheaf_string_indexer_label": (c_char_p, [_h, c_size_t]),
    "sheaf_one_hot_encoder_fit": (c_int, [_h, _h, c_char_p, c_char_p, c_int, c_int, _out]),
    "sheaf_one_hot_encoder_num_categories": (c_int, [_h, _psize]),
    "sheaf_standard_scaler_fit": (c_int, [_h, _h, _names, c_size_t, c_int, c_int, _out]),
    "sheaf_standard_scaler_stats": (c_int, [_h, _pdouble, _pdouble, _psize]),
    "sheaf_min_max_scaler_fit": (c_int, [_h, _h, _names, c_size_t, c_double, c_double, _out]),
    "sheaf_min_max_scaler_stats": (c_int, [_h, _pdouble, _pdouble, _psize]),
    "sheaf_imputer_fit": (c_int, [_h, _h, _names, c_size_t, c_int, _out]),
    "sheaf_imputer_surrogates": (c_int, [_h, _pdouble, _psize]),
    "sheaf_pipeline_create": (c_int, [_out]),
    "sheaf_pipeline_free": (None, [_h]),
    "sheaf_pipeline_add": (c_int, [_h, _h]),
    "sheaf_pipeline_transform": (c_int, [_h, _h, _h, _out]),
    "sheaf_vector_assemble": (c_int, [_h, _h, _names, c_size_t, c_char_p, c_int, _out]),
    "sheaf_design_free": (None, [_h]),
    "sheaf_design_num_partitions": (c_size_t, [_h]),
    "sheaf_design_num_rows": (c_size_t, [_h]),
    "sheaf_design_num_features": (c_size_t, [_h]),
    "sheaf_design_has_label": (c_int, [_h]),
    "sheaf_design_feature_name": (c_char_p, [_h, c_size_t]),
    "sheaf_design_block": (c_int, [_h, c_size_t, _pdouble, _pdouble, _psize]),
    "sheaf_design_copy": (c_int, [_h, _lib.optional_array(ndim=2), c_size_t, _lib.optional_array()]),
})

_ORDERS = {"frequencyDesc": 0, "frequencyAsc": 1, "alphabetAsc": 2, "alphabetDesc": 3}
_POLICIES = {"error": 0, "skip": 1, "keep": 2}
_STRATEGIES = {"mean": 0, "median": 1, "mode": 2}


def _choice(owner, what, value, choices):
    if value not in choices:
        raise ValueError("sheaf.%s: %s must be one of %s, not %r"
                         % (owner, what, ", ".join(repr(c) for c in choices), value))
    return choices[value]


def _column_list(columns):
    return [columns] if isinstance(columns, str) else [str(c) for c in columns]


def _encode(name):
    return None if name is None else str(name).encode("utf-8")


class _Owned:
    """Owns one C handle and frees it with `free` when collected."""

    def __init__(self, ptr, free):
        self.ptr = ptr
        self._free = free

    def __del__(self):
        if self.ptr:
            self._free(self.ptr)
            self.ptr = None


def _stage_handle(ptr):
    return _Owned(ptr, _lib.lib.sheaf_stage_free)


def _frame_out(ptr):
    from .frame import Frame, _Handle

    return Frame(_Handle(ptr))


class _Stage:
    """Base of the frame-to-frame estimators: parameters, fit/transform
    plumbing, get_params/set_params."""

    _params = ()

    def get_params(self, deep=True):
        return {name: getattr(self, name) for name in self._params}

    def set_params(self, **params):
        for name, value in params.items():
            if name not in self._params:
                raise ValueError("sheaf.%s: unknown parameter %r" % (type(self).__name__, name))
            setattr(self, name, value)
        return self

    def __repr__(self):
        args = ", ".join("%s=%r" % (k, v) for k, v in self.get_params().items())
        return "%s(%s)" % (type(self).__name__, args)

    def _fitted(self):
        stage = getattr(self, "_stage", None)
        if stage is None:
            raise ValueError("sheaf.%s: not fitted; call fit(frame) first"
                             % type(self).__name__)
        return stage

    def fit(self, frame, threads=None):
        from .frame import Context

        out = c_void_p()
        with Context(threads) as ctx:
            check(self._fit_call(ctx, frame._ptr, ctypes.byref(out)))
        self._stage = _stage_handle(out)
        self._learn()
        return self

    def transform(self, frame, threads=None):
        from .frame import Context

        stage = self._fitted()
        out = c_void_p()
        with Context(threads) as ctx:
            check(_lib.lib.sheaf_stage_transform(ctx, stage.ptr, frame._ptr, ctypes.byref(out)))
        return _frame_out(out)

    def fit_transform(self, frame, threads=None):
        return self.fit(frame, threads).transform(frame, threads)

    def _copy_handle(self):
        out = c_void_p()
        check(_lib.lib.sheaf_stage_copy(self._fitted().ptr, ctypes.byref(out)))
        return out

    def _arrays(self, getter, pair=True):
        """Copies of the stage's learned array(s), in column order."""
        a, b, n = POINTER(c_double)(), POINTER(c_double)(), c_size_t()
        if pair:
            check(getter(self._stage.ptr, ctypes.byref(a), ctypes.byref(b), ctypes.byref(n)))
            return (np.ctypeslib.as_array(a, (n.value,)).copy(),
                    np.ctypeslib.as_array(b, (n.value,)).copy())
        check(getter(self._stage.ptr, ctypes.byref(a), ctypes.byref(n)))
        return np.ctypeslib.as_array(a, (n.value,)).copy()


class StringIndexer(_Stage):
    """Spark's StringIndexer: labels of a string column numbered by order
    ('frequencyDesc' - ties by the label, ascending -, 'frequencyAsc',
    'alphabetAsc', 'alphabetDesc'); transform appends output_col (float64).
    handle_invalid: 'error' (unseen label or missing value raises), 'skip'
    (drops the row), 'keep' (index len(labels_)). Learns labels_."""

    _params = ("input_col", "output_col", "order", "handle_invalid")

    def __init__(self, input_col, output_col, order="frequencyDesc", handle_invalid="error"):
        self.input_col = input_col
        self.output_col = output_col
        self.order = order
        self.handle_invalid = handle_invalid

    def _fit_call(self, ctx, frame, out):
        order = _choice("StringIndexer", "order", self.order, _ORDERS)
        policy = _choice("StringIndexer", "handle_invalid", self.handle_invalid, _POLICIES)
        return _lib.lib.sheaf_string_indexer_fit(ctx, frame, _encode(self.input_col),
                                                 _encode(self.output_col), order, policy, out)

    def _learn(self):
        n = c_size_t()
        check(_lib.lib.sheaf_string_indexer_num_labels(self._stage.ptr, ctypes.byref(n)))
        self.labels_ = [_lib.lib.sheaf_string_indexer_label(self._stage.ptr, i).decode("utf-8")
                        for i in range(n.value)]


class OneHotEncoder(_Stage):
    """Spark's OneHotEncoder on a column of category indices: transform
    appends float64 columns "<output_prefix>_<i>" (prefix None: the input
    column's name). drop_last drops the last category's column;
    handle_invalid 'keep' adds a category for invalid indices (negative,
    fractional, missing, too large), 'error' raises. Learns n_categories_."""

    _params = ("input_col", "output_prefix", "drop_last", "handle_invalid")

    def __init__(self, input_col, output_prefix=None, drop_last=True, handle_invalid="error"):
        self.input_col = input_col
        self.output_prefix = output_prefix
        self.drop_last = drop_last
        self.handle_invalid = handle_invalid

    def _fit_call(self, ctx, frame, out):
        policy = _choice("OneHotEncoder", "handle_invalid", self.handle_invalid,
                         {"error": 0, "keep": 2})
        return _lib.lib.sheaf_one_hot_encoder_fit(ctx, frame, _encode(self.input_col),
                                                  _encode(self.output_prefix),
                                                  int(bool(self.drop_last)), policy, out)

    def _learn(self):
        n = c_size_t()
        check(_lib.lib.sheaf_one_hot_encoder_num_categories(self._stage.ptr, ctypes.byref(n)))
        self.n_categories_ = n.value


class _ColumnsStage(_Stage):
    def _names(self):
        from .frame import _names_array

        return _names_array(_column_list(self.columns))


class StandardScaler(_ColumnsStage):
    """Spark's StandardScaler: each column becomes (x - mean_) / std_ (the
    shift only with with_mean, the scaling only with with_std; std_ is the
    sample std, ddof=1, and a zero std scales to 0). Missing stays missing.
    Learns mean_ and std_ (arrays in column order)."""

    _params = ("columns", "with_mean", "with_std")

    def __init__(self, columns, with_mean=False, with_std=True):
        self.columns = columns
        self.with_mean = with_mean
        self.with_std = with_std

    def _fit_call(self, ctx, frame, out):
        names, n = self._names()
        return _lib.lib.sheaf_standard_scaler_fit(ctx, frame, names, n,
                                                  int(bool(self.with_mean)),
                                                  int(bool(self.with_std)), out)

    def _learn(self):
        self.mean_, self.std_ = self._arrays(_lib.lib.sheaf_standard_scaler_stats)


class MinMaxScaler(_ColumnsStage):
    """Spark's MinMaxScaler: each column becomes (x - min_) / (max_ - min_) *
    (max - min) + min, a constant column 0.5 * (max + min). Learns min_ and
    max_ (the columns' extremes)."""

    _params = ("columns", "min", "max")

    def __init__(self, columns, min=0.0, max=1.0):  # noqa: A002 - Spark's names
        self.columns = columns
        self.min = min
        self.max = max

    def _fit_call(self, ctx, frame, out):
        names, n = self._names()
        return _lib.lib.sheaf_min_max_scaler_fit(ctx, frame, names, n, float(self.min),
                                                 float(self.max), out)

    def _learn(self):
        self.min_, self.max_ = self._arrays(_lib.lib.sheaf_min_max_scaler_stats)


class Imputer(_ColumnsStage):
    """Spark's Imputer: fills each column's missing values with its 'mean',
    exact 'median' (as pandas) or 'mode' (the smallest most frequent value).
    int64 columns become float64, except under 'mode'. Learns surrogates_."""

    _params = ("columns", "strategy")

    def __init__(self, columns, strategy="mean"):
        self.columns = columns
        self.strategy = strategy

    def _fit_call(self, ctx, frame, out):
        strategy = _choice("Imputer", "strategy", self.strategy, _STRATEGIES)
        names, n = self._names()
        return _lib.lib.sheaf_imputer_fit(ctx, frame, names, n, strategy, out)

    def _learn(self):
        self.surrogates_ = self._arrays(_lib.lib.sheaf_imputer_surrogates, pair=False)


class _BlockMemory:
    """numpy base object of a read-only view into a design's memory."""

    def __init__(self, owner, address, shape):
        self._owner = owner
        self.__array_interface__ = {"version": 3, "shape": shape, "typestr": "<f8",
                                    "data": (address, True)}


class Design:
    """The vector assembler's output: one row-major float64 block per
    partition (rows of that partition x len(feature_names)) and, when a label
    was named, a label vector per partition."""

    def __init__(self, handle):
        self._h = handle

    @property
    def feature_names(self):
        p = self._h.ptr
        return [_lib.lib.sheaf_design_feature_name(p, j).decode("utf-8")
                for j in range(_lib.lib.sheaf_design_num_features(p))]

    @property
    def num_rows(self):
        return _lib.lib.sheaf_design_num_rows(self._h.ptr)

    @property
    def num_partitions(self):
        return _lib.lib.sheaf_design_num_partitions(self._h.ptr)

    @property
    def has_label(self):
        return bool(_lib.lib.sheaf_design_has_label(self._h.ptr))

    def block(self, partition):
        """(X_p, y_p): read-only views of partition p's block (y_p None
        without a label); they keep the design's memory alive."""
        x, y, rows = POINTER(c_double)(), POINTER(c_double)(), c_size_t()
        check(_lib.lib.sheaf_design_block(self._h.ptr, int(partition), ctypes.byref(x),
                                          ctypes.byref(y), ctypes.byref(rows)))
        nf = _lib.lib.sheaf_design_num_features(self._h.ptr)

        def view(pointer, shape):
            address = ctypes.cast(pointer, c_void_p).value
            if not address or rows.value == 0:
                return np.empty(shape, np.float64)
            out = np.asarray(_BlockMemory(self._h, address, shape))
            out.flags.writeable = False
            return out

        return view(x, (rows.value, nf)), (view(y, (rows.value,)) if y else None)

    def to_numpy(self):
        """(X, y): every block stacked in partition order into one
        (num_rows, n_features) float64 array, and the label vector (None
        without a label)."""
        p = self._h.ptr
        n, nf = self.num_rows, _lib.lib.sheaf_design_num_features(p)
        x = np.empty((n, nf), dtype=np.float64)
        y = np.empty(n, dtype=np.float64) if self.has_label else None
        check(_lib.lib.sheaf_design_copy(p, x, nf, y))
        return x, y

    def __repr__(self):
        return "<sheaf.Design %d rows x %d features, %d partitions%s>" % (
            self.num_rows, len(self.feature_names), self.num_partitions,
            ", with label" if self.has_label else "")


class VectorAssembler:
    """Spark's VectorAssembler: numeric features (int64 converted to
    float64) and an optional label into a Design. handle_invalid decides what
    a missing value does: 'error' raises naming the column and row, 'skip'
    drops the row, 'keep' leaves NaN. fit learns nothing."""

    _params = ("features", "label", "handle_invalid")

    def __init__(self, features, label=None, handle_invalid="error"):
        self.features = features
        self.label = label
        self.handle_invalid = handle_invalid

    get_params = _Stage.get_params
    set_params = _Stage.set_params
    __repr__ = _Stage.__repr__

    def fit(self, frame=None, threads=None):
        return self

    def transform(self, frame, threads=None):
        from .frame import Context, _names_array

        policy = _choice("VectorAssembler", "handle_invalid", self.handle_invalid, _POLICIES)
        names, n = _names_array(_column_list(self.features))
        out = c_void_p()
        with Context(threads) as ctx:
            check(_lib.lib.sheaf_vector_assemble(ctx, frame._ptr, names, n, _encode(self.label),
                                                 policy, ctypes.byref(out)))
        return Design(_Owned(out, _lib.lib.sheaf_design_free))

    def fit_transform(self, frame, threads=None):
        return self.transform(frame, threads)


class Pipeline:
    """Spark's Pipeline: fit(frame) fits the stages in order, each on the
    output of the stages before it, and returns self; transform(frame)
    replays the fitted stages in C (sheaf_pipeline_transform). A
    VectorAssembler may only be the last stage; transform then returns its
    Design."""

    def __init__(self, stages):
        self.stages = list(stages)
        for i, stage in enumerate(self.stages[:-1]):
            if isinstance(stage, VectorAssembler):
                raise ValueError("sheaf.Pipeline: a VectorAssembler can only be the last stage "
                                 "(found at %d of %d)" % (i, len(self.stages)))

    def get_params(self, deep=True):
        return {"stages": self.stages}

    def _frame_stages(self):
        if self.stages and isinstance(self.stages[-1], VectorAssembler):
            return self.stages[:-1], self.stages[-1]
        return self.stages, None

    def fit(self, frame, threads=None):
        frame_stages, _ = self._frame_stages()
        current = frame
        for i, stage in enumerate(frame_stages):
            stage.fit(current, threads)
            if i + 1 < len(self.stages):
                current = stage.transform(current, threads)
        pipeline = c_void_p()
        check(_lib.lib.sheaf_pipeline_create(ctypes.byref(pipeline)))
        owned = _Owned(pipeline, _lib.lib.sheaf_pipeline_free)
        for stage in frame_stages:
            check(_lib.lib.sheaf_pipeline_add(pipeline, stage._copy_handle()))
        self._pipeline = owned
        return self

    def transform(self, frame, threads=None):
        from .frame import Context

        pipeline = getattr(self, "_pipeline", None)
        if pipeline is None:
            raise ValueError("sheaf.Pipeline: not fitted; call fit(frame) first")
        out = c_void_p()
        with Context(threads) as ctx:
            check(_lib.lib.sheaf_pipeline_transform(ctx, pipeline.ptr, frame._ptr,
                                                    ctypes.byref(out)))
        result = _frame_out(out)
        _, assembler = self._frame_stages()
        return assembler.transform(result, threads) if assembler else result

    def fit_transform(self, frame, threads=None):
        return self.fit(frame, threads).transform(frame, threads)
