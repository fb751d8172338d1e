"""Configuration discovery, validation and precedence (checker.config)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.config import (
    EffectiveOptions,
    ExcludeRules,
    FileConfig,
    LoadedConfig,
    find_config,
    load_config,
    merge,
)
from checker.errors import UsageError

PYPROJECT_WITHOUT_TABLE = '[project]\nname = "newsroom"\n'


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project root with a nested working directory; the working directory is the tmp root."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "project" / "desk" / "stories").mkdir(parents=True)
    return tmp_path


# --------------------------------------------------------------------------- discovery


@pytest.mark.parametrize(
    ("files", "start", "expected"),
    [
        pytest.param({"project/check.toml": "threshold = 0.5\n"}, "project", "project/check.toml", id="here"),
        pytest.param(
            {"project/check.toml": "threshold = 0.5\n"}, "project/desk/stories", "project/check.toml", id="walk-up"
        ),
        pytest.param(
            {"project/pyproject.toml": "[tool.check]\nthreshold = 0.5\n"},
            "project/desk",
            "project/pyproject.toml",
            id="pyproject",
        ),
        pytest.param(
            {"project/check.toml": "threshold = 0.5\n", "project/pyproject.toml": "[tool.check]\nthreshold = 0.6\n"},
            "project",
            "project/check.toml",
            id="both-check-toml-wins",
        ),
        pytest.param(
            {"project/check.toml": "threshold = 0.5\n", "project/desk/pyproject.toml": PYPROJECT_WITHOUT_TABLE},
            "project/desk/stories",
            "project/check.toml",
            id="pyproject-without-table-keeps-walking",
        ),
        pytest.param(
            {"project/check.toml": "threshold = 0.5\n", "project/desk/check.toml": "threshold = 0.7\n"},
            "project/desk/stories",
            "project/desk/check.toml",
            id="nearest-wins",
        ),
        pytest.param(
            {"project/pyproject.toml": "[tool.check]\n", "project/desk/check.toml": ""},
            "project/desk",
            "project/desk/check.toml",
            id="empty-files-still-count",
        ),
        pytest.param({}, "project/desk", None, id="no-file"),
        pytest.param(
            {"project/pyproject.toml": PYPROJECT_WITHOUT_TABLE}, "project", None, id="only-pyproject-without-table"
        ),
        pytest.param(
            {"project/pyproject.toml": "[tool.black]\nline-length = 100\n"}, "project", None, id="other-tools-only"
        ),
    ],
)
def test_find_config(tree: Path, files: dict[str, str], start: str, expected: str | None) -> None:
    for name, text in files.items():
        write(tree / name, text)
    loaded = find_config(tree / start)
    if expected is None:
        assert loaded is None
    else:
        assert loaded is not None
        assert loaded.path == tree / expected
        assert loaded.table == ("tool.check" if expected.endswith("pyproject.toml") else None)


def test_find_config_defaults_to_working_directory(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tree / "project/check.toml", 'fail-on = "warning"\n')
    monkeypatch.chdir(tree / "project/desk/stories")
    loaded = find_config()
    assert loaded is not None and loaded.config.fail_on == "warning"


def test_find_config_from_a_file_starts_in_its_directory(tree: Path) -> None:
    write(tree / "project/check.toml", "strict = true\n")
    story = write(tree / "project/desk/story.md", "# A story\n")
    loaded = find_config(story)
    assert loaded is not None and loaded.config.strict is True


# --------------------------------------------------------------------------- keys and values


def test_every_key(tree: Path) -> None:
    path = write(
        tree / "project/check.toml",
        """
