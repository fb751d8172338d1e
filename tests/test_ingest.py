"""Loading article files: formats, headers, page junk, offsets and bad input."""

from __future__ import annotations

import codecs
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker import boilerplate, ingest
from checker.errors import InputError
from checker.ingest import load_corpus, load_document
from checker.models import Document
from checker.segment import segment

DATA = Path(__file__).parent / "data" / "ingest"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def load(name: str) -> Document:
    return load_document(DATA / name, name)


def assert_pieces_verbatim(document: Document) -> None:
    for piece in document.pieces:
        assert 0 <= piece.source_start and piece.source_start + piece.length <= len(document.source)
        text = document.text[piece.text_start : piece.text_start + piece.length]
        assert document.source[piece.source_start : piece.source_start + piece.length] == text


def located(document: Document, phrase: str) -> str:
    start = document.text.index(phrase)
    location = document.locate(start, start + len(phrase))
    return document.source[location.start : location.end]


# --------------------------------------------------------------------------- formats and headers


@pytest.mark.parametrize(
    ("name", "format"),
    [
        ("plain_lines.txt", "text"),
        ("one_paragraph.txt", "text"),
        ("markdown_header.txt", "markdown"),  # Markdown saved as .txt is read as Markdown
        ("article.md", "markdown"),
        ("article.html", "html"),
        ("malformed.html", "html"),
    ],
)
def test_format(name: str, format: str) -> None:
    document = load(name)
    assert document.format == format
    assert document.doc_id == name
    assert document.path == str(DATA / name)
    assert_pieces_verbatim(document)


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        ("markdown_header.txt", "title", "Harbor bridge reopens after months of storm repairs"),
        ("markdown_header.txt", "author", "Maria Lindqvist"),
        ("markdown_header.txt", "published", "2024-02-11"),
        ("markdown_header.txt", "outlet", "Reuters"),
        ("markdown_header.txt", "url", "https://www.reuters.com/world/harbor-bridge-reopens-after-storm-repairs-2024-02-11/"),
        ("bloomberg_dateline.txt", "outlet", "Bloomberg"),
        ("bloomberg_dateline.txt", "published", "2024-02-11"),
        ("page_junk.txt", "title", "Harbor bridge reopens after repairs"),
        ("page_junk.txt", "outlet", "Associated Press"),
        ("page_junk.txt", "published", "2024-02-12"),
        ("article.md", "title", "Ferry service resumes on the northern route"),
        ("article.md", "author", "Jonas Weber"),
        ("article.md", "published", "2024-03-04"),
        ("article.html", "title", "Ferry service resumes on the northern route"),
        ("article.html", "outlet", "Example News"),
        ("article.html", "author", "Jonas Weber"),
        ("article.html", "published", "2024-03-04"),
        ("article.html", "url", "https://www.example-news.com/local/ferry-service-resumes"),
        ("malformed.html", "title", "Storm closes schools"),
        ("plain_lines.txt", "title", None),
    ],
)
def test_metadata(name: str, field: str, value: str | None) -> None:
    assert getattr(load(name).meta, field) == value


@pytest.mark.parametrize(
    ("name", "first_sentence"),
    [
        ("bloomberg_dateline.txt", "The port authority said cargo volumes rose 12% in January, the third monthly gain in a row."),
        ("page_junk.txt", "The Harbor Bridge reopened Sunday after repairs that took 14 weeks, officials said."),
        ("markdown_header.txt", "The Harbor Bridge reopened to traffic on Sunday after repairs that took 14 weeks and cost $38.5 million, city officials said."),
        ("one_paragraph.txt", "The harbor bridge is open again after a long repair."),
        ("article.html", "The ferry service resumed on Monday after a two-week pause, the operator said, and two new boats joined the route."),
        ("malformed.html", "Schools across the county closed on Tuesday as the storm brought 40 centimeters of snow, officials said."),
    ],
)
def test_text_starts_with_the_first_sentence(name: str, first_sentence: str) -> None:
    assert segment(load(name))[0].text == first_sentence


