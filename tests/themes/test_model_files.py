"""The model files: the shipped model is never a default target, a retrain keeps the previous
model, and a save killed at any point leaves a loadable pair."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from tests.themes.test_classifier import copy_model, shared_model
from tests.themes.test_training import fast_config, small_labels  # noqa: F401  (fixture)
from toolkit.themes import classifier as clf
from toolkit.themes import training
from toolkit.cli import app
from toolkit.errors import ToolkitError

runner = CliRunner()


@pytest.fixture
def shipped(tmp_path_factory, tmp_path, monkeypatch):
    """A stand-in for the shipped model (the real one is never written by tests)."""
    path = copy_model(shared_model(tmp_path_factory), tmp_path / "pkg" / "models" / "theme.skops")
    monkeypatch.setattr("toolkit.themes.model_files.shipped_model_path", lambda: path)
    monkeypatch.setenv("TOOLKIT_HOME", str(tmp_path / "home"))
    return path


def files(path):
    return path.read_bytes(), clf.card_path(path).read_bytes()


def test_plain_train_writes_the_user_model_path_not_the_shipped_one(shipped, small_labels, tmp_path):
    before = files(shipped)
    result = training.train_model(small_labels, None, fast_config(), record=False)
    assert result.model.path == tmp_path / "home" / "models" / "theme.skops"
    assert clf.load_model(result.model.path).classes
    assert files(shipped) == before
    assert clf.default_model_path() == shipped  # commands keep using the shipped model


def test_the_shipped_model_is_replaced_only_when_asked_and_the_old_one_is_kept(shipped, small_labels):
    before = files(shipped)
    with pytest.raises(ToolkitError, match="is the shipped model.*replace_shipped=True"):
        training.train_model(small_labels, shipped, fast_config(), record=False)
    assert files(shipped) == before
    result = training.train_model(small_labels, shipped, fast_config(), record=False, replace_shipped=True)
    assert result.previous == clf.previous_path(shipped)
    assert files(shipped) != before
    previous = clf.load_model(clf.previous_path(shipped))  # the old one, and loadable
    assert previous.path.read_bytes() == before[0]


def test_cli_train_names_flags_and_refuses_the_shipped_model(shipped, small_labels):
    before = files(shipped)
    result = runner.invoke(app, ["train", "--labels", str(small_labels), "--model", str(shipped), "--no-record"])
    message = str(result.exception)
    assert isinstance(result.exception, ToolkitError)
    assert "--replace-shipped" in message and "replace_shipped" not in message
    assert files(shipped) == before


def test_train_will_not_write_a_model_over_a_csv_or_the_labels(shipped, small_labels, tmp_path):
    coded = tmp_path / "coded.csv"
    coded.write_text("doc,text,label\n", encoding="utf-8")
    with pytest.raises(ToolkitError, match=r"coded\.csv: a model is saved to a file ending in \.skops"):
        training.train_model(small_labels, coded, fast_config(), record=False)
    assert coded.read_text(encoding="utf-8") == "doc,text,label\n"
    stray = tmp_path / "notes.skops"
    stray.write_bytes(b"mine")
    with pytest.raises(ToolkitError, match="no model card beside it"):
        training.train_model(small_labels, stray, fast_config(), record=False)
    assert stray.read_bytes() == b"mine"


def test_save_killed_between_card_and_model_recovers_on_load(model_path, tmp_path, monkeypatch):
    target = copy_model(model_path, tmp_path / "m" / "theme.skops")
    old = clf.load_model(target)
    real_replace = os.replace

    def killed(src, dst):
        if str(src) == str(clf.pending_path(target)):
            raise KeyboardInterrupt  # the kill lands after the card was renamed into place
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", killed)
    old.card["created"] = "another run"  # a different card, so the pair really changes
    with pytest.raises(KeyboardInterrupt):
        clf.save_model(clf.ThemeModel(old.pipeline, dict(old.card)), target)
    monkeypatch.setattr(os, "replace", real_replace)
    loaded = clf.load_model(target)  # the new card with the pending model: moved into place
    assert loaded.card["created"] == "another run"
    assert not clf.pending_path(target).exists()
    assert clf.load_model(clf.previous_path(target)).card["created"] != "another run"


def test_stale_temporary_files_of_killed_writers_are_removed(tmp_path):
    from toolkit.files import atomic_write_text

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    stale = tmp_path / f".out.csv.{pid}.abcd.tmp"
    stale.write_text("half", encoding="utf-8")
    live = tmp_path / f".out.csv.{os.getpid()}.efgh.tmp"  # this process's own: kept
    live.write_text("mine", encoding="utf-8")
    atomic_write_text(tmp_path / "out.csv", "done")
    assert not stale.exists() and live.exists()
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == "done"


def test_a_fifo_target_is_written_in_place_not_renamed_over(tmp_path):
    import threading

    from toolkit.files import atomic_write_text

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, encoding="utf-8").read()))
    reader.start()
    atomic_write_text(fifo, "合作社\n")
    reader.join(10)
    assert got == ["合作社\n"]
    assert fifo.is_fifo()
