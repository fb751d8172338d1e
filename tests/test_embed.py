"""The embedding stage: length-sorted batches, capped texts, ONNX Runtime with torch as the fallback."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from checker import embed


class WordTokenizer:
    """One token per word plus the two special tokens, like a BERT tokenizer's counts."""

    def __call__(self, texts: list[str], truncation: bool, max_length: int) -> dict[str, list[list[int]]]:
        return {"input_ids": [[0] * min(len(text.split()) + 2, max_length) for text in texts]}


FAKE_MODEL = SimpleNamespace(tokenizer=WordTokenizer(), max_seq_length=256)


def words(count: int) -> str:
    return " ".join(["word"] * count)


def test_batches_group_similar_lengths_within_the_token_budget() -> None:
    texts = [words(count) for count in (30, 5, 120, 6, 29, 4, 31, 7)]
    batches = list(embed._length_batches(FAKE_MODEL, texts, max_count=64))
    assert sorted(row for batch in batches for row in batch) == list(range(len(texts)))
    lengths = [len(text.split()) + 2 for text in texts]
    flat = [lengths[row] for batch in batches for row in batch]
    assert flat == sorted(flat), "shortest first, so each batch pads to a close length"
    for batch in batches:
        assert len(batch) == 1 or len(batch) * max(lengths[row] for row in batch) <= embed.BATCH_TOKENS


def test_batches_respect_the_configured_size() -> None:
    batches = list(embed._length_batches(FAKE_MODEL, ["a b"] * 10, max_count=3))
    assert [len(batch) for batch in batches] == [3, 3, 3, 1]


@pytest.fixture
def fake_backend(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The model replaced by one that embeds a text as (its length, 1): no weights needed."""
    seen: list[list[str]] = []

    def forward(texts: list[str], batch_size: int) -> np.ndarray:
        seen.append(texts)
        return np.array([[len(text), 1.0] for text in texts], dtype=np.float32)

    monkeypatch.setattr(embed, "_load_sentence_transformer", lambda path: FAKE_MODEL)
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
    def broken(model: object, path: Path) -> embed.Forward:
        raise RuntimeError("exporter missing")

    torch_forward = object()
    monkeypatch.setattr(embed, "_load_sentence_transformer", lambda path: FAKE_MODEL)
    monkeypatch.setattr(embed, "_export_path", lambda path: Path("unused.onnx"))
    monkeypatch.setattr(embed, "_onnx_forward", broken)
    monkeypatch.setattr(embed, "_torch_forward", lambda model: torch_forward)
    embed._forward.cache_clear()
    try:
        assert embed._forward("model-dir", "onnx") is torch_forward
        monkeypatch.setattr(embed, "_onnx_forward", lambda model, path: pytest.fail("ONNX was asked for"))
        assert embed._forward("model-dir", "torch") is torch_forward
    finally:
        embed._forward.cache_clear()


def test_backend_defaults_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(embed.BACKEND_ENV_VAR, raising=False)
    assert embed.SentenceTransformerEmbedder(model_path="unused").backend == "onnx"
    monkeypatch.setenv(embed.BACKEND_ENV_VAR, "torch")
    assert embed.SentenceTransformerEmbedder(model_path="unused").backend == "torch"
    assert embed.SentenceTransformerEmbedder(model_path="unused", backend="onnx").backend == "onnx"


@pytest.mark.model
@pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None, reason="onnxruntime is not installed")
def test_onnx_export_gives_the_torch_vectors_and_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(embed.CACHE_ENV_VAR, str(tmp_path))
    model_path = embed.default_model_path()
    model = embed._load_sentence_transformer(model_path)
    path = embed._export_path(model_path)
    assert path.is_relative_to(tmp_path)
    sentences = [
        "Wang's meetings with Blinken and Sullivan totaled nine hours, U.S. officials said.",
        "The talks lasted more than six hours.",
        "Officials said.",
    ]
    onnx = embed._onnx_forward(model, path)(sentences, 2)
    torch = embed._torch_forward(model)(sentences, 64)
    assert np.allclose(onnx, torch, atol=1e-5)
    exported = path.stat().st_mtime_ns
    monkeypatch.setattr(embed, "_export", lambda model, path: pytest.fail("exported again"))
    embed._onnx_forward(model, path)
    assert path.stat().st_mtime_ns == exported
    assert [file.name for file in path.parent.iterdir()] == [path.name], "no partial files left behind"
