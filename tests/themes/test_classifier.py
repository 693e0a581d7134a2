"""The theme classifier: features, save/load and its safety checks, coding documents, the API."""

from __future__ import annotations

import hashlib
import json
import pickle
import tomllib
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pytest

from toolkit.themes import classifier as clf
from toolkit.themes import inspection, scoring, training
from toolkit.themes import config as cfg
from toolkit.errors import ToolkitError
from toolkit.themes.labels import read_labels

REPO = Path(__file__).resolve().parents[2]
_SHARED: dict = {}


def shared_model(tmp_path_factory) -> Path:
    """One model per test session, fitted (no cross-validation) on the repo's labels.csv."""
    if "path" not in _SHARED:
        folder = tmp_path_factory.mktemp("shared-model")
        labels = read_labels(REPO / "labels.csv")
        model = clf.fit(labels, cfg.resolve_config())
        _SHARED["path"] = clf.save_model(model, folder / "theme.skops").path
    return _SHARED["path"]


@pytest.fixture(scope="session")
def model_path(tmp_path_factory) -> Path:
    return shared_model(tmp_path_factory)


def copy_model(source: Path, target: Path) -> Path:
    """A model and its card copied to ``target``, for a test to damage."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes())
    clf.card_path(target).write_bytes(clf.card_path(source).read_bytes())
    return target


@pytest.fixture
def model_copy(model_path, tmp_path) -> Path:
    return copy_model(model_path, tmp_path / "models" / "theme.skops")


def seed_paragraphs(seed_docs) -> list[str]:
    return [p.analysis_text for doc in seed_docs.values() for p in doc.paragraphs]


# ------------------------------------------------------------------------------------------
# Features


def test_prepare_gives_simplified_words_without_punctuation(seed_docs):
    from toolkit.text.tokens import cut

    doc = seed_docs["000_80b299e3c5607492.txt"]  # Traditional script
    paragraph = doc.paragraphs[0]
    assert paragraph.text != paragraph.analysis_text
    rows = scoring.prepare([paragraph.analysis_text], "rjieba")
    assert rows.shape == (1, 2)
    assert rows[0, 0] == paragraph.analysis_text
    words = rows[0, 1].split()
    expected = [w for w in cut(paragraph.analysis_text) if any(ch.isalnum() or ch == "_" for ch in w)]
    assert words == expected
    assert "時節" in paragraph.text and "时节" in words  # Traditional became Simplified
    assert "," in paragraph.text and "," not in words and "。" not in words


def test_fast_scorer_reproduces_the_pipeline(model, seed_docs):
    texts = seed_paragraphs(seed_docs) + ["", "   ", "ABC  Def\t\tGH", "一", "😀 İstanbul 2.5万元"]
    X = scoring.prepare(texts, model.tokenizer, model.lexicon)
    scorer = model.predictor.scorer
    assert isinstance(scorer, scoring.FastScorer) and model.predictor.is_portable
    slow = model.pipeline.named_steps["features"].transform(X)
    fast = scorer.features(X)
    assert fast.shape == slow.shape
    np.testing.assert_allclose(fast.toarray(), slow.toarray(), rtol=0, atol=1e-6)
    p_slow = model.pipeline.predict_proba(X)
    p_fast = model.predict_proba(texts)
    np.testing.assert_allclose(p_fast, p_slow, atol=1e-6)
    assert (p_fast.argmax(axis=1) == p_slow.argmax(axis=1)).all()


def test_every_classifier_saves_and_loads_with_only_allowed_types(write_labels_file, tmp_path):
    import skops.io as sio

    rows = [r for r in read_labels(REPO / "labels.csv").rows][::5]
    path = write_labels_file([(r.doc, r.text, r.label) for r in rows])
    labels = read_labels(path)
    for name in cfg.CLASSIFIERS:
        config = cfg.resolve_config(None, [f"model.classifier={name}", "model.C=1.0"])
        model = clf.fit(labels, config)
        saved = clf.save_model(model, tmp_path / name / "theme.skops")
        untrusted = set(sio.get_untrusted_types(file=saved.path))
        assert untrusted <= clf.ALLOWED_TYPES, name
        loaded = clf.load_model(saved.path)
        texts = scoring.analysis_texts(labels.texts[:50])
        np.testing.assert_allclose(loaded.predict_proba(texts), model.predict_proba(texts), atol=1e-6)


# ------------------------------------------------------------------------------------------
# Saving and loading


def test_card_describes_model_and_data(model_path, model):
    card = json.loads(clf.card_path(model_path).read_text(encoding="utf-8"))
    labels = read_labels(REPO / "labels.csv")
    assert card["model_sha256"] == hashlib.sha256(model_path.read_bytes()).hexdigest()
    assert card["training_data"]["sha256"] == labels.sha256
    assert card["training_data"]["rows"] == len(labels.rows)
    assert card["labels"] == {c: labels.labels.count(c) for c in labels.classes}
    assert sorted(card["labels"]) == model.classes == labels.classes
    assert card["tokenizer"] is None  # characters only: prediction needs no word segmenter
    import sklearn

    assert card["versions"]["scikit-learn"] == sklearn.__version__
    assert card["pipeline"]["classifier__C"] == card["config"]["model"]["C"]
    assert card["pipeline"]["features__chars__ngram_range"] == card["config"]["features"]["char_ngram_range"]
    assert card["config"]["features"]["analyzer"] == "char"  # the shipped configuration
    assert not any(key.startswith("features__words") for key in card["pipeline"])


def test_missing_model_says_how_to_train(tmp_path):
    with pytest.raises(ToolkitError, match="no model there; train one with: toolkit train"):
        clf.load_model(tmp_path / "models" / "theme.skops")


def test_model_without_card_is_refused(model_copy):
    clf.card_path(model_copy).unlink()
    with pytest.raises(ToolkitError, match="model card theme.card.json is missing"):
        clf.load_model(model_copy)


def test_changed_model_file_is_refused(model_copy):
    data = bytearray(model_copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model_copy.write_bytes(bytes(data))
    with pytest.raises(ToolkitError, match="does not match its card"):
        clf.load_model(model_copy)


def _vouch(model: Path, data: bytes) -> None:
    """Replace the model file and make its card vouch for it, as an attacker would."""
    model.write_bytes(data)
    card_file = clf.card_path(model)
    card = json.loads(card_file.read_text(encoding="utf-8"))
    card["model_sha256"] = hashlib.sha256(data).hexdigest()
    card_file.write_text(json.dumps(card), encoding="utf-8")


def test_corrupt_model_with_matching_card_is_a_clear_error(model_copy):
    _vouch(model_copy, b"PK\x03\x04 this is not a zip archive at all")
    with pytest.raises(ToolkitError, match="not a skops model file"):
        clf.load_model(model_copy)


class _Marker:
    """Unpickling this runs code: it creates the file named ``path``."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def test_planted_pickle_is_refused_and_runs_nothing(model_copy, tmp_path):
    marker = tmp_path / "pwned-by-pickle"
    payload = pickle.dumps(_Marker(str(marker)))
    # The payload is live: plain unpickling creates a marker (elsewhere).
    probe = tmp_path / "probe"
    pickle.loads(pickle.dumps(_Marker(str(probe))))
    assert probe.exists()
    _vouch(model_copy, payload)
    with pytest.raises(ToolkitError, match="refusing to load"):
        clf.load_model(model_copy)
    assert not marker.exists()
    # The same pickle written by joblib is refused the same way.
    import joblib

    joblib.dump(_Marker(str(marker)), tmp_path / "joblib.pkl")
    _vouch(model_copy, (tmp_path / "joblib.pkl").read_bytes())
    with pytest.raises(ToolkitError, match="refusing to load"):
        clf.load_model(model_copy)
    assert not marker.exists()


