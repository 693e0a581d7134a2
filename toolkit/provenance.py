"""What a model card and a run record say about where their figures came from.

One place for both, so a card and the run that produced it list the same packages and write
values the same way: figures are only comparable across runs when every package that can change
them is named (the tokenizers and the converter as much as scikit-learn), and a parameter must
read the same in the card as in the run record for anyone to match them.
"""

from __future__ import annotations

import math
import platform
from pathlib import Path
from typing import Any

#: Packages whose version can change a figure, a model file, or how input is read.
VERSIONED_PACKAGES = (
    "scikit-learn", "numpy", "scipy", "skops", "joblib", "jieba", "rjieba", "opencc", "charset-normalizer", "typer",
)


def library_versions() -> dict[str, str | None]:
    """Python, the toolkit and :data:`VERSIONED_PACKAGES`, from package metadata (nothing is imported).

    A package that is not installed is recorded as None rather than left out, so a reader can
    tell "not there" from "not asked about".
    """
    from importlib.metadata import PackageNotFoundError, version

    from toolkit import __version__

    versions: dict[str, str | None] = {"python": platform.python_version(), "toolkit": __version__}
    for package in VERSIONED_PACKAGES:
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    return versions


def json_safe(value: Any) -> Any:
    """``value`` as something :func:`json.dumps` writes as strict JSON, the same way every time.

    Numbers stay numbers (numpy scalars and arrays included; NaN and infinities become null,
    since strict JSON has no spelling for them), sets become sorted lists so a record does not
    change between two runs of the same code, classes are named by their dotted path, and anything
    else (an estimator, a tokenizer function) by its repr, which is what a reader wants to see.
    """
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (set, frozenset)):
        items = [json_safe(v) for v in value]
        try:
            return sorted(items)
        except TypeError:
            return sorted(items, key=repr)
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, type):  # before tolist: numpy.float64 the class has a tolist attribute too
        return f"{value.__module__}.{value.__qualname__}"
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return json_safe(value.tolist())
    return repr(value)
