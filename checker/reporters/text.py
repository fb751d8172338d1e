"""Human-readable report for terminals and CI logs (the default format).

Layout::

    check: 3 documents, 61 sentences, 23 facts, 7 aligned pairs
      skipped valley-wire/gallery.zip: unsupported file type (.zip)

    CONFLICT number  duration of the talks: 9 hours vs about 6 hours   [F001]
      The Harbor Ledger (2024-03-14)  harbor-ledger/talks.md:14:31
        Negotiators emerged after [[9 hours]] of talks ...
        value: 9 hour
      ...

    1 conflict, 1 warning, 1 corroboration (use --show-info to list)

Without colour the compared span is wrapped in ``[[`` and ``]]``; with colour it
is styled instead. Lines wrap at ``options.width`` (at least 40). Whitespace
runs inside sentences are shown as one space, and control (and private-use)
characters as U+FFFD, so article text can never inject escape codes into a
log. A span is never split across lines unless it is wider than the line.
"""

from __future__ import annotations

import io
import re
import unicodedata

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from checker.clusters import cluster_findings
from checker.models import ClaimCheck, Evidence, FactCluster, Finding, Report, Severity, Verdict
from checker.reporters.base import RenderOptions, Reporter, kinds_left_out, register

SPAN_OPEN = "[["
SPAN_CLOSE = "]]"
MIN_WIDTH = 40

_LABEL_WIDTH = 8
_LABELS = {Severity.conflict: "CONFLICT", Severity.warning: "WARNING", Severity.info: "INFO"}
_STYLES = {Severity.conflict: "bold red", Severity.warning: "bold yellow", Severity.info: "bold green"}
_VERDICT_SEVERITY = {Verdict.contradicted: Severity.conflict, Verdict.unverified: Severity.warning, Verdict.supported: Severity.info}
_SPAN_STYLES = {Severity.conflict: "bold red underline", Severity.warning: "bold yellow underline", Severity.info: "bold green underline"}
_WHITESPACE = re.compile(r"\s+")
_KEEP = "\ue000"  # stands in for spaces inside a span while rich wraps, so a span is never split


def clean(text: str) -> str:
    """One line of displayable text: whitespace runs collapsed, control characters replaced."""
    text = _WHITESPACE.sub(" ", text)
    return "".join("\ufffd" if unicodedata.category(ch) in ("Cc", "Co") else ch for ch in text)


def disputed_clusters(report: Report, shown: list[Finding], folded: set[str]) -> list[FactCluster]:
    """Facts three or more documents state with different values that the findings shown do not
    already tell whole: a conflict shown alone while the agreements behind the majority's value
    are hidden. "San Francisco" against "California" is two values but no dispute; findings that
    baselines and suppressions removed count for nothing."""
    reported = {finding.id for finding in report.findings}
    displayed = {finding.id for finding in shown}
    return [
        cluster
        for cluster in report.clusters
        if cluster.severity is not Severity.info
        and len(cluster.groups) > 1
        and sum(len(group.doc_ids) for group in cluster.groups) > 2
        and folded.isdisjoint(cluster.finding_ids)
        and not displayed.issuperset(reported.intersection(cluster.finding_ids))
    ]


def told_together(findings: list[Finding], agreements: list[Finding]) -> dict[str, FactCluster]:
    """The findings that share a statement with another one, keyed by id, with the fact they tell:
    three outlets against a fourth are one disagreement, not three. ``agreements`` (corroborations
    not shown) may still put two values together."""
    folds = [cluster for cluster in cluster_findings(findings, agreements) if len(cluster.finding_ids) > 1]
    return {finding_id: fold for fold in folds for finding_id in fold.finding_ids}


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


