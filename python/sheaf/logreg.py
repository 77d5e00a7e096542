"""sheaf.LogisticRegression: binomial and multinomial logistic regression
(sheaf_logreg.h) in scikit-learn's estimator shape, with Spark ML's
parameters and objective

    sum_i w_i logloss_i / sum_i w_i + reg_param (a |b|_1 + (1 - a)/2 |b|^2),

a = elastic_net_param, intercepts unpenalised, the penalty applied in the
standardized feature space when `standardization` is on. The C library fits
on row-range partitions and merges their loss, gradient and Hessian (Newton,
L-BFGS or OWL-QN); after an unpenalised or L2 binomial fit it also gives the
inference statsmodels' Logit gives (bse_, zvalues_, pvalues_, conf_int).

Inputs: numpy arrays (any numeric dtype and order; C-contiguous float64 is
passed without a copy), pandas DataFrames (columns become feature_names_in_),
or a sheaf.Frame with `features=[...]` and `label='col'` (assembled in C by
sheaf_vector_assemble and fitted on its partitions with
sheaf_logreg_fit_design; the label column must already hold class indices
0..k-1, e.g. from StringIndexer, and classes_ is then 0.0, ..., k-1).
Labels y of any dtype scikit-learn accepts (ints, strings, bools) are mapped
to 0..k-1 by their position in classes_ (the sorted unique labels), and
predict maps back.

scikit-learn is never imported: get_params/set_params come from the
__init__ signature, so sklearn's clone, Pipeline, cross_val_score and
GridSearchCV work with this class. Python only shapes arrays and maps labels;
every number comes from C.

Decisions worth knowing:
- The inference attributes after an L1/elastic-net or multinomial fit raise
  InferenceUnavailableError, a SheafError that is also an AttributeError, so
  that `hasattr(model, "bse_")` is simply False there (Python's hasattr only
  swallows AttributeError). A singular Hessian raises the plain SheafError.
- `tol` is Spark's single tolerance: it sets both the C relative-objective
  tolerance and, unless `gtol` is given, the gradient tolerance, as Spark's
  Breeze optimizers use one tolerance for both rules. The objective rule
  compares consecutive steps only, so a slow L-BFGS stretch can stop it a
  few 1e-6 (relative) short of the optimum even at tol=1e-15; for tight
  L-BFGS answers pass tol=0 (objective rule off) and gtol=1e-10 or so.
- `threshold` is stored in the C model at fit time (Spark's semantics):
  set_params(threshold=...) takes effect at the next fit.
- A fit that ends without converging warns with ConvergenceWarning naming
  the reason (a usable estimate is a result, not an error).
- A fitted model cannot be pickled or deep-copied (there is no C
  serialization of logistic regression yet): NotImplementedError. Unfitted
  estimators pickle; sklearn's clone never copies a fitted model.
"""

import collections
import ctypes
import inspect
import warnings
from ctypes import POINTER, c_char_p, c_double, c_int, c_size_t, c_void_p

import numpy as np

from . import _lib
from .errors import SheafError, SheafValueError, check

_h = c_void_p
_out = POINTER(c_void_p)


class LogregParams(ctypes.Structure):
    """sheaf_logreg_params, field for field in the order of sheaf_logreg.h
    (enums are C ints, size_t is c_size_t, the bounds are borrowed pointers)."""

    _fields_ = [
        ("reg_param", c_double),
        ("elastic_net_param", c_double),
        ("family", c_int),
        ("fit_intercept", c_int),
        ("standardization", c_int),
        ("max_iter", c_size_t),
        ("tol", c_double),
        ("gtol", c_double),
        ("threshold", c_double),
        ("solver", c_int),
        ("num_classes", c_size_t),
        ("lower_coefficients", POINTER(c_double)),
        ("upper_coefficients", POINTER(c_double)),
        ("lower_intercepts", POINTER(c_double)),
        ("upper_intercepts", POINTER(c_double)),
    ]


class LogregMetrics(ctypes.Structure):
    """sheaf_logreg_metrics."""

    _fields_ = [("log_loss", c_double), ("accuracy", c_double), ("auc", c_double),
                ("weight_sum", c_double)]


_pdouble = POINTER(c_double)

