"""python -m gradviz.bench --quick: the table's structure and the
cross-check against the plain-NumPy step; never absolute times."""
import re

import numpy as np
import pytest

from gradviz.bench import __main__ as bench
from gradviz.bench import reference
from gradviz.bench.report import END, START, write_readme
from gradviz.bench.workload import Size, Workload


@pytest.mark.parametrize("dtype,tol", [("float64", 1e-12), ("float32", 1e-4)])
def test_reference_step_agrees_with_gradviz(dtype, tol):
    check = reference.cross_check(Workload(Size(3, 16, 8, dtype)))
    assert check["max_rel"] < tol and check["hist_share"] < 0.01


def test_float32_engines_are_compared_with_float64_side_by_side():
    check = reference.cross_check(Workload(Size(6, 16, 8, "float32")))
    # both float32 engines are float32-close to float64 (tanh32 is within 6 ulp, so gradviz may be a little farther)
    assert 0 < check["numpy_vs_64"] < 1e-5 and 0 < check["gradviz_vs_64"] < 1e-5
    assert check["max_rel"] <= check["gradviz_vs_64"] + check["numpy_vs_64"] + 1e-12


def test_distance_measures_means_against_the_spread():
    ref = np.full((1, len(reference.K.LAYER_STATS)), 1.0)
    ref[0, reference.K.S_PRE_STD] = 0.5
    ref[0, reference.K.S_P50] = 1e-6  # a median near 0 ...
    got = ref.copy()
    got[0, reference.K.S_P50] = 2e-6  # ... off by 1e-6: 2e-6 of the spread, not 100%
    assert reference.distance(got, ref) == pytest.approx(2e-6)
    got[0, reference.K.S_W_NORM] = 1.5
    assert reference.distance(got, ref) == pytest.approx(0.5)


def test_cross_check_detects_a_wrong_statistic(monkeypatch):
    real = reference._statistics

    def off(*a):
        stats, hists = real(*a)
        stats[:, reference.K.S_DELTA_RMS] *= 1.001
        return stats, hists
    monkeypatch.setattr(reference, "_statistics", off)
    assert reference.cross_check(Workload(Size(2, 8, 8, "float64")))["max_rel"] > 5e-4


def test_quick_run_prints_the_table_and_writes_the_readme_section(tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n## Performance\n\n{START}\nOLD-TABLE\n{END}\n\n## Design\n", encoding="utf-8")
    assert bench.main(["--quick", "--rounds", "1", "--readme", str(readme)]) == 0
    out = capsys.readouterr().out
    rows = [l for l in out.splitlines() if l.startswith("| ") and "×" in l and "dtype" not in l]
    assert len(rows) == len(bench.sizes(bench.QUICK))
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 9
        assert re.fullmatch(r"[+-]\d+% / [+-]\d+%", cells[4])
        g64, n64 = (float(c) for c in cells[8].split(" / "))  # distances from float64: gradviz / NumPy
        if "float32" in cells[0]:
            assert 0 < g64 < 1e-4 and 0 < n64 < 1e-4
        else:
            assert g64 < 1e-10 and n64 == 0
    assert "Fitted log-log slopes" in out and "Machine:" in out
    # the whole-scenario rows: 1 vs 2 workers give the same bytes; drawing times per figure and frame
    assert "Variants in parallel" in out and "results byte-identical" in out
    assert "per figure" in out and "ms per further frame" in out and "setup" in out
    text = readme.read_text(encoding="utf-8")
    assert "OLD-TABLE" not in text and text.count(START) == 1 and text.index("## Performance") < text.index(START)
    assert rows[0] in text and text.endswith("## Design\n")


def test_readme_without_markers_is_refused(tmp_path):
    p = tmp_path / "README.md"
    p.write_text("# nothing here\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="markers"):
        write_readme(p, "table")
    assert p.read_text(encoding="utf-8") == "# nothing here\n"


def test_flops_count_the_three_products_per_layer():
    s = Size(2, 4, 3, "float64")  # 16 -> 4 -> 4 -> 10
    assert s.flops() == 2 * 3 * (16 * 4 * 2 + 4 * 4 * 3 + 4 * 10 * 3)
    assert np.isfinite(Workload(s).run(2, 1))


def test_torch_column_can_use_another_interpreter(monkeypatch, tmp_path):
    from gradviz.bench import procs
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\nexit 1\n")  # an interpreter without torch
    fake.chmod(0o755)
    monkeypatch.setenv(procs.TORCH_PYTHON_ENV, str(fake))
    assert procs.torch_python() == str(fake) and procs.torch_available() is False
    monkeypatch.setenv(procs.TORCH_PYTHON_ENV, str(tmp_path / "missing"))
    assert procs.torch_available() is False
