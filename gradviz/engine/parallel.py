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

import contextlib
import ctypes
import os
import queue
import threading

WORKERS_ENV = "GRADVIZ_WORKERS"
POLL_SECONDS = 0.1  # the caller's wait between checks that every job is done (a signal ends it at once)
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


class BlasThreads:
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
    every job at its next tick and is re-raised here at once.

    Why even one worker is a thread: Python runs signal handlers only in the
    main thread, and only between bytecodes, so a numba call in the main
    thread would answer Ctrl-C or SIGTERM only when it returns, and one
    recorded step of a 10×1024 network at batch 256 lasts seconds. Here the
    calling thread only waits (a wait a signal interrupts), so an interrupt
    is raised within a poll. The interrupted jobs are not waited for: they
    are daemon threads, they stop at their next tick, they write no file,
    and they end with the process.
    """
    ticks: queue.SimpleQueue = queue.SimpleQueue()
    stop = threading.Event()
    todo = iter(range(len(jobs)))
    claim = threading.Lock()
    results, errors, left = [None] * len(jobs), [], [len(jobs)]

    def tick(n):
        if stop.is_set():
            raise Stopped
        ticks.put(n)

    def work():
        while not stop.is_set():
            with claim:
                i = next(todo, None)
            if i is None:
                return
            try:
                results[i] = fn(jobs[i], tick)
            except Stopped:
                return
            except BaseException as exc:  # noqa: B902 (re-raised in the caller)
                errors.append(exc)
                stop.set()
            with claim:
                left[0] -= 1
            ticks.put(0)  # wake the caller: a job ended

    workers = max(1, min(workers, len(jobs)))
    with BlasThreads(1) if workers > 1 else contextlib.nullcontext():
        for k in range(workers):
            threading.Thread(target=work, name=f"gradviz-{k}", daemon=True).start()
        try:
            while left[0] and not errors:
                _drain(ticks, on_tick, timeout=POLL_SECONDS)
            _drain(ticks, on_tick, timeout=0.0)
        except BaseException:
            stop.set()
            raise
    if errors:
        raise errors[0]
    return results


def _drain(ticks, on_tick, timeout: float) -> None:
    """Pass every queued tick to ``on_tick`` (0 only wakes the caller); wait ``timeout`` for the first."""
    try:
        n = ticks.get(timeout=timeout) if timeout else ticks.get_nowait()
    except queue.Empty:
        return
    while True:
        if n:
            on_tick(n)
        try:
            n = ticks.get_nowait()
        except queue.Empty:
            return