_lib.declare({
    "sheaf_logreg_params_default": (LogregParams, []),
    "sheaf_logreg_params_check": (c_int, [POINTER(LogregParams)]),
    "sheaf_logreg_fit": (c_int, [_h, _lib.array(ndim=2), c_size_t, c_size_t, c_size_t, _lib.array(),
                                 _lib.optional_array(), POINTER(LogregParams), _out]),
    "sheaf_logreg_fit_design": (c_int, [_h, _h, POINTER(LogregParams), _out]),
    "sheaf_logreg_free": (None, [_h]),
    "sheaf_logreg_num_classes": (c_size_t, [_h]),
    "sheaf_logreg_num_features": (c_size_t, [_h]),
    "sheaf_logreg_num_rows": (c_size_t, [_h]),
    "sheaf_logreg_coefficients": (None, [_h, _lib.array(ndim=2)]),
    "sheaf_logreg_intercepts": (None, [_h, _lib.array()]),
    "sheaf_logreg_iterations": (c_size_t, [_h]),
    "sheaf_logreg_objective": (c_double, [_h]),
    "sheaf_logreg_objective_history": (None, [_h, _lib.array()]),
    "sheaf_logreg_converged": (c_int, [_h, POINTER(c_char_p)]),
    "sheaf_logreg_solver_name": (c_char_p, [_h]),
    "sheaf_logreg_training_summary": (None, [_h, POINTER(LogregMetrics)]),
    "sheaf_logreg_evaluate": (c_int, [_h, _h, _lib.array(ndim=2), c_size_t, c_size_t, _lib.array(),
                                      _lib.optional_array(), POINTER(LogregMetrics)]),
    "sheaf_logreg_decision_function": (c_int, [_h, _lib.array(ndim=2), c_size_t, c_size_t, _lib.array(ndim=2)]),
    "sheaf_logreg_predict_proba": (c_int, [_h, _lib.array(ndim=2), c_size_t, c_size_t, _lib.array(ndim=2)]),
    "sheaf_logreg_predict": (c_int, [_h, _lib.array(ndim=2), c_size_t, c_size_t, _lib.array()]),
    "sheaf_logreg_num_params": (c_size_t, [_h]),
    "sheaf_logreg_inference": (c_int, [_h, _lib.optional_array(), _lib.optional_array(),
                                       _lib.optional_array()]),
    "sheaf_logreg_conf_int": (c_int, [_h, c_double, _lib.array(), _lib.array()]),
})

# sheaf_logreg_family and sheaf_logreg_solver values (ABI-fixed).
_FAMILIES = {"auto": 0, "binomial": 1, "multinomial": 2}
_SOLVERS = {"auto": 0, "lbfgs": 1, "newton": 2}

_NAME = "sheaf.LogisticRegression"


class ConvergenceWarning(UserWarning):
    """The optimizer stopped before a convergence rule held; the estimate is
    the last iterate (see convergence_reason_)."""


class InferenceUnavailableError(SheafError, AttributeError):
    """The fit has no inference (L1/elastic-net penalty, multinomial family,
    or too many parameters): the C status UNSUPPORTED with its message. An
    AttributeError too, so hasattr(model, 'bse_') is False for such fits."""


TrainingSummary = collections.namedtuple("TrainingSummary",
                                         ["log_loss", "accuracy", "auc", "weight_sum"])
TrainingSummary.__doc__ = """Quality of a model on labelled rows
(sheaf_logreg_metrics): weighted mean log-loss (no penalty), weighted
accuracy, area under the ROC curve (multinomial: macro mean of one-vs-rest),
and the weight sum."""


def _fail(message, status="SHEAF_ERR_INVALID_ARGUMENT"):
    """A SheafValueError raised from the Python side, shaped like the ones
    errors.check raises for C statuses."""
    error = SheafValueError("%s: %s" % (_NAME, message))
    error.status = status
    return error


_Model = _lib.owner(_lib.lib.sheaf_logreg_free, "sheaf_logreg *")


# ---- input shaping ----------------------------------------------------------

def _is_frame(x):
    from .frame import Frame

    return isinstance(x, Frame)


def _is_pandas_frame(x):
    return type(x).__module__.startswith("pandas") and hasattr(x, "columns")


