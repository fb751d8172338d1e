"""Inline check-ignore markers in drafts (checker.suppress)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from checker.detectors import DETECTORS
from checker.ingest import document_from_text
from checker.models import ClaimCheck, Evidence, Finding, Report, ReportSummary, Severity, Verdict
from checker.suppress import SYNTAX, Marker, UnusedMarker, apply_suppressions, find_markers

DRAFT = "story.md"
WIRE = "sources/wire.md"


# --------------------------------------------------------------------------- builders


def evidence(doc_id: str, sentence: str, span: str, line: int, end_line: int | None = None) -> Evidence:
    at = sentence.index(span)
    return Evidence(
        doc_id=doc_id, outlet=None, published=None, sentence=sentence, span=span,
        span_start=at, span_end=at + len(span), start=line * 100, end=line * 100 + len(span),
        line=line, column=1, end_line=end_line or line, end_column=1 + len(span), value=span, score=0.9,
    )  # fmt: skip


def conflict(kind: str, span: str, line: int, doc: str = DRAFT, severity: Severity = Severity.conflict) -> Finding:
    sentence = f"Draft says {span}."
    return Finding(
        id=f"{kind}-{hashlib.sha1(f'{doc}{sentence}{line}'.encode()).hexdigest()[:12]}",
        kind=kind,
        severity=severity,
        summary=f"{span} vs other",
        sides=[evidence(doc, sentence, span, line), evidence(WIRE, "The wire says other.", "other", 40)],
    )


def claim(
    kind: str, span: str, line: int, verdict: Verdict, findings: list[Finding] = (), end_line: int | None = None
) -> ClaimCheck:
    sentence = f"Draft says {span}."
    return ClaimCheck(
        id=f"{kind}-{hashlib.sha1(f'{sentence}{line}'.encode()).hexdigest()[:12]}",
        kind=kind,
        verdict=verdict,
        summary=f"{span}: {verdict.value}",
        claim=evidence(DRAFT, sentence, span, line, end_line),
        finding_ids=[item.id for item in findings],
    )


def report(findings: list[Finding], claims: list[ClaimCheck]) -> Report:
    counts = {severity.value: sum(item.severity is severity for item in findings) for severity in Severity}
    return Report(
        version="0.1.0", model="fake", kinds=sorted(DETECTORS), documents=[], skipped=[], findings=findings, draft=DRAFT, claims=claims,
        summary=ReportSummary(documents=2, skipped=0, sentences=9, facts=4, aligned_pairs=2, findings_by_severity=counts),
    )  # fmt: skip


def contradicted(kind: str, span: str, line: int) -> tuple[Finding, ClaimCheck]:
    behind = conflict(kind, span, line)
    return behind, claim(kind, span, line, Verdict.contradicted, [behind])


def kept_lines(result) -> list[int]:
    return [item.claim.line for item in result.report.claims]


# --------------------------------------------------------------------------- find_markers


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "<!-- check-ignore: number -->\nThe talks lasted 2 hours.\n",
            [Marker(line=1, kinds=("number",), target_line=2)],
            id="next-line",
        ),
        pytest.param(
            "Intro.\n\n<!-- check-ignore -->\n\n\nThe talks lasted 2 hours.\n",
            [Marker(line=3, kinds=None, target_line=6)],
            id="all-kinds-skips-blank-lines",
        ),
        pytest.param(
            "<!--check-ignore:Number ,date,number-->\ntext\n",
            [Marker(line=1, kinds=("date", "number"), target_line=2)],
            id="several-kinds-case-and-spacing",
        ),
        pytest.param(
            "<!-- check-ignore: number -->\n<!-- check-ignore: date -->\n\ntext\n",
            [Marker(line=1, kinds=("number",), target_line=4), Marker(line=2, kinds=("date",), target_line=4)],
            id="stacked-markers-share-the-target",
        ),
        pytest.param(
            "The talks lasted 2 hours. <!-- check-ignore: number -->\n",
            [Marker(line=1, kinds=("number",), target_line=1, trailing=True)],
            id="trailing-same-line",
        ),
        pytest.param(
            "  <!-- check-ignore -->  \r\nThe talks lasted 2 hours.\r\n",
            [Marker(line=1, kinds=None, target_line=2)],
            id="indented-crlf",
        ),
        pytest.param("text\n<!-- check-ignore -->\n\n", [Marker(line=2, kinds=None, target_line=None)], id="at-end"),
        pytest.param(
            "```markdown\n<!-- check-ignore: number -->\n```\ntext\n~~~\n<!-- check-ignore -->\n~~~\n",
            [],
            id="inside-fenced-code",
        ),
        pytest.param(
            "````\n```\n<!-- check-ignore -->\n````\n<!-- check-ignore -->\nx\n",
            [Marker(line=5, kinds=None, target_line=6)],
            id="longer-fence-closes-only-on-its-own-length",
        ),
        pytest.param("Write `<!-- check-ignore -->` before the line.\n", [], id="inline-code"),
        pytest.param("<!-- a normal comment -->\n<!-- check-ignored -->\ntext\n", [], id="other-comments"),
        pytest.param(
            "<!-- check-ignore number -->\ntext\n",
            [Marker(line=1, kinds=None, target_line=2, problem=f"malformed check-ignore marker (write {SYNTAX})")],
            id="missing-colon",
        ),
    ],
)
def test_find_markers(source: str, expected: list[Marker]) -> None:
    assert find_markers(source) == expected


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("<!-- check-ignore: -->\nx\n", "names no kind after ':'"),
        ("<!-- check-ignore: , -->\nx\n", "names no kind after ':'"),
        ("<!-- check-ignore: num ber -->\nx\n", "malformed kind 'num ber'"),
    ],
)
def test_malformed_markers_are_reported_not_raised(source: str, problem: str) -> None:
    (marker,) = find_markers(source)
    assert problem in (marker.problem or "")
    result = apply_suppressions(report([], [claim("number", "2", 2, Verdict.unverified)]), [marker], DRAFT)
    assert kept_lines(result) == [2]
    assert problem in result.unused[0].message


# --------------------------------------------------------------------------- apply_suppressions


DRAFT_SOURCE = """# Port talks

