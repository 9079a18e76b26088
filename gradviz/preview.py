"""The ``--quick`` preview of a scenario: the same experiment, shrunk to seconds.

CI renders every bundled scenario this way; `render --quick` writes it to its
own folder so a preview never replaces the full run.
"""
from __future__ import annotations

import dataclasses

from . import claims
from .scenario import Scenario, parse, plain


def quick(sc: Scenario) -> Scenario:
    """A fast preview of ``sc`` (``gradviz render --quick``, CI): same depth,
    data kind and knobs, but at most 300 samples, width 16, about 60 steps."""
    shrink = {
        "data.samples": lambda v: min(v, 300) if v else 300,
        "model.width": lambda v: tuple(min(w, 16) for w in v) if isinstance(v, (list, tuple)) else min(v, 16),
        "train.epochs": lambda v: None if v is None else min(v, 3),
        "train.steps": lambda v: None if v is None else min(v, 60),
        "train.ensemble": lambda v: min(v, 2),
        "train.batch_size": lambda v: min(v, 128),  # stays within the shrunk training set
        "train.early_stopping": lambda v: min(v, 1),
        "record.every": lambda v: min(v, 5),
        "record.boundary": lambda v: min(v, 32),
    }
    raw = sc.to_dict()
    if raw["train"].get("steps") is None and raw["train"].get("epochs") is None:
        raw["train"]["epochs"] = 3
    for dotted, f in shrink.items():
        section, key = dotted.split(".")
        if key in raw[section]:
            raw[section][key] = plain(f(raw[section][key]))
        for variant in raw["variants"]:
            if dotted in variant:
                variant[dotted] = plain(f(variant[dotted]))
    if raw["variants"] == [{"label": "baseline"}]:  # the implicit single variant
        raw.pop("variants")
    return parse(raw, sc.name)


def preview_claims(sc: Scenario, say) -> Scenario:
    """``sc`` (already shrunk by :func:`quick`) with its step claims made readable.

    A preview's few steps may not record the step a claim names (``at = 50``,
    ``than_at = 50``): such claims are read at the preview's last record instead.
    ``say`` is told so, and that the verdicts of a preview are a preview too
    (``gradviz verify`` checks them at full size)."""
    if not sc.claims:
        return sc
    # a shrunk run may not show what the full one does: say so before any warning
    say(f"{sc.name}: --quick: claim verdicts are of this shrunk preview; "
        f"`gradviz verify {sc.name}` checks them at full size")
    moved = [i for i, c in enumerate(claims.of(sc)) if isinstance(c.at, int) or isinstance(c.than_at, int)]
    if not moved:
        return sc
    many = len(moved) != 1
    say(f"{sc.name}: --quick: claim{'s' * many} {', '.join(str(i + 1) for i in moved)} "
        f"read at the preview's last record, not at {'their' if many else 'its'} step")
    raw = [dict(c) for c in sc.claims]
    for i in moved:
        raw[i].update({k: "end" for k in ("at", "than_at") if isinstance(raw[i].get(k), int)})
    return dataclasses.replace(sc, claims=tuple(raw))
