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
        # Linear probing, inserting the codes in the order of their home slots: then each takes
        # max(its home, the slot after the previous one), a running maximum numpy computes at once.
        # The few pushed past the end of the table wrap round to its start, placed one at a time.
        home = self._hash(codes)
        order = np.argsort(home, kind="stable")
        steps = np.arange(len(codes))
        slots = np.maximum.accumulate(home[order] - steps) + steps if len(codes) else steps
        inside = slots <= self.mask
        self.keys[slots[inside]] = codes[order[inside]]
        self.values[slots[inside]] = columns[order[inside]]
        #: 1 + the longest way any code lies past its home slot: a lookup looks no further.
        self.window = 1 + int((slots - home[order]).max()) if len(codes) else 1
        pending, slots = order[~inside], slots[~inside] & self.mask
        probes = slots - home[pending] + len(self.keys)  # how far past home each has come so far
        while len(pending):  # one at a time: they may collide with one another
            code, slot, probe = int(pending[0]), int(slots[0]), int(probes[0])
            while self.keys[slot] != _EMPTY:
                slot, probe = (slot + 1) & self.mask, probe + 1
            self.keys[slot], self.values[slot] = codes[code], columns[code]
            self.window = max(self.window, probe + 1)
            pending, slots, probes = pending[1:], slots[1:], probes[1:]
        self._pack()

    def _pack(self) -> None:
        """:attr:`keys` and :attr:`values` as one array, ``key << bits | column`` (empty: -1), when
        both fit in an int64: a probe then reads one entry of one table instead of two (half the
        cache misses of a table far larger than the cache). None when they do not fit."""
        top = int(self.values.max()) if len(self.values) else 0
        self.bits = max(1, top.bit_length())
        used = self.keys != _EMPTY
        self.packed = None
        if top >= 0 and (not used.any() or int(self.keys[used].max()) < 1 << (63 - self.bits)):
            self.packed = np.where(used, (self.keys << self.bits) | np.maximum(self.values, 0), -1)

    def _hash(self, codes):
        return ((codes.view(np.uint64) * _MULTIPLIER) >> self.shift).astype(np.int64)

    def columns(self, codes, unigrams: bool = False):
        """The column of each of ``codes`` (int64), -1 where the vocabulary lacks it.

        Codes below the direct limit (all of them for character unigrams) are one indexing. The
        others look at their home slot; the few that find another code there look at the next
        ``window - 1`` slots all at once (a code never lies past an empty slot or beyond the
        window, since slots are only ever filled), instead of one slot per round for every code.
        """
        codes = np.ascontiguousarray(codes, dtype=np.int64)
        if unigrams:  # the caller knows every code is a character's (below the direct limit): no test
            return self.direct[np.minimum(codes, len(self.direct) - 1)]
        direct = codes < _DIRECT_LIMIT
        if not direct.any():  # character bigrams: no direct code at all
            return self._hashed(codes)
        out = self.direct[np.minimum(codes, len(self.direct) - 1)]
        if not direct.all():
            hashed = np.flatnonzero(~direct)
            out[hashed] = self._hashed(codes[hashed])
        return out

    def _hashed(self, wanted):
        """:meth:`columns` of codes that are all at or above the direct limit."""
        slots = self._hash(wanted)
        if self.packed is not None:
            return self._hashed_packed(wanted, slots)
        found = self.keys[slots]
        out = np.where(found == wanted, self.values[slots], -1)
        rest = np.flatnonzero((found != wanted) & (found != _EMPTY))
        if len(rest) and self.window > 1:
            around = (slots[rest, None] + np.arange(1, self.window)) & self.mask
            hit = self.keys[around] == wanted[rest, None]
            some = np.flatnonzero(hit.any(axis=1))
            out[rest[some]] = self.values[around[some, hit[some].argmax(axis=1)]]
        return out

    def _hashed_packed(self, wanted, slots):
        """:meth:`_hashed` on :attr:`packed` (the same answers)."""
        bits, low = self.bits, (1 << self.bits) - 1
        entry = self.packed[slots]
        found = entry >> bits  # -1 for an empty slot (an arithmetic shift), never a code
        out = np.where(found == wanted, entry & low, -1)
        rest = np.flatnonzero((found != wanted) & (entry != -1))
        if len(rest) and self.window > 1:
            around = self.packed[(slots[rest, None] + np.arange(1, self.window)) & self.mask]
            hit = (around >> bits) == wanted[rest, None]
            some = np.flatnonzero(hit.any(axis=1))
            out[rest[some]] = around[some, hit[some].argmax(axis=1)] & low
        return out
