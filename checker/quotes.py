"""Quotations in article text, their words normalised for comparison, and who said them.

Outlets that report one event quote the same people, so a quotation is best recognised by its
words, not by sentence similarity: two quotations are the same statement when their normalised
words line up, and a shorter one that is a run of a longer one is an excerpt. Attribution comes
from the parse of the quotation's sentence ("…,” Brandt said", "said Brandt", "according to
Brandt", "Brandt told reporters: “…”"); a pronoun stands for a speaker only when the text leaves
no doubt who it is.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from difflib import Match, SequenceMatcher
from typing import TYPE_CHECKING, Literal, NamedTuple

from checker.frames import TITLE_WORDS, names_match
from checker.models import Document, Frozen, Sentence
from checker.segment import PARAGRAPH_BREAK, SENTENCE_STARTERS, paragraphs

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Fewer words are scare quotes, slogans or titles ("frank", “candid and in-depth”), not statements.
MIN_QUOTE_WORDS = 4
# A quotation is never longer than this; an unmatched mark must not swallow the article.
MAX_QUOTE_CHARS = 2_000
MAX_SINGLE_QUOTE_CHARS = 400
# Between two pieces of one quotation: “…,” she said, “…” — a short attribution and nothing else.
MAX_JOIN_GAP_CHARS = 80
MAX_JOIN_GAP_WORDS = 6
# Words either side may differ by between two aligned runs and still be one quotation.
MAX_WORDING_GAP = 3
# The longest shared run that makes two quotations one statement; a shorter one will do only when
# the quotations differ by a word or two one of them adds ("we will [not] reopen the harbour").
MIN_ANCHOR_WORDS = 4
MIN_SHORT_ANCHOR_WORDS = 3
MAX_INSERTED_WORDS = 2
# Share of the shorter quotation that must line up for two wordings of one statement.
MIN_REWORDED_COVERAGE = 0.6
# Two excerpts that overlap without either holding the other must share this many words.
MIN_OVERLAP_WORDS = 6

DOUBLE_CLOSERS = {"“": "”", "«": "»", "„": "“", '"': '"'}
CLOSING_MARKS = frozenset('”»"')
SPEECH_VERBS = frozenset(
    """
    say tell add write tweet post state declare announce explain note argue insist warn ask reply respond
    continue reiterate repeat acknowledge admit claim describe conclude complain urge recall testify
    comment remark stress emphasize emphasise predict promise vow pledge caution concede suggest counter
    retort observe allege assert contend maintain proclaim confirm deny lament boast quip joke shout yell
    scream call quote
    """.split()
)
# Verbs whose object, or passive subject, is the speaker ("quoted Wang as saying", "Wang was quoted as saying").
SPEAKER_AS_OBJECT = frozenset({"quote", "cite"})
PERSONAL_PRONOUNS = frozenset({"he", "she"})
TIME_LABELS = frozenset({"DATE", "TIME"})
# Words that make a name an institution, which speaks through many people.
ORGANISATION_WORDS = frozenset(
    """
    house department ministry office committee council party court agency bureau administration commission
    congress senate government times news post press journal network company corporation inc group foundation
    institute university association union campaign police army military navy force forces pentagon kremlin
    embassy service services board organization organisation center centre authority coalition alliance league
    federation bank fund club team airline airlines ltd corp co trust channel radio magazine newspaper gazette
    herald tribune daily review
    """.split()
)
# Capitalised words that follow a surname without being a given name ("Brandt Tuesday").
NOT_GIVEN_NAMES = ORGANISATION_WORDS | frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december administration".split()
)
FUNCTION_WORDS = frozenset("a an and the of in on for to at by with or from as".split())
# Common openings of an attribution between two pieces of one quotation.
ATTRIBUTION_GAP = re.compile(
    r"\b(?:said|says|added|adds|told|tells|wrote|writes|continued|explained|noted|asked|argued|insisted|"
    r"warned|according to|stated|declared|tweeted|posted)\b",
    re.IGNORECASE,
)

CONTRACTIONS = {
    "won't": ["will", "not"],
    "can't": ["can", "not"],
    "cannot": ["can", "not"],
    "shan't": ["shall", "not"],
    "let's": ["let", "us"],
    "gonna": ["going", "to"],
    "wanna": ["want", "to"],
    "gotta": ["got", "to"],
    "kinda": ["kind", "of"],
}
SUFFIX_CONTRACTIONS = (("n't", "not"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'m", "am"), ("'d", "would"))
IS_CONTRACTED = frozenset("it that there here what who he she where how".split())
FILLER_WORDS = frozenset({"uh", "um", "er", "ah", "erm"})
# "One" is more often a pronoun ("not one I wanted") than a number, so it stays a word.
NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split(),
        start=2,
    )
}
# House style, not wording: outlets respell quotations in their own variety of English.
STYLE_VARIANTS = {"towards": "toward", "amongst": "among", "amidst": "amid", "whilst": "while", "okay": "ok"}
SPELLING_RULES = (
    (re.compile(r"(?<=\w{3})our(?=s?$|ed$|ing$|ite$|able$)"), "or"),
    (re.compile(r"(?<=\w{3})is(?=e$|es$|ed$|ing$|ation$|ations$)"), "iz"),
    (re.compile(r"(?<=\w{2})ys(?=e$|es$|ed$|ing$)"), "yz"),
    (re.compile(r"(?<=\w{2})ence$"), "ense"),
    (re.compile(r"(?<=\w{3})tre(?=s?$)"), "ter"),
    (re.compile(r"(?<=\w{3})ogue(?=s?$)"), "og"),
    (re.compile(r"(?<=\w{3}[aeo])ll(?=ed$|ing$)"), "l"),
    (re.compile(r"(?<=\w{4})mme(?=s?$)"), "m"),
    (re.compile(r"(?<=\w{4})dgement(?=s?$)"), "dgment"),
)

_WORD = re.compile(
    r"\[(?P<editorial>[^\]\n]{0,80})\]|\((?P<aside>[^)\n]{0,80})\)"
    r"|(?P<elision>\.\s?\.\s?\.|…)"
    r"|(?P<abbreviation>(?:[A-Za-z]\.){2,})"
    r"|(?P<percent>%)"
    r"|(?P<word>[^\W_]+(?:['’][^\W_]+)*(?:[.,]\d+)*)"
)
_DOUBLE_MARK = re.compile(r"[“”\"«»„]")
_SINGLE_OPENER = re.compile(r"(?:^|(?<=[\s(\[—–-]))[‘'](?=[^\W\d_])")
_SINGLE_CLOSER = re.compile(r"(?<=[^\s])[’'](?![^\W_])")
# A word of a name: capitalised, or an initial ("John F. Kennedy"); never a word ending a sentence.
_NAME_WORD = r"(?:[A-Z]\.|[A-Z][\w’'-]*)"


class QuoteWord(Frozen):
    """One normalised word of a quotation and where it was written."""

    text: str
    start: int
    end: int
    editorial: bool = False
    after_break: bool = False


class Speaker(Frozen):
    """Who a quotation is attributed to, as the text says it."""

    name: str
    sentence_index: int
    start: int
    end: int
    person: bool
    how: str
    inferred: bool = False


class Quotation(Frozen):
    """Words a document puts in someone's mouth: one or more quoted pieces of one statement."""

    doc_id: str
    start: int
    end: int
    pieces: list[tuple[int, int]]
    words: list[QuoteWord]
    speaker: Speaker | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.doc_id, self.start)

    def normalised(self, start: int = 0, end: int | None = None) -> str:
        return " ".join(word.text for word in self.words[start:end])


