"""Precision figures: every experiment figure renders from the data passed to
it, at the right size, reproducibly, in every language with its glyphs present
and its text inside the figure."""
from __future__ import annotations

import logging

import numpy as np
import pytest
from matplotlib.legend import Legend
from matplotlib.text import Text
from PIL import Image

from gradviz.figures import precision
from gradviz.i18n import LANGUAGES, t

NAMES = ("absorption", "absorption_bits", "spacing", "summation", "cancellation", "overflow")
# One translated string per figure that must show up in that figure.
SHOWN = {"absorption": "How small must t be to vanish in x + t?", "absorption_bits": "not stored: lost in rounding", "spacing": "Gap to the next number (ULP)",
         "summation": "n (number of terms)", "cancellation": "(1 + x) - 1 in each format",
         "overflow": "sigmoid saturates: 1 - sigma(x) becomes 0"}


def test_registry_is_complete():
    assert tuple(precision.FIGURES) == precision.MODULES == tuple(n for n in NAMES if n != "absorption_bits")
    assert tuple(precision.FAMILY.specs) == ("absorption", "spacing", "summation", "cancellation", "overflow",
                                             "absorption_bits")
    for name, spec in precision.FAMILY.specs.items():
        assert spec.module.NAME == name and spec.compose.__doc__
        assert spec.requires == ()          # experiment data, not Recording arrays


