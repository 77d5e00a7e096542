#!/usr/bin/python3
"""Writes refs.h: reference values for the sheaf linalg tests.

Run from anywhere with /usr/bin/python3 (numpy, scipy, mpmath from Debian 12):
    /usr/bin/python3 tests/data/linalg/gen_linalg_refs.py
Every matrix is drawn from numpy.random.default_rng(SEED) in the order below,
so rerunning reproduces refs.h byte for byte with the same numpy/scipy.
The header of refs.h records the versions, the seed and each call.
"""
import os
import sys

import numpy as np
import scipy
import scipy.stats as st
import mpmath as mp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from refgen import fmt  # noqa: E402

SEED = 20240601
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "refs.h")

lines = []
calls = []


def arr(name, a, call):
    """A flat row-major static const double array plus its shape macros."""
    a = np.asarray(a, dtype=float)
    calls.append(f"{name}: {call}")
    flat = a.reshape(-1)
    body = ",\n    ".join(
        ", ".join(fmt(x) for x in flat[i:i + 4]) for i in range(0, len(flat), 4)
    )
    lines.append(f"/* {call} */")
    if a.ndim == 2:
        lines.append(f"#define {name}_ROWS {a.shape[0]}")
        lines.append(f"#define {name}_COLS {a.shape[1]}")
    else:
        lines.append(f"#define {name}_LEN {a.size}")
    lines.append(f"static const double {name}[{max(flat.size, 1)}] = {{\n    {body}}};\n")


def scalar(name, v, call):
    calls.append(f"{name}: {call}")
    lines.append(f"/* {call} */")
    lines.append(f"static const double {name} = {fmt(v)};\n")


rng = np.random.default_rng(SEED)

# ---- BLAS ------------------------------------------------------------------
A = rng.standard_normal((3, 4))
B = rng.standard_normal((4, 2))
C0 = rng.standard_normal((3, 2))
alpha, beta = 1.5, -0.5
arr("GEMM_A", A, "A = rng.standard_normal((3, 4))")
arr("GEMM_B", B, "B = rng.standard_normal((4, 2))")
arr("GEMM_C0", C0, "C0 = rng.standard_normal((3, 2))")
arr("GEMM_AT", A.T, "A.T (4x3)")
arr("GEMM_BT", B.T, "B.T (2x4)")
arr("GEMM_EXPECTED", alpha * A @ B + beta * C0, "1.5 * A @ B - 0.5 * C0")
x4 = rng.standard_normal(4)
y3 = rng.standard_normal(3)
arr("GEMV_X", x4, "x = rng.standard_normal(4)")
arr("GEMV_Y0", y3, "y0 = rng.standard_normal(3)")
arr("GEMV_EXPECTED", alpha * A @ x4 + beta * y3, "1.5 * A @ x - 0.5 * y0")
arr("GEMV_T_EXPECTED", alpha * A.T @ y3 + beta * x4, "1.5 * A.T @ y0 - 0.5 * x")
X = rng.standard_normal((5, 3))
arr("SYRK_X", X, "X = rng.standard_normal((5, 3))")
arr("SYRK_GRAM", X.T @ X, "X.T @ X")
arr("SYRK_OUTER", 2.0 * X @ X.T, "2 * X @ X.T")

# ---- Cholesky, SPD inverse, logdet ----------------------------------------
G = rng.standard_normal((6, 4))
S = G.T @ G + 0.5 * np.eye(4)
Bs = rng.standard_normal((4, 2))
arr("SPD_A", S, "G = rng.standard_normal((6, 4)); S = G.T @ G + 0.5 * I")
arr("SPD_L", np.linalg.cholesky(S), "numpy.linalg.cholesky(S)")
arr("SPD_B", Bs, "Bs = rng.standard_normal((4, 2))")
arr("SPD_SOLVE", np.linalg.solve(S, Bs), "numpy.linalg.solve(S, Bs)")
arr("SPD_INV", np.linalg.inv(S), "numpy.linalg.inv(S)")
scalar("SPD_LOGDET", np.linalg.slogdet(S)[1], "numpy.linalg.slogdet(S)[1]")
M = rng.standard_normal((4, 4))
sgn, lad = np.linalg.slogdet(M)
if sgn > 0:  # make the sign negative so the test covers it
    M[[0, 1]] = M[[1, 0]]
    sgn, lad = np.linalg.slogdet(M)
