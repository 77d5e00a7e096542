#!/usr/bin/python3
"""Writes logreg_refs.h: reference values for the sheaf logistic-regression tests.

Run from anywhere with /usr/bin/python3 (Debian 12 packages: statsmodels 0.13,
scikit-learn 1.2, numpy 1.24, scipy 1.10, pandas 1.5):
    /usr/bin/python3 tests/data/logreg/gen_logreg_refs.py
Data: statsmodels' bundled `spector`, scikit-learn's bundled `breast_cancer`
and `iris`, and small problems drawn from numpy.random.default_rng(SEED) in
file order; nothing is downloaded. Every reference is checked here against the
objective of the issue (Spark ML's: mean weighted log-loss
+ reg * (alpha ||w||_1 + (1 - alpha)/2 ||w||^2), intercept unpenalised); the
script stops with an AssertionError when a check fails. Rerunning with the same
package versions reproduces logreg_refs.h byte for byte.
"""
import os
import sys
import warnings

import numpy as np
import pandas as pd
import scipy
import scipy.optimize as opt
import scipy.special as sp
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from refgen import Header, fmt  # noqa: E402

SEED = 20261121
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "logreg_refs.h")

header = Header()
lines, notes = header.lines, header.notes
arr = header.arr
scalar = header.scalar
section = header.section
log = header.log


# ---- the Spark ML objective, written out independently of both peers ------
def spark_binomial(w, b, X, y, sw, reg, alpha):
    """Objective and gradient (coefs, intercept) of
    sum(sw*logloss)/sum(sw) + reg*(alpha*|w|_1 + (1-alpha)/2*|w|^2).
    The gradient returned is that of the smooth part only."""
    m = X @ w + b
    # logloss = log(1 + e^m) - y m, stably
    ll = np.logaddexp(0.0, m) - y * m
    W = sw.sum()
    f = (sw * ll).sum() / W + reg * (alpha * np.abs(w).sum() + 0.5 * (1 - alpha) * (w @ w))
    r = sw * (sp.expit(m) - y) / W
    gw = X.T @ r + reg * (1 - alpha) * w
    gb = r.sum()
    return f, gw, gb


def spark_multinomial(Wm, b, X, y, sw, reg):
    """Softmax objective; Wm (K x p), b (K,); L2 only."""
    M = X @ Wm.T + b
    lse = sp.logsumexp(M, axis=1)
    n = X.shape[0]
    ll = lse - M[np.arange(n), y]
    S = sw.sum()
    f = (sw * ll).sum() / S + 0.5 * reg * (Wm * Wm).sum()
    P = np.exp(M - lse[:, None])
    P[np.arange(n), y] -= 1.0
    R = sw[:, None] * P / S
    gW = R.T @ X + reg * Wm
    gb = R.sum(axis=0)
    return f, gW, gb


def l1_kkt(w, gw, reg, alpha):
    """Largest violation of the optimality conditions of the L1 part:
    g_j + reg*alpha*sign(w_j) = 0 where w_j != 0, |g_j| <= reg*alpha where 0."""
    lam = reg * alpha
    v = np.where(w != 0, np.abs(gw + lam * np.sign(w)), np.maximum(np.abs(gw) - lam, 0.0))
    return v.max()


def newton_binomial(X, y, sw, reg, w0=None, b0=0.0, active=None, signs=None, lam1=0.0, iters=100):
    """Plain Newton on the smooth Spark objective (L2 and, with a fixed sign
    pattern on `active` columns, the L1 term as the linear term lam1*sign.w).
    Used only to polish/cross-check the peers' answers."""
    p = X.shape[1]
    idx = np.arange(p) if active is None else np.asarray(active)
    Xa = X[:, idx]
    w = np.zeros(len(idx)) if w0 is None else np.asarray(w0, float)[idx].copy()
    b = float(b0)
    s = np.zeros(len(idx)) if signs is None else np.asarray(signs, float)
    W = sw.sum()
    for _ in range(iters):
        m = Xa @ w + b
        mu = sp.expit(m)
        r = sw * (mu - y) / W
        g = np.concatenate([[r.sum()], Xa.T @ r + reg * w + lam1 * s])
        D = sw * mu * (1 - mu) / W
        Z = np.column_stack([np.ones(len(y)), Xa])
        H = Z.T @ (D[:, None] * Z)
        H[1:, 1:] += reg * np.eye(len(idx))
        step = np.linalg.solve(H, g)
        b -= step[0]
        w -= step[1:]
        if np.abs(step).max() < 1e-15 * max(1.0, np.abs(w).max()):
            break
    full = np.zeros(p)
    full[idx] = w
    return full, b


def newton_multinomial(X, y, K, sw, reg, iters=100):
    """Plain Newton on the softmax Spark objective (L2 on coefs), all K rows
    free. The Hessian is singular only along the common intercept shift; the
    minimum-norm (lstsq) step is orthogonal to it, so from 0 the intercepts
    stay centred. Cross-check only."""
    n, p = X.shape
    Z = np.column_stack([np.ones(n), X])
    T = np.zeros((K, p + 1))
    S = sw.sum()
    for _ in range(iters):
        M = Z @ T.T
        P = np.exp(M - sp.logsumexp(M, axis=1)[:, None])
        R = P.copy()
        R[np.arange(n), y] -= 1.0
        G = (sw[:, None] * R).T @ Z / S
        G[:, 1:] += reg * T[:, 1:]
        H = np.zeros((K * (p + 1), K * (p + 1)))
        for k in range(K):
            for l in range(K):
                d = sw * P[:, k] * ((k == l) - P[:, l]) / S
                blk = Z.T @ (d[:, None] * Z)
                if k == l:
                    blk[1:, 1:] += reg * np.eye(p)
                H[k * (p + 1):(k + 1) * (p + 1), l * (p + 1):(l + 1) * (p + 1)] = blk
        step = np.linalg.lstsq(H, G.ravel(), rcond=None)[0].reshape(K, p + 1)
        T -= step
        if np.abs(step).max() < 1e-15 * max(1.0, np.abs(T).max()):
            break
    return T[:, 1:], T[:, 0]


