"""The pipeline: ingest → segment → extract facts → embed/index → align → compare → report."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from checker import __version__
from checker.align import align_facts, sentences_worth_parsing
from checker.clusters import cluster_findings
from checker.detectors import DETECTORS, ComparisonContext, selected_kinds
from checker.embed import Embedder, SentenceTransformerEmbedder, embed_in_chunks
from checker.facts import extract_facts, quantify
from checker.index import cross_document_matches
from checker.errors import InputError, UsageError
from checker.ingest import document_from_text, load_corpus
from checker.models import (
    ClaimCheck,
    Corpus,
    DocumentInfo,
    Fact,
    FactAlignment,
    Finding,
    Precomputed,
    QuantifiedSentence,
    Report,
    ReportSummary,
    Sentence,
    SetAside,
    Severity,
    SkippedFile,
)
from checker.quantities import format_quantity
from checker.segment import segment

if TYPE_CHECKING:
    from checker.cache import CachedEmbedder
    from checker.store import IndexLoad

# --explain lists this many of the most similar statement pairs judged to be different facts.
MAX_SET_ASIDE = 20


class CheckOptions(BaseModel):
    threshold: float = Field(0.35, ge=0.0, le=1.0, description="cosine similarity for two sentences to be aligned")
    neighbours: int = Field(3, ge=1, description="nearest sentences kept per sentence from each other document")
    model_path: str | None = Field(None, description="a local sentence-transformers model directory")
    batch_size: int = Field(64, ge=1)
    explain: bool = Field(False, description="keep the most similar statements judged to be different facts")
    kinds: list[str] | None = Field(None, description="the detector kinds to run (see ``selected_kinds``); None for all")

    def embedder(self) -> SentenceTransformerEmbedder:
        """The configured model, loaded on first use."""
        return SentenceTransformerEmbedder(self.model_path, self.batch_size)


class CheckResult(BaseModel):
    report: Report
    timings: dict[str, float] = Field(description="seconds spent per stage")
    notes: list[str] = Field([], description="things the user should know that are not findings, e.g. an index rebuilt")


class Progress(Protocol):
    def __call__(self, stage: str, done: int, total: int) -> None: ...


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


class Stopwatch:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def rounded(self) -> dict[str, float]:
        return {name: round(value, 4) for name, value in self.seconds.items()}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


def check_paths(
    paths: Sequence[Path],
    options: CheckOptions | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    exclude: Callable[[Path], bool] | None = None,
    index_directory: Path | None = None,
) -> CheckResult:
    """Compare every document under ``paths`` with every other one.

    With ``index_directory`` the documents' sentences, vectors and parses come from that source
    index, built when missing and refreshed when the files changed: a run after one article was
    added embeds and parses that article only, and reports exactly what a run without the index
    would. Without ``paths`` the index is checked as it is.
    """
    if index_directory is not None:
        return _check_with_index(paths, index_directory, options, embedder, progress, exclude)
    stopwatch = Stopwatch()
    with stopwatch.stage("ingest"):
        corpus = load_corpus(paths, exclude)
    return check_corpus(corpus, options, embedder, progress, stopwatch)


@contextmanager
def opened_index(
    directory: Path,
    sources: Sequence[Path],
    embedder: Embedder,
    progress: Progress | None,
    exclude: Callable[[Path], bool] | None,
    stopwatch: Stopwatch,
) -> Iterator[tuple[CachedEmbedder, IndexLoad]]:
    """The source index, loaded or (re)built from ``sources`` (or, without them, from those it
    records), and the embedder that caches vectors beside it, open for the run."""
    from checker.cache import CachedEmbedder
    from checker.store import load_or_rebuild

    with CachedEmbedder(embedder, directory) as cached:
        with stopwatch.stage("index-load"):
            loaded = load_or_rebuild(directory, list(sources) or None, cached, progress, exclude)
        yield cached, loaded


def _check_with_index(
    paths: Sequence[Path],
    index_directory: Path,
    options: CheckOptions | None,
    embedder: Embedder | None,
    progress: Progress | None,
    exclude: Callable[[Path], bool] | None,
) -> CheckResult:
    options = options or CheckOptions()
    stopwatch = Stopwatch()
    opening = opened_index(index_directory, paths, embedder or options.embedder(), progress, exclude, stopwatch)
    with opening as (cached, loaded):
        corpus = loaded.index.corpus
        analysis = analyse(corpus, options, cached, progress, stopwatch, precomputed=loaded.index.precomputed)
        notes = [*loaded.notes(index_directory), *cached.take_warnings()]
    return CheckResult(report=build_report(corpus, analysis, cached.name), timings=stopwatch.rounded(), notes=notes)


def check_texts(
    texts: Mapping[str, str],
    options: CheckOptions | None = None,
    embedder: Embedder | None = None,
) -> CheckResult:
    """Check articles given as strings, keyed by the document id to report them under."""
    documents, skipped = [], []
    for doc_id in sorted(texts):
        try:
            documents.append(document_from_text(texts[doc_id], doc_id))
        except InputError as error:
            skipped.append(SkippedFile(path=doc_id, reason=error.reason))
    return check_corpus(Corpus(documents=documents, skipped=skipped), options, embedder)


class Analysis(BaseModel):
    """Everything the stages produced, for building a report."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    sentences: dict[str, list[Sentence]]
    quantified: list[QuantifiedSentence]
    alignments: list[FactAlignment]
    findings: list[Finding]
    set_aside: list[SetAside] = []
    context: ComparisonContext
    kinds: list[str] = Field(description="the detector kinds that ran")


