"""Figures for the float-precision lessons (data from :mod:`gradviz.numerics`).

Every figure function takes the experiment's data (computed with defaults
when ``None``) plus ``lang``, ``size`` (inches) and ``dpi``, and returns a
:class:`matplotlib.figure.Figure` on the Agg canvas; pyplot is never used, so
nothing here touches global GUI state. :data:`FIGURES` maps names to the
functions and :func:`render_precision` writes them to files.

All user-visible text is in :data:`STRINGS` (one dict per language; missing
keys fall back to English) so a translation pass only touches that dict.
"""
from __future__ import annotations

import math
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullFormatter

from . import numerics as nx

__all__ = ["STRINGS", "FORMAT_COLORS", "METHOD_COLORS", "FIGURES",
           "fig_absorption", "fig_spacing", "fig_summation", "fig_cancellation",
           "fig_overflow", "render_precision"]

# ---------------------------------------------------------------------------
# Text (translate here) and colours
# ---------------------------------------------------------------------------

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        # absorption
        "abs_title_table": "{a} + {b}, each format",
        "abs_col_format": "format",
        "abs_col_a": "a stored",
        "abs_col_b": "b stored",
        "abs_col_sum": "fl(a + b)",
        "abs_col_error": "error",
        "abs_absorbed": "b absorbed",
        "abs_partly": "partly",
        "abs_exact": "exact",
        "abs_overflow": "a = inf",
        "abs_note_rule": "Operands rounded to the format, exact sum rounded once.",
        "abs_note_absorbed": "{n_abs} of {n_fmt} formats return a unchanged: the error is all of b.",
        "abs_note_overflow": "{fmt}: {a} > {max} is stored as inf.",
        "abs_note_underflow": "{fmt}: {b} is stored as 0.",
        "abs_title_curve": "How small must t be to vanish in x + t?",
        "abs_xlabel": "magnitude x",
        "abs_ylabel": "half the gap above x: smaller t are lost",
        "abs_point": "{a} + {b}",
        "abs_rule": "t ~ x * eps/2",
        # spacing
        "sp_title_ulp": "Gap to the next number (ULP)",
        "sp_title_rel": "Relative gap ULP(x) / x",
        "sp_xlabel": "magnitude x",
        "sp_ylabel_ulp": "ULP(x)",
        "sp_ylabel_rel": "ULP(x) / x",
        "sp_subnormal": "smallest subnormal",
        "sp_normal": "smallest normal",
        "sp_max": "largest finite",
        "sp_eps": "eps = {eps}",
        "sp_subnormal_zone": "float16\nsubnormals",
        "sp_subnormal_flat": "float16 subnormals:\nfixed gap {ulp}",
        "sp_title_range": "Whole range (pale: subnormals)",
        # summation
        "sum_title": "{fmt}: adding {value} n times",
        "sum_xlabel": "n (number of terms)",
        "sum_ylabel": "relative error vs exact n * fl({value})",
        "sum_naive": "naive running sum",
        "sum_pairwise": "pairwise",
        "sum_kahan": "Kahan (compensated)",
        "sum_u": "u = eps/2 (one rounding)",
        "sum_note_stall": "naive stalls at {stall}:\nhalf the gap there > {value}",
        "sum_note_final": "n = {n}: naive = {naive}\nexact = {exact}",
        "sum_kahan_limit": "{fmt} only up to n = {n} (dotted line)",
        "sum_zero": "points at the bottom edge: error exactly 0",
        # cancellation
        "can_title_one": "(1 + x) - 1 in each format",
        "can_xlabel_one": "x",
        "can_ylabel_one": "relative error of (1 + x) - 1",
        "can_absorbed": "x absorbed by 1: result 0, error 100%",
        "can_gaps": "gaps: result exact (error 0)",
        "can_title_var": "Variance of {mean:g} + N(0, 1), float32",
        "can_xlabel_var": "n (samples)",
        "can_ylabel_var": "relative error of the variance",
        "can_one_pass": "one-pass E[x^2] - E[x]^2",
        "can_two_pass": "two-pass",
        "can_welford": "Welford",
        "can_var_note": "E[x^2] ~ 1e8, float32 gap there = 8,\nbut the variance is ~1",
        # overflow
        "ov_title_exp": "softmax(s, 0): naive exp overflows",
        "ov_xlabel_exp": "logit s (log scale); marks at ln(largest finite)",
        "ov_naive_row": "{fmt}\nnaive",
        "ov_stable_row": "any format,\nmax subtracted",
        "ov_finite": "finite result",
        "ov_nan": "NaN: exp(s) = inf, inf/inf",
        "ov_title_sig": "sigmoid saturates: 1 - sigma(x) becomes 0",
        "ov_xlabel_sig": "x",
        "ov_ylabel_sig": "1 - sigma(x), sigma rounded to the format",
        "ov_true": "exact 1 - sigma(x)",
        "ov_sat": "0 from x = {x}",
        # captions and alt texts (used by gradviz.outputs; plain text, no placeholders)
        "caption_absorption": "Left: a + b in float16, bfloat16, float32 and float64, with both operands "
                              "rounded to the format and the exact sum rounded once. Right: half the gap "
                              "from x to the next number, for every magnitude x: any smaller t vanishes "
                              "in x + t. When the star (a, b) lies below a format's line, b is absorbed "
                              "in that format.",
        "alt_absorption": "Two panels. Left, a table with one row per format (float16, bfloat16, float32, "
                          "float64) giving the stored a, the stored b, the rounded sum fl(a + b) and its "
                          "error, followed by notes on operands that are absorbed, too large (stored as "
                          "inf) or rounded to 0. Right, a log-log chart of half the gap above x against "
                          "the magnitude x: one rising staircase per format, lower for the more precise "
                          "formats, and a star at the point (a, b).",
        "caption_spacing": "The gap between neighbouring numbers (ULP) grows in proportion to their "
                           "magnitude, so the relative gap stays between eps/2 and eps in every format, "
                           "except among the subnormals, where the gap is fixed. Compare the formats at "
                           "x = 1 (markers) and the length of each range at the bottom right.",
        "alt_spacing": "Three panels. Left, ULP(x) against x from 1e-9 to 1e6 on log scales: four "
                       "parallel staircases, float64 lowest (eps = 2^-52 at x = 1), then float32 "
                       "(2^-23), float16 (2^-10) and bfloat16 (2^-7); the float16 line is flat at 2^-24 "
                       "among its subnormals and stops at its largest finite value, 65504. Top right, "
                       "the relative gap ULP(x)/x: a sawtooth band near eps for each format, rising "
                       "across the float16 subnormal zone. Bottom right, horizontal bars with the whole "
                       "range of each format, from the smallest subnormal to the largest finite value: "
                       "about 2^-24 to 65504 for float16, 2^-133 to 3.39e38 for bfloat16, 2^-149 to "
                       "3.40e38 for float32 and 2^-1074 to 1.80e308 for float64.",
        "caption_summation": "Adding 0.1 n times with every operation rounded: the naive running sum "
                             "drifts away from the exact value, and in float16 it stops growing at 256, "
                             "where half the gap between numbers exceeds 0.1. Pairwise and Kahan "
                             "summation stay near a single rounding error (dashed line).",
        "alt_summation": "Two log-log panels, float16 with n up to 100000 and float32 with n up to 10 "
                         "million, showing the relative error of a sum of n copies of 0.1 against n. "
                         "The error of the naive running sum climbs with n: in float16 it reaches "
                         "nearly 100% because the sum stalls at 256, in float32 about 9% at n = 10 "
                         "million. The pairwise and Kahan (compensated) errors stay around the dashed "
                         "line u = eps/2 in both panels; points on the bottom edge are exact results.",
        "caption_cancellation": "Subtracting nearly equal numbers exposes the rounding that came "
                                "before. Left: (1 + x) - 1 has a relative error of up to about eps/(2x), "
                                "which reaches 100% once 1 absorbs x. Right: in float32 the one-pass "
                                "variance E[x^2] - E[x]^2 of data with mean 10000 is off by 100% or "
                                "more, while the two-pass and Welford algorithms stay accurate.",
        "alt_cancellation": "Two log-log panels. Left, the relative error of (1 + x) - 1 against x from "
                            "1e-20 to 1, one line per format: each is flat at 100% while 1 absorbs x, "
                            "then falls steadily as x grows, starting near x = 1e-16 for float64, 1e-7 "
                            "for float32 and 1e-3 for float16 and bfloat16; gaps in the lines are exact "
                            "results. Right, the relative error of the float32 variance of "
                            "10000 + N(0, 1) against the number of samples, up to 100000: the one-pass "
                            "formula stays between 1 and a few hundred, Welford near 1e-4, two-pass "
                            "near 1e-7, next to the dashed line u = eps/2.",
        "caption_overflow": "Left: naive softmax of the logits (s, 0) becomes NaN as soon as exp(s) "
                            "overflows, at ln of the largest finite value (black marks); subtracting the "
                            "maximum first keeps it finite in every format. Right: 1 - sigma(x), with "
                            "sigma rounded to the format, drops to exactly 0 (triangles) long before the "
                            "exact value (dotted line) is small enough to round to 0.",
        "alt_overflow": "Two panels. Left, horizontal bars along the logit s from 0.1 to 1000 (log "
                        "scale), one per format for the naive softmax and one for the stable version: "
                        "each naive bar is solid (finite result) up to ln of the format's largest finite "
                        "value, 11.09 for float16, 88.72 for bfloat16 and float32, 709.78 for float64, "
                        "and hatched (NaN) beyond it; the stable bar is solid all the way. Right, "
                        "1 - sigma(x) for x from 0 to 45 on a log scale: the exact curve falls in a "
                        "straight line to about 1e-20, while the curve of each format ends at exactly 0, "
                        "marked by a triangle, at x = 6.24 for bfloat16, 8.32 for float16, 17.33 for "
                        "float32 and 37.43 for float64.",
    },
    "ro": {
        # absorption
        "abs_title_table": "{a} + {b}, în fiecare format",
        "abs_col_format": "format",
        "abs_col_a": "a stocat",
        "abs_col_b": "b stocat",
        "abs_col_sum": "fl(a + b)",
        "abs_col_error": "eroare",
        "abs_absorbed": "b absorbit",
        "abs_partly": "parțial",
        "abs_exact": "exact",
        "abs_overflow": "a = inf",
        "abs_note_rule": "Operanzii sunt rotunjiți la format, suma exactă e rotunjită o dată.",
        "abs_note_absorbed": "{n_abs} din {n_fmt} formate întorc a neschimbat: eroarea este tot b.",
        "abs_note_overflow": "{fmt}: {a} > {max} se stochează ca inf.",
        "abs_note_underflow": "{fmt}: {b} se stochează ca 0.",
        "abs_title_curve": "Cât de mic trebuie să fie t ca să dispară în x + t?",
        "abs_xlabel": "mărimea x",
        "abs_ylabel": "jumătate din distanța peste x: t mai mici se pierd",
        "abs_point": "{a} + {b}",
        "abs_rule": "t ~ x * eps/2",
        # spacing
        "sp_title_ulp": "Distanța până la următorul număr (ULP)",
        "sp_title_rel": "Distanța relativă ULP(x) / x",
        "sp_xlabel": "mărimea x",
        "sp_ylabel_ulp": "ULP(x)",
        "sp_ylabel_rel": "ULP(x) / x",
        "sp_subnormal": "cel mai mic subnormal",
        "sp_normal": "cel mai mic normal",
        "sp_max": "cel mai mare finit",
        "sp_eps": "eps = {eps}",
        "sp_subnormal_zone": "subnormale\nfloat16",
        "sp_subnormal_flat": "subnormale float16:\ndistanță fixă {ulp}",
        "sp_title_range": "Tot domeniul (pal: subnormale)",
        # summation
        "sum_title": "{fmt}: adunarea lui {value} de n ori",
        "sum_xlabel": "n (numărul de termeni)",
        "sum_ylabel": "eroarea relativă față de n * fl({value}) exact",
        "sum_naive": "sumă cumulativă naivă",
        "sum_pairwise": "pe perechi",
        "sum_kahan": "Kahan (compensată)",
        "sum_u": "u = eps/2 (o singură rotunjire)",
        "sum_note_stall": "suma naivă se blochează la {stall}:\njumătate din distanța de acolo > {value}",
        "sum_note_final": "n = {n}: naiv = {naive}\nexact = {exact}",
        "sum_kahan_limit": "{fmt} doar până la n = {n} (linia punctată)",
        "sum_zero": "punctele de pe marginea de jos: eroare exact 0",
        # cancellation
        "can_title_one": "(1 + x) - 1 în fiecare format",
        "can_xlabel_one": "x",
        "can_ylabel_one": "eroarea relativă a lui (1 + x) - 1",
        "can_absorbed": "x absorbit de 1: rezultat 0, eroare 100%",
        "can_gaps": "goluri: rezultat exact (eroare 0)",
        "can_title_var": "Varianța lui {mean:g} + N(0, 1), float32",
        "can_xlabel_var": "n (eșantioane)",
        "can_ylabel_var": "eroarea relativă a varianței",
        "can_one_pass": "o trecere E[x^2] - E[x]^2",
        "can_two_pass": "două treceri",
        "can_welford": "Welford",
        "can_var_note": "E[x^2] ~ 1e8, distanța float32 acolo = 8,\ndar varianța este ~1",
        # overflow
        "ov_title_exp": "softmax(s, 0): depășire în exp naiv",
        "ov_xlabel_exp": "logitul s (scară log.); marcaje la ln(max. finit)",
        "ov_naive_row": "{fmt}\nnaiv",
        "ov_stable_row": "orice format,\ncu maximul scăzut",
        "ov_finite": "rezultat finit",
        "ov_nan": "NaN: exp(s) = inf, inf/inf",
        "ov_title_sig": "sigmoida saturată: 1 - sigma(x) devine 0",
        "ov_xlabel_sig": "x",
        "ov_ylabel_sig": "1 - sigma(x), cu sigma rotunjită la format",
        "ov_true": "1 - sigma(x) exact",
        "ov_sat": "0 de la x = {x}",
        # captions and alt texts
        "caption_absorption": "Stânga: a + b în float16, bfloat16, float32 și float64, cu ambii operanzi "
                              "rotunjiți la format și suma exactă rotunjită o singură dată. Dreapta: "
                              "jumătate din distanța de la x la următorul număr, pentru fiecare mărime x: "
                              "orice t mai mic dispare în x + t. Când steaua (a, b) se află sub linia "
                              "unui format, b este absorbit în acel format.",
        "alt_absorption": "Două panouri. Stânga, un tabel cu câte un rând pentru fiecare format (float16, "
                          "bfloat16, float32, float64) cu a stocat, b stocat, suma rotunjită fl(a + b) "
                          "și eroarea ei, urmat de note despre operanzii absorbiți, prea mari (stocați "
                          "ca inf) sau rotunjiți la 0. Dreapta, un grafic log-log cu jumătate din "
                          "distanța de deasupra lui x în funcție de mărimea x: câte o scară crescătoare "
                          "pentru fiecare format, mai jos pentru formatele mai precise, și o stea în "
                          "punctul (a, b).",
        "caption_spacing": "Distanța dintre numerele vecine (ULP) crește proporțional cu mărimea lor, "
                           "așa că distanța relativă rămâne între eps/2 și eps în fiecare format, cu "
                           "excepția numerelor subnormale, unde distanța este fixă. Comparați formatele "
                           "la x = 1 (marcajele) și lungimea fiecărui domeniu, jos în dreapta.",
        "alt_spacing": "Trei panouri. Stânga, ULP(x) în funcție de x între 1e-9 și 1e6, pe scări "
                       "logaritmice: patru scări paralele, float64 cel mai jos (eps = 2^-52 la x = 1), "
                       "apoi float32 (2^-23), float16 (2^-10) și bfloat16 (2^-7); linia float16 este "
                       "orizontală la 2^-24 printre subnormalele sale și se oprește la cel mai mare "
                       "număr finit al său, 65504. Dreapta sus, distanța relativă ULP(x)/x: o bandă în "
                       "dinți de fierăstrău lângă eps pentru fiecare format, care urcă în zona "
                       "subnormală a float16. Dreapta jos, bare orizontale cu întregul domeniu al "
                       "fiecărui format, de la cel mai mic subnormal la cel mai mare număr finit: "
                       "aproximativ 2^-24 până la 65504 pentru float16, 2^-133 până la 3.39e38 pentru "
                       "bfloat16, 2^-149 până la 3.40e38 pentru float32 și 2^-1074 până la 1.80e308 "
                       "pentru float64.",
        "caption_summation": "Adunarea lui 0.1 de n ori, cu fiecare operație rotunjită: suma cumulativă "
                             "naivă se îndepărtează de valoarea exactă, iar în float16 nu mai crește "
                             "deloc de la 256, unde jumătate din distanța dintre numere depășește 0.1. "
                             "Însumarea pe perechi și cea Kahan rămân aproape de o singură eroare de "
                             "rotunjire (linia întreruptă).",
        "alt_summation": "Două panouri log-log, float16 cu n până la 100000 și float32 cu n până la 10 "
                         "milioane, cu eroarea relativă a sumei a n copii ale lui 0.1 în funcție de n. "
                         "Eroarea sumei cumulative naive crește cu n: în float16 ajunge aproape la 100%, "
                         "pentru că suma se blochează la 256, iar în float32 la circa 9% pentru n = 10 "
                         "milioane. Erorile însumării pe perechi și Kahan (compensate) rămân în jurul "
                         "liniei întrerupte u = eps/2 în ambele panouri; punctele de pe marginea de jos "
                         "sunt rezultate exacte.",
        "caption_cancellation": "Scăderea unor numere aproape egale scoate la iveală rotunjirile de "
                                "dinainte. Stânga: (1 + x) - 1 are o eroare relativă de până la "
                                "aproximativ eps/(2x), care ajunge la 100% când 1 îl absoarbe pe x. "
                                "Dreapta: în float32, varianța calculată într-o singură trecere, "
                                "E[x^2] - E[x]^2, pe date cu media 10000 greșește cu 100% sau mai mult, "
                                "în timp ce algoritmul în două treceri și Welford rămân precise.",
        "alt_cancellation": "Două panouri log-log. Stânga, eroarea relativă a lui (1 + x) - 1 în funcție "
                            "de x între 1e-20 și 1, câte o linie pentru fiecare format: fiecare este "
                            "orizontală la 100% cât timp 1 îl absoarbe pe x, apoi scade constant pe "
                            "măsură ce x crește, începând în jur de x = 1e-16 pentru float64, 1e-7 "
                            "pentru float32 și 1e-3 pentru float16 și bfloat16; golurile din linii sunt "
                            "rezultate exacte. Dreapta, eroarea relativă a varianței în float32 pentru "
                            "10000 + N(0, 1) în funcție de numărul de eșantioane, până la 100000: "
                            "formula într-o trecere rămâne între 1 și câteva sute, Welford în jur de "
                            "1e-4, cea în două treceri în jur de 1e-7, lângă linia întreruptă "
                            "u = eps/2.",
        "caption_overflow": "Stânga: softmax naiv pe logiturile (s, 0) devine NaN imediat ce exp(s) "
                            "depășește domeniul, la ln din cel mai mare număr finit (marcajele negre); "
                            "dacă se scade întâi maximul, rezultatul rămâne finit în orice format. "
                            "Dreapta: 1 - sigma(x), cu sigma rotunjită la format, scade la exact 0 "
                            "(triunghiurile) cu mult înainte ca valoarea exactă (linia punctată) să fie "
                            "destul de mică pentru a se rotunji la 0.",
        "alt_overflow": "Două panouri. Stânga, bare orizontale de-a lungul logitului s între 0.1 și 1000 "
                        "(scară logaritmică), câte una pentru fiecare format pentru softmax naiv și una "
                        "pentru varianta stabilă: fiecare bară naivă este plină (rezultat finit) până la "
                        "ln din cel mai mare număr finit al formatului, 11.09 pentru float16, 88.72 "
                        "pentru bfloat16 și float32, 709.78 pentru float64, și hașurată (NaN) după "
                        "aceea; bara stabilă este plină pe toată lungimea. Dreapta, 1 - sigma(x) pentru "
                        "x între 0 și 45 pe scară logaritmică: curba exactă coboară în linie dreaptă "
                        "până pe la 1e-20, iar curba fiecărui format se termină în exact 0, marcat cu "
                        "un triunghi, la x = 6.24 pentru bfloat16, 8.32 pentru float16, 17.33 pentru "
                        "float32 și 37.43 pentru float64.",
    },
    # Hebrew: every line that holds Hebrew starts with a Hebrew word, so the
    # line is laid out right to left; "\u200e" (LEFT-TO-RIGHT MARK) before a
    # formula that starts with a digit, a sign or "(" keeps the formula in
    # left-to-right order (without it "(1 + x) - 1" shows as "1 - (x + 1)").
    "he": {
        # absorption
        "abs_title_table": "החיבור \u200e{a} + {b} בכל פורמט",
        "abs_col_format": "פורמט",
        "abs_col_a": "ה-a השמור",
        "abs_col_b": "ה-b השמור",
        "abs_col_sum": "fl(a + b)",
        "abs_col_error": "שגיאה",
        "abs_absorbed": "ה-b נבלע",
        "abs_partly": "חלקית",
        "abs_exact": "מדויק",
        "abs_overflow": "a = inf",
        "abs_note_rule": "האופרנדים מעוגלים לפורמט, והסכום המדויק מעוגל פעם אחת.",
        "abs_note_absorbed": "ב-{n_abs} מתוך {n_fmt} פורמטים התוצאה היא a ללא שינוי: השגיאה היא כל ה-b.",
        "abs_note_overflow": "ב-{fmt} הערך \u200e{a} > {max} נשמר כ-inf.",
        "abs_note_underflow": "ב-{fmt} הערך \u200e{b} נשמר כ-0.",
        "abs_title_curve": "כמה קטן צריך להיות t כדי להיעלם ב-x + t?",
        "abs_xlabel": "הגודל x",
        "abs_ylabel": "חצי המרווח מעל x: ערכי t קטנים ממנו אובדים",
        "abs_point": "{a} + {b}",
        "abs_rule": "t ~ x * eps/2",
        # spacing
        "sp_title_ulp": "המרווח עד המספר הבא (ULP)",
        "sp_title_rel": "המרווח היחסי ULP(x) / x",
        "sp_xlabel": "הגודל x",
        "sp_ylabel_ulp": "ULP(x)",
        "sp_ylabel_rel": "ULP(x) / x",
        "sp_subnormal": "המספר התת-נורמלי הקטן ביותר",
        "sp_normal": "המספר הנורמלי הקטן ביותר",
        "sp_max": "הערך הסופי הגדול ביותר",
        "sp_eps": "eps = {eps}",
        "sp_subnormal_zone": "תת-נורמליים\nשל float16",
        "sp_subnormal_flat": "תת-נורמליים של float16:\nמרווח קבוע {ulp}",
        "sp_title_range": "הטווח המלא (בהיר: תת-נורמליים)",
        # summation
        "sum_title": "הוספת {value} n פעמים ב-{fmt}",
        "sum_xlabel": "מספר המחוברים n",
        "sum_ylabel": "שגיאה יחסית ביחס ל-n * fl({value}) המדויק",
        "sum_naive": "סכום מצטבר נאיבי",
        "sum_pairwise": "סכימה בזוגות",
        "sum_kahan": "סכימת Kahan (מפוצה)",
        "sum_u": "עיגול אחד: u = eps/2",
        "sum_note_stall": "הסכום הנאיבי נתקע ב-{stall}:\nחצי המרווח שם > {value}",
        "sum_note_final": "עבור n = {n}: נאיבי = \u200e{naive}\nמדויק = \u200e{exact}",
        "sum_kahan_limit": "רק עד n = {n} ב-{fmt} (הקו המנוקד)",
        "sum_zero": "נקודות בקצה התחתון: שגיאה 0 בדיוק",
        # cancellation
        "can_title_one": "החישוב \u200e(1 + x) - 1 בכל פורמט",
        "can_xlabel_one": "x",
        "can_ylabel_one": "השגיאה היחסית של \u200e(1 + x) - 1",
        "can_absorbed": "ה-x נבלע ב-1: התוצאה 0, השגיאה 100%",
        "can_gaps": "קטעים חסרים: תוצאה מדויקת (שגיאה 0)",
        "can_title_var": "השונות של \u200e{mean:g} + N(0, 1) ב-float32",
        "can_xlabel_var": "מספר הדגימות n",
        "can_ylabel_var": "השגיאה היחסית של השונות",
        "can_one_pass": "מעבר יחיד E[x^2] - E[x]^2",
        "can_two_pass": "שני מעברים",
        "can_welford": "Welford",
        "can_var_note": "שם E[x^2] ~ 1e8 והמרווח ב-float32 הוא 8,\nאבל השונות היא רק \u200e~1",
        # overflow
        "ov_title_exp": "גלישה ב-exp הנאיבי של softmax(s, 0)",
        "ov_xlabel_exp": "הלוגיט s (סקאלה לוגריתמית); קווים ב-ln של המרבי בפורמט",
        "ov_naive_row": "{fmt}\nנאיבי",
        "ov_stable_row": "כל פורמט,\nעם חיסור המקסימום",
        "ov_finite": "תוצאה סופית",
        "ov_nan": "NaN: exp(s) = inf, inf/inf",
        "ov_title_sig": "הסיגמואיד ברוויה: \u200e1 - sigma(x) הופך ל-0",
        "ov_xlabel_sig": "x",
        "ov_ylabel_sig": "הערך \u200e1 - sigma(x), כש-sigma מעוגלת לפורמט",
        "ov_true": "הערך המדויק של \u200e1 - sigma(x)",
        "ov_sat": "0 עבור x ≥ {x}",
        # captions and alt texts
        "caption_absorption": "משמאל: a + b ב-float16, ב-bfloat16, ב-float32 וב-float64, כששני "
                              "האופרנדים מעוגלים לפורמט והסכום המדויק מעוגל פעם אחת. מימין: חצי המרווח "
                              "בין x למספר הבא, לכל גודל x: כל t קטן ממנו נעלם ב-x + t. כשהכוכב (a, b) "
                              "נמצא מתחת לקו של פורמט, ה-b נבלע בפורמט הזה.",
        "alt_absorption": "שני תרשימים. משמאל, טבלה עם שורה לכל פורמט (float16, bfloat16, float32, "
                          "float64) ובה a כפי שנשמר, b כפי שנשמר, הסכום המעוגל fl(a + b) והשגיאה שלו, "
                          "ומתחתיה הערות על אופרנדים שנבלעו, שגדולים מדי (נשמרים כ-inf) או שמתעגלים "
                          "ל-0. מימין, תרשים לוגריתמי בשני הצירים של חצי המרווח מעל x כפונקציה של "
                          "הגודל x: מדרגות עולות, אחת לכל פורמט, נמוכות יותר בפורמטים המדויקים יותר, "
                          "וכוכב בנקודה (a, b).",
        "caption_spacing": "המרווח בין מספרים שכנים (ULP) גדל ביחס ישר לגודלם, ולכן המרווח היחסי נשאר "
                           "בין eps/2 ל-eps בכל פורמט, פרט לתחום התת-נורמלי, שבו המרווח קבוע. השוו את "
                           "הפורמטים ב-x = 1 (הסמנים) ואת אורך הטווח של כל פורמט בתרשים הימני התחתון.",
        "alt_spacing": "שלושה תרשימים. משמאל, ULP(x) כפונקציה של x בין 1e-9 ל-1e6 בצירים לוגריתמיים: "
                       "ארבע מדרגות מקבילות, float64 הנמוכה ביותר (eps = 2^-52 ב-x = 1), ומעליה "
                       "float32 עם 2^-23, float16 עם 2^-10 ו-bfloat16 עם 2^-7; הקו של float16 שטוח "
                       "ב-2^-24 בתחום התת-נורמלי שלו ונעצר בערך הסופי הגדול ביותר שלו, 65504. מימין "
                       "למעלה, המרווח היחסי ULP(x)/x: פס משונן סמוך ל-eps לכל פורמט, שעולה בתחום "
                       "התת-נורמלי של float16. מימין למטה, פסים אופקיים עם הטווח המלא של כל פורמט, "
                       "מהמספר התת-נורמלי הקטן ביותר עד הערך הסופי הגדול ביותר: בערך 2^-24 עד 65504 "
                       "ב-float16, 2^-133 עד 3.39e38 ב-bfloat16, 2^-149 עד 3.40e38 ב-float32 "
                       "ו-2^-1074 עד 1.80e308 ב-float64.",
        "caption_summation": "הוספת 0.1 n פעמים כשכל פעולה מעוגלת: הסכום המצטבר הנאיבי מתרחק מהערך "
                             "המדויק, וב-float16 הוא מפסיק לגדול ב-256, שם חצי המרווח בין המספרים גדול "
                             "מ-0.1. סכימה בזוגות וסכימת Kahan נשארות קרוב לשגיאת עיגול אחת (הקו "
                             "המקווקו).",
        "alt_summation": "שני תרשימים בצירים לוגריתמיים, float16 עם n עד 100000 ו-float32 עם n עד 10 "
                         "מיליון, של השגיאה היחסית בסכום של n עותקים של 0.1 כפונקציה של n. השגיאה של "
                         "הסכום הנאיבי עולה עם n: ב-float16 היא מגיעה כמעט ל-100% כי הסכום נתקע ב-256, "
                         "וב-float32 לכ-9% ב-n = 10 מיליון. השגיאות של סכימה בזוגות ושל Kahan "
                         "(מפוצה) נשארות סביב הקו המקווקו u = eps/2 בשני התרשימים; נקודות בקצה "
                         "התחתון הן תוצאות מדויקות.",
        "caption_cancellation": "חיסור של מספרים כמעט שווים חושף את העיגול שקדם לו. משמאל: לחישוב "
                                "(1 + x) - 1 יש שגיאה יחסית של עד כ-eps/(2x), שמגיעה ל-100% כאשר 1 "
                                "בולע את x. מימין: ב-float32, נוסחת השונות במעבר יחיד E[x^2] - E[x]^2 "
                                "על נתונים עם ממוצע 10000 שוגה ב-100% ויותר, ואילו האלגוריתם בשני "
                                "מעברים והאלגוריתם של Welford נשארים מדויקים.",
        "alt_cancellation": "שני תרשימים בצירים לוגריתמיים. משמאל, השגיאה היחסית של (1 + x) - 1 "
                            "כפונקציה של x בין 1e-20 ל-1, קו לכל פורמט: כל קו שטוח ב-100% כל עוד 1 "
                            "בולע את x, ואז יורד בהתמדה ככל ש-x גדל, החל מ-x בסביבות 1e-16 ב-float64, "
                            "1e-7 ב-float32 ו-1e-3 ב-float16 וב-bfloat16; קטעים חסרים בקווים הם "
                            "תוצאות מדויקות. מימין, השגיאה היחסית של השונות ב-float32 של "
                            "10000 + N(0, 1) כפונקציה של מספר הדגימות, עד 100000: הנוסחה במעבר יחיד "
                            "נשארת בין 1 לכמה מאות, Welford סביב 1e-4, שני מעברים סביב 1e-7, ליד הקו "
                            "המקווקו u = eps/2.",
        "caption_overflow": "משמאל: softmax נאיבי של הלוגיטים (s, 0) הופך ל-NaN ברגע ש-exp(s) גולש, "
                            "ב-ln של הערך הסופי הגדול ביותר (הקווים השחורים); חיסור המקסימום מראש "
                            "שומר על תוצאה סופית בכל פורמט. מימין: 1 - sigma(x), כש-sigma מעוגלת "
                            "לפורמט, יורד ל-0 בדיוק (המשולשים) הרבה לפני שהערך המדויק (הקו המנוקד) "
                            "קטן מספיק כדי להתעגל ל-0.",
        "alt_overflow": "שני תרשימים. משמאל, פסים אופקיים לאורך הלוגיט s מ-0.1 עד 1000 (סקאלה "
                        "לוגריתמית), אחד לכל פורמט עבור softmax נאיבי ואחד עבור הגרסה היציבה: כל פס "
                        "נאיבי מלא (תוצאה סופית) עד ln של הערך הסופי הגדול ביותר בפורמט, 11.09 "
                        "ב-float16, 88.72 ב-bfloat16 וב-float32, 709.78 ב-float64, ומקווקו באלכסון "
                        "(NaN) מעבר לו; הפס היציב מלא לכל אורכו. מימין, 1 - sigma(x) עבור x בין 0 "
                        "ל-45 בסקאלה לוגריתמית: העקומה המדויקת יורדת בקו ישר עד בערך 1e-20, ואילו "
                        "העקומה של כל פורמט נגמרת ב-0 בדיוק, שמסומן במשולש, ב-x = 6.24 ב-bfloat16, "
                        "8.32 ב-float16, 17.33 ב-float32 ו-37.43 ב-float64.",
    },
    "bg": {
        # absorption
        "abs_title_table": "{a} + {b} във всеки формат",
        "abs_col_format": "формат",
        "abs_col_a": "записано a",
        "abs_col_b": "записано b",
        "abs_col_sum": "fl(a + b)",
        "abs_col_error": "грешка",
        "abs_absorbed": "b погълнато",
        "abs_partly": "частично",
        "abs_exact": "точно",
        "abs_overflow": "a = inf",
        "abs_note_rule": "Операндите се закръгляват до формата, точната сума – веднъж.",
        "abs_note_absorbed": "{n_abs} от {n_fmt} формата връщат a непроменено: грешката е цялото b.",
        "abs_note_overflow": "{fmt}: {a} > {max} се записва като inf.",
        "abs_note_underflow": "{fmt}: {b} се записва като 0.",
        "abs_title_curve": "Кои t изчезват в x + t?",
        "abs_xlabel": "големина x",
        "abs_ylabel": "половината разстояние над x: по-малките t се губят",
        "abs_point": "{a} + {b}",
        "abs_rule": "t ~ x * eps/2",
        # spacing
        "sp_title_ulp": "Разстояние до следващото число (ULP)",
        "sp_title_rel": "Относително разстояние ULP(x) / x",
        "sp_xlabel": "големина x",
        "sp_ylabel_ulp": "ULP(x)",
        "sp_ylabel_rel": "ULP(x) / x",
        "sp_subnormal": "най-малкото субнормално",
        "sp_normal": "най-малкото нормално",
        "sp_max": "най-голямото крайно",
        "sp_eps": "eps = {eps}",
        "sp_subnormal_zone": "субнормални\nfloat16",
        "sp_subnormal_flat": "субнормални float16:\nпостоянно разстояние {ulp}",
        "sp_title_range": "Целият диапазон (бледо: субнормални)",
        # summation
        "sum_title": "{fmt}: събиране на {value} n пъти",
        "sum_xlabel": "n (брой събираеми)",
        "sum_ylabel": "относителна грешка спрямо точното n * fl({value})",
        "sum_naive": "наивна текуща сума",
        "sum_pairwise": "по двойки",
        "sum_kahan": "Kahan (компенсирано)",
        "sum_u": "u = eps/2 (едно закръгляване)",
        "sum_note_stall": "наивната спира при {stall}:\nполовината разстояние там > {value}",
        "sum_note_final": "n = {n}: наивна = {naive}\nточна = {exact}",
        "sum_kahan_limit": "{fmt} само до n = {n} (точковата линия)",
        "sum_zero": "точки на долния ръб: грешка точно 0",
        # cancellation
        "can_title_one": "(1 + x) - 1 във всеки формат",
        "can_xlabel_one": "x",
        "can_ylabel_one": "относителна грешка на (1 + x) - 1",
        "can_absorbed": "x е погълнато от 1: резултат 0, грешка 100%",
        "can_gaps": "прекъсвания: точен резултат (грешка 0)",
        "can_title_var": "Дисперсия на {mean:g} + N(0, 1), float32",
        "can_xlabel_var": "n (брой стойности)",
        "can_ylabel_var": "относителна грешка на дисперсията",
        "can_one_pass": "еднопроходно E[x^2] - E[x]^2",
        "can_two_pass": "двупроходно",
        "can_welford": "Welford",
        "can_var_note": "E[x^2] ~ 1e8, разстоянието във float32 там = 8,\nа дисперсията е ~1",
        # overflow
        "ov_title_exp": "softmax(s, 0): наивното exp препълва",
        "ov_xlabel_exp": "логит s (лог. скала); линии при ln(макс. крайно)",
        "ov_naive_row": "{fmt}\nнаивно",
        "ov_stable_row": "всеки формат,\nс изваден максимум",
        "ov_finite": "краен резултат",
        "ov_nan": "NaN: exp(s) = inf, inf/inf",
        "ov_title_sig": "наситена сигмоида: 1 - sigma(x) става 0",
        "ov_xlabel_sig": "x",
        "ov_ylabel_sig": "1 - sigma(x), sigma закръглена до формата",
        "ov_true": "точното 1 - sigma(x)",
        "ov_sat": "0 от x = {x}",
        # captions and alt texts
        "caption_absorption": "Вляво: a + b във float16, bfloat16, float32 и float64, като двата "
                              "операнда се закръгляват до формата, а точната сума – еднократно. Вдясно: "
                              "половината разстояние от x до следващото число за всяка големина x: "
                              "всяко по-малко t изчезва в x + t. Когато звездата (a, b) е под линията "
                              "на даден формат, b се поглъща в този формат.",
        "alt_absorption": "Два панела. Вляво таблица с по един ред за всеки формат (float16, bfloat16, "
                          "float32, float64) със записаните a и b, закръглената сума fl(a + b) и "
                          "грешката ѝ, следвана от бележки за операнди, които са погълнати, твърде "
                          "големи (записват се като inf) или закръглени до 0. Вдясно графика в "
                          "логаритмичен мащаб по двете оси на половината разстояние над x спрямо "
                          "големината x: по една нарастваща стълбица за всеки формат, по-ниско за "
                          "по-точните формати, и звезда в точката (a, b).",
        "caption_spacing": "Разстоянието между съседни числа (ULP) расте пропорционално на големината "
                           "им, затова относителното разстояние остава между eps/2 и eps във всеки "
                           "формат, освен сред субнормалните числа, където разстоянието е постоянно. "
                           "Сравнете форматите при x = 1 (маркерите) и дължината на всеки диапазон "
                           "долу вдясно.",
        "alt_spacing": "Три панела. Вляво ULP(x) спрямо x от 1e-9 до 1e6 в логаритмичен мащаб: четири "
                       "успоредни стълбици, най-ниско float64 (eps = 2^-52 при x = 1), над нея float32 "
                       "(2^-23), float16 (2^-10) и bfloat16 (2^-7); линията на float16 е хоризонтална "
                       "на 2^-24 сред субнормалните му числа и свършва при най-голямото му крайно "
                       "число, 65504. Горе вдясно относителното разстояние ULP(x)/x: назъбена ивица "
                       "близо до eps за всеки формат, която се издига в субнормалната зона на float16. "
                       "Долу вдясно хоризонтални ленти с целия диапазон на всеки формат, от "
                       "най-малкото субнормално до най-голямото крайно число: около 2^-24 до 65504 за "
                       "float16, 2^-133 до 3.39e38 за bfloat16, 2^-149 до 3.40e38 за float32 и "
                       "2^-1074 до 1.80e308 за float64.",
        "caption_summation": "Събиране на 0.1 n пъти, като всяка операция се закръглява: наивната "
                             "текуща сума се отдалечава от точната, а във float16 спира да расте при "
                             "256, където половината разстояние между числата надхвърля 0.1. "
                             "Сумирането по двойки и това на Kahan остават близо до една грешка от "
                             "закръгляване (прекъснатата линия).",
        "alt_summation": "Два панела в логаритмичен мащаб, float16 с n до 100000 и float32 с n до 10 "
                         "милиона, с относителната грешка на сумата от n копия на 0.1 спрямо n. "
                         "Грешката на наивната текуща сума расте с n: във float16 достига почти 100%, "
                         "защото сумата спира при 256, а във float32 – около 9% при n = 10 милиона. "
                         "Грешките при сумиране по двойки и по Kahan (компенсирано) остават около "
                         "прекъснатата линия u = eps/2 и в двата панела; точките на долния ръб са "
                         "точни резултати.",
        "caption_cancellation": "Изваждането на почти равни числа разкрива закръгляването преди него. "
                                "Вляво: (1 + x) - 1 има относителна грешка до около eps/(2x), която "
                                "стига 100%, щом 1 погълне x. Вдясно: във float32 еднопроходната "
                                "формула за дисперсия E[x^2] - E[x]^2 върху данни със средно 10000 "
                                "греши със 100% и повече, докато двупроходният алгоритъм и този на "
                                "Welford остават точни.",
        "alt_cancellation": "Два панела в логаритмичен мащаб. Вляво относителната грешка на "
                            "(1 + x) - 1 спрямо x от 1e-20 до 1, по една линия за всеки формат: всяка "
                            "е хоризонтална на 100%, докато 1 поглъща x, после спада равномерно с "
                            "растежа на x, като започва около x = 1e-16 за float64, 1e-7 за float32 и "
                            "1e-3 за float16 и bfloat16; прекъсванията в линиите са точни резултати. "
                            "Вдясно относителната грешка на дисперсията във float32 на "
                            "10000 + N(0, 1) спрямо броя стойности, до 100000: еднопроходната формула "
                            "остава между 1 и няколкостотин, Welford – около 1e-4, двупроходната – "
                            "около 1e-7, до прекъснатата линия u = eps/2.",
        "caption_overflow": "Вляво: наивният softmax на логитите (s, 0) става NaN веднага щом exp(s) "
                            "препълни, при ln от най-голямото крайно число (черните чертички); ако "
                            "първо се извади максимумът, резултатът остава краен във всеки формат. "
                            "Вдясно: 1 - sigma(x), със sigma, закръглена до формата, пада до точно 0 "
                            "(триъгълниците) много преди точната стойност (точковата линия) да стане "
                            "толкова малка, че да се закръгли до 0.",
        "alt_overflow": "Два панела. Вляво хоризонтални ленти по логита s от 0.1 до 1000 (логаритмичен "
                        "мащаб), по една за всеки формат за наивния softmax и една за стабилната "
                        "версия: всяка наивна лента е плътна (краен резултат) до ln от най-голямото "
                        "крайно число на формата – 11.09 за float16, 88.72 за bfloat16 и float32, "
                        "709.78 за float64 – и щрихована (NaN) след него; стабилната лента е плътна по "
                        "цялата дължина. Вдясно 1 - sigma(x) за x от 0 до 45 в логаритмичен мащаб: "
                        "точната крива пада по права линия до около 1e-20, а кривата на всеки формат "
                        "свършва в точна нула, отбелязана с триъгълник, при x = 6.24 за bfloat16, 8.32 "
                        "за float16, 17.33 за float32 и 37.43 за float64.",
    },
    "pt": {
        # absorption
        "abs_title_table": "{a} + {b} em cada formato",
        "abs_col_format": "formato",
        "abs_col_a": "a guardado",
        "abs_col_b": "b guardado",
        "abs_col_sum": "fl(a + b)",
        "abs_col_error": "erro",
        "abs_absorbed": "b absorvido",
        "abs_partly": "em parte",
        "abs_exact": "exato",
        "abs_overflow": "a = inf",
        "abs_note_rule": "Operandos arredondados para o formato; a soma exata, uma única vez.",
        "abs_note_absorbed": "{n_abs} de {n_fmt} formatos devolvem a inalterado: o erro é todo o b.",
        "abs_note_overflow": "{fmt}: {a} > {max} é armazenado como inf.",
        "abs_note_underflow": "{fmt}: {b} é armazenado como 0.",
        "abs_title_curve": "Quais valores de t somem em x + t?",
        "abs_xlabel": "magnitude x",
        "abs_ylabel": "metade do espaçamento acima de x: t menores se perdem",
        "abs_point": "{a} + {b}",
        "abs_rule": "t ~ x * eps/2",
        # spacing
        "sp_title_ulp": "Espaçamento até o próximo número (ULP)",
        "sp_title_rel": "Espaçamento relativo ULP(x) / x",
        "sp_xlabel": "magnitude x",
        "sp_ylabel_ulp": "ULP(x)",
        "sp_ylabel_rel": "ULP(x) / x",
        "sp_subnormal": "menor subnormal",
        "sp_normal": "menor normal",
        "sp_max": "maior finito",
        "sp_eps": "eps = {eps}",
        "sp_subnormal_zone": "subnormais\ndo float16",
        "sp_subnormal_flat": "subnormais do float16:\nespaçamento fixo {ulp}",
        "sp_title_range": "Faixa completa (claro: subnormais)",
        # summation
        "sum_title": "{fmt}: somando {value} n vezes",
        "sum_xlabel": "n (número de termos)",
        "sum_ylabel": "erro relativo vs. n * fl({value}) exato",
        "sum_naive": "soma acumulada ingênua",
        "sum_pairwise": "por pares",
        "sum_kahan": "Kahan (compensada)",
        "sum_u": "u = eps/2 (um arredondamento)",
        "sum_note_stall": "a ingênua trava em {stall}:\nmetade do espaçamento ali > {value}",
        "sum_note_final": "n = {n}: ingênua = {naive}\nexata = {exact}",
        "sum_kahan_limit": "{fmt} só até n = {n} (linha pontilhada)",
        "sum_zero": "pontos na borda inferior: erro exatamente 0",
        # cancellation
        "can_title_one": "(1 + x) - 1 em cada formato",
        "can_xlabel_one": "x",
        "can_ylabel_one": "erro relativo de (1 + x) - 1",
        "can_absorbed": "x absorvido por 1: resultado 0, erro de 100%",
        "can_gaps": "lacunas: resultado exato (erro 0)",
        "can_title_var": "Variância de {mean:g} + N(0, 1), float32",
        "can_xlabel_var": "n (amostras)",
        "can_ylabel_var": "erro relativo da variância",
        "can_one_pass": "uma passada E[x^2] - E[x]^2",
        "can_two_pass": "duas passadas",
        "can_welford": "Welford",
        "can_var_note": "E[x^2] ~ 1e8, espaçamento do float32 ali = 8,\nmas a variância é ~1",
        # overflow
        "ov_title_exp": "softmax(s, 0): a exp ingênua estoura",
        "ov_xlabel_exp": "logit s (escala log); marcas em ln(maior finito)",
        "ov_naive_row": "{fmt}\ningênuo",
        "ov_stable_row": "qualquer formato,\nmáximo subtraído",
        "ov_finite": "resultado finito",
        "ov_nan": "NaN: exp(s) = inf, inf/inf",
        "ov_title_sig": "a sigmoide satura: 1 - sigma(x) vira 0",
        "ov_xlabel_sig": "x",
        "ov_ylabel_sig": "1 - sigma(x), sigma arredondada para o formato",
        "ov_true": "1 - sigma(x) exato",
        "ov_sat": "0 a partir de x = {x}",
        # captions and alt texts
        "caption_absorption": "Esquerda: a + b em float16, bfloat16, float32 e float64, com os dois "
                              "operandos arredondados para o formato e a soma exata arredondada uma única "
                              "vez. Direita: metade do espaçamento de x até o próximo número, para cada "
                              "magnitude x: qualquer t menor desaparece em x + t. Quando a estrela "
                              "(a, b) fica abaixo da linha de um formato, b é absorvido nesse formato.",
        "alt_absorption": "Dois painéis. À esquerda, uma tabela com uma linha por formato (float16, "
                          "bfloat16, float32, float64) com o a armazenado, o b armazenado, a soma "
                          "arredondada fl(a + b) e seu erro, seguida de notas sobre operandos "
                          "absorvidos, grandes demais (armazenados como inf) ou arredondados para 0. À "
                          "direita, um gráfico log-log de metade do espaçamento acima de x em função da "
                          "magnitude x: uma escada crescente por formato, mais baixa nos formatos mais "
                          "precisos, e uma estrela no ponto (a, b).",
        "caption_spacing": "O espaçamento entre números vizinhos (ULP) cresce em proporção à sua "
                           "magnitude, então o espaçamento relativo fica entre eps/2 e eps em todos os "
                           "formatos, exceto entre os subnormais, onde o espaçamento é fixo. Compare os "
                           "formatos em x = 1 (marcadores) e o comprimento de cada faixa no canto "
                           "inferior direito.",
        "alt_spacing": "Três painéis. À esquerda, ULP(x) em função de x de 1e-9 a 1e6 em escalas "
                       "logarítmicas: quatro escadas paralelas, float64 a mais baixa (eps = 2^-52 em "
                       "x = 1), depois float32 (2^-23), float16 (2^-10) e bfloat16 (2^-7); a linha do "
                       "float16 é plana em 2^-24 entre seus subnormais e termina no seu maior valor "
                       "finito, 65504. Acima à direita, o espaçamento relativo ULP(x)/x: uma faixa em "
                       "dente de serra perto de eps para cada formato, que sobe na zona subnormal do "
                       "float16. Abaixo à direita, barras horizontais com a faixa completa de cada "
                       "formato, do menor subnormal ao maior valor finito: cerca de 2^-24 a 65504 no "
                       "float16, 2^-133 a 3.39e38 no bfloat16, 2^-149 a 3.40e38 no float32 e 2^-1074 "
                       "a 1.80e308 no float64.",
        "caption_summation": "Somando 0.1 n vezes com cada operação arredondada: a soma acumulada "
                             "ingênua se afasta do valor exato e, em float16, para de crescer em 256, "
                             "onde metade do espaçamento entre os números passa de 0.1. As somas por "
                             "pares e de Kahan ficam perto de um único erro de arredondamento (linha "
                             "tracejada).",
        "alt_summation": "Dois painéis log-log, float16 com n até 100000 e float32 com n até 10 "
                         "milhões, com o erro relativo da soma de n cópias de 0.1 em função de n. O "
                         "erro da soma acumulada ingênua cresce com n: em float16 chega a quase 100% "
                         "porque a soma trava em 256, e em float32 a cerca de 9% em n = 10 milhões. Os "
                         "erros das somas por pares e de Kahan (compensada) ficam em torno da linha "
                         "tracejada u = eps/2 nos dois painéis; pontos na borda inferior são "
                         "resultados exatos.",
        "caption_cancellation": "Subtrair números quase iguais expõe os arredondamentos anteriores. "
                                "Esquerda: (1 + x) - 1 tem erro relativo de até cerca de eps/(2x), que "
                                "chega a 100% quando 1 absorve x. Direita: em float32, a variância "
                                "calculada em uma passada, E[x^2] - E[x]^2, em dados com média 10000, "
                                "erra em 100% ou mais, enquanto os algoritmos de duas passadas e de "
                                "Welford continuam precisos.",
        "alt_cancellation": "Dois painéis log-log. À esquerda, o erro relativo de (1 + x) - 1 em "
                            "função de x de 1e-20 a 1, uma linha por formato: cada uma fica plana em "
                            "100% enquanto 1 absorve x e depois cai de forma constante à medida que x "
                            "cresce, começando perto de x = 1e-16 no float64, 1e-7 no float32 e 1e-3 "
                            "no float16 e no bfloat16; as lacunas nas linhas são resultados exatos. À "
                            "direita, o erro relativo da variância em float32 de 10000 + N(0, 1) em "
                            "função do número de amostras, até 100000: a fórmula de uma passada fica "
                            "entre 1 e algumas centenas, Welford perto de 1e-4 e a de duas passadas "
                            "perto de 1e-7, junto à linha tracejada u = eps/2.",
        "caption_overflow": "Esquerda: o softmax ingênuo dos logits (s, 0) vira NaN assim que exp(s) "
                            "estoura, em ln do maior valor finito (marcas pretas); subtrair antes o "
                            "máximo o mantém finito em todos os formatos. Direita: 1 - sigma(x), com "
                            "sigma arredondada para o formato, cai para exatamente 0 (triângulos) muito "
                            "antes de o valor exato (linha pontilhada) ficar pequeno a ponto de ser "
                            "arredondado para 0.",
        "alt_overflow": "Dois painéis. À esquerda, barras horizontais ao longo do logit s de 0.1 a 1000 "
                        "(escala logarítmica), uma por formato para o softmax ingênuo e uma para a "
                        "versão estável: cada barra ingênua é cheia (resultado finito) até ln do maior "
                        "valor finito do formato, 11.09 no float16, 88.72 no bfloat16 e no float32, "
                        "709.78 no float64, e hachurada (NaN) depois disso; a barra estável é cheia em "
                        "todo o comprimento. À direita, 1 - sigma(x) para x de 0 a 45 em escala "
                        "logarítmica: a curva exata desce em linha reta até cerca de 1e-20, enquanto a "
                        "curva de cada formato termina em exatamente 0, marcado por um triângulo, em "
                        "x = 6.24 no bfloat16, 8.32 no float16, 17.33 no float32 e 37.43 no float64.",
    },
    "es": {
        # absorption
        "abs_title_table": "{a} + {b} en cada formato",
        "abs_col_format": "formato",
        "abs_col_a": "a guardado",
        "abs_col_b": "b guardado",
        "abs_col_sum": "fl(a + b)",
        "abs_col_error": "error",
        "abs_absorbed": "b absorbido",
        "abs_partly": "en parte",
        "abs_exact": "exacto",
        "abs_overflow": "a = inf",
        "abs_note_rule": "Operandos redondeados al formato; la suma exacta, una sola vez.",
        "abs_note_absorbed": "{n_abs} de {n_fmt} formatos devuelven a sin cambios: el error es todo b.",
        "abs_note_overflow": "{fmt}: {a} > {max} se almacena como inf.",
        "abs_note_underflow": "{fmt}: {b} se almacena como 0.",
        "abs_title_curve": "¿Qué valores de t se pierden en x + t?",
        "abs_xlabel": "magnitud x",
        "abs_ylabel": "mitad del espaciado sobre x: los t menores se pierden",
        "abs_point": "{a} + {b}",
        "abs_rule": "t ~ x * eps/2",
        # spacing
        "sp_title_ulp": "Espaciado hasta el siguiente número (ULP)",
        "sp_title_rel": "Espaciado relativo ULP(x) / x",
        "sp_xlabel": "magnitud x",
        "sp_ylabel_ulp": "ULP(x)",
        "sp_ylabel_rel": "ULP(x) / x",
        "sp_subnormal": "menor subnormal",
        "sp_normal": "menor normal",
        "sp_max": "mayor finito",
        "sp_eps": "eps = {eps}",
        "sp_subnormal_zone": "subnormales\nde float16",
        "sp_subnormal_flat": "subnormales de float16:\nespaciado fijo {ulp}",
        "sp_title_range": "Rango completo (claro: subnormales)",
        # summation
        "sum_title": "{fmt}: sumar {value} n veces",
        "sum_xlabel": "n (número de términos)",
        "sum_ylabel": "error relativo frente a n * fl({value}) exacto",
        "sum_naive": "suma acumulada ingenua",
        "sum_pairwise": "por pares",
        "sum_kahan": "Kahan (compensada)",
        "sum_u": "u = eps/2 (un redondeo)",
        "sum_note_stall": "la ingenua se estanca en {stall}:\nla mitad del espaciado ahí > {value}",
        "sum_note_final": "n = {n}: ingenua = {naive}\nexacta = {exact}",
        "sum_kahan_limit": "{fmt} solo hasta n = {n} (línea punteada)",
        "sum_zero": "puntos en el borde inferior: error exactamente 0",
        # cancellation
        "can_title_one": "(1 + x) - 1 en cada formato",
        "can_xlabel_one": "x",
        "can_ylabel_one": "error relativo de (1 + x) - 1",
        "can_absorbed": "x absorbido por 1: resultado 0, error del 100%",
        "can_gaps": "huecos: resultado exacto (error 0)",
        "can_title_var": "Varianza de {mean:g} + N(0, 1), float32",
        "can_xlabel_var": "n (muestras)",
        "can_ylabel_var": "error relativo de la varianza",
        "can_one_pass": "una pasada E[x^2] - E[x]^2",
        "can_two_pass": "dos pasadas",
        "can_welford": "Welford",
        "can_var_note": "E[x^2] ~ 1e8, espaciado de float32 ahí = 8,\npero la varianza es ~1",
        # overflow
        "ov_title_exp": "softmax(s, 0): la exp ingenua desborda",
        "ov_xlabel_exp": "logit s (escala log); marcas en ln(mayor finito)",
        "ov_naive_row": "{fmt}\ningenuo",
        "ov_stable_row": "cualquier formato,\ncon el máximo restado",
        "ov_finite": "resultado finito",
        "ov_nan": "NaN: exp(s) = inf, inf/inf",
        "ov_title_sig": "sigmoide saturada: 1 - sigma(x) pasa a 0",
        "ov_xlabel_sig": "x",
        "ov_ylabel_sig": "1 - sigma(x), sigma redondeada al formato",
        "ov_true": "1 - sigma(x) exacto",
        "ov_sat": "0 desde x = {x}",
        # captions and alt texts
        "caption_absorption": "Izquierda: a + b en float16, bfloat16, float32 y float64, con ambos "
                              "operandos redondeados al formato y la suma exacta redondeada una sola vez. "
                              "Derecha: la mitad del espaciado de x al siguiente número, para cada "
                              "magnitud x: cualquier t menor desaparece en x + t. Cuando la estrella "
                              "(a, b) queda por debajo de la línea de un formato, b se absorbe en ese "
                              "formato.",
        "alt_absorption": "Dos paneles. A la izquierda, una tabla con una fila por formato (float16, "
                          "bfloat16, float32, float64) con el a almacenado, el b almacenado, la suma "
                          "redondeada fl(a + b) y su error, seguida de notas sobre operandos "
                          "absorbidos, demasiado grandes (almacenados como inf) o redondeados a 0. A la "
                          "derecha, un gráfico log-log de la mitad del espaciado por encima de x en "
                          "función de la magnitud x: una escalera creciente por formato, más baja en los "
                          "formatos más precisos, y una estrella en el punto (a, b).",
        "caption_spacing": "El espaciado entre números vecinos (ULP) crece en proporción a su magnitud, "
                           "así que el espaciado relativo queda entre eps/2 y eps en todos los formatos, "
                           "salvo entre los subnormales, donde el espaciado es fijo. Compara los "
                           "formatos en x = 1 (marcadores) y la longitud de cada rango abajo a la "
                           "derecha.",
        "alt_spacing": "Tres paneles. A la izquierda, ULP(x) en función de x de 1e-9 a 1e6 en escalas "
                       "logarítmicas: cuatro escaleras paralelas, float64 la más baja (eps = 2^-52 en "
                       "x = 1), luego float32 (2^-23), float16 (2^-10) y bfloat16 (2^-7); la línea de "
                       "float16 es plana en 2^-24 entre sus subnormales y termina en su mayor valor "
                       "finito, 65504. Arriba a la derecha, el espaciado relativo ULP(x)/x: una banda "
                       "en diente de sierra cerca de eps para cada formato, que sube en la zona "
                       "subnormal de float16. Abajo a la derecha, barras horizontales con el rango "
                       "completo de cada formato, del menor subnormal al mayor valor finito: unos "
                       "2^-24 a 65504 en float16, 2^-133 a 3.39e38 en bfloat16, 2^-149 a 3.40e38 en "
                       "float32 y 2^-1074 a 1.80e308 en float64.",
        "caption_summation": "Sumar 0.1 n veces con cada operación redondeada: la suma acumulada "
                             "ingenua se aleja del valor exacto y, en float16, deja de crecer en 256, "
                             "donde la mitad del espaciado entre números supera 0.1. La suma por pares "
                             "y la de Kahan se mantienen cerca de un solo error de redondeo (línea "
                             "discontinua).",
        "alt_summation": "Dos paneles log-log, float16 con n hasta 100000 y float32 con n hasta 10 "
                         "millones, con el error relativo de la suma de n copias de 0.1 en función de "
                         "n. El error de la suma acumulada ingenua crece con n: en float16 llega casi "
                         "al 100% porque la suma se estanca en 256, y en float32 a cerca del 9% en "
                         "n = 10 millones. Los errores de la suma por pares y de Kahan (compensada) "
                         "quedan alrededor de la línea discontinua u = eps/2 en ambos paneles; los "
                         "puntos en el borde inferior son resultados exactos.",
        "caption_cancellation": "Restar números casi iguales deja al descubierto el redondeo anterior. "
                                "Izquierda: (1 + x) - 1 tiene un error relativo de hasta unos eps/(2x), "
                                "que llega al 100% cuando 1 absorbe a x. Derecha: en float32, la "
                                "varianza calculada en una pasada, E[x^2] - E[x]^2, con datos de media "
                                "10000 se equivoca en un 100% o más, mientras que los algoritmos de dos "
                                "pasadas y de Welford siguen siendo precisos.",
        "alt_cancellation": "Dos paneles log-log. A la izquierda, el error relativo de (1 + x) - 1 en "
                            "función de x de 1e-20 a 1, una línea por formato: cada una es plana en "
                            "100% mientras 1 absorbe a x y luego baja de forma constante a medida que "
                            "x crece, empezando cerca de x = 1e-16 en float64, 1e-7 en float32 y 1e-3 "
                            "en float16 y bfloat16; los huecos en las líneas son resultados exactos. A "
                            "la derecha, el error relativo de la varianza en float32 de "
                            "10000 + N(0, 1) en función del número de muestras, hasta 100000: la "
                            "fórmula de una pasada queda entre 1 y varios cientos, Welford cerca de "
                            "1e-4 y la de dos pasadas cerca de 1e-7, junto a la línea discontinua "
                            "u = eps/2.",
        "caption_overflow": "Izquierda: el softmax ingenuo de los logits (s, 0) se vuelve NaN en cuanto "
                            "exp(s) desborda, en ln del mayor valor finito (marcas negras); restar "
                            "antes el máximo lo mantiene finito en todos los formatos. Derecha: "
                            "1 - sigma(x), con sigma redondeada al formato, cae exactamente a 0 "
                            "(triángulos) mucho antes de que el valor exacto (línea punteada) sea tan "
                            "pequeño como para redondearse a 0.",
        "alt_overflow": "Dos paneles. A la izquierda, barras horizontales a lo largo del logit s de 0.1 "
                        "a 1000 (escala logarítmica), una por formato para el softmax ingenuo y otra "
                        "para la versión estable: cada barra ingenua es sólida (resultado finito) hasta "
                        "ln del mayor valor finito del formato, 11.09 en float16, 88.72 en bfloat16 y "
                        "float32, 709.78 en float64, y rayada (NaN) a partir de ahí; la barra estable "
                        "es sólida en toda su longitud. A la derecha, 1 - sigma(x) para x de 0 a 45 en "
                        "escala logarítmica: la curva exacta baja en línea recta hasta unos 1e-20, "
                        "mientras que la curva de cada formato termina en exactamente 0, marcado con un "
                        "triángulo, en x = 6.24 en bfloat16, 8.32 en float16, 17.33 en float32 y 37.43 "
                        "en float64.",
    },
}

