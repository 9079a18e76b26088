"""The Recording's seed-axis accessors against plain numpy."""
import numpy as np


# -- the seed axis: one seed, or percentiles over seeds ------------------------------------------

def test_seed_accessors_against_numpy():
    from gradviz.record import Recording

    rng = np.random.default_rng(0)
    loss = rng.normal(size=(2, 5, 7))          # variant, seed, record
    loss[1, 3, 4] = np.nan                     # one seed never reached this record
    rec = Recording()
    rec.add("loss", loss, ("variant", "seed", "record"))
    rec.add("first_nonfinite_step", np.array([-1, 3]), ("variant",))
    assert rec.n_seeds == 5
    assert rec.axes_of("loss", seed=0) == ("variant", "record")
    np.testing.assert_array_equal(rec.get_seed("loss", 2), loss[:, 2, :])
    q = rec.over_seeds("loss")
    assert q.shape == (3, 2, 7)
    np.testing.assert_allclose(q[1, 0], np.median(loss[0], axis=0))
    np.testing.assert_allclose(q[1, 1, 4], np.median(np.delete(loss[1, :, 4], 3)))
    # arrays without a seed axis come back unchanged
    np.testing.assert_array_equal(rec.get_seed("first_nonfinite_step", 1), [-1, 3])
    assert rec.over_seeds("first_nonfinite_step").shape == (3, 2)
    assert Recording().n_seeds == 1


def test_repr_is_a_few_lines(recs):
    rec = recs("vanishing")
    text = repr(rec)
    assert len(text.splitlines()) <= 5 and len(text) < 1000
    assert f"{len(rec.labels)} variants" in text and f"{rec.steps.size} records" in text
    assert f"{rec.n_layers} layers" in text and "1 seed>" in text
    assert all(lab in text for lab in rec.labels)
    assert "grad_w_norm" in text
