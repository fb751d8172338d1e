"""`check`: the command line, a thin Typer front over the `checker` library.

It parses options, calls the library, picks a reporter and returns the exit code:
0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or input error.
Heavy modules (torch, faiss, spaCy) are imported only when a check runs, so
`check --help` stays fast.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# Below this many sentences a run takes a few seconds and a bar is only noise.
PROGRESS_MIN_SENTENCES = 300


class FailOn(str, Enum):
    """Corpus mode fails on finding severities, draft mode on claim verdicts; "conflict" and
    "contradicted" are the same level, and in corpus mode "unverified" is read as "warning"."""

    conflict = "conflict"
    contradicted = "contradicted"
    warning = "warning"
    unverified = "unverified"
    never = "never"


class OneLineErrors(TyperCommand):
    """Usage errors as one line on stderr and exit code 2, never a usage dump or a traceback."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.Abort:
            typer.echo("check: interrupted", err=True)
            code = 130
        except Exception as error:
            # Typer bundles its own Click, whose exceptions are not public: recognise them by shape.
            if not (hasattr(error, "format_message") and hasattr(error, "exit_code")):
                raise
            # Typer words a bad choice through pydantic: "Value error, 'x' is not one of …".
            code = _fail(error.format_message().replace("Value error, ", ""))
        if standalone_mode:
            sys.exit(code or 0)
        return code


def _fail(message: str) -> int:
    typer.echo(f"check: error: {message}", err=True)
    return EXIT_ERROR


app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from checker import __version__

        typer.echo(f"check {__version__}")
        raise typer.Exit(EXIT_CLEAN)


