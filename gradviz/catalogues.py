"""Maintaining the translation catalogues (a dev tool: needs Babel, the ``test`` extra).

``python -m gradviz.catalogues extract``  message ids from the code -> ``locale/gradviz.pot``
``python -m gradviz.catalogues update``   merge the .pot into every ``<lang>/LC_MESSAGES/gradviz.po``
                                          (new ids appear untranslated, changed ones fuzzy)
``python -m gradviz.catalogues compile``  every .po -> its .mo (what gradviz reads at run time)
``python -m gradviz.catalogues check``    what the tests check: .pot current, .po complete, .mo current

The same steps with the standard tools (README, "Translating gradviz")::

    pybabel extract --no-default-keywords -k t -k N_ -k nt:1,2 --add-location=file \\
        --omit-header -o gradviz/locale/gradviz.pot gradviz
    pybabel update -D gradviz -i gradviz/locale/gradviz.pot -d gradviz/locale
    pybabel compile -D gradviz -d gradviz/locale        # or msgfmt, or Poedit's "save"

Run time never imports this module: :mod:`gradviz.i18n` reads the .mo files
with the standard library's gettext.
"""
from __future__ import annotations

import gettext
import io
import string
import sys
from pathlib import Path

from .i18n import DOMAIN, LOCALE_DIR

PACKAGE_DIR = Path(__file__).resolve().parent
POT = LOCALE_DIR / f"{DOMAIN}.pot"
#: The lookup functions of gradviz.i18n and the arguments holding message ids.
KEYWORDS = {"t": (1,), "N_": (1,), "nt": (1, 2)}


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalogue_languages() -> list[str]:
    """Every language with a .po file."""
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def extract():
    """The message ids used in the package's code, as a Babel catalogue."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    cat = Catalog(project="gradviz", domain=DOMAIN, charset="utf-8", fuzzy=False)
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PACKAGE_DIR), method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True):
        if filename.startswith("catalogues"):
            continue
        cat.add(message, None, [(f"gradviz/{filename}", None)], auto_comments=comments, context=context)
    return cat


def _write_po(catalog, path: Path, **kw) -> None:
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    write_po(buf, catalog, width=100, include_lineno=False, sort_output=True, **kw)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())


def read_po(path: Path):
    from babel.messages.pofile import read_po as _read

    with open(path, "rb") as fh:
        return _read(fh, domain=DOMAIN)


def write_pot() -> Path:
    _write_po(extract(), POT, omit_header=True)
    return POT


def update() -> list[Path]:
    """Merge the .pot into every .po: new ids untranslated, changed ones fuzzy, gone ones dropped."""
    template = read_po(POT)
    out = []
    for lang in catalogue_languages():
        cat = read_po(po_path(lang))
        created = cat.creation_date                   # keep the header stable (no churn per update)
        cat.update(template, update_header_comment=False)
        cat.creation_date = created
        cat.obsolete.clear()
        _write_po(cat, po_path(lang))
        out.append(po_path(lang))
    return out


def compile_all() -> list[Path]:
    from babel.messages.mofile import write_mo

    out = []
    for lang in catalogue_languages():
        mo = po_path(lang).with_suffix(".mo")
        with open(mo, "wb") as fh:
            write_mo(fh, read_po(po_path(lang)), use_fuzzy=False)
        out.append(mo)
    return out


# -- checks (the tests run these) ---------------------------------------------------

def _ids(catalog) -> set:
    return {m.id for m in catalog if m.id}


def fields(text: str) -> set:
    """The ``str.format`` fields of ``text``."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def stale_pot() -> dict:
    """Message ids used in the code but missing from the .pot, and the reverse."""
    code, pot = _ids(extract()), _ids(read_po(POT))
    return {"missing from the .pot": sorted(map(str, code - pot)),
            "in the .pot, not in the code": sorted(map(str, pot - code))}


def problems(lang: str) -> list[str]:
    """What is wrong with one language's .po and .mo (empty: nothing)."""
    pot, po = read_po(POT), read_po(po_path(lang))
    out = [f"missing: {m!r}" for m in sorted(map(str, _ids(pot) - _ids(po)))]
    out += [f"not in the .pot (obsolete): {m!r}" for m in sorted(map(str, _ids(po) - _ids(pot)))]
    for m in po:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strs = m.string if isinstance(m.string, tuple) else (m.string,)
        if m.fuzzy:
            out.append(f"fuzzy (review it, then remove the flag): {ids[0]!r}")
        if not all(s for s in strs):
            out.append(f"untranslated: {ids[0]!r}")
            continue
        want = set().union(*(fields(i) for i in ids))
        for s in strs:
            got = fields(s)
            if not got <= want or (len(ids) == 1 and got != want):
                out.append(f"placeholders {sorted(got)} instead of {sorted(want)}: {ids[0]!r}")
    out += stale_mo(lang)
    return out


def stale_mo(lang: str) -> list[str]:
    """Differences between the shipped .mo and its .po (whichever tool compiled it)."""
    mo = po_path(lang).with_suffix(".mo")
    if not mo.is_file():
        return [f"{mo} is missing: run python -m gradviz.catalogues compile"]
    with open(mo, "rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    out = []
    for m in read_po(po_path(lang)):
        if not m.id or m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,)):
            continue                                  # gettext falls back to English for these
        if isinstance(m.id, tuple):
            for n in (0, 1, 2, 3, 5, 11, 21, 101):
                if compiled.ngettext(m.id[0], m.id[1], n) != m.string[compiled.plural(n)]:
                    out.append(f".mo differs from .po (n = {n}): {m.id[0]!r}")
                    break
        elif compiled.gettext(m.id) != m.string:
            out.append(f".mo differs from .po: {m.id!r}")
    return out


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    cmd = argv[0] if argv else "check"
    if cmd == "extract":
        print(write_pot())
    elif cmd == "update":
        print("\n".join(map(str, update())))
    elif cmd == "compile":
        print("\n".join(map(str, compile_all())))
    elif cmd == "check":
        bad = {k: v for k, v in stale_pot().items() if v}
        bad.update({lang: p for lang in catalogue_languages() if (p := problems(lang))})
        for k, v in bad.items():
            print(f"{k}:\n  " + "\n  ".join(map(str, v)))
        return 1 if bad else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
