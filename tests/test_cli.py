"""The command line through Typer's runner: exit codes 0/1/2, one-line errors, outputs."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from typer.testing import CliRunner

from cli import app
from tests.paths import FIXTURES, PROJECT
from tests.test_ci_reporters import sarif_validator

REPORT_SCHEMA = json.loads((PROJECT / "docs" / "report.schema.json").read_text(encoding="utf-8"))

CORPUS = FIXTURES / "harbor-summit"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(arg) for arg in args])


def assert_one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("check: error: ")
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0]


def test_help_lists_the_options() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for option in ("--format", "--output", "--fail-on", "--show-info", "--explain", "--model", "--strict"):
        assert option in result.stdout


def test_help_does_not_import_torch() -> None:
    probe = "import sys, cli\ntry:\n    cli.app(['--help'], prog_name='check')\nexcept SystemExit:\n    pass\nprint('torch' in sys.modules, 'faiss' in sys.modules, 'spacy' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=PROJECT, check=True)
    assert completed.stdout.strip().splitlines()[-1] == "False False False"


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("check ")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["no/such/dir"], ["no/such/dir", "no such file"]),
        (["--frobnicate", str(CORPUS)], ["--frobnicate"]),
        (["--format", "xml", str(CORPUS)], ["xml", "json", "text"]),
        (["--fail-on", "sometimes", str(CORPUS)], ["sometimes"]),
        (["--threshold", "1.5", str(CORPUS)], ["--threshold"]),
        ([], ["paths"]),
        (["--select", "numbers", str(CORPUS)], ["--select", "'numbers'", "did you mean 'number'"]),
        (["--ignore", "number,date,role,place,negation,certainty,quote,score", str(CORPUS)], ["no kind"]),
    ],
    ids=[
        "missing-path", "unknown-option", "unknown-format", "bad-fail-on", "threshold-out-of-range", "no-path",
        "unknown-kind", "every-kind-ignored",
    ],
)
def test_usage_and_input_errors_exit_2_with_one_line(args: list[str], words: list[str]) -> None:
    assert_one_line_error(run(*args), *words)


def test_a_bad_choice_is_worded_for_the_user_not_by_the_validator() -> None:
    result = run("--fail-on", "sometimes", CORPUS)
    assert_one_line_error(result, "'sometimes' is not one of", "'warning'")
    assert "Value error" not in result.stderr


def test_a_model_path_that_is_not_a_model_exits_2(tmp_path) -> None:
    assert_one_line_error(run("--model", tmp_path / "nothing-here", CORPUS), "nothing-here")


@pytest.mark.model
def test_conflicts_exit_1() -> None:
    result = run(CORPUS)
    assert result.exit_code == 1
    assert "CONFLICT" in result.stdout
    assert result.stderr == ""


@pytest.mark.model
def test_select_and_ignore_narrow_the_kinds(tmp_path) -> None:
    everything = json.loads(run("--format", "json", CORPUS).stdout)
    assert {finding["kind"] for finding in everything["findings"]} >= {"number", "date", "role"}

    numbers = run("--format", "json", "--select", "number", CORPUS)
    assert numbers.exit_code == 1
    report = json.loads(numbers.stdout)
    assert report["kinds"] == ["number"]
    assert report["findings"] == [finding for finding in everything["findings"] if finding["kind"] == "number"]

    (tmp_path / "check.toml").write_text('ignore = ["number"]\n')
    text = run("--config", tmp_path / "check.toml", "--ignore", "date", CORPUS).stdout
    assert text.splitlines()[1] == "  not looked for: date", "the command line's --ignore wins over the file's"
    assert "CONFLICT number" in text


@pytest.mark.model
def test_fail_on_never_exits_0() -> None:
    assert run("--fail-on", "never", CORPUS).exit_code == 0


@pytest.mark.model
def test_agreeing_sources_exit_0(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("The council approved a $2.4 billion fund for new bridges on Tuesday.\n")
    (tmp_path / "b.txt").write_text("On Tuesday the council backed a $2.4bn fund for bridges.\n")
    result = run("--format", "json", tmp_path)
    assert result.exit_code == 0, result.stdout
    findings = json.loads(result.stdout)["findings"]
    assert findings and {finding["severity"] for finding in findings} == {"info"}


@pytest.mark.model
def test_fail_on_warning_counts_conflicts_too() -> None:
    assert run("--fail-on", "warning", CORPUS).exit_code == 1


@pytest.mark.model
def test_output_file_gets_the_report_and_stdout_stays_empty(tmp_path) -> None:
    target = tmp_path / "report.json"
    result = run("--format", "json", "--output", target, CORPUS)
    assert result.exit_code == 1
    assert result.stdout == ""
    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["summary"]["documents"] == 5
    assert [path.name for path in tmp_path.iterdir()] == ["report.json"]


@pytest.mark.model
def test_bad_file_next_to_good_one_is_skipped_and_listed() -> None:
    result = run("--format", "json", FIXTURES / "bad-inputs")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    skipped = {entry["path"]: entry["reason"] for entry in report["skipped"]}
    assert {"empty.txt", "binary.txt", "latin1.txt", "notes.rtf"} <= set(skipped)
    assert {document["doc_id"] for document in report["documents"]} >= {"good.txt", "broken.html"}


@pytest.mark.model
def test_strict_turns_skipped_files_into_exit_2() -> None:
    assert_one_line_error(run("--strict", FIXTURES / "bad-inputs"), "--strict", "skipped")


@pytest.mark.model
def test_unwritable_output_exits_2(tmp_path) -> None:
    assert_one_line_error(run("--output", tmp_path / "missing-dir" / "r.txt", CORPUS), "cannot write")


# --------------------------------------------------------------------------- several drafts, every format

DRAFT = FIXTURES / "drafts" / "summit-draft.md"
FIXED = FIXTURES / "drafts" / "summit-draft-fixed.md"
FORMATS = ["text", "json", "html", "github", "sarif", "junit", "gitlab", "markdown"]


def check_format(fmt: str, text: str) -> None:
    """The output is well-formed for its format (JSON parses, XML parses, SARIF validates ...)."""
    if fmt == "json":
        for report in always_list(json.loads(text)):
            jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(report)
    elif fmt == "sarif":
        sarif_validator().validate(json.loads(text))
    elif fmt == "junit":
        assert ET.fromstring(text.encode("utf-8")).tag == "testsuites"
    elif fmt == "gitlab":
        fingerprints = [issue["fingerprint"] for issue in json.loads(text)]
        assert len(fingerprints) == len(set(fingerprints))
    elif fmt == "html":
        assert text.lstrip().lower().startswith("<!doctype html")


def always_list(value):
    return value if isinstance(value, list) else [value]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    directory = tmp_path_factory.mktemp("cli-index") / ".check-index"
    result = run("--write-index", directory, CORPUS)
    assert result.exit_code == 0, result.output
    return directory


@pytest.mark.model
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_in_draft_mode(fmt: str, index) -> None:
    result = run("--draft", DRAFT, "--index", index, "--format", fmt)
    assert result.exit_code == 1, result.output
    check_format(fmt, result.stdout)
    assert "summit-draft.md" in result.stdout


@pytest.mark.model
@pytest.mark.parametrize("fmt", [fmt for fmt in FORMATS if fmt not in {"text", "json"}])
def test_every_format_in_corpus_mode(fmt: str) -> None:
    result = run(CORPUS, "--format", fmt)
    assert result.exit_code == 1, result.output
    check_format(fmt, result.stdout)
    assert "ledger.md" in result.stdout


@pytest.mark.model
@pytest.mark.parametrize("fmt", [fmt for fmt in FORMATS if fmt != "html"])
def test_several_drafts_give_one_valid_output(fmt: str, index) -> None:
    result = run("-d", DRAFT, "-d", FIXED, "--index", index, "--format", fmt)
    assert result.exit_code == 1, result.output  # the worst draft decides
    check_format(fmt, result.stdout)
    assert "summit-draft.md" in result.stdout and "summit-draft-fixed.md" in result.stdout
    if fmt == "json":
        assert [report["draft"] for report in json.loads(result.stdout)] == [DRAFT.as_posix(), FIXED.as_posix()]
    elif fmt == "sarif":
        (only_run,) = json.loads(result.stdout)["runs"]
        assert only_run["properties"]["drafts"] == [DRAFT.as_posix(), FIXED.as_posix()]
        rules = [rule["id"] for rule in only_run["tool"]["driver"]["rules"]]
        assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in only_run["results"])
    elif fmt == "junit":
        root = ET.fromstring(result.stdout.encode("utf-8"))
        suites = root.findall("testsuite")
        assert len(suites) == 2
        for count in ("tests", "failures", "skipped"):
            assert int(root.get(count)) == sum(int(suite.get(count)) for suite in suites)
        assert int(suites[0].get("failures")) >= 1 and suites[1].get("failures") == "0"


@pytest.mark.model
def test_several_drafts_pass_when_every_draft_passes(index) -> None:
    result = run("-d", FIXED, "-d", FIXED, "--index", index, "--format", "json")
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), dict)  # given twice, checked once


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--no-config", "--drafts", str(FIXED)], ["--drafts", "--index", "sources"]),
        (["--no-config", "--drafts", str(CORPUS), "--index", "x"], [str(CORPUS), "directory", "--drafts"]),
        (["--no-config", "-d", str(CORPUS), "x"], [str(CORPUS), "directory"]),
        (["--no-config", "-d", str(DRAFT), "-d", str(FIXED), "-f", "html", str(CORPUS)], ["html", "one draft"]),
        (["--no-config", "--write-index", "x", "-d", str(DRAFT), str(CORPUS)], ["--write-index", "no drafts"]),
        (["--no-config", "-d", str(DRAFT)], ["sources"]),
    ],
    ids=["drafts-without-sources", "drafts-directory", "draft-directory", "html-several", "write-index-drafts", "no-sources"],
)
def test_draft_usage_errors_exit_2_with_one_line(args: list[str], words: list[str]) -> None:
    assert_one_line_error(run(*args), *words)


def test_drafts_flag_without_files_has_nothing_to_check() -> None:
    result = run("--no-config", "--drafts")
    assert result.exit_code == 0 and "nothing to check" in result.stderr and result.stdout == ""


# --------------------------------------------------------------------------- baselines and configuration


@pytest.mark.model
def test_baseline_round_trip_over_several_drafts(tmp_path, index) -> None:
    baseline = tmp_path / "baseline.json"
    drafts = ["-d", DRAFT, "-d", FIXED, "--index", index, "--fail-on", "unverified"]
    written = run(*drafts, "--write-baseline", baseline)
    assert written.exit_code == 0 and "recorded" in written.stderr
    statuses = {entry["status"] for entry in json.loads(baseline.read_text(encoding="utf-8"))["accepted"]}
    assert statuses == {"contradicted", "disputed", "unverified"}

    accepted = run(*drafts, "--baseline", baseline)
    assert accepted.exit_code == 0, accepted.output
    assert "known problem(s) accepted" in accepted.stderr

    edited = tmp_path / "edited.md"
    edited.write_text(DRAFT.read_text(encoding="utf-8").replace("3,500 jobs", "4,200 jobs"), encoding="utf-8")
    new_problem = run("-d", edited, "--index", index, "--fail-on", "unverified", "--baseline", baseline, "-f", "json")
    assert new_problem.exit_code == 1
    claims = json.loads(new_problem.stdout)["claims"]
    assert [c["claim"]["span"] for c in claims if c["verdict"] != "supported" or c["disputed"]] == ["4,200 jobs"]


@pytest.mark.model
def test_refreshing_the_configured_baseline_keeps_the_accepted_problems(tmp_path, monkeypatch, index) -> None:
    baseline = tmp_path / "baseline.json"
    assert run("--no-config", "-d", DRAFT, "--index", index, "--write-baseline", baseline).exit_code == 0
    before = baseline.read_text(encoding="utf-8")
    (tmp_path / "check.toml").write_text('baseline = "baseline.json"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("-d", DRAFT, "--index", index, "--write-baseline", baseline).exit_code == 0
    assert baseline.read_text(encoding="utf-8") == before


@pytest.mark.model
@pytest.mark.parametrize("config_file", ["check.toml", "pyproject.toml"])
def test_configuration_is_found_upwards(tmp_path, monkeypatch, index, config_file: str) -> None:
    table = "[tool.check]\n" if config_file == "pyproject.toml" else ""
    settings = f'{table}sources = ["{CORPUS.as_posix()}"]\nindex = "{index.as_posix()}"\nformat = "json"\n'
    (tmp_path / config_file).write_text(settings, encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    monkeypatch.chdir(tmp_path / "drafts")
    result = run("-d", FIXED)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["documents"] == 6
    assert_one_line_error(run("--no-config", "-d", FIXED), "sources")


def test_a_broken_configuration_file_exits_2(tmp_path, monkeypatch) -> None:
    (tmp_path / "check.toml").write_text('fail_on = "never"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert_one_line_error(run(CORPUS), "check.toml", "fail_on", "fail-on")


@pytest.mark.model
def test_a_configured_index_does_not_stop_a_corpus_run(tmp_path, monkeypatch, index) -> None:
    (tmp_path / "check.toml").write_text(f'index = "{index.as_posix()}"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(CORPUS, "--fail-on", "never")
    assert result.exit_code == 0, result.output
    assert "CONFLICT" in result.stdout
