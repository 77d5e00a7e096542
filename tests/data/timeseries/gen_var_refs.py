#!/usr/bin/python3
"""Writes var_refs.h: reference values for the sheaf VAR and Granger-causality tests.

Run from anywhere with /usr/bin/python3 (Debian 12 packages: statsmodels 0.13.5,
numpy 1.24, scipy 1.10, pandas 1.5; R 4.2 with r-cran-lmtest for the cross-check):
    /usr/bin/python3 tests/data/timeseries/gen_var_refs.py
Data: statsmodels' bundled `macrodata` (log-differences of realgdp, realcons,
realinv, as in the statsmodels VAR tutorial), R's bundled `EuStockMarkets`
(log returns, dumped with Rscript), and a stable VAR(2) and a Granger-causal
pair drawn from numpy.random.default_rng(SEED) in file order; nothing is
downloaded. The data arrays themselves are written too, so C tests read no
files. Every statsmodels number is recomputed here independently (OLS by
numpy lstsq on designs built by hand, the information criteria, forecasts,
MA/IRF recursions, IRF standard errors by complex-step derivatives, the
Portmanteau and normality statistics, the four Granger tests from two OLS
fits), and the Granger F tests and the VAR equations are cross-checked
against R (lmtest::grangertest, lm); the script stops with an AssertionError
when a check fails. Rerunning with the same package versions reproduces
var_refs.h byte for byte.
"""
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import pandas as pd
import scipy
import scipy.stats as st
import statsmodels
import statsmodels.api as sm
from statsmodels.tsa.api import VAR
from statsmodels.tsa.stattools import grangercausalitytests
from statsmodels.tsa.vector_ar import util

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from refgen import Header, fmt  # noqa: E402

SEED = 20260505
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "var_refs.h")

# statsmodels' VAR warns about the integer index of a plain DataFrame; the
# numbers do not depend on it.
warnings.simplefilter("ignore")

header = Header(full_shapes=True)
lines, notes = header.lines, header.notes
arr = header.arr
scalar = header.scalar
comment = header.comment
section = header.section
log = header.log


def rel(a, b):
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def close(a, b, rtol, atol=0.0):
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    return bool(np.all(np.abs(a - b) <= atol + rtol * np.abs(b)))


# =========================================================================
# Independent re-implementations used only to check statsmodels' numbers
# =========================================================================
def var_design(Y, p, trend, offset=0):
    """Rows t = offset+p .. T-1 of [trend terms, y_{t-1}', ..., y_{t-p}'].
    statsmodels' trend column counts from 1 at the first row of the series it
    is given (Y[offset:]), so at row t it is t - offset + 1."""
    T = Y.shape[0]
    t = np.arange(offset + p, T)
    cols = []
    if trend in ("c", "ct", "ctt"):
        cols.append(np.ones(len(t)))
    if trend in ("ct", "ctt"):
        cols.append((t - offset + 1).astype(float))
    if trend == "ctt":
        cols.append((t - offset + 1).astype(float) ** 2)
    for lag in range(1, p + 1):
        cols.append(Y[t - lag])
    Z = np.column_stack(cols) if cols else np.zeros((len(t), 0))
    return Z, Y[t]


def own_var(Y, p, trend, offset=0):
    """OLS VAR by hand, with statsmodels' conventions for everything derived."""
    Z, y = var_design(Y, p, trend, offset)
    n, m = Z.shape
    k = Y.shape[1]
    B = np.linalg.lstsq(Z, y, rcond=None)[0]
    U = y - Z @ B
    df_resid = n - m
    S_mle = U.T @ U / n
    S = U.T @ U / df_resid
    ZZi = np.linalg.inv(Z.T @ Z)
    bse = np.sqrt(np.outer(np.diag(ZZi), np.diag(S)))
    _, ld = np.linalg.slogdet(S_mle)
    free = p * k * k + k * (m - k * p)
    return dict(
        params=B, resid=U, sigma_u=S, sigma_u_mle=S_mle, bse=bse, tvalues=B / bse,
        pvalues=2 * st.norm.sf(np.abs(B / bse)), nobs=n, df_resid=df_resid,
        llf=-0.5 * n * k * np.log(2 * np.pi) - 0.5 * n * ld - 0.5 * n * k,
        aic=ld + 2.0 / n * free, bic=ld + np.log(n) / n * free,
        hqic=ld + 2.0 * np.log(np.log(n)) / n * free,
        fpe=((n + m) / df_resid) ** k * np.exp(ld), detomega=np.linalg.det(S),
        zz_inv=ZZi)


def ma_rep(A, h):
    """Phi_0 = I, Phi_i = sum_{j=1}^{min(i,p)} Phi_{i-j} A_j (works for complex A)."""
    p, k, _ = A.shape
    Phi = [np.eye(k, dtype=A.dtype)]
    for i in range(1, h + 1):
        acc = np.zeros((k, k), dtype=A.dtype)
        for j in range(1, min(i, p) + 1):
            acc = acc + Phi[i - j] @ A[j - 1]
        Phi.append(acc)
    return np.array(Phi)


def chol_lower(S):
    """Cholesky without conjugation, so complex-step derivatives pass through it."""
    k = S.shape[0]
    L = np.zeros_like(S)
    for j in range(k):
        L[j, j] = np.sqrt(S[j, j] - np.sum(L[j, :j] * L[j, :j]))
        for i in range(j + 1, k):
            L[i, j] = (S[i, j] - np.sum(L[i, :j] * L[j, :j])) / L[j, j]
    return L