class WordingDifference(Frozen):
    """Words ``a_start``..``a_end`` of one quotation stand where ``b_start``..``b_end`` of the other
    do; one range is empty where a side has nothing there."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int


Relation = Literal["same", "excerpt", "overlap", "reworded"]


class WordingMatch(Frozen):
    """How two quotations' words line up: the aligned region of each and what differs inside it."""

    relation: Relation
    a_region: tuple[int, int]
    b_region: tuple[int, int]
    shared: int
    differences: list[WordingDifference]


# --------------------------------------------------------------------------- finding quotations


def find_quotations(document: Document) -> list[Quotation]:
    """Quotations of at least MIN_QUOTE_WORDS words, pieces of one statement joined."""
    text = document.text
    pieces = _double_quoted(text)
    pieces += _single_quoted(text, pieces)
    pieces = sorted(piece for piece in pieces if not _is_title(text[piece[0] : piece[1]]))
    quotations = []
    for group in _statements(text, pieces):
        words = _quotation_words(text, group)
        if sum(not word.editorial for word in words) >= MIN_QUOTE_WORDS:
            quotations.append(
                Quotation(
                    doc_id=document.doc_id,
                    start=group[0][0],
                    end=group[-1][1],
                    pieces=[(start, end) for start, end, _ in group],
                    words=words,
                )
            )
    return quotations


Piece = tuple[int, int, bool]


