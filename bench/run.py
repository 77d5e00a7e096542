"""Runs every benchmark entry and prints one stable line per entry:

  NAME peer_s=... sheaf_s=... speedup=...x [floor figures] QUALITY=... rows=...

Peer and sheaf are timed in the same run on the same generated data; every
time is the median of --repeat runs (default 5; 3 for the logistic-regression
entries, whose slower peers run --peer-repeat times, default 1, since one
scikit-learn or liblinear fit takes 5-60 s; the fastest peer, the one in the
ratio, is then rerun for a median of --repeat). Generated inputs are cached
under bench/out/ (gitignored) and reused.

usage: /usr/bin/python3 bench/run.py --build BUILD_DIR [--only NAME] [--repeat N]
         [--peer-repeat N]"""

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
import gen_logreg  # noqa: E402
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


LOGREG_SEED = 2027
LOGREG_REG = 1e-3  # L2 reg_param; standardization off: scikit-learn's C = 1 / (n reg)
LOGREG_GTOL = 1e-8  # stopping max |gradient| of the mean-loss objective, every solver
LOGREG_FTOL = 1e-12  # sheaf's relative-reduction test, kept below what GTOL implies
# Solvers whose final objective is within this relative gap of the best count
# as having reached "the same objective": above what scikit-learn's lbfgs
# stops at (its fixed ftol of 2.2e-9 leaves gaps of ~4e-8), far below the
# 2.5e-4 by which a slightly different problem (liblinear with `-B 1`, its
# bias penalised as a weight) misses.
LOGREG_SAME_OBJECTIVE = 1e-7


def parse_pairs(text):
    """'key value' lines of bench_logreg into a dict (numbers where they parse)."""
    report = {}
    for line in text.splitlines():
        key, _, value = line.partition(" ")
        try:
            report[key] = float(value)
        except ValueError:
            report[key] = value
    return report


def parse_peer_lines(text):
    """'fit NAME k=v ...' and 'eval NAME objective=v' lines of
    logreg_sklearn.py into {NAME: {k: float}}."""
    found = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in ("fit", "eval"):
            found[parts[1]] = {k: float(v) for k, v in (p.split("=", 1) for p in parts[2:])}
    return found


def run_text(cmd, env=None):
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError("%s failed (%d):\n%s" % (" ".join(cmd), done.returncode,
                                                     done.stderr))
    return done.stdout


def logreg_sheaf(binary, shape, repeat, folder):
    """The pass floor and sheaf's fits with solver auto and lbfgs; the
    coefficient files they wrote, as NAME=PATH arguments of the peer script."""
    floor = parse_pairs(run_text([binary, "pass"] + shape + [str(repeat), "2"]))
    ours, coef_files = {}, []
    for solver in ("auto", "lbfgs"):
        coef = os.path.join(folder, "coef_sheaf_%s.f64" % solver)
        ours[solver] = parse_pairs(run_text(
            [binary, "fit"] + shape + ["%g" % LOGREG_REG, "%g" % LOGREG_FTOL,
                                       "%g" % LOGREG_GTOL, solver, str(repeat), "2", coef]))
        coef_files.append("sheaf_%s=%s" % (solver, coef))
    return floor["median_s"], ours, coef_files


def logreg_peers(folder, peer_solvers, coef_files, repeat, peer_repeat):
    """Each peer fitted peer_repeat times and every objective (sheaf's too)
    from the common evaluator; then the fastest peer within
    LOGREG_SAME_OBJECTIVE of the best rerun for a median of `repeat` runs.
    Returns (results by name, relative gaps by name, fastest, its runs)."""
    env = dict(os.environ, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="2")
    cmd = [sys.executable, os.path.join(HERE, "peers", "logreg_sklearn.py"), folder,
           "%g" % LOGREG_REG, "%g" % LOGREG_GTOL]
    peers = parse_peer_lines(run_text(
        cmd + [str(peer_repeat), ",".join(peer_solvers)] + coef_files, env=env))
    best = min(v["objective"] for v in peers.values())
    gaps = {who: (v["objective"] - best) / abs(best) for who, v in peers.items()}
    same = [s for s in peer_solvers if gaps[s] <= LOGREG_SAME_OBJECTIVE]
    if not same:
        raise RuntimeError("no peer reached the best objective within %g" %
                           LOGREG_SAME_OBJECTIVE)
    fastest = min(same, key=lambda s: peers[s]["median_s"])
    runs = max(repeat, peer_repeat)
    if runs > peer_repeat:  # the ratio's peer time: a median like sheaf's
        peers[fastest]["median_s"] = parse_peer_lines(run_text(
            cmd + [str(runs), fastest], env=env))[fastest]["median_s"]
    return peers, gaps, fastest, runs


