"""A read-only install still caches numba's kernels: in a user cache directory."""
import os
import subprocess
import sys
from pathlib import Path

from gradviz.engine import pick_cache_dir


def test_writable_package_keeps_numbas_default(tmp_path):
    assert pick_cache_dir(tmp_path, {}) is None
    assert pick_cache_dir(tmp_path, {"NUMBA_CACHE_DIR": "/x"}, writable=lambda p: False) is None


def test_read_only_package_falls_back_to_the_user_cache(tmp_path):
    pkg = tmp_path / "site" / "gradviz" / "engine"
    read_only = lambda p: not str(p).startswith(str(tmp_path / "site")) and os.access(tmp_path, os.W_OK)  # noqa: E731
    got = pick_cache_dir(pkg, {"XDG_CACHE_HOME": str(tmp_path / "xdg")}, writable=read_only)
    assert got == tmp_path / "xdg" / "gradviz" / "numba"
    # no writable user cache either: a per-user temporary directory
    only_tmp = lambda p: "gradviz-numba" in str(p)  # noqa: E731
    got = pick_cache_dir(pkg, {"XDG_CACHE_HOME": str(tmp_path / "xdg")}, writable=only_tmp)
    assert got is not None and got.name.startswith("gradviz-numba-")


def test_the_fallback_is_set_before_numba_and_said_once(tmp_path):
    """Run the package's own fallback with its directory seen as read-only."""
    code = ("import os, sys, gradviz.engine as E\n"
            "E.pick_cache_dir.__globals__['_writable'] = lambda p: 'xdg' in str(p)\n"
            "os.environ.pop('NUMBA_CACHE_DIR', None)\n"
            "E.pick_cache_dir.__defaults__ = (E.pick_cache_dir.__globals__['_writable'],)\n"
            "E._use_fallback_cache()\n"
            "import numba\n"
            "print(numba.config.CACHE_DIR)\n")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    env.pop("NUMBA_CACHE_DIR", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    target = tmp_path / "xdg" / "gradviz" / "numba"
    assert out.stdout.strip() == str(target) and target.is_dir()
    assert out.stderr.count("numba caches the compiled kernels in") == 1