def _double_quoted(text: str) -> list[Piece]:
    """(start, end, closed) of text inside double quotation marks, per paragraph; a quotation left
    open at a paragraph's end continues in the next paragraph, as news style writes it."""
    pieces: list[Piece] = []
    for paragraph_start, paragraph_end in paragraphs(text):
        opened: int | None = None
        closer = ""
        for found in _DOUBLE_MARK.finditer(text, paragraph_start, paragraph_end):
            index, mark = found.start(), found[0]
            if opened is not None and index - opened > MAX_QUOTE_CHARS:
                opened = None
            if opened is None:
                if mark in DOUBLE_CLOSERS and _opens(text, index, paragraph_end):
                    opened, closer = index + 1, DOUBLE_CLOSERS[mark]
                elif mark == "”" and _opens(text, index, paragraph_end) and _starts_word(text, index):
                    opened, closer = index + 1, "”"
                continue
            if (mark == closer or (mark in CLOSING_MARKS and closer in CLOSING_MARKS)) and _closes(text, index):
                pieces.append((opened, index, True))
                opened = None
            elif mark == "“" and closer != "“" and _starts_word(text, index):
                # Another opening mark: the open quotation lost its closing mark, so it is dropped.
                opened = index + 1
        if opened is not None and paragraph_end - opened <= MAX_QUOTE_CHARS:
            pieces.append((opened, _rstrip(text, opened, paragraph_end), False))
    return [piece for piece in pieces if piece[1] > piece[0]]


def _single_quoted(text: str, double: list[Piece]) -> list[Piece]:
    """Text inside single quotation marks outside double quotations. Apostrophes are not marks:
    an opener starts a word, a closer ends one and is not a plural possessive ("the students’ loans")."""
    pieces: list[Piece] = []
    for opener in _SINGLE_OPENER.finditer(text):
        start = opener.end()
        if pieces and start < pieces[-1][1]:
            continue
        limit = min(len(text), start + MAX_SINGLE_QUOTE_CHARS)
        paragraph_break = PARAGRAPH_BREAK.search(text, start, limit)
        limit = paragraph_break.start() if paragraph_break else limit
        for closer in _SINGLE_CLOSER.finditer(text, start, limit):
            after = text[closer.end() : closer.end() + 2]
            if text[closer.start() - 1] in "sS" and re.match(r"\s[a-z]", after):
                continue
            pieces.append((start, closer.start(), True))
            break
    return [piece for piece in pieces if not _overlaps_any(piece, double)]


def _overlaps_any(piece: Piece, sorted_pieces: list[Piece]) -> bool:
    """Whether ``piece`` overlaps one of ``sorted_pieces`` (sorted, not overlapping), marks included."""
    index = bisect.bisect_left(sorted_pieces, (piece[1] + 1,))
    return index > 0 and sorted_pieces[index - 1][1] + 1 >= piece[0] - 1


def _statements(text: str, pieces: list[Piece]) -> Iterator[list[Piece]]:
    """Pieces grouped into statements: “…,” she said, “…” is one quotation; so is a quotation left
    open at a paragraph's end and resumed by the next paragraph."""
    group: list[Piece] = []
    for piece in pieces:
        if group and _continues(text, group[-1], piece):
            group.append(piece)
            continue
        if group:
            yield group
        group = [piece]
    if group:
        yield group


def _continues(text: str, previous: Piece, piece: Piece) -> bool:
    gap = text[previous[1] + 1 : piece[0] - 1]
    if not previous[2]:
        return not gap.strip()
    if len(gap) > MAX_JOIN_GAP_CHARS or PARAGRAPH_BREAK.search(gap) or any(mark in gap for mark in "“”\"«»"):
        return False
    words = re.findall(r"\w+", gap)
    return not words or (len(words) <= MAX_JOIN_GAP_WORDS and bool(ATTRIBUTION_GAP.search(gap)))


def _quotation_words(text: str, pieces: list[Piece]) -> list[QuoteWord]:
    words: list[QuoteWord] = []
    for start, end, _ in pieces:
        piece_words = normalised_words(text[start:end], start)
        if piece_words and words:
            piece_words[0] = piece_words[0].model_copy(update={"after_break": True})
        words += piece_words
    return words


def _is_title(quoted: str) -> bool:
    """“The Joe Rogan Experience,” “State of the Union”: every word capitalised, no sentence inside."""
    quoted = quoted.strip().rstrip(".,;:!?")
    content = [word for word in re.findall(r"[^\W\d_][\w’'-]*", quoted) if word.lower() not in FUNCTION_WORDS]
    return len(content) >= 2 and all(word[0].isupper() for word in content) and not re.search(r"[.!?,;]", quoted)


def _opens(text: str, index: int, end: int) -> bool:
    after = text[index + 1] if index + 1 < end else ""
    before = text[index - 1] if index > 0 else " "
    return bool(after) and not after.isspace() and (before.isspace() or before in "([{—–-/:“‘")


def _starts_word(text: str, index: int) -> bool:
    return index == 0 or text[index - 1].isspace() or text[index - 1] in "([—–-"


def _closes(text: str, index: int) -> bool:
    return index > 0 and not text[index - 1].isspace()


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


# --------------------------------------------------------------------------- normalising words


