"""Atomic writes: complete or absent, never half-written, with ordinary permissions."""

from __future__ import annotations

import os
import stat

import pytest

from toolkit.files import atomic_directory, atomic_path, atomic_write_text


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "labels.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("interrupted")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["labels.csv"]


def test_written_file_gets_umask_permissions_not_owner_only(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "card.json", "{}")
        with atomic_directory(tmp_path / "run") as d:
            (d / "x").write_text("1", encoding="utf-8")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "card.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "run").stat().st_mode) == 0o755


def test_directory_is_never_merged_into_an_existing_one(tmp_path):
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "metrics.json").write_text("{}", encoding="utf-8")
    with pytest.raises(OSError):
        with atomic_directory(tmp_path / "run") as d:
            (d / "x").write_text("1", encoding="utf-8")
    assert [p.name for p in (tmp_path / "run").iterdir()] == ["metrics.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_unwritable_targets_are_one_line_errors(tmp_path):
    from toolkit.errors import ToolkitError

    with pytest.raises(ToolkitError, match="is a directory"):
        atomic_write_text(tmp_path, "x")
    (tmp_path / "a.csv").write_text("x", encoding="utf-8")
    with pytest.raises(ToolkitError, match=r"a\.csv/x/out\.csv: cannot write here \(.*a\.csv is a file, not a directory\)"):
        atomic_write_text(tmp_path / "a.csv" / "x" / "out.csv", "y")
    with pytest.raises(ToolkitError, match="cannot create a directory here"):
        with atomic_directory(tmp_path / "a.csv" / "run"):
            pass
