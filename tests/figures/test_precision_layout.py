"""Precision figures as the reviewers read them: bit-diagram notes clear of the bits
and of the mantissa-end line in every language, exponents as superscripts with one
minus sign, counts grouped in threes, a legend key in the colours it explains."""
import matplotlib
import pytest

matplotlib.use("Agg")

from matplotlib.patches import Rectangle  # noqa: E402

from gradviz.figures import precision  # noqa: E402
from gradviz.i18n import LANGUAGES, t  # noqa: E402
from gradviz.figures.precision.common import FORMAT_COLORS  # noqa: E402


def _texts(fig, needle):
    return [x for x in fig.axes[0].texts if needle in x.get_text()]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_bit_notes_clear_the_bits_and_the_mantissa_line(precision_data, lang):
    fig, _ = precision.build(precision_data["absorption_bits"], "absorption_bits", lang=lang, dpi=60)
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    ax = fig.axes[0]
    boxes = [p.get_window_extent(r) for p in ax.patches if isinstance(p, Rectangle) and p.get_fill()
             and p.get_facecolor()[:3] != (0.9490196078431372,) * 3]
    lines = [ln.get_window_extent(r) for ln in ax.get_lines()]
    notes = _texts(fig, t("not stored: lost in rounding", lang)) + [
        x for x in ax.texts if "67" in x.get_text() and "34" in x.get_text()]
    assert len(notes) == 4
    for note in notes:
        bb = note.get_window_extent(r)
        assert not any(bb.overlaps(b) for b in boxes if b.width < 40), note.get_text()   # bit squares
        assert not any(bb.overlaps(ln) for ln in lines), note.get_text()                # mantissa-end line


def test_bit_labels_use_superscripts_and_one_minus(precision_data):
    fig, _ = precision.build(precision_data["absorption_bits"], "absorption_bits", dpi=40)
    texts = [x.get_text() for x in fig.axes[0].texts]
    assert any(s.endswith("×2³³") for s in texts) and any(s.endswith("×2⁻³⁴") for s in texts)
    assert not any("^" in s for s in texts)
    shift = [s for s in texts if "places" in s][0]
    assert "(−34)" in shift and "-" not in shift
    assert fig.axes[0].title.get_fontweight() == "bold" or fig.axes[0]._left_title.get_fontweight() == "bold"


def test_summation_counts_are_grouped(precision_data):
    fig, _ = precision.build(precision_data["summation"], "summation", dpi=40)
    texts = [x.get_text() for ax in fig.axes for x in ax.texts] + [
        x.get_text() for lg in fig.legends for x in lg.get_texts()]
    assert any("20\u202f000" in s for s in texts) and any("5\u202f000" in s for s in texts)


def test_overflow_finite_key_shows_the_finite_bar_colours(precision_data):
    fig, _ = precision.build(precision_data["overflow"], "overflow", dpi=40)
    lg = fig.axes[0].get_legend()
    drawn = [matplotlib.colors.to_hex(p.get_facecolor()) for p in lg.findobj(Rectangle)]
    bars = {matplotlib.colors.to_hex(p.get_facecolor()) for p in fig.axes[0].patches
            if not p.get_hatch()}
    assert bars <= set(drawn)             # every finite bar's colour is in the key (not one dark grey)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_hidden_bit_one_clears_its_dashed_box(precision_data, lang):
    # the "1" written inside the one-bit-wide dashed square ran over its border (a bit square
    # is ~8 px wide at the web size); it sits above the square now, as drawn at render size
    fig, _ = precision.build(precision_data["absorption_bits"], "absorption_bits", lang=lang)
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    ax = fig.axes[0]
    ones = [x for x in ax.texts if x.get_gid() == "hidden-bit"]
    boxes = [p for p in ax.patches if p.get_gid() == "hidden-bit-box"]
    assert len(ones) == len(boxes) == 4            # a and b, in float32 and float64
    assert all(x.get_text() == "1" and x.get_visible() for x in ones)
    others = [x.get_window_extent(r) for x in ax.texts if x.get_gid() != "hidden-bit" and x.get_text()]
    bits = [p.get_window_extent(r) for p in ax.patches if isinstance(p, Rectangle) and p.get_fill()
            and p.get_facecolor()[:3] != (0.9490196078431372,) * 3]
    for one, box in zip(ones, boxes):
        bb, bx = one.get_window_extent(r), box.get_window_extent(r)
        assert bb.width > 0 and bb.height > 0
        assert not any(bb.overlaps(b) for b in [p.get_window_extent(r) for p in boxes]), (one.get_position(), bx)
        assert bx.x0 <= (bb.x0 + bb.x1) / 2 <= bx.x1          # still labels its own square
        assert not any(bb.overlaps(b) for b in bits + others)  # nor any bit square or other text
