"""People, the titles a document gives them, and the names it uses for them.

A document names a person in full with a title once ("Chinese Foreign Minister Wang Yi") and then
by surname ("Wang") or by a description ("China's top diplomat"). Titles can only be compared
across documents once each document's mentions are resolved to the people they name, so this
module reads, per document:

- title mentions: "[qualifier] TITLE NAME" ("Foreign Minister Qin Gang", "China's Foreign
  Minister Wang Yi", "U.S. national security adviser Jake Sullivan") and appositions
  ("Wang Yi, China's foreign minister,", "Ilse Brandt, the mayor of Kestrel,");
- what each title is: a single-holder office (president, foreign minister, mayor), a post many
  hold at once (deputy mayor, commissioner), a seat held alongside any office (senator), or a
  description that is an alias and no title at all (top diplomat, counterpart, leader);
- the people: a surname alone resolves to the full name the document uses ("Wang" → "Wang Yi"),
  descriptions become aliases, and country qualifiers say which country a person belongs to.

Reading is rule-based on the sentence text (fast, no parse); only an apposition's name is checked
against the parser's PERSON entities, because "In Beijing, the foreign minister said" has the
same shape as "Wang Yi, the foreign minister, said".
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from checker.frames import names_match
from checker.models import Frozen, Sentence

ROLES_FILE = Path(__file__).parent / "data" / "roles.toml"

Category = Literal["office", "post", "membership", "description"]
PersonCheck = Callable[[Sentence, int, int], bool]
Tokens = Sequence["Token"]

CAPITALISED_RUN = re.compile(
    r"[A-Z][\w’'\-]*\.?(?:\s+(?:(?:de|da|van|von|der|den|bin|al|la|le|du|dos|ibn|el)\s+)?[A-Z][\w’'\-]*\.?)*"
)
TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:[\w’'\-]*[\w’'])?|\d[\d.,]*\d|\d|\S")
POSSESSIVE = re.compile(r"(?:’s|'s|’|')$")
POSSESSIVE_ENDINGS = ("’s", "'s", "’", "'")
# "Kestrian" → Kestria: an unknown nationality adjective names its country less the final n.
NATIONALITY_ADJECTIVE = re.compile(r"[A-Z][a-z]+(?:ian|ean)")
PRONOUNS = frozenset({"his", "her", "its", "their", "our", "my", "your"})
DETERMINERS = frozenset({"the", "a", "an"})
# Words after an apposition's title that close it: "Wang Yi, China's foreign minister, said".
APPOSITION_ENDS = frozenset(
    {",", ".", ";", ":", ")", "—", "–", "who", "said", "says", "told", "and", "was", "is", "has"}
)
QUALIFIER_LINKS = frozenset({"of", "for", "at"})
NAME_PARTICLES = frozenset(
    {"de", "da", "del", "della", "van", "von", "der", "den", "bin", "al", "la", "le", "du", "dos", "ibn", "el"}
)
# Capitalised words that are never part of a person's name.
NOT_NAME = frozenset(
    """the a an and or but nor of in on at to for from by with as after before when while since during
    about into over under than that this these those there here it its his her their our my your we they
    he she i you who whom whose which what where why how also meanwhile however earlier later then now
    today yesterday tomorrow tonight separately still yet so if not no both either neither each every
    finally instead additionally previously recently ultimately currently similarly likewise notably
    all some many most more less other another such said says say told according despite although though
    because given amid among between until unless whether last next this year week month day
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    house department ministry office administration government cabinet council committee party
    commission agency bureau court senate congress parliament embassy mission company inc corp group
    university institute center centre foundation fund bank board union army navy police
    league club cup bowl series championship association federation society network
    """.split()
)


class Qualifier(Frozen):
    """Whose office a title is: a country, a place or an organisation."""

    text: str = Field(description="as written: 'Chinese', 'China's', 'U.S.', 'Florida'")
    key: str | None = Field(description="normalised: 'china', 'united states', 'florida'; None when vague ('his')")
    country: bool = Field(False, description="the key is a country (a nationality word or a known country name)")


class TitleMention(Frozen):
    """A person given a title in one sentence of a document."""

    doc_id: str
    sentence_index: int
    start: int = Field(description="offset in Sentence.text of the whole mention, qualifier and name included")
    end: int
    text: str = Field(description="the mention as written: 'Chinese Foreign Minister Wang Yi'")
    name: str = Field(description="the name as written, possessive removed")
    person: str = Field(description="the name resolved within the document ('Wang' → 'Wang Yi')")
    title: str = Field(description="normalised title: 'foreign minister', 'deputy mayor', 'top diplomat'")
    title_text: str = Field(description="the title as written")
    category: Category
    office: str | None = Field(None, description="the single-holder office this title is, if it is one")
    qualifier: Qualifier | None = None


class Person(Frozen):
    name: str = Field(description="the fullest name the document uses")
    aliases: list[str] = Field([], description="other ways the document names them: surname, descriptions")
    countries: list[str] = Field([], description="countries the document ties them to")
    counterpart: bool = Field(False, description="called someone's counterpart: the same office in another country")


class DocumentEntities(Frozen):
    doc_id: str
    mentions: list[TitleMention]
    people: list[Person]
    names: list[str] = Field(description="every run of capitalised name words in the document")

    def appears(self, name: str) -> bool:
        """Whether the document names this person at all, in full, by surname or with a typo."""
        return any(same_person(name, run) for run in self.names)

    def person(self, name: str) -> Person | None:
        return next((person for person in self.people if same_person(person.name, name)), None)

    def titles_of(self, name: str) -> list[TitleMention]:
        return [mention for mention in self.mentions if same_person(mention.person, name)]


# --------------------------------------------------------------------------- lexicon


@dataclass(frozen=True)
class Office:
    name: str
    scope: str
    needs_qualifier: bool


@dataclass(frozen=True)
class Lexicon:
    """The word lists of data/roles.toml, keyed by normalised words."""

    offices: dict[tuple[str, ...], Office]
    posts: frozenset[tuple[str, ...]]
    memberships: frozenset[str]
    descriptions: frozenset[str]
    description_modifiers: frozenset[str]
    ranks: frozenset[str]
    not_current: frozenset[str]
    party_words: frozenset[str]
    adjectives: frozenset[str]
    honorifics: frozenset[str]
    abbreviations: dict[str, str]
    countries: dict[str, str]
    organisations: dict[str, str]
    concurrent: list[frozenset[str]]
    title_words: frozenset[str]

    def key(self, word: str) -> str:
        lowered = POSSESSIVE.sub("", word).lower()
        return self.abbreviations.get(lowered, lowered)

    def dotted(self, word: str) -> bool:
        """Abbreviations whose dot belongs to the word ("Gov.", "Sen.", "Lt.")."""
        return f"{word.lower()}." in self.abbreviations or f"{word.lower()}." in self.honorifics


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data = tomllib.loads(ROLES_FILE.read_text(encoding="utf-8"))
    titles = data["titles"]
    abbreviations = dict(titles["abbreviations"])

    def phrase(text: str) -> tuple[str, ...]:
        return tuple(abbreviations.get(word, word) for word in text.split())

    offices: dict[tuple[str, ...], Office] = {}
    for name, entry in data["offices"].items():
        office = Office(name=name, scope=entry["scope"], needs_qualifier=entry.get("needs_qualifier", False))
        for variant in entry["variants"]:
            offices[phrase(variant)] = office
    portfolios = data["portfolios"]
    spellings = {**{name: name for name in portfolios["names"]}, **portfolios["spellings"]}
    for spelling, portfolio in spellings.items():
        for head in portfolios["heads"]:
            office = Office(name=f"{portfolio} {head}", scope="country", needs_qualifier=False)
            bare = spelling.removeprefix("the ")
            offices.setdefault(phrase(f"{bare} {head}"), office)
            offices.setdefault(phrase(f"{head} of {spelling}"), office)
            offices.setdefault(phrase(f"{head} for {spelling}"), office)
    countries = {form: country for country, forms in data["countries"].items() for form in forms}
    organisations = {form: name for name, forms in data["organisations"].items() for form in forms}
    posts = frozenset(phrase(head) for head in titles["posts"])
    title_words = frozenset(
        word
        for group in (list(offices), list(posts), [phrase(word) for word in titles["memberships"]])
        for words in group
        for word in words
        if word not in {"of", "for", "the"}
    ) | frozenset(titles["ranks"])
    return Lexicon(
        offices=offices,
        posts=posts,
        memberships=frozenset(phrase(word)[0] for word in titles["memberships"]),
        descriptions=frozenset(titles["descriptions"]),
        description_modifiers=frozenset(titles["description_modifiers"]),
        ranks=frozenset(phrase(word)[0] for word in titles["ranks"]),
        not_current=frozenset(titles["not_current"]),
        party_words=frozenset(titles["party_words"]),
        adjectives=frozenset(titles["adjectives"]),
        honorifics=frozenset(titles["honorifics"]),
        abbreviations=abbreviations,
        countries=countries,
        organisations=organisations,
        concurrent=[frozenset(group) for group in titles["concurrent"]],
        title_words=title_words,
    )


def office_named(name: str) -> Office | None:
    """The single-holder office of that canonical name ("foreign minister")."""
    return next((office for office in lexicon().offices.values() if office.name == name), None)


# --------------------------------------------------------------------------- tokens


@dataclass(frozen=True, slots=True)
class Token:
    """A word (or number, or punctuation mark) with what the readers ask of it, worked out once."""

    text: str
    start: int
    end: int
    word: str  # possessive removed
    key: str  # lowercase, abbreviation expanded
    alphabetic: bool
    possessive: bool
    capitalised: bool


def make_token(text: str, start: int, end: int, words: Lexicon) -> Token:
    alphabetic = text[:1].isalpha()
    possessive = alphabetic and text.endswith(POSSESSIVE_ENDINGS)
    word = POSSESSIVE.sub("", text) if possessive else text
    return Token(text, start, end, word, words.key(text), alphabetic, possessive, text[:1].isupper())


@lru_cache(maxsize=4096)
def tokenize(text: str) -> tuple[Token, ...]:
    """Words (possessives, abbreviation dots and initials attached), numbers and punctuation."""
    words = lexicon()
    tokens: list[Token] = []
    taken = 0
    for match in TOKEN.finditer(text):
        start, end = match.span()
        if start < taken:
            continue  # the dot of an abbreviation already read
        word = match.group()
        initial = len(word) == 1 and word.isupper()
        if text[end : end + 1] == "." and word[:1].isalpha() and (words.dotted(word) or initial):
            end += 1
        taken = end
        marker, dash, rest = word.partition("-")
        if dash and rest and marker.lower() in words.not_current:
            # "then-Secretary of State John Kerry": the marker and the title are two words.
            tokens.append(make_token(text[start : start + len(marker)], start, start + len(marker), words))
            start += len(marker) + 1
        tokens.append(make_token(text[start:end], start, end, words))
    return tuple(tokens)


# --------------------------------------------------------------------------- reading titles


@dataclass(frozen=True)
class TitleMatch:
    """A title found next to a name: token range, what it is, and its qualifier."""

    first: int
    last: int
    title: str
    category: Category
    office: Office | None = None
    qualifier: Qualifier | None = None
    current: bool = True


def known_qualifier_ending_at(tokens: Tokens, index: int) -> tuple[Qualifier, int] | None:
    """A country, nationality word or international organisation ending at ``index`` ("North
    Korean", "U.S.", "U.N."), and the index it starts at."""
    words = lexicon()
    for length in (3, 2, 1):
        first = index - length + 1
        if first < 0 or not all(token.alphabetic and token.capitalised for token in tokens[first : index + 1]):
            continue
        text = " ".join(token.word for token in tokens[first : index + 1])
        if text.lower() in words.countries:
            return Qualifier(text=text, key=words.countries[text.lower()], country=True), first
        if text.lower() in words.organisations:
            return Qualifier(text=text, key=words.organisations[text.lower()]), first
    return None


def read_qualifier(tokens: Tokens, index: int) -> tuple[Qualifier | None, int]:
    """The qualifier ending at ``index`` (left of a title) and the index it starts at."""
    words = lexicon()
    while index >= 0 and tokens[index].key in words.party_words:
        index -= 1
    if index < 0 or not tokens[index].alphabetic:
        return None, index + 1
    token = tokens[index]
    if token.word.lower() in PRONOUNS:
        return Qualifier(text=token.text, key=None), index
    known = known_qualifier_ending_at(tokens, index)
    if known is not None:
        return known
    if token.possessive and not token.capitalised:
        # "the company's chief executive": whose is not said in a way that can be compared.
        return Qualifier(text=token.text, key=None), index
    run = capitalised_run(tokens, index)
    if not run:
        return None, index + 1
    first = run[0]
    text = " ".join(tokens[i].word for i in run)
    return Qualifier(text=text, key=_place_key(text), country=_nationality_word(text)), first


def capitalised_run(tokens: Tokens, index: int) -> list[int]:
    """Indices of the capitalised words naming a place or organisation that end at ``index``."""
    words = lexicon()
    run: list[int] = []
    position = index
    while position >= 0 and len(run) < 4:
        token = tokens[position]
        key = token.key
        acceptable = (
            token.alphabetic
            and token.capitalised
            and key not in NOT_NAME
            and key not in words.title_words
            and key not in words.not_current
            and key not in words.honorifics
            and (not token.possessive or position == index)
        )
        if not acceptable:
            break
        run.insert(0, position)
        position -= 1
    if len(run) == 1 and tokens[run[0]].key in words.adjectives:
        # "Incumbent Gov. Lind": an adjective opening the sentence, not whose office it is.
        return []
    return run


def _nationality_word(text: str) -> bool:
    """A country or nationality, including adjectives the table does not know ("Kestrian")."""
    return text.lower() in lexicon().countries or bool(NATIONALITY_ADJECTIVE.fullmatch(text))


def _place_key(text: str) -> str:
    """Normalised qualifier: 'Kestrian' and 'Kestria' both give 'kestria'."""
    words = lexicon()
    lowered = text.lower()
    if lowered in words.countries:
        return words.countries[lowered]
    if lowered in words.organisations:
        return words.organisations[lowered]
    if NATIONALITY_ADJECTIVE.fullmatch(text):
        return lowered[:-1]
    return lowered


def qualifier_from_text(text: str) -> Qualifier:
    """A qualifier written after the title ("mayor of Kestrel")."""
    return Qualifier(text=text, key=_place_key(text), country=_nationality_word(text))


def title_before(tokens: Tokens, index: int) -> TitleMatch | None:
    """The title ending just before the name that starts at ``index``, with its qualifier."""
    if index == 0:
        return None
    found = _office_before(tokens, index) or _post_before(tokens, index) or _membership_before(tokens, index)
    if found is not None:
        qualifier, start = read_qualifier(tokens, found.first - 1)
        lowercase_word = not tokens[found.first].capitalised and found.first == found.last
        if qualifier is None and found.category == "office" and lowercase_word:
            # "the president Monday" is prose; "U.S. president Joe Biden" is a title.
            return None
        return _with_qualifier(tokens, found, qualifier, start)
    return _description_before(tokens, index)


def _office_before(tokens: Tokens, index: int) -> TitleMatch | None:
    words = lexicon()
    for length in (5, 4, 3, 2, 1):
        first = index - length
        if first < 0:
            continue
        span = tokens[first:index]
        if any(token.possessive or not token.alphabetic for token in span):
            continue
        office = words.offices.get(tuple(token.key for token in span))
        if office is None:
            continue
        ranks = _ranks_before(tokens, first)
        if ranks:
            # "Deputy Foreign Minister": another post, held by several people at once.
            title = " ".join([*ranks, office.name])
            return TitleMatch(first=first - len(ranks), last=index - 1, title=title, category="post")
        return TitleMatch(first=first, last=index - 1, title=office.name, category="office", office=office)
    return None


def _ranks_before(tokens: Tokens, index: int) -> list[str]:
    """Rank words written like the title they join: "Deputy Foreign Minister", "deputy foreign
    minister", but not "under President Trump"."""
    words = lexicon()
    ranks: list[str] = []
    position = index - 1
    while (
        position >= 0
        and tokens[position].alphabetic
        and tokens[position].key in words.ranks
        and tokens[position].capitalised == tokens[index].capitalised
    ):
        ranks.insert(0, tokens[position].key)
        position -= 1
    return ranks


def _post_before(tokens: Tokens, index: int) -> TitleMatch | None:
    """"Harbour Commissioner", "Deputy Mayor", "Social Security Commissioner": capitalised words
    ending in a title head."""
    words = lexicon()
    for length in (2, 1):
        first = index - length
        if first < 0:
            continue
        head = tokens[first:index]
        if not head[0].capitalised or any(token.possessive or not token.alphabetic for token in head):
            continue
        if tuple(token.key for token in head) not in words.posts:
            continue
        position = first - 1
        while position >= 0 and first - position <= 3 and _post_modifier(tokens, position):
            position -= 1
        title = " ".join(token.key for token in tokens[position + 1 : index])
        return TitleMatch(first=position + 1, last=index - 1, title=title, category="post")
    return None


def _post_modifier(tokens: Tokens, position: int) -> bool:
    words = lexicon()
    token = tokens[position]
    key = token.key
    if key in words.ranks and token.capitalised:
        return True
    return (
        token.alphabetic
        and token.capitalised
        and not token.possessive
        and known_qualifier_ending_at(tokens, position) is None
        and key not in NOT_NAME
        and key not in words.party_words
        and key not in words.not_current
        and key not in words.honorifics
    )


def _membership_before(tokens: Tokens, index: int) -> TitleMatch | None:
    words = lexicon()
    token = tokens[index - 1]
    if token.capitalised and not token.possessive and token.key in words.memberships:
        return TitleMatch(first=index - 1, last=index - 1, title=token.key, category="membership")
    return None


def _description_before(tokens: Tokens, index: int) -> TitleMatch | None:
    """"China's top diplomat Wang Yi", "senior Chinese diplomat Wang Yi", "his counterpart Xi"."""
    words = lexicon()
    head = tokens[index - 1]
    if head.possessive or not head.alphabetic or head.word.lower() not in words.descriptions:
        return None
    position, country, country_words = index - 2, None, set()
    while position >= 0 and tokens[position].alphabetic and not tokens[position].possessive:
        found = known_qualifier_ending_at(tokens, position)
        if found is not None:
            country_words |= set(range(found[1], position + 1))
            country, position = found[0], found[1] - 1
        elif tokens[position].word.lower() in words.description_modifiers:
            position -= 1
        else:
            break
    first = position + 1
    title = " ".join(tokens[i].word.lower() for i in range(first, index) if i not in country_words)
    qualifier, start = read_qualifier(tokens, position)
    if qualifier is None or (qualifier.key is None and country is not None):
        # "his Chinese counterpart": whose counterpart is vague, the country is not.
        qualifier = country
    match = TitleMatch(first=first, last=index - 1, title=title, category="description")
    return _with_qualifier(tokens, match, qualifier, start)


def _with_qualifier(tokens: Tokens, match: TitleMatch, qualifier: Qualifier | None, start: int) -> TitleMatch:
    """The match with its qualifier, and whether the title is still held ("former", "then-": not)."""
    words = lexicon()
    before = start - 1
    while before >= 0 and tokens[before].word.lower() in DETERMINERS | words.party_words:
        before -= 1
    inside = [tokens[i].word.lower() for i in range(start, match.first)]
    current = not (before >= 0 and tokens[before].word.lower() in words.not_current) and not (
        set(inside) & words.not_current
    )
    first = start if qualifier is not None else match.first
    return TitleMatch(
        first=first,
        last=match.last,
        title=match.title,
        category=match.category,
        office=match.office,
        qualifier=qualifier,
        current=current,
    )


def name_after(tokens: Tokens, index: int) -> int:
    """How many tokens from ``index`` form a person's name ("Qin Gang", "Kim Jong Un", "Joe R. Biden"); 0 if none."""
    count = 0
    position = index
    while position < len(tokens) and count < 4:
        token = tokens[position]
        if token.alphabetic and token.word.lower() in NAME_PARTICLES and count and position + 1 < len(tokens):
            if tokens[position + 1].capitalised:
                position += 1
                continue
            break
        if not _name_word(token, first=count == 0):
            break
        count += 1
        position += 1
        if token.possessive:
            break
    return position - index if count else 0


def _name_word(token: Token, first: bool) -> bool:
    words = lexicon()
    if not (token.alphabetic and token.capitalised) or re.fullmatch(r"[RDI]-[A-Z][a-z]*\.?", token.text):
        return False
    key = token.key
    if key in NOT_NAME or (key,) in words.posts or key in words.memberships:
        return False
    if first and (key in words.title_words or key in words.honorifics or key in words.party_words):
        return False
    return not (first and token.word.lower() in words.countries)


def words_of(tokens: Tokens) -> str:
    return " ".join(token.word for token in tokens)


# --------------------------------------------------------------------------- appositions


def title_after(tokens: Tokens, index: int) -> TitleMatch | None:
    """The title of an apposition starting at ``index`` (just after "Name,"): "the mayor of
    Kestrel", "China's top diplomat", "the city's deputy mayor"."""
    words = lexicon()
    position = index
    if position < len(tokens) and tokens[position].word.lower() in DETERMINERS:
        position += 1
    qualifier = None
    if position < len(tokens) and tokens[position].possessive:
        qualifier, position = _possessor_after(tokens, position)
    elif position < len(tokens):
        known = _known_qualifier_starting_at(tokens, position)
        if known is not None:
            qualifier, position = known
    while position < len(tokens) and tokens[position].word.lower() in words.adjectives:
        position += 1
    found = _title_starting_at(tokens, position)
    if found is None:
        return None
    end = found.last + 1
    if end < len(tokens) and tokens[end].word.lower() in QUALIFIER_LINKS and qualifier is None:
        after = end + 1
        if after < len(tokens) and tokens[after].word.lower() == "the":
            after += 1
        run_end = after
        while run_end < len(tokens) and run_end - after < 4 and tokens[run_end].alphabetic and tokens[run_end].capitalised:
            run_end += 1
        if run_end > after:
            qualifier, end = qualifier_from_text(words_of(tokens[after:run_end])), run_end
    if end < len(tokens) and tokens[end].word.lower() not in APPOSITION_ENDS:
        return None
    return TitleMatch(
        first=index, last=end - 1, title=found.title, category=found.category, office=found.office, qualifier=qualifier
    )


def _possessor_after(tokens: Tokens, position: int) -> tuple[Qualifier, int]:
    token = tokens[position]
    if not token.capitalised:
        return Qualifier(text=token.text, key=None), position + 1
    return qualifier_from_text(token.word), position + 1


def _known_qualifier_starting_at(tokens: Tokens, position: int) -> tuple[Qualifier, int] | None:
    """A known qualifier starting at ``position`` and the index just after it."""
    for length in (3, 2, 1):
        end = position + length - 1
        if end < len(tokens):
            found = known_qualifier_ending_at(tokens, end)
            if found is not None and found[1] == position:
                return found[0], end + 1
    return None


def _title_starting_at(tokens: Tokens, position: int) -> TitleMatch | None:
    words = lexicon()
    ranks: list[str] = []
    office, length = _office_starting_at(tokens, position)
    while office is None and position < len(tokens) and tokens[position].key in words.ranks:
        ranks.append(tokens[position].key)
        position += 1
        office, length = _office_starting_at(tokens, position)
    if office is not None:
        last = position + length - 1
        if ranks:
            return TitleMatch(first=position, last=last, title=" ".join([*ranks, office.name]), category="post")
        return TitleMatch(first=position, last=last, title=office.name, category="office", office=office)
    for end in range(position, min(position + 3, len(tokens))):
        token = tokens[end]
        if not token.alphabetic or token.possessive:
            return None
        key = token.key
        if (key,) in words.posts:
            modifiers = [t.key for t in tokens[position:end]]
            return TitleMatch(first=position, last=end, title=" ".join([*ranks, *modifiers, key]), category="post")
        if key in words.descriptions:
            return TitleMatch(first=position, last=end, title=key, category="description")
    return None


def _office_starting_at(tokens: Tokens, position: int) -> tuple[Office | None, int]:
    """The longest office title starting at ``position`` and its length in tokens."""
    words = lexicon()
    for length in (5, 4, 3, 2, 1):
        span = tokens[position : position + length]
        if len(span) < length or any(not token.alphabetic or token.possessive for token in span):
            continue
        office = words.offices.get(tuple(token.key for token in span))
        if office is not None:
            return office, length
    return None, 0


def apposition_name(tokens: Tokens, comma: int) -> int:
    """Index of the first token of the name ending just before the comma at ``comma``; -1 if none."""
    position = comma - 1
    while (
        position >= 0
        and comma - position <= 4
        and _name_word(tokens[position], first=False)
        and not tokens[position].possessive
    ):
        position -= 1
    first = position + 1
    if first == comma or not _name_word(tokens[first], first=True):
        return -1
    return first


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class RawMention:
    sentence: Sentence
    start: int
    end: int
    name: str
    match: TitleMatch
    title_text: str


def sentence_mentions(sentence: Sentence, is_person: PersonCheck) -> list[RawMention]:
    """Every titled person in one sentence, before resolution."""
    tokens = tokenize(sentence.text)
    mentions: list[RawMention] = []
    for index in range(1, len(tokens)):
        if not _name_word(tokens[index], first=True):
            continue
        match = title_before(tokens, index)
        length = name_after(tokens, index) if match is not None else 0
        if match is None or not length or not match.current:
            continue
        name_tokens = tokens[index : index + length]
        mentions.append(
            RawMention(
                sentence=sentence,
                start=tokens[match.first].start,
                end=name_tokens[-1].start + len(name_tokens[-1].word),
                name=words_of(name_tokens),
                match=match,
                title_text=sentence.text[tokens[_title_first(tokens, match)].start : tokens[match.last].end],
            )
        )
    for comma, token in enumerate(tokens):
        if token.text != ",":
            continue
        first = apposition_name(tokens, comma)
        if first < 0:
            continue
        match = title_after(tokens, comma + 1)
        # A description in apposition ("Lind, a spokesman for the port,") would only add an alias:
        # not worth a parse to check the name is a person's.
        if match is None or match.category == "description" or not _current_apposition(tokens, comma + 1):
            continue
        name_tokens = tokens[first:comma]
        start, end = name_tokens[0].start, tokens[match.last].end
        if is_person(sentence, name_tokens[0].start, name_tokens[-1].end):
            mentions.append(
                RawMention(
                    sentence=sentence,
                    start=start,
                    end=end,
                    name=words_of(name_tokens),
                    match=match,
                    title_text=sentence.text[tokens[comma + 1].start : end],
                )
            )
    return mentions


def _title_first(tokens: Tokens, match: TitleMatch) -> int:
    """Where the title proper starts, after its qualifier."""
    position = match.first
    if match.qualifier is None:
        return position
    while position < match.last and (
        tokens[position].possessive
        or known_qualifier_ending_at(tokens, position) is not None
        or _qualifier_word(tokens[position], match.qualifier)
    ):
        position += 1
    return position


def _qualifier_word(token: Token, qualifier: Qualifier) -> bool:
    words = lexicon()
    return token.word in qualifier.text.split() or token.key in words.party_words


def _current_apposition(tokens: Tokens, position: int) -> bool:
    words = lexicon()
    window = [token.word.lower() for token in tokens[position : position + 3]]
    return not set(window) & words.not_current


def may_mention_title(sentence: Sentence) -> bool:
    """Cheap filter: a sentence without a title word names no one with a title."""
    return title_word_pattern().search(sentence.text) is not None


@lru_cache(maxsize=1)
def title_word_pattern() -> re.Pattern[str]:
    words = lexicon()
    spellings = words.title_words | words.descriptions | set(words.abbreviations)
    alternatives = "|".join(re.escape(word) for word in sorted(spellings, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w])", re.IGNORECASE)


def document_entities(doc_id: str, sentences: list[Sentence], is_person: PersonCheck) -> DocumentEntities:
    """The titled people of one document, resolved to the full names it uses."""
    raw = [
        mention
        for sentence in sentences
        if may_mention_title(sentence)
        for mention in sentence_mentions(sentence, is_person)
    ]
    names = name_runs(sentences)
    full_names = [mention.name for mention in raw if len(mention.name.split()) > 1] + [
        run for run in names if len(run.split()) > 1
    ]
    mentions = _deduplicated([_resolved(doc_id, mention, full_names) for mention in raw])
    return DocumentEntities(doc_id=doc_id, mentions=mentions, people=_people(mentions, names), names=names)


def resolve_name(name: str, full_names: list[str]) -> str:
    """A surname alone stands for the one full name of the document that contains it."""
    if len(name.split()) > 1:
        return next((full for full in full_names if fuzzy_equal(full, name)), name)
    candidates = [full for full in full_names if name in (full.split()[0], full.split()[-1])]
    if candidates and all(same_person(candidates[0], other) for other in candidates):
        return candidates[0]
    return name


def _resolved(doc_id: str, mention: RawMention, full_names: list[str]) -> TitleMention:
    match = mention.match
    return TitleMention(
        doc_id=doc_id,
        sentence_index=mention.sentence.index,
        start=mention.start,
        end=mention.end,
        text=mention.sentence.text[mention.start : mention.end],
        name=mention.name,
        person=resolve_name(mention.name, full_names),
        title=match.title,
        title_text=mention.title_text,
        category=match.category,
        office=match.office.name if match.office is not None else None,
        qualifier=match.qualifier,
    )


def _deduplicated(mentions: list[TitleMention]) -> list[TitleMention]:
    seen: set[tuple[int, int, int]] = set()
    unique = []
    for mention in sorted(mentions, key=lambda m: (m.sentence_index, m.start)):
        key = (mention.sentence_index, mention.start, mention.end)
        if key not in seen:
            seen.add(key)
            unique.append(mention)
    return unique


def _people(mentions: list[TitleMention], names: list[str]) -> list[Person]:
    people: dict[str, Person] = {}
    for mention in sorted(mentions, key=lambda m: -len(m.person.split())):
        key = next((name for name in people if same_person(name, mention.person)), mention.person)
        person = people.get(key, Person(name=key))
        aliases = set(person.aliases)
        if mention.category == "description":
            aliases.add(mention.text.replace(mention.name, "").strip(" ,"))
        aliases |= {run for run in names if len(run.split()) == 1 and run in key.split()}
        countries = set(person.countries)
        if mention.qualifier is not None and mention.qualifier.country and mention.qualifier.key:
            countries.add(mention.qualifier.key)
        people[key] = Person(
            name=key,
            aliases=sorted(aliases - {key}),
            countries=sorted(countries),
            counterpart=person.counterpart or mention.title == "counterpart",
        )
    return list(people.values())


def name_runs(sentences: list[Sentence]) -> list[str]:
    """Every run of capitalised name words, title words stripped ("Vice President Han Zheng" →
    "Han Zheng"; "Biden-Xi" → "Biden", "Xi"): the ways a document can name a person. Read with
    one regular expression per sentence, not the tokenizer: every sentence is read."""
    runs: set[str] = set()
    for sentence in sentences:
        for match in CAPITALISED_RUN.finditer(sentence.text):
            runs.update(_names_in_run(match.group().split()))
    return sorted(runs)


def _names_in_run(words: list[str]) -> list[str]:
    names: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        bare = POSSESSIVE.sub("", word.rstrip("."))
        key = lexicon().key(word)
        if word and key not in NOT_NAME and (run or _may_start_name(key)):
            run.append(bare)
            if bare != word.rstrip("."):
                names.append(" ".join(run))
                run = []
            continue
        if run:
            names.append(" ".join(run))
        run = []
    # "Biden-Xi meeting": a hyphenated word alone may join two names.
    return [part for name in names for part in (name.split("-") if " " not in name else [name])]


def _may_start_name(key: str) -> bool:
    words = lexicon()
    return not (
        key in words.title_words or key in words.honorifics or key in words.party_words or key in words.countries
    )


# --------------------------------------------------------------------------- names


@lru_cache(maxsize=65536)
def same_person(a: str, b: str) -> bool:
    """'Wang' and 'Wang Yi', 'Joe Biden' and 'Joe Bidens' (a typo) name one person; 'Wang Yi' and
    'Wang Wenbin' do not."""
    return names_match(a, b) or fuzzy_equal(a, b)


def fuzzy_equal(a: str, b: str) -> bool:
    """The same words but for one typo in one long word."""
    words_a, words_b = a.lower().split(), b.lower().split()
    if len(words_a) != len(words_b) or len(words_a) < 2:
        return words_a == words_b
    different = [(x, y) for x, y in zip(words_a, words_b) if x != y]
    if not different:
        return True
    if len(different) > 1:
        return False
    x, y = different[0]
    return min(len(x), len(y)) >= 4 and _one_edit_apart(x, y)


def _one_edit_apart(x: str, y: str) -> bool:
    if abs(len(x) - len(y)) > 1:
        return False
    if len(x) == len(y):
        return sum(p != q for p, q in zip(x, y)) <= 1
    shorter, longer = sorted((x, y), key=len)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))
