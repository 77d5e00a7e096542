#!/usr/bin/python3
"""Writes arima_refs.h: reference values for the sheaf ARIMA / SARIMA code
(issue 6): log-likelihoods at fixed parameters, fits, forecasts, R's
arima() (ML, CSS-ML, CSS) and forecast::auto.arima(), and edge cases.

Run from anywhere with Debian 12's packages (statsmodels 0.13.5, numpy 1.24,
scipy 1.10, pandas 1.5; R 4.2.2 with r-cran-forecast 8.20):
    /usr/bin/python3 tests/data/timeseries/gen_arima_refs.py
(under two minutes). Nothing is downloaded. Data: R's bundled datasets lynx,
LakeHuron, AirPassengers (log), nottem, Nile, WWWusage, USAccDeaths, UKgas
(log), co2, ldeaths, austres, lh (dumped with Rscript writeBin, so the bits
are R's), statsmodels' bundled sunspots (SUNACTIVITY) and macrodata (log
realgdp). Logs are taken here with numpy and the resulting doubles are handed
to R as binary, so every tool sees the same bits. The data arrays are in the
header, so the C tests read no files.

Every statsmodels log-likelihood is recomputed here twice: (a) by an own
Kalman filter on an own build of statsmodels' state space (the convention the
C code must copy, see CONVENTIONS below), and (b) by an exact Gaussian
density of the observed data given the first d + s*D observations (the
"differenced" likelihood, built from own ARMA autocovariances), which is what
R's arima() approximates. Forecasts and residuals are recomputed by the own
filter, R's arima() ML objective by an own rebuild of its filter, R's CSS
objective by an own recursion. The script stops with an AssertionError if a
check fails; the header's opening comment lists the agreement measured.
Reruns reproduce arima_refs.h byte for byte: BLAS threads are pinned to 1, and
the own values written to the header are computed in long double (numpy never
calls BLAS/LAPACK for it), since float64 OpenBLAS calls changed a last bit
between runs.
"""
import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.optimize  # noqa: E402
import statsmodels  # noqa: E402
import statsmodels.api as sm  # noqa: E402
from statsmodels.tsa.arima.model import ARIMA  # noqa: E402
from statsmodels.tsa.statespace.sarimax import SARIMAX  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir))
from refgen import Header  # noqa: E402

warnings.simplefilter("ignore")
out = Header()
KAPPA = 1e6  # statsmodels' ssm.initial_variance (approximate diffuse)
TREND_CODES = {"n": 0, "c": 1, "t": 2, "ct": 3, "t2": 4}


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    ok = ~(np.isnan(a) & np.isnan(b))
    if not ok.any():
        return 0.0
    return float(np.max(np.abs(a[ok] - b[ok]) / np.maximum(np.abs(b[ok]), 1e-300)))


# =========================================================================
# Data
# =========================================================================
R_SETS = ["lynx", "LakeHuron", "AirPassengers", "nottem", "Nile", "WWWusage",
          "USAccDeaths", "UKgas", "co2", "ldeaths", "austres", "lh"]
TMP = tempfile.mkdtemp(prefix="arima_refs_")


def rscript(code):
    """Runs R code from a file (Rscript -e truncates long programs)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    path = os.path.join(TMP, "run.R")
    with open(path, "w") as fh:
        fh.write(code + "\n")
    return subprocess.run(["Rscript", "--vanilla", path], check=True,
                          capture_output=True, text=True, env=env).stdout


meta = rscript(
    "for (n in c(%s)) { x <- get(n); writeBin(as.double(x), file.path('%s', paste0(n, '.bin')));"
    " cat(n, frequency(x), start(x)[1], start(x)[2], '\\n') }\n"
    "cat('VERSION', paste(R.version$major, R.version$minor, sep='.'),"
    " as.character(packageVersion('forecast')), '\\n')"
    % (", ".join("'%s'" % n for n in R_SETS), TMP))
FREQ, START = {}, {}
for line in meta.splitlines():
    f = line.split()
    if f[0] == "VERSION":
        R_VERSION, FORECAST_VERSION = f[1], f[2]
    else:
        FREQ[f[0]], START[f[0]] = int(float(f[1])), (float(f[2]), float(f[3]))
raw = {n: np.fromfile(os.path.join(TMP, n + ".bin"), dtype="<f8") for n in R_SETS}

# name -> (C name, values, frequency, how it was made)
SERIES = {}


def add_series(key, cname, y, freq, what):
    SERIES[key] = (cname, np.ascontiguousarray(y, dtype=float), freq, what)


add_series("lynx", "ARIMA_LYNX", raw["lynx"], 1, "R datasets::lynx (1821-1934, annual)")
add_series("lakehuron", "ARIMA_LAKEHURON", raw["LakeHuron"], 1,
           "R datasets::LakeHuron (1875-1972, annual, feet)")
add_series("aplog", "ARIMA_AIRPASS_LOG", np.log(raw["AirPassengers"]), 12,
           "np.log(R datasets::AirPassengers) (1949-1960, monthly)")
add_series("nottem", "ARIMA_NOTTEM", raw["nottem"], 12,
           "R datasets::nottem (1920-1939, monthly, deg F)")
add_series("nile", "ARIMA_NILE", raw["Nile"], 1, "R datasets::Nile (1871-1970, annual)")
add_series("www", "ARIMA_WWWUSAGE", raw["WWWusage"], 1, "R datasets::WWWusage (minutes 1..100)")
add_series("usacc", "ARIMA_USACCDEATHS", raw["USAccDeaths"], 12,
           "R datasets::USAccDeaths (1973-1978, monthly)")
add_series("ukgaslog", "ARIMA_UKGAS_LOG", np.log(raw["UKgas"]), 4,
           "np.log(R datasets::UKgas) (1960-1986, quarterly)")
add_series("co2", "ARIMA_CO2", raw["co2"], 12, "R datasets::co2 (1959-1997, monthly)")
add_series("ldeaths", "ARIMA_LDEATHS", raw["ldeaths"], 12,
           "R datasets::ldeaths (1974-1979, monthly)")
add_series("austres", "ARIMA_AUSTRES", raw["austres"], 4,
           "R datasets::austres (1971Q2-1993Q2, quarterly)")
add_series("lh", "ARIMA_LH", raw["lh"], 1, "R datasets::lh (48 samples, 10 min apart)")
sun = sm.datasets.sunspots.load_pandas().data["SUNACTIVITY"].to_numpy()
add_series("sunspots", "ARIMA_SUNSPOTS", sun, 1,
           "statsmodels.datasets.sunspots SUNACTIVITY (1700-2008, annual)")
mac = sm.datasets.macrodata.load_pandas().data
add_series("gdplog", "ARIMA_REALGDP_LOG", np.log(mac["realgdp"].to_numpy()), 4,
           "np.log(statsmodels.datasets.macrodata.realgdp) (1959Q1-2009Q3, quarterly)")
SERIES_KEYS = list(SERIES)

# Missing-value patterns: 0-based positions set to NaN in a copy of a series.
NA_SETS = {
    "lakehuron": ("ARIMA_NA_LAKEHURON", [10, 11, 40, 77]),
    "nile": ("ARIMA_NA_NILE", [20, 50, 51, 52, 80]),
    "aplog": ("ARIMA_NA_AIRPASS_LOG", [30, 31, 60, 100, 130]),
    "www": ("ARIMA_NA_WWWUSAGE", [15, 40, 41, 70]),
    "nottem": ("ARIMA_NA_NOTTEM", [5, 100, 101, 200]),
    "gdplog": ("ARIMA_NA_REALGDP_LOG", [50, 120, 121]),
    "nile0": ("ARIMA_NA_NILE_FIRST", [0, 30]),
}
NA_KEYS = list(NA_SETS)


def series_values(key, na):
    y = SERIES[key][1].copy()
    if na is not None:
        y[NA_SETS[na][1]] = np.nan
    return y


# =========================================================================
# Own computations (independent of statsmodels)
# =========================================================================
def polymul(a, b):
    return np.convolve(a, b)


def expand(spec, params):
    """spec: dict(p,d,q,P,D,Q,s,trend). params in statsmodels' order.
    Returns beta (trend coefficients), phi_full, theta_full, sigma2, where
    the AR polynomial is 1 - sum phi_full[k] L^(k+1) and the MA polynomial
    1 + sum theta_full[k] L^(k+1)."""
    k_tr = n_trend(spec["trend"])
    params = np.asarray(params, float)
    i = 0
    beta = params[i:i + k_tr]
    i += k_tr
    ar = params[i:i + spec["p"]]
    i += spec["p"]
    ma = params[i:i + spec["q"]]
    i += spec["q"]
    sar = params[i:i + spec["P"]]
    i += spec["P"]
    sma = params[i:i + spec["Q"]]
    i += spec["Q"]
    sigma2 = params[i]
    assert i + 1 == len(params)
    s = spec["s"]
    arp = np.r_[1.0, -ar]
    sarp = np.zeros(s * spec["P"] + 1)
    sarp[0] = 1.0
    for j, v in enumerate(sar):
        sarp[s * (j + 1)] = -v
    map_ = np.r_[1.0, ma]
    smap = np.zeros(s * spec["Q"] + 1)
    smap[0] = 1.0
    for j, v in enumerate(sma):
        smap[s * (j + 1)] = v
    phi_full = -polymul(arp, sarp)[1:]
    theta_full = polymul(map_, smap)[1:]
    return beta, phi_full, theta_full, sigma2


def n_trend(trend):
    return {"n": 0, "c": 1, "t": 1, "ct": 2, "t2": 1}[trend]


def trend_matrix(trend, n, offset=1):
    """statsmodels ARIMA's trend regressors: t runs offset, offset+1, ..."""
    t = np.arange(offset, offset + n, dtype=float)
    cols = {"n": [], "c": [np.ones(n)], "t": [t], "ct": [np.ones(n), t], "t2": [t * t]}[trend]
    return np.column_stack(cols) if cols else np.zeros((n, 0))


def sm_trend(trend):
    return [0, 0, 1] if trend == "t2" else trend


def diff_poly(spec):
    c = np.array([1.0])
    for _ in range(spec["d"]):
        c = polymul(c, [1.0, -1.0])
    for _ in range(spec["D"]):
        sp = np.zeros(spec["s"] + 1)
        sp[0], sp[-1] = 1.0, -1.0
        c = polymul(c, sp)
    return c


LD = np.longdouble


def ld_solve(A, b):
    """Gaussian elimination with partial pivoting in long double. numpy's
    long-double arithmetic never calls BLAS/LAPACK, so, unlike float64 matmul
    and solve (OpenBLAS kernels can round differently from run to run), the
    values written to the header are reproducible bit for bit."""
    A = np.array(A, dtype=LD)
    b = np.array(b, dtype=LD)
    n = len(b)
    for k in range(n):
        piv = k + int(np.argmax(np.abs(A[k:, k])))
        if piv != k:
            A[[k, piv]] = A[[piv, k]]
            b[[k, piv]] = b[[piv, k]]
        f = A[k + 1:, k] / A[k, k]
        A[k + 1:, k:] -= f[:, None] * A[k, k:][None, :]
        b[k + 1:] -= f * b[k]
    x = np.zeros(n, dtype=LD)
    for k in range(n - 1, -1, -1):
        x[k] = (b[k] - np.sum(A[k, k + 1:] * x[k + 1:])) / A[k, k]
    return x


