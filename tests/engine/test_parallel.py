"""Jobs on several workers: same bytes, progress in the caller, clean stops."""
import json
import threading

import numpy as np
import pytest

from gradviz.engine import parallel
from gradviz.engine.simulation import simulate
from gradviz.scenario import parse

SMALL = {"seed": 2, "seeds": 2, "data": {"kind": "spirals", "samples": 150},
         "model": {"depth": 3, "width": 8, "dropout": 0.1},
         "train": {"epochs": 3, "batch_size": 30, "lr": 0.2},
         "record": {"every": 2, "boundary": 5},
         "compare": {"key": "model.init", "values": ["glorot", "he", "normal"]}}


def _scenario():
    return parse(json.loads(json.dumps(SMALL)))


def test_bytes_do_not_depend_on_the_worker_count():
    one, two = simulate(_scenario(), workers=1), simulate(_scenario(), workers=2)
    assert one.arrays.keys() == two.arrays.keys() and one.axes == two.axes and one.meta == two.meta
    for name in one.arrays:
        a, b = one.get(name), two.get(name)
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), name


def test_progress_is_reported_in_the_calling_thread_with_phases():
    calls = []
    simulate(_scenario(), lambda d, t, phase: calls.append((d, t, phase, threading.current_thread())), workers=2)
    assert {c[3] for c in calls} == {threading.main_thread()}
    total = 6 * 3 * (120 // 30)  # jobs x epochs x steps per epoch
    assert all(c[1] == total for c in calls)
    training = [c[0] for c in calls if c[2] == "training"]
    assert training == sorted(training) and training[-1] == total
    assert all(c[2] in ("compiling", "training") for c in calls)
    # compiling, when reported, comes first and at 0
    compiling = [i for i, c in enumerate(calls) if c[2] == "compiling"]
    assert all(calls[i][0] == 0 for i in compiling) and compiling == list(range(len(compiling)))


def test_two_argument_progress_callbacks_still_work():
    calls = []
    simulate(_scenario(), lambda done, total: calls.append((done, total)), workers=2)
    assert calls[-1][0] == calls[-1][1] == 6 * 3 * 4


def test_first_compile_is_announced(monkeypatch):
    from gradviz.engine import simulation
    monkeypatch.setattr(simulation, "_WARM", set())
    phases = []
    simulate(_scenario(), lambda d, t, phase: phases.append(phase), workers=1)
    assert phases[0] == "compiling" and phases.count("compiling") == 1 and phases[-1] == "training"


def test_worker_count_from_env_and_argument(monkeypatch):
    monkeypatch.setenv("GRADVIZ_WORKERS", "3")
    assert parallel.worker_count(None, 10) == 3
    assert parallel.worker_count(1, 10) == 1
    assert parallel.worker_count(None, 2) == 2  # never more than the jobs
    monkeypatch.setenv("GRADVIZ_WORKERS", "lots")
    with pytest.raises(ValueError, match=r"\$GRADVIZ_WORKERS: expected a positive integer"):
        parallel.worker_count(None, 10)


def test_an_interrupt_stops_every_job_and_is_raised():
    started, finished = [], []

    def job(i, tick):
        started.append(i)
        for _ in range(5000):  # >= 5 s: far longer than the stop takes, even on a loaded machine
            tick(1)
            threading.Event().wait(0.001)
        finished.append(i)

    seen = [0]

    def on_tick(n):
        seen[0] += n
        if seen[0] > 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        parallel.run_jobs(job, [0, 1, 2, 3], 2, on_tick)
    assert finished == [] and set(started) <= {0, 1}


def test_an_error_in_one_job_stops_the_others():
    finished = []

    def job(i, tick):
        for k in range(5000):
            if i == 1 and k == 5:
                raise RuntimeError("job 1 broke")
            tick(1)
            threading.Event().wait(0.001)
        finished.append(i)

    with pytest.raises(RuntimeError, match="job 1 broke"):
        parallel.run_jobs(job, [0, 1, 2], 2, lambda n: None)
    assert finished == []


def test_blas_is_pinned_to_one_thread_while_workers_run_and_restored():
    libs = parallel._openblas_libs()
    if not libs:
        pytest.skip("no OpenBLAS loaded in this process")
    before = [get() for _, get in libs]
    seen = []
    parallel.run_jobs(lambda i, tick: seen.append([get() for _, get in libs]), [0, 1], 2, lambda n: None)
    assert seen == [[1] * len(libs)] * 2
    assert [get() for _, get in libs] == before


@pytest.mark.parametrize("workers", [1, 2])
def test_a_signal_is_answered_while_a_job_is_inside_one_long_call(workers):
    """One recorded step of a wide network is one numba call lasting seconds;
    the calling thread must not be the one inside it (Python runs signal
    handlers in the main thread, between bytecodes)."""
    import os
    import signal
    import time

    release, inside, threads = threading.Event(), threading.Event(), []

    def job(i, tick):
        threads.append(threading.current_thread())
        inside.set()
        release.wait(60)  # a call that does not return for a minute, GIL released (like a nogil kernel)
        tick(1)

    def send_sigint():
        inside.wait(60)
        os.kill(os.getpid(), signal.SIGINT)

    sender = threading.Thread(target=send_sigint)
    sender.start()
    started = time.perf_counter()
    try:
        with pytest.raises(KeyboardInterrupt):
            parallel.run_jobs(job, [0, 1], workers, lambda n: None)
        waited = time.perf_counter() - started
    finally:
        release.set()
        sender.join()
    assert threading.main_thread() not in threads
    assert waited < 30  # answered at once (not after the minute-long call)
    for t in threads:  # the abandoned job stops at its next tick
        t.join(10)
        assert not t.is_alive()


def test_blas_threads_pins_openblas_and_restores_it():
    """What the benchmark's "BLAS pinned to 1 thread" and the workers rely on."""
    import numpy as np  # noqa: F401  (loads OpenBLAS)

    from gradviz.engine import parallel
    libs = parallel._openblas_libs()
    if not libs:
        pytest.skip("no OpenBLAS loaded in this process")
    before = [get() for _, get in libs]
    with parallel.BlasThreads(1):
        assert [get() for _, get in libs] == [1] * len(libs)
    assert [get() for _, get in libs] == before
