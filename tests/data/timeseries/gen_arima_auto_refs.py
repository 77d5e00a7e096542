#!/usr/bin/python3
"""Writes arima_auto_refs.h: reference values for sheaf's automatic ARIMA
order search (issue 6, src/timeseries/arima_auto.c) beyond those in
arima_refs.h: R's stats::stl decompositions (src/timeseries/stl.c), the
seasonal strength forecast's nsdiffs tests (seas.heuristic), nsdiffs and
ndiffs choices with the KPSS statistics behind them, and auto.arima runs
with non-default arguments (stepwise = FALSE, ic, d, allowdrift, seasonal)
with their search traces.

Run from anywhere with Debian 12's packages (R 4.2.2 with r-cran-forecast
8.20 and r-cran-urca 1.3.3; statsmodels 0.13.5 and numpy for the
cross-checks):
    /usr/bin/python3 tests/data/timeseries/gen_arima_auto_refs.py
(about a minute). Nothing is downloaded: the series are the data arrays of
arima_refs.h (parsed from it, handed to R as binary doubles, so every tool
sees the same bits), and the header does not repeat them; the C tests
include both headers.

Cross-checks (the script stops with an AssertionError when one fails; the
header's opening comment lists the agreement measured): every R stl() call
is repeated with statsmodels' STL (an independent port of the same Fortran)
with the same windows, degrees and jumps; the seasonal strength is
recomputed here from R's decomposition; each KPSS statistic (urca::ur.kpss,
type 'mu', use.lag = trunc(3 sqrt(n) / 13), as forecast::ndiffs calls it)
is recomputed with statsmodels' kpss(nlags = that lag) and the ndiffs choice
replayed from those statistics and urca's critical values. Reruns
reproduce the header byte for byte (values are R's doubles, written
exactly).
"""
import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"
os.environ["OMP_NUM_THREADS"] = "1"

import math  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import statsmodels  # noqa: E402
from statsmodels.tsa.seasonal import STL  # noqa: E402
from statsmodels.tsa.stattools import kpss  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir))
from refgen import Header  # noqa: E402

warnings.simplefilter("ignore")
out = Header()
TMP = tempfile.mkdtemp(prefix="arima_auto_refs_")

# =========================================================================
# Data: the arrays of arima_refs.h
# =========================================================================
REFS = open(os.path.join(HERE, "arima_refs.h")).read()


def header_array(name):
    m = re.search(r"static const double %s\[\d+\] = \{(.*?)\};" % name, REFS, re.S)
    assert m, name
    return np.array([float(t) for t in m.group(1).replace("\n", " ").split(",")])


SERIES_NAMES = re.search(r"ARIMA_SERIES\[\d+\] = \{(.*?)\};",
                         REFS).group(1).replace(" ", "").split(",")
SERIES_FREQ = [int(v) for v in
               re.search(r"ARIMA_SERIES_FREQ\[\d+\] = \{(.*?)\};", REFS).group(1).split(",")]
DATA = {name: header_array(name) for name in SERIES_NAMES}
for name in SERIES_NAMES:
    DATA[name].astype("<f8").tofile(os.path.join(TMP, name + ".bin"))
SID = {name: i for i, name in enumerate(SERIES_NAMES)}
FREQ = dict(zip(SERIES_NAMES, SERIES_FREQ))
SEASONAL = [nm for nm in SERIES_NAMES if FREQ[nm] > 1]


def rscript(code):
    """Runs R code from a file (Rscript -e truncates long programs)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    path = os.path.join(TMP, "run.R")
    with open(path, "w") as fh:
        fh.write(code + "\n")
    return subprocess.run(["Rscript", "--vanilla", path], check=True,
                          capture_output=True, text=True, env=env).stdout


R_PRELUDE = r"""
suppressMessages(library(forecast))
suppressMessages(library(urca))
options(digits = 17, warn = 1)
rd <- function(name, f) { p <- file.path('%s', paste0(name, '.bin'));
  ts(readBin(p, 'double', n = file.size(p) / 8, endian = 'little'), frequency = f) }
