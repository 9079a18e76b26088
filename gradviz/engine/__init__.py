"""The engine: numba kernels (one module, for numba's cache), the training loop
over variants, and the optimizer races on 2-D surfaces.

Only this package imports numba. Rendering code reads the Recording it
produces and never imports from here.

Importing the package first makes sure numba has somewhere to cache the
compiled kernels: numba writes next to kernels.py, so a read-only install
(system site-packages, a container image) gets a user cache directory
instead, said once on stderr. This must run before kernels.py is imported,
because numba picks the cache location when a function is decorated.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def _writable(path: Path) -> bool:
    """Whether a directory could be created or written at ``path``."""
    while not path.exists():
        if path.parent == path:
            return False
        path = path.parent
    return path.is_dir() and os.access(path, os.W_OK | os.X_OK)


def pick_cache_dir(package_dir: Path, environ, writable=_writable) -> Path | None:
    """The directory numba should cache into, or None to keep numba's default
    (the package's own ``__pycache__`` is writable, or NUMBA_CACHE_DIR is set)."""
    if environ.get("NUMBA_CACHE_DIR") or writable(package_dir / "__pycache__"):
        return None
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    for candidate in (Path(base) / "gradviz" / "numba", Path(tempfile.gettempdir()) / f"gradviz-numba-{uid}"):
        if writable(candidate):
            return candidate
    return None


def _use_fallback_cache() -> None:
    here = Path(__file__).resolve().parent
    target = pick_cache_dir(here, os.environ)
    if target is None:
        return
    target.mkdir(parents=True, exist_ok=True)
    os.environ["NUMBA_CACHE_DIR"] = str(target)
    if "numba" in sys.modules:  # imported already: its config read the environment before
        sys.modules["numba"].config.CACHE_DIR = str(target)
    print(f"gradviz: {here} is not writable; numba caches the compiled kernels in {target}", file=sys.stderr)


_use_fallback_cache()
