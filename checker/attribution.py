"""Who a figure is attributed to: "police said 5,000", "according to organisers", "…, officials said".

Outlets often give different sources' figures for one thing: the police's and the organisers'
count of a march, a ministry's toll and a hospital's. Both reports can be right, so two figures
from plainly different sources are a disagreement between the sources, not a misreported fact.
Sources count as different when they speak for different countries ("U.S. officials", "Chinese
officials"), or else only when their words share nothing: "U.S. officials" and "Biden
administration officials" may be the same people, "police" and "organisers" are not. A description
that names no party of its own ("the company", "the steelmaker") may stand for any named source.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from checker.places import PlaceKind, load_gazetteer

if TYPE_CHECKING:
    from spacy.tokens import Token

# Verbs whose subject vouches for the clause they govern.
REPORTING_VERBS = frozenset(
    "say tell add report announce state note confirm claim estimate comment describe insist".split()
)
# Nouns that carry someone else's figures: the someone is the source ("figures released by CBP").
DATA_WORDS = frozenset("figure data statistic estimate count tally report statement number record".split())
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# Words of a source's phrase kept with its head noun: "Harbor City police", "U.S. officials".
MODIFIER_DEPS = frozenset({"compound", "amod", "poss", "flat"})
STOP_WORDS = frozenset("the a an of and 's ’s".split())
# Parties a description identifies by itself, unlike "the company", which stands for a name.
PARTY_WORDS = frozenset(
    "police organiser organizer union opposition government ministry official authority army military "
    "hospital doctor medic rescuer witness resident prosecutor investigator analyst economist expert "
    "activist protester campaigner rebel insurgent militant lawyer family diplomat spokesman spokeswoman".split()
)


def attributed_source(figure: Token) -> str | None:
    """The source the sentence gives for the clause holding ``figure``, as written, or None when
    it names none (or only a pronoun: "they said")."""
    child = figure
    for ancestor in figure.ancestors:
        if _reports(ancestor, figure) and child.dep_ not in SUBJECT_DEPS:
            return _source_phrase(_subject(ancestor))
        source = _according_to(ancestor) or _trailing_attribution(ancestor, child)
        if source is not None:
            return source
        child = ancestor
    return None


def _reports(verb: Token, figure: Token) -> bool:
    """A reporting verb, or "put … at" a figure: "the Red Cross put the toll at 130" is an
    estimate, "put $5 billion into the fund" is not."""
    lemma = verb.lemma_.lower()
    return lemma in REPORTING_VERBS or (lemma == "put" and figure.head.lower_ == "at" and figure.head.head == verb)


def _according_to(token: Token) -> str | None:
    for child in token.children:
        if child.lower_ == "according":
            objects = [grandchild for to in child.children if to.lower_ == "to" for grandchild in to.children]
            return _source_phrase(next((noun for noun in objects if noun.dep_ == "pobj"), None))
    return None


def _trailing_attribution(clause: Token, came_from: Token) -> str | None:
    """ "8,000 people took part, police said", when the parse hangs "said" under "took"."""
    for child in clause.children:
        if child is not came_from and child.dep_ in {"parataxis", "ccomp"} and child.lemma_.lower() in REPORTING_VERBS:
            return _source_phrase(_subject(child))
    return None


def _subject(verb: Token) -> Token | None:
    return next((child for child in verb.children if child.dep_ in SUBJECT_DEPS), None)


def _source_phrase(noun: Token | None) -> str | None:
    if noun is None or noun.pos_ == "PRON":
        return None
    if noun.lemma_.lower() in DATA_WORDS:
        # "figures released by U.S. Customs and Border Protection": whose figures they are.
        names = [
            re.sub(r"^the\s+", "", ent.text, flags=re.IGNORECASE)
            for ent in noun.doc.ents
            if ent.label_ in NAME_LABELS and ent.root in noun.subtree
        ]
        return " and ".join(dict.fromkeys(names)) or None
    words = sorted([noun, *_modifiers(noun)], key=lambda token: token.i)
    phrase = noun.doc[words[0].i : words[-1].i + 1].text
    # "Police said …" opens the sentence: the capital is the sentence's, not the name's.
    opening = words[0].is_sent_start and words[0].pos_ != "PROPN" and not words[0].ent_type_
    return phrase[:1].lower() + phrase[1:] if opening else phrase


def _modifiers(noun: Token) -> list[Token]:
    found = []
    for child in noun.children:
        if child.dep_ in MODIFIER_DEPS:
            found += [child, *_modifiers(child)]
    return found


def source_words(source: str) -> frozenset[str]:
    """A source's words, folded so that "Organisers" and "organizer" are one word."""
    words = re.findall(r"[\w.’']+", source.lower())
    return frozenset(_folded(word) for word in words if word not in STOP_WORDS)


def _folded(word: str) -> str:
    word = re.sub(r"['’]s?$", "", word)
    word = re.sub(r"is(e|ing|ation)", r"iz\1", word)
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def different_sources(first: str | None, second: str | None) -> bool:
    """Both figures attributed, to the sides of different countries ("U.S. officials", "Chinese
    officials"), or to sources with no word in common, neither a stand-in for the other."""
    if not (first and second):
        return False
    countries_first, countries_second = _countries(first), _countries(second)
    if countries_first and countries_second:
        return not countries_first & countries_second
    if source_words(first) & source_words(second):
        return False
    # "the company" may be "Norvik Steel" or "its maker"; it cannot be "the union".
    stand_ins = [_stands_for_a_name(source) for source in (first, second)]
    return not (stand_ins[0] and (stand_ins[1] or _named(second)) or stand_ins[1] and _named(first))


def _countries(source: str) -> set[str]:
    """The countries a source's words name or a nationality word points to: "U.S. officials",
    "Chinese state media", "Kestria's interior ministry"."""
    gazetteer = load_gazetteer()
    words = [re.sub(r"(?:'s|’s|'|’)$", "", word) for word in source.split()]
    countries: set[str] = set()
    for size in (1, 2, 3):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            countries |= set(gazetteer.countries_of_demonym(phrase))
            countries |= {place.name for place in gazetteer.readings(phrase) if place.kind is PlaceKind.country}
    return countries


def _named(source: str) -> bool:
    return any(word[:1].isupper() for word in source.split())


def _stands_for_a_name(source: str) -> bool:
    """"the company" after "Norvik Steel said": a description naming no party of its own."""
    return not _named(source) and not source_words(source) & PARTY_WORDS
