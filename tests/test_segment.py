"""Sentence splitting: abbreviations, numbers, quotes, dashes, paragraphs and exact offsets."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.models import Document, DocumentMeta, TextPiece
from checker.segment import MAX_SENTENCE_CHARS, segment


def make_document(text: str) -> Document:
    return Document(
        doc_id="doc.txt",
        path="doc.txt",
        format="text",
        meta=DocumentMeta(),
        source=text,
        text=text,
        pieces=[TextPiece(text_start=0, source_start=0, length=len(text))],
    )


def sentences(text: str) -> list[str]:
    return [sentence.text for sentence in segment(make_document(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("U.S. officials said.", ["U.S. officials said."], id="dotted-acronym-then-lowercase"),
        pytest.param(
            "He arrived in the U.S. The next day he left.",
            ["He arrived in the U.S.", "The next day he left."],
            id="dotted-acronym-then-starter",
        ),
        pytest.param(
            "The U.S. Army said it was ready.", ["The U.S. Army said it was ready."], id="dotted-acronym-then-noun"
        ),
        pytest.param("The U.N. Security Council met.", ["The U.N. Security Council met."], id="un"),
        pytest.param(
            "Sen. Jane Doe and Gov. John Roe met Rep. Ann Poe.",
            ["Sen. Jane Doe and Gov. John Roe met Rep. Ann Poe."],
            id="titles",
        ),
        pytest.param(
            "Mr. Smith met Mrs. Jones and Dr. Brown.",
            ["Mr. Smith met Mrs. Jones and Dr. Brown."],
            id="honorifics",
        ),
        pytest.param(
            "Gen. Mark Lee, Lt. Col. Ray Ortiz and Prof. Ada Kim spoke.",
            ["Gen. Mark Lee, Lt. Col. Ray Ortiz and Prof. Ada Kim spoke."],
            id="ranks",
        ),
        pytest.param(
            "Martin Luther King Jr. Day is a holiday.",
            ["Martin Luther King Jr. Day is a holiday."],
            id="junior-then-noun",
        ),
        pytest.param("He lived on St. Mark Street.", ["He lived on St. Mark Street."], id="saint"),
        pytest.param(
            "The talks began at 9 a.m. Monday and ended at 5 p.m. He left.",
            ["The talks began at 9 a.m. Monday and ended at 5 p.m.", "He left."],
            id="am-pm",
        ),
        pytest.param(
            "Acme Inc. The company said profit rose.",
            ["Acme Inc.", "The company said profit rose."],
            id="inc-then-starter",
        ),
        pytest.param(
            "Acme Inc. Chief Executive Ann Lee spoke.",
            ["Acme Inc. Chief Executive Ann Lee spoke."],
            id="inc-then-title",
        ),
        pytest.param(
            "They met on Jan. 5 and again on Sept. 12.", ["They met on Jan. 5 and again on Sept. 12."], id="months"
        ),
        pytest.param("It was No. 1 in the list.", ["It was No. 1 in the list."], id="number-abbreviation"),
        pytest.param("Red vs. Blue was close.", ["Red vs. Blue was close."], id="versus"),
        pytest.param(
            "Some fruit, e.g. Apples, are red. Others, i.e. Bananas, are not.",
            ["Some fruit, e.g. Apples, are red.", "Others, i.e. Bananas, are not."],
            id="eg-ie",
        ),
        pytest.param(
            "John F. Kennedy spoke. George W. Bush listened.",
            ["John F. Kennedy spoke.", "George W. Bush listened."],
            id="initials",
        ),
        pytest.param(
            "Growth was 1.5 percent and the deal was worth $3.2 billion. Shares rose.",
            ["Growth was 1.5 percent and the deal was worth $3.2 billion.", "Shares rose."],
            id="decimal-numbers",
        ),
        pytest.param("Sales rose in 2019. 2020 was worse.", ["Sales rose in 2019.", "2020 was worse."], id="year"),
        pytest.param(
            "He said “we will win.” Then he left.", ["He said “we will win.”", "Then he left."], id="curly-quotes"
        ),
        pytest.param(
            'He said "we will win." Then he left.', ['He said "we will win."', "Then he left."], id="straight-quotes"
        ),
        pytest.param("“Why?” he asked. Nobody knew.", ["“Why?” he asked.", "Nobody knew."], id="question-in-quote"),
        pytest.param(
            "It ended (finally.) The crowd cheered.",
            ["It ended (finally.)", "The crowd cheered."],
            id="closing-bracket",
        ),
        pytest.param("She said it was ‘over.’ We agreed.", ["She said it was ‘over.’", "We agreed."], id="single-quotes"),
        pytest.param(
            "The talks — which lasted hours — ended. Then -- after a pause -- they resumed – briefly.",
            ["The talks — which lasted hours — ended.", "Then -- after a pause -- they resumed – briefly."],
            id="dashes",
        ),
        pytest.param(
            "He paused ... and then continued. Later… the room emptied.",
            ["He paused ... and then continued.", "Later… the room emptied."],
            id="ellipsis-mid-sentence",
        ),
        pytest.param(
            "He waited... Then he left.", ["He waited...", "Then he left."], id="ellipsis-then-starter"
        ),
        pytest.param(
            "Wow! That was fast? Yes.", ["Wow!", "That was fast?", "Yes."], id="exclamation-question"
        ),
        pytest.param(
            "First paragraph without a period\n\nSecond paragraph.",
            ["First paragraph without a period", "Second paragraph."],
            id="paragraph-break",
        ),
        pytest.param(
            "A line that wraps\nonto the next line.", ["A line that wraps\nonto the next line."], id="soft-wrap"
        ),
        pytest.param("Done. .", ["Done."], id="stray-period"),
        pytest.param("   \n\n  ", [], id="only-whitespace"),
    ],
)
def test_splits(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_sentences_are_numbered_and_carry_offsets() -> None:
    document = make_document("  First one.  Second one.\n\nThird one.")
    result = segment(document)
    assert [sentence.index for sentence in result] == [0, 1, 2]
    assert [(sentence.start, sentence.end) for sentence in result] == [(2, 12), (14, 25), (27, 37)]
    assert all(sentence.doc_id == "doc.txt" for sentence in result)


@pytest.mark.parametrize(
    ("text", "separator"),
    [
        pytest.param("word; " * 2_000, ";", id="semicolons"),
        pytest.param("word " * 2_000, " ", id="spaces"),
        pytest.param("x" * 5_000, "", id="no-breaks-at-all"),
    ],
)
def test_overlong_runs_are_capped(text: str, separator: str) -> None:
    result = segment(make_document(text))
    assert len(result) > 1
    assert all(len(sentence.text) <= MAX_SENTENCE_CHARS for sentence in result)
    if separator == ";":
        assert all(sentence.text.endswith(";") for sentence in result[:-1])
    assert "".join(sentence.text for sentence in result).replace(" ", "") == text.replace(" ", "")


def test_huge_single_line_is_fast() -> None:
    text = "The price rose 1.5 percent, officials said " * 50_000  # about 2 MB, one line, no period
    started = time.perf_counter()
    result = segment(make_document(text))
    assert time.perf_counter() - started < 5
    assert all(len(sentence.text) <= MAX_SENTENCE_CHARS for sentence in result)


_ALPHABET = st.sampled_from(
    list("aAbBzZ019 .!?…;,\n\t\"'“”‘’()[]—-$") + ["U.S.", "Mr.", "a.m.", "Inc.", " The ", "...", "\n\n", " he "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=120).map("".join))
def test_offsets_slice_the_document_text(text: str) -> None:
    result = segment(make_document(text))
    previous_end = 0
    for index, sentence in enumerate(result):
        assert sentence.index == index
        assert sentence.text == text[sentence.start : sentence.end]
        assert sentence.text == sentence.text.strip()
        assert sentence.text
        assert sentence.start >= previous_end
        previous_end = sentence.end
