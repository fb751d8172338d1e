"""Number detector and the event gate on case files (tests/data/detectors/number.toml).

Each case is two sentences from two documents. The real parser reads the frames; the sentence
similarity is given by the case, because these cases test the gate and the comparison, not the embedder.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from checker.align import align_facts
from checker.detectors import ComparisonContext
from checker.detectors.number import NumberDetector
from checker.facts import extract_facts, quantify
from checker.models import Sentence, SentenceMatch, Severity
from tests.detector_cases import case_document

CASES = tomllib.loads((Path(__file__).parent / "data" / "detectors" / "number.toml").read_text(encoding="utf-8"))["case"]
DEFAULT_SIMILARITY = 0.6

pytestmark = pytest.mark.model


def findings_for(case: dict) -> list:
    documents = {
        "a.txt": case_document("a.txt", case["a"], case.get("published_a")),
        "b.txt": case_document("b.txt", case["b"], case.get("published_b")),
    }
    sentences = {
        doc_id: [Sentence(doc_id=doc_id, index=0, start=0, end=len(doc.text), text=doc.text)]
        for doc_id, doc in documents.items()
    }
    quantified = quantify([sentences["a.txt"][0], sentences["b.txt"][0]])
    facts = {
        (item.sentence.doc_id, item.sentence.index): item.facts
        for item in extract_facts(quantified, {doc_id: doc.meta.published for doc_id, doc in documents.items()})
    }
    match = SentenceMatch(doc_a="a.txt", sentence_a=0, doc_b="b.txt", sentence_b=0, similarity=case.get("similarity", DEFAULT_SIMILARITY))
    context = ComparisonContext(documents=documents, sentences=sentences)
    detector = NumberDetector()
    return [detector.compare(alignment, context) for alignment in align_facts([match], facts).aligned]


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_number_case(case: dict) -> None:
    findings = findings_for(case)
    severities = {finding.severity for finding in findings}
    summaries = [finding.summary for finding in findings]
    if case["expect"] == "conflict":
        assert Severity.conflict in severities, summaries
    elif case["expect"] == "agree":
        assert severities == {Severity.info}, summaries
    elif case["expect"] == "warning":
        assert severities == {Severity.warning}, summaries
        assert [finding.caveat for finding in findings] == [case["caveat"]]
    else:
        assert findings == [], summaries
    if "summary" in case:
        assert case["summary"] in summaries


def test_conflict_evidence_points_at_both_spans() -> None:
    case = next(case for case in CASES if case["id"] == "total-vs-more-than")
    (finding,) = [finding for finding in findings_for(case) if finding.severity is Severity.conflict]
    spans = {(side.doc_id, side.span) for side in finding.sides}
    assert spans == {("a.txt", "nine hours"), ("b.txt", "more than six hours")}
    for side in finding.sides:
        assert side.sentence[side.span_start : side.span_end] == side.span
        assert side.line == 1 and side.column == side.start + 1
    assert finding.summary == "duration of the talks: 9 hours vs more than 6 hours"
    assert any("same thing measured" in reason for reason in finding.reasons)


def test_finding_ids_are_stable() -> None:
    case = CASES[0]
    assert [f.id for f in findings_for(case)] == [f.id for f in findings_for(case)]
