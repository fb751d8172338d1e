"""Time expressions: found in text, resolved against a document's date, compared, described."""

from __future__ import annotations

from datetime import date

import pytest

from checker.dates import (
    Relation,
    TimeExpression,
    describe,
    find_time_expressions,
    normalised_value,
    read,
    relate,
    resolve,
)


def expression(text: str, span: str) -> TimeExpression:
    found = [item for item in find_time_expressions(text) if item.text == span]
    assert found, [item.text for item in find_time_expressions(text)]
    return found[0]


def day(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


RESOLVE_CASES = [
    # (id, text, span, published, tense, start, end, granularity)
    ("next-month-in-october", "The summit will be held next month.", "next month", "2023-10-05", None,
     "2023-11-01", "2023-11-30", "month"),
    ("next-month-in-december", "The summit will be held next month.", "next month", "2023-12-20", None,
     "2024-01-01", "2024-01-31", "month"),
    ("last-year", "The accord lapsed last year.", "last year", "2024-03-14", None, "2023-01-01", "2023-12-31", "year"),
    ("this-week", "They met this week.", "this week", "2023-10-05", None, "2023-10-02", "2023-10-08", "week"),
    ("last-week", "They met last week.", "last week", "2023-10-05", None, "2023-09-25", "2023-10-01", "week"),
    ("almost-a-year-ago", "They last met almost a year ago.", "almost a year ago", "2023-10-27", None,
     "2022-10-27", "2023-01-26", "span"),
    ("two-days-ago", "The vote was held two days ago.", "two days ago", "2023-10-05", None,
     "2023-10-03", "2023-10-03", "span"),
    ("yesterday", "They met yesterday.", "yesterday", "2023-10-05", None, "2023-10-04", "2023-10-04", "day"),
    ("tomorrow", "They meet tomorrow.", "tomorrow", "2023-10-05", None, "2023-10-06", "2023-10-06", "day"),
    ("earlier-this-month", "They met earlier this month.", "earlier this month", "2023-10-05", None,
     "2023-10-01", "2023-10-05", "span"),
    ("late-last-year", "It began late last year.", "late last year", "2024-03-14", None, "2023-09-01", "2023-12-31", "span"),
    ("over-the-weekend", "They met over the weekend.", "over the weekend", "2023-10-30", None,
     "2023-10-28", "2023-10-29", "day"),
    ("abbreviated-month-day", "They met on Oct. 27.", "Oct. 27", "2023-10-28", "past", "2023-10-27", "2023-10-27", "day"),
    ("full-date-needs-no-document-date", "It was signed October 27, 2023.", "October 27, 2023", None, None,
     "2023-10-27", "2023-10-27", "day"),
    ("day-before-month", "It was signed 27 October.", "27 October", "2023-10-28", "past", "2023-10-27", "2023-10-27", "day"),
    ("year", "It happened in 2023.", "2023", None, None, "2023-01-01", "2023-12-31", "year"),
    ("mid-year", "It should open in mid-2023.", "mid-2023", None, None, "2023-05-03", "2023-08-31", "span"),
    ("month-and-year", "It opened in March 2024.", "March 2024", None, None, "2024-03-01", "2024-03-31", "month"),
    ("day-range", "They met on March 12-13, 2024.", "March 12-13, 2024", None, None, "2024-03-12", "2024-03-13", "day"),
    ("iso-date", "Filed on 2023-10-27.", "2023-10-27", None, None, "2023-10-27", "2023-10-27", "day"),
    ("slash-month-first", "Deficit for 2/14/2013: $6.2B", "2/14/2013", None, None, "2013-02-14", "2013-02-14", "day"),
    ("slash-day-first", "Filed on 14/02/2013.", "14/02/2013", None, None, "2013-02-14", "2013-02-14", "day"),
    ("slash-equal-parts", "Filed on 3/3/2013.", "3/3/2013", None, None, "2013-03-03", "2013-03-03", "day"),
    ("friday-past", "They met on Friday.", "Friday", "2023-10-28", "past", "2023-10-27", "2023-10-27", "day"),
    ("friday-future", "They will meet on Friday.", "Friday", "2023-10-28", "future", "2023-11-03", "2023-11-03", "day"),
    ("friday-on-a-friday", "They met on Friday.", "Friday", "2023-10-27", "past", "2023-10-27", "2023-10-27", "day"),
    ("last-friday-is-before", "They met last Friday.", "last Friday", "2023-10-27", None, "2023-10-20", "2023-10-20", "day"),
    ("two-weekdays", "They met on Tuesday and Wednesday.", "Tuesday and Wednesday", "2024-03-14", "past",
     "2024-03-12", "2024-03-13", "day"),
    ("two-weekdays-published-between", "They met on Tuesday and Wednesday.", "Tuesday and Wednesday", "2024-03-12",
     "past", "2024-03-05", "2024-03-06", "day"),
    ("month-past", "They met in November.", "November", "2024-01-10", "past", "2023-11-01", "2023-11-30", "month"),
    ("month-future", "They will meet in November.", "November", "2024-01-10", "future", "2024-11-01", "2024-11-30", "month"),
    ("month-nearest", "The summit in November.", "November", "2023-10-05", None, "2023-11-01", "2023-11-30", "month"),
    ("last-march", "It began last March.", "last March", "2024-03-14", None, "2023-03-01", "2023-03-31", "month"),
    ("season-with-year", "They met in the spring of 2023.", "spring of 2023", None, None, "2023-03-01", "2023-05-31", "season"),
    ("this-fall", "The vote is due this fall.", "this fall", "2023-09-20", None, "2023-09-01", "2023-11-30", "season"),
    ("the-past-two-weeks", "Prices rose over the past two weeks.", "the past two weeks", "2023-10-15", None,
     "2023-10-01", "2023-10-15", "span"),
]


@pytest.mark.parametrize(
    ("text", "span", "published", "tense", "start", "end", "granularity"),
    [case[1:] for case in RESOLVE_CASES],
    ids=[case[0] for case in RESOLVE_CASES],
)
def test_resolve(text: str, span: str, published: str | None, tense: str | None, start: str, end: str, granularity: str) -> None:
    resolved = resolve(expression(text, span), day(published), tense)  # type: ignore[arg-type]
    assert resolved is not None
    assert (resolved.start.isoformat(), resolved.end.isoformat(), resolved.granularity.value) == (start, end, granularity)


UNRESOLVABLE_CASES = [
    # Without the document's date, relative and partial expressions are not guessed.
    ("next-month", "The summit will be held next month.", "next month"),
    ("weekday", "They met on Friday.", "Friday"),
    ("month-day-without-year", "They met on Oct. 27.", "Oct. 27"),
    ("ago", "They met almost a year ago.", "almost a year ago"),
    ("this-week", "They met this week.", "this week"),
    ("clock", "The ceremony began at 3 p.m.", "3 p.m."),
]


@pytest.mark.parametrize(("text", "span"), [case[1:] for case in UNRESOLVABLE_CASES], ids=[case[0] for case in UNRESOLVABLE_CASES])
def test_unresolvable_without_a_date(text: str, span: str) -> None:
    assert resolve(expression(text, span), None) is None


FIND_CASES = [
    # (id, text, the spans found)
    ("weekday-with-date", "They signed it on Thursday, March 14, in the port.", ["Thursday, March 14"]),
    ("month-and-year-not-split", "It opened in March 2024.", ["March 2024"]),
    ("bare-month-after-preposition", "It opened in May.", ["May"]),
    ("may-the-verb", "May I ask whether officials may meet?", []),
    ("year-naming-an-accord", "The 2019 accord gave Kestria 30% of the flow.", []),
    ("numbers-are-not-days", "On March 5, 2,000 people marched and 30 were hurt.", ["March 5"]),
    ("name-jan", "Jan Kowalski met the mayor.", []),
    ("clock-and-zone", "The vote closed at 10:30 a.m. ET on Tuesday.", ["10:30 a.m. ET", "Tuesday"]),
    ("late-on-weekday", "Varsk said late on Wednesday that she would fly home.", ["late on Wednesday"]),
    ("weekday-and-part-of-day", "It was signed on Wednesday evening.", ["Wednesday evening"]),
    ("relative-units", "It lapsed last year and a new one is due next month.", ["last year", "next month"]),
    ("age-is-not-a-date", "The last year-long study found nothing.", []),
    ("named-days-are-not-dates", "The Good Friday agreement shaped the Super Tuesday vote.", []),
    ("lower-case-weekday", "He failed to show up on monday morning.", ["monday morning"]),
    # 2 March or 3 February: not guessed. Fractions, scores, paths and impossible days are no dates.
    ("ambiguous-slash-date", "It was filed on 2/3/2013 in the county.", []),
    ("slash-not-a-date", "Turnout rose 1/3 in 2013; see /data/2/14/2013/ and 31/2/2013.", ["2013"]),
]


@pytest.mark.parametrize(("text", "spans"), [case[1:] for case in FIND_CASES], ids=[case[0] for case in FIND_CASES])
def test_find_time_expressions(text: str, spans: list[str]) -> None:
    assert [item.text for item in find_time_expressions(text)] == spans


def test_lead_word_marks_bounds() -> None:
    (since,) = find_time_expressions("It was the first visit since 2018.")
    assert (since.text, since.lead) == ("2018", "since")


RELATE_CASES = [
    # (id, (text, span, doc date, tense) of each side, relation)
    ("friday-is-oct-27", ("They met on Friday.", "Friday", "2023-10-28", "past"),
     ("They met on Oct. 27.", "Oct. 27", "2023-10-28", "past"), Relation.agree),
    ("friday-is-not-oct-26", ("They met on Friday.", "Friday", "2023-10-28", "past"),
     ("They met on Oct. 26.", "Oct. 26", "2023-10-28", "past"), Relation.conflict),
    ("undated-thursday-march-14-vs-wednesday", ("Signed on Thursday, March 14.", "Thursday, March 14", None, "past"),
     ("Signed on Wednesday.", "Wednesday", "2024-03-14", "past"), Relation.conflict),
    ("undated-weekdays-differ", ("They met on Friday.", "Friday", None, "past"),
     ("They met on Thursday.", "Thursday", None, "past"), Relation.conflict),
    ("undated-march-14-borrows-the-year", ("Signed on March 14.", "March 14", None, "past"),
     ("Signed on Wednesday.", "Wednesday", "2024-03-14", "past"), Relation.conflict),
    ("late-wednesday-vs-thursday", ("Signed late Wednesday.", "late Wednesday", None, "past"),
     ("Signed on Thursday.", "Thursday", None, "past"), Relation.adjacent),
    ("next-month-is-november", ("Due next month.", "next month", "2023-10-05", None),
     ("Due in November.", "November", "2023-10-20", None), Relation.agree),
    ("next-month-is-not-december", ("Due next month.", "next month", "2023-10-05", None),
     ("Due in December.", "December", "2023-10-20", None), Relation.conflict),
    ("next-month-undated", ("Due next month.", "next month", None, None),
     ("Due in December.", "December", "2023-10-20", None), Relation.unknown),
    ("same-weekday-different-weeks", ("They met on Monday.", "Monday", "2023-10-24", "past"),
     ("They met on Monday.", "Monday", "2024-04-15", "past"), Relation.unknown),
    ("month-contains-day", ("Open in November.", "November", "2023-10-05", None),
     ("Open on Nov. 14.", "Nov. 14", "2023-10-05", None), Relation.agree),
    ("clock-written-two-ways", ("Began at 3 p.m.", "3 p.m.", None, None), ("Began at 15:00.", "15:00", None, None), Relation.agree),
    ("clock-half-hour-apart", ("Began at 3 p.m.", "3 p.m.", None, None), ("Began at 3:30 p.m.", "3:30 p.m.", None, None),
     Relation.adjacent),
    ("clock-an-hour-apart-though-about", ("Landed at about 6:40 p.m.", "about 6:40 p.m.", None, None),
     ("Landed at 7:40 p.m.", "7:40 p.m.", None, None), Relation.conflict),
    ("clock-hours-apart", ("Began at 3 p.m.", "3 p.m.", None, None), ("Began at 5 p.m.", "5 p.m.", None, None), Relation.conflict),
    ("clock-other-zones", ("Began at 3 p.m. ET.", "3 p.m. ET", None, None), ("Began at 8 p.m. GMT.", "8 p.m. GMT", None, None),
     Relation.unknown),
]


@pytest.mark.parametrize(("first", "second", "relation"), [case[1:] for case in RELATE_CASES], ids=[case[0] for case in RELATE_CASES])
def test_relate(first: tuple, second: tuple, relation: Relation) -> None:
    readings = [
        read(expression(text, span), doc_id, day(published), tense)
        for doc_id, (text, span, published, tense) in (("a.txt", first), ("b.txt", second))
    ]
    assert relate(*readings) is relation
    assert relate(*reversed(readings)) is relation


DESCRIBE_CASES = [
    ("relative-shows-its-resolution", "Due next month.", "next month", "2023-10-05", None,
     "'next month' (November 2023, from the date of a.txt 2023-10-05)", "2023-11"),
    ("weekday-shows-the-day", "Met on Friday.", "Friday", "2023-10-28", "past", "Friday 2023-10-27", "2023-10-27"),
    ("undated-says-so", "Met on Friday.", "Friday", None, "past", "Friday", "Friday"),
    ("absolute", "Signed October 27, 2023.", "October 27, 2023", None, None, "Friday 2023-10-27", "2023-10-27"),
    ("clock", "Began at 3 p.m.", "3 p.m.", None, None, "15:00", "15:00"),
]


@pytest.mark.parametrize(
    ("text", "span", "published", "tense", "described", "value"),
    [case[1:] for case in DESCRIBE_CASES],
    ids=[case[0] for case in DESCRIBE_CASES],
)
def test_describe(text: str, span: str, published: str | None, tense: str | None, described: str, value: str) -> None:
    reading = read(expression(text, span), "a.txt", day(published), tense)  # type: ignore[arg-type]
    assert describe(reading) == described
    assert normalised_value(reading) == value