def normalised_words(text: str, offset: int = 0) -> list[QuoteWord]:
    """Lower-case words without punctuation, contractions spelled out, small numbers in digits,
    fillers dropped; words in brackets or parentheses are the editor's ("they [the council]",
    "Sen. Ortiz (D-Calif.)"), and an ellipsis marks words left out."""
    words: list[QuoteWord] = []
    after_break = False
    for match in _WORD.finditer(text):
        start, end = offset + match.start(), offset + match.end()
        if match["elision"]:
            after_break = True
            continue
        inserted = match["editorial"] if match["editorial"] is not None else match["aside"]
        if inserted is not None:
            inner_words = normalised_words(inserted, start + 1)
            for inner in inner_words:
                words.append(inner.model_copy(update={"editorial": True, "after_break": after_break}))
                after_break = False
            # "[…]" marks words left out, like a bare ellipsis.
            after_break = after_break or not inner_words
            continue
        for spelled in _spelled_out(match):
            words.append(QuoteWord(text=spelled, start=start, end=end, after_break=after_break))
            after_break = False
    return words


def _spelled_out(match: re.Match[str]) -> list[str]:
    if match["percent"]:
        return ["percent"]
    if match["abbreviation"]:
        return [match["abbreviation"].replace(".", "").lower()]
    word = match["word"].lower().replace("’", "'")
    if word in FILLER_WORDS:
        return []
    if word in CONTRACTIONS:
        return CONTRACTIONS[word]
    for suffix, expansion in SUFFIX_CONTRACTIONS:
        if word.endswith(suffix) and len(word) > len(suffix):
            return [word[: -len(suffix)], expansion]
    if word.endswith("'s"):
        stem = word[:-2]
        return [stem, "is"] if stem in IS_CONTRACTED else [stem]
    word = word.replace("'", "")
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", word):
        word = word.replace(",", "")
    return [NUMBER_WORDS.get(word, word)]


def same_spelling(a: str, b: str) -> bool:
    """'harbour' and 'harbor', 'organise' and 'organize', 'towards' and 'toward': one word in two house styles."""
    return _american(a) == _american(b)


def _american(word: str) -> str:
    word = STYLE_VARIANTS.get(word, word)
    for pattern, replacement in SPELLING_RULES:
        word = pattern.sub(replacement, word)
    return word


# --------------------------------------------------------------------------- comparing wordings


def shingles(quotation: Quotation) -> set[tuple[str, ...]]:
    """Runs of MIN_SHORT_ANCHOR_WORDS spoken words: quotations sharing none cannot be one statement."""
    spoken = [word.text for word in quotation.words if not word.editorial]
    size = MIN_SHORT_ANCHOR_WORDS
    return {tuple(spoken[index : index + size]) for index in range(len(spoken) - size + 1)}


def compare_wording(a: Quotation, b: Quotation) -> WordingMatch | None:
    """How two quotations line up, or None when they are not one statement.

    The longest shared run anchors the comparison; runs either side join it across small gaps.
    A region that stops short of both quotations' ends at one side means the two diverge there:
    different statements sharing a phrase, not one statement.
    """
    words_a, words_b = [word.text for word in a.words], [word.text for word in b.words]
    matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
    blocks = [block for block in matcher.get_matching_blocks() if block.size]
    if not blocks:
        return None
    anchor = max(range(len(blocks)), key=lambda index: blocks[index].size)
    if blocks[anchor].size < min(MIN_SHORT_ANCHOR_WORDS, len(words_a), len(words_b)):
        return None
    first = last = anchor
    while first > 0 and _joinable(blocks[first - 1], blocks[first], a, b):
        first -= 1
    while last < len(blocks) - 1 and _joinable(blocks[last], blocks[last + 1], a, b):
        last += 1
    chain = blocks[first : last + 1]
    a_region = (chain[0].a, chain[-1].a + chain[-1].size)
    b_region = (chain[0].b, chain[-1].b + chain[-1].size)
    if not (_at_edge(a, a_region[0]) or _at_edge(b, b_region[0])):
        return None
    if not (_at_edge(a, a_region[1]) or _at_edge(b, b_region[1])):
        return None
    shared = sum(block.size for block in chain)
    differences = [
        difference
        for previous, following in zip(chain, chain[1:])
        if (difference := _difference(previous, following, a, b)) is not None
    ]
    shorter = min(len(words_a), len(words_b))
    whole = a_region == (0, len(words_a)) and b_region == (0, len(words_b))
    short_anchor = blocks[anchor].size < min(MIN_ANCHOR_WORDS, len(words_a), len(words_b))
    if short_anchor and not (whole and all(_is_insertion(difference) for difference in differences)):
        return None
    if differences:
        if shared < MIN_REWORDED_COVERAGE * shorter:
            return None
        relation: Relation = "reworded"
    elif whole:
        relation = "same"
    elif a_region == (0, len(words_a)) or b_region == (0, len(words_b)):
        relation = "excerpt"
    elif shared >= MIN_OVERLAP_WORDS:
        relation = "overlap"
    else:
        return None
    return WordingMatch(relation=relation, a_region=a_region, b_region=b_region, shared=shared, differences=differences)


