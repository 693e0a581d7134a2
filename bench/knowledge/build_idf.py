"""Build toolkit/data/idf.txt: inverse document frequencies from a large public news corpus.

Why: TextRank keywords favour the words an article repeats, and in Chinese news those are often
the words every article repeats (建设, 发展, 项目, 服务, 工程). An IDF table, the numbers jieba's
``jieba.analyse`` ships as ``idf.txt``, says how generic a word is across news at large, so the
keyword ranking (toolkit/summaries/keywords.py) can damp a generic word unless the article is
really about it. Only the numbers are committed, never the text.

How: every article of the corpus is tokenised exactly as a summary tokenises it (Simplified
analysis form, rjieba with the domain dictionary, place names rejoined with their administrative
suffix), and a word's document frequency ``df`` is the number of articles that use it. Its IDF is
``ln(N / df)`` for ``N`` articles, as in jieba. Words with a Han character are kept, the
``--top`` most frequent of them (50,000 by default: rarer words all get the table's largest IDF at
look-up, see :func:`toolkit.summaries.keywords.idf_table`). One line per word, ``word idf``, most
frequent first.

The corpus: the People's Daily full-text RSS archive, public on GitHub as ``ifyuls/rmrb-rss``
(history/rmrb_2026-MM-DD.xml), read from a local clone or bare mirror at a fixed commit. The
articles of both evaluation sets (``bench/realset/sources.jsonl`` and
``bench/sumset/sources.jsonl``) are left out, by file and item number and by link.

    python bench/knowledge/build_idf.py --repo PATH_TO_CLONE_OR_BARE_GIT [--commit SHA] [--top N]
"""

from __future__ import annotations

import argparse
import html
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_lexicon_auto import COMMIT, REPO, git_files  # noqa: E402

_HAN = re.compile(r"[\u3400-\u9fff]")


def feed_items(data: bytes):
    """(item number, link, paragraphs) of each item of one day's feed, numbered as the sets number them."""
    xml = data.decode("utf-8")
    for number, item in enumerate(re.findall(r"<item>(.*?)</item>", xml, re.S)):
        link = re.search(r"<link>(.*?)</link>", item, re.S)
        body = re.search(r"<!--enpcontent-->(.*?)<!--/enpcontent-->", html.unescape(item), re.S)
        if not body:
            continue
        paras = [html.unescape(re.sub(r"<[^>]+>", "", p)).strip(" \t\r\n\u3000\xa0")
                 for p in re.findall(r"<p[^>]*>(.*?)</p>", body.group(1), re.S)]
        yield number, (link.group(1).strip() if link else ""), [p for p in paras if p]


def evaluation_articles() -> tuple[set[tuple[str, int]], set[str]]:
    """The (file, item) pairs and links of the evaluation sets' People's Daily articles."""
    pairs, links = set(), set()
    for name, key in (("realset", None), ("sumset", "item")):
        for line in (ROOT / "bench" / name / "sources.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row.get("repo") != REPO:
                continue
            item = row[key] if key else row["args"]["index"]
            pairs.add((row["path"], int(item)))
            if row.get("link"):
                links.add(row["link"])
    return pairs, links


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", type=Path, required=True, help="a clone or bare mirror of ifyuls/rmrb-rss")
    ap.add_argument("--commit", default=COMMIT)
    ap.add_argument("--top", type=int, default=50_000)
    ap.add_argument("--out", type=Path, default=ROOT / "toolkit" / "data" / "idf.txt")
    args = ap.parse_args(argv)

    from toolkit.text.cleaning import analysis_form
    from toolkit.summaries.units import _merge_place_names
    from toolkit.text.tokens import tag

    pairs, links = evaluation_articles()
    df: Counter = Counter()
    articles = skipped = 0
    seen_links: set[str] = set()
    for path, data in git_files(args.repo, args.commit):
        for number, link, paras in feed_items(data):
            if (path, number) in pairs or link in links:
                skipped += 1
                continue
            if not paras or (link and link in seen_links):  # the feed repeats an article on later days
                continue
            seen_links.add(link)
            articles += 1
            words = set()
            for text in paras:
                words.update(w for w, _ in _merge_place_names(tag(analysis_form(text))) if _HAN.search(w))
            df.update(words)
    top = sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))[: args.top]
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# IDF = ln(N/df) over N = {articles} People's Daily articles ({REPO} at {args.commit[:12]}),"
                " evaluation sets left out; bench/knowledge/build_idf.py\n")
        for word, n in top:
            f.write(f"{word} {math.log(articles / n):.4f}\n")
    print(f"{articles} articles ({skipped} of the evaluation sets left out); {len(df)} words, "
          f"{len(top)} written to {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
