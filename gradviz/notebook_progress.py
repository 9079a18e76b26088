"""The progress bar of ``gradviz.simulate(progress=True)``, for notebooks.

``gradviz render`` has its own display (:mod:`gradviz.progress`: one line per
phase where stderr is not a terminal, as in a notebook); a notebook user who
asks for progress wants to see the bar move, so this one always draws it.

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

from .progress import phase_text


class TextProgress:
    """``bar(done, total[, phase])``; ``bar.close()`` ends the line."""

    def __init__(self, label: str, file=None, width: int = 30, use_tqdm: bool | None = None):
        self.label, self.width = label, width
        self.file = file if file is not None else sys.stderr
        self.phase = None
        self._tqdm = _tqdm_class() if use_tqdm in (None, True) else None
        self._bar = None
        self._last = ("", -1)
        self.t0 = time.perf_counter()

    def __call__(self, done: int, total: int, phase: str = "training") -> None:
        text = phase_text(phase)  # the CLI's words, e.g. "compiling kernels (first run only, ...)"
        if phase != self.phase:
            if self._bar is not None:
                self._bar.close()
                self._bar = None
            elif self.phase is not None:
                self.file.write("\n")        # keep the previous phase's line
            self.phase = phase
            if phase == "compiling":         # no steps run while numba compiles: a line, no bar
                self.file.write(f"{self.label}: {text}")
                self.file.flush()
                return
        if phase != "compiling":
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