def irf_stderr_complex_step(A, S, cov_alpha, nobs, h):
    """Asymptotic standard errors of Phi_i and Theta_i = Phi_i chol(S) by the delta
    method, derivatives by complex step (exact to rounding): cov(vec A) = cov_alpha
    (statsmodels' kron(inv(Z'Z), sigma_u) block of the lag coefficients, ordered like
    params[trend rows:].ravel()), cov(vech S) = (s_ik s_jl + s_il s_jk) / T."""
    p, k, _ = A.shape
    eps = 1e-30
    # params rows are [lag1 var0..k-1, lag2 ...], columns the equations:
    # params[trend + (l-1)*k + j, i] = A_l[i, j].
    npar = p * k * k
    J_phi = np.zeros((h + 1, k, k, npar))
    J_th_a = np.zeros((h + 1, k, k, npar))
    L0 = chol_lower(S.astype(complex))
    for q in range(npar):
        row, i = divmod(q, k)
        lag, j = divmod(row, k)
        Ac = A.astype(complex)
        Ac[lag, i, j] += 1j * eps
        Phi = ma_rep(Ac, h)
        J_phi[..., q] = Phi.imag / eps
        J_th_a[..., q] = (Phi @ L0).imag / eps
    vech = [(a, b) for b in range(k) for a in range(b, k)]
    J_th_s = np.zeros((h + 1, k, k, len(vech)))
    Phi0 = ma_rep(A.astype(complex), h)
    for q, (a, b) in enumerate(vech):
        Sc = S.astype(complex)
        Sc[a, b] += 1j * eps
        if a != b:
            Sc[b, a] += 1j * eps
        J_th_s[..., q] = (Phi0 @ chol_lower(Sc)).imag / eps
    cov_s = np.array([[S[a, c] * S[b, d] + S[a, d] * S[b, c] for (c, d) in vech] for (a, b) in vech])
    se = np.einsum("hrcq,qs,hrcs->hrc", J_phi, cov_alpha, J_phi)
    se_o = (np.einsum("hrcq,qs,hrcs->hrc", J_th_a, cov_alpha, J_th_a)
            + np.einsum("hrcq,qs,hrcs->hrc", J_th_s, cov_s, J_th_s) / nobs)
    return np.sqrt(np.maximum(se, 0)), np.sqrt(np.maximum(se_o, 0))


def own_granger(x, lag):
    """The four tests of grangercausalitytests for column 1 -> column 0 at one lag,
    from two OLS fits on rows lag..T-1 (constant last, as statsmodels does)."""
    T = x.shape[0]
    t = np.arange(lag, T)
    own = np.column_stack([x[t - l, 0] for l in range(1, lag + 1)] + [np.ones(len(t))])
    joint = np.column_stack([own[:, :-1]] + [x[t - l, 1] for l in range(1, lag + 1)] + [np.ones(len(t))])
    y = x[t, 0]
    ssr = []
    for D in (own, joint):
        b = np.linalg.lstsq(D, y, rcond=None)[0]
        r = y - D @ b
        ssr.append(r @ r)
    ssr_r, ssr_u = ssr
    n = len(t)
    dfd = n - joint.shape[1]
    F = (ssr_r - ssr_u) / ssr_u / lag * dfd
    chi2 = n * (ssr_r - ssr_u) / ssr_u
    lr = n * np.log(ssr_r / ssr_u)
    return dict(F=F, Fp=st.f.sf(F, lag, dfd), dfd=dfd, chi2=chi2, chi2p=st.chi2.sf(chi2, lag),
                lr=lr, lrp=st.chi2.sf(lr, lag), n=n)


# =========================================================================
# R helpers: data go to R as raw little-endian doubles (exact), numbers come
# back as %.17g text.
# =========================================================================
def rscript(code):
    return subprocess.run(["Rscript", "--vanilla", "-e", code], check=True,
                          capture_output=True, text=True).stdout


def r_version():
    out = rscript('cat(paste(R.version$major, R.version$minor, sep = "."), '
                  'as.character(packageVersion("lmtest")), "\\n")')
    r, lm = out.split()
    return r, lm


def r_numbers(code_using_X, X):
    """Runs R code with matrix X (columns as in numpy) and parses whitespace-
    separated numbers it cat()s."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "x.bin")
        np.ascontiguousarray(X, dtype="<f8").T.tofile(path)  # column-major for R
        code = (f'X <- matrix(readBin("{path}", "double", {X.size}, size = 8, endian = "little"), '
                f'nrow = {X.shape[0]}, ncol = {X.shape[1]});'
                'suppressPackageStartupMessages(library(lmtest));'
                'p17 <- function(v) cat(sprintf("%.17g", v), "\\n");' + code_using_X)
        out = rscript(code)
    return np.array([float(s) for s in out.split()])


rng = np.random.default_rng(SEED)

# =========================================================================
# Data sets
# =========================================================================
section("Data sets: flat row-major doubles (T x k), rows are time.")

mdata = sm.datasets.macrodata.load_pandas().data
MACRO_NAMES = ["realgdp", "realcons", "realinv"]
macro_df = np.log(mdata[MACRO_NAMES]).diff().dropna()
MACRO = macro_df.to_numpy()
assert MACRO.shape == (202, 3)
arr("MACRO_Y", MACRO, "np.log(sm.datasets.macrodata.load_pandas().data[['realgdp','realcons','realinv']])"
    ".diff().dropna() (202 x 3; columns realgdp, realcons, realinv = indices 0, 1, 2)")

eu_csv = rscript("write.csv(EuStockMarkets, stdout(), row.names = FALSE)")
eu_levels = pd.read_csv(pd.io.common.StringIO(eu_csv))
EU_NAMES = list(eu_levels.columns)
assert EU_NAMES == ["DAX", "SMI", "CAC", "FTSE"] and eu_levels.shape == (1860, 4)
# the levels have at most 2 decimals, so the 15 digits of write.csv are exact
r_levels = r_numbers("p17(sum(abs(X - EuStockMarkets)))", eu_levels.to_numpy())
assert r_levels[0] == 0.0
EU = np.diff(np.log(eu_levels.to_numpy()), axis=0)
arr("EU_Y", EU, "np.diff(np.log(R datasets::EuStockMarkets), axis=0) (1859 x 4; columns DAX, SMI, CAC, FTSE = "
    "indices 0..3; levels read from `Rscript -e 'write.csv(EuStockMarkets, stdout(), row.names=FALSE)'`)")

# A stable VAR(2): y_t = c + A1 y_{t-1} + A2 y_{t-2} + L e_t, e_t ~ N(0, I).
GEN_A = np.array([[[0.5, 0.1, 0.0], [0.2, 0.3, 0.1], [0.0, 0.2, 0.4]],
                  [[-0.2, 0.0, 0.1], [0.0, 0.1, 0.0], [0.1, 0.0, -0.1]]])
GEN_C = np.array([0.1, -0.2, 0.05])
GEN_L = np.array([[1.0, 0.0, 0.0], [0.3, 0.8, 0.0], [-0.2, 0.1, 0.6]])
comp = np.zeros((6, 6))
comp[:3, :3], comp[:3, 3:], comp[3:, :3] = GEN_A[0], GEN_A[1], np.eye(3)
assert np.abs(np.linalg.eigvals(comp)).max() < 0.8
BURN = 100
e = rng.standard_normal((400 + BURN, 3))
y = np.zeros((400 + BURN, 3))
for t in range(2, 400 + BURN):
    y[t] = GEN_C + GEN_A[0] @ y[t - 1] + GEN_A[1] @ y[t - 2] + GEN_L @ e[t]
GEN = y[BURN:].copy()
arr("GEN_Y", GEN, f"stable VAR(2), k=3, T=400: y_t = c + A1 y_(t-1) + A2 y_(t-2) + L e_t, "
    f"e = rng.standard_normal((500, 3)) (first draw), y_0 = y_1 = 0, first {BURN} rows dropped; "
    f"c = {GEN_C.tolist()}, A1 = {GEN_A[0].tolist()}, A2 = {GEN_A[1].tolist()}, L = {GEN_L.tolist()}")

# A pair where x Granger-causes y and not the reverse.
u = rng.standard_normal((300 + 50, 2))
xy = np.zeros((300 + 50, 2))
for t in range(2, 350):
    xy[t, 0] = 0.5 * xy[t - 1, 0] + u[t, 0]
    xy[t, 1] = 0.3 * xy[t - 1, 1] + 0.4 * xy[t - 1, 0] - 0.2 * xy[t - 2, 0] + u[t, 1]
PAIR = xy[50:].copy()
arr("PAIR_XY", PAIR, "columns [x, y], T=300: x_t = 0.5 x_(t-1) + u1_t, "
    "y_t = 0.3 y_(t-1) + 0.4 x_(t-1) - 0.2 x_(t-2) + u2_t, u = rng.standard_normal((350, 2)) "
    "(second draw), zeros at t=0,1, first 50 rows dropped. x Granger-causes y")

# =========================================================================
# 1. VAR fits
# =========================================================================
section("1. VAR(p).fit(p, trend=t) = VAR(Y).fit(p, trend=t) in statsmodels 0.13.5.\n"
        "params rows (statsmodels order): [const][, trend][, trend**2], then L1.y0..L1.y(k-1),\n"
        "L2.y0.., ...; columns are the k equations. COEFS[l][i][j] = params[n_trend + l*k + j][i]\n"
        "(the effect of y_j at lag l+1 on equation i). The trend column is t + 1 for sample\n"
        "row t (0-based in Y), i.e. p + 1 at the first used row (statsmodels shifts it for\n"
        "JMulTi); trend**2 is its square. sigma_u = U'U / (nobs - n_params_per_eq),\n"
        "sigma_u_mle = U'U / nobs, nobs = T - p. bse = sqrt(diag(kron(inv(Z'Z), sigma_u)))\n"
        "reshaped like params; pvalues are two-sided NORMAL (2 * norm.sf(|t|)), not Student t.\n"
        "llf uses sigma_u_mle; aic/bic/hqic = logdet(sigma_u_mle) + c/nobs * (p k^2 + k n_trend)\n"
        "with c = 2, log(nobs), 2 log(log(nobs)); fpe = ((nobs + n_params_per_eq) / df_resid)^k\n"
        "* det(sigma_u_mle); detomega = det(sigma_u) (the df-corrected sigma_u, not sigma_u_mle).")


def emit_var(prefix, res, Y, p, trend, call):
    own = own_var(Y, p, trend)
    k = Y.shape[1]
    assert res.nobs == own["nobs"] and res.df_resid == own["df_resid"]
    for key in ("params", "sigma_u", "sigma_u_mle", "bse", "tvalues", "pvalues"):
        got = np.asarray(getattr(res, key))
        r = rel(got, own[key])
        assert r < 1e-9, (prefix, key, r)
    for key in ("llf", "aic", "bic", "hqic", "fpe", "detomega"):
        assert rel(getattr(res, key), own[key]) < 1e-10, (prefix, key)
    A = np.asarray(res.coefs)
    nt = res.params.shape[0] - k * p
    for l in range(p):
        assert np.array_equal(A[l], np.asarray(res.params)[nt + l * k:nt + (l + 1) * k].T)
    log(f"{prefix}: statsmodels vs own OLS: params rel {rel(res.params, own['params']):.1e}, "
        f"bse rel {rel(res.bse, own['bse']):.1e}, llf rel {rel(res.llf, own['llf']):.1e}")
    names = list(res.params.index)
    arr(prefix + "_COEFS", A, call + " .coefs (p, k, k)")
    arr(prefix + "_PARAMS", res.params, ".params, rows " + ", ".join(names))
    arr(prefix + "_SIGMA_U", res.sigma_u, ".sigma_u (df-corrected)")
    arr(prefix + "_SIGMA_U_MLE", res.sigma_u_mle, ".sigma_u_mle")
    arr(prefix + "_BSE", res.bse, ".bse (= .stderr), shaped like params")
    arr(prefix + "_TVALUES", res.tvalues, ".tvalues")
    arr(prefix + "_PVALUES", res.pvalues, ".pvalues (normal)")
    for key in ("llf", "aic", "bic", "hqic", "fpe", "detomega"):
        scalar(f"{prefix}_{key.upper()}", getattr(res, key), "." + key)
    scalar(prefix + "_NOBS", res.nobs, ".nobs (T - p)")
    scalar(prefix + "_DF_RESID", res.df_resid, ".df_resid (nobs - n_params_per_eq)")
    return own


macro_fits = {}
for trend in ("c", "n", "ct", "ctt"):
    res = VAR(macro_df).fit(2, trend=trend)
    macro_fits[trend] = res
    own = emit_var(f"MACRO_VAR2_{trend.upper()}", res, MACRO, 2, trend,
                   f"VAR(MACRO_Y).fit(2, trend='{trend}')")
log("statsmodels 0.13.5 VAR.fit supports trend 'n', 'c', 'ct' and 'ctt'")

# R cross-check: each equation by lm() on the same design.
Z, yy = var_design(MACRO, 2, "c")
r_out = r_numbers(
    "Z <- X[, 4:ncol(X)]; for (i in 1:3) { f <- lm(X[, i] ~ Z); s <- summary(f)$coefficients;"
    " p17(s[, 1]); p17(s[, 2]) }", np.column_stack([yy, Z[:, 1:]]))
r_out = r_out.reshape(3, 2, 7)
rp, rb = r_out[:, 0, :].T, r_out[:, 1, :].T
res = macro_fits["c"]
log(f"MACRO_VAR2_C vs R lm per equation: params rel {rel(res.params, rp):.1e}, bse rel {rel(res.bse, rb):.1e}")
assert rel(res.params, rp) < 1e-9 and rel(res.bse, rb) < 1e-9

eu_res = VAR(pd.DataFrame(EU, columns=EU_NAMES)).fit(3, trend="c")
emit_var("EU_VAR3_C", eu_res, EU, 3, "c", "VAR(EU_Y).fit(3, trend='c')")
gen_res = VAR(pd.DataFrame(GEN, columns=["y0", "y1", "y2"])).fit(2, trend="c")
emit_var("GEN_VAR2_C", gen_res, GEN, 2, "c", "VAR(GEN_Y).fit(2, trend='c')")

# =========================================================================
# 2. Lag-order selection
# =========================================================================
section("2. VAR(Y).select_order(maxlags=8, trend='c'): every order p = 0..8 is fitted on the\n"
        "SAME rows, t = 8 .. T-1 (statsmodels drops maxlags - p extra leading rows, offset),\n"
        "so nobs = T - 8 for all p; with 'ct' the trend column then restarts at 1 on Y[offset:].\n"
        "ICS arrays: rows p = 0..8, columns aic, bic, hqic, fpe. SELECTED: argmin order for\n"
        "aic, bic, hqic, fpe (first minimum on ties).")


def emit_select(prefix, df, Y, call):
    so = VAR(df).select_order(maxlags=8, trend="c")
    tab = np.column_stack([so.ics[c] for c in ("aic", "bic", "hqic", "fpe")])
    for p in range(9):
        own = own_var(Y, p, "c", offset=8 - p)
        assert own["nobs"] == Y.shape[0] - 8
        assert rel(tab[p], [own[c] for c in ("aic", "bic", "hqic", "fpe")]) < 1e-10, (prefix, p)
    sel = [so.selected_orders[c] for c in ("aic", "bic", "hqic", "fpe")]
    assert sel == [int(np.argmin(tab[:, j])) for j in range(4)]
    log(f"{prefix}: select_order table recomputed on the common sample (nobs {Y.shape[0] - 8}); selected {sel}")
    arr(prefix + "_ICS", tab, call + " .ics, rows p = 0..8, columns [aic, bic, hqic, fpe]")
    arr(prefix + "_SELECTED", sel, ".selected_orders [aic, bic, hqic, fpe]")


emit_select("MACRO_SELECT8", macro_df, MACRO, "VAR(MACRO_Y).select_order(maxlags=8, trend='c')")
emit_select("EU_SELECT8", pd.DataFrame(EU, columns=EU_NAMES), EU, "VAR(EU_Y).select_order(maxlags=8, trend='c')")
emit_select("GEN_SELECT8", pd.DataFrame(GEN), GEN, "VAR(GEN_Y).select_order(maxlags=8, trend='c')")

# =========================================================================
# 3. Forecasts, IRF, FEVD, stability, residual tests (macrodata, p=2, 'c')
# =========================================================================
section("3. res = VAR(MACRO_Y).fit(2, trend='c'): forecasts, impulse responses, FEVD,\n"
        "stability and residual tests.")
res = macro_fits["c"]
own = own_var(MACRO, 2, "c")
A = np.asarray(res.coefs)
S = np.asarray(res.sigma_u)
k, p, H = 3, 2, 8
y_last = MACRO[-2:]
fc = res.forecast(y_last, steps=H)
hist = list(y_last)
for h in range(H):
    hist.append(np.asarray(res.params)[0] + A[0] @ hist[-1] + A[1] @ hist[-2])
assert rel(fc, np.array(hist[2:])) < 1e-12
mse = res.mse(H)
Phi = ma_rep(A, H)
own_mse = np.cumsum([Phi[h] @ S @ Phi[h].T for h in range(H)], axis=0)
assert rel(mse, own_mse) < 1e-12
point, lower, upper = res.forecast_interval(y_last, steps=H, alpha=0.05)
z = st.norm.ppf(0.975)
sd = np.sqrt(np.diagonal(own_mse, axis1=1, axis2=2))
assert rel(lower, fc - z * sd) < 1e-12 and rel(upper, fc + z * sd) < 1e-12 and np.array_equal(point, fc)
log("MACRO_VAR2_C forecast, mse and 95% interval recomputed (rel < 1e-12)")
arr("MACRO_FC_Y_LAST", y_last, "y_last = MACRO_Y[-2:] (rows: t = T-2, T-1)")
arr("MACRO_FC", fc, "res.forecast(y_last, steps=8) (8 x 3)")
arr("MACRO_FC_MSE", mse, "res.mse(8) = forecast_cov(8): sum_{i<h} Phi_i sigma_u Phi_i' (8, 3, 3)")
arr("MACRO_FC_LOWER", lower, "res.forecast_interval(y_last, steps=8, alpha=0.05)[1]: fc - norm.ppf(0.975) sqrt(diag mse)")
arr("MACRO_FC_UPPER", upper, "res.forecast_interval(y_last, steps=8, alpha=0.05)[2]")

irf = res.irf(10)
Phi = ma_rep(A, 10)
P = np.linalg.cholesky(S)
assert rel(irf.irfs, Phi) < 1e-12 and rel(irf.orth_irfs, Phi @ P) < 1e-12
se = irf.stderr(orth=False)
se_o = irf.stderr(orth=True)
cov_alpha = np.kron(own["zz_inv"][1:, 1:], S)
own_se, own_se_o = irf_stderr_complex_step(A, S, cov_alpha, res.nobs, 10)
assert np.all(se[0] == 0) and rel(se[1:], own_se[1:]) < 1e-9
assert rel(se_o, own_se_o) < 1e-9
log(f"MACRO_VAR2_C irf(10): irfs/orth_irfs by MA recursion; stderr by complex-step delta method: "
    f"rel {rel(se[1:], own_se[1:]):.1e} (plain), {rel(se_o, own_se_o):.1e} (orth)")
arr("MACRO_IRF", irf.irfs, "res.irf(10).irfs (11, 3, 3): Phi_h[response][impulse], h = 0..10, Phi_0 = I")
arr("MACRO_IRF_ORTH", irf.orth_irfs, "res.irf(10).orth_irfs = Phi_h @ cholesky(sigma_u) (lower; df-corrected sigma_u)")
arr("MACRO_IRF_STDERR", se, "res.irf(10).stderr(orth=False) (11, 3, 3); h=0 is all zeros; "
    "cov(vec Phi_h) = G_h kron(inv(Z'Z), sigma_u)[lag block] G_h' (Lutkepohl 3.7.5)")
arr("MACRO_IRF_ORTH_STDERR", se_o, "res.irf(10).stderr(orth=True) (11, 3, 3); adds Cbar_h cov(vech sigma_u) Cbar_h' / nobs, "
    "cov(vech sigma) = 2 D+ (sigma_u kron sigma_u) D+' (Lutkepohl 3.7.8)")

fevd = res.fevd(10)
Th = (Phi @ P)[:10]
num = np.cumsum(Th ** 2, axis=0)
own_fevd = np.transpose(num / np.diagonal(np.cumsum([Phi[h] @ S @ Phi[h].T for h in range(10)], axis=0),
                                          axis1=1, axis2=2)[:, :, None], (1, 0, 2))
assert rel(fevd.decomp, own_fevd) < 1e-12 and np.allclose(fevd.decomp.sum(2), 1.0, rtol=0, atol=1e-14)
arr("MACRO_FEVD", fevd.decomp, "res.fevd(10).decomp (3, 10, 3): [variable][horizon h = 1..10 at index h-1][shock]; "
    "rows sum to 1")

moduli = np.sort(np.abs(np.linalg.eigvals(util.comp_matrix(res.coefs))))[::-1]
roots_mod = np.abs(res.roots)
assert rel(np.sort(1.0 / roots_mod)[::-1], moduli) < 1e-12 and res.is_stable() == bool(moduli.max() < 1)
arr("MACRO_COMPANION_MODULI", moduli, "np.abs(np.linalg.eigvals(util.comp_matrix(res.coefs))), sorted descending")
arr("MACRO_ROOTS_MODULI", roots_mod, "np.abs(res.roots) as statsmodels orders them: roots of the characteristic "
    "polynomial = 1 / companion eigenvalues (stable iff all > 1)")
scalar("MACRO_IS_STABLE", float(res.is_stable()), "res.is_stable() (1.0 = True)")
gen_mod = np.sort(np.abs(np.linalg.eigvals(util.comp_matrix(gen_res.coefs))))[::-1]
arr("GEN_COMPANION_MODULI", gen_mod, "np.abs(eigvals(comp_matrix(VAR(GEN_Y).fit(2).coefs))), sorted descending")
scalar("GEN_IS_STABLE", float(gen_res.is_stable()), "VAR(GEN_Y).fit(2).is_stable()")

wt = res.test_whiteness(nlags=10)
U = own["resid"] - own["resid"].mean(0)
C = [U[h:].T @ U[:len(U) - h] / len(U) for h in range(11)]
C0i = np.linalg.inv(C[0])
Q = len(U) * sum(np.trace(C[h].T @ C0i @ C[h] @ C0i) for h in range(1, 11))
assert rel(wt.test_statistic, Q) < 1e-10 and wt.df == 9 * (10 - 2)
arr("MACRO_WHITENESS", [wt.test_statistic, wt.pvalue, wt.df],
    "res.test_whiteness(nlags=10) [statistic, pvalue, df]: Q = nobs sum_{h=1}^{10} tr(C_h' C_0^-1 C_h C_0^-1), "
    "C_h from DEMEANED residuals / nobs; df = k^2 (nlags - p); chi2 p-value (adjusted=False)")
nt = res.test_normality()
Wn = np.linalg.solve(np.linalg.cholesky(U.T @ U / len(U)), U.T)
b1 = (Wn ** 3).mean(1)
b2 = (Wn ** 4).mean(1) - 3
lam = len(U) * (b1 @ b1 / 6 + b2 @ b2 / 24)
assert rel(nt.test_statistic, lam) < 1e-10 and nt.df == 6
arr("MACRO_NORMALITY", [nt.test_statistic, nt.pvalue, nt.df],
    "res.test_normality() [statistic, pvalue, df]: Lutkepohl/Jarque-Bera omnibus on the demeaned residuals "
    "whitened by chol(U'U / nobs); df = 2k")
log(f"MACRO_VAR2_C whiteness Q={wt.test_statistic:.6f} and normality {nt.test_statistic:.6f} recomputed")

# =========================================================================
# 4. Causality inside the VAR
# =========================================================================
section("4. res.test_causality(caused, causing, kind) on VAR(MACRO_Y).fit(2, trend='c').\n"
        "Arrays [test_statistic, pvalue, df_num, df_denom]. kind='wald': chi2(df_num), df_denom NAN.\n"
        "kind='f': statistic = wald / df_num, F(df_num, df_denom) with df_denom = k * df_resid\n"
        "(statsmodels' convention; here 3 * 193 = 579). df_num = len(caused) len(causing) p.\n"
        "Wald = (C b)' inv(C cov_params C') (C b), cov_params = kron(inv(Z'Z), sigma_u).")


def own_causality_wald(caused, causing):
    B = own["params"]
    cov = np.kron(own["zz_inv"], own["sigma_u"])
    idx = [(1 + l * k + j) * k + i for l in range(p) for j in causing for i in caused]
    b = B.ravel()[idx]
    return b @ np.linalg.solve(cov[np.ix_(idx, idx)], b)


cases = [("GDP_BY_INV", "realgdp", ["realinv"]),
         ("GDPCONS_BY_INV", ["realgdp", "realcons"], "realinv"),
         ("INV_BY_GDPCONS", "realinv", ["realgdp", "realcons"]),
         ("CONS_BY_OTHERS", "realcons", ["realgdp", "realinv"])]
for tag, caused, causing in cases:
    ci = [MACRO_NAMES.index(c) for c in ([caused] if isinstance(caused, str) else caused)]
    gi = ([MACRO_NAMES.index(c) for c in ([causing] if isinstance(causing, str) else causing)]
          if causing is not None else [j for j in range(k) if j not in ci])
    wald = own_causality_wald(ci, gi)
    for kind in ("f", "wald"):
        r = res.test_causality(caused, causing, kind=kind)
        if kind == "f":
            assert rel(r.test_statistic, wald / (len(ci) * len(gi) * p)) < 1e-10
            assert tuple(r.df) == (len(ci) * len(gi) * p, k * res.df_resid)
            row = [r.test_statistic, r.pvalue, r.df[0], r.df[1]]
        else:
            assert rel(r.test_statistic, wald) < 1e-10 and r.df == len(ci) * len(gi) * p
            row = [r.test_statistic, r.pvalue, r.df, np.nan]
        arr(f"MACRO_CAUSALITY_{tag}_{kind.upper()}", row,
            f"res.test_causality({caused!r}, {causing!r}, kind='{kind}') [stat, p, df_num, df_denom]")
log("MACRO_VAR2_C test_causality: Wald statistics recomputed from kron(inv(Z'Z), sigma_u) (rel < 1e-10)")

for tag, causing in (("INV", "realinv"), ("GDP", "realgdp")):
    r = res.test_inst_causality(causing=causing)
    g = MACRO_NAMES.index(causing)
    rest = [i for i in range(k) if i != g]
    # H0: sigma_u[g, r] = 0 for r in rest; the asymptotic covariance of those
    # entries is (s_gg s_rr' + s_gr' s_rg) / nobs, with H0 not imposed
    s = S[g, rest]
    V = (S[g, g] * S[np.ix_(rest, rest)] + np.outer(S[rest, g], S[g, rest])) / res.nobs
    assert rel(r.test_statistic, s @ np.linalg.solve(V, s)) < 1e-10 and r.df == len(rest)
    arr(f"MACRO_INST_CAUSALITY_{tag}", [r.test_statistic, r.pvalue, r.df],
        f"res.test_inst_causality(causing={causing!r}) [stat, pvalue, df]: Wald on the off-diagonal sigma_u "
        "(df-corrected) entries, nobs * Cs' inv(2 Cd (S kron S) Cd') Cs; chi2(df)")
log("MACRO_VAR2_C test_inst_causality recomputed as s' inv((s_gg S_rr + s_r s_r') / nobs) s")

# =========================================================================
# 5. Pairwise Granger tests
# =========================================================================
section("5. grangercausalitytests(x, maxlag, verbose=False): tests whether column 1 of x Granger-\n"
        "causes column 0. For lag L it regresses x0_t on [x0_(t-1..t-L), 1] (restricted) and\n"
        "[x0_(t-1..t-L), x1_(t-1..t-L), 1] (unrestricted), constant LAST, on rows t = L..T-1: each\n"
        "lag drops its own L leading rows (no common sample), nobs = T - L.\n"
        "Rows: one per lag (GC_*_LAGS); columns, by the GC_* index macros below:\n"
        "ssr_ftest (F, p, df_denom = nobs - 2L - 1, df_num = L), ssr_chi2test (nobs (ssr_r - ssr_u)\n"
        "/ ssr_u, p, L), lrtest (-2 (llf_r - llf_u) = nobs log(ssr_r / ssr_u), p, L), params_ftest\n"
        "(F, p, df_denom, df_num from OLS.f_test; equals ssr_ftest to ~1e-13, not bit for bit),\n"
        "then nobs. statsmodels raises ValueError when T <= 3 maxlag + 1.")
lines.append("#define GC_COLS 15")
for i, nm in enumerate(["SSR_F", "SSR_F_P", "SSR_F_DF_DENOM", "SSR_F_DF_NUM", "SSR_CHI2", "SSR_CHI2_P",
                        "SSR_CHI2_DF", "LR", "LR_P", "LR_DF", "PARAMS_F", "PARAMS_F_P", "PARAMS_F_DF_DENOM",
                        "PARAMS_F_DF_NUM", "NOBS"]):
    lines.append(f"#define GC_{nm} {i}")
lines.append("")


def granger_rows(x, maxlag):
    out = grangercausalitytests(x, maxlag=maxlag, verbose=False)
    lags = sorted(out)
    rows = []
    for L in lags:
        r, (m_r, m_u, _) = out[L]
        own_g = own_granger(x, L)
        s, c, lr, pf = r["ssr_ftest"], r["ssr_chi2test"], r["lrtest"], r["params_ftest"]
        assert m_u.nobs == own_g["n"] == x.shape[0] - L
        assert rel(s[0], own_g["F"]) < 1e-9 and s[2] == own_g["dfd"] and s[3] == L
        assert abs(s[1] - own_g["Fp"]) < 1e-12
        assert rel(c[0], own_g["chi2"]) < 1e-9 and abs(c[1] - own_g["chi2p"]) < 1e-12
        assert rel(lr[0], own_g["lr"]) < 1e-8 and abs(lr[1] - own_g["lrp"]) < 1e-12
        assert rel(pf[0], s[0]) < 1e-10 and abs(pf[1] - s[1]) < 1e-12 and pf[2] == s[2] and pf[3] == s[3]
        # ssr_chi2test is the F statistic rescaled: chi2 = F * L * nobs / df_denom
        assert rel(c[0], s[0] * L * m_u.nobs / s[2]) < 1e-12
        rows.append([*s, *c, *lr, *pf, m_u.nobs])
    return lags, np.array(rows, dtype=float), out


def emit_granger(prefix, x, maxlag, call):
    lags, rows, _ = granger_rows(x, maxlag)
    arr(prefix + "_LAGS", lags, "lags of the rows below")
    arr(prefix, rows, call + " (rows: lags; columns: GC_* macros)")
    return rows


gc = {}
gc["MACRO_GDP_BY_INV"] = emit_granger("GC_MACRO_GDP_BY_INV", MACRO[:, [0, 2]], 8,
                                      "grangercausalitytests(MACRO_Y[:, [0, 2]], maxlag=8): realinv -> realgdp")
gc["MACRO_INV_BY_GDP"] = emit_granger("GC_MACRO_INV_BY_GDP", MACRO[:, [2, 0]], 8,
                                      "grangercausalitytests(MACRO_Y[:, [2, 0]], maxlag=8): realgdp -> realinv")
gc["EU_DAX_BY_FTSE"] = emit_granger("GC_EU_DAX_BY_FTSE", EU[:, [0, 3]], 8,
                                    "grangercausalitytests(EU_Y[:, [0, 3]], maxlag=8): FTSE -> DAX")
gc["PAIR_Y_BY_X"] = emit_granger("GC_PAIR_Y_BY_X", PAIR[:, [1, 0]], 8,
                                 "grangercausalitytests(PAIR_XY[:, [1, 0]], maxlag=8): x -> y (true)")
gc["PAIR_X_BY_Y"] = emit_granger("GC_PAIR_X_BY_Y", PAIR[:, [0, 1]], 8,
                                 "grangercausalitytests(PAIR_XY[:, [0, 1]], maxlag=8): y -> x (false)")
lst = emit_granger("GC_MACRO_GDP_BY_INV_LIST", MACRO[:, [0, 2]], [2, 4],
                   "grangercausalitytests(MACRO_Y[:, [0, 2]], maxlag=[2, 4]) (a lag list; statsmodels 0.13.5 "
                   "accepts it; each lag still uses rows L..T-1 and the T > 3 max(lags) + 1 check)")
assert np.array_equal(lst, gc["MACRO_GDP_BY_INV"][[1, 3]])
log("grangercausalitytests: all four tests recomputed from two OLS fits per lag; maxlag=[2, 4] "
    "is accepted and its rows equal lags 2 and 4 of maxlag=8 bit for bit")

# R cross-check: lmtest::grangertest(y ~ x, order = L) tests x -> y
R_LAGS = [1, 2, 4, 8]
r_checks = []
for key, x in (("MACRO_GDP_BY_INV", MACRO[:, [0, 2]]), ("EU_DAX_BY_FTSE", EU[:, [0, 3]]),
               ("PAIR_Y_BY_X", PAIR[:, [1, 0]])):
    code = ("y <- X[, 1]; x <- X[, 2]; for (L in c(" + ",".join(map(str, R_LAGS)) + ")) {"
            " g <- grangertest(y ~ x, order = L); p17(c(g$F[2], g$`Pr(>F)`[2], g$Res.Df[1])) }")
    rv = r_numbers(code, x).reshape(len(R_LAGS), 3)
    sm_rows = gc[key][[L - 1 for L in R_LAGS]]
    rf, rpv = rel(rv[:, 0], sm_rows[:, 0]), float(np.max(np.abs(rv[:, 1] - sm_rows[:, 1])))
    assert rf < 1e-9 and rpv < 1e-12 and np.array_equal(rv[:, 2], sm_rows[:, 2])
    r_checks.append(f"{key} F rel {rf:.1e}, p abs {rpv:.1e}")
    arr(f"GC_{key}_R", rv, f"R lmtest::grangertest(y ~ x, order = L) for L = {R_LAGS} (y = column 0, x = column 1): "
        "[F, Pr(>F), Res.Df]; equals ssr_ftest")
log("R lmtest::grangertest vs ssr_ftest, lags 1, 2, 4, 8: " + "; ".join(r_checks))

# =========================================================================
# 6. The all-pairs matrix
# =========================================================================
section("6. All ordered pairs: [caused i][causing j][lag - 1] = ssr_ftest of\n"
        "grangercausalitytests(Y[:, [i, j]], maxlag=4); NAN on the diagonal. Shape (k, k, 4).")


def emit_matrix(prefix, Y, name):
    kk = Y.shape[1]
    F = np.full((kk, kk, 4), np.nan)
    Pv = np.full((kk, kk, 4), np.nan)
    for i in range(kk):
        for j in range(kk):
            if i == j:
                continue
            _, rows, _ = granger_rows(Y[:, [i, j]], 4)
            F[i, j], Pv[i, j] = rows[:, 0], rows[:, 1]
            for L in range(1, 5):
                own_g = own_granger(Y[:, [i, j]], L)
                assert rel(F[i, j, L - 1], own_g["F"]) < 1e-9
    arr(prefix + "_F", F, f"ssr_ftest F of grangercausalitytests({name}[:, [i, j]], maxlag=4) at [i][j][L-1]")
    arr(prefix + "_P", Pv, "its p-value")
    return F


mF = emit_matrix("GCM_MACRO", MACRO, "MACRO_Y")
assert np.array_equal(mF[0, 2], gc["MACRO_GDP_BY_INV"][:4, 0]) and np.array_equal(mF[2, 0], gc["MACRO_INV_BY_GDP"][:4, 0])
emit_matrix("GCM_GEN", GEN, "GEN_Y")
log("all-pairs matrices: each entry recomputed by own OLS; MACRO [0][2] and [2][0] equal section 5 bit for bit")

# =========================================================================
# 7. Edge inputs: what statsmodels 0.13.5 does (comments only)
# =========================================================================
section("7. Edge inputs: statsmodels 0.13.5's behaviour, recorded for sheaf's documentation.")


def outcome(f):
    """What f does: its result or its exception, plus the distinct warnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            what = "returns " + str(f())
        except Exception as ex:  # the point is to record whatever it does
            what = f"raises {type(ex).__name__}: {ex}"
    seen = sorted({f"{w.category.__name__}: {w.message}" for w in caught
                   if w.category.__name__ != "ValueWarning"})
    return what + "".join(f"\n  (warning {s})" for s in seen)


