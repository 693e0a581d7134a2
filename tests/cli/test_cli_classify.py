"""``toolkit classify``, ``train``, ``evaluate`` and ``model show`` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.themes import classifier as clf
from toolkit.themes import config as cfg
from toolkit.cli import app
from toolkit.errors import ToolkitError
from tests.labels_files import write_labels
from toolkit.themes.labels import read_labels

from tests.themes.test_classifier import OLD_SKLEARN, copy_model, plant_sklearn_version, shared_model

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture(scope="module")
def model_path(tmp_path_factory) -> Path:
    return shared_model(tmp_path_factory)


def classify(*args: str):
    return runner.invoke(app, ["classify", *args])


def jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_jsonl_has_every_paragraph_with_path_and_id(model_path, seeds_dir, seed_docs):
    result = classify(str(seeds_dir), "--model", str(model_path), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    records = jsonl(result.stdout)
    labels = clf.load_model(model_path).classes
    columns = [name for name, _ in clf.record_columns(labels)]
    assert all(list(r) == columns for r in records)  # one record type, same keys in the same order
    assert sorted({r["doc"] for r in records}) == sorted(seed_docs)
    for name, doc in seed_docs.items():
        paragraphs = [r for r in records if r["doc"] == name]
        assert {r["path"] for r in paragraphs} == {str(seeds_dir / name)}
        assert [r["id"] for r in paragraphs] == [f"{seeds_dir / name}#{p.index}" for p in doc.paragraphs]
        assert [p["text"] for p in paragraphs] == [p.text for p in doc.paragraphs]
        assert [p["boilerplate"] for p in paragraphs] == [p.kind if p.is_boilerplate else None for p in doc.paragraphs]
        for p in paragraphs:
            probabilities = {c: p[f"p_{c}"] for c in labels}
            assert p["label"] == max(probabilities, key=probabilities.get)
            assert p["confidence"] == max(probabilities.values())


def test_document_level_has_shares_only(model_path, seed_paths):
    result = classify(*map(str, seed_paths[:2]), "--model", str(model_path), "--level", "document", "-f", "jsonl")
    assert result.exit_code == 0, result.output
    records = jsonl(result.stdout)
    labels = clf.load_model(model_path).classes
    assert [r["path"] for r in records] == [str(p) for p in seed_paths[:2]]
    for r in records:
        assert sum(r[f"share_{c}"] for c in labels) == pytest.approx(1.0, abs=1e-3)
        assert r["chinese"] is True and r["replaced"] == 0 and "text" not in r


def test_csv_one_row_per_paragraph_with_bom(model_path, seed_paths, tmp_path):
    out = tmp_path / "coded.csv"
    result = classify(*map(str, seed_paths[:2]), "--model", str(model_path), "--output", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    labels = clf.load_model(model_path).classes
    assert list(rows[0]) == [name for name, _ in clf.record_columns(labels)]
    assert len(rows) == sum(len(read_paragraphs(p)) for p in seed_paths[:2])
    for row in rows:
        assert sum(float(row[f"p_{label}"]) for label in labels) == pytest.approx(1.0, abs=1e-3)
        assert row["label"] == max(labels, key=lambda l: float(row[f"p_{l}"]))


def test_table_is_readable_per_document(model_path, seed_paths):
    result = classify(str(seed_paths[2]), "--model", str(model_path))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(str(seed_paths[2])) and "paragraphs" in lines[0] and "%" in lines[0]
    assert lines[1].split() == ["#", "label", "conf", "text"]
    paragraphs = read_paragraphs(seed_paths[2])
    numbers = [l.split()[0] for l in lines[2:] if l.strip() and l.split()[0].isdigit() and l[:4].strip()]
    assert numbers == [str(p.index) for p in paragraphs]
    # long paragraphs wrap onto further lines instead of being cut
    longest = max(paragraphs, key=lambda p: len(p.text))
    assert len(longest.text) > 100 and longest.text[-10:] in "".join(l.strip() for l in lines)


def test_document_level_text_is_one_row_per_document(model_path, seeds_dir, seed_paths):
    """--level document --format text: the json rows as a table (document, paragraphs, each
    theme's share, main theme), not the paragraph tables."""
    result = classify(str(seeds_dir), "--model", str(model_path), "--level", "document", "--format", "text")
    assert result.exit_code == 0, result.output
    records = jsonl(classify(str(seeds_dir), "--model", str(model_path), "--level", "document", "-f", "jsonl").stdout)
    labels = clf.load_model(model_path).classes
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["document", "paragraphs", *labels, "main", "theme"]
    assert len(lines) == 1 + len(seed_paths) == 1 + len(records)
    for line, record in zip(lines[1:], records):
        assert line.split() == [record["path"], str(record["paragraphs"]),
                                *(f"{record[f'share_{c}']:.0%}" for c in labels), record["label"]]
    assert "conf" not in result.stdout


def read_paragraphs(path: Path):
    from toolkit.text.reading import read_document

    return read_document(str(path)).paragraphs


def test_bad_files_are_reported_and_the_rest_written_atomically(model_path, seed_paths, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "out.jsonl"
    result = classify(str(seed_paths[0]), str(empty), str(binary), str(seed_paths[1]),
                      "--model", str(model_path), "--output", str(out))
    assert result.exit_code == 1
    errors = [l for l in result.stderr.splitlines() if l.startswith("error:")]
    assert errors == [f"error: {empty}: empty file", f"error: {binary}: binary file, not text"]
    docs = list(dict.fromkeys(r["doc"] for r in jsonl(out.read_text(encoding="utf-8"))))
    assert docs == [seed_paths[0].name, seed_paths[1].name]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_nothing_classified_leaves_an_existing_output_alone(model_path, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("previous results\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    result = classify(str(tmp_path / "empty"), "--model", str(model_path), "--output", str(out), "--force")
    assert result.exit_code == 1
    assert "no .txt or .md files found" in result.stderr
    assert out.read_text(encoding="utf-8") == "previous results\n"


def test_parallel_jobs_give_the_same_output(model_path, seeds_dir, tmp_path):
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert classify(str(seeds_dir), "--model", str(model_path), "-o", str(one), "--jobs", "1").exit_code == 0
    assert classify(str(seeds_dir), "--model", str(model_path), "-o", str(two), "--jobs", "2").exit_code == 0
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")


def test_missing_model_is_one_line_and_exit_one(tmp_path, seed_paths):
    missing = tmp_path / "models" / "theme.skops"
    out = subprocess.run(
        [sys.executable, "-m", "toolkit", "classify", str(seed_paths[0]), "--model", str(missing)],
        capture_output=True, text=True,
    )
    assert out.returncode == 1 and out.stdout == ""
    assert out.stderr.strip().splitlines() == [
        f"error: {missing}: no model there; train one with: toolkit train --labels labels.csv --model {missing}"
    ]


def test_model_from_another_sklearn_version_is_one_warning_line(model_path, seed_paths, tmp_path):
    import sklearn

    model = copy_model(model_path, tmp_path / "models" / "theme.skops")
    plant_sklearn_version(model, OLD_SKLEARN)
    out = subprocess.run(
        [sys.executable, "-m", "toolkit", "classify", *map(str, seed_paths[:2]), "--model", str(model),
         "--format", "jsonl", "--jobs", "2"],
        capture_output=True, text=True,
    )
    assert out.returncode == 0, out.stderr
    [line] = out.stderr.splitlines()
    assert line.startswith(f"warning: {model}: trained with scikit-learn {OLD_SKLEARN}, running {sklearn.__version__}; ")
    assert line.endswith("retrain it with: toolkit train --labels labels.csv")
    documents = list(dict.fromkeys(r["doc"] for r in jsonl(out.stdout)))
    assert documents == [p.name for p in seed_paths[:2]]


@pytest.fixture(scope="module")
def small_labels_file(tmp_path_factory) -> Path:
    rows = read_labels(REPO / "labels.csv").rows
    keep = [r for i, r in enumerate(rows) if i % 6 == 0]
    path = tmp_path_factory.mktemp("train") / "labels.csv"
    write_labels(path, keep)
    return path


def test_train_writes_model_card_and_run_then_evaluate_and_show(small_labels_file, tmp_path, seed_paths):
    model = tmp_path / "models" / "theme.skops"
    experiments = tmp_path / "experiments"
    fast = ["--set", "evaluation.folds=3", "--set", "evaluation.repeats=1"]
    result = runner.invoke(app, ["train", "--labels", str(small_labels_file), "--model", str(model),
                                 "--experiments", str(experiments), "--name", "small", *fast])
    assert result.exit_code == 0, result.output
    assert "grouped CV macro-F1" in result.stdout and "cue words" in result.stdout
    runs = list(experiments.iterdir())
    assert len(runs) == 1 and runs[0].name.endswith("-small")
    card = json.loads(clf.card_path(model).read_text(encoding="utf-8"))
    assert card["run"] == runs[0].name
    metrics = json.loads((runs[0] / "metrics.json").read_text(encoding="utf-8"))
    assert metrics == json.loads(json.dumps(card["evaluation"]))
    params = json.loads((runs[0] / "params.json").read_text(encoding="utf-8"))
    assert params["evaluation.folds"] == 3 and params["features.analyzer"] == "char"
    assert params["pipeline"]["classifier__C"] == cfg.DEFAULT_CONFIG["model"]["C"]

    # evaluate: the same figures as JSON
    result = runner.invoke(app, ["evaluate", "--labels", str(small_labels_file), "--format", "json", *fast])
    assert result.exit_code == 0, result.output
    evaluated = json.loads(result.stdout)
    assert {"macro_f1", "accuracy", "per_class", "confusion", "baselines", "seed_macro_f1"} <= set(evaluated)
    assert evaluated["macro_f1"] == metrics["macro_f1"]  # same config, same seed: same figures
    # evaluate --test: the saved model on a held-out coded file
    result = runner.invoke(app, ["evaluate", "--test", str(small_labels_file), "--model", str(model)])
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.stdout and "majority" in result.stdout

    # model show: labels, training data, figures, 15 heaviest terms per theme
    result = runner.invoke(app, ["model", "show", "--model", str(model), "--format", "json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["labels"] == card["labels"] and shown["training_data"]["rows"] == card["training_data"]["rows"]
    assert set(shown["top_terms"]) == set(card["labels"]) and all(len(t) == 15 for t in shown["top_terms"].values())
    result = runner.invoke(app, ["model", "show", "--model", str(model)])
    assert result.exit_code == 0, result.output
    for label in card["labels"]:
        assert f"  {label}" in result.stdout
    assert "heaviest terms" in result.stdout and "grouped CV" in result.stdout


def test_failed_train_is_one_line_and_keeps_the_model(model_path, write_labels_file, tmp_path):
    model = copy_model(model_path, tmp_path / "theme.skops")
    before = model.read_bytes()
    labels = write_labels_file([("a", "合作社分红。", "industry"), ("b", "植树造林。", "ecology"), ("c", "养殖场扩建。", "industry")])
    out = subprocess.run(
        [sys.executable, "-m", "toolkit", "train", "--labels", str(labels), "--model", str(model), "--no-record"],
        capture_output=True, text=True,
    )
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {labels}: ") and "'ecology' has 1 example" in lines[0]
    assert model.read_bytes() == before


def test_bad_format_and_bad_override_are_errors(model_path, seed_paths):
    result = classify(str(seed_paths[0]), "--model", str(model_path), "--format", "xml")
    assert result.exit_code == 2 and "'xml' is not one of" in result.output
    result = runner.invoke(app, ["evaluate", "--set", "model.C=zero"])
    assert isinstance(result.exception, ToolkitError) and "model.C" in str(result.exception)


def test_bad_config_is_a_one_line_error_naming_the_key_or_file(tmp_path):
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text("[model]\nC = \n", encoding="utf-8")
    labels = tmp_path / "none.csv"  # never read: the configuration is checked first
    model = tmp_path / "theme.skops"
    for args, named, why in [
        (["--set", "model.C=abc"], "--set model.C=abc", "model.C should be a number"),
        (["--set", "features.analyser=char"], "--set features.analyser=char", "did you mean 'features.analyzer'?"),
        (["--config", str(bad_toml)], str(bad_toml), "not valid TOML"),
    ]:
        result = runner.invoke(app, ["train", "--labels", str(labels), "--model", str(model), "--no-record", *args])
        assert isinstance(result.exception, ToolkitError), result.output
        message = str(result.exception)
        assert message.startswith(f"{named}: ") and why in message and "\n" not in message
    assert not model.exists()


def test_library_settings_are_named_by_the_flags_given(tmp_path):
    """The library names a setting in its own words (override, weight, resamples); the command
    says the flag the user typed."""
    labels, model = tmp_path / "none.csv", tmp_path / "theme.skops"
    for command, named in [
        (["train", "--labels", str(labels), "--model", str(model), "--no-record", "--weight", "other.csv=2"],
         "--weight 'other.csv=2': other.csv is not one of the labels files"),
        (["train", "--labels", str(labels), "--model", str(model), "--no-record", "--set", "model.C"],
         "--set model.C: expected section.key=value"),
        (["evaluate", "--labels", str(labels), "--set", "modle.C=2"], "--set modle.C=2: unknown section 'modle'"),
        (["train", "--labels", str(labels), "--model", str(tmp_path / "theme.txt"), "--no-record"],
         f"{tmp_path / 'theme.txt'}: a model is saved to a file ending in .skops (--model)"),
    ]:
        result = runner.invoke(app, command)
        assert isinstance(result.exception, ToolkitError), result.output
        assert str(result.exception).startswith(named), str(result.exception)
    assert not model.exists()


def test_an_unreachable_scheduler_is_named_by_its_flag(monkeypatch, seed_paths):
    """batch.run says which scheduler it cannot reach; classify names it as --scheduler."""
    import distributed  # the test extra installs dask[distributed]

    def refuse(address, timeout=None, **_):
        raise OSError(f"Timed out trying to connect to {address}")

    monkeypatch.setattr(distributed, "Client", refuse)
    result = runner.invoke(app, ["classify", str(seed_paths[1]), "--scheduler", "tcp://127.0.0.1:9"])
    assert isinstance(result.exception, ToolkitError) and result.stdout == ""
    assert str(result.exception).startswith("--scheduler tcp://127.0.0.1:9: cannot reach the Dask scheduler (Timed out")
