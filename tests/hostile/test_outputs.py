"""Paths, symlinks, foreign files, two scenarios with one name, corrupt
recordings: nothing written outside the output folder, nothing overwritten
that gradviz did not write, no traceback."""
import json
import zipfile

import numpy as np
import pytest

from gradviz.manifest import LOCK, MANIFEST

from .conftest import TINY


@pytest.mark.parametrize("fname", ["...toml", "..toml", ". .toml", "a\x01b.toml", "a\tb.toml", "a\\b.toml",
                                   "a:b.toml", "a\x7f.toml", "x" * 130 + ".toml"])
def test_unsafe_scenario_names(scratch, fname):
    scratch.write(fname, TINY)
    scratch.write("README.md", "mine\n")
    msg = scratch.fails(["render", fname], "cannot name an output folder")
    assert (scratch.root / "README.md").read_text() == "mine\n"
    assert not (scratch.root / "outputs").exists() or not any((scratch.root / "outputs").rglob("*.png"))
    assert "rename" in msg


def test_out_dotdot_root_is_confined(scratch):
    """--out .. with a sane name writes into ../s only; the stem check guards the name itself."""
    scratch.write("...toml", TINY)
    scratch.fails(["render", "...toml", "--out", "."], "cannot name an output folder")


def test_symlinked_scenario_toml_victim_untouched(scratch):
    victim = scratch.write("victim.txt", "precious\n")
    out = scratch.root / "outputs" / "s"
    out.mkdir(parents=True)
    (out / "scenario.toml").symlink_to("../../victim.txt")
    scratch.write("s.toml", TINY)
    scratch.fails(["render", "s.toml"], "scenario.toml")
    assert victim.read_text() == "precious\n"


def test_symlinked_output_folder_refused(scratch):
    (scratch.root / "elsewhere").mkdir()
    (scratch.root / "outputs").mkdir()
    (scratch.root / "outputs" / "s").symlink_to("../elsewhere")
    scratch.write("s.toml", TINY)
    scratch.fails(["render", "s.toml"], "symbolic link")
    assert list((scratch.root / "elsewhere").iterdir()) == []


def test_foreign_readme_is_never_overwritten(scratch):
    out = scratch.root / "outputs" / "s"
    out.mkdir(parents=True)
    (out / "README.md").write_text("my notes\n")
    scratch.write("s.toml", TINY)
    msg = scratch.fails(["render", "s.toml"], "README.md")
    assert "not written by gradviz" in msg and "move it away" in msg
    assert (out / "README.md").read_text() == "my notes\n"
    assert not (out / "recording.npz").exists()  # refused before simulating


def test_rerender_then_hand_edit_then_refuse(scratch):
    scratch.write("s.toml", TINY)
    r = scratch.run("render", "s.toml")
    assert r.exit_code == 0, r.output
    out = scratch.root / "outputs" / "s"
    manifest = json.loads((out / MANIFEST).read_text())
    assert {"scenario.toml", "recording.npz", "README.md", "loss.png"} <= set(manifest["files"])
    r = scratch.run("render", "s.toml")  # our own files: replaced freely
    assert r.exit_code == 0, r.output
    (out / "README.md").write_text("edited by hand\n")
    msg = scratch.fails(["render", "s.toml"], "README.md")
    assert "changed since gradviz wrote it" in msg
    assert (out / "README.md").read_text() == "edited by hand\n"
    assert not (out / LOCK).exists()


def test_planted_partial_symlink_is_not_followed(scratch):
    victim = scratch.write("victim2.bin", b"keep")
    scratch.write("s.toml", TINY)
    r = scratch.run("render", "s.toml")
    assert r.exit_code == 0
    out = scratch.root / "outputs" / "s"
    (out / "loss.png.partial").symlink_to("../../victim2.bin")
    r = scratch.run("render", "s.toml", "--rerun")
    assert r.exit_code == 0, r.output
    assert victim.read_bytes() == b"keep"


def test_two_scenarios_with_one_name(scratch):
    scratch.write("a/s.toml", TINY)
    scratch.write("b/s.toml", TINY.replace('title = "tiny"', 'title = "other"'))
    msg = scratch.fails(["render", "a/s.toml", "b/s.toml"], "outputs", inputs_changed=True)
    assert "another --out" in msg
    scenario = (scratch.root / "outputs" / "s" / "scenario.toml").read_text()
    assert 'title = "tiny"' in scenario  # a's outputs are intact


