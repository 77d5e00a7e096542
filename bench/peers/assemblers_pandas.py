"""The pandas side of the assembler benchmarks (bench/run.py): one entry per
call, timed REPEAT times on data already in memory, printing the lines
bench/run.py compares with sheaf's:

  median_s 1.234
  rows 100000
  sum <column> <sum of the column, NaN skipped>

usage: assemblers_pandas.py ENTRY TABLE_FOLDER[,FOLDER...] REPEAT
ENTRY: groupby | join | window | assemble (the same work as
bench/data/bench_assemblers.c; see bench/README.md)."""

import os
import statistics
import sys
import time

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "gen"))
import gen_metrics  # noqa: E402

METRICS = ["m0", "m1", "m2", "m3"]


def groupby(tables):
    df = tables[0]
    out = df.groupby("key").agg({m: ["mean", "std", "count"] for m in METRICS})
    out.columns = ["%s_%s" % c for c in out.columns]
    return out.reset_index()


def join(tables):
    out = tables[0]
    for right in tables[1:]:
        out = out.merge(right, on=["key", "time"], how="left")
    return out


def window(tables):
    df = tables[0].sort_values(["key", "time"], kind="stable")
    by = df.groupby("key", sort=False)["m0"]
    df = df.assign(m0_lag1=by.shift(1), m0_diff1=by.diff(1))
    rolled = df.groupby("key", sort=False)["m0"].rolling(10).mean()
    return df.assign(m0_rolling10=rolled.reset_index(level=0, drop=True))


def assemble(tables):
    """20 features: lag 1 and 2 and diff 1 of each metric within a key by
    time, the metrics standardised (ddof 1, no centring, as Spark's default
    StandardScaler; named as the metric, which the scaler replaces in
    sheaf), one-hot cat (drop last) named cat_<index>, hour of day."""
    df = tables[0].sort_values(["key", "time"], kind="stable")
    by = df.groupby("key", sort=False)
    cols = {}
    for m in METRICS:
        cols[m + "_lag1"] = by[m].shift(1)
        cols[m + "_lag2"] = by[m].shift(2)
        cols[m + "_diff1"] = by[m].diff(1)
    for m in METRICS:
        cols[m] = df[m] / df[m].std()
    # categories in alphabetical order (cpu, disk, mem, net) as sheaf's
    # alphabetical StringIndexer numbers them; the last is dropped
    dummies = pd.get_dummies(df["cat"], dtype=np.float64).iloc[:, :-1]
    for i, name in enumerate(dummies.columns):
        cols["cat_%d" % i] = dummies[name]
    cols["hour"] = df["time"].dt.hour.astype(np.float64)
    features = pd.DataFrame(cols)
    return features.to_numpy(dtype=np.float64), list(features.columns)


def main():
    entry, folders, repeat = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3])
    prefixes = ["", "b_", "c_", "d_"] if entry == "join" else [""]
    tables = [gen_metrics.load_pandas(f, prefix=p) for f, p in zip(folders, prefixes)]
    if entry == "join":
        tables = [tables[0]] + [t.drop(columns="cat") for t in tables[1:]]
    work = {"groupby": groupby, "join": join, "window": window, "assemble": assemble}[entry]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = work(tables)
        times.append(time.perf_counter() - start)
    print("median_s %.6f" % statistics.median(times))
    if entry == "assemble":
        x, names = result
        print("rows %d" % x.shape[0])
        for j, name in enumerate(names):
            print("sum %s %.17g" % (name, np.nansum(x[:, j])))
        return
    print("rows %d" % len(result))
    for name in result.columns:
        if result[name].dtype.kind in "fi" and name not in ("key",):
            print("sum %s %.17g" % (name, np.nansum(result[name].to_numpy(dtype=np.float64))))


if __name__ == "__main__":
    main()
