"""Palettes, sizes, fonts, rc settings and number formatting shared by every
figure and animation.

Nothing here draws: :mod:`gradviz.panels` and :mod:`gradviz.figures` read these
constants so a change of style needs no re-run of a simulation. Words live in
the translation catalogues (:mod:`gradviz.i18n`).

* Categorical colours (one per variant) are the Okabe-Ito palette, which stays
  distinguishable under the common colour-vision deficiencies.
* Magnitudes use ``cividis`` (perceptually uniform, colour-blind safe);
  ``viridis`` is the alternative for layer orderings.
* Non-finite values (NaN/Inf) always use :data:`NONFINITE`, a magenta that is
  in neither palette, and are counted in a legend or annotation.
* Exact zeros on a log axis cannot be placed: they sit on a floor marker in
  :data:`FLOOR` and are counted too.

Sizes: ``"web"`` is 8 x 4.5 in and ``"slide"`` 12.8 x 7.2 in (16:9, 1920 x 1080
pixels at the default 150 dpi). The slide size uses larger type than a plain
scale-up so labels stay readable from the back of a room.
"""
from __future__ import annotations

import functools
import re

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np

# -- colours -----------------------------------------------------------------

#: Okabe & Ito (2008), "Color Universal Design", in their published order.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#0072B2",
             "#D55E00", "#CC79A7", "#F0E442", "#000000")
#: Order used for variants: the pale yellow comes late because thin yellow
#: lines vanish on white.
#: The two blues are far apart (sky blue 7th), so five variants never show two blues.
VARIANT_ORDER = ("#0072B2", "#E69F00", "#009E73", "#D55E00",
                 "#CC79A7", "#000000", "#56B4E9", "#F0E442")
MAGNITUDE_CMAP = "cividis"   #: magnitudes without a healthy centre (log10 scale)
#: Heat maps of gradients: ColorBrewer RdBu reversed, colour-blind safe and
#: diverging around the healthy magnitude (vanishing blue, exploding red).
HEALTH_CMAP = "RdBu_r"
ZERO = "#000000"             #: exact zeros in a heat map: black, in no colour map used here
LAYER_CMAP = "viridis"       #: one colour per layer, input (dark) to output (yellow)
NONFINITE = "#FF00CC"        #: NaN / Inf, in no other palette used here
FLOOR = "#8C8C8C"            #: exact zeros on a log axis (drawn at the floor)
NOT_RUN = "#D9D9D9"          #: hatch for steps a variant never reached
GRID = "#E6E6E6"
TEXT_MUTED = "#555555"


#: The palette of the figure being drawn (set by :func:`palette_context`): the
#: categorical VARIANT_ORDER, or a sequential one for an ordered parameter.
_PALETTE: ContextVar[tuple | None] = ContextVar("gradviz_palette", default=None)
SEQUENTIAL_CMAP = "viridis"   #: ordered parameters (dropout p, θ, γ): dark = small, light = large


def variant_color(i: int) -> str:
    """Colour of variant ``i`` in the current palette (cycles after eight variants)."""
    pal = _PALETTE.get() or VARIANT_ORDER
    return pal[i % len(pal)]


def sequential_colors(ranks) -> tuple:
    """Colours for ordered values (``ranks`` in 0..n-1): evenly spaced along
    :data:`SEQUENTIAL_CMAP` from its dark end to the lightest point that still has 3:1
    contrast on white, so lightness rises in even, visible steps. (Darkening the light end
    to 3:1 instead gave dropout 0.5 and 0.8 lightness L* 60.4 and 61.7: one step apart
    only in hue.)"""
    ranks = list(ranks)
    n = max(max(ranks, default=0), 1)
    cmap, top = mpl.colormaps[SEQUENTIAL_CMAP], _readable_top()
    return tuple(mpl.colors.to_hex(cmap(top * r / n)) for r in ranks)


@functools.cache
def _readable_top() -> float:
    """The last point of :data:`SEQUENTIAL_CMAP`'s run from its dark end that keeps 3:1
    contrast on white, as drawn (hex); computed once per process."""
    cmap = mpl.colormaps[SEQUENTIAL_CMAP]
    grid = np.linspace(0.0, 1.0, 401)
    ok = np.array([contrast_ratio(mpl.colors.to_hex(cmap(g))) >= 3.0 for g in grid])
    return float(grid[np.argmin(ok) - 1]) if not ok.all() else 1.0


@contextmanager
def palette_context(colors):
    """Draw with ``colors`` as the variant palette (None: the categorical one)."""
    token = _PALETTE.set(tuple(colors) if colors else None)
    try:
        yield
    finally:
        _PALETTE.reset(token)


def relative_luminance(color) -> float:
    """WCAG 2 relative luminance of a colour."""
    rgb = np.asarray(mpl.colors.to_rgb(color), dtype=float)
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(lin @ [0.2126, 0.7152, 0.0722])


