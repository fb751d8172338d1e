"""Negation detector on case files (tests/data/detectors/negation.toml) and its finding's wording."""

from __future__ import annotations

import pytest

from detector_cases import check_case, detect, load_cases

pytestmark = pytest.mark.model

CASES = load_cases("negation")


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_negation_case(case: dict) -> None:
    check_case("negation", case)


def test_summary_says_who_says_what() -> None:
    case = next(case for case in CASES if case["id"] == "did-not-sign")
    (finding,) = detect("negation", case)
    assert finding.summary == (
        "whether the two governments signed the fisheries accord: a.txt says they did, b.txt says they did not"
    )
    assert [side.value for side in finding.sides] == ["signed", "not signed"]
    assert any(reason.startswith("sentence similarity") for reason in finding.reasons)
    assert "same object: accord / accord" in finding.reasons


def test_finding_ids_are_stable() -> None:
    case = CASES[0]
    assert [finding.id for finding in detect("negation", case)] == [finding.id for finding in detect("negation", case)]
