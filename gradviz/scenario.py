"""Scenario loading: TOML -> validated, frozen dataclasses -> expanded variants.

One table, ``SCHEMA``, declares every key: its type, default, allowed values
and meaning. Validation, the dataclasses, defaults and the README reference
table are all derived from it, so a new key is one entry here.

Every error is a :class:`ScenarioError` naming the key path (``$.model.depth``),
what was expected and what was found.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .scenario_file import UnreadableFile, parse_toml, read_scenario_file, toml_key, toml_value
from .inits import ALIASES as INIT_ALIASES
from .names import (ACTIVATIONS, ANIMATION_FORMATS, DATA_KINDS, DTYPES, FIGURE_FORMATS, INITS,
                    LANGUAGES, LOSS_SCALINGS, LR_SCHEDULES, NORMS, OPTIMIZERS, PRECISION_EXPERIMENTS, SCALES,
                    SCENARIO_KINDS, SIZES, SURFACES)  # noqa: F401 (re-exported)
from .names import did_you_mean


class ScenarioError(ValueError):
    """A scenario that cannot be used; ``path`` is the offending key ($.a.b)."""

    def __init__(self, path: str, message: str, source: str | None = None):
        self.path = path
        self.source = source
        prefix = f"{source}: " if source else ""
        super().__init__(f"{prefix}{path}: {message}")


# --------------------------------------------------------------------------
# The schema: one entry per key.
# --------------------------------------------------------------------------
@dataclass(frozen=True)
class Key:
    name: str
    type: str  # int | float | str | bool | int_or_ints | floats | strs | ints
    default: Any
    doc: str
    choices: tuple = ()
    min: float | None = None
    max: float | None = None
    min_open: bool = False  # min is exclusive
    max_open: bool = False  # max is exclusive
    length: int | None = None  # for list types
    optional: bool = False  # None allowed (absent = None)
    aliases: tuple = ()  # (other name, choice) pairs: accepted, stored as the choice


SCHEMA: dict[str, tuple[Key, ...]] = {
    "": (
        Key("title", "str", "Untitled scenario", "Title shown on figures and in `gradviz list`."),
        Key("description", "str", "", "What the reader should look at; used as the figure caption."),
        Key("seed", "int", 0, "Seed of every random draw (data, init, batches, dropout).", min=0),
        Key("seeds", "int", 1, "Independent repetitions of every variant (init, batch and dropout draws); "
            "recorded along a `seed` axis.", min=1, max=64),
        Key("kind", "str", "training", "What the scenario runs.", choices=SCENARIO_KINDS),
    ),
    "data": (
        Key("kind", "str", "spirals", "Dataset.", choices=DATA_KINDS),
        Key("samples", "int", 600, "Samples before the validation split (digits: 0 = all 1797).", min=0),
        Key("noise", "float", 0.2, "Noise of the synthetic 2-D datasets.", min=0),
        Key("features", "int", 2, "Input dimensions of the `gaussian` dataset.", min=1),
        Key("classes", "int", 0, "Classes; 0 = the dataset's own: spirals 3, circles 2, xor 2, moons 2, "
            "blobs 3, gaussian 3, digits 10 (2..9 keeps digits 0..k-1), file: from the labels.", min=0),
        Key("path", "str", "", "`.npz` file with arrays `X` (n, d) and `y` (n,) for kind = file."),
        Key("scale", "str", "none", "Input scaling fitted on the training split: none, unit [0,1], "
            "symmetric [-1,1], standard (z-score).", choices=SCALES),
        Key("validation", "float", 0.2, "Fraction held out for validation.", min=0, max=1, max_open=True),
        Key("feature_scale", "floats", (1.0, 1.0), "Mixed units: feature j of d is multiplied by "
            "lo·(hi/lo)^(j/(d-1)) before scaling, [lo, hi] each in [1e-9, 1e9]; [0.01, 100] spreads "
            "features over four orders of magnitude, [1, 1] leaves them.", min=1e-9, max=1e9, length=2),
    ),
    "model": (
        Key("depth", "int", 10, "Hidden layers.", min=1, max=1000),
        Key("width", "int_or_ints", 32, "Units per hidden layer: one int, or a list with one per layer.", min=1),
        Key("activation", "str", "tanh", "Nonlinearity of the hidden layers.", choices=ACTIVATIONS),
        Key("init", "str", "glorot", "Weight initialisation (std formulas in the init table).", choices=INITS,
            aliases=tuple(INIT_ALIASES.items())),
        Key("init_gain", "float", 1.0, "Multiplies the init's std.", min=0, min_open=True),
        Key("init_std", "float", None, "Fixed std N(0, init_std^2); overrides `init` when set.",
            min=0, min_open=True, optional=True),
        Key("bias_std", "float", 0.0, "Std of the initial biases (0: zeros).", min=0),
        Key("norm", "str", "none", "Normalisation between the linear map and the nonlinearity.",
            choices=NORMS),
        Key("dropout", "float", 0.0, "Probability of dropping a hidden unit (inverted dropout).", min=0, max=1, max_open=True),
        Key("residual", "bool", False, "Skip connection h + f(h) around every hidden layer whose input and output widths match."),
        Key("dtype", "str", "float64", "Arithmetic precision; float16 and bfloat16 are emulated: float32 "
            "arithmetic rounded to the format at every layer output, gradient and weight update.", choices=DTYPES),
        Key("master_weights", "bool", True, "float16/bfloat16: keep float32 master weights (the passes use "
            "a rounded copy); false stores the weights in the format itself."),
    ),
    "train": (
        Key("optimizer", "str", "sgd", "Update rule (formulas in the optimizer table).", choices=OPTIMIZERS),
        Key("lr", "float", 0.1, "Learning rate η.", min=0, min_open=True),
        Key("momentum", "float", 0.9, "γ of momentum and nesterov.", min=0, max=1, max_open=True),
        Key("betas", "floats", (0.9, 0.999), "Adam's (β1, β2).", min=0, max=1, max_open=True, length=2),
        Key("eps", "float", 1e-8, "ε added to the denominator of adagrad, rmsprop, adam.", min=0, min_open=True),
        Key("alpha", "float", 0.99, "RMSProp's decay of the squared-gradient average.", min=0, max=1, max_open=True),
        Key("batch_size", "int", 64, "Minibatch size, at most the training set (equal: full batch).", min=1),
        Key("epochs", "int", None, "Passes over the training set (default 20 when `steps` is unset too).", min=1, optional=True),
        Key("steps", "int", None, "Training steps, instead of `epochs`.", min=1, optional=True),
        Key("weight_decay", "float", 0.0, "L2 coefficient λ (adds λw to the gradient; decoupled for adamw).", min=0),
        Key("clip_norm", "float", 0.0, "Clip by global norm θ: g ← θ g/‖g‖ when ‖g‖ > θ (0: off).", min=0),
        Key("clip_value", "float", 0.0, "Clip every gradient entry to [-c, c] (0: off).", min=0),
        Key("lr_schedule", "str", "constant", "Learning-rate schedule.",
            choices=LR_SCHEDULES),
        Key("lr_decay", "float", 0.98, "Factor per epoch (exponential) or per `lr_step` epochs (step).",
            min=0, max=1, min_open=True),
        Key("lr_step", "int", 10, "Epochs between decays of the step schedule.", min=1),
        Key("warmup", "int", 0, "Steps of linear warm-up from 0 to `lr`.", min=0),
        Key("early_stopping", "int", 0, "Patience in epochs on validation loss; best weights restored (0: off).", min=0),
        Key("ensemble", "int", 1, "Members trained from different seeds; their averaged prediction is recorded.", min=1, max=64),
        Key("loss_scale", "float", 1.0, "Loss scale S: the backward pass starts from S·∂L/∂logits and the "
            "gradient is divided by S before the update (keeps small float16 gradients representable).",
            min=0, min_open=True),
        Key("loss_scaling", "str", "static", "static: S stays `loss_scale`; dynamic: as PyTorch's GradScaler, "
            "start at 2^16 (or `loss_scale` if set), skip a step and halve S on overflow, double it after "
            "2000 clean steps.", choices=LOSS_SCALINGS),
    ),
    "record": (
        Key("every", "int", 10, "Record statistics every this many steps (step 0 and the last always).", min=1),
        Key("bins", "int", 40, "Histogram bins.", min=2, max=1000),
        Key("weights", "bool", False, "Store the weight matrices at recorded steps."),
        Key("layers", "ints", (), "Layers whose weights are stored (empty: all).", min=0),
        Key("boundary", "int", 0, "Grid resolution of the decision boundary for 2-D data, e.g. 48 (0: off; "
            "it costs a forward pass over the grid at every record).", min=0, max=512),
    ),
    "render": (
        Key("figures", "strs", ("grad_norms",), "Figures to draw."),
        Key("animations", "strs", (), "Animations to make."),
        Key("formats", "strs", ("png",), "Figure file formats.", choices=FIGURE_FORMATS),
        Key("animation_formats", "strs", ("gif",), "Animation file formats (apng is written as .png).",
            choices=ANIMATION_FORMATS),
        Key("lang", "str", "en", "Language of labels and captions (the scenario's own text from "
            "[translations.LANG]).", choices=LANGUAGES),
        Key("size", "str", "web", "Figure size: slide (16:9) or web.", choices=SIZES),
        Key("dpi", "int", 150, "Raster resolution.", min=50, max=600),
        Key("fps", "int", 10, "Animation frames per second.", min=1, max=50),
    ),
    "surface": (
        Key("name", "str", "rosenbrock", "2-D loss surface of an optimizer race (kind = \"surface\").",
            choices=SURFACES),
        Key("start", "floats", None, "Starting point (x, y); default: the surface's own.", length=2, optional=True),
        Key("condition", "float", 20.0, "Condition number of the `quadratic` surface.", min=1),
    ),
    "precision": (
        Key("experiments", "strs", PRECISION_EXPERIMENTS,
            "Float experiments to draw (kind = \"precision\").", choices=PRECISION_EXPERIMENTS),
        Key("a", "str", "1e10", "The large addend of the absorption experiment (exact decimal text)."),
        Key("b", "str", "1e-10", "The small addend of the absorption experiment."),
    ),
}

SECTIONS = tuple(s for s in SCHEMA if s)
_KEYS = {section: {k.name: k for k in keys} for section, keys in SCHEMA.items()}


def _make_section_class(section: str):
    fields = [(k.name, Any, field(default=k.default)) for k in SCHEMA[section]]
    cls = dataclasses.make_dataclass(f"{section.capitalize()}Spec", fields, frozen=True)
    cls.__doc__ = f"The validated [{section}] table (see scenario.SCHEMA)."
    return cls


DataSpec = _make_section_class("data")
ModelSpec = _make_section_class("model")
TrainSpec = _make_section_class("train")
RecordSpec = _make_section_class("record")
RenderSpec = _make_section_class("render")
SurfaceSpec = _make_section_class("surface")
PrecisionSpec = _make_section_class("precision")
_SECTION_CLASSES = {"data": DataSpec, "model": ModelSpec, "train": TrainSpec, "record": RecordSpec,
                    "render": RenderSpec, "surface": SurfaceSpec, "precision": PrecisionSpec}


@dataclass(frozen=True)
class Variant:
    label: str
    overrides: tuple[tuple[str, Any], ...] = ()  # (("model.init", "he"), ...)


@dataclass(frozen=True)
class Translation:
    """The scenario's own text in one language ([translations.LANG])."""
    title: str | None = None
    description: str | None = None
    labels: tuple[str, ...] | None = None
    claims: tuple[str, ...] | None = None    # one text per [[claims]] entry, in order


