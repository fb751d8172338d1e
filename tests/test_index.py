"""The FAISS stage: cross-document neighbours above a threshold, deterministic and symmetric."""

from __future__ import annotations

import numpy as np
import pytest

from checker.index import SentenceIndex, cross_document_matches


def unit(*rows: list[float]) -> np.ndarray:
    matrix = np.array(rows, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


OWNERS = [("a.txt", 0), ("a.txt", 1), ("b.txt", 0), ("b.txt", 1), ("c.txt", 0)]
EMBEDDINGS = unit([1, 0, 0], [0.9, 0.1, 0], [0.95, 0.05, 0], [0, 1, 0], [0, 0.2, 1])


def test_index_scores_are_cosine_similarities() -> None:
    scores, ids = SentenceIndex(EMBEDDINGS).search(EMBEDDINGS[:1], 2)
    assert ids[0][0] == 0
    assert scores[0][0] == pytest.approx(1.0, abs=1e-5)


def test_empty_index_returns_no_neighbours() -> None:
    scores, ids = SentenceIndex(np.zeros((0, 3), dtype=np.float32)).search(np.zeros((1, 3), dtype=np.float32), 5)
    assert ids.shape == (1, 0)


@pytest.mark.parametrize(
    ("threshold", "expected"),
    [
        (0.9985, {(("a.txt", 0), ("b.txt", 0))}),
        (0.9, {(("a.txt", 0), ("b.txt", 0)), (("a.txt", 1), ("b.txt", 0))}),
        (1.01, set()),
    ],
)
def test_matches_cross_documents_only_above_threshold(threshold: float, expected: set) -> None:
    matches = cross_document_matches(OWNERS, EMBEDDINGS, threshold, neighbours=4)
    found = {((m.doc_a, m.sentence_a), (m.doc_b, m.sentence_b)) for m in matches}
    assert found == expected
    assert all(m.doc_a != m.doc_b for m in matches)


def test_each_pair_reported_once_with_sorted_sides() -> None:
    matches = cross_document_matches(OWNERS, EMBEDDINGS, 0.0, neighbours=10)
    keys = [((m.doc_a, m.sentence_a), (m.doc_b, m.sentence_b)) for m in matches]
    assert len(keys) == len(set(keys))
    assert all(a < b for a, b in keys)
    assert keys == sorted(keys)


def test_neighbour_limit_applies_per_other_document() -> None:
    matches = cross_document_matches(OWNERS, EMBEDDINGS, 0.0, neighbours=1)
    from_first = [(m.doc_b, m.sentence_b) for m in matches if (m.doc_a, m.sentence_a) == ("a.txt", 0)]
    assert from_first == [("b.txt", 0), ("c.txt", 0)]
