"""What every animation shares: the :class:`Scene` a module's ``compose``
returns, frame selection, the frame counter, and :class:`FrameRenderer`, which
draws the static parts once and blits the animated artists per frame
(design.md section 7: re-creating a figure per frame is ~100x slower)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import matplotlib as mpl
import numpy as np
from matplotlib import colors as mcolors
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox
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


def text_state(text, extent) -> tuple:
    """What a text's pixels depend on: its characters, font, colour, alignment, exact
    place and size on the canvas (``extent``, its window extent's bounds) and its box;
    equal states over equal pixels draw equal pixels (Agg is deterministic)."""
    fp = text.get_fontproperties()
    box = text.get_bbox_patch()
    boxed = None if box is None else (repr(box.get_boxstyle()), tuple(box.get_facecolor()),
                                      tuple(box.get_edgecolor()), box.get_linewidth(), box.get_alpha(),
                                      box.get_mutation_scale(), box.get_mutation_aspect(), box.get_visible())
    return (text.get_text(), mcolors.to_rgba(text.get_color()), text.get_alpha(), tuple(fp.get_family()),
            fp.get_style(), fp.get_weight(), fp.get_stretch(), fp.get_variant(), fp.get_size_in_points(),
            fp.get_file(), text.get_rotation(), text.get_rotation_mode(), text.get_ha(), text.get_va(),
            text._multialignment, text._linespacing, bool(mpl.rcParams["text.antialiased"]),
            mpl.rcParams["text.hinting"], mpl.rcParams["text.hinting_factor"], text.get_path_effects() == [],
            extent, boxed)


class TextPixels:
    """Notes and counters drawn once and pasted while unchanged.

    A text is the costliest animated artist (FreeType renders each glyph: ~1 ms for
    a two-line note) and most notes stay the same from one frame to the next. Each
    text keeps the pixels of its region before and after it was last drawn; when its
    :func:`text_state` and the pixels under it are unchanged, the "after" pixels are
    pasted instead of drawing, which gives exactly the pixels drawing would. The
    region is the text's extent with a margin (its box's padding and a few pixels);
    a text whose drawing reaches the margin's outer ring is never pasted (the region
    would not hold all it painted). A text that changed in each of its last
    :data:`GIVE_UP` frames (a step counter, a tag that follows its marker) is drawn
    directly for the next :data:`REST` frames: checking it would cost more than it saves.
    """

    PAD = 4
    GIVE_UP = 2
    REST = 8

    def __init__(self, canvas):
        self.canvas = canvas
        self.kept = {}           # id(text) -> (state, region, before, after)
        self.misses = {}         # id(text) -> changed frames in a row
        self.resting = {}        # id(text) -> frames left to draw directly

    def _region(self, text, ext):
        pad = self.PAD
        box = text.get_bbox_patch()
        if box is not None:
            style_pad = float(getattr(box.get_boxstyle(), "pad", 0.3))
            pad += int(np.ceil(box.get_mutation_scale() * self.canvas.figure.dpi / 72 * (style_pad + 0.15)
                               + box.get_linewidth() * self.canvas.figure.dpi / 72))
        w, h = self.canvas.get_width_height()
        if not np.all(np.isfinite(ext.get_points())):
            return None
        x0, x1 = max(int(np.floor(ext.x0)) - pad, 0), min(int(np.ceil(ext.x1)) + pad, w)
        r0, r1 = max(h - int(np.ceil(ext.y1)) - pad, 0), min(h - int(np.floor(ext.y0)) + pad, h)
        return (slice(r0, r1), slice(x0, x1)) if x1 - x0 > 2 and r1 - r0 > 2 else None

    def draw(self, text, draw) -> None:
        """Draw ``text`` with ``draw()``, or paste its last drawing when nothing it depends on changed."""
        key = id(text)
        if self.resting.get(key, 0) > 0 or getattr(text, "arrow_patch", None) is not None:
            self.resting[key] = self.resting.get(key, 0) - 1
            draw()
            return
        ext = text.get_window_extent(self.canvas.get_renderer())
        region = self._region(text, ext)
        if region is None:
            draw()
            return
        state = text_state(text, tuple(ext.bounds))
        buf = np.asarray(self.canvas.buffer_rgba())
        before = buf[region].copy()
        kept = self.kept.get(key)
        if kept is not None and kept[0] == state and kept[1] == region and np.array_equal(kept[2], before):
            buf[region] = kept[3]
            self.misses[key] = 0
            return
        draw()
        self.misses[key] = self.misses.get(key, 0) + 1
        if self.misses[key] >= self.GIVE_UP:
            self.misses[key] = 0
            self.resting[key] = self.REST
        after = buf[region]
        ring_same = (np.array_equal(after[0], before[0]) and np.array_equal(after[-1], before[-1])
                     and np.array_equal(after[:, 0], before[:, 0]) and np.array_equal(after[:, -1], before[:, -1]))
        if ring_same:
            self.kept[key] = (state, region, before, after.copy())
        else:
            self.kept.pop(key, None)


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
        self.texts = TextPixels(self.canvas)

    def rgba(self, k: int) -> np.ndarray:
        """Frame ``k`` as a ``(height, width, 4)`` uint8 view of the canvas buffer."""
        self.canvas.restore_region(self.background)
        self.scene.update(k)
        for a in sorted(self.scene.artists, key=lambda a: a.get_zorder()):
            if not a.get_visible() or draws_nothing(a):
                continue
            owner = a.axes if a.axes is not None else self.fig
            if isinstance(a, Text):
                self.texts.draw(a, lambda: owner.draw_artist(a))
            else:
                owner.draw_artist(a)
        return np.asarray(self.canvas.buffer_rgba())

    def rgb(self, k: int) -> Image.Image:
        """Frame ``k`` as an RGB image (a copy)."""
        return Image.fromarray(np.ascontiguousarray(self.rgba(k)[..., :3]))
