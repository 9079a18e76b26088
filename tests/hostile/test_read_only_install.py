"""A truly read-only install: numba falls back to a user cache directory.

Why a mount namespace: the suite often runs as root, and root writes through
any chmod, so the only honest read-only package directory is a read-only
bind mount. ``unshare -rm`` (a user and mount namespace, no privileges
needed where user namespaces are allowed) mounts a copy of the installed
package read-only over itself and renders from it; writes there fail with
EROFS whoever we are.
"""
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import gradviz
from gradviz.record import Recording

from .conftest import TINY, snapshot, temp_files

FALLBACK = "is not writable; numba caches the compiled kernels in"


def _why_no_read_only_mount(probe: Path) -> str | None:
    """None if ``unshare -rm`` can bind-mount a folder read-only here, else why not."""
    if not sys.platform.startswith("linux"):
        return "needs Linux mount namespaces"
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return "needs unshare(1) and mount(8) (util-linux)"
    probe.mkdir()
    r = subprocess.run(["unshare", "-rm", "sh", "-c", 'mount --bind -o ro "$0" "$0" && ! touch "$0/x"', str(probe)],
                       capture_output=True, text=True)
    if r.returncode:
        return f"unshare -rm cannot make a read-only bind mount here ({' '.join(r.stderr.split())[:200]})"
    return None


def _numba_subdir(folder: Path) -> str:
    # numba's layout of a NUMBA_CACHE_DIR: <dir name>_<sha1 of the absolute dir>
    return f"{folder.name}_{hashlib.sha1(str(folder).encode()).hexdigest()}"


def _seed_cache(engine: Path, cache: Path) -> None:
    """Copy this checkout's compiled kernels to where numba will look for the
    copy's, so the test loads instead of compiling (minutes on a loaded
    machine). numba checks the source's mtime and size, which copy2 keeps; a
    miss (another numba layout) only costs the compile, never a result."""
    import numba

    from gradviz.engine import kernels

    source = Path(kernels.__file__).resolve().parent
    places = [source / "__pycache__"]
    if numba.config.CACHE_DIR:
        places.append(Path(numba.config.CACHE_DIR) / _numba_subdir(source))
    target = cache / _numba_subdir(engine)
    target.mkdir(parents=True)
    for place in places:
        for f in place.glob("kernels.*.nb[ic]"):
            shutil.copy2(f, target / f.name)


@pytest.mark.parametrize("home", ["writable", "read-only"])
def test_read_only_install_caches_kernels_in_a_user_cache(tmp_path, home):
    """A writable home: $XDG_CACHE_HOME/gradviz/numba. A read-only home too (numba's
    own fallback, ~/.cache, fails there with "no locator available"): a
    per-user folder in $TMPDIR."""
    why = _why_no_read_only_mount(tmp_path / "probe")
    if why:
        pytest.skip(why)
    site = tmp_path / "site"
    shutil.copytree(Path(gradviz.__file__).resolve().parent, site / "gradviz",
                    ignore=shutil.ignore_patterns("__pycache__"))  # what a wheel installs: no caches
    env = {k: v for k, v in os.environ.items() if k not in ("NUMBA_CACHE_DIR", "PYTHONPATH", "XDG_CACHE_HOME")}
    env.update(PYTHONPATH=str(site), TMPDIR=str(tmp_path / "tmp"), MPLCONFIGDIR=str(tmp_path / "mpl"))
    (tmp_path / "tmp").mkdir()
    if home == "writable":
        env.update(HOME=str(tmp_path / "home"), XDG_CACHE_HOME=str(tmp_path / "xdg"))
        cache = tmp_path / "xdg" / "gradviz" / "numba"
    else:
        (site / "home").mkdir()  # inside the read-only mount
        env.update(HOME=str(site / "home"))
        cache = tmp_path / "tmp" / "gradviz-numba-0"  # uid 0: unshare -r maps us to root
    _seed_cache(site / "gradviz" / "engine", cache)
    work = tmp_path / "work"
    work.mkdir()
    (work / "s.toml").write_text(TINY)
    before = snapshot(site)
    r = subprocess.run(["unshare", "-rm", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"', str(site),
                        sys.executable, "-m", "gradviz.cli", "render", "s.toml"],
                       cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    said = [ln for ln in r.stderr.splitlines() if FALLBACK in ln]
    assert said == [f"gradviz: {site / 'gradviz' / 'engine'} {FALLBACK} {cache}"], r.stderr  # the copy, once
    assert (work / "outputs" / "s" / "loss.png").stat().st_size > 0
    Recording.load(work / "outputs" / "s" / "recording.npz")
    assert snapshot(site) == before  # nothing written into the package, not even a .pyc
    assert list(cache.glob("*/kernels.*.nbi"))  # numba's index lives in the user cache
    assert temp_files(work) == []
