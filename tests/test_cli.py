"""The command line: exit codes, messages, files written."""
import numpy as np
from click.testing import CliRunner

import gradviz
from gradviz.cli import bundled_scenarios, main

TINY = """
title = "tiny"
seed = 2
[data]
kind = "moons"
samples = 120
[model]
depth = 3
width = 8
[train]
epochs = 2
batch_size = 32
[record]
every = 2
[compare]
key = "model.init"
values = ["normal", "glorot"]
[render]
figures = ["grad_norms"]
animations = ["heatmap_anim"]
animation_formats = ["gif", "webp"]
"""


def _run(args, **kw):
    return CliRunner().invoke(main, args, catch_exceptions=False, **kw)


def test_check_ok_and_bad(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(TINY)
    r = _run(["check", str(good)])
    assert r.exit_code == 0 and "ok (2 variants: normal, glorot)" in r.output
    bad = tmp_path / "bad.toml"
    bad.write_text(TINY.replace("depth = 3", "depth = -3"))
    r = _run(["check", str(bad)])
    assert r.exit_code == 1
    assert "$.model.depth" in r.output and "found -3" in r.output


def test_usage_error_exits_2():
    assert _run(["render"]).exit_code == 2
    assert _run(["frobnicate"]).exit_code == 2


def test_every_bundled_scenario_passes_check():
    bundled = bundled_scenarios()
    assert "initialization" in bundled
    for name, path in bundled.items():
        r = _run(["check", str(path)])
        assert r.exit_code == 0, (name, r.output)


def test_list_and_new(tmp_path):
    r = _run(["list"])
    assert r.exit_code == 0 and "initialization" in r.output
    r = _run(["new", "initialization", str(tmp_path)])
    assert r.exit_code == 0
    copied = tmp_path / "initialization.toml"
    assert copied.read_text() == bundled_scenarios()["initialization"].read_text()
    r = _run(["new", "initialization", str(tmp_path)])
    assert r.exit_code == 1 and "not overwriting" in r.output
    r = _run(["new", "nonesuch", str(tmp_path)])
    assert r.exit_code == 2


def test_render_writes_recording_figure_and_reuses(tmp_path):
    scen = tmp_path / "tiny.toml"
    scen.write_text(TINY)
    out = tmp_path / "out"
    r = _run(["render", str(scen), "--out", str(out)])
    assert r.exit_code == 0, r.output
    folder = out / "tiny"
    rec = gradviz.load_recording(folder / "recording.npz")
    assert rec.labels == ["normal", "glorot"]
    assert (folder / "grad_norms.png").stat().st_size > 5000
    from PIL import Image
    for ext in ("gif", "webp"):
        with Image.open(folder / f"heatmap_anim.{ext}") as im:
            assert im.n_frames == len(rec.steps)
    readme = (folder / "README.md").read_text()
    assert "grad_norms.png" in readme and "heatmap_anim.gif" in readme
    assert gradviz.load_scenario(folder / "scenario.toml").simulation_hash() == rec.meta["simulation_hash"]
    # a second render reuses the recording; --rerun simulates again, identically
    r = _run(["render", str(scen), "--out", str(out)])
    assert "reusing" in r.output
    r = _run(["render", str(scen), "--out", str(out), "--rerun"])
    again = gradviz.load_recording(folder / "recording.npz")
    np.testing.assert_array_equal(again.get("grad_w_norm"), rec.get("grad_w_norm"))
    r = _run(["export", str(folder / "recording.npz"), "--csv"])
    assert r.exit_code == 0
    assert (folder / "layers.csv").read_text().startswith("variant,label,record,step,layer")


def test_render_bad_option_is_a_usage_error(tmp_path):
    scen = tmp_path / "tiny.toml"
    scen.write_text(TINY)
    r = _run(["render", str(scen), "--lang", "xx", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "--lang" in r.output