@pytest.mark.parametrize(
    ("name", "junk"),
    [
        ("markdown_header.txt", "REUTERS/Tomas Berg"),
        ("markdown_header.txt", "Workers inspect"),
        ("markdown_header.txt", "Reporting by"),
        ("markdown_header.txt", "https://"),
        ("markdown_header.txt", "**"),
        ("markdown_header.txt", "Maria Lindqvist"),
        ("bloomberg_dateline.txt", "(Bloomberg)"),
        ("bloomberg_dateline.txt", "Earlier:"),
        ("bloomberg_dateline.txt", "With assistance"),
        ("page_junk.txt", "Current:Home"),
        ("page_junk.txt", "View"),
        ("page_junk.txt", "Date:"),
        ("page_junk.txt", "(AP)"),
        ("page_junk.txt", "veryGood"),
        ("page_junk.txt", "Related"),
        ("page_junk.txt", "Dragonfly"),
        ("page_junk.txt", "hiking trails"),
        ("page_junk.txt", "Stargazers"),
        ("page_junk.txt", "robotics"),
        ("article.md", "title:"),
        ("article.md", "#"),
        ("article.md", "Read more"),
        ("article.md", "example-news.com"),
        ("article.md", "**"),
        ("article.html", "Related"),
        ("article.html", "Bus fares"),
        ("article.html", "Copyright"),
        ("article.html", "Home"),
    ],
)
def test_junk_is_not_article_text(name: str, junk: str) -> None:
    assert junk not in load(name).text


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("markdown_header.txt", "Mayor Ana Ruiz is also expected to tour the bridge on Monday"),
        ("article.md", "The ferry service resumed on Monday after a two-week pause"),
        ("article.md", "The operator added two boats to the route."),
        ("article.md", "in last year's peak season."),
        ("page_junk.txt", "Engineers said the storm damaged three of the 12 support columns."),
        ("article.html", "Tickets now cost $4.50 & passes cost $30"),
        ("article.html", "“We are back,” said operator spokeswoman Lena Fischer"),
    ],
)
def test_article_text_is_kept(name: str, kept: str) -> None:
    assert kept in load(name).text


# --------------------------------------------------------------------------- offsets


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("plain_lines.txt", "totaled nine hours"),
        ("plain_lines.txt", "“It took longer than we hoped.”"),
        ("one_paragraph.txt", "more than three months"),
        ("bloomberg_dateline.txt", "The port authority said"),
        ("markdown_header.txt", "cost $38.5 million"),
        ("markdown_header.txt", "expected to tour the"),
        ("markdown_header.txt", "expected to tour the bridge"),
        ("page_junk.txt", "The Harbor Bridge reopened Sunday"),
        ("article.md", "The ferry service resumed on"),
        ("article.md", "pause, the operator said."),
        ("article.md", "Tickets now cost $4.50"),
        ("article.html", "joined the route."),
        ("article.html", "The route carried 2,300 passengers a day last summer."),
        ("malformed.html", "About 12,000 students were affected"),
    ],
)
def test_phrase_maps_back_to_the_same_source_characters(name: str, phrase: str) -> None:
    assert located(load(name), phrase) == phrase


@pytest.mark.parametrize("name", ["plain_lines.txt", "one_paragraph.txt", "bloomberg_dateline.txt", "page_junk.txt"])
def test_every_sentence_maps_back_exactly(name: str) -> None:
    document = load(name)
    for sentence in segment(document):
        location = document.locate(sentence.start, sentence.end)
        assert document.source[location.start : location.end] == sentence.text


def test_link_maps_around_the_url() -> None:
    document = load("markdown_header.txt")
    source = located(document, "also expected to tour the bridge on Monday")
    assert source.startswith("also [expected to tour the bridge](https://")
    assert source.endswith(") on Monday")


def test_line_and_column() -> None:
    document = load("page_junk.txt")
    start = document.text.index("Mayor Ana Ruiz")
    location = document.locate(start, start + len("Mayor Ana Ruiz"))
    assert (location.line, location.column, location.end_line, location.end_column) == (6, 1, 6, 15)


