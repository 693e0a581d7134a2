"""Every command's output goes through :func:`emit`: one place that knows the formats.

A command hands ``emit`` its results (an iterable, streamed: each is written as it arrives) and
says how to see one result as

- ``rows``: flat records with the fixed ``columns`` (csv, xlsx, parquet; and jsonl/json unless
  ``records`` is given), the same columns in the same order for every result;
- ``records``: JSON-ready objects (json, jsonl) when they keep more structure than rows;
- ``text``: a function writing the readable view to a stream (text), and ``markdown`` (md);
- ``html``: a function returning one self-contained page for the result (``toolkit report``).

Formats follow pandas' and Excel's conventions: CSV is UTF-8 with a BOM wherever it goes, cells
that a spreadsheet would run as a formula (``= + - @``, tab, CR) are made inert with a leading
``'``; xlsx (openpyxl) stores text as text; parquet (pyarrow) has typed columns. ``-o`` picks the
format from its extension; an unknown extension is an error. Adding a format touches this package
and the Enum of the commands that offer it.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import IO, Any, Callable, Iterable, Sequence

from toolkit.errors import ToolkitError
from toolkit.records import json_line, json_lines, json_table


class TableFormat(str, Enum):
    """Formats of commands whose results are records (classify, summarize)."""

    text = "text"
    csv = "csv"
    jsonl = "jsonl"
    json = "json"
    xlsx = "xlsx"
    parquet = "parquet"


class ReportFormat(str, Enum):
    """Formats of commands that print one report (evaluate, model show, experiments)."""

    text = "text"
    md = "md"
    json = "json"


class PageFormat(str, Enum):
    """Formats of a command that writes one page (report): the page itself, or its data."""

    html = "html"
    json = "json"


SUFFIXES = {
    ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".xlsx": "xlsx",
    ".parquet": "parquet", ".txt": "text", ".md": "md", ".html": "html", ".htm": "html",
}
BINARY = {"xlsx", "parquet"}
#: Formats meant for a file, not a terminal (a page of markup is unreadable there).
NOT_FOR_TERMINAL = BINARY | {"html"}
EXTRAS = {"parquet": ("pyarrow", "parquet")}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Columns = Sequence[tuple[str, str]]  # (name, type): type is str, int, float or bool


def choose_format(fmt: Enum | None, output: Path | None, choices: type[Enum]) -> Enum:
    """``fmt`` when given, else the one ``output``'s extension names, else text."""
    if fmt is not None:
        return fmt
    if output is None or str(output) == "-":
        return choices("text")
    name = SUFFIXES.get(output.suffix.lower())
    allowed = [c.value for c in choices]
    if name is None or name not in allowed:
        known = ", ".join(s for s, f in SUFFIXES.items() if f in allowed)
        raise ToolkitError(f"{output}: unknown output extension {output.suffix or '(none)'!r}; "
                           f"use one of {known}, or give --format")
    return choices(name)


def check_output(output: Path | None, inputs: Iterable[str] = (), force: bool = False) -> None:
    """Refuse an output that is one of the run's inputs, or an existing file without ``force``.

    FIFOs and devices are written in place and never count as existing files to protect.
    """
    if output is None or str(output) == "-":
        return
    from toolkit.files import is_special, same_file

    for source in inputs:
        if source != "-" and same_file(output, source):
            raise ToolkitError(f"{output}: is an input of this run; write the output elsewhere")
    if output.is_dir():
        raise ToolkitError(f"{output}: is a directory; give a file name to write to")
    if output.exists() and not is_special(output) and not force:
        raise ToolkitError(f"{output}: exists; not replacing it (pass --force to replace it)")


