"""Certainty detector on case files (tests/data/detectors/certainty.toml) and its finding's wording."""

from __future__ import annotations

import pytest

from detector_cases import check_case, detect, load_cases

pytestmark = pytest.mark.model

CASES = load_cases("certainty")


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_certainty_case(case: dict) -> None:
    check_case("certainty", case)


def test_summary_quotes_the_hedge() -> None:
    case = next(case for case in CASES if case["id"] == "in-principle")
    (finding,) = detect("certainty", case)
    assert finding.summary == (
        "whether the leaders agreed to a ceasefire: a.txt says they did, b.txt says only “agreed in principle”"
    )
    assert [side.value for side in finding.sides] == ["agreed", "agreed in principle"]
    assert "b.txt hedges it: “in principle”" in finding.reasons
