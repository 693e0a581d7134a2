"""Audit: planted wrong labels come out near the top."""

from __future__ import annotations

import csv
import json
import random
from dataclasses import replace

from typer.testing import CliRunner

from toolkit.themes import config as cfg
from toolkit.cli import app
from toolkit.coding.audit import audit_labels
from toolkit.themes.labels import LabelSet, read_labels


def test_thirty_flipped_labels_are_found_in_the_top_ninety(repo_dir):
    labels = read_labels(repo_dir / "labels.csv")
    rng = random.Random(7)
    # flip rows the model finds easy to label (written rows), so what the audit finds is the flip
    candidates = [i for i, r in enumerate(labels.rows) if not r.is_seed]
    flipped = set(rng.sample(candidates, 30))
    rows = list(labels.rows)
    for i in flipped:
        rows[i] = replace(rows[i], label=rng.choice([c for c in labels.classes if c != rows[i].label]))
    planted = LabelSet(labels.path, tuple(rows), "planted")
    config = cfg.resolve_config()
    config["evaluation"].update({"repeats": 1})
    suspects = audit_labels(planted, config)
    assert len(suspects) == len(rows)
    top = {s.row for s in suspects[:90]}
    found = len(top & {rows[i].row for i in flipped})
    assert found >= 15, found
    assert [s.score for s in suspects if s.flagged] == sorted((s.score for s in suspects if s.flagged), reverse=True)
    by_row = {r.row: r for r in rows}
    assert all(by_row[s.row].label == s.label and by_row[s.row].text == s.text for s in suspects[:90])


def test_cli_writes_csv_and_json_with_row_numbers(tmp_path, repo_dir):
    rows = read_labels(repo_dir / "labels.csv").rows[::5]
    path = tmp_path / "small.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label", "doc"])
        writer.writerows([(r.text, r.label, r.doc) for r in rows])
    runner = CliRunner()
    out = tmp_path / "audit.csv"
    result = runner.invoke(app, ["labels", "audit", str(path), "--top", "10", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == 10 and list(table[0])[:6] == ["row", "doc", "text", "label", "suggested", "score"]
    written = {i + 2: r for i, r in enumerate(rows)}  # row numbers as `labels check` counts them
    for line in table:
        assert written[int(line["row"])].text == line["text"]
    result = runner.invoke(app, ["labels", "audit", str(path), "--top", "3", "--format", "json"])
    data = json.loads(result.stdout)
    assert len(data) == 3 and {"row", "doc", "text", "label", "suggested", "score"} <= set(data[0])
    assert all(written[d["row"]].label == d["label"] for d in data)
