#!/usr/bin/python3
"""Writes logreg_more_refs.h: reference values for the sheaf logistic-regression
tests of box bounds and of the quality metrics (tests/models/test_logreg_solvers.c).

Run from anywhere with /usr/bin/python3 (Debian 12 packages: statsmodels 0.13,
scikit-learn 1.2, numpy 1.24, scipy 1.10):
    /usr/bin/python3 tests/data/logreg/gen_logreg_more_refs.py
Data: statsmodels' bundled `spector`, scikit-learn's bundled `iris` and
`breast_cancer`, weights drawn from numpy.random.default_rng(SEED) in file
order; nothing is downloaded. The data arrays themselves (SPECTOR_X, IRIS_X,
...) are those of logreg_refs.h, which the tests include beside this file.

Bounded fits (Spark ML's objective, mean weighted log-loss + reg/2 |s * w|^2
with s the sample std under standardization, else 1; intercept unpenalised;
box bounds on w and b in the ORIGINAL feature scale) have no peer that solves
them directly, so the exact answer is made in two steps: scipy's L-BFGS-B
finds the active set, then the free coordinates are solved exactly with the
active ones fixed at their bounds (statsmodels GLM Binomial with the fixed
part as offset when unpenalised, else a plain Newton written below), and the
KKT conditions are checked: zero gradient on the free coordinates, strictly
inside their bounds, and a gradient pushing out of the box at every active
bound. The metrics are scikit-learn's log_loss, accuracy_score and
roc_auc_score on the reference model's predict_proba. The script stops with
an AssertionError when a check fails; rerunning it with the same package
versions reproduces logreg_more_refs.h byte for byte.
"""
import os
import sys
import warnings

import numpy as np
import scipy
import scipy.optimize as opt
import scipy.special as sp
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, log_loss, roc_auc_score
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from refgen import Header, fmt  # noqa: E402

SEED = 20261207
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "logreg_more_refs.h")

header = Header()
lines, notes = header.lines, header.notes
arr = header.arr
scalar = header.scalar
section = header.section
log = header.log


# ---- emitters (the conventions of gen_logreg_refs.py) ---------------------
def rel(a, b):
    a = np.asarray(a, float)
    b = np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


# ---- the bounded Spark objective, binomial ---------------------------------
# theta = [b, w_1..w_p] (statsmodels' order); pen = reg * s^2 per coefficient.
def binomial_fg(theta, Z, y, sw, pen):
    """f = sum(sw * logloss) / sum(sw) + 1/2 sum(pen * w^2) and its gradient;
    Z = [1, X] (or X alone without intercept: then pen covers all of theta)."""
    m = Z @ theta
    W = sw.sum()
    f = (sw * (np.logaddexp(0.0, m) - y * m)).sum() / W + 0.5 * (pen * theta * theta).sum()
    g = Z.T @ (sw * (sp.expit(m) - y)) / W + pen * theta
    return f, g


def binomial_newton(theta, fixed, Z, y, sw, pen, iters=100):
    """Newton on the free coordinates of theta (fixed ones held), exact to
    rounding; the cross-check for the unpenalised case is statsmodels GLM."""
    theta = np.asarray(theta, float).copy()
    free = ~fixed
    W = sw.sum()
    for _ in range(iters):
        f, g = binomial_fg(theta, Z, y, sw, pen)
        mu = sp.expit(Z @ theta)
        H = Z.T @ ((sw * mu * (1 - mu) / W)[:, None] * Z) + np.diag(pen)
        step = np.linalg.solve(H[np.ix_(free, free)], g[free])
        theta[free] -= step
        if np.abs(step).max() < 1e-15 * max(1.0, np.abs(theta).max()):
            break
    return theta


