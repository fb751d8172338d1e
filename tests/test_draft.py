"""Draft mode with the real model: verdicts on the fixture draft, exit codes, claim ids."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from typer.testing import CliRunner

from checker.draft import check_draft_paths, check_drafts
from checker.errors import UsageError
from checker.models import Report, Verdict
from checker.pipeline import CheckOptions
from checker.verdicts import claim_id
from cli import app
from tests.paths import FIXTURES
from tests.test_acceptance import EXPECTED

pytestmark = pytest.mark.model

SOURCES = FIXTURES / "harbor-summit"
DRAFT = FIXTURES / "drafts" / "summit-draft.md"
FIXED = FIXTURES / "drafts" / "summit-draft-fixed.md"
# Kinds of planted draft error the number detector can see; dates, titles and negation come with
# their own detectors.
NUMERIC_ERRORS = [case for case in EXPECTED["draft_error"] if case["kind"] in {"number", "unsupported"}]
runner = CliRunner()


@pytest.fixture(scope="module")
def draft_report() -> Report:
    return check_draft_paths(DRAFT, [SOURCES]).report


@pytest.fixture(scope="module")
def fixed_report() -> Report:
    return check_draft_paths(FIXED, [SOURCES]).report


def claim_for(report: Report, span: str):
    (claim,) = [claim for claim in report.claims if claim.claim.span == span]
    return claim


@pytest.mark.parametrize("case", NUMERIC_ERRORS, ids=lambda case: case["span"])
def test_planted_error_has_its_verdict_and_evidence(draft_report: Report, case: dict) -> None:
    claim = claim_for(draft_report, case["span"])
    if case["kind"] == "unsupported":
        assert claim.verdict is Verdict.unverified and claim.evidence == []
        return
    assert claim.verdict is Verdict.contradicted
    assert any(side.doc_id == case["source_doc"] and side.span == case["source_span"] for side in claim.evidence)
    draft_text = DRAFT.read_text(encoding="utf-8")
    assert draft_text[claim.claim.start : claim.claim.end] == case["span"]
    line = draft_text.splitlines()[claim.claim.line - 1]
    assert line[claim.claim.column - 1 :].startswith(case["span"])


def test_fixed_draft_has_no_contradicted_claim(fixed_report: Report) -> None:
    assert [claim.summary for claim in fixed_report.claims if claim.verdict is Verdict.contradicted] == []
    fixed = [case["fixed_span"] for case in NUMERIC_ERRORS if case["fixed_span"]]
    for span in fixed:
        assert claim_for(fixed_report, span).verdict is Verdict.supported


def test_sources_that_disagree_make_a_claim_disputed_not_contradicted(fixed_report: Report) -> None:
    claim = claim_for(fixed_report, "$2.4 billion")
    assert claim.verdict is Verdict.supported and claim.disputed
    assert {side.value for side in claim.evidence} == {"$2.4 billion", "$3.1 billion"}
    # Sources that give one value are named together, once each.
    assert claim.summary.endswith(
        "as courier.txt, harborledger.example and Valley Wire say $2.4 billion; "
        "the sources disagree: The Aldane Post says $3.1 billion"
    )


def test_sources_are_not_compared_among_themselves(draft_report: Report) -> None:
    assert all(any(side.doc_id == draft_report.draft for side in f.sides) for f in draft_report.findings)


def test_claim_ids_do_not_depend_on_position(draft_report: Report) -> None:
    claim = claim_for(draft_report, "3,500 jobs")
    moved = claim.claim.model_copy(update={"line": 99, "column": 1, "start": 5000, "end": 5010})
    assert claim_id(claim.kind, moved) == claim.id


@pytest.mark.parametrize(
    ("draft", "fail_on", "code"),
    [
        (DRAFT, "contradicted", 1),
        (FIXED, "contradicted", 0),
        (FIXED, "warning", 1),
        (FIXED, "unverified", 1),
        (DRAFT, "never", 0),
    ],
    ids=["errors-fail", "fixed-passes", "disputed-fails-at-warning", "unverified-fails-when-asked", "never"],
)
def test_exit_codes(draft, fail_on: str, code: int) -> None:
    result = runner.invoke(app, ["--draft", str(draft), "--fail-on", fail_on, str(SOURCES)])
    assert result.exit_code == code, result.output


def test_json_report_carries_the_claims() -> None:
    result = runner.invoke(app, ["--draft", str(DRAFT), "--format", "json", str(SOURCES)])
    report = json.loads(result.stdout)
    assert report["draft"].endswith("summit-draft.md")
    assert {claim["verdict"] for claim in report["claims"]} == {"contradicted", "supported", "unverified"}


def test_a_narrowed_run_gives_verdicts_on_the_kinds_looked_for_only(draft_report: Report) -> None:
    dates = check_draft_paths(DRAFT, [SOURCES], CheckOptions(kinds=["date"])).report
    assert {claim.kind for claim in draft_report.claims} > {"date"}
    assert dates.claims == [claim for claim in draft_report.claims if claim.kind == "date"]


def test_a_draft_without_sources_is_a_usage_error(tmp_path) -> None:
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(UsageError):
        check_draft_paths(DRAFT, [tmp_path])
    result = runner.invoke(app, ["--draft", str(DRAFT), str(tmp_path)])
    assert result.exit_code == 2 and result.stderr.startswith("check: error: no source documents")


# --------------------------------------------------------------------------- source index


@pytest.fixture(scope="module")
def index_directory(tmp_path_factory):
    directory = tmp_path_factory.mktemp("index") / ".check-index"
    result = runner.invoke(app, ["--write-index", str(directory), str(SOURCES)])
    assert result.exit_code == 0, result.output
    assert "indexed 5 documents" in result.stderr
    return directory


def test_draft_against_the_index_gives_the_same_verdicts(index_directory, draft_report: Report) -> None:
    result = runner.invoke(app, ["--draft", str(DRAFT), "--index", str(index_directory), "--format", "json"])
    assert result.exit_code == 1, result.output
    indexed = json.loads(result.stdout)["claims"]
    assert [(c["claim"]["span"], c["verdict"]) for c in indexed] == [
        (c.claim.span, c.verdict.value) for c in draft_report.claims
    ]


def test_refreshing_the_index_reembeds_nothing_unchanged(index_directory) -> None:
    result = runner.invoke(app, ["--write-index", str(index_directory), str(SOURCES)])
    assert result.exit_code == 0
    assert re.search(r"\((\d+) sentences: 0 embedded, \1 reused\)", result.stderr), result.stderr


def test_a_corrupted_index_is_rebuilt_not_trusted(index_directory) -> None:
    for manifest in index_directory.glob("gen-*/manifest.json"):
        manifest.write_text("{ not json", encoding="utf-8")
    result = runner.invoke(app, ["--draft", str(FIXED), "--index", str(index_directory)])
    assert result.exit_code == 0, result.output
    assert "rebuilt" in result.stderr


def test_corpus_mode_with_the_index_reports_what_the_files_give(index_directory) -> None:
    plain = runner.invoke(app, [str(SOURCES), "--format", "json"])
    with_sources = runner.invoke(app, [str(SOURCES), "--index", str(index_directory), "--format", "json"])
    index_alone = runner.invoke(app, ["--index", str(index_directory), "--format", "json"])
    assert plain.exit_code == with_sources.exit_code == index_alone.exit_code == 1, index_alone.output
    assert with_sources.stdout == plain.stdout
    assert index_alone.stdout == plain.stdout
    assert "rebuilt" not in with_sources.stderr + index_alone.stderr


def test_no_paths_and_no_index_is_a_usage_error() -> None:
    result = runner.invoke(app, ["--no-config"])
    assert result.exit_code == 2 and "no paths given and no 'sources' or 'index'" in result.stderr


@pytest.fixture
def index_copy(index_directory, tmp_path):
    """A private copy of the module's index, free to damage."""
    copy = tmp_path / ".check-index"
    shutil.copytree(index_directory, copy)
    return copy


