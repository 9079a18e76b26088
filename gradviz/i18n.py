"""Translations: one lookup for every figure, animation, precision figure and
output README, read from gettext catalogues with the standard library.

The English text is the message id (standard gettext): ``t("Layer", "ro")``
gives ``"Strat"``. A language is one catalogue,
``gradviz/locale/<lang>/LC_MESSAGES/gradviz.po``, compiled to ``gradviz.mo``
beside it; :data:`LANGUAGES` lists English plus every language that has a
compiled catalogue, and is written nowhere else. A message without a
translation (or an unknown language) falls back to English, so a stale or
partial catalogue never breaks a render. README section "Translating gradviz"
says how to add or update a language; :mod:`gradviz.catalogues` (a dev tool,
needs Babel) extracts the message ids and compiles the catalogues.

Placeholders are ``str.format`` fields (``"step {n}"``, flagged
python-brace-format in the catalogues). Message ids are literal strings in the
code, inside :func:`t`, :func:`nt` or :func:`N_`, so the extractor can list
every string in use.

Hebrew is stored in logical order: matplotlib >= 3.11 shapes right-to-left
text itself, so nothing is reordered here. But the bidi algorithm reorders the
neutral characters of a formula inside right-to-left text ("±1/√n_in" shows as
"n_in√/±1"), so in a right-to-left language every left-to-right run (formulas,
Latin names, numbers with signs or units) of a translated message is wrapped in
the Unicode isolates U+2066 (LRI) … U+2069 (PDI) (:func:`isolate_ltr`).
"""
from __future__ import annotations

import functools
import gettext
import re
from pathlib import Path

DOMAIN = "gradviz"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"
#: Languages written right to left (a property of the language, catalogue or not).
RIGHT_TO_LEFT = frozenset({"ar", "dv", "fa", "he", "ps", "sd", "ug", "ur", "yi"})


