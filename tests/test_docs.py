"""The README's generated tables match the code (docs stay true)."""
from pathlib import Path

from gradviz.inits import schemes_table
from gradviz.scenario import reference_table

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_has_the_scenario_reference_table():
    assert reference_table() in README


def test_readme_has_the_init_table():
    assert schemes_table() in README


def test_readme_opens_with_the_two_commands():
    first_block = README.split("```bash", 1)[1].split("```", 1)[0].strip().splitlines()
    assert first_block[0].startswith("pip install . && gradviz render scenarios/")
    assert first_block[1] == 'pip install ".[test]" && python -m pytest -q'
