"""Scoring text with a fitted theme model, without scikit-learn.

Why this module exists apart from :mod:`toolkit.themes.classifier`:

- Speed. scikit-learn's vectorizers build every n-gram as a Python string and look it up in a
  dict; on a 2-core machine that alone runs slower than jieba. :class:`FastScorer` holds the same
  fitted vocabulary, weights and coefficients as numpy arrays and gives the same probabilities
  several times faster (a test compares it with the pipeline on real articles).
- ``--jobs`` workers. A :class:`Predictor` is plain data and this module imports neither
  scikit-learn nor skops, so a batch worker that receives one starts in a fraction of a second
  instead of importing scikit-learn and loading and verifying the model file again.
- One way to prepare text. Training, cross-validation and prediction all go through
  :func:`prepare`, so the vectorizers always see text prepared the same way.

Only the ``build`` methods touch scikit-learn objects (to read a fitted pipeline, in the process
that loaded it); they return None for any pipeline they cannot reproduce exactly, and the caller
then scores with the pipeline itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import Any, Iterable, Sequence

#: Bumped whenever :func:`prepare` changes what the vectorizers see; a model prepared differently
#: must be retrained rather than silently fed text it never saw.
PREPARATION_VERSION = 2  # 2: analysis form unifies punctuation (scraped , and typed ，)
PREPARATION = (
    "Simplified text (OpenCC t2s); column 0: the text for character n-grams; column 1: its words "
    "(tokenizer with the domain user dictionary, punctuation-only tokens dropped) joined by spaces; "
    "column 2 (models with the lexicon only): the lexicon group tag of every term occurrence"
)

# A token made only of punctuation (tokens never contain white space); dropping it leaves extra
# spaces, which the vectorizers' whitespace split ignores. One regex pass beats a test per token.
_PUNCTUATION_TOKEN = re.compile(r"(?<!\S)[^\w\s]+(?!\S)")
_SPACES = re.compile(r"\s\s+")
_CHAR_BITS = 21  # every code point + 1 fits in 21 bits; three of them in an int64
#: The word vectorizer's token pattern: :func:`prepare` has already split the words.
WORD_TOKEN_PATTERN = r"(?u)\S+"
#: Written into the scorer's ``.npz`` (see :meth:`FastScorer.to_arrays`).
SCORER_FORMAT = "toolkit-fast-scorer/1"


def analysis_texts(texts: Iterable[str]) -> list[str]:
    """The analysis form, as :attr:`Paragraph.analysis_text` gives it, for raw strings (one
    OpenCC call for all of them: :func:`~toolkit.text.cleaning.analysis_forms`)."""
    from toolkit.text.cleaning import analysis_forms

    return analysis_forms(list(texts))


def prepare(texts: Sequence[str], tokenizer: str | None = "rjieba", lexicon: bool = False):
    """What the persisted pipeline reads: one row per text, ``[text, space-joined words(, tags)]``.

    ``texts`` are analysis texts (Simplified). Punctuation-only tokens are dropped from the words
    so that word bigrams pair words, not words and commas. With ``tokenizer=None`` (a model of
    character n-grams alone) the words column stays empty and no segmenter is loaded. With
    ``lexicon``, a third column holds the :mod:`toolkit.themes.lexicon` group tags of the text.
    """
    import numpy as np

    from toolkit.text.tokens import cut

    rows = np.empty((len(texts), 3 if lexicon else 2), dtype=object)
    rows[:, 0] = list(texts)
    if tokenizer:
        rows[:, 1] = [_PUNCTUATION_TOKEN.sub("", " ".join(cut(text, tokenizer))) for text in texts]
    else:
        rows[:, 1] = ""
    if lexicon:
        from toolkit.themes.lexicon import lexicon as shipped_lexicon

        tag_text = shipped_lexicon().tag_text
        rows[:, 2] = [tag_text(text) for text in texts]
    return rows


def _csr_matvecs():
    """scipy's C++ routine behind ``csr_matrix @ dense`` (private: None if this scipy lacks it)."""
    try:
        from scipy.sparse import _sparsetools
    except ImportError:  # pragma: no cover - another scipy layout
        return None
    return getattr(_sparsetools, "csr_matvecs", None)


