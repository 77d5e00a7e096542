"""Peer for bench adf_autolag: the loop users run today, statsmodels'
adfuller(x, regression='c', autolag='AIC') (default maxlag) on each of the
first SUBSET series of a bench/gen/gen_adf_series.py folder, timed REPEAT
times (the whole loop; one call takes milliseconds, so the full 10,000
series would take about a minute: run.py times a subset and scales by the
series count). [stat, pvalue, usedlag, nobs] of each series of the last run
go to OUT_FILE as raw float64, SUBSET x 4 row-major (bench_adf's layout).
Prints, one per line:
  median_s 6.123456
  series 1000
  blas openblas 0.3.21 openmp 2 threads   (threadpoolctl, when installed)
usage: /usr/bin/python3 bench/peers/adf_statsmodels.py DIR SUBSET REPEAT OUT_FILE"""

import sys

import numpy as np
from statsmodels.tsa.stattools import adfuller

import peer_common


def every_series(x):
    """[stat, pvalue, usedlag, nobs] of each row of x."""
    out = np.empty((x.shape[0], 4))
    for i in range(x.shape[0]):
        out[i] = adfuller(x[i], regression="c", autolag="AIC")[:4]
    return out


def main(folder, subset, repeat, out_file):
    meta = peer_common.read_meta(folder)
    n, t = meta["n"], meta["t"]
    if not 0 < subset <= n:
        sys.exit("SUBSET must be in 1..%d" % n)
    x = peer_common.read_array(folder, "X.f64", subset, t)
    times, out = peer_common.timed(lambda: every_series(x), repeat)
    peer_common.report(out_file, [out], times, ["series %d" % subset])


if __name__ == "__main__":
    main(*peer_common.command_line(__doc__))
