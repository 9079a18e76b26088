"""gradviz: see how gradients and numbers behave inside deep networks.

Python API::

    import gradviz
    sc = gradviz.load_scenario("scenarios/initialization.toml")
    rec = gradviz.simulate(sc)            # a Recording (numba kernels)
    rec.save("outputs/initialization/recording.npz")
    rec = gradviz.load_recording("outputs/initialization/recording.npz")
    rec.get("grad_w_norm")                # [variant, record, layer]
"""
__version__ = "0.1.0"

from .record import Recording, load_recording  # noqa: E402
from .scenario import Scenario, ScenarioError, load_scenario  # noqa: E402


def simulate(scenario, progress=None) -> Recording:
    """Train every variant of ``scenario`` (a Scenario, path or dict)."""
    from .engine.simulation import simulate as _simulate  # imports numba only when simulating

    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    return _simulate(scenario, progress=progress)


__all__ = ["Recording", "Scenario", "ScenarioError", "load_recording", "load_scenario", "simulate",
           "__version__"]
