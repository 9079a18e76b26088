"""Malformed data files for data.kind = "file": `check` names $.data.path (or
the key at fault) before any training, and render refuses the same way."""
import io
import zipfile

import numpy as np
import pytest

from .conftest import TINY


def _npz(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


X = np.random.default_rng(0).normal(size=(100, 2))
Y = np.arange(100) % 2
GOOD = _npz(X=X, y=Y)

BAD = {
    "zero-bytes": b"",
    "text": b"hello world\n",
    "truncated": GOOD[: len(GOOD) // 2],
    "truncated-header": GOOD[:10],
    "npy-not-npz": (lambda b: (np.save(b, X), b.getvalue())[1])(io.BytesIO()),
    "zip-without-arrays": (lambda b: (zipfile.ZipFile(b, "w").close(), b.getvalue())[1])(io.BytesIO()),
    "only-X": _npz(X=X),
    "only-y": _npz(y=Y),
    "lowercase-x": _npz(x=X, y=Y),
    "mismatched": _npz(X=X, y=Y[:50]),
    "X-1d": _npz(X=X[:, 0], y=Y),
    "X-3d": _npz(X=X.reshape(100, 2, 1), y=Y),
    "X-empty": _npz(X=np.zeros((0, 2)), y=np.zeros(0, int)),
    "X-no-features": _npz(X=np.zeros((100, 0)), y=Y),
    "X-nan": _npz(X=np.where(np.arange(200).reshape(100, 2) == 7, np.nan, X), y=Y),
    "X-inf": _npz(X=np.where(np.arange(200).reshape(100, 2) == 9, np.inf, X), y=Y),
    "X-strings": _npz(X=np.array([["a", "b"]] * 100), y=Y),
    "X-complex": _npz(X=X.astype(complex), y=Y),
    "y-2d": _npz(X=X, y=Y.reshape(50, 2)),
    "y-strings": _npz(X=X, y=np.array(["cat", "dog"] * 50)),
    "y-float-fraction": _npz(X=X, y=Y + 0.5),
    "y-nan": _npz(X=X, y=np.where(Y == 1, np.nan, 0.0)),
    "y-negative": _npz(X=X, y=Y - 1),
    "y-one-based": _npz(X=X, y=Y + 1),
    "y-single-class": _npz(X=X, y=np.zeros(100, int)),
    "y-gap": _npz(X=X, y=np.where(Y == 1, 5, 0)),
    "feature-names-wrong": _npz(X=X, y=Y, feature_names=np.array(["a"])),
    "bad-crc": (lambda b: b[:-60] + bytes(60))(GOOD),
}


def _scenario(path_value: str, extra: str = "") -> str:
    body = TINY.replace('kind = "moons"\nsamples = 120', f'kind = "file"\npath = "{path_value}"' + extra)
    return body


@pytest.mark.parametrize("name", list(BAD))
def test_bad_data_file(scratch, name):
    scratch.write("data/d.npz", BAD[name])
    path = scratch.write("s.toml", _scenario("data/d.npz"))
    msg = scratch.fails(["check", path], "$.data.")
    scratch.fails(["render", path], "$.data.")
    assert "d.npz" in msg


def test_object_array_is_never_unpickled(scratch):
    buf = io.BytesIO()
    np.savez(buf, X=np.array([object()] * 4, dtype=object), y=Y[:4])
    scratch.write("d.npz", buf.getvalue())
    path = scratch.write("s.toml", _scenario("d.npz"))
    scratch.fails(["check", path], "$.data.path")


@pytest.mark.parametrize("target,key", [("missing.npz", "$.data.path"), ("folder", "$.data.path"),
                                        ("/dev/zero", "$.data.path"), ("/dev/null", "$.data.path")])
def test_data_path_not_a_file(scratch, target, key):
    (scratch.root / "folder").mkdir()
    path = scratch.write("s.toml", _scenario(target))
    scratch.fails(["check", path], key)


def test_labels_beyond_declared_classes(scratch):
    scratch.write("d.npz", _npz(X=X, y=(np.arange(100) % 4)))
    path = scratch.write("s.toml", _scenario("d.npz", "\nclasses = 3"))
    scratch.fails(["check", path], "$.data.")


def test_batch_larger_than_file_training_set(scratch):
    scratch.write("d.npz", _npz(X=X[:30], y=Y[:30]))
    path = scratch.write("s.toml", _scenario("d.npz").replace("batch_size = 16", "batch_size = 25"))
    msg = scratch.fails(["check", path], "$.train.batch_size")
    assert "24" in msg  # 30 samples minus the validation share 0.2


def test_data_path_is_relative_to_the_scenario(scratch):
    scratch.write("proj/data/d.npz", GOOD)
    scratch.write("proj/s.toml", _scenario("data/d.npz"))
    r = scratch.run("check", "proj/s.toml")
    assert r.exit_code == 0, r.output
    (scratch.root / "elsewhere").mkdir()
    r = scratch.runner.invoke(__import__("gradviz.cli").cli.main, ["check", str(scratch.root / "proj/s.toml")])
    assert r.exit_code == 0, r.output


def test_zip_bomb_data_file(scratch, monkeypatch):
    from gradviz import limits

    monkeypatch.setattr(limits, "MEMORY_BYTES", 10_000)
    big = _npz(X=np.zeros((5000, 2)), y=np.arange(5000) % 2)  # compresses well, inflates to 120 kB
    scratch.write("d.npz", big)
    path = scratch.write("s.toml", _scenario("d.npz"))
    msg = scratch.fails(["check", path], "$.data.path")
    assert "--force" in msg
