"""Project configuration: ``check.toml`` or ``[tool.check]`` in ``pyproject.toml``.

Discovery walks up from a start directory (the working directory by default)
to the filesystem root. The first directory holding ``check.toml``, or a
``pyproject.toml`` with a ``[tool.check]`` table, wins; ``check.toml`` wins
over ``pyproject.toml`` in the same directory, and a ``pyproject.toml``
without the table does not stop the walk.

Keys are spelled like the command-line options (``fail-on``, ``show-info``).
Paths are relative to the directory of the file that names them.

Precedence: an option given on the command line > the configuration file >
the built-in default. :func:`merge` implements it from the options the user
set explicitly.
"""

from __future__ import annotations

import difflib
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checker.errors import UsageError

try:  # Python 3.11+
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10 with tomli installed
    import tomli as tomllib  # type: ignore[no-redef]

CONFIG_FILE = "check.toml"
PYPROJECT_FILE = "pyproject.toml"
FAIL_ON_VALUES = ("conflict", "contradicted", "warning", "unverified", "never")
FailOnValue = Literal["conflict", "contradicted", "warning", "unverified", "never"]


class FileConfig(BaseModel):
    """What a configuration file sets; ``None`` means the file leaves the option alone.

    Paths are absolute: resolved against the configuration file's directory.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: str | None = None
    fail_on: FailOnValue | None = None
    show_info: bool | None = None
    explain: bool | None = None
    threshold: float | None = None
    model: Path | None = None
    strict: bool | None = None
    baseline: Path | None = None
    index: Path | None = None
    sources: list[Path] | None = None
    exclude: list[str] | None = Field(None, description="glob patterns, relative to the configuration file's directory")
    select: list[str] | None = Field(None, description="the only detector kinds to run")
    ignore: list[str] | None = Field(None, description="detector kinds not to run")


class LoadedConfig(BaseModel):
    model_config = ConfigDict(frozen=True)

    path: Path = Field(description="the configuration file, absolute")
    table: str | None = Field(description="'tool.check' for pyproject.toml, None for check.toml's top level")
    config: FileConfig

    @property
    def directory(self) -> Path:
        return self.path.parent


Origin = Literal["cli", "config", "default"]


class EffectiveOptions(BaseModel):
    """Every option with its value after precedence: CLI > configuration file > default."""

    model_config = ConfigDict(frozen=True)

    format: str = "text"
    fail_on: FailOnValue = "conflict"
    show_info: bool = False
    explain: bool = False
    threshold: float = Field(0.35, ge=0.0, le=1.0)
    model: Path | None = None
    strict: bool = False
    baseline: Path | None = None
    index: Path | None = None
    sources: list[Path] = []
    exclude: list[str] = []
    select: list[str] | None = None
    ignore: list[str] = []
    exclude_root: Path | None = Field(None, description="directory the exclude patterns are relative to")
    config_path: Path | None = Field(None, description="the configuration file used, if any")
    origins: dict[str, Origin] = Field({}, description="where each option's value came from")


# --------------------------------------------------------------------------- discovery


def find_config(start: Path | None = None) -> LoadedConfig | None:
    """The configuration that applies in ``start`` (default: the working directory), or None."""
    directory = Path(start if start is not None else Path.cwd()).absolute()
    if directory.is_file():
        directory = directory.parent
    for candidate in (directory, *directory.parents):
        config_file = candidate / CONFIG_FILE
        if config_file.is_file():
            return load_config(config_file)
        pyproject = candidate / PYPROJECT_FILE
        if pyproject.is_file():
            loaded = _load(pyproject, required=False)
            if loaded is not None:
                return loaded
    return None


def load_config(path: Path) -> LoadedConfig:
    """Load an explicit configuration file (``--config FILE``).

    A ``pyproject.toml`` (any file named so) is read for its ``[tool.check]``
    table, which must exist; any other file is read as a ``check.toml``.
    """
    loaded = _load(Path(path).absolute(), required=True)
    assert loaded is not None
    return loaded


def _load(path: Path, *, required: bool) -> LoadedConfig | None:
    name = _display(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{name}: no such configuration file") from None
    except IsADirectoryError:
        raise UsageError(f"{name}: is a directory, not a configuration file") from None
    except OSError as error:
        raise UsageError(f"{name}: cannot read configuration file ({(error.strerror or str(error)).lower()})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(f"{name}: not valid UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start})") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(_toml_error(name, error)) from None

    if path.name == PYPROJECT_FILE:
        tool = document.get("tool")
        table = tool.get("check") if isinstance(tool, dict) else None
        if table is None:
            if required:
                raise UsageError(f"{name}: no [tool.check] table")
            return None
        if not isinstance(table, dict):
            raise UsageError(f"{name}: 'tool.check' must be a table, not {_describe(table)}")
        return LoadedConfig(path=path, table="tool.check", config=_parse(table, name, "tool.check", path.parent))
    return LoadedConfig(path=path, table=None, config=_parse(document, name, None, path.parent))


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def _toml_error(name: str, error: Exception) -> str:
    message = str(error)
    position = _TOML_POSITION.search(message)
    if position is None:
        return f"{name}: invalid TOML: {message}"
    reason = message[: position.start()]
    return f"{name}:{position[1]}:{position[2]}: invalid TOML: {reason[:1].lower()}{reason[1:]}"


def _display(path: Path) -> str:
    """The file as the user would write it: relative to the working directory when beneath it."""
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- keys


class _Invalid(Exception):
    """A value of the wrong type or range; the message says what was expected."""

    def __init__(self, expected: str, *, show_value: bool = True) -> None:
        super().__init__(expected)
        self.show_value = show_value


def _boolean(value: Any, base: Path) -> bool:
    if not isinstance(value, bool):
        raise _Invalid("true or false")
    return value


def _threshold(value: Any, base: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or not 0 <= value <= 1:
        raise _Invalid("a number between 0 and 1")
    return float(value)


def _fail_on(value: Any, base: Path) -> str:
    if value not in FAIL_ON_VALUES or not isinstance(value, str):
        raise _Invalid("one of " + ", ".join(f"'{choice}'" for choice in FAIL_ON_VALUES))
    return value


def _format(value: Any, base: Path) -> str:
    from checker.reporters import reporter_names

    names = reporter_names()
    if not isinstance(value, str) or value not in names:
        raise _Invalid("one of " + ", ".join(f"'{choice}'" for choice in names))
    return value


def _path(value: Any, base: Path) -> Path:
    if not isinstance(value, str) or not value.strip() or "\x00" in value:
        raise _Invalid("a path (a non-empty string)")
    return _resolve(value, base)


def _paths(value: Any, base: Path) -> list[Path]:
    if not isinstance(value, list) or not all(
        isinstance(item, str) and item.strip() and "\x00" not in item for item in value
    ):
        raise _Invalid("a list of paths (strings)")
    return [_resolve(item, base) for item in value]


def _patterns(value: Any, base: Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise _Invalid("a list of glob patterns (strings)")
    for item in value:
        compile_glob(item)  # raises _Invalid for a malformed pattern
    return list(value)


def _kinds(value: Any, base: Path) -> list[str]:
    from checker.detectors import DETECTORS

    if not isinstance(value, list) or not all(isinstance(item, str) and item.lower() in DETECTORS for item in value):
        raise _Invalid("a list of detector kinds, each one of " + ", ".join(f"'{kind}'" for kind in sorted(DETECTORS)))
    return [item.lower() for item in value]


def _resolve(value: str, base: Path) -> Path:
    return Path(os.path.normpath(base / Path(value).expanduser()))


# Keys as spelled in the file → (FileConfig field, parser).
_KEYS: dict[str, tuple[str, Callable[[Any, Path], Any]]] = {
    "format": ("format", _format),
    "fail-on": ("fail_on", _fail_on),
    "show-info": ("show_info", _boolean),
    "explain": ("explain", _boolean),
    "threshold": ("threshold", _threshold),
    "model": ("model", _path),
    "strict": ("strict", _boolean),
    "baseline": ("baseline", _path),
    "index": ("index", _path),
    "sources": ("sources", _paths),
    "exclude": ("exclude", _patterns),
    "select": ("select", _kinds),
    "ignore": ("ignore", _kinds),
}
CONFIG_KEYS = tuple(_KEYS)


def _parse(table: Mapping[str, Any], name: str, table_name: str | None, base: Path) -> FileConfig:
    where = f" in [{table_name}]" if table_name else ""
    values: dict[str, Any] = {}
    for key in table:  # file order: the first problem is the one reported
        if key not in _KEYS:
            raise UsageError(f"{name}: unknown key '{key}'{where}{_suggest(key)}")
        field, parse = _KEYS[key]
        try:
            values[field] = parse(table[key], base)
        except _Invalid as error:
            got = f" (got {_describe(table[key])})" if error.show_value else ""
            raise UsageError(f"{name}: '{key}' must be {error}{got}") from None
    return FileConfig(**values)


def _suggest(key: str) -> str:
    spelled = key.replace("_", "-").lower()
    if spelled in _KEYS:
        return f" (did you mean '{spelled}'?)"
    close = difflib.get_close_matches(spelled, CONFIG_KEYS, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _describe(value: Any) -> str:
    """A TOML value as the user wrote it, short."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array" if value else "an empty array"
    if isinstance(value, str):
        text = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    else:
        text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


