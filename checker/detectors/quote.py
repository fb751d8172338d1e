"""Quotations: the same statement quoted in different words, or the same words given to different speakers.

Quotations are paired by their words across whole documents, not through sentence similarity:
the words identify the statement. Attribution needs a parse, so only quotations that another
document also carries are attributed.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from itertools import combinations

from pydantic import BaseModel

from checker.detectors.base import ComparisonContext, Detector, make_finding, register
from checker.frames import names_match
from checker.models import Evidence, Finding, Sentence, SentencePair, Severity
from checker.quotes import Quotation, Speaker, WordingMatch, attribute, compare_wording, find_quotations, shingles

# Shorter shared runs are too often a stock phrase two people both use ("a threat to the future of fishing").
MIN_ATTRIBUTION_WORDS = 8
# Aligned words shown either side of a difference in a summary, and the longest quotation shown whole.
CONTEXT_WORDS = 3
MAX_SUMMARY_WORDS = 14
# How far back a quotation may settle who "he" is or whose words a bare quotation continues.
ANTECEDENT_SENTENCES = 2
# Pairing is quadratic in the quotations sharing a run of words; a run in more is a stock phrase
# or a chant, and quotations that are one statement share other runs too.
MAX_SHINGLE_HOLDERS = 200
DIRECT_CONFIDENCE = 0.9
INFERRED_CONFIDENCE = 0.7
QUOTE_CONFIDENCE = 0.9

QuoteKey = tuple[str, int]
_SpeakerPair = tuple[Speaker | None, Speaker | None]


class QuotedSpan(BaseModel):
    """What one side of a finding highlights: offsets in one sentence."""

    sentence: Sentence
    start: int
    end: int

    def evidence(self, context: ComparisonContext, value: str, score: float) -> Evidence:
        return context.span_evidence(self.sentence, self.start, self.end, value, score)


@register
class QuoteDetector(Detector):
    kind = "quote"
    description = "the same quotation in different words, or the same words attributed to different speakers"

    def detect(self, context: ComparisonContext) -> list[Finding]:
        quotations = {doc_id: find_quotations(document) for doc_id, document in sorted(context.documents.items())}
        speakers = _Speakers(context, quotations)
        matched = _matched_pairs(quotations)
        speakers.prepare([quotation for a, b, _ in matched for quotation in (a, b)])
        findings: dict[str, Finding] = {}
        for a, b, match in matched:
            finding = self.compare(a, b, match, speakers, context)
            if finding is not None:
                findings.setdefault(finding.id, finding)
        return list(findings.values())

    def compare(
        self, a: Quotation, b: Quotation, match: WordingMatch, speakers: _Speakers, context: ComparisonContext
    ) -> Finding | None:
        speaker_a, speaker_b = speakers.of(a), speakers.of(b)
        if speaker_a is None or speaker_b is None or names_match(speaker_a.name, speaker_b.name):
            if match.relation == "reworded":
                return self._reworded(a, b, match, (speaker_a, speaker_b), context)
            return self._corroborated(a, b, match, (speaker_a, speaker_b), context)
        # Two people saying much the same thing is not a misquotation; an institution speaks
        # through many people; a short run of words may be a phrase both use.
        verbatim = match.relation != "reworded" and match.shared >= MIN_ATTRIBUTION_WORDS
        if verbatim and speaker_a.person and speaker_b.person:
            return self._misattributed(a, b, match, speaker_a, speaker_b, context)
        return None

    def _misattributed(
        self,
        a: Quotation,
        b: Quotation,
        match: WordingMatch,
        speaker_a: Speaker,
        speaker_b: Speaker,
        context: ComparisonContext,
    ) -> Finding | None:
        side_a = _speaker_span(a, match.a_region, speaker_a, context)
        side_b = _speaker_span(b, match.b_region, speaker_b, context)
        gate = _event_gate(a, b, side_a, side_b, context)
        if gate is None:
            return None
        words = _display(a, match.a_region, context)
        summary = (
            f"same words attributed to different speakers: {speaker_a.name} ({a.doc_id}) vs "
            f"{speaker_b.name} ({b.doc_id}): “{words}”"
        )
        reasons = [
            *gate,
            f"quoted words: {match.shared} in the same order ({match.relation})",
            _attribution_reason(a, speaker_a),
            _attribution_reason(b, speaker_b),
        ]
        confidence_a, confidence_b = _speaker_confidence(speaker_a), _speaker_confidence(speaker_b)
        score = min(1.0, 0.5 + match.shared / 40) * confidence_a * confidence_b
        sides = [
            side_a.evidence(context, speaker_a.name, confidence_a),
            side_b.evidence(context, speaker_b.name, confidence_b),
        ]
        return make_finding(self.kind, Severity.conflict, summary, sides, score, reasons, f"speaker of “{words}”")

    def _reworded(
        self, a: Quotation, b: Quotation, match: WordingMatch, speakers: _SpeakerPair, context: ComparisonContext
    ) -> Finding | None:
        first = match.differences[0]
        side_a = _quote_span(a, match.a_region, first.a_start, context)
        side_b = _quote_span(b, match.b_region, first.b_start, context)
        gate = _event_gate(a, b, side_a, side_b, context)
        if gate is None:
            return None
        subject = _quotation_subject(speakers)
        window_a = _window(a, match.a_region, first.a_start, first.a_end, context)
        window_b = _window(b, match.b_region, first.b_start, first.b_end, context)
        summary = f"{subject} worded differently: “{window_a}” vs “{window_b}”"
        others = len(match.differences) - 1
        if others:
            summary += f" (and {others} other difference{'s' if others > 1 else ''})"
        shorter = min(len(a.words), len(b.words))
        reasons = [
            *gate,
            f"quoted words: {match.shared} of {shorter} in the same order, worded differently in "
            f"{len(match.differences)} place{'s' if len(match.differences) > 1 else ''}",
            *_attribution_reasons((a, b), speakers),
        ]
        sides = [
            side_a.evidence(context, a.normalised(*match.a_region), QUOTE_CONFIDENCE),
            side_b.evidence(context, b.normalised(*match.b_region), QUOTE_CONFIDENCE),
        ]
        return make_finding(self.kind, Severity.warning, summary, sides, match.shared / shorter, reasons, subject)

    def _corroborated(
        self, a: Quotation, b: Quotation, match: WordingMatch, speakers: _SpeakerPair, context: ComparisonContext
    ) -> Finding:
        side_a = _quote_span(a, match.a_region, match.a_region[0], context)
        side_b = _quote_span(b, match.b_region, match.b_region[0], context)
        subject = _quotation_subject(speakers)
        summary = f"{subject}: same words: “{_display(a, match.a_region, context)}”"
        reasons = [
            f"quoted words: {match.shared} in the same order ({match.relation})",
            *_attribution_reasons((a, b), speakers),
        ]
        value = a.normalised(*match.a_region)
        sides = [side_a.evidence(context, value, QUOTE_CONFIDENCE), side_b.evidence(context, value, QUOTE_CONFIDENCE)]
        score = min(1.0, 0.5 + match.shared / 20)
        return make_finding(self.kind, Severity.info, summary, sides, score, reasons, subject)


# --------------------------------------------------------------------------- pairing quotations


def _matched_pairs(quotations: dict[str, list[Quotation]]) -> list[tuple[Quotation, Quotation, WordingMatch]]:
    """Quotations of different documents that are one statement, best counterparts first: within a
    pair of documents, words of a quotation are paired once, with the closest wording (verbatim
    before excerpt before rewording). A quotation in two pieces may pair each piece separately."""
    index: dict[tuple[str, ...], list[Quotation]] = defaultdict(list)
    for doc_quotations in quotations.values():
        for quotation in doc_quotations:
            for shingle in shingles(quotation):
                index[shingle].append(quotation)
    candidates: dict[tuple[QuoteKey, QuoteKey], tuple[Quotation, Quotation]] = {}
    for holders in index.values():
        if len(holders) > MAX_SHINGLE_HOLDERS:
            continue
        for first, second in combinations(holders, 2):
            if first.doc_id != second.doc_id:
                a, b = sorted((first, second), key=lambda quotation: quotation.key)
                candidates[(a.key, b.key)] = (a, b)
    matched = [(a, b, match) for a, b in candidates.values() if (match := compare_wording(a, b)) is not None]
    matched.sort(key=lambda item: (_closeness(item[2]), item[0].key, item[1].key))
    used: dict[tuple[QuoteKey, str], list[tuple[int, int]]] = defaultdict(list)
    kept = []
    for a, b, match in matched:
        taken_a, taken_b = used[(a.key, b.doc_id)], used[(b.key, a.doc_id)]
        if _overlapping(match.a_region, taken_a) or _overlapping(match.b_region, taken_b):
            continue
        taken_a.append(match.a_region)
        taken_b.append(match.b_region)
        kept.append((a, b, match))
    return sorted(kept, key=lambda item: (item[0].key, item[1].key))


def _closeness(match: WordingMatch) -> tuple[int, int, int]:
    """Sort key, closest first: verbatim, then most words shared, then fewest differences."""
    return (match.relation == "reworded", -match.shared, len(match.differences))


def _overlapping(region: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(start < region[1] and region[0] < end for start, end in others)


class _Speakers:
    """Speakers attributed on demand, parses shared with the context. A quotation's antecedents
    (the quotations just before it) are attributed first: they can settle a pronoun."""

    def __init__(self, context: ComparisonContext, quotations: dict[str, list[Quotation]]) -> None:
        self.context = context
        self.quotations = quotations
        self.found: dict[QuoteKey, Speaker | None] = {}

    def prepare(self, quotations: list[Quotation]) -> None:
        """Parse in one batch every sentence attributing these quotations may read: theirs and
        the few before them (a parse per call costs far more than a parse in a batch)."""
        wanted: dict[tuple[str, int], Sentence] = {}
        for quotation in quotations:
            sentences = self.context.sentences[quotation.doc_id]
            first = _sentence_at(quotation.start, sentences).index - ANTECEDENT_SENTENCES - 1
            last = _sentence_at(quotation.end, sentences).index
            for sentence in sentences[max(first, 0) : last + 1]:
                wanted[(sentence.doc_id, sentence.index)] = sentence
        self.context.prepare(list(wanted.values()))

    def of(self, quotation: Quotation) -> Speaker | None:
        if quotation.key not in self.found:
            document = self.context.documents[quotation.doc_id]
            sentences = self.context.sentences[quotation.doc_id]
            earlier = [
                previous.model_copy(update={"speaker": self.of(previous)})
                for previous in self._antecedents(quotation, sentences)
            ]
            self.found[quotation.key] = attribute(quotation, document, sentences, self.context.parsed, earlier)
        return self.found[quotation.key]

    def _antecedents(self, quotation: Quotation, sentences: list[Sentence]) -> list[Quotation]:
        reach = sentences[max(_sentence_at(quotation.start, sentences).index - ANTECEDENT_SENTENCES, 0)].start
        doc_quotations = self.quotations[quotation.doc_id]
        position = bisect.bisect_left(doc_quotations, quotation.start, key=lambda previous: previous.start)
        earlier = []
        for previous in reversed(doc_quotations[:position]):
            if previous.end < reach:
                break
            earlier.insert(0, previous)
        return earlier


# --------------------------------------------------------------------------- evidence


def _sentence_at(offset: int, sentences: list[Sentence]) -> Sentence:
    position = bisect.bisect_right(sentences, offset, key=lambda sentence: sentence.start) - 1
    return sentences[max(position, 0)]


def _quote_span(quotation: Quotation, region: tuple[int, int], focus: int, context: ComparisonContext) -> QuotedSpan:
    """The aligned words of the quoted piece that holds word ``focus``, within its sentence."""
    words = quotation.words
    focus_word = words[min(max(focus, region[0]), region[1] - 1)]
    piece_start, piece_end = next(
        ((start, end) for start, end in quotation.pieces if start <= focus_word.start < end), quotation.pieces[0]
    )
    sentence = _sentence_at(focus_word.start, context.sentences[quotation.doc_id])
    start = max(words[region[0]].start, piece_start, sentence.start)
    end = min(words[region[1] - 1].end, piece_end, sentence.end)
    if end <= start:
        start, end = focus_word.start, focus_word.end
    return QuotedSpan(sentence=sentence, start=start - sentence.start, end=end - sentence.start)


def _speaker_span(
    quotation: Quotation, region: tuple[int, int], speaker: Speaker, context: ComparisonContext
) -> QuotedSpan:
    """The speaker's name (or pronoun) where the sentence with the shared words gives it, else
    the shared words: the editor must see the words whose speaker is in question."""
    words = _quote_span(quotation, region, region[0], context)
    if speaker.end > speaker.start and words.sentence.start <= speaker.start < words.sentence.end:
        sentence = words.sentence
        return QuotedSpan(sentence=sentence, start=speaker.start - sentence.start, end=speaker.end - sentence.start)
    return words


def _event_gate(
    a: Quotation, b: Quotation, side_a: QuotedSpan, side_b: QuotedSpan, context: ComparisonContext
) -> list[str] | None:
    """The event gate's reasons for the sentences that carry the two sides, or None when they
    speak of different times or places (a statement repeated years apart is two statements).
    The quotations and the highlighted spans are left out of the frames, so that different
    speakers do not count as different participants."""
    similarity = _similarity(side_a.sentence, side_b.sentence, context)
    pair = SentencePair(a=side_a.sentence, b=side_b.sentence, similarity=similarity or 0.0)
    verdict = context.same_event(pair, _taken(a, side_a), _taken(b, side_b))
    if not verdict.same_fact:
        return None
    if similarity is None:
        return ["the sentences were not aligned by meaning; compared for their shared quotation", *verdict.reasons[1:]]
    return verdict.reasons


def _taken(quotation: Quotation, side: QuotedSpan) -> list[tuple[int, int]]:
    """The quotation's pieces (marks included) and the highlighted span, as offsets in the side's sentence."""
    sentence = side.sentence
    pieces = [
        (max(start - 1, sentence.start) - sentence.start, min(end + 1, sentence.end) - sentence.start)
        for start, end in quotation.pieces
        if start < sentence.end and sentence.start < end
    ]
    return [*pieces, (side.start, side.end)]


def _similarity(a: Sentence, b: Sentence, context: ComparisonContext) -> float | None:
    """The two sentences' cosine similarity, when the index aligned them."""
    keys = {(a.doc_id, a.index), (b.doc_id, b.index)}
    for match in context.matches:
        if {(match.doc_a, match.sentence_a), (match.doc_b, match.sentence_b)} == keys:
            return match.similarity
    return None


