"""Reading people, titles and aliases from a document (checker/entities.py): rule-based, no model."""

from __future__ import annotations

import pytest

from checker.entities import (
    DocumentEntities,
    document_entities,
    fuzzy_equal,
    resolve_name,
    same_person,
    tokenize,
)
from checker.models import Sentence

PEOPLE = {"Wang Yi", "Ilse Brandt", "Tomas Lind"}


def known_people(sentence: Sentence, start: int, end: int) -> bool:
    """Stands in for the parser's PERSON entities in appositions."""
    return sentence.text[start:end] in PEOPLE


def read(*texts: str) -> DocumentEntities:
    sentences = [Sentence(doc_id="a.txt", index=index, start=0, end=len(text), text=text) for index, text in enumerate(texts)]
    return document_entities("a.txt", sentences, known_people)


def only_mention(text: str) -> tuple:
    (mention,) = read(text).mentions
    qualifier = mention.qualifier.key if mention.qualifier else None
    return mention.text, mention.person, mention.title, mention.category, mention.office, qualifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Foreign Minister Qin Gang held talks on Sunday.",
            ("Foreign Minister Qin Gang", "Qin Gang", "foreign minister", "office", "foreign minister", None),
        ),
        (
            "He met Chinese Foreign Minister Wang Yi in Washington.",
            ("Chinese Foreign Minister Wang Yi", "Wang Yi", "foreign minister", "office", "foreign minister", "china"),
        ),
        (
            "Their talks came as China’s Foreign Minister Wang Yi was in Moscow.",
            ("China’s Foreign Minister Wang Yi", "Wang Yi", "foreign minister", "office", "foreign minister", "china"),
        ),
        (
            "Hours of meetings between Chinese foreign minister Wang Yi and U.S. diplomats ended.",
            ("Chinese foreign minister Wang Yi", "Wang Yi", "foreign minister", "office", "foreign minister", "china"),
        ),
        (
            "He spoke with U.S. Secretary of State Antony Blinken on Friday.",
            ("U.S. Secretary of State Antony Blinken", "Antony Blinken", "secretary of state", "office", "secretary of state", "united states"),
        ),
        (
            "He met U.S. national security adviser Jake Sullivan in Malta.",
            ("U.S. national security adviser Jake Sullivan", "Jake Sullivan", "national security adviser", "office", "national security adviser", "united states"),
        ),
        (
            "She was followed by Treasury Secretary Janet Yellen.",
            ("Treasury Secretary Janet Yellen", "Janet Yellen", "treasury secretary", "office", "treasury secretary", None),
        ),
        (
            "The Secretary of the Treasury Janet Yellen spoke.",
            ("Secretary of the Treasury Janet Yellen", "Janet Yellen", "treasury secretary", "office", "treasury secretary", None),
        ),
        (
            "It was signed by Kestrian Deputy Foreign Minister Pavel Ruzic.",
            ("Kestrian Deputy Foreign Minister Pavel Ruzic", "Pavel Ruzic", "deputy foreign minister", "post", None, "kestria"),
        ),
        (
            "Vice President Han Zheng held talks at the mission.",
            ("Vice President Han Zheng", "Han Zheng", "vice president", "office", "vice president", None),
        ),
        (
            "Florida Gov. Ron DeSantis signed the bill.",
            ("Florida Gov. Ron DeSantis", "Ron DeSantis", "governor", "office", "governor", "florida"),
        ),
        (
            "The pier was opened by Harbour Commissioner Ilse Brandt on Saturday.",
            ("Harbour Commissioner Ilse Brandt", "Ilse Brandt", "harbour commissioner", "post", None, None),
        ),
        (
            "The bill was backed by Hawaii Democratic Sen. Mazie Hirono.",
            ("Hawaii Democratic Sen. Mazie Hirono", "Mazie Hirono", "senator", "membership", None, "hawaii"),
        ),
        (
            "He met China's top diplomat Wang Yi on Friday.",
            ("China's top diplomat Wang Yi", "Wang Yi", "top diplomat", "description", None, "china"),
        ),
        (
            "He met senior Chinese diplomat Wang Yi in Beijing.",
            ("senior Chinese diplomat Wang Yi", "Wang Yi", "senior diplomat", "description", None, "china"),
        ),
        (
            "Wang Yi, China's foreign minister, arrived on Thursday.",
            ("Wang Yi, China's foreign minister", "Wang Yi", "foreign minister", "office", "foreign minister", "china"),
        ),
        (
            "Ilse Brandt, the mayor of Kestrel, cut the ribbon.",
            ("Ilse Brandt, the mayor of Kestrel", "Ilse Brandt", "mayor", "office", "mayor", "kestrel"),
        ),
        (
            "Tomas Lind, the city's deputy mayor, cut the ribbon.",
            ("Tomas Lind, the city's deputy mayor", "Tomas Lind", "deputy mayor", "post", None, None),
        ),
    ],
)
def test_title_mentions(text: str, expected: tuple) -> None:
    assert only_mention(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Former President Donald Trump spoke at the rally.",
        "The accord was drafted by then-Secretary of State John Kerry.",
        "Kerry, the former secretary of state, said little.",
        "Presidents Joe Biden and Xi Jinping may meet in November.",
        "In Kestrel, the mayor cut the ribbon.",
        "The first visit by a Chinese foreign minister to Washington since 2018 ended.",
        "The president Monday signed the bill.",
        "President-elect Tomas Lind thanked voters.",
        "A Foreign Ministry spokesman declined to comment.",
    ],
)
def test_no_current_title(text: str) -> None:
    assert read(text).mentions == []


