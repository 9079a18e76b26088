"""The bundled scenarios' claims: every training scenario and optimizer race
declares what its figures must show, the claims parse against its labels,
and the cheap ones (optimizer races, deterministic) hold at full size here;
the training scenarios are verified at full size by .ci/run."""
from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path

import pytest

from gradviz.claims import evaluate_all, fill, of
from gradviz.cli import bundled_scenarios
from gradviz.scenario import load_scenario

BUNDLED = {name: load_scenario(path) for name, path in bundled_scenarios().items()}


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_every_training_scenario_declares_claims(name):
    sc = BUNDLED[name]
    if sc.kind == "precision":
        assert not sc.claims  # nothing is trained: nothing to claim about a recording
        return
    claims = of(sc)
    assert len(claims) >= 1, f"{name} declares no [[claims]]"
    assert all(c.text.strip() for c in claims)


@pytest.mark.parametrize("name", sorted(n for n, sc in BUNDLED.items() if sc.kind == "training"))
def test_statistical_claims_use_at_least_five_seeds(name):
    assert BUNDLED[name].seeds >= 5, f"{name}: claims over seeds need seeds ≥ 5"


@pytest.mark.parametrize("name", sorted(n for n, sc in BUNDLED.items() if sc.kind == "surface"))
def test_optimizer_race_claims_hold_at_full_size(name):
    from gradviz.engine.surfaces import race

    sc = BUNDLED[name]
    verdicts = evaluate_all(of(sc), race(sc))
    failed = [v.claim.text for v in verdicts if not v.passed]
    assert failed == []
    text = fill(sc.description, verdicts)
    assert "{claim" not in text


# -- no hand-typed measurements in the scenario texts (issue 10 §5) -------------
# A number in a title or description is either a placeholder filled from the
# Recording ({claim:N...}), a setting of the scenario itself (η = 0.05, 8
# layers, the feature_scale 0.01..100, the training-set size the split gives),
# a small count or formula constant (integers 0..10: "two layers", √3, 1/4),
# a year of a citation, or listed below with the reason it is not a
# measurement. Anything else looks measured and must come from a claim.
DEFINITIONAL = {
    "*": {"8": "the digits are 8×8 images", "16": "digit pixels are 0..16 (the dataset's definition)"},
    "float16_training": {"2⁻²⁴": "float16's smallest subnormal", "6e-8": "2⁻²⁴ rounded",
                         "2⁻¹⁴": "float16's smallest normal", "6e-5": "2⁻¹⁴ rounded",
                         "2³⁰": "the dynamic scaler's start (the setting 1073741824)"},
    "float_precision": {"20": "decimal digits 1e10 + 1e-10 needs", "16": "float64's decimal digits",
                        "7": "float32's decimal digits", "65504": "float16's largest value"},
    "relu_depth": {"1.10": "ln 3, the loss of guessing among 3 classes"},
    "momentum": {"0.01": "2/200, the stability limit of the step", "1%": "η ≈ 0.01 of the way per step"},
    "saddle_race": {"18": "0.9/0.05, the ratio of two settings",
                    "1.5": "the start (1.5, 0.001)", "0.001": "the start's y and the slope there"},
    "optimizer_race": {"100": "the constant of Rosenbrock's function",
                       "10⁻⁶": "the bottom of the step grid tests/test_tuned_steps.py checks"},
    "batch_norm": {"15": "the 15th percentile drawn", "50": "the median drawn / a step of a claim",
                   "85": "the 85th percentile drawn"},
    "beale_race": {"1.5": "a constant of Beale's function", "2.25": "a constant of Beale's function",
                   "2.625": "a constant of Beale's function", "0.5": "the minimum's y, (3, 0.5)",
                   "10⁻⁶": "the bottom of the step grid tests/test_tuned_steps.py checks"},
    "residual_20": {"50": "the depth of the `residual` scenario it points to"},
}
_HEDGE = re.compile(r"(?:about|around|roughly|approximately|≈|~)\s*$", re.IGNORECASE)
_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_NUMBER = re.compile(r"(?<!\w)(?<!\d\.)(?:(\d+)([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)|(\d+)\^([-−]?\d+)|[-−]?(\d+(?:\.\d+)?(?:e[-−+]?\d+)?)(%?))",
                     re.IGNORECASE)


def _numbers(text: str):
    """(token as written, value, preceded by a hedge such as 'about') for every number in text."""
    text = re.sub(r"\{claim:[^}]*\}", " ", text)
    for m in _NUMBER.finditer(text):
        token, hedged = m.group(0), bool(_HEDGE.search(text[:m.start()]))
        if m.group(1):  # a power written with superscripts: 10⁻⁶, 2¹⁶
            yield token, float(m.group(1)) ** int(m.group(2).translate(_SUPER)), hedged
        elif m.group(3):
            yield token, float(m.group(3)) ** int(m.group(4).replace("−", "-")), hedged
        else:
            value = float(m.group(5).replace("−", "-"))
            yield token, value / 100 if m.group(6) else value, hedged