def kkt_check(name, theta, g, lo, hi, at_lo, at_hi):
    """Free coordinates: zero gradient, strictly inside; active ones: the
    gradient pushes outward (descent would leave the box), with a margin."""
    free = ~(at_lo | at_hi)
    gfree = np.abs(g[free]).max() if free.any() else 0.0
    inside = np.all((theta[free] > lo[free]) & (theta[free] < hi[free]))
    push_lo = g[at_lo].min() if at_lo.any() else np.inf
    push_hi = -g[at_hi].min() if at_hi.any() else np.inf
    log(f"{name}: active lower {np.flatnonzero(at_lo).tolist()} upper {np.flatnonzero(at_hi).tolist()}; "
        f"max |grad free| {gfree:.2e}; min outward push {min(push_lo, push_hi):.3e}")
    assert gfree < 1e-13, name
    assert inside, name
    assert push_lo > 1e-4 and push_hi > 1e-4, name
    assert at_lo.sum() + at_hi.sum() >= 2, f"{name}: fewer than two active bounds"


def solve_bounded(name, Z, y, sw, pen, lo, hi, fixed_extra=None):
    """Active set from L-BFGS-B, then exact refinement and the KKT check.
    Returns theta and the active masks."""
    x0 = np.clip(np.zeros(Z.shape[1]), lo, hi)
    res = opt.minimize(lambda t: binomial_fg(t, Z, y, sw, pen), x0, jac=True, method="L-BFGS-B",
                       bounds=list(zip(lo, hi)),
                       options=dict(ftol=0.0, gtol=1e-12, maxiter=20000, maxcor=20))
    t = res.x
    at_lo = np.isfinite(lo) & (t <= lo + 1e-9)
    at_hi = np.isfinite(hi) & (t >= hi - 1e-9)
    theta = np.where(at_lo, lo, np.where(at_hi, hi, t))
    theta = binomial_newton(theta, at_lo | at_hi, Z, y, sw, pen)
    f, g = binomial_fg(theta, Z, y, sw, pen)
    kkt_check(name, theta, g, lo, hi, at_lo, at_hi)
    log(f"{name}: L-BFGS-B ({res.nit} it) vs refined: rel {rel(t, theta):.2e}, objective {f:.17g}")
    assert rel(t, theta) < 1e-5
    return theta, f, at_lo, at_hi


# ---- the bounded Spark objective, multinomial ------------------------------
# T = K x (p + 1): [b_k, w_k1..w_kp] per class; pen (p,) = reg * s^2.
def multinomial_fg(T, Z, Y, sw, pen):
    M = Z @ T.T
    lse = sp.logsumexp(M, axis=1)
    n = Z.shape[0]
    W = sw.sum()
    f = (sw * (lse - M[np.arange(n), Y])).sum() / W + 0.5 * (pen[None, :] * T[:, 1:] ** 2).sum()
    P = np.exp(M - lse[:, None])
    P[np.arange(n), Y] -= 1.0
    G = (sw[:, None] * P).T @ Z / W
    G[:, 1:] += pen[None, :] * T[:, 1:]
    return f, G


def multinomial_newton(T, fixed, Z, Y, sw, pen, iters=200):
    """Newton on the free entries of T; the Hessian is singular along the
    common intercept shift, so the minimum-norm (lstsq) step is taken."""
    K, q = T.shape
    T = T.copy()
    free = ~fixed.ravel()
    W = sw.sum()
    for _ in range(iters):
        f, G = multinomial_fg(T, Z, Y, sw, pen)
        M = Z @ T.T
        P = np.exp(M - sp.logsumexp(M, axis=1)[:, None])
        H = np.zeros((K * q, K * q))
        for k in range(K):
            for l in range(K):
                d = sw * P[:, k] * ((k == l) - P[:, l]) / W
                blk = Z.T @ (d[:, None] * Z)
                if k == l:
                    blk[1:, 1:] += np.diag(pen)
                H[k * q:(k + 1) * q, l * q:(l + 1) * q] = blk
        step = np.linalg.lstsq(H[np.ix_(free, free)], G.ravel()[free], rcond=None)[0]
        flat = T.ravel()
        flat[free] -= step
        T = flat.reshape(K, q)
        if np.abs(step).max() < 1e-15 * max(1.0, np.abs(T).max()):
            break
    return T


def std1(X):
    """Spark's unbiased std (unweighted: ddof 1)."""
    return X.std(axis=0, ddof=1)


rng = np.random.default_rng(SEED)

