"""One scenario -> its output folder: run (or reuse) the simulation for the
scenario's kind, draw the figures and animations, write the README.

The CLI calls :func:`produce`; nothing here parses arguments or prints.
"""
from __future__ import annotations

import os
from pathlib import Path

from .atomic import write_text
from .manifest import OutputFolder, safe_name
from .record import Recording, RecordingError
from .progress import drawing_phase
from .scenario import Scenario, ScenarioError


def check_render_names(sc: Scenario) -> None:
    """Unknown figure or animation names, before any simulation runs."""
    if sc.kind == "precision":
        return  # precision figures are [precision].experiments
    from .animations import ANIMATIONS
    from .figures import FIGURES

    for key, registry in (("figures", FIGURES), ("animations", ANIMATIONS)):
        for i, name in enumerate(getattr(sc.render, key)):
            if name not in registry:
                raise ScenarioError(f"$.render.{key}[{i}]", f"expected one of {', '.join(registry)}; "
                                    f"found {name!r}")


def run(sc: Scenario, progress=None):
    """What ``sc`` computes, computed now (nothing is written; callers run
    :func:`gradviz.preflight.preflight` first): kind = training, every variant
    trained -> Recording; surface, the optimizer race -> Recording; precision,
    the float-precision experiments -> ``{experiment: data}``. ``progress`` as
    the engine takes it (precision has none: a few milliseconds of numpy)."""
    if sc.kind == "precision":
        from .numerics import experiment_data

        return experiment_data(sc.precision.experiments, a=sc.precision.a, b=sc.precision.b)
    if sc.kind == "surface":
        from .engine.surfaces import race

        return race(sc, progress=progress)
    from .engine.simulation import simulate

    return simulate(sc, progress=progress)


def load_or_run(sc: Scenario, rec_path: Path, rerun: bool, progress=None, notify=None) -> Recording:
    """The saved Recording when its simulation settings match, else a new run.

    A saved file that cannot be read (corrupt, empty, a newer format, a zip
    bomb) is reported through ``notify`` and simulated again.
    """
    if os.path.lexists(rec_path) and not rerun:
        try:
            saved = Recording.load(rec_path)
        except RecordingError as exc:
            saved = None
            if notify:
                notify(f"{sc.name}: {exc}; simulating again")
        if saved is not None and saved.meta.get("simulation_hash") == sc.simulation_hash():
            if notify:
                notify(f"{sc.name}: reusing {rec_path} (simulation unchanged; --rerun to redo)")
            return saved
    rec = run(sc, progress=progress)
    rec.save(rec_path)
    return rec


def produce(sc: Scenario, out: Path, rerun: bool = False, progress=None, notify=None,
            source: str | None = None) -> list[Path]:
    """Write everything for ``sc`` into ``out``; return the paths written.

    ``out`` is locked for the render and only files gradviz wrote there (its
    manifest) are ever replaced; ``source`` (the scenario file) must be the one
    the folder was written from. See :mod:`gradviz.manifest`.
    """
    safe_name(sc.name, "$")
    with OutputFolder(out, source).writing() as folder:
        for path in planned_files(sc, Path(out)):  # refuse before simulating, not after
            folder(path)
        return _produce(sc, Path(out), rerun, progress, notify)


def planned_files(sc: Scenario, out: Path) -> list[Path]:
    """The files a render of ``sc`` into ``out`` will write (figures under their usual names)."""
    r = sc.render
    fig_dir = out if r.lang == "en" else out / r.lang
    names = list(sc.precision.experiments) if sc.kind == "precision" else list(r.figures)
    paths = [out / "scenario.toml", out / "recording.npz", fig_dir / "README.md"]
    paths += [fig_dir / f"{n}.{f}" for n in names for f in r.formats]
    if sc.kind != "precision":
        from .animations import EXTENSIONS

        paths += [fig_dir / f"{n}{EXTENSIONS[f]}" for n in r.animations for f in r.animation_formats]
    return paths


def _produce(sc: Scenario, out: Path, rerun: bool, progress, notify) -> list[Path]:
    r = sc.render
    # figures of other languages go to a subfolder: one recording, several lessons
    fig_dir = out if r.lang == "en" else out / r.lang
    title, description, labels = sc.localized(r.lang)
    written = []
    scenario_path = write_text(out / "scenario.toml", sc.to_toml())
    verdicts_md = ""
    if sc.kind == "precision":
        if notify:  # drawing is a phase of its own on the CLI
            notify(drawing_phase(len(sc.precision.experiments), 0))
        outputs = _precision_outputs(sc, fig_dir)
    else:
        from .animations import render_animations
        from .figures import render_figures

        rec_path = out / "recording.npz"
        rec = load_or_run(sc, rec_path, rerun, progress, notify)
        written.append(rec_path)
        description, verdicts_md = _claims(sc, rec, description, notify)
        # draw with the labels and text of the scenario as it is now, in its language
        rec = Recording(rec.arrays, rec.axes, {**rec.meta, "labels": labels, "title": title,
                                               "description": description})
        if notify:  # drawing can take longer than a quick run: a phase of its own on the CLI
            notify(drawing_phase(len(r.figures), len(r.animations)))
        outputs = render_figures(rec, fig_dir, r.figures, formats=r.formats, size=r.size, dpi=r.dpi,
                                 lang=r.lang)
        outputs += render_animations(rec, fig_dir, list(r.animations), fmt=list(r.animation_formats), fps=r.fps,
                                     size=r.size, lang=r.lang)
    from .readme import write_readme

    readme = write_readme(fig_dir, outputs, title, description, lang=r.lang,
                          extra_sections=[verdicts_md.splitlines()] if verdicts_md else ())
    return [*written, scenario_path, *(o.path for o in outputs), readme]


def _claims(sc: Scenario, rec: Recording, description: str, notify) -> tuple[str, str]:
    """(description with its {claim:N} numbers filled in, the README's verdicts section);
    a failing claim is reported through ``notify`` (the CLI prints it on stderr)."""
    from .claims import as_markdown, evaluate_all, fill, of, texts

    verdicts = evaluate_all(of(sc), rec)
    for v in verdicts:
        if not v.passed and notify:
            notify(f"{sc.name}: warning: claim failed: {v.claim.text}")
    lang = sc.render.lang   # the README's section in its language: claim texts, labels, words
    return fill(description, verdicts, lang), as_markdown(verdicts, sc.localized(lang)[2], lang, texts(sc, lang))


def _precision_outputs(sc: Scenario, out: Path):
    from .figures.precision import render_precision

    return render_precision(run(sc), out, list(sc.precision.experiments), formats=sc.render.formats,
                            size=sc.render.size, dpi=sc.render.dpi, lang=sc.render.lang)