def ld_cholesky_logdet_quad(S, z):
    """log det S and z' S^-1 z by an own Cholesky in long double."""
    S = np.array(S, dtype=LD)
    n = len(z)
    L = np.zeros((n, n), dtype=LD)
    for j in range(n):
        col = S[j:, j] - L[j:, :j] @ L[j, :j]
        L[j, j] = np.sqrt(col[0])
        L[j + 1:, j] = col[1:] / L[j, j]
    x = np.zeros(n, dtype=LD)
    for i in range(n):
        x[i] = (LD(z[i]) - np.sum(L[i, :i] * x[:i])) / L[i, i]
    return 2 * np.sum(np.log(np.diag(L))), np.sum(x * x)


def trend_mean(trend, n, beta, dt=np.float64):
    """X beta as an explicit column sum (no BLAS)."""
    X = trend_matrix(trend, n).astype(dt)
    mu = np.zeros(n, dtype=dt)
    for j in range(X.shape[1]):
        mu += X[:, j] * dt(beta[j])
    return mu


def arma_acov(phi, theta, sigma2, nlags):
    """Autocovariances gamma_0..gamma_{nlags-1} (long double) of the ARMA
    process (1 - sum phi L^i) w = (1 + sum theta L^j) e, var(e) = sigma2, by
    the linear system for gamma_0..gamma_p and the recursion beyond."""
    phi = np.asarray(phi, dtype=LD)
    p, q = len(phi), len(theta)
    th = np.r_[1.0, theta].astype(LD)
    psi = np.zeros(q + 1, dtype=LD)
    for j in range(q + 1):
        psi[j] = th[j] + sum((phi[i - 1] * psi[j - i] for i in range(1, min(j, p) + 1)), LD(0))
    rhs = [LD(sigma2) * sum((th[j] * psi[j - k] for j in range(k, q + 1)), LD(0))
           for k in range(max(p, q) + 1)]
    g = np.zeros(max(nlags, p + 1, q + 1), dtype=LD)
    if p > 0:
        M = np.zeros((p + 1, p + 1), dtype=LD)
        for k in range(p + 1):
            M[k, k] += 1
            for i in range(1, p + 1):
                M[k, abs(k - i)] -= phi[i - 1]
        g[:p + 1] = ld_solve(M, rhs[:p + 1])
        for k in range(p + 1, len(g)):
            g[k] = sum((phi[i - 1] * g[k - i] for i in range(1, p + 1)), LD(0)) + (
                rhs[k] if k <= q else LD(0))
    else:
        g[:q + 1] = rhs[:q + 1]
    return g[:nlags]


def exact_loglike(y, spec, params):
    """The exact Gaussian log density of the observed y[t], t >= r, given
    y[0..r-1] (r = d + s*D, which must be observed), with u = y - X beta and
    w_t = (1-L)^d (1-L^s)^D u_t a stationary ARMA. Missing values are simply
    left out of the joint density (u_t is affine in u_0..u_{r-1} and w).
    Long double throughout (see ld_solve), rounded to double at the end."""
    beta, phi, theta, sigma2 = expand(spec, params)
    n = len(y)
    u = np.asarray(y, dtype=LD) - trend_mean(spec["trend"], n, beta, LD)
    c = diff_poly(spec)
    r = len(c) - 1
    assert not np.isnan(u[:r]).any()
    A = np.zeros((n, r), dtype=LD)
    B = np.zeros((n, n - r), dtype=LD)
    for t in range(n):
        if t < r:
            A[t, t] = 1
        else:
            B[t, t - r] = 1
            for j in range(1, r + 1):
                A[t] -= LD(c[j]) * A[t - j]
                B[t] -= LD(c[j]) * B[t - j]
    obs = np.where(~np.isnan(u))[0]
    obs = obs[obs >= r]
    z = u[obs] - A[obs] @ u[:r]
    g = arma_acov(phi, theta, sigma2, n - r)
    idx = np.arange(n - r)
    G = g[np.abs(idx[:, None] - idx[None, :])]
    Bo = B[obs]
    S = (Bo @ G) @ Bo.T
    logdet, quad = ld_cholesky_logdet_quad(S, z)
    return float(-(len(obs) * np.log(2 * LD(np.pi)) + logdet + quad) / 2)


def ss_model(spec, phi, theta, sigma2, dt=np.float64):
    """statsmodels' SARIMAX state space for ARIMA (simple_differencing=False,
    hamilton_representation=False): states [d nested differences, D blocks of
    s seasonal-difference states, k = max(p + sP, q + sQ + 1) ARMA states]."""
    d, D, s = spec["d"], spec["D"], spec["s"]
    kd = d + s * D
    k = max(len(phi), len(theta) + 1)
    m = kd + k
    T = np.zeros((m, m))
    Z = np.zeros(m)
    Z[:d] = 1.0
    for b in range(D):
        Z[d + b * s + s - 1] = 1.0
    Z[kd] = 1.0
    # ARMA block: first column phi, ones above the diagonal
    T[kd:kd + len(phi), kd] = phi
    for i in range(k - 1):
        T[kd + i, kd + i + 1] = 1.0
    # seasonal difference blocks: shift register, its last state feeds the first
    for b in range(D):
        st = d + b * s
        for i in range(1, s):
            T[st + i, st + i - 1] = 1.0
        T[st, st + s - 1] = 1.0
        for b2 in range(b + 1, D):
            T[st, d + b2 * s + s - 1] = 1.0
        T[st, kd] = 1.0
    # ordinary differences: upper triangle of ones, plus the seasonal block ends and the ARMA state
    for i in range(d):
        T[i, i:d] = 1.0
        for b in range(D):
            T[i, d + b * s + s - 1] = 1.0
        T[i, kd] = 1.0
    R = np.zeros(m)
    R[kd] = 1.0
    R[kd + 1:kd + 1 + len(theta)] = theta
    Ta = T[kd:, kd:]
    Qa = sigma2 * np.outer(R[kd:], R[kd:])
    lhs = np.eye(k * k) - np.kron(Ta, Ta)
    if dt is np.float64:
        Pa = np.linalg.solve(lhs, Qa.reshape(-1)).reshape(k, k)
    else:
        Pa = ld_solve(lhs, Qa.reshape(-1)).reshape(k, k)
    P0 = np.zeros((m, m), dtype=dt)
    P0[:kd, :kd] = KAPPA * np.eye(kd)
    P0[kd:, kd:] = (Pa + Pa.T) / 2
    return Z, T, R, P0, kd


def own_kalman(y, spec, params, steps=0, dt=np.float64, steady=True):
    """Kalman filter on ss_model with a0 = 0, the first kd = d + s*D
    contributions dropped. Returns llf, forecast errors v (NaN where y is
    NaN), F, and the h-step forecast means and variances.
    steady=True copies statsmodels' steady-state shortcut (its Cython
    KalmanFilter.check_convergence, tolerance 1e-19): after the prediction
    step at time t >= 1, with y[t] and y[t-1] both observed, if
    sum((P_t - P_{t+1})**2) < 1e-19 the filter is 'converged': F, the gain
    and P_{t+1} are frozen at their time-t values from then on. A missing
    y resets it. Only for time-invariant models: with any trend (or exog)
    the observation intercept varies with t and statsmodels never takes the
    shortcut. The predicted P is symmetrised each step
    (STABILITY_FORCE_SYMMETRY)."""
    beta, phi, theta, sigma2 = expand(spec, params)
    n = len(y)
    mu = trend_mean(spec["trend"], n + steps, beta, dt)
    Z, T, R, P, kd = ss_model(spec, phi, theta, sigma2, dt)
    RQR = (sigma2 * np.outer(R, R)).astype(dt)
    Z, T, P = Z.astype(dt), T.astype(dt), P.astype(dt)
    y = np.asarray(y).astype(dt)
    a = np.zeros(len(Z), dtype=dt)
    llf = dt(0.0)
    two_pi = 2 * dt(np.pi)
    v = np.full(n, np.nan, dtype=dt)
    F = np.full(n, np.nan, dtype=dt)
    conv, PZc, Fc, Pc = False, None, None, None
    steady = steady and spec["trend"] == "n"
    for t in range(n):
        miss = bool(np.isnan(y[t]))
        if miss:
            conv = False
            Pf = P
        else:
            if conv:
                PZ, F[t] = PZc, Fc
            else:
                PZ = P @ Z
                F[t] = Z @ PZ
            v[t] = y[t] - mu[t] - Z @ a
            if t >= kd:
                llf += -(np.log(two_pi) + np.log(F[t]) + v[t] ** 2 / F[t]) / 2
            a = a + PZ * (v[t] / F[t])
            Pf = P - np.outer(PZ, PZ) / F[t]
        a = T @ a
        if conv:
            Pn = Pc
        else:
            Pn = T @ Pf @ T.T + RQR
            Pn = (Pn + Pn.T) / 2
            if (steady and not miss and t >= 1 and not np.isnan(y[t - 1])
                    and np.sum((P - Pn) ** 2) < 1e-19):
                conv, PZc, Fc, Pc = True, PZ, F[t], Pn
        P = Pn
    fm, fv = np.zeros(steps, dtype=dt), np.zeros(steps, dtype=dt)
    for h in range(steps):
        fm[h] = mu[n + h] + Z @ a
        fv[h] = Z @ P @ Z
        a = T @ a
        P = T @ P @ T.T + RQR
    return llf, v, F, fm, fv


