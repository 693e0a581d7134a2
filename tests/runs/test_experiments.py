"""Run records and their comparison: real files on disk, honest figures from sklearn, real tests.

The runs here are built the way ``toolkit train`` builds them: out-of-fold predictions for every row
of a real labels file, with metrics computed from those predictions by scikit-learn. The scenarios
are constructed so the right answer is known: B fixes 30 of A's 60 errors and breaks none (better
beyond noise); B swaps 30 of A's errors for 30 new ones (no detectable difference).
"""

from __future__ import annotations

import csv
import errno
import json
import multiprocessing
import re
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from toolkit.runs import store as ex
from toolkit.runs import comparison as cmp
from toolkit.runs import statistics as stats
from toolkit.cli.render import experiments as render
from toolkit.errors import ToolkitError
from toolkit.files import sha256_file
from toolkit.themes.labels import LabelSet, read_labels

THEMES = ("industry", "governance", "talent", "ecology", "other")
CUES = {"industry": "合作社", "governance": "村规民约", "talent": "返乡青年", "ecology": "梭梭林", "other": "责任编辑"}
PLACES = ("阿拉善左旗", "巴彦浩特镇", "吉兰泰嘎查", "腾格里苏木", "乌兰布和", "额济纳旗")
TEMPLATES = {
    "industry": "{place}第{i}号{cue}把肉苁蓉接种到梭梭根部，今年每亩增收{n}元，村民分红到户。",
    "governance": "{place}两委班子第{i}次议事会修订{cue}，{n}户村民代表逐条表决，矛盾纠纷就地化解。",
    "talent": "{place}{cue}第{i}批回村创业，第一书记手把手带教，{n}名大学生留在了嘎查。",
    "ecology": "{place}第{i}片{cue}完成封育，治沙站监测风沙天数减少{n}天，草场植被明显恢复。",
    "other": "{cue}：第{i}号稿件（来源：{place}融媒体中心，{n}次浏览）",
}


# --------------------------------------------------------------------------------------------
# Building realistic runs


def write_labels(path: Path, n: int = 300, per_doc: int = 10, skip: set[int] = frozenset(),
                 relabel: set[int] = frozenset(), extra: int = 0) -> Path:
    """A labels.csv of ``n`` paragraphs in ``n / per_doc`` articles; text i is the same in every file."""
    rows = []
    for i in range(n + extra):
        if i in skip:
            continue
        theme = THEMES[i % len(THEMES)]
        cue = CUES[theme] if i % 3 else "村里"  # a third of the paragraphs carry no cue word
        text = TEMPLATES[theme].format(place=PLACES[i % len(PLACES)], i=i, cue=cue, n=10 + 7 * i)
        label = THEMES[(i + 1) % len(THEMES)] if i in relabel else theme
        rows.append([f"article-{i // per_doc:02d}.txt" if i < n else f"written-{theme}-{i:03d}", text, label])
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["doc", "text", "label"])
        writer.writerows(rows)
    return path


def summary(result: dict) -> str:
    """The verdict in words, as ``experiments compare`` shows it."""
    return render.verdict_summary(result["paired"])


#: Reasons the verdict once gave without computing them.
CANNED = ("rarer themes", "common themes", "rare themes", "too few articles")


def wrong(label: str) -> str:
    return THEMES[(THEMES.index(label) + 1) % len(THEMES)]


def _scores(gold, pred) -> dict:
    return {"macro_f1": float(f1_score(gold, pred, average="macro", zero_division=0)),
            "accuracy": float(accuracy_score(gold, pred))}


def metrics_for(labels, predicted: list[str]) -> dict:
    """The metrics ``toolkit train`` reports, computed by scikit-learn from the predictions."""
    gold = labels.labels
    classes = labels.classes
    p, r, f, s = precision_recall_fscore_support(gold, predicted, labels=classes, zero_division=0)
    majority = Counter(gold).most_common(1)[0][0]
    cue_pred = [next((t for t, cue in CUES.items() if cue in row.text), majority) for row in labels.rows]
    seed = [i for i, row in enumerate(labels.rows) if not row.doc.startswith("written-")]
    return {
        **_scores(gold, predicted),
        "per_class": {c: {"precision": p[i], "recall": r[i], "f1": f[i], "support": int(s[i])}
                      for i, c in enumerate(classes)},
        "confusion": {"labels": classes, "matrix": confusion_matrix(gold, predicted, labels=classes).tolist()},
        "baselines": {
            name: {**_scores(gold, base),
                   "per_class": {c: {"f1": v} for c, v in zip(classes, f1_score(gold, base, labels=classes,
                                                                               average=None, zero_division=0))}}
            for name, base in (("majority", [majority] * len(gold)), ("cue_words", cue_pred))
        },
        "seed_macro_f1": float(f1_score([gold[i] for i in seed], [predicted[i] for i in seed], average="macro")),
        "cv": {"folds": 5, "repeats": 3, "seed": 0, "macro_f1_std": 0.021},
    }


def predictions_for(labels, predicted: list[str]) -> list[dict]:
    return [{"row": row.row, "doc": row.doc, "label": row.label, "predicted": p,
             "confidence": np.float64(0.9 if p == row.label else 0.55)}
            for row, p in zip(labels.rows, predicted)]


