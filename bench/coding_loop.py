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
of active − base and of active − mean of the random draws, paired on the same paragraphs.
Done-when target (on the real set): active at k = 100 lifts macro-F1 by >= 0.05 over base and
beats random.

    python bench/coding_loop.py --realset bench/realset/realset.csv [--k 50 100 200] [--splits 3]
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


def read_realset(path: Path) -> list[Row]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = {"doc", "outlet", "text", "label"} - set(reader.fieldnames or [])
        if missing:
            sys.exit(f"{path}: missing column(s) {', '.join(sorted(missing))}; needed: doc,outlet,text,label")
        return [Row(r["doc"], r["outlet"], r["text"], r["label"].strip().lower()) for r in reader if r["text"].strip()]


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


def run_outlet(rows, base, ks, draws, weight, test_share, split_seed, n_boot):
    from toolkit.coding.suggest import MIN_HAN, han_count, select
    from toolkit.themes.scoring import analysis_texts

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
            "base": base_f1, "active": active_f1, "random": float(np.mean(random_f1)), "random_draws": random_f1,
            "ci_vs_base": doc_bootstrap(test_y, test_docs_list, active_pred, [base_pred], labels, n_boot),
            "ci_vs_random": doc_bootstrap(test_y, test_docs_list, active_pred, random_preds, labels, n_boot),
        })
    return results


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
    parser.add_argument("--splits", type=int, default=3, help="pool/test splits per outlet")
    parser.add_argument("--bootstrap", type=int, default=1000)
    args = parser.parse_args()

    from toolkit.themes.labels import read_labels

    real = synthetic_realset(args.labels) if args.synthetic else read_realset(args.realset)
    real_texts = {" ".join(r.text.split()) for r in real}
    base = [r for r in read_labels(args.labels).rows if " ".join(r.text.split()) not in real_texts]
    outlets = sorted({r.outlet for r in real}) if not args.outlet else args.outlet
    started = time.perf_counter()
    print(f"base: {len(base)} rows of {args.labels.name} (real-set rows removed); weight of coded rows {args.weight:g}; "
          f"random: mean of {args.draws} draws; CIs: 95% bootstrap over test documents")
    print(f"{'outlet':<10}{'split':>6}{'k':>5}{'pool':>6}{'test':>9}{'base':>7}{'active':>8}{'random':>8}"
          f"{'act-base':>10}{'95% CI':>17}{'act-rand':>10}{'95% CI':>17}")
    summary: dict[tuple[str, int], list[dict]] = {}
    for outlet in outlets:
        rows = [r for r in real if r.outlet == outlet]
        for split in range(args.splits):
            for res in run_outlet(rows, base, args.k, args.draws, args.weight, args.test_share, split, args.bootstrap):
                summary.setdefault((outlet, res["k"]), []).append(res)
                ci_b, ci_r = res["ci_vs_base"], res["ci_vs_random"]
                print(f"{outlet:<10}{split:>6}{res['k_used']:>5}{res['pool']:>6}{res['test_rows']:>5}/{res['test_docs']:<3}"
                      f"{res['base']:>7.3f}{res['active']:>8.3f}{res['random']:>8.3f}"
                      f"{res['active'] - res['base']:>+10.3f}  [{ci_b[0]:+.3f},{ci_b[1]:+.3f}]"
                      f"{res['active'] - res['random']:>+10.3f}  [{ci_r[0]:+.3f},{ci_r[1]:+.3f}]", flush=True)
    print()
    print("mean over splits")
    print(f"{'outlet':<10}{'k':>5}{'base':>7}{'active':>8}{'random':>8}{'act-base':>10}{'act-rand':>10}  active beat random")
    for (outlet, k), results in summary.items():
        mean = lambda key: float(np.mean([r[key] for r in results]))  # noqa: E731
        wins = sum(r["active"] > r["random"] for r in results)
        print(f"{outlet:<10}{k:>5}{mean('base'):>7.3f}{mean('active'):>8.3f}{mean('random'):>8.3f}"
              f"{mean('active') - mean('base'):>+10.3f}{mean('active') - mean('random'):>+10.3f}  {wins} of {len(results)} splits")
    print(f"\n{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