hx <- function(v) { v <- as.double(v); if (length(v) == 0) return('');
  paste(ifelse(is.na(v) & !is.nan(v), 'NA', ifelse(is.nan(v), 'NaN', ifelse(is.infinite(v),
    ifelse(v > 0, 'Inf', '-Inf'), sprintf('%%a', v)))), collapse = ' ') }
emit <- function(key, v) cat(key, '\t', hx(v), '\n', sep = '')
emitn <- function(key, v) cat(key, '\t', paste(v, collapse = ' '), '\n', sep = '')
err <- function(key, e) cat(key, '\tERROR ', gsub('[\n\t]', ' ', conditionMessage(e)), '\n',
  sep = '')
cat('VERSION', paste(R.version$major, R.version$minor, sep = '.'),
    as.character(packageVersion('forecast')), as.character(packageVersion('urca')), '\n')
""" % TMP

# =========================================================================
# Cases
# =========================================================================
# STL: (series, R arguments after x, statsmodels STL keywords or None for
# periodic, robust). mstl() inside seas.heuristic calls stl(x, s.window = 11).
STL_CASES = [(nm, "s.window = 11", False) for nm in SEASONAL]
STL_CASES += [
    ("ARIMA_NOTTEM", "s.window = 'periodic'", False),
    ("ARIMA_AUSTRES", "s.window = 'periodic'", False),
    ("ARIMA_CO2", "s.window = 7, robust = TRUE", True),
    ("ARIMA_UKGAS_LOG", "s.window = 7, robust = TRUE", True),
    ("ARIMA_NOTTEM", "s.window = 13, s.degree = 1, t.window = 19, l.window = 13, s.jump = 1, "
     "t.jump = 1, l.jump = 1", False),
    ("ARIMA_USACCDEATHS", "s.window = 9, t.window = 31, t.jump = 4, l.jump = 5", False),
]

# auto.arima with non-default arguments (defaults are in arima_refs.h's ARIMA_AUTO)
AUTO_CASES = [
    ("ARIMA_LH", "stepwise = FALSE"),
    ("ARIMA_LAKEHURON", "stepwise = FALSE"),
    ("ARIMA_WWWUSAGE", "stepwise = FALSE"),
    ("ARIMA_USACCDEATHS", "stepwise = FALSE"),
    ("ARIMA_LYNX", "stepwise = FALSE, approximation = TRUE"),
    ("ARIMA_LYNX", "ic = 'bic'"),
    ("ARIMA_LYNX", "ic = 'aic'"),
    ("ARIMA_NILE", "allowdrift = FALSE"),
    ("ARIMA_LAKEHURON", "d = 0"),
    ("ARIMA_NOTTEM", "seasonal = FALSE"),
    ("ARIMA_WWWUSAGE", "approximation = TRUE"),
    ("ARIMA_LH", "allowmean = FALSE"),
]

rcode = [R_PRELUDE]
for i, (nm, args, _) in enumerate(STL_CASES):
    rcode.append(
        "tryCatch({ f <- stl(rd('%s', %d), %s); emit('STL%d_S', f$time.series[, 'seasonal']); "
        "emit('STL%d_T', f$time.series[, 'trend']); emit('STL%d_W', f$weights); "
        "emitn('STL%d_WIN', c(f$win, f$deg, f$jump, f$inner, f$outer)) }, "
        "error = function(e) err('STL%d', e))" % (nm, FREQ[nm], args, i, i, i, i, i))
for nm in SEASONAL:
    rcode.append(
        "tryCatch({ x <- rd('%s', %d); emit('SEAS_%s', forecast:::seas.heuristic(x)); "
        "emitn('NSD_%s', nsdiffs(x)) }, error = function(e) err('SEAS_%s', e))"
        % (nm, FREQ[nm], nm, nm, nm))
for nm in SERIES_NAMES:
    # ndiffs and, step by step, the KPSS statistic it looks at
    rcode.append(
        "tryCatch({ x <- c(rd('%s', 1)); emitn('ND_%s', ndiffs(x)); for (d in 0:2) { "
        "L <- trunc(3 * sqrt(length(x)) / 13); k <- ur.kpss(x, type = 'mu', use.lag = L); "
        "emit(paste0('KPSS_%s_', d), c(k@teststat, L, length(x))); x <- diff(x) } }, "
        "error = function(e) err('ND_%s', e))" % (nm, nm, nm, nm))
rcode.append("emit('KPSS_CVAL', ur.kpss(1:10 + sin(1:10), type = 'mu')@cval[1, ])")
for i, (nm, extra) in enumerate(AUTO_CASES):
    rcode.append(
        "tryCatch({ x <- rd('%s', %d); "
        "tr <- capture.output(f <- auto.arima(x, %s, trace = TRUE)); "
        "for (l in tr) cat('AUTO%d_TRACE\\t', l, '\\n', sep = ''); "
        "emitn('AUTO%d_ARMA', f$arma); emitn('AUTO%d_NAMES', names(f$coef)); "
        "emit('AUTO%d_COEF', f$coef); emit('AUTO%d_INFO', c(f$aicc, f$aic, f$bic, f$loglik, "
        "f$sigma2, f$nobs)) }, error = function(e) err('AUTO%d', e))"
        % (nm, FREQ[nm], extra, i, i, i, i, i, i))

R_OUT = {}
for line in rscript("\n".join(rcode)).splitlines():
    if line.startswith("VERSION"):
        _, R_VERSION, FORECAST_VERSION, URCA_VERSION = line.split()
        continue
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
    return np.array([{"NA": np.nan, "NaN": np.nan, "Inf": np.inf, "-Inf": -np.inf}[t]
                     if t in ("NA", "NaN", "Inf", "-Inf") else float.fromhex(t)
                     for t in v.split()])


def var(v):
    v = np.asarray(v, float)
    v = v[~np.isnan(v)]
    return float(np.sum((v - v.mean()) ** 2) / (len(v) - 1))


# =========================================================================
# Section 1: STL
# =========================================================================
out.section("1. R %s stats::stl (the Fortran of Cleveland et al. 1990); cross-checked with "
            "statsmodels %s STL" % (R_VERSION, statsmodels.__version__))
out.comment(
    "STL_CASES: one row per stl(ts(x, frequency = f), ...) call. win_s/t/l, deg_s/t/l,\n"
    "jump_s/t/l, inner, outer are the values R reports in f$win, f$deg, f$jump, f$inner,\n"
    "f$outer (for 'periodic' R reports win_s = 10 n + 1); periodic = s.window = 'periodic'.\n"
    "STL_SEASONAL / STL_TREND / STL_WEIGHTS: f$time.series[, 'seasonal'], [, 'trend'] and\n"
    "f$weights of every row, concatenated, row r at [off, off + n).")
stl_rows, stl_calls, stl_s, stl_t, stl_w = [], [], [], [], []
sm_s, sm_t, sm_w = [], [], []
worst_sm, quirk = 0.0, []
for i, (nm, args, robust) in enumerate(STL_CASES):
    s, t, w = rnum("STL%d_S" % i), rnum("STL%d_T" % i), rnum("STL%d_W" % i)
    win = [int(float(v)) for v in R_OUT["STL%d_WIN" % i].split()]
    periodic = "periodic" in args
    y = DATA[nm]
    sm_off = -1
    if not periodic:
        # the same decomposition by statsmodels' STL
        ns, nt, nl, sdeg, tdeg, ldeg, sj, tj, lj, inner, outer = win
        res = STL(y, period=FREQ[nm], seasonal=ns, trend=nt, low_pass=nl, seasonal_deg=sdeg,
                  trend_deg=tdeg, low_pass_deg=ldeg, robust=robust, seasonal_jump=sj,
                  trend_jump=tj, low_pass_jump=lj).fit(inner_iter=inner, outer_iter=outer)
        gap = max(float(np.max(np.abs(res.seasonal - s)) / np.max(np.abs(s))),
                  float(np.max(np.abs(res.trend - t)) / np.max(np.abs(t))),
                  float(np.max(np.abs(res.weights - w))))
        if robust and gap > 1e-6:
            # R's stlrwt takes the median of |y - fit| with psort(rw, n, mid, 2), mid =
            # (n/2 + 1, n - n/2): for even n the indices are in decreasing order, which its
            # partial quicksort does not handle, and it can return other order statistics;
            # statsmodels (and sheaf) take the true median. Keep statsmodels' values.
            quirk.append("%s (n = %d): %.2g" % (nm, len(y), gap))
            sm_off = len(sm_s)
            sm_s.extend(res.seasonal)
            sm_t.extend(res.trend)
            sm_w.extend(res.weights)
        else:
            worst_sm = max(worst_sm, gap)
    stl_rows.append([SID[nm], FREQ[nm], len(y), float(periodic)] + win + [len(stl_s), sm_off])
    stl_calls.append("stl(ts(%s, frequency = %d), %s)" % (nm, FREQ[nm], args))
    stl_s.extend(s)
    stl_t.extend(t)
    stl_w.extend(w)
out.log("STL: statsmodels STL vs R stl (non-periodic rows): max |diff| / max |component| "
        "%.1e (weights: abs)" % worst_sm)
assert worst_sm < 1e-9, worst_sm
out.log("STL: robust rows where R's median of |residual| is not the median (psort quirk, even n) "
        "and statsmodels' STL differs (max gap): %s" % "; ".join(quirk))
assert len(quirk) == 1
out.table("STL_CASES", stl_rows, stl_calls,
          ["series", "period", "n", "periodic", "win_s", "win_t", "win_l", "deg_s", "deg_t",
           "deg_l", "jump_s", "jump_t", "jump_l", "inner", "outer", "off", "sm_off"],
          "the stl() calls; series = the ARIMA_SERIES index of arima_refs.h; sm_off >= 0: R's\n"
          " * robust weights took a wrong median (see the opening comment), and STL_SM_* at\n"
          " * [sm_off, sm_off + n) hold statsmodels' STL of the same call (the true median)")
out.arr("STL_SEASONAL", stl_s, "f$time.series[, 'seasonal'] of each STL_CASES row")
out.arr("STL_TREND", stl_t, "f$time.series[, 'trend'] of each STL_CASES row")
out.arr("STL_WEIGHTS", stl_w, "f$weights of each STL_CASES row")
out.arr("STL_SM_SEASONAL", sm_s, "statsmodels STL(...).fit(inner_iter, outer_iter).seasonal for "
        "the STL_CASES rows with sm_off >= 0")
out.arr("STL_SM_TREND", sm_t, "the same .trend")
out.arr("STL_SM_WEIGHTS", sm_w, "the same .weights")

# =========================================================================
# Section 2: seasonal strength and nsdiffs
# =========================================================================
out.section("2. forecast %s: seas.heuristic (seasonal strength) and nsdiffs" % FORECAST_VERSION)
seas_rows, seas_calls, worst_seas = [], [], 0.0
for nm in SEASONAL:
    val = rnum("SEAS_" + nm)[0]
    i = [k for k, c in enumerate(STL_CASES) if c[0] == nm and c[1] == "s.window = 11"][0]
    off, n = int(stl_rows[i][-2]), len(DATA[nm])
    s, t = np.array(stl_s[off:off + n]), np.array(stl_t[off:off + n])
    r = (DATA[nm] - s) - t
    own = max(0.0, min(1.0, 1.0 - var(r) / var(r + s)))
    worst_seas = max(worst_seas, abs(own - val))
    seas_rows.append([SID[nm], FREQ[nm], val, float(R_OUT["NSD_" + nm])])
    seas_calls.append("forecast:::seas.heuristic(ts(%s, frequency = %d)); nsdiffs(same)"
                      % (nm, FREQ[nm]))
out.log("SEAS: own 1 - var(R)/var(R + S) from R's stl vs seas.heuristic: max abs diff %.1e"
        % worst_seas)
assert worst_seas < 1e-12
out.table("SEAS_STRENGTH", seas_rows, seas_calls, ["series", "freq", "strength", "nsdiffs"],
          "seasonal strength max(0, min(1, 1 - var(R)/var(R + S))) of mstl(x) (= stl(x,\n"
          " * s.window = 11) for one period) and nsdiffs(x) (test 'seas': strength > 0.64,\n"
          " * max.D = 1)")

# =========================================================================
# Section 3: ndiffs and KPSS
# =========================================================================
cval = rnum("KPSS_CVAL")
out.section("3. forecast %s ndiffs (test 'kpss', alpha 0.05) and urca %s ur.kpss" % (
    FORECAST_VERSION, URCA_VERSION))
nd_rows, nd_calls, worst_k = [], [], 0.0
for nm in SERIES_NAMES:
    nd = int(R_OUT["ND_" + nm])
    x = DATA[nm].copy()
    stats = []
    for d in range(3):
        stat, lag, n = rnum("KPSS_%s_%d" % (nm, d))
        sm_stat = kpss(x, regression="c", nlags=int(lag))[0]
        worst_k = max(worst_k, abs(sm_stat - stat) / stat)
        assert int(lag) == math.trunc(3 * math.sqrt(len(x)) / 13) and int(n) == len(x)
        stats.append([stat, lag])
        x = np.diff(x)
    # replay ndiffs: difference while p < 0.05, i.e. stat > the 5% value (p interpolated in
    # urca's table, clipped to [0.01, 0.10])
    own = 0
    while own < 2 and np.interp(stats[own][0], cval, [0.10, 0.05, 0.025, 0.01]) < 0.05:
        own += 1
    assert own == nd, (nm, own, nd)
    nd_rows.append([SID[nm], float(nd)] + [v for sv in stats for v in sv])
    nd_calls.append("ndiffs(%s)" % nm)
out.log("KPSS: statsmodels kpss(x, 'c', nlags = L) vs urca ur.kpss(x, 'mu', use.lag = L) on x, "
        "diff(x), diff(x, 2): max rel %.1e; ndiffs replayed from them: all equal" % worst_k)
assert worst_k < 1e-12
out.arr("KPSS_CVAL_MU", cval, "ur.kpss(type = 'mu')@cval[1, ]: critical values at 10%, 5%, "
        "2.5%, 1%")
out.table("NDIFFS", nd_rows, nd_calls,
          ["series", "ndiffs", "stat0", "lag0", "stat1", "lag1", "stat2", "lag2"],
          "ndiffs(x) (alpha 0.05, test 'kpss', type 'level', max.d 2) and the statistics of\n"
          " * ur.kpss(diff(x, differences = d), type = 'mu', use.lag = trunc(3 sqrt(n_d) / 13))\n"
          " * for d = 0, 1, 2 (n_d = n - d)")

# =========================================================================
# Section 4: auto.arima with non-default arguments
# =========================================================================
out.section("4. forecast %s auto.arima with non-default arguments (R %s)" % (
    FORECAST_VERSION, R_VERSION))
auto_rows, auto_calls, auto_coef, trace_rows, trace_calls = [], [], [], [], []
pat = re.compile(r"ARIMA\((\d+),(\d+),(\d+)\)(?:\((\d+),(\d+),(\d+)\)\[(\d+)\])?\s*"
                 r"(with non-zero mean|with drift|with zero mean)?\s*:\s*(\S+)")
for i, (nm, extra) in enumerate(AUTO_CASES):
    arma = [int(v) for v in R_OUT["AUTO%d_ARMA" % i].split()]  # p q P Q s d D
    names = R_OUT["AUTO%d_NAMES" % i].split()
    coef = rnum("AUTO%d_COEF" % i) if names else np.zeros(0)
    info = rnum("AUTO%d_INFO" % i)
    n, freq = len(DATA[nm]), FREQ[nm]
    approx = ("approximation = TRUE" in extra) or (
        "approximation = FALSE" not in extra and (n > 150 or freq > 12))
    auto_rows.append([SID[nm], freq, float(approx), arma[0], arma[5], arma[1], arma[2], arma[6],
                      arma[3], arma[4], float("intercept" in names), float("drift" in names)]
                     + list(info) + [len(auto_coef), len(coef)])
    auto_calls.append("auto.arima(ts(%s, frequency = %d), %s): coef %s" % (
        nm, freq, extra, "/".join(names) if names else "(none)"))
    auto_coef.extend(coef)
    phase = 0
    for line in R_OUT.get("AUTO%d_TRACE" % i, []):
        if "re-fitting" in line:
            phase = 1
        m = pat.search(line)
        if not m:
            continue
        g = m.groups()
        mean = {"with non-zero mean": 1, "with drift": 2, "with zero mean": 0, None: 0}[g[7]]
        ic = np.inf if g[8] == "Inf" else float(g[8])
        trace_rows.append([i, phase] + [int(g[j]) if g[j] is not None else 0 for j in range(7)]
                          + [mean, ic])
        trace_calls.append(line.strip())
    out.log("AUTO2_%d %s %s: ARIMA(%d,%d,%d)(%d,%d,%d)[%d] %s aicc %.6f" % (
        i, nm, extra, arma[0], arma[5], arma[1], arma[2], arma[6], arma[3], arma[4],
        "/".join(names), info[0]))
out.arr("AUTO2_COEF", auto_coef, "every AUTO2 row's f$coef (R's order: ar, ma, sar, sma, "
        "intercept/drift), at [coef_off, coef_off + n_coef)")
out.table("AUTO2", auto_rows, auto_calls,
          ["series", "freq", "approximation", "p", "d", "q", "sp", "sd", "sq", "m", "mean",
           "drift", "aicc", "aic", "bic", "loglik", "sigma2", "nobs", "coef_off", "n_coef"],
          "f <- auto.arima(ts(x, frequency = freq), ...): the columns of arima_refs.h's\n"
          " * ARIMA_AUTO (chosen orders, mean / drift coefficient present, f$aicc, f$aic, f$bic,\n"
          " * f$loglik, f$sigma2, f$nobs); approximation = whether it was on.")
out.table("AUTO2_TRACE", trace_rows, trace_calls,
          ["run", "phase", "p", "d", "q", "sp", "sd", "sq", "m", "const", "ic"],
          "the trace = TRUE lines of each AUTO2 row (run = row index), in search order;\n"
          " * phase 0 = the search (CSS values when approximation), 1 = the refit without\n"
          " * approximation; const: 0 none, 1 non-zero mean, 2 drift; ic as printed with\n"
          " * options(digits = 17) (Inf = the fit failed or was rejected).")

# =========================================================================
# Write
# =========================================================================
versions = "R %s, forecast %s, urca %s; cross-checks: python %s, numpy %s, statsmodels %s" % (
    R_VERSION, FORECAST_VERSION, URCA_VERSION, sys.version.split()[0], np.__version__,
    statsmodels.__version__)
head = ["/* arima_auto_refs.h - GENERATED by tests/data/timeseries/gen_arima_auto_refs.py; do not",
        " * edit. " + versions,
        " * Data: the ARIMA_* series arrays of arima_refs.h (include it first). Checks printed by",
        " * the script when it ran:"]
head += [" *   " + n for n in out.notes]
head += [" * Arrays are flat row-major doubles with _ROWS/_COLS (2-D) and _LEN macros; each",
         " * follows a comment with the exact call. */",
         "#ifndef SHEAF_TESTS_ARIMA_AUTO_REFS_H", "#define SHEAF_TESTS_ARIMA_AUTO_REFS_H", "",
         "#include <math.h>", ""]
with open(os.path.join(HERE, "arima_auto_refs.h"), "w") as fh:
    fh.write("\n".join(head) + "\n" + "\n".join(out.lines)
             + "\n#endif /* SHEAF_TESTS_ARIMA_AUTO_REFS_H */\n")
for f in os.listdir(TMP):
    os.remove(os.path.join(TMP, f))
os.rmdir(TMP)
