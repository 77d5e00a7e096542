#!/usr/bin/python3
"""Writes var_exog_refs.h: statsmodels 0.13.5's VAR with exogenous series
(VAR(endog, exog)), for tests/timeseries/test_var_exog.c.

Data: statsmodels' bundled macrodata. endog = the log differences of
realgdp, realcons, realinv (var_refs.h's MACRO_Y, 202 x 3); exog = two
series on the same 202 quarters: the log difference of realgovt and the
change of the unemployment rate. Every number is also recomputed here
independently (OLS on a hand-built design, the criteria, the forecast
recursion) and the script stops if they disagree.

Run from the repository root: /usr/bin/python3 tests/data/timeseries/gen_var_exog_refs.py
"""
import os
import sys
import warnings

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from statsmodels.tsa.api import VAR

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir))
from refgen import Header  # noqa: E402

warnings.simplefilter("ignore")
out = Header(full_shapes=True)

data = sm.datasets.macrodata.load_pandas().data
endog = np.log(data[["realgdp", "realcons", "realinv"]]).diff().dropna().to_numpy()
exog = np.column_stack([np.diff(np.log(data["realgovt"].to_numpy())),
                        np.diff(data["unemp"].to_numpy())])
T, k = endog.shape
kx = exog.shape[1]
out.arr("EXOG_X", exog, "exog: [np.diff(np.log(macrodata.realgovt)), np.diff(macrodata.unemp)] "
        "(202 x 2, rows aligned with MACRO_Y of var_refs.h)")


def own_fit(y, x, p, trend):
    """OLS on [trend, exog, lags] built by hand: params and sigma_u."""
    nobs = len(y) - p
    cols = []
    t = np.arange(p + 1, len(y) + 1, dtype=float)
    if trend in ("c", "ct"):
        cols.append(np.ones(nobs))
    if trend == "ct":
        cols.append(t)
    cols += [x[p:, c] for c in range(x.shape[1])]
    for lag in range(1, p + 1):
        cols += [y[p - lag:len(y) - lag, j] for j in range(y.shape[1])]
    z = np.column_stack(cols)
    b = np.linalg.lstsq(z, y[p:], rcond=None)[0]
    u = y[p:] - z @ b
    return b, u.T @ u / (nobs - z.shape[1])