def peer_key(solver):
    """The peer's name in the entry line: sklearn_lbfgs, sklearn_newton_cg, liblinear."""
    return solver if solver == "liblinear" else "sklearn_" + solver.replace("-", "_")


def logreg_entry(name, rows, cols, classes, peer_solvers):
    """One logistic-regression benchmark (gen_logreg data, L2 reg LOGREG_REG,
    standardization off, intercept, 2 threads): bench_logreg with solver auto
    and lbfgs, the pass floor, and logreg_sklearn.py fitting peer_solvers and
    evaluating sheaf's coefficients with the same objective evaluator."""

    def run(build, repeat, peer_repeat):
        folder = gen_logreg.ensure(OUT, "logreg", rows, cols, classes, LOGREG_SEED)
        binary = os.path.join(build, "bench", "models", "bench_logreg")
        shape = [folder, str(rows), str(cols), str(classes)]
        pass_s, ours, coef_files = logreg_sheaf(binary, shape, repeat, folder)
        peers, gaps, fastest, runs = logreg_peers(folder, peer_solvers, coef_files, repeat,
                                                  peer_repeat)
        peer_s, auto, lbfgs = peers[fastest]["median_s"], ours["auto"], ours["lbfgs"]
        line = ("%s peer_s=%.4f sheaf_s=%.4f speedup=%.2fx pass_s=%.4f iter_over_pass=%.2fx "
                "obj_gap=%.1e iters=%d solver=%s peer=%s" % (
                    name, peer_s, auto["median_s"], peer_s / auto["median_s"], pass_s,
                    auto["median_s"] / max(auto["iters"], 1) / pass_s, gaps["sheaf_auto"],
                    auto["iters"], auto["solver"], peer_key(fastest)))
        line += (" sheaf_lbfgs_s=%.4f sheaf_lbfgs_speedup=%.2fx sheaf_lbfgs_iter_over_pass=%.2fx "
                 "sheaf_lbfgs_obj_gap=%.1e sheaf_lbfgs_iters=%d" % (
                     lbfgs["median_s"], peer_s / lbfgs["median_s"],
                     lbfgs["median_s"] / max(lbfgs["iters"], 1) / pass_s, gaps["sheaf_lbfgs"],
                     lbfgs["iters"]))
        for solver in peer_solvers:
            key = peer_key(solver)
            line += " %s_s=%.4f %s_iters=%d %s_obj_gap=%.1e" % (
                key, peers[solver]["median_s"], key, peers[solver]["iters"], key, gaps[solver])
        return line + " threads=2 peer_runs=%d other_peer_runs=%d" % (runs, peer_repeat)

    return run