def _is_insertion(difference: WordingDifference) -> bool:
    """A word or two on one side only: "we will not reopen" / "we will reopen"."""
    inserted_a, inserted_b = difference.a_end - difference.a_start, difference.b_end - difference.b_start
    return min(inserted_a, inserted_b) == 0 and max(inserted_a, inserted_b) <= MAX_INSERTED_WORDS


def _joinable(left: Match, right: Match, a: Quotation, b: Quotation) -> bool:
    gap_a, gap_b = right.a - (left.a + left.size), right.b - (left.b + left.size)
    if gap_a <= MAX_WORDING_GAP and gap_b <= MAX_WORDING_GAP:
        return True
    # Words one side left out at an ellipsis or between two pieces may be many.
    return (gap_a == 0 and a.words[right.a].after_break) or (gap_b == 0 and b.words[right.b].after_break)


def _at_edge(quotation: Quotation, index: int) -> bool:
    """Where a quoted piece starts or ends, or words were left out: an excerpt may stop there."""
    if index in (0, len(quotation.words)):
        return True
    return quotation.words[index].after_break


def _difference(left: Match, right: Match, a: Quotation, b: Quotation) -> WordingDifference | None:
    """The words between two aligned runs, unless they differ only in form: spelling, hyphens, an
    editor's brackets, or words one side left out at an ellipsis."""
    a_start, b_start = left.a + left.size, left.b + left.size
    words_a, words_b = a.words[a_start : right.a], b.words[b_start : right.b]
    if any(word.editorial for word in words_a + words_b):
        return None
    if a.words[right.a].after_break or b.words[right.b].after_break:
        return None
    text_a, text_b = [word.text for word in words_a], [word.text for word in words_b]
    if "".join(text_a) == "".join(text_b):
        return None
    if len(text_a) == len(text_b) and all(same_spelling(x, y) for x, y in zip(text_a, text_b)):
        return None
    return WordingDifference(a_start=a_start, a_end=right.a, b_start=b_start, b_end=right.b)


# --------------------------------------------------------------------------- speakers


def attribute(
    quotation: Quotation,
    document: Document,
    sentences: list[Sentence],
    parsed: Callable[[Sentence], Doc],
    earlier: list[Quotation],
) -> Speaker | None:
    """Who the document says spoke the quotation: the subject of the speech verb that governs it in
    one of its sentences; a pronoun only when the quotation before it or the sentence before it
    names one person; a bare quotation right after an attributed one continues it. ``earlier`` are
    the document's quotations before this one, already attributed."""
    indices = _sentence_indices(quotation, sentences)
    for index in indices:
        sentence = sentences[index]
        found = _speaker_in_sentence(quotation, sentence, parsed(sentence))
        if found is None:
            continue
        start, end = sentence.start + found.start, sentence.start + found.end
        token = found.token
        if token.lower_ in PERSONAL_PRONOUNS:
            quoted = _quoted_tokens(quotation, sentence, token.doc)
            named_before = _people_named(token.doc, sentence, document.text, quoted, token.i)
            name = _one_person(named_before) or _pronoun_antecedent(
                indices[0], sentences, parsed, earlier, document.text
            )
            if name is None:
                return None
            how = f"{found.how}, “{token.text}” read as {name}"
            return Speaker(name=name, sentence_index=index, start=start, end=end, person=True, how=how, inferred=True)
        name = _clean_name(sentence.text[found.start : found.end])
        if not name:
            return None
        return Speaker(
            name=full_name(name, document.text, start),
            sentence_index=index,
            start=start,
            end=end,
            person=_is_person(token, name, document.text),
            how=found.how,
        )
    return _continued(quotation, indices[0], sentences, earlier)


def _sentence_indices(quotation: Quotation, sentences: list[Sentence]) -> list[int]:
    first = max(bisect.bisect_right(sentences, quotation.start, key=_start) - 1, 0)
    last = max(bisect.bisect_right(sentences, max(quotation.end - 1, quotation.start), key=_start) - 1, 0)
    return [sentences[index].index for index in range(first, last + 1)]


def _start(sentence: Sentence) -> int:
    return sentence.start


class _Attribution(NamedTuple):
    """The words naming a speaker in a sentence (offsets in it), their head token, and how they attribute."""

    start: int
    end: int
    token: Token
    how: str


def _attribution(doc: Doc, name: Token, how: str) -> _Attribution:
    start, end = _name_span(doc.text, name)
    return _Attribution(start, end, name, how)


