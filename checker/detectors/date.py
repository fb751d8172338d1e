"""Dates and times: the same event dated differently by two documents.

Two aligned sentences are compared time expression by time expression, but only where both date
the same event: the words each expression hangs off in the parse (the verb or noun it modifies,
that verb's object) must share a lemma or an event group of data/date_events.toml — "signed on
Wednesday" and "the signing on Thursday" are compared, "announced on Monday" and "met on Friday"
are not. Expressions are resolved against their document's date (checker/dates.py); a conflict is
reported only when neither document states, anywhere, the other side's date for the same event
(a two-day meeting is "Tuesday" in one sentence and "Wednesday" in the next), and only for
sentences the event gate judges to describe the same event.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from functools import lru_cache
from itertools import product
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from checker.compatibility import Compatibility
from checker.dates import (
    NON_DATING_LEADS,
    Granularity,
    Reading,
    Relation,
    Tense,
    TimeExpression,
    describe,
    find_time_expressions,
    normalised_value,
    parse_published,
    read,
    relate,
)
from checker.detectors.base import ComparisonContext, Detector, Span, make_finding, pair_sentences, register
from checker.facts import quantify
from checker.models import Finding, Sentence, SentencePair, Severity
from checker.quantities import values_agree

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

EVENTS_FILE = Path(__file__).resolve().parent.parent / "data" / "date_events.toml"

# Every aligned pair the index keeps by default: on the AllSides clusters, pairs between 0.35 and
# 0.5 gave five more corroborations and no false finding, because what decides is not the
# similarity but the event words the times hang off, and the gate.
MIN_SIMILARITY = 0.35
# Documents published further apart than this read relative dates against different moments.
DATED_APART_DAYS = 45
# Near paraphrases with one time each are compared even when the parse finds no shared event word.
PARAPHRASE_SIMILARITY = 0.8
# Words saying the event is one of several occurrences: "met again on Friday", "a second day of
# talks", "last met in Bali". Two outlets may then date different occurrences, both rightly.
SEQUENCE_WORDS = frozenset(
    "again previously once first second third fourth final another latest resume reconvene continue earlier".split()
)
FUTURE_AUXILIARIES = frozenset({"will", "'ll", "shall", "would", "wo"})
SCHEDULING_VERBS = frozenset({"schedule", "plan", "set", "slate", "expect", "due", "intend"})
# "Called a strike for April 20", "set the vote for May 3": the day is the event's, still to come.
CALLING_VERBS = SCHEDULING_VERBS | {"call", "announce", "fix", "book", "reschedule", "postpone", "move", "delay"}
FUTURE_MODIFIERS = frozenset({"expected", "planned", "upcoming", "scheduled", "proposed", "coming", "next"})
CLAUSE_POS = frozenset({"VERB", "AUX"})
EVENT_POS = frozenset({"VERB", "NOUN"})
ARGUMENT_DEPS = frozenset({"dobj", "nsubjpass", "attr"})


class TimeClaim(BaseModel):
    """A time expression of a sentence, with the event it dates."""

    model_config = ConfigDict(frozen=True)

    sentence: Sentence
    reading: Reading
    events: frozenset[str]  # canonical event words
    nearby_events: frozenset[str]  # and those of verbs coordinated with its clause's, which it may date too
    nouns: frozenset[str]  # those of them written as nouns, which name the event in a summary
    tense: Tense
    sequenced: bool

    @property
    def span(self) -> Span:
        return (self.reading.expression.start, self.reading.expression.end)


class Candidate(BaseModel):
    model_config = ConfigDict(frozen=True)

    pair: SentencePair
    a: TimeClaim
    b: TimeClaim
    relation: Relation
    shared: frozenset[str]  # the event words both times date (or, by paraphrase, both sentences report)
    by_paraphrase: bool  # compared as near paraphrases, not through the words the times hang off
    score: float
    gate: Compatibility | None = None  # the event gate's verdict, once asked


@register
class DateDetector(Detector):
    kind = "date"
    description = "dates, weekdays and times of the same event that cannot both be right"

    def to_parse(self, context: ComparisonContext) -> list[Sentence]:
        return pair_sentences(_candidate_pairs(context, _Claims(context)))

    def detect(self, context: ComparisonContext) -> list[Finding]:
        claims = _Claims(context)
        pairs = _candidate_pairs(context, claims)
        context.prepare_pairs(pairs)
        candidates = [candidate for pair in pairs for candidate in _compare_pair(pair, claims)]
        candidates = [
            candidate
            for candidate in candidates
            if candidate.relation is Relation.agree
            or not (_dated_apart(candidate) or _stated_elsewhere(candidate, claims) or _other_amounts(candidate))
        ]
        judged = [candidate.model_copy(update={"gate": _gate(candidate, context, claims)}) for candidate in candidates]
        same_event = [candidate for candidate in judged if candidate.gate and candidate.gate.same_fact]
        return [self._finding(candidate, context) for candidate in _one_to_one(same_event)]

    def _finding(self, candidate: Candidate, context: ComparisonContext) -> Finding:
        verdict = candidate.gate
        assert verdict is not None
        first, second = candidate.a, candidate.b
        label = _label(candidate)
        severity, summary, caveat = _verdict(label, first, second, candidate.relation)
        confidence = 0.6 if candidate.by_paraphrase else 0.9
        sides = [
            context.span_evidence(claim.sentence, *claim.span, normalised_value(claim.reading), confidence)
            for claim in (first, second)
        ]
        reasons = [*verdict.reasons, _comparison_reason(candidate)]
        score = candidate.score + verdict.score
        return make_finding(self.kind, severity, summary, sides, score, reasons, label, caveat)


def _gate(candidate: Candidate, context: ComparisonContext, claims: _Claims) -> Compatibility:
    """The event gate, blind to the times that date the compared event in either sentence."""
    taken = [
        [claim.span for claim in claims.of(sentence) if claim.events & candidate.shared or claim == compared]
        for sentence, compared in ((candidate.pair.a, candidate.a), (candidate.pair.b, candidate.b))
    ]
    return context.same_event(candidate.pair, taken[0], taken[1])


class _Claims:
    """Time claims per sentence, read once: the expressions by regex, their events from the parse."""

    def __init__(self, context: ComparisonContext) -> None:
        self.context = context
        self._claims: dict[tuple[str, int], list[TimeClaim]] = {}

    def expressions(self, sentence: Sentence) -> tuple[TimeExpression, ...]:
        return _dating_expressions(sentence.text)

    def of(self, sentence: Sentence) -> list[TimeClaim]:
        key = (sentence.doc_id, sentence.index)
        if key not in self._claims:
            expressions = self.expressions(sentence)
            doc = self.context.parsed(sentence) if expressions else None
            published = parse_published(self.context.published(sentence.doc_id))
            self._claims[key] = [
                claim for expression in expressions if (claim := _claim(sentence, doc, expression, published)) is not None
            ]
        return self._claims[key]

    def main_events(self, sentence: Sentence) -> frozenset[str]:
        return sentence_events(self.context.parsed(sentence))

    def in_document(self, doc_id: str) -> list[TimeClaim]:
        sentences = [sentence for sentence in self.context.sentences[doc_id] if self.expressions(sentence)]
        self.context.prepare(sentences)
        return [claim for sentence in sentences for claim in self.of(sentence)]


@lru_cache(maxsize=4096)
def _dating_expressions(text: str) -> tuple[TimeExpression, ...]:
    """The expressions that date an event: "since 2018" and "by Friday" bound a time, and so does
    the rest of "since 8 p.m. on Sunday"; a date in a quotation is the speaker's. Remembered by
    text: the detector reads them once to choose what to parse and again to compare."""
    kept, bounding = [], False
    previous_end = None
    for expression in find_time_expressions(text):
        continues = previous_end is not None and re.fullmatch(r"[\s,]*(?:on|of|in)?\s*", text[previous_end : expression.start])
        bounding = expression.lead in NON_DATING_LEADS or (bounding and bool(continues))
        previous_end = expression.end
        if not bounding and not _inside_quote(text, expression.start):
            kept.append(expression)
    return tuple(kept)


def _inside_quote(text: str, offset: int) -> bool:
    before = text[:offset]
    if before.count('"') % 2 == 1:
        return True
    return before.rfind("\u201c") > before.rfind("\u201d")


def _candidate_pairs(context: ComparisonContext, claims: _Claims) -> list[SentencePair]:
    """Aligned sentences similar enough where both name a time: found by regex, before any parse."""
    return context.candidate_pairs(
        MIN_SIMILARITY, lambda pair: bool(claims.expressions(pair.a) and claims.expressions(pair.b))
    )


def _compare_pair(pair: SentencePair, claims: _Claims) -> list[Candidate]:
    claims_a, claims_b = claims.of(pair.a), claims.of(pair.b)
    # A parse can hang a time off the wrong word ("signed a treaty on sharing the river late
    # Wednesday"); near paraphrases about the same main event, with one time each, are compared anyway.
    paraphrase = (
        pair.similarity >= PARAPHRASE_SIMILARITY
        and len(claims_a) == len(claims_b) == 1
        and bool(claims.main_events(pair.a) & claims.main_events(pair.b))
    )
    candidates = []
    for a, b in product(claims_a, claims_b):
        if a.sequenced or b.sequenced or {a.tense, b.tense} == {"past", "future"}:
            continue
        if a.reading.expression.is_clock != b.reading.expression.is_clock:
            continue
        shared = a.events & b.events
        if not shared and not paraphrase:
            continue
        by_paraphrase = not shared
        if by_paraphrase:
            shared = claims.main_events(pair.a) & claims.main_events(pair.b)
        relation = relate(a.reading, b.reading)
        if relation is Relation.unknown or (relation is Relation.agree and not _corroborates(a, b)):
            continue
        score = pair.similarity + (0.0 if by_paraphrase else 0.2)
        candidates.append(
            Candidate(pair=pair, a=a, b=b, relation=relation, shared=shared, by_paraphrase=by_paraphrase, score=score)
        )
    return candidates


def _precision(claim: TimeClaim) -> Granularity | None:
    """How finely the claim places the event: a day, a week or a month (None when coarser)."""
    expression, resolved = claim.reading.expression, claim.reading.resolved
    if expression.is_clock or expression.stated.weekdays or expression.stated.days:
        return Granularity.day
    if resolved is None:
        return None
    for granularity, days in ((Granularity.day, 3), (Granularity.week, 7), (Granularity.month, 31)):
        if resolved.days <= days:
            return granularity
    return None


def _corroborates(a: TimeClaim, b: TimeClaim) -> bool:
    """Agreement worth reporting: both at the same precision ("next month" and "in November"). "In
    November" does contain "Nov. 14", but it does not confirm the day, and two outlets agreeing
    on a year say little."""
    precision = _precision(a)
    return precision is not None and precision == _precision(b)


def _dated_apart(candidate: Candidate) -> bool:
    """Documents published far apart read "next month" or "in November" against different dates;
    a disagreement that exists only through those dates says more about the articles' ages (or a
    wrong date in the metadata) than about the event."""
    readings = (candidate.a.reading, candidate.b.reading)
    if not any(reading.resolved is not None and reading.resolved.from_published for reading in readings):
        return False
    first, second = (reading.published for reading in readings)
    return first is not None and second is not None and abs((first - second).days) > DATED_APART_DAYS


def _other_amounts(candidate: Candidate) -> bool:
    """"Cut 1,000 jobs in 2022" and "cut 500 jobs in 2023": a different amount of the same kind
    at a different time is another round of the event, not the same one misdated."""
    amounts = [quantify([candidate.a.sentence])[0].quantities, quantify([candidate.b.sentence])[0].quantities]
    # values_agree says that quantities which cannot be compared agree, so a disagreement is of one kind.
    return any(not values_agree(a, b) for a, b in product(amounts[0], amounts[1]))


def _stated_elsewhere(candidate: Candidate, claims: _Claims) -> bool:
    """A conflict is none when the other document itself gives this side's date for the same event:
    a two-day meeting, or a restated date, is not a disagreement between the outlets."""
    for claim, other_doc in ((candidate.a, candidate.b.sentence.doc_id), (candidate.b, candidate.a.sentence.doc_id)):
        for other in claims.in_document(other_doc):
            if (
                other.nearby_events & claim.events
                and _at_least_as_precise(other, claim)
                and relate(claim.reading, other.reading) is Relation.agree
            ):
                return True
    return False


def _at_least_as_precise(claim: TimeClaim, than: TimeClaim) -> bool:
    """"Signed this week" does not confirm "signed on Thursday"; "signed on Thursday" confirms "this week"."""
    order = [Granularity.day, Granularity.week, Granularity.month, None]
    return order.index(_precision(claim)) <= order.index(_precision(than))


def _one_to_one(candidates: list[Candidate]) -> list[Candidate]:
    """Within a pair of documents, each time expression is compared once, with its best counterpart."""
    used: set[tuple[str, str, int, Span]] = set()
    kept = []
    for candidate in sorted(candidates, key=lambda candidate: -candidate.score):
        documents = f"{candidate.a.sentence.doc_id}\x1f{candidate.b.sentence.doc_id}"
        keys = {(documents, claim.sentence.doc_id, claim.sentence.index, claim.span) for claim in (candidate.a, candidate.b)}
        if keys & used:
            continue
        used |= keys
        kept.append(candidate)
    return kept


# --------------------------------------------------------------------------- reading the parse


def _claim(sentence: Sentence, doc: Doc | None, expression: TimeExpression, published: date | None) -> TimeClaim | None:
    if doc is None:
        return None
    tokens = [token for token in doc if expression.start <= token.idx < expression.end]
    if not tokens:
        return None
    inside = {token.i for token in tokens}
    root = next((token for token in tokens if token.head.i not in inside or token.head.i == token.i), tokens[-1])
    path, verb = _path_to_clause(root, inside)
    if verb is not None and _lemma(verb) in ignored_words()["reporting"] and not any(t.pos_ == "NOUN" for t in path):
        # "officials said on Friday": the date of a statement, not of the event it reports.
        return None
    if _reads_a_figure(path, verb):
        # "climbed to an average of 2,300 on Monday": a figure read that day, read again the next.
        return None
    naming = _event_words(path, verb)
    # "arrived late on Thursday and held a meeting": the time may date the coordinated verb too.
    conjoined = [child for child in verb.children if child.dep_ == "conj" and child.pos_ in CLAUSE_POS] if verb is not None else []
    nearby = naming + [token for other in conjoined for token in _event_words([other], other)]
    tense = _tense(expression, path, verb)
    return TimeClaim(
        sentence=sentence,
        reading=read(expression, sentence.doc_id, published, tense),
        events=frozenset(_event_word(token) for token in naming),
        nearby_events=frozenset(_event_word(token) for token in nearby),
        nouns=frozenset(_event_word(token) for token in naming if token.pos_ == "NOUN"),
        tense=tense,
        sequenced=_sequenced(path, verb, inside),
    )


def _reads_a_figure(path: list[Token], verb: Token | None) -> bool:
    """Whether the time dates a figure ("an average of 2,300 on Monday") rather than an event."""
    near = list(path)
    if verb is not None:
        near += [child for child in verb.children if child.dep_ in ARGUMENT_DEPS | {"nsubj"}]
        near += [grandchild for child in verb.children if child.dep_ == "prep" for grandchild in child.children if grandchild.dep_ == "pobj"]
    return any(token.pos_ == "NOUN" and _lemma(token) in ignored_words()["measure"] for token in near)


def sentence_events(doc: Doc) -> frozenset[str]:
    """What the sentence as a whole reports: its main verbs' event words and what they act on."""
    roots = [token for token in doc if token.dep_ == "ROOT"]
    verbs = roots + [child for root in roots for child in root.children if child.dep_ == "conj" and child.pos_ in CLAUSE_POS]
    return frozenset(_event_word(token) for verb in verbs for token in _event_words([verb], verb))


def _event_words(path: list[Token], verb: Token | None) -> list[Token]:
    """The words naming what the time dates: those on its way up to its clause's verb, and what
    that verb is done to."""
    naming = [token for token in path + _arguments(verb) if _names_event(token)]
    if verb is not None and _lemma(verb) in ignored_words()["aspect"] and any(token.dep_ == "nsubj" for token in naming):
        # "the summit opened on Tuesday": the summit is the event; "opened" alone would match any opening.
        naming = [token for token in naming if token.i != verb.i]
    return naming


def _path_to_clause(root: Token, inside: set[int]) -> tuple[list[Token], Token | None]:
    """The tokens from the expression up to the verb of its clause (included)."""
    path: list[Token] = []
    token = root
    for _ in range(8):
        if token.head.i == token.i:
            break
        token = token.head
        if token.i in inside:
            continue
        path.append(token)
        if token.pos_ in CLAUSE_POS:
            return path, token
    return path, None


def _arguments(verb: Token | None) -> list[Token]:
    """What a verb does and to what: "held talks", "the treaty was signed", "a treaty signed"; and
    for a verb saying only that something happened or began ("the talks resumed"), its subject."""
    if verb is None:
        return []
    arguments = [child for child in verb.children if child.dep_ in ARGUMENT_DEPS and child.pos_ == "NOUN"]
    if _lemma(verb) in ignored_words()["aspect"]:
        arguments += [child for child in verb.children if child.dep_ == "nsubj" and child.pos_ == "NOUN"]
    if verb.dep_ in {"acl", "relcl"} and verb.head.pos_ == "NOUN":
        arguments.append(verb.head)
    return arguments


def _names_event(token: Token) -> bool:
    lemma = _lemma(token)
    ignored = ignored_words()
    return token.pos_ in EVENT_POS and not any(lemma in ignored[name] for name in ("reporting", "light", "time", "generic", "measure"))


def _tense(expression: TimeExpression, path: list[Token], verb: Token | None) -> Tense:
    offset = expression.offset
    if (offset is not None and offset.steps > 0) or expression.weekday_rule == "next":
        return "future"
    if (offset is not None and offset.steps < 0) or expression.ago is not None or expression.weekday_rule == "last":
        return "past"
    if any(token.lower_ in FUTURE_MODIFIERS for step in path for token in step.children if token.dep_ == "amod"):
        return "future"
    if path and path[0].lower_ == "for" and (path[0].head.pos_ == "NOUN" or _lemma(path[0].head) in CALLING_VERBS):
        return "future"  # "called a strike for April 20": what is set for a day is yet to come
    if verb is None:
        return None
    if any(_lemma(child) in FUTURE_AUXILIARIES or child.lower_ in FUTURE_AUXILIARIES for child in verb.children if child.dep_ == "aux"):
        return "future"
    if verb.dep_ in {"xcomp", "ccomp"} and any(child.dep_ == "aux" and child.lower_ == "to" for child in verb.children):
        # "set to meet on Friday", "agreed to hold talks next month", "expect Lumen to sell more this year".
        return "future"
    if _lemma(verb) in SCHEDULING_VERBS:
        return "future"  # "is scheduled for Tuesday", "was set for next month"
    if verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN":
        # "has met", "was signed", "a treaty signed this week" are past; "is expected" is not.
        auxiliaries = [child for child in verb.children if child.dep_ in {"aux", "auxpass"}]
        return "past" if not auxiliaries or any(aux.tag_ == "VBD" or _lemma(aux) == "have" for aux in auxiliaries) else None
    return None


def _sequenced(path: list[Token], verb: Token | None, inside: set[int]) -> bool:
    nearby = [*path, *(child for step in path for child in step.children)]
    for token in nearby:
        if token.i in inside:
            continue
        if _lemma(token) in SEQUENCE_WORDS or token.lower_ in SEQUENCE_WORDS:
            return True
        if token.lower_ == "last" and token.dep_ == "advmod" and verb is not None and token.head.i == verb.i:
            return True  # "last met in Bali"
    return False


def _lemma(token: Token) -> str:
    return (token.lemma_ or token.text).lower()


def _event_word(token: Token) -> str:
    """The canonical event word of a token; a verb with its particle when the pair names an event
    of its own ("flew in" is an arrival, "flew home" a departure)."""
    for child in token.children:
        if child.dep_ in {"prt", "advmod"}:
            phrase = f"{_lemma(token)} {child.lower_}"
            if phrase in _event_tables()[0]:
                return canonical_event(phrase)
    return canonical_event(_lemma(token))


@lru_cache(maxsize=1)
def _event_tables() -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    data = tomllib.loads(EVENTS_FILE.read_text(encoding="utf-8"))
    groups = {word: name for name, words in data["groups"].items() for word in words}
    ignored = {name: frozenset(words) for name, words in data["ignored"].items()}
    return groups, ignored


