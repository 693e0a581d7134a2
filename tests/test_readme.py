"""The README's examples run as written: every command of its "Commands" section and its Python
blocks, in a fresh copy of the repository's tracked files, exit as documented and change no
tracked file (outputs go to /tmp, new files or ~, never over the repository's own files)."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

#: A command whose comment says "exits N" is expected to end with that code.
DOCUMENTED_EXIT = re.compile(r"#.*\bexits (\d+)\b")


def section(readme: str, title: str) -> str:
    start = readme.index(f"\n## {title}\n")
    end = readme.find("\n## ", start + 1)
    return readme[start:end if end != -1 else None]


def code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.S | re.M)


def commands(block: str) -> list[str]:
    """One command per line; a line ending in a backslash goes on on the next."""
    lines, current = [], ""
    for line in block.splitlines():
        current += line
        if current.endswith("\\"):
            current = current[:-1] + " "
            continue
        if current.strip() and not current.lstrip().startswith("#"):
            lines.append(current.strip())
        current = ""
    return lines


def hashes(root: Path, names: list[str]) -> dict[str, str | None]:
    return {name: hashlib.sha256((root / name).read_bytes()).hexdigest() if (root / name).is_file() else None
            for name in names}


def test_readme_commands_run_as_written(repo_dir, copy_repo, tracked_files, tmp_path):
    commands_section = section((repo_dir / "README.md").read_text(encoding="utf-8"), "Commands")
    shell = [c for block in code_blocks(commands_section, "sh") for c in commands(block)]
    python = code_blocks(commands_section, "python")
    assert len(shell) >= 15 and len(python) >= 1

    repo = copy_repo(tmp_path / "repo")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("TOOLKIT_HOME", "XDG_DATA_HOME", "VIRTUAL_ENV")}
    # the copy's toolkit, and this environment's `toolkit` script; a retrain goes to this ~, not the user's
    env.update(PYTHONPATH=str(repo), HOME=str(home),
               PATH=os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")]))
    before = hashes(repo, tracked_files)

    failures = []
    for command in shell:
        expected = int(m.group(1)) if (m := DOCUMENTED_EXIT.search(command)) else 0
        run = subprocess.run(["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True, timeout=600)
        if run.returncode != expected:
            failures.append(f"{command}\n  exit {run.returncode}, expected {expected}: {run.stderr.strip()[-600:]}")
    for code in python:
        run = subprocess.run([sys.executable, "-c", code], cwd=repo, env=env, capture_output=True, text=True,
                             timeout=600)
        if run.returncode != 0:
            failures.append(f"python block:\n{code}\n  exit {run.returncode}: {run.stderr.strip()[-600:]}")
    assert not failures, "\n\n".join(failures)

    after = hashes(repo, tracked_files)
    assert [name for name in tracked_files if before[name] != after[name]] == []
    assert (home / ".local" / "share" / "toolkit" / "models" / "theme.skops").exists()  # `toolkit train` went to ~
