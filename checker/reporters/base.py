"""The reporter registry: every output format is a ``Reporter`` registered by name.

A format is one module defining one subclass::

    @register
    class SarifReporter(Reporter):
        name = "sarif"
        description = "SARIF 2.1.0 for code-scanning dashboards"

        def render(self, report: Report, options: RenderOptions) -> str:
            ...

plus one entry in the built-in list in ``checker/reporters/__init__.py``.
Reporters are stateless and never print: ``render`` returns the whole output
as a string (ending in a newline) and the caller decides where it goes.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from checker.errors import CheckError
from checker.models import Report

DEFAULT_REPORTER = "text"

_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


class RenderOptions(BaseModel):
    """How to render; only the text format looks at most of these."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    show_info: bool = Field(False, description="list info findings (corroborations) in text output")
    color: bool = Field(False, description="emit ANSI colour; False guarantees no escape codes")
    width: int = Field(100, ge=1, description="wrap text output at this many columns")
    explain: bool = Field(False, description="add each finding's reasons and scores")


class Reporter(ABC):
    """One output format. Subclasses set ``name`` and ``description`` and implement ``render``."""

    name: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def render(self, report: Report, options: RenderOptions) -> str:
        """The complete output for ``report``; deterministic for equal inputs."""


class UnknownReporterError(CheckError, KeyError):
    """``get_reporter`` was given a name no reporter is registered under."""

    def __init__(self, name: str, available: list[str]) -> None:
        message = f"unknown report format {name!r}; available: {', '.join(available) or '(none)'}"
        super().__init__(message)
        self.name = name
        self.available = available

    def __str__(self) -> str:  # KeyError would repr() the message, adding quotes
        return str(self.args[0])


_REGISTRY: dict[str, type[Reporter]] = {}

R = TypeVar("R", bound=type[Reporter])


def register(cls: R) -> R:
    """Class decorator: make ``cls`` available under ``cls.name``."""
    if not (isinstance(cls, type) and issubclass(cls, Reporter)):
        raise TypeError(f"{cls!r} is not a Reporter subclass")
    name = cls.__dict__.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"{cls.__name__}.name must be a lower-case identifier, got {name!r}")
    if not isinstance(cls.__dict__.get("description"), str):
        raise ValueError(f"{cls.__name__}.description must be a string")
    existing = _REGISTRY.get(name)
    if existing is not None and existing is not cls:
        raise ValueError(f"report format {name!r} is already registered by {existing.__module__}.{existing.__qualname__}")
    _REGISTRY[name] = cls
    return cls


def reporter_names() -> list[str]:
    """Registered format names, sorted."""
    return sorted(_REGISTRY)


def get_reporter(name: str) -> Reporter:
    """A fresh instance of the reporter registered as ``name``."""
    try:
        cls = _REGISTRY[name]
    except KeyError:
        raise UnknownReporterError(name, reporter_names()) from None
    return cls()


def kinds_left_out(report: Report) -> str | None:
    """The kinds --select or --ignore left out, as words: a clean report says nothing of them,
    and the reader must know."""
    from checker.detectors import DETECTORS

    left_out = sorted(set(DETECTORS) - set(report.kinds))
    return ", ".join(left_out) if left_out else None
