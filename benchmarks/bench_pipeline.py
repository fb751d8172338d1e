"""End-to-end benchmark on the AllSides dev clusters (not a test).

Prints start-up time, sentences per second through the whole pipeline after start-up,
seconds per stage, peak memory, and `check --help` time. Each event's articles form one
corpus, written to a temporary directory so ingest is measured too.

With ``--compare-backends`` it then embeds each corpus's sentences with torch and with ONNX Runtime,
alternating per corpus, and prints each one's speed and the ratio: on a shared CPU the absolute
figures move with the load, the ratio much less.

    python benchmarks/bench_pipeline.py [--events N] [--backend onnx|torch] [--select KIND,...]
                                        [--compare-backends ROUNDS]
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "allsides_dev.jsonl"


def write_events(directory: Path, limit: int | None) -> list[Path]:
    events = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    folders = []
    for event in events[:limit]:
        folder = directory / f"event-{event['id']}"
        folder.mkdir()
        for number, article in enumerate(event["articles"]):
            header = f"# {article['title']}\n\n**{article['url']}**\n\n"
            (folder / f"{number}-{article['side']}.md").write_text(header + article["text"], encoding="utf-8")
        folders.append(folder)
    return folders


def help_seconds(runs: int = 5) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "cli.py"), "--help"], check=True, capture_output=True)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def compare_backends(folders: list[Path], rounds: int) -> None:
    from checker.embed import SentenceTransformerEmbedder
    from checker.ingest import load_corpus
    from checker.segment import segment

    corpora = [[sentence.text for document in load_corpus([folder]).documents for sentence in segment(document)]
               for folder in folders]
    embedders = {backend: SentenceTransformerEmbedder(backend=backend) for backend in ("torch", "onnx")}
    # Each corpus's fastest round counts: the rounds slowed by other processes drop out.
    best = {backend: [float("inf")] * len(corpora) for backend in embedders}
    for round_number in range(rounds):
        for number, texts in enumerate(corpora):
            backends = list(embedders) if (number + round_number) % 2 == 0 else list(reversed(embedders))
            for backend in backends:
                started = time.perf_counter()
                embedders[backend].encode(texts)
                best[backend][number] = min(best[backend][number], time.perf_counter() - started)
    sentences = sum(map(len, corpora))
    for backend, seconds in best.items():
        print(f"embedding alone, {backend:<5} {sentences / sum(seconds):6.0f} sentences/s "
              f"({1000 * sum(seconds) / sentences:.2f} ms/sentence, best of {rounds} per corpus)")
    print(f"onnx / torch speed ratio: {sum(best['torch']) / sum(best['onnx']):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=None, help="only the first N events")
    parser.add_argument("--backend", choices=["onnx", "torch"], default="onnx", help="how the model runs")
    parser.add_argument("--select", default=None, metavar="KIND,...", help="only these detector kinds (as check --select)")
    parser.add_argument("--compare-backends", type=int, default=0, metavar="ROUNDS",
                        help="then time torch against ONNX Runtime on the same sentences, interleaved")
    arguments = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"skipped: {DATA} is absent")

    sys.path.insert(0, str(ROOT))
    started = time.perf_counter()
    from checker.embed import SentenceTransformerEmbedder
    from checker.frames import load_parser
    from checker.detectors import selected_kinds
    from checker.pipeline import CheckOptions, check_paths

    options = CheckOptions(kinds=selected_kinds([arguments.select] if arguments.select else None))
    embedder = SentenceTransformerEmbedder(backend=arguments.backend)
    embedder.encode(["warm-up"])
    load_parser()
    startup = time.perf_counter() - started

    stages: Counter[str] = Counter()
    sentences = findings = 0
    with tempfile.TemporaryDirectory() as scratch:
        folders = write_events(Path(scratch), arguments.events)
        run_started = time.perf_counter()
        for folder in folders:
            result = check_paths([folder], options, embedder=embedder)
            stages.update(result.timings)
            sentences += result.report.summary.sentences
            findings += len(result.report.findings)
        elapsed = time.perf_counter() - run_started

        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
              f"{__import__('os').cpu_count()} cores, embedding backend {arguments.backend}")
        print(f"detectors: {', '.join(options.kinds or [])}")
        print(f"corpora: {len(folders)} events, {sentences} sentences, {findings} findings (all severities)")
        print(f"start-up (model + parser load): {startup:.2f} s")
        print(f"pipeline after start-up: {elapsed:.2f} s = {sentences / elapsed:.0f} sentences/s")
        for stage, seconds in sorted(stages.items(), key=lambda item: -item[1]):
            print(f"  {stage:<11} {seconds:7.2f} s  {1000 * seconds / max(sentences, 1):6.2f} ms/sentence")
        print(f"peak memory (max RSS): {peak_mib:.0f} MiB")
        print(f"check --help: {help_seconds():.3f} s (median of 5)", flush=True)
        if arguments.compare_backends:
            compare_backends(folders, arguments.compare_backends)


if __name__ == "__main__":
    main()
