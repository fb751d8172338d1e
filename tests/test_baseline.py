"""Baselines: write → load → apply, fingerprint stability, corrupted files (checker.baseline)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from checker.baseline import (
    BASELINE_VERSION,
    Baseline,
    BaselineEntry,
    apply_baseline,
    baseline_from_report,
    dumps_baseline,
    load_baseline,
    write_baseline,
)
from checker.detectors import DETECTORS
from checker.errors import CheckError
from checker.models import (
    ClaimCheck,
    Evidence,
    Finding,
    Report,
    ReportSummary,
    Severity,
    Verdict,
)
from checker.verdicts import claim_id

DRAFT = "story.md"
WIRE = "sources/wire.md"
LEDGER = "sources/ledger.md"

TALKS = ("number", "The talks lasted 2 hours, officials said.", "2 hours")
BOATS = ("number", "Some 34 fishing boats circled the harbor.", "34 fishing boats")
PAY = ("number", "Dock workers were offered a 4% raise.", "4%")
CROWD = ("number", "About 300 people marched to the port gates.", "300 people")


# --------------------------------------------------------------------------- builders


def fingerprint(kind: str, *parts: tuple[str, str, str]) -> str:
    """Like the pipeline's ids: kind + document + sentence + span text, never offsets or lines."""
    material = "\x1f".join([kind, *(f"{doc}\x1e{sentence}\x1e{span}" for doc, sentence, span in parts)])
    return f"{kind}-{hashlib.sha1(material.encode()).hexdigest()[:12]}"


def evidence(doc_id: str, sentence: str, span: str, line: int) -> Evidence:
    at = sentence.index(span)
    return Evidence(
        doc_id=doc_id,
        outlet=None,
        published=None,
        sentence=sentence,
        span=span,
        span_start=at,
        span_end=at + len(span),
        start=line * 100 + at,
        end=line * 100 + at + len(span),
        line=line,
        column=at + 1,
        end_line=line,
        end_column=at + 1 + len(span),
        value=span,
        score=0.9,
    )


def finding(
    claim: tuple[str, str, str], severity: Severity, line: int, source: str = WIRE, doc: str = DRAFT
) -> Finding:
    kind, sentence, span = claim
    other = f"Sources put it differently than '{span}'."
    return Finding(
        id=fingerprint(kind, (doc, sentence, span), (source, other, "differently")),
        kind=kind,
        severity=severity,
        summary=f"{span} vs something else",
        sides=[evidence(doc, sentence, span, line), evidence(source, other, "differently", 7)],
    )


def claim_check(
    claim: tuple[str, str, str],
    verdict: Verdict,
    line: int,
    findings: list[Finding] = (),
    *,
    disputed: bool = False,
    wrap: bool = False,
) -> ClaimCheck:
    """A claim whose id is the pipeline's own fingerprint (checker.verdicts.claim_id)."""
    kind, sentence, span = claim
    if wrap:  # the same sentence, hard-wrapped over two lines
        sentence = sentence.replace(" ", "\n", 1)
    where = evidence(DRAFT, sentence, span, line)
    return ClaimCheck(
        id=claim_id("number", where),
        kind=kind,
        verdict=verdict,
        disputed=disputed,
        summary=f"{span}: {'disputed' if disputed else verdict.value}",
        claim=where,
        finding_ids=[item.id for item in findings],
    )


def make_report(findings: list[Finding], claims: list[ClaimCheck] | None = None) -> Report:
    by_severity = {severity.value: sum(item.severity is severity for item in findings) for severity in Severity}
    return Report(
        version="0.1.0",
        model="fake",
        kinds=sorted(DETECTORS),
        documents=[],
        skipped=[],
        findings=findings,
        draft=DRAFT if claims is not None else None,
        claims=claims or [],
        summary=ReportSummary(
            documents=3, skipped=0, sentences=20, facts=8, aligned_pairs=4, findings_by_severity=by_severity
        ),
    )


