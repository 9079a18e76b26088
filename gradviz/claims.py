"""Lesson claims: what a scenario's figures must show, checked on its Recording.

A scenario declares its claims as data (design.md section 8)::

    [[claims]]
    text = "Standardised inputs reach a lower validation loss than raw inputs"
    quantity = "val_loss"     # a recorded quantity (per-layer ones need `layer`)
    at = "end"                # end | best | min | max | init | a step number
    variant = "standardised"  # a variant label, or its index
    compare = "<"             # < <= > >= ; ratio< ratio> (variant/than against `value`)
    than = "raw"              # another label ... or `value = 0.5`
    hold = 0.8                # the median holds, and at least this share of seeds does

Optional keys: ``layer`` (an index from 0 into the layer axis, shown as layer
index + 1 as the figures number layers; or ``"out"`` for the output layer),
``than_at`` and ``than_layer`` (read the other side elsewhere, e.g. the same
variant at ``init``; default: as ``at`` and ``layer``).

Reading a value, for every seed: ``end`` is the last finite record (early
stopping and divergence leave NaN after the last step reached); ``init`` the
first record; ``best`` the minimum, or the maximum for accuracies; ``min`` and
``max`` as said; a step number the record at that step. A NaN value never
holds. The median is taken over seeds on each side (for ratios: the median of
the per-seed ratios), and the claim passes when the median comparison holds
and at least ``hold`` of the seeds hold one by one (seed k against seed k).

Descriptions may quote measured numbers: ``{claim:N}`` (the claim's medians,
"a vs b", or the median ratio of a ratio claim; N counted from 1),
``{claim:N.a}``, ``{claim:N.b}`` (one side's median), ``{claim:N.ratio}``,
``{claim:N.share}`` (the share of seeds that hold, in %), ``{claim:N.seeds}``
(how many seeds); :func:`fill` puts
them in at render time, so no number in a caption is typed by hand.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from . import quantities
from .i18n import LRI, N_, PDI, is_rtl, isolate_ltr, nt, t
from .readme import md_escape

COMPARES = ("<", "<=", ">", ">=", "ratio<", "ratio>")
NAMED_AT = ("end", "best", "min", "max", "init")
_KEYS = {"text", "quantity", "at", "variant", "compare", "than", "value", "hold", "layer",
         "than_at", "than_layer"}
_READABLE = {"record", "step"}


class ClaimError(ValueError):
    """A bad claim table: ``path`` names the key (``$.claims[2].than``).

    scenario.py turns it into a ScenarioError (this module must not import
    scenario.py, which imports it)."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path, self.message = path, message
  # axes a claim reads along `at`; `layer` picks one layer


@dataclass(frozen=True)
class Claim:
    text: str
    quantity: str
    variant: int                  # variant index
    compare: str
    at: str | int = "end"
    than: int | None = None       # variant index of the other side
    value: float | None = None
    hold: float = 0.8
    layer: int | str | None = None
    than_at: str | int | None = None
    than_layer: int | str | None = None


