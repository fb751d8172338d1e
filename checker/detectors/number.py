"""Numeric conflicts: the same measured fact given values whose intervals do not overlap."""

from __future__ import annotations

from checker.attribution import different_sources
from checker.detectors.base import ComparisonContext, Detector, make_finding, register
from checker.frames import time_markers
from checker.models import Dimension, Fact, FactAlignment, Finding, Severity
from checker.quantities import MINUTE_OF_PLAY, format_quantity, plural_noun, values_agree

DIMENSION_LABELS = {
    Dimension.duration: "duration",
    Dimension.money: "amount",
    Dimension.percent: "share",
    Dimension.count: "number",
    Dimension.length: "distance",
    Dimension.mass: "weight",
    Dimension.age: "age",
    Dimension.magnitude: "magnitude",
    Dimension.speed: "speed",
    Dimension.temperature: "temperature",
    Dimension.volume: "volume",
}

# Outcomes counted as they happen, which later reports may add to.
RUNNING_COUNTS = frozenset({"dead", "injured", "hospitalised", "missing", "homeless", "rescued", "arrested", "charged"})
# Measures that only grow while a story unfolds: a fire's containment.
RUNNING_MEASURES = frozenset({"contain", "containment"})
# Nouns a percentage sizes rather than divides: "a 12% increase".
PRECIPITATION = frozenset("rain rainfall snow snowfall precipitation".split())
# Nouns that are percentages themselves: a figure of one is its level, not a share of it.
UNCOUNTABLE_PERCENT_NOUNS = frozenset("inflation unemployment turnout approval".split())
PERCENT_NOUNS = UNCOUNTABLE_PERCENT_NOUNS | frozenset("rate yield margin stake".split())
CHANGE_NOUNS = frozenset("increase rise fall drop decline decrease gain jump cut reduction growth hike surge".split())


@register
class NumberDetector(Detector):
    kind = "number"
    description = "numbers, amounts, durations and percentages that disagree for the same fact"

    def detect(self, context: ComparisonContext) -> list[Finding]:
        return [self.compare(alignment, context) for alignment in context.alignments]

    def compare(self, alignment: FactAlignment, context: ComparisonContext) -> Finding:
        first, second = sorted((alignment.a, alignment.b), key=lambda fact: (fact.doc_id, fact.fact_id))
        value_first, value_second = format_quantity(first.quantity), format_quantity(second.quantity)
        agree = values_agree(first.quantity, second.quantity)
        severity = Severity.info if agree else Severity.conflict
        caveat = None if agree else _both_may_be_right(first, second)
        if caveat is not None:
            severity = Severity.warning
        reasons = alignment.reasons
        if not agree and different_sources(first.frame.source, second.frame.source):
            reasons = [*reasons, f"sources: {first.frame.source} vs {second.frame.source}"]
        subject = describe_fact(first, second)
        if not agree:
            summary = f"{subject}: {value_first} vs {value_second}"
        elif value_first == value_second:
            summary = f"{subject}: both {value_first}"
        else:
            summary = f"{subject}: {value_first} and {value_second} agree"
        sides = [
            context.evidence(first, value_first, frame_confidence(first)),
            context.evidence(second, value_second, frame_confidence(second)),
        ]
        return make_finding(
            self.kind, severity, summary, sides, alignment.frame_score, reasons, subject, caveat
        )


def _both_may_be_right(first: Fact, second: Fact) -> str | None:
    """Why two differing values may both be right, which makes their finding a warning: the
    caveat that ends its summary, or None."""
    if different_sources(first.frame.source, second.frame.source):
        return f"from different sources: {first.frame.source} and {second.frame.source}"
    if _birthday_between(first, second):
        return "a year apart: a birthday may fall between the articles"
    if first.quantity.converted or second.quantity.converted:
        return "a currency conversion: the rate used may differ"
    if _risen_between(first, second):
        return "a running count: it may have risen between the articles"
    if first.frame.remaining != second.frame.remaining:
        return "one counts what remained later: the count may have changed between the reports"
    if first.frame.with_debt != second.frame.with_debt:
        return "one price includes the debt taken on, the other may not"
    if first.frame.at_close != second.frame.at_close:
        return "one is the move at the close of trading, the other may be from during the day"
    return None


def _same_day(first: Fact, second: Fact) -> bool:
    return bool(first.published and second.published and first.published[:10] == second.published[:10])


