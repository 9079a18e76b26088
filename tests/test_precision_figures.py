"""Precision figures render, with the right size, and reproducibly."""
from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from gradviz import numerics as nx
from gradviz import precision_figures as pf

# Small but complete data, so the whole module renders in a few seconds.
SMALL = {
    "absorption": lambda: nx.absorption(x=np.logspace(-6, 12, 91)),
    "spacing": nx.spacing,
    "summation": lambda: nx.summation(n_max={"float16": 3000, "float32": 20_000},
                                      kahan_max_n={"float16": 3000, "float32": 5000}),
    "cancellation": lambda: nx.cancellation(x=np.logspace(-20, 0, 121), var_n_max=2000),
    "overflow": lambda: nx.overflow(s=np.logspace(-1, 3, 161), x=np.linspace(0, 45, 181)),
}


@pytest.fixture(scope="module")
def small_data():
    return {name: make() for name, make in SMALL.items()}


def test_registry_is_complete():
    assert set(pf.FIGURES) == {"absorption", "spacing", "summation", "cancellation", "overflow"}
    assert set(SMALL) == set(pf.FIGURES)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_figure_renders_non_blank_with_expected_size(name, small_data):
    fig = pf.FIGURES[name](small_data[name], size=(6, 3.5), dpi=80)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    img = np.asarray(canvas.buffer_rgba())
    assert img.shape == (round(3.5 * 80), round(6 * 80), 4)
    assert img[..., :3].std() > 0
    # more than a few colours: lines and text were drawn, not just a background
    assert len(np.unique(img[..., :3].reshape(-1, 3), axis=0)) > 20


def test_render_precision_writes_pngs(tmp_path, small_data):
    names = ["absorption", "overflow"]
    paths = pf.render_precision(names, tmp_path / "out", dpi=50, size=(8, 4.5),
                                data=small_data)
    assert paths == [tmp_path / "out" / f"{n}.png" for n in names]
    for p in paths:
        with Image.open(p) as im:
            assert im.format == "PNG"
            assert im.size == (400, 225)
            px = np.asarray(im.convert("RGB"), dtype=float)
        assert px.std() > 0


def test_render_precision_svg_pdf_byte_stable(tmp_path, small_data):
    a = pf.render_precision(["overflow"], tmp_path / "a", formats=("svg", "pdf"), dpi=50,
                            data=small_data)
    b = pf.render_precision("overflow", tmp_path / "b", formats=("svg", "pdf"), dpi=50,
                            data=small_data)
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
    svg, pdf = a[0].read_bytes(), a[1].read_bytes()
    assert b"<svg" in svg[:1000] and b"<dc:date>" not in svg
    assert pdf.startswith(b"%PDF") and b"/CreationDate" not in pdf


def test_render_precision_rejects_unknown_name(tmp_path):
    with pytest.raises(ValueError, match="unknown"):
        pf.render_precision(["nope"], tmp_path)


def test_strings_cover_every_key_used():
    # every STRINGS key referenced in the module exists in English
    import inspect
    import re
    src = inspect.getsource(pf)
    used = set(re.findall(r'_t\("([a-z_0-9]+)"', src))
    assert used and used <= set(pf.STRINGS["en"])


def test_no_pyplot_import():
    import ast
    import inspect

    def imported(module):
        names = set()
        for node in ast.walk(ast.parse(inspect.getsource(module))):
            if isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                names |= {f"{node.module}.{a.name}" for a in node.names} | {node.module or ""}
        return names

    assert not any("pyplot" in n for n in imported(pf))
    assert not any(n.startswith("matplotlib") for n in imported(nx))