#: TfidfVectorizer settings under which :class:`NgramLookup` reproduces it exactly.
_REPRODUCED_SETTINGS = {
    "input": "content", "lowercase": True, "preprocessor": None, "tokenizer": None,
    "stop_words": None, "strip_accents": None, "binary": False, "use_idf": True,
}
_MISSING = object()


@dataclass
class NgramLookup:
    """One fitted TfidfVectorizer reduced to numpy arrays: its vocabulary as sorted int64 codes.

    Every n-gram becomes one int64 (characters: code points; words: ids of the vocabulary's
    words, as digits of a number), for all rows at once, and is found with ``np.searchsorted``.
    The TF-IDF weighting follows TfidfTransformer.transform step by step (sublinear tf, idf, l2),
    so the output equals the vectorizer's own.
    """

    ngram_range: tuple[int, int]
    codes: Any  # int64, sorted: the vocabulary's n-grams as numbers
    columns: Any  # int64: the feature column of each code
    token_ids: dict[str, int] | None  # word -> digit; None for character n-grams (code points)
    base: int
    idf: Any
    dtype: Any
    sublinear_tf: bool
    norm: str | None
    _table: Any = field(default=None, init=False, repr=False, compare=False)  # CodeTable, built on first use

    @classmethod
    def build(cls, v) -> "NgramLookup | None":
        """The lookup for vectorizer ``v``, or None if it has a setting this cannot reproduce."""
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer

        if type(v) is not TfidfVectorizer or not hasattr(v, "vocabulary_") or not hasattr(v, "idf_"):
            return None
        if any(getattr(v, name, _MISSING) != want for name, want in _REPRODUCED_SETTINGS.items()):
            return None
        low, high = v.ngram_range
        if v.norm not in ("l2", None) or low < 1:
            return None
        terms = list(v.vocabulary_)
        columns = np.fromiter((v.vocabulary_[t] for t in terms), dtype=np.int64, count=len(terms))
        if v.analyzer == "char" and high <= 3:
            token_ids, base = None, 1 << _CHAR_BITS
            digit_lists = [[ord(ch) + 1 for ch in term] for term in terms]
        elif v.analyzer == "word" and v.token_pattern == WORD_TOKEN_PATTERN:
            token_ids = {}
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
        return cls((low, high), codes[order], columns[order], token_ids, base,
                   np.asarray(v.idf_), np.dtype(v.dtype), bool(v.sublinear_tf), v.norm)

    def transform(self, docs):
        """As the vectorizer's ``transform``: a CSR matrix of TF-IDF weights, one row per doc."""
        import numpy as np
        import scipy.sparse as sp

        data, cols, indptr, n_rows, size = self.weights(docs)
        return sp.csr_matrix((data, cols.astype(np.int32), indptr), shape=(n_rows, size))

    def decision(self, docs, coef_t):
        """``transform(docs) @ coef_t`` for a C-ordered 2-D ``coef_t`` of the weights' dtype, by the
        routine scipy's product itself runs (``csr_matvecs``: the same sums in the same order, the
        same bits) without building the matrix around it, whose checks cost more than the product
        on a document's few paragraphs. None when that routine is not there (another scipy) or
        the dtypes differ: then the caller multiplies the matrix."""
        import numpy as np

        matvecs = _csr_matvecs()
        data, cols, indptr, n_rows, size = self.weights(docs)
        if matvecs is None or data.dtype != coef_t.dtype or coef_t.ndim != 2 or not coef_t.flags.c_contiguous:
            return None
        out = np.zeros((n_rows, coef_t.shape[1]), dtype=data.dtype)
        index = np.int32 if max(size, len(cols)) < 1 << 31 else np.int64
        matvecs(n_rows, size, coef_t.shape[1], indptr.astype(index), cols.astype(index), data, coef_t.ravel(),
                out.ravel())
        return out

    def weights(self, docs):
        """The parts of :meth:`transform`'s CSR matrix: ``(data, columns, indptr, rows, vocabulary size)``."""
        import numpy as np

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
        if self._table is None:
            from toolkit.themes.codetable import CodeTable

            self._table = CodeTable(self.codes, self.columns)
        table = self._table
        keys = []
        low, high = self.ngram_range
        for n in range(low, high + 1):
            if total < n:
                break
            span = total - n + 1
            code, rows = digits[:span], row_of[:span]
            for k in range(1, n):
                code = code * self.base + digits[k : k + span]
            # Which n-grams can be in the vocabulary: those within one row, and for words those
            # without a 0 (a word outside the vocabulary). Characters are never 0 and a unigram
            # always lies within its row, so character unigrams skip the filtering altogether.
            keep = row_of[:span] == row_of[n - 1 : n - 1 + span] if n > 1 else None
            if self.token_ids is not None:
                for k in range(n):
                    known = digits[k : k + span] > 0
                    keep = known if keep is None else keep & known
            if keep is not None:
                code, rows = code[keep], rows[keep]
            found = table.columns(code, unigrams=n == 1 and self.token_ids is None)  # characters: all direct
            hit = found >= 0
            keys.append(rows[hit] * size + found[hit])
        flat = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
        if n_rows * size < 1 << 31:
            flat = flat.astype(np.int32)  # the same keys, sorted about twice as fast
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
        return data, cols, indptr, n_rows, size


