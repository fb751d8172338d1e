"""Inputs that cannot break the checker: odd bytes, odd files, odd directories, odd command lines.

Properties over ingestion and segmentation (hypothesis, bounded to stay fast):

* nothing raises out of ``load_corpus`` except :class:`InputError` for a missing path;
* every bad file is listed in ``skipped`` with a non-empty reason, and good files next to it load;
* every sentence's text is ``document.text[start:end]`` and locates inside the source;
* document ids are unique and sorted the same way on every run.

The command-line tests at the end check that bad files never turn a run into exit code 2 and
that usage errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from checker.errors import InputError
from checker.ingest import document_from_text, load_corpus, load_document
from checker.models import Corpus, Document, Sentence
from checker.pipeline import check_paths
from checker.reporters import RenderOptions, get_reporter, reporter_names
from checker.segment import MAX_SENTENCE_CHARS, segment
from cli import app

ROOT = Path(__file__).resolve().parents[1]
BAD_INPUTS = ROOT / "fixtures" / "bad-inputs"

GOOD_TEXT = (
    "Officials said the harbor bridge reopened on Sunday after 14 weeks of repairs.\n"
    "The work cost $38.5 million, the city said.\n"
)
GOOD_HTML = (
    "<html><head><title>Bridge reopens</title></head><body><article>"
    "<p>Officials said the harbor bridge reopened on Sunday after 14 weeks of repairs.</p>"
    "<p>The work cost $38.5 million, the city said, and about 2,000 cars crossed it on the first day.</p>"
    "</article></body></html>"
)
SUFFIXES = [".txt", ".md", ".markdown", ".html", ".htm"]

def bounded(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


# --------------------------------------------------------------------------- invariants


def assert_document_sound(document: Document, *, locate_every: int = 1) -> list[Sentence]:
    """Pieces are verbatim; sentences are exact slices of the text that locate inside the source."""
    assert document.text.strip()
    for piece in document.pieces:
        assert 0 <= piece.source_start and piece.source_start + piece.length <= len(document.source)
        text = document.text[piece.text_start : piece.text_start + piece.length]
        assert document.source[piece.source_start : piece.source_start + piece.length] == text
    sentences = segment(document)
    assert [sentence.index for sentence in sentences] == list(range(len(sentences)))
    previous_end = 0
    for number, sentence in enumerate(sentences):
        assert sentence.doc_id == document.doc_id
        assert previous_end <= sentence.start < sentence.end <= len(document.text)
        assert sentence.text == document.text[sentence.start : sentence.end]
        assert len(sentence.text) <= MAX_SENTENCE_CHARS
        previous_end = sentence.end
        if number % locate_every and number != len(sentences) - 1:
            continue
        location = document.locate(sentence.start, sentence.end)
        assert 0 <= location.start <= location.end <= len(document.source)
        assert location.line >= 1 and location.column >= 1
        assert (location.line, location.column) <= (location.end_line, location.end_column)
    return sentences


def assert_corpus_sound(corpus: Corpus) -> None:
    """For one directory argument: unique ids, sorted by path parts, reasons given, documents sound."""
    ids = [document.doc_id for document in corpus.documents]
    skipped = [entry.path for entry in corpus.skipped]
    assert len(set(ids) | set(skipped)) == len(ids) + len(skipped)
    assert ids == sorted(ids, key=lambda doc_id: Path(doc_id).parts)
    assert skipped == sorted(skipped, key=lambda path: Path(path).parts)
    for entry in corpus.skipped:
        assert entry.reason.strip(), entry
    for document in corpus.documents:
        assert_document_sound(document)


def load_one(directory: Path, name: str, data: bytes) -> tuple[Corpus, Document | None, str | None]:
    """Write ``data`` as ``name`` beside a good article; load; return the corpus and the file's outcome."""
    (directory / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (directory / name).write_bytes(data)
    corpus = load_corpus([directory])
    assert_corpus_sound(corpus)
    assert "good.txt" in [document.doc_id for document in corpus.documents]
    documents = [document for document in corpus.documents if document.doc_id == name]
    reasons = [entry.reason for entry in corpus.skipped if entry.path == name]
    assert len(documents) + len(reasons) == 1, "the file is either loaded or skipped, exactly once"
    return corpus, (documents[0] if documents else None), (reasons[0] if reasons else None)


# --------------------------------------------------------------------------- bytes


def _utf16(text: str, big_endian: bool) -> bytes:
    return codecs.BOM_UTF16_BE + text.encode("utf-16-be") if big_endian else codecs.BOM_UTF16_LE + text.encode("utf-16-le")


_TEXTISH = st.text(max_size=400)
ANY_BYTES = st.one_of(
    st.binary(max_size=2048),
    _TEXTISH.map(lambda text: text.encode("utf-8")),
    st.tuples(_TEXTISH, st.booleans()).map(lambda pair: _utf16(*pair)),
    st.tuples(st.binary(max_size=64), _TEXTISH, st.binary(max_size=64)).map(
        lambda parts: parts[0] + parts[1].encode("utf-8") + parts[2]
    ),
)


@bounded(120)
@given(data=ANY_BYTES, suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_never_escape_load_corpus(tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str) -> None:
    load_one(tmp_path_factory.mktemp("bytes"), f"story{suffix}", data)


_NO_NUL = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=200)
_INVALID_UTF8 = [b"\x80", b"\xbf", b"\xc0\xaf", b"\xc1", b"\xed\xa0\x80", b"\xf5", b"\xfe", b"\xff", b"\xe2\x82"]


@bounded(60)
@given(prefix=_NO_NUL, bad=st.sampled_from(_INVALID_UTF8), suffix=_NO_NUL)
def test_invalid_utf8_is_skipped_naming_the_first_bad_byte(
    tmp_path_factory: pytest.TempPathFactory, prefix: str, bad: bytes, suffix: str
) -> None:
    head = prefix.encode("utf-8")
    _, document, reason = load_one(tmp_path_factory.mktemp("utf8"), "bad.txt", head + bad + suffix.encode("utf-8"))
    assert document is None
    assert reason == f"not valid UTF-8 (byte 0x{bad[0]:02x} at offset {len(head)})"


@bounded(60)
@given(text=st.text(max_size=300), big_endian=st.booleans(), suffix=st.sampled_from([".txt", ".md"]))
def test_utf16_with_bom_decodes_to_the_same_text(
    tmp_path_factory: pytest.TempPathFactory, text: str, big_endian: bool, suffix: str
) -> None:
    _, document, reason = load_one(tmp_path_factory.mktemp("utf16"), f"wide{suffix}", _utf16(text, big_endian))
    if document is not None:
        assert document.source == text
    else:
        assert reason in {
            "empty file",
            "only whitespace",
            "binary file (mostly control characters)",
            "no article text left after removing headers and page junk",
        }


@pytest.mark.parametrize("big_endian", [False, True])
def test_utf16_article_loads_and_broken_utf16_is_skipped(tmp_path: Path, big_endian: bool) -> None:
    corpus, document, _ = load_one(tmp_path, "wide.txt", _utf16(GOOD_TEXT, big_endian))
    assert document is not None and document.source == GOOD_TEXT
    assert document.text == GOOD_TEXT.strip().replace("\n", "\n\n")
    (tmp_path / "odd.txt").write_bytes(_utf16(GOOD_TEXT, big_endian)[:-1])  # half a code unit at the end
    (tmp_path / "surrogate.txt").write_bytes(_utf16("ok", big_endian) + (b"\xd8\x00" if big_endian else b"\x00\xd8") * 2)
    corpus = load_corpus([tmp_path])
    reasons = {entry.path: entry.reason for entry in corpus.skipped}
    assert reasons["odd.txt"].startswith("not valid UTF-16 (at offset ")
    assert reasons["surrogate.txt"].startswith("not valid UTF-16 (at offset ")
    assert [document.doc_id for document in corpus.documents] == ["good.txt", "wide.txt"]


@bounded(60)
@given(text=st.text(max_size=300), where=st.integers(min_value=0), nuls=st.integers(min_value=1, max_value=4))
def test_nul_bytes_mean_binary(tmp_path_factory: pytest.TempPathFactory, text: str, where: int, nuls: int) -> None:
    data = text.encode("utf-8")
    where %= len(data) + 1
    _, document, reason = load_one(tmp_path_factory.mktemp("nul"), "nul.md", data[:where] + b"\x00" * nuls + data[where:])
    assert document is None
    assert reason == "binary file (contains NUL bytes)"


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_empty_files_are_skipped(tmp_path: Path, suffix: str) -> None:
    _, document, reason = load_one(tmp_path, f"empty{suffix}", b"")
    assert document is None and reason == "empty file"


# --------------------------------------------------------------------------- a 10 MB single line

TEN_MB = 10 * 1024 * 1024
UNBROKEN = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def ten_megabyte_lines(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("ten-mb")
    sentence = (
        "The port authority said on Tuesday that cargo volumes rose 12% in January to 1.4 million containers, "
        "the third monthly gain in a row, as shipping lines that had avoided the harbor during the winter storms "
        "returned and two new cranes went into service at the northern terminal, officials said. "
    )
    prose = (sentence * (TEN_MB // len(sentence) + 1))[:TEN_MB]
    (directory / "prose.txt").write_bytes(prose.encode("ascii"))  # one line: no newline anywhere
    (directory / "unbroken.txt").write_bytes(b"x" * UNBROKEN)  # no space, no punctuation
    (directory / "blank.txt").write_bytes(b" " * TEN_MB)
    return directory


def test_ten_megabyte_single_line_loads_and_segments(ten_megabyte_lines: Path) -> None:
    corpus = load_corpus([ten_megabyte_lines])
    assert [document.doc_id for document in corpus.documents] == ["prose.txt", "unbroken.txt"]
    assert [(entry.path, entry.reason) for entry in corpus.skipped] == [("blank.txt", "only whitespace")]
    prose, unbroken = corpus.documents
    assert len(prose.source) == TEN_MB and "\n" not in prose.source
    # Locating a sentence counts lines up to it, so sample the sentences located; slices are checked for all.
    assert_document_sound(prose, locate_every=5_000)
    sentences = assert_document_sound(unbroken, locate_every=500)
    assert len(sentences) == -(-UNBROKEN // MAX_SENTENCE_CHARS)
    assert all(len(sentence.text) == MAX_SENTENCE_CHARS for sentence in sentences[:-1])


class _RefusingEmbedder:
    """Fails the test if asked for a vector."""

    name = "refusing"

    def encode(self, texts: list[str]) -> np.ndarray:
        assert not texts, f"asked to embed {len(texts)} sentences"
        return np.zeros((0, 4), dtype=np.float32)


@pytest.mark.model  # no embedding model, but the frames stage loads the spaCy pipeline
def test_a_lone_long_document_is_checked_without_embedding(tmp_path: Path) -> None:
    # A 10 MB file is 100,000+ sentences; alone, it has nothing to be compared with.
    sentence = "The port authority said cargo volumes rose 12% in January to 1.4 million containers. "
    (tmp_path / "long.txt").write_text(sentence * 5_000, encoding="utf-8")
    report = check_paths([tmp_path], embedder=_RefusingEmbedder()).report
    assert report.summary.sentences == 5_000
    assert report.summary.aligned_pairs == 0 and report.findings == []


# --------------------------------------------------------------------------- lines that used to take quadratic time

# Runs in a child process, so a regression fails on the timeout instead of hanging the suite.
_PATHOLOGICAL_RUNNER = """
import json, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from checker.errors import InputError
from checker.ingest import load_document
from checker.segment import segment
head = "<html><body><article><p>Officials said the harbor bridge reopened on Sunday after 14 weeks.</p></article>"
seconds = {}
with tempfile.TemporaryDirectory() as scratch:
    for suffix, pattern in json.loads(sys.argv[2]):
        body = pattern * (int(sys.argv[3]) // len(pattern))
        path = Path(scratch, "page" + suffix)
        path.write_text(head + body if suffix == ".html" else body, encoding="utf-8")
        started = time.perf_counter()
        try:
            segment(load_document(path, path.name))
        except InputError:
            pass
        seconds[suffix + " " + pattern] = round(time.perf_counter() - started, 3)
print(json.dumps(seconds))
"""
# Each of these, 100,000 characters on one line, took from 10 s to many minutes before the fix
# named beside it; after it they take well under a second.
PATHOLOGICAL_LINES = [
    (".txt", "!"),  # segment._CANDIDATE: a run of '!' without a space
    (".txt", "?."),
    (".md", "..."),
    (".txt", "["),  # ingest._MARKDOWN_HINT: unclosed link labels
    (".md", "!["),  # boilerplate._INLINE: unclosed image alt text
    (".txt", "[!["),
    (".md", "<!--"),  # boilerplate._INLINE: unclosed comments
    (".md", "<http://"),  # boilerplate._INLINE: unclosed autolinks
    (".html", "<p"),  # ingest._HTML_TOKEN: tags that never get their '>'
    (".html", "<!"),
    (".html", "<?"),
    (".html", "<a\n"),
    (".html", "<a href='x' "),
]


def test_pathological_lines_take_linear_time() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", _PATHOLOGICAL_RUNNER, str(ROOT), json.dumps(PATHOLOGICAL_LINES), "100000"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    seconds = json.loads(completed.stdout)
    assert len(seconds) == len(PATHOLOGICAL_LINES)
    slow = {pattern: time for pattern, time in seconds.items() if time > 5}
    assert not slow, f"superlinear on one long line: {slow}"


# --------------------------------------------------------------------------- segmentation of any text

_SEGMENT_ALPHABET = st.sampled_from(
    list("abcXYZ019 \t\n\r.!?…;:,\"'“”‘’()[]«»—-–$%") + ["U.S.", "Mr.", "p.m.", "...", "\n\n", "\u2028", "\u00a0", "é", "漢"]
)


@bounded(150)
@given(text=st.one_of(st.text(max_size=600), st.lists(_SEGMENT_ALPHABET, max_size=300).map("".join)))
def test_any_text_segments_into_exact_slices(text: str) -> None:
    try:
        document = document_from_text(text, "doc.txt")
    except InputError as error:
        assert error.reason
        return
    assert_document_sound(document)


@bounded(20)
@given(words=st.lists(st.sampled_from(["word", "word.", "Mr.", "U.S.", "x;", "…"]), min_size=300, max_size=800))
def test_long_runs_are_cut_to_bounded_sentences(words: list[str]) -> None:
    document = document_from_text(" ".join(words), "long.txt")
    assert_document_sound(document)


# --------------------------------------------------------------------------- HTML

_UNCLOSED = ["html", "head", "body", "div", "p", "span", "article", "section", "main", "li", "ul", "table", "td", "b",
             "a href='/x'", "h1", "h2", "blockquote", "figure", "figcaption", "nav", "footer", "title", "textarea"]
_PROSE = [
    "Officials said the harbor bridge reopened on Sunday after 14 weeks of repairs.",
    "The work cost $38.5 million, the city said.",
    "About 2,000 cars crossed it on the first day &amp; traffic was light.",
    "Share this story",
    "",
    "Related",
]


@bounded(50)
@given(parts=st.lists(st.tuples(st.sampled_from(_UNCLOSED), st.sampled_from(_PROSE)), max_size=25))
def test_html_that_never_closes_its_tags(tmp_path_factory: pytest.TempPathFactory, parts: list[tuple[str, str]]) -> None:
    page = "".join(f"<{tag}>{text}\n" for tag, text in parts)
    _, document, reason = load_one(tmp_path_factory.mktemp("unclosed"), "page.html", page.encode("utf-8"))
    if document is None:
        assert reason in {
            "no article text could be extracted from the HTML",
            "no article text left after removing headers and page junk",
            "only whitespace",
            "empty file",
        }


def test_unclosed_fixture_page_is_read(tmp_path: Path) -> None:
    document = load_document(BAD_INPUTS / "broken.html", "broken.html")
    assert "$2.4 billion for desalination plants" in document.text
    assert "Share this story" not in document.text
    assert_document_sound(document)


_SCRIPT_BODY = st.lists(
    st.sampled_from(
        [
            'var story = "Officials said the harbor bridge reopened on Sunday after 14 weeks of repairs.";',
            "document.write('The work cost $38.5 million, the city said.');",
            "body { color: red; } p.lead { font-size: 120%; }",
            "/* About 2,000 cars crossed it on the first day. */",
            "window.dataLayer = window.dataLayer || []; if (a < b && c > d) { go(); }",
            "\n",
        ]
    ),
    max_size=8,
).map("\n".join)


@bounded(40)
@given(
    blocks=st.lists(st.tuples(st.sampled_from(["script", "style", "script type='application/ld+json'"]), _SCRIPT_BODY),
                    min_size=1, max_size=5),
    wrap=st.booleans(),
    close_last=st.booleans(),
)
def test_html_with_only_scripts_and_styles_is_skipped(
    tmp_path_factory: pytest.TempPathFactory, blocks: list[tuple[str, str]], wrap: bool, close_last: bool
) -> None:
    rendered = [f"<{tag}>{body}</{tag.split()[0]}>" for tag, body in blocks]
    if not close_last:
        rendered[-1] = rendered[-1].rsplit("</", 1)[0]
    page = "".join(rendered)
    if wrap:
        page = f"<!DOCTYPE html><html><head>{page}</head><body>{''.join(rendered)}</body></html>"
    _, document, reason = load_one(tmp_path_factory.mktemp("scripts"), "scripts.html", page.encode("utf-8"))
    assert document is None
    assert reason == "no article text could be extracted from the HTML"


# --------------------------------------------------------------------------- directories

# name suffix, bytes, expected skip reason (None: the file loads)
FILE_KINDS: dict[str, tuple[str, bytes, str | None]] = {
    "good-text": (".txt", GOOD_TEXT.encode("utf-8"), None),
    "good-markdown": (".md", b"# Bridge reopens\n\n**Jane Roe**\n\n" + GOOD_TEXT.encode("utf-8"), None),
    "good-html": (".html", GOOD_HTML.encode("utf-8"), None),
    "good-utf16": (".txt", _utf16(GOOD_TEXT, big_endian=False), None),
    "good-crlf": (".txt", GOOD_TEXT.replace("\n", "\r\n").encode("utf-8"), None),
    "empty": (".txt", b"", "empty file"),
    "whitespace": (".md", b" \n\t\r\n ", "only whitespace"),
    "binary": (".txt", (BAD_INPUTS / "binary.txt").read_bytes(), "binary file (contains NUL bytes)"),
    "controls": (".txt", bytes(range(1, 9)) * 40 + b"abc", "binary file (mostly control characters)"),
    "latin1": (".txt", (BAD_INPUTS / "latin1.txt").read_bytes(), "not valid UTF-8 (byte 0xe9 at offset 3)"),
    "rtf": (".rtf", (BAD_INPUTS / "notes.rtf").read_bytes(), "unsupported file type '.rtf'"),
    "no-extension": ("", GOOD_TEXT.encode("utf-8"), "unsupported file type (no extension)"),
    "scripts-only": (".html", b"<html><script>var x = 'The bridge reopened.';</script><style>p{}</style></html>",
                     "no article text could be extracted from the HTML"),
    "only-junk": (".txt", b"View\nShare\n", "no article text left after removing headers and page junk"),
}


@bounded(40)
@given(
    layout=st.lists(
        st.tuples(st.sampled_from(sorted(FILE_KINDS)), st.sampled_from(["", "a/", "a/b/", "z/", "A b/"])),
        min_size=1,
        max_size=10,
    )
)
def test_directory_mixing_good_and_bad_files(
    tmp_path_factory: pytest.TempPathFactory, layout: list[tuple[str, str]]
) -> None:
    root = tmp_path_factory.mktemp("mixed")
    expected_loaded: set[str] = set()
    expected_skipped: dict[str, str] = {}
    for number, (kind, folder) in enumerate(layout):
        suffix, data, reason = FILE_KINDS[kind]
        relative = f"{folder}{number:02d}-{kind}{suffix}"
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
        if reason is None:
            expected_loaded.add(relative)
        else:
            expected_skipped[relative] = reason
    corpus = load_corpus([root])
    assert_corpus_sound(corpus)
    assert {document.doc_id for document in corpus.documents} == expected_loaded
    assert {entry.path: entry.reason for entry in corpus.skipped} == expected_skipped
    assert load_corpus([root]) == corpus, "a second run gives the same corpus, in the same order"


def test_deeply_nested_directories(tmp_path: Path) -> None:
    depth = 60
    relative = Path(*[f"level-{level:02d}" for level in range(depth)])
    (tmp_path / relative).mkdir(parents=True)
    (tmp_path / relative / "deep.txt").write_text(GOOD_TEXT, encoding="utf-8")
    middle = Path(*relative.parts[:30])
    (tmp_path / middle / "empty.md").write_bytes(b"")
    (tmp_path / middle / "story.md").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "top.txt").write_text(GOOD_TEXT, encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert_corpus_sound(corpus)
    assert [document.doc_id for document in corpus.documents] == [
        (relative / "deep.txt").as_posix(),
        (middle / "story.md").as_posix(),
        "top.txt",
    ]
    assert [(entry.path, entry.reason) for entry in corpus.skipped] == [((middle / "empty.md").as_posix(), "empty file")]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_symlink_loops_terminate_and_each_file_loads_once(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "story.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "sub" / "self").symlink_to(".", target_is_directory=True)
    (tmp_path / "sub" / "up").symlink_to("..", target_is_directory=True)
    (tmp_path / "root").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "a.txt").symlink_to("b.txt")  # a file-level loop: a -> b -> a
    (tmp_path / "b.txt").symlink_to("a.txt")
    (tmp_path / "dangling.md").symlink_to("missing.md")
    corpus = load_corpus([tmp_path])
    assert_corpus_sound(corpus)
    assert [document.doc_id for document in corpus.documents] == ["sub/story.txt"]
    assert {entry.path: entry.reason for entry in corpus.skipped} == {
        "a.txt": "cannot read file (too many levels of symbolic links)",
        "b.txt": "cannot read file (too many levels of symbolic links)",
        "dangling.md": "cannot read file (no such file or directory)",
    }
    assert load_corpus([tmp_path / "sub"]).documents[0].doc_id == "story.txt"


@pytest.mark.skipif(os.name != "posix", reason="needs POSIX permissions")
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="running as root: permissions do not stop root reading")
def test_unreadable_file_and_directory_with_real_permissions(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "secret.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "inner.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "secret.txt").chmod(0)
    (tmp_path / "locked").chmod(0)
    try:
        corpus = load_corpus([tmp_path])
    finally:
        (tmp_path / "secret.txt").chmod(0o600)
        (tmp_path / "locked").chmod(0o700)
    assert_corpus_sound(corpus)
    assert [document.doc_id for document in corpus.documents] == ["good.txt"]
    assert {entry.path: entry.reason for entry in corpus.skipped} == {
        "locked": "cannot read directory (permission denied)",
        "secret.txt": "cannot read file (permission denied)",
    }


@pytest.mark.parametrize("method", ["read_bytes", "stat"])
def test_permission_error_is_a_skip_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str) -> None:
    (tmp_path / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "secret.md").write_text(GOOD_TEXT, encoding="utf-8")
    real = getattr(Path, method)

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "secret.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, method, refuse)
    corpus = load_corpus([tmp_path])
    assert [document.doc_id for document in corpus.documents] == ["good.txt"]
    assert [(entry.path, entry.reason) for entry in corpus.skipped] == [
        ("nested/secret.md", "cannot read file (permission denied)")
    ]


_NAME_BYTES = st.binary(min_size=1, max_size=24).filter(lambda name: b"/" not in name and b"\x00" not in name)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
@bounded(40)
@given(names=st.lists(_NAME_BYTES, min_size=1, max_size=6, unique=True))
def test_file_names_of_any_bytes_give_printable_unique_ids(
    tmp_path_factory: pytest.TempPathFactory, names: list[bytes]
) -> None:
    root = tmp_path_factory.mktemp("names")
    for name in names:
        (root / os.fsdecode(name + b".txt")).write_bytes(GOOD_TEXT.encode("utf-8"))
    corpus = load_corpus([root])
    assert_corpus_sound(corpus)
    assert corpus.skipped == []
    assert len(corpus.documents) == sum(not name.startswith(b".") for name in names)  # hidden files are ignored
    for document in corpus.documents:
        document.doc_id.encode("utf-8")  # a report is UTF-8: a surrogate escape here would crash the writer
    assert load_corpus([root]) == corpus


class _FlatEmbedder:
    """Same vector for every sentence: enough to run the pipeline without the model."""

    name = "flat"

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.full((len(texts), 4), 0.5, dtype=np.float32)


@pytest.mark.parametrize("output_format", reporter_names())
@pytest.mark.model  # no embedding model, but the spaCy pipeline parses the aligned sentences
@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
def test_report_with_undecodable_file_names_can_be_written(tmp_path: Path, output_format: str) -> None:
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_text(GOOD_TEXT, encoding="utf-8")
    (tmp_path / os.fsdecode(b"caf\xe9-2.txt")).write_text(GOOD_TEXT.replace("14 weeks", "15 weeks"), encoding="utf-8")
    (tmp_path / os.fsdecode(b"notes\xff.rtf")).write_bytes(b"{\\rtf1 text}")
    (tmp_path / os.fsdecode(b"empty\xff.txt")).write_bytes(b"")
    report = check_paths([tmp_path], embedder=_FlatEmbedder()).report
    assert [document.doc_id for document in report.documents] == ["caf\\xe9-2.txt", "caf\\xe9.txt"]
    assert {entry.path for entry in report.skipped} == {"empty\\xff.txt", "notes\\xff.rtf"}
    rendered = get_reporter(output_format).render(report, RenderOptions())
    rendered.encode("utf-8")


def test_missing_path_is_the_only_error(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD_TEXT, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_corpus([tmp_path, tmp_path / "missing"])
    assert raised.value.reason == "no such file or directory"
    assert raised.value.path == str(tmp_path / "missing")


# --------------------------------------------------------------------------- the command line


def run_cli(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output and "Traceback" not in result.stderr, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@pytest.mark.model
def test_cli_bad_inputs_fixture_checks_the_good_files() -> None:
    result = run_cli(str(BAD_INPUTS), "--format", "json")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert [document["doc_id"] for document in report["documents"]] == ["broken.html", "good.txt"]
    assert {entry["path"]: entry["reason"] for entry in report["skipped"]} == {
        "binary.txt": "binary file (contains NUL bytes)",
        "empty.txt": "empty file",
        "latin1.txt": "not valid UTF-8 (byte 0xe9 at offset 3)",
        "notes.rtf": "unsupported file type '.rtf'",
    }
    assert report["summary"]["skipped"] == 4
    assert report["summary"]["sentences"] > 0


@pytest.mark.model
def test_cli_directory_with_one_good_article_and_bad_files(tmp_path: Path) -> None:
    shutil.copy(BAD_INPUTS / "good.txt", tmp_path / "good.txt")
    bad = {
        "empty.md": (b"", "empty file"),
        "image.txt": ((BAD_INPUTS / "binary.txt").read_bytes(), "binary file (contains NUL bytes)"),
        "cafe.txt": ((BAD_INPUTS / "latin1.txt").read_bytes(), "not valid UTF-8 (byte 0xe9 at offset 3)"),
        "notes.rtf": ((BAD_INPUTS / "notes.rtf").read_bytes(), "unsupported file type '.rtf'"),
        "broken.html": (b"<html><body><div><script>var story = 'The treaty was signed.';",
                        "no article text could be extracted from the HTML"),
    }
    for name, (data, _) in bad.items():
        (tmp_path / name).write_bytes(data)
    result = run_cli(str(tmp_path), "--format", "json")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert [document["doc_id"] for document in report["documents"]] == ["good.txt"]
    assert report["documents"][0]["sentences"] == 3
    assert {entry["path"]: entry["reason"] for entry in report["skipped"]} == {name: reason for name, (_, reason) in bad.items()}
    assert result.stderr == ""


@pytest.mark.model
def test_cli_text_report_lists_skipped_files() -> None:
    result = run_cli(str(BAD_INPUTS))
    assert result.exit_code in (0, 1), result.output
    for name in ("binary.txt", "empty.txt", "latin1.txt", "notes.rtf"):
        assert name in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["{missing}"], "no such file or directory", id="missing-path"),
        pytest.param(["{bad}", "{missing}"], "no such file or directory", id="missing-path-after-good"),
        pytest.param(["--bogus", "{bad}"], "--bogus", id="unknown-option"),
        pytest.param(["{bad}", "-q"], "-q", id="unknown-short-option"),
        pytest.param([], "paths", id="no-arguments"),
        pytest.param(["{bad}/notes.rtf"], "unsupported file type '.rtf'", id="unsupported-file-argument"),
        pytest.param(["--threshold", "5", "{bad}"], "threshold", id="threshold-out-of-range"),
        pytest.param(["--format", "xml", "{bad}"], "unknown format", id="unknown-format"),
    ],
)
def test_cli_usage_and_input_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    values = {"missing": str(tmp_path / "missing"), "bad": str(BAD_INPUTS)}
    result = run_cli(*[arg.format(**values) for arg in args])
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("check: error:")
    assert message in lines[0]
    assert result.stdout == ""
