"""Panel helpers: the typed results and the one way a run's early end is marked."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from gradviz.panels.markers import DIVERGENCE_GID, mark_run_end, special_handles
from gradviz.panels.result import Drawn, merge
from gradviz.panels.series import SeriesDrawn, draw_layer_series


def _ax():
    return Figure().add_subplot()


def test_merge_counts_and_keeps_one_legend_entry_per_label():
    a, b = Line2D([], []), Line2D([], [])
    merged = merge([Drawn(handles=[(a, "layer 1")], nonfinite=2, zeros=1, diverged={0: 40}),
                    SeriesDrawn(handles=[(b, "layer 1")], nonfinite=3, not_run=True, diverged={1: 60})])
    assert merged.handles == [(a, "layer 1")]
    assert (merged.nonfinite, merged.zeros, merged.not_run, merged.diverged) == (5, 1, True, {0: 40, 1: 60})
    labels = [lab for _, lab in special_handles(merged, "en")]
    assert labels == ["NaN/Inf (n = 5)", "exactly 0: 1 (at the floor)", "not run (stopped earlier)"]


def test_run_end_hatches_from_the_last_reached_step_or_the_cell_edge(recs):
    rec = recs("nan")                                     # variant 1 diverges at step 120
    xs = np.array([0.0, 20, 40, 60])
    run = np.array([True, True, False, False])
    for hatch_from, start in (("previous", 20.0), ("edge", 40.0)):
        ax, drawn = _ax(), Drawn()
        mark_run_end(ax, rec, 0, xs, run, drawn, "en", hatch_from=hatch_from, divergence=None)
        (span,) = ax.patches
        assert drawn.not_run and span.get_x() == start and drawn.diverged == {}
    ax, drawn = _ax(), Drawn()
    mark_run_end(ax, rec, 1, xs, None, drawn, "en", divergence="label")
    assert drawn.diverged == {1: 120} and not drawn.not_run
    assert DIVERGENCE_GID in {a.get_gid() for a in ax.lines}
    assert [tx.get_text() for tx in ax.texts] == ["NaN/Inf from step 120"]
    ax, drawn = _ax(), Drawn()
    mark_run_end(ax, rec, 1, xs, None, drawn, "en", divergence="line")
    assert list(ax.texts) == [] and DIVERGENCE_GID in {a.get_gid() for a in ax.lines}


def test_layer_series_returns_its_typed_result(recs):
    drawn = draw_layer_series(_ax(), recs("nan"), 1, quantity="update_ratio", layers=[0, 1], lang="ro")
    assert isinstance(drawn, SeriesDrawn) and len(drawn.values) == 2
    assert [lab for _, lab in drawn.handles] == ["strat 1", "strat 2"]
    assert drawn.diverged == {1: 120} and drawn.not_run and drawn.nonfinite > 0
