"""gradviz.limits: estimates against real recordings, limits, the README table."""
from pathlib import Path

import numpy as np
import pytest

from gradviz import limits
from gradviz.limits import ArchiveError, LimitError, check_decimal, check_npz_sizes, estimate
from gradviz.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent


def _sc(**sections):
    raw = {"data": {"kind": "moons", "samples": 120}, "model": {"depth": 2, "width": 4},
           "train": {"steps": 20, "batch_size": 16}, "record": {"every": 5, "bins": 8}}
    for k, v in sections.items():
        raw.setdefault(k, {}).update(v)
    return load_scenario(raw)


def test_readme_table_is_current():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert limits.table() in text
    assert text.index("## Safety and limits") < text.index("## Design")


def test_estimates_scale_with_the_knobs():
    base = estimate(_sc())
    wide = estimate(_sc(model={"width": 400}))
    long = estimate(_sc(train={"steps": 2000}))
    assert wide.flops > 1000 * base.flops / 20  # params grow ~ width²
    assert long.records == 2000 // 5 + 2 and long.recording > 10 * base.recording
    assert estimate(_sc(record={"weights": True}, model={"width": 400})).recording > wide.recording


@pytest.mark.parametrize("sections,key", [({"model": {"width": 10**7}}, "$.model.width"),
                                          ({"train": {"steps": 10**12}}, "$.train.steps")])
def test_limits_name_the_key(sections, key):
    sc = _sc(**sections)
    with pytest.raises(LimitError) as info:
        limits.check(sc, estimate(sc))
    assert info.value.path == key and "--force" in str(info.value)


def test_small_scenario_within_limits():
    sc = _sc()
    limits.check(sc, estimate(sc))


@pytest.mark.parametrize("text,bad", [("1e10", False), ("1e-10", False), ("0.1", False), ("1/3", False),
                                      ("1e400", False), ("1e401", True), ("1e-999999999", True),
                                      ("1_0e9999999", True), ("9" * 3000, True)])
def test_check_decimal(text, bad):
    if bad:
        with pytest.raises(LimitError):
            check_decimal(text, "A")
    else:
        check_decimal(text, "A")


def test_npz_sizes_checked_before_inflating(tmp_path):
    p = tmp_path / "a.npz"
    np.savez_compressed(p, a=np.zeros(200_000))
    check_npz_sizes(p, 2_000_000)
    with pytest.raises(ArchiveError, match="inflates"):
        check_npz_sizes(p, 1_000_000)


def test_human_bytes():
    assert limits.human_bytes(999) == "999 B"
    assert limits.human_bytes(4e9) == "4 GB"


#: How far the peak-memory estimate may be from the measured peak RSS of a
#: render, either way. The estimate is meant as an upper-ish bound of the
#: whole process (README "Safety and limits"); 2x covers the allocator,
#: matplotlib's figures and the runtime's spread between machines.
MEMORY_FACTOR = 2.0

MEMORY_CASES = {  # a few seconds each, from ~0.2 GB (the runtime) to ~0.7 GB
    "tiny": {},
    "weights": {"model": {"depth": 2, "width": 512}, "train": {"steps": 40, "batch_size": 32},
                "record": {"every": 1, "weights": True}},
    "wide": {"model": {"depth": 4, "width": 1024}, "train": {"steps": 4, "batch_size": 64},
             "record": {"every": 2}},
}


_PEAK = """import resource, subprocess, sys
r = subprocess.run([sys.executable, "-m", "gradviz.cli", "render", "s.toml"], capture_output=True, text=True)
print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, repr(r.stderr[-300:]))
"""


@pytest.mark.parametrize("case", list(MEMORY_CASES))
def test_peak_memory_estimate_against_the_measured_peak(tmp_path, case):
    """Peak RSS of a real render (its own process: ru_maxrss of the only child)."""
    import subprocess
    import sys

    sc = _sc(render={"figures": ["loss"]}, **MEMORY_CASES[case])
    (tmp_path / "s.toml").write_text(sc.to_toml(), encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", _PEAK], cwd=tmp_path, capture_output=True, text=True, timeout=900)
    code, peak, err = out.stdout.split(" ", 2)
    assert code == "0", err
    est = estimate(load_scenario(tmp_path / "s.toml")).memory
    assert int(peak) <= est * MEMORY_FACTOR and est <= int(peak) * MEMORY_FACTOR, (case, int(peak), est)
