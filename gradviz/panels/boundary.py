"""Decision boundaries: the class a network predicts on a grid of the input
plane, paler where it is less confident, with the training points on top."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib import colors as mcolors
from matplotlib.patches import Patch

from .. import style
from ..i18n import t
from .axes import line_scale
from .markers import mark_run_end
from .recording import stop_steps
from .result import Drawn


@dataclass
class BoundaryDrawn(Drawn):
    """:func:`draw_boundary`: the record drawn, the image and scatter artists
    (animations update them), and the stop step when a variant ended early."""
    record: int = 0
    image: object = None
    scatter: object = None
    stopped: int | None = None


CLASS_COLORS = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#D55E00", "#0072B2",
                "#F0E442", "#000000")


def class_color(k: int) -> str:
    """Colour of class ``k`` (cycles after eight classes)."""
    return CLASS_COLORS[k % len(CLASS_COLORS)]


def boundary_rgb(cls, conf, classes: int) -> np.ndarray:
    """RGB image: class colour, paler where the top softmax probability is low."""
    cls = np.asarray(cls)
    conf = np.asarray(conf, dtype=float)
    pal = np.array([mcolors.to_rgb(class_color(k)) for k in range(max(classes, int(cls.max()) + 1, 1))])
    base = pal[np.clip(cls, 0, len(pal) - 1)]
    chance = 1.0 / max(classes, 2)
    a = np.clip((np.nan_to_num(conf, nan=chance) - chance) / (1 - chance), 0, 1)
    a = (0.18 + 0.62 * a)[..., None]
    img = 1.0 - a * (1.0 - base)
    img[~np.isfinite(conf)] = mcolors.to_rgb(style.NOT_RUN)
    return img


def draw_boundary(ax, rec, variant: int, *, record=None, lang: str = "en", points: bool = True,
                  max_points: int = 600) -> "BoundaryDrawn":
    """The predicted class on the input plane (paler = less confident) at one record,
    with up to ``max_points`` training points on top."""
    bc = rec.get("boundary_class")
    bf = rec.get("boundary_conf")
    xs = np.asarray(rec.get("boundary_xs"), dtype=float)
    ys = np.asarray(rec.get("boundary_ys"), dtype=float)
    classes = int(rec.meta.get("classes") or (int(np.nanmax(bc)) + 1))
    R = bc.shape[1]
    r = R - 1 if record is None else (record + R if record < 0 else record)
    conf_ok = np.isfinite(bf[variant]).reshape(R, -1).any(1)
    if not conf_ok[r] and conf_ok.any():
        r = int(np.nonzero(conf_ok)[0][-1])
    dx = (xs[1] - xs[0]) / 2 if xs.size > 1 else 0.5
    dy = (ys[1] - ys[0]) / 2 if ys.size > 1 else 0.5
    extent = (xs[0] - dx, xs[-1] + dx, ys[0] - dy, ys[-1] + dy)
    img = ax.imshow(boundary_rgb(bc[variant, r], bf[variant, r], classes), origin="lower",
                    extent=extent, interpolation="nearest", aspect="auto", zorder=1)
    drawn = BoundaryDrawn(record=r, image=img)
    if points and "train_x" in rec:
        X = np.asarray(rec.get("train_x"), dtype=float)
        y = np.asarray(rec.get("train_y")).astype(int) if "train_y" in rec else np.zeros(len(X), int)
        if len(X) > max_points:
            idx = np.random.default_rng(0).choice(len(X), max_points, replace=False)
            X, y = X[idx], y[idx]
        cols = [class_color(k) for k in y]
        drawn.scatter = ax.scatter(X[:, 0], X[:, 1], c=cols, s=11 * line_scale(ax) ** 2,
                                     edgecolors="black", linewidths=0.4, zorder=3)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal", adjustable="box")
    ax.grid(False)
    drawn.handles = [(Patch(facecolor=class_color(k), edgecolor="black", linewidth=0.4),
                        t("class {n}", lang, n=k + 1)) for k in range(classes)]
    stop = stop_steps(rec)[variant]
    mark_run_end(ax, rec, variant, None, None, drawn, lang, divergence=None)
    if rec.steps.size and int(rec.steps[r]) < int(rec.steps[-1]) and record is None:
        drawn.stopped = int(stop)
    return drawn
