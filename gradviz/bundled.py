"""Which scenario file a name means: the bundled scenarios, and NAME resolution.

``gradviz render/check/verify NAME`` and ``gradviz.load_scenario(NAME)`` resolve
here, so the shell and a notebook find the same file: a path is a path; a bare
NAME is ``./NAME.toml`` when it exists (your edited copy wins), else the bundled
scenario NAME. ``say`` is told which file a bare name found.
"""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from .names import did_you_mean
from .scenario import ScenarioError


def bundled_scenarios() -> dict[str, Path]:
    """Name -> path of every scenario shipped with gradviz."""
    try:
        folder = resources.files("gradviz.scenarios")
    except ModuleNotFoundError:  # running from a source checkout: ../scenarios
        folder = Path(__file__).resolve().parent.parent / "scenarios"
    return {p.name[:-5]: Path(str(p)) for p in sorted(folder.iterdir(), key=lambda p: p.name)
            if p.name.endswith(".toml")}


def resolve(path_or_name: str, say=None) -> Path:
    """The scenario file ``path_or_name`` means; a ScenarioError when a bare name finds none."""
    p = Path(path_or_name)
    # a folder named like the scenario (e.g. after `--out .`) is not a scenario file
    if p.is_file() or p.suffix == ".toml" or os.sep in path_or_name or "/" in path_or_name:
        return p
    local = Path(f"{path_or_name}.toml")
    bundled = bundled_scenarios()
    if local.is_file():
        if say:
            also = f" rather than the bundled {bundled[path_or_name]}" if path_or_name in bundled else ""
            say(f"{path_or_name}: using ./{local}{also}")
        return local
    if path_or_name in bundled:
        if say:
            say(f"{path_or_name}: using the bundled scenario {bundled[path_or_name]}")
        return bundled[path_or_name]
    raise ScenarioError("$", f"no file {path_or_name!r}, no ./{local} and no bundled scenario of that name"
                             f"{did_you_mean(path_or_name, bundled)}; `gradviz list` shows them")
