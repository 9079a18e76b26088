"""The README's notebook example, executed in a real Jupyter kernel (nbclient +
ipykernel): the figure must arrive as image/png and the animation as image/gif
(with a text/html GIF data URI), with pyplot never imported."""
from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = Path(__file__).with_name("python_api.ipynb")
README = Path(__file__).resolve().parents[2] / "README.md"


def _code(nb) -> list[str]:
    return [line for c in nb.cells if c.cell_type == "code" for line in c.source.splitlines() if line.strip()]


def test_the_notebook_is_the_readme_example_in_at_most_six_lines():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    lines = _code(nb)
    assert len(lines) <= 6
    section = README.read_text(encoding="utf-8").split("## Python API", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert [ln for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith("#")] == lines


def test_notebook_shows_a_png_figure_and_a_gif(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print('pyplot' in ' '.join(sys.modules))"))
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, errors
    data = [o.get("data", {}) for o in outputs if o.output_type in ("execute_result", "display_data")]
    pngs = [base64.b64decode(d["image/png"]) for d in data if "image/png" in d]
    gifs = [base64.b64decode(d["image/gif"]) for d in data if "image/gif" in d]
    assert len(pngs) == 1 and pngs[0].startswith(b"\x89PNG\r\n\x1a\n")
    assert len(gifs) == 1 and gifs[0][:6] == b"GIF89a"
    assert any('src="data:image/gif;base64,' in d.get("text/html", "") for d in data)
    # the progress bar reached its end, and no pyplot was needed to show the figure
    stderr = "".join(o.get("text", "") for o in outputs if o.output_type == "stream" and o.name == "stderr")
    assert "training" in stderr and "100%" in stderr
    last = nb.cells[-1].outputs[0]["text"].strip()
    assert last == "False"
