"""Place detector on case files (tests/data/detectors/place.toml) and its reading of parses."""

from __future__ import annotations

import pytest

from checker.detectors.place import location_mentions
from checker.frames import parse
from tests.detector_cases import check_case, detect, load_cases

CASES = load_cases("place")

pytestmark = pytest.mark.model


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_place_case(case: dict) -> None:
    check_case("place", case)


def test_conflict_summary_and_reasons() -> None:
    case = next(case for case in CASES if case["id"] == "geneva-vs-vienna")
    (finding,) = detect("place", case)
    assert finding.summary == "place of the meeting: Geneva vs Vienna"
    assert [side.value for side in finding.sides] == ["Geneva", "Vienna"]
    assert finding.reasons[0].startswith("sentence similarity")
    assert any("same kind of event" in reason for reason in finding.reasons)


def test_agreement_summary_names_the_container() -> None:
    case = next(case for case in CASES if case["id"] == "trap-lyon-lies-in-france")
    (finding,) = detect("place", case)
    assert finding.summary == "place of the meeting: Lyon lies in France"


def test_finding_ids_are_stable() -> None:
    case = CASES[0]
    assert [f.id for f in detect("place", case)] == [f.id for f in detect("place", case)]


def mentions(text: str) -> list[tuple[str, str | None, str, bool]]:
    (doc,) = parse([text])
    return [(m.place, m.container, m.event, m.planned) for m in location_mentions(doc)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The summit was held in Geneva.", [("Geneva", None, "meeting", False)]),
        ("Brandt held talks with Ortiz in Vienna on Monday.", [("Vienna", None, "meeting", False)]),
        ("They met at the White House.", [("White House", None, "meeting", False)]),
        ("Wang arrived at the State Department late on Thursday.", [("State Department", None, "arrival", False)]),
        ("Leaders met at a summit in Bali, Indonesia last year.", [("Bali", "Indonesia", "meeting", False)]),
        ("The talks took place in the Kestrian capital, Drevno.", [("Drevno", None, "meeting", False)]),
        ("The accord was sealed in the port city of Port Aldane.", [("Port Aldane", None, "signing", False)]),
        ("Blinken visited Beijing over the summer.", [("Beijing", None, "visit", False)]),
        ("It was her first visit to Washington since 2018.", [("Washington", None, "visit", False)]),
        ("Brandt will meet Ortiz in Vienna.", [("Vienna", None, "meeting", True)]),
        ("Brandt is expected to meet Ortiz in Vienna.", [("Vienna", None, "meeting", True)]),
        ("An expected summit in San Francisco could ease tensions.", [("San Francisco", None, "meeting", True)]),
        # Places that are not where an event happened.
        ("Prices in France rose sharply.", []),
        ("The talks were held near Geneva.", []),
        ("Beijing said the talks were useful.", []),
        ("The Kestrian embassy in Port Aldane declined to comment.", []),
    ],
)
def test_location_mentions(text: str, expected: list) -> None:
    assert mentions(text) == expected
