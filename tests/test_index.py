"""The FAISS stage: cross-document neighbours above a threshold, deterministic and symmetric."""

from __future__ import annotations

import numpy as np
import pytest

from checker import index as index_module
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


def test_a_single_document_has_no_matches() -> None:
    owners = [("only.txt", index) for index in range(4)]
    assert cross_document_matches(owners, unit([1, 0], [1, 0], [1, 0.1], [0, 1]), 0.0, neighbours=3) == []


def brute_force(owners: list[tuple[str, int]], embeddings: np.ndarray, threshold: float, neighbours: int) -> dict:
    """The specification, row by row: best first, ``neighbours`` per other document, the cap per sentence."""
    scores = embeddings @ embeddings.T
    found: dict = {}
    for row, owner in enumerate(owners):
        kept: dict[str, int] = {}
        for other in np.argsort(-scores[row], kind="stable"):
            if scores[row, other] < threshold or sum(kept.values()) >= index_module.MAX_MATCHES_PER_SENTENCE:
                break
            document = owners[other][0]
            if document == owner[0] or kept.get(document, 0) >= neighbours:
                continue
            kept[document] = kept.get(document, 0) + 1
            pair = tuple(sorted((owner, owners[other])))
            found[pair] = max(found.get(pair, -1.0), float(scores[row, other]))
    return found


def random_corpus(sizes: list[int], seed: int = 3) -> tuple[list[tuple[str, int]], np.ndarray]:
    """Clustered unit vectors (look-alike sentences across documents), documents of the given sizes."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(6, 16))
    owners = [(f"doc-{number:03d}.txt", index) for number, size in enumerate(sizes) for index in range(size)]
    vectors = centres[rng.integers(0, len(centres), len(owners))] + 0.6 * rng.normal(size=(len(owners), 16))
    return owners, (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


def as_dict(matches: list) -> dict:
    return {((m.doc_a, m.sentence_a), (m.doc_b, m.sentence_b)): m.similarity for m in matches}


@pytest.mark.parametrize("query_batch", [4, 7, 1024])
@pytest.mark.parametrize("sizes", [[3, 5, 2, 9, 1, 4], [40, 2, 3], [1, 1, 30, 1, 12], [2] * 25])
def test_chunked_search_finds_what_a_full_comparison_finds(
    monkeypatch: pytest.MonkeyPatch, sizes: list[int], query_batch: int
) -> None:
    # Deep enough that no document can crowd another out, so the result is exactly the specification.
    monkeypatch.setattr(index_module, "MAX_DEPTH", sum(sizes))
    monkeypatch.setattr(index_module, "MAX_MATCHES_PER_SENTENCE", 5)
    monkeypatch.setattr(index_module, "QUERY_BATCH", query_batch)
    owners, embeddings = random_corpus(sizes)
    matches = cross_document_matches(owners, embeddings, 0.2, neighbours=2)
    expected = brute_force(owners, embeddings, 0.2, neighbours=2)
    assert as_dict(matches).keys() == expected.keys()
    assert all(as_dict(matches)[pair] == pytest.approx(score, abs=1e-4) for pair, score in expected.items())
    keys = [((m.doc_a, m.sentence_a), (m.doc_b, m.sentence_b)) for m in matches]
    assert keys == sorted(keys) and all(a < b for a, b in keys)


def test_rows_in_any_order_give_the_same_matches() -> None:
    owners, embeddings = random_corpus([4, 6, 3, 5])
    shuffled = np.random.default_rng(1).permutation(len(owners))
    expected = cross_document_matches(owners, embeddings, 0.1, neighbours=2)
    assert cross_document_matches([owners[row] for row in shuffled], embeddings[shuffled], 0.1, neighbours=2) == expected


def test_pairs_stay_linear_in_look_alike_documents() -> None:
    # Every sentence of 400 files is close to every other: without the cap, about 700,000 pairs.
    owners = [(f"doc-{number:03d}.txt", index) for number in range(400) for index in range(3)]
    embeddings = unit(*([1.0, 0.01 * value] for value in range(len(owners))))
    matches = cross_document_matches(owners, embeddings, 0.35, neighbours=3)
    assert len(matches) <= len(owners) * index_module.MAX_MATCHES_PER_SENTENCE
    per_sentence: dict = {}
    for m in matches:
        for side in ((m.doc_a, m.sentence_a), (m.doc_b, m.sentence_b)):
            per_sentence[side] = per_sentence.get(side, 0) + 1
    assert len(per_sentence) == len(owners), "every sentence still has its nearest counterparts"


def test_a_long_document_is_searched_against_the_others_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "QUERY_BATCH", 8)
    # 50 identical sentences in one document and one like them elsewhere: its own rows never fill its depth.
    owners = [("big.txt", index) for index in range(50)] + [("small.txt", 0)]
    embeddings = unit(*([1.0, 0.0] for _ in range(51)))
    matches = cross_document_matches(owners, embeddings, 0.5, neighbours=1)
    assert {(m.doc_a, m.sentence_a) for m in matches} == {("big.txt", index) for index in range(50)}
    assert {(m.doc_b, m.sentence_b) for m in matches} == {("small.txt", 0)}


@pytest.mark.parametrize("sizes", [[1], [5, 5, 5], [3, 20, 1, 1, 9, 2], [8, 8]])
def test_chunks_cover_every_row_once_with_whole_documents(sizes: list[int]) -> None:
    owners, _ = random_corpus(sizes)
    layout = index_module._Layout.of(owners)
    chunks = list(layout.chunks(8))
    assert [row for first, last, _, _ in chunks for row in range(first, last)] == list(range(len(owners)))
    for first, last, span_start, span_end in chunks:
        assert last - first <= 8 and span_start <= first < last <= span_end
        documents = set(layout.document[span_start:span_end].tolist())
        assert len(documents) == 1 or (first, last) == (span_start, span_end)
