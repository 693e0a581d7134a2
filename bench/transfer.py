"""How the theme model does on real articles the team did not write: the figure that decides.

Scores models on the real-text set (``bench/realset/``: public articles from several outlets,
every paragraph coded twice independently and adjudicated; the text itself is rebuilt from the
public copies by ``bench/realset/rebuild.py`` into ``bench/out/realset/``, never committed):

    python bench/realset/rebuild.py --sources DIR     # once: rebuild the texts from public copies
    python bench/transfer.py                          # the shipped model, per outlet, with CIs
    python bench/transfer.py --model my.skops         # another saved model
    python bench/transfer.py --config experiments/configs/words.toml --config experiments/configs/default.toml
                                                      # train each on labels.csv, then choose by
                                                      # leave-one-outlet-out and score the choice

Every article is segmented and coded exactly as ``toolkit classify`` codes a file (boilerplate
short cut included), and each paragraph is matched to its code by index and SHA-256, so a change
in segmentation shows up as an error rather than as silently shifted labels.

Figures: macro-F1 over the five themes with a 95% bootstrap interval that resamples whole
articles, per outlet and pooled, next to the codebook's cue words scored the same way. With
several ``--config``, each outlet is scored with the configuration that did best on the *other*
outlets' paragraphs pooled (leave-one-outlet-out), so choosing among configurations does not
flatter the result.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import warnings
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.themes.classifier import classify_document, fit, load_model  # noqa: E402
from toolkit.themes.evaluation import bootstrap_macro_f1, cue_predict, macro_f1  # noqa: E402
from toolkit.text.reading import document_from_text  # noqa: E402

DEFAULT_SET = ROOT / "bench" / "out" / "realset" / "realset.csv"
#: Held-out sets (``bench/realset/<name>/``), each coded after a model was frozen and scored on
#: once before anything was chosen or written with it (their READMEs say how each was used since).
HELD_OUT = ("holdout", "holdout2", "holdout3")
HOLDOUT_SET = ROOT / "bench" / "out" / "realset" / "holdout" / "realset.csv"


def read_realset(path: Path) -> dict[str, dict]:
    """doc -> {outlet, text, paragraphs: {index: (sha256, label)}} from the rebuilt set."""
    if not path.exists():
        raise SystemExit(f"{path}: no rebuilt real-text set; run: python bench/realset/rebuild.py --sources DIR")
    docs: dict[str, dict] = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            d = docs.setdefault(row["doc"], {"outlet": row["outlet"], "genre": row.get("genre", ""), "paragraphs": {}})
            d["paragraphs"][int(row["paragraph"])] = (row["sha256"], row["label"])
    texts_dir = path.parent / "texts"
    for doc, d in docs.items():
        d["text"] = (texts_dir / f"{doc}.txt").read_text(encoding="utf-8")
    return docs


def segmented(docs: dict[str, dict]) -> dict[str, object]:
    """Each article as a Document, checked against the coded paragraphs' hashes."""
    out = {}
    for name, d in docs.items():
        document = document_from_text(d["text"], name)
        by_index = {p.index: p for p in document.paragraphs}
        for index, (sha, _) in d["paragraphs"].items():
            p = by_index.get(index)
            if p is None or hashlib.sha256(p.text.encode("utf-8")).hexdigest() != sha:
                raise SystemExit(f"{name}: paragraph {index} no longer segments as it was coded (hash differs)")
        out[name] = document
    return out


def predictions(model, documents: dict[str, object], docs: dict[str, dict]) -> dict[tuple[str, int], str]:
    pred = {}
    for name, document in documents.items():
        result = classify_document(document, model)
        for p in result.paragraphs:
            if p.paragraph in docs[name]["paragraphs"]:
                pred[(name, p.paragraph)] = p.label
    return pred


def cue_predictions(documents, docs, classes) -> dict[tuple[str, int], str]:
    pred = {}
    for name, document in documents.items():
        paragraphs = [p for p in document.paragraphs if p.index in docs[name]["paragraphs"]]
        for p, label in zip(paragraphs, cue_predict([p.text for p in paragraphs], classes, "other")):
            pred[(name, p.index)] = "other" if p.is_boilerplate else label
    return pred


def gold(docs) -> dict[tuple[str, int], str]:
    return {(name, i): label for name, d in docs.items() for i, (_, label) in d["paragraphs"].items()}


def score(keys, truth, pred, labels=None) -> dict:
    """Macro-F1 over the themes in the gold or the predictions of these paragraphs (scikit-learn's
    default), with a 95% interval from resampling whole articles."""
    y, p = [truth[k] for k in keys], [pred[k] for k in keys]
    return bootstrap_macro_f1(y, p, [k[0] for k in keys], sorted(set(y) | set(p)) if labels is None else labels)


