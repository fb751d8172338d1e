"""Scale benchmark for odd inputs (not a test): many small files, one huge single-line file, and one
huge file of ordinary paragraphs.

Each case is written to a temporary directory and checked by ``check_paths`` (real model) in a
fresh Python process, so start-up is included and the peak memory (max RSS of that child) is
the run's own. Prints one table row per case.

    python benchmarks/bench_inputs.py [--files 5000] [--line-mb 10] [--timeout 1800] [--only files|line|text]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs in the child: check the directory, then report counts, stage timings and the child's max RSS.
RUNNER = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from collections.abc import Callable
from pathlib import Path
from checker.pipeline import check_paths
started = time.perf_counter()
result = check_paths([Path(sys.argv[2])])
report = result.report
print(json.dumps({
    "seconds": time.perf_counter() - started,
    "documents": report.summary.documents,
    "skipped": report.summary.skipped,
    "sentences": report.summary.sentences,
    "facts": report.summary.facts,
    "aligned_pairs": report.summary.aligned_pairs,
    "findings": len(report.findings),
    "timings": result.timings,
    "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""

PLACES = ["Port Aldane", "Velmont", "Drevno", "Halvik", "Orsa", "Tarn", "Lisbeth", "Kovno", "Marrow Bay", "Estel"]
PEOPLE = ["Tomas Ardelian", "Helena Varsk", "Mirko Dallen", "Anja Koval", "Pavel Ruzic", "Oren Lisk", "Lucia Fenn"]
THINGS = ["bridge", "ferry route", "water plant", "rail line", "harbor wall", "power station", "school", "hospital"]
TEMPLATES = [
    "The {thing} in {place} reopened on {day} after repairs that took {n} weeks, officials said.",
    "{person} said the project would cost ${m} million and employ about {n} workers.",
    "Talks between {person} and {other} in {place} lasted {h} hours on {day}.",
    "About {k} people attended the ceremony, according to the city council.",
    "The {thing} carried {k} passengers a day last year, up {p}% from the year before.",
    "Local officials expect the work to finish within {n} months.",
    "Residents of {place} complained about the noise during the {n}-week closure.",
    "{person} visited {place} for {d} days and met local business leaders.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def sentence(rng: random.Random) -> str:
    person, other = rng.sample(PEOPLE, 2)
    return rng.choice(TEMPLATES).format(
        thing=rng.choice(THINGS),
        place=rng.choice(PLACES),
        person=person,
        other=other,
        day=rng.choice(DAYS),
        n=rng.randint(2, 40),
        m=rng.choice([1.5, 2.4, 12, 38.5, 120, 640]),
        h=rng.randint(1, 12),
        k=f"{rng.randint(1, 90) * 100:,}",
        p=rng.randint(1, 60),
        d=rng.randint(2, 6),
    )


def write_many_files(directory: Path, count: int, rng: random.Random) -> Path:
    folder = directory / "many"
    for number in range(count):
        # 100 files a subdirectory, as a newsroom archive would be laid out.
        sub = folder / f"batch-{number // 100:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        body = " ".join(sentence(rng) for _ in range(rng.randint(3, 5)))
        (sub / f"story-{number:05d}.txt").write_text(body + "\n", encoding="utf-8")
    return folder


def joined_to_size(megabytes: float, piece: Callable[[], str], separator: str) -> str:
    """Pieces joined by ``separator`` until the text reaches the size (it may pass it by one piece)."""
    target = int(megabytes * 1024 * 1024)
    pieces: list[str] = []
    size = 0
    while size < target:
        pieces.append(piece())
        size += len(pieces[-1]) + len(separator)
    return separator.join(pieces)


def write_single_line(directory: Path, megabytes: float, rng: random.Random) -> Path:
    folder = directory / "line"
    folder.mkdir()
    line = joined_to_size(megabytes, lambda: sentence(rng), " ")[: int(megabytes * 1024 * 1024)]
    (folder / "one-line.txt").write_text(line, encoding="utf-8")  # no newline anywhere
    return folder


def write_paragraphs(directory: Path, megabytes: float, rng: random.Random) -> Path:
    """Ordinary text at scale: paragraphs of a few sentences, separated by blank lines."""
    folder = directory / "text"
    folder.mkdir()
    text = joined_to_size(megabytes, lambda: " ".join(sentence(rng) for _ in range(rng.randint(2, 6))), "\n\n")
    (folder / "long-read.txt").write_text(text + "\n", encoding="utf-8")
    return folder


def _peak_kib(pid: int) -> int | None:
    """The child's peak resident memory so far (Linux), to report it even when the run times out."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def run_case(folder: Path, timeout: float) -> dict:
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", RUNNER, str(ROOT), str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    peak = None
    while child.poll() is None and time.perf_counter() - started < timeout:
        peak = _peak_kib(child.pid) or peak
        time.sleep(1)
    if child.poll() is None:
        child.kill()
        child.wait()
        peak_text = f", peak so far {peak / 1024:.0f} MiB" if peak else ""
        return {"error": f"timed out after {timeout:.0f} s{peak_text}", "wall": time.perf_counter() - started}
    stdout, stderr = child.communicate()
    wall = time.perf_counter() - started
    if child.returncode != 0:
        tail = stderr.strip().splitlines()[-3:]
        return {"error": f"exit {child.returncode}: {' | '.join(tail)}", "wall": wall}
    result = json.loads(stdout.strip().splitlines()[-1])
    result["wall"] = wall
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000, help="number of small article files")
    parser.add_argument("--line-mb", type=float, default=10.0, help="size of the single-line and paragraph files in MiB")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds allowed per case")
    parser.add_argument("--only", choices=["files", "line", "text"], default=None)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()

    rng = random.Random(arguments.seed)
    cases = []
    with tempfile.TemporaryDirectory(prefix="bench-inputs-") as scratch:
        if arguments.only in (None, "files"):
            folder = write_many_files(Path(scratch), arguments.files, rng)
            cases.append((f"{arguments.files} small files", folder))
        if arguments.only in (None, "line"):
            folder = write_single_line(Path(scratch), arguments.line_mb, rng)
            cases.append((f"{arguments.line_mb:g} MiB single line", folder))
        if arguments.only in (None, "text"):
            folder = write_paragraphs(Path(scratch), arguments.line_mb, rng)
            cases.append((f"{arguments.line_mb:g} MiB paragraphs", folder))
        print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
              f"{os.cpu_count()} cores")
        print(f"{'case':<24} {'wall s':>8} {'check s':>8} {'peak MiB':>9} {'docs':>6} {'sentences':>9} "
              f"{'pairs':>7} {'findings':>8}  slowest stages")
        for name, folder in cases:
            result = run_case(folder, arguments.timeout)
            if "error" in result:
                print(f"{name:<24} {result['wall']:>8.1f}  {result['error']}")
                continue
            stages = sorted(result["timings"].items(), key=lambda item: -item[1])[:3]
            print(
                f"{name:<24} {result['wall']:>8.1f} {result['seconds']:>8.1f} {result['maxrss_kib'] / 1024:>9.0f} "
                f"{result['documents']:>6} {result['sentences']:>9} {result['aligned_pairs']:>7} "
                f"{result['findings']:>8}  " + ", ".join(f"{stage} {seconds:.1f}s" for stage, seconds in stages),
                flush=True,
            )


if __name__ == "__main__":
    main()
