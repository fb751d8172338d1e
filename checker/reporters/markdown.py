"""Markdown for a pull- or merge-request comment (GitHub and GitLab flavours).

Layout::

    <!-- check-report -->
    ### check: 1 contradicted, 1 unverified, 1 supported

    Draft `drafts/story.md` checked against 2 sources (check 0.1.0).

    | Verdict | Claim | Sources | Location |
    |---|---|---|---|
    | ❌ contradicted | … | The Harbor Ledger, Valley Wire | `drafts/story.md:7:42` |
    | ❔ unverified | … | — | `drafts/story.md:12:40` |

    #### ❌ Contradicted claims

    **pay rise …** `claim-…`

    > The Port Authority offered dock workers a **6%** pay rise. — *draft*, `drafts/story.md:7:42`
    >
    > …the final offer was a **4 percent** pay rise… — *The Harbor Ledger*, 2024-03-14, `ledger.md:16:40`

    <details><summary>✅ 1 supported claim</summary> … </details>

The table lists the problems: contradicted, disputed (supported by some
sources, contradicted by others) and unverified claims in draft mode, conflicts
and warnings in corpus mode. Contradicted and disputed claims (conflicts and
warnings in corpus mode) are then quoted, draft sentence first, the compared
span of each sentence in bold. Supported claims (corroborations) sit in a
collapsed ``<details>``. The first line is an HTML comment a workflow can look
for to update its previous comment instead of adding one.

Safety: article text, outlet names and summaries are reduced to one line
(``one_line``), ``&``, ``<`` and ``>`` become entities and every other
Markdown-significant ASCII punctuation character is backslash-escaped, so a
quote can neither break the table (``|``) nor inject HTML or formatting;
``@name`` and ``#123`` get a word joiner after the sign so quoting an article
never pings a user or links an issue. Paths and ids are code spans (``|``
escaped inside the table). Output stays under ``MAX_CHARS`` (GitHub rejects
comments over 65,536 characters): once a row or quote does not fit, it and
everything after it is left out, and a closing note counts the items not shown
in full.
"""

from __future__ import annotations

import re

from checker.models import Evidence, Report
from checker.reporters.base import RenderOptions, Reporter, kinds_left_out, register
from checker.reporters.github import Grade, Item, flatten, is_draft, items, location, one_line, split_at_span

MARKER = "<!-- check-report -->"
DASH = "\u2014"
MAX_CHARS = 60_000

_ICON = {
    "contradicted": "\u274c",
    "conflict": "\u274c",
    "disputed": "\u26a0\ufe0f",
    "warning": "\u26a0\ufe0f",
    "unverified": "\u2754",
    "supported": "\u2705",
    "info": "\u2705",
}
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_BACKSLASHED = set("\\`*_{}[]()#+-.!|~$^")
_MENTION = re.compile(r"([@#])(?=\w)")


def escape(text: str) -> str:
    """Escape already one-line text for Markdown and HTML (tables included)."""
    text = _MENTION.sub("\\1\u2060", text)
    return "".join(_ENTITIES.get(ch) or ("\\" + ch if ch in _BACKSLASHED else ch) for ch in text)


def md(text: str) -> str:
    """Any report string as safe inline Markdown on one line."""
    return escape(one_line(text))


def _strong(span: str, before: str, after: str) -> str:
    # ``**`` only opens/closes next to a letter when the span does not start/end with punctuation.
    if not span:
        return ""
    opens = not (before[-1:].isalnum() and not span[0].isalnum())
    closes = not (after[:1].isalnum() and not span[-1].isalnum())
    if opens and closes:
        return f"**{span}**"
    return f"<strong>{span}</strong>"


def quote(evidence: Evidence) -> str:
    """The sentence, escaped, with the span in bold."""
    parts = split_at_span(evidence)
    if parts is None:
        return md(evidence.sentence)
    before, span, after = parts
    before = escape(flatten(before + (" " if span[:1].isspace() else "")).lstrip())
    after = escape(flatten((" " if span[-1:].isspace() else "") + after).rstrip())
    return f"{before}{_strong(md(span), before, after)}{after}"


def _who(evidence: Evidence, draft: bool) -> str:
    if draft:
        return "*draft*"
    who = f"*{md(evidence.outlet or evidence.doc_id)}*"
    return who + (f", {md(evidence.published)}" if evidence.published else "")


def _quotes(item: Item) -> list[str]:
    if item.claim is not None:
        statements = [(item.claim.claim, True)] + [(evidence, False) for evidence in item.evidence]
    else:
        statements = [(side, False) for side in item.places]
    lines = []
    for index, (evidence, draft) in enumerate(statements):
        if index:
            lines.append(">")
        lines.append(f"> {quote(evidence)} {DASH} {_who(evidence, draft)}, {code(location(evidence))}")
    return lines


def _block(item: Item) -> str:
    return "\n".join([f"**{md(item.summary)}** {code(item.id)}", "", *_quotes(item)]) + "\n"


