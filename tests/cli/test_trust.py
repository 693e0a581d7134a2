"""Issue #10: commands that lose nothing, outputs pandas and Excel read as meant, real files read."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from typer.testing import CliRunner

from toolkit.themes import classifier as clf
from toolkit.cli import app
from toolkit.errors import ToolkitError

runner = CliRunner()
TOOLKIT = [sys.executable, "-m", "toolkit"]


def classify(*args):
    return runner.invoke(app, ["classify", *map(str, args)])


# -- data loss ------------------------------------------------------------------------------


def test_output_that_is_an_input_is_refused(model_path, seed_paths, tmp_path):
    article = tmp_path / "a.txt"
    article.write_bytes(seed_paths[1].read_bytes())
    result = classify(article, "--model", model_path, "-o", article, "-f", "csv", "--force")
    assert isinstance(result.exception, ToolkitError) and "is an input of this run" in str(result.exception)
    assert article.read_bytes() == seed_paths[1].read_bytes()


def test_existing_output_is_not_replaced_without_force(model_path, seed_paths, tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text("doc,text,label\nx,合作社,industry\n", encoding="utf-8")
    result = classify(seed_paths[0], "--model", model_path, "-o", labels)
    assert isinstance(result.exception, ToolkitError) and "exists; not replacing it" in str(result.exception)
    assert labels.read_text(encoding="utf-8") == "doc,text,label\nx,合作社,industry\n"
    assert classify(seed_paths[0], "--model", model_path, "-o", labels, "--force").exit_code == 0
    assert labels.read_text(encoding="utf-8-sig").startswith("path,doc,id,")


def test_output_to_a_fifo_is_written_in_place(model_path, seed_paths, tmp_path):
    fifo = tmp_path / "out.jsonl"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, encoding="utf-8").read()))
    reader.start()
    run = subprocess.run([*TOOLKIT, "classify", str(seed_paths[1]), "--model", str(model_path), "-o", str(fifo)],
                         capture_output=True, text=True, timeout=120)
    reader.join(30)
    assert run.returncode == 0, run.stderr
    assert fifo.is_fifo()  # still a FIFO, not a regular file renamed over it
    records = [json.loads(line) for line in got[0].splitlines()]
    assert len(records) == len(clf.classify_file(str(seed_paths[1]), clf.load_model(model_path)).paragraphs)


def test_nothing_to_write_leaves_no_parquet_and_no_traceback(model_path, tmp_path):
    import pyarrow  # noqa: F401  (the test extra installs it; a missing one is a failure, not a skip)
    out = tmp_path / "coded.parquet"
    run = subprocess.run([*TOOLKIT, "classify", str(tmp_path / "nowhere"), "--model", str(model_path), "-o", str(out)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and not out.exists()
    assert run.stderr == f"error: {tmp_path / 'nowhere'}: no such file\n"


# -- formats --------------------------------------------------------------------------------


def test_same_name_in_two_folders_is_told_apart_by_path_and_id(model_path, seed_paths, tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "article.txt").write_bytes(seed_paths[2].read_bytes())
    result = classify(tmp_path, "--model", model_path, "-f", "jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["path"] for r in records} == {str(tmp_path / "a" / "article.txt"), str(tmp_path / "b" / "article.txt")}
    assert len({r["id"] for r in records}) == len(records)


def formula_article(tmp_path):
    path = tmp_path / "formula.txt"
    path.write_text("=HYPERLINK(\"http://x\")合作社带动村民增收。\n\n+1 村里修了新路。\n", encoding="utf-8")
    return path


def test_csv_on_stdout_has_a_bom_and_formulas_are_inert(model_path, tmp_path):
    result = classify(formula_article(tmp_path), "--model", model_path, "-f", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("\ufeffpath,doc,id,")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert [r["text"][:2] for r in rows] == ["'=", "'+"]


def test_xlsx_is_a_workbook_with_text_cells(model_path, tmp_path):
    import openpyxl
    out = tmp_path / "coded.xlsx"
    assert classify(formula_article(tmp_path), "--model", model_path, "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header == [name for name, _ in clf.record_columns(clf.load_model(model_path).classes)]
    texts = [r[header.index("text")] for r in rows[1:]]
    assert texts[0].startswith("=HYPERLINK") and texts[1].startswith("+1")
    cell = sheet.cell(row=2, column=header.index("text") + 1)
    assert cell.data_type == "s"  # stored as text: Excel shows it, never runs it
    assert isinstance(rows[1][header.index("confidence")], float)


def test_parquet_has_typed_columns(model_path, seed_paths, tmp_path):
    import pyarrow.parquet as pq
    out = tmp_path / "docs.parquet"
    assert classify(*seed_paths[:2], "--model", model_path, "--level", "document", "-o", out).exit_code == 0
    table = pq.read_table(out)
    assert table.column("path").to_pylist() == [str(p) for p in seed_paths[:2]]
    assert str(table.schema.field("paragraphs").type) == "int64"
    assert str(table.schema.field("chinese").type) == "bool"


def test_unknown_output_extension_is_an_error(model_path, seed_paths, tmp_path):
    result = classify(seed_paths[0], "--model", model_path, "-o", tmp_path / "out.xls")
    assert isinstance(result.exception, ToolkitError) and "unknown output extension '.xls'" in str(result.exception)
    assert not (tmp_path / "out.xls").exists()


def test_classify_frame_returns_dataframes(model_path):
    import pandas as pd
    import toolkit

    df = pd.DataFrame({"body": ["合作社今年销售额突破百万元，带动30户增收。", "村里开展植树造林，治理沙化土地。"]})
    coded = toolkit.classify_frame(df, text="body", model=model_path)
    assert list(coded["label"]) == ["industry", "ecology"]
    assert list(coded["row"]) == [0, 1] and coded["confidence"].dtype == float
    docs = toolkit.classify_frame(df, text="body", model=model_path, level="document")
    assert list(docs.index) == [0, 1] and "share_industry" in docs.columns
    with pytest.raises(ToolkitError, match="text='text': no such column"):
        toolkit.classify_frame(df, model=model_path)


def test_pipe_closed_early_ends_quietly_with_sigpipe(model_path, seeds_dir):
    run = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {sys.executable} -m toolkit classify {seeds_dir} --model {model_path} "
                       f"-f jsonl | head -1 >/dev/null"],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 141 and run.stderr == ""


def test_ctrl_c_ends_with_130_and_one_line(model_path, tmp_path):
    proc = subprocess.Popen([*TOOLKIT, "classify", "-", "--model", str(model_path)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(4)  # imports done, waiting on standard input
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err and out == ""


# -- reading --------------------------------------------------------------------------------


def test_a_cut_last_character_and_a_stray_byte_are_replaced_with_a_count(model_path, seed_paths, tmp_path):
    data = seed_paths[1].read_bytes()
    cut = tmp_path / "cut.txt"
    cut.write_bytes(data[:-1] if data[-1] >= 0x80 else data.rstrip() + "村".encode()[:2])
    stray = tmp_path / "stray.txt"
    at = data.index(b"\n", 300) + 1  # between two characters
    stray.write_bytes(data[:at] + b"\xff" + data[at:])
    gb = tmp_path / "gb.txt"
    gb_data = data.decode("utf-8").encode("gb18030")
    at = gb_data.index(b"\n", 2000) + 1
    gb.write_bytes(gb_data[:at] + b"\x80" + gb_data[at:])
    result = classify(cut, stray, gb, "--model", model_path, "--level", "document", "-f", "jsonl")
    assert result.exit_code == 0, result.output
    records = {json.loads(l)["doc"]: json.loads(l) for l in result.stdout.splitlines()}
    assert records["cut.txt"]["replaced"] == 1 and records["stray.txt"]["replaced"] == 1
    assert records["gb.txt"]["replaced"] >= 1
    assert f"warning: {stray}: 1 undecodable byte in utf-8 replaced with U+FFFD" in result.stderr


def test_an_english_article_is_flagged(model_path, tmp_path):
    english = tmp_path / "english.txt"
    english.write_text("The cooperative raised incomes in the village this year.\n\nRoads were built.\n", encoding="utf-8")
    result = classify(english, "--model", model_path, "--level", "document", "-f", "jsonl")
    assert json.loads(result.stdout)["chinese"] is False
    assert f"warning: {english}: not Chinese text" in result.stderr


def test_broken_links_and_unlistable_folders_are_reported(model_path, seed_paths, tmp_path, monkeypatch):
    from toolkit.text import reading

    (tmp_path / "good.txt").write_bytes(seed_paths[0].read_bytes())
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    problems = []
    found = list(reading.iter_sources([str(tmp_path)], on_problem=lambda p, why: problems.append((p, why))))
    assert found == [str(tmp_path / "good.txt")]
    assert problems == [(str(tmp_path / "gone.txt"), "broken link (leads nowhere); skipped")]
    # root lists every folder, so the refusal the operating system gives others is simulated
    real_walk = os.walk

    def walk(top, onerror=None, **kw):
        onerror(PermissionError(13, "Permission denied", str(tmp_path / "locked")))
        yield from real_walk(top, onerror=onerror, **kw)

    monkeypatch.setattr(reading.os, "walk", walk)
    result = classify(tmp_path, "--model", model_path, "-f", "jsonl")
    assert result.exit_code == 1
    assert f"error: {tmp_path / 'locked'}: cannot list this folder (Permission denied); skipped" in result.stderr
    assert f"error: {tmp_path / 'gone.txt'}: broken link" in result.stderr


# -- smaller --------------------------------------------------------------------------------


def test_one_paragraph_is_singular(model_path, tmp_path):
    one = tmp_path / "one.txt"
    one.write_text("合作社今年销售额突破百万元，带动30户增收。\n", encoding="utf-8")
    result = classify(one, "--model", model_path)
    assert "1 paragraph," in result.stdout and "1 paragraphs" not in result.stdout


def test_one_passage_is_singular(tmp_path):
    one = tmp_path / "one.txt"
    one.write_text("合作社今年销售额突破百万元，带动30户增收，村民的日子越过越红火。\n", encoding="utf-8")
    result = runner.invoke(app, ["summarize", str(one)])
    assert result.exit_code == 0, result.output
    assert f"{one}: 1 of 1 passage (" in result.stdout and "passages" not in result.stdout


def test_format_choices_are_listed_in_help():
    for command in (["classify"], ["evaluate"], ["model", "show"], ["summarize"]):
        result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
        assert "text|" in result.stdout, command


def test_readme_names_only_paths_that_exist(repo_dir):
    readme = (repo_dir / "README.md").read_text(encoding="utf-8")
    assert "articles/" not in readme and "new_coded.csv" not in readme
