"""Report formats. ``get_reporter(name).render(report, RenderOptions(...))`` returns the output.

Built-in formats register themselves when imported below; a new format is one
module with a ``@register``-ed ``Reporter`` subclass plus one line here.
"""

from checker.reporters.base import (
    DEFAULT_REPORTER,
    RenderOptions,
    Reporter,
    UnknownReporterError,
    get_reporter,
    register,
    reporter_names,
)

# Built-in formats (imported for their @register side effect).
from checker.reporters import github as _github  # noqa: E402,F401
from checker.reporters import gitlab as _gitlab  # noqa: E402,F401
from checker.reporters import html as _html  # noqa: E402,F401
from checker.reporters import json as _json  # noqa: E402,F401
from checker.reporters import junit as _junit  # noqa: E402,F401
from checker.reporters import markdown as _markdown  # noqa: E402,F401
from checker.reporters import sarif as _sarif  # noqa: E402,F401
from checker.reporters import text as _text  # noqa: E402,F401

__all__ = [
    "DEFAULT_REPORTER",
    "RenderOptions",
    "Reporter",
    "UnknownReporterError",
    "get_reporter",
    "register",
    "reporter_names",
]
