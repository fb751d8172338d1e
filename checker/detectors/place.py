"""Places: the same event said to have happened in places that cannot both be right.

A place is compared when it is where an event happened: a place name after "in", "at" or
"inside" that hangs off an event word ("held talks in Geneva", "the summit in Vienna", "met at
the White House"), the object of a visit ("visited Beijing") or its end ("a trip to Washington").
Two aligned sentences with places for the same kind of event are compared when the event gate
lets them through and nothing else says they tell two events: one planned and one past, relative
times pointing different ways, a document that also reports an event at the other's place, or
two documents that each report more events around their own place. Containment is agreement:
"in Lyon" and "in France" agree. A place the gazetteer does not know and the corpus does not
describe is never a conflict.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from checker.compatibility import Compatibility
from checker.detectors.base import ComparisonContext, Detector, make_finding, pair_sentences, register
from checker.frames import time_markers
from checker.models import Finding, Frozen, Sentence, SentencePair, Severity
from checker.places import (
    PLACES_FILE,
    Containment,
    Gazetteer,
    Place,
    PlaceKind,
    Relation,
    candidate_names,
    learn_containments,
    load_gazetteer,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Changing the place of a short sentence moves its embedding a lot (0.62 → 0.44 for "signed in Port
# Aldane" / "signed in Drevno" in the fixture), and the hardest different-meeting pairs of the seeds
# score 0.66-0.74: similarity cannot carry precision here, the event checks do. This floor only keeps
# loosely related pairs from being parsed; on AllSides and the seeds nothing false appears above 0.35.
MIN_SIMILARITY = 0.4
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
VERB_TAGS = frozenset({"VERB", "AUX"})
LOCATIVE_PREPOSITIONS = frozenset({"in", "at", "inside"})
# A place name cue cheap enough to test before parsing: "in Geneva", "at the White House", "visited Paris",
# "a trip to Beijing", "in the northern city of Arnholt".
PLACE_CUE = re.compile(r"\b(?:in|at|inside|to|visit(?:s|ed|ing)?|tour(?:s|ed|ing)?)\s+(?:[a-z]+\s+){0,4}[A-Z]")
# "the city of Velmont", "the Kestrian capital, Drevno": the place is named after the noun.
PLACE_NOUNS = frozenset(
    "city town village capital port municipality suburb province state region county district".split()
)
# Verbs that say little on their own: "held talks in Geneva" is about the talks.
LIGHT_VERBS = frozenset(
    "hold have host take stage attend convene be organize organise join begin start end open close conclude "
    "wrap continue resume occur happen get make give lead chair".split()
)
# "will meet", "would be held", "may visit": an event still to come.
FUTURE_AUXILIARIES = frozenset({"will", "would", "may", "might", "could", "shall", "should", "can", "'ll"})
# "expected to meet", "plans to visit", "agreed to hold talks"
PLANNING_VERBS = frozenset(
    "expect plan schedule hope set intend want aim seek agree propose prepare arrange invite".split()
)
# "an expected summit", "the planned meeting", "upcoming talks"
PLANNING_MODIFIERS = frozenset(
    "expected planned scheduled upcoming proposed possible potential future next likely".split()
)
# Event words that are something else as nouns: road signs, a plot of land, a bear, a seal.
VERB_ONLY_EVENT_WORDS = frozenset({"sign", "land", "bear", "seal", "ink"})
PAST_WORDS = frozenset("ago last previous earlier former".split())
COMING_WORDS = frozenset("next later coming upcoming".split())
# Places within a city.
FINE_KINDS = frozenset({PlaceKind.facility, PlaceKind.district})


class EventGroup(Frozen):
    key: str
    label: str
    words: frozenset[str]


class LocationMention(Frozen):
    """A place where an event of a sentence happened, with the event word it hangs off."""

    place: str
    container: str | None = None
    start: int
    end: int
    event: str
    event_word: str
    planned: bool = False
    direct: bool = True


class _Side(Frozen):
    sentence: Sentence
    mention: LocationMention


@lru_cache(maxsize=1)
def event_groups() -> dict[str, EventGroup]:
    """Event word → its group, from the [events] tables of data/places.toml."""
    tables = tomllib.loads(PLACES_FILE.read_text(encoding="utf-8"))["events"]
    groups = [EventGroup(key=key, label=table["label"], words=frozenset(table["words"])) for key, table in tables.items()]
    return {word: group for group in groups for word in group.words}


@register
class PlaceDetector(Detector):
    kind = "place"
    description = "the same event placed in places that cannot both be right (containment is agreement)"

    def to_parse(self, context: ComparisonContext) -> list[Sentence]:
        return pair_sentences(_candidate_pairs(context))

    def detect(self, context: ComparisonContext) -> list[Finding]:
        candidates = _candidate_pairs(context)
        if not candidates:
            return []
        context.prepare_pairs(candidates)
        mentions = {
            (sentence.doc_id, sentence.index): location_mentions(context.parsed(sentence))
            for pair in candidates
            for sentence in (pair.a, pair.b)
        }
        gazetteer = _corpus_gazetteer(context, mentions.values())
        places = _EventPlaces(context, gazetteer)
        findings: dict[tuple, Finding] = {}
        for pair in candidates:
            for finding, key in self._compare_pair(pair, mentions, gazetteer, places, context):
                kept = findings.get(key)
                if kept is None or finding.score > kept.score:
                    findings[key] = finding
        return list(findings.values())

    def _compare_pair(
        self,
        pair: SentencePair,
        mentions: dict[tuple[str, int], list[LocationMention]],
        gazetteer: Gazetteer,
        places: _EventPlaces,
        context: ComparisonContext,
    ) -> Iterator[tuple[Finding, tuple]]:
        mentions_a, mentions_b = mentions[(pair.a.doc_id, pair.a.index)], mentions[(pair.b.doc_id, pair.b.index)]
        if not mentions_a or not mentions_b:
            return
        groups = sorted({m.event for m in mentions_a} & {m.event for m in mentions_b})
        if not groups:
            return
        verdict = context.same_event(pair, _spans(mentions_a), _spans(mentions_b))
        if not verdict.same_fact or _times_point_apart(pair, mentions_a, mentions_b, context):
            return
        for group in groups:
            side_a = [_Side(sentence=pair.a, mention=m) for m in mentions_a if m.event == group]
            side_b = [_Side(sentence=pair.b, mention=m) for m in mentions_b if m.event == group]
            if {side.mention.planned for side in side_a} != {side.mention.planned for side in side_b}:
                # "will meet in Geneva" and "met in Vienna" are two meetings.
                continue
            result = self._compare_group(side_a, side_b, pair, verdict, gazetteer, places, context)
            if result is not None:
                yield result

    def _compare_group(
        self,
        side_a: list[_Side],
        side_b: list[_Side],
        pair: SentencePair,
        verdict: Compatibility,
        gazetteer: Gazetteer,
        places: _EventPlaces,
        context: ComparisonContext,
    ) -> tuple[Finding, tuple] | None:
        relations = [(a, b, gazetteer.relate(a.mention.place, b.mention.place)) for a in side_a for b in side_b]
        agreeing = [item for item in relations if item[2] in {Relation.same, Relation.inside, Relation.contains}]
        if agreeing:
            return self._finding(*agreeing[0], pair, verdict, gazetteer, context)
        if any(relation is not Relation.disjoint for _, _, relation in relations):
            return None
        a, b, relation = relations[0]
        if places.tell_two_events(a, b):
            return None
        return self._finding(a, b, relation, pair, verdict, gazetteer, context)

    def _finding(
        self,
        a: _Side,
        b: _Side,
        relation: Relation,
        pair: SentencePair,
        verdict: Compatibility,
        gazetteer: Gazetteer,
        context: ComparisonContext,
    ) -> tuple[Finding, tuple]:
        value_a, value_b = gazetteer.display(a.mention.place), gazetteer.display(b.mention.place)
        subject = f"place of {_label(a.mention.event)}"
        caveat = None
        if relation is Relation.disjoint:
            fine = _in_one_city(a.mention.place, b.mention.place, gazetteer)
            severity = Severity.warning if fine else Severity.conflict
            caveat = "both in one city" if fine else None
            summary = f"{subject}: {value_a} vs {value_b}"
            why = f"{value_a} and {value_b} are different places" + (" in one city" if fine else "")
        else:
            severity = Severity.info
            summary = f"{subject}: " + _agreement(value_a, value_b, relation)
            why = f"places agree: {_agreement(value_a, value_b, relation)}"
        reasons = [
            *verdict.reasons,
            f"same kind of event: {a.mention.event_word} / {b.mention.event_word} ({_label(a.mention.event)})",
            why,
        ]
        sides = [
            context.span_evidence(a.sentence, a.mention.start, a.mention.end, value_a, _confidence(a.mention)),
            context.span_evidence(b.sentence, b.mention.start, b.mention.end, value_b, _confidence(b.mention)),
        ]
        score = pair.similarity + verdict.score + (0.1 if a.mention.direct and b.mention.direct else 0.0)
        finding = make_finding(self.kind, severity, summary, sides, score, reasons, subject, caveat)
        # One finding per fact and pair of documents, however many sentence pairs restate it.
        key = (a.sentence.doc_id, b.sentence.doc_id, a.mention.event, value_a, value_b)
        return finding, key


# --------------------------------------------------------------------------- candidates and context


def _candidate_pairs(context: ComparisonContext) -> list[SentencePair]:
    """Aligned sentences that both name a place after a locative word (most aligned pairs name none)."""
    return context.candidate_pairs(
        MIN_SIMILARITY, lambda pair: bool(PLACE_CUE.search(pair.a.text) and PLACE_CUE.search(pair.b.text))
    )


def _corpus_gazetteer(context: ComparisonContext, mentions: Iterable[list[LocationMention]]) -> Gazetteer:
    """The gazetteer plus what this corpus says about places: descriptions anywhere in its text,
    and "in Bali, Indonesia" in the compared sentences."""
    gazetteer = load_gazetteer()
    texts = [sentence.text for sentences in context.sentences.values() for sentence in sentences]
    learned = learn_containments(texts, gazetteer)
    learned += [
        Containment(place=mention.place, container=mention.container)
        for found in mentions
        for mention in found
        if mention.container
    ]
    return gazetteer.extended(learned)


class _EventPlaces:
    """Where each document reports events, read on demand: only for conflicts in view, and only in
    sentences that name a place that matters."""

    def __init__(self, context: ComparisonContext, gazetteer: Gazetteer) -> None:
        self.context = context
        self.gazetteer = gazetteer
        self._names: dict[str, list[tuple[Sentence, set[str]]]] = {}

    def tell_two_events(self, a: _Side, b: _Side) -> bool:
        """Whether the documents themselves suggest two events rather than one misplaced. A document
        that also reports an event at the other's place knows both places (two stops of a trip, this
        year's summit and last year's); two documents that each report more events around their own
        place are about events of their own (each outlet on its own leg of a tour)."""
        if self._reports(a, b.mention.place, {Relation.same, Relation.inside}):
            return True
        if self._reports(b, a.mention.place, {Relation.same, Relation.inside}):
            return True
        around = {Relation.same, Relation.inside, Relation.contains}
        return self._reports(a, a.mention.place, around) and self._reports(b, b.mention.place, around)

    def _reports(self, side: _Side, place: str, relations: set[Relation]) -> bool:
        """Whether the document of ``side`` reports, besides the compared mention, an event at a
        place standing in one of these relations to ``place``. Only sentences naming such a place
        are parsed."""
        compared = (side.sentence.index, side.mention.start)
        sentences = [
            sentence
            for sentence, names in self._named(side.sentence.doc_id)
            if any(self.gazetteer.relate(name, place) in relations for name in names)
        ]
        self.context.prepare(sentences)
        return any(
            (sentence.index, mention.start) != compared and self.gazetteer.relate(mention.place, place) in relations
            for sentence in sentences
            for mention in location_mentions(self.context.parsed(sentence))
        )

    def _named(self, doc_id: str) -> list[tuple[Sentence, set[str]]]:
        """The document's sentences with a place cue, each with the names it may contain."""
        if doc_id not in self._names:
            self._names[doc_id] = [
                (sentence, candidate_names(sentence.text))
                for sentence in self.context.sentences[doc_id]
                if PLACE_CUE.search(sentence.text)
            ]
        return self._names[doc_id]


