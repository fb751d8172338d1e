"""Unit table: surface forms -> dimension, canonical unit, factor to it and scale family.

Scale families decide what may be compared: a "two-day visit" (calendar) and "nine hours of
talks" (sub-day) are different facts even though both are durations; money compares only
within one currency; percentage *points* (a change) never compare with percent levels.
"""

from __future__ import annotations

from typing import NamedTuple

from checker.models import Dimension


class Unit(NamedTuple):
    dimension: Dimension
    canonical: str
    factor: float  # multiply the stated number by this to get the canonical unit
    scale: str
    system: str = ""  # "metric" or "imperial" for lengths and masses: a figure converted between them is rounded
    offset: float = 0.0  # added after the factor: 0 °F is not 0 °C


_HOUR = Unit(Dimension.duration, "hour", 1.0, "sub-day")
_DAY = Unit(Dimension.duration, "day", 1.0, "calendar")
_YEAR = Unit(Dimension.duration, "year", 1.0, "long")

DURATION_UNITS: dict[str, Unit] = {}
for _names, _unit, _factor in (
    (("second", "seconds", "sec", "secs"), _HOUR, 1 / 3600),
    (("minute", "minutes", "min", "mins"), _HOUR, 1 / 60),
    (("hour", "hours", "hr", "hrs", "h"), _HOUR, 1.0),
    (("day", "days"), _DAY, 1.0),
    (("week", "weeks", "wk", "wks"), _DAY, 7.0),
    (("fortnight", "fortnights"), _DAY, 14.0),
    (("month", "months"), _YEAR, 1 / 12),
    (("year", "years", "yr", "yrs"), _YEAR, 1.0),
    (("decade", "decades"), _YEAR, 10.0),
    (("century", "centuries"), _YEAR, 100.0),
):
    for _name in _names:
        DURATION_UNITS[_name] = _unit._replace(factor=_factor)

_KM = Unit(Dimension.length, "km", 1.0, "length")
_KG = Unit(Dimension.mass, "kg", 1.0, "mass")
LENGTH_UNITS: dict[str, Unit] = {}
for _names, _factor, _system in (
    (("km", "kms", "kilometre", "kilometres", "kilometer", "kilometers"), 1.0, "metric"),
    (("mile", "miles", "mi"), 1.609344, "imperial"),
    (("metre", "metres", "meter", "meters", "m"), 0.001, "metric"),
    (("cm", "centimetre", "centimetres", "centimeter", "centimeters"), 1e-5, "metric"),
    (("mm", "millimetre", "millimetres", "millimeter", "millimeters"), 1e-6, "metric"),
    (("foot", "feet", "ft"), 0.0003048, "imperial"),
    (("yard", "yards", "yd", "yds"), 0.0009144, "imperial"),
    (("inch", "inches"), 0.0000254, "imperial"),
):
    for _name in _names:
        LENGTH_UNITS[_name] = _KM._replace(factor=_factor, system=_system)

MASS_UNITS: dict[str, Unit] = {}
for _names, _factor, _system in (
    (("kg", "kgs", "kilogram", "kilograms", "kilogramme", "kilogrammes", "kilo", "kilos"), 1.0, "metric"),
    (("g", "gram", "grams", "gramme", "grammes"), 0.001, "metric"),
    (("tonne", "tonnes", "ton", "tons"), 1000.0, "metric"),
    (("lb", "lbs", "pound", "pounds"), 0.45359237, "imperial"),
    (("ounce", "ounces", "oz"), 0.028349523125, "imperial"),
):
    for _name in _names:
        MASS_UNITS[_name] = _KG._replace(factor=_factor, system=_system)