def own_r_ml(y, spec, params):
    """R's arima(method='ML') objective (stats:::makeARIMA + C_ARIMA_Like),
    rebuilt: states [r = max(p', q' + 1) ARMA states, then the r_d = d + s*D
    lagged levels u_{t-1}..u_{t-r_d}], Z = [1, 0.., Delta] with Delta the
    coefficients of u_t = sum Delta_j u_{t-j} + w_t, unit innovation variance,
    P0 = blockdiag(stationary ARMA covariance, 1e6 * I), a0 = 0; observations
    whose F >= 1e4 are left out; sigma2 = ssq / n.used concentrated out.
    Returns (loglik, sigma2)."""
    beta, phi, theta, _ = expand(spec, params)
    delta = -diff_poly(spec)[1:]
    nd, p, q = len(delta), len(phi), len(theta)
    r = max(p, q + 1)
    m = r + nd
    Z = np.zeros(m)
    Z[0] = 1.0
    Z[r:] = delta
    T = np.zeros((m, m))
    T[:p, 0] = phi
    for i in range(1, r):
        T[i - 1, i] = 1.0
    if nd > 0:
        T[r, :] = Z
        for i in range(1, nd):
            T[r + i, r + i - 1] = 1.0
    R = np.zeros(m)
    R[0] = 1.0
    R[1:1 + q] = theta
    Ta = T[:r, :r]
    Pa = np.linalg.solve(np.eye(r * r) - np.kron(Ta, Ta),
                         np.outer(R[:r], R[:r]).reshape(-1)).reshape(r, r)
    P = np.zeros((m, m))
    P[:r, :r] = Pa
    P[r:, r:] = 1e6 * np.eye(nd)
    a = np.zeros(m)
    V = np.outer(R, R)
    u = y - trend_mean(spec["trend"], len(y), beta)
    ssq, sumlog, nu = 0.0, 0.0, 0
    for t in range(len(u)):
        if t > 0:
            a = T @ a
            P = T @ P @ T.T + V
        if np.isnan(u[t]):
            continue
        PZ = P @ Z
        F = Z @ PZ
        v = u[t] - Z @ a
        if F < 1e4:
            nu += 1
            ssq += v * v / F
            sumlog += np.log(F)
        a = a + PZ * (v / F)
        P = P - np.outer(PZ, PZ) / F
    n_used = int(np.sum(~np.isnan(y))) - nd
    val = 0.5 * (np.log(ssq / nu) + sumlog / nu)
    return -0.5 * (2 * n_used * val + n_used + n_used * np.log(2 * np.pi)), ssq / n_used


def own_css(y, spec, params, ncond):
    """R's conditional sum of squares (stats:::arima, C_ARIMA_CSS): difference
    u = y - X beta in place, residuals e_t = w_t - sum phi_i w_{t-i} - sum
    theta_j e_{t-j} for t >= ncond (e_t = 0 before; the MA sum only reaches
    back to ncond), ssq over the non-NaN e_t, nu their count."""
    beta, phi, theta, _ = expand(spec, params)
    n = len(y)
    w = y - trend_mean(spec["trend"], n, beta)
    for _ in range(spec["d"]):
        w[1:] = w[1:] - w[:-1].copy()
    s = spec["s"]
    for _ in range(spec["D"]):
        w[s:] = w[s:] - w[:-s].copy()
    e = np.zeros(n)
    ssq, nu = 0.0, 0
    for t in range(ncond, n):
        tmp = w[t]
        for i in range(len(phi)):
            tmp -= phi[i] * w[t - i - 1]
        for j in range(min(t - ncond, len(theta))):
            tmp -= theta[j] * e[t - j - 1]
        e[t] = tmp
        if not np.isnan(tmp):
            nu += 1
            ssq += tmp * tmp
    return ssq, nu


# =========================================================================
# R: every R number comes from one Rscript run; values travel as %a hex
# =========================================================================
for key in SERIES_KEYS:
    SERIES[key][1].astype("<f8").tofile(os.path.join(TMP, key + ".bin"))
for na in NA_KEYS:
    base = "nile" if na == "nile0" else na
    series_values(base, na).astype("<f8").tofile(os.path.join(TMP, "na_" + na + ".bin"))

R_PRELUDE = r"""
suppressMessages(library(forecast))
options(digits = 17, warn = 1)
rd <- function(name) { f <- file.path('%s', paste0(name, '.bin'));
  readBin(f, 'double', n = file.size(f) / 8, endian = 'little') }
hx <- function(v) { v <- as.double(v); if (length(v) == 0) return('');
  paste(ifelse(is.na(v) & !is.nan(v), 'NA', ifelse(is.nan(v), 'NaN', ifelse(is.infinite(v),
    ifelse(v > 0, 'Inf', '-Inf'), sprintf('%%a', v)))), collapse = ' ') }
emit <- function(key, v) cat(key, '\t', hx(v), '\n', sep = '')
emitn <- function(key, v) cat(key, '\t', paste(v, collapse = ' '), '\n', sep = '')
err <- function(key, e) cat(key, '\tERROR ', gsub('[\n\t]', ' ', conditionMessage(e)), '\n', sep = '')
""" % TMP


def r_args(spec, n):
    """The arima() arguments that give statsmodels' model."""
    a = "order = c(%d, %d, %d)" % (spec["p"], spec["d"], spec["q"])
    if spec["s"] > 0:
        a += ", seasonal = list(order = c(%d, %d, %d), period = %d)" % (
            spec["P"], spec["D"], spec["Q"], spec["s"])
    integ = spec["d"] + spec["D"] > 0
    a += ", include.mean = %s" % ("TRUE" if spec["trend"] in ("c", "ct") and not integ else "FALSE")
    if spec["trend"] in ("t", "ct"):
        a += ", xreg = matrix(1:%d, ncol = 1)" % n
    elif spec["trend"] == "t2":
        a += ", xreg = matrix((1:%d)^2, ncol = 1)" % n
    return a


def r_from_sm(spec, params):
    """statsmodels' order (trend, ar, ma, sar, sma, sigma2) -> R's coef order
    (ar, ma, sar, sma, intercept, xreg), sigma2 dropped."""
    k = n_trend(spec["trend"])
    pr = list(params[k:-1])
    tr = list(params[:k])
    return pr + tr


def sm_from_r(spec, coef, sigma2):
    k = n_trend(spec["trend"])
    coef = list(coef)
    narma = len(coef) - k
    return np.array(coef[narma:] + coef[:narma] + [sigma2])


def spec_str(spec):
    s = "order=(%d,%d,%d)" % (spec["p"], spec["d"], spec["q"])
    if spec["s"]:
        s += ", seasonal_order=(%d,%d,%d,%d)" % (spec["P"], spec["D"], spec["Q"], spec["s"])
    tr = "[0, 0, 1]" if spec["trend"] == "t2" else "'%s'" % spec["trend"]
    return s + ", trend=" + tr


def mkspec(order, seasonal=(0, 0, 0, 0), trend="n"):
    return dict(p=order[0], d=order[1], q=order[2], P=seasonal[0], D=seasonal[1],
                Q=seasonal[2], s=seasonal[3], trend=trend)


# =========================================================================
# 1. Log-likelihood at fixed parameters
# =========================================================================
# (series, NA set or None, spec, params in statsmodels' order)
LL_CASES = [
    ("lakehuron", None, mkspec((2, 0, 0), trend="c"), [579.0, 1.04, -0.25, 0.48]),
    ("lakehuron", None, mkspec((0, 0, 2), trend="c"), [579.0, 1.0, 0.4, 0.6]),
    ("lakehuron", None, mkspec((1, 0, 1), trend="c"), [579.0, 0.75, 0.35, 0.48]),
    ("lakehuron", None, mkspec((1, 0, 1), trend="ct"), [580.0, -0.02, 0.7, 0.3, 0.47]),
    ("lakehuron", None, mkspec((2, 0, 0), trend="t"), [6.0, 1.0, -0.1, 2.0]),
    ("lynx", None, mkspec((2, 0, 0), trend="c"), [1540.0, 1.15, -0.6, 7.0e5]),
    ("lynx", None, mkspec((3, 0, 0), trend="c"), [1540.0, 1.1, -0.45, -0.15, 6.5e5]),
    ("lynx", None, mkspec((1, 0, 0), trend="n"), [0.7, 2.5e6]),
    ("lynx", None, mkspec((0, 0, 3), trend="c"), [1540.0, 1.2, 0.6, 0.1, 8.0e5]),
    ("nile", None, mkspec((0, 1, 1)), [-0.73, 20600.0]),
    ("nile", None, mkspec((1, 1, 1)), [0.25, -0.87, 20000.0]),
    ("nile", None, mkspec((1, 1, 1), trend="t"), [-3.0, 0.25, -0.85, 20000.0]),
    ("nile", None, mkspec((0, 0, 2), trend="c"), [920.0, 0.4, 0.3, 22000.0]),
    ("www", None, mkspec((1, 1, 1)), [0.65, 0.5, 10.0]),
    ("www", None, mkspec((3, 1, 0)), [1.15, -0.66, 0.34, 9.4]),
    ("www", None, mkspec((1, 2, 1)), [0.2, -0.3, 10.5]),
    ("www", None, mkspec((0, 2, 2)), [0.25, 0.1, 11.0]),
    ("www", None, mkspec((1, 2, 0), trend="t2"), [0.01, 0.2, 10.0]),
    ("aplog", None, mkspec((0, 1, 1), (0, 1, 1, 12)), [-0.4, -0.55, 0.00137]),
    ("aplog", None, mkspec((1, 1, 0), (0, 1, 1, 12)), [-0.35, -0.6, 0.0014]),
    ("aplog", None, mkspec((2, 1, 1), (0, 1, 0, 12)), [0.3, 0.1, -0.7, 0.0016]),
    ("aplog", None, mkspec((0, 1, 1), (1, 1, 0, 12)), [-0.4, -0.45, 0.0015]),
    ("aplog", None, mkspec((1, 0, 0), (0, 1, 1, 12), trend="t"), [0.0105, 0.7, -0.5, 0.0015]),
    ("nottem", None, mkspec((1, 0, 0), (1, 0, 0, 12), trend="c"), [49.0, 0.3, 0.85, 6.0]),
    ("nottem", None, mkspec((1, 0, 0), (2, 0, 0, 12), trend="c"), [49.0, 0.3, 0.5, 0.4, 5.5]),
    ("nottem", None, mkspec((1, 0, 1), (1, 0, 1, 12), trend="c"),
     [49.0, 0.5, -0.2, 0.95, -0.6, 5.0]),
    ("nottem", None, mkspec((1, 0, 0), (1, 0, 0, 12), trend="ct"), [48.5, 0.005, 0.3, 0.85, 6.0]),
    ("nottem", None, mkspec((2, 0, 0), (0, 1, 1, 12)), [0.3, -0.05, -0.9, 5.4]),
    ("sunspots", None, mkspec((3, 0, 0), trend="c"), [49.7, 1.2, -0.4, -0.15, 260.0]),
    ("sunspots", None, mkspec((2, 0, 2), trend="c"), [49.7, 1.4, -0.7, -0.1, 0.1, 240.0]),
    ("gdplog", None, mkspec((1, 1, 0), trend="t"), [0.0077, 0.35, 7.5e-5]),
    ("gdplog", None, mkspec((0, 1, 2), trend="t"), [0.0077, 0.3, 0.2, 7.5e-5]),
    ("gdplog", None, mkspec((1, 2, 1)), [0.3, -0.9, 8.0e-5]),
    ("lakehuron", "lakehuron", mkspec((2, 0, 0), trend="c"), [579.0, 1.04, -0.25, 0.48]),
    ("lakehuron", "lakehuron", mkspec((1, 0, 1), trend="c"), [579.0, 0.75, 0.35, 0.48]),
    ("nile", "nile", mkspec((1, 1, 1)), [0.25, -0.87, 20000.0]),
    ("aplog", "aplog", mkspec((0, 1, 1), (0, 1, 1, 12)), [-0.4, -0.55, 0.00137]),
    ("www", "www", mkspec((1, 2, 1)), [0.2, -0.3, 10.5]),
    ("nottem", "nottem", mkspec((1, 0, 0), (1, 0, 0, 12), trend="c"), [49.0, 0.3, 0.85, 6.0]),
    ("gdplog", "gdplog", mkspec((1, 1, 0), trend="t"), [0.0077, 0.35, 7.5e-5]),
    ("nile", "nile0", mkspec((1, 1, 1)), [0.25, -0.87, 20000.0]),
]