def _times_point_apart(
    pair: SentencePair, mentions_a: list[LocationMention], mentions_b: list[LocationMention], context: ComparisonContext
) -> bool:
    """The gate compares named years, months and weekdays; relative times ("a year ago", "later this
    year", "last week") that point different ways also mean two events."""
    times_a = context.frame(pair.a, _spans(mentions_a)).times
    times_b = context.frame(pair.b, _spans(mentions_b)).times
    if not times_a or not times_b:
        return False
    if any(time_markers(times)[unit] for times in (times_a, times_b) for unit in ("year", "month", "weekday")):
        return False
    direction_a, direction_b = _direction(times_a), _direction(times_b)
    if direction_a and direction_b:
        return direction_a != direction_b
    return {t.lower() for t in times_a}.isdisjoint(t.lower() for t in times_b)


def _direction(times: list[str]) -> str | None:
    words = set(" ".join(times).lower().split())
    past, coming = bool(words & PAST_WORDS), bool(words & COMING_WORDS)
    if past == coming:
        return None
    return "past" if past else "coming"


# --------------------------------------------------------------------------- reading a parse


def location_mentions(doc: Doc) -> list[LocationMention]:
    """Places of a parsed sentence where one of its events happened."""
    mentions = []
    entities = [ent for ent in doc.ents if ent.label_ in PLACE_LABELS or _is_known_place(ent)]
    for ent in entities:
        if _is_container(ent):
            continue
        slot = _locative_slot(ent)
        if slot is None:
            continue
        found = _event_of(slot)
        if found is None:
            continue
        event_token, direct = found
        container = _container_of(ent, entities)
        end = container.end_char if container is not None else ent.end_char
        place = _strip_article(ent.text)
        mentions.append(
            LocationMention(
                place=place,
                container=_strip_article(container.text) if container is not None else None,
                start=ent.end_char - len(place),
                end=end,
                event=event_groups()[_event_word(event_token)].key,
                event_word=event_token.text,
                planned=_is_planned(event_token),
                direct=direct,
            )
        )
    return mentions


