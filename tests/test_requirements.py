"""What check predicts a run records is what the run records."""
from __future__ import annotations

import pytest

import gradviz
from gradviz.requirements import check_requirements, expected_arrays
from gradviz.scenario import ScenarioError

BASE = """
seed = 3
[data]
kind = "{kind}"
samples = 90
features = {features}
[model]
depth = 2
width = 6
[train]
steps = 6
batch_size = 30
clip_norm = {clip}
ensemble = {ensemble}
[record]
every = 3
boundary = {boundary}
[render]
figures = ["grad_norms"]
"""


@pytest.mark.parametrize("kind,features,clip,ensemble,boundary", [
    ("moons", 2, 0.0, 1, 0),
    ("moons", 2, 1.0, 2, 8),
    ("gaussian", 3, 0.0, 1, 8),   # boundary asked for, but the data are not 2-D: none recorded
])
def test_prediction_matches_a_real_run(kind, features, clip, ensemble, boundary):
    sc = gradviz.load_scenario(BASE.format(kind=kind, features=features, clip=clip, ensemble=ensemble,
                                           boundary=boundary))
    rec = gradviz.simulate(sc)
    assert expected_arrays(sc) == set(rec.arrays)


def test_boundary_figure_needs_two_d_data():
    sc = gradviz.load_scenario(BASE.format(kind="gaussian", features=3, clip=0.0, ensemble=1, boundary=8)
                               .replace('["grad_norms"]', '["decision_boundary"]'))
    with pytest.raises(ScenarioError, match=r"\$\.render\.figures\[0\]: 'decision_boundary' needs boundary_class"):
        check_requirements(sc)
    two_d = gradviz.load_scenario(BASE.format(kind="moons", features=2, clip=0.0, ensemble=1, boundary=8)
                                  .replace('["grad_norms"]', '["decision_boundary"]'))
    check_requirements(two_d)