def _catalogue_languages() -> tuple[str, ...]:
    if not LOCALE_DIR.is_dir():
        return ()
    return tuple(sorted(p.name for p in LOCALE_DIR.iterdir()
                        if (p / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()))


#: English first, then every language with a compiled catalogue (alphabetical).
LANGUAGES: tuple[str, ...] = (SOURCE_LANGUAGE,) + tuple(
    lang for lang in _catalogue_languages() if lang != SOURCE_LANGUAGE)


@functools.lru_cache(maxsize=None)
def translation(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang`` (English, i.e. the message ids, when there is none)."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction without translating it (module constants)."""
    return msgid


def _fill(text: str, english: str, fields: dict) -> str:
    # a translation whose placeholders are broken falls back to the English
    # text; a broken English message id is a bug and raises
    try:
        return text.format(**fields)
    except (KeyError, IndexError, ValueError):
        if text == english:
            raise
        return english.format(**fields)


LRI, PDI = "\u2066", "\u2069"
#: Right-to-left letters, and the marks RLM/ALM a translator puts before a formula (strong
#: right-to-left characters too: a left-to-right run never starts with one)
_RTL_CHARS = "\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u200F\u061C"
#: A maximal run without right-to-left letters, not starting or ending with a space.
_LTR_RUN = re.compile(rf"[^{_RTL_CHARS}\s{LRI}{PDI}](?:[^{_RTL_CHARS}{LRI}{PDI}]*[^{_RTL_CHARS}\s{LRI}{PDI}])?")
#: What the bidi algorithm would reorder: Latin/Greek letters, maths and sub/superscripts.
_NEEDS_ISOLATE = re.compile(r"[A-Za-z\u0370-\u03FF\u2070-\u209F\u2200-\u22FF±√|‖×<>^/∂∞−]")
#: Numbers it would reorder: a sign or bracket next to a digit ("[-1, 1]", "-34"), a
#: range "0..16", an operator between two numbers ("2 = 3"), or a point "(1.5, 0.001)".
_NUMBER_ORDER = re.compile(r"[-\[\]][\d.]|\d[\]]|\d\s*\.\.\s*\d|\d\s*[=+*]\s*\d|\(\s*[\d.]+,\s*[\d.]")
#: A lone operator or punctuation token at either end of a run ("ReLU +", ": u", "= 5").
_OPERATOR = "+=−-×:—–"
_TRAILING = ".,;:!?)"
#: Quotation marks: one without its partner in the run belongs to the sentence's quotation.
_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»", "»": "«"}
_PAIRS = {"(": ")", "[": "]"}


def _lone_quote(run: str, k: int) -> bool:
    c = run[k]
    if c == '"':
        return run.count('"') % 2 == 1
    closing = {v: o for o, v in _QUOTES.items()}
    if c in _QUOTES and k == 0:
        return _QUOTES[c] not in run[1:]
    return c in closing and k == len(run) - 1 and closing[c] not in run[:-1]


def _needs_isolate(run: str) -> bool:
    return bool(_NEEDS_ISOLATE.search(run) or _NUMBER_ORDER.search(run))


def _split_ends(run: str, after_rtl: bool) -> tuple[str, str, str]:
    """``(head, core, tail)``: what of a left-to-right run stays outside its isolate.

    Outside: a "(" or ")" without its pair at either end, sentence punctuation at
    the end, a hyphen joining it to a Hebrew prefix letter ("ב-float16"), and a
    lone operator token separated by a space ("ReLU +", ": u = eps/2", "= 1087937"), and a
    quotation mark whose partner is in the right-to-left text ('הירחים" (moons)').
    """
    head = tail = ""
    changed = True
    while changed and run:
        changed = False
        if run[0] == "(" and run.count("(") > run.count(")"):
            head, run, changed = head + run[0], run[1:].lstrip(), True
        elif run[0] == ")" and run.count(")") > run.count("("):
            k = len(run) - len(run[1:].lstrip())     # the space after it is the sentence's too
            head, run, changed = head + run[:k], run[k:], True
        elif len(run) > 1 and _lone_quote(run, 0):
            k = len(run) - len(run[1:].lstrip())
            head, run, changed = head + run[:k], run[k:], True
        elif after_rtl and not head and run[0] == "-":
            head, run, changed = head + "-", run[1:], True
        elif run[0] in ",;.!?" and len(run) > 1:
            k = len(run) - len(run[1:].lstrip())
            head, run, changed = head + run[:k], run[k:], True
        elif len(run) > 1 and run[0] in _OPERATOR and run[1] == " ":
            k = len(run) - len(run[1:].lstrip())
            head, run, changed = head + run[:k], run[k:], True
        if not run:
            break
        if run[-1] == "(" and run.count("(") > run.count(")"):
            core = run[:-1].rstrip()
            run, tail, changed = core, run[len(core):] + tail, True
        elif len(run) > 1 and _lone_quote(run, len(run) - 1):
            core = run[:-1].rstrip()
            run, tail, changed = core, run[len(core):] + tail, True
        elif run[-1] in _TRAILING and not (run[-1] == ")" and run.count("(") >= run.count(")")):
            run, tail, changed = run[:-1], run[-1] + tail, True
        elif len(run) > 1 and run[-1] in _OPERATOR and run[-2] == " ":
            core = run[:-1].rstrip()
            run, tail, changed = core, run[len(core):] + tail, True
    return head, run, tail


def _top_level_split(core: str) -> list:
    """``core`` cut at the sentence's own separators outside brackets (", ", "; ", a spaced
    dash): "float64, 1e-7" is a list of two items and "1e10 + 1e-10 — b" two runs, each
    isolated on its own, while "N(0, 1)" and "[-1, 1]" stay whole. Separators at odd indices."""
    out, depth, start, k = [], 0, 0, 0
    while k < len(core):
        c = core[k]
        depth += c in "([{" and 1 or (-1 if c in ")]}" else 0)
        m = re.match(r", |; | [—–] ", core[k:]) if depth == 0 else None
        if m:
            out += [core[start:k], m.group(0)]
            k += len(m.group(0))
            start = k
            continue
        k += 1
    return out + [core[start:]]


def _unpaired_brackets(core: str) -> list[int]:
    """Indices of the brackets of ``core`` without their partner in it ("(" of "Bengio (2010")."""
    stack, lone = [], []
    for k, c in enumerate(core):
        if c in _PAIRS:
            stack.append(k)
        elif c in _PAIRS.values():
            if stack and _PAIRS[core[stack[-1]]] == c:
                stack.pop()
            else:
                lone.append(k)
    return sorted(lone + stack)


def _wrap_run(run: str, after_rtl: bool) -> str:
    """One left-to-right run with its isolates (:func:`isolate_ltr`)."""
    if not _needs_isolate(run):
        return run
    head, core, tail = _split_ends(run, after_rtl)
    if not core or not _needs_isolate(core):
        return run
    cuts = _unpaired_brackets(core)
    if cuts:   # a bracket whose partner is in the right-to-left text: the isolates end at it
        out, start = [], 0
        for k in [*cuts, len(core)]:
            piece = core[start:k]
            middle = piece.strip()
            lead = piece[:len(piece) - len(piece.lstrip())]
            trail = piece[len(lead) + len(middle):]
            out += [lead, _wrap_run(middle, False) if middle else "", trail, core[k:k + 1]]
            start = k + 1
        return head + "".join(out) + tail
    pieces = _top_level_split(core)
    return head + "".join(p if k % 2 or not _needs_isolate(p) else f"{LRI}{p}{PDI}"
                          for k, p in enumerate(pieces)) + tail


def isolate_ltr(text: str) -> str:
    """Wrap each left-to-right run of ``text`` (a formula, a Latin name, a range of
    numbers) in LRI … PDI, leaving outside what belongs to the right-to-left sentence
    (:func:`_split_ends`). Plain numbers ("1", "0.5", "1 =") need no isolate."""
    def wrap(m):
        before = m.string[m.start() - 1] if m.start() else ""
        return _wrap_run(m.group(0), bool(re.match(f"[{_RTL_CHARS}]", before)))
    parts = re.split(f"({LRI}[^{PDI}]*{PDI})", text)     # runs isolated already stay as they are
    return "".join(p if k % 2 else _LTR_RUN.sub(wrap, p) for k, p in enumerate(parts))


def _bidi(text: str, lang: str) -> str:
    return isolate_ltr(text) if lang in RIGHT_TO_LEFT else text


def t(msgid: str, lang: str = SOURCE_LANGUAGE, **fields) -> str:
    """``msgid`` in ``lang`` (English fallback), with ``{fields}`` filled in; left-to-right
    runs isolated in right-to-left languages."""
    return _bidi(_fill(translation(lang).gettext(msgid), msgid, fields), lang)


def nt(singular: str, plural: str, count: int, lang: str = SOURCE_LANGUAGE, **fields) -> str:
    """The plural form of ``count`` in ``lang`` (``"1 frame"``, ``"22 frames"``), filled in."""
    english = singular if count == 1 else plural
    return _bidi(_fill(translation(lang).ngettext(singular, plural, count), english, fields), lang)


def is_rtl(lang: str) -> bool:
    """True for languages written right to left (their notes are right-aligned)."""
    return lang in RIGHT_TO_LEFT
