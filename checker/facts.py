"""Fact extraction: quantity mentions (cheap, every sentence) and their frames (parsed, only where needed)."""

from __future__ import annotations

from checker.frames import frame_for, parse
from checker.models import Fact, QuantifiedSentence, Sentence, SentenceFacts
from checker.quantities import find_quantities


def quantify(sentences: list[Sentence]) -> list[QuantifiedSentence]:
    return [QuantifiedSentence(sentence=sentence, quantities=find_quantities(sentence.text)) for sentence in sentences]


def extract_facts(quantified: list[QuantifiedSentence]) -> list[SentenceFacts]:
    """Parse each sentence once and give every quantity in it a frame."""
    with_quantities = [item for item in quantified if item.quantities]
    docs = parse([item.sentence.text for item in with_quantities])
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
                )
                for quantity in item.quantities
            ],
        )
        for item, doc in zip(with_quantities, docs)
    ]