# --------------------------------------------------------------------------- words for the summary


def _display(quotation: Quotation, region: tuple[int, int], context: ComparisonContext) -> str:
    """The aligned words as written, cut after MAX_SUMMARY_WORDS."""
    start, end = region
    if end - start <= MAX_SUMMARY_WORDS:
        return _written(quotation, start, end, context)
    return f"{_written(quotation, start, start + MAX_SUMMARY_WORDS, context)} …"


def _window(quotation: Quotation, region: tuple[int, int], start: int, end: int, context: ComparisonContext) -> str:
    """Words ``start``..``end`` (a difference) with CONTEXT_WORDS aligned words either side, "…"
    marking more of the quotation on either side."""
    low, high = max(start - CONTEXT_WORDS, region[0]), min(end + CONTEXT_WORDS, region[1])
    before, after = "…" if low > region[0] else "", "…" if high < region[1] else ""
    return f"{before}{_written(quotation, low, high, context)}{after}"


def _written(quotation: Quotation, start: int, end: int, context: ComparisonContext) -> str:
    """Words ``start``..``end`` as the document writes them; the attribution between two pieces becomes "…"."""
    if end <= start:
        return ""
    text = context.documents[quotation.doc_id].text
    low, high = quotation.words[start].start, quotation.words[end - 1].end
    pieces = [
        text[max(piece_start, low) : min(piece_end, high)].strip(" ,")
        for piece_start, piece_end in quotation.pieces
        if max(piece_start, low) < min(piece_end, high)
    ]
    return " … ".join(" ".join(piece.split()) for piece in pieces)


def _attribution_reasons(quotations: tuple[Quotation, Quotation], speakers: _SpeakerPair) -> list[str]:
    return [_attribution_reason(quotation, speaker) for quotation, speaker in zip(quotations, speakers) if speaker]


def _attribution_reason(quotation: Quotation, speaker: Speaker) -> str:
    return f"speaker in {quotation.doc_id}: {speaker.name} ({speaker.how})"


def _speaker_confidence(speaker: Speaker) -> float:
    """A speaker read from a pronoun or from the quotation before is less certain than a name by the words."""
    return INFERRED_CONFIDENCE if speaker.inferred else DIRECT_CONFIDENCE


def _quotation_subject(speakers: _SpeakerPair) -> str:
    """"quotation by Ilse Brandt", with the fuller of two names for one speaker ("Ilse Brandt" over "Brandt")."""
    known = [speaker for speaker in speakers if speaker is not None]
    if not known:
        return "quotation"
    return f"quotation by {max(known, key=lambda speaker: len(speaker.name.split())).name}"
