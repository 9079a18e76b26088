"""Tests for gradviz.data: kinds, counts, split, scaling, file and digits loading."""
from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradviz.data import KINDS, SCALES, Scaler, make_dataset

TWO_D = {"spirals": 3, "circles": 3, "xor": 2, "moons": 2, "blobs": 4}


def mk(kind="spirals", seed=0, **kw):
    args = dict(samples=120, noise=0.1, features=2, classes=TWO_D.get(kind, 3), path=None,
                scale="none", validation=0.2)
    args.update(kw)
    return make_dataset(kind, rng=np.random.default_rng(seed), **args)


def all_y(ds):
    return np.concatenate([ds.y_train, ds.y_val])


def all_x(ds):
    return np.concatenate([ds.x_train, ds.x_val])


def test_registries():
    assert KINDS == ("spirals", "circles", "xor", "moons", "blobs", "gaussian", "digits", "file")
    assert SCALES == ("none", "unit", "symmetric", "standard")


# -- counts, shapes, labels ---------------------------------------------------
@pytest.mark.parametrize(
    "kind, classes, expected",
    [("spirals", 3, [34, 34, 33]), ("circles", 3, [34, 34, 33]), ("blobs", 4, [26, 25, 25, 25]),
     ("xor", 2, [51, 50]), ("moons", 2, [51, 50]), ("spirals", 2, [51, 50])],
)
def test_2d_counts_shapes_labels(kind, classes, expected):
    ds = mk(kind, samples=101, classes=classes, validation=0.2)
    assert ds.x_train.shape == (81, 2) and ds.x_val.shape == (20, 2)  # round(20.2) = 20
    assert ds.y_train.shape == (81,) and ds.y_val.shape == (20,)
    assert ds.x_train.dtype == np.float64 and ds.y_train.dtype == np.int64
    assert ds.y_val.dtype == np.int64 and ds.x_val.dtype == np.float64
    assert ds.x_train.flags.c_contiguous and ds.x_val.flags.c_contiguous
    assert ds.classes == classes and ds.features == 2
    assert np.bincount(all_y(ds), minlength=classes).tolist() == expected
    assert ds.feature_names == ("x1", "x2")


def test_shuffled_before_split():
    # the 2-D kinds are generated class by class; the split must not be
    ds = mk("blobs", samples=400, classes=4, validation=0.25)
    assert set(np.unique(ds.y_val)) == {0, 1, 2, 3}
    assert (np.diff(ds.y_train) != 0).sum() > 50


@settings(max_examples=40, deadline=None)
@given(kind=st.sampled_from(sorted(TWO_D)), samples=st.integers(4, 300),
       classes=st.integers(2, 6), validation=st.floats(0.0, 0.9), seed=st.integers(0, 10**6))
def test_2d_counts_property(kind, samples, classes, validation, seed):
    if kind in ("xor", "moons"):
        classes = 2
    samples = max(samples, classes)
    n_val = round(validation * samples)
    if n_val >= samples:
        with pytest.raises(ValueError, match="no training samples"):
            mk(kind, seed, samples=samples, classes=classes, validation=validation)
        return
    ds = mk(kind, seed, samples=samples, classes=classes, validation=validation)
    assert len(ds.y_val) == n_val and len(ds.y_train) == samples - n_val
    counts = np.bincount(all_y(ds), minlength=classes)
    assert len(counts) == classes
    assert counts.max() - counts.min() <= 1 and counts.min() >= 1
    assert (np.diff(counts) <= 0).all()  # remainder goes to the first classes
    assert np.isfinite(ds.x_train).all()


def test_gaussian_kind_and_teacher():
    ds = mk("gaussian", seed=3, samples=500, features=7, classes=4, noise=0.0, validation=0.2)
    assert ds.x_train.shape == (400, 7) and ds.x_val.shape == (100, 7)
    assert ds.features == 7 and ds.classes == 4 and ds.feature_names is None
    y = all_y(ds)
    assert y.min() >= 0 and y.max() <= 3
    # documented: the teacher is the first draw, N(0,1) of shape (features, classes)
    teacher = np.random.default_rng(3).standard_normal((7, 4))
    assert np.array_equal(np.argmax(all_x(ds) @ teacher, axis=1), y)
    # x ~ N(0, I)
    assert abs(all_x(ds).std() - 1) < 0.05
    # label noise flips some labels relative to the teacher
    noisy = mk("gaussian", seed=3, samples=500, features=7, classes=4, noise=1.0, validation=0)
    agree = np.mean(np.argmax(noisy.x_train @ teacher, axis=1) == noisy.y_train)
    assert 0.4 < agree < 0.99