def short_var(res_):
    return f"a result: llf={res_.llf:.6g}, det(sigma_u)={np.linalg.det(res_.sigma_u):.3g}"


edge = []
edge.append(("VAR(MACRO_Y[:10]).fit(4) (nobs 6 < 13 params per equation)",
             outcome(lambda: short_var(VAR(MACRO[:10]).fit(4)))))
edge.append(("VAR(MACRO_Y[:10]).fit(3) (nobs 7 < 10 params per equation)",
             outcome(lambda: short_var(VAR(MACRO[:10]).fit(3)))))
edge.append(("VAR(MACRO_Y[:30]).select_order(maxlags=8)", outcome(lambda: VAR(MACRO[:30]).select_order(8).selected_orders)))
const = np.column_stack([MACRO[:, :2], np.full(202, 0.5)])
edge.append(("VAR([realgdp, realcons, 0.5]).fit(2) (a constant series)", outcome(lambda: short_var(VAR(const).fit(2)))))
edge.append(("VAR([realgdp, realcons, 0.5]).fit(2, trend='n')", outcome(lambda: short_var(VAR(const).fit(2, trend="n")))))
coll = np.column_stack([MACRO[:, :2], MACRO[:, 0] + 2.0 * MACRO[:, 1]])
edge.append(("VAR([realgdp, realcons, realgdp + 2 realcons]).fit(2) (collinear)",
             outcome(lambda: short_var(VAR(coll).fit(2)))))
