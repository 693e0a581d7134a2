"""A read-only int64 -> column table for :class:`toolkit.themes.scoring.NgramLookup`.

``np.searchsorted`` into the sorted vocabulary costs a binary search (about 15 dependent loads)
per n-gram; this table answers the same question with one or two: character unigrams by direct
indexing (code point -> column), every other code by an open-addressing hash table (multiplicative
hash, linear probing, at most a quarter full), both built once from the vocabulary and probed for
all n-grams at once. It gives exactly the columns the binary search gives, so the TF-IDF matrix is
unchanged.
"""

from __future__ import annotations

import numpy as np

_EMPTY = -1  # no code is negative (codes are built from digits >= 1)
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing
_DIRECT_LIMIT = 1 << 21  # codes below this (character unigrams) go to the direct table


class CodeTable:
    """The column of each vocabulary code; -1 for a code outside the vocabulary."""

    def __init__(self, codes, columns):
        codes = np.asarray(codes, dtype=np.int64)
        columns = np.asarray(columns, dtype=np.int64)
        direct = codes < _DIRECT_LIMIT
        top = int(codes[direct].max()) + 2 if direct.any() else 1
        self.direct = np.full(top, -1, dtype=np.int64)  # the last entry stays -1: any code beyond it
        self.direct[codes[direct]] = columns[direct]
        codes, columns = codes[~direct], columns[~direct]
        bits = max(4, int(len(codes) * 4 - 1).bit_length())
        self.shift = np.uint64(64 - bits)
        self.mask = (1 << bits) - 1
        self.keys = np.full(1 << bits, _EMPTY, dtype=np.int64)
        self.values = np.full(1 << bits, -1, dtype=np.int64)
        pending = np.arange(len(codes))
        slots = self._hash(codes)
        while len(pending):
            free = self.keys[slots] == _EMPTY
            _, first = np.unique(slots[free], return_index=True)
            placed = np.flatnonzero(free)[first]
            self.keys[slots[placed]] = codes[pending[placed]]
            self.values[slots[placed]] = columns[pending[placed]]
            rest = np.ones(len(pending), dtype=bool)
            rest[placed] = False
            pending, slots = pending[rest], (slots[rest] + 1) & self.mask

    def _hash(self, codes):
        return ((codes.view(np.uint64) * _MULTIPLIER) >> self.shift).astype(np.int64)

    def columns(self, codes):
        """The column of each of ``codes`` (int64), -1 where the vocabulary lacks it."""
        codes = np.ascontiguousarray(codes, dtype=np.int64)
        last = len(self.direct) - 1
        out = self.direct[np.minimum(codes, last)]
        hashed = np.flatnonzero(codes >= _DIRECT_LIMIT)
        if not len(hashed):
            return out
        wanted = codes[hashed]
        slots = self._hash(wanted)
        while len(hashed):
            found = self.keys[slots]
            match = found == wanted
            out[hashed[match]] = self.values[slots[match]]
            go_on = ~match & (found != _EMPTY)
            hashed, wanted, slots = hashed[go_on], wanted[go_on], (slots[go_on] + 1) & self.mask
        return out
