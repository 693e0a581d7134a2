"""Benchmark: the coding loop on an outlet the model has not seen, suggested paragraphs vs random ones.

For each outlet of a real coded set (CSV ``doc,outlet,text,label``: the real-text set of the
transfer issue, or ``--synthetic``), its documents are split into a pool and held-out test
articles (by document, ``--test-share`` of them, ``--splits`` different splits). Then:

1. base: a model of the shipped configuration fitted on ``--labels`` without any row of the
   real set (so the outlet is unseen) is scored on the test articles;
2. active: ``toolkit.coding.suggest.select`` picks k pool paragraphs from the base model's
   probabilities, exactly as ``toolkit labels suggest`` does; their known codes join the
   training rows with weight ``--weight`` (as ``toolkit train --weight``), and the refitted
   model is scored on the same test articles;
3. random: k pool paragraphs drawn at random from the same candidates (``--draws`` draws,
   mean), trained and scored the same way.

Scores are macro-F1 over the labels present in the test articles. The confidence intervals are
95% percentile bootstraps over test documents (paragraphs of an article are not independent),
of active − base and of active − mean of the random draws, paired on the same paragraphs; the
summary adds a 95% t interval over the splits. Done-when target (on the real set): active at
k = 100 lifts macro-F1 by >= 0.05 over base and beats random.

Why the other options exist (issue 9):

- ``--genres`` pools the small outlets into two genres (``local``: the village, county-government,
  county-poverty and county-bank sites; ``reports``: government work reports and Party congress
  reports), ``--group NAME=OUTLET,...`` any others; alone, none has enough articles for a pool of
  100 paragraphs and a test set.
- ``--folds F`` replaces random splits by partitions of the outlet's articles into F folds, each
  the test set once, scored on all folds pooled (``--splits`` partitions). With random splits a
  theme often has two or three test paragraphs (the ``min`` column), so one paragraph moves
  macro-F1 by 0.03–0.07 and a split can show −0.084 where the model changed no more than noise
  does; pooled, every theme counts with all its paragraphs and the base figure is the same in
  every partition.
- ``--score article`` codes the held-out articles as ``toolkit classify`` does (structure
  ``other`` by rule, body paragraphs decided in context, :mod:`toolkit.themes.context`), from the
  texts ``bench/realset/rebuild.py`` writes beside the set: the figure a user sees. The default,
  ``paragraph``, scores each paragraph's argmax alone, as the issue's first figures were.

    python bench/coding_loop.py --realset bench/out/realset/realset.csv [--k 50 100 200] [--splits 3]
    python bench/coding_loop.py --realset bench/out/realset/realset.csv --genres --outlet local \\
        --outlet reports --outlet peoples-daily --k 100 --folds 3 --splits 3 [--score article]
    python bench/coding_loop.py --synthetic        # outlets built from labels.csv (see below)

``--synthetic`` makes two outlets of labels.csv's whole real-style articles: ``seed`` (the five
seed articles) and ``article`` (the twelve blind-coded articles written in other outlets'
genres); the base model then learns from the remaining team-written rows only. It tests the
bench, not the done-when figure: those pools are small (about 110 and 180 paragraphs), so k = 200
takes the whole pool and active and random coincide.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


@dataclass(frozen=True)
class Row:
    doc: str
    outlet: str
    text: str
    label: str
    paragraph: int | None = None


def read_realset(path: Path, groups: dict[str, str] | None = None) -> list[Row]:
    """The coded rows; ``groups`` maps an outlet to the genre it is pooled into (``--group``)."""
    groups = groups or {}
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"doc", "outlet", "text", "label"} - set(reader.fieldnames or [])
        if missing:
            sys.exit(f"{path}: missing column(s) {', '.join(sorted(missing))}; needed: doc,outlet,text,label")
        return [Row(r["doc"], groups.get(r["outlet"], r["outlet"]), r["text"], r["label"].strip().lower(),
                    int(r["paragraph"]) if (r.get("paragraph") or "").strip() else None)
                for r in reader if r["text"].strip()]


def parse_groups(specs) -> dict[str, str]:
    """``["local=village-site,county-gov-site"]`` -> ``{"village-site": "local", "county-gov-site": "local"}``."""
    out = {}
    for spec in specs or ():
        name, sep, members = spec.partition("=")
        if not sep or not name.strip() or not members.strip():
            sys.exit(f"--group {spec!r}: write NAME=OUTLET,OUTLET")
        out.update({m.strip(): name.strip() for m in members.split(",") if m.strip()})
    return out


#: The genres the small outlets of the real-text set are pooled into by ``--genres``: each alone
#: has too few articles for a pool of 100 paragraphs and a test set.
GENRES = {
    "local": ["village-site", "county-gov-site", "county-poverty-site", "county-bank-site"],
    "reports": ["gov-work-report", "party-congress"],
}


class ArticleScorer:
    """Codes held-out articles as ``toolkit classify`` does (structure ``other`` by rule, each body
    paragraph decided in its article's context), from the rebuilt texts beside the set."""

    def __init__(self, texts_dir: Path, config: dict):
        self.texts_dir, self.config, self.documents = texts_dir, config, {}

    def document(self, doc: str):
        from toolkit.text.reading import document_from_text

        if doc not in self.documents:
            path = self.texts_dir / f"{doc}.txt"
            if not path.is_file():
                sys.exit(f"{path}: no article text; --score article needs the rebuilt set (bench/realset/rebuild.py)")
            self.documents[doc] = document_from_text(path.read_text(encoding="utf-8"), doc)
        return self.documents[doc]

    def predict(self, pipeline, rows) -> list[str]:
        from toolkit.themes.classifier import ThemeModel, classify_document, uses_lexicon, word_tokenizer
        from toolkit.themes.lexicon import lexicon_sha256

        f = self.config["features"]
        card = {"tokenizer": word_tokenizer(f), "lexicon_sha256": lexicon_sha256() if uses_lexicon(f) else None,
                "config": self.config}
        model = ThemeModel(pipeline, card)
        labels = {}
        for doc in sorted({r.doc for r in rows}):
            for p in classify_document(self.document(doc), model).paragraphs:
                labels[(doc, p.paragraph)] = p.label
        return [labels[(r.doc, r.paragraph)] for r in rows]


def synthetic_realset(labels_path: Path) -> list[Row]:
    from toolkit.themes.labels import read_labels

    out = []
    for r in read_labels(labels_path).rows:
        if r.is_seed:
            out.append(Row(r.doc, "seed", r.text, r.label))
        elif r.doc.startswith("written-article-"):
            out.append(Row(r.doc, "article", r.text, r.label))
    return out


class Fitter:
    """Fits the shipped configuration on base rows plus extra weighted rows; caches prepared text."""

    def __init__(self, base_texts, base_labels, weight: float):
        from toolkit.themes.config import resolve_config

        self.config = resolve_config()
        self.base_texts, self.base_labels, self.weight = list(base_texts), list(base_labels), weight
        self.fits = 0

    def fit(self, texts=(), labels=()):
        from toolkit.themes.classifier import build_pipeline, uses_lexicon, word_tokenizer
        from toolkit.themes.scoring import prepare

        f = self.config["features"]
        X = prepare(self.base_texts + list(texts), word_tokenizer(f), uses_lexicon(f))
        y = self.base_labels + list(labels)
        w = np.r_[np.ones(len(self.base_texts)), np.full(len(texts), self.weight)]
        self.fits += 1
        return build_pipeline(self.config).fit(X, y, classifier__sample_weight=w)

    def predict_proba(self, pipeline, texts):
        from toolkit.themes.classifier import uses_lexicon, word_tokenizer
        from toolkit.themes.scoring import prepare

        f = self.config["features"]
        return pipeline.predict_proba(prepare(list(texts), word_tokenizer(f), uses_lexicon(f)))


def macro_f1(y_true, y_pred, labels) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0))


