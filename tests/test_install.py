"""The package as ``pip install .`` installs it: a wheel with every subpackage and data file,
installed (not editable) into a fresh environment, finds its shipped model from any directory."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

#: The shipped model's files: models/ in the repository, toolkit/models/ in the wheel.
MODEL_FILES = ("theme.skops", "theme.card.json", "theme.scorer.npz")


def _can_build_without_isolation() -> bool:
    """True when this environment's setuptools can build the wheel itself (no index needed)."""
    from importlib import metadata
    from importlib.util import find_spec

    try:
        version = tuple(int(part) for part in metadata.version("setuptools").split(".")[:2])
    except (metadata.PackageNotFoundError, ValueError):
        return False
    # bdist_wheel is part of setuptools from 70.1; before that it needs the wheel package
    return version >= (68, 0) and (version >= (70, 1) or find_spec("wheel") is not None)


def build_wheel(source: Path, out: Path) -> Path:
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(source)]
    if _can_build_without_isolation():
        command.append("--no-build-isolation")
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    (wheel,) = out.glob("toolkit-*.whl")
    return wheel


def install(wheel: Path, venv: Path) -> Path:
    """A fresh environment holding the wheel; its dependencies come from this environment's
    site-packages (a .pth file listing them, read after the venv's own), so nothing is downloaded.
    Returns the environment's site-packages."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    run = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                          "--no-index", str(wheel)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    outer = [*site.getsitepackages(), *([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])]
    # A path listed in a .pth file is added to sys.path, but the .pth files inside it (the editable
    # install's import hook) are not run: toolkit can only come from the wheel.
    (purelib / "zz_dependencies.pth").write_text("\n".join(outer) + "\n", encoding="utf-8")
    return purelib


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX venv layout")
def test_the_wheel_installed_elsewhere_finds_its_model(copy_repo, tracked_files, seed_paths, tmp_path):
    source = copy_repo(tmp_path / "source")
    wheel = build_wheel(source, tmp_path / "dist")

    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {name for name in tracked_files if name.startswith("toolkit/")}  # every module and data file
    wanted |= {f"toolkit/models/{name}" for name in MODEL_FILES}
    assert not sorted(wanted - names), f"missing from the wheel: {sorted(wanted - names)}"

    purelib = install(wheel, tmp_path / "venv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "article.txt").write_bytes(seed_paths[0].read_bytes())
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    bin_dir = tmp_path / "venv" / "bin"

    run = subprocess.run([str(bin_dir / "toolkit"), "classify", "article.txt", "--level", "document", "-f", "jsonl"],
                         cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    (record,) = [json.loads(line) for line in run.stdout.splitlines()]
    assert record["doc"] == "article.txt" and record["paragraphs"] > 0

    where = subprocess.run(
        [str(bin_dir / "python"), "-c",
         "import toolkit, toolkit.themes.model_files as m; print(toolkit.__file__); print(m.shipped_model_path())"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120, check=True,
    ).stdout.split("\n")
    assert Path(where[0]).parent == purelib / "toolkit"
    assert Path(where[1]) == purelib / "toolkit" / "models" / "theme.skops"