class Planted:
    """A foreign type inside a skops file; building it creates ``marker`` (via __setstate__)."""

    def __init__(self, marker: str):
        self.marker = marker

    def __setstate__(self, state):
        Path(state["marker"]).write_text("ran")
        self.__dict__.update(state)


def test_skops_file_with_a_foreign_type_is_refused_and_runs_nothing(model, model_copy, tmp_path):
    import skops.io as sio
    from sklearn.pipeline import Pipeline

    marker = tmp_path / "pwned-by-skops"
    steps = model.pipeline.named_steps
    poisoned = Pipeline([("features", steps["features"]), ("classifier", steps["classifier"])])
    poisoned.planted = Planted(str(marker))
    data = sio.dumps(poisoned)
    assert "tests.themes.test_classifier.Planted" in sio.get_untrusted_types(data=data)
    _vouch(model_copy, data)
    with pytest.raises(ToolkitError, match=r"refusing to load: .*tests\.themes\.test_classifier\.Planted"):
        clf.load_model(model_copy)
    assert not marker.exists()
    # The file is live: trusting everything in it would build the object and create the marker.
    sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    assert marker.exists()


OLD_SKLEARN = "1.2.2"


def _edit_schema(data: bytes, edit) -> bytes:
    """A skops file with ``edit`` applied to its schema (the tree of objects it builds)."""
    import io

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "schema.json":
                schema = json.loads(content)
                edit(schema)
                content = json.dumps(schema).encode("utf-8")
            target.writestr(name, content)
    return out.getvalue()


