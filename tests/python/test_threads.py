"""The ctypes calls release the GIL, and concurrent reads are correct."""

import ctypes
import threading
import time

import numpy as np
import pytest

import sheaf
from sheaf import _lib


def test_every_c_function_is_called_through_cdll_which_releases_the_gil():
    fn = _lib.lib.sheaf_csv_read.__wrapped__
    assert isinstance(_lib.cdll, ctypes.CDLL) and not isinstance(_lib.cdll, ctypes.PyDLL)
    assert fn._flags_ & ctypes._FUNCFLAG_PYTHONAPI == 0  # PyDLL would hold the GIL


def test_a_python_thread_runs_while_another_is_inside_read_csv(big_csv):
    """Holding the GIL through the C call would stall the ticker thread for
    the whole read; releasing it keeps the ticker's gaps at scheduler scale."""
    durations = []
    for _ in range(3):
        start = time.perf_counter()
        sheaf.read_csv(big_csv, threads=1)
        durations.append(time.perf_counter() - start)
    single = min(durations)
    if single < 0.02:
        pytest.skip("read too fast (%.3f s) to tell a stall from scheduling" % single)

    stop, gap = threading.Event(), [0.0]

    def ticker():
        last = time.perf_counter()
        while not stop.is_set():
            now = time.perf_counter()
            gap[0] = max(gap[0], now - last)
            last = now

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        sheaf.read_csv(big_csv, threads=1)
    finally:
        stop.set()
        thread.join()
    assert gap[0] < 0.5 * single, "ticker stalled %.3f s during a %.3f s read" % (
        gap[0], single)


def test_concurrent_reads_from_many_python_threads_agree(big_csv):
    reference = sheaf.read_csv(big_csv, threads=1).to_pandas()
    results, errors = [None] * 4, []

    def read(k):
        try:
            results[k] = sheaf.read_csv(big_csv, threads=1 + k % 2).to_pandas()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=read, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for got in results:
        assert got.equals(reference)


def test_errors_in_concurrent_threads_keep_their_own_messages(tmp_path):
    paths = [tmp_path / ("missing_%d.csv" % k) for k in range(8)]
    messages = [None] * len(paths)

    def read(k):
        try:
            sheaf.read_csv(paths[k])
        except sheaf.SheafIOError as e:
            messages[k] = str(e)

    threads = [threading.Thread(target=read, args=(k,)) for k in range(len(paths))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k, message in enumerate(messages):
        assert message is not None and "missing_%d.csv" % k in message
    assert np.all([m.count("missing_") == 1 for m in messages])