def doc_bootstrap(y, docs, pred_a, preds_b, labels, n_boot=1000, seed=0):
    """95% CI of macro-F1(pred_a) − mean macro-F1(preds_b), resampling test documents."""
    rng = np.random.default_rng(seed)
    unique = sorted(set(docs))
    rows_of = {d: np.flatnonzero(np.asarray(docs) == d) for d in unique}
    y, pred_a = np.asarray(y), np.asarray(pred_a)
    preds_b = [np.asarray(p) for p in preds_b]
    diffs = []
    for _ in range(n_boot):
        idx = np.concatenate([rows_of[unique[i]] for i in rng.integers(0, len(unique), len(unique))])
        a = macro_f1(y[idx], pred_a[idx], labels)
        b = np.mean([macro_f1(y[idx], p[idx], labels) for p in preds_b])
        diffs.append(a - b)
    return float(np.quantile(diffs, 0.025)), float(np.quantile(diffs, 0.975))


def run_outlet(rows, base, ks, draws, weight, test_share, split_seed, n_boot, articles: ArticleScorer | None = None,
               test_docs: set[str] | None = None):
    from toolkit.coding.suggest import MIN_HAN, han_count, select
    from toolkit.themes.scoring import analysis_texts

    if test_docs is None:
        rng = np.random.default_rng(split_seed)
        docs = sorted({r.doc for r in rows})
        n_test = max(1, round(test_share * len(docs)))
        test_docs = set(rng.choice(docs, size=n_test, replace=False).tolist())
    test = [r for r in rows if r.doc in test_docs]
    pool = [r for r in rows if r.doc not in test_docs and han_count(r.text) >= MIN_HAN]
    fitter = Fitter(analysis_texts([r.text for r in base]), [r.label for r in base], weight)
    test_x, test_y, test_docs_list = analysis_texts([r.text for r in test]), [r.label for r in test], [r.doc for r in test]
    labels = sorted(set(test_y))
    pool_x = analysis_texts([r.text for r in pool])

    def score(pipeline):
        if articles is not None:
            pred = articles.predict(pipeline, test)
        else:
            proba = fitter.predict_proba(pipeline, test_x)
            pred = [str(pipeline.classes_[i]) for i in proba.argmax(axis=1)]
        return macro_f1(test_y, pred, labels), pred

    base_model = fitter.fit()
    base_f1, base_pred = score(base_model)
    pool_proba = fitter.predict_proba(base_model, pool_x)
    results = []
    for k in ks:
        k_eff = min(k, len(pool))
        chosen = select(pool_x, pool_proba, [r.doc for r in pool], k_eff, exclude=fitter.base_texts)
        active_f1, active_pred = score(fitter.fit([pool_x[i] for i in chosen], [pool[i].label for i in chosen]))
        random_f1, random_preds = [], []
        for d in range(draws):
            picked = np.random.default_rng(1000 * split_seed + d).choice(len(pool), size=k_eff, replace=False)
            f1, pred = score(fitter.fit([pool_x[i] for i in picked], [pool[i].label for i in picked]))
            random_f1.append(f1)
            random_preds.append(pred)
        results.append({
            "k": k, "k_used": len(chosen), "pool": len(pool), "test_rows": len(test), "test_docs": len(test_docs),
            "smallest": min(test_y.count(label) for label in labels),
            "base": base_f1, "active": active_f1, "random": float(np.mean(random_f1)), "random_draws": random_f1,
            "ci_vs_base": doc_bootstrap(test_y, test_docs_list, active_pred, [base_pred], labels, n_boot),
            "ci_vs_random": doc_bootstrap(test_y, test_docs_list, active_pred, random_preds, labels, n_boot),
            "y": test_y, "base_pred": base_pred, "active_pred": active_pred, "random_preds": random_preds,
        })
    return results


