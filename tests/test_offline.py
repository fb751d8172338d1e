"""Offline by construction: a whole run, model loading included, works with networking disabled.

The guard replaces the socket entry points with functions that record the attempt and raise.
The model and the spaCy pipeline are cached per process, so the caches are cleared first and
loading really happens under the guard. A second test runs the command line in a fresh process,
so module imports (which could phone home too) happen under the guard as well.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import checker.embed
import checker.frames
from checker.pipeline import check_paths
from cli import app

ROOT = Path(__file__).resolve().parents[1]
HARBOR = ROOT / "fixtures" / "harbor-summit"


class NetworkBlocked(OSError):
    """Raised by the guard: looks like a network failure to the code that tried."""


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Disable networking for the process; the list collects every attempt."""
    attempts: list[str] = []

    def blocked(name: str):
        def refuse(*args: object, **kwargs: object) -> object:
            attempts.append(f"{name}{args!r}")
            raise NetworkBlocked(f"networking is disabled in this test ({name})")

        return refuse

    monkeypatch.setattr(socket.socket, "connect", blocked("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", blocked("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", blocked("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", blocked("socket.getaddrinfo"))
    return attempts


def assert_guard_blocks(attempts: list[str]) -> None:
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("huggingface.co", 443), timeout=1)
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("huggingface.co", 443)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as raw:
        with pytest.raises(NetworkBlocked):
            raw.connect(("127.0.0.1", 9))
    assert len(attempts) == 3
    attempts.clear()


def clear_model_caches() -> None:
    checker.embed._load_sentence_transformer.cache_clear()
    checker.frames.load_parser.cache_clear()


@pytest.mark.model
def test_pipeline_runs_offline(no_network: list[str]) -> None:
    assert_guard_blocks(no_network)
    clear_model_caches()
    report = check_paths([HARBOR]).report
    assert no_network == [], "the run tried to reach the network"
    assert report.summary.documents == 5 and report.skipped == []
    assert report.summary.sentences > 0
    assert report.summary.findings_by_severity["conflict"] >= 1


@pytest.mark.model
def test_cli_runs_offline(no_network: list[str]) -> None:
    assert_guard_blocks(no_network)
    clear_model_caches()
    result = CliRunner().invoke(app, [str(HARBOR), "--format", "json"])
    assert no_network == [], "the run tried to reach the network"
    assert result.exit_code == 1, result.output  # the planted conflicts are found
    report = json.loads(result.stdout)
    assert [document["doc_id"] for document in report["documents"]] == [
        "bulletin.txt", "courier.txt", "ledger.md", "post.html", "wire.txt",
    ]
    assert report["findings"]


# Patches the socket module before anything else is imported, then runs the CLI; any attempt is
# reported on stderr at exit, whatever the code that tried did with the error.
_FRESH_PROCESS = """
import atexit, socket, sys
attempts = []
def blocked(name):
    def refuse(*args, **kwargs):
        attempts.append(name)
        raise OSError(f"networking is disabled ({name})")
    return refuse
socket.socket.connect = blocked("socket.connect")
socket.socket.connect_ex = blocked("socket.connect_ex")
socket.create_connection = blocked("socket.create_connection")
socket.getaddrinfo = blocked("socket.getaddrinfo")
atexit.register(lambda: sys.stderr.write(f"network attempts: {len(attempts)} {sorted(set(attempts))}\\n"))
sys.path.insert(0, sys.argv[1])
sys.argv = ["check", *sys.argv[2:]]
from cli import app_main
app_main()
"""


@pytest.mark.model
def test_fresh_process_runs_offline_without_offline_variables() -> None:
    # Without HF_HUB_OFFLINE & co. in the environment: the library must not rely on the caller setting them.
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"}
    }
    completed = subprocess.run(
        [sys.executable, "-c", _FRESH_PROCESS, str(ROOT), str(HARBOR), "--format", "json"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )
    assert "Traceback" not in completed.stderr, completed.stderr
    assert completed.stderr.strip().splitlines()[-1] == "network attempts: 0 []", completed.stderr
    assert completed.returncode == 1, completed.stderr
    assert json.loads(completed.stdout)["summary"]["documents"] == 5
