"""toolkit: theme coding and summaries for Chinese articles on rural development and Party building.

The public API is imported lazily so that ``import toolkit`` (and ``toolkit --help``) stays cheap:
scikit-learn and jieba's dictionary are loaded only by the functions that need them.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "read_document",
    "document_from_text",
    "load_model",
    "classify_text",
    "classify_document",
    "summarize_text",
    "summarize_document",
    "classify_frame",
    "classify_paths",
]

_LAZY = {
    "read_document": "toolkit.text.reading",
    "document_from_text": "toolkit.text.reading",
    "load_model": "toolkit.themes.classifier",
    "classify_text": "toolkit.themes.classifier",
    "classify_document": "toolkit.themes.classifier",
    "summarize_text": "toolkit.summaries",
    "summarize_document": "toolkit.summaries",
    "classify_frame": "toolkit.frames",
    "classify_paths": "toolkit.frames",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
