"""The `gradviz` command: click commands, exit codes, progress bar, nothing else.

Exit codes: 0 ok, 1 scenario or content error, 2 usage error, 130 interrupted.
Every option of a command can also come from the environment:
GRADVIZ_<COMMAND>_<OPTION>, e.g. GRADVIZ_RENDER_LANG=ro (click's auto_envvar_prefix).
"""
from __future__ import annotations

# Signals first, before the imports below (a second or more of numpy, click and
# friends): from here on Ctrl-C or SIGTERM ends any command with one line.
import os
import signal
import sys
import time

INTERRUPTED = "interrupted: files already written are complete, nothing is half-written"
_RUNNING: list[bool] = []  # a command is running (its with-blocks clean up on the way out)
_SIGNALLED: list[float] = []  # when the first SIGINT/SIGTERM of this command arrived
_GRACE_SECONDS = 2.0  # repeats this soon after the first are ignored: the clean-up under way finishes


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: temporary files are removed on the way out."""


def _on_signal(signum, frame):
    """SIGINT or SIGTERM. Before a command runs (imports, parsing) nothing is
    being written: the process ends at once. While one runs: raise in the main
    thread (which only waits while the engine trains on worker threads, so
    this is at once) and :meth:`Main.invoke` says so once the with-blocks
    have removed their temporary files and released their locks."""
    if not _RUNNING:
        _SIGNALLED.append(time.monotonic())
        os.write(2, f"\n{INTERRUPTED}\n".encode())
        _exit_interrupted(143 if signum == signal.SIGTERM else 130)
    now = time.monotonic()
    if _SIGNALLED and now - _SIGNALLED[0] < _GRACE_SECONDS:
        return  # a second Ctrl-C must not cut short the removal of temporary files
    _SIGNALLED[:] = [now]
    raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


def _exit_interrupted(code: int) -> None:
    """Exit with ``code`` after an interrupt. After a real signal the process
    ends at once (os._exit): the with-blocks have unwound (temporary files
    removed, lock released) and the interpreter's teardown would add seconds
    (numba and matplotlib loaded, an abandoned worker still inside a kernel).
    An interrupt raised in-process (a test runner) exits normally."""
    if _SIGNALLED:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def _catch_signals() -> dict:
    """SIGINT and SIGTERM to :func:`_on_signal`; the previous handlers, to put back."""
    try:
        return {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: its signals are not ours
        return {}


def _release(previous: dict) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler)


_IMPORTING = _catch_signals()  # put back at the end of this module; Main.main catches them again

from pathlib import Path  # noqa: E402

import click  # noqa: E402

from . import __version__  # noqa: E402
from .record import Recording  # noqa: E402
from .names import FIGURE_FORMATS, LANGUAGES, did_you_mean  # noqa: E402
from .atomic import OutputError  # noqa: E402
from .bundled import bundled_scenarios, resolve  # noqa: E402
from .claims import ClaimError  # noqa: E402
from .limits import LimitError  # noqa: E402
from .outputs import check_render_names  # noqa: E402
from .progress import Progress, no_color  # noqa: E402
from .record import RecordingError  # noqa: E402
from .preview import preview_claims, quick  # noqa: E402
from .scenario import ScenarioError, load_scenario  # noqa: E402

_USER_ERRORS = (ScenarioError, LimitError, OutputError, RecordingError, ClaimError)


class Main(click.Group):
    """The ``gradviz`` group: every command's Ctrl-C and SIGTERM handled in one place."""

    def main(self, *args, **kwargs):
        _SIGNALLED.clear()
        previous = _catch_signals()
        try:
            return super().main(*args, **kwargs)
        finally:
            _release(previous)

    def invoke(self, ctx):
        _RUNNING.append(True)
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:  # honoured at once (engine/parallel.py); files are written atomically
            click.echo(f"\n{INTERRUPTED}", err=True)
            _exit_interrupted(143 if isinstance(exc, Terminated) else 130)
        finally:
            _RUNNING.clear()


def _fail(message: str, path: Path | None = None) -> None:
    if path is not None and not message.startswith(str(path)):
        message = f"{path}: {message}"  # which file, when several are given
    click.secho(f"error: {' '.join(message.split())}", fg="red", err=True,  # always one line
                color=False if no_color() else None)
    sys.exit(1)


def _resolve(path_or_name: str, say=None) -> Path:
    """A scenario path, ./NAME.toml or the bundled NAME (gradviz.bundled); none is a usage error."""
    try:
        return resolve(path_or_name, say)
    except ScenarioError as exc:
        raise click.BadParameter(str(exc).split(": ", 1)[1], param_hint="SCENARIO") from None


def _complete_scenarios(ctx, param, incomplete: str):
    """Bundled names and ./*.toml for shell completion; paths left to the shell."""
    from click.shell_completion import CompletionItem

    if os.sep in incomplete or incomplete.startswith("."):
        return [CompletionItem(incomplete, type="file")]
    names = {*bundled_scenarios(), *(p.stem for p in Path(".").glob("*.toml"))}
    return [CompletionItem(n) for n in sorted(names) if n.startswith(incomplete)]


def _complete_langs(ctx, param, incomplete: str):
    return [lang for lang in LANGUAGES if lang.startswith(incomplete)]


def _complete_formats(ctx, param, incomplete: str):
    """A comma-separated list: complete its last item."""
    done, _, last = incomplete.rpartition(",")
    head = f"{done}," if done else ""
    taken = set(done.split(","))
    return [head + f for f in FIGURE_FORMATS if f.startswith(last) and f not in taken]


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "GRADVIZ"})
@click.version_option(__version__, prog_name="gradviz")
def main():
    """gradviz: see how gradients and numbers behave inside deep networks."""


