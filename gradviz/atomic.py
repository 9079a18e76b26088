"""Atomic, symlink-safe file output: the one way gradviz writes a file.

Every write goes to a fresh temporary file in the target's own folder (a
unique name, created with ``O_EXCL | O_NOFOLLOW`` so a planted file or link
is never followed), is flushed and fsync'ed, then renamed over the target
with ``os.replace``. An interrupted run (Ctrl-C, SIGTERM, a crash, a full
disk) leaves the old file or the new one, never half of one and never the
temporary file. A target or target folder that is a symbolic link is refused:
following it could write anywhere on the disk.

A *guard* (see :func:`guarded`) lets the caller veto or record each write,
which is how an output folder refuses to overwrite files gradviz did not
write (``outputs.py``).
"""
from __future__ import annotations

import contextvars
import errno
import io
import os
import secrets
from contextlib import contextmanager
from pathlib import Path

TMP_PREFIX = ".gradviz-tmp-"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_guard: contextvars.ContextVar = contextvars.ContextVar("gradviz_write_guard", default=None)


class OutputError(OSError):
    """A file gradviz refuses to (or cannot) write; the message is one line for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def check_no_symlink(path: Path, what: str = "output") -> None:
    """Refuse ``path`` if it, or its folder, is a symbolic link."""
    path = Path(path)
    for p in (path.parent, path):
        if p.is_symlink():
            raise OutputError(f"{p}: is a symbolic link (to {os.readlink(p)}); gradviz does not write "
                              f"{what} through links: remove the link or choose another --out folder")


def disk_error(exc: OSError, path: Path) -> OutputError:
    """The one-line OutputError for an OSError while writing ``path``."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(f"{path}: no space left on the device (nothing half-written was kept); "
                           "free some space or render into another --out folder")
    return OutputError(f"{path}: cannot write ({exc.strerror or exc})")


def _disk_full(folder: Path) -> bool:
    try:
        return os.statvfs(folder).f_bavail == 0
    except (OSError, AttributeError):
        return False


@contextmanager
def guarded(check):
    """Within the block, ``check(path)`` is called before and ``check(path, done=True)``
    after every :func:`atomic_open` target is replaced."""
    token = _guard.set(check)
    try:
        yield
    finally:
        _guard.reset(token)


@contextmanager
def atomic_open(path, mode: str = "wb", **kwargs):
    """``with atomic_open(p) as fh: ...`` -- ``p`` appears complete or not at all."""
    if mode not in ("w", "wb", "wt"):
        raise ValueError(f"atomic_open writes whole files; mode {mode!r} is not supported")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    check_no_symlink(path)
    guard = _guard.get()
    if guard is not None:
        guard(path)
    tmp = path.with_name(f"{TMP_PREFIX}{secrets.token_hex(6)}-{path.name}"[:255])
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644)
    except OSError as exc:
        raise disk_error(exc, path) from None
    try:
        raw = os.fdopen(fd, "wb")
        fh = raw if "b" in mode else io.TextIOWrapper(raw, **{"encoding": "utf-8", **kwargs})
        try:
            with fh:
                yield fh
                fh.flush()
                os.fsync(raw.fileno())
        except OSError as exc:
            raise disk_error(exc, path) from None
        except Exception:
            # a writer that wraps the OSError (PIL: "'_idat' object has no attribute 'fileno'")
            if _disk_full(path.parent):
                raise disk_error(OSError(errno.ENOSPC, "no space"), path) from None
            raise
        check_no_symlink(path)  # planted while we wrote? os.replace would not follow it, but say so
        os.replace(tmp, path)
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
    if guard is not None:
        guard(path, done=True)


def write_text(path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return Path(path)


def write_bytes(path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    with atomic_open(path, "wb") as fh:
        fh.write(data)
    return Path(path)
