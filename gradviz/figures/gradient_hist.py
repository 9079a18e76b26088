"""Distribution of back-propagated gradients per layer: density of log10|∂L/∂z|,
one panel per variant, with float16's unrepresentable range shaded
(Glorot & Bengio 2010, Fig. 7)."""
from __future__ import annotations

from ..i18n import N_, t
from .layer_histograms import HistFacts, alt_histograms, compose_histograms

NAME = "gradient_hist"
REQUIRES = ("hist_delta", "hist_delta_edges")
#: Histograms of several seeds do not summarise into one honest curve: one named
#: seed is drawn (option ``seed``, default 0) and the caption says which.
SEEDS = "one"
TITLE = N_("Distribution of back-propagated gradients per layer")
CAPTION = N_(
    "Normalized histograms of the back-propagated gradient |∂L/∂z| in each layer at {when}, one "
    "panel per variant, as in Glorot & Bengio (2010, Fig. 7). The horizontal axis is logarithmic "
    "(powers of ten), so a shift of one tick is a factor of 10. Curves that spread apart from "
    "layer to layer mean gradients vanish or explode with depth; curves that lie on top of each "
    "other mean the gradient keeps its size."
)


def compose(fig, rec, *, lang="en", step=0, layers=None) -> HistFacts:
    """Glorot & Bengio Fig. 7: density of log10|∂L/∂z| per layer, one panel per variant.
    ``step``: training step (nearest record); ``layers``: layer numbers as labelled."""
    return compose_histograms(fig, rec, lang, "hist_delta", step, layers, TITLE)


def caption(facts: HistFacts, lang: str) -> str:
    return t(CAPTION, lang, when=facts.when)


alt = alt_histograms