# -- geometry (noise 0 pins every point) ---------------------------------------
def test_spiral_geometry():
    ds = mk("spirals", samples=300, classes=3, noise=0.0, validation=0)
    x, y = ds.x_train, ds.y_train
    r = np.hypot(x[:, 0], x[:, 1])
    assert r.max() == pytest.approx(1.0) and r.min() == pytest.approx(0.0, abs=1e-15)
    # angle = 4 r + 2 pi j / 3 (mod 2 pi)
    theta = np.arctan2(x[:, 1], x[:, 0])
    d = np.angle(np.exp(1j * (theta - 4 * r - 2 * np.pi * y / 3)))
    assert np.abs(d[r > 1e-9]).max() < 1e-9


def test_circles_geometry():
    ds = mk("circles", samples=90, classes=3, noise=0.0, validation=0)
    r = np.hypot(*ds.x_train.T)
    np.testing.assert_allclose(r, (ds.y_train + 1) / 3, atol=1e-12)


def test_xor_labels_follow_quadrants():
    ds = mk("xor", samples=200, noise=0.1, validation=0)
    x, y = ds.x_train, ds.y_train
    # with small noise every point stays in its blob's quadrant
    expected = (np.sign(x[:, 0]) * np.sign(x[:, 1]) < 0).astype(int)
    assert np.array_equal(y, expected)
    centres = {(0.5, 0.5), (-0.5, -0.5), (-0.5, 0.5), (0.5, -0.5)}
    clean = mk("xor", samples=8, noise=0.0, validation=0)
    assert {tuple(p) for p in clean.x_train} == centres


def test_moons_geometry():
    ds = mk("moons", samples=200, noise=0.0, validation=0)
    x, y = ds.x_train, ds.y_train
    # outer moon: unit upper half circle around (0, 0) shifted by (-0.5, -0.25)
    outer = x[y == 0] - np.array([-0.5, -0.25])
    np.testing.assert_allclose(np.hypot(*outer.T), 1.0, atol=1e-12)
    assert (outer[:, 1] >= -1e-12).all()
    # inner moon: unit lower half circle around (1, 0.5), shifted the same way
    inner = x[y == 1] - np.array([-0.5, -0.25]) - np.array([1.0, 0.5])
    np.testing.assert_allclose(np.hypot(*inner.T), 1.0, atol=1e-12)
    assert (inner[:, 1] <= 1e-12).all()


def test_blobs_centres_and_spread():
    clean = mk("blobs", samples=40, classes=4, noise=0.0, validation=0)
    expected = np.array([[1, 0], [0, 1], [-1, 0], [0, -1]], dtype=float)
    np.testing.assert_allclose(clean.x_train, expected[clean.y_train], atol=1e-15)
    ds = mk("blobs", samples=4000, classes=4, noise=0.3, validation=0)
    resid = ds.x_train - expected[ds.y_train]
    assert resid.std() == pytest.approx(0.3, rel=0.03)


