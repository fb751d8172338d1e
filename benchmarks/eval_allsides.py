"""Findings on the AllSides dev clusters, for reading them as an editor would (not a test).

Each event's articles form one corpus. Prints the number of findings per kind and severity and,
with --show, every finding at or above --level with both sides, so their precision can be judged.

    python benchmarks/eval_allsides.py [--events N] [--kind date] [--level warning] [--show]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

from bench_pipeline import DATA, write_events  # noqa: E402

LEVELS = {"info": 1, "warning": 2, "conflict": 3}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=None, help="only the first N events")
    parser.add_argument("--kind", default=None, help="only findings of this kind")
    parser.add_argument("--level", choices=sorted(LEVELS), default="warning")
    parser.add_argument("--show", action="store_true", help="print each finding with its sides")
    arguments = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"skipped: {DATA} is absent")

    from checker.pipeline import CheckOptions, check_paths

    embedder = CheckOptions().embedder()
    counts: Counter[tuple[str, str]] = Counter()
    with tempfile.TemporaryDirectory() as scratch:
        for folder in write_events(Path(scratch), arguments.events):
            report = check_paths([folder], embedder=embedder).report
            for finding in report.findings:
                if arguments.kind and finding.kind != arguments.kind:
                    continue
                counts[(finding.kind, finding.severity.value)] += 1
                if arguments.show and LEVELS[finding.severity.value] >= LEVELS[arguments.level]:
                    print(f"\n[{folder.name}] {finding.severity.value} {finding.kind}: {finding.summary}")
                    for side in finding.sides:
                        print(f"  {side.doc_id}: «{side.span}» in: {side.sentence}")
                    print(f"  reasons: {'; '.join(finding.reasons)}")
    print("\nfindings per kind and severity:")
    for (kind, severity), count in sorted(counts.items()):
        print(f"  {kind:<12} {severity:<9} {count}")


if __name__ == "__main__":
    main()
