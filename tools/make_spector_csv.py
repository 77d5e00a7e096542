#!/usr/bin/python3
"""Writes data/spector.csv from the Spector and Mazzeo (1980) data that
statsmodels bundles (statsmodels/datasets/spector/spector.csv, Debian 12's
python3-statsmodels 0.13.5+dfsg-7), for the logistic-regression examples.

The bundled file is whitespace-separated with quoted header names; this
rewrites it as a plain comma-separated file with the header
GPA,TUCE,PSI,GRADE (the OBS row number is dropped, as statsmodels'
load_pandas() drops it), values exactly as they appear in the source.
Licence (statsmodels' data module and /usr/share/doc/python3-statsmodels/
copyright): "Used with express permission of the original author, who
retains all rights" (Lee Spector), distributed under BSD-3 by statsmodels.
See data/README.md.

Run from the repository root: /usr/bin/python3 tools/make_spector_csv.py
"""
import os

import statsmodels.datasets.spector as spector

SOURCE = os.path.join(os.path.dirname(spector.__file__), "spector.csv")
TARGET = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "data",
                      "spector.csv")
COLUMNS = ["GPA", "TUCE", "PSI", "GRADE"]


def read_rows(path):
    """The source's records as lists of strings, header checked."""
    with open(path) as f:
        records = [line.split() for line in f if line.strip()]
    header = [name.strip("'\"").upper() for name in records[0]]
    assert header == ["OBS"] + COLUMNS, "unexpected header %s in %s" % (header, path)
    assert all(len(r) == len(header) for r in records[1:]), "ragged row in %s" % path
    return [r[1:] for r in records[1:]]


def main():
    rows = read_rows(SOURCE)
    assert len(rows) == 32, "spector has 32 students, %s has %d" % (SOURCE, len(rows))
    with open(TARGET, "w", newline="\n") as f:
        f.write(",".join(COLUMNS) + "\n")
        for row in rows:
            f.write(",".join(row) + "\n")


if __name__ == "__main__":
    main()