spector = sm.datasets.spector.load_pandas()
SX = spector.exog[["GPA", "TUCE", "PSI"]].to_numpy(dtype=float)
Sy = spector.endog.to_numpy(dtype=float)
SZ = np.column_stack([np.ones(len(Sy)), SX])
iris = load_iris()
IX = np.asarray(iris.data, dtype=float)
Iy = np.asarray(iris.target, dtype=np.int64)
IZ = np.column_stack([np.ones(len(Iy)), IX])

# =========================================================================
section("1. Box bounds, binomial, on spector (SPECTOR_X, SPECTOR_Y of logreg_refs.h).\n"
        "Bounds are in the original scale: lower/upper on [GPA, TUCE, PSI] and on the intercept.\n"
        "Reference = exact optimum of the bounded problem (L-BFGS-B active set, exact refinement,\n"
        "KKT checked: see the notes at the top).")

lo_c = np.array([-np.inf, -np.inf, 0.0])
hi_c = np.array([1.5, np.inf, 2.0])
lo_b, hi_b = -9.0, np.inf
lo = np.r_[lo_b, lo_c]
hi = np.r_[hi_b, hi_c]
arr("BOUNDS_SPECTOR_LOWER_COEF", lo_c, "lower bounds on [GPA, TUCE, PSI]")
arr("BOUNDS_SPECTOR_UPPER_COEF", hi_c, "upper bounds on [GPA, TUCE, PSI]")
scalar("BOUNDS_SPECTOR_LOWER_INTERCEPT", lo_b, "lower bound on the intercept (upper: none)")

ones = np.ones(len(Sy))
theta, f, at_lo, at_hi = solve_bounded("spector bounded unpenalised", SZ, Sy, ones, np.zeros(4), lo, hi)
# statsmodels cross-check: the free columns fitted with the fixed part as offset
fixed = at_lo | at_hi
glm = sm.GLM(Sy, SZ[:, ~fixed], family=sm.families.Binomial(),
             offset=SZ[:, fixed] @ theta[fixed]).fit(tol=1e-13, maxiter=100)
r = rel(glm.params, theta[~fixed])
log(f"spector bounded unpenalised: statsmodels GLM(Binomial, offset=fixed part) on the free columns "
    f"agrees to {r:.2e}")
assert r < 1e-10
call = ("exact bounded optimum; free part = sm.GLM(y, Z[:, free], family=Binomial(), "
        "offset=Z[:, fixed] @ bounds).fit(tol=1e-13)")
arr("BOUNDS_SPECTOR_COEF", theta[1:], call + " [GPA, TUCE, PSI]")
scalar("BOUNDS_SPECTOR_INTERCEPT", theta[0], "intercept of that optimum")
scalar("BOUNDS_SPECTOR_OBJECTIVE", f, "mean log-loss at that optimum")

# L2 with bounds, standardization off and on
reg = 0.01
s = std1(SX)
lo2_c = np.array([-np.inf, 0.12, 0.0])
hi2_c = np.array([0.6, np.inf, 0.8])
lo2 = np.r_[-np.inf, lo2_c]
hi2 = np.r_[-6.5, hi2_c]
scalar("BOUNDS_SPECTOR_L2_REG", reg, "reg_param")
arr("BOUNDS_SPECTOR_L2_LOWER_COEF", lo2_c, "lower bounds on [GPA, TUCE, PSI] (intercept: none)")
scalar("BOUNDS_SPECTOR_L2_UPPER_INTERCEPT", hi2[0], "upper bound on the intercept")
arr("BOUNDS_SPECTOR_L2_UPPER_COEF", hi2_c, "upper bounds on [GPA, TUCE, PSI]")
for stdz, tag, pen in [(0, "OFF", reg * np.ones(3)), (1, "ON", reg * s * s)]:
    name = f"spector bounded L2 standardization {tag.lower()}"
    theta, f, at_lo, at_hi = solve_bounded(name, SZ, Sy, ones, np.r_[0.0, pen], lo2, hi2)
    what = ("mean log-loss + reg/2 |w|^2" if not stdz else
            "mean log-loss + reg/2 sum (w_j s_j)^2, s = SPECTOR_X.std(axis=0, ddof=1) (Spark's standardization)")
    arr(f"BOUNDS_SPECTOR_L2_STD_{tag}_COEF", theta[1:], f"exact bounded optimum of {what} [GPA, TUCE, PSI]")
    scalar(f"BOUNDS_SPECTOR_L2_STD_{tag}_INTERCEPT", theta[0], "intercept")
    scalar(f"BOUNDS_SPECTOR_L2_STD_{tag}_OBJECTIVE", f, "objective at that optimum")