# =========================================================================
# 2. Fits on real series
# =========================================================================
FIT_CASES = [
    ("LYNX_AR2", "lynx", None, mkspec((2, 0, 0), trend="c")),
    ("LYNX_AR3", "lynx", None, mkspec((3, 0, 0), trend="c")),
    ("LAKEHURON_AR2", "lakehuron", None, mkspec((2, 0, 0), trend="c")),
    ("LAKEHURON_ARMA11", "lakehuron", None, mkspec((1, 0, 1), trend="c")),
    ("LAKEHURON_AR2_CT", "lakehuron", None, mkspec((2, 0, 0), trend="ct")),
    ("LAKEHURON_NA_AR2", "lakehuron", "lakehuron", mkspec((2, 0, 0), trend="c")),
    ("AIRLINE", "aplog", None, mkspec((0, 1, 1), (0, 1, 1, 12))),
    ("NOTTEM_SAR2", "nottem", None, mkspec((1, 0, 0), (2, 0, 0, 12), trend="c")),
    ("SUNSPOTS_AR2", "sunspots", None, mkspec((2, 0, 0), trend="c")),
    ("SUNSPOTS_AR3", "sunspots", None, mkspec((3, 0, 0), trend="c")),
    ("GDP_ARI110_DRIFT", "gdplog", None, mkspec((1, 1, 0), trend="t")),
    ("NILE_IMA", "nile", None, mkspec((0, 1, 1))),
    ("WWW_ARIMA111", "www", None, mkspec((1, 1, 1))),
]
H = 12

# =========================================================================
# 3. auto.arima
# =========================================================================
# (series key, extra arguments); frequency = the series' own
AUTO_CASES = [("lynx", ""), ("lakehuron", ""), ("aplog", ""), ("nottem", ""),
              ("nottem", "approximation = FALSE"), ("nile", ""), ("www", ""), ("usacc", ""),
              ("ukgaslog", ""), ("co2", ""), ("co2", "approximation = FALSE"), ("ldeaths", ""),
              ("austres", ""), ("lh", ""), ("sunspots", ""), ("sunspots", "approximation = FALSE"),
              ("gdplog", ""), ("gdplog", "approximation = FALSE")]

# =========================================================================
# The R run
# =========================================================================
rcode = [R_PRELUDE]
for i, (key, na, spec, params) in enumerate(LL_CASES):
    src = "na_" + na if na else key
    y = series_values(key, na)
    rc = r_from_sm(spec, params)
    fixed = "c(%s)" % ", ".join(float(v).hex() for v in rc)  # hex: R parses it exactly
    for meth in ("ML", "CSS"):
        if na and meth == "CSS":
            continue
        rcode.append(
            "tryCatch({ x <- rd('%s'); f <- suppressWarnings(arima(x, %s, fixed = %s, "
            "transform.pars = FALSE, method = '%s')); emit('LL%d_%s', c(f$loglik, f$sigma2, "
            "f$nobs, f$n.cond)) }, error = function(e) err('LL%d_%s', e))"
            % (src, r_args(spec, len(y)), fixed, meth, i, meth, i, meth))
for name, key, na, spec in FIT_CASES:
    src = "na_" + na if na else key
    n = len(SERIES[key][1])
    for meth in ("ML", "CSS-ML", "CSS"):
        tag = "FIT_%s_%s" % (name, meth.replace("-", ""))
        pred = ""
        if meth == "ML":
            nx = ""
            if spec["trend"] in ("t", "ct"):
                nx = ", newxreg = matrix(%d:%d, ncol = 1)" % (n + 1, n + H)
            pred = ("p <- predict(f, n.ahead = %d%s); emit('%s_PRED', p$pred); "
                    "emit('%s_PSE', p$se); emit('%s_RESID', residuals(f)); " % (H, nx, tag, tag, tag))
        rcode.append(
            "tryCatch({ x <- rd('%s'); f <- arima(x, %s, method = '%s'); "
            "emit('%s_COEF', f$coef); emitn('%s_NAMES', names(f$coef)); "
            "emit('%s_SE', sqrt(diag(f$var.coef))); "
            "emit('%s_INFO', c(f$loglik, f$sigma2, f$aic, f$nobs, f$code, f$n.cond)); %s}, "
            "error = function(e) err('%s', e))"
            % (src, r_args(spec, n), meth, tag, tag, tag, tag, pred, tag))
for i, (key, extra) in enumerate(AUTO_CASES):
    cname, y, freq, _ = SERIES[key]
    rcode.append(
        "tryCatch({ x <- ts(rd('%s'), frequency = %d); "
        "tr <- capture.output(f <- auto.arima(x%s, trace = TRUE)); "
        "for (l in tr) cat('AUTO%d_TRACE\\t', l, '\\n', sep = ''); "
        "emitn('AUTO%d_ARMA', f$arma); emitn('AUTO%d_NAMES', names(f$coef)); "
        "emit('AUTO%d_COEF', f$coef); emit('AUTO%d_INFO', c(f$aicc, f$aic, f$bic, f$loglik, "
        "f$sigma2, f$nobs)) }, error = function(e) err('AUTO%d', e))"
        % (key, freq, (", " + extra) if extra else "", i, i, i, i, i, i))
# edge cases
LAKE_R = "rd('lakehuron')"
R_EDGE = [
    ("too short, n = 2, ARIMA(2,0,0) ML", "arima(c(1, 2), order = c(2, 0, 0), method = 'ML')"),
    ("too short, n = 3, ARIMA(2,0,0) ML",
     "arima(c(1, 2, 4), order = c(2, 0, 0), method = 'ML')"),
    ("too short, n = 3, ARIMA(1,1,1)", "arima(c(1, 2, 4), order = c(1, 1, 1))"),
    ("constant series (20 x 5), ARIMA(1,0,0)", "arima(rep(5, 20), order = c(1, 0, 0))"),
    ("constant series (20 x 5), ARIMA(1,0,0) ML",
     "arima(rep(5, 20), order = c(1, 0, 0), method = 'ML')"),
    ("constant series (20 x 5), ARIMA(0,1,1)", "arima(rep(5, 20), order = c(0, 1, 1))"),
    ("all NA (20), ARIMA(1,0,0)", "arima(rep(NA_real_, 20), order = c(1, 0, 0))"),
    ("Inf inside LakeHuron, ARIMA(1,0,0)",
     "{ x <- %s; x[5] <- Inf; arima(x, order = c(1, 0, 0)) }" % LAKE_R),
    ("NaN inside LakeHuron, ARIMA(1,0,0) (NaN is NA to R)",
     "{ x <- %s; x[5] <- NaN; arima(x, order = c(1, 0, 0)) }" % LAKE_R),
    ("non-stationary fixed AR, ar = 1.5, transform.pars = FALSE",
     "arima(%s, order = c(1, 0, 0), fixed = c(1.5, 579), transform.pars = FALSE, "
     "method = 'ML')" % LAKE_R),
    ("non-invertible fixed MA, ma = 2, ML",
     "arima(%s, order = c(0, 0, 1), fixed = c(2, 579), transform.pars = FALSE, "
     "method = 'ML')" % LAKE_R),
    ("non-stationary init, ar = 1.2, ML",
     "arima(%s, order = c(1, 0, 0), init = c(1.2, 579), method = 'ML')" % LAKE_R),
    ("auto.arima on a constant series", "auto.arima(ts(rep(5, 30)))"),
    ("auto.arima on n = 3", "auto.arima(ts(c(1, 3, 2)))"),
    ("auto.arima with an NA inside LakeHuron",
     "{ x <- %s; x[5] <- NA; auto.arima(x) }" % LAKE_R),
]
for i, (what, call) in enumerate(R_EDGE):
    rcode.append(
        "tryCatch({ w <- character(0); f <- withCallingHandlers(%s, warning = function(e) { "
        "w <<- c(w, conditionMessage(e)); invokeRestart('muffleWarning') }); "
        "s <- if (inherits(f, 'Arima')) sprintf("
        "'coef = [%%s], sigma2 = %%.10g, loglik = %%.10g', paste(sprintf('%%s = %%.6g', "
        "names(f$coef), f$coef), collapse = ', '), f$sigma2, f$loglik) else "
        "paste(class(f), collapse = ' '); if (length(w)) s <- paste0(s, '; warning: ', "
        "paste(unique(w), collapse = ' | ')); if (!is.null(f$arma)) s <- paste0(s, "
        "'; arma = ', paste(f$arma, collapse = ',')); "
        "cat('EDGE%d\\t', gsub('[\\n\\t]', ' ', s), '\\n', sep = '') }, "
        "error = function(e) err('EDGE%d', e))" % (call, i, i))
R_OUT = {}
for line in rscript("\n".join(rcode)).splitlines():
    if "\t" not in line:
        continue
    k, v = line.split("\t", 1)
    if k.endswith("_TRACE"):
        R_OUT.setdefault(k, []).append(v)
    else:
        R_OUT[k] = v.strip()


def rnum(key):
    v = R_OUT[key]
    assert not v.startswith("ERROR"), (key, v)
    vals = []
    for t in v.split():
        vals.append({"NA": np.nan, "NaN": np.nan, "Inf": np.inf, "-Inf": -np.inf}[t]
                    if t in ("NA", "NaN", "Inf", "-Inf") else float.fromhex(t))
    return np.array(vals)


# =========================================================================
# Section 1: emit
# =========================================================================
out.section("Data (each array once; NA sets are 0-based positions to set to NAN in a copy)")
for key in SERIES_KEYS:
    cname, y, freq, what = SERIES[key]
    out.arr(cname, y, "%s; frequency %d" % (what, freq))
for na in NA_KEYS:
    cname, idx = NA_SETS[na]
    base = "nile" if na == "nile0" else na
    out.arr(cname, idx, "0-based positions of %s set to NAN" % SERIES[base][0])
out.lines.append("/* Series ids used by the tables below (column 'series'). */")
for i, key in enumerate(SERIES_KEYS):
    out.lines.append("#define %s_ID %d" % (SERIES[key][0], i))
out.lines.append("#define ARIMA_N_SERIES %d" % len(SERIES_KEYS))
out.lines.append("static const double *const ARIMA_SERIES[%d] = {%s};" % (
    len(SERIES_KEYS), ", ".join(SERIES[k][0] for k in SERIES_KEYS)))
