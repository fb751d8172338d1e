"""Draft gating on QAGS (CNN/DailyMail summaries judged by three annotators) — not a test.

Each summary sentence is a one-line draft and its article the only source. A sentence is
unfaithful when most annotators answered "no"; the gate flags it when any of its claims is
contradicted or unverified. Prints the confusion counts and the balanced accuracy, with how
many sentences had no checkable claim at all (the gate can only pass those), then the same for
the default gate (`--fail-on contradicted`) and the contradicted claims of faithful sentences.

QAGS texts are tokenized as CNN/DailyMail was for training ("3, 800 km", "98. 7 per cent",
"$ 10, 000", "three - day"); both sides are put back into the form a newsroom's text has before
they are checked, or every split number would read as two.

    python benchmarks/eval_qags.py [--articles N]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "qags_cnndm.jsonl"


# Tokenizer artefacts and what they were: digit groups, decimals, currency signs and hyphens split off.
DETOKENIZE = [
    (re.compile(r"(\d), (\d{3})\b"), r"\1,\2"),
    (re.compile(r"(\d)\. (\d)"), r"\1.\2"),
    (re.compile(r"([$£€]) (\d)"), r"\1\2"),
    (re.compile(r" - - "), " — "),
    (re.compile(r"(\w) - (\w)"), r"\1-\2"),
]


def detokenize(text: str) -> str:
    for pattern, replacement in DETOKENIZE:
        previous = None
        while previous != text:  # "1, 600, 000" needs two passes
            previous, text = text, pattern.sub(replacement, text)
    return text


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
    gates = {
        "any claim not supported": lambda claims: any(claim.verdict is not Verdict.supported for claim in claims),
        "default gate, a claim contradicted": lambda claims: any(claim.verdict is Verdict.contradicted for claim in claims),
    }
    counts = {gate: {"tp": 0, "fn": 0, "fp": 0, "tn": 0} for gate in gates}
    without_claims = {"faithful": 0, "unfaithful": 0}
    false_alarms = []
    for row in rows[: arguments.articles]:
        source = Corpus(documents=[document_from_text(detokenize(row["article"]), "article.txt")])
        for item in row["summary_sentences"]:
            answers = [response["response"] for response in item["responses"]]
            unfaithful = answers.count("no") > len(answers) / 2
            draft = document_from_text(detokenize(item["sentence"]), "draft.txt")
            claims = check_draft(draft, source, embedder=embedder).report.claims
            if not claims:
                without_claims["unfaithful" if unfaithful else "faithful"] += 1
            for gate, flags in gates.items():
                flagged = flags(claims)
                counts[gate][("tp" if flagged else "fn") if unfaithful else ("fp" if flagged else "tn")] += 1
            if not unfaithful:
                false_alarms += [claim.summary for claim in claims if claim.verdict is Verdict.contradicted]
    first = next(iter(counts.values()))
    print(f"sentences: {sum(first.values())} ({first['tp'] + first['fn']} unfaithful)")
    print(f"sentences with no checkable claim: {without_claims['unfaithful']} unfaithful, {without_claims['faithful']} faithful")
    for gate, count in counts.items():
        recall = count["tp"] / max(count["tp"] + count["fn"], 1)
        specificity = count["tn"] / max(count["tn"] + count["fp"], 1)
        print(f"{gate}: flagged unfaithful (tp) {count['tp']}, missed (fn) {count['fn']}, "
              f"flagged faithful (fp) {count['fp']}, passed faithful (tn) {count['tn']}; "
              f"recall {recall:.3f}, specificity {specificity:.3f}, balanced accuracy {(recall + specificity) / 2:.3f}")
    print(f"contradicted claims in faithful sentences: {len(false_alarms)}")
    for summary in false_alarms:
        print(f"  {summary}")


if __name__ == "__main__":
    main()