def _design_matrix(X):
    """(C-contiguous float64 2-D array, column names or None). A numpy array
    that is already C-contiguous float64 is passed through uncopied."""
    names = None
    if _is_pandas_frame(X):
        columns = list(X.columns)
        # sklearn's rule: names only when every column name is a string.
        if columns and all(isinstance(c, str) for c in columns):
            names = np.asarray(columns, dtype=object)
        X = X.to_numpy()
    try:
        x = np.ascontiguousarray(X, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise _fail("X must be numeric (%s)" % e) from None
    if x.ndim != 2:
        raise _fail("expected a 2-D X (rows x features), got %d dimension(s) with shape %s; "
                    "reshape a single feature with X.reshape(-1, 1)" % (x.ndim, x.shape),
                    "SHEAF_ERR_DIMENSION")
    if x.shape[0] == 0:
        raise _fail("X has 0 rows (shape %s); at least one is required" % (x.shape,),
                    "SHEAF_ERR_DIMENSION")
    return x, names


def _label_vector(y, n_rows):
    """y as a 1-D numpy array of n_rows labels (a column vector is raveled)."""
    if y is None:
        raise _fail("y is required with array or pandas input")
    labels = np.asarray(y)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels.ravel()
    if labels.ndim != 1:
        raise _fail("y must be 1-D (one label per row), got shape %s" % (labels.shape,),
                    "SHEAF_ERR_DIMENSION")
    if labels.shape[0] != n_rows:
        raise _fail("X has %d rows but y has %d labels" % (n_rows, labels.shape[0]),
                    "SHEAF_ERR_DIMENSION")
    if labels.dtype.kind == "f":
        missing = np.flatnonzero(np.isnan(labels))
        if missing.size:
            raise _fail("y has a missing label (NaN) at row %d" % missing[0])
        fractional = np.flatnonzero(labels != np.round(labels))
        if fractional.size:
            raise _fail("Unknown label type: 'continuous' (y[%d] = %r is not a class label)"
                        % (fractional[0], labels[fractional[0]]))
    return labels


def _weight_vector(sample_weight, n_rows):
    if sample_weight is None:
        return None
    w = np.ascontiguousarray(sample_weight, dtype=np.float64)
    if w.ndim != 1 or w.shape[0] != n_rows:
        raise _fail("sample_weight has shape %s but X has %d rows" % (w.shape, n_rows),
                    "SHEAF_ERR_DIMENSION")
    return w


def _fit_classes(labels):
    """(classes_, labels as 0..k-1 float64 indices)."""
    try:
        classes, index = np.unique(labels, return_inverse=True)
    except TypeError as e:
        raise _fail("y mixes label types that cannot be sorted (%s)" % e) from None
    if classes.size < 2:
        raise _fail("y has %d class (%s); at least 2 are needed"
                    % (classes.size, ", ".join(repr(c) for c in classes)))
    return classes, index.astype(np.float64)


def _choice(what, value, choices):
    if value not in choices:
        raise ValueError("%s: %s must be one of %s, not %r"
                         % (_NAME, what, ", ".join(repr(c) for c in choices), value))
    return choices[value]


def _size(what, value):
    if isinstance(value, (bool, np.bool_)) or int(value) != value or value < 0:
        raise ValueError("%s: %s must be a non-negative integer, not %r" % (_NAME, what, value))
    return int(value)


def _bound(what, value, shape):
    """A bound array of exactly `shape` (a 1-row bound may also come flat),
    C-contiguous float64, or None."""
    if value is None:
        return None
    a = np.ascontiguousarray(value, dtype=np.float64)
    flat_one_row = len(shape) == 2 and shape[0] == 1 and a.shape == (shape[1],)
    if a.shape != tuple(shape) and not flat_one_row and not (a.ndim == 0 and shape == (1,)):
        raise _fail("%s has shape %s; this fit needs %s (like %s)"
                    % (what, a.shape, tuple(shape),
                       "coef_" if len(shape) == 2 else "intercept_"), "SHEAF_ERR_DIMENSION")
    return a.reshape(-1)


def _pointer(a):
    return a.ctypes.data_as(_pdouble) if a is not None else None


class LogisticRegression:
    """Logistic regression with Spark ML's parameters (reg_param,
    elastic_net_param, family, fit_intercept, standardization, max_iter,
    tol, threshold, solver 'auto' | 'lbfgs' | 'newton', and optional box
    bounds shaped like coef_ / intercept_) in scikit-learn's estimator shape.
    threads None: the library default (all cores). gtol (None: tol) is the
    gradient tolerance, max |gradient| <= gtol * max(1, objective).

    Learned: classes_, coef_ (1 x p binomial, k x p multinomial), intercept_,
    n_iter_ (shape (1,)), n_features_in_, feature_names_in_ (named input),
    objective_, objective_history_, converged_, convergence_reason_,
    solver_, training_summary_; after an unpenalised or L2 binomial fit also
    bse_, zvalues_, pvalues_ and conf_int(alpha), intercept first
    (statsmodels' order)."""

    _estimator_type = "classifier"  # sklearn's is_classifier: stratified CV, accuracy

    def __init__(self, reg_param=0.0, elastic_net_param=0.0, family="auto", fit_intercept=True,
                 standardization=True, max_iter=100, tol=1e-6, threshold=0.5, solver="auto",
                 threads=None, gtol=None, lower_bounds_on_coefficients=None,
                 upper_bounds_on_coefficients=None, lower_bounds_on_intercepts=None,
                 upper_bounds_on_intercepts=None):
        # Stored unchanged (sklearn's clone checks identity); checked at fit.
        self.reg_param = reg_param
        self.elastic_net_param = elastic_net_param
        self.family = family
        self.fit_intercept = fit_intercept
        self.standardization = standardization
        self.max_iter = max_iter
        self.tol = tol
        self.threshold = threshold
        self.solver = solver
        self.threads = threads
        self.gtol = gtol
        self.lower_bounds_on_coefficients = lower_bounds_on_coefficients
        self.upper_bounds_on_coefficients = upper_bounds_on_coefficients
        self.lower_bounds_on_intercepts = lower_bounds_on_intercepts
        self.upper_bounds_on_intercepts = upper_bounds_on_intercepts

    # ---- parameters (sklearn's protocol, by hand) ------------------------
    @classmethod
    def _param_names(cls):
        return [name for name in inspect.signature(cls.__init__).parameters if name != "self"]

    def get_params(self, deep=True):
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params):
        valid = self._param_names()
        for name, value in params.items():
            if name not in valid:
                raise ValueError("%s: invalid parameter %r; valid parameters are %s"
                                 % (_NAME, name, ", ".join(valid)))
            setattr(self, name, value)
        return self

    def __repr__(self):
        defaults = {k: v.default for k, v in inspect.signature(type(self).__init__)
                    .parameters.items() if k != "self"}
        changed = ["%s=%r" % (k, v) for k, v in self.get_params().items()
                   if not (v is defaults[k] or (_is_plain(v) and v == defaults[k]))]
        return "%s(%s)" % (type(self).__name__, ", ".join(changed))

    def __getstate__(self):
        if getattr(self, "_model", None) is not None:
            raise NotImplementedError(
                "%s: a fitted model cannot be pickled or copied (libsheaf has no serialization "
                "for logistic regression yet); pickle the unfitted estimator, or use "
                "sklearn.base.clone and refit" % _NAME)
        return dict(self.__dict__)

    # ---- fitting ---------------------------------------------------------
    def _c_params(self, n_classes, n_features):
        """(sheaf_logreg_params, arrays the struct's pointers borrow). The
        arrays must stay referenced until the C call returns."""
        p = _lib.lib.sheaf_logreg_params_default()
        p.reg_param = float(self.reg_param)
        p.elastic_net_param = float(self.elastic_net_param)
        p.family = _choice("family", self.family, _FAMILIES)
        p.fit_intercept = int(bool(self.fit_intercept))
        p.standardization = int(bool(self.standardization))
        p.max_iter = _size("max_iter", self.max_iter)
        p.tol = float(self.tol)
        # Spark: one tolerance for both stopping rules, unless told otherwise.
        p.gtol = float(self.tol if self.gtol is None else self.gtol)
        p.threshold = float(self.threshold)
        p.solver = _choice("solver", self.solver, _SOLVERS)
        p.num_classes = n_classes
        rows = self._rows_for(p.family, n_classes)
        keep = [_bound("lower_bounds_on_coefficients", self.lower_bounds_on_coefficients,
                       (rows, n_features)),
                _bound("upper_bounds_on_coefficients", self.upper_bounds_on_coefficients,
                       (rows, n_features)),
                _bound("lower_bounds_on_intercepts", self.lower_bounds_on_intercepts, (rows,)),
                _bound("upper_bounds_on_intercepts", self.upper_bounds_on_intercepts, (rows,))]
        (p.lower_coefficients, p.upper_coefficients,
         p.lower_intercepts, p.upper_intercepts) = [_pointer(a) for a in keep]
        return p, keep

    @staticmethod
    def _rows_for(family, n_classes):
        """Coefficient rows the C fit will make (sheaf_logreg_family); the
        bounds must have exactly this many, as C reads them blind."""
        if family == _FAMILIES["binomial"]:
            return 1
        if family == _FAMILIES["multinomial"]:
            return n_classes
        return 1 if n_classes <= 2 else n_classes

    def fit(self, X, y=None, sample_weight=None, *, features=None, label=None):
        """Fits on X (rows x features) and labels y, optional non-negative
        sample_weight (frequencies); or on a sheaf.Frame with
        features=[column names] and label='column' of class indices 0..k-1
        (y and sample_weight must then be None). Returns self."""
        from .frame import Context

        self._model = None
        if _is_frame(X):
            return self._fit_frame(X, y, sample_weight, features, label)
        if features is not None or label is not None:
            raise _fail("features= and label= are for sheaf.Frame input; with arrays pass X, y")
        x, names = _design_matrix(X)
        labels = _label_vector(y, x.shape[0])
        weights = _weight_vector(sample_weight, x.shape[0])
        classes, index = _fit_classes(labels)
        params, keep = self._c_params(classes.size, x.shape[1])
        out = c_void_p()
        with Context(self.threads) as ctx:
            check(_lib.lib.sheaf_logreg_fit(ctx, x, x.shape[0], x.shape[1], x.shape[1], index,
                                            weights, ctypes.byref(params), ctypes.byref(out)))
        del keep  # the C model keeps no pointer to the bounds
        self._label = None
        return self._learn(_Model(out), classes, names)

    def _fit_frame(self, frame, y, sample_weight, features, label):
        from .features import VectorAssembler
        from .frame import Context

        if y is not None or sample_weight is not None:
            raise _fail("with a sheaf.Frame pass label='column' (not y) and no sample_weight "
                        "(a design's rows all weigh 1)")
        if features is None or label is None:
            raise _fail("a sheaf.Frame needs features=[column names] and label='column'")
        bounds = (self.lower_bounds_on_coefficients, self.upper_bounds_on_coefficients,
                  self.lower_bounds_on_intercepts, self.upper_bounds_on_intercepts)
        if any(a is not None for a in bounds) and self.family != "binomial":
            # k is unknown before the fit, so the bound shapes cannot be checked.
            raise _fail("bounds with sheaf.Frame input need family='binomial' "
                        "(their shape depends on the number of classes)")
        feature_list = [features] if isinstance(features, str) else [str(f) for f in features]
        design = VectorAssembler(feature_list, label).transform(frame, self.threads)
        # The number of classes comes from the labels (C: largest + 1).
        params, keep = self._c_params(0, len(feature_list))
        out = c_void_p()
        with Context(self.threads) as ctx:
            check(_lib.lib.sheaf_logreg_fit_design(ctx, design._h.ptr, ctypes.byref(params),
                                                   ctypes.byref(out)))
        del keep  # the C model keeps no pointer to the bounds
        model = _Model(out)
        k = _lib.lib.sheaf_logreg_num_classes(model.ptr)
        self._label = label
        return self._learn(model, np.arange(k, dtype=np.float64),
                           np.asarray(feature_list, dtype=object))

    def _learn(self, model, classes, names):
        ptr = model.ptr
        rows = _lib.lib.sheaf_logreg_num_rows(ptr)
        p = _lib.lib.sheaf_logreg_num_features(ptr)
        self._model = model
        self._inference = None
        self.classes_ = classes
        self.n_features_in_ = p
        if names is not None:
            self.feature_names_in_ = names
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        self.coef_ = np.empty((rows, p), dtype=np.float64)
        _lib.lib.sheaf_logreg_coefficients(ptr, self.coef_)
        self.intercept_ = np.empty(rows, dtype=np.float64)
        _lib.lib.sheaf_logreg_intercepts(ptr, self.intercept_)
        iterations = _lib.lib.sheaf_logreg_iterations(ptr)
        self.n_iter_ = np.array([iterations], dtype=np.int32)  # sklearn's dtype and shape
        self.objective_ = _lib.lib.sheaf_logreg_objective(ptr)
        self.objective_history_ = np.empty(iterations + 1, dtype=np.float64)
        _lib.lib.sheaf_logreg_objective_history(ptr, self.objective_history_)
        reason = c_char_p()
        self.converged_ = bool(_lib.lib.sheaf_logreg_converged(ptr, ctypes.byref(reason)))
        self.convergence_reason_ = reason.value.decode("ascii") if reason.value else None
        if not self.converged_:
            warnings.warn("%s: the fit did not converge (reason: %s, %d iterations); the "
                          "coefficients are the last iterate" % (_NAME, self.convergence_reason_,
                                                                  iterations),
                          ConvergenceWarning, stacklevel=3)
        return self

    # ---- fitted-model plumbing -------------------------------------------
    def _fitted(self):
        model = getattr(self, "_model", None)
        if model is None:
            raise _fail("this LogisticRegression instance is not fitted yet; call fit first",
                        "SHEAF_ERR_MISUSE")
        return model.ptr

    @property
    def solver_(self):
        """The solver that ran: 'newton', 'lbfgs', 'owlqn' or 'none'."""
        return _lib.lib.sheaf_logreg_solver_name(self._fitted()).decode("ascii")

    @property
    def training_summary_(self):
        """TrainingSummary on the training rows, computed by the fit."""
        metrics = LogregMetrics()
        _lib.lib.sheaf_logreg_training_summary(self._fitted(), ctypes.byref(metrics))
        return _summary(metrics)

    def _prediction_input(self, X, features):
        """X shaped for the C prediction functions, checked against the fit."""
        ptr = self._fitted()
        if _is_frame(X):
            from .features import VectorAssembler

            names = features if features is not None else getattr(self, "feature_names_in_",
                                                                   None)
            if names is None:
                raise _fail("predicting on a sheaf.Frame needs features=[column names] "
                            "(the model was fitted on unnamed columns)")
            x, _ = VectorAssembler(list(names)).transform(X, self.threads).to_numpy()
        else:
            if features is not None:
                raise _fail("features= is for sheaf.Frame input")
            x, names = _design_matrix(X)
            fitted_names = getattr(self, "feature_names_in_", None)
            if (names is not None and fitted_names is not None
                    and list(names) != list(fitted_names)):
                raise _fail("the feature names should match those passed to fit: got %s, "
                            "fitted on %s" % (list(names), list(fitted_names)))
        p = _lib.lib.sheaf_logreg_num_features(ptr)
        if x.shape[1] != p:
            raise _fail("X has %d features, but LogisticRegression is expecting %d features "
                        "as input" % (x.shape[1], p), "SHEAF_ERR_DIMENSION")
        return ptr, x

    # ---- prediction ------------------------------------------------------
    def decision_function(self, X, *, features=None):
        """Raw margins b_k + x . w_k: shape (n,) binomial, (n, k) multinomial."""
        ptr, x = self._prediction_input(X, features)
        rows = _lib.lib.sheaf_logreg_num_rows(ptr)
        out = np.empty((x.shape[0], rows), dtype=np.float64)
        check(_lib.lib.sheaf_logreg_decision_function(ptr, x, x.shape[0], x.shape[1], out))
        return out[:, 0] if rows == 1 else out

    def predict_proba(self, X, *, features=None):
        """Class probabilities (n, k), columns in the order of classes_."""
        ptr, x = self._prediction_input(X, features)
        out = np.empty((x.shape[0], _lib.lib.sheaf_logreg_num_classes(ptr)), dtype=np.float64)
        check(_lib.lib.sheaf_logreg_predict_proba(ptr, x, x.shape[0], x.shape[1], out))
        return out

    def predict_log_proba(self, X, *, features=None):
        """log of predict_proba (numpy's log; -inf for probability 0)."""
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X, features=features))

    def predict(self, X, *, features=None):
        """Predicted labels (values of classes_): binomial the second class
        when P(it) > threshold, else the most probable class."""
        ptr, x = self._prediction_input(X, features)
        out = np.empty(x.shape[0], dtype=np.float64)
        check(_lib.lib.sheaf_logreg_predict(ptr, x, x.shape[0], x.shape[1], out))
        return self.classes_[out.astype(np.intp)]

    # ---- evaluation ------------------------------------------------------
    def _class_indices(self, y, n_rows):
        """Labels y as float64 indices into classes_; an unseen label raises."""
        labels = _label_vector(y, n_rows)
        classes = self.classes_
        try:
            index = np.searchsorted(classes, labels)
        except TypeError as e:
            raise _fail("y's labels cannot be compared with classes_ %s (%s)"
                        % (list(classes), e)) from None
        inside = np.minimum(index, classes.size - 1)
        unseen = np.flatnonzero((index >= classes.size) | (classes[inside] != labels))
        if unseen.size:
            raise _fail("y has the label %r at row %d, which is not among the classes seen in "
                        "fit %s" % (labels[unseen[0]], unseen[0], list(classes)))
        return index.astype(np.float64)

    def evaluate(self, X, y=None, sample_weight=None, *, features=None, label=None):
        """TrainingSummary (log-loss, accuracy, AUC, weight sum) of the model
        on labelled rows, computed in C (sheaf_logreg_evaluate). A sheaf.Frame
        takes label= (default: the fit's label column)."""
        from .frame import Context

        if _is_frame(X):
            label = label if label is not None else getattr(self, "_label", None)
            if label is None or y is not None:
                raise _fail("evaluating on a sheaf.Frame needs label='column' (not y)")
            names = features if features is not None else getattr(self, "feature_names_in_",
                                                                   None)
            if names is None:
                raise _fail("evaluating on a sheaf.Frame needs features=[column names]")
            from .features import VectorAssembler

            x, y = VectorAssembler(list(names), label).transform(X, self.threads).to_numpy()
            ptr, x = self._prediction_input(x, None)
            index = self._class_indices(y, x.shape[0])
        else:
            ptr, x = self._prediction_input(X, features)
            index = self._class_indices(y, x.shape[0])
        weights = _weight_vector(sample_weight, x.shape[0])
        metrics = LogregMetrics()
        with Context(self.threads) as ctx:
            check(_lib.lib.sheaf_logreg_evaluate(ctx, ptr, x, x.shape[0], x.shape[1], index,
                                                 weights, ctypes.byref(metrics)))
        return _summary(metrics)

    def score(self, X, y=None, sample_weight=None, **frame_keywords):
        """Weighted accuracy, as sklearn's ClassifierMixin.score."""
        return self.evaluate(X, y, sample_weight, **frame_keywords).accuracy

    # ---- inference -------------------------------------------------------
    def _inference_values(self):
        if self._inference is None:
            ptr = self._fitted()
            n = _lib.lib.sheaf_logreg_num_params(ptr)
            bse, z, pv = (np.empty(n, dtype=np.float64) for _ in range(3))
            _check_inference(_lib.lib.sheaf_logreg_inference(ptr, bse, z, pv))
            self._inference = (bse, z, pv)
        return self._inference

    @property
    def bse_(self):
        """Standard errors, intercept first (statsmodels' bse)."""
        return self._inference_values()[0].copy()

    @property
    def zvalues_(self):
        """z = coefficient / standard error, intercept first."""
        return self._inference_values()[1].copy()

    @property
    def pvalues_(self):
        """Two-sided normal p-values of the z-values, intercept first."""
        return self._inference_values()[2].copy()

    def conf_int(self, alpha=0.05):
        """Wald intervals, shape (num_params, 2): columns lower, upper; rows
        intercept first (statsmodels' conf_int)."""
        ptr = self._fitted()
        n = _lib.lib.sheaf_logreg_num_params(ptr)
        lower, upper = np.empty(n, dtype=np.float64), np.empty(n, dtype=np.float64)
        _check_inference(_lib.lib.sheaf_logreg_conf_int(ptr, float(alpha), lower, upper))
        return np.column_stack([lower, upper])


def _check_inference(status):
    """check(), with UNSUPPORTED (no inference for this kind of fit) raised
    as InferenceUnavailableError."""
    try:
        check(status)
    except SheafError as e:
        if e.status != "SHEAF_ERR_UNSUPPORTED" or isinstance(e, InferenceUnavailableError):
            raise
        error = InferenceUnavailableError(str(e))
        error.status = e.status
        raise error from None


def _summary(metrics):
    return TrainingSummary(metrics.log_loss, metrics.accuracy, metrics.auc, metrics.weight_sum)


def _is_plain(value):
    return isinstance(value, (int, float, str, bool, type(None)))
