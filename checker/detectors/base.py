"""Conflict detectors: small classes with stable codes, kept in a registry.

Adding a kind of conflict means adding one module with one ``@register``-ed class. Every
detector reads the same ``ComparisonContext``: the documents, their sentences, the sentence
pairs the index aligned across documents, and the numeric facts already aligned.
"""

from __future__ import annotations

import difflib
import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel, ConfigDict, PrivateAttr

from checker.compatibility import Compatibility, judge_event
from checker.errors import UsageError
from checker.frames import keep_parses, parse, recent_parse, sentence_frame
from checker.ingest import printable_path
from checker.models import (
    Document,
    Evidence,
    Fact,
    FactAlignment,
    Finding,
    Frame,
    Sentence,
    SentenceMatch,
    SentencePair,
    SetAside,
    Severity,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

Span = tuple[int, int]


class ComparisonContext(BaseModel):
    """What a detector may look up about the documents it compares."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    documents: dict[str, Document]
    sentences: dict[str, list[Sentence]]
    matches: list[SentenceMatch] = []
    alignments: list[FactAlignment] = []
    # doc_id -> the stored parses of its sentences (``Precomputed.parses``), reused instead of parsing.
    stored_parses: Callable[[str], list[Any] | None] | None = None
    _parses: dict[tuple[str, int], Any] = PrivateAttr(default_factory=dict)
    _aligned_pairs: list[SentencePair] | None = PrivateAttr(default=None)
    _set_aside: list[_Rejected] = PrivateAttr(default_factory=list)

    def sentence_of(self, fact: Fact) -> Sentence:
        return self.sentences[fact.doc_id][fact.sentence_index]

    def published(self, doc_id: str) -> str | None:
        return self.documents[doc_id].meta.published

    def candidate_pairs(
        self, min_similarity: float, worth_parsing: Callable[[SentencePair], bool] | None = None
    ) -> list[SentencePair]:
        """Aligned sentences of different documents at least this similar, and (when given) worth
        parsing by a cheap test of their text."""
        if self._aligned_pairs is None:
            # Made once: every detector asks, twice (what to parse, then what to compare).
            self._aligned_pairs = [
                SentencePair(
                    a=self.sentences[match.doc_a][match.sentence_a],
                    b=self.sentences[match.doc_b][match.sentence_b],
                    similarity=match.similarity,
                )
                for match in self.matches
            ]
        return [
            pair
            for pair in self._aligned_pairs
            if pair.similarity >= min_similarity and (worth_parsing is None or worth_parsing(pair))
        ]

    def prepare_pairs(self, pairs: list[SentencePair]) -> None:
        """Parse in one batch both sentences of each pair."""
        self.prepare(pair_sentences(pairs))

    def prepare(self, sentences: list[Sentence]) -> None:
        """Parse in one batch the sentences not parsed yet and not stored."""
        fresh = []
        found: dict[str, Doc] = {}
        for sentence in {(s.doc_id, s.index): s for s in sentences if (s.doc_id, s.index) not in self._parses}.values():
            known = recent_parse(sentence.text)
            if known is None:
                known = self._stored_parse(sentence)
            if known is None:
                fresh.append(sentence)
                continue
            self._parses[(sentence.doc_id, sentence.index)] = known
            found[sentence.text] = known
        # Kept with the recent parses, so that the next draft checked in this process finds them at once.
        keep_parses(found)
        for sentence, doc in zip(fresh, parse([sentence.text for sentence in fresh])):
            self._parses[(sentence.doc_id, sentence.index)] = doc

    def _stored_parse(self, sentence: Sentence) -> Doc | None:
        stored = self.stored_parses(sentence.doc_id) if self.stored_parses is not None else None
        if stored is None or sentence.index >= len(stored) or stored[sentence.index].text != sentence.text:
            return None
        return stored[sentence.index]

    def parse_all(self, sentences: list[Sentence]) -> list[Doc]:
        """The parses of these sentences, in order."""
        self.prepare(sentences)
        return [self._parses[(sentence.doc_id, sentence.index)] for sentence in sentences]

    def parsed(self, sentence: Sentence) -> Doc:
        if (sentence.doc_id, sentence.index) not in self._parses:
            self.prepare([sentence])
        return self._parses[(sentence.doc_id, sentence.index)]

    def frame(self, sentence: Sentence, taken: list[Span] | None = None) -> Frame:
        """Who, where and when the sentence speaks of, leaving out the compared spans ``taken``."""
        return sentence_frame(self.parsed(sentence), taken or [])

    def same_event(
        self, pair: SentencePair, taken_a: list[Span], taken_b: list[Span], participants: bool = True
    ) -> Compatibility:
        """The event gate for two sentences: their frames, without the spans being compared, must
        fit; without ``participants`` only their places and times (the detector matched the sides)."""
        frames = [self.frame(pair.a, taken_a), self.frame(pair.b, taken_b)]
        if not participants:
            frames = [frame.model_copy(update={"participants": []}) for frame in frames]
        verdict = judge_event(
            *frames,
            _Dated(doc_id=pair.a.doc_id, published=self.published(pair.a.doc_id)),
            _Dated(doc_id=pair.b.doc_id, published=self.published(pair.b.doc_id)),
        )
        reasons = [f"sentence similarity {pair.similarity:.2f}", *verdict.reasons]
        if not verdict.same_fact:
            self._set_aside.append(_Rejected(pair=pair, taken_a=taken_a, taken_b=taken_b, reasons=reasons))
        return verdict.model_copy(update={"reasons": reasons})

    def take_set_aside(self, kind: str) -> list[SetAside]:
        """The pairs the event gate turned down since the last call, as the ``kind`` detector saw them."""
        rejected, self._set_aside = self._set_aside, []
        return [
            SetAside(
                kind=kind,
                similarity=item.pair.similarity,
                sides=[self._compared(item.pair.a, item.taken_a), self._compared(item.pair.b, item.taken_b)],
                reasons=item.reasons,
            )
            for item in rejected
        ]

    def _compared(self, sentence: Sentence, taken: list[Span]) -> Evidence:
        start, end = min(taken) if taken else (0, len(sentence.text))
        return self.span_evidence(sentence, start, end, sentence.text[start:end], 0.0)

    def evidence(self, fact: Fact, value: str, score: float) -> Evidence:
        quantity = fact.quantity
        return self.span_evidence(self.sentence_of(fact), quantity.start, quantity.end, value, score)

    def span_evidence(self, sentence: Sentence, start: int, end: int, value: str, score: float) -> Evidence:
        """One side of a finding: ``start``/``end`` are offsets of the span in the sentence."""
        document = self.documents[sentence.doc_id]
        location = document.locate(sentence.start + start, sentence.start + end)
        return Evidence(
            doc_id=sentence.doc_id,
            path=printable_path(Path(document.path).as_posix()),
            outlet=document.meta.outlet,
            published=document.meta.published,
            sentence=sentence.text,
            span=sentence.text[start:end],
            span_start=start,
            span_end=end,
            start=location.start,
            end=location.end,
            line=location.line,
            column=location.column,
            end_line=location.end_line,
            end_column=location.end_column,
            value=value,
            score=score,
        )


def pair_sentences(pairs: list[SentencePair]) -> list[Sentence]:
    return [sentence for pair in pairs for sentence in (pair.a, pair.b)]


class _Rejected(BaseModel):
    pair: SentencePair
    taken_a: list[Span]
    taken_b: list[Span]
    reasons: list[str]


class _Dated(BaseModel):
    doc_id: str
    published: str | None


class Detector(ABC):
    kind: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def detect(self, context: ComparisonContext) -> list[Finding]:
        """Findings about the aligned statements of the context's documents."""

    def to_parse(self, context: ComparisonContext) -> list[Sentence]:
        """The sentences ``detect`` will read parsed, found cheaply beforehand: the pipeline parses
        every detector's at once, and spaCy runs faster on one large batch than on several small ones."""
        return []


DETECTORS: dict[str, type[Detector]] = {}


def register(detector: type[Detector]) -> type[Detector]:
    if detector.kind in DETECTORS:
        raise ValueError(f"detector kind {detector.kind!r} registered twice")
    DETECTORS[detector.kind] = detector
    return detector


def selected_kinds(select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> list[str]:
    """The kinds of detector to run, sorted: those selected (every one by default) less those
    ignored. Names are case-insensitive and may be comma-separated, as on a command line."""
    chosen = _kind_names(select, "select") if select is not None else set(DETECTORS)
    kinds = sorted(chosen - _kind_names(ignore, "ignore"))
    if not kinds:
        raise UsageError("--select and --ignore leave no kind of discrepancy to look for")
    return kinds


def _kind_names(given: Iterable[str], option: str) -> set[str]:
    names = {name.strip().lower() for item in given for name in item.split(",") if name.strip()}
    for name in sorted(names - set(DETECTORS)):
        close = difflib.get_close_matches(name, DETECTORS, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"the kinds are {', '.join(sorted(DETECTORS))}"
        raise UsageError(f"--{option}: unknown kind '{name}' ({hint})")
    return names


def finding_id(kind: str, sides: list[Evidence]) -> str:
    """Stable across runs and across edits elsewhere in the documents: built from what the sides say."""
    material = "\x1f".join([kind, *(f"{side.doc_id}\x1e{side.sentence}\x1e{side.span}" for side in sides)])
    return f"{kind}-{hashlib.sha1(material.encode('utf-8')).hexdigest()[:12]}"


def make_finding(
    kind: str,
    severity: Severity,
    summary: str,
    sides: list[Evidence],
    score: float,
    reasons: list[str],
    subject: str | None = None,
    caveat: str | None = None,
) -> Finding:
    """A finding with its sides in document order and its stable id; a caveat ends its summary."""
    ordered = sorted(sides, key=lambda side: (side.doc_id, side.start))
    return Finding(
        id=finding_id(kind, ordered),
        kind=kind,
        severity=severity,
        summary=f"{summary} — {caveat}" if caveat else summary,
        score=round(min(max(score, 0.0), 1.0), 3),
        sides=ordered,
        reasons=reasons,
        subject=subject,
        caveat=caveat,
    )
