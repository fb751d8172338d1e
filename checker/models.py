"""Typed records passed between pipeline stages.

Every stage takes and returns these models; nothing travels between stages as
a loose dict or tuple. Offsets are character offsets: ``Document.text`` offsets
inside the library, source-file offsets (plus 1-based line and column) once a
finding is reported.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from enum import Enum
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------- ingest


class DocumentMeta(Frozen):
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = Field(None, description="ISO date (YYYY-MM-DD) when the text gives one")
    url: str | None = None


class TextPiece(Frozen):
    """A run of ``Document.text`` copied verbatim from the source file."""

    text_start: int
    source_start: int
    length: int


class SourceLocation(Frozen):
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int


class Document(Frozen):
    doc_id: str = Field(description="path relative to the argument, POSIX separators")
    path: str
    format: Literal["text", "markdown", "html"]
    meta: DocumentMeta
    source: str = Field(description="the decoded file, as the user has it")
    text: str = Field(description="article text only: headers, captions, credits and page junk removed")
    pieces: list[TextPiece] = Field(description="sorted by text_start; characters outside any piece were inserted")

    def source_offset(self, text_offset: int) -> int:
        """Map an offset in ``text`` to the offset in ``source`` (nearest piece for inserted characters)."""
        if not self.pieces:
            return 0
        starts = [piece.text_start for piece in self.pieces]
        index = max(bisect.bisect_right(starts, text_offset) - 1, 0)
        piece = self.pieces[index]
        inside = min(max(text_offset - piece.text_start, 0), piece.length)
        return piece.source_start + inside

    def locate(self, text_start: int, text_end: int) -> SourceLocation:
        start = self.source_offset(text_start)
        # The end maps through the span's last character: an end that falls where one piece stops
        # and the next begins must not swallow the markup removed in between.
        end = self.source_offset(text_end - 1) + 1 if text_end > text_start else start
        end = max(end, start)
        line, column = line_column(self.source, start)
        end_line, end_column = line_column(self.source, end)
        return SourceLocation(start=start, end=end, line=line, column=column, end_line=end_line, end_column=end_column)


def line_column(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = source.count("\n", 0, offset) + 1
    column = offset - (source.rfind("\n", 0, offset) + 1) + 1
    return line, column


class SkippedFile(Frozen):
    path: str
    reason: str


class Corpus(Frozen):
    documents: list[Document]
    skipped: list[SkippedFile] = []


# --------------------------------------------------------------------------- segment


class Sentence(Frozen):
    doc_id: str
    index: int
    start: int = Field(description="offset in Document.text")
    end: int
    text: str


class Precomputed(BaseModel):
    """Work already done for some documents, by doc_id: their sentences and sentence vectors (from
    a source index, or computed once for several drafts) and, from an index, their parses."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    sentences: dict[str, list[Sentence]] = {}
    vectors: dict[str, np.ndarray] = {}
    # doc_id -> the spaCy Docs of its sentences in order, or None when none are stored.
    parses: Callable[[str], list[Any] | None] | None = None


# --------------------------------------------------------------------------- facts


class Dimension(str, Enum):
    duration = "duration"
    money = "money"
    percent = "percent"
    count = "count"
    length = "length"
    mass = "mass"
    age = "age"
    magnitude = "magnitude"
    speed = "speed"
    temperature = "temperature"
    volume = "volume"


class Interval(Frozen):
    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def overlaps(self, other: Interval) -> bool:
        if self.high < other.low or other.high < self.low:
            return False
        if self.high == other.low:
            return not (self.high_open or other.low_open)
        if other.high == self.low:
            return not (other.high_open or self.low_open)
        return True


