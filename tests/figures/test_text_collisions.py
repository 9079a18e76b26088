"""Issue 11 §11: no text collides in any figure, in any language.

Every figure is rendered from a synthetic Recording (20 layers, so the layer
ticks are crowded; a diverging run, so NaN/Inf notes meet off-scale notes; a
mix of activations, so each panel has its own x label) and every precision
figure from small experiment data, in each of the lesson's languages, and
:func:`gradviz.figures.collisions.collisions` must find nothing: no two text
extents overlap, no note crosses a spine, no label sits on a bar, nothing sticks
out of the figure. The last tests break layouts on purpose (the Spanish
"20salida" layer ticks, Bulgarian row labels over the bars, a note on a spine, a
clipped title) and check that the same function reports each of them.
"""
from __future__ import annotations

import numpy as np
import pytest

from gradviz import figures
from gradviz.figures import precision
from gradviz.figures.collisions import collisions
from gradviz.i18n import LANGUAGES

DPI = 40     # extents scale with dpi; a low one keeps 100+ renders well under a minute

#: Which synthetic Recording each figure is drawn from (the one that stresses it most).
CASES = {
    "deep": ("grad_norms", "gradient_hist", "heatmap", "loss", "accuracy", "update_ratio", "saturation",
             "percentiles", "lr", "lost_gradients"),
    "nan": ("grad_clip", "loss"),
    "activations": ("activation_hist",),
    "boundary": ("decision_boundary",),
}


def _rec(recs, kind):
    return recs("exploding", depth=20) if kind == "deep" else recs(kind)


def _report(where, found) -> str:
    return f"{where}: " + "; ".join(map(str, found[:6]))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_collides_in_any_figure(recs, lang):
    bad = []
    for kind, names in CASES.items():
        rec = _rec(recs, kind)
        for name in names:
            fig, _ = figures.build(rec, name, lang=lang, dpi=DPI)
            found = collisions(fig)
            if found:
                bad.append(_report(f"{name} ({kind})", found))
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_text_collides_in_any_precision_figure(precision_data, lang):
    bad = []
    for name, data in precision_data.items():
        fig, _ = precision.build(data, name, lang=lang, dpi=DPI)
        found = collisions(fig)
        if found:
            bad.append(_report(name, found))
    assert not bad, "\n".join(bad)


# -- the check catches what it is for -----------------------------------------------------------

def test_spanish_20salida_layer_ticks_are_caught_and_thinned(recs):
    rec = _rec(recs, "deep")
    fig, _ = figures.build(rec, "grad_norms", lang="es", dpi=DPI)
    assert not collisions(fig)
    ax = fig.axes[1]
    L = rec.n_layers
    # every layer labelled, as before the thinning: "...19 20salida" runs together
    ax.set_xticks(range(1, L + 1), [str(i) for i in range(1, L)] + ["salida"])
    found = [c for c in collisions(fig) if c.kind == "text/text"]
    assert any("salida" in (c.a, c.b) for c in found), found


def test_bulgarian_row_labels_over_bars_are_caught(precision_data):
    fig, _ = precision.build(precision_data["overflow"], "overflow", lang="bg", dpi=DPI)
    assert not collisions(fig)
    bars = fig.axes[0]
    bars.tick_params(axis="y", pad=-70)          # the row labels pushed in, over the bars
    found = [c for c in collisions(fig) if c.kind == "text/bar"]
    assert any("наивно" in c.a for c in found), found


def test_notes_on_spines_and_clipped_titles_are_caught(recs):
    fig, _ = figures.build(_rec(recs, "nan"), "grad_clip", lang="en", dpi=DPI)
    assert not collisions(fig)
    ax = fig.axes[0]
    ax.text(0.0, 0.5, "a note on the left spine", transform=ax.transAxes, ha="center")
    fig.suptitle(fig.get_suptitle(), x=-0.05, ha="left")
    kinds = {c.kind for c in collisions(fig)}
    assert {"text/spine", "clipped"} <= kinds, kinds


# -- review findings: layouts that long names broke ---------------------------------------------

def test_long_variant_names_move_grad_norms_labels_into_a_key(make_recording):
    rec = make_recording("exploding", depth=12)
    rec.meta["labels"] = ["float16, no loss scaling", "float16, loss scale 2¹⁶", "float16, dynamic loss scale"]
    g = np.asarray(rec.get("grad_w_norm"), dtype=float).copy()
    g[0, -1, :] = np.logspace(-45, -1, g.shape[2])      # a collapse: labels pushed apart, with leaders
    rec.arrays["grad_w_norm"] = g
    fig, _ = figures.build(rec, "grad_norms", lang="es", dpi=DPI)
    panels = [ax for ax in fig.axes if ax.get_subplotspec() is not None]
    assert all(ax.get_position().width > 0.3 for ax in panels)       # not squeezed to slivers
    assert not any(t.get_text() in rec.labels for ax in panels for t in ax.texts)
    from gradviz.panels.labels import LEADER_GID
    assert not any(ln.get_gid() == LEADER_GID for ax in panels for ln in ax.get_lines())   # no stray leaders
    assert {t.get_text() for leg in fig.legends for t in leg.get_texts()} >= set(rec.labels)
    assert not collisions(fig)


def test_long_early_stopping_note_is_wrapped_inside_its_panel(make_recording):
    rec = make_recording("boundary")
    rec.meta["labels"] = ["plain", "early stopping (patience 10)", "weight decay λ = 0.5 (AdamW)"]
    es = np.asarray(rec.get("early_stop_epoch")).copy()
    es[1] = 15
    rec.arrays["early_stop_epoch"] = es
    fig, _ = figures.build(rec, "decision_boundary", lang="bg", dpi=DPI)
    panels = [ax for ax in fig.axes if ax.get_subplotspec() is not None]
    gaps = [b.get_position().x0 - a.get_position().x1 for a, b in zip(panels, panels[1:])]
    assert max(gaps) < 2 * min(gaps) + 0.02                          # evenly spaced, no hole
    note = next(t for t in panels[1].texts if "15" in t.get_text())
    r = fig.canvas.get_renderer()
    assert note.get_window_extent(r).x1 <= panels[1].bbox.x1 + 2
    assert not collisions(fig)