def _speaker_in_sentence(quotation: Quotation, sentence: Sentence, doc: Doc) -> _Attribution | None:
    inside = _quoted_tokens(quotation, sentence, doc)
    if not inside:
        return None
    verb = _governing_speech_verb(doc, inside) or _speech_verb_hanging_off(doc, inside)
    if verb is not None:
        subject = _speaker_of(verb, inside)
        if subject is not None:
            how = f"“{subject.text} … {verb.text}”" if subject.i < verb.i else f"“{verb.text} {subject.text}”"
            return _attribution(doc, subject, how)
    return _according_to(doc, inside) or _attribution_after(doc, inside)


def _attribution_after(doc: Doc, inside: set[int]) -> _Attribution | None:
    """“…,” said Mike Balsamo / “…,” Brandt said, read off the words after the closing mark when
    the parse went astray (a long inverted subject often does)."""
    index = max(inside) + 1
    while index < len(doc) and doc[index].is_punct:
        index += 1
    if index >= len(doc):
        return None
    if _is_speech_verb(doc[index]):
        name = _name_run(doc, index + 1)
        return _attribution(doc, name, f"“{doc[index].text} {name.text}”") if name is not None else None
    name = _name_run(doc, index)
    if name is None or name.i + 1 >= len(doc) or not _is_speech_verb(doc[name.i + 1]):
        return None
    return _attribution(doc, name, f"“{name.text} {doc[name.i + 1].text}”")


def _is_speech_verb(token: Token) -> bool:
    return token.lemma_.lower() in SPEECH_VERBS and token.pos_ in {"VERB", "AUX"}


def _name_run(doc: Doc, index: int) -> Token | None:
    """The last word of the name that starts at ``index`` ("Associated Press reporter Mike Balsamo"
    ends at "Balsamo"), or None when no name starts there ("a spokesperson") or it is someone's
    ("Brandt's aide"). A pronoun counts as a name here."""
    if index < len(doc) and doc[index].lower_ in PERSONAL_PRONOUNS:
        return doc[index]
    last: Token | None = None
    while index < len(doc) and (doc[index].pos_ in {"PROPN", "NOUN"} or doc[index].text in TITLE_WORDS):
        if doc[index].ent_type_ in TIME_LABELS:
            break
        if doc[index].pos_ == "PROPN":
            last = doc[index]
        index += 1
    if last is None or last.i != index - 1:
        return None
    following = doc[index] if index < len(doc) else None
    return None if following is not None and following.tag_ == "POS" else last


def _quoted_tokens(quotation: Quotation, sentence: Sentence, doc: Doc) -> set[int]:
    spans = [(start - sentence.start - 1, end - sentence.start + 1) for start, end in quotation.pieces]
    return {token.i for token in doc if any(start <= token.idx < end for start, end in spans)}


def _governing_speech_verb(doc: Doc, inside: set[int]) -> Token | None:
    """The nearest speech verb above the quotation whose path to it runs through verbs (and "as"):
    in "said Trump's claim that “…”" the quotation hangs off a noun and is someone else's."""
    for index in sorted(inside):
        token = doc[index]
        if token.head.i not in inside or token.head.i == token.i:
            top = token
            break
    else:
        return None
    node = top
    while node.head.i != node.i:
        node = node.head
        if node.i in inside:
            continue
        if node.lemma_.lower() in SPEECH_VERBS and node.pos_ in {"VERB", "AUX"}:
            return node
        if node.pos_ not in {"VERB", "AUX", "ADP", "SCONJ"}:
            return None
    return None


def _speech_verb_hanging_off(doc: Doc, inside: set[int]) -> Token | None:
    """“…,” Brandt said — often parsed with "said" hanging off the quotation's verb."""
    for token in doc:
        if token.i in inside or token.lemma_.lower() not in SPEECH_VERBS or token.pos_ not in {"VERB", "AUX"}:
            continue
        if token.head.i in inside and token.dep_ in {"parataxis", "ccomp", "advcl", "conj", "dep"}:
            return token
    return None


def _speaker_of(verb: Token, inside: set[int]) -> Token | None:
    children = [child for child in verb.children if child.i not in inside]
    if verb.lemma_.lower() in SPEAKER_AS_OBJECT:
        # "Wang was quoted as saying", "Psaki quoted Biden as saying": not the one who quotes.
        spoken = [child for child in children if child.dep_ in {"nsubjpass", "dobj"}]
        return _named_in(spoken[0]) if spoken else None
    for child in children:
        if child.dep_ == "nsubj":
            return _named_in(child)
        if child.dep_ == "agent":
            objects = [grandchild for grandchild in child.children if grandchild.dep_ == "pobj"]
            return _named_in(objects[0]) if objects else None
    # "Brandt went on to say", "Wang was quoted as saying": the speaker is the higher verb's subject.
    if verb.dep_ in {"xcomp", "advcl", "conj"} and verb.head.pos_ in {"VERB", "AUX"}:
        return _speaker_of(verb.head, inside)
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in {"VERB", "AUX"}:
        return _speaker_of(verb.head.head, inside)
    return None