class Quantity(Frozen):
    """A number mention with its unit and the interval its wording allows."""

    text: str = Field(description="the mention as written, hedge included")
    start: int = Field(description="offset in Sentence.text")
    end: int
    value: float = Field(description="the number as stated, in the canonical unit")
    interval: Interval = Field(description="what the wording allows, hedges and rounding included")
    dimension: Dimension
    unit: str = Field(description="canonical unit: hour, USD, percent, item, km, kg, year ...")
    scale: str = Field(description="unit family that must match to compare, e.g. sub-day vs calendar durations")
    counted: str | None = Field(None, description="for counts: lemma of what is counted")
    hedge: str | None = Field(None, description="about, more than, at least, up to, between ...")
    approximate: bool = False
    increment: bool = Field(False, description="worded as an addition to an earlier amount: another, an additional, a further")
    system: str = Field(
        "", description="metric, imperial, nautical or barrels, for lengths, masses, speeds, temperatures and volumes"
    )
    rounding: float = Field(0.0, description="half a unit of the last digit written, in the canonical unit")
    whole: bool = Field(False, description="the total a part is taken from: 40 in '23 of the council's 40 seats'")
    converted: bool = Field(
        False, description="a currency conversion of the figure before it: '4.6 billion euros ($5 billion)'"
    )


class Frame(Frozen):
    """What a quantity measures: the thing, whose, where and when."""

    measured: str | None = Field(None, description="canonical measured thing, e.g. 'talks'")
    measured_text: str | None = Field(None, description="the measured thing as written")
    measured_is_action: bool = Field(
        False, description="the measured thing is what was done: 'won' in 'won 41 percent'"
    )
    participants: list[str] = []
    places: list[str] = []
    times: list[str] = []
    outcome: str | None = Field(None, description="what the count says happened to what it counts, by class: 'injured'")
    outcome_text: str | None = Field(None, description="the outcome as written: 'wounded'")
    source: str | None = Field(None, description="who the sentence says gave the figure: 'police', 'U.S. officials'")
    climbed: bool = Field(False, description="the figure is where a growing count got to: 'grew to 48,000 acres'")
    at_close: bool = Field(False, description="a market move at the close of trading: 'shares closed down 2.1%'")
    remaining: bool = Field(False, description="what is left at a later moment: '150,000 homes that remained in the dark'")
    with_debt: bool = Field(False, description="a price that includes the debt taken on: 'valued at $13.2 billion including debt'")
    holder: str | None = Field(None, description="whose share or count it is, of several named: 'Greer' in 'Paul Greer's 46%'")


class Fact(Frozen):
    fact_id: str
    doc_id: str
    sentence_index: int
    quantity: Quantity
    frame: Frame
    published: str | None = Field(None, description="the document's date: the time an undated fact speaks of")


class QuantifiedSentence(Frozen):
    sentence: Sentence
    quantities: list[Quantity]


class SentenceFacts(Frozen):
    sentence: Sentence
    facts: list[Fact]


# --------------------------------------------------------------------------- align


class SentenceMatch(Frozen):
    doc_a: str
    sentence_a: int
    doc_b: str
    sentence_b: int
    similarity: float


class SentencePair(Frozen):
    """Two aligned sentences of different documents; ``a`` is the one with the smaller (doc_id, index)."""

    a: Sentence
    b: Sentence
    similarity: float


class FactAlignment(Frozen):
    a: Fact
    b: Fact
    similarity: float = Field(description="cosine similarity of the two sentences")
    frame_score: float
    reasons: list[str] = Field(description="why the two facts were judged the same fact (or, set aside, not)")


class FactAlignments(Frozen):
    aligned: list[FactAlignment]
    set_aside: list[FactAlignment] = Field(description="pairs the event gate judged to be different facts")


# --------------------------------------------------------------------------- report


class Severity(str, Enum):
    conflict = "conflict"
    warning = "warning"
    info = "info"

    @property
    def rank(self) -> int:
        return {"conflict": 3, "warning": 2, "info": 1}[self.value]


