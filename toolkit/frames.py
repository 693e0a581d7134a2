"""DataFrames for notebooks: the records ``toolkit classify`` writes, as pandas frames.

pandas is an optional dependency (``pip install 'toolkit[frames]'``), imported only here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from toolkit.errors import ToolkitError


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ToolkitError("DataFrames need pandas: pip install 'toolkit[frames]'") from None
    return pandas


def _model(model):
    from toolkit.themes.classifier import cached_model

    if model is None or isinstance(model, (str, Path)):
        return cached_model(model)
    return model


def classify_frame(df, text: str = "text", model=None, level: str = "paragraph"):
    """Code the text in column ``text`` of ``df``, each row an article (or a single paragraph).

    ``level="paragraph"``: one row per paragraph, with ``row`` (the index label of ``df`` it came
    from) and the columns of :func:`toolkit.themes.classifier.record_columns`. ``level="document"``: one
    row per row of ``df``, with ``df``'s index. Empty texts get empty labels rather than an error.
    """
    from toolkit.themes.classifier import LEVELS, classify_document, record_columns
    from toolkit.text.reading import document_from_text

    pd = _pandas()
    if text not in df.columns:
        raise ToolkitError(f"text={text!r}: no such column (columns: {', '.join(map(str, df.columns))})")
    if level not in LEVELS:
        raise ToolkitError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    loaded = _model(model)
    names = [name for name, _ in record_columns(loaded.classes, level)]
    rows, index = [], []
    for label, value in df[text].items():
        value = "" if value is None or (isinstance(value, float) and value != value) else str(value)
        if not value.strip():
            if level == "document":
                rows.append({"path": None, "doc": str(label)})
                index.append(label)
            continue
        result = classify_document(document_from_text(value, name=str(label)), loaded)
        result.path = str(label)
        for row in result.rows(level):
            rows.append(row if level == "document" else {"row": label, **row})
            index.append(label)
    if level == "document":
        return pd.DataFrame(rows, columns=names, index=pd.Index(index, name=df.index.name))
    return pd.DataFrame(rows, columns=["row", *names])


def classify_paths(paths: Iterable[str], model=None, level: str = "paragraph"):
    """Read and code files, folders or globs (as ``toolkit classify`` does) into one DataFrame.

    Unreadable files raise :class:`~toolkit.errors.InputError` naming them.
    """
    from toolkit.themes.classifier import classify_file, record_columns
    from toolkit.text.reading import iter_sources

    pd = _pandas()
    loaded = _model(model)
    rows = [row for source in iter_sources(list(paths)) for row in classify_file(source, loaded).rows(level)]
    return pd.DataFrame(rows, columns=[name for name, _ in record_columns(loaded.classes, level)])
