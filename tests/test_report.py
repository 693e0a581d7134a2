"""toolkit report: the data (toolkit.report), the page (cli/render/html) and the command."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from typer.testing import CliRunner

from toolkit.cli import app
from toolkit.report import assemble, build_report, report_document

runner = CliRunner()


def test_report_document_one_pass(seed_docs):
    import toolkit

    doc = seed_docs["004_54588f1784913c82.txt"]
    entry = report_document(doc)
    coded = toolkit.classify_document(doc)
    assert [p.label for p in entry.paragraphs] == [p.label for p in coded.paragraphs]
    assert entry.date == "2017-08-11" and entry.label == coded.main_label
    assert entry.abstract and entry.keywords
    assert all(entry.paragraphs[s.paragraph].in_abstract for s in entry.abstract)
    kinds = {p.kind for p in entry.paragraphs if p.boilerplate}
    assert {"navigation", "byline"} <= kinds


def test_assemble_pools_characters(seed_docs):
    entries = [report_document(d) for d in seed_docs.values()]
    entries[0].folder, entries[1].folder = "/c/a", "/c/a"
    for e in entries[2:]:
        e.folder = "/c/b"
    report = assemble(entries, entries[0].labels if hasattr(entries[0], "labels") else list(entries[0].shares))
    assert [d.key for d in report.documents] == ["d1", "d2", "d3", "d4", "d5"]
    assert [g.name for g in report.by_folder] == ["a", "b"]
    assert [g.documents for g in report.by_folder] == [2, 3]
    total = sum(e.chars for e in entries)
    assert report.chars == total
    industry = sum(e.shares["industry"] * e.chars for e in entries) / total
    assert report.shares["industry"] == pytest.approx(industry, abs=1e-4)
    assert sum(report.shares.values()) == pytest.approx(1, abs=1e-3)
    assert report.date_unit == "month" and [g.name for g in report.by_date] == ["2017-08", "2020-12", "2022-05"]
    assert json.loads(json.dumps(report.to_dict()))["paragraphs"] == report.paragraphs


def test_build_report_collects_problems(seeds_dir, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    report = build_report([str(seeds_dir), str(tmp_path / "empty.txt"), str(tmp_path / "nope.txt")])
    assert len(report.documents) == 5
    assert len(report.problems) == 2 and all(p.endswith(("empty", "empty file", "no such file")) or ":" in p
                                             for p in report.problems)


# -- the page -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(tmp_path_factory, seeds_dir):
    out = tmp_path_factory.mktemp("page") / "report.html"
    result = runner.invoke(app, ["report", str(seeds_dir), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_page_is_self_contained(page):
    # nothing is fetched: no external src/href, no @import or url() outside the page
    assert not re.search(r'(src|href)\s*=\s*"(?!#)', page)
    assert "@import" not in page and not re.search(r"url\((?!#)", page)
    assert "<link" not in page and "<img" not in page and "<iframe" not in page
    # a font stack with a Chinese face on each system
    for face in ("Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei"):
        assert face in page


def test_page_shows_every_paragraph_with_theme_and_confidence(page, seed_docs):
    assert page.count('<tr id="r-d') == 5
    assert page.count('<section class="doc"') == 5
    paragraphs = sum(len(d.paragraphs) for d in seed_docs.values())
    assert len(re.findall(r'<p class="p t\d', page)) == paragraphs
    assert re.search(r'<span class="tag">governance 0\.\d\d', page)
    assert '<span class="tag">navigation</span>' in page  # boilerplate shows its kind
    assert page.count('class="abstract"') == 5


def test_page_escapes_text(tmp_path):
    art = tmp_path / "x<b>.txt"
    art.write_text('<script>alert(1)</script>村里成立合作社，"带动"农户增收&致富。\n', encoding="utf-8")
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(art), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "x<b>" not in html and "x&lt;b&gt;.txt" in html
    assert html.count("<script>") == 1  # the page's own


def test_low_confidence_marked(tmp_path):
    from toolkit.cli.render.html import render
    from toolkit.report import AbstractSentence, ReportDocument, ReportParagraph

    labels = ["ecology", "governance", "industry", "other", "talent"]
    doc = ReportDocument("a.txt", "a.txt", "", None, 10, "industry", {"industry": 1.0},
                         [ReportParagraph(0, "industry", 0.31, "body", False, "不确定的段落。"),
                          ReportParagraph(1, "other", 1.0, "byline", True, "来源：某报")],
                         [AbstractSentence(0, "不确定的段落。")], ["段落"])
    html = render(assemble([doc], labels))
    assert re.search(r'<p class="p t\d low" id="d1p0">', html)
    assert re.search(r'<p class="p t\d bp" id="d1p1">', html)


def test_theme_styles_distinct_and_extendable():
    from toolkit.cli.render.html import theme_order, theme_styles

    labels = ["ecology", "governance", "industry", "other", "talent", "culture"]
    assert theme_order(labels) == ["industry", "governance", "talent", "ecology", "culture", "other"]
    styles = theme_styles(labels)
    assert len(set(styles.values())) == len(labels)

    def grey(hex_colour):
        r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        return 0.299 * r + 0.587 * g + 0.114 * b

    # the five themes: those of close lightness differ in pattern
    five = [styles[label] for label in ("industry", "governance", "talent", "ecology", "other")]
    for i, (c1, p1) in enumerate(five):
        for c2, p2 in five[i + 1:]:
            assert abs(grey(c1) - grey(c2)) >= 40 or p1 != p2


# -- the command --------------------------------------------------------------------------------


def test_cli_refuses_existing_output_and_inputs(seeds_dir, tmp_path):
    out = tmp_path / "r.html"
    out.write_text("keep", encoding="utf-8")
    result = runner.invoke(app, ["report", str(seeds_dir), "-o", str(out)])
    assert result.exit_code == 1 and "exists" in str(result.exception) and out.read_text() == "keep"
    result = runner.invoke(app, ["report", str(seeds_dir), "-o", str(out), "--force"])
    assert result.exit_code == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    seed = tmp_path / "a.txt"
    shutil.copy(next(seeds_dir.glob("*.txt")), seed)
    result = runner.invoke(app, ["report", str(seed), "-o", str(seed), "--format", "html", "--force"])
    assert result.exit_code == 1 and "is an input" in str(result.exception)


def test_cli_bad_files_one_line_each_rest_reported(seeds_dir, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(seeds_dir), str(tmp_path / "empty.txt"),
                                 str(tmp_path / "binary.txt"), "-o", str(out)])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and "empty.txt" in errors[0] and "binary.txt" in errors[1]
    assert out.read_text(encoding="utf-8").count('<section class="doc"') == 5


def test_cli_nothing_readable_writes_nothing(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["report", str(tmp_path / "empty.txt"), "-o", str(out)])
    assert result.exit_code == 1 and not out.exists()


def test_cli_json_and_group_by_date(seeds_dir, tmp_path):
    out = tmp_path / "r.json"
    result = runner.invoke(app, ["report", str(seeds_dir), "-o", str(out), "--group-by", "date"])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["group_by"] == "date" and len(data["documents"]) == 5
    assert {"label", "confidence", "kind", "boilerplate", "text"} <= set(data["documents"][0]["paragraphs"][0])
    result = runner.invoke(app, ["report", str(seeds_dir), "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 1 and "unknown output extension" in str(result.exception)
