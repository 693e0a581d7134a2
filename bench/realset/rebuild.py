"""Rebuild the real-text evaluation set from the public copies of its articles.

The set (``sources.jsonl``: where each article is; ``paragraphs.csv``: each paragraph's SHA-256
and its codes) holds no article text: the articles belong to their publishers and stay in their
public repositories. This script reads them from local copies of those repositories (a clone or a
bare mirror per repository, found under ``--sources DIR`` as ``DIR/<owner>+<name>/repo``,
``DIR/<owner>+<name>``, ``DIR/<owner>/<name>`` or ``DIR/<name>``), extracts each article exactly as
it was coded, segments it with the toolkit and checks every paragraph's SHA-256, then writes

    bench/out/realset/texts/<doc>.txt     the article as coded (title line first where it has one)
    bench/out/realset/realset.csv         doc, outlet, genre, paragraph, sha256, label, text

The held-out sets (``holdout/``, ``holdout2/``, ``holdout3/``: same files; no article in two sets) are rebuilt
the same way into ``bench/out/realset/<name>/``. ``bench/out/`` is ignored by git.
``bench/transfer.py`` reads them (``--set holdout`` for a held-out set).

    python bench/realset/rebuild.py --sources /path/to/mirrors
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "bench" / "out" / "realset"
sys.path.insert(0, str(ROOT))


# --------------------------------------------------------------------------------------------
# Reading a file of a public repository at a commit


class Sources:
    def __init__(self, root: Path):
        self.root = root

    def git_base(self, repo: str) -> list[str]:
        owner, name = repo.split("/")
        for candidate in (self.root / f"{owner}+{name}" / "repo", self.root / f"{owner}+{name}",
                          self.root / owner / name, self.root / name):
            if (candidate / "HEAD").exists() and (candidate / "objects").exists():
                return ["git", "--git-dir", str(candidate)]
            if (candidate / ".git").exists():
                return ["git", "-C", str(candidate)]
        raise SystemExit(f"{repo}: no local copy under {self.root} (clone it there, e.g. {self.root / name})")

    @lru_cache(maxsize=64)
    def read(self, repo: str, commit: str, path: str) -> bytes:
        return subprocess.check_output(self.git_base(repo) + ["show", f"{commit}:{path}"])


# --------------------------------------------------------------------------------------------
# Extractors: each gives (title or None, paragraphs) exactly as the source holds them


def _clean(fragment: str) -> str:
    x = re.sub(r"<[^>]+>", "", fragment)
    x = html.unescape(x).replace("\xa0", " ")
    x = re.sub(r"[ \t\r\f\v\u3000]*\n\s*", "", x)
    return x.strip()


def _p_paragraphs(markup: str) -> list[str]:
    return [c for c in (_clean(p) for p in re.findall(r"<p\b[^>]*>(.*?)</p>", markup, re.S)) if c]


def jsonl_paragraphs(data: bytes, line: int, field: str, first: int, last: int):
    body = json.loads(data.decode("utf-8").split("\n")[line])[field]
    paras = [p.strip() for p in body.split("\n") if p.strip()]
    return None, paras[first:last + 1]


def postgres_node(data: bytes, node: str):
    src = data.decode("utf-8")
    start = src.index("COPY public.node (")
    block = src[src.index("\n", start) + 1:src.index("\n\\.\n", start)]
    for line in block.split("\n"):
        fields = [re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "\r", "t": "\t"}.get(m.group(1), m.group(1)), f)
                  for f in line.split("\t")]
        if fields[0] == node:
            return fields[3], _p_paragraphs(fields[5])
    raise KeyError(node)


def js_template_items(data: bytes, index: int):
    items = re.findall(r"title: '([^']*)',(.*?)content: `(.*?)`", data.decode("utf-8"), re.S)
    title, _, content = items[index]
    return title, _p_paragraphs(content)


def js_page_texts(data: bytes):
    blocks = re.findall(r"(text\d*):\s*`(.*?)`", data.decode("utf-8"), re.S)
    title = " ".join(_p_paragraphs(blocks[0][1]))
    body = [p for _, c in blocks[1:] for p in _p_paragraphs(c)]
    return title, body


def _mysql_rows(s: str, table: str) -> list[list[str]]:
    i = s.index("INSERT INTO `%s`" % table)
    j = s.index("VALUES", i) + 6
    out = []
    while True:
        while s[j] in " \n\r\t,":
            j += 1
        if s[j] == ";":
            return out
        j += 1
        row = []
        while True:
            while s[j] == " ":
                j += 1
            if s[j] == "'":
                j += 1
                buf = []
                while True:
                    c = s[j]
                    if c == "\\":
                        buf.append({"n": "\n", "r": "\r", "t": "\t", "0": "\0"}.get(s[j + 1], s[j + 1]))
                        j += 2
                    elif c == "'":
                        if s[j + 1] == "'":
                            buf.append("'")
                            j += 2
                        else:
                            j += 1
                            break
                    else:
                        buf.append(c)
                        j += 1
                row.append("".join(buf))
            else:
                m = re.compile(r"[^,)]*").match(s, j)
                row.append(m.group(0).strip())
                j = m.end()
            while s[j] == " ":
                j += 1
            if s[j] == ",":
                j += 1
                continue
            if s[j] == ")":
                j += 1
                break
        out.append(row)


def mysql_xoops_article(data: bytes, text_id: str):
    s = data.decode("utf-8")
    texts = {r[0]: r for r in _mysql_rows(s, "xoops__art_text")}
    articles = {r[0]: r for r in _mysql_rows(s, "xoops__art_article")}
    t = texts[text_id]
    return articles[t[1]][5].strip(), _p_paragraphs(t[3])


def rss_item(data: bytes, index: int):
    item = ET.fromstring(data).find("channel").findall("item")[index]
    title = re.sub(r"^\[[^\]]*\]\s*", "", item.find("title").text or "")
    body = re.search(r"<!--enpcontent-->(.*?)<!--/enpcontent-->", item.find("description").text or "", re.S)
    paras = [html.unescape(re.sub(r"<[^>]+>", "", p)).strip(" \t\r\n\u3000\xa0")
             for p in re.findall(r"<p[^>]*>(.*?)</p>", body.group(1), re.S)]
    return title, [p for p in paras if p]


def json_article_list(data: bytes, index: int):
    a = json.loads(data)["articles"][index]
    return a["title"], list(a["content"])


def json_news_digest(data: bytes):
    d = json.loads(data)
    return "每天60秒读懂世界 " + d["date"], list(d["news"])


def powereasy_item(data: bytes):
    """A PowerEasy CMS article page (``Item/N.aspx``): the ``<h2 class="title">`` and every ``<p>``
    of ``<div class="conTxt">`` up to ``<!--endprint-->``, line-break whitespace inside a
    paragraph removed (the page's HTML wraps long paragraphs)."""
    def clean(fragment: str) -> str:
        x = html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("\xa0", " ")
        return re.sub(r"[ \t\r\f\v\u3000]*\n\s*", "", x).strip(" \t\r\n\u3000")

    s = data.decode("utf-8")
    title = clean(re.search(r'<h2 class="title">(.*?)</h2>', s, re.S).group(1))
    start = s.index('<div class="conTxt">')
    body = s[start:s.index("<!--endprint-->", start)]
    return title, [c for c in (clean(p) for p in re.findall(r"<p\b[^>]*>(.*?)</p>", body, re.S)) if c]


EXTRACTORS = {
    "jsonl_paragraphs": jsonl_paragraphs, "postgres_node": postgres_node,
    "js_template_items": js_template_items, "js_page_texts": js_page_texts,
    "mysql_xoops_article": mysql_xoops_article, "rss_item": rss_item,
    "json_article_list": json_article_list, "json_news_digest": json_news_digest,
    "powereasy_item": powereasy_item,
}


def article_text(source: dict, sources: Sources) -> str:
    """The article as it was coded: its title line first (when coded with one), then its paragraphs."""
    data = sources.read(source["repo"], source["commit"], source["path"])
    title, paras = EXTRACTORS[source["extract"]](data, **source.get("args", {}))
    body = "\n".join(paras)
    if hashlib.sha256(body.encode("utf-8")).hexdigest() != source["body_sha256"]:
        raise SystemExit(f"{source['doc']}: the public copy differs from the one coded (body SHA-256)")
    return (title.strip() + "\n" + body) if source.get("titled") else body


def rebuild_set(folder: Path, out: Path, sources: Sources) -> str:
    """Rebuild one coded set (``folder``'s sources.jsonl and paragraphs.csv) into ``out``."""
    from toolkit.text.reading import document_from_text

    meta = [json.loads(line) for line in (folder / "sources.jsonl").read_text(encoding="utf-8").splitlines() if line]
    coded: dict[str, dict[int, dict]] = {}
    with open(folder / "paragraphs.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            coded.setdefault(row["doc"], {})[int(row["paragraph"])] = row
    (out / "texts").mkdir(parents=True, exist_ok=True)
    rows = []
    for source in meta:
        text = article_text(source, sources)
        document = document_from_text(text, source["doc"])
        paragraphs = {p.index: p for p in document.paragraphs}
        for index, row in sorted(coded[source["doc"]].items()):
            p = paragraphs.get(index)
            if p is None or hashlib.sha256(p.text.encode("utf-8")).hexdigest() != row["sha256"]:
                raise SystemExit(f"{source['doc']}: paragraph {index} does not segment as it was coded")
            rows.append({"doc": source["doc"], "outlet": source["outlet"], "genre": source["genre"],
                         "paragraph": index, "sha256": row["sha256"], "label": row["label"], "text": p.text})
        (out / "texts" / f"{source['doc']}.txt").write_text(text, encoding="utf-8")
    with open(out / "realset.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)  # with the text: bench/out/ never enters git
    return f"{len(meta)} articles, {len(rows)} coded paragraphs, every hash checked -> {out}"


def held_out_sets() -> list[Path]:
    """The held-out sets, in the order they were coded: folders beside this script with codes."""
    return sorted(p.parent for p in HERE.glob("*/paragraphs.csv"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sources", type=Path, required=True, help="folder holding local copies of the source repositories")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    sources = Sources(args.sources)
    print("development set:", rebuild_set(HERE, args.out, sources))
    for folder in held_out_sets():
        print(f"held-out set {folder.name}:", rebuild_set(folder, args.out / folder.name, sources))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
