"""Writes window_reference.h: pandas' answers for the window operations of
sheaf_window.h on one small fixed data set, for tests/data/test_window_*.c.

Run: /usr/bin/python3 tests/data/window/gen_window.py   (from the repository root)

The data: 25 rows, keys 0..2 plus key 7 with a single row, irregular integer
times (seconds) given out of order, a float column with NaN and an int
column with ties. Keyed references are in (k, t) order - the row order
sheaf returns - and come from df.sort_values(['k', 't'], kind='stable')
.groupby('k'); unkeyed references are in row order from the Series."""

import os

import numpy as np
import pandas as pd

N = 25
rng = np.random.default_rng(20240607)
k = rng.choice([0, 1, 2], size=N)
k[11] = 7  # a key with a single row
t = rng.permutation(np.arange(N) * 7 + rng.integers(0, 5, N))  # distinct, irregular, unordered
x = np.round(rng.standard_normal(N) * 10, 3)
x[[2, 3, 9, 17, 18, 19, 23]] = np.nan
ints = rng.integers(0, 4, N)

df = pd.DataFrame({"k": k, "t": t, "x": x, "i": ints})
df["ts"] = pd.to_datetime(df["t"], unit="s")
order = df.sort_values(["k", "t"], kind="stable").index.to_numpy()
srt = df.loc[order].reset_index(drop=True)
g = srt.groupby("k")


def flat(r):
    return np.asarray(r, dtype=float)


ref = {}
ref["order"] = order
ref["lag1"] = flat(g["x"].shift(1))
ref["lead2"] = flat(g["x"].shift(-2))
ref["diff2_order2"] = flat(srt.assign(d=g["x"].diff(2)).groupby("k")["d"].diff(2))
ref["pct1"] = flat(g["x"].pct_change(1))
for agg in ["mean", "sum", "std", "var", "min", "max"]:
    ref["roll3_min2_" + agg] = flat(getattr(g["x"].rolling(3, min_periods=2), agg)().values)
    ref["roll20s_" + agg] = flat(getattr(srt.groupby("k").rolling("20s", on="ts")["x"], agg)()
                                 .values)
ref["expanding"] = flat(g["x"].expanding().mean().values)
ref["cumsum"] = flat(g["x"].cumsum())
ref["ewm_adjust"] = flat(g["x"].ewm(alpha=0.3, adjust=True).mean().values)
ref["ewm_plain"] = flat(g["x"].ewm(alpha=0.3, adjust=False).mean().values)
for m in ["average", "min", "max", "first", "dense"]:
    ref["rank_i_" + m] = flat(g["i"].rank(method=m))
    ref["rank_x_desc_" + m] = flat(g["x"].rank(method=m, ascending=False))
ref["ffill"] = flat(g["x"].ffill())
ref["bfill"] = flat(g["x"].bfill())
# unkeyed, row order
ref["u_lag2"] = flat(df["x"].shift(2))
ref["u_diff1"] = flat(df["x"].diff(1))
ref["u_roll4_mean"] = flat(df["x"].rolling(4).mean())
ref["u_roll4_max"] = flat(df["x"].rolling(4, min_periods=1).max())
ref["u_cumsum"] = flat(df["x"].cumsum())
ref["u_ffill"] = flat(df["x"].ffill())
ref["u_bfill"] = flat(df["x"].bfill())
# unkeyed with a time: rows sorted by t
dt = df.sort_values("t", kind="stable").reset_index(drop=True)
ref["t_order"] = df.sort_values("t", kind="stable").index.to_numpy()
ref["t_roll30s_mean"] = flat(dt.rolling("30s", on="ts")["x"].mean())


def c_double(v):
    return "NAN" if np.isnan(v) else repr(float(v))


here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "window_reference.h"), "w") as out:
    out.write("/* window_reference.h - written by gen_window.py; do not edit.\n"
              " * pandas %s, numpy %s; seed 20240607. Calls: see gen_window.py. */\n"
              % (pd.__version__, np.__version__))
    out.write("#include <math.h>\n#include <stddef.h>\n#include <stdint.h>\n\n#define WREF_N %d\n" % N)
    out.write("static const int64_t wref_k[] = {%s};\n" % ", ".join(map(str, k)))
    out.write("static const int64_t wref_t[] = {%s};\n" % ", ".join(map(str, t)))
    out.write("static const int64_t wref_i[] = {%s};\n" % ", ".join(map(str, ints)))
    out.write("static const double wref_x[] = {%s};\n" % ", ".join(map(c_double, x)))
    for name, values in ref.items():
        if values.dtype.kind in "iu":
            out.write("static const size_t wref_%s[] = {%s};\n"
                      % (name, ", ".join(map(str, values))))
        else:
            out.write("static const double wref_%s[] = {%s};\n"
                      % (name, ", ".join(map(c_double, values))))