def rel(a, b):
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def separable_lp(X, y):
    """True when some (w, b) puts every row strictly on its side:
    feasibility of s_i (x_i w + b) >= 1 (scipy.optimize.linprog, HiGHS)."""
    s = np.where(y > 0, 1.0, -1.0)
    Z = np.column_stack([X, np.ones(len(y))])
    A = -(s[:, None] * Z)
    res = opt.linprog(np.zeros(Z.shape[1]), A_ub=A, b_ub=-np.ones(len(y)),
                      bounds=[(None, None)] * Z.shape[1], method="highs")
    return res.status == 0


rng = np.random.default_rng(SEED)

# =========================================================================
# Data sets
# =========================================================================
section("Data sets. Design matrices are flat row-major doubles (n x p); labels are\n"
        "doubles 0.0/1.0 (binomial) or 0.0..K-1 (multinomial).")

spector = sm.datasets.spector.load_pandas()
SX = spector.exog[["GPA", "TUCE", "PSI"]].to_numpy(dtype=float)
Sy = spector.endog.to_numpy(dtype=float)
arr("SPECTOR_X", SX, "statsmodels.datasets.spector.load_pandas().exog[['GPA','TUCE','PSI']] (32 x 3)")
arr("SPECTOR_Y", Sy, "statsmodels.datasets.spector.load_pandas().endog (GRADE)")

bc = load_breast_cancer()
BXraw = np.asarray(bc.data, dtype=float)
By = np.asarray(bc.target, dtype=float)  # 0 = malignant, 1 = benign
scaler = StandardScaler().fit(BXraw)
BX = scaler.transform(BXraw)
# The C test rebuilds the design as Z[i][j] = (RAW[i][j] - MEAN[j]) / SCALE[j]
# in double: one correctly rounded subtraction then one division, exactly what
# StandardScaler.transform does. Checked bit for bit here.
BX_rebuilt = (BXraw - scaler.mean_[None, :]) / scaler.scale_[None, :]
assert np.array_equal(BX_rebuilt.view(np.uint64), BX.view(np.uint64)), "breast_cancer scaling not reproducible"
assert np.allclose(scaler.scale_, BXraw.std(axis=0, ddof=0), rtol=1e-14, atol=0)
log("breast_cancer: (RAW - MEAN) / SCALE reproduces StandardScaler().fit_transform bit for bit")
arr("BC_RAW_X", BXraw, "sklearn.datasets.load_breast_cancer().data (569 x 30), raw")
arr("BC_Y", By, "sklearn.datasets.load_breast_cancer().target (0 malignant, 1 benign)")
arr("BC_MEAN", scaler.mean_, "StandardScaler().fit(raw).mean_")
arr("BC_SCALE", scaler.scale_, "StandardScaler().fit(raw).scale_ (population std, ddof=0; no column is constant)")
lines.append("/* The standardized breast_cancer design used below, bit for bit:\n"
             " *   Z[i*30+j] = (BC_RAW_X[i*30+j] - BC_MEAN[j]) / BC_SCALE[j]; */\n")

iris = load_iris()
IX = np.asarray(iris.data, dtype=float)
Iy = np.asarray(iris.target, dtype=np.int64)
arr("IRIS_X", IX, "sklearn.datasets.load_iris().data (150 x 4), raw (not standardized)")
arr("IRIS_Y", Iy, "sklearn.datasets.load_iris().target (0, 1, 2)")

# =========================================================================
# 1. Unpenalised binomial, statsmodels Logit
# =========================================================================
section("1. Unpenalised binomial with intercept: statsmodels Logit.\n"
        "Coefficient order: intercept first, then the columns (statsmodels' add_constant order).")

SXc = sm.add_constant(SX, prepend=True)
call = "sm.Logit(y, sm.add_constant(X)).fit(disp=0, method='newton', tol=1e-12, maxiter=100)"
res = sm.Logit(Sy, SXc).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
assert res.mle_retvals["converged"]
arr("SPECTOR_LOGIT_PARAMS", res.params, call + " .params [const, GPA, TUCE, PSI]")
arr("SPECTOR_LOGIT_BSE", res.bse, ".bse (sqrt diag of inverse Hessian of the summed log-likelihood)")
arr("SPECTOR_LOGIT_Z", res.tvalues, ".tvalues (z = params / bse)")
arr("SPECTOR_LOGIT_P", res.pvalues, ".pvalues (two-sided normal: 2 * norm.sf(|z|))")
arr("SPECTOR_LOGIT_CI", res.conf_int(0.05), ".conf_int(0.05) (rows: params; cols: lower, upper; params -/+ norm.ppf(0.975) * bse)")
scalar("SPECTOR_LOGIT_LLF", res.llf, ".llf (summed log-likelihood)")
scalar("SPECTOR_LOGIT_MEAN_LOGLOSS", -res.llf / len(Sy), "-llf / n (the Spark objective at reg 0)")
f, gw, gb = spark_binomial(res.params[1:], res.params[0], SX, Sy, np.ones(len(Sy)), 0.0, 0.0)
gn = np.sqrt(gw @ gw + gb * gb)
log(f"spector Logit: iterations {res.mle_retvals['iterations']}, mean log-loss {f:.17g}, |grad| {gn:.3e}")
assert gn < 1e-12 and abs(f + res.llf / len(Sy)) < 1e-15
lines.append(f"/* spector Logit: newton iterations {res.mle_retvals['iterations']}, converged; "
             f"|grad of mean log-loss| at params = {gn:.2e} */\n")

# predictions (reference 5)
new_rows = np.array([[3.0, 20.0, 1.0], [2.5, 25.0, 0.0], [3.8, 22.0, 1.0]])
arr("SPECTOR_PRED_OWN_PROBA", res.predict(SXc[:5]),
    "res.predict(add_constant(X)[:5]) = P(GRADE=1) for rows 0..4 of SPECTOR_X")
