"""Expand the curated lexicon with terms a large public news corpus associates with each theme.

Why: the curated lexicon (``toolkit/data/lexicon.csv``) holds what an expert thought of; news
uses many more words for the same things (北斗 and 墒情 for farming, 适老化 for services). This
script finds them by distant supervision over public text, and commits only the derived facts
(terms, their theme and their statistics) to ``toolkit/data/lexicon_auto.csv``, never the text.

How: every paragraph of the corpus whose curated-lexicon hits clearly favour one group
(industry, governance, talent, ecology, offdomain: at least two hits, 60% of them one group) gets
that group as a silver label. A word (jieba/rjieba, the domain dictionary) then belongs to a
group when, over the silver paragraphs that contain it, that group's share is high (>= 0.7) and at
least twice the group's base rate, with >= 25 such paragraphs. Names of places, people and
organisations, numbers and words already in the curated lexicon are left out.

The corpus: People's Daily full-text RSS archive, public on GitHub as ``ifyuls/rmrb-rss``
(history/rmrb_2026-MM-DD.xml, 120 days), read from a local clone or bare mirror. The articles of
the real-text evaluation set (``bench/realset/sources.jsonl``) are excluded, so the evaluation
stays unseen.

    python bench/knowledge/build_lexicon_auto.py --repo PATH_TO_CLONE_OR_BARE_GIT [--commit SHA]
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

REPO = "ifyuls/rmrb-rss"
COMMIT = "55223c56882b2723e67b90eef30cd8b465aff262"
GROUPS = ("industry", "governance", "talent", "ecology", "offdomain")
SKIP_POS = {"ns", "nr", "nrt", "nrfg", "nt", "nz", "m", "mq", "t", "x", "w", "eng", "q", "r", "p", "c", "u", "d", "f"}


def git_files(repo: Path, commit: str) -> list[tuple[str, bytes]]:
    def git(*args) -> bytes:
        base = ["git", "--git-dir", str(repo)] if (repo / "HEAD").exists() and not (repo / ".git").exists() else ["git", "-C", str(repo)]
        return subprocess.check_output(base + list(args))

    names = git("ls-tree", "-r", "--name-only", commit).decode().split("\n")
    return [(n, git("show", f"{commit}:{n}")) for n in sorted(names) if n.startswith("history/") and n.endswith(".xml")]


def items(data: bytes):
    root = ET.fromstring(data)
    for index, item in enumerate(root.find("channel").findall("item")):
        body = re.search(r"<!--enpcontent-->(.*?)<!--/enpcontent-->", item.find("description").text or "", re.S)
        if not body:
            continue
        paras = [html.unescape(re.sub(r"<[^>]+>", "", p)).strip(" \t\r\n\u3000\xa0")
                 for p in re.findall(r"<p[^>]*>(.*?)</p>", body.group(1), re.S)]
        yield index, [p for p in paras if p]


def excluded() -> set[tuple[str, int]]:
    out = set()
    sources = ROOT / "bench" / "realset" / "sources.jsonl"
    for line in sources.read_text(encoding="utf-8").splitlines():
        s = json.loads(line)
        if s["repo"] == REPO:
            out.add((s["path"], int(s["args"]["index"])))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", type=Path, required=True, help="a clone or bare mirror of ifyuls/rmrb-rss")
    ap.add_argument("--commit", default=COMMIT)
    ap.add_argument("--out", type=Path, default=ROOT / "toolkit" / "data" / "lexicon_auto.csv")
    ap.add_argument("--min-count", type=int, default=25)
    ap.add_argument("--min-share", type=float, default=0.7)
    args = ap.parse_args(argv)

    from toolkit.text.cleaning import analysis_form
    from toolkit.themes.lexicon import curated_lexicon
    from toolkit.text.tokens import tag

    curated = curated_lexicon()  # the hand-made terms only, so a rerun gives the same file
    skip = excluded()
    word_groups: dict[str, Counter] = defaultdict(Counter)
    base = Counter()
    paragraphs = articles = 0
    for path, data in git_files(args.repo, args.commit):
        for index, paras in items(data):
            if (path, index) in skip:
                continue
            articles += 1
            for text in paras:
                text = analysis_form(text)
                hits = Counter(t.removeprefix("lex_").removesuffix("_weak") for t in curated.tag_text(text).split())
                hits = Counter({g: n for g, n in hits.items() if g in GROUPS})
                total = sum(hits.values())
                paragraphs += 1
                if total < 2:
                    continue
                group, top = hits.most_common(1)[0]
                if top / total < 0.6:
                    continue
                base[group] += 1
                for word in {w for w, pos in tag(text) if len(w) >= 2 and pos not in SKIP_POS and not w.isascii()}:
                    word_groups[word][group] += 1
    silver = sum(base.values())
    rows = []
    for word, counts in word_groups.items():
        n = sum(counts.values())
        if n < args.min_count or word in curated.tags:
            continue
        group, top = counts.most_common(1)[0]
        share = (top + 1) / (n + len(GROUPS))
        if share >= args.min_share and share >= 2 * base[group] / silver:
            rows.append((group, -share, word, n))
    rows.sort()
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["term", "theme", "weight", "paragraphs", "share"])
        for group, neg, word, n in rows:
            w.writerow([word, group, 0.5, n, f"{-neg:.3f}"])
    print(f"{articles} articles, {paragraphs} paragraphs, {silver} silver ({dict(base)}); "
          f"{len(rows)} terms -> {args.out}: {dict(Counter(r[0] for r in rows))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