# --------------------------------------------------------------------------- precedence


def merge(config: LoadedConfig | FileConfig | None, cli_values: Mapping[str, Any]) -> EffectiveOptions:
    """Combine the configuration file with the options the user gave on the command line.

    ``cli_values`` holds only the options given explicitly, keyed by
    :class:`EffectiveOptions` field name (``fail_on``, ``show_info``,
    ``sources`` for the positional paths ...); a value there always wins.
    Options in neither keep their defaults.
    """
    unknown = sorted(set(cli_values) - _MERGEABLE)
    if unknown:
        raise ValueError(f"not an option: {', '.join(unknown)}")
    file_config = config.config if isinstance(config, LoadedConfig) else config
    config_path = config.path if isinstance(config, LoadedConfig) else None
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    for field in sorted(_MERGEABLE):
        from_file = getattr(file_config, field) if file_config is not None else None
        if field in cli_values and cli_values[field] is not None:
            values[field], origins[field] = _cli_value(field, cli_values[field]), "cli"
        elif from_file is not None:
            values[field], origins[field] = from_file, "config"
        else:
            origins[field] = "default"
    if origins["exclude"] == "config" and config_path is not None:
        values["exclude_root"] = config_path.parent
    elif origins["exclude"] == "cli":
        values["exclude_root"] = Path.cwd()
    try:
        return EffectiveOptions(**values, config_path=config_path, origins=origins)
    except ValidationError as error:  # a CLI value of the wrong type or out of range
        problem = error.errors()[0]
        field = "-".join(str(part) for part in problem["loc"][:1]).replace("_", "-")
        raise UsageError(f"--{field}: {problem['msg'].lower()}") from None


