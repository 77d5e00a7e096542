#!/usr/bin/python3
"""Writes stattools_refs.h (reference values for sheaf's stationarity and
correlation tests) and src/timeseries/mackinnon_tables.c (the published
MacKinnon and KPSS tables those tests evaluate).

Run from anywhere with /usr/bin/python3 (Debian 12 packages: statsmodels
0.13.5, numpy 1.24, scipy 1.10, pandas 1.5; R 4.2 with r-cran-urca and
r-cran-tseries for the cross-checks):
    /usr/bin/python3 tests/data/timeseries/gen_stattools_refs.py
Data: statsmodels' bundled `macrodata` and `sunspots`, R's bundled `nottem`,
`lynx` and `LakeHuron` (dumped with Rscript), and a random walk and an AR(1)
drawn from numpy.random.default_rng(SEED); nothing is downloaded. The series
are written into the header, so the C tests read no files.

Every statsmodels number is recomputed here independently (ADF regressions
by numpy least squares with the sample conventions written out below, KPSS
by its formula, Ljung-Box and Box-Pierce from the ACF, p-values and critical
values from the tables as they appear in mackinnon_tables.c, parsed back from
that file), and ACF, PACF, Box tests, KPSS and fixed-lag ADF statistics are
compared with R. The script stops with an AssertionError when a check fails.
Rerunning with the same package versions reproduces both files byte for byte.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings

import mpmath
import numpy as np
import pandas as pd
import scipy
import scipy.linalg
import scipy.special as sp
import scipy.stats as st
import statsmodels
import statsmodels.api as sm
import statsmodels.tsa.adfvalues as adfv
from statsmodels.stats.diagnostic import acorr_ljungbox
from statsmodels.tsa.stattools import acf, adfuller, kpss, pacf

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from refgen import Header, fmt  # noqa: E402

SEED = 20260506
mpmath.mp.dps = 40
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
OUT = os.path.join(HERE, "stattools_refs.h")
TABLES_C = os.path.join(ROOT, "src", "timeseries", "mackinnon_tables.c")

header = Header()
lines, notes = header.lines, header.notes
arr = header.arr
table = header.table
comment = header.comment
section = header.section
log = header.log
TRENDS = ["n", "c", "ct", "ctt"]  # index = sh_trend value (src/timeseries/lagged.h)
AUTOLAGS = [None, "AIC", "BIC", "t-stat"]  # codes 0..3 in the ADF table


def rel(a, b):
    a = np.atleast_1d(np.asarray(a, float))
    b = np.atleast_1d(np.asarray(b, float))
    both_nan = np.isnan(a) & np.isnan(b)
    assert not np.any(np.isnan(a) ^ np.isnan(b)), "NaN pattern differs"
    d = np.abs(a - b) / np.maximum(np.abs(b), 1e-300)
    d[both_nan] = 0.0
    return float(d.max()) if d.size else 0.0


def absdiff(a, b):
    a = np.atleast_1d(np.asarray(a, float))
    b = np.atleast_1d(np.asarray(b, float))
    assert not np.any(np.isnan(a) ^ np.isnan(b)), "NaN pattern differs"
    d = np.abs(a - b)
    d[np.isnan(d)] = 0.0
    return float(d.max()) if d.size else 0.0


# =========================================================================
# R helpers: series go to R as raw little-endian doubles (exact), numbers
# come back as %.17g text.
# =========================================================================
def rscript(code):
    return subprocess.run(["Rscript", "--vanilla", "-e", code], check=True,
                          capture_output=True, text=True).stdout


def r_numbers(code_using_x, x):
    """Runs R code with vector x and parses the whitespace-separated numbers it
    prints (p17 prints at full precision)."""
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "x.bin")
        np.ascontiguousarray(x, dtype="<f8").tofile(path)
        code = (f'x <- readBin("{path}", "double", {len(x)}, size = 8, endian = "little");'
                'suppressPackageStartupMessages({library(urca); library(tseries)});'
                'p17 <- function(v) cat(sprintf("%.17g", as.numeric(v)), "\\n");' + code_using_x)
        out = rscript(code)
    return np.array([float(s) for s in out.split()])


def r_dataset(name):
    out = rscript(f'cat(sprintf("%.17g", as.numeric({name})), sep = "\\n")')
    return np.array([float(s) for s in out.split()])


R_VERSION = rscript('cat(paste(R.version$major, R.version$minor, sep = "."), '
                    'as.character(packageVersion("urca")), '
                    'as.character(packageVersion("tseries")))').split()

# =========================================================================
# Part 1: the published tables, written to src/timeseries/mackinnon_tables.c
# from statsmodels.tsa.adfvalues (which holds the same published figures),
# then parsed back from the C text and evaluated the way statsmodels'
# mackinnonp / mackinnoncrit do.
# =========================================================================
N1 = 0  # row N = 1 (one I(1) series: the ADF test)
TAU_STAR = [adfv._tau_stars[t][N1] for t in TRENDS]
TAU_MIN = [adfv._tau_mins[t][N1] for t in TRENDS]
TAU_MAX = [adfv._tau_maxs[t][N1] for t in TRENDS]
SMALLP_SCALE = [1.0, 1.0, 1e-2]
LARGEP_SCALE = [1.0, 1e-1, 1e-1, 1e-2]
assert np.array_equal(adfv.small_scaling, SMALLP_SCALE)
assert np.array_equal(adfv.large_scaling, LARGEP_SCALE)
# statsmodels stores the printed figures already multiplied by the scale; the
# printed figures have at most 4 decimals, so rounding the quotient recovers them.
SMALLP = [[round(v / s, 4) for v, s in zip(adfv._tau_smallps[t][N1], SMALLP_SCALE)] for t in TRENDS]
LARGEP = [[round(v / s, 4) for v, s in zip(adfv._tau_largeps[t][N1], LARGEP_SCALE)] for t in TRENDS]
for t, sm_, lg_ in zip(TRENDS, SMALLP, LARGEP):
    assert np.array_equal(np.array(sm_) * SMALLP_SCALE, adfv._tau_smallps[t][N1])
    assert np.array_equal(np.array(lg_) * LARGEP_SCALE, adfv._tau_largeps[t][N1])
CRIT = [adfv.tau_2010s[t][N1].tolist() for t in TRENDS]  # [trend][1%,5%,10%][b0..b3]
KPSS_LEVEL = [0.347, 0.463, 0.574, 0.739]
KPSS_TREND = [0.119, 0.146, 0.176, 0.216]
KPSS_PVALUES = [0.10, 0.05, 0.025, 0.01]


def c_list(vals):
    return "{" + ", ".join(fmt(v) for v in vals) + "}"


def c_rows(rows):
    """A 2-D initializer laid out as clang-format (the repo's .clang-format) lays it out."""
    return "{\n" + ",\n".join("    " + r for r in rows) + "}"


def c_crit(crit):
    """The 3-D critical-value initializer in clang-format's layout."""
    blocks = []
    for lev in crit:
        blocks.append("{" + ",\n      ".join(c_list(b) for b in lev) + "}")
    return "\n    {" + ",\n     ".join(blocks) + "}"


tables_c = f"""/* mackinnon_tables.c - GENERATED by tests/data/timeseries/gen_stattools_refs.py;
 * do not edit. The published tables behind the p-values and critical values of
 * the augmented Dickey-Fuller and KPSS tests, for one I(1) series (N = 1),
 * rows in sh_trend order: n (no deterministic term), c, ct, ctt.
 *
 * P-values: MacKinnon, J.G. (1994), "Approximate asymptotic distribution
 * functions for unit-root and cointegration tests", Journal of Business &
 * Economic Statistics 12(2), 167-176. For a tau statistic t:
 *   p = 0 when t < tau_min, p = 1 when t > tau_max, otherwise
 *   p = Phi(g0 + g1 t + g2 t^2)          when t <= tau_star (small p),
 *   p = Phi(g0 + g1 t + g2 t^2 + g3 t^3)  when t >  tau_star (large p),
 * Phi the standard normal CDF and g_i = printed figure i * its scale. The
 * figures are kept as printed (the paper scales some columns to keep them
 * short); the scale vectors undo that.
 *
 * Critical values: MacKinnon, J.G. (2010), "Critical values for cointegration
 * tests", Queen's Economics Department Working Paper 1227, response surfaces
 *   c(T) = b0 + b1/T + b2/T^2 + b3/T^3
 * at 1%, 5% and 10%, T the number of observations in the test regression
 * (b0 alone is the asymptotic value). The no-constant row is the one MacKinnon
 * (1996, Journal of Applied Econometrics 11, 601-618) gives; the 2010 paper
 * does not update it.
 *
 * KPSS: Kwiatkowski, D., Phillips, P.C.B., Schmidt, P. and Shin, Y. (1992),
 * "Testing the null hypothesis of stationarity against the alternative of a
 * unit root", Journal of Econometrics 54, 159-178, Table 1: upper-tail
 * critical values of eta_mu (level) and eta_tau (trend) at 10%, 5%, 2.5%, 1%.
 *
 * statsmodels' statsmodels/tsa/adfvalues.py and stattools.kpss hold the same
 * figures; the generator reads them from there and checks that evaluating
 * these tables reproduces statsmodels' mackinnonp and mackinnoncrit. */
#include "timeseries/mackinnon.h"

#include <math.h>

const double sh_mackinnon_tau_min[SH_MACKINNON_TRENDS] = {c_list(TAU_MIN)};
const double sh_mackinnon_tau_max[SH_MACKINNON_TRENDS] = {c_list(TAU_MAX)};
const double sh_mackinnon_tau_star[SH_MACKINNON_TRENDS] = {c_list(TAU_STAR)};

const double sh_mackinnon_smallp_scale[SH_MACKINNON_SMALLP_TERMS] = {c_list(SMALLP_SCALE)};
const double sh_mackinnon_smallp[SH_MACKINNON_TRENDS][SH_MACKINNON_SMALLP_TERMS] = {c_rows([c_list(r) for r in SMALLP])};

const double sh_mackinnon_largep_scale[SH_MACKINNON_LARGEP_TERMS] = {c_list(LARGEP_SCALE)};
const double sh_mackinnon_largep[SH_MACKINNON_TRENDS][SH_MACKINNON_LARGEP_TERMS] = {c_rows([c_list(r) for r in LARGEP])};

const double sh_mackinnon_crit[SH_MACKINNON_TRENDS][SH_MACKINNON_LEVELS][SH_MACKINNON_CRIT_TERMS] ={c_crit(CRIT)};

const double sh_kpss_crit_level[SH_KPSS_LEVELS] = {c_list(KPSS_LEVEL)};
const double sh_kpss_crit_trend[SH_KPSS_LEVELS] = {c_list(KPSS_TREND)};
const double sh_kpss_pvalues[SH_KPSS_LEVELS] = {c_list(KPSS_PVALUES)};
"""


def clang_format(text):
    """clang-format's output for text, or None when clang-format is absent."""
    if shutil.which("clang-format") is None:
        return None
    return subprocess.run(["clang-format", "--assume-filename=" + TABLES_C, "--style=file"],
                          input=text, check=True, capture_output=True, text=True,
                          cwd=ROOT).stdout


# the C is written already in the repo's format, so `make format-check` passes
# without running the formatter here; checked when clang-format is installed.
formatted = clang_format(tables_c)
assert formatted is None or formatted == tables_c, "mackinnon_tables.c layout differs from clang-format's"
with open(TABLES_C, "w") as fh:
    fh.write(tables_c)


def parse_c_array(text, name):
    m = re.search(r"\b" + name + r"\b[^=]*=\s*(\{.*?\});", text, re.S)
    assert m, name
    body = m.group(1).replace("INFINITY", "inf")
    return np.array([float(s) for s in re.findall(r"[-+]?(?:inf|[0-9.]+(?:e[-+]?[0-9]+)?)", body)])


C = {n: parse_c_array(tables_c, n) for n in [
    "sh_mackinnon_tau_min", "sh_mackinnon_tau_max", "sh_mackinnon_tau_star",
    "sh_mackinnon_smallp_scale", "sh_mackinnon_smallp", "sh_mackinnon_largep_scale",
    "sh_mackinnon_largep", "sh_mackinnon_crit", "sh_kpss_crit_level", "sh_kpss_crit_trend",
    "sh_kpss_pvalues"]}
C["sh_mackinnon_smallp"] = C["sh_mackinnon_smallp"].reshape(4, 3)
C["sh_mackinnon_largep"] = C["sh_mackinnon_largep"].reshape(4, 4)
C["sh_mackinnon_crit"] = C["sh_mackinnon_crit"].reshape(4, 3, 4)


def horner(coefs_low_to_high, x):
    """((c_k x + c_{k-1}) x + ...) x + c_0, as numpy.polyval evaluates it (and
    as C with -ffp-contract=off does)."""
    y = 0.0
    for c in coefs_low_to_high[::-1]:
        y = y * x + c
    return y


def table_pvalue_arg(stat, ti):
    """The normal-CDF argument and the branch, from the parsed C tables;
    None outside [tau_min, tau_max]."""
    if stat > C["sh_mackinnon_tau_max"][ti]:
        return None, 1.0
    if stat < C["sh_mackinnon_tau_min"][ti]:
        return None, 0.0
    if stat <= C["sh_mackinnon_tau_star"][ti]:
        g = C["sh_mackinnon_smallp"][ti] * C["sh_mackinnon_smallp_scale"]
    else:
        g = C["sh_mackinnon_largep"][ti] * C["sh_mackinnon_largep_scale"]
    return horner(g, stat), None


def table_pvalue(stat, ti):
    z, fixed = table_pvalue_arg(stat, ti)
    return fixed if z is None else float(sp.ndtr(z))


def table_crit(nobs, ti):
    b = C["sh_mackinnon_crit"][ti]
    if np.isinf(nobs):
        return b[:, 0].copy()
    return np.array([horner(b[k], 1.0 / nobs) for k in range(3)])


# the check of the transcription: a dense grid of statistics, the cut-offs
# themselves and their float neighbours, and a range of sample sizes.
grid = np.round(np.arange(-30.0, 5.0001, 0.05), 10)
cuts = np.r_[TAU_MIN, TAU_STAR, [v for v in TAU_MAX if np.isfinite(v)]]
grid = np.unique(np.r_[grid, cuts, np.nextafter(cuts, -np.inf), np.nextafter(cuts, np.inf)])
for ti, t in enumerate(TRENDS):
    for s in grid:
        mine = table_pvalue(s, ti)
        theirs = adfv.mackinnonp(s, regression=t, N=1)
        assert mine == theirs, (t, s, mine, theirs)  # bit for bit (scipy ndtr both sides)
    for nobs in [5, 10, 20, 25, 50, 100, 187, 250, 500, 1000, 10000, np.inf]:
        mine = table_crit(nobs, ti)
        theirs = adfv.mackinnoncrit(N=1, regression=t, nobs=nobs)
        assert np.array_equal(mine, theirs), (t, nobs, mine, theirs)
log(f"mackinnon_tables.c parsed back: mackinnonp equal bit for bit at {len(grid)} statistics x 4 "
    "trends (cut-offs and their float neighbours included); mackinnoncrit equal bit for bit at "
    "12 sample sizes x 4 trends")
assert np.array_equal(C["sh_kpss_crit_level"], KPSS_LEVEL)
assert np.array_equal(C["sh_kpss_crit_trend"], KPSS_TREND)
assert np.array_equal(C["sh_kpss_pvalues"], KPSS_PVALUES)

rng = np.random.default_rng(SEED)

# =========================================================================
# Part 2: the series
# =========================================================================
section("Series. ST_SERIES[i] / ST_SERIES_LEN[i] / ST_SERIES_NAME[i] index them in the order below;\n"
        "the ADF and KPSS tables name a series by that index.")

mdata = sm.datasets.macrodata.load_pandas().data
sun = sm.datasets.sunspots.load_pandas().data
e_ar = rng.standard_normal(400)
ar1 = np.empty(400)
ar1[0] = e_ar[0]
for t in range(1, 400):
    ar1[t] = 0.6 * ar1[t - 1] + e_ar[t]
ar1 = ar1[100:]
rw = np.cumsum(rng.standard_normal(250))

SERIES = [
    ("ST_MACRO_LOG_REALGDP", np.log(mdata["realgdp"].to_numpy(float)),
     "np.log(sm.datasets.macrodata.load_pandas().data['realgdp']) (1959Q1-2009Q3)"),
    ("ST_MACRO_DLOG_REALGDP", np.diff(np.log(mdata["realgdp"].to_numpy(float))),
     "np.diff(np.log(macrodata realgdp)) (growth; the values are in the header, so C need not rebuild them)"),
    ("ST_MACRO_REALINV", mdata["realinv"].to_numpy(float),
     "sm.datasets.macrodata.load_pandas().data['realinv'] (level)"),
    ("ST_SUNSPOTS", sun["SUNACTIVITY"].to_numpy(float),
     "sm.datasets.sunspots.load_pandas().data['SUNACTIVITY'] (1700-2008)"),
    ("ST_NOTTEM", r_dataset("nottem"), "R datasets::nottem (monthly, 1920-1939), Rscript --vanilla -e "
     "'cat(sprintf(\"%.17g\", as.numeric(nottem)), sep=\"\\n\")'"),
    ("ST_LYNX", r_dataset("lynx"), "R datasets::lynx (1821-1934), dumped the same way"),
    ("ST_LAKEHURON", r_dataset("LakeHuron"), "R datasets::LakeHuron (1875-1972), dumped the same way"),
    ("ST_GEN_RW", rw, f"np.cumsum(rng.standard_normal(250)) (random walk), rng = default_rng({SEED}) "
     "after the AR(1) draws"),
    ("ST_GEN_AR1", ar1, f"x_t = 0.6 x_(t-1) + e_t, e = default_rng({SEED}).standard_normal(400) (first "
     "draws), x_0 = e_0, first 100 dropped"),
]
SIDX = {name: i for i, (name, _, _) in enumerate(SERIES)}
assert [len(s) for _, s, _ in SERIES] == [203, 202, 203, 309, 240, 114, 98, 250, 300]
for name, x, what in SERIES:
    arr(name, x, what)
lines.append(f"#define ST_N_SERIES {len(SERIES)}")
lines.append(f"static const double *const ST_SERIES[{len(SERIES)}] = {{"
             + ", ".join(n for n, _, _ in SERIES) + "};")
lines.append(f"static const size_t ST_SERIES_LEN[{len(SERIES)}] = {{"
             + ", ".join(f"{n}_LEN" for n, _, _ in SERIES) + "};")
lines.append(f"static const char *const ST_SERIES_NAME[{len(SERIES)}] = {{"
             + ", ".join('"' + n[3:].lower() + '"' for n, _, _ in SERIES) + "};\n")
for name, _, _ in SERIES:
    lines.append(f"#define {name}_IDX {SIDX[name]}")
lines.append("")

# =========================================================================
# Part 3: MacKinnon p-values and critical values on a grid
# =========================================================================
section("MacKinnon p-values and critical values, statsmodels.tsa.adfvalues, N = 1.\n"
        "Column order of trends everywhere: n, c, ct, ctt (sh_trend order).")
pgrid = np.unique(np.r_[np.round(np.arange(-20.0, 3.0001, 0.5), 10), cuts,
                        np.nextafter(cuts, -np.inf), np.nextafter(cuts, np.inf), [-25.0, 4.0]])
prow = [[s] + [adfv.mackinnonp(s, regression=t, N=1) for t in TRENDS] for s in pgrid]
table("ST_MACKINNONP", prow, [f"stat {s!r}" for s in pgrid],
      ["stat", "p_n", "p_c", "p_ct", "p_ctt"],
      "mackinnonp(stat, regression=t, N=1) for t in n, c, ct, ctt. Includes every tau_min,\n"
      " * tau_star and finite tau_max and the doubles either side of each (nextafter): p is 0 below\n"
      " * tau_min, 1 above tau_max, and the small-p polynomial is used when stat <= tau_star.")
crow = []
ccalls = []
for ti, t in enumerate(TRENDS):
    for nobs in [10, 25, 50, 100, 187, 500, np.inf]:
        crow.append([ti, nobs] + list(adfv.mackinnoncrit(N=1, regression=t, nobs=nobs)))
        ccalls.append(f"mackinnoncrit(N=1, regression='{t}', nobs={nobs})")
table("ST_MACKINNONCRIT", crow, ccalls, ["trend", "nobs", "cv1", "cv5", "cv10"],
      "mackinnoncrit(N=1, regression, nobs): [1%, 5%, 10%]; trend 0..3 = n, c, ct, ctt;\n"
      " * nobs INFINITY gives the asymptotic values b0.")


# =========================================================================
# Part 4: adfuller
# =========================================================================
def add_trend_cols(n, trend):
    """Deterministic columns as statsmodels' add_trend builds them: constant,
    t, t^2 with t = 1..n over the regression's own rows."""
    t = np.arange(1, n + 1, dtype=float)
    cols = {"n": [], "c": [np.ones(n)], "ct": [np.ones(n), t], "ctt": [np.ones(n), t, t * t]}[trend]
    return np.column_stack(cols) if cols else np.empty((n, 0))


def ols(y, X):
    b, _, rank, _ = np.linalg.lstsq(X, y, rcond=None)
    assert rank == X.shape[1]
    r = y - X @ b
    n, k = X.shape
    ssr = r @ r
    s2 = ssr / (n - k)
    XtXi = np.linalg.inv(X.T @ X)
    t = b / np.sqrt(s2 * np.diag(XtXi))
    llf = -n / 2.0 * (np.log(2 * np.pi) + np.log(ssr / n) + 1.0)
    return dict(b=b, t=t, llf=llf, aic=-2 * llf + 2 * k, bic=-2 * llf + np.log(n) * k, n=n)


def adf_design(x, lags, rows_from):
    """Rows t = rows_from .. T-1 (0-based into x): y = dx_t = x_t - x_(t-1);
    columns: level x_(t-1), then dx_(t-1) .. dx_(t-lags)."""
    T = len(x)
    ts = np.arange(rows_from, T)
    y = x[ts] - x[ts - 1]
    cols = [x[ts - 1]] + [x[ts - j] - x[ts - j - 1] for j in range(1, lags + 1)]
    return y, np.column_stack(cols)


def adf_default_maxlag(T, trend):
    ntrend = 0 if trend == "n" else len(trend)
    return min(T // 2 - ntrend - 1, int(np.ceil(12.0 * (T / 100.0) ** 0.25)))


def my_adfuller(x, maxlag, trend, autolag):
    """adfuller with statsmodels 0.13.5's sample conventions, written out:
    1. maxlag defaults to min(T//2 - ntrend - 1, ceil(12 (T/100)^(1/4))).
    2. autolag: every lag L = 0..maxlag is fitted on the SAME rows
       t = maxlag+1 .. T-1 (T-1-maxlag of them), deterministic columns FIRST
       (trend 1..T-1-maxlag), then level, then dx lags 1..L. AIC = -2 llf + 2k,
       BIC = -2 llf + log(n) k, k = all columns; min wins (ties: smaller L).
       t-stat: from L = maxlag down, stop at the first |t| of the LAST column
       >= 1.6448536269514722; if none, L = 0 and icbest is |t| of the last
       column of the L = 0 fit, which is the LEVEL. icbest is the criterion
       on the common sample.
    3. The chosen L (or maxlag without autolag) is refitted on its OWN rows
       t = L+1 .. T-1 (nobs = T-1-L), deterministic columns LAST (trend
       1..nobs); the statistic is the t-value of the level. Critical values
       use that nobs."""
    T = len(x)
    if maxlag is None:
        maxlag = adf_default_maxlag(T, trend)
    icbest = np.nan
    if autolag is not None:
        fits = []
        for L in range(maxlag + 1):
            y, Z = adf_design(x, L, maxlag + 1)
            fits.append(ols(y, np.column_stack([add_trend_cols(len(y), trend), Z])))
        if autolag in ("AIC", "BIC"):
            key = "aic" if autolag == "AIC" else "bic"
            icbest, L = min((f[key], L) for L, f in enumerate(fits))
        else:
            L = 0
            icbest = abs(fits[0]["t"][-1])
            for cand in range(maxlag, -1, -1):
                if abs(fits[cand]["t"][-1]) >= 1.6448536269514722:
                    L, icbest = cand, abs(fits[cand]["t"][-1])
                    break
    else:
        L = maxlag
    y, Z = adf_design(x, L, L + 1)
    f = ols(y, np.column_stack([Z, add_trend_cols(len(y), trend)]))
    return f["t"][0], L, len(y), icbest


def mp_adf_stat(x, L, trend):
    """The statistic of the final ADF regression (L lags, rows L+1..T-1) in
    40-digit arithmetic on the input doubles (differences taken exactly), by
    the normal equations: the rounding-free value statsmodels approximates."""
    T = len(x)
    xm = [mpmath.mpf(float(v)) for v in x]
    rows, ys = [], []
    for i, t in enumerate(range(L + 1, T)):
        tt = mpmath.mpf(i + 1)
        det = {"n": [], "c": [1], "ct": [1, tt], "ctt": [1, tt, tt * tt]}[trend]
        rows.append([xm[t - 1]] + [xm[t - j] - xm[t - j - 1] for j in range(1, L + 1)] + det)
        ys.append(xm[t] - xm[t - 1])
    A = mpmath.matrix(rows)
    Y = mpmath.matrix(ys)
    G = A.T * A
    Gi = G ** -1
    b = Gi * (A.T * Y)
    r = Y - A * b
    ssr = sum(v * v for v in r)
    return float(b[0] / mpmath.sqrt(ssr / (A.rows - A.cols) * Gi[0, 0]))


section("adfuller. statsmodels 0.13.5 names the no-constant regression 'n'; 'nc' is accepted\n"
        "with a FutureWarning and mapped to 'n' (rename_trend); the C enum sh_trend uses the\n"
        "same order n=0, c=1, ct=2, ctt=3. Return value: (adfstat, pvalue, usedlag, nobs,\n"
        "critvalues{'1%','5%','10%'}[, icbest]) - icbest only when autolag is not None.")
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    r_nc = adfuller(SERIES[SIDX["ST_LYNX"]][1], regression="nc", autolag="AIC")
    wmsg = [str(m.message) for m in w]
r_n = adfuller(SERIES[SIDX["ST_LYNX"]][1], regression="n", autolag="AIC")
assert r_nc[0] == r_n[0] and any("renamed" in m for m in wmsg)
log("adfuller regression='nc' == regression='n' with FutureWarning: " + wmsg[0].replace("\n", " "))

adf_rows, adf_calls = [], []
worst_stat = (0.0, '')
worst_mp = (0.0, '', 0.0)


def adf_case(name, maxlag, trend, autolag):
    global worst_stat, worst_mp
    x = SERIES[SIDX[name]][1]
    res = adfuller(x, maxlag=maxlag, regression=trend, autolag=autolag)
    stat, p, used, nobs, cv = res[:5]
    ic = res[5] if autolag is not None else np.nan
    s2, L2, n2, ic2 = my_adfuller(x, maxlag, trend, autolag)
    assert (L2, n2) == (used, nobs), (name, trend, autolag, used, nobs, L2, n2)
    err = max(rel(s2, stat), rel(ic2, ic) if autolag else 0.0)
    if err > worst_stat[0]:
        worst_stat = (err, f"{name[3:].lower()} {trend} {autolag} stat {stat:.6g}")
    assert rel(s2, stat) < 1e-9 and (autolag is None or rel(ic2, ic) < 1e-9)
    ti = TRENDS.index(trend)
    assert table_pvalue(stat, ti) == p
    assert np.array_equal(table_crit(nobs, ti), [cv["1%"], cv["5%"], cv["10%"]])
    exact = mp_adf_stat(x, used, trend)
    if rel(stat, exact) > worst_mp[0]:
        worst_mp = (rel(stat, exact), f"{name[3:].lower()} {trend} {autolag}", rel(s2, exact))
    ml = -1 if maxlag is None else maxlag
    default_ml = adf_default_maxlag(len(x), trend) if maxlag is None else maxlag
    adf_rows.append([SIDX[name], ti, AUTOLAGS.index(autolag), ml, default_ml, stat, p, used, nobs,
                     cv["1%"], cv["5%"], cv["10%"], ic, exact])
    al = "None" if autolag is None else repr(autolag)
    adf_calls.append(f"adfuller({name[3:].lower()}, maxlag={maxlag}, regression='{trend}', autolag={al})")


for name, _, _ in SERIES:
    for trend in TRENDS:
        for autolag in AUTOLAGS:
            adf_case(name, None, trend, autolag)
for name in ["ST_MACRO_DLOG_REALGDP", "ST_SUNSPOTS", "ST_LAKEHURON", "ST_GEN_AR1", "ST_GEN_RW"]:
    for trend in ["n", "c", "ct"]:
        for ml in [0, 1, 4]:
            adf_case(name, ml, trend, None)
    for autolag in ["AIC", "BIC", "t-stat"]:
        adf_case(name, 6, "c", autolag)
        adf_case(name, 6, "ctt", autolag)
log(f"adfuller: {len(adf_rows)} cases; own least-squares ADF (conventions in the comment of "
    f"ST_ADF) agrees on usedlag and nobs exactly and on stat/icbest to {worst_stat[0]:.1e} rel "
    f"(worst: {worst_stat[1]}); "
    "p-values and critical values from mackinnon_tables.c equal statsmodels' bit for bit")
log(f"adfuller stat vs the 40-digit value of the same regression (column stat_mp): max rel "
    f"{worst_mp[0]:.1e} ({worst_mp[1]}; this script's lstsq: {worst_mp[2]:.1e}). statsmodels solves "
    "with pinv on the raw columns (trend^2 up to T^2), so its ctt statistics carry ~1e-10 of rounding")
comment(
    "adfuller sample conventions (statsmodels 0.13.5 stattools.adfuller and _autolag; the script's\n"
    "my_adfuller reproduces every row below from them):\n"
    "1. T = len(x); maxlag None -> min(T//2 - ntrend - 1, ceil(12*(T/100)^(1/4))), ntrend = 0,1,2,3\n"
    "   for n,c,ct,ctt; an explicit maxlag > T//2 - ntrend - 1 raises ValueError.\n"
    "2. autolag ('AIC','BIC','t-stat'): lags L = 0..maxlag are ALL fitted on the same rows\n"
    "   t = maxlag+1..T-1 (0-based into x; T-1-maxlag rows): y = dx_t, columns [deterministic\n"
    "   (const, trend 1..rows, trend^2) FIRST, x_(t-1), dx_(t-1) .. dx_(t-L)]. AIC = -2 llf + 2k,\n"
    "   BIC = -2 llf + log(rows) k, k = number of columns (rank), llf the Gaussian OLS log-likelihood\n"
    "   -rows/2 (log 2pi + log(ssr/rows) + 1); the smallest wins, ties to the smaller L.\n"
    "   't-stat': L from maxlag down to 0, stop at the first fit whose LAST column has\n"
    "   |t| >= 1.6448536269514722 (icbest = that |t|); if none does, L = 0 and icbest = |t| of the\n"
    "   last column of the L = 0 fit, which is the lagged LEVEL x_(t-1).\n"
    "   icbest is the criterion value of that common-sample fit.\n"
    "3. The chosen L (usedlag; maxlag itself when autolag is None) is REFITTED on its own rows\n"
    "   t = L+1..T-1 (nobs = T-1-L), deterministic columns LAST (trend again 1..nobs; irrelevant\n"
    "   to the statistic). adfstat = t-value of x_(t-1) (OLS, s^2 = ssr/(nobs-k)).\n"
    "4. pvalue = mackinnonp(adfstat, regression, N=1); critical values = mackinnoncrit(N=1,\n"
    "   regression, nobs) with nobs from step 3 (ST_MACKINNON* above).")
comment("ST_ADF codes: trend 0..3 = n, c, ct, ctt; autolag 0..3 = None, 'AIC', 'BIC', 't-stat';\n"
        "maxlag_arg -1 = None (default), else the integer passed; maxlag is the value actually used\n"
        "(the default resolved); icbest NAN when autolag is None. Series index: ST_SERIES order.")
table("ST_ADF", adf_rows, adf_calls,
      ["series", "trend", "autolag", "maxlag_arg", "maxlag", "stat", "pvalue", "usedlag", "nobs",
       "cv1", "cv5", "cv10", "icbest", "stat_mp"],
      "res = adfuller(x, maxlag, regression, autolag); [stat, pvalue, usedlag, nobs] = res[:4],\n"
      " * cv = res[4]['1%'], ['5%'], ['10%'], icbest = res[5]. stat_mp: the same final regression's\n"
      " * t-value computed in 40-digit arithmetic (mpmath) - the exact answer statsmodels rounds.")


# =========================================================================
# Part 5: kpss
# =========================================================================
def my_kpss(x, trend, nlags):
    T = len(x)
    if trend == "ct":
        X = np.column_stack([np.ones(T), np.arange(1, T + 1, dtype=float)])
        e = x - X @ np.linalg.lstsq(X, x, rcond=None)[0]
    else:
        e = x - x.mean()
    if nlags == "legacy":
        L = min(int(np.ceil(12.0 * (T / 100.0) ** 0.25)), T - 1)
    elif nlags == "auto":
        cov = int(T ** (2.0 / 9.0))
        g = np.array([e[i:] @ e[:T - i] for i in range(cov + 1)])
        s0 = g[0] / T + 2.0 / T * g[1:].sum()
        s1 = 2.0 / T * (np.arange(1, cov + 1) * g[1:]).sum()
        L = min(int(1.1447 * ((s1 / s0) ** 2) ** (1.0 / 3.0) * T ** (1.0 / 3.0)), T - 1)
    else:
        L = nlags
    s2 = e @ e + 2.0 * sum((1.0 - i / (L + 1.0)) * (e[i:] @ e[:T - i]) for i in range(1, L + 1))
    eta = (np.cumsum(e) ** 2).sum() / T ** 2
    return eta / (s2 / T), L


section("kpss(x, regression, nlags). Return: (stat, pvalue, lags, crit{'10%','5%','2.5%','1%'}).\n"
        "stat = sum(S_t^2)/T^2 / s2, S_t partial sums of the residuals (x - mean for 'c', OLS on\n"
        "[1, t], t = 1..T for 'ct'), s2 = (sum e^2 + 2 sum_{i=1..L} (1 - i/(L+1)) sum_t e_t e_(t-i)) / T.\n"
        "nlags='legacy': L = min(ceil(12 (T/100)^(1/4)), T-1). nlags='auto' (Hobijn et al. 1998):\n"
        "m = int(T^(2/9)); s0 = sum e^2/T + 2/T sum_{i=1..m} g_i; s1 = 2/T sum_{i=1..m} i g_i,\n"
        "g_i = sum_t e_t e_(t-i); L = min(int(1.1447 ((s1/s0)^2)^(1/3) T^(1/3)), T-1). An integer\n"
        "nlags >= T raises ValueError. pvalue = np.interp(stat, crit, [0.10, 0.05, 0.025, 0.01]),\n"
        "i.e. linear between the table's points and CLIPPED to [0.01, 0.10]; at a clip statsmodels\n"
        "warns InterpolationWarning ('The actual p-value is smaller/greater than the p-value\n"
        "returned'). Column warn: -1 = 'smaller' (p == 0.01), +1 = 'greater' (p == 0.10), 0 none.")
kpss_rows, kpss_calls = [], []
worst_k = 0.0
for name, x, _ in SERIES:
    for ti, trend in enumerate(["c", "ct"]):
        for nl in ["auto", "legacy", 0, 4]:
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                stat, p, lags, crit = kpss(x, regression=trend, nlags=nl)
                msgs = [str(m.message) for m in w]
            warn = -1 if any("smaller" in m for m in msgs) else (1 if any("greater" in m for m in msgs) else 0)
            assert (warn == -1) == (p == 0.01) and (warn == 1) == (p == 0.10)
            s2, L2 = my_kpss(x, trend, nl)
            assert L2 == lags
            worst_k = max(worst_k, rel(s2, stat))
            assert rel(s2, stat) < 1e-10
            tab = KPSS_LEVEL if trend == "c" else KPSS_TREND
            assert p == np.interp(stat, tab, KPSS_PVALUES)
            assert [crit[k] for k in ("10%", "5%", "2.5%", "1%")] == tab  # the C table is kpss' own
            code = {"auto": -1, "legacy": -2}.get(nl, nl)
            kpss_rows.append([SIDX[name], ti, code, stat, p, lags, crit["10%"], crit["5%"], crit["2.5%"],
                              crit["1%"], warn])
            kpss_calls.append(f"kpss({name[3:].lower()}, regression='{trend}', nlags={nl!r})")
log(f"kpss: {len(kpss_rows)} cases; own formula agrees on lags exactly and on stat to {worst_k:.1e} rel; "
    "pvalue == np.interp over the KPSS table in mackinnon_tables.c")
table("ST_KPSS", kpss_rows, kpss_calls,
      ["series", "trend", "nlags_arg", "stat", "pvalue", "lags", "cv10", "cv5", "cv2_5", "cv1", "warn"],
      "kpss(x, regression, nlags); trend 0 = 'c' (level), 1 = 'ct' (trend);\n"
      " * nlags_arg -1 = 'auto', -2 = 'legacy', else the integer; lags = the lag truncation used.")

# =========================================================================
# Part 6: acf, pacf, Ljung-Box / Box-Pierce, with R cross-checks
# =========================================================================
CORR_SERIES = ["ST_MACRO_DLOG_REALGDP", "ST_SUNSPOTS", "ST_LYNX", "ST_NOTTEM", "ST_GEN_AR1"]
Z975 = st.norm.ppf(0.975)
section("acf(x, nlags=20, alpha=0.05, fft, adjusted): values (21, lag 0..20) and confint (21 x 2).\n"
        "acov_k = sum_{t} (x_t - m)(x_(t+k) - m) / D, D = T (adjusted=False) or T - k (adjusted=True);\n"
        "acf_k = acov_k / acov_0. confint (Bartlett, bartlett_confint=True): acf_k -/+ z*sqrt(v_k),\n"
        f"z = norm.ppf(0.975) = {Z975!r}, v_0 = 0, v_1 = 1/T, v_k = (1 + 2 sum_{{j<k}} acf_j^2)/T.\n"
        "fft=True and False differ only by rounding (both emitted). nlags > T-1 is not an error in\n"
        "statsmodels: acf silently returns only T values (lags 0..T-1); sheaf should reject it.")
worst_acf = 0.0
for name in CORR_SERIES:
    x = SERIES[SIDX[name]][1]
    T = len(x)
    for fft in (False, True):
        for adj in (False, True):
            a, ci = acf(x, nlags=20, alpha=0.05, fft=fft, adjusted=adj)
            m = x - x.mean()
            den = T - np.arange(21) if adj else np.full(21, float(T))
            g = np.array([m[:T - k] @ m[k:] for k in range(21)]) / den
            mine = g / g[0]
            worst_acf = max(worst_acf, rel(mine, a))
            assert rel(mine, a) < 1e-12
            v = np.empty(21)
            v[0] = 0.0
            v[1] = 1.0 / T
            v[2:] = (1 + 2 * np.cumsum(a[1:20] ** 2)) / T
            assert absdiff(np.column_stack([a - Z975 * np.sqrt(v), a + Z975 * np.sqrt(v)]), ci) < 1e-15
            tag = f"{name}_ACF_{'FFT' if fft else 'DIRECT'}_{'ADJ' if adj else 'BIASED'}"
            call = f"acf({name[3:].lower()}, nlags=20, alpha=0.05, fft={fft}, adjusted={adj})"
            arr(tag, a, call + "[0]")
            arr(tag + "_CONFINT", ci, call + "[1] (rows lag 0..20; cols lower, upper)")
log(f"acf: own formula agrees to {worst_acf:.1e} rel (5 series x fft x adjusted); confint by Bartlett's formula")

section("pacf(x, nlags=20, method, alpha=0.05): values (21, lag 0..20) and confint (21 x 2).\n"
        "statsmodels 0.13.5 methods: 'yw' = 'ywa' = 'ywadjusted' = 'yw_adjusted' (the default;\n"
        "Yule-Walker on acov with divisor T-k), 'ywm' = 'ywmle' = 'yw_mle' (divisor T), 'ols'\n"
        "(efficient: for each k, lstsq of x_t on [1, x_(t-1)..x_(t-k)] over rows t = k..T-1, i.e.\n"
        "each k on its OWN sample; x not demeaned, a constant column instead), 'ols-inefficient'\n"
        "(x demeaned once, all k on the common rows t = nlags..T-1, no constant), 'ols-adjusted'\n"
        "(= 'ols' times T/(T-k)), 'ld'/'lda' (Levinson-Durbin on adjusted acov = 'yw' up to\n"
        "rounding), 'ldb' (Levinson-Durbin on biased acov = 'ywm' up to rounding; = R's pacf).\n"
        "nlags >= T//2 raises ValueError ('Can only compute partial correlations for lags up to 50%\n"
        f"of the sample size'). confint: value -/+ z/sqrt(T) for lags >= 1, [1, 1] at lag 0; z = {Z975!r}.")
PACF_METHODS = ["yw", "ywm", "ols", "ols-inefficient", "ols-adjusted", "ld", "ldb"]
worst_pacf = 0.0
for name in CORR_SERIES:
    x = SERIES[SIDX[name]][1]
    T = len(x)
    vals = {}
    for meth in PACF_METHODS:
        pv, ci = pacf(x, nlags=20, method=meth, alpha=0.05)
        vals[meth] = pv
        hw = Z975 / np.sqrt(T)
        want = np.column_stack([pv - hw, pv + hw])
        want[0] = 1.0
        assert absdiff(want, ci) < 1e-15
        tag = f"{name}_PACF_{meth.upper().replace('-', '_')}"
        call = f"pacf({name[3:].lower()}, nlags=20, method='{meth}', alpha=0.05)"
        arr(tag, pv, call + "[0]")
        arr(tag + "_CONFINT", ci, call + "[1]")
    # independent checks: Yule-Walker by solving the Toeplitz systems, OLS by lstsq
    m = x - x.mean()
    for meth, adj in (("yw", True), ("ywm", False)):
        r = np.array([m[:T - k] @ m[k:] for k in range(21)]) / (T - np.arange(21) if adj else T)
        mine = [1.0] + [np.linalg.solve(scipy.linalg.toeplitz(r[:k]), r[1:k + 1])[-1] for k in range(1, 21)]
        worst_pacf = max(worst_pacf, rel(mine, vals[meth]))
    mine = [1.0]
    for k in range(1, 21):
        ts = np.arange(k, T)
        X = np.column_stack([np.ones(len(ts))] + [x[ts - j] for j in range(1, k + 1)])
        mine.append(np.linalg.lstsq(X, x[ts], rcond=None)[0][-1])
    worst_pacf = max(worst_pacf, rel(mine, vals["ols"]),
                     rel(np.array(mine) * T / (T - np.arange(21)), vals["ols-adjusted"]))
    mine = [1.0]
    for k in range(1, 21):
        ts = np.arange(20, T)
        X = np.column_stack([m[ts - j] for j in range(1, k + 1)])
        mine.append(np.linalg.lstsq(X, m[ts], rcond=None)[0][-1])
    worst_pacf = max(worst_pacf, rel(mine, vals["ols-inefficient"]), rel(vals["ld"], vals["yw"]),
                     rel(vals["ldb"], vals["ywm"]))
    assert worst_pacf < 1e-10
log(f"pacf: Toeplitz solves, lstsq per lag and Levinson-Durbin agree with statsmodels to {worst_pacf:.1e} rel")

section("acorr_ljungbox(x, lags=list(range(1, 21)), boxpierce=True, model_df, return_df=True):\n"
        "rows lag 1..20; cols lb_stat, lb_pvalue, bp_stat, bp_pvalue. r_k = acf(x, nlags=20, fft=False)\n"
        "(biased); Q_LB(h) = T(T+2) sum_{k<=h} r_k^2/(T-k); Q_BP(h) = T sum_{k<=h} r_k^2; p = chi2.sf(Q,\n"
        "h - model_df), NAN where h - model_df <= 0 (statsmodels leaves those NaN).")
worst_lb = 0.0
for name in CORR_SERIES:
    x = SERIES[SIDX[name]][1]
    T = len(x)
    r = acf(x, nlags=20, fft=False)[1:]
    for mdf in (0, 2):
        df = acorr_ljungbox(x, lags=list(range(1, 21)), boxpierce=True, model_df=mdf, return_df=True)
        got = df[["lb_stat", "lb_pvalue", "bp_stat", "bp_pvalue"]].to_numpy(float)
        h = np.arange(1, 21)
        qlb = T * (T + 2) * np.cumsum(r ** 2 / (T - h))
        qbp = T * np.cumsum(r ** 2)
        dof = (h - mdf).astype(float)
        ok = dof > 0
        plb = np.where(ok, st.chi2.sf(qlb, np.where(ok, dof, 1)), np.nan)
        pbp = np.where(ok, st.chi2.sf(qbp, np.where(ok, dof, 1)), np.nan)
        mine = np.column_stack([qlb, plb, qbp, pbp])
        worst_lb = max(worst_lb, rel(mine[:, [0, 2]], got[:, [0, 2]]), absdiff(mine[:, [1, 3]], got[:, [1, 3]]))
        assert worst_lb < 1e-12
        tag = f"{name}_LB" + ("_DF2" if mdf else "")
        arr(tag, got, f"acorr_ljungbox({name[3:].lower()}, lags=list(range(1, 21)), boxpierce=True, "
            f"model_df={mdf}, return_df=True)[['lb_stat','lb_pvalue','bp_stat','bp_pvalue']]")
log(f"Ljung-Box/Box-Pierce from the ACF by formula: {worst_lb:.1e} (stats rel, p-values abs)")

# ---- R cross-checks --------------------------------------------------------
section(f"R {R_VERSION[0]} cross-checks (urca {R_VERSION[1]}, tseries {R_VERSION[2]}).\n"
        "R's acf = statsmodels acf(adjusted=False); R's pacf (Durbin-Levinson on the biased acf)\n"
        "= pacf(method='ywm'/'ldb'); Box.test = acorr_ljungbox. Only R values are emitted here;\n"
        "their agreement with statsmodels is in the opening comment.")
worst_r = {}


def note_r(key, v):
    worst_r[key] = max(worst_r.get(key, 0.0), v)


for name in CORR_SERIES:
    x = SERIES[SIDX[name]][1]
    code = ('p17(acf(x, lag.max = 20, plot = FALSE)$acf);'
            'p17(pacf(x, lag.max = 20, plot = FALSE)$acf);'
            'for (h in 1:20) { a <- Box.test(x, lag = h, type = "Ljung-Box"); '
            'b <- Box.test(x, lag = h, type = "Box-Pierce"); '
            'p17(c(a$statistic, a$p.value, b$statistic, b$p.value)) };'
            'for (h in 3:20) { a <- Box.test(x, lag = h, type = "Ljung-Box", fitdf = 2); '
            'p17(a$p.value) }')
    out = r_numbers(code, x)
    racf, rpacf, rlb, rdf2 = out[:21], out[21:41], out[41:121].reshape(20, 4), out[121:]
    a = acf(x, nlags=20, fft=False)
    note_r("acf", rel(racf, a))
    note_r("pacf", rel(rpacf, pacf(x, nlags=20, method="ywm")[1:]))
    got = acorr_ljungbox(x, lags=list(range(1, 21)), boxpierce=True).to_numpy(float)
    note_r("box stats", rel(rlb[:, [0, 2]], got[:, [0, 2]]))
    note_r("box p", absdiff(rlb[:, [1, 3]], got[:, [1, 3]]))
    got2 = acorr_ljungbox(x, lags=list(range(3, 21)), model_df=2).to_numpy(float)
    note_r("box p fitdf=2", absdiff(rdf2, got2[:, 1]))
    arr(f"{name}_R_ACF", racf, "R: acf(x, lag.max = 20, plot = FALSE)$acf (lag 0..20)")
    arr(f"{name}_R_PACF", rpacf, "R: pacf(x, lag.max = 20, plot = FALSE)$acf (lag 1..20)")
    arr(f"{name}_R_BOX", rlb, "R: Box.test(x, lag = h, type = 'Ljung-Box' / 'Box-Pierce') for h = 1..20: "
        "[LB stat, LB p, BP stat, BP p]")
assert worst_r["acf"] < 1e-12 and worst_r["pacf"] < 1e-10 and worst_r["box stats"] < 1e-12
assert worst_r["box p"] < 1e-12 and worst_r["box p fitdf=2"] < 1e-12

# KPSS in R: tseries::kpss.test and urca::ur.kpss use the same statistic with
# their own lag rules (short 4 (T/100)^(1/4), long 12 (T/100)^(1/4), truncated).
kr_rows, kr_calls = [], []
for name in ["ST_MACRO_DLOG_REALGDP", "ST_NOTTEM", "ST_LYNX", "ST_GEN_AR1", "ST_GEN_RW"]:
    x = SERIES[SIDX[name]][1]
    code = ('for (nl in c("Level", "Trend")) for (sh in c(TRUE, FALSE)) {'
            ' k <- suppressWarnings(kpss.test(x, null = nl, lshort = sh));'
            ' u <- ur.kpss(x, type = if (nl == "Level") "mu" else "tau", lags = if (sh) "short" else "long");'
            ' p17(c(k$statistic, k$parameter, k$p.value, u@teststat, u@lag)) }')
    out = r_numbers(code, x).reshape(4, 5)
    for (trend, short), row in zip([("c", True), ("c", False), ("ct", True), ("ct", False)], out):
        stat, L, p = row[0], int(row[1]), row[2]
        assert row[4] == L
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sstat, sp_, slags, _ = kpss(x, regression=trend, nlags=L)
        note_r("kpss stat (tseries)", rel(stat, sstat))
        note_r("kpss stat (urca)", rel(row[3], sstat))
        note_r("kpss p (tseries)", abs(p - sp_))
        kr_rows.append([SIDX[name], 0 if trend == "c" else 1, L, stat, p, row[3]])
        kr_calls.append(f"kpss.test({name[3:].lower()}, null='{'Level' if trend == 'c' else 'Trend'}', "
                        f"lshort={'TRUE' if short else 'FALSE'}) == kpss(x, '{trend}', nlags={L})")
assert worst_r["kpss stat (tseries)"] < 1e-12 and worst_r["kpss stat (urca)"] < 1e-12
table("ST_R_KPSS", kr_rows, kr_calls, ["series", "trend", "lags", "stat", "pvalue", "urca_stat"],
      "R: tseries::kpss.test(x, null, lshort)$statistic, $parameter (lag), $p.value and\n"
      " * urca::ur.kpss(x, type = 'mu'/'tau', lags = 'short'/'long')@teststat. Same statistic as\n"
      " * statsmodels' kpss with nlags = that lag; tseries also interpolates linearly in the same\n"
      " * table and clips to [0.01, 0.1] (with a warning), so its p-value agrees too.")

# ADF in R: urca::ur.df(type = none/drift/trend, lags = k, selectlags = 'Fixed') and
# tseries::adf.test(k) (always constant + trend) are statsmodels' adfuller with
# maxlag = k, autolag = None and regression n / c / ct.
ar_rows, ar_calls = [], []
for name in ["ST_MACRO_LOG_REALGDP", "ST_SUNSPOTS", "ST_LAKEHURON", "ST_GEN_RW", "ST_GEN_AR1"]:
    x = SERIES[SIDX[name]][1]
    code = ('for (k in c(0, 1, 4)) for (ty in c("none", "drift", "trend")) '
            'p17(ur.df(x, type = ty, lags = k, selectlags = "Fixed")@teststat[1]);'
            'k <- trunc((length(x) - 1)^(1/3)); a <- suppressWarnings(adf.test(x));'
            'p17(c(k, a$statistic, a$p.value))')
    out = r_numbers(code, x)
    i = 0
    for k in (0, 1, 4):
        for ty, trend in (("none", "n"), ("drift", "c"), ("trend", "ct")):
            s = adfuller(x, maxlag=k, regression=trend, autolag=None)[0]
            note_r("ur.df tau", rel(out[i], s))
            ar_rows.append([SIDX[name], TRENDS.index(trend), k, out[i], np.nan])
            ar_calls.append(f"urca::ur.df({name[3:].lower()}, type='{ty}', lags={k})@teststat[1] "
                            f"== adfuller(x, maxlag={k}, regression='{trend}', autolag=None)[0]")
            i += 1
    k, stat, p = int(out[i]), out[i + 1], out[i + 2]
    sres = adfuller(x, maxlag=k, regression="ct", autolag=None)
    note_r("adf.test stat", rel(stat, sres[0]))
    ar_rows.append([SIDX[name], 2, k, stat, p])
    ar_calls.append(f"tseries::adf.test({name[3:].lower()}) (k = trunc((T-1)^(1/3)) = {k}) "
                    f"stat == adfuller(x, maxlag={k}, regression='ct', autolag=None)[0]; "
                    f"p-value {p:.6g} vs MacKinnon {sres[1]:.6g}")
assert worst_r["ur.df tau"] < 1e-10 and worst_r["adf.test stat"] < 1e-10
table("ST_R_ADF", ar_rows, ar_calls, ["series", "trend", "lags", "stat", "pvalue"],
      "R: urca::ur.df(x, type, lags, selectlags = 'Fixed')@teststat[1] (tau) and tseries::adf.test(x)\n"
      " * (stat and p-value; pvalue NAN for ur.df rows). Fixed-lag tau equals statsmodels'. tseries'\n"
      " * p-value interpolates a table of Banerjee et al. (1993) clipped to [0.01, 0.99], NOT\n"
      " * MacKinnon's surface, so it differs from statsmodels'. urca's selectlags = 'AIC'/'BIC' searches\n"
      " * lags 1..k (never 0) on the common sample, keeps that sample for the final fit, and counts\n"
      " * sigma as a parameter (R's AIC()), so its choice can differ from adfuller's autolag.")
for k, v in sorted(worst_r.items()):
    log(f"R vs statsmodels, {k}: max diff {v:.1e}" + (" (abs)" if " p" in k else " (rel)"))


# =========================================================================
# Part 7: edge inputs - statsmodels' behaviour, recorded for the lead
# =========================================================================
def outcome(f):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r = f()
            if isinstance(r, pd.DataFrame):
                r = r.to_numpy()
            if isinstance(r, tuple):
                r = tuple(x for x in r if not isinstance(x, dict))
            flat = np.concatenate([np.atleast_1d(np.asarray(v, float)).ravel() for v in
                                   (r if isinstance(r, tuple) else (r,))])
            head = ", ".join(f"{v:.6g}" for v in flat[:6]) + (", ..." if flat.size > 6 else "")
            res = f"returns [{head}]"
        except Exception as e:
            res = f"raises {type(e).__name__}: {str(e).splitlines()[0][:150]}"
        ws = sorted({f"{type(m.message).__name__}: {str(m.message).strip().splitlines()[0][:90]}" for m in w})
    return res + ("" if not ws else "; warns " + " | ".join(ws))


const = np.full(100, 3.0)
short = SERIES[SIDX["ST_GEN_AR1"]][1][:6]
withnan = SERIES[SIDX["ST_GEN_AR1"]][1].copy()
withnan[50] = np.nan
edge = [
    ("adfuller(np.full(100, 3.0))", lambda: adfuller(const)),
    ("adfuller(np.full(100, 3.0), regression='n', autolag=None, maxlag=1)",
     lambda: adfuller(const, regression="n", autolag=None, maxlag=1)),
    ("adfuller(ar1[:6])  (default maxlag = min(6//2-1-1, 8) = 1)", lambda: adfuller(short)),
    ("adfuller(ar1[:6], regression='ctt')", lambda: adfuller(short, regression="ctt")),
    ("adfuller(ar1[:6], maxlag=2)", lambda: adfuller(short, maxlag=2)),
    ("adfuller(ar1[:4], regression='ctt')", lambda: adfuller(short[:4], regression="ctt")),
    ("adfuller(ar1 with x[50] = NaN)", lambda: adfuller(withnan)),
    ("adfuller(ar1 with x[50] = NaN, autolag=None, maxlag=2)", lambda: adfuller(withnan, autolag=None, maxlag=2)),
    ("kpss(np.full(100, 3.0))", lambda: kpss(const)),
    ("kpss(np.full(100, 3.0), regression='ct')", lambda: kpss(const, regression="ct")),
    ("kpss(ar1[:6], nlags=6)", lambda: kpss(short, nlags=6)),
    ("kpss(ar1[:6], nlags='legacy')", lambda: kpss(short, nlags="legacy")),
    ("kpss(ar1 with NaN)", lambda: kpss(withnan)),
    ("acf(np.full(100, 3.0), nlags=5, fft=False)", lambda: acf(const, nlags=5, fft=False)),
    ("acf(ar1[:6], nlags=10, fft=False)", lambda: acf(short, nlags=10, fft=False)),
    ("acf(ar1[:6], nlags=10, fft=True)", lambda: acf(short, nlags=10, fft=True)),
    ("acf(ar1 with NaN, nlags=5)", lambda: acf(withnan, nlags=5)),
    ("acf(ar1 with NaN, nlags=5, missing='conservative')", lambda: acf(withnan, nlags=5, missing="conservative")),
    ("acf(ar1 with NaN, nlags=5, missing='raise')", lambda: acf(withnan, nlags=5, missing="raise")),
    ("pacf(np.full(100, 3.0), nlags=5)", lambda: pacf(const, nlags=5)),
    ("pacf(np.full(100, 3.0), nlags=5, method='ols')", lambda: pacf(const, nlags=5, method="ols")),
    ("pacf(ar1[:6], nlags=3)", lambda: pacf(short, nlags=3)),
    ("pacf(ar1 with NaN, nlags=5)", lambda: pacf(withnan, nlags=5)),
    ("acorr_ljungbox(np.full(100, 3.0), lags=[1, 2])", lambda: acorr_ljungbox(const, lags=[1, 2])),
    ("acorr_ljungbox(ar1[:6], lags=[10])", lambda: acorr_ljungbox(short, lags=[10])),
    ("acorr_ljungbox(ar1 with NaN, lags=[1, 2])", lambda: acorr_ljungbox(withnan, lags=[1, 2])),
]
section("Edge inputs: what statsmodels 0.13.5 does (comments only). ar1 = ST_GEN_AR1.\n"
        "sheaf's contract (issue 5) is a clear error naming the series and the requirement in\n"
        "each of these cases, not statsmodels' NaN/inf/garbage results.")
edge_lines = []
for call, f in edge:
    o = outcome(f)
    edge_lines.append(f"{call}:\n    {o}")
comment("\n".join(edge_lines).replace("*/", "* /"))
print("\n".join(edge_lines))

# =========================================================================
body = "\n".join(lines)
head = [
    "/* stattools_refs.h - GENERATED by tests/data/timeseries/gen_stattools_refs.py; do not edit.",
    f" * python {sys.version.split()[0]}, numpy {np.__version__}, scipy {scipy.__version__}, "
    f"pandas {pd.__version__}, statsmodels {statsmodels.__version__}; R {R_VERSION[0]}, "
    f"urca {R_VERSION[1]}, tseries {R_VERSION[2]}",
    f" * seed: numpy.random.default_rng({SEED}): 400 normals for the AR(1), then 250 for the random walk.",
    " * Data: statsmodels.datasets macrodata and sunspots; R datasets nottem, lynx, LakeHuron (bundled).",
    " * Also writes src/timeseries/mackinnon_tables.c (the published tables; see its comment).",
    " * Checks printed by the script when it ran:",
] + [" *   " + s for s in notes] + [
    " * Arrays are flat row-major doubles with _ROWS/_COLS (2-D) or _LEN (1-D) macros; tables have",
    " * one row per call with _COL_<NAME> column macros. All names start with ST_. */",
    "#ifndef SHEAF_TESTS_STATTOOLS_REFS_H",
    "#define SHEAF_TESTS_STATTOOLS_REFS_H",
    "",
    "#include <math.h>",
    "#include <stddef.h>",
    "",
]
with open(OUT, "w") as fh:
    fh.write("\n".join(head) + "\n" + body + "\n#endif /* SHEAF_TESTS_STATTOOLS_REFS_H */\n")
print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes) and {TABLES_C} ({os.path.getsize(TABLES_C)} bytes)")
