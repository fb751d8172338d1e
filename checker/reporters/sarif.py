"""SARIF 2.1.0, for code-scanning dashboards (GitHub code scanning, Azure DevOps, IDE viewers).

One run whose ``tool.driver`` is ``check`` with its version and one rule per
kind of result:

=====================================  ========  ==========================
rule id                                level     results
=====================================  ========  ==========================
``check/claim-contradicted``           error     contradicted draft claims
``check/claim-disputed``               warning   supported claims the sources dispute
``check/claim-unverified``             note      claims no source states
``check/<kind>-conflict``              error     conflict findings (corpus)
``check/<kind>-warning``               warning   warning findings (corpus)
=====================================  ========  ==========================

Supported claims and info findings are not results: GitHub code scanning
treats every result as an alert, even one of kind ``pass``.

A result's location is the draft claim (draft mode) or one side of a finding
(corpus mode: one result per side); ``relatedLocations`` are the source
evidence or the other sides, and the message links them (``[Valley Wire](1)``).
``artifactLocation.uri`` is the evidence's ``path`` (the file as found from the
command-line argument; ``doc_id`` when unknown), percent-encoded as a relative URI
reference; the region's columns count Unicode code points
(``run.columnKind``), ``endColumn`` is the column after the span, and
``charOffset``/``charLength`` are the span's offsets in the source file.
``partialFingerprints["checkId/v1"]`` is the claim id, or the finding id plus
``:`` and the side's ``doc_id``, so a result keeps its identity across edits.
Deterministic: no timestamps, results in report order.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from checker.models import Evidence, Report
from checker.reporters.base import RenderOptions, Reporter, register
from checker.reporters.github import (
    Annotation,
    Grade,
    annotate,
    is_draft,
    items,
    location,
    message_parts,
    name,
    one_line,
    said,
    slug,
)

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
RULE_PREFIX = "check/"

_LEVEL = {Grade.fail: "error", Grade.warn: "warning", Grade.note: "note"}

# rule suffix -> (level, short description, full description)
_CLAIM_RULES = {
    "claim-contradicted": (
        Grade.fail,
        "A draft claim is contradicted by the sources",
        "A source states the same fact as the draft with an incompatible value. Check the figure against "
        "the quoted sources before publishing.",
    ),
    "claim-disputed": (
        Grade.warn,
        "A draft claim is supported by some sources and contradicted by others",
        "The sources disagree among themselves about this fact; the draft sides with some of them. "
        "Consider attributing the figure.",
    ),
    "claim-unverified": (
        Grade.note,
        "No source states a draft claim",
        "None of the sources states this figure, so it could not be checked. Confirm it independently.",
    ),
}


def _finding_rules(kind: str) -> dict[str, tuple[Grade, str, str]]:
    k = one_line(kind)
    return {
        f"{slug(kind)}-conflict": (
            Grade.fail,
            f"Sources contradict each other ({k})",
            f"Two or more documents state the same {k} fact with values that cannot both be right.",
        ),
        f"{slug(kind)}-warning": (
            Grade.warn,
            f"Sources probably disagree ({k})",
            f"Two or more documents probably state the same {k} fact with different values, but the match "
            "or the values are less certain than for a conflict.",
        ),
    }


def _rules(report: Report) -> dict[str, tuple[Grade, str, str]]:
    if is_draft(report):
        return dict(_CLAIM_RULES)
    rules: dict[str, tuple[Grade, str, str]] = {}
    for kind in sorted({item.kind for item in items(report)}):
        rules.update(_finding_rules(kind))
    return rules


def escape_message(text: str) -> str:
    """SARIF message text: literal ``\\``, ``[`` and ``]`` are escaped outside embedded links (§3.11.6)."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def artifact_uri(doc_id: str) -> str:
    """The doc_id as a relative URI reference (spaces, ``%``, ``#``, ``?`` and non-ASCII percent-encoded)."""
    return quote(doc_id, safe="/-._~!$&'()*+,;=:@")


def _physical(evidence: Evidence) -> dict[str, Any]:
    region: dict[str, Any] = {
        "startLine": evidence.line,
        "startColumn": evidence.column,
        "endLine": max(evidence.end_line, evidence.line),
        "endColumn": evidence.end_column,
        "charOffset": evidence.start,
        "charLength": max(evidence.end - evidence.start, 0),
        "snippet": {"text": evidence.span},
    }
    if region["endLine"] == region["startLine"] and region["endColumn"] < region["startColumn"]:
        region["endColumn"] = region["startColumn"]
    return {"artifactLocation": {"uri": artifact_uri(evidence.path or evidence.doc_id)}, "region": region}


def _message(annotation: Annotation) -> str:
    out = []
    for kind, value in message_parts(annotation):
        if kind == "text":
            out.append(escape_message(str(value)))
        else:
            other = annotation.others[int(value)]
            out.append(f"[{escape_message(one_line(name(other)))}]({int(value) + 1})")
    return "".join(out)


def _result(annotation: Annotation, rule_index: dict[str, int]) -> dict[str, Any]:
    item = annotation.item
    rule_id = RULE_PREFIX + item.rule
    related = [
        {
            "id": index + 1,
            "physicalLocation": _physical(other),
            "message": {"text": escape_message(f"{one_line(name(other))} ({location(other)}) says {said(other)}")},
        }
        for index, other in enumerate(annotation.others)
    ]
    properties: dict[str, Any] = {"kind": item.kind, "status": item.status}
    if item.claim is not None:
        properties["claimId"] = item.id
        properties["findingIds"] = list(item.claim.finding_ids)
    else:
        properties["findingId"] = item.id
        properties["score"] = item.finding.score if item.finding is not None else 0.0
    result: dict[str, Any] = {
        "ruleId": rule_id,
        "ruleIndex": rule_index[rule_id],
        "level": _LEVEL[annotation.grade],
        "message": {"text": _message(annotation)},
        "locations": [{"physicalLocation": _physical(annotation.where)}],
    }
    if related:
        result["relatedLocations"] = related
    result["partialFingerprints"] = {"checkId/v1": annotation.fingerprint}
    result["properties"] = properties
    return result


def sarif_log(report: Report) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict."""
    rules = _rules(report)
    found = annotate(report)
    rule_ids = sorted(RULE_PREFIX + rule for rule in rules)
    rule_index = {rule_id: index for index, rule_id in enumerate(rule_ids)}
    driver_rules = []
    for rule_id in rule_ids:
        grade, short, full = rules[rule_id[len(RULE_PREFIX):]]
        driver_rules.append(
            {
                "id": rule_id,
                "name": "".join(word.capitalize() for word in rule_id[len(RULE_PREFIX):].split("-")),
                "shortDescription": {"text": short},
                "fullDescription": {"text": full},
                "defaultConfiguration": {"level": _LEVEL[grade]},
                "help": {"text": full},
                "properties": {"tags": ["check", "fact-checking"]},
            }
        )
    run_properties: dict[str, Any] = {"mode": "draft" if is_draft(report) else "corpus", "model": report.model}
    if is_draft(report):
        run_properties["draft"] = report.draft
    return {
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": {"name": "check", "version": report.version, "rules": driver_rules}},
                "columnKind": "unicodeCodePoints",
                "results": [_result(annotation, rule_index) for annotation in found],
                "properties": run_properties,
            }
        ],
    }


@register
class SarifReporter(Reporter):
    name = "sarif"
    description = "SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning)"

    def render(self, report: Report, options: RenderOptions) -> str:
        return json.dumps(sarif_log(report), indent=2, ensure_ascii=False) + "\n"