@dataclass(frozen=True)
class Scenario:
    title: str
    description: str
    seed: int
    seeds: int
    kind: str
    data: Any
    model: Any
    train: Any
    record: Any
    render: Any
    surface: Any
    precision: Any
    variants: tuple[Variant, ...]
    name: str = "scenario"  # file stem: names the output folder
    translations: tuple[tuple[str, Translation], ...] = ()
    claims: tuple = ()  # the raw [[claims]] tables, validated by claims.py (claims.of(scenario))

    def localized(self, lang: str) -> tuple[str, str, list[str]]:
        """(title, description, variant labels) in ``lang``, English where untranslated."""
        tr = dict(self.translations).get(lang, Translation())
        labels = list(tr.labels) if tr.labels else [v.label for v in self.variants]
        return tr.title or self.title, tr.description or self.description, labels

    # -- derived -------------------------------------------------------------
    @property
    def widths(self) -> tuple[int, ...]:
        w = self.model.width
        return tuple(w) if isinstance(w, tuple) else (w,) * self.model.depth

    def expand(self) -> list[tuple[str, "Scenario"]]:
        """One (label, scenario) per variant, the overrides applied and re-validated."""
        out = []
        for i, variant in enumerate(self.variants):
            sections = {s: dataclasses.asdict(getattr(self, s)) for s in SECTIONS}
            for dotted, value in variant.overrides:
                section, key = dotted.split(".", 1)
                sections[section][key] = value
            resolved = _build(self._top_dict(), sections, self.variants, self.name, None,
                              where=f"$.variants[{i}]")
            out.append((variant.label, resolved))
        return out

    def with_overrides(self, overrides: dict) -> "Scenario":
        """A new validated Scenario with keys changed: ``{"model.depth": 30, "train.lr": 0.1}``."""
        from .overrides import with_overrides   # the rules live there (this file is the schema)

        return with_overrides(self, overrides)

    def _top_dict(self) -> dict:
        return {"title": self.title, "description": self.description, "seed": self.seed, "seeds": self.seeds,
                "kind": self.kind}

    def to_dict(self) -> dict:
        d = self._top_dict()
        for s in SECTIONS:
            d[s] = {k: plain(v) for k, v in dataclasses.asdict(getattr(self, s)).items() if v is not None}
        d["variants"] = [{"label": v.label, **{k: plain(x) for k, x in v.overrides}} for v in self.variants]
        if self.claims:
            d["claims"] = [dict(c) for c in self.claims]
        if self.translations:
            d["translations"] = {lang: {k: plain(v) for k, v in dataclasses.asdict(tr).items() if v is not None}
                                 for lang, tr in self.translations}
        return d

    def simulation_hash(self) -> str:
        """Hash of everything that changes the simulation (not [render])."""
        d = self.to_dict()
        for text_only in ("render", "title", "description", "translations", "claims"):
            d.pop(text_only, None)
        for v in d["variants"]:
            v.pop("label")
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]

    def to_toml(self) -> str:
        """The resolved scenario as TOML text (every key explicit)."""
        d = self.to_dict()
        lines = [f"{k} = {toml_value(d[k])}" for k in ("title", "description", "seed", "seeds", "kind")]
        for s in SECTIONS:
            lines += ["", f"[{s}]"] + [f"{k} = {toml_value(v)}" for k, v in d[s].items()]
        for v in d["variants"]:
            lines += ["", "[[variants]]"]
            lines += [f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()]
        for c in d.get("claims", []):
            lines += ["", "[[claims]]"] + [f"{k} = {toml_value(x)}" for k, x in c.items()]
        for lang, tr in d.get("translations", {}).items():
            lines += ["", f"[translations.{lang}]"] + [f"{k} = {toml_value(v)}" for k, v in tr.items()]
        return "\n".join(lines) + "\n"


