"""A persistent index of source articles: ingest, segment and embed the sources once, reuse them on every run.

On-disk layout of an index directory::

    DIR/
      CURRENT                 {"format_version", "generation", "sources"}: the live generation (replaced atomically)
      .lock                   held (flock) while a build runs
      gen-<id>/
        manifest.json         format/tool versions, model, sources, every source file with its sha256,
                              per document: doc_id, path, sha256, sentence count, first row;
                              sha256 of each file below
        corpus.json           the Corpus (Documents and skipped files)
        sentences.json        {doc_id: [[start, end], ...]}: each sentence is Document.text[start:end]
        embeddings.npy        float32 (rows, dimensions), rows in (doc_id, sentence index) order
        faiss.index           faiss.IndexFlatIP over the same rows (checked against embeddings.npy on load)
        parses.spacy          each document's sentence parses (a spaCy DocBin), one after another;
                              the manifest gives each document's offset and size

A build writes a new generation beside the live one and then replaces ``CURRENT``, so an
interrupted build leaves the previous index in use; old generations are deleted afterwards.
Rebuilds reuse the stored vector and parse of every sentence whose text is unchanged (under the
same model and parser), so only new or edited text is embedded and parsed. A draft checked against
the index is compared with stored parses: only the draft's own sentences are parsed.

Nothing here prints: problems are raised (:class:`SourceIndexError`) or returned as warnings.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from checker import __version__
from checker.cache import embedder_identity
from checker.embed import Embedder, embed_in_chunks
from checker.errors import CheckError, UsageError
from checker.frames import parse, parser_identity, parses_from_bytes, parses_to_bytes
from checker.ingest import FORMATS, load_corpus
from checker.models import Corpus, Precomputed, Sentence
from checker.segment import segment

FORMAT_VERSION = 2
POINTER = "CURRENT"
LOCK = ".lock"
MANIFEST = "manifest.json"
CORPUS = "corpus.json"
SENTENCES = "sentences.json"
EMBEDDINGS = "embeddings.npy"
FAISS_INDEX = "faiss.index"
PARSES = "parses.spacy"
ARTIFACTS = (CORPUS, SENTENCES, EMBEDDINGS, FAISS_INDEX, PARSES)
PARSE_CHUNK = 256
_GENERATION_PREFIX = "gen-"

Progress = Callable[[str, int, int], None]
Exclude = Callable[[Path], bool]
VERIFIED_ARTIFACTS = (CORPUS, SENTENCES, EMBEDDINGS, PARSES)


def _schema_fingerprint() -> str:
    """Changes whenever the stored records change shape, so an index from other code is rebuilt, not misread."""
    schemas = [Corpus.model_json_schema(), Sentence.model_json_schema()]
    return hashlib.sha256(json.dumps(schemas, sort_keys=True).encode()).hexdigest()[:16]


SCHEMA = _schema_fingerprint()


# --------------------------------------------------------------------------- errors


class SourceIndexError(CheckError):
    """A source index that exists but cannot be used as it is: damaged, outdated, another model, stale."""

    def __init__(self, directory: Path | str, problem: str, advice: str | None = None) -> None:
        advice = advice or "it will be rebuilt from its sources"
        super().__init__(f"source index at {directory}: {problem}; {advice}")
        self.directory = str(directory)
        self.problem = problem


class StaleIndexError(SourceIndexError):
    """The source files changed since the index was built."""

    def __init__(self, directory: Path | str, changes: list[str]) -> None:
        shown = "; ".join(changes[:5]) + (f"; and {len(changes) - 5} more" if len(changes) > 5 else "")
        super().__init__(directory, f"the sources changed since it was built ({shown})", "it will be refreshed")
        self.changes = changes


class NoIndexError(UsageError):
    """No index at the directory."""

    def __init__(self, directory: Path | str) -> None:
        super().__init__(f"no source index at {directory} (build it with: check --write-index {directory} SOURCES...)")
        self.directory = str(directory)


# --------------------------------------------------------------------------- records


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IndexedSource(_Record):
    argument: str = Field(description="the path as given on the command line")
    location: str = Field(description="the path relative to the index directory (absolute when it cannot be)")
    is_dir: bool


class IndexedFile(_Record):
    source: int = Field(description="position of the source argument it was found under")
    name: str = Field(description="path relative to that argument, POSIX separators (a file argument: its name)")
    sha256: str | None = Field(description="of the file bytes; None for files that are never read")
    excluded: bool = Field(False, description="left out by the exclude rules the index was built with")


class IndexedDocument(_Record):
    doc_id: str
    path: str = Field(description="Document.path")
    file: str = Field(description="the file relative to the index directory (absolute when it cannot be)")
    sha256: str
    sentences: int
    first_row: int
    parse_offset: int = Field(description="where its parses start in parses.spacy")
    parse_size: int = Field(description="bytes of its parses in parses.spacy")


class Manifest(_Record):
    format_version: int
    tool: str = "check"
    tool_version: str
    schema_fingerprint: str = Field(description="of the stored record types (Corpus, Sentence)")
    model: str
    model_identity: str = Field(description="model name plus a fingerprint of its files")
    parser: str = Field(description="the spaCy pipeline and version the parses come from")
    created: str
    sources: list[IndexedSource]
    files: list[IndexedFile]
    documents: list[IndexedDocument] = Field(description="sorted by doc_id, the order of the embedding rows")
    skipped: int
    rows: int
    dimensions: int
    artifacts: dict[str, str] = Field(description="sha256 of each stored file")


class IndexSummary(BaseModel):
    directory: str
    model: str
    documents: int
    skipped: int
    sentences: int
    embedded: int = Field(description="sentences sent to the embedder")
    reused: int = Field(description="sentences whose stored vector was reused")
    added: list[str] = []
    changed: list[str] = []
    removed: list[str] = []
    unchanged: int = 0
    seconds: float
    warnings: list[str] = []


class SourceIndex(BaseModel):
    """A loaded index: the sources as the pipeline needs them, with their vectors and FAISS index."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    directory: Path
    manifest: Manifest
    corpus: Corpus
    sentences: dict[str, list[Sentence]]
    owners: list[tuple[str, int]] = Field(description="(doc_id, sentence index) of each embedding row")
    embeddings: np.ndarray
    faiss_index: Any
    parse_data: bytes = Field(repr=False)
    _parses: dict[str, list[Any] | None] = PrivateAttr(default_factory=dict)

    @property
    def model(self) -> str:
        return self.manifest.model

    def rows(self, doc_id: str) -> slice:
        """The embedding rows of one document's sentences."""
        entry = next(document for document in self.manifest.documents if document.doc_id == doc_id)
        return slice(entry.first_row, entry.first_row + entry.sentences)

    @property
    def vectors(self) -> dict[str, np.ndarray]:
        """doc_id → that document's sentence vectors, one row per sentence in order (views, not copies)."""
        return {
            entry.doc_id: self.embeddings[entry.first_row : entry.first_row + entry.sentences]
            for entry in self.manifest.documents
        }

    @property
    def precomputed(self) -> Precomputed:
        """The stored sentences, vectors and parses: what the pipeline need not segment, embed or parse again."""
        return Precomputed(sentences=self.sentences, vectors=self.vectors, parses=self.parses)

    def parses(self, doc_id: str) -> list[Any] | None:
        """One document's stored sentence parses (spaCy Docs), read on first use: a draft is compared
        with few of the documents, and reading them all would cost more than it saves."""
        if doc_id not in self._parses:
            entry = next((document for document in self.manifest.documents if document.doc_id == doc_id), None)
            self._parses[doc_id] = (
                parses_from_bytes(self.parse_data[entry.parse_offset : entry.parse_offset + entry.parse_size])
                if entry is not None
                else None
            )
        return self._parses[doc_id]

    def with_draft(self, draft: Corpus) -> Corpus:
        """The sources plus the draft's documents; a draft document may not reuse a source's doc_id."""
        clashes = sorted({document.doc_id for document in draft.documents} & set(self.sentences))
        if clashes:
            raise UsageError(f"{clashes[0]} is both a draft and an indexed source; rename one of them")
        return Corpus(
            documents=[*self.corpus.documents, *draft.documents],
            skipped=[*self.corpus.skipped, *draft.skipped],
        )

    def search(self, queries: np.ndarray, k: int) -> list[list[tuple[str, int, float]]]:
        """The k nearest source sentences of each query row, as (doc_id, sentence index, cosine)."""
        k = min(k, len(self.owners))
        if k == 0 or len(queries) == 0:
            return [[] for _ in range(len(queries))]
        scores, ids = self.faiss_index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
        return [
            [(*self.owners[int(row)], float(score)) for score, row in zip(row_scores, row_ids) if row >= 0]
            for row_scores, row_ids in zip(scores, ids)
        ]


