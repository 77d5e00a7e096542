"""Peer for the logistic-regression benchmarks, and the one objective
evaluator every side is judged by. Loads a bench/gen/gen_logreg.py folder
(not timed), fits it REPEAT times with each requested solver and prints the
median wall time, the iterations and the objective of the last fit:

  fit lbfgs median_s=12.345678 iters=57 objective=0.41234567890123456

then evaluates coefficient files other programs wrote (sheaf's), one line
each:

  eval sheaf_auto objective=0.41234567890123456

The objective is sheaf's (Spark ML's) with standardization off,
  F(b, W) = mean_i logloss_i + reg / 2 ||W||^2   (intercepts b unpenalised),
the same minimiser as scikit-learn's LogisticRegression(C = 1 / (n reg)),
whose objective is C sum_i logloss_i + ||W||^2 / 2 = F / reg. It is
computed here in float64 with numpy, from the coefficients alone, so every
solver's answer is measured with the same ruler.

Solvers: lbfgs, newton-cholesky (binomial only in scikit-learn 1.2),
newton-cg (scikit-learn, multi_class='multinomial' for more than 2 classes)
and liblinear (`train -s 0 -B 100` through bench/peers/logreg_liblinear.py,
binomial only, its bias penalised but scaled to make that negligible). GTOL is the stopping gradient in F's units
(max |dF/dw_j|); each solver gets the equivalent in its own units: in
scikit-learn 1.2 lbfgs and newton-cg minimise the summed loss, n F, so
their tol is n GTOL, newton-cholesky works on the mean loss (tol = GTOL);
liblinear's rule is relative to its first gradient (eps = LIBLINEAR_EPS).

Coefficient files: raw little-endian float64, rows x (1 + cols) row-major,
column 0 the intercept (rows = 1 binomial, k multinomial).

usage: /usr/bin/python3 bench/peers/logreg_sklearn.py FOLDER REG GTOL REPEAT SOLVERS
         [NAME=COEF_FILE ...]     (SOLVERS comma-separated, or - for none)"""

import os
import sys
import time
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "gen"))
sys.path.insert(0, HERE)

import gen_logreg  # noqa: E402

MAX_ITER = 1000
LIBLINEAR_EPS = 1e-7  # |g|_2 <= eps min(pos, neg)/n |g0|_2: about 1e-9 in F's max-gradient units
# `-B 100`: liblinear penalises the bias weight w_b like the others, so the
# intercept 100 w_b pays reg/2 (b/100)^2, 1e4 times less than a coefficient:
# F at its optimum moves by ~1e-11 relative (with `-B 1` by 2.5e-4 here).
LIBLINEAR_BIAS = 100.0


def objective(x, y, intercept, coef, reg):
    """F for coefficient rows coef (rows x cols) and intercepts (rows)."""
    margins = x @ coef.T + intercept
    if coef.shape[0] == 1:
        m = margins[:, 0]
        losses = np.logaddexp(0.0, m) - y * m
    else:
        top = margins.max(axis=1)
        lse = top + np.log(np.exp(margins - top[:, None]).sum(axis=1))
        losses = lse - margins[np.arange(y.size), y.astype(np.intp)]
    return float(losses.mean()) + 0.5 * reg * float(np.sum(coef * coef))


def sklearn_fit(x, y, reg, gtol, solver):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    n, classes = y.size, int(y.max()) + 1
    tol = gtol if solver == "newton-cholesky" else n * gtol
    model = LogisticRegression(C=1.0 / (n * reg), solver=solver, tol=tol, max_iter=MAX_ITER,
                               multi_class="multinomial" if classes > 2 else "auto")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        model.fit(x, y)
        seconds = time.perf_counter() - start
    return seconds, model.intercept_, model.coef_, int(np.max(model.n_iter_))


def liblinear_fitter(x, y, reg):
    """A fit function for liblinear, with the problem built once (not timed)."""
    import logreg_liblinear

    if int(y.max()) > 1:
        raise RuntimeError("liblinear -s 0 is one-vs-rest for more than 2 classes: not run")
    lib = logreg_liblinear.load_library()
    dense = logreg_liblinear.DenseProblem(x, y, LIBLINEAR_BIAS)

    def fit():
        start = time.perf_counter()
        coef, intercept, iters = logreg_liblinear.train(lib, dense, 1.0 / (y.size * reg),
                                                        LIBLINEAR_EPS)
        seconds = time.perf_counter() - start
        return seconds, np.array([intercept]), coef[None, :], iters

    return fit


def time_solver(x, y, reg, gtol, repeat, solver):
    if solver == "liblinear":
        fit = liblinear_fitter(x, y, reg)
    else:
        def fit():
            return sklearn_fit(x, y, reg, gtol, solver)
    times = []
    for _ in range(repeat):
        seconds, intercept, coef, iters = fit()
        times.append(seconds)
    print("fit %s median_s=%.6f iters=%d objective=%.17g" % (
        solver, float(np.median(times)), iters, objective(x, y, intercept, coef, reg)),
        flush=True)


def evaluate_file(x, y, reg, name, path):
    rows = 1 if int(y.max()) < 2 else int(y.max()) + 1
    table = np.fromfile(path, "<f8").reshape(rows, x.shape[1] + 1)
    print("eval %s objective=%.17g" % (name, objective(x, y, table[:, 0], table[:, 1:], reg)))


def main(args):
    if len(args) < 5:
        sys.exit(__doc__)
    folder, solvers = args[0], args[4]
    reg, gtol, repeat = float(args[1]), float(args[2]), int(args[3])
    x, y, _ = gen_logreg.load(folder)
    for solver in [] if solvers == "-" else solvers.split(","):
        time_solver(x, y, reg, gtol, repeat, solver)
    for pair in args[5:]:
        name, path = pair.split("=", 1)
        evaluate_file(x, y, reg, name, path)


if __name__ == "__main__":
    main(sys.argv[1:])
