"""Tell article text from the page furniture pasted around it.

Articles saved as plain text or Markdown carry captions, photo credits,
reporter credits, teasers, share buttons and lists of links to other stories.
The rules below describe the *shape* of such lines rather than phrases from
one site, and they work line by line so that ingest can keep exact source
offsets for everything that survives.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

# --------------------------------------------------------------------------- Markdown syntax

_BLOCK_PREFIX = re.compile(r"[ \t]*(?:(?:#{1,6}|>|[-*+•]|\d{1,3}[.)])[ \t]+|>)*")
# Each opener's scan stops at the next opener of its kind ('<!--', '[', '<'), so a line of unclosed
# openers takes linear time, not quadratic.
_INLINE = re.compile(
    r"""
      (?P<comment><!--(?:(?!<!--).)*?-->)
    | (?P<image>!\[[^\[\]\n]*\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"\n]*")?\))
    | (?P<link>\[(?P<label>[^\[\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"\n]*")?\))
    | (?P<autolink><(?P<address>https?://[^<>\s]+)>)
    | \\(?P<escaped>[\\`*_{}\[\]()#+\-.!<>])
    | (?P<marker>\*\*|__|`+|(?<![\w*])[*_](?=\S)|(?<=\S)[*_](?![\w*]))
    """,
    re.VERBOSE,
)

_MARKUP_CHAR = re.compile(r"[!\[<\\*_`]")

Span = tuple[int, int]


def markdown_spans(line: str) -> list[Span]:
    """The ``(start, end)`` runs of a Markdown line that are text rather than syntax.

    Block prefixes (``#``, ``>``, bullets), images, HTML comments (such as check-ignore
    markers), emphasis markers and the ``](url)`` part of links are left out; a link's label
    is kept.
    """
    prefix = _BLOCK_PREFIX.match(line)
    return _inline_spans(line, prefix.end() if prefix else 0, len(line))


def strip_markdown(line: str) -> str:
    return "".join(line[start:end] for start, end in markdown_spans(line))


def _inline_spans(line: str, start: int, end: int) -> list[Span]:
    if _MARKUP_CHAR.search(line, start, end) is None:
        return [(start, end)] if start < end else []
    spans: list[Span] = []
    cursor = start
    for match in _INLINE.finditer(line, start, end):
        if match.start() > cursor:
            spans.append((cursor, match.start()))
        if match["link"] is not None:
            spans.extend(_inline_spans(line, match.start("label"), match.end("label")))
        elif match["autolink"] is not None:
            spans.append(match.span("address"))
        elif match["escaped"] is not None:
            spans.append(match.span("escaped"))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return spans


# --------------------------------------------------------------------------- single lines

# An image, a linked image ``[![alt](src)](href)`` or an HTML <img> left in Markdown.
_IMAGE_LINE = re.compile(
    r"\s*(?:\[\s*)?!\[[^\]]*\]\([^\n]*\)\s*(?:\]\([^)\n]*\))?\s*|\s*<img\b[^>]*>\s*", re.IGNORECASE
)

# "REUTERS/Elizabeth Frantz", "AP Photo/Evan Vucci", "Evan Vucci/AP", "Photographer: Jane Doe/Bloomberg".
_NAME = r"[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|da|del|van|von|la|le|bin|al)){0,4}"
_AGENCY = r"(?:[A-Z]{2,}(?:\s[A-Z]{2,})?|AP\sPhoto|Getty\sImages|Reuters|Bloomberg|Xinhua|Anadolu|Sipa|Shutterstock)"
_PHOTO_CREDIT = (
    rf"(?:{_AGENCY}(?:\svia\sGetty\sImages)?\s?/\s?{_NAME}(?:/File(?:\sPhoto)?)?"
    rf"|{_NAME}\s?/\s?(?:{_AGENCY}|Getty\sImages)"
    rf"|(?:Photo(?:graph)?|Photographer|Image|Picture|Credit)s?(?:\s+by|\s*:)\s+[A-Z][^.!?\n]{{0,80}})"
)
_ENDS_WITH_PHOTO_CREDIT = re.compile(rf"(?:^|[\s(\[]){_PHOTO_CREDIT}[)\]]?\s*$")
_ONLY_PHOTO_CREDIT = re.compile(rf"\s*[(\[]?\s*{_PHOTO_CREDIT}[)\]]?\s*")

_CREDIT = re.compile(
    r"""\s*[(\[]?\s*(?:-{1,2}|—|–)?\s*
    (?:(?i:with\s+assistance\s+from|additional\s+reporting\s+by
          |(?:reporting|reported|writing|written|editing|edited|compiled|produced|research|graphics)\s+by)
       \s+[A-Z]
     | (?i:contributing|contributors?)\s*:\s*\S
     | (?i:to\s+contact\s+the\s+(?:reporters?|editors?|authors?))\b
     | (?:©|\([cC]\)|(?i:copyright))\s*(?:©\s*)?\d{4}
    )""",
    re.VERBOSE,
)
_TEASER = re.compile(
    r"\s*(?i:earlier|read\s+more|read\s+also|also\s+read|read|related|see\s+also|more|watch|listen|recommended"
    r"|sign\s+up|subscribe|follow)\s*:\s*\S"
)
_BREADCRUMB_HOME = re.compile(r"\s*(?:\w{1,20}\s*:\s*)?(?i:home(?:page)?)\s*[>›»|/]\s*\S")
_BREADCRUMB_SEPARATOR = re.compile(r"\s[>›»]\s")
_REACTION_COUNTER = re.compile(r"\s*[A-Za-z][\w'’ -]{0,25}[!?.]?\s*[(\[]\s*\d[\d,.]*[kKmM]?\s*[)\]]\s*")
_LETTER = re.compile(r"[^\W\d_]")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$|[\"'”’)\]][.!?]\s*$")
_BULLET = re.compile(r"\s*(?:[-*+•]|\d{1,3}[.)])\s+\S")
_MORE_FROM = re.compile(r"more\s+(?:from|on|in|about)\b")

UI_WORDS = frozenset(
    {
        "view", "views", "share", "share this", "share this article", "tweet", "email", "e-mail", "print",
        "facebook", "twitter", "x", "whatsapp", "linkedin", "reddit", "copy link", "link copied", "save",
        "advertisement", "advertisements", "ad", "sponsored", "sponsored content", "comments", "comment",
        "listen", "listen to this article", "follow", "subscribe", "sign up", "log in", "login", "menu",
        "search", "close", "skip to content", "skip to main content", "show more", "load more",
        "continue reading", "story continues below advertisement", "scroll to continue with content",
        "back to top", "top", "next", "previous", "loading", "photo", "video", "gallery", "getty images",
        "toggle caption", "hide caption", "enlarge this image", "like", "dislike", "reply",
    }
)
LINK_LIST_HEADINGS = frozenset(
    {
        "related", "related articles", "related stories", "related news", "related coverage", "related content",
        "ranking", "rankings", "recommendation", "recommendations", "recommended", "recommended for you",
        "read more", "read next", "most popular", "most read", "most viewed", "popular", "trending",
        "trending now", "you may also like", "you might also like", "more stories", "more news",
        "latest news", "latest", "top stories", "editors' picks", "editor's picks", "see also",
        "further reading", "also read", "more like this", "what to read next", "up next",
    }
)
_LISTY_MAX_CHARS = 120
_BULLET_MAX_CHARS = 200
_TEASER_MAX_CHARS = 250
# Furniture is short; the cap also keeps the line-shape patterns cheap on huge one-line files.
_FURNITURE_MAX_CHARS = 2_000
_MIN_LINK_LIST_RUN = 3


@dataclass(frozen=True, slots=True)
class _Shape:
    """A line with its Markdown-free text and word key, worked out once for all the rules."""

    line: str
    plain: str
    key: str

    @staticmethod
    def of(line: str) -> _Shape:
        plain = strip_markdown(line).strip()
        key = " ".join(plain.replace("’", "'").strip(" \t:>›»|-–—•*#").lower().split())
        return _Shape(line, plain, key)


def has_sentence_end(text: str) -> bool:
    """Whether ``text`` ends like a sentence (final punctuation, maybe inside closing quotes)."""
    return _SENTENCE_END.search(text) is not None


def is_furniture(line: str) -> bool:
    """Whether a non-blank line is page furniture whatever its neighbours are."""
    return bool(line.strip()) and len(line) <= _FURNITURE_MAX_CHARS and _is_furniture(_Shape.of(line))


def _is_furniture(shape: _Shape) -> bool:
    plain = shape.plain
    return (
        _LETTER.search(plain) is None
        or _IMAGE_LINE.fullmatch(shape.line) is not None
        or _ENDS_WITH_PHOTO_CREDIT.search(plain) is not None  # a caption ending in its photo credit
        or _CREDIT.match(plain) is not None
        or (len(plain) <= _TEASER_MAX_CHARS and _TEASER.match(plain) is not None)
        or _is_breadcrumb(plain)
        or _is_ui_words(shape.key)
        or (len(plain.split()) <= 4 and _REACTION_COUNTER.fullmatch(plain) is not None)
    )


def _is_breadcrumb(plain: str) -> bool:
    if _BREADCRUMB_HOME.match(plain):
        return True
    parts = _BREADCRUMB_SEPARATOR.split(plain)
    return len(parts) >= 3 and all(0 < len(part.split()) <= 4 for part in parts)


def _is_ui_words(key: str) -> bool:
    """Buttons and labels: ``View``, ``Share``, ``Advertisement``, ``Share Tweet Email`` …"""
    if key in UI_WORDS:
        return True
    words = key.split()
    return 1 < len(words) <= 6 and all(word in UI_WORDS for word in words)


def _is_link_list_heading(shape: _Shape) -> bool:
    """A heading that introduces links to other stories: ``Related``, ``More from Bloomberg`` …"""
    if shape.key in LINK_LIST_HEADINGS:
        return True
    return len(shape.key.split()) <= 6 and _MORE_FROM.match(shape.key) is not None and not has_sentence_end(shape.plain)


def _is_listy(shape: _Shape) -> bool:
    """Shaped like an entry of a link list: a bullet, or a short line that is no sentence."""
    if _BULLET.match(shape.line):
        return len(shape.plain) <= _BULLET_MAX_CHARS
    return len(shape.plain) <= _LISTY_MAX_CHARS and not has_sentence_end(shape.plain)


# --------------------------------------------------------------------------- whole articles


def junk_lines(lines: Sequence[str], metadata_lines: Collection[int] = frozenset()) -> frozenset[int]:
    """Indexes of the lines that are not article text.

    ``metadata_lines`` are header lines another stage already claimed (title,
    byline, date); they count neither as article body nor as junk here.
    Blank lines are never reported; lines too long to be furniture are body.
    """
    shapes = {
        index: _Shape.of(line)
        for index, line in enumerate(lines)
        if line.strip() and index not in metadata_lines and len(line) <= _FURNITURE_MAX_CHARS
    }
    junk = {index for index, shape in shapes.items() if _is_furniture(shape)}
    junk |= _captions_above_credits(lines, shapes, junk)
    body = [
        index for index, line in enumerate(lines) if line.strip() and index not in junk and index not in metadata_lines
    ]
    tail_start = _link_list_start(shapes, body)
    if tail_start is not None:
        junk |= {index for index in range(tail_start, len(lines)) if lines[index].strip()}
    return frozenset(junk)


def _captions_above_credits(lines: Sequence[str], shapes: dict[int, _Shape], junk: set[int]) -> set[int]:
    """A caption whose photo credit sits alone on the next line."""
    return {
        index - 1
        for index in junk
        if index > 0 and lines[index - 1].strip() and _ONLY_PHOTO_CREDIT.fullmatch(shapes[index].plain)
    }


def _link_list_start(shapes: dict[int, _Shape], body: list[int]) -> int | None:
    """Where the trailing block of links to other stories starts, if the article has one.

    Either a heading such as ``Related`` after some body text, or a run of at
    least three list-shaped lines that lasts until the end of the file (so a
    bulleted list in the middle of an article survives).
    """
    for position, index in enumerate(body):
        if position > 0 and index in shapes and _is_link_list_heading(shapes[index]):
            return index
    run: list[int] = []
    for index in reversed(body):
        if index not in shapes or not _is_listy(shapes[index]):
            break
        run.append(index)
    if len(run) >= _MIN_LINK_LIST_RUN and len(run) < len(body):
        return run[-1]
    return None