def check_corpus(
    corpus: Corpus,
    options: CheckOptions | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    stopwatch: Stopwatch | None = None,
) -> CheckResult:
    """Compare every document with every other one."""
    stopwatch = stopwatch or Stopwatch()
    embedder = embedder or (options or CheckOptions()).embedder()
    analysis = analyse(corpus, options, embedder, progress, stopwatch)
    report = build_report(corpus, analysis, embedder.name)
    return CheckResult(report=report, timings=stopwatch.rounded())


def analyse(
    corpus: Corpus,
    options: CheckOptions | None,
    embedder: Embedder,
    progress: Progress | None,
    stopwatch: Stopwatch,
    focus: str | None = None,
    precomputed: Precomputed | None = None,
) -> Analysis:
    """Run the stages from segmentation to comparison; with ``focus``, compare only that document
    with the others (draft mode), not the others among themselves. The documents in
    ``precomputed`` (``SourceIndex.precomputed``) are neither segmented, embedded nor parsed again."""
    options = options or CheckOptions()
    progress = progress or _no_progress
    precomputed = precomputed or Precomputed()

    with stopwatch.stage("segment"):
        sentences = {
            document.doc_id: precomputed.sentences[document.doc_id]
            if document.doc_id in precomputed.sentences
            else segment(document)
            for document in corpus.documents
        }
        ordered = [sentence for doc_id in sorted(sentences) for sentence in sentences[doc_id]]

    with stopwatch.stage("quantities"):
        quantified = quantify(ordered)
        with_quantities = {(item.sentence.doc_id, item.sentence.index) for item in quantified if item.quantities}

    with stopwatch.stage("embed"):
        # A lone document has nothing to be compared with: embedding it (a 10 MB file is 100,000+
        # sentences) would only cost time.
        comparable = ordered if len(sentences) > 1 else []
        texts = [sentence.text for sentence in comparable if sentence.doc_id not in precomputed.vectors]
        embeddings = _with_precomputed(comparable, precomputed.vectors, embed_in_chunks(embedder, texts, progress))

    with stopwatch.stage("index"):
        matches = cross_document_matches(
            [(sentence.doc_id, sentence.index) for sentence in comparable],
            embeddings,
            options.threshold,
            options.neighbours,
        )
        if focus is not None:
            matches = [match for match in matches if focus in (match.doc_a, match.doc_b)]

    context = ComparisonContext(
        documents={doc.doc_id: doc for doc in corpus.documents},
        sentences=sentences,
        matches=matches,
        stored_parses=precomputed.parses,
    )
    kinds = selected_kinds(options.kinds)
    detectors = [DETECTORS[kind]() for kind in kinds]
    with stopwatch.stage("parse"):
        worth_parsing = sentences_worth_parsing(matches, with_quantities) if "number" in kinds else set()
        to_frame = [item for item in quantified if (item.sentence.doc_id, item.sentence.index) in worth_parsing]
        context.prepare(
            [
                *(item.sentence for item in to_frame),
                *(sentence for detector in detectors for sentence in detector.to_parse(context)),
            ]
        )
    with stopwatch.stage("frames"):
        sentence_facts = extract_facts(
            to_frame,
            {document.doc_id: document.meta.published for document in corpus.documents},
            context.parse_all,
        )
        facts: dict[tuple[str, int], list[Fact]] = {
            (item.sentence.doc_id, item.sentence.index): item.facts for item in sentence_facts
        }

    with stopwatch.stage("align"):
        fact_alignments = align_facts(matches, facts)
        alignments = fact_alignments.aligned

    with stopwatch.stage("compare"):
        context.alignments = alignments
        findings: list[Finding] = []
        set_aside = [_set_aside_numbers(alignment, context) for alignment in fact_alignments.set_aside]
        for detector in detectors:
            findings += detector.detect(context)
            set_aside += context.take_set_aside(detector.kind)
        if focus is not None:
            findings = [finding for finding in findings if any(side.doc_id == focus for side in finding.sides)]
            set_aside = [item for item in set_aside if any(side.doc_id == focus for side in item.sides)]
    return Analysis(
        sentences=sentences,
        quantified=quantified,
        alignments=alignments,
        findings=findings,
        set_aside=_most_similar(set_aside) if options.explain else [],
        context=context,
        kinds=kinds,
    )


