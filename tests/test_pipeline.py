"""The pipeline's plumbing with a fake embedder: documents, ordering, determinism, timings."""

from __future__ import annotations

import pytest

from checker import frames
from checker.detectors import DETECTORS, selected_kinds
from checker.errors import UsageError
from checker.ingest import load_corpus
from checker.models import Severity
from checker.pipeline import CheckOptions, Stopwatch, analyse, check_texts
from tests.fake_embedder import BagOfWordsEmbedder
from tests.paths import FIXTURES

TEXTS = {
    "harbor.txt": "The talks between Mayor Brandt and Governor Ortiz lasted nine hours on Tuesday.\n\n"
    "The council approved a $2.4 billion fund for bridges.",
    "valley.txt": "The talks between Mayor Brandt and Governor Ortiz lasted six hours on Tuesday.\n\n"
    "The council approved a $2.4bn fund for bridges.",
    "empty.txt": "   \n",
}


@pytest.fixture(scope="module")
def result():
    return check_texts(TEXTS, CheckOptions(threshold=0.3), embedder=BagOfWordsEmbedder())


def test_documents_and_skipped_are_listed(result) -> None:
    report = result.report
    assert [document.doc_id for document in report.documents] == ["harbor.txt", "valley.txt"]
    assert [skipped.path for skipped in report.skipped] == ["empty.txt"]
    assert report.summary.sentences == 4
    assert report.model == "fake-bag-of-words"


def test_conflict_and_corroboration_found(result) -> None:
    by_severity = {finding.severity: finding.summary for finding in result.report.findings}
    assert by_severity[Severity.conflict] == "duration of the talks: 9 hours vs 6 hours"
    assert by_severity[Severity.info] == "amount of the fund: both $2.4 billion"


def test_findings_sorted_by_severity_then_position(result) -> None:
    ranks = [finding.severity.rank for finding in result.report.findings]
    assert ranks == sorted(ranks, reverse=True)


def test_summary_counts_match_findings(result) -> None:
    counts = result.report.summary.findings_by_severity
    assert counts == {s.value: sum(f.severity is s for f in result.report.findings) for s in Severity}


def test_same_input_same_report(result) -> None:
    again = check_texts(TEXTS, CheckOptions(threshold=0.3), embedder=BagOfWordsEmbedder())
    assert again.report.model_dump_json() == result.report.model_dump_json()


def test_every_stage_is_timed(result) -> None:
    assert {"segment", "quantities", "embed", "index", "parse", "frames", "align", "compare"} <= set(result.timings)
    assert all(seconds >= 0 for seconds in result.timings.values())


def test_nothing_aligned_above_a_threshold_of_one() -> None:
    report = check_texts(TEXTS, CheckOptions(threshold=1.0), embedder=BagOfWordsEmbedder()).report
    assert report.findings == [] and report.summary.aligned_pairs == 0


def test_empty_corpus_gives_an_empty_report() -> None:
    report = check_texts({}, embedder=BagOfWordsEmbedder()).report
    assert report.documents == [] and report.findings == []


def test_every_detector_sentence_is_parsed_in_the_first_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """spaCy runs faster on one large batch: what the frames and every detector will read is parsed at once."""
    corpus = load_corpus([FIXTURES / "harbor-summit"])
    frames._recent_parses.clear()
    batches: list[list[str]] = []
    pipe = frames.load_parser().pipe
    monkeypatch.setattr(frames.load_parser(), "pipe", lambda texts, **options: pipe(batches.append(list(texts)) or texts, **options))
    analysis = analyse(corpus, CheckOptions(), BagOfWordsEmbedder(), None, Stopwatch())
    wanted = {sentence.text for kind in DETECTORS for sentence in DETECTORS[kind]().to_parse(analysis.context)}
    assert len(wanted) > 10
    assert wanted <= set(batches[0])
    assert {text for batch in batches[1:] for text in batch}.isdisjoint(batches[0]), "nothing parsed twice"


@pytest.mark.parametrize(
    ("select", "ignore", "kinds"),
    [
        (None, [], sorted(DETECTORS)),
        (["number"], [], ["number"]),
        (["Number, date", "role"], [], ["date", "number", "role"]),
        (None, ["role", "quote"], sorted(set(DETECTORS) - {"role", "quote"})),
        (["number", "date"], ["date"], ["number"]),
    ],
)
def test_selected_kinds(select: list[str] | None, ignore: list[str], kinds: list[str]) -> None:
    assert selected_kinds(select, ignore) == kinds


@pytest.mark.parametrize(
    ("select", "ignore", "message"),
    [
        (["numbers"], [], "--select: unknown kind 'numbers' (did you mean 'number'?)"),
        (None, ["weather"], "--ignore: unknown kind 'weather' (the kinds are certainty, date,"),
        (["number"], ["number"], "--select and --ignore leave no kind of discrepancy to look for"),
    ],
)
def test_selected_kinds_refuses(select: list[str] | None, ignore: list[str], message: str) -> None:
    with pytest.raises(UsageError) as caught:
        selected_kinds(select, ignore)
    assert str(caught.value).startswith(message)


def test_only_the_selected_kinds_run(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real_parse = frames.parse
    monkeypatch.setattr("checker.detectors.base.parse", lambda texts: real_parse(parsed.extend(texts) or texts))
    frames._recent_parses.clear()
    report = check_texts(TEXTS, CheckOptions(threshold=0.3, kinds=["date"]), embedder=BagOfWordsEmbedder()).report
    assert report.kinds == ["date"]
    assert report.findings, "the talks are dated Tuesday in both"
    assert {finding.kind for finding in report.findings} == {"date"}, "nine against six hours is not looked for"
    assert not any("$2.4" in text for text in parsed), "a sentence only numbers would read is not parsed"
