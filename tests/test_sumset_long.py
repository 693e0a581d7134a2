"""bench/sumset_long/rebuild.py on small repositories the test writes: it keeps long documents
only, writes each document and its summary, and refuses text whose hash differs."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

REBUILD = Path(__file__).resolve().parents[1] / "bench" / "sumset_long" / "rebuild.py"


def _module():
    spec = importlib.util.spec_from_file_location("sumset_long_rebuild", REBUILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _repo(path: Path, files: dict[str, str]) -> None:
    path.mkdir(parents=True)
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text, encoding="utf-8")
    git = ["git", "-C", str(path), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "data"], check=True)


def _meeting(i: int, sentences: int) -> dict:
    turn = [f"然后我们第{i}次讨论合作社发展特色产业的第{k}个问题，大家说一说自己的看法好吗？" for k in range(sentences)]
    return {"id": f"{i}_0", "context": [turn[:10], turn[10:]], "discussion": f"讨论了合作社发展的{i}个问题。"}


def _judgment(i: int, lines: int) -> dict:
    text = [{"sentence": f"本院认为第{i}号案件的第{k}项事实清楚，证据确实充分，应予支持。", "label": 0} for k in range(lines)]
    return {"id": f"case{i}", "summary": f"原告与被告合同纠纷一案{i}。", "text": text}


def test_rebuild_keeps_long_pairs_and_checks_their_hashes(tmp_path, monkeypatch):
    rebuild = _module()
    sources = tmp_path / "mirror"
    meetings = [_meeting(1, 45), _meeting(2, 12)]  # the second is too short
    _repo(sources / "hahahawu+VCSum", {
        "vcsum_data/short_dev.txt": "".join(json.dumps(m, ensure_ascii=False) + "\n" for m in meetings),
        "vcsum_data/short_test.txt": json.dumps(_meeting(3, 50), ensure_ascii=False) + "\n",
    })
    _repo(sources / "bojone" / "SPACES", {"datasets/train.json": json.dumps(_judgment(1, 41), ensure_ascii=False) + "\n"})
    monkeypatch.setattr(rebuild, "OUT", tmp_path / "out")

    rows = rebuild.select(sources)
    assert [(r["id"], r["path"], r["line"], r["record"]) for r in rows] == [
        ("meeting-000", "vcsum_data/short_dev.txt", 0, "1_0"),
        ("meeting-001", "vcsum_data/short_test.txt", 0, "3_0"),
        ("judgment-000", "datasets/train.json", 0, "case1"),
    ]
    assert rebuild.rebuild(sources, rows) == 0
    document = (tmp_path / "out" / "meeting-000.txt").read_text(encoding="utf-8").splitlines()
    assert len(document) == 2 and document[0].startswith("然后我们第1次")  # one speaker turn a line
    assert (tmp_path / "out" / "judgment-000.txt").read_text(encoding="utf-8").count("\n") == 41
    assert (tmp_path / "out" / "judgment-000.summary.txt").read_text(encoding="utf-8") == "原告与被告合同纠纷一案1。\n"

    changed = dict(rows[0], summary_sha256="0" * 64)
    moved = dict(rows[1], record="2_0")  # the line now holds another record
    assert rebuild.rebuild(sources, [changed, moved, rows[2]]) == 2