def _states(node, cls: str | None = None):
    """The attribute dicts of the objects a skops schema builds (of class ``cls`` only, if given)."""
    if isinstance(node, list):
        for item in node:
            yield from _states(item, cls)
    elif isinstance(node, dict):
        if node.get("__loader__") == "ObjectNode" and cls in (None, node["__class__"]):
            yield node["content"]["content"]
        for value in node.values():
            yield from _states(value, cls)


def plant_sklearn_version(model: Path, version: str, edit=None) -> int:
    """Make ``model`` look written by scikit-learn ``version`` (after ``edit`` of its schema, if any).

    The card and every estimator's ``_sklearn_version`` in the file say so, and the card vouches
    for the changed file. Returns how many estimators were changed.
    """
    changed = 0

    def relabel(schema) -> None:
        nonlocal changed
        if edit is not None:
            edit(schema)
        for state in _states(schema):
            if "_sklearn_version" in state:
                state["_sklearn_version"]["content"] = json.dumps(version)
                changed += 1

    _vouch(model, _edit_schema(model.read_bytes(), relabel))
    card_file = clf.card_path(model)
    card = json.loads(card_file.read_text(encoding="utf-8"))
    card["versions"]["scikit-learn"] = version
    card_file.write_text(json.dumps(card), encoding="utf-8")
    return changed


def test_model_from_another_sklearn_version_warns_once_and_still_classifies(model, model_copy, seed_docs):
    import sklearn

    assert plant_sklearn_version(model_copy, OLD_SKLEARN) >= 4  # pipeline, columns, 2 vectorizers, classifier
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        old = clf.load_model(model_copy)
    # One warning of ours; scikit-learn's own, one per estimator, are not repeated on top of it.
    assert [type(w.message) for w in caught] == [clf.ModelVersionWarning]
    message = str(caught[0].message)
    assert message.startswith(f"{model_copy}: trained with scikit-learn 1.2.2, running {sklearn.__version__}; results may differ")
    assert message.endswith("retrain it with: toolkit train --labels labels.csv")
    doc = seed_docs["004_54588f1784913c82.txt"]
    assert clf.classify_document(doc, old).to_dict() == clf.classify_document(doc, model).to_dict()


def test_model_another_sklearn_cannot_use_asks_to_retrain(model_copy):
    """An older scikit-learn's model may lack state this one needs: loading fails, saying to retrain."""

    def drop_coefficients(schema) -> None:
        [state] = _states(schema, "LogisticRegression")
        del state["coef_"]

    plant_sklearn_version(model_copy, OLD_SKLEARN, edit=drop_coefficients)
    with pytest.warns(clf.ModelVersionWarning), pytest.raises(ToolkitError) as failure:
        clf.load_model(model_copy)
    message = str(failure.value)
    assert message.startswith(f"{model_copy}: the model was trained with scikit-learn 1.2.2 and ")
    assert "cannot use it (AttributeError: " in message and "coef_" in message
    assert message.endswith("; retrain it with: toolkit train --labels labels.csv") and "\n" not in message


def test_model_prepared_differently_asks_to_retrain(model_copy):
    card_file = clf.card_path(model_copy)
    card = json.loads(card_file.read_text(encoding="utf-8"))
    card["preparation_version"] = 0
    card_file.write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(ToolkitError, match="retrain"):
        clf.load_model(model_copy)


# ------------------------------------------------------------------------------------------
# Coding documents


