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


def test_percentiles_over_seeds_equal_numpys_nanpercentile_bit_for_bit():
    """nan_percentiles is a vectorised np.nanpercentile: same bits, with NaN and ±inf, any axis."""
    import warnings

    from gradviz.record import nan_percentiles
    rng = np.random.default_rng(0)
    for trial in range(300):
        shape = list(rng.integers(1, 6, size=rng.integers(1, 4)))
        axis = int(rng.integers(0, len(shape) + 1))
        shape.insert(axis, int(rng.integers(1, 8)))
        a = rng.standard_normal(shape).astype(np.float32 if trial % 3 == 0 else np.float64)
        u = rng.random(shape)
        a[u < 0.2] = np.nan
        a[(u > 0.2) & (u < 0.25)] = np.inf
        a[(u > 0.25) & (u < 0.28)] = -np.inf
        q = (25.0, 50.0, 75.0) if trial % 2 else (0.0, 10.0, 33.3, 50.0, 90.0, 100.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            expected = np.nanpercentile(a.astype(np.float64), q, axis=axis)
        got = nan_percentiles(a, q, axis)
        assert got.shape == expected.shape
        np.testing.assert_array_equal(got, expected)
