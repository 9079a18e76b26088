"""The drawing shortcuts of figures/layout.py and figures/pipeline.py change no pixel
and never serve stale ticks."""
from __future__ import annotations

import contextlib

import matplotlib as mpl
import numpy as np

from gradviz import style
from gradviz.figures import layout, pipeline


def _labels(axis):
    return [t.label1.get_text() for t in axis._update_ticks()]


def test_steady_ticks_follow_every_change_of_state():
    fig = pipeline.new_figure("web", 50)
    ax = fig.add_subplot()
    ax.plot([0, 10], [0, 1])
    with layout.steady_ticks(fig):
        first = _labels(ax.xaxis)
        assert _labels(ax.xaxis) == first                       # same state: the same ticks
        ax.set_xlim(0, 1000)                                    # a new view
        wide = _labels(ax.xaxis)
        assert wide != first and "1000" in wide
        ax.set_xticks([0, 500], ["a", "b"])                     # a replaced locator and formatter
        assert _labels(ax.xaxis) == ["a", "b"]
        ax.set_position([0.1, 0.1, 0.1, 0.1])                   # a narrower axes: fewer ticks fit
        ax.set_xticks([]), ax.xaxis.set_major_locator(mpl.ticker.AutoLocator())
        narrow = _labels(ax.xaxis)
        ax.set_position([0.1, 0.1, 0.8, 0.8])
        assert len(_labels(ax.xaxis)) > len(narrow)
    assert "_update_ticks" not in vars(ax.xaxis) and "_update_ticks" not in vars(ax.yaxis)


def test_steady_ticks_draw_the_same_pixels(monkeypatch):
    def draw():
        fig = pipeline.new_figure("web", 50)
        axs = fig.subplots(2, 3, sharex=True, sharey=True)
        for i, ax in enumerate(axs.flat):
            ax.semilogx(np.logspace(-9, 2, 30), np.linspace(0, i + 1, 30))
            ax.set_title(f"panel {i} " + "wide " * (3 * i))       # some titles wrap: a second pass
        fig.suptitle("A title")
        with mpl.rc_context(style.rc_params(style.get_size("web"))):
            layout.finish(fig)
            with layout.steady_ticks(fig):
                fig.canvas.draw()
        return np.asarray(fig.canvas.buffer_rgba()).copy()
    steady = draw()
    monkeypatch.setattr(layout, "steady_ticks", lambda fig: contextlib.nullcontext())
    plain = draw()
    assert (steady == plain).all()


def test_figures_share_parsed_formulas_per_mathtext_setting():
    a = pipeline.new_figure("web", 50).canvas.get_renderer().mathtext_parser
    b = pipeline.new_figure("web", 80).canvas.get_renderer().mathtext_parser
    assert a is b
    with mpl.rc_context({"mathtext.fontset": "cm"}):
        c = pipeline.new_figure("web", 50).canvas.get_renderer().mathtext_parser
    assert c is not a
