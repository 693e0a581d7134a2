"""Agreement between coders: equal to the reference implementations, and read from real files."""

from __future__ import annotations

import json
import random

import krippendorff
import pytest
from sklearn.metrics import cohen_kappa_score
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.coding.agreement import agreement, compare_coders
from toolkit.coding.sheets import LabelProblems
from toolkit.themes.labels import read_labels

LABELS = ["ecology", "governance", "industry", "other", "talent"]


def recode(labels, keep, seed):
    """A second coder: keeps each code with probability ``keep``, else picks any label."""
    rng = random.Random(seed)
    return [x if rng.random() < keep else rng.choice(LABELS) for x in labels]


@pytest.fixture(scope="module")
def coded(repo_dir):
    return read_labels(repo_dir / "labels.csv").rows


@pytest.mark.parametrize("keep, seed", [(0.9, 0), (0.6, 1), (0.3, 2)])
def test_kappa_and_alpha_equal_the_references(coded, keep, seed):
    a = [r.label for r in coded]
    b = recode(a, keep, seed)
    result = agreement(a, b, n_boot=200)
    index = {label: i for i, label in enumerate(LABELS)}
    alpha = krippendorff.alpha(reliability_data=[[index[x] for x in a], [index[x] for x in b]],
                               level_of_measurement="nominal")
    assert result["n"] == len(a)
    assert result["agreement"] == pytest.approx(sum(x == y for x, y in zip(a, b)) / len(a))
    assert result["kappa"] == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
    assert result["alpha"] == pytest.approx(alpha, abs=1e-12)
    for name in ("agreement", "kappa", "alpha"):
        low, high = result["ci"][name]
        assert low <= result[name] <= high


def test_per_label_counts_and_specific_agreement():
    result = agreement(["a", "a", "b", "b"], ["a", "b", "b", "b"], n_boot=100)
    assert result["per_label"]["a"] == {"coder_a": 2, "coder_b": 1, "both": 1, "agreement": pytest.approx(2 / 3, abs=1e-4)}
    assert result["per_label"]["b"]["agreement"] == pytest.approx(0.8)
    assert result["confusion"]["matrix"] == [[1, 1], [0, 2]]


def test_one_label_used_by_both_has_no_kappa():
    assert agreement(["a", "a"], ["a", "a"], n_boot=100)["kappa"] is None


def write(path, rows, header=("doc", "text", "label")):
    import csv

    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_two_files_are_matched_by_doc_and_text_in_any_order(coded, tmp_path):
    seed_rows = [r for r in coded if r.is_seed]
    a = write(tmp_path / "a.csv", [(r.doc, r.text, r.label) for r in seed_rows])
    second = recode([r.label for r in seed_rows], 0.8, 3)
    # coder B's sheet: other column order, rows reversed, one extra row and one missing
    rows_b = [(l, r.doc, "  " + r.text) for r, l in zip(seed_rows, second)][1:][::-1] + [("industry", "x", "另一段。")]
    b = write(tmp_path / "b.csv", rows_b, header=("label", "doc", "text"))
    result = compare_coders(a, b, n_boot=200)
    assert result["n"] == len(seed_rows) - 1 and result["unmatched"] == {"a": 1, "b": 1}
    assert result["kappa"] == pytest.approx(cohen_kappa_score([r.label for r in seed_rows][1:], second[1:]))
    assert result["ci"]["resampled"] == "doc" and result["warnings"]


def test_the_model_as_a_coder_on_its_own_training_data_is_warned(repo_dir):
    from toolkit.themes.classifier import load_model

    from toolkit.files import sha256_file

    model = load_model(repo_dir / "models" / "theme.skops")
    labels = repo_dir / "labels.csv"
    result = compare_coders(labels, model=model, n_boot=100)
    assert result["coders"]["b"].startswith("model ") and result["n"] == len(read_labels(labels).rows)
    trained_on_it = sha256_file(labels) == model.card["training_data"]["sha256"]
    assert bool(result["warnings"]) == trained_on_it


def test_cli_json_keys_and_bad_files(coded, tmp_path):
    runner = CliRunner()
    seed_rows = [r for r in coded if r.is_seed][:40]
    a = write(tmp_path / "a.csv", [(r.doc, r.text, r.label) for r in seed_rows])
    b = write(tmp_path / "b.csv", [(r.doc, r.text, l) for r, l in zip(seed_rows, recode([r.label for r in seed_rows], 0.7, 4))])
    result = runner.invoke(app, ["labels", "agreement", str(a), str(b), "--format", "json", "--bootstrap", "100"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"n", "agreement", "kappa", "alpha", "per_label"} <= set(data) and data["n"] == 40
    text = runner.invoke(app, ["labels", "agreement", str(a), str(b), "--bootstrap", "100"])
    assert "Cohen's kappa" in text.stdout and "Krippendorff alpha" in text.stdout
    bad = write(tmp_path / "bad.csv", [("d", "一段。", ""), ("d", "两段。", "talent")])
    with pytest.raises(LabelProblems, match="row 2: empty label"):
        compare_coders(a, bad)