def plain(v):
    """A value as TOML and `parse` take it (tuples as lists)."""
    return list(v) if isinstance(v, tuple) else v


# --------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------
def load_scenario(source, name: str | None = None) -> Scenario:
    """Load and validate a scenario from a TOML path, TOML text in a ``str``
    that contains a newline, or a parsed ``dict`` (scenario_file.py: reading files)."""
    origin = None
    try:
        if isinstance(source, dict):
            raw = source
        elif isinstance(source, str) and "\n" in source:
            raw = parse_toml(source)
        else:
            origin, name = str(source), name or Path(source).stem
            raw = read_scenario_file(Path(source))
        return parse(raw, name or "scenario")
    except UnreadableFile as exc:
        raise ScenarioError("$", str(exc), origin) from None
    except RecursionError:
        raise ScenarioError("$", "nested too deeply", origin) from None
    except ScenarioError as exc:
        if origin and exc.source is None:
            raise ScenarioError(exc.path, str(exc).split(": ", 1)[1], origin) from None
        raise


def parse(raw: dict, name: str = "scenario") -> Scenario:
    if not isinstance(raw, dict):
        raise ScenarioError("$", f"expected a table, found {_kind(raw)}")
    allowed = set(_KEYS[""]) | set(SECTIONS) | {"compare", "variants", "translations", "claims"}
    _reject_unknown(raw, allowed, "$")
    top = {k.name: _value(k, raw[k.name], f"$.{k.name}") if k.name in raw else k.default
           for k in SCHEMA[""]}
    sections = {}
    for s in SECTIONS:
        table = raw.get(s, {})
        if not isinstance(table, dict):
            raise ScenarioError(f"$.{s}", f"expected a table [{s}], found {_kind(table)}")
        _reject_unknown(table, set(_KEYS[s]), f"$.{s}")
        sections[s] = dict(table)
    variants = _parse_variants(raw)
    scenario = _build(top, sections, variants, name, raw)
    scenario = dataclasses.replace(scenario, translations=_parse_translations(raw, len(variants)))
    scenario.expand()  # validate every variant now, not halfway through a run
    from .claims import ClaimError, validate

    try:
        return dataclasses.replace(scenario, claims=validate(raw.get("claims"), scenario))
    except ClaimError as exc:
        raise ScenarioError(exc.path, exc.message) from None