def test_every_paragraph_is_coded_and_boilerplate_is_other(model, seed_docs):
    doc = seed_docs["003_c57ee54164801b7a.txt"]  # a page with menus, QR blurbs and bylines
    result = clf.classify_document(doc, model)
    assert [p.paragraph for p in result.paragraphs] == [p.index for p in doc.paragraphs]
    assert [p.text for p in result.paragraphs] == [p.text for p in doc.paragraphs]
    kinds = {p.index: p.kind for p in doc.paragraphs}
    boilerplate = [p for p in result.paragraphs if p.boilerplate]
    assert boilerplate and {p.boilerplate for p in boilerplate} <= {"navigation", "qr", "byline", "copyright", "links", "caption"}
    for p in result.paragraphs:
        assert abs(sum(p.probabilities.values()) - 1.0) < 1e-6
        assert set(p.probabilities) == set(model.classes)
        assert p.confidence == max(p.probabilities.values()) and p.label == max(p.probabilities, key=p.probabilities.get)
        if p.boilerplate:
            assert p.boilerplate == kinds[p.paragraph]
            assert p.label == "other" and p.probabilities["other"] == 1.0
    # Headings are structure, coded other by rule as the codebook codes them, but not boilerplate.
    headings = [p for p in result.paragraphs if kinds[p.paragraph] == "heading"]
    assert headings and all(p.boilerplate is None and p.label == "other" and p.confidence == 1.0 for p in headings)
    body = [p for p in result.paragraphs if kinds[p.paragraph] == "body"]
    assert all(p.confidence < 1.0 for p in body)


def test_document_shares_are_character_weighted_over_non_boilerplate(model, seed_docs):
    doc = seed_docs["004_54588f1784913c82.txt"]
    result = clf.classify_document(doc, model)
    body = [p for p in result.paragraphs if p.boilerplate is None]
    chars = sum(len(p.text) for p in body)
    assert result.chars == chars
    for label in model.classes:
        expected = sum(len(p.text) for p in body if p.label == label) / chars
        assert result.shares[label] == pytest.approx(expected)
    assert sum(result.shares.values()) == pytest.approx(1.0)
    assert result.main_label == max(result.shares, key=result.shares.get)


def test_without_other_label_boilerplate_goes_to_the_model(write_labels_file, seed_docs, tmp_path):
    rows = [r for r in read_labels(REPO / "labels.csv").rows if r.label in ("industry", "ecology")][:120]
    labels = read_labels(write_labels_file([(r.doc, r.text, r.label) for r in rows]))
    model = clf.fit(labels, cfg.resolve_config())
    doc = seed_docs["003_c57ee54164801b7a.txt"]
    result = clf.classify_document(doc, model)
    assert {p.label for p in result.paragraphs} <= {"industry", "ecology"}
    flagged = [p for p in result.paragraphs if p.boilerplate]
    assert flagged and all(p.confidence < 1.0 for p in flagged)
    assert set(result.shares) == {"industry", "ecology"}


def test_labels_come_from_the_data(write_labels_file, tmp_path):
    rows = [(r.doc, r.text, r.label) for r in read_labels(REPO / "labels.csv").rows][:300]
    health = [
        (f"written-health-{i}", text, "health")
        for i, text in enumerate([
            "村卫生室新配备了心电图机和血糖仪，乡村医生每周两次上门为慢病老人测血压。",
            "县医院专家团队下沉到乡镇卫生院坐诊，群众在家门口就能看上专家号。",
            "家庭医生签约服务覆盖全村，65岁以上老人每年免费体检一次。",
            "新农合报销比例提高后，住院费用自付部分明显减少，因病致贫的情况少了。",
        ])
    ]
    labels = read_labels(write_labels_file(rows + health))
    model = clf.fit(labels, cfg.resolve_config())
    assert "health" in model.classes
    saved = clf.save_model(model, tmp_path / "theme.skops")
    assert "health" in clf.load_model(saved.path).card["labels"]
    result = clf.classify_text("乡村医生定期上门随访慢病老人，卫生室药品齐全，村民看病更方便了。", model)
    assert "health" in result.paragraphs[0].probabilities


