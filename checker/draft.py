"""Draft mode: check drafts against source documents and give each of their claims a verdict."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from checker.embed import Embedder, embed_in_chunks
from checker.errors import UsageError
from checker.ingest import load_corpus, load_document
from checker.models import Corpus, Document, Precomputed, Sentence
from checker.pipeline import CheckOptions, CheckResult, Progress, Stopwatch, analyse, build_report, opened_index
from checker.segment import segment
from checker.verdicts import judge_claims


def check_drafts(
    draft_paths: Sequence[Path],
    source_paths: Sequence[Path] = (),
    index_directory: Path | None = None,
    options: CheckOptions | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    exclude: Callable[[Path], bool] | None = None,
) -> list[CheckResult]:
    """Check each draft against the same sources: one result per draft, in the order given.

    The sources are read, segmented and embedded once for all drafts. With ``index_directory``
    they come from that source index, which is built from ``source_paths`` when it is missing or
    was built from other sources, and refreshed when its sources changed; without
    ``source_paths`` the index is used as it is. Work done once for every draft (reading the
    sources, the index) is timed, and noted, in the first result.
    """
    if not draft_paths:
        raise UsageError("no drafts to check")
    options = options or CheckOptions()
    embedder = embedder or options.embedder()
    if index_directory is not None:
        return _check_drafts_against_index(
            draft_paths, source_paths, index_directory, options, embedder, progress, exclude
        )
    if not source_paths:
        raise UsageError("no sources to check the drafts against")
    stopwatch = Stopwatch()
    with stopwatch.stage("ingest"):
        sources = load_corpus(source_paths, exclude)
    with stopwatch.stage("segment"):
        sentences = {document.doc_id: segment(document) for document in sources.documents}
    with stopwatch.stage("embed"):
        precomputed = _with_vectors(sentences, embedder, progress)
    results = []
    for draft_path in draft_paths:
        results.append(_check_draft_file(draft_path, sources, precomputed, options, embedder, progress, stopwatch))
        stopwatch = Stopwatch()
    return results


def check_draft_paths(
    draft_path: Path,
    source_paths: Sequence[Path],
    options: CheckOptions | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    exclude: Callable[[Path], bool] | None = None,
) -> CheckResult:
    """Check one draft against the articles under ``source_paths``."""
    return check_drafts([draft_path], source_paths, None, options, embedder, progress, exclude)[0]


def check_draft_against_index(
    draft_path: Path,
    index_directory: Path,
    options: CheckOptions | None = None,
    progress: Progress | None = None,
    exclude: Callable[[Path], bool] | None = None,
) -> CheckResult:
    """Check one draft against a source index built by ``build_index``, refreshing it first when its
    sources changed; the index directory also caches the draft's sentence vectors."""
    return check_drafts([draft_path], (), index_directory, options, None, progress, exclude)[0]


def check_draft(
    draft: Document,
    sources: Corpus,
    options: CheckOptions | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    stopwatch: Stopwatch | None = None,
    precomputed: Precomputed | None = None,
) -> CheckResult:
    """Compare the draft with every source; sources are not compared among themselves.

    From a source index: ``check_draft(draft, index.corpus, ..., precomputed=index.precomputed)``."""
    stopwatch = stopwatch or Stopwatch()
    embedder = embedder or (options or CheckOptions()).embedder()
    same_file = [doc for doc in sources.documents if Path(doc.path).resolve() == Path(draft.path).resolve()]
    documents = [doc for doc in sources.documents if doc not in same_file]
    if not documents:
        raise UsageError("no source documents to check the draft against")
    if any(doc.doc_id == draft.doc_id for doc in documents):
        raise UsageError(f"a source is also named {draft.doc_id!r}; give the draft by another path")
    dated = _dated(draft, documents)
    notes = [] if dated is draft else [f"{draft.doc_id} has no date: read as of its newest source's, {dated.meta.published}"]
    draft = dated
    corpus = Corpus(documents=[*documents, draft], skipped=sources.skipped)
    analysis = analyse(corpus, options, embedder, progress, stopwatch, focus=draft.doc_id, precomputed=precomputed)
    with stopwatch.stage("verdicts"):
        claims = judge_claims(draft.doc_id, analysis.quantified, analysis.findings, analysis.context)
        claims = [claim for claim in claims if claim.kind in analysis.kinds]
    report = build_report(corpus, analysis, embedder.name, draft=draft.doc_id, claims=claims)
    return CheckResult(report=report, timings=stopwatch.rounded(), notes=notes)


def _dated(draft: Document, sources: list[Document]) -> Document:
    """A draft with no date of its own is read as of its newest source's date: it reports the
    sources' events, so its "Thursday", "last month" and titles speak of their time, not of today."""
    dates = sorted(doc.meta.published for doc in sources if doc.meta.published)
    if draft.meta.published or not dates:
        return draft
    return draft.model_copy(update={"meta": draft.meta.model_copy(update={"published": dates[-1]})})


def write_source_index(
    source_paths: Sequence[Path],
    index_directory: Path,
    options: CheckOptions | None = None,
    progress: Progress | None = None,
    exclude: Callable[[Path], bool] | None = None,
) -> str:
    """Build or refresh the source index; returns a one-line summary of what was done."""
    from checker.cache import CachedEmbedder
    from checker.store import build_index

    options = options or CheckOptions()
    with CachedEmbedder(options.embedder(), index_directory) as embedder:
        summary = build_index(source_paths, index_directory, embedder, progress, exclude)
    return (
        f"indexed {summary.documents} documents ({summary.sentences} sentences: {summary.embedded} embedded, "
        f"{summary.reused} reused) in {index_directory}"
    )


def _check_drafts_against_index(
    draft_paths: Sequence[Path],
    source_paths: Sequence[Path],
    index_directory: Path,
    options: CheckOptions,
    embedder: Embedder,
    progress: Progress | None,
    exclude: Callable[[Path], bool] | None,
) -> list[CheckResult]:
    stopwatch = Stopwatch()
    with opened_index(index_directory, source_paths, embedder, progress, exclude, stopwatch) as (cached, loaded):
        notes = loaded.notes(index_directory)
        sources, precomputed = loaded.index.corpus, loaded.index.precomputed
        results = []
        for draft_path in draft_paths:
            result = _check_draft_file(draft_path, sources, precomputed, options, cached, progress, stopwatch)
            results.append(result.model_copy(update={"notes": [*notes, *result.notes, *cached.take_warnings()]}))
            notes, stopwatch = [], Stopwatch()
    return results


def _check_draft_file(
    draft_path: Path,
    sources: Corpus,
    precomputed: Precomputed,
    options: CheckOptions,
    embedder: Embedder,
    progress: Progress | None,
    stopwatch: Stopwatch,
) -> CheckResult:
    with stopwatch.stage("ingest"):
        draft = load_document(draft_path, draft_path.as_posix())
    return check_draft(draft, sources, options, embedder, progress, stopwatch, precomputed=precomputed)


def _with_vectors(sentences: dict[str, list[Sentence]], embedder: Embedder, progress: Progress | None) -> Precomputed:
    """Each source's sentences with their vectors, computed once for every draft checked against them."""
    texts = [sentence.text for doc_id in sorted(sentences) for sentence in sentences[doc_id]]
    vectors = embed_in_chunks(embedder, texts, progress)
    by_document, row = {}, 0
    for doc_id in sorted(sentences):
        count = len(sentences[doc_id])
        by_document[doc_id] = vectors[row : row + count]
        row += count
    return Precomputed(sentences=sentences, vectors=by_document)