def inert(value: Any) -> Any:
    """A text cell that Excel or LibreOffice would run as a formula, with a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def emit(
    results: Iterable[Any],
    fmt: Enum,
    output: Path | None = None,
    *,
    rows: Callable[[Any], list[dict]] | None = None,
    columns: Columns | None = None,
    records: Callable[[Any], Iterable[dict]] | None = None,
    text: Callable[[Any, IO[str]], None] | None = None,
    markdown: Callable[[Any], str] | None = None,
    html: Callable[[Any], str] | None = None,
    keep_if_empty: bool = False,
    counts: Callable[[Any], bool] | None = None,
) -> int:
    """Write every result in ``fmt`` to ``output`` (atomically; a FIFO or device in place) or to
    standard output, and return how many results there were.

    ``text`` writes one result as text; when it also has ``close(stream)`` (a table that needs
    every row first), that is called after the last result.

    With no result at all (none for which ``counts`` is true, when given) and ``keep_if_empty``
    false, an existing output file is left as it was.
    """
    from toolkit.files import open_output

    name = fmt.value
    if name in EXTRAS:
        _require(*EXTRAS[name])
    if name in NOT_FOR_TERMINAL:
        if (output is None or str(output) == "-") and sys.stdout.isatty():
            what = "binary" if name in BINARY else "a page for a browser"
            raise ToolkitError(f"--format {name} is {what}: give -o FILE.{name} or redirect standard output")
    count = 0
    with open_output(output, binary=name in BINARY) as stream:
        writer = _WRITERS[name](stream, columns, output is None or str(output) == "-")
        try:
            for result in results:
                count += 1 if counts is None or counts(result) else 0
                if isinstance(result, Serialized):  # a batch worker already wrote it (see serialize)
                    if result.text is not None:
                        stream.write(result.text)
                    else:
                        writer.add(result.rows)
                elif name == "text":
                    text(result, stream)
                elif name == "md":
                    stream.write(markdown(result))
                elif name == "html":
                    stream.write(html(result))
                elif name in ("json", "jsonl"):
                    items = records(result) if records is not None else (rows(result) if rows is not None else [result])
                    writer.add(items)
                else:
                    writer.add(rows(result))
                if name not in BINARY:
                    stream.flush()
            if not count and not keep_if_empty:
                raise _Nothing()
            if name == "text" and hasattr(text, "close"):  # a table printed once every row is in
                text.close(stream)
            writer.close()
        except BaseException:
            writer.discard()  # nothing half-written is flushed later, e.g. when collected
            raise
    return count


@dataclass
class Serialized:
    """One result already in the output format, made by :func:`serialize` in a batch worker:
    ``text`` for csv and jsonl (exactly what :func:`emit` would write), else its ``rows``."""

    text: str | None = None
    rows: list[dict] | None = None


def serialize(result: Any, fmt: str, rows: Callable[[Any], list[dict]], columns: Columns,
              table: Callable[[Any], tuple[list[str], list[list]]] | None = None) -> Serialized:
    """``result`` as :func:`emit` writes it in ``fmt`` with ``rows``/``columns`` (no ``records``,
    ``text`` or ``markdown`` views): a picklable step for batch workers (``functools.partial``).
    ``table``, when given, is ``rows`` as ``(keys, columns)`` (e.g. :meth:`DocumentResult.table`):
    jsonl and csv are then written from the columns, the same bytes without a dict per row."""
    if table is not None and fmt in ("jsonl", "csv"):
        keys, values = table(result)
        if fmt == "jsonl":
            return Serialized(json_table(keys, values))
        import csv
        import io

        buffer = io.StringIO()
        by_key = dict(zip(keys, values))
        n = len(values[0]) if values else 0
        cells = [list(map(_csv_cell, by_key.get(name, [None] * n))) for name, _ in columns]
        csv.writer(buffer, lineterminator="\n").writerows(zip(*cells))
        return Serialized(buffer.getvalue())
    items = rows(result)
    if fmt == "jsonl":
        return Serialized(json_lines(items))
    if fmt == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        names = [name for name, _ in columns]
        for item in items:
            writer.writerow([_csv_cell(item.get(name)) for name in names])
        return Serialized(buffer.getvalue())
    return Serialized(rows=items)


class _Nothing(Exception):
    """Raised inside the output block so an existing output file stays as it was."""


def nothing_written(exc: BaseException) -> bool:
    return isinstance(exc, _Nothing)


def _require(module: str, extra: str) -> None:
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise ToolkitError(f"this format needs {module}: pip install 'toolkit[{extra}]'")


class _Writer:
    def __init__(self, stream, columns: Columns | None, to_stdout: bool):
        self.stream, self.columns, self.to_stdout = stream, columns, to_stdout

    def add(self, items: Iterable[dict]) -> None:
        pass

    def close(self) -> None:
        pass

    def discard(self) -> None:
        """Drop what was written: the output is not renamed into place."""


class _Jsonl(_Writer):
    def add(self, items):
        for item in items:
            self.stream.write(json_line(item) if isinstance(item, dict) else json.dumps(item, ensure_ascii=False) + "\n")


class _Json(_Writer):
    """A JSON array of the records (pandas.read_json(orient="records")); one object for a report."""

    def __init__(self, *args):
        super().__init__(*args)
        self.items: list = []

    def add(self, items):
        self.items.extend(items)

    def close(self):
        data = self.items[0] if self.columns is None and len(self.items) == 1 else self.items
        self.stream.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


class _Csv(_Writer):
    def __init__(self, *args):
        import csv

        super().__init__(*args)
        self.stream.write("\ufeff")  # Excel reads UTF-8 only with a BOM; pandas' utf-8-sig drops it
        self.names = [name for name, _ in self.columns]
        self.writer = csv.writer(self.stream, lineterminator="\n")
        self.writer.writerow(self.names)

    def add(self, items):
        for item in items:
            self.writer.writerow([_csv_cell(item.get(name)) for name in self.names])


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    return inert(value)


class _Xlsx(_Writer):
    """One sheet, a header row; text cells are stored as text (never formulas)."""

    def __init__(self, *args):
        from openpyxl import Workbook

        super().__init__(*args)
        self.book = Workbook(write_only=True)
        self.sheet = self.book.create_sheet("results")
        self.names = [name for name, _ in self.columns]
        self.sheet.append(self.names)

    def add(self, items):
        from openpyxl.cell import WriteOnlyCell

        for item in items:
            row = []
            for name in self.names:
                value = item.get(name)
                if isinstance(value, str):
                    cell = WriteOnlyCell(self.sheet, value=value)
                    cell.data_type = "s"  # text, even when it starts with "="
                    row.append(cell)
                else:
                    row.append(value)
            self.sheet.append(row)

    def close(self):
        self.book.save(self.stream)


class _Parquet(_Writer):
    """Typed columns; one row group per batch of results."""

    TYPES = {"str": "string", "int": "int64", "float": "float64", "bool": "bool_"}

    def __init__(self, *args):
        import pyarrow as pa
        import pyarrow.parquet as pq

        super().__init__(*args)
        self.schema = pa.schema([(name, getattr(pa, self.TYPES[kind])()) for name, kind in self.columns])
        self.writer = pq.ParquetWriter(self.stream, self.schema)
        self.pending: list[dict] = []

    def add(self, items):
        self.pending.extend(items)
        if len(self.pending) >= 10_000:
            self._flush()

    def _flush(self):
        import pyarrow as pa

        if self.pending:
            self.writer.write_table(pa.Table.from_pylist(self.pending, schema=self.schema))
            self.pending = []

    def close(self):
        self._flush()
        self.writer.close()

    def discard(self):
        try:
            self.writer.close()  # before its stream closes; else pyarrow does it when collected, and fails
        except Exception:
            pass


_WRITERS = {
    "text": _Writer, "md": _Writer, "html": _Writer, "json": _Json, "jsonl": _Jsonl, "csv": _Csv, "xlsx": _Xlsx, "parquet": _Parquet,
}


def text_report(render: Callable[[Any], str]) -> dict:
    """``emit`` arguments for a report the library already lays out as plain text (md: a code block)."""
    return {
        "text": lambda data, stream: stream.write(render(data).rstrip("\n") + "\n"),
        "markdown": lambda data: "```\n" + render(data).rstrip("\n") + "\n```\n",
    }


def echo_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
