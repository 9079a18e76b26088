"""The bundled scenarios' claims: every training scenario and optimizer race
declares what its figures must show, the claims parse against its labels,
and the cheap ones (optimizer races, deterministic) hold at full size here;
the training scenarios are verified at full size by .ci/run."""
from __future__ import annotations

import pytest

from gradviz.claims import evaluate_all, fill, of
from gradviz.cli import bundled_scenarios
from gradviz.scenario import load_scenario

BUNDLED = {name: load_scenario(path) for name, path in bundled_scenarios().items()}


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_every_training_scenario_declares_claims(name):
    sc = BUNDLED[name]
    if sc.kind == "precision":
        assert not sc.claims  # nothing is trained: nothing to claim about a recording
        return
    claims = of(sc)
    assert len(claims) >= 1, f"{name} declares no [[claims]]"
    assert all(c.text.strip() for c in claims)


@pytest.mark.parametrize("name", sorted(n for n, sc in BUNDLED.items() if sc.kind == "training"))
def test_statistical_claims_use_at_least_five_seeds(name):
    assert BUNDLED[name].seeds >= 5, f"{name}: claims over seeds need seeds ≥ 5"


@pytest.mark.parametrize("name", sorted(n for n, sc in BUNDLED.items() if sc.kind == "surface"))
def test_optimizer_race_claims_hold_at_full_size(name):
    from gradviz.engine.surfaces import race

    sc = BUNDLED[name]
    verdicts = evaluate_all(of(sc), race(sc))
    failed = [v.claim.text for v in verdicts if not v.passed]
    assert failed == []
    text = fill(sc.description, verdicts)
    assert "{claim" not in text