arr("SPECTOR_STD1", s, "SPECTOR_X.std(axis=0, ddof=1)")

# multinomial with bounds on the coefficients (k x p)
section("2. Box bounds, multinomial, iris (IRIS_X, IRIS_Y), L2 reg 1e-2, standardization off and on.\n"
        "Bounds on the 3 x 4 coefficients only; intercepts free, so compare them centred.")
reg = 0.01
lo_m = np.full((3, 4), -np.inf)
hi_m = np.full((3, 4), np.inf)
hi_m[2, 3] = 1.0   # virginica, petal width
lo_m[0, 2] = -1.0  # setosa, petal length
lo_m[1, 1] = -0.5  # versicolor, sepal width
arr("BOUNDS_IRIS_LOWER_COEF", lo_m, "lower bounds (3 classes x 4 features)")
arr("BOUNDS_IRIS_UPPER_COEF", hi_m, "upper bounds (3 classes x 4 features)")
scalar("BOUNDS_IRIS_REG", reg, "reg_param")
si = std1(IX)
def solve_iris_bounded(name, pen, lo_t, hi_t, centre):
    """As solve_bounded for the 3 x 5 softmax parameters [b_k, w_k]; the
    intercepts are centred when no intercept bound fixes their shift."""
    res = opt.minimize(lambda t: (lambda fg: (fg[0], fg[1].ravel()))(
                           multinomial_fg(t.reshape(3, 5), IZ, Iy, np.ones(150), pen)),
                       np.clip(np.zeros(15), lo_t.ravel(), hi_t.ravel()), jac=True, method="L-BFGS-B",
                       bounds=list(zip(lo_t.ravel(), hi_t.ravel())),
                       options=dict(ftol=0.0, gtol=1e-12, maxiter=20000, maxcor=20))
    t = res.x.reshape(3, 5)
    at_lo = np.isfinite(lo_t) & (t <= lo_t + 1e-9)
    at_hi = np.isfinite(hi_t) & (t >= hi_t - 1e-9)
    T = np.where(at_lo, lo_t, np.where(at_hi, hi_t, t))
    T = multinomial_newton(T, at_lo | at_hi, IZ, Iy, np.ones(150), pen)
    tc = t.copy()
    if centre:
        T[:, 0] -= T[:, 0].mean()
        tc[:, 0] -= tc[:, 0].mean()
    f, G = multinomial_fg(T, IZ, Iy, np.ones(150), pen)
    kkt_check(name, T.ravel(), G.ravel(), lo_t.ravel(), hi_t.ravel(), at_lo.ravel(), at_hi.ravel())
    log(f"{name}: L-BFGS-B ({res.nit} it) vs refined rel {rel(tc, T):.2e}, objective {f:.17g}")
    assert rel(tc, T) < 1e-5
    return T, f


lo_t = np.column_stack([np.full(3, -np.inf), lo_m])
hi_t = np.column_stack([np.full(3, np.inf), hi_m])
for stdz, tag, pen in [(0, "OFF", reg * np.ones(4)), (1, "ON", reg * si * si)]:
    T, f = solve_iris_bounded(f"iris bounded L2 standardization {tag.lower()}", pen, lo_t, hi_t, True)
    what = "reg/2 |W|^2" if not stdz else "reg/2 sum (W_kj s_j)^2, s = IRIS_X.std(axis=0, ddof=1)"
    arr(f"BOUNDS_IRIS_STD_{tag}_COEF", T[:, 1:], f"exact bounded optimum of mean log-loss + {what} (3 x 4)")
    arr(f"BOUNDS_IRIS_STD_{tag}_INTERCEPT", T[:, 0], "intercepts, centred (sum 0)")
    scalar(f"BOUNDS_IRIS_STD_{tag}_OBJECTIVE", f, "objective at that optimum")