def test_counterpart_takes_the_nationality_and_marks_the_person() -> None:
    entities = read("President Joe Biden may meet his Chinese counterpart Xi Jinping in November.")
    xi = entities.person("Xi Jinping")
    assert xi is not None and xi.counterpart and xi.countries == ["china"]
    assert "his Chinese counterpart" in xi.aliases


def test_surname_resolves_to_the_full_name_of_the_document() -> None:
    entities = read(
        "U.S. Secretary of State Antony Blinken met China's top diplomat Wang Yi on Friday.",
        "Wang told Secretary Blinken that dialogue should be comprehensive.",
    )
    assert [mention.person for mention in entities.mentions] == ["Antony Blinken", "Wang Yi", "Antony Blinken"]
    wang = entities.person("Wang")
    assert wang is not None and wang.name == "Wang Yi" and "Wang" in wang.aliases and "China's top diplomat" in wang.aliases


def test_appears_by_surname_and_not_by_a_shared_given_name() -> None:
    entities = read("Wang took a harder line than Foreign Minister Qin Gang.", "President Joe Biden spoke.")
    assert entities.appears("Wang Yi")
    assert entities.appears("Joe Bidens")
    assert not entities.appears("Joe Manchin")
    assert not entities.appears("Sergey Lavrov")


@pytest.mark.parametrize(
    ("name", "full_names", "resolved"),
    [
        ("Wang", ["Wang Yi", "Antony Blinken"], "Wang Yi"),
        ("Blinken", ["Wang Yi", "Antony Blinken"], "Antony Blinken"),
        ("Brandt", ["Ilse Brandt", "Karl Brandt"], "Brandt"),
        ("Lind", [], "Lind"),
        ("Joe Bidens", ["Joe Biden"], "Joe Biden"),
    ],
)
def test_resolve_name(name: str, full_names: list[str], resolved: str) -> None:
    assert resolve_name(name, full_names) == resolved


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Wang", "Wang Yi", True),
        ("Wang Yi", "Wang Wenbin", False),
        ("Joe Biden", "Joe Bidens", True),
        ("Wang Yi", "Wang Li", False),
        ("Qin Gang", "Wang Yi", False),
    ],
)
def test_same_person(a: str, b: str, same: bool) -> None:
    assert same_person(a, b) is same


def test_fuzzy_equal_needs_the_same_number_of_words() -> None:
    assert not fuzzy_equal("Joe Biden", "Biden")
    assert fuzzy_equal("Helena Varsk", "Helena Varsk")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Florida Gov. Ron DeSantis", ["Florida", "Gov.", "Ron", "DeSantis"]),
        ("U.S.-China ties", ["U.S.", "-", "China", "ties"]),
        ("then-Secretary Kerry", ["then", "Secretary", "Kerry"]),
        ("China’s top diplomat", ["China’s", "top", "diplomat"]),
        ("Joe R. Biden.", ["Joe", "R.", "Biden", "."]),
    ],
)
def test_tokenize(text: str, words: list[str]) -> None:
    assert [token.text for token in tokenize(text)] == words
