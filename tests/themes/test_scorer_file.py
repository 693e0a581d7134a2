"""The scorer file (``theme.scorer.npz``): classifying without scikit-learn, with the trust guarantees."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import toolkit.themes.classifier as clf
from toolkit.themes import config as cfg
from toolkit.errors import ToolkitError
from toolkit.themes.labels import read_labels
from toolkit.themes.scoring import prepare

REPO = Path(__file__).resolve().parents[2]


def seed_texts(seed_docs) -> list[str]:
    return [p.analysis_text for doc in seed_docs.values() for p in doc.paragraphs]


def copy_with_scorer(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    for f in (source, clf.card_path(source), clf.scorer_path(source)):
        (target.parent / f.name.replace(source.stem, target.stem)).write_bytes(f.read_bytes())
    return target


def test_shipped_model_classifies_without_importing_scikit_learn_or_skops():
    code = ("import sys, toolkit; r = toolkit.classify_text('合作社今年销售额突破百万元，带动30户增收。'); "
            "print(r.paragraphs[0].label, 'sklearn' in sys.modules, 'skops' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert out.stdout.split() == ["industry", "False", "False"]


def test_shipped_scorer_gives_the_pipelines_probabilities(seed_docs):
    path = clf.shipped_model_path()
    fast = clf.load_model(path)
    assert fast._pipeline is None and fast.card["scorer_sha256"]
    texts = seed_texts(seed_docs)
    full = clf.load_model(path, scorer=False)
    expected = full.pipeline.predict_proba(prepare(texts, full.tokenizer, full.lexicon))
    assert np.abs(fast.predict_proba(texts) - expected).max() < 1e-5
    assert fast.classes == [str(c) for c in full.pipeline.classes_]


@pytest.mark.parametrize("lexicon", [False, True])
def test_train_writes_the_scorer_and_it_reproduces_the_pipeline(lexicon, tmp_path, seed_docs):
    rows = read_labels(REPO / "labels.csv").rows
    labels_path = tmp_path / "labels.csv"
    labels_path.write_text("doc,text,label\n" + "".join(
        f'{r.doc},"{r.text.replace(chr(34), chr(34) * 2)}",{r.label}\n' for i, r in enumerate(rows) if i % 4 == 0),
        encoding="utf-8")
    config = cfg.resolve_config()
    config["features"].update(lexicon=lexicon, analyzer="both")
    model = clf.fit(read_labels(labels_path), config)
    target = tmp_path / "m" / "theme.skops"
    clf.save_model(model, target)
    card = json.loads(clf.card_path(target).read_text(encoding="utf-8"))
    assert card["scorer_file"] == "theme.scorer.npz"
    assert card["scorer_sha256"] == hashlib.sha256(clf.scorer_path(target).read_bytes()).hexdigest()
    loaded = clf.load_model(target)
    assert loaded._pipeline is None and loaded.lexicon is lexicon
    texts = seed_texts(seed_docs)
    expected = model.pipeline.predict_proba(prepare(texts, model.tokenizer, model.lexicon))
    assert np.abs(loaded.predict_proba(texts) - expected).max() < 1e-5
    # A retrain keeps the old scorer beside the old model, named by the old card.
    clf.save_model(model, target)
    previous = clf.previous_path(target)
    assert clf.scorer_path(previous).is_file()
    assert clf.load_model(previous)._pipeline is None


def test_a_changed_scorer_file_is_never_read_the_pipeline_is_used(model_path, tmp_path, seed_docs):
    target = copy_with_scorer(model_path, tmp_path / "x" / "theme.skops")
    data = bytearray(clf.scorer_path(target).read_bytes())
    data[-30] ^= 0xFF
    clf.scorer_path(target).write_bytes(bytes(data))
    loaded = clf.load_model(target)
    assert loaded._pipeline is not None  # the skops file, with all its type checks
    assert clf.classify_document(next(iter(seed_docs.values())), loaded).paragraphs


def test_a_scorer_file_holding_pickled_objects_is_refused(model_path, tmp_path):
    target = copy_with_scorer(model_path, tmp_path / "y" / "theme.skops")
    with np.load(clf.scorer_path(target), allow_pickle=False) as arrays:
        content = dict(arrays)
    content["classes"] = np.array([object(), "x"], dtype=object)  # a pickle inside the npz
    buffer = io.BytesIO()
    np.savez(buffer, **content)
    clf.scorer_path(target).write_bytes(buffer.getvalue())
    card = json.loads(clf.card_path(target).read_text(encoding="utf-8"))
    card["scorer_sha256"] = hashlib.sha256(buffer.getvalue()).hexdigest()  # even with a matching card
    clf.card_path(target).write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ToolkitError, match="cannot use the scorer file"):
        clf.load_model(target)


def test_a_changed_model_file_is_refused_even_with_a_good_scorer(model_path, tmp_path):
    target = copy_with_scorer(model_path, tmp_path / "z" / "theme.skops")
    target.write_bytes(target.read_bytes() + b"x")
    with pytest.raises(ToolkitError, match="does not match its card"):
        clf.load_model(target)


def test_scikit_learn_version_comes_from_package_metadata():
    from importlib.metadata import version

    assert clf.sklearn_version() == version("scikit-learn")
