"""panels/seeds.py: the median view over seeds, computed once per Recording's contents."""
import numpy as np
import pytest

from gradviz.panels import seeds


@pytest.fixture
def rec(make_seeded_recording):
    return make_seeded_recording("vanishing", seeds=3)


def _spy(monkeypatch, rec):
    """Count the medians computed (calls of rec.over_seeds)."""
    calls = []
    real = rec.over_seeds

    def over_seeds(name, q=(25.0, 50.0, 75.0)):
        calls.append(name)
        return real(name, q)
    monkeypatch.setattr(rec, "over_seeds", over_seeds)
    return calls


def test_the_median_view_is_numpys_median_over_the_seed_axis(rec):
    view = seeds.median_view(rec)
    for name in ("loss", "grad_w_norm", "hist_delta"):
        axis = rec.axes[name].index("seed")
        expected = np.nanmedian(rec.get(name), axis=axis)
        if np.issubdtype(rec.get(name).dtype, np.integer):
            expected = np.round(expected)
        np.testing.assert_array_equal(view.get(name), expected.astype(rec.get(name).dtype))
        assert view.axes[name] == rec.axes_of(name, seed=0)


def test_figures_of_one_recording_share_one_computation(rec, monkeypatch):
    rec.get("loss")[...] += 0.5  # contents no earlier test drew (the cache is by contents)
    calls = _spy(monkeypatch, rec)
    first = seeds.median_view(rec)
    n = len(calls)
    assert n == len([a for a in rec.axes.values() if "seed" in a])  # once per seeded array
    second = seeds.median_view(rec)
    assert len(calls) == n  # nothing computed again
    assert second.get("loss") is first.get("loss")
    with pytest.raises(ValueError, match="read-only"):  # a figure cannot change the next figure's data
        second.get("loss")[...] = 0


def test_a_changed_recording_gets_new_medians(rec):
    before = seeds.median_view(rec).get("loss").copy()
    rec.get("loss")[...] *= 10  # edited in place: same array object, new contents
    assert np.allclose(seeds.median_view(rec).get("loss"), 10 * before)

    rec.add("loss", rec.get("loss") + 1, rec.axes["loss"])  # replaced
    assert np.allclose(seeds.median_view(rec).get("loss"), 10 * before + 1)

    rec.add("extra", np.arange(6.0).reshape(2, 3), ("variant", "seed"))  # added
    assert seeds.median_view(rec).get("extra").tolist() == [1.0, 4.0]

    rec.add("empty", np.zeros((2, 3, 0)), ("variant", "seed", "record"))  # nothing recorded: still a view
    assert seeds.median_view(rec).get("empty").shape == (2, 0)

    rec.meta["labels"] = ["a", "b"]  # metadata is never cached
    assert seeds.median_view(rec).labels == ["a", "b"]


def test_two_recordings_alternating_each_get_their_own(make_seeded_recording):
    a = make_seeded_recording("vanishing", seeds=3)
    b = make_seeded_recording("vanishing", seeds=3)
    b.get("loss")[...] += 5
    for _ in range(2):
        assert np.allclose(seeds.median_view(b).get("loss") - seeds.median_view(a).get("loss"), 5)