# -- determinism ------------------------------------------------------------------
@pytest.mark.parametrize("kind", sorted(TWO_D) + ["gaussian"])
def test_deterministic(kind):
    a, b, c = mk(kind, seed=5), mk(kind, seed=5), mk(kind, seed=6)
    for name in ("x_train", "y_train", "x_val", "y_val"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert not np.array_equal(a.x_train, c.x_train)


def test_scale_does_not_change_the_split():
    raw = mk("moons", seed=9)
    for scale in SCALES:
        ds = mk("moons", seed=9, scale=scale)
        assert np.array_equal(ds.y_train, raw.y_train) and np.array_equal(ds.y_val, raw.y_val)
        assert ds.scale == scale
        assert ds.raw_range == (raw.x_train.min(), raw.x_train.max())


# -- validation split -------------------------------------------------------------
@pytest.mark.parametrize("samples, validation, n_val",
                         [(100, 0.25, 25), (100, 0.0, 0), (10, 0.35, 4), (7, 0.5, 4), (9, 0.01, 0)])
def test_validation_sizes(samples, validation, n_val):
    ds = mk("xor", samples=samples, validation=validation, noise=0.1)
    assert ds.x_val.shape == (n_val, 2) and ds.y_val.shape == (n_val,)
    assert ds.x_train.shape == (samples - n_val, 2)


@pytest.mark.parametrize("validation", [1.0, -0.1, 1.5])
def test_validation_out_of_range(validation):
    with pytest.raises(ValueError, match="validation"):
        mk(validation=validation)


# -- scaling -------------------------------------------------------------------------
def test_unit_scaling_exact():
    ds = mk("spirals", scale="unit", seed=1)
    assert (ds.x_train.min(axis=0) == 0.0).all() and (ds.x_train.max(axis=0) == 1.0).all()


def test_symmetric_scaling_exact():
    ds = mk("circles", scale="symmetric", seed=1)
    assert (ds.x_train.min(axis=0) == -1.0).all() and (ds.x_train.max(axis=0) == 1.0).all()


def test_standard_scaling():
    ds = mk("gaussian", samples=300, features=5, scale="standard", seed=1)
    np.testing.assert_allclose(ds.x_train.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(ds.x_train.std(axis=0), 1.0, rtol=1e-12)


@pytest.mark.parametrize("scale", ["unit", "symmetric", "standard"])
def test_validation_uses_training_fit(scale):
    raw = mk("blobs", seed=2, classes=3, noise=0.5)
    ds = mk("blobs", seed=2, classes=3, noise=0.5, scale=scale)
    tr, va = raw.x_train, raw.x_val
    lo, hi = tr.min(axis=0), tr.max(axis=0)
    if scale == "unit":
        expected = (va - lo) / (hi - lo)
    elif scale == "symmetric":
        expected = 2 * (va - lo) / (hi - lo) - 1
    else:
        expected = (va - tr.mean(axis=0)) / tr.std(axis=0)
    np.testing.assert_allclose(ds.x_val, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ds.transform(va), expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ds.transform(tr), ds.x_train, rtol=0, atol=0)


def test_scaler_known_case():
    train = np.array([[0.0, -2.0], [10.0, 2.0]])
    val = np.array([[20.0, 0.0], [-5.0, 4.0]])
    assert Scaler.fit("unit", train).apply(val).tolist() == [[2.0, 0.5], [-0.5, 1.5]]
    assert Scaler.fit("symmetric", train).apply(val).tolist() == [[3.0, 0.0], [-2.0, 2.0]]
    # mean (5, 0), std (5, 2)
    assert Scaler.fit("standard", train).apply(val).tolist() == [[3.0, 0.0], [-2.0, 2.0]]
    assert Scaler.fit("none", train).apply(val).tolist() == val.tolist()


@pytest.mark.parametrize("scale", ["unit", "symmetric", "standard"])
def test_constant_feature_is_shifted_not_divided(scale, tmp_path):
    rng = np.random.default_rng(0)
    x = np.column_stack([rng.normal(size=50), np.full(50, 5.0)])
    y = np.arange(50) % 2
    p = tmp_path / "c.npz"
    np.savez(p, X=x, y=y)
    ds = mk("file", path=str(p), classes=0, scale=scale, validation=0.2)
    assert np.isfinite(ds.x_train).all() and np.isfinite(ds.x_val).all()
    assert (ds.x_train[:, 1] == 0.0).all() and (ds.x_val[:, 1] == 0.0).all()
    # a validation value off the constant is shifted by the same constant
    assert ds.transform(np.array([[0.0, 7.0]]))[0, 1] == 2.0


# -- file kind -------------------------------------------------------------------------
def _write(tmp_path, name="d.npz", **arrays):
    p = tmp_path / name
    np.savez(p, **arrays)
    return str(p)


def test_file_happy_path(tmp_path):
    n = 60
    ident = np.arange(n, dtype=float)
    x = np.column_stack([ident, np.sin(ident)])
    y = (np.arange(n) * 7) % 3
    p = _write(tmp_path, X=x, y=y, feature_names=np.array(["id", "sine"]))
    ds = mk("file", path=p, classes=0, samples=0, validation=0.25, scale="none")
    assert ds.classes == 3 and ds.feature_names == ("id", "sine")
    assert ds.x_train.shape == (45, 2) and ds.x_val.shape == (15, 2)
    xs, ys = all_x(ds), all_y(ds)
    order = np.argsort(xs[:, 0])
    assert np.array_equal(xs[order], x)  # every row exactly once
    assert np.array_equal(ys[order], y)  # labels stay with their rows
    assert ys.dtype == np.int64
    assert ds.raw_range == (ds.x_train.min(), ds.x_train.max())
    # determinism and subsampling
    again = mk("file", path=p, classes=0, samples=0, validation=0.25)
    assert np.array_equal(again.x_train, ds.x_train)
    sub = mk("file", path=p, classes=0, samples=20, validation=0.25)
    assert len(sub.y_train) + len(sub.y_val) == 20
    # explicit classes may exceed the labels present; float labels with integer values
    p2 = _write(tmp_path, "f.npz", X=x.astype(np.float32), y=y.astype(float))
    ds2 = mk("file", path=p2, classes=5, samples=0, validation=0)
    assert ds2.classes == 5 and ds2.y_train.dtype == np.int64
    assert ds2.feature_names is None


def _bad_cases():
    good_x = np.zeros((4, 2))
    good_y = np.array([0, 1, 0, 1])
    nan_x = good_x.copy()
    nan_x[2, 1] = np.nan
    inf_x = good_x.copy()
    inf_x[0, 0] = np.inf
    return {
        "missing X": (dict(y=good_y), 0, "lacks array.*X"),
        "missing y": (dict(X=good_x), 0, "lacks array.*y"),
        "row mismatch": (dict(X=good_x, y=np.array([0, 1, 0])), 0, "disagree.*4 rows.*3 labels"),
        "1-D X": (dict(X=np.zeros(4), y=good_y), 0, "X must be 2-D"),
        "2-D y": (dict(X=good_x, y=good_y.reshape(2, 2)), 0, "y must be 1-D"),
        "empty X": (dict(X=np.zeros((0, 2)), y=np.zeros(0, int)), 0, "empty"),
        "nan": (dict(X=nan_x, y=good_y), 0, "non-finite.*row.*2"),
        "inf": (dict(X=inf_x, y=good_y), 0, "non-finite"),
        "string X": (dict(X=np.array([["a", "b"]] * 4), y=good_y), 0, "real numbers"),
        "fractional labels": (dict(X=good_x, y=np.array([0, 0.5, 1, 1])), 0, "integer labels"),
        "string labels": (dict(X=good_x, y=np.array(["a", "b", "a", "b"])), 0, "integer labels"),
        "negative labels": (dict(X=good_x, y=np.array([0, -1, 1, 1])), 0, "negative"),
        "one-based labels": (dict(X=good_x, y=np.array([1, 2, 1, 2])), 0, "start at 0"),
        "gap in labels": (dict(X=good_x, y=np.array([0, 2, 0, 2])), 0, r"\[1\] never occur"),
        "single class": (dict(X=good_x, y=np.zeros(4, int)), 0, "at least 2 classes"),
        "label >= classes": (dict(X=good_x, y=np.array([0, 1, 2, 1])), 2, "found label 2"),
        "feature_names length": (dict(X=good_x, y=good_y, feature_names=np.array(["a"])), 0,
                                 "feature_names"),
    }


@pytest.mark.parametrize("case", list(_bad_cases()))
def test_file_malformed(case, tmp_path):
    arrays, classes, match = _bad_cases()[case]
    p = _write(tmp_path, **arrays)
    with pytest.raises(ValueError, match=match) as exc:
        mk("file", path=p, classes=classes, samples=0, validation=0)
    assert p in str(exc.value)


def test_file_not_loadable(tmp_path):
    missing = str(tmp_path / "nope.npz")
    with pytest.raises(ValueError, match="does not exist") as exc:
        mk("file", path=missing, classes=0)
    assert missing in str(exc.value)

    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"this is not numpy")
    with pytest.raises(ValueError, match="not an .npz archive") as exc:
        mk("file", path=str(garbage), classes=0)
    assert str(garbage) in str(exc.value)

    truncated = tmp_path / "trunc.npz"
    np.savez(truncated, X=np.zeros((100, 3)), y=np.zeros(100, int))
    truncated.write_bytes(truncated.read_bytes()[:200])
    with pytest.raises(ValueError, match="readable|lacks") as exc:
        mk("file", path=str(truncated), classes=0)
    assert str(truncated) in str(exc.value)

    corrupt = tmp_path / "corrupt.npz"
    np.savez(corrupt, X=np.zeros((100, 3)), y=np.zeros(100, int))
    raw = bytearray(corrupt.read_bytes())
    raw[1000] ^= 0xFF  # inside X's data: the member's CRC no longer matches
    corrupt.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="not a readable .npz") as exc:
        mk("file", path=str(corrupt), classes=0)
    assert str(corrupt) in str(exc.value)

    npy = tmp_path / "single.npy"
    np.save(npy, np.zeros((4, 2)))
    with pytest.raises(ValueError, match="single .npy array") as exc:
        mk("file", path=str(npy), classes=0)
    assert str(npy) in str(exc.value)

    obj = tmp_path / "obj.npz"
    np.savez(obj, X=np.array([[1, 2], [3]], dtype=object), y=np.array([0, 1]))
    with pytest.raises(ValueError, match="object arrays") as exc:
        mk("file", path=str(obj), classes=0)
    assert str(obj) in str(exc.value)

    with pytest.raises(ValueError, match="data.path"):
        mk("file", path=None, classes=0)
    with pytest.raises(ValueError, match="not a file"):
        mk("file", path=str(tmp_path), classes=0)


