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
            code = _fail(error.format_message())
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
    paths: Annotated[list[Path] | None, typer.Argument(help="Article files or directories (.txt, .md, .html); with --draft, the sources. Default: 'sources' from the configuration.", show_default=False)] = None,
    draft: Annotated[Path | None, typer.Option("--draft", "-d", help="Check this draft against the sources: a verdict per claim.")] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="Report format: text, json, html, github, sarif, junit, gitlab or markdown.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to FILE instead of stdout.")] = None,
    fail_on: Annotated[FailOn, typer.Option(help="Exit 1 at or above this level: conflict|warning|never; with --draft contradicted|warning|unverified|never.")] = FailOn.conflict,
    show_info: Annotated[bool, typer.Option("--show-info", help="Also list corroborations (values that agree).")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Say why each pair of claims was aligned.")] = False,
    threshold: Annotated[float, typer.Option(min=0.0, max=1.0, help="Sentence similarity needed to align two claims.")] = 0.35,
    model: Annotated[Path | None, typer.Option(help="A local sentence-transformers model directory (default: bundled all-MiniLM-L6-v2; also $CHECK_MODEL).")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 2 when any input file had to be skipped.")] = False,
    index: Annotated[Path | None, typer.Option("--index", help="With --draft: take the sources from this index (refreshed when they changed).")] = None,
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
    from checker.reporters import RenderOptions, get_reporter, reporter_names

    try:
        loaded = None if no_config else load_config(config) if config else find_config()
        options = merge(loaded, _given(ctx))
        if options.format not in reporter_names():
            return _fail(f"unknown format {options.format!r} (choose from {', '.join(reporter_names())})")
        exclude = ExcludeRules.from_options(options)
        if write_index is not None:
            return _write_index(options, write_index, exclude)
        if options.index is not None and draft is None:
            return _fail("--index gives the sources of a draft: use it with --draft")
        if not options.sources and options.index is None:
            return _fail("no paths given and no 'sources' in the configuration")
        result = _run_check(options, draft, exclude)
        for note in result.notes:
            typer.echo(f"check: {note}", err=True)
        report = _accept_known_problems(result.report, draft, baseline=options.baseline)
        if write_baseline is not None:
            from checker.baseline import write_baseline as record

            record(report, write_baseline)
            typer.echo(f"check: recorded the current problems in {write_baseline}", err=True)
            return EXIT_CLEAN
    except CheckError as error:
        return _fail(str(error))

    use_color = color if color is not None else (output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    width = shutil.get_terminal_size((100, 24)).columns if use_color else 100
    rendered = get_reporter(options.format).render(
        report, RenderOptions(show_info=options.show_info, color=bool(use_color), width=width, explain=options.explain)
    )
    try:
        _write(rendered, output)
    except OSError as error:
        return _fail(f"cannot write {output}: {error.strerror or error}")
    if options.strict and report.skipped:
        first = report.skipped[0]
        more = f" (and {len(report.skipped) - 1} more)" if len(report.skipped) > 1 else ""
        return _fail(f"--strict: skipped {first.path}: {first.reason}{more}")
    return _exit_code(report, FailOn(options.fail_on))


# The options a configuration file may also set, by parameter name → configuration field.
CONFIGURABLE = {
    "output_format": "format", "fail_on": "fail_on", "show_info": "show_info", "explain": "explain",
    "threshold": "threshold", "model": "model", "strict": "strict", "paths": "sources", "baseline": "baseline",
    "index": "index",
}


def _given(ctx: typer.Context) -> dict[str, Any]:
    """The options the user gave on the command line, which win over the configuration file."""
    given = {}
    for name, field in CONFIGURABLE.items():
        source = ctx.get_parameter_source(name)
        if source is not None and source.name in {"COMMANDLINE", "ENVIRONMENT"}:
            given[field] = ctx.params[name]
    return given


def _accept_known_problems(report: Any, draft: Path | None, baseline: Path | None) -> Any:
    """Drop what check-ignore markers in the draft silence and what the baseline accepts."""
    if draft is not None and report.draft is not None:
        from checker.detectors import DETECTORS
        from checker.suppress import apply_suppressions, find_markers

        markers = find_markers(draft.read_text(encoding="utf-8", errors="replace"))
        suppressed = apply_suppressions(report, markers, report.draft, known_kinds=sorted(DETECTORS))
        for unused in suppressed.unused:
            typer.echo(f"check: warning: {report.draft}: {unused}", err=True)
        report = suppressed.report
    if baseline is not None:
        from checker.baseline import apply_baseline, load_baseline

        accepted = apply_baseline(report, load_baseline(baseline))
        if accepted.accepted_count:
            typer.echo(f"check: {accepted.accepted_count} known problem(s) accepted by {baseline}", err=True)
        report = accepted.report
    return report


def _check_options(options: Any) -> Any:
    """The library's options from the effective command-line and configuration options."""
    from checker.pipeline import CheckOptions

    return CheckOptions(threshold=options.threshold, model_path=str(options.model) if options.model else None)


def _run_check(options: Any, draft: Path | None, exclude: Any) -> Any:
    from checker.pipeline import check_paths

    check_options = _check_options(options)
    matches = exclude.matches if exclude else None
    with _ProgressBar() as progress:
        if draft is None:
            return check_paths(options.sources, check_options, progress=progress, exclude=matches)
        from checker.draft import check_draft_against_index, check_draft_paths

        if options.index is not None:
            return check_draft_against_index(draft, options.index, check_options, progress=progress, exclude=matches)
        return check_draft_paths(draft, options.sources, check_options, progress=progress, exclude=matches)


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
    """A bar on stderr while sentences are embedded, only on a terminal and only for long runs."""

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
        self._bar.update(self._task, completed=done)


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