@main.command()
@click.argument("scenarios", nargs=-1, required=True, shell_complete=_complete_scenarios)
@click.option("--out", "out_root", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
              envvar="GRADVIZ_RENDER_OUT", show_default=True, show_envvar=True, help="Folder that receives outputs/<scenario-stem>/.")
@click.option("--formats", shell_complete=_complete_formats, show_envvar=True,
              help="Figure formats, e.g. png,svg,pdf (default: the scenario's).")
@click.option("--lang", shell_complete=_complete_langs, show_envvar=True,
              help=f"Language of labels and captions: {', '.join(LANGUAGES)}.")
@click.option("--rerun", is_flag=True, show_envvar=True,
              help="Simulate again even if a matching recording.npz exists.")
@click.option("--quick", is_flag=True, show_envvar=True,
              help="Shrink steps, widths and samples for a fast preview, written to OUT/NAME-quick/.")
@click.option("--force", is_flag=True, show_envvar=True,
              help="Render even above the resource limits (README: Safety and limits).")
def render(scenarios, out_root, formats, lang, rerun, quick, force):
    """Simulate SCENARIO (a .toml path, ./NAME.toml, or a bundled name) and draw its figures."""
    say = lambda msg: click.echo(msg, err=True)  # noqa: E731
    for name in scenarios:
        _render_one(_resolve(name, say), out_root, formats, lang, rerun, quick, force)
    update_gallery(out_root, say)   # OUT/index.html: every lesson in OUT


def _render_one(path: Path, out_root: Path, formats, lang, rerun, make_quick, force=False) -> None:
    from .outputs import produce
    from .preflight import preflight

    try:
        sc = load_scenario(path)
        if make_quick:
            sc = preview_claims(quick(sc), lambda msg: click.echo(msg, err=True))
        sc = _with_render_options(sc, formats, lang)
        check_render_names(sc)
        preflight(sc, force=force)
    except _USER_ERRORS as exc:
        _fail(str(exc), path)
    start = time.perf_counter()
    progress = Progress(sc.name, file=sys.stderr, unit="variant" if sc.kind == "surface" else "step")
    # a preview never overwrites the full run's recording and figures
    folder = out_root / (f"{sc.name}-quick" if make_quick else sc.name)
    try:
        paths = produce(sc, folder, rerun=rerun, progress=progress, notify=progress.note,
                        source=str(path.resolve()))
    except _USER_ERRORS as exc:
        _fail(str(exc))
    finally:
        progress.close()
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
@click.argument("scenarios", nargs=-1, required=True, shell_complete=_complete_scenarios)
def check(scenarios):
    """Validate SCENARIO files without running them: keys, figure and animation
    names, that the run records every array its figures need; print resource estimates."""
    from .preflight import preflight

    for name in scenarios:
        path = _resolve(name)
        try:
            sc = load_scenario(path)
            check_render_names(sc)
            est = preflight(sc)
        except _USER_ERRORS as exc:
            _fail(str(exc), path)
        click.echo(f"{path}: ok ({len(sc.variants)} variant{'s' * (len(sc.variants) != 1)}: "
                   f"{', '.join(v.label for v in sc.variants)}); {est.summary()}")


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
@click.argument("name", shell_complete=_complete_scenarios)
@click.argument("dest", required=False, type=click.Path(path_type=Path))
def new(name, dest):
    """Copy the bundled scenario NAME to DEST (default ./NAME.toml) for editing."""
    bundled = bundled_scenarios()
    if name not in bundled:
        raise click.BadParameter(f"no bundled scenario {name!r}{did_you_mean(name, bundled)}; "
                                 f"`gradviz list` shows them: {', '.join(bundled)}", param_hint="NAME")
    dest = dest or Path(f"{name}.toml")
    if dest.is_dir():
        dest = dest / f"{name}.toml"
    if os.path.lexists(dest):
        _fail(f"{dest} exists; not overwriting it")
    from .atomic import write_bytes

    try:
        write_bytes(dest, bundled[name].read_bytes())
    except OutputError as exc:
        _fail(str(exc))
    click.echo(str(dest))


@main.command()
@click.argument("recording", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--csv", "as_csv", is_flag=True, required=True, help="Write steps.csv and layers.csv (long form).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help="Folder (default: beside RECORDING).")
def export(recording, as_csv, out):
    """Export a recording.npz's scalar series as tidy CSV."""
    from .atomic import write_text

    try:
        rec = Recording.load(recording)
        out = out or recording.parent
        for fname, text in rec.to_csv().items():
            click.echo(str(write_text(out / fname, text)))
    except _USER_ERRORS as exc:
        _fail(str(exc))


@main.group()
def precision():
    """Explore float precision in the terminal (float16, bfloat16, float32, float64)."""


# "-1" is a number here, not an unknown option
@precision.command(context_settings={"ignore_unknown_options": True})
@click.argument("a")
@click.argument("b")
def add(a, b):
    """fl(A + B) in every format with its exact error, e.g. `add 1e10 1e-10`."""
    from .limits import check_decimal
    from .numerics import precision_add_table

    try:
        check_decimal(a, "A")
        check_decimal(b, "B")
        click.echo(precision_add_table(a, b))
    except (ValueError, ZeroDivisionError) as exc:
        raise click.BadParameter(str(exc), param_hint="A/B") from None


@precision.command()
def info():
    """Each format's constants: epsilon, smallest subnormal and normal, largest finite."""
    from .numerics import precision_info_table

    click.echo(precision_info_table())


from .verify import verify_command  # noqa: E402  (built from _resolve so verify.py need not import cli)
main.add_command(verify_command(_resolve, _fail))
from .gallery import gallery, update_gallery  # noqa: E402
main.add_command(gallery)
_release(_IMPORTING)


if __name__ == "__main__":  # pragma: no cover
    main()
