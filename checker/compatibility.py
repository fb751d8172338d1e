"""The event gate: do two extracted facts state the same fact about the same event?

Sentence similarity alone cannot answer this (a different meeting's "seven and a half
hours" reads much like this meeting's "nine hours"), so the gate compares frames: the
measured thing, the participants, the place and the time. Any clear difference means two
facts, not one fact told two ways; the reasons say which.
"""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel

from checker.frames import (
    WHOLE_AREA,
    WORLDWIDE,
    months_overlap,
    months_spoken_of,
    names_match,
    time_markers,
    unmatched,
    years_spoken_of,
)
from checker.models import Fact, Frame, Quantity
from checker.places import Relation, load_gazetteer
from checker.quantities import quantities_comparable, values_agree

# A frame with no measured thing says little; its sentence must then be a near paraphrase.
SPARSE_FRAME_SIMILARITY = 0.68
FAR_APART_FACTOR = 3.0
FAR_APART_SIMILARITY = 0.6
COMPATIBLE_PLACES = frozenset({Relation.same, Relation.inside, Relation.contains, Relation.overlap})


class Compatibility(BaseModel):
    same_fact: bool
    score: float
    reasons: list[str]


def judge(a: Fact, b: Fact, similarity: float) -> Compatibility:
    reasons = [f"sentence similarity {similarity:.2f}"]
    qa, qb = a.quantity, b.quantity
    if not quantities_comparable(qa, qb):
        return _different(reasons, f"different measures: {_measure_label(a)} vs {_measure_label(b)}")
    if qa.increment != qb.increment:
        added, whole = (qa, qb) if qa.increment else (qb, qa)
        return _different(reasons, f"an addition vs a whole: {added.text!r} comes on top of an earlier amount, {whole.text!r} need not")

    fa, fb = a.frame, b.frame
    score = similarity
    if fa.holder and fb.holder:
        if not names_match(fa.holder, fb.holder):
            return _different(reasons, f"different holders: {fa.holder} vs {fb.holder}")
        # One holder for both: the other names in each clause ("to Paul Greer's 46%") are not whose figure it is.
        reasons.append(f"same holder: {fa.holder}")
        fa, fb = (frame.model_copy(update={"participants": [frame.holder]}) for frame in (fa, fb))
    if fa.measured and fb.measured:
        if fa.measured != fb.measured:
            return _different(reasons, f"different things measured: {fa.measured_text} vs {fb.measured_text}")
        reasons.append(f"same thing measured: {fa.measured} ({fa.measured_text} / {fb.measured_text})")
        score += 0.15
    elif similarity < SPARSE_FRAME_SIMILARITY:
        return _different(reasons, "what is measured is unclear and the sentences are not close paraphrases")
    else:
        reasons.append("what is measured is unclear, but the sentences are close paraphrases")
    if fa.outcome and fb.outcome:
        if fa.outcome != fb.outcome:
            # "300 people were injured" and "2,500 people were left homeless" count different people.
            return _different(reasons, f"different outcomes: {fa.outcome_text} vs {fb.outcome_text}")
        reasons.append(f"same outcome: {fa.outcome} ({fa.outcome_text} / {fb.outcome_text})")

    event = judge_event(fa, fb, a, b)
    if not event.same_fact:
        return _different(reasons, event.reasons[-1])
    reasons += event.reasons
    score += event.score

    if values_agree(qa, qb):
        # A document that restates the other's value is the likelier counterpart.
        score += 0.3
    else:
        factor = _factor(qa, qb)
        if factor >= FAR_APART_FACTOR and similarity < FAR_APART_SIMILARITY:
            # Outlets misreport by a little far more often than two facts look alike; values
            # several times apart need sentences that say much the same thing.
            return _different(reasons, f"values {factor:.0f}x apart in sentences that are not close paraphrases")
    return Compatibility(same_fact=True, score=round(score, 4), reasons=reasons)


class Dated(Protocol):
    """A statement's document and that document's date, which an undated statement speaks of."""

    doc_id: str
    published: str | None


def judge_event(fa: Frame, fb: Frame, a: Dated, b: Dated) -> Compatibility:
    """Whether two frames can describe the same event: participants, place and time compatible.

    The score is the bonus shared participants earn; reasons say what matched or, last, what differs.
    """
    reasons: list[str] = []
    score = 0.0
    only_a, only_b = unmatched(fa.participants, fb.participants), unmatched(fb.participants, fa.participants)
    if only_a and only_b:
        return _different(reasons, f"different participants: {', '.join(only_a)} vs {', '.join(only_b)}")
    shared = [name for name in fa.participants if any(names_match(name, other) for other in fb.participants)]
    if shared:
        reasons.append(f"shared participants: {', '.join(shared)}")
        score += 0.1 * min(len(shared), 2)

    if fa.places and fb.places and not any(_same_ground(x, y) for x in fa.places for y in fb.places):
        return _different(reasons, f"different places: {', '.join(fa.places)} vs {', '.join(fb.places)}")

    markers_a, markers_b = time_markers(fa.times), time_markers(fb.times)
    explicit = any(markers[unit] for markers in (markers_a, markers_b) for unit in ("year", "month"))
    # "last year" in an article of 2026 is 2025, as "in 2025" is.
    markers_a["year"], markers_b["year"] = years_spoken_of(fa.times, a.published), years_spoken_of(fb.times, b.published)
    for unit, values_a in markers_a.items():
        values_b = markers_b[unit]
        if values_a and values_b and not values_a & values_b:
            return _different(reasons, f"different times: {', '.join(fa.times)} vs {', '.join(fb.times)}")
    months_a, months_b = months_spoken_of(fa.times, a.published), months_spoken_of(fb.times, b.published)
    if explicit and months_a and months_b and not months_overlap(months_a, months_b):
        return _different(reasons, f"different times: {_when(fa.times, a)} vs {_when(fb.times, b)}")
    for years, undated_years, undated in ((markers_a["year"], markers_b["year"], b), (markers_b["year"], markers_a["year"], a)):
        if years and not undated_years and undated.published:
            # An undated statement speaks of its own day; one dated to another year is another fact.
            if undated.published[:4] not in years:
                return _different(
                    reasons,
                    f"different times: {', '.join(sorted(years))} vs the date of {undated.doc_id} ({undated.published})",
                )

    return Compatibility(same_fact=True, score=score, reasons=reasons)


def _same_ground(a: str, b: str) -> bool:
    """'Lyon' and 'France' can be where one event happened; 'Geneva' and 'Vienna' cannot. A figure
    for the whole world, or a whole region, is not one for a place in it."""
    if _whole(a) or _whole(b):
        return a == b
    return names_match(a, b) or load_gazetteer().relate(a, b) in COMPATIBLE_PLACES


def _whole(place: str) -> bool:
    return place == WORLDWIDE or place.startswith(WHOLE_AREA)


def _factor(a: Quantity, b: Quantity) -> float:
    low, high = sorted((abs(a.value), abs(b.value)))
    return high / low if low else float("inf")


def _different(reasons: list[str], why: str) -> Compatibility:
    return Compatibility(same_fact=False, score=0.0, reasons=[*reasons, why])


def _when(times: list[str], statement: Dated) -> str:
    if times:
        return ", ".join(times)
    return f"undated, published {statement.published}"


def _measure_label(fact: Fact) -> str:
    quantity = fact.quantity
    if quantity.counted:
        return f"count of {quantity.counted}"
    return f"{quantity.dimension.value} ({quantity.unit})"
