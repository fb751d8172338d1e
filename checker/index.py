"""Nearest-neighbour search over sentence embeddings with a FAISS inner-product index.

Time and memory stay linear in the corpus with a small constant, whatever its shape:

* a sentence is searched only against other documents' sentences, so a document never spends
  its search depth on itself (a 10 MB article with 100,000 sentences and a few short ones costs
  what comparing the short ones with it costs, not 100,000²);
* queries run in chunks of whole documents, each chunk one BLAS-backed FAISS call per side of
  its own rows;
* each sentence keeps at most :data:`MAX_MATCHES_PER_SENTENCE` matches, so thousands of
  look-alike files give at most that many pairs per sentence, not one per file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from checker.models import SentenceMatch

# How many candidates each sentence asks for: the cap below, with room for documents that crowd
# in more near sentences than the ``neighbours`` kept from each.
MAX_DEPTH = 64
# A sentence with more close counterparts than this in a huge corpus of look-alike files gains
# nothing from the rest; the cap keeps the pairs (and the alignments and findings built from
# them) linear in the corpus. A pair is kept when either side keeps it.
MAX_MATCHES_PER_SENTENCE = 16
# Rows per FAISS call: big enough for BLAS to pay off, small enough that the candidate arrays
# (QUERY_BATCH x MAX_DEPTH) stay a few megabytes.
QUERY_BATCH = 1024


class SentenceIndex:
    """Exact inner-product search: embeddings are unit length, so scores are cosine similarities."""

    def __init__(self, embeddings: np.ndarray) -> None:
        import faiss

        self.size = int(embeddings.shape[0])
        self._index = faiss.IndexFlatIP(int(embeddings.shape[1]) if embeddings.ndim == 2 and self.size else 1)
        if self.size:
            self._index.add(np.ascontiguousarray(embeddings, dtype=np.float32))

    def search(
        self, queries: np.ndarray, k: int, rows: tuple[int, int] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` best rows for each query, best first; with ``rows=(start, end)`` only among those rows.

        Missing results (fewer rows than ``k``) have id -1 and score -inf.
        """
        import faiss

        start, end = rows if rows is not None else (0, self.size)
        k = min(k, max(end - start, 0))
        if k == 0 or queries.shape[0] == 0:
            empty = np.zeros((queries.shape[0], 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        # FAISS searches a range selector by slicing the stored vectors, so this stays on the BLAS path.
        params = None if (start, end) == (0, self.size) else faiss.SearchParameters(sel=faiss.IDSelectorRange(start, end))
        scores, ids = self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k, params=params)
        scores[ids < 0] = -np.inf
        return scores, ids


@dataclass(frozen=True)
class _Layout:
    """Rows sorted by owner, so each document's rows are one contiguous range."""

    document: np.ndarray  # document number of each row
    starts: np.ndarray  # first row of each document
    ends: np.ndarray  # one past its last row

    @classmethod
    def of(cls, owners: list[tuple[str, int]]) -> _Layout:
        names = [doc_id for doc_id, _ in owners]
        boundaries = [row for row in range(1, len(names)) if names[row] != names[row - 1]]
        starts = np.array([0, *boundaries] if names else [], dtype=np.int64)
        ends = np.array([*boundaries, len(names)] if names else [], dtype=np.int64)
        return cls(np.repeat(np.arange(len(starts)), ends - starts), starts, ends)

    def chunks(self, batch: int) -> Iterator[tuple[int, int, int, int]]:
        """``(first, last, span_start, span_end)``: query rows [first, last) and the rows of their documents.

        A chunk is whole documents adding up to at most ``batch`` rows, or part of one document
        longer than that.
        """
        first = 0
        while first < len(self.document):
            document = int(self.document[first])
            span_start, span_end = int(self.starts[document]), int(self.ends[document])
            if span_end - span_start > batch:
                last = min(first + batch, span_end)
            else:
                after = int(np.searchsorted(self.ends, first + batch, side="right"))
                last = span_end = int(self.ends[max(after - 1, document)])
            yield first, last, span_start, span_end
            first = last


def cross_document_matches(
    owners: list[tuple[str, int]],
    embeddings: np.ndarray,
    threshold: float,
    neighbours: int,
) -> list[SentenceMatch]:
    """Pairs of sentences from different documents whose cosine similarity reaches the threshold.

    ``owners[i]`` is (doc_id, sentence index) of row i. Each sentence keeps its ``neighbours``
    nearest sentences from every other document, at most :data:`MAX_MATCHES_PER_SENTENCE` in
    all. Each unordered pair is returned once, with the lexicographically smaller (doc_id, index)
    as side a, sorted.
    """
    order = sorted(range(len(owners)), key=owners.__getitem__)
    if order != list(range(len(owners))):
        owners = [owners[row] for row in order]
        embeddings = embeddings[order]
    layout = _Layout.of(owners)
    if len(layout.starts) < 2:
        return []
    index = SentenceIndex(embeddings)
    pairs = [
        _kept_pairs(chunk[0], *_candidates(index, embeddings, layout, chunk, MAX_DEPTH), layout, threshold, neighbours)
        for chunk in layout.chunks(QUERY_BATCH)
    ]
    low, high, scores = _best_of_duplicates(pairs, len(owners))
    return [
        SentenceMatch(
            doc_a=owners[a][0], sentence_a=owners[a][1], doc_b=owners[b][0], sentence_b=owners[b][1],
            similarity=round(float(score), 4),
        )
        for a, b, score in zip(low.tolist(), high.tolist(), scores.tolist())
    ]


def _candidates(
    index: SentenceIndex, embeddings: np.ndarray, layout: _Layout, chunk: tuple[int, int, int, int], depth: int
) -> tuple[np.ndarray, np.ndarray]:
    """The ``depth`` best other-document rows for each query row of the chunk, best first."""
    first, last, span_start, span_end = chunk
    queries = embeddings[first:last]
    parts = [
        index.search(queries, depth, rows=(0, span_start)),
        index.search(queries, depth, rows=(span_end, index.size)),
        _within_span(queries, embeddings, layout, chunk, depth),
    ]
    scores = np.hstack([part[0] for part in parts])
    ids = np.hstack([part[1] for part in parts])
    best = np.argsort(-scores, axis=1, kind="stable")[:, :depth]
    return np.take_along_axis(scores, best, axis=1), np.take_along_axis(ids, best, axis=1)


def _within_span(
    queries: np.ndarray, embeddings: np.ndarray, layout: _Layout, chunk: tuple[int, int, int, int], depth: int
) -> tuple[np.ndarray, np.ndarray]:
    """Candidates among the chunk's own documents (other than each row's own), compared directly."""
    first, last, span_start, span_end = chunk
    if layout.document[span_start] == layout.document[span_end - 1]:
        return np.zeros((last - first, 0), dtype=np.float32), np.zeros((last - first, 0), dtype=np.int64)
    # A chunk of several documents holds whole documents within QUERY_BATCH rows: a small matrix.
    scores = queries @ embeddings[span_start:span_end].T
    same = layout.document[first:last, None] == layout.document[None, span_start:span_end]
    scores[same] = -np.inf
    k = min(depth, span_end - span_start)
    best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    return np.take_along_axis(scores, best, axis=1), best + span_start


def _kept_pairs(
    first: int,
    scores: np.ndarray,
    ids: np.ndarray,
    layout: _Layout,
    threshold: float,
    neighbours: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, other row, score) of the candidates kept: above the threshold, the first ``neighbours``
    of each other document, the first MAX_MATCHES_PER_SENTENCE of each row."""
    rows = np.repeat(np.arange(first, first + len(scores)), scores.shape[1])
    scores, ids = scores.ravel(), ids.ravel()
    reached = (ids >= 0) & (scores >= threshold)
    rows, scores, ids = rows[reached], scores[reached], ids[reached]
    per_document = _occurrence_rank(rows * len(layout.starts) + layout.document[ids]) < neighbours
    rows, scores, ids = rows[per_document], scores[per_document], ids[per_document]
    per_row = _occurrence_rank(rows) < MAX_MATCHES_PER_SENTENCE
    return rows[per_row], ids[per_row], scores[per_row]


def _occurrence_rank(keys: np.ndarray) -> np.ndarray:
    """For each element, how many equal keys come before it: [7, 3, 7, 7, 3] -> [0, 0, 1, 2, 1]."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    group_start = np.ones(len(keys), dtype=bool)
    group_start[1:] = ordered[1:] != ordered[:-1]
    positions = np.arange(len(keys))
    rank = np.empty(len(keys), dtype=np.int64)
    rank[order] = positions - np.maximum.accumulate(np.where(group_start, positions, 0))
    return rank


def _best_of_duplicates(
    pairs: list[tuple[np.ndarray, np.ndarray, np.ndarray]], size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each unordered pair once, with its best score, sorted: found from both sides, it is one pair."""
    if not pairs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    rows = np.concatenate([row for row, _, _ in pairs])
    others = np.concatenate([other for _, other, _ in pairs])
    scores = np.concatenate([score for _, _, score in pairs])
    low, high = np.minimum(rows, others), np.maximum(rows, others)
    keys = low * size + high
    order = np.lexsort((-scores, keys))
    first_of_key = np.ones(len(order), dtype=bool)
    first_of_key[1:] = keys[order][1:] != keys[order][:-1]
    chosen = order[first_of_key]
    return low[chosen], high[chosen], scores[chosen]
