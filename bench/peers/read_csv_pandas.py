"""Peer for bench csv_read: pandas.read_csv(FILE) with default options,
timed REPEAT times. Prints the median wall time, the row count and
per-column sums, the checksum bench/data/bench_csv_read prints too (floats
summed exactly with math.fsum, skipping NaN, so the order of addition does
not matter; ints exactly), one per line:
  median_s 1.234567
  rows 1000000
  sum f00 -123.4567
usage: /usr/bin/python3 bench/peers/read_csv_pandas.py FILE [REPEAT]"""

import math
import sys
import time

import numpy as np
import pandas as pd


def main(path, repeat=5):
    times, df = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        df = pd.read_csv(path)
        times.append(time.perf_counter() - start)
    print("median_s %.6f" % float(np.median(times)))
    print("rows %d" % len(df))
    for name in df.columns:
        values = df[name].to_numpy()
        if values.dtype.kind == "f":
            print("sum %s %r" % (name, math.fsum(values[~np.isnan(values)].tolist())))
        else:
            print("sum %s %d" % (name, int(values.sum())))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5)
