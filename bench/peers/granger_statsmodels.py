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

import numpy as np
from statsmodels.tsa.stattools import grangercausalitytests

import peer_common


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
    meta = peer_common.read_meta(folder)
    t, k = meta["t"], meta["k"]
    y = peer_common.read_array(folder, "Y.f64", t, k)
    times, (stat, pval) = peer_common.timed(lambda: all_pairs(y, maxlag), repeat)
    peer_common.report(out_file, [stat, pval], times, ["pairs %d" % (k * (k - 1))])


if __name__ == "__main__":
    main(*peer_common.command_line(__doc__))
