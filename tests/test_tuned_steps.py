"""The optimizer races say each optimizer runs at its own tuned step: check it.

"Tuned" means what the races' descriptions say: no step η = 10^(k/4) between
10⁻⁶ and 10 ends closer to the minimum (lower final loss; a diverged run
counts as +inf) than the scenario's own step. A race that compared a tuned
optimizer against a handicapped one would teach the wrong winner, so this
test fails when a change to an optimizer or a surface moves the best step.
"""
from __future__ import annotations

import numpy as np
import pytest

import gradviz
from gradviz.scenario import parse

GRID = [float(f"{10 ** (k / 4):.3g}") for k in range(-24, 5)]
#: race -> variants deliberately NOT at their best step (and why)
UNTUNED = {
    "optimizer_race": set(),
    "beale_race": {"SGD η = 0.045"},  # the step just past stability: the race shows it blow up
}


def _simulate(scenario, figure: str, overrides: list[dict]):
    """``scenario`` with one variant per dict of dotted ``overrides`` instead of
    its own (labelled by index), drawing only ``figure``, simulated."""
    raw = {k: v for k, v in scenario.to_dict().items()
           if k not in ("description", "render", "variants", "claims", "translations")}
    raw["render"] = {"figures": [figure]}
    raw["variants"] = [{"label": str(i), **o} for i, o in enumerate(overrides)]
    return gradviz.simulate(parse(raw), progress=False)


def _final_loss(scenario, variant, steps: list[float]) -> np.ndarray:
    overrides = dict(variant.overrides)
    rec = _simulate(scenario, "surface", [{**overrides, "train.lr": lr} for lr in steps])
    final = rec.get("path_loss")[:, -1]
    return np.where(np.isfinite(final), final, np.inf)


def _cases():
    for name, untuned in UNTUNED.items():
        sc = gradviz.load_scenario(name)
        for v in sc.variants:
            if v.label not in untuned:
                yield pytest.param(name, v.label, id=f"{name}-{v.label}")


@pytest.mark.parametrize("name,label", list(_cases()))
def test_each_race_step_is_at_least_as_good_as_every_grid_step(name, label):
    sc = gradviz.load_scenario(name)
    variant = next(v for v in sc.variants if v.label == label)
    own_lr = dict(variant.overrides).get("train.lr", sc.to_dict()["train"]["lr"])
    own, *grid = _final_loss(sc, variant, [own_lr] + GRID)
    best = int(np.argmin(grid))
    assert np.isfinite(own), f"{label} diverges at its own step {own_lr}"
    assert own <= grid[best], (
        f"{name}: {label} at η = {own_lr} ends at f = {own:.3g}, but η = {GRID[best]} "
        f"reaches {grid[best]:.3g}: the race's step is not tuned")


def test_the_check_fails_for_a_handicapped_step():
    """The same check on a deliberately bad step (Adam at a tenth of its best) must fail."""
    sc = gradviz.load_scenario("optimizer_race")
    adam = next(v for v in sc.variants if v.label == "Adam")
    own_lr = dict(adam.overrides)["train.lr"] / 10
    own, *grid = _final_loss(sc, adam, [own_lr] + GRID)
    assert own > min(grid)


def test_each_optimizer_on_the_network_beats_its_half_decade_neighbours():
    """optimizers.toml: every rule's η beats η·10^(±1/2) in median final validation loss."""
    sc = gradviz.load_scenario("optimizers")
    tried = []
    for v in sc.variants:
        lr = dict(v.overrides)["train.lr"]
        for factor in (1.0, 10 ** -0.5, 10 ** 0.5):
            tried.append((v.label, factor, {**dict(v.overrides), "train.lr": lr * factor}))
    val = _simulate(sc, "loss", [o for _, _, o in tried]).get("val_loss")[:, :, -1]
    median = np.median(np.where(np.isfinite(val), val, np.inf), axis=1)
    for i in range(0, len(tried), 3):
        own, smaller, larger = median[i:i + 3]
        assert own < min(smaller, larger), (
            f"{tried[i][0]}: median final validation loss {own:.3g}, but η×10^(-1/2) gives "
            f"{smaller:.3g} and η×10^(1/2) {larger:.3g}: the step is not tuned")
