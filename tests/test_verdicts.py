"""Draft verdicts for claims no aligned source sentence states: supported by the same words
elsewhere in the sources, else unverified (real model and parser)."""

from __future__ import annotations

import pytest

from checker.draft import check_draft
from checker.ingest import document_from_text
from checker.models import Corpus, Verdict

pytestmark = pytest.mark.model

SOURCE = (
    "Veloria votes on Sunday after a campaign fought mostly over water prices. "
    "The latest survey has the two main parties level on about 35 percent each."
)


def verdict_for(draft_text: str, span: str):
    source = Corpus(documents=[document_from_text(SOURCE, "source.txt")])
    report = check_draft(document_from_text(draft_text, "draft.txt"), source).report
    (claim,) = [claim for claim in report.claims if claim.claim.span == span]
    return claim


def test_the_same_words_in_a_source_support_a_figure_the_source_names_rather_than_states() -> None:
    claim = verdict_for("Polls show two main parties locked together ahead of the vote.", "two main parties")
    assert claim.verdict is Verdict.supported
    assert claim.summary.endswith("the sources use the same words (source.txt)")
    assert [side.span for side in claim.evidence] == ["two main parties"]


def test_a_figure_no_source_gives_is_unverified() -> None:
    claim = verdict_for("The plants will create 3,500 jobs along the coast.", "3,500 jobs")
    assert claim.verdict is Verdict.unverified
    assert claim.evidence == []


def _draft_verdict(sources: dict[str, str], draft_text: str, span: str):
    corpus = Corpus(documents=[document_from_text(text, name) for name, text in sorted(sources.items())])
    report = check_draft(document_from_text(draft_text, "draft.txt"), corpus).report
    (claim,) = [claim for claim in report.claims if claim.claim.span == span]
    return claim


def test_a_figure_from_another_source_is_unverified_not_supported_by_a_loose_agreement() -> None:
    # "Thousands" agrees loosely with 20,000, but the aligned sentence gives the police's count:
    # the organisers' figure is neither confirmed nor contradicted by it.
    claim = _draft_verdict(
        {"courier.txt": "Thousands of people marched through Velmont on Saturday. "
         "Police said about 5,000 people took part in the march through Velmont."},
        "Organisers said 20,000 people took part in the march through Velmont.",
        "20,000 people",
    )
    assert claim.verdict is Verdict.unverified
    assert claim.summary.endswith("from different sources: police and organisers")
    assert [side.span for side in claim.evidence] == ["about 5,000 people"]


def test_a_looser_figure_elsewhere_supports_a_claim_as_agreeing_not_as_the_same() -> None:
    claim = _draft_verdict(
        {"courier.txt": "Veloria's harbour employs thousands of workers."},
        "Velmont's new plant will employ 4,000 workers.",
        "4,000 workers",
    )
    assert claim.verdict is Verdict.supported
    assert "a figure that agrees appears in the sources (courier.txt gives thousands of workers)" in claim.summary
