"""Quote detector on case files (tests/data/detectors/quote.toml): rewordings, misattributions and their traps."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detector_cases import check_case, detect, load_cases
from checker.models import Severity

CASES = load_cases("quote")

pytestmark = pytest.mark.model


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_quote_case(case: dict) -> None:
    check_case("quote", case)


@pytest.mark.parametrize("case", [case for case in CASES if case["expect"] != "none"], ids=lambda case: case["id"])
def test_nothing_more_severe_than_expected(case: dict) -> None:
    """An agreeing trap may corroborate, never warn; a rewording is not also a misattribution."""
    expected = Severity(case["expect"])
    assert all(finding.severity.rank <= expected.rank for finding in detect("quote", case))


def test_rewording_summary_shows_the_differing_words() -> None:
    case = next(case for case in CASES if case["id"] == "negation-dropped")
    (finding,) = detect("quote", case)
    assert finding.summary == (
        "quotation by Ilse Brandt worded differently: “We will not reopen the harbour…” vs “We will reopen the harbour…”"
    )
    assert [side.value for side in finding.sides] == [
        "we will not reopen the harbour this year",
        "we will reopen the harbour this year",
    ]


def test_misattribution_summary_names_both_speakers() -> None:
    case = next(case for case in CASES if case["id"] == "same-words-two-speakers")
    (finding,) = detect("quote", case)
    assert finding.summary.startswith(
        "same words attributed to different speakers: Ilse Brandt (a.txt) vs Rafael Ortiz (b.txt)"
    )
    assert [side.value for side in finding.sides] == ["Ilse Brandt", "Rafael Ortiz"]


def test_finding_ids_are_stable() -> None:
    case = next(case for case in CASES if case["id"] == "same-words-two-speakers")
    assert [finding.id for finding in detect("quote", case)] == [finding.id for finding in detect("quote", case)]


_PIECES = st.sampled_from(
    ["“", "”", '"', "'", "‘", "’", " ", ", ", ". ", "\n\n", "…", "[the mayor]", "we will not reopen the harbour", "this year",
     "Mayor Ilse Brandt said", "said Rafael Ortiz", "he said", "She", "according to Brandt", "Brandt met Ortiz"]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=st.lists(_PIECES, min_size=1, max_size=40).map("".join), b=st.lists(_PIECES, min_size=1, max_size=40).map("".join))
def test_any_text_gives_sound_findings(a: str, b: str) -> None:
    for finding in detect("quote", {"a": a, "b": b, "expect": "none"}):
        for side in finding.sides:
            assert side.sentence[side.span_start : side.span_end] == side.span
            assert side.span.strip()