<!-- check-ignore: number -->
The talks lasted 2 hours on Monday.

Some 34 boats circled the harbor. <!-- check-ignore -->

<!-- check-ignore: date, number -->
Workers were offered 5 percent on 3 May.

About 300 people marched.
"""


def draft_run() -> Report:
    talks_f, talks = contradicted("number", "2 hours", 4)
    boats_f, boats = contradicted("number", "34 boats", 6)
    pay = claim("number", "5 percent", 9, Verdict.unverified)
    date_f, date = contradicted("date", "3 May", 9)
    crowd_f, crowd = contradicted("number", "300 people", 11)
    return report([talks_f, boats_f, date_f, crowd_f], [talks, boats, pay, date, crowd])


def test_markers_silence_the_next_line_the_same_line_and_several_kinds() -> None:
    result = apply_suppressions(draft_run(), find_markers(DRAFT_SOURCE), DRAFT)
    assert kept_lines(result) == [11]
    assert [item.sides[0].line for item in result.report.findings] == [11]
    assert len(result.suppressed_claims) == 4 and len(result.suppressed_findings) == 3
    assert result.suppressed_count == 4
    assert result.unused == []
    assert result.report.summary.findings_by_severity == {"conflict": 1, "warning": 0, "info": 0}


def test_only_named_kinds_are_silenced() -> None:
    source = "<!-- check-ignore: date -->\nThe talks lasted 2 hours on 3 May.\n"
    number_f, number = contradicted("number", "2 hours", 2)
    date_f, date = contradicted("date", "3 May", 2)
    result = apply_suppressions(report([number_f, date_f], [number, date]), find_markers(source), DRAFT)
    assert [item.kind for item in result.report.claims] == ["number"]
    assert [item.kind for item in result.report.findings] == ["number"]


def test_marker_does_not_reach_past_its_line() -> None:
    source = "<!-- check-ignore -->\nThe talks lasted\n2 hours.\n"
    _, wrapped = contradicted("number", "2 hours", 3)
    result = apply_suppressions(report([], [wrapped]), find_markers(source), DRAFT)
    assert kept_lines(result) == [3]
    assert [item.message for item in result.unused] == ["line 1: check-ignore marker silences nothing"]


def test_span_over_two_lines_is_silenced_from_either() -> None:
    spanning = claim("number", "2 hours", 3, Verdict.contradicted, end_line=4)
    for source in ("\n<!-- check-ignore -->\n2\nhours\n", "\n\n2\nhours <!-- check-ignore -->\n"):
        result = apply_suppressions(report([], [spanning]), find_markers(source), DRAFT)
        assert result.report.claims == [], source


def test_unused_marker_warnings() -> None:
    source = "<!-- check-ignore: number -->\nNothing checkable here.\n\n<!-- check-ignore -->\n"
    result = apply_suppressions(report([], []), find_markers(source), DRAFT)
    assert [str(item) for item in result.unused] == [
        "line 1: check-ignore marker silences nothing",
        "line 4: check-ignore marker has no line of text after it and silences nothing",
    ]


def test_unknown_kind_gets_a_suggestion() -> None:
    source = "<!-- check-ignore: nubmer -->\nThe talks lasted 2 hours.\n"
    _, talks = contradicted("number", "2 hours", 2)
    result = apply_suppressions(report([], [talks]), find_markers(source), DRAFT, known_kinds={"number", "date"})
    reason = "check-ignore marker names unknown kind 'nubmer'; did you mean 'number'?"
    assert result.unused == [UnusedMarker(line=1, reason=reason)]
    assert kept_lines(result) == [2]


def test_supported_claims_are_not_silenced_and_leave_the_marker_unused() -> None:
    """Once the sources agree, the marker is stale and says so."""
    source = "<!-- check-ignore -->\nThe talks lasted 2 hours.\n"
    info = conflict("number", "2 hours", 2, severity=Severity.info)
    fine = claim("number", "2 hours", 2, Verdict.supported, [info])
    result = apply_suppressions(report([info], [fine]), find_markers(source), DRAFT)
    assert result.report.claims == [fine] and result.report.findings == [info]
    assert len(result.unused) == 1


def test_disputed_claims_are_silenced_with_their_findings() -> None:
    source = "<!-- check-ignore: number -->\nThe talks lasted 2 hours.\n"
    agree = conflict("number", "2 hours", 2, severity=Severity.info)
    disagree = conflict("number", "2 hours", 2)
    disputed = claim("number", "2 hours", 2, Verdict.supported, [agree, disagree]).model_copy(update={"disputed": True})
    result = apply_suppressions(report([agree, disagree], [disputed]), find_markers(source), DRAFT)
    assert result.report.claims == [] and result.report.findings == []
    assert result.unused == []


def test_other_documents_are_untouched() -> None:
    source = "<!-- check-ignore -->\nThe talks lasted 2 hours.\n"
    elsewhere = conflict("number", "2 hours", 2, doc="sources/other.md")
    result = apply_suppressions(report([elsewhere], []), find_markers(source), DRAFT)
    assert result.report.findings == [elsewhere]
    assert len(result.unused) == 1


def test_finding_still_needed_by_a_remaining_claim_is_kept() -> None:
    source = "<!-- check-ignore -->\nThe talks lasted 2 hours.\n"
    shared, talks = contradicted("number", "2 hours", 2)
    other = claim("number", "two hours", 9, Verdict.contradicted, [shared])
    result = apply_suppressions(report([shared], [talks, other]), find_markers(source), DRAFT)
    assert kept_lines(result) == [9]
    assert result.report.findings == [shared]


def test_findings_on_a_marked_line_without_claims_are_silenced() -> None:
    """Findings-only reports (no claims) are silenced by the draft side's line."""
    source = "x\n<!-- check-ignore: number -->\nSome 34 boats.\n"
    boats = conflict("number", "34 boats", 3, severity=Severity.warning)
    base = report([boats], [])
    result = apply_suppressions(base, find_markers(source), DRAFT)
    assert result.report.findings == [] and result.suppressed_findings == [boats]