# -- digits ----------------------------------------------------------------------------
def test_digits():
    ds = mk("digits", samples=0, classes=0, validation=0.2, scale="unit")
    assert ds.classes == 10 and ds.features == 64
    assert len(ds.y_train) + len(ds.y_val) == 1797
    assert len(ds.y_val) == round(0.2 * 1797)
    assert ds.raw_range == (0.0, 16.0)
    assert set(np.unique(all_y(ds))) == set(range(10))
    assert ds.x_train.min() == 0.0 and ds.x_train.max() == 1.0
    assert ds.feature_names[0] == "pixel_0_0" and len(ds.feature_names) == 64
    # the always-blank corner pixel is constant: shifted to 0, not NaN
    assert (ds.x_train[:, 0] == 0.0).all()

    sub = mk("digits", samples=300, classes=0, validation=0.1)
    assert len(sub.y_train) + len(sub.y_val) == 300
    assert sub.raw_range[0] == 0.0 and sub.raw_range[1] <= 16.0
    assert np.array_equal(sub.x_train, mk("digits", samples=300, classes=0, validation=0.1).x_train)
    # raw values are the integers 0..16
    raw = all_x(sub)
    assert np.array_equal(raw, np.round(raw)) and raw.max() == 16.0

    three = mk("digits", samples=0, classes=3, validation=0)
    assert three.classes == 3 and set(np.unique(three.y_train)) == {0, 1, 2}
    assert len(three.y_train) == 178 + 182 + 177  # digit counts in load_digits

    with pytest.raises(ValueError, match="digits"):
        mk("digits", classes=11)


