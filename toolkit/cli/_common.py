"""What every command shares: one-line errors, the batch loop over inputs, and progress on stderr.

Command modules import only this and typer at module level; the library modules they call import
scikit-learn or jieba inside the command body, so ``toolkit --help`` never loads them.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Callable, Iterable, Iterator, TypeVar

import typer

T = TypeVar("T")


def error(message: str) -> None:
    typer.echo(f"error: {message}", err=True)


def warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


@contextmanager
def warnings_as_lines() -> Iterator[None]:
    """Show Python warnings raised inside the block as one ``warning: ...`` line each.

    The library warns through :mod:`warnings` (e.g. a model trained under another scikit-learn),
    whose default display adds a file name, a line number and the source line.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.showwarning = lambda message, *_args, **_kwargs: warn(str(message))
        yield


@contextmanager
def in_flags(settings: dict[str, str] | None = None, parameters: dict[str, str] | None = None) -> Iterator[None]:
    """Say a library error raised inside the block in the flags the user typed.

    The library names what it was given as its API does: a :class:`~toolkit.errors.SettingError`
    by the setting's word (``override model.C=abc: ...``; ``settings`` maps the word to the flag,
    ``{"override": "--set"}``), a sentence by the parameter (``model_path``,
    ``replace_shipped=True``; ``parameters`` maps those). Other errors pass through unchanged.
    """
    import re

    from toolkit.errors import SettingError, ToolkitError

    settings, parameters = settings or {}, parameters or {}
    try:
        yield
    except SettingError as exc:
        if exc.setting not in settings:
            raise
        raise ToolkitError(f"{settings[exc.setting]} {exc.value}: {exc.problem}") from None
    except ToolkitError as exc:
        if not parameters or getattr(exc, "problems", None):  # a list of problems keeps its lines
            raise
        names = sorted(parameters, key=len, reverse=True)
        message = re.sub(r"\b(" + "|".join(map(re.escape, names)) + r")\b", lambda m: parameters[m.group(1)], str(exc))
        if message == str(exc):
            raise
        raise ToolkitError(message) from None


def progress(items: Iterable[T], total: int | None, label: str) -> Iterator[T]:
    """A rich progress bar on stderr for batches, silent for one file or when stderr is no terminal."""
    if total is not None and total <= 1 or not sys.stderr.isatty():
        yield from items
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.console import Console

    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=Console(stderr=True), transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)


def expand_sources(paths: list[str]) -> tuple[list[str], int]:
    """Sources to read, and how many specs or paths already failed (reported here, one line each:
    a spec matching nothing, a folder that cannot be listed, a broken link)."""
    from toolkit.batch import expand_sources as expand

    sources, problems = expand(paths)
    for problem in problems:
        error(problem)
    return sources, len(problems)


class Batch:
    """:func:`toolkit.batch.run` over the sources, with a progress bar and the CLI's lines: a file
    that cannot be read is reported on one line and the batch goes on (``failed`` counts them);
    notes a result carries (replaced bytes, not Chinese) become warning lines."""

    def __init__(self, paths: list[str], work: Callable[[str], T], label: str = "working", jobs: int = 1,
                 scheduler: str | None = None, **settings):
        self.sources, self.failed = expand_sources(paths)
        self.work, self.label, self.jobs, self.scheduler, self.settings = work, label, jobs, scheduler, settings

    def __iter__(self) -> Iterator[T]:
        from toolkit.batch import run

        outcomes = run(self.work, self.sources, jobs=self.jobs, scheduler=self.scheduler, **self.settings)
        for outcome in progress(outcomes, len(self.sources), self.label):
            if outcome.error is not None:
                error(outcome.error)
                self.failed += 1
                continue
            result = outcome.value
            for note in getattr(result, "notes", None) or ():
                warn(f"{getattr(result, 'path', None) or getattr(result, 'doc', '?')}: {note}")
            yield result


# -- the options of commands that print one report (evaluate, model show, experiments, labels) --

OUTPUT_HELP = ("Write here instead of standard output (complete or not at all); .txt, .md or .json "
               "chooses the format unless --format is given.")


def output_option(help: str = OUTPUT_HELP):
    return typer.Option(None, "--output", "-o", metavar="FILE", show_default=False, help=help)


def force_option():
    return typer.Option(False, "--force", help="Replace an existing --output file.")


def report_format_option():
    return typer.Option(None, "--format", "-f", show_default=False,
                        help="Output format (default: from --output's extension, else text).")


def report_target(fmt, output: Path | None, inputs: Iterable[object] = (), force: bool = False):
    """A report's format, from ``fmt`` or ``output``'s extension, and ``output`` checked before any
    work is done: never one of ``inputs``, never an existing file without ``force``."""
    from toolkit.cli.render import ReportFormat, check_output, choose_format

    fmt = choose_format(fmt, output, ReportFormat)
    check_output(output, [str(path) for path in inputs if path is not None], force=force)
    return fmt
