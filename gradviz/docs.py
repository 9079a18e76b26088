"""Regenerate the README's reference tables from the code:
``python -m gradviz.docs README.md`` (tests check the README is current).

Each table sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``.
"""
import re
import sys
from pathlib import Path


def tables() -> dict[str, str]:
    from .inits import schemes_table
    from .quantities import table as quantities_table
    from .scenario import reference_table

    return {"inits": schemes_table(), "keys": reference_table(), "quantities": quantities_table()}


def update(text: str) -> str:
    for name, table in tables().items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(\n<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"README has no <!-- {name}:start --> ... <!-- {name}:end --> block")
        text = pattern.sub(lambda m: m.group(1) + table + m.group(2), text)
    return text


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "README.md")
    path.write_text(update(path.read_text(encoding="utf-8")), encoding="utf-8")
