"""Certainty warnings: one source states as done (or as sure to happen) what another only hedges.

"The leaders agreed to a ceasefire" against "The leaders agreed in principle to a ceasefire" or
"are expected to agree"; "officials confirmed the plant will open in 2026" against "the plant could
open in 2026". Both may be right (the second may be more careful), so this is a warning. Not a
hedge: the future against the past ("will sign" / "signed" is tense, and articles of different
days may predate the event) and attribution ("said", "according to officials").
"""

from __future__ import annotations

import re
from functools import lru_cache

from checker.detectors.base import ComparisonContext, Detector, make_finding, pair_sentences, register
from checker.models import Finding, Sentence, Severity
from checker.polarity import (
    AlignedPredicates,
    Predicate,
    aligned_predicates,
    candidate_pairs,
    cues,
    first_per_statement,
    published_before,
    source_name,
    stated_value,
)

# Hedged paraphrases score very high (0.9 and more for "agreed in principle"); 0.55 keeps the
# pairs where the hedge is the main difference and the argument match rules out the rest.
MIN_SIMILARITY = 0.55


@lru_cache(maxsize=1)
def certainty_cues() -> re.Pattern[str]:
    """Sentences without one of these words cannot hold a hedge the parser would find."""
    table = cues()
    words = [
        *table.hedge_modals,
        *table.hedge_adverbs,
        *(phrase.split()[-1] for phrase in table.hedge_phrases),
        *(lemma.rstrip("e") for lemma in table.hedge_controllers),
        "sought",
    ]
    return re.compile(r"\b(?:" + "|".join(sorted(re.escape(word) for word in words)) + r")", re.IGNORECASE)


@register
class CertaintyDetector(Detector):
    kind = "certainty"
    description = "one source states as done what another only hedges (in principle, expected to, may)"

    def detect(self, context: ComparisonContext) -> list[Finding]:
        candidates = aligned_predicates(context, MIN_SIMILARITY, certainty_cues())
        findings = [self.compare(aligned, context) for aligned in candidates]
        return first_per_statement([finding for finding in findings if finding is not None])

    def to_parse(self, context: ComparisonContext) -> list[Sentence]:
        return pair_sentences(candidate_pairs(context, MIN_SIMILARITY, certainty_cues()))

    def compare(self, aligned: AlignedPredicates, context: ComparisonContext) -> Finding | None:
        a, b, pair = aligned.a, aligned.b, aligned.pair
        if a.negated or b.negated or a.hedged == b.hedged:
            return None
        hedged, hedged_doc, asserted, asserted_doc = (
            (a, pair.a.doc_id, b, pair.b.doc_id) if a.hedged else (b, pair.b.doc_id, a, pair.a.doc_id)
        )
        if hedged.intention and asserted.future:
            # "plans to ease" and "will ease" make the same claim about the future.
            return None
        if hedged.forward and published_before(context, hedged_doc, asserted_doc):
            # "expected to sign" on Monday and "signed" on Wednesday: the event happened in between.
            return None
        span_a, span_b = _span(a), _span(b)
        event = context.same_event(pair, [span_a], [span_b])
        if not event.same_fact:
            return None
        says = {
            asserted_doc: f"{source_name(context, asserted_doc)} says {asserted.echo}",
            hedged_doc: f"{source_name(context, hedged_doc)} says only “{hedged.words}”",
        }
        subject = f"whether {asserted.statement}"
        summary = f"{subject}: {says[pair.a.doc_id]}, {says[pair.b.doc_id]}"
        confidence = min(0.5 + 0.2 * aligned.fit.matched, 0.95)
        sides = [
            context.span_evidence(pair.a, *span_a, stated_value(a, b), confidence),
            context.span_evidence(pair.b, *span_b, stated_value(b, a), confidence),
        ]
        reasons = [*event.reasons, *aligned.fit.reasons, f"{source_name(context, hedged_doc)} hedges it: “{hedged.hedge}”"]
        if asserted.booster:
            reasons.append(f"{source_name(context, asserted_doc)} vouches for it: “{asserted.booster}”")
        score = pair.similarity / 2 + 0.15 * aligned.fit.matched + event.score
        return make_finding(self.kind, Severity.warning, summary, sides, score, reasons, subject=subject)


def _span(predicate: Predicate) -> tuple[int, int]:
    """The predicate with its cues, from "confirmed" on when an attribution vouches for it."""
    start = min(predicate.start, predicate.booster_start) if predicate.booster_start is not None else predicate.start
    return start, predicate.end
