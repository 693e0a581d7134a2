"""``toolkit experiments list|show|compare`` in all three formats, on runs recorded by record_run."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from sklearn.metrics import f1_score
from typer.testing import CliRunner

from toolkit.runs import store as ex
from toolkit.cli.render import experiments as render
from toolkit.cli._app import app
from toolkit.errors import ToolkitError
from toolkit.themes.labels import read_labels

from tests.runs.test_experiments import better_pair, errors_of, record, write_labels

runner = CliRunner()


@pytest.fixture
def runs(tmp_path, monkeypatch):
    """Three runs a minute apart (word < char < both by macro-F1), and one on an edited labels file."""
    minutes = iter(range(1, 10))
    monkeypatch.setattr(ex, "_utcnow", lambda: datetime(2026, 11, 23, 19, next(minutes), 0, tzinfo=timezone.utc))
    labels = read_labels(write_labels(tmp_path / "labels.csv"))
    root = tmp_path / "experiments"
    word_pred, both_pred = better_pair(labels)
    char_pred = errors_of(labels, {i for i, (w, g) in enumerate(zip(word_pred, labels.labels)) if w != g}
                          - set(range(0, 300, 5)))
    paths = {
        "word": record(root, labels, word_pred, name="word", analyzer="word", C=1.0),
        "char": record(root, labels, char_pred, name="char", analyzer="char"),
        "both": record(root, labels, both_pred, name="both", analyzer="both"),
    }
    edited = read_labels(write_labels(tmp_path / "labels-edited.csv", skip={0, 1, 2}, extra=4))
    paths["edited"] = record(root, edited, edited.labels, name="edited", analyzer="both")
    scores = {name: ex.load_run(p).macro_f1 for name, p in paths.items()}
    return {"root": root, "paths": paths, "labels": labels, "scores": scores,
            "f1": {"word": f1_score(labels.labels, word_pred, average="macro"),
                   "both": f1_score(labels.labels, both_pred, average="macro")}}


def invoke(*args: str):
    return runner.invoke(app, ["experiments", *args])


def md_tables(text: str) -> list[list[list[str]]]:
    """Each GitHub table in a markdown text as rows of cells (separator row dropped)."""
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            current.append([c.strip() for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])])
        elif current:
            tables.append(current)
            current = []
    for table in tables:
        assert all(len(row) == len(table[0]) for row in table), table
        assert set("".join(table[1])) <= set("-:")
        del table[1]
    return tables


# --------------------------------------------------------------------------------------------
# list


def test_list_text_orders_by_macro_f1_and_shows_differing_parameters(runs):
    result = invoke("list", "--root", str(runs["root"]))
    assert result.exit_code == 0, result.output
    out = result.stdout
    order = sorted(runs["paths"], key=lambda n: -runs["scores"][n])
    assert order[:3] == ["edited", "both", "char"] and order[3] == "word"
    positions = [out.index(runs["paths"][name].name) for name in order]
    assert positions == sorted(positions)
    for header in ("macro-F1", "accuracy", "features.analyzer", "model.C", "labels"):
        assert header in out
    assert "features.tokenizer" not in out and "model.classifier" not in out  # same in every run
    assert "different labels files" in out


def test_list_json_is_machine_readable(runs):
    result = invoke("list", "--root", str(runs["root"]), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [r["name"] for r in data["runs"]] == ["edited", "both", "char", "word"]
    assert data["differing_params"] == ["features.analyzer", "model.C"]
    word = data["runs"][-1]
    assert word["macro_f1"] == pytest.approx(runs["f1"]["word"])
    assert word["params"] == {"features.analyzer": "word", "model.C": 1.0}
    assert word["rows"] == 300 and word["labels_sha256"] == runs["labels"].sha256


def test_list_md_is_a_github_table(runs):
    result = invoke("list", "--root", str(runs["root"]), "--format", "md")
    assert result.exit_code == 0, result.output
    (table,) = md_tables(result.stdout)
    assert table[0][:5] == ["id", "created", "rows", "macro-F1", "accuracy"]
    assert table[0][-2:] == ["features.analyzer", "model.C"]
    assert [row[0].rsplit("-", 1)[1] for row in table[1:]] == ["edited", "both", "char", "word"]
    assert table[-1][-2:] == ["word", "1"]


def test_list_names_each_run_once_unless_its_folder_was_renamed(runs):
    header = next(line for line in invoke("list", "--root", str(runs["root"])).stdout.splitlines() if " id " in line)
    assert " name " not in header and " created " in header  # the id ends with the name already
    runs["paths"]["char"].rename(runs["paths"]["char"].with_name("renamed"))
    (table,) = md_tables(invoke("list", "--root", str(runs["root"]), "-f", "md").stdout)
    assert table[0][:2] == ["id", "name"] and ["renamed", "char"] in [row[:2] for row in table[1:]]


def test_list_of_an_empty_or_missing_root(tmp_path):
    (tmp_path / "experiments" / "configs").mkdir(parents=True)
    result = invoke("list", "--root", str(tmp_path / "experiments"))
    assert result.exit_code == 0 and "no runs in" in result.stdout
    assert json.loads(invoke("list", "--root", str(tmp_path / "experiments"), "-f", "json").stdout)["runs"] == []
    missing = invoke("list", "--root", str(tmp_path / "nowhere"))
    assert missing.exit_code == 1 and isinstance(missing.exception, ToolkitError)
    assert "nowhere: no such experiments directory" in str(missing.exception)


# --------------------------------------------------------------------------------------------
# show


def test_show_text_json_md(runs):
    root, both = str(runs["root"]), runs["paths"]["both"]
    text = invoke("show", both.name[:14], "--root", root)  # 20261123T1903 + Z: a unique prefix
    assert text.exit_code == 0, text.output
    assert f"run {both.name}" in text.stdout
    for piece in ("labels:", "300 rows", "versions:", "scikit-learn", "per class", "confusion", "talent",
                  "baseline: majority", "features.analyzer"):
        assert piece in text.stdout

    data = json.loads(invoke("show", "latest~1", "--root", root, "--format", "json").stdout)
    assert data["id"] == both.name
    assert data["metrics"]["macro_f1"] == pytest.approx(runs["f1"]["both"])
    assert data["run"]["labels"]["sha256"] == runs["labels"].sha256
    assert data["params"]["pipeline"]["clf__C"] == 4.0

    md = invoke("show", str(both), "--root", root, "--format", "md").stdout
    assert md.startswith(f"## run {both.name}\n")
    tables = md_tables(md)
    figures, per_class, confusion = tables[0], tables[1], tables[2]
    assert figures[0] == ["", "macro-F1", "sd", "accuracy", "seed macro-F1"]
    assert figures[1][0] == "model" and float(figures[1][1]) == pytest.approx(runs["f1"]["both"], abs=5e-4)
    assert figures[1][2] == "0.021"  # the spread over the three CV repeats
    assert per_class[0] == ["label", "precision", "recall", "F1", "support"] and len(per_class) == 6
    assert confusion[0][0] == "coded" and len(confusion) == 6
    assert sum(int(v) for row in confusion[1:] for v in row[1:]) == 300


def test_show_an_unknown_run_is_an_error(runs):
    result = invoke("show", "20251", "--root", str(runs["root"]))
    assert result.exit_code == 1 and "20251: no such run" in str(result.exception)


# --------------------------------------------------------------------------------------------
# compare


def test_compare_text(runs):
    word, both = runs["paths"]["word"].name, runs["paths"]["both"].name
    result = invoke("compare", word, both, "--root", str(runs["root"]))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "verdict: B is better than A beyond noise" in out
    assert "paired over 300 paragraphs of the same labels file" in out and "row by row" in out
    assert "95% CI of the change: +0." in out and "2000 resamples of documents (30), seed 0" in out
    assert "McNemar exact p < 0.001" in out
    for piece in ("parameters that differ", "features.analyzer", "model.C", "per class", "seed_macro_f1",
                  "baselines.cue_words.macro_f1", "confusion change"):
        assert piece in out


def test_compare_json_and_its_options(runs):
    root = str(runs["root"])
    word, both = runs["paths"]["word"].name, runs["paths"]["both"].name
    data = json.loads(invoke("compare", word, both, "--root", root, "--format", "json",
                             "--bootstrap", "500", "--seed", "7").stdout)
    assert data["verdict"] == "better" and data["summary"].startswith("B is better than A beyond noise")
    assert list(data)[-2:] == ["verdict", "summary"]  # the verdict in words, last, as the text shows it
    assert data["paired"]["resamples"] == 500 and data["paired"]["seed"] == 7
    assert data["paired"]["macro_f1_b"] - data["paired"]["macro_f1_a"] == pytest.approx(
        runs["f1"]["both"] - runs["f1"]["word"])
    assert data["paired"]["ci"][0] > 0
    assert {p["key"] for p in data["params"] if p["in_table"]} == {"features.analyzer", "model.C"}
    # latest~1 is "both"; B defaults to latest, the edited run, so it needs the override.
    again = json.loads(invoke("compare", word, "latest~1", "--root", root, "-f", "json",
                              "--bootstrap", "500", "--seed", "7").stdout)
    assert again["paired"]["ci"] == data["paired"]["ci"]
    by_doc = json.loads(invoke("compare", word, both, "--root", root, "-f", "json", "--resample", "doc").stdout)
    assert by_doc["paired"]["units"] == 30 and by_doc["paired"]["resample"] == "doc"
    # the library says "resamples 10"; the command names the flag that gave it
    few = invoke("compare", word, both, "--root", root, "--bootstrap", "10")
    assert str(few.exception).startswith("--bootstrap 10: use at least 100 resamples"), str(few.exception)


def test_compare_md(runs):
    char, both = runs["paths"]["char"].name, runs["paths"]["both"].name
    result = invoke("compare", char, both, "--root", str(runs["root"]), "--format", "md")
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert md.startswith(f"## A {char}  vs  B {both}\n")
    assert "- verdict: " in md
    tables = md_tables(md)
    params, metrics, per_class = tables[0], tables[1], tables[2]
    assert params == [["parameter", "A", "B"], ["features.analyzer", "char", "both"]]
    assert metrics[0] == ["metric", "A", "B", "change"] and metrics[1][0] == "macro_f1"
    assert per_class[0][0] == "label" and len(per_class) == 6


def test_compare_refuses_different_labels_files_in_one_line(runs):
    root = str(runs["root"])
    word, edited = runs["paths"]["word"].name, runs["paths"]["edited"].name
    env = {**os.environ, "COLUMNS": "200"}
    refused = subprocess.run([sys.executable, "-m", "toolkit", "experiments", "compare", word, edited,
                              "--root", root], capture_output=True, text=True, env=env)
    assert refused.returncode == 1
    assert refused.stdout == ""
    lines = refused.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {word} and {edited} were trained on different labels files")
    assert "--allow-different-labels compares the 297 paragraphs" in lines[0]

    allowed = invoke("compare", word, edited, "--root", root, "--allow-different-labels")
    assert allowed.exit_code == 0, allowed.output
    assert "paired over the 297 paragraphs coded the same way in both (A has 300, B has 301)" in allowed.stdout
    assert "60 → 61" in allowed.stdout  # the edited file has one more ecology paragraph


def test_compare_rejects_a_bad_format(runs):
    result = invoke("compare", "latest~1", "latest", "--root", str(runs["root"]), "--format", "xml")
    assert result.exit_code == 2


# --------------------------------------------------------------------------------------------
# Review fixes (issue 5)


def test_compare_refuses_a_run_against_itself(runs):
    root, both = str(runs["root"]), runs["paths"]["both"].name
    alone = invoke("compare", "latest", "--root", root)  # B defaults to latest
    assert alone.exit_code == 1 and isinstance(alone.exception, ToolkitError)
    message = str(alone.exception)
    assert "\n" not in message and message.startswith(f"A and B are the same run ({runs['paths']['edited'].name})")
    same = invoke("compare", both, both[:14], "--root", root)  # its id and a prefix of it
    assert same.exit_code == 1 and "same run" in str(same.exception)


def test_compare_resamples_documents_by_default_and_leaves_settings_out_of_the_metrics(runs):
    word, both = runs["paths"]["word"].name, runs["paths"]["both"].name
    result = invoke("compare", word, both, "--root", str(runs["root"]), "--format", "md")
    assert result.exit_code == 0, result.output
    assert "2000 resamples of documents (30), seed 0" in result.stdout
    assert "seed rows (300 paragraphs from real articles" in result.stdout
    metrics = md_tables(result.stdout)[1]
    assert metrics[0] == ["metric", "A", "B", "change"]
    names = {row[0] for row in metrics[1:]}
    assert {"macro_f1", "accuracy", "seed_macro_f1", "cv.macro_f1_std"} <= names
    assert not names & {"rows", "seed_rows", "cv.folds", "cv.repeats", "cv.seed"}
    by_paragraph = invoke("compare", word, both, "--root", str(runs["root"]), "--resample", "paragraph")
    assert "2000 resamples of paragraphs, seed 0" in by_paragraph.stdout


def test_run_help_lists_every_accepted_form_for_a_and_b():
    import typer.main

    group = typer.main.get_command(app).commands["experiments"]
    for command, params in (("compare", ("a", "b")), ("show", ("run",))):
        helps = {p.name: p.help for p in group.commands[command].params}
        for name in params:
            for form in ("run id", "unique id prefix", "run directory", "run name", "latest", "latest~N"):
                assert form in helps[name], (command, name, helps[name])


def test_the_help_text_names_the_forms_the_library_accepts():
    from toolkit.cli import experiments as cli

    assert cli.RUN_FORMS == ex.RUN_FORMS  # kept apart so that --help does not import the library


def test_a_file_given_as_root_is_not_a_directory(tmp_path):
    a_file = tmp_path / "experiments.txt"
    a_file.write_text("x", encoding="utf-8")
    result = invoke("list", "--root", str(a_file))
    assert result.exit_code == 1 and "experiments.txt: not a directory" in str(result.exception)


# --------------------------------------------------------------------------------------------
# Rendering


def test_markdown_tables_are_well_formed_and_escape_pipes():
    report = [render.Heading("run x"), render.Lines(["a | b"]),
              render.Table("params", ["parameter", "value"], [["pattern", "a|b"], ["ngram", "[1, 3]"]], numeric={1})]
    text = render.to_markdown(report)
    assert text.splitlines() == [
        "## run x", "", "- a \\| b", "", "**params**", "",
        "| parameter | value |", "|---|---:|", "| pattern | a\\|b |", "| ngram | [1, 3] |",
    ]


def test_terminal_tables_print_values_that_look_like_markup_verbatim():
    import io

    from rich.console import Console

    buffer = io.StringIO()
    report = [render.Table("params", ["parameter", "value"], [["features.char_ngram_range", "[1, 3]"],
                                                         ["style", "[bold]x[/bold]"]])]
    render.print_report(report, Console(file=buffer, width=120))
    out = buffer.getvalue()
    assert "[1, 3]" in out and "[bold]x[/bold]" in out