out.lines.append("static const int ARIMA_SERIES_LEN[%d] = {%s};" % (
    len(SERIES_KEYS), ", ".join("%s_LEN" % SERIES[k][0] for k in SERIES_KEYS)))
out.lines.append("static const int ARIMA_SERIES_FREQ[%d] = {%s};" % (
    len(SERIES_KEYS), ", ".join(str(SERIES[k][2]) for k in SERIES_KEYS)))
out.lines.append("/* NA set ids (column 'na'): 0 = none, k = the k-th below. */")
out.lines.append("static const double *const ARIMA_NA_SETS[%d] = {0, %s};" % (
    len(NA_KEYS) + 1, ", ".join(NA_SETS[k][0] for k in NA_KEYS)))
out.lines.append("static const int ARIMA_NA_SETS_LEN[%d] = {0, %s};\n" % (
    len(NA_KEYS) + 1, ", ".join("%s_LEN" % NA_SETS[k][0] for k in NA_KEYS)))

out.section(
    "1. Log-likelihood at fixed parameters: statsmodels 0.13.5\n"
    "   ARIMA(y, order, seasonal_order, trend).loglike(params) with default settings")
ll_rows, ll_calls, ll_params = [], [], []
worst = dict(own=0.0, own_ld=0.0, r_own=0.0, exact=0.0, r_exact=0.0, r_sm=0.0, css=0.0, simple=0.0)
for i, (key, na, spec, params) in enumerate(LL_CASES):
    y = series_values(key, na)
    n = len(y)
    params = np.array(params, float)
    mod = ARIMA(y, order=(spec["p"], spec["d"], spec["q"]),
                seasonal_order=(spec["P"], spec["D"], spec["Q"], spec["s"]),
                trend=sm_trend(spec["trend"]))
    assert mod.k_params == len(params)
    ll = mod.loglike(params)
    own = own_kalman(y, spec, params)[0]
    own_ld = own_kalman(y, spec, params, dt=np.longdouble, steady=False)[0]
    e = rel(own, ll)
    assert e < 2e-8, (i, own, ll)
    worst["own"] = max(worst["own"], e)
    e = rel(own_ld, ll)
    assert e < 2e-6, (i, own_ld, ll)
    worst["own_ld"] = max(worst["own_ld"], e)
    own_ld = float(own_ld)
    r = spec["d"] + spec["s"] * spec["D"]
    exact = np.nan if np.isnan(y[:r]).any() else exact_loglike(y, spec, params)
    if not np.isnan(exact):
        e = rel(ll, exact)
        worst["exact"] = max(worst["exact"], e)
    ex = trend_matrix(spec["trend"], n)
    ssd = SARIMAX(y, exog=ex if ex.shape[1] else None, order=(spec["p"], spec["d"], spec["q"]),
                  seasonal_order=(spec["P"], spec["D"], spec["Q"], spec["s"]),
                  simple_differencing=True)
    simple = ssd.loglike(params)
    if na is None:
        e = rel(simple, exact)
        assert e < 2e-6, (i, simple, exact)
        worst["simple"] = max(worst["simple"], e)
    rml = rnum("LL%d_ML" % i)
    p_r = params.copy()
    p_r[-1] = rml[1]
    ll_sm_r = mod.loglike(p_r)
    ex_r = exact_loglike(y, spec, p_r) if not np.isnan(exact) else np.nan
    own_r = own_r_ml(y, spec, params)
    e = max(rel(own_r[0], rml[0]), rel(own_r[1], rml[1]))
    assert e < 1e-9, (i, own_r, rml)
    worst["r_own"] = max(worst["r_own"], e)
    if not np.isnan(ex_r):
        e = rel(rml[0], ex_r)
        assert e < 1e-4, (i, rml[0], ex_r)
        worst["r_exact"] = max(worst["r_exact"], e)
    if r == 0:
        e = rel(rml[0], ll_sm_r)
        assert e < 1e-9, (i, rml[0], ll_sm_r)
        worst["r_sm"] = max(worst["r_sm"], e)
    if na is None:
        rcss = rnum("LL%d_CSS" % i)
        ncond = int(rcss[3])
        ssq, nu = own_css(y, spec, params, ncond)
        n_used = n - r
        own_css_ll = -0.5 * (n_used * np.log(ssq / nu) + n_used + n_used * np.log(2 * np.pi))
        e = max(rel(own_css_ll, rcss[0]), rel(ssq / nu, rcss[1]))
        assert e < 1e-10, (i, own_css_ll, rcss)
        worst["css"] = max(worst["css"], e)
    else:
        rcss = [np.nan, np.nan, np.nan, np.nan]
    nobs_eff = n - r
    row = [SERIES_KEYS.index(key), (NA_KEYS.index(na) + 1) if na else 0, spec["p"], spec["d"],
           spec["q"], spec["P"], spec["D"], spec["Q"], spec["s"], TREND_CODES[spec["trend"]],
           len(ll_params), len(params), mod.loglikelihood_burn, nobs_eff, ll, own_ld, exact, simple,
           rml[1], rml[0], ll_sm_r, ex_r, rcss[3], rcss[1], rcss[0]]
    assert mod.loglikelihood_burn == r
    ll_params.extend(params)
    ll_rows.append(row)
    ll_calls.append("%s%s: ARIMA(y, %s).loglike([%s]); params %s" % (
        SERIES[key][0], (" with " + NA_SETS[na][0]) if na else "", spec_str(spec),
        ", ".join(repr(float(v)) for v in params), "/".join(mod.param_names)))
out.log("LL: own Kalman filter (statsmodels' state space, P0 = 1e6 I on the d + s*D "
        "difference states, first d + s*D terms dropped, steady-state shortcut) vs ARIMA.loglike: "
        "rel %.1e in double, "
        "%.1e in long double (column llf_ld)" % (worst["own"], worst["own_ld"]))
out.log("LL: ARIMA.loglike vs the exact differenced density (numpy MVN): max rel %.1e "
        "(the approximate-diffuse prior's error; not a tolerance for the C code)" % worst["exact"])
out.log("LL: SARIMAX(simple_differencing=True).loglike vs the exact differenced density "
        "(no NaN): rel %.1e" % worst["simple"])
out.log("LL: R arima(fixed, transform.pars=FALSE, method='ML') loglik and sigma2 vs own "
        "rebuild of R's filter (lagged-level diffuse states, kappa 1e6 in sigma2 units): rel %.1e"
        % worst["r_own"])
out.log("LL: R's ML loglik vs the exact differenced density at R's sigma2: max rel %.1e "
        "(R's own diffuse approximation)" % worst["r_exact"])
out.log("LL: R's ML loglik vs ARIMA.loglike at R's sigma2, d = D = 0: rel %.1e" % worst["r_sm"])
out.log("LL: R arima(method='CSS') loglik, sigma2 vs own CSS recursion: rel %.1e" % worst["css"])

out.comment(
    "CONVENTIONS the C code has to copy to reproduce ARIMA(...).loglike(params) to 1e-8:\n"
    "- Model: regression with ARIMA errors. u_t = y_t - x_t'beta, where x_t are the trend\n"
    "  columns (const = 1; t = 1, 2, ..., n, i.e. trend_offset = 1; [0,0,1] = t^2), and\n"
    "  (1-L)^d (1-L^s)^D phi(L) Phi(L^s) u_t = theta(L) Theta(L^s) eta_t, eta ~ N(0, sigma2).\n"
    "  AR polynomials are 1 - sum phi_i L^i, MA polynomials 1 + sum theta_j L^j (same signs\n"
    "  as R). ARIMA(trend=...) raises ValueError when a trend power is < d + D: 'c' and 'ct'\n"
    "  are refused for d + D >= 1; 't' with d = 1 is the drift (Delta u_t = Delta y_t - delta);\n"
    "  with d = 2 only t^2 ([0,0,1]) or higher is allowed. Default trend: 'c' if d + D = 0\n"
    "  else 'n'.\n"
    "- Parameter vector (param_names): const, x1 (the t or t^2 coefficient), ar.L1.., ma.L1..,\n"
    "  ar.S.L12.., ma.S.L12.., sigma2. sigma2 is an ordinary parameter (concentrate_scale =\n"
    "  False): loglike(params) uses the given sigma2, nothing is concentrated out.\n"
    "- State space (SARIMAX, simple_differencing = False, Harvey form): states = [d nested\n"
    "  ordinary-difference states, D blocks of s seasonal-difference states, k = max(p + s*P,\n"
    "  q + s*Q + 1) ARMA states]. Z = [1 x d, (0,..,0,1) x D, 1, 0 x (k-1)]. ARMA block of T:\n"
    "  first column = phi of the expanded AR polynomial, ones on the superdiagonal; R =\n"
    "  [0 x (d + s*D), 1, theta_1 .. theta_{k-1}] (expanded MA). Seasonal block b (states\n"
    "  d + b*s .. d + b*s + s-1): a shift register (state i+1 <- state i) whose first state\n"
    "  <- its own last state + the last state of every later seasonal block + ARMA state 0.\n"
    "  Ordinary-difference state i <- states i..d-1 + the last state of every seasonal block\n"
    "  + ARMA state 0. (ss_model() in the generator builds exactly this.)\n"
    "- Initialisation (enforce_stationarity = True): a0 = 0; P0 = blockdiag(1e6 * I for the\n"
    "  d + s*D difference states (APPROXIMATE diffuse, ssm.initial_variance = 1e6, an absolute\n"
    "  variance, not scaled by sigma2), the exact stationary covariance of the ARMA block:\n"
    "  P = T P T' + sigma2 R R' (discrete Lyapunov)). The trend/exog coefficients are not\n"
    "  states (mle_regression): u_t = y_t - x_t'beta is filtered.\n"
    "- loglikelihood_burn = d + s*D: the log-likelihood contributions of the first d + s*D\n"
    "  TIME POINTS (observed or not) are dropped; llf = sum_{t >= burn, y_t observed}\n"
    "  -0.5 (log 2pi + log F_t + v_t^2 / F_t). A NaN y_t skips the update (a, P only\n"
    "  predicted) and adds nothing. nobs_effective = n - burn (NaNs included).\n"
    "- Because the 1e6 prior is absolute, this is NOT the exact differenced likelihood: the\n"
    "  gap grows with the data's scale relative to 1e6 (1e-9 rel on log AirPassengers, up to\n"
    "  %.1e here on Nile; column llf_exact). Copy the 1e6 prior to match\n"
    "  statsmodels.\n"
    "- Steady state: statsmodels' Kalman filter stops updating P once converged: after the\n"
    "  prediction step at t >= 1, with y_t and y_{t-1} observed, if sum((P_t - P_{t+1})^2) <\n"
    "  1e-19 (an ABSOLUTE tolerance) it freezes F, the gain and P_{t+1} at their time-t values\n"
    "  for the rest of the sample (a NaN y unfreezes; the predicted P is symmetrised each\n"
    "  step). Only for time-invariant models: any trend term makes the observation intercept\n"
    "  time-varying and disables it. On small-scale series (log data, sigma2 ~ 1e-4) this\n"
    "  triggers while P is still moving and changes llf by up to 9e-7 rel (log realgdp\n"
    "  (1,2,1)); the C code must copy it to match statsmodels there. Column llf_ld = the same\n"
    "  convention in long double WITHOUT the shortcut (the value exact arithmetic gives);\n"
    "  |llf - llf_ld| / |llf| is the size of these float64 and shortcut effects per row.\n"
    "- Rounding: with the 1e6 prior the first updates cancel ~1e6-sized terms, so two correct\n"
    "  float64 filters differ by ~2e-9 rel on the seasonal log AirPassengers rows (own filter\n"
    "  vs statsmodels, see the opening comment).\n"
    "- d = 0: no burn, no diffuse states; statsmodels, R and the exact density agree (1e-12).\n"
    "- SARIMAX(..., simple_differencing=True) differences y (and exog) first; without NaN it\n"
    "  is the exact differenced likelihood (column llf_simple_diff; up to the steady-state\n"
    "  shortcut), with NaN it loses the observations next to each gap and differs.\n"
    "- R's arima(method='ML') concentrates sigma2 out (sigma2 = ssq / n.used, loglik =\n"
    "  -0.5 (n.used log(2 pi sigma2) + sum log F_t + n.used), the filter run with unit\n"
    "  innovation variance). Its state space differs: [ARMA states, then the d + s*D LAGGED\n"
    "  LEVELS u_{t-1}..u_{t-d-sD}] with Z = [1, 0.., Delta], u_t = sum Delta_j u_{t-j} + w_t;\n"
    "  P0 = blockdiag(stationary ARMA covariance (Gardner 1980), 1e6 I), i.e. kappa = 1e6 in\n"
    "  units of sigma2; observations with F >= 1e4 (unit-variance units: the first d + s*D\n"
    "  observed ones) are left out. So R's loglik is its own approximation: up to %.1e rel\n"
    "  from the exact density here (log AirPassengers: kappa * sigma2 ~ 1400 against levels\n"
    "  ~ 5). own_r_ml() in the generator rebuilds it to 1e-10. n.used = non-missing -\n"
    "  (d + s*D). For d = D = 0 R and statsmodels coincide.\n"
    "- R's CSS (method='CSS'): ncond = d + s*D + p + s*P; u differenced in place; residuals\n"
    "  e_t = w_t - sum phi_i w_{t-i} - sum_{j < t-ncond+1} theta_j e_{t-j} for t >= ncond\n"
    "  (e = 0 before ncond; phi, theta the expanded seasonal products); sigma2 = ssq / nu, nu\n"
    "  = number of non-NaN e_t; loglik = -0.5 (n.used log(2 pi sigma2) + n.used) with n.used =\n"
    "  non-missing - (d + s*D), not nu. A NaN propagates through the MA recursion (every later\n"
    "  residual is NaN when q + Q > 0).\n"
    "- Parameter transforms in fit() (enforce_stationarity / enforce_invertibility):\n"
    "  statsmodels optimises unconstrained x with AR = constrain_stationary_univariate(x)\n"
    "  (Monahan 1984 / Jones 1980: partial autocorrelations x / sqrt(1 + x^2) turned into\n"
    "  coefficients by the Durbin-Levinson recursion), MA = -constrain_stationary_univariate(x),\n"
    "  the same per seasonal block, sigma2 = x^2; trend coefficients untransformed." % (
        worst["exact"], worst["r_exact"]))
