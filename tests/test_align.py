"""Fact alignment on hand-made facts: which quantities of two aligned sentences are paired."""

from __future__ import annotations

import pytest

from checker.align import align_facts
from checker.models import Fact, Frame, SentenceMatch
from checker.quantities import find_quantities

TOP_AND_BOTTOM_A = "The top 2 percent of owners now hold more farmland than the bottom 70 percent."
TOP_AND_BOTTOM_B = "The richest 2 percent are set to control more farmland than the poorest 70 percent."


def facts_of(doc_id: str, text: str, measured: dict[str, str | None]) -> list[Fact]:
    """The sentence's quantities as facts, each with the measured thing given (as a parser might misread it)."""
    return [
        Fact(
            fact_id=f"{doc_id}:{number}",
            doc_id=doc_id,
            sentence_index=0,
            quantity=quantity,
            frame=Frame(measured=measured[quantity.text], measured_text=measured[quantity.text]),
        )
        for number, quantity in enumerate(find_quantities(text))
    ]


def pairs(measured_a: dict[str, str | None], measured_b: dict[str, str | None], text_b: str = TOP_AND_BOTTOM_B):
    facts = {
        ("a.txt", 0): facts_of("a.txt", TOP_AND_BOTTOM_A, measured_a),
        ("b.txt", 0): facts_of("b.txt", text_b, measured_b),
    }
    match = SentenceMatch(doc_a="a.txt", sentence_a=0, doc_b="b.txt", sentence_b=0, similarity=0.7)
    return align_facts([match], facts)


def texts(alignments) -> list[tuple[str, str]]:
    return sorted((alignment.a.quantity.text, alignment.b.quantity.text) for alignment in alignments)


def test_values_both_sentences_give_are_not_paired_crosswise() -> None:
    # Misread frames make 2 percent and 70 percent look like the same measure; both outlets give both values.
    result = pairs({"2 percent": None, "70 percent": "farmland"}, {"2 percent": "farmland", "70 percent": None})
    assert ("70 percent", "2 percent") not in texts(result.aligned)
    crosswise = [alignment for alignment in result.set_aside if alignment.reasons[-1].endswith("paired crosswise, not a conflict")]
    assert texts(crosswise) == [("2 percent", "70 percent"), ("70 percent", "2 percent")]
    assert "both sentences give 70% and 2%" in crosswise[-1].reasons[-1]


@pytest.mark.parametrize(
    "text_b",
    [
        "The richest 2 percent are set to control more farmland than the poorest 60 percent.",
        "The richest 3 percent are set to control more farmland than others.",
    ],
    ids=["one-value-differs", "other-sentence-lacks-the-value"],
)
def test_a_value_only_one_sentence_gives_is_still_compared(text_b: str) -> None:
    measured_b = {quantity.text: "farmland" for quantity in find_quantities(text_b)}
    result = pairs({"2 percent": "farmland", "70 percent": "farmland"}, measured_b, text_b)
    disagreeing = [
        alignment for alignment in result.aligned if alignment.a.quantity.interval != alignment.b.quantity.interval
    ]
    assert disagreeing, texts(result.aligned)


def test_figures_that_add_up_to_the_other_sentences_figure_are_its_parts() -> None:
    part_text = "Police arrested 30 protesters on Saturday and 12 more on Sunday."
    whole_text = "Police arrested 42 protesters over the weekend."
    facts = {
        ("a.txt", 0): facts_of("a.txt", part_text, {"30 protesters": "arrests", "12": "arrests"}),
        ("b.txt", 0): facts_of("b.txt", whole_text, {"42 protesters": "arrests"}),
    }
    match = SentenceMatch(doc_a="a.txt", sentence_a=0, doc_b="b.txt", sentence_b=0, similarity=0.8)
    result = align_facts([match], facts)
    assert result.aligned == []
    reasons = [alignment.reasons[-1] for alignment in result.set_aside]
    assert "30 protesters + 12 protesters = 42 protesters: parts of a whole, not a conflict" in reasons
