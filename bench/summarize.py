"""Benchmark: toolkit's TextRank against textrank4zh 0.3 (speed, growth, agreement) and Lead-3.

Run: ``pip install -e .[bench]`` then ``python bench/summarize.py`` (speed, seeds), and
``python bench/summarize.py news [--grid]`` for the news evaluation set (ROUGE against editors'
headline blocks, rebuilt first with ``python bench/sumset/rebuild.py --sources DIR``), and
``python bench/summarize.py long [--dev | --test | --all] [--sentences N]`` for the long non-news
set (meeting transcripts and court judgments with people's summaries, rebuilt first with
``python bench/sumset_long/rebuild.py --sources DIR``): the same systems at the same number of
passages, ROUGE with 95% bootstrap intervals and the paired difference default - textrank4zh.

textrank4zh is the reference the design names. It no longer runs on networkx 3
(``from_numpy_matrix`` was removed), so it is patched here, and only here, to use
``from_numpy_array``; its PageRank then needs scipy, which toolkit depends on anyway.

What is compared:

* Seeds: both rankers get the *same candidate units* (toolkit's summary units: body sentences,
  and quotations of several sentences quoted whole with their attribution), one per line, and
  textrank4zh splits sentences at line breaks only, so that a unit stays one sentence for it;
  the top-3 overlap measures the ranking, not the sentence splitting or boilerplate handling.
  Overlap is judged on seeds 001-004 (clean Simplified text); seed 000 is Traditional, which
  textrank4zh's jieba does not handle.
* Longer documents: the candidate units of seeds 001-004 longer than a refrain (a short unit
  repeated word for word is never a candidate), cycled, four to a paragraph, at 50-800 units
  (toolkit also at 1600-6400). Time per document, ratio, and the slope of
  log(time) against log(units).
* ROUGE: seed 002 opens with an editor's summary (the paragraph after the ``核心阅读`` heading).
  It is left out of the input and used as the reference for Lead-3, TextRank-3 and
  textrank4zh-3, all three choosing among the same units: character-level ROUGE-1/2/L (F1, with
  recall), Han characters, letters and digits only.
* Keywords: textrank4zh with ``edge_source='all_filters'`` (edges between POS-filtered words
  within a sentence), the graph toolkit builds, on the body text.
"""

from __future__ import annotations

import itertools
import math
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
SIZES = (50, 100, 200, 400, 800)
TOOLKIT_ONLY_SIZES = (1600, 3200, 6400)
TOP = 3
_ROUGE_CHARS = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")


