"""The theme classifier: TF-IDF features and a linear model that codes each paragraph.

Why it is built this way:

- The persisted estimator holds only scikit-learn classes, so :mod:`skops.io` can load it without
  trusting any type of ours. Tokenisation therefore happens *outside* it, in :func:`prepare`, and
  the card records the tokenizer and the preparation version so prediction prepares text exactly
  as training did.
- A model file is loaded only beside its card (``theme.card.json``): the card's SHA-256 must match
  the file, its scikit-learn version must match the running one, and every type the file asks for
  must be on :data:`ALLOWED_TYPES`. A pickle renamed to ``.skops`` or a file that names any other
  type is refused before anything in it is built.
- The label set comes from the training data (``pipeline.classes_``), never from this code.
- Boilerplate paragraphs (bylines, captions, menus, copyright lines) are coded ``other`` without
  asking the model when ``other`` is a label, but they stay in the output; headings are the
  article's own words and go to the model.
"""

from __future__ import annotations

import copy
import json
import platform
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from toolkit.errors import ToolkitError

MODEL_DIR = Path("models")
MODEL_NAME = "theme.skops"
DEFAULT_MODEL = MODEL_DIR / MODEL_NAME
CARD_FORMAT = "toolkit-theme-model/1"
#: Bumped whenever :func:`prepare` changes what the vectorizers see; a model prepared differently
#: must be retrained rather than silently fed text it never saw.
PREPARATION_VERSION = 1
PREPARATION = (
    "Simplified text (OpenCC t2s); column 0: the text for character n-grams; column 1: its words "
    "(tokenizer with the domain user dictionary, punctuation-only tokens dropped) joined by spaces"
)
OTHER = "other"
TRAIN_COMMAND = "toolkit train --labels labels.csv"

#: Types outside skops' default trust that our own pipelines contain (the sigmoid-calibrated
#: linear SVM of ``model.classifier = "svm"``). Anything else a model file names is refused.
ALLOWED_TYPES = frozenset({"sklearn.calibration._CalibratedClassifier", "sklearn.calibration._SigmoidCalibration"})

#: The shipped configuration (experiments/configs/default.toml holds the same values; a test keeps
#: them equal). Chosen by measurement (grouped CV, seed rows alone, written-only -> seeds, and the
#: calibration of the confidence): words and characters together beat either alone on real
#: articles; min_df 2 drops names and numbers seen once, which do not transfer to other outlets;
#: sublinear tf matters most on the seeds; character trigrams and smaller C add nothing measurable,
#: while C = 30 leaves macro-F1 as it is and makes the confidence honest (C = 4 under-states it:
#: mean confidence 0.74 at 92% accuracy).
DEFAULT_CONFIG: dict[str, Any] = {
    "name": "default",
    "features": {
        "tokenizer": "rjieba",
        "analyzer": "both",
        "word_ngram_range": [1, 2],
        "char_ngram_range": [1, 2],
        "min_df": 2,
        "sublinear_tf": True,
    },
    "model": {
        "classifier": "logreg",
        "C": 30.0,
        "class_weight": "balanced",
    },
    "evaluation": {
        "folds": 5,
        "repeats": 3,
        "seed": 0,
    },
}

CLASSIFIERS = ("logreg", "svm", "sgd")
ANALYZERS = ("word", "char", "both")


# --------------------------------------------------------------------------------------------
# Configuration


def flatten(config: dict, prefix: str = "") -> dict[str, Any]:
    """``{"features": {"analyzer": "both"}}`` -> ``{"features.analyzer": "both"}``."""
    flat: dict[str, Any] = {}
    for key, value in config.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, dotted + "."))
        else:
            flat[dotted] = value
    return flat


def _parse_value(text: str) -> Any:
    import tomllib

    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def _set_dotted(config: dict, key: str, value: Any) -> None:
    parts = key.split(".")
    node = config
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ToolkitError(f"--set {key}: {part!r} is not a section")
    node[parts[-1]] = value


