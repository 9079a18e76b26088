"""The notebook API: from a bundled scenario to figures and GIFs shown inline.

::

    import gradviz
    sc = gradviz.load_scenario("initialization").with_overrides({"model.depth": 8})
    rec = gradviz.simulate(sc)                      # text progress bar, also in Jupyter
    gradviz.figure(rec, "grad_norms")               # a Figure, shown inline
    gradviz.animation(rec, "hist_anim")             # a GIF, shown inline; .save("a.gif")

Figures and animations go through the CLI's one pipeline
(:mod:`gradviz.figures.pipeline`), with the recorded scenario's size, dpi and
translated labels, so they look exactly like ``gradviz render``'s files.
"""
from __future__ import annotations

import base64
import html
import sys
import tempfile
from pathlib import Path

from matplotlib.figure import Figure

from .atomic import atomic_open
from .bundled import resolve
from .record import Recording
from .scenario import Scenario, ScenarioError, parse
from .scenario import load_scenario as _load_file

KINDS = ("training", "surface", "precision")
_MIME = {"gif": "image/gif", "webp": "image/webp", "apng": "image/png"}


def load_scenario(source, name: str | None = None) -> Scenario:
    """A scenario from a ``.toml`` path, TOML text, a dict, or a bare name: then
    ``./NAME.toml`` when it exists (your edited copy, as ``gradviz render`` does;
    a line on stderr says so) else the bundled scenario NAME (``gradviz list``).
    Validated: a :class:`ScenarioError` names the key."""
    if isinstance(source, str) and "\n" not in source:   # a path or a bare name, as `gradviz render` takes
        source = resolve(source, say=lambda msg: print(msg, file=sys.stderr))
    return _load_file(source, name)


