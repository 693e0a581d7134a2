"""bench/coding_loop.py: outlets pooled into genres, partitions that test every article once, the
pooled score, and an end-to-end run on a small set the test writes (both ways of scoring)."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.fixture(scope="module")
def loop():
    spec = importlib.util.spec_from_file_location("bench_coding_loop", BENCH / "coding_loop.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


def test_groups_remap_outlets(loop, tmp_path):
    path = tmp_path / "set.csv"
    path.write_text("doc,outlet,paragraph,text,label\nd1,village-site,0,甲乙丙,Other\nd2,pd,1,丁戊己,industry\n",
                    encoding="utf-8")
    groups = loop.parse_groups(["local=village-site,county-gov-site"])
    assert groups == {"village-site": "local", "county-gov-site": "local"}
    rows = loop.read_realset(path, groups)
    assert [(r.outlet, r.label, r.paragraph) for r in rows] == [("local", "other", 0), ("pd", "industry", 1)]


def test_genres_name_outlets_of_the_real_set(loop):
    outlets = {json.loads(line)["outlet"] for line in (BENCH / "realset" / "sources.jsonl").read_text(encoding="utf-8").splitlines()}
    members = [m for ms in loop.GENRES.values() for m in ms]
    assert set(members) <= outlets and len(members) == len(set(members))


def test_partitions_test_every_article_once(loop):
    rows = [loop.Row(f"d{i}", "o", "x", "other") for i in range(10)]
    runs = loop.designs(rows, 2, 3)
    assert [i for i, _, _ in runs] == list(range(6))
    for repeat in range(2):
        folds = [docs for i, _, docs in runs if i // 3 == repeat]
        assert sorted(d for f in folds for d in f) == sorted(f"d{i}" for i in range(10))
    assert runs[0][2] != runs[3][2]  # each partition is drawn anew
    assert [docs for _, _, docs in loop.designs(rows, 2, 0)] == [None, None]


def test_pooled_score_is_macro_f1_of_all_folds(loop):
    fold = lambda y, base, act, rand: {"y": y, "base_pred": base, "active_pred": act, "random_preds": rand}  # noqa: E731
    pooled = {("o", 10, 0): [fold(["a", "b"], ["a", "a"], ["a", "b"], [["a", "b"], ["b", "b"]]),
                             fold(["a", "c"], ["a", "c"], ["a", "c"], [["a", "c"], ["a", "a"]])]}
    (res,) = loop.pool_folds(pooled)[("o", 10)]
    y = ["a", "b", "a", "c"]
    assert res["active"] == pytest.approx(1.0)
    assert res["base"] == pytest.approx(loop.macro_f1(y, ["a", "a", "a", "c"], ["a", "b", "c"]))
    draws = [loop.macro_f1(y, ["a", "b", "a", "c"], ["a", "b", "c"]), loop.macro_f1(y, ["b", "b", "a", "a"], ["a", "b", "c"])]
    assert res["random"] == pytest.approx(sum(draws) / 2)
    assert (res["test_rows"], res["smallest"]) == (4, 1)


THEMES = {
    "industry": ["合作社发展肉牛养殖，村民分红增收{}万元。", "县里建成蔬菜大棚产业园，带动农户种植增收{}元。"],
    "governance": ["村党支部召开党员大会，推行网格化治理第{}次。", "镇党委完善村规民约，村务公开{}项。"],
    "talent": ["县委组织部选派年轻干部到村任职，培训{}人。", "返乡大学生创业，人才培训班举办{}期。"],
    "other": ["今天天气晴朗，气温{}度，适宜出行。", "本网讯，记者走访了市场，价格{}元。"],
}


def write_set(tmp_path: Path, loop):
    """labels.csv (base rows) and a small real set with its article texts, as rebuild.py writes it."""
    from toolkit.text.reading import document_from_text

    with open(tmp_path / "labels.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["doc", "text", "label"])
        for label, templates in THEMES.items():
            for i in range(12):
                w.writerow([f"base-{label}-{i % 4}", templates[i % 2].format(100 + i), label])
    (tmp_path / "texts").mkdir()
    with open(tmp_path / "realset.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["doc", "outlet", "paragraph", "sha256", "label", "text"])
        for d in range(6):
            parts = [(label, THEMES[label][(d + j) % 2].format(f"{d}{j}{k}")) for j, label in enumerate(THEMES) for k in range(2)]
            text = "\n\n".join(t for _, t in parts)
            (tmp_path / "texts" / f"doc{d}.txt").write_text(text, encoding="utf-8")
            paragraphs = document_from_text(text, f"doc{d}").paragraphs
            assert [p.text for p in paragraphs] == [t for _, t in parts]
            for p, (label, t) in zip(paragraphs, parts):
                w.writerow([f"doc{d}", "village-site" if d % 2 else "county-gov-site", p.index,
                            hashlib.sha256(t.encode()).hexdigest(), label, t])


@pytest.mark.parametrize("score", ["paragraph", "article"])
def test_the_bench_runs_on_a_small_set(loop, tmp_path, monkeypatch, capsys, score):
    write_set(tmp_path, loop)
    monkeypatch.setattr(sys, "argv", [
        "coding_loop.py", "--realset", str(tmp_path / "realset.csv"), "--labels", str(tmp_path / "labels.csv"),
        "--genres", "--k", "4", "--draws", "2", "--folds", "3", "--splits", "1", "--bootstrap", "20", "--score", score,
    ])
    loop.main()
    out = capsys.readouterr().out
    assert f"scored per {score}" in out
    assert "pooled over the 3 folds" in out
    summary = out.split("mean over partitions")[1].splitlines()
    assert any(line.startswith("local ") and "of 1 partitions" in line for line in summary)
