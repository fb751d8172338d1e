"""Read article files into :class:`~checker.models.Document` records.

Every character of ``Document.text`` that came from the file is covered by a
:class:`~checker.models.TextPiece`, so later stages can report findings at
exact source offsets. Text and Markdown files map exactly; HTML maps each
extracted run to where it appears in the page.
"""

from __future__ import annotations

import bisect
import codecs
import html
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from checker import boilerplate
from checker.errors import InputError
from checker.metadata import TextMetadata, extract_html_metadata, extract_text_metadata, merge_meta
from checker.models import Corpus, Document, DocumentMeta, SkippedFile, TextPiece

FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
MAX_FILE_BYTES = 50 * 1024 * 1024
_BINARY_SAMPLE_CHARS = 65_536
_BINARY_CONTROL_SHARE = 0.1
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NEWLINE = re.compile(r"\r\n|\r|\n")
# A link label stops at the next '[' too: otherwise a line of unmatched '[' takes quadratic time.
_MARKDOWN_HINT = re.compile(
    r"^(?:#{1,6}[ \t]+\S|\*\*[^*\n]+\*\*[ \t]*$|!\[[^\]\n]*\]\()|\[[^\[\]\n]+\]\((?:https?://|/)", re.MULTILINE
)
# Lines that are blocks of their own in Markdown (and in pasted plain text): headings and list items.
_BLOCK_LINE = re.compile(r"\s*(?:#{1,6}|[-*+•]|\d{1,3}[.)])\s")
_LOWER_START = re.compile(r"\s*[a-z]")


# --------------------------------------------------------------------------- corpus


def load_corpus(paths: Sequence[Path], exclude: Callable[[Path], bool] | None = None) -> Corpus:
    """Load every supported file under ``paths``; files that cannot be read are listed as skipped.

    Files found in a directory for which ``exclude`` is true are left out silently (a file
    named explicitly is always read). Raises :class:`InputError` only for a path that does
    not exist or a file argument that is not a supported article format.
    """
    for path in paths:
        if not path.exists():
            raise InputError(printable_path(str(path)), "no such file or directory")
        if not path.is_dir() and path.suffix.lower() not in FORMATS:
            raise InputError(printable_path(str(path)), _unsupported(path))
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    seen_files: set[tuple[int, int]] = set()
    used_ids: set[str] = set()
    for path in paths:
        for entry in _walk(path) if path.is_dir() else [_Entry(path, printable_path(path.name))]:
            if exclude is not None and path.is_dir() and exclude(entry.path):
                continue
            identity = _identity(entry.path)
            if identity is not None and identity in seen_files:
                continue
            if identity is not None:
                seen_files.add(identity)
            # The same relative name under two arguments would collide; the path as given does not.
            doc_id = entry.relative if entry.relative not in used_ids else printable_path(entry.path.as_posix())
            used_ids.add(doc_id)
            if entry.problem is not None:
                skipped.append(SkippedFile(path=doc_id, reason=entry.problem))
                continue
            try:
                documents.append(load_document(entry.path, doc_id))
            except InputError as error:
                skipped.append(SkippedFile(path=doc_id, reason=error.reason))
    return Corpus(documents=documents, skipped=skipped)


class _Entry(NamedTuple):
    path: Path
    relative: str  # printable: see _printable
    problem: str | None = None  # why the entry cannot be loaded, known before reading it


def _walk(root: Path) -> list[_Entry]:
    """Every visible file under ``root``, sorted by relative path.

    Symlinked directories are followed once each, so a link back to an
    ancestor cannot loop.
    """
    entries: list[_Entry] = []

    def unreadable(error: OSError) -> None:
        where = Path(error.filename or root)
        relative = where.relative_to(root).as_posix() if where != root else root.name or str(root)
        entries.append(_Entry(where, printable_path(relative), f"cannot read directory ({_describe(error)})"))

    visited = {_identity(root)}
    for directory, subdirectories, files in os.walk(root, followlinks=True, onerror=unreadable):
        kept: list[str] = []
        for name in subdirectories:
            identity = _identity(Path(directory, name))
            if name.startswith(".") or identity is None or identity in visited:
                continue
            visited.add(identity)
            kept.append(name)
        subdirectories[:] = kept
        for name in files:
            if name.startswith("."):
                continue
            path = Path(directory, name)
            problem = None if path.suffix.lower() in FORMATS else _unsupported(path)
            entries.append(_Entry(path, printable_path(path.relative_to(root).as_posix()), problem))
    return sorted(entries, key=lambda entry: Path(entry.relative).parts)


