"""gradviz.manifest: safe names, the lock, and the manifest's ownership rules."""
import os
import subprocess
import sys

import pytest

from gradviz.atomic import OutputError, write_text
from gradviz.manifest import LOCK, MANIFEST, OutputFolder, locked, safe_name


@pytest.mark.parametrize("stem", ["initialization", "my-scenario_2", "ünïcode", "a.b"])
def test_safe_names_pass(stem):
    assert safe_name(stem) == stem


@pytest.mark.parametrize("stem", ["", ".", "..", " . ", "a/b", "a\\b", "a\x00b", "a\nb", "x" * 121])
def test_unsafe_names_refused(stem):
    with pytest.raises(OutputError, match="cannot name an output folder"):
        safe_name(stem)


def test_lock_is_exclusive_and_released(tmp_path):
    with locked(tmp_path):
        assert (tmp_path / LOCK).read_text().strip() == str(os.getpid())
        with pytest.raises(OutputError, match=f"pid {os.getpid()}"):
            with locked(tmp_path):
                pass
    assert not (tmp_path / LOCK).exists()


def test_stale_lock_taken_over(tmp_path):
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    (tmp_path / LOCK).write_text(f"{p.pid}\n")
    with locked(tmp_path):
        assert (tmp_path / LOCK).read_text().strip() == str(os.getpid())


def test_garbage_lock_is_stale(tmp_path):
    (tmp_path / LOCK).write_text("not a pid")
    with locked(tmp_path):
        pass


def test_manifest_owns_only_what_it_wrote(tmp_path):
    folder = OutputFolder(tmp_path / "o", source="/a/s.toml")
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "notes.md").write_text("mine")
    with folder.writing():
        write_text(tmp_path / "o" / "README.md", "gradviz")
        write_text(tmp_path / "o" / "README.md", "again")  # ours: fine
        with pytest.raises(OutputError, match="not written by gradviz"):
            write_text(tmp_path / "o" / "notes.md", "overwrite")
    assert (tmp_path / "o" / "notes.md").read_text() == "mine"
    again = OutputFolder(tmp_path / "o", source="/a/s.toml")
    assert again.owns(tmp_path / "o" / "README.md")
    (tmp_path / "o" / "README.md").write_text("hand edit, longer than before")
    assert not OutputFolder(tmp_path / "o", source=None).owns(tmp_path / "o" / "README.md")


def test_other_source_refused(tmp_path):
    with OutputFolder(tmp_path, source="/a/s.toml").writing():
        write_text(tmp_path / "scenario.toml", "x")
    with pytest.raises(OutputError, match="/a/s.toml"):
        with OutputFolder(tmp_path, source="/b/s.toml").writing():
            pass
    assert (tmp_path / MANIFEST).is_file()


def test_corrupt_manifest_owns_nothing(tmp_path):
    (tmp_path / MANIFEST).write_text("{not json")
    (tmp_path / "README.md").write_text("x")
    assert not OutputFolder(tmp_path, None).owns(tmp_path / "README.md")


def test_recording_replaceable_after_corruption(tmp_path):
    with OutputFolder(tmp_path, None).writing():
        write_text(tmp_path / "recording.npz", "rec")
    (tmp_path / "recording.npz").write_bytes(b"")  # corrupted: may be simulated again
    with OutputFolder(tmp_path, None).writing():
        write_text(tmp_path / "recording.npz", "rec2")
    assert (tmp_path / "recording.npz").read_text() == "rec2"
