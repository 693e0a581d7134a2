"""Evaluation: grouped, repeated cross-validation, the baselines, seed-only figures, held-out files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from toolkit.themes import classifier as clf
from toolkit.themes import scoring
from toolkit.themes import config as cfg
from toolkit.cli.render.evaluation import report_text
from toolkit.themes import evaluation as ev
from toolkit.errors import ToolkitError
from toolkit.themes.labels import LabelRow, read_labels

from tests.themes.test_classifier import shared_model

REPO = Path(__file__).resolve().parents[2]
FAST = ["evaluation.folds=3", "evaluation.repeats=2"]


@pytest.fixture(scope="module")
def small_labels(tmp_path_factory):
    """Two real articles and 30 team-written rows per label, from the repo's labels.csv."""
    rows = read_labels(REPO / "labels.csv").rows
    seeds = sorted({r.doc for r in rows if r.is_seed})[:3]
    taken = [r for r in rows if r.doc in seeds]
    per_label = Counter()
    for r in rows:
        if not r.is_seed and per_label[r.label] < 30:
            taken.append(r)
            per_label[r.label] += 1
    path = tmp_path_factory.mktemp("small") / "labels.csv"
    from tests.labels_files import write_labels

    write_labels(path, list(taken))
    return read_labels(path)


def test_splits_never_put_one_article_on_both_sides():
    labels = read_labels(REPO / "labels.csv")
    docs = np.array(labels.docs)
    folds, splits = ev._splits(labels, folds=5, repeats=2, seed=0)
    assert folds == 5 and len(splits) == 10
    for repeat in (0, 1):
        tested = []
        for r, train, test in splits:
            if r != repeat:
                continue
            assert not set(docs[train]) & set(docs[test])
            tested.extend(test)
        assert sorted(tested) == list(range(len(labels.rows)))  # each row out of fold once a repeat
    first = [tuple(t) for r, _, t in splits if r == 0]
    second = [tuple(t) for r, _, t in splits if r == 1]
    assert first != second  # the repeats shuffle differently


def test_predictions_are_out_of_fold(small_labels):
    config = cfg.resolve_config(None, ["evaluation.folds=3", "evaluation.repeats=1"])
    result = ev.cross_validate(small_labels, config)
    _, splits = ev._splits(small_labels, 3, 1, 0)
    X = clf.prepared_texts(small_labels, config)
    y = np.array(small_labels.labels)
    expected = np.empty(len(y), dtype=object)
    for _, train, test in splits:
        expected[test] = clf.build_pipeline(config).fit(X[train], y[train]).predict(X[test])
    assert [p["predicted"] for p in result.predictions] == list(expected)


def test_figures_agree_with_the_predictions(small_labels):
    result = ev.cross_validate(small_labels, cfg.resolve_config(None, FAST))
    m, preds = result.metrics, result.predictions
    assert {"macro_f1", "accuracy", "per_class", "confusion", "baselines", "seed_macro_f1", "cv"} <= set(m)
    assert [p["row"] for p in preds] == [r.row for r in small_labels.rows]
    assert all(set(p) == {"row", "doc", "label", "predicted", "confidence"} for p in preds)
    y = [p["label"] for p in preds]
    yhat = [p["predicted"] for p in preds]
    classes = small_labels.classes
    assert m["macro_f1"] == pytest.approx(f1_score(y, yhat, labels=classes, average="macro"), abs=1e-4)
    assert m["accuracy"] == pytest.approx(accuracy_score(y, yhat), abs=1e-4)
    assert {k: v["support"] for k, v in m["per_class"].items()} == Counter(small_labels.labels)
    matrix = np.array(m["confusion"]["matrix"])
    assert m["confusion"]["labels"] == classes and matrix.sum() == len(y)
    assert np.trace(matrix) == sum(a == b for a, b in zip(y, yhat))
    assert m["cv"]["folds"] == 3 and m["cv"]["repeats"] == 2 and len(m["cv"]["repeat_macro_f1"]) == 2
    assert m["cv"]["macro_f1_std"] == pytest.approx(np.std(m["cv"]["repeat_macro_f1"]), abs=1e-4)
    # Seed-only macro-F1: real-article rows alone, over the labels they carry.
    seed = [i for i, r in enumerate(small_labels.rows) if r.is_seed]
    seed_y = [y[i] for i in seed]
    expected = f1_score(seed_y, [yhat[i] for i in seed], labels=sorted(set(seed_y)), average="macro")
    assert m["seed_rows"] == len(seed) and m["seed_macro_f1"] == pytest.approx(expected, abs=1e-4)
    # The model beats both baselines on this data.
    assert m["macro_f1"] > m["baselines"]["cue_words"]["macro_f1"] > m["baselines"]["majority"]["macro_f1"]


