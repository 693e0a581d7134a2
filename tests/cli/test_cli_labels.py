"""``toolkit labels check`` as a user runs it: exit codes and one line per problem."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from toolkit.cli import app

runner = CliRunner()


def test_check_prints_counts_and_exits_zero(write_labels_file):
    from tests.themes.test_labels import GOOD

    path = write_labels_file(GOOD)
    result = runner.invoke(app, ["labels", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert "10 rows" in result.output and "industry" in result.output


def test_problems_exit_one_with_a_line_each(write_labels_file):
    from tests.themes.test_labels import GOOD

    path = write_labels_file(GOOD + [("f", "", "industry"), ("f", "新建冷库。", "industy")])
    result = runner.invoke(app, ["labels", "check", str(path)])
    assert result.exit_code == 1
    lines = [l for l in result.stderr.splitlines() if l.startswith("error:")]
    assert lines == [
        f"error: {path}: row 12: empty text",
        f"error: {path}: row 13: unknown label 'industy' (did you mean 'industry'?)",
    ]


def test_help_does_not_load_sklearn_or_jieba():
    code = "import sys, toolkit.cli; print(any(m.split('.')[0] in ('sklearn', 'jieba', 'rjieba', 'opencc') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_python_dash_m_and_version():
    out = subprocess.run([sys.executable, "-m", "toolkit", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("toolkit ")