def _locative_slot(ent: Span) -> Token | None:
    """The token a locative phrase hangs off: the preposition's head, or a visiting verb."""
    token = ent.root
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    if token.dep_ == "appos" and token.head.lower_ in PLACE_NOUNS:
        token = token.head  # "in the Kestrian capital, Drevno"
    if token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.lower_ in PLACE_NOUNS:
        token = token.head.head  # "in the port city of Port Aldane"
    if token.dep_ == "pobj" and token.head.lower_ in LOCATIVE_PREPOSITIONS:
        return token.head.head
    if token.dep_ == "pobj" and token.head.lower_ == "to" and _is_visit(token.head.head):
        return token.head.head  # "a visit to Washington"
    if token.dep_ == "dobj" and _is_visit(token.head):
        return token.head  # "visited Beijing"
    return None


def _is_visit(token: Token) -> bool:
    word = _event_word(token)
    return word is not None and event_groups()[word].key == "visit"


def _event_of(token: Token) -> tuple[Token, bool] | None:
    """The event word a locative phrase describes, climbing past the people in between
    ("meetings between Wang and senior diplomats in Washington"); direct when no climbing was needed."""
    for step in range(3):
        if token.pos_ in VERB_TAGS:
            event = _verb_event(token)
            return (event, step == 0) if event is not None else None
        if token.pos_ == "NOUN" and _event_word(token):
            return token, step == 0
        if token.dep_ in {"pobj", "conj", "dobj"} and token.head.i != token.i:
            # "met the president in Washington": the place often hangs off the person met.
            token = token.head.head if token.dep_ == "pobj" else token.head
            continue
        return None
    return None


