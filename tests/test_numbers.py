"""Numerals and number words."""

from __future__ import annotations

import pytest

from checker.numbers import format_number, parse_number_words, parse_numeral, place_step


@pytest.mark.parametrize(
    ("raw", "value", "step"),
    [
        ("9", 9, 1),
        ("1,500", 1500, 100),
        ("144,000", 144000, 1000),
        ("1.5", 1.5, 0.1),
        ("1.50", 1.5, 0.01),
        ("100", 100, 100),
        ("0", 0, 1),
        ("2480", 2480, 10),
    ],
)
def test_parse_numeral(raw: str, value: float, step: float) -> None:
    assert parse_numeral(raw) == pytest.approx((value, step))


@pytest.mark.parametrize("raw", ["", "abc", "1" * 16, "١٢"])
def test_parse_numeral_rejects(raw: str) -> None:
    assert parse_numeral(raw) is None


@pytest.mark.parametrize(
    ("words", "value", "used"),
    [
        ("nine", 9, 1),
        ("twenty - one", 21, 3),
        ("twenty one", 21, 2),
        ("one hundred and five", 105, 4),
        ("twelve hundred", 1200, 2),
        ("two million", 2e6, 2),
        ("a hundred", 100, 2),
        ("a dozen", 12, 2),
        ("two dozen", 24, 2),
        ("seven and a half", 7.5, 4),
        ("two and a half million", 2.5e6, 5),
        ("three hundred and forty - five thousand six hundred", 345600, 9),
        ("one two", 1, 1),
        ("nine and ten", 9, 1),
    ],
)
def test_parse_number_words(words: str, value: float, used: int) -> None:
    parsed = parse_number_words(words.split(), 0)
    assert parsed is not None
    assert parsed.value == pytest.approx(value)
    assert parsed.end == used


@pytest.mark.parametrize("words", ["a", "an hour", "the", "hundred", "million people", "and five"])
def test_parse_number_words_rejects(words: str) -> None:
    assert parse_number_words(words.split(), 0) is None


def test_steps_of_words() -> None:
    assert parse_number_words(["nine"], 0).step == 1
    assert parse_number_words(["two", "thousand"], 0).step == 1000
    assert parse_number_words(["seven", "and", "a", "half"], 0).step == 0.5


@pytest.mark.parametrize(("value", "step"), [(2500, 100), (6, 1), (7.5, 0.1), (1.5e6, 1e5), (0, 1)])
def test_place_step(value: float, step: float) -> None:
    assert place_step(value) == pytest.approx(step)


@pytest.mark.parametrize(
    ("value", "text"), [(2500, "2,500"), (1.5, "1.5"), (33.333333, "33.33"), (1e6, "1,000,000"), (0.25, "0.25")]
)
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text