@dataclass(frozen=True)
class Verdict:
    claim: Claim
    a: np.ndarray                 # per-seed values of the variant side
    b: np.ndarray                 # per-seed values of the other side (the constant when `value`)
    median_a: float
    median_b: float
    median_ratio: float | None    # ratio claims only
    held: np.ndarray              # per-seed booleans
    median_holds: bool

    @property
    def share(self) -> float:
        return float(np.mean(self.held)) if self.held.size else 0.0

    @property
    def passed(self) -> bool:
        return bool(self.median_holds and self.share >= self.claim.hold - 1e-12)


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------
def parse_claims(raw, labels: list[str], where: str = "$.claims") -> tuple[Claim, ...]:
    """Validate the ``[[claims]]`` tables against the scenario's variant labels."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
        raise ClaimError(where, "expected an array of tables [[claims]]")
    return tuple(_parse_one(c, labels, f"{where}[{i}]") for i, c in enumerate(raw))


def validate(raw, scenario) -> tuple[dict, ...]:
    """The raw ``[[claims]]`` tables of ``scenario``, checked (scenario.py stores them)."""
    if raw is None:
        raw = []
    parse_claims(raw, [v.label for v in scenario.variants])
    check_placeholders(scenario.description, len(raw), "$.description")
    for lang, tr in getattr(scenario, "translations", ()):  # a translation fills the same claims
        check_placeholders(tr.description, len(raw), f"$.translations.{lang}.description")
        if tr.claims is not None and len(tr.claims) != len(raw):
            raise ClaimError(f"$.translations.{lang}.claims", f"expected {len(raw)} texts (one per [[claims]] "
                             f"entry, in order), found {len(tr.claims)}")
    return tuple(dict(c) for c in raw)


def texts(scenario, lang: str) -> list[str]:
    """The claim texts of ``scenario`` in ``lang``: ``[translations.LANG] claims`` (one per
    ``[[claims]]`` entry, in order, as ``labels`` is one per variant), English where untranslated."""
    english = [c["text"] for c in scenario.claims]
    tr = dict(scenario.translations).get(lang)
    return list(tr.claims) if tr is not None and tr.claims else english


def of(scenario) -> tuple[Claim, ...]:
    """The claims of a loaded scenario, parsed."""
    return parse_claims(list(scenario.claims), [v.label for v in scenario.variants])


def _parse_one(c: dict, labels: list[str], where: str) -> Claim:
    unknown = sorted(set(c) - _KEYS)
    if unknown:
        raise ClaimError(f"{where}.{unknown[0]}", f"unknown key; expected one of {', '.join(sorted(_KEYS))}")
    for key in ("text", "quantity", "variant", "compare"):
        if key not in c:
            raise ClaimError(f"{where}.{key}", "missing (every claim needs text, quantity, variant, compare)")
    text = _str(c["text"], f"{where}.text")
    quantity = _quantity(c["quantity"], f"{where}.quantity")
    compare = _str(c["compare"], f"{where}.compare")
    if compare not in COMPARES:
        raise ClaimError(f"{where}.compare", f"expected one of {', '.join(COMPARES)}; found {compare!r}")
    if ("than" in c) == ("value" in c) and not compare.startswith("ratio"):
        raise ClaimError(f"{where}.than", "expected exactly one of `than` (a variant) or `value` (a number)")
    if compare.startswith("ratio") and "value" not in c:
        raise ClaimError(f"{where}.value", f"{compare} needs `value`: variant/than is compared with it")
    if compare.startswith("ratio") and "than" not in c and "than_at" not in c and "than_layer" not in c:
        raise ClaimError(f"{where}.than", f"{compare} needs `than` (or than_at / than_layer): the ratio's denominator")
    value = None
    if "value" in c:
        value = c["value"]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
            raise ClaimError(f"{where}.value", f"expected a finite number; found {value!r}")
        value = float(value)
    hold = c.get("hold", 0.8)
    if isinstance(hold, bool) or not isinstance(hold, (int, float)) or not 0 < hold <= 1:
        raise ClaimError(f"{where}.hold", f"expected a share of seeds in (0, 1]; found {hold!r}")
    per_layer = quantities.get(quantity).axes[-1:] == ("layer",)
    layer = _layer(c.get("layer"), per_layer, f"{where}.layer")
    than_layer = _layer(c.get("than_layer"), per_layer, f"{where}.than_layer", optional=True)
    variant = _variant(c["variant"], labels, f"{where}.variant")
    than = _variant(c["than"], labels, f"{where}.than") if "than" in c else None
    if than is None and not compare.startswith("ratio") and ("than_at" in c or "than_layer" in c):
        raise ClaimError(f"{where}.than_at", "than_at/than_layer read the other side; with `value` there is none")
    return Claim(text=text, quantity=quantity, variant=variant, compare=compare,
                 at=_at(c.get("at", "end"), f"{where}.at"), than=than, value=value, hold=float(hold),
                 layer=layer, than_at=_at(c["than_at"], f"{where}.than_at") if "than_at" in c else None,
                 than_layer=than_layer)


def _str(v, where) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ClaimError(where, f"expected a non-empty string; found {v!r}")
    return v


def _quantity(v, where) -> str:
    name = _str(v, where)
    try:
        q = quantities.get(name)
    except KeyError:
        raise ClaimError(where, f"no recorded quantity {name!r} (see the README's quantity table)") from None
    if "variant" not in q.axes or not set(q.axes[1:]) <= _READABLE | {"layer"}:
        raise ClaimError(where, f"{name!r} has axes {q.axes}: a claim reads one number per variant and seed")
    return name


def _at(v, where):
    if isinstance(v, bool) or not (v in NAMED_AT or (isinstance(v, int) and v >= 0)):
        raise ClaimError(where, f"expected one of {', '.join(NAMED_AT)} or a step number ≥ 0; found {v!r}")
    return v


def _layer(v, per_layer: bool, where, optional: bool = False):
    if v is None:
        if per_layer and not optional:
            raise ClaimError(where, "a per-layer quantity needs `layer` (an index, or \"out\")")
        return None
    if not per_layer:
        raise ClaimError(where, "this quantity has no layer axis")
    if v == "out" or (isinstance(v, int) and not isinstance(v, bool) and v >= 0):
        return v
    raise ClaimError(where, f"expected a layer index ≥ 0 or \"out\"; found {v!r}")


def _variant(v, labels: list[str], where) -> int:
    if isinstance(v, int) and not isinstance(v, bool) and 0 <= v < len(labels):
        return v
    if isinstance(v, str) and v in labels:
        return labels.index(v)
    raise ClaimError(where, f"expected a variant label ({', '.join(map(repr, labels))}) or index; found {v!r}")


# --------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------
def values(rec, name: str, variant: int, at, layer=None) -> np.ndarray:
    """One value per seed: ``name`` of ``variant`` read at ``at`` (and ``layer``)."""
    arr, axes = np.asarray(rec.get(name), dtype=np.float64), list(rec.axes[name])
    arr = np.take(arr, variant, axis=axes.index("variant"))
    axes.remove("variant")
    if "seed" in axes:
        arr = np.moveaxis(arr, axes.index("seed"), 0)
        axes.remove("seed")
        axes.insert(0, "seed")
    else:
        arr, axes = arr[None], ["seed", *axes]
    if "layer" in axes:
        index = arr.shape[axes.index("layer")] - 1 if layer == "out" else layer
        arr = np.take(arr, index, axis=axes.index("layer"))
        axes.remove("layer")
    if len(axes) == 1:  # one number per variant (e.g. best_epoch): `at` does not apply
        return arr
    along = axes[1]
    if along == "record":
        steps = np.asarray(rec.steps)
    else:
        steps = np.arange(arr.shape[1])
    return np.array([_read(row, steps, at, name) for row in arr])


def _read(row: np.ndarray, steps: np.ndarray, at, name: str) -> float:
    finite = np.flatnonzero(np.isfinite(row))
    if at == "init":
        return float(row[0])
    if isinstance(at, int):
        hit = np.flatnonzero(steps == at)
        if not hit.size:
            raise ClaimError("$.claims", f"no record at step {at} (recorded steps {steps[0]}..{steps[-1]})")
        return float(row[hit[0]])
    if not finite.size:
        return float("nan")
    if at == "end":
        return float(row[finite[-1]])
    biggest = at == "max" or (at == "best" and "acc" in name)
    return float(np.nanmax(row) if biggest else np.nanmin(row))


def _holds(a, b, op: str):
    with np.errstate(invalid="ignore"):
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def evaluate(claim: Claim, rec) -> Verdict:
    """The claim's per-seed values, medians and verdict on ``rec``."""
    a = values(rec, claim.quantity, claim.variant, claim.at, claim.layer)
    ratio = claim.compare.startswith("ratio")
    other = claim.than if claim.than is not None else claim.variant
    if claim.than is not None or ratio:
        b = values(rec, claim.quantity, other,
                   claim.at if claim.than_at is None else claim.than_at,
                   claim.layer if claim.than_layer is None else claim.than_layer)
    else:
        b = np.full_like(a, claim.value)
    med_a, med_b = _median(a), _median(b)
    if ratio:
        op = claim.compare[len("ratio"):]
        with np.errstate(divide="ignore", invalid="ignore"):
            r = a / b
        held = _holds(r, claim.value, op) & np.isfinite(r)
        med_r = _median(r)
        return Verdict(claim, a, b, med_a, med_b, med_r, held, bool(_holds(med_r, claim.value, op)))
    held = _holds(a, b, claim.compare) & np.isfinite(a) & np.isfinite(b)
    return Verdict(claim, a, b, med_a, med_b, None, held, bool(_holds(med_a, med_b, claim.compare)))


