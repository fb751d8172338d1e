"""Fact clusters: findings linked by a shared statement, their values grouped, agreeing values together."""

from __future__ import annotations

from checker.clusters import cluster_findings
from checker.models import Evidence, Finding, Severity


def statement(doc_id: str, value: str) -> Evidence:
    sentence = f"The crews numbered {value} workers."
    return Evidence(
        doc_id=doc_id, outlet=doc_id.upper(), published=None, sentence=sentence, span=value, span_start=19,
        span_end=19 + len(value), start=19, end=19 + len(value), line=1, column=20, end_line=1,
        end_column=20 + len(value), value=value, score=1.0,
    )  # fmt: skip


def finding(severity: Severity, first: Evidence, second: Evidence) -> Finding:
    return Finding(
        id=f"{first.doc_id}-{second.doc_id}", kind="number", severity=severity, subject="number of workers",
        summary="number of workers", score=1.0, sides=[first, second],
    )  # fmt: skip


ABOUT_300, LOW, HIGH = statement("a", "about 300"), statement("b", "280"), statement("c", "320")


def test_values_that_agree_are_one_group() -> None:
    (cluster,) = cluster_findings(
        [finding(Severity.info, ABOUT_300, LOW), finding(Severity.conflict, ABOUT_300, HIGH)]
    )
    assert [group.values for group in cluster.groups] == [["280", "about 300"], ["320"]]
    assert cluster.summary == "number of workers: 2 outlets: 280 / about 300; 1 outlet: 320"


def test_agreement_does_not_carry_over_a_conflict() -> None:
    # "about 300" fits 280 and 320, but 280 and 320 conflict: the three are not one value.
    (cluster,) = cluster_findings(
        [
            finding(Severity.info, ABOUT_300, LOW),
            finding(Severity.info, ABOUT_300, HIGH),
            finding(Severity.conflict, LOW, HIGH),
        ]
    )
    assert len(cluster.groups) == 2
    assert not any({"280", "320"} <= set(group.values) for group in cluster.groups)


def test_hidden_agreements_still_group_values() -> None:
    shown = [finding(Severity.conflict, ABOUT_300, HIGH), finding(Severity.conflict, LOW, HIGH)]
    hidden = finding(Severity.info, ABOUT_300, LOW)
    (alone,) = cluster_findings(shown)
    (told,) = cluster_findings(shown, agreements=[*shown, hidden])
    assert [group.values for group in alone.groups] == [["280"], ["320"], ["about 300"]]
    assert [group.values for group in told.groups] == [["280", "about 300"], ["320"]]
    assert told.finding_ids == alone.finding_ids, "agreements group values; they join no findings"
