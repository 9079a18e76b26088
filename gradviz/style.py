"""Palettes, sizes, fonts and locale strings shared by every figure and animation.

Nothing here draws: :mod:`gradviz.plots` and :mod:`gradviz.render` read these
constants so a change of style needs no re-run of a simulation.

* Categorical colours (one per variant) are the Okabe-Ito palette, which stays
  distinguishable under the common colour-vision deficiencies.
* Magnitudes use ``cividis`` (perceptually uniform, colour-blind safe);
  ``viridis`` is the alternative for layer orderings.
* Non-finite values (NaN/Inf) always use :data:`NONFINITE`, a magenta that is
  in neither palette, and are counted in a legend or annotation.
* Exact zeros on a log axis cannot be placed: they sit on a floor marker in
  :data:`FLOOR` and are counted too.

Sizes: ``"web"`` is 8 x 4.5 in and ``"slide"`` 12.8 x 7.2 in (16:9, 1920 x 1080
pixels at the default 150 dpi). The slide size uses larger type than a plain
scale-up so labels stay readable from the back of a room.

Locale strings: :func:`t` looks a key up in :data:`STRINGS` for one of
:data:`LANGUAGES` (the lesson's languages plus English) and falls back to
English. Hebrew is stored in logical order: matplotlib >= 3.11 shapes
right-to-left text itself, so nothing is pre-reordered here.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib as mpl

# -- colours -----------------------------------------------------------------

#: Okabe & Ito (2008), "Color Universal Design", in their published order.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#0072B2",
             "#D55E00", "#CC79A7", "#F0E442", "#000000")
#: Order used for variants: the pale yellow comes late because thin yellow
#: lines vanish on white.
VARIANT_ORDER = ("#0072B2", "#E69F00", "#009E73", "#D55E00",
                 "#56B4E9", "#CC79A7", "#000000", "#F0E442")
MAGNITUDE_CMAP = "cividis"   #: heat maps of magnitudes (log10 scale)
LAYER_CMAP = "viridis"       #: one colour per layer, input (dark) to output (yellow)
NONFINITE = "#FF00CC"        #: NaN / Inf, in no other palette used here
FLOOR = "#8C8C8C"            #: exact zeros on a log axis (drawn at the floor)
NOT_RUN = "#D9D9D9"          #: hatch for steps a variant never reached
GRID = "#E6E6E6"
TEXT_MUTED = "#555555"


def variant_color(i: int) -> str:
    """Colour of variant ``i`` (cycles after eight variants)."""
    return VARIANT_ORDER[i % len(VARIANT_ORDER)]


def layer_colors(n: int) -> list:
    """``n`` colours from :data:`LAYER_CMAP`, avoiding its faint yellow end."""
    cmap = mpl.colormaps[LAYER_CMAP]
    if n <= 1:
        return [cmap(0.35)]
    return [cmap(0.88 * i / (n - 1)) for i in range(n)]


# -- sizes and fonts -----------------------------------------------------------

@dataclass(frozen=True)
class Size:
    width: float   # inches
    height: float  # inches
    font: float    # base font size in points

    @property
    def scale(self) -> float:
        """Line widths and marker sizes relative to the web size."""
        return self.font / 10.0


SIZES = {
    "web": Size(8.0, 4.5, 10.0),
    "slide": Size(12.8, 7.2, 17.0),
}
DEFAULT_SIZE = "web"
DEFAULT_DPI = 150
#: DejaVu Sans has Latin (with Romanian ș ț), Cyrillic, Hebrew, Greek and the
#: maths symbols used in labels (‖ ∂ δ η θ ₁₀), so one font covers every language.
FONT_FAMILY = "DejaVu Sans"
#: Fixed salt so SVG element ids are identical between runs.
SVG_HASHSALT = "gradviz"


def get_size(size) -> Size:
    """A :class:`Size` from a name in :data:`SIZES`, a ``(w, h)`` pair in inches or a Size."""
    if isinstance(size, Size):
        return size
    if isinstance(size, str):
        try:
            return SIZES[size]
        except KeyError:
            raise ValueError(f"unknown size {size!r}; choose one of {sorted(SIZES)} "
                             "or give (width, height) in inches") from None
    w, h = (float(v) for v in size)
    if w <= 0 or h <= 0:
        raise ValueError(f"size must be positive, got {size!r}")
    # keep text proportional to the web size, a little larger on big canvases
    return Size(w, h, round(10.0 * max(1.0, (w / 8.0) ** 1.15), 1))


def rc_params(size="web") -> dict:
    """matplotlib rcParams for one size (used inside :func:`style_context`)."""
    s = get_size(size)
    k = s.scale
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [FONT_FAMILY],
        "font.size": s.font,
        "axes.titlesize": s.font * 1.0,
        "axes.labelsize": s.font * 0.95,
        "xtick.labelsize": s.font * 0.85,
        "ytick.labelsize": s.font * 0.85,
        "legend.fontsize": s.font * 0.82,
        "legend.title_fontsize": s.font * 0.85,
        "figure.titlesize": s.font * 1.25,
        "figure.titleweight": "bold",
        "axes.titleweight": "normal",
        "axes.prop_cycle": mpl.cycler(color=list(VARIANT_ORDER)),
        "axes.grid": True,
        "axes.grid.which": "major",
        "grid.color": GRID,
        "grid.linewidth": 0.8 * k,
        "axes.axisbelow": True,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.linewidth": 0.8 * k,
        "xtick.major.width": 0.8 * k,
        "ytick.major.width": 0.8 * k,
        "xtick.minor.width": 0.6 * k,
        "ytick.minor.width": 0.6 * k,
        "xtick.major.size": 3.5 * k,
        "ytick.major.size": 3.5 * k,
        "lines.linewidth": 1.8 * k,
        "lines.markersize": 5.0 * k,
        "patch.linewidth": 0.8 * k,
        "hatch.linewidth": 0.8 * k,
        "legend.frameon": False,
        "legend.handlelength": 2.2,
        "image.cmap": MAGNITUDE_CMAP,
        "mathtext.fontset": "dejavusans",
        "axes.formatter.use_mathtext": False,   # plain tick labels: no mathtext parsing (faster)
        "axes.unicode_minus": True,
        "figure.facecolor": "white",
        "savefig.facecolor": "white",
        "figure.constrained_layout.h_pad": 0.06,
        "figure.constrained_layout.w_pad": 0.06,
        "figure.constrained_layout.wspace": 0.05,
        "pdf.fonttype": 42,          # embed TrueType: text stays selectable/editable
        "ps.fonttype": 42,
        "svg.fonttype": "path",      # glyphs as paths: identical look without the font
        "svg.hashsalt": SVG_HASHSALT,
        "path.simplify": True,
    }


@contextmanager
def style_context(size="web"):
    """Temporarily apply :func:`rc_params`: wrap both figure creation and saving."""
    with mpl.rc_context(rc_params(size)):
        yield


def save_metadata(fmt: str) -> dict:
    """Metadata for ``savefig`` that keeps reruns byte-identical (no dates)."""
    fmt = fmt.lower()
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None, "ModDate": None}
    if fmt == "png":
        return {"Software": "gradviz (matplotlib)"}
    return {}


# -- numbers ---------------------------------------------------------------------

_SUP = str.maketrans("0123456789-+", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺")


def fmt_num(x, digits: int = 2) -> str:
    """Compact, plain-text number: ``0.25``, ``3.1×10⁻⁸``, ``NaN``, ``∞``."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return str(x)
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "∞" if x > 0 else "−∞"
    if x == 0:
        return "0"
    ax = abs(x)
    if 1e-3 <= ax < 1e4:
        s = f"{float(f'{x:.{digits}g}'):g}"      # 140, not 1.4e+02
        return s.replace("-", "−")
    mant, exp = f"{x:.{max(digits - 1, 0)}e}".split("e")
    exp = str(int(exp)).translate(_SUP)
    mant = mant.replace("-", "−")
    if mant in ("1", "1.0"):
        return f"10{exp}"
    if mant in ("−1", "−1.0"):
        return f"−10{exp}"
    return f"{mant}×10{exp}"


def fmt_pct(x) -> str:
    """Share in [0, 1] as a percentage string."""
    x = float(x)
    if x != x:
        return "NaN"
    p = 100 * x
    if p == 0 or p >= 10:
        return f"{p:.0f}%"
    return f"{p:.1f}%" if p >= 0.1 else "<0.1%"


# -- locale strings ---------------------------------------------------------------

LANGUAGES = ("en", "ro", "he", "bg", "pt", "es")
RTL_LANGUAGES = ("he",)