@pytest.mark.parametrize("name", NAMES)
def test_figure_renders_non_blank_with_expected_size(name, precision_data):
    fig, built = precision.build(precision_data[name], name, size=(6, 3.5), dpi=80)
    fig.canvas.draw()
    img = np.asarray(fig.canvas.buffer_rgba())
    assert img.shape == (round(3.5 * 80), round(6 * 80), 4)
    # more than a few colours: lines and text were drawn, not just a background
    assert len(np.unique(img[..., :3].reshape(-1, 3), axis=0)) > 20
    # headed by its panels' titles (the README's heading), not by its id (review_b)
    titles = [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right") if ax.get_title(loc)]
    assert built.title != name and built.title.split(" · ") == list(dict.fromkeys(titles))
    if name == "absorption_bits":      # its caption states the shift and widths it drew
        assert "67 places" in built.caption and "23 (float32)" in built.caption
    else:
        assert built.caption == precision.FIGURES[name].module.CAPTION
    assert built.facts.formats


def test_figures_draw_the_data_they_are_given(precision_data):
    from gradviz import numerics as nx

    other = nx.absorption("3", "1e-20", x=np.logspace(-6, 12, 91))
    texts = [{t_.get_text() for t_ in precision.build(d, "absorption", dpi=40)[0].findobj(Text)}
             for d in (precision_data["absorption"], other)]
    assert "1e10 + 1e-10" in texts[0] and "3 + 1e-20" in texts[1]


def test_render_precision_writes_pngs(tmp_path, precision_data):
    names = ["absorption", "overflow"]
    outs = precision.render_precision(precision_data, tmp_path / "out", names, dpi=50, size=(8, 4.5))
    # the bit diagram comes with the absorption experiment, from the same data
    assert [o.path for o in outs] == [tmp_path / "out" / f"{n}.png" for n in ("absorption", "absorption_bits",
                                                                             "overflow")]
    for o in outs:
        with Image.open(o.path) as im:
            assert im.format == "PNG" and im.size == (400, 225)
            assert np.asarray(im.convert("RGB"), dtype=float).std() > 0


def test_render_precision_svg_pdf_byte_stable(tmp_path, precision_data):
    a = precision.render_precision(precision_data, tmp_path / "a", ["overflow"], formats=("svg", "pdf"), dpi=50)
    b = precision.render_precision(precision_data, tmp_path / "b", ["overflow"], formats="svg,pdf", dpi=50)
    for pa, pb in zip(a, b):
        assert pa.path.read_bytes() == pb.path.read_bytes(), pa.path.name
    svg, pdf = a[0].path.read_bytes(), a[1].path.read_bytes()
    assert b"<svg" in svg[:1000] and b"<dc:date>" not in svg
    assert pdf.startswith(b"%PDF") and b"/CreationDate" not in pdf


def test_render_precision_rejects_unknown_name_and_missing_data(tmp_path, precision_data):
    with pytest.raises(ValueError, match="unknown precision figure"):
        precision.render_precision(precision_data, tmp_path, ["nope"])
    with pytest.raises(ValueError, match="needs its experiment data"):
        precision.render_precision({}, tmp_path, ["spacing"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_captions_and_alt_texts_for_every_figure(lang, precision_data):
    for name, spec in precision.FAMILY.specs.items():
        # the bit diagram's texts state the numbers it drew: read them from its facts
        facts = precision.build(precision_data[name], name, dpi=30)[1].facts if name == "absorption_bits" else None
        caption, alt = spec.caption(facts, lang), spec.alt(None, facts, lang)
        assert "{" not in caption + alt, name
        if lang != "en":
            assert caption != spec.module.CAPTION and alt != spec.module.ALT, name
        assert len(alt) > len(caption) / 2


def test_outputs_use_translated_caption_and_alt(tmp_path):
    from gradviz.outputs import _precision_outputs
    from gradviz.scenario import load_scenario

    sc = load_scenario({"kind": "precision", "precision": {"experiments": ["overflow"]},
                        "render": {"lang": "bg", "dpi": 50}})
    (out,) = _precision_outputs(sc, tmp_path)
    assert out.path == tmp_path / "overflow.png" and out.path.is_file()
    module = precision.FIGURES["overflow"].module
    assert out.caption == t(module.CAPTION, "bg") != module.CAPTION
    assert out.alt == t(module.ALT, "bg") != module.ALT


def _layout_problems(fig) -> list[str]:
    """Text outside the figure, legends wider than their axes, table text
    wider than its cell (the figure must have been drawn)."""
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    tick_labels = {id(lab) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
                   for tick in axis.get_major_ticks() + axis.get_minor_ticks()
                   for lab in (tick.label1, tick.label2)}
    problems = []
    for txt in fig.findobj(Text):
        if id(txt) in tick_labels or not txt.get_visible() or not txt.get_text().strip():
            continue
        b = txt.get_window_extent(renderer)
        if b.x0 < box.x0 - 1 or b.x1 > box.x1 + 1 or b.y0 < box.y0 - 1 or b.y1 > box.y1 + 1:
            problems.append(f"outside the figure: {txt.get_text()!r}")
    for legend in fig.findobj(Legend):
        parent = legend.axes.bbox if legend.axes is not None else box
        b = legend.get_window_extent(renderer)
        if b.x0 < parent.x0 - 1 or b.x1 > parent.x1 + 1:
            problems.append(f"legend wider than its axes: {[x.get_text() for x in legend.texts]}")
    for ax in fig.axes:
        for table in ax.tables:
            for cell in table.get_celld().values():
                if cell.get_text().get_window_extent(renderer).width > cell.get_window_extent(renderer).width:
                    problems.append(f"table cell overflows: {cell.get_text().get_text()!r}")
    return problems


@pytest.mark.filterwarnings("error:Glyph .* missing:UserWarning")
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_figure_renders_in_language(lang, name, precision_data, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="matplotlib"):
        out = precision.render_precision(precision_data, tmp_path, [name], dpi=60, lang=lang)[0]
        fig, _ = precision.build(precision_data[name], name, dpi=60, lang=lang)
        fig.canvas.draw()
    # mathtext reports missing glyphs through logging, not warnings
    assert not [r for r in caplog.records if "glyph" in r.getMessage().lower()]
    with Image.open(out.path) as im:
        assert im.format == "PNG" and im.size == (480, 270)
        assert np.asarray(im.convert("RGB"), dtype=float).std() > 0
    shown = {x.get_text() for x in fig.findobj(Text)}
    assert t(SHOWN[name], lang) in shown and t(SHOWN[name], lang) != SHOWN[name]   # translated
    assert _layout_problems(fig) == []


def test_overflow_every_formats_sigmoid_curve_is_visible_and_named(precision_data):
    """Issue 11: bfloat16's 1 - sigma(x) curve was drawn under float16's wider line. The
    curves coincide until each drops to 0, so the longest-lived is widest and lowest, each
    later one narrower on top (a visible stripe each), and each ends in a named marker."""
    from gradviz.figures.precision.common import FORMAT_COLORS

    data = precision_data["overflow"]
    fig, _ = precision.build(data, "overflow", dpi=40)
    ax = fig.axes[1]
    curves = {fm: [ln for ln in ax.get_lines() if ln.get_color() == FORMAT_COLORS[fm]
                   and ln.get_drawstyle() == "steps-post"] for fm in data.formats}
    assert all(len(c) == 1 for c in curves.values()), curves
    by_z = sorted(data.formats, key=lambda fm: curves[fm][0].get_zorder())
    # lowest first = lasts longest; each line above is narrower by ≥ 1.5 pt (a 0.75-pt stripe per side)
    assert by_z == sorted(data.formats, key=lambda fm: -data.sigmoid_saturation[fm])
    widths = [curves[fm][0].get_linewidth() for fm in by_z]
    assert all(a - b >= 1.5 - 1e-9 for a, b in zip(widths, widths[1:])), widths
    names = {tx.get_text(): tx for tx in ax.texts}
    for fm in data.formats:
        v = data.one_minus_sigmoid[fm]
        last = np.nonzero(v > 0)[0][-1]
        (end,) = [ln for ln in ax.get_lines() if ln.get_gid() == f"end-{fm}"]
        assert end.get_xydata()[0] == pytest.approx([data.x[last], v[last]])
        assert end.get_zorder() > max(c[0].get_zorder() for c in curves.values())
        assert fm in names and names[fm].xy == pytest.approx((data.x[last], v[last]))
