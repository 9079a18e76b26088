"""Figures for the float-precision lessons: one module per experiment, drawing
the data :mod:`gradviz.numerics` computed (they never compute it themselves).

Same shape and pipeline as the training figures (:mod:`gradviz.figures.pipeline`):
``compose(fig, data, *, lang)`` draws experiment ``data`` (e.g.
:class:`gradviz.numerics.AbsorptionData`); these figures keep matplotlib's
default style and their own save settings (:data:`.common.SAVE_RC`), so files
are byte-stable across reruns.

Public API::

    data = gradviz.numerics.experiment_data(["absorption"], a="1e10", b="1e-10")
    fig, built = gradviz.figures.precision.build(data["absorption"], "absorption", lang="bg")
    outputs = gradviz.figures.precision.render_precision(data, "out/", formats="png,svg")
"""
from __future__ import annotations

from importlib import import_module

from ...names import FIGURE_FORMATS
from ..pipeline import Family, Output, check_formats, describe, registry
from ..pipeline import build as _build_in
from ..pipeline import render as _render_in
from .common import SAVE_METADATA, SAVE_RC

#: The registry: one line per experiment figure, in the lesson's order.
MODULES = (
    "absorption",
    "spacing",
    "summation",
    "cancellation",
    "overflow",
)
#: Figures drawn from another experiment's data, whenever that experiment is drawn.
COMPANIONS = {"absorption": ("absorption_bits",)}
FIGURES = registry(import_module(f"{__name__}.{name}") for name in MODULES)
#: Figures of no experiment of their own (the bit diagram draws the absorption data).
COMPANION_FIGURES = registry(import_module(f"{__name__}.{name}") for cs in COMPANIONS.values() for name in cs)
FAMILY = Family("precision figure", {**FIGURES, **COMPANION_FIGURES}, rc=lambda size: {}, metadata=lambda fmt: SAVE_METADATA.get(fmt),
                save_rc=SAVE_RC)


def build(data, name: str, *, lang: str = "en", size="web", dpi: int = 150):
    """``(Figure, Built)`` for experiment ``name`` drawn from its ``data``."""
    fig, facts = _build_in(FAMILY, data, name, lang=lang, size=size, dpi=dpi)
    return fig, describe(FAMILY, fig, data, name, facts, lang)


def render_precision(data: dict, out_dir, names=None, formats=("png",), size="web", dpi: int = 150,
                     lang: str = "en") -> list[Output]:
    """Draw ``data[name]`` for each name (default: every key of ``data``, in
    registry order) to ``out_dir/<name>.<format>``; one :class:`Output` per file."""
    names = [n for n in FAMILY.specs if n in data] if names is None else list(names)
    # the bit diagram draws the absorption experiment's data beside its figure
    names = [x for n in names for x in ([n, *COMPANIONS.get(n, ())])]
    names = list(dict.fromkeys(names))
    data = {**data, **{c: data[n] for n, cs in COMPANIONS.items() if n in data for c in cs}}
    for n in names:
        FAMILY.lookup(n)
        if n not in data:
            raise ValueError(f"precision figure {n!r} needs its experiment data "
                             "(gradviz.numerics.experiment_data)")
    formats = check_formats(formats, FIGURE_FORMATS)
    outputs = []
    for n in names:
        outputs += _render_in(FAMILY, data[n], out_dir, [n], formats, size=size, dpi=dpi, lang=lang)
    return outputs


__all__ = ["FIGURES", "MODULES", "build", "render_precision"]
