"""Draft mode: check one draft against source documents and give each of its claims a verdict."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

from checker.embed import Embedder
from checker.errors import UsageError
from checker.ingest import load_corpus, load_document
from checker.models import Corpus, Document, Sentence
from checker.pipeline import CheckOptions, CheckResult, Progress, Stopwatch, analyse, build_report
from checker.verdicts import judge_claims


def check_draft_paths(
    draft_path: Path,
    source_paths: Sequence[Path],
    options: CheckOptions | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    exclude: Callable[[Path], bool] | None = None,
) -> CheckResult:
    stopwatch = Stopwatch()
    with stopwatch.stage("ingest"):
        draft = load_document(draft_path, draft_path.as_posix())
        sources = load_corpus(source_paths, exclude)
    return check_draft(draft, sources, options, embedder, progress, stopwatch)


def check_draft(
    draft: Document,
    sources: Corpus,
    options: CheckOptions | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    stopwatch: Stopwatch | None = None,
    precomputed: Mapping[str, tuple[list[Sentence], np.ndarray]] | None = None,
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
    corpus = Corpus(documents=[*documents, draft], skipped=sources.skipped)
    analysis = analyse(corpus, options, embedder, progress, stopwatch, focus=draft.doc_id, precomputed=precomputed)
    with stopwatch.stage("verdicts"):
        claims = judge_claims(draft.doc_id, analysis.quantified, analysis.findings, analysis.context)
    report = build_report(corpus, analysis, embedder.name, draft=draft.doc_id, claims=claims)
    return CheckResult(report=report, timings=stopwatch.rounded())


def check_draft_against_index(
    draft_path: Path,
    index_directory: Path,
    options: CheckOptions | None = None,
    progress: Progress | None = None,
    exclude: Callable[[Path], bool] | None = None,
) -> CheckResult:
    """Check a draft against a source index built by ``build_index``, refreshing it first when its
    sources changed; the index directory also caches the draft's sentence vectors."""
    from checker.cache import CachedEmbedder
    from checker.store import load_or_rebuild

    options = options or CheckOptions()
    stopwatch = Stopwatch()
    with CachedEmbedder(options.embedder(), index_directory) as embedder:
        with stopwatch.stage("index-load"):
            loaded = load_or_rebuild(index_directory, None, embedder, progress, exclude)
            draft = load_document(draft_path, draft_path.as_posix())
        result = check_draft(
            draft, loaded.index.corpus, options, embedder, progress, stopwatch, precomputed=loaded.index.precomputed
        )
        notes = [*loaded.warnings, *embedder.take_warnings()]
    if loaded.rebuilt:
        notes.insert(0, f"source index {index_directory} rebuilt: {loaded.reason}")
    return result.model_copy(update={"notes": notes})


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

