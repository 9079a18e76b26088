"""A text progress bar for notebooks and terminals (``gradviz.simulate(progress=True)``).

The engine calls ``progress(done, total)`` or, when the callback accepts a
third argument, ``progress(done, total, phase)`` with phase ``"compiling"``
(numba compiling the kernels: only the first run on a machine, then cached)
or ``"training"``. :class:`TextProgress` accepts both. It uses tqdm when it is
installed (its plain text bar, which Jupyter shows too) and otherwise writes
one carriage-return line, which both terminals and notebook outputs redraw.
"""
from __future__ import annotations

import sys
import time

PHASES = {
    "compiling": "compiling kernels (first run only)",
    "training": "training",
}


class TextProgress:
    """``bar(done, total[, phase])``; ``bar.close()`` ends the line."""

    def __init__(self, label: str, file=None, width: int = 30, use_tqdm: bool | None = None):
        self.label, self.width = label, width
        self.file = file if file is not None else sys.stderr
        self.phase = None
        self._tqdm = _tqdm_class() if use_tqdm in (None, True) else None
        self._bar = None
        self._last = ("", -1)
        self.start = self.t0 = time.perf_counter()
        # until the engine reports, say why a first run may be silent for a while
        # (one "\r" line that the first real draw overwrites)
        self.file.write(f"\r{label}: starting (a first run compiles the kernels)")
        self.file.flush()

    def __call__(self, done: int, total: int, phase: str = "training") -> None:
        text = PHASES.get(phase, phase)
        if phase != self.phase:
            self.phase = phase
            self.start = time.perf_counter()   # no ETA from the compile time
            if self._bar is not None:
                self._bar.close()
                self._bar = None
        self._draw(done, total, text)

    def _draw(self, done: int, total: int, text: str) -> None:
        if self._tqdm is not None:
            if self._bar is None:
                self._bar = self._tqdm(total=total or None, desc=f"{self.label}: {text}", file=self.file,
                                       leave=True, dynamic_ncols=False, ncols=90, unit="step")
            if total and self._bar.total != total:
                self._bar.total = total
            self._bar.update(done - self._bar.n)
            return
        pct = int(100 * done / total) if total else 0
        if (text, pct) == self._last:
            return   # redraw only when something visible changes
        self._last = (text, pct)
        fill = self.width * pct // 100
        bar = f" [{'#' * fill}{'.' * (self.width - fill)}] {pct:3d}% {done}/{total}" if total else "…"
        self.file.write(f"\r{self.label}: {text}{bar}".ljust(90))
        self.file.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        elif self._tqdm is None:
            self.file.write(f"  ({time.perf_counter() - self.t0:.1f} s)\n")
            self.file.flush()


def _tqdm_class():
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm
