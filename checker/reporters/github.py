"""GitHub Actions workflow commands, plus the problem model every CI format shares.

Output: one workflow command per line, which the Actions runner turns into an
annotation on the file and line (shown in the job summary and on the pull
request's diff)::

    ::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=T::message

followed by one plain summary line (not a command). Levels:

============================  ===========  ============
report item                   mode         command
============================  ===========  ============
claim ``contradicted``        draft        ``error``
claim ``supported``+disputed  draft        ``warning``
claim ``unverified``          draft        ``notice``
claim ``supported``           draft        (omitted)
finding ``conflict``          corpus       ``error``
finding ``warning``           corpus       ``warning``
finding ``info``              corpus       (omitted)
============================  ===========  ============

Draft mode annotates each claim at its place in the draft; corpus mode
annotates each side of a finding at its own file and line, and the message
names the other side(s): ``… — The Harbor Ledger says 9 hours vs Valley Wire
(valley-wire/strike-talks.html:41:30) says about 6 hours``.

``col``/``endColumn`` are given only when the span starts and ends on the same
line (the runner drops an annotation that has columns on a multi-line range);
``endColumn`` is the column just after the span, as in the JSON report.
Values are escaped by the workflow-command rules: ``%``, CR and LF in the
message, and also ``:`` and ``,`` in properties; article text is first reduced
to one line with control and bidirectional-override characters replaced, so it
can never start a command of its own.

The rest of this module (``items``, ``annotate``, ``message_parts``) is the
mapping from ``Report`` to graded problems that the SARIF, JUnit, GitLab and
Markdown formats build on, so every CI format grades and words things alike.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from checker.models import ClaimCheck, Evidence, Finding, Report, Severity, Verdict
from checker.reporters.base import RenderOptions, Reporter, register

# --------------------------------------------------------------------------- shared model


class Grade(str, Enum):
    """How much a report item matters to a CI gate, whatever the mode."""

    fail = "fail"  # contradicted claim, conflict finding: what the default gate fails on
    warn = "warn"  # disputed claim, warning finding: probably wrong, needs a person
    note = "note"  # unverified claim: no source states it
    ok = "ok"  # supported claim, info finding (corroboration)


_VERDICT_GRADE = {Verdict.contradicted: Grade.fail, Verdict.unverified: Grade.note, Verdict.supported: Grade.ok}
_SEVERITY_GRADE = {Severity.conflict: Grade.fail, Severity.warning: Grade.warn, Severity.info: Grade.ok}
_STATUS_LABEL = {
    "contradicted": "Contradicted claim",
    "disputed": "Disputed claim",
    "unverified": "Unverified claim",
    "supported": "Supported claim",
    "conflict": "Conflict",
    "warning": "Possible conflict",
    "info": "Corroboration",
}

_WHITESPACE = re.compile(r"\s+")
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def flatten(text: str) -> str:
    """Article text as displayable text on one line: whitespace runs become one space; control,
    private-use, surrogate and bidirectional-override characters become U+FFFD."""
    text = _WHITESPACE.sub(" ", text)
    return "".join(
        "\ufffd" if ch in _BIDI or unicodedata.category(ch) in ("Cc", "Co", "Cs") else ch for ch in text
    )


def one_line(text: str) -> str:
    """``flatten``, without leading or trailing space."""
    return flatten(text).strip()


def slug(text: str) -> str:
    """A rule-id fragment: lower-case letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


def is_draft(report: Report) -> bool:
    return report.draft is not None


@dataclass(frozen=True)
class Item:
    """One claim (draft mode) or one finding (corpus mode), graded."""

    id: str
    kind: str
    status: str  # contradicted / disputed / unverified / supported, or conflict / warning / info
    grade: Grade
    summary: str
    places: tuple[Evidence, ...]  # where to annotate: the draft claim, or every side of the finding
    evidence: tuple[Evidence, ...]  # draft mode: the source statements; corpus mode: empty
    claim: ClaimCheck | None = None
    finding: Finding | None = None

    @property
    def rule(self) -> str:
        """Stable rule id without the ``check/`` prefix, e.g. ``claim-contradicted``, ``number-conflict``."""
        return f"claim-{self.status}" if self.claim is not None else f"{slug(self.kind)}-{self.status}"

    @property
    def label(self) -> str:
        return _STATUS_LABEL[self.status]

    @property
    def title(self) -> str:
        """Short heading; its fixed words hold no ``:`` or ``,``, which a property value must escape."""
        return f"{self.label} ({one_line(self.kind)}) [{one_line(self.id)}]"


def claim_item(claim: ClaimCheck) -> Item:
    disputed = claim.verdict is Verdict.supported and claim.disputed
    return Item(
        id=claim.id,
        kind=claim.kind,
        status="disputed" if disputed else claim.verdict.value,
        grade=Grade.warn if disputed else _VERDICT_GRADE[claim.verdict],
        summary=claim.summary,
        places=(claim.claim,),
        evidence=tuple(claim.evidence),
        claim=claim,
    )


def finding_item(finding: Finding) -> Item:
    return Item(
        id=finding.id,
        kind=finding.kind,
        status=finding.severity.value,
        grade=_SEVERITY_GRADE[finding.severity],
        summary=finding.summary,
        places=tuple(finding.sides),
        evidence=(),
        finding=finding,
    )


def items(report: Report) -> list[Item]:
    """Every claim (draft mode) or every finding (corpus mode), in report order, ``ok`` ones included."""
    if is_draft(report):
        return [claim_item(claim) for claim in report.claims]
    return [finding_item(finding) for finding in report.findings]


