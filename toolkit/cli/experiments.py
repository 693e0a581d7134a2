"""``toolkit experiments list|show|compare``: the recorded training runs, side by side."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from toolkit.cli._app import App, app
from toolkit.cli._common import force_option, in_flags, output_option, report_format_option, report_target
from toolkit.cli.render import ReportFormat as Format

experiments_app = App(
    help="Compare the training runs recorded under experiments/.", no_args_is_help=True
)
app.add_typer(experiments_app, name="experiments")

ROOT_HELP = "Directory holding the runs."
# The forms toolkit.runs.store.resolve_run accepts (RUN_FORMS there; a test keeps them in step),
# written out here so that --help does not import the library.
RUN_FORMS = ("run id, unique id prefix, run directory, run name (its latest run), "
             "'latest' or 'latest~N' (N runs before the latest)")
RUN_HELP = f"The run: {RUN_FORMS}."


class Resample(str, Enum):
    doc = "doc"
    paragraph = "paragraph"


def _emit(data: dict, build_report, fmt: Format, output: Optional[Path]) -> None:
    from toolkit.cli.render import emit
    from toolkit.cli.render import experiments as render

    emit([data], fmt, output, text=lambda d, stream: render.print_report(build_report(d), stream=stream),
         markdown=lambda d: render.to_markdown(build_report(d)))


@experiments_app.command("list")
def list_command(
    root: Path = typer.Option(Path("experiments"), "--root", metavar="DIR", help=ROOT_HELP),
    fmt: Optional[Format] = report_format_option(),
    output: Optional[Path] = output_option(),
    force: bool = force_option(),
) -> None:
    """One row per run, best macro-F1 first, with the parameters that differ between runs."""
    from toolkit.runs import comparison, store
    from toolkit.cli.render import experiments as render
    from toolkit.cli._common import warn

    fmt = report_target(fmt, output, force=force)
    runs = store.list_runs(root, on_problem=warn)
    _emit(comparison.overview(runs, root), render.overview_report, fmt, output)


@experiments_app.command("show")
def show_command(
    run: str = typer.Argument("latest", metavar="RUN", help=RUN_HELP),
    root: Path = typer.Option(Path("experiments"), "--root", metavar="DIR", help=ROOT_HELP),
    fmt: Optional[Format] = report_format_option(),
    output: Optional[Path] = output_option(),
    force: bool = force_option(),
) -> None:
    """One run: its labels, model, versions, figures per class, confusion matrix and parameters."""
    from toolkit.runs import comparison, store
    from toolkit.cli.render import experiments as render
    from toolkit.cli._common import warn

    fmt = report_target(fmt, output, force=force)
    record = store.resolve_run(root, run, on_problem=warn)
    _emit(comparison.details(record), render.details_report, fmt, output)


@experiments_app.command("compare")
def compare_command(
    a: str = typer.Argument(..., metavar="A", help=f"The run to compare against (A): {RUN_FORMS}."),
    b: str = typer.Argument("latest", metavar="B", help=f"The run under test (B), by default the latest: {RUN_FORMS}."),
    root: Path = typer.Option(Path("experiments"), "--root", metavar="DIR", help=ROOT_HELP),
    fmt: Optional[Format] = report_format_option(),
    output: Optional[Path] = output_option(),
    force: bool = force_option(),
    allow_different_labels: bool = typer.Option(
        False, "--allow-different-labels",
        help="Compare runs on different labels files, pairing only the paragraphs coded the same in both.",
    ),
    bootstrap: int = typer.Option(2000, "--bootstrap", metavar="N", help="Bootstrap resamples for the macro-F1 interval."),
    seed: int = typer.Option(0, "--seed", metavar="N", help="Seed of the bootstrap, so the interval is reproducible."),
    resample: Resample = typer.Option(
        Resample.doc, "--resample",
        help="Resample whole documents (paragraphs of one article are not independent, and cross-validation "
             "holds out whole documents), or single paragraphs.",
    ),
) -> None:
    """Parameter and metric changes from A to B, and whether B differs beyond noise (paired tests)."""
    from toolkit.runs import comparison, store
    from toolkit.cli.render import experiments as render
    from toolkit.cli._common import warn

    fmt = report_target(fmt, output, force=force)
    runs = store.list_runs(root, on_problem=warn) if root.is_dir() else None
    run_a = store.resolve_run(root, a, runs)
    run_b = store.resolve_run(root, b, runs)
    with in_flags({"resamples": "--bootstrap"}, {"allow_different_labels=True": "--allow-different-labels"}):
        result = comparison.compare_runs(
            run_a, run_b, allow_different_labels=allow_different_labels,
            resamples=bootstrap, seed=seed, resample=resample.value,
        )
    _emit(render.with_summary(result), render.comparison_report, fmt, output)