class IndexLoad(BaseModel):
    """What :func:`load_or_rebuild` did: the index, whether it was (re)built and why."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    index: SourceIndex
    rebuilt: bool
    created: bool = Field(False, description="there was no index yet: this build is its first")
    reason: str | None = None
    summary: IndexSummary | None = None
    warnings: list[str] = []

    def notes(self, directory: Path) -> list[str]:
        """What the user should hear about the load: a first build, or a rebuild and its reason; then any warnings."""
        if self.created:
            built = [f"source index {directory} built"]
        else:
            built = [f"source index {directory} rebuilt: {self.reason}"] if self.rebuilt else []
        return [*built, *self.warnings]


# --------------------------------------------------------------------------- build


def build_index(
    paths: Sequence[Path],
    directory: Path,
    embedder: Embedder,
    progress: Progress | None = None,
    exclude: Exclude | None = None,
) -> IndexSummary:
    """Index the articles under ``paths`` into ``directory``, re-embedding only text not indexed before.

    ``exclude`` is passed to :func:`~checker.ingest.load_corpus`; the files it leaves out are recorded
    as such, so that changes to them do not make the index stale.
    """
    started = time.perf_counter()
    directory = Path(directory)
    paths = [Path(path) for path in paths]
    if not paths:
        raise UsageError("no sources to index")
    if directory.exists() and not directory.is_dir():
        raise UsageError(f"cannot write a source index to {directory}: it is not a directory")
    _refuse_index_inside_sources(directory, paths)
    progress = progress or (lambda stage, done, total: None)
    identity = embedder_identity(embedder)
    warnings: list[str] = []

    corpus = load_corpus(paths, exclude)
    sources, files, digests = _list_sources(paths, directory, exclude)
    sentences = {document.doc_id: segment(document) for document in corpus.documents}
    documents = sorted(corpus.documents, key=lambda document: document.doc_id)
    ordered = [sentence for document in documents for sentence in sentences[document.doc_id]]

    directory.mkdir(parents=True, exist_ok=True)
    with _build_lock(directory):
        previous = _previous_index(directory, warnings)
        known: dict[str, np.ndarray] = {}
        if previous is not None and previous.manifest.model_identity == identity:
            for (doc_id, position), row in zip(previous.owners, previous.embeddings):
                known.setdefault(previous.sentences[doc_id][position].text, row)
        parsed = _parse_all(ordered, previous, progress)
        missing = list(dict.fromkeys(sentence.text for sentence in ordered if sentence.text not in known))
        fresh = _embed(embedder, missing, progress)
        if fresh is not None and known and fresh.shape[1] != previous.manifest.dimensions:
            warnings.append(
                f"the model now gives {fresh.shape[1]}-dimensional vectors where the index held "
                f"{previous.manifest.dimensions}; every sentence was embedded again"
            )
            known = {}
            missing = list(dict.fromkeys(sentence.text for sentence in ordered))
            fresh = _embed(embedder, missing, progress)
        if fresh is not None:
            dimensions = int(fresh.shape[1])
        else:
            dimensions = previous.manifest.dimensions if known else 0
        computed = dict(zip(missing, fresh)) if fresh is not None else {}
        matrix = np.zeros((len(ordered), dimensions), dtype=np.float32)
        for row, sentence in enumerate(ordered):
            matrix[row] = computed[sentence.text] if sentence.text in computed else known[sentence.text]

        indexed_documents = []
        parse_blobs = []
        row = offset = 0
        for document in documents:
            file_path = os.path.abspath(document.path)
            digest = digests.get(file_path) or _sha256_file(Path(file_path))
            blob = parses_to_bytes([parsed[sentence.text] for sentence in sentences[document.doc_id]])
            indexed_documents.append(
                IndexedDocument(
                    doc_id=document.doc_id,
                    path=document.path,
                    file=_relative_to(directory, file_path),
                    sha256=digest,
                    sentences=len(sentences[document.doc_id]),
                    first_row=row,
                    parse_offset=offset,
                    parse_size=len(blob),
                )
            )
            parse_blobs.append(blob)
            row += len(sentences[document.doc_id])
            offset += len(blob)

        manifest = Manifest(
            format_version=FORMAT_VERSION,
            tool_version=__version__,
            schema_fingerprint=SCHEMA,
            model=embedder.name,
            model_identity=identity,
            parser=parser_identity(),
            created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            sources=sources,
            files=files,
            documents=indexed_documents,
            skipped=len(corpus.skipped),
            rows=len(ordered),
            dimensions=dimensions,
            artifacts={},
        )
        stored = Corpus(documents=documents, skipped=corpus.skipped)
        _write_generation(directory, manifest, stored, sentences, matrix, b"".join(parse_blobs))

    old = {entry.doc_id: entry.sha256 for entry in previous.manifest.documents} if previous else {}
    new = {entry.doc_id: entry.sha256 for entry in indexed_documents}
    return IndexSummary(
        directory=str(directory),
        model=embedder.name,
        documents=len(documents),
        skipped=len(corpus.skipped),
        sentences=len(ordered),
        embedded=len(missing),
        reused=sum(sentence.text not in computed for sentence in ordered),
        added=sorted(set(new) - set(old)),
        changed=sorted(doc_id for doc_id in set(new) & set(old) if new[doc_id] != old[doc_id]),
        removed=sorted(set(old) - set(new)),
        unchanged=sum(old.get(doc_id) == digest for doc_id, digest in new.items()),
        seconds=round(time.perf_counter() - started, 4),
        warnings=warnings,
    )


def _embed(embedder: Embedder, texts: list[str], progress: Progress) -> np.ndarray | None:
    """The texts' vectors; None when there are none, so the index keeps its dimensions."""
    return embed_in_chunks(embedder, texts, progress) if texts else None


