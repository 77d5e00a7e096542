"""Peer for the bench entries arima_fit and sarima_fit: the loop users run
today, statsmodels' ARIMA(y, order, seasonal_order, trend).fit() (default
settings: exact ML through the Kalman filter, L-BFGS, stationarity and
invertibility enforced) on each of the first SUBSET series of a
bench/gen/gen_arima_series.py folder, timed REPEAT times (the whole loop;
one fit takes 0.05-0.5 s, so run.py times a subset and scales by the series
count). The model follows the folder's kind:

  arima   order (1,1,1), trend 't' (the drift; params x1, ar.L1, ma.L1, sigma2)
  sarima  order (1,0,1), seasonal_order (1,1,1,12), trend 'n'
          (params ar.L1, ma.L1, ar.S.L12, ma.S.L12, sigma2)

With AT_FILE (raw float64, SUBSET x K row-major, statsmodels' parameter
order; NaN rows are skipped) the script also evaluates, untimed,
ARIMA(...).loglike(params) of each series at those parameters: the
statsmodels log-likelihood of another program's estimates (R's), so that
run.py can compare fits in one convention.

OUT_FILE gets raw float64, SUBSET x (3 + K) row-major: llf, converged (1/0,
mle_retvals), llf at AT_FILE's row (NaN without AT_FILE), then the K
parameters. Prints, one per line:
  median_s 17.123456
  series 200
  per_fit_ms 85.6
  not_converged 0
  blas openblas 0.3.21 openmp 1 threads   (threadpoolctl, when installed)
usage: /usr/bin/python3 bench/peers/arima_statsmodels.py DIR SUBSET REPEAT OUT_FILE [AT_FILE]"""

import sys
import warnings

import numpy as np
from statsmodels.tsa.arima.model import ARIMA

import peer_common

MODELS = {  # kind: (order, seasonal_order, trend)
    "arima": ((1, 1, 1), (0, 0, 0, 0), "t"),
    "sarima": ((1, 0, 1), (1, 1, 1, 12), "n"),
}


def model(kind, y):
    order, seasonal_order, trend = MODELS[kind]
    return ARIMA(y, order=order, seasonal_order=seasonal_order, trend=trend)


def every_series(kind, y):
    """[llf, converged, params...] of each row of y."""
    rows = []
    with warnings.catch_warnings():  # convergence and start-parameter warnings
        warnings.simplefilter("ignore")
        for i in range(y.shape[0]):
            res = model(kind, y[i]).fit()
            rows.append(np.concatenate([[res.llf, float(res.mle_retvals["converged"])],
                                        res.params]))
    return np.array(rows)


def loglike_at(kind, y, at):
    """ARIMA(...).loglike(at[i]) of each row of y (NaN where at[i] has one)."""
    out = np.full(y.shape[0], np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in range(y.shape[0]):
            if np.all(np.isfinite(at[i])):
                out[i] = model(kind, y[i]).loglike(at[i])
    return out


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    folder, subset, repeat, out_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), \
        sys.argv[4]
    meta = peer_common.read_meta(folder)
    kind, n, t = meta["kind"], meta["n"], meta["t"]
    if kind not in MODELS:
        sys.exit("arima_statsmodels.py: folder kind %r is not arima or sarima" % kind)
    if not 0 < subset <= n:
        sys.exit("SUBSET must be in 1..%d" % n)
    if repeat < 1:
        sys.exit("REPEAT must be at least 1")
    y = peer_common.read_array(folder, "Y.f64", subset, t)
    times, fits = peer_common.timed(lambda: every_series(kind, y), repeat)
    k = fits.shape[1] - 2
    at = np.full(subset, np.nan)
    if len(sys.argv) == 6:
        at = loglike_at(kind, y, np.fromfile(sys.argv[5], "<f8", subset * k).reshape(subset, k))
    out = np.column_stack([fits[:, :2], at, fits[:, 2:]])
    peer_common.report(out_file, [out], times, [
        "series %d" % subset, "per_fit_ms %.3f" % (1e3 * float(np.median(times)) / subset),
        "not_converged %d" % int(np.sum(fits[:, 1] == 0))])


if __name__ == "__main__":
    main()
