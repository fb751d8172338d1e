"""Reporter registry, text and JSON formats, and the JSON schema.

Golden files live in tests/golden/ and are compared byte for byte. After an
intended change to the output, regenerate them and review the diff:

    UPDATE_GOLDEN=1 python3 -m pytest tests/test_reporters.py

The JSON schema docs/report.schema.json is generated from the Report model;
regenerate it with:

    python3 scripts/write_schema.py
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from checker.models import Evidence, Finding, Severity
from checker.reporters import (
    DEFAULT_REPORTER,
    RenderOptions,
    Reporter,
    UnknownReporterError,
    get_reporter,
    register,
    reporter_names,
)
from checker.reporters import base as reporters_base
from checker.models import REPORT_SCHEMA_VERSION
from checker.reporters.json import load_report, schema_text
from checker.reporters.text import SPAN_CLOSE, SPAN_OPEN

sys.path.insert(0, str(Path(__file__).parent))
from report_samples import empty_report, folded_findings, sample_report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden"
SCHEMA_PATH = ROOT / "docs" / "report.schema.json"
ANSI = re.compile(r"\x1b")

GOLDEN_CASES = [
    ("report.txt", "text", RenderOptions(), sample_report),
    ("report_show_info.txt", "text", RenderOptions(show_info=True), sample_report),
    ("report_explain.txt", "text", RenderOptions(explain=True), sample_report),
    ("report.json", "json", RenderOptions(), sample_report),
    ("report_folded.txt", "text", RenderOptions(show_info=True, explain=True), lambda: sample_report(folded_findings())),
]


def render(name: str, report=None, **options) -> str:
    return get_reporter(name).render(report or sample_report(), RenderOptions(**options))


# --------------------------------------------------------------------------- golden


@pytest.mark.parametrize(("filename", "fmt", "options", "report"), GOLDEN_CASES, ids=[c[0] for c in GOLDEN_CASES])
def test_golden(filename: str, fmt: str, options: RenderOptions, report) -> None:
    rendered = get_reporter(fmt).render(report(), options).encode("utf-8")
    path = GOLDEN / filename
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rendered)
    assert path.exists(), f"{path} missing; run: UPDATE_GOLDEN=1 python3 -m pytest tests/test_reporters.py"
    assert rendered == path.read_bytes(), (
        f"{filename} differs from the rendering; if the change is intended run: "
        "UPDATE_GOLDEN=1 python3 -m pytest tests/test_reporters.py"
    )


# --------------------------------------------------------------------------- registry


def test_builtin_names_sorted() -> None:
    names = reporter_names()
    assert names == sorted(names)
    assert {"text", "json"} <= set(names)
    assert DEFAULT_REPORTER in names


def test_get_reporter_returns_instances_with_metadata() -> None:
    for name in reporter_names():
        reporter = get_reporter(name)
        assert isinstance(reporter, Reporter)
        assert reporter.name == name
        assert reporter.description


def test_unknown_reporter_lists_available() -> None:
    with pytest.raises(KeyError) as info:
        get_reporter("no-such-format")
    error = info.value
    assert isinstance(error, UnknownReporterError)
    message = str(error)
    assert "'no-such-format'" in message
    assert "html, json" in message
    assert not message.startswith(("'", '"'))  # not KeyError's repr quoting


def test_register_adds_and_rejects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reporters_base, "_REGISTRY", dict(reporters_base._REGISTRY))

    @register
    class Ids(Reporter):
        name = "ids"
        description = "finding ids, one a line"

        def render(self, report, options):
            return "".join(f"{f.id}\n" for f in report.findings)

    assert "ids" in reporter_names()
    assert get_reporter("ids").render(sample_report(), RenderOptions()) == "F001\nF002\nF003\n"

    with pytest.raises(ValueError, match="already registered"):

        @register
        class Other(Reporter):
            name = "ids"
            description = "clash"

            def render(self, report, options):
                return ""

    with pytest.raises(ValueError, match="name"):

        @register
        class Nameless(Reporter):
            description = "no name"

            def render(self, report, options):
                return ""


def test_render_options_frozen_and_strict() -> None:
    options = RenderOptions()
    assert (options.show_info, options.color, options.width, options.explain) == (False, False, 100, False)
    with pytest.raises(Exception):
        options.width = 80  # type: ignore[misc]
    with pytest.raises(Exception):
        RenderOptions(colour=True)  # type: ignore[call-arg]


# --------------------------------------------------------------------------- both formats


@pytest.mark.parametrize("name", ["text", "json"])
@pytest.mark.parametrize("options", [{}, {"show_info": True, "explain": True}, {"color": True}, {"width": 50}])
def test_deterministic(name: str, options: dict) -> None:
    first = render(name, **options)
    assert first == render(name, **options)
    assert first.endswith("\n") and not first.endswith("\n\n")


@pytest.mark.parametrize("name", ["text", "json"])
def test_no_ansi_without_color(name: str) -> None:
    for options in ({}, {"show_info": True, "explain": True}):
        assert not ANSI.search(render(name, **options))


def test_text_color_uses_ansi_and_drops_markers() -> None:
    colored = render("text", color=True)
    assert ANSI.search(colored)
    assert SPAN_OPEN not in colored


# --------------------------------------------------------------------------- text


def test_text_header_and_skipped() -> None:
    lines = render("text").splitlines()
    assert lines[0] == "check: 3 documents, 61 sentences, 23 facts, 7 aligned pairs"
    assert lines[1] == "  skipped valley-wire/gallery.zip: unsupported file type (.zip)"


def test_text_marks_span_and_location() -> None:
    out = render("text")
    assert "CONFLICT number  duration of the talks: 9 hours vs about 6 hours   [F001]" in out
    assert f"lasted {SPAN_OPEN}about 6 hours{SPAN_CLOSE}, ended" in out
    assert "  The Harbor Ledger (2024-03-14)  harbor-ledger/port-strike-talks.md:14:92" in out
    assert "  Valley Wire (no date)  valley-wire/strike-talks.html:41:30" in out
    # no outlet: the doc_id stands in
    assert "  drafts/port-talks.txt (no date)  drafts/port-talks.txt:9:6" in out
    assert "    value: ~6 hour" in out


def test_text_hides_info_but_counts_it() -> None:
    out = render("text")
    assert "F003" not in out and "INFO" not in out
    assert out.splitlines()[-1] == "1 conflict, 1 warning, 1 corroboration (use --show-info to list)"

    shown = render("text", show_info=True)
    assert "INFO     number  pay rise offered to dock workers: 4 percent in both   [F003]" in shown
    assert shown.splitlines()[-1] == "1 conflict, 1 warning, 1 corroboration"


def test_text_explain_shows_reasons() -> None:
    assert "intervals do not overlap" not in render("text")
    out = render("text", explain=True)
    assert "  why:\n    - same measured thing: talks\n" in out
    assert "value: 9 hour  (score 0.95)" in out


def test_text_tells_findings_that_share_a_statement_as_one_fact() -> None:
    out = render("text", report=sample_report(folded_findings()))
    assert "CONFLICT number  duration of the talks: 2 outlets: 9 hour; 1 outlet: ~6 hour\n" in out
    assert out.count("The talks, which lasted") == 1  # the Wire's sentence, in two findings, quoted once
    assert "  9 hour:\n    The Harbor Ledger (2024-03-14)" in out
    assert "  ~6 hour:\n    Valley Wire (no date)" in out
    assert "    CONFLICT The Harbor Ledger vs Valley Wire   [F001]\n" in out
    assert "    WARNING  Port Gazette vs Valley Wire — dated a day apart   [F004]\n" in out
    # The unrelated warning is told on its own, and the fact is not repeated under "Fact clusters".
    assert "WARNING  number  boats in the protest flotilla: 40 vs 34   [F002]" in out
    assert "Fact clusters" not in out
    assert "F005" not in out
    assert out.splitlines()[-1] == "1 conflict, 2 warnings, 1 corroboration (use --show-info to list)"


def test_text_folds_hidden_corroborations_in_with_show_info() -> None:
    out = render("text", report=sample_report(folded_findings()), show_info=True)
    assert "    INFO     The Harbor Ledger vs Port Gazette   [F005]\n" in out
    assert out.count("Negotiators spent") == 1


def test_text_tells_a_lone_shown_finding_plainly_when_its_partners_are_hidden() -> None:
    conflict, _, _, agreement = folded_findings()
    out = render("text", report=sample_report([conflict, agreement]))
    assert "duration of the talks: 9 hours vs about 6 hours   [F001]" in out
    assert "findings:" not in out
    # The hidden agreement still tells the reader that the 9 hours is the majority's version.
    assert "Fact clusters\n  duration of the talks: 2 outlets: 9 hour; 1 outlet: ~6 hour" in out


def test_text_tells_a_cluster_of_agreements_as_agreement() -> None:
    conflict, _, _, agreement = folded_findings()
    # "San Francisco" against "California": two values, three documents, no dispute.
    compatible = conflict.model_copy(update={"severity": Severity.info})
    report = sample_report([compatible, agreement])
    assert "Fact clusters" not in render("text", report=report)
    shown = render("text", report=report, show_info=True)
    # Values that agree are one group: three outlets give one duration, in two wordings.
    assert "INFO     number  duration of the talks: 3 outlets: 9 hour / ~6 hour\n" in shown
    assert "  9 hour / ~6 hour:\n" in shown


def test_text_empty_report() -> None:
    out = render("text", report=empty_report())
    assert out.splitlines()[-2:] == ["0 conflicts, 0 warnings, 0 corroborations", "No discrepancies found."]


def test_text_only_info_is_no_discrepancy() -> None:
    report = sample_report()
    infos = [f for f in report.findings if f.severity is Severity.info]
    out = render("text", report=report.model_copy(update={"findings": infos}))
    assert out.endswith("0 conflicts, 0 warnings, 1 corroboration (use --show-info to list)\nNo discrepancies found.\n")
    assert "No discrepancies found." not in render("text")


@pytest.mark.parametrize("width", [40, 60, 80, 100])
@pytest.mark.parametrize("folded", [False, True], ids=["pairs", "folded"])
def test_text_wraps_at_width_and_keeps_spans_whole(width: int, folded: bool) -> None:
    report = sample_report(folded_findings()) if folded else sample_report()
    out = render("text", report=report, width=width, show_info=True, explain=True)
    for line in out.splitlines():
        assert len(line) <= width, line
        assert line == line.rstrip()
    assert f"{SPAN_OPEN}9 hours{SPAN_CLOSE}" in out
    assert f"{SPAN_OPEN}34 fishing boats{SPAN_CLOSE}" in out


def test_text_wraps_a_finding_line_under_its_text_not_under_its_label() -> None:
    out = render("text", report=sample_report(folded_findings()), width=48)
    lines = out.splitlines()
    start = lines.index("    WARNING  Port Gazette vs Valley Wire — dated")
    assert lines[start + 1] == "             a day apart   [F004]"


def test_text_narrow_width_is_clamped() -> None:
    assert render("text", width=5) == render("text", width=40)


def _with_side(**changes) -> object:
    report = sample_report()
    finding: Finding = report.findings[0]
    side: Evidence = finding.sides[0].model_copy(update=changes)
    finding = finding.model_copy(update={"sides": [side, *finding.sides[1:]]})
    return report.model_copy(update={"findings": [finding]})


def test_text_neutralises_control_characters() -> None:
    report = _with_side(
        sentence="Talks ran \x1b[31m9 hours\x1b[0m\r\nafter\tmidnight.", span="9 hours", outlet="Evil\x1b]0;x\x07 Wire"
    )
    out = render("text", report=report)
    assert not ANSI.search(out)
    assert "\r" not in out and "\x07" not in out and "\t" not in out
    assert f"{SPAN_OPEN}9 hours{SPAN_CLOSE}\ufffd[0m after midnight." in out


def test_text_span_missing_from_sentence() -> None:
    out = render("text", report=_with_side(span="nine hours"))
    assert f"    span: {SPAN_OPEN}nine hours{SPAN_CLOSE}\n" in out


def test_text_marks_the_span_at_its_offsets_when_the_words_repeat() -> None:
    sentence = "Day one ran 9 hours; day two ran 9 hours."
    second = sentence.rindex("9 hours")
    report = _with_side(sentence=sentence, span="9 hours", span_start=second, span_end=second + len("9 hours"))
    out = render("text", report=report)
    assert f"Day one ran 9 hours; day two ran {SPAN_OPEN}9 hours{SPAN_CLOSE}." in out


# --------------------------------------------------------------------------- json


def test_json_is_the_report_with_its_schema_version_first() -> None:
    report = sample_report()
    out = render("json")
    data = json.loads(out)
    assert next(iter(data)) == "schema_version"
    assert data["schema_version"] == REPORT_SCHEMA_VERSION
    assert data == json.loads(report.model_dump_json())
    assert load_report(out) == report


def test_json_always_includes_info() -> None:
    for options in ({}, {"show_info": False}, {"show_info": True}):
        ids = [f["id"] for f in json.loads(render("json", **options))["findings"]]
        assert ids == ["F001", "F002", "F003"]


def test_json_indent_and_trailing_newline() -> None:
    out = render("json")
    assert out.startswith('{\n  "schema_version": 1,\n')
    assert out.endswith("}\n")


# --------------------------------------------------------------------------- schema


def test_schema_file_is_up_to_date() -> None:
    assert SCHEMA_PATH.exists(), "docs/report.schema.json missing; run: python3 scripts/write_schema.py"
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "docs/report.schema.json is out of date with checker/models.py; run: python3 scripts/write_schema.py"
    )


def test_write_schema_check_mode() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "write_schema.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("report", [sample_report(), empty_report()], ids=["sample", "empty"])
def test_json_validates_against_schema(report) -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(render("json", report=report)))


def test_schema_rejects_broken_reports() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))
    data = json.loads(render("json"))
    data["findings"][0]["severity"] = "fatal"
    assert not validator.is_valid(data)
    data = json.loads(render("json"))
    del data["schema_version"]
    assert not validator.is_valid(data)
    data = json.loads(render("json"))
    data["surprise"] = 1
    assert not validator.is_valid(data)