def _merge(base: dict, update: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def resolve_config(path: str | Path | None = None, overrides: Sequence[str] = ()) -> dict:
    """The run configuration: the defaults, then the file, then ``--set key=value`` overrides.

    The file is read by :func:`toolkit.experiments.load_config` when that module is present (it
    owns the config format); a plain TOML reader stands in for it otherwise.
    """
    try:
        from toolkit.experiments import load_config
    except ImportError:  # the experiments module is optional for classifying
        load_config = None
    if load_config is not None:
        config = load_config(path, list(overrides), defaults=DEFAULT_CONFIG)
    else:
        config = _fallback_config(path, overrides)
    validate_config(config)
    return config


def _fallback_config(path, overrides) -> dict:
    import tomllib

    loaded: dict = {}
    if path is not None:
        try:
            loaded = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ToolkitError(f"{path}: no such config file") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ToolkitError(f"{path}: not a valid TOML file ({exc})") from None
    config = _merge(DEFAULT_CONFIG, loaded)
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ToolkitError(f"--set {item!r}: expected key=value, e.g. model.C=2.0")
        _set_dotted(config, key.strip(), _parse_value(value.strip()))
    return config


def validate_config(config: dict) -> None:
    """Reject a configuration before any work is done, naming the key at fault."""
    where = config.get("name", "config")
    known = {section: set(values) for section, values in DEFAULT_CONFIG.items() if isinstance(values, dict)}
    for section, keys in known.items():
        values = config.get(section)
        if not isinstance(values, dict):
            raise ToolkitError(f"{where}: missing section [{section}]")
        unknown = sorted(set(values) - keys)
        if unknown:
            raise ToolkitError(
                f"{where}: unknown key {section}.{unknown[0]} (known: {', '.join(sorted(keys))})"
            )
    f, m, e = config["features"], config["model"], config["evaluation"]
    from toolkit.tokens import ENGINES

    if f["tokenizer"] not in ENGINES:
        raise ToolkitError(f"{where}: features.tokenizer must be one of {', '.join(ENGINES)}, not {f['tokenizer']!r}")
    if f["analyzer"] not in ANALYZERS:
        raise ToolkitError(f"{where}: features.analyzer must be one of {', '.join(ANALYZERS)}, not {f['analyzer']!r}")
    for key in ("word_ngram_range", "char_ngram_range"):
        value = f[key]
        if (
            not isinstance(value, (list, tuple))
            or len(value) != 2
            or not all(isinstance(v, int) and v >= 1 for v in value)
            or value[0] > value[1]
        ):
            raise ToolkitError(f"{where}: features.{key} must be [low, high] with 1 <= low <= high, not {value!r}")
    if not isinstance(f["min_df"], int) or f["min_df"] < 1:
        raise ToolkitError(f"{where}: features.min_df must be a whole number >= 1, not {f['min_df']!r}")
    if not isinstance(f["sublinear_tf"], bool):
        raise ToolkitError(f"{where}: features.sublinear_tf must be true or false")
    if m["classifier"] not in CLASSIFIERS:
        raise ToolkitError(f"{where}: model.classifier must be one of {', '.join(CLASSIFIERS)}, not {m['classifier']!r}")
    if not isinstance(m["C"], (int, float)) or isinstance(m["C"], bool) or m["C"] <= 0:
        raise ToolkitError(f"{where}: model.C must be a positive number, not {m['C']!r}")
    if m["class_weight"] not in ("balanced", "none"):
        raise ToolkitError(f"{where}: model.class_weight must be \"balanced\" or \"none\", not {m['class_weight']!r}")
    if not isinstance(e["folds"], int) or e["folds"] < 2:
        raise ToolkitError(f"{where}: evaluation.folds must be a whole number >= 2")
    if not isinstance(e["repeats"], int) or e["repeats"] < 1:
        raise ToolkitError(f"{where}: evaluation.repeats must be a whole number >= 1")
    if not isinstance(e["seed"], int):
        raise ToolkitError(f"{where}: evaluation.seed must be a whole number")


# --------------------------------------------------------------------------------------------
# Features and pipeline

# A token made only of punctuation (tokens never contain white space); dropping it leaves extra
# spaces, which the vectorizers' whitespace split ignores. One regex pass beats a test per token.
_PUNCTUATION_TOKEN = re.compile(r"(?<!\S)[^\w\s]+(?!\S)")


def analysis_texts(texts: Iterable[str]) -> list[str]:
    """Simplified script, as :attr:`Paragraph.analysis_text` gives it, for raw strings."""
    from toolkit.cleaning import to_simplified

    return [to_simplified(t) for t in texts]


def prepare(texts: Sequence[str], tokenizer: str = "rjieba"):
    """What the persisted pipeline reads: one row per text, ``[text, space-joined words]``.

    ``texts`` are analysis texts (Simplified). Punctuation-only tokens are dropped from the words
    so that word bigrams pair words, not words and commas.
    """
    import numpy as np

    from toolkit.tokens import cut

    rows = np.empty((len(texts), 2), dtype=object)
    for i, text in enumerate(texts):
        rows[i, 0] = text
        rows[i, 1] = _PUNCTUATION_TOKEN.sub("", " ".join(cut(text, tokenizer)))
    return rows


def build_pipeline(config: dict):
    """A fresh, unfitted Pipeline for ``config``: features, then a classifier with probabilities."""
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline

    import numpy as np

    f, m = config["features"], config["model"]
    # float32 halves the matrices; newton-cg solves on them as exactly as on float64 here.
    common = dict(min_df=f["min_df"], sublinear_tf=f["sublinear_tf"], dtype=np.float32)
    parts = []
    if f["analyzer"] in ("word", "both"):
        parts.append(
            (
                "words",
                TfidfVectorizer(
                    analyzer="word", token_pattern=r"(?u)\S+", lowercase=True,
                    ngram_range=tuple(f["word_ngram_range"]), **common,
                ),
                1,
            )
        )
    if f["analyzer"] in ("char", "both"):
        parts.append(
            ("chars", TfidfVectorizer(analyzer="char", ngram_range=tuple(f["char_ngram_range"]), **common), 0)
        )
    features = ColumnTransformer(parts, sparse_threshold=1.0)
    return Pipeline([("features", features), ("classifier", _classifier(m))])


def _classifier(m: dict):
    class_weight = None if m["class_weight"] == "none" else m["class_weight"]
    if m["classifier"] == "logreg":
        from sklearn.linear_model import LogisticRegression

        # newton-cg reaches the same optimum as lbfgs here in a twentieth of the time (measured).
        return LogisticRegression(C=float(m["C"]), class_weight=class_weight, solver="newton-cg", max_iter=1000)
    if m["classifier"] == "svm":
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.svm import LinearSVC

        return CalibratedClassifierCV(LinearSVC(C=float(m["C"]), class_weight=class_weight), cv=3, method="sigmoid")
    if m["classifier"] == "sgd":
        from sklearn.linear_model import SGDClassifier

        # modified_huber gives probabilities; alpha plays the part of 1/C (per sample).
        return SGDClassifier(
            loss="modified_huber", alpha=1.0 / (float(m["C"]) * 1000.0), class_weight=class_weight,
            max_iter=50, tol=None, random_state=0,
        )
    raise ToolkitError(f"unknown classifier {m['classifier']!r}")


_SPACES = re.compile(r"\s\s+")
_CHAR_BITS = 21  # every code point + 1 fits in 21 bits; three of them in an int64


class NgramLookup:
    """One fitted TfidfVectorizer reduced to numpy arrays: its vocabulary as sorted int64 codes.

    scikit-learn's vectorizers build every n-gram as a Python string and look each up in a dict;
    on this 2-core machine that alone runs slower than jieba. Here every n-gram becomes one
    int64 (characters: code points; words: ids of the vocabulary's words, as digits of a number),
    for all rows at once, and is found with ``np.searchsorted``. The TF-IDF weighting follows
    TfidfTransformer.transform step by step (sublinear tf, idf, l2), so the output equals the
    vectorizer's own (a test checks it on real articles). Holds no scikit-learn object, so batch
    workers that receive it never import scikit-learn.
    """

    def __init__(self, analyzer, ngram_range, codes, columns, token_ids, base, idf, dtype, sublinear_tf, norm):
        self.analyzer = analyzer
        self.ngram_range = ngram_range
        self.codes = codes
        self.columns = columns
        self.token_ids = token_ids
        self.base = base
        self.idf = idf
        self.dtype = dtype
        self.sublinear_tf = sublinear_tf
        self.norm = norm

    @classmethod
    def build(cls, v) -> "NgramLookup | None":
        """The lookup for vectorizer ``v``, or None if it has a setting this cannot reproduce."""
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer

        if type(v) is not TfidfVectorizer or not hasattr(v, "vocabulary_") or not hasattr(v, "idf_"):
            return None
        plain = (
            v.input == "content" and v.lowercase is True and v.preprocessor is None and v.tokenizer is None
            and v.stop_words is None and v.strip_accents is None and v.binary is False
            and v.norm in ("l2", None) and v.use_idf is True
        )
        low, high = v.ngram_range
        if not plain or low < 1:
            return None
        terms = list(v.vocabulary_)
        columns = np.fromiter((v.vocabulary_[t] for t in terms), dtype=np.int64, count=len(terms))
        if v.analyzer == "char" and high <= 3:
            token_ids, base = None, 1 << _CHAR_BITS
            digit_lists = [[ord(ch) + 1 for ch in term] for term in terms]
        elif v.analyzer == "word" and v.token_pattern == r"(?u)\S+":
            token_ids: dict[str, int] | None = {}
            for term in terms:
                for token in term.split(" "):
                    token_ids.setdefault(token, len(token_ids) + 1)
            base = len(token_ids) + 1
            if base ** high >= 1 << 62:
                return None
            digit_lists = [[token_ids[token] for token in term.split(" ")] for term in terms]
        else:
            return None
        codes = np.empty(len(terms), dtype=np.int64)
        for i, digits in enumerate(digit_lists):
            code = 0
            for d in digits:
                code = code * base + d
            codes[i] = code
        order = np.argsort(codes)
        return cls(v.analyzer, (low, high), codes[order], columns[order], token_ids, base,
                   np.asarray(v.idf_), np.dtype(v.dtype), bool(v.sublinear_tf), v.norm)

    def transform(self, docs):
        import numpy as np
        import scipy.sparse as sp
        from itertools import chain, repeat

        n_rows = len(docs)
        if self.token_ids is None:
            texts = [_SPACES.sub(" ", doc.lower()) for doc in docs]
            lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n_rows)
            digits = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64) + 1
        else:
            units = [doc.lower().split() for doc in docs]
            lengths = np.fromiter(map(len, units), dtype=np.int64, count=n_rows)
            tokens = chain.from_iterable(units)
            digits = np.fromiter(map(self.token_ids.get, tokens, repeat(0)), dtype=np.int64, count=int(lengths.sum()))
        row_of = np.repeat(np.arange(n_rows, dtype=np.int64), lengths)
        total = len(digits)
        size = len(self.codes)
        keys = []
        low, high = self.ngram_range
        for n in range(low, high + 1):
            if total < n:
                break
            span = total - n + 1
            code = digits[:span].copy()
            keep = digits[:span] > 0  # 0: a word outside the vocabulary, so no n-gram with it is in it
            for k in range(1, n):
                code = code * self.base + digits[k : k + span]
                keep &= digits[k : k + span] > 0
            keep &= row_of[:span] == row_of[n - 1 : n - 1 + span]  # the n-gram lies within one row
            code = code[keep]
            rows = row_of[:span][keep]
            pos = np.searchsorted(self.codes, code)
            pos[pos == size] = 0
            hit = self.codes[pos] == code
            keys.append(rows[hit] * size + self.columns[pos[hit]])
        flat = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
        unique, counts = np.unique(flat, return_counts=True)
        rows, cols = np.divmod(unique, size)
        indptr = np.zeros(n_rows + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=n_rows), out=indptr[1:])
        data = counts.astype(self.dtype)
        if self.sublinear_tf:
            np.log(data, data)
            data += 1.0
        data *= self.idf[cols]
        if self.norm == "l2":
            norms = np.sqrt(np.bincount(rows, weights=data.astype(np.float64) ** 2, minlength=n_rows))
            norms[norms == 0.0] = 1.0
            data /= norms[rows]
        return sp.csr_matrix((data, cols.astype(np.int32), indptr), shape=(n_rows, size))