def params_for(analyzer="both", C=4.0, class_weight="balanced", **pipeline) -> dict:
    return {
        "features.tokenizer": "rjieba",
        "features.analyzer": analyzer,
        "features.char_ngram_range": [1, 3],
        "model.classifier": "logreg",
        "model.C": C,
        "model.class_weight": class_weight,
        "pipeline": {
            "clf__C": C,
            "clf__class_weight": None if class_weight == "none" else class_weight,
            "clf__max_iter": 1000,
            "clf": f"LogisticRegression(C={C}, class_weight='{class_weight}', max_iter=1000)",
            **pipeline,
        },
    }


def record(root: Path, labels, predicted: list[str], name: str = "default", model_path: Path | None = None,
           **params) -> Path:
    return ex.record_run(
        root, name, params=params_for(**params), metrics=metrics_for(labels, predicted),
        predictions=predictions_for(labels, predicted), labels=labels, model_path=model_path, duration_s=12.5,
    )


def errors_of(labels, wrong_rows) -> list[str]:
    return [wrong(r.label) if i in wrong_rows else r.label for i, r in enumerate(labels.rows)]


def better_pair(labels, seed: int = 1) -> tuple[list[str], list[str]]:
    """A wrong on 60 paragraphs; B fixes 30 of them and breaks none."""
    rng = np.random.default_rng(seed)
    a_wrong = set(rng.choice(len(labels.rows), 60, replace=False).tolist())
    b_wrong = set(sorted(a_wrong)[:30])
    return errors_of(labels, a_wrong), errors_of(labels, b_wrong)