def test_html_offsets_skip_tags_and_entities() -> None:
    document = load("article.html")
    assert_pieces_verbatim(document)
    source = located(document, "Tickets now cost $4.50 & passes cost $30")
    assert source == "Tickets now cost $4.50 &amp; passes cost $30"
    assert located(document, "after a two-week pause, the operator said, and two new") == (
        'after a two-week pause, the operator said, and <a href="/boats">two new'
    )


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(b"", "empty file", id="empty"),
        pytest.param(b"  \n\t\n  ", "only whitespace", id="whitespace"),
        pytest.param(b"Some text\x00\x01\x02 with NUL", "binary file (contains NUL bytes)", id="nul"),
        pytest.param(bytes(range(1, 9)) * 50 + b"abc", "binary file (mostly control characters)", id="control"),
        pytest.param(b"Caf\xe9 au lait.", "not valid UTF-8 (byte 0xe9 at offset 3)", id="latin-1"),
        pytest.param(codecs.BOM_UTF8 + b"ab\xff", "not valid UTF-8 (byte 0xff at offset 5)", id="bom-then-bad"),
        pytest.param(b"View\nShare\n", "no article text left after removing headers and page junk", id="only-junk"),
    ],
)
def test_bad_files_are_skipped_next_to_good_ones(tmp_path: Path, content: bytes, reason: str) -> None:
    (tmp_path / "bad.txt").write_bytes(content)
    (tmp_path / "good.txt").write_text("Officials said the bridge reopened on Sunday.\n", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert [document.doc_id for document in corpus.documents] == ["good.txt"]
    assert [(skipped.path, skipped.reason) for skipped in corpus.skipped] == [("bad.txt", reason)]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.html", b"<html><body><script>var x = 1;</script></body></html>", "no article text could be extracted"),
        ("junk.html", b"<<<>>>&&&;;", "no article text could be extracted"),
    ],
)
def test_html_without_article_is_skipped(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    (tmp_path / name).write_bytes(content)
    corpus = load_corpus([tmp_path])
    assert corpus.documents == []
    assert corpus.skipped[0].reason.startswith(reason)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_byte_order_marks_are_accepted(tmp_path: Path, encoding: str) -> None:
    text = "Der Hafen öffnete am Sonntag, sagte die Stadt.\nEr war 14 Wochen geschlossen."
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    (tmp_path / "bom.txt").write_bytes(data)
    document = load_document(tmp_path / "bom.txt", "bom.txt")
    assert document.source == text
    assert located(document, "14 Wochen") == "14 Wochen"


def test_unsupported_file_in_directory_is_listed_and_hidden_files_are_not(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("The bridge reopened on Sunday.", encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "README").write_text("notes", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Secret text.", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.txt").write_text("Not an article.", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert [document.doc_id for document in corpus.documents] == ["story.txt"]
    assert [(skipped.path, skipped.reason) for skipped in corpus.skipped] == [
        ("README", "unsupported file type (no extension)"),
        ("scan.pdf", "unsupported file type '.pdf'"),
    ]


@pytest.mark.parametrize(
    ("name", "reason"),
    [("missing.txt", "no such file or directory"), ("missing-dir", "no such file or directory")],
)
def test_missing_path_raises(tmp_path: Path, name: str, reason: str) -> None:
    with pytest.raises(InputError) as raised:
        load_corpus([tmp_path / name])
    assert raised.value.reason == reason
    assert raised.value.path == str(tmp_path / name)


def test_unsupported_single_file_raises(tmp_path: Path) -> None:
    (tmp_path / "report.docx").write_bytes(b"PK")
    with pytest.raises(InputError, match=r"unsupported file type '\.docx'"):
        load_corpus([tmp_path / "report.docx"])


def test_bad_single_file_is_skipped_not_raised(tmp_path: Path) -> None:
    (tmp_path / "empty.md").write_bytes(b"")
    corpus = load_corpus([tmp_path / "empty.md"])
    assert [(skipped.path, skipped.reason) for skipped in corpus.skipped] == [("empty.md", "empty file")]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root can read files without permission")
def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("The bridge reopened.", encoding="utf-8")
    secret.chmod(0)
    try:
        corpus = load_corpus([tmp_path])
    finally:
        secret.chmod(0o600)
    assert [(skipped.path, skipped.reason) for skipped in corpus.skipped] == [
        ("secret.txt", "cannot read file (permission denied)")
    ]


def test_read_error_becomes_a_skip_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "story.txt").write_text("The bridge reopened.", encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    corpus = load_corpus([tmp_path])
    assert [(skipped.path, skipped.reason) for skipped in corpus.skipped] == [
        ("story.txt", "cannot read file (permission denied)")
    ]


def test_unreadable_subdirectory_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "story.txt").write_text("Hidden story.", encoding="utf-8")
    (tmp_path / "open.txt").write_text("The bridge reopened.", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str]) -> object:
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    corpus = load_corpus([tmp_path])
    assert [document.doc_id for document in corpus.documents] == ["open.txt"]
    assert [(skipped.path, skipped.reason) for skipped in corpus.skipped] == [
        ("locked", "cannot read directory (permission denied)")
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_skipped_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    corpus = load_corpus([tmp_path])
    assert [(skipped.path, skipped.reason) for skipped in corpus.skipped] == [("pipe.txt", "not a regular file")]


def test_oversized_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 10)
    (tmp_path / "long.txt").write_text("The bridge reopened on Sunday.", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert corpus.skipped[0].reason.startswith("file too large")


# --------------------------------------------------------------------------- walking


def test_recursive_walk_is_sorted_with_relative_ids(tmp_path: Path) -> None:
    for relative in ["b/z.txt", "b/a/inner.md", "a.txt", "c.html", "b/y.txt"]:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        body = "<html><body><p>The bridge reopened on Sunday, officials said.</p></body></html>"
        path.write_text(body if relative.endswith(".html") else "The bridge reopened on Sunday.", encoding="utf-8")
    corpus = load_corpus([tmp_path])
    assert [document.doc_id for document in corpus.documents] == [
        "a.txt",
        "b/a/inner.md",
        "b/y.txt",
        "b/z.txt",
        "c.html",
    ]
    assert corpus.documents[1].path == str(tmp_path / "b" / "a" / "inner.md")


def test_single_file_argument_uses_the_file_name(tmp_path: Path) -> None:
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "story.txt").write_text("The bridge reopened.", encoding="utf-8")
    corpus = load_corpus([tmp_path / "deep" / "story.txt"])
    assert [document.doc_id for document in corpus.documents] == ["story.txt"]


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "story.txt").write_text("The bridge reopened.", encoding="utf-8")
    (tmp_path / "sub" / "back").symlink_to(tmp_path, target_is_directory=True)
    corpus = load_corpus([tmp_path])
    assert [document.doc_id for document in corpus.documents] == ["sub/story.txt"]