class FastScorer:
    """A fitted pipeline (vectorizers + logistic regression) as numpy arrays, for prediction.

    Built from a verified model after loading; picklable without scikit-learn, so ``--jobs``
    workers receive it instead of each importing scikit-learn and loading the model again.
    """

    def __init__(self, parts, coef, intercept, binary: bool):
        self.parts = parts  # [(column, NgramLookup)] in the ColumnTransformer's order
        self.coef = coef
        self.intercept = intercept
        self.binary = binary

    @classmethod
    def build(cls, pipeline) -> "FastScorer | None":
        """None when the pipeline is not one this reproduces; the caller then uses the pipeline."""
        import numpy as np
        from sklearn.linear_model import LogisticRegression

        steps = getattr(pipeline, "named_steps", {})
        features, classifier = steps.get("features"), steps.get("classifier")
        transformers = getattr(features, "transformers_", None)
        if transformers is None or type(classifier) is not LogisticRegression:
            return None
        parts = []
        for name, vectorizer, column in transformers:
            if name == "remainder":
                if vectorizer != "drop":
                    return None
                continue
            lookup = NgramLookup.build(vectorizer) if isinstance(column, int) else None
            if lookup is None:
                return None
            parts.append((column, lookup))
        if not parts:
            return None
        return cls(parts, np.asarray(classifier.coef_), np.asarray(classifier.intercept_), len(classifier.classes_) == 2)

    def features(self, X):
        import scipy.sparse as sp

        blocks = [lookup.transform(X[:, column]) for column, lookup in self.parts]
        return sp.hstack(blocks, format="csr") if len(blocks) > 1 else blocks[0]

    def predict_proba(self, X):
        """As LogisticRegression.predict_proba: softmax of the decision, or expit for two labels."""
        import numpy as np

        decision = np.asarray(self.features(X) @ self.coef.T) + self.intercept
        if self.binary:
            p = 1.0 / (1.0 + np.exp(-decision[:, 0]))
            return np.column_stack([1.0 - p, p])
        decision -= decision.max(axis=1, keepdims=True)
        np.exp(decision, decision)
        decision /= decision.sum(axis=1, keepdims=True)
        return decision