# intercept bounds too: they fix the common shift (b_0 - b_2 <= 16 binds), so
# the answer is unique without centring, as Spark leaves it
lo_i = np.array([-np.inf, -np.inf, -10.0])
hi_i = np.array([6.0, np.inf, np.inf])
lo_t[:, 0] = lo_i
hi_t[:, 0] = hi_i
arr("BOUNDS_IRIS_LOWER_INTERCEPT", lo_i, "lower bounds on the 3 intercepts")
arr("BOUNDS_IRIS_UPPER_INTERCEPT", hi_i, "upper bounds on the 3 intercepts")
T, f = solve_iris_bounded("iris bounded coefficients and intercepts, L2 standardization off",
                          reg * np.ones(4), lo_t, hi_t, False)
arr("BOUNDS_IRIS_ICPT_COEF", T[:, 1:], "exact bounded optimum of mean log-loss + reg/2 |W|^2 with the "
    "coefficient and intercept bounds (3 x 4)")
arr("BOUNDS_IRIS_ICPT_INTERCEPT", T[:, 0], "intercepts (not centred: the bounds fix them)")
scalar("BOUNDS_IRIS_ICPT_OBJECTIVE", f, "objective at that optimum")


# =========================================================================
section("3. Metrics: scikit-learn's log_loss, accuracy_score and roc_auc_score on the\n"
        "reference model's predict_proba (binomial AUC on P(1); multinomial\n"
        "multi_class='ovr', average='macro'). Every ranking below is robust: tied scores\n"
        "come only from identical rows, and distinct scores differ by far more than a\n"
        "1e-9 change of the margins would move them (checked here).")


def robust_ranking(name, P, Xrows):
    """Each score column: ties only between identical rows; distinct
    neighbours apart by more than 1e-6 p (1 - p) (a margin change of 1e-6)."""
    for c in range(P.shape[1]):
        order = np.argsort(P[:, c], kind="stable")
        p = P[order, c]
        for a, b, ia, ib in zip(p[:-1], p[1:], order[:-1], order[1:]):
            if a == b:
                assert np.array_equal(Xrows[ia], Xrows[ib]), f"{name}: tie of distinct rows"
            else:
                assert b - a > 1e-6 * b * (1 - b) + 1e-15, f"{name}: scores {a!r} {b!r} too close"


def metrics(name, model, X, y, w=None, binomial=True):
    P = model.predict_proba(X)
    robust_ranking(name, P, X)
    ll = log_loss(y, P, sample_weight=w, labels=model.classes_)
    acc = accuracy_score(y, model.predict(X), sample_weight=w)
    if binomial:
        auc = roc_auc_score(y, P[:, 1], sample_weight=w)
        # predict's rule (margin > 0) is P(1) > 0.5; no row sits near the threshold
        assert np.abs(P[:, 1] - 0.5).min() > 1e-6
    else:
        auc = roc_auc_score(y, P, multi_class="ovr", average="macro", sample_weight=w)
        top = np.sort(P, axis=1)
        assert (top[:, -1] - top[:, -2]).min() > 1e-6
    # log_loss clips at 1e-15: check it did not matter
    own = P[np.arange(len(y)), np.searchsorted(model.classes_, y)]
    direct = np.average(-np.log(own), weights=w)
    assert abs(direct - ll) <= 1e-14 * ll, (direct, ll)
    wsum = float(len(y) if w is None else np.sum(w))
    log(f"{name}: log_loss {ll:.17g}, accuracy {acc:.17g}, auc {auc:.17g}, weight sum {wsum:g}")
    return ll, acc, auc, wsum


def emit_metrics(tag, vals, call):
    arr(f"METRICS_{tag}", vals, call + "; [log_loss, accuracy, auc, weight_sum]")


def model_of(coef, intercept, classes):
    """A LogisticRegression carrying given coefficients (for its predict_proba)."""
    m = LogisticRegression(multi_class="multinomial" if len(classes) > 2 else "auto")
    m.coef_ = np.atleast_2d(np.asarray(coef, float))
    m.intercept_ = np.atleast_1d(np.asarray(intercept, float))
    m.classes_ = np.asarray(classes)
    return m


