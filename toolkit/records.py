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
from itertools import groupby, repeat
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


_SHORT_FLOATS: dict[float, str] = {}


def _short_floats() -> dict[float, str]:
    """``float.__repr__`` of 0, 0.0001, …, 1 (probabilities rounded to 4 places), built once: a
    lookup costs a fraction of formatting the shortest repr of a float."""
    if not _SHORT_FLOATS:
        _SHORT_FLOATS.update((k / 1e4, float.__repr__(k / 1e4)) for k in range(10001))
    return _SHORT_FLOATS


def _json_column(values: Sequence) -> list[str]:
    """:func:`json_value` of each of ``values``, by one C-level ``map`` when they share a plain type."""
    kinds = set(map(type, values))
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind is str:
            if values.count(values[0]) == len(values):  # one string throughout (a path): encoded once
                return [encode_basestring(values[0])] * len(values)
            return list(map(encode_basestring, values))
        if kind is float:
            short = list(map(_short_floats().get, values))
            if None not in short and min(map(math.copysign, repeat(1.0), values)) > 0:
                return short  # every value one of the cached, and none negative (no -0.0 taken for 0.0)
            if math.isfinite(sum(values)):  # else some value is nan or ±inf (or they overflow): json.dumps
                return list(map(float.__repr__, values))
        elif kind is int:
            return list(map(int.__repr__, values))
    return list(map(json_value, values))


def rounded(values: Sequence, digits: int = 4) -> list:
    """``[round(v, digits) for v in values]``, the same floats, computed on a numpy array: where
    ``v * 10**digits`` lies clearly off a half (not within 1e-6 of one, the product's error being
    under 1e-11 for values of magnitude up to 1e4), its nearest integer ``n`` is the one ``round``'s
    correctly rounded decimal has, and ``n / 10**digits`` (a division of two exact doubles) is the
    double nearest that decimal, which is what ``round`` returns. The rest (near-ties, huge or
    non-finite values) and anything not all Python floats go through ``round`` itself."""
    import numpy as np

    values = list(values)
    if not values or set(map(type, values)) != {float} or not 0 <= digits <= 15:
        return [round(v, digits) for v in values]
    scale = float(10 ** digits)
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = np.array(values, dtype=np.float64) * scale
        nearest = np.rint(scaled)
        clear = (np.abs(np.abs(scaled - nearest) - 0.5) > 1e-6) & (np.abs(scaled) < 1e15)
    out = (nearest / scale).tolist()
    if not clear.all():
        for i in np.flatnonzero(~clear).tolist():
            out[i] = round(values[i], digits)
    return out


def json_table(keys: Sequence[str], columns: Sequence[Sequence]) -> str:
    """:func:`json_lines` of the records ``dict(zip(keys, row))`` for each row of ``columns`` (one
    list of values per key, all as long), without building the records: the columns are encoded as
    they are (string keys, each once)."""
    if not columns or not len(columns[0]):
        return ""
    if len(set(keys)) != len(keys) or any(type(key) is not str for key in keys):
        return json_lines(dict(zip(keys, row)) for row in zip(*columns))
    template = "{" + ", ".join(_key(key).replace("%", "%%") + "%s" for key in keys) + "}\n"
    return "".join(map(template.__mod__, zip(*[_json_column(column) for column in columns])))


def json_lines(records: Iterable[dict]) -> str:
    """:func:`json_line` of each record, joined; runs of records with the same keys in the same
    order are encoded a column at a time (see the module's docstring)."""
    out: list[str] = []
    for keys, group in groupby(records, key=tuple):
        group = list(group)
        if not keys or any(type(key) is not str for key in keys):
            out.extend(map(json_line, group))
        else:
            out.append(json_table(keys, list(zip(*(record.values() for record in group)))))
    return "".join(out)