@pytest.mark.parametrize("kind", ["zero", "text", "truncated", "badzip-member", "future-version",
                                  "no-meta", "bomb-header"])
def test_corrupt_recording_is_reported_and_resimulated(scratch, kind):
    scratch.write("s.toml", TINY)
    assert scratch.run("render", "s.toml").exit_code == 0
    rec = scratch.root / "outputs" / "s" / "recording.npz"
    good = rec.read_bytes()
    if kind == "zero":
        rec.write_bytes(b"")
    elif kind == "text":
        rec.write_text("not a zip")
    elif kind == "truncated":
        rec.write_bytes(good[: len(good) // 3])
    elif kind == "badzip-member":
        rec.write_bytes(good[:200] + bytes(len(good) - 400) + good[-200:])
    elif kind == "future-version":
        with np.load(rec) as data:
            arrays = {k: data[k] for k in data.files}
        meta = json.loads(str(arrays["__meta__"]))
        meta["version"] = "99.0.0"
        arrays["__meta__"] = np.array(json.dumps(meta))
        np.savez_compressed(rec, **arrays)
    elif kind == "no-meta":
        np.savez(rec, a=np.zeros(3))
    else:
        _bomb(rec)
    r = scratch.run("render", "s.toml")
    assert r.exit_code == 0, r.output
    assert "simulating again" in r.stderr and "Traceback" not in r.output
    export = scratch.run("export", str(rec), "--csv", "--out", "csv")
    assert export.exit_code == 0


def _bomb(path, shape=(10**6, 1000)):
    """A member whose .npy header claims 8 GB (numpy would allocate it before reading)."""
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1))
    header["shape"] = shape
    import io

    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, header)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("x.npy", buf.getvalue() + bytes(10**6))


@pytest.mark.parametrize("kind", ["zero", "text", "bomb", "future", "dir"])
def test_export_of_bad_recording(scratch, kind):
    p = scratch.root / "r.npz"
    if kind == "zero":
        p.write_bytes(b"")
    elif kind == "text":
        p.write_text("x")
    elif kind == "bomb":
        _bomb(p)
    elif kind == "future":
        np.savez(p, __meta__=np.array(json.dumps({"version": "9.0"})), __axes__=np.array("{}"))
    else:
        p = scratch.root / "d.npz"
        p.mkdir()
    code = 2 if kind == "dir" else 1
    msg = scratch.fails(["export", p, "--csv"], None if kind == "dir" else "r.npz", code=code)
    if kind == "future":
        assert "newer" in msg
    if kind == "zero":
        assert "empty" in msg


def test_export_refuses_symlinked_csv(scratch):
    victim = scratch.write("victim.csv", "keep\n")
    scratch.write("s.toml", TINY)
    assert scratch.run("render", "s.toml").exit_code == 0
    (scratch.root / "csv").mkdir()
    (scratch.root / "csv" / "steps.csv").symlink_to("../victim.csv")
    scratch.fails(["export", "outputs/s/recording.npz", "--csv", "--out", "csv"], "symbolic link")
    assert victim.read_text() == "keep\n"


def test_stale_lock_is_taken_over(scratch):
    import subprocess
    import sys

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    out = scratch.root / "outputs" / "s"
    out.mkdir(parents=True)
    (out / LOCK).write_text(f"{dead.pid}\n")
    scratch.write("s.toml", TINY)
    r = scratch.run("render", "s.toml")
    assert r.exit_code == 0, r.output
    assert not (out / LOCK).exists()


def test_live_lock_refuses(scratch):
    import os

    out = scratch.root / "outputs" / "s"
    out.mkdir(parents=True)
    (out / LOCK).write_text(f"{os.getppid()}\n")  # a live process that is not us
    scratch.write("s.toml", TINY)
    msg = scratch.fails(["render", "s.toml"], "another gradviz")
    assert str(os.getppid()) in msg


def test_new_does_not_write_through_a_dangling_link(scratch):
    (scratch.root / "mine.toml").symlink_to(scratch.root / "victim_created_here.toml")
    scratch.fails(["new", "initialization", "mine.toml"], "exists")
    assert not (scratch.root / "victim_created_here.toml").exists()
