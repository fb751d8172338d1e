"""Hand-built ``Report`` objects for reporter tests and golden files (no model needed).

Fictional coverage of port-strike talks by two outlets plus a newsroom draft:
a conflict (talk duration), a warning (flotilla size, weaker alignment), an
info corroboration (pay rise) and one skipped file.
"""

from __future__ import annotations

from checker.clusters import cluster_findings
from checker.detectors import DETECTORS
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

ALL_KINDS = sorted(DETECTORS)

LEDGER = "harbor-ledger/port-strike-talks.md"
WIRE = "valley-wire/strike-talks.html"
DRAFT = "drafts/port-talks.txt"
GAZETTE = "port-gazette/strike.txt"


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
        subject="duration of the talks",
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
        subject="boats in the protest flotilla",
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
        subject="pay rise offered to dock workers",
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


def folded_findings() -> list[Finding]:
    """Three outlets on one fact: the Port Gazette sides with the Ledger's 9 hours against the
    Wire's "about 6 hours", so the Wire's statement is in two findings and the three tell one fact."""
    conflict = sample_findings()[0]
    ledger, wire = conflict.sides
    gazette = _evidence(
        GAZETTE,
        "Port Gazette",
        "2024-03-15",
        "Negotiators spent nine hours at the table before walking out.",
        "nine hours",
        start=610,
        line=7,
        column=22,
        value="9 hour",
        score=0.9,
    )
    later = Finding(
        id="F004",
        kind="number",
        severity=Severity.warning,
        summary="duration of the talks: 9 hours vs about 6 hours — dated a day apart",
        subject="duration of the talks",
        caveat="dated a day apart",
        score=0.7,
        sides=[gazette, wire],
        reasons=["same measured thing: talks", "intervals do not overlap: [9, 9] vs [5.5, 6.5] hour"],
    )
    agreement = Finding(
        id="F005",
        kind="number",
        severity=Severity.info,
        summary="duration of the talks: both 9 hours",
        subject="duration of the talks",
        score=0.95,
        sides=[ledger, gazette],
        reasons=["same measured thing: talks", "values equal: 9 hour"],
    )
    return [conflict, later, sample_findings()[1], agreement]


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
        kinds=ALL_KINDS,
        documents=sample_documents(),
        skipped=[SkippedFile(path="valley-wire/gallery.zip", reason="unsupported file type (.zip)")],
        findings=findings,
        clusters=cluster_findings(findings),
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


def sample_draft_report() -> Report:
    """Draft mode: the draft checked against the two outlets, one claim of each verdict.

    Contradicted: the pay rise (draft 6%, both outlets 4 percent). Supported: the
    flotilla (about 40 boats). Unverified: the daily cost, a span that runs over a
    line break in the draft.
    """
    from checker.models import ClaimCheck, Verdict

    def at(doc_id, outlet, published, sentence, span, *, start, line, column, end_line=None, end_column=None, value):
        assert span in sentence
        offset = sentence.find(span)
        return Evidence(
            doc_id=doc_id,
            outlet=outlet,
            published=published,
            sentence=sentence,
            span=span,
            span_start=offset,
            span_end=offset + len(span),
            start=start,
            end=start + len(span),
            line=line,
            column=column,
            end_line=line if end_line is None else end_line,
            end_column=column + len(span) if end_column is None else end_column,
            value=value,
            score=1.0 if doc_id == DRAFT else 0.95,
        )

    draft_pay = at(
        DRAFT,
        None,
        None,
        'Port Authority chief Dana Okafor called the 6% pay rise "the best offer in a decade".',
        "6%",
        start=318,
        line=7,
        column=45,
        value="6 percent",
    )
    ledger_pay = at(
        LEDGER,
        "The Harbor Ledger",
        "2024-03-14",
        "The Port Authority's final offer was a 4 percent pay rise over two years.",
        "4 percent",
        start=1401,
        line=16,
        column=40,
        value="4 percent",
    )
    wire_pay = at(
        WIRE,
        "Valley Wire",
        None,
        "Dock workers were offered a 4% raise.",
        "4%",
        start=2511,
        line=44,
        column=29,
        value="4 percent",
    )
    draft_boats = at(
        DRAFT,
        None,
        None,
        "About 40 boats sounded their horns outside the Customs House.",
        "About 40 boats",
        start=402,
        line=9,
        column=1,
        value="about 40 boat",
    )
    ledger_boats = at(
        LEDGER,
        "The Harbor Ledger",
        "2024-03-14",
        "Outside, a flotilla of 40 boats sounded their horns.",
        "40 boats",
        start=1622,
        line=18,
        column=24,
        value="40 boat",
    )
    draft_cost = at(
        DRAFT,
        None,
        None,
        "Shipping agents estimate the strike costs the port $3.2\nmillion a day.",
        "$3.2\nmillion",
        start=611,
        line=12,
        column=52,
        end_line=13,
        end_column=8,
        value="$3.2 million per day",
    )
    findings = [
        Finding(
            id="F101",
            kind="number",
            severity=Severity.conflict,
            summary="pay rise offered to dock workers: 6 percent vs 4 percent",
            subject="pay rise offered to dock workers",
            score=0.9,
            sides=[draft_pay, ledger_pay],
            reasons=["same measured thing: pay rise", "values differ: 6 percent vs 4 percent"],
        ),
        Finding(
            id="F102",
            kind="number",
            severity=Severity.conflict,
            summary="pay rise offered to dock workers: 6 percent vs 4 percent",
            subject="pay rise offered to dock workers",
            score=0.86,
            sides=[draft_pay, wire_pay],
            reasons=["same measured thing: pay rise", "values differ: 6 percent vs 4 percent"],
        ),
        Finding(
            id="F103",
            kind="number",
            severity=Severity.info,
            summary="boats in the protest flotilla: about 40 vs 40",
            subject="boats in the protest flotilla",
            score=0.8,
            sides=[draft_boats, ledger_boats],
            reasons=["same counted thing: boat", "intervals overlap: [36, 44] vs [40, 40] boat"],
        ),
    ]
    claims = [
        ClaimCheck(
            id="claim-5d1c0a9e7b21",
            kind="number",
            verdict=Verdict.contradicted,
            summary="pay rise offered to dock workers: the draft says 6 percent, but The Harbor Ledger and "
            "Valley Wire say 4 percent",
            claim=draft_pay,
            evidence=[ledger_pay, wire_pay],
            finding_ids=["F101", "F102"],
        ),
        ClaimCheck(
            id="claim-0b7e44c2a9f3",
            kind="number",
            verdict=Verdict.supported,
            summary="boats in the protest flotilla: the draft says about 40 boats, as The Harbor Ledger says 40 boats",
            claim=draft_boats,
            evidence=[ledger_boats],
            finding_ids=["F103"],
        ),
        ClaimCheck(
            id="claim-9a4f10d83e6c",
            kind="number",
            verdict=Verdict.unverified,
            summary="$3.2 million per day: no source states this figure",
            claim=draft_cost,
        ),
    ]
    return Report(
        version="0.1.0",
        model="sentence-transformers/all-MiniLM-L6-v2",
        kinds=ALL_KINDS,
        documents=sample_documents(),
        skipped=[],
        findings=findings,
        draft=DRAFT,
        claims=claims,
        summary=ReportSummary(
            documents=3,
            skipped=0,
            sentences=61,
            facts=23,
            aligned_pairs=3,
            findings_by_severity={"conflict": 2, "warning": 0, "info": 1},
        ),
    )
