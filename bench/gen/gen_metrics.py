"""Generates the metric tables of the assembler benchmarks: ROWS rows of
KEYS instances observed at ROWS/KEYS timestamps each, 4 float64 metric
columns (about 1% missing), a 4-level category, rows shuffled as scraped
tables arrive. Each table is a folder of raw little-endian arrays that both
sides load without parsing:

  key.i64   instance id            time.i64  ns since the epoch (1-min grid)
  m0..m3.f64  metrics (NaN missing) cat.u8   index into CATEGORIES

numpy.random.default_rng(seed); tables of one run share the (key, time)
grid so they join one to one, and differ in seed for values and order.

usage: /usr/bin/python3 bench/gen/gen_metrics.py OUTDIR [ROWS KEYS TABLES]"""

import json
import os
import sys

import numpy as np

CATEGORIES = ["cpu", "disk", "mem", "net"]
START_NS = 1_700_000_000 * 10**9
STEP_NS = 60 * 10**9


def generate(folder, rows, keys, seed):
    rng = np.random.default_rng(seed)
    per_key = rows // keys
    key = np.repeat(np.arange(keys, dtype=np.int64), per_key)
    time = START_NS + STEP_NS * np.tile(np.arange(per_key, dtype=np.int64), keys)
    order = rng.permutation(key.size)
    os.makedirs(folder, exist_ok=True)
    key[order].tofile(os.path.join(folder, "key.i64"))
    time[order].tofile(os.path.join(folder, "time.i64"))
    level = rng.normal(100.0, 30.0, keys)[key[order]]
    for j in range(4):
        m = level * (j + 1) + rng.normal(0.0, 5.0, key.size).cumsum() / 1000.0
        m[rng.random(key.size) < 0.01] = np.nan
        m.tofile(os.path.join(folder, "m%d.f64" % j))
    rng.integers(0, len(CATEGORIES), key.size, dtype=np.uint8).tofile(
        os.path.join(folder, "cat.u8"))
    with open(os.path.join(folder, "meta.json"), "w") as f:
        json.dump({"rows": int(key.size), "keys": keys, "seed": seed,
                   "categories": CATEGORIES}, f)


def ensure(out, rows, keys, tables):
    """Folders out/metrics_<rows>_<keys>/t<i> for i < tables, made once."""
    base = os.path.join(out, "metrics_%d_%d" % (rows, keys))
    folders = []
    for i in range(tables):
        folder = os.path.join(base, "t%d" % i)
        if not os.path.exists(os.path.join(folder, "meta.json")):
            generate(folder, rows, keys, 2026 + i)
        folders.append(folder)
    return folders


def load_pandas(folder, prefix=""):
    """The table as a pandas DataFrame (the peer's input)."""
    import pandas as pd

    n = json.load(open(os.path.join(folder, "meta.json")))["rows"]
    cols = {"key": np.fromfile(os.path.join(folder, "key.i64"), np.int64, n),
            "time": np.fromfile(os.path.join(folder, "time.i64"), np.int64, n).view(
                "datetime64[ns]")}
    for j in range(4):
        cols[prefix + "m%d" % j] = np.fromfile(os.path.join(folder, "m%d.f64" % j), np.float64, n)
    cols["cat"] = pd.Categorical.from_codes(
        np.fromfile(os.path.join(folder, "cat.u8"), np.uint8, n), CATEGORIES)
    return pd.DataFrame(cols)


if __name__ == "__main__":
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000_000
    keys = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
    tables = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    print("\n".join(ensure(sys.argv[1], rows, keys, tables)))
