"""Optimizer races: surface gradients against finite differences, and the
race's steps against the update rule by hand."""
import numpy as np
import pytest

from gradviz.scenario import parse
from gradviz.engine.surfaces import SURFACES, race


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_surface_gradient_matches_finite_differences(name):
    s = SURFACES[name]
    rng = np.random.default_rng(0)
    h = 1e-6
    for x, y in rng.uniform(-1.5, 1.5, (20, 2)):
        gx, gy = s.grad(x, y, 7.0)
        fx = (s.f(x + h, y, 7.0) - s.f(x - h, y, 7.0)) / (2 * h)
        fy = (s.f(x, y + h, 7.0) - s.f(x, y - h, 7.0)) / (2 * h)
        assert gx == pytest.approx(fx, rel=1e-6, abs=1e-6)
        assert gy == pytest.approx(fy, rel=1e-6, abs=1e-6)
    assert s.grad(*s.minimum, 7.0) == pytest.approx((0.0, 0.0), abs=1e-12)


def test_sgd_race_follows_the_update_rule():
    sc = parse({"kind": "surface", "surface": {"name": "quadratic", "condition": 10.0, "start": [2.0, 1.0]},
                "train": {"steps": 3, "optimizer": "sgd", "lr": 0.1}})
    rec = race(sc)
    p = np.array([2.0, 1.0])
    for step in range(4):
        np.testing.assert_allclose(rec.get("path")[0, step], p, rtol=1e-15)
        p = p - 0.1 * np.array([p[0], 10.0 * p[1]])
    assert rec.get("path_loss")[0, 0] == pytest.approx(0.5 * (4 + 10))


def test_divergent_race_is_recorded():
    sc = parse({"kind": "surface", "surface": {"name": "rosenbrock"},
                "train": {"steps": 200, "optimizer": "sgd", "lr": 0.5}})
    rec = race(sc)
    first = rec.get("first_nonfinite_step")[0]
    assert first > 0
    assert np.isnan(rec.get("path_loss")[0, first + 1:]).all()
