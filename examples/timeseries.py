"""timeseries.py - the time-series API from Python on statsmodels' macrodata
(bundled as data/macrodata.csv): unit-root tests, the Granger-causality
matrix with Benjamini-Hochberg adjusted p-values, and a VAR whose order AIC
picks, with a causality test, impulse responses and forecasts. Every number
it prints is statsmodels' (tests/python/test_examples.py checks them).
Run from the repository root: PYTHONPATH=python /usr/bin/python3 examples/timeseries.py"""
import numpy as np
import pandas as pd

import sheaf

levels = np.log(pd.read_csv("data/macrodata.csv")[["realgdp", "realcons", "realinv"]])
growth = levels.diff().dropna()  # quarterly growth rates, 202 x 3

stat, pvalue, usedlag, nobs, crit, icbest = sheaf.adfuller(levels["realgdp"], regression="ct")
print("ADF log realgdp (ct): %.3f, p = %.4f, %d lags, 5%% critical %.3f" % (
    stat, pvalue, usedlag, crit["5%"]))
stat, pvalue, usedlag, *_ = sheaf.adfuller(growth["realgdp"])  # regression 'c', autolag AIC
print("ADF realgdp growth (c): %.3f, p = %.4f, %d lags" % (stat, pvalue, usedlag))

matrix = sheaf.granger_matrix(growth.to_numpy(), maxlag=4, adjust="fdr_bh")
print("Granger at lag 4, BH-adjusted p-values [caused, causing]:")
print(np.array2string(matrix.pvalues_adjusted[:, :, 3], precision=4, suppress_small=True))

res = sheaf.VAR(growth).fit(maxlags=8, ic="aic")
print("VAR(%d) chosen by AIC: llf %.3f, stable %s" % (res.k_ar, res.llf, res.is_stable()))
test = res.test_causality("realgdp", ["realinv"], kind="f")
print("realinv -> realgdp: F = %.4f, p = %.4f" % (test.test_statistic, test.pvalue))
print("realgdp response to an orthogonal realinv shock, 4 quarters:",
      np.round(res.irf(4).orth_irfs[1:, 0, 2], 5))
print("forecast, 2 quarters:")
print(np.round(res.forecast(growth.to_numpy()[-res.k_ar:], 2), 5))
