"""Run configurations: TOML files and --set overrides, checked against the defaults they update."""

from __future__ import annotations

import re

import pytest

from toolkit.themes.config import flatten, load_config
from toolkit.errors import ToolkitError

DEFAULTS = {
    "name": "default",
    "features": {"tokenizer": "rjieba", "analyzer": "both", "char_ngram_range": [1, 3], "sublinear_tf": True,
                 "min_df": 1},
    "model": {"classifier": "logreg", "C": 4.0, "class_weight": "balanced"},
    "evaluation": {"folds": 5, "repeats": 3, "seed": 0},
}


def test_load_config_merges_file_and_typed_overrides_over_defaults(tmp_path):
    path = tmp_path / "char-svm.toml"
    path.write_text('# 字符 n-gram，线性 SVM\nname = "char-svm"\n[features]\nanalyzer = "char"\n'
                    '[model]\nclassifier = "svm"\nC = 1.0\n', encoding="utf-8")
    config = load_config(path, [
        "model.C=4", "features.char_ngram_range=[2, 4]", "features.sublinear_tf=false",
        "model.class_weight=none", 'features.tokenizer="jieba"', "evaluation.seed=7", "features.min_df=2",
    ], defaults=DEFAULTS)
    assert config["name"] == "char-svm"
    assert config["features"] == {"tokenizer": "jieba", "analyzer": "char", "char_ngram_range": [2, 4],
                                  "sublinear_tf": False, "min_df": 2}
    assert config["model"] == {"classifier": "svm", "C": 4.0, "class_weight": "none"}
    assert isinstance(config["model"]["C"], float)  # 4 typed on the command line, a float like the default
    assert config["evaluation"] == {"folds": 5, "repeats": 3, "seed": 7}
    assert DEFAULTS["model"]["C"] == 4.0 and DEFAULTS["features"]["analyzer"] == "both"  # not mutated


def test_load_config_without_defaults_returns_file_and_overrides_only(tmp_path):
    path = tmp_path / "word.toml"
    path.write_text('[features]\nanalyzer = "word"\n', encoding="utf-8")
    assert load_config(path, ["model.C=.5", "features.word_ngram_range=[1, 2]", "cv.shuffle=true"]) == {
        "features": {"analyzer": "word", "word_ngram_range": [1, 2]},
        "model": {"C": 0.5},
        "cv": {"shuffle": True},
    }
    assert load_config(None, ["features.analyzer=char_wb"]) == {"features": {"analyzer": "char_wb"}}
    assert load_config(None) == {}


def test_unknown_keys_are_named_with_the_known_ones(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text('[features]\nanalyser = "char"\n', encoding="utf-8")
    with pytest.raises(ToolkitError) as caught:
        load_config(path, defaults=DEFAULTS)
    message = str(caught.value)
    assert message.startswith(f"{path}: unknown key 'features.analyser'")
    assert "analyzer, char_ngram_range, min_df, sublinear_tf, tokenizer" in message
    assert "did you mean 'features.analyzer'" in message

    with pytest.raises(ToolkitError, match=r"^override modle\.C=2: unknown section 'modle' .*evaluation, features, model, name"):
        load_config(None, ["modle.C=2"], defaults=DEFAULTS)
    with pytest.raises(ToolkitError, match=r"unknown key 'model\.penalty'"):
        load_config(None, ["model.penalty=l1"], defaults=DEFAULTS)
    # Without defaults nothing is known, so nothing is unknown.
    assert load_config(path) == {"features": {"analyser": "char"}}


def test_malformed_and_unreadable_config_files_name_the_file(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('[features]\nanalyzer = "char\n', encoding="utf-8")
    with pytest.raises(ToolkitError, match=rf"^{re.escape(str(broken))}: not valid TOML \(.*line 2"):
        load_config(broken)
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes('# 字符模型\n[features]\nanalyzer = "char"\n'.encode("gb18030"))
    with pytest.raises(ToolkitError, match=r"gbk\.toml: not UTF-8"):
        load_config(gbk)
    with pytest.raises(ToolkitError, match=r"missing\.toml: no such config file"):
        load_config(tmp_path / "missing.toml")
    with pytest.raises(ToolkitError, match="is a directory"):
        load_config(tmp_path)


@pytest.mark.parametrize("override, problem", [
    ("model.C=abc", r"model\.C should be a number \(like 4\.0\), not \"abc\""),
    ("features.sublinear_tf=yes", r"should be true or false"),
    ("features.char_ngram_range=2", r"should be a list"),
    ("features.analyzer.kind=char", r"features\.analyzer is a value, not a section"),
    ("features=char", r"features is a section"),
    ("model.C", r"expected section\.key=value"),
    ("=4", r"expected section\.key=value"),
    ("model.C=", r"no value"),
    ("features.char_ngram_range=[1, 3", r"not a valid TOML value"),
    ("model..C=1", r"not a dotted key"),
])
def test_bad_overrides_are_explained(override, problem):
    with pytest.raises(ToolkitError, match=problem) as caught:
        load_config(None, [override], defaults=DEFAULTS)
    assert str(caught.value).startswith(f"override {override}: ")


def test_flatten_gives_one_dotted_key_per_setting():
    assert flatten(DEFAULTS) == {
        "name": "default",
        "features.tokenizer": "rjieba", "features.analyzer": "both", "features.char_ngram_range": [1, 3],
        "features.sublinear_tf": True, "features.min_df": 1,
        "model.classifier": "logreg", "model.C": 4.0, "model.class_weight": "balanced",
        "evaluation.folds": 5, "evaluation.repeats": 3, "evaluation.seed": 0,
    }


def test_training_uses_the_one_configuration_module():
    from toolkit.themes import config, training

    assert training.flatten is flatten and training.resolve_config is config.resolve_config
    assert config.load_config is load_config
