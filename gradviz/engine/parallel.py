"""Run independent training jobs (variant × seed) on several cores.

Why threads, not processes: every kernel is compiled with ``nogil=True``, so
two threads train two networks truly in parallel while sharing the compiled
code, the data arrays and the parent's progress reporting; nothing is
pickled, nothing is compiled twice, and Ctrl-C reaches the one process.
The Python glue between kernel calls holds the GIL, which is why the chunks
stay long (simulation.py) and the per-chunk work small.

BLAS (OpenBLAS, called by the kernels' ``np.dot``) is pinned to one thread
while more than one worker runs, so two workers never fight over the two
cores; results do not depend on it (every job owns its buffers and draws,
and results are returned in job order whatever the worker count).
"""
from __future__ import annotations

import ctypes
import os
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

WORKERS_ENV = "GRADVIZ_WORKERS"
_SET = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads", "openblas_set_num_threads64_",
        "openblas_set_num_threads")
_GET = ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads", "openblas_get_num_threads64_",
        "openblas_get_num_threads")


class Stopped(Exception):
    """Raised inside a job when the run is being stopped (Ctrl-C, another job failed)."""


def worker_count(workers: int | None, jobs: int) -> int:
    """Workers to use: the argument, else $GRADVIZ_WORKERS, else the CPU count; at most ``jobs``."""
    if workers is None:
        text = os.environ.get(WORKERS_ENV, "").strip()
        if text:
            if not text.isdigit() or int(text) < 1:
                raise ValueError(f"${WORKERS_ENV}: expected a positive integer, found {text!r}")
            workers = int(text)
        else:
            workers = os.cpu_count() or 1
    if workers < 1:
        raise ValueError(f"workers: expected a positive integer, found {workers!r}")
    return max(1, min(workers, jobs))


def _openblas_libs():
    """(set, get) function pairs of every OpenBLAS loaded in this process (Linux)."""
    try:
        with open("/proc/self/maps") as fh:
            paths = {line.split()[-1] for line in fh if "openblas" in line.lower() and "/" in line}
    except OSError:
        return []
    out = []
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        setter = next((getattr(lib, n) for n in _SET if hasattr(lib, n)), None)
        getter = next((getattr(lib, n) for n in _GET if hasattr(lib, n)), None)
        if setter is not None and getter is not None:
            setter.argtypes, getter.restype = [ctypes.c_int], ctypes.c_int
            out.append((setter, getter))
    return out


class _BlasThreads:
    """Context manager: OpenBLAS limited to ``n`` threads, restored afterwards."""

    def __init__(self, n: int):
        self.n, self.saved = n, []

    def __enter__(self):
        for setter, getter in _openblas_libs():
            self.saved.append((setter, getter()))
            setter(self.n)
        return self

    def __exit__(self, *exc):
        for setter, before in self.saved:
            setter(before)


def run_jobs(fn, jobs: list, workers: int, on_tick) -> list:
    """``[fn(job, tick) for job in jobs]`` on ``workers`` threads.

    ``tick(n)`` inside a job reports n finished steps; ``on_tick(n)`` is
    called with them in the calling thread only, in arrival order. Results
    come back in job order. KeyboardInterrupt (or an error in one job) stops
    every job at its next tick and is re-raised here.
    """
    if workers <= 1 or len(jobs) <= 1:
        return [fn(job, on_tick) for job in jobs]
    ticks: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()

    def tick(n):
        if stop.is_set():
            raise Stopped
        ticks.put(n)

    with _BlasThreads(1), ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gradviz") as pool:
        futures = [pool.submit(fn, job, tick) for job in jobs]
        try:
            while not all(f.done() for f in futures):
                _drain(ticks, on_tick, timeout=0.1)
                failed = next((f for f in futures if f.done() and f.exception() is not None), None)
                if failed is not None:
                    stop.set()
                    failed.result()  # re-raise the job's error here
            _drain(ticks, on_tick, timeout=0.0)
        except BaseException:
            stop.set()
            for f in futures:
                f.cancel()
            raise
        return [f.result() for f in futures]


def _drain(ticks, on_tick, timeout: float) -> None:
    try:
        n = ticks.get(timeout=timeout) if timeout else ticks.get_nowait()
    except queue.Empty:
        return
    on_tick(n)
    while True:
        try:
            n = ticks.get_nowait()
        except queue.Empty:
            return
        on_tick(n)
