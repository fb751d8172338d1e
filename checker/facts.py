"""Fact extraction: quantity mentions (cheap, every sentence) and their frames (parsed, only where needed)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

from checker.frames import frame_for, parse
from checker.models import Dimension, Fact, QuantifiedSentence, Quantity, Sentence, SentenceFacts
from checker.quantities import find_quantities

if TYPE_CHECKING:
    from spacy.tokens import Doc

# "the two countries", "its original 12 members": a number inside a referring expression presupposes
# a count the reader already knows; it is not a claim to check.
DEFINITE_BEFORE = re.compile(
    r"\b(?:the|these|those|both|our|their|its|his|her|your|my)\s+(?:[a-z]+\s+)?$", re.IGNORECASE
)
# "the Velorian half of the estuary", "the northern third": a part named, not a share claimed.
PART_BEFORE = re.compile(r"\b(?:the|its|their|our)\s+(?:[A-Z]\w+\s+|\w+ern\s+)?$")
# "a day after", "two weeks later": an offset in time, not the length of anything.
OFFSET_AFTER = re.compile(r"^\s+(?:after|before|later|earlier|ago|afterwards|beforehand)\b", re.IGNORECASE)
# ... unless it is what something lasted: "met for two hours beforehand".
FOR_BEFORE = re.compile(r"\bfor\s+$", re.IGNORECASE)


def quantify(sentences: list[Sentence]) -> list[QuantifiedSentence]:
    return [QuantifiedSentence(sentence=sentence, quantities=list(_claims(sentence.text))) for sentence in sentences]


@lru_cache(maxsize=16384)
def _claims(text: str) -> tuple[Quantity, ...]:
    """The quantity claims of a sentence, remembered by its text: a source index's sentences are
    read again with every draft checked against it in the same process."""
    return tuple(quantity for quantity in find_quantities(text) if is_claim(quantity, text))


def is_claim(quantity: Quantity, text: str) -> bool:
    """Whether a quantity mention asserts a value, rather than referring to or offsetting from one."""
    if quantity.dimension is Dimension.count and quantity.counted is None:
        # "Sapp, 42, was charged", "from May 27": a bare number says nothing checkable.
        return False
    if quantity.dimension is Dimension.count and DEFINITE_BEFORE.search(text[: quantity.start]):
        return False
    if quantity.scale == "share" and PART_BEFORE.search(text[: quantity.start]) and not any(c.isdigit() for c in quantity.text):
        return False
    if (
        quantity.dimension is Dimension.duration
        and OFFSET_AFTER.match(text[quantity.end :])
        and not FOR_BEFORE.search(text[: quantity.start])
    ):
        return False
    return True


def extract_facts(
    quantified: list[QuantifiedSentence],
    published: dict[str, str | None],
    parsed: Callable[[list[Sentence]], list[Doc]] | None = None,
) -> list[SentenceFacts]:
    """Give every quantity a frame, read from its sentence's parse.

    ``published`` maps doc_id to the document's date, which undated facts are read against.
    ``parsed`` gives the parses of sentences (``ComparisonContext.parse_all``, which reuses stored
    ones); by default the sentences are parsed in one batch.
    """
    with_quantities = [item for item in quantified if item.quantities]
    sentences = [item.sentence for item in with_quantities]
    docs = parsed(sentences) if parsed is not None else list(parse([sentence.text for sentence in sentences]))
    return [
        SentenceFacts(
            sentence=item.sentence,
            facts=[
                Fact(
                    fact_id=f"{item.sentence.doc_id}#{item.sentence.index}:{quantity.start}",
                    doc_id=item.sentence.doc_id,
                    sentence_index=item.sentence.index,
                    quantity=quantity,
                    frame=frame_for(doc, quantity, item.quantities),
                    published=published.get(item.sentence.doc_id),
                )
                for quantity in item.quantities
            ],
        )
        for item, doc in zip(with_quantities, docs)
    ]
