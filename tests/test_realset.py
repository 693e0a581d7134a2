"""The real-text evaluation set: consistent records, and extractors that rebuild exactly what was coded."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

REALSET = Path(__file__).resolve().parents[1] / "bench" / "realset"


def load_rebuild():
    spec = importlib.util.spec_from_file_location("rebuild", REALSET / "rebuild.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=["development", "holdout", "holdout2", "holdout3"])
def records(request):
    folder = REALSET if request.param == "development" else REALSET / request.param
    sources = [json.loads(line) for line in (folder / "sources.jsonl").read_text(encoding="utf-8").splitlines()]
    with open(folder / "paragraphs.csv", encoding="utf-8", newline="") as f:
        paragraphs = list(csv.DictReader(f))
    return sources, paragraphs


def test_no_article_is_in_two_sets():
    def where(folder):
        return [(s["repo"], s["path"], json.dumps(s.get("args", {}), sort_keys=True))
                for s in map(json.loads, (folder / "sources.jsonl").read_text(encoding="utf-8").splitlines())]

    every = [w for folder in (REALSET, REALSET / "holdout", REALSET / "holdout2", REALSET / "holdout3") for w in where(folder)]
    assert len(every) == len(set(every))
    assert [p.name for p in load_rebuild().held_out_sets()] == ["holdout", "holdout2", "holdout3"]


def test_the_set_is_real_coded_twice_and_holds_no_text(records):
    sources, paragraphs = records
    assert len(sources) >= 40 and len(paragraphs) >= 600 and len({s["outlet"] for s in sources}) >= 3
    assert {p["doc"] for p in paragraphs} == {s["doc"] for s in sources}
    assert set(Counter(p["label"] for p in paragraphs)) == {"industry", "governance", "talent", "ecology", "other"}
    for p in paragraphs:
        assert len(p["sha256"]) == 64 and "text" not in p
        # a label is both coders' code, or an adjudication of their disagreement
        assert p["label"] == p["coder_1"] == p["coder_2"] or p["adjudicated"] == "yes"
    reserved = {"DuckBurnIncense/xin-wen-lian-bo", "lxj5957/CLTS-Dataset", "lxj5957/CLTS-plus-Dataset",
                "rattlesnakey/Chinese-Summary-Generation"}
    assert not {s["repo"] for s in sources} & reserved
    rebuild = load_rebuild()
    assert all(s["extract"] in rebuild.EXTRACTORS for s in sources)


def test_rss_items_rebuild_as_their_paragraphs():
    rebuild = load_rebuild()
    page = "&lt;!--enpcontent--&gt;&lt;p&gt;　　第一段，合作社。&lt;/p&gt;&lt;p&gt;&lt;/p&gt;&lt;p&gt;第二段&amp;nbsp;&lt;/p&gt;&lt;!--/enpcontent--&gt;"
    xml = (f"<rss><channel><item><title>[01版：要闻] 标题一</title><description>x</description></item>"
           f"<item><title>[02版：要闻] 标题二</title><description>{page}</description></item></channel></rss>")
    title, paras = rebuild.rss_item(xml.encode("utf-8"), 1)
    assert title == "标题二" and paras == ["第一段，合作社。", "第二段"]


def test_powereasy_pages_rebuild_as_their_paragraphs():
    rebuild = load_rebuild()
    page = ('<h2 class="title">每周一学（二）</h2><div class="conTxt"><p>&nbsp;</p><p>　　第一段，\n   村党支部。</p>'
            '<p><span>第二段</span></p><!--endprint--><p>页脚</p></div>')
    assert rebuild.powereasy_item(page.encode("utf-8")) == ("每周一学（二）", ["第一段，村党支部。", "第二段"])


def test_database_dumps_and_jsonl_rebuild_as_coded():
    rebuild = load_rebuild()
    dump = ("COPY public.node (id, a, b, title, c, body) FROM stdin;\n"
            "7\tx\ty\t东沟村\tz\t<p>第一段</p>\\n<p>第二段<br></p>\n\\.\n")
    assert rebuild.postgres_node(dump.encode("utf-8"), "7") == ("东沟村", ["第一段", "第二段"])
    jsonl = "\n".join(json.dumps({"content": body}, ensure_ascii=False) for body in ["甲\n乙", "一\n\n二\n三\n四"])
    assert rebuild.jsonl_paragraphs(jsonl.encode("utf-8"), 1, "content", 1, 2) == (None, ["二", "三"])


def test_a_changed_public_copy_is_refused(tmp_path):
    rebuild = load_rebuild()
    source = {"doc": "x-01", "repo": "o/r", "commit": "c", "path": "p", "extract": "json_news_digest", "args": {},
              "titled": True, "body_sha256": hashlib.sha256("甲\n乙".encode()).hexdigest()}

    class Copy:
        def read(self, repo, commit, path):
            return json.dumps({"date": "2026-01-01", "news": ["甲", "丙"]}).encode("utf-8")

    with pytest.raises(SystemExit, match="differs from the one coded"):
        rebuild.article_text(source, Copy())
    source["body_sha256"] = hashlib.sha256("甲\n丙".encode()).hexdigest()
    assert rebuild.article_text(source, Copy()) == "每天60秒读懂世界 2026-01-01\n甲\n丙"
