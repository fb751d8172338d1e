"""Metadata from datelines, header lines, URLs and HTML meta tags."""

from __future__ import annotations

import pytest

from checker.metadata import (
    canonical_outlet,
    extract_html_metadata,
    extract_text_metadata,
    merge_meta,
    outlet_from_url,
    parse_date,
    parse_dateline,
)
from checker.models import DocumentMeta


@pytest.mark.parametrize(
    ("line", "place", "outlet", "published", "body"),
    [
        pytest.param(
            "NEW YORK (AP) — Officials met on Monday.", "NEW YORK", "Associated Press", None, "Officials met on Monday.",
            id="ap",
        ),
        pytest.param(
            "WASHINGTON, Oct 27 (Reuters) - The talks ended.", "WASHINGTON", "Reuters", None, "The talks ended.",
            id="reuters-without-year",
        ),
        pytest.param(
            " date 2023-10-27 (Bloomberg) -- US officials agreed.", None, "Bloomberg", "2023-10-27",
            "US officials agreed.", id="bloomberg-date",
        ),
        pytest.param(
            "BEIJING, Oct. 27, 2023 (Xinhua) -- China said.", "BEIJING", "Xinhua", "2023-10-27", "China said.",
            id="xinhua-with-year",
        ),
        pytest.param(
            "PARIS (AFP) – Le Monde reported.", "PARIS", "Agence France-Presse", None, "Le Monde reported.", id="afp"
        ),
        pytest.param(
            "SPRINGFIELD (Valley Gazette) — The council voted.", "SPRINGFIELD", "Valley Gazette", None,
            "The council voted.", id="unknown-agency-with-place",
        ),
        pytest.param("KYIV, Ukraine — Sirens sounded.", "KYIV", None, None, "Sirens sounded.", id="place-only"),
    ],
)
def test_datelines(line: str, place: str | None, outlet: str | None, published: str | None, body: str) -> None:
    dateline = parse_dateline(line)
    assert dateline is not None
    assert (dateline.place, dateline.outlet, dateline.published) == (place, outlet, published)
    assert line[dateline.length :] == body


@pytest.mark.parametrize(
    "line",
    [
        "US officials said on Friday that talks would go on.",
        "The company (Apple) - which declined to comment - said nothing.",
        "(Reuters) reported the story first.",
        "Officials — speaking anonymously — said so.",
        "",
    ],
)
def test_not_datelines(line: str) -> None:
    assert parse_dateline(line) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-10-27 14:25", "2023-10-27"),
        ("Date:2025-04-14 10:33:02", "2025-04-14"),
        ("2024-03-04T07:30:00Z", "2024-03-04"),
        ("2023/10/27", "2023-10-27"),
        ("October 27, 2023", "2023-10-27"),
        ("Fri Oct. 27, 2023 2:25 PM EDT", "2023-10-27"),
        ("Sept 5, 2024", "2024-09-05"),
        ("27 October 2023", "2023-10-27"),
        ("3rd March, 2024", "2024-03-03"),
        ("2023-02-30", None),
        ("no date here", None),
        ("October 2023", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.reuters.com/world/some-story-2023-10-27/", "Reuters"),
        ("https://apnews.com/article/abc", "Associated Press"),
        ("https://www.bloomberg.com/news/articles/2023-10-27/x", "Bloomberg"),
        ("https://www.nytimes.com/2023/10/27/us/politics/x.html", "The New York Times"),
        ("https://edition.cnn.com/2023/10/27/x", "CNN"),
        ("https://www.bbc.co.uk/news/world-1", "BBC"),
        ("https://abcnews.go.com/Politics/x", "ABC News"),
        ("https://www.example-news.com/local/story", "example-news.com"),
        ("https://news.example.co.uk/a", "example.co.uk"),
        ("www.theguardian.com/world", "The Guardian"),
        ("not a url", None),
        ("https://localhost/story", None),
    ],
)
def test_outlet_from_url(url: str, outlet: str | None) -> None:
    assert outlet_from_url(url) == outlet


@pytest.mark.parametrize(
    ("name", "expected"),
    [("AP", "Associated Press"), ("AP News", "Associated Press"), ("  Bloomberg  News ", "Bloomberg"), ("Daily Bugle", "Daily Bugle")],
)
def test_canonical_outlet(name: str, expected: str) -> None:
    assert canonical_outlet(name) == expected