arr("GEN_A", M, "M = rng.standard_normal((4, 4)), rows 0 and 1 swapped if det > 0")
scalar("GEN_SIGN", sgn, "numpy.linalg.slogdet(M)[0]")
scalar("GEN_LOGABSDET", lad, "numpy.linalg.slogdet(M)[1]")

# ---- least squares ---------------------------------------------------------
Z = rng.standard_normal((8, 3))
R = np.column_stack([Z[:, 0], Z[:, 1], Z[:, 0] + 2.0 * Z[:, 1], Z[:, 2]])
Yr = rng.standard_normal((8, 2))
sol, _, rank, _ = np.linalg.lstsq(R, Yr, rcond=None)
arr("LSTSQ_RD_A", R, "Z = rng.standard_normal((8, 3)); A = [z0, z1, z0 + 2 z1, z2]")
arr("LSTSQ_RD_B", Yr, "B = rng.standard_normal((8, 2))")
arr("LSTSQ_RD_X", sol, "numpy.linalg.lstsq(A, B, rcond=None)[0] (minimum norm)")
scalar("LSTSQ_RD_RANK", rank, "numpy.linalg.lstsq(A, B, rcond=None)[2]")
F = rng.standard_normal((10, 3))
yf = rng.standard_normal((10, 1))
arr("LSTSQ_FULL_A", F, "F = rng.standard_normal((10, 3))")
arr("LSTSQ_FULL_B", yf, "y = rng.standard_normal((10, 1))")
arr("LSTSQ_FULL_X", np.linalg.lstsq(F, yf, rcond=None)[0], "numpy.linalg.lstsq(F, y)[0]")
U = rng.standard_normal((3, 5))
yu = rng.standard_normal((3, 1))
arr("LSTSQ_WIDE_A", U, "U = rng.standard_normal((3, 5))")
arr("LSTSQ_WIDE_B", yu, "y = rng.standard_normal((3, 1))")
arr("LSTSQ_WIDE_X", np.linalg.lstsq(U, yu, rcond=None)[0], "numpy.linalg.lstsq(U, y)[0] (minimum norm)")

# ---- eigenvalues and polynomial roots -------------------------------------
H = rng.standard_normal((5, 5))
Hs = H + H.T
arr("EIGH_A", Hs, "H = rng.standard_normal((5, 5)); H + H.T")
arr("EIGH_W", np.linalg.eigvalsh(Hs), "numpy.linalg.eigvalsh(H + H.T)")
E = rng.standard_normal((5, 5))
ev = np.linalg.eigvals(E)
arr("EIG_A", E, "E = rng.standard_normal((5, 5))")
arr("EIG_RE", ev.real, "numpy.linalg.eigvals(E).real")
arr("EIG_IM", ev.imag, "numpy.linalg.eigvals(E).imag")
# sheaf takes coefficients lowest power first; numpy.roots highest first.
polys = {
    "ROOTS_CUBIC": [-6.0, 11.0, -6.0, 1.0],
    "ROOTS_COMPLEX": [5.0, 1.0, -3.0, 2.0, 1.0],
    "ROOTS_ZERO": [0.0, 0.0, 2.0, -3.0, 1.0, 4.0],
}
for name, c in polys.items():
    r = np.roots(c[::-1])
    arr(name + "_C", c, "coefficients, lowest power first")
    arr(name + "_RE", r.real, f"numpy.roots({c[::-1]}).real")
    arr(name + "_IM", r.imag, f"numpy.roots({c[::-1]}).imag")

