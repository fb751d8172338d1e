"""Baselines: accept today's problems so that a run fails only on new ones.

A baseline file lists the fingerprints (``id``) of the problems in a report:
in draft mode the claims that are *contradicted*, *disputed* (supported by
some sources, contradicted by others) or *unverified*, in corpus mode the
*conflict* and *warning* findings. Fingerprints are built from
the kind, the sentence and the span text, never from offsets, so a baselined
problem stays accepted when unrelated parts of the draft are edited or the
sentence moves to another line.

An entry accepts a problem at the status it was recorded with, or a milder
one (unverified < disputed < contradicted; warning < conflict): a claim
baselined as *unverified* that later turns *contradicted*, or a *warning*
that becomes a *conflict*, is no longer accepted and fails again.

File format (JSON, written deterministically, entries sorted by id)::

    {
      "tool": "check",
      "version": 1,
      "mode": "draft",
      "accepted": [
        {"id": "number-0123456789ab", "kind": "number", "status": "contradicted",
         "summary": "duration of the talks: draft says 2 hours, sources say 1 hour"}
      ]
    }
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checker.errors import CheckError
from checker.models import ClaimCheck, Finding, Report, Severity, Verdict

BASELINE_VERSION = 1
Mode = Literal["draft", "corpus"]

Status = Literal["contradicted", "disputed", "unverified", "conflict", "warning"]
# How bad each status is, in the order --fail-on reads them: a problem is accepted only at or
# below its recorded rank.
_RANK: dict[str, int] = {"unverified": 1, "disputed": 2, "contradicted": 3, "warning": 1, "conflict": 2}
_PROBLEM_SEVERITIES = frozenset({Severity.conflict, Severity.warning})


def claim_status(claim: ClaimCheck) -> str | None:
    """A draft claim's problem: 'contradicted', 'disputed' (supported by some sources and
    contradicted by others), 'unverified', or None for a claim the sources support."""
    if claim.verdict is Verdict.contradicted:
        return "contradicted"
    if claim.disputed:
        return "disputed"
    if claim.verdict is Verdict.unverified:
        return "unverified"
    return None


def finding_status(finding: Finding) -> str | None:
    """A finding's problem: its severity, or None for an info finding (a corroboration)."""
    return finding.severity.value if finding.severity in _PROBLEM_SEVERITIES else None


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BaselineEntry(_Frozen):
    id: str = Field(min_length=1)
    kind: str
    status: Status = Field(
        description="claim status (draft mode: contradicted, disputed, unverified) or finding severity "
        "(corpus mode: conflict, warning) when the problem was accepted"
    )
    summary: str = Field(description="for reviewers of the baseline file; not used for matching")


class Baseline(_Frozen):
    tool: Literal["check"] = "check"
    version: int = BASELINE_VERSION
    mode: Mode
    accepted: list[BaselineEntry] = []

    def entry(self, problem_id: str) -> BaselineEntry | None:
        return self._by_id().get(problem_id)

    def _by_id(self) -> dict[str, BaselineEntry]:
        return {entry.id: entry for entry in self.accepted}


class BaselineResult(_Frozen):
    """A report with the accepted problems taken out, and how the baseline matched."""

    report: Report = Field(description="the report without the accepted claims (draft) or findings (corpus)")
    accepted_count: int = Field(description="claims (draft) or findings (corpus) taken out of the report")
    accepted: list[BaselineEntry] = Field(description="entries that matched a problem of this run")
    escalated: list[BaselineEntry] = Field(
        description="entries whose problem got worse (e.g. unverified → contradicted, warning → conflict): "
        "they fail again"
    )
    stale: list[BaselineEntry] = Field(description="entries no problem of this run has: fixed or reworded")


def report_mode(report: Report) -> Mode:
    return "draft" if report.draft is not None else "corpus"


def baseline_from_report(report: Report) -> Baseline:
    """The baseline that accepts every current problem of ``report``."""
    items: list[ClaimCheck] | list[Finding] = report.claims if report_mode(report) == "draft" else report.findings
    entries: dict[str, BaselineEntry] = {}
    for item in items:
        status = _status(item)
        if status is not None:
            _keep_worst(entries, BaselineEntry(id=item.id, kind=item.kind, status=status, summary=item.summary))
    return Baseline(mode=report_mode(report), accepted=[entries[key] for key in sorted(entries)])


def _status(item: ClaimCheck | Finding) -> str | None:
    return claim_status(item) if isinstance(item, ClaimCheck) else finding_status(item)


def _keep_worst(entries: dict[str, BaselineEntry], entry: BaselineEntry) -> None:
    """Identical sentences share an id; the baseline keeps the worst status among them."""
    known = entries.get(entry.id)
    if known is None or _RANK[entry.status] > _RANK[known.status]:
        entries[entry.id] = entry