_LITRE = Unit(Dimension.volume, "litre", 1.0, "volume")
VOLUME_UNITS: dict[str, Unit] = {}
for _names, _factor, _system in (
    (("litre", "litres", "liter", "liters"), 1.0, "metric"),
    (("millilitre", "millilitres", "milliliter", "milliliters", "ml"), 0.001, "metric"),
    (("gallon", "gallons"), 3.785411784, "imperial"),  # US gallons: the ones news copy converts
    # An oil barrel: 42 US gallons. Oil is counted in barrels, and converted to gallons or litres.
    (("barrel", "barrels", "bbl"), 158.987294928, "barrels"),
):
    for _name in _names:
        VOLUME_UNITS[_name] = _LITRE._replace(factor=_factor, system=_system)
#: "cubic metres", "cubic feet": a length unit after "cubic".
CUBIC = {"metre": 1000.0, "metres": 1000.0, "meter": 1000.0, "meters": 1000.0, "foot": 28.316846592,
         "feet": 28.316846592}

_KMH = Unit(Dimension.speed, "km/h", 1.0, "speed")
SPEED_UNITS: dict[str, Unit] = {}
for _names, _factor, _system in (
    (("mph",), 1.609344, "imperial"),
    (("kph", "kmh", "kmph"), 1.0, "metric"),
    (("knot", "knots", "kt", "kts"), 1.852, "nautical"),
):
    for _name in _names:
        SPEED_UNITS[_name] = _KMH._replace(factor=_factor, system=_system)
#: "km/h", "miles per hour", "kilometres an hour": a length unit over an hour.
SPEED_OF_LENGTH = {"km": "kph", "kms": "kph", "kilometre": "kph", "kilometres": "kph", "kilometer": "kph",
                   "kilometers": "kph", "mile": "mph", "miles": "mph", "mi": "mph"}

_CELSIUS = Unit(Dimension.temperature, "celsius", 1.0, "temperature", "metric")
_FAHRENHEIT = _CELSIUS._replace(factor=5 / 9, offset=-160 / 9, system="imperial")
#: Named after the number, after "degrees" or "°"; "c" and "f" only as capitals ("44.5C", "95 °F").
TEMPERATURE_UNITS = {"celsius": _CELSIUS, "centigrade": _CELSIUS, "c": _CELSIUS, "fahrenheit": _FAHRENHEIT, "f": _FAHRENHEIT}
#: Above this a bare "106 degrees" of weather can only be Fahrenheit.
HIGHEST_CELSIUS_WEATHER = 60

PERCENT = Unit(Dimension.percent, "percent", 1.0, "share")
POINTS = Unit(Dimension.percent, "percent", 1.0, "points")  # percentage points: a change, not a level
BASIS_POINTS = Unit(Dimension.percent, "percent", 0.01, "points")
AGE = Unit(Dimension.age, "year", 1.0, "age")
MAGNITUDE = Unit(Dimension.magnitude, "magnitude", 1.0, "magnitude")
COUNT = Unit(Dimension.count, "item", 1.0, "count")


def money(code: str, factor: float = 1.0) -> Unit:
    return Unit(Dimension.money, code, factor, code)


