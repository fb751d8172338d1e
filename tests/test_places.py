"""Place names and containment: the gazetteer, and what a corpus teaches about places it does not list."""

from __future__ import annotations

import pytest

import time

from checker.places import (
    Containment,
    Gazetteer,
    PlaceKind,
    Relation,
    learn_containments,
    load_gazetteer,
    candidate_names,
    names_overlap,
    normalise_place,
)


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("the U.S.", "us"),
        ("Washington, D.C.", "washington dc"),
        ("Bogotá", "bogota"),
        ("Kestria’s", "kestria"),
        ("Mazar-i-Sharif", "mazar i sharif"),
        ("St. Petersburg", "st petersburg"),
        ("  The  Hague ", "hague"),
    ],
)
def test_normalise_place(name: str, normalised: str) -> None:
    assert normalise_place(name) == normalised


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("Lyon", "France", Relation.inside),
        ("France", "Lyon", Relation.contains),
        ("Geneva", "Vienna", Relation.disjoint),
        ("U.S.", "America", Relation.same),
        ("the United States", "USA", Relation.same),
        ("Kiev", "Kyiv", Relation.same),
        ("Washington, D.C.", "Washington", Relation.same),
        ("White House", "Washington", Relation.inside),
        ("Oval Office", "White House", Relation.inside),
        ("White House", "State Department", Relation.disjoint),
        ("Brooklyn", "New York", Relation.inside),
        ("Manhattan", "Queens", Relation.disjoint),
        ("San Francisco", "California", Relation.inside),
        ("Bali", "California", Relation.disjoint),
        ("Turkey", "Europe", Relation.inside),
        ("Middle East", "Asia", Relation.overlap),
        ("Belfast", "Dublin", Relation.disjoint),
        # A name with several readings agrees with what any reading agrees with.
        ("Georgia", "Atlanta", Relation.contains),
        ("Georgia", "Tbilisi", Relation.contains),
        ("Georgia", "Paris", Relation.disjoint),
        ("Washington", "Seattle", Relation.contains),
        ("Portland", "Maine", Relation.inside),
        ("Portland", "Oregon", Relation.inside),
        ("Belfast", "Ireland", Relation.inside),  # the island
        # Disputed places lie in every claimant.
        ("Jerusalem", "Palestine", Relation.inside),
        ("Jerusalem", "Israel", Relation.inside),
        ("Crimea", "Russia", Relation.inside),
        ("Crimea", "Ukraine", Relation.inside),
        # Names the gazetteer does not know are unknown, never disjoint.
        ("Port Velor", "Geneva", Relation.unknown),
        ("Port Velor", "Port Velor", Relation.same),
    ],
)
def test_gazetteer_relations(a: str, b: str, relation: Relation) -> None:
    assert load_gazetteer().relate(a, b) is relation


@pytest.mark.parametrize(
    ("name", "display"),
    [("U.S.", "United States"), ("Britain", "United Kingdom"), ("the Kestrian coast", "Kestrian coast"), ("Georgia", "Georgia")],
)
def test_display_name(name: str, display: str) -> None:
    assert load_gazetteer().display(name) == display


def test_every_country_lies_in_an_area() -> None:
    gazetteer = load_gazetteer()
    countries = [place for place in gazetteer.places.values() if place.kind is PlaceKind.country]
    assert len(countries) > 190
    orphans = [
        place.name
        for place in countries
        if not any(gazetteer.places[key].kind is PlaceKind.area for key in gazetteer.ancestors[place.key])
    ]
    assert orphans == []


@pytest.mark.parametrize(
    ("text", "learned"),
    [
        ("Talks were held in the Kestrian capital, Drevno.", Containment(place="Drevno", container="Kestria", kind=PlaceKind.city)),
        ("It was signed in the Velorian port city of Port Aldane.", Containment(place="Port Aldane", container="Veloria", kind=PlaceKind.city)),
        ("He spoke in the northern city of Velmont.", Containment(place="Velmont", kind=PlaceKind.city)),
        ("They met in Drevno, Kestria's capital, on Monday.", Containment(place="Drevno", container="Kestria", kind=PlaceKind.city)),
        ("They met in Sarn, a town in Kestria.", Containment(place="Sarn", container="Kestria", kind=PlaceKind.city)),
        ("They met in Drevno, the capital of Kestria.", Containment(place="Drevno", container="Kestria", kind=PlaceKind.city)),
        ("The French city of Vierzon voted.", Containment(place="Vierzon", container="France", kind=PlaceKind.city)),
        ("Leaders met in Ubud, Indonesia, last year.", Containment(place="Ubud", container="Indonesia")),
    ],
)
def test_learn_containments(text: str, learned: Containment) -> None:
    assert learned in learn_containments([text], load_gazetteer())


