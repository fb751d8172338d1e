"""Quantity extraction, hedge intervals, comparability and agreement.

Cases live in tests/data/quantities/*.toml: ``[[case]]`` (one expected quantity, found by
its span), ``[[none]]`` (no quantity, or none overlapping ``span``) and ``[[pair]]``
(comparable / agree between the quantities of two sentences).
"""

from __future__ import annotations

import math
import time
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.models import Quantity
from checker.quantities import find_quantities, format_quantity, quantities_comparable, values_agree

DATA = Path(__file__).parent / "data" / "quantities"


def _load(kind: str) -> list:
    params = []
    for path in sorted(DATA.glob("*.toml")):
        with path.open("rb") as handle:
            doc = tomllib.load(handle)
        for index, item in enumerate(doc.get(kind, [])):
            label = item.get("span") or item.get("text") or f"{item.get('a')} | {item.get('b')}"
            params.append(pytest.param(item, id=f"{path.stem}-{index}-{label[:48]}"))
    return params


CASES = _load("case")
NONES = _load("none")
PAIRS = _load("pair")


def _find(text: str, span: str) -> Quantity:
    found = find_quantities(text)
    matches = [q for q in found if q.text == span]
    assert matches, f"no quantity {span!r} in {text!r}; found {[q.text for q in found]}"
    return matches[0]


def _only(text: str, span: str | None = None) -> Quantity:
    if span:
        return _find(text, span)
    found = find_quantities(text)
    assert len(found) == 1, f"expected one quantity in {text!r}, found {[q.text for q in found]}"
    return found[0]


def test_case_files_are_substantial():
    assert len(CASES) >= 60
    assert len(PAIRS) >= 25
    assert len(NONES) >= 15


@pytest.mark.parametrize("case", CASES)
def test_extraction(case: dict) -> None:
    text, span = case["text"], case["span"]
    q = _find(text, span)
    assert text[q.start : q.end] == q.text == span
    for field in ("value", "low", "high"):
        if field in case:
            actual = q.value if field == "value" else getattr(q.interval, field)
            assert math.isclose(actual, case[field], rel_tol=1e-6, abs_tol=1e-9), (field, actual, case[field])
    for field in ("low_open", "high_open"):
        if field in case:
            assert getattr(q.interval, field) is case[field], field
    for field in ("unit", "scale", "counted", "approximate", "increment", "whole", "converted"):
        if field in case:
            assert getattr(q, field) == case[field], (field, getattr(q, field))
    if "dimension" in case:
        assert q.dimension.value == case["dimension"]
    if "hedge" in case:
        assert q.hedge == (case["hedge"] or None)
    if "format" in case:
        assert format_quantity(q) == case["format"]


@pytest.mark.parametrize("case", NONES)
def test_not_a_quantity(case: dict) -> None:
    found = find_quantities(case["text"])
    span = case.get("span")
    if span is None:
        assert found == [], [q.text for q in found]
        return
    start = case["text"].index(span)
    end = start + len(span)
    overlapping = [q.text for q in found if q.start < end and start < q.end]
    assert overlapping == []


@pytest.mark.parametrize("case", PAIRS)
def test_pair(case: dict) -> None:
    a = _only(case["a"], case.get("a_span"))
    b = _only(case["b"], case.get("b_span"))
    assert quantities_comparable(a, b) is case["comparable"]
    assert quantities_comparable(b, a) is case["comparable"]
    if "agree" in case:
        assert values_agree(a, b) is case["agree"]
        assert values_agree(b, a) is case["agree"]
    if not case["comparable"]:
        assert values_agree(a, b) is True  # nothing to disagree about


def test_results_sorted_and_sliced() -> None:
    text = "About 2,500 people waited nine hours, and $1.2bn was pledged over 3 days."
    found = find_quantities(text)
    assert [q.text for q in found] == ["About 2,500 people", "nine hours", "$1.2bn", "over 3 days"]
    assert [q.start for q in found] == sorted(q.start for q in found)
    for q in found:
        assert text[q.start : q.end] == q.text


def test_empty_and_plain_text() -> None:
    assert find_quantities("") == []
    assert find_quantities("No numbers here at all.") == []


def test_speed() -> None:
    sentences = [
        "The talks in Port Kessin lasted more than six hours, aides said, after a two-day visit.",
        "Employers created 144,000 new payroll jobs in August as the rate dipped to 5.4 percent.",
        "Officials said the meeting on October 27 began at 10:33 and nobody was hurt.",
        "The minister declined to comment on the report.",
    ] * 250
    start = time.perf_counter()
    for sentence in sentences:
        find_quantities(sentence)
    assert time.perf_counter() - start < 2.0


_ALPHABET = st.sampled_from(
    list("0123456789 ,.-–%$€£¥½/:'’()+~#abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\n\tü")
    + ["one", "two", "hundred", "thousand", "million", "half", "a", "an", "hour", "hours", "day", "days",
       "more than", "about", "nearly", "up to", "between", "and", "or", "to", "of", "dozens", "third",
       "year-old", "per cent", "bn", "m", "k", "over", "the", "people", "km", "2018", "p.m.", "October"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map(" ".join) | st.text(max_size=80))
def test_never_raises_and_spans_slice_back(text: str) -> None:
    found = find_quantities(text)
    last = -1
    for q in found:
        assert 0 <= q.start < q.end <= len(text)
        assert text[q.start : q.end] == q.text
        assert q.start >= last
        last = q.start
        assert q.interval.low <= q.interval.high
        assert not math.isnan(q.value)
        format_quantity(q)