def granger_matrix_50x2000_lag4(build, repeat):
    """sheaf_granger_matrix (ssr F test, lags 1..4, every ordered pair of 50
    series of length 2,000 from bench/gen/gen_granger_series.py) on 2 threads
    and on 1, against statsmodels' grangercausalitytests(y[:, [i, j]], 4)
    loop and R's lmtest::grangertest loop (orders 1..4), each peer timed
    once (tens of seconds and several minutes) with 1 BLAS thread: its
    fastest setting for 2,000 x 9 regressions (2 OpenMP BLAS threads were no
    faster on an idle machine and ~30x slower while another process held a
    core, the workers spinning for it). Quality: the 2450 x 4 F statistics
    and p-values against statsmodels' (max relative difference of F, max
    absolute difference of p) and against R's; and whether 1 and 2 threads
    wrote the same bits."""
    import gen_granger_series  # noqa: E402 (bench/gen is on sys.path)
    import numpy as np

    t, k, maxlag, seed = 2000, 50, 4, 2028
    folder = gen_granger_series.ensure(OUT, t, k, seed)
    binary = os.path.join(build, "bench", "timeseries", "bench_granger")
    files = {who: os.path.join(folder, "Fp_%s.f64" % who)
             for who in ("sheaf2", "sheaf1", "statsmodels", "lmtest")}
    ours = {th: parse_pairs(run_text([binary, folder, str(t), str(k), str(maxlag), str(repeat),
                                      str(th), files["sheaf%d" % th]])) for th in (2, 1)}
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    peers = os.path.join(HERE, "peers")
    sm = parse_pairs(run_text([sys.executable, os.path.join(peers, "granger_statsmodels.py"),
                               folder, str(maxlag), "1", files["statsmodels"]], env=env))
    r = parse_pairs(run_text(["Rscript", "--vanilla", os.path.join(peers, "granger_lmtest.R"),
                              folder, str(t), str(k), str(maxlag), "1", files["lmtest"]],
                             env=env))
    fp = {who: np.fromfile(path, "<f8").reshape(2, k, k, maxlag) for who, path in files.items()}
    off = ~np.eye(k, dtype=bool)  # the 2450 ordered pairs; the diagonal is NaN on every side

    def diffs(a, b):
        """(max relative difference of F, max |dF| / max(|F|, 1), max
        absolute difference of p); inf when either side has a NaN or Inf.
        The relative one peaks at the smallest F (~1e-7 here), where
        ssr_r - ssr_u cancels to a few digits in every implementation (the
        two peers differ as much); the scaled one is the F error elsewhere."""
        fa, fb, pa, pb = a[0][off], b[0][off], a[1][off], b[1][off]
        if not np.all(np.isfinite(np.concatenate([fa, fb, pa, pb]))):
            return float("inf"), float("inf"), float("inf")
        scale = np.maximum(np.abs(fa), np.abs(fb))
        rel = np.abs(fa - fb) / np.where(scale > 0, scale, 1.0)
        scaled = np.abs(fa - fb) / np.maximum(scale, 1.0)
        return float(np.max(rel)), float(np.max(scaled)), float(np.max(np.abs(pa - pb)))

    f_sm, fs_sm, p_sm = diffs(fp["sheaf2"], fp["statsmodels"])
    f_r, fs_r, p_r = diffs(fp["sheaf2"], fp["lmtest"])
    f_smr, fs_smr, _ = diffs(fp["statsmodels"], fp["lmtest"])
    same = fp["sheaf1"].tobytes() == fp["sheaf2"].tobytes()
    s2, s1, pairs = ours[2]["median_s"], ours[1]["median_s"], k * (k - 1)
    line = ("granger_matrix_50x2000_lag4 peer_s=%.4f sheaf_s=%.4f speedup=%.1fx "
            "sheaf_1thr_s=%.4f thread_scaling=%.2fx per_pair_us=%.2f F_max_rel_diff=%.1e "
            "F_max_scaled_diff=%.1e p_max_abs_diff=%.1e lmtest_s=%.4f lmtest_speedup=%.1fx "
            "lmtest_F_max_rel_diff=%.1e lmtest_F_max_scaled_diff=%.1e lmtest_p_max_abs_diff=%.1e "
            "peers_F_max_rel_diff=%.1e peers_F_max_scaled_diff=%.1e threads_identical=%s "
            "pairs=%d threads=2 peer=statsmodels peer_runs=1 peer_blas_threads=1" % (
                sm["median_s"], s2, sm["median_s"] / s2, s1, s1 / s2, 1e6 * s2 / pairs,
                f_sm, fs_sm, p_sm, r["median_s"], r["median_s"] / s2, f_r, fs_r, p_r, f_smr,
                fs_smr, "yes" if same else "NO", pairs))
    return line + "\n# granger_matrix_50x2000_lag4 blas: sheaf %s | numpy %s | R %s (%s)" % (
        ours[2]["blas"], sm["blas"], r["blas"], r["r"])


