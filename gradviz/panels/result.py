"""What a draw function returns: the typed result every figure reads."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Drawn:
    """What one panel drew that its figure must account for.

    ``handles``: ``[(artist, label), ...]`` for a figure-level legend;
    ``nonfinite``: how many plotted values were NaN/Inf (drawn in
    :data:`gradviz.style.NONFINITE`, never silently dropped); ``zeros``: how
    many values were exactly 0 on a log axis (on a floor marker);
    ``not_run``: steps a variant never reached were hatched; ``diverged``:
    variant -> its first non-finite step. Draw functions with more to report
    return a subclass.
    """
    handles: list = field(default_factory=list)
    nonfinite: int = 0
    zeros: int = 0
    not_run: bool = False
    diverged: dict = field(default_factory=dict)


def merge(results) -> Drawn:
    """One :class:`Drawn` for several panels: legend entries once per label, counts added."""
    out = Drawn()
    seen = set()
    for r in results:
        for h, lab in r.handles:
            if lab not in seen:
                seen.add(lab)
                out.handles.append((h, lab))
        out.nonfinite += int(r.nonfinite)
        out.zeros += int(r.zeros)
        out.not_run = out.not_run or bool(r.not_run)
        out.diverged.update(r.diverged)
    return out
