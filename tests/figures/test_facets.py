"""Issue 11 item 4 (layer_norm): variants crossing a categorical knob with a numeric
one are drawn as small multiples, one panel per category, the numeric knob as a
sequential hue shared by the panels, each line named at its end."""
from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest

from gradviz import figures
from gradviz.figures.collisions import collisions
from gradviz.panels.recording import facet_names, facets

BATCHES = (2, 4, 16, 64)


def _spec(label, loss_end):
    return dict(label=label, ratio=1.0, stop_epoch=-1, diverge_record=-1, lr=0.05, lr_decay=1.0, clip=None,
                loss_end=loss_end, overfit=False, zero=False, batchnorm=False)


@pytest.fixture(scope="module")
def crossed():
    import conftest
    specs, overrides = [], []
    for b in BATCHES:
        for norm, tag in (("batch", "BN"), ("layer", "LN")):
            specs.append(_spec(f"{tag}, batch {b}", 0.1 + (0.6 if tag == "BN" else 0.2) / b))
            overrides.append({"model.norm": norm, "train.batch_size": b})
    rec = conftest.make("vanishing", variants=specs)
    rec.meta["variant_overrides"] = overrides
    return rec


def test_facets_group_by_the_categorical_knob_and_order_by_the_numeric_one(crossed):
    groups, hue = facets(crossed)
    assert [g for g, _ in groups] == ["batch", "layer"]
    assert [hue[v] for v in groups[0][1]] == [float(b) for b in BATCHES]
    assert facet_names(crossed, groups[0][1]) == ("BN", [f"batch {b}" for b in BATCHES])


@pytest.mark.parametrize("name", ["loss", "accuracy"])
def test_crossed_variants_are_small_multiples_with_a_sequential_hue(crossed, name):
    fig, built = figures.build(crossed, name, dpi=50)
    panels = [ax for ax in fig.axes if ax.get_title(loc="left")]
    assert [ax.get_title(loc="left") for ax in panels] == ["BN", "LN"]
    for ax in panels:
        tags = [t for t in ax.texts if t.get_text().startswith("batch ")]
        assert sorted(t.get_text() for t in tags) == sorted(f"batch {b}" for b in BATCHES)
        lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) > 2]
        assert len({mpl.colors.to_hex(ln.get_color()) for ln in lines}) == len(BATCHES)
    # the same batch size has the same colour in both panels, and the hue is ordered (dark → light)
    colour = {}
    for ax in panels:
        for t in ax.texts:
            if t.get_text().startswith("batch "):
                colour.setdefault(t.get_text(), set()).add(mpl.colors.to_hex(t.get_color()))
    assert all(len(c) == 1 for c in colour.values())
    lum = [np.mean(mpl.colors.to_rgb(next(iter(colour[f"batch {b}"])))) for b in BATCHES]
    assert lum[0] < lum[-1]
    assert not collisions(fig)


def test_one_knob_variants_keep_one_panel(recs):
    rec = recs("exploding")
    assert facets(rec) is None
    fig, _ = figures.build(rec, "loss", dpi=40)
    assert len([ax for ax in fig.axes if ax.get_subplotspec() is not None]) == 1
