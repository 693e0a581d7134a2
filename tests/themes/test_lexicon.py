"""The domain lexicon: its file format, the tags it gives real text, and models that depend on it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from toolkit.themes import classifier as clf
from toolkit.themes import lexicon as lx
from toolkit.errors import ToolkitError
from toolkit.themes.labels import read_labels
from toolkit.themes.scoring import FastScorer, analysis_texts, prepare
from toolkit.themes.config import resolve_config


def test_every_theme_and_the_outside_groups_have_terms():
    groups = {tag.split("_")[1] for tag in lx.lexicon().tags.values()}
    assert {"industry", "governance", "talent", "ecology", "offdomain", "furniture"} <= groups
    curated = lx.parse_lexicon(
        (lx.resources.files("toolkit") / "data" / lx.LEXICON_FILE).read_text(encoding="utf-8-sig"))
    per_theme = {}
    for tag in curated.values():
        theme = tag.split("_")[1]
        per_theme[theme] = per_theme.get(theme, 0) + 1
    assert all(per_theme[t] >= 300 for t in ("industry", "governance", "talent", "ecology"))


def test_tags_follow_the_point_of_real_sentences(seed_docs):
    tags = lx.lexicon().tag_text
    assert "lex_industry" in tags("合作社土地流转后，村集体经济收入突破百万元")
    assert "lex_offdomain" in tags("法院一审判决被告人有期徒刑五年")
    # the longest match wins: 村集体经济 is one term, not also 集体经济
    assert tags("村集体经济").split() == ["lex_industry"]
    seed = next(d for name, d in seed_docs.items() if name.startswith("002"))
    text = " ".join(p.analysis_text for p in seed.body)
    found = set(tags(text).split())
    assert {"lex_governance", "lex_industry"} <= found


@pytest.mark.parametrize("body, problem", [
    ("term,theme,weight\n合作社,,1.0\n", "row 2: empty term or theme"),
    ("term,theme,weight\n合作社,industry,strong\n", "is not a number"),
    ("term,theme,weight\n合作社,industry,1.0\n合作社,governance,1.0\n", "under two groups"),
    ("word,group\n合作社,industry\n", "needs the columns"),
])
def test_a_bad_lexicon_file_is_one_error_naming_the_row(body, problem):
    with pytest.raises(ToolkitError, match=problem):
        lx.parse_lexicon(body, "my.csv")


def test_weak_terms_get_their_own_tag():
    tags = lx.parse_lexicon("term,theme,weight\n企业,industry,0.5\n合作社,industry,1\n")
    assert tags == {"企业": "lex_industry_weak", "合作社": "lex_industry"}


@pytest.fixture(scope="module")
def lexicon_model(tmp_path_factory):
    labels = read_labels(Path(__file__).resolve().parents[2] / "labels.csv")
    config = resolve_config(None, ["features.lexicon=true", "features.lexicon_weight=1.5"])
    model = clf.fit(labels, config)
    return clf.save_model(model, tmp_path_factory.mktemp("lex") / "theme.skops")


def test_the_fast_scorer_reproduces_a_lexicon_pipeline(lexicon_model, seed_docs):
    model = clf.load_model(lexicon_model.path)
    assert model.lexicon and isinstance(model.predictor.scorer, FastScorer)
    texts = [p.analysis_text for d in seed_docs.values() for p in d.paragraphs]
    rows = prepare(texts, None, lexicon=True)
    assert rows.shape[1] == 3
    assert np.allclose(model.pipeline.predict_proba(rows), model.predictor.scorer.predict_proba(rows), atol=1e-5)


def test_a_model_is_refused_when_the_lexicon_changed_since_training(lexicon_model, monkeypatch):
    changed = lx.Lexicon(lx.lexicon().tags, "0" * 64, lx.lexicon().automaton)
    monkeypatch.setattr(lx, "lexicon", lambda: changed)
    with pytest.raises(ToolkitError, match="another version of the domain lexicon"):
        clf.load_model(lexicon_model.path)
