"""GitLab Code Quality JSON, shown in the merge-request widget and on the diff.

A JSON array, one issue per annotated place: the draft claim (draft mode) or
each side of a finding (corpus mode), in report order::

    {"description": "...", "check_name": "check/claim-contradicted",
     "fingerprint": "<32 hex>", "severity": "blocker",
     "location": {"path": "drafts/story.md", "lines": {"begin": 7, "end": 7}}}

==============================  ============
item                            severity
==============================  ============
claim ``contradicted``          ``blocker``
finding ``conflict``            ``critical``
claim disputed, finding warning ``major``
claim ``unverified``            ``minor``
supported claim, info finding   (omitted)
==============================  ============

``fingerprint`` is the first 32 hex digits of SHA-256 over the rule id and the
claim id (or the finding id plus the side's ``doc_id``): stable across runs
and unrelated edits, unique within a report, and new when a problem changes
status (an unverified claim that becomes contradicted shows up as a new issue).
``location.path`` is the evidence's ``path`` (``doc_id`` when unknown).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from checker.models import Report
from checker.reporters.base import RenderOptions, Reporter, register
from checker.reporters.github import Annotation, Grade, annotate, plain_message

_SEVERITY = {Grade.warn: "major", Grade.note: "minor"}


def severity(annotation: Annotation) -> str:
    if annotation.grade is Grade.fail:
        return "blocker" if annotation.item.claim is not None else "critical"
    return _SEVERITY[annotation.grade]


def fingerprint(annotation: Annotation) -> str:
    material = f"check/{annotation.item.rule}\x1f{annotation.fingerprint}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def code_quality(report: Report) -> list[dict[str, Any]]:
    issues = []
    for annotation in annotate(report):
        where = annotation.where
        issues.append(
            {
                "description": plain_message(annotation),
                "check_name": f"check/{annotation.item.rule}",
                "fingerprint": fingerprint(annotation),
                "severity": severity(annotation),
                "location": {
                    "path": where.path or where.doc_id,
                    "lines": {"begin": where.line, "end": max(where.end_line, where.line)},
                },
            }
        )
    return issues


@register
class GitlabReporter(Reporter):
    name = "gitlab"
    description = "GitLab Code Quality JSON for the merge-request widget"

    def render(self, report: Report, options: RenderOptions) -> str:
        return json.dumps(code_quality(report), indent=2, ensure_ascii=False) + "\n"
