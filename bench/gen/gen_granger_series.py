"""Generates the data of the Granger-matrix benchmark: K series of length T
from a sparse, stable VAR(2), so some ordered pairs truly Granger-cause
each other and most do not, written as a raw little-endian array that
sheaf's bench, the statsmodels peer and the R peer all load without parsing:

  Y.f64      T x K float64, row-major (row t = time t)
  meta.json  t, k, seed, burn-in, the true edges (caused, causing) and the
             companion matrix's spectral radius

Model: y_t = c + A1 y_{t-1} + A2 y_{t-2} + D e_t, e_t standard normal; the
diagonals of A1 and A2 are drawn in [0.2, 0.5] and [-0.2, 0.1] (persistent
series); each series i is caused by PARENTS other series j, with A1[i, j]
of magnitude 0.15..0.35 and random sign, and A2[i, j] half as large with
probability 1/2; the lag matrices are scaled down until the companion
matrix's spectral radius is at most MAX_RADIUS. Intercepts c in [-1, 1] and
noise scales D in [0.5, 2] (per series) make the columns differ in level
and scale. BURN_IN rows are dropped. numpy.random.default_rng(seed); same
seed, same bytes.

usage: /usr/bin/python3 bench/gen/gen_granger_series.py OUTDIR T K [SEED]"""

import json
import os
import sys

import numpy as np

PARENTS = 2  # true causes per series
MAX_RADIUS = 0.9  # companion spectral radius: stable, far from a unit root
BURN_IN = 500


def var_model(rng, k):
    """(c, A1, A2, D, edges, spectral radius) of the generating VAR(2)."""
    a1 = np.diag(rng.uniform(0.2, 0.5, k))
    a2 = np.diag(rng.uniform(-0.2, 0.1, k))
    edges = []
    for i in range(k):
        others = np.delete(np.arange(k), i)
        for j in sorted(rng.choice(others, PARENTS, replace=False).tolist()):
            coef = rng.uniform(0.15, 0.35) * rng.choice([-1.0, 1.0])
            a1[i, j] = coef
            if rng.random() < 0.5:
                a2[i, j] = 0.5 * coef
            edges.append((i, j))
    while True:
        companion = np.zeros((2 * k, 2 * k))
        companion[:k, :k], companion[:k, k:] = a1, a2
        companion[k:, :k] = np.eye(k)
        radius = float(np.max(np.abs(np.linalg.eigvals(companion))))
        if radius <= MAX_RADIUS:
            break
        a1 *= 0.95
        a2 *= 0.95
    c = rng.uniform(-1.0, 1.0, k)
    scale = rng.uniform(0.5, 2.0, k)
    return c, a1, a2, scale, edges, radius


def generate(folder, t, k, seed):
    rng = np.random.default_rng(seed)
    c, a1, a2, scale, edges, radius = var_model(rng, k)
    noise = rng.standard_normal((t + BURN_IN, k)) * scale
    y = np.zeros((t + BURN_IN, k))
    for s in range(2, t + BURN_IN):
        y[s] = c + a1 @ y[s - 1] + a2 @ y[s - 2] + noise[s]
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, "Y.f64.tmp")
    y[BURN_IN:].astype("<f8").tofile(tmp)
    os.replace(tmp, os.path.join(folder, "Y.f64"))  # never a half-written file under the name
    with open(os.path.join(folder, "meta.json"), "w") as f:
        json.dump({"t": t, "k": k, "seed": seed, "burn_in": BURN_IN, "parents": PARENTS,
                   "spectral_radius": radius, "edges": edges}, f)


def ensure(out, t, k, seed):
    """The folder out/granger_<t>x<k>_seed<seed>, made once."""
    folder = os.path.join(out, "granger_%dx%d_seed%d" % (t, k, seed))
    if not os.path.exists(os.path.join(folder, "meta.json")):
        generate(folder, t, k, seed)
    return folder


def load(folder):
    """(Y, meta): Y as a t x k float64 array."""
    meta = json.load(open(os.path.join(folder, "meta.json")))
    y = np.fromfile(os.path.join(folder, "Y.f64"), "<f8", meta["t"] * meta["k"])
    return y.reshape(meta["t"], meta["k"]), meta


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 2028
    print(ensure(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), seed))
