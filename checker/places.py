"""Places: their names normalised, and which place lies inside which.

A meeting "in Lyon" and one "in France" agree; one "in Lyon" and one "in Vienna" do not. The
gazetteer (data/places.toml) knows the countries, regions, cities and landmarks news copy names
most; what a corpus says about other places ("the Kestrian capital, Drevno", "in Bali, Indonesia")
is learned from its text. Two places are called disjoint only when that is known: both are in the
gazetteer, or both are cities, or places they lie in are. Everything else is unknown, and an
unknown relation is never a conflict.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from enum import Enum
from functools import cached_property, lru_cache
from pathlib import Path

from checker.models import Frozen

PLACES_FILE = Path(__file__).parent / "data" / "places.toml"


class PlaceKind(str, Enum):
    area = "area"
    country = "country"
    region = "region"
    city = "city"
    district = "district"
    facility = "facility"
    place = "place"  # learned from a text that did not say what kind of place it is


# Which reading a container name stands for when it has several: "Washington" as the place a
# landmark lies in is the city, as a member of the Pacific Northwest the state.
SMALLEST_FIRST = tuple(PlaceKind[kind] for kind in "facility district city region country area".split())
COUNTRY_FIRST = tuple(PlaceKind[kind] for kind in "country region city district facility area".split())


class Place(Frozen):
    key: str
    name: str
    kind: PlaceKind
    parents: tuple[str, ...] = ()
    learned: bool = False


class Relation(str, Enum):
    same = "same"
    inside = "inside"  # the first place lies in the second
    contains = "contains"
    overlap = "overlap"  # share some ground, as the Middle East and Asia do
    disjoint = "disjoint"
    unknown = "unknown"


class Containment(Frozen):
    """What a text says about a place: that it is a city, or that it lies in a container."""

    place: str
    container: str | None = None
    kind: PlaceKind = PlaceKind.place


_LEADING_ARTICLE = re.compile(r"^the\s+")
_POSSESSIVE = re.compile(r"'s?$")
_SEPARATORS = re.compile(r"[\s,-]+")


@lru_cache(maxsize=16384)
def normalise_place(name: str) -> str:
    """'the U.S.' → 'us', 'Washington, D.C.' → 'washington dc', 'Bogotá' → 'bogota'."""
    text = name
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text.replace("’", "'"))
        text = "".join(char for char in text if not unicodedata.combining(char))
    text = _POSSESSIVE.sub("", _LEADING_ARTICLE.sub("", text.lower().strip()))
    return _SEPARATORS.sub(" ", text.replace(".", "")).strip()


def names_overlap(a: str, b: str) -> bool:
    """'Aldane' and 'Port Aldane' may name one place; 'Velmont' and 'Port Aldane' do not."""
    words_a, words_b = set(normalise_place(a).split()), set(normalise_place(b).split())
    return bool(words_a) and bool(words_b) and (words_a <= words_b or words_b <= words_a)


class Gazetteer:
    """Places by key, looked up by any of their names."""

    def __init__(
        self,
        places: dict[str, Place],
        names: dict[str, list[str]],
        demonyms: dict[str, list[str]],
        base: Gazetteer | None = None,
    ) -> None:
        self.places = places
        self.names = names
        self.demonyms = demonyms
        # The gazetteer this one extends with a corpus's places, when it left every place of it as it
        # was: the hierarchy is then the base's plus the new places, not worked out again per corpus.
        unchanged = base is not None and all(places.get(key) is place for key, place in base.places.items())
        self._base = base if unchanged else None

    # ----------------------------------------------------------------- looking up

    def readings(self, name: str) -> list[Place]:
        return [self.places[key] for key in self.names.get(normalise_place(name), [])]

    def knows(self, name: str) -> bool:
        return normalise_place(name) in self.names

    def display(self, name: str) -> str:
        """The name reports use: 'U.S.' → 'United States'; unknown names as written, without 'the'."""
        readings = self.readings(name)
        names = {place.name for place in readings}
        if len(names) == 1:
            return readings[0].name
        return re.sub(r"^[Tt]he\s+", "", name.strip())

    def countries_of_demonym(self, word: str) -> list[str]:
        return self.demonyms.get(normalise_place(word), [])

    @cached_property
    def ancestors(self) -> dict[str, frozenset[str]]:
        found: dict[str, frozenset[str]] = dict(self._base.ancestors) if self._base is not None else {}

        def visit(key: str, trail: frozenset[str]) -> frozenset[str]:
            if key in found:
                return found[key]
            result: set[str] = set()
            for parent in self.places[key].parents:
                if parent not in trail:
                    result |= {parent} | visit(parent, trail | {key})
            found[key] = frozenset(result)
            return found[key]

        for key in self.places:
            visit(key, frozenset())
        return found

    @cached_property
    def descendants(self) -> dict[str, frozenset[str]]:
        known = self._base.descendants if self._base is not None else {}
        new_keys = [key for key in self.places if key not in known]
        below: dict[str, set[str]] = {key: set() for key in new_keys}
        for key in new_keys:
            for ancestor in self.ancestors[key]:
                below.setdefault(ancestor, set(known.get(ancestor, ()))).add(key)
        return {**known, **{key: frozenset(keys) for key, keys in below.items()}}

    # ----------------------------------------------------------------- relating

    def relate(self, a: str, b: str) -> Relation:
        """How place ``a`` stands to place ``b``; with several readings, the most agreeable one."""
        if normalise_place(a) == normalise_place(b):
            return Relation.same
        readings_a, readings_b = self.readings(a), self.readings(b)
        if not readings_a or not readings_b:
            return Relation.unknown
        relations = {self._relate_places(x, y) for x in readings_a for y in readings_b}
        for relation in (Relation.same, Relation.inside, Relation.contains, Relation.overlap, Relation.unknown):
            if relation in relations:
                return relation
        return Relation.disjoint

    def _relate_places(self, x: Place, y: Place) -> Relation:
        related = self._related(x.key, y.key)
        if related is not None:
            return related
        return Relation.disjoint if self._known_apart(x, y) else Relation.unknown

    def _related(self, x: str, y: str) -> Relation | None:
        if x == y:
            return Relation.same
        if y in self.ancestors[x]:
            return Relation.inside
        if x in self.ancestors[y]:
            return Relation.contains
        if self.descendants[x] & self.descendants[y]:
            return Relation.overlap
        return None

    def _known_apart(self, x: Place, y: Place) -> bool:
        """Disjoint for certain: x and y, or places they lie in, are both in the gazetteer, or both
        cities, and unrelated. Learned places of unknown kind prove nothing on their own."""
        for outer_x in (x.key, *self.ancestors[x.key]):
            for outer_y in (y.key, *self.ancestors[y.key]):
                if self._related(outer_x, outer_y) is not None:
                    continue
                px, py = self.places[outer_x], self.places[outer_y]
                if not px.learned and not py.learned:
                    return True
                if px.kind is PlaceKind.city and py.kind is PlaceKind.city and not names_overlap(px.name, py.name):
                    return True
        return False

    # ----------------------------------------------------------------- learning

    def extended(self, containments: Iterable[Containment]) -> Gazetteer:
        """A gazetteer that also knows what a corpus says about places it does not list.
        The gazetteer is trusted over the corpus: what it lists is not relearned."""
        # Shallow copies: learning adds names and replaces places, never changes a list in place.
        places = dict(self.places)
        names = dict(self.names)
        for fact in containments:
            if normalise_place(fact.place) in self.names or not normalise_place(fact.place):
                continue
            key = _learned_place(places, names, fact.place, fact.kind)
            if fact.container is None or names_overlap(fact.place, fact.container):
                continue
            containers = names.get(normalise_place(fact.container)) or [
                _learned_place(places, names, fact.container, PlaceKind.place)
            ]
            place = places[key]
            places[key] = place.model_copy(update={"parents": tuple(dict.fromkeys([*place.parents, *containers]))})
        return Gazetteer(places, names, self.demonyms, base=self)


def _learned_place(places: dict[str, Place], names: dict[str, list[str]], name: str, kind: PlaceKind) -> str:
    """The key of the learned place of this name, created on first mention; a city cue sticks."""
    normalised = normalise_place(name)
    existing = names.get(normalised)
    if existing:
        key = existing[0]
        if kind is PlaceKind.city and places[key].learned:
            places[key] = places[key].model_copy(update={"kind": PlaceKind.city})
        return key
    key = f"learned:{normalised}"
    places[key] = Place(key=key, name=re.sub(r"^[Tt]he\s+", "", name.strip()), kind=kind, learned=True)
    names[normalised] = [key]
    return key


# --------------------------------------------------------------------------- the gazetteer file


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    return build_gazetteer(tomllib.loads(PLACES_FILE.read_text(encoding="utf-8")))


def build_gazetteer(data: dict) -> Gazetteer:
    builder = _Builder()
    for country, demonyms in data["countries"].items():
        key = builder.add(country, PlaceKind.country, ())
        for demonym in demonyms:
            builder.demonyms.setdefault(normalise_place(demonym), []).append(builder.places[key].name)
    # Regions before the country-wide city lists, so a city listed in both is one place, in its region.
    for country, regions in data["regions"].items():
        for region, cities in regions.items():
            region_key = builder.add(region, PlaceKind.region, builder.resolve(country, COUNTRY_FIRST))
            for city in cities:
                builder.add(city, PlaceKind.city, (region_key,))
    for country, cities in data["cities"].items():
        for city in cities:
            builder.add_city(city, builder.resolve(country, COUNTRY_FIRST)[0], country)
    for area in data["areas"]:
        builder.add(area, PlaceKind.area, ())
    for area, members in data["areas"].items():
        area_key = builder.key_of(area, PlaceKind.area)
        for member in members:
            for key in builder.resolve(member, COUNTRY_FIRST, exclude=area_key):
                builder.attach(key, (area_key,))
    for city, districts in data["districts"].items():
        for district in districts:
            builder.add(district, PlaceKind.district, builder.resolve(city, SMALLEST_FIRST))
    for facility in data["facilities"]:
        builder.add(facility, PlaceKind.facility, ())
    for facility, containers in data["facilities"].items():
        key = builder.key_of(facility, PlaceKind.facility)
        builder.attach(key, tuple(k for container in containers for k in builder.resolve(container, SMALLEST_FIRST)))
    for place, containers in data["also_in"].items():
        extra = tuple(key for container in containers for key in builder.resolve(container, COUNTRY_FIRST))
        for key in builder.resolve(place, COUNTRY_FIRST):
            builder.attach(key, extra)
    return Gazetteer(builder.places, builder.names, builder.demonyms)


class _Builder:
    def __init__(self) -> None:
        self.places: dict[str, Place] = {}
        self.names: dict[str, list[str]] = {}
        self.demonyms: dict[str, list[str]] = {}

    def add(self, spelling: str, kind: PlaceKind, parents: tuple[str, ...] | list[str]) -> str:
        """A place from 'Name|alias|alias'; the key is unique even when the name is not."""
        name, *aliases = spelling.split("|")
        key = f"{kind.value}:{normalise_place(name)}"
        while key in self.places:
            key += "'"
        self.places[key] = Place(key=key, name=name, kind=kind, parents=tuple(parents))
        for alias in (name, *aliases):
            self.names.setdefault(normalise_place(alias), []).append(key)
        return key

    def add_city(self, spelling: str, parent: str, country: str) -> None:
        """A city of a country-wide list, unless the regions already placed it in that country."""
        name = spelling.split("|")[0]
        inside_country = [
            key
            for key in self.names.get(normalise_place(name), [])
            if self.places[key].kind is PlaceKind.city
            and any(self.places[a].name == country for a in self._ancestors(key))
        ]
        if not inside_country:
            self.add(spelling, PlaceKind.city, (parent,))

    def attach(self, key: str, parents: tuple[str, ...]) -> None:
        place = self.places[key]
        merged = tuple(dict.fromkeys([*place.parents, *(parent for parent in parents if parent != key)]))
        self.places[key] = place.model_copy(update={"parents": merged})

    def key_of(self, spelling: str, kind: PlaceKind) -> str:
        return next(key for key in self.names[normalise_place(spelling.split("|")[0])] if self.places[key].kind is kind)

    def resolve(self, reference: str, preference: tuple[PlaceKind, ...], exclude: str | None = None) -> list[str]:
        """Keys a reference in the file stands for: 'Name' in the preferred kind, or 'Name, Container'
        for the readings of Name inside Container."""
        name, _, container = reference.partition(", ")
        keys = [key for key in self.names.get(normalise_place(name), []) if key != exclude]
        if container:
            inside = set(self.resolve(container, COUNTRY_FIRST))
            keys = [key for key in keys if inside & self._ancestors(key)]
        for kind in preference:
            of_kind = [key for key in keys if self.places[key].kind is kind]
            if of_kind:
                return of_kind
        raise ValueError(f"places.toml: unknown place {reference!r}")

    def _ancestors(self, key: str) -> set[str]:
        found: set[str] = set()
        stack = list(self.places[key].parents)
        while stack:
            parent = stack.pop()
            if parent not in found:
                found.add(parent)
                stack.extend(self.places[parent].parents)
        return found


# --------------------------------------------------------------------------- learning from text

# Names are at most four words, so that no pattern backtracks far on long capitalised runs.
_WORD = r"\b(?:St\.|[A-Z][\w'’-]*\w)"
_NAME = rf"{_WORD}(?:\s+(?:(?:de|del|da|la|el|al|of)\s+)?{_WORD}){{0,3}}"
_CITY_CUES = r"city|town|village|capital|port|municipality|suburb"
_REGION_CUES = r"province|state|region|county|district|island|territory"
_CUE = rf"(?P<cue>{_CITY_CUES}|{_REGION_CUES})"
_ADJECTIVES = r"(?:[a-z][a-z-]*\s+){0,2}?"
# "the Kestrian capital, Drevno", "the northern city of Velmont", "Kestria's capital, Drevno"
DESCRIPTOR_BEFORE = re.compile(
    rf"(?:\b[Tt]he\s+(?:(?P<demonym>[A-Z][a-z]+)\s+)?|\b(?P<owner>{_NAME})['’]s\s+)"
    rf"{_ADJECTIVES}{_CUE}(?:\s+of|,)\s+(?P<place>{_NAME})"
)
# "Drevno, the Kestrian capital", "Sarn, a town in Kestria", "Drevno, the capital of Kestria"
DESCRIPTOR_AFTER = re.compile(
    rf"(?P<place>{_NAME}),\s+(?:the|a|an)\s+(?:(?P<demonym>[A-Z][a-z]+)\s+)?{_ADJECTIVES}{_CUE}\b(?!['’])"
    rf"(?:\s+(?:of|in)\s+(?P<container>{_NAME}))?"
)
# "Drevno, Kestria's capital"
OWNER_AFTER = re.compile(rf"(?P<place>{_NAME}),\s+(?P<owner>{_NAME})['’]s\s+{_ADJECTIVES}{_CUE}\b(?!['’])")
# "in Bali, Indonesia" — unless a list goes on ("in France, Germany and Italy")
PLACE_COMMA_CONTAINER = re.compile(
    rf"\b(?:in|at|near|outside|from|to|of)\s+(?P<place>{_NAME}),\s+(?P<container>{_NAME})"
    rf"(?!\s*(?:,\s*{_WORD}|and\b|or\b))"
)


def candidate_names(text: str) -> set[str]:
    """Every run of up to four capitalised words in a text, and its shorter parts: the place names
    it may contain, found without parsing."""
    names: set[str] = set()
    for match in re.finditer(_NAME, text):
        words = match.group().split()
        names.update(
            _strip_possessive(" ".join(words[start:end]))
            for start in range(len(words))
            for end in range(start + 1, len(words) + 1)
        )
    return names


def learn_containments(texts: Iterable[str], gazetteer: Gazetteer) -> list[Containment]:
    """What the texts say about places the gazetteer may not know."""
    texts = list(texts)
    learned = [fact for text in texts for fact in _described_places(text, gazetteer)]
    known = gazetteer.extended(learned)
    for text in texts:
        for match in PLACE_COMMA_CONTAINER.finditer(text):
            container = _strip_possessive(match["container"])
            if known.knows(container):
                learned.append(Containment(place=match["place"], container=container))
    return learned


def _described_places(text: str, gazetteer: Gazetteer) -> Iterator[Containment]:
    for pattern in (DESCRIPTOR_BEFORE, DESCRIPTOR_AFTER, OWNER_AFTER):
        for match in pattern.finditer(text):
            groups = match.groupdict()
            kind = PlaceKind.city if match["cue"] in _CITY_CUES.split("|") else PlaceKind.place
            containers = _containers(groups, gazetteer)
            place = _strip_possessive(match["place"])
            yield from (Containment(place=place, container=container, kind=kind) for container in containers or [None])


def _containers(groups: dict[str, str | None], gazetteer: Gazetteer) -> list[str]:
    if groups.get("owner"):
        return [_strip_possessive(groups["owner"] or "")]
    if groups.get("container"):
        return [_strip_possessive(groups["container"] or "")]
    demonym = groups.get("demonym")
    if not demonym:
        return []
    return gazetteer.countries_of_demonym(demonym) or _country_of_unknown_demonym(demonym)


def _country_of_unknown_demonym(word: str) -> list[str]:
    """'Kestrian' → 'Kestria', 'Velorian' → 'Veloria': the usual English pattern for -ia countries."""
    if word.endswith("ian") and len(word) > 5:
        return [word[:-1]]
    return []


def _strip_possessive(name: str) -> str:
    return re.sub(r"['’]s$", "", name)
