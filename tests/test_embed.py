"""The embedding stage: length-sorted batches, capped texts, ONNX Runtime with torch as the fallback."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from checker import embed

ROOT = Path(__file__).resolve().parents[1]


FAKE_MODEL = SimpleNamespace(max_seq_length=256)


def words(count: int) -> str:
    return " ".join(["word"] * count)


def test_batches_group_similar_lengths_within_the_token_budget() -> None:
    lengths = [32, 7, 122, 8, 31, 6, 33, 9]
    batches = list(embed._length_batches(lengths, max_count=64))
    assert sorted(row for batch in batches for row in batch) == list(range(len(lengths)))
    flat = [lengths[row] for batch in batches for row in batch]
    assert flat == sorted(flat), "shortest first, so each batch pads to a close length"
    for batch in batches:
        assert len(batch) == 1 or len(batch) * max(lengths[row] for row in batch) <= embed.BATCH_TOKENS


def test_batches_respect_the_configured_size() -> None:
    batches = list(embed._length_batches([4] * 10, max_count=3))
    assert [len(batch) for batch in batches] == [3, 3, 3, 1]


@pytest.fixture
def fake_backend(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The model replaced by one that embeds a text as (its length, 1): no weights needed."""
    seen: list[list[str]] = []

    def forward(texts: list[str], batch_size: int) -> np.ndarray:
        seen.append(texts)
        return np.array([[len(text), 1.0] for text in texts], dtype=np.float32)

    monkeypatch.setattr(embed, "_forward", lambda path, backend: forward)
    return seen


def test_vectors_come_back_in_input_order_and_unit_length(fake_backend: list[list[str]]) -> None:
    texts = [words(count) for count in (40, 3, 12, 3, 90)]
    vectors = embed.SentenceTransformerEmbedder(model_path="unused").encode(texts)
    expected = np.array([[len(text), 1.0] for text in texts])
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    assert vectors.dtype == np.float32 and vectors.flags["C_CONTIGUOUS"]
    np.testing.assert_allclose(vectors, expected, rtol=1e-6)


def test_overlong_texts_are_cut_before_tokenizing(fake_backend: list[list[str]]) -> None:
    embed.SentenceTransformerEmbedder(model_path="unused").encode(["x" * 1_000_000, "short"])
    assert max(len(text) for batch in fake_backend for text in batch) == embed.MAX_EMBED_CHARS


def test_torch_runs_the_model_when_onnx_cannot(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(model_path: str, path: Path) -> embed.Forward:
        raise RuntimeError("exporter missing")

    torch_forward = object()
    monkeypatch.setattr(embed, "_load_sentence_transformer", lambda path: FAKE_MODEL)
    monkeypatch.setattr(embed, "_export_path", lambda path: Path("unused.onnx"))
    monkeypatch.setattr(embed, "_onnx_forward", broken)
    monkeypatch.setattr(embed, "_torch_forward", lambda model: torch_forward)
    embed._forward.cache_clear()
    try:
        assert embed._forward("model-dir", "onnx") is torch_forward
        monkeypatch.setattr(embed, "_onnx_forward", lambda model_path, path: pytest.fail("ONNX was asked for"))
        assert embed._forward("model-dir", "torch") is torch_forward
    finally:
        embed._forward.cache_clear()


def test_backend_defaults_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(embed.BACKEND_ENV_VAR, raising=False)
    assert embed.SentenceTransformerEmbedder(model_path="unused").backend == "onnx"
    monkeypatch.setenv(embed.BACKEND_ENV_VAR, "torch")
    assert embed.SentenceTransformerEmbedder(model_path="unused").backend == "torch"
    assert embed.SentenceTransformerEmbedder(model_path="unused", backend="onnx").backend == "onnx"


SENTENCES = [
    "Wang's meetings with Blinken and Sullivan totaled nine hours, U.S. officials said.",
    "  The talks lasted more than six hours.  ",
    "Officials said.",
    "",
    "x" * embed.MAX_EMBED_CHARS,
]

# Loads the cached export in a new process and reports whether torch or sentence-transformers got imported.
_LOAD_ONLY = """
import json, sys
from checker.embed import SentenceTransformerEmbedder
vectors = SentenceTransformerEmbedder().encode(json.loads(sys.argv[1]))
print(json.dumps({"heavy": sorted({"torch", "sentence_transformers"} & set(sys.modules)), "vectors": vectors.tolist()}))
"""


@pytest.mark.model
@pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None, reason="onnxruntime is not installed")
def test_onnx_export_gives_the_torch_vectors_and_later_loads_skip_torch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(embed.CACHE_ENV_VAR, str(tmp_path))
    model_path = embed.default_model_path()
    path = embed._export_path(model_path)
    assert path.is_relative_to(tmp_path)
    onnx = embed._onnx_forward(model_path, path)(SENTENCES, 2)
    torch = embed._torch_forward(embed._load_sentence_transformer(model_path))(SENTENCES, 64)
    assert np.allclose(onnx, torch, atol=1e-5)
    assert sorted(file.name for file in path.parent.iterdir()) == [path.name, embed._probes_path(path).name], (
        "no partial files left behind"
    )

    exported = path.stat().st_mtime_ns
    completed = subprocess.run(
        [sys.executable, "-c", _LOAD_ONLY, json.dumps(SENTENCES)],
        capture_output=True, text=True, check=True, cwd=ROOT, env={**os.environ, embed.CACHE_ENV_VAR: str(tmp_path)},
    )
    loaded = json.loads(completed.stdout)
    assert loaded["heavy"] == [], "loading a cached export must not import torch"
    assert np.allclose(np.array(loaded["vectors"]), torch / np.linalg.norm(torch, axis=1, keepdims=True), atol=1e-5)
    assert path.stat().st_mtime_ns == exported, "the cached export was used, not exported again"


@pytest.mark.model
@pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None, reason="onnxruntime is not installed")
def test_a_damaged_export_is_replaced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(embed.CACHE_ENV_VAR, str(tmp_path))
    model_path = embed.default_model_path()
    path = embed._export_path(model_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a graph")
    np.save(embed._probes_path(path), np.zeros((3, 384), dtype=np.float32))
    vectors = embed._onnx_forward(model_path, path)(SENTENCES[:2], 2)
    assert path.stat().st_size > 1_000_000
    torch = embed._torch_forward(embed._load_sentence_transformer(model_path))(SENTENCES[:2], 64)
    assert np.allclose(vectors, torch, atol=1e-5)


def test_an_export_that_does_not_reproduce_the_model_is_not_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exports: list[Path] = []

    def export(model: object, path: Path) -> None:
        exports.append(path)
        path.write_bytes(b"graph")

    def wrong(path: Path, tokenizer: object) -> embed.Forward:
        raise ValueError("the exported graph does not reproduce the model")

    monkeypatch.setattr(embed, "_Tokenizer", lambda model_path: None)
    monkeypatch.setattr(embed, "_load_sentence_transformer", lambda path: FAKE_MODEL)
    monkeypatch.setattr(embed, "_export", export)
    monkeypatch.setattr(embed, "_load_export", wrong)
    path = tmp_path / "model.onnx"
    for _ in range(2):
        with pytest.raises(ValueError):
            embed._onnx_forward("model-dir", path)
    assert exports == [path], "exported once; the second run went straight to torch"