def _set_aside_numbers(alignment: FactAlignment, context: ComparisonContext) -> SetAside:
    sides = [
        context.evidence(fact, format_quantity(fact.quantity), 0.0)
        for fact in sorted((alignment.a, alignment.b), key=lambda fact: fact.doc_id)
    ]
    return SetAside(kind="number", similarity=alignment.similarity, sides=sides, reasons=alignment.reasons)


def _most_similar(set_aside: list[SetAside]) -> list[SetAside]:
    """The pairs a reader would most expect to be compared, once each."""
    unique = {(item.kind, *((side.doc_id, side.start) for side in item.sides)): item for item in set_aside}
    ranked = sorted(
        unique.values(), key=lambda item: (-item.similarity, item.kind, [(s.doc_id, s.start) for s in item.sides])
    )
    return ranked[:MAX_SET_ASIDE]


def _with_precomputed(ordered: list[Sentence], vectors: Mapping[str, np.ndarray], fresh: np.ndarray) -> np.ndarray:
    """One row per sentence of ``ordered``: a document's stored vectors, else its next rows of ``fresh``."""
    if not vectors:
        return fresh
    parts, used = [], 0
    for doc_id, group in itertools.groupby(ordered, key=lambda sentence: sentence.doc_id):
        count = sum(1 for _ in group)
        if doc_id in vectors:
            parts.append(vectors[doc_id])
        else:
            parts.append(fresh[used : used + count])
            used += count
    if len({part.shape[1] for part in parts if len(part)}) > 1:
        raise UsageError("the source index was built with another embedding model; rebuild it")
    return np.vstack(parts) if parts else fresh


def quantified_counts(quantified: list[QuantifiedSentence]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in quantified:
        counts[item.sentence.doc_id] = counts.get(item.sentence.doc_id, 0) + len(item.quantities)
    return counts


def sort_findings(findings: list[Finding]) -> list[Finding]:
    unique = {finding.id: finding for finding in findings}
    return sorted(
        unique.values(),
        key=lambda finding: (
            -finding.severity.rank,
            finding.kind,
            [(side.doc_id, side.start) for side in finding.sides],
            finding.id,
        ),
    )


def build_report(
    corpus: Corpus,
    analysis: Analysis,
    model_name: str,
    draft: str | None = None,
    claims: list[ClaimCheck] | None = None,
) -> Report:
    ordered = sort_findings(analysis.findings)
    fact_counts = quantified_counts(analysis.quantified)
    documents = [
        DocumentInfo(
            doc_id=document.doc_id,
            format=document.format,
            meta=document.meta,
            sentences=len(analysis.sentences[document.doc_id]),
            facts=fact_counts.get(document.doc_id, 0),
        )
        for document in sorted(corpus.documents, key=lambda document: document.doc_id)
    ]
    by_severity = {severity.value: sum(f.severity is severity for f in ordered) for severity in Severity}
    return Report(
        version=__version__,
        model=model_name,
        kinds=analysis.kinds,
        documents=documents,
        skipped=sorted(corpus.skipped, key=lambda skipped: skipped.path),
        findings=ordered,
        clusters=cluster_findings(ordered),
        set_aside=analysis.set_aside,
        summary=ReportSummary(
            documents=len(documents),
            skipped=len(corpus.skipped),
            sentences=sum(info.sentences for info in documents),
            facts=sum(info.facts for info in documents),
            aligned_pairs=len(analysis.alignments),
            findings_by_severity=by_severity,
        ),
        draft=draft,
        claims=claims or [],
    )
