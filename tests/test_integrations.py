"""The pre-commit hook and the GitHub Action: their files parse, and they call check the way it accepts.

The hook's entry is run as pre-commit runs it (staged file names appended); the action's shell
steps are run by bash as the runner would, in a scratch git repository and on the fixtures.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cli import app
from tests.paths import FIXTURES, PROJECT

yaml = pytest.importorskip("yaml", reason="PyTorch's dependencies normally bring PyYAML; without it the files cannot be read")

SOURCES = FIXTURES / "harbor-summit"
DRAFT = FIXTURES / "drafts" / "summit-draft.md"
FIXED = FIXTURES / "drafts" / "summit-draft-fixed.md"
ZERO_SHA = "0" * 40
runner = CliRunner()


def load_yaml(name: str):
    return yaml.safe_load((PROJECT / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hook() -> dict:
    (only,) = load_yaml(".pre-commit-hooks.yaml")
    return only


@pytest.fixture(scope="module")
def action() -> dict:
    return load_yaml("action.yml")


def step(action: dict, name: str) -> dict:
    (found,) = [item for item in action["runs"]["steps"] if item.get("name") == name]
    return found


def entry_arguments(hook: dict) -> list[str]:
    """The hook's entry without the program: what check receives before the file names."""
    program, *arguments = shlex.split(hook["entry"])
    assert program == "check"  # the console script pyproject.toml installs
    return arguments


# --------------------------------------------------------------------------- pre-commit


def test_hook_runs_check_once_on_draft_files(hook: dict) -> None:
    assert hook["id"] == "check-drafts" and hook["language"] == "python"
    assert hook["require_serial"] is True  # one process: one model load for every staged file
    assert "torch==2.13.0" in hook["additional_dependencies"]
    files = re.compile(hook["files"])
    assert all(files.search(name) for name in ["story.md", "drafts/a.txt", "b.html", "c.htm"])
    assert not any(files.search(name) for name in ["cli.py", "story.md.orig", "notes.rtf"])


def test_hook_entry_makes_the_staged_files_drafts(hook: dict) -> None:
    command = typer.main.get_command(app)
    context = command.make_context("check", [*entry_arguments(hook), "drafts/a.md", "drafts/b.md"])
    assert context.params["paths_are_drafts"] is True
    assert context.params["paths"] == [Path("drafts/a.md"), Path("drafts/b.md")]


@pytest.mark.model
def test_hook_as_pre_commit_runs_it(hook: dict, tmp_path, monkeypatch) -> None:
    # With an index the second run reads the sources' vectors instead of embedding them again.
    settings = f'sources = ["{SOURCES.as_posix()}"]\nindex = ".check-index"\n'
    (tmp_path / "check.toml").write_text(settings, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [*entry_arguments(hook), "--format", "github", str(DRAFT), str(FIXED)])
    assert result.exit_code == 1, result.output
    assert f"::error file={DRAFT.as_posix()}" in result.stdout
    assert f"::warning file={FIXED.as_posix()}" in result.stdout
    fixed_only = runner.invoke(app, [*entry_arguments(hook), str(FIXED)])
    assert fixed_only.exit_code == 0, fixed_only.output


# --------------------------------------------------------------------------- GitHub Action


def test_action_is_composite_and_pins_torch(action: dict) -> None:
    assert action["runs"]["using"] == "composite"
    assert {"drafts", "sources", "index", "changed-only", "base", "fail-on", "format", "output", "args"} <= set(
        action["inputs"]
    )
    assert action["inputs"]["format"]["default"] == "github"
    install = step(action, "Install check")["run"]
    assert "torch==2.13.0" in install and '"$ACTION_PATH"' in install


def test_action_scripts_read_inputs_only_from_the_environment(action: dict) -> None:
    """An input pasted into a script could inject shell code; and every input used must be declared."""
    for item in action["runs"]["steps"]:
        assert "${{" not in item.get("run", ""), item.get("name")
    used = set(re.findall(r"\$\{\{\s*inputs\.([\w-]+)", (PROJECT / "action.yml").read_text(encoding="utf-8")))
    assert used <= set(action["inputs"])


def test_example_workflow_passes_only_declared_inputs(action: dict) -> None:
    workflow = load_yaml("examples/github-workflow.yml")
    uses = [item for job in workflow["jobs"].values() for item in job["steps"] if "/check@" in item.get("uses", "")]
    assert uses, "the example does not use the action"
    required = {name for name, spec in action["inputs"].items() if spec.get("required")}
    for item in uses:
        assert required <= set(item["with"]) <= set(action["inputs"])


def bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    if shutil.which("bash") is None:
        pytest.skip("the action's steps are bash scripts and bash is not installed")
    return subprocess.run(["bash", "-c", script], cwd=cwd, env={**os.environ, **env}, capture_output=True, text=True)


