"""arima.py - ARIMA from Python on the bundled data/macro_long.csv (seven US
macro series, log levels, quarterly 1959-2009): one series fitted like
statsmodels' ARIMA, then one model per series in a single call.
Run from the repository root: PYTHONPATH=python /usr/bin/python3 examples/arima.py"""
import numpy as np
import pandas as pd

import sheaf

data = pd.read_csv("data/macro_long.csv")
gdp = data[data.series == "realgdp"].set_index("quarter")["log_level"]

res = sheaf.ARIMA(gdp, order=(1, 1, 1), trend="t").fit()
print(res.params.round(6).to_string())
print("llf %.3f  aicc %.3f  Ljung-Box(10) p = %.3f" % (
    res.llf, res.aicc, res.test_serial_correlation("ljungbox", lags=10)[0, 1, -1]))
fc = res.get_forecast(4)
print("real GDP next 4 quarters:", np.round(np.exp(fc.predicted_mean.to_numpy()), 1))

fits = sheaf.arima_fit_many(data, key="series", time="quarter", value="log_level",
                            order=(1, 1, 1), trend="t", horizon=4)
print(fits[["series", "ar.L1", "ma.L1", "llf", "mean_4", "status"]].round(4).to_string(index=False))