def draft_report(lines: dict[str, int] | None = None, *, extra: list[tuple] = (), wrap: bool = False) -> Report:
    """A draft run: talks contradicted, boats unverified, pay supported (+ any extra claims)."""
    at = {"talks": 3, "boats": 5, "pay": 7, **(lines or {})}
    talks = finding(TALKS, Severity.conflict, at["talks"])
    pay = finding(PAY, Severity.info, at["pay"])
    claims = [
        claim_check(TALKS, Verdict.contradicted, at["talks"], [talks], wrap=wrap),
        claim_check(BOATS, Verdict.unverified, at["boats"], wrap=wrap),
        claim_check(PAY, Verdict.supported, at["pay"], [pay], wrap=wrap),
    ]
    findings = [talks, pay]
    for claim, verdict, line in extra:
        behind = [finding(claim, Severity.conflict, line)] if verdict is Verdict.contradicted else []
        findings += behind
        claims.append(claim_check(claim, verdict, line, behind))
    return make_report(findings, claims)


def corpus_report(lines: dict[str, int] | None = None) -> Report:
    at = {"talks": 3, "boats": 5, "pay": 7, **(lines or {})}
    return make_report(
        [
            finding(TALKS, Severity.conflict, at["talks"], doc=LEDGER),
            finding(BOATS, Severity.warning, at["boats"], doc=LEDGER),
            finding(PAY, Severity.info, at["pay"], doc=LEDGER),
        ]
    )


def failing(report: Report) -> list[str]:
    """What the strictest CI gate fails on: any claim not plainly supported, any conflict or warning."""
    if report.draft is not None:
        return [claim.id for claim in report.claims if claim.verdict is not Verdict.supported or claim.disputed]
    return [item.id for item in report.findings if item.severity is not Severity.info]


# --------------------------------------------------------------------------- writing


def test_draft_baseline_lists_contradicted_and_unverified_claims(tmp_path: Path) -> None:
    report = draft_report()
    path = tmp_path / "baseline.json"
    written = write_baseline(report, path)
    payload = json.loads(path.read_text(encoding="utf-8"))
    assert payload["tool"] == "check" and payload["version"] == BASELINE_VERSION and payload["mode"] == "draft"
    ids = [entry["id"] for entry in payload["accepted"]]
    assert ids == sorted(ids)
    statuses = {entry["summary"]: entry["status"] for entry in payload["accepted"]}
    assert statuses == {"2 hours: contradicted": "contradicted", "34 fishing boats: unverified": "unverified"}
    assert list(payload["accepted"][0]) == ["id", "kind", "status", "summary"]
    assert written == load_baseline(path)


def test_corpus_baseline_lists_conflicts_and_warnings(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(corpus_report(), path)
    baseline = load_baseline(path)
    assert baseline.mode == "corpus"
    assert sorted(entry.status for entry in baseline.accepted) == ["conflict", "warning"]


def test_written_file_is_deterministic_and_line_free(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    write_baseline(draft_report(), first)
    write_baseline(draft_report({"talks": 40, "boats": 2}), second)
    assert first.read_bytes() == second.read_bytes()
    assert first.read_text(encoding="utf-8").endswith("}\n")


def test_identical_sentences_share_an_entry_with_the_worst_status() -> None:
    report = draft_report(extra=[(TALKS, Verdict.unverified, 12)])
    entries = [entry for entry in baseline_from_report(report).accepted if entry.summary.startswith("2 hours")]
    assert [entry.status for entry in entries] == ["contradicted"]


def test_write_is_atomic_and_readable_by_others(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text("old", encoding="utf-8")
    write_baseline(draft_report(), path)
    assert load_baseline(path).mode == "draft"
    assert [item.name for item in tmp_path.iterdir()] == ["baseline.json"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_write_into_missing_directory_is_a_check_error(tmp_path: Path) -> None:
    with pytest.raises(CheckError, match=r"^cannot write baseline .*missing/baseline.json: no such file"):
        write_baseline(draft_report(), tmp_path / "missing" / "baseline.json")


# --------------------------------------------------------------------------- applying


@pytest.mark.parametrize("make", [draft_report, corpus_report], ids=["draft", "corpus"])
def test_round_trip_nothing_fails(tmp_path: Path, make) -> None:
    report = make()
    assert failing(report)
    path = tmp_path / "baseline.json"
    write_baseline(report, path)
    result = apply_baseline(report, load_baseline(path))
    assert failing(result.report) == []
    assert result.accepted_count == 2
    assert len(result.accepted) == 2 and result.stale == [] and result.escalated == []


def test_draft_accepted_claims_leave_with_their_findings() -> None:
    report = draft_report()
    result = apply_baseline(report, baseline_from_report(report))
    assert [claim.verdict for claim in result.report.claims] == [Verdict.supported]
    assert [item.severity for item in result.report.findings] == [Severity.info]
    assert result.report.summary.findings_by_severity == {"conflict": 0, "warning": 0, "info": 1}
    assert result.report.summary.documents == report.summary.documents


def test_corpus_keeps_info_findings() -> None:
    report = corpus_report()
    result = apply_baseline(report, baseline_from_report(report))
    assert [item.severity for item in result.report.findings] == [Severity.info]


def test_new_claim_still_fails() -> None:
    baseline = baseline_from_report(draft_report())
    later = draft_report(extra=[(CROWD, Verdict.contradicted, 9)])
    result = apply_baseline(later, baseline)
    assert failing(result.report) == [result.report.claims[-1].id]
    assert result.report.claims[-1].claim.span == CROWD[2]
    assert len(result.report.findings) == 2  # the new conflict and the info finding


def test_new_corpus_finding_still_fails() -> None:
    baseline = baseline_from_report(corpus_report())
    later = make_report([*corpus_report().findings, finding(CROWD, Severity.conflict, 9, doc=LEDGER)])
    assert len(failing(apply_baseline(later, baseline).report)) == 1


@pytest.mark.parametrize(
    "moved",
    [
        pytest.param({"talks": 30, "boats": 31}, id="moved-down"),
        pytest.param({"talks": 1, "boats": 2, "pay": 3}, id="paragraph-removed-above"),
        pytest.param({"pay": 90}, id="other-paragraph-edited"),
    ],
)
@pytest.mark.parametrize("make", [draft_report, corpus_report], ids=["draft", "corpus"])
def test_ids_survive_line_moves(make, moved: dict[str, int]) -> None:
    before, after = make(), make(moved)
    assert [item.id for item in before.findings] == [item.id for item in after.findings]
    assert [item.id for item in before.claims] == [item.id for item in after.claims]
    result = apply_baseline(after, baseline_from_report(before))
    assert failing(result.report) == [] and result.stale == []


def test_reworded_claim_fails_again_and_old_entry_is_stale() -> None:
    baseline = baseline_from_report(draft_report())
    reworded = ("number", "The talks lasted two hours, officials said.", "two hours")
    report = draft_report()
    talks = finding(reworded, Severity.conflict, 3)
    claims = [claim_check(reworded, Verdict.contradicted, 3, [talks]), *report.claims[1:]]
    result = apply_baseline(make_report([talks, report.findings[1]], claims), baseline)
    assert len(failing(result.report)) == 1
    assert [entry.summary for entry in result.stale] == ["2 hours: contradicted"]


def test_escalated_claim_fails_again() -> None:
    """Accepted as unverified; now a source contradicts it."""
    baseline = baseline_from_report(draft_report())
    report = draft_report()
    boats = finding(BOATS, Severity.conflict, 5)
    claims = [report.claims[0], claim_check(BOATS, Verdict.contradicted, 5, [boats]), report.claims[2]]
    result = apply_baseline(make_report([*report.findings, boats], claims), baseline)
    assert failing(result.report) == [claims[1].id]
    assert [entry.status for entry in result.escalated] == ["unverified"]
    assert result.stale == []


def test_improved_claim_stays_accepted() -> None:
    """Accepted as contradicted; now only unverified: still a problem, still accepted."""
    baseline = baseline_from_report(draft_report())
    report = draft_report()
    claims = [claim_check(TALKS, Verdict.unverified, 3), *report.claims[1:]]
    result = apply_baseline(make_report([report.findings[1]], claims), baseline)
    assert [claim.verdict for claim in result.report.claims] == [Verdict.supported]


def test_fixed_problems_are_stale_and_supported_claims_untouched() -> None:
    baseline = baseline_from_report(draft_report())
    report = draft_report()
    claims = [claim_check(TALKS, Verdict.supported, 3, []), claim_check(BOATS, Verdict.supported, 5), report.claims[2]]
    result = apply_baseline(make_report([report.findings[1]], claims), baseline)
    assert result.report.claims == claims
    assert result.accepted_count == 0 and len(result.stale) == 2


def test_finding_shared_with_a_remaining_claim_is_kept() -> None:
    report = draft_report()
    shared = report.findings[0]
    extra = claim_check(CROWD, Verdict.contradicted, 9, [shared])
    entry = BaselineEntry(id=report.claims[0].id, kind="number", status="contradicted", summary="")
    baseline = Baseline(mode="draft", accepted=[entry])
    result = apply_baseline(make_report(report.findings, [*report.claims, extra]), baseline)
    assert shared in result.report.findings


def test_mode_mismatch_is_an_error() -> None:
    with pytest.raises(CheckError, match="written for a corpus run and cannot be applied to a draft run"):
        apply_baseline(draft_report(), baseline_from_report(corpus_report()))


def test_empty_baseline_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    write_baseline(draft_report({}, extra=[]).model_copy(update={"claims": []}), path)
    report = draft_report()
    result = apply_baseline(report, load_baseline(path))
    assert result.report == report and result.accepted_count == 0


# --------------------------------------------------------------------------- loading


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", r"not valid JSON \(line 1, column 1", id="empty"),
        pytest.param(b'{"tool": "check", "version": 1, "accepted": [', "not valid JSON", id="truncated"),
        pytest.param(b"\xff\xfe\x00", "corrupted", id="binary"),
        pytest.param(b"[]", "not a check baseline file", id="array"),
        pytest.param(b'{"version": 1, "mode": "draft", "accepted": []}', "not a check baseline file", id="no-tool"),
        pytest.param(b'{"tool": "check", "mode": "draft"}', "missing or invalid 'version'", id="no-version"),
        pytest.param(b'{"tool": "check", "version": "1"}', "missing or invalid 'version'", id="string-version"),
        pytest.param(
            b'{"tool": "check", "version": 99, "mode": "draft", "accepted": []}',
            r"version 99 is newer than this check understands \(1\); upgrade check",
            id="future-version",
        ),
        pytest.param(b'{"tool": "check", "version": 0, "mode": "draft"}', "unknown version 0", id="version-zero"),
        pytest.param(b'{"tool": "check", "version": 1, "mode": "both"}', "invalid 'mode'", id="bad-mode"),
        pytest.param(
            b'{"tool": "check", "version": 1, "mode": "draft", "accepted": [{"id": "x"}]}',
            r"invalid 'accepted\.0\.kind'",
            id="entry-missing-fields",
        ),
        pytest.param(
            b'{"tool": "check", "version": 1, "mode": "draft", "accepted": [{"id": "x", "kind": "number", '
            b'"status": "supported", "summary": ""}]}',
            r"invalid 'accepted\.0\.status'",
            id="entry-bad-status",
        ),
        pytest.param(
            b'{"tool": "check", "version": 1, "mode": "draft", "accepted": [], "extra": 1}',
            "invalid 'extra'",
            id="unknown-field",
        ),
    ],
)
def test_corrupted_baseline_is_a_check_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_bytes(content)
    with pytest.raises(CheckError, match=message) as caught:
        load_baseline(path)
    assert str(caught.value).startswith(f"baseline {path}: ")
    assert "\n" not in str(caught.value)


def test_missing_baseline_says_how_to_create_it(tmp_path: Path) -> None:
    with pytest.raises(CheckError, match=r"no such file \(create it with --write-baseline\)"):
        load_baseline(tmp_path / "nope.json")


def test_dumps_is_stable_json() -> None:
    baseline = baseline_from_report(draft_report())
    text = dumps_baseline(baseline)
    assert dumps_baseline(Baseline.model_validate(json.loads(text))) == text


# --------------------------------------------------------------------------- disputed claims and re-wrapping


def disputed_report(verdict_of_boats: Verdict = Verdict.unverified, *, boats_disputed: bool = False) -> Report:
    talks_conflict = finding(TALKS, Severity.conflict, 3, source=WIRE)
    talks_agree = finding(TALKS, Severity.info, 3, source=LEDGER)
    boats = [finding(BOATS, Severity.conflict, 5)] if verdict_of_boats is not Verdict.unverified else []
    claims = [
        claim_check(TALKS, Verdict.supported, 3, [talks_agree, talks_conflict], disputed=True),
        claim_check(BOATS, verdict_of_boats, 5, boats, disputed=boats_disputed),
    ]
    return make_report([talks_conflict, talks_agree, *boats], claims)


def test_disputed_claims_are_baselined_and_accepted() -> None:
    report = disputed_report()
    baseline = baseline_from_report(report)
    assert sorted(entry.status for entry in baseline.accepted) == ["disputed", "unverified"]
    result = apply_baseline(report, baseline)
    assert result.report.claims == [] and result.report.findings == []
    assert result.accepted_count == 2


@pytest.mark.parametrize(
    ("verdict", "disputed", "fails"),
    [
        pytest.param(Verdict.unverified, False, False, id="same"),
        pytest.param(Verdict.supported, True, True, id="unverified-to-disputed"),
        pytest.param(Verdict.contradicted, False, True, id="unverified-to-contradicted"),
    ],
)
def test_status_order_unverified_disputed_contradicted(verdict: Verdict, disputed: bool, fails: bool) -> None:
    baseline = baseline_from_report(disputed_report())
    result = apply_baseline(disputed_report(verdict, boats_disputed=disputed), baseline)
    assert bool(failing(result.report)) is fails
    assert bool(result.escalated) is fails


def test_contradicted_claim_that_becomes_disputed_stays_accepted() -> None:
    baseline = baseline_from_report(draft_report())
    talks_conflict = finding(TALKS, Severity.conflict, 3)
    talks_agree = finding(TALKS, Severity.info, 3, source=LEDGER)
    report = draft_report()
    claims = [claim_check(TALKS, Verdict.supported, 3, [talks_agree, talks_conflict], disputed=True), *report.claims[1:]]
    result = apply_baseline(make_report([talks_conflict, talks_agree, report.findings[1]], claims), baseline)
    assert failing(result.report) == []


def test_claim_ids_survive_rewrapping_the_paragraph() -> None:
    """The pipeline's fingerprint ignores how the sentence is broken over lines."""
    before, after = draft_report(), draft_report({"talks": 8, "boats": 12}, wrap=True)
    assert [claim.claim.sentence for claim in before.claims] != [claim.claim.sentence for claim in after.claims]
    assert [claim.id for claim in before.claims] == [claim.id for claim in after.claims]
    assert failing(apply_baseline(after, baseline_from_report(before)).report) == []


# --------------------------------------------------------------------------- with the real pipeline


@pytest.mark.model
def test_real_draft_baseline_survives_edits_elsewhere(tmp_path: Path) -> None:
    """A paragraph added above and another re-wrapped: every accepted claim is still accepted."""
    from checker.draft import check_draft_paths
    from tests.paths import FIXTURES

    sources, draft = FIXTURES / "harbor-summit", FIXTURES / "drafts" / "summit-draft.md"
    before = check_draft_paths(draft, [sources]).report
    assert failing(before)
    lines = draft.read_text(encoding="utf-8").split("\n")
    press = next(index for index, line in enumerate(lines) if "90 minutes" in line)
    lines[press] = lines[press].replace(". Asked", ".\nAsked", 1)
    lines[4:4] = ["Officials from both governments attended the signing ceremony in the morning.", ""]
    edited = tmp_path / "summit-draft.md"
    edited.write_text("\n".join(lines), encoding="utf-8")
    after = check_draft_paths(edited, [sources]).report

    assert [claim.claim.line for claim in after.claims] != [claim.claim.line for claim in before.claims]
    result = apply_baseline(after, baseline_from_report(before))
    assert failing(result.report) == []
    assert result.stale == [] and result.escalated == []
    assert result.accepted_count == len(failing(before))