format = "json"
fail-on = "warning"
show-info = true
explain = false
threshold = 0.4
model = "models/minilm"
strict = true
baseline = ".check/baseline.json"
index = "../shared-index"
sources = ["sources", "wires/ap"]
exclude = ["drafts/", "*.tmp.md"]
select = ["number", "Date"]
ignore = ["role"]
""",
    )
    config = load_config(path).config
    root = tree / "project"
    assert config == FileConfig(
        format="json",
        fail_on="warning",
        show_info=True,
        explain=False,
        threshold=0.4,
        model=root / "models/minilm",
        strict=True,
        baseline=root / ".check/baseline.json",
        index=tree / "shared-index",
        sources=[root / "sources", root / "wires/ap"],
        exclude=["drafts/", "*.tmp.md"],
        select=["number", "date"],
        ignore=["role"],
    )


def test_pyproject_table(tree: Path) -> None:
    path = write(
        tree / "project/pyproject.toml",
        '[project]\nname = "x"\n\n[tool.check]\nthreshold = 1\nsources = ["src"]\n\n[tool.other]\nthreshold = "x"\n',
    )
    loaded = load_config(path)
    assert loaded.table == "tool.check"
    assert loaded.config.threshold == 1.0
    assert loaded.config.sources == [tree / "project/src"]


def test_unset_keys_are_none(tree: Path) -> None:
    config = load_config(write(tree / "check.toml", "# nothing yet\n")).config
    assert all(value is None for value in config.model_dump().values())


def test_home_in_paths_is_expanded(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tree / "home"))
    config = load_config(write(tree / "check.toml", 'model = "~/models/minilm"\n')).config
    assert config.model == tree / "home/models/minilm"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        pytest.param(
            "check.toml",
            "treshold = 0.5\n",
            "check.toml: unknown key 'treshold' (did you mean 'threshold'?)",
            id="typo",
        ),
        pytest.param(
            "pyproject.toml",
            "[tool.check]\ntreshold = 0.5\n",
            "pyproject.toml: unknown key 'treshold' in [tool.check] (did you mean 'threshold'?)",
            id="typo-in-pyproject",
        ),
        pytest.param(
            "check.toml",
            'fail_on = "warning"\n',
            "check.toml: unknown key 'fail_on' (did you mean 'fail-on'?)",
            id="snake-case",
        ),
        pytest.param("check.toml", "colour = true\n", "check.toml: unknown key 'colour'", id="no-suggestion"),
        pytest.param(
            "check.toml",
            "[threshold]\nvalue = 1\n",
            "check.toml: 'threshold' must be a number between 0 and 1 (got a table)",
            id="table-for-number",
        ),
        pytest.param(
            "check.toml",
            'threshold = "0.5"\n',
            'check.toml: \'threshold\' must be a number between 0 and 1 (got "0.5")',
            id="string-for-number",
        ),
        pytest.param(
            "check.toml",
            "threshold = 1.5\n",
            "check.toml: 'threshold' must be a number between 0 and 1 (got 1.5)",
            id="out-of-range",
        ),
        pytest.param(
            "check.toml",
            "threshold = nan\n",
            "check.toml: 'threshold' must be a number between 0 and 1 (got nan)",
            id="nan",
        ),
        pytest.param(
            "check.toml",
            "threshold = true\n",
            "check.toml: 'threshold' must be a number between 0 and 1 (got true)",
            id="bool-for-number",
        ),
        pytest.param(
            "check.toml",
            'strict = "yes"\n',
            'check.toml: \'strict\' must be true or false (got "yes")',
            id="string-for-bool",
        ),
        pytest.param(
            "check.toml", "show-info = 1\n", "check.toml: 'show-info' must be true or false (got 1)", id="int-for-bool"
        ),
        pytest.param(
            "check.toml",
            'fail-on = "error"\n',
            "check.toml: 'fail-on' must be one of 'conflict', 'contradicted', 'warning', 'unverified', 'never' "
            '(got "error")',
            id="bad-choice",
        ),
        pytest.param(
            "check.toml",
            'format = "pdf"\n',
            "check.toml: 'format' must be one of ",
            id="bad-format",
        ),
        pytest.param(
            "check.toml",
            'sources = "sources"\n',
            "check.toml: 'sources' must be a list of paths (strings) (got \"sources\")",
            id="string-for-list",
        ),
        pytest.param(
            "check.toml",
            "sources = [1, 2]\n",
            "check.toml: 'sources' must be a list of paths (strings) (got an array)",
            id="list-of-ints",
        ),
        pytest.param(
            "check.toml", 'model = ""\n', "check.toml: 'model' must be a path (a non-empty string)", id="empty-path"
        ),
        pytest.param(
            "check.toml",
            'exclude = ["[abc"]\n',
            "check.toml: 'exclude' must be a list of glob patterns ('[' without ']' in '[abc')",
            id="bad-glob",
        ),
        pytest.param(
            "pyproject.toml",
            "[tool]\ncheck = 3\n",
            "pyproject.toml: 'tool.check' must be a table, not 3",
            id="tool-check-not-table",
        ),
        pytest.param(
            "check.toml",
            'select = ["numbers"]\n',
            "check.toml: 'select' must be a list of detector kinds, each one of 'certainty', 'date',",
            id="unknown-kind",
        ),
        pytest.param(
            "check.toml",
            'ignore = "role"\n',
            "check.toml: 'ignore' must be a list of detector kinds",
            id="kind-not-in-a-list",
        ),
    ],
)
def test_invalid_values_name_the_file_and_key(tree: Path, name: str, text: str, message: str) -> None:
    path = write(tree / name, text)
    with pytest.raises(UsageError) as caught:
        load_config(path)
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


def test_invalid_value_found_by_discovery(tree: Path) -> None:
    write(tree / "project/check.toml", "treshold = 0.5\n")
    with pytest.raises(UsageError, match=r"^project/check.toml: unknown key 'treshold'"):
        find_config(tree / "project/desk")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param("threshold = 0.5\nfail-on = \n", "check.toml:2:", id="missing-value"),
        pytest.param("threshold = 0.5\nthreshold = 0.6\n", "check.toml:2:", id="duplicate-key"),
        pytest.param("[tool.check\n", "check.toml:1:", id="unclosed-table"),
        pytest.param('\n\nformat = "json\n', "check.toml:3:", id="unterminated-string"),
    ],
)
def test_invalid_toml_names_file_and_line(tree: Path, text: str, where: str) -> None:
    path = write(tree / "check.toml", text)
    with pytest.raises(UsageError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(where) and "invalid TOML" in message, message
    assert "\n" not in message


def test_invalid_toml_in_pyproject_stops_discovery(tree: Path) -> None:
    """A broken pyproject.toml cannot be checked for [tool.check], so it is an error, not skipped."""
    write(tree / "project/pyproject.toml", "[project\n")
    with pytest.raises(UsageError, match=r"pyproject.toml:1:\d+: invalid TOML"):
        find_config(tree / "project/desk")


def test_not_utf8(tree: Path) -> None:
    path = tree / "check.toml"
    path.write_bytes(b"threshold = 0.5 # caf\xe9\n")
    with pytest.raises(UsageError, match=r"check.toml: not valid UTF-8"):
        load_config(path)


def test_explicit_file_with_any_name(tree: Path) -> None:
    path = write(tree / "ci/check-ci.toml", 'fail-on = "warning"\nbaseline = "baseline.json"\n')
    loaded = load_config(path)
    assert loaded.config.fail_on == "warning"
    assert loaded.config.baseline == tree / "ci/baseline.json"


def test_explicit_pyproject_needs_the_table(tree: Path) -> None:
    path = write(tree / "pyproject.toml", PYPROJECT_WITHOUT_TABLE)
    with pytest.raises(UsageError, match=r"^pyproject.toml: no \[tool.check\] table$"):
        load_config(path)


@pytest.mark.parametrize("make", [lambda root: root / "missing.toml", lambda root: root / "project"])
def test_explicit_file_missing_or_directory(tree: Path, make) -> None:
    with pytest.raises(UsageError, match=r"configuration file|not a configuration file"):
        load_config(make(tree))


# --------------------------------------------------------------------------- precedence


def loaded(tree: Path, text: str) -> LoadedConfig:
    return load_config(write(tree / "project/check.toml", text))


def test_defaults_without_config_or_cli() -> None:
    options = merge(None, {})
    assert options == EffectiveOptions(origins=options.origins)
    assert set(options.origins.values()) == {"default"}
    assert options.threshold == 0.35 and options.fail_on == "conflict" and options.format == "text"


@pytest.mark.parametrize(
    ("file_text", "cli", "field", "value", "origin"),
    [
        pytest.param("threshold = 0.5\n", {}, "threshold", 0.5, "config", id="file-over-default"),
        pytest.param("threshold = 0.5\n", {"threshold": 0.7}, "threshold", 0.7, "cli", id="cli-over-file"),
        pytest.param("", {"threshold": 0.7}, "threshold", 0.7, "cli", id="cli-over-default"),
        pytest.param("strict = true\n", {"strict": False}, "strict", False, "cli", id="cli-false-over-file-true"),
        pytest.param("show-info = true\n", {}, "show_info", True, "config", id="file-bool"),
        pytest.param('fail-on = "never"\n', {}, "fail_on", "never", "config", id="file-fail-on"),
        pytest.param('fail-on = "unverified"\n', {}, "fail_on", "unverified", "config", id="file-fail-on-draft-level"),
        pytest.param(
            'fail-on = "unverified"\n', {"fail_on": "contradicted"}, "fail_on", "contradicted", "cli", id="cli-fail-on"
        ),
        pytest.param('format = "json"\n', {"format": "html"}, "format", "html", "cli", id="cli-format"),
        pytest.param(
            "threshold = 0.5\n", {"threshold": None}, "threshold", 0.5, "config", id="cli-none-means-not-given"
        ),
        pytest.param("", {}, "explain", False, "default", id="default"),
        pytest.param('ignore = ["role"]\n', {}, "ignore", ["role"], "config", id="file-ignore"),
        pytest.param('select = ["date"]\n', {"select": ["number"]}, "select", ["number"], "cli", id="cli-select"),
        pytest.param("", {}, "select", None, "default", id="select-default-is-every-kind"),
    ],
)
def test_precedence(tree: Path, file_text: str, cli: dict, field: str, value: object, origin: str) -> None:
    options = merge(loaded(tree, file_text), cli)
    assert getattr(options, field) == value
    assert options.origins[field] == origin


def test_cli_enum_and_paths_are_normalised(tree: Path) -> None:
    from enum import Enum

    class FailOn(str, Enum):
        warning = "warning"

    options = merge(loaded(tree, 'sources = ["a"]\n'), {"fail_on": FailOn.warning, "sources": ["x", Path("y")]})
    assert options.fail_on == "warning"
    assert options.sources == [Path("x"), Path("y")]


def test_sources_from_file_when_no_paths_on_cli(tree: Path) -> None:
    options = merge(loaded(tree, 'sources = ["wires", "../archive"]\n'), {})
    assert options.sources == [tree / "project/wires", tree / "archive"]
    assert options.config_path == tree / "project/check.toml"


def test_merge_accepts_a_bare_file_config() -> None:
    options = merge(FileConfig(threshold=0.9), {})
    assert options.threshold == 0.9 and options.config_path is None


def test_merge_rejects_unknown_cli_names() -> None:
    with pytest.raises(ValueError, match="not an option: treshold"):
        merge(None, {"treshold": 0.5})


def test_merge_rejects_out_of_range_cli_value() -> None:
    with pytest.raises(UsageError, match="^--threshold: "):
        merge(None, {"threshold": 3.0})


# --------------------------------------------------------------------------- exclude


@pytest.mark.parametrize(
    ("pattern", "path", "excluded"),
    [
        ("drafts", "sources/drafts/a.md", True),
        ("drafts/", "drafts/a.md", True),
        ("drafts", "sources/drafts-old.md", False),
        ("*.tmp.md", "sources/x/story.tmp.md", True),
        ("*.tmp.md", "sources/x/story.md", False),
        ("sources/*.html", "sources/a.html", True),
        ("sources/*.html", "sources/wire/a.html", False),
        ("sources/*.html", "other/sources/a.html", False),
        ("sources/**/*.html", "sources/wire/ap/a.html", True),
        ("**/embargoed/*", "x/y/embargoed/z.md", True),
        ("/top.md", "top.md", True),
        ("/top.md", "sub/top.md", False),
        ("story-?.md", "story-1.md", True),
        ("story-[!0-9].md", "story-1.md", False),
        ("story-[!0-9].md", "story-a.md", True),
    ],
)
def test_exclude_patterns(tmp_path: Path, pattern: str, path: str, excluded: bool) -> None:
    rules = ExcludeRules([pattern], tmp_path)
    assert rules.matches(tmp_path / path) is excluded


def test_exclude_outside_root_uses_unanchored_patterns_only(tmp_path: Path) -> None:
    rules = ExcludeRules(["drafts", "sources/*.md"], tmp_path / "project")
    assert rules.matches(tmp_path / "elsewhere/drafts/a.md")
    assert not rules.matches(tmp_path / "elsewhere/sources/a.md")


def test_exclude_rules_from_options(tree: Path) -> None:
    options = merge(loaded(tree, 'exclude = ["drafts"]\n'), {})
    rules = ExcludeRules.from_options(options)
    assert rules and rules.matches(tree / "project/drafts/story.md")
    assert not ExcludeRules.from_options(merge(None, {}))


def test_example_file_is_valid() -> None:
    from tests.paths import PROJECT

    loaded = load_config(PROJECT / "examples" / "check.toml")
    assert loaded.config.sources == [PROJECT / "examples" / "sources"]
    assert loaded.config.fail_on == "conflict"