@dataclass
class FastScorer:
    """A fitted pipeline (vectorizers + logistic regression) as numpy arrays, for prediction."""

    parts: list[tuple[int, NgramLookup, float]]  # (input column, lookup, weight) in the ColumnTransformer's order
    coef: Any
    intercept: Any
    binary: bool

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
        weights = getattr(features, "transformer_weights", None) or {}
        for name, vectorizer, column in transformers:
            if name == "remainder":
                if vectorizer != "drop":
                    return None
                continue
            lookup = NgramLookup.build(vectorizer) if isinstance(column, int) else None
            if lookup is None:
                return None
            parts.append((column, lookup, float(weights.get(name, 1.0))))
        if not parts:
            return None
        return cls(parts, np.asarray(classifier.coef_), np.asarray(classifier.intercept_), len(classifier.classes_) == 2)

    def to_arrays(self, classes: Sequence[str]) -> dict:
        """Plain numpy arrays (numbers and fixed-width text only), for ``np.savez`` and
        ``np.load(allow_pickle=False)``: the scorer and its labels, nothing that could run code."""
        import numpy as np

        arrays = {"format": np.array(SCORER_FORMAT), "classes": np.array(list(classes), dtype=str),
                  "coef": self.coef, "intercept": self.intercept, "binary": np.array(self.binary),
                  "parts": np.array(len(self.parts))}
        for i, (column, lookup, weight) in enumerate(self.parts):
            words = b"" if lookup.token_ids is None else "\n".join(lookup.token_ids).encode("utf-8")
            arrays.update({
                f"p{i}_meta": np.array([column, *lookup.ngram_range, lookup.base, lookup.token_ids is not None,
                                        lookup.sublinear_tf], dtype=np.int64),
                f"p{i}_weight": np.array(weight), f"p{i}_norm": np.array(lookup.norm or ""),
                f"p{i}_dtype": np.array(np.dtype(lookup.dtype).str), f"p{i}_codes": lookup.codes,
                f"p{i}_columns": lookup.columns, f"p{i}_idf": lookup.idf,
                f"p{i}_words": np.frombuffer(words, dtype=np.uint8),
            })
        return arrays

    @classmethod
    def from_arrays(cls, arrays) -> tuple["FastScorer", list[str]]:
        """The scorer and its labels from :meth:`to_arrays`' arrays (an ``np.load`` of the file)."""
        import numpy as np

        if str(arrays["format"]) != SCORER_FORMAT:
            raise ValueError(f"not a {SCORER_FORMAT} file")
        parts = []
        for i in range(int(arrays["parts"])):
            column, low, high, base, has_words, sublinear = (int(v) for v in arrays[f"p{i}_meta"])
            token_ids = None
            if has_words:
                words = arrays[f"p{i}_words"].tobytes().decode("utf-8").split("\n")
                token_ids = {w: n for n, w in enumerate(words, start=1)}
            norm = str(arrays[f"p{i}_norm"]) or None
            lookup = NgramLookup((low, high), arrays[f"p{i}_codes"], arrays[f"p{i}_columns"], token_ids, base,
                                 arrays[f"p{i}_idf"], np.dtype(str(arrays[f"p{i}_dtype"])), bool(sublinear), norm)
            parts.append((column, lookup, float(arrays[f"p{i}_weight"])))
        scorer = cls(parts, arrays["coef"], arrays["intercept"], bool(arrays["binary"]))
        return scorer, [str(c) for c in arrays["classes"]]

    def columns_read(self) -> int:
        """How many of :func:`prepare`'s columns the scorer reads (3 with the lexicon tags)."""
        return 1 + max(column for column, _, _ in self.parts)

    def char_bigrams(self) -> frozenset[str] | None:
        """The character bigrams of the character n-gram vocabulary (None without one)."""
        import numpy as np

        for _, lookup, _ in self.parts:
            if lookup.token_ids is None:
                codes = lookup.codes[lookup.codes >= lookup.base]
                codes = codes[codes < lookup.base * lookup.base]
                first, second = np.divmod(codes, lookup.base)
                return frozenset(map("".join, zip(map(chr, (first - 1).tolist()), map(chr, (second - 1).tolist()))))
        return None

    def features(self, X):
        import scipy.sparse as sp

        blocks = []
        for column, lookup, weight in self.parts:
            block = lookup.transform(X[:, column])
            blocks.append(block * weight if weight != 1.0 else block)
        return sp.hstack(blocks, format="csr") if len(blocks) > 1 else blocks[0]

    def predict_proba(self, X):
        """As LogisticRegression.predict_proba: softmax of the decision, or expit for two labels."""
        import numpy as np

        decision = None
        if len(self.parts) == 1 and self.parts[0][2] == 1.0:  # one vectorizer, unweighted: no matrix
            column, lookup, _ = self.parts[0]
            decision = lookup.decision(X[:, column], self.coef.T)
        if decision is None:
            decision = np.asarray(self.features(X) @ self.coef.T)
        decision = decision + self.intercept
        if self.binary:
            p = 1.0 / (1.0 + np.exp(-decision[:, 0]))
            return np.column_stack([1.0 - p, p])
        decision -= decision.max(axis=1, keepdims=True)
        np.exp(decision, decision)
        decision /= decision.sum(axis=1, keepdims=True)
        return decision


@dataclass
class Predictor:
    """What classifying needs and nothing more: the labels, the tokenizer and a scorer.

    ``scorer`` scores :func:`prepare`'s rows: a :class:`FastScorer`, or the fitted pipeline itself
    when FastScorer cannot reproduce it (then the Predictor is not sent to batch workers).
    """

    classes: list[str]
    tokenizer: str
    scorer: Any
    lexicon: bool = False
    settings: dict | None = None  # toolkit.themes.context settings; None: each paragraph on its own

    @property
    def context(self) -> dict:
        from toolkit.themes.context import NONE

        return {**NONE, **(self.settings or {})}

    @property
    def is_portable(self) -> bool:
        """True when this holds no scikit-learn object, so a batch worker can receive it."""
        return isinstance(self.scorer, FastScorer)

    def predict_proba(self, texts: Sequence[str]):
        """Probabilities (rows: texts, columns: :attr:`classes`) for Simplified texts."""
        import numpy as np

        if not texts:
            return np.zeros((0, len(self.classes)))
        return self.scorer.predict_proba(prepare(texts, self.tokenizer, self.lexicon))
