"""Several labels files as one training set; a coded sheet checked before anything is fitted."""

from __future__ import annotations

import csv
import json

import pytest

from toolkit.themes import training
from toolkit.themes import config as cfg
from toolkit.coding.sheets import LabelProblems, parse_weights, read_label_files
from toolkit.errors import ToolkitError
from tests.labels_files import write_labels
from toolkit.themes.labels import read_labels

FAST = {"folds": 2, "repeats": 1, "seed": 0}


@pytest.fixture(scope="module")
def written_labels(tmp_path_factory, repo_dir):
    """Every 4th team-written row of labels.csv: a base file without any seed paragraph."""
    rows = [r for r in read_labels(repo_dir / "labels.csv").rows if not r.is_seed]
    path = tmp_path_factory.mktemp("base") / "base.csv"
    write_labels(path, rows[::4])
    return path


def write_sheet(path, header, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def seed_paragraphs(seed_paths, count=12):
    """(doc path, paragraph index, text) of body paragraphs of the seeds, as `labels suggest` writes them."""
    from toolkit.text.reading import read_document

    out = []
    for path in seed_paths:
        doc = read_document(str(path))
        out += [(str(path), p.index, p.text) for p in doc.paragraphs if p.kind == "body" and len(p.text) > 30][:3]
    return out[:count]


def fast_config():
    config = cfg.resolve_config()
    config["evaluation"].update(FAST)
    return config


def test_a_good_sheet_in_another_column_order_joins_with_its_weight(written_labels, seed_paths, tmp_path):
    paragraphs = seed_paragraphs(seed_paths)
    labels = ["industry", "governance", "talent", "ecology"] * 3
    sheet = write_sheet(tmp_path / "coded.csv", ["text", "label", "confidence", "suggested", "paragraph", "doc"],
                        [(t, l, "0.41", "other", i, d) for (d, i, t), l in zip(paragraphs, labels)])
    base = read_labels(written_labels)
    both = read_label_files([written_labels, sheet], {str(sheet): 3.0})
    assert len(both.rows) == len(base.rows) + 12
    assert both.weights == [1.0] * len(base.rows) + [3.0] * 12
    assert [r.label for r in both.rows[-12:]] == labels and both.rows[-1].paragraph == paragraphs[-1][1]
    # rows are numbered as if the files were concatenated: each number is unique
    assert len({r.row for r in both.rows}) == len(both.rows)
    first, second = both.sources
    assert (first.path, first.weight, second.weight) == (str(written_labels), 1.0, 3.0)
    assert second.first_row == first.last_row + 1 and second.last_row == second.first_row + 11


def test_one_file_reads_as_before(written_labels):
    assert read_label_files([written_labels]) == read_labels(written_labels)


def test_every_problem_of_a_sheet_is_one_line_and_nothing_is_trained(written_labels, seed_paths, tmp_path, monkeypatch):
    (d0, i0, t0), (d1, i1, t1), (d2, i2, t2), (d3, i3, t3), *_ = seed_paragraphs(seed_paths)
    already = read_labels(written_labels).rows[4]
    sheet = write_sheet(tmp_path / "coded.csv", ["doc", "paragraph", "text", "label"], [
        (d0, i0, t0, ""),                       # row 2: not coded
        (d1, i1, t1, "industy"),                # row 3: typo
        (d2, i2, t2, "talent"),                 # row 4
        (d2, i2, t2, "talent"),                 # row 5: the same row twice
        (already.doc, "", already.text, "talent"),   # row 6: already in the base file
        (d3, i3 + 1, t3, "ecology"),            # row 7: wrong paragraph number
        (d3, 999, "这一段并不在文章里。", "ecology"),  # row 8: not in the corpus
        ("nowhere/gone.txt", 1, "某村发展合作社。", "industry"),  # row 9: document not found
    ])
    with pytest.raises(LabelProblems) as caught:
        read_label_files([written_labels, sheet])
    problems = caught.value.problems
    assert [p.split(": ")[1] for p in problems] == ["row 2", "row 3", "row 5", "row 6", "row 7", "row 8", "row 9"]
    text = "\n".join(problems)
    assert f"{sheet}: row 2: empty label" in text
    assert "row 3: unknown label 'industy' (did you mean 'industry'?)" in text
    assert "row 5: duplicate of row 4" in text
    assert f"row 6: this paragraph is already coded in {written_labels} row {already.row}" in text
    assert f"row 7: the text is paragraph {i3} of {d3}, not paragraph {i3 + 1}" in text
    assert "row 8: not in the corpus" in text
    assert "'nowhere/gone.txt' not found" in text

    fitted = []
    monkeypatch.setattr(training, "fit", lambda *a, **k: fitted.append(1))
    model = tmp_path / "m" / "theme.skops"
    with pytest.raises(LabelProblems):
        training.train_model([written_labels, sheet], model, fast_config(), experiments_dir=tmp_path / "exp")
    assert fitted == [] and not model.exists() and not any((tmp_path / "exp").glob("*/run.json"))


def test_a_new_theme_in_a_sheet_is_named_with_where_it_belongs(written_labels, tmp_path):
    sheet = write_sheet(tmp_path / "coded.csv", ["doc", "text", "label"], [("d", "乡村医生上门巡诊。", "health")])
    with pytest.raises(LabelProblems, match="unknown label 'health'.*a new theme goes there"):
        read_label_files([written_labels, sheet])


def test_weights_name_files_and_must_be_positive(tmp_path):
    assert parse_weights(["b.csv=3"], ["a.csv", "b.csv"]) == {"b.csv": 3.0}
    for spec, message in [("c.csv=2", "c.csv is not one of the labels files"), ("b.csv=0", "positive"),
                          ("b.csv=x", "not a number"), ("b.csv", "FILE=WEIGHT")]:
        with pytest.raises(ToolkitError, match=message) as caught:
            parse_weights([spec], ["a.csv", "b.csv"])
        assert str(caught.value).startswith(f"weight {spec!r}: ") and "--" not in str(caught.value)


def test_weights_change_the_fit_and_the_run_records_every_file(written_labels, tmp_path):
    from toolkit.themes.classifier import load_model
    from toolkit.files import sha256_file

    # a paragraph the base rows would code 'industry', coded 'ecology' in the sheet
    text = "合作社种植梭梭嫁接肉苁蓉，亩均增收三千元，带动周边农户就业。"
    sheet = write_sheet(tmp_path / "coded.csv", ["doc", "text", "label"], [("mine-1", text, "ecology")])
    probabilities = {}
    for weight in (1.0, 20.0):
        model = tmp_path / f"w{weight:g}" / "theme.skops"
        result = training.train_model([written_labels, sheet], model, fast_config(),
                                      experiments_dir=tmp_path / "exp", name=f"w{weight:g}", weights={str(sheet): weight})
        loaded = load_model(model)
        probabilities[weight] = loaded.predict_proba([text])[0][loaded.classes.index("ecology")]
        run = json.loads((result.run_dir / "run.json").read_text(encoding="utf-8"))
        files = run["labels"]["files"]
        assert [(f["path"], f["weight"], f["rows"]) for f in files] == [
            (str(written_labels), 1.0, len(read_labels(written_labels).rows)), (str(sheet), weight, 1)]
        assert files[1]["sha256"] == sha256_file(sheet)
        assert loaded.card["training_data"]["files"] == files
    assert probabilities[20.0] > probabilities[1.0] + 0.05
