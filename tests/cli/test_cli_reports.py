"""Commands that print one report (labels check, evaluate, model show, experiments, labels
agreement): --format text|md|json through one emit, and -o FILE written whole, never over an input
or, without --force, over an existing file."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.errors import ToolkitError

from tests.themes.test_labels import GOOD

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_labels_check_in_each_format(write_labels_file, tmp_path):
    path = write_labels_file(GOOD + [("written-industry-001", "冷库建成投用。", "industry")])
    text = invoke("labels", "check", path)
    assert text.exit_code == 0, text.output
    assert f"{path}: 11 rows" in text.stdout and "written-* (1 doc)" in text.stdout
    data = json.loads(invoke("labels", "check", path, "--format", "json").stdout)
    assert data["rows"] == 11 and data["ok"] is True and data["labels"]["industry"] == 3
    assert list(data["labels"]) == ["industry", "ecology", "governance", "other", "talent"]  # most rows first
    assert data["documents"][0] == {"doc": "a", "seed": True, "rows": 2, "labels": {"governance": 1, "industry": 1}}
    assert data["documents"][-1]["seed"] is False
    md = invoke("labels", "check", path, "-f", "md").stdout
    assert "| label | rows | share |" in md and "| industry | 3 | 27% |" in md


def test_labels_check_problems_still_go_to_stderr_with_exit_one(write_labels_file):
    path = write_labels_file(GOOD + [("f", "新建冷库。", "industy")])
    result = invoke("labels", "check", path, "-f", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["errors"] == ["row 12: unknown label 'industy' (did you mean 'industry'?)"]
    assert "error:" in result.stderr and "error:" not in result.stdout


@pytest.fixture
def report_commands(write_labels_file, model_path, repo_dir, tmp_path):
    """Each report command with its input file (the one -o must never replace)."""
    labels = write_labels_file(GOOD)
    coder_b = tmp_path / "coder_b.csv"
    coder_b.write_text(labels.read_text(encoding="utf-8").replace("other", "industry", 1), encoding="utf-8")
    return {
        "labels check": (["labels", "check", labels], labels),
        "labels agreement": (["labels", "agreement", labels, coder_b, "--bootstrap", "100"], coder_b),
        "evaluate": (["evaluate", "--test", labels, "--model", model_path], labels),
        "model show": (["model", "show", "--model", model_path, "--terms", "3"], model_path),
        "experiments list": (["experiments", "list", "--root", repo_dir / "experiments"], None),
        "experiments show": (["experiments", "show", "default", "--root", repo_dir / "experiments"], None),
        "experiments compare": (["experiments", "compare", "both", "default", "--root", repo_dir / "experiments",
                                 "--bootstrap", "200"], None),
    }


@pytest.mark.parametrize("name", ["labels check", "labels agreement", "evaluate", "model show", "experiments list",
                                  "experiments show", "experiments compare"])
def test_report_commands_write_to_o_like_classify(name, report_commands, tmp_path):
    args, source = report_commands[name]
    out = tmp_path / "report.md"
    first = invoke(*args, "-o", out)
    assert first.exit_code == 0, first.output
    written = out.read_text(encoding="utf-8")
    assert first.stdout == "" and written.strip()
    assert written.startswith("```") or "|---" in written  # markdown (a table or a code block), from the extension

    out.write_text("keep me", encoding="utf-8")
    again = invoke(*args, "-o", out)
    assert isinstance(again.exception, ToolkitError) and "exists; not replacing it" in str(again.exception)
    assert out.read_text(encoding="utf-8") == "keep me"

    as_json = tmp_path / "report.json"
    assert invoke(*args, "-o", as_json).exit_code == 0
    json.loads(as_json.read_text(encoding="utf-8"))
    assert invoke(*args, "-o", as_json, "--force", "-f", "text").exit_code == 0
    assert not as_json.read_text(encoding="utf-8").startswith("{")  # --format wins over the extension

    if source is not None:
        before = source.read_bytes()
        over = invoke(*args, "-o", source, "-f", "json", "--force")
        assert isinstance(over.exception, ToolkitError) and "is an input of this run" in str(over.exception)
        assert source.read_bytes() == before
