"""Draft gate latency against a source index of the AllSides dev articles (not a test).

Writes every AllSides dev article to a temporary directory as .txt, builds a source index of them,
and composes a draft of about 1,000 words from sentences of a few of those articles with some
numbers changed. Then it measures:

- cold: a new process running `check --draft draft.md --index DIR`, as a pre-commit hook or a CI
  step runs it: wall time, the share spent loading the embedding model and spaCy, peak memory
  (max RSS), and how many texts reach the embedding model (the draft's sentences only: nothing the
  index holds may be embedded again);
- warm: the library call `check_drafts` repeated in one process with the models loaded, on the
  same draft (its vectors cached in the index directory) and on a draft edited between calls.

    python benchmarks/bench_draft_gate.py [--runs N] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import platform
import pstats
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "allsides_dev.jsonl"
DRAFT_WORDS = 1000
DRAFT_EVENTS = 4
WARM_TARGET_SECONDS = 1.0

# Runs the CLI in a child process with the model and spaCy loaders timed and the texts sent to
# the model counted; writes what it saw as JSON to the file named by its first argument.
PROBE = """
import json, sys, time
started = time.perf_counter()
import checker.embed as embed, checker.frames as frames
from checker.cache import CachedEmbedder
seen = {"imports": 0.0, "model_load": 0.0, "spacy_load": 0.0, "embedded": 0, "cache_hits": 0, "cache_misses": 0}
def timed(function, key):
    def wrapper(*args):
        started = time.perf_counter()
        try:
            return function(*args)
        finally:
            seen[key] += time.perf_counter() - started
    return wrapper
embed._forward = timed(embed._forward, "model_load")
frames.load_parser = timed(frames.load_parser, "spacy_load")
encode = embed.SentenceTransformerEmbedder.encode
def counting_encode(self, texts):
    seen["embedded"] += len(texts)
    return encode(self, texts)
embed.SentenceTransformerEmbedder.encode = counting_encode
close = CachedEmbedder.close
def counting_close(self):
    seen["cache_hits"] += self.hits
    seen["cache_misses"] += self.misses
    close(self)
CachedEmbedder.close = counting_close
import cli
import checker.draft, checker.pipeline, checker.reporters, checker.store  # cli imports them on first use
seen["imports"] = time.perf_counter() - started
try:
    cli.app(sys.argv[2:], prog_name="check")
except SystemExit as exit:
    seen["exit"] = exit.code
json.dump(seen, open(sys.argv[1], "w"))
"""


def load_events() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_sources(events: list[dict], directory: Path) -> int:
    count = 0
    for event in events:
        folder = directory / f"event-{event['id']}"
        folder.mkdir(parents=True)
        for number, article in enumerate(event["articles"]):
            (folder / f"{number}-{article['side']}.txt").write_text(article["text"], encoding="utf-8")
            count += 1
    return count


def compose_draft(events: list[dict], seed: int = 7) -> str:
    """About DRAFT_WORDS words of sentences from a few events' articles; every third figure changed."""
    from checker.ingest import document_from_text
    from checker.segment import segment

    chosen = sorted(random.Random(seed).sample(events, DRAFT_EVENTS), key=lambda event: str(event["id"]))
    paragraphs, words, figures = [], 0, 0
    for article in (article for event in chosen for article in event["articles"]):
        if words >= DRAFT_WORDS:
            break
        paragraph = []
        for sentence in segment(document_from_text(article["text"], "source")):
            text = " ".join(sentence.text.split())
            if re.search(r"\d", text):
                figures += 1
                if figures % 3 == 0:
                    text = change_first_figure(text)
            paragraph.append(text)
            words += len(text.split())
            if words >= DRAFT_WORDS or len(paragraph) == 4:
                break
        paragraphs.append(" ".join(paragraph))
    return "# Draft: this week's stories\n\n" + "\n\n".join(paragraphs) + "\n"


def change_first_figure(text: str) -> str:
    """The first number, made noticeably bigger (a year is left alone: it would only change the time)."""
    for match in re.finditer(r"\d[\d,]*(?:\.\d+)?", text):
        digits = match.group().replace(",", "")
        if re.fullmatch(r"(19|20)\d\d", digits):
            continue
        bigger = f"{float(digits) * 1.5 + 1:,.0f}" if "," in match.group() else str(int(float(digits) * 1.5) + 1)
        return text[: match.start()] + bigger + text[match.end() :]
    return text


