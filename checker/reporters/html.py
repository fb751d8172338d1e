"""A self-contained HTML report: one file, inline CSS and JS, nothing fetched.

Layout: a summary (documents, outlets, findings by kind and severity, skipped
files), a matrix of outlets against outlets counting the conflicts between each
pair, then every finding as a card with its sides side by side, the compared
span of each sentence marked, and the reasons for the alignment in a
``<details>``. Filters (severity, kind, outlet) hide cards by toggling their
``hidden`` attribute; info findings start hidden unless ``options.show_info``.
Each card's element id is its finding id, so ``report.html#F001`` links to it.

Safety: every string that comes from a document or the report is escaped with
``html.escape(..., quote=True)`` and control characters are replaced. The
script never reads document text; it only compares ``data-*`` attributes and
writes counts with ``textContent``. A Content-Security-Policy meta tag allows
no network at all and only the inline script whose SHA-256 is computed here,
so even a missed escape could not run anything.

The output is deterministic: no timestamps, findings in report order, outlets
and kinds sorted.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from collections import Counter
from html import escape
from itertools import combinations
from urllib.parse import quote

from checker.models import Evidence, Finding, Report, Severity
from checker.reporters.base import RenderOptions, Reporter, kinds_left_out, register

# Severities in display order, with their labels.
SEVERITIES = (Severity.conflict, Severity.warning, Severity.info)
_LABEL = {Severity.conflict: "Conflict", Severity.warning: "Warning", Severity.info: "Info"}
_FILTER_LABEL = {
    Severity.conflict: "conflict",
    Severity.warning: "warning",
    Severity.info: "info (agreements)",
}
_SYMBOL = {Severity.conflict: "\u2716", Severity.warning: "\u25b2", Severity.info: "\u25cf"}

# Beyond this many outlets the matrix only lists those in a conflict or warning.
MATRIX_MAX_OUTLETS = 30

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_HTTP_URL = re.compile(r"^https?://[^\s\"'<>`]+$", re.IGNORECASE)

_CSS = """\
:root{color-scheme:light dark;--bg:#f4f5f7;--surface:#fff;--text:#1a1d21;--muted:#4f5863;--border:#cfd5dc;
--accent:#1d4ed8;--mark:#ffe27a;--mark-text:#1a1d21;--target:#1d4ed8;
--conflict:#9b1c1c;--conflict-bg:#fdecec;--conflict-line:#d9534f;
--warning:#7a4700;--warning-bg:#fff3d6;--warning-line:#d69e2e;
--info:#1e5b2e;--info-bg:#e6f4ea;--info-line:#4caf6a}
@media (prefers-color-scheme:dark){:root{--bg:#14171b;--surface:#1d2127;--text:#e8eaed;--muted:#aab3bd;
--border:#3a414a;--accent:#8ab4ff;--mark:#f2cc4d;--mark-text:#14171b;--target:#8ab4ff;
--conflict:#ffb4ab;--conflict-bg:#3b1d1d;--conflict-line:#e0665e;
--warning:#ffd27a;--warning-bg:#3a2e14;--warning-line:#d69e2e;
--info:#9fdcae;--info-bg:#1b3323;--info-line:#4caf6a}}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
"Noto Sans","Liberation Sans","DejaVu Sans",Arial,sans-serif}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible,
[tabindex]:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
code,.mono{font-family:ui-monospace,"SFMono-Regular","DejaVu Sans Mono","Liberation Mono",Menlo,Consolas,monospace;
font-size:.875em;overflow-wrap:anywhere}
.skip{position:absolute;left:-999px;top:0;background:var(--surface);padding:.5rem 1rem;z-index:10}
.skip:focus{left:1rem}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);
white-space:nowrap;margin:-1px;padding:0;border:0}
.page-head{background:var(--surface);border-bottom:1px solid var(--border)}
.page-head>div,main,.page-foot{max-width:76rem;margin:0 auto;padding:0 1.25rem}
.page-head>div{padding-top:1.1rem;padding-bottom:.9rem}
h1{font-size:1.6rem;line-height:1.2;margin:0 0 .25rem}
h2{font-size:1.3rem;margin:2rem 0 .75rem}
h3{font-size:1.05rem;margin:0}
.lede{margin:0;color:var(--muted)}
.toc{margin:.6rem 0 0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.75rem;margin:0;padding:0;
list-style:none}
.card{background:var(--surface);border:1px solid var(--border);border-radius:.5rem;padding:.6rem .85rem}
.card .n{display:block;font-size:1.6rem;font-weight:700;line-height:1.2;font-variant-numeric:tabular-nums}
.card .l{color:var(--muted);font-size:.9rem}
.card.sev-conflict{border-left:.35rem solid var(--conflict-line)}
.card.sev-warning{border-left:.35rem solid var(--warning-line)}
.card.sev-info{border-left:.35rem solid var(--info-line)}
.panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(24rem,100%),1fr));gap:1rem;margin-top:1rem}
.panel{background:var(--surface);border:1px solid var(--border);border-radius:.5rem;padding:.75rem 1rem}
.panel h3{margin-bottom:.5rem}
.panel ul{margin:0;padding-left:1.2rem}
.panel p{margin:0}
.muted{color:var(--muted)}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
th,td{padding:.35rem .6rem;border:1px solid var(--border);text-align:left;vertical-align:top}
thead th{background:var(--bg)}
td.num,th.num{text-align:right}
caption{text-align:left;color:var(--muted);padding-bottom:.4rem;caption-side:top}
.scroll{overflow-x:auto;max-width:100%}
.docs{margin-top:1rem}
.docs>summary{cursor:pointer;font-weight:600}
.docs table{margin-top:.5rem;background:var(--surface);width:100%}
.matrix{background:var(--surface)}
.matrix th{max-width:12rem;overflow-wrap:anywhere;font-weight:600}
.matrix thead th{vertical-align:bottom}
.matrix td{text-align:center;min-width:4.5rem;vertical-align:middle}
.matrix tbody th{vertical-align:middle}
.matrix td.self{background:repeating-linear-gradient(45deg,transparent 0 6px,var(--bg) 6px 12px)}
.matrix td.hot{background:var(--conflict-bg)}
.matrix button{font:inherit;font-weight:700;color:var(--conflict);background:none;border:0;padding:.1rem .4rem;
cursor:pointer;text-decoration:underline;text-underline-offset:2px}
.matrix .zero{color:var(--muted)}
.matrix .warn{display:block;font-size:.78rem;color:var(--warning);font-weight:400}
.filters{background:var(--surface);border:1px solid var(--border);border-radius:.5rem;padding:.6rem 1rem;
display:flex;flex-wrap:wrap;gap:.6rem 1.25rem;align-items:flex-end;margin-bottom:1rem}
.filters fieldset{border:0;margin:0;padding:0;min-width:0}
.filters legend{font-weight:600;padding:0;margin-bottom:.2rem}
.filters .opts{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center}
.filters .outlets .opts{gap:.25rem .5rem}
.filters label{white-space:nowrap;cursor:pointer}
.filters select{font:inherit;max-width:11rem;padding:.15rem .3rem}
.filters button{font:inherit;padding:.2rem .6rem;cursor:pointer}
.status{margin:0 0 .75rem;color:var(--muted)}
.findings{list-style:none;margin:0;padding:0;display:grid;gap:1rem}
.finding{background:var(--surface);border:1px solid var(--border);border-left:.4rem solid var(--border);
border-radius:.5rem;padding:.85rem 1rem;scroll-margin-top:1rem}
.finding.sev-conflict{border-left-color:var(--conflict-line)}
.finding.sev-warning{border-left-color:var(--warning-line)}
.finding.sev-info{border-left-color:var(--info-line)}
.finding:target{outline:3px solid var(--target);outline-offset:3px;box-shadow:0 0 0 .5rem rgba(29,78,216,.15)}
.meta{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem .75rem;font-size:.9rem;color:var(--muted);
margin-bottom:.35rem}
.badge{display:inline-block;font-weight:700;font-size:.8rem;letter-spacing:.04em;text-transform:uppercase;
border-radius:1rem;padding:.1rem .6rem;border:1px solid currentColor}
.badge.sev-conflict{color:var(--conflict);background:var(--conflict-bg)}
.badge.sev-warning{color:var(--warning);background:var(--warning-bg)}
.badge.sev-info{color:var(--info);background:var(--info-bg)}
.anchor{margin-left:auto;font-weight:600;text-decoration:none}
.anchor:hover{text-decoration:underline}
.sides{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(17rem,100%),1fr));gap:.75rem;margin:.75rem 0 .5rem}
.side{border:1px solid var(--border);border-radius:.4rem;padding:.6rem .8rem;display:flex;flex-direction:column;
min-width:0}
.side h4{margin:0;font-size:1rem;overflow-wrap:anywhere}
code.docid{font-size:.85em;font-weight:600}
.side .date{font-size:.9rem;color:var(--muted)}
.side .nodate{font-style:italic}
.side blockquote{margin:.5rem 0;padding:0 0 0 .7rem;border-left:3px solid var(--border);overflow-wrap:anywhere}
mark{background:var(--mark);color:var(--mark-text);font-weight:700;padding:0 .15em;border-radius:.2em;
box-shadow:inset 0 -2px 0 rgba(0,0,0,.45);-webkit-box-decoration-break:clone;box-decoration-break:clone}
.facts{display:grid;grid-template-columns:auto 1fr;gap:.1rem .75rem;margin:auto 0 0;font-size:.92rem}
.facts dt{color:var(--muted)}
.facts dd{margin:0;overflow-wrap:anywhere}
.facts .value{font-weight:700}
.why>summary{cursor:pointer;color:var(--accent);font-weight:600}
.why ul{margin:.4rem 0 0;padding-left:1.3rem}
.why p{margin:.4rem 0 0;color:var(--muted);font-size:.92rem}
.none{background:var(--surface);border:1px dashed var(--border);border-radius:.5rem;padding:1rem}
.clusters{list-style:none;padding:0}.cluster{background:var(--surface);border:1px solid var(--border);border-radius:.5rem;padding:.6rem 1rem;margin:.5rem 0}.cluster ul{margin:.3rem 0}.cluster .value{font-weight:600}.cluster-findings{margin:.2rem 0;font-size:.85rem}
.page-foot{color:var(--muted);font-size:.85rem;padding-top:1.5rem;padding-bottom:2rem}
@media (min-width:60rem){.filters{position:sticky;top:0;z-index:5;box-shadow:0 2px 6px rgba(0,0,0,.08)}
.finding{scroll-margin-top:7rem}}
@media (max-width:40rem){body{font-size:15px}.page-head>div,main,.page-foot{padding:0 .75rem}
.page-head>div{padding-top:.8rem;padding-bottom:.7rem}.sides{grid-template-columns:1fr}.anchor{margin-left:0}}
@media (prefers-reduced-motion:no-preference){.finding:target{animation:flash 1.6s ease-out}
@keyframes flash{from{background:var(--mark)}to{background:var(--surface)}}}
@media print{:root{--bg:#fff;--surface:#fff;--text:#000;--muted:#333;--border:#999}
body{font-size:10.5pt;background:#fff}.skip,.toc,.filters,.anchor{display:none!important}
.scroll{overflow:visible}
.page-head{border:0}.finding,.side,.panel,.card,tr{break-inside:avoid}
.finding:target{outline:0;box-shadow:none;animation:none}
a{color:inherit;text-decoration:none}.matrix button{color:inherit;text-decoration:none}
mark{print-color-adjust:exact;-webkit-print-color-adjust:exact}
.badge,.matrix td.hot{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
"""

# The only script on the page. It reads data-* attributes and form state, sets
# `hidden` and writes numbers with textContent; it never touches document text.
_SCRIPT = """
(function () {
  "use strict";
  var doc = document;
  var form = doc.getElementById("check--filters");
  if (!form) { return; }
  var cards = Array.prototype.slice.call(doc.querySelectorAll("article.finding"));
  var status = doc.getElementById("check--shown");
  var none = doc.getElementById("check--none");
  var outletA = doc.getElementById("check--outlet");
  var outletB = doc.getElementById("check--versus");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));

  function ticked(name) {
    var set = {};
    boxes.forEach(function (box) { if (box.name === name && box.checked) { set[box.value] = true; } });
    return set;
  }
  function pairKey(a, b) {
    a = Number(a); b = Number(b);
    return a <= b ? a + "-" + b : b + "-" + a;
  }
  function words(value) { return value ? value.split(" ") : []; }

  function apply() {
    var severities = ticked("severity");
    var kinds = ticked("kind");
    var a = outletA.value, b = outletB.value;
    var shown = 0;
    cards.forEach(function (card) {
      var ok = severities[card.getAttribute("data-severity")] === true &&
        kinds[card.getAttribute("data-kind")] === true;
      if (ok && a !== "" && b !== "") {
        ok = words(card.getAttribute("data-pairs")).indexOf(pairKey(a, b)) >= 0;
      } else if (ok && (a !== "" || b !== "")) {
        ok = words(card.getAttribute("data-outlets")).indexOf(a !== "" ? a : b) >= 0;
      }
      card.hidden = !ok;
      if (ok) { shown += 1; }
    });
    status.textContent = String(shown);
    none.hidden = shown > 0;
  }

  function reveal(id) {
    var card = id ? doc.getElementById(id) : null;
    if (!card || !card.classList.contains("finding")) { return; }
    if (card.hidden) {
      boxes.forEach(function (box) {
        if ((box.name === "severity" && box.value === card.getAttribute("data-severity")) ||
            (box.name === "kind" && box.value === card.getAttribute("data-kind"))) { box.checked = true; }
      });
      outletA.value = "";
      outletB.value = "";
      apply();
    }
    card.scrollIntoView({block: "start"});
  }
  function fromHash() {
    var id = window.location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (e) { return; }
    reveal(id);
  }

  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  Array.prototype.forEach.call(doc.querySelectorAll("button[data-a]"), function (button) {
    button.addEventListener("click", function () {
      outletA.value = button.getAttribute("data-a");
      outletB.value = button.getAttribute("data-b");
      apply();
      doc.getElementById("check--findings").scrollIntoView({block: "start"});
      outletA.focus({preventScroll: true});
    });
  });
  window.addEventListener("hashchange", fromHash);

  var closed = [];
  window.addEventListener("beforeprint", function () {
    closed = Array.prototype.filter.call(doc.querySelectorAll("details"), function (d) { return !d.open; });
    closed.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });

  doc.documentElement.setAttribute("data-js", "on");
  apply();
  if (window.location.hash.length > 1) { fromHash(); }
})();
"""

# Shown when scripts are off (or blocked): no filters, every finding visible.
_NOSCRIPT_CSS = ".filters,.status{display:none!important}.findings .finding[hidden]{display:block!important}"

_FAVICON_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1d4ed8"/>'
    '<path d="M4 8.5l2.5 2.5L12 5" stroke="#fff" stroke-width="2" fill="none"/></svg>'
)
_FAVICON = "data:image/svg+xml;base64," + base64.b64encode(_FAVICON_SVG.encode("ascii")).decode("ascii")


def script_hash(script: str = _SCRIPT) -> str:
    """The CSP source expression allowing exactly ``script`` (``'sha256-...'``)."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def content_security_policy(script: str = _SCRIPT) -> str:
    return (
        "default-src 'none'; style-src 'unsafe-inline'; "
        f"script-src {script_hash(script)}; img-src data:; base-uri 'none'; form-action 'none'"
    )


def _clean(text: str) -> str:
    """Text safe to put in an HTML document: control, private-use and lone surrogate characters replaced."""
    return "".join(
        ch if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Co", "Cs") else "\ufffd" for ch in text
    )


def e(text: object) -> str:
    """Escape for text content and (double-quoted) attribute values alike."""
    return escape(_clean(str(text)), quote=True)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


def side_outlet(side: Evidence) -> str:
    """The outlet a side is credited to: its outlet, or its doc_id when the outlet is unknown."""
    return side.outlet or side.doc_id


def conflict_pairs(report: Report) -> Counter[tuple[str, str]]:
    """Conflicts between each (sorted) pair of outlets: each finding counts once per pair of its sides' outlets."""
    return _pairs(report, Severity.conflict)


def _pairs(report: Report, severity: Severity) -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for finding in report.findings:
        if finding.severity is severity:
            for pair in _finding_pairs(finding):
                counts[pair] += 1
    return counts


def _finding_pairs(finding: Finding) -> list[tuple[str, str]]:
    pairs = {tuple(sorted((side_outlet(x), side_outlet(y)))) for x, y in combinations(finding.sides, 2)}
    return sorted(pairs)  # type: ignore[arg-type]


def _sort_key(name: str) -> tuple[str, str]:
    return (name.casefold(), name)


@register
class HtmlReporter(Reporter):
    name = "html"
    description = "a self-contained HTML page with filters, an outlet matrix and linkable findings"

    _doc_named: frozenset[str] = frozenset()

    def render(self, report: Report, options: RenderOptions) -> str:
        outlets = sorted(
            {doc.meta.outlet or doc.doc_id for doc in report.documents}
            | {side_outlet(side) for finding in report.findings for side in finding.sides},
            key=_sort_key,
        )
        index = {name: i for i, name in enumerate(outlets)}
        # Outlets that are really doc_ids (no outlet known) are shown as file names.
        self._doc_named = frozenset(
            {doc.doc_id for doc in report.documents if not doc.meta.outlet}
            | {side.doc_id for finding in report.findings for side in finding.sides if not side.outlet}
        )
        counts = Counter(finding.severity for finding in report.findings)
        title = (
            f"check report: {plural(counts[Severity.conflict], 'conflict')}, "
            f"{plural(counts[Severity.warning], 'warning')} across {plural(report.summary.documents, 'document')}"
        )
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{e(content_security_policy())}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="referrer" content="no-referrer">',
            f'<meta name="generator" content="{e(report.tool)} {e(report.version)}">',
            f"<title>{e(title)}</title>",
            f'<link rel="icon" href="{_FAVICON}">',
            f"<style>\n{_CSS}</style>",
            f"<noscript><style>{_NOSCRIPT_CSS}</style></noscript>",
            "</head>",
            "<body>",
            '<a class="skip" href="#check--findings">Skip to findings</a>',
            '<header class="page-head"><div>',
            "<h1>Fact consistency report</h1>",
            f'<p class="lede">{e(self._lede(report, counts))}</p>',
            '<nav aria-label="Sections"><ul class="toc">'
            '<li><a href="#check--summary">Summary</a></li>'
            '<li><a href="#check--matrix">Conflicts between outlets</a></li>'
            '<li><a href="#check--clusters">Fact clusters</a></li>'
            '<li><a href="#check--findings">Findings</a></li></ul></nav>',
            "</div></header>",
            "<main>",
        ]
        parts += self._summary(report, outlets, counts)
        parts += self._matrix(report, outlets)
        parts += self._clusters(report)
        parts += self._findings(report, outlets, index, options)
        parts += [
            "</main>",
            '<footer class="page-foot">',
            f"<p>Generated by {e(report.tool)} {e(report.version)} (report schema {report.schema_version}); "
            f"sentences aligned with <code>{e(report.model)}</code>. "
            "This page is self-contained: it loads nothing from the network.</p>",
            "</footer>",
            f"<script>{_SCRIPT}</script>",
            "</body>",
            "</html>",
        ]
        return "\n".join(parts) + "\n"

    # ------------------------------------------------------------------ header and summary

    @staticmethod
    def _lede(report: Report, counts: Counter[Severity]) -> str:
        s = report.summary
        found = (
            f"{plural(counts[Severity.conflict], 'conflict')}, {plural(counts[Severity.warning], 'warning')} "
            f"and {plural(counts[Severity.info], 'corroboration')}"
        )
        left_out = kinds_left_out(report)
        return (
            f"{found} found in {plural(s.documents, 'document')} "
            f"({plural(s.sentences, 'sentence')}, {plural(s.facts, 'fact')}, {plural(s.aligned_pairs, 'aligned pair')})."
            + (f" Not looked for: {left_out}." if left_out else "")
        )

    def _summary(self, report: Report, outlets: list[str], counts: Counter[Severity]) -> list[str]:
        s = report.summary
        cards = [
            ("", s.documents, "documents" if s.documents != 1 else "document"),
            ("", len(outlets), "outlets" if len(outlets) != 1 else "outlet"),
            ("", s.facts, "facts compared" if s.facts != 1 else "fact compared"),
            ("", s.aligned_pairs, "aligned pairs" if s.aligned_pairs != 1 else "aligned pair"),
        ]
        cards += [
            (f" sev-{sev.value}", counts[sev], f"{_SYMBOL[sev]} {_LABEL[sev].lower()}") for sev in SEVERITIES
        ]
        if s.skipped:
            cards.append(("", s.skipped, "skipped files" if s.skipped != 1 else "skipped file"))
        out = [
            '<section id="check--summary" aria-labelledby="check--summary-h">',
            '<h2 id="check--summary-h">Summary</h2>',
            '<ul class="cards">',
        ]
        out += [
            f'<li class="card{cls}"><span class="n">{n}</span> <span class="l">{e(label)}</span></li>'
            for cls, n, label in cards
        ]
        out.append("</ul>")
        out.append('<div class="panels">')
        out += self._kind_table(report)
        out += self._skipped(report)
        out.append("</div>")
        out += self._documents(report)
        out.append("</section>")
        return out

    @staticmethod
    def _kind_table(report: Report) -> list[str]:
        by_kind: dict[str, Counter[Severity]] = {}
        for finding in report.findings:
            by_kind.setdefault(finding.kind, Counter())[finding.severity] += 1
        out = ['<div class="panel">', "<h3>Findings by kind and severity</h3>"]
        if not by_kind:
            out += ['<p class="muted">No findings.</p>', "</div>"]
            return out
        out.append('<div class="scroll"><table>')
        out.append(
            "<thead><tr><th scope=\"col\">Kind</th>"
            + "".join(f'<th scope="col" class="num">{_LABEL[sev]}</th>' for sev in SEVERITIES)
            + '<th scope="col" class="num">Total</th></tr></thead><tbody>'
        )
        for kind in sorted(by_kind, key=_sort_key):
            row = by_kind[kind]
            out.append(
                f'<tr><th scope="row">{e(kind)}</th>'
                + "".join(f'<td class="num">{row[sev]}</td>' for sev in SEVERITIES)
                + f'<td class="num">{sum(row.values())}</td></tr>'
            )
        out.append("</tbody></table></div></div>")
        return out

    @staticmethod
    def _skipped(report: Report) -> list[str]:
        out = ['<div class="panel">', f"<h3>Skipped files ({len(report.skipped)})</h3>"]
        if not report.skipped:
            out.append('<p class="muted">Every file found was read.</p>')
        else:
            out.append("<ul>")
            out += [
                f"<li><code>{e(skipped.path)}</code>: {e(skipped.reason)}</li>"
                for skipped in sorted(report.skipped, key=lambda s: (s.path, s.reason))
            ]
            out.append("</ul>")
        out.append("</div>")
        return out

    @staticmethod
    def _documents(report: Report) -> list[str]:
        out = [
            '<details class="docs">',
            f"<summary>Documents read ({len(report.documents)})</summary>",
        ]
        if not report.documents:
            out += ['<p class="muted">None.</p>', "</details>"]
            return out
        out.append('<div class="scroll"><table>')
        out.append(
            '<thead><tr><th scope="col">Document</th><th scope="col">Outlet</th><th scope="col">Title</th>'
            '<th scope="col">Published</th><th scope="col">Format</th><th scope="col" class="num">Sentences</th>'
            '<th scope="col" class="num">Facts</th></tr></thead><tbody>'
        )
        for doc in sorted(report.documents, key=lambda d: d.doc_id):
            meta = doc.meta
            title = e(meta.title) if meta.title else '<span class="muted">untitled</span>'
            if meta.url and _HTTP_URL.match(meta.url):
                title = f'<a href="{e(meta.url)}" rel="noopener noreferrer">{title}</a>'
            outlet = e(meta.outlet) if meta.outlet else '<span class="muted">unknown</span>'
            out.append(
                f'<tr><th scope="row"><code>{e(doc.doc_id)}</code></th><td>{outlet}</td><td>{title}</td>'
                f"<td>{_date(meta.published)}</td><td>{e(doc.format)}</td>"
                f'<td class="num">{doc.sentences}</td><td class="num">{doc.facts}</td></tr>'
            )
        out.append("</tbody></table></div></details>")
        return out

    # ------------------------------------------------------------------ outlet matrix

    def _matrix(self, report: Report, outlets: list[str]) -> list[str]:
        conflicts = _pairs(report, Severity.conflict)
        warnings = _pairs(report, Severity.warning)
        note = ""
        shown = outlets
        if len(outlets) > MATRIX_MAX_OUTLETS:
            involved = {name for pair in (*conflicts, *warnings) for name in pair}
            shown = [name for name in outlets if name in involved]
            note = (
                f" Only the {plural(len(shown), 'outlet')} in a conflict or warning are listed "
                f"({len(outlets) - len(shown)} more had none)."
            )
        out = [
            '<section id="check--matrix" aria-labelledby="check--matrix-h">',
            '<h2 id="check--matrix-h">Conflicts between outlets</h2>',
        ]
        if not shown:
            out += ['<p class="none">No outlets to compare.</p>', "</section>"]
            return out
        index = {name: i for i, name in enumerate(outlets)}
        out.append('<div class="scroll" role="region" aria-labelledby="check--matrix-h" tabindex="0">')
        out.append('<table class="matrix">')
        out.append(
            "<caption>Number of conflicts between each pair of outlets (a document without a known outlet "
            f"stands for itself); warnings are noted below the count. Select a count to list those findings.{e(note)}"
            "</caption>"
        )
        out.append(
            '<thead><tr><td></td>' + "".join(f'<th scope="col">{self._outlet(name)}</th>' for name in shown)
            + "</tr></thead>"
        )
        out.append("<tbody>")
        for row in shown:
            cells = []
            for col in shown:
                pair = tuple(sorted((row, col)))
                n = conflicts.get(pair, 0)  # type: ignore[call-overload]
                w = warnings.get(pair, 0)  # type: ignore[call-overload]
                a, b = index[row], index[col]
                classes = ["self"] if row == col else []
                if n:
                    classes.append("hot")
                    label = f"{plural(n, 'conflict')} between {row} and {col}" if row != col else (
                        f"{plural(n, 'conflict')} within {row}"
                    )
                    body = f'<button type="button" data-a="{a}" data-b="{b}" aria-label="{e(label)}">{n}</button>'
                elif row == col:
                    body = '<span class="zero" aria-label="same outlet">\u2014</span>'
                else:
                    body = '<span class="zero">0</span>'
                if w:
                    body += f'<span class="warn">+{plural(w, "warning")}</span>'
                cls = f' class="{" ".join(classes)}"' if classes else ""
                cells.append(f'<td{cls} data-a="{a}" data-b="{b}" data-conflicts="{n}" data-warnings="{w}">{body}</td>')
            out.append(f'<tr><th scope="row">{self._outlet(row)}</th>{"".join(cells)}</tr>')
        out.append("</tbody></table></div>")
        out.append("</section>")
        return out

    # ------------------------------------------------------------------ findings

    def _clusters(self, report: Report) -> list[str]:
        """Each fact several documents state, with the outlets behind each value, disputed ones first."""
        out = [
            '<section id="check--clusters" aria-labelledby="check--clusters-h">',
            '<h2 id="check--clusters-h">Fact clusters</h2>',
        ]
        reported = {finding.id for finding in report.findings}
        clusters = [cluster for cluster in report.clusters if reported.intersection(cluster.finding_ids)]
        if not clusters:
            return [*out, '<p class="none">No fact is stated by more than one document.</p>', "</section>"]
        out.append('<ul class="clusters">')
        for cluster in clusters:
            links = " ".join(f'<a href="#{e(quote(finding_id, safe=""))}">{e(finding_id)}</a>' for finding_id in cluster.finding_ids)
            out.append(
                f'<li id="{e(cluster.id)}" class="cluster sev-{e(cluster.severity.value)}">'
                f"<strong>{e(cluster.subject)}</strong>"
            )
            out.append("<ul>")
            for group in cluster.groups:
                outlets = ", ".join(self._outlet(name) for name in group.outlets)
                out.append(f"<li><span class=\"value\">{e(group.value)}</span>: {plural(len(group.outlets), 'outlet')} ({outlets})</li>")
            out.append(f'</ul><p class="cluster-findings">Findings: {links}</p></li>')
        out += ["</ul>", "</section>"]
        return out

    def _findings(self, report: Report, outlets: list[str], index: dict[str, int], options: RenderOptions) -> list[str]:
        findings = report.findings
        visible = [f for f in findings if f.severity is not Severity.info or options.show_info]
        counts = Counter(f.severity for f in findings)
        kinds = Counter(f.kind for f in findings)
        out = [
            '<section id="check--findings" aria-labelledby="check--findings-h">',
            '<h2 id="check--findings-h">Findings</h2>',
        ]
        if not findings:
            out += ['<p class="none">No findings: the documents do not disagree on any fact that was compared.</p>',
                    "</section>"]
            return out
        involved = sorted({side_outlet(s) for f in findings for s in f.sides}, key=_sort_key)
        out.append('<form id="check--filters" class="filters" aria-label="Filter findings">')
        out.append('<fieldset><legend>Severity</legend><div class="opts">')
        for sev in SEVERITIES:
            checked = " checked" if sev is not Severity.info or options.show_info else ""
            out.append(
                f'<label><input type="checkbox" name="severity" value="{sev.value}"{checked}> '
                f"{e(_FILTER_LABEL[sev])} ({counts[sev]})</label>"
            )
        out.append("</div></fieldset>")
        out.append('<fieldset><legend>Kind</legend><div class="opts">')
        for kind in sorted(kinds, key=_sort_key):
            out.append(
                f'<label><input type="checkbox" name="kind" value="{e(kind)}" checked> {e(kind)} ({kinds[kind]})</label>'
            )
        out.append("</div></fieldset>")
        options_html = '<option value="">any outlet</option>' + "".join(
            f'<option value="{index[name]}">{e(name)}</option>' for name in involved
        )
        out.append(
            '<fieldset class="outlets"><legend>Outlets</legend><div class="opts">'
            f'<label for="check--outlet" class="visually-hidden">Outlet</label>'
            f'<select id="check--outlet" name="outlet">{options_html}</select>'
            '<span aria-hidden="true">vs</span>'
            f'<label for="check--versus" class="visually-hidden">versus outlet</label>'
            f'<select id="check--versus" name="versus">{options_html}</select>'
            "</div></fieldset>"
        )
        out.append('<button type="reset">Reset filters</button>')
        out.append("</form>")
        out.append(
            f'<p class="status" role="status">Showing <span id="check--shown">{len(visible)}</span> of '
            f"{plural(len(findings), 'finding')}.</p>"
        )
        out.append('<div class="findings">')
        for finding in findings:
            hidden = finding.severity is Severity.info and not options.show_info
            out += self._finding(finding, index, hidden, options)
        out.append("</div>")
        none_hidden = " hidden" if visible else ""
        out.append(f'<p id="check--none" class="none"{none_hidden}>No findings match these filters.</p>')
        out.append("</section>")
        return out

    def _finding(self, finding: Finding, index: dict[str, int], hidden: bool, options: RenderOptions) -> list[str]:
        sev = finding.severity
        fid = e(finding.id)
        side_outlets = sorted({index[side_outlet(s)] for s in finding.sides})
        pairs = sorted(
            {"-".join(str(i) for i in sorted((index[a], index[b]))) for a, b in _finding_pairs(finding)},
        )
        attrs = (
            f'id="{fid}" class="finding sev-{sev.value}" data-severity="{sev.value}" data-kind="{e(finding.kind)}" '
            f'data-outlets="{" ".join(map(str, side_outlets))}" data-pairs="{" ".join(pairs)}"'
        )
        out = [f"<article {attrs}{' hidden' if hidden else ''}>"]
        out.append(
            '<div class="meta">'
            f'<span class="badge sev-{sev.value}"><span aria-hidden="true">{_SYMBOL[sev]} </span>{_LABEL[sev]}</span>'
            f"<span>{e(finding.kind)}</span>"
            f'<span class="mono">{fid}</span>'
            f"<span>confidence {finding.score:.2f}</span>"
            f'<a class="anchor" href="#{e(quote(finding.id, safe=""))}">Link to this finding'
            f'<span class="visually-hidden"> {fid}</span></a>'
            "</div>"
        )
        out.append(f"<h3>{e(finding.summary)}</h3>")
        out.append('<div class="sides">')
        for side in finding.sides:
            out += self._side(side)
        out.append("</div>")
        open_attr = " open" if options.explain else ""
        out.append(f'<details class="why"{open_attr}><summary>Why these were compared '
                   f"({plural(len(finding.reasons), 'reason')})</summary>")
        if finding.reasons:
            out.append("<ul>")
            out += [f"<li>{e(reason)}</li>" for reason in finding.reasons]
            out.append("</ul>")
        scores = ", ".join(f"{e(side_outlet(s))} {s.score:.2f}" for s in finding.sides)
        out.append(
            f"<p>Confidence that the sides state the same fact: {finding.score:.2f}. "
            f"Confidence that each side states it: {scores}.</p>"
        )
        out.append("</details>")
        out.append("</article>")
        return out

    def _outlet(self, name: str) -> str:
        return f'<code class="docid">{e(name)}</code>' if name in self._doc_named else e(name)

    def _side(self, side: Evidence) -> list[str]:
        out = ['<section class="side">']
        out.append(f"<h4>{self._outlet(side_outlet(side))}</h4>")
        out.append(f'<div class="date">{_date(side.published)}</div>')
        sentence, missing = _marked(side)
        out.append(f"<blockquote>{sentence}</blockquote>")
        out.append('<dl class="facts">')
        out.append(f'<dt>Value</dt><dd class="value">{e(side.value)}</dd>')
        if missing:
            out.append(f"<dt>Span</dt><dd><mark>{e(side.span)}</mark></dd>")
        out.append(
            f'<dt>Where</dt><dd><code title="characters {side.start}\u2013{side.end} of the source file">'
            f"{e(side.doc_id)}:{side.line}:{side.column}</code></dd>"
        )
        out.append("</dl>")
        out.append("</section>")
        return out


def _date(published: str | None) -> str:
    if not published:
        return '<span class="nodate">no date</span>'
    if _ISO_DATE.match(published):
        return f'<time datetime="{e(published)}">{e(published)}</time>'
    return e(published)


def _marked(side: Evidence) -> tuple[str, bool]:
    """The sentence with its span in ``<mark>``, and whether the span could not be placed."""
    sentence, span = side.sentence, side.span
    start = side.span_start
    if not (0 <= start <= side.span_end <= len(sentence)) or sentence[start : side.span_end] != span:
        start = sentence.find(span) if span else -1
    if start < 0 or not span:
        return e(sentence.strip()), bool(span)
    end = start + len(span)
    before, after = sentence[:start].lstrip(), sentence[end:].rstrip()
    return f"{e(before)}<mark>{e(span)}</mark>{e(after)}", False
