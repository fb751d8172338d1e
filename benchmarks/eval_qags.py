"""Draft gating on QAGS (CNN/DailyMail summaries judged by three annotators) — not a test.

Each summary sentence is a one-line draft and its article the only source. A sentence is
unfaithful when most annotators answered "no"; the gate flags it when any of its claims is
contradicted or unverified. Prints the confusion counts and the balanced accuracy, with how
many sentences had no checkable claim at all (the gate can only pass those).

    python benchmarks/eval_qags.py [--articles N]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "qags_cnndm.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=None, help="only the first N articles")
    arguments = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"skipped: {DATA} is absent")
    sys.path.insert(0, str(ROOT))
    from checker.draft import check_draft
    from checker.embed import SentenceTransformerEmbedder
    from checker.ingest import document_from_text
    from checker.models import Corpus, Verdict

    embedder = SentenceTransformerEmbedder()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    counts = {"tp": 0, "fn": 0, "fp": 0, "tn": 0}
    without_claims = {"faithful": 0, "unfaithful": 0}
    for row in rows[: arguments.articles]:
        source = Corpus(documents=[document_from_text(row["article"], "article.txt")])
        for item in row["summary_sentences"]:
            answers = [response["response"] for response in item["responses"]]
            unfaithful = answers.count("no") > len(answers) / 2
            draft = document_from_text(item["sentence"], "draft.txt")
            claims = check_draft(draft, source, embedder=embedder).report.claims
            flagged = any(claim.verdict is not Verdict.supported for claim in claims)
            if not claims:
                without_claims["unfaithful" if unfaithful else "faithful"] += 1
            key = ("tp" if flagged else "fn") if unfaithful else ("fp" if flagged else "tn")
            counts[key] += 1
    recall = counts["tp"] / max(counts["tp"] + counts["fn"], 1)
    specificity = counts["tn"] / max(counts["tn"] + counts["fp"], 1)
    print(f"sentences: {sum(counts.values())} ({counts['tp'] + counts['fn']} unfaithful)")
    print(f"flagged unfaithful (tp) {counts['tp']}, missed (fn) {counts['fn']}, "
          f"flagged faithful (fp) {counts['fp']}, passed faithful (tn) {counts['tn']}")
    print(f"recall {recall:.3f}, specificity {specificity:.3f}, balanced accuracy {(recall + specificity) / 2:.3f}")
    print(f"sentences with no checkable claim: {without_claims['unfaithful']} unfaithful, {without_claims['faithful']} faithful")


if __name__ == "__main__":
    main()
