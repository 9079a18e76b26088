"""The command line: exit codes, messages, files written."""
import click
import numpy as np
from click.testing import CliRunner

import gradviz
from gradviz import cli
from gradviz.cli import bundled_scenarios, main


def _run(args, **kw):
    return CliRunner().invoke(main, args, catch_exceptions=False, **kw)


def test_check_ok_and_bad(tmp_path, tiny):
    good = tmp_path / "good.toml"
    good.write_text(tiny)
    r = _run(["check", str(good)])
    assert r.exit_code == 0 and "ok (2 variants: normal, glorot)" in r.output
    bad = tmp_path / "bad.toml"
    bad.write_text(tiny.replace("depth = 3", "depth = -3"))
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


def test_render_writes_recording_figure_and_reuses(tmp_path, tiny):
    scen = tmp_path / "tiny.toml"
    scen.write_text(tiny)
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


def test_render_bad_option_is_a_usage_error(tmp_path, tiny):
    scen = tmp_path / "tiny.toml"
    scen.write_text(tiny)
    r = _run(["render", str(scen), "--lang", "xx", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "--lang" in r.output


# -- issue 12: no silent surprises, CLI conventions -------------------------------------
def test_unknown_name_suggests_a_bundled_one(tmp_path):
    r = CliRunner().invoke(main, ["check", "initializaton"])
    assert r.exit_code == 2
    assert "did you mean 'initialization'?" in r.output and "gradviz list" in r.output
    assert "Traceback" not in r.output


def test_local_copy_wins_over_bundled_and_says_so(tmp_path, monkeypatch, tiny):
    monkeypatch.chdir(tmp_path)
    assert _run(["new", "dropout"]).exit_code == 0
    (tmp_path / "dropout.toml").write_text(tiny)  # an edited copy
    r = _run(["render", "dropout", "--out", "o"])  # click >= 8.2: output holds stderr too
    assert r.exit_code == 0, r.output
    assert f"dropout: using ./dropout.toml rather than the bundled {bundled_scenarios()['dropout']}" in r.output
    rec = gradviz.load_recording(tmp_path / "o" / "dropout" / "recording.npz")
    assert rec.labels == ["normal", "glorot"]  # the edited file ran, not the bundled one
    # the output folder ./o/dropout is not mistaken for a scenario; with --out . neither is ./dropout/
    (tmp_path / "dropout.toml").unlink()
    (tmp_path / "dropout").mkdir()
    r = _run(["check", "dropout"])
    assert r.exit_code == 0 and str(bundled_scenarios()["dropout"]) in r.output


def test_quick_has_its_own_folder(tmp_path, tiny):
    scen = tmp_path / "tiny.toml"
    scen.write_text(tiny)
    r = _run(["render", str(scen), "--out", str(tmp_path / "o"), "--quick"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "o" / "tiny-quick" / "recording.npz").exists()
    assert not (tmp_path / "o" / "tiny").exists()
    assert "drawing 1 figure, 1 animation" in r.output


def test_check_refuses_a_figure_the_run_cannot_feed(tmp_path, tiny):
    scen = tmp_path / "b.toml"
    scen.write_text(tiny.replace('figures = ["grad_norms"]', 'figures = ["grad_norms", "decision_boundary"]'))
    for cmd in ("check", "render"):
        r = _run([cmd, str(scen), "--out", str(tmp_path / "o")] if cmd == "render" else [cmd, str(scen)])
        assert r.exit_code == 1, r.output
        assert "$.render.figures[1]: 'decision_boundary' needs boundary_class" in r.output
        assert "record.boundary" in r.output
    assert not (tmp_path / "o").exists()  # render refused before training
    scen.write_text(scen.read_text().replace("every = 2", "every = 2\nboundary = 16"))
    assert _run(["check", str(scen)]).exit_code == 0


def test_python_dash_m(tmp_path):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "gradviz", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "Usage: gradviz" in r.stdout
    r = subprocess.run([sys.executable, "-m", "gradviz", "frobnicate"], capture_output=True, text=True)
    assert r.returncode == 2


def test_precision_add_takes_negative_numbers():
    r = _run(["precision", "add", "-1", "1e-8"])
    assert r.exit_code == 0, r.output
    assert "a = -1, b = 1e-8" in r.output
    r = _run(["precision", "add", "-1e10", "-1e-10"])
    assert r.exit_code == 0 and "b = -1e-10" in r.output


def test_environment_variables_set_render_options(tmp_path, tiny):
    scen = tmp_path / "tiny.toml"
    scen.write_text(tiny)
    r = _run(["render", str(scen)], env={"GRADVIZ_RENDER_OUT": str(tmp_path / "envout"),
                                         "GRADVIZ_RENDER_LANG": "xx"})
    assert r.exit_code == 2 and "--lang" in r.output  # the env value reached --lang
    r = _run(["render", str(scen)], env={"GRADVIZ_RENDER_OUT": str(tmp_path / "envout"),
                                         "GRADVIZ_RENDER_QUICK": "1"})
    assert r.exit_code == 0, r.output
    assert (tmp_path / "envout" / "tiny-quick" / "recording.npz").exists()
    assert "GRADVIZ_RENDER_LANG" in _run(["render", "--help"]).output


def _complete(args, incomplete):
    from click.shell_completion import ShellComplete

    return [c.value for c in ShellComplete(main, {}, "gradviz", "_GRADVIZ_COMPLETE").get_completions(args, incomplete)]


def test_shell_completion(tmp_path, monkeypatch, tiny):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.toml").write_text(tiny)
    assert "initialization" in _complete(["render"], "init")
    assert _complete(["render"], "mi") == ["mine"]
    assert set(_complete(["check"], "")) >= set(bundled_scenarios()) | {"mine"}
    assert _complete(["render", "x", "--lang"], "") == list(gradviz.names.LANGUAGES)
    assert _complete(["render", "x", "--lang"], "r") == ["ro"]
    assert _complete(["render", "x", "--formats"], "png,") == ["png,svg", "png,pdf"]
    assert _complete(["render", "x", "--formats"], "s") == ["svg"]


def test_no_color_in_error_messages(tmp_path, monkeypatch, tiny):
    bad = tmp_path / "bad.toml"
    bad.write_text(tiny.replace("depth = 3", "depth = -3"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    r = CliRunner().invoke(main, ["check", str(bad)], color=True)
    assert r.exit_code == 1 and "\x1b[31m" in r.output
    monkeypatch.setenv("NO_COLOR", "1")
    r = CliRunner().invoke(main, ["check", str(bad)], color=True)
    assert r.exit_code == 1 and "\x1b[" not in r.output and "$.model.depth" in r.output


def test_quick_reads_step_claims_at_the_last_record(tmp_path, tiny):
    scen = tmp_path / "c.toml"
    scen.write_text(tiny + '\n[[claims]]\ntext = "t"\nquantity = "loss"\nat = 400\nvariant = "glorot"\n'
                    'compare = "<"\nvalue = 1e9\n')
    r = _run(["render", str(scen), "--out", str(tmp_path / "o"), "--quick"])
    assert r.exit_code == 0, r.output
    assert "c: --quick: claim 1 read at the preview's last record, not at its step" in r.output
    assert "Traceback" not in r.output


def _leaf_commands(group, prefix=()):
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            yield from _leaf_commands(cmd, (*prefix, name))
        else:
            yield (*prefix, name), cmd


#: arguments that parse, per command (the callback is replaced: nothing runs)
_ARGS = {("render",): ["x"], ("check",): ["x"], ("list",): [], ("new",): ["x"], ("export",): ["{file}", "--csv"],
         ("precision", "add"): ["1", "2"], ("precision", "info"): [], ("verify",): ["x"], ("gallery",): ["{dir}"]}


def test_every_command_ends_a_ctrl_c_with_one_line_and_130(tmp_path, monkeypatch):
    """One place (cli.Main) for Ctrl-C: no command may show click's 'Aborted!' (exit 1) or a traceback."""
    (tmp_path / "f").write_text("")
    leaves = dict(_leaf_commands(main))
    assert set(leaves) == set(_ARGS), "a new command needs its arguments in _ARGS"

    def ctrl_c(*args, **kwargs):
        raise KeyboardInterrupt
    for path, cmd in leaves.items():
        monkeypatch.setattr(cmd, "callback", ctrl_c)
        args = [a.format(file=tmp_path / "f", dir=tmp_path) for a in _ARGS[path]]
        r = CliRunner().invoke(main, [*path, *args])
        assert r.exit_code == 130, (path, r.output, r.exception)
        assert r.output.split() == cli.INTERRUPTED.split(), (path, r.output)  # that line alone


def test_verify_refuses_a_batch_larger_than_the_training_set(tmp_path, tiny):
    """verify runs preflight too (the engine does not cap batch_size): one line naming the key."""
    path = tmp_path / "s.toml"
    path.write_text(tiny.replace("batch_size = 32", "batch_size = 500"))
    r = _run(["verify", str(path)])
    assert r.exit_code == 1
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and "$.train.batch_size: expected at most" in lines[0], r.output


def test_verify_refuses_an_absurd_precision_number_in_one_line(tmp_path):
    """preflight's LimitError for precision.a (raised even with force) is one line, not a traceback."""
    text = bundled_scenarios()["float_precision"].read_text(encoding="utf-8")
    path = tmp_path / "p.toml"
    path.write_text(text.replace('a = "1e10"', 'a = "1e999999999"'), encoding="utf-8")
    r = _run(["verify", str(path)])  # an exception escaping click fails the test
    assert r.exit_code == 1
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and "$.precision.a: exponent 999999999" in lines[0], r.output
