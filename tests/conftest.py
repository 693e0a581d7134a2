"""Shared fixtures: the five seed articles as files and as segmented documents."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return REPO / "seeds"


@pytest.fixture(scope="session")
def seed_paths(seeds_dir) -> list[Path]:
    paths = sorted(seeds_dir.glob("*.txt"))
    assert len(paths) == 5, "the five seed articles must be in seeds/"
    return paths


@pytest.fixture(scope="session")
def seed_docs(seed_paths) -> dict:
    """name -> Document, read once for the whole session (segmenting is not free)."""
    from toolkit.text.reading import read_document

    return {p.name: read_document(str(p)) for p in seed_paths}


@pytest.fixture
def write_labels_file(tmp_path):
    """Write a small labels CSV (rows of doc, text, label) and return its path."""

    def write(rows, name="labels.csv", header=("doc", "text", "label"), encoding="utf-8", newline="\n"):
        path = tmp_path / name
        with open(path, "w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh, lineterminator=newline)
            if header is not None:
                writer.writerow(header)
            writer.writerows(rows)
        return path

    return write


@pytest.fixture(scope="session")
def model_path(tmp_path_factory) -> Path:
    """A model fitted once per session on labels.csv (never the shipped file, which tests only read)."""
    from tests.themes.test_classifier import shared_model

    return shared_model(tmp_path_factory)


@pytest.fixture(scope="session")
def model(model_path):
    """The session's model, loaded once."""
    from toolkit.themes.classifier import load_model

    return load_model(model_path)


@pytest.fixture(scope="session")
def tracked_files() -> list[str]:
    """The repository's tracked files (``git ls-files``), as a user's clone or an sdist has them."""
    import shutil
    import subprocess

    if shutil.which("git") is None or not (REPO / ".git").exists():
        # Only outside a checkout (an unpacked sdist); CI and the README run the tests in a clone.
        pytest.skip("needs a git checkout to know the tracked files")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    return [name for name in listed.decode().split("\0") if name and (REPO / name).is_file()]


@pytest.fixture
def copy_repo(tracked_files):
    """Copy the tracked files (nothing built, cached or ignored) into a folder; return the folder."""
    import shutil

    def copy(dest: Path) -> Path:
        for name in tracked_files:
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target)
        return dest

    return copy
