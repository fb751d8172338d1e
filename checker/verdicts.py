"""Draft verdicts: every checkable claim of a draft is contradicted, supported or unverified.

A claim is contradicted when any source states the same fact with an incompatible value (the
evidence says which), supported when a source states it with a compatible value, and unverified
when no source states it at all: a figure the sources do not contain.
"""

from __future__ import annotations

import hashlib

from checker.detectors import ComparisonContext
from checker.models import ClaimCheck, Evidence, Fact, Finding, Frame, QuantifiedSentence, Severity, Verdict
from checker.quantities import format_quantity, quantities_comparable, values_agree

CLAIM_KIND = "number"


def judge_claims(
    draft_id: str, quantified: list[QuantifiedSentence], findings: list[Finding], context: ComparisonContext
) -> list[ClaimCheck]:
    """A verdict for each quantity the draft states, in the order they appear in the draft."""
    claims = []
    source_facts = [fact for item in quantified if item.sentence.doc_id != draft_id for fact in _bare_facts(item)]
    for item in quantified:
        if item.sentence.doc_id != draft_id:
            continue
        for fact in _bare_facts(item):
            claim = context.evidence(fact, format_quantity(fact.quantity), 1.0)
            check = _verdict(claim, [finding for finding in findings if _states(finding, claim)])
            if check.verdict is Verdict.unverified:
                check = _same_figure_elsewhere(check, fact, source_facts, context)
            claims.append(check)
    return sorted(claims, key=lambda check: (check.claim.start, check.id))


def _bare_facts(item: QuantifiedSentence) -> list[Fact]:
    """The sentence's quantities as facts without frames: enough to quote them as evidence."""
    return [
        Fact(
            fact_id=f"{item.sentence.doc_id}#{item.sentence.index}:{quantity.start}",
            doc_id=item.sentence.doc_id,
            sentence_index=item.sentence.index,
            quantity=quantity,
            frame=Frame(),
        )
        for quantity in item.quantities
    ]


def _same_figure_elsewhere(
    check: ClaimCheck, fact: Fact, source_facts: list[Fact], context: ComparisonContext
) -> ClaimCheck:
    """A claim no aligned sentence states is still not "unverified" when a source gives the same
    figure for the same kind of thing somewhere else; it is supported, more weakly, by that."""
    stated = [
        source
        for source in source_facts
        if quantities_comparable(fact.quantity, source.quantity) and values_agree(fact.quantity, source.quantity)
    ]
    if not stated:
        return check
    evidence = [context.evidence(source, format_quantity(source.quantity), 0.5) for source in stated[:3]]
    places = "; ".join(f"{side.outlet or side.doc_id} gives {side.value}" for side in evidence)
    return check.model_copy(
        update={
            "verdict": Verdict.supported,
            "summary": f"{check.claim.value}: the same figure appears in the sources ({places})",
            "evidence": evidence,
        }
    )


def claim_id(claim: Evidence) -> str:
    """Built from what the claim says, not where: it survives edits elsewhere in the draft."""
    material = "\x1f".join([CLAIM_KIND, " ".join(claim.sentence.split()), claim.span])
    return f"claim-{hashlib.sha1(material.encode('utf-8')).hexdigest()[:12]}"


def _states(finding: Finding, claim: Evidence) -> bool:
    return any(side.doc_id == claim.doc_id and side.start == claim.start for side in finding.sides)


def _verdict(claim: Evidence, findings: list[Finding]) -> ClaimCheck:
    conflicts = [finding for finding in findings if finding.severity is Severity.conflict]
    agreements = [finding for finding in findings if finding.severity is Severity.info]
    # When the sources disagree among themselves, a draft that sides with some of them is not
    # contradicted by "the sources": it is supported, and flagged as disputed.
    if agreements:
        verdict, behind = Verdict.supported, agreements + conflicts
    elif conflicts:
        verdict, behind = Verdict.contradicted, conflicts
    else:
        verdict, behind = Verdict.unverified, [finding for finding in findings if finding.severity is Severity.warning]
    evidence = _other_sides(behind, claim)
    return ClaimCheck(
        id=claim_id(claim),
        kind=CLAIM_KIND,
        verdict=verdict,
        disputed=bool(agreements and conflicts),
        summary=_summary(verdict, claim, agreements, conflicts),
        claim=claim,
        evidence=evidence,
        finding_ids=[finding.id for finding in behind],
    )


def _summary(verdict: Verdict, claim: Evidence, agreements: list[Finding], conflicts: list[Finding]) -> str:
    if verdict is Verdict.unverified:
        return f"{claim.value}: no source states this figure"
    # Detector summaries open with what the fact is about: "duration of the talks: ...".
    subject = (agreements or conflicts)[0].summary.partition(":")[0]
    agreeing, disagreeing = _sources(agreements, claim), _sources(conflicts, claim)
    if verdict is Verdict.contradicted:
        return f"{subject}: the draft says {claim.value}, but {disagreeing}"
    if conflicts:
        return f"{subject}: the draft says {claim.value}, as {agreeing}; the sources disagree: {disagreeing}"
    return f"{subject}: the draft says {claim.value}, as {agreeing}"


def _sources(findings: list[Finding], claim: Evidence) -> str:
    return "; ".join(f"{side.outlet or side.doc_id} says {side.value}" for side in _other_sides(findings, claim))


def _other_sides(findings: list[Finding], claim: Evidence) -> list[Evidence]:
    """The source statements behind the findings: every side that is not the draft's claim."""
    return [side for finding in findings for side in finding.sides if side.doc_id != claim.doc_id]
