"""Generates the data of the ARIMA benchmarks, one KIND per entry, as raw
little-endian arrays that sheaf's bench and the peers (statsmodels, R) load
without parsing:

  Y.f64      N x T float64, row-major (row i = series i, oldest value first)
  truth.f64  N x len(truth_columns) float64: each series' generating model
  meta.json  kind, n, t, m (the period), seed, burn-in, truth_columns

Kinds (numpy.random.default_rng(seed); same seed, same bytes):

  arima   10,000 x 300, ARIMA(1,1,1) with drift: Delta y_t = delta + u_t,
          (1 - phi L) u_t = (1 + theta L) e_t, e_t ~ N(0, 1), phi and theta
          in [-0.6, 0.6] with |phi + theta| >= 0.3 (no near-cancelling
          roots, so the likelihood has one clear peak), delta in [0.1, 1],
          y_0 in [0, 100]. statsmodels' ARIMA(order=(1,1,1), trend='t') and
          R's arima(order=c(1,1,1), xreg=1:n) are this model.
          truth_columns: drift, ar.L1, ma.L1, sigma2.
  sarima  500 x 240 monthly, SARIMA(1,0,1)(1,1,1)12 without trend:
          (1 - phi L)(1 - Phi L^12) w_t = (1 + theta L)(1 + Theta L^12) e_t,
          y_t = y_{t-12} + w_t, e_t ~ N(0, 1); phi, theta in [-0.6, 0.6],
          Phi in [-0.5, 0.5], Theta in [-0.6, 0.4], |phi + theta| >= 0.3 and
          |Phi + Theta| >= 0.3; the first year a level in [0, 100] plus a
          seasonal pattern of amplitude 2-10.
          truth_columns: ar.L1, ma.L1, ar.S.L12, ma.S.L12, sigma2.
  auto    500 x 150 non-seasonal (m = 1) for auto.arima: series i has
          d = 0 (40%), 1 (50%) or 2 (10%), p and q uniform in 0..2, AR
          coefficients from partial autocorrelations in +-[0.2, 0.7] and MA
          ones from +-[0.2, 0.7] likewise (Durbin-Levinson: stationary and
          invertible), e_t ~ N(0, 1); d = 0 adds a mean in [-10, 10], d = 1
          a drift in +-[0.2, 1] on half of the series, d >= 1 a start level
          in [0, 100]. Length 150 keeps R's auto.arima on exact ML in its
          search (its approximation rule is n > 150 or m > 12) and about
          0.1 s a series, so all 500 are timed against R; a monthly m = 12
          search costs R about 3 s a series (measured at n = 144), 25
          minutes for 500.
          truth_columns: p, d, q, const (mean, or drift when d = 1),
          ar.L1, ar.L2, ma.L1, ma.L2 (0 where absent).

usage: /usr/bin/python3 bench/gen/gen_arima_series.py OUTDIR KIND
  prints the folder, OUTDIR/<kind>_<n>x<t>_seed<seed>, made once."""

import json
import os
import sys

import numpy as np

BURN_IN = 200
KINDS = {  # kind: (n, t, m, seed)
    "arima": (10_000, 300, 1, 2031),
    "sarima": (500, 240, 12, 2032),
    "auto": (500, 150, 1, 2033),
}


def apart(rng, n, lo, hi, lo2, hi2, gap):
    """n pairs (a, b), a uniform in [lo, hi], b in [lo2, hi2], redrawn until
    |a + b| >= gap (the ARMA(1,1) factors 1 - a L and 1 + b L apart)."""
    a, b = rng.uniform(lo, hi, n), rng.uniform(lo2, hi2, n)
    bad = np.abs(a + b) < gap
    while np.any(bad):
        a[bad], b[bad] = rng.uniform(lo, hi, bad.sum()), rng.uniform(lo2, hi2, bad.sum())
        bad = np.abs(a + b) < gap
    return a, b


def arma(rng, phi, theta, length):
    """ARMA series, one row per row of phi (n x p) and theta (n x q):
    w_t = sum phi_i w_{t-i} + e_t + sum theta_j e_{t-j}, e_t ~ N(0, 1),
    started at zero and run BURN_IN steps before the length kept."""
    n, p, q = phi.shape[0], phi.shape[1], theta.shape[1]
    total = length + BURN_IN
    e = rng.standard_normal((n, total))
    w = np.zeros((n, total))
    for s in range(total):
        v = e[:, s].copy()
        for i in range(1, min(p, s) + 1):
            v += phi[:, i - 1] * w[:, s - i]
        for j in range(1, min(q, s) + 1):
            v += theta[:, j - 1] * e[:, s - j]
        w[:, s] = v
    return w[:, BURN_IN:]


def pacf_to_coef(r):
    """Durbin-Levinson: partial autocorrelations r (n x k, |r| < 1) to the
    coefficients of a stationary 1 - sum c_i L^i, row by row."""
    c = np.zeros_like(r)
    for k in range(r.shape[1]):
        prev = c[:, :k].copy()
        c[:, k] = r[:, k]
        for i in range(k):
            c[:, i] = prev[:, i] - r[:, k] * prev[:, k - 1 - i]
    return c


