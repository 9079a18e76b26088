"""`gradviz verify`: simulate scenarios and check their lesson claims.

The command is built by :func:`verify_command` from cli.py's resolver of
scenario names, so this module does not import cli.py (no import cycle).
"""
from __future__ import annotations

import sys
import time

import click

from .claims import ClaimError, as_text, evaluate_all, of
from .limits import LimitError
from .outputs import run
from .preflight import preflight
from .preview import preview_claims, quick
from .scenario import ScenarioError, load_scenario


def check(sc) -> tuple[bool, str]:
    """(every claim holds, the verdicts as text) for one loaded scenario."""
    claims = of(sc)
    if not claims:
        return True, "  (no claims declared)"
    start = time.perf_counter()
    rec = run(sc)
    verdicts = evaluate_all(claims, rec)
    took = time.perf_counter() - start
    text = as_text(verdicts, [v.label for v in sc.variants])
    return all(v.passed for v in verdicts), f"{text}\n  ({rec.n_seeds} seed{'s' if rec.n_seeds != 1 else ''}, {took:.1f} s)"


def verify_command(resolve, fail):
    """The click command; ``resolve`` maps a name or path to a scenario path."""

    @click.command()
    @click.argument("scenarios", nargs=-1, required=True)
    @click.option("--quick", "make_quick", is_flag=True,
                  help="Check the shrunken preview (claims may fail: they are meant for full size).")
    def verify(scenarios, make_quick):
        """Simulate SCENARIO... and check each declared claim; exit 1 if any fails."""
        failed = []
        for name in scenarios:
            try:
                sc = load_scenario(resolve(name))
                if make_quick:  # a preview may not record a claim's step: read it at the last record
                    sc = preview_claims(quick(sc), lambda line: click.echo(line, err=True))
                preflight(sc, force=True)  # what render checks but the resource limits, as before
            except (ScenarioError, LimitError) as exc:  # LimitError: precision.a/b, whatever the force
                fail(str(exc))
            if sc.kind == "precision":
                click.echo(f"{sc.name}: no training, nothing to verify")
                continue
            try:
                ok, text = check(sc)
            except ClaimError as exc:  # e.g. a claim at a step the run does not record
                fail(f"{sc.name}: {exc}")
            click.echo(f"{sc.name}: {'PASS' if ok else 'FAIL'}\n{text}")
            if not ok:
                failed.append(sc.name)
        if failed:
            click.secho(f"claims failed in: {', '.join(failed)}", fg="red", err=True)
            sys.exit(1)

    return verify