cols = ["series", "na", "p", "d", "q", "sp", "sd", "sq", "s", "trend", "param_off", "n_params",
        "burn", "nobs_eff", "llf", "llf_ld", "llf_exact", "llf_simple_diff", "sigma2_r", "llf_r",
        "llf_sm_at_r", "llf_exact_at_r", "css_ncond", "css_sigma2_r", "css_llf_r"]
out.arr("ARIMA_LL_PARAMS", ll_params,
        "all parameter vectors of ARIMA_LL, statsmodels' order (see each row's comment), "
        "row i's at [param_off, param_off + n_params)")
out.table("ARIMA_LL", ll_rows, ll_calls, cols,
          "one fixed-parameter case per row.\n"
          " * series: *_ID; na: ARIMA_NA_SETS index (0 none); sp, sd, sq = seasonal P, D, Q;\n"
          " * trend: 0 n, 1 c, 2 t, 3 ct, 4 t^2\n"
          " * ([0,0,1]); burn = model.loglikelihood_burn = d + s*D; nobs_eff = n - burn.\n"
          " * llf = ARIMA(y, ...).loglike(params) (THE reference); llf_exact = the exact density of\n"
          " * y[t >= burn] given y[0..burn-1] (own numpy MVN; NAN when a NaN is in the first burn\n"
          " * points); llf_simple_diff = SARIMAX(y, exog=trend columns, order, seasonal_order,\n"
          " * simple_differencing=True).loglike(params).\n"
          " * sigma2_r, llf_r = R arima(y, order, seasonal, include.mean = (trend has c and d+D = 0),\n"
          " * xreg = 1:n (t) or (1:n)^2, fixed = params in R's order (ar, ma, sar, sma, intercept,\n"
          " * xreg), transform.pars = FALSE, method = 'ML'): R's sigma2 = ssq / n.used and loglik\n"
          " * (sigma2 concentrated out); llf_sm_at_r = ARIMA.loglike(params with sigma2 = sigma2_r);\n"
          " * llf_exact_at_r = the exact density at sigma2_r (llf_r for d = D = 0; for d + D >= 1\n"
          " * llf_r is R's own diffuse approximation, see CONVENTIONS). llf_ld = own filter in\n"
          " * long double without the steady-state shortcut.\n"
          " * css_* = the same arima() call with method = 'CSS': n.cond, sigma2 = ssq/nu, loglik\n"
          " * (NAN for the NaN cases).")

# =========================================================================
# Section 2: fits
# =========================================================================
out.section("2. Fits: statsmodels ARIMA(y, ...).fit() (method 'statespace', L-BFGS, maxiter 50,\n"
            "   enforce_stationarity = enforce_invertibility = True) and R arima()")
out.comment(
    "Per fit NAME (ARIMA_FIT_NAME_*):\n"
    "  _PARAMS      res.params, statsmodels' order (names in the comment), sigma2 last\n"
    "  _BSE_OPG     res.bse: the default cov_type 'opg' (outer product of the per-observation\n"
    "               score, numerical)\n"
    "  _BSE_OIM     mod.filter(res.params, cov_type='oim').bse (Harvey's observed information)\n"
    "  _BSE_APPROX  mod.filter(res.params, cov_type='approx').bse: sqrt diag of inv(-H), H the\n"
    "               Hessian of the total llf in the (constrained) params by complex step; the\n"
    "               'Hessian' standard errors of the issue\n"
    "  _INFO        [llf, aic, aicc, bic, hqic, nobs_effective, df_model, converged (0/1),\n"
    "               iterations]; df_model = number of params incl. sigma2; aicc =\n"
    "               -2 llf + 2 k nobs_eff / (nobs_eff - k - 1); bic = -2 llf + k log nobs_eff;\n"
    "               hqic = -2 llf + 2 k log log nobs_eff; nobs_eff = n - (d + s*D)\n"
    "  _RESID_HEAD, _RESID_TAIL  res.resid[:5], res.resid[-5:]: one-step forecast errors\n"
    "               v_t = y_t - E[y_t | y_<t] (NaN at missing y; the first d + s*D are the\n"
    "               approximate-diffuse ones, e.g. v_0 = y_0 - x_0'beta)\n"
    "  _FC_MEAN, _FC_SE, _FC_LOWER, _FC_UPPER  f = res.get_forecast(12): f.predicted_mean,\n"
    "               f.se_mean, f.conf_int(alpha=0.05) columns (mean -+ 1.959963984540054 se)\n"
    "  _LJUNGBOX    res.test_serial_correlation('ljungbox', lags=10)[0, :, 9]: [stat, p] of\n"
    "               acorr_ljungbox on the STANDARDISED forecast errors v_t / sqrt(F_t) for\n"
    "               t >= burn, model_df = 0\n"
    "  _R_ML_PARAMS, _R_CSSML_PARAMS, _R_CSS_PARAMS   R arima(y, order, seasonal,\n"
    "               include.mean, xreg, method = 'ML' / 'CSS-ML' (the default) / 'CSS') coef\n"
    "               and sigma2 rearranged into statsmodels' order (R's order: ar, ma, sar,\n"
    "               sma, intercept, xreg)\n"
    "  _R_ML_SE, ... sqrt(diag(var.coef)) in the same order, NAN for sigma2 (R's var.coef:\n"
    "               inverse of optim's numerical Hessian of the concentrated objective times\n"
    "               n.used, via the transformation's Jacobian when transform.pars)\n"
    "  _R_*_INFO    [loglik, sigma2, aic (NAN for CSS), nobs = n.used, code, n.cond,\n"
    "               llf_sm_at_r = ARIMA.loglike(R's params, R's sigma2), llf_exact_at_r = the\n"
    "               exact differenced density there]\n"
    "  _R_ML_FC_MEAN, _R_ML_FC_SE  predict(fit, n.ahead = 12, newxreg = (n+1):(n+12) for\n"
    "               drift)\n"
    "llf conventions: for d + D = 0 statsmodels' llf and R's loglik are the same function of\n"
    "the parameters (at R's optimum sigma2 is the MLE, so concentrating changes nothing). For\n"
    "d + D >= 1 they differ (see CONVENTIONS in section 1): compare a fit in statsmodels'\n"
    "convention with _R_*_INFO[6] (statsmodels' function at R's estimate); R's loglik\n"
    "(INFO[0]) is R's own approximation, INFO[7] the exact differenced density there.\n"
    "statsmodels' optimiser: scipy fmin_l_bfgs_b on -llf / n in the unconstrained parameters\n"
    "(the transforms in section 1), gradient by forward differences (approx_grad, epsilon\n"
    "1e-5), pgtol 1e-5, factr 1e7, maxiter 50, start = SARIMAX.start_params. It stops early on\n"
    "badly scaled problems while reporting converged: on lynx, sunspots and log realgdp R's\n"
    "estimate scores HIGHER in statsmodels' own llf (INFO[6] > the fit's llf; the opening\n"
    "comment lists both), so 'no worse than statsmodels' is a weak bar there; compare with\n"
    "max(llf, _R_ML_INFO[6]).")
