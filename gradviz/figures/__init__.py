"""Static figures from a Recording: one module per figure, one registry, one pipeline.

Each module of this package that draws a figure declares ``NAME``,
``REQUIRES`` (the Recording arrays it needs), its message ids as literal
strings (``TITLE``, ``CAPTION``...), ``compose(fig, rec, *, lang, **options)``
returning a typed facts dataclass, ``caption(facts, lang)`` and
``alt(rec, facts, lang)``. The registry below is one explicit list (the
gallery order); :mod:`.pipeline` builds, lays out and saves every figure,
animation and precision figure the same way; :mod:`.layout` holds the public
layout helpers.

Adding a figure is one new module here plus one line in :data:`MODULES`
(README section "Extending gradviz").

Public API::

    fig, built = gradviz.figures.build(rec, "grad_norms", lang="ro")   # built.caption, built.alt
    outputs = gradviz.figures.render_figures(rec, "out/", formats="png,svg")
"""
from __future__ import annotations

from importlib import import_module

from .. import style
from ..names import FIGURE_FORMATS
from . import layout
from .pipeline import Built, Family, FigureUnavailable, Output, available, describe, registry
from .pipeline import build as _build_in
from .pipeline import check_formats
from .pipeline import render as _render_in

#: The registry: one line per figure, in gallery order.
MODULES = (
    "grad_norms",
    "activation_hist",
    "gradient_hist",
    "heatmap",
    "loss",
    "accuracy",
    "update_ratio",
    "saturation",
    "percentiles",
    "lr",
    "grad_clip",
    "decision_boundary",
    "surface",
    "lost_gradients",
    "loss_scale",
)

FIGURES = registry(import_module(f"{__name__}.{name}") for name in MODULES)
FAMILY = Family("figure", FIGURES, rc=style.rc_params, metadata=style.save_metadata,
                finish=lambda fig, facts: layout.finish(fig))


def available_figures(rec) -> list[str]:
    """Figure names whose required arrays are all in ``rec`` (registry order)."""
    return available(FAMILY, rec)


def build(rec, name: str, *, lang: str = "en", size="web", dpi: int = style.DEFAULT_DPI, **options):
    """``(Figure, Built)``: figure ``name`` drawn and laid out (not saved), with
    ``built.title``, ``built.caption``, ``built.alt`` and the figure's typed
    ``built.facts``. Shows inline in Jupyter; save with :func:`render_figures`
    (or ``fig.savefig`` inside :func:`gradviz.style.style_context`)."""
    fig, facts = _build_in(FAMILY, rec, name, lang=lang, size=size, dpi=dpi, **options)
    return fig, describe(FAMILY, fig, rec, name, facts, lang)


def render_figures(rec, out_dir, names=None, formats=("png",), size="web", dpi: int = style.DEFAULT_DPI,
                   lang: str = "en", options=None) -> list[Output]:
    """Render figures to ``out_dir/<name>.<format>``; returns one :class:`Output` per file.

    ``names``: registry names (None = every figure :func:`available_figures`
    finds data for; an explicitly requested figure without its data raises
    :class:`FigureUnavailable`). ``options``: ``{name: {option: value}}``.
    """
    formats = check_formats(formats, FIGURE_FORMATS)
    names = available_figures(rec) if names is None else list(names)
    for k in options or {}:
        FAMILY.lookup(k)
    return _render_in(FAMILY, rec, out_dir, names, formats, size=size, dpi=dpi, lang=lang, options=options)


__all__ = ["FIGURES", "MODULES", "Built", "FigureUnavailable", "Output", "available_figures", "build",
           "render_figures"]