def git(repository: Path, *arguments: str) -> str:
    identity = ["-c", "user.name=check tests", "-c", "user.email=tests@example.invalid", "-c", "commit.gpgsign=false"]
    completed = subprocess.run(["git", *identity, *arguments], cwd=repository, capture_output=True, text=True, check=True)
    return completed.stdout.strip()


@pytest.fixture
def repository(tmp_path: Path) -> tuple[Path, str]:
    """A git repository whose last commit edits one draft, adds one, deletes one and edits a non-draft."""
    if shutil.which("git") is None:
        pytest.skip("the action finds changed drafts with git, which is not installed")
    root = tmp_path / "repository"
    (root / "drafts" / "old").mkdir(parents=True)
    for name in ["drafts/edited.md", "drafts/deleted.md", "drafts/old/kept.md", "README.md"]:
        (root / name).write_text(f"{name}\n", encoding="utf-8")
    git(root, "init", "--quiet")
    git(root, "add", ".")
    git(root, "commit", "--quiet", "-m", "base")
    base = git(root, "rev-parse", "HEAD")
    (root / "drafts" / "edited.md").write_text("edited\n", encoding="utf-8")
    (root / "drafts" / "old" / "new story.md").write_text("new\n", encoding="utf-8")
    (root / "drafts" / "deleted.md").unlink()
    (root / "README.md").write_text("edited\n", encoding="utf-8")
    git(root, "add", "--all")
    git(root, "commit", "--quiet", "-m", "head")
    return root, base


def find_drafts(action: dict, root: Path, tmp_path: Path, **inputs: str) -> tuple[list[str], str]:
    output = tmp_path / "github-output"
    output.write_text("", encoding="utf-8")
    environment = {"RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(output), **inputs}
    completed = bash(step(action, "Find the drafts")["run"], root, environment)
    assert completed.returncode == 0, completed.stderr
    listed = (tmp_path / "check-drafts.list").read_text(encoding="utf-8").split("\0")[:-1]
    return listed, output.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("changed_only", "base", "expected"),
    [
        ("true", "BASE", ["drafts/edited.md", "drafts/old/new story.md"]),
        ("false", "BASE", ["drafts/edited.md", "drafts/old/kept.md", "drafts/old/new story.md"]),
        ("true", ZERO_SHA, ["drafts/edited.md", "drafts/old/kept.md", "drafts/old/new story.md"]),
        ("true", "", ["drafts/edited.md", "drafts/old/kept.md", "drafts/old/new story.md"]),
    ],
    ids=["changed-since-base", "every-draft", "new-branch", "no-base"],
)
def test_action_finds_the_drafts(action, repository, tmp_path, changed_only: str, base: str, expected) -> None:
    root, base_sha = repository
    inputs = {"DRAFTS": "drafts/**/*.md", "CHANGED_ONLY": changed_only, "BASE": base.replace("BASE", base_sha)}
    listed, outputs = find_drafts(action, root, tmp_path, **inputs)
    assert sorted(listed) == expected
    assert f"count={len(expected)}\n" in outputs


def test_action_refuses_an_empty_drafts_input(action, repository, tmp_path) -> None:
    root, base = repository
    environment = {"RUNNER_TEMP": str(tmp_path), "GITHUB_OUTPUT": str(tmp_path / "out"), "DRAFTS": " ", "BASE": base}
    completed = bash(step(action, "Find the drafts")["run"], root, {**environment, "CHANGED_ONLY": "true"})
    assert completed.returncode == 2 and "::error" in completed.stdout


@pytest.mark.model
def test_action_checks_the_drafts_with_check(action, tmp_path) -> None:
    """The check step as the runner runs it, with `check` the project's own CLI."""
    shim = tmp_path / "bin" / "check"
    shim.parent.mkdir()
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{PROJECT / "cli.py"}" "$@"\n', encoding="utf-8")
    shim.chmod(0o755)
    drafts = [DRAFT.relative_to(PROJECT).as_posix(), FIXED.relative_to(PROJECT).as_posix()]
    (tmp_path / "check-drafts.list").write_text("".join(f"{draft}\0" for draft in drafts), encoding="utf-8")
    environment = {
        "PATH": f"{shim.parent}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(tmp_path),
        "SOURCES": SOURCES.relative_to(PROJECT).as_posix(),
        "INDEX": str(tmp_path / ".check-index"),
        "FAIL_ON": "",
        "FORMAT": "github",
        "OUTPUT": "",
        "ARGS": "--no-config",
    }
    completed = bash(step(action, "Check the drafts")["run"], PROJECT, environment)
    assert completed.returncode == 1, completed.stderr
    assert f"::error file={drafts[0]}," in completed.stdout
    assert f"::warning file={drafts[1]}," in completed.stdout
    assert "check: error" not in completed.stderr
