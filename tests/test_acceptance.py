"""Acceptance: the real model and the real FAISS index on our fixtures and on the shared data.

Golden reports of the fixture corpus: `UPDATE_GOLDEN=1 python -m pytest tests/test_acceptance.py`
rewrites them after a deliberate change; read the diff before committing it.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from checker.models import Finding, Report, Severity
from checker.pipeline import check_paths, check_texts
from checker.reporters import RenderOptions, get_reporter
from tests.paths import FIXTURES, PROJECT, SEEDS, SHARED_DATA, require_shared

pytestmark = pytest.mark.model

CORPUS = FIXTURES / "harbor-summit"
EXPECTED = tomllib.loads((FIXTURES / "expected.toml").read_text(encoding="utf-8"))
# More corpora (fixtures/EXPECTED.md): a developing story told over two days, and an election night.
MORE_EXPECTED = {
    corpus: tomllib.loads((FIXTURES / f"expected-{corpus}.toml").read_text(encoding="utf-8"))
    for corpus in ("velmont-quake", "velmont-vote")
}
GOLDEN = PROJECT / "tests" / "golden"
# Page furniture in the fixtures (see fixtures/EXPECTED.md) that no finding may quote.
JUNK = ["HARBOR LEDGER/", "Earlier:", "With assistance", "wow!", "Most read", "Related stories", "©"]


def check_fixture_corpus(corpus: Path = CORPUS) -> Report:
    """Run from the project root with a relative path, as a user would, so that the report (which
    quotes file paths as given) does not depend on where the repository is checked out."""
    here = Path.cwd()
    os.chdir(PROJECT)
    try:
        return check_paths([corpus.relative_to(PROJECT)]).report
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def fixture_report() -> Report:
    return check_fixture_corpus()




def findings_between(report: Report, case: dict, at_least: Severity = Severity.conflict) -> list[Finding]:
    """Findings of the case's kind, at or above a severity, whose sides overlap both spans."""

    def side_matches(finding: Finding, doc: str, span: str) -> bool:
        return any(side.doc_id == doc and (span in side.span or side.span in span) for side in finding.sides)

    return [
        finding
        for finding in report.findings
        if finding.kind == case["kind"]
        and finding.severity.rank >= at_least.rank
        and side_matches(finding, case["a_doc"], case["a_span"])
        and side_matches(finding, case["b_doc"], case["b_span"])
    ]


def case_id(case: dict) -> str:
    return f"{case['kind']}:{case['a_span']}~{case['b_span']}"


def planted(kind: str) -> list:
    """The cases of one kind ("conflict", "warning", "no_conflict") of every fixture corpus."""
    return [
        pytest.param(expected["corpus"], case, id=f"{expected['corpus']}:{case_id(case)}")
        for expected in (EXPECTED, *MORE_EXPECTED.values())
        for case in expected.get(kind, [])
    ]


@pytest.fixture(scope="module")
def corpus_reports(fixture_report: Report) -> dict[str, Report]:
    return {EXPECTED["corpus"]: fixture_report, **{corpus: check_fixture_corpus(FIXTURES / corpus) for corpus in MORE_EXPECTED}}


@pytest.mark.parametrize(("corpus", "case"), planted("conflict"))
def test_planted_conflict_is_reported(corpus_reports: dict[str, Report], corpus: str, case: dict) -> None:
    assert findings_between(corpus_reports[corpus], case), case["note"]


@pytest.mark.parametrize(("corpus", "case"), planted("warning"))
def test_planted_warning_is_reported(corpus_reports: dict[str, Report], corpus: str, case: dict) -> None:
    found = findings_between(corpus_reports[corpus], case, at_least=Severity.warning)
    assert [finding.severity for finding in found] == [Severity.warning], case["note"]


@pytest.mark.parametrize(("corpus", "case"), planted("no_conflict"))
def test_trap_does_not_fire(corpus_reports: dict[str, Report], corpus: str, case: dict) -> None:
    assert not findings_between(corpus_reports[corpus], case, at_least=Severity.warning), case.get("note", "")


def test_no_finding_quotes_page_junk(fixture_report: Report) -> None:
    quoted = [side.sentence for finding in fixture_report.findings for side in finding.sides]
    assert not [sentence for sentence in quoted if any(junk in sentence for junk in JUNK)]