nanY = MACRO.copy()
nanY[50, 1] = np.nan
edge.append(("VAR(MACRO_Y with one NaN).fit(2)", outcome(lambda: short_var(VAR(nanY).fit(2)))))
edge.append(("VAR(MACRO_Y).fit(2).test_whiteness(nlags=2)", outcome(lambda: res.test_whiteness(nlags=2).pvalue)))
edge.append(("VAR(MACRO_Y).fit(0).test_causality(0, 2)", outcome(lambda: VAR(MACRO).fit(0).test_causality(0, 2).pvalue)))
edge.append(("VAR(MACRO_Y).fit(2).test_causality('realcons', None) (causing=None means 'all others'; "
             "0.13.5 sets causing to the caused names, so num_restr is wrong)",
             outcome(lambda: res.test_causality("realcons", None).pvalue)))
edge.append(("grangercausalitytests(MACRO_Y[:25, [0, 2]], maxlag=8) (T=25 <= 3*8+1)",
             outcome(lambda: list(grangercausalitytests(MACRO[:25, [0, 2]], 8, verbose=False)))))
edge.append(("grangercausalitytests(MACRO_Y[:26, [0, 2]], maxlag=8) (T=26, the smallest accepted)",
             outcome(lambda: grangercausalitytests(MACRO[:26, [0, 2]], 8, verbose=False)[8][0]["ssr_ftest"])))