def dumps_baseline(baseline: Baseline) -> str:
    """The file's text: two-space indented JSON, entries sorted by id, a final newline."""
    payload = {
        "tool": baseline.tool,
        "version": baseline.version,
        "mode": baseline.mode,
        "accepted": [
            {"id": entry.id, "kind": entry.kind, "status": entry.status, "summary": entry.summary}
            for entry in sorted(baseline.accepted, key=lambda entry: entry.id)
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def write_baseline(report: Report, path: Path) -> Baseline:
    """Write the baseline accepting every current problem of ``report``; return it.

    The file is written beside ``path`` and renamed into place, so an
    interrupted run never leaves half a baseline.
    """
    baseline = baseline_from_report(report)
    _atomic_write(Path(path), dumps_baseline(baseline))
    return baseline


def _atomic_write(path: Path, text: str) -> None:
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as error:
        raise CheckError(f"cannot write baseline {path}: {_reason(error)}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp makes the file private; a baseline is meant to be shared and committed.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise CheckError(f"cannot write baseline {path}: {_reason(error)}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_baseline(path: Path) -> Baseline:
    """Read a baseline file; raise :class:`CheckError` naming the file when it cannot be used."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CheckError(f"baseline {path}: no such file (create it with --write-baseline)") from None
    except OSError as error:
        raise CheckError(f"baseline {path}: cannot read ({_reason(error)})") from None
    return loads_baseline(data, str(path))


def loads_baseline(data: bytes | str, name: str = "baseline") -> Baseline:
    prefix = f"baseline {name}"
    try:
        payload = json.loads(data)
    except UnicodeDecodeError:
        raise CheckError(f"{prefix}: not valid UTF-8; the file is corrupted") from None
    except json.JSONDecodeError as error:
        raise CheckError(
            f"{prefix}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg.lower()}); "
            "the file is corrupted, write it again with --write-baseline"
        ) from None
    if not isinstance(payload, dict) or payload.get("tool") != "check":
        raise CheckError(f"{prefix}: not a check baseline file")
    version = payload.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise CheckError(f"{prefix}: missing or invalid 'version'")
    if version > BASELINE_VERSION:
        raise CheckError(
            f"{prefix}: version {version} is newer than this check understands ({BASELINE_VERSION}); upgrade check"
        )
    if version < 1:
        raise CheckError(f"{prefix}: unknown version {version}")
    try:
        baseline = Baseline.model_validate(payload)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        raise CheckError(f"{prefix}: invalid '{where}': {problem['msg'].lower()}") from None
    return baseline


def apply_baseline(report: Report, baseline: Baseline) -> BaselineResult:
    """The report without the problems the baseline accepts.

    Draft mode drops accepted claims, and the findings behind them that no
    remaining claim refers to; corpus mode drops accepted findings. Supported
    (undisputed) claims and info findings are never touched. ``summary.findings_by_severity``
    is recomputed for what is left.
    """
    mode = report_mode(report)
    if baseline.mode != mode:
        raise CheckError(
            f"the baseline was written for a {baseline.mode} run and cannot be applied to a {mode} run"
        )
    by_id = baseline._by_id()
    matched: dict[str, BaselineEntry] = {}
    escalated: dict[str, BaselineEntry] = {}

    def accepts(problem_id: str, status: str) -> bool:
        entry = by_id.get(problem_id)
        if entry is None:
            return False
        if _RANK[status] > _RANK[entry.status]:
            escalated[problem_id] = entry
            return False
        matched[problem_id] = entry
        return True

    accepted_count = 0
    if mode == "draft":
        kept_claims: list[ClaimCheck] = []
        dropped_claims: list[ClaimCheck] = []
        for claim in report.claims:
            status = claim_status(claim)
            if status is not None and accepts(claim.id, status):
                dropped_claims.append(claim)
            else:
                kept_claims.append(claim)
        accepted_count = len(dropped_claims)
        findings = without_orphaned_findings(report.findings, dropped_claims, kept_claims)
        new_report = rebuild_report(report, findings, kept_claims)
    else:
        kept: list[Finding] = []
        for finding in report.findings:
            status = finding_status(finding)
            if status is not None and accepts(finding.id, status):
                accepted_count += 1
            else:
                kept.append(finding)
        new_report = rebuild_report(report, kept, list(report.claims))

    return BaselineResult(
        report=new_report,
        accepted_count=accepted_count,
        accepted=[matched[key] for key in sorted(matched)],
        escalated=[escalated[key] for key in sorted(escalated) if key not in matched],
        stale=[entry for key, entry in sorted(by_id.items()) if key not in matched and key not in escalated],
    )


def without_orphaned_findings(
    findings: list[Finding], dropped: list[ClaimCheck], kept: list[ClaimCheck]
) -> list[Finding]:
    """``findings`` minus those only the ``dropped`` claims refer to."""
    still_needed = {finding_id for claim in kept for finding_id in claim.finding_ids}
    orphaned = {finding_id for claim in dropped for finding_id in claim.finding_ids} - still_needed
    return [finding for finding in findings if finding.id not in orphaned]


def rebuild_report(report: Report, findings: list[Finding], claims: list[ClaimCheck]) -> Report:
    """``report`` with other findings and claims, and the severity counts recomputed to match."""
    counts = Counter(finding.severity.value for finding in findings)
    summary = report.summary.model_copy(
        update={"findings_by_severity": {severity.value: counts.get(severity.value, 0) for severity in Severity}}
    )
    return report.model_copy(update={"findings": findings, "claims": claims, "summary": summary})


def _reason(error: OSError) -> str:
    return (error.strerror or type(error).__name__).lower()
