"""``Scenario.with_overrides``: change a few keys of a validated scenario, get a
new validated one (the notebook's "change one knob")."""
from __future__ import annotations

from .names import did_you_mean
from .scenario import SCHEMA, SECTIONS, Scenario, ScenarioError, parse


def with_overrides(sc: Scenario, overrides: dict) -> Scenario:
    """``sc`` with ``{"model.depth": 30, "train.lr": 0.1}`` applied, re-validated.

    Keys are the dotted keys ``[[variants]]`` use, or top-level keys such as
    ``"seeds"``. A key that a variant sets is refused: the variant's value
    would win, so the override would change nothing. Every error is a
    :class:`ScenarioError` naming the key (``$.model.depth: ...``).
    """
    top = {k.name for k in SCHEMA[""]}
    dotted_keys = [f"{s}.{k.name}" for s in SECTIONS for k in SCHEMA[s]]
    raw = sc.to_dict()
    for dotted, value in dict(overrides).items():
        where = f"$.{dotted}"
        if dotted in top:
            raw[dotted] = value
            continue
        if dotted not in dotted_keys:
            raise ScenarioError(where, f"unknown key {dotted!r}{did_you_mean(dotted, dotted_keys + sorted(top))}")
        setters = [v["label"] for v in raw["variants"] if dotted in v]
        if setters:
            raise ScenarioError(where, f"set by the variant(s) {', '.join(setters)}, whose values win; "
                                "override the key in [[variants]] instead")
        section, key = dotted.split(".", 1)
        raw[section][key] = list(value) if isinstance(value, tuple) else value
    if raw["variants"] == [{"label": "baseline"}]:  # the implicit single variant
        raw.pop("variants")
    return parse(raw, sc.name)