def _verb_event(verb: Token) -> Token | None:
    """'met in Geneva' → met; 'held talks in Geneva', 'the summit was held in Geneva' → the talks, the summit."""
    lemma = verb.lemma_.lower()
    if lemma not in LIGHT_VERBS and _event_word(verb):
        return verb
    for child in verb.children:
        if child.dep_ in {"dobj", "nsubjpass", "nsubj", "attr"} and child.pos_ == "NOUN" and _event_word(child):
            return child
    return None


def _event_word(token: Token) -> str | None:
    """The event word of data/places.toml the token stands for, if any."""
    groups = event_groups()
    for word in (token.lemma_.lower(), token.lower_, _compound_noun(token)):
        if word in groups and not (word in VERB_ONLY_EVENT_WORDS and token.pos_ != "VERB"):
            return word
    return None


def _compound_noun(token: Token) -> str:
    """'press conference', 'news conference' as one word."""
    modifiers = [child.lower_ for child in token.lefts if child.dep_ == "compound"]
    return " ".join([*modifiers[-1:], token.lower_])


def _is_planned(event: Token) -> bool:
    """An event still to come or only intended: 'will meet', 'expected to meet', 'to attend the
    summit', 'an expected summit'."""
    if any(child.lower_ in PLANNING_MODIFIERS for child in event.children if child.dep_ in {"amod", "compound"}):
        return True
    verb = event if event.pos_ in VERB_TAGS else next((t for t in event.ancestors if t.pos_ in VERB_TAGS), None)
    while verb is not None:
        if any(child.dep_ == "aux" and child.lower_ in FUTURE_AUXILIARIES | {"to"} for child in verb.children):
            return True
        if verb.lemma_.lower() in PLANNING_VERBS and verb is not event:
            return True
        if verb.dep_ != "xcomp" or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


def _is_known_place(ent: Span) -> bool:
    """The small tagger calls many places people or organisations ('in Lyon', 'at the State
    Department'); the gazetteer knows better, and the slot still has to be locative."""
    return ent.label_ not in NUMERIC_LABELS and load_gazetteer().knows(ent.text)


def _is_container(ent: Span) -> bool:
    """'Indonesia' in 'in Bali, Indonesia' says where Bali is, not where the event was."""
    head = ent.root.head
    return ent.root.dep_ == "appos" and head.ent_type_ in PLACE_LABELS and head.i != ent.root.i


def _container_of(ent: Span, entities: list[Span]) -> Span | None:
    for other in entities:
        if other.start == ent.end + 1 and ent.doc[ent.end].text == "," and _is_container(other):
            return other
    return None


def _spans(mentions: list[LocationMention]) -> list[tuple[int, int]]:
    return [(mention.start, mention.end) for mention in mentions]


def _strip_article(name: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", name)


# --------------------------------------------------------------------------- wording


def _label(event: str) -> str:
    return next(group.label for group in event_groups().values() if group.key == event)


def _agreement(value_a: str, value_b: str, relation: Relation) -> str:
    if relation is Relation.same or value_a == value_b:
        return f"both {value_a}"
    if relation is Relation.inside:
        return f"{value_a} lies in {value_b}"
    return f"{value_b} lies in {value_a}"


def _in_one_city(a: str, b: str, gazetteer: Gazetteer) -> bool:
    """Buildings or districts of one city ("the White House", "the State Department"): a visit can
    move between them in a day, so a difference is a warning, not a conflict."""
    readings_a, readings_b = gazetteer.readings(a), gazetteer.readings(b)
    if not readings_a or not readings_b:
        return False
    if any(place.kind not in FINE_KINDS for place in [*readings_a, *readings_b]):
        return False
    return bool(_cities_around(readings_a, gazetteer) & _cities_around(readings_b, gazetteer))


def _cities_around(readings: list[Place], gazetteer: Gazetteer) -> set[str]:
    return {key for place in readings for key in gazetteer.ancestors[place.key] if gazetteer.places[key].kind is PlaceKind.city}


def _confidence(mention: LocationMention) -> float:
    """How plainly the sentence says this is where the event happened."""
    return 0.9 if mention.direct else 0.7