def _sources(item: Item) -> list[Evidence]:
    return list(item.evidence) if item.claim is not None else list(item.places)


def _row(item: Item) -> str:
    names: list[str] = []
    for evidence in _sources(item):
        shown = md(evidence.outlet or evidence.doc_id)
        if shown not in names:
            names.append(shown)
    where = [code(location(place), table=True) for place in item.places]
    status = f"{_ICON[item.status]} {item.status}"
    return f"| {status} | {md(item.summary)} | {', '.join(names) or DASH} | {'<br>'.join(where)} |\n"


def code(text: str, *, table: bool = False) -> str:
    """A path or id as an inline code span (safe in a table cell when ``table``)."""
    text = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`"):
        text = f" {text} "
    if table:
        text = text.replace("|", "\\|")
    return f"{fence}{text}{fence}"


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


class _Budget:
    """Appends pieces while the output stays under ``MAX_CHARS``; once one does not fit, the rest are
    left out too (so nothing appears out of order) and the items they were about are counted."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.size = 0
        self.full = False
        self.omitted: set[str] = set()

    def add(self, piece: str, about: tuple[str, ...] = (), *, force: bool = False) -> bool:
        if not force and (self.full or self.size + len(piece) > MAX_CHARS - 400):
            self.full = True
            self.omitted.update(about)
            return False
        self.pieces.append(piece)
        self.size += len(piece)
        return True


def _heading(report: Report, graded: list[Item]) -> tuple[str, str]:
    def count(status: str) -> int:
        return sum(item.status == status for item in graded)

    sources = sum(1 for doc in report.documents if doc.doc_id != report.draft)
    if is_draft(report):
        words = [
            f"{count('contradicted')} contradicted",
            f"{count('unverified')} unverified",
            f"{count('supported') + count('disputed')} supported"
            + (f" ({count('disputed')} disputed)" if count("disputed") else ""),
        ]
        lede = (
            f"Draft {code(report.draft or '')} checked against {_plural(sources, 'source')} "
            f"(check {md(report.version)})."
        )
    else:
        words = [
            _plural(count("conflict"), "conflict"),
            _plural(count("warning"), "warning"),
            _plural(count("info"), "corroboration"),
        ]
        lede = f"{_plural(report.summary.documents, 'document')} checked (check {md(report.version)})."
    left_out = kinds_left_out(report)
    if left_out:
        lede += f" Not looked for: {md(left_out)}."
    if report.skipped:
        lede += f" {_plural(len(report.skipped), 'file')} skipped."
    return f"### check: {', '.join(words)}\n", lede + "\n"


def render_markdown(report: Report) -> str:
    graded = items(report)
    draft = is_draft(report)
    problems = [item for item in graded if item.grade is not Grade.ok]
    quoted = [item for item in graded if item.grade is Grade.fail or (item.grade is Grade.warn)]
    passed = [item for item in graded if item.grade is Grade.ok]

    out = _Budget()
    heading, lede = _heading(report, graded)
    out.add(f"{MARKER}\n{heading}\n{lede}", force=True)

    if not problems:
        nothing = "No contradicted, disputed or unverified claims." if draft else "No conflicts or warnings."
        out.add(f"\n{nothing}\n", force=True)
    else:
        first = "Verdict" if draft else "Severity"
        second = "Claim" if draft else "Finding"
        out.add(f"\n| {first} | {second} | Sources | Location |\n|---|---|---|---|\n", force=True)
        for item in problems:
            out.add(_row(item), (item.id,))

    if draft:
        sections = [("contradicted", "Contradicted claims"), ("disputed", "Disputed claims")]
    else:
        sections = [("conflict", "Conflicts"), ("warning", "Warnings")]
    for status, title in sections:
        chosen = [item for item in quoted if item.status == status]
        if chosen:
            out.add(f"\n#### {_ICON[status]} {title}\n", tuple(item.id for item in chosen))
        for item in chosen:
            out.add(f"\n{_block(item)}", (item.id,))

    if passed:
        label = _plural(len(passed), "supported claim") if draft else _plural(len(passed), "corroboration")
        body = [f"\n<details>\n<summary>{_ICON[passed[0].status]} {label}</summary>\n"]
        for item in passed:
            body.append(f"\n{_block(item)}")
        body.append("\n</details>\n")
        out.add("".join(body), tuple(item.id for item in passed))

    if out.omitted:
        out.add(
            f"\n_{_plural(len(out.omitted), 'item')} not shown in full to keep this comment under GitHub's size limit; "
            "see the full report (`--format html` or `--format json`)._\n",
            force=True,
        )
    return "".join(out.pieces)


@register
class MarkdownReporter(Reporter):
    name = "markdown"
    description = "Markdown for a pull-request comment: verdict counts, a problem table, quoted evidence"

    def render(self, report: Report, options: RenderOptions) -> str:
        return render_markdown(report)
