"""Numerals and number words -> values, with the precision each one states.

Pure functions over already tokenised, lower-cased words; ``checker.quantities``
does the tokenising and decides what a number measures. Every parsed number
carries a *step*: the place value of its last significant digit (``2,500`` ->
100, ``1.5`` -> 0.1, ``nine`` -> 1), which hedges and rounding widen by.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

ONES = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}
TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
#: Scale words written out after a number: "1.5 million", "two thousand".
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
#: Scale abbreviations that are unambiguous after a number, glued or not: "$1.2bn", "5 mln".
SCALE_ABBREVIATIONS = {"mn": 1e6, "mln": 1e6, "mio": 1e6, "bn": 1e9, "bln": 1e9, "tn": 1e12, "trn": 1e12}
#: Abbreviations that mean a scale only when glued to money ("$374m", "£3b", "$40k"); "100m" alone is metres.
MONEY_SCALE_SUFFIXES = {"m": 1e6, "b": 1e9, "k": 1e3, "t": 1e12}
#: Glued to a plain number, "k" still means thousand ("a 40k salary"); the others are units.
GLUED_SCALES = {"k": 1e3, **SCALE_ABBREVIATIONS}

#: Fractions written as words, singular and plural: "a third", "two-thirds", "three quarters".
FRACTIONS = {
    "half": 1 / 2, "halves": 1 / 2, "third": 1 / 3, "thirds": 1 / 3, "quarter": 1 / 4, "quarters": 1 / 4,
    "fourth": 1 / 4, "fourths": 1 / 4, "fifth": 1 / 5, "fifths": 1 / 5, "sixth": 1 / 6, "sixths": 1 / 6,
    "eighth": 1 / 8, "eighths": 1 / 8, "tenth": 1 / 10, "tenths": 1 / 10,
}
#: Unicode vulgar fractions glued to a numeral: "1½".
GLYPH_FRACTIONS = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅕": 0.2, "⅛": 0.125}

#: Plural scale words used vaguely ("dozens of", "hundreds of"): the interval runs from two of the
#: unit up to (not including) the next named scale, which is what the wording allows.
VAGUE_PLURALS = {
    "dozens": (24.0, 100.0, 12.0),
    "scores": (40.0, 200.0, 20.0),
    "hundreds": (200.0, 1e3, 100.0),
    "thousands": (2e3, 1e6, 1e3),
    "millions": (2e6, 1e9, 1e6),
    "billions": (2e9, 1e12, 1e9),
    "trillions": (2e12, 1e15, 1e12),
}
#: "tens of thousands", "hundreds of millions": multiplier x scale, [2 m s, 10 m s).
VAGUE_MULTIPLIERS = {"tens": 10.0, "hundreds": 100.0}
VAGUE_SCALES = {"thousands": 1e3, "millions": 1e6, "billions": 1e9, "trillions": 1e12}

MAX_DIGITS = 15  # longer digit strings are identifiers, and floats lose them anyway

NUMBER_WORDS = frozenset(ONES) | frozenset(TEENS) | frozenset(TENS) | frozenset(SCALES) | {"hundred", "dozen"}


class ParsedNumber(NamedTuple):
    value: float
    step: float
    end: int  # index just past the last token used
    scale: float  # the scale word's factor (1.0 when none was used)


def place_step(value: float) -> float:
    """Place value of the last significant digit of ``value`` (2500 -> 100, 7.5 -> 0.1, 0 -> 1)."""
    if value == 0:
        return 1.0
    try:
        exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    except (InvalidOperation, ValueError):
        return 1.0
    if not isinstance(exponent, int):
        return 1.0
    return float(10.0**exponent)


def parse_numeral(raw: str) -> tuple[float, float] | None:
    """``"1,500"`` -> (1500, 100); ``"1.50"`` -> (1.5, 0.01); ``"9"`` -> (9, 1). None when not a numeral."""
    text = raw.replace(",", "")
    if not text or len(text.replace(".", "")) > MAX_DIGITS:
        return None
    whole, dot, fraction = text.partition(".")
    if not (whole or fraction) or not (whole.isdigit() or whole == "") or not (fraction.isdigit() or fraction == ""):
        return None
    if not whole.isascii() or not fraction.isascii():
        return None
    if dot and fraction:
        value = float(f"{whole or '0'}.{fraction}")
        return value, 10.0 ** -len(fraction)
    value = float(whole)
    if value == 0:
        return 0.0, 1.0
    stripped = whole.rstrip("0")
    return value, 10.0 ** (len(whole) - len(stripped))


def parse_number_words(tokens: Sequence[str], start: int) -> ParsedNumber | None:
    """Parse a written-out number starting at ``tokens[start]`` (lower-cased word tokens, "-" for hyphens).

    Handles "nine", "twenty-one", "one hundred and five", "twelve hundred", "two million",
    "a hundred", "a dozen", "two dozen", "seven and a half", "two and a half million".
    Returns None when no number starts there. A lone "a"/"an" is not a number.
    """
    n = len(tokens)
    if start >= n:
        return None
    i = start
    total = 0.0
    current = 0.0
    state = ""  # "", ones, teens, tens, hundred, scale, dozen, half
    last_scale = float("inf")
    scale_used = 1.0
    half = False
    end = start
    first = tokens[i]
    if first in ("a", "an"):
        if i + 1 < n and (tokens[i + 1] in SCALES or tokens[i + 1] in ("hundred", "dozen")):
            current = 1.0
            state = "ones"
            i += 1
        else:
            return None
    while i < n:
        word = tokens[i]
        if word in ONES:
            if state in ("", "hundred", "scale", "tens"):
                current += ONES[word]
                state = "ones"
                i += 1
                end = i
                continue
            break
        if word in TEENS:
            if state in ("", "hundred", "scale"):
                current += TEENS[word]
                state = "teens"
                i += 1
                end = i
                continue
            break
        if word in TENS:
            if state in ("", "hundred", "scale"):
                current += TENS[word]
                state = "tens"
                i += 1
                end = i
                continue
            break
        if word == "-":
            if state == "tens" and i + 1 < n and tokens[i + 1] in ONES and tokens[i + 1] != "zero":
                i += 1
                continue
            break
        if word == "hundred":
            if state in ("ones", "teens") and current < 100:
                current *= 100
                state = "hundred"
                i += 1
                end = i
                continue
            break
        if word in SCALES:
            factor = SCALES[word]
            if state in ("ones", "teens", "tens", "hundred", "half", "dozen") and factor < last_scale:
                total += current * factor
                current = 0.0
                last_scale = factor
                scale_used = factor if scale_used == 1.0 else scale_used
                state = "scale"
                i += 1
                end = i
                continue
            break
        if word == "dozen":
            if state == "ones" and current < 10 and total == 0:
                current *= 12
                state = "dozen"
                i += 1
                end = i
                continue
            break
        if word == "and":
            nxt = tokens[i + 1] if i + 1 < n else ""
            if state in ("hundred", "scale") and (nxt in ONES or nxt in TEENS or nxt in TENS):
                i += 1
                continue
            if (
                state in ("ones", "teens", "tens")
                and not half
                and i + 2 < n
                and tokens[i + 1] == "a"
                and tokens[i + 2] == "half"
            ):
                current += 0.5
                half = True
                state = "half"
                i += 3
                end = i
                continue
            break
        break
    if end == start:
        return None
    value = total + current
    step = 0.5 if half and scale_used == 1.0 else place_step(value)
    return ParsedNumber(value, step, end, scale_used)


def format_number(value: float) -> str:
    """Readable number: integers with thousands separators, others with up to two decimals."""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    rounded = round(value)
    if abs(value - rounded) < 1e-9 * max(1.0, abs(value)):
        return f"{int(rounded):,}"
    if abs(value) >= 100:
        text = f"{value:,.1f}"
    elif abs(value) >= 0.01:
        text = f"{value:,.2f}"
    else:
        decimals = min(12, 2 - math.floor(math.log10(abs(value))))  # three significant digits
        text = f"{value:.{decimals}f}"
    return text.rstrip("0").rstrip(".")
