"""Draft verdicts: every checkable claim of a draft is contradicted, supported or unverified.

A claim is contradicted when any source states the same fact with an incompatible value (the
evidence says which), supported when a source states it with a compatible value, and unverified
when no source states it at all: a figure the sources do not contain.
"""

from __future__ import annotations

import hashlib
import re

from checker.detectors import ComparisonContext
from checker.models import ClaimCheck, Evidence, Fact, Finding, Frame, QuantifiedSentence, Severity, Verdict
from checker.quantities import format_quantity, quantities_comparable, values_agree

NUMBER_KIND = "number"


def judge_claims(
    draft_id: str, quantified: list[QuantifiedSentence], findings: list[Finding], context: ComparisonContext
) -> list[ClaimCheck]:
    """A verdict for each quantity the draft states, and for each date, name, place, quote or
    polarity the detectors compared with the sources, in the order they appear in the draft."""
    claims = _number_claims(draft_id, quantified, findings, context) + _compared_claims(draft_id, findings)
    return sorted(claims, key=lambda check: (check.claim.start, check.kind, check.id))


def _compared_claims(draft_id: str, findings: list[Finding]) -> list[ClaimCheck]:
    """Claims other than numbers are checked where a detector compared them with a source: the
    draft's side of each such finding is the claim."""
    by_claim: dict[tuple[str, int, int], tuple[Evidence, list[Finding]]] = {}
    for finding in findings:
        if finding.kind == NUMBER_KIND:
            continue
        for side in finding.sides:
            if side.doc_id == draft_id:
                key = (finding.kind, side.start, side.end)
                by_claim.setdefault(key, (side, []))[1].append(finding)
    return [_verdict(kind, claim, behind) for (kind, _, _), (claim, behind) in by_claim.items()]


def _number_claims(
    draft_id: str, quantified: list[QuantifiedSentence], findings: list[Finding], context: ComparisonContext
) -> list[ClaimCheck]:
    claims = []
    source_facts = [fact for item in quantified if item.sentence.doc_id != draft_id for fact in _bare_facts(item)]
    for item in quantified:
        if item.sentence.doc_id != draft_id:
            continue
        for fact in _bare_facts(item):
            claim = context.evidence(fact, format_quantity(fact.quantity), 1.0)
            check = _verdict(NUMBER_KIND, claim, [f for f in findings if f.kind == NUMBER_KIND and _states(f, claim)])
            # A claim no source sentence was aligned with may still be stated elsewhere; one the
            # sources were found to state differently (from another source, a year apart) is not.
            if check.verdict is Verdict.unverified and not check.finding_ids:
                check = _same_figure_elsewhere(check, fact, source_facts, context)
                if check.verdict is Verdict.unverified:
                    check = _same_words_elsewhere(check, fact, context)
            claims.append(check)
    return claims


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
    figure = "the same figure" if all(side.value == check.claim.value for side in evidence) else "a figure that agrees"
    return _supported(check, f"{figure} appears in the sources ({places})", evidence)


def _same_words_elsewhere(check: ClaimCheck, fact: Fact, context: ComparisonContext) -> ClaimCheck:
    """A figure a source writes in the very same words ("the two main parties", "10-man Forest")
    is stated there, even where the source's wording makes it a name for something rather than a
    claim; a bare number ("2") is too common to count."""
    span = fact.quantity.text
    if not any(character.isalpha() for character in span):
        return check
    pattern = re.compile(rf"(?<!\w){re.escape(span)}(?!\w)", re.IGNORECASE)
    found = [
        (sentence, match)
        for doc_id in sorted(context.sentences)
        if doc_id != fact.doc_id
        for sentence in context.sentences[doc_id]
        if (match := pattern.search(sentence.text))
    ]
    if not found:
        return check
    value = format_quantity(fact.quantity)
    evidence = [context.span_evidence(sentence, *match.span(), value, 0.5) for sentence, match in found[:3]]
    places = ", ".join(dict.fromkeys(side.outlet or side.doc_id for side in evidence))
    return _supported(check, f"the sources use the same words ({places})", evidence)


def _supported(check: ClaimCheck, why: str, evidence: list[Evidence]) -> ClaimCheck:
    """An unverified claim found stated in the sources after all, more weakly than by alignment."""
    return check.model_copy(
        update={"verdict": Verdict.supported, "summary": f"{check.claim.value}: {why}", "evidence": evidence}
    )


def claim_id(kind: str, claim: Evidence) -> str:
    """Built from what the claim says, not where: it survives edits elsewhere in the draft."""
    material = "\x1f".join([kind, " ".join(claim.sentence.split()), claim.span])
    return f"claim-{hashlib.sha1(material.encode('utf-8')).hexdigest()[:12]}"


def _states(finding: Finding, claim: Evidence) -> bool:
    return any(side.doc_id == claim.doc_id and side.start == claim.start for side in finding.sides)


def _verdict(kind: str, claim: Evidence, findings: list[Finding]) -> ClaimCheck:
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
        id=claim_id(kind, claim),
        kind=kind,
        verdict=verdict,
        disputed=bool(agreements and conflicts),
        summary=_summary(verdict, claim, agreements, conflicts, behind),
        claim=claim,
        evidence=evidence,
        finding_ids=[finding.id for finding in behind],
    )


def _summary(
    verdict: Verdict, claim: Evidence, agreements: list[Finding], conflicts: list[Finding], behind: list[Finding]
) -> str:
    if not behind:
        return f"{claim.value}: no source states this figure"
    subject = behind[0].subject or behind[0].kind
    if verdict is Verdict.unverified:
        # Only warnings: a source states it less certainly, at another time or from another source.
        caveats = "; ".join(dict.fromkeys(finding.caveat for finding in behind if finding.caveat))
        summary = f"{subject}: the draft says {claim.value}, but {_sources(behind, claim)}"
        return f"{summary} — {caveats}" if caveats else summary
    agreeing, disagreeing = _sources(agreements, claim), _sources(conflicts, claim)
    if verdict is Verdict.contradicted:
        return f"{subject}: the draft says {claim.value}, but {disagreeing}"
    if conflicts:
        return f"{subject}: the draft says {claim.value}, as {agreeing}; the sources disagree: {disagreeing}"
    return f"{subject}: the draft says {claim.value}, as {agreeing}"


def _sources(findings: list[Finding], claim: Evidence) -> str:
    """"courier.txt, The Ledger and Valley Wire say $2.4 billion; The Post says $3.1 billion"."""
    by_value: dict[str, list[str]] = {}
    for side in _other_sides(findings, claim):
        names = by_value.setdefault(side.value, [])
        if (side.outlet or side.doc_id) not in names:
            names.append(side.outlet or side.doc_id)
    return "; ".join(
        f"{names[0]} says {value}" if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]} say {value}"
        for value, names in by_value.items()
    )


def _other_sides(findings: list[Finding], claim: Evidence) -> list[Evidence]:
    """The source statements behind the findings: every side that is not the draft's claim."""
    return [side for finding in findings for side in finding.sides if side.doc_id != claim.doc_id]
