"""Inline suppression markers in drafts.

A marker is an HTML comment, invisible when the Markdown is rendered::

    <!-- check-ignore: number -->
    The talks lasted 2 hours, officials said.

On a line of its own it silences the claims (and the findings behind them) of
the kinds it names whose span (the number as written) lies on the next
non-blank line that is not itself a marker; stacked markers all apply to that
line. At the end of
a line of text it silences that line::

    The talks lasted 2 hours. <!-- check-ignore: number -->

``<!-- check-ignore -->`` silences every kind; ``check-ignore: number, date``
several. Kinds are case-insensitive. Markers inside fenced code blocks
(```` ``` ```` or ``~~~``) are examples, not markers, and are ignored.

Only problems are silenced (contradicted, disputed and unverified claims;
conflict and warning findings); a marker that silences none of them is reported back as unused, so
stale markers do not pile up once the sources agree with the draft.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection

from pydantic import BaseModel, ConfigDict, Field

from checker.baseline import claim_status, finding_status, rebuild_report
from checker.models import ClaimCheck, Finding, Report

_COMMENT = r"<!--[ \t]*check-ignore(?![\w-])(?P<rest>(?:(?!-->).)*?)[ \t]*-->"
_OWN_LINE = re.compile(rf"[ \t]*{_COMMENT}[ \t]*\r?", re.IGNORECASE)
_TRAILING = re.compile(rf"(?P<before>.*\S)[ \t]+{_COMMENT}[ \t]*\r?", re.IGNORECASE)
_FENCE = re.compile(r"[ \t]{0,3}(?P<fence>`{3,}|~{3,})")
_KIND = re.compile(r"[a-z][a-z0-9_-]*")
SYNTAX = "<!-- check-ignore --> or <!-- check-ignore: kind, kind -->"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Marker(_Frozen):
    line: int = Field(description="1-based line of the marker in the draft source")
    kinds: tuple[str, ...] | None = Field(description="the kinds silenced, sorted; None for every kind")
    target_line: int | None = Field(description="the line it silences; None when no text line follows")
    trailing: bool = Field(False, description="written at the end of a line of text rather than on its own line")
    problem: str | None = Field(None, description="why the marker cannot be used, when malformed")

    def covers(self, kind: str, first_line: int, last_line: int) -> bool:
        if self.problem is not None or self.target_line is None:
            return False
        if self.kinds is not None and kind.lower() not in self.kinds:
            return False
        return first_line <= self.target_line <= last_line


class UnusedMarker(_Frozen):
    """A marker that silenced nothing: stale, misplaced, misspelt or malformed."""

    line: int
    reason: str

    @property
    def message(self) -> str:
        return f"line {self.line}: {self.reason}"

    def __str__(self) -> str:
        return self.message


class SuppressionResult(_Frozen):
    report: Report = Field(description="the report without the silenced claims and findings")
    suppressed_claims: list[ClaimCheck] = []
    suppressed_findings: list[Finding] = []
    unused: list[UnusedMarker] = Field([], description="markers that silenced nothing, by line")

    @property
    def suppressed_count(self) -> int:
        """Silenced claims in draft mode; silenced findings when the report has no claims."""
        return len(self.suppressed_claims) if self.report.draft is not None else len(self.suppressed_findings)


def find_markers(source: str) -> list[Marker]:
    """Every ``check-ignore`` marker in a draft, in line order (lines are split on ``\\n``, 1-based)."""
    lines = source.split("\n")
    found: list[tuple[int, tuple[str, ...] | None, str | None, bool]] = []
    marker_lines: set[int] = set()
    fence: str | None = None
    for number, line in enumerate(lines, start=1):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and _closes(opening, line, fence):
                fence = None
            continue
        if opening:
            fence = opening["fence"]
            continue
        own = _OWN_LINE.fullmatch(line)
        match = own or _TRAILING.fullmatch(line)
        if match is None:
            continue
        kinds, problem = _parse_kinds(match["rest"])
        found.append((number, kinds, problem, own is None))
        if own is not None:
            marker_lines.add(number)

    markers = []
    for number, kinds, problem, trailing in found:
        target = number if trailing else _next_text_line(lines, number, marker_lines)
        markers.append(Marker(line=number, kinds=kinds, target_line=target, trailing=trailing, problem=problem))
    return markers


def _closes(opening: re.Match[str], line: str, fence: str) -> bool:
    """A closing fence: the same character, at least as long, nothing after it."""
    run = opening["fence"]
    return run[0] == fence[0] and len(run) >= len(fence) and not line[opening.end() :].strip()


def _parse_kinds(rest: str) -> tuple[tuple[str, ...] | None, str | None]:
    rest = rest.strip()
    if not rest:
        return None, None
    if not rest.startswith(":"):
        return None, f"malformed check-ignore marker (write {SYNTAX})"
    names = [name.strip().lower() for name in rest[1:].split(",")]
    if not any(names):
        return None, f"check-ignore marker names no kind after ':' (write {SYNTAX})"
    bad = [name for name in names if not _KIND.fullmatch(name)]
    if bad:
        return None, f"malformed kind {bad[0]!r} in check-ignore marker (write {SYNTAX})"
    return tuple(sorted(set(names))), None


def _next_text_line(lines: list[str], after: int, marker_lines: set[int]) -> int | None:
    for number in range(after + 1, len(lines) + 1):
        if number in marker_lines or not lines[number - 1].strip():
            continue
        return number
    return None


def apply_suppressions(
    report: Report,
    markers: list[Marker],
    draft_doc_id: str,
    known_kinds: Collection[str] | None = None,
) -> SuppressionResult:
    """Drop the draft's claims and findings that markers silence.

    A claim is silenced when its span (``claim.claim``) covers the marker's
    target line; a finding when one of its sides in the draft does. Findings
    behind silenced claims go too, unless a remaining claim refers to them.
    ``known_kinds`` (e.g. ``checker.detectors.DETECTORS``) lets an unused
    marker with a misspelt kind say so. ``summary.findings_by_severity`` is
    recomputed for what is left.
    """
    used: set[int] = set()

    def silenced(kind: str, first_line: int, last_line: int) -> bool:
        hits = [marker.line for marker in markers if marker.covers(kind, first_line, last_line)]
        used.update(hits)
        return bool(hits)

    kept_claims: list[ClaimCheck] = []
    dropped_claims: list[ClaimCheck] = []
    for claim in report.claims:
        where = claim.claim
        if (
            claim_status(claim) is not None
            and where.doc_id == draft_doc_id
            and silenced(claim.kind, where.line, where.end_line)
        ):
            dropped_claims.append(claim)
        else:
            kept_claims.append(claim)

    still_needed = {finding_id for claim in kept_claims for finding_id in claim.finding_ids}
    behind_dropped = {finding_id for claim in dropped_claims for finding_id in claim.finding_ids} - still_needed
    kept_findings: list[Finding] = []
    dropped_findings: list[Finding] = []
    for finding in report.findings:
        on_silenced_line = (
            finding_status(finding) is not None
            and finding.id not in still_needed
            and any(
                side.doc_id == draft_doc_id and silenced(finding.kind, side.line, side.end_line)
                for side in finding.sides
            )
        )
        if finding.id in behind_dropped or on_silenced_line:
            dropped_findings.append(finding)
        else:
            kept_findings.append(finding)

    unused = [
        UnusedMarker(line=marker.line, reason=_why_unused(marker, known_kinds))
        for marker in markers
        if marker.line not in used
    ]
    return SuppressionResult(
        report=rebuild_report(report, kept_findings, kept_claims),
        suppressed_claims=dropped_claims,
        suppressed_findings=dropped_findings,
        unused=unused,
    )


def _why_unused(marker: Marker, known_kinds: Collection[str] | None) -> str:
    if marker.problem is not None:
        return marker.problem
    if marker.target_line is None:
        return "check-ignore marker has no line of text after it and silences nothing"
    if marker.kinds is not None and known_kinds is not None:
        known = sorted(kind.lower() for kind in known_kinds)
        for kind in marker.kinds:
            if kind not in known:
                close = difflib.get_close_matches(kind, known, n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else f"; kinds are {', '.join(known)}"
                return f"check-ignore marker names unknown kind '{kind}'{hint}"
    return "check-ignore marker silences nothing"