def test_evidence_spans_point_at_the_source_file(fixture_report: Report) -> None:
    for finding in fixture_report.findings:
        for side in finding.sides:
            source = (CORPUS / side.doc_id).read_text(encoding="utf-8")
            if side.doc_id.endswith((".txt", ".md")):
                assert source[side.start : side.end] == side.span
            lines = source.splitlines(keepends=True)
            assert sum(len(line) for line in lines[: side.line - 1]) + side.column - 1 == side.start


def assert_golden(report: Report, corpus: str, name: str) -> None:
    rendered = get_reporter(name).render(report, RenderOptions(show_info=True, explain=True))
    golden = GOLDEN / f"{corpus}.{'txt' if name == 'text' else 'json'}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8"), "run UPDATE_GOLDEN=1 pytest tests/test_acceptance.py"


@pytest.mark.parametrize("name", ["text", "json"])
@pytest.mark.parametrize("corpus", [EXPECTED["corpus"], *MORE_EXPECTED])
def test_golden_report(corpus_reports: dict[str, Report], corpus: str, name: str) -> None:
    assert_golden(corpus_reports[corpus], corpus, name)


def test_same_input_same_report_bytes(fixture_report: Report) -> None:
    again = check_fixture_corpus()
    assert again.model_dump_json() == fixture_report.model_dump_json()


# --------------------------------------------------------------------------- the real seeds


@pytest.fixture(scope="module")
def seeds_report() -> Report:
    return check_paths([require_shared(SEEDS)]).report


def test_seeds_six_versus_nine_hours_is_a_conflict(seeds_report: Report) -> None:
    matches = [
        finding
        for finding in seeds_report.findings
        if finding.severity is Severity.conflict
        and {(side.doc_id[:3], side.span) for side in finding.sides}
        == {("001", "nine hours"), ("002", "more than six hours")}
    ]
    assert len(matches) == 1
    for side in matches[0].sides:
        source = (SEEDS / side.doc_id).read_text(encoding="utf-8")
        assert source[side.start : side.end] == side.span
        assert side.sentence[side.span_start : side.span_end] == side.span
    nine = next(side for side in matches[0].sides if side.doc_id.startswith("001"))
    assert "totaled nine hours" in nine.sentence
    assert matches[0].summary == "duration of the talks: 9 hours vs more than 6 hours"


def test_seeds_an_hour_and_one_hour_agree(seeds_report: Report) -> None:
    for finding in seeds_report.findings:
        spans = {side.span for side in finding.sides}
        if {"an hour", "one hour"} <= spans:
            assert finding.severity is Severity.info


def test_seeds_link_lists_are_not_quoted(seeds_report: Report) -> None:
    tail = (SEEDS / "004_20fef6640e83dfd0.txt").read_text(encoding="utf-8").split("veryGood!")[1]
    junk_lines = [line.strip("- ").strip() for line in tail.splitlines() if len(line.strip()) > 12]
    quoted = [side.sentence for finding in seeds_report.findings for side in finding.sides]
    assert not [line for line in junk_lines if any(line in sentence for sentence in quoted)]


def test_seeds_foreign_minister_given_to_two_people_is_a_role_warning(seeds_report: Report) -> None:
    """Qin Gang (003) and Wang Yi (the others) are each called foreign minister: a warning with the
    documents' dates, since the office may have changed hands; Lavrov is Russia's and not compared."""
    roles = [finding for finding in seeds_report.findings if finding.kind == "role"]
    qin_wang = [f for f in roles if {side.value for side in f.sides} == {"Qin Gang", "Wang Yi"}]
    assert qin_wang and all(finding.severity is Severity.warning for finding in qin_wang)
    for finding in qin_wang:
        assert {side.doc_id[:3] for side in finding.sides} & {"003"}
        for side in finding.sides:
            assert (side.published or "undated") in finding.summary
    assert not [f for f in roles if any("Lavrov" in side.value for side in f.sides)]


def test_seeds_report_has_no_other_conflict(seeds_report: Report) -> None:
    conflicts = [finding for finding in seeds_report.findings if finding.severity is Severity.conflict]
    assert len(conflicts) == 1, [finding.summary for finding in conflicts]


# --------------------------------------------------------------------------- EQUATE


def test_equate_entailment_pairs_are_never_numeric_conflicts() -> None:
    path = require_shared(SHARED_DATA / "equate_dev.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    entailed = [row for row in rows if row["label"] == "entailment"]
    assert len(entailed) > 100
    flagged = []
    for row in entailed:
        report = check_texts({"premise": row["premise"], "hypothesis": row["hypothesis"]}).report
        flagged += [finding.summary for finding in report.findings if finding.severity is Severity.conflict]
    assert flagged == []