@dataclass(frozen=True)
class Annotation:
    """One place to flag: the draft claim, or one side of a finding."""

    item: Item
    where: Evidence
    others: tuple[Evidence, ...]  # the other sides (corpus) or the source evidence (draft)
    fingerprint: str  # claim id; or finding id, ':' and the side's doc_id (with '#n' for a repeat)

    @property
    def grade(self) -> Grade:
        return self.item.grade


def annotate(report: Report) -> list[Annotation]:
    """The problems to annotate (``ok`` items left out), in report order, sides in finding order."""
    result: list[Annotation] = []
    for item in items(report):
        if item.grade is Grade.ok:
            continue
        if item.claim is not None:
            result.append(Annotation(item, item.claim.claim, item.evidence, item.id))
            continue
        seen: dict[str, int] = {}
        for index, side in enumerate(item.places):
            repeat = seen.get(side.doc_id, 0)
            seen[side.doc_id] = repeat + 1
            fingerprint = f"{item.id}:{side.doc_id}" + (f"#{repeat + 1}" if repeat else "")
            others = item.places[:index] + item.places[index + 1 :]
            result.append(Annotation(item, side, others, fingerprint))
    return result


def location(evidence: Evidence) -> str:
    return f"{evidence.doc_id}:{evidence.line}:{evidence.column}"


def name(evidence: Evidence) -> str:
    """Who says it: the outlet, else the file."""
    return evidence.outlet or evidence.doc_id


def said(evidence: Evidence) -> str:
    """What it says: the span as written, else the normalised value."""
    return one_line(evidence.span) or one_line(evidence.value)


def split_at_span(evidence: Evidence) -> tuple[str, str, str] | None:
    """``(before, span, after)`` of the sentence, at the span's offsets (else its first occurrence)."""
    sentence, span = evidence.sentence, evidence.span
    if not span:
        return None
    found = evidence.span_start if sentence[evidence.span_start : evidence.span_end] == span else sentence.find(span)
    if found < 0:
        return None
    return sentence[:found], span, sentence[found + len(span) :]


# A message is text with references to ``others``: ("text", str) or ("ref", index into others).
Part = tuple[str, str] | tuple[str, int]


def message_parts(annotation: Annotation) -> list[Part]:
    """The annotation's message, with each other statement as a reference the format can link.

    Corpus: ``<summary> — A says x vs B (file:line:col) says y``.
    Draft (the summary already names the sources and their values):
    ``<summary> — sources: A (file:line:col), B (file:line:col)``, or the summary alone.
    """
    item = annotation.item
    parts: list[Part] = [("text", one_line(item.summary))]
    others = list(annotation.others)
    if item.claim is not None:
        if others:
            parts.append(("text", " \u2014 sources: "))
        for index, other in enumerate(others):
            if index:
                parts.append(("text", ", "))
            parts.append(("ref", index))
            parts.append(("text", f" ({one_line(location(other))})"))
        return parts
    parts.append(("text", f" \u2014 {one_line(name(annotation.where))} says {said(annotation.where)} vs "))
    for index, other in enumerate(others):
        if index:
            parts.append(("text", " and " if index == len(others) - 1 else ", "))
        parts.append(("ref", index))
        parts.append(("text", f" ({one_line(location(other))}) says {said(other)}"))
    return parts


def plain_message(annotation: Annotation) -> str:
    return "".join(
        value if kind == "text" else one_line(name(annotation.others[value]))  # type: ignore[index]
        for kind, value in message_parts(annotation)
    )


def counts_line(report: Report) -> str:
    """``check: draft X: 1 contradicted, 1 disputed, 1 unverified, 1 supported`` or the corpus counts."""
    graded = items(report)
    if is_draft(report):
        statuses = ("contradicted", "disputed", "unverified", "supported")
        words = [f"{sum(item.status == status for item in graded)} {status}" for status in statuses]
        return f"check: draft {one_line(report.draft or '')}: {', '.join(words)}"
    conflicts = sum(item.status == "conflict" for item in graded)
    warnings = sum(item.status == "warning" for item in graded)
    infos = sum(item.status == "info" for item in graded)
    return (
        f"check: {conflicts} conflict{'s' if conflicts != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}, "
        f"{infos} corroboration{'s' if infos != 1 else ''}"
    )


# --------------------------------------------------------------------------- github


def escape_data(text: str) -> str:
    """Workflow-command message escaping."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Workflow-command property escaping: as messages, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


_COMMAND = {Grade.fail: "error", Grade.warn: "warning", Grade.note: "notice"}


def workflow_command(annotation: Annotation) -> str:
    where = annotation.where
    properties: list[tuple[str, object]] = [("file", where.path or where.doc_id), ("line", where.line)]
    same_line = where.end_line == where.line and where.end_column >= where.column
    if same_line:
        properties.append(("col", where.column))
    properties.append(("endLine", max(where.end_line, where.line)))
    if same_line:
        properties.append(("endColumn", where.end_column))
    properties.append(("title", annotation.item.title))
    rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{_COMMAND[annotation.grade]} {rendered}::{escape_data(plain_message(annotation))}"


@register
class GithubReporter(Reporter):
    name = "github"
    description = "GitHub Actions annotations (workflow commands), one per problem"

    def render(self, report: Report, options: RenderOptions) -> str:
        lines = [workflow_command(annotation) for annotation in annotate(report)]
        lines.append(counts_line(report))
        return "\n".join(lines) + "\n"
