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

import warnings

import numpy as np
from statsmodels.tsa.api import VAR

import peer_common

ICS = ("aic", "bic", "hqic", "fpe")  # bench_var's column order


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
    meta = peer_common.read_meta(folder)
    y = peer_common.read_array(folder, "Y.f64", meta["t"], meta["k"])
    warnings.simplefilter("ignore")
    times, (res, sel) = peer_common.timed(lambda: fit(y, maxlags), repeat)
    table = np.column_stack([sel.ics[name] for name in ICS])
    lines = ["order_%s %d" % (name, sel.selected_orders[name]) for name in ICS]
    peer_common.report(out_file, [table, res.params], times, lines + ["k_ar %d" % res.k_ar])


if __name__ == "__main__":
    main(*peer_common.command_line(__doc__))
