"""The --quick preview (gradviz.preview): claims at steps a shrunk run may not record."""
import pytest

from gradviz.claims import ClaimError, evaluate_all, of
from gradviz.preview import preview_claims, quick
from gradviz.scenario import parse

CLAIM = {"text": "t", "quantity": "loss", "variant": "glorot", "compare": "<"}


def _scenario(*claims):
    return parse({"data": {"kind": "moons", "samples": 120}, "model": {"depth": 2, "width": 8},
                  "train": {"steps": 400, "batch_size": 32}, "record": {"every": 50},
                  "compare": {"key": "model.init", "values": ["normal", "glorot"]},
                  "claims": [{**CLAIM, **c} for c in claims]}, "c")


def test_step_claims_are_read_at_the_last_record_and_the_user_is_told():
    said = []
    sc = preview_claims(quick(_scenario({"value": 9.0}, {"at": 400, "value": 9.0},
                                        {"than": "normal", "than_at": 350, "at": "init"})), said.append)
    assert [c.get("at") for c in sc.claims] == [None, "end", "init"]
    assert sc.claims[2]["than_at"] == "end"
    assert said == ["c: --quick: claim verdicts are of this shrunk preview; "
                    "`gradviz verify c` checks them at full size",
                    "c: --quick: claims 2, 3 read at the preview's last record, not at their step"]


def test_no_claims_nothing_said_and_named_points_untouched():
    said = []
    sc = quick(_scenario())
    assert preview_claims(sc, said.append) is sc and said == []
    sc = quick(_scenario({"at": "best", "value": 9.0}))
    assert preview_claims(sc, said.append).claims == sc.claims and len(said) == 1


def test_moved_claims_evaluate_on_a_recording_that_lacks_their_step(make_recording):
    """A recording of steps 0..40: step 400 is not in it, the moved claim still reads."""
    rec = make_recording("one_variant", records=3, every=20)
    rec.meta["labels"] = ["glorot"]
    sc = parse({"claims": [{**CLAIM, "variant": 0, "at": 400, "value": 9.0}]}, "c")
    with pytest.raises(ClaimError, match="no record at step 400"):
        evaluate_all(of(sc), rec)
    moved = preview_claims(sc, lambda _msg: None)
    (verdict,) = evaluate_all(of(moved), rec)
    assert verdict.passed and verdict.median_a == rec.get("loss")[0, -1]
