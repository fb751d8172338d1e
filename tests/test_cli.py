"""The command line through Typer's runner: exit codes 0/1/2, one-line errors, outputs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from cli import app
from tests.paths import FIXTURES, PROJECT

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
    ],
    ids=["missing-path", "unknown-option", "unknown-format", "bad-fail-on", "threshold-out-of-range", "no-path"],
)
def test_usage_and_input_errors_exit_2_with_one_line(args: list[str], words: list[str]) -> None:
    assert_one_line_error(run(*args), *words)


def test_a_model_path_that_is_not_a_model_exits_2(tmp_path) -> None:
    assert_one_line_error(run("--model", tmp_path / "nothing-here", CORPUS), "nothing-here")


@pytest.mark.model
def test_conflicts_exit_1() -> None:
    result = run(CORPUS)
    assert result.exit_code == 1
    assert "CONFLICT" in result.stdout
    assert result.stderr == ""


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
    assert [finding["severity"] for finding in findings] == ["info"]


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