def cold_run(draft: Path, index: Path, scratch: Path) -> dict:
    """`check --draft … --index …` in a new process: wall time and peak memory, then the same run
    instrumented, in another new process, for the model-load share and the texts embedded."""
    arguments = ["--draft", draft.name, "--index", str(index), "--format", "json", "--fail-on", "never"]
    started = time.perf_counter()
    completed = subprocess.run([sys.executable, str(ROOT / "cli.py"), *arguments], cwd=draft.parent,
                               capture_output=True, text=True)
    wall = time.perf_counter() - started
    if completed.returncode != 0:
        sys.exit(f"the cold run failed ({completed.returncode}): {completed.stderr.strip()}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # this is the first child: its figures alone
    peak_mib, cpu = usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
    report = json.loads(completed.stdout)

    # The draft's vectors are now cached in the index: drop them, so this run is cold as well.
    (index / "embeddings.sqlite3").unlink(missing_ok=True)
    seen_file = scratch / "probe.json"
    started = time.perf_counter()
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    probe = subprocess.run([sys.executable, "-c", PROBE, str(seen_file), *arguments], cwd=draft.parent,
                           capture_output=True, text=True, env=environment)
    probe_wall = time.perf_counter() - started
    if probe.returncode != 0:
        sys.exit(f"the instrumented cold run failed: {probe.stderr.strip()}")
    seen = json.loads(seen_file.read_text(encoding="utf-8"))
    return {"wall": wall, "cpu": cpu, "peak_mib": peak_mib, "report": report, "probe_wall": probe_wall, **seen}


def warm_runs(draft: Path, index: Path, runs: int, edit: bool) -> list[tuple[float, dict]]:
    """`check_drafts` called again and again in this process; with ``edit``, one figure of the draft
    changes before each call, so one sentence is new to the model each time."""
    from checker.draft import check_drafts

    original = draft.read_text(encoding="utf-8")
    figures = [match for match in re.finditer(r"(?<![\d,.])\d{2,3}(?![\d,.])", original)]
    timings = []
    try:
        for run in range(runs):
            if edit:
                match = figures[run % len(figures)]
                draft.write_text(original[: match.start()] + str(900 + run) + original[match.end() :], encoding="utf-8")
            started, cpu_started = time.perf_counter(), time.process_time()
            (result,) = check_drafts([draft], index_directory=index)
            seconds = {**result.timings, "cpu": time.process_time() - cpu_started}
            timings.append((time.perf_counter() - started, seconds))
    finally:
        draft.write_text(original, encoding="utf-8")
    return timings


def profile_warm(draft: Path, index: Path) -> None:
    from checker.draft import check_drafts

    profiler = cProfile.Profile()
    profiler.enable()
    check_drafts([draft], index_directory=index)
    profiler.disable()
    print("\nwhere a warm call spends its time (cumulative, top 25):")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(25)


def verdict_counts(report: dict) -> str:
    counts: dict[str, int] = {}
    for claim in report["claims"]:
        verdict = "disputed" if claim.get("disputed") else claim["verdict"]
        counts[verdict] = counts.get(verdict, 0) + 1
    return ", ".join(f"{count} {verdict}" for verdict, count in sorted(counts.items()))


def stage_medians(timings: list[tuple[float, dict]]) -> str:
    stages = sorted({stage for _, seen in timings for stage in seen})
    medians = {stage: statistics.median(seen.get(stage, 0.0) for _, seen in timings) for stage in stages}
    return ", ".join(f"{stage} {seconds:.3f}" for stage, seconds in sorted(medians.items(), key=lambda item: -item[1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm calls of each kind (default 5)")
    parser.add_argument("--profile", action="store_true", help="profile one warm call even when under target")
    arguments = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is absent (the shared development data sits beside the project only on the "
              "team's machines)")
        return 0
    sys.path.insert(0, str(ROOT))
    from checker.draft import write_source_index

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {', '.join(f'{load:.1f}' for load in os.getloadavg())}")
    events = load_events()
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        articles = write_sources(events, scratch / "sources")
        index = scratch / ".check-index"
        started = time.perf_counter()
        summary = write_source_index([scratch / "sources"], index)
        print(f"index: {articles} articles, {summary} ({time.perf_counter() - started:.1f} s, model load included)")

        draft = scratch / "draft.md"
        draft.write_text(compose_draft(events), encoding="utf-8")
        print(f"draft: {len(draft.read_text(encoding='utf-8').split())} words")

        cold = cold_run(draft, index, scratch)
        report = cold["report"]
        draft_sentences = next(doc["sentences"] for doc in report["documents"] if doc["doc_id"] == report["draft"])
        indexed_sentences = report["summary"]["sentences"] - draft_sentences
        startup = cold["imports"] + cold["model_load"] + cold["spacy_load"]
        print(f"\ncold `check --draft draft.md --index DIR` (new process): {cold['wall']:.2f} s wall, "
              f"{cold['cpu']:.2f} s CPU, peak memory {cold['peak_mib']:.0f} MiB")
        print(f"  {len(report['claims'])} claims: {verdict_counts(report)}")
        print(f"  instrumented rerun: {cold['probe_wall']:.2f} s wall, of which start-up {startup:.2f} s "
              f"({startup / cold['probe_wall']:.0%}: imports {cold['imports']:.2f} s, embedding model "
              f"{cold['model_load']:.2f} s, spaCy {cold['spacy_load']:.2f} s)")
        print(f"  texts sent to the model: {cold['embedded']} (the draft has {draft_sentences} sentences, the index "
              f"{indexed_sentences}); embedding cache: {cold['cache_hits']} hits, {cold['cache_misses']} misses")
        if cold["embedded"] > draft_sentences:
            print("  PROBLEM: the cold run embedded more texts than the draft has sentences")

        for edit, label in ((False, "same draft"), (True, "draft edited before each call")):
            timings = warm_runs(draft, index, arguments.runs + 1, edit)
            first, rest = timings[0][0], [seconds for seconds, _ in timings[1:]]
            spread = f"min {min(rest):.3f} s, max {max(rest):.3f} s over {len(rest)} calls"
            print(f"\nwarm, {label}: first call {first:.2f} s (loads spaCy if not yet loaded); then median "
                  f"{statistics.median(rest):.3f} s, {spread}")
            print(f"  stages (median s; cpu: CPU time of the whole call): {stage_medians(timings[1:])}")
            if statistics.median(rest) > WARM_TARGET_SECONDS:
                print(f"  over the {WARM_TARGET_SECONDS:.0f} s target")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\nthis process (index build + warm calls): peak memory {peak:.0f} MiB")
        if arguments.profile:
            profile_warm(draft, index)
    return 0


if __name__ == "__main__":
    sys.exit(main())