# ---- distributions: rows are {x, df..., cdf, sf} and {p, df..., ppf} -------
# The reference is the exact value to 17 digits, from mpmath at 50 digits
# (incomplete beta and gamma functions; quantiles by root finding on
# log tail(x) = log p). scipy.stats is the cross-check: its cdf/sf must agree
# to SCIPY_TAIL_RTOL; its ppf only to SCIPY_PPF_RTOL, because scipy 1.10's
# f.ppf and t.ppf lose up to ~1e-5 relative at p = 1e-12 (the maxima found
# are written into refs.h).
mp.mp.dps = 50
SCIPY_TAIL_RTOL = 1e-12
SCIPY_PPF_RTOL = 1e-4
worst = {"tail": 0.0, "ppf": 0.0}


def mp_tails(kind, x, a=None, b=None):
    """(cdf, sf) at x as mpf."""
    x = mp.mpf(x)
    if kind == "norm":
        return mp.ncdf(x), mp.ncdf(-x)
    if kind == "t":
        a = mp.mpf(a)
        far = mp.betainc(a / 2, mp.mpf(1) / 2, 0, a / (a + x * x), regularized=True) / 2
        return (far, 1 - far) if x < 0 else (1 - far, far)
    if kind == "chi2":
        k = mp.mpf(a) / 2
        return (mp.gammainc(k, 0, x / 2, regularized=True),
                mp.gammainc(k, x / 2, mp.inf, regularized=True))
    d1, d2 = mp.mpf(a), mp.mpf(b)
    # Both tails as integrals from 0, so neither is a difference of near-equals.
    return (mp.betainc(d1 / 2, d2 / 2, 0, d1 * x / (d1 * x + d2), regularized=True),
            mp.betainc(d2 / 2, d1 / 2, 0, d2 / (d1 * x + d2), regularized=True))


def mp_ppf(kind, p, start, a=None, b=None):
    p = mp.mpf(p)  # the double p exactly
    upper = p > mp.mpf(1) / 2
    target = mp.log(1 - p if upper else p)
    positive = kind in ("chi2", "f")

    def g(u):
        x = mp.exp(u) if positive else u
        return mp.log(mp_tails(kind, x, a, b)[1 if upper else 0]) - target

    if kind in ("norm", "t") and p == mp.mpf(1) / 2:
        return mp.mpf(0)
    u0 = mp.log(start) if positive else mp.mpf(start)
    root = mp.findroot(g, (u0, u0 * (1 + mp.mpf("1e-6")) + mp.mpf("1e-9")), solver="secant",
                       tol=mp.mpf("1e-40"), maxsteps=200)
    return mp.exp(root) if positive else root


def rel(got, want):
    """Relative gap; values below the normal range (1e-300) count as equal."""
    if got == want or (abs(got) < 1e-300 and abs(want) < 1e-300):
        return 0.0
    return abs(got - want) / (abs(want) if want != 0 else 1.0)


def tail_rows(kind, scipy_dist, xs, shapes):
    rows = []
    for sh in shapes:
        for x in xs:
            c, s = mp_tails(kind, x, *sh)
            c, s = float(c), float(s)
            worst["tail"] = max(worst["tail"], rel(scipy_dist.cdf(x, *sh), c),
                                rel(scipy_dist.sf(x, *sh), s))
            rows.append([x, *sh, c, s])
    return rows


def ppf_rows(kind, scipy_dist, ps, shapes):
    rows = []
    for sh in shapes:
        for p in ps:
            q0 = scipy_dist.ppf(p, *sh)
            q = float(mp_ppf(kind, p, q0, *sh))
            worst["ppf"] = max(worst["ppf"], rel(q0, q))
            rows.append([p, *sh, q])
    return rows