def _named_in(subject: Token) -> Token | None:
    """The token that names the speaker: the subject itself if a name or a pronoun, the name in
    apposition ("the secretary, Antony Blinken, said"); None for a description ("an official") or
    for several speakers ("Brandt and Ortiz said in a joint statement")."""
    if any(child.dep_ == "conj" for child in subject.children):
        return None
    if subject.ent_type_ in TIME_LABELS:
        # "said Brandt Tuesday", parsed with the weekday as the subject.
        names = [child for child in subject.lefts if child.dep_ == "compound" and child.pos_ == "PROPN"]
        return names[-1] if names else None
    if (subject.pos_ == "PROPN" and not _is_title_word(subject.text)) or subject.lower_ in PERSONAL_PRONOUNS:
        return subject
    for child in subject.children:
        if child.dep_ == "appos" and child.pos_ == "PROPN":
            return child
    return None


def _name_span(text: str, token: Token) -> tuple[int, int]:
    """Character offsets of the name a token is part of, without titles: "Antony Blinken" in
    "Secretary of State Antony Blinken", "Hannah-Jones" (which the tokenizer cuts at the hyphen)."""
    origin, end = _hyphenated(text, *_name_extent(token))
    start = origin
    for word in re.finditer(r"\S+", text[origin:end]):
        following = re.search(r"\S", text[origin + word.end() : end])
        if _is_title_word(word[0]) and following:
            start = origin + word.end() + following.start()
    return start, end


def _is_title_word(word: str) -> bool:
    """Titles and possessives before a name: "Secretary of State", "Sen.", "CNN’s"."""
    titled = word in TITLE_WORDS or word.rstrip(".") + "." in TITLE_WORDS or word == "of"
    return titled or bool(re.search(r"['’]s$", word))


def _name_extent(token: Token) -> tuple[int, int]:
    """Character offsets of the proper nouns around ``token`` that make one name with it."""
    doc = token.doc
    first = last = token.i
    while first > 0 and _continues_name(doc[first - 1]):
        first -= 1
    while last + 1 < len(doc) and _continues_name(doc[last + 1]) and doc[last + 1].dep_ != "compound":
        last += 1
    while doc[first].text == "-":
        first += 1
    while doc[last].text == "-":
        last -= 1
    return doc[first].idx, doc[last].idx + len(doc[last].text)


def _continues_name(token: Token) -> bool:
    if token.text == "-":
        return not token.whitespace_ and token.i > 0 and not token.doc[token.i - 1].whitespace_
    return token.pos_ == "PROPN" and token.dep_ in {"compound", "flat"} and token.ent_type_ not in TIME_LABELS


def _hyphenated(text: str, start: int, end: int) -> tuple[int, int]:
    """A name the tokenizer cut at a hyphen, whole again: "Hannah-Jones", not "Jones"."""
    while start > 1 and text[start - 1] == "-" and text[start - 2].isalpha():
        start -= 1
        while start > 0 and text[start - 1].isalpha():
            start -= 1
    while end < len(text) - 1 and text[end] == "-" and text[end + 1].isalpha():
        end += 1
        while end < len(text) and text[end].isalpha():
            end += 1
    return start, end


def _according_to(doc: Doc, inside: set[int]) -> _Attribution | None:
    for token in doc:
        if token.i in inside or token.lower_ != "according":
            continue
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if following is None or following.lower_ != "to":
            continue
        named = next((child for child in following.children if child.dep_ == "pobj"), None)
        named = _named_in(named) if named is not None else None
        if named is not None:
            return _attribution(doc, named, f"“according to {named.text}”")
    return None


def _clean_name(name: str) -> str:
    """The name without titles and possessives: "Secretary of State Antony Blinken" → "Antony Blinken"."""
    words = [word for word in re.sub(r"(?:'s|’s)$", "", name).split() if word not in TITLE_WORDS and word != "of"]
    while words and not words[0][0].isupper():
        words.pop(0)
    return " ".join(words)


def full_name(name: str, text: str, before: int) -> str:
    """A surname alone stands for the one full name the document gave it earlier ("Brandt" → "Ilse Brandt")."""
    if " " in name:
        return name
    surname = re.escape(name)
    candidates = set()
    for match in re.finditer(rf"((?:{_NAME_WORD}[ \t]+){{1,3}}){surname}\b", text[: before + len(name)]):
        given = [word for word in _given_names(match[1].split()) if word not in SENTENCE_STARTERS]
        if len(given) > 1 and _starts_sentence(text, match.start()):
            # "Journalist Nikole Hannah-Jones": a capitalised first word may just start the sentence.
            given = given[1:]
        if given and not any(word.lower() in ORGANISATION_WORDS for word in given):
            candidates.add(" ".join([*given, name]))
    # Surname first: "Wang Yi", then "Wang".
    for match in re.finditer(rf"\b{surname}[ \t]+([A-Z][a-z]+)\b(?![ \t]+[A-Z])", text[: before + len(name)]):
        given_name = match[1]
        if given_name.lower() not in NOT_GIVEN_NAMES and given_name not in TITLE_WORDS:
            candidates.add(f"{name} {given_name}")
    # "Ilse Brandt" and "Marie Ilse Brandt" are one name; "Ilse Brandt" and "Otto Brandt" are two.
    longest = {
        candidate
        for candidate in candidates
        if not any(other != candidate and other.endswith(candidate) for other in candidates)
    }
    return longest.pop() if len(longest) == 1 else name