# spector, unpenalised, all rows
res = sm.Logit(Sy, SZ).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
ms = model_of(res.params[1:], res.params[0], [0.0, 1.0])
assert np.allclose(ms.predict_proba(SX)[:, 1], res.predict(SZ), rtol=1e-14, atol=0)
emit_metrics("SPECTOR", metrics("spector unpenalised, training rows", ms, SX, Sy),
             "sm.Logit(y, add_constant(SPECTOR_X)).fit(method='newton', tol=1e-12) as a LogisticRegression, "
             "metrics on the training rows")
w_sp = rng.integers(0, 4, size=len(Sy)).astype(float)
arr("METRICS_SPECTOR_W", w_sp, "rng.integers(0, 4, 32): evaluation weights (zeros included)")
emit_metrics("SPECTOR_WEIGHTED", metrics("spector unpenalised, weighted evaluation", ms, SX, Sy, w_sp),
             "the same model, sample_weight=METRICS_SPECTOR_W")

# ties: PSI alone (a binary feature: two distinct scores)
res_t = sm.Logit(Sy, SZ[:, [0, 3]]).fit(disp=0, method="newton", tol=1e-12, maxiter=100)
mt = model_of(res_t.params[1:], res_t.params[0], [0.0, 1.0])
Xt = SX[:, [2]]
scalar("TIES_PSI_INTERCEPT", res_t.params[0], "sm.Logit(y, add_constant(SPECTOR_X[:, [2]])) .params[0] (PSI only)")
scalar("TIES_PSI_COEF", res_t.params[1], ".params[1]")
emit_metrics("TIES", metrics("PSI only (two tied score groups), training rows", mt, Xt, Sy),
             "that model on its training rows (16 and 14 rows tie)")
emit_metrics("TIES_WEIGHTED", metrics("PSI only, weighted", mt, Xt, Sy, w_sp),
             "that model, sample_weight=METRICS_SPECTOR_W")


def iris_newton(X, y, reg):
    Z = np.column_stack([np.ones(len(y)), X])
    T = multinomial_newton(np.zeros((3, 5)), np.zeros((3, 5), bool), Z, y, np.ones(len(y)),
                           reg * np.ones(4))
    T[:, 0] -= T[:, 0].mean()
    f, G = multinomial_fg(T, Z, y, np.ones(len(y)), reg * np.ones(4))
    assert np.abs(G).max() < 1e-14
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sk = LogisticRegression(C=1.0 / (len(y) * reg), tol=1e-12, max_iter=10000, solver="newton-cg",
                                multi_class="multinomial").fit(X, y)
    r = rel(np.c_[sk.intercept_ - sk.intercept_.mean(), sk.coef_], T)
    assert r < 1e-7
    return T, r


# iris multinomial L2 1e-2, standardization off, all rows
T, r = iris_newton(IX, Iy, 0.01)
mi = model_of(T[:, 1:], T[:, 0], [0, 1, 2])
log(f"iris L2 1e-2: own Newton vs sklearn newton-cg rel {r:.2e}")
emit_metrics("IRIS", metrics("iris multinomial L2 1e-2, training rows", mi, IX, Iy, binomial=False),
             "iris multinomial L2 reg 1e-2 standardization off (exact Newton optimum, = IRIS_L2_1E2 of "
             f"logreg_refs.h to {r:.0e}) as a LogisticRegression, metrics on the training rows")

# iris held out: train on rows i % 5 != 4, evaluate on i % 5 == 4 with weights
train = np.arange(150) % 5 != 4
T, r = iris_newton(IX[train], Iy[train], 0.01)
mh = model_of(T[:, 1:], T[:, 0], [0, 1, 2])
w_ir = rng.uniform(0.5, 2.0, size=(~train).sum())
log(f"iris held-out fit: own Newton vs sklearn newton-cg rel {r:.2e}")
arr("METRICS_IRIS_HELDOUT_W", w_ir, "rng.uniform(0.5, 2, 30): weights of the held-out rows i % 5 == 4")
arr("METRICS_IRIS_HELDOUT_COEF", T[:, 1:], "iris rows i % 5 != 4, L2 1e-2, standardization off: coefficients")
arr("METRICS_IRIS_HELDOUT_INTERCEPT", T[:, 0], "intercepts (centred)")
emit_metrics("IRIS_HELDOUT", metrics("iris held-out, weighted", mh, IX[~train], Iy[~train], w_ir, binomial=False),
             "that model on IRIS rows i % 5 == 4, sample_weight=METRICS_IRIS_HELDOUT_W")

