"""Alignment: from similar sentences across documents to pairs of facts that state the same fact."""

from __future__ import annotations

import math
from collections import defaultdict

from checker.compatibility import judge
from checker.quantities import format_quantity, quantities_comparable, values_agree
from checker.models import Fact, FactAlignment, FactAlignments, SentenceMatch

SentenceKey = tuple[str, int]


def sentences_worth_parsing(matches: list[SentenceMatch], with_quantities: set[SentenceKey]) -> set[SentenceKey]:
    """Sentences with a quantity that are aligned with another document's sentence with a quantity."""
    keys: set[SentenceKey] = set()
    for match in matches:
        a, b = (match.doc_a, match.sentence_a), (match.doc_b, match.sentence_b)
        if a in with_quantities and b in with_quantities:
            keys.update((a, b))
    return keys


def comparable(a: Fact, b: Fact) -> bool:
    """Worth explaining when set aside: the same kind of quantity, so a reader might expect a comparison."""
    return quantities_comparable(a.quantity, b.quantity)


def _crosswise(fact_a: Fact, fact_b: Fact, facts_a: list[Fact], facts_b: list[Fact]) -> str | None:
    """Why two differing values are not one fact when each sentence also gives the other's value.

    "The top 0.1 percent hold more than the bottom 90 percent" in both outlets: their values agree,
    and only a misread frame could pair 0.1 with 90.
    """
    a_in_b = any(_same_value(fact_a, other) for other in facts_b)
    b_in_a = any(_same_value(fact_b, other) for other in facts_a)
    if not (a_in_b and b_in_a):
        return None
    return (
        f"both sentences give {format_quantity(fact_a.quantity)} and {format_quantity(fact_b.quantity)}: "
        "paired crosswise, not a conflict"
    )


def _parts_of_whole(whole: Fact, parts: list[Fact]) -> str | None:
    """Why a differing value is not a rival of ``whole`` when the other sentence's figures add up
    to it: "30 arrested on Saturday and 12 more on Sunday" against "42 over the weekend"."""
    same_kind = [part for part in parts if quantities_comparable(part.quantity, whole.quantity)]
    if len(same_kind) < 2:
        return None
    if not math.isclose(sum(part.quantity.value for part in same_kind), whole.quantity.value, rel_tol=0.005):
        return None
    terms = " + ".join(format_quantity(part.quantity) for part in same_kind)
    return f"{terms} = {format_quantity(whole.quantity)}: parts of a whole, not a conflict"


def _not_one_fact(fact_a: Fact, fact_b: Fact, facts_a: list[Fact], facts_b: list[Fact]) -> str | None:
    """Why two differing values that the frames would pair are still not one fact, if they are not."""
    if values_agree(fact_a.quantity, fact_b.quantity):  # quantities that cannot be compared agree too
        return None
    return (
        _crosswise(fact_a, fact_b, facts_a, facts_b)
        or _parts_of_whole(fact_b, facts_a)
        or _parts_of_whole(fact_a, facts_b)
    )


def _same_value(fact: Fact, other: Fact) -> bool:
    return quantities_comparable(fact.quantity, other.quantity) and values_agree(fact.quantity, other.quantity)


def align_facts(matches: list[SentenceMatch], facts: dict[SentenceKey, list[Fact]]) -> FactAlignments:
    """One-to-one alignment of facts for every pair of documents.

    A document states a fact once, so each fact is paired with at most one fact of each other
    document: the best-scoring compatible one. This keeps "met for one hour" paired with
    "met Biden for an hour" instead of with the six hours of talks in the same article.
    """
    candidates: dict[tuple[str, str], list[FactAlignment]] = defaultdict(list)
    set_aside: list[FactAlignment] = []
    for match in matches:
        facts_a, facts_b = facts.get((match.doc_a, match.sentence_a), []), facts.get((match.doc_b, match.sentence_b), [])
        for fact_a in facts_a:
            for fact_b in facts_b:
                verdict = judge(fact_a, fact_b, match.similarity)
                reasons = verdict.reasons
                apart = _not_one_fact(fact_a, fact_b, facts_a, facts_b)
                if verdict.same_fact and apart:
                    reasons = [*reasons, apart]
                alignment = FactAlignment(
                    a=fact_a, b=fact_b, similarity=match.similarity, frame_score=verdict.score, reasons=reasons
                )
                if verdict.same_fact and not apart:
                    candidates[(match.doc_a, match.doc_b)].append(alignment)
                elif comparable(fact_a, fact_b):
                    set_aside.append(alignment)
    aligned: list[FactAlignment] = []
    for pair in sorted(candidates):
        used: set[str] = set()
        ranked = sorted(candidates[pair], key=lambda item: (-item.frame_score, item.a.fact_id, item.b.fact_id))
        for alignment in ranked:
            if alignment.a.fact_id in used or alignment.b.fact_id in used:
                continue
            used.update((alignment.a.fact_id, alignment.b.fact_id))
            aligned.append(alignment)
    return FactAlignments(aligned=aligned, set_aside=set_aside)
