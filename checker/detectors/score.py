"""Scores and vote tallies: the same game or vote reported with different results.

"Arlo United beat Velmont City 3-1" against "Arlo United came from behind to beat Velmont City
3-2"; "the Senate voted 52-48" against "51-49". A score is two whole numbers joined by a dash
("3-1", "102–98") beside a word of results or votes (beat, won, lost, drew, victory, defeat,
voted, ruling). It is read winner first, so "lost 1-3" and "won 3-1" agree. A score at half-time,
while one side led, on aggregate or in a shoot-out is another fact than the final score and is
compared only with a score of its own phase. The event gate decides whether two sentences speak
of one game: a different opponent, place or day is a different game.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from checker.detectors.base import ComparisonContext, Detector, make_finding, pair_sentences, register
from checker.frames import unmatched
from checker.models import Finding, Sentence, SentencePair, Severity

# Results and tallies are short, formulaic sentences; a rewritten one still scores well above this.
MIN_SIMILARITY = 0.45
# Two whole numbers joined by a dash, not part of a decimal, a season ("2019-20"), a range of
# units ("5-7 percent") or of a plural noun ("5-7 players").
SCORE = re.compile(
    r"(?<![\w.,/$€£%-])(?P<first>\d{1,3})\s?[-–—]\s?(?P<second>\d{1,3})"
    r"(?![\w/%-]|[.,]\d|\s+(?!(?:wins|victories|defeats|draws|losses)\b)[a-z]+s\b"
    r"|\s+(?:percent|per cent|years?|months?|weeks?|days?|hours?|minutes?|seconds?|points?|km|miles?"
    r"|am|pm|a\.m\.|p\.m\.)\b)"
)
# A bill or a nominee passed, approved, rejected or confirmed by a tally.
PASSING = r"pass(?:ed|es)?|approv\w*|reject\w*|confirm\w*"
RESULT_CUE = re.compile(
    r"\b(?:beat|beats|beaten|beating|won|win|wins|winning|lost|lose|loses|losing|drew|draw|draws|drawn|"
    r"defeat\w*|victor\w*|triumph\w*|edged?|thrash\w*|rout\w*|crush\w*|downed|upset|scor\w*|led|leads?|"
    r"leading|trail\w*|vot\w*|ruled|ruling|decision|verdict|tally|margin|final|match|game|aggregate|"
    rf"penalt(?:y|ies)|half[- ]?time|{PASSING})\b",
    re.IGNORECASE,
)
VOTE_CUE = re.compile(
    rf"\b(?:vot\w*|ruled|ruling|decision|verdict|tally|ballot|motion|bill|{PASSING})\b",
    re.IGNORECASE,
)
NOT_NAMES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
# How near (in characters) a cue must be to the score it speaks of.
CUE_REACH = 60
# Phases other than the final result, by a cue just before or just after the score.
PHASE_CUES: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...] = (
    ("half-time", re.compile(r"half[- ]?time|at the (?:break|interval)", re.I),
     re.compile(r"^.{0,30}(?:half[- ]?time|at the (?:break|interval))", re.I)),
    ("aggregate", re.compile(r"aggregate", re.I), re.compile(r"^.{0,20}aggregate", re.I)),
    ("shoot-out", re.compile(r"shoot-?out", re.I), re.compile(r"^.{0,20}(?:penalt(?:y|ies)|shoot-?out|on pens)", re.I)),
    # "had led 1-0", "trailed 0-2": a score on the way, not the result.
    ("interim", re.compile(r"\b(?:led|leading|lead|leads|trail\w*|up|down)\s+(?:by\s+)?$", re.I), None),
)
# How far before the score a phase cue may stand.
PHASE_REACH = 25


class Score(NamedTuple):
    """One score in a sentence: where it is, its phase and its value winner first."""

    start: int
    end: int
    phase: str
    value: str
    vote: bool


@lru_cache(maxsize=4096)
def scores_in(text: str) -> tuple[Score, ...]:
    """The scores a sentence gives, each with its phase ("final" unless a cue says otherwise);
    remembered by text, since every candidate pair asks twice (what to parse, what to compare)."""
    found = []
    for match in SCORE.finditer(text):
        before = text[max(0, match.start() - CUE_REACH) : match.start()]
        after = text[match.end() : match.end() + CUE_REACH]
        if not (RESULT_CUE.search(before) or RESULT_CUE.search(after)):
            continue
        first, second = int(match["first"]), int(match["second"])
        phase = next(
            (
                name
                for name, cue_before, cue_after in PHASE_CUES
                if cue_before.search(before[-PHASE_REACH:]) or (cue_after is not None and cue_after.search(after))
            ),
            "final",
        )
        vote = bool(VOTE_CUE.search(before) or VOTE_CUE.search(after))
        found.append(Score(match.start(), match.end(), phase, f"{max(first, second)}-{min(first, second)}", vote))
    return tuple(found)


def _same_game(pair: SentencePair, score_a: Score, score_b: Score, context: ComparisonContext) -> list[str] | None:
    """Why the two scores are of one game, or None. The sides are the names around the scores,
    whatever label the tagger gave each ("Velmont City" is a team in one sentence, a place in the
    other): a name on each side that the other lacks means other opponents. A scorer named in one
    sentence only is no opponent. Places and times go through the event gate."""
    names_a, names_b = _names(context, pair.a), _names(context, pair.b)
    only_a, only_b = unmatched(names_a, names_b), unmatched(names_b, names_a)
    if not names_a or not names_b or (only_a and only_b):
        return None
    gate = context.same_event(pair, [(score_a.start, score_a.end)], [(score_b.start, score_b.end)], participants=False)
    if not gate.same_fact:
        return None
    shared = [name for name in names_a if name not in only_a]
    return [*gate.reasons, f"shared names: {', '.join(shared)}"]


def _names(context: ComparisonContext, sentence: Sentence) -> list[str]:
    """Named entities and runs of proper nouns (the tagger misses many team names), not dates."""
    doc = context.parsed(sentence)
    numeric = {token.i for ent in doc.ents if ent.label_ in NOT_NAMES for token in ent}
    names = {ent.text for ent in doc.ents if ent.label_ not in NOT_NAMES}
    run: list[str] = []
    for token in [*doc, None]:
        if token is not None and token.pos_ == "PROPN" and token.i not in numeric:
            run.append(token.text)
            continue
        if run:
            names.add(" ".join(run))
        run = []
    return sorted({re.sub(r"(?:'s|’s)$", "", name) for name in names})


def _first_per_phase(text: str) -> dict[str, Score]:
    return {score.phase: score for score in reversed(scores_in(text))}


def _has_score(pair: SentencePair) -> bool:
    return bool(scores_in(pair.a.text)) and bool(scores_in(pair.b.text))


@register
class ScoreDetector(Detector):
    kind = "score"
    description = "scores and vote tallies that differ for the same game or vote"

    def to_parse(self, context: ComparisonContext) -> list[Sentence]:
        return pair_sentences(context.candidate_pairs(MIN_SIMILARITY, _has_score))

    def detect(self, context: ComparisonContext) -> list[Finding]:
        pairs = sorted(
            context.candidate_pairs(MIN_SIMILARITY, _has_score),
            key=lambda pair: (-pair.similarity, pair.a.doc_id, pair.a.index, pair.b.doc_id, pair.b.index),
        )
        context.prepare_pairs(pairs)
        findings: list[Finding] = []
        told: set[tuple[str, int, str, str]] = set()  # (doc, sentence, phase, other doc): a statement's one counterpart
        for pair in pairs:
            scores_b = _first_per_phase(pair.b.text)
            for score_a in _first_per_phase(pair.a.text).values():
                score_b = scores_b.get(score_a.phase)
                keys = (
                    (pair.a.doc_id, pair.a.index, score_a.phase, pair.b.doc_id),
                    (pair.b.doc_id, pair.b.index, score_a.phase, pair.a.doc_id),
                )
                if score_b is None or any(key in told for key in keys):
                    continue
                reasons = _same_game(pair, score_a, score_b, context)
                if reasons is None:
                    continue
                told.update(keys)
                findings.append(self._finding(pair, score_a, score_b, reasons, context))
        return findings

    def _finding(
        self, pair: SentencePair, score_a: Score, score_b: Score, reasons: list[str], context: ComparisonContext
    ) -> Finding:
        what = "vote" if score_a.vote or score_b.vote else "score"
        subject = f"{score_a.phase} {what}"  # "final score", "half-time score", "final vote"
        same = score_a.value == score_b.value
        summary = f"{subject}: both {score_a.value}" if same else f"{subject}: {score_a.value} vs {score_b.value}"
        sides = [
            context.span_evidence(pair.a, score_a.start, score_a.end, score_a.value, 1.0),
            context.span_evidence(pair.b, score_b.start, score_b.end, score_b.value, 1.0),
        ]
        severity = Severity.info if same else Severity.conflict
        return make_finding(self.kind, severity, summary, sides, pair.similarity, reasons, subject)