# breast cancer subset (standardized columns 0, 1, 4, 7), L2 1e-2: held-out binomial
bc = load_breast_cancer()
BX = StandardScaler().fit_transform(np.asarray(bc.data, float))[:, [0, 1, 4, 7]]
By = np.asarray(bc.target, float)
train = np.arange(len(By)) % 4 != 3
reg = 0.01
Zb = np.column_stack([np.ones(train.sum()), BX[train]])
theta = binomial_newton(np.zeros(5), np.zeros(5, bool), Zb, By[train], np.ones(train.sum()),
                        np.r_[0.0, reg * np.ones(4)])
f, g = binomial_fg(theta, Zb, By[train], np.ones(train.sum()), np.r_[0.0, reg * np.ones(4)])
assert np.abs(g).max() < 1e-14
sk = LogisticRegression(C=1.0 / (train.sum() * reg), tol=1e-12, max_iter=10000,
                        solver="newton-cholesky").fit(BX[train], By[train])
r = rel(np.r_[sk.intercept_, sk.coef_[0]], theta)
log(f"breast_cancer subset held-out fit: own Newton vs sklearn newton-cholesky rel {r:.2e}")
assert r < 1e-9
mb = model_of(theta[1:], theta[0], [0.0, 1.0])
w_bc = rng.uniform(0.0, 3.0, size=(~train).sum())
lines.append("/* BC_SUB design: sklearn StandardScaler().fit_transform(breast_cancer.data)[:, [0, 1, 4, 7]]\n"
             " * (= the Z[:, BC_SUB_COLS] of logreg_refs.h); train rows i % 4 != 3, held out i % 4 == 3. */")
arr("METRICS_BC_HELDOUT_W", w_bc, "rng.uniform(0, 3, 142): weights of the held-out rows")
arr("METRICS_BC_HELDOUT_COEF", theta[1:], "L2 reg 1e-2 standardization off on the train rows "
    "(exact Newton; sklearn newton-cholesky agrees)")
scalar("METRICS_BC_HELDOUT_INTERCEPT", theta[0], "intercept")
emit_metrics("BC_TRAIN", metrics("breast_cancer subset, training rows", mb, BX[train], By[train]),
             "that model on its training rows")
emit_metrics("BC_HELDOUT", metrics("breast_cancer subset held-out, weighted", mb, BX[~train], By[~train], w_bc),
             "that model on the held-out rows, sample_weight=METRICS_BC_HELDOUT_W")

# =========================================================================
body = "\n".join(lines)
head = [
    "/* logreg_more_refs.h - GENERATED by tests/data/logreg/gen_logreg_more_refs.py; do not edit.",
    f" * python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}, "
    f"scikit-learn {sklearn.__version__}, statsmodels {statsmodels.__version__}",
    f" * seed: numpy.random.default_rng({SEED}), draws in file order (METRICS_SPECTOR_W, "
    "METRICS_IRIS_HELDOUT_W, METRICS_BC_HELDOUT_W).",
    " * Data arrays are those of logreg_refs.h (include it first).",
    " * Checks printed by the script when it ran:",
] + [" *   " + s for s in notes] + [
    " * Arrays are flat row-major doubles with _ROWS/_COLS (2-D) or _LEN (1-D) macros. */",
    "#ifndef SHEAF_TESTS_LOGREG_MORE_REFS_H",
    "#define SHEAF_TESTS_LOGREG_MORE_REFS_H",
    "",
    "#include <math.h>",
    "",
]
with open(OUT, "w") as fh:
    fh.write("\n".join(head) + "\n" + body + "\n#endif /* SHEAF_TESTS_LOGREG_MORE_REFS_H */\n")
print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")