# -- argument errors -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, match",
    [(dict(kind="swirls"), "unknown data.kind.*spirals"),
     (dict(scale="minmax"), "unknown data.scale.*symmetric"),
     (dict(kind="xor", classes=3), "exactly 2 classes"),
     (dict(kind="moons", classes=4), "exactly 2 classes"),
     (dict(kind="spirals", classes=1), "classes >= 2"),
     (dict(kind="blobs", classes=0), "classes >= 2"),
     (dict(kind="spirals", classes=5, samples=4), "samples must be >= 5"),
     (dict(kind="xor", samples=3), "samples must be >= 4"),
     (dict(kind="gaussian", samples=0), "samples"),
     (dict(kind="gaussian", features=0), "features"),
     (dict(noise=-0.1), "noise"),
     (dict(noise=math.inf), "noise"),
     (dict(samples=10.5), "samples"),
     (dict(validation=0.99, samples=3, kind="spirals"), "no training samples")],
)
def test_argument_errors(kwargs, match):
    kind = kwargs.pop("kind", "spirals")
    with pytest.raises(ValueError, match=match):
        mk(kind, **kwargs)


def test_rng_must_be_generator():
    with pytest.raises(TypeError, match="Generator"):
        make_dataset("spirals", samples=10, noise=0.1, features=2, classes=2, path=None,
                     scale="none", validation=0.2, rng=0)