worst_f = dict(v=0.0, fc=0.0, fse=0.0, r_own=0.0, r_exact=0.0, css=0.0)
for name, key, na, spec in FIT_CASES:
    y = series_values(key, na)
    n = len(y)
    mod = ARIMA(y, order=(spec["p"], spec["d"], spec["q"]),
                seasonal_order=(spec["P"], spec["D"], spec["Q"], spec["s"]),
                trend=sm_trend(spec["trend"]))
    res = mod.fit()
    call = "ARIMA(%s%s, %s).fit()" % (SERIES[key][0], (" with " + NA_SETS[na][0]) if na else "",
                                      spec_str(spec))
    pre = "ARIMA_FIT_" + name
    names = "/".join(mod.param_names)
    oim = mod.filter(res.params, cov_type="oim")
    apx = mod.filter(res.params, cov_type="approx")
    fc = res.get_forecast(H)
    ci = fc.conf_int(alpha=0.05)
    lb = res.test_serial_correlation("ljungbox", lags=10)[0, :, 9]
    llf_own, v, F, fm, fv = own_kalman(y, spec, res.params, H)
    assert rel(llf_own, res.llf) < 2e-8, (name, llf_own, res.llf)
    worst_f["v"] = max(worst_f["v"], np.nanmax(np.abs(v - res.resid)) / np.nanstd(y))
    worst_f["fc"] = max(worst_f["fc"], rel(fm, fc.predicted_mean))
    worst_f["fse"] = max(worst_f["fse"], rel(np.sqrt(fv), fc.se_mean))
    assert worst_f["v"] < 1e-7 and worst_f["fc"] < 1e-10 and worst_f["fse"] < 1e-8, (name, worst_f)
    k = len(res.params)
    ne = res.nobs_effective
    assert ne == n - spec["d"] - spec["s"] * spec["D"] and res.df_model == k
    assert abs(res.aicc - (-2 * res.llf + 2 * k * ne / (ne - k - 1))) < 1e-9 * abs(res.aicc)
    assert abs(res.hqic - (-2 * res.llf + 2 * k * np.log(np.log(ne)))) < 1e-9 * abs(res.hqic)
    out.arr(pre + "_PARAMS", res.params, call + ".params: " + names)
    out.arr(pre + "_BSE_OPG", res.bse, call + ".bse (cov_type 'opg')")
    out.arr(pre + "_BSE_OIM", oim.bse, "mod.filter(res.params, cov_type='oim').bse")
    out.arr(pre + "_BSE_APPROX", apx.bse, "mod.filter(res.params, cov_type='approx').bse")
    out.arr(pre + "_INFO", [res.llf, res.aic, res.aicc, res.bic, res.hqic, ne, res.df_model,
                            float(res.mle_retvals["converged"]), res.mle_retvals["iterations"]],
            call + " [llf, aic, aicc, bic, hqic, nobs_effective, df_model, converged, iterations]")
    out.arr(pre + "_RESID_HEAD", res.resid[:5], call + ".resid[:5]")
    out.arr(pre + "_RESID_TAIL", res.resid[-5:], call + ".resid[-5:]")
    out.arr(pre + "_FC_MEAN", fc.predicted_mean, "res.get_forecast(12).predicted_mean")
    out.arr(pre + "_FC_SE", fc.se_mean, "res.get_forecast(12).se_mean")
    out.arr(pre + "_FC_LOWER", ci[:, 0], "res.get_forecast(12).conf_int(alpha=0.05)[:, 0]")
    out.arr(pre + "_FC_UPPER", ci[:, 1], "res.get_forecast(12).conf_int(alpha=0.05)[:, 1]")
    out.arr(pre + "_LJUNGBOX", lb, "res.test_serial_correlation('ljungbox', lags=10)[0, :, 9] "
            "[stat, pvalue]")
    best_start, best_llf = res.params, res.llf
    for meth in ("ML", "CSSML", "CSS"):
        tag = "FIT_%s_%s" % (name, meth)
        if R_OUT[tag + "_COEF"].startswith("ERROR"):
            out.comment("%s_R_%s: R failed: %s" % (pre, meth, R_OUT[tag + "_COEF"]))
            continue
        coef, se, info = rnum(tag + "_COEF"), rnum(tag + "_SE"), rnum(tag + "_INFO")
        rnames = R_OUT[tag + "_NAMES"].split()
        par = sm_from_r(spec, coef, info[1])
        pse = sm_from_r(spec, se, np.nan)
        llsm = mod.loglike(par)
        r = spec["d"] + spec["s"] * spec["D"]
        llx = exact_loglike(y, spec, par) if not np.isnan(y[:r]).any() else np.nan
        if meth != "CSS":
            e = max(rel(own_r_ml(y, spec, par)[0], info[0]), rel(own_r_ml(y, spec, par)[1], info[1]))
            assert e < 1e-8, (tag, own_r_ml(y, spec, par), info)
            worst_f["r_own"] = max(worst_f["r_own"], e)
            worst_f["r_exact"] = max(worst_f["r_exact"], rel(info[0], llx))
        else:
            ssq, nu = own_css(y, spec, par, int(info[5]))
            nused = int(np.sum(~np.isnan(y))) - r
            e = max(rel(ssq / nu, info[1]), rel(-0.5 * (nused * np.log(2 * np.pi * ssq / nu) + nused),
                                                info[0]))
            assert e < 1e-10, (tag, ssq / nu, info)
            worst_f["css"] = max(worst_f["css"], e)
        rcall = "R arima(%s, %s, method = '%s')" % (
            SERIES[key][0] + ((" with " + NA_SETS[na][0]) if na else ""), r_args(spec, n),
            {"ML": "ML", "CSSML": "CSS-ML", "CSS": "CSS"}[meth])
        out.arr("%s_R_%s_PARAMS" % (pre, meth), par,
                rcall + ": coef (R names %s) and sigma2, in statsmodels' order %s" % (
                    "/".join(rnames), names))
        out.arr("%s_R_%s_SE" % (pre, meth), pse, "sqrt(diag(var.coef)), same order, sigma2 NAN")
        out.arr("%s_R_%s_INFO" % (pre, meth), list(info) + [llsm, llx],
                "[loglik, sigma2, aic, nobs, code, n.cond, llf_sm_at_r, llf_exact_at_r]")
        if meth == "ML" and llsm > best_llf:
            best_start, best_llf = par, llsm
        if meth == "ML":
            out.arr("%s_R_ML_FC_MEAN" % pre, rnum(tag + "_PRED"), "predict(fit, n.ahead = 12)$pred")
            out.arr("%s_R_ML_FC_SE" % pre, rnum(tag + "_PSE"), "predict(fit, n.ahead = 12)$se")
            out.log("%s: statsmodels llf %.10g (converged %s, %d it), at R's ML estimate %.10g; "
                    "R loglik %.10g" % (name, res.llf, res.mle_retvals["converged"],
                                        res.mle_retvals["iterations"], llsm, info[0]))
    # statsmodels' own function polished to its optimum: fit() stops early on badly scaled
    # problems, R's estimate is close but not exact; adaptive Nelder-Mead in coordinates
    # scaled by the start, two rounds, from the better of the two.
    x0 = np.asarray(best_start, float)
    sc = np.where(np.abs(x0) > 0, np.abs(x0), 1.0)
    z = np.zeros_like(x0)
    for xatol, fatol in ((1e-11, 1e-13), (1e-12, 1e-14)):
        z = scipy.optimize.minimize(lambda z: -mod.loglike(x0 + sc * z), z, method="Nelder-Mead",
                                    options=dict(xatol=xatol, fatol=fatol, maxiter=100000,
                                                 maxfev=100000, adaptive=True)).x
    popt = x0 + sc * z
    ropt = mod.filter(popt)
    assert ropt.llf >= best_llf - 1e-10 * abs(best_llf), (name, ropt.llf, best_llf)
    fco = ropt.get_forecast(H)
    ocall = ("scipy.optimize.minimize(-ARIMA(%s).loglike, Nelder-Mead adaptive, xatol 1e-12, "
             "fatol 1e-14) from the better of fit() and R's ML estimate" % spec_str(spec))
    out.arr(pre + "_OPT_PARAMS", popt, ocall + ": params, " + names)
    out.arr(pre + "_OPT_INFO", [ropt.llf, ropt.aic, ropt.aicc, ropt.bic, ropt.hqic],
            "[llf, aic, aicc, bic, hqic] there")
    out.arr(pre + "_OPT_BSE_APPROX", mod.filter(popt, cov_type="approx").bse,
            "mod.filter(opt params, cov_type='approx').bse")
    out.arr(pre + "_OPT_FC_MEAN", fco.predicted_mean, "get_forecast(12).predicted_mean there")
    out.arr(pre + "_OPT_FC_SE", fco.se_mean, "get_forecast(12).se_mean there")
    out.arr(pre + "_OPT_LJUNGBOX", ropt.test_serial_correlation("ljungbox", lags=10)[0, :, 9],
            "test_serial_correlation('ljungbox', lags=10)[0, :, 9] there [stat, pvalue]")
    out.log("%s: polished statsmodels optimum llf %.12g (fit() %.12g)" % (name, ropt.llf, res.llf))
out.log("FIT: own filter vs statsmodels: residuals (abs / sd(y)) %.1e, forecast mean rel %.1e, "
        "forecast se rel %.1e" % (worst_f["v"], worst_f["fc"], worst_f["fse"]))
out.log("FIT: R's ML / CSS-ML loglik and sigma2 at R's estimates vs own rebuild of R's filter: rel "
        "%.1e; vs the exact differenced density: rel %.1e; R's CSS vs own CSS: rel %.1e" % (
            worst_f["r_own"], worst_f["r_exact"], worst_f["css"]))

# =========================================================================
# Section 3: auto.arima
# =========================================================================
out.section("3. forecast::auto.arima (R %s, forecast %s), default arguments unless stated" % (
    R_VERSION, FORECAST_VERSION))
out.comment(
    "auto.arima defaults (forecast 8.20): d by repeated KPSS tests (test = 'kpss', alpha 0.05,\n"
    "max.d = 2), D by seasonal.test = 'seas' (STL seasonal strength > 0.64, max.D = 1) when\n"
    "frequency > 1; stepwise search (max.p = max.q = 5, max.P = max.Q = 2, max.order = 5,\n"
    "start.p = start.q = 2, start.P = start.Q = 1) by ic = 'aicc'; a constant (mean or\n"
    "drift) allowed when d + D <= 1; approximation = (n > 150 | frequency > 12): the search\n"
    "then uses method 'CSS' and the chosen model is refitted by 'CSS-ML'; otherwise the search\n"
    "fits with 'CSS-ML' too. aicc = aic + 2 k (k + 1) / (nobs - k - 1), k = length(coef) + 1,\n"
    "nobs = n.used. Series are ts(x, frequency = ARIMA_SERIES_FREQ[series]).")
auto_rows, auto_calls, auto_coef, trace_rows, trace_calls = [], [], [], [], []
pat = re.compile(r"ARIMA\((\d+),(\d+),(\d+)\)(?:\((\d+),(\d+),(\d+)\)\[(\d+)\])?\s*"
                 r"(with non-zero mean|with drift|with zero mean)?\s*:\s*(\S+)")
