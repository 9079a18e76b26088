"""An output folder gradviz owns: a lock against concurrent renders and a
manifest of the files gradviz wrote there.

``.gradviz-manifest.json`` lists every file gradviz wrote (path relative to
the folder, size and modification time) and the scenario file it came from.
A file that is not in it, or that changed since (a hand-edited README.md), is
never overwritten: the render stops with a message naming the file. A second
scenario rendering into a folder written from another scenario file (``render
a/s.toml b/s.toml``) is refused the same way.

``.gradviz.lock`` (created with ``O_EXCL``, holding the pid) serialises
renders of one folder; a lock whose process is gone is stale and taken over.
"""
from __future__ import annotations

import json
import os
import re
from contextlib import contextmanager
from pathlib import Path

from .atomic import OutputError, TMP_PREFIX, check_no_symlink, disk_error, guarded, write_text

MANIFEST = ".gradviz-manifest.json"
LOCK = ".gradviz.lock"
REPLACEABLE = ("recording.npz",)
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def safe_name(stem: str, where: str = "$") -> str:
    """``stem`` as a folder name, or an OutputError saying why it cannot be one."""
    if stem in ("", ".", "..") or stem.strip(" .") == "" or _UNSAFE.search(stem) or len(stem) > 120:
        raise OutputError(f"{where}: the scenario's name {stem!r} cannot name an output folder (it must not be "
                          "'.', '..', empty, longer than 120 characters or hold separators or control "
                          "characters); rename the scenario file, e.g. to my_scenario.toml")
    return stem


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def locked(folder: Path):
    """Hold ``folder/.gradviz.lock`` for the block; refuse if a live render holds it."""
    lock = folder / LOCK
    for _ in range(2):
        try:
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
            break
        except FileExistsError:
            try:
                pid = int(lock.read_text(encoding="ascii").strip() or "0")
            except (OSError, ValueError, UnicodeDecodeError):
                pid = 0
            if pid > 0 and _alive(pid):
                raise OutputError(f"{folder}: another gradviz (pid {pid}) is rendering into this folder; "
                                  f"wait for it to finish (or delete {lock} if no gradviz is running)") from None
            try:
                os.unlink(lock)  # stale: its process is gone
            except FileNotFoundError:
                pass
    else:  # pragma: no cover - lost the race twice
        raise OutputError(f"{folder}: another gradviz is rendering into this folder; try again")
    try:
        os.write(fd, f"{os.getpid()}\n".encode())
    except OSError as exc:  # a full disk: no lock, no traceback
        os.close(fd)
        os.unlink(lock)
        raise disk_error(exc, lock) from None
    os.close(fd)
    try:
        yield
    finally:
        try:
            os.unlink(lock)
        except FileNotFoundError:
            pass


class OutputFolder:
    """The manifest of one output folder; :meth:`writing` guards every atomic write."""

    def __init__(self, folder: Path, source: str | None):
        self.folder = Path(folder)
        self.source = source
        self.entries: dict[str, list] = {}
        self.recorded_source = None
        path = self.folder / MANIFEST
        if path.is_file() and not path.is_symlink():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                self.entries = {str(k): list(v) for k, v in data.get("files", {}).items()}
                self.recorded_source = data.get("source")
            except (OSError, ValueError, AttributeError, TypeError):
                self.entries = {}  # unreadable manifest: every existing file counts as foreign

    def check_source(self) -> None:
        if self.source and self.recorded_source and self.recorded_source != self.source:
            raise OutputError(f"{self.folder}: holds the outputs of {self.recorded_source}, not of {self.source} "
                              "(two scenario files with one name); render this one with another --out folder "
                              "or rename it")

    def _stamp(self, path: Path) -> list:
        st = path.stat()
        return [st.st_size, st.st_mtime_ns]

    def owns(self, path: Path) -> bool:
        rel = self._rel(path)
        if rel in REPLACEABLE:  # derived data: corrupt or touched, gradviz may write it again
            return rel in self.entries and path.is_file() and not path.is_symlink()
        return rel in self.entries and path.is_file() and self._stamp(path) == self.entries[rel]

    def _rel(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.folder)).as_posix()

    def __call__(self, path: Path, done: bool = False) -> None:
        path = Path(path)
        rel = self._rel(path)
        if rel.startswith("../") or rel == "..":
            raise OutputError(f"{path}: outside the output folder {self.folder}; refusing to write it")
        if done:
            self.entries[rel] = self._stamp(path)
            self.save()
            return
        check_no_symlink(path)  # a planted link says so, not "not written by gradviz"
        if os.path.lexists(path) and not self.owns(path):
            changed = rel in self.entries
            raise OutputError(f"{path}: {'changed since gradviz wrote it' if changed else 'not written by gradviz'}"
                              f"; not overwriting it: move it away (or delete it) and render again, or "
                              f"render with another --out folder")

    def save(self) -> None:
        data = {"source": self.source or self.recorded_source, "files": dict(sorted(self.entries.items()))}
        with guarded(None):  # the manifest itself is gradviz's by definition
            write_text(self.folder / MANIFEST, json.dumps(data, indent=1, ensure_ascii=False) + "\n")

    @contextmanager
    def writing(self):
        """Lock the folder and guard every write in the block."""
        check_no_symlink(self.folder, "outputs")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise disk_error(exc, self.folder) from None
        check_no_symlink(self.folder, "outputs")
        with locked(self.folder):
            self.check_source()
            _remove_stale_temps(self.folder)
            with guarded(self):
                yield self


def _remove_stale_temps(folder: Path) -> None:
    """Temporary files of a render killed with SIGKILL (SIGTERM and Ctrl-C clean up themselves)."""
    for sub in (folder, *(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink())):
        for p in sub.glob(f"{TMP_PREFIX}*"):
            if p.is_file() and not p.is_symlink():
                p.unlink(missing_ok=True)
