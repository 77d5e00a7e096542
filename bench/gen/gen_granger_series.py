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
seed, same bytes. The simulation, the files and the command line are
gen_var_series.py's.

usage: /usr/bin/python3 bench/gen/gen_granger_series.py OUTDIR T K [SEED]"""

import numpy as np

import gen_var_series

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
    radius = gen_var_series.stabilize(a1, a2, MAX_RADIUS)
    c = rng.uniform(-1.0, 1.0, k)
    scale = rng.uniform(0.5, 2.0, k)
    return c, a1, a2, scale, edges, radius


def generate(folder, t, k, seed):
    rng = np.random.default_rng(seed)
    c, a1, a2, scale, edges, radius = var_model(rng, k)
    noise = rng.standard_normal((t + BURN_IN, k)) * scale
    gen_var_series.write_simulation(folder, c, a1, a2, noise, BURN_IN,
                                    {"t": t, "k": k, "seed": seed, "burn_in": BURN_IN,
                                     "parents": PARENTS, "spectral_radius": radius,
                                     "edges": edges})


def ensure(out, t, k, seed):
    """The folder out/granger_<t>x<k>_seed<seed>, made once."""
    return gen_var_series.cached(out, "granger", t, k, seed, generate)


load = gen_var_series.load  # (Y, meta): the same files as gen_var_series's


if __name__ == "__main__":
    gen_var_series.command_line(ensure, 2028, __doc__)
