"""Who a figure is attributed to, read from the parse, and when two sources are different."""

from __future__ import annotations

import pytest

from checker.attribution import attributed_source, different_sources, source_words
from checker.frames import parse

SOURCE_CASES = [
    # (id, sentence, the figure's word, the source the sentence gives it, or None)
    ("said-before", "Police said about 5,000 people took part in the march.", "5,000", "police"),
    ("said-after", "About 8,000 people took part, the city police said.", "8,000", "city police"),
    ("according-to", "According to organisers, 20,000 people took part in the march.", "20,000", "organisers"),
    ("estimated-at", "Police estimated the crowd at 5,000.", "5,000", "police"),
    ("said-after-name", "“We counted 6,000 people,” said police chief Ann Ortiz.", "6,000", "police chief Ann Ortiz"),
    ("described-relative-clause",
     "Senior officials described the talks, which lasted more than six hours, as frank.", "six", "senior officials"),
    ("figures-of-an-agency",
     "Arrests rose 12% in July, according to new figures released by the Kestrian Border Agency.", "12",
     "Kestrian Border Agency"),
    ("put-at", "The Red Cross put the death toll at 130.", "130", "Red Cross"),
    ("put-into-is-no-estimate", "The government put $5 billion into the fund.", "5", None),
    ("pronoun-names-no-one", "They said 40 people were hurt.", "40", None),
    ("data-word-without-owner", "The report said 40 people were hurt.", "40", None),
    ("unattributed", "About 5,000 people took part in the march.", "5,000", None),
    ("figure-in-the-subject", "Five officials said the port would close.", "Five", None),
]


@pytest.mark.parametrize(
    ("sentence", "figure", "source"),
    [case[1:] for case in SOURCE_CASES],
    ids=[case[0] for case in SOURCE_CASES],
)
def test_attributed_source(sentence: str, figure: str, source: str | None) -> None:
    doc = next(parse([sentence]))
    token = next(token for token in doc if token.text == figure)
    assert attributed_source(token) == source


@pytest.mark.parametrize(
    ("first", "second", "different"),
    [
        ("police", "organisers", True),
        ("Organisers", "the march organizer", False),
        ("police", "a police spokesman", False),
        ("U.S. officials", "Biden administration officials", False),
        ("Kestrian Border Agency", "Interior Minister Tomas Lind", True),
        ("police", None, False),
        ("Norvik Steel", "company", False),
        ("the steelmaker", "Maria Holm", False),
        ("police", "Norvik Steel", True),
        ("the company", "the union", True),
        ("its maker", "the company", False),
        ("their lawyers", "prosecutors", True),
        ("U.S. officials", "Chinese officials", True),
        ("American officials", "U.S. officials", False),
        ("Israel's defence ministry", "Israeli officials", False),
        ("U.S. officials", "Chinese foreign ministry", True),
        (None, None, False),
    ],
)
def test_different_sources(first: str | None, second: str | None, different: bool) -> None:
    assert different_sources(first, second) is different


def test_source_words_fold_spelling_plural_and_possessive() -> None:
    assert source_words("the Organisers' office") == source_words("organizer's offices")