def test_classes_zero_means_natural_count_for_fixed_kinds():
    assert mk("xor", classes=0).classes == 2
    assert mk("moons", classes=0).classes == 2


# -- mixed units (data.feature_scale) ------------------------------------------
def test_feature_factors_are_log_spaced_from_lo_to_hi():
    from gradviz.data import feature_factors

    f = feature_factors((0.01, 100.0), 5)
    np.testing.assert_allclose(f, [0.01, 0.1, 1.0, 10.0, 100.0], rtol=1e-12)
    np.testing.assert_array_equal(feature_factors((1.0, 1.0), 64), np.ones(64))
    assert feature_factors((3.0, 7.0), 1).tolist() == [3.0]  # one feature gets lo
    g = feature_factors((100.0, 0.01), 5)  # decreasing is allowed
    np.testing.assert_allclose(g, f[::-1], rtol=1e-12)


def test_feature_scale_multiplies_raw_features_and_keeps_the_split():
    from gradviz.data import feature_factors

    plain = mk("digits", classes=10, samples=300)
    mixed = mk("digits", classes=10, samples=300, feature_scale=(0.01, 100.0))
    factors = feature_factors((0.01, 100.0), 64)
    # same draws: same images in the same order, each pixel in its own unit
    np.testing.assert_array_equal(mixed.y_train, plain.y_train)
    np.testing.assert_allclose(mixed.x_train, plain.x_train * factors, rtol=1e-15)
    np.testing.assert_allclose(mixed.x_val, plain.x_val * factors, rtol=1e-15)
    assert mixed.raw_range == (0.0, 1600.0)  # the last pixels reach 16 × 100 in the training split
    assert mixed.x_train[:, :8].max() <= 16 * factors[7]  # the first row stays small
    # [1, 1] changes nothing at all (bit for bit)
    same = mk("digits", classes=10, samples=300, feature_scale=(1.0, 1.0))
    np.testing.assert_array_equal(same.x_train, plain.x_train)


@pytest.mark.parametrize("scale", ["unit", "symmetric", "standard"])
def test_per_feature_scalers_undo_mixed_units(scale):
    plain = mk("digits", classes=10, samples=300, scale=scale)
    mixed = mk("digits", classes=10, samples=300, scale=scale, feature_scale=(0.01, 100.0))
    np.testing.assert_allclose(mixed.x_train, plain.x_train, rtol=1e-12, atol=1e-12)
    # a pixel constant on the training split is only shifted, so its validation values keep their unit
    varying = ~mixed.scaler.constant
    assert varying.sum() > 50 and (~varying).any()
    np.testing.assert_allclose(mixed.x_val[:, varying], plain.x_val[:, varying], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("bad", [(0.0, 1.0), (1.0, -2.0), (1.0, math.inf), (math.nan, 1.0), (1e-10, 1.0),
                                 (1.0, 1e10), (1.0,), (1.0, 2.0, 3.0), "ab", None])
def test_bad_feature_scale_names_the_key(bad):
    with pytest.raises(ValueError, match=r"data\.feature_scale"):
        mk("spirals", feature_scale=bad)


@pytest.mark.parametrize("value, message", [
    ("[0.0, 100]", r"\$\.data\.feature_scale\[0\]: expected a value ≥ 1e-09"),
    ("[1, 2, 3]", r"\$\.data\.feature_scale: expected a list of 2 values, found 3"),
    ('"big"', r"\$\.data\.feature_scale: expected a list, found a string"),
    ("[1, 1e10]", r"\$\.data\.feature_scale\[1\]: expected a value ≥ 1e-09 and ≤ 1e\+09"),
])
def test_feature_scale_schema_errors_name_the_key(value, message):
    from gradviz.scenario import ScenarioError, load_scenario

    with pytest.raises(ScenarioError, match=message):
        load_scenario(f'[data]\nkind = "digits"\nfeature_scale = {value}\n')