def var_select_entry(name, t, k, peer_runs):
    """VAR with lag selection up to 8 on K series of length T (a stable
    VAR(2) from bench/gen/gen_var_series.py): bench_var fit (2 threads) -
    sheaf_var_select_order(8, trend c), then sheaf_var_fit at the AIC order -
    against statsmodels' VAR(Y).fit(maxlags=8, ic='aic') (peer_runs runs
    each with 2 and with 1 OpenMP/OpenBLAS threads, the faster in the ratio:
    on a busy 2-core machine OpenBLAS's 2-thread lstsq can be 5-100x slower
    than its 1-thread one); floor: bench_var pass, X'X of the lagged design
    [1, y_t, ..., y_{t-8}] in one pass over the rows. Quality: the four
    selected orders on both sides, the select_order table's and the fitted
    params' max relative difference."""

    def run(build, repeat):
        import gen_var_series  # noqa: E402 (bench/gen is on sys.path)
        import numpy as np

        maxlags = 8
        folder = gen_var_series.ensure(OUT, t, k)
        binary = os.path.join(build, "bench", "timeseries", "bench_var")
        files = {who: os.path.join(folder, "var_%s.f64" % who) for who in ("sheaf", "peer")}
        shape = [folder, str(t), str(k), str(maxlags), str(repeat), "2"]
        ours = parse_pairs(run_text([binary, "fit"] + shape + [files["sheaf"]]))
        floor = parse_pairs(run_text([binary, "pass"] + shape))
        peers = {}
        for th in (2, 1):
            env = dict(os.environ, OMP_NUM_THREADS=str(th), OPENBLAS_NUM_THREADS=str(th))
            peers[th] = parse_pairs(run_text(
                [sys.executable, os.path.join(HERE, "peers", "var_statsmodels.py"), folder,
                 str(maxlags), str(peer_runs), files["peer"]], env=env))
        peer_threads = min(peers, key=lambda th: peers[th]["median_s"])
        peer = peers[peer_threads]
        ics = ("aic", "bic", "hqic", "fpe")
        orders = {who: ",".join("%d" % side["order_" + c] for c in ics)
                  for who, side in (("sheaf", ours), ("peer", peer))}
        table = 4 * (maxlags + 1)
        out = {who: np.fromfile(path, "<f8") for who, path in files.items()}

        def rel(a, b):
            if a.shape != b.shape or not np.all(np.isfinite(np.concatenate([a, b]))):
                return float("inf")
            scale = np.maximum(np.abs(a), np.abs(b))
            return float(np.max(np.abs(a - b) / np.where(scale > 0, scale, 1.0)))

        s, p = ours["median_s"], peer["median_s"]
        line = ("%s peer_s=%.4f sheaf_s=%.4f speedup=%.1fx pass_s=%.4f sheaf_over_pass=%.2fx "
                "select_s=%.4f fit_s=%.4f orders=%s peer_orders=%s orders_agree=%s k_ar=%d "
                "ics_max_rel_diff=%.1e params_max_rel_diff=%.1e rows=%d series=%d maxlags=%d "
                "threads=2 peer=statsmodels peer_threads=%d peer_2thr_s=%.4f peer_1thr_s=%.4f "
                "peer_runs=%d" % (
                    name, p, s, p / s, floor["median_s"], s / floor["median_s"],
                    ours["select_s"], ours["fit_s"], orders["sheaf"], orders["peer"],
                    "yes" if orders["sheaf"] == orders["peer"] else "NO", ours["k_ar"],
                    rel(out["sheaf"][:table], out["peer"][:table]),
                    rel(out["sheaf"][table:], out["peer"][table:]), t, k, maxlags, peer_threads,
                    peers[2]["median_s"], peers[1]["median_s"], peer_runs))
        return line + "\n# %s blas: sheaf %s | numpy %s" % (name, ours["blas"], peer["blas"])

    return run