def contrast_ratio(fg, bg="white") -> float:
    """WCAG 2 contrast ratio between two colours (1..21)."""
    a, b = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def with_contrast(color, minimum: float = 3.0, bg="white"):
    """``color`` darkened toward black (same hue) until its contrast on ``bg`` is ≥ ``minimum``."""
    rgb = np.asarray(mpl.colors.to_rgb(color), dtype=float)
    for k in range(41):
        c = rgb * (1 - 0.025 * k)
        if contrast_ratio(c, bg) >= minimum:
            return tuple(c)
    return (0.0, 0.0, 0.0)


def title_color(i: int):
    """Variant ``i``'s colour for text (panel titles, direct labels): ≥ 3:1 on white."""
    return mpl.colors.to_hex(with_contrast(variant_color(i)))


def layer_colors(n: int) -> list:
    """``n`` colours from :data:`LAYER_CMAP`, avoiding its faint yellow end."""
    cmap = mpl.colormaps[LAYER_CMAP]
    if n <= 1:
        return [cmap(0.35)]
    return [cmap(0.88 * i / (n - 1)) for i in range(n)]


# -- sizes and fonts -----------------------------------------------------------

@dataclass(frozen=True)
class Size:
    width: float   # inches
    height: float  # inches
    font: float    # base font size in points

    @property
    def scale(self) -> float:
        """Line widths and marker sizes relative to the web size."""
        return self.font / 10.0


SIZES = {
    "web": Size(8.0, 4.5, 10.0),
    "slide": Size(12.8, 7.2, 17.0),
}
DEFAULT_SIZE = "web"
DEFAULT_DPI = 150
#: DejaVu Sans has Latin (with Romanian ș ț), Cyrillic, Hebrew, Greek and the
#: maths symbols used in labels (‖ ∂ δ η θ ₁₀), so one font covers every language.
FONT_FAMILY = "DejaVu Sans"
#: Fixed salt so SVG element ids are identical between runs.
SVG_HASHSALT = "gradviz"


def get_size(size) -> Size:
    """A :class:`Size` from a name in :data:`SIZES`, a ``(w, h)`` pair in inches or a Size."""
    if isinstance(size, Size):
        return size
    if isinstance(size, str):
        try:
            return SIZES[size]
        except KeyError:
            raise ValueError(f"unknown size {size!r}; choose one of {sorted(SIZES)} "
                             "or give (width, height) in inches") from None
    w, h = (float(v) for v in size)
    if w <= 0 or h <= 0:
        raise ValueError(f"size must be positive, got {size!r}")
    # keep text proportional to the web size, a little larger on big canvases
    return Size(w, h, round(10.0 * max(1.0, (w / 8.0) ** 1.15), 1))


def rc_params(size="web") -> dict:
    """matplotlib rcParams for one size (used inside :func:`style_context`)."""
    s = get_size(size)
    k = s.scale
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [FONT_FAMILY],
        "font.size": s.font,
        "axes.titlesize": s.font * 1.0,
        "axes.labelsize": s.font * 0.95,
        "xtick.labelsize": s.font * 0.85,
        "ytick.labelsize": s.font * 0.85,
        "legend.fontsize": s.font * 0.82,
        "legend.title_fontsize": s.font * 0.85,
        "figure.titlesize": s.font * 1.25,
        "figure.titleweight": "bold",
        "axes.titleweight": "normal",
        "axes.prop_cycle": mpl.cycler(color=list(VARIANT_ORDER)),
        "axes.grid": True,
        "axes.grid.which": "major",
        "grid.color": GRID,
        "grid.linewidth": 0.8 * k,
        "axes.axisbelow": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.linewidth": 0.8 * k,
        "xtick.major.width": 0.8 * k,
        "ytick.major.width": 0.8 * k,
        "xtick.minor.width": 0.6 * k,
        "ytick.minor.width": 0.6 * k,
        "xtick.major.size": 3.5 * k,
        "ytick.major.size": 3.5 * k,
        "lines.linewidth": 1.8 * k,
        "lines.markersize": 5.0 * k,
        "patch.linewidth": 0.8 * k,
        "hatch.linewidth": 0.8 * k,
        "legend.frameon": False,
        "legend.handlelength": 2.2,
        "image.cmap": MAGNITUDE_CMAP,
        "mathtext.fontset": "dejavusans",
        "axes.formatter.use_mathtext": False,   # plain tick labels: no mathtext parsing (faster)
        "axes.unicode_minus": True,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "figure.constrained_layout.h_pad": 0.06,
        "figure.constrained_layout.w_pad": 0.06,
        "figure.constrained_layout.wspace": 0.05,
        "pdf.fonttype": 42,          # embed TrueType: text stays selectable/editable
        "ps.fonttype": 42,
        "svg.fonttype": "none",      # text kept as text in FONT_FAMILY (selectable, searchable)
        "svg.hashsalt": SVG_HASHSALT,
        "path.simplify": True,
    }


@contextmanager
def style_context(size="web"):
    """Temporarily apply :func:`rc_params`: wrap both figure creation and saving."""
    with mpl.rc_context(rc_params(size)):
        yield


