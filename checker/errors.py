"""Errors the library raises; the CLI turns each into one line and exit code 2."""


class CheckError(Exception):
    """Base class for every error the library raises on purpose."""


class InputError(CheckError):
    """A file or path that cannot be read as an article."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UsageError(CheckError):
    """Options that do not fit together."""