arr("SPECTOR_PRED_OWN_MARGIN", SXc[:5] @ res.params, "add_constant(X)[:5] @ params (raw margins)")
arr("SPECTOR_NEW_X", new_rows, "three new rows [GPA, TUCE, PSI], chosen by hand")
newc = sm.add_constant(new_rows, prepend=True, has_constant="add")
arr("SPECTOR_PRED_NEW_PROBA", res.predict(newc), "res.predict(add_constant(NEW_X, has_constant='add')) = P(GRADE=1)")
arr("SPECTOR_PRED_NEW_MARGIN", newc @ res.params, "add_constant(NEW_X) @ params")
assert np.allclose(sp.expit(newc @ res.params), res.predict(newc), rtol=1e-15, atol=0)

# breast_cancer standardized, unpenalised
sep = separable_lp(BX, By)
log(f"breast_cancer standardized (30 features + intercept): linearly separable = {sep}")
bc_logit_ok = False
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rb = sm.Logit(By, sm.add_constant(BX)).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
    conv = rb.mle_retvals["converged"]
    log(f"breast_cancer Logit: converged={conv}, iterations={rb.mle_retvals['iterations']}, "
        f"max|params|={np.abs(rb.params).max():.3e}, llf={rb.llf:.6e}")
    bc_logit_ok = conv and not sep
except Exception as e:  # PerfectSeparationError and friends
    log(f"breast_cancer Logit raised {type(e).__name__}: {e}")
if bc_logit_ok:
    arr("BC_LOGIT_PARAMS", rb.params, "sm.Logit(BC_Y, add_constant(Z)).fit(method='newton', tol=1e-12) .params")
    arr("BC_LOGIT_BSE", rb.bse, ".bse")
else:
    lines.append("/* breast_cancer (standardized, all 30 columns) has NO unpenalised reference:\n"
                 f" * linearly separable = {sep} (LP feasibility of s_i (x_i w + b) >= 1, scipy linprog/HiGHS);\n"
                 " * the unpenalised MLE does not exist (coefficients diverge). Expected of sheaf:\n"
                 " * a clear non-success status (or non-convergence flag), never finite coefficients as success. */\n")

# a non-separable subset of breast_cancer for an unpenalised real-data check
sub = [0, 1, 4, 7]  # mean radius, mean texture, mean smoothness, mean concave points
assert not separable_lp(BX[:, sub], By)
rbs = sm.Logit(By, sm.add_constant(BX[:, sub])).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
assert rbs.mle_retvals["converged"]
lines.append("/* BC_SUB: standardized breast_cancer columns 0, 1, 4, 7 (mean radius, mean texture,\n"
             " * mean smoothness, mean concave points), Z[:, [0,1,4,7]]; not separable (LP check). */")
arr("BC_SUB_COLS", sub, "column indices into the 30 standardized columns")
csub = "sm.Logit(BC_Y, add_constant(Z[:, [0,1,4,7]])).fit(disp=0, method='newton', tol=1e-12, maxiter=100)"
arr("BC_SUB_LOGIT_PARAMS", rbs.params, csub + " .params [const, c0, c1, c4, c7]")
arr("BC_SUB_LOGIT_BSE", rbs.bse, ".bse")
arr("BC_SUB_LOGIT_Z", rbs.tvalues, ".tvalues")
arr("BC_SUB_LOGIT_P", rbs.pvalues, ".pvalues")
arr("BC_SUB_LOGIT_CI", rbs.conf_int(0.05), ".conf_int(0.05)")
scalar("BC_SUB_LOGIT_LLF", rbs.llf, ".llf")
f, gw, gb = spark_binomial(rbs.params[1:], rbs.params[0], BX[:, sub], By, np.ones(len(By)), 0.0, 0.0)
gn = np.sqrt(gw @ gw + gb * gb)
log(f"breast_cancer subset Logit: iterations {rbs.mle_retvals['iterations']}, |grad| {gn:.3e}")
assert gn < 1e-12

# =========================================================================
# 2. L2, standardization off: sklearn newton-cholesky (lbfgs kept for information), C = 1 / (n * reg)
# =========================================================================
section("2. L2, standardization off. Spark objective\n"
        "   mean log-loss + reg/2 ||w||^2 (intercept unpenalised)\n"
        "== scikit-learn LogisticRegression(C = 1/(n*reg)): C*sum log-loss + 1/2 ||w||^2, divided by C*n.\n"
        "The gradient of the Spark objective at sklearn's answer is checked here (|grad| below).")


