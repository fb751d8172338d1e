"""Time expressions: found in a sentence, resolved into intervals of days, and compared.

A time written in an article is absolute ("October 27, 2023"), partial ("Oct. 27", "Friday",
"in November": the year or the week comes from the document's date) or relative ("next month",
"last year", "almost a year ago": an offset from the document's date). ``resolve`` turns each into
an inclusive interval of days with a granularity. Without a document date, partial and relative
expressions keep only what their words state (a weekday, a month and day), which is still enough
to tell "Thursday" from "Wednesday" — and "next month" then stays unresolved rather than guessed.

Rules kept simple on purpose (documented in docs/kinds/date.md):

- a weekday alone is the nearest such day on or before the document's date, or on or after it
  when the clause speaks of the future ("will meet on Friday"); "last Friday" is strictly before,
  "next Friday" is one of the next two Fridays;
- a month or a month and day without a year takes the year that puts it nearest the document's date;
- weeks run Monday to Sunday; seasons are the northern meteorological ones (spring = March–May);
- "N units ago" is widened by its hedge: "almost a year ago" is 9 to 12 months before the date.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from enum import Enum
from typing import Literal

from checker.models import Frozen

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
# Abbreviations as news copy writes them; without a period they must be followed by a day number.
MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "a few": 3, "several": 4,
}
# How many units a vague count may stand for: "a few days ago" is two to four days ago.
VAGUE_COUNTS = {"a couple of": (2, 3), "a few": (2, 4), "several": (3, 7)}
UNIT_DAYS = {"day": 1.0, "week": 7.0, "month": 30.44, "year": 365.25, "decade": 3652.5}
# Words before a time that make it something other than the time of one event: a bound ("since
# 2018", "by Friday", "before May") or a recurrence ("every Friday").
NON_DATING_LEADS = frozenset(
    "since until till til by before after from through throughout between within starting beginning ending "
    "every each as of ahead prior to".split()
)
# Parts of the day that may already be the next day in another time zone.
LATE_PARTS = frozenset({"evening", "night", "overnight", "late"})
TIME_ZONES = {
    "et": "ET", "est": "ET", "edt": "ET", "eastern": "ET", "ct": "CT", "cst": "CT", "cdt": "CT",
    "mt": "MT", "mst": "MT", "mdt": "MT", "pt": "PT", "pst": "PT", "pdt": "PT", "pacific": "PT",
    "gmt": "UTC", "utc": "UTC", "bst": "BST", "cet": "CET", "cest": "CET", "local": "local",
}

# Weekday names are no other word, so any case will do (some copy is lower-cased); month names
# are ("may", "march"), so they must be capitalised unless a day number or a year comes with them.
_WEEKDAY = r"(?i:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_SHORT = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
# A day number must be followed by a day-like ending, not by more digits, a unit or a decimal.
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d.,]?\d)(?!\s*(?:%|percent|per\b|people|million|billion))"
_MONTH_WITH_DAY = rf"(?:(?i:{_MONTH_FULL})|{_MONTH_SHORT}\.?)"
_MONTH_ALONE = rf"(?:{_MONTH_FULL}|{_MONTH_SHORT}\.)"
_YEAR = r"(?:1[89]\d\d|20\d\d)(?![\d,.]\d)"
_PART = r"(?:morning|afternoon|evening|night)"
# "Good Friday", "Super Tuesday", "Black Friday" name days that are not dated events of the story.
_NOT_A_HOLIDAY = "".join(rf"(?<!{word}\s)" for word in "Good Black Super Ash Cyber Holy Easter Maundy Giving Bloody".split())
_RANGE = r"\s*(?:-|–|to|and|&|or)\s*"
_NUMBER = r"(?:a\s+couple\s+of|a\s+few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3})"
_HEDGE = r"(?:almost|nearly|about|around|roughly|some|more\s+than|over|just\s+over|less\s+than|under|just\s+under|at\s+least)"
_CLOCK_SUFFIX = r"(?:a\.m\.|p\.m\.|am\b|pm\b|AM\b|PM\b)"
_ZONE = r"(?:\s+(?P<zone>ET|EST|EDT|CT|CST|CDT|MT|MST|MDT|PT|PST|PDT|GMT|UTC|BST|CET|CEST|local\s+time|Eastern|Pacific)\b)?"
# A month or year standing alone is a date only after one of these words ("in March", "mid-2023");
# otherwise "May" is a verb and "2,019" or "2019 accord" something else.
_LEAD = r"(?:in|on|of|during|since|until|by|before|after|from|through|last|next|this|early|late|mid|(?:the\s+)?(?:end|beginning|start)\s+of)"

TIME_PATTERN = re.compile(
    rf"""
    (?P<iso>\b(?P<iso_year>{_YEAR})-(?P<iso_month>0[1-9]|1[0-2])-(?P<iso_day>0[1-9]|[12]\d|3[01])\b)
  | (?P<slash>(?<![\w/.])(?P<sl_first>3[01]|[12]\d|0?[1-9])/(?P<sl_second>3[01]|[12]\d|0?[1-9])/(?P<sl_year>{_YEAR})(?![\w/]))
  | (?P<month_day>\b(?:(?P<md_weekday>{_WEEKDAY}),?\s+)?(?P<md_month>{_MONTH_WITH_DAY})\s+(?P<md_day>{_DAY})
        (?:{_RANGE}(?P<md_day2>{_DAY}))?(?:,?\s+(?P<md_year>{_YEAR}))?\b)
  | (?P<day_month>\b(?:(?P<dm_weekday>{_WEEKDAY}),?\s+)?(?P<dm_day>{_DAY})(?:{_RANGE}(?P<dm_day2>{_DAY}))?
        \s+(?:of\s+)?(?P<dm_month>{_MONTH_ALONE})(?:,?\s+(?P<dm_year>{_YEAR}))?\b)
  | (?P<month_year>\b(?:(?P<my_edge>early|mid|late)[\s-]+)?(?P<my_month>{_MONTH_ALONE}),?\s+(?:of\s+)?(?P<my_year>{_YEAR})\b)
  | (?P<season_year>\b(?P<sy_season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?(?P<sy_year>{_YEAR})\b)
  | (?P<relative_season>\b(?P<rs_step>this|next|last|this\s+past|this\s+coming)\s+(?P<rs_season>spring|summer|autumn|fall|winter)\b)
  | (?P<ago>\b(?:(?P<ago_hedge>{_HEDGE})\s+)?(?P<ago_count>{_NUMBER})\s+(?P<ago_unit>day|week|month|year|decade)s?\s+ago\b)
  | (?P<past_units>\b(?:the\s+)?(?:past|last)\s+(?P<pu_count>{_NUMBER})\s+(?P<pu_unit>day|week|month|year|decade)s?\b)
  | (?P<relative_unit>\b(?P<ru_step>(?:(?:early|late|mid)[\s-]+|earlier\s+|later\s+)?(?:this|next|last)|the\s+(?:past|last|coming))
        \s+(?P<ru_unit>week|weekend|month|year)\b(?![-\w])(?!\s+old))
  | (?P<over_weekend>\bover\s+the\s+weekend\b)
  | (?P<day_word>\b(?P<dw_word>yesterday|today|tomorrow|tonight|last\s+night|this\s+(?:morning|afternoon|evening))\b)
  | (?P<weekday>\b{_NOT_A_HOLIDAY}(?:(?P<wd_lead>last|next|this|this\s+past|this\s+coming|early|late)(?:\s+on)?\s+)?(?P<wd_day>{_WEEKDAY})\b
        (?:\s*(?P<wd_join>-|–|to|through|and|&|or)\s*(?:again\s+on\s+|on\s+)?(?P<wd_day2>{_WEEKDAY})\b)?(?:\s+(?P<wd_part>{_PART}))?)
  | (?P<clock>\b(?:(?P<ck_hedge>about|around|roughly|shortly\s+after|just\s+after|shortly\s+before|just\s+before)\s+)?
        (?:(?P<ck_hour>1[0-2]|0?[1-9])(?::(?P<ck_minute>[0-5]\d))?\s*(?P<ck_suffix>{_CLOCK_SUFFIX})
        |(?P<ck_hour24>[01]\d|2[0-3]):(?P<ck_minute24>[0-5]\d)\b|(?P<ck_word>noon|midday|midnight)\b){_ZONE})
  | (?P<bare_month>\b(?P<bm_lead>{_LEAD})[\s-]+(?P<bm_month>{_MONTH_ALONE})(?![\w-])(?!,?\s*(?:of\s+)?\d))
  | (?P<bare_year>\b(?P<by_lead>{_LEAD})[\s-]+(?:the\s+year\s+)?(?P<by_year>{_YEAR})\b(?!\s*(?:-|–)\s*\d))
    """,
    re.VERBOSE,
)
# Cheap test before any parsing: does the text name a time at all?
TIME_HINT = re.compile(
    rf"{_WEEKDAY}|{_MONTH_FULL}|{_MONTH_SHORT}\.?\s*\d|\b(?:1[89]|20)\d\d\b|yesterday|today|tomorrow|tonight|\bago\b"
    r"|\b(?:this|next|last|past|coming)\s+(?:[\w-]+\s+)?(?:day|week|month|year|decade|weekend|spring|summer|autumn|fall|winter)"
    rf"|weekend|{_CLOCK_SUFFIX}|\bnoon\b|\bmidday\b|\bmidnight\b|\d:\d\d",
    re.IGNORECASE,
)
# Leading words kept in the match for context but not part of the date itself.
_LEAD_GROUPS = {"bare_month": "bm_lead", "bare_year": "by_lead"}
_MODIFYING_LEADS = frozenset({"last", "next", "this", "early", "late", "mid", "end of", "beginning of", "start of"})


Tense = Literal["past", "future"] | None


class Granularity(str, Enum):
    day = "day"
    week = "week"
    month = "month"
    season = "season"
    year = "year"
    span = "span"  # a stretch of days the words allow: "almost a year ago", "the past two weeks"


class Stated(Frozen):
    """What the words themselves say, before any document date is used."""

    year: int | None = None
    month: int | None = None
    days: tuple[int, ...] = ()
    weekdays: tuple[int, ...] = ()  # 0 = Monday


class Offset(Frozen):
    """A calendar unit counted from the document's date: "next month" is (month, +1, whole)."""

    unit: Literal["day", "week", "weekend", "month", "year", "spring", "summer", "autumn", "winter"]
    steps: int
    part: Literal["whole", "early", "mid", "late", "before", "after"] = "whole"


class Ago(Frozen):
    """How many days before the document's date: "almost a year ago" is 274 to 365."""

    least: int
    most: int


class Clock(Frozen):
    """A time of day in minutes after midnight, with its time zone when one is named."""

    low: int
    high: int
    zone: str | None = None
    about: bool = False  # "about 6:40 p.m.": the range is the hedge's, around the time stated


class TimeExpression(Frozen):
    """A time expression as written: where it is in its text and what its words say, unresolved."""

    text: str
    start: int
    end: int
    lead: str | None = None  # the word just before: "on", "in", "since", "by" ...
    stated: Stated = Stated()
    edge: Literal["whole", "early", "mid", "late"] = "whole"  # "early March", "mid-2023"
    weekday_rule: Literal["near", "last", "next", "this"] = "near"
    weekday_run: tuple[int, int] | None = None  # first and last weekday named: "Tuesday and Wednesday"
    season: str | None = None
    offset: Offset | None = None
    ago: Ago | None = None
    recent: Ago | None = None  # "the past two weeks": from this far back up to the document's date
    clock: Clock | None = None
    late: bool = False  # "late Wednesday", "Tuesday night": may already be the next day elsewhere
    early: bool = False

    @property
    def is_clock(self) -> bool:
        return self.clock is not None

    @property
    def weekday_only(self) -> bool:
        """"Friday": a weekday with no date, which any day of that weekday agrees with."""
        stated = self.stated
        return bool(stated.weekdays) and not stated.days and stated.month is None and stated.year is None

    @property
    def relative(self) -> bool:
        """Counted from the document's date ("next month", "last Friday", "a year ago"), rather than
        naming a day, month or year whose missing year or week the date only completes."""
        return self.offset is not None or self.ago is not None or self.recent is not None or self.weekday_rule != "near"


class Resolved(Frozen):
    start: date
    end: date
    granularity: Granularity
    from_published: bool  # the document's date was needed

    def overlaps(self, other: Resolved) -> bool:
        return self.start <= other.end and other.start <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


# --------------------------------------------------------------------------- finding


def find_time_expressions(text: str) -> list[TimeExpression]:
    """Every time expression of the text, longest first where they start at the same place."""
    if not TIME_HINT.search(text):
        return []
    expressions = []
    for match in TIME_PATTERN.finditer(text):
        expression = _expression(match, text)
        if expression is not None:
            expressions.append(expression)
    return expressions


def _expression(match: re.Match[str], text: str) -> TimeExpression | None:
    name = match.lastgroup
    assert name is not None
    groups = {key: value for key, value in match.groupdict().items() if value is not None}
    start, end = match.span(name)
    lead_group = _LEAD_GROUPS.get(name)
    lead = _word_before(text, start)
    if lead_group is not None and _squash(groups[lead_group].lower()).removeprefix("the ") not in _MODIFYING_LEADS:
        # "in March": the span is the month; "in" is the lead that says how it dates the event.
        lead = groups[lead_group].lower()
        start = match.start(lead_group.replace("lead", "month" if name == "bare_month" else "year"))
    fields = _READERS[name](groups)
    if fields is None:
        return None
    return TimeExpression(text=text[start:end], start=start, end=end, lead=lead, **fields)


def _word_before(text: str, start: int) -> str | None:
    words = [word for word in re.findall(r"[A-Za-z]+", text[max(0, start - 24) : start]) if word.lower() != "the"]
    if not words:
        return None
    if len(words) >= 2 and f"{words[-2]} {words[-1]}".lower() in {"as of", "ahead of", "prior to"}:
        return f"{words[-2]} {words[-1]}".lower()
    return words[-1].lower()


def _month_number(word: str) -> int:
    cleaned = word.rstrip(".").lower()
    for number, name in enumerate(MONTHS, start=1):
        if name.lower() == cleaned:
            return number
    return MONTH_ABBREVIATIONS[cleaned]


def _day_number(word: str) -> int:
    return int(re.match(r"\d+", word).group())  # type: ignore[union-attr]


def _weekday_number(word: str) -> int:
    return WEEKDAYS.index(word.capitalize())


def _days(first: str, second: str | None) -> tuple[int, ...]:
    low = _day_number(first)
    high = _day_number(second) if second else low
    if high < low:
        return ()
    return tuple(range(low, high + 1))


def _valid_day(year: int | None, month: int, days: tuple[int, ...]) -> bool:
    # February 29 exists in some year; without one, allow it.
    last = calendar.monthrange(year, month)[1] if year else (29 if month == 2 else calendar.monthrange(2001, month)[1])
    return bool(days) and days[-1] <= last


def _read_iso(groups: dict[str, str]) -> dict | None:
    year, month, day = int(groups["iso_year"]), int(groups["iso_month"]), int(groups["iso_day"])
    if not _valid_day(year, month, (day,)):
        return None
    return {"stated": Stated(year=year, month=month, days=(day,))}


def _read_slash(groups: dict[str, str]) -> dict | None:
    """"2/14/2013" (American) or "14/2/2013" (most elsewhere): read only when one part cannot be a
    month or both parts are equal; "2/3/2013" could be either date, and a guess could invent a conflict."""
    first, second, year = int(groups["sl_first"]), int(groups["sl_second"]), int(groups["sl_year"])
    if first > 12 >= second:
        month, day = second, first
    elif second > 12 >= first or first == second:
        month, day = first, second
    else:
        return None
    if not _valid_day(year, month, (day,)):
        return None
    return {"stated": Stated(year=year, month=month, days=(day,))}


def _read_month_day(groups: dict[str, str]) -> dict | None:
    return _read_date(groups, "md")


def _read_day_month(groups: dict[str, str]) -> dict | None:
    return _read_date(groups, "dm")


def _read_date(groups: dict[str, str], prefix: str) -> dict | None:
    month = _month_number(groups[f"{prefix}_month"])
    year = int(groups[f"{prefix}_year"]) if f"{prefix}_year" in groups else None
    days = _days(groups[f"{prefix}_day"], groups.get(f"{prefix}_day2"))
    if not _valid_day(year, month, days):
        return None
    weekdays = (_weekday_number(groups[f"{prefix}_weekday"]),) if f"{prefix}_weekday" in groups else ()
    return {"stated": Stated(year=year, month=month, days=days, weekdays=weekdays)}


def _read_month_year(groups: dict[str, str]) -> dict:
    edge = groups.get("my_edge", "whole")
    return {"stated": Stated(year=int(groups["my_year"]), month=_month_number(groups["my_month"])), "edge": edge}


def _read_season_year(groups: dict[str, str]) -> dict:
    return {"stated": Stated(year=int(groups["sy_year"])), "season": _season(groups["sy_season"])}


def _read_relative_season(groups: dict[str, str]) -> dict:
    step = {"this": 0, "this coming": 1, "next": 1, "last": -1, "this past": -1}[_squash(groups["rs_step"])]
    season = _season(groups["rs_season"])
    return {"season": season, "offset": Offset(unit=season, steps=step)}  # type: ignore[arg-type]


def _season(word: str) -> str:
    return "autumn" if word.lower() == "fall" else word.lower()


def _count(words: str) -> tuple[int, int]:
    words = _squash(words.lower())
    if words in VAGUE_COUNTS:
        return VAGUE_COUNTS[words]
    number = NUMBER_WORDS[words] if words in NUMBER_WORDS else int(words)
    return number, number


def _read_ago(groups: dict[str, str]) -> dict | None:
    least, most = _count(groups["ago_count"])
    unit = UNIT_DAYS[groups["ago_unit"]]
    hedge = _squash(groups.get("ago_hedge", "").lower())
    low, high = least * unit, most * unit
    # Calendar units are rounded in speech: "a month ago" is within half a month of it, "two years
    # ago" within a fifth of the time.
    slack = 0.0 if unit == 1 else max(unit / 2 if unit < 365 else 0.0, 0.2 * low)
    if hedge in {"almost", "nearly", "just under"}:
        low, high = low - max(1.0, 0.25 * low), high
    elif hedge in {"about", "around", "roughly", "some"}:
        low, high = low - max(slack, 0.2 * low), high + max(slack, 0.2 * high)
    elif hedge in {"more than", "over", "just over", "at least"}:
        low, high = low, max(high * 2, high + unit)
    elif hedge in {"less than", "under"}:
        low, high = 0, high
    else:
        low, high = low - slack, high + slack
    return {"ago": Ago(least=max(0, round(low)), most=round(high))}


def _read_past_units(groups: dict[str, str]) -> dict:
    _, most = _count(groups["pu_count"])
    return {"recent": Ago(least=0, most=round(most * UNIT_DAYS[groups["pu_unit"]]))}


def _read_relative_unit(groups: dict[str, str]) -> dict | None:
    step_words = _squash(groups["ru_step"].lower()).replace("-", " ").split()
    unit = groups["ru_unit"].lower()
    if step_words in (["the", "past"], ["the", "last"]):
        if unit == "weekend":
            return {"offset": Offset(unit="weekend", steps=-1)}
        return {"recent": Ago(least=0, most=round(UNIT_DAYS[unit]))}
    if step_words == ["the", "coming"]:
        return {"offset": Offset(unit=unit, steps=1)}  # type: ignore[arg-type]
    steps = {"this": 0, "next": 1, "last": -1}[step_words[-1]]
    parts = {"early": "early", "mid": "mid", "late": "late", "earlier": "before", "later": "after"}
    part = parts.get(step_words[0], "whole")
    if part in {"before", "after"} and steps != 0:
        return None
    return {"offset": Offset(unit=unit, steps=steps, part=part)}  # type: ignore[arg-type]


def _read_over_weekend(groups: dict[str, str]) -> dict:
    return {"offset": Offset(unit="weekend", steps=0, part="before")}


def _read_day_word(groups: dict[str, str]) -> dict:
    word = _squash(groups["dw_word"].lower())
    steps = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
    return {"offset": Offset(unit="day", steps=steps), "late": word in {"tonight", "last night", "this evening"}}


def _read_weekday(groups: dict[str, str]) -> dict:
    first = _weekday_number(groups["wd_day"])
    last = _weekday_number(groups["wd_day2"]) if "wd_day2" in groups else first
    if groups.get("wd_join") in {"-", "–", "to", "through"}:
        # "Monday to Friday": every day from the first to the last.
        weekdays = tuple(sorted({(first + step) % 7 for step in range((last - first) % 7 + 1)}))
    else:
        weekdays = tuple(sorted({first, last}))
    lead = _squash(groups.get("wd_lead", "").lower())
    rules = {"last": "last", "this past": "last", "next": "next", "this": "this", "this coming": "this"}
    rule = rules.get(lead, "near")
    part = groups.get("wd_part", "").lower()
    return {
        "stated": Stated(weekdays=weekdays),
        "weekday_run": (first, last),
        "weekday_rule": rule,
        "late": lead == "late" or part in LATE_PARTS,
        "early": lead == "early",
    }


def _read_clock(groups: dict[str, str]) -> dict | None:
    if "ck_word" in groups:
        minutes = 0 if groups["ck_word"].lower() == "midnight" else 12 * 60
    elif "ck_hour24" in groups:
        minutes = int(groups["ck_hour24"]) * 60 + int(groups["ck_minute24"])
    else:
        hour = int(groups["ck_hour"]) % 12
        if groups["ck_suffix"].lower().startswith("p"):
            hour += 12
        minutes = hour * 60 + int(groups.get("ck_minute", 0))
    hedge = _squash(groups.get("ck_hedge", "").lower())
    about = hedge in {"about", "around", "roughly"}
    # "about 6 p.m." spans the half hours either side; "about 6:40 p.m." is precise to the minute
    # and so spans a quarter of an hour either side.
    spread = 30 if minutes % 60 == 0 else 15
    low, high = (-spread, spread) if about else {
        "shortly after": (0, 45), "just after": (0, 30), "shortly before": (-45, 0), "just before": (-30, 0),
    }.get(hedge, (0, 0))
    zone = TIME_ZONES.get(groups["zone"].split()[0].lower()) if "zone" in groups else None
    return {
        "clock": Clock(low=minutes + low, high=minutes + high, zone=zone, about=about),
        "late": minutes + high >= 20 * 60,
        "early": minutes + low < 6 * 60,
    }


def _lead_edge(lead: str) -> str:
    """"early March", "mid-2023", "the end of March": which third of the month or year."""
    words = [word for word in lead.lower().split() if word not in {"the", "of"}]
    edges = {"early": "early", "mid": "mid", "late": "late", "end": "late", "beginning": "early", "start": "early"}
    return edges.get(words[-1], "whole") if words else "whole"


def _read_bare_month(groups: dict[str, str]) -> dict:
    lead = _squash(groups["bm_lead"].lower())
    edge = _lead_edge(lead)
    month = _month_number(groups["bm_month"])
    if lead in {"last", "next", "this"}:
        # "last March": the named month counted from the document's date, not the nearest one.
        return {"stated": Stated(month=month), "weekday_rule": {"last": "last", "next": "next", "this": "this"}[lead]}
    return {"stated": Stated(month=month), "edge": edge}


def _read_bare_year(groups: dict[str, str]) -> dict:
    edge = _lead_edge(_squash(groups["by_lead"]))
    return {"stated": Stated(year=int(groups["by_year"])), "edge": edge}


_READERS = {
    "iso": _read_iso,
    "slash": _read_slash,
    "month_day": _read_month_day,
    "day_month": _read_day_month,
    "month_year": _read_month_year,
    "season_year": _read_season_year,
    "relative_season": _read_relative_season,
    "ago": _read_ago,
    "past_units": _read_past_units,
    "relative_unit": _read_relative_unit,
    "over_weekend": _read_over_weekend,
    "day_word": _read_day_word,
    "weekday": _read_weekday,
    "clock": _read_clock,
    "bare_month": _read_bare_month,
    "bare_year": _read_bare_year,
}


def _squash(words: str) -> str:
    return " ".join(words.split())


# --------------------------------------------------------------------------- resolving


def parse_published(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def resolve(expression: TimeExpression, published: date | None, tense: Tense = None) -> Resolved | None:
    """The days the expression covers, read against the document's date; None when it cannot be
    placed (a relative expression in an undated document, a date without year, a clock time).
    ``tense`` is the tense of the clause it dates, which says on which side of the document's date
    a weekday or a month without year falls."""
    if expression.clock is not None:
        return None
    if expression.ago is not None or expression.recent is not None:
        return _resolve_ago(expression, published)
    if expression.offset is not None:
        return _resolve_offset(expression.offset, published) if published else None
    stated = expression.stated
    if expression.season is not None and stated.year is not None:
        return _season_interval(expression.season, stated.year, Granularity.season, from_published=False)
    if stated.month is not None:
        return _resolve_month(expression, published, tense)
    if stated.year is not None:
        start, end = _edge(date(stated.year, 1, 1), date(stated.year, 12, 31), expression.edge)
        granularity = Granularity.year if expression.edge == "whole" else Granularity.span
        return Resolved(start=start, end=end, granularity=granularity, from_published=False)
    if stated.weekdays and published is not None:
        return _resolve_weekdays(expression, published, tense)
    return None


def _resolve_ago(expression: TimeExpression, published: date | None) -> Resolved | None:
    if published is None:
        return None
    back = expression.ago or expression.recent
    assert back is not None
    return Resolved(
        start=published - timedelta(days=back.most),
        end=published - timedelta(days=back.least),
        granularity=Granularity.span,
        from_published=True,
    )


def _resolve_month(expression: TimeExpression, published: date | None, tense: Tense) -> Resolved | None:
    stated = expression.stated
    assert stated.month is not None
    year = stated.year
    if year is None:
        if published is None:
            return None
        year = _year_for(stated.month, stated.days, expression.weekday_rule, published, tense)
    from_published = stated.year is None
    if stated.days:
        if not _valid_day(year, stated.month, stated.days):
            return None
        start, end = date(year, stated.month, stated.days[0]), date(year, stated.month, stated.days[-1])
        return Resolved(start=start, end=end, granularity=Granularity.day, from_published=from_published)
    last = calendar.monthrange(year, stated.month)[1]
    start, end = _edge(date(year, stated.month, 1), date(year, stated.month, last), expression.edge)
    granularity = Granularity.month if expression.edge == "whole" else Granularity.span
    return Resolved(start=start, end=end, granularity=granularity, from_published=from_published)


def _year_for(month: int, days: tuple[int, ...], rule: str, published: date, tense: Tense) -> int:
    """The year of a month (and day) written without one: the latest by the document's date for a
    clause in the past ("was signed on March 14"), the next one for the future, else the nearest;
    "last March" is before the document's month and "next March" after it."""
    occurrences = []
    for year in (published.year - 1, published.year, published.year + 1):
        last = calendar.monthrange(year, month)[1]
        first_day = date(year, month, min(days[0], last) if days else 1)
        last_day = date(year, month, min(days[-1], last) if days else last)
        occurrences.append((first_day, last_day, year))
    if rule == "last":
        return [year for first, _, year in occurrences if first < published.replace(day=1)][-1]
    if rule == "next":
        return [year for first, _, year in occurrences if first > published][0]
    if tense == "past":
        return [year for first, _, year in occurrences if first <= published][-1]
    if tense == "future":
        return [year for _, last, year in occurrences if last >= published][0]
    middle = [(abs((first + (last - first) / 2 - published).days), year) for first, last, year in occurrences]
    return min(middle)[1]


def _resolve_weekdays(expression: TimeExpression, published: date, tense: Tense) -> Resolved:
    first, last = expression.weekday_run or (expression.stated.weekdays[0], expression.stated.weekdays[-1])
    length = (last - first) % 7
    rule = expression.weekday_rule
    if rule == "next":
        start = _after(published, first, strictly=True)
        # "next Friday" said on a Monday is this week's Friday to some, next week's to others.
        end = start + timedelta(days=7 + length)
        return Resolved(start=start, end=end, granularity=Granularity.span, from_published=True)
    if rule == "this" or (tense == "future" and rule == "near"):
        start = _after(published, first, strictly=False)
    else:
        # Past: the run ends on the latest such day by the document's date.
        start = _before(published, last, strictly=rule == "last") - timedelta(days=length)
    return Resolved(start=start, end=start + timedelta(days=length), granularity=Granularity.day, from_published=True)


def _before(published: date, weekday: int, strictly: bool) -> date:
    back = (published.weekday() - weekday) % 7
    if strictly and back == 0:
        back = 7
    return published - timedelta(days=back)


def _after(published: date, weekday: int, strictly: bool) -> date:
    ahead = (weekday - published.weekday()) % 7
    if strictly and ahead == 0:
        ahead = 7
    return published + timedelta(days=ahead)


def _resolve_offset(offset: Offset, published: date) -> Resolved:
    unit, steps = offset.unit, offset.steps
    if unit == "day":
        day = published + timedelta(days=steps)
        return Resolved(start=day, end=day, granularity=Granularity.day, from_published=True)
    if unit == "week":
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=steps)
        start, end = monday, monday + timedelta(days=6)
        granularity = Granularity.week
    elif unit == "weekend":
        return _weekend(published, offset)
    elif unit == "month":
        year, month = divmod(published.year * 12 + published.month - 1 + steps, 12)
        month += 1
        start, end = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        granularity = Granularity.month
    elif unit == "year":
        year = published.year + steps
        start, end = date(year, 1, 1), date(year, 12, 31)
        granularity = Granularity.year
    else:
        return _relative_season(unit, steps, published)
    if offset.part == "before":
        return Resolved(start=start, end=published, granularity=Granularity.span, from_published=True)
    if offset.part == "after":
        return Resolved(start=published, end=end, granularity=Granularity.span, from_published=True)
    start, end = _edge(start, end, offset.part)  # type: ignore[arg-type]
    granularity = granularity if offset.part == "whole" else Granularity.span
    return Resolved(start=start, end=end, granularity=granularity, from_published=True)


def _weekend(published: date, offset: Offset) -> Resolved:
    saturday = published - timedelta(days=(published.weekday() - 5) % 7)
    if offset.part == "before":
        # "over the weekend": the latest weekend that has begun by the document's date.
        start = saturday
    elif offset.steps == 0:
        start = saturday if published.weekday() >= 5 else saturday + timedelta(days=7)
    elif offset.steps < 0:
        start = saturday - timedelta(days=7) if published.weekday() >= 5 else saturday
    else:
        first = saturday + timedelta(days=7)
        # "next weekend" is the coming one to some, the one after to others.
        return Resolved(start=first, end=first + timedelta(days=8), granularity=Granularity.span, from_published=True)
    return Resolved(start=start, end=start + timedelta(days=1), granularity=Granularity.day, from_published=True)


def _edge(start: date, end: date, edge: str) -> tuple[date, date]:
    """"early March" is its first third, "late 2023" its last third."""
    if edge == "whole":
        return start, end
    length = (end - start).days + 1
    third = -(-length // 3)
    if edge == "early":
        return start, start + timedelta(days=third - 1)
    if edge == "mid":
        return start + timedelta(days=third), end - timedelta(days=third)
    return end - timedelta(days=third - 1), end


def _season_interval(season: str, year: int, granularity: Granularity, from_published: bool) -> Resolved:
    first, last = SEASONS[season]
    if season == "winter":
        # "winter 2023" is read both ways (Jan–Feb 2023, or Dec 2023 to Feb 2024): allow both.
        start, end = date(year, 1, 1), date(year + 1, 2, calendar.monthrange(year + 1, 2)[1])
    else:
        start, end = date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
    return Resolved(start=start, end=end, granularity=granularity, from_published=from_published)


def _relative_season(season: str, steps: int, published: date) -> Resolved:
    occurrences = [_season_occurrence(season, year) for year in range(published.year - 2, published.year + 3)]
    if steps == 0:
        # "this spring": the one the date falls in, else the one of the same year.
        current = [(start, end) for start, end in occurrences if start <= published <= end]
        same_year = [(start, end) for start, end in occurrences if start.year == published.year]
        start, end = (current or same_year)[0]
    elif steps < 0:
        start, end = [(start, end) for start, end in occurrences if end < published][-1]
    else:
        start, end = [(start, end) for start, end in occurrences if start > published][0]
    return Resolved(start=start, end=end, granularity=Granularity.season, from_published=True)


def _season_occurrence(season: str, year: int) -> tuple[date, date]:
    first, last = SEASONS[season]
    end_year = year + 1 if season == "winter" else year
    return date(year, first, 1), date(end_year, last, calendar.monthrange(end_year, last)[1])


# --------------------------------------------------------------------------- comparing


class Reading(Frozen):
    """A time expression read in its document: what it states and, when possible, its days."""

    expression: TimeExpression
    resolved: Resolved | None
    doc_id: str
    published: date | None


class Relation(str, Enum):
    agree = "agree"
    conflict = "conflict"
    adjacent = "adjacent"  # a day apart, one side late in the day or early: time zones can do that
    unknown = "unknown"


def read(expression: TimeExpression, doc_id: str, published: date | None, tense: Tense = None) -> Reading:
    resolved = resolve(expression, published, tense)
    return Reading(expression=expression, resolved=resolved, doc_id=doc_id, published=published)


def relate(a: Reading, b: Reading) -> Relation:
    """Whether two readings of the same event's time agree. The words decide first (a weekday, a
    month, a day both state); then the resolved days; a side without a year borrows the other's."""
    if a.expression.is_clock or b.expression.is_clock:
        return _relate_clocks(a.expression, b.expression)
    stated = _stated_relation(a.expression.stated, b.expression.stated)
    if stated is Relation.agree:
        # Both say the same thing; days that differ only through the documents' dates are not a conflict.
        if a.resolved and b.resolved and not a.resolved.overlaps(b.resolved):
            return Relation.unknown
        return Relation.agree
    if stated is Relation.conflict:
        return _soften(a, b, Relation.conflict)
    return _soften(a, b, _resolved_relation(a, b))


def _stated_relation(a: Stated, b: Stated) -> Relation:
    checks = []
    if a.weekdays and b.weekdays:
        checks.append(bool(set(a.weekdays) & set(b.weekdays)))
    if a.month is not None and b.month is not None:
        same_month = a.month == b.month
        checks.append(same_month)
        if same_month and a.days and b.days and (a.year is None or b.year is None or a.year == b.year):
            checks.append(bool(set(a.days) & set(b.days)))
    if a.year is not None and b.year is not None:
        checks.append(a.year == b.year)
    if not checks:
        return Relation.unknown
    return Relation.agree if all(checks) else Relation.conflict


def _resolved_relation(a: Reading, b: Reading) -> Relation:
    for weekday_side, other in ((a, b), (b, a)):
        if weekday_side.expression.weekday_only:
            span = other.resolved or _borrow_year(other, weekday_side.resolved)
            if span is not None and span.days <= 7:
                days = {(span.start + timedelta(days=step)).weekday() for step in range(span.days)}
                return Relation.agree if days & set(weekday_side.expression.stated.weekdays) else Relation.conflict
    first = a.resolved or _borrow_year(a, b.resolved)
    second = b.resolved or _borrow_year(b, a.resolved)
    if first is None or second is None:
        return Relation.unknown
    return Relation.agree if first.overlaps(second) else Relation.conflict


def _borrow_year(reading: Reading, other: Resolved | None) -> Resolved | None:
    """"March 14" in an undated document, compared with a dated 2024 statement of the same event:
    the same event has the same year, so the stated month and day are placed in 2024."""
    stated = reading.expression.stated
    if other is None or stated.month is None or stated.year is not None or other.start.year != other.end.year:
        return None
    borrowed = reading.expression.model_copy(update={"stated": stated.model_copy(update={"year": other.start.year})})
    return resolve(borrowed, None)


def _soften(a: Reading, b: Reading, relation: Relation) -> Relation:
    """A day apart, with the earlier side late in its day or the later side early in its: another
    time zone's date for the same moment, not necessarily a wrong one."""
    if relation is not Relation.conflict:
        return relation
    gap = _day_gap(a, b)
    if gap is None or abs(gap) != 1:
        return relation
    earlier, later = (a, b) if gap > 0 else (b, a)
    if earlier.expression.late or later.expression.early:
        return Relation.adjacent
    return relation


def _day_gap(a: Reading, b: Reading) -> int | None:
    """Days from a to b when both are single days (or single weekdays)."""
    first, second = a.resolved, b.resolved
    if first and second and first.days == 1 and second.days == 1:
        return (second.start - first.start).days
    weekdays_a, weekdays_b = a.expression.stated.weekdays, b.expression.stated.weekdays
    if len(weekdays_a) == 1 and len(weekdays_b) == 1:
        forward = (weekdays_b[0] - weekdays_a[0]) % 7
        return {1: 1, 6: -1}.get(forward, forward)
    return None


MINUTES_APART = 30


def _relate_clocks(a: TimeExpression, b: TimeExpression) -> Relation:
    if a.clock is None or b.clock is None:
        return Relation.unknown
    if a.clock.zone != b.clock.zone and a.clock.zone is not None and b.clock.zone is not None:
        # "3 p.m. ET" and "8 p.m. GMT" can be the same moment; zones are not converted.
        return Relation.unknown
    if a.clock.low <= b.clock.high and b.clock.low <= a.clock.high:
        return Relation.agree
    gap = min(abs(a.clock.low - b.clock.high), abs(b.clock.low - a.clock.high))
    # Times up to half an hour apart are usually a scheduled time against the actual one; an hour
    # apart, even with "about" on one side, is a slip or a time zone.
    return Relation.adjacent if gap <= MINUTES_APART else Relation.conflict


# --------------------------------------------------------------------------- describing


def format_interval(resolved: Resolved) -> str:
    """"Friday 2023-10-27", "November 2023", "2023", "the week of 2023-10-23", "2022-10-27 to 2023-01-26"."""
    start, end = resolved.start, resolved.end
    if resolved.days == 1:
        return f"{WEEKDAYS[start.weekday()]} {start.isoformat()}"
    if resolved.granularity is Granularity.week:
        return f"the week of {start.isoformat()}"
    if resolved.granularity is Granularity.month:
        return f"{MONTHS[start.month - 1]} {start.year}"
    if resolved.granularity is Granularity.year:
        return str(start.year)
    if resolved.granularity is Granularity.season and start.month != 1:
        season = next(name for name, (first, _) in SEASONS.items() if first == start.month and name != "fall")
        return f"{season} {start.year}"
    return f"{start.isoformat()} to {end.isoformat()}"


def normalised_value(reading: Reading) -> str:
    """The machine-readable value: an ISO date, month or year, a range, or what the words state."""
    resolved = reading.resolved
    expression = reading.expression
    if expression.clock is not None:
        return _format_clock(expression.clock)
    if resolved is None:
        return stated_words(expression)
    if resolved.days == 1:
        return resolved.start.isoformat()
    if resolved.granularity is Granularity.month:
        return resolved.start.isoformat()[:7]
    if resolved.granularity is Granularity.year:
        return str(resolved.start.year)
    return f"{resolved.start.isoformat()}/{resolved.end.isoformat()}"


def stated_words(expression: TimeExpression) -> str:
    """What an unresolved expression says: "Thursday, March 14", "Friday", "November"."""
    stated = expression.stated
    parts = []
    if stated.weekdays:
        parts.append(" and ".join(WEEKDAYS[day] for day in stated.weekdays))
    if stated.month is not None:
        days = "–".join(str(day) for day in sorted({stated.days[0], stated.days[-1]})) if stated.days else ""
        parts.append(f"{MONTHS[stated.month - 1]} {days}".strip())
    if stated.year is not None:
        parts.append(str(stated.year))
    return ", ".join(parts) if parts else expression.text


def describe(reading: Reading) -> str:
    """A side of a summary: the days, with how a relative expression was resolved; what the words
    state when it could not be resolved."""
    expression, resolved = reading.expression, reading.resolved
    if expression.clock is not None:
        return _format_clock(expression.clock)
    if resolved is None:
        return stated_words(expression)
    shown = format_interval(resolved)
    if expression.relative and reading.published is not None:
        return f"'{expression.text}' ({shown}, from the date of {reading.doc_id} {reading.published.isoformat()})"
    return shown


def _format_clock(clock: Clock) -> str:
    if clock.low == clock.high:
        text = _hh_mm(clock.low)
    elif clock.about:
        text = f"about {_hh_mm((clock.low + clock.high) // 2)}"
    else:
        text = f"{_hh_mm(clock.low)}–{_hh_mm(clock.high)}"  # "shortly after 4 a.m.": 04:00–04:45
    return f"{text} {clock.zone}" if clock.zone and clock.zone != "local" else text


def _hh_mm(minutes: int) -> str:
    hours, minutes = divmod(minutes, 60)
    return f"{hours % 24:02d}:{minutes:02d}"
