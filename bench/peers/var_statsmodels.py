"""Peer for the VAR lag-selection benchmarks: statsmodels'
VAR(Y).fit(maxlags=MAXLAGS, ic='aic') - select_order(MAXLAGS) with a
constant, then the fit at the order AIC chose - on a
bench/gen/gen_var_series.py folder, timed REPEAT times (model construction
included, as a user runs it). The select_order result the fit computes is
kept (select_order is wrapped on the instance, costing nothing), so the
last run's table ((MAXLAGS + 1) x 4: aic, bic, hqic, fpe) and params
((1 + K p) x K) go to OUT_FILE as raw float64, the layout of bench_var.
Prints, one per line:
  median_s 12.345678
  order_aic 2   (and bic, hqic, fpe)
  k_ar 2
  blas openblas 0.3.21 openmp 2 threads   (threadpoolctl, when installed)
usage: /usr/bin/python3 bench/peers/var_statsmodels.py DIR MAXLAGS REPEAT OUT_FILE"""

import json
import os
import sys
import time
import warnings

import numpy as np
from statsmodels.tsa.api import VAR

ICS = ("aic", "bic", "hqic", "fpe")  # bench_var's column order


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


def fit(y, maxlags):
    """(results, the LagOrderResults fit chose from)."""
    model = VAR(y)
    seen = {}
    select_order = model.select_order

    def keep(*args, **kwargs):
        seen["selection"] = select_order(*args, **kwargs)
        return seen["selection"]

    model.select_order = keep
    return model.fit(maxlags=maxlags, ic="aic"), seen["selection"]


def main(folder, maxlags, repeat, out_file):
    meta = json.load(open(os.path.join(folder, "meta.json")))
    t, k = meta["t"], meta["k"]
    y = np.fromfile(os.path.join(folder, "Y.f64"), "<f8", t * k).reshape(t, k)
    times = []
    warnings.simplefilter("ignore")
    for _ in range(repeat):
        start = time.perf_counter()
        res, sel = fit(y, maxlags)
        times.append(time.perf_counter() - start)
    table = np.column_stack([sel.ics[name] for name in ICS])
    np.concatenate([table.ravel(), np.asarray(res.params).ravel()]).astype("<f8").tofile(out_file)
    print("median_s %.6f" % float(np.median(times)))
    for name in ICS:
        print("order_%s %d" % (name, sel.selected_orders[name]))
    print("k_ar %d" % res.k_ar)
    print(blas_line())


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