def main() -> None:
    import networkx as nx

    try:
        import textrank4zh
        from textrank4zh import TextRank4Keyword, TextRank4Sentence
    except ImportError:
        sys.exit("textrank4zh is not installed: pip install -e .[bench]  (textrank4zh, networkx)")
    if not hasattr(nx, "from_numpy_matrix"):
        nx.from_numpy_matrix = nx.from_numpy_array  # removed in networkx 3.0; same graph
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    from toolkit.text.reading import document_from_text, read_document
    from toolkit.summaries import TextRankSummarizer, summarize_document
    from toolkit.summaries.units import MAX_REFRAIN_CHARS, analyse

    print(f"textrank4zh {getattr(textrank4zh, '__version__', '0.3')} on networkx {nx.__version__} (patched from_numpy_matrix) vs toolkit TextRank")
    tr_sentences = TextRank4Sentence(delimiters=["\n"])  # one candidate unit per line
    tr_keywords = TextRank4Keyword()
    tr_sentences.analyze("预热。\n加载词典。", source="no_stop_words")  # load jieba's dictionary outside the timings
    summarize_document(document_from_text("预热，加载词典。这是第二个句子。"))

    # -- seeds ---------------------------------------------------------------------------
    print("\n== seeds: the same candidate units for both; top-3 units compared")
    print(f"{'seed':<28}{'units':>6}{'textrank4zh':>13}{'toolkit':>10}{'ratio':>8}   top-3 overlap")
    agreements = []
    pool: list[str] = []
    for path in SEEDS:
        doc = read_document(str(path))
        candidates = analyse(doc).candidates
        lines = [u.text for u in candidates]
        text = "\n".join(lines)
        t_ref = _best(lambda: _run_textrank4zh(tr_sentences, text), repeat=3)
        t_ours = _best(lambda: TextRankSummarizer().summarize(doc, keywords=0), repeat=5)
        tr_sentences.analyze(text, source="no_stop_words")
        assert len(tr_sentences.sentences) == len(lines), "textrank4zh split a candidate sentence"
        theirs = {item.index for item in tr_sentences.get_key_sentences(num=TOP)}
        summary = TextRankSummarizer().summarize(doc, sentences=TOP, keywords=0)
        position = {(u.paragraph, u.first): i for i, u in enumerate(candidates)}
        ours = {position[(s.paragraph, s.sentence)] for s in summary.sentences}
        clean = not path.name.startswith("000")
        if clean:
            agreements.append(len(ours & theirs))
            # Cycled, a short unit would repeat word for word and become a refrain, which is never
            # a candidate (units.MAX_REFRAIN_CHARS): the long documents use the longer units only.
            pool.extend(line for line in lines if _content(line) > MAX_REFRAIN_CHARS)
        note = f"{len(ours & theirs)}/{TOP}" + ("" if clean else "  (Traditional: not counted)")
        print(f"{path.name:<28}{len(lines):>6}{_ms(t_ref):>13}{_ms(t_ours):>10}{t_ref / t_ours:>7.1f}x   {note}")
    total = sum(agreements)
    print(
        f"same top units on clean Simplified seeds: {total}/{TOP * len(agreements)} = {total / (TOP * len(agreements)):.2f}"
        f" (target >= 0.67); documents with >= 2 of 3 in common: {sum(a >= 2 for a in agreements)}/{len(agreements)}"
    )

    # -- longer documents ------------------------------------------------------------------
    print("\n== longer documents built from seeds 001-004 (time per document, best of runs)")
    print(
        f"{'units':>9}{'tr4zh sent':>12}{'toolkit sent':>14}{'ratio':>8}"
        f"{'tr4zh +kw':>12}{'toolkit +kw':>13}{'ratio':>8}"
    )
    ours_sent, ours_full, ref_sent, ref_full = {}, {}, {}, {}
    for n in SIZES + TOOLKIT_ONLY_SIZES:
        sentences = list(itertools.islice(itertools.cycle(pool), n))
        doc = document_from_text("\n".join("".join(sentences[i : i + 4]) for i in range(0, n, 4)), name=f"built-{n}")
        assert len(analyse(doc).candidates) == n
        text = "\n".join(sentences)
        ours_sent[n] = _best(lambda: summarize_document(doc, keywords=0), repeat=5)
        ours_full[n] = _best(lambda: summarize_document(doc), repeat=5)
        if n in SIZES:
            repeat = 3 if n <= 100 else 1
            ref_sent[n] = _best(lambda: _run_textrank4zh(tr_sentences, text), repeat=repeat)
            ref_full[n] = ref_sent[n] + _best(lambda: _run_textrank4zh_keywords(tr_keywords, text), repeat=repeat)
            print(
                f"{n:>9}{_ms(ref_sent[n]):>12}{_ms(ours_sent[n]):>14}{ref_sent[n] / ours_sent[n]:>7.1f}x"
                f"{_ms(ref_full[n]):>12}{_ms(ours_full[n]):>13}{ref_full[n] / ours_full[n]:>7.1f}x"
            )
        else:
            print(f"{n:>9}{'-':>12}{_ms(ours_sent[n]):>14}{'':>8}{'-':>12}{_ms(ours_full[n]):>13}")
    print("growth exponent (slope of log time on log units, 50-800):")
    print(f"  textrank4zh sentences {_slope(ref_sent):.2f}, with keywords {_slope(ref_full):.2f}")
    print(f"  toolkit     sentences {_slope(ours_sent, SIZES):.2f}, with keywords {_slope(ours_full, SIZES):.2f}")
    print(f"  toolkit 800-6400      sentences {_slope(ours_sent, (800,) + TOOLKIT_ONLY_SIZES):.2f}, with keywords {_slope(ours_full, (800,) + TOOLKIT_ONLY_SIZES):.2f}")
    print(f"speed-up at 400 units: {ref_sent[400] / ours_sent[400]:.0f}x (sentences), {ref_full[400] / ours_full[400]:.0f}x (with keywords); target >= 20x")

    # -- ROUGE against the editor's summary -------------------------------------------------
    print("\n== seed 002: Lead-3 and TextRank-3 against the editor's 核心阅读 summary (left out of the input)")
    doc = read_document(str(next(p for p in SEEDS if p.name.startswith("002"))))
    heading = next(p for p in doc.paragraphs if p.text.strip() == "核心阅读")
    reference = doc.paragraphs[heading.index + 1]
    doc.paragraphs = [p for p in doc.paragraphs if p.index not in (heading.index, reference.index)]
    print(f"reference ({len(_chars(reference.text))} chars): {reference.text}")
    rows = {
        "Lead-3": summarize_document(doc, sentences=TOP, keywords=0, method="lead"),
        "TextRank-3": summarize_document(doc, sentences=TOP, keywords=0),
    }
    reference_input = analyse(doc).candidates
    # Lead-3 is the first three of the units TextRank and textrank4zh choose among.
    assert _texts(rows["Lead-3"]) == [u.text for u in reference_input[:TOP]]
    tr_sentences.analyze("\n".join(u.text for u in reference_input), source="no_stop_words")
    picked = sorted(item.index for item in tr_sentences.get_key_sentences(num=TOP))
    rows["textrank4zh-3"] = [reference_input[i].text for i in picked]
    print(f"{'':<14}{'R1 F':>7}{'R1 R':>7}{'R2 F':>7}{'R2 R':>7}{'RL F':>7}{'RL R':>7}{'chars':>7}")
    rows = {name: _texts(summary) for name, summary in rows.items()}
    for name, texts in rows.items():
        hypothesis = "".join(texts)
        scores = rouge(hypothesis, reference.text)
        print(
            f"{name:<14}" + "".join(f"{scores[k][part]:>7.3f}" for k in ("1", "2", "L") for part in ("f", "r"))
            + f"{len(_chars(hypothesis)):>7}"
        )
    for name, texts in rows.items():
        print(f"{name}:")
        for text in texts:
            print(f"  {text}")

    # -- keywords, side by side --------------------------------------------------------------
    print("\n== keywords (top 10) and keyphrases, textrank4zh (edge_source='all_filters') on the body text vs toolkit")
    for path in SEEDS[1:]:
        doc = read_document(str(path))
        body = "\n".join(p.text for p in doc.body)
        tr_keywords.analyze(body, window=2, edge_source="all_filters")
        theirs = " ".join(item.word for item in tr_keywords.get_keywords(10))
        phrases = " ".join(tr_keywords.get_keyphrases(keywords_num=12, min_occur_num=2))
        summary = summarize_document(doc)
        print(f"{path.name}\n  textrank4zh: {theirs} | {phrases}")
        print(f"  toolkit:     {' '.join(k.word for k in summary.keywords)} | {' '.join(k.word for k in summary.keyphrases)}")


