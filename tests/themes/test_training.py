"""A training run: every one recorded, and a failure anywhere leaves the existing model as it was."""

from __future__ import annotations

import pytest

from tests.themes.test_classifier import copy_model, shared_model
from toolkit.themes import classifier as clf
from toolkit.themes import training
from toolkit.themes import config as cfg
from toolkit.errors import ToolkitError
from tests.labels_files import write_labels
from toolkit.themes.labels import read_labels

FAST = {"evaluation": {"folds": 2, "repeats": 1, "seed": 0}}


@pytest.fixture
def model_copy(tmp_path_factory, tmp_path):
    return copy_model(shared_model(tmp_path_factory), tmp_path / "models" / "theme.skops")


@pytest.fixture(scope="module")
def small_labels(tmp_path_factory, repo_dir):
    rows = read_labels(repo_dir / "labels.csv").rows
    path = tmp_path_factory.mktemp("labels") / "labels.csv"
    write_labels(path, [r for i, r in enumerate(rows) if i % 8 == 0])
    return path


def fast_config():
    config = cfg.resolve_config()
    config["evaluation"].update(FAST["evaluation"])
    return config


def files(model):
    return model.read_bytes(), clf.card_path(model).read_bytes()


def test_experiments_path_that_is_a_file_fails_before_fitting(model_copy, small_labels, tmp_path, monkeypatch):
    before = files(model_copy)
    not_a_dir = tmp_path / "experiments"
    not_a_dir.write_text("x", encoding="utf-8")
    fitted = []
    monkeypatch.setattr(training, "fit", lambda *a, **k: fitted.append(1))
    with pytest.raises(ToolkitError, match="experiments: not a directory"):
        training.train_model(small_labels, model_copy, fast_config(), experiments_dir=not_a_dir)
    assert fitted == [] and files(model_copy) == before


def test_a_run_that_cannot_be_recorded_takes_the_new_model_back(model_copy, small_labels, tmp_path, monkeypatch):
    before = files(model_copy)

    def disk_full(*args, **kwargs):
        raise ToolkitError("experiments: cannot write (No space left on device)")

    monkeypatch.setattr(training, "record_run", disk_full)
    with pytest.raises(ToolkitError, match="No space left"):
        training.train_model(small_labels, model_copy, fast_config(), experiments_dir=tmp_path / "exp")
    assert files(model_copy) == before
    assert sorted(p.name for p in model_copy.parent.iterdir()) == ["theme.card.json", "theme.skops"]


def test_first_model_is_removed_again_if_its_run_cannot_be_recorded(small_labels, tmp_path, monkeypatch):
    monkeypatch.setattr(training, "record_run", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
    model = tmp_path / "new" / "theme.skops"
    with pytest.raises(KeyboardInterrupt):
        training.train_model(small_labels, model, fast_config(), experiments_dir=tmp_path / "exp")
    assert list(model.parent.iterdir()) == []


def test_recorded_run_and_card_point_at_each_other(small_labels, tmp_path):
    model = tmp_path / "m" / "theme.skops"
    result = training.train_model(small_labels, model, fast_config(), experiments_dir=tmp_path / "exp", name="n")
    assert result.run_dir.parent == tmp_path / "exp" and result.run_dir.name.endswith("-n")
    assert clf.load_model(model).card["run"] == result.run_dir.name


def test_run_names_carry_the_overrides():
    config = {"name": "default"}
    assert training.run_name(config) == "default"
    assert training.run_name(config, ["model.C=2", "features.analyzer=char"]) == "default-C=2-analyzer=char"
    assert training.run_name(config, ["features.char_ngram_range=[1, 3]"]) == "default-char_ngram_range=_1_3_"