# Terms follow the lesson's own translations (../shared/lesson/*.txt): e.g. ro
# "strat", "pierdere", "epocă", "rata de învățare"; he "שכבה", "גרדיאנט",
# "אפוק", "קצב למידה", "עצירה מוקדמת"; bg "слой", "епоха", "скорост на
# обучение", "ранно спиране"; pt "camada", "época", "taxa de aprendizado",
# "parada antecipada"; es "capa", "época", "tasa de aprendizaje", "recorte de
# gradientes", "detención temprana".
STRINGS: dict[str, dict[str, str]] = {
    # ---- general terms -------------------------------------------------------
    "layer": {"en": "layer", "ro": "strat", "he": "שכבה", "bg": "слой",
              "pt": "camada", "es": "capa"},
    "Layer": {"en": "Layer", "ro": "Strat", "he": "שכבה", "bg": "Слой",
              "pt": "Camada", "es": "Capa"},
    "out": {"en": "out", "ro": "ieș.", "he": "פלט", "bg": "изх.", "pt": "saída",
            "es": "salida"},
    "output layer": {"en": "output layer", "ro": "stratul de ieșire", "he": "שכבת הפלט",
                     "bg": "изходен слой", "pt": "camada de saída", "es": "capa de salida"},
    "layer_axis": {"en": "Layer (1 = first hidden layer, out = output layer)",
                   "ro": "Strat (1 = primul strat ascuns, ieș. = stratul de ieșire)",
                   "he": "שכבה (1 = השכבה הנסתרת הראשונה, פלט = שכבת הפלט)",
                   "bg": "Слой (1 = първи скрит слой, изх. = изходен слой)",
                   "pt": "Camada (1 = primeira camada oculta, saída = camada de saída)",
                   "es": "Capa (1 = primera capa oculta, salida = capa de salida)"},
    "layer_n": {"en": "layer {n}", "ro": "strat {n}", "he": "שכבה {n}", "bg": "слой {n}",
                "pt": "camada {n}", "es": "capa {n}"},
    "step": {"en": "Training step", "ro": "Pas de antrenare", "he": "צעד אימון",
             "bg": "Стъпка на обучение", "pt": "Passo de treinamento",
             "es": "Paso de entrenamiento"},
    "step_n": {"en": "step {n}", "ro": "pasul {n}", "he": "צעד {n}", "bg": "стъпка {n}",
               "pt": "passo {n}", "es": "paso {n}"},
    "epoch": {"en": "Epoch", "ro": "Epocă", "he": "אפוק", "bg": "Епоха", "pt": "Época",
              "es": "Época"},
    "epoch_n": {"en": "epoch {n}", "ro": "epoca {n}", "he": "אפוק {n}", "bg": "епоха {n}",
                "pt": "época {n}", "es": "época {n}"},
    "step_epoch": {"en": "step {step} · epoch {epoch}", "ro": "pasul {step} · epoca {epoch}",
                   "he": "צעד {step} · אפוק {epoch}", "bg": "стъпка {step} · епоха {epoch}",
                   "pt": "passo {step} · época {epoch}", "es": "paso {step} · época {epoch}"},
    "init": {"en": "step 0 (initialization)", "ro": "pasul 0 (inițializare)",
             "he": "צעד 0 (אתחול)", "bg": "стъпка 0 (инициализация)",
             "pt": "passo 0 (inicialização)", "es": "paso 0 (inicialización)"},
    "loss": {"en": "Loss", "ro": "Pierdere", "he": "הפסד", "bg": "Загуба", "pt": "Perda",
             "es": "Pérdida"},
    "loss_axis": {"en": "Loss (cross-entropy)", "ro": "Pierdere (entropie încrucișată)",
                  "he": "הפסד (אנטרופיה צולבת)", "bg": "Загуба (кръстосана ентропия)",
                  "pt": "Perda (entropia cruzada)", "es": "Pérdida (entropía cruzada)"},
    "accuracy": {"en": "Accuracy", "ro": "Acuratețe", "he": "דיוק", "bg": "Точност",
                 "pt": "Precisão", "es": "Precisión"},
    "accuracy_axis": {"en": "Accuracy (%)", "ro": "Acuratețe (%)", "he": "דיוק (%)",
                      "bg": "Точност (%)", "pt": "Precisão (%)", "es": "Precisión (%)"},
    "train": {"en": "training (minibatch)", "ro": "antrenare (mini-lot)",
              "he": "אימון (מיני-מקטע)", "bg": "обучение (минипартида)",
              "pt": "treinamento (minibatch)", "es": "entrenamiento (minibatch)"},
    "train_smooth": {"en": "training (minibatch, smoothed)",
                     "ro": "antrenare (mini-lot, netezit)",
                     "he": "אימון (מיני-מקטע, מוחלק)",
                     "bg": "обучение (минипартида, изгладено)",
                     "pt": "treinamento (minibatch, suavizado)",
                     "es": "entrenamiento (minibatch, suavizado)"},
    "validation": {"en": "validation", "ro": "validare", "he": "אימות", "bg": "валидиране",
                   "pt": "validação", "es": "validación"},
    "chance": {"en": "chance level", "ro": "nivelul șansei", "he": "רמת ניחוש",
               "bg": "случайно ниво", "pt": "nível do acaso", "es": "nivel de azar"},
    "gradient": {"en": "gradient", "ro": "gradient", "he": "גרדיאנט", "bg": "градиент",
                 "pt": "gradiente", "es": "gradiente"},
    "variant": {"en": "Variant", "ro": "Variantă", "he": "גרסה", "bg": "Вариант",
                "pt": "Variante", "es": "Variante"},
    "share_pct": {"en": "Share of units (%)", "ro": "Proporția unităților (%)",
                  "he": "שיעור היחידות (%)", "bg": "Дял на невроните (%)",
                  "pt": "Proporção de unidades (%)", "es": "Proporción de unidades (%)"},
    "share_bin": {"en": "Share of values per bin (%)", "ro": "Proporția valorilor pe interval (%)",
                  "he": "שיעור הערכים בכל תא (%)", "bg": "Дял на стойностите в интервал (%)",
                  "pt": "Proporção de valores por intervalo (%)",
                  "es": "Proporción de valores por intervalo (%)"},
    "density": {"en": "Density (normalized histogram)", "ro": "Densitate (histogramă normalizată)",
                "he": "צפיפות (היסטוגרמה מנורמלת)", "bg": "Плътност (нормализирана хистограма)",
                "pt": "Densidade (histograma normalizado)",
                "es": "Densidad (histograma normalizado)"},
    "f16_zero": {"en": "float16: below 2⁻²⁴/S, rounds to 0", "ro": "float16: sub 2⁻²⁴/S, devine 0",
                 "he": "float16: מתחת ל-2⁻²⁴/S, מתעגל ל-0", "bg": "float16: под 2⁻²⁴/S, става 0",
                 "pt": "float16: abaixo de 2⁻²⁴/S, arredonda para 0",
                 "es": "float16: por debajo de 2⁻²⁴/S, se redondea a 0"},
    "f16_subnormal": {"en": "float16: subnormal, few significant bits",
                      "ro": "float16: subnormal, puțini biți semnificativi",
                      "he": "float16: תת-נורמלי, מעט ביטים משמעותיים",
                      "bg": "float16: субнормални, малко значещи битове",
                      "pt": "float16: subnormal, poucos bits significativos",
                      "es": "float16: subnormal, pocos bits significativos"},
    "title_lost_gradients": {"en": "Weight gradients lost: exact zeros per layer",
                             "ro": "Gradienți pierduți: zerouri exacte pe strat",
                             "he": "גרדיאנטים שאבדו: אפסים מדויקים בכל שכבה",
                             "bg": "Изгубени градиенти: точни нули по слоеве",
                             "pt": "Gradientes perdidos: zeros exatos por camada",
                             "es": "Gradientes perdidos: ceros exactos por capa"},
    "grad_zero_axis": {"en": "∂L/∂W entries exactly 0 (%)", "ro": "Elemente ∂L/∂W exact 0 (%)",
                       "he": "רכיבי ∂L/∂W ששווים בדיוק 0 (%)", "bg": "Елементи на ∂L/∂W точно 0 (%)",
                       "pt": "Entradas de ∂L/∂W exatamente 0 (%)", "es": "Entradas de ∂L/∂W exactamente 0 (%)"},
    "cap_lost_gradients": {"en": "Share of weight-gradient entries that are exactly zero in each layer ({when}). "
                                 "In float16 without loss scaling, gradients smaller than 2⁻²⁴ round to zero "
                                 "and those weights learn nothing from that step.",
                           "ro": "Ponderea elementelor gradientului ponderilor care sunt exact zero în fiecare "
                                 "strat ({when}). În float16 fără scalarea pierderii, gradienții mai mici de "
                                 "2⁻²⁴ devin zero și acele ponderi nu învață nimic la acel pas.",
                           "he": "שיעור רכיבי גרדיאנט המשקלים ששווים בדיוק אפס בכל שכבה ({when}). ב-float16 "
                                 "ללא הגדלת ההפסד, גרדיאנטים קטנים מ-2⁻²⁴ מתעגלים לאפס והמשקלים האלה לא "
                                 "לומדים דבר בצעד הזה.",
                           "bg": "Дял на елементите на градиента на теглата, които са точно нула във всеки "
                                 "слой ({when}). Във float16 без мащабиране на загубата градиентите под 2⁻²⁴ "
                                 "стават нула и тези тегла не се учат на тази стъпка.",
                           "pt": "Fração das entradas do gradiente dos pesos exatamente iguais a zero em cada "
                                 "camada ({when}). Em float16 sem escalonamento da perda, gradientes menores que "
                                 "2⁻²⁴ arredondam para zero e esses pesos não aprendem nada nesse passo.",
                           "es": "Fracción de las entradas del gradiente de los pesos que son exactamente cero "
                                 "en cada capa ({when}). En float16 sin escalado de la pérdida, los gradientes "
                                 "menores que 2⁻²⁴ se redondean a cero y esos pesos no aprenden nada en ese paso."},
    "alt_lost": {"en": "Line chart of the share of exactly-zero weight gradients per layer ({when}): {items}.",
                 "ro": "Grafic cu ponderea gradienților exact zero pe strat ({when}): {items}.",
                 "he": "תרשים קווי של שיעור הגרדיאנטים ששווים בדיוק אפס בכל שכבה ({when}): {items}.",
                 "bg": "Линейна графика на дела на точно нулевите градиенти по слоеве ({when}): {items}.",
                 "pt": "Gráfico de linhas da fração de gradientes exatamente zero por camada ({when}): {items}.",
                 "es": "Gráfico de líneas de la fracción de gradientes exactamente cero por capa ({when}): {items}."},
    "alt_lost_item": {"en": "{label} up to {pct}%", "ro": "{label} până la {pct}%", "he": "{label} עד {pct}%",
                      "bg": "{label} до {pct}%", "pt": "{label} até {pct}%", "es": "{label} hasta {pct}%"},
    "off_scale": {"en": "↑ values above {v} are off the scale", "ro": "↑ valorile peste {v} ies din grafic",
                  "he": "↑ ערכים מעל {v} מחוץ לטווח התרשים", "bg": "↑ стойностите над {v} са извън скалата",
                  "pt": "↑ valores acima de {v} ficam fora da escala",
                  "es": "↑ los valores por encima de {v} quedan fuera de escala"},
    "density_decade": {"en": "Density per decade", "ro": "Densitate pe decadă",
                       "he": "צפיפות לכל סדר גודל", "bg": "Плътност на порядък",
                       "pt": "Densidade por década", "es": "Densidad por década"},
    "act_value": {"en": "Activation value (output of {act})",
                  "ro": "Valoarea activării (ieșirea lui {act})",
                  "he": "ערך האקטיבציה (פלט של {act})",
                  "bg": "Стойност на активацията (изход на {act})",
                  "pt": "Valor da ativação (saída de {act})",
                  "es": "Valor de la activación (salida de {act})"},
    "pre_value": {"en": "Pre-activation z = Wh + b (input of {act})",
                  "ro": "Pre-activare z = Wh + b (intrarea lui {act})",
                  "he": "קדם-אקטיבציה z = Wh + b (קלט של {act})",
                  "bg": "Преактивация z = Wh + b (вход на {act})",
                  "pt": "Pré-ativação z = Wh + b (entrada de {act})",
                  "es": "Preactivación z = Wh + b (entrada de {act})"},
    "delta_value": {"en": "|∂L/∂z|, back-propagated gradient (log scale)",
                    "ro": "|∂L/∂z|, gradientul propagat înapoi (scară log.)",
                    "he": "|∂L/∂z|, הגרדיאנט המופץ לאחור (סקאלה לוגריתמית)",
                    "bg": "|∂L/∂z|, обратно разпространен градиент (лог. скала)",
                    "pt": "|∂L/∂z|, gradiente retropropagado (escala log)",
                    "es": "|∂L/∂z|, gradiente retropropagado (escala log)"},
    "logscale": {"en": "log scale", "ro": "scară logaritmică", "he": "סקאלה לוגריתמית",
                 "bg": "логаритмична скала", "pt": "escala logarítmica",
                 "es": "escala logarítmica"},
    "learning_rate": {"en": "Learning rate η", "ro": "Rata de învățare η", "he": "קצב למידה η",
                      "bg": "Скорост на обучение η", "pt": "Taxa de aprendizado η",
                      "es": "Tasa de aprendizaje η"},
    "grad_norm_axis": {"en": "Global gradient norm ‖∇L‖", "ro": "Norma globală a gradientului ‖∇L‖",
                       "he": "הנורמה הכוללת של הגרדיאנט ‖∇L‖",
                       "bg": "Обща норма на градиента ‖∇L‖",
                       "pt": "Norma global do gradiente ‖∇L‖",
                       "es": "Norma global del gradiente ‖∇L‖"},
    "before_clip": {"en": "before clipping", "ro": "înainte de tăiere", "he": "לפני חיתוך",
                    "bg": "преди ограничаване", "pt": "antes do corte",
                    "es": "antes del recorte"},
    "after_clip": {"en": "after clipping (used for the update)",
                   "ro": "după tăiere (folosit la actualizare)",
                   "he": "אחרי חיתוך (משמש לעדכון)",
                   "bg": "след ограничаване (за обновяването)",
                   "pt": "depois do corte (usado na atualização)",
                   "es": "después del recorte (usado en la actualización)"},
    "clip_threshold": {"en": "threshold θ = {v}", "ro": "pragul θ = {v}", "he": "סף θ = {v}",
                       "bg": "праг θ = {v}", "pt": "limiar θ = {v}", "es": "umbral θ = {v}"},
    "update_axis": {"en": "log₁₀(‖ΔW‖ / ‖W‖) per update", "ro": "log₁₀(‖ΔW‖ / ‖W‖) per actualizare",
                    "he": "log₁₀(‖ΔW‖ / ‖W‖) לכל עדכון", "bg": "log₁₀(‖ΔW‖ / ‖W‖) за обновяване",
                    "pt": "log₁₀(‖ΔW‖ / ‖W‖) por atualização",
                    "es": "log₁₀(‖ΔW‖ / ‖W‖) por actualización"},
    "ref_1e3": {"en": "10⁻³ rule of thumb", "ro": "regula empirică 10⁻³", "he": "כלל אצבע 10⁻³",
                "bg": "емпирично правило 10⁻³", "pt": "regra prática 10⁻³",
                "es": "regla práctica 10⁻³"},
    "saturated_pct": {"en": "Saturated units (%)",
                      "ro": "Unități saturate (%)", "he": "יחידות רוויות (%)",
                      "bg": "Наситени неврони (%)", "pt": "Unidades saturadas (%)",
                      "es": "Unidades saturadas (%)"},
    "dead_pct": {"en": "Dead units, output exactly 0 (%)", "ro": "Unități moarte, ieșire exact 0 (%)",
                 "he": "יחידות מתות, פלט 0 בדיוק (%)", "bg": "Мъртви неврони, изход точно 0 (%)",
                 "pt": "Unidades mortas, saída exatamente 0 (%)",
                 "es": "Unidades muertas, salida exactamente 0 (%)"},
    "sat_or_dead_pct": {"en": "Saturated or dead units (%)", "ro": "Unități saturate sau moarte (%)",
                        "he": "יחידות רוויות או מתות (%)", "bg": "Наситени или мъртви неврони (%)",
                        "pt": "Unidades saturadas ou mortas (%)", "es": "Unidades saturadas o muertas (%)"},
    "percentile_axis": {"en": "Pre-activation of {layer}", "ro": "Pre-activarea în {layer}",
                        "he": "קדם-אקטיבציה ב{layer}", "bg": "Преактивация в {layer}",
                        "pt": "Pré-ativação na {layer}", "es": "Preactivación en la {layer}"},
    "p50": {"en": "median (50th percentile)", "ro": "mediana (percentila 50)",
            "he": "חציון (אחוזון 50)", "bg": "медиана (50-и перцентил)",
            "pt": "mediana (percentil 50)", "es": "mediana (percentil 50)"},
    "p15_85": {"en": "15th–85th percentile", "ro": "percentilele 15–85", "he": "אחוזונים 15–85",
               "bg": "15-и – 85-и перцентил", "pt": "percentis 15–85", "es": "percentiles 15–85"},
    "feature_1": {"en": "Feature x₁", "ro": "Trăsătura x₁", "he": "תכונה x₁",
                  "bg": "Признак x₁", "pt": "Atributo x₁", "es": "Atributo x₁"},
    "feature_2": {"en": "Feature x₂", "ro": "Trăsătura x₂", "he": "תכונה x₂",
                  "bg": "Признак x₂", "pt": "Atributo x₂", "es": "Atributo x₂"},
    "class_n": {"en": "class {n}", "ro": "clasa {n}", "he": "מחלקה {n}", "bg": "клас {n}",
                "pt": "classe {n}", "es": "clase {n}"},
    "confidence_note": {"en": "paler = less confident", "ro": "mai pal = mai puțin sigur",
                        "he": "חיוור יותר = פחות ביטחון", "bg": "по-бледо = по-малка увереност",
                        "pt": "mais claro = menos confiança", "es": "más claro = menos confianza"},
    "acc_short": {"en": "acc. {v}", "ro": "acur. {v}", "he": "דיוק {v}", "bg": "точн. {v}",
                  "pt": "prec. {v}", "es": "prec. {v}"},
    "start": {"en": "start", "ro": "start", "he": "התחלה", "bg": "начало", "pt": "início",
              "es": "inicio"},
    "minimum": {"en": "minimum", "ro": "minim", "he": "מינימום", "bg": "минимум",
                "pt": "mínimo", "es": "mínimo"},
    "surface_z": {"en": "loss surface (log-spaced contours)",
                  "ro": "suprafața pierderii (contururi logaritmice)",
                  "he": "משטח ההפסד (קווי גובה לוגריתמיים)",
                  "bg": "повърхнина на загубата (лог. изолинии)",
                  "pt": "superfície de perda (contornos logarítmicos)",
                  "es": "superficie de pérdida (contornos logarítmicos)"},
    "left_plot_short": {"en": "left the plot", "ro": "a ieșit din grafic", "he": "יצא מהגרף",
                        "bg": "излезе от графиката", "pt": "saiu do gráfico", "es": "salió del gráfico"},
    "left_plot": {"en": "left the plot at step {n}", "ro": "a ieșit din grafic la pasul {n}",
                  "he": "יצא מהגרף בצעד {n}", "bg": "излезе от графиката на стъпка {n}",
                  "pt": "saiu do gráfico no passo {n}", "es": "salió del gráfico en el paso {n}"},
    # ---- events and special values ------------------------------------------------
    "nonfinite": {"en": "NaN/Inf", "ro": "NaN/Inf", "he": "NaN/Inf", "bg": "NaN/Inf",
                  "pt": "NaN/Inf", "es": "NaN/Inf"},
    "nonfinite_n": {"en": "NaN/Inf (n = {n})", "ro": "NaN/Inf (n = {n})", "he": "NaN/Inf (n = {n})",
                    "bg": "NaN/Inf (n = {n})", "pt": "NaN/Inf (n = {n})", "es": "NaN/Inf (n = {n})"},
    "diverged_at": {"en": "NaN/Inf from step {n}", "ro": "NaN/Inf de la pasul {n}",
                    "he": "NaN/Inf מצעד {n}", "bg": "NaN/Inf от стъпка {n}",
                    "pt": "NaN/Inf a partir do passo {n}", "es": "NaN/Inf desde el paso {n}"},
    "diverged_short": {"en": "diverged", "ro": "divergent", "he": "התבדר", "bg": "разходимост",
                       "pt": "divergiu", "es": "divergió"},
    "zero_floor": {"en": "exactly 0 (drawn at the floor)", "ro": "exact 0 (desenat la bază)",
                   "he": "0 בדיוק (מצויר בתחתית)", "bg": "точно 0 (на дъното)",
                   "pt": "exatamente 0 (desenhado no piso)", "es": "exactamente 0 (dibujado en el piso)"},
    "zero_floor_n": {"en": "exactly 0: {n} (at the floor)", "ro": "exact 0: {n} (la bază)",
                     "he": "0 בדיוק: {n} (בתחתית)", "bg": "точно 0: {n} (на дъното)",
                     "pt": "exatamente 0: {n} (no piso)", "es": "exactamente 0: {n} (en el piso)"},
    "not_run": {"en": "not run (stopped earlier)", "ro": "nerulat (oprit mai devreme)",
                "he": "לא הורץ (נעצר קודם)", "bg": "не е изпълнено (спряно по-рано)",
                "pt": "não executado (parou antes)", "es": "no ejecutado (se detuvo antes)"},
    "early_stop": {"en": "early stopping", "ro": "oprire timpurie", "he": "עצירה מוקדמת",
                   "bg": "ранно спиране", "pt": "parada antecipada", "es": "detención temprana"},
    "early_stop_at": {"en": "early stop, epoch {n}", "ro": "oprire timpurie, epoca {n}",
                      "he": "עצירה מוקדמת, אפוק {n}", "bg": "ранно спиране, епоха {n}",
                      "pt": "parada antecipada, época {n}", "es": "detención temprana, época {n}"},
    "best_epoch": {"en": "best validation epoch", "ro": "cea mai bună epocă la validare",
                   "he": "האפוק הטוב ביותר באימות", "bg": "най-добра епоха при валидиране",
                   "pt": "melhor época na validação", "es": "mejor época en validación"},
    "stopped_at": {"en": "stopped at step {n}", "ro": "oprit la pasul {n}", "he": "נעצר בצעד {n}",
                   "bg": "спряно на стъпка {n}", "pt": "parou no passo {n}",
                   "es": "se detuvo en el paso {n}"},
    "all_zero": {"en": "all values are exactly 0", "ro": "toate valorile sunt exact 0",
                 "he": "כל הערכים הם 0 בדיוק", "bg": "всички стойности са точно 0",
                 "pt": "todos os valores são exatamente 0", "es": "todos los valores son exactamente 0"},
    "no_data": {"en": "no finite data", "ro": "nicio valoare finită", "he": "אין נתונים סופיים",
                "bg": "няма крайни стойности", "pt": "nenhum dado finito", "es": "sin datos finitos"},
    "no_validation": {"en": "no validation split", "ro": "fără set de validare",
                      "he": "אין קבוצת אימות", "bg": "няма валидиращ набор",
                      "pt": "sem conjunto de validação", "es": "sin conjunto de validación"},
    "outside_bins": {"en": "outside the bins: {v}", "ro": "în afara intervalelor: {v}",
                     "he": "מחוץ לתאים: {v}", "bg": "извън интервалите: {v}",
                     "pt": "fora dos intervalos: {v}", "es": "fuera de los intervalos: {v}"},
    "exact_zero": {"en": "exactly 0: {v}", "ro": "exact 0: {v}", "he": "0 בדיוק: {v}",
                   "bg": "точно 0: {v}", "pt": "exatamente 0: {v}", "es": "exactamente 0: {v}"},
    "not_applicable": {"en": "not defined for {act}", "ro": "nedefinit pentru {act}",
                       "he": "לא מוגדר עבור {act}", "bg": "не е дефинирано за {act}",
                       "pt": "não definido para {act}", "es": "no definido para {act}"},
    # ---- quantities (heat map, colour bars) -------------------------------------
    "q_grad_w_norm": {"en": "‖∂L/∂W‖, weight-gradient norm", "ro": "‖∂L/∂W‖, norma gradientului ponderilor",
                      "he": "‖∂L/∂W‖, נורמת גרדיאנט המשקלים", "bg": "‖∂L/∂W‖, норма на градиента на теглата",
                      "pt": "‖∂L/∂W‖, norma do gradiente dos pesos",
                      "es": "‖∂L/∂W‖, norma del gradiente de los pesos"},
    "q_delta_rms": {"en": "RMS of ∂L/∂z, back-propagated signal", "ro": "RMS al ∂L/∂z, semnalul propagat înapoi",
                    "he": "RMS של ∂L/∂z, האות המופץ לאחור", "bg": "RMS на ∂L/∂z, обратно разпространен сигнал",
                    "pt": "RMS de ∂L/∂z, sinal retropropagado", "es": "RMS de ∂L/∂z, señal retropropagada"},
    "q_w_norm": {"en": "‖W‖, weight norm", "ro": "‖W‖, norma ponderilor", "he": "‖W‖, נורמת המשקלים",
                 "bg": "‖W‖, норма на теглата", "pt": "‖W‖, norma dos pesos", "es": "‖W‖, norma de los pesos"},
    "q_update_ratio": {"en": "‖ΔW‖ / ‖W‖, relative update", "ro": "‖ΔW‖ / ‖W‖, actualizare relativă",
                       "he": "‖ΔW‖ / ‖W‖, עדכון יחסי", "bg": "‖ΔW‖ / ‖W‖, относително обновяване",
                       "pt": "‖ΔW‖ / ‖W‖, atualização relativa", "es": "‖ΔW‖ / ‖W‖, actualización relativa"},
    "q_act_std": {"en": "std of activations", "ro": "deviația standard a activărilor",
                  "he": "סטיית התקן של האקטיבציות", "bg": "стандартно отклонение на активациите",
                  "pt": "desvio padrão das ativações", "es": "desviación estándar de las activaciones"},
    "q_pre_std": {"en": "std of pre-activations", "ro": "deviația standard a pre-activărilor",
                  "he": "סטיית התקן של קדם-האקטיבציות", "bg": "стандартно отклонение на преактивациите",
                  "pt": "desvio padrão das pré-ativações", "es": "desviación estándar de las preactivaciones"},
    "q_saturation": {"en": "share of saturated units", "ro": "proporția unităților saturate",
                     "he": "שיעור היחידות הרוויות", "bg": "дял на наситените неврони",
                     "pt": "proporção de unidades saturadas", "es": "proporción de unidades saturadas"},
    "q_dead": {"en": "share of dead units", "ro": "proporția unităților moarte",
               "he": "שיעור היחידות המתות", "bg": "дял на мъртвите неврони",
               "pt": "proporção de unidades mortas", "es": "proporción de unidades muertas"},
    "q_sat_or_dead": {"en": "share of saturated or dead units", "ro": "proporția unităților saturate sau moarte",
                      "he": "שיעור היחידות הרוויות או המתות", "bg": "дял на наситените или мъртвите неврони",
                      "pt": "proporção de unidades saturadas ou mortas",
                      "es": "proporción de unidades saturadas o muertas"},
    "q_hist_act": {"en": "activations", "ro": "activări", "he": "אקטיבציות", "bg": "активации",
                   "pt": "ativações", "es": "activaciones"},
    "q_hist_pre": {"en": "pre-activations", "ro": "pre-activări", "he": "קדם-אקטיבציות",
                   "bg": "преактивации", "pt": "pré-ativações", "es": "preactivaciones"},
    "q_hist_delta": {"en": "back-propagated gradients |∂L/∂z|",
                     "ro": "gradienți propagați înapoi |∂L/∂z|",
                     "he": "גרדיאנטים מופצים לאחור |∂L/∂z|",
                     "bg": "обратно разпространени градиенти |∂L/∂z|",
                     "pt": "gradientes retropropagados |∂L/∂z|",
                     "es": "gradientes retropropagados |∂L/∂z|"},
    "log10_of": {"en": "log₁₀ of {q}", "ro": "log₁₀ din {q}", "he": "log₁₀ של {q}", "bg": "log₁₀ от {q}",
                 "pt": "log₁₀ de {q}", "es": "log₁₀ de {q}"},
    # ---- figure titles --------------------------------------------------------------
    "title_grad_norms": {"en": "Gradient norm per layer", "ro": "Norma gradientului pe strat",
                         "he": "נורמת הגרדיאנט לפי שכבה", "bg": "Норма на градиента по слоеве",
                         "pt": "Norma do gradiente por camada", "es": "Norma del gradiente por capa"},
    "title_activation_hist": {"en": "Distribution of activations per layer",
                              "ro": "Distribuția activărilor pe strat",
                              "he": "התפלגות האקטיבציות לפי שכבה",
                              "bg": "Разпределение на активациите по слоеве",
                              "pt": "Distribuição das ativações por camada",
                              "es": "Distribución de las activaciones por capa"},
    "title_gradient_hist": {"en": "Distribution of back-propagated gradients per layer",
                            "ro": "Distribuția gradienților propagați înapoi pe strat",
                            "he": "התפלגות הגרדיאנטים המופצים לאחור לפי שכבה",
                            "bg": "Разпределение на обратно разпространените градиенти по слоеве",
                            "pt": "Distribuição dos gradientes retropropagados por camada",
                            "es": "Distribución de los gradientes retropropagados por capa"},
    "title_heatmap": {"en": "{q}: layer × training step", "ro": "{q}: strat × pas de antrenare",
                      "he": "{q}: שכבה × צעד אימון", "bg": "{q}: слой × стъпка на обучение",
                      "pt": "{q}: camada × passo de treinamento",
                      "es": "{q}: capa × paso de entrenamiento"},
    "title_loss": {"en": "Loss during training", "ro": "Pierderea în timpul antrenării",
                   "he": "ההפסד במהלך האימון", "bg": "Загуба по време на обучението",
                   "pt": "Perda durante o treinamento", "es": "Pérdida durante el entrenamiento"},
    "title_accuracy": {"en": "Accuracy during training", "ro": "Acuratețea în timpul antrenării",
                       "he": "הדיוק במהלך האימון", "bg": "Точност по време на обучението",
                       "pt": "Precisão durante o treinamento",
                       "es": "Precisión durante el entrenamiento"},
    "title_update_ratio": {"en": "Size of each update relative to the weights",
                           "ro": "Mărimea actualizării față de ponderi",
                           "he": "גודל העדכון ביחס למשקלים",
                           "bg": "Размер на обновяването спрямо теглата",
                           "pt": "Tamanho da atualização em relação aos pesos",
                           "es": "Tamaño de la actualización respecto a los pesos"},
    "title_saturation_sat": {"en": "Saturated units per layer", "ro": "Unități saturate pe strat",
                             "he": "יחידות רוויות לפי שכבה", "bg": "Наситени неврони по слоеве",
                             "pt": "Unidades saturadas por camada",
                             "es": "Unidades saturadas por capa"},
    "title_saturation_dead": {"en": "Dead units per layer", "ro": "Unități moarte pe strat",
                              "he": "יחידות מתות לפי שכבה", "bg": "Мъртви неврони по слоеве",
                              "pt": "Unidades mortas por camada", "es": "Unidades muertas por capa"},
    "title_saturation_mixed": {"en": "Saturated and dead units per layer",
                               "ro": "Unități saturate și moarte pe strat",
                               "he": "יחידות רוויות ומתות לפי שכבה",
                               "bg": "Наситени и мъртви неврони по слоеве",
                               "pt": "Unidades saturadas e mortas por camada",
                               "es": "Unidades saturadas y muertas por capa"},
    "title_percentiles": {"en": "Pre-activation percentiles during training",
                          "ro": "Percentilele pre-activării în timpul antrenării",
                          "he": "אחוזוני קדם-האקטיבציה במהלך האימון",
                          "bg": "Перцентили на преактивацията по време на обучението",
                          "pt": "Percentis da pré-ativação durante o treinamento",
                          "es": "Percentiles de la preactivación durante el entrenamiento"},
    "title_lr": {"en": "Learning-rate schedule", "ro": "Programul ratei de învățare",
                 "he": "תזמון קצב הלמידה", "bg": "График на скоростта на обучение",
                 "pt": "Cronograma da taxa de aprendizado",
                 "es": "Programa de la tasa de aprendizaje"},
    "title_grad_clip": {"en": "Gradient clipping", "ro": "Tăierea gradientului (gradient clipping)",
                        "he": "חיתוך גרדיאנט", "bg": "Ограничаване на градиента",
                        "pt": "Corte do gradiente (gradient clipping)",
                        "es": "Recorte de gradientes"},
    "title_decision_boundary": {"en": "Decision boundary", "ro": "Frontiera de decizie",
                                "he": "גבול ההחלטה", "bg": "Граница на решението",
                                "pt": "Fronteira de decisão", "es": "Frontera de decisión"},
    "title_surface": {"en": "Optimizers on a loss surface", "ro": "Optimizatori pe o suprafață de pierdere",
                      "he": "אופטימיזרים על משטח הפסד", "bg": "Оптимизатори върху повърхнина на загубата",
                      "pt": "Otimizadores numa superfície de perda",
                      "es": "Optimizadores sobre una superficie de pérdida"},
    "title_hist_anim": {"en": "{q} per layer during training", "ro": "{q} pe strat în timpul antrenării",
                        "he": "{q} לפי שכבה במהלך האימון", "bg": "{q} по слоеве по време на обучението",
                        "pt": "{q} por camada durante o treinamento",
                        "es": "{q} por capa durante el entrenamiento"},
    # ---- captions (facts are filled in with str.format) ---------------------------------
    "cap_grad_norms": {
        "en": "Norm of the loss gradient with respect to each layer's weights, ‖∂L/∂W‖, from the first hidden layer (left) to the output layer (right), at initialization (solid) and at {later} (dashed). The vertical axis is logarithmic: each grid line is ten times the one below. A line that drops toward the left means the first layers barely learn (vanishing gradients); a line that climbs toward the left means exploding gradients.",
        "ro": "Norma gradientului pierderii în raport cu ponderile fiecărui strat, ‖∂L/∂W‖, de la primul strat ascuns (stânga) la stratul de ieșire (dreapta), la inițializare (linie continuă) și la {later} (linie întreruptă). Axa verticală este logaritmică: fiecare linie de grilă este de zece ori mai mare decât cea de dedesubt. O linie care coboară spre stânga înseamnă că primele straturi aproape nu învață (gradientul care dispare); o linie care urcă spre stânga înseamnă gradient exploziv.",
        "he": "נורמת הגרדיאנט של ההפסד ביחס למשקלי כל שכבה, ‖∂L/∂W‖, מהשכבה הנסתרת הראשונה (שמאל) ועד שכבת הפלט (ימין), באתחול (קו רציף) וב{later} (קו מקווקו). הציר האנכי לוגריתמי: כל קו רשת גדול פי עשרה מזה שמתחתיו. קו שיורד לכיוון שמאל פירושו שהשכבות הראשונות כמעט אינן לומדות (גרדיאנטים נעלמים); קו שעולה לכיוון שמאל פירושו גרדיאנטים מתפוצצים.",
        "bg": "Норма на градиента на загубата спрямо теглата на всеки слой, ‖∂L/∂W‖, от първия скрит слой (вляво) до изходния слой (вдясно), при инициализация (плътна линия) и при {later} (пунктир). Вертикалната ос е логаритмична: всяка линия на мрежата е десет пъти по-голяма от долната. Линия, която пада наляво, означава, че първите слоеве почти не се учат (изчезващи градиенти); линия, която расте наляво, означава експлодиращи градиенти.",
        "pt": "Norma do gradiente da perda em relação aos pesos de cada camada, ‖∂L/∂W‖, da primeira camada oculta (esquerda) à camada de saída (direita), na inicialização (linha contínua) e no {later} (tracejado). O eixo vertical é logarítmico: cada linha da grade vale dez vezes a de baixo. Uma linha que desce para a esquerda indica que as primeiras camadas quase não aprendem (gradientes que desaparecem); uma linha que sobe para a esquerda indica gradientes que explodem.",
        "es": "Norma del gradiente de la pérdida respecto a los pesos de cada capa, ‖∂L/∂W‖, desde la primera capa oculta (izquierda) hasta la capa de salida (derecha), en la inicialización (línea continua) y en el {later} (discontinua). El eje vertical es logarítmico: cada línea de la cuadrícula vale diez veces la de abajo. Una línea que baja hacia la izquierda indica que las primeras capas apenas aprenden (gradientes que desaparecen); una que sube hacia la izquierda indica gradientes que explotan.",
    },
    "cap_activation_hist": {
        "en": "Normalized histograms of the activation values (output of {act}) in each hidden layer at {when}, one panel per variant, as in Glorot & Bengio (2010, Fig. 6). Colour goes from the first hidden layer (dark) to the last (light). Peaks at the ends of the range are saturated units; a growing spike at 0 in deeper layers means the signal is fading.",
        "ro": "Histograme normalizate ale valorilor activării (ieșirea lui {act}) în fiecare strat ascuns la {when}, câte un panou pe variantă, ca în Glorot & Bengio (2010, Fig. 6). Culoarea merge de la primul strat ascuns (închis) la ultimul (deschis). Vârfurile de la capetele intervalului sunt unități saturate; un vârf tot mai mare la 0 în straturile adânci arată că semnalul se stinge.",
        "he": "היסטוגרמות מנורמלות של ערכי האקטיבציה (הפלט של {act}) בכל שכבה נסתרת ב{when}, לוח אחד לכל גרסה, כמו אצל Glorot & Bengio (2010, איור 6). הצבע עובר מהשכבה הנסתרת הראשונה (כהה) לאחרונה (בהיר). שיאים בקצוות הטווח הם יחידות רוויות; שיא הולך וגדל ב-0 בשכבות העמוקות מראה שהאות דועך.",
        "bg": "Нормализирани хистограми на стойностите на активацията (изход на {act}) във всеки скрит слой при {when}, по един панел за вариант, както при Glorot & Bengio (2010, фиг. 6). Цветът върви от първия скрит слой (тъмно) до последния (светло). Върховете в краищата на интервала са наситени неврони; растящ връх при 0 в дълбоките слоеве показва, че сигналът отслабва.",
        "pt": "Histogramas normalizados dos valores de ativação (saída de {act}) em cada camada oculta no {when}, um painel por variante, como em Glorot & Bengio (2010, Fig. 6). A cor vai da primeira camada oculta (escura) à última (clara). Picos nos extremos do intervalo são unidades saturadas; um pico crescente em 0 nas camadas profundas mostra que o sinal está a desaparecer.",
        "es": "Histogramas normalizados de los valores de activación (salida de {act}) en cada capa oculta en el {when}, un panel por variante, como en Glorot & Bengio (2010, Fig. 6). El color va de la primera capa oculta (oscuro) a la última (claro). Los picos en los extremos del rango son unidades saturadas; un pico creciente en 0 en las capas profundas indica que la señal se apaga.",
    },
    "cap_gradient_hist": {
        "en": "Normalized histograms of the back-propagated gradient |∂L/∂z| in each layer at {when}, one panel per variant, as in Glorot & Bengio (2010, Fig. 7). The horizontal axis is logarithmic (powers of ten), so a shift of one tick is a factor of 10. Curves that spread apart from layer to layer mean gradients vanish or explode with depth; curves that lie on top of each other mean the gradient keeps its size.",
        "ro": "Histograme normalizate ale gradientului propagat înapoi |∂L/∂z| în fiecare strat la {when}, câte un panou pe variantă, ca în Glorot & Bengio (2010, Fig. 7). Axa orizontală este logaritmică (puteri ale lui zece): o diviziune înseamnă un factor de 10. Curbele care se depărtează de la un strat la altul arată gradienți care dispar sau explodează cu adâncimea; curbele suprapuse arată că gradientul își păstrează mărimea.",
        "he": "היסטוגרמות מנורמלות של הגרדיאנט המופץ לאחור |∂L/∂z| בכל שכבה ב{when}, לוח אחד לכל גרסה, כמו אצל Glorot & Bengio (2010, איור 7). הציר האופקי לוגריתמי (חזקות של עשר), כך שמעבר של שנתה אחת הוא פי 10. עקומות שמתרחקות זו מזו משכבה לשכבה מראות גרדיאנטים נעלמים או מתפוצצים עם העומק; עקומות החופפות זו לזו מראות שהגרדיאנט שומר על גודלו.",
        "bg": "Нормализирани хистограми на обратно разпространения градиент |∂L/∂z| във всеки слой при {when}, по един панел за вариант, както при Glorot & Bengio (2010, фиг. 7). Хоризонталната ос е логаритмична (степени на десет): едно деление е фактор 10. Криви, които се раздалечават от слой на слой, показват изчезващи или експлодиращи градиенти; припокриващи се криви показват, че градиентът запазва големината си.",
        "pt": "Histogramas normalizados do gradiente retropropagado |∂L/∂z| em cada camada no {when}, um painel por variante, como em Glorot & Bengio (2010, Fig. 7). O eixo horizontal é logarítmico (potências de dez): um traço a mais é um fator de 10. Curvas que se afastam de camada para camada indicam gradientes que desaparecem ou explodem com a profundidade; curvas sobrepostas indicam que o gradiente mantém o seu tamanho.",
        "es": "Histogramas normalizados del gradiente retropropagado |∂L/∂z| en cada capa en el {when}, un panel por variante, como en Glorot & Bengio (2010, Fig. 7). El eje horizontal es logarítmico (potencias de diez): una marca más es un factor de 10. Curvas que se separan de capa en capa indican gradientes que desaparecen o explotan con la profundidad; curvas superpuestas indican que el gradiente conserva su tamaño.",
    },
    "cap_heatmap": {
        "en": "{q} for every layer (rows, first hidden layer at the bottom, output layer on top) and every recorded training step (columns), one panel per variant. Colour is log₁₀ of the value on one shared scale, so the same colour means the same value in every panel. {special}",
        "ro": "{q} pentru fiecare strat (rânduri, primul strat ascuns jos, stratul de ieșire sus) și fiecare pas de antrenare înregistrat (coloane), câte un panou pe variantă. Culoarea este log₁₀ din valoare, pe o singură scară comună: aceeași culoare înseamnă aceeași valoare în toate panourile. {special}",
        "he": "{q} לכל שכבה (שורות, השכבה הנסתרת הראשונה למטה, שכבת הפלט למעלה) ולכל צעד אימון שנרשם (עמודות), לוח אחד לכל גרסה. הצבע הוא log₁₀ של הערך בסקאלה משותפת אחת, כך שאותו צבע פירושו אותו ערך בכל הלוחות. {special}",
        "bg": "{q} за всеки слой (редове, първият скрит слой долу, изходният слой горе) и всяка записана стъпка на обучение (колони), по един панел за вариант. Цветът е log₁₀ от стойността по една обща скала: един и същ цвят означава една и съща стойност във всички панели. {special}",
        "pt": "{q} para cada camada (linhas, primeira camada oculta em baixo, camada de saída em cima) e cada passo de treinamento registado (colunas), um painel por variante. A cor é o log₁₀ do valor numa única escala comum: a mesma cor significa o mesmo valor em todos os painéis. {special}",
        "es": "{q} para cada capa (filas, primera capa oculta abajo, capa de salida arriba) y cada paso de entrenamiento registrado (columnas), un panel por variante. El color es el log₁₀ del valor en una única escala común: el mismo color significa el mismo valor en todos los paneles. {special}",
    },
    "cap_heatmap_special": {
        "en": "Magenta cells are NaN or Inf; grey cells are exactly 0; hatched columns were never run.",
        "ro": "Celulele magenta sunt NaN sau Inf; cele gri sunt exact 0; coloanele hașurate nu au fost rulate.",
        "he": "תאים בצבע מג'נטה הם NaN או Inf; תאים אפורים הם 0 בדיוק; עמודות מקווקוות לא הורצו.",
        "bg": "Пурпурните клетки са NaN или Inf; сивите са точно 0; защрихованите колони не са изпълнени.",
        "pt": "Células magenta são NaN ou Inf; células cinzentas são exatamente 0; colunas tracejadas não foram executadas.",
        "es": "Las celdas magenta son NaN o Inf; las grises son exactamente 0; las columnas rayadas no se ejecutaron.",
    },
    "cap_loss": {
        "en": "Training loss (solid: minibatch loss, smoothed; faint: raw) and validation loss (dashed, circles) for each variant. {scale} Markers show events: ■ early stopping, ★ best validation epoch, ✕ (magenta) the first step with NaN or Inf values.",
        "ro": "Pierderea la antrenare (continuu: pierderea pe mini-lot, netezită; estompat: brută) și pierderea la validare (întrerupt, cercuri) pentru fiecare variantă. {scale} Marcajele arată evenimente: ■ oprire timpurie, ★ cea mai bună epocă la validare, ✕ (magenta) primul pas cu valori NaN sau Inf.",
        "he": "הפסד האימון (רציף: הפסד המיני-מקטע, מוחלק; חיוור: גולמי) והפסד האימות (מקווקו, עיגולים) לכל גרסה. {scale} סמנים מציינים אירועים: ■ עצירה מוקדמת, ★ האפוק הטוב ביותר באימות, ✕ (מג'נטה) הצעד הראשון עם ערכי NaN או Inf.",
        "bg": "Загуба при обучение (плътно: загуба на минипартида, изгладена; бледо: сурова) и загуба при валидиране (пунктир, кръгчета) за всеки вариант. {scale} Маркерите показват събития: ■ ранно спиране, ★ най-добра епоха при валидиране, ✕ (пурпурно) първата стъпка с NaN или Inf.",
        "pt": "Perda de treinamento (contínua: perda do minibatch, suavizada; clara: bruta) e perda de validação (tracejada, círculos) de cada variante. {scale} Os marcadores mostram eventos: ■ parada antecipada, ★ melhor época na validação, ✕ (magenta) o primeiro passo com valores NaN ou Inf.",
        "es": "Pérdida de entrenamiento (continua: pérdida del minibatch, suavizada; tenue: sin suavizar) y pérdida de validación (discontinua, círculos) de cada variante. {scale} Los marcadores muestran eventos: ■ detención temprana, ★ mejor época en validación, ✕ (magenta) el primer paso con valores NaN o Inf.",
    },
    "cap_scale_log": {"en": "The vertical axis is logarithmic.", "ro": "Axa verticală este logaritmică.",
                      "he": "הציר האנכי לוגריתמי.", "bg": "Вертикалната ос е логаритмична.",
                      "pt": "O eixo vertical é logarítmico.", "es": "El eje vertical es logarítmico."},
    "cap_scale_lin": {"en": "The vertical axis is linear.", "ro": "Axa verticală este liniară.",
                      "he": "הציר האנכי ליניארי.", "bg": "Вертикалната ос е линейна.",
                      "pt": "O eixo vertical é linear.", "es": "El eje vertical es lineal."},
    "cap_accuracy": {
        "en": "Training accuracy on the current minibatch (solid) and validation accuracy (dashed, circles) for each variant; the dotted grey line is the accuracy of guessing. Markers show events: ■ early stopping, ★ best validation epoch, ✕ (magenta) the first step with NaN or Inf values.",
        "ro": "Acuratețea la antrenare pe mini-lotul curent (continuu) și acuratețea la validare (întrerupt, cercuri) pentru fiecare variantă; linia gri punctată este acuratețea ghicitului. Marcajele arată evenimente: ■ oprire timpurie, ★ cea mai bună epocă la validare, ✕ (magenta) primul pas cu valori NaN sau Inf.",
        "he": "דיוק האימון על המיני-מקטע הנוכחי (רציף) ודיוק האימות (מקווקו, עיגולים) לכל גרסה; הקו האפור המנוקד הוא הדיוק של ניחוש. סמנים מציינים אירועים: ■ עצירה מוקדמת, ★ האפוק הטוב ביותר באימות, ✕ (מג'נטה) הצעד הראשון עם ערכי NaN או Inf.",
        "bg": "Точност при обучение върху текущата минипартида (плътно) и точност при валидиране (пунктир, кръгчета) за всеки вариант; сивата точкова линия е точността при налучкване. Маркерите показват събития: ■ ранно спиране, ★ най-добра епоха при валидиране, ✕ (пурпурно) първата стъпка с NaN или Inf.",
        "pt": "Precisão de treinamento no minibatch atual (contínua) e precisão de validação (tracejada, círculos) de cada variante; a linha cinzenta pontilhada é a precisão de adivinhar ao acaso. Os marcadores mostram eventos: ■ parada antecipada, ★ melhor época na validação, ✕ (magenta) o primeiro passo com valores NaN ou Inf.",
        "es": "Precisión de entrenamiento en el minibatch actual (continua) y precisión de validación (discontinua, círculos) de cada variante; la línea gris punteada es la precisión de adivinar al azar. Los marcadores muestran eventos: ■ detención temprana, ★ mejor época en validación, ✕ (magenta) el primer paso con valores NaN o Inf.",
    },
    "cap_update_ratio": {
        "en": "How big each weight update is compared with the weights themselves, log₁₀(‖ΔW‖/‖W‖), for every layer (colour, first hidden layer dark) over training, one panel per variant. The dashed line at −3 is a common rule of thumb: far below it a layer hardly changes, far above it the updates are reckless.",
        "ro": "Cât de mare este fiecare actualizare a ponderilor față de ponderi, log₁₀(‖ΔW‖/‖W‖), pentru fiecare strat (culoare, primul strat ascuns închis) pe parcursul antrenării, câte un panou pe variantă. Linia întreruptă la −3 este o regulă empirică uzuală: mult sub ea stratul aproape nu se schimbă, mult peste ea actualizările sunt prea mari.",
        "he": "גודל כל עדכון משקלים ביחס למשקלים עצמם, log₁₀(‖ΔW‖/‖W‖), לכל שכבה (צבע, השכבה הנסתרת הראשונה כהה) לאורך האימון, לוח אחד לכל גרסה. הקו המקווקו ב-−3 הוא כלל אצבע נפוץ: הרבה מתחתיו השכבה כמעט אינה משתנה, הרבה מעליו העדכונים פזיזים.",
        "bg": "Колко голямо е всяко обновяване на теглата спрямо самите тегла, log₁₀(‖ΔW‖/‖W‖), за всеки слой (цвят, първият скрит слой е тъмен) по време на обучението, по един панел за вариант. Пунктирът при −3 е често емпирично правило: далеч под него слоят почти не се променя, далеч над него обновяванията са прекалени.",
        "pt": "O tamanho de cada atualização dos pesos em relação aos próprios pesos, log₁₀(‖ΔW‖/‖W‖), para cada camada (cor, primeira camada oculta escura) ao longo do treinamento, um painel por variante. A linha tracejada em −3 é uma regra prática comum: muito abaixo dela a camada quase não muda, muito acima as atualizações são imprudentes.",
        "es": "El tamaño de cada actualización de los pesos respecto a los propios pesos, log₁₀(‖ΔW‖/‖W‖), para cada capa (color, primera capa oculta oscura) a lo largo del entrenamiento, un panel por variante. La línea discontinua en −3 es una regla práctica común: muy por debajo la capa apenas cambia, muy por encima las actualizaciones son temerarias.",
    },
    "cap_saturation_sat": {
        "en": "Share of saturated units (|{act}| in its flat region, where its derivative is almost 0) in each hidden layer over training, one panel per variant. A saturated unit passes almost no gradient back.",
        "ro": "Proporția unităților saturate ({act} în zona plată, unde derivata este aproape 0) în fiecare strat ascuns pe parcursul antrenării, câte un panou pe variantă. O unitate saturată nu mai transmite aproape deloc gradient înapoi.",
        "he": "שיעור היחידות הרוויות ({act} באזור השטוח, שבו הנגזרת כמעט 0) בכל שכבה נסתרת לאורך האימון, לוח אחד לכל גרסה. יחידה רוויה כמעט אינה מעבירה גרדיאנט לאחור.",
        "bg": "Дял на наситените неврони ({act} в плоската си област, където производната е почти 0) във всеки скрит слой по време на обучението, по един панел за вариант. Наситеният неврон почти не пропуска градиент назад.",
        "pt": "Proporção de unidades saturadas ({act} na sua região plana, onde a derivada é quase 0) em cada camada oculta ao longo do treinamento, um painel por variante. Uma unidade saturada quase não deixa passar gradiente para trás.",
        "es": "Proporción de unidades saturadas ({act} en su zona plana, donde la derivada es casi 0) en cada capa oculta a lo largo del entrenamiento, un panel por variante. Una unidad saturada casi no deja pasar gradiente hacia atrás.",
    },
    "cap_saturation_dead": {
        "en": "Share of dead units (output exactly 0) in each hidden layer over training, one panel per variant. A dead {act} unit passes no gradient back.",
        "ro": "Proporția unităților moarte (ieșire exact 0) în fiecare strat ascuns pe parcursul antrenării, câte un panou pe variantă. O unitate {act} moartă nu transmite gradient înapoi.",
        "he": "שיעור היחידות המתות (פלט 0 בדיוק) בכל שכבה נסתרת לאורך האימון, לוח אחד לכל גרסה. יחידת {act} מתה אינה מעבירה גרדיאנט לאחור.",
        "bg": "Дял на мъртвите неврони (изход точно 0) във всеки скрит слой по време на обучението, по един панел за вариант. Мъртъв {act} неврон не пропуска градиент назад.",
        "pt": "Proporção de unidades mortas (saída exatamente 0) em cada camada oculta ao longo do treinamento, um painel por variante. Uma unidade {act} morta não deixa passar gradiente para trás.",
        "es": "Proporción de unidades muertas (salida exactamente 0) en cada capa oculta a lo largo del entrenamiento, un panel por variante. Una unidad {act} muerta no deja pasar gradiente hacia atrás.",
    },
    "cap_saturation_mixed": {
        "en": "Share of units that pass almost no gradient back, in each hidden layer over training, one panel per variant: saturated units (tanh or sigmoid in its flat region) or dead units (ReLU family, output exactly 0), as named on each panel.",
        "ro": "Proporția unităților care aproape nu mai transmit gradient înapoi, în fiecare strat ascuns pe parcursul antrenării, câte un panou pe variantă: unități saturate (tanh sau sigmoid în zona plată) sau unități moarte (familia ReLU, ieșire exact 0), după cum scrie pe fiecare panou.",
        "he": "שיעור היחידות שכמעט אינן מעבירות גרדיאנט לאחור, בכל שכבה נסתרת לאורך האימון, לוח אחד לכל גרסה: יחידות רוויות (tanh או sigmoid באזור השטוח) או יחידות מתות (משפחת ReLU, פלט 0 בדיוק), כפי שמצוין בכל לוח.",
        "bg": "Дял на невроните, които почти не пропускат градиент назад, във всеки скрит слой по време на обучението, по един панел за вариант: наситени неврони (tanh или sigmoid в плоската област) или мъртви неврони (семейство ReLU, изход точно 0), както е посочено на всеки панел.",
        "pt": "Proporção de unidades que quase não deixam passar gradiente para trás, em cada camada oculta ao longo do treinamento, um painel por variante: unidades saturadas (tanh ou sigmoid na região plana) ou unidades mortas (família ReLU, saída exatamente 0), como indicado em cada painel.",
        "es": "Proporción de unidades que casi no dejan pasar gradiente hacia atrás, en cada capa oculta a lo largo del entrenamiento, un panel por variante: unidades saturadas (tanh o sigmoid en su zona plana) o unidades muertas (familia ReLU, salida exactamente 0), según se indica en cada panel.",
    },
    "cap_percentiles": {
        "en": "Input of the nonlinearity in {layer} over training: the median (line) and the 15th–85th percentile band, one panel per variant, as in Ioffe & Szegedy (2015, Fig. 1). A band that drifts or widens means the next layer keeps seeing a different distribution; batch normalization holds it steady.",
        "ro": "Intrarea neliniarității în {layer} pe parcursul antrenării: mediana (linie) și banda percentilelor 15–85, câte un panou pe variantă, ca în Ioffe & Szegedy (2015, Fig. 1). O bandă care se deplasează sau se lărgește înseamnă că stratul următor vede mereu altă distribuție; normalizarea pe loturi o ține stabilă.",
        "he": "הקלט של האי-לינאריות ב{layer} לאורך האימון: החציון (קו) ורצועת האחוזונים 15–85, לוח אחד לכל גרסה, כמו אצל Ioffe & Szegedy (2015, איור 1). רצועה שנודדת או מתרחבת פירושה שהשכבה הבאה רואה כל הזמן התפלגות אחרת; נרמול מיני-מקטע שומר עליה יציבה.",
        "bg": "Входът на нелинейността в {layer} по време на обучението: медианата (линия) и лентата между 15-и и 85-и перцентил, по един панел за вариант, както при Ioffe & Szegedy (2015, фиг. 1). Лента, която се измества или разширява, означава, че следващият слой постоянно вижда различно разпределение; нормализацията на партиди я държи стабилна.",
        "pt": "Entrada da não-linearidade na {layer} ao longo do treinamento: a mediana (linha) e a faixa dos percentis 15–85, um painel por variante, como em Ioffe & Szegedy (2015, Fig. 1). Uma faixa que se desloca ou alarga significa que a camada seguinte vê sempre uma distribuição diferente; a normalização em lote mantém-na estável.",
        "es": "Entrada de la no linealidad en la {layer} a lo largo del entrenamiento: la mediana (línea) y la banda de percentiles 15–85, un panel por variante, como en Ioffe & Szegedy (2015, Fig. 1). Una banda que se desplaza o se ensancha significa que la capa siguiente ve siempre una distribución distinta; la normalización por lotes la mantiene estable.",
    },
    "cap_lr": {
        "en": "Learning rate η used at every training step, one line per variant. {scale}",
        "ro": "Rata de învățare η folosită la fiecare pas de antrenare, câte o linie pe variantă. {scale}",
        "he": "קצב הלמידה η בכל צעד אימון, קו אחד לכל גרסה. {scale}",
        "bg": "Скоростта на обучение η на всяка стъпка, по една линия за вариант. {scale}",
        "pt": "Taxa de aprendizado η usada em cada passo de treinamento, uma linha por variante. {scale}",
        "es": "Tasa de aprendizaje η usada en cada paso de entrenamiento, una línea por variante. {scale}",
    },
    "cap_grad_clip": {
        "en": "Global gradient norm ‖∇L‖ at every training step before clipping (faint) and after clipping (solid), one panel per variant, on a logarithmic axis. When the norm exceeds the threshold θ (dashed), the gradient is rescaled to length θ, so the solid line never rises above it.",
        "ro": "Norma globală a gradientului ‖∇L‖ la fiecare pas, înainte de tăiere (estompat) și după tăiere (continuu), câte un panou pe variantă, pe o axă logaritmică. Când norma depășește pragul θ (întrerupt), gradientul este rescalat la lungimea θ, deci linia continuă nu urcă niciodată peste prag.",
        "he": "הנורמה הכוללת של הגרדיאנט ‖∇L‖ בכל צעד לפני חיתוך (חיוור) ואחרי חיתוך (רציף), לוח אחד לכל גרסה, על ציר לוגריתמי. כשהנורמה עוברת את הסף θ (מקווקו), הגרדיאנט מוקטן לאורך θ, ולכן הקו הרציף לעולם אינו עולה מעליו.",
        "bg": "Обща норма на градиента ‖∇L‖ на всяка стъпка преди ограничаване (бледо) и след ограничаване (плътно), по един панел за вариант, по логаритмична ос. Когато нормата надхвърли прага θ (пунктир), градиентът се мащабира до дължина θ, затова плътната линия никога не минава над него.",
        "pt": "Norma global do gradiente ‖∇L‖ em cada passo antes do corte (claro) e depois do corte (contínuo), um painel por variante, num eixo logarítmico. Quando a norma ultrapassa o limiar θ (tracejado), o gradiente é reescalado para o comprimento θ, por isso a linha contínua nunca sobe acima dele.",
        "es": "Norma global del gradiente ‖∇L‖ en cada paso antes del recorte (tenue) y después del recorte (continua), un panel por variante, en un eje logarítmico. Cuando la norma supera el umbral θ (discontinuo), el gradiente se reescala a longitud θ, así que la línea continua nunca sube por encima.",
    },
    "cap_decision_boundary": {
        "en": "Class predicted by the network at every point of the input plane at {when}, one panel per variant, with the training points on top. Paler colour means the network is less confident (lower top softmax probability).",
        "ro": "Clasa prezisă de rețea în fiecare punct al planului de intrare la {when}, câte un panou pe variantă, cu punctele de antrenare deasupra. O culoare mai palidă înseamnă că rețeaua este mai puțin sigură (probabilitate softmax maximă mai mică).",
        "he": "המחלקה שהרשת חוזה בכל נקודה במישור הקלט ב{when}, לוח אחד לכל גרסה, עם נקודות האימון מעל. צבע חיוור יותר פירושו שהרשת פחות בטוחה (הסתברות softmax מרבית נמוכה יותר).",
        "bg": "Класът, предсказан от мрежата във всяка точка на входната равнина при {when}, по един панел за вариант, с обучаващите точки отгоре. По-бледият цвят означава по-малка увереност на мрежата (по-ниска максимална softmax вероятност).",
        "pt": "Classe prevista pela rede em cada ponto do plano de entrada no {when}, um painel por variante, com os pontos de treinamento por cima. Cor mais clara significa que a rede tem menos confiança (probabilidade softmax máxima menor).",
        "es": "Clase que predice la red en cada punto del plano de entrada en el {when}, un panel por variante, con los puntos de entrenamiento encima. Un color más claro significa que la red tiene menos confianza (probabilidad softmax máxima menor).",
    },
    "cap_surface": {
        "en": "Paths of the optimizers on the {surface} loss surface, one colour per optimizer, from the start (○) to the last step (▲). Contour lines are spaced logarithmically, so they crowd together where the surface is steep and also resolve the flat valley floor.",
        "ro": "Traiectoriile optimizatorilor pe suprafața de pierdere {surface}, câte o culoare pe optimizator, de la start (○) la ultimul pas (▲). Liniile de contur sunt spațiate logaritmic: se îndesesc unde suprafața e abruptă și arată și fundul plat al văii.",
        "he": "המסלולים של האופטימיזרים על משטח ההפסד {surface}, צבע אחד לכל אופטימיזר, מההתחלה (○) ועד הצעד האחרון (▲). קווי הגובה מרווחים לוגריתמית, כך שהם צפופים היכן שהמשטח תלול ומראים גם את קרקעית העמק השטוחה.",
        "bg": "Траекториите на оптимизаторите върху повърхнината на загубата {surface}, по един цвят за оптимизатор, от началото (○) до последната стъпка (▲). Изолиниите са на логаритмични интервали: сгъстяват се там, където повърхнината е стръмна, и показват и плоското дъно на долината.",
        "pt": "Trajetórias dos otimizadores na superfície de perda {surface}, uma cor por otimizador, do início (○) ao último passo (▲). As curvas de nível estão espaçadas logaritmicamente: juntam-se onde a superfície é íngreme e mostram também o fundo plano do vale.",
        "es": "Trayectorias de los optimizadores sobre la superficie de pérdida {surface}, un color por optimizador, desde el inicio (○) hasta el último paso (▲). Las curvas de nivel están espaciadas logarítmicamente: se juntan donde la superficie es empinada y muestran también el fondo plano del valle.",
    },
    "cap_hist_anim": {
        "en": "Histograms of {q} in selected layers (columns) for each variant (rows), one frame per recorded training step. Every panel and every frame share one scale.",
        "ro": "Histogramele pentru {q} în straturile alese (coloane) pentru fiecare variantă (rânduri), câte un cadru pe pas de antrenare înregistrat. Toate panourile și cadrele au aceeași scară.",
        "he": "היסטוגרמות של {q} בשכבות נבחרות (עמודות) לכל גרסה (שורות), פריים אחד לכל צעד אימון שנרשם. לכל הלוחות והפריימים סקאלה אחת.",
        "bg": "Хистограми на {q} в избрани слоеве (колони) за всеки вариант (редове), по един кадър на записана стъпка. Всички панели и кадри са в една скала.",
        "pt": "Histogramas de {q} em camadas escolhidas (colunas) para cada variante (linhas), um quadro por passo de treinamento registado. Todos os painéis e quadros partilham uma escala.",
        "es": "Histogramas de {q} en capas elegidas (columnas) para cada variante (filas), un fotograma por paso de entrenamiento registrado. Todos los paneles y fotogramas comparten una escala.",
    },
    "cap_heatmap_anim": {
        "en": "The heat map of {q} (log₁₀, layer × training step) filling in as training proceeds, one panel per variant, on one fixed colour scale.",
        "ro": "Harta termică pentru {q} (log₁₀, strat × pas) care se completează pe măsură ce antrenarea avansează, câte un panou pe variantă, pe o scară de culori fixă.",
        "he": "מפת החום של {q} (log₁₀, שכבה × צעד) מתמלאת ככל שהאימון מתקדם, לוח אחד לכל גרסה, בסקאלת צבעים קבועה אחת.",
        "bg": "Топлинната карта на {q} (log₁₀, слой × стъпка) се запълва с напредването на обучението, по един панел за вариант, в една фиксирана цветова скала.",
        "pt": "O mapa de calor de {q} (log₁₀, camada × passo) a preencher-se à medida que o treinamento avança, um painel por variante, numa escala de cores fixa.",
        "es": "El mapa de calor de {q} (log₁₀, capa × paso) que se va llenando a medida que avanza el entrenamiento, un panel por variante, en una escala de colores fija.",
    },
    "cap_boundary_anim": {
        "en": "The decision boundary of each variant (panels) changing over training, one frame per recorded step. Paler colour means less confident.",
        "ro": "Frontiera de decizie a fiecărei variante (panouri) schimbându-se pe parcursul antrenării, câte un cadru pe pas înregistrat. Culoarea mai palidă înseamnă mai puțină siguranță.",
        "he": "גבול ההחלטה של כל גרסה (לוחות) משתנה לאורך האימון, פריים אחד לכל צעד שנרשם. צבע חיוור יותר פירושו פחות ביטחון.",
        "bg": "Границата на решението на всеки вариант (панели) се променя по време на обучението, по един кадър на записана стъпка. По-бледият цвят означава по-малка увереност.",
        "pt": "A fronteira de decisão de cada variante (painéis) a mudar ao longo do treinamento, um quadro por passo registado. Cor mais clara significa menos confiança.",
        "es": "La frontera de decisión de cada variante (paneles) cambiando a lo largo del entrenamiento, un fotograma por paso registrado. Un color más claro significa menos confianza.",
    },
    "cap_surface_anim": {
        "en": "Optimizers racing on the {surface} loss surface, one colour per optimizer; each frame advances every optimizer by the same number of steps.",
        "ro": "Optimizatori în întrecere pe suprafața de pierdere {surface}, câte o culoare pe optimizator; fiecare cadru avansează toți optimizatorii cu același număr de pași.",
        "he": "מרוץ אופטימיזרים על משטח ההפסד {surface}, צבע אחד לכל אופטימיזר; כל פריים מקדם את כולם באותו מספר צעדים.",
        "bg": "Оптимизатори в надпревара върху повърхнината на загубата {surface}, по един цвят за оптимизатор; всеки кадър придвижва всички с еднакъв брой стъпки.",
        "pt": "Otimizadores em corrida na superfície de perda {surface}, uma cor por otimizador; cada quadro avança todos o mesmo número de passos.",
        "es": "Optimizadores compitiendo sobre la superficie de pérdida {surface}, un color por optimizador; cada fotograma avanza a todos el mismo número de pasos.",
    },
    # ---- alt-text fragments ------------------------------------------------------------
    "alt_line_chart": {"en": "Line chart", "ro": "Grafic cu linii", "he": "תרשים קווי",
                       "bg": "Линейна графика", "pt": "Gráfico de linhas", "es": "Gráfico de líneas"},
    "alt_grad_norms": {
        "en": "Line chart, log scale: gradient norm ‖∂L/∂W‖ for layers 1 to {n} at initialization. {items}",
        "ro": "Grafic cu linii, scară logaritmică: norma gradientului ‖∂L/∂W‖ pentru straturile 1–{n} la inițializare. {items}",
        "he": "תרשים קווי, סקאלה לוגריתמית: נורמת הגרדיאנט ‖∂L/∂W‖ לשכבות 1 עד {n} באתחול. {items}",
        "bg": "Линейна графика, логаритмична скала: норма на градиента ‖∂L/∂W‖ за слоеве от 1 до {n} при инициализация. {items}",
        "pt": "Gráfico de linhas, escala logarítmica: norma do gradiente ‖∂L/∂W‖ nas camadas 1 a {n} na inicialização. {items}",
        "es": "Gráfico de líneas, escala logarítmica: norma del gradiente ‖∂L/∂W‖ en las capas 1 a {n} en la inicialización. {items}",
    },
    "alt_first_last": {
        "en": "{label}: {first} at layer 1, {last} at the output layer",
        "ro": "{label}: {first} la stratul 1, {last} la stratul de ieșire",
        "he": "{label}: {first} בשכבה 1, {last} בשכבת הפלט",
        "bg": "{label}: {first} в слой 1, {last} в изходния слой",
        "pt": "{label}: {first} na camada 1, {last} na camada de saída",
        "es": "{label}: {first} en la capa 1, {last} en la capa de salida",
    },
    "alt_hist": {
        "en": "{n} panels of overlaid histogram curves, one per variant, showing the distribution of {q} in each layer at {when}. {items}",
        "ro": "{n} panouri cu curbe de histogramă suprapuse, câte unul pe variantă, cu distribuția {q} în fiecare strat la {when}. {items}",
        "he": "{n} לוחות של עקומות היסטוגרמה חופפות, אחד לכל גרסה, המציגים את התפלגות {q} בכל שכבה ב{when}. {items}",
        "bg": "{n} панела с припокриващи се хистограми, по един за вариант, с разпределението на {q} във всеки слой при {when}. {items}",
        "pt": "{n} painéis de curvas de histograma sobrepostas, um por variante, com a distribuição de {q} em cada camada no {when}. {items}",
        "es": "{n} paneles de curvas de histograma superpuestas, uno por variante, con la distribución de {q} en cada capa en el {when}. {items}",
    },
    "alt_spread": {
        "en": "{label}: typical value {first} in the first layer shown and {last} in the last",
        "ro": "{label}: valoare tipică {first} în primul strat afișat și {last} în ultimul",
        "he": "{label}: ערך טיפוסי {first} בשכבה הראשונה המוצגת ו-{last} באחרונה",
        "bg": "{label}: типична стойност {first} в първия показан слой и {last} в последния",
        "pt": "{label}: valor típico {first} na primeira camada mostrada e {last} na última",
        "es": "{label}: valor típico {first} en la primera capa mostrada y {last} en la última",
    },
    "alt_heatmap": {
        "en": "Heat map, one panel per variant, of log₁₀ {q} by layer (rows) and training step (columns); the shared colour scale runs from {lo} to {hi}. {items}",
        "ro": "Hartă termică, câte un panou pe variantă, cu log₁₀ {q} pe strat (rânduri) și pas (coloane); scara comună merge de la {lo} la {hi}. {items}",
        "he": "מפת חום, לוח אחד לכל גרסה, של log₁₀ {q} לפי שכבה (שורות) וצעד אימון (עמודות); הסקאלה המשותפת נעה בין {lo} ל-{hi}. {items}",
        "bg": "Топлинна карта, по един панел за вариант, на log₁₀ {q} по слой (редове) и стъпка (колони); общата скала е от {lo} до {hi}. {items}",
        "pt": "Mapa de calor, um painel por variante, de log₁₀ {q} por camada (linhas) e passo (colunas); a escala comum vai de {lo} a {hi}. {items}",
        "es": "Mapa de calor, un panel por variante, de log₁₀ {q} por capa (filas) y paso (columnas); la escala común va de {lo} a {hi}. {items}",
    },
    "alt_curve": {
        "en": "{chart} of {q} against training step, one line per variant. {items}",
        "ro": "{chart}: {q} în funcție de pasul de antrenare, câte o linie pe variantă. {items}",
        "he": "{chart} של {q} כפונקציה של צעד האימון, קו אחד לכל גרסה. {items}",
        "bg": "{chart} на {q} спрямо стъпката на обучение, по една линия за вариант. {items}",
        "pt": "{chart} de {q} em função do passo de treinamento, uma linha por variante. {items}",
        "es": "{chart} de {q} frente al paso de entrenamiento, una línea por variante. {items}",
    },
    "alt_start_end": {
        "en": "{label}: {start} at the start, {end} at the end",
        "ro": "{label}: {start} la început, {end} la final",
        "he": "{label}: {start} בהתחלה, {end} בסוף",
        "bg": "{label}: {start} в началото, {end} в края",
        "pt": "{label}: {start} no início, {end} no fim",
        "es": "{label}: {start} al inicio, {end} al final",
    },
    "alt_panels": {
        "en": "{chart}, one panel per variant, of {q} against training step. {items}",
        "ro": "{chart}, câte un panou pe variantă: {q} în funcție de pasul de antrenare. {items}",
        "he": "{chart}, לוח אחד לכל גרסה, של {q} כפונקציה של צעד האימון. {items}",
        "bg": "{chart}, по един панел за вариант, на {q} спрямо стъпката на обучение. {items}",
        "pt": "{chart}, um painel por variante, de {q} em função do passo de treinamento. {items}",
        "es": "{chart}, un panel por variante, de {q} frente al paso de entrenamiento. {items}",
    },
    "alt_boundary": {
        "en": "{n} maps of the input plane, one per variant, coloured by predicted class at {when}, with training points on top. {items}",
        "ro": "{n} hărți ale planului de intrare, câte una pe variantă, colorate după clasa prezisă la {when}, cu punctele de antrenare deasupra. {items}",
        "he": "{n} מפות של מישור הקלט, אחת לכל גרסה, צבועות לפי המחלקה החזויה ב{when}, עם נקודות האימון מעל. {items}",
        "bg": "{n} карти на входната равнина, по една за вариант, оцветени по предсказания клас при {when}, с обучаващите точки отгоре. {items}",
        "pt": "{n} mapas do plano de entrada, um por variante, coloridos pela classe prevista no {when}, com os pontos de treinamento por cima. {items}",
        "es": "{n} mapas del plano de entrada, uno por variante, coloreados por la clase predicha en el {when}, con los puntos de entrenamiento encima. {items}",
    },
    "alt_surface": {
        "en": "Contour map of the {surface} loss surface with the paths of {n} optimizers. {items}",
        "ro": "Hartă de contur a suprafeței de pierdere {surface} cu traiectoriile a {n} optimizatori. {items}",
        "he": "מפת קווי גובה של משטח ההפסד {surface} עם המסלולים של {n} אופטימיזרים. {items}",
        "bg": "Карта с изолинии на повърхнината на загубата {surface} с траекториите на {n} оптимизатора. {items}",
        "pt": "Mapa de contornos da superfície de perda {surface} com as trajetórias de {n} otimizadores. {items}",
        "es": "Mapa de contornos de la superficie de pérdida {surface} con las trayectorias de {n} optimizadores. {items}",
    },
    "alt_final_loss": {
        "en": "{label} ends at loss {v}", "ro": "{label} termină cu pierderea {v}",
        "he": "{label} מסיים בהפסד {v}", "bg": "{label} завършва със загуба {v}",
        "pt": "{label} termina com perda {v}", "es": "{label} termina con pérdida {v}",
    },
    "alt_anim": {
        "en": "Animation with {n} frames. {caption}",
        "ro": "Animație cu {n} cadre. {caption}",
        "he": "הנפשה עם {n} פריימים. {caption}",
        "bg": "Анимация с {n} кадъра. {caption}",
        "pt": "Animação com {n} quadros. {caption}",
        "es": "Animación con {n} fotogramas. {caption}",
    },
    # ---- README ------------------------------------------------------------------------
    "readme_caption": {"en": "Caption", "ro": "Legendă", "he": "כיתוב", "bg": "Надпис",
                       "pt": "Legenda", "es": "Leyenda"},
    "readme_alt": {"en": "Alt text", "ro": "Text alternativ", "he": "טקסט חלופי",
                   "bg": "Алтернативен текст", "pt": "Texto alternativo", "es": "Texto alternativo"},
    "readme_snippet": {"en": "Markdown to paste into a lesson", "ro": "Markdown de copiat în lecție",
                       "he": "Markdown להדבקה בשיעור", "bg": "Markdown за поставяне в урок",
                       "pt": "Markdown para colar na lição", "es": "Markdown para pegar en la lección"},
    "readme_files": {"en": "Files", "ro": "Fișiere", "he": "קבצים", "bg": "Файлове",
                     "pt": "Ficheiros", "es": "Archivos"},
}


def t(key: str, lang: str = "en", **fields) -> str:
    """The string ``key`` in ``lang`` (falling back to English), formatted with ``fields``.

    Unknown keys return the key itself so a missing translation never crashes a
    render; :func:`missing_translations` lists them for the test-suite.
    """
    entry = STRINGS.get(key)
    if entry is None:
        text = key
    else:
        text = entry.get(lang) or entry["en"]
    if fields:
        try:
            text = text.format(**fields)
        except (KeyError, IndexError):
            pass
    return text


def quantity_label(name: str, lang: str = "en") -> str:
    """Readable name of a Recording quantity ("grad_w_norm" -> "‖∂L/∂W‖, ..."), else the name."""
    key = "q_" + name
    return t(key, lang) if key in STRINGS else name


def missing_translations() -> dict[str, list[str]]:
    """``{language: [keys without a translation]}`` for every language."""
    return {lang: sorted(k for k, v in STRINGS.items() if lang not in v) for lang in LANGUAGES}


def is_rtl(lang: str) -> bool:
    return lang in RTL_LANGUAGES
