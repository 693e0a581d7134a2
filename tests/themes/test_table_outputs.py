"""The column fast paths of classify's outputs give the bytes of the plain paths (issue 13e):
:func:`toolkit.records.rounded` is ``round``, :meth:`DocumentResult.table` is :meth:`rows`,
:func:`json_table` is :func:`json_lines`, ``serialize(..., table=)`` is ``serialize`` without it,
and a serial run's drift budget leaves the monitor's counts as they were."""

from __future__ import annotations

import functools
import json
import math
import random

import pytest

from toolkit.records import json_lines, json_table, rounded


@pytest.fixture(scope="module")
def model(repo_dir):
    from toolkit.themes.classifier import load_model

    return load_model(repo_dir / "models" / "theme.skops")


def test_rounded_is_round():
    rng = random.Random(13)
    values = [rng.random() for _ in range(20000)] + [rng.uniform(-5e4, 5e4) for _ in range(2000)]
    values += [k / 1e4 + 5e-5 for k in range(-300, 300)]  # halves, ties and near-ties
    values += [0.12345, 0.00005, 0.99995, 1.00005, 2.5e-5, 0.0, -0.0, 1.0, -1e-9, 1e-300, 5e-324,
               1e15, -1e15, 1e16, 1.7976931348623157e308, math.inf, -math.inf, math.nan]
    values += [math.nextafter(v, d) for v in (0.12345, 0.00005, 0.99995) for d in (0.0, 1.0)]
    for digits in (4, 0, 2, 6):
        got, want = rounded(values, digits), [round(v, digits) for v in values]
        assert list(map(repr, got)) == list(map(repr, want))  # repr: -0.0 and nan compared too
        assert all(type(v) is float for v in got)
    mixed = [1, 0.5, True, 0.12345]  # not all floats: round itself, types kept
    assert list(map(repr, rounded(mixed))) == list(map(repr, [round(v, 4) for v in mixed]))
    assert rounded([]) == []


def test_json_table_is_json_lines():
    records = [{"a": i, "b": i / 7, "c": None if i % 2 else "x\"\n中", "d%s": [i], "e": math.nan if i == 3 else 1.5}
               for i in range(6)]
    keys, columns = list(records[0]), [list(column) for column in zip(*(r.values() for r in records))]
    assert json_table(keys, columns) == json_lines(records)
    assert json_table(keys, [[] for _ in keys]) == "" == json_lines([])
    # float columns: probabilities (reprs looked up), zeros of either sign, other floats, one string throughout
    floats = [[0.0, 0.5, 0.0001, 1.0], [0.0, -0.0, 0.25], [-0.0], [0.12345, 0.5], [1e-5, 2.0, 0.0], [0.3, math.inf],
              [0.1 + 0.2, 0.3]]
    for column in floats:
        records = [{"p": v, "s": "同"} for v in column]
        assert json_table(["p", "s"], [column, ["同"] * len(column)]) == json_lines(records)
        assert json_lines(records) == "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _results(model, seed_docs, tmp_path):
    from toolkit.themes.classifier import classify_document, classify_text
    from toolkit.themes.results import DocumentResult, ParagraphResult

    odd = tmp_path / "odd.txt"
    odd.write_text("标题\n\n村里开会。\n\nThe village committee met 3 times.\n\n１２３。\n\n記者 張三 攝\n", encoding="utf-8")
    results = [classify_document(doc, model) for doc in seed_docs.values()]
    results.append(classify_text(odd.read_text(encoding="utf-8"), model, name="<stdin>"))
    hand = DocumentResult("hand", None, [ParagraphResult("hand", 0, "b", 0.12345, {"a": 0.87655, "b": 0.12345}, None, "x"),
                                          ParagraphResult("hand", 1, "a", 1, {"a": 1}, "byline", "y")], ["a", "b"])
    return results + [hand, DocumentResult("empty", "e.txt", [], ["a", "b"])]


def test_table_is_rows(model, seed_docs, tmp_path):
    for result in _results(model, seed_docs, tmp_path):
        for level in ("paragraph", "document"):
            rows = result.rows(level)
            keys, columns = result.table(level)
            assert [dict(zip(keys, row)) for row in zip(*columns)] == rows
            assert repr([list(zip(keys, row)) for row in zip(*columns)]) == repr([list(r.items()) for r in rows])
            assert json_table(keys, columns) == json_lines(rows)


def test_serialize_from_the_table_writes_the_same_bytes(model, seed_docs, tmp_path):
    from toolkit.cli.render import serialize
    from toolkit.themes.results import DocumentResult, record_columns

    for result in _results(model, seed_docs, tmp_path):
        for level in ("paragraph", "document"):
            columns = record_columns(result.labels, level)
            rows = functools.partial(DocumentResult.rows, level=level)
            table = functools.partial(DocumentResult.table, level=level)
            for fmt in ("jsonl", "csv"):
                plain = serialize(result, fmt, rows, columns)
                fast = serialize(result, fmt, rows, columns, table=table)
                assert fast.text == plain.text and fast.rows == plain.rows


def test_a_drift_budget_leaves_the_counts_as_they_were(model, seed_docs):
    from toolkit.coding.drift import DriftMonitor, PairBudget
    from toolkit.themes.classifier import classify_document

    results = [classify_document(doc, model) for doc in seed_docs.values()] * 3
    for sample in (3000, 100, 7, 1, 0):
        plain = DriftMonitor.for_model(model, vocabulary_sample=sample)
        budgeted = DriftMonitor.for_model(model, vocabulary_sample=sample)
        budget = PairBudget(sample)
        for result in results:
            plain.add(plain.count(result))
            counts = budgeted.count(result, budget=budget)
            assert len(counts[4]) <= max(0, sample - budgeted.sampled_)
            budgeted.add(counts)
        assert vars(budgeted) == vars(plain) and budgeted.message() == plain.message()
        assert budget.left == max(0, sample - plain.sampled_)
