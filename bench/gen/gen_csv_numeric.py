"""Writes the numeric CSV the csv_read benchmark reads: a header row, then
n_rows rows of 14 float columns (6 to 9 significant digits, magnitudes from
1e-4 to 1e6, so some print in scientific notation) and 6 int64 columns
(ranges from 0..9 to +-1e15). numpy default_rng(seed); same seed, same bytes.

usage: /usr/bin/python3 bench/gen/gen_csv_numeric.py OUT [n_rows] [seed]"""

import os
import sys

import numpy as np

N_FLOAT, N_INT = 14, 6
INT_RANGES = [(0, 10), (-1000, 1000), (0, 10**6), (-10**9, 10**9), (0, 10**12),
              (-10**15, 10**15)]
BLOCK = 50_000  # rows formatted per write


def generate(path, n_rows=1_000_000, seed=12345):
    rng = np.random.default_rng(seed)
    names = ["f%02d" % j for j in range(N_FLOAT)] + ["i%02d" % j for j in range(N_INT)]
    digits = [6 + j % 4 for j in range(N_FLOAT)]
    scales = [10.0 ** (j % 11 - 4) for j in range(N_FLOAT)]
    row = ",".join(["%%.%dg" % d for d in digits] + ["%d"] * N_INT) + "\n"
    tmp = "%s.tmp%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write(",".join(names) + "\n")
        for start in range(0, n_rows, BLOCK):
            n = min(BLOCK, n_rows - start)
            floats = rng.standard_normal((n, N_FLOAT)) * scales
            ints = np.column_stack([rng.integers(lo, hi, size=n) for lo, hi in INT_RANGES])
            cells = [tuple(fl) + tuple(it) for fl, it in zip(floats.tolist(), ints.tolist())]
            f.write("".join(row % c for c in cells))
    os.replace(tmp, path)  # never leave a half-written file under the final name
    return path


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    generate(args[0], *(int(a) for a in args[1:3]))
