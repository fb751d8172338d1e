"""Finding quotations, normalising their words, lining two wordings up, and reading who spoke."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.frames import parse
from checker.models import Document, DocumentMeta, TextPiece
from checker.quotes import (
    Quotation,
    attribute,
    compare_wording,
    find_quotations,
    full_name,
    normalised_words,
    same_spelling,
)
from checker.segment import segment


def document(text: str, doc_id: str = "a.txt") -> Document:
    return Document(
        doc_id=doc_id,
        path=doc_id,
        format="text",
        meta=DocumentMeta(),
        source=text,
        text=text,
        pieces=[TextPiece(text_start=0, source_start=0, length=len(text))],
    )


def quoted(text: str) -> list[str]:
    """The quotations of a text, as normalised words."""
    return [quotation.normalised() for quotation in find_quotations(document(text))]


def quotation(words: str, doc_id: str = "a.txt") -> Quotation:
    (found,) = find_quotations(document(f"“{words}”", doc_id))
    return found


# --------------------------------------------------------------------------- finding quotations


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We will not reopen the harbour,” Brandt said.", ["we will not reopen the harbour"]),
        ('"We will not reopen the harbour," Brandt said.', ["we will not reopen the harbour"]),
        ("«We will not reopen the harbour», said Brandt.", ["we will not reopen the harbour"]),
        ("'We will not reopen the harbour,' Brandt said.", ["we will not reopen the harbour"]),
        # Scare quotes and short phrases are not statements.
        ("Brandt called the talks “frank” and “very useful”.", []),
        # Titles are not quotations.
        ("Brandt told “The Morning Harbour Show” about it.", []),
        # Apostrophes are not quotation marks.
        ("The dockers' union said the workers' pay won't change in the '90s.", []),
        ("Brandt's plan, the council's vote and the workers' 'very long strike' in the port.", []),
    ],
)
def test_quotation_marks(text: str, expected: list[str]) -> None:
    assert quoted(text) == expected


def test_pieces_of_one_statement_are_joined() -> None:
    (found,) = find_quotations(document("“We will not reopen the harbour,” Brandt said, “until the inquiry ends.”"))
    assert found.normalised() == "we will not reopen the harbour until the inquiry ends"
    assert len(found.pieces) == 2
    assert found.words[6].after_break


def test_quotation_resumed_in_the_next_paragraph_is_one_statement() -> None:
    text = "“We will not reopen the harbour this year.\n\n“The inquiry must finish first,” Brandt said."
    (found,) = find_quotations(document(text))
    assert found.normalised() == "we will not reopen the harbour this year the inquiry must finish first"


def test_reported_speech_between_quotations_keeps_them_apart() -> None:
    text = "Brandt said the port would “stay closed for a while.” She noted that if the inquiry were quick, “it would have reopened already.”"
    assert quoted(text) == ["stay closed for a while", "it would have reopened already"]


def test_an_unclosed_mark_does_not_swallow_the_article() -> None:
    text = "Brandt said “the harbour is shut. " + "Ships wait outside the port. " * 100
    assert quoted(text) == []


# --------------------------------------------------------------------------- normalising words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We won't reopen it", "we will not reopen it"),
        ("It's the harbour's future", "it is the harbour future"),
        ("They're gonna close ten piers", "they are going to close 10 piers"),
        ("Not one I wanted", "not one i wanted"),
        ("1,500 jobs, 40% of the port", "1500 jobs 40 percent of the port"),
        ("the U.S. port, uh, reopens", "the us port reopens"),
        ("long-term plan", "long term plan"),
    ],
)
def test_normalised_words(text: str, expected: str) -> None:
    assert " ".join(word.text for word in normalised_words(text)) == expected


def test_brackets_are_the_editors_and_an_ellipsis_leaves_words_out() -> None:
    words = normalised_words("They [the council] will … reopen it […] soon, Ortiz (D-Calif.) said")
    assert [word.text for word in words if word.editorial] == ["the", "council", "d", "calif"]
    assert [word.text for word in words if word.after_break] == ["reopen", "soon"]


def test_word_offsets_point_into_the_text() -> None:
    text = "“We won't reopen it,” she said."
    (found,) = find_quotations(document(text))
    assert [text[word.start : word.end] for word in found.words] == ["We", "won't", "won't", "reopen", "it"]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("harbour", "harbor", True),
        ("organised", "organized", True),
        ("defence", "defense", True),
        ("centre", "center", True),
        ("travelled", "traveled", True),
        ("towards", "toward", True),
        ("reopen", "open", False),
        ("four", "for", False),
        ("not", "now", False),
    ],
)
def test_same_spelling(a: str, b: str, same: bool) -> None:
    assert same_spelling(a, b) is same


# --------------------------------------------------------------------------- comparing wordings


@pytest.mark.parametrize(
    ("a", "b", "relation", "differences"),
    [
        ("we will not reopen the harbour this year", "We will not reopen the harbor this year.", "same", 0),
        ("we will not reopen the harbour this year", "reopen the harbour this year", "excerpt", 0),
        ("the harbour stays closed until the inquiry ends its work", "until the inquiry ends its work on the pier", "overlap", 0),
        ("we will not reopen the harbour this year", "we will reopen the harbour this year", "reworded", 1),
        ("we will not reopen the harbour", "we will reopen the harbour", "reworded", 1),
        ("we will not … reopen the harbour this year", "we will not under any circumstances reopen the harbour this year", "same", 0),
        ("they [the council] will reopen the harbour", "the mayor will reopen the harbour", "excerpt", 0),
        ("a ceasefire must hold in the harbour", "a cease-fire must hold in the harbour", "same", 0),
        ("we will not sell the harbour to a foreign buyer", "we will not sell the harbour to any foreign buyer", "reworded", 1),
        ("it was a very difficult decision not a decision i wanted", "it is a very difficult decision not one i wanted", "reworded", 2),
    ],
)
def test_compare_wording(a: str, b: str, relation: str, differences: int) -> None:
    match = compare_wording(quotation(a), quotation(b, "b.txt"))
    assert match is not None
    assert (match.relation, len(match.differences)) == (relation, differences)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A stock phrase inside two different statements.
        ("our workers deserve a harbour that stays open all year", "the fishermen say a harbour that stays open all year is a dream"),
        # Too little in common.
        ("we will reopen the harbour", "we will close the pier"),
        ("we all hope the harbour will reopen", "the harbour will reopen next week or so"),
        # A three-word run holds two quotations together only when one adds a word or two.
        ("we need to talk about the harbour", "we need to rebuild the harbour"),
        ("the council will decide on the future of the harbour", "no one will decide the future of fishing for us"),
    ],
)
def test_different_statements_do_not_line_up(a: str, b: str) -> None:
    assert compare_wording(quotation(a), quotation(b, "b.txt")) is None


# --------------------------------------------------------------------------- speakers


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("Brandt", "Mayor Ilse Brandt opened the port. Later Brandt spoke.", "Ilse Brandt"),
        ("Blinken", "U.S. Secretary of State Antony Blinken met Wang. Blinken said", "Antony Blinken"),
        ("Wang", "Chinese Foreign Minister Wang Yi arrived. Wang said", "Wang Yi"),
        ("Granholm", "Energy Secretary Jennifer Granholm said so. Granholm added", "Jennifer Granholm"),
        ("Brandt", "Ilse Brandt and Otto Brandt spoke. Brandt said", "Brandt"),
        ("Brandt", "President Brandt spoke. Brandt said", "Brandt"),
        ("Wang", "Xi Jinping. Wang said", "Wang"),
        ("Hannah-Jones", "Journalist Nikole Hannah-Jones spoke. Hannah-Jones said", "Nikole Hannah-Jones"),
    ],
)
def test_full_name(name: str, text: str, expected: str) -> None:
    assert full_name(name, text, text.rindex(name)) == expected


def speaker_of_last_quotation(text: str) -> str | None:
    doc = document(text)
    sentences = segment(doc)
    found: list[Quotation] = []
    for item in find_quotations(doc):
        speaker = attribute(item, doc, sentences, lambda sentence: next(parse([sentence.text])), found)
        found.append(item.model_copy(update={"speaker": speaker}))
    speaker = found[-1].speaker
    return speaker.name if speaker else None


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We will not reopen the harbour,” Mayor Ilse Brandt said.", "Ilse Brandt"),
        ("“We will not reopen the harbour,” said Ilse Brandt, the mayor.", "Ilse Brandt"),
        ("Mayor Ilse Brandt told reporters: “We will not reopen the harbour.”", "Ilse Brandt"),
        ("According to Ilse Brandt, “the harbour will not reopen this year.”", "Ilse Brandt"),
        ("Ilse Brandt was quoted as saying “the harbour will not reopen this year.”", "Ilse Brandt"),
        ("The paper quoted Ilse Brandt as saying “the harbour will not reopen this year.”", "Ilse Brandt"),
        ("“The harbour will not reopen,” tweeted Harbour Gazette reporter Tomas Lind on Monday.", "Tomas Lind"),
        ("Mayor Ilse Brandt arrived. “We will not reopen the harbour,” Brandt said.", "Ilse Brandt"),
        ("Mayor Ilse Brandt arrived late. “We will not reopen the harbour,” she said.", "Ilse Brandt"),
        ("“We will not reopen the harbour,” Ilse Brandt said. “Not this year, not next year.”", "Ilse Brandt"),
        # No one named, or not the speaker.
        ("“We will not reopen the harbour,” a council spokesperson said.", None),
        ("“We will not reopen the harbour,” the president said.", None),
        ("Brandt met Rafael Ortiz at the docks. “We will not reopen the harbour,” he said.", None),
        ("Ortiz rejected Brandt's claim that “the harbour will not reopen this year.”", None),
        ("Brandt and Ortiz said in a joint statement: “The harbour will not reopen this year.”", None),
        ("“We will not reopen the harbour,” Brandt's aide said.", None),
    ],
)
def test_speaker(text: str, expected: str | None) -> None:
    assert speaker_of_last_quotation(text) == expected


@pytest.mark.model
def test_institutions_are_not_people() -> None:
    doc = document("“The harbour will not reopen this year,” the Harbour Authority said.")
    sentences = segment(doc)
    (found,) = find_quotations(doc)
    speaker = attribute(found, doc, sentences, lambda sentence: next(parse([sentence.text])), [])
    assert speaker is not None and not speaker.person


# --------------------------------------------------------------------------- any text

_QUOTE_ALPHABET = st.sampled_from(
    list("ab Z1 .,;!?…\"'“”‘’«»„[]()—-\n") + ["\n\n", "we will", "not", "reopen", "the harbour", "Brandt said", "..."]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(_QUOTE_ALPHABET, max_size=120).map("".join), other=st.lists(_QUOTE_ALPHABET, max_size=120).map("".join))
def test_any_text_gives_sound_quotations(text: str, other: str) -> None:
    found = find_quotations(document(text))
    for item in found:
        assert 0 <= item.start < item.end <= len(text)
        assert all(item.start <= word.start < word.end <= item.end for word in item.words)
    for first in found:
        for second in find_quotations(document(other, "b.txt")):
            match = compare_wording(first, second)
            if match is not None:
                assert 0 <= match.a_region[0] < match.a_region[1] <= len(first.words)
                assert 0 <= match.b_region[0] < match.b_region[1] <= len(second.words)
