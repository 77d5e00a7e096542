"""Generates the data of the VAR benchmarks: K series of length T from a
dense, stable VAR(2) with correlated noise, written as a raw little-endian
array that sheaf's bench and the statsmodels peer both load without
parsing:

  Y.f64      T x K float64, row-major (row t = time t)
  meta.json  t, k, seed, burn-in and the companion matrix's spectral radius

Model: y_t = c + A1 y_{t-1} + A2 y_{t-2} + u_t. The diagonals of A1 and A2
are drawn in [0.2, 0.5] and [-0.2, 0.1] (persistent series), every
off-diagonal entry of A1 from N(0, (0.3 / sqrt K)^2) and of A2 from
N(0, (0.15 / sqrt K)^2), so every series Granger-causes every other a
little; both are scaled down until the companion matrix's spectral radius
is at most MAX_RADIUS. u_t = D L e_t with e_t standard normal, L the
Cholesky factor of the equicorrelation matrix (RHO off the diagonal) and D
per-series scales in [0.5, 2]; intercepts c in [-1, 1]. BURN_IN rows are
dropped. numpy.random.default_rng(seed); same seed, same bytes.

The simulation, the folder's files and the command line are shared with
gen_granger_series.py (stabilize, write_simulation, cached, load,
command_line).

usage: /usr/bin/python3 bench/gen/gen_var_series.py OUTDIR T K [SEED]"""

import json
import os
import sys

import numpy as np

MAX_RADIUS = 0.9  # companion spectral radius: stable, far from a unit root
RHO = 0.3  # noise correlation between every pair of series
BURN_IN = 500
SEED = 2029


def var_model(rng, k):
    """(c, A1, A2, noise factor, spectral radius) of the generating VAR(2)."""
    a1 = rng.normal(0.0, 0.3 / np.sqrt(k), (k, k))
    a2 = rng.normal(0.0, 0.15 / np.sqrt(k), (k, k))
    np.fill_diagonal(a1, rng.uniform(0.2, 0.5, k))
    np.fill_diagonal(a2, rng.uniform(-0.2, 0.1, k))
    radius = stabilize(a1, a2, MAX_RADIUS)
    c = rng.uniform(-1.0, 1.0, k)
    corr = np.full((k, k), RHO) + (1.0 - RHO) * np.eye(k)
    factor = np.diag(rng.uniform(0.5, 2.0, k)) @ np.linalg.cholesky(corr)
    return c, a1, a2, factor, radius


def stabilize(a1, a2, max_radius):
    """Scales A1 and A2 down in place, by 0.95 a step, until the companion
    matrix's spectral radius is at most max_radius; returns that radius."""
    k = a1.shape[0]
    while True:
        companion = np.zeros((2 * k, 2 * k))
        companion[:k, :k], companion[:k, k:] = a1, a2
        companion[k:, :k] = np.eye(k)
        radius = float(np.max(np.abs(np.linalg.eigvals(companion))))
        if radius <= max_radius:
            return radius
        a1 *= 0.95
        a2 *= 0.95


def write_simulation(folder, c, a1, a2, noise, burn_in, meta):
    """Runs y_t = c + A1 y_{t-1} + A2 y_{t-2} + noise_t from y_0 = y_1 = 0
    over the rows of noise and writes the rows after the first burn_in to
    folder/Y.f64, then meta to folder/meta.json."""
    y = np.zeros(noise.shape)
    for s in range(2, y.shape[0]):
        y[s] = c + a1 @ y[s - 1] + a2 @ y[s - 2] + noise[s]
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, "Y.f64.tmp")
    y[burn_in:].astype("<f8").tofile(tmp)
    os.replace(tmp, os.path.join(folder, "Y.f64"))  # never a half-written file under the name
    with open(os.path.join(folder, "meta.json"), "w") as f:
        json.dump(meta, f)


def generate(folder, t, k, seed):
    rng = np.random.default_rng(seed)
    c, a1, a2, factor, radius = var_model(rng, k)
    noise = rng.standard_normal((t + BURN_IN, k)) @ factor.T
    write_simulation(folder, c, a1, a2, noise, BURN_IN,
                     {"t": t, "k": k, "seed": seed, "burn_in": BURN_IN, "rho": RHO,
                      "spectral_radius": radius})


def cached(out, name, t, k, seed, make):
    """The folder out/<name>_<t>x<k>_seed<seed>, made once by
    make(folder, t, k, seed)."""
    folder = os.path.join(out, "%s_%dx%d_seed%d" % (name, t, k, seed))
    if not os.path.exists(os.path.join(folder, "meta.json")):
        make(folder, t, k, seed)
    return folder


def ensure(out, t, k, seed=SEED):
    """The folder out/var_<t>x<k>_seed<seed>, made once."""
    return cached(out, "var", t, k, seed, generate)


def load(folder):
    """(Y, meta): Y as a t x k float64 array."""
    meta = json.load(open(os.path.join(folder, "meta.json")))
    y = np.fromfile(os.path.join(folder, "Y.f64"), "<f8", meta["t"] * meta["k"])
    return y.reshape(meta["t"], meta["k"]), meta


def command_line(ensure_folder, default_seed, usage):
    """OUTDIR T K [SEED] from sys.argv: makes the folder and prints its path."""
    if len(sys.argv) < 4:
        sys.exit(usage)
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else default_seed
    print(ensure_folder(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), seed))


if __name__ == "__main__":
    command_line(ensure, SEED, __doc__)