@dataclass
class Predictor:
    """What classifying needs and nothing more: labels, tokenizer and a :class:`FastScorer`."""

    classes: list[str]
    tokenizer: str
    scorer: FastScorer

    def predict_proba(self, texts: Sequence[str]):
        import numpy as np

        if not texts:
            return np.zeros((0, len(self.classes)))
        return self.scorer.predict_proba(prepare(texts, self.tokenizer))


def json_safe(value: Any) -> Any:
    """Estimator parameters as JSON: plain values kept, objects (estimators, dtypes) as repr."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, (str, int, float, bool)) or v is None for v in value):
            return list(value)
        return [json_safe(v) for v in value]
    if isinstance(value, type):
        return f"{value.__module__}.{value.__qualname__}"
    return repr(value)


def pipeline_params(pipeline) -> dict:
    return {k: json_safe(v) for k, v in sorted(pipeline.get_params(deep=True).items())}


# --------------------------------------------------------------------------------------------
# The model object


@dataclass
class ThemeModel:
    """A fitted pipeline with its card: what prediction needs to prepare text as training did."""

    pipeline: Any
    card: dict
    path: Path | None = None
    _fast: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.pipeline.classes_]

    @property
    def tokenizer(self) -> str:
        return self.card.get("tokenizer", "rjieba")

    def predict_proba(self, texts: Sequence[str]):
        """Probabilities (rows: texts, columns: :attr:`classes`) for Simplified texts.

        Goes through :class:`FastScorer` when the pipeline is one it reproduces (the same numbers,
        several times faster), otherwise through the pipeline itself.
        """
        import numpy as np

        if not texts:
            return np.zeros((0, len(self.classes)))
        X = prepare(texts, self.tokenizer)
        scorer = self.scorer
        if scorer is None:
            return self.pipeline.predict_proba(X)
        return scorer.predict_proba(X)

    @property
    def scorer(self) -> "FastScorer | None":
        if "scorer" not in self._fast:
            self._fast["scorer"] = FastScorer.build(self.pipeline)
        return self._fast["scorer"]

    def portable(self) -> "Predictor | str":
        """What to send to batch workers: a scikit-learn-free Predictor, or else the model's path."""
        scorer = self.scorer
        if scorer is not None:
            return Predictor(self.classes, self.tokenizer, scorer)
        return str(self.path)

    def predict(self, texts: Sequence[str]) -> list[str]:
        proba = self.predict_proba(texts)
        classes = self.classes
        return [classes[i] for i in proba.argmax(axis=1)]


