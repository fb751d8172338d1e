"""Date detector on case files (tests/data/detectors/date.toml): the real parser, a given similarity."""

from __future__ import annotations

import pytest

from detector_cases import check_case, detect, load_cases

CASES = load_cases("date")
BY_ID = {case["id"]: case for case in CASES}

pytestmark = pytest.mark.model


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_date_case(case: dict) -> None:
    check_case("date", case)


@pytest.mark.parametrize(
    ("case_id", "summary"),
    [
        ("weekday-conflict-planted-draft",
         "date of the signing: Thursday, March 14 vs Wednesday 2024-03-13 (a.txt has no date: compared as written)"),
        ("next-month-is-not-december",
         "date of the summit: 'next month' (November 2023, from the date of a.txt 2023-10-05) vs December 2023"),
        ("next-month-is-november",
         "date of the summit: 'next month' (November 2023, from the date of a.txt 2023-10-05) agrees with November 2023"),
        ("flew-in-tuesday-vs-wednesday", "date of the arrival: Tuesday 2024-03-12 vs Wednesday 2024-03-13"),
        ("clock-conflict", "time of the ceremony: 15:00 vs 17:00"),
    ],
)
def test_summary_says_what_differs_and_how_it_was_resolved(case_id: str, summary: str) -> None:
    (finding,) = [finding for finding in detect("date", BY_ID[case_id]) if finding.severity.value == BY_ID[case_id]["expect"]]
    assert finding.summary == summary
    assert finding.subject == summary.partition(":")[0]


def test_evidence_values_and_reasons() -> None:
    (finding,) = detect("date", BY_ID["friday-vs-oct-26-conflict"])
    assert [(side.doc_id, side.span, side.value) for side in finding.sides] == [
        ("a.txt", "Friday", "2023-10-27"),
        ("b.txt", "Oct. 26", "October 26"),  # b.txt has no date: what the words say
    ]
    assert finding.reasons[0] == "sentence similarity 0.80"
    assert finding.reasons[-1] == "both date the same event (talks): 'Friday' / 'Oct. 26'"


def test_finding_ids_are_stable() -> None:
    case = BY_ID["summit-opened-tuesday-march-4-vs-wednesday-march-5"]
    assert [finding.id for finding in detect("date", case)] == [finding.id for finding in detect("date", case)]