def printable_path(name: str) -> str:
    """A file name as valid Unicode: bytes that are not UTF-8 (surrogate escapes in ``str``) become ``\\xNN``.

    Reports are written as UTF-8, which cannot encode those escapes.
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


def _unsupported(path: Path) -> str:
    return f"unsupported file type '{path.suffix}'" if path.suffix else "unsupported file type (no extension)"


def _describe(error: OSError) -> str:
    return (error.strerror or type(error).__name__).lower()


# --------------------------------------------------------------------------- one document


def load_document(path: Path, doc_id: str) -> Document:
    """Read one article file; raise :class:`InputError` with a short reason when it holds no article."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(doc_id, _unsupported(path))
    source = _decode(_read(path, doc_id), doc_id)
    if FORMATS[suffix] == "html":
        return _html_document(path, doc_id, source)
    return document_from_text(source, doc_id, path=str(path), markdown=FORMATS[suffix] == "markdown")


def document_from_text(source: str, doc_id: str, path: str | None = None, markdown: bool = False) -> Document:
    """An article given as a string (plain text or Markdown), cleaned as a file would be."""
    markdown = markdown or _MARKDOWN_HINT.search(source) is not None
    lines = [_Line.verbatim(source[start:end], start) for start, end in _line_spans(source)]
    header, text, pieces = _clean(lines, markdown=markdown, html_lines=False)
    if not text.strip():
        raise InputError(doc_id, "no article text left after removing headers and page junk")
    return Document(
        doc_id=doc_id,
        path=path or doc_id,
        format="markdown" if markdown else "text",
        meta=header.meta,
        source=source,
        text=text,
        pieces=pieces,
    )


def _read(path: Path, doc_id: str) -> bytes:
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise InputError(doc_id, "not a regular file")
        if status.st_size > MAX_FILE_BYTES:
            raise InputError(doc_id, f"file too large ({status.st_size} bytes; the limit is {MAX_FILE_BYTES})")
        return path.read_bytes()
    except OSError as error:
        raise InputError(doc_id, f"cannot read file ({_describe(error)})") from error


