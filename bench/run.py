"""Runs every benchmark entry and prints one stable line per entry:

  NAME peer_s=... sheaf_s=... speedup=...x [floor figures] QUALITY=... rows=...

Peer and sheaf are timed in the same run on the same generated data; every
time is the median of --repeat runs (default 5). Generated inputs are
cached under bench/out/ (gitignored) and reused.

usage: /usr/bin/python3 bench/run.py --build BUILD_DIR [--only NAME] [--repeat N]"""

import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
sys.path.insert(0, os.path.join(HERE, "gen"))

import gen_csv_numeric  # noqa: E402
import gen_metrics  # noqa: E402


def parse_report(text):
    """The median_s / rows / sum lines both sides print."""
    report = {"sums": {}}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("median_s", "rows"):
            report[parts[0]] = float(parts[1])
        elif len(parts) == 3 and parts[0] == "sum":
            report["sums"][parts[1]] = float(parts[2])
    if "median_s" not in report:
        raise RuntimeError("no median_s line in:\n" + text)
    return report


def run_report(cmd):
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError("%s failed (%d):\n%s" % (" ".join(cmd), done.returncode,
                                                     done.stderr))
    return parse_report(done.stdout)


def max_relative_difference(a, b):
    if set(a) != set(b) or not a:
        return float("inf")
    worst = 0.0
    for name in a:
        x, y = a[name], b[name]
        scale = max(abs(x), abs(y))
        worst = max(worst, abs(x - y) / scale if scale else 0.0)
    return worst


def time_cat(path, repeat):
    times = []
    with open(os.devnull, "wb") as null:
        subprocess.run(["cat", path], stdout=null, check=True)  # warm the page cache
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(["cat", path], stdout=null, check=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def csv_read_1Mx20(build, repeat):
    """sheaf_csv_read (2 threads) vs pandas.read_csv on a 1,000,000 x 20
    numeric CSV; floor: cat FILE > /dev/null. Quality: per-column sums."""
    rows, seed = 1_000_000, 12345
    path = os.path.join(OUT, "csv_read_%dx20_seed%d.csv" % (rows, seed))
    if not os.path.exists(path):
        os.makedirs(OUT, exist_ok=True)
        gen_csv_numeric.generate(path, rows, seed)
    binary = os.path.join(build, "bench", "data", "bench_csv_read")
    cat_s = time_cat(path, repeat)
    peer = run_report([sys.executable, os.path.join(HERE, "peers", "read_csv_pandas.py"),
                       path, str(repeat)])
    ours = run_report([binary, path, str(repeat), "2"])
    return ("csv_read_1Mx20 pandas_s=%.4f sheaf_s=%.4f speedup=%.2fx cat_s=%.4f "
            "sheaf_over_cat=%.2fx sums_max_rel_diff=%.1e rows=%d/%d threads=2" % (
                peer["median_s"], ours["median_s"], peer["median_s"] / ours["median_s"],
                cat_s, ours["median_s"] / cat_s,
                max_relative_difference(peer["sums"], ours["sums"]),
                ours.get("rows", -1), peer.get("rows", -1)))


METRIC_ROWS, METRIC_KEYS = 10_000_000, 100_000


def assembler_entry(entry, tables, floor=None):
    """One assembler benchmark: bench_assemblers ENTRY vs assemblers_pandas.py
    ENTRY on gen_metrics tables (10M rows, 100k keys), 2 threads; with floor,
    also the time of one parallel read of the input columns and the ratio."""

    def run(build, repeat):
        folders = ",".join(gen_metrics.ensure(OUT, METRIC_ROWS, METRIC_KEYS, 4)[:tables])
        binary = os.path.join(build, "bench", "data", "bench_assemblers")
        peer = run_report([sys.executable, os.path.join(HERE, "peers", "assemblers_pandas.py"),
                           entry, folders, str(repeat)])
        ours = run_report([binary, entry, folders, str(repeat), "2"])
        line = ("%s pandas_s=%.4f sheaf_s=%.4f speedup=%.2fx sums_max_rel_diff=%.1e "
                "rows=%d/%d threads=2" % (
                    "assemble_" + entry, peer["median_s"], ours["median_s"],
                    peer["median_s"] / ours["median_s"],
                    max_relative_difference(peer["sums"], ours["sums"]),
                    ours.get("rows", -1), peer.get("rows", -1)))
        if floor:
            read = run_report([binary, floor, folders, str(repeat), "2"])
            line += " read_s=%.4f sheaf_over_read=%.2fx" % (
                read["median_s"], ours["median_s"] / read["median_s"])
        return line

    return run


ENTRIES = [
    ("csv_read_1Mx20", csv_read_1Mx20),
    ("assemble_groupby", assembler_entry("groupby", 1, floor="read")),
    ("assemble_join", assembler_entry("join", 4)),
    ("assemble_window", assembler_entry("window", 1)),
    ("assemble_assemble", assembler_entry("assemble", 1)),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="the make BUILD directory")
    parser.add_argument("--only", help="run just this entry")
    parser.add_argument("--repeat", type=int, default=5, help="runs per median (>= 5)")
    args = parser.parse_args()
    if args.repeat < 5:
        parser.error("--repeat must be at least 5")
    failed = 0
    for name, entry in ENTRIES:
        if args.only and name != args.only:
            continue
        try:
            print(entry(os.path.abspath(args.build), args.repeat), flush=True)
        except (OSError, RuntimeError) as e:
            failed += 1
            print("%s FAILED %s" % (name, str(e).replace("\n", " | ")), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
