"""Peer for bench granger_matrix: the loop users run today, statsmodels'
grangercausalitytests(y[:, [i, j]], MAXLAG, verbose=False) for every
ordered pair (i caused, j causing), i != j, of the series of a
bench/gen/gen_granger_series.py folder, timed REPEAT times (the whole loop;
one run takes tens of seconds). The ssr F statistics and p-values of the
last run go to OUT_FILE as raw float64: F then p, each K x K x MAXLAG at
[(i K + j) MAXLAG + lag - 1], NaN on the diagonal (sheaf_granger_matrix's
layout). Prints, one per line:
  median_s 23.456789
  pairs 2450
  blas openblas 0.3.21 openmp 2 threads   (threadpoolctl, when installed)
usage: /usr/bin/python3 bench/peers/granger_statsmodels.py DIR MAXLAG REPEAT OUT_FILE"""

import json
import os
import sys
import time

import numpy as np
from statsmodels.tsa.stattools import grangercausalitytests


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


def all_pairs(y, maxlag):
    k = y.shape[1]
    stat = np.full((k, k, maxlag), np.nan)
    pval = np.full((k, k, maxlag), np.nan)
    for i in range(k):
        for j in range(k):
            if i == j:
                continue
            res = grangercausalitytests(y[:, [i, j]], maxlag, verbose=False)
            for lag in range(1, maxlag + 1):
                stat[i, j, lag - 1], pval[i, j, lag - 1] = res[lag][0]["ssr_ftest"][:2]
    return stat, pval


def main(folder, maxlag, repeat, out_file):
    meta = json.load(open(os.path.join(folder, "meta.json")))
    t, k = meta["t"], meta["k"]
    y = np.fromfile(os.path.join(folder, "Y.f64"), "<f8", t * k).reshape(t, k)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        stat, pval = all_pairs(y, maxlag)
        times.append(time.perf_counter() - start)
    np.concatenate([stat.ravel(), pval.ravel()]).astype("<f8").tofile(out_file)
    print("median_s %.6f" % float(np.median(times)))
    print("pairs %d" % (k * (k - 1)))
    print(blas_line())


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
