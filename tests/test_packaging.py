"""setup.cfg ships every package: a plain `pip install .` (not editable) must be
able to import every module the README documents, e.g. `python -m gradviz.bench`."""
import configparser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_listed_in_setup_cfg():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    listed = set(cfg["options"]["packages"].split())
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "gradviz").rglob("__init__.py")}
    assert found - listed == set(), "add these to [options] packages in setup.cfg"
