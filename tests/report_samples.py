"""Hand-built ``Report`` objects for reporter tests and golden files (no model needed).

Fictional coverage of port-strike talks by two outlets plus a newsroom draft:
a conflict (talk duration), a warning (flotilla size, weaker alignment), an
info corroboration (pay rise) and one skipped file.
"""

from __future__ import annotations

from checker.models import (
    DocumentInfo,
    DocumentMeta,
    Evidence,
    Finding,
    Report,
    ReportSummary,
    Severity,
    SkippedFile,
)

LEDGER = "harbor-ledger/port-strike-talks.md"
WIRE = "valley-wire/strike-talks.html"
DRAFT = "drafts/port-talks.txt"


def _evidence(
    doc_id: str,
    outlet: str | None,
    published: str | None,
    sentence: str,
    span: str,
    *,
    start: int,
    line: int,
    column: int,
    value: str,
    score: float,
) -> Evidence:
    assert span in sentence
    return Evidence(
        doc_id=doc_id,
        outlet=outlet,
        published=published,
        sentence=sentence,
        span=span,
        span_start=max(sentence.find(span), 0),
        span_end=max(sentence.find(span), 0) + len(span),
        start=start,
        end=start + len(span),
        line=line,
        column=column,
        end_line=line,
        end_column=column + len(span),
        value=value,
        score=score,
    )


def sample_findings() -> list[Finding]:
    conflict = Finding(
        id="F001",
        kind="number",
        severity=Severity.conflict,
        summary="duration of the talks: 9 hours vs about 6 hours",
        score=0.91,
        sides=[
            _evidence(
                LEDGER,
                "The Harbor Ledger",
                "2024-03-14",
                "Union negotiators and the Port Authority emerged shortly before midnight on Tuesday after "
                "9 hours of talks at the Customs House, the longest single session since the strike began "
                "in February.",
                "9 hours",
                start=1184,
                line=14,
                column=92,
                value="9 hour",
                score=0.95,
            ),
            _evidence(
                WIRE,
                "Valley Wire",
                None,
                "The talks, which lasted about 6 hours, ended without a deal.",
                "about 6 hours",
                start=2307,
                line=41,
                column=30,
                value="~6 hour",
                score=0.88,
            ),
        ],
        reasons=[
            "same measured thing: talks",
            "shared participants: Port Authority, union",
            "sentence similarity 0.81",
            "intervals do not overlap: [9, 9] vs [5.5, 6.5] hour",
        ],
    )
    warning = Finding(
        id="F002",
        kind="number",
        severity=Severity.warning,
        summary="boats in the protest flotilla: 40 vs 34",
        score=0.62,
        sides=[
            _evidence(
                LEDGER,
                "The Harbor Ledger",
                "2024-03-14",
                "Outside, a flotilla of 40 boats sounded their horns.",
                "40 boats",
                start=1622,
                line=18,
                column=24,
                value="40 boat",
                score=0.9,
            ),
            _evidence(
                DRAFT,
                None,
                None,
                "Some 34 fishing boats circled\nthe harbor mouth in support of the strikers.",
                "34 fishing boats",
                start=512,
                line=9,
                column=6,
                value="34 boat",
                score=0.7,
            ),
        ],
        reasons=[
            "same counted thing: boat",
            "places differ: Customs House vs harbor mouth",
            "sentence similarity 0.58 (below 0.70, so reported as a warning)",
        ],
    )
    info = Finding(
        id="F003",
        kind="number",
        severity=Severity.info,
        summary="pay rise offered to dock workers: 4 percent in both",
        score=0.97,
        sides=[
            _evidence(
                LEDGER,
                "The Harbor Ledger",
                "2024-03-14",
                "The Port Authority's final offer was a 4 percent pay rise over two years.",
                "4 percent",
                start=1401,
                line=16,
                column=40,
                value="4 percent",
                score=0.97,
            ),
            _evidence(
                WIRE,
                "Valley Wire",
                None,
                "Dock workers were offered a 4% raise.",
                "4%",
                start=2511,
                line=44,
                column=29,
                value="4 percent",
                score=0.96,
            ),
        ],
        reasons=["same measured thing: pay rise", "sentence similarity 0.86", "values equal: 4 percent"],
    )
    return [conflict, warning, info]


def sample_documents() -> list[DocumentInfo]:
    return [
        DocumentInfo(
            doc_id=DRAFT,
            format="text",
            meta=DocumentMeta(title="Port talks (draft)"),
            sentences=12,
            facts=5,
        ),
        DocumentInfo(
            doc_id=LEDGER,
            format="markdown",
            meta=DocumentMeta(
                title="Port strike talks run past midnight",
                outlet="The Harbor Ledger",
                author="Mara Quist",
                published="2024-03-14",
                url="https://harbor-ledger.example/2024/03/14/port-strike-talks",
            ),
            sentences=27,
            facts=10,
        ),
        DocumentInfo(
            doc_id=WIRE,
            format="html",
            meta=DocumentMeta(title="No deal yet in port strike", outlet="Valley Wire"),
            sentences=22,
            facts=8,
        ),
    ]


def sample_report(findings: list[Finding] | None = None) -> Report:
    findings = sample_findings() if findings is None else findings
    by_severity = {severity.value: 0 for severity in Severity}
    for finding in findings:
        by_severity[finding.severity.value] += 1
    return Report(
        version="0.1.0",
        model="sentence-transformers/all-MiniLM-L6-v2",
        documents=sample_documents(),
        skipped=[SkippedFile(path="valley-wire/gallery.zip", reason="unsupported file type (.zip)")],
        findings=findings,
        summary=ReportSummary(
            documents=3,
            skipped=1,
            sentences=61,
            facts=23,
            aligned_pairs=7,
            findings_by_severity=by_severity,
        ),
    )


def empty_report() -> Report:
    """Same corpus, nothing found."""
    return sample_report(findings=[])
