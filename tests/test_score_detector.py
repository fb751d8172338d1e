"""Score detector on case files (tests/data/detectors/score.toml), and reading scores from text."""

from __future__ import annotations

import pytest

from checker.detectors.score import scores_in
from detector_cases import check_case, detect, load_cases

CASES = load_cases("score")


@pytest.mark.model
@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_score_case(case: dict) -> None:
    check_case("score", case)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Arlo United beat Velmont City 3-1 in the final.", [("final", "3-1", False)]),
        ("Velmont lost 1-3 at home.", [("final", "3-1", False)]),
        ("They lost 102–98 in overtime.", [("final", "102-98", False)]),
        ("Velmont had led 1-0 at half-time.", [("half-time", "1-0", False)]),
        ("Arlo won 4-2 on penalties after a 1-1 draw.", [("shoot-out", "4-2", False), ("final", "1-1", False)]),
        ("Arlo trailed 0-2 before winning 3-2.", [("interim", "2-0", False), ("final", "3-2", False)]),
        ("Arlo went through 5-3 on aggregate.", [("aggregate", "5-3", False)]),
        ("The Senate voted 52-48 to pass the bill.", [("final", "52-48", True)]),
        ("The 2019-20 season ended in May.", []),
        ("Prices rose 5-7 percent after the vote.", []),
        ("Rates rose 3-2.5 points.", []),
        ("The store is open 9-5 on weekdays.", []),
    ],
)
def test_scores_in(text: str, expected: list[tuple[str, str, bool]]) -> None:
    assert [(score.phase, score.value, score.vote) for score in scores_in(text)] == expected


@pytest.mark.model
def test_summary_and_values() -> None:
    case = next(case for case in CASES if case["id"] == "final-score-differs")
    (finding,) = detect("score", case)
    assert finding.summary == "final score: 3-1 vs 3-2"
    assert [side.value for side in finding.sides] == ["3-1", "3-2"]
    assert "shared names: Arlo United, Velmont City" in finding.reasons