def noise_pair(labels, seed: int = 2) -> tuple[list[str], list[str]]:
    """A and B wrong on 45 paragraphs each, 15 shared: 30 fixed and 30 broken, pure swap."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(labels.rows)).tolist()
    a_wrong = set(order[:45])
    b_wrong = set(order[30:75])
    return errors_of(labels, a_wrong), errors_of(labels, b_wrong)


@pytest.fixture
def labels(tmp_path):
    return read_labels(write_labels(tmp_path / "labels.csv"))


@pytest.fixture
def root(tmp_path):
    return tmp_path / "experiments"


@pytest.fixture
def frozen_clock(monkeypatch):
    """Every recording in the same second: the case where ids would collide."""
    moment = datetime(2026, 11, 23, 19, 35, 12, tzinfo=timezone.utc)
    monkeypatch.setattr(ex, "_utcnow", lambda: moment)
    return moment


# --------------------------------------------------------------------------------------------
# Recording


def test_record_run_writes_a_complete_readable_record(labels, root, tmp_path):
    model = tmp_path / "theme.skops"
    model.write_bytes(b"model bytes " * 100)
    predicted, _ = better_pair(labels)
    path = record(root, labels, predicted, name="char n-grams/拼音", model_path=model)

    assert path.parent == root
    assert re.fullmatch(r"\d{8}T\d{6}Z-char-n-grams-拼音", path.name)
    assert sorted(p.name for p in path.iterdir()) == ["metrics.json", "params.json", "predictions.csv", "run.json"]

    info = json.loads((path / "run.json").read_text(encoding="utf-8"))
    assert info["id"] == path.name and info["name"] == "char n-grams/拼音"
    created = datetime.strptime(info["created"], "%Y-%m-%dT%H:%M:%SZ")
    assert path.name.startswith(created.strftime("%Y%m%dT%H%M%SZ"))
    assert info["duration_s"] == 12.5
    assert info["labels"] == {"path": labels.path, "sha256": sha256_file(labels.path), "rows": 300, "docs": 30,
                              "counts": {t: 60 for t in sorted(THEMES)}}
    assert info["model"] == {"path": str(model), "sha256": sha256_file(model)}
    assert set(info["versions"]) == {"python", "toolkit", "scikit-learn", "numpy", "scipy", "jieba", "rjieba",
                                     "opencc", "skops", "joblib", "charset-normalizer", "typer"}
    assert info["versions"]["scikit-learn"] == __import__("sklearn").__version__
    assert info["versions"]["numpy"] == np.__version__
    assert info["command"] == sys.argv
    assert "git" not in info  # tmp_path is not in a repository

    params = json.loads((path / "params.json").read_text(encoding="utf-8"))
    assert params == params_for()
    metrics = json.loads((path / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["macro_f1"] == pytest.approx(f1_score(labels.labels, predicted, average="macro"))
    assert metrics["per_class"]["talent"]["support"] == 60

    with open(path / "predictions.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 300
    assert list(rows[0]) == ["row", "doc", "label", "predicted", "confidence", "text_hash"]
    by_row = {r.row: r for r in labels.rows}
    for written, p in zip(rows, predicted):
        source = by_row[int(written["row"])]
        assert written["doc"] == source.doc and written["label"] == source.label and written["predicted"] == p
        assert written["text_hash"] == ex.paragraph_hash(source.text)
        assert float(written["confidence"]) == (0.9 if p == source.label else 0.55)


def test_paragraph_hash_ignores_whitespace_but_not_wording():
    assert ex.paragraph_hash("嘎查村  合作社\n分红") == ex.paragraph_hash(" 嘎查村 合作社 分红 ")
    assert ex.paragraph_hash("嘎查村合作社分红") != ex.paragraph_hash("嘎查村合作社分紅")


def test_git_commit_is_recorded_inside_a_repository(labels, tmp_path):
    repo = tmp_path / "project"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(git + ["init", "-q"], check=True)
    (repo / "labels.txt").write_text("x", encoding="utf-8")
    subprocess.run(git + ["add", "labels.txt"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "labels"], check=True)
    head = subprocess.run(git + ["rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()

    clean = record(repo / "experiments", labels, labels.labels)
    assert json.loads((clean / "run.json").read_text())["git"] == {"commit": head, "dirty": False}
    (repo / "labels.txt").write_text("edited", encoding="utf-8")
    dirty = record(repo / "experiments", labels, labels.labels)
    assert json.loads((dirty / "run.json").read_text())["git"] == {"commit": head, "dirty": True}


def test_same_second_same_name_gets_a_suffix(labels, root, frozen_clock):
    first = record(root, labels, labels.labels, name="word")
    second = record(root, labels, labels.labels, name="word")
    other = record(root, labels, labels.labels, name="char")
    assert (first.name, second.name, other.name) == (
        "20261123T193512Z-word", "20261123T193512Z-word-2", "20261123T193512Z-char")
    assert json.loads((second / "run.json").read_text())["id"] == second.name


def test_an_id_taken_between_check_and_rename_is_retried_not_merged(labels, root, frozen_clock, monkeypatch):
    real_atomic_directory = ex.atomic_directory
    other = root / "20261123T193512Z-default"

    def another_writer_wins_the_race(target):
        if target == other and not other.exists():
            other.mkdir(parents=True)  # another training renames its record into place first
            (other / "run.json").write_text('{"id": "theirs"}', encoding="utf-8")
        return real_atomic_directory(target)

    monkeypatch.setattr(ex, "atomic_directory", another_writer_wins_the_race)
    path = record(root, labels, labels.labels)
    assert path.name == "20261123T193512Z-default-2"
    assert sorted(p.name for p in other.iterdir()) == ["run.json"]  # theirs, untouched
    assert sorted(p.name for p in root.iterdir()) == [other.name, path.name]


class Interrupted(KeyboardInterrupt):
    pass


def test_an_interrupted_recording_leaves_nothing(labels, root, monkeypatch):
    kept = record(root, labels, labels.labels, name="kept")
    real_write = ex._write_predictions

    def write_half_then_interrupt(path, rows):
        real_write(path, rows[: len(rows) // 2])  # half a predictions.csv is on disk ...
        assert path.exists() and path.stat().st_size > 0
        raise Interrupted()  # ... when Ctrl-C arrives

    monkeypatch.setattr(ex, "_write_predictions", write_half_then_interrupt)
    with pytest.raises(Interrupted):
        record(root, labels, labels.labels, name="interrupted")
    assert [p.name for p in root.iterdir()] == [kept.name]  # no run, no temporary directory
    assert [r.id for r in ex.list_runs(root)] == [kept.name]


def test_a_failed_write_is_an_error_and_leaves_nothing(labels, root, monkeypatch):
    def disk_full(path, rows):
        path.write_text("row,doc\n1,", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ex, "_write_predictions", disk_full)
    with pytest.raises(ToolkitError, match=r"experiments: cannot write the run record \(No space left on device\)"):
        record(root, labels, labels.labels)
    assert list(root.iterdir()) == []
    assert ex.list_runs(root) == []


def test_bad_input_is_refused_before_anything_is_written(labels, root, tmp_path):
    predictions = predictions_for(labels, labels.labels)
    predictions[5] = {**predictions[5], "row": 9999}
    with pytest.raises(ValueError, match="row 9999"):
        ex.record_run(root, "x", params={}, metrics={}, predictions=predictions, labels=labels,
                      model_path=None, duration_s=1)
    twice = predictions_for(labels, labels.labels)
    twice[7] = {**twice[7], "row": twice[6]["row"]}
    with pytest.raises(ValueError, match=rf"row {twice[6]['row']} predicted twice"):
        ex.record_run(root, "x", params={}, metrics={}, predictions=twice, labels=labels,
                      model_path=None, duration_s=1)
    with pytest.raises(ToolkitError, match="missing.skops: model file not found"):
        record(root, labels, labels.labels, model_path=tmp_path / "missing.skops")
    assert not root.exists() or list(root.iterdir()) == []


def _record_in_thread(root, labels, name, barrier, out, index):
    barrier.wait()
    out[index] = record(root, labels, labels.labels, name=name)


def test_concurrent_recordings_in_threads_all_land_under_distinct_ids(labels, root, frozen_clock):
    n = 8
    barrier = threading.Barrier(n)
    out: list = [None] * n
    threads = [threading.Thread(target=_record_in_thread, args=(root, labels, "default", barrier, out, i))
               for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = {"20261123T193512Z-default"} | {f"20261123T193512Z-default-{k}" for k in range(2, n + 1)}
    assert {p.name for p in out} == expected
    assert {p.name for p in root.iterdir()} == expected  # and no temporary directory left behind
    for run in ex.list_runs(root):
        assert run.info["id"] == run.id and len(run.predictions()) == 300


def _record_in_process(root, labels_path, name, barrier):
    barrier.wait()
    record(root, read_labels(labels_path), read_labels(labels_path).labels, name=name)


def test_concurrent_recordings_in_processes_all_land_under_distinct_ids(labels, root, frozen_clock):
    context = multiprocessing.get_context("fork")  # children inherit the frozen clock
    n = 4
    barrier = context.Barrier(n)
    processes = [context.Process(target=_record_in_process, args=(root, labels.path, "svm", barrier))
                 for _ in range(n)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(60)
    assert [p.exitcode for p in processes] == [0] * n
    runs = ex.list_runs(root)
    assert sorted(r.id for r in runs) == sorted(
        ["20261123T193512Z-svm"] + [f"20261123T193512Z-svm-{k}" for k in range(2, n + 1)])
    assert all(len(r.predictions()) == 300 and r.rows == 300 for r in runs)


# --------------------------------------------------------------------------------------------
# Finding runs


def test_runs_are_found_by_id_prefix_path_and_latest(labels, root, monkeypatch):
    times = iter([datetime(2026, 11, 23, 19, m, 0, tzinfo=timezone.utc) for m in (1, 2, 3)])
    monkeypatch.setattr(ex, "_utcnow", lambda: next(times))
    word = record(root, labels, labels.labels, name="word")
    char = record(root, labels, labels.labels, name="char")
    both = record(root, labels, labels.labels, name="both")
    (root / "configs").mkdir()
    (root / "configs" / "word.toml").write_text('[features]\nanalyzer = "word"\n', encoding="utf-8")
    (root / ".20261123T190400Z-half.abc.tmp").mkdir()  # what an interrupted recording looks like

    assert [r.id for r in ex.list_runs(root)] == [word.name, char.name, both.name]
    assert ex.resolve_run(root, char.name).path == char
    assert ex.resolve_run(root, "20261123T1902").path == char
    assert ex.resolve_run(root, str(word)).path == word
    assert ex.resolve_run(root, "latest").path == both
    assert ex.resolve_run(root, "latest~2").path == word
    assert ex.resolve_run(root, "char").path == char  # a run name: its latest run
    with pytest.raises(ToolkitError, match=r"^latest~3: .* holds 3 runs"):
        ex.resolve_run(root, "latest~3")
    with pytest.raises(ToolkitError, match=r"^2026: matches 3 runs .*give more of the id"):
        ex.resolve_run(root, "2026")
    with pytest.raises(ToolkitError, match=r"^nope: no such run in .*3 runs"):
        ex.resolve_run(root, "nope")
    with pytest.raises(ToolkitError, match=r"configs: not a run directory"):
        ex.resolve_run(root, str(root / "configs"))
    with pytest.raises(ToolkitError, match="no such experiments directory"):
        ex.list_runs(root / "missing")


def test_a_run_name_means_its_latest_run(labels, root, monkeypatch):
    times = iter([datetime(2026, 11, 23, 19, m, 0, tzinfo=timezone.utc) for m in (1, 2, 3)])
    monkeypatch.setattr(ex, "_utcnow", lambda: next(times))
    first = record(root, labels, labels.labels, name="word")
    record(root, labels, labels.labels, name="char")
    second = record(root, labels, labels.labels, name="word")
    assert ex.resolve_run(root, "word").path == second
    assert ex.resolve_run(root, first.name).path == first


def test_a_damaged_record_is_reported_or_skipped(labels, root):
    good = record(root, labels, labels.labels, name="good")
    bad = record(root, labels, labels.labels, name="bad")
    (bad / "metrics.json").write_text('{"macro_f1": 0.8,', encoding="utf-8")
    with pytest.raises(ToolkitError, match=r"metrics\.json: not valid JSON"):
        ex.list_runs(root)
    problems: list[str] = []
    assert [r.id for r in ex.list_runs(root, on_problem=problems.append)] == [good.name]
    assert len(problems) == 1 and str(bad / "metrics.json") in problems[0]


# --------------------------------------------------------------------------------------------
# Overview


def test_overview_sorts_by_macro_f1_and_shows_only_differing_parameters(labels, root):
    gold = labels.labels
    worst = errors_of(labels, set(range(0, 300, 4)))
    middle = errors_of(labels, set(range(0, 300, 8)))
    best = errors_of(labels, set(range(0, 300, 20)))
    pipeline_common = {"features__char__max_df": 1.0}
    record(root, labels, middle, name="char", analyzer="char", C=4.0, **pipeline_common,
           features__word__token_pattern=None, features__char="TfidfVectorizer(analyzer='char', ngram_range=(1, 3))",
           features__chars__analyzer="char")  # only the char-only pipeline has this one
    record(root, labels, worst, name="word", analyzer="word", C=1.0, **pipeline_common,
           features__word__token_pattern="(?u)\\S+", features__char="drop",
           features__words__analyzer="word", features__words__norm="l2")  # only the word-only pipeline has these
    record(root, labels, best, name="both", analyzer="both", C=4.0, **pipeline_common,
           features__word__token_pattern="(?u)\\S+", features__char="TfidfVectorizer(analyzer='char', ngram_range=(1, 4))")
    data = cmp.overview(ex.list_runs(root), root)

    assert [r["name"] for r in data["runs"]] == ["both", "char", "word"]
    assert [r["macro_f1"] for r in data["runs"]] == pytest.approx(
        [f1_score(gold, p, average="macro") for p in (best, middle, worst)])
    # model.C differs (so pipeline clf__C, its repeat, is not a second column); the tokenizer, the
    # class weight and max_df are the same everywhere; features__char differs but is too long to show;
    # features__chars__* and features__words__* exist in one pipeline each: they come with features.analyzer.
    assert data["differing_params"] == ["features.analyzer", "model.C", "pipeline.features__word__token_pattern"]
    assert data["runs"][0]["params"] == {"features.analyzer": "both", "model.C": 4.0,
                                         "pipeline.features__word__token_pattern": "(?u)\\S+"}
    assert data["same_labels"] is True

    table = next(b for b in render.overview_report(data) if isinstance(b, render.Table))
    assert table.columns == ["id", "created", "rows", "macro-F1", "accuracy", "seed macro-F1",
                             "features.analyzer", "model.C", "pipeline.features__word__token_pattern"]
    assert [row[0].rsplit("-", 1)[1] for row in table.rows] == ["both", "char", "word"]
    assert table.rows[1][-1] == "None" and table.rows[1][2] == "300"
    assert table.rows[0][3] == f"{data['runs'][0]['macro_f1']:.3f} ± 0.021"
    assert table.numeric == {2, 3, 4, 5}


def test_overview_flags_runs_on_different_labels_files(labels, root, tmp_path):
    record(root, labels, labels.labels, name="old")
    newer = read_labels(write_labels(tmp_path / "labels2.csv", extra=10))
    metrics = metrics_for(newer, newer.labels)
    metrics["cv"] = {"folds": 5, "repeats": 1, "seed": 0, "macro_f1_std": 0.0}
    ex.record_run(root, "new", params=params_for(), metrics=metrics, predictions=predictions_for(newer, newer.labels),
                  labels=newer, model_path=None, duration_s=3.0)
    data = cmp.overview(ex.list_runs(root), root)
    assert data["same_labels"] is False
    assert {r["name"]: r["macro_f1_std"] for r in data["runs"]} == {"old": 0.021, "new": None}  # one repeat, no spread
    report = render.overview_report(data)
    table = next(b for b in report if isinstance(b, render.Table))
    assert "labels" in table.columns
    shas = {row[table.columns.index("labels")] for row in table.rows}
    assert shas == {labels.sha256[:8], newer.sha256[:8]}
    assert data["differing_params"] == []  # same parameters; only the data differ
    assert any("different labels files" in line for b in report if isinstance(b, render.Lines) for line in b.lines)


# --------------------------------------------------------------------------------------------
# Statistics and comparison


def test_macro_f1_from_counts_matches_sklearn_on_subsets_that_lose_classes():
    rng = np.random.default_rng(5)
    gold = rng.choice(THEMES, 120, p=[0.4, 0.3, 0.15, 0.1, 0.05]).tolist()
    a = [g if rng.random() < 0.7 else rng.choice(THEMES) for g in gold]
    b = [g if rng.random() < 0.8 else rng.choice(THEMES) for g in gold]
    for size in (3, 7, 15, 40, 120):
        idx = rng.choice(120, size, replace=True)
        y, pa, pb = ([s[i] for i in idx] for s in (gold, a, b))
        result = stats.paired_bootstrap(y, pa, pb, resamples=0)
        assert result["macro_f1_a"] == pytest.approx(f1_score(y, pa, average="macro", zero_division=0))
        assert result["macro_f1_b"] == pytest.approx(f1_score(y, pb, average="macro", zero_division=0))


def test_bootstrap_spread_agrees_with_a_plain_resampling_loop(labels):
    gold = labels.labels
    a, b = noise_pair(labels)
    result = stats.paired_bootstrap(gold, a, b, resamples=4000, seed=3)
    rng = np.random.default_rng(11)
    y, pa, pb = (np.array(v) for v in (gold, a, b))
    loop = []
    for _ in range(400):
        i = rng.integers(0, len(y), len(y))
        loop.append(f1_score(y[i], pb[i], average="macro") - f1_score(y[i], pa[i], average="macro"))
    assert result["difference_std"] == pytest.approx(np.std(loop, ddof=1), rel=0.15)
    low, high = np.quantile(loop, [0.025, 0.975])
    assert result["ci"][0] == pytest.approx(low, abs=0.015) and result["ci"][1] == pytest.approx(high, abs=0.015)
    # One group per paragraph is the same resampling as none.
    assert stats.paired_bootstrap(gold, a, b, resamples=500, seed=4, groups=list(range(300)))["ci"] == \
        stats.paired_bootstrap(gold, a, b, resamples=500, seed=4)["ci"]


def test_b_that_fixes_30_of_a_s_errors_is_better_beyond_noise(labels, root):
    a, b = better_pair(labels)
    run_a = ex.load_run(record(root, labels, a, name="word", analyzer="word"))
    run_b = ex.load_run(record(root, labels, b, name="both", analyzer="both"))
    result = cmp.compare_runs(run_a, run_b)
    paired = result["paired"]

    assert paired["paragraphs"] == 300 and result["labels"]["same_file"] is True
    assert paired["macro_f1_a"] == pytest.approx(f1_score(labels.labels, a, average="macro"))
    assert paired["macro_f1_b"] == pytest.approx(f1_score(labels.labels, b, average="macro"))
    assert paired["difference"] == pytest.approx(paired["macro_f1_b"] - paired["macro_f1_a"])
    assert 0 < paired["ci"][0] < paired["difference"] < paired["ci"][1]
    assert paired["mcnemar"] == {"a_only_correct": 0, "b_only_correct": 30, "both_correct": 240,
                                 "both_wrong": 30, "p": pytest.approx(2 * 0.5 ** 30)}
    assert result["verdict"] == "better"
    assert summary(result).startswith("B is better than A beyond noise")
    assert "B fixes 30 paragraphs A got wrong and breaks 0" in summary(result)

    reverse = cmp.compare_runs(run_b, run_a)
    assert reverse["verdict"] == "worse" and reverse["paired"]["ci"][1] < 0
    assert summary(reverse).startswith("B is worse than A beyond noise")

    # Same seed, same interval; another seed, another draw.
    assert cmp.compare_runs(run_a, run_b)["paired"]["ci"] == paired["ci"]
    assert cmp.compare_runs(run_a, run_b, seed=1)["paired"]["ci"] != paired["ci"]


def test_swapped_errors_are_no_detectable_difference(labels, root):
    a, b = noise_pair(labels)
    result = cmp.compare_runs(ex.load_run(record(root, labels, a)), ex.load_run(record(root, labels, b)))
    paired = result["paired"]
    assert paired["mcnemar"]["a_only_correct"] == paired["mcnemar"]["b_only_correct"] == 30
    assert paired["mcnemar"]["p"] == pytest.approx(1.0)
    assert paired["ci"][0] < 0 < paired["ci"][1]
    assert result["verdict"] == "no_difference"
    assert summary(result).startswith("no detectable difference: the macro-F1 change")


def test_identical_predictions_are_no_difference_at_all(labels, root):
    a, _ = better_pair(labels)
    result = cmp.compare_runs(ex.load_run(record(root, labels, a)), ex.load_run(record(root, labels, a)))
    assert result["paired"]["ci"] == [0.0, 0.0] and result["paired"]["mcnemar"]["p"] == 1.0
    assert summary(result) == "no detectable difference: no change in any prediction"
    assert result["params"] == [] and all(m["change"] in (0, 0.0) for m in result["metrics"])


def test_a_gain_inside_two_articles_is_not_beyond_noise_when_documents_are_resampled(labels, root):
    # A is wrong on every paragraph of articles 00 and 01 and on 40 others; B fixes just those two articles.
    in_two = {i for i, r in enumerate(labels.rows) if r.doc in ("article-00.txt", "article-01.txt")}
    a = errors_of(labels, in_two | set(range(25, 300, 7)))
    b = errors_of(labels, set(range(25, 300, 7)) - in_two)
    run_a, run_b = ex.load_run(record(root, labels, a)), ex.load_run(record(root, labels, b))

    by_paragraph = cmp.compare_runs(run_a, run_b, resample="paragraph")
    assert by_paragraph["verdict"] == "better" and by_paragraph["paired"]["ci"][0] > 0

    by_doc = cmp.compare_runs(run_a, run_b)  # whole documents are resampled by default
    assert by_doc["paired"]["units"] == 30 and by_doc["paired"]["resample"] == "doc"
    # Both articles are left out of about 13% of resamples, where A and B then agree exactly.
    assert by_doc["paired"]["ci"][0] == 0.0
    assert by_doc["verdict"] == "mixed"
    # The reason is counted, not canned: the 20 paragraphs B fixes are in two of the 30 articles.
    assert "the paragraphs B fixes or breaks lie in 2 of 30 documents" in summary(by_doc), summary(by_doc)
    assert not any(phrase in summary(by_doc) for phrase in CANNED)


def test_compare_reports_every_metric_per_class_and_confusion_changes(labels, root):
    a, b = better_pair(labels)
    run_a = ex.load_run(record(root, labels, a, name="svm", C=1.0, class_weight="none"))
    run_b = ex.load_run(record(root, labels, b, name="lr", C=4.0))
    result = cmp.compare_runs(run_a, run_b)

    params = {p["key"]: (p["a"], p["b"], p["in_table"]) for p in result["params"]}
    assert params == {"model.C": (1.0, 4.0, True), "model.class_weight": ("none", "balanced", True),
                      "pipeline.clf": ("LogisticRegression(C=1.0, class_weight='none', max_iter=1000)",
                                       "LogisticRegression(C=4.0, class_weight='balanced', max_iter=1000)", False),
                      "pipeline.clf__C": (1.0, 4.0, False),
                      "pipeline.clf__class_weight": (None, "balanced", False)}

    metrics = {m["metric"]: m for m in result["metrics"]}
    for key in ("macro_f1", "accuracy", "seed_macro_f1"):
        assert metrics[key]["change"] == pytest.approx(run_b.metrics[key] - run_a.metrics[key])
    assert metrics["baselines.cue_words.macro_f1"]["change"] == 0
    assert metrics["cv.macro_f1_std"]["a"] == 0.021
    assert "baselines.majority.per_class.talent.f1" in metrics

    classes = {c["label"]: c for c in result["per_class"]}
    assert sorted(classes) == sorted(THEMES)
    for label, c in classes.items():
        for measure in ("precision", "recall", "f1"):
            expected = run_b.metrics["per_class"][label][measure] - run_a.metrics["per_class"][label][measure]
            assert c[measure]["change"] == pytest.approx(expected)
        assert c["support"] == {"a": 60, "b": 60, "change": 0}

    change = np.array(result["confusion"]["change"])
    assert (change == np.array(run_b.metrics["confusion"]["matrix"]) - np.array(run_a.metrics["confusion"]["matrix"])).all()
    assert change.trace() == 30 and change.sum() == 0  # 30 paragraphs moved onto the diagonal

    report = render.comparison_report(result)
    titles = [b.title for b in report if isinstance(b, render.Table)]
    assert titles[0] == "parameters that differ" and "per class" in titles
    assert any("3 pipeline parameters also differ" in line for b in report if isinstance(b, render.Lines)
               for line in b.lines)


def test_runs_on_different_labels_files_are_refused_unless_asked(labels, root, tmp_path):
    # The new file drops 20 paragraphs, recodes 5 and adds 10: 275 paragraphs are coded the same in both.
    newer = read_labels(write_labels(tmp_path / "labels2.csv", skip=set(range(20)),
                                     relabel={100, 101, 102, 103, 104}, extra=10))
    assert newer.sha256 != labels.sha256 and len(newer.rows) == 290
    run_a = ex.load_run(record(root, labels, better_pair(labels)[0]))
    run_b = ex.load_run(record(root, newer, newer.labels))

    with pytest.raises(ToolkitError) as caught:
        cmp.compare_runs(run_a, run_b)
    message = str(caught.value)
    assert "were trained on different labels files" in message
    assert labels.sha256[:12] in message and newer.sha256[:12] in message
    assert "allow_different_labels=True compares the 275 paragraphs" in message and "--" not in message

    result = cmp.compare_runs(run_a, run_b, allow_different_labels=True)
    assert result["labels"] == {"same_file": False, "sha256_a": labels.sha256, "sha256_b": newer.sha256,
                                "rows_a": 300, "rows_b": 290, "paired": 275, "paired_by": "text",
                                "left_out_a": 25, "left_out_b": 15}
    assert result["paired"]["paragraphs"] == 275
    lines = [line for b in render.comparison_report(result) if isinstance(b, render.Lines) for line in b.lines]
    assert any("paired over the 275 paragraphs coded the same way in both (A has 300, B has 290)" in line
               for line in lines)


def test_too_few_resamples_are_refused(labels, root):
    run = ex.load_run(record(root, labels, labels.labels))
    with pytest.raises(ToolkitError, match=r"^resamples 10: use at least 100 resamples"):
        cmp.compare_runs(run, run, resamples=10)


# --------------------------------------------------------------------------------------------
# Review fixes (issue 5): pairing, verdict reasons, same run, settings, seed rows, resampling


def with_duplicates(labels, copies) -> LabelSet:
    """``labels`` with the rows at ``copies`` coded again at the end of the file, verbatim."""
    last = max(r.row for r in labels.rows)
    extra = tuple(replace(labels.rows[i], row=last + 1 + k) for k, i in enumerate(copies))
    return LabelSet(labels.path, labels.rows + extra, labels.sha256)


def class_f1_changes(gold, a, b) -> dict[str, float]:
    classes = sorted(set(gold))
    fa = f1_score(gold, a, labels=classes, average=None, zero_division=0)
    fb = f1_score(gold, b, labels=classes, average=None, zero_division=0)
    return {c: float(y - x) for c, x, y in zip(classes, fa, fb)}


def test_rows_coded_twice_in_one_file_are_paired_row_by_row(labels, root):
    doubled = with_duplicates(labels, [0, 1, 2])
    a = errors_of(doubled, {300, 301, 302})  # A is wrong on the three second copies only
    b = list(doubled.labels)
    result = cmp.compare_runs(ex.load_run(record(root, doubled, a, name="a")),
                             ex.load_run(record(root, doubled, b, name="b")), resample="paragraph")
    assert result["labels"]["paired"] == result["paired"]["paragraphs"] == 303
    assert result["labels"]["paired_by"] == "row"
    assert result["labels"]["left_out_a"] == result["labels"]["left_out_b"] == 0
    mc = result["paired"]["mcnemar"]
    assert (mc["b_only_correct"], mc["a_only_correct"], mc["both_correct"]) == (3, 0, 300)
    assert result["paired"]["macro_f1_a"] == pytest.approx(f1_score(doubled.labels, a, average="macro"))


def test_different_files_pair_repeated_paragraphs_by_occurrence_and_say_what_was_left_out(labels, root, tmp_path):
    newer = read_labels(write_labels(tmp_path / "labels2.csv", extra=10))
    a_labels = with_duplicates(labels, [0, 0])  # the first paragraph three times: 302 rows
    b_labels = with_duplicates(newer, [0])  # twice, and ten new paragraphs: 311 rows
    run_a = ex.load_run(record(root, a_labels, a_labels.labels, name="a"))
    run_b = ex.load_run(record(root, b_labels, b_labels.labels, name="b"))
    with pytest.raises(ToolkitError, match="compares the 301 paragraphs"):
        cmp.compare_runs(run_a, run_b)
    result = cmp.compare_runs(run_a, run_b, allow_different_labels=True)
    assert result["labels"]["paired_by"] == "text"
    assert result["paired"]["paragraphs"] == result["labels"]["paired"] == 301
    assert (result["labels"]["left_out_a"], result["labels"]["left_out_b"]) == (1, 10)
    lines = [line for b in render.comparison_report(result) if isinstance(b, render.Lines) for line in b.lines]
    assert any("left out: 1 of A's 302 rows and 10 of B's 311" in line for line in lines), lines


def test_the_verdict_names_the_classes_whose_f1_moved_most(labels, root):
    # A calls every talent paragraph ecology; B gets 20 of them right and breaks 20 others:
    # as many fixed as broken, so McNemar sees nothing, while macro-F1 rises with talent's F1.
    talent = [i for i, r in enumerate(labels.rows) if r.label == "talent"]
    others = [i for i, r in enumerate(labels.rows) if r.label not in ("talent", "governance")]
    a = [("ecology" if r.label == "talent" else r.label) for r in labels.rows]
    b = list(a)
    for i in talent[::3]:
        b[i] = "talent"
    for i in others[::9][:20]:
        b[i] = wrong(b[i])
    assert sum(x != y for x, y in zip(a, b)) == 40
    result = cmp.compare_runs(ex.load_run(record(root, labels, a, name="a")),
                             ex.load_run(record(root, labels, b, name="b")))
    changes = class_f1_changes(labels.labels, a, b)
    top = max(changes, key=lambda c: abs(changes[c]))
    assert top == "talent" and result["paired"]["mcnemar"]["p"] == pytest.approx(1.0)
    assert result["verdict"] == "mixed"
    assert f"F1 moved most in talent ({changes['talent']:+.3f})" in summary(result), summary(result)
    assert not any(phrase in summary(result) for phrase in CANNED)

    better = cmp.compare_runs(*(ex.load_run(record(root, labels, p, name=n)) for p, n in
                               zip(better_pair(labels), ("c", "d"))))
    assert better["verdict"] == "better" and "F1 moved most in " in summary(better)
    assert not any(phrase in summary(better) for phrase in CANNED)


def test_a_run_is_not_compared_with_itself(labels, root):
    path = record(root, labels, labels.labels)
    with pytest.raises(ToolkitError, match=rf"^A and B are the same run \({re.escape(path.name)}\)"):
        cmp.compare_runs(ex.load_run(path), ex.load_run(path))


def test_documents_are_resampled_by_default(labels, root):
    a, b = better_pair(labels)
    result = cmp.compare_runs(ex.load_run(record(root, labels, a, name="a")),
                             ex.load_run(record(root, labels, b, name="b")))
    assert result["paired"]["resample"] == "doc" and result["paired"]["units"] == 30
    assert result["verdict"] == "better"


SETTINGS = {"rows", "seed_rows", "cv.folds", "cv.repeats", "cv.seed"}


def test_the_metrics_leave_settings_out_and_a_single_repeat_has_no_spread(labels, root):
    a, b = better_pair(labels)
    one_repeat = metrics_for(labels, b)
    one_repeat.update(rows=300, seed_rows=300)
    one_repeat["cv"] = {"folds": 5, "repeats": 1, "seed": 0, "macro_f1_std": 0.0}
    run_a = ex.load_run(record(root, labels, a, name="a"))
    run_b = ex.load_run(ex.record_run(root, "b", params=params_for(), metrics=one_repeat,
                                      predictions=predictions_for(labels, b), labels=labels, model_path=None,
                                      duration_s=1.0))
    result = cmp.compare_runs(run_a, run_b)
    names = {m["metric"] for m in result["metrics"]}
    assert "macro_f1" in names and "seed_macro_f1" in names
    assert not names & SETTINGS and not any(n.endswith(".support") for n in names)
    spread = next(m for m in result["metrics"] if m["metric"] == "cv.macro_f1_std")
    assert (spread["a"], spread["b"], spread["change"]) == (0.021, None, None)  # B ran one repeat: 0.0 is no spread
    both_repeated = cmp.compare_runs(run_a, ex.load_run(record(root, labels, b, name="c")))
    spread = next(m for m in both_repeated["metrics"] if m["metric"] == "cv.macro_f1_std")
    assert spread["a"] == spread["b"] == 0.021


def test_seed_rows_get_their_own_paired_test(tmp_path, root):
    labels = read_labels(write_labels(tmp_path / "labels.csv", extra=60))  # 60 team-written paragraphs
    seed = [i for i, r in enumerate(labels.rows) if not r.doc.startswith("written-")]
    written = [i for i, r in enumerate(labels.rows) if r.doc.startswith("written-")]
    assert (len(seed), len(written)) == (300, 60)
    seed_errors = set(seed[::10])
    # B fixes 30 written paragraphs and nothing on the seed rows: better overall, no change on seeds.
    a = errors_of(labels, seed_errors | set(written[:30]))
    b = errors_of(labels, seed_errors)
    result = cmp.compare_runs(ex.load_run(record(root, labels, a, name="a")),
                             ex.load_run(record(root, labels, b, name="b")))
    seeds = result["paired_seed"]
    assert seeds["paragraphs"] == 300 and seeds["difference"] == 0.0 and seeds["ci"] == [0.0, 0.0]
    assert result["paired"]["difference"] > 0

    # B fixes seed paragraphs: the seed figure moves, and its interval is its own.
    c = errors_of(labels, set(seed[::5]))
    d = errors_of(labels, set(seed[::10]))
    result = cmp.compare_runs(ex.load_run(record(root, labels, c, name="c")),
                             ex.load_run(record(root, labels, d, name="d")))
    seeds = result["paired_seed"]
    gold = [labels.labels[i] for i in seed]
    assert seeds["macro_f1_a"] == pytest.approx(f1_score(gold, [c[i] for i in seed], average="macro"))
    assert seeds["macro_f1_b"] == pytest.approx(f1_score(gold, [d[i] for i in seed], average="macro"))
    assert seeds["ci"][0] > 0 and seeds["resample"] == "doc" and seeds["units"] == 30
    lines = [line for blk in render.comparison_report(result) if isinstance(blk, render.Lines) for line in blk.lines]
    assert any(line.startswith("seed rows (300 paragraphs from real articles") and
               f"change {seeds['difference']:+.3f}" in line for line in lines), lines


def test_runs_record_versions_and_values_through_the_one_shared_implementation(labels, root):
    from toolkit import provenance

    assert ex.library_versions is provenance.library_versions and ex.json_safe is provenance.json_safe
    info = json.loads((record(root, labels, labels.labels) / "run.json").read_text(encoding="utf-8"))
    assert info["versions"] == provenance.library_versions()


def test_messages_count_runs_in_the_right_number(labels, root, tmp_path):
    record(root, labels, labels.labels)
    with pytest.raises(ToolkitError, match=r"^nope: no such run in .* \(1 run; "):
        ex.resolve_run(root, "nope")
    with pytest.raises(ToolkitError, match=r"^latest~1: .* holds 1 run$"):
        ex.resolve_run(root, "latest~1")
    a_file = tmp_path / "runs.txt"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(ToolkitError, match=r"runs\.txt: not a directory"):
        ex.list_runs(a_file)
