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

The names below are imported on first use, so that the `gradviz` command
(gradviz.cli) answers Ctrl-C from its first line on, before numpy and
matplotlib load.
"""
__version__ = "0.1.0"

_HOME = {"Animation": "api", "GradvizFigure": "api", "animation": "api", "figure": "api",
         "load_scenario": "api", "simulate": "api", "Recording": "record", "load_recording": "record",
         "Scenario": "scenario", "ScenarioError": "scenario"}
__all__ = [*sorted(_HOME), "__version__"]


def __getattr__(name):
    if name not in _HOME:
        raise AttributeError(f"module 'gradviz' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted({*globals(), *_HOME})
