"""Generates the data of the logistic-regression benchmarks: ROWS x COLS
dense features and labels drawn from a known logistic model, written as raw
little-endian arrays that both sides load without parsing:

  X.f64      ROWS x COLS float64, row-major
  y.f64      ROWS labels 0..CLASSES-1 as float64
  meta.json  rows, cols, classes, seed, the generating model

Features: x = mu + s * (L z), z standard normal, L the Cholesky factor of
the AR(1) correlation rho^|i-j| (rho = 0.6, neighbours correlated, the
Gram matrix's condition number in the tens), per-feature scales s from 0.5
to 2 and means mu in [-1, 1] (standardization is off in the benchmark, so
scales and means shape the problem the solvers see; the means couple the
intercept to the coefficients). Labels: binomial (CLASSES = 2)
y ~ Bernoulli(sigmoid(b + x.w)); multinomial y = argmax_k(b_k + x.w_k +
Gumbel noise), an exact softmax draw. The coefficients are scaled so the
margins' standard deviation is about 2 (binomial) or 1.5 per class: far
from separable, far from pure noise. numpy.random.default_rng(seed), rows
drawn in blocks of BLOCK; same seed, same bytes.

usage: /usr/bin/python3 bench/gen/gen_logreg.py OUTDIR ROWS COLS CLASSES [SEED]"""

import json
import os
import sys

import numpy as np

RHO = 0.6
BLOCK = 100_000  # rows drawn and written per step (80 MB at 50 columns)
BINOMIAL_MARGIN_SD, CLASS_MARGIN_SD = 2.0, 1.5


def feature_model(rng, cols):
    """mu, s and the Cholesky factor of the AR(1) correlation."""
    lag = np.abs(np.subtract.outer(np.arange(cols), np.arange(cols)))
    chol = np.linalg.cholesky(RHO ** lag)
    scale = 10.0 ** rng.uniform(np.log10(0.5), np.log10(2.0), cols)
    mean = rng.uniform(-1.0, 1.0, cols)
    return mean, scale, chol


def label_model(rng, mean, scale, chol, classes):
    """Coefficient rows (1 for binomial, CLASSES otherwise) and intercepts,
    the rows scaled to the target margin standard deviation and the
    intercepts set so the average margins are the chosen offsets."""
    rows = 1 if classes == 2 else classes
    target = BINOMIAL_MARGIN_SD if classes == 2 else CLASS_MARGIN_SD
    cov = (scale[:, None] * (chol @ chol.T)) * scale[None, :]
    coef = rng.standard_normal((rows, mean.size))
    coef *= target / np.sqrt(np.einsum("kj,jl,kl->k", coef, cov, coef))[:, None]
    offsets = np.array([-0.5]) if classes == 2 else np.linspace(0.5, -0.5, classes)
    return coef, offsets - coef @ mean


def generate(folder, rows, cols, classes, seed):
    rng = np.random.default_rng(seed)
    mean, scale, chol = feature_model(rng, cols)
    coef, intercept = label_model(rng, mean, scale, chol, classes)
    os.makedirs(folder, exist_ok=True)
    counts = np.zeros(classes, dtype=np.int64)
    with open(os.path.join(folder, "X.f64.tmp"), "wb") as fx, \
            open(os.path.join(folder, "y.f64.tmp"), "wb") as fy:
        for start in range(0, rows, BLOCK):
            n = min(BLOCK, rows - start)
            x = mean + (rng.standard_normal((n, cols)) @ chol.T) * scale
            margins = x @ coef.T + intercept
            if classes == 2:
                y = (rng.random(n) < 1.0 / (1.0 + np.exp(-margins[:, 0]))).astype(np.float64)
            else:
                y = np.argmax(margins + rng.gumbel(size=margins.shape), axis=1).astype(np.float64)
            counts += np.bincount(y.astype(np.int64), minlength=classes)
            x.astype("<f8").tofile(fx)
            y.astype("<f8").tofile(fy)
    for name in ("X.f64", "y.f64"):  # never leave a half-written file under the final name
        os.replace(os.path.join(folder, name + ".tmp"), os.path.join(folder, name))
    with open(os.path.join(folder, "meta.json"), "w") as f:
        json.dump({"rows": rows, "cols": cols, "classes": classes, "seed": seed, "rho": RHO,
                   "class_counts": counts.tolist(), "true_coef": coef.tolist(),
                   "true_intercept": intercept.tolist()}, f)


def ensure(out, name, rows, cols, classes, seed):
    """The folder out/<name>_<rows>x<cols>x<classes>_seed<seed>, made once."""
    folder = os.path.join(out, "%s_%dx%dx%d_seed%d" % (name, rows, cols, classes, seed))
    if not os.path.exists(os.path.join(folder, "meta.json")):
        generate(folder, rows, cols, classes, seed)
    return folder


def load(folder):
    """(X, y, meta): X as a rows x cols float64 array, y as float64."""
    meta = json.load(open(os.path.join(folder, "meta.json")))
    rows, cols = meta["rows"], meta["cols"]
    x = np.fromfile(os.path.join(folder, "X.f64"), "<f8", rows * cols).reshape(rows, cols)
    y = np.fromfile(os.path.join(folder, "y.f64"), "<f8", rows)
    return x, y, meta


if __name__ == "__main__":
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 2027
    print(ensure(sys.argv[1], "logreg", *(int(a) for a in sys.argv[2:5]), seed))