@pytest.mark.parametrize(
    "text",
    [
        "Ministers from France, Germany and Italy met in Rome.",  # a list, not a place and its country
        "In Sarn, Ortiz said the vote was close.",  # a place and a speaker
        "Ortiz, the city's mayor, said so.",  # a person described by a place
    ],
)
def test_learns_nothing_from_lists_and_speakers(text: str) -> None:
    gazetteer = load_gazetteer()
    learned = gazetteer.extended(learn_containments([text], gazetteer))
    assert learned.relate("France", "Germany") is Relation.disjoint
    assert learned.relate("Sarn", "Ortiz") is Relation.unknown
    assert not learned.knows("Ortiz")


LEARNED_TEXTS = [
    "Talks were held in the Kestrian capital, Drevno.",
    "The accord was sealed in the Velorian port city of Port Aldane.",
    "Dallen attended a forum in the northern city of Velmont.",
    "Fishermen gathered in the Kestrian border town of Sarn.",
    "Leaders met in Ubud, Indonesia, last year.",
]


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("Drevno", "Kestria", Relation.inside),
        ("Port Aldane", "Veloria", Relation.inside),
        ("Sarn", "Kestria", Relation.inside),
        # Two cities are never one inside the other.
        ("Port Aldane", "Velmont", Relation.disjoint),
        ("Drevno", "Port Aldane", Relation.disjoint),
        ("Port Aldane", "Paris", Relation.disjoint),
        # A place in a known country is apart from places in other known countries.
        ("Ubud", "California", Relation.disjoint),
        # Nothing says whether Veloria and Kestria overlap, or whether Port Aldane is in Kestria.
        ("Veloria", "Kestria", Relation.unknown),
        ("Port Aldane", "Kestria", Relation.unknown),
        ("Ubud", "Bali", Relation.unknown),
        ("Aldane", "Port Aldane", Relation.unknown),
    ],
)
def test_relations_learned_from_a_corpus(a: str, b: str, relation: Relation) -> None:
    gazetteer = load_gazetteer()
    learned = gazetteer.extended(learn_containments(LEARNED_TEXTS, gazetteer))
    assert learned.relate(a, b) is relation


def test_gazetteer_is_trusted_over_the_corpus() -> None:
    gazetteer = load_gazetteer()
    learned = gazetteer.extended([Containment(place="Lyon", container="Germany", kind=PlaceKind.city)])
    assert learned.relate("Lyon", "Germany") is Relation.disjoint
    assert gazetteer.relate("Drevno", "Kestria") is Relation.unknown  # extending leaves the original alone


@pytest.mark.parametrize(("a", "b", "overlap"), [("Aldane", "Port Aldane", True), ("Velmont", "Port Aldane", False)])
def test_names_overlap(a: str, b: str, overlap: bool) -> None:
    assert names_overlap(a, b) is overlap


def test_candidate_names_are_runs_of_capitalised_words_and_their_parts() -> None:
    names = candidate_names("Brandt met Ortiz in Port Aldane, Kestria's capital.")
    assert {"Brandt", "Ortiz", "Port Aldane", "Aldane", "Kestria"} <= names


@pytest.mark.parametrize(
    "text",
    ["Aaa " * 20000 + ", " + "Bbb, " * 20000, "The City Of " * 10000, "A" * 500000, "in Aaa, Bbb " * 20000],
)
def test_learning_stays_linear_on_pathological_text(text: str) -> None:
    started = time.perf_counter()
    learn_containments([text], load_gazetteer())
    candidate_names(text)
    assert time.perf_counter() - started < 10


def test_an_extended_hierarchy_is_the_one_built_from_scratch() -> None:
    gazetteer = load_gazetteer()
    learned = gazetteer.extended(learn_containments(LEARNED_TEXTS, gazetteer))
    from_scratch = Gazetteer(learned.places, learned.names, learned.demonyms)
    assert len(learned.places) > len(gazetteer.places)
    assert learned.ancestors == from_scratch.ancestors
    assert learned.descendants == from_scratch.descendants
    assert any(key.startswith("learned:") for keys in learned.descendants.values() for key in keys)
