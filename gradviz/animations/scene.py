"""What every animation shares: the :class:`Scene` a module's ``compose``
returns, frame selection, the frame counter, and :class:`FrameRenderer`, which
draws the static parts once and blits the animated artists per frame
(design.md section 7: re-creating a figure per frame is ~100x slower)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.text import Text
from PIL import Image

from ..figures.layout import steady_ticks
from ..panels.recording import step_epoch_text


@dataclass
class Scene:
    """What an animation needs per frame: the animated artists and an updater."""
    n_frames: int
    artists: list
    update: Callable[[int], None]
    facts: object = None         # the animation's typed facts (for its caption)


def frame_indices(n: int, frames: int | None) -> np.ndarray:
    """Evenly spaced indices into ``n`` items, at most ``frames`` of them."""
    if n <= 0:
        return np.zeros(0, dtype=int)
    if frames is None or frames >= n:
        return np.arange(n)
    frames = max(int(frames), 1)
    return np.unique(np.round(np.linspace(0, n - 1, frames)).astype(int))


def frame_text(fig, lang, ax=None):
    """The animated "step N · epoch E" counter: top right of the figure, or inside ``ax``."""
    box = dict(boxstyle="round,pad=0.25", fc="white", ec="#CCCCCC", alpha=0.92)
    if ax is not None:
        return ax.text(0.02, 0.98, "", transform=ax.transAxes, ha="left", va="top",
                       fontsize="large", fontweight="bold", color="#222222", animated=True,
                       bbox=box, zorder=9)
    if getattr(fig, "_gradviz_rtl", False):       # the right-aligned title owns the top right
        return fig.text(0.01, 0.995, "", ha="left", va="top", fontsize="large", fontweight="bold",
                        color="#222222", animated=True, bbox=box)
    return fig.text(0.99, 0.995, "", ha="right", va="top", fontsize="large", fontweight="bold",
                    color="#222222", animated=True, bbox=box)


def step_label(rec, step, lang) -> str:
    """The frame counter's text: "step N · epoch E"."""
    return step_epoch_text(rec, int(step), lang)


def last_reached(run_row, r):
    """Index of the last reached record at or before ``r`` (or -1)."""
    idx = np.nonzero(run_row[: r + 1])[0]
    return int(idx[-1]) if idx.size else -1


def draws_nothing(artist) -> bool:
    """A line without points or a text without characters (an unused marker, leader or
    note): drawing it would paint no pixel but still cost its setup."""
    if isinstance(artist, Line2D):
        return len(artist.get_xdata(orig=False)) == 0
    if isinstance(artist, Text):
        return not artist.get_text()
    return False


class FrameRenderer:
    """Blit frames of a Scene: static background once, animated artists per frame."""

    def __init__(self, fig, scene):
        self.fig, self.scene = fig, scene
        self.canvas = fig.canvas
        for a in scene.artists:
            a.set_animated(True)
        with steady_ticks(fig):
            self.canvas.draw()                   # draws the static parts (the layout is frozen)
        fig.set_layout_engine("none")            # freeze: every frame has identical geometry
        self.background = self.canvas.copy_from_bbox(fig.bbox)
        #: the static parts as an ``(h, w, 4)`` uint8 array (a copy)
        self.background_rgba = np.array(self.canvas.buffer_rgba())
        self.size = self.canvas.get_width_height()

    def rgba(self, k: int) -> np.ndarray:
        """Frame ``k`` as a ``(height, width, 4)`` uint8 view of the canvas buffer."""
        self.canvas.restore_region(self.background)
        self.scene.update(k)
        for a in sorted(self.scene.artists, key=lambda a: a.get_zorder()):
            if not a.get_visible() or draws_nothing(a):
                continue
            if a.axes is not None:
                a.axes.draw_artist(a)
            else:
                self.fig.draw_artist(a)
        return np.asarray(self.canvas.buffer_rgba())

    def rgb(self, k: int) -> Image.Image:
        """Frame ``k`` as an RGB image (a copy)."""
        return Image.fromarray(np.ascontiguousarray(self.rgba(k)[..., :3]))