def sk_fit(X, y, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        return LogisticRegression(**kw).fit(X, y)


for reg, tag in [(1e-2, "1E2"), (1e-3, "1E3")]:
    n = len(By)
    C = 1.0 / (n * reg)
    kw = dict(C=C, penalty="l2", fit_intercept=True, tol=1e-12, max_iter=10000, solver="lbfgs")
    m = sk_fit(BX, By, **kw)
    w, b = m.coef_[0], m.intercept_[0]
    f, gw, gb = spark_binomial(w, b, BX, By, np.ones(n), reg, 0.0)
    gn = np.sqrt(gw @ gw + gb * gb)
    # independent answers: sklearn newton-cholesky and a plain Newton on the Spark objective
    mc = sk_fit(BX, By, **{**kw, "solver": "newton-cholesky"})
    wn, bn = newton_binomial(BX, By, np.ones(n), reg)
    fn, gwn, gbn = spark_binomial(wn, bn, BX, By, np.ones(n), reg, 0.0)
    gnn = np.sqrt(gwn @ gwn + gbn * gbn)
    r_l = rel(np.r_[b, w], np.r_[bn, wn])
    r_c = rel(np.r_[mc.intercept_, mc.coef_[0]], np.r_[bn, wn])
    wc, bc_ = mc.coef_[0], mc.intercept_[0]
    fc, gwc, gbc = spark_binomial(wc, bc_, BX, By, np.ones(n), reg, 0.0)
    gnc = np.sqrt(gwc @ gwc + gbc * gbc)
    log(f"BC L2 reg={reg:g}: newton-cholesky n_iter={mc.n_iter_[0]} |grad Spark|={gnc:.3e} obj={fc:.17g}; "
        f"own Newton |grad|={gnn:.3e} obj={fn:.17g}; max rel diff={r_c:.3e}. "
        f"lbfgs n_iter={m.n_iter_[0]} |grad Spark|={gn:.3e} obj-opt={f - fn:.3e} max rel diff={r_l:.3e} "
        f"(scipy's default ftol stops sklearn 1.2 lbfgs early)")
    assert gnc < 1e-12 and gnn < 1e-14 and r_c < 1e-9 and abs(fc - fn) < 1e-15
    assert 0 <= f - fn < 1e-8
    ccall = (f"LogisticRegression(C=1/(569*{reg:g}), penalty='l2', fit_intercept=True, tol=1e-12, "
             "max_iter=10000, solver='newton-cholesky').fit(Z, BC_Y)")
    lcall = ccall.replace("newton-cholesky", "lbfgs")
    scalar(f"BC_L2_{tag}_REG", reg, "reg_param")
    arr(f"BC_L2_{tag}_COEF", wc, ccall + f" .coef_[0] (30); |grad Spark| {gnc:.1e}, own Newton agrees to {r_c:.1e}")
    scalar(f"BC_L2_{tag}_INTERCEPT", bc_, ".intercept_[0]")
    scalar(f"BC_L2_{tag}_OBJECTIVE", fc, "Spark objective at that answer: mean log-loss + reg/2 |w|^2")
    arr(f"BC_L2_{tag}_LBFGS_COEF", w, lcall + f" .coef_[0]: NOT converged tightly (|grad Spark| {gn:.1e}, "
        f"max rel diff to the optimum {r_l:.1e}); do not assert against it tighter than that")
    scalar(f"BC_L2_{tag}_LBFGS_INTERCEPT", b, ".intercept_[0] of the lbfgs fit")
    scalar(f"BC_L2_{tag}_LBFGS_OBJECTIVE", f, f"Spark objective at the lbfgs answer (optimum + {f - fn:.1e})")

# inference for an L2 fit (the issue asks for bse from the merged Hessian):
# covariance = inverse of the Hessian of the SUMMED penalised objective
# (n * Spark objective), i.e. X'DX + n*reg*I on the coefs. Written as a
# convenience with its formula; no peer computes it.
reg = 1e-2
wn, bn = newton_binomial(BX, By, np.ones(len(By)), reg)
Z1 = np.column_stack([np.ones(len(By)), BX])
mu = sp.expit(Z1 @ np.r_[bn, wn])
H = Z1.T @ ((mu * (1 - mu))[:, None] * Z1)
H[1:, 1:] += len(By) * reg * np.eye(BX.shape[1])
arr("BC_L2_1E2_BSE_PENALISED_HESSIAN", np.sqrt(np.diag(np.linalg.inv(H))),
    "sqrt(diag(inv(Z1' D Z1 + n*reg*diag(0,1,..,1)))), Z1 = [1, Z], D = mu(1-mu) at the Newton optimum, "
    "[intercept, 30 coefs]; a formula, not a peer value (statsmodels has no L2 inference)")

# multinomial on iris
section("Multinomial (softmax) L2 on iris, raw features, intercepts unpenalised.\n"
        "sklearn's multinomial: C*sum log-loss + 1/2 sum_k ||w_k||^2; C = 1/(n*reg).\n"
        "Parametrisation: K = 3 rows of coefs (one per class, no reference class).\n"
        "The L2 term makes the coefs unique and forces sum_k w_kj = 0 for every feature j;\n"
        "the unpenalised intercepts are unique only up to a common shift: sklearn's start\n"
        "at 0 and every gradient has sum_k g_k = 0, so they come out centred (sum_k b_k ~ 0),\n"
        "as Spark centres them. Compare intercepts after subtracting their mean.")
Yint = Iy
for reg, tag in [(1e-2, "1E2"), (1e-3, "1E3")]:
    n = len(Yint)
    kw = dict(C=1.0 / (n * reg), penalty="l2", fit_intercept=True, tol=1e-12, max_iter=10000,
              solver="newton-cg", multi_class="multinomial")
    with warnings.catch_warnings(record=True) as wlist:
        warnings.simplefilter("always")
        m = LogisticRegression(**kw).fit(IX, Yint)
        ml = LogisticRegression(**{**kw, "solver": "lbfgs"}).fit(IX, Yint)
    wmsg = sorted({str(x.message).split(".")[0] for x in wlist})
    f, gW, gb = spark_multinomial(m.coef_, m.intercept_, IX, Yint, np.ones(n), reg)
    gn = np.sqrt((gW * gW).sum() + gb @ gb)
    fl, gWl, gbl = spark_multinomial(ml.coef_, ml.intercept_, IX, Yint, np.ones(n), reg)
    gnl = np.sqrt((gWl * gWl).sum() + gbl @ gbl)
    Wn, bn = newton_multinomial(IX, Yint, 3, np.ones(n), reg)
    fn, gWn, gbn = spark_multinomial(Wn, bn, IX, Yint, np.ones(n), reg)
    gnn = np.sqrt((gWn * gWn).sum() + gbn @ gbn)
    ref = np.r_[Wn.ravel(), bn - bn.mean()]
    r = rel(np.r_[m.coef_.ravel(), m.intercept_ - m.intercept_.mean()], ref)
    rl = rel(np.r_[ml.coef_.ravel(), ml.intercept_ - ml.intercept_.mean()], ref)
    log(f"iris multinomial L2 reg={reg:g}: newton-cg n_iter={m.n_iter_[0]} |grad Spark|={gn:.3e} obj={f:.17g} "
        f"(sklearn warnings: {wmsg}); own Newton |grad|={gnn:.3e} obj={fn:.17g}; max rel diff={r:.3e}; "
        f"sum intercepts={m.intercept_.sum():.3e}, max|sum_k coef_kj|={np.abs(m.coef_.sum(axis=0)).max():.3e}; "
        f"lbfgs n_iter={ml.n_iter_[0]} |grad|={gnl:.3e} obj-opt={fl - fn:.3e} max rel diff={rl:.3e}")
    assert gnn < 1e-13 and gn < 1e-8 and r < 1e-7 and abs(f - fn) < 1e-14 and 0 <= fl - fn < 1e-8
    call = (f"LogisticRegression(C=1/(150*{reg:g}), penalty='l2', fit_intercept=True, tol=1e-12, max_iter=10000, "
            "solver='newton-cg', multi_class='multinomial').fit(IRIS_X, IRIS_Y)")
    scalar(f"IRIS_L2_{tag}_REG", reg, "reg_param")
    arr(f"IRIS_L2_{tag}_COEF", m.coef_, call + f" .coef_ (3 classes x 4 features); |grad Spark| {gn:.1e}, "
        f"own Newton agrees to {r:.1e} (sklearn warned: {'; '.join(wmsg) or 'nothing'})")
    arr(f"IRIS_L2_{tag}_INTERCEPT", m.intercept_, f".intercept_ (3), as returned (sum {m.intercept_.sum():.1e})")
    scalar(f"IRIS_L2_{tag}_OBJECTIVE", f, "Spark objective at that answer: mean softmax log-loss + reg/2 sum of squared coefs")
    arr(f"IRIS_L2_{tag}_PROBA_ROWS_0_50_100", m.predict_proba(IX[[0, 50, 100]]), ".predict_proba(IRIS_X[[0, 50, 100]]) (3 x 3)")
    arr(f"IRIS_L2_{tag}_LBFGS_COEF", ml.coef_, "the same call with solver='lbfgs': NOT converged tightly "
        f"(|grad Spark| {gnl:.1e}, max rel diff to the optimum {rl:.1e}, objective optimum + {fl - fn:.1e})")
    arr(f"IRIS_L2_{tag}_LBFGS_INTERCEPT", ml.intercept_, ".intercept_ of the lbfgs fit")

# =========================================================================
# 3. L1 and elastic net: sklearn saga
# =========================================================================
section("3. L1 and elastic net, standardization off, standardized breast_cancer.\n"
        "Spark objective: mean log-loss + reg*(alpha ||w||_1 + (1-alpha)/2 ||w||^2)\n"
        "== sklearn LogisticRegression(penalty='elasticnet', l1_ratio=alpha, C=1/(n*reg), solver='saga')\n"
        "(saga penalises only the coefs). The zero pattern lists 1.0 where sklearn's coef is exactly 0.\n"
        "KKT = largest violation of g_j + reg*alpha*sign(w_j) = 0 (w_j != 0) / |g_j| <= reg*alpha (w_j = 0).\n"
        "Each case is also solved exactly here: Newton on saga's support with its signs fixed,\n"
        "then the full KKT conditions are checked; the test bound is objective <= SAGA_OBJECTIVE + 1e-8.")
for alpha, reg, tag in [(1.0, 1e-2, "L1_1E2"), (0.5, 1e-2, "EN05_1E2")]:
    n = len(By)
    C = 1.0 / (n * reg)
    penalty = "l1" if alpha == 1.0 else "elasticnet"
    kw = dict(C=C, penalty=penalty, fit_intercept=True, tol=1e-12, max_iter=100000, solver="saga", random_state=0)
    if penalty == "elasticnet":
        kw["l1_ratio"] = alpha
    with warnings.catch_warnings(record=True) as wlist:
        warnings.simplefilter("always", ConvergenceWarning)
        m = LogisticRegression(**kw).fit(BX, By)
    conv_warn = any(issubclass(x.category, ConvergenceWarning) for x in wlist)
    w, b = m.coef_[0].copy(), m.intercept_[0]
    f, gw, gb = spark_binomial(w, b, BX, By, np.ones(n), reg, alpha)
    kkt = max(l1_kkt(w, gw, reg, alpha), abs(gb))
    # exact polish on saga's support
    act = np.flatnonzero(w != 0)
    wp, bp = newton_binomial(BX, By, np.ones(n), reg * (1 - alpha), w0=w, b0=b, active=act,
                             signs=np.sign(w[act]), lam1=reg * alpha)
    assert np.all(np.sign(wp[act]) == np.sign(w[act])), "signs changed while polishing"
    fp, gwp, gbp = spark_binomial(wp, bp, BX, By, np.ones(n), reg, alpha)
    kktp = max(l1_kkt(wp, gwp, reg, alpha), abs(gbp))
    log(f"BC {tag}: saga n_iter={m.n_iter_[0]} ConvergenceWarning={conv_warn} nnz={len(act)} "
        f"obj={f:.17g} KKT={kkt:.3e}; exact-on-support obj={fp:.17g} KKT={kktp:.3e}; "
        f"saga - exact = {f - fp:.3e}; max rel coef diff={rel(wp[act], w[act]):.3e}")
    assert kktp < 1e-12, "polished solution is not optimal: the saga support is wrong"
    assert -1e-15 < f - fp < 1e-8
    call = (f"LogisticRegression(penalty='{penalty}'" + (f", l1_ratio={alpha}" if penalty == "elasticnet" else "")
            + f", C=1/(569*{reg:g}), fit_intercept=True, tol=1e-12, max_iter=100000, solver='saga', random_state=0).fit(Z, BC_Y)")
    scalar(f"BC_{tag}_REG", reg, "reg_param")
    scalar(f"BC_{tag}_ALPHA", alpha, "elastic_net_param (sklearn l1_ratio)")
    arr(f"BC_{tag}_SAGA_COEF", w, call + " .coef_[0]")
    scalar(f"BC_{tag}_SAGA_INTERCEPT", b, ".intercept_[0]")
    arr(f"BC_{tag}_ZERO", (w == 0).astype(float), "1.0 where .coef_[0] == 0 exactly")
    scalar(f"BC_{tag}_SAGA_OBJECTIVE", f, "Spark objective at saga's answer")
    arr(f"BC_{tag}_EXACT_COEF", wp, f"Newton on saga's support with its signs fixed (KKT {kktp:.1e})")
    scalar(f"BC_{tag}_EXACT_INTERCEPT", bp, "its intercept")
    scalar(f"BC_{tag}_EXACT_OBJECTIVE", fp, "Spark objective at the exact answer")
    lines.append(f"/* BC {tag}: saga n_iter {m.n_iter_[0]} (ConvergenceWarning: {conv_warn}), KKT {kkt:.2e}, "
                 f"nnz {len(act)}; saga objective - exact objective = {f - fp:.2e} */\n")
    if alpha == 1.0:
        # liblinear penalises the intercept column (weight intercept_scaling); a
        # large scaling makes that penalty negligible: a cross-check only.
        # (tol=1e-12 makes liblinear 2.4's newGLMNET run to max_iter for minutes.)
        ml = LogisticRegression(penalty="l1", C=C, solver="liblinear", tol=1e-8, max_iter=1000,
                                fit_intercept=True, intercept_scaling=1e4, random_state=0).fit(BX, By)
        wl, bl = ml.coef_[0], ml.intercept_[0]
        fl, _, _ = spark_binomial(wl, bl, BX, By, np.ones(n), reg, alpha)
        same = np.array_equal(wl == 0, w == 0)
        log(f"BC L1 liblinear (intercept_scaling=1e4): obj={fl:.17g} (exact {fp:.17g}, diff {fl - fp:.3e}); "
            f"same zero pattern as saga: {same}; max |coef diff| to exact {np.abs(wl - wp).max():.3e}")
        assert same and fl - fp < 1e-6
        lines.append(f"/* liblinear cross-check: LogisticRegression(penalty='l1', C=1/(569*0.01), solver='liblinear', "
                     f"tol=1e-8, max_iter=1000, intercept_scaling=1e4): same zero pattern; Spark objective {fl:.17g} "
                     f"(exact + {fl - fp:.1e}); liblinear penalises b/1e4, hence not an exact reference */\n")

# =========================================================================
# 4. Weighted fits on spector
# =========================================================================
section("4. Weighted fits on spector with integer weights SPECTOR_W = rng.integers(1, 5, 32).\n"
        "Spark's weighted objective divides by sum(w), so at reg 0 the optimum is the weighted MLE;\n"
        "statsmodels' freq_weights treat w as replication counts (bse as if rows were repeated).")
Sw = rng.integers(1, 5, size=len(Sy)).astype(float)
arr("SPECTOR_W", Sw, f"numpy.random.default_rng({SEED}).integers(1, 5, size=32) (first draw)")
gcall = ("sm.GLM(y, sm.add_constant(X), family=sm.families.Binomial(), freq_weights=w)"
         ".fit(method='IRLS', tol=1e-12, maxiter=100)")
rg = sm.GLM(Sy, SXc, family=sm.families.Binomial(), freq_weights=Sw).fit(method="IRLS", tol=1e-12, maxiter=100)
rep = np.repeat(np.arange(len(Sy)), Sw.astype(int))
rr = sm.Logit(Sy[rep], SXc[rep]).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
f, gw, gb = spark_binomial(rg.params[1:], rg.params[0], SX, Sy, Sw, 0.0, 0.0)
gn = np.sqrt(gw @ gw + gb * gb)
log(f"spector weighted GLM: |grad weighted Spark|={gn:.3e}; vs replicated-rows Logit: params rel {rel(rg.params, rr.params):.3e}, "
    f"bse rel {rel(rg.bse, rr.bse):.3e}")
assert gn < 1e-11 and rel(rg.params, rr.params) < 1e-9 and rel(rg.bse, rr.bse) < 1e-9
arr("SPECTOR_W_PARAMS", rg.params, gcall + " .params [const, GPA, TUCE, PSI]")
arr("SPECTOR_W_BSE", rg.bse, ".bse (frequency-weight semantics; equals Logit on rows repeated w times)")
arr("SPECTOR_W_Z", rg.tvalues, ".tvalues")
arr("SPECTOR_W_P", rg.pvalues, ".pvalues")
arr("SPECTOR_W_CI", rg.conf_int(0.05), ".conf_int(0.05)")
scalar("SPECTOR_W_LLF", rg.llf, ".llf (sum of w_i * loglik_i)")
scalar("SPECTOR_W_MEAN_LOGLOSS", f, "Spark objective: sum(w * logloss) / sum(w) at params")
# weighted L2 (sklearn sample_weight): C = 1 / (sum(w) * reg)
reg = 1e-2
m = LogisticRegression(C=1.0 / (Sw.sum() * reg), penalty="l2", tol=1e-12, max_iter=10000,
                       solver="newton-cholesky").fit(SX, Sy, sample_weight=Sw)
f, gw, gb = spark_binomial(m.coef_[0], m.intercept_[0], SX, Sy, Sw, reg, 0.0)
gn = np.sqrt(gw @ gw + gb * gb)
wn, bn = newton_binomial(SX, Sy, Sw, reg)
r = rel(np.r_[m.intercept_[0], m.coef_[0]], np.r_[bn, wn])
log(f"spector weighted L2 reg=0.01: newton-cholesky |grad Spark|={gn:.3e}, max rel diff to Newton={r:.3e}")
assert gn < 1e-12 and r < 1e-9
scalar("SPECTOR_W_L2_REG", reg, "reg_param")
arr("SPECTOR_W_L2_COEF", m.coef_[0], "LogisticRegression(C=1/(sum(SPECTOR_W)*0.01), penalty='l2', tol=1e-12, "
    "max_iter=10000, solver='newton-cholesky').fit(SPECTOR_X, SPECTOR_Y, sample_weight=SPECTOR_W) .coef_[0]")
scalar("SPECTOR_W_L2_INTERCEPT", m.intercept_[0], ".intercept_[0]")
scalar("SPECTOR_W_L2_OBJECTIVE", f, "sum(w*logloss)/sum(w) + reg/2 |w|^2 at sklearn's answer")
assert np.allclose(m.coef_[0], LogisticRegression(C=1.0 / (len(rep) * reg), penalty="l2", tol=1e-12, solver="newton-cholesky")
                   .fit(SX[rep], Sy[rep]).coef_[0], rtol=1e-9, atol=0), "sample_weight != replication"
arr("SPECTOR_W_L2_NEWTON_COEF", wn, f"plain Newton in this script, max rel diff {r:.1e}")
scalar("SPECTOR_W_L2_NEWTON_INTERCEPT", bn, "its intercept")

# =========================================================================
# Generated problems: data plus the expected behaviour
# =========================================================================
section("Generated edge cases, numpy.random.default_rng(SEED) continued in file order.")
# separable
n = 40
Xs = rng.standard_normal((n, 2))
ys = (Xs[:, 0] + 0.5 * Xs[:, 1] > 0).astype(float)
assert separable_lp(Xs, ys) and 0 < ys.sum() < n
arr("SEP_X", Xs, "rng.standard_normal((40, 2))")
arr("SEP_Y", ys, "(x0 + 0.5 x1 > 0); linearly separable (LP check)")
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # overflow in exp while the coefficients diverge
        sm.Logit(ys, sm.add_constant(Xs)).fit(disp=0, method="newton", maxiter=100)
    sm_sep = "statsmodels fit without error"
except Exception as e:
    sm_sep = f"statsmodels Logit raises {type(e).__name__}"
log(f"separable: {sm_sep}")
reg = 1e-2
m = sk_fit(Xs, ys, C=1.0 / (n * reg), penalty="l2", tol=1e-12, max_iter=10000, solver="newton-cholesky")
wn, bn = newton_binomial(Xs, ys, np.ones(n), reg)
r = rel(np.r_[m.intercept_[0], m.coef_[0]], np.r_[bn, wn])
assert r < 1e-6
lines.append("/* Expected (separable): the unpenalised MLE does not exist (|w| -> infinity); " + sm_sep + ".\n"
             " * sheaf must return a clear non-success status or convergence flag = false with a reason,\n"
             " * never finite coefficients reported as converged. With L2 the optimum is finite: */")
arr("SEP_L2_1E2_COEF", m.coef_[0], f"LogisticRegression(C=1/(40*0.01), penalty='l2', tol=1e-12, max_iter=10000, "
    f"solver='newton-cholesky') .coef_[0] (Newton agrees to {r:.1e})")
scalar("SEP_L2_1E2_INTERCEPT", m.intercept_[0], ".intercept_[0]")

# constant column
n = 50
Xk = rng.standard_normal((n, 2))
yk = (rng.random(n) < sp.expit(0.3 + Xk[:, 0] - 0.7 * Xk[:, 1])).astype(float)
Xk3 = np.column_stack([Xk[:, 0], np.full(n, 3.0), Xk[:, 1]])
arr("CONST_X", Xk3, "[x0, 3.0, x1], x = rng.standard_normal((50, 2)); column 1 constant")
arr("CONST_Y", yk, "rng.random(50) < expit(0.3 + x0 - 0.7 x1)")
assert not separable_lp(Xk, yk)
rk = sm.Logit(yk, sm.add_constant(Xk)).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
reg = 1e-2
mk = sk_fit(Xk3, yk, C=1.0 / (n * reg), penalty="l2", tol=1e-12, max_iter=10000, solver="newton-cholesky")
mk2 = sk_fit(Xk, yk, C=1.0 / (n * reg), penalty="l2", tol=1e-12, max_iter=10000, solver="newton-cholesky")
assert abs(mk.coef_[0][1]) < 1e-13 and rel(mk.coef_[0][[0, 2]], mk2.coef_[0]) < 1e-12
log(f"constant column, L2 0.01: sklearn coef on the constant column = {mk.coef_[0][1]:.3e}; "
    f"others vs fit without it: rel {rel(mk.coef_[0][[0, 2]], mk2.coef_[0]):.3e}")
lines.append("/* Expected (constant column, with intercept): the column duplicates the intercept, so the\n"
             " * unpenalised Hessian is singular. Spark (standardization on) gives a zero-std column the\n"
             " * coefficient 0 and fits the rest; with an L2 penalty the optimum also has coefficient 0\n"
             " * there (the unpenalised intercept absorbs it). Documented answer: coefficient 0 on column 1,\n"
             " * the others equal the fit without it; or, unpenalised with standardization off, a clear status. */")
arr("CONST_LOGIT_PARAMS_WITHOUT_COL1", rk.params,
    "sm.Logit(y, add_constant(CONST_X[:, [0, 2]])).fit(disp=0, method='newton', tol=1e-12) .params [const, x0, x1]")
arr("CONST_LOGIT_BSE_WITHOUT_COL1", rk.bse, ".bse")
arr("CONST_L2_1E2_COEF", mk.coef_[0], "LogisticRegression(C=1/(50*0.01), penalty='l2', tol=1e-12, max_iter=10000, "
    f"solver='newton-cholesky').fit(CONST_X, y) .coef_[0] (middle is {mk.coef_[0][1]:.1e}: exactly 0 at the optimum)")
scalar("CONST_L2_1E2_INTERCEPT", mk.intercept_[0], ".intercept_[0]")

# collinear columns
n = 60
Xc = rng.standard_normal((n, 2))
yc = (rng.random(n) < sp.expit(-0.2 + 0.8 * Xc[:, 0] + 0.5 * Xc[:, 1])).astype(float)
Xc3 = np.column_stack([Xc[:, 0], Xc[:, 1], Xc[:, 0] + 2.0 * Xc[:, 1]])
arr("COLL_X", Xc3, "[x0, x1, x0 + 2 x1], x = rng.standard_normal((60, 2)); exact collinearity "
    "(column 2 computed in double, so collinear up to rounding)")
arr("COLL_Y", yc, "rng.random(60) < expit(-0.2 + 0.8 x0 + 0.5 x1)")
assert not separable_lp(Xc, yc)
reg = 1e-2
mc = sk_fit(Xc3, yc, C=1.0 / (n * reg), penalty="l2", tol=1e-12, max_iter=10000, solver="newton-cholesky")
wn, bn = newton_binomial(Xc3, yc, np.ones(n), reg)
r = rel(np.r_[mc.intercept_[0], mc.coef_[0]], np.r_[bn, wn])
assert r < 1e-6
rc2 = sm.Logit(yc, sm.add_constant(Xc)).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
log(f"collinear, L2 0.01: newton-cholesky vs Newton rel {r:.3e}; unpenalised fit of the 2 free columns converged "
    f"{rc2.mle_retvals['converged']}")
lines.append("/* Expected (collinear): unpenalised coefficients are not identifiable (singular X'WX);\n"
             " * sheaf returns a clear status for the Newton/IRLS path (or a documented minimum-norm answer);\n"
             " * the fitted probabilities are still those of the 2-column fit below. With L2 the optimum is unique: */")
arr("COLL_LOGIT_PARAMS_2COL", rc2.params, "sm.Logit(y, add_constant(COLL_X[:, :2])).fit(method='newton', tol=1e-12) "
    ".params (the identifiable model)")
arr("COLL_L2_1E2_COEF", mc.coef_[0], f"LogisticRegression(C=1/(60*0.01), penalty='l2', tol=1e-12, max_iter=10000, "
    f"solver='newton-cholesky').fit(COLL_X, y) .coef_[0] (Newton agrees to {r:.1e})")
scalar("COLL_L2_1E2_INTERCEPT", mc.intercept_[0], ".intercept_[0]")

# a class that never occurs: K = 4 declared, labels only 0, 1, 3
n = 60
Xa = rng.standard_normal((n, 2))
ya = rng.choice(np.array([0, 1, 3]), size=n)
arr("ABSENT_X", Xa, "rng.standard_normal((60, 2))")
arr("ABSENT_Y", ya, "rng.choice([0, 1, 3], 60): labels for 4 declared classes, class 2 never occurs")
reg = 1e-2
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    ma = LogisticRegression(C=1.0 / (n * reg), penalty="l2", tol=1e-12, max_iter=10000, solver="newton-cg",
                            multi_class="multinomial").fit(Xa, ya)
Wa, ba = newton_multinomial(Xa, np.searchsorted([0, 1, 3], ya), 3, np.ones(n), reg)
ra = rel(np.r_[ma.coef_.ravel(), ma.intercept_ - ma.intercept_.mean()], np.r_[Wa.ravel(), ba - ba.mean()])
log(f"absent class, multinomial L2 0.01 on classes [0, 1, 3]: sklearn newton-cg vs own Newton rel {ra:.3e}")
assert ra < 1e-7
assert list(ma.classes_) == [0, 1, 3]
# With the absent class as a 4th softmax row: its unpenalised intercept -> -inf
# and its coefs -> 0; the other rows tend to sklearn's 3-class answer up to
# the intercept shift.
lines.append("/* Expected (absent class): for class 2 the unpenalised intercept tends to -infinity (its\n"
             " * probability to 0); Spark's multinomial initialises it from log(count) = -inf. sheaf either\n"
             " * returns a clear status naming the class, or fixes that row (intercept -inf / coefs 0,\n"
             " * documented) and fits the rest. sklearn fits only the classes it sees (classes_ = [0, 1, 3]): */")
arr("ABSENT_L2_1E2_COEF", ma.coef_, "LogisticRegression(C=1/(60*0.01), penalty='l2', tol=1e-12, max_iter=10000, "
    "solver='newton-cg', multi_class='multinomial').fit(ABSENT_X, ABSENT_Y) .coef_ (rows: classes 0, 1, 3)")
arr("ABSENT_L2_1E2_INTERCEPT", ma.intercept_, ".intercept_ (classes 0, 1, 3)")

# =========================================================================
body = "\n".join(lines)
head = [
    "/* logreg_refs.h - GENERATED by tests/data/logreg/gen_logreg_refs.py; do not edit.",
    f" * python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}, "
    f"pandas {pd.__version__}, scikit-learn {sklearn.__version__}, statsmodels {statsmodels.__version__}",
    f" * seed: numpy.random.default_rng({SEED}), draws in file order (SPECTOR_W, SEP, CONST, COLL, ABSENT).",
    " * Data: statsmodels.datasets.spector, sklearn.datasets.load_breast_cancer, load_iris (bundled; no download).",
    " * Objective everywhere (Spark ML): sum(w_i logloss_i)/sum(w_i) + reg*(alpha|w|_1 + (1-alpha)/2 |w|^2),",
    " * intercept unpenalised, standardization OFF; sklearn's C = 1/(sum(w) * reg).",
    " * Checks printed by the script when it ran:",
] + [" *   " + s for s in notes] + [
    " * Arrays are flat row-major doubles with _ROWS/_COLS (2-D) or _LEN (1-D) macros. */",
    "#ifndef SHEAF_TESTS_LOGREG_REFS_H",
    "#define SHEAF_TESTS_LOGREG_REFS_H",
    "",
    "#include <math.h>",
    "",
]
with open(OUT, "w") as fh:
    fh.write("\n".join(head) + "\n" + body + "\n#endif /* SHEAF_TESTS_LOGREG_REFS_H */\n")
print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")