def test_same_relative_name_under_two_arguments_stays_distinct(tmp_path: Path) -> None:
    for outlet in ("first", "second"):
        (tmp_path / outlet).mkdir()
        (tmp_path / outlet / "story.txt").write_text(f"The {outlet} outlet said so.", encoding="utf-8")
    corpus = load_corpus([tmp_path / "first", tmp_path / "second"])
    assert [document.doc_id for document in corpus.documents] == [
        "story.txt",
        (tmp_path / "second" / "story.txt").as_posix(),
    ]


def test_same_file_twice_is_loaded_once(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("The bridge reopened.", encoding="utf-8")
    corpus = load_corpus([tmp_path, tmp_path / "story.txt"])
    assert len(corpus.documents) == 1


def test_fixture_directory_loads_without_skips(tmp_path: Path) -> None:
    shutil.copytree(DATA, tmp_path / "data")
    corpus = load_corpus([tmp_path / "data"])
    assert corpus.skipped == []
    assert len(corpus.documents) == len(list(DATA.iterdir()))


# --------------------------------------------------------------------------- boilerplate rules


@pytest.mark.parametrize(
    "line",
    [
        "![Workers on the bridge](https://example.com/a(1).jpg)",
        "Workers inspect the bridge, February 10, 2024. REUTERS/Tomas Berg",
        "The mayor speaks to reporters. (AP Photo/Jane Roe)",
        "Photographer: Jane Roe/Bloomberg",
        "Reporting by Maria Lindqvist; editing by Paul Oduya",
        "(Reporting by Maria Lindqvist in Oslo)",
        "--With assistance from Li Wen.",
        "Additional reporting by Omar Haddad",
        "Writing by Ana Ruiz",
        "Copyright 2024 The Associated Press. All rights reserved.",
        "Earlier: Port Congestion Eases as Shippers Return",
        "Read more: Ferry Operators Face Fuel Costs",
        "Home > News > Local",
        "Current:Home > NewsSome headline",
        "View",
        "Share",
        "Advertisement",
        "Share Tweet Email",
        "veryGood! (6745)",
        "Comments (12)",
        "* * *",
    ],
)
def test_furniture_lines(line: str) -> None:
    assert boilerplate.is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "The bridge reopened on Sunday, officials said.",
        "Writing by hand is a dying art, teachers said.",
        "Copyright lawyers said the case was weak.",
        "Earlier, the mayor said the bridge would reopen.",
        "Related talks will continue on Monday, officials said.",
        "View from the bridge: the harbor was calm on Sunday.",
        "Trade between the US/Canada border towns rose 5%.",
        "",
    ],
)
def test_article_lines_are_not_furniture(line: str) -> None:
    assert not boilerplate.is_furniture(line)