def _build(top, sections, variants, name, raw, where="$") -> Scenario:
    specs = {}
    for s in SECTIONS:
        values = {}
        for key in SCHEMA[s]:
            path = f"{where}.{s}.{key.name}" if where == "$" else f"{where}.\"{s}.{key.name}\""
            if key.name in sections[s] and sections[s][key.name] is not None:
                values[key.name] = _value(key, sections[s][key.name], path)
            else:
                values[key.name] = key.default
        specs[s] = _SECTION_CLASSES[s](**values)
    scenario = Scenario(variants=variants, name=name, **top, **specs)
    _cross_check(scenario, where)
    return scenario


def _cross_check(sc: Scenario, where: str) -> None:
    def err(key, msg):
        path = f"{where}.{key}" if where == "$" else f'{where}."{key}"'
        raise ScenarioError(path, msg)

    m, t, d = sc.model, sc.train, sc.data
    if isinstance(m.width, tuple) and len(m.width) != m.depth:
        err("model.width", f"expected one width per hidden layer ({m.depth}), found {len(m.width)}")
    if t.epochs is not None and t.steps is not None:
        err("train.steps", "set either train.epochs or train.steps, not both")
    if d.kind in ("xor", "moons") and d.classes not in (0, 2):
        err("data.classes", f"expected 2 (or 0) for data.kind = {d.kind!r}, found {d.classes}")
    if d.classes == 1:
        err("data.classes", "expected 0 (the dataset's own) or at least 2 classes, found 1")
    if d.kind == "digits" and d.classes > 10:
        err("data.classes", f"expected at most 10 for digits, found {d.classes}")
    if d.kind == "file" and not d.path:
        err("data.path", "expected the path of an .npz file with X and y for data.kind = 'file'")
    if d.kind not in ("digits", "file") and d.samples < 2 * max(d.classes, 3):
        err("data.samples", f"expected at least {2 * max(d.classes, 3)} samples, found {d.samples}")
    if t.early_stopping and d.validation == 0:
        err("train.early_stopping", "needs a validation split: set data.validation > 0")
    for lay in sc.record.layers:
        if lay > m.depth:
            err("record.layers", f"expected layer indices 0..{m.depth} (depth = output layer), found {lay}")