#: While saving vector files: text stays text (selectable, searchable) in the named font
#: (SVG ``font-family``; TrueType embedded in PDF).
VECTOR_TEXT_RC = {"svg.fonttype": "none", "pdf.fonttype": 42, "ps.fonttype": 42}


def describe_metadata(fmt: str, title: str, alt: str) -> dict:
    """The file's own title and alt text: PNG text chunks (``Title``, ``Description``),
    PDF ``Title`` and ``Subject``, SVG Dublin Core ``Title``/``Description``."""
    fmt = fmt.lower()
    out = {}
    if fmt == "pdf":
        out = {"Title": title or None, "Subject": alt or None}
    elif fmt in ("png", "svg"):
        out = {"Title": title} if title else {}
        if alt and fmt == "png":
            out["Description"] = alt
    return out


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg_with_description(svg: str, title: str, alt: str) -> str:
    """``svg`` with ``<title>`` and ``<desc>`` as the first children of the root element
    (what screen readers announce), and the font named on the root."""
    i = svg.find("<svg")
    j = svg.find(">", i) + 1
    if i < 0 or j <= 0:
        return svg
    head = svg[i:j]
    if "font-family" not in head:
        head = head[:-1] + f' font-family="{FONT_FAMILY}, sans-serif">'
    rest = svg[j:]
    if "<title>" not in rest[:400] and title:     # matplotlib writes <title> from the Title metadata
        head += f"\n <title>{_xml(title)}</title>"
    elif "<title>" in rest[:400]:
        k = rest.find("</title>") + len("</title>")
        head, rest = head + rest[:k], rest[k:]
    if alt:
        head += f"\n <desc>{_xml(alt)}</desc>"
    return svg[:i] + head + rest


def save_metadata(fmt: str) -> dict:
    """Metadata for ``savefig`` that keeps reruns byte-identical (no dates)."""
    fmt = fmt.lower()
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None, "ModDate": None}
    if fmt == "png":
        return {"Software": "gradviz (matplotlib)"}
    return {}


# -- numbers ---------------------------------------------------------------------

_SUP = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")


#: Languages that write 0,5 (CLDR decimal symbol), and those that put a
#: (no-break) space before % (CLDR percent pattern "#,##0 %": es, ro; pt and bg write 12%).
DECIMAL_COMMA = frozenset({"es", "pt", "ro", "bg"})
SPACED_PERCENT = frozenset({"es", "ro"})
NBSP = "\u00a0"


_NUM_LANG: ContextVar[str] = ContextVar("gradviz_number_language", default="en")


@contextmanager
def number_language(lang: str):
    """Numbers formatted by :func:`fmt_num`/:func:`fmt_pct` without an explicit ``lang``
    follow ``lang`` (set by the build pipeline around drawing and describing)."""
    token = _NUM_LANG.set(lang or "en")
    try:
        yield
    finally:
        _NUM_LANG.reset(token)


def current_language() -> str:
    """The language of the figure being drawn or described (see :func:`number_language`)."""
    return _NUM_LANG.get()


def localize_number(text: str, lang: str | None = None) -> str:
    """A number written with "." as decimal point, in ``lang``'s convention (0,5 in es, pt, ro, bg).
    Only a point between digits is a decimal point: the abbreviation "изх." keeps its full stop."""
    lang = lang or _NUM_LANG.get()
    return _DECIMAL_POINT.sub(",", text) if lang in DECIMAL_COMMA else text


_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def fmt_num(x, digits: int = 2, lang: str | None = None) -> str:
    """Compact, plain-text number: ``0.25``, ``3.1×10⁻⁸``, ``NaN``, ``∞`` (``0,25`` in es, pt, ro, bg)."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    ax = abs(x)
    if 1e-3 <= ax < 1e4:
        s = f"{float(f'{x:.{digits}g}'):g}"      # 140, not 1.4e+02
        return localize_number(s.replace("-", "−"), lang)
    mant, exp = f"{x:.{max(digits - 1, 0)}e}".split("e")
    exp = str(int(exp)).translate(_SUP)
    mant = mant.replace("-", "−")
    if mant in ("1", "1.0"):
        return f"10{exp}"
    if mant in ("−1", "−1.0"):
        return f"−10{exp}"
    return f"{localize_number(mant, lang)}×10{exp}"


def percent(number: str, lang: str | None = None) -> str:
    """``"12"`` -> ``"12%"`` (``"12 %"`` with a no-break space in es, ro)."""
    lang = lang or _NUM_LANG.get()
    return f"{number}{NBSP}%" if lang in SPACED_PERCENT else f"{number}%"


def fmt_pct(x, lang: str | None = None) -> str:
    """Share in [0, 1] as a percentage string in ``lang``'s convention."""
    x = float(x)
    if x != x:
        return "NaN"
    p = 100 * x
    if p == 0 or p >= 10:
        return percent(f"{p:.0f}", lang)
    if p >= 0.1:
        return percent(localize_number(f"{p:.1f}", lang), lang)
    return "<" + percent(localize_number("0.1", lang), lang)