def canonical_event(lemma: str) -> str:
    """"meet", "talks" and "negotiation" are one event word, "talks"."""
    return _event_tables()[0].get(lemma, lemma)


def ignored_words() -> dict[str, frozenset[str]]:
    return _event_tables()[1]


# --------------------------------------------------------------------------- wording


def _label(candidate: Candidate) -> str:
    """How the summary names the fact: "date of the signing", "date of the summit", "time of the talks"."""
    what = "time" if candidate.a.reading.expression.is_clock else "date"
    groups = set(_event_tables()[0].values())
    nouns = candidate.a.nouns | candidate.b.nouns
    words = sorted(candidate.shared)
    ranked = sorted(words, key=lambda word: (word not in groups, word not in nouns))
    if not ranked:
        return what
    word = ranked[0]
    return f"{what} of the {word}" if word in groups or word in nouns else f"{what} of “{word}”"


def _verdict(
    label: str, first: TimeClaim, second: TimeClaim, relation: Relation
) -> tuple[Severity, str, str | None]:
    """Severity, summary and caveat."""
    left, right = describe(first.reading), describe(second.reading)
    if relation is Relation.agree:
        if left == right:
            return Severity.info, f"{label}: both {left}", None
        return Severity.info, f"{label}: {left} agrees with {right}", None
    summary = f"{label}: {left} vs {right}{_undated_note(first, second)}"
    if relation is Relation.adjacent:
        why = "minutes apart" if first.reading.expression.is_clock else "a day apart, one late or early in the day (another time zone?)"
        return Severity.warning, summary, why
    return Severity.conflict, summary, None


def _undated_note(*claims: TimeClaim) -> str:
    """An undated document's date is compared as written, never guessed: the summary says so."""
    undated = [
        claim.reading.doc_id
        for claim in claims
        if claim.reading.published is None and claim.reading.resolved is None and not claim.reading.expression.is_clock
    ]
    if not undated:
        return ""
    return f" ({' and '.join(undated)} {'has' if len(undated) == 1 else 'have'} no date: compared as written)"


def _comparison_reason(candidate: Candidate) -> str:
    spans = f"'{candidate.a.reading.expression.text}' / '{candidate.b.reading.expression.text}'"
    if candidate.by_paraphrase:
        return f"near paraphrases about the same event ({', '.join(sorted(candidate.shared))}), one time each: {spans}"
    return f"both date the same event ({', '.join(sorted(candidate.shared))}): {spans}"
