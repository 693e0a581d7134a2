"""Rebuild the news summary evaluation set from a local copy of its public source.

The set is People's Daily articles from the full-text RSS archive ``ifyuls/rmrb-rss`` (one XML
file per day, 2026-04-26 onwards). The summary of each is its editors' headline block: the
lead-in line (引题, ``<h3>``), the headline (``<h1>``) and the subheadline (副题, ``<h2>``), which
People's Daily editors write to tell the reader what the article says. Only articles with a
headline and at least one deck, six or more paragraphs and 1,000 or more characters are kept,
so that a summary has something to choose from. The headline block is not part of the article
text the summarisers see.

``sources.jsonl`` holds, per pair: its id, the repository, commit, file and item number, the
article's link, and the SHA-256 of the article text and of the summary. No text is committed;
this script extracts both from the repository, checks the hashes and writes

    bench/out/sumset/<id>.txt          the article, one paragraph a line
    bench/out/sumset/<id>.summary.txt  the headline block, its lines joined by a newline

    python bench/sumset/rebuild.py --sources /work/.mirror        # a bare mirror or a clone
    python bench/sumset/rebuild.py --sources DIR --select 200     # maintainers: choose the pairs anew

``--sources DIR`` holds the repository as ``DIR/ifyuls+rmrb-rss/repo``, ``DIR/ifyuls+rmrb-rss``,
``DIR/ifyuls/rmrb-rss`` or ``DIR/rmrb-rss``. The code of that repository is never run: only its
XML files are read, with ``git show``.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "bench" / "out" / "sumset"
SOURCES = HERE / "sources.jsonl"
REPO = "ifyuls/rmrb-rss"
MIN_CHARS, MIN_PARAGRAPHS = 1000, 6


def git_base(root: Path, repo: str = REPO) -> list[str]:
    """``git`` pointed at the local copy of ``repo`` under ``root`` (a bare mirror or a clone)."""
    owner, name = repo.split("/")
    for candidate in (root / f"{owner}+{name}" / "repo", root / f"{owner}+{name}", root / owner / name, root / name):
        if (candidate / "HEAD").exists() and (candidate / "objects").exists():
            return ["git", "--git-dir", str(candidate)]
        if (candidate / ".git").exists():
            return ["git", "-C", str(candidate)]
    raise SystemExit(f"{repo}: no local copy under {root} (clone it there, e.g. {root / name})")


def _text(fragment: str) -> str:
    text = html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("\xa0", " ")
    text = re.sub(r"[\u200b\ufeff]", "", text)
    return re.sub(r"\s+", " ", text).strip(" \u3000")


def _tag(name: str, markup: str) -> str:
    found = re.search(rf"<{name}>(.*?)</{name}>", markup, re.S)
    return _text(found.group(1)) if found else ""


def items(xml: str):
    """(item number, link, summary lines, paragraphs) of every item of one day's feed."""
    for number, item in enumerate(re.findall(r"<item>(.*?)</item>", xml, re.S)):
        link = re.search(r"<link>(.*?)</link>", item, re.S)
        description = re.search(r"<description>(.*?)</description>", item, re.S)
        if not (link and description):
            continue
        markup = html.unescape(description.group(1))
        heads = [_tag(t, markup) for t in ("h3", "h1", "h2")]
        summary = [h.lstrip("—").strip() for h in heads if h.lstrip("—").strip()]
        body = markup.split("<!--enpcontent-->", 1)[-1]
        paragraphs = [p for p in (_text(x) for x in re.findall(r"<p\b[^>]*>(.*?)</p>", body, re.S)) if p]
        yield number, link.group(1).strip(), summary, paragraphs, sum(1 for h in heads if h)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def select(base: list[str], count: int) -> list[dict]:
    commit = subprocess.check_output(base + ["rev-parse", "HEAD"], text=True).strip()
    files = sorted(f for f in subprocess.check_output(base + ["ls-tree", "-r", "--name-only", commit], text=True).split()
                   if f.startswith("history/") and f.endswith(".xml"))
    pool = []
    for path in files:
        xml = subprocess.check_output(base + ["show", f"{commit}:{path}"]).decode("utf-8")
        for number, link, summary, paragraphs, decks in items(xml):
            article = "\n".join(paragraphs)
            if decks < 2 or len(paragraphs) < MIN_PARAGRAPHS or len(article) < MIN_CHARS:
                continue
            pool.append({"repo": REPO, "commit": commit, "path": path, "item": number, "link": link,
                         "article_sha256": sha(article), "summary_sha256": sha("\n".join(summary))})
    seen, chosen = set(), []
    # A deterministic spread over the whole period: order by the hash of the link.
    for row in sorted(pool, key=lambda r: sha(r["link"])):
        if row["article_sha256"] in seen:
            continue
        seen.add(row["article_sha256"])
        chosen.append(row)
        if len(chosen) == count:
            break
    chosen.sort(key=lambda r: (r["path"], r["item"]))
    for i, row in enumerate(chosen):
        row["id"] = f"rmrb-{i:03d}"
    return chosen


def rebuild(base: list[str], rows: list[dict]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    cache: dict[tuple[str, str], dict] = {}
    bad = 0
    for row in rows:
        key = (row["commit"], row["path"])
        if key not in cache:
            xml = subprocess.check_output(base + ["show", f"{row['commit']}:{row['path']}"]).decode("utf-8")
            cache.clear()
            cache[key] = {number: (summary, paragraphs) for number, _, summary, paragraphs, _ in items(xml)}
        summary, paragraphs = cache[key].get(row["item"], ([], []))
        article, reference = "\n".join(paragraphs), "\n".join(summary)
        bad += not write_pair(OUT, row["id"], article, reference, row["article_sha256"], row["summary_sha256"])
    return bad


def write_pair(out: Path, pair_id: str, document: str, summary: str, document_sha: str, summary_sha: str) -> bool:
    """Write ``<id>.txt`` and ``<id>.summary.txt`` into ``out`` if both texts have their recorded
    SHA-256; else say so on stderr and write nothing (False)."""
    if sha(document) != document_sha or sha(summary) != summary_sha:
        print(f"{pair_id}: text differs from the recorded hash; skipped", file=sys.stderr)
        return False
    (out / f"{pair_id}.txt").write_text(document + "\n", encoding="utf-8")
    (out / f"{pair_id}.summary.txt").write_text(summary + "\n", encoding="utf-8")
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=Path, required=True, help="folder holding a copy of ifyuls/rmrb-rss")
    parser.add_argument("--select", type=int, metavar="N", help="maintainers: choose N pairs anew into sources.jsonl")
    args = parser.parse_args()
    base = git_base(args.sources)
    if args.select:
        rows = select(base, args.select)
        SOURCES.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    rows = [json.loads(line) for line in SOURCES.read_text(encoding="utf-8").splitlines() if line.strip()]
    bad = rebuild(base, rows)
    print(f"{len(rows) - bad} of {len(rows)} pairs written to {OUT}")
    if bad:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
