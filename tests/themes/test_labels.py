"""labels.csv checks: every problem found, with the row number a spreadsheet shows."""

from __future__ import annotations

from collections import Counter

import pytest

from toolkit.errors import ToolkitError
from toolkit.themes.labels import check_labels, read_labels

GOOD = [
    ("a", "合作社今年销售额突破百万元。", "industry"),
    ("a", "村党支部开展星级评定。", "governance"),
    ("b", "县里选派20名年轻干部驻村。", "talent"),
    ("b", "完成人工造林3万亩。", "ecology"),
    ("c", "记者 张三", "other"),
    ("c", "养殖场带动30户增收。", "industry"),
    ("d", "网格员每天走访群众。", "governance"),
    ("d", "举办电商培训班两期。", "talent"),
    ("e", "治理沙化土地5000亩。", "ecology"),
    ("e", "责任编辑:李四", "other"),
]


def test_a_good_file_passes_with_counts(write_labels_file):
    report = check_labels(write_labels_file(GOOD))
    assert report.ok, report.errors
    assert report.label_counts() == {"industry": 2, "governance": 2, "talent": 2, "ecology": 2, "other": 2}
    assert Counter(r.doc for r in report.rows)["a"] == 2
    assert [r.row for r in report.rows][:3] == [2, 3, 4]


def test_missing_column_is_named(write_labels_file):
    report = check_labels(write_labels_file([(r[0], r[1]) for r in GOOD], header=("doc", "text")))
    assert report.errors == ["missing column label (header is: doc, text; needed: doc, text, label)"]


def test_empty_text_and_empty_label_are_reported_with_row_numbers(write_labels_file):
    rows = GOOD + [("f", "  ", "industry"), ("f", "有文字。", "")]
    report = check_labels(write_labels_file(rows))
    assert "row 12: empty text" in report.errors
    assert "row 13: empty label" in report.errors


def test_unknown_label_suggests_the_close_one(write_labels_file):
    rows = GOOD + [("f", "新建冷库一座。", "industy")]
    report = check_labels(write_labels_file(rows))
    assert report.errors == ["row 12: unknown label 'industy' (did you mean 'industry'?)"]


def test_a_new_theme_needs_two_examples_but_is_accepted_then(write_labels_file):
    rows = GOOD + [("f", "举办乡村文化节。", "culture")]
    report = check_labels(write_labels_file(rows))
    assert report.errors and "label 'culture' has 1 example" in report.errors[0]
    rows.append(("g", "新建村史馆和文化礼堂。", "culture"))
    assert check_labels(write_labels_file(rows)).ok


def test_same_text_with_two_labels_names_both_rows(write_labels_file):
    rows = GOOD + [("f", "合作社今年销售额突破百万元。", "governance")]
    report = check_labels(write_labels_file(rows))
    assert report.errors == ["row 12: same text as row 2 but labelled 'governance', not 'industry'"]


def test_exact_duplicate_is_a_warning_and_kept_once(write_labels_file):
    report = check_labels(write_labels_file(GOOD + [GOOD[0]]))
    assert report.ok and report.warnings == ["row 12: duplicate of row 2"]
    assert len(report.rows) == len(GOOD)


def test_bom_crlf_case_and_spaces_are_read_forgivingly(write_labels_file):
    rows = [(d, t, f" {l.upper()} ") for d, t, l in GOOD]
    path = write_labels_file(rows, encoding="utf-8-sig", newline="\r\n", header=("Doc", "TEXT", "label"))
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in path.read_bytes()
    report = check_labels(path)
    assert report.ok, report.errors
    assert set(report.label_counts()) == {"industry", "governance", "talent", "ecology", "other"}


def test_gb18030_file_from_chinese_excel_is_read(write_labels_file):
    report = check_labels(write_labels_file(GOOD, encoding="gb18030"))
    assert report.ok and report.rows[0].text == "合作社今年销售额突破百万元。"


def test_unknown_column_is_a_warning(write_labels_file):
    rows = [r + ("x",) for r in GOOD]
    report = check_labels(write_labels_file(rows, header=("doc", "text", "label", "coder")))
    assert report.ok
    assert report.warnings == ["column 'coder' is not used (known: doc, text, label, source, note, paragraph, suggested, confidence)"]


def test_one_class_is_an_error(write_labels_file):
    report = check_labels(write_labels_file([("a", "一。", "industry"), ("b", "二。", "industry")]))
    assert any("only one label" in e for e in report.errors)


def test_missing_and_empty_files(tmp_path):
    assert check_labels(tmp_path / "nope.csv").errors == ["no such file"]
    (tmp_path / "empty.csv").write_bytes(b"")
    assert check_labels(tmp_path / "empty.csv").errors == ["empty file"]


def test_read_labels_raises_one_line_naming_the_file(write_labels_file):
    path = write_labels_file(GOOD + [("f", "", "industry")])
    with pytest.raises(ToolkitError, match=r"labels\.csv: row 12: empty text"):
        read_labels(path)
    assert read_labels(write_labels_file(GOOD)).classes == ["ecology", "governance", "industry", "other", "talent"]


def test_repo_labels_cover_every_seed_paragraph(repo_dir, seed_docs):
    report = check_labels(repo_dir / "labels.csv")
    assert report.ok, report.errors[:5]
    coded = {(r.doc, r.text) for r in report.rows}
    for doc in seed_docs.values():
        for p in doc.paragraphs:
            assert (doc.name, p.text) in coded, (doc.name, p.index, p.text[:30])
    # boilerplate stays in as `other`, as the codebook says
    labels = {(r.doc, r.text): r.label for r in report.rows}
    for doc in seed_docs.values():
        for p in doc.paragraphs:
            if p.is_boilerplate:
                assert labels[(doc.name, p.text)] == "other"


def test_repo_labels_have_enough_team_written_rows_per_theme(repo_dir):
    report = check_labels(repo_dir / "labels.csv")
    written = [r for r in report.rows if r.source == "written"]
    counts = {}
    for r in written:
        counts[r.label] = counts.get(r.label, 0) + 1
        assert r.doc.startswith("written-"), r.doc
    for theme in ("industry", "governance", "talent", "ecology"):
        assert counts.get(theme, 0) >= 120, (theme, counts)
    assert counts.get("other", 0) >= 80


def test_source_and_doc_id_that_disagree_are_a_warning(write_labels_file):
    rows = [(d, t, l, "seed") for d, t, l in GOOD] + [("team-7", "村里新修了冷库。", "industry", "written")]
    report = check_labels(write_labels_file(rows, header=("doc", "text", "label", "source")))
    assert report.ok
    assert report.warnings == [
        "row 12: source 'written' but doc 'team-7'; team-written rows are told from real ones by a doc id starting 'written-'"
    ]
    assert [r.is_seed for r in report.rows][-1] is True  # the doc id decides, as everywhere else