def test_damaged_vectors_are_rebuilt_from_the_recorded_sources(index_copy, draft_report: Report) -> None:
    (embeddings,) = index_copy.glob("gen-*/embeddings.npy")
    data = bytearray(embeddings.read_bytes())
    data[-64:] = bytes(64)
    embeddings.write_bytes(bytes(data))
    result = runner.invoke(app, ["--draft", str(DRAFT), "--index", str(index_copy), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert "rebuilt" in result.stderr and "embeddings.npy is damaged" in result.stderr
    assert [c["verdict"] for c in json.loads(result.stdout)["claims"]] == [c.verdict.value for c in draft_report.claims]


def test_an_unreadable_index_without_known_sources_is_a_one_line_error(index_copy) -> None:
    (index_copy / "CURRENT").write_text("\x00garbage", encoding="utf-8")
    result = runner.invoke(app, ["--draft", str(FIXED), "--index", str(index_copy)])
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("check: error: source index at") and "CURRENT is unreadable" in line

    with_sources = runner.invoke(app, ["--draft", str(FIXED), "--index", str(index_copy), str(SOURCES)])
    assert with_sources.exit_code == 0, with_sources.output
    assert "rebuilt" in with_sources.stderr


def test_an_index_is_built_from_the_sources_on_first_use(tmp_path) -> None:
    directory = tmp_path / ".check-index"
    first = runner.invoke(app, ["-d", str(FIXED), "-d", str(DRAFT), "--index", str(directory), str(SOURCES)])
    assert first.exit_code == 1, first.output
    assert first.stderr.count(f"source index {directory} built") == 1 and (directory / "CURRENT").exists()
    again = runner.invoke(app, ["-d", str(FIXED), "--index", str(directory), str(SOURCES)])
    assert again.exit_code == 0
    # Nothing about the index: only the undated draft's date is said.
    assert again.stderr.splitlines() == [f"check: {FIXED} has no date: read as of its newest source's, 2024-03-15"]


def test_check_drafts_embeds_the_sources_once(tmp_path) -> None:
    counting = CountingEmbedder(CheckOptions().embedder())
    results = check_drafts([DRAFT, FIXED], [SOURCES], embedder=counting)
    assert [result.report.draft for result in results] == [DRAFT.as_posix(), FIXED.as_posix()]
    sources = sum(info.sentences for info in results[0].report.documents if info.doc_id != results[0].report.draft)
    drafts = sum(info.sentences for r in results for info in r.report.documents if info.doc_id == r.report.draft)
    assert counting.texts == sources + drafts


class CountingEmbedder:
    """Counts the texts sent to the model."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.name = inner.name
        self.texts = 0

    def encode(self, texts: list[str]):
        self.texts += len(texts)
        return self.inner.encode(texts)


def test_an_undated_draft_is_read_as_of_its_newest_source_and_says_so(tmp_path) -> None:
    undated = check_draft_paths(FIXED, [SOURCES])
    assert undated.notes == [f"{FIXED} has no date: read as of its newest source's, 2024-03-15"]
    dated_draft = tmp_path / "dated.md"
    dated_draft.write_text("Date: 2024-03-16\n\n" + FIXED.read_text(encoding="utf-8"), encoding="utf-8")
    dated = check_draft_paths(dated_draft, [SOURCES])
    assert dated.notes == []
    assert {document.meta.published for document in dated.report.documents if document.doc_id == dated.report.draft} == {
        "2024-03-16"
    }