def test_majority_baseline_predicts_the_commonest_training_label(write_labels_file):
    rows = read_labels(REPO / "labels.csv").rows
    other = [r for r in rows if r.label == "other"][:60]
    rest = [r for r in rows if r.label in ("industry", "ecology")][:30]
    labels = read_labels(write_labels_file([(r.doc, r.text, r.label) for r in other + rest]))
    result = ev.cross_validate(labels, cfg.resolve_config(None, FAST))
    majority = result.metrics["baselines"]["majority"]
    assert majority["per_class"]["other"]["recall"] == 1.0
    assert majority["per_class"]["industry"]["recall"] == majority["per_class"]["ecology"]["recall"] == 0.0
    assert majority["accuracy"] == pytest.approx(60 / 90, abs=1e-4)


def test_cue_word_baseline():
    classes = ["ecology", "governance", "industry", "other", "talent"]
    texts = [
        "村里成立合作社，发展肉牛养殖，户均增收8000元。",
        "县委组织部选派32名优秀年轻干部担任第一书记，并组织集中培训。",
        "开展植树造林和防沙治沙，森林覆盖率提高到21%。",
        "今天的会议到此结束。",
        "村党支部完善网格管理，党群服务中心每天有人值班服务群众。",
    ]
    assert ev.cue_predict(texts, classes, "other") == ["industry", "talent", "ecology", "other", "governance"]
    # Only labels of the data are candidates; without a cue the fallback is used.
    assert ev.cue_predict(texts[:2], ["industry", "health"], "health") == ["industry", "health"]
    cues = ev.cue_words()
    assert set(cues) == set(classes) and all(len(words) >= 5 for words in cues.values())


def test_seed_rows_are_those_not_written():
    assert LabelRow(2, "001.txt", "x", "other", "seed").is_seed
    assert LabelRow(2, "001.txt", "x", "other", "").is_seed
    assert not LabelRow(2, "written-talent-017", "x", "talent", "written").is_seed
    assert not LabelRow(2, "written-article-a01", "x", "talent", "").is_seed


def test_one_document_is_too_few_for_grouped_cross_validation(write_labels_file):
    path = write_labels_file([("a", "合作社分红。", "industry"), ("a", "养殖场扩建。", "industry"),
                              ("a", "植树造林。", "ecology"), ("a", "治理沙化土地。", "ecology")])
    with pytest.raises(ToolkitError, match="all rows are in one doc"):
        ev.cross_validate(read_labels(path), cfg.resolve_config(None, FAST))


