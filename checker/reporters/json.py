"""Machine-readable report: the ``Report`` model as JSON, plus its JSON Schema.

The output is ``Report`` serialised in pydantic's JSON mode, indented by 2,
ending in a newline.
Every finding is included whatever the render options say. The schema in
``docs/report.schema.json`` is ``report_schema()``; regenerate it with
``python scripts/write_schema.py`` after changing the report models.
"""

from __future__ import annotations

import json
from typing import Any

from checker.errors import CheckError
from checker.models import REPORT_SCHEMA_VERSION, Report
from checker.reporters.base import RenderOptions, Reporter, register


def load_report(text: str | bytes) -> Report:
    """Read back what ``JsonReporter`` wrote (e.g. a saved baseline)."""
    data = json.loads(text)
    if not isinstance(data, dict):
        raise CheckError("report JSON must be an object")
    version = data.get("schema_version")
    if version != REPORT_SCHEMA_VERSION:
        raise CheckError(
            f"unsupported report schema_version {version!r} (this check reads {REPORT_SCHEMA_VERSION})"
        )
    return Report.model_validate(data)


def _require_all(node: Any) -> None:
    # The JSON always contains every field (defaults included), so the schema says so.
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node["required"] = sorted(node["properties"])
        for value in node.values():
            _require_all(value)
    elif isinstance(node, list):
        for value in node:
            _require_all(value)


def report_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the JSON report."""
    schema = Report.model_json_schema(mode="serialization")
    schema["properties"]["schema_version"]["const"] = REPORT_SCHEMA_VERSION
    _require_all(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "check report"
    schema["description"] = "Output of `check --format json`. See docs/report-format.md."
    return schema


def schema_text() -> str:
    """The exact contents of ``docs/report.schema.json``."""
    return json.dumps(report_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@register
class JsonReporter(Reporter):
    name = "json"
    description = "the full report as JSON (schema: docs/report.schema.json)"

    def render(self, report: Report, options: RenderOptions) -> str:
        return report.model_dump_json(indent=2) + "\n"