def rel(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


for trend, p in (("c", 2), ("ct", 1), ("n", 2)):
    name = "EXOG_VAR%d_%s" % (p, trend.upper())
    res = VAR(endog, exog=exog).fit(p, trend=trend)
    b, su = own_fit(endog, exog, p, trend)
    assert rel(res.params, b) < 1e-10 and rel(res.sigma_u, su) < 1e-10, name
    out.log("%s: statsmodels vs own OLS: params rel %.1e, sigma_u rel %.1e" % (
        name, rel(res.params, b), rel(res.sigma_u, su)))
    call = "VAR(MACRO_Y, exog=EXOG_X).fit(%d, trend='%s')" % (p, trend)
    out.arr(name + "_PARAMS", res.params, call + ".params (rows: trend terms, exog0, exog1, "
            "L1.y0.., ...; columns the equations)")
    out.arr(name + "_BSE", res.bse, call + ".bse")
    out.arr(name + "_SIGMA_U", res.sigma_u, call + ".sigma_u")
    info = [res.llf, res.aic, res.bic, res.hqic, res.fpe, res.df_resid]
    out.arr(name + "_INFO", info, call + " [llf, aic, bic, hqic, fpe, df_resid]")

res = VAR(endog, exog=exog).fit(2, trend="c")
call = "res = VAR(MACRO_Y, exog=EXOG_X).fit(2, trend='c'); "
future = np.array([[0.01, 0.1], [0.0, -0.1], [0.005, 0.0], [0.002, 0.2]])
out.arr("EXOG_FUTURE", future, "exog_future for 4 steps (chosen values)")
fc = res.forecast(endog[-2:], 4, exog_future=future)
mid, lo, hi = res.forecast_interval(endog[-2:], 4, alpha=0.05, exog_future=future)
own = np.zeros((4, k))
hist = [endog[-2], endog[-1]]
for h in range(4):
    yh = res.params[0] + future[h] @ res.params[1:3]
    yh = yh + res.coefs[0] @ hist[-1] + res.coefs[1] @ hist[-2]
    own[h] = yh
    hist.append(yh)
assert rel(fc, own) < 1e-12
out.log("EXOG_FC: forecast recomputed by the recursion: rel %.1e" % rel(fc, own))
out.arr("EXOG_FC", fc, call + "res.forecast(MACRO_Y[-2:], 4, exog_future=EXOG_FUTURE)")
out.arr("EXOG_FC_LOWER", lo, call + "res.forecast_interval(MACRO_Y[-2:], 4, 0.05, "
        "exog_future=EXOG_FUTURE)[1]")
out.arr("EXOG_FC_UPPER", hi, call + "...[2]")
irf = res.irf(6)
out.arr("EXOG_IRF_STDERR", irf.stderr(orth=False), call + "res.irf(6).stderr(orth=False) "
        "(cov_alpha drops the k * k_exog trend and exog rows)")
out.arr("EXOG_IRF_ORTH_STDERR", irf.stderr(orth=True), call + "res.irf(6).stderr(orth=True)")
c = res.test_causality("y1", ["y3"], kind="f")
out.arr("EXOG_CAUSALITY_Y1_BY_Y3_F", [c.test_statistic, c.pvalue, c.df[0], c.df[1]],
        call + "res.test_causality('y1', ['y3'], kind='f') [stat, p, df_num, df_denom]")
w = res.test_whiteness(nlags=8)
out.arr("EXOG_WHITENESS", [w.test_statistic, w.pvalue, w.df], call +
        "res.test_whiteness(nlags=8) [stat, p, df]")
sel = VAR(endog, exog=exog).select_order(6, trend="c")
ics = np.column_stack([sel.ics[c] for c in ("aic", "bic", "hqic", "fpe")])
out.arr("EXOG_SELECT6_ICS", ics, "VAR(MACRO_Y, exog=EXOG_X).select_order(6, trend='c') .ics, "
        "rows p = 0..6, columns aic, bic, hqic, fpe")
out.arr("EXOG_SELECT6_SELECTED", [sel.aic, sel.bic, sel.hqic, sel.fpe], "selected orders "
        "[aic, bic, hqic, fpe]")
sel_n = VAR(endog, exog=exog).select_order(4, trend="n")
out.arr("EXOG_SELECT4_N_ICS", np.column_stack([sel_n.ics[c] for c in ("aic", "bic", "hqic",
                                                                       "fpe")]),
        "VAR(MACRO_Y, exog=EXOG_X).select_order(4, trend='n') .ics: with exog, order 0 is "
        "fitted even without a trend (rows p = 0..4)")

versions = "python %s, numpy %s, scipy %s, statsmodels %s" % (
    sys.version.split()[0], np.__version__, scipy.__version__, statsmodels.__version__)
head = ["/* var_exog_refs.h - GENERATED by tests/data/timeseries/gen_var_exog_refs.py; do not edit.",
        " * " + versions,
        " * Data: statsmodels.datasets.macrodata (bundled; no download).",
        " * Checks printed by the script when it ran:"]
head += [" *   " + n for n in out.notes]
head += [" * Arrays are flat row-major doubles with _ROWS/_COLS (2-D), _DIM0.. (3-D) and _LEN "
         "macros. */", "#ifndef SHEAF_TESTS_VAR_EXOG_REFS_H", "#define SHEAF_TESTS_VAR_EXOG_REFS_H",
         "", "#include <math.h>", ""]
with open(os.path.join(HERE, "var_exog_refs.h"), "w") as fh:
    fh.write("\n".join(head) + "\n" + "\n".join(out.lines) + "\n#endif /* SHEAF_TESTS_VAR_EXOG_REFS_H */\n")
