"""What the statsmodels peers of the time-series benchmarks share: the
command line DIR N REPEAT OUT_FILE, the folder a bench/gen generator wrote
(meta.json and a raw float64 array), the timing loop, and the output: raw
float64 arrays one after another in OUT_FILE, then "median_s ...", the
peer's own lines and the BLAS line on stdout. The peers run as scripts, so
their own folder is on sys.path and they import this module by its name."""

import json
import os
import sys
import time

import numpy as np


def command_line(usage):
    """(DIR, N, REPEAT, OUT_FILE) from sys.argv; exits with usage otherwise."""
    if len(sys.argv) != 5:
        sys.exit(usage)
    return sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]


def read_meta(folder):
    """The generator's meta.json of folder, as a dict."""
    with open(os.path.join(folder, "meta.json")) as f:
        return json.load(f)


def read_array(folder, name, rows, cols):
    """The first rows x cols float64 values of folder/name, row-major."""
    return np.fromfile(os.path.join(folder, name), "<f8", rows * cols).reshape(rows, cols)


def timed(run, repeat):
    """(wall times of repeat calls of run(), the last call's result)."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return times, result


def blas_line():
    """The BLAS numpy calls, as threadpoolctl sees it."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "blas unknown (no threadpoolctl)"
    for pool in threadpool_info():
        if pool.get("user_api") == "blas":
            return "blas %s %s %s %d threads" % (pool.get("internal_api"), pool.get("version"),
                                                 pool.get("threading_layer"),
                                                 pool.get("num_threads", 0))
    return "blas none found"


def report(out_file, arrays, times, lines):
    """Writes arrays (each raveled, one after another) to out_file as raw
    float64, then prints the median time, lines and the BLAS line."""
    np.concatenate([np.asarray(a).ravel() for a in arrays]).astype("<f8").tofile(out_file)
    print("median_s %.6f" % float(np.median(times)))
    for line in lines:
        print(line)
    print(blas_line())