@pytest.mark.parametrize(
    ("lines", "junk"),
    [
        pytest.param(
            ["Body sentence one.", "Related", "Some later headline about sports", "Another one."],
            {1, 2, 3},
            id="heading-cuts-to-the-end",
        ),
        pytest.param(
            ["Body sentence one.", "Body two.", "Short headline one", "Short headline two", "- Bullet three"],
            {2, 3, 4},
            id="trailing-list-run",
        ),
        pytest.param(
            ["Body sentence one.", "- point one", "- point two", "- point three", "A closing body sentence."],
            set(),
            id="list-in-the-middle-survives",
        ),
        pytest.param(
            ["Related", "Body sentence one.", "Body two."],
            set(),
            id="heading-before-any-body-is-not-a-cut",
        ),
        pytest.param(
            ["Body sentence.", "The mayor on the bridge on Sunday.", "REUTERS/Tomas Berg", "More body."],
            {1, 2},
            id="caption-above-credit-line",
        ),
        pytest.param(
            ["Body sentence.", "More from Bloomberg", "Some headline", "Other headline"],
            {1, 2, 3},
            id="more-from",
        ),
    ],
)
def test_junk_lines(lines: list[str], junk: set[int]) -> None:
    assert boilerplate.junk_lines(lines) == junk


@pytest.mark.parametrize(
    ("line", "plain"),
    [
        ("He is [expected to speak](https://x.com/a_(b)) today.", "He is expected to speak today."),
        ("# A **bold** title", "A bold title"),
        ("- a *list* item with snake_case_name", "a list item with snake_case_name"),
        ("Math: 2 * 3 = 6 and \\*literal\\*", "Math: 2 * 3 = 6 and *literal*"),
        ("Image ![alt](http://x/y.png) gone", "Image  gone"),
        ("> quoted `code` and <https://example.com>", "quoted code and https://example.com"),
    ],
)
def test_strip_markdown(line: str, plain: str) -> None:
    assert boilerplate.strip_markdown(line) == plain


# --------------------------------------------------------------------------- real seed articles


def seed(prefix: str) -> Document:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not available at {SEEDS}")
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"no seed {prefix} in {SEEDS}")
    return load_document(matches[0], matches[0].name)


@pytest.mark.shared
@pytest.mark.parametrize(
    ("prefix", "field", "value"),
    [
        ("000", "author", "Humeyra Pamuk"),
        ("000", "published", "2023-10-27"),
        ("000", "outlet", "Reuters"),
        ("002", "published", "2023-10-27"),
        ("002", "outlet", "Bloomberg"),
        ("004", "outlet", "Associated Press"),
        ("004", "published", "2025-04-14"),
    ],
)
def test_seed_metadata(prefix: str, field: str, value: str) -> None:
    assert getattr(seed(prefix).meta, field) == value


