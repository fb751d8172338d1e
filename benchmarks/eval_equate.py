"""How the number detector treats EQUATE quantity pairs (not a test).

Each pair becomes a two-document corpus (premise, hypothesis) run through the whole pipeline
with the real model. Prints, per gold label, how many pairs got a numeric conflict, and lists
the flagged pairs that are not contradictions (entailment ones should never be flagged).

    python benchmarks/eval_equate.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "equate_dev.jsonl"


def main() -> None:
    if not DATA.exists():
        sys.exit(f"skipped: {DATA} is absent")
    sys.path.insert(0, str(ROOT))
    from checker.embed import SentenceTransformerEmbedder
    from checker.models import Severity
    from checker.pipeline import check_texts

    embedder = SentenceTransformerEmbedder()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    totals, flagged = Counter(), Counter()
    for index, row in enumerate(rows):
        report = check_texts({"premise": row["premise"], "hypothesis": row["hypothesis"]}, embedder=embedder).report
        conflicts = [finding for finding in report.findings if finding.severity is Severity.conflict]
        totals[row["label"]] += 1
        if conflicts:
            flagged[row["label"]] += 1
            if row["label"] != "contradiction":
                print(f"  {row['label']} #{index}: {conflicts[0].summary}")
    for label in sorted(totals):
        print(f"{label:<14} {flagged[label]:>3} of {totals[label]:>3} pairs flagged as a numeric conflict")


if __name__ == "__main__":
    main()