@pytest.mark.parametrize(
    ("lines", "expected", "consumed"),
    [
        pytest.param(
            [
                "# Bridge reopens after repairs",
                "**Maria Lindqvist**",
                "",
                "**2024-02-11 09:15**",
                "",
                "**https://www.reuters.com/world/bridge-2024-02-11/**",
                "",
                "The bridge reopened on Sunday.",
            ],
            DocumentMeta(
                title="Bridge reopens after repairs",
                outlet="Reuters",
                author="Maria Lindqvist",
                published="2024-02-11",
                url="https://www.reuters.com/world/bridge-2024-02-11/",
            ),
            {0, 1, 3, 5},
            id="markdown-bold-header",
        ),
        pytest.param(
            [
                "Current:Home > NewsBridge reopens -SiteName",
                "Bridge reopens after repairs",
                "View",
                "Date:2024-02-12 08:01:44",
                "BOSTON (AP) — The bridge reopened Sunday.",
            ],
            DocumentMeta(title="Bridge reopens after repairs", outlet="Associated Press", published="2024-02-12"),
            {1, 3},
            id="breadcrumb-title-date-dateline",
        ),
        pytest.param(
            ["Bridge reopens", "By Jane Roe", "Published: March 3, 2024", "Source: AP", "", "The bridge reopened."],
            DocumentMeta(title="Bridge reopens", outlet="Associated Press", author="Jane Roe", published="2024-03-03"),
            {0, 1, 2, 3},
            id="labelled-fields",
        ),
        pytest.param(
            ["---", "title: Ferry resumes", "author: Jonas Weber", "date: 2024-03-04", "---", "The ferry resumed."],
            DocumentMeta(title="Ferry resumes", author="Jonas Weber", published="2024-03-04"),
            {1, 2, 3},
            id="front-matter",
        ),
        pytest.param(
            ["# Heat wave sets records", "", "**Marrow Daily** — 2026-07-15", "", "Temperatures soared."],
            DocumentMeta(title="Heat wave sets records", outlet="Marrow Daily", published="2026-07-15"),
            {0, 2},
            id="outlet-and-date-on-one-line",
        ),
        pytest.param(
            ["Heat wave sets records", "By Lena Ortu | July 15, 2026", "", "Temperatures soared."],
            DocumentMeta(title="Heat wave sets records", author="Lena Ortu", published="2026-07-15"),
            {0, 1},
            id="byline-and-date-on-one-line",
        ),
        pytest.param(
            ["Politics — World", "", "Temperatures soared across the south on Tuesday, officials said."],
            DocumentMeta(title="Politics — World"),
            {0},
            id="parts-without-a-date-are-a-title",
        ),
        pytest.param(
            ["The U.S. and China agreed to talk, officials said.", "Second line."],
            DocumentMeta(),
            set(),
            id="no-header",
        ),
        pytest.param(
            ["Sources said the talks were over.", "More text follows here."],
            DocumentMeta(),
            set(),
            id="sources-is-not-a-source-label",
        ),
    ],
)
def test_text_headers(lines: list[str], expected: DocumentMeta, consumed: set[int]) -> None:
    result = extract_text_metadata(lines)
    assert result.meta == expected
    assert result.consumed_lines == consumed


def test_dateline_reported_with_its_line() -> None:
    lines = ["", " date 2023-10-27 (Bloomberg) -- US and Chinese officials agreed.", "", "More."]
    result = extract_text_metadata(lines)
    assert result.dateline_line == 1
    assert result.dateline is not None
    assert lines[1][result.dateline.length :] == "US and Chinese officials agreed."
    assert result.meta.outlet == "Bloomberg"
    assert result.meta.published == "2023-10-27"


def test_dateline_agency_beats_url_domain() -> None:
    lines = ["**https://www.example-news.com/x**", "", "LONDON (Reuters) - Prices rose."]
    assert extract_text_metadata(lines).meta.outlet == "Reuters"


_HTML = """<html><head><title>Ferry resumes | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="og:title" content="Ferry resumes on the northern route">
<meta property="article:published_time" content="2024-03-04T07:30:00Z">
<meta name="author" content="Jonas Weber">
<meta name="twitter:site" content="@examplenews">
<link rel="canonical" href="https://www.example-news.com/local/ferry">
</head><body><p>The ferry resumed on Monday after a pause of two weeks, the operator said.</p></body></html>"""


def test_html_meta_tags() -> None:
    assert extract_html_metadata(_HTML) == DocumentMeta(
        title="Ferry resumes on the northern route",
        outlet="Example News",
        author="Jonas Weber",
        published="2024-03-04",
        url="https://www.example-news.com/local/ferry",
    )


def test_html_outlet_falls_back_to_domain() -> None:
    page = '<html><head><meta property="og:url" content="https://apnews.com/article/x"></head><body><p>Hi.</p></body></html>'
    meta = extract_html_metadata(page)
    assert (meta.outlet, meta.url) == ("Associated Press", "https://apnews.com/article/x")


@pytest.mark.parametrize(
    "page",
    ["", "   ", "<<<>>>", '<?xml version="1.0" encoding="utf-8"?><html><head><title>X', "<html><body><p>Unclosed"],
)
def test_html_metadata_never_raises(page: str) -> None:
    assert isinstance(extract_html_metadata(page), DocumentMeta)


def test_merge_meta_takes_first_value_per_field() -> None:
    merged = merge_meta(DocumentMeta(outlet="Reuters"), DocumentMeta(outlet="Site", title="T"), DocumentMeta(author="A"))
    assert merged == DocumentMeta(outlet="Reuters", title="T", author="A")