edge.append(("grangercausalitytests([realgdp, 0.5 constant], maxlag=2)",
             outcome(lambda: grangercausalitytests(const[:, [0, 2]], 2, verbose=False)[2][0]["ssr_ftest"])))
edge.append(("grangercausalitytests([0.5 constant, realgdp], maxlag=2)",
             outcome(lambda: grangercausalitytests(const[:, [2, 0]], 2, verbose=False)[2][0]["ssr_ftest"])))
edge.append(("grangercausalitytests([realgdp, realgdp], maxlag=2) (identical series; OLS uses pinv, df_resid = nobs - rank = 200 - 3)",
             outcome(lambda: grangercausalitytests(MACRO[:, [0, 0]], 2, verbose=False)[2][0])))
edge.append(("grangercausalitytests([realgdp, 3 realgdp - 1], maxlag=2) (collinear, not identical)",
             outcome(lambda: grangercausalitytests(np.column_stack([MACRO[:, 0], 3 * MACRO[:, 0] - 1]), 2,
                                                   verbose=False)[2][0])))
edge.append(("grangercausalitytests(MACRO_Y[:, [0, 2]] with one NaN, maxlag=2)",
             outcome(lambda: grangercausalitytests(nanY[:, [0, 1]], 2, verbose=False))))
for what, got in edge:
    comment(f"EDGE {what}:\n  {got}")
    print(f"edge: {what}: {got}")

# =========================================================================
body = "\n".join(lines)
rver, lmver = r_version()
head = [
    "/* var_refs.h - GENERATED by tests/data/timeseries/gen_var_refs.py; do not edit.",
    f" * python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}, "
    f"pandas {pd.__version__}, statsmodels {statsmodels.__version__}; R {rver}, lmtest {lmver}",
    f" * seed: numpy.random.default_rng({SEED}), draws in file order (GEN_Y, then PAIR_XY).",
    " * Data: statsmodels.datasets.macrodata and R datasets::EuStockMarkets (bundled; no download).",
    " * Checks printed by the script when it ran:",
] + [" *   " + s for s in notes] + [
    " * Arrays are flat row-major doubles with _ROWS/_COLS (2-D), _DIM0.. (3-D) and _LEN macros. */",
    "#ifndef SHEAF_TESTS_VAR_REFS_H",
    "#define SHEAF_TESTS_VAR_REFS_H",
    "",
    "#include <math.h>",
    "",
]
with open(OUT, "w") as fh:
    fh.write("\n".join(head) + "\n" + body + "\n#endif /* SHEAF_TESTS_VAR_REFS_H */\n")
print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")