def simulate(scenario, progress=True, *, force: bool = False):
    """Run ``scenario`` (a Scenario, bundled name, path or dict) for its ``kind``.

    training: train every variant -> :class:`~gradviz.record.Recording`;
    surface: the optimizer race -> Recording; precision: the float-precision
    experiments -> ``{experiment: data}`` for :func:`figure`.
    ``progress``: True prints a text bar (tqdm when installed), False none, or
    a callable ``progress(done, total[, phase])``. Before any work, the
    checks of ``gradviz render`` (:func:`gradviz.preflight.preflight`): data,
    figure requirements and the resource limits (``force=True`` skips the
    limits, like ``render --force``), so a huge run is refused, not started.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if sc.kind not in KINDS:
        raise ScenarioError("$.kind", f"expected one of {', '.join(KINDS)}; found {sc.kind!r}")
    from .outputs import run
    from .preflight import preflight

    preflight(sc, force=force)
    bar = None
    if progress is True and sc.kind != "precision":  # precision: a few milliseconds of numpy, no bar
        from .notebook_progress import TextProgress

        progress = bar = TextProgress(sc.name if sc.kind == "training" else f"{sc.name}: optimizer race")
    try:
        return run(sc, progress=progress or None)
    finally:
        if bar is not None:
            bar.close()


class GradvizFigure(Figure):
    """A :class:`matplotlib.figure.Figure` drawn by gradviz's pipeline.

    It shows inline in Jupyter without pyplot (``_repr_png_`` renders it in the
    CLI's style settings) and carries the lesson texts: ``gradviz_title``,
    ``gradviz_caption``, ``gradviz_alt`` and the figure's typed ``gradviz_facts``.
    """

    gradviz_title: str = ""
    gradviz_caption: str = ""
    gradviz_alt: str = ""
    gradviz_facts: object = None

    def save(self, path, format: str | None = None) -> Path:
        """Write the figure as ``gradviz render`` would (atomically, same style);
        the format comes from the file suffix unless given."""
        from .figures.pipeline import check_formats, save
        from .names import FIGURE_FORMATS

        fmt = check_formats([format or Path(path).suffix or "png"], FIGURE_FORMATS)[0]
        return save(self._gradviz_family, self, path, fmt, self._gradviz_dpi, self._gradviz_size)

    def _repr_png_(self) -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            return self.save(Path(tmp) / "figure.png").read_bytes()


def _render_settings(source, size, dpi, fps=None):
    """The recorded scenario's [render] size, dpi and fps (what the CLI used), unless given."""
    meta = getattr(source, "meta", {}) or {}
    render = (meta.get("scenario") or {}).get("render") or {}
    from .style import DEFAULT_DPI

    return (size or render.get("size", "web"), dpi or render.get("dpi", DEFAULT_DPI),
            fps or render.get("fps", 8))


def _localized(rec, lang: str):
    """``rec`` with its scenario's title, description and labels in ``lang``, as the CLI draws it."""
    raw = (rec.meta or {}).get("scenario")
    if not isinstance(raw, dict) or not raw.get("translations") or lang == "en":
        return rec
    try:
        title, description, labels = parse(raw, rec.meta.get("name", "scenario")).localized(lang)
    except ScenarioError:
        return rec
    return Recording(rec.arrays, rec.axes, {**rec.meta, "labels": labels, "title": title,
                                            "description": description})


def figure(recording, name: str, *, lang: str = "en", size=None, dpi: int | None = None, **options):
    """Figure ``name`` of a Recording (or of :func:`simulate`'s precision results)
    as a :class:`GradvizFigure`, styled exactly like the CLI's; ``options`` are
    the figure's own (``help(gradviz.figures.FIGURES[name].compose)``)."""
    from .figures.pipeline import build, describe

    size, dpi, _ = _render_settings(recording, size, dpi)
    if isinstance(recording, dict):      # precision experiments: {name: data}
        from .figures.precision import FAMILY

        if name not in recording:
            FAMILY.lookup(name)
            raise ValueError(f"precision figure {name!r} needs its experiment in the scenario's "
                             f"[precision].experiments (these results have: {', '.join(recording)})")
        source = recording[name]
    else:
        from .figures import FAMILY

        source = _localized(recording, lang)
    fig, facts = build(FAMILY, source, name, lang=lang, size=size, dpi=dpi, **options)
    built = describe(FAMILY, fig, source, name, facts, lang)
    fig.__class__ = GradvizFigure     # same object, plus the inline repr and the texts
    fig.gradviz_title, fig.gradviz_caption, fig.gradviz_alt = built.title, built.caption, built.alt
    fig.gradviz_facts = built.facts
    fig._gradviz_family, fig._gradviz_dpi, fig._gradviz_size = FAMILY, dpi, size
    return fig


class Animation:
    """An encoded animation (GIF by default) that shows inline in Jupyter.

    ``data`` holds the file's bytes; ``caption``, ``alt``, ``title``,
    ``frames`` and ``durations_ms`` describe it; :meth:`save` writes it.
    """

    def __init__(self, name, format, data: bytes, caption, alt, title, frames, durations_ms):
        self.name, self.format, self.data = name, format, data
        self.caption, self.alt, self.title = caption, alt, title
        self.frames, self.durations_ms = frames, durations_ms

    def __repr__(self) -> str:
        return (f"<gradviz.Animation {self.name!r}: {self.format}, {self.frames} frames, "
                f"{len(self.data) / 1024:.0f} KiB>")

    def save(self, path) -> Path:
        """Write the animation atomically to ``path`` (suffix must fit the format)."""
        from .animations.writers import EXTENSIONS

        path = Path(path)
        if path.suffix.lower() != EXTENSIONS[self.format]:
            raise ValueError(f"{path}: a {self.format} animation is saved as *{EXTENSIONS[self.format]}")
        with atomic_open(path) as fh:
            fh.write(self.data)
        return path

    def data_uri(self) -> str:
        return f"data:{_MIME[self.format]};base64,{base64.b64encode(self.data).decode('ascii')}"

    def _repr_html_(self) -> str:
        return (f'<figure style="margin:0"><img src="{self.data_uri()}" alt="{html.escape(self.alt)}">'
                f"<figcaption>{html.escape(self.caption)}</figcaption></figure>")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        return {_MIME[self.format]: base64.b64encode(self.data).decode("ascii"),
                "text/html": self._repr_html_(), "text/plain": repr(self)}


def animation(recording, name: str, *, lang: str = "en", format: str = "gif", fps: float | None = None, size=None,
              dpi: int | None = None, **options) -> Animation:
    """Animation ``name`` of a Recording, encoded as the CLI encodes it
    (``format``: gif, webp or apng), as an :class:`Animation`."""
    from .animations import render_animations

    size, dpi, fps = _render_settings(recording, size, dpi, fps)
    rec = _localized(recording, lang)
    with tempfile.TemporaryDirectory() as tmp:
        (out,) = render_animations(rec, tmp, [name], fmt=format, fps=fps, size=size, dpi=dpi, lang=lang,
                                   options={name: options} if options else None)
        data = Path(out.path).read_bytes()
    return Animation(name, out.format, data, out.caption, out.alt, out.title, out.extra.get("frames", 0),
                     out.extra.get("durations_ms", []))