def _parse_all(ordered: list[Sentence], previous: SourceIndex | None, progress: Progress) -> dict[str, Any]:
    """Every sentence's parse by its text: the previous index's when it has one from the same parser."""
    known: dict[str, Any] = {}
    if previous is not None and previous.manifest.parser == parser_identity():
        wanted = {sentence.text for sentence in ordered}
        for entry in previous.manifest.documents:
            if any(sentence.text in wanted for sentence in previous.sentences[entry.doc_id]):
                known.update((doc.text, doc) for doc in previous.parses(entry.doc_id) or [])
    missing = list(dict.fromkeys(sentence.text for sentence in ordered if sentence.text not in known))
    for start in range(0, len(missing), PARSE_CHUNK):
        chunk = missing[start : start + PARSE_CHUNK]
        known.update(zip(chunk, parse(chunk)))
        progress("parse", min(start + PARSE_CHUNK, len(missing)), len(missing))
    return known


def _previous_index(directory: Path, warnings: list[str]) -> SourceIndex | None:
    """The live index, intact, even when built by another version of check (its vectors stay valid)."""
    try:
        generation = _read_pointer(directory)
        if generation is None:
            return None
        return _read_generation(directory, generation, same_version=False)
    except SourceIndexError as error:
        warnings.append(f"the previous index could not be read ({error.problem}); every sentence was embedded again")
        return None


