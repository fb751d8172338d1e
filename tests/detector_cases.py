"""Run a detector on a case from a data file: two short documents and what must be found.

Case files live in tests/data/detectors/<kind>.toml, one ``[[case]]`` per pair of documents:

    id = "next-month-is-november"
    a = "The summit will be held next month."        # document a.txt (one or more sentences)
    b = "The summit will be held in November."       # document b.txt
    published_a = "2023-10-05"                       # optional: the documents' dates
    published_b = "2023-10-20"
    similarity = 0.8                                 # optional: assumed cosine of every a/b sentence pair
    expect = "none"                                  # "none" | "conflict" | "warning" | "info"
    spans = ["next month", "in November"]            # optional: the spans the finding must quote (a, b)
    summary = "date of the summit: ..."              # optional: the summary a finding of that severity must have

The real parser reads the sentences; the similarity is given, because the cases test the detector and
the event gate, not the embedder.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from checker.detectors import DETECTORS, ComparisonContext
from checker.models import Document, DocumentMeta, Finding, SentenceMatch, Severity, TextPiece
from checker.segment import segment

CASES_DIRECTORY = Path(__file__).parent / "data" / "detectors"
DEFAULT_SIMILARITY = 0.8


def load_cases(kind: str) -> list[dict]:
    return tomllib.loads((CASES_DIRECTORY / f"{kind}.toml").read_text(encoding="utf-8"))["case"]


def case_document(doc_id: str, text: str, published: str | None) -> Document:
    return Document(
        doc_id=doc_id,
        path=doc_id,
        format="text",
        meta=DocumentMeta(published=published),
        source=text,
        text=text,
        pieces=[TextPiece(text_start=0, source_start=0, length=len(text))],
    )


def detect(kind: str, case: dict) -> list[Finding]:
    documents = {
        "a.txt": case_document("a.txt", case["a"], case.get("published_a")),
        "b.txt": case_document("b.txt", case["b"], case.get("published_b")),
    }
    sentences = {doc_id: segment(document) for doc_id, document in documents.items()}
    similarity = case.get("similarity", DEFAULT_SIMILARITY)
    matches = [
        SentenceMatch(doc_a="a.txt", sentence_a=a.index, doc_b="b.txt", sentence_b=b.index, similarity=similarity)
        for a in sentences["a.txt"]
        for b in sentences["b.txt"]
    ]
    context = ComparisonContext(documents=documents, sentences=sentences, matches=matches)
    return DETECTORS[kind]().detect(context)


def check_case(kind: str, case: dict) -> None:
    """Assert what the case expects: no finding, or a finding of that severity quoting the spans."""
    findings = detect(kind, case)
    summaries = [f"{finding.severity.value}: {finding.summary}" for finding in findings]
    if case["expect"] == "none":
        assert findings == [], summaries
        return
    wanted = [finding for finding in findings if finding.severity is Severity(case["expect"])]
    assert wanted, summaries
    assert all(finding.kind == kind for finding in findings)
    for finding in wanted:
        for side in finding.sides:
            assert side.sentence[side.span_start : side.span_end] == side.span
    if "summary" in case:
        assert case["summary"] in [finding.summary for finding in wanted], summaries
    if "spans" in case:
        assert any([side.span for side in finding.sides] == case["spans"] for finding in wanted), [
            [side.span for side in finding.sides] for finding in wanted
        ]