_MERGEABLE = frozenset(FileConfig.model_fields)


def _cli_value(field: str, value: Any) -> Any:
    if hasattr(value, "value") and not isinstance(value, (str, Path)):  # an Enum such as cli.FailOn
        value = value.value
    if field in ("sources",):
        return [Path(item) for item in value]
    if field in ("model", "baseline", "index"):
        return Path(value)
    return value


# --------------------------------------------------------------------------- exclude patterns


def compile_glob(pattern: str) -> re.Pattern[str]:
    """A regular expression for a gitignore-style glob on POSIX relative paths.

    ``*`` and ``?`` stay within one path segment, ``**`` spans segments,
    ``[abc]`` is a character class. A pattern without ``/`` matches a name at
    any depth; one with ``/`` is anchored at the configuration directory. A
    pattern matching a directory excludes everything beneath it.
    """
    anchored = _is_anchored(pattern)
    body = pattern.strip().rstrip("/").lstrip("/")
    if not body:
        raise _Invalid(f"a list of glob patterns ({pattern!r} matches nothing)", show_value=False)
    parts: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if body.startswith("**/", index):
            parts.append("(?:[^/]+/)*")
            index += 3
        elif body.startswith("**", index):
            parts.append(".*")
            index += 2
        elif char == "*":
            parts.append("[^/]*")
            index += 1
        elif char == "?":
            parts.append("[^/]")
            index += 1
        elif char == "[":
            close = body.find("]", index + 2 if body[index + 1 : index + 2] in ("!", "]") else index + 1)
            if close < 0:
                raise _Invalid(f"a list of glob patterns ('[' without ']' in {pattern!r})", show_value=False)
            inner = body[index + 1 : close]
            if inner.startswith("!"):
                inner = "^" + inner[1:]
            parts.append("[" + inner.replace("\\", "\\\\") + "]")
            index = close + 1
        else:
            parts.append(re.escape(char))
            index += 1
    prefix = "" if anchored else "(?:[^/]+/)*"
    return re.compile(f"{prefix}{''.join(parts)}(?:/.*)?", re.DOTALL)


class ExcludeRules:
    """Decides whether a file is excluded by the ``exclude`` patterns.

    Paths are matched relative to ``root`` (the configuration file's
    directory); a path outside ``root`` is matched by its own parts, so only
    unanchored patterns (``drafts``, ``*.tmp``) can exclude it.
    """

    def __init__(self, patterns: Iterable[str], root: Path | None) -> None:
        self.patterns = list(patterns)
        self.root = Path(os.path.normpath(root.absolute())) if root is not None else None
        self._compiled: list[tuple[re.Pattern[str], bool]] = []
        for pattern in self.patterns:
            try:
                self._compiled.append((compile_glob(pattern), _is_anchored(pattern)))
            except _Invalid as error:
                raise UsageError(f"exclude pattern {pattern!r}: must be {error}") from None

    @classmethod
    def from_options(cls, options: EffectiveOptions) -> ExcludeRules:
        return cls(options.exclude, options.exclude_root)

    def __bool__(self) -> bool:
        return bool(self._compiled)

    def matches(self, path: Path) -> bool:
        absolute = Path(os.path.normpath(Path(path).absolute()))
        if self.root is not None and absolute.is_relative_to(self.root):
            relative, inside = absolute.relative_to(self.root).as_posix(), True
        else:
            relative, inside = "/".join(absolute.parts[1:]), False
        return any(regex.fullmatch(relative) for regex, anchored in self._compiled if inside or not anchored)


def _is_anchored(pattern: str) -> bool:
    return "/" in pattern.strip().rstrip("/")
