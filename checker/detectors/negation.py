"""Negation conflicts: one source says something happened, another that it did not.

"The two governments signed the fisheries accord" against "The two governments did not sign the
fisheries accord". The predicates are read by checker.polarity: the same verb with the same
subject and object, one side negated ("not", "never", "no longer", "has yet to", "failed to",
"refused to", "declined to", "no agreement was reached") and the other not.
"""

from __future__ import annotations

import re

from checker.detectors.base import ComparisonContext, Detector, make_finding, pair_sentences, register
from checker.models import Finding, Sentence, Severity
from checker.polarity import (
    AlignedPredicates,
    Predicate,
    aligned_predicates,
    candidate_pairs,
    first_per_statement,
    published_before,
    source_name,
    stated_value,
)

# Negated paraphrases score high (0.6-0.75 for a planted "did not sign"), and the argument match
# does the rest: on the AllSides clusters no aligned pair with opposite polarity scores under 0.5
# and states one fact.
MIN_SIMILARITY = 0.5
# Sentences without one of these words cannot hold a negation the parser would find.
NEGATION_CUES = re.compile(
    r"\b(?:not|never|no|yet|cannot|fail\w*|refus\w*|declin\w*|neglect\w*)\b|n[’']t\b", re.IGNORECASE
)


@register
class NegationDetector(Detector):
    kind = "negation"
    description = "one source says something happened, another says it did not"

    def detect(self, context: ComparisonContext) -> list[Finding]:
        candidates = aligned_predicates(context, MIN_SIMILARITY, NEGATION_CUES)
        findings = [self.compare(aligned, context) for aligned in candidates]
        return first_per_statement([finding for finding in findings if finding is not None])

    def to_parse(self, context: ComparisonContext) -> list[Sentence]:
        return pair_sentences(candidate_pairs(context, MIN_SIMILARITY, NEGATION_CUES))

    def compare(self, aligned: AlignedPredicates, context: ComparisonContext) -> Finding | None:
        a, b, pair = aligned.a, aligned.b, aligned.pair
        if a.hedged or b.hedged or not (a.negated or b.negated) or a.future != b.future:
            # "will not sign" against "signed" is a change of plan or of tense, not a contradiction.
            return None
        if a.negated != b.negated:
            negative_doc, positive_doc = (pair.a.doc_id, pair.b.doc_id) if a.negated else (pair.b.doc_id, pair.a.doc_id)
            if published_before(context, negative_doc, positive_doc):
                # "has not signed" on Monday and "signed" on Wednesday: the news moved on.
                return None
        event = context.same_event(pair, [(a.start, a.end)], [(b.start, b.end)])
        if not event.same_fact:
            return None
        name_a, name_b = source_name(context, pair.a.doc_id), source_name(context, pair.b.doc_id)
        if a.negated and b.negated:
            severity = Severity.info
            subject = a.statement
            summary = f"{subject}: {name_a} and {name_b} both say so"
        else:
            severity = Severity.conflict
            positive = b if a.negated else a
            subject = f"whether {positive.statement}"
            summary = f"{subject}: {name_a} says {_answer(a, positive)}, {name_b} says {_answer(b, positive)}"
        negations = [
            f"{source_name(context, sentence.doc_id)} negates it: “{predicate.negation}”"
            for predicate, sentence in ((a, pair.a), (b, pair.b))
            if predicate.negation
        ]
        confidence = min(0.5 + 0.2 * aligned.fit.matched, 0.95)
        sides = [
            context.span_evidence(pair.a, a.start, a.end, stated_value(a, b), confidence),
            context.span_evidence(pair.b, b.start, b.end, stated_value(b, a), confidence),
        ]
        score = pair.similarity / 2 + 0.15 * aligned.fit.matched + event.score
        reasons = [*event.reasons, *aligned.fit.reasons, *negations]
        return make_finding(self.kind, severity, summary, sides, score, reasons, subject=subject)


def _answer(predicate: Predicate, positive: Predicate) -> str:
    return f"{positive.echo} not" if predicate.negated else positive.echo
