"""The one build pipeline behind every figure, animation and precision figure.

A *family* (:class:`Family`) is a registry of figure modules plus how that
family is styled and saved. :func:`build` runs the same steps for all of them:

1. look the name up, check the required arrays and the options;
2. a :class:`matplotlib.figure.Figure` on the Agg canvas (never pyplot), at
   the size and dpi asked for, inside the family's rc settings;
3. the module's ``compose(fig, source, *, lang, **options)``, which draws and
   returns its typed facts (an animation returns a Scene);
4. the family's finishing step (figures: tidy log axes, fit the title, lay out
   once and freeze, :func:`gradviz.figures.layout.finish`);
5. caption and alt text from the module's ``caption(facts, lang)`` and
   ``alt(source, facts, lang)``.

:func:`save` writes a figure atomically (:func:`gradviz.atomic.atomic_open`)
with byte-stable metadata, so SVG and PDF files are identical between runs.

A figure module declares ``NAME``, ``REQUIRES`` (Recording arrays; a tuple
item means "any one of these"), its message ids as literal strings, and the
three functions; :func:`spec_of` checks that shape when the registry is built.
"""
from __future__ import annotations

import inspect
import io
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Callable

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.mathtext import MathTextParser

from .. import style
from ..atomic import atomic_open
from ..i18n import is_rtl, t
from ..panels import seeds
from ..panels.recording import palette
from ..record import Recording
from .layout import steady_ticks


class FigureUnavailable(ValueError):
    """The Recording lacks the arrays a requested figure needs."""


@dataclass
class Output:
    """One written file with what a lesson needs to show it."""
    name: str
    path: Path
    format: str
    caption: str
    alt: str
    title: str = ""
    kind: str = "figure"          # or "animation", "precision figure"
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Built:
    """What a build gives besides the Figure: the texts a lesson needs, and the
    module's own typed ``facts`` (what it drew, for tests and notebooks)."""
    name: str
    title: str
    caption: str
    alt: str
    facts: object


@dataclass(frozen=True)
class Spec:
    """One registry entry, read from its module."""
    name: str
    requires: tuple
    compose: Callable
    caption: Callable
    alt: Callable | None
    module: ModuleType

    @property
    def options(self) -> dict:
        """Option name -> default: the keyword-only parameters of ``compose`` (all but ``lang``),
        plus ``seed`` for a module that draws one named seed (``SEEDS = "one"``)."""
        opts = keyword_options(self.compose)
        if getattr(self.module, "SEEDS", None) == "one":
            opts.setdefault("seed", 0)
        return opts


def keyword_options(fn) -> dict:
    """Option name -> default: the keyword-only parameters of ``fn`` (all but ``lang``)."""
    sig = inspect.signature(fn)
    return {n: p.default for n, p in sig.parameters.items() if p.kind is p.KEYWORD_ONLY and n != "lang"}


def spec_of(module: ModuleType, *, alt: bool = True) -> Spec:
    """The :class:`Spec` a figure module declares; a missing piece fails at import."""
    needed = ["NAME", "REQUIRES", "compose", "caption"] + (["alt"] if alt else [])
    missing = [n for n in needed if not hasattr(module, n)]
    if missing:
        raise TypeError(f"{module.__name__} lacks {', '.join(missing)} (see gradviz.figures.pipeline)")
    if not (module.compose.__doc__ or "").strip():
        raise TypeError(f"{module.__name__}.compose needs a docstring: it documents the options")
    return Spec(module.NAME, tuple(module.REQUIRES), module.compose, module.caption,
                getattr(module, "alt", None), module)


def registry(modules, *, alt: bool = True) -> dict[str, Spec]:
    """Name -> :class:`Spec`, in the order of ``modules`` (the gallery order)."""
    specs = [spec_of(m, alt=alt) for m in modules]
    out = {s.name: s for s in specs}
    if len(out) != len(specs):
        raise TypeError("two figure modules declare the same NAME")
    return out


@dataclass(frozen=True)
class Family:
    """A registry and how its figures are styled and saved."""
    kind: str                                   # "figure", "animation", "precision figure"
    specs: dict[str, Spec]
    rc: Callable[[style.Size], dict]            # rcParams while drawing (and saving)
    metadata: Callable[[str], dict]             # savefig metadata per format
    finish: Callable | None = None              # finish(fig, facts) after compose
    save_rc: dict = field(default_factory=dict)  # extra rcParams while saving
    output_kind: str = "figure"                 # Output.kind of its files

    def lookup(self, name: str) -> Spec:
        try:
            return self.specs[name]
        except KeyError:
            raise ValueError(f"unknown {self.kind} {name!r}; known: {', '.join(self.specs)}") from None

    @contextmanager
    def drawing(self, size):
        """The family's rc settings (fonts, line widths, SVG/PDF options)."""
        with mpl.rc_context(self.rc(style.get_size(size))):
            yield


