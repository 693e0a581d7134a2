"""labels suggest: uncertain, spread, no near-duplicates, furniture skipped; a sheet Excel opens."""

from __future__ import annotations

import csv

import numpy as np
import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.cli.render.labels import SHEET_COLUMNS as SHEET
from toolkit.coding.suggest import select, suggest_paragraphs

SHEET_COLUMNS = tuple(name for name, _ in SHEET)


@pytest.fixture(scope="module")
def model(repo_dir):
    from toolkit.themes.classifier import load_model

    return load_model(repo_dir / "models" / "theme.skops")


def test_select_prefers_uncertain_and_skips_near_duplicates():
    texts = ["合作社销售额突破百万元带动农户增收致富"] * 3 + ["村党支部召开会议研究网格化治理工作方案",
                                              "县里组织第一书记培训班提升履职能力水平", "退耕还林种草治理沙化土地改善生态环境"]
    proba = np.array([[0.4, 0.35, 0.25]] * 3 + [[0.9, 0.05, 0.05], [0.5, 0.45, 0.05], [0.34, 0.33, 0.33]])
    chosen = select(texts, proba, ["a", "b", "c", "d", "e", "f"], 4)
    assert len(chosen) == 4
    assert sum(i in (0, 1, 2) for i in chosen) == 1  # the same paragraph three times is suggested once
    # by uncertainty alone the most uncertain comes first; density favours the repeated paragraph
    assert select(texts, proba, list("abcdef"), 4, density_power=0)[0] == 5
    assert select(texts, proba, list("abcdef"), 2, exclude=[texts[5]])[0] != 5  # already coded


def test_select_spreads_over_documents():
    rng = np.random.default_rng(0)
    words = list("农业合作社党支部治理人才培训生态环境保护种植养殖旅游电商就业干部")
    texts = ["".join(rng.choice(words, 30)) for _ in range(60)]
    proba = rng.dirichlet([1, 1, 1, 1, 1], size=60)
    proba[:40] = [0.3, 0.3, 0.2, 0.1, 0.1]  # one document is uncertain throughout
    docs = ["big"] * 40 + [f"d{i}" for i in range(20)]
    chosen = select(texts, proba, docs, 10)
    assert sum(docs[i] == "big" for i in chosen) <= 2  # a fair share: ceil(2 * 10 / 21)


def test_suggest_on_the_seeds_skips_furniture_and_coded_paragraphs(model, seed_docs):
    documents = list(seed_docs.values())
    suggestions = suggest_paragraphs(documents, model, 20)
    assert len(suggestions) == 20
    kinds = {(d.path or d.name, p.index): p.kind for d in documents for p in d.paragraphs}
    assert all(kinds[(s.doc, s.paragraph)] == "body" for s in suggestions)
    assert len({s.doc for s in suggestions}) >= 4
    assert all(s.suggested in model.classes and 0 < s.confidence <= 1 for s in suggestions)
    again = suggest_paragraphs(documents, model, 20, exclude=[s.text for s in suggestions])
    assert not {s.text for s in again} & {s.text for s in suggestions}


def test_cli_writes_a_sheet_that_trains_once_coded(seeds_dir, repo_dir, tmp_path, monkeypatch):
    """The whole loop on files: suggest, code (here: the known codes), train beside a base file."""
    from tests.labels_files import write_labels
    from toolkit.themes.labels import read_labels

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    sheet = tmp_path / "to_code.csv"
    result = runner.invoke(app, ["labels", "suggest", str(seeds_dir), "-n", "12", "-o", str(sheet),
                                 "--model", str(repo_dir / "models" / "theme.skops")])
    assert result.exit_code == 0, result.output
    raw = sheet.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel shows Chinese
    with open(sheet, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == SHEET_COLUMNS and len(rows) == 12 and all(r["label"] == "" for r in rows)

    known = {" ".join(r.text.split()): r.label for r in read_labels(repo_dir / "labels.csv").rows}
    for r in rows:
        r["label"] = known[" ".join(r["text"].split())]
    with open(sheet, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=SHEET_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    base = tmp_path / "base.csv"
    write_labels(base, [r for r in read_labels(repo_dir / "labels.csv").rows if not r.is_seed][::3])
    result = runner.invoke(app, ["train", "--labels", str(base), "--labels", str(sheet), "--weight", f"{sheet}=3",
                                 "--model", str(tmp_path / "m" / "theme.skops"), "--no-record",
                                 "--set", "evaluation.repeats=1", "--set", "evaluation.folds=2"])
    assert result.exit_code == 0, result.output
    assert f"{sheet}: 12 rows, weight 3" in result.stdout