def _parse_translations(raw: dict, n_variants: int) -> tuple[tuple[str, Translation], ...]:
    table = raw.get("translations", {})
    if not isinstance(table, dict):
        raise ScenarioError("$.translations", f"expected a table of languages, found {_kind(table)}")
    out = []
    for lang, tr in table.items():
        path = f"$.translations.{lang}"
        if lang not in LANGUAGES:
            raise ScenarioError(path, f"expected a language among {', '.join(LANGUAGES)}{did_you_mean(lang, LANGUAGES)}")
        if not isinstance(tr, dict):
            raise ScenarioError(path, f"expected a table, found {_kind(tr)}")
        _reject_unknown(tr, {"title", "description", "labels", "claims"}, path)
        for key in ("title", "description"):
            if key in tr and not isinstance(tr[key], str):
                raise ScenarioError(f"{path}.{key}", f"expected a string, found {_kind(tr[key])}")
        labels = tr.get("labels")
        if labels is not None and (not isinstance(labels, list) or len(labels) != n_variants
                                   or not all(isinstance(x, str) for x in labels)):
            raise ScenarioError(f"{path}.labels", f"expected a list of {n_variants} strings (one per variant), "
                                f"found {labels!r}")
        texts = tr.get("claims")  # their number is checked against [[claims]] by claims.validate
        if texts is not None and (not isinstance(texts, list) or not all(isinstance(x, str) and x.strip()
                                                                         for x in texts)):
            raise ScenarioError(f"{path}.claims", f"expected a list of non-empty strings (one per [[claims]] "
                                f"entry), found {texts!r}")
        out.append((lang, Translation(tr.get("title"), tr.get("description"),
                                      tuple(labels) if labels is not None else None,
                                      tuple(texts) if texts is not None else None)))
    return tuple(out)


