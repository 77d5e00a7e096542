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

import json
import os
import sys
import time

import numpy as np
from statsmodels.tsa.stattools import adfuller


def blas_line():
    """The BLAS numpy calls, as threadpoolctl sees it."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "blas unknown (no threadpoolctl)"
    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            return "blas %s %s %s %d threads" % (pool.get("internal_api"), pool.get("version"),
                                                 pool.get("threading_layer"),
                                                 pool.get("num_threads", 0))
    return "blas none found"


def main(folder, subset, repeat, out_file):
    meta = json.load(open(os.path.join(folder, "meta.json")))
    n, t = meta["n"], meta["t"]
    if not 0 < subset <= n:
        sys.exit("SUBSET must be in 1..%d" % n)
    x = np.fromfile(os.path.join(folder, "X.f64"), "<f8", subset * t).reshape(subset, t)
    out = np.empty((subset, 4))
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for i in range(subset):
            stat, p, lag, nobs = adfuller(x[i], regression="c", autolag="AIC")[:4]
            out[i] = stat, p, lag, nobs
        times.append(time.perf_counter() - start)
    out.astype("<f8").tofile(out_file)
    print("median_s %.6f" % float(np.median(times)))
    print("series %d" % subset)
    print(blas_line())


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
