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
        assert float(cells[8]) < (1e-3 if "float32" in cells[0] else 1e-10)  # the cross-check column
    assert "Fitted log-log slopes" in out and "Machine:" in out
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