def adf_autolag_10000x500(build, repeat):
    """sheaf_adfuller_many (trend c, autolag AIC, default maxlag 18) on 10,000
    series of length 500 from bench/gen/gen_adf_series.py (half random walks,
    half stationary AR(1)) on 2 threads and on 1, against statsmodels'
    adfuller(x, autolag='AIC') loop (2 BLAS threads) on the first 1,000
    series, timed once and scaled by 10 (the full loop takes about a
    minute): peer_s is that estimate for all 10,000. Quality on those 1,000:
    the max relative difference of the statistics and p-values, how many
    used lags and nobs agree; and whether 1 and 2 threads wrote the same
    bits."""
    import gen_adf_series  # noqa: E402 (bench/gen is on sys.path)
    import numpy as np

    n, t, subset, seed = 10_000, 500, 1_000, 2030
    folder = gen_adf_series.ensure(OUT, n, t, seed)
    binary = os.path.join(build, "bench", "timeseries", "bench_adf")
    files = {who: os.path.join(folder, "adf_%s.f64" % who)
             for who in ("sheaf2", "sheaf1", "statsmodels")}
    ours = {th: parse_pairs(run_text([binary, folder, str(n), str(t), str(repeat), str(th),
                                      files["sheaf%d" % th]])) for th in (2, 1)}
    env = dict(os.environ, OMP_NUM_THREADS="2", OPENBLAS_NUM_THREADS="2")
    sm = parse_pairs(run_text([sys.executable, os.path.join(HERE, "peers", "adf_statsmodels.py"),
                               folder, str(subset), "1", files["statsmodels"]], env=env))
    got = {who: np.fromfile(path, "<f8").reshape(-1, 4) for who, path in files.items()}
    mine, peer = got["sheaf2"][:subset], got["statsmodels"]
    if np.all(np.isfinite(mine)) and np.all(np.isfinite(peer)):
        scale = np.maximum(np.abs(mine[:, :2]), np.abs(peer[:, :2]))  # p can be 0 on both sides
        rel = np.abs(mine[:, :2] - peer[:, :2]) / np.where(scale > 0, scale, 1.0)
        stat_rel, p_rel = float(np.max(rel[:, 0])), float(np.max(rel[:, 1]))
    else:
        stat_rel = p_rel = float("inf")
    lags_agree = int(np.sum(np.all(mine[:, 2:] == peer[:, 2:], axis=1)))
    same = got["sheaf1"].tobytes() == got["sheaf2"].tobytes()
    s2, s1 = ours[2]["median_s"], ours[1]["median_s"]
    peer_s = sm["median_s"] * n / subset
    line = ("adf_autolag_10000x500 peer_s=%.4f sheaf_s=%.4f speedup=%.1fx sheaf_1thr_s=%.4f "
            "thread_scaling=%.2fx per_series_us=%.2f stat_max_rel_diff=%.1e "
            "p_max_rel_diff=%.1e lags_agree=%d/%d failed=%d maxlag=%d threads_identical=%s "
            "series=%d threads=2 peer=statsmodels peer_timed_series=%d peer_subset_s=%.4f "
            "peer_scaled_x%d peer_runs=1" % (
                peer_s, s2, peer_s / s2, s1, s1 / s2, 1e6 * s2 / n, stat_rel, p_rel, lags_agree,
                subset, ours[2]["failed"], ours[2]["maxlag"], "yes" if same else "NO", n,
                subset, sm["median_s"], n // subset))
    return line + "\n# adf_autolag_10000x500 blas: sheaf %s | numpy %s" % (ours[2]["blas"],
                                                                         sm["blas"])


ARIMA_COLS = 29  # bench_arima's result row: llf, aicc, converged, ok, iterations,
#                  p, d, q, P, D, Q, s, trend, 16 parameters (statsmodels' order)
ARIMA_LLF_TOL = 1e-6  # "llf no worse": sheaf >= peer - 1e-6 |peer| (the tolerance)


def arima_rows(path):
    """A result file of bench_arima / arima_r.R as an n x 29 array."""
    import numpy as np
    return np.fromfile(path, "<f8").reshape(-1, ARIMA_COLS)


def arima_sheaf(binary, folder, kind, n, t, m, repeat, files):
    """bench_arima fit at 2 threads (median of repeat) and at 1 (one run:
    the fits take seconds to a minute): ({threads: report}, bit-identical?)."""
    ours = {th: parse_pairs(run_text([binary, "fit", folder, kind, str(n), str(t), str(m),
                                      str(runs), str(th), files["sheaf%d" % th]]))
            for th, runs in ((2, repeat), (1, 1))}
    with open(files["sheaf1"], "rb") as a, open(files["sheaf2"], "rb") as b:
        same = a.read() == b.read()
    return ours, same


def arima_r(folder, kind, t, m, subset, out):
    """R's loop over the first subset series (1 BLAS thread), timed once."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    return parse_pairs(run_text(["Rscript", "--vanilla", os.path.join(HERE, "peers", "arima_r.R"),
                                 folder, kind, str(t), str(m), str(subset), "1", out], env=env))


def arima_at(binary, folder, rows, t, result_file, out):
    """sheaf_arima_loglike of each series at another program's estimates
    (rows of result_file): its fit in statsmodels' convention."""
    import numpy as np
    run_text([binary, "loglike", folder, str(rows), str(t), result_file, out])
    return np.fromfile(out, "<f8")


def llf_no_worse(ours, peer):
    """(how many series sheaf's llf is >= peer - ARIMA_LLF_TOL |peer| among
    those both fitted, how many both fitted, the worst relative shortfall
    (peer - sheaf) / |peer|, negative when sheaf is better everywhere)."""
    import numpy as np
    both = np.isfinite(ours) & np.isfinite(peer)
    gap = (peer[both] - ours[both]) / np.abs(peer[both])
    return int(np.sum(gap <= ARIMA_LLF_TOL)), int(np.sum(both)), \
        float(np.max(gap)) if gap.size else float("nan")


def max_rel(a, b):
    import numpy as np
    both = np.isfinite(a) & np.isfinite(b)
    if not np.any(both):
        return float("nan")
    return float(np.max(np.abs(a[both] - b[both]) / np.maximum(np.abs(b[both]), 1e-300)))


def arima_fit_entry(name, kind, sm_subset, r_subset):
    """One fixed-order ARIMA benchmark (bench/gen/gen_arima_series.py KIND):
    sheaf_arima_fit_many (exact ML, statsmodels' defaults) over the keyed
    long frame at 2 threads and at 1, against statsmodels'
    ARIMA(...).fit() loop on the first sm_subset series and R's
    arima(method = "ML") loop on the first r_subset, each timed once at 1
    BLAS thread and scaled to all series (the full loops would take
    10-30 minutes). Quality: sheaf's llf against statsmodels' fits, and
    against R's estimates evaluated in statsmodels' convention by
    sheaf_arima_loglike (R's own loglik is another diffuse approximation
    when d + D > 0); that evaluation is checked against statsmodels'
    loglike of the same estimates on the statsmodels subset."""

    def run(build, repeat):
        import gen_arima_series  # noqa: E402 (bench/gen is on sys.path)
        import numpy as np

        folder = gen_arima_series.ensure(OUT, kind)
        n, t, m, _ = gen_arima_series.KINDS[kind]
        binary = os.path.join(build, "bench", "timeseries", "bench_arima")
        files = {who: os.path.join(folder, "arima_%s.f64" % who)
                 for who in ("sheaf2", "sheaf1", "r", "r_at", "r_params", "statsmodels")}
        ours, same = arima_sheaf(binary, folder, kind, n, t, m, repeat, files)
        r = arima_r(folder, kind, t, m, r_subset, files["r"])
        r_rows = arima_rows(files["r"])
        r_at = arima_at(binary, folder, r_subset, t, files["r"], files["r_at"])
        k = int(np.sum(np.isfinite(r_rows[0, 13:])))  # the model's parameter count
        r_rows[:sm_subset, 13:13 + k].astype("<f8").tofile(files["r_params"])
        env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        sm = parse_pairs(run_text([sys.executable,
                                   os.path.join(HERE, "peers", "arima_statsmodels.py"), folder,
                                   str(sm_subset), "1", files["statsmodels"], files["r_params"]],
                                  env=env))
        sm_out = np.fromfile(files["statsmodels"], "<f8").reshape(sm_subset, -1)
        mine = arima_rows(files["sheaf2"])
        sheaf_llf = np.where(mine[:, 3] == 1, mine[:, 0], np.nan)
        sm_ok, sm_n, sm_gap = llf_no_worse(sheaf_llf[:sm_subset], sm_out[:, 0])
        r_ok, r_n, r_gap = llf_no_worse(sheaf_llf[:r_subset], r_at)
        at_check = max_rel(r_at[:sm_subset], sm_out[:, 2])  # sheaf vs statsmodels loglike
        r_conv = max_rel(r_rows[:, 0], r_at)  # R's loglik vs statsmodels' at R's estimates
        s2, s1 = ours[2]["median_s"], ours[1]["median_s"]
        sm_s, r_s = sm["median_s"] * n / sm_subset, r["median_s"] * n / r_subset
        line = ("%s peer_s=%.4f sheaf_s=%.4f speedup=%.1fx r_s=%.4f r_speedup=%.1fx "
                "sheaf_1thr_s=%.4f thread_scaling=%.2fx per_series_us=%.1f partition_s=%.4f "
                "llf_no_worse=%d/%d llf_worst_rel_gap=%.1e r_llf_no_worse=%d/%d "
                "r_llf_worst_rel_gap=%.1e loglike_at_r_max_rel_diff=%.1e "
                "r_own_loglik_max_rel_diff=%.1e failed=%d not_converged=%d "
                "mean_iterations=%.1f peer_not_converged=%d r_failed=%d threads_identical=%s "
                "series=%d threads=2 peer=statsmodels peer_timed_series=%d "
                "peer_subset_s=%.4f peer_per_fit_ms=%.2f r_timed_series=%d r_subset_s=%.4f "
                "r_per_fit_ms=%.2f peer_runs=1 peer_blas_threads=1" % (
                    name, sm_s, s2, sm_s / s2, r_s, r_s / s2, s1, s1 / s2, 1e6 * s2 / n,
                    ours[2]["partition_s"], sm_ok, sm_n, sm_gap, r_ok, r_n, r_gap, at_check,
                    r_conv, ours[2]["failed"], ours[2]["not_converged"],
                    ours[2]["mean_iterations"], sm["not_converged"], r["failed"],
                    "yes" if same else "NO", n, sm_subset, sm["median_s"],
                    sm["per_fit_ms"], r_subset, r["median_s"], r["per_fit_ms"]))
        return line + "\n# %s blas: sheaf %s | numpy %s | R %s (%s)" % (
            name, ours[2]["blas"], sm["blas"], r["blas"], r["r"])

    return run


def auto_arima_500(build, repeat):
    """sheaf_arima_fit_many with auto_order (forecast::auto.arima 8.20's
    defaults, m = 1) on the 500 non-seasonal series of length 150 of
    bench/gen/gen_arima_series.py auto, at 2 threads and at 1, against R's
    forecast::auto.arima(ts(y)) loop on all 500 (1 BLAS thread, timed
    once, ~1-2 minutes). Quality: how many series get the same orders
    (p, d, q, P, D, Q, and the mean/drift term) as R's; AICc of sheaf's
    model against R's model, both in statsmodels' convention (R's estimates
    evaluated by sheaf_arima_loglike; nobs = T - d - sD, k = parameters
    with sigma2, as forecast counts them): how many are no worse (1e-6
    relative); and, roughly, against R's own reported AICc (R's diffuse
    approximation differs by up to ~1e-5 relative when d > 0)."""
    import gen_arima_series  # noqa: E402 (bench/gen is on sys.path)
    import numpy as np

    kind = "auto"
    folder = gen_arima_series.ensure(OUT, kind)
    n, t, m, _ = gen_arima_series.KINDS[kind]
    binary = os.path.join(build, "bench", "timeseries", "bench_arima")
    files = {who: os.path.join(folder, "auto_%s.f64" % who)
             for who in ("sheaf2", "sheaf1", "r", "r_at")}
    ours, same = arima_sheaf(binary, folder, kind, n, t, m, repeat, files)
    r = arima_r(folder, kind, t, m, n, files["r"])
    r_at = arima_at(binary, folder, n, t, files["r"], files["r_at"])
    mine, theirs = arima_rows(files["sheaf2"]), arima_rows(files["r"])
    truth = gen_arima_series.load(folder)[1]

    def orders(rows):
        """p, d, q, P, D, Q, s (0 when non-seasonal), trend: one tuple per row."""
        o = rows[:, 5:13].copy()
        o[o[:, 3] + o[:, 4] + o[:, 5] == 0, 6] = 0
        return o

    ok = (mine[:, 3] == 1) & (theirs[:, 3] == 1)
    same_orders = int(np.sum(ok & np.all(orders(mine) == orders(theirs), axis=1)))
    k = np.sum(np.isfinite(theirs[:, 13:]), axis=1)
    nobs = t - theirs[:, 6] - theirs[:, 11] * theirs[:, 9]
    r_aicc = -2.0 * r_at + 2.0 * k + 2.0 * k * (k + 1) / (nobs - k - 1)
    both = ok & np.isfinite(r_aicc) & np.isfinite(mine[:, 1])
    diff = mine[both, 1] - r_aicc[both]  # < 0: sheaf's model is better
    no_worse = int(np.sum(diff <= 1e-6 * np.abs(r_aicc[both])))
    rough = int(np.sum(mine[both, 1] <= theirs[both, 1] + 1e-4 * np.abs(theirs[both, 1])))
    true_pdq = {who: int(np.sum((rows[:, 3] == 1) & np.all(rows[:, 5:8] == truth[:, :3], axis=1)))
                for who, rows in (("sheaf", mine), ("r", theirs))}
    s2, s1 = ours[2]["median_s"], ours[1]["median_s"]
    line = ("auto_arima_500 peer_s=%.4f sheaf_s=%.4f speedup=%.1fx sheaf_1thr_s=%.4f "
            "thread_scaling=%.2fx per_series_ms=%.2f orders_same=%d/%d aicc_no_worse=%d/%d "
            "aicc_mean_diff=%.3f aicc_max_diff=%.3f aicc_no_worse_r_own=%d/%d "
            "true_pdq_sheaf=%d true_pdq_r=%d failed=%d r_failed=%d r_at_failed=%d "
            "threads_identical=%s series=%d length=%d m=%d threads=2 peer=forecast::auto.arima "
            "peer_per_fit_ms=%.2f peer_runs=1 peer_blas_threads=1" % (
                r["median_s"], s2, r["median_s"] / s2, s1, s1 / s2, 1e3 * s2 / n,
                same_orders, int(np.sum(ok)), no_worse, int(np.sum(both)),
                float(np.mean(diff)) if diff.size else float("nan"),
                float(np.max(diff)) if diff.size else float("nan"), rough, int(np.sum(both)),
                true_pdq["sheaf"], true_pdq["r"], ours[2]["failed"], r["failed"],
                int(np.sum((theirs[:, 3] == 1) & ~np.isfinite(r_at))),
                "yes" if same else "NO", n, t, m, r["per_fit_ms"]))
    return line + "\n# auto_arima_500 blas: sheaf %s | R %s (%s)" % (ours[2]["blas"], r["blas"],
                                                                       r["r"])


ENTRIES = [
    ("csv_read_1Mx20", csv_read_1Mx20, 5),
    ("assemble_groupby", assembler_entry("groupby", 1, floor="read"), 5),
    ("assemble_join", assembler_entry("join", 4), 5),
    ("assemble_window", assembler_entry("window", 1), 5),
    ("assemble_assemble", assembler_entry("assemble", 1), 5),
    ("logreg_binomial_1Mx50",
     logreg_entry("logreg_binomial_1Mx50", 1_000_000, 50, 2,
                  ["newton-cholesky", "lbfgs", "liblinear"]), 3),
    ("logreg_multinomial_200kx50x5",
     logreg_entry("logreg_multinomial_200kx50x5", 200_000, 50, 5, ["lbfgs", "newton-cg"]), 3),
    ("granger_matrix_50x2000_lag4", granger_matrix_50x2000_lag4, 11),
    ("var_select_5x1M", var_select_entry("var_select_5x1M", 1_000_000, 5, 1), 5),
    ("var_select_20x5000", var_select_entry("var_select_20x5000", 5_000, 20, 3), 5),
    ("adf_autolag_10000x500", adf_autolag_10000x500, 5),
    ("arima_fit_10000x300", arima_fit_entry("arima_fit_10000x300", "arima", 200, 2000), 3),
    ("sarima_fit_500x240", arima_fit_entry("sarima_fit_500x240", "sarima", 50, 100), 3),
    ("auto_arima_500", auto_arima_500, 3),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build", help="the make BUILD directory")
    parser.add_argument("--only", help="run just this entry")
    parser.add_argument("--repeat", type=int,
                        help="runs per median (>= 3; default 5, 3 for logreg_*)")
    parser.add_argument("--peer-repeat", type=int, default=1,
                        help="runs per median of the logreg peers but the fastest (default 1)")
    args = parser.parse_args()
    if args.repeat is not None and args.repeat < 3:
        parser.error("--repeat must be at least 3")
    if args.peer_repeat < 1:
        parser.error("--peer-repeat must be at least 1")
    failed = 0
    for name, entry, default_repeat in ENTRIES:
        if args.only and name != args.only:
            continue
        repeat = args.repeat or default_repeat
        try:
            if name.startswith("logreg_"):
                line = entry(os.path.abspath(args.build), repeat, args.peer_repeat)
            else:
                line = entry(os.path.abspath(args.build), repeat)
            print(line, flush=True)
        except (OSError, RuntimeError) as e:
            failed += 1
            print("%s FAILED %s" % (name, str(e).replace("\n", " | ")), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
