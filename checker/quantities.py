"""Find quantity mentions in a sentence and turn their wording into intervals.

``find_quantities`` tokenises one sentence with a compiled regex, masks what only looks
like a number (dates, clock times, phone numbers, versions, ordinals, decades, URLs,
"No. 10"), then scans left to right: an optional hedge ("more than", "about"), a currency
prefix, a number (numerals, number words, fractions, vague plurals like "dozens of"),
an optional range ("5 to 7", "five or six", "between ... and ..."), then a unit or, for
counts, the counted noun. The interval is what the wording allows (see ``_interval``).

Rules chosen where the brief was silent (the case files in tests/data/quantities pin them):

* Hedges: about ± max(step/2, 10 %); more than (N, N + max(step, 20 %)]; at least
  [N, ∞) (a floor: "at least 12 dead" is a toll still being counted); nearly [N - min(max(step, 10 %), 20 %), N) (the 20 % cap keeps
  "nearly 1,000" from reaching 0); less than [N/2, N); up to [0, N]; "well over N"
  (N, N + max(step, N)]; "exactly" keeps a round number exact. Postfix "or more", "-plus",
  "+" -> at least; "or so", "-odd" -> about; "or less" -> up to. step = place value of the
  last significant digit of the number as written ("100" -> 100, "1.5 million" -> 100,000).
* Bare rounded-looking numbers (>= 100 with trailing zeros, or with a scale word) get ± half
  that step, shrunk by tens until the step is <= 10 % of the number ("100" -> [95, 105],
  "2,500" -> [2450, 2550], "$150 billion" -> [145, 155] billion).
* Fractions of a whole ("a third of", "two-thirds", "half the", "one in five") are
  ``Dimension.percent``, scale ``share``, value in percent (a third -> 33.33) with a ±10 %
  relative tolerance and a step of 10 points under hedges ("more than half" -> (50, 60]).
  "half an hour", "a quarter of an hour" are durations; "the first half of 2010" is neither.
  Shares are clipped to [0, 100].
* Vague plurals run from two of the unit to the next named scale: dozens [24, 100),
  scores [40, 200), hundreds [200, 1000), thousands [2000, 1e6), millions [2e6, 1e9);
  "tens/hundreds of thousands", "a few/several hundred" -> [2 s, 10 s). Their ``hedge`` is
  the vague wording ("dozens", "tens of thousands", "several hundred"), value the low end.
* Ranges ("5-7", "5 to 7", "five or six", "between 5 and 7", "5% to 10%") get hedge
  "between" and value = the low end. "rose from 5.5 to 5.4 percent" and "increased by 27,000
  to 202,000" are two quantities (a change), the first borrowing the second's unit;
  "ranged from 5 to 7" is a range. A hyphenated pair whose second number is not larger
  ("won 6-3", "a 52-48 vote") is a score, not a quantity.
* Scale families beyond the brief: a rate ("8,000 victims per day", "$15 an hour", "79 cents
  a share") gets " per <unit>" appended to its scale; a difference ("rose 5%", "growth was
  4.5%", "a 3% rise", "increased by 65,000 soldiers") gets scale "change" (percent) or
  "<scale> change"; percentage points are scale "points". None of these compare with levels.
* Identifiers, not quantities: numbers glued to letters or hyphenated words ("G20",
  "COVID-19", "F-16", "5G", "mid-2021"), right after a capitalised name ("Boeing 737",
  "Article 5", "Route 66"; not applied to Title Case headlines or to numbers with a unit),
  "No. 10", "#1", "Group of 20", numerals with a leading zero ("'09").
* Years: a four-digit 1000-2100 numeral is a year unless a plural counted noun follows and no
  year cue (in, since, by, the, ",", ...) precedes it ("2000 people marched" is a count).
* Counts: ``counted`` is the first plural-looking noun after the number (skipping "more",
  "new", adjectives and modifiers), or the last noun for one; "of the" is skipped ("five of
  the suspects"); collective nouns (police, staff) count only when no plural follows ("seven
  police officers" -> officer). Digits with no noun keep ``counted=None`` (never comparable);
  written-out numbers with no noun ("the two met", "one of them") are dropped. The span
  covers the counted noun ("16 NATO members").
* Units: "¥" is JPY, a bare "dollars" USD, "pounds" money only with a scale word or
  "sterling" (otherwise weight), "m" glued to a number is million after a currency symbol or
  before a plural noun ("$374m", "60m doses"), metres otherwise ("100m"). Speeds (mph,
  km/h) are not quantities. "up to" after a verb of motion ("ticked up to 5.5%") is not a
  hedge; neither is "over" after a verb of extent or an amount ("spanning over two days",
  "nine hours over two days").
* Comparing (``values_agree``): overlapping intervals agree; so do a plain figure at the open
  end of a hedge ("six hours" / "more than six hours": the value rounded, but not "well over
  six"), and a figure converted between metric and imperial that the other rounds to ("2
  miles" / "3.2 km").
* Additions with the noun or verb left unsaid take the sentence's previous figure's kind
  ("30 people ... and 12 more": people; "fell 5% ... and another 3%": a fall). A whole number
  set off by commas after a name is an age ("Brandt, 54,"), and so is one after "at the age
  of" or after "at" in a clause that says someone died ("died on Sunday at 81").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from checker.models import Dimension, Interval, Quantity
from checker.numbers import (
    GLUED_SCALES,
    GLYPH_FRACTIONS,
    MONEY_SCALE_SUFFIXES,
    NUMBER_WORDS,
    ONES,
    SCALE_ABBREVIATIONS,
    SCALES,
    TEENS,
    VAGUE_MULTIPLIERS,
    VAGUE_PLURALS,
    VAGUE_SCALES,
    format_number,
    parse_number_words,
    parse_numeral,
)
from checker.units import (
    CUBIC,
    HIGHEST_CELSIUS_WEATHER,
    AGE,
    MAGNITUDE,
    ARTICLE_UNITS,
    BASIS_POINTS,
    COUNT,
    CURRENCY_CODES,
    CURRENCY_NAME_FOR_CODE,
    CURRENCY_SYMBOL_FOR_CODE,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    DOLLAR_PREFIXES,
    DOLLAR_QUALIFIERS,
    DURATION_UNITS,
    EXCLUDED_UNITS,
    MASS_UNITS,
    PERCENT,
    POINTS,
    SIMPLE_UNITS,
    SPEED_OF_LENGTH,
    SPEED_UNITS,
    STERLING,
    TEMPERATURE_UNITS,
    VOLUME_UNITS,
    Unit,
    money,
)

__all__ = ["find_quantities", "format_quantity", "quantities_comparable", "values_agree", "normalize_counted"]

# --------------------------------------------------------------------------- tokens

_TOKEN_RE = re.compile(
    r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])|[0-9]+(?:\.[0-9]+)?|(?<![\w.])\.[0-9]+)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)"
    r"|(?P<sym>\S)"
)

_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
)
# Masks: spans that only look like quantities. Split in three so that each regex fails fast:
# patterns that start at a digit (or "(", "+", "#", an apostrophe), patterns that start with a
# capitalised word, and URLs / e-mail addresses (only searched when the text has "@" or "/").
_MASK_DIGIT_RE = re.compile(
    r"(?=[0-9(+#'’])(?:"
    r"\b\d{4}-\d{1,2}-\d{1,2}\b"  # ISO dates
    r"|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"  # 27/10/2023, 10.27.23
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\b\.?(?:,?\s+\d{{4}}\b)?"  # 27 Oct(ober) (2023)
    r"|\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:[aApP]\.?[mM]\b\.?))?"  # 10:33, 10:33 p.m.
    r"|\b\d{1,2}(?:\.\d{2})?\s*(?:[ap]\.m\.?|[ap]m\b|[AP]\.?M\b\.?)"  # 2 p.m., 10am, 9.30pm
    r"|\b\d{1,2}\s+o['’]clock\b"
    r"|\b\d{4}\s*(?:GMT|UTC|EST|EDT|PST|PDT|CET|CEST|BST|IST|JST|ET|PT|CT|hrs)\b"  # 1600 GMT
    r"|(?:\+\d{1,3}[\s.-]?)?(?:\(\d{3}\)\s?|\b\d{3}[\s.-])\d{3}[\s.-]\d{4}\b"  # phone numbers
    r"|\+\d{1,3}(?:[\s.-]?\d{2,4}){2,5}\b"  # international phone numbers
    r"|\b\d+(?:\.\d+){2,}\b"  # versions, IP addresses, dotted dates
    r"|\b\d{1,4}/\d{1,4}\b"  # 10/27, 24/7, 9/11, 3/4
    r"|\b\d{0,3}0s\b|['’]\d0s\b"  # decades: 1990s, '90s, their 30s
    r"|\b\d+(?:st|nd|rd|th)\b"  # ordinals
    r"|#\s*\d+"
    r")"
)
_MASK_WORD_RE = re.compile(
    r"\b(?=[A-Zn])(?:"
    rf"{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}}\b)?"  # October 27(, 2023)
    rf"|{_MONTHS}\.?,?\s+\d{{4}}\b"  # October 2023
    r"|(?:No|no|Nos|nos|Nr|nr|Num|num)\.\s*\d+"  # No. 10
    r"|Group\s+of\s+(?:\d+|[A-Z][a-z]+)\b"  # Group of 20, Group of Seven
    r")"
)
_MASK_LINK_RE = re.compile(r"https?://\S+|\bwww\.\S+|[\w.+-]+@[\w-]+\.[\w.]+")
_DIGIT_RE = re.compile(r"[0-9]")
_WEATHER_CUE = re.compile(
    r"°|\b(?:temperatures?|thermometers?|mercury|heat|heatwave|hot|hotter|hottest|cold|colder|coldest|warm|warmer"
    r"|warmest|warming|freezing|frost|chill|highs?|lows?|degrees?|celsius|fahrenheit|centigrade|forecasts?"
    r"|forecasters?|weather|swelter\w*|scorching|balmy)\b",
    re.IGNORECASE,
)
_TEMPERATURE_DIFFERENCE_WORDS = frozenset("above below warmer cooler colder hotter higher lower".split())

_TRIGGER_RE = re.compile(
    r"[½¼¾⅓⅔]|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|trillions?|dozens?|"
    r"scores|half|thirds?|quarters?|fifths?|an?\s+(?:minute|hour|day|week|fortnight|month|year|decade|century|"
    r"mile|kilometre|kilometer|metre|meter|tonne|ton|kilogram|kilo|half|dozen|hundred|thousand|million|billion|"
    r"trillion|few|third|quarter|fifth))\b",
    re.IGNORECASE,
)


@dataclass(slots=True)
class _Tok:
    text: str
    low: str
    start: int
    end: int
    kind: str  # num | word | sym
    masked: bool = False


def _tokenize(text: str) -> list[_Tok]:
    toks = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or "sym"
        raw = m.group()
        toks.append(_Tok(raw, raw.lower(), m.start(), m.end(), kind))
    spans: list[tuple[int, int]] = []
    if _DIGIT_RE.search(text):  # every mask needs a digit
        spans = [m.span() for m in _MASK_DIGIT_RE.finditer(text)]
        spans += [m.span() for m in _MASK_WORD_RE.finditer(text)]
        if "@" in text or "/" in text:
            spans += [m.span() for m in _MASK_LINK_RE.finditer(text)]
        spans.sort()
    if spans:
        k = 0
        for tok in toks:
            while k < len(spans) and spans[k][1] <= tok.start:
                k += 1
            if k < len(spans) and spans[k][0] < tok.end:
                tok.masked = True
    return toks


# --------------------------------------------------------------------------- word lists

_STOP = frozenset(
    """
    the a an this that these those his her its their our my your some any each every all both either neither
    no none he she it they we you i me him them us who whom whose which what where when why how there here
    of in on at by for with from to into onto over under about above below after before during since until
    till through throughout across against among amongst between beyond near without within per via amid
    amidst along around toward towards upon than as like despite off out up down
    and or but nor yet so if because while whereas although though unless whether
    is are was were be been being am has have had having do does did will would shall should can could may
    might must 's
    also already ago earlier later still now then just only even not never again apiece altogether
    respectively alone ever too very most least instead each others another
    said says say told tell reported report died die dies killed kill left fled remain remained remains
    went came come took take made make got get became become met meet include included including according
    rose fell dropped climbed jumped increased decreased grew declined added lost gained won saw see seen
    were signed agreed voted attended joined
    """.split()
)
# Words that can sit between a number and its counted noun but are never the noun itself.
_SKIP = frozenset(
    "more new additional other extra further fewer less separate different total whole full entire".split()
)
_LY_NOUNS = frozenset("family ally rally supply assembly anomaly monopoly bully belly italy july fly".split())
_NON_PLURAL_S = frozenset(
    """
    news series species means politics economics physics mathematics athletics ethics bus gas status census
    virus campus crisis analysis basis thesis process business access address class boss glass loss press
    success chess lens bias atlas canvas alias bonus corpus genus plus minus versus kansas texas paris
    always perhaps has was is this its his us yes
    """.split()
)
_MEN_SINGULARS = frozenset("specimen abdomen regimen stamen omen acumen hymen bitumen albumen".split())
_INVARIANT_NOUNS = frozenset(
    "staff police personnel cattle sheep deer fish aircraft crew livestock offspring clergy poultry infantry "
    "spacecraft military public youth".split()
)
_IRREGULAR_SINGULAR = {
    "people": "person", "persons": "person", "men": "man", "women": "woman", "children": "child",
    "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose", "oxen": "ox", "lives": "life",
    "wives": "wife", "knives": "knife", "leaves": "leaf", "halves": "half", "thieves": "thief",
    "wolves": "wolf", "selves": "self", "shelves": "shelf", "loaves": "loaf", "calves": "calf",
    "criteria": "criterion", "phenomena": "phenomenon", "analyses": "analysis", "crises": "crisis",
    "theses": "thesis", "indices": "index", "matrices": "matrix", "buses": "bus", "gases": "gas",
    "heroes": "hero", "potatoes": "potato", "tomatoes": "tomato", "vetoes": "veto", "echoes": "echo",
    "torpedoes": "torpedo", "cacti": "cactus", "fungi": "fungus", "nuclei": "nucleus", "radii": "radius",
    "alumni": "alumnus", "dice": "die", "data": "data", "media": "media", "series": "series",
    "species": "species", "news": "news", "aircraft": "aircraft", "staff": "staff", "police": "police",
    "sheep": "sheep", "deer": "deer", "fish": "fish", "cattle": "cattle", "personnel": "personnel",
    "troops": "soldier", "kids": "child", "lbs": "lb",
}
# Obvious synonyms: the counted thing is the same.
_SYNONYMS = {
    "people": "person", "individual": "person", "persons": "person", "kid": "child", "youngster": "child",
    "fan": "person", "spectator": "person", "patient": "person",
    "troop": "soldier", "employee": "worker", "nation": "country", "fatality": "death",
    "automobile": "car", "auto": "car", "vessel": "ship", "staffer": "staff",
}
_PLURAL_OF = {v: k for k, v in _IRREGULAR_SINGULAR.items() if v != k and k not in ("troops", "kids", "lbs")}
_PLURAL_OF.update({"person": "people", "soldier": "soldiers", "child": "children"})

_YEAR_CUES = frozenset(
    """
    in since by from of until till to through during before after year years early late mid end start
    beginning spring summer autumn fall winter fiscal between and or circa the a this that each every
    season class
    """.split()
)
# "died at 81": after these, "at" and a number give an age.
_DEATH_VERBS = frozenset("died dies die passed".split())
_EXTENT_WORDS = frozenset(
    """
    span spans spanned spanning spread spreads spreading stretched stretch stretches stretching extend
    extends extended extending held conducted unfolded unfolding unfold staggered
    """.split()
)
# Capitalised words that are not names when they stand before a number (sentence starts, mostly).
_NOT_NAMES = frozenset(
    """
    aged age only another just fully nearly almost roughly exactly precisely still yet including overall
    today yesterday now then also however meanwhile altogether police officials authorities sources analysts
    reports experts critics residents witnesses organizers organisers investigators
    """.split()
)
_MOTION_VERBS = frozenset(
    """
    tick ticks ticked ticking revise revised revises revising rise rises rose risen rising go goes went gone
    going climb climbs climbed climbing jump jumps jumped jumping move moves moved moving raise raises raised
    raising push pushes pushed pushing bump bumps bumped bumping edge edges edged edging inch inches inched
    inching creep creeps crept creeping shoot shoots shot shooting mark marks marked step steps stepped ramp
    ramps ramped hike hikes hiked scale scales scaled round rounds rounded rev revved come comes came coming
    """.split()
)
# How many words before "by N%" a change verb may stand: "reduced the risk of heart attacks by 33%".
CHANGE_VERB_REACH = 8
_CHANGE_WORDS = frozenset(
    """
    rise rises rose risen rising fall falls fell fallen falling grow grows grew grown growing increase increased
    increases increasing decrease decreased decreases decreasing drop drops dropped dropping climb climbs
    climbed climbing jump jumps jumped jumping gain gains gained gaining lose loses lost losing slip slips
    slipped slipping slump slumps slumped plunge plunges plunged plunging soar soars soared soaring surge
    surges surged surging decline declines declined declining cut cuts cutting shrink shrinks shrank shrunk
    shrinking expand expands expanded expanding boost boosts boosted boosting slash slashes slashed slashing
    raise raises raised raising lower lowers lowered lowering reduce reduces reduced reducing up down widen
    widened narrow narrowed dip dips dipped dipping tumble tumbles tumbled tumbling sink sinks sank sunk
    added adds add fell contracted contract contracts expanded
    """.split()
)
_CHANGE_NOUNS = frozenset(
    "growth increase increases rise rises decline declines drop drops gain gains fall falls cut cuts hike hikes "
    "jump jumps raise raises decrease decreases reduction reductions surge slump plunge climb contraction "
    "expansion".split()
)
_RATE_ADVERBS = {"annually": "year", "yearly": "year", "monthly": "month", "weekly": "week", "daily": "day", "hourly": "hour"}
_RATE_UNITS = frozenset(
    "hour day week month year share person capita head barrel ounce unit kg kilogram tonne ton litre liter "
    "gallon mile km night visit".split()
)
_RANGE_VERBS = frozenset("range ranges ranged ranging vary varies varied varying anywhere".split())
_RATE_CUES = frozenset("once twice thrice times per every".split())

# (tokens, hedge, wide): longest phrases are tried first.
_HEDGE_PHRASES: list[tuple[tuple[str, ...], str, bool]] = []
for _phrases, _hedge, _wide in (
    (
        "about|around|roughly|approximately|approx|some|an estimated|estimated|circa|ca|~|≈|in the region of|"
        "on the order of|in the neighborhood of|in the neighbourhood of|somewhere around|give or take|"
        "nearly equal to|approximately equal to",
        "about", False,
    ),
    (
        "more than|over|upwards of|upward of|in excess of|above|greater than|just over|just more than|"
        "slightly more than|slightly over|a little over|a little more than|a bit more than|just above|"
        "more then|north of|>",
        "more than", False,
    ),
    ("well over|well above|far more than|much more than|well in excess of|considerably more than", "more than", True),
    ("at least|no fewer than|no less than|not less than|not fewer than|a minimum of|minimum of|as few as|≥|>=",
     "at least", False),
    (
        "nearly|almost|just under|just below|close to|just shy of|shy of|slightly less than|slightly fewer than|"
        "slightly under|a little under|a little less than|not quite|nigh on|just short of|approaching",
        "nearly", False,
    ),
    ("less than|fewer than|under|below|well under|well below|far fewer than|far less than|<", "less than", False),
    (
        "up to|as many as|as much as|at most|no more than|not more than|a maximum of|maximum of|as high as|"
        "≤|<=",
        "up to", False,
    ),
    ("between", "between", False),
    ("exactly|precisely", "exactly", False),
):
    for _phrase in _phrases.split("|"):
        _HEDGE_PHRASES.append((tuple(_phrase.split()), _hedge, _wide))
_HEDGE_PHRASES.sort(key=lambda item: -len(item[0]))
_HEDGES_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
for _item in _HEDGE_PHRASES:
    _HEDGES_BY_FIRST.setdefault(_item[0][0], []).append(_item)
_HEDGE_WORDS = frozenset(word for phrase, _, _ in _HEDGE_PHRASES for word in phrase)
_WIDE_HEDGE_STARTS = frozenset(phrase[0] for phrase, _, wide in _HEDGE_PHRASES if wide)

_POST_HEDGES: list[tuple[tuple[str, ...], str]] = [
    (("or", "more"), "at least"), (("or", "over"), "at least"), (("or", "higher"), "at least"),
    (("or", "longer"), "at least"), (("or", "greater"), "at least"), (("or", "above"), "at least"),
    (("or", "so"), "about"), (("or", "thereabouts"), "about"),
    (("or", "less"), "up to"), (("or", "fewer"), "up to"), (("or", "under"), "up to"), (("or", "below"), "up to"),
    (("-", "plus"), "at least"), (("+",), "at least"), (("-", "odd"), "about"), (("-", "ish"), "about"),
]

_POST_HEDGE_FIRST = frozenset(words[0] for words, _ in _POST_HEDGES)
_CURRENCY_PREFIX_WORDS = frozenset(CURRENCY_CODES)
_SINGULAR_FRACTIONS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "fourth": 0.25, "fifth": 0.2, "sixth": 1 / 6,
                       "eighth": 0.125, "tenth": 0.1}
_PLURAL_FRACTIONS = {"thirds": 1 / 3, "quarters": 0.25, "fourths": 0.25, "fifths": 0.2, "sixths": 1 / 6,
                     "eighths": 0.125, "tenths": 0.1, "halves": 0.5}
_FRACTION_STEP = 10.0  # percentage points: "more than half" -> (50, 60]


#: Lower-cased tokens that can begin a quantity (numerals always can).
_START_WORDS = frozenset(
    {
        *_HEDGES_BY_FIRST, *NUMBER_WORDS, *ONES, *TEENS, *VAGUE_PLURALS, *VAGUE_MULTIPLIERS, *CURRENCY_CODES,
        *CURRENCY_SYMBOLS, *DOLLAR_PREFIXES, *_SINGULAR_FRACTIONS, "a", "an", "one", "half", "several", "aged",
        "age", "u",
    }
)

# --------------------------------------------------------------------------- parse records


@dataclass(slots=True)
class _Num:
    value: float
    step: float
    end: int
    scale: float
    kind: str  # digits | words | half
    year_like: bool = False


@dataclass(slots=True)
class _Core:
    end: int
    lo: float
    hi: float
    step: float
    rounded: bool
    unit: Unit
    counted: str | None = None
    vague: str | None = None  # label, e.g. "dozens of"
    fraction: bool = False
    post_hedge: str | None = None
    is_range: bool = False
    rate: str | None = None  # "per day", "a share": a rate, never compared with a total
    change: bool = False  # "rose 5%", "increased by 65,000": a difference, not a level


_SKIP_TO = object()  # marker type for "consume these tokens, they are not a quantity"


class _Scanner:
    __slots__ = ("text", "toks", "lows", "n", "last_end", "title_case", "about_weather")

    def __init__(self, text: str, toks: list[_Tok]) -> None:
        self.text = text
        self.toks = toks
        self.lows = [t.low for t in toks]
        self.n = len(toks)
        self.last_end = -10
        # Headlines in Title Case capitalise every word, so a capital says nothing about names.
        words = [t.text for t in toks if t.kind == "word" and len(t.text) > 3]
        self.title_case = len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)
        # "44.5C" is a temperature in a sentence about the weather, "Apartment 5C" is not.
        self.about_weather = bool(_WEATHER_CUE.search(text))

    # ----------------------------------------------------------------- helpers

    def low(self, i: int) -> str:
        return self.lows[i] if 0 <= i < self.n else ""

    def glued(self, i: int) -> bool:
        """True when token i starts exactly where token i-1 ends."""
        return 0 < i < self.n and self.toks[i - 1].end == self.toks[i].start

    def seq(self, i: int, words: tuple[str, ...]) -> bool:
        if i + len(words) > self.n:
            return False
        for k, word in enumerate(words):
            if self.lows[i + k] != word:
                return False
        return True

    def hyphen_at(self, i: int) -> bool:
        """A hyphen at i glued to its neighbours ("three-day")."""
        return (
            0 < i < self.n - 1
            and self.lows[i] in ("-", "‐", "‑")
            and self.toks[i - 1].end == self.toks[i].start
            and self.toks[i].end == self.toks[i + 1].start
        )

    # ----------------------------------------------------------------- scan

    def scan(self) -> list[Quantity]:
        out: list[Quantity] = []
        i = 0
        toks = self.toks
        while i < self.n:
            tok = toks[i]
            if tok.kind != "num" and tok.low not in _START_WORDS:
                i += 1  # fast path: this token cannot begin a quantity
                continue
            result = self.match(i)
            if result is None:
                i += 1
                continue
            if isinstance(result, int):
                i = max(result, i + 1)
                continue
            quantity, nxt = result
            out.append(quantity)
            self.last_end = quantity.end
            i = max(nxt, i + 1)
        return out

    def match(self, i: int) -> tuple[Quantity, int] | int | None:
        tok = self.toks[i]
        hedge = None
        wide = False
        j = i
        found = self.hedge_at(i)
        if found is not None:
            hedge, j, wide = found
        age = False
        if hedge is None and tok.low in ("aged", "age") and i + 1 < self.n and self.toks[i + 1].kind == "num":
            age = True
            j = i + 1
        core = self.core(j, between=hedge == "between")
        if core is _SKIP_TO:
            return None if hedge is not None else j + 1
        if isinstance(core, int):
            return core
        if core is None:
            return None
        if hedge == "between" and not core.is_range:
            return None
        if hedge is None and not age and core.unit is COUNT and not self.title_case and self.looks_like_identifier(j):
            return core.end
        if not age and hedge is None and core.unit is COUNT and core.counted is None:
            age = self.is_appositive_age(j, core) or self.says_age_before(j)
        if age:
            core.unit = AGE
            core.counted = None
        if core.vague is not None and hedge not in (None, "exactly"):
            hedge = None
            i = j
        if core.unit.dimension in (Dimension.count, Dimension.money, Dimension.percent, Dimension.volume):
            rate = self.rate_suffix(core.end)
            if rate is not None:
                core.rate, core.end = rate
            core.change = self.is_difference(i, core.end, core.unit)
        if core.unit.dimension is Dimension.temperature:
            sign = self.below_zero(j) if hedge is None else None
            if sign is not None:
                core.lo, core.hi, i = -core.hi, -core.lo, sign
            core.change = self.is_temperature_change(i, core.end)
        start = self.toks[i].start
        end = self.toks[core.end - 1].end
        return self.build(core, hedge, wide, start, end), core.end

    def hedge_at(self, i: int) -> tuple[str, int, bool] | None:
        candidates = _HEDGES_BY_FIRST.get(self.lows[i])
        if not candidates:
            return None
        for words, hedge, wide in candidates:
            if self.seq(i, words):
                if words == ("over",) and self.over_is_extent(i):
                    return None
                if words == ("up", "to") and self.low(i - 1) in _MOTION_VERBS:
                    return None  # "rates ticked up to 5.5%": a movement, not a ceiling
                return hedge, i + len(words), wide
        return None

    def over_is_extent(self, i: int) -> bool:
        """"spanning over two days", and "nine hours over two days" or "$5 billion over ten years":
        after an amount, "over" says across what period or set the amount is spread."""
        prev = self.low(i - 1)
        if prev in ("out", "up"):
            prev = self.low(i - 2)
        return prev in _EXTENT_WORDS or self.ends_an_amount(i - 1)

    def ends_an_amount(self, i: int) -> bool:
        if i < 0:
            return False
        low = self.toks[i].low
        return (
            self.toks[i].kind == "num"
            or low in DURATION_UNITS
            or low in SCALES
            or low in SCALE_ABBREVIATIONS
            or low in ("percent", "%", "pct")
        )

    def says_age_before(self, i: int) -> bool:
        """"at the age of 81", "died at 81": the words before the number make it an age."""
        if self.low(i - 1) == "of" and self.low(i - 2) == "age":
            return True
        if self.low(i - 1) != "at":
            return False
        if i + 1 < self.n and self.toks[i + 1].kind == "word" and self.toks[i + 1].text[:1].isupper():
            return False  # "died at 8 Main Street"
        for k in range(i - 2, max(i - 8, -1), -1):
            if self.toks[k].kind == "sym":
                return False
            if self.toks[k].low in _DEATH_VERBS:
                return True
        return False

    def is_appositive_age(self, i: int, core: _Core) -> bool:
        """"Mayor Ilse Brandt, 54, said": a whole number set off by commas right after a name is
        the person's age."""
        if not (i >= 2 and self.low(i - 1) == "," and core.end < self.n and self.low(core.end) == ","):
            return False
        name = self.toks[i - 2]
        return (
            name.kind == "word"
            and name.text[:1].isupper()
            and name.low not in _NOT_NAMES
            and core.lo == core.hi
            and core.lo.is_integer()
            and 1 <= core.lo <= 115
            and core.end == i + 1
        )

    def looks_like_identifier(self, i: int) -> bool:
        """A number right after a capitalised name ("Boeing 737", "Article 5", "Route 66")."""
        if i <= 0 or i >= self.n:
            return False
        tok = self.toks[i]
        prev = self.toks[i - 1]
        if prev.kind != "word" or not prev.text[:1].isupper():
            return False
        if tok.kind == "word" and not tok.text[:1].isupper():
            return False
        if tok.kind not in ("num", "word"):
            return False
        low = prev.low
        if low in _STOP or low in _HEDGE_WORDS or low in _SKIP or low in _CURRENCY_PREFIX_WORDS:
            return False
        if "'" in prev.text or "’" in prev.text:
            return False
        if low in NUMBER_WORDS or low in _NOT_NAMES:
            return False
        return True

    # ----------------------------------------------------------------- numbers

    def number(self, i: int, money_ctx: bool) -> _Num | None:
        if i >= self.n:
            return None
        tok = self.toks[i]
        if tok.masked:
            return None
        if tok.kind == "num":
            return self.numeral(i, money_ctx)
        if tok.kind != "word":
            return None
        low = tok.low
        if low == "half":
            # "half a million", "half a dozen"
            if self.low(i + 1) in ("a", "an") and (self.low(i + 2) in SCALES or self.low(i + 2) == "dozen"):
                factor = 12.0 if self.low(i + 2) == "dozen" else SCALES[self.low(i + 2)]
                return _Num(0.5 * factor, 0.5 * factor, i + 3, factor if factor > 12 else 1.0, "half")
            return None
        if low not in NUMBER_WORDS and low not in ("a", "an"):
            return None
        parsed = parse_number_words(self.lows, i)
        if parsed is None:
            return None
        return _Num(parsed.value, parsed.step, parsed.end, parsed.scale, "words")

    def numeral(self, i: int, money_ctx: bool) -> _Num | None:
        tok = self.toks[i]
        # letters or a hyphenated word glued before: G20, COVID-19, F-16, mid-2021
        if i > 0 and self.glued(i):
            prev = self.toks[i - 1]
            if prev.kind == "word":
                return None
            if prev.text in "-‐‑" and i > 1 and self.glued(i - 1) and self.toks[i - 2].kind == "word":
                return None
            if prev.kind == "num":
                return None
        if len(tok.text) > 1 and tok.text[0] == "0" and tok.text[1].isdigit():
            return None  # "'09", "007": years and codes, not amounts
        parsed = parse_numeral(tok.text)
        if parsed is None:
            return None
        value, step = parsed
        j = i + 1
        scale = 1.0
        year_like = len(tok.text) == 4 and tok.text.isdigit() and 1000 <= value <= 2100
        if j < self.n and self.glued(j):
            nxt = self.toks[j]
            if nxt.text in GLYPH_FRACTIONS:
                value += GLYPH_FRACTIONS[nxt.text]
                step = 0.5
                j += 1
                year_like = False
            elif nxt.kind == "word":
                suffix = nxt.low
                if money_ctx and suffix in MONEY_SCALE_SUFFIXES:
                    scale = MONEY_SCALE_SUFFIXES[suffix]
                    j += 1
                elif suffix in ("m", "bn") and j + 1 < self.n and self.toks[j + 1].kind == "word" and (
                    _looks_plural(self.toks[j + 1].text) or self.lows[j + 1] in _INVARIANT_NOUNS
                ):
                    scale = 1e6 if suffix == "m" else 1e9  # "60m doses": millions, not metres
                    j += 1
                elif suffix in GLUED_SCALES:
                    scale = GLUED_SCALES[suffix]
                    j += 1
                elif suffix in SIMPLE_UNITS or suffix in SPEED_UNITS or suffix in ("pc", "pct") or suffix in EXCLUDED_UNITS:
                    pass
                elif nxt.text in ("C", "F") and self.about_weather:
                    pass
                else:
                    return None  # 5G, 3D, 10x, 737MAX: identifiers
            elif nxt.kind == "num":
                return None
        if (
            scale == 1.0
            and value == int(value)
            and j + 2 < self.n
            and self.toks[j].kind == "num"
            and self.lows[j + 1] == "/"
            and self.toks[j + 2].kind == "num"
            and self.glued(j + 1)
            and self.glued(j + 2)
        ):
            # mixed fractions: "3 1/2 years"
            top, bottom = self.lows[j], self.lows[j + 2]
            if top.isdigit() and bottom in ("2", "3", "4", "8") and 0 < int(top) < int(bottom):
                value += int(top) / int(bottom)
                step = 1 / int(bottom)
                j += 3
                year_like = False
        if scale == 1.0 and self.hyphen_at(j) and self.low(j + 1) in SCALES:
            j += 1  # "a $2.5-million grant"
        if scale == 1.0 and j < self.n:
            word = self.lows[j]
            if word in SCALES:
                scale = SCALES[word]
                j += 1
            elif word in SCALE_ABBREVIATIONS:
                scale = SCALE_ABBREVIATIONS[word]
                j += 1
            elif word == "hundred" and value < 100:
                scale = 100.0
                j += 1
        if scale != 1.0:
            year_like = False
        return _Num(value * scale, step * scale, j, scale, "digits", year_like)

    # ----------------------------------------------------------------- core

    def currency_prefix(self, i: int) -> tuple[str, int] | None:
        tok = self.toks[i]
        if tok.kind == "sym" and tok.text in CURRENCY_SYMBOLS:
            return CURRENCY_SYMBOLS[tok.text], i + 1
        if tok.kind == "word":
            if tok.low in DOLLAR_PREFIXES and self.low(i + 1) == "$" and self.glued(i + 1) and tok.text.isupper():
                return DOLLAR_PREFIXES[tok.low], i + 2
            if tok.low == "u" and self.seq(i, ("u", ".", "s", ".", "$")):
                return "USD", i + 5
            if tok.low in CURRENCY_CODES and self.low(i + 1) == "$" and self.glued(i + 1):
                return CURRENCY_CODES[tok.low], i + 2  # "AUD$9.5 billion"
            if tok.low in CURRENCY_CODES and (tok.text.isupper() or tok.text == "Rs"):
                k = i + 1
                if self.low(k) == "." and tok.low == "rs":
                    k += 1
                if k < self.n and self.toks[k].kind == "num":
                    return CURRENCY_CODES[tok.low], k
        return None

    def core(self, i: int, between: bool = False, borrowing: bool = True):
        """Parse a quantity starting at token i (after any hedge)."""
        if i >= self.n:
            return None
        tok = self.toks[i]
        if tok.masked:
            return _SKIP_TO if tok.kind == "num" else None
        first = i
        currency = None
        prefix = self.currency_prefix(i)
        if prefix is not None:
            currency, i = prefix
        if currency is None:
            special = self.special(i)
            if special is not None:
                return special
        num = self.number(i, currency is not None)
        if num is None:
            if tok.kind == "num" and currency is None:
                return _SKIP_TO
            return None
        if num.kind == "words" and self.lows[i] == "one" and self.one_is_pronoun(i):
            return None
        j = num.end
        lo = hi = num.value
        step = num.step
        is_range = False
        year_like = num.year_like

        # "and a half" after digits: "2 and a half hours"
        if num.kind == "digits" and num.scale == 1.0 and self.seq(j, ("and", "a", "half")):
            lo = hi = lo + 0.5
            step = 0.5
            j += 3

        # ranges: 5-7, 5 to 7, five or six, between 5 and 7
        connector = self.low(j)
        if connector in ("-", "–", "—", "to", "or", "and", "through") and j + 1 < self.n:
            if connector in ("and",) and not between:
                pass
            elif connector == "to" and self.is_change(first):
                pass  # a change, not a range: "rose from 5 to 7", "increased by 27,000 to 202,000"
            else:
                k = j + 1
                if currency is not None and self.toks[k].text in CURRENCY_SYMBOLS:
                    k += 1
                num2 = self.number(k, currency is not None)
                if num2 is not None and (num2.kind == num.kind or num.kind == "digits" or num2.kind == "digits"):
                    v1 = lo
                    if num.scale == 1.0 and num2.scale > 1.0 and v1 * num2.scale <= num2.value:
                        v1 *= num2.scale
                    if connector in ("-", "–", "—") and num2.value <= v1:
                        if num.kind == "digits" and num2.kind == "digits":
                            return num2.end  # a score or a vote: 6-3, 52-48
                    elif num2.value > v1 and (connector != "or" or num2.value - v1 <= max(v1, 10)):
                        lo, hi = v1, num2.value
                        step = min(step, num2.step) if num.scale == num2.scale else num2.step
                        j = num2.end
                        is_range = True
                        year_like = year_like and num2.year_like
                        num = _Num(num2.value, num2.step, num2.end, max(num.scale, num2.scale), num2.kind)

        rounded = (num.scale > 1.0 or (hi >= 100 and step > 1)) and not is_range
        core = _Core(end=j, lo=lo, hi=hi, step=step, rounded=rounded, unit=COUNT, is_range=is_range)

        # post hedge right after the number: "50-odd", "3,000-plus", "20 or more"
        post = self.post_hedge(j)
        if post is not None:
            core.post_hedge, j = post
            core.end = j

        if currency is not None:
            # "$5 million", maybe followed by a redundant "dollars"/"USD"
            core.unit = money(currency)
            if self.low(j) in CURRENCY_WORDS or (self.low(j) in CURRENCY_CODES and self.toks[j].text.isupper()):
                j += 1
            core.end = j
            self.after_unit(core)
            return core

        unit_match = self.unit(j, num)
        if unit_match is not None:
            unit, j = unit_match
            if unit is None:
                return j  # a rate or speed: 60 mph
            core.unit = unit
            core.end = j
            if unit.dimension is Dimension.duration:
                self.duration_tail(core)
            if not is_range and not self.is_change(first):
                self.unit_range(core, between)
            self.after_unit(core)
            return core

        if year_like and core.post_hedge is None:
            # a year, unless a plural counted noun follows without a year cue before it
            counted = self.counted(j, plural=True)
            prev = self.toks[i - 1] if i > 0 else None
            if counted is None or (prev is not None and (prev.low in _YEAR_CUES or prev.text in ",-–/'’")):
                return j
            core.counted, core.end = counted
            return core

        # ratios: "one in five", "1 out of 3", "1 of every 5"
        ratio = self.ratio(j, lo) if not is_range else None
        if ratio is not None:
            value, end = ratio
            return _Core(end=end, lo=value, hi=value, step=_FRACTION_STEP, rounded=False, unit=PERCENT,
                         fraction=True)

        if borrowing and not is_range and self.low(j) in ("to", "and", "or", "-", "–") and j + 1 < self.n:
            other = self.core(j + 1, borrowing=False)
            if isinstance(other, _Core) and other.unit is not COUNT and other.unit.dimension is not Dimension.age:
                core.unit = other.unit
                return core
            if isinstance(other, _Core) and other.counted is not None:
                core.counted = other.counted
                return core

        # counts
        # N-noun compounds: "a 16-member alliance", "a 10-point plan"
        if self.hyphen_at(j) and self.toks[j + 1].kind == "word" and self.lows[j + 1] not in _STOP:
            noun = self.lows[j + 1]
            if noun not in NUMBER_WORDS and noun not in SCALES and not self.hyphen_at(j + 2):
                if noun in CURRENCY_WORDS:  # "a trillion-dollar plan"
                    core.unit, core.end = CURRENCY_WORDS[noun], j + 2
                    return core
                core.counted, core.end = normalize_counted(noun), j + 2
                return core
        plural = hi != 1.0
        counted = self.counted_with_of(j, plural)
        if counted is not None:
            core.counted, core.end = counted
        elif num.kind != "digits" and not self.part_of_counted_whole(j) and not self.after_a_toll(first):
            return None  # "the two met", "one of them": written-out numbers need their noun
        if core.post_hedge is None:
            post = self.post_hedge(core.end)
            if post is not None:
                core.post_hedge, core.end = post
        return core

    def rate_suffix(self, j: int) -> tuple[str, int] | None:
        """"8,000 victims per day", "$15 an hour", "72 cents a share"."""
        if self.low(j) in ("per", "a", "an", "each", "every") and self.low(j + 1) in _RATE_UNITS:
            return self.low(j + 1), j + 2
        if self.low(j) == "/" and self.low(j + 1) in _RATE_UNITS:
            return self.low(j + 1), j + 2
        if self.low(j) in _RATE_ADVERBS:
            return _RATE_ADVERBS[self.low(j)], j + 1  # "$600 million annually": a year
        return None

    def is_difference(self, i: int, end: int, unit: Unit) -> bool:
        """"rose 5%", "up 14%", "increased by 65,000", "growth was 4.5%", "a 3% rise", "2% lower": a change, not a level."""
        prev = self.low(i - 1)
        if prev == "by":
            # "cut heart attacks by 28%", "reduced the risk of heart attacks by a third"
            reach = 2 if unit.dimension is not Dimension.percent else CHANGE_VERB_REACH
            return any(self.low(k) in _CHANGE_WORDS for k in range(max(i - reach, 0), i - 1))
        if unit.dimension is not Dimension.percent:
            return False
        if prev in _CHANGE_WORDS or self.low(end) in _CHANGE_NOUNS or self.low(end) in ("higher", "lower"):
            return True  # "ended 2.1% lower"
        return prev in ("of", "was", "is", "were", "at") and self.low(i - 2) in _CHANGE_NOUNS

    def is_change(self, i: int) -> bool:
        """"from 5 to 7" after anything but "range"/"vary", or "by 5 to 7": two values, not a range."""
        prev = self.low(i - 1)
        if prev == "by":
            return True
        return prev == "from" and self.low(i - 2) not in _RANGE_VERBS

    def one_is_pronoun(self, i: int) -> bool:
        """"one of the officials", "the one who", "no one", "one another"."""
        if self.low(i - 1) in ("the", "no", "any", "every", "each", "this", "that", "which", "another"):
            return True
        return self.low(i + 1) in ("of", "another", "who", "that", "which", "whose", "thing", "way")

    def special(self, i: int):
        """Vague plurals, fractions, "a/an + unit", "half an hour"."""
        low = self.lows[i]
        # vague plurals
        if low in VAGUE_MULTIPLIERS and self.low(i + 1) == "of" and self.low(i + 2) in VAGUE_SCALES:
            mult = VAGUE_MULTIPLIERS[low]
            scale = VAGUE_SCALES[self.low(i + 2)]
            label = f"{low} of {self.low(i + 2)}"
            return self.vague(i + 3, 2 * mult * scale, 10 * mult * scale, label)
        if low in VAGUE_PLURALS:
            lo, hi, _ = VAGUE_PLURALS[low]
            return self.vague(i + 1, lo, hi, low)
        if low == "several" or (low == "a" and self.low(i + 1) == "few"):
            k = i + 1 if low == "several" else i + 2
            if self.low(k) in SCALES or self.low(k) == "hundred":
                scale = 100.0 if self.low(k) == "hundred" else SCALES[self.low(k)]
                label = f"{'several' if low == 'several' else 'a few'} {self.low(k)}"
                return self.vague(k + 1, 2 * scale, 10 * scale, label)
            return None
        # fractions
        fraction = self.fraction(i)
        if fraction is not None:
            return fraction
        # "an hour", "a week"
        if low in ("a", "an") and i + 1 < self.n:
            unit_word = self.low(i + 1)
            # "a day-long" is a day; "a day-to-day", "a year-end" are not quantities
            if unit_word in ARTICLE_UNITS and (not self.hyphen_at(i + 2) or self.low(i + 3) == "long"):
                if self.is_rate(i):
                    return i + 2
                unit = SIMPLE_UNITS[unit_word]
                core = _Core(end=i + 2, lo=1.0, hi=1.0, step=1.0, rounded=False, unit=unit)
                if unit.dimension is Dimension.duration:
                    self.duration_tail(core)
                self.after_unit(core)
                return core
            if unit_word == "half" and self.low(i + 2) in ARTICLE_UNITS:
                # "a half hour", "a half-day"
                k = i + 3 if not self.hyphen_at(i + 2) else i + 4
                if self.low(k - 1) in ARTICLE_UNITS:
                    unit = SIMPLE_UNITS[self.low(k - 1)]
                    return _Core(end=k, lo=0.5, hi=0.5, step=0.5, rounded=False, unit=unit)
        return None

    def is_rate(self, i: int) -> bool:
        """"$15 an hour", "twice a day": the article means "per"."""
        if self.low(i - 1) in _RATE_CUES:
            return True
        return self.last_end >= 0 and self.text[self.last_end:self.toks[i].start].strip() == ""

    def vague(self, j: int, lo: float, hi: float, label: str) -> _Core:
        core = _Core(end=j, lo=lo, hi=hi, step=lo, rounded=False, unit=COUNT, vague=label)
        unit = self.unit(j, None)
        if unit is not None and unit[0] is not None and unit[0].dimension is not Dimension.age:
            core.unit, core.end = unit
            return core
        if self.low(j) == "of":
            unit = self.unit(j + 1, None, after_of=True)
            if unit is not None and unit[0] is not None:
                core.unit, core.end = unit
                return core
            counted = self.counted_with_of(j, plural=True)
            if counted is not None:
                core.counted, core.end = counted
            return core
        counted = self.counted(j, plural=True)
        if counted is not None:
            core.counted, core.end = counted
        return core

    def fraction(self, i: int) -> _Core | None:
        low = self.lows[i]
        value = None
        plural_form = False
        k = i
        if low in ("a", "an", "one") or (low == "half"):
            if low == "half":
                value, k = 0.5, i + 1
            else:
                m = i + 1
                if self.hyphen_at(m):
                    m += 1
                if self.low(m) in _SINGULAR_FRACTIONS:
                    value, k = _SINGULAR_FRACTIONS[self.low(m)], m + 1
        elif low in ONES or low in TEENS:
            m = i + 1
            if self.hyphen_at(m):
                m += 1
            if self.low(m) in _PLURAL_FRACTIONS:
                value, k = ONES.get(low, TEENS.get(low, 0)) * _PLURAL_FRACTIONS[self.low(m)], m + 1
                plural_form = True
        if value is None or value <= 0 or value > 1:
            return None
        if self.low(i - 1) in ("first", "second", "last", "latter", "former", "back", "front"):
            return None  # "the first half of 2010" is a period, not a share
        # fraction of a unit: "half an hour", "a quarter of an hour", "two-thirds of a mile", "half-hour"
        m = k
        if self.hyphen_at(m) and self.low(m + 1) in ARTICLE_UNITS and low == "half":
            unit = SIMPLE_UNITS[self.low(m + 1)]
            return _Core(end=m + 2, lo=0.5, hi=0.5, step=0.5, rounded=False, unit=unit)
        if self.low(m) == "of":
            m += 1
        if self.low(m) in ("a", "an") and self.low(m + 1) in ARTICLE_UNITS:
            unit = SIMPLE_UNITS[self.low(m + 1)]
            return _Core(end=m + 2, lo=value, hi=value, step=value, rounded=False, unit=unit)
        # share of a whole: "a third of", "half of", "half the", "a two-thirds majority"; the size
        # of a change: "cut by a third", "by half"
        if (
            self.low(k) == "of"
            or plural_form
            or (low == "half" and self.low(k) in ("the", "its", "their", "his", "her", "our"))
            or self.low(i - 1) == "by"
        ):
            if self.low(k) == "of" and self.low(k + 1) in ("a", "an") and low != "half":
                return None
            percent = value * 100
            return _Core(end=k, lo=percent, hi=percent, step=_FRACTION_STEP, rounded=False, unit=PERCENT,
                         fraction=True)
        return None

    def ratio(self, j: int, value: float) -> tuple[float, int] | None:
        if value <= 0:
            return None
        k = None
        if self.low(j) == "in":
            k = j + 1
        elif self.seq(j, ("out", "of")) or self.seq(j, ("of", "every")):
            k = j + 2
        if k is None:
            return None
        num = self.number(k, False)
        if num is None or num.scale != 1.0 or num.value <= value or num.year_like:
            return None
        return value / num.value * 100, num.end

    # ----------------------------------------------------------------- units

    def unit(self, j: int, num: _Num | None, after_of: bool = False) -> tuple[Unit | None, int] | None:
        """The unit after the number at j: (unit, end), (None, end) for excluded rate units, or None."""
        if j >= self.n:
            return None
        hyphen = False
        if self.hyphen_at(j) and not after_of:
            hyphen = True
            j += 1
        if j >= self.n:
            return None
        tok = self.toks[j]
        low = tok.low
        glued = self.glued(j)
        if tok.text == "%":
            return PERCENT, j + 1
        if low in ("percent", "pct") or (low == "pc" and glued):
            return PERCENT, j + 1
        if low == "per" and self.low(j + 1) == "cent":
            return PERCENT, j + 2
        if low in ("percentage", "basis") and self.low(j + 1) in ("point", "points"):
            return (POINTS if low == "percentage" else BASIS_POINTS), j + 2
        if low in SPEED_UNITS:
            return SPEED_UNITS[low], j + 1
        if low in ("°", "degree", "degrees") or low in TEMPERATURE_UNITS:
            return self.temperature_unit(j, num)
        if low in EXCLUDED_UNITS:
            return None, j + 1
        if low in DURATION_UNITS:
            if low == "h" and not glued:
                return None
            unit = DURATION_UNITS[low]
            end = j + 1
            # ages: "10-year-old", "10 years old", "six-month-old", "45 years of age"
            if unit.canonical == "year" and low not in ("decade", "decades", "century", "centuries"):
                if self.hyphen_at(end) and self.low(end + 1) in ("old", "olds"):
                    return AGE._replace(factor=unit.factor), end + 2
                if self.low(end) == "old" and not hyphen:
                    return AGE._replace(factor=unit.factor), end + 1
                if self.seq(end, ("of", "age")):
                    return AGE._replace(factor=unit.factor), end + 2
            if self.hyphen_at(end) and self.low(end + 1) == "long":
                end += 2
            return unit, end
        if low in CURRENCY_WORDS and not hyphen:
            return CURRENCY_WORDS[low], j + 1
        if low in CURRENCY_CODES and tok.text.isupper() and low != "rs" and not hyphen:
            return money(CURRENCY_CODES[low]), j + 1
        if low in ("pound", "pounds", "quid") and not hyphen:
            if self.low(j + 1) == "sterling" or low == "quid":
                return STERLING, j + 2 if low != "quid" else j + 1
            if num is not None and num.scale > 1.0:
                return STERLING, j + 1
        for words, code in DOLLAR_QUALIFIERS.items():
            if self.seq(j, words) and self.low(j + len(words)) in ("dollar", "dollars"):
                return money(code), j + len(words) + 1
        if low in SIMPLE_UNITS:
            if low == "m" and not glued:
                return None
            if low in ("g", "t", "mi", "yd") and not glued:
                return None
            unit = SIMPLE_UNITS[low]
            end = j + 1
            over_an_hour = self.seq(end, ("/", "h")) or self.seq(end, ("per", "hour")) or self.seq(end, ("an", "hour"))
            if over_an_hour and low in SPEED_OF_LENGTH:
                return SPEED_UNITS[SPEED_OF_LENGTH[low]], end + 2  # "km/h", "miles per hour"
            if over_an_hour or self.low(end) == "/":
                return None, end + 1  # another rate: metres per hour, tonnes/day
            if unit.dimension is Dimension.volume and self.names_a_kind(end, num):
                return None  # "12 barrel bombs", "a 10-gallon hat"
            return unit, end
        if low == "cubic" and self.low(j + 1) in CUBIC:
            system = "cubic feet" if self.low(j + 1) in ("foot", "feet") else "cubic metres"
            return VOLUME_UNITS["litre"]._replace(factor=CUBIC[self.low(j + 1)], system=system), j + 2
        if low == "metric" and self.low(j + 1) in ("ton", "tons", "tonne", "tonnes"):
            return MASS_UNITS["tonne"], j + 2
        return None

    def names_a_kind(self, end: int, num: _Num | None) -> bool:
        """Whether a singular unit word after a number other than one names a kind of thing with
        the noun after it: "12 barrel bombs", "two 10-gallon drums"."""
        singular = not _looks_plural(self.toks[end - 1].text)
        return singular and (num is None or num.value != 1) and end < self.n and self.toks[end].kind == "word" and (
            self.low(end) not in ("of", "a", "an", "per", "each", "every", "and", "or", "to")
        )

    def temperature_unit(self, j: int, num: _Num | None) -> tuple[Unit | None, int] | None:
        """"44.5C", "45.4°C", "112 degrees Fahrenheit", "43.8 Celsius". A bare "106 degrees" of
        weather is Fahrenheit, as no weather reaches 60 °C; a bare "35 degrees" may be either, and
        "a 180-degree turn" is an angle: no quantity."""
        scale = j + 1 if self.low(j) in ("°", "degree", "degrees") else j
        named = self.low(scale)
        if named in TEMPERATURE_UNITS and (len(named) > 1 or self.toks[scale].text.isupper()):
            if len(named) == 1 and not (self.about_weather or scale > j):
                return None
            return TEMPERATURE_UNITS[named], scale + 1
        if scale == j:
            return None
        if self.about_weather and num is not None and num.value > HIGHEST_CELSIUS_WEATHER and not self.hyphen_at(j - 1):
            return TEMPERATURE_UNITS["fahrenheit"], scale
        return None, scale

    def below_zero(self, j: int) -> int | None:
        """The token of a minus sign before the number at j: "minus 5C", "-5C" (not "3-5C")."""
        if self.low(j - 1) in ("minus", "negative"):
            return j - 1
        if j >= 1 and self.toks[j - 1].text in "-−" and self.glued(j) and not (j >= 2 and self.glued(j - 1)):
            return j - 1
        return None

    def is_temperature_change(self, i: int, end: int) -> bool:
        """"rose by 2C", "5C above average", "3 degrees warmer", "1.5C of warming": a difference of
        temperatures, in which 0 °F is not -17.8 °C."""
        after = self.low(end)
        return (
            self.low(i - 1) == "by"
            or after in _TEMPERATURE_DIFFERENCE_WORDS
            or (after == "of" and self.low(end + 1) in ("warming", "cooling"))
        )

    def duration_tail(self, core: _Core) -> None:
        """"an hour and a half", "two hours and 30 minutes"."""
        j = core.end
        if self.seq(j, ("and", "a", "half")) and core.lo == core.hi and core.lo == int(core.lo):
            core.lo = core.hi = core.lo + 0.5
            core.step = 0.5
            core.end = j + 3
            return
        k = j + 1 if self.low(j) in ("and", ",") else j
        if k < self.n and (k > j or self.toks[k].kind == "num"):
            nxt = self.number(k, False)
            if nxt is None or nxt.scale != 1.0:
                return
            found = self.unit(nxt.end, nxt)
            if found is None or found[0] is None:
                return
            unit2, end2 = found
            if unit2.scale != core.unit.scale or unit2.factor >= core.unit.factor or core.is_range:
                return
            if unit2.dimension is not Dimension.duration:
                return
            add = nxt.value * unit2.factor / core.unit.factor
            core.lo += add
            core.hi += add
            core.step = min(core.step, nxt.step * unit2.factor / core.unit.factor)
            core.rounded = False
            core.end = end2

    def unit_range(self, core: _Core, between: bool) -> None:
        """"5% to 10%", "between 5% and 7%": a range with the unit written twice."""
        j = core.end
        connector = self.low(j)
        if connector not in ("-", "–", "—", "to") and not (between and connector == "and"):
            return
        num2 = self.number(j + 1, False)
        if num2 is None:
            return
        found = self.unit(num2.end, num2)
        if found is None or found[0] != core.unit or num2.value <= core.hi:
            return
        core.hi = num2.value
        core.step = min(core.step, num2.step)
        core.rounded = False
        core.is_range = True
        core.end = found[1]

    def after_unit(self, core: _Core) -> None:
        if core.post_hedge is None:
            post = self.post_hedge(core.end)
            if post is not None:
                core.post_hedge, core.end = post

    def post_hedge(self, j: int) -> tuple[str, int] | None:
        if self.low(j) not in _POST_HEDGE_FIRST:
            return None
        for words, hedge in _POST_HEDGES:
            if self.seq(j, words):
                if words[0] == "-" and not self.hyphen_at(j):
                    continue
                if words == ("+",) and not self.glued(j):
                    continue
                if words[0] == "or" and j + 2 < self.n and self.toks[j + 2].kind == "num":
                    continue
                if words == ("or", "more") and self.low(j + 2) == "than":
                    continue
                return hedge, j + len(words)
        return None

    # ----------------------------------------------------------------- counted nouns

    def after_a_toll(self, i: int) -> bool:
        """"the death toll rose to six", "the toll stood at twelve": a toll's figure needs no noun."""
        return self.low(i - 1) in ("to", "at") and bool(_TOLL_BEFORE.search(self.text, 0, self.toks[i].start))

    def part_of_counted_whole(self, j: int) -> bool:
        """"seven of the nine members": the part's noun is the whole's, given later."""
        if self.low(j) != "of":
            return False
        k = j + 1
        if self.low(k) in ("the", "its", "their", "his", "her", "our", "all"):
            k += 1
        return k < self.n and (self.toks[k].kind == "num" or self.low(k) in NUMBER_WORDS)

    def counted_with_of(self, j: int, plural: bool) -> tuple[str, int] | None:
        if self.low(j) == "of":
            k = j + 1
            if self.low(k) in ("them", "us", "those", "these", "whom", "which", "it", "you"):
                return None
            if self.low(k) in ("the", "these", "those", "his", "her", "its", "their", "our", "my", "your", "this",
                               "that", "all"):
                k += 1
                if self.low(k) == "the":
                    k += 1
            return self.counted(k, plural)
        return self.counted(j, plural)

    def counted(self, j: int, plural: bool) -> tuple[str, int] | None:
        run: list[int] = []
        k = j
        while k < self.n and len(run) < 5:
            tok = self.toks[k]
            if tok.kind != "word":
                if tok.text in "-‐‑" and run and self.hyphen_at(k) and self.toks[k + 1].kind == "word":
                    k += 1
                    continue
                break
            low = tok.low
            if len(tok.text) == 1 and tok.text.isupper() and self.low(k + 1) == ".":
                k += 2  # "U.S. composers", "U.N. troops"
                continue
            caps = len(tok.text) > 1 and tok.text.isupper()
            if not caps and (low in _STOP or low in NUMBER_WORDS):
                break
            if low in SCALES or low in VAGUE_PLURALS:
                break
            if low.endswith("ly") and low not in _LY_NOUNS and len(low) > 4:
                break
            run.append(k)
            k += 1
        if not run:
            return None
        if self.low(run[-1] + 1) in ("'", "’"):
            run.pop()  # a possessive is not the counted thing: "two of the Owens' records"
            if not run:
                return None
        if plural:
            fallback = None
            for idx in run:
                tok = self.toks[idx]
                if tok.low in _SKIP:
                    continue
                if _looks_plural(tok.text):
                    return normalize_counted(tok.text), idx + 1
                if tok.low in _INVARIANT_NOUNS and fallback is None:
                    fallback = idx  # "police" counts unless a plural follows: "seven police officers"
            if fallback is not None:
                return normalize_counted(self.toks[fallback].text), fallback + 1
            if self.toks[run[0]].low in _CASUALTY_WORDS:
                return "person", run[0] + 1  # "left 45 dead and 300 injured"
            return None
        head = None
        for pos, idx in enumerate(run):
            low = self.toks[idx].low
            if pos > 0 and head is not None and (low.endswith("ed") or low.endswith("ing") or low in _STOP):
                break
            if low in _SKIP:
                continue
            head = idx
        if head is None:
            return None
        low = self.toks[head].low
        if len(low) > 3 and low.endswith("ed") and not low.endswith("eed"):
            return None  # "one used", "one injured": a participle, not the counted thing
        return normalize_counted(self.toks[head].text), head + 1

    # ----------------------------------------------------------------- build

    def build(self, core: _Core, hedge: str | None, wide: bool, start: int, end: int) -> Quantity:
        exact = hedge == "exactly"
        if exact:
            hedge = None
        if hedge is None and core.post_hedge is not None:
            hedge = core.post_hedge
        if core.is_range and hedge is None:
            hedge = "between"
        unit = core.unit
        factor = unit.factor
        if core.vague is not None:
            low, high = core.lo, core.hi
            low_open, high_open = False, True
            hedge_label: str | None = core.vague
        elif core.fraction and hedge in (None, "between"):
            low, high = core.lo * 0.9, core.hi * 1.1
            low_open = high_open = False
            hedge_label = hedge
        else:
            low, high, low_open, high_open = _interval(core.lo, core.hi, core.step, hedge, core.rounded and not exact,
                                                       wide)
            hedge_label = hedge
        approximate = bool(hedge_label) or (core.rounded and not exact) or core.fraction or core.vague is not None
        if hedge_label == "between" and not core.is_range:
            hedge_label = None
        scale = unit.scale
        if core.change and scale != "points":  # percentage points are a change already
            scale = "change" if unit.dimension is Dimension.percent and scale == "share" else f"{scale} change"
        if core.rate:
            scale = f"{scale} per {core.rate}"
        if unit is PERCENT and core.hi <= 100 and not core.change:
            # a share of a whole cannot pass 100 % (growth of 400 % is another matter)
            low, high = max(low, 0.0), min(high, 100.0)
        canonical_unit = unit.canonical
        offset = 0.0 if core.change else unit.offset
        return Quantity(
            text=self.text[start:end],
            start=start,
            end=end,
            value=core.lo * factor + offset,
            interval=Interval(
                low=low * factor + offset, high=high * factor + offset, low_open=low_open, high_open=high_open
            ),
            dimension=unit.dimension,
            unit=canonical_unit,
            scale=scale,
            counted=core.counted if unit.dimension is Dimension.count else None,
            hedge=hedge_label,
            approximate=approximate,
            system=unit.system,
            rounding=_cap_step(core.step, core.lo) * factor / 2,
        )


