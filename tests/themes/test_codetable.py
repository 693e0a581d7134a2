"""The hash/direct lookup (CodeTable) gives exactly what the binary search into the vocabulary gave."""

from __future__ import annotations

import copy
import random

import numpy as np
import pytest

from toolkit.themes.codetable import CodeTable


class _BinarySearch:
    """The reference: NgramLookup's lookup before CodeTable (np.searchsorted into sorted codes)."""

    def __init__(self, codes, columns):
        self.codes, self.cols = codes, columns

    def columns(self, code, unigrams=False):  # the hint of character unigrams changes nothing here
        pos = np.searchsorted(self.codes, code)
        pos[pos == len(self.codes)] = 0
        hit = self.codes[pos] == code
        return np.where(hit, self.cols[pos], -1)


def _reference(scorer):
    old = copy.deepcopy(scorer)
    for _, lookup, _ in old.parts:
        lookup._table = _BinarySearch(lookup.codes, lookup.columns)
    return old


def _paragraphs(seed_docs, count=200):
    chars = [ch for doc in seed_docs.values() for p in doc.paragraphs for ch in p.analysis_text]
    rng = random.Random(13)
    texts = [p.analysis_text for doc in seed_docs.values() for p in doc.paragraphs]
    texts += ["".join(rng.choices(chars, k=rng.randint(0, 300))) for _ in range(count)]
    texts += ["", " ", "\U0010ffff\u4e00", "A  b\u3000c"]  # empty, spaces only, beyond every code point
    return texts


def _scorers(model, repo_dir):
    from toolkit.themes.model import cached_model

    yield model.scorer
    shipped = repo_dir / "models" / "theme.skops"
    if shipped.exists():
        yield cached_model(shipped).scorer


def test_code_table_matches_binary_search():
    rng = np.random.default_rng(0)
    codes = np.unique(np.concatenate([rng.integers(1, 1 << 21, 3000), rng.integers(1 << 21, 1 << 42, 30000)]))
    columns = rng.permutation(len(codes)).astype(np.int64)
    table, reference = CodeTable(codes, columns), _BinarySearch(codes, columns)
    queries = np.concatenate([codes, rng.integers(0, 1 << 42, 50000), codes + 1, [0, (1 << 21) - 1, 1 << 21]])
    assert np.array_equal(table.columns(queries), reference.columns(queries))


def test_fast_path_probabilities_identical(model, repo_dir, seed_docs):
    from toolkit.themes.scoring import prepare

    texts = _paragraphs(seed_docs)
    for scorer in _scorers(model, repo_dir):
        assert scorer is not None, "a character logistic-regression model always has a FastScorer"
        tokenizer = model.tokenizer if scorer is model.scorer else None
        rows = prepare(texts, tokenizer, scorer.columns_read() > 2)
        new, old = scorer.predict_proba(rows), _reference(scorer).predict_proba(rows)
        assert np.array_equal(new.argmax(axis=1), old.argmax(axis=1))
        assert np.max(np.abs(new - old)) <= 1e-7
        assert np.array_equal(new, old)  # in fact the very same numbers
        fast, slow = scorer.features(rows), _reference(scorer).features(rows)
        assert (fast != slow).nnz == 0 and np.array_equal(fast.indices, slow.indices)


def test_code_table_small_crowded_and_wrapping_tables():
    """Small tables, codes crowding the last slots (pushed round to the start of the table), and the
    look-ahead window: every code is found, every other code is not."""
    rng = np.random.default_rng(3)
    for size in (1, 2, 5, 12, 40):
        for _ in range(40):
            codes = np.unique(rng.integers(1 << 21, 1 << 40, size))
            columns = rng.permutation(len(codes)).astype(np.int64)
            table, reference = CodeTable(codes, columns), _BinarySearch(codes, columns)
            queries = np.concatenate([codes, rng.integers(1 << 21, 1 << 40, 200), codes + 1])
            assert np.array_equal(table.columns(queries), reference.columns(queries))
    # codes whose home is one of the last slots of a 64-slot table: most wrap round
    candidates = np.arange((1 << 21) + 1, (1 << 21) + 400_000, dtype=np.int64)
    small = CodeTable(candidates[:12], np.arange(12))
    assert len(small.keys) == 64
    crowded = candidates[small._hash(candidates) >= 62][:12]
    table = CodeTable(crowded, np.arange(len(crowded)))
    assert len(table.keys) == 64 and table.keys[0] != -1  # wrapped
    assert np.array_equal(table.columns(crowded), np.arange(len(crowded)))
    assert np.array_equal(table.columns(crowded + (1 << 40)), np.full(len(crowded), -1))
    assert np.array_equal(CodeTable(np.zeros(0, np.int64), np.zeros(0, np.int64)).columns(crowded), np.full(12, -1))


def test_packed_and_two_array_probes_agree():
    """The packed table (key and column in one int64) and the two arrays answer alike, including
    codes too large to pack (the table then probes the two arrays)."""
    rng = np.random.default_rng(13)
    for high in (1 << 40, 1 << 58, 1 << 62):
        codes = np.unique(rng.integers(1 << 21, high, 3000))
        columns = rng.permutation(len(codes)).astype(np.int64)
        table, reference = CodeTable(codes, columns), _BinarySearch(codes, columns)
        assert (table.packed is not None) == (high <= 1 << 40)
        queries = np.concatenate([codes, rng.integers(1 << 21, high, 3000), codes + 1, [5, 1 << 21]])
        want = reference.columns(queries)
        assert np.array_equal(table.columns(queries), want)
        table.packed = None
        assert np.array_equal(table.columns(queries), want)


def test_decision_without_the_matrix_is_the_matrix_product(model, repo_dir, seed_docs, monkeypatch):
    """One unweighted vectorizer is scored by scipy's csr_matvecs on the weights, without the CSR
    matrix: the same bits as ``transform(docs) @ coef.T``, per document and for all texts at once;
    without that routine (another scipy) or with other dtypes the matrix is multiplied."""
    from toolkit.themes import scoring
    from toolkit.themes.scoring import prepare

    texts = _paragraphs(seed_docs)
    groups = [[p.analysis_text for p in doc.paragraphs] for doc in seed_docs.values()] + [texts, texts[:1], [""]]
    for scorer in _scorers(model, repo_dir):
        tokenizer = model.tokenizer if scorer is model.scorer else None
        for group in groups:
            rows = prepare(group, tokenizer, scorer.columns_read() > 2)
            product = np.asarray(scorer.features(rows) @ scorer.coef.T) + scorer.intercept
            for column, lookup, weight in scorer.parts:
                direct = lookup.decision(rows[:, column], scorer.coef.T)
                plain = np.asarray(lookup.transform(rows[:, column]) @ scorer.coef.T)
                assert direct is not None and direct.dtype == plain.dtype
                assert np.array_equal(direct.view(np.uint8), plain.view(np.uint8))
                assert lookup.decision(rows[:, column], scorer.coef.T.astype(np.float64)) is None
            fast = scorer.predict_proba(rows)
            monkeypatch.setattr(scoring, "_csr_matvecs", lambda: None)
            slow = scorer.predict_proba(rows)
            monkeypatch.undo()
            assert fast.dtype == slow.dtype and np.array_equal(fast.view(np.uint8), slow.view(np.uint8))
            if len(scorer.parts) == 1:
                expected = product - product.max(axis=1, keepdims=True)
                np.exp(expected, expected)
                expected /= expected.sum(axis=1, keepdims=True)
                assert np.array_equal(fast, expected)
