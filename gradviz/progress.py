"""The text progress display of ``gradviz render``: one phase at a time.

Phases, in order: "compiling kernels (first run only, about N s ...)" while
numba compiles (the simulator reports it), "training" (a bar, with an ETA only
once steps have run: an ETA at 0 % is a guess, and a wrong one looks hung),
then "drawing 6 figures, 1 animation" (:func:`drawing_phase`, announced by
:func:`gradviz.outputs.produce`). In a terminal the current phase redraws one
line in place; elsewhere (a log file, CI, a notebook's stderr) each phase is
one line and nothing is redrawn. ``NO_COLOR`` (any non-empty value) turns
colour off, as https://no-color.org asks.

The simulator calls the display as ``progress(done, total, phase)`` with phase
"compiling" or "training"; the older ``progress(done, total)`` means training.
"""
from __future__ import annotations

import glob
import hashlib
import os
import sys
import time
from pathlib import Path

#: Seconds numba needs to compile the kernels cold on the shared 2-core machine
#: gradviz is developed on: `gradviz render initialization` with a fresh
#: NUMBA_CACHE_DIR took 91.9 s, the same run warm 23.8 s; the first training
#: report of a cold `simulate` came after 65 s. Only a hint for the user.
COMPILE_SECONDS = 70

_REDRAW_EVERY = 0.1  # seconds between terminal redraws: fast runs must not flood stderr
_BAR = 24


def no_color() -> bool:
    """True when the user asked for no colour (https://no-color.org)."""
    return bool(os.environ.get("NO_COLOR"))


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def drawing_phase(figures: int, animations: int) -> str:
    """'drawing 6 figures, 1 animation' (the part with no items left out)."""
    parts = [plural(n, w) for n, w in ((figures, "figure"), (animations, "animation")) if n]
    return "drawing " + (", ".join(parts) if parts else "nothing")


def compiling_phase(seconds: float = COMPILE_SECONDS, cached: bool | None = None) -> str:
    """The compile phase's words: a load from numba's disk cache takes seconds, a compile a minute."""
    if cached if cached is not None else kernels_cached():
        return "loading compiled kernels (numba's cache)"
    return f"compiling kernels (first run only, about {seconds:.0f} s on a machine like this)"


def phase_text(phase: str) -> str:
    """What every display (this one, :mod:`gradviz.notebook_progress`) calls a simulator phase."""
    return compiling_phase() if phase == "compiling" else phase


def kernels_cached() -> bool:
    """Whether numba's disk cache has an index of the kernels newer than their source.

    The simulator reports phase "compiling" whenever this process has not run
    the kernels yet, also when numba will only load them from its cache. The
    places are numba's: ``NUMBA_CACHE_DIR``, else ``__pycache__`` beside
    ``engine/kernels.py``, else the user-wide ``~/.cache/numba``.
    """
    engine = os.path.join(os.path.dirname(os.path.abspath(__file__)), "engine")
    source = Path(engine) / "kernels.py"
    if not source.exists():
        return False
    # numba's subfolder for a source folder outside the tree: name_sha1(path)
    sub = f"engine_{hashlib.sha1(engine.encode()).hexdigest()}"
    user = os.environ.get("NUMBA_CACHE_DIR")
    places = ([os.path.join(user, sub, "kernels.*.nbi")] if user else
              [os.path.join(engine, "__pycache__", "kernels.*.nbi"),
               os.path.join(os.path.expanduser("~"), ".cache", "numba", sub, "kernels.*.nbi")])
    newest = max((os.path.getmtime(f) for place in places for f in glob.glob(place)), default=0.0)
    return newest >= source.stat().st_mtime


def clock(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}"


class Progress:
    """A callable progress display for one scenario, writing to ``file``."""

    def __init__(self, name: str, file=None, tty: bool | None = None, color: bool | None = None,
                 now=time.monotonic, unit: str = "step"):
        self.name = name
        self.unit = unit  # what ``total`` counts: steps, or an optimizer race's variants
        self.file = file if file is not None else sys.stderr
        self.tty = _isatty(self.file) if tty is None else tty
        self.color = (self.tty and not no_color()) if color is None else color
        self._now = now
        self._phase = None        # "compiling" | "training" | None
        self._open = False        # a terminal line is being redrawn
        self._t0 = self._d0 = None  # time and count of the first training report
        self._started = now()
        self._last_draw = -1e9
        self._last_text = None

    # -- the simulator's callback ------------------------------------------------
    def __call__(self, done: int, total: int, phase: str = "training") -> None:
        if phase != self._phase:
            self._enter(phase, total)
        if phase == "training":
            if self._t0 is None:
                self._t0, self._d0 = self._now(), done
            if self.tty and (self._now() - self._last_draw >= _REDRAW_EVERY or done >= total):
                self._draw(self._bar(done, total))

    def note(self, message: str) -> None:
        """A line of its own (e.g. "reusing recording.npz", a drawing phase)."""
        self._end_line()
        self._phase = None
        text = message if message.startswith(f"{self.name}:") else f"{self.name}: {message}"
        self._write(self._style(text) + "\n")

    def close(self) -> None:
        self._end_line()

    # -- internals ---------------------------------------------------------------
    def _enter(self, phase: str, total: int) -> None:
        self._end_line()
        self._phase = phase
        if phase != "training":
            self._write(self._style(f"{self.name}: {phase_text(phase)}") + "\n")
            return
        self._t0 = None
        if not self.tty:
            self._write(self._style(f"{self.name}: {phase_text(phase)}, {plural(total, self.unit)}") + "\n")

    def _bar(self, done: int, total: int) -> str:
        share = done / total if total else 1.0
        filled = int(round(share * _BAR))
        text = f"{self.name}: {phase_text(self._phase)} [{'#' * filled}{'-' * (_BAR - filled)}] {share:4.0%}"
        elapsed = self._now() - self._t0
        ran = done - self._d0
        if done >= total:
            text += f"  in {clock(self._now() - self._started)}"
        elif ran > 0 and elapsed > 0:  # an ETA only from steps that ran, never at 0 %
            text += f"  ETA {clock((total - done) * elapsed / ran)}"
        return text

    def _draw(self, text: str) -> None:
        if self._open and text == self._last_text:
            return  # the simulator may report the same count twice at the end
        self._last_text = text
        self._write("\r" + self._style(text) + "\x1b[K")
        self._open = True
        self._last_draw = self._now()

    def _end_line(self) -> None:
        if self._open:
            self._write("\n")
            self._open = False

    def _style(self, text: str) -> str:
        if not self.color:
            return text
        head, sep, rest = text.partition(": ")
        return f"\x1b[1m{head}\x1b[0m{sep}\x1b[36m{rest}\x1b[0m" if sep else text

    def _write(self, text: str) -> None:
        self.file.write(text)
        self.file.flush()


def _isatty(file) -> bool:
    try:
        return file.isatty()
    except (AttributeError, ValueError):
        return False
