"""The seeds' outputs reach the user unchanged whichever route they take: the CLI (a fresh
``python -m toolkit`` process, JSON lines) and the library's public API (``toolkit.read_document``
then ``classify_document`` / ``summarize_document``) give the same records, and the library's
file-at-a-time route (:func:`toolkit.batch.run`) agrees with both. ``bench/same_outputs.py`` keeps
the byte-level check across a change (``--save`` before, ``--check`` after)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import toolkit

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def _cli_lines(*args: str) -> list[dict]:
    proc = subprocess.run([sys.executable, "-m", "toolkit", *args, "seeds/", "--format", "jsonl"],
                          cwd=REPO, capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.fixture(scope="module")
def documents():
    return [toolkit.read_document(f"seeds/{p.name}") for p in SEEDS]


def test_seeds_exist():
    assert len(SEEDS) >= 5


def test_classify_cli_equals_library(documents, monkeypatch):
    monkeypatch.chdir(REPO)
    cli = _cli_lines("classify")
    model = toolkit.load_model()
    library = [row for doc in documents for row in toolkit.classify_document(doc, model).rows("paragraph")]
    assert len(cli) == len(library) > 0
    for got, want in zip(cli, library):
        assert got == json.loads(json.dumps(want, ensure_ascii=False)), got.get("id")
    # the batch route (what the bench and the CLI's workers run) gives the same records in order
    from toolkit.batch import run

    batched = [row for outcome in run(lambda source: toolkit.classify_document(toolkit.read_document(source), model),
                                      [f"seeds/{p.name}" for p in SEEDS])
               for row in outcome.value.rows("paragraph")]
    assert batched == library


def test_summarize_cli_equals_library(documents, monkeypatch):
    monkeypatch.chdir(REPO)
    cli = _cli_lines("summarize")
    assert len(cli) == len(documents)
    for got, doc in zip(cli, documents):
        summary = toolkit.summarize_document(doc)
        want = json.loads(json.dumps(summary.to_dict(), ensure_ascii=False))
        assert got["doc"] == want["doc"]
        assert [s["text"] for s in got["sentences"]] == [s["text"] for s in want["sentences"]]
        assert got["keywords"] == want["keywords"]
        assert got == want
