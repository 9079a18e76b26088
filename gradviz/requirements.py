"""What a scenario's Recording will hold, and which of its figures and
animations could not be drawn from it: so `gradviz check` (and `render`,
before training) refuses what would otherwise fail after a long run.

The arrays come from :mod:`gradviz.quantities` (``when`` says which runs
record each one), the needs from each figure's and animation's ``REQUIRES``.
"""
from __future__ import annotations

from . import quantities
from .scenario import Scenario, ScenarioError

_TWO_D = ("spirals", "circles", "xor", "moons", "blobs")
# what each optional group of arrays needs switched on, for the message
_HOW = {"boundary": "record.boundary > 0 with 2-D data (spirals, circles, xor, moons, blobs)",
        "ensemble": "train.ensemble > 1", "weights": "record.weights = true",
        "surface": 'kind = "surface"', "training": 'kind = "training"',
        "clipping": "train.clip_norm or train.clip_value > 0"}
# an optimizer race records these besides its own arrays (engine/surfaces.py)
_RACE_EXTRA = ("trace_lr", "trace_grad_norm", "first_nonfinite_step")


def recorded_groups(sc: Scenario) -> set[str]:
    """The ``when`` groups of quantities a run of ``sc`` records (every variant must qualify)."""
    if sc.kind == "surface":
        return {"surface"}
    groups = {"training"}
    variants = [v for _, v in sc.expand()]
    if all(v.record.boundary > 0 and _two_d(v) for v in variants):
        groups.add("boundary")
    if all(v.train.ensemble > 1 for v in variants):
        groups.add("ensemble")
    if all(v.record.weights for v in variants):
        groups.add("weights")
    if any(v.train.clip_norm > 0 or v.train.clip_value > 0 for v in variants):  # as engine/simulation.py
        groups.add("clipping")
    return groups


def expected_arrays(sc: Scenario) -> set[str]:
    """Names of the arrays a Recording of ``sc`` will have."""
    groups = recorded_groups(sc)
    names = {q.name for q in quantities.QUANTITIES if q.when in groups}
    return names | set(_RACE_EXTRA) if sc.kind == "surface" else names


def check_requirements(sc: Scenario) -> None:
    """Raise ScenarioError naming the first figure or animation of ``sc`` whose
    required arrays its run will not record (nothing to check for kind = "precision")."""
    if sc.kind == "precision":
        return
    from .animations import ANIMATIONS
    from .figures import FIGURES
    from .figures.pipeline import missing_arrays

    have = expected_arrays(sc)
    for key, registry in (("figures", FIGURES), ("animations", ANIMATIONS)):
        for i, name in enumerate(getattr(sc.render, key)):
            spec = registry.get(name)
            missing = missing_arrays(have, spec.requires) if spec is not None else []
            if missing:
                raise ScenarioError(f"$.render.{key}[{i}]", f"{name!r} needs {', '.join(missing)}, which this "
                                    f"scenario does not record{_hint(missing)}")


def _hint(missing: list[str]) -> str:
    for q in quantities.QUANTITIES:
        if q.name in " or ".join(missing).split(" or ") and q.when in _HOW:
            return f" (set {_HOW[q.when]})"
    return ""


def _two_d(sc: Scenario) -> bool:
    d = sc.data
    return d.kind in _TWO_D or (d.kind == "gaussian" and d.features == 2) or d.kind == "file"