@register
class TextReporter(Reporter):
    name = "text"
    description = "readable summary for terminals and CI logs (default)"

    def render(self, report: Report, options: RenderOptions) -> str:
        console = Console(
            file=io.StringIO(),
            width=max(options.width, MIN_WIDTH),
            color_system="standard" if options.color else None,
            force_terminal=options.color,
            force_jupyter=False,
            force_interactive=False,
            no_color=not options.color,
            legacy_windows=False,
            highlight=False,
            markup=False,
            emoji=False,
            tab_size=4,
        )
        self._header(console, report)
        if report.draft is not None:
            for claim in report.claims:
                if claim.verdict is Verdict.supported and not claim.disputed and not options.show_info:
                    continue
                console.print()
                self._claim(console, claim, options)
            console.print()
            self._claims_footer(console, report, options)
        else:
            shown = [f for f in report.findings if f.severity is not Severity.info or options.show_info]
            folds = told_together(shown, report.findings)
            folds_told: set[str] = set()
            for finding in shown:
                fold = folds.get(finding.id)
                if fold is None:
                    console.print()
                    self._finding(console, finding, options)
                elif fold.id not in folds_told:
                    folds_told.add(fold.id)
                    console.print()
                    self._fold(console, fold, [f for f in shown if f.id in fold.finding_ids], options)
            self._clusters(console, disputed_clusters(report, shown, set(folds)))
            if options.explain:
                self._set_aside(console, report, options)
            console.print()
            self._footer(console, report, options)
        output = console.file.getvalue().replace(_KEEP, " ")  # type: ignore[attr-defined]
        return "\n".join(line.rstrip(" ") for line in output.splitlines()) + "\n"

    # ------------------------------------------------------------------ parts

    def _header(self, console: Console, report: Report) -> None:
        s = report.summary
        console.print(
            Text(
                f"check: {plural(s.documents, 'document')}, {plural(s.sentences, 'sentence')}, "
                f"{plural(s.facts, 'fact')}, {plural(s.aligned_pairs, 'aligned pair')}"
            )
        )
        left_out = kinds_left_out(report)
        if left_out:
            console.print(Padding(Text(f"not looked for: {left_out}"), (0, 0, 0, 2), expand=False))
        for skipped in report.skipped:
            console.print(Padding(Text(f"skipped {clean(skipped.path)}: {clean(skipped.reason)}"), (0, 0, 0, 2), expand=False))

    @staticmethod
    def _labelled(severity: Severity) -> Text:
        """A line that starts with the severity's label, padded so that what follows lines up."""
        label = _LABELS[severity]
        line = Text()
        line.append(label, style=_STYLES[severity])
        line.append(" " * (_LABEL_WIDTH - len(label)))
        return line

    def _finding(self, console: Console, finding: Finding, options: RenderOptions) -> None:
        title = self._labelled(finding.severity)
        title.append(f" {clean(finding.kind)}  ")
        title.append(clean(finding.summary))
        title.append("   ")
        title.append(f"[{clean(finding.id)}]", style="dim")
        console.print(title)
        for side in finding.sides:
            self._side(console, side, finding.severity, options)
        if options.explain:
            self._explanation(console, finding, indent=2)

    @staticmethod
    def _explanation(console: Console, finding: Finding, indent: int) -> None:
        console.print(Padding(Text(f"confidence: {finding.score:.2f}"), (0, 0, 0, indent), expand=False))
        if finding.reasons:
            console.print(Padding(Text("why:"), (0, 0, 0, indent), expand=False))
            for reason in finding.reasons:
                console.print(Padding(Text(f"- {clean(reason)}"), (0, 0, 0, indent + 2), expand=False))

    def _fold(self, console: Console, fold: FactCluster, findings: list[Finding], options: RenderOptions) -> None:
        """One fact that several findings tell: each statement quoted once, under its value, then
        the findings between them one line each."""
        title = self._labelled(fold.severity)
        title.append(f" {clean(fold.kind)}  {clean(fold.summary)}")
        console.print(title)
        statements = {(side.doc_id, side.start, side.end): side for finding in findings for side in finding.sides}
        for group in fold.groups:
            console.print(Padding(Text(f"{clean(group.value)}:", style="bold"), (0, 0, 0, 2), expand=False))
            for key in sorted(statements):
                if statements[key].value in group.values:
                    shown = len(group.values) > 1
                    self._side(console, statements[key], fold.severity, options, show_value=shown, indent=4)
        console.print(Padding(Text("findings:"), (0, 0, 0, 2), expand=False))
        for finding in findings:
            line = Text(" vs ".join(clean(side.outlet or side.doc_id) for side in finding.sides))
            if finding.caveat:
                line.append(f" — {clean(finding.caveat)}")
            line.append("   ")
            line.append(f"[{clean(finding.id)}]", style="dim")
            # A grid, so that a wrapped line continues under its text, not under the label.
            row = Table.grid()
            row.add_column(width=_LABEL_WIDTH + 1, no_wrap=True)
            row.add_column()
            row.add_row(Text(_LABELS[finding.severity], style=_STYLES[finding.severity]), line)
            console.print(Padding(row, (0, 0, 0, 4), expand=False))
            if options.explain:
                self._explanation(console, finding, indent=6)

    def _clusters(self, console: Console, clusters: list[FactCluster]) -> None:
        """Where a pairwise finding cannot show which version most outlets carry."""
        if not clusters:
            return
        console.print()
        console.print(Text("Fact clusters", style="bold"))
        for cluster in clusters:
            console.print(Padding(Text(f"{clean(cluster.summary)}   [{clean(cluster.id)}]"), (0, 0, 0, 2), expand=False))
            for group in cluster.groups:
                line = f"{clean(group.value)}: {', '.join(clean(outlet) for outlet in group.outlets)}"
                console.print(Padding(Text(line), (0, 0, 0, 4), expand=False))

    def _set_aside(self, console: Console, report: Report, options: RenderOptions) -> None:
        """Why similar statements were not compared: the event gate's reason for each."""
        if not report.set_aside:
            return
        console.print()
        console.print(Text("Judged different facts (most similar first)", style="bold"))
        for item in report.set_aside:
            console.print()
            console.print(Padding(Text(f"{clean(item.kind)}  similarity {item.similarity:.2f}: {clean(item.reasons[-1])}"), (0, 0, 0, 2), expand=False))
            for side in item.sides:
                self._side(console, side, Severity.info, options.model_copy(update={"explain": False}), show_value=False)

    def _claim(self, console: Console, claim: ClaimCheck, options: RenderOptions) -> None:
        severity = _VERDICT_SEVERITY[claim.verdict]
        label = "DISPUTED" if claim.disputed else claim.verdict.value.upper()
        title = Text()
        title.append(label, style=_STYLES[Severity.warning if claim.disputed else severity])
        title.append(f"  {clean(claim.kind)}  ")
        title.append(clean(claim.summary))
        title.append("   ")
        title.append(f"[{clean(claim.id)}]", style="dim")
        console.print(title)
        self._side(console, claim.claim, severity, options)
        for side in claim.evidence:
            self._side(console, side, severity, options)

    def _claims_footer(self, console: Console, report: Report, options: RenderOptions) -> None:
        counts = {verdict: sum(claim.verdict is verdict for claim in report.claims) for verdict in Verdict}
        disputed = sum(claim.disputed for claim in report.claims)
        line = (
            f"draft {clean(report.draft or '')}: {plural(len(report.claims), 'claim')} checked: "
            f"{counts[Verdict.contradicted]} contradicted, {counts[Verdict.unverified]} unverified, "
            f"{counts[Verdict.supported]} supported"
        )
        if disputed:
            line += f" ({disputed} disputed among the sources)"
        if counts[Verdict.supported] - disputed and not options.show_info:
            line += " (use --show-info to list the supported ones)"
        console.print(Text(line))
        if not counts[Verdict.contradicted]:
            console.print(Text("No claim is contradicted by the sources."))

    def _side(
        self,
        console: Console,
        side: Evidence,
        severity: Severity,
        options: RenderOptions,
        show_value: bool = True,
        indent: int = 2,
    ) -> None:
        where = Text()
        where.append(clean(side.outlet or side.doc_id), style="bold")
        where.append(f" ({clean(side.published) if side.published else 'no date'})  ")
        where.append(f"{clean(side.doc_id)}:{side.line}:{side.column}", style="cyan")
        console.print(Padding(where, (0, 0, 0, indent), expand=False))

        sentence = Text()
        found = side.span_start if side.sentence[side.span_start : side.span_end] == side.span else -1
        if found < 0 and side.span:
            found = side.sentence.find(side.span)
        if found >= 0:
            before, after = side.sentence[:found], side.sentence[found + len(side.span):]
            sentence.append(clean(before).lstrip())
            self._span(sentence, side.span, severity, options)
            sentence.append(clean(after).rstrip())
        else:
            sentence.append(clean(side.sentence).strip())
        console.print(Padding(sentence, (0, 0, 0, indent + 2), expand=False))
        if found < 0 and side.span:
            missing = Text("span: ")
            self._span(missing, side.span, severity, options)
            console.print(Padding(missing, (0, 0, 0, indent + 2), expand=False))

        if not show_value:
            return
        value = Text(f"value: {clean(side.value)}")
        if options.explain:
            value.append(f"  (score {side.score:.2f})")
        console.print(Padding(value, (0, 0, 0, indent + 2), expand=False))

    @staticmethod
    def _span(text: Text, span: str, severity: Severity, options: RenderOptions) -> None:
        span = clean(span).strip().replace(" ", _KEEP)
        if options.color:
            text.append(span, style=_SPAN_STYLES[severity])
        else:
            text.append(f"{SPAN_OPEN}{span}{SPAN_CLOSE}")

    def _footer(self, console: Console, report: Report, options: RenderOptions) -> None:
        counts = {severity: 0 for severity in Severity}
        for finding in report.findings:
            counts[finding.severity] += 1
        line = (
            f"{plural(counts[Severity.conflict], 'conflict')}, {plural(counts[Severity.warning], 'warning')}, "
            f"{plural(counts[Severity.info], 'corroboration')}"
        )
        if counts[Severity.info] and not options.show_info:
            line += " (use --show-info to list)"
        console.print(Text(line))
        if not counts[Severity.conflict] and not counts[Severity.warning]:
            console.print(Text("No discrepancies found."))
