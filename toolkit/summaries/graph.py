"""Sentence similarity graph (textrank4zh's, never written out) and PageRank."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


@dataclass
class TermMatrix:
    """Which distinct terms each unit holds: binary unit × term matrix ``B`` (CSR), its
    transpose ``Bt`` (CSR), each unit's term count with repeats (textrank4zh's ``|s|``) and
    without (``distinct``)."""

    B: object
    Bt: object
    lengths: object
    distinct: object


def term_matrix(terms: Sequence[Sequence[str]]) -> TermMatrix:
    import numpy as np
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    indices: list[int] = []
    indptr = [0]
    for words in terms:
        ids = {vocabulary.setdefault(w, len(vocabulary)) for w in words}
        indices.extend(sorted(ids))
        indptr.append(len(indices))
    B = sparse.csr_matrix(
        (np.ones(len(indices)), np.array(indices, dtype=np.int64), np.array(indptr, dtype=np.int64)),
        shape=(len(terms), max(len(vocabulary), 1)),
    )
    lengths = np.array([len(t) for t in terms], dtype=np.int64)
    return TermMatrix(B, B.T.tocsr(), lengths, np.diff(B.indptr))


class SentenceGraph:
    """textrank4zh's similarity graph ``S[i, j] = |s_i ∩ s_j| / (log|s_i| + log|s_j|)``, implicit.

    Written out, ``S`` has an edge for every pair of units sharing a word: for a long document
    on one subject that is most pairs, O(n²) memory and time. But the numerator is ``B @ B.T``
    for the binary unit-term matrix ``B``, and the denominator depends only on the two units'
    lengths. On the few distinct lengths, ``K[a, b] = 1 / (log a + log b)`` is a Cauchy matrix,
    whose eigenvalues fall off so fast that a dozen of them reproduce it to machine precision:
    ``K ≈ Σ_k λ_k u_k u_kᵀ``. So ``S @ x = Σ_k λ_k U_k ∘ (B @ (B.T @ (U_k ∘ x)))``: two sparse
    products with ``B`` per PageRank step, linear in the number of words, and no pair of units
    is ever visited. Pairs textrank4zh scores 0 (no shared word; both units one word long) stay 0.
    """

    def __init__(self, matrix: TermMatrix, self_loops: bool = True):
        import numpy as np

        self.B, self.Bt = matrix.B, matrix.Bt
        self.shape = (matrix.B.shape[0], matrix.B.shape[0])
        distinct, self.length_class = np.unique(np.maximum(matrix.lengths, 1), return_inverse=True)
        self.kernel = _length_kernel(distinct)
        eigenvalues, eigenvectors = np.linalg.eigh(self.kernel)
        keep = np.abs(eigenvalues) > 1e-15 * max(np.abs(eigenvalues).max(), 1e-300)
        self.eigenvalues = eigenvalues[keep]
        self.factors = eigenvectors[self.length_class][:, keep]
        self.diagonal = matrix.distinct * self.kernel[self.length_class, self.length_class]
        self.self_loops = self_loops

    def __matmul__(self, x):
        scaled = self.factors * x[:, None]
        shared = self.B @ (self.Bt @ scaled)
        y = (shared * self.factors) @ self.eigenvalues
        if not self.self_loops:
            y = y - self.diagonal * x
        return y

    def toarray(self):
        """The explicit matrix, for checking against the textrank4zh formula on small inputs."""
        import numpy as np

        shared = (self.B @ self.Bt).toarray()
        dense = shared * self.kernel[self.length_class][:, self.length_class]
        if not self.self_loops:
            np.fill_diagonal(dense, 0.0)
        return dense


def _length_kernel(lengths):
    import numpy as np

    logs = np.log(lengths.astype(float))
    denominator = logs[:, None] + logs[None, :]
    kernel = np.zeros_like(denominator)
    np.divide(1.0, denominator, out=kernel, where=denominator > 1e-12)
    return kernel


def pagerank(graph, damping: float = 0.85, tol: float = 1e-6, max_iter: int = 100, personalization=None):
    """PageRank of a symmetric weighted graph by power iteration, as networkx computes it.

    ``graph`` is anything with ``shape`` and ``graph @ vector`` (a scipy sparse matrix, a
    :class:`SentenceGraph`). Rows are normalised by their weight; a node without edges spreads
    its rank evenly; iteration stops when the L1 change is below ``n * tol`` (networkx's test,
    so the scores match textrank4zh's). Deterministic: no randomness, fixed summation order.

    ``personalization`` (non-negative, one per node) is where the random surfer restarts and
    where a dangling node sends its rank, as in networkx; uniform when None (plain PageRank).
    Personalised, it is the biased walk of PositionRank (Florescu and Caragea 2017).
    """
    import numpy as np

    n = graph.shape[0]
    if n == 0:
        return np.zeros(0)
    degree = np.asarray(graph @ np.ones(n)).ravel()
    dangling = degree <= 1e-12
    inverse = np.zeros(n)
    inverse[~dangling] = 1.0 / degree[~dangling]
    if personalization is None:
        restart = np.full(n, 1.0 / n)
    else:
        restart = np.asarray(personalization, dtype=float)
        if restart.shape != (n,) or (restart < 0).any() or restart.sum() <= 0:
            raise ValueError("personalization needs one non-negative weight per node, not all zero")
        restart = restart / restart.sum()
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        previous = x
        spread = np.asarray(graph @ (previous * inverse)).ravel()
        x = damping * (spread + previous[dangling].sum() * restart) + (1.0 - damping) * restart
        if np.abs(x - previous).sum() < n * tol:
            break
    return x


