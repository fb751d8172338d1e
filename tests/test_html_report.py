"""The HTML report: golden file, escaping, structure, and a real headless-browser run.

The golden file tests/golden/report.html is compared byte for byte. After an
intended change to the page, regenerate it and review the diff:

    UPDATE_GOLDEN=1 python3 -m pytest tests/test_html_report.py

The browser tests need Debian's chromium and chromium-driver plus selenium
(apt-get install -y chromium chromium-driver; pip install 'selenium>=4'). When the
browser is missing and the tests run as root, they install it with apt-get first;
they skip, naming what is missing, only when it cannot be installed.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import os
import re
import struct
import sys
import time
from collections import Counter
from html.parser import HTMLParser
from itertools import combinations
from pathlib import Path

import pytest

from checker.models import DocumentInfo, DocumentMeta, Evidence, Finding, Report, Severity, SkippedFile
from checker.reporters import RenderOptions, get_reporter, reporter_names

sys.path.insert(0, str(Path(__file__).parent))
from report_samples import empty_report, sample_report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "report.html"


def render(report: Report | None = None, **options) -> str:
    return get_reporter("html").render(report or sample_report(), RenderOptions(**options))


def _load_screenshot_module():
    spec = importlib.util.spec_from_file_location("screenshot_report", ROOT / "scripts" / "screenshot_report.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shots = _load_screenshot_module()


# --------------------------------------------------------------------------- a small DOM


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        return [
            n for n in self.iter()
            if (tag is None or n.tag == tag) and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def has_class(self, name: str) -> bool:
        return name in (self.attrs.get("class") or "").split()


VOID = {"meta", "link", "input", "br", "img", "hr", "source", "wbr", "area", "base", "col", "embed", "track"}


class Dom(HTMLParser):
    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent  # type: ignore[assignment]
        assert node is not self.root, f"stray </{tag}>"
        self.current = node.parent  # type: ignore[assignment]

    def handle_data(self, data):
        self.current.children.append(data)


def outlet_of(side: Evidence) -> str:
    return side.outlet or side.doc_id


# --------------------------------------------------------------------------- golden and determinism


def test_registered() -> None:
    assert "html" in reporter_names()
    assert get_reporter("html").description


def test_golden() -> None:
    first = render().encode("utf-8")
    assert first == render().encode("utf-8"), "two renderings of the same report differ"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(first)
    assert GOLDEN.exists(), f"{GOLDEN} missing; run: UPDATE_GOLDEN=1 python3 -m pytest tests/test_html_report.py"
    assert first == GOLDEN.read_bytes(), (
        "report.html differs from the rendering; if the change is intended run: "
        "UPDATE_GOLDEN=1 python3 -m pytest tests/test_html_report.py"
    )


@pytest.mark.parametrize("options", [{}, {"show_info": True, "explain": True}, {"color": True, "width": 40}])
def test_deterministic_and_well_formed(options: dict) -> None:
    out = render(**options)
    assert out == render(**options)
    assert out.startswith("<!DOCTYPE html>\n") and out.endswith("</html>\n")
    Dom(out)  # every element closes


def test_empty_report() -> None:
    out = render(empty_report())
    dom = Dom(out)
    assert not dom.root.find_all("article")
    assert "No findings" in out
    assert not dom.root.find_all("form")


# --------------------------------------------------------------------------- self-contained, CSP


def test_self_contained() -> None:
    dom = Dom(render())
    for tag, attrs in dom.tags:
        for name, value in attrs:
            assert name != "src", (tag, attrs)
            if name == "href" and tag == "link":
                assert value and value.startswith("data:"), (tag, attrs)
    assert "@import" not in render()
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", render())


def test_csp_hash_matches_the_inline_script() -> None:
    dom = Dom(render())
    scripts = dom.root.find_all("script")
    assert len(scripts) == 1
    script = scripts[0].text()
    metas = [m for m in dom.root.find_all("meta") if m.attrs.get("http-equiv") == "Content-Security-Policy"]
    assert len(metas) == 1
    policy = dict(
        (d.split()[0], d.split()[1:]) for d in (metas[0].attrs["content"] or "").split(";") if d.strip()
    )
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert policy["script-src"] == [f"'sha256-{digest}'"]
    assert policy["default-src"] == ["'none'"]
    assert policy["style-src"] == ["'unsafe-inline'"]
    assert policy["img-src"] == ["data:"]
    # the CSP meta comes before any script or style it governs
    assert [t for t, _ in dom.tags].index("meta") < [t for t, _ in dom.tags].index("style")


def test_script_never_writes_markup() -> None:
    script = Dom(render()).root.find_all("script")[0].text()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert sink not in script


# --------------------------------------------------------------------------- escaping

EVIL_SCRIPT = "<script>alert(1)</script>"
EVIL_IMG = '<img src=x onerror="window.pwned=1">'
EVIL = f"{EVIL_SCRIPT} {EVIL_IMG} \"quoted' &amp;"


def evil_report() -> Report:
    def side(doc_id: str, outlet: str | None) -> Evidence:
        sentence = f"Before {EVIL} the talks lasted 9 hours {EVIL_IMG} after."
        start = sentence.index("9 hours")
        return Evidence(
            doc_id=doc_id, outlet=outlet, published=f"2024-01-01{EVIL_SCRIPT}", sentence=sentence, span="9 hours",
            span_start=start, span_end=start + 7, start=10, end=17, line=1, column=11, end_line=1, end_column=18,
            value=f"9 hour {EVIL_IMG}", score=0.9,
        )

    finding = Finding(
        id='F"1<x>', kind=f"number{EVIL_IMG}", severity=Severity.conflict, summary=f"summary {EVIL}", score=0.5,
        sides=[side(f"a/{EVIL_SCRIPT}.txt", None), side("b.txt", f"Evil {EVIL} Wire")],
        reasons=[f"reason {EVIL}"],
    )
    report = sample_report(findings=[finding])
    docs = [
        DocumentInfo(doc_id=f"a/{EVIL_SCRIPT}.txt", format="text", meta=DocumentMeta(
            title=f"Title {EVIL}", url="javascript:alert(1)"), sentences=1, facts=1),
        DocumentInfo(doc_id="b.txt", format="html", meta=DocumentMeta(
            outlet=f"Evil {EVIL} Wire", url='https://x.example/"onmouseover=alert(1)'), sentences=1, facts=1),
    ]
    return report.model_copy(update={
        "documents": docs,
        "skipped": [SkippedFile(path=f"c/{EVIL_IMG}.zip", reason=f"reason {EVIL_SCRIPT}")],
        "model": f"model {EVIL_SCRIPT}",
    })


@pytest.mark.parametrize("options", [{}, {"show_info": True, "explain": True}])
def test_document_text_is_escaped(options: dict) -> None:
    out = render(evil_report(), **options)
    dom = Dom(out)
    tags = [tag for tag, _ in dom.tags]
    assert tags.count("script") == 1
    assert dom.root.find_all("script")[0].text() == shots_script(out)
    assert "img" not in tags
    for tag, attrs in dom.tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, value)
            if name == "href":
                assert value and (value.startswith(("#", "data:", "https://"))), (tag, value)
                assert '"' not in value and " " not in value
    # it shows as text
    text = dom.root.text()
    assert EVIL_SCRIPT in text and EVIL_IMG in text
    assert out.count("<script") == 1


def shots_script(out: str) -> str:
    return out.split("<script>", 1)[1].split("</script>", 1)[0]


def test_control_characters_are_replaced() -> None:
    report = sample_report()
    finding = report.findings[0]
    side = finding.sides[0].model_copy(update={"outlet": "Bad\x00\x1b[31m\ud800 Wire"})
    report = report.model_copy(update={"findings": [finding.model_copy(update={"sides": [side, finding.sides[1]]})]})
    out = render(report)
    assert "\x00" not in out and "\x1b" not in out
    out.encode("utf-8")  # no lone surrogates


# --------------------------------------------------------------------------- structure


def test_every_finding_is_an_anchored_element() -> None:
    report = sample_report()
    dom = Dom(render(report))
    for finding in report.findings:
        [card] = dom.root.find_all(id=finding.id)
        assert card.tag == "article" and card.has_class("finding")
        assert card.attrs["data-severity"] == finding.severity.value
        assert card.attrs["data-kind"] == finding.kind
        assert card.find_all("a", href=f"#{finding.id}")
        assert finding.summary in card.text()
    ids = [n.attrs["id"] for n in dom.root.iter() if n.attrs.get("id")]
    assert len(ids) == len(set(ids)), "duplicate element ids"


def test_sides_outlet_date_location_value_and_marked_span() -> None:
    report = sample_report()
    dom = Dom(render(report))
    for finding in report.findings:
        [card] = dom.root.find_all(id=finding.id)
        sides = [n for n in card.find_all("section") if n.has_class("side")]
        assert len(sides) == len(finding.sides)
        for node, side in zip(sides, finding.sides):
            text = " ".join(node.text().split())
            assert text.startswith(outlet_of(side) + " " + (side.published or "no date"))
            assert f"{side.doc_id}:{side.line}:{side.column}" in text
            assert side.value in text
            [mark] = node.find_all("mark")
            assert mark.text() == side.sentence[side.span_start : side.span_end] == side.span
            assert " ".join(node.find_all("blockquote")[0].text().split()) == " ".join(side.sentence.split())
        [details] = card.find_all("details")
        for reason in finding.reasons:
            assert reason in details.text()


def test_span_marked_at_its_offsets_when_words_repeat() -> None:
    report = sample_report()
    finding = report.findings[0]
    sentence = "Day one ran 9 hours; day two ran 9 hours."
    second = sentence.rindex("9 hours")
    side = finding.sides[0].model_copy(
        update={"sentence": sentence, "span": "9 hours", "span_start": second, "span_end": second + 7}
    )
    report = report.model_copy(update={"findings": [finding.model_copy(update={"sides": [side, finding.sides[1]]})]})
    assert "Day one ran 9 hours; day two ran <mark>9 hours</mark>." in render(report)


def test_info_hidden_by_default_but_present_and_revealable() -> None:
    dom = Dom(render())
    assert "hidden" in dom.root.find_all(id="F003")[0].attrs
    assert "hidden" not in dom.root.find_all(id="F001")[0].attrs
    [info_box] = dom.root.find_all("input", name="severity", value="info")
    assert "checked" not in info_box.attrs
    assert "checked" in dom.root.find_all("input", name="severity", value="conflict")[0].attrs

    dom = Dom(render(show_info=True))
    assert "hidden" not in dom.root.find_all(id="F003")[0].attrs
    assert "checked" in dom.root.find_all("input", name="severity", value="info")[0].attrs


def test_summary_counts_and_skipped() -> None:
    report = sample_report()
    dom = Dom(render(report))
    [summary] = dom.root.find_all(id="check--summary")
    text = " ".join(summary.text().split())
    for number, label in [(3, "documents"), (3, "outlets"), (1, "conflict"), (1, "warning"), (1, "info")]:
        assert f"{number} " in text and label in text
    for skipped in report.skipped:
        assert f"{skipped.path}: {skipped.reason}" in text


def _matrix(dom: Dom) -> dict[tuple[str, str], int]:
    [table] = [t for t in dom.root.find_all("table") if t.has_class("matrix")]
    header = [" ".join(th.text().split()) for th in table.find_all("thead")[0].find_all("th")]
    cells: dict[tuple[str, str], int] = {}
    for tr in table.find_all("tbody")[0].find_all("tr"):
        row = " ".join(tr.find_all("th")[0].text().split())
        tds = tr.find_all("td")
        assert len(tds) == len(header)
        for col, td in zip(header, tds):
            count = int(td.attrs["data-conflicts"] or 0)
            buttons = td.find_all("button")
            assert (buttons[0].text() if buttons else "0") == str(count) or (row == col and not count)
            cells[(row, col)] = count
    return cells


def _expected_pairs(report: Report) -> Counter:
    expected: Counter = Counter()
    for finding in report.findings:
        if finding.severity is Severity.conflict:
            for pair in {tuple(sorted((outlet_of(a), outlet_of(b)))) for a, b in combinations(finding.sides, 2)}:
                expected[pair] += 1
    return expected


def three_sided_report() -> Report:
    report = sample_report()
    conflict, warning, info = report.findings
    third = warning.sides[1].model_copy(update={"sentence": "Talks ran 7 hours.", "span": "7 hours",
                                                "span_start": 10, "span_end": 17, "value": "7 hour"})
    wide = conflict.model_copy(update={"id": "F004", "sides": [*conflict.sides, third]})
    same = conflict.model_copy(update={"id": "F005", "sides": [conflict.sides[0], conflict.sides[0]]})
    return report.model_copy(update={"findings": [conflict, wide, same, warning, info]})


@pytest.mark.parametrize("report", [sample_report(), three_sided_report()], ids=["sample", "three-sided"])
def test_outlet_matrix_counts_match_the_conflicts(report: Report) -> None:
    cells = _matrix(Dom(render(report)))
    expected = _expected_pairs(report)
    outlets = {outlet_of(s) for f in report.findings for s in f.sides}
    assert {name for pair in cells for name in pair} >= outlets
    for (row, col), count in cells.items():
        assert count == expected.get(tuple(sorted((row, col))), 0), (row, col)
    assert sum(c for (r, k), c in cells.items() if r <= k) == sum(expected.values())


def test_three_sides_render_as_three_columns() -> None:
    dom = Dom(render(three_sided_report()))
    [card] = dom.root.find_all(id="F004")
    assert len([n for n in card.find_all("section") if n.has_class("side")]) == 3
    assert card.attrs["data-pairs"] == "0-1 0-2 1-2"


# --------------------------------------------------------------------------- a real browser

BROWSER_MISSING = shots.ensure_browser()
browser = pytest.mark.skipif(BROWSER_MISSING is not None, reason=f"headless browser: {BROWSER_MISSING}")


@pytest.fixture(scope="module")
def driver():
    with shots.chrome() as d:
        yield d


def _open(driver, path: Path, fragment: str = "") -> None:
    driver.get(path.resolve().as_uri() + fragment)
    deadline = time.monotonic() + 5
    while driver.execute_script("return document.documentElement.getAttribute('data-js')") != "on":
        assert time.monotonic() < deadline, "the page script never ran (blocked by the CSP?)"
        time.sleep(0.05)


def _severe(driver) -> list[dict]:
    return [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


@browser
def test_browser_filters_and_screenshot(driver, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    report = sample_report()
    page = tmp_path / "report.html"
    page.write_text(render(report), encoding="utf-8")
    _open(driver, page)
    assert _severe(driver) == []

    def shown() -> dict[str, bool]:
        return {f.id: driver.find_element(By.ID, f.id).is_displayed() for f in report.findings}

    assert shown() == {"F001": True, "F002": True, "F003": False}
    conflict_box = driver.find_element(By.CSS_SELECTOR, "input[name=severity][value=conflict]")
    conflict_box.click()
    assert not conflict_box.is_selected()
    conflicts = {f.id for f in report.findings if f.severity is Severity.conflict}
    assert {fid for fid, on in shown().items() if not on} == conflicts | {"F003"}
    assert driver.find_element(By.ID, "check--shown").text == "1"

    driver.find_element(By.CSS_SELECTOR, "input[name=severity][value=info]").click()
    assert shown() == {"F001": False, "F002": True, "F003": True}

    driver.find_element(By.CSS_SELECTOR, "button[type=reset]").click()
    time.sleep(0.1)
    assert shown() == {"F001": True, "F002": True, "F003": False}

    # a matrix count lists the findings between that pair of outlets
    driver.find_element(By.CSS_SELECTOR, "table.matrix button[data-a]").click()
    assert shown() == {"F001": True, "F002": False, "F003": False}
    driver.find_element(By.CSS_SELECTOR, "button[type=reset]").click()
    time.sleep(0.1)

    png = tmp_path / "report.png"
    png.write_bytes(shots.full_page_png(driver))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">I", png.read_bytes()[16:20])[0] == shots.WIDTH
    print(f"\nscreenshot: {png}")
    assert _severe(driver) == []


@browser
def test_browser_link_reveals_and_targets_a_hidden_finding(driver, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    page = tmp_path / "report.html"
    page.write_text(render(), encoding="utf-8")
    _open(driver, page, "#F003")
    assert driver.find_element(By.ID, "F003").is_displayed()
    assert driver.execute_script("return document.querySelector(':target').id") == "F003"
    assert driver.find_element(By.CSS_SELECTOR, "input[name=severity][value=info]").is_selected()
    assert _severe(driver) == []


@browser
def test_browser_runs_nothing_from_document_text(driver, tmp_path: Path) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    page = tmp_path / "evil.html"
    page.write_text(render(evil_report(), show_info=True, explain=True), encoding="utf-8")
    _open(driver, page)
    assert driver.execute_script("return window.pwned === undefined")
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text  # noqa: B018
    assert driver.execute_script("return document.querySelectorAll('script').length") == 1
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0
    assert _severe(driver) == []


@browser
def test_screenshot_script(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render(), encoding="utf-8")
    png = tmp_path / "shot.png"
    assert shots.main([str(page), str(png)]) == 0
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">I", data[16:20])[0] == shots.WIDTH
    assert struct.unpack(">I", data[20:24])[0] > 900  # the full page, not one viewport
