"""The `gradviz` command: click commands, exit codes, progress bar, nothing else.

Exit codes: 0 ok, 1 scenario or content error, 2 usage error.
"""
from __future__ import annotations

import shutil
import sys
import time
from importlib import resources
from pathlib import Path

import click

from . import __version__
from .record import Recording
from .names import LANGUAGES
from .outputs import check_render_names
from .scenario import ScenarioError, load_scenario, quick


def _fail(message: str) -> None:
    click.secho(f"error: {message}", fg="red", err=True)
    sys.exit(1)


def bundled_scenarios() -> dict[str, Path]:
    """Name -> path of every scenario shipped with gradviz."""
    try:
        folder = resources.files("gradviz.scenarios")
    except ModuleNotFoundError:  # running from a source checkout: ../scenarios
        folder = Path(__file__).resolve().parent.parent / "scenarios"
    return {p.name[:-5]: Path(str(p)) for p in sorted(folder.iterdir(), key=lambda p: p.name)
            if p.name.endswith(".toml")}


def _resolve(path_or_name: str) -> Path:
    """A scenario path, or the name of a bundled scenario."""
    p = Path(path_or_name)
    if p.exists() or p.suffix == ".toml":
        return p
    bundled = bundled_scenarios()
    if path_or_name in bundled:
        return bundled[path_or_name]
    return p


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gradviz")
def main():
    """gradviz: see how gradients and numbers behave inside deep networks."""


@main.command()
@click.argument("scenarios", nargs=-1, required=True)
@click.option("--out", "out_root", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
              show_default=True, help="Folder that receives outputs/<scenario-stem>/.")
@click.option("--formats", help="Figure formats, e.g. png,svg,pdf (default: the scenario's).")
@click.option("--lang", help=f"Language of labels and captions: {', '.join(LANGUAGES)}.")
@click.option("--rerun", is_flag=True, help="Simulate again even if a matching recording.npz exists.")
@click.option("--quick", is_flag=True, help="Shrink steps, widths and samples for a fast preview.")
def render(scenarios, out_root, formats, lang, rerun, quick):
    """Simulate SCENARIO (a .toml path or a bundled name) and draw its figures."""
    try:
        for name in scenarios:
            _render_one(_resolve(name), out_root, formats, lang, rerun, quick)
        click.echo(str(write_gallery(out_root)))   # OUT/index.html, every lesson in OUT
    except KeyboardInterrupt:  # honoured between chunks of steps; files are written atomically
        click.echo("\ninterrupted: files already written are complete, nothing is half-written", err=True)
        sys.exit(130)


def _render_one(path: Path, out_root: Path, formats, lang, rerun, make_quick) -> None:
    from .outputs import produce

    try:
        sc = load_scenario(path)
        if make_quick:
            sc = quick(sc)
        sc = _with_render_options(sc, formats, lang)
        check_render_names(sc)
    except ScenarioError as exc:
        _fail(str(exc))
    start = time.perf_counter()
    with click.progressbar(length=1, label=f"{sc.name}: simulating", file=sys.stderr,
                           show_eta=True, show_percent=True) as bar:
        state = {"done": 0}

        def progress(done, total):
            if bar.length != total:
                bar.length = total
            bar.update(done - state["done"])
            state["done"] = done

        paths = produce(sc, out_root / sc.name, rerun=rerun, progress=progress,
                        notify=lambda msg: click.echo(msg, err=True))
    click.echo(f"{sc.name}: done in {time.perf_counter() - start:.1f} s", err=True)
    for p in paths:
        click.echo(str(p))


def _with_render_options(sc, formats, lang):
    from .scenario import parse

    raw = sc.to_dict()
    if formats:
        raw["render"]["formats"] = [f.strip() for f in formats.split(",") if f.strip()]
    if lang:
        raw["render"]["lang"] = lang
    if not (formats or lang):
        return sc
    try:
        return parse(raw, sc.name)
    except ScenarioError as exc:
        option = "--formats" if "formats" in exc.path else "--lang"
        raise click.BadParameter(str(exc).split(": ", 1)[1], param_hint=option) from None


@main.command()
@click.argument("scenarios", nargs=-1, required=True)
def check(scenarios):
    """Validate SCENARIO files without running them."""
    for name in scenarios:
        path = _resolve(name)
        try:
            sc = load_scenario(path)
            check_render_names(sc)
        except ScenarioError as exc:
            _fail(str(exc))
        click.echo(f"{path}: ok ({len(sc.variants)} variant{'s' * (len(sc.variants) != 1)}: "
                   f"{', '.join(v.label for v in sc.variants)})")


@main.command(name="list")
def list_():
    """List the bundled scenarios and their titles."""
    for name, path in bundled_scenarios().items():
        try:
            title = load_scenario(path).title
        except ScenarioError as exc:  # a broken bundled file must still be listed
            title = f"(invalid: {exc})"
        click.echo(f"{name:<24} {title}")


@main.command()
@click.argument("name")
@click.argument("dest", required=False, type=click.Path(path_type=Path))
def new(name, dest):
    """Copy the bundled scenario NAME to DEST (default ./NAME.toml) for editing."""
    bundled = bundled_scenarios()
    if name not in bundled:
        raise click.BadParameter(f"no bundled scenario {name!r}; `gradviz list` shows them: "
                                 f"{', '.join(bundled)}", param_hint="NAME")
    dest = dest or Path(f"{name}.toml")
    if dest.is_dir():
        dest = dest / f"{name}.toml"
    if dest.exists():
        _fail(f"{dest} exists; not overwriting it")
    shutil.copyfile(bundled[name], dest)
    click.echo(str(dest))


@main.command()
@click.argument("recording", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--csv", "as_csv", is_flag=True, required=True, help="Write steps.csv and layers.csv (long form).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Folder (default: beside RECORDING).")
def export(recording, as_csv, out):
    """Export a recording.npz's scalar series as tidy CSV."""
    try:
        rec = Recording.load(recording)
    except (OSError, ValueError, KeyError) as exc:
        _fail(f"{recording}: not a gradviz recording ({exc})")
    out = out or recording.parent
    out.mkdir(parents=True, exist_ok=True)
    for fname, text in rec.to_csv().items():
        (out / fname).write_text(text, encoding="utf-8")
        click.echo(str(out / fname))


@main.group()
def precision():
    """Explore float precision in the terminal (float16, bfloat16, float32, float64)."""


@precision.command()
@click.argument("a")
@click.argument("b")
def add(a, b):
    """fl(A + B) in every format with its exact error, e.g. `add 1e10 1e-10`."""
    from .numerics import precision_add_table

    try:
        click.echo(precision_add_table(a, b))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="A/B") from None


@precision.command()
def info():
    """Each format's constants: epsilon, smallest subnormal and normal, largest finite."""
    from .numerics import precision_info_table

    click.echo(precision_info_table())


from .gallery import gallery, write_gallery  # noqa: E402
main.add_command(gallery)

if __name__ == "__main__":  # pragma: no cover
    main()
