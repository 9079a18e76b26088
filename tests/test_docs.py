"""The README's generated tables match the code (docs stay true).
Regenerate them with ``python -m gradviz.docs README.md``."""
from pathlib import Path

from gradviz.docs import update

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_tables_are_current():
    assert update(README) == README, "run: python -m gradviz.docs README.md"


def test_readme_opens_with_the_two_commands():
    first_block = README.split("```bash", 1)[1].split("```", 1)[0].strip().splitlines()
    assert first_block[0].startswith("pip install . && gradviz render scenarios/")
    assert first_block[1] == 'pip install ".[test]" && python -m pytest -q'