# Singular nouns that end like plurals: "86 measles cases" counts cases.
_SINGULAR_IN_S = frozenset("measles mumps rabies diabetes herpes scabies news".split())


def _looks_plural(word: str) -> bool:
    low = word.lower()
    if low in _SINGULAR_IN_S:
        return False
    if low in _IRREGULAR_SINGULAR:
        return _IRREGULAR_SINGULAR[low] != low
    if len(word) > 1 and word.isupper():
        return False
    if _men_plural(low):
        return True
    if len(low) < 3 or not low.endswith("s") or low in _NON_PLURAL_S:
        return False
    if low.endswith(("ss", "us", "is", "ous", "'s", "’s")):
        return False
    return True


def _men_plural(low: str) -> bool:
    """"gunmen", "policemen", "firemen" (but not "specimen", "abdomen")."""
    return len(low) > 4 and low.endswith("men") and low not in _MEN_SINGULARS


def normalize_counted(word: str) -> str:
    """Lemma of a counted noun, with plurals singularised and obvious synonyms merged."""
    text = word.strip()
    if len(text) > 2 and text[:-1].isupper() and text[-1] == "s":
        return text[:-1].lower()  # NGOs -> ngo
    low = text.lower()
    if low in _IRREGULAR_SINGULAR:
        low = _IRREGULAR_SINGULAR[low]
    elif _men_plural(low):
        low = low[:-3] + "man"
    elif _looks_plural(low):
        if low.endswith("ies") and len(low) > 4:
            low = low[:-3] + "y"
        elif low.endswith(("ches", "shes", "sses", "xes", "zzes")):
            low = low[:-2]
        else:
            low = low[:-1]
    return _SYNONYMS.get(low, low)