def _texts(summary) -> list[str]:
    return summary if isinstance(summary, list) else [s.text for s in summary.sentences]


def _run_textrank4zh(tr, text: str):
    tr.analyze(text, source="no_stop_words")
    return tr.get_key_sentences(num=TOP)


def _run_textrank4zh_keywords(tr, text: str):
    tr.analyze(text, window=2, edge_source="all_filters")
    return tr.get_keywords(10), tr.get_keyphrases(keywords_num=12, min_occur_num=2)


def _best(fn, repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _content(text: str) -> int:
    from toolkit.text.patterns import CONTENT_CHAR

    return len(CONTENT_CHAR.findall(text))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _slope(times: dict[int, float], sizes=SIZES) -> float:
    import numpy as np

    xs = np.log([n for n in sizes])
    ys = np.log([times[n] for n in sizes])
    return float(np.polyfit(xs, ys, 1)[0])


def _chars(text: str) -> list[str]:
    return _ROUGE_CHARS.findall(text)


def rouge(hypothesis: str, reference: str) -> dict[str, dict[str, float]]:
    """Character-level ROUGE-1, ROUGE-2 and ROUGE-L: precision, recall and F1.

    Characters, not words, because a Chinese summary judged by words depends on the segmenter;
    counts are clipped (a character matches at most as often as the reference has it).
    """
    from collections import Counter

    hyp, ref = _chars(hypothesis), _chars(reference)
    out = {}
    for n in (1, 2):
        h = Counter(tuple(hyp[i : i + n]) for i in range(len(hyp) - n + 1))
        r = Counter(tuple(ref[i : i + n]) for i in range(len(ref) - n + 1))
        out[str(n)] = _prf(sum((h & r).values()), sum(h.values()), sum(r.values()))
    out["L"] = _prf(_lcs(hyp, ref), len(hyp), len(ref))
    return out


def _prf(match: int, hyp_total: int, ref_total: int) -> dict[str, float]:
    p = match / hyp_total if hyp_total else 0.0
    r = match / ref_total if ref_total else 0.0
    return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0}


