"""Role detector on case files (tests/data/detectors/role.toml) and its comparison rules."""

from __future__ import annotations

import pytest

from checker.detectors import DETECTORS, ComparisonContext
from checker.detectors.role import TITLE_TIMES, timing, title_label, titles_compatible
from checker.entities import Qualifier, TitleMention
from checker.models import Severity
from checker.segment import segment
from tests.detector_cases import case_document, check_case, detect, load_cases

pytestmark = pytest.mark.model

CASES = load_cases("role")


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_role_case(case: dict) -> None:
    check_case("role", case)


def test_holder_finding_says_both_dates_and_why() -> None:
    case = next(case for case in CASES if case["id"] == "office-changed-hands")
    (finding,) = detect("role", case)
    assert finding.summary == (
        "foreign minister of Veloria: Anja Koval (a.txt, 2024-01-10) vs Lena Sorel (b.txt, 2024-05-02)"
        " — the office may have changed hands"
    )
    assert finding.subject == "foreign minister of Veloria"
    assert [side.value for side in finding.sides] == ["Anja Koval", "Lena Sorel"]
    assert "both give the single-holder office 'foreign minister' of Veloria" in finding.reasons
    assert any("may have changed hands in between" in reason for reason in finding.reasons)


def test_unqualified_office_explains_the_inference() -> None:
    case = next(case for case in CASES if case["id"] == "unqualified-office-rival-named-without-title")
    (finding,) = detect("role", case)
    assert finding.summary.startswith("foreign minister of Kestria: Helena Varsk (a.txt, 2024-03-14) vs Oren Lisk (b.txt, undated)")
    assert "b.txt names no country for Oren Lisk's office, but also names Helena Varsk without that title" in finding.reasons
    assert "b.txt is undated: the office may have changed hands" in finding.reasons


def test_title_finding_values_are_titles() -> None:
    case = next(case for case in CASES if case["id"] == "person-two-offices-same-day")
    (finding,) = detect("role", case)
    assert finding.summary == (
        "title of Helena Varsk: foreign minister of Kestria (a.txt, 2024-03-14) vs trade minister of Kestria (b.txt, 2024-03-14)"
    )
    assert [side.value for side in finding.sides] == ["foreign minister of Kestria", "trade minister of Kestria"]


def test_agreement_is_reported_only_where_the_role_is_disputed() -> None:
    texts = {
        "a.txt": ("Kestrian Foreign Minister Helena Varsk signed the treaty. Velorian President Mirko Dallen watched.", "2024-03-14"),
        "b.txt": ("Foreign Minister Helena Varsk signed for Kestria. Velorian President Mirko Dallen watched.", "2024-03-14"),
        "c.txt": ("Kestrian Trade Minister Helena Varsk signed the treaty.", "2024-03-14"),
    }
    documents = {doc_id: case_document(doc_id, text, published) for doc_id, (text, published) in texts.items()}
    context = ComparisonContext(documents=documents, sentences={doc_id: segment(doc) for doc_id, doc in documents.items()})
    findings = DETECTORS["role"]().detect(context)
    by_severity = {severity: [f for f in findings if f.severity is severity] for severity in Severity}
    assert len(by_severity[Severity.conflict]) == 2
    (agreement,) = by_severity[Severity.info]
    assert agreement.summary == "title of Helena Varsk: both foreign minister of Kestria"
    assert {side.doc_id for side in agreement.sides} == {"a.txt", "b.txt"}


def test_finding_ids_are_stable() -> None:
    case = CASES[0]
    assert [finding.id for finding in detect("role", case)] == [finding.id for finding in detect("role", case)]


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        ("foreign minister", "foreign minister", True),
        ("minister", "foreign minister", True),
        ("secretary", "secretary of state", True),
        ("president", "general secretary", True),
        ("president", "vice president", False),
        ("minister", "prime minister", False),
        ("mayor", "deputy mayor", False),
        ("foreign minister", "trade minister", False),
        ("harbour commissioner", "deputy mayor", False),
    ],
)
def test_titles_compatible(a: str, b: str, compatible: bool) -> None:
    assert titles_compatible(a, b) is compatible
    assert titles_compatible(b, a) is compatible


def _mention(title: str, office: str | None, qualifier: Qualifier | None, person: str = "Helena Varsk") -> TitleMention:
    return TitleMention(
        doc_id="a.txt",
        sentence_index=0,
        start=0,
        end=1,
        text="x",
        name=person,
        person=person,
        title=title,
        title_text=title,
        category="office" if office else "post",
        office=office,
        qualifier=qualifier,
    )


@pytest.mark.parametrize(
    ("mention", "label"),
    [
        (_mention("foreign minister", "foreign minister", Qualifier(text="Kestrian", key="kestria", country=True)), "foreign minister of Kestria"),
        (_mention("foreign minister", "foreign minister", None), "foreign minister of Kestria"),
        (_mention("foreign minister", "foreign minister", None, person="Oren Lisk"), "foreign minister"),
        (_mention("mayor", "mayor", None), "mayor"),
        (_mention("deputy mayor", None, Qualifier(text="Kestrel", key="kestrel")), "deputy mayor of Kestrel"),
    ],
)
def test_title_label_takes_the_country_from_the_documents(mention: TitleMention, label: str) -> None:
    assert title_label(mention, {"varsk": [("Helena Varsk", "kestria")]}) == label


@pytest.mark.parametrize(
    ("dates", "severity", "reason"),
    [
        (("2024-03-14", "2024-03-14"), Severity.conflict, "both dated 2024-03-14: a person's title does not change within a day"),
        (("2024-03-14", "2024-03-15"), Severity.warning, "dated 2024-03-14 and 2024-03-15: the title may have changed in between"),
        (("2024-03-14", None), Severity.warning, "b.txt is undated: the title may have changed"),
        ((None, None), Severity.warning, "a.txt and b.txt are undated: the title may have changed"),
    ],
)
def test_timing(dates: tuple[str | None, str | None], severity: Severity, reason: str) -> None:
    documents = {doc_id: case_document(doc_id, "Text.", date) for doc_id, date in zip(("a.txt", "b.txt"), dates)}
    context = ComparisonContext(documents=documents, sentences={})
    assert timing(context, "a.txt", "b.txt", TITLE_TIMES) == (severity, reason)
