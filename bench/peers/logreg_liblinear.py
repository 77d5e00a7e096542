"""liblinear's `train -s 0` (L2-regularised logistic regression in the
primal, a trust-region Newton method with conjugate-gradient steps; Lin,
Weng and Keerthi, JMLR 2008) called in-process through ctypes on Debian's
liblinear4 (the library behind liblinear-tools' `liblinear-train`), so the
training can be timed without the libsvm-format file parsing. The dense
rows become liblinear's (index, value) node arrays before the clock starts.

liblinear minimises 0.5 |w|^2 + C sum_i log(1 + exp(-y_i w.x_i)) with
x_i extended by the constant BIAS when BIAS >= 0: the bias weight is
penalised too (liblinear 2.3 has no switch to exempt it), so the fitted
intercept BIAS * w_b solves a slightly different problem than sklearn's or
sheaf's; the larger BIAS, the smaller the difference (sklearn's
intercept_scaling). Stopping rule: |f'(w)|_2 <= eps min(pos, neg) / l
|f'(w0)|_2. One thread (liblinear 2.3 is not parallel). Binary labels only:
`-s 0` is one-vs-rest for more classes, a different model, so the
multinomial benchmark does not run it."""

import ctypes
import ctypes.util

import numpy as np

L2R_LR = 0


class FeatureNode(ctypes.Structure):
    _fields_ = [("index", ctypes.c_int), ("value", ctypes.c_double)]


class Problem(ctypes.Structure):
    _fields_ = [("l", ctypes.c_int), ("n", ctypes.c_int), ("y", ctypes.POINTER(ctypes.c_double)),
                ("x", ctypes.POINTER(ctypes.POINTER(FeatureNode))), ("bias", ctypes.c_double)]


class Parameter(ctypes.Structure):  # liblinear 2.3's struct parameter
    _fields_ = [("solver_type", ctypes.c_int), ("eps", ctypes.c_double), ("C", ctypes.c_double),
                ("nr_weight", ctypes.c_int), ("weight_label", ctypes.POINTER(ctypes.c_int)),
                ("weight", ctypes.POINTER(ctypes.c_double)), ("p", ctypes.c_double),
                ("init_sol", ctypes.POINTER(ctypes.c_double))]


class Model(ctypes.Structure):
    _fields_ = [("param", Parameter), ("nr_class", ctypes.c_int), ("nr_feature", ctypes.c_int),
                ("w", ctypes.POINTER(ctypes.c_double)), ("label", ctypes.POINTER(ctypes.c_int)),
                ("bias", ctypes.c_double)]


PRINT_FN = ctypes.CFUNCTYPE(None, ctypes.c_char_p)
NODE_DTYPE = np.dtype([("index", np.intc), ("value", np.float64)], align=True)


def load_library():
    path = ctypes.util.find_library("linear") or "liblinear.so.4"
    lib = ctypes.CDLL(path)
    lib.train.restype = ctypes.POINTER(Model)
    lib.train.argtypes = [ctypes.POINTER(Problem), ctypes.POINTER(Parameter)]
    lib.check_parameter.restype = ctypes.c_char_p
    lib.check_parameter.argtypes = [ctypes.POINTER(Problem), ctypes.POINTER(Parameter)]
    lib.free_and_destroy_model.restype = None
    lib.free_and_destroy_model.argtypes = [ctypes.POINTER(ctypes.POINTER(Model))]
    lib.set_print_string_function.restype = None
    lib.set_print_string_function.argtypes = [PRINT_FN]
    return lib


class DenseProblem:
    """liblinear's problem for dense rows x (n x p) and binary labels y:
    each row p nodes, the bias node (index p + 1) when bias >= 0, and the
    terminating index -1. Keeps the node array alive with the problem."""

    def __init__(self, x, y, bias):
        n, p = x.shape
        width = p + (2 if bias >= 0 else 1)
        self.nodes = np.zeros((n, width), dtype=NODE_DTYPE)
        self.nodes["index"][:, :p] = np.arange(1, p + 1, dtype=np.intc)
        self.nodes["value"][:, :p] = x
        if bias >= 0:
            self.nodes["index"][:, p] = p + 1
            self.nodes["value"][:, p] = bias
        self.nodes["index"][:, -1] = -1
        self.labels = np.ascontiguousarray(y, dtype=np.float64)
        base = self.nodes.ctypes.data
        self.rows = (ctypes.POINTER(FeatureNode) * n)()
        np.frombuffer(self.rows, dtype=np.uintp)[:] = \
            base + np.arange(n, dtype=np.uintp) * (width * NODE_DTYPE.itemsize)
        self.problem = Problem(l=n, n=p + (1 if bias >= 0 else 0),
                               y=self.labels.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
                               x=self.rows, bias=bias)


def train(lib, dense, c, eps):
    """Fits and returns (coef (p,), intercept, newton_iterations) with the
    coefficients oriented so that a positive margin means label 1."""
    iterations = [0]

    def count_iterations(message):  # TRON prints one "iter ..." line per Newton step
        if message.lstrip().startswith(b"iter"):
            iterations[0] += 1

    printer = PRINT_FN(count_iterations)
    lib.set_print_string_function(printer)
    param = Parameter(solver_type=L2R_LR, eps=eps, C=c, nr_weight=0, p=0.1)
    error = lib.check_parameter(ctypes.byref(dense.problem), ctypes.byref(param))
    if error:
        raise RuntimeError("liblinear: %s" % error.decode())
    model = lib.train(ctypes.byref(dense.problem), ctypes.byref(param))
    try:
        m = model.contents
        width = m.nr_feature + (1 if m.bias >= 0 else 0)
        w = np.ctypeslib.as_array(m.w, (width,)).copy()
        sign = 1.0 if m.label[0] == 1 else -1.0  # liblinear's w favours its first label
        coef = sign * w[:m.nr_feature]
        intercept = sign * w[m.nr_feature] * m.bias if m.bias >= 0 else 0.0
    finally:
        lib.free_and_destroy_model(ctypes.byref(model))
    return coef, intercept, iterations[0]