def _parse_variants(raw: dict) -> tuple[Variant, ...]:
    if "compare" in raw and "variants" in raw:
        raise ScenarioError("$.compare", "use either [compare] or [[variants]], not both")
    if "compare" in raw:
        cmp = raw["compare"]
        if not isinstance(cmp, dict):
            raise ScenarioError("$.compare", f"expected a table, found {_kind(cmp)}")
        _reject_unknown(cmp, {"key", "values", "labels"}, "$.compare")
        if "key" not in cmp or "values" not in cmp:
            raise ScenarioError("$.compare", "expected both 'key' (e.g. \"model.init\") and 'values' (a list)")
        dotted = cmp["key"]
        key = _dotted_key(dotted, "$.compare.key")
        values = cmp["values"]
        if not isinstance(values, list) or not values:
            raise ScenarioError("$.compare.values", f"expected a non-empty list, found {_kind(values)}")
        values = [_value(key, v, f"$.compare.values[{i}]") for i, v in enumerate(values)]
        auto = [_label(v) for v in values]  # repeated values get distinct labels: "0.2", "0.2 #2"
        labels = cmp.get("labels", [a + (f" #{auto[:i].count(a) + 1}" if a in auto[:i] else "") for i, a in enumerate(auto)])
        if not isinstance(labels, list) or len(labels) != len(values) or not all(isinstance(x, str) for x in labels):
            raise ScenarioError("$.compare.labels", f"expected a list of {len(values)} strings, found {labels!r}")
        return _checked(tuple(Variant(lab, ((dotted, v),)) for lab, v in zip(labels, values)), "$.compare")
    if "variants" in raw:
        items = raw["variants"]
        if not isinstance(items, list) or not items:
            raise ScenarioError("$.variants", f"expected a non-empty list of [[variants]] tables, found {_kind(items)}")
        out = []
        for i, item in enumerate(items):
            path = f"$.variants[{i}]"
            if not isinstance(item, dict):
                raise ScenarioError(path, f"expected a table, found {_kind(item)}")
            item = _flatten(item)
            label = item.pop("label", f"variant {i + 1}")
            if not isinstance(label, str):
                raise ScenarioError(f"{path}.label", f"expected a string, found {_kind(label)}")
            overrides = []
            for dotted, value in item.items():
                key = _dotted_key(dotted, f'{path}."{dotted}"')
                overrides.append((dotted, _value(key, value, f'{path}."{dotted}"')))
            out.append(Variant(label, tuple(overrides)))
        return _checked(tuple(out), "$.variants")
    return (Variant("baseline"),)


NOT_COMPARABLE = ("model.depth", *(f"record.{k.name}" for k in SCHEMA["record"]))


def _checked(variants: tuple[Variant, ...], path: str) -> tuple[Variant, ...]:
    """Distinct labels (they name curves) and no key that changes the recorded arrays' shapes."""
    labels = [v.label for v in variants]
    for i, v in enumerate(variants):
        if labels.index(v.label) != i:
            raise ScenarioError(f"{path}.labels" if path == "$.compare" else f"{path}[{i}].label", f"variants {labels.index(v.label)} and {i} share the label {v.label!r}; labels must differ")  # noqa: E501
        for dotted, _ in v.overrides:
            if dotted in NOT_COMPARABLE:
                raise ScenarioError(f"{path}.key" if path == "$.compare" else f'{path}[{i}]."{dotted}"',
                                    f"{dotted!r} cannot differ between variants (it changes the shape of the "
                                    f"recorded arrays); not comparable: {', '.join(NOT_COMPARABLE)}")
    return variants


def _flatten(table: dict, prefix: str = "") -> dict:
    """{"model": {"init": "he"}} and {"model.init": "he"} both mean model.init
    (a TOML dotted key without quotes parses as a nested table)."""
    out = {}
    for k, v in table.items():
        full = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, full + "."))
        else:
            out[full] = v
    return out


