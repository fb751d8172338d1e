"""Nearest-neighbour search over sentence embeddings with a FAISS inner-product index."""

from __future__ import annotations

from collections import Counter

import numpy as np

from checker.models import SentenceMatch

MAX_DEPTH = 128
# A sentence with more close counterparts than this in a huge corpus of look-alike files gains
# nothing from the rest; the cap keeps memory linear in the corpus.
MAX_MATCHES_PER_SENTENCE = 32
QUERY_BATCH = 2048


class SentenceIndex:
    """Exact inner-product search: embeddings are unit length, so scores are cosine similarities."""

    def __init__(self, embeddings: np.ndarray) -> None:
        import faiss

        self.size = int(embeddings.shape[0])
        self._index = faiss.IndexFlatIP(int(embeddings.shape[1]) if embeddings.ndim == 2 and self.size else 1)
        if self.size:
            self._index.add(np.ascontiguousarray(embeddings, dtype=np.float32))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = min(k, self.size)
        if k == 0 or queries.shape[0] == 0:
            empty = np.zeros((queries.shape[0], 0))
            return empty.astype(np.float32), empty.astype(np.int64)
        return self._index.search(np.ascontiguousarray(queries, dtype=np.float32), k)


def cross_document_matches(
    owners: list[tuple[str, int]],
    embeddings: np.ndarray,
    threshold: float,
    neighbours: int,
) -> list[SentenceMatch]:
    """Pairs of sentences from different documents whose cosine similarity reaches the threshold.

    ``owners[i]`` is (doc_id, sentence index) of row i. Each sentence keeps its ``neighbours``
    nearest sentences from every other document. Each unordered pair is returned once, with the
    lexicographically smaller (doc_id, index) as side a.
    """
    index = SentenceIndex(embeddings)
    sentences_per_document = Counter(doc_id for doc_id, _ in owners)
    # Sentences of the same document use up slots, so ask for more than we keep; the cap bounds
    # memory on corpora of thousands of documents, where only the nearest few matter anyway.
    depth = min(neighbours * len(sentences_per_document) + max(sentences_per_document.values(), default=0), MAX_DEPTH)
    found: dict[tuple[tuple[str, int], tuple[str, int]], float] = {}
    for first in range(0, len(owners), QUERY_BATCH):
        scores, ids = index.search(embeddings[first : first + QUERY_BATCH], depth)
        for row, row_scores, row_ids in zip(range(first, first + QUERY_BATCH), scores, ids):
            _keep_nearest(row, row_scores, row_ids, owners, threshold, neighbours, found)
    return [
        SentenceMatch(doc_a=a[0], sentence_a=a[1], doc_b=b[0], sentence_b=b[1], similarity=round(score, 4))
        for (a, b), score in sorted(found.items())
    ]


def _keep_nearest(
    row: int,
    row_scores: np.ndarray,
    row_ids: np.ndarray,
    owners: list[tuple[str, int]],
    threshold: float,
    neighbours: int,
    found: dict[tuple[tuple[str, int], tuple[str, int]], float],
) -> None:
    kept: Counter[str] = Counter()
    for score, other in zip(row_scores, row_ids):
        if other < 0 or score < threshold or kept.total() >= MAX_MATCHES_PER_SENTENCE:
            break
        other_document = owners[other][0]
        if other_document == owners[row][0] or kept[other_document] >= neighbours:
            continue
        kept[other_document] += 1
        pair = tuple(sorted((owners[row], owners[int(other)])))
        found[pair] = max(found.get(pair, 0.0), float(score))