def table(name, rows, call):
    rows = np.asarray(rows, dtype=float)
    calls.append(f"{name}: {call}")
    lines.append(f"/* {call} */")
    lines.append(f"#define {name}_ROWS {rows.shape[0]}")
    body = ",\n    ".join("{" + ", ".join(fmt(v) for v in r) + "}" for r in rows)
    lines.append(f"static const double {name}[][{rows.shape[1]}] = {{\n    {body}}};\n")


PS = [1e-300, 1e-12, 1e-3, 0.05, 0.5, 0.9, 0.999, 1 - 1e-10]
XN = [-38.0, -10.0, -1.5, 0.0, 0.3, 2.0, 8.5, 37.0]
table("DIST_NORM_CDF", tail_rows("norm", st.norm, XN, [()]),
      "{x, cdf, sf}: mpmath.ncdf(x), mpmath.ncdf(-x); checked against scipy.stats.norm")
table("DIST_NORM_PPF", ppf_rows("norm", st.norm, PS, [()]),
      "{p, ppf}: root of log ncdf(x) = log p (upper tail for p > 1/2); scipy.stats.norm.ppf as start")
TDF = [1.0, 2.5, 5.0, 30.0, 1000.0]
XT = [-50.0, -3.0, -0.5, 0.0, 1.2, 4.0, 60.0]
table("DIST_T_CDF", tail_rows("t", st.t, XT, [(d,) for d in TDF]),
      "{x, df, cdf, sf}: betainc(df/2, 1/2, 0, df/(df+x^2))/2 and complement; checked against scipy.stats.t")
table("DIST_T_PPF", ppf_rows("t", st.t, PS[1:], [(d,) for d in TDF]),
      "{p, df, ppf}: root finding on the mpmath tails; scipy.stats.t.ppf as start")
CDF = [1.0, 3.0, 10.0, 100.0]
XC = [1e-6, 0.5, 3.0, 20.0, 200.0, 600.0]
table("DIST_CHI2_CDF", tail_rows("chi2", st.chi2, XC, [(d,) for d in CDF]),
      "{x, df, cdf, sf}: mpmath.gammainc(df/2, ..., regularized=True); checked against scipy.stats.chi2")
table("DIST_CHI2_PPF", ppf_rows("chi2", st.chi2, PS[1:], [(d,) for d in CDF]),
      "{p, df, ppf}: root finding on the mpmath tails; scipy.stats.chi2.ppf as start")
FDF = [(1.0, 10.0), (3.0, 50.0), (12.0, 7.0), (40.0, 200.0)]
XF = [0.01, 0.5, 1.0, 4.0, 100.0, 1e4]
table("DIST_F_CDF", tail_rows("f", st.f, XF, FDF),
      "{x, df1, df2, cdf, sf}: mpmath.betainc(df1/2, df2/2, ...); checked against scipy.stats.f")
table("DIST_F_PPF", ppf_rows("f", st.f, PS[1:], FDF),
      "{p, df1, df2, ppf}: root finding on the mpmath tails; scipy.stats.f.ppf as start")
assert worst["tail"] <= SCIPY_TAIL_RTOL, worst
assert worst["ppf"] <= SCIPY_PPF_RTOL, worst

head = [
    "/* refs.h - GENERATED by tests/data/linalg/gen_linalg_refs.py; do not edit.",
    f" * python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__},"
    f" mpmath {mp.__version__}",
    f" * distributions: mpmath at {mp.mp.dps} digits; largest relative gap to scipy.stats:"
    f" cdf/sf {worst['tail']:.2g}, ppf {worst['ppf']:.2g}",
    f" * seed: numpy.random.default_rng({SEED}), draws in file order.",
    " * Matrices are flat row-major arrays with _ROWS/_COLS macros. */",
    "#ifndef SHEAF_TESTS_LINALG_REFS_H",
    "#define SHEAF_TESTS_LINALG_REFS_H",
    "",
    "#include <math.h>",
    "",
]
with open(OUT, "w") as fh:
    fh.write("\n".join(head + lines) + "\n#endif\n")
print(f"wrote {OUT} ({len(calls)} arrays)")
