"""Fact clusters: findings that share a statement are one fact told by several documents.

"3 outlets: 9 hours; 1 outlet: more than 6 hours" tells an editor more than three pairwise
conflicts do: which version most outlets carry, and who stands alone.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from checker.models import ClusterGroup, Evidence, FactCluster, Finding

StatementKey = tuple[str, str, int, int]


def cluster_findings(findings: list[Finding]) -> list[FactCluster]:
    """Clusters of findings of one kind linked by a shared statement (the same span of a document)."""
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
    clusters = [_cluster(group) for group in members.values()]
    return sorted(clusters, key=lambda cluster: (-cluster.severity.rank, cluster.kind, cluster.subject, cluster.id))


def _statement(kind: str, side: Evidence) -> StatementKey:
    return (kind, side.doc_id, side.start, side.end)


def _cluster(findings: list[Finding]) -> FactCluster:
    statements = {(side.doc_id, side.start, side.end): side for finding in findings for side in finding.sides}
    by_value: dict[str, dict[str, Evidence]] = defaultdict(dict)
    for (doc_id, _, _), side in sorted(statements.items()):
        by_value[side.value].setdefault(doc_id, side)
    groups = sorted(
        (
            ClusterGroup(
                value=value,
                doc_ids=sorted(sides),
                outlets=sorted({side.outlet or side.doc_id for side in sides.values()}),
            )
            for value, sides in by_value.items()
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


def _count(group: ClusterGroup) -> str:
    count = len(group.outlets)
    return f"{count} outlet" if count == 1 else f"{count} outlets"