def _cap_step(step: float, value: float) -> float:
    limit = 0.1 * abs(value)
    while step > limit and step > 1e-9:
        step /= 10
    return step


def _interval(
    lo: float, hi: float, step: float, hedge: str | None, rounded: bool, wide: bool
) -> tuple[float, float, bool, bool]:
    """The interval a hedged number allows, in the stated unit: (low, high, low_open, high_open)."""
    if hedge is None:
        if lo != hi:
            return lo, hi, False, False
        if rounded:
            half = _cap_step(step, lo) / 2
            return lo - half, lo + half, False, False
        return lo, lo, False, False
    if hedge == "between":
        return lo, hi, False, False
    if hedge == "about":
        return lo - max(step / 2, 0.1 * abs(lo)), hi + max(step / 2, 0.1 * abs(hi)), False, False
    if hedge == "more than":
        return lo, lo + (max(step, abs(lo)) if wide else max(step, 0.2 * abs(lo))), True, False
    if hedge == "at least":
        # A floor, not an estimate: "at least 12 dead" is how a toll still being counted is
        # reported, and a later "15 dead" does not contradict it.
        return lo, math.inf, False, False
    if hedge == "nearly":
        # capped at 20 %: "nearly 1,000" is not "anything from 0 to 1,000"
        return hi - min(max(step, 0.1 * abs(hi)), 0.2 * abs(hi)), hi, False, True
    if hedge == "less than":
        return hi / 2, hi, False, True
    if hedge == "up to":
        return 0.0, hi, False, False
    return lo, hi, False, False


