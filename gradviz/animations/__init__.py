"""Animations from a Recording: one module per animation, one registry, and the
figures' build pipeline (:mod:`gradviz.figures.pipeline`).

Each module declares ``NAME``, ``REQUIRES``, its message ids, and
``compose(fig, rec, *, lang, **options)`` returning a
:class:`~.scene.Scene` (the animated artists, an ``update(k)`` function and
the typed facts its ``caption(facts, lang)`` reads). One Figure is drawn once
and its animated artists are blitted per frame (:class:`~.scene.FrameRenderer`);
GIF frames share one palette (:mod:`.writers`). The alt text of every
animation is "Animation with N frames." and its caption.

Public API::

    fig, scene = gradviz.animations.build(rec, "hist_anim", lang="he")
    outputs = gradviz.animations.render_animations(rec, "out/", fmt="gif,webp")
"""
from __future__ import annotations

import time
from importlib import import_module
from pathlib import Path

from .. import style
from ..figures import layout
from ..figures.pipeline import Family, Output, available, check_formats, registry, seed_sentence
from ..figures.pipeline import build as _build_in
from ..i18n import nt, t
from ..names import ANIMATION_FORMATS
from .scene import FrameRenderer, Scene, frame_indices
from .writers import EXTENSIONS, WRITERS, durations_ms, render_frames

#: The registry: one line per animation, in gallery order.
MODULES = (
    "hist_anim",
    "heatmap_anim",
    "boundary_anim",
    "surface_anim",
)
ANIMATIONS = registry((import_module(f"{__name__}.{name}") for name in MODULES), alt=False)


def _finish(fig, scene: Scene) -> None:
    """Lay out with the widest counter text showing, then rewind to frame 0."""
    if scene.n_frames < 1:
        raise ValueError("this Recording gives no frames")
    scene.update(scene.n_frames - 1)
    layout.finish(fig)
    scene.update(0)


FAMILY = Family("animation", ANIMATIONS, rc=style.rc_params, metadata=style.save_metadata, finish=_finish,
                output_kind="animation")


def available_animations(rec) -> list[str]:
    """Animation names whose required arrays are all in ``rec`` (registry order)."""
    return available(FAMILY, rec)


def build(rec, name: str, *, lang: str = "en", size="web", dpi: int = style.DEFAULT_DPI, **options):
    """``(Figure, Scene)``: the static parts drawn, the layout frozen, frame 0 showing."""
    try:
        return _build_in(FAMILY, rec, name, lang=lang, size=size, dpi=dpi, **options)
    except ValueError as e:
        if str(e) == "this Recording gives no frames":
            raise ValueError(f"animation {name!r}: this Recording gives no frames") from None
        raise


def alt_text(n_frames: int, caption: str, lang: str, changes: str = "", first_ms: int = 0) -> str:
    """"Animation with N frames" and what changes from frame to frame, then the caption."""
    head = nt("Animation with {n} frame. {caption}", "Animation with {n} frames. {caption}", n_frames, lang,
              n=n_frames, caption="").strip()
    bits = [head]
    if changes:
        bits.append(changes)
    if first_ms:
        bits.append(t("The first frame, the state at initialization, is held for {s} s.", lang,
                      s=style.fmt_num(first_ms / 1000, 2, lang)))
    return " ".join(bits + [caption])


def render_animations(rec, out_dir, names=None, fmt="gif", fps: float = 8, size="web",
                      dpi: int = style.DEFAULT_DPI, lang: str = "en", options=None,
                      hold_last_ms: int = 1500) -> list[Output]:
    """Render animations to ``out_dir/<name>.<ext>`` (``fmt``: gif, webp, apng or a list).

    ``names``: registry names (None = every animation the Recording has data for).
    ``options``: ``{name: {option: value}}``. Returns one :class:`Output` per file; its
    ``extra`` holds ``frames``, ``durations_ms`` and ``seconds`` (where the time went:
    ``build`` the figure and its layout, ``static`` the one full draw, ``palette``,
    ``frames`` every frame's update, blit and palette mapping, ``encode`` this file).
    """
    out_dir = Path(out_dir)
    fmts = check_formats(fmt if isinstance(fmt, str) else ",".join(fmt), ANIMATION_FORMATS,
                         "animation format")
    names = available_animations(rec) if names is None else list(names)
    options = options or {}
    outputs = []
    for name in names:
        spec = FAMILY.lookup(name)
        t0 = time.perf_counter()
        seconds = {}
        with FAMILY.drawing(size):
            fig, scene = build(rec, name, size=size, dpi=dpi, lang=lang, **options.get(name, {}))
            seconds["build"] = time.perf_counter() - t0
            with style.number_language(lang):
                frames, pal = render_frames(fig, scene, seconds=seconds)
        durs = durations_ms(len(frames), fps, hold_last_ms)
        title = " ".join((fig.get_suptitle() or name).split())
        src = getattr(fig, "_gradviz_source", rec)
        with style.number_language(lang):
            caption = spec.caption(scene.facts, lang)
            seeds_said = seed_sentence(src, lang)
            if seeds_said:
                caption = f"{caption} {seeds_said}"
            changes = spec.module.changes(src, scene.facts, lang) if hasattr(spec.module, "changes") else ""
            alt = alt_text(len(frames), caption, lang, changes, durs[0] if durs else 0)
        for f in fmts:
            path = out_dir / f"{name}{EXTENSIONS[f]}"
            t1 = time.perf_counter()
            WRITERS[f](frames, pal, path, durs, alt)
            outputs.append(Output(name=name, path=path, format=f, caption=caption, alt=alt, title=title,
                                  kind="animation", extra={"frames": len(frames), "durations_ms": durs,
                                                           "seconds": {**seconds, "encode": time.perf_counter() - t1}}))
    return outputs


__all__ = ["ANIMATIONS", "MODULES", "FrameRenderer", "Scene", "available_animations", "build",
           "durations_ms", "frame_indices", "render_animations"]
