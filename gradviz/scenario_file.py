"""Reading and writing a scenario file. Reading: bounded size, UTF-8 (a byte-order mark allowed),
and relative ``data.path`` values resolved against the file's own folder, so a
scenario renders the same from any working directory."""
from __future__ import annotations

import json
import math
import tomllib
from pathlib import Path

MAX_FILE_BYTES = 1_000_000  # a scenario is a page of TOML; anything bigger is a mistake


class UnreadableFile(ValueError):
    """A scenario file that cannot be read as text (the message says why)."""


def read_scenario_text(path: Path) -> str:
    """The file's UTF-8 text (a leading byte-order mark is dropped), or :class:`UnreadableFile`."""
    if not path.is_file():
        raise UnreadableFile(f"no scenario file at {path}" + (" (a folder)" if path.is_dir() else ""))
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UnreadableFile(f"cannot read {path} ({exc.strerror or exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(f"{path} is larger than {MAX_FILE_BYTES:,} bytes; not a scenario file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"{path} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset "
                            f"{exc.start}); save it as UTF-8") from None


def resolve_data_paths(raw: dict, base: Path) -> dict:
    """Relative ``data.path`` values (top level, [[variants]], [compare]) against ``base``."""
    def fix(v):
        return str(base / v) if isinstance(v, str) and v and not Path(v).is_absolute() else v

    raw = dict(raw)
    if isinstance(raw.get("data"), dict) and "path" in raw["data"]:
        raw["data"] = {**raw["data"], "path": fix(raw["data"]["path"])}
    cmp = raw.get("compare")
    if isinstance(cmp, dict) and cmp.get("key") == "data.path" and isinstance(cmp.get("values"), list):
        raw["compare"] = {**cmp, "values": [fix(v) for v in cmp["values"]]}
    if isinstance(raw.get("variants"), list):
        out = []
        for item in raw["variants"]:
            if isinstance(item, dict):
                item = dict(item)
                if "data.path" in item:
                    item["data.path"] = fix(item["data.path"])
                if isinstance(item.get("data"), dict) and "path" in item["data"]:
                    item["data"] = {**item["data"], "path": fix(item["data"]["path"])}
            out.append(item)
        raw["variants"] = out
    return raw


def parse_toml(text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # message carries "(at line L, column C)"
        raise UnreadableFile(f"TOML syntax error: {exc}") from None
    except RecursionError:
        raise UnreadableFile("TOML nested too deeply to read") from None


def read_scenario_file(path: Path) -> dict:
    """The parsed table of a scenario file, its relative data paths resolved."""
    raw = parse_toml(read_scenario_text(path))
    if not raw:
        raise UnreadableFile("the file holds no settings (empty); start from `gradviz new NAME`")
    return resolve_data_paths(raw, path.resolve().parent)


def toml_key(k: str) -> str:
    """A TOML key, quoted when dotted (a `[[variants]]` key like "model.depth")."""
    return f'"{k}"' if "." in k else k


def toml_value(v) -> str:
    """A Python scalar or list as a TOML value (infinities as inf/-inf)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v) if not (isinstance(v, float) and math.isinf(v)) else ("inf" if v > 0 else "-inf")
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} as TOML")
