"""Rule-based sentence splitting with exact offsets into ``Document.text``.

A candidate boundary is sentence-final punctuation (``.``, ``!``, ``?``, an
ellipsis), any closing quotes or brackets after it, then whitespace. Whether
it really ends the sentence depends on the word before it and the word after
it:

* a lower-case next word never starts a sentence (``U.S. officials``, ``“Why?” he asked``);
* titles, month abbreviations and the like (``Mr.``, ``Sen.``, ``Jan.``, ``e.g.``)
  never end one;
* ambiguous abbreviations, which do end sentences in news copy (``U.S.``,
  ``p.m.``, ``Inc.``, ``Jr.``, single initials) and ellipses end a sentence only
  when the next word is a common sentence starter (``The``, ``He``, ``But`` …).
  ``in the U.S. The next day`` splits; ``U.S. President Joe Biden`` and
  ``John F. Kennedy`` do not.

Paragraph breaks (a blank line) always end a sentence; dashes never do.
Sentences longer than :data:`MAX_SENTENCE_CHARS` are cut at semicolons, then
at whitespace, so no input makes a sentence unbounded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from checker.models import Document, Sentence

MAX_SENTENCE_CHARS = 1_000

# A blank line (spaces allowed) ends a paragraph.
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
# The look-behinds start a mark only where its run starts: a long run of "!" without a space after it
# would otherwise be rescanned from every position (quadratic time).
_CANDIDATE = re.compile(r"(?P<mark>(?<!\.)\.{2,}|…|(?<![.!?])[.!?]+)(?P<closers>[\"'”’»)\]]*)(?P<space>\s+)")
_NEXT_WORD = re.compile(r"[\"'“‘«(\[]*(?P<word>[^\W_][\w'’-]*)")
_TOKEN_OPENERS = "\"'“‘«([{"
_TOKEN_LOOKBACK = 40
_DOTTED = re.compile(r"(?:[A-Za-z]\.){2,}")
_INITIAL = re.compile(r"[A-Z]")
_WORD_CHAR = re.compile(r"[^\W_]")

# Never end a sentence: they always introduce the next word.
_NEVER_FINAL = frozenset(
    """
    Mr Mrs Ms Messrs Mmes Dr Drs Prof Sen Sens Rep Reps Gov Govs Gen Lt Col Capt Cmdr Cdr Sgt Maj Adm Brig
    Rev Hon Pres Supt Atty Amb Insp Det Mt Ft Fig Figs No Nos Vol Vols Art Ch
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    vs v e.g i.e cf approx incl esp viz
    """.split()
)
# Often end a sentence too, so they only do when a sentence starter follows.
_AMBIGUOUS = frozenset(
    """
    Inc Corp Co Ltd Jr Sr St Bros Ave Blvd Rd LLC Plc etc al Dept Univ Assn
    Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Md Mass Mich Minn Miss Mo Mont Neb Nev
    Okla Ore Pa Tenn Tex Vt Va Wash Wis Wyo
    """.split()
)
SENTENCE_STARTERS = frozenset(
    """
    The A An This That These Those There Then Thus He She It They We I You His Her Its Their Our My
    But And Or So Yet Still However Meanwhile Moreover Instead Also Now Today Yesterday Tomorrow Earlier Later
    In On At As After Before During Since While When Where If Although Though Because For With Without By
    From Under Over Despite Amid Following According Asked Some Many Most Several Both Each All No Not
    One Two Officials What Why How Who Such Last Next Other Another
    """.split()
)


def segment(document: Document) -> list[Sentence]:
    """Split ``document.text`` into sentences numbered from 0."""
    text = document.text
    return [
        Sentence(doc_id=document.doc_id, index=index, start=start, end=end, text=text[start:end])
        for index, (start, end) in enumerate(sentence_spans(text))
    ]


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each sentence, whitespace trimmed, skipping runs without a letter or digit."""
    for paragraph_start, paragraph_end in paragraphs(text):
        for start, end in _split_paragraph(text, paragraph_start, paragraph_end):
            for piece_start, piece_end in _cap_length(text, start, end):
                trimmed_start, trimmed_end = _trim(text, piece_start, piece_end)
                if _WORD_CHAR.search(text, trimmed_start, trimmed_end):
                    yield trimmed_start, trimmed_end


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each paragraph of ``text``, the blank lines between them left out."""
    start = 0
    for match in PARAGRAPH_BREAK.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _split_paragraph(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    sentence_start = start
    for match in _CANDIDATE.finditer(text, start, end):
        if match.end() < end and _ends_sentence(text, match, end):
            yield sentence_start, match.start("space")
            sentence_start = match.end()
    yield sentence_start, end


def _ends_sentence(text: str, match: re.Match[str], end: int) -> bool:
    next_word = _NEXT_WORD.match(text, match.end(), end)
    if next_word is None:
        return True
    word = next_word["word"]
    if word[0].islower():
        return False
    mark = match["mark"]
    if mark.startswith("..") or mark == "…":
        return word in SENTENCE_STARTERS
    if mark != "." or match["closers"]:
        return True
    token = _token_before(text, match.start())
    if token in _NEVER_FINAL:
        return False
    if token in _AMBIGUOUS or _INITIAL.fullmatch(token) or _DOTTED.fullmatch(token + "."):
        return word in SENTENCE_STARTERS
    return True


def _token_before(text: str, period: int) -> str:
    """The word a period is attached to, without opening quotes or brackets: ``U.S`` for ``(U.S.``."""
    window = text[max(period - _TOKEN_LOOKBACK, 0) : period]
    token = window.split()[-1] if window and not window[-1].isspace() else ""
    return token.lstrip(_TOKEN_OPENERS)


def _cap_length(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut an overlong sentence after its last semicolon that fits, else at whitespace, else hard."""
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = text.rfind(";", start, limit) + 1
        if cut <= start:
            cut = max(text.rfind(" ", start, limit), text.rfind("\n", start, limit))
        if cut <= start:
            cut = limit
        yield start, cut
        start = cut
    yield start, end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