def test_saved_model_on_a_held_out_file(tmp_path_factory, write_labels_file):
    model = clf.load_model(shared_model(tmp_path_factory))
    rows = read_labels(REPO / "labels.csv").rows
    test_rows = [(r.doc, r.text, r.label) for r in rows if r.is_seed][:40]
    test_rows.append(("new.txt", "乡村医生每周上门为慢病老人测血压，卫生室新添了药品。", "health"))
    labels = ev.read_test_labels(write_labels_file(test_rows))  # a label may occur once here
    with pytest.warns(UserWarning, match="40 of 41 test rows are also training rows"):
        result = ev.evaluate_model(model, labels)  # the seed rows were trained on: it must say so
    m = result.metrics
    assert m["cv"] is None and m["test"]["labels_unknown_to_model"] == ["health"]
    assert m["per_class"]["health"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert m["rows"] == len(test_rows) == len(result.predictions)
    assert m["seed_rows"] == len(test_rows)
    top = max(model.card["labels"], key=model.card["labels"].get)
    assert m["baselines"]["majority"]["per_class"][top]["recall"] == 1.0
    text = report_text(m)
    for label in model.classes + ["health"]:
        assert label in text
    assert "macro-F1" in text and "cue_words" in text and "labels the model does not know" in text


def test_text_report_lists_every_figure(small_labels):
    m = ev.cross_validate(small_labels, cfg.resolve_config(None, FAST)).metrics
    text = report_text(m)
    assert "3 folds x 2 repeats" in text
    for label, s in m["per_class"].items():
        assert f"{label}" in text and f"{s['f1']:.3f}" in text
    assert f"macro-F1  {m['macro_f1']:.3f}" in text
    assert f"{m['baselines']['majority']['macro_f1']:.3f}" in text
    assert "confusion" in text


def test_bootstrap_interval_resamples_documents_and_holds_the_point():
    import random

    from sklearn.metrics import f1_score

    rng = random.Random(3)
    labels = ["industry", "governance", "other"]
    truth = [rng.choice(labels) for _ in range(400)]
    # Documents differ: in some the model is nearly always right, in others often wrong.
    pred = [t if rng.random() < (0.95 if (i // 20) % 2 else 0.45) else rng.choice(labels) for i, t in enumerate(truth)]
    docs = ev.bootstrap_macro_f1(truth, pred, [str(i // 20) for i in range(400)])
    rows = ev.bootstrap_macro_f1(truth, pred, [str(i) for i in range(400)])
    assert docs["macro_f1"] == round(f1_score(truth, pred, average="macro"), 4) == rows["macro_f1"]
    assert docs["low"] < docs["macro_f1"] < docs["high"] and docs["docs"] == 20
    # paragraphs of one article are not independent: resampling articles gives the honest, wider interval
    assert docs["high"] - docs["low"] > rows["high"] - rows["low"]


def test_held_out_figures_carry_intervals_and_warn_about_training_rows(model_path, write_labels_file):
    import warnings

    from toolkit.themes.classifier import load_model

    rows = [(f"mine-{i // 3}", text, label) for i, (text, label) in enumerate([
        ("村里的合作社今年卖出香菇两百吨，社员人均分红三千元。", "industry"),
        ("村党支部每月召开党员大会，议定村级重大事项。", "governance"),
        ("县里举办高素质农民培训班，一百名学员结业。", "talent"),
        ("沙区今年新造梭梭林两万亩，流动沙丘得到固定。", "ecology"),
        ("本报记者 张三", "other"),
        ("合作社引进冷链设备，蔬菜卖到了省城超市。", "industry"),
    ])]
    from toolkit.themes.labels import read_labels

    trained = read_labels(Path(__file__).resolve().parents[2] / "labels.csv").rows[:2]
    rows += [("copied", r.text, r.label) for r in trained]
    path = write_labels_file(rows, name="held_out.csv")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = ev.evaluate_model(load_model(model_path), ev.read_test_labels(path))
    assert any("2 of 8 test rows are also training rows" in str(w.message) for w in caught)
    m = result.metrics
    assert m["test"]["rows_also_in_training"] == 2 and m["test"]["docs"] == 3
    low, high = m["macro_f1_ci"]
    assert low <= m["macro_f1"] <= high
    assert m["baselines"]["cue_words"]["macro_f1_ci"] is not None
    assert "95% CI" in report_text(m)