def _decode(data: bytes, doc_id: str) -> str:
    """UTF-8 (a BOM is dropped) or UTF-16 with a BOM; anything else is refused with the first bad byte."""
    if not data:
        raise InputError(doc_id, "empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InputError(doc_id, f"not valid UTF-16 (at offset {error.start})") from error
    else:
        if b"\x00" in data:
            raise InputError(doc_id, "binary file (contains NUL bytes)")
        # Decoding past the BOM by hand ('utf-8-sig' semantics) keeps the reported offset a file offset.
        bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
        try:
            text = data[bom:].decode("utf-8")
        except UnicodeDecodeError as error:
            offset = bom + error.start
            raise InputError(doc_id, f"not valid UTF-8 (byte 0x{data[offset]:02x} at offset {offset})") from error
    sample = text[:_BINARY_SAMPLE_CHARS]
    if len(_CONTROL.findall(sample)) > _BINARY_CONTROL_SHARE * len(sample):
        raise InputError(doc_id, "binary file (mostly control characters)")
    if not text.strip():
        raise InputError(doc_id, "only whitespace")
    return text


def _line_spans(source: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _NEWLINE.finditer(source):
        yield start, match.start()
        start = match.end()
    yield start, len(source)


# --------------------------------------------------------------------------- lines with provenance


@dataclass(frozen=True, slots=True)
class _Run:
    text: str
    source: int | None  # where the run starts in the source file; None for text that is not in it


@dataclass(frozen=True, slots=True)
class _Line:
    """A line of candidate article text and where each part of it came from."""

    runs: tuple[_Run, ...]

    @staticmethod
    def verbatim(text: str, source: int) -> _Line:
        return _Line((_Run(text, source),))

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    def select(self, spans: Iterable[tuple[int, int]]) -> _Line:
        """The line made of only the ``(start, end)`` character ranges given, in order."""
        selected: list[_Run] = []
        for start, end in spans:
            offset = 0
            for run in self.runs:
                low, high = max(start - offset, 0), min(end - offset, len(run.text))
                if low < high:
                    source = None if run.source is None else run.source + low
                    selected.append(_Run(run.text[low:high], source))
                offset += len(run.text)
        return _Line(tuple(selected))

    def strip(self) -> _Line:
        text = self.text
        start = len(text) - len(text.lstrip())
        return self.select([(start, len(text.rstrip()))])


def _clean(
    lines: list[_Line], *, markdown: bool, html_lines: bool
) -> tuple[TextMetadata, str, list[TextPiece]]:
    """Drop header, dateline and junk lines; join what is left into paragraphs."""
    texts = [line.text for line in lines]
    header = extract_text_metadata(texts)
    dropped = header.consumed_lines | boilerplate.junk_lines(texts, header.consumed_lines)
    paragraphs: list[list[_Line]] = []
    open_paragraph = False
    for index, line in enumerate(lines):
        text = texts[index]
        if index in dropped or not text.strip():
            open_paragraph = False
            continue
        skip = header.dateline.length if header.dateline and index == header.dateline_line else 0
        spans = boilerplate.markdown_spans(text) if markdown else [(0, len(text))]
        kept = line.select((max(start, skip), end) for start, end in spans if end > skip).strip()
        if not kept.runs:
            open_paragraph = False
            continue
        block = _BLOCK_LINE.match(text) is not None
        if html_lines:
            continues = open_paragraph and not block and _LOWER_START.match(kept.text) is not None
        else:
            continues = open_paragraph and not block
        if continues:
            paragraphs[-1].append(kept)
        else:
            paragraphs.append([kept])
        # A text line ending a sentence is a paragraph of its own (one paragraph per line is common).
        open_paragraph = not block and not boilerplate.has_sentence_end(kept.text)
    text, pieces = _assemble(paragraphs)
    return header, text, pieces


def _assemble(paragraphs: list[list[_Line]]) -> tuple[str, list[TextPiece]]:
    """Join paragraphs with a blank line and lines with a newline; those separators map to no source."""
    parts: list[str] = []
    spans: list[list[int]] = []  # [text start, source start, length], grown while both sides stay contiguous
    position = 0
    for paragraph_index, paragraph in enumerate(paragraphs):
        for line_index, line in enumerate(paragraph):
            separator = "\n" if line_index else "\n\n" if paragraph_index else ""
            parts.append(separator)
            position += len(separator)
            for run in line.runs:
                if run.source is not None and run.text:
                    last = spans[-1] if spans else None
                    if last and last[0] + last[2] == position and last[1] + last[2] == run.source:
                        last[2] += len(run.text)
                    else:
                        spans.append([position, run.source, len(run.text)])
                parts.append(run.text)
                position += len(run.text)
    pieces = [TextPiece(text_start=start, source_start=source, length=length) for start, source, length in spans]
    return "".join(parts), pieces


# --------------------------------------------------------------------------- HTML


def _html_document(path: Path, doc_id: str, source: str) -> Document:
    extracted = _extract_html_text(source)
    if not extracted:
        raise InputError(doc_id, "no article text could be extracted from the HTML")
    view = _HtmlView(source)
    lines = view.align([line for line in extracted.split("\n") if line.strip()])
    header, text, pieces = _clean(lines, markdown=False, html_lines=True)
    if not text.strip():
        raise InputError(doc_id, "no article text left after removing headers and page junk")
    # The agency in a dateline names who reported the story; the page's own metadata comes next.
    dateline_outlet = DocumentMeta(outlet=header.dateline.outlet if header.dateline else None)
    return Document(
        doc_id=doc_id,
        path=str(path),
        format="html",
        meta=merge_meta(dateline_outlet, extract_html_metadata(source), header.meta),
        source=source,
        text=text,
        pieces=pieces,
    )


def _extract_html_text(source: str) -> str | None:
    """Main text, one paragraph a line; precision first, recall when precision keeps nothing."""
    import trafilatura  # a quarter of a second to import, paid only when there is HTML to read

    for favor_precision in (True, False):
        extracted = trafilatura.extract(
            source,
            output_format="txt",
            favor_precision=favor_precision,
            favor_recall=not favor_precision,
            include_comments=False,
            include_tables=False,
            include_links=False,
            include_images=False,
            with_metadata=False,
        )
        if extracted and extracted.strip():
            return extracted
    return None


# An unquoted '<' ends a tag that has no '>' yet: otherwise a page of unclosed "<p<p<p" is
# rescanned to its end from every '<' (quadratic time).
_HTML_TOKEN = re.compile(
    r"""
      (?P<hidden><!--.*?(?:-->|\Z)
        | <(?P<raw>script|style|noscript|template|svg)\b.*?(?:</(?P=raw)\s*>|\Z)
        | <![^<>]*> | <\?[^<>]*>)
    | (?P<tag></?(?P<name>[A-Za-z][\w:-]*)(?:[^<>"']|"[^"]*"|'[^']*')*>)
    | (?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?)
    | (?P<text>[^<&]+|[<&])
    """,
    re.VERBOSE | re.DOTALL | re.IGNORECASE,
)
# Tags that separate words when rendered, so the text on either side never runs together.
_BLOCK_TAGS = frozenset(
    """
    address article aside blockquote br dd div dl dt figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr
    li main nav ol p pre section table tbody td tfoot th thead title tr ul
    """.split()
)
_WORD = re.compile(r"\S+")
_SPACE = re.compile(r"\s+")
_WORD_WINDOW = 2_000


class _HtmlView:
    """The text of an HTML page (tags dropped, entities decoded) with a map back to source offsets."""

    def __init__(self, source: str) -> None:
        parts: list[str] = []
        # Verbatim stretches as (view start, source start, length); decoded entities and separators have none.
        self._starts: list[int] = []
        self._segments: list[tuple[int, int, int]] = []
        length = 0
        for match in _HTML_TOKEN.finditer(source):
            kind = match.lastgroup
            if kind == "text":
                self._starts.append(length)
                self._segments.append((length, match.start(), match.end() - match.start()))
                parts.append(match["text"])
                length += match.end() - match.start()
            elif kind == "entity":
                decoded = html.unescape(match["entity"])
                parts.append(decoded)
                length += len(decoded)
            elif kind == "tag" and match["name"].lower() in _BLOCK_TAGS:
                parts.append(" ")
                length += 1
        self.text = "".join(parts)

    def align(self, paragraphs: Sequence[str]) -> list[_Line]:
        """Each extracted paragraph as a line whose runs point at the source where found.

        A paragraph is first searched as a whole, allowing any whitespace
        between its words; failing that, word by word near the previous match.
        Text found nowhere becomes runs without a source, which map to the
        nearest found text.
        """
        lines: list[_Line] = []
        cursor = 0
        for paragraph in paragraphs:
            words = list(_WORD.finditer(paragraph))
            positions = self._find_words([word.group() for word in words], cursor)
            found: list[tuple[int, int, int]] = []  # (paragraph offset, view offset, length)
            if positions is not None:
                found = [(word.start(), at, len(word.group())) for word, at in zip(words, positions)]
            else:
                for word in words:
                    at = self._find_word(word.group(), cursor, cursor + _WORD_WINDOW if found else None)
                    if at is not None:
                        found.append((word.start(), at, len(word.group())))
            if found:
                cursor = found[-1][1] + found[-1][2]
            lines.append(self._line(paragraph, self._with_gaps(paragraph, found)))
        return lines

    def _find_words(self, words: Sequence[str], start: int) -> list[int] | None:
        """View offsets of ``words`` occurring in a row, separated by whitespace only."""
        at = self.text.find(words[0], start)
        while at >= 0:
            positions = [at]
            position = at + len(words[0])
            for word in words[1:]:
                space = _SPACE.match(self.text, position)
                if space is None or not self.text.startswith(word, space.end()):
                    break
                positions.append(space.end())
                position = space.end() + len(word)
            else:
                return positions
            at = self.text.find(words[0], at + 1)
        return None

    def _find_word(self, word: str, start: int, stop: int | None) -> int | None:
        """Next occurrence of ``word`` not glued to other letters or digits."""
        end = len(self.text) if stop is None else min(stop, len(self.text))
        at = self.text.find(word, start, end)
        while at >= 0:
            before = self.text[at - 1] if at > 0 else " "
            after = self.text[at + len(word)] if at + len(word) < len(self.text) else " "
            if not (before.isalnum() and word[0].isalnum()) and not (after.isalnum() and word[-1].isalnum()):
                return at
            at = self.text.find(word, at + 1, end)
        return None

    def _with_gaps(self, paragraph: str, found: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
        """Extend word matches over the whitespace between them where page and paragraph agree."""
        merged: list[tuple[int, int, int]] = []
        for offset, at, length in found:
            if merged:
                last_offset, last_at, last_length = merged[-1]
                gap = paragraph[last_offset + last_length : offset]
                if gap == self.text[last_at + last_length : at]:
                    merged[-1] = (last_offset, last_at, offset + length - last_offset)
                    continue
            merged.append((offset, at, length))
        return merged

    def _line(self, paragraph: str, found: list[tuple[int, int, int]]) -> _Line:
        runs: list[_Run] = []
        position = 0
        for offset, at, length in found:
            if offset > position:
                runs.append(_Run(paragraph[position:offset], None))
            runs.extend(self._source_runs(paragraph[offset : offset + length], at))
            position = offset + length
        if position < len(paragraph):
            runs.append(_Run(paragraph[position:], None))
        return _Line(tuple(runs))

    def _source_runs(self, text: str, at: int) -> Iterator[_Run]:
        """Runs for ``text`` found at view offset ``at``, split where the page is not verbatim."""
        end = at + len(text)
        position = at
        index = max(bisect.bisect_right(self._starts, at) - 1, 0)
        while position < end and index < len(self._segments):
            view_start, source_start, length = self._segments[index]
            if view_start >= end:
                break
            if view_start + length > position:
                low = max(position, view_start)
                high = min(end, view_start + length)
                if low > position:
                    yield _Run(text[position - at : low - at], None)
                yield _Run(text[low - at : high - at], source_start + low - view_start)
                position = high
            index += 1
        if position < end:
            yield _Run(text[position - at :], None)
