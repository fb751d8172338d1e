"""Find title, outlet, author, date and URL in what an article file gives.

Two sources: the header lines and dateline of a text or Markdown article
(:func:`extract_text_metadata`), and the ``<meta>`` tags of an HTML page
(:func:`extract_html_metadata`). The text side also reports which lines and
which dateline prefix it consumed, so ingest can leave them out of the
article text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict

from checker import boilerplate
from checker.models import DocumentMeta

# --------------------------------------------------------------------------- outlets

_AGENCIES = {
    "ap": "Associated Press",
    "the associated press": "Associated Press",
    "associated press": "Associated Press",
    "ap news": "Associated Press",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "reuters breakingviews": "Reuters",
    "bloomberg": "Bloomberg",
    "bloomberg news": "Bloomberg",
    "bloomberg.com": "Bloomberg",
    "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse",
    "agence france presse": "Agence France-Presse",
    "upi": "United Press International",
    "xinhua": "Xinhua",
    "cnn": "CNN",
    "bbc": "BBC",
    "bbc news": "BBC",
    "dpa": "dpa",
    "kyodo": "Kyodo News",
    "yonhap": "Yonhap",
    "pti": "Press Trust of India",
    "ani": "ANI",
    "efe": "EFE",
    "ansa": "ANSA",
    "tass": "TASS",
    "interfax": "Interfax",
    "anadolu": "Anadolu Agency",
    "cp": "The Canadian Press",
    "the canadian press": "The Canadian Press",
    "aap": "Australian Associated Press",
    "pa": "PA Media",
    "nyt": "The New York Times",
    "the new york times": "The New York Times",
    "new york times": "The New York Times",
    "wsj": "The Wall Street Journal",
    "the wall street journal": "The Wall Street Journal",
    "dow jones": "Dow Jones",
}

_NEWS_DOMAINS = {
    "reuters.com": "Reuters",
    "apnews.com": "Associated Press",
    "ap.org": "Associated Press",
    "bloomberg.com": "Bloomberg",
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "wsj.com": "The Wall Street Journal",
    "ft.com": "Financial Times",
    "theguardian.com": "The Guardian",
    "guardian.co.uk": "The Guardian",
    "bbc.com": "BBC",
    "bbc.co.uk": "BBC",
    "cnn.com": "CNN",
    "npr.org": "NPR",
    "foxnews.com": "Fox News",
    "nbcnews.com": "NBC News",
    "cbsnews.com": "CBS News",
    "abcnews.go.com": "ABC News",
    "aljazeera.com": "Al Jazeera",
    "afp.com": "Agence France-Presse",
    "usatoday.com": "USA Today",
    "politico.com": "Politico",
    "axios.com": "Axios",
    "economist.com": "The Economist",
    "latimes.com": "Los Angeles Times",
    "cnbc.com": "CNBC",
    "scmp.com": "South China Morning Post",
    "xinhuanet.com": "Xinhua",
    "news.cn": "Xinhua",
    "globaltimes.cn": "Global Times",
    "chinadaily.com.cn": "China Daily",
    "france24.com": "France 24",
    "dw.com": "Deutsche Welle",
    "theatlantic.com": "The Atlantic",
    "time.com": "Time",
    "newsweek.com": "Newsweek",
    "thehill.com": "The Hill",
    "voanews.com": "Voice of America",
    "independent.co.uk": "The Independent",
    "telegraph.co.uk": "The Telegraph",
    "japantimes.co.jp": "The Japan Times",
    "nikkei.com": "Nikkei",
    "news.yahoo.com": "Yahoo News",
}
# Second-level labels under which registrable names take three labels (bbc.co.uk, abc.net.au).
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or"})


def canonical_outlet(name: str) -> str:
    """The usual name of an outlet or news agency: ``AP`` → ``Associated Press``."""
    cleaned = " ".join(name.split())
    return _AGENCIES.get(cleaned.lower(), cleaned)


def outlet_from_url(url: str) -> str | None:
    """Outlet for a well-known news domain, else the registrable domain (``example-news.com``)."""
    address = url.strip()
    if "://" not in address:
        address = "//" + address
    try:
        host = urlsplit(address).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    labels = host.rstrip(".").split(".")
    for first in range(len(labels) - 1):
        known = _NEWS_DOMAINS.get(".".join(labels[first:]))
        if known:
            return known
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


# --------------------------------------------------------------------------- dates

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})(?!\d)"),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})\b", re.IGNORECASE),
)
_DATE_LINE_MAX_CHARS = 60
# Besides the date itself, a date line may hold a time, a weekday, a zone and a label.
_DATE_LINE_EXTRA = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?|[ap]\.?m\.?|[A-Z]{1,4}|[+-]\d{2}:?\d{2}"
    r"|(?i:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|(?i:updated|published|posted|on|at)|[\s,.:|()/–—-]+"
)


def parse_date(text: str) -> str | None:
    """The first calendar date in ``text`` as ``YYYY-MM-DD``; ``None`` when there is none."""
    found = _find_date(text)
    return found[0] if found else None


def _find_date(text: str) -> tuple[str, re.Match[str]] | None:
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            month = match["month"]
            number = int(month) if month.isdigit() else _MONTHS[month.lower()]
            try:
                return dt.date(int(match["year"]), number, int(match["day"])).isoformat(), match
            except ValueError:
                continue
    return None


def _date_line(text: str) -> str | None:
    """The date of a line that says nothing but a date (and maybe a time)."""
    found = _find_date(text) if len(text) <= _DATE_LINE_MAX_CHARS else None
    if found is None:
        return None
    date, match = found
    rest = text[: match.start()] + " " + text[match.end() :]
    return date if _DATE_LINE_EXTRA.sub("", rest) == "" else None


# --------------------------------------------------------------------------- datelines


class Dateline(BaseModel):
    """The ``NEW YORK (AP) —`` opening of a story: not article text, but metadata."""

    model_config = ConfigDict(frozen=True)

    length: int
    place: str | None = None
    outlet: str | None = None
    published: str | None = None


_DASH = r"(?:--?|—|–)"
_PLACE = r"[A-Z][A-Z.'’\-]+(?:\s[A-Z][A-Z.'’\-]+){0,3}"
_AGENCY_DATELINE = re.compile(
    rf"""\s*
    (?:(?i:date|dated|published)\s*:?\s*(?P<date>\d{{4}}-\d{{2}}-\d{{2}})(?:[ T]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?\s+)?
    (?:(?P<place>{_PLACE})(?:,\s*(?P<detail>[^()\n]{{1,40}}?))?\s*)?
    \((?P<agency>[A-Za-z][\w.&'’ -]{{0,40}})\)\s*{_DASH}\s*(?=\S)""",
    re.VERBOSE,
)
_PLACE_DATELINE = re.compile(
    rf"\s*(?P<place>{_PLACE})(?:,\s*(?P<detail>[A-Z][\w.]*(?:\s[A-Z][\w.]*){{0,2}}))?\s*(?:—|--|–)\s*(?=\S)"
)


def parse_dateline(line: str) -> Dateline | None:
    """Recognise ``NEW YORK (AP) —``, ``WASHINGTON, Oct 27 (Reuters) -``, ``date 2023-10-27 (Bloomberg) --``
    and ``KYIV, Ukraine —`` at the start of a line."""
    match = _AGENCY_DATELINE.match(line)
    if match:
        agency = match["agency"].strip()
        known = agency.lower() in _AGENCIES
        # Without a place in capitals or a stated date, a parenthesis only counts when it names a known agency.
        if known or match["place"] or match["date"]:
            stated = match["date"] or match["detail"]
            return Dateline(
                length=match.end(),
                place=match["place"],
                outlet=canonical_outlet(agency),
                published=parse_date(stated) if stated else None,
            )
    match = _PLACE_DATELINE.match(line)
    if match:
        return Dateline(length=match.end(), place=match["place"])
    return None


# --------------------------------------------------------------------------- text headers


class TextMetadata(BaseModel):
    """What the header lines and dateline of a text article say, and which characters they took."""

    model_config = ConfigDict(frozen=True)

    meta: DocumentMeta
    consumed_lines: frozenset[int] = frozenset()
    dateline_line: int | None = None
    dateline: Dateline | None = None


_HEADER_SCAN_LINES = 12
_TITLE_MAX_CHARS = 250
_NAME_MAX_WORDS = 6
_HEADING = re.compile(r"\s*#\s+(?P<value>.+?)\s*#*\s*")
_WRAPPED = re.compile(r"\s*(?P<mark>\*\*|__|\*|_)(?P<value>.+?)(?P=mark)\s*")
_LABELLED = re.compile(
    r"\s*(?P<label>title|headline|by|authors?|written by|byline|date|dated|published(?: on)?|posted(?: on)?"
    r"|first published|updated|last updated|url|link|canonical|source|outlet|publisher)\b"
    r"\s*(?P<colon>:?)\s*(?P<value>.+)",
    re.IGNORECASE,
)
_URL = re.compile(r"<?(?P<url>https?://[^\s<>]+?)>?")
_PERSON = re.compile(
    r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|and|de|da|van|von|bin|al|la|le)|,\s+[A-Z][\w'’.-]*)*"
)
_TITLE_END = re.compile(r"[.,;:][\"'”’)\]]*\s*$")


def _person(text: str) -> str | None:
    name = text.strip()
    if name.lower().startswith("by "):
        name = name[3:].strip()
    if len(name.split()) > _NAME_MAX_WORDS or not _PERSON.fullmatch(name):
        return None
    return name


def _header_field(line: str) -> tuple[str, str] | None:
    """``(field, value)`` when a header line states one piece of metadata."""
    heading = _HEADING.fullmatch(line)
    if heading:
        return "title", boilerplate.strip_markdown(heading["value"]).strip()
    wrapped = _WRAPPED.fullmatch(line)
    text = (wrapped["value"] if wrapped else line).strip()
    url = _URL.fullmatch(text)
    if url:
        return "url", url["url"]
    date = _date_line(text)
    if date:
        return "published", date
    labelled = _LABELLED.fullmatch(text)
    if labelled:
        label, value = labelled["label"].lower(), labelled["value"].strip()
        if label in {"title", "headline"}:
            return "title", value
        if label in {"by", "author", "authors", "written by", "byline"}:
            person = _person(value)
            return ("author", person) if person else None
        if label in {"url", "link", "canonical"} or (label == "source" and _URL.fullmatch(value)):
            url = _URL.fullmatch(value)
            return ("url", url["url"]) if url else None
        if label in {"source", "outlet", "publisher"}:
            named = labelled["colon"] and len(value.split()) <= _NAME_MAX_WORDS
            return ("outlet", canonical_outlet(value)) if named else None
        date = _date_line(value)
        return ("published", date) if date else None
    if wrapped:
        person = _person(text)
        return ("author", person) if person else None
    return None


_SEPARATOR = re.compile(r"\s+[—–|·•]\s+")
# Words that make a bare name in a header an outlet's, not a writer's: "**Marrow Daily** — 2026-07-15".
_OUTLET_WORDS = frozenset(
    "daily post times news gazette tribune herald journal ledger wire chronicle courier press observer mail "
    "telegraph standard review monitor record sun star express guardian independent register bulletin "
    "dispatch examiner inquirer reporter sentinel agency network radio tv television broadcasting weekly "
    "magazine digest globe mirror insider today online media".split()
)


def _header_fields(line: str) -> list[tuple[str, str]]:
    """The metadata a header line states: one field, or several in parts ("**Marrow Daily** —
    2026-07-15", "By Lena Ortu | July 15, 2026"), each of which must state one."""
    field = _header_field(line)
    if field is not None:
        return [field]
    parts = _SEPARATOR.split(boilerplate.strip_markdown(line).strip())
    if len(parts) < 2:
        return []
    fields = [_header_field(part) or _named(part) for part in parts]
    stated = [field for field in fields if field is not None]
    if len(stated) < len(fields) or not any(name == "published" for name, _ in stated):
        return []
    return stated


def _named(part: str) -> tuple[str, str] | None:
    """A bare name beside a date: an outlet's when it sounds like one, else its writer's."""
    if set(part.lower().split()) & _OUTLET_WORDS and len(part.split()) <= _NAME_MAX_WORDS:
        return "outlet", canonical_outlet(part)
    person = _person(part)
    return ("author", person) if person else None


def _is_title_line(line: str) -> bool:
    text = boilerplate.strip_markdown(line).strip()
    return len(text) <= _TITLE_MAX_CHARS and len(text.split()) >= 2 and not _TITLE_END.search(text)


def extract_text_metadata(lines: Sequence[str]) -> TextMetadata:
    """Read the header of a text or Markdown article.

    The header is the run of lines before the first body line: a ``# title``
    or a first line without final punctuation, bold or labelled byline, date
    and URL lines. Furniture in between (breadcrumbs, ``View``, images,
    captions) is stepped over and left to :mod:`checker.boilerplate`. The first
    body line may open with a dateline, which gives the outlet and the date.
    """
    fields: dict[str, str] = {}
    consumed: set[int] = set()
    dateline_line: int | None = None
    dateline: Dateline | None = None
    scanned = 0
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        scanned += 1
        if scanned > _HEADER_SCAN_LINES:
            break
        stated = _header_fields(line)
        if stated:
            for field in stated:
                fields.setdefault(*field)
            consumed.add(index)
            continue
        if boilerplate.is_furniture(line):
            continue
        if "title" not in fields and _is_title_line(line) and any(rest.strip() for rest in lines[index + 1 :]):
            fields["title"] = boilerplate.strip_markdown(line).strip()
            consumed.add(index)
            continue
        dateline = parse_dateline(line)
        dateline_line = index if dateline else None
        break
    url = fields.get("url")
    from_header = DocumentMeta(
        title=fields.get("title"),
        outlet=fields.get("outlet"),
        author=fields.get("author"),
        published=fields.get("published"),
        url=url,
    )
    from_dateline = DocumentMeta(outlet=dateline.outlet, published=dateline.published) if dateline else DocumentMeta()
    from_url = DocumentMeta(outlet=outlet_from_url(url) if url else None)
    return TextMetadata(
        meta=merge_meta(from_header, from_dateline, from_url),
        consumed_lines=frozenset(consumed),
        dateline_line=dateline_line,
        dateline=dateline,
    )


# --------------------------------------------------------------------------- HTML

_META_TITLE = ("og:title", "twitter:title", "title", "headline", "dc.title")
_META_OUTLET = ("og:site_name", "application-name", "publisher", "dc.publisher")
_META_AUTHOR = ("author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator")
_META_PUBLISHED = (
    "article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publishdate",
    "publish-date", "parsely-pub-date", "sailthru.date", "dc.date", "dc.date.issued", "dcterms.created",
)
_META_URL = ("og:url", "twitter:url")
# Only dates the page declares; htmldate's extensive search guesses from body text.
_DATE_CONFIG = {"extensive_search": False, "original_date": True}


def extract_html_metadata(html: str) -> DocumentMeta:
    """Metadata from ``<meta>``/``<link>`` tags, with trafilatura's extraction (JSON-LD, bylines) as fallback."""
    # Imported here: a quarter of a second that runs without HTML need not pay.
    import lxml.html
    import trafilatura.metadata
    import trafilatura.settings
    from lxml import etree

    try:
        tree = lxml.html.fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (etree.ParserError, ValueError):
        return DocumentMeta()
    tags: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        value = (element.get("content") or "").strip()
        if key and value:
            tags.setdefault(key, value)
    canonical = next(
        (link.get("href") for link in tree.iter("link") if link.get("rel", "").lower() == "canonical"), None
    )
    try:
        fallback = trafilatura.metadata.extract_metadata(tree, date_config=_DATE_CONFIG)
    except Exception:  # noqa: BLE001 - htmldate trips over odd trees (asserts, control characters); it is a fallback
        fallback = trafilatura.settings.Document()

    def first(keys: Sequence[str]) -> str | None:
        return next((tags[key] for key in keys if key in tags), None)

    # article:author is often a profile URL; take the first value that reads as a name.
    author = next((name for key in _META_AUTHOR if key in tags and (name := _person(tags[key]))), None)
    published_text = first(_META_PUBLISHED)
    published = (parse_date(published_text) if published_text else None) or (
        parse_date(fallback.date) if fallback.date else None
    )
    url = (canonical or "").strip() or first(_META_URL) or fallback.url
    # A declared site name wins; trafilatura's guess is often just the host name, so the URL comes first.
    declared = first(_META_OUTLET)
    guessed = fallback.sitename
    outlet = (
        canonical_outlet(declared)
        if declared
        else (outlet_from_url(url) if url else None) or (canonical_outlet(guessed) if guessed else None)
    )
    return DocumentMeta(
        title=first(_META_TITLE) or fallback.title,
        outlet=outlet,
        author=author or fallback.author,
        published=published,
        url=url,
    )


def merge_meta(*metas: DocumentMeta) -> DocumentMeta:
    """Field by field, the first value any of ``metas`` has."""
    merged = {
        field: next((getattr(meta, field) for meta in metas if getattr(meta, field)), None)
        for field in DocumentMeta.model_fields
    }
    return DocumentMeta(**merged)
