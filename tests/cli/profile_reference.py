"""profile_reference.py - checks `sheaf profile --tsv` output against pandas.

usage: /usr/bin/python3 profile_reference.py DATA.csv SHEAF_OUTPUT.tsv
       /usr/bin/python3 profile_reference.py --generate OUT.csv ROWS SEED

The first form recomputes every statistic with pandas (describe()'s rules:
sample std with ddof=1, quantiles by numpy's "linear" interpolation, string
top / freq from value_counts()) and exits 1 naming each mismatch. Numbers
must agree to REL_TOL; timestamps to TIME_TOL_NS, because pandas sums
nanosecond instants in float64 (about 256 ns resolution near 1.7e18) while
sheaf shifts them first. The second form writes a CSV with every column type
and missing values in each, for a larger end-to-end check.
"""
import math
import sys

import numpy as np
import pandas as pd

REL_TOL = 1e-12  # Welford + Chan vs pandas' two-pass sums: rounding only
TIME_TOL_NS = 1000  # pandas' float64 sums of ns instants (see above)


def generate(path, rows, seed):
    rng = np.random.default_rng(seed)
    miss = lambda p: rng.random(rows) < p  # noqa: E731
    f = rng.normal(1e3, 250.0, rows)
    f[miss(0.05)] = np.nan
    big = rng.integers(-(10**12), 10**12, rows).astype(object)
    big[miss(0.03)] = None
    small = rng.integers(0, 50, rows)
    t0 = np.datetime64("1999-12-31T23:00:00", "ns")
    secs = rng.integers(0, 86400 * 400, rows).astype("timedelta64[s]")
    ts = pd.Series((t0 + secs.astype("timedelta64[ns]")).astype("datetime64[ns]"))
    ts[miss(0.02)] = pd.NaT
    words = np.array(["alpha", "beta", "gamma", "delta, with comma", 'say "hi"', "zeta"])
    p = np.array([0.3, 0.25, 0.2, 0.1, 0.1, 0.05])
    s = pd.Series(words[rng.choice(len(words), rows, p=p)], dtype=object)
    s[miss(0.04)] = None
    df = pd.DataFrame(
        {
            "x_float": f,
            "n_big": pd.array(big, dtype="Int64"),
            "n_small": small,
            "when": ts.dt.strftime("%Y-%m-%dT%H:%M:%S").where(ts.notna(), ""),
            "word": s,
        }
    )
    df.to_csv(path, index=False)


def close(a, b, scale=0.0):
    """a == b up to REL_TOL of the larger of |a|, |b| and scale."""
    if math.isnan(a) and math.isnan(b):
        return True
    return a == b or abs(a - b) <= REL_TOL * max(abs(a), abs(b), scale)


def check(data_path, tsv_path):
    out = pd.read_csv(tsv_path, sep="\t", dtype=str, keep_default_na=False)
    df = pd.read_csv(data_path, float_precision="round_trip")  # strtod, as sheaf
    bad = []

    def expect(col, what, ok, got, want):
        if not ok:
            bad.append(f"{col}: {what}: sheaf {got!r}, pandas {want!r}")

    if list(out["column"]) != list(df.columns):
        bad.append(f"columns: sheaf {list(out['column'])}, pandas {list(df.columns)}")
    for _, r in out.iterrows():
        col, typ = r["column"], r["type"]
        s = df[col]
        if typ == "timestamp":
            s = pd.to_datetime(s)
        expect(col, "count", int(r["count"]) == s.count(), r["count"], s.count())
        expect(col, "missing", int(r["missing"]) == s.isna().sum(), r["missing"], s.isna().sum())
        if typ in ("float64", "int64"):
            want = {"mean": s.mean(), "std": s.std(), "min": s.min(), "max": s.max()}
            for lvl, v in zip(("25%", "50%", "75%"), s.quantile([0.25, 0.5, 0.75])):
                want[lvl] = v
            # a mean near 0 of large values is only as exact as the values'
            # magnitude allows, in pandas as in sheaf
            magnitude = max(abs(float(s.min())), abs(float(s.max()))) if s.count() else 0.0
            for k, v in want.items():
                got = float(r[k])
                expect(col, k, close(got, float(v), magnitude if k == "mean" else 0.0), got, float(v))
        elif typ == "timestamp":
            want = {"mean": s.mean(), "min": s.min(), "max": s.max()}
            for lvl, v in zip(("25%", "50%", "75%"), s.quantile([0.25, 0.5, 0.75])):
                want[lvl] = v
            for k, v in want.items():
                got = pd.Timestamp(r[k])
                expect(col, k, abs((got - v).value) <= TIME_TOL_NS, r[k], str(v))
            got_std, want_std = pd.Timedelta(r["std"]), s.std()
            expect(col, "std", abs((got_std - want_std).value) <= TIME_TOL_NS, r["std"], str(want_std))
        elif typ == "string":
            counts = s.value_counts()
            expect(col, "unique", int(r["unique"]) == s.nunique(), r["unique"], s.nunique())
            expect(col, "freq", int(r["freq"]) == counts.iloc[0], r["freq"], counts.iloc[0])
            tied = set(counts[counts == counts.iloc[0]].index)
            expect(col, "top", r["top"] in tied, r["top"], sorted(tied))
        else:
            bad.append(f"{col}: unknown type {typ!r}")
    for line in bad:
        print(f"  mismatch: {line}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--generate":
        generate(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        sys.exit(0)
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(check(sys.argv[1], sys.argv[2]))
