"""``toolkit summarize`` as a user runs it: batches, formats, exit codes, and one line per problem."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

from typer.testing import CliRunner

from toolkit.cli import app

runner = CliRunner()


def _jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_batch_goes_on_past_a_bad_file_and_exits_one(seeds_dir, seed_paths, tmp_path):
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02\x03binary\x00\xff" * 20)
    result = runner.invoke(app, ["summarize", str(seeds_dir), str(bad), "--sentences", "2"])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(bad) in errors[0]
    headers = [line for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    assert len(headers) == len(seed_paths)
    for header, path in zip(headers, seed_paths):
        assert re.fullmatch(rf"{re.escape(str(path))}: 2 of \d+ passages \(a quotation counts as one\)", header), header
    quoted = [line for line in result.stdout.splitlines() if re.match(r"  p\d+ s\d+(-\d+)?  \d+\.\d\d  ", line)]
    assert len(quoted) == 2 * len(seed_paths)
    assert result.stdout.count("  keywords: ") == len(seed_paths)


def test_jsonl_has_one_parsable_record_per_article(seeds_dir, seed_docs):
    result = runner.invoke(app, ["summarize", str(seeds_dir), "--format", "jsonl", "--keywords", "5"])
    assert result.exit_code == 0, result.stderr
    records = _jsonl(result.stdout)
    assert [r["doc"] for r in records] == sorted(seed_docs)  # the key classify uses
    for record in records:
        assert "document" not in record
        doc = seed_docs[record["doc"]]
        assert len(record["sentences"]) == 3 and len(record["keywords"]) == 5
        for s in record["sentences"]:
            assert doc.paragraphs[s["paragraph"]].text[s["start"] : s["end"]] == s["text"]
            assert {"sentence", "last_sentence", "score", "rank"} <= s.keys()
        assert record["message"] is None and record["candidates"] >= 3


def test_ratio_and_output_file(seed_paths, tmp_path):
    out = tmp_path / "out" / "summaries.jsonl"
    result = runner.invoke(app, ["summarize", str(seed_paths[4]), "-r", "0.1", "-f", "jsonl", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    (record,) = _jsonl(out.read_text(encoding="utf-8"))
    assert len(record["sentences"]) == -(-record["candidates"] // 10)
    assert [p.name for p in out.parent.iterdir()] == ["summaries.jsonl"]  # no temp file left


def test_nothing_to_summarise_is_a_warning_and_fails_only_when_nothing_was_summarised(seed_paths, tmp_path):
    menu = tmp_path / "menu.txt"
    menu.write_text("\n".join(seed_paths[3].read_text(encoding="utf-8").splitlines()[:31]), encoding="utf-8")
    alone = runner.invoke(app, ["summarize", str(menu)])
    assert alone.exit_code == 1
    (line,) = alone.stderr.strip().splitlines()
    assert re.fullmatch(rf"warning: {re.escape(str(menu))}: nothing to summarise: all \d+ paragraphs are headings or page furniture \(.*\)", line)
    assert alone.stdout == ""
    with_good = runner.invoke(app, ["summarize", str(menu), str(seed_paths[1]), "-f", "jsonl"])
    assert with_good.exit_code == 0
    empty, good = _jsonl(with_good.stdout)
    assert empty["sentences"] == [] == empty["keywords"] and empty["message"].startswith("nothing to summarise")
    assert len(good["sentences"]) == 3


def test_sentences_and_ratio_together_is_a_usage_error(seed_paths):
    result = runner.invoke(app, ["summarize", str(seed_paths[1]), "-n", "2", "-r", "0.5"])
    assert result.exit_code == 2
    assert "not both" in result.output


def test_output_is_the_same_in_every_process(seeds_dir):
    """Word sets and dicts must not leak Python's per-process hash order into the ranking."""
    outputs = []
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        done = subprocess.run(
            [sys.executable, "-m", "toolkit", "summarize", str(seeds_dir), "-n", "5", "-f", "jsonl"],
            capture_output=True, text=True, env=env, check=True,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] and len(_jsonl(outputs[0])) == 5


def _toolkit(*args: str) -> subprocess.CompletedProcess:
    """The installed entry point's behaviour, where a ToolkitError becomes one ``error:`` line."""
    return subprocess.run([sys.executable, "-m", "toolkit", *args], capture_output=True, text=True)


def test_an_existing_output_file_is_kept_when_nothing_was_summarised(seed_paths, tmp_path):
    out = tmp_path / "out.jsonl"
    before = '{"doc": "from an earlier run"}\n'
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01\x02\x03binary\x00\xff" * 20)
    menu = tmp_path / "menu.txt"
    menu.write_text("\n".join(seed_paths[3].read_text(encoding="utf-8").splitlines()[:31]), encoding="utf-8")
    for inputs in ([binary], [tmp_path / "missing.txt"], [menu]):
        out.write_text(before, encoding="utf-8")
        result = runner.invoke(app, ["summarize", *map(str, inputs), "-f", "jsonl", "-o", str(out), "--force"])
        assert result.exit_code == 1, inputs
        assert out.read_text(encoding="utf-8") == before, inputs
        assert sorted(p.name for p in tmp_path.iterdir()) == ["bin.txt", "menu.txt", "out.jsonl"]  # no temp file
    # One good article among bad ones: the file is replaced, and the exit code still says 1.
    result = runner.invoke(app, ["summarize", str(binary), str(seed_paths[1]), "-f", "jsonl", "-o", str(out), "--force"])
    assert result.exit_code == 1
    (record,) = _jsonl(out.read_text(encoding="utf-8"))
    assert record["doc"] == seed_paths[1].name


def test_a_bad_output_path_is_one_line_before_any_input_is_read(tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    missing = tmp_path / "missing.txt"  # would be reported if the batch ran
    for bad in (tmp_path, a_file / "out.jsonl"):
        done = _toolkit("summarize", str(missing), "-o", str(bad))
        assert done.returncode == 1
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith(f"error: {bad}: ") and "Traceback" not in done.stderr
        assert done.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_help_reflows_and_shows_the_default_plainly():
    from typer.main import get_command

    help_text = get_command(app).commands["summarize"].help
    # Typer keeps single line breaks: a paragraph written on several lines prints ragged.
    assert all("\n" not in paragraph for paragraph in help_text.split("\n\n"))
    result = runner.invoke(app, ["summarize", "--help"], env={"COLUMNS": "72", "TERMINAL_WIDTH": "72"})
    assert result.exit_code == 0
    assert "(3)" not in result.stdout and "default 3" in result.stdout
    described = re.search(r"Summarise articles with NewsRank\.\s*\n(.*?)╭", result.stdout, re.S).group(1)
    lines = [line.strip() for line in described.splitlines()]
    for line, following in zip(lines, lines[1:]):
        if line and following:  # a line inside a paragraph is filled before the next begins
            assert len(line) + 1 + len(following.split()[0]) > 72 - 4, (line, following)
