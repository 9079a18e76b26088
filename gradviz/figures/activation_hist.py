"""Distribution of activations per layer: one panel per variant, one density
curve per hidden layer (Glorot & Bengio 2010, Fig. 6)."""
from __future__ import annotations

from ..i18n import N_, t
from ..panels.recording import activation_text
from .layer_histograms import HistFacts, alt_histograms, compose_histograms
from .saturation import RULE as SATURATION_RULE

NAME = "activation_hist"
REQUIRES = ("hist_act", "hist_act_edges")
#: Histograms of several seeds do not summarise into one honest curve: one named
#: seed is drawn (option ``seed``, default 0) and the caption says which.
SEEDS = "one"
TITLE = N_("Distribution of activations per layer")
CAPTION = N_(
    "Normalized histograms of the activation values (output of {act}) in each hidden layer at "
    "{when}, one panel per variant, as in Glorot & Bengio (2010, Fig. 6). Colour goes from the "
    "first hidden layer (dark) to the last (light). Peaks at the ends of the range are saturated "
    "units; a growing spike at 0 in deeper layers means the signal is fading."
)


def compose(fig, rec, *, lang="en", step=0, layers=None) -> HistFacts:
    """Glorot & Bengio Fig. 6: density of each hidden layer's activations, one panel
    per variant. ``step``: training step (nearest record, default 0 = init);
    ``layers``: list of layer numbers as labelled (1 = first hidden, "out")."""
    return compose_histograms(fig, rec, lang, "hist_act", step, layers, TITLE)


def caption(facts: HistFacts, lang: str) -> str:
    text = t(CAPTION, lang, act=activation_text(facts.act), when=facts.when)
    if set(facts.acts or ()) & {"tanh", "sigmoid"}:   # the notes' "saturated" is this rule, not the bars
        text += " " + t(SATURATION_RULE, lang)
    return text


alt = alt_histograms
