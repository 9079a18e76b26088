"""Environment: a full disk (os.fsync / write raising ENOSPC) and unwritable
folders give one message; the files already there stay whole."""
import errno
import os

import pytest

from gradviz import atomic

from .conftest import TINY, temp_files


def _enospc_on(monkeypatch, suffix):
    real = atomic.os.fsync
    state = {"name": None}
    real_open = atomic.os.open

    def tracking_open(path, *a, **k):
        state["name"] = str(path)
        return real_open(path, *a, **k)

    def fsync(fd):
        if state["name"] and state["name"].endswith(suffix):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)

    monkeypatch.setattr(atomic.os, "open", tracking_open)
    monkeypatch.setattr(atomic.os, "fsync", fsync)


@pytest.mark.parametrize("suffix", ["scenario.toml", "recording.npz", "loss.png", "README.md",
                                    ".gradviz-manifest.json"])
def test_full_disk_is_one_message_and_keeps_old_files(scratch, monkeypatch, suffix):
    path = scratch.write("s.toml", TINY)
    assert scratch.run("render", path).exit_code == 0
    out = scratch.root / "outputs" / "s"
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    _enospc_on(monkeypatch, suffix)
    msg = scratch.fails(["render", path, "--rerun"], "no space left")
    assert suffix in msg or suffix.startswith(".")
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after[suffix if not suffix.startswith(".") else "scenario.toml"] == before[
        suffix if not suffix.startswith(".") else "scenario.toml"]
    import tomllib

    tomllib.loads((out / "scenario.toml").read_text())  # never truncated


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_output_folder(scratch):
    out = scratch.root / "outputs" / "s"
    out.mkdir(parents=True)
    out.chmod(0o500)
    try:
        scratch.fails(["render", scratch.write("s.toml", TINY)], "outputs")
    finally:
        out.chmod(0o700)


def test_out_is_a_file(scratch):
    scratch.write("outputs", "not a folder")
    scratch.fails(["render", scratch.write("s.toml", TINY)], None, code=2)


@pytest.fixture
def tiny_fs(tmp_path):
    """A 256 kB tmpfs (needs root and mount; skipped elsewhere)."""
    import shutil
    import subprocess

    mnt = tmp_path / "tinyfs"
    mnt.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount") or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


@pytest.mark.parametrize("fill_to", [0, 40_000, 120_000, 250_000])
def test_real_full_disk(tiny_fs, fill_to):
    """A render on a really full disk, filled to leave various room: one line, no leftovers."""
    import subprocess
    import sys

    (tiny_fs / "s.toml").write_text(TINY.replace('figures = ["loss"]', 'figures = ["loss", "grad_norms"]\n'
                                                 'animations = ["hist_anim"]'))
    free = os.statvfs(tiny_fs).f_bavail * os.statvfs(tiny_fs).f_frsize
    (tiny_fs / "fill").write_bytes(bytes(max(0, min(fill_to, free - 4096)) if fill_to < 250_000 else free))
    r = subprocess.run([sys.executable, "-m", "gradviz.cli", "render", "s.toml"], cwd=tiny_fs,
                       capture_output=True, text=True, timeout=300)
    assert "Traceback" not in r.stderr, r.stderr
    if r.returncode:
        errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error: ")]
        assert r.returncode == 1 and len(errors) == 1 and "no space left" in errors[0], r.stderr
    assert temp_files(tiny_fs) == []
    assert not (tiny_fs / "outputs" / "s" / ".gradviz.lock").exists()