#: Symbols written before the number. Two-token prefixes ("US$", "HK$") are keyed by the letters.
CURRENCY_SYMBOLS = {
    "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₪": "ILS",
}
DOLLAR_PREFIXES = {
    "us": "USD", "u.s.": "USD", "a": "AUD", "au": "AUD", "c": "CAD", "ca": "CAD", "hk": "HKD", "nz": "NZD",
    "s": "SGD", "r": "BRL", "nt": "TWD", "mx": "MXN",
}
CURRENCY_CODES = {
    "usd": "USD", "eur": "EUR", "gbp": "GBP", "cny": "CNY", "rmb": "CNY", "jpy": "JPY", "inr": "INR", "krw": "KRW",
    "chf": "CHF", "cad": "CAD", "aud": "AUD", "hkd": "HKD", "rub": "RUB", "brl": "BRL", "mxn": "MXN", "sgd": "SGD",
    "nzd": "NZD", "twd": "TWD", "rs": "INR",
}
#: Currency names written after the number ("5 million yuan"). "pounds" is money only with a scale
#: word or "sterling" (otherwise it is weight), and a bare "dollars" is taken to be US dollars.
CURRENCY_WORDS: dict[str, Unit] = {
    "dollar": money("USD"), "dollars": money("USD"), "cent": money("USD", 0.01), "cents": money("USD", 0.01),
    "euro": money("EUR"), "euros": money("EUR"),
    "yuan": money("CNY"), "renminbi": money("CNY"),
    "yen": money("JPY"),
    "rupee": money("INR"), "rupees": money("INR"),
    "won": money("KRW"),
    "rouble": money("RUB"), "roubles": money("RUB"), "ruble": money("RUB"), "rubles": money("RUB"),
    "peso": money("MXN"), "pesos": money("MXN"),
    "pence": money("GBP", 0.01), "penny": money("GBP", 0.01),
    "franc": money("CHF"), "francs": money("CHF"),
    "krona": money("SEK"), "kronor": money("SEK"), "krone": money("NOK"), "kroner": money("NOK"),
    # "crowns" is the Swedish, Norwegian, Danish, Czech or Icelandic unit: one currency per story.
    "crown": money("crowns"), "crowns": money("crowns"),
    "rand": money("ZAR"), "lira": money("TRY"), "zloty": money("PLN"), "zlotys": money("PLN"),
    "forint": money("HUF"), "forints": money("HUF"), "baht": money("THB"), "ringgit": money("MYR"),
    "shekel": money("ILS"), "shekels": money("ILS"), "naira": money("NGN"), "dirham": money("AED"),
    "dirhams": money("AED"), "riyal": money("SAR"), "riyals": money("SAR"), "hryvnia": money("UAH"),
    "hryvnias": money("UAH"), "reais": money("BRL"), "koruna": money("CZK"),
}
STERLING = money("GBP")
#: "Canadian dollars", "Hong Kong dollars": words between the number and "dollars".
DOLLAR_QUALIFIERS = {
    ("us",): "USD", ("u.s.",): "USD", ("american",): "USD", ("canadian",): "CAD", ("australian",): "AUD",
    ("hong", "kong"): "HKD", ("singapore",): "SGD", ("taiwan",): "TWD", ("new", "zealand"): "NZD",
    ("taiwanese",): "TWD",
}
CURRENCY_SYMBOL_FOR_CODE = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
CURRENCY_NAME_FOR_CODE = {
    "USD": "dollars", "EUR": "euros", "GBP": "pounds", "CNY": "yuan", "JPY": "yen", "INR": "rupees",
    "KRW": "won", "RUB": "roubles", "CHF": "francs", "SEK": "kronor", "NOK": "kroner", "crowns": "crowns",
    "ZAR": "rand", "TRY": "lira", "PLN": "zlotys", "HUF": "forints", "THB": "baht", "MYR": "ringgit",
    "ILS": "shekels", "NGN": "naira", "AED": "dirhams", "SAR": "riyals", "UAH": "hryvnias", "BRL": "reais",
    "CZK": "koruna",
}

#: Rate units and degrees of no stated scale: a number followed by these is not a modelled quantity.
EXCLUDED_UNITS = frozenset({"fps", "rpm", "bpm", "°", "degrees", "degree"})

#: Units that may follow a number directly (single tokens, lower-cased).
SIMPLE_UNITS: dict[str, Unit] = {**DURATION_UNITS, **LENGTH_UNITS, **MASS_UNITS, **VOLUME_UNITS}
#: Units that "a"/"an" can quantify on their own ("an hour", "a week", "a mile"): singular names only.
#: "a second" is left out (it is nearly always the ordinal), so are abbreviations.
ARTICLE_UNITS = frozenset(
    {
        "minute", "hour", "day", "week", "fortnight", "month", "year", "decade", "century",
        "mile", "kilometre", "kilometer", "metre", "meter", "tonne", "ton", "kilogram", "kilo",
    }
)