def _dotted_key(dotted, path) -> Key:
    if not isinstance(dotted, str) or "." not in dotted:
        raise ScenarioError(path, f'expected a dotted key such as "model.init", found {dotted!r}')
    section, name = dotted.split(".", 1)
    if section not in SECTIONS or name not in _KEYS[section]:
        every = [f"{s}.{k}" for s in SECTIONS for k in _KEYS[s]]
        raise ScenarioError(path, f"unknown key {dotted!r}{did_you_mean(dotted, every)}")
    return _KEYS[section][name]


def _label(v) -> str:
    return ", ".join(map(str, v)) if isinstance(v, tuple) else str(v)


def _reject_unknown(table: dict, allowed: set, path: str) -> None:
    for k in table:
        if k not in allowed:
            raise ScenarioError(f"{path}.{k}", f"unknown key{did_you_mean(k, allowed)}; "
                                f"allowed: {', '.join(sorted(allowed))}")


def _kind(v) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string",
             list: "a list", dict: "a table"}
    return f"{names.get(type(v), type(v).__name__)} ({v!r})" if not isinstance(v, dict) else "a table"


def _value(key: Key, v, path: str):
    """Check one value against its Key; return it normalised (lists -> tuples)."""
    t = key.type
    if isinstance(v, tuple):  # already validated once (variant expansion)
        v = list(v)
    if t == "int_or_ints":
        if isinstance(v, list):
            return tuple(_scalar(key, "int", x, f"{path}[{i}]") for i, x in enumerate(v))
        return _scalar(key, "int", v, path)
    if t in ("floats", "strs", "ints"):
        if not isinstance(v, list):
            raise ScenarioError(path, f"expected a list, found {_kind(v)}")
        if key.length is not None and len(v) != key.length:
            raise ScenarioError(path, f"expected a list of {key.length} values, found {len(v)}")
        return tuple(_scalar(key, t[:-1], x, f"{path}[{i}]") for i, x in enumerate(v))
    return _scalar(key, t, v, path)


def _scalar(key: Key, t: str, v, path: str):
    if t == "bool":
        if not isinstance(v, bool):
            raise ScenarioError(path, f"expected true or false, found {_kind(v)}")
        return v
    if t == "str":
        if not isinstance(v, str):
            raise ScenarioError(path, f"expected a string, found {_kind(v)}")
        v = dict(key.aliases).get(v, v)  # e.g. PyTorch's "kaiming_normal" is "he"
        if key.choices and v not in key.choices:
            raise ScenarioError(path, f"expected one of {', '.join(key.choices)}; found {v!r}"
                                f"{did_you_mean(v, key.choices + tuple(dict(key.aliases)))}")
        return v
    if t == "int":
        if isinstance(v, bool) or not isinstance(v, int):
            raise ScenarioError(path, f"expected an integer{_range(key)}, found {_kind(v)}")
    elif t == "float":
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ScenarioError(path, f"expected a number{_range(key)}, found {_kind(v)}")
        v = float(v)
        if not math.isfinite(v):
            raise ScenarioError(path, f"expected a finite number{_range(key)}, found {v!r}")
    if key.min is not None and (v < key.min or (key.min_open and v == key.min)):
        raise ScenarioError(path, f"expected a value{_range(key)}, found {v!r}")
    if key.max is not None and (v > key.max or (key.max_open and v == key.max)):
        raise ScenarioError(path, f"expected a value{_range(key)}, found {v!r}")
    return v


def _range(key: Key) -> str:
    lo = None if key.min is None else f"{'>' if key.min_open else '≥'} {key.min:g}"
    hi = None if key.max is None else f"{'<' if key.max_open else '≤'} {key.max:g}"
    parts = [p for p in (lo, hi) if p]
    return f" {' and '.join(parts)}" if parts else ""


def reference_table() -> str:
    """Markdown table of every key, its default and meaning (for the README)."""
    rows = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for section, keys in SCHEMA.items():
        for k in keys:
            name = f"`{section + '.' if section else ''}{k.name}`"
            default = "unset" if k.default is None else f"`{toml_value(k.default)}`"
            choices = f" One of: {', '.join(k.choices)}." if k.choices and k.type == "str" else ""
            rows.append(f"| {name} | {k.type}{_range(k)} | {default} | {k.doc}{choices} |")
    return "\n".join(rows)
