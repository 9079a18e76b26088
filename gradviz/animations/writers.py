"""Frames to files, with ONE palette for every GIF frame.

An adaptive palette from a composite of sample frames plus reserved exact
colours (NaN/Inf magenta, variant colours, black, white...), then every frame
mapped onto it without dithering, so static text and lines never shimmer and
the NaN colour is never approximated. Pillow writes a single global colour
table, transparent deltas between frames, ``loop=0`` and durations of at
least 20 ms. WebP (lossless) and APNG are written on request.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from matplotlib import colors as mcolors
from PIL import Image

from .. import style
from ..atomic import atomic_open
from ..panels.boundary import CLASS_COLORS
from .scene import FrameRenderer, frame_indices


GIF_MIN_MS = 20
#: Slowest pace a reader can follow: every frame at least this long (issue 11 §10) ...
FRAME_MIN_MS = 200
#: ... and the first frame (the initialization) held at least this long.
HOLD_FIRST_MS = 1500
#: File extension of each animation format (APNG is a PNG).
EXTENSIONS = {"gif": ".gif", "webp": ".webp", "apng": ".png"}


def reserved_colors() -> list[tuple[int, int, int]]:
    """Colours that must survive quantization exactly."""
    cols = ["#FFFFFF", "#000000", style.NONFINITE, style.ZERO, style.FLOOR, style.NOT_RUN, style.TEXT_MUTED,
            *style.VARIANT_ORDER, *CLASS_COLORS]
    out = []
    for c in cols:
        rgb = tuple(int(round(255 * x)) for x in mcolors.to_rgb(c))
        if rgb not in out:
            out.append(rgb)
    return out


def shared_palette(samples: list[Image.Image], colors: int = 255) -> np.ndarray:
    """One adaptive palette (``(n, 3)`` uint8, n ≤ 255) for every frame.

    A median-cut of a composite of sample frames, plus the
    :func:`reserved_colors` added exactly. At most 255 entries, leaving an index
    free for the transparent deltas Pillow writes between frames.
    """
    reserved = reserved_colors()
    w = max(im.width for im in samples)
    comp = Image.new("RGB", (w, sum(im.height for im in samples)), "white")
    y = 0
    for im in samples:
        comp.paste(im, (0, y))
        y += im.height
    k = colors - len(reserved)
    q = comp.quantize(colors=k, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    n_used = len(q.getcolors(maxcolors=256) or [])
    pal = q.getpalette()[: 3 * max(n_used, 1)]
    entries = list(reserved)
    for i in range(0, len(pal), 3):
        c = tuple(pal[i:i + 3])
        if c not in entries:
            entries.append(c)
    return np.array(entries[:colors], dtype=np.uint8)


class PaletteMapper:
    """Exact nearest-colour mapping of RGB frames onto a fixed palette.

    Pillow's ``quantize(palette=...)`` looks colours up in a coarse cache and
    can map pure white to a near-white or the NaN magenta to a neighbour; this
    mapper keeps a lazily filled 24-bit lookup table, so colours present in the
    palette map to themselves and others to their true nearest entry (squared
    RGB distance, the first entry on a tie).

    ``background``: the ``(h, w, 4)`` RGBA canvas behind every frame (the static
    parts). It is mapped once; a frame then looks up only the pixels that differ
    from it (a few percent of a frame in most animations).
    """

    UNSET = 255                   # palettes have at most 255 entries (indices 0..254)

    def __init__(self, palette: np.ndarray, background: np.ndarray | None = None):
        self.palette = np.asarray(palette, dtype=np.uint8)
        if len(self.palette) > self.UNSET:
            raise ValueError(f"a GIF palette here has at most {self.UNSET} colours, not {len(self.palette)}")
        self.flat = self.palette.reshape(-1).tolist()
        self.lut = np.full(1 << 24, self.UNSET, dtype=np.uint8)
        self._pal = self.palette.astype(np.float32)
        self._pal_sq = (self._pal ** 2).sum(1)
        self._bg = self._bg_idx = None
        if background is not None:
            self._bg = self._words(background)
            self._bg_idx = self._lookup(self._keys(background))

    def _fill(self, keys: np.ndarray) -> None:
        """Nearest palette entry of each 24-bit colour ``keys`` into the table. Every
        term of |p|² - 2 c·p is an integer below 2²⁴, exact in float32, so the BLAS
        product gives the same argmin (first entry on a tie) as subtracting per channel."""
        rgb = np.stack([keys & 255, (keys >> 8) & 255, (keys >> 16) & 255], 1).astype(np.float32)
        for i in range(0, len(rgb), 16384):
            d = self._pal_sq[None, :] - 2.0 * (rgb[i:i + 16384] @ self._pal.T)
            self.lut[keys[i:i + 16384]] = d.argmin(1).astype(np.uint8)

    @staticmethod
    def _keys(a: np.ndarray) -> np.ndarray:
        """24-bit colour keys (R | G << 8 | B << 16) of a ``(..., 3|4)`` uint8 array."""
        return a[..., 0].astype(np.uint32) | (a[..., 1].astype(np.uint32) << 8) | (a[..., 2].astype(np.uint32) << 16)

    @staticmethod
    def _words(a: np.ndarray) -> np.ndarray | None:
        """The pixels of a contiguous RGBA array as one flat uint32 each (a view, no copy;
        on a little-endian machine ``word & 0xFFFFFF`` is the colour key), else None."""
        if (sys.byteorder == "little" and a.ndim == 3 and a.shape[2] == 4 and a.dtype == np.uint8
                and a.flags.c_contiguous):
            return a.view(np.uint32).reshape(-1)
        return None

    def _lookup(self, keys: np.ndarray) -> np.ndarray:
        flat = keys.reshape(-1)
        idx = self.lut[flat]
        missing = np.flatnonzero(idx == self.UNSET)
        if missing.size:
            new = flat[missing]
            self._fill(np.unique(new))
            idx[missing] = self.lut[new]
        return idx.reshape(keys.shape)

    def indices(self, a: np.ndarray) -> np.ndarray:
        """Palette indices (``(h, w)`` uint8) of an ``(h, w, 3|4)`` uint8 array."""
        words = self._words(a) if self._bg is not None else None
        if words is None or words.shape != self._bg.shape:
            return self._lookup(self._keys(a))
        changed = np.flatnonzero(words != self._bg)
        idx = self._bg_idx.reshape(-1).copy()
        idx[changed] = self._lookup(words[changed] & 0xFFFFFF)
        return idx.reshape(a.shape[:2])

    def __call__(self, im) -> Image.Image:
        """Map an RGB(A) image or ``(h, w, 3|4)`` uint8 array onto the palette ("P" image)."""
        a = np.asarray(im if isinstance(im, np.ndarray) else im.convert("RGB"))
        out = Image.fromarray(self.indices(a), mode="P")
        out.putpalette(self.flat)
        return out


def render_frames(fig, scene, *, samples: int = 5, quantize: bool = True, seconds: dict | None = None):
    """All frames: "P" images on one shared palette (or RGB if not ``quantize``).

    Each frame is drawn once: the frames the palette is sampled from are kept
    (as RGBA copies) until they are mapped. Returns ``(frames, palette)`` with
    ``palette`` the ``(n, 3)`` uint8 array. ``seconds``, when given, receives the
    time spent on the static parts (``"static"``: the one full draw), on the
    palette (``"palette"``: median cut and lookup table) and on the frames
    themselves (``"frames"``: update, blit and mapping, all frames together).
    """
    clock = {"static": 0.0, "palette": 0.0, "frames": 0.0}
    t0 = time.perf_counter()
    fr = FrameRenderer(fig, scene)
    n = scene.n_frames
    t1 = time.perf_counter()
    clock["static"] = t1 - t0
    if not quantize:
        frames, pal = [fr.rgb(k) for k in range(n)], None
        clock["frames"] = time.perf_counter() - t1
    else:
        picks = sorted(set(frame_indices(n, samples).tolist()))
        kept = {k: fr.rgba(k).copy() for k in picks}
        t2 = time.perf_counter()
        pal = shared_palette([Image.fromarray(np.ascontiguousarray(kept[k][..., :3])) for k in picks])
        mapper = PaletteMapper(pal, fr.background_rgba)
        t3 = time.perf_counter()
        frames = [mapper(kept.pop(k) if k in kept else fr.rgba(k)) for k in range(n)]
        clock["palette"] = t3 - t2
        clock["frames"] = (t2 - t1) + (time.perf_counter() - t3)
    if seconds is not None:
        seconds.update(clock)
    return frames, pal


def durations_ms(n: int, fps: float, hold_last_ms: int = 1500, hold_first_ms: int = HOLD_FIRST_MS) -> list[int]:
    """Per-frame durations: 1000/fps rounded to the 10 ms GIF tick, at least
    :data:`FRAME_MIN_MS`; the first frame (the initialization state) held at least
    ``hold_first_ms``, the last ``hold_last_ms``."""
    d = max(GIF_MIN_MS, FRAME_MIN_MS, int(round(1000.0 / max(fps, 0.1) / 10.0)) * 10)
    out = [d] * n
    if n > 1 and hold_last_ms:
        out[-1] = max(d, int(hold_last_ms))
    if n > 0 and hold_first_ms:
        out[0] = max(d, int(hold_first_ms))
    return out


def write_gif(frames, palette, path, durations, alt: str = "") -> Path:
    """Write a looping GIF whose frames all use the one global palette; the alt text
    goes into the GIF comment extension."""
    pal_bytes = bytes(np.asarray(palette, dtype=np.uint8).reshape(-1))
    kw = {"comment": alt.encode("utf-8")} if alt else {}
    with atomic_open(path) as fh:
        frames[0].save(fh, format="GIF", save_all=True, append_images=frames[1:], loop=0,
                       duration=list(durations), palette=pal_bytes, optimize=True, disposal=1, **kw)
    return Path(path)


def write_webp(frames, path, durations) -> Path:
    """Write a looping lossless WebP."""
    rgb = [f.convert("RGB") for f in frames]
    with atomic_open(path) as fh:
        rgb[0].save(fh, format="WEBP", save_all=True, append_images=rgb[1:], loop=0,
                    duration=list(durations), lossless=True, quality=80, method=4)
    return Path(path)


def write_apng(frames, path, durations, alt: str = "") -> Path:
    """Write a looping APNG (``.png``), the alt text as its ``Description`` (iTXt)."""
    from PIL.PngImagePlugin import PngInfo
    info = PngInfo()
    if alt:
        info.add_itxt("Description", alt)
    with atomic_open(path) as fh:
        frames[0].save(fh, format="PNG", save_all=True, append_images=frames[1:], loop=0,
                       duration=list(durations), default_image=False, optimize=False, pnginfo=info)
    return Path(path)



WRITERS = {"gif": lambda frames, pal, path, durs, alt="": write_gif(frames, pal, path, durs, alt),
           "webp": lambda frames, pal, path, durs, alt="": write_webp(frames, path, durs),
           "apng": lambda frames, pal, path, durs, alt="": write_apng(frames, path, durs, alt)}
