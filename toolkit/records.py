"""Flat records as JSON lines, byte for byte what ``json.dumps(record, ensure_ascii=False)`` writes,
several times faster: classify writes one line per paragraph, and ``json.dumps`` spends most of its
time setting up an encoder for each small dict. Values that are not str, None, bool, int or a
finite float go through ``json.dumps`` itself (a test compares the two on every column type).

:func:`json_lines` goes further for what classify writes, a document's records all with the same
keys: it encodes them a *column* at a time (one ``map`` of a C encoder over a column whose values
are all str, all int or all finite floats) and fills one ``%``-template per key order, so no Python
code runs per value.
"""

from __future__ import annotations

import json
import math
from itertools import groupby
from json.encoder import encode_basestring
from typing import Any, Iterable, Sequence

_KEYS: dict[str, str] = {}  # key -> '"key": ', the same few keys on every line


def json_value(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return int.__repr__(value)
    if kind is float and math.isfinite(value):
        return float.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def _key(key: str) -> str:
    prefix = _KEYS.get(key)
    if prefix is None:
        prefix = _KEYS[key] = encode_basestring(key) + ": "
    return prefix


def json_line(record: dict) -> str:
    """``json.dumps(record, ensure_ascii=False) + "\\n"`` for a dict with string keys."""
    parts = []
    for key, value in record.items():
        if type(key) is not str:
            return json.dumps(record, ensure_ascii=False) + "\n"
        parts.append(_key(key) + json_value(value))
    return "{" + ", ".join(parts) + "}\n"


def _json_column(values: Sequence) -> list[str]:
    """:func:`json_value` of each of ``values``, by one C-level ``map`` when they share a plain type."""
    kinds = set(map(type, values))
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind is str:
            return list(map(encode_basestring, values))
        if kind is float:
            if math.isfinite(sum(values)):  # else some value is nan or ±inf (or they overflow): json.dumps
                return list(map(float.__repr__, values))
        elif kind is int:
            return list(map(int.__repr__, values))
    return list(map(json_value, values))


def json_lines(records: Iterable[dict]) -> str:
    """:func:`json_line` of each record, joined; runs of records with the same keys in the same
    order are encoded a column at a time (see the module's docstring)."""
    out: list[str] = []
    for keys, group in groupby(records, key=tuple):
        group = list(group)
        if not keys or any(type(key) is not str for key in keys):
            out.extend(map(json_line, group))
            continue
        template = "{" + ", ".join(_key(key).replace("%", "%%") + "%s" for key in keys) + "}\n"
        columns = [_json_column(column) for column in zip(*(record.values() for record in group))]
        out.extend(map(template.__mod__, zip(*columns)))
    return "".join(out)