@pytest.mark.shared
def test_seed_000_url() -> None:
    assert (seed("000").meta.url or "").startswith("https://www.reuters.com")


@pytest.mark.shared
@pytest.mark.parametrize(("prefix", "junk"), [("004", "Romantasy"), ("004", "veryGood")])
def test_seed_sentences_exclude_page_junk(prefix: str, junk: str) -> None:
    assert all(junk not in sentence.text for sentence in segment(seed(prefix)))


@pytest.mark.shared
@pytest.mark.parametrize("junk", ["REUTERS/Elizabeth Frantz", "Reporting by", "https://"])
def test_seed_000_text_excludes_credits(junk: str) -> None:
    assert junk not in seed("000").text


@pytest.mark.shared
def test_seed_000_keeps_link_text() -> None:
    assert "expected to speak with Biden" in seed("000").text


@pytest.mark.shared
@pytest.mark.parametrize(("prefix", "phrase"), [("001", "totaled nine hours"), ("002", "more than six hours")])
def test_seed_offsets_round_trip(prefix: str, phrase: str) -> None:
    document = seed(prefix)
    assert located(document, phrase) == phrase
    assert_pieces_verbatim(document)


# --------------------------------------------------------------------------- properties

_ATOMS = [
    "# Title line",
    "**Jane Roe**",
    "**2024-01-02**",
    "![img](http://x/y.png)",
    "Caption text. REUTERS/Jane Roe",
    "The bridge reopened on Sunday, officials said.",
    "He is [expected to speak](https://example.com/a) today.",
    "NEW YORK (AP) — Officials met.",
    "Reporting by Jane Roe",
    "Related",
    "- a bullet",
    "*emphasis* and __strong__ and `code`",
    "snake_case_name 2 * 3",
    "View",
    "",
    "   ",
    "\t",
    "Ünïcödé “quotes” — dash…",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(st.sampled_from(_ATOMS), max_size=14),
    newline=st.sampled_from(["\n", "\r\n"]),
    suffix=st.sampled_from([".txt", ".md"]),
)
def test_any_text_file_loads_with_verbatim_pieces(tmp_path: Path, lines: list[str], newline: str, suffix: str) -> None:
    path = tmp_path / f"story{suffix}"
    path.write_bytes(newline.join(lines).encode("utf-8"))
    try:
        document = load_document(path, path.name)
    except InputError as error:
        assert error.reason
        return
    assert document.text.strip()
    assert_pieces_verbatim(document)
    starts = [piece.text_start for piece in document.pieces]
    assert starts == sorted(starts)
    for sentence in segment(document):
        location = document.locate(sentence.start, sentence.end)
        assert 0 <= location.start <= location.end <= len(document.source)


_HTML_ATOMS = [
    "<p>", "</p>", "<div>", "<b>", "</b>", "<script>", "</script>", "<!--", "-->", "&amp;", "&", "<", ">",
    "&#99999999;", "<?xml version='1.0' encoding='utf-8'?>", "<html>", "<body>", "<title>", "</title>",
    "<meta property='og:title' content='x'>", "\x0c", "<br>", "<table><tr><td>", "<a href='x'>", "</a>",
    "<svg>", "<![CDATA[", "<h1>", "<li>", "\n",
    "Officials said the bridge reopened on Sunday after fourteen weeks of repairs. ",
    "<p>LONDON (Reuters) - Prices rose by 3.5 percent in March, the statistics office said.",
]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.sampled_from(_HTML_ATOMS), max_size=60))
def test_any_html_loads_or_is_refused_cleanly(tmp_path: Path, parts: list[str]) -> None:
    path = tmp_path / "page.html"
    path.write_text("".join(parts), encoding="utf-8")
    try:
        document = load_document(path, path.name)
    except InputError as error:
        assert error.reason
        return
    assert_pieces_verbatim(document)