def card_path(model_path: str | Path) -> Path:
    """``models/theme.skops`` -> ``models/theme.card.json``."""
    model_path = Path(model_path)
    return model_path.with_name(model_path.stem + ".card.json")


def library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("toolkit", "scikit-learn", "numpy", "scipy", "skops", "joblib", "rjieba", "jieba", "opencc"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


def save_model(model: ThemeModel, path: str | Path) -> ThemeModel:
    """Write the model and its card atomically; the card records the model file's SHA-256."""
    import hashlib

    import skops.io as sio

    from toolkit.files import atomic_path

    import zipfile

    path = Path(path)
    # skops writes every vocabulary entry as a JSON node: deflate takes 17 MB down to under 1 MB.
    data = sio.dumps(model.pipeline, compression=zipfile.ZIP_DEFLATED, compresslevel=6)
    card = dict(model.card)
    card["model_file"] = path.name
    card["model_sha256"] = hashlib.sha256(data).hexdigest()
    text = json.dumps(card, ensure_ascii=False, indent=2) + "\n"
    # Both files are complete on disk before either is renamed into place.
    with atomic_path(path) as model_tmp, atomic_path(card_path(path)) as card_tmp:
        model_tmp.write_bytes(data)
        card_tmp.write_text(text, encoding="utf-8")
    return ThemeModel(model.pipeline, card, path)


def update_card(path: str | Path, **fields: Any) -> dict:
    """Add fields (such as the experiment run id) to a saved model's card, atomically."""
    from toolkit.files import atomic_write_text

    path = Path(path)
    card = _read_card(path)
    card.update(fields)
    atomic_write_text(card_path(path), json.dumps(card, ensure_ascii=False, indent=2) + "\n")
    return card


def default_model_path() -> Path:
    """``models/theme.skops`` under the working directory, else the one shipped with the repo."""
    if DEFAULT_MODEL.exists():
        return DEFAULT_MODEL
    shipped = Path(__file__).resolve().parents[1] / MODEL_DIR / MODEL_NAME
    if shipped.exists():
        return shipped
    return DEFAULT_MODEL


def _read_card(path: Path) -> dict:
    card_file = card_path(path)
    if not path.exists():
        raise ToolkitError(f"{path}: no model there; train one with: {TRAIN_COMMAND} --model {path}")
    if path.is_dir():
        raise ToolkitError(f"{path}: is a directory, not a model file")
    try:
        card = json.loads(card_file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ToolkitError(
            f"{path}: its model card {card_file.name} is missing; a model is only loaded with the card "
            f"written beside it by 'toolkit train' (retrain: {TRAIN_COMMAND} --model {path})"
        ) from None
    except (ValueError, UnicodeDecodeError):
        raise ToolkitError(f"{card_file}: model card is not valid JSON (corrupt; retrain: {TRAIN_COMMAND})") from None
    if not isinstance(card, dict) or card.get("format") != CARD_FORMAT:
        raise ToolkitError(f"{card_file}: not a toolkit model card (expected format {CARD_FORMAT})")
    return card


def load_model(path: str | Path | None = None) -> ThemeModel:
    """Load a model written by ``toolkit train``, refusing anything that could run code.

    Checks, in order, before a single object is built: the card exists and is ours; the file's
    SHA-256 is the card's; the card's scikit-learn version is the running one; every type the file
    names is trusted by skops or on :data:`ALLOWED_TYPES` (skops checks this over the whole file
    before it builds anything, so a refused file runs no code).
    """
    import hashlib
    import zipfile

    path = Path(path) if path is not None else default_model_path()
    card = _read_card(path)
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != card.get("model_sha256"):
        raise ToolkitError(
            f"{path}: the model file does not match its card {card_path(path).name} (SHA-256 differs); "
            f"it was changed or replaced after training, so it is not loaded (retrain: {TRAIN_COMMAND})"
        )
    _check_versions(path, card)
    if card.get("preparation_version") != PREPARATION_VERSION:
        raise ToolkitError(
            f"{path}: the model prepares text in an older way (version {card.get('preparation_version')}, "
            f"this toolkit uses {PREPARATION_VERSION}); retrain it: {TRAIN_COMMAND}"
        )
    import skops.io as sio
    from skops.io.exceptions import UntrustedTypesFoundException

    # skops audits the whole tree against the trusted types before it builds a single object
    # (the check get_untrusted_types makes, done in the same pass so the file is parsed once).
    try:
        pipeline = sio.loads(data, trusted=sorted(ALLOWED_TYPES))
    except UntrustedTypesFoundException:
        refused = sorted(set(sio.get_untrusted_types(data=data)) - ALLOWED_TYPES)
        raise ToolkitError(
            f"{path}: refusing to load: the file names types outside scikit-learn's own "
            f"({', '.join(refused[:3])}{', ...' if len(refused) > 3 else ''})"
        ) from None
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, UnicodeDecodeError):
        raise ToolkitError(f"{path}: not a skops model file (corrupt, or a pickle); refusing to load it") from None
    except Exception as exc:  # skops raises many kinds on a damaged archive
        raise ToolkitError(f"{path}: cannot load the model ({type(exc).__name__}: {exc}); retrain: {TRAIN_COMMAND}") from None
    if not hasattr(pipeline, "predict_proba") or not hasattr(pipeline, "classes_"):
        raise ToolkitError(f"{path}: not a fitted classifier pipeline")
    classes = [str(c) for c in pipeline.classes_]
    if sorted(card.get("labels", {})) != sorted(classes):
        raise ToolkitError(f"{path}: the model's labels {classes} differ from its card's")
    return ThemeModel(pipeline, card, path)


def _check_versions(path: Path, card: dict) -> None:
    import sklearn

    saved = str(card.get("versions", {}).get("scikit-learn", "unknown"))
    running = sklearn.__version__
    if saved.split(".")[:2] != running.split(".")[:2]:
        raise ToolkitError(
            f"{path}: trained with scikit-learn {saved}, but {running} is installed; a model is only "
            f"loaded by the scikit-learn version that wrote it, so retrain it: {TRAIN_COMMAND}"
        )


@lru_cache(maxsize=4)
def _cached_model(path: str, mtime_ns: int, size: int) -> ThemeModel:
    return load_model(path)


def cached_model(path: str | Path) -> ThemeModel:
    """One load per process and model file, so batch workers do not reload it for every article."""
    path = Path(path)
    try:
        stat = path.stat()
    except FileNotFoundError:
        return load_model(path)  # raises the missing-model message
    return _cached_model(str(path), stat.st_mtime_ns, stat.st_size)


# --------------------------------------------------------------------------------------------
# Classifying documents


@dataclass
class ParagraphResult:
    doc: str
    paragraph: int
    label: str
    confidence: float
    probabilities: dict[str, float]
    boilerplate: str | None
    text: str

    def to_dict(self) -> dict:
        return {
            "doc": self.doc,
            "paragraph": self.paragraph,
            "label": self.label,
            "confidence": round(self.confidence, 4),
            "probabilities": {k: round(v, 4) for k, v in self.probabilities.items()},
            "boilerplate": self.boilerplate,
            "text": self.text,
        }


@dataclass
class DocumentResult:
    doc: str
    path: str | None
    paragraphs: list[ParagraphResult]
    labels: list[str]
    shares: dict[str, float] = field(default_factory=dict)
    chars: int = 0

    @property
    def main_label(self) -> str | None:
        if not self.chars:
            return None
        return max(self.labels, key=lambda label: self.shares[label])

    def to_dict(self) -> dict:
        return {
            "doc": self.doc,
            "path": self.path,
            "paragraphs": len(self.paragraphs),
            "chars": self.chars,
            "label": self.main_label,
            "shares": {k: round(v, 4) for k, v in self.shares.items()},
        }


def document_shares(paragraphs: Sequence[ParagraphResult], labels: Sequence[str]) -> tuple[dict[str, float], int]:
    """Each theme's share of the document's characters, over paragraphs that are not boilerplate.

    Weighting by characters keeps a one-line heading from counting as much as a long paragraph.
    """
    totals = {label: 0 for label in labels}
    for p in paragraphs:
        if p.boilerplate is None:
            totals[p.label] = totals.get(p.label, 0) + len(p.text)
    chars = sum(totals.values())
    return {k: (v / chars if chars else 0.0) for k, v in totals.items()}, chars


def classify_document(document, model: "ThemeModel | Predictor | None" = None) -> DocumentResult:
    """Code every paragraph of a :class:`~toolkit.document.Document` and the document's shares."""
    model = model if model is not None else cached_model(default_model_path())
    classes = model.classes
    shortcut = OTHER in classes
    asked = [p for p in document.paragraphs if not (shortcut and p.is_boilerplate)]
    proba = model.predict_proba([p.analysis_text for p in asked])
    by_index = {p.index: row for p, row in zip(asked, proba)}
    results = []
    for p in document.paragraphs:
        row = by_index.get(p.index)
        if row is None:
            probabilities = {c: (1.0 if c == OTHER else 0.0) for c in classes}
        else:
            probabilities = {c: float(v) for c, v in zip(classes, row)}
        label = max(classes, key=lambda c: probabilities[c])
        results.append(
            ParagraphResult(
                doc=document.name,
                paragraph=p.index,
                label=label,
                confidence=probabilities[label],
                probabilities=probabilities,
                boilerplate=p.kind if p.is_boilerplate else None,
                text=p.text,
            )
        )
    shares, chars = document_shares(results, classes)
    return DocumentResult(document.name, document.path, results, classes, shares, chars)


def classify_text(text: str, model: "ThemeModel | Predictor | None" = None, name: str = "<text>") -> DocumentResult:
    """Segment an article held in a string and code it, as ``toolkit classify`` does a file."""
    from toolkit.reading import document_from_text

    if not text.strip():
        raise ToolkitError(f"{name}: empty text")
    return classify_document(document_from_text(text, name), model)


def classify_file(source: str, model) -> DocumentResult:
    """Read and code one file with a model, a :class:`Predictor`, or a model path (cached per process)."""
    from toolkit.reading import read_document

    if isinstance(model, (str, Path)):
        model = cached_model(model)
    return classify_document(read_document(source), model)


# --------------------------------------------------------------------------------------------
# What drives a code


def top_terms(model: ThemeModel, n: int = 15) -> dict[str, list[tuple[str, float]]]:
    """The ``n`` features with the largest weight for each theme, as ``(term, weight)``.

    Character n-grams carry a ``c:`` prefix (a space shows as ␣), word n-grams are plain words, so
    a reader can tell 合作 the character pair from 合作 the word.
    """
    import numpy as np

    features = model.pipeline.named_steps["features"]
    names = features.get_feature_names_out()
    coef = _coefficients(model.pipeline.named_steps["classifier"])
    classes = model.classes
    if coef.shape[0] == 1 and len(classes) == 2:
        coef = np.vstack([-coef[0], coef[0]])
    out: dict[str, list[tuple[str, float]]] = {}
    for i, label in enumerate(classes):
        order = np.argsort(-coef[i])[:n]
        out[label] = [(_term(names[j]), float(coef[i, j])) for j in order]
    return out


def _term(feature_name: str) -> str:
    kind, _, term = feature_name.partition("__")
    return "c:" + term.replace(" ", "␣") if kind == "chars" else term


def _coefficients(classifier):
    import numpy as np

    if hasattr(classifier, "coef_"):
        return np.asarray(classifier.coef_)
    calibrated = getattr(classifier, "calibrated_classifiers_", None)
    if calibrated:
        return np.mean([np.asarray(c.estimator.coef_) for c in calibrated], axis=0)
    raise ToolkitError("this classifier has no per-feature weights to show")


# --------------------------------------------------------------------------------------------
# Training


@dataclass
class TrainResult:
    model: ThemeModel
    metrics: dict
    predictions: list[dict]
    run_dir: Path | None
    duration_s: float


def fit(labels, config: dict) -> ThemeModel:
    """Fit the pipeline on every row of a :class:`~toolkit.labels.LabelSet`; no file is written."""
    tokenizer = config["features"]["tokenizer"]
    X = prepare(analysis_texts(labels.texts), tokenizer)
    pipeline = build_pipeline(config).fit(X, labels.labels)
    _drop_introspection(pipeline)
    return ThemeModel(pipeline, _card(labels, config, pipeline))


def _drop_introspection(pipeline) -> None:
    """Remove ``stop_words_`` (every term min_df dropped): most of the file's size, unused to predict."""
    for _, vectorizer, _ in pipeline.named_steps["features"].transformers_:
        if hasattr(vectorizer, "stop_words_"):
            delattr(vectorizer, "stop_words_")


def _card(labels, config: dict, pipeline) -> dict:
    from collections import Counter

    from toolkit.evaluation import is_seed

    counts = Counter(labels.labels)
    seed_rows = sum(1 for r in labels.rows if is_seed(r))
    return {
        "format": CARD_FORMAT,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "labels": {label: counts[label] for label in labels.classes},
        "training_data": {
            "path": str(labels.path),
            "sha256": labels.sha256,
            "rows": len(labels.rows),
            "docs": len(set(labels.docs)),
            "seed_rows": seed_rows,
            "written_rows": len(labels.rows) - seed_rows,
        },
        "tokenizer": config["features"]["tokenizer"],
        "preparation": PREPARATION,
        "preparation_version": PREPARATION_VERSION,
        "config": config,
        "pipeline": pipeline_params(pipeline),
        "versions": library_versions(),
        "evaluation": None,
        "run": None,
    }


def train_model(
    labels_path: str | Path,
    model_path: str | Path = DEFAULT_MODEL,
    config: dict | None = None,
    *,
    experiments_dir: str | Path | None = Path("experiments"),
    name: str | None = None,
    record: bool = True,
    jobs: int = 1,
) -> TrainResult:
    """Cross-validate, fit on everything, save model and card, and record the run.

    Every check and all the fitting happen before the first write, so a failure leaves an existing
    model untouched. The run record is written last and its id added to the card.
    """
    from toolkit.evaluation import cross_validate
    from toolkit.labels import read_labels

    started = time.perf_counter()
    config = config if config is not None else resolve_config()
    validate_config(config)
    model_path = Path(model_path)
    if model_path.is_dir():
        raise ToolkitError(f"{model_path}: is a directory; give the model file, e.g. {model_path / MODEL_NAME}")
    labels = read_labels(labels_path)
    evaluation = cross_validate(labels, config, jobs=jobs)
    model = fit(labels, config)
    model.card["evaluation"] = evaluation.metrics
    model = save_model(model, model_path)
    duration = time.perf_counter() - started
    run_dir = None
    if record and experiments_dir is not None:
        from toolkit.experiments import record_run

        params = flatten({k: v for k, v in config.items() if isinstance(v, dict)})
        params["pipeline"] = model.card["pipeline"]
        run_dir = record_run(
            Path(experiments_dir),
            name or str(config.get("name", "default")),
            params=params,
            metrics=evaluation.metrics,
            predictions=evaluation.predictions,
            labels=labels,
            model_path=model_path,
            duration_s=duration,
        )
        model.card = update_card(model_path, run=Path(run_dir).name)
    return TrainResult(model, evaluation.metrics, evaluation.predictions, run_dir, duration)


# --------------------------------------------------------------------------------------------
# Describing a model


def describe_model(model: ThemeModel, terms: int = 15) -> dict:
    """The card's facts and the heaviest terms per theme, as one JSON-ready dict."""
    card = model.card
    return {
        "model": str(model.path) if model.path else None,
        "model_sha256": card.get("model_sha256"),
        "created": card.get("created"),
        "run": card.get("run"),
        "labels": card.get("labels", {}),
        "training_data": card.get("training_data", {}),
        "tokenizer": card.get("tokenizer"),
        "config": card.get("config", {}),
        "versions": card.get("versions", {}),
        "evaluation": card.get("evaluation"),
        "top_terms": {label: [[t, round(w, 3)] for t, w in pairs] for label, pairs in top_terms(model, terms).items()},
    }


def describe_text(d: dict) -> str:
    """:func:`describe_model` for a terminal."""
    lines = []
    short = (d.get("model_sha256") or "")[:12]
    lines.append(f"model       {d['model']} (sha256 {short}…), trained {d.get('created')}"
                 + (f", run {d['run']}" if d.get("run") else ""))
    lines.append("labels      " + ", ".join(f"{k} {v}" for k, v in d["labels"].items()))
    t = d.get("training_data", {})
    lines.append(
        f"training    {t.get('path')} (sha256 {str(t.get('sha256', ''))[:12]}…): {t.get('rows')} rows in {t.get('docs')} docs, "
        f"{t.get('seed_rows')} from real articles, {t.get('written_rows')} written by the team"
    )
    f = d.get("config", {}).get("features", {})
    m = d.get("config", {}).get("model", {})
    analyzer = {"word": "words", "char": "characters", "both": "words + characters"}.get(f.get("analyzer"), f.get("analyzer"))
    lines.append(
        f"features    {analyzer}; tokenizer {d.get('tokenizer')}; word n-grams {f.get('word_ngram_range')}, "
        f"character n-grams {f.get('char_ngram_range')}, min_df {f.get('min_df')}, sublinear tf {f.get('sublinear_tf')}"
    )
    lines.append(f"classifier  {m.get('classifier')}, C {m.get('C')}, class_weight {m.get('class_weight')}")
    v = d.get("versions", {})
    lines.append("versions    " + ", ".join(f"{k} {v[k]}" for k in ("scikit-learn", "numpy", "scipy", "skops", "rjieba") if k in v))
    e = d.get("evaluation")
    if e:
        cv = e.get("cv") or {}
        fmt = lambda x: "-" if x is None else f"{x:.3f}"
        lines.append(
            f"evaluation  grouped CV ({cv.get('folds')} folds x {cv.get('repeats')} repeats): macro-F1 {fmt(e['macro_f1'])} "
            f"(std {fmt(cv.get('macro_f1_std'))}), accuracy {fmt(e['accuracy'])}; seed rows only: macro-F1 {fmt(e.get('seed_macro_f1'))}"
        )
        lines.append(
            "            baselines: majority macro-F1 " + fmt(e["baselines"]["majority"]["macro_f1"])
            + ", cue words " + fmt(e["baselines"]["cue_words"]["macro_f1"])
        )
        lines.append("            F1 per label: " + ", ".join(f"{k} {fmt(s['f1'])}" for k, s in e["per_class"].items()))
    lines.append("")
    lines.append("heaviest terms per theme (c: = character n-gram)")
    width = max(len(k) for k in d["top_terms"])
    for label, pairs in d["top_terms"].items():
        lines.append(f"  {label:<{width}}  " + "  ".join(f"{term} {weight:.2f}" for term, weight in pairs))
    return "\n".join(lines)