def _median(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    return float(np.median(x)) if x.size else float("nan")


def evaluate_all(claims, rec) -> list[Verdict]:
    return [evaluate(c, rec) for c in claims]


# --------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------
#: Quantities a claim prints as a percentage, as the figures do (accuracies and shares).
PERCENT = frozenset({"acc", "val_acc", "trace_acc", "member_val_acc", "saturation", "dead", "grad_zero",
                     "grad_underflow", "grad_overflow", "delta_underflow", "update_lost"})
#: Quantities whose −1 means "it never happened" (quantities.py: "−1: none").
NEVER = frozenset({"first_nonfinite_step", "early_stop_epoch"})
#: What the claims table calls a quantity that no figure labels (the others: quantities.label).
_NAMES = {
    "val_loss": N_("validation loss"),
    "val_acc": N_("validation accuracy"),
    # TRANSLATORS: the recorded training loss, measured on each step's minibatch
    "loss": N_("training loss (minibatch)"),
    "acc": N_("training accuracy (minibatch)"),
    "loss_scale": N_("loss scale S"),
    # TRANSLATORS: the recorded value is 1 where dynamic loss scaling skipped the step, else 0
    "skipped": N_("skipped step (1 = skipped)"),
    # TRANSLATORS: an optimizer race: the value of the surface f(w₁, w₂) at the optimizer's position
    "path_loss": N_("value of f"),
    "first_nonfinite_step": N_("first step with a NaN/Inf loss or gradient"),
    "grad_underflow": N_("share of ∂L/∂W entries rounded to 0 (underflow)"),
}


def quantity_name(name: str, lang: str = "en") -> str:
    """What the claims table prints for a quantity: its words in ``lang``, not its array name."""
    return t(_NAMES[name], lang) if name in _NAMES else quantities.label(name, lang)


def number(x: float, lang: str = "en", quantity: str | None = None) -> str:
    """A measured value as the figures print it (:func:`gradviz.style.fmt_num`): three
    significant digits, U+2212 minus, ``×10⁻⁸``, the language's decimal separator; a
    percentage for accuracies and shares; "never" for the −1 of first_nonfinite_step;
    whole numbers whole (a loss scale 65536, a step 5)."""
    from . import style

    x = float(x)
    if quantity in NEVER and x == -1:
        # TRANSLATORS: in the claims table: the run never reached a non-finite loss (value −1)
        return t("never", lang)
    if quantity in PERCENT and np.isfinite(x):
        return style.percent(number(100 * x, lang), lang)
    if np.isfinite(x) and x == int(x) and abs(x) < 1e6:
        return str(int(x)).replace("-", "−")
    if not np.isfinite(x):
        return style.fmt_num(x, 3, lang)
    # the fewest digits that say it to three significant ones: 10⁻⁴ and 0.5, not 1.00×10⁻⁴, 0.500
    digits = next(d for d in (1, 2, 3) if float(f"{x:.{d}g}") == float(f"{x:.3g}"))
    return style.fmt_num(x, digits, lang)


#: the words of ``at`` in a summary (the English text is the key itself)
_AT_WORDS = {
    # TRANSLATORS: where a claim reads a value: at the last recorded step
    "end": N_("end"),
    # TRANSLATORS: where a claim reads a value: at step 0, before any update
    "init": N_("init"),
    # TRANSLATORS: where a claim reads a value: its best record (lowest loss, highest accuracy)
    "best": N_("best"),
    # TRANSLATORS: where a claim reads a value: its smallest record
    "min": N_("min"),
    # TRANSLATORS: where a claim reads a value: its largest record
    "max": N_("max"),
}


def _range(x: np.ndarray, lang: str, quantity: str | None = None) -> str:
    x = x[np.isfinite(x)]
    never = quantity in NEVER and bool(np.any(x == -1))
    x = x[x != -1] if quantity in NEVER else x
    if not x.size:
        return number(-1, lang, quantity) if never else t("no finite value", lang)
    span = number(x.min(), lang, quantity)
    span = span if x.min() == x.max() else f"{span}..{number(x.max(), lang, quantity)}"
    return f"{span}, {number(-1, lang, quantity)}" if never else span


def _where(at, layer, lang: str) -> str:
    where = t(_AT_WORDS[at], lang) if at in _AT_WORDS else t("step {n}", lang, n=at)
    if layer is None:
        return where
    # `layer` indexes the layer axis from 0; figures and captions number layers
    # from 1 (panels.recording), so the text does too
    return where + ", " + (t("output layer", lang) if layer == "out" else t("layer {n}", lang, n=layer + 1))


def _ltr(text: str, lang: str) -> str:
    """A number, a formula or a name as one left-to-right run (LRI … PDI) in a
    right-to-left language; the sentence's own words and operators stay outside."""
    return f"{LRI}{text}{PDI}" if is_rtl(lang) else text


def _side(v: Verdict, rec_labels, which: str, lang: str) -> str:
    c = v.claim
    if which == "b" and c.than is None and not c.compare.startswith("ratio"):
        return _ltr(number(c.value, lang, c.quantity), lang)
    x, med = (v.a, v.median_a) if which == "a" else (v.b, v.median_b)
    idx = c.variant if which == "a" or c.than is None else c.than
    at = c.at if which == "a" or c.than_at is None else c.than_at
    layer = c.layer if which == "a" or c.than_layer is None else c.than_layer
    label = isolate_ltr(rec_labels[idx]) if is_rtl(lang) else rec_labels[idx]
    measured = f"{number(med, lang, c.quantity)} [{_range(x, lang, c.quantity)}]"
    return f"{label} ({_where(at, layer, lang)}) {_ltr(measured, lang)}"


def summary(v: Verdict, labels, lang: str = "en") -> str:
    """``validation loss: standard (end) 0.39 [0.37..0.41] < raw (end) 0.42 [...]; 5/5 seeds``,
    numbers as :func:`number` writes them in ``lang``.

    In a right-to-left language every number, label and the quantity's name is its own
    left-to-right run, and the comparison operators belong to the sentence (the bidi
    algorithm mirrors ``<`` there, so it still points at the smaller side)."""
    c = v.claim
    n = v.held.size
    a = _side(v, labels, "a", lang)
    if c.compare.startswith("ratio"):
        b = _side(v, labels, "b", lang)
        ratio, value = number(v.median_ratio, lang), number(c.value, lang)
        body = f"{a} / {b} = {_ltr(ratio, lang)} {c.compare[5:]} {_ltr(value, lang)}"
    else:
        body = f"{a} {c.compare} {_side(v, labels, 'b', lang)}"
    need = int(np.ceil(c.hold * n - 1e-9))
    seeds = nt("{held}/{n} seed holds (need {need})", "{held}/{n} seeds hold (need {need})", n, lang,
               held=int(v.held.sum()), n=n, need=need)
    name = quantity_name(c.quantity, lang)       # t() has isolated its left-to-right runs
    return f"{name}: {body}; {seeds}"


def as_text(verdicts, labels) -> str:
    lines = []
    for i, v in enumerate(verdicts, 1):
        lines.append(f"  [{'PASS' if v.passed else 'FAIL'}] {i}. {v.claim.text}")
        lines.append(f"         {summary(v, labels)}")
    return "\n".join(lines)


def _cell(text: str, lang: str, isolate: bool = True) -> str:
    """Text for one cell of a Markdown table: escaped, ``|`` literal, left-to-right runs
    isolated in a right-to-left language (unless ``text`` was built isolated, :func:`summary`)."""
    text = isolate_ltr(text) if isolate and is_rtl(lang) else text
    return md_escape(text).replace("|", "\\|")


def as_markdown(verdicts, labels, lang: str = "en", texts=None) -> str:
    """The output README's verdicts section in ``lang`` (empty when there is no claim).

    ``labels`` are the variant labels and ``texts`` the claim texts to show (:func:`texts`:
    the scenario's translation; default: each claim's own English text)."""
    if not verdicts:
        return ""
    texts = list(texts) if texts is not None else [v.claim.text for v in verdicts]
    # message ids outside f-strings: the catalogue extractor does not look inside them
    heading = _cell(t("Claims checked on this recording", lang), lang)
    claim_word = _cell(t("claim", lang), lang)
    measured_word = _cell(t("measured (median [seed range])", lang), lang)
    passed, failed = _cell(t("PASS", lang), lang), "**" + _cell(t("FAIL", lang), lang) + "**"
    lines = [f"## {heading}", "", f"| | {claim_word} | {measured_word} |", "|---|---|---|"]
    for v, text in zip(verdicts, texts):
        mark = passed if v.passed else failed
        lines.append(f"| {mark} | {_cell(text, lang)} | {_cell(summary(v, labels, lang), lang, isolate=False)} |")
    return "\n".join(lines) + "\n"


_PLACEHOLDER = re.compile(r"\{claim:(\d+)(?:\.(a|b|ratio|share|seeds))?\}")


def fill(text: str, verdicts, lang: str = "en") -> str:
    """Replace ``{claim:N}``, ``{claim:N.a|b|ratio|share|seeds}`` by the measured numbers of
    claim N, written as the figures write numbers in ``lang`` (:func:`number`)."""
    from .style import percent

    def one(m):
        i, part = int(m.group(1)), m.group(2)
        if not 1 <= i <= len(verdicts):
            raise ClaimError("$.description", f"{m.group(0)}: there are {len(verdicts)} claims")
        v = verdicts[i - 1]
        q = v.claim.quantity
        if part == "share":
            return percent(f"{100 * v.share:.0f}", lang)
        if part == "seeds":
            return str(v.held.size)
        if part == "a":
            return number(v.median_a, lang, q)
        if part == "b":
            return number(v.median_b, lang, q)
        if part == "ratio" or v.claim.compare.startswith("ratio"):
            return number(v.median_ratio if v.median_ratio is not None else v.median_a / v.median_b, lang)
        # TRANSLATORS: {claim:N} in a description: the two measured medians a claim compares
        return t("{a} vs {b}", lang, a=number(v.median_a, lang, q), b=number(v.median_b, lang, q))
    return _PLACEHOLDER.sub(one, text)


def check_placeholders(text: str, n_claims: int, where: str) -> None:
    """Placeholders that name a claim the scenario does not have, at load time."""
    for m in _PLACEHOLDER.finditer(text or ""):
        if not 1 <= int(m.group(1)) <= n_claims:
            raise ClaimError(where, f"{m.group(0)}: the scenario declares {n_claims} claims")