for i, (key, extra) in enumerate(AUTO_CASES):
    cname, y, freq, _ = SERIES[key]
    arma = [int(v) for v in R_OUT["AUTO%d_ARMA" % i].split()]  # p q P Q s d D
    names = R_OUT["AUTO%d_NAMES" % i].split()
    coef = rnum("AUTO%d_COEF" % i) if names else np.zeros(0)
    info = rnum("AUTO%d_INFO" % i)
    const = float("intercept" in names)
    drift = float("drift" in names)
    call = "auto.arima(ts(%s, frequency = %d)%s)" % (cname, freq, (", " + extra) if extra else "")
    auto_rows.append([SERIES_KEYS.index(key), freq, float("approximation = FALSE" not in extra and
                                                           (len(y) > 150 or freq > 12)),
                      arma[0], arma[5], arma[1], arma[2], arma[6], arma[3], arma[4], const, drift]
                     + list(info) + [len(auto_coef), len(coef)])
    auto_calls.append(call + ": coef " + ("/".join(names) if names else "(none)"))
    auto_coef.extend(coef)
    phase = 0
    for step, line in enumerate(R_OUT.get("AUTO%d_TRACE" % i, [])):
        if "re-fitting" in line:
            phase = 1
        m = pat.search(line)
        if not m:
            continue
        g = m.groups()
        mean = {"with non-zero mean": 1, "with drift": 2, "with zero mean": 0, None: 0}[g[7]]
        ic = {"Inf": np.inf}.get(g[8], None)
        ic = float(g[8]) if ic is None else ic
        trace_rows.append([i, phase] + [int(g[j]) if g[j] is not None else 0 for j in range(7)]
                          + [mean, ic])
        trace_calls.append(line.strip())
    out.log("AUTO%d %s%s: ARIMA(%d,%d,%d)(%d,%d,%d)[%d] %s aicc %.6f" % (
        i, key, (" " + extra) if extra else "", arma[0], arma[5], arma[1], arma[2], arma[6],
        arma[3], arma[4], "/".join(names), info[0]))
out.arr("ARIMA_AUTO_COEF", auto_coef, "every ARIMA_AUTO row's f$coef (R's order: ar, ma, sar, "
        "sma, intercept/drift), at [coef_off, coef_off + n_coef)")
out.table("ARIMA_AUTO", auto_rows, auto_calls,
          ["series", "freq", "approximation", "p", "d", "q", "sp", "sd", "sq", "m", "mean", "drift",
           "aicc", "aic", "bic", "loglik", "sigma2", "nobs", "coef_off", "n_coef"],
          "f <- auto.arima(...): chosen orders (f$arma; sp, sd, sq = seasonal P, D, Q), mean =\n"
          " * an 'intercept' coefficient, drift\n"
          " * = a 'drift' coefficient (xreg 1:n), [f$aicc, f$aic, f$bic, f$loglik, f$sigma2, f$nobs];\n"
          " * approximation = whether the default approximation was on.")
out.table("ARIMA_AUTO_TRACE", trace_rows, trace_calls,
          ["run", "phase", "p", "d", "q", "sp", "sd", "sq", "m", "const", "ic"],
          "the trace = TRUE lines of each ARIMA_AUTO row (run = row index), in search order;\n"
          " * phase 0 = stepwise search (CSS values when approximation), 1 = the refit without\n"
          " * approximation; const: 0 none, 1 non-zero mean, 2 drift; ic = AICc as printed with\n"
          " * options(digits = 17) (Inf = the fit failed or was rejected).")

# =========================================================================
# Section 4: edge cases (comments)
# =========================================================================
out.section("4. Edge cases (what statsmodels 0.13.5 and R do; comments only)")


def sm_edge(what, fn):
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            r = fn()
        msg = r if isinstance(r, str) else repr(r)
        ws = sorted(set(str(x.message).split("\n")[0] for x in w))
        if ws:
            msg += "; warnings: " + " | ".join(ws)
    except Exception as e:  # noqa: BLE001
        msg = "raises %s: %s" % (type(e).__name__, str(e).split("\n")[0])
    return "statsmodels, %s: %s" % (what, msg)


lake = SERIES["lakehuron"][1]
edge = []


def fit_summary(y, **kw):
    r = ARIMA(y, **kw).fit()
    return "params %s, llf %.10g, converged %s" % (
        np.array2string(r.params, precision=6), r.llf, r.mle_retvals["converged"])


edge.append(sm_edge("ARIMA([1, 2], order=(2,0,0)).fit()",
                    lambda: fit_summary(np.array([1.0, 2.0]), order=(2, 0, 0))))
edge.append(sm_edge("ARIMA([1, 2, 4], order=(2,0,0)).fit()",
                    lambda: fit_summary(np.array([1.0, 2.0, 4.0]), order=(2, 0, 0))))
edge.append(sm_edge("ARIMA([1], order=(1,1,1)).fit()",
                    lambda: fit_summary(np.array([1.0]), order=(1, 1, 1))))
edge.append(sm_edge("ARIMA(np.full(20, 5.0), order=(1,0,0)).fit()",
                    lambda: fit_summary(np.full(20, 5.0), order=(1, 0, 0))))
edge.append(sm_edge("ARIMA(np.full(20, 5.0), order=(0,1,1)).fit()",
                    lambda: fit_summary(np.full(20, 5.0), order=(0, 1, 1))))
edge.append(sm_edge("ARIMA(np.full(20, np.nan), order=(1,0,0)).fit()",
                    lambda: fit_summary(np.full(20, np.nan), order=(1, 0, 0))))
edge.append(sm_edge("ARIMA(np.full(20, np.nan), order=(1,0,0)).loglike([0, 0.5, 1])",
                    lambda: ARIMA(np.full(20, np.nan), order=(1, 0, 0)).loglike([0.0, 0.5, 1.0])))


def with_inf():
    y = lake.copy()
    y[4] = np.inf
    return fit_summary(y, order=(1, 0, 0))


edge.append(sm_edge("LakeHuron with y[4] = inf, ARIMA(order=(1,0,0)).fit()", with_inf))


def with_inf_ll():
    y = lake.copy()
    y[4] = np.inf
    return ARIMA(y, order=(1, 0, 0)).loglike([579.0, 0.8, 0.5])


edge.append(sm_edge("same with inf, loglike([579, 0.8, 0.5])", with_inf_ll))
edge.append(sm_edge("LakeHuron ARIMA(order=(1,0,0)).loglike([579, 1.5, 0.5]) (non-stationary "
                    "AR; the Lyapunov solve gives a non-PSD P0)",
                    lambda: ARIMA(lake, order=(1, 0, 0)).loglike([579.0, 1.5, 0.5])))
edge.append(sm_edge("LakeHuron ARIMA(order=(1,0,0)).loglike([579, 1.0, 0.5]) (unit root)",
                    lambda: ARIMA(lake, order=(1, 0, 0)).loglike([579.0, 1.0, 0.5])))
edge.append(sm_edge("LakeHuron ARIMA(order=(0,0,1)).loglike([579, 2.0, 0.5]) (non-invertible "
                    "MA is evaluated, no check)",
                    lambda: ARIMA(lake, order=(0, 0, 1)).loglike([579.0, 2.0, 0.5])))
edge.append(sm_edge("LakeHuron ARIMA(order=(0,0,1)).loglike([579, 0.5, 2.0]) (the MA(1) with the "
                    "same autocovariances)",
                    lambda: ARIMA(lake, order=(0, 0, 1)).loglike([579.0, 0.5, 2.0])))
edge.append(sm_edge("LakeHuron ARIMA(order=(1,0,0)).loglike([579, 0.5, -1.0]) (negative sigma2)",
                    lambda: ARIMA(lake, order=(1, 0, 0)).loglike([579.0, 0.5, -1.0])))
edge.append(sm_edge("LakeHuron ARIMA(order=(1,0,0)).fit(start_params=[579, 1.2, 0.5]) "
                    "(non-stationary start)",
                    lambda: "params %s" % np.array2string(ARIMA(lake, order=(1, 0, 0)).fit(
                        start_params=[579.0, 1.2, 0.5]).params, precision=6)))
edge.append(sm_edge("ARIMA(y, order=(1,1,0), trend='c')",
                    lambda: "accepted, params %s" % ARIMA(lake, order=(1, 1, 0), trend="c").param_names))
edge.append(sm_edge("ARIMA(y, order=(1,2,0), trend='t')",
                    lambda: "accepted, params %s" % ARIMA(lake, order=(1, 2, 0), trend="t").param_names))
edge.append(sm_edge("ARIMA(y, order=(1,0,0), seasonal_order=(1,0,0,1))",
                    lambda: "accepted, params %s" % ARIMA(lake, order=(1, 0, 0), seasonal_order=(1, 0, 0, 1)).param_names))
edge.append(sm_edge("ARIMA(y, order=(1,0,0), seasonal_order=(0,0,1,12)): seasonal_order with "
                    "lag 12 on LakeHuron",
                    lambda: fit_summary(lake, order=(1, 0, 0), seasonal_order=(0, 0, 1, 12))))
nile = SERIES["nile"][1]
r0 = ARIMA(series_values("nile", "nile0"), order=(1, 1, 1)).loglike([0.25, -0.87, 20000.0])
edge.append("statsmodels, a NaN in the first d + s*D points (ARIMA_NA_NILE_FIRST, (1,1,1)): the "
            "burn still drops time point 0 only, so y[1] enters with F ~ 1e6 + ...: loglike = %r "
            "(row of ARIMA_LL with na = %d; llf_exact is NAN there)" % (r0, NA_KEYS.index("nile0") + 1))
for i, (what, call) in enumerate(R_EDGE):
    edge.append("R, %s: %s -> %s" % (what, call, R_OUT.get("EDGE%d" % i, "(no output)")))
for e in edge:
    print(e)
    out.comment(e)

# =========================================================================
# Write
# =========================================================================
versions = "python %s, numpy %s, scipy %s, statsmodels %s, R %s, forecast %s" % (
    sys.version.split()[0], np.__version__, scipy.__version__, statsmodels.__version__,
    R_VERSION, FORECAST_VERSION)
head = ["/* arima_refs.h - GENERATED by tests/data/timeseries/gen_arima_refs.py; do not edit.",
        " * " + versions,
        " * Data: R datasets (via Rscript writeBin), statsmodels sunspots and macrodata (bundled);",
        " * no download. Checks printed by the script when it ran:"]
head += [" *   " + n for n in out.notes]
head += [" * Arrays are flat row-major doubles with _ROWS/_COLS (2-D) and _LEN macros; each",
         " * follows a comment with the exact call. */",
         "#ifndef SHEAF_TESTS_ARIMA_REFS_H", "#define SHEAF_TESTS_ARIMA_REFS_H", "",
         "#include <math.h>", ""]
with open(os.path.join(HERE, "arima_refs.h"), "w") as fh:
    fh.write("\n".join(head) + "\n" + "\n".join(out.lines) + "\n#endif /* SHEAF_TESTS_ARIMA_REFS_H */\n")
for f in os.listdir(TMP):
    os.remove(os.path.join(TMP, f))
os.rmdir(TMP)