def _settings(raw: dict, sc) -> set[float]:
    """Every number the scenario file writes (any section, variant, compare value or claim), and the
    training-set size its split gives. Read from the file, not the resolved scenario, so a default
    value (seeds 1, init_gain 1, ...) does not excuse a number the file never sets."""
    out: set[float] = set()

    def walk(v):
        if isinstance(v, bool):
            return
        if isinstance(v, (int, float)):
            out.add(float(v))
        elif isinstance(v, str):
            try:  # a number given as exact text, e.g. the absorption experiment's "1e10"
                out.add(float(v))
            except ValueError:
                pass
        elif isinstance(v, dict):
            for k, x in v.items():
                if k not in ("translations", "description", "title", "text", "labels", "label"):
                    walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
    walk(raw)
    if sc.kind == "training":  # derived: the training-set size and the total steps the engine runs
        n = sc.data.samples or (1797 if sc.data.kind == "digits" else 0)
        n_train = n - round(sc.data.validation * n)
        out.add(float(n_train))
        if sc.train.epochs:  # simulation._plan: the last partial batch of an epoch is dropped
            out.add(float(sc.train.epochs * max(1, n_train // min(sc.train.batch_size, n_train))))
    return out


def _unbacked(name: str, text: str) -> list[str]:
    """The numbers of a scenario file's titles and descriptions that no placeholder, setting or
    DEFINITIONAL entry backs."""
    raw, sc = tomllib.loads(text), load_scenario(text)
    allowed = {**DEFINITIONAL["*"], **DEFINITIONAL.get(name, {})}
    settings = _settings(raw, sc)
    texts = [("title", sc.title), ("description", sc.description)]
    texts += [(f"translations.{lang}.{k}", getattr(tr, k) or "") for lang, tr in sc.translations
              for k in ("title", "description")]
    bad = []
    for where, text in texts:
        for token, value, hedged in _numbers(text):
            if token.lstrip("-−") in allowed or token in allowed:
                continue
            if any(math.isclose(value, s, rel_tol=1e-9) or math.isclose(-value, s, rel_tol=1e-9)
                   for s in settings):
                continue
            if value == int(value) and (0 <= abs(value) <= 10 or 1990 <= value <= 2030) and not (
                    hedged and where in ("title", "description")):
                continue  # a count, a formula constant, a citation's year ("about 1" is a measurement)
            bad.append(f"{where}: {token!r}")
    return bad


def test_number_finder_reads_every_notation():
    found = [(t, v, h) for t, v, h in _numbers("about 10⁶ and 10⁻⁵, 2^16, 2^-24 ≈ 6e-8, 1.5 ×, 1% of 0..16 "
                                                "{claim:3.a} N(0,1)")]
    values = [v for _, v, _ in found]
    assert values == [1e6, 1e-5, 65536.0, 2.0 ** -24, 6e-8, 1.5, 0.01, 0.0, 16.0, 0.0, 1.0]
    assert [h for _, _, h in found][:2] == [True, False]  # "about 10⁶" is hedged: a measurement
    assert found[4][2]  # "≈ 6e-8" too


def test_unbacked_numbers_are_caught():
    text = ('title = "T"\ndescription = "The gradient is about 10⁶ at 8 layers, η = 0.05, and 3.7 here; '
            'about 1 at the output, 3 in 2015."\n[train]\nlr = 0.05\n')
    assert _unbacked("test", text) == ["description: '10⁶'", "description: '3.7'", "description: '1'"]
    assert _unbacked("test", text.replace("about 10⁶", "x").replace("3.7", "y").replace("about 1", "z")) == []
    # a default the file does not write backs nothing: init_gain is 1 by default, yet "about 1" is measured
    assert "init_gain" not in text


def test_every_definitional_entry_is_used():
    """No stale allow-list entries: each one is a number some bundled text really contains."""
    for name, entries in DEFINITIONAL.items():
        scs = BUNDLED.values() if name == "*" else [BUNDLED[name]]
        written = {t.lstrip("-−") for sc in scs for text in (sc.title, sc.description)
                   for t, _, _ in _numbers(text)}
        assert set(entries) <= written, (name, set(entries) - written)


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_no_hand_typed_measurements_in_titles_and_descriptions(name):
    assert _unbacked(name, Path(bundled_scenarios()[name]).read_text(encoding="utf-8")) == [], (
        "numbers that look measured: fill them from the Recording with {claim:N...}, or list them in "
        "DEFINITIONAL with the reason they are not measurements")
