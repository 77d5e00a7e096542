"""Shared fixtures. The package is imported from python/ of this tree; the
library from $SHEAF_LIBRARY (set by `make test-python`) or build/."""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "python"))

BIG_ROWS = 200_000


def write_big_numeric(path, n_rows=BIG_ROWS, seed=20240601):
    """A random numeric CSV (fixed seed): ints, round-trip floats, floats with
    few digits, scientific notation, and a sprinkling of empty cells."""
    rng = np.random.default_rng(seed)
    ints = rng.integers(-10**12, 10**12, size=n_rows)
    small = rng.integers(0, 100, size=n_rows)
    full = rng.standard_normal(n_rows) * 10.0 ** rng.integers(-5, 6, size=n_rows)
    short = np.round(rng.uniform(-1000, 1000, size=n_rows), 3)
    sci = rng.lognormal(0, 20, size=n_rows)
    holes = rng.standard_normal(n_rows)
    holes_text = np.array(["%.17g" % v for v in holes], dtype=object)
    holes_text[rng.random(n_rows) < 0.05] = ""
    with open(path, "w") as f:
        f.write("id,ints,small,full,short,sci,holes\n")
        for row in zip(range(n_rows), ints.tolist(), small.tolist(), full.tolist(),
                       short.tolist(), sci.tolist(), holes_text.tolist()):
            f.write("%d,%d,%d,%r,%.3f,%.9e,%s\n" % row)
    return path


@pytest.fixture(scope="session")
def big_csv(tmp_path_factory):
    return write_big_numeric(tmp_path_factory.mktemp("big") / "big.csv")