def _lcs(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence, bit-parallel (Hyyrö 2004): one pass over ``a``
    with ``b`` held as the bits of an integer, the same number as the textbook table, far faster
    on the long set's 300-character references."""
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for j, y in enumerate(b):
        masks[y] = masks.get(y, 0) | (1 << j)
    full = (1 << len(b)) - 1
    v = full
    for x in a:
        u = v & masks.get(x, 0)
        v = ((v + u) | (v - u)) & full
    return len(b) - bin(v).count("1")


# --------------------------------------------------------------------------------------------
# Evaluation sets: the news set (bench/sumset) and the long non-news set (bench/sumset_long)


SUMSET = REPO / "bench" / "out" / "sumset"
SUMSET_LONG = REPO / "bench" / "out" / "sumset_long"


def load_pairs(folder: Path = SUMSET, pattern: str = "rmrb-*.summary.txt", script: str = "bench/sumset/rebuild.py"):
    """(id, document text, reference) of every rebuilt pair; exits with a hint when none are."""
    pairs = []
    for path in sorted(folder.glob(pattern)):
        article = path.with_name(path.name.replace(".summary.txt", ".txt"))
        pairs.append((article.stem, article.read_text(encoding="utf-8"), path.read_text(encoding="utf-8").strip()))
    if not pairs:
        sys.exit(f"no pairs in {folder}: run python {script} --sources DIR first")
    return pairs


def load_sumset():
    return load_pairs()


def oracle(units: list[str], reference: str, top: int = TOP) -> list[int]:
    """Greedy ROUGE-L oracle: add the unit that raises F1 most, up to ``top`` units, in order."""
    chosen: list[int] = []
    best = 0.0
    while len(chosen) < top:
        gains = [(rouge("".join(units[j] for j in sorted(chosen + [i])), reference)["L"]["f"], i)
                 for i in range(len(units)) if i not in chosen]
        if not gains:
            break
        score, i = max(gains, key=lambda g: (g[0], -g[1]))
        if score <= best:
            break
        best = score
        chosen.append(i)
    return sorted(chosen)


def paired_ci(a, b, rounds: int = 2000, seed: int = 0):
    """Mean of a - b and its 95% percentile bootstrap interval over documents."""
    import numpy as np

    d = np.asarray(a) - np.asarray(b)
    rng = np.random.default_rng(seed)
    means = d[rng.integers(0, len(d), size=(rounds, len(d)))].mean(axis=1)
    return float(d.mean()), float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def mean_ci(a, rounds: int = 2000, seed: int = 0):
    """Mean of a and its 95% percentile bootstrap interval over documents."""
    return paired_ci(a, [0.0] * len(a), rounds, seed)


DEFAULT = "NewsRank (default)"


def run_systems(pairs, top: int = TOP):
    """Each compared system's summary of every document, all choosing ``top`` of the same units.

    Returns (documents, {system: [summary text per document]}, how often the default fell back to
    plain TextRank, by reason).
    textrank4zh gets toolkit's candidate units one per line (it splits at line breaks only), so
    that it ranks the same passages; it is left out when not installed.
    """
    from toolkit.text.reading import document_from_text
    from toolkit.summaries import SUMMARIZERS, DEFAULT_METHOD
    from toolkit.summaries.units import analyse

    docs = [(pid, document_from_text(text, name=pid), ref) for pid, text, ref in pairs]
    names = ("Lead-3", "TextRank-3", "textrank4zh-3", DEFAULT, "oracle-3")
    if top != TOP:
        names = tuple(n.replace("-3", f"-{top}") for n in names)
    lead, plain, theirs, default_name, best = names
    systems: dict[str, list[str]] = {name: [] for name in names}
    tr4zh = _textrank4zh()
    if tr4zh is None:
        systems.pop(theirs)
    default = SUMMARIZERS[DEFAULT_METHOD]()
    fell_back: dict[str, int] = {}
    for pid, doc, ref in docs:
        units = [u.text for u in analyse(doc).candidates]
        systems[lead].append("".join(s.text for s in SUMMARIZERS["lead"]().summarize(doc, sentences=top, keywords=0).sentences))
        systems[plain].append("".join(s.text for s in SUMMARIZERS["textrank"]().summarize(doc, sentences=top, keywords=0).sentences))
        systems[default_name].append("".join(s.text for s in default.summarize(doc, sentences=top, keywords=0).sentences))
        if default.fell_back:
            reason = getattr(default, "fallback_reason", None) or "lead"
            fell_back[reason] = fell_back.get(reason, 0) + 1
        if tr4zh is not None:
            tr4zh.analyze("\n".join(units), source="no_stop_words")
            picked = sorted(item.index for item in tr4zh.get_key_sentences(num=top))
            systems[theirs].append("".join(units[i] for i in picked))
        systems[best].append("".join(units[i] for i in oracle(units, ref, top)))
    return docs, systems, fell_back


def _textrank4zh():
    try:
        import networkx as nx
        from textrank4zh import TextRank4Sentence
    except ImportError:
        return None
    if not hasattr(nx, "from_numpy_matrix"):
        nx.from_numpy_matrix = nx.from_numpy_array  # removed in networkx 3.0; same graph
    return TextRank4Sentence(delimiters=["\n"])


def _reasons(fell_back: dict[str, int]) -> str:
    total = sum(fell_back.values())
    return f"{total}" + (f" ({', '.join(f'{n} {r}' for r, n in sorted(fell_back.items()))})" if total else "")


def news(grid: bool = False) -> None:
    import numpy as np

    from toolkit.text.reading import document_from_text
    from toolkit.summaries import NewsRankSummarizer

    pairs = load_sumset()
    if grid:
        docs = [(pid, document_from_text(text, name=pid), ref) for pid, text, ref in pairs]
        print("== grid: NewsRank position_power x length_power, 3 units, mean ROUGE-L F1 and chars")
        for pp in (0.0, 0.5, 1.0, 1.5, 2.0):
            for lp in (0.0, 0.5, 1.0):
                ranker = NewsRankSummarizer(position_power=pp, length_power=lp)
                scores, chars = [], []
                for pid, doc, ref in docs:
                    text = "".join(s.text for s in ranker.summarize(doc, keywords=0).sentences)
                    scores.append(rouge(text, ref)["L"]["f"])
                    chars.append(len(_chars(text)))
                print(f"  position {pp:.1f}  length {lp:.1f}   RL {np.mean(scores):.4f}   chars {np.mean(chars):6.1f}")
        return
    docs, systems, fell_back = run_systems(pairs)
    refs = [ref for _, _, ref in docs]
    print(f"== news set: {len(docs)} People's Daily articles, reference = editors' headline block "
          f"(mean {np.mean([len(_chars(r)) for r in refs]):.0f} chars); character ROUGE F1, 95% bootstrap CI of the paired difference with Lead-3")
    print(f"NewsRank fell back to plain TextRank on {_reasons(fell_back)} of {len(docs)} articles")
    table = {name: [rouge(h, r) for h, r in zip(hyps, refs)] for name, hyps in systems.items()}
    lead_chars = np.mean([len(_chars(h)) for h in systems["Lead-3"]])
    print(f"{'':<20}{'R1':>7}{'R2':>7}{'RL':>7}   {'RL - Lead-3 [95% CI]':<26}{'chars':>7}{'x Lead-3':>9}")
    for name, scores in table.items():
        means = [np.mean([s[k]["f"] for s in scores]) for k in ("1", "2", "L")]
        if name == "Lead-3":
            diff = "-"
        else:
            d, lo, hi = paired_ci([s["L"]["f"] for s in scores], [s["L"]["f"] for s in table["Lead-3"]])
            diff = f"{d:+.4f} [{lo:+.4f}, {hi:+.4f}]"
        chars = np.mean([len(_chars(h)) for h in systems[name]])
        print(f"{name:<20}" + "".join(f"{m:>7.4f}" for m in means) + f"   {diff:<26}{chars:>7.0f}{chars / lead_chars:>9.2f}")
    for k in ("1", "2"):
        d, lo, hi = paired_ci([s[k]["f"] for s in table[DEFAULT]], [s[k]["f"] for s in table["Lead-3"]])
        print(f"NewsRank - Lead-3, ROUGE-{k}: {d:+.4f} [{lo:+.4f}, {hi:+.4f}]")


def long_half(pid: str) -> str:
    """``dev`` or ``test``: a fixed half of the long set by the hash of the pair's id, so that a
    rule chosen on one half is reported on the other (about half of each kind in each)."""
    import hashlib

    return "dev" if int(hashlib.sha256(pid.encode()).hexdigest(), 16) % 2 == 0 else "test"


def long(half: str = "test", top: int = TOP) -> None:
    """The long non-news set: every system at ``top`` units, ROUGE F1 with 95% bootstrap CIs of
    the mean, and the paired difference default - textrank4zh, overall and per kind."""
    import numpy as np

    pairs = load_pairs(SUMSET_LONG, "*.summary.txt", "bench/sumset_long/rebuild.py")
    if half != "all":
        pairs = [p for p in pairs if long_half(p[0]) == half]
    docs, systems, fell_back = run_systems(pairs, top)
    refs = [ref for _, _, ref in docs]
    kinds = sorted({pid.split("-")[0] for pid, _, _ in docs})
    counts = ", ".join(f"{sum(pid.startswith(k) for pid, _, _ in docs)} {k}s" for k in kinds)
    print(f"== long non-news set, {half} half: {len(docs)} documents ({counts}); reference = people's summaries "
          f"(mean {np.mean([len(_chars(r)) for r in refs]):.0f} chars); {top} units each; character ROUGE F1 [95% bootstrap CI]")
    print(f"the default fell back to plain TextRank on {_reasons(fell_back)} of {len(docs)} documents")
    table = {name: [rouge(h, r) for h, r in zip(hyps, refs)] for name, hyps in systems.items()}
    print(f"{'':<20}" + "".join(f"{'ROUGE-' + k:<25}" for k in ("1", "2", "L")) + f"{'chars':>6}")
    for name, scores in table.items():
        cells = []
        for k in ("1", "2", "L"):
            m, lo, hi = mean_ci([s[k]["f"] for s in scores])
            cells.append(f"{m:.4f} [{lo:.4f}, {hi:.4f}]".ljust(25))
        print(f"{name:<20}" + "".join(cells) + f"{np.mean([len(_chars(h)) for h in systems[name]]):>6.0f}")
    theirs = next((n for n in table if n.startswith("textrank4zh")), None)
    if theirs is None:
        return
    groups = [("all", range(len(docs)))] + [(k, [i for i, (pid, _, _) in enumerate(docs) if pid.startswith(k)]) for k in kinds]
    for label, rows in groups:
        diffs = []
        for k in ("1", "2", "L"):
            d, lo, hi = paired_ci([table[DEFAULT][i][k]["f"] for i in rows], [table[theirs][i][k]["f"] for i in rows])
            diffs.append(f"R{k} {d:+.4f} [{lo:+.4f}, {hi:+.4f}]")
        print(f"default - textrank4zh, {label} ({len(rows)}): " + "   ".join(diffs))


if __name__ == "__main__":
    if sys.argv[1:2] == ["news"]:
        news(grid="--grid" in sys.argv)
    elif sys.argv[1:2] == ["long"]:
        args = sys.argv[2:]
        half = next((h for h in ("dev", "test", "all") if f"--{h}" in args), "test")
        top = int(args[args.index("--sentences") + 1]) if "--sentences" in args else TOP
        long(half, top)
    else:
        main()