def missing_arrays(rec, requires) -> list[str]:
    """Required names absent from ``rec``; a tuple item means "any one of these"."""
    out = []
    for n in requires:
        alts = n if isinstance(n, tuple) else (n,)
        if not any(a in rec for a in alts):
            out.append(" or ".join(alts))
    return out


def available(family: Family, rec) -> list[str]:
    """Names whose required arrays are all in ``rec`` (registry order); a figure
    over records needs at least one record."""
    out = []
    for name, spec in family.specs.items():
        if missing_arrays(rec, spec.requires):
            continue
        first = spec.requires[0] if spec.requires else None
        if isinstance(first, str) and "record" in rec.axes.get(first, ()) and rec.steps.size == 0:
            continue
        out.append(name)
    return out


def check_options(family: Family, name: str, opts: dict) -> None:
    allowed = family.lookup(name).options
    bad = sorted(set(opts) - set(allowed))
    if bad:
        raise ValueError(f"{family.kind} {name!r} has no option {', '.join(map(repr, bad))}; "
                         f"its options are: {', '.join(allowed) or '(none)'}")


def check_formats(formats, allowed, kind: str = "format") -> list[str]:
    """``"png,svg"`` or a list -> a list of known format names (else ValueError)."""
    if isinstance(formats, str):
        formats = formats.split(",")
    out = [f.strip().lower().lstrip(".") for f in formats if f.strip()]
    for f in out:
        if f not in allowed:
            raise ValueError(f"unknown {kind} {f!r}; choose from {', '.join(allowed)}")
    return out


#: rcParams a parsed formula depends on (matplotlib's parse cache keys on the text, dpi and font only)
_MATHTEXT_RC = ("mathtext.fontset", "mathtext.default", "mathtext.fallback", "mathtext.rm", "mathtext.it",
                "mathtext.bf", "mathtext.bfit", "mathtext.sf", "mathtext.tt", "mathtext.cal")
_MATHTEXT_PARSERS: dict[tuple, MathTextParser] = {}


class Canvas(FigureCanvasAgg):
    """The Agg canvas; its renderer parses formulas (the 10⁻⁵ tick labels of every log
    axis) with a parser shared by every figure drawn under the same mathtext settings,
    so each label is parsed once per process instead of once per figure (a parse takes
    milliseconds: pyparsing)."""

    def get_renderer(self):
        renderer = super().get_renderer()
        if getattr(renderer, "_gradviz_shared_parser", False):
            return renderer          # asked for on every draw_artist: settle it once per renderer
        key = tuple(str(mpl.rcParams.get(k)) for k in _MATHTEXT_RC)
        parser = _MATHTEXT_PARSERS.get(key)
        if parser is None:
            parser = _MATHTEXT_PARSERS[key] = MathTextParser("path")
        renderer.mathtext_parser = parser
        renderer._gradviz_shared_parser = True
        return renderer


def new_figure(size, dpi: int) -> Figure:
    """An empty Figure on the Agg canvas with constrained layout (no pyplot)."""
    s = style.get_size(size)
    fig = Figure(figsize=(s.width, s.height), dpi=dpi, layout="constrained")
    Canvas(fig)
    return fig


def build(family: Family, source, name: str, *, lang: str = "en", size="web",
          dpi: int = style.DEFAULT_DPI, **options):
    """``(Figure, facts)``: one registry entry drawn and laid out, not saved.

    ``source`` is a Recording (figures, animations) or experiment data
    (precision figures); ``options`` are the keyword-only parameters of the
    module's ``compose``.
    """
    spec = family.lookup(name)
    source = for_drawing(spec, source, options.pop("seed", None))
    missing = missing_arrays(source, spec.requires)
    if missing:
        raise FigureUnavailable(f"{family.kind} {name!r} needs {', '.join(missing)}, which this "
                                "Recording does not have")
    check_options(family, name, options)
    colours = palette(source) if isinstance(source, Recording) else None
    with family.drawing(size), style.palette_context(colours), style.number_language(lang):
        fig = new_figure(size, dpi)
        fig._gradviz_lang = lang
        fig._gradviz_rtl = is_rtl(lang)
        fig._gradviz_source = source
        try:
            facts = spec.compose(fig, source, lang=lang, **options)
        except KeyError as e:     # e.g. options={"heatmap": {"quantity": "no_such_array"}}
            raise ValueError(f"{family.kind} {name!r}: {e.args[0] if e.args else e}") from None
        if family.finish is not None:
            family.finish(fig, facts)
    return fig, facts


