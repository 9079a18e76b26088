"""Shared harness of the malformed-input suite: run the CLI in a scratch folder
and check that a failure is clean.

A clean failure: the expected exit code, one line on stderr naming the key,
no traceback, no exception escaping click, nothing written outside the output
folder (a snapshot of the scratch folder before and after) and no temporary
file anywhere.
"""
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from gradviz.atomic import TMP_PREFIX
from gradviz.cli import main

TINY = """title = "tiny"
seed = 1

[data]
kind = "moons"
samples = 120

[model]
depth = 2
width = 4

[train]
steps = 20
batch_size = 16

[record]
every = 5
bins = 8

[render]
figures = ["loss"]
dpi = 50
"""


def snapshot(root: Path, skip=("outputs",)) -> dict:
    """Every file under ``root`` (outside ``skip``) -> (size, mtime_ns, link target)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel = Path(dirpath).relative_to(root)
        if rel.parts and rel.parts[0] in skip:
            continue
        for name in filenames + [d for d in dirnames if (Path(dirpath) / d).is_symlink()]:
            p = Path(dirpath) / name
            st = p.lstat()
            out[str(rel / name)] = (st.st_size, st.st_mtime_ns, os.readlink(p) if p.is_symlink() else None)
    return out


def temp_files(root: Path) -> list[str]:
    return sorted(str(p) for p in root.rglob("*") if p.name.startswith(TMP_PREFIX) or p.name.endswith(".partial"))


MESSAGES: set[str] = set()   # distinct failure messages seen (paths and numbers normalised)
CASES = [0]


def _normalise(message: str, root: Path) -> str:
    message = message.replace(str(root), "<tmp>")
    message = re.sub(r"/tmp/\S+", "<path>", message)
    message = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", message)
    return re.sub(r"\d[\d.,e+-]*", "N", message)


class Scratch:
    """A scratch working folder: write inputs, run the CLI, check the result."""

    def __init__(self, root: Path):
        self.root = root
        self.runner = CliRunner()

    def write(self, name: str, text: str | bytes) -> Path:
        p = self.root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            p.write_bytes(text)
        else:
            p.write_text(text, encoding="utf-8")
        return p

    def run(self, *args):
        before = snapshot(self.root)
        result = self.runner.invoke(main, [str(a) for a in args], catch_exceptions=True)
        result.before, result.after = before, snapshot(self.root)
        return result

    def fails(self, args, key: str | None, code: int = 1, inputs_changed: bool = False):
        """Run ``args`` and assert a clean failure naming ``key``; return the message line."""
        r = self.run(*args)
        text = r.output + (r.stderr if r.stderr_bytes is not None else "")
        assert r.exception is None or isinstance(r.exception, SystemExit), (
            f"uncaught {type(r.exception).__name__}: {r.exception}\n{text}")
        assert "Traceback" not in text, text
        assert r.exit_code == code, (r.exit_code, text)
        lines = [ln for ln in r.stderr.strip().splitlines() if ln.strip()]
        message = lines[-1] if lines else ""
        if code == 1:
            assert len(lines) >= 1 and message.startswith("error: "), text
            assert len([ln for ln in lines if ln.startswith("error")]) == 1, text
        if key is not None:
            assert key in message, (key, message)
        MESSAGES.add(_normalise(message, self.root))
        CASES[0] += 1
        if not inputs_changed:
            assert r.after == r.before, "files outside outputs/ changed"
        assert temp_files(self.root) == [], temp_files(self.root)
        return message


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    root = tmp_path / "work"
    root.mkdir()
    monkeypatch.chdir(root)
    return Scratch(root)


def pytest_terminal_summary(terminalreporter):
    if CASES[0]:
        shapes = {re.sub(r"\$[\w.\[\]\"]*", "$KEY", m) for m in MESSAGES}
        terminalreporter.write_line(f"hostile suite: {CASES[0]} failing CLI runs checked, "
                                    f"{len(MESSAGES)} distinct error messages ({len(shapes)} apart from the key)")