def test_python_api(model_path, seed_paths):
    import toolkit

    model = toolkit.load_model(model_path)
    text = seed_paths[1].read_text(encoding="utf-8")
    from_text = toolkit.classify_text(text, model, name="seed")
    from_doc = toolkit.classify_document(toolkit.read_document(str(seed_paths[1])), model)
    assert [p.label for p in from_text.paragraphs] == [p.label for p in from_doc.paragraphs]
    assert from_text.to_dict()["shares"] == from_doc.to_dict()["shares"]
    row = from_doc.paragraphs[0].to_dict()
    assert set(row) == {"doc", "paragraph", "label", "confidence", "probabilities", "boilerplate", "text"}
    with pytest.raises(ToolkitError, match="empty text"):
        toolkit.classify_text("  \n ", model)


def test_top_terms_are_the_heaviest_weights(model):
    terms = inspection.top_terms(model, 15)
    assert list(terms) == model.classes
    coef = model.pipeline.named_steps["classifier"].coef_
    names = list(model.pipeline.named_steps["features"].get_feature_names_out())
    for i, label in enumerate(model.classes):
        weights = [w for _, w in terms[label]]
        assert len(weights) == 15 and weights == sorted(weights, reverse=True)
        assert weights[0] == pytest.approx(coef[i].max())
        assert weights[-1] == pytest.approx(np.sort(coef[i])[-15])
        for term, _ in terms[label]:
            if term.startswith("c:"):
                name = "chars__" + term[2:].replace("␣", " ")
            else:  # lexicon group tags (lex_industry, lexauto_ecology...) name themselves
                name = ("lexicon__" if term.startswith("lex") else "words__") + term
            assert name in names


# ------------------------------------------------------------------------------------------
# Configuration and training


def test_default_config_file_matches_the_built_in_defaults():
    shipped = tomllib.loads((REPO / "experiments" / "configs" / "default.toml").read_text(encoding="utf-8"))
    assert shipped == cfg.DEFAULT_CONFIG
    for path in (REPO / "experiments" / "configs").glob("*.toml"):
        cfg.resolve_config(path)  # every shipped config is valid


def test_config_overrides_and_their_errors(tmp_path):
    config = cfg.resolve_config(None, ["model.C=2.5", "features.analyzer=char", "features.char_ngram_range=[2, 3]"])
    assert config["model"]["C"] == 2.5 and config["features"]["analyzer"] == "char"
    assert config["features"]["char_ngram_range"] == [2, 3]
    for bad, message in [
        ("model.C=-1", "model.C must be a positive number"),
        ("features.analyzer=chars", "features.analyzer must be one of"),
        ("features.word_ngram_range=[2, 1]", "word_ngram_range must be"),
        ("model.classifier=forest", "model.classifier must be one of"),
        ("features.tokeniser=jieba", "tokeniser"),
    ]:
        with pytest.raises(ToolkitError, match=message):
            cfg.resolve_config(None, [bad])


@pytest.mark.parametrize(
    "rows, message",
    [
        ([("a", "合作社分红。", "industry"), ("b", "养殖场扩建。", "industry")], "only one label"),
        ([("a", "合作社分红。", "industry"), ("b", "养殖场扩建。", "industry"), ("c", "植树造林。", "ecology")],
         "label 'ecology' has 1 example"),
        ([], "no labelled rows"),
    ],
)
def test_failed_training_leaves_the_model_untouched(model_copy, write_labels_file, rows, message):
    before = model_copy.read_bytes(), clf.card_path(model_copy).read_bytes()
    path = write_labels_file(rows)
    with pytest.raises(ToolkitError, match=message):
        training.train_model(path, model_copy, record=False)
    assert (model_copy.read_bytes(), clf.card_path(model_copy).read_bytes()) == before
    assert sorted(p.name for p in model_copy.parent.iterdir()) == ["theme.card.json", "theme.skops"]


def test_character_model_prepares_text_without_segmenting(monkeypatch):
    def no_segmenter(*args, **kwargs):
        raise AssertionError("a characters-only model must not segment words")

    monkeypatch.setattr("toolkit.text.tokens.cut", no_segmenter)
    rows = scoring.prepare(["嘎查村集体经济增收。"], tokenizer=None)
    assert rows.tolist() == [["嘎查村集体经济增收。", ""]]
    assert clf.word_tokenizer({"analyzer": "char", "tokenizer": "rjieba"}) is None
    assert clf.word_tokenizer({"analyzer": "both", "tokenizer": "jieba"}) == "jieba"