def gen_arima(rng, n, t):
    phi, theta = apart(rng, n, -0.6, 0.6, -0.6, 0.6, 0.3)
    drift = rng.uniform(0.1, 1.0, n)
    y0 = rng.uniform(0.0, 100.0, n)
    u = arma(rng, phi[:, None], theta[:, None], t - 1)
    y = np.empty((n, t))
    y[:, 0] = y0
    y[:, 1:] = y0[:, None] + np.cumsum(drift[:, None] + u, axis=1)
    return y, np.column_stack([drift, phi, theta, np.ones(n)])


def gen_sarima(rng, n, t, m):
    phi, theta = apart(rng, n, -0.6, 0.6, -0.6, 0.6, 0.3)
    sphi, stheta = apart(rng, n, -0.5, 0.5, -0.6, 0.4, 0.3)
    # The expanded polynomials: (1 - phi L)(1 - Phi L^m), (1 + theta L)(1 + Theta L^m).
    ar = np.zeros((n, m + 1))
    ma = np.zeros((n, m + 1))
    ar[:, 0], ar[:, m - 1], ar[:, m] = phi, sphi, -phi * sphi
    ma[:, 0], ma[:, m - 1], ma[:, m] = theta, stheta, theta * stheta
    w = arma(rng, ar, ma, t - m)
    level = rng.uniform(0.0, 100.0, n)
    amplitude = rng.uniform(2.0, 10.0, n)
    shift = rng.uniform(0.0, 2.0 * np.pi, n)
    y = np.empty((n, t))
    y[:, :m] = level[:, None] + amplitude[:, None] * np.sin(
        2.0 * np.pi * np.arange(m)[None, :] / m + shift[:, None])
    for s in range(m, t):
        y[:, s] = y[:, s - m] + w[:, s - m]
    return y, np.column_stack([phi, theta, sphi, stheta, np.ones(n)])


def signed(rng, shape, lo, hi):
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(lo, hi, shape)


def gen_auto(rng, n, t):
    d = rng.choice([0, 1, 2], n, p=[0.4, 0.5, 0.1])
    p, q = rng.integers(0, 3, n), rng.integers(0, 3, n)
    cols = np.arange(2)[None, :]
    phi = pacf_to_coef(np.where(cols < p[:, None], signed(rng, (n, 2), 0.2, 0.7), 0.0))
    # An invertible 1 + sum theta_j L^j is 1 - sum c_j L^j with stationary c.
    theta = -pacf_to_coef(np.where(cols < q[:, None], signed(rng, (n, 2), 0.2, 0.7), 0.0))
    mean = rng.uniform(-10.0, 10.0, n)
    drift = np.where(rng.uniform(size=n) < 0.5, signed(rng, n, 0.2, 1.0), 0.0)
    level = rng.uniform(0.0, 100.0, n)
    w = arma(rng, phi, theta, t)
    y = np.empty((n, t))
    const = np.zeros(n)
    for i in range(n):
        if d[i] == 0:
            y[i], const[i] = mean[i] + w[i], mean[i]
        elif d[i] == 1:
            y[i], const[i] = level[i] + np.cumsum(drift[i] + w[i]), drift[i]
        else:
            y[i] = level[i] + np.cumsum(np.cumsum(w[i]))
    return y, np.column_stack([p, d, q, const, phi, theta]).astype(float)


TRUTH = {
    "arima": ["drift", "ar.L1", "ma.L1", "sigma2"],
    "sarima": ["ar.L1", "ma.L1", "ar.S.L12", "ma.S.L12", "sigma2"],
    "auto": ["p", "d", "q", "const", "ar.L1", "ar.L2", "ma.L1", "ma.L2"],
}


def generate(folder, kind):
    n, t, m, seed = KINDS[kind]
    rng = np.random.default_rng(seed)
    if kind == "arima":
        y, truth = gen_arima(rng, n, t)
    elif kind == "sarima":
        y, truth = gen_sarima(rng, n, t, m)
    else:
        y, truth = gen_auto(rng, n, t)
    os.makedirs(folder, exist_ok=True)
    for name, a in (("Y.f64", y), ("truth.f64", truth)):
        tmp = os.path.join(folder, name + ".tmp")
        np.ascontiguousarray(a).astype("<f8").tofile(tmp)
        os.replace(tmp, os.path.join(folder, name))  # never a half-written file under the name
    with open(os.path.join(folder, "meta.json"), "w") as f:
        json.dump({"kind": kind, "n": n, "t": t, "m": m, "seed": seed, "burn_in": BURN_IN,
                   "truth_columns": TRUTH[kind]}, f)


def ensure(out, kind):
    """The folder out/<kind>_<n>x<t>_seed<seed>, made once."""
    if kind not in KINDS:
        raise ValueError("unknown kind %r (arima, sarima, auto)" % kind)
    n, t, _, seed = KINDS[kind]
    folder = os.path.join(out, "%s_%dx%d_seed%d" % (kind, n, t, seed))
    if not os.path.exists(os.path.join(folder, "meta.json")):
        generate(folder, kind)
    return folder


def load(folder):
    """(Y, truth, meta): Y as an n x t float64 array."""
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    y = np.fromfile(os.path.join(folder, "Y.f64"), "<f8", meta["n"] * meta["t"])
    truth = np.fromfile(os.path.join(folder, "truth.f64"), "<f8")
    return y.reshape(meta["n"], meta["t"]), truth.reshape(meta["n"], -1), meta


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in KINDS:
        sys.exit(__doc__)
    print(ensure(sys.argv[1], sys.argv[2]))