def point(keys, truth, pred) -> float:
    """The macro-F1 of :func:`score` without its bootstrap: what choosing among configurations needs."""
    y, p = [truth[k] for k in keys], [pred[k] for k in keys]
    return round(macro_f1(y, p, sorted(set(y) | set(p))), 4)


def by_outlet(docs) -> dict[str, list[tuple[str, int]]]:
    groups = defaultdict(list)
    for name, d in sorted(docs.items()):
        for i in sorted(d["paragraphs"]):
            groups[d["outlet"]].append((name, i))
    return dict(sorted(groups.items()))


def train_config(config_path: str | None, labels_path: Path):
    from toolkit.themes.labels import read_labels
    from toolkit.themes.config import resolve_config

    config = resolve_config(config_path)
    labels = read_labels(labels_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fit(labels, config)


def table(rows: list[dict], out) -> None:
    head = f"{'outlet':<22} {'docs':>4} {'paras':>5}  {'model macro-F1 [95% CI]':<26} {'cue words [95% CI]':<24} {'diff':>6}"
    print(head, file=out)
    for r in rows:
        m, c = r["model"], r["cue_words"]
        print(f"{r['outlet']:<22} {m['docs']:>4} {m['rows']:>5}  "
              f"{m['macro_f1']:.3f} [{m['low']:.3f}, {m['high']:.3f}]{'':<6} "
              f"{c['macro_f1']:.3f} [{c['low']:.3f}, {c['high']:.3f}]{'':<4} {m['macro_f1'] - c['macro_f1']:+.3f}"
              + (f"   ({r['chosen']})" if r.get("chosen") else ""), file=out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    which = ap.add_mutually_exclusive_group()
    which.add_argument("--realset", type=Path, default=DEFAULT_SET, help="the rebuilt set's realset.csv")
    which.add_argument("--set", dest="held_out", choices=HELD_OUT,
                       help="score this held-out set instead of the development set")
    ap.add_argument("--model", type=Path, default=None, help="a saved model (default: the shipped one)")
    ap.add_argument("--config", action="append", default=[], help="train this configuration on --labels instead (repeatable: leave-one-outlet-out selection)")
    ap.add_argument("--labels", type=Path, default=ROOT / "labels.csv")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    args = ap.parse_args(argv)
    if args.held_out:
        args.realset = DEFAULT_SET.parent / args.held_out / "realset.csv"

    docs = read_realset(args.realset)
    documents = segmented(docs)
    truth = gold(docs)
    groups = by_outlet(docs)
    labels = sorted(set(truth.values()))
    cue = cue_predictions(documents, docs, labels)
    all_keys = [k for keys in groups.values() for k in keys]

    if not args.config:
        model = load_model(args.model) if args.model else None
        pred = predictions(model, documents, docs)
        rows = [{"outlet": o, "model": score(keys, truth, pred), "cue_words": score(keys, truth, cue)}
                for o, keys in groups.items()]
        pooled = {"outlet": "all (pooled)", "model": score(all_keys, truth, pred),
                  "cue_words": score(all_keys, truth, cue)}
        print(f"model: {args.model or 'shipped'}; real-text set {args.realset} ({len(docs)} articles, {len(all_keys)} paragraphs)")
    else:
        preds = {}
        for c in args.config:
            preds[c] = predictions(train_config(c, args.labels), documents, docs)
        per = {c: {o: point(keys, truth, preds[c]) for o, keys in groups.items()} for c in args.config}
        print("configurations, macro-F1 per outlet (trained on", args.labels, ")")
        for c in args.config:
            print(f"  {c}: " + ", ".join(f"{o} {v:.3f}" for o, v in per[c].items())
                  + f"; pooled {point(all_keys, truth, preds[c]):.3f}")
        chosen_pred, rows = {}, []
        for o, keys in groups.items():
            # Chosen on the other outlets' paragraphs pooled: per-outlet means would let a 35-paragraph
            # digest weigh as much as 534 paragraphs of a national paper.
            rest = [k for x, ks in groups.items() if x != o for k in ks]
            best = max(args.config, key=lambda c: point(rest, truth, preds[c]))
            for k in keys:
                chosen_pred[k] = preds[best][k]
            rows.append({"outlet": o, "model": score(keys, truth, preds[best]),
                         "cue_words": score(keys, truth, cue), "chosen": Path(best).stem})
        pooled = {"outlet": "all (leave-one-outlet-out)", "model": score(all_keys, truth, chosen_pred),
                  "cue_words": score(all_keys, truth, cue)}
    table(rows + [pooled], sys.stdout)
    if args.json:
        args.json.write_text(json.dumps({"outlets": rows, "pooled": pooled}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