class Evidence(Frozen):
    doc_id: str
    path: str | None = Field(None, description="the file as found from the command-line argument, for CI annotations")
    outlet: str | None
    published: str | None
    sentence: str
    span: str
    span_start: int = Field(description="offset of the span in the sentence")
    span_end: int
    start: int = Field(description="character offset in the source file")
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    value: str = Field(description="the normalised value")
    score: float = Field(description="confidence that this side states the compared fact")


class Finding(Frozen):
    id: str
    kind: str
    severity: Severity
    summary: str
    score: float = Field(0.0, description="confidence that the sides state the same fact (0-1)")
    sides: list[Evidence]
    reasons: list[str] = Field([], description="why the sides were aligned and judged the same fact")
    subject: str | None = Field(None, description="the fact in words, e.g. 'duration of the talks'")
    caveat: str | None = Field(
        None, description="why the values may both be right, e.g. 'the office may have changed hands'; ends the summary"
    )


class ClusterGroup(Frozen):
    value: str = Field(description="the normalised value these documents give; values that agree joined by ' / '")
    values: list[str] = Field(description="each normalised value of the group: several when they agree ('44.5°C', '112°F')")
    doc_ids: list[str]
    outlets: list[str] = Field(description="outlet names, or doc ids where the outlet is unknown")


class FactCluster(Frozen):
    """One fact as every document that states it gives it, grouped by value, largest group first."""

    id: str
    kind: str
    subject: str
    severity: Severity = Field(description="the most severe finding in the cluster")
    summary: str = Field(description="e.g. 'duration of the talks: 3 outlets: 9 hours; 1 outlet: more than 6 hours'")
    groups: list[ClusterGroup]
    finding_ids: list[str]


class SetAside(Frozen):
    """Two similar statements the event gate judged to be different facts (listed by --explain)."""

    kind: str
    similarity: float = Field(description="cosine similarity of the two sentences")
    sides: list[Evidence]
    reasons: list[str] = Field(description="what was compared; the last reason is why they differ")


class Verdict(str, Enum):
    contradicted = "contradicted"
    supported = "supported"
    unverified = "unverified"


class ClaimCheck(Frozen):
    """The verdict on one checkable claim of a draft (draft mode only)."""

    id: str = Field(description="stable fingerprint of the claim: survives unrelated edits to the draft")
    kind: str = Field(description="what sort of claim, e.g. 'number'")
    verdict: Verdict
    disputed: bool = Field(
        False, description="supported by some sources and contradicted by others: the sources disagree among themselves"
    )
    summary: str = Field(description="the verdict in words, e.g. 'duration of the talks: draft says 2 hours, sources say 1 hour'")
    claim: Evidence = Field(description="where the draft makes the claim")
    evidence: list[Evidence] = Field([], description="source statements that contradict or support it")
    finding_ids: list[str] = Field([], description="the findings behind the verdict")


class DocumentInfo(Frozen):
    doc_id: str
    format: str
    meta: DocumentMeta
    sentences: int
    facts: int


class ReportSummary(Frozen):
    documents: int
    skipped: int
    sentences: int
    facts: int
    aligned_pairs: int
    findings_by_severity: dict[str, int]


REPORT_SCHEMA_VERSION = 1


class Report(Frozen):
    schema_version: int = Field(
        REPORT_SCHEMA_VERSION, description="bumped when a field is removed, renamed or changes meaning"
    )
    tool: str = "check"
    version: str
    model: str
    kinds: list[str] = Field(description="the kinds of discrepancy looked for: every detector's unless narrowed (--select, --ignore)")
    documents: list[DocumentInfo]
    skipped: list[SkippedFile]
    findings: list[Finding]
    clusters: list[FactCluster] = Field([], description="facts stated by several documents, grouped by value")
    set_aside: list[SetAside] = Field(
        [], description="with --explain: the most similar statements judged to be different facts, and why"
    )
    draft: str | None = Field(None, description="doc_id of the draft checked against the sources, in draft mode")
    claims: list[ClaimCheck] = Field([], description="a verdict per checkable draft claim, in draft mode")
    summary: ReportSummary
