"""The text progress display: phases, ETA only after steps ran, tty and non-tty, NO_COLOR."""
from __future__ import annotations

import io

import pytest

from gradviz import progress
from gradviz.progress import COMPILE_SECONDS, Progress, clock, drawing_phase


@pytest.fixture
def cold(monkeypatch):
    monkeypatch.setattr(progress, "kernels_cached", lambda: False)


class Clock:
    def __init__(self):
        self.t = 0.0

    def __call__(self):
        return self.t


def run(tty, color=None):
    out, now = io.StringIO(), Clock()
    p = Progress("init", file=out, tty=tty, color=color, now=now)
    p(0, 100, "compiling")
    now.t = 60.0
    p(0, 100, "training")        # first training report: no step has run in this phase
    first = out.getvalue()
    now.t = 61.0
    p(10, 100)                   # the old two-argument form means training
    middle = out.getvalue()
    now.t = 70.0
    p(100, 100, "training")
    p(100, 100, "training")      # reported twice at the end: drawn once
    p.note(drawing_phase(6, 1))
    p.close()
    return first, middle, out.getvalue()


def test_not_a_terminal_one_line_per_phase(cold):
    first, middle, text = run(tty=False)
    assert "\r" not in text and "\x1b" not in text
    assert text.splitlines() == [
        f"init: compiling kernels (first run only, about {COMPILE_SECONDS} s on a machine like this)",
        "init: training, 100 steps",
        "init: drawing 6 figures, 1 animation",
    ]


def test_terminal_redraws_and_eta_only_after_steps(cold):
    first, middle, text = run(tty=True, color=False)
    assert "compiling kernels (first run only" in first
    assert "ETA" not in first and "0%" in first
    # 10 steps in 1 s after the first report: 90 left at 10 steps/s
    assert middle.endswith("init: training [##----------------------]  10%  ETA 00:09\x1b[K")
    assert text.count("100%") == 1 and "in 01:10" in text
    assert text.endswith("\ninit: drawing 6 figures, 1 animation\n")
    assert "\x1b[1m" not in text


def test_colour_in_a_terminal_unless_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[36m" in run(tty=True)[2]
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[36m" not in run(tty=True)[2] and "\x1b[1m" not in run(tty=True)[2]


def test_words():
    assert drawing_phase(1, 0) == "drawing 1 figure"
    assert drawing_phase(0, 2) == "drawing 2 animations"
    assert drawing_phase(6, 1) == "drawing 6 figures, 1 animation"
    assert clock(9.4) == "00:09" and clock(3725) == "1:02:05"


def test_compile_words_follow_numbas_cache(tmp_path, monkeypatch):
    """The folder checked is the one numba itself uses for NUMBA_CACHE_DIR."""
    import os

    import numba
    from numba.core.caching import UserProvidedCacheLocator

    import gradviz.engine.kernels as kernels
    from gradviz.progress import compiling_phase, kernels_cached

    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(numba.config, "CACHE_DIR", str(tmp_path))
    where = UserProvidedCacheLocator(test_words, kernels.__file__).get_cache_path()
    assert not kernels_cached()
    assert compiling_phase().startswith("compiling kernels (first run only")
    os.makedirs(where)
    index = os.path.join(where, "kernels.step-10.py311.nbi")
    open(index, "w").close()
    assert kernels_cached() and compiling_phase() == "loading compiled kernels (numba's cache)"
    old = os.path.getmtime(kernels.__file__) - 10
    os.utime(index, (old, old))  # an index older than the source: numba recompiles
    assert not kernels_cached()
