"""The shipped 8x8 digits: the file itself, and a digits scenario with no scikit-learn."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from gradviz import data

# images per digit 0..9 in the UCI test set (the counts scikit-learn's load_digits gives)
COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_shipped_file_shape_range_counts():
    with np.load(data.DIGITS_FILE) as f:
        images, labels = f["images"], f["labels"]
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8
    assert labels.shape == (1797,)
    assert images.min() == 0 and images.max() == 16
    assert np.bincount(labels).tolist() == COUNTS
    assert os.path.getsize(data.DIGITS_FILE) < 100_000  # small enough to ship in the wheel


def test_loader_arrays():
    x, y, names = data._digits_arrays()
    assert x.shape == (1797, 64) and x.dtype == np.float64
    assert set(np.unique(x)) <= set(range(17))
    assert np.bincount(y).tolist() == COUNTS
    assert names[0] == "pixel_0_0" and names[63] == "pixel_7_7"
    assert not x.flags.writeable


def test_same_as_scikit_learn_when_installed():
    sk = pytest.importorskip("sklearn.datasets")
    d = sk.load_digits()
    x, y, names = data._digits_arrays()
    assert np.array_equal(x, d.data) and np.array_equal(y, d.target)
    assert list(names) == list(d.feature_names)


def digits_scenarios() -> list[str]:
    """The bundled scenarios that train on the digits in any variant, read from their files
    (a variant may set data.kind itself), so the list cannot go stale as scenarios change."""
    import gradviz
    from gradviz.bundled import bundled_scenarios

    return [name for name in sorted(bundled_scenarios())
            if any(v.data.kind == "digits" for _, v in gradviz.load_scenario(name).expand())]


def test_the_digits_scenarios_are_read_from_the_scenario_files():
    names = digits_scenarios()
    assert names, "no bundled scenario uses the digits: the render test below would check nothing"
    # dropout left the digits for noisy gaussian labels; batch_norm still trains on them
    assert "dropout" not in names and "batch_norm" in names
    # the same set read from the raw TOML, without the scenario loader: [data] kind, a
    # [[variants]] "data.kind", or a [compare] over data.kind
    import tomllib
    from gradviz.bundled import bundled_scenarios

    raw_digits = []
    for name, path in sorted(bundled_scenarios().items()):
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        kinds = {raw.get("data", {}).get("kind")} | {v.get("data.kind") for v in raw.get("variants", [])}
        if raw.get("compare", {}).get("key") == "data.kind":
            kinds |= set(raw["compare"]["values"])
        if "digits" in kinds:
            raw_digits.append(name)
    assert names == raw_digits


BLOCKED = """
import sys
sys.modules["sklearn"] = None  # `import sklearn` now raises ImportError
from gradviz.cli import main
# every digits lesson (issue 12: each ended in a traceback without scikit-learn)
main(["render", *sys.argv[2:], "--quick", "--out", sys.argv[1]])
"""


def test_digits_lessons_render_without_sklearn(tmp_path):
    names = digits_scenarios()
    assert names
    r = subprocess.run([sys.executable, "-c", BLOCKED, str(tmp_path), *names], capture_output=True, text=True,
                       cwd=tmp_path, timeout=1800)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "Traceback" not in r.stderr
    for name in names:
        assert (tmp_path / f"{name}-quick" / "recording.npz").exists()
        assert (tmp_path / f"{name}-quick" / "README.md").exists()
        assert f"{name}: drawing" in r.stderr
