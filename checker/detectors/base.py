"""Conflict detectors: small classes with stable codes, kept in a registry.

Adding a kind of conflict means adding one module with one ``@register``-ed class.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from abc import ABC, abstractmethod
from typing import ClassVar

from pydantic import BaseModel

from checker.ingest import printable_path
from checker.models import Document, Evidence, Fact, FactAlignment, Finding, Sentence


class ComparisonContext(BaseModel):
    """What a detector may look up about the facts it compares."""

    documents: dict[str, Document]
    sentences: dict[str, list[Sentence]]

    def sentence_of(self, fact: Fact) -> Sentence:
        return self.sentences[fact.doc_id][fact.sentence_index]

    def evidence(self, fact: Fact, value: str, score: float) -> Evidence:
        document = self.documents[fact.doc_id]
        sentence = self.sentence_of(fact)
        quantity = fact.quantity
        location = document.locate(sentence.start + quantity.start, sentence.start + quantity.end)
        return Evidence(
            doc_id=fact.doc_id,
            path=printable_path(Path(document.path).as_posix()),
            outlet=document.meta.outlet,
            published=document.meta.published,
            sentence=sentence.text,
            span=quantity.text,
            span_start=quantity.start,
            span_end=quantity.end,
            start=location.start,
            end=location.end,
            line=location.line,
            column=location.column,
            end_line=location.end_line,
            end_column=location.end_column,
            value=value,
            score=score,
        )


class Detector(ABC):
    kind: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def compare(self, alignment: FactAlignment, context: ComparisonContext) -> Finding | None:
        """A finding about two aligned facts, or None when this detector has nothing to say."""


DETECTORS: dict[str, type[Detector]] = {}


def register(detector: type[Detector]) -> type[Detector]:
    if detector.kind in DETECTORS:
        raise ValueError(f"detector kind {detector.kind!r} registered twice")
    DETECTORS[detector.kind] = detector
    return detector


def finding_id(kind: str, sides: list[Evidence]) -> str:
    """Stable across runs and across edits elsewhere in the documents: built from what the sides say."""
    material = "\x1f".join([kind, *(f"{side.doc_id}\x1e{side.sentence}\x1e{side.span}" for side in sides)])
    return f"{kind}-{hashlib.sha1(material.encode('utf-8')).hexdigest()[:12]}"
