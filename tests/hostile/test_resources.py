"""Resource limits: refused in milliseconds with the estimate and the key to
change; `check` prints the estimates; --force overrides."""
import pytest

from gradviz import limits

from .conftest import TINY

HUGE = {
    "width-1e7": (("[model]\nwidth = 10000000", "[model]"), "$.model.width"),
    "width-list": (("[model]\ndepth = 2\nwidth = [4, 40000000]", "[model]"), "$.model.width"),
    "steps-1e12": (("[train]\nsteps = 1000000000000", "[train]"), "$.train.steps"),
    "epochs-1e9": (("[train]\nepochs = 1000000000", "[train]"), "$.train."),
    "every-1-long": (("[train]\nsteps = 20000000\n[record]\nevery = 1", "[train]"), "$.train.steps"),
    "samples-1e10": (("[data]\nkind = \"gaussian\"\nsamples = 10000000000\nfeatures = 100", "[data]"), "$."),
    "features-1e9": (("[data]\nkind = \"gaussian\"\nfeatures = 1000000000", "[data]"), "$."),
    "batch-1e9": (("[data]\nkind = \"gaussian\"\nsamples = 2000000000\n[train]\nbatch_size = 1000000000",
                   "[data]"), "$."),
    "weights-every-step": (("[model]\nwidth = 2000\n[train]\nsteps = 5000\n[record]\nweights = true\nevery = 1",
                            "[model]"), "$.train.steps"),
    "boundary-every-step": (("[train]\nsteps = 200000\n[record]\nboundary = 512\nevery = 1", "[train]"),
                            "$.train.steps"),
    "gif-3000-frames": (("[train]\nsteps = 3000\n[record]\nevery = 1\n[render]\nanimations = [\"hist_anim\"]",
                         "[train]"), "$.record.every"),
    "gif-slide-600dpi": (("[train]\nsteps = 3000\n[record]\nevery = 5\n[render]\nanimations = [\"heatmap_anim\"]"
                          "\nsize = \"slide\"\ndpi = 600", "[train]"), "$.record.every"),
    "ensemble-steps": (("[train]\nensemble = 64\nsteps = 100000000", "[train]"), "$.train.steps"),
    "variant-width": (("[[variants]]\nlabel = \"w\"\n\"model.width\" = 30000000", None), "$.model.width"),
    "surface-steps": (("kind = \"surface\"\n[train]\nsteps = 100000000", None), "$.train.steps"),
}


BASE = {"data": {"kind": '"moons"', "samples": "120"}, "model": {"depth": "2", "width": "4"},
        "train": {"steps": "20", "batch_size": "16"}, "record": {"every": "5", "bins": "8"},
        "render": {"figures": '["loss"]', "dpi": "50"}}


def _scenario(extra, section):
    """TINY's tables with ``extra``'s keys merged in (``extra`` is TOML with [section] headers)."""
    tables = {k: dict(v) for k, v in BASE.items()}
    top, current, tail = [], None, []
    for line in extra.splitlines():
        if line.startswith("[["):
            tail.append(line)
            current = "tail"
        elif line.startswith("["):
            current = line.strip("[]")
            tables.setdefault(current, {})
        elif current == "tail":
            tail.append(line)
        elif current is None:
            top.append(line)
        else:
            k, v = line.split(" = ", 1)
            tables[current][k] = v
    if "epochs" in tables["train"]:
        tables["train"].pop("steps")
    if any(t.startswith("kind") and "surface" in t for t in top):
        tables = {k: v for k, v in tables.items() if k in ("train", "render")}
        tables["render"]["figures"] = '["surface"]'
    out = ['title = "huge"', *top]
    for name, keys in tables.items():
        out += ["", f"[{name}]"] + [f"{k} = {v}" for k, v in keys.items()]
    return "\n".join(out + [""] + tail) + "\n"


@pytest.mark.parametrize("name", list(HUGE))
def test_huge_scenarios_refused_fast(scratch, name):
    (extra, section), key = HUGE[name]
    path = scratch.write("s.toml", _scenario(extra, section))
    for cmd in ("check", "render"):
        msg = scratch.fails([cmd, path], key)
        assert "--force" in msg and "limit" in msg, msg
    assert not (scratch.root / "outputs").exists()


@pytest.mark.parametrize("args", [["1e999999999", "1"], ["1", "1e-999999999"], ["1" * 5000, "1"],
                                  ["1e+0000000000000400000", "1"]])
def test_precision_add_with_absurd_exponent(scratch, args):
    msg = scratch.fails(["precision", "add", *args], None, code=2)
    assert "Traceback" not in msg


@pytest.mark.parametrize("args", [["abc", "1"], ["", "1"], ["1", "nan"], ["inf", "1"], ["1/0", "1"]])
def test_precision_add_bad_numbers(scratch, args):
    scratch.fails(["precision", "add", *args], None, code=2)


def test_check_prints_estimates(scratch):
    r = scratch.run("check", scratch.write("s.toml", TINY))
    assert r.exit_code == 0
    assert "estimated peak memory" in r.output and "FLOPs" in r.output and "records" in r.output


def test_force_overrides_limits(scratch, monkeypatch):
    monkeypatch.setattr(limits, "ANIMATION_FRAMES", 2)
    path = scratch.write("s.toml", TINY.replace('figures = ["loss"]', 'figures = []\nanimations = ["heatmap_anim"]'))
    scratch.fails(["render", path], "$.record.every")
    r = scratch.run("render", path, "--force")
    assert r.exit_code == 0, r.output
    assert (scratch.root / "outputs" / "s" / "heatmap_anim.gif").is_file()


def test_estimate_is_an_upper_bound_of_the_recording(scratch):
    """The recording estimate is within a small factor above the real uncompressed size."""
    import numpy as np

    from gradviz.scenario import load_scenario

    path = scratch.write("s.toml", TINY)
    assert scratch.run("render", path).exit_code == 0
    with np.load(scratch.root / "outputs" / "s" / "recording.npz") as data:
        real = sum(data[k].nbytes for k in data.files)
    est = limits.estimate(load_scenario(path))
    assert real <= est.recording <= 20 * real, (real, est.recording)


def test_zip_bomb_recording_refused_before_inflating(tmp_path):
    import zipfile

    from gradviz.record import Recording, RecordingError

    p = tmp_path / "bomb.npz"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.npy", bytes(50_000_000))  # 50 MB of zeros: ~50 kB compressed
    with pytest.raises(RecordingError, match="inflates to more than"):
        Recording.load(p, max_bytes=10_000_000)