def designs(rows, splits: int, folds: int):
    """(index, seed, test documents) of each run: random splits (test documents drawn in
    :func:`run_outlet`), or ``splits`` partitions of the documents into ``folds`` test folds."""
    if not folds:
        return [(split, split, None) for split in range(splits)]
    docs = sorted({r.doc for r in rows})
    if folds > len(docs):
        sys.exit(f"--folds {folds}: the outlet has {len(docs)} articles")
    out = []
    for repeat in range(splits):
        order = np.random.default_rng(repeat).permutation(docs)
        for fold in range(folds):
            out.append((repeat * folds + fold, 100 + repeat * folds + fold, set(order[fold::folds].tolist())))
    return out


def pool_folds(pooled) -> dict[tuple[str, int], list[dict]]:
    """Per outlet and k, one result per partition: macro-F1 of the folds' predictions pooled
    (random: the mean over draws of each draw's pooled macro-F1)."""
    out: dict[tuple[str, int], list[dict]] = {}
    for (outlet, k, _), results in pooled.items():
        y = [label for r in results for label in r["y"]]
        labels = sorted(set(y))
        join = lambda key: [p for r in results for p in r[key]]  # noqa: E731
        draws = len(results[0]["random_preds"])
        random = [macro_f1(y, [p for r in results for p in r["random_preds"][d]], labels) for d in range(draws)]
        out.setdefault((outlet, k), []).append({
            "test_rows": len(y), "smallest": min(y.count(label) for label in labels),
            "base": macro_f1(y, join("base_pred"), labels), "active": macro_f1(y, join("active_pred"), labels),
            "random": float(np.mean(random)),
        })
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--realset", type=Path, help="CSV of real coded paragraphs: doc,outlet,text,label")
    source.add_argument("--synthetic", action="store_true", help="outlets built from labels.csv (tests the bench only)")
    parser.add_argument("--labels", type=Path, default=REPO / "labels.csv", help="base training rows (realset rows are removed)")
    parser.add_argument("--outlet", action="append", help="only this outlet (repeatable; default: every outlet)")
    parser.add_argument("--k", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--draws", type=int, default=3, help="random draws per k (their mean is reported)")
    parser.add_argument("--weight", type=float, default=3.0, help="weight of the coded rows, as train --weight")
    parser.add_argument("--test-share", type=float, default=0.34, help="share of an outlet's documents held out")
    parser.add_argument("--splits", type=int, default=3, help="pool/test splits per outlet (with --folds: repeats)")
    parser.add_argument("--folds", type=int, default=0, metavar="F",
                        help="instead of random splits, partition the outlet's articles into F folds, each the test "
                             "set once, and score macro-F1 on all of them pooled (every article tested once, so the "
                             "small themes count with all their paragraphs); --splits partitions")
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--group", action="append", metavar="NAME=OUTLET,OUTLET",
                        help="pool these outlets into one named outlet (repeatable)")
    parser.add_argument("--genres", action="store_true",
                        help="pool the small outlets: " + "; ".join(f"{g}={','.join(m)}" for g, m in GENRES.items()))
    parser.add_argument("--score", choices=("paragraph", "article"), default="paragraph",
                        help="paragraph: each test paragraph's argmax alone; article: the held-out articles coded "
                             "as toolkit classify codes them (context step, structure 'other'; needs --realset)")
    args = parser.parse_args()

    from toolkit.themes.labels import read_labels

    groups = parse_groups(args.group)
    if args.genres:
        groups.update({m: g for g, members in GENRES.items() for m in members})
    if args.score == "article" and args.synthetic:
        sys.exit("--score article needs --realset (the article texts rebuilt beside it)")
    real = synthetic_realset(args.labels) if args.synthetic else read_realset(args.realset, groups)
    articles = None
    if args.score == "article":
        from toolkit.themes.config import resolve_config

        articles = ArticleScorer(args.realset.parent / "texts", resolve_config())
    real_texts = {" ".join(r.text.split()) for r in real}
    base = [r for r in read_labels(args.labels).rows if " ".join(r.text.split()) not in real_texts]
    outlets = sorted({r.outlet for r in real}) if not args.outlet else args.outlet
    started = time.perf_counter()
    print(f"base: {len(base)} rows of {args.labels.name} (real-set rows removed); weight of coded rows {args.weight:g}; "
          f"random: mean of {args.draws} draws; scored per {args.score}; CIs: 95% bootstrap over test documents")
    print(f"{'outlet':<10}{'split':>6}{'k':>5}{'pool':>6}{'test':>9}{'min':>5}{'base':>7}{'active':>8}{'random':>8}"
          f"{'act-base':>10}{'95% CI':>17}{'act-rand':>10}{'95% CI':>17}")
    summary: dict[tuple[str, int], list[dict]] = {}
    pooled: dict[tuple[str, int, int], list[dict]] = {}
    for outlet in outlets:
        rows = [r for r in real if r.outlet == outlet]
        if not rows:
            sys.exit(f"no rows of outlet {outlet!r} (outlets: {', '.join(sorted({r.outlet for r in real}))})")
        for split, seed, test_docs in designs(rows, args.splits, args.folds):
            for res in run_outlet(rows, base, args.k, args.draws, args.weight, args.test_share, seed, args.bootstrap,
                                  articles, test_docs):
                if args.folds:
                    pooled.setdefault((outlet, res["k"], split // args.folds), []).append(res)
                summary.setdefault((outlet, res["k"]), []).append(res)
                ci_b, ci_r = res["ci_vs_base"], res["ci_vs_random"]
                print(f"{outlet:<10}{split:>6}{res['k_used']:>5}{res['pool']:>6}{res['test_rows']:>5}/{res['test_docs']:<3}"
                      f"{res['smallest']:>5}{res['base']:>7.3f}{res['active']:>8.3f}{res['random']:>8.3f}"
                      f"{res['active'] - res['base']:>+10.3f}  [{ci_b[0]:+.3f},{ci_b[1]:+.3f}]"
                      f"{res['active'] - res['random']:>+10.3f}  [{ci_r[0]:+.3f},{ci_r[1]:+.3f}]", flush=True)
    if args.folds:
        summary = pool_folds(pooled)
        print(f"\npooled over the {args.folds} folds of each partition (every article of the outlet tested once)")
        print(f"{'outlet':<10}{'part':>6}{'k':>5}{'rows':>6}{'min':>5}{'base':>7}{'active':>8}{'random':>8}"
              f"{'act-base':>10}{'act-rand':>10}")
        for (outlet, k), results in summary.items():
            for i, res in enumerate(results):
                print(f"{outlet:<10}{i:>6}{k:>5}{res['test_rows']:>6}{res['smallest']:>5}{res['base']:>7.3f}"
                      f"{res['active']:>8.3f}{res['random']:>8.3f}{res['active'] - res['base']:>+10.3f}"
                      f"{res['active'] - res['random']:>+10.3f}")
    print()
    unit = "partitions" if args.folds else "splits"
    print(f"mean over {unit}, with a 95% t interval over {unit} (they share articles, so it is if anything too narrow)")
    print(f"{'outlet':<10}{'k':>5}{'base':>7}{'active':>8}{'random':>8}{'act-base':>10}{'95% CI':>17}"
          f"{'act-rand':>10}{'95% CI':>17}  active beat random")
    for (outlet, k), results in summary.items():
        mean = lambda key: float(np.mean([r[key] for r in results]))  # noqa: E731
        wins = sum(r["active"] > r["random"] for r in results)
        lo_b, hi_b = split_interval([r["active"] - r["base"] for r in results])
        lo_r, hi_r = split_interval([r["active"] - r["random"] for r in results])
        print(f"{outlet:<10}{k:>5}{mean('base'):>7.3f}{mean('active'):>8.3f}{mean('random'):>8.3f}"
              f"{mean('active') - mean('base'):>+10.3f}  [{lo_b:+.3f},{hi_b:+.3f}]"
              f"{mean('active') - mean('random'):>+10.3f}  [{lo_r:+.3f},{hi_r:+.3f}]  {wins} of {len(results)} {unit}")
    print(f"\n{time.perf_counter() - started:.0f} s")


def split_interval(diffs) -> tuple[float, float]:
    """95% t interval of the mean of per-split differences (nan with one split)."""
    from scipy import stats

    d = np.asarray(diffs, dtype=float)
    if len(d) < 2:
        return float("nan"), float("nan")
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    return float(d.mean() - half), float(d.mean() + half)


if __name__ == "__main__":
    main()
