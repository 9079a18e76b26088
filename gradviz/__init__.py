"""gradviz: see how gradients and numbers behave inside deep networks.

Python API (README section "Python API")::

    import gradviz
    sc = gradviz.load_scenario("initialization").with_overrides({"model.depth": 8})
    rec = gradviz.simulate(sc)            # a Recording; a text progress bar
    gradviz.figure(rec, "grad_norms")     # a matplotlib Figure, inline in Jupyter
    gradviz.animation(rec, "hist_anim")   # a GIF, inline in Jupyter; .save("a.gif")
    rec.save("outputs/initialization/recording.npz")
    rec = gradviz.load_recording("outputs/initialization/recording.npz")
    rec.get("grad_w_norm")                # [variant, record, layer]
"""
__version__ = "0.1.0"

from .api import Animation, GradvizFigure, animation, figure, load_scenario, simulate  # noqa: E402
from .record import Recording, load_recording  # noqa: E402
from .scenario import Scenario, ScenarioError  # noqa: E402

__all__ = ["Animation", "GradvizFigure", "Recording", "Scenario", "ScenarioError", "animation", "figure",
           "load_recording", "load_scenario", "simulate", "__version__"]