@app.command(cls=OneLineErrors)
def check(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(help="Article files or directories (.txt, .md, .html); with --draft, the sources; with --drafts, the drafts. Default: 'sources' from the configuration.", show_default=False)] = None,
    draft: Annotated[list[Path] | None, typer.Option("--draft", "-d", metavar="FILE", help="Check this draft against the sources: a verdict per claim. Repeat for several drafts.")] = None,
    paths_are_drafts: Annotated[bool, typer.Option("--drafts", help="The PATHS are drafts (as pre-commit passes them); the sources come from --index or 'sources' in the configuration.")] = False,
    output_format: Annotated[str, typer.Option("--format", "-f", help="Report format: text, json, html, github, sarif, junit, gitlab or markdown.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to FILE instead of stdout.")] = None,
    fail_on: Annotated[FailOn, typer.Option(help="Exit 1 at or above this level: conflict|warning|never; with --draft contradicted|warning|unverified|never.")] = FailOn.conflict,
    show_info: Annotated[bool, typer.Option("--show-info", help="Also list corroborations (values that agree).")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Say why each pair of claims was aligned.")] = False,
    threshold: Annotated[float, typer.Option(min=0.0, max=1.0, help="Sentence similarity needed to align two claims.")] = 0.35,
    model: Annotated[Path | None, typer.Option(help="A local sentence-transformers model directory (default: bundled all-MiniLM-L6-v2; also $CHECK_MODEL).")] = None,
    select: Annotated[list[str] | None, typer.Option("--select", metavar="KIND", help="Look only for these kinds of discrepancy (number, date, role, place, negation, certainty, quote, score); repeat or separate with commas.")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", metavar="KIND", help="Do not look for these kinds of discrepancy.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 2 when any input file had to be skipped.")] = False,
    index: Annotated[Path | None, typer.Option("--index", help="Keep the sources' sentences, vectors and parses in this directory and reuse them: built from the sources given (PATHS, or 'sources' with drafts) when missing, refreshed when they changed; without sources, used as it is.")] = None,
    write_index: Annotated[Path | None, typer.Option("--write-index", help="Build or refresh a source index of PATHS in DIR and exit.")] = None,
    baseline: Annotated[Path | None, typer.Option("--baseline", help="Accept the problems recorded in FILE: only new ones fail.")] = None,
    write_baseline: Annotated[Path | None, typer.Option("--write-baseline", help="Record the current problems in FILE and exit 0.")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Read options from FILE instead of the check.toml or pyproject.toml found upwards.")] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore configuration files.")] = False,
    color: Annotated[bool | None, typer.Option("--color/--no-color", help="Colour the text report (default: when stdout is a terminal).")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> int:
    """Compare how documents report the same facts and list the discrepancies."""
    from checker.config import ExcludeRules, find_config, load_config, merge
    from checker.errors import CheckError
    from checker.reporters import RenderOptions, reporter_names

    try:
        loaded = None if no_config else load_config(config) if config else find_config()
        options = merge(loaded, _given(ctx, paths_are_drafts))
        if options.format not in reporter_names():
            return _fail(f"unknown format {options.format!r} (choose from {', '.join(reporter_names())})")
        exclude = ExcludeRules.from_options(options)
        if write_index is not None:
            if draft or paths_are_drafts:
                return _fail("--write-index builds the source index and exits: it takes no drafts")
            return _write_index(options, write_index, exclude)
        drafts = _drafts(draft or [], (paths or []) if paths_are_drafts else [])
        if paths_are_drafts and not drafts:
            typer.echo("check: --drafts: no drafts given, nothing to check", err=True)
            return EXIT_CLEAN
        _check_sources(options, drafts, paths_are_drafts)
        if len(drafts) > 1 and options.format == "html":
            return _fail("--format html shows one draft: check several drafts with another format")
        results = _run_check(options, drafts, exclude)
        for note in (note for result in results for note in result.notes):
            typer.echo(f"check: {note}", err=True)
        reports = [_silence_markers(result.report, path) for result, path in zip(results, drafts or [None])]
        if write_baseline is not None:
            from checker.baseline import write_baseline as record

            # Not filtered through --baseline: a refreshed baseline keeps the problems accepted before.
            record(_all_problems(reports), write_baseline)
            typer.echo(f"check: recorded the current problems in {write_baseline}", err=True)
            return EXIT_CLEAN
        if options.baseline is not None:
            reports = _apply_baseline(reports, options.baseline)
    except CheckError as error:
        return _fail(str(error))

    use_color = color if color is not None else (output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    width = shutil.get_terminal_size((100, 24)).columns if use_color else 100
    render_options = RenderOptions(
        show_info=options.show_info, color=bool(use_color), width=width, explain=options.explain
    )
    rendered = _render(options.format, reports, render_options)
    try:
        _write(rendered, output)
    except OSError as error:
        return _fail(f"cannot write {output}: {error.strerror or error}")
    skipped = reports[0].skipped  # the sources' skipped files, the same for every draft
    if options.strict and skipped:
        more = f" (and {len(skipped) - 1} more)" if len(skipped) > 1 else ""
        return _fail(f"--strict: skipped {skipped[0].path}: {skipped[0].reason}{more}")
    return max(_exit_code(report, FailOn(options.fail_on)) for report in reports)


# The options a configuration file may also set, by parameter name → configuration field.
CONFIGURABLE = {
    "output_format": "format", "fail_on": "fail_on", "show_info": "show_info", "explain": "explain",
    "threshold": "threshold", "model": "model", "strict": "strict", "paths": "sources", "baseline": "baseline",
    "index": "index", "select": "select", "ignore": "ignore",
}


def _given(ctx: typer.Context, paths_are_drafts: bool) -> dict[str, Any]:
    """The options the user gave on the command line, which win over the configuration file."""
    given = {}
    for name, field in CONFIGURABLE.items():
        source = ctx.get_parameter_source(name)
        if source is not None and source.name in {"COMMANDLINE", "ENVIRONMENT"}:
            given[field] = ctx.params[name]
    if paths_are_drafts:  # the PATHS are drafts, so the sources stay those of the configuration
        given.pop("sources", None)
    return given


def _drafts(draft_options: list[Path], draft_paths: list[Path]) -> list[Path]:
    """The drafts from --draft and (with --drafts) the PATHS, each once, in the order given."""
    from checker.errors import UsageError

    drafts = list(dict.fromkeys([*draft_options, *draft_paths]))
    for path in drafts:
        if path.is_dir():
            hint = " (with --drafts every PATH is a draft)" if path in draft_paths else ""
            raise UsageError(f"{path} is a directory, not a draft file{hint}")
    return drafts


def _check_sources(options: Any, drafts: list[Path], paths_are_drafts: bool) -> None:
    """Raise a UsageError when the run has no sources: no PATHS, no 'sources' and no index."""
    from checker.errors import UsageError

    if drafts and not options.sources and options.index is None:
        if paths_are_drafts:
            raise UsageError("--drafts: the PATHS are drafts, so give the sources with --index DIR "
                             "or 'sources' in the configuration")
        raise UsageError("no source paths given and no 'sources' or 'index' in the configuration")
    if not drafts and not options.sources and options.index is None:
        raise UsageError("no paths given and no 'sources' or 'index' in the configuration")


def _silence_markers(report: Any, draft: Path | None) -> Any:
    """The report without what the draft's check-ignore markers silence; unused markers are warned about."""
    if draft is None or report.draft is None:
        return report
    from checker.detectors import DETECTORS
    from checker.suppress import apply_suppressions, find_markers

    markers = find_markers(draft.read_text(encoding="utf-8", errors="replace"))
    suppressed = apply_suppressions(report, markers, report.draft, known_kinds=sorted(DETECTORS))
    for unused in suppressed.unused:
        typer.echo(f"check: warning: {report.draft}: {unused}", err=True)
    return suppressed.report


def _apply_baseline(reports: list[Any], baseline: Path) -> list[Any]:
    """The reports without the problems the baseline accepts (one baseline serves every draft)."""
    from checker.baseline import apply_baseline, load_baseline

    accepted = [apply_baseline(report, load_baseline(baseline)) for report in reports]
    count = sum(result.accepted_count for result in accepted)
    if count:
        typer.echo(f"check: {count} known problem(s) accepted by {baseline}", err=True)
    return [result.report for result in accepted]


def _all_problems(reports: list[Any]) -> Any:
    """One report with every draft's claims: a baseline records claims by id, whichever draft holds them."""
    if len(reports) == 1:
        return reports[0]
    return reports[0].model_copy(update={"claims": [claim for report in reports for claim in report.claims]})


def _check_options(options: Any) -> Any:
    """The library's options from the effective command-line and configuration options."""
    from checker.detectors import selected_kinds
    from checker.pipeline import CheckOptions

    return CheckOptions(
        threshold=options.threshold,
        model_path=str(options.model) if options.model else None,
        explain=options.explain,
        kinds=selected_kinds(options.select, options.ignore),
    )


def _run_check(options: Any, drafts: list[Path], exclude: Any) -> list[Any]:
    """One result: the corpus's; or one per draft, all checked against the same sources."""
    check_options = _check_options(options)
    matches = exclude.matches if exclude else None
    with _ProgressBar() as progress:
        if not drafts:
            from checker.pipeline import check_paths

            return [check_paths(options.sources, check_options, progress=progress, exclude=matches, index_directory=options.index)]
        from checker.draft import check_drafts

        return check_drafts(drafts, options.sources, options.index, check_options, progress=progress, exclude=matches)


def _render(format_name: str, reports: list[Any], render_options: Any) -> str:
    """One report as its reporter renders it; several (one per draft) combined into one output of the format."""
    from checker.reporters import get_reporter

    reporter = get_reporter(format_name)
    rendered = [reporter.render(report, render_options) for report in reports]
    if len(rendered) == 1:
        return rendered[0]
    return _COMBINE.get(format_name, _one_after_another)(rendered)


def _one_after_another(rendered: list[str]) -> str:
    """Line formats (text, github, markdown): the drafts' reports in order, a blank line apart."""
    return "\n".join(rendered)


def _json_array(rendered: list[str]) -> str:
    """JSON: an array of reports, one per draft in the order given."""
    import json

    return json.dumps([json.loads(text) for text in rendered], indent=2, ensure_ascii=False) + "\n"


def _gitlab_issues(rendered: list[str]) -> str:
    """GitLab Code Quality: one array holding every draft's issues.

    GitLab keeps one issue per fingerprint, and a claim's fingerprint comes from its sentence, not its
    file: the same sentence in a second draft gets one keyed by that draft's file as well."""
    import hashlib
    import json

    issues, seen = [], set()
    for issue in (issue for text in rendered for issue in json.loads(text)):
        if issue["fingerprint"] in seen:
            material = f"{issue['fingerprint']}\x1f{issue['location']['path']}"
            issue["fingerprint"] = hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]
        seen.add(issue["fingerprint"])
        issues.append(issue)
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"


def _sarif_one_run(rendered: list[str]) -> str:
    """SARIF: one run holding every draft's results. GitHub code scanning refuses a file with several
    runs of the same tool, so the runs are merged: rules united, results re-pointed at them."""
    import json

    runs = [json.loads(text)["runs"][0] for text in rendered]
    rules = {rule["id"]: rule for run in runs for rule in run["tool"]["driver"]["rules"]}
    order = {rule_id: position for position, rule_id in enumerate(sorted(rules))}
    merged = dict(runs[0])
    merged["tool"] = {"driver": {**runs[0]["tool"]["driver"], "rules": [rules[rule_id] for rule_id in order]}}
    merged["results"] = [{**result, "ruleIndex": order[result["ruleId"]]} for run in runs for result in run["results"]]
    properties = {key: value for key, value in runs[0]["properties"].items() if key != "draft"}
    merged["properties"] = {**properties, "drafts": [run["properties"]["draft"] for run in runs]}
    log = json.loads(rendered[0])
    log["runs"] = [merged]
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _junit_suites(rendered: list[str]) -> str:
    """JUnit: one <testsuites> with a <testsuite> per draft, its counts the sums of theirs."""
    import xml.etree.ElementTree as ET

    roots = [ET.fromstring(text.encode("utf-8")) for text in rendered]
    totals = ("tests", "failures", "errors", "skipped")
    counts = {name: str(sum(int(root.get(name, "0")) for root in roots)) for name in totals}
    merged = ET.Element("testsuites", {"name": "check", **counts})
    for root in roots:
        merged.extend(root.findall("testsuite"))
    ET.indent(merged, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(merged, encoding="unicode") + "\n"


# How each machine format combines several drafts' reports into one valid file; other formats are
# rendered one after another.
_COMBINE = {"json": _json_array, "gitlab": _gitlab_issues, "sarif": _sarif_one_run, "junit": _junit_suites}


def _write_index(options: Any, directory: Path, exclude: Any) -> int:
    from checker.draft import write_source_index

    if not options.sources:
        return _fail("--write-index needs the source PATHS to index")
    check_options = _check_options(options)
    with _ProgressBar() as progress:
        summary = write_source_index(
            options.sources, directory, check_options, progress=progress, exclude=exclude.matches if exclude else None
        )
    typer.echo(f"check: {summary}", err=True)
    return EXIT_CLEAN


class _ProgressBar:
    """A bar on stderr while sentences are embedded (and, for an index, parsed), only on a terminal
    and only for long runs."""

    def __init__(self) -> None:
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._bar is None:
            if total < PROGRESS_MIN_SENTENCES or not sys.stderr.isatty():
                return
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(f"{stage} sentences", total=total)
        # Several drafts are embedded one after another, each with its own total; an index is embedded, then parsed.
        self._bar.update(self._task, completed=done, total=total, description=f"{stage} sentences")


def _write(rendered: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(rendered)
        sys.stdout.flush()
        return
    # Written beside the target and renamed, so an interrupted run never leaves half a report.
    directory = output.parent if str(output.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(rendered)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _exit_code(report: Any, fail_on: FailOn) -> int:
    if fail_on is FailOn.never:
        return EXIT_CLEAN
    from checker.models import Severity, Verdict

    if report.draft is not None:
        failing = {
            FailOn.conflict: lambda claim: claim.verdict is Verdict.contradicted,
            FailOn.contradicted: lambda claim: claim.verdict is Verdict.contradicted,
            FailOn.warning: lambda claim: claim.verdict is Verdict.contradicted or claim.disputed,
            FailOn.unverified: lambda claim: claim.verdict is not Verdict.supported or claim.disputed,
        }[fail_on]
        return EXIT_FINDINGS if any(failing(claim) for claim in report.claims) else EXIT_CLEAN
    level = Severity.conflict if fail_on in {FailOn.conflict, FailOn.contradicted} else Severity.warning
    return EXIT_FINDINGS if any(finding.severity.rank >= level.rank for finding in report.findings) else EXIT_CLEAN


def app_main() -> None:
    """Console-script entry point."""
    app(prog_name="check")


if __name__ == "__main__":
    app_main()
