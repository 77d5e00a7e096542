"""Generates the data of the ADF benchmark: N series of length T, even rows
random walks (cumulative sums of standard normals, started at a level drawn
in [-50, 50]) and odd rows stationary AR(1) series x_t = c + phi x_{t-1} +
e_t (phi in [0.2, 0.95], c in [-5, 5], BURN_IN rows dropped), so the unit
root is present in half of them and the lag choice varies; written as a
raw little-endian array that sheaf's bench and the statsmodels peer load
without parsing:

  X.f64      N x T float64, row-major (row i = series i)
  meta.json  n, t, seed, burn-in

numpy.random.default_rng(seed); same seed, same bytes.

usage: /usr/bin/python3 bench/gen/gen_adf_series.py OUTDIR N T [SEED]"""

import json
import os
import sys

import numpy as np

BURN_IN = 100


def generate(folder, n, t, seed):
    rng = np.random.default_rng(seed)
    x = np.empty((n, t))
    walks, ars = np.arange(0, n, 2), np.arange(1, n, 2)
    x[walks] = rng.uniform(-50.0, 50.0, (walks.size, 1)) + np.cumsum(
        rng.standard_normal((walks.size, t)), axis=1)
    phi = rng.uniform(0.2, 0.95, ars.size)
    c = rng.uniform(-5.0, 5.0, ars.size)
    e = rng.standard_normal((ars.size, t + BURN_IN))
    y = c / (1.0 - phi)
    for s in range(t + BURN_IN):
        y = c + phi * y + e[:, s]
        if s >= BURN_IN:
            x[ars, s - BURN_IN] = y
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, "X.f64.tmp")
    x.astype("<f8").tofile(tmp)
    os.replace(tmp, os.path.join(folder, "X.f64"))  # never a half-written file under the name
    with open(os.path.join(folder, "meta.json"), "w") as f:
        json.dump({"n": n, "t": t, "seed": seed, "burn_in": BURN_IN}, f)


def ensure(out, n, t, seed):
    """The folder out/adf_<n>x<t>_seed<seed>, made once."""
    folder = os.path.join(out, "adf_%dx%d_seed%d" % (n, t, seed))
    if not os.path.exists(os.path.join(folder, "meta.json")):
        generate(folder, n, t, seed)
    return folder


def load(folder):
    """(X, meta): X as an n x t float64 array."""
    meta = json.load(open(os.path.join(folder, "meta.json")))
    x = np.fromfile(os.path.join(folder, "X.f64"), "<f8", meta["n"] * meta["t"])
    return x.reshape(meta["n"], meta["t"]), meta


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 2030
    print(ensure(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), seed))