def for_drawing(spec: Spec, source, seed):
    """What ``compose`` draws: a Recording with seeds becomes its median over seeds
    (curves and per-layer figures, ``SEEDS = "median"``, the default) or one named
    seed (``SEEDS = "one"``: decision boundary, animations; option ``seed``, default 0)."""
    if not isinstance(source, Recording):
        if seed is not None:
            raise ValueError(f"{spec.name!r} has no option 'seed'")
        return source
    if getattr(spec.module, "SEEDS", "median") == "one" or seed is not None:
        return seeds.seed_view(source, 0 if seed is None else int(seed))
    return seeds.median_view(source)


def seed_sentence(source, lang: str, bands: bool = False) -> str:
    """The caption's sentence about seeds ("" for a Recording without seeds); ``bands``:
    the figure shades the interquartile range (module attribute ``BANDS = True``)."""
    n = seeds.n_seeds(source) if isinstance(source, Recording) else 1
    if n <= 1:
        return ""
    how = source.meta.get("_seed_summary")
    if how == "median" and bands:
        return t("Lines are the median over {n} seeds; shaded bands span the interquartile range "
                 "(25th to 75th percentile).", lang, n=n)
    if how == "median":
        return t("Every value drawn is the median over {n} seeds.", lang, n=n)
    return t("One training run is shown: seed {k} of {n}.", lang, k=int(how or 0), n=n)


def figure_heading(fig, name: str) -> str:
    """The figure's title as one line (a title wrapped beside the legend must not split a
    heading): its suptitle, else its panels' titles joined by " · " (the precision figures
    title each panel), else its name."""
    titles = [fig.get_suptitle()] if fig.get_suptitle() else [
        ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right") if ax.get_title(loc)]
    return " · ".join(dict.fromkeys(" ".join(text.split()) for text in titles)) or name


def describe(family: Family, fig, source, name: str, facts, lang: str) -> Built:
    """Title, caption and alt text of a built figure."""
    spec = family.lookup(name)
    source = getattr(fig, "_gradviz_source", source)
    with style.number_language(lang):
        caption = spec.caption(facts, lang)
        alt = spec.alt(source, facts, lang) if spec.alt is not None else caption
    extra = seed_sentence(source, lang, getattr(spec.module, "BANDS", False))
    if extra:
        caption, alt = f"{caption} {extra}", f"{alt} {extra}"
    heading = figure_heading(fig, name)
    fig._gradviz_alt = alt
    fig._gradviz_heading = heading
    return Built(name=name, title=heading, caption=caption, alt=alt, facts=facts)


def save(family: Family, fig, path, fmt: str, dpi: int, size="web") -> Path:
    """Write ``fig`` atomically in the family's rc settings with byte-stable metadata
    and the alt text embedded (:func:`gradviz.style.describe_metadata`): PNG
    ``Title``/``Description`` text chunks, PDF ``Title``/``Subject``, SVG
    ``<title>``/``<desc>`` with its text kept as text in the named font."""
    title = getattr(fig, "_gradviz_heading", "") or (fig.get_suptitle() or "")
    alt = getattr(fig, "_gradviz_alt", "")
    meta = {**(family.metadata(fmt) or {}), **style.describe_metadata(fmt, title, alt)}
    with family.drawing(size), mpl.rc_context({**family.save_rc, **style.VECTOR_TEXT_RC}), steady_ticks(fig):
        if fmt != "svg":
            with atomic_open(path) as fh:
                fig.savefig(fh, format=fmt, dpi=dpi, metadata=meta)
            return Path(path)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", dpi=dpi, metadata=meta)
        with atomic_open(path) as fh:
            fh.write(style.svg_with_description(buf.getvalue(), title, alt).encode("utf-8"))
    return Path(path)


def render(family: Family, source, out_dir, names, formats, *, size="web", dpi: int = style.DEFAULT_DPI,
           lang: str = "en", options=None) -> list[Output]:
    """Build and save each of ``names`` to ``out_dir/<name>.<format>``; one :class:`Output` per file."""
    out_dir = Path(out_dir)
    options = options or {}
    outputs = []
    for name in names:
        family.lookup(name)
        fig, facts = build(family, source, name, lang=lang, size=size, dpi=dpi, **options.get(name, {}))
        built = describe(family, fig, source, name, facts, lang)
        for fmt in formats:
            path = save(family, fig, out_dir / f"{name}.{fmt}", fmt, dpi, size)
            outputs.append(Output(name=name, path=path, format=fmt, caption=built.caption, alt=built.alt,
                                  title=built.title, kind=family.output_kind))
    return outputs
