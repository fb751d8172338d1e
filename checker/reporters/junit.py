"""JUnit XML, for CI test-report views (GitLab, Jenkins, Azure DevOps, GitHub test-report actions).

One ``<testsuites>`` holding one ``<testsuite>``; one ``<testcase>`` per claim
(draft mode) or per finding (corpus mode), in report order:

==============================  ==========================================
item                            testcase
==============================  ==========================================
claim ``contradicted``          ``<failure type="check/claim-contradicted">``
claim supported but disputed    ``<skipped>`` (needs an editor, does not fail)
claim ``unverified``            ``<skipped>`` (could not be checked)
claim ``supported``             passes
finding ``conflict``            ``<failure type="check/<kind>-conflict">``
finding ``warning``             ``<skipped>``
finding ``info``                passes
==============================  ==========================================

So ``failures`` counts what the default gate fails on, and ``skipped`` what a
person should look at. The failure body and each other testcase's
``<system-out>`` quote the statements, the compared span marked ``[[like
this]]``. ``tests``, ``failures``, ``errors`` (always 0) and ``skipped`` are set
on both ``<testsuites>`` and ``<testsuite>``; there is no ``time`` or
``timestamp``, so equal reports give equal bytes. Testcase ``name`` is
``<summary> [<id>]``, ``classname`` ``check.claims.<kind>`` or
``check.findings.<kind>``, and ``file``/``line`` the draft claim's place or the
finding's first side. Characters XML 1.0 cannot carry are replaced by U+FFFD.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from checker.models import Evidence, Report
from checker.reporters.base import RenderOptions, Reporter, register
from checker.reporters.github import Grade, Item, flatten, is_draft, items, location, one_line, slug, split_at_span

SPAN_OPEN = "[["
SPAN_CLOSE = "]]"

_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def marked_sentence(evidence: Evidence) -> str:
    """The sentence on one line with the span marked ``[[...]]``."""
    parts = split_at_span(evidence)
    if parts is None:
        text = one_line(evidence.sentence)
        return f"{text} (span: {SPAN_OPEN}{one_line(evidence.span)}{SPAN_CLOSE})" if evidence.span else text
    before, span, after = parts
    return f"{flatten(before).lstrip()}{SPAN_OPEN}{one_line(span)}{SPAN_CLOSE}{flatten(after).rstrip()}"


def _heading(evidence: Evidence, draft: bool) -> str:
    who = "draft" if draft else one_line(evidence.outlet or evidence.doc_id)
    if not draft:
        who += f" ({one_line(evidence.published) if evidence.published else 'no date'})"
    return f"{who}  {one_line(location(evidence))}"


def details(item: Item) -> str:
    lines = [one_line(item.summary)]
    if item.claim is not None:
        statements = [(item.claim.claim, True)] + [(evidence, False) for evidence in item.evidence]
    else:
        statements = [(side, False) for side in item.places]
    for evidence, draft in statements:
        lines.append(_heading(evidence, draft))
        lines.append(f"  {marked_sentence(evidence)}")
    if item.claim is not None:
        if item.claim.finding_ids:
            lines.append("findings: " + ", ".join(one_line(fid) for fid in item.claim.finding_ids))
    elif item.finding is not None:
        lines.append(f"confidence: {item.finding.score:.2f}")
        lines.extend(f"why: {one_line(reason)}" for reason in item.finding.reasons)
    return "\n".join(lines) + "\n"


def _counts(graded: list[Item]) -> dict[str, str]:
    failures = sum(item.grade is Grade.fail for item in graded)
    skipped = sum(item.grade in (Grade.warn, Grade.note) for item in graded)
    return {"tests": str(len(graded)), "failures": str(failures), "errors": "0", "skipped": str(skipped)}


def junit_tree(report: Report) -> ET.Element:
    graded = items(report)
    draft = is_draft(report)
    counts = _counts(graded)
    root = ET.Element("testsuites", {"name": "check", **counts})
    suite_name = f"check (draft {one_line(report.draft or '')})" if draft else "check (corpus)"
    suite = ET.SubElement(root, "testsuite", {"name": xml_safe(suite_name), **counts})
    properties = ET.SubElement(suite, "properties")
    values = [("check.version", report.version), ("check.model", report.model), ("check.mode", "draft" if draft else "corpus")]
    if draft:
        values.append(("check.draft", report.draft or ""))
    for key, value in values:
        ET.SubElement(properties, "property", {"name": key, "value": xml_safe(one_line(value))})
    group = "claims" if draft else "findings"
    for item in graded:
        place = item.places[0] if item.places else None
        attributes = {
            "name": xml_safe(f"{one_line(item.summary)} [{one_line(item.id)}]"),
            "classname": f"check.{group}.{slug(item.kind)}",
        }
        if place is not None:
            attributes["file"] = xml_safe(place.path or place.doc_id)
            attributes["line"] = str(place.line)
        case = ET.SubElement(suite, "testcase", attributes)
        body = xml_safe(details(item))
        if item.grade is Grade.fail:
            failure = ET.SubElement(
                case, "failure", {"message": xml_safe(one_line(item.summary)), "type": f"check/{item.rule}"}
            )
            failure.text = body
            continue
        if item.grade in (Grade.warn, Grade.note):
            ET.SubElement(case, "skipped", {"message": xml_safe(f"{item.label.lower()}: {one_line(item.summary)}")})
        ET.SubElement(case, "system-out").text = body
    return root


@register
class JunitReporter(Reporter):
    name = "junit"
    description = "JUnit XML: a testcase per claim or finding, for CI test-report views"

    def render(self, report: Report, options: RenderOptions) -> str:
        root = junit_tree(report)
        ET.indent(root, space="  ")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