# --------------------------------------------------------------------------- API


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity mention in one sentence, sorted by start offset."""
    if not text or not (_DIGIT_RE.search(text) or _TRIGGER_RE.search(text)):
        return []
    toks = _tokenize(text)
    if not toks:
        return []
    found = _Scanner(text, toks).scan()
    found.sort(key=lambda q: (q.start, q.end))
    found = [q.model_copy(update={"increment": True}) if _is_increment(text, q) else q for q in found]
    found = _continuations(text, _tolls(text, _currency_conversions(text, _parts_of_totals(text, found))))
    found = _unit_conversions(text, found)
    return _with_minutes_of_play(text, _with_magnitudes(text, found))


def _with_minutes_of_play(text: str, found: list[Quantity]) -> list[Quantity]:
    """"In the 88th minute", "an 88th-minute winner": the minute of a match, from the 87th to the
    88th minute played. Ordinals are otherwise no quantities."""
    minutes = []
    for match in _MINUTE_OF_PLAY.finditer(text):
        minute = int(match["minute"])
        minutes.append(
            Quantity(
                text=match.group(0),
                start=match.start(),
                end=match.end(),
                value=minute / 60,
                interval=Interval(low=(minute - 1) / 60, high=minute / 60),
                dimension=Dimension.duration,
                unit="hour",
                scale=MINUTE_OF_PLAY,
            )
        )
    return sorted([*found, *minutes], key=lambda q: (q.start, q.end)) if minutes else found


def _with_magnitudes(text: str, found: list[Quantity]) -> list[Quantity]:
    """Earthquake magnitudes ("a magnitude 6.4 earthquake", "a 6.2-magnitude quake", "5.8 on the
    Richter scale"), read as written to their last digit, in place of the bare numbers inside."""
    magnitudes = []
    for match in _MAGNITUDE.finditer(text):
        written = next(group for group in match.groups() if group)
        decimals = len(written.partition(".")[2])
        value, rounding = float(written), 0.5 * 10**-decimals
        magnitudes.append(
            Quantity(
                text=match.group(0),
                start=match.start(),
                end=match.end(),
                value=value,
                interval=Interval(low=value, high=value),
                dimension=Dimension.magnitude,
                unit=MAGNITUDE.canonical,
                scale=MAGNITUDE.scale,
                rounding=rounding,
            )
        )
    if not magnitudes:
        return found
    kept = [q for q in found if not any(q.start < m.end and m.start < q.end for m in magnitudes)]
    return sorted([*kept, *magnitudes], key=lambda q: (q.start, q.end))


def _currency_conversions(text: str, found: list[Quantity]) -> list[Quantity]:
    """"4.6 billion euros ($5 billion)": the bracketed figure converts the first at a rate the
    article does not give, so it is only as exact as that rate."""
    result = list(found)
    for index, (original, conversion) in enumerate(zip(found, found[1:])):
        if (
            original.dimension is Dimension.money
            and conversion.dimension is Dimension.money
            and original.unit != conversion.unit
            and _in_brackets_after(text, original, conversion)
        ):
            result[index + 1] = conversion.model_copy(update={"converted": True})
    return result


def _unit_conversions(text: str, found: list[Quantity]) -> list[Quantity]:
    """"44.5C (112.1F)", "12 miles (19 km)": the bracketed figure restates the first in the other
    system, and is not a second fact."""
    return [
        quantity
        for index, quantity in enumerate(found)
        if not (
            index > 0
            and quantity.system
            and found[index - 1].dimension is quantity.dimension
            and found[index - 1].system not in ("", quantity.system)
            and _in_brackets_after(text, found[index - 1], quantity)
        )
    ]


def _in_brackets_after(text: str, original: Quantity, conversion: Quantity) -> bool:
    """"4.6 billion euros ($5 billion)": the second figure alone in brackets right after the first."""
    return bool(_OPENING_BRACKET.fullmatch(text, original.end, conversion.start)) and (
        text[conversion.end : conversion.end + 1] == ")"
    )


def _tolls(text: str, found: list[Quantity]) -> list[Quantity]:
    """"The death toll has risen to 112", "a crowd of 43,500": a toll or a crowd counts people."""
    return [
        q.model_copy(update={"counted": "person"})
        if q.dimension is Dimension.count
        and q.counted is None
        and not q.whole
        and (_TOLL_BEFORE.search(text, 0, q.start) or _CROWD_BEFORE.search(text, 0, q.start))
        else q
        for q in found
    ]


def _parts_of_totals(text: str, found: list[Quantity]) -> list[Quantity]:
    """"won 23 of the council's 40 seats": 23 counts seats, and 40 is the whole they are taken
    from, a fact of another kind (the council's size) than the part."""
    result = list(found)
    for index, (part, whole) in enumerate(zip(found, found[1:])):
        if (
            part.dimension is Dimension.count
            and whole.dimension is Dimension.count
            and part.counted is None
            and whole.counted
            and _OF_THE.fullmatch(text, part.end, whole.start)
        ):
            result[index] = part.model_copy(update={"counted": whole.counted})
            result[index + 1] = whole.model_copy(update={"whole": True})
    return result


def _continuations(text: str, found: list[Quantity]) -> list[Quantity]:
    """An addition that leaves its noun or verb unsaid is of the kind of the sentence's previous
    figure: "30 people on Saturday and 12 more on Sunday" counts people, and "fell 5% on Monday
    and another 3% on Tuesday" is a second fall, not a share. So is a bare figure that is the
    subject of a later clause: "300 people were injured and 4,000 were left homeless"."""
    previous: dict[Dimension, Quantity] = {}
    result = []
    for q in found:
        before = previous.get(q.dimension)
        if before is not None and before.counted and q.counted is None and _MORE_AFTER.match(text, q.end):
            q = q.model_copy(update={"counted": before.counted, "increment": True})
        elif before is not None and before.counted and q.counted is None and _VERB_AFTER.match(text, q.end):
            # "300 people were injured and about 4,000 were left homeless": 4,000 people.
            q = q.model_copy(update={"counted": before.counted})
        elif before is not None and q.increment and before.scale == "change" and q.scale == "share":
            q = q.model_copy(update={"scale": "change"})
        previous[q.dimension] = q
        result.append(q)
    return result


# "may need another $215 billion", "six more countries": an amount on top of an earlier one, not the total.
_INCREMENT_BEFORE = re.compile(r"\b(?:another|(?:an? )?additional|(?:a )?further|(?:an )?extra)\s+$", re.IGNORECASE)
_NUMBER_MORE = re.compile(r"^\S+(?: \S+)? more\b", re.IGNORECASE)
# Adjectives that count people on their own in news copy: "45 dead", "300 injured".
_CASUALTY_WORDS = frozenset("dead injured wounded missing hurt".split())
# "the death toll rose to ", "the toll stood at ": a toll, then a few words, then the figure.
_TOLL_BEFORE = re.compile(r"\btoll\b(?:\s+[\w'’]+){0,10}\s+$", re.IGNORECASE)
_OPENING_BRACKET = re.compile(r"\s*\(\s*")
MINUTE_OF_PLAY = "minute of play"
_MINUTE_OF_PLAY = re.compile(r"\b(?P<minute>\d{1,3})(?:st|nd|rd|th)[- ]minute\b", re.IGNORECASE)
_MAGNITUDE = re.compile(
    r"(?<!order of )\bmagnitude[- ](\d(?:\.\d{1,2})?)(?!\d|\.\d)|\b(\d(?:\.\d{1,2})?)[- ]magnitude\b"
    r"|\b(\d(?:\.\d{1,2})?) on the Richter scale\b",
    re.IGNORECASE,
)
_CROWD_BEFORE = re.compile(r"\b(?:crowd|attendance|audience|gathering)\s+of\s+$", re.IGNORECASE)
# Between a part and its whole: " of the council's ", " of its ", " of ".
_OF_THE = re.compile(
    r"\s+of\s+(?:(?:the|its|their|his|her|our|all)\s+|[\w.'’-]+(?:'s|’s|')\s+){0,3}", re.IGNORECASE
)
# "12 more on Sunday", not "12 more than on Friday".
_MORE_AFTER = re.compile(r"\s+more\b(?!\s+than)")
# A bare figure as the subject of its clause: "and 4,000 were left homeless".
_VERB_AFTER = re.compile(r"\s+(?:have|has|had|were|was|are|remain|remained|died|fled)\b")


def _is_increment(text: str, q: Quantity) -> bool:
    if _INCREMENT_BEFORE.search(text[: q.start]):
        return True
    return q.hedge is None and bool(_NUMBER_MORE.match(q.text))  # not "no more than 5", "6 or more"


_VAGUE_FIRST_WORDS = frozenset({*VAGUE_PLURALS, *VAGUE_MULTIPLIERS, "several", "a"})


def plural_noun(noun: str) -> str:
    """The plural of a counted noun as ``normalize_counted`` gives it ("fisherman" → "fishermen")."""
    if noun in _PLURAL_OF:
        return _PLURAL_OF[noun]
    if noun.endswith("man") and noun not in {"german", "roman", "human"}:
        return noun[:-3] + "men"
    if noun in _INVARIANT_NOUNS or noun in _NON_PLURAL_S and noun.endswith("s"):
        return noun
    if noun.endswith("y") and len(noun) > 1 and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def _money_words(value: float) -> str:
    for limit, name in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= limit:
            scaled = value / limit
            text = f"{scaled:,.3f}".rstrip("0").rstrip(".") if scaled < 1000 else format_number(scaled)
            return f"{text} {name}"
    return format_number(value)


def _format_value(q: Quantity, value: float) -> str:
    dim = q.dimension
    if q.scale == MINUTE_OF_PLAY:
        return f"{_ordinal(round(value * 60))} minute"
    if dim is Dimension.money:
        symbol = CURRENCY_SYMBOL_FOR_CODE.get(q.unit)
        amount = _money_words(value)
        if symbol:
            return f"{symbol}{amount}"
        return f"{amount} {q.unit}"
    if dim is Dimension.percent:
        return f"{format_number(value)}{' percentage points' if q.scale.startswith('points') else '%'}"
    number = _money_words(value)
    if dim is Dimension.duration:
        if q.unit == "hour" and 0 < value < 1:
            minutes = value * 60
            if minutes >= 1:
                return _with_unit(format_number(minutes), minutes, "minute")
            return _with_unit(format_number(minutes * 60), minutes * 60, "second")
        if q.unit == "year" and 0 < value < 1:
            months = value * 12
            return _with_unit(format_number(months), months, "month")
        return _with_unit(number, value, q.unit)
    if dim is Dimension.age:
        if 0 < value < 1:
            months = value * 12
            return f"{format_number(months)} {'month' if months == 1 else 'months'} old"
        return f"{number} {'year' if value == 1 else 'years'} old"
    if dim is Dimension.length:
        if q.system == "imperial":
            # In the units the figure was written in: "10 inches", not "0.25 m".
            for singular, plural, factor, smallest in IMPERIAL_LENGTHS:
                if value >= smallest * factor * (1 - 1e-9):
                    shown = format_number(value / factor)
                    return f"{shown} {singular if shown == '1' else plural}"
        if 0 < value < 1:
            return f"{format_number(value * 1000)} m"
        return f"{number} km"
    if dim is Dimension.magnitude:
        return f"magnitude {format_number(value)}"
    if dim is Dimension.speed:
        # In the system the figure was written in: "110 mph", not "177 km/h".
        name, unit = {"imperial": ("mph", "mph"), "nautical": ("knots", "knots")}.get(q.system, ("km/h", "kph"))
        return f"{format_number(value / SPEED_UNITS[unit].factor)} {name}"
    if dim is Dimension.volume:
        # In the unit the figure was written in: "2,000 barrels", "84,000 gallons", "300 litres".
        singular, plural, factor = VOLUME_DISPLAY.get(q.system, ("litre", "litres", 1.0))
        shown = value / factor
        return f"{_money_words(shown)} {singular if shown == 1 else plural}"
    if dim is Dimension.temperature:
        # In the scale the figure was written in: "112°F", not "44.44°C".
        if q.system == "imperial":
            return f"{format_number(value * 9 / 5 + (0 if q.scale.endswith('change') else 32))}°F"
        return f"{format_number(value)}°C"
    if dim is Dimension.mass:
        if value >= 1000:
            tonnes = value / 1000
            return _with_unit(format_number(tonnes), tonnes, "tonne")
        return f"{number} kg"
    if q.counted:
        return f"{number} {q.counted if value == 1 else plural_noun(q.counted)}"
    return number


# The unit a volume is shown in, by the system it was written in, and its size in litres.
VOLUME_DISPLAY = {
    "imperial": ("gallon", "gallons", VOLUME_UNITS["gallon"].factor),
    "barrels": ("barrel", "barrels", VOLUME_UNITS["barrel"].factor),
    "cubic metres": ("cubic metre", "cubic metres", CUBIC["metres"]),
    "cubic feet": ("cubic foot", "cubic feet", CUBIC["feet"]),
}

# Imperial lengths to show a figure in, largest first: their size in kilometres, and the fewest
# of them shown (a foot of rain is "12 inches", as forecasts say).
IMPERIAL_LENGTHS = (
    ("mile", "miles", 1.609344, 1),
    ("foot", "feet", 0.0003048, 3),
    ("inch", "inches", 0.0000254, 0),
)


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _with_unit(number: str, value: float, unit: str) -> str:
    return f"{number} {unit if value == 1 else unit + 's'}"


def format_quantity(q: Quantity) -> str:
    """Short normalised wording: "9 hours", "more than 6 hours", "about 2,500 people", "$150 billion"."""
    hedge = q.hedge
    if hedge and hedge.split()[0] in _VAGUE_FIRST_WORDS:
        # vague plurals: "dozens of people", "several hundred people", "tens of thousands of dollars"
        if q.dimension is Dimension.money:
            thing = CURRENCY_NAME_FOR_CODE.get(q.unit, q.unit)
        elif q.dimension is Dimension.count:
            thing = plural_noun(q.counted) if q.counted else ""
        else:
            thing = f"{q.unit}s"
        if not thing:
            return hedge
        joiner = " " if hedge.startswith(("several", "a few")) else " of "
        return f"{hedge}{joiner}{thing}"
    if hedge == "between":
        low, high = q.interval.low, q.interval.high
        if q.dimension in (Dimension.money, Dimension.percent, Dimension.temperature):
            return f"between {_format_value(q, low)} and {_format_value(q, high)}"
        return f"between {format_number(low)} and {_format_value(q, high)}"
    body = _format_value(q, q.value)
    if " per " in q.scale:
        body = f"{body} per {q.scale.rsplit(' per ', 1)[1]}"
    return f"{hedge} {body}" if hedge else body


def _same_counted(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return normalize_counted(a) == normalize_counted(b)


def quantities_comparable(a: Quantity, b: Quantity) -> bool:
    """Same dimension and scale family; counts of the same thing; money in the same currency."""
    if a.dimension is not b.dimension or a.scale != b.scale or a.whole != b.whole:
        return False
    if a.dimension is Dimension.count:
        return _same_counted(a.counted, b.counted)
    if a.dimension is Dimension.money:
        return a.unit == b.unit
    return a.unit == b.unit


def values_agree(a: Quantity, b: Quantity) -> bool:
    """Whether the two wordings can describe the same value.

    Meaningful for comparable quantities (check ``quantities_comparable`` first); two quantities
    that cannot be compared are reported as agreeing, since no conflict can be claimed.
    """
    if not quantities_comparable(a, b):
        return True
    if a.hedge == b.hedge == "up to":
        return _same_maximum(a, b)
    return (
        a.interval.overlaps(b.interval)
        or _bounds_one_way(a, b)
        or _rounded_from(a, b)
        or _rounded_from(b, a)
        or _rounded_to_bound(a, b)
        or _rounded_to_bound(b, a)
        or _converted(a, b)
        or _converted(b, a)
    )


def _converted(original: Quantity, conversion: Quantity) -> bool:
    """"2 miles" and "3.2 km": a figure converted from the other system is rounded to its own last
    digit, so it agrees when the original's value rounds to it. Within one system ("90 minutes",
    "two hours") a figure is not a conversion and keeps its exact meaning."""
    if not (original.system and conversion.system) or original.system == conversion.system:
        return False
    widened = conversion.interval.model_copy(
        update={"low": conversion.interval.low - conversion.rounding, "high": conversion.interval.high + conversion.rounding}
    )
    return widened.overlaps(Interval(low=original.value, high=original.value))


def _rounded_from(precise: Quantity, coarse: Quantity) -> bool:
    """"41 percent" and "40.6 percent", "$7.2 billion" and "$7.15 billion": a figure written to
    fewer digits is the other rounded (half up) to its last digit, not another value."""
    if precise.hedge is not None or coarse.hedge is not None or not precise.rounding < coarse.rounding:
        return False
    step = 2 * coarse.rounding
    return math.isclose(math.floor(precise.value / step + 0.5 + 1e-9) * step, coarse.value, rel_tol=1e-9)


def _same_maximum(a: Quantity, b: Quantity) -> bool:
    """"Up to 30 hours" and "up to 26 hours" each state the maximum, and differ; "up to 15,000
    jobs" and "as many as 15,000" agree, as does a maximum rounded to fewer digits."""
    tolerance = max(a.rounding, b.rounding)
    return abs(a.interval.high - b.interval.high) <= tolerance * (1 + 1e-9)


def _bounds_one_way(a: Quantity, b: Quantity) -> bool:
    """"More than 410 injured" and "more than 700 injured" are both true of 750: "more than" reads
    as just over a figure against a stated value, but two bounds the same way say only that much."""
    return a.hedge == b.hedge and a.hedge in {"more than", "less than"}


def _rounded_to_bound(plain: Quantity, hedged: Quantity) -> bool:
    """"Six hours" and "more than six hours", "two hours" and "nearly two hours": a plain figure at
    the open bound of the other's hedge is that value rounded, not another value. "Nine hours" and
    "more than six hours" stay apart: a reporter who knew it was nine would not say more than six."""
    if plain.hedge is not None or plain.approximate or hedged.text.split()[0].lower() in _WIDE_HEDGE_STARTS:
        return False  # "well over six hours" is not six hours rounded
    bound = hedged.interval
    return (bound.low_open and math.isclose(bound.low, plain.value)) or (
        bound.high_open and math.isclose(bound.high, plain.value)
    )
