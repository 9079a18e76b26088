"""Recording.load refuses what is not a recording it can read, in one RecordingError."""
import json
import zipfile

import numpy as np
import pytest

from gradviz.record import Recording, RecordingError


def _rec():
    r = Recording(meta={"version": "0.1.0", "labels": ["a"]})
    r.add("loss", np.zeros((1, 3)), ("variant", "record"))
    return r


def test_roundtrip(tmp_path):
    p = _rec().save(tmp_path / "r.npz")
    assert Recording.load(p).get("loss").shape == (1, 3)


@pytest.mark.parametrize("make,match", [
    (lambda p: p.write_bytes(b""), "empty"),
    (lambda p: p.write_text("hello"), "not a readable"),
    (lambda p: p.write_bytes(_rec().save(p).read_bytes()[:100]), "not a readable"),
    (lambda p: np.savez(p, a=np.zeros(2)), "no metadata"),
    (lambda p: np.savez(p, __meta__=np.array(json.dumps({"version": "99.1"})), __axes__=np.array("{}")), "newer"),
    (lambda p: np.savez(p, __meta__=np.array("[1]"), __axes__=np.array(json.dumps({"x": ["a"]}))), "does not match"),
])
def test_bad_files(tmp_path, make, match):
    p = tmp_path / "r.npz"
    make(p)
    with pytest.raises(RecordingError, match=match):
        Recording.load(p)


def test_header_claiming_more_than_the_member_holds(tmp_path):
    import io

    header = np.lib.format.header_data_from_array_1_0(np.zeros(1))
    header["shape"] = (10**9,)
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, header)
    p = tmp_path / "r.npz"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("x.npy", buf.getvalue() + bytes(64))
    with pytest.raises(RecordingError, match="declares"):
        Recording.load(p)


def test_missing(tmp_path):
    with pytest.raises(RecordingError, match="no recording"):
        Recording.load(tmp_path / "nope.npz")
