"""Fact clusters: findings that share a statement are one fact told by several documents.

"3 outlets: 9 hours; 1 outlet: more than 6 hours" tells an editor more than three pairwise
conflicts do: which version most outlets carry, and who stands alone.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

from checker.models import ClusterGroup, Evidence, FactCluster, Finding, Severity

StatementKey = tuple[str, str, int, int]


def cluster_findings(findings: list[Finding], agreements: Sequence[Finding] = ()) -> list[FactCluster]:
    """Clusters of findings of one kind linked by a shared statement (the same span of a document).
    ``agreements`` are corroborations not among ``findings`` (a report that hides them) that may
    still say two values of a cluster agree."""
    parent: dict[StatementKey, StatementKey] = {}

    def root(key: StatementKey) -> StatementKey:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for finding in findings:
        first, *others = [_statement(finding.kind, side) for side in finding.sides]
        for other in others:
            parent[root(other)] = root(first)

    members: dict[StatementKey, list[Finding]] = defaultdict(list)
    for finding in findings:
        members[root(_statement(finding.kind, finding.sides[0]))].append(finding)
    clusters = [_cluster(group, agreements) for group in members.values()]
    return sorted(clusters, key=lambda cluster: (-cluster.severity.rank, cluster.kind, cluster.subject, cluster.id))


def _statement(kind: str, side: Evidence) -> StatementKey:
    return (kind, side.doc_id, side.start, side.end)


def _cluster(findings: list[Finding], agreements: Sequence[Finding]) -> FactCluster:
    statements = {(side.doc_id, side.start, side.end): side for finding in findings for side in finding.sides}
    within = [
        finding
        for finding in agreements
        if finding.kind == findings[0].kind
        and all((side.doc_id, side.start, side.end) in statements for side in finding.sides)
    ]
    by_value: dict[str, dict[str, Evidence]] = defaultdict(dict)
    for (doc_id, _, _), side in sorted(statements.items()):
        by_value[side.value].setdefault(doc_id, side)
    groups = sorted(
        (
            ClusterGroup(
                value=" / ".join(values),
                values=values,
                doc_ids=sorted({doc_id for value in values for doc_id in by_value[value]}),
                outlets=sorted({side.outlet or side.doc_id for value in values for side in by_value[value].values()}),
            )
            for merged in _agreeing_values([*findings, *within], list(by_value))
            for values in [sorted(merged, key=lambda value: (-len(by_value[value]), value))]
        ),
        key=lambda group: (-len(group.doc_ids), group.value),
    )
    kind = findings[0].kind
    subject = next((finding.subject for finding in findings if finding.subject), kind)
    finding_ids = sorted(finding.id for finding in findings)
    described = "; ".join(f"{_count(group)}: {group.value}" for group in groups)
    material = "\x1f".join([kind, *finding_ids])
    return FactCluster(
        id=f"cluster-{hashlib.sha1(material.encode('utf-8')).hexdigest()[:12]}",
        kind=kind,
        subject=subject,
        severity=max((finding.severity for finding in findings), key=lambda severity: severity.rank),
        summary=f"{subject}: {described}",
        groups=groups,
        finding_ids=finding_ids,
    )


def _agreeing_values(findings: list[Finding], values: list[str]) -> list[list[str]]:
    """The values, those that agree put together: "44.5°C / 112°F", "about 300 workers / more than
    300 workers". Agreement does not carry over ("about 300" fits 280 and 320, which conflict), so
    two sets join only when no finding sets a value of one against a value of the other."""
    disagree = {
        frozenset((finding.sides[0].value, finding.sides[1].value))
        for finding in findings
        if finding.severity is not Severity.info and len(finding.sides) == 2
    }
    merged: list[list[str]] = [[value] for value in sorted(values)]
    for finding in findings:
        if finding.severity is not Severity.info or len(finding.sides) != 2:
            continue
        first, second = (next(group for group in merged if side.value in group) for side in finding.sides)
        if first is not second and not any(frozenset((a, b)) in disagree for a in first for b in second):
            first.extend(second)
            merged.remove(second)
    return merged


def _count(group: ClusterGroup) -> str:
    count = len(group.outlets)
    return f"{count} outlet" if count == 1 else f"{count} outlets"
