#!/usr/bin/python3
"""Writes data/macro_long.csv from data/macrodata.csv: the seven quarterly
level series (real GDP, consumption, investment, government spending,
disposable income, CPI, M1) in long format - one row per (series, quarter)
with the natural log of the level - the keyed layout sheaf_arima_fit_many
reads. Run from the repository root: /usr/bin/python3 data/make_macro_long.py"""
import csv
import math

SERIES = ["realgdp", "realcons", "realinv", "realgovt", "realdpi", "cpi", "m1"]

with open("data/macrodata.csv", newline="") as fh:
    rows = list(csv.DictReader(fh))
with open("data/macro_long.csv", "w", newline="") as fh:
    out = csv.writer(fh, lineterminator="\n")
    out.writerow(["series", "quarter", "log_level"])
    for name in SERIES:
        for r in rows:
            t = (int(r["year"]) - 1959) * 4 + int(r["quarter"]) - 1
            out.writerow([name, t, "%.10f" % math.log(float(r[name]))])
