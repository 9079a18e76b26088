"""Optimizer races on 2-D loss surfaces (scenario ``kind = "surface"``).

The optimizers are the engine's own (``kernels.optimizer_step``), run on a
two-parameter "network" whose gradient is the surface's closed form; only the
loss function differs from the MLP runs.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import __version__
from . import kernels as K
from ..record import Recording
from ..scenario import Scenario
from .net import kernel_config
from .simulation import lr_at  # one step = one epoch for the schedules


@dataclass(frozen=True)
class Surface:
    name: str
    formula: str
    start: tuple[float, float]
    minimum: tuple[float, float]
    xlim: tuple[float, float]
    ylim: tuple[float, float]

    def f(self, x, y, c=20.0):
        if self.name == "beale":
            return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2
        if self.name == "rosenbrock":
            return (1 - x) ** 2 + 100 * (y - x ** 2) ** 2
        if self.name == "saddle":
            return x ** 2 + 0.25 * y ** 4 - 0.5 * y ** 2
        return 0.5 * (x ** 2 + c * y ** 2)  # quadratic, condition number c

    def grad(self, x, y, c=20.0):
        if self.name == "beale":
            a, b, d = 1.5 - x + x * y, 2.25 - x + x * y ** 2, 2.625 - x + x * y ** 3
            return (2 * a * (y - 1) + 2 * b * (y ** 2 - 1) + 2 * d * (y ** 3 - 1),
                    2 * a * x + 2 * b * 2 * x * y + 2 * d * 3 * x * y ** 2)
        if self.name == "rosenbrock":
            return -2 * (1 - x) - 400 * x * (y - x ** 2), 200 * (y - x ** 2)
        if self.name == "saddle":
            return 2 * x, y ** 3 - y
        return x, c * y


SURFACES = {
    "beale": Surface("beale", "(1.5−x+xy)² + (2.25−x+xy²)² + (2.625−x+xy³)²", (1.0, 1.4), (3.0, 0.5),
                     (-0.5, 4.0), (-1.5, 2.0)),
    "rosenbrock": Surface("rosenbrock", "(1−x)² + 100 (y−x²)²", (-1.2, 1.0), (1.0, 1.0), (-2.0, 2.0), (-1.0, 3.0)),
    "saddle": Surface("saddle", "x² + y⁴/4 − y²/2", (1.5, 1e-3), (0.0, 1.0), (-2.0, 2.0), (-1.6, 1.6)),
    "quadratic": Surface("quadratic", "(x² + κ y²)/2", (-4.0, 1.5), (0.0, 0.0), (-5.0, 5.0), (-2.0, 2.0)),
}
DEFAULT_STEPS = 150
# the point (x, y) as a network of one 1x2 weight matrix and no bias, in the
# kernels' layout, so kernels.update runs exactly the networks' optimizer code
_LAYOUT = np.array([[0, 2, -1, -1, 1, 2, 0]], dtype=np.int64)


def race(scenario: Scenario, progress=None, grid: int = 200) -> Recording:
    """Run every variant's optimizer on the scenario's surface."""
    variants = scenario.expand()
    surf = SURFACES[scenario.surface.name]
    c = scenario.surface.condition
    steps = [sc.train.steps or DEFAULT_STEPS for _, sc in variants]
    T = max(steps)
    paths = np.full((len(variants), T + 1, 2), np.nan)
    losses = np.full((len(variants), T + 1), np.nan)
    lrs = np.full((len(variants), T + 1), np.nan)
    gnorms = np.full((len(variants), T + 1), np.nan)
    first_bad = np.full(len(variants), -1, dtype=np.int64)
    for v, (_, sc) in enumerate(variants):
        t_ = sc.train
        start = sc.surface.start or surf.start
        theta = np.array(start, dtype=np.float64)
        s1, s2 = np.zeros(2), np.zeros(2)
        cfg, hp = kernel_config(sc, np.float64)  # the networks' optimizer settings, as they get them
        stats = np.zeros((1, len(K.LAYER_STATS)))

        for step in range(steps[v] + 1):
            paths[v, step] = theta
            with np.errstate(over="ignore", invalid="ignore"):  # divergence is data
                losses[v, step] = surf.f(theta[0], theta[1], c)
            if not (np.all(np.isfinite(theta)) and math.isfinite(losses[v, step])):
                first_bad[v] = step
                break
            if step == steps[v]:
                break
            g = np.array(surf.grad(theta[0], theta[1], c), dtype=np.float64)
            gnorms[v, step] = float(np.linalg.norm(g))
            K.clip(g, hp, gnorms[v, step])
            lr = lr_at(t_, step, 1, steps[v])
            lrs[v, step] = lr
            K.update(theta, g, s1, s2, _LAYOUT, cfg, hp, lr, step + 1, stats, False)
        if progress is not None:
            progress(v + 1, len(variants))
    xs = np.linspace(*surf.xlim, grid)
    ys = np.linspace(*surf.ylim, grid)
    gx, gy = np.meshgrid(xs, ys)
    rec = Recording()
    rec.add("path", paths, ("variant", "step", "coord"))
    rec.add("path_loss", losses, ("variant", "step"))
    rec.add("trace_lr", lrs, ("variant", "step"))
    rec.add("trace_grad_norm", gnorms, ("variant", "step"))
    rec.add("first_nonfinite_step", first_bad, ("variant",))
    rec.add("surface_xs", xs, ("gx",))
    rec.add("surface_ys", ys, ("gy",))
    rec.add("surface_z", surf.f(gx, gy, c), ("gy", "gx"))
    rec.meta.update(
        labels=[label for label, _ in variants], steps=list(range(T + 1)), title=scenario.title,
        description=scenario.description, surface=surf.name, surface_formula=surf.formula,
        surface_minimum=list(surf.minimum), surface_min_value=float(surf.f(*surf.minimum, c)),
        version=__version__, seed=scenario.seed,
        scenario=scenario.to_dict(), scenario_toml=scenario.to_toml(),
        simulation_hash=scenario.simulation_hash(), name=scenario.name, kind="surface")
    return rec