def _starts_sentence(text: str, offset: int) -> bool:
    return not text[:offset].strip() or bool(re.search(r"(?:[.!?][\"”’]?\s+|\n\s*)$", text[:offset]))


def _given_names(words: list[str]) -> list[str]:
    """The words of a name before the surname, after any title or possessive ("Energy Secretary
    Jennifer" → "Jennifer", "CNN’s Jake" → "Jake")."""
    given: list[str] = []
    for word in words:
        if word in TITLE_WORDS or word.rstrip(".") + "." in TITLE_WORDS or re.search(r"['’]s$", word):
            given = []
        elif word.lower() not in FUNCTION_WORDS:
            given.append(word)
    return given


def _is_person(token: Token, name: str, text: str) -> bool:
    """A person, not an institution ("the White House", "Reuters", "China") that speaks through many."""
    if any(word.lower() in ORGANISATION_WORDS for word in name.split()) or re.fullmatch(r"[A-Z]{2,}", name):
        return False
    label = token.ent_type_
    if label in {"GPE", "LOC", "FAC"}:
        return False
    if label in {"ORG", "NORP"} and " " not in name:
        # The small tagger calls many surnames organisations or nationalities ("Ardelian" like
        # "Velorian"); a given name elsewhere in the document settles it.
        return full_name(name, text, len(text)) != name
    return label != "NORP"
    return True


def _pronoun_antecedent(
    index: int,
    sentences: list[Sentence],
    parsed: Callable[[Sentence], Doc],
    earlier: list[Quotation],
    document_text: str,
) -> str | None:
    """The person "he" or "she" stands for, for a quotation starting in sentence ``index``: the
    speaker of a quotation in this or the previous sentence, else the one person the previous
    sentence names; otherwise no one."""
    for previous in reversed(earlier):
        speaker = previous.speaker
        if speaker is not None and index - 1 <= _sentence_indices(previous, sentences)[-1] and speaker.person:
            return speaker.name
    if index == 0:
        return None
    sentence = sentences[index - 1]
    return _one_person(_people_named(parsed(sentence), sentence, document_text))


def _one_person(people: list[str]) -> str | None:
    """The fullest name, when all the names given are one person's ("Ilse Brandt" and "Brandt")."""
    if not people or any(not names_match(name, people[0]) for name in people):
        return None
    return max(people, key=len)


def _people_named(
    doc: Doc,
    sentence: Sentence,
    document_text: str,
    quoted: frozenset[int] | set[int] = frozenset(),
    before: int | None = None,
) -> list[str]:
    """People a sentence names outside the ``quoted`` tokens and before token ``before``: its PERSON
    entities and the names that are subjects of its verbs (the small tagger often calls a
    politician's surname an organisation)."""
    limit = len(doc) if before is None else before
    people = {
        full_name(_clean_name(ent.text), document_text, sentence.start + ent.start_char)
        for ent in doc.ents
        if ent.label_ == "PERSON" and _clean_name(ent.text) and ent.end <= limit and ent.root.i not in quoted
    }
    for token in doc[:limit]:
        if token.dep_ in {"nsubj", "nsubjpass"} and _named_in(token) is token and token.i not in quoted:
            start, end = _name_span(sentence.text, token)
            name = _clean_name(sentence.text[start:end])
            if name and _is_person(token, name, document_text):
                people.add(full_name(name, document_text, sentence.start + start))
    return sorted(name for name in people if name)


def _continued(
    quotation: Quotation, index: int, sentences: list[Sentence], earlier: list[Quotation]
) -> Speaker | None:
    """A quotation that is a sentence on its own, right after an attributed quotation, goes on with
    the same speaker: “We will not reopen the harbour,” Brandt said. “Not this year.”"""
    sentence = sentences[index]
    if not earlier or earlier[-1].speaker is None or sentence.text[:1] not in DOUBLE_CLOSERS:
        return None
    previous = earlier[-1]
    if _sentence_indices(previous, sentences)[-1] < index - 1:
        return None
    return previous.speaker.model_copy(
        update={"how": f"continues a quotation of {previous.speaker.name}", "inferred": True}
    )
