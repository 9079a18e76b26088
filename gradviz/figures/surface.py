"""Optimizers on a loss surface: log-spaced contours of a 2-D surface with every
optimizer's path (kind = "surface")."""
from __future__ import annotations

from dataclasses import dataclass

from .. import style
from ..i18n import N_, nt, t
from ..panels.markers import special_handles
from ..panels.surface import SurfaceDrawn, draw_surface, race_colors, surface_colorbar, surface_name
from .layout import legend, title
from .notes import alt_join

NAME = "surface"
REQUIRES = ("surface_xs", "surface_ys", "surface_z")
TITLE = N_("Optimizers on a loss surface")
CAPTION = N_(
    "Paths of the optimizers on the {surface} loss surface, one colour per optimizer, from the "
    "start (○) to the last step (▲). Contour lines are spaced logarithmically, so they crowd "
    "together where the surface is steep and also resolve the flat valley floor."
)


@dataclass(frozen=True)
class Facts:
    surface: str        # the surface's display name ("Rosenbrock function"), translated
    items: list         # (label, final loss, kind "" | "nonfinite" | "outside", step)
    drawn: SurfaceDrawn


def compose(fig, rec, *, lang="en", levels=16) -> Facts:
    """Contours of ``surface_z`` (log-spaced ``levels``) with every optimizer's path."""
    with style.palette_context(race_colors(rec)):
        return _compose(fig, rec, lang, levels)


def _compose(fig, rec, lang, levels) -> Facts:
    ax = fig.add_subplot()
    drawn = draw_surface(ax, rec, lang=lang, levels=levels)
    cb = surface_colorbar(fig, ax, drawn.contour)
    cb.set_label(t("loss surface (log-spaced contours)", lang))
    ax.set_aspect("equal", adjustable="box")
    legend(fig, drawn.handles + special_handles(drawn, lang), loc="outside right upper")
    name = surface_name(str(rec.meta.get("surface", "")), lang)
    title(fig, t(TITLE, lang) + (f" — {name}" if name else ""))
    return Facts(name, drawn.items, drawn)


def caption(facts: Facts, lang: str) -> str:
    return t(CAPTION, lang, surface=facts.surface)


def alt(rec, facts: Facts, lang: str) -> str:
    items = []
    for lab, final, kind, step in facts.items:
        s = t("{label} ends at loss {v}", lang, label=lab, v=style.fmt_num(final))
        if kind == "nonfinite":
            s = lab + ": " + t("NaN/Inf from step {n}", lang, n=step)
        elif kind == "outside":
            s += " (" + t("left the plot at step {n}", lang, n=step) + ")"
        items.append(s)
    n = len(facts.items)
    return nt("Contour map of the {surface} loss surface with the path of {n} optimizer. {items}",
              "Contour map of the {surface} loss surface with the paths of {n} optimizers. {items}",
              n, lang, surface=facts.surface, n=n, items=alt_join(items))
