"""gradviz.atomic: whole files or nothing, never through a symlink, one message on a full disk."""
import errno
import os

import pytest

from gradviz import atomic
from gradviz.atomic import OutputError, atomic_open, guarded, write_text


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(atomic.TMP_PREFIX))


def test_write_replaces_whole_file(tmp_path):
    p = tmp_path / "a.txt"
    write_text(p, "old")
    write_text(p, "new")
    assert p.read_text() == "new"
    assert _leftovers(tmp_path) == []


def test_exception_keeps_old_file_and_removes_temp(tmp_path):
    p = tmp_path / "a.txt"
    write_text(p, "old")
    with pytest.raises(RuntimeError):
        with atomic_open(p, "w") as fh:
            fh.write("half")
            raise RuntimeError("boom")
    assert p.read_text() == "old"
    assert _leftovers(tmp_path) == []


def test_keyboard_interrupt_leaves_nothing(tmp_path):
    p = tmp_path / "b.bin"
    with pytest.raises(KeyboardInterrupt):
        with atomic_open(p) as fh:
            fh.write(b"x" * 100)
            raise KeyboardInterrupt
    assert not p.exists() and list(tmp_path.iterdir()) == []


def test_symlinked_target_refused_and_victim_untouched(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "scenario.toml").symlink_to(victim)
    with pytest.raises(OutputError, match="symbolic link"):
        write_text(out / "scenario.toml", "evil")
    assert victim.read_text() == "precious"


def test_symlinked_folder_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(OutputError, match="symbolic link"):
        write_text(tmp_path / "link" / "f.txt", "x")
    assert list(real.iterdir()) == []


def test_planted_temp_name_is_not_followed(tmp_path, monkeypatch):
    """A link planted at the temporary name: O_EXCL refuses it instead of writing through it."""
    victim = tmp_path / "victim2.bin"
    victim.write_bytes(b"keep")
    monkeypatch.setattr(atomic.secrets, "token_hex", lambda n: "fixed")
    (tmp_path / f"{atomic.TMP_PREFIX}fixed-grad.png").symlink_to(victim)
    with pytest.raises(OutputError):
        atomic.write_bytes(tmp_path / "grad.png", b"png")
    assert victim.read_bytes() == b"keep"
    assert not (tmp_path / "grad.png").exists()


@pytest.mark.parametrize("where", ["fsync", "write"])
def test_full_disk_is_one_message(tmp_path, monkeypatch, where):
    p = tmp_path / "scenario.toml"
    write_text(p, "title = 'ok'\n")

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "fsync":
        monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(OutputError, match="no space left") as info:
        with atomic_open(p, "w", encoding="utf-8") as fh:
            if where == "write":
                monkeypatch.setattr(fh, "write", full)
            fh.write("title = 'new'\n")
    assert "\n" not in str(info.value)
    assert p.read_text() == "title = 'ok'\n"  # the old file survives whole
    assert _leftovers(tmp_path) == []


def test_wrapped_disk_error_is_recognised(tmp_path, monkeypatch):
    """PIL turns a failed write into AttributeError ('_idat' ... 'fileno'); a full disk still says so."""
    monkeypatch.setattr(atomic, "_disk_full", lambda folder: True)
    with pytest.raises(OutputError, match="no space left"):
        with atomic_open(tmp_path / "x.png") as fh:
            fh.write(b"..")
            raise AttributeError("'_idat' object has no attribute 'fileno'")
    assert list(tmp_path.iterdir()) == []


def test_guard_sees_every_write(tmp_path):
    seen = []

    def guard(path, done=False):
        seen.append((path.name, done))
        if path.name == "no.txt":
            raise OutputError("refused")

    with guarded(guard):
        write_text(tmp_path / "yes.txt", "1")
        with pytest.raises(OutputError):
            write_text(tmp_path / "no.txt", "2")
    write_text(tmp_path / "after.txt", "3")  # outside the block: not guarded
    assert seen == [("yes.txt", False), ("yes.txt", True), ("no.txt", False)]
    assert not (tmp_path / "no.txt").exists()


def test_unsupported_mode(tmp_path):
    with pytest.raises(ValueError):
        with atomic_open(tmp_path / "x", "a"):
            pass


def test_file_mode_is_readable(tmp_path):
    p = write_text(tmp_path / "m.txt", "x")
    assert os.stat(p).st_mode & 0o444