FORMAT_COLORS = {"float16": "#E69F00", "bfloat16": "#56B4E9",
                 "float32": "#009E73", "float64": "#0072B2"}
METHOD_COLORS = {"naive": "#D55E00", "pairwise": "#CC79A7", "kahan": "#0072B2",
                 "one-pass": "#D55E00", "two-pass": "#009E73", "welford": "#CC79A7"}
_MARKERS = {"float16": "o", "bfloat16": "s", "float32": "^", "float64": "D"}
_INK = "#000000"
_FONT = 8.5
#: Languages written right to left: their multi-line notes are right-aligned,
#: and labels mixed into their sentences are plain text, not mathtext (mathtext
#: lays glyphs out left to right itself, so Hebrew next to it would be reversed).
_RTL_LANGS = ("he",)
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")

_RC = {"pdf.fonttype": 42, "ps.fonttype": 42, "svg.hashsalt": "gradviz-precision",
       "svg.fonttype": "path"}
_SAVE_METADATA = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None},
                  "png": {"Software": None}}


def _t(key: str, lang: str, **kw) -> str:
    text = STRINGS.get(lang, {}).get(key, STRINGS["en"][key])
    return text.format(**kw) if kw else text


def _figure(size, dpi, ncols: int = 2, width_ratios=None) -> tuple[Figure, list]:
    fig = Figure(figsize=tuple(size), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, ncols, width_ratios=width_ratios, squeeze=False)[0]
    for ax in axes:
        ax.tick_params(labelsize=_FONT - 1)
        ax.grid(True, which="major", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
    return fig, list(axes)


def _style(ax, title, xlabel, ylabel):
    ax.set_title(title, fontsize=_FONT + 0.5)
    ax.set_xlabel(xlabel, fontsize=_FONT)
    ax.set_ylabel(ylabel, fontsize=_FONT)


def _log_ticks(ax, axis="both", numticks=7):
    for which in ("x", "y"):
        if axis in (which, "both"):
            a = ax.xaxis if which == "x" else ax.yaxis
            a.set_major_locator(LogLocator(base=10, numticks=numticks))
            a.set_minor_locator(LogLocator(base=10, subs="auto", numticks=numticks))
            a.set_minor_formatter(NullFormatter())


def _exponent_axis(ax, axis="both", nbins=6):
    """Label a linear axis that holds ``log10`` values as powers of ten.

    Used where data reach float64's extremes (1e-324 ... 1.8e308): a true log
    axis would overflow while computing its margins and ticks.
    """
    fmt = FuncFormatter(lambda v, _pos: f"$10^{{{int(round(v))}}}$")
    for which in ("x", "y"):
        if axis in (which, "both"):
            a = ax.xaxis if which == "x" else ax.yaxis
            a.set_major_locator(MaxNLocator(nbins=nbins, integer=True, steps=[1, 2, 2.5, 5, 10]))
            a.set_major_formatter(fmt)


def _lg(v):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log10(np.asarray(v, dtype=np.float64))


def _pow2_label(q, plain: bool = False) -> str:
    """``2^k`` as mathtext, or with Unicode superscripts when ``plain``."""
    k = round(math.log2(q))
    return "2" + str(k).translate(_SUPERSCRIPT) if plain else f"$2^{{{k}}}$"


def _align(lang: str, ha: str = "left") -> str:
    """Line alignment inside a multi-line text: right for right-to-left languages."""
    return "right" if lang in _RTL_LANGS else ha


def _num(v, sig: int = 4) -> str:
    """Short number for a plot label; ``~`` marks an approximation."""
    return nx.format_number(v, sig=sig, max_exact=sig + 2)


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


def fig_absorption(data: nx.AbsorptionData | None = None, *, lang: str = "en",
                   size=(8, 4.5), dpi: int = 150) -> Figure:
    """Left: ``a + b`` (default 1e10 + 1e-10) in the four formats as a table.
    Right: the absorption boundary against ``x`` (log-log), with the case
    marked: half the gap from ``x`` to the next number. Any ``t`` below it
    vanishes in ``x + t``; exactly at it, the tie goes to the even neighbour.
    (The largest absorbed power of two, ``data.largest_absorbed``, is this or
    half of it depending on that last bit, which only makes the line jagged.)"""
    data = data if data is not None else nx.absorption()
    fig, (ax_t, ax) = _figure(size, dpi, 2, width_ratios=[1.05, 1])

    # -- table ---------------------------------------------------------------
    ax_t.axis("off")
    ax_t.grid(False)
    head = [_t(k, lang) for k in ("abs_col_format", "abs_col_a", "abs_col_b",
                                  "abs_col_sum", "abs_col_error")]
    cells, colours = [], []
    for fm in data.formats:
        r = data.table[fm]
        if r.a_overflow or r.b_overflow:
            err = _t("abs_overflow", lang)
        elif r.absorbed or r.b_underflow:
            err = _num(r.abs_error) + "\n" + _t("abs_absorbed", lang)
        elif r.abs_error == 0:
            err = _t("abs_exact", lang)
        else:
            err = _num(r.abs_error) + "\n" + _t("abs_partly", lang)
        cells.append([fm, _num(r.a, 10), _num(r.b), _num(r.rounded, 10), err])
        colours.append(FORMAT_COLORS.get(fm, "#ffffff"))
    table = ax_t.table(cellText=cells, colLabels=head, loc="upper center",
                       cellLoc="center", colWidths=[0.15, 0.22, 0.21, 0.22, 0.20],
                       bbox=[0.0, 0.27, 1.0, 0.68])
    table.auto_set_font_size(False)
    table.set_fontsize(_FONT - 1)
    for (row, col), cell in table.get_celld().items():
        cell.set_edgecolor("#999999")
        cell.set_linewidth(0.5)
        if row == 0:
            cell.set_text_props(weight="bold")
            cell.set_facecolor("#eeeeee")
        elif col == 0:
            cell.set_facecolor(colours[row - 1])
            cell.set_alpha(0.55)
    ax_t.set_title(_t("abs_title_table", lang, a=data.a, b=data.b), fontsize=_FONT + 0.5)
    notes = [_t("abs_note_rule", lang)]
    n_absorbed = sum(bool(data.table[fm].absorbed) for fm in data.formats)
    if n_absorbed:
        notes.append(_t("abs_note_absorbed", lang, n_abs=n_absorbed, n_fmt=len(data.formats)))
    for fm in data.formats:
        r = data.table[fm]
        if r.a_overflow:
            notes.append(_t("abs_note_overflow", lang, fmt=fm, a=data.a,
                            max=_num(nx.get_format(fm).largest_finite)))
        if r.b_underflow:
            notes.append(_t("abs_note_underflow", lang, fmt=fm, b=data.b))
    rtl = lang in _RTL_LANGS
    ax_t.text(1.0 if rtl else 0.0, 0.22, "\n".join(notes), transform=ax_t.transAxes,
              fontsize=_FONT - 1, va="top", ha=_align(lang), linespacing=1.5, wrap=True)

    # -- boundary curve ------------------------------------------------------
    for fm in data.formats:
        ax.plot(data.x[fm], data.half_gap[fm], drawstyle="steps-post",
                color=FORMAT_COLORS[fm], lw=1.4,
                label=f"{fm}  (eps = {_pow2_label(nx.get_format(fm).eps)})")
    a_v, b_v = float(nx.to_fraction(data.a)), float(nx.to_fraction(data.b))
    ax.plot([a_v], [b_v], marker="*", ms=11, color=_INK, ls="none",
            label=_t("abs_point", lang, a=data.a, b=data.b))
    ax.annotate(_t("abs_point", lang, a=data.a, b=data.b), (a_v, b_v),
                xytext=(0, -16), textcoords="offset points", ha="center", va="top",
                fontsize=_FONT - 1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    _log_ticks(ax)
    _style(ax, _t("abs_title_curve", lang), _t("abs_xlabel", lang), _t("abs_ylabel", lang))
    ax.legend(fontsize=_FONT - 1.5, loc="upper left", frameon=True, framealpha=0.9)
    _fit_table(fig, table)
    return fig


def _fit_table(fig, table, min_size: float = _FONT - 2.5) -> None:
    """Shrink the table's font (never below ``min_size``) until every cell's
    text fits its cell: long translations and long numbers would cross the
    cell borders otherwise. Needs one layout pass."""
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    margin = 3 * fig.dpi / 72                       # 1.5 pt clear on each side
    scale = 1.0
    for cell in table.get_celld().values():
        text_w = cell.get_text().get_window_extent(renderer).width
        if text_w > 0:
            scale = min(scale, (cell.get_window_extent(renderer).width - margin) / text_w)
    if scale < 1.0:
        size = table.get_celld()[0, 0].get_text().get_fontsize()
        table.set_fontsize(max(min_size, size * scale))


def fig_spacing(data: nx.SpacingData | None = None, *, lang: str = "en",
                size=(8, 4.5), dpi: int = 150) -> Figure:
    """Left: ULP against magnitude (log-log, 1e-9 ... 1e6): parallel
    staircases, ``eps`` apart at 1, float16's flattening into subnormals and
    its end at 65504. Right top: the relative gap ULP(x)/x, a sawtooth between
    eps/2 and eps that climbs among subnormals. Right bottom: each format's
    whole range (subnormals pale), with its extreme values."""
    data = data if data is not None else nx.spacing()
    fig = Figure(figsize=tuple(size), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    gs = fig.add_gridspec(2, 2, width_ratios=[1, 1.1], height_ratios=[1.25, 1])
    ax = fig.add_subplot(gs[:, 0])
    ax_r = fig.add_subplot(gs[0, 1])
    ax_b = fig.add_subplot(gs[1, 1])
    for a in (ax, ax_r, ax_b):
        a.tick_params(labelsize=_FONT - 1)
        a.grid(True, which="major", color="#dddddd", linewidth=0.6)
        a.set_axisbelow(True)
    lo, hi = 1e-9, 1e6

    # -- ULP vs x (zoomed) ---------------------------------------------------
    for fm in data.formats:
        c = FORMAT_COLORS[fm]
        x, u = data.x[fm], data.ulp[fm]
        keep = (x >= lo / 4) & (x <= hi * 4)
        eps = data.constants[fm]["eps"]
        ax.plot(x[keep], u[keep], color=c, lw=1.3, drawstyle="steps-post",
                label=f"{fm}:  ULP(1) = eps = {_pow2_label(eps)}")
        ax.plot([1.0], [eps], marker=_MARKERS[fm], color=c, mec=_INK, mew=0.5, ms=5)
    if "float16" in data.formats:
        c16 = data.constants["float16"]
        top = c16["largest_finite"]
        ax.plot([top], [nx.ulp(top, "float16")], marker="^", color=FORMAT_COLORS["float16"],
                mec=_INK, mew=0.5, ms=6)
        ax.annotate(_t("sp_max", lang) + f" {_num(top)}", (top, nx.ulp(top, "float16")),
                    xytext=(1e-1, 3e3), textcoords="data", ha="center", va="bottom",
                    fontsize=_FONT - 1.8,
                    arrowprops=dict(arrowstyle="->", color="#555555", lw=0.7))
        sub = c16["smallest_subnormal"]
        ax.annotate(_t("sp_subnormal_flat", lang, ulp=_pow2_label(sub, plain=lang in _RTL_LANGS)),
                    (3e-7, sub), xytext=(2e-9, 1e-1), textcoords="data", ha="left", va="bottom",
                    multialignment=_align(lang), fontsize=_FONT - 1.8,
                    arrowprops=dict(arrowstyle="->", color="#555555", lw=0.7))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(1e-26, 1e6)
    _log_ticks(ax, numticks=8)
    _style(ax, _t("sp_title_ulp", lang), _t("sp_xlabel", lang), _t("sp_ylabel_ulp", lang))
    ax.legend(fontsize=_FONT - 1.8, loc="lower right", framealpha=0.9)

    # -- relative gap (zoomed) -------------------------------------------------
    for fm in data.formats:
        c = FORMAT_COLORS[fm]
        x, rel = data.x[fm], data.relative[fm]
        keep = (x >= lo / 2) & (x <= hi * 2)
        ax_r.plot(x[keep], rel[keep], color=c, lw=0.9)
    if "float16" in data.formats:
        nrm = data.constants["float16"]["smallest_normal"]
        ax_r.axvspan(lo, nrm, color=FORMAT_COLORS["float16"], alpha=0.10, lw=0)
        ax_r.text(lo * 1.6, 1e-6, _t("sp_subnormal_zone", lang), fontsize=_FONT - 2,
                  color="#7a5200", va="center", multialignment=_align(lang))
    ax_r.set_xscale("log")
    ax_r.set_yscale("log")
    ax_r.set_xlim(lo, hi)
    ax_r.set_ylim(1e-17, 3)
    _log_ticks(ax_r, "x", numticks=8)
    ax_r.yaxis.set_major_locator(LogLocator(base=10, numticks=5))
    ax_r.yaxis.set_minor_formatter(NullFormatter())
    _style(ax_r, _t("sp_title_rel", lang), "", _t("sp_ylabel_rel", lang))

    # -- ranges (whole range, exponent axis) --------------------------------
    names = list(data.formats)
    for i, fm in enumerate(names):
        c = FORMAT_COLORS[fm]
        k = data.constants[fm]
        y = len(names) - 1 - i
        lsub, lnorm, lmax = (math.log10(k["smallest_subnormal"]),
                             math.log10(k["smallest_normal"]), math.log10(k["largest_finite"]))
        ax_b.barh(y, lnorm - lsub, left=lsub, height=0.6, color=c, alpha=0.35, lw=0)
        ax_b.barh(y, lmax - lnorm, left=lnorm, height=0.6, color=c, lw=0)
        f = nx.get_format(fm)
        ax_b.text(lsub - 8, y, _pow2_label(f.smallest_subnormal), ha="right", va="center",
                  fontsize=_FONT - 2)
        ax_b.text(lmax + 8, y, _num(f.largest_finite, 3), ha="left", va="center",
                  fontsize=_FONT - 2)
    ax_b.set_yticks(range(len(names)), list(reversed(names)), fontsize=_FONT - 1.5)
    ax_b.set_xlim(-440, 480)
    ax_b.set_ylim(-0.6, len(names) - 0.4)
    _exponent_axis(ax_b, "x", nbins=7)
    ax_b.grid(False, axis="y")
    _style(ax_b, _t("sp_title_range", lang), _t("sp_xlabel", lang), "")
    return fig


def fig_summation(data: nx.SummationData | None = None, *, lang: str = "en",
                  size=(8, 4.5), dpi: int = 150) -> Figure:
    """Relative error of naive, pairwise and Kahan summation of 0.1 against
    ``n``, one panel per format, with the unit roundoff as the floor any
    result stored in the format can reach. Exact zeros sit on the bottom edge."""
    data = data if data is not None else nx.summation()
    fig, axes = _figure(size, dpi, len(data.formats))
    methods = (("naive", "sum_naive", "o"), ("pairwise", "sum_pairwise", "s"),
               ("kahan", "sum_kahan", "^"))
    any_zero = False
    for ax, fm in zip(axes, data.formats):
        f = nx.get_format(fm)
        n = data.n[fm]
        u = float(f.unit_roundoff)
        floor = u / 300
        for key, label, marker in methods:
            err = getattr(data, key + "_error")[fm]
            ok = np.isfinite(err)
            shown = np.where(err[ok] > 0, err[ok], floor)
            any_zero |= bool(np.any(err[ok] == 0))
            ax.plot(n[ok], shown, color=METHOD_COLORS[key], marker=marker, ms=3.2,
                    lw=1.3, label=_t(label, lang), clip_on=False)
        ax.axhline(u, color=_INK, lw=0.8, ls="--", label=_t("sum_u", lang))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(floor, 3)
        ax.set_xlim(1, n[-1] * 1.5)
        _log_ticks(ax)
        _style(ax, _t("sum_title", lang, fmt=fm, value=data.value), _t("sum_xlabel", lang),
               _t("sum_ylabel", lang, value=data.value) if ax is axes[0] else "")
        # annotations
        naive = data.naive[fm]
        stall = _stall_value(naive)
        if stall is not None:
            note = _t("sum_note_stall", lang, stall=_num(stall, 6), value=data.value)
        else:
            exact = data.stored[fm] * int(n[-1])
            note = _t("sum_note_final", lang, n=_num(int(n[-1]), 10),
                      naive=_num(naive[-1], 10), exact=_num(exact, 12))
        ax.text(0.03, 0.97, note, transform=ax.transAxes, ha="left", va="top",
                multialignment=_align(lang), fontsize=_FONT - 1.5, color=METHOD_COLORS["naive"],
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.85, pad=1.5))
        kmax = data.kahan_max_n[fm]
        if kmax < n[-1]:
            ax.axvline(kmax, color=METHOD_COLORS["kahan"], lw=0.7, ls=":")
    handles, labels = axes[0].get_legend_handles_labels()
    limited = [(fm, data.kahan_max_n[fm]) for fm in data.formats
               if data.kahan_max_n[fm] < data.n[fm][-1]]
    if limited:
        i = labels.index(_t("sum_kahan", lang))
        labels[i] += "; " + ", ".join(_t("sum_kahan_limit", lang, fmt=fm, n=_num(k, 8))
                                      for fm, k in limited)
    fig.legend(handles, labels, loc="outside lower center", ncol=2,
               fontsize=_FONT - 1.5, frameon=False,
               title=_t("sum_zero", lang) if any_zero else None, title_fontsize=_FONT - 2)
    return fig


def _stall_value(values: np.ndarray):
    """The value a running sum got stuck at (last two checkpoints equal), or None."""
    v = values[np.isfinite(values)]
    if len(v) >= 3 and v[-1] == v[-2] == v[-3]:
        return float(v[-1])
    return None


def fig_cancellation(data: nx.CancellationData | None = None, *, lang: str = "en",
                     size=(8, 4.5), dpi: int = 150) -> Figure:
    """Left: relative error of ``(1 + x) - 1`` against ``x`` per format (1
    where ``x`` is absorbed). Right: the relative error of three float32
    variance formulas on data with a large mean, against ``n``."""
    data = data if data is not None else nx.cancellation()
    fig, (ax, ax_v) = _figure(size, dpi, 2)
    for fm in data.formats:
        err = data.rel_error[fm]
        shown = np.where(err > 0, err, np.nan)      # exact results (0) and underflow: gaps
        ax.plot(data.x, shown, color=FORMAT_COLORS[fm], lw=0.9,
                label=f"{fm} (eps/2 = {_pow2_label(nx.get_format(fm).unit_roundoff)})")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(1e-17, 3e2)
    _log_ticks(ax)
    ax.text(2e-20, 1.7, _t("can_absorbed", lang), fontsize=_FONT - 1.5, va="bottom")
    _style(ax, _t("can_title_one", lang), _t("can_xlabel_one", lang), _t("can_ylabel_one", lang))
    ax.legend(fontsize=_FONT - 2, loc="lower left", framealpha=0.9,
              title=_t("can_gaps", lang), title_fontsize=_FONT - 2.5)

    labels = {"one-pass": "can_one_pass", "two-pass": "can_two_pass", "welford": "can_welford"}
    floor = 1e-9
    any_zero = False
    for key, label in labels.items():
        err = data.var_rel_error[key]
        any_zero |= bool(np.any(err == 0))
        ax_v.plot(data.var_n, np.where(err > 0, err, floor), color=METHOD_COLORS[key],
                  marker="o", ms=3, lw=1.2, label=_t(label, lang), clip_on=False)
    ax_v.axhline(2.0 ** -24, color=_INK, lw=0.8, ls="--", label=_t("sum_u", lang))
    ax_v.set_xscale("log")
    ax_v.set_yscale("log")
    ax_v.set_ylim(floor, 1e4)
    _log_ticks(ax_v)
    ax_v.text(0.97, 0.97, _t("can_var_note", lang), transform=ax_v.transAxes,
              fontsize=_FONT - 1.5, ha="right", va="top", color=METHOD_COLORS["one-pass"])
    _style(ax_v, _t("can_title_var", lang, mean=data.var_mean), _t("can_xlabel_var", lang),
           _t("can_ylabel_var", lang))
    legend_kw = dict(fontsize=_FONT - 2, loc="center", bbox_to_anchor=(0.5, 0.555),
                     framealpha=0.9, title=_t("sum_zero", lang) if any_zero else None,
                     title_fontsize=_FONT - 2.5)
    legend = ax_v.legend(ncol=2, **legend_kw)
    fig.draw_without_rendering()
    if legend.get_window_extent().width > ax_v.bbox.width:
        ax_v.legend(ncol=1, **legend_kw)            # long labels: one column, between the curves
    return fig


def fig_overflow(data: nx.OverflowData | None = None, *, lang: str = "en",
                 size=(8, 4.5), dpi: int = 150) -> Figure:
    """Left: where naive softmax of the logits ``(s, 0)`` is finite in each
    format: ``exp(s)`` overflows at ``ln(largest finite)`` and the result
    becomes inf/inf = NaN; with the maximum subtracted first (the
    log-sum-exp trick) it stays finite everywhere. Right: ``1 - sigma(x)``
    with sigma rounded to each format, which drops to exactly 0."""
    data = data if data is not None else nx.overflow()
    fig, (ax, ax_s) = _figure(size, dpi, 2)

    # -- naive vs stable softmax: where is the result finite? ---------------
    s = data.s
    rows = list(data.formats)
    n_rows = len(rows) + 1
    for i, fm in enumerate(rows):
        y = n_rows - 1 - i
        c = FORMAT_COLORS[fm]
        bad = ~np.isfinite(data.softmax_naive[fm])
        first_bad = s[np.argmax(bad)] if bad.any() else None
        end = first_bad if first_bad is not None else s[-1]
        ax.barh(y, end - s[0], left=s[0], height=0.62, color=c, lw=0)
        if first_bad is not None:
            ax.barh(y, s[-1] - first_bad, left=first_bad, height=0.62, color="#e6e6e6",
                    hatch="////", edgecolor="#999999", lw=0)
            thr = data.ln_max[fm]
            ax.plot([thr, thr], [y - 0.42, y + 0.42], color=_INK, lw=1.0)
            ax.text(thr / 1.12, y, f"{thr:.2f}", va="center", ha="right",
                    fontsize=_FONT - 1.5, color=_INK)
    stable_ok = all(np.isfinite(data.softmax_stable[fm]).all() for fm in rows)
    ax.barh(0, s[-1] - s[0], left=s[0], height=0.62,
            color="#bbbbbb" if stable_ok else "#e6e6e6", lw=0)
    ax.set_yticks(range(n_rows), [_t("ov_stable_row", lang)]
                  + [_t("ov_naive_row", lang, fmt=fm) for fm in reversed(rows)],
                  fontsize=_FONT - 1.5)
    ax.set_xscale("log")
    ax.set_xlim(s[0], s[-1])
    ax.set_ylim(-0.6, n_rows - 0.4)
    ax.grid(False, axis="y")
    _log_ticks(ax, "x")
    handles = [Patch(facecolor="#777777", label=_t("ov_finite", lang)),
               Patch(facecolor="#e6e6e6", hatch="////", edgecolor="#999999",
                     label=_t("ov_nan", lang))]
    ax.legend(handles=handles, fontsize=_FONT - 1.8, loc="upper center",
              bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
    _style(ax, _t("ov_title_exp", lang), _t("ov_xlabel_exp", lang), "")

    # -- sigmoid saturation --------------------------------------------------
    floor = 1e-20
    widths = [4.5, 3.3, 2.2, 1.1]
    for i, fm in enumerate(data.formats):
        c = FORMAT_COLORS[fm]
        v = data.one_minus_sigmoid[fm]
        pos = v > 0
        sat = data.sigmoid_saturation[fm]
        ax_s.plot(data.x[pos], v[pos], color=c, lw=widths[i % len(widths)],
                  drawstyle="steps-post", zorder=2 + i, solid_capstyle="butt",
                  label=f"{fm}: " + _t("ov_sat", lang, x=f"{sat:.2f}"))
        ax_s.plot([sat], [floor], marker="v", color=c, mec=_INK, mew=0.5, ms=7,
                  ls="none", clip_on=False, zorder=10)
        ax_s.axvline(sat, color=c, lw=0.7, ls=":", zorder=1)
    ax_s.plot(data.x, data.one_minus_sigmoid_true, color=_INK, lw=0.8, ls=":",
              label=_t("ov_true", lang), zorder=9)
    ax_s.set_yscale("log")
    ax_s.set_ylim(floor, 2)
    ax_s.set_xlim(data.x[0], data.x[-1])
    _log_ticks(ax_s, "y", numticks=8)
    _style(ax_s, _t("ov_title_sig", lang), _t("ov_xlabel_sig", lang), _t("ov_ylabel_sig", lang))
    ax_s.legend(fontsize=_FONT - 1.8, loc="upper right", framealpha=0.9)
    return fig


FIGURES = {
    "absorption": fig_absorption,
    "spacing": fig_spacing,
    "summation": fig_summation,
    "cancellation": fig_cancellation,
    "overflow": fig_overflow,
}


def render_precision(names=None, out_dir=".", formats=("png",), dpi: int = 150,
                     size=(8, 4.5), lang: str = "en", data=None) -> list[Path]:
    """Render figures to ``out_dir/<name>.<fmt>``; returns the paths written.

    ``names``: figure names from :data:`FIGURES` (a string, a list, or None
    for all). Files are byte-stable across reruns: SVGs carry no date and a
    fixed hash salt, PDFs no creation date and TrueType (type 42) fonts.
    The experiments run with their defaults (about 2 s in total) unless
    ``data`` maps a figure name to precomputed experiment data.
    """
    if names is None:
        names = list(FIGURES)
    elif isinstance(names, str):
        names = [names]
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        raise ValueError(f"unknown precision figure(s) {unknown}; known: {', '.join(FIGURES)}")
    if isinstance(formats, str):
        formats = (formats,)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        fig = FIGURES[name]((data or {}).get(name), lang=lang, size=size, dpi=dpi)
        for ext in formats:
            ext = ext.lower().lstrip(".")
            path = out / f"{name}.{ext}"
            with matplotlib.rc_context(_RC):
                fig.savefig(path, format=ext, dpi=dpi,
                            metadata=_SAVE_METADATA.get(ext))
            written.append(path)
    return written