def _write_generation(
    directory: Path,
    manifest: Manifest,
    corpus: Corpus,
    sentences: dict[str, list[Sentence]],
    matrix: np.ndarray,
    parses: bytes,
) -> None:
    import faiss

    name = f"{_GENERATION_PREFIX}{time.strftime('%Y%m%d%H%M%S', time.gmtime())}-{uuid.uuid4().hex[:8]}"
    target = directory / name
    target.mkdir()
    try:
        # A file name that is not UTF-8 cannot go into JSON as such: Document.path is only a hint
        # here (load_index sets it from the manifest, whose JSON keeps such names exactly).
        documents = [document.model_copy(update={"path": _printable(document.path)}) for document in corpus.documents]
        stored = corpus.model_copy(update={"documents": documents})
        (target / CORPUS).write_bytes(stored.model_dump_json().encode())
        spans = {doc_id: [[s.start, s.end] for s in sentences[doc_id]] for doc_id in sorted(sentences)}
        (target / SENTENCES).write_text(json.dumps(spans, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        with open(target / EMBEDDINGS, "wb") as handle:
            np.save(handle, matrix, allow_pickle=False)
        flat = faiss.IndexFlatIP(max(matrix.shape[1], 1))
        if len(matrix):
            flat.add(matrix)
        faiss.write_index(flat, str(target / FAISS_INDEX))
        (target / PARSES).write_bytes(parses)
        artifacts = {artifact: _sha256_file(target / artifact) for artifact in ARTIFACTS}
        final = manifest.model_copy(update={"artifacts": artifacts})
        (target / MANIFEST).write_text(json.dumps(final.model_dump(), indent=1), encoding="ascii")
        for artifact in (*ARTIFACTS, MANIFEST):
            _fsync(target / artifact)
        _fsync_directory(target)
        pointer = {
            "format_version": FORMAT_VERSION,
            "generation": name,
            "sources": [source.model_dump() for source in manifest.sources],
        }
        staging = directory / f"{POINTER}.{uuid.uuid4().hex[:8]}.tmp"
        staging.write_text(json.dumps(pointer, indent=1))
        _fsync(staging)
        os.replace(staging, directory / POINTER)
        _fsync_directory(directory)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        for leftover in directory.glob(f"{POINTER}.*.tmp"):
            leftover.unlink(missing_ok=True)
        raise
    _remove_old_generations(directory, keep=name)


def _remove_old_generations(directory: Path, keep: str) -> None:
    for entry in directory.iterdir():
        if entry.name.startswith(_GENERATION_PREFIX) and entry.name != keep and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def _build_lock(directory: Path) -> Iterator[None]:
    """One build at a time per directory (advisory; readers never wait)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: builds still never corrupt the live generation
        yield
        return
    with open(directory / LOCK, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- load


def load_index(
    directory: Path,
    expected_model: str,
    *,
    expected_identity: str | None = None,
    check_sources: bool = True,
    exclude: Exclude | None = None,
) -> SourceIndex:
    """The index at ``directory``, verified: stored files intact, same format, model and sources.

    Raises :class:`NoIndexError` (a UsageError) when there is none, :class:`SourceIndexError`
    when it cannot be trusted, :class:`StaleIndexError` when source files that still exist at
    their recorded places changed, appeared or disappeared (or, given ``exclude``, when the
    rules now leave out or take in other files than when it was built).
    """
    directory = Path(directory)
    generation = _read_pointer(directory)
    if generation is None:
        raise NoIndexError(directory)
    index = _read_generation(directory, generation)
    manifest = index.manifest
    if manifest.model != expected_model:
        raise SourceIndexError(
            directory, f"it was built with the model {manifest.model!r}, this run uses {expected_model!r}"
        )
    if expected_identity is not None and manifest.model_identity != expected_identity:
        raise SourceIndexError(
            directory,
            f"it was built with different files of the model {manifest.model!r} "
            f"({manifest.model_identity}, this run uses {expected_identity})",
        )
    if manifest.parser != parser_identity():
        raise SourceIndexError(
            directory, f"its parses come from {manifest.parser}, this run uses {parser_identity()}"
        )
    if check_sources:
        changes = source_changes(directory, manifest, exclude)
        if changes:
            raise StaleIndexError(directory, changes)
    # Document.path as seen from here: reports cite it (CI annotations), and the build may have run elsewhere.
    files = {entry.doc_id: _path_from_here(directory, entry) for entry in manifest.documents}
    corpus = index.corpus.model_copy(
        update={"documents": [doc.model_copy(update={"path": files[doc.doc_id]}) for doc in index.corpus.documents]}
    )
    return index.model_copy(update={"corpus": corpus})


def load_or_rebuild(
    directory: Path,
    sources: Sequence[Path] | None,
    embedder: Embedder,
    progress: Progress | None = None,
    exclude: Exclude | None = None,
) -> IndexLoad:
    """Load the index, or (re)build it when missing, unusable or stale; never returns a stale index.

    ``sources`` default to those the index was built from. A rebuild re-embeds only text that is
    not in the old index. Raises :class:`NoIndexError` when there is no index and no sources, and
    :class:`SourceIndexError` when the index is unusable and its sources are unknown.
    """
    directory = Path(directory)
    identity = embedder_identity(embedder)
    created = False
    try:
        index = load_index(directory, embedder.name, expected_identity=identity, exclude=exclude)
        if sources is None or _same_sources(index.manifest.sources, sources, directory):
            return IndexLoad(index=index, rebuilt=False)
        reason = "the index was built from other sources"
        paths = list(sources)
    except NoIndexError:
        if not sources:
            raise
        reason, created = f"no source index at {directory} yet", True
        paths = list(sources)
    except SourceIndexError as error:
        reason = str(error)
        paths = list(sources) if sources else _recorded_sources(directory)
        if not paths:
            raise SourceIndexError(
                directory,
                f"{error.problem}, and the sources it was built from are not found",
                f"rebuild it with: check --write-index {directory} SOURCES...",
            ) from error
    summary = build_index(paths, directory, embedder, progress, exclude)
    index = load_index(directory, embedder.name, expected_identity=identity, check_sources=False)
    return IndexLoad(
        index=index, rebuilt=True, created=created, reason=reason, summary=summary, warnings=summary.warnings
    )


def _read_pointer(directory: Path) -> str | None:
    """The live generation's name; None when there is no index at all."""
    pointer = directory / POINTER
    if not directory.is_dir() or not pointer.exists():
        return None
    try:
        data = json.loads(pointer.read_text(encoding="utf-8"))
        generation = data["generation"]
        version = data["format_version"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SourceIndexError(directory, f"{POINTER} is unreadable ({_short(error)})") from error
    if version != FORMAT_VERSION:
        raise SourceIndexError(directory, f"it has format version {version}, this check reads {FORMAT_VERSION}")
    if not isinstance(generation, str) or not generation.startswith(_GENERATION_PREFIX) or "/" in generation:
        raise SourceIndexError(directory, f"{POINTER} names no generation")
    return generation


def _read_generation(directory: Path, generation: str, same_version: bool = True) -> SourceIndex:
    where = directory / generation
    if not where.is_dir():
        raise SourceIndexError(directory, f"its files ({generation}) are missing")
    manifest = _read_manifest(directory, where, same_version)
    blobs = {}
    for artifact in VERIFIED_ARTIFACTS:
        try:
            data = (where / artifact).read_bytes()
        except OSError as error:
            raise SourceIndexError(directory, f"{artifact} is unreadable ({_short(error)})") from error
        if hashlib.sha256(data).hexdigest() != manifest.artifacts.get(artifact):
            raise SourceIndexError(directory, f"{artifact} is damaged (its checksum does not match the manifest)")
        blobs[artifact] = data
    try:
        corpus = Corpus.model_validate_json(blobs[CORPUS])
        spans = json.loads(blobs[SENTENCES])
    except ValueError as error:  # pydantic's ValidationError included
        raise SourceIndexError(directory, f"its stored documents are invalid ({_short(error)})") from error
    embeddings = _array_from_npy(directory, blobs[EMBEDDINGS])
    sentences, owners = _check_consistency(directory, manifest, corpus, spans, embeddings)
    faiss_index = _read_faiss(directory, where / FAISS_INDEX, embeddings)
    return SourceIndex(
        directory=directory,
        manifest=manifest,
        corpus=corpus,
        sentences=sentences,
        owners=owners,
        embeddings=embeddings,
        faiss_index=faiss_index,
        parse_data=blobs[PARSES],
    )


def _array_from_npy(directory: Path, data: bytes) -> np.ndarray:
    """The matrix in an .npy file's bytes, without copying them."""
    try:
        stream = io.BytesIO(data)
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            raise ValueError(f"unknown .npy version {version}")
        if fortran or dtype != np.dtype("<f4") or len(shape) != 2:
            raise ValueError(f"{dtype} array of shape {shape}")
        array = np.frombuffer(data, dtype=np.float32, count=shape[0] * shape[1], offset=stream.tell())
        return array.reshape(shape)
    except (ValueError, OSError, EOFError) as error:
        raise SourceIndexError(directory, f"{EMBEDDINGS} is unreadable ({_short(error)})") from error


def _read_faiss(directory: Path, path: Path, embeddings: np.ndarray) -> Any:
    """The stored FAISS index, which must hold exactly the (checksummed) embeddings."""
    import faiss

    try:
        index = faiss.read_index(str(path))
    except RuntimeError as error:
        raise SourceIndexError(directory, f"{FAISS_INDEX} is unreadable ({_short(error)})") from error
    rows, dimensions = embeddings.shape
    if index.ntotal != rows or (rows and index.d != dimensions):
        holds = f"it holds {index.ntotal} vectors of {index.d} dimensions"
        raise SourceIndexError(directory, f"{FAISS_INDEX} is damaged ({holds})")
    if rows and not np.array_equal(index.reconstruct_n(0, rows), embeddings):
        raise SourceIndexError(directory, f"{FAISS_INDEX} is damaged (its vectors differ from {EMBEDDINGS})")
    return index


def _read_manifest(directory: Path, where: Path, same_version: bool) -> Manifest:
    try:
        data = json.loads((where / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SourceIndexError(directory, f"{MANIFEST} is unreadable ({_short(error)})") from error
    version = data.get("format_version") if isinstance(data, dict) else None
    if version != FORMAT_VERSION:
        raise SourceIndexError(directory, f"it has format version {version}, this check reads {FORMAT_VERSION}")
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as error:
        raise SourceIndexError(directory, f"{MANIFEST} is invalid ({_short(error)})") from error
    if not same_version:
        return manifest
    if manifest.schema_fingerprint != SCHEMA:
        raise SourceIndexError(directory, "it stores documents in a layout this version of check does not read")
    if manifest.tool_version != __version__:
        # Segmentation and cleaning may differ between versions; vectors are reused by the rebuild.
        raise SourceIndexError(directory, f"it was built by check {manifest.tool_version}, this is check {__version__}")
    return manifest


def _check_consistency(
    directory: Path,
    manifest: Manifest,
    corpus: Corpus,
    spans: dict[str, list[list[int]]],
    embeddings: np.ndarray,
) -> tuple[dict[str, list[Sentence]], list[tuple[str, int]]]:
    def fail(problem: str) -> SourceIndexError:
        return SourceIndexError(directory, f"its files do not agree: {problem}")

    expected_ids = [entry.doc_id for entry in manifest.documents]
    if [document.doc_id for document in corpus.documents] != expected_ids or list(spans) != expected_ids:
        raise fail("the documents differ between the manifest, corpus and sentences")
    if len(corpus.skipped) != manifest.skipped:
        raise fail("the number of skipped files differs")
    sentences: dict[str, list[Sentence]] = {}
    owners: list[tuple[str, int]] = []
    for entry, document in zip(manifest.documents, corpus.documents):
        listed = spans[entry.doc_id]
        if len(listed) != entry.sentences or entry.first_row != len(owners):
            raise fail(f"{entry.doc_id} has {len(listed)} sentences, the manifest says {entry.sentences}")
        text = document.text
        previous_end = 0
        built = []
        for position, (start, end) in enumerate(listed):
            if not (isinstance(start, int) and isinstance(end, int) and previous_end <= start < end <= len(text)):
                raise fail(f"sentence {position} of {entry.doc_id} lies outside its document")
            previous_end = end
            built.append(Sentence(doc_id=entry.doc_id, index=position, start=start, end=end, text=text[start:end]))
            owners.append((entry.doc_id, position))
        sentences[entry.doc_id] = built
    if len(owners) != manifest.rows:
        raise fail(f"{len(owners)} sentences, the manifest says {manifest.rows} rows")
    if embeddings.shape != (manifest.rows, manifest.dimensions):
        expected = (manifest.rows, manifest.dimensions)
        raise fail(f"embeddings of shape {embeddings.shape}, the manifest says {expected}")
    return sentences, owners


# --------------------------------------------------------------------------- sources on disk


def source_changes(directory: Path, manifest: Manifest, exclude: Exclude | None = None) -> list[str]:
    """What changed under the recorded sources that still exist: '<name> changed', 'new file <name>', ...

    Without ``exclude`` a new file counts even if the build's rules would leave it out (a rebuild
    then records it as excluded); with it, files the rules now treat differently count too.
    """
    changes: list[str] = []
    recorded: dict[int, dict[str, IndexedFile]] = {}
    for entry in manifest.files:
        recorded.setdefault(entry.source, {})[entry.name] = entry
    for position, source in enumerate(manifest.sources):
        root = _resolve(directory, source.location)
        if not os.path.exists(root):
            continue  # the sources are not on this machine: the index is all there is
        if os.path.isdir(root) != source.is_dir:
            changes.append(f"{source.argument} is no longer a {'directory' if source.is_dir else 'file'}")
            continue
        before = recorded.get(position, {})
        now = dict(_files_under(Path(root), source.is_dir))
        for name in sorted(set(before) | set(now)):
            entry = before.get(name)
            left_out = source.is_dir and exclude is not None and name in now and exclude(now[name])
            if name not in now:
                if not entry or not entry.excluded:
                    changes.append(f"{name} was removed")
            elif entry is None:
                if not left_out:
                    changes.append(f"new file {name}")
            elif exclude is not None and source.is_dir and left_out != entry.excluded:
                changes.append(f"{name} is now {'excluded' if left_out else 'included'}")
            elif entry.sha256 is not None and _sha256_file(now[name]) != entry.sha256:
                changes.append(f"{name} changed")
    return changes


def _list_sources(
    paths: Sequence[Path], directory: Path, exclude: Exclude | None
) -> tuple[list[IndexedSource], list[IndexedFile], dict[str, str]]:
    """The source arguments, every file under them, and sha256 by absolute path of each article file."""
    sources, files, digests = [], [], {}
    for position, path in enumerate(paths):
        absolute = os.path.abspath(path)
        is_dir = os.path.isdir(absolute)
        sources.append(IndexedSource(argument=str(path), location=_relative_to(directory, absolute), is_dir=is_dir))
        for name, file_path in _files_under(path, is_dir):  # walked as load_corpus walks it, from the path given
            if is_dir and exclude is not None and exclude(file_path):
                files.append(IndexedFile(source=position, name=name, sha256=None, excluded=True))
                continue
            digest = _sha256_file(file_path) if file_path.suffix.lower() in FORMATS else None
            if digest is not None:
                digests[os.path.abspath(file_path)] = digest
            files.append(IndexedFile(source=position, name=name, sha256=digest))
    return sources, files, digests


def _files_under(root: Path, is_dir: bool) -> list[tuple[str, Path]]:
    """Every visible file under a source argument, as load_corpus walks it: (relative name, path)."""
    if not is_dir:
        return [(root.name, root)]
    found: list[tuple[str, Path]] = []
    visited = set()

    def identity(path: str) -> tuple[int, int] | None:
        try:
            status = os.stat(path)
        except OSError:
            return None
        return status.st_dev, status.st_ino

    visited.add(identity(str(root)))
    for current, subdirectories, names in os.walk(root, followlinks=True):
        kept = []
        for name in subdirectories:
            key = identity(os.path.join(current, name))
            if name.startswith(".") or key is None or key in visited:
                continue
            visited.add(key)
            kept.append(name)
        subdirectories[:] = kept
        for name in names:
            if not name.startswith("."):
                path = Path(current, name)
                found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def _recorded_sources(directory: Path) -> list[Path]:
    """The source arguments recorded in the pointer file, as paths usable from here (those that exist)."""
    try:
        data = json.loads((directory / POINTER).read_text(encoding="utf-8"))
        recorded = [IndexedSource.model_validate(source) for source in data["sources"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    paths = []
    for source in recorded:
        location = _resolve(directory, source.location)
        argument = os.path.abspath(source.argument)
        if not os.path.exists(location):
            continue
        if os.path.exists(argument) and os.path.samefile(argument, location):
            paths.append(Path(source.argument))  # as given, so document ids and paths come out the same
        else:
            paths.append(Path(location))
    return paths


def _same_sources(recorded: list[IndexedSource], sources: Sequence[Path], directory: Path) -> bool:
    wanted = [os.path.abspath(path) for path in sources]
    return wanted == [_resolve(directory, source.location) for source in recorded]


def _refuse_index_inside_sources(directory: Path, paths: Sequence[Path]) -> None:
    target = os.path.abspath(directory)
    for path in paths:
        root = os.path.abspath(path)
        if os.path.isdir(root) and os.path.commonpath([root, target]) == root:
            inside = os.path.relpath(target, root)
            if not any(part.startswith(".") for part in Path(inside).parts):
                raise UsageError(
                    f"the index directory {directory} is inside the source directory {path}: "
                    "its files would be read as sources; put it elsewhere or give it a name starting with '.'"
                )


def _path_from_here(directory: Path, entry: IndexedDocument) -> str:
    """The document's file as the user would name it from the current directory."""
    located = _resolve(directory, entry.file)
    if os.path.normpath(os.path.abspath(entry.path)) == located:
        return entry.path  # as given to the build, which ran from here
    try:
        relative = os.path.relpath(located)
    except ValueError:  # another drive
        return located
    return located if relative.startswith("..") else relative


def _relative_to(directory: Path, path: str) -> str:
    try:
        return Path(os.path.relpath(path, os.path.abspath(directory))).as_posix()
    except ValueError:  # another drive
        return path


def _resolve(directory: Path, location: str) -> str:
    return os.path.normpath(os.path.join(os.path.abspath(directory), location))


# --------------------------------------------------------------------------- small helpers


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_directory(path: Path) -> None:
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows cannot open directories
        return
    try:
        os.fsync(descriptor)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(descriptor)


def _printable(name: str) -> str:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:200]