def test_no_markers_changes_nothing() -> None:
    run = draft_run()
    result = apply_suppressions(run, [], DRAFT)
    assert result.report == run and result.unused == []


# --------------------------------------------------------------------------- with ingest


def test_marker_lines_match_ingest_locations() -> None:
    """Line numbers from find_markers agree with Document.locate on a real Markdown draft."""
    document = document_from_text(DRAFT_SOURCE, DRAFT, markdown=True)
    lines = {}
    for span in ("2 hours", "34 boats", "300 people"):
        at = document.text.index(span)
        lines[span] = document.locate(at, at + len(span)).line
    assert lines == {"2 hours": 4, "34 boats": 6, "300 people": 11}
    targets = [marker.target_line for marker in find_markers(document.source)]
    assert targets == [4, 6, 9]


def test_markers_do_not_reach_the_article_text() -> None:
    document = document_from_text(DRAFT_SOURCE, DRAFT, markdown=True)
    assert "check-ignore" not in document.text


@pytest.mark.model
def test_real_draft_markers(tmp_path: Path) -> None:
    """Markers on the fixture draft silence exactly the problems on their lines."""
    from checker.draft import check_draft_paths
    from tests.paths import FIXTURES

    lines = (FIXTURES / "drafts" / "summit-draft.md").read_text(encoding="utf-8").split("\n")
    visit = next(index for index, line in enumerate(lines) if "two hours" in line)
    deal = next(index for index, line in enumerate(lines) if "3,500 jobs" in line)
    commission = next(index for index, line in enumerate(lines) if "did not agree" in line)
    signed = next(index for index, line in enumerate(lines) if "Thursday, March 14" in line)
    lines[visit] += " <!-- check-ignore: number, role -->"
    lines[signed] += " <!-- check-ignore: date -->"
    lines[commission:commission] = ["<!-- check-ignore: negation -->"]
    lines[deal:deal] = ["<!-- check-ignore -->"]
    lines[1:1] = ["", "<!-- check-ignore: number -->", "A line with nothing to check."]
    draft = tmp_path / "summit-draft.md"
    draft.write_text("\n".join(lines), encoding="utf-8")
    report = check_draft_paths(draft, [FIXTURES / "harbor-summit"]).report
    assert any(claim.verdict is not Verdict.supported or claim.disputed for claim in report.claims)

    result = apply_suppressions(report, find_markers(draft.read_text(encoding="utf-8")), report.draft)
    problems = [claim for claim in result.report.claims if claim.disputed or claim.verdict is not Verdict.supported]
    assert problems == []
    assert {claim.claim.span for claim in result.suppressed_claims} >= {"two hours", "3,500 jobs"}
    assert [marker.line for marker in result.unused] == [3]