def _birthday_between(first: Fact, second: Fact) -> bool:
    """Ages one year apart may both be right, unless both articles are of the same day."""
    if first.quantity.dimension is not Dimension.age or abs(first.quantity.value - second.quantity.value) != 1:
        return False
    return not _same_day(first, second)


def _risen_between(first: Fact, second: Fact) -> bool:
    """A toll, a count of the injured or of arrests, a fire's containment grows as it is counted:
    the later article's higher figure may update the earlier's. A lower later figure is still a
    conflict. Without both dates, a figure said to have grown to its value ("grew to 48,000
    acres") is taken as the later one."""
    running = (
        (first.frame.outcome in RUNNING_COUNTS and first.frame.outcome == second.frame.outcome)
        or first.frame.measured in RUNNING_MEASURES
        or ((first.frame.climbed or second.frame.climbed) and not (_of_a_period(first) or _of_a_period(second)))
    )
    if not running or _same_day(first, second):
        return False
    if first.published and second.published:
        earlier, later = sorted((first, second), key=lambda fact: fact.published or "")
    elif first.frame.climbed != second.frame.climbed:
        earlier, later = (second, first) if first.frame.climbed else (first, second)
    else:
        return False
    return later.quantity.interval.low >= earlier.quantity.interval.high


def _of_a_period(fact: Fact) -> bool:
    """A figure of a month or year ("inflation rose to 6.4% in February") is settled: a later
    article cannot have a newer one."""
    markers = time_markers(fact.frame.times)
    return bool(markers["year"] or markers["month"])


def describe_fact(first: Fact, second: Fact) -> str:
    """'duration of the talks', 'number of delegates', "Paul Greer's share of the vote" ..."""
    holder = first.frame.holder or second.frame.holder
    label = _describe_measure(first, second)
    return f"{holder}'s {label.removeprefix('the ')}" if holder else label


def _describe_measure(first: Fact, second: Fact) -> str:
    quantity = first.quantity
    label = "minute" if quantity.scale == MINUTE_OF_PLAY else DIMENSION_LABELS[quantity.dimension]
    if quantity.dimension is Dimension.count and quantity.counted:
        # "number of people injured": the outcome both sides give, when they give one.
        outcome = first.frame.outcome or second.frame.outcome
        return f"{label} of {plural_noun(quantity.counted)}" + (f" {outcome}" if outcome else "")
    if quantity.dimension is Dimension.age:
        # Whose age: the name it is set beside ("Brandt, 54,"), else the first person named.
        names = [first.frame.measured_text, second.frame.measured_text, *first.frame.participants, *second.frame.participants]
        whose = next((name for name in names if name and name[:1].isupper()), None)
        return f"{label} of {whose}" if whose else label
    # A thing named on either side says more than an action ("the vote", not “won”).
    frames = (first.frame, second.frame)
    measured = next((frame.measured for frame in frames if frame.measured and not frame.measured_is_action), None)
    action = next((frame.measured_text for frame in frames if frame.measured_is_action), None)
    if action and measured is None:
        return f"{label} of “{action}”"  # 'share of “won”', not "share of the won"
    if quantity.dimension is Dimension.temperature:
        # "temperature in Castellon", "water temperature"
        places = sorted(set(first.frame.places) & set(second.frame.places))
        return f"{measured or label} in {places[0]}" if places else measured or label
    if quantity.dimension is Dimension.length and measured in PRECIPITATION:
        return f"amount of {measured}"  # "amount of rain", not "distance of the rain"
    if quantity.dimension is Dimension.percent and measured in CHANGE_NOUNS:
        return f"size of the {measured}"  # "a 12% increase"
    if quantity.dimension is Dimension.percent and measured in PERCENT_NOUNS and quantity.scale not in {"change", "points"}:
        return measured if measured in UNCOUNTABLE_PERCENT_NOUNS else f"the {measured}"  # "inflation", not "share of the inflation"
    if quantity.scale in {"change", "points"}:
        # "shares fell 6.5%": a change in the shares, not a share of them.
        return f"change in the {measured}" if measured else "change"
    return f"{label} of the {measured}" if measured else label


def frame_confidence(fact: Fact) -> float:
    """How much of the frame was read from the text: measured thing, participants, place or time."""
    frame = fact.frame
    found = [frame.measured is not None, bool(frame.participants), bool(frame.places or frame.times)]
    return round(0.4 + 0.2 * sum(found), 2)
